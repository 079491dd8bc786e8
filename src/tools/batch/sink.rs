//! The batch outputs that gather many reports into one file: JSON Lines and
//! the three CSV tables. Both are written in input order under a temporary
//! name and renamed when the batch ends.

use std::io::{self, BufWriter, Stdout, Write};
use std::path::Path;

use super::{Outcome, Status};
use crate::atomic::AtomicFile;
use crate::error::Error;
use crate::flags::Severity;
use crate::report::Report;
use crate::template::TableKey;
use serde_json::{Map, Value};

/// One compact report per line, to stdout (`-`) or a file.
pub enum Jsonl {
    Stdout {
        out: BufWriter<Stdout>,
        /// The reader went away (`| head`): its choice, not a failure.
        closed: bool,
    },
    File(AtomicFile, String),
}

impl Jsonl {
    pub fn open(path: &Path) -> Result<Jsonl, Error> {
        if path.as_os_str() == "-" {
            return Ok(Jsonl::Stdout {
                out: BufWriter::with_capacity(64 * 1024, io::stdout()),
                closed: false,
            });
        }
        AtomicFile::create(path)
            .map(|f| Jsonl::File(f, crate::input::shown(path)))
            .map_err(|io| Error::Write {
                path: path.to_path_buf(),
                io,
            })
    }

    /// Standard output's reader went away.
    pub fn closed(&self) -> bool {
        matches!(self, Jsonl::Stdout { closed: true, .. })
    }

    pub fn name(&self) -> &str {
        match self {
            Jsonl::Stdout { .. } => "stdout",
            Jsonl::File(_, name) => name,
        }
    }

    pub fn write(&mut self, line: &str) -> io::Result<()> {
        match self {
            Jsonl::Stdout { closed: true, .. } => Ok(()),
            Jsonl::Stdout { out, closed } => {
                match out
                    .write_all(line.as_bytes())
                    .and_then(|()| out.write_all(b"\n"))
                {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                        *closed = true;
                        Ok(())
                    }
                    r => r,
                }
            }
            Jsonl::File(f, _) => {
                f.write_all(line.as_bytes())?;
                f.write_all(b"\n")
            }
        }
    }

    pub fn finish(self) -> io::Result<()> {
        match self {
            Jsonl::Stdout { mut out, closed } => match out.flush() {
                Err(e) if closed || e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                r => r,
            },
            Jsonl::File(f, _) => f.commit(),
        }
    }
}

pub(crate) const BOM: &[u8] = "\u{feff}".as_bytes();

const REPORTS: &[&str] = &[
    "path",
    "status",
    "agency",
    "year",
    "template",
    "format",
    "encoding",
    "errors",
    "warnings",
    "infos",
    "malformed",
    "problem",
];
const CELLS: &[&str] = &[
    "path", "table", "block", "row", "column", "value", "line", "source",
];
const FLAGS: &[&str] = &[
    "path", "code", "severity", "table", "row", "column", "message",
];

/// `reports.csv`, `cells.csv`, `flags.csv`: UTF-8 with a BOM, so Excel reads
/// the Chinese right.
pub struct Csv {
    files: [AtomicFile; 3],
    dir: String,
}

impl Csv {
    /// The three files, in the order they are written.
    pub const NAMES: [&str; 3] = ["reports.csv", "cells.csv", "flags.csv"];

    pub fn open(dir: &Path) -> Result<Csv, Error> {
        let fail = |io| Error::Write {
            path: dir.to_path_buf(),
            io,
        };
        std::fs::create_dir_all(dir).map_err(fail)?;
        let open = |name: &str, header: &[&str]| -> io::Result<AtomicFile> {
            let mut f = AtomicFile::create(&dir.join(name))?;
            f.write_all(BOM)?;
            f.write_all(&record(&[header]))?;
            Ok(f)
        };
        Ok(Csv {
            files: [
                open(Csv::NAMES[0], REPORTS).map_err(fail)?,
                open(Csv::NAMES[1], CELLS).map_err(fail)?,
                open(Csv::NAMES[2], FLAGS).map_err(fail)?,
            ],
            dir: crate::input::shown(dir),
        })
    }

    pub fn name(&self) -> &str {
        &self.dir
    }

    pub fn write(&mut self, rows: &CsvRows) -> io::Result<()> {
        let [r, c, f] = &mut self.files;
        r.write_all(&rows.reports)?;
        c.write_all(&rows.cells)?;
        f.write_all(&rows.flags)
    }

