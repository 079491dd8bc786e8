//! The account of a batch: every input counted once, by what became of it,
//! plus templates, years, the flag codes by frequency and the throughput.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use super::{Outcome, Status};
use crate::flags::{Code, Severity};

/// Inputs by what became of them; `seen` is the sum of the others.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Files {
    pub seen: u64,
    pub parsed: u64,
    pub skipped_unchanged: u64,
    /// Read but empty or binary.
    pub no_text: u64,
    pub unreadable: u64,
    pub crashed: u64,
    /// FIFOs, sockets and devices met in a walk: not opened.
    pub special: u64,
}

/// Parsed reports by verdict; `clean + warnings + malformed = parsed`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Reports {
    /// At least one error flag: the figures are not a complete, consistent
    /// set (a missing table, a broken rule, values that cannot be placed).
    pub malformed: u64,
    /// Among the malformed: pages that hold no report at all.
    pub not_a_report: u64,
    /// Warning flags but no error: values or labels to check.
    pub warnings: u64,
    /// No error and no warning flag (info flags only say what was done).
    pub clean: u64,
}

/// One malformed report and the first reason.
#[derive(Debug, Clone, Serialize)]
pub struct Malformed {
    pub path: String,
    /// `CODE: message` of its first error flag.
    pub first_error: String,
}

/// At most this many malformed files are listed in the summary (memory
/// stays bounded on a million files); `reports.csv` has every one.
pub const MALFORMED_LISTED: usize = 10_000;

/// A batch stopped by SIGINT or SIGTERM.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Listed {
    /// The files the inputs hold, as far as they were counted.
    pub files: u64,
    /// False when counting stopped early (a list on stdin, a huge tree).
    pub exact: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlagCount {
    pub code: &'static str,
    pub severity: Severity,
    /// Occurrences over the batch.
    pub count: u64,
    /// Reports carrying it at least once.
    pub reports: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub files: Files,
    pub reports: Reports,
    /// Outputs that could not be written: per-report JSON, or a line of the
    /// JSONL/CSV outputs.
    pub write_errors: u64,
    pub by_template: BTreeMap<String, u64>,
    pub by_year: BTreeMap<String, u64>,
    /// Most frequent first.
    pub flags: Vec<FlagCount>,
    /// The malformed reports in input order (the first
    /// [`MALFORMED_LISTED`]).
    pub malformed_files: Vec<Malformed>,
    pub bytes: u64,
    pub seconds: f64,
    pub reports_per_second: f64,
    pub mb_per_second: f64,
    pub jobs: usize,
    /// Set when a signal stopped the batch: how many files there were.
    pub interrupted: Option<Listed>,
}

impl Summary {
    /// Something could not be read or written (exit code 2).
    pub fn failed(&self) -> bool {
        self.files.unreadable + self.files.crashed + self.write_errors > 0
    }

    /// The summary for people, several short lines.
    pub fn render(&self) -> String {
        let f = &self.files;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "gongkai batch: {} files, {:.1} MB in {:.2} s ({:.0} reports/s, {:.1} MB/s, {} threads)",
            f.seen,
            self.bytes as f64 / 1e6,
            self.seconds,
            self.reports_per_second,
            self.mb_per_second,
            self.jobs
        );
        let r = &self.reports;
        let _ = writeln!(
            s,
            "  parsed {}: clean {} · warnings {} · malformed {} (of which not a report {})",
            f.parsed, r.clean, r.warnings, r.malformed, r.not_a_report
        );
        let _ = writeln!(
            s,
            "  skipped unchanged {} · empty or binary {} · not a regular file {} · unreadable {} · crashed {} · write errors {}",
            f.skipped_unchanged, f.no_text, f.special, f.unreadable, f.crashed, self.write_errors
        );
        if f.parsed > 0 {
            let _ = writeln!(
                s,
                "  (clean: no error or warning flag; warnings: values or labels to check, no error; malformed: an error flag, the figures are not a complete, consistent set)"
            );
        }
        let join = |m: &BTreeMap<String, u64>| {
            m.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(" · ")
        };
        if !self.by_template.is_empty() {
            let _ = writeln!(s, "  templates: {}", join(&self.by_template));
            let _ = writeln!(s, "  years: {}", join(&self.by_year));
        }
        for fc in self.flags.iter().take(12) {
            let _ = writeln!(
                s,
                "  {:<24} {:<7} {:>7} × in {} reports",
                fc.code,
                fc.severity.as_str(),
                fc.count,
                fc.reports
            );
        }
        if self.flags.len() > 12 {
            let _ = writeln!(
                s,
                "  … {} more flag codes (see --summary)",
                self.flags.len() - 12
            );
        }
        s
    }
}

