//! `gongkai series`: one agency's reports year after year
//! (`shared/spec/series.md`). Reports from batch output are grouped by
//! `meta.agency_key` and year; two reports of one agency-year are compared
//! cell by cell, and each pair of consecutive years is checked by the
//! continuity [`rules`]. Per report only its path, its template, its error
//! and filled-cell counts and the figures the rules read ([`cells`]) are
//! held; the cells of reports that share their year with another are read
//! again in a second pass (from stdin, which cannot be read twice, they
//! are held from the start).

pub mod cells;
pub mod input;
pub mod output;
pub mod rules;

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use cells::{Cells, Paths};
use input::{Lite, Origin};
use output::{Outputs, Row, Summary};
use rules::{RULES, Status};

use crate::error::Error;
use crate::meta::agency;

/// Reports gathered so far, by agency key and year.
#[derive(Debug, Default)]
pub struct Series {
    paths: Paths,
    agencies: BTreeMap<String, Agency>,
    summary: Summary,
}

#[derive(Debug)]
struct Agency {
    /// The name as the first report of the agency writes it.
    name: String,
    /// Reports of each year, in input order.
    years: BTreeMap<i32, Vec<Entry>>,
}

#[derive(Debug)]
struct Entry {
    path: String,
    template: &'static str,
    errors: usize,
    filled: usize,
    /// The figures the continuity rules read.
    figures: Cells,
    /// Every cell, for the duplicate comparison: held from the start for a
    /// report that cannot be read twice, loaded by the second pass for one
    /// whose year has another report, `None` otherwise.
    cells: Option<Cells>,
    origin: Origin,
}

/// Cells of two duplicate reports that differ, listed in the note.
const DIFFS_SHOWN: usize = 3;

impl Series {
    /// Take one report in, read from `origin`.
    pub fn add(&mut self, r: Lite, origin: Origin) {
        self.summary.reports += 1;
        let Some((key, year)) = place(&r) else {
            self.summary.unplaced += 1;
            return;
        };
        let read = Cells::from_tables(&r.tables, &mut self.paths, &rules::reads);
        let entry = Entry {
            path: r.source.path,
            template: match r.meta.template.as_deref() {
                Some("2019") => "2019",
                Some("2021") => "2021",
                Some("legacy") => "legacy",
                _ => "unknown",
            },
            errors: r
                .flags
                .iter()
                .filter(|f| f.severity.as_deref() == Some("error"))
                .count(),
            filled: read.filled,
            figures: read.cells,
            cells: (origin == Origin::Once).then(|| Cells::all(&r.tables, &mut self.paths)),
            origin,
        };
        let name = r.meta.agency.unwrap_or_else(|| key.clone());
        self.agencies
            .entry(key)
            .or_insert_with(|| Agency {
                name,
                years: BTreeMap::new(),
            })
            .years
            .entry(year)
            // Most years have one report; a Vec's first push would reserve
            // four.
            .or_insert_with(|| Vec::with_capacity(1))
            .push(entry);
    }

    /// Reports whose cells a duplicate comparison needs and that were not
    /// held: to be read again and given to [`Series::fill`].
    pub fn wanted(&self) -> HashSet<Origin> {
        self.agencies
            .values()
            .flat_map(|a| a.years.values().filter(|e| e.len() > 1).flatten())
            .filter(|e| e.cells.is_none())
            .map(|e| e.origin.clone())
            .collect()
    }

    /// All cells of a report read again from `origin`.
    pub fn fill(&mut self, r: Lite, origin: &Origin) {
        let Some((key, year)) = place(&r) else { return };
        let paths = &mut self.paths;
        let entry = self
            .agencies
            .get_mut(&key)
            .and_then(|a| a.years.get_mut(&year))
            .and_then(|es| es.iter_mut().find(|e| &e.origin == origin));
        if let Some(e) = entry {
            e.cells = Some(Cells::all(&r.tables, paths));
        }
    }

    /// Lines or files that could not be read, counted in the summary.
    pub fn unreadable(&mut self, n: u64) {
        self.summary.unreadable += n;
    }

    /// Every row, agency by agency (sorted by key) and year by year: the
    /// year's duplicate comparisons, then its checks against the next year.
    pub fn finish(mut self, emit: &mut dyn FnMut(&Row) -> io::Result<()>) -> io::Result<Summary> {
        let mut summary = std::mem::take(&mut self.summary);
        for a in self.agencies.values() {
            summary.agencies += 1;
            let years: Vec<(&i32, &Vec<Entry>)> = a.years.iter().collect();
            for (i, &(&year, entries)) in years.iter().enumerate() {
                summary.agency_years += 1;
                if entries.len() > 1 {
                    summary.duplicates += 1;
                }
                let mut rows = self.duplicates(a, year, entries);
                match years.get(i + 1) {
                    Some(&(&next, later)) if next == year + 1 => {
                        rows.extend(self.pair(a, (year, entries), (next, later)));
                    }
                    Some(&(&next, _)) => summary.gaps += (next - year - 1) as u64,
                    None => {}
                }
                for row in &rows {
                    summary.count(row);
                    emit(row)?;
                }
            }
        }
        Ok(summary)
    }

