//! `series.csv` and `--json`, exactly as `shared/spec/series.md` lays them
//! out, written row by row as the checks produce them (under a temporary
//! name, renamed when complete), and the summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

use serde::{Serialize, Serializer};

use super::rules::Status;
use crate::batch::sink::{BOM, Jsonl, record};
use crate::error::Error;

/// One check of one key between two reports.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub agency: String,
    pub check: &'static str,
    /// Dotted path of the found cell; empty for `duplicate`.
    pub key: String,
    pub year_from: i32,
    pub year_to: i32,
    #[serde(serialize_with = "number")]
    pub expected: Option<f64>,
    #[serde(serialize_with = "number")]
    pub found: Option<f64>,
    pub status: Status,
    pub note: String,
    pub path_from: String,
    pub path_to: String,
}

const HEADER: [&str; 11] = [
    "agency",
    "check",
    "key",
    "year_from",
    "year_to",
    "expected",
    "found",
    "status",
    "note",
    "path_from",
    "path_to",
];

/// Whole figures print without a point, as in the reports' JSON.
fn number<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if whole(*x) => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
        None => s.serialize_none(),
    }
}

fn whole(x: f64) -> bool {
    x.fract() == 0.0 && x.abs() < 9e15
}

fn text(v: Option<f64>) -> String {
    match v {
        Some(x) if whole(x) => (x as i64).to_string(),
        Some(x) => x.to_string(),
        None => String::new(),
    }
}

impl Row {
    fn csv(&self) -> Vec<String> {
        vec![
            self.agency.clone(),
            self.check.to_string(),
            self.key.clone(),
            self.year_from.to_string(),
            self.year_to.to_string(),
            text(self.expected),
            text(self.found),
            self.status.as_str().to_string(),
            self.note.clone(),
            self.path_from.clone(),
            self.path_to.clone(),
        ]
    }
}

/// The account of a series run.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Reports read (placed or not).
    pub reports: u64,
    /// Lines or files that were no report's JSON, or could not be read.
    pub unreadable: u64,
    /// Reports with no agency or no year.
    pub unplaced: u64,
    pub agencies: u64,
    /// Distinct (agency, year) pairs.
    pub agency_years: u64,
    /// Agency-years with more than one report.
    pub duplicates: u64,
    /// Years with no report between two years that have one.
    pub gaps: u64,
    /// Rows by check, then by status.
    pub rows: BTreeMap<&'static str, BTreeMap<&'static str, u64>>,
    pub seconds: f64,
}

impl Summary {
    pub fn count(&mut self, row: &Row) {
        *self
            .rows
            .entry(row.check)
            .or_default()
            .entry(row.status.as_str())
            .or_default() += 1;
    }

    /// For people: a few short lines, like batch's.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "gongkai series: {} reports in {:.2} s · {} agencies · {} agency-years · unplaced {} · unreadable {} · duplicated years {} · gap years {}",
            self.reports,
            self.seconds,
            self.agencies,
            self.agency_years,
            self.unplaced,
            self.unreadable,
            self.duplicates,
            self.gaps
        );
        for (check, by) in &self.rows {
            let parts: Vec<String> = by.iter().map(|(st, n)| format!("{st} {n}")).collect();
            let _ = writeln!(s, "  {check:<16} {}", parts.join(" · "));
        }
        s
    }
}

/// Where the rows go.
pub struct Outputs {
    csv: Jsonl,
    json: Option<Json>,
}

/// The `--json` file: rows written one per line as they come; the one
/// before is held back to know whether it takes a comma.
struct Json {
    out: Jsonl,
    pending: Option<String>,
}

impl Outputs {
    pub fn open(csv: &Path, json: Option<&Path>) -> Result<Outputs, Error> {
        let mut out = Outputs {
            csv: Jsonl::open(csv)?,
            json: json
                .map(|p| Jsonl::open(p).map(|out| Json { out, pending: None }))
                .transpose()?,
        };
        let mut head = BOM.to_vec();
        head.extend(record(&[HEADER]));
        out.csv_line(head)
            .and_then(|()| out.json_line(|j| j.out.write("{\"rows\": [")))
            .map_err(|io| Error::Write {
                path: csv.to_path_buf(),
                io,
            })?;
        Ok(out)
    }

    pub fn row(&mut self, row: &Row) -> io::Result<()> {
        self.csv_line(record(&[row.csv()]))?;
        let line = serde_json::to_string(row).map_err(io::Error::other)?;
        self.json_line(|j| match j.pending.replace(line) {
            Some(before) => j.out.write(&format!("{before},")),
            None => Ok(()),
        })
    }

    /// Close the JSON with the summary, and rename both files into place.
    pub fn finish(mut self, summary: &Summary) -> io::Result<()> {
        let tail = serde_json::to_string_pretty(summary).map_err(io::Error::other)?;
        self.json_line(|j| {
            if let Some(last) = j.pending.take() {
                j.out.write(&last)?;
            }
            j.out.write(&format!("],\n\"summary\": {tail}\n}}"))
        })?;
        if let Some(j) = self.json {
            j.out.finish()?;
        }
        self.csv.finish()
    }

    /// Names of the outputs, for error lines.
    pub fn names(&self) -> String {
        match &self.json {
            Some(j) => format!("{} or {}", self.csv.name(), j.out.name()),
            None => self.csv.name().to_string(),
        }
    }

    fn csv_line(&mut self, mut bytes: Vec<u8>) -> io::Result<()> {
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
        }
        self.csv.write(&String::from_utf8_lossy(&bytes))
    }

    fn json_line(&mut self, f: impl FnOnce(&mut Json) -> io::Result<()>) -> io::Result<()> {
        self.json.as_mut().map_or(Ok(()), f)
    }
}
