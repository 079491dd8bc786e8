//! Thin command line over the `gongkai` library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

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
        /// Add `provenance`: where each value was read (line, byte range,
        /// source text).
        #[arg(long)]
        provenance: bool,
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
        /// Each JSON (--out, --jsonl) with its `provenance`: where each
        /// value was read.
        #[arg(long)]
        provenance: bool,
        /// Also write the summary as JSON.
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
        /// Extensions read inside folders; `*` for every file.
        #[arg(long, value_delimiter = ',', default_values_t = gongkai::batch::Filter::DEFAULT.iter().map(|s| s.to_string()))]
        ext: Vec<String>,
        /// Worker threads (default: one per core; at most 4 per core).
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
    /// Check one agency's reports year after year, over batch output (JSON
    /// Lines, `-` for stdin, or an `--out` folder): this year's 上年结转
    /// against last year's 结转下年度, documents in force, duplicates.
    Series {
        /// JSONL files, `--out` folders, or `-`.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// series.csv: one row per check and key (`-` is stdout).
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
        /// The same rows and the summary as JSON.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        /// No summary on stderr (error lines stay).
        #[arg(short, long)]
        quiet: bool,
    },
    /// Write synthetic reports with their expected.json, or check the parser
    /// on many of them in memory (`--check`).
    Gen(Gen),
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
    /// Print the JSON Schema (draft 2020-12) of the report JSON; the
    /// repository keeps a copy in schema/report.schema.json.
    Schema,
}

/// `gongkai gen`'s arguments.
#[derive(Args)]
struct Gen {
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
    /// Write series instead: one agency's consecutive years per folder,
    /// most with one figure broken on purpose (see expected.json).
    #[arg(long, conflicts_with_all = ["check", "damage", "corpus"])]
    series: bool,
    /// Generate, parse and verify N reports in memory; exit 1 if any
    /// number is wrong without a flag, a damaged row is not named or an
    /// undamaged report is not read exactly.
    #[arg(long, value_name = "N", conflicts_with = "out")]
    check: Option<u64>,
    /// Draw only the original seven layouts and operators, as seeds did
    /// before the layouts that keep cell positions were added.
    #[arg(long, conflicts_with = "corpus")]
    original: bool,
}

#[global_allocator]
static ALLOC: gongkai::alloc::Split = gongkai::alloc::Split;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Parse {
            file,
            output,
            compact,
            strict,
            provenance,
        } => match parse(&file, output.as_deref(), compact, provenance) {
            Ok(malformed) => ExitCode::from(u8::from(strict && malformed)),
            Err(e) => failed(e),
        },
        Cmd::Batch {
            inputs,
            out,
            jsonl,
            csv,
            review,
            provenance,
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
                provenance,
                skip_unchanged,
                filter: gongkai::batch::Filter::new(&ext),
                quiet,
                summary,
                stop: Arc::new(AtomicBool::new(false)),
            };
            batch(&inputs, &opts, strict)
        }
        Cmd::Series {
            inputs,
            csv,
            json,
            quiet,
        } => series(&inputs, &csv, json.as_deref(), quiet),
        Cmd::Gen(g) => g.run(),
        Cmd::Schema => match print_schema() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => failed(e),
        },
        Cmd::Bench {
            inputs,
            generate,
            reports,
        } => bench(&inputs, generate, reports),
    }
}

/// An error of the CLI: its line on stderr, exit 2.
fn failed(e: anyhow::Error) -> ExitCode {
    eprintln!("gongkai: {e:#}");
    ExitCode::from(2)
}

impl Gen {
    /// Check in memory, or write the cases.
    fn run(self) -> ExitCode {
        let layouts = if self.original {
            gongkai::synth::Layouts::Original
        } else {
            gongkai::synth::Layouts::All
        };
        let seed = self.seed;
        if let Some(n) = self.check {
            let tally = gongkai::synth::verify::Tally::run(seed, seed + n, self.damage, layouts);
            if let Err(e) = write_stdout(tally.to_string().as_bytes()) {
                return failed(e);
            }
            return ExitCode::from(u8::from(!tally.failures.is_empty()));
        }
        let dir = self.out.unwrap_or_default();
        let kind = match (self.corpus, self.series) {
            (true, _) => Generated::Corpus,
            (false, true) => Generated::Series,
            (false, false) => Generated::Reports {
                damage: self.damage,
                layouts,
            },
        };
        generate(&dir, seed..seed + self.count, kind)
    }
}

/// What `gongkai gen` writes.
enum Generated {
    /// The project corpus: one report per layout and damage operator.
    Corpus,
    /// One agency's years per seed.
    Series,
    Reports {
        damage: bool,
        layouts: gongkai::synth::Layouts,
    },
}