    /// The first report of the year against each other one.
    fn duplicates(&self, a: &Agency, year: i32, entries: &[Entry]) -> Vec<Row> {
        let Some((first, rest)) = entries.split_first() else {
            return Vec::new();
        };
        rest.iter()
            .map(|other| {
                let (Some(x), Some(y)) = (&first.cells, &other.cells) else {
                    return self.unread(a, year, first, other);
                };
                let diffs = differing(x, y);
                let mut shown: Vec<String> = diffs
                    .iter()
                    .take(DIFFS_SHOWN)
                    .map(|(id, x, y)| format!("{} ({x} / {y})", self.paths.name(*id)))
                    .collect();
                if diffs.len() > DIFFS_SHOWN {
                    shown.push(format!("… {} more", diffs.len() - DIFFS_SHOWN));
                }
                let mut note = format!("{} reports", entries.len());
                if !shown.is_empty() {
                    note.push_str(&format!("; differ at {}", shown.join(", ")));
                }
                let status = if diffs.is_empty() {
                    Status::Holds
                } else {
                    Status::Differs
                };
                let expected = Some(diffs.len() as f64);
                duplicate(a, year, (first, other), expected, status, note)
            })
            .collect()
    }

    /// A duplicate whose cells could not be read again (the file changed
    /// or went away between the passes).
    fn unread(&self, a: &Agency, year: i32, first: &Entry, other: &Entry) -> Row {
        let note = "a report could not be read again".into();
        duplicate(a, year, (first, other), None, Status::NotChecked, note)
    }

    /// The continuity rules between the chosen reports of two consecutive
    /// years.
    fn pair(&self, a: &Agency, from: (i32, &[Entry]), to: (i32, &[Entry])) -> Vec<Row> {
        let (Some(f), Some(t)) = (chosen(from.1), chosen(to.1)) else {
            return Vec::new();
        };
        RULES
            .iter()
            .filter(|r| r.applies(f.template, t.template))
            .map(|r| {
                let o = r.eval(&self.paths, (&f.figures, &t.figures), (from.0, to.0));
                Row {
                    agency: a.name.clone(),
                    check: r.check,
                    key: r.found.clone(),
                    year_from: from.0,
                    year_to: to.0,
                    expected: o.expected,
                    found: o.found,
                    status: o.status,
                    note: o.note,
                    path_from: f.path.clone(),
                    path_to: t.path.clone(),
                }
            })
            .collect()
    }
}

/// The agency key and year of a report, if it states both.
fn place(r: &Lite) -> Option<(String, i32)> {
    let key = r
        .meta
        .agency_key
        .clone()
        .or_else(|| r.meta.agency.as_deref().map(agency::key))
        .filter(|k| !k.is_empty())?;
    Some((key, i32::try_from(r.meta.year?).ok()?))
}

/// The report a year is checked with: fewest error flags, then most
/// filled cells, then first in input order.
fn chosen(entries: &[Entry]) -> Option<&Entry> {
    entries
        .iter()
        .enumerate()
        .min_by_key(|(i, e)| (e.errors, Reverse(e.filled), *i))
        .map(|(_, e)| e)
}

/// Cells both reports fill with different figures: `(id, a, b)`.
fn differing(a: &Cells, b: &Cells) -> Vec<(u32, f64, f64)> {
    let filled = |c: &Cells| {
        let mut v: Vec<(u32, f64)> = c.iter().filter_map(|(i, v)| Some((i, v?))).collect();
        v.sort_by_key(|p| p.0);
        v
    };
    let (a, b) = (filled(a), filled(b));
    a.iter()
        .filter_map(|&(id, x)| {
            let y = b
                .binary_search_by_key(&id, |p| p.0)
                .ok()
                .and_then(|i| b.get(i))?
                .1;
            ((x - y).abs() > 1e-9).then_some((id, x, y))
        })
        .collect()
}

/// Read `inputs`, write `series.csv` to `csv` (and `--json` to `json`),
/// return the summary. Unreadable inputs get a line on stderr each and are
/// counted; `Err` only when an output cannot be written.
pub fn run(inputs: &[PathBuf], csv: &Path, json: Option<&Path>) -> Result<Summary, Error> {
    let start = Instant::now();
    let mut outputs = Outputs::open(csv, json)?;
    let mut series = Series::default();
    let mut bad = 0u64;
    input::read(inputs, &mut |r, o| series.add(r, o), &mut |why| {
        bad += 1;
        eprintln!("gongkai: {why}");
    });
    series.unreadable(bad);
    let wanted = series.wanted();
    if !wanted.is_empty() {
        input::reread(
            inputs,
            &wanted,
            &mut |r, o| series.fill(r, &o),
            &mut |why| {
                eprintln!("gongkai: {why} (read again)");
            },
        );
    }
    let fail = |io| Error::Write {
        path: csv.to_path_buf(),
        io,
    };
    let mut summary = series.finish(&mut |row| outputs.row(row)).map_err(fail)?;
    summary.seconds = start.elapsed().as_secs_f64();
    let names = outputs.names();
    outputs.finish(&summary).map_err(|io| Error::Write {
        path: PathBuf::from(names),
        io,
    })?;
    Ok(summary)
}

/// The row comparing two reports of one agency's year.
fn duplicate(
    a: &Agency,
    year: i32,
    (first, other): (&Entry, &Entry),
    expected: Option<f64>,
    status: Status,
    note: String,
) -> Row {
    Row {
        agency: a.name.clone(),
        check: "duplicate",
        key: String::new(),
        year_from: year,
        year_to: year,
        expected,
        found: None,
        status,
        note,
        path_from: first.path.clone(),
        path_to: other.path.clone(),
    }
}
