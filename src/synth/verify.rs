//! What the parser read against the truth: every differing cell must lie in
//! a table (and row) that carries a flag; a differing *number* needs an
//! error flag. Anything else is a silent error, the worst bug there is.

use serde_json::Value;

use crate::flags::{Flag, Severity};
use crate::report::Report;

/// Where damage was done, and how precisely a flag must point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub table: String,
    /// The row path the damage touched, when the parser can know it: the
    /// flag must name this row (or its block, or the whole table).
    pub row: Option<String>,
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
    for (table, t) in tables {
        let got = report.tables.get(table);
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
            for p in places.iter().filter(|p| p.table == *table) {
                if p.row.as_deref() == Some(row.as_str())
                    && !report.flags.iter().any(|f| names(f, table, &row))
                {
                    v.unnamed.push(where_.clone());
                }
            }
        });
    }
    v
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
        || (f.table == Some(table)
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
    f.table == Some(table)
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
    pub ops: Vec<super::damage::Op>,
    pub verdict: Verdict,
}

impl Case {
    /// Every truth cell read right and no error flag.
    pub fn exact(&self) -> bool {
        self.verdict.right == self.verdict.cells && self.verdict.error_flags == 0
    }
}

/// Report `seed` (as [`super::generate`] makes it), damaged when `damage`:
/// the first operator cycles with the seed so every operator gets its share,
/// and a third of the reports get one or two more.
pub fn run_case(seed: u64, damage: bool) -> Case {
    let (model, bytes, done) = case(seed, damage);
    let report = crate::parse_bytes(&bytes, "synthetic");
    let places: Vec<Place> = done.iter().filter_map(|d| d.place.clone()).collect();
    Case {
        seed,
        layout: model.options.layout_name(),
        ops: done.iter().map(|d| d.op).collect(),
        verdict: verify(&model.truth, &report, &places),
    }
}

/// The model, bytes and damage of case `seed`, without parsing it.
pub fn case(seed: u64, damage: bool) -> (super::Model, Vec<u8>, Vec<super::damage::Damage>) {
    use super::damage::{Op, damaged};
    let mut rng = super::Rng::new(seed);
    let options = super::Options::random(&mut rng);
    let model = super::generate_with(&mut rng, options);
    if !damage {
        let bytes = model.bytes();
        return (model, bytes, Vec::new());
    }
    let first = Op::ALL[(seed % Op::ALL.len() as u64) as usize];
    // A swap or a changed digit shows only through the arithmetic; damage
    // that also removes rows or bytes would take that evidence away, so it
    // keeps company with layout noise only.
    let company: &[Op] = if matches!(first, Op::SwapCells | Op::ChangeDigit) {
        &[
            Op::PageNumber,
            Op::RepeatHeader,
            Op::HtmlNoise,
            Op::DeleteHeading,
        ]
    } else {
        Op::ALL
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
        let clash = matches!(op, Op::SwapCells | Op::ChangeDigit)
            || (counting(&op) && ops.iter().any(counting));
        if !clash || company.len() < Op::ALL.len() {
            ops.push(op);
        }
    }
    let (bytes, done) = damaged(&model, &mut rng, &ops);
    (model, bytes, done)
}

/// Counts over many cases, by operator.
#[derive(Debug, Default)]
pub struct Tally {
    pub reports: usize,
    pub exact: usize,
    pub cells: usize,
    pub right: usize,
    pub flagged: usize,
    /// `(seed, what)` of every silent error and every damaged row no flag names.
    pub failures: Vec<(u64, String)>,
    pub by_op: std::collections::BTreeMap<&'static str, [usize; 3]>,
}

impl Tally {
    pub fn add(&mut self, c: &Case) {
        self.reports += 1;
        self.exact += usize::from(c.exact());
        self.cells += c.verdict.cells;
        self.right += c.verdict.right;
        self.flagged += c.verdict.flagged;
        for s in &c.verdict.silent {
            self.failures
                .push((c.seed, format!("{} {:?}: silent {s}", c.layout, c.ops)));
        }
        for s in &c.verdict.unnamed {
            self.failures.push((
                c.seed,
                format!(
                    "{} {:?}: damaged row not named by a flag: {s}",
                    c.layout, c.ops
                ),
            ));
        }
        let ok = c.verdict.silent.is_empty() && c.verdict.unnamed.is_empty();
        for op in &c.ops {
            let e = self.by_op.entry(op.name()).or_default();
            e[0] += 1;
            e[1] += usize::from(c.exact());
            e[2] += usize::from(!ok);
        }
    }

    pub fn merge(mut self, other: Tally) -> Tally {
        self.reports += other.reports;
        self.exact += other.exact;
        self.cells += other.cells;
        self.right += other.right;
        self.flagged += other.flagged;
        self.failures.extend(other.failures);
        for (k, v) in other.by_op {
            let e = self.by_op.entry(k).or_default();
            for i in 0..3 {
                e[i] += v[i];
            }
        }
        self
    }

    /// Run seeds `from..to` on all cores.
    pub fn run(from: u64, to: u64, damage: bool) -> Tally {
        use rayon::prelude::*;
        (from..to)
            .into_par_iter()
            .fold(Tally::default, |mut t, seed| {
                t.add(&run_case(seed, damage));
                t
            })
            .reduce(Tally::default, Tally::merge)
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} reports, {} exact; {} cells: {} right, {} wrong or missing but flagged; {} failures (silent or unnamed)",
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