/// Counts as outcomes arrive.
#[derive(Debug, Default)]
pub struct Tally {
    files: Files,
    reports: Reports,
    write_errors: u64,
    sink_errors: Vec<String>,
    by_template: BTreeMap<String, u64>,
    by_year: BTreeMap<String, u64>,
    flags: HashMap<Code, (u64, u64)>,
    malformed_files: Vec<Malformed>,
    bytes: u64,
}

impl Tally {
    pub fn add(&mut self, o: &Outcome) {
        self.files.seen += 1;
        self.bytes += o.bytes;
        self.write_errors += u64::from(o.write_error.is_some());
        match &o.status {
            Status::Parsed(d) => {
                self.files.parsed += 1;
                *self.by_template.entry(d.template.to_string()).or_default() += 1;
                let year = d.year.map_or("unknown".to_string(), |y| y.to_string());
                *self.by_year.entry(year).or_default() += 1;
                self.reports.malformed += u64::from(d.malformed);
                self.reports.not_a_report += u64::from(d.not_report);
                let quiet = d.codes.iter().all(|c| c.severity() == Severity::Info);
                self.reports.clean += u64::from(quiet);
                self.reports.warnings += u64::from(!quiet && !d.malformed);
                if let Some(first) = &d.first_error
                    && self.malformed_files.len() < MALFORMED_LISTED
                {
                    self.malformed_files.push(Malformed {
                        path: o.entry.shown(),
                        first_error: first.clone(),
                    });
                }
                let mut seen: Vec<Code> = Vec::new();
                for &c in &d.codes {
                    let e = self.flags.entry(c).or_default();
                    e.0 += 1;
                    if !seen.contains(&c) {
                        seen.push(c);
                        e.1 += 1;
                    }
                }
            }
            Status::Skipped => self.files.skipped_unchanged += 1,
            Status::NoText(_) => self.files.no_text += 1,
            Status::Unreadable(_) => self.files.unreadable += 1,
            Status::Crashed(_) => self.files.crashed += 1,
            Status::Special(_) => self.files.special += 1,
        }
    }

    /// A shared output (JSONL, CSV) failed; counted once per failure.
    pub fn sink_error(&mut self, message: String) {
        if !self.sink_errors.contains(&message) {
            eprintln!("gongkai: {message}");
            self.sink_errors.push(message);
        }
        self.write_errors += 1;
    }

    pub fn finish(self, elapsed: Duration, jobs: usize) -> Summary {
        let seconds = elapsed.as_secs_f64().max(1e-9);
        let mut flags: Vec<FlagCount> = self
            .flags
            .into_iter()
            .map(|(code, (count, reports))| FlagCount {
                code: code.as_str(),
                severity: code.severity(),
                count,
                reports,
            })
            .collect();
        flags.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
        Summary {
            reports_per_second: self.files.parsed as f64 / seconds,
            mb_per_second: self.bytes as f64 / 1e6 / seconds,
            files: self.files,
            reports: self.reports,
            write_errors: self.write_errors,
            by_template: self.by_template,
            by_year: self.by_year,
            flags,
            malformed_files: self.malformed_files,
            bytes: self.bytes,
            seconds,
            jobs,
            interrupted: None,
        }
    }
}