    pub fn finish(self) -> io::Result<()> {
        let [r, c, f] = self.files;
        r.commit()?;
        c.commit()?;
        f.commit()
    }
}

/// One report's lines of the three CSV files, encoded on the worker thread.
#[derive(Debug, Default)]
pub struct CsvRows {
    reports: Vec<u8>,
    cells: Vec<u8>,
    flags: Vec<u8>,
}

impl CsvRows {
    /// Every input gets a line in `reports.csv`, parsed or not, so the file
    /// accounts for the whole batch.
    /// `provenance`: the report's, for the `line` and `source` of each cell.
    pub fn new(
        o: &Outcome,
        report: Option<&Report>,
        provenance: Option<&Map<String, Value>>,
    ) -> CsvRows {
        let path = text(o.entry.shown());
        let (status, problem) = match &o.status {
            Status::Parsed(_) => ("parsed", String::new()),
            Status::Skipped => ("skipped", String::new()),
            Status::NoText(why) => ("no_text", why.clone()),
            Status::Unreadable(why) => ("unreadable", why.clone()),
            Status::Crashed(why) => ("crashed", why.clone()),
            Status::Special(what) => ("special", format!("{what}, not read")),
        };
        let Some(r) = report else {
            let mut line = vec![path.clone(), status.into()];
            line.extend(std::iter::repeat_n(String::new(), REPORTS.len() - 3));
            line.push(text(problem));
            return CsvRows {
                reports: record(&[line]),
                ..CsvRows::default()
            };
        };
        CsvRows {
            reports: record(&[report_line(o, r, &path)]),
            cells: record(&cell_lines(r, provenance, &path)),
            flags: record(&flag_lines(r, &path)),
        }
    }
}

fn opt(v: Option<&str>) -> String {
    v.unwrap_or_default().to_string()
}

/// The line of a parsed report in `reports.csv`.
fn report_line(o: &Outcome, r: &Report, path: &str) -> [String; 12] {
    let count = |s: Severity| {
        r.flags
            .iter()
            .filter(|f| f.severity == s)
            .count()
            .to_string()
    };
    [
        path.to_string(),
        "parsed".into(),
        text(opt(r.meta.agency.as_deref())),
        r.meta.year.map(|y| y.to_string()).unwrap_or_default(),
        r.meta.template.into(),
        r.source.format.into(),
        r.source.encoding.into(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
        if r.malformed() { "yes" } else { "no" }.into(),
        text(o.write_error.clone().unwrap_or_default()),
    ]
}

/// A report's lines in `cells.csv`, with each value's `line` and `source`
/// from its provenance.
fn cell_lines(r: &Report, provenance: Option<&Map<String, Value>>, path: &str) -> Vec<[String; 8]> {
    let tables = r.tables.to_value();
    crate::cells::cells(&tables, provenance)
        .into_iter()
        .map(|c| {
            let value = if c.value.is_null() {
                String::new()
            } else {
                c.value.to_string()
            };
            [
                path.to_string(),
                c.table.into(),
                c.block.into(),
                c.row.into(),
                c.column.into(),
                value,
                c.line.map(|l| l.to_string()).unwrap_or_default(),
                text(c.source.unwrap_or_default().to_string()),
            ]
        })
        .collect()
}

/// A report's lines in `flags.csv`.
fn flag_lines(r: &Report, path: &str) -> Vec<[String; 7]> {
    r.flags
        .iter()
        .map(|f| {
            [
                path.to_string(),
                f.code.as_str().into(),
                f.severity.as_str().into(),
                opt(f.table.map(TableKey::as_str)),
                text(opt(f.row.as_deref())),
                opt(f.column),
                text(f.message.clone()),
            ]
        })
        .collect()
}

/// A text field for a spreadsheet: one that begins with `=`, `+`, `-`, `@`,
/// a tab or a carriage return would be run as a formula by Excel (CSV
/// injection: an agency read as `=SUM(1+1)…`), so it gets a leading `'`,
/// which Excel shows as text. Numbers are written as numbers, never through
/// here, so a negative count stays `-4`.
fn text(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

/// CSV lines (RFC 4180 quoting, `\n` ends) for records of any string type.
pub(crate) fn record<R, S>(rows: &[R]) -> Vec<u8>
where
    R: AsRef<[S]>,
    S: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(row.as_ref().iter().map(|s| s.as_ref()));
    }
    w.into_inner().unwrap_or_default()
}
