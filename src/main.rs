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
    }
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
        Some(p) => write_atomic(p, json.as_bytes())
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

/// Temp file in the same folder then rename, so a killed run never leaves
/// half a file; anything that is not a regular file is written directly
/// (renaming over `/dev/null` or a pipe would replace it).
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let regular = std::fs::metadata(path).map(|m| m.is_file()).unwrap_or(true);
    if !regular {
        return std::fs::write(path, bytes);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
