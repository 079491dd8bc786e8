//! What the parser read against the truth: every differing cell must lie in
//! a table (and row) that carries a flag; a differing *number* needs an
//! error flag. Anything else is a silent error, the worst bug there is.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::flags::{Flag, Severity};
use crate::report::Report;
use crate::template::TableKey;

/// Where damage was done, and how precisely a flag must point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub table: TableKey,
    /// The row path the damage touched, when the parser can know it: the
    /// flag must name this row (or its block, or the whole table). For
    /// [`Demand::ExactWithWarning`], the block whose columns moved.
    pub row: Option<String>,
    pub demand: Demand,
}

impl Place {
    pub fn new(table: TableKey, row: Option<String>) -> Place {
        Place {
            table,
            row,
            demand: Demand::Flagged,
        }
    }
}

/// What the parser owes for one piece of damage, beyond never giving a
/// wrong number without an error flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Demand {
    /// A flag names the damaged row, where it differs.
    Flagged,
    /// Columns reordered together with their header: the table (or block)
    /// is read exactly, with a [`COLUMNS_REORDERED`] warning on it.
    ExactWithWarning,
    /// Values reordered under an unchanged header, where a row rule (A2,
    /// A4) sees it: every row that differs has an error flag naming it.
    RuleNamesRow,
}

impl Demand {
    pub fn as_str(self) -> &'static str {
        match self {
            Demand::Flagged => "flagged",
            Demand::ExactWithWarning => "exact-with-warning",
            Demand::RuleNamesRow => "rule-names-row",
        }
    }
}

/// The flag code a table whose columns follow another order than the
/// template's must carry (a warning).
pub const COLUMNS_REORDERED: &str = "COLUMNS_REORDERED";

/// The damage an `expected.json` records (`damage`: op, table, row, demand;
/// no demand is [`Demand::Flagged`]).
pub fn places(expected: &Value) -> Vec<Place> {
    expected["damage"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| {
            Some(Place {
                table: TableKey::from_key(d["table"].as_str()?)?,
                row: d["row"].as_str().map(String::from),
                demand: match d["demand"].as_str() {
                    Some("exact-with-warning") => Demand::ExactWithWarning,
                    Some("rule-names-row") => Demand::RuleNamesRow,
                    _ => Demand::Flagged,
                },
            })
        })
        .collect()
}

#[derive(Debug, Default, Clone)]
pub struct Verdict {
    pub cells: usize,
    pub right: usize,
    /// Wrong or missing, and flagged as the rule demands.
    pub flagged: usize,
    /// Wrong or missing with no flag that covers it.
    pub silent: Vec<String>,
    /// The damaged row differs but no flag names it.
    pub unnamed: Vec<String>,
    /// What a [`Demand`] asks beyond that and the parser did not give.
    pub unmet: Vec<String>,
    pub error_flags: usize,
}

/// Compare `report` with `truth` (a `truth.json`-shaped value). `places` are
/// the rows damage touched (empty for an undamaged report).
pub fn verify(truth: &Value, report: &Report, places: &[Place]) -> Verdict {
    let mut v = Verdict {
        error_flags: report
            .flags
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count(),
        ..Verdict::default()
    };
    let Some(tables) = truth["tables"].as_object() else {
        return v;
    };
    let read = report.tables.to_value();
    for (table, t) in tables {
        let got = read.get(table);
        cells(t, got, &mut Vec::new(), &mut |path, want, got| {
            v.cells += 1;
            if same(want, got) {
                v.right += 1;
                return;
            }
            let row = path
                .get(..path.len().saturating_sub(1))
                .unwrap_or_default()
                .join(".");
            let column = path.last().copied().unwrap_or_default();
            let need = if got.is_some_and(|g| !g.is_null()) {
                Severity::Error
            } else {
                Severity::Warning
            };
            let where_ = format!(
                "{table}.{row}.{column}: want {want}, got {}",
                got.map_or("absent".into(), |g| g.to_string())
            );
            if report.flags.iter().any(|f| covers(f, table, &row, need)) {
                v.flagged += 1;
            } else {
                v.silent.push(where_.clone());
            }
            v.demands(report, places, table, &row, &where_);
        });
    }
    v.reorders_warned(report, places);
    v
}