/// `gongkai gen` without `--check`: one case per seed into `dir`.
fn generate(dir: &Path, mut seeds: std::ops::Range<u64>, kind: Generated) -> ExitCode {
    let written = match kind {
        Generated::Corpus => gongkai::synth::write_corpus(dir).map(drop),
        Generated::Series => {
            seeds.try_for_each(|s| gongkai::synth::series::write_case(dir, s).map(drop))
        }
        Generated::Reports { damage, layouts } => {
            seeds.try_for_each(|s| gongkai::synth::write_case(dir, s, damage, layouts).map(drop))
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongkai: {}: {e}", dir.display());
            ExitCode::from(2)
        }
    }
}

/// `gongkai series`: the summary on stderr unless quiet; exit 2 when an
/// input could not be read.
fn series(inputs: &[PathBuf], csv: &Path, json: Option<&Path>, quiet: bool) -> ExitCode {
    match gongkai::series::run(inputs, csv, json) {
        Ok(s) => {
            if !quiet {
                eprint!("{}", s.render());
            }
            ExitCode::from(if s.unreadable > 0 { 2 } else { 0 })
        }
        Err(e) => {
            eprintln!("gongkai: {e}");
            ExitCode::from(2)
        }
    }
}

/// `gongkai bench`: over the inputs, or over `generate` generated reports.
fn bench(inputs: &[PathBuf], generate: u64, reports: usize) -> ExitCode {
    let samples = if inputs.is_empty() {
        gongkai::bench::generated(generate)
    } else {
        gongkai::bench::load(inputs)
    };
    if samples.is_empty() {
        eprintln!("gongkai: no reports found in {inputs:?}");
        return ExitCode::from(2);
    }
    match gongkai::bench::run(&samples, reports) {
        Ok(text) => match write_stdout(text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => failed(e),
        },
        Err(e) => {
            eprintln!("gongkai: {e}");
            ExitCode::from(2)
        }
    }
}

/// Run the batch; the exit code says how it went (see the README).
fn batch(inputs: &[PathBuf], opts: &gongkai::batch::Options, strict: bool) -> ExitCode {
    match run_batch(inputs, opts) {
        Ok(s) if s.interrupted.is_some() => ExitCode::from(130),
        Ok(s) if s.failed() => ExitCode::from(2),
        Ok(s) if strict && s.reports.malformed > 0 => ExitCode::from(1),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongkai: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_batch(
    inputs: &[PathBuf],
    opts: &gongkai::batch::Options,
) -> Result<gongkai::batch::summary::Summary, gongkai::Error> {
    // A panic is reported per file by the batch; the default hook would
    // also print a backtrace note in the middle of the progress display.
    std::panic::set_hook(Box::new(|_| {}));
    if let (n, true) = opts.threads() {
        eprintln!(
            "gongkai: --jobs {} is more than 4 per core; using {n}",
            opts.jobs
        );
    }
    // The first SIGINT or SIGTERM asks the batch to finish what is in
    // flight and complete its outputs; a second one ends the process.
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let _ = signal_hook::flag::register_conditional_shutdown(sig, 130, Arc::clone(&opts.stop));
        let _ = signal_hook::flag::register(sig, Arc::clone(&opts.stop));
    }
    let summary = gongkai::batch::run(inputs, opts)?;
    if !opts.quiet {
        eprint!("{}", summary.render());
    }
    if let Some(listed) = summary.interrupted {
        eprintln!(
            "gongkai: interrupted after {} of {}{} files",
            summary.files.seen,
            if listed.exact { "" } else { "at least " },
            listed.files
        );
    }
    Ok(summary)
}

/// Parse and write; returns whether the report is malformed. The output is
/// checked (and its folder made) before the input is read, and may not be
/// the input itself.
fn parse(
    file: &Path,
    output: Option<&Path>,
    compact: bool,
    provenance: bool,
) -> anyhow::Result<bool> {
    let target = output.filter(|p| *p != Path::new("-"));
    if let Some(p) = target
        && gongkai::atomic::same_file(file, p)
    {
        anyhow::bail!(
            "{}: the output is the input; refusing to write over it",
            gongkai::input::shown(p)
        );
    }
    let out = target
        .map(|p| {
            gongkai::atomic::AtomicFile::create(p)
                .with_context(|| format!("{}: cannot write", gongkai::input::shown(p)))
        })
        .transpose()?;
    let opts = gongkai::Options {
        provenance,
        text: false,
    };
    let report = gongkai::parse_file_with(file, opts)?;
    let mut json = if compact {
        serde_json::to_vec(&report)?
    } else {
        gongkai::pretty::to_vec(&report)?
    };
    json.push(b'\n');
    match (out, target) {
        (Some(mut f), Some(p)) => f
            .write_all(&json)
            .and_then(|()| f.commit())
            .with_context(|| format!("{}: cannot write", gongkai::input::shown(p)))?,
        _ => write_stdout(&json)?,
    }
    Ok(report.malformed())
}

fn print_schema() -> anyhow::Result<()> {
    let mut json = serde_json::to_string_pretty(&gongkai::schema::report_schema())?;
    json.push('\n');
    write_stdout(json.as_bytes())
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}
