//! Thin command line over the `gongkai` library.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Read 政府信息公开工作年度报告 into checked JSON"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Parse one report (HTML or flattened text) and print its JSON.
    Parse {
        /// The report file, or `-` for standard input.
        file: PathBuf,
        /// Write the JSON here instead of stdout (`-` is stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// One line of JSON instead of pretty-printed.
        #[arg(long)]
        compact: bool,
        /// Exit 1 when the report is malformed (has an error flag).
        #[arg(long)]
        strict: bool,
    },
    /// Parse many reports in parallel: files, folders (walked), or `-` for a
    /// list of paths on stdin. Without an output option, JSON Lines go to
    /// stdout. A summary goes to stderr at the end.
    Batch {
        /// Files, folders, or `-` (paths on stdin, one per line).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// One pretty JSON per report, mirroring the input tree.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// One report per line, in input order (`-` is stdout).
        #[arg(long, value_name = "FILE")]
        jsonl: Option<PathBuf>,
        /// reports.csv, cells.csv and flags.csv (UTF-8 with BOM) in DIR.
        #[arg(long, value_name = "DIR")]
        csv: Option<PathBuf>,
        /// A review site in DIR: index.html with filters and a chart of the
        /// flag codes, one page per report with its tables as printed.
        #[arg(long, value_name = "DIR")]
        review: Option<PathBuf>,
        /// Also write the summary as JSON.
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
        /// Extensions read inside folders; `*` for every file.
        #[arg(long, value_delimiter = ',', default_values_t = gongkai::batch::Filter::DEFAULT.iter().map(|s| s.to_string()))]
        ext: Vec<String>,
        /// Worker threads (default: one per core).
        #[arg(short, long, default_value_t = 0)]
        jobs: usize,
        /// With --out: do not parse again a report whose JSON is newer and
        /// was made from the same bytes.
        #[arg(long, requires = "out")]
        skip_unchanged: bool,
        /// Exit 1 when any report is malformed.
        #[arg(long)]
        strict: bool,
        /// No progress and no summary on stderr (error lines stay).
        #[arg(short, long)]
        quiet: bool,
    },
    /// Write synthetic reports with their expected.json, or check the parser
    /// on many of them in memory (`--check`).
    Gen {
        /// Folder to write the cases into.
        #[arg(long, value_name = "DIR", required_unless_present = "check")]
        out: Option<PathBuf>,
        /// How many reports to write.
        #[arg(short = 'n', long, default_value_t = 20)]
        count: u64,
        /// First seed; report k uses seed + k.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Damage the reports on purpose (one to three operators each).
        #[arg(long)]
        damage: bool,
        /// Write the project corpus instead: one report per layout and one
        /// per damage operator.
        #[arg(long, conflicts_with_all = ["check", "damage"])]
        corpus: bool,
        /// Generate, parse and verify N reports in memory; exit 1 if any
        /// number is wrong without a flag, a damaged row is not named or an
        /// undamaged report is not read exactly.
        #[arg(long, value_name = "N", conflicts_with = "out")]
        check: Option<u64>,
        /// Draw only the original seven layouts and operators, as seeds did
        /// before the layouts that keep cell positions were added.
        #[arg(long, conflicts_with = "corpus")]
        original: bool,
    },
    /// Measure the pipeline on the reports below the given folders, held in
    /// memory: µs per report, reports/s and MB/s for text and HTML, the bare
    /// scraper DOM build as reference, and 2 threads against 1.
    Bench {
        /// Folders or files of reports; without any, reports are generated.
        inputs: Vec<PathBuf>,
        /// How many reports to generate when no input is given.
        #[arg(long, default_value_t = 5000)]
        generate: u64,
        /// Parses per measured line (round-robin over the files).
        #[arg(short = 'n', long, default_value_t = 5000)]
        reports: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Parse {
            file,
            output,
            compact,
            strict,
        } => match parse(&file, output.as_deref(), compact) {
            Ok(malformed) => ExitCode::from(if strict && malformed { 1 } else { 0 }),
            Err(e) => {
                eprintln!("gongkai: {e:#}");
                ExitCode::from(2)
            }
        },
        Cmd::Batch {
            inputs,
            out,
            jsonl,
            csv,
            review,
            summary,
            ext,
            jobs,
            skip_unchanged,
            strict,
            quiet,
        } => {
            let jsonl = jsonl.or_else(|| {
                (out.is_none() && csv.is_none() && review.is_none()).then(|| PathBuf::from("-"))
            });
            let opts = gongkai::batch::Options {
                jobs,
                out,
                jsonl,
                csv,
                review,
                skip_unchanged,
                filter: gongkai::batch::Filter::new(&ext),
                quiet,
            };
            match batch(&inputs, &opts, summary.as_deref()) {
                Ok(s) if s.failed() => ExitCode::from(2),
                Ok(s) if strict && s.reports.malformed > 0 => ExitCode::from(1),
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("gongkai: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Cmd::Gen {
            out,
            count,
            seed,
            damage,
            corpus,
            check,
            original,
        } => {
            let layouts = if original {
                gongkai::synth::Layouts::Original
            } else {
                gongkai::synth::Layouts::All
            };
            if let Some(n) = check {
                let tally = gongkai::synth::verify::Tally::run(seed, seed + n, damage, layouts);
                print!("{tally}");
                return ExitCode::from(u8::from(!tally.failures.is_empty()));
            }
            let dir = out.unwrap_or_default();
            if corpus {
                return match gongkai::synth::write_corpus(&dir) {
                    Ok(_) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("gongkai: {}: {e}", dir.display());
                        ExitCode::from(2)
                    }
                };
            }
            for s in seed..seed + count {
                if let Err(e) = gongkai::synth::write_case(&dir, s, damage, layouts) {
                    eprintln!("gongkai: {}: {e}", dir.display());
                    return ExitCode::from(2);
                }
            }
            ExitCode::SUCCESS
        }
        Cmd::Bench {
            inputs,
            generate,
            reports,
        } => {
            let samples = if inputs.is_empty() {
                gongkai::bench::generated(generate)
            } else {
                gongkai::bench::load(&inputs)
            };
            if samples.is_empty() {
                eprintln!("gongkai: no reports found in {inputs:?}");
                return ExitCode::from(2);
            }
            match gongkai::bench::run(&samples, reports) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("gongkai: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn batch(
    inputs: &[PathBuf],
    opts: &gongkai::batch::Options,
    summary_file: Option<&Path>,
) -> anyhow::Result<gongkai::batch::summary::Summary> {
    // A panic is reported per file by the batch; the default hook would
    // also print a backtrace note in the middle of the progress display.
    std::panic::set_hook(Box::new(|_| {}));
    let summary = gongkai::batch::run(inputs, opts)?;
    if !opts.quiet {
        eprint!("{}", summary.render());
    }
    if let Some(p) = summary_file {
        let mut json = serde_json::to_vec_pretty(&summary)?;
        json.push(b'\n');
        gongkai::atomic::write(p, &json)
            .with_context(|| format!("{}: cannot write", p.display()))?;
    }
    Ok(summary)
}

/// Parse and write; returns whether the report is malformed.
fn parse(file: &Path, output: Option<&Path>, compact: bool) -> anyhow::Result<bool> {
    let report = if file == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("-: cannot read standard input")?;
        gongkai::parse_named(&bytes, file)?
    } else {
        gongkai::parse_file(file)?
    };
    let mut json = if compact {
        serde_json::to_string(&report)?
    } else {
        serde_json::to_string_pretty(&report)?
    };
    json.push('\n');
    match output {
        None => write_stdout(json.as_bytes())?,
        Some(p) if p == Path::new("-") => write_stdout(json.as_bytes())?,
        Some(p) => gongkai::atomic::write(p, json.as_bytes())
            .with_context(|| format!("{}: cannot write", p.display()))?,
    }
    Ok(report.malformed())
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}