impl Verdict {
    /// A wrong cell `where_` of `table`'s `row` against what the damage at
    /// `places` demands: a flag naming the row, or no wrong cell at all.
    fn demands(&mut self, report: &Report, places: &[Place], table: &str, row: &str, where_: &str) {
        for p in places.iter().filter(|p| p.table.as_str() == table) {
            match p.demand {
                Demand::Flagged => {
                    if p.row.as_deref() == Some(row)
                        && !report.flags.iter().any(|f| names(f, table, row))
                    {
                        self.unnamed.push(where_.to_string());
                    }
                }
                Demand::RuleNamesRow => {
                    if !report
                        .flags
                        .iter()
                        .any(|f| f.severity == Severity::Error && names(f, table, row))
                    {
                        self.unnamed.push(where_.to_string());
                    }
                }
                Demand::ExactWithWarning => {
                    if in_block(p, row) {
                        self.unmet.push(format!(
                            "{where_} (columns reordered with their header: read exactly)"
                        ));
                    }
                }
            }
        }
    }

    /// Columns reordered with their header are read exactly, and warned of.
    fn reorders_warned(&mut self, report: &Report, places: &[Place]) {
        for p in places
            .iter()
            .filter(|p| p.demand == Demand::ExactWithWarning)
        {
            let warned = report.flags.iter().any(|f| {
                f.code.as_str() == COLUMNS_REORDERED
                    && f.table == Some(p.table)
                    && p.row
                        .as_deref()
                        .is_none_or(|b| names(f, p.table.as_str(), b))
            });
            if !warned {
                self.unmet.push(format!(
                    "{}{}: no {COLUMNS_REORDERED} warning",
                    p.table,
                    p.row
                        .as_deref()
                        .map(|b| format!(".{b}"))
                        .unwrap_or_default()
                ));
            }
        }
    }
}

/// The row lies in the place's block (or the place is the whole table).
fn in_block(p: &Place, row: &str) -> bool {
    p.row
        .as_deref()
        .is_none_or(|b| row == b || row.strip_prefix(b).is_some_and(|r| r.starts_with('.')))
}

fn same(want: &Value, got: Option<&Value>) -> bool {
    match (want, got) {
        (Value::Null, Some(Value::Null)) => true,
        (Value::Number(a), Some(Value::Number(b))) => {
            matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if (x - y).abs() < 1e-9)
        }
        _ => false,
    }
}

