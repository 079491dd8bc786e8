//! Stage 5: checks. Structure (missing tables, blocks, rows), value domains
//! (rule A5) and the template's arithmetic (A1–A4). A rule is judged only on
//! filled cells; blanks are never filled in.

use crate::flags::{Code, Flag};
use crate::mapping::{RowValues, TableData, row_path};
use crate::template::{RowKind, Rule, ValueKind};

/// Tolerance for decimal sums (amounts in 万元 with many decimals).
const EPS: f64 = 1e-6;

pub fn check(tables: &[TableData]) -> Vec<Flag> {
    let mut flags = Vec::new();
    for t in tables {
        structure(t, &mut flags);
        if t.present() {
            domains(t, &mut flags);
            for rule in t.spec.rules {
                arithmetic(t, rule, &mut flags);
            }
        }
    }
    flags
}

fn structure(t: &TableData, flags: &mut Vec<Flag>) {
    let key = t.spec.key;
    if !t.present() {
        flags.push(
            Flag::new(
                Code::TABLE_MISSING,
                "the template requires this table; none of it was found",
            )
            .table(key),
        );
        return;
    }
    for (bi, b) in t.spec.blocks.iter().enumerate() {
        let rows = t.rows.get(bi);
        let any = rows.is_some_and(|r| r.iter().any(Option::is_some));
        let caption = t.captions.get(bi).copied().unwrap_or(false);
        if t.spec.nested && !any && !caption {
            flags.push(
                Flag::new(Code::BLOCK_MISSING, format!("block {} is missing", b.key))
                    .table(key)
                    .row(b.key),
            );
            continue;
        }
        for (ri, r) in b.rows.iter().enumerate() {
            let found = rows.and_then(|x| x.get(ri)).is_some_and(Option::is_some);
            if r.kind == RowKind::Data && !found {
                flags.push(
                    Flag::new(Code::ROW_MISSING, format!("row {} is missing", r.label))
                        .table(key)
                        .row(row_path(t.spec, bi, r.key)),
                );
            }
        }
    }
}

fn domains(t: &TableData, flags: &mut Vec<Flag>) {
    for (bi, b) in t.spec.blocks.iter().enumerate() {
        for (ri, r) in b.rows.iter().enumerate() {
            let Some(Some(vals)) = t.rows.get(bi).and_then(|x| x.get(ri)) else {
                continue;
            };
            for (c, v) in b.columns.iter().zip(vals) {
                let Some(v) = v else { continue };
                let bad = match c.kind {
                    ValueKind::Count => !v.int || v.v < 0.0,
                    ValueKind::Signed => !v.int,
                    ValueKind::Amount { .. } => v.v < 0.0,
                };
                if bad {
                    flags.push(
                        Flag::new(
                            Code::VALUE_OUT_OF_DOMAIN,
                            format!("{} must be {}", c.label, domain_text(c.kind)),
                        )
                        .table(t.spec.key)
                        .row(row_path(t.spec, bi, r.key))
                        .column(c.key)
                        .evidence(v.v.to_string()),
                    );
                }
            }
        }
    }
}

fn domain_text(k: ValueKind) -> &'static str {
    match k {
        ValueKind::Count => "a whole number ≥ 0",
        ValueKind::Signed => "a whole number",
        ValueKind::Amount { .. } => "an amount ≥ 0",
    }
}

/// Sum of cells; `None` cells counted apart.
#[derive(Default)]
struct Sum {
    total: f64,
    blanks: usize,
    filled: usize,
}

impl FromIterator<Option<f64>> for Sum {
    fn from_iter<I: IntoIterator<Item = Option<f64>>>(cells: I) -> Self {
        let mut s = Sum::default();
        for c in cells {
            match c {
                Some(x) => {
                    s.total += x;
                    s.filled += 1;
                }
                None => s.blanks += 1,
            }
        }
        s
    }
}

/// A row-total rule (A2, A4) on one row's cells, as [`check`] judges it and
/// as mapping uses it to choose between alignments of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowTotal {
    /// The parts equal the total, blank cells read as 0.
    pub holds: bool,
    /// Cells the rule uses that are blank.
    pub blanks: usize,
    /// The total's own cell is filled.
    pub total_filled: bool,
    parts: f64,
    total: f64,
}

impl RowTotal {
    /// The rule fails whatever the blank cells hold: all cells filled and
    /// the sum differs, or the filled parts alone exceed the total (counts
    /// are never negative).
    pub fn broken(&self) -> bool {
        self.total_filled && ((self.blanks == 0 && !self.holds) || self.parts > self.total + EPS)
    }
}

/// Evaluate a row-total rule on a row (`get` gives a column's value);
/// `None` for a column rule, or when no cell the rule uses is filled.
pub fn row_total(rule: &Rule, get: impl Fn(&str) -> Option<f64>) -> Option<RowTotal> {
    let Rule::RowTotal { total, parts, .. } = rule else {
        return None;
    };
    let p: Sum = parts.iter().map(|k| get(k)).collect();
    let t = get(total);
    if p.filled == 0 && t.is_none() {
        return None;
    }
    let total_value = t.unwrap_or(0.0);
    Some(RowTotal {
        holds: (p.total - total_value).abs() < EPS,
        blanks: p.blanks + usize::from(t.is_none()),
        total_filled: t.is_some(),
        parts: p.total,
        total: total_value,
    })
}

fn arithmetic(t: &TableData, rule: &Rule, flags: &mut Vec<Flag>) {
    let Some(block) = t.spec.blocks.first() else {
        return;
    };
    let col_index = |k: &str| block.columns.iter().position(|c| c.key == k);
    match rule {
        Rule::RowTotal { id, .. } => {
            for (ri, r) in block.rows.iter().enumerate() {
                let Some(Some(vals)) = t.rows.first().and_then(|x| x.get(ri)) else {
                    continue;
                };
                let Some(rt) = row_total(rule, |k| col_index(k).and_then(|i| cell(vals, i))) else {
                    continue;
                };
                let msg = format!("rule {id}: {} ≠ {}", fmt(rt.parts), fmt(rt.total));
                judge(
                    t,
                    id,
                    &row_path(t.spec, 0, r.key),
                    None,
                    (rt.holds, rt.blanks),
                    msg,
                    flags,
                );
            }
        }
        Rule::ColumnBalance { id, lhs, rhs } => {
            // Only when every row of the rule was found: a missing row is
            // already an error of its own.
            let get = |k: &str| t.row(k);
            if lhs.iter().chain(rhs.iter()).any(|k| get(k).is_none()) {
                return;
            }
            for (ci, c) in block.columns.iter().enumerate() {
                let l: Sum = lhs
                    .iter()
                    .map(|k| get(k).and_then(|v| cell(v, ci)))
                    .collect();
                let r: Sum = rhs
                    .iter()
                    .map(|k| get(k).and_then(|v| cell(v, ci)))
                    .collect();
                if l.filled + r.filled == 0 {
                    continue; // nothing published: nothing to judge
                }
                let holds = (l.total - r.total).abs() < EPS;
                let msg = format!("rule {id}: {} ≠ {}", fmt(l.total), fmt(r.total));
                let path = lhs.join("+");
                judge(
                    t,
                    id,
                    &path,
                    Some(c.key),
                    (holds, l.blanks + r.blanks),
                    msg,
                    flags,
                );
            }
        }
    }
}

fn cell(vals: &RowValues, i: usize) -> Option<f64> {
    vals.get(i).copied().flatten().map(|n| n.v)
}

fn judge(
    t: &TableData,
    id: &str,
    row: &str,
    col: Option<&'static str>,
    (holds, blanks): (bool, usize),
    msg: String,
    flags: &mut Vec<Flag>,
) {
    let code = match (blanks == 0, holds) {
        (true, true) => return,
        (true, false) => Code::RULE_BROKEN,
        (false, true) => Code::RULE_HOLDS_WITH_BLANKS,
        (false, false) => Code::RULE_UNCHECKED_BLANKS,
    };
    let msg = match code {
        Code::RULE_HOLDS_WITH_BLANKS => format!("rule {id} holds when blank cells are read as 0"),
        Code::RULE_UNCHECKED_BLANKS => {
            format!("{msg} with blanks read as 0; not judged because cells are blank")
        }
        _ => msg,
    };
    let f = Flag::new(code, msg).table(t.spec.key).row(row);
    flags.push(match col {
        Some(c) => f.column(c),
        None => f,
    });
}

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::text::blocks;
    use crate::mapping::map;
    use crate::stream::tokens;
    use crate::template::T2021;

    fn codes(text: &str) -> Vec<(Code, Option<String>)> {
        let (t, _) = map(&tokens(&blocks(text)), &T2021);
        check(&t).into_iter().map(|f| (f.code, f.row)).collect()
    }

    #[test]
    fn a4_broken_and_missing_tables() {
        let c = codes(
            "行政复议 | 行政诉讼 |\n1 | 0 | 0 | 1 | 3 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        );
        assert!(
            c.contains(&(Code::RULE_BROKEN, Some("review".into()))),
            "{c:?}"
        );
        assert!(c.iter().any(|(k, _)| *k == Code::TABLE_MISSING));
    }

    #[test]
    fn blanks_are_not_judged_as_zero() {
        let c = codes("行政复议 | 行政诉讼 |\n1 | | | 1 | 2 | | | | | | | | | | |");
        assert!(
            c.contains(&(Code::RULE_HOLDS_WITH_BLANKS, Some("review".into()))),
            "{c:?}"
        );
        assert!(!c.iter().any(|(k, _)| *k == Code::RULE_BROKEN));
    }
}