/// Walk the truth's leaves beside the same path in the output.
fn cells<'a>(
    want: &'a Value,
    got: Option<&'a Value>,
    path: &mut Vec<&'a str>,
    f: &mut impl FnMut(&[&'a str], &'a Value, Option<&'a Value>),
) {
    match want {
        Value::Object(m) => {
            for (k, w) in m {
                path.push(k);
                cells(w, got.and_then(|g| g.get(k)), path, f);
                path.pop();
            }
        }
        leaf => f(path, leaf, got),
    }
}

/// A flag on this table that reaches this row (or the whole table, or a
/// rule over rows), at least as severe as `need`.
fn covers(f: &Flag, table: &str, row: &str, need: Severity) -> bool {
    // An error about the whole report (NOT_A_REPORT) distrusts every table;
    // an unknown template explains rows that are absent.
    let whole = f.table.is_none() && f.severity == Severity::Error;
    let template = need == Severity::Warning
        && matches!(
            f.code,
            crate::flags::Code::TEMPLATE_UNKNOWN | crate::flags::Code::TEMPLATE_MIXED
        );
    whole
        || template
        || (f.table.map(TableKey::as_str) == Some(table)
            && f.severity >= need
            && (f.row.is_none() || names(f, table, row) || rule(f)))
}

/// A flag whose row is this row, its block, or an expression over rows
/// that includes it (`new_received+carried_over`).
fn names(f: &Flag, table: &str, row: &str) -> bool {
    if f.table.is_none() && f.severity == Severity::Error {
        return true; // the whole report is distrusted
    }
    if matches!(
        f.code,
        crate::flags::Code::TEMPLATE_UNKNOWN | crate::flags::Code::TEMPLATE_MIXED
    ) {
        return true; // rows of the other template cannot be found
    }
    f.table.map(TableKey::as_str) == Some(table)
        && match f.row.as_deref() {
            None => true,
            Some(r) => {
                r == row
                    || row
                        .strip_prefix(r)
                        .is_some_and(|rest| rest.starts_with('.'))
                    || r.split(['+', ',', '=', ' '])
                        .any(|part| part == row || row.ends_with(&format!(".{part}")))
            }
        }
}

/// Arithmetic flags implicate every row of their rule.
fn rule(f: &Flag) -> bool {
    matches!(
        f.code,
        crate::flags::Code::RULE_BROKEN | crate::flags::Code::RULE_UNCHECKED_BLANKS
    )
}

/// One generated report through damage, the parser and [`verify`].
#[derive(Debug)]
pub struct Case {
    pub seed: u64,
    pub layout: String,
    /// The layout's format and shape words ([`super::Options::words`]).
    pub words: Vec<&'static str>,
    pub ops: Vec<super::damage::Op>,
    pub verdict: Verdict,
}

impl Case {
    /// Every truth cell read right and no error flag.
    pub fn exact(&self) -> bool {
        self.verdict.right == self.verdict.cells && self.verdict.error_flags == 0
    }
}

/// Report `seed` drawn among `layouts`, damaged when `damage` (see
/// [`case_in`]), parsed and verified.
pub fn run_case(seed: u64, damage: bool, layouts: super::Layouts) -> Case {
    let (model, bytes, done) = case_in(seed, damage, layouts);
    check(seed, &model, &bytes, &done)
}

/// Parse a generated case and hold it to what its damage (or the lack of
/// it) demands.
fn check(seed: u64, model: &super::Model, bytes: &[u8], done: &[super::damage::Damage]) -> Case {
    let report = crate::parse_bytes(bytes, "synthetic");
    let places: Vec<Place> = done.iter().filter_map(|d| d.place.clone()).collect();
    let mut verdict = verify(&model.truth, &report, &places);
    if done.is_empty() {
        undamaged(&model.options, &mut verdict);
    }
    Case {
        seed,
        layout: model.options.layout_name(),
        words: model.options.words(),
        ops: done.iter().map(|d| d.op).collect(),
        verdict,
    }
}

/// An undamaged report has no error flag, and every cell is read right,
/// except where digits run together: there a row several splits fit stays
/// `null` with a warning (which [`verify`] has checked).
fn undamaged(o: &super::Options, v: &mut Verdict) {
    let run_together = o.format == super::Format::Text(super::TextStyle::RunTogether);
    if v.error_flags > 0 {
        v.unmet
            .push(format!("undamaged, but {} error flags", v.error_flags));
    } else if v.right != v.cells && !run_together {
        v.unmet.push(format!(
            "undamaged, but {} of {} cells right",
            v.right, v.cells
        ));
    }
}

/// The model, bytes and damage of case `seed`, without parsing it.
pub fn case(seed: u64, damage: bool) -> (super::Model, Vec<u8>, Vec<super::damage::Damage>) {
    case_in(seed, damage, super::Layouts::All)
}

/// [`case`] among `layouts`. The first operator cycles over the original
/// ones with the seed; with [`super::Layouts::All`], one report in eight
/// takes a column operator instead (drawn from the second stream, so the
/// others replay).
pub fn case_in(
    seed: u64,
    damage: bool,
    layouts: super::Layouts,
) -> (super::Model, Vec<u8>, Vec<super::damage::Damage>) {
    use super::damage::{Op, damaged};
    let (mut rng, mut second) = super::streams(seed);
    let options = super::Options::draw(&mut rng, &mut second, layouts);
    let model = super::generate_with(&mut rng, options);
    if !damage {
        let bytes = model.bytes();
        return (model, bytes, Vec::new());
    }
    let mut first = Op::ORIGINAL[(seed % Op::ORIGINAL.len() as u64) as usize];
    if layouts == super::Layouts::All && second.chance(12) {
        first = *second.pick(Op::COLUMN);
    }
    // A swap, a changed digit or reordered columns show only through the
    // arithmetic or the header; damage that also removes rows or bytes
    // would take that evidence away, so they keep company with layout
    // noise only.
    let company: &[Op] = if first.needs_evidence() {
        &[
            Op::PageNumber,
            Op::RepeatHeader,
            Op::HtmlNoise,
            Op::DeleteHeading,
        ]
    } else {
        Op::ORIGINAL
    };
    let mut ops = vec![first];
    for _ in 0..[0, 0, 0, 0, 1, 2][rng.below(6)] {
        let op = *rng.pick(company);
        // Two cell-count changes in one row can cancel out (a dropped cell
        // and a split one): that is other data, not detectable damage.
        let counting = |o: &Op| {
            matches!(
                o,
                Op::DropCell | Op::DuplicateCell | Op::SplitNumber | Op::MergeCells
            )
        };
        let clash = op.needs_evidence() || (counting(&op) && ops.iter().any(counting));
        if !clash || company.len() < Op::ORIGINAL.len() {
            ops.push(op);
        }
    }
    let (bytes, done) = damaged(&model, &mut rng, &ops);
    (model, bytes, done)
}

/// Counts over many cases, by operator and by layout word.
#[derive(Debug, Default)]
pub struct Tally {
    pub reports: usize,
    pub exact: usize,
    pub cells: usize,
    pub right: usize,
    pub flagged: usize,
    /// `(seed, what)` of every silent error, every damaged row no flag
    /// names and every demand not met.
    pub failures: Vec<(u64, String)>,
    /// Per operator, then per layout word: applied, still exact, failing.
    pub by_op: BTreeMap<&'static str, [usize; 3]>,
    pub by_word: BTreeMap<&'static str, [usize; 3]>,
}

impl Tally {
    pub fn add(&mut self, c: &Case) {
        self.reports += 1;
        self.exact += usize::from(c.exact());
        self.cells += c.verdict.cells;
        self.right += c.verdict.right;
        self.flagged += c.verdict.flagged;
        let v = &c.verdict;
        for (kind, list) in [
            ("silent", &v.silent),
            ("damaged row not named by a flag:", &v.unnamed),
            ("demand not met:", &v.unmet),
        ] {
            for s in list {
                self.failures
                    .push((c.seed, format!("{} {:?}: {kind} {s}", c.layout, c.ops)));
            }
        }
        let ok = v.silent.is_empty() && v.unnamed.is_empty() && v.unmet.is_empty();
        let count = |map: &mut BTreeMap<&'static str, [usize; 3]>, key| {
            let e = map.entry(key).or_default();
            e[0] += 1;
            e[1] += usize::from(c.exact());
            e[2] += usize::from(!ok);
        };
        for op in &c.ops {
            count(&mut self.by_op, op.name());
        }
        for w in &c.words {
            count(&mut self.by_word, w);
        }
    }

    pub fn merge(mut self, other: Tally) -> Tally {
        self.reports += other.reports;
        self.exact += other.exact;
        self.cells += other.cells;
        self.right += other.right;
        self.flagged += other.flagged;
        self.failures.extend(other.failures);
        for (mine, theirs) in [
            (&mut self.by_op, other.by_op),
            (&mut self.by_word, other.by_word),
        ] {
            for (k, v) in theirs {
                let e = mine.entry(k).or_default();
                for i in 0..3 {
                    e[i] += v[i];
                }
            }
        }
        self
    }

    /// Run seeds `from..to` among `layouts` on all cores.
    pub fn run(from: u64, to: u64, damage: bool, layouts: super::Layouts) -> Tally {
        use rayon::prelude::*;
        let mut tally = (from..to)
            .into_par_iter()
            .fold(Tally::default, |mut t, seed| {
                let (model, bytes, done) = case_in(seed, damage, layouts);
                t.add(&check(seed, &model, &bytes, &done));
                t
            })
            .reduce(Tally::default, Tally::merge);
        tally.failures.sort_by_key(|(seed, _)| *seed);
        tally
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} reports, {} exact; {} cells: {} right, {} wrong or missing but flagged; {} failures (silent, unnamed or demand not met)",
            self.reports,
            self.exact,
            self.cells,
            self.right,
            self.flagged,
            self.failures.len()
        )?;
        for (op, [n, exact, bad]) in &self.by_op {
            writeln!(
                f,
                "  {op:<24} {n:>7} applied {exact:>7} still exact {bad:>4} failing"
            )?;
        }
        for (word, [n, exact, bad]) in &self.by_word {
            writeln!(
                f,
                "  layout {word:<17} {n:>7} reports {exact:>7} exact       {bad:>4} failing"
            )?;
        }
        let mut last = None;
        for (seed, what) in self
            .failures
            .iter()
            .filter(|(s, _)| last.replace(*s) != Some(*s))
            .take(30)
        {
            writeln!(f, "  seed {seed}: {what}")?;
        }
        Ok(())
    }
}
