//! Stage 5: checks. Structure (missing tables, blocks, rows), value domains
//! (rule A5) and the template's arithmetic (A1–A4). A rule is judged only on
//! filled cells; blanks are never filled in.

use crate::arithmetic::{Balance, column_balance, row_total};
use crate::flags::{Code, Flag};
use crate::mapping::{RowValues, TableData, row_path};
use crate::template::{ColKey, RowKey, RowKind, Rule, ValueKind};

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
                Flag::new(
                    Code::BLOCK_MISSING,
                    format!("block {} is missing", b.path()),
                )
                .table(key)
                .row(b.path()),
            );
            continue;
        }
        for (ri, r) in b.rows.iter().enumerate() {
            let found = rows.and_then(|x| x.get(ri)).is_some_and(Option::is_some);
            if r.kind == RowKind::Data && !found {
                flags.push(
                    // Joined, not formatted: a report lacking a table's
                    // rows has a flag for each.
                    Flag::new(Code::ROW_MISSING, ["row ", r.label, " is missing"].concat())
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

/// A rule on every line it covers: each data row for a row total, each
/// column for a column balance. Rows and columns are found by key once per
/// rule (by the key's index), not once per cell; a line's row path is
/// written only for a flag.
fn arithmetic(t: &TableData, rule: &Rule, flags: &mut Vec<Flag>) {
    let Some(block) = t.spec.blocks.first() else {
        return;
    };
    match rule {
        Rule::RowTotal { .. } => {
            let mut at = [None; ColKey::ALL.len()];
            for (i, c) in block.columns.iter().enumerate() {
                at[c.key as usize].get_or_insert(i);
            }
            for (ri, r) in block.rows.iter().enumerate() {
                let Some(Some(vals)) = t.rows.first().and_then(|x| x.get(ri)) else {
                    continue;
                };
                let b = row_total(rule, |k| at[k as usize].and_then(|i| cell(vals, i)));
                if let Some(f) = b.and_then(|b| judge(t, rule.id(), b)) {
                    flags.push(f.row(row_path(t.spec, 0, r.key)));
                }
            }
        }
        Rule::ColumnBalance { lhs, rhs, .. } => {
            let mut rows = [None; RowKey::ALL.len()];
            for &k in lhs.iter().chain(rhs.iter()) {
                rows[k as usize] = t.row(k);
            }
            // Only when every row of the rule was found: a missing row is
            // already an error of its own.
            if lhs
                .iter()
                .chain(rhs.iter())
                .any(|&k| rows[k as usize].is_none())
            {
                return;
            }
            // The rule's row path, spelled for its first flag only (most
            // tables have none).
            let mut path = String::new();
            for (ci, c) in block.columns.iter().enumerate() {
                let b = column_balance(rule, |k| rows[k as usize].and_then(|v| cell(v, ci)));
                if let Some(f) = b.and_then(|b| judge(t, rule.id(), b)) {
                    if path.is_empty() {
                        let keys: Vec<&str> = lhs.iter().map(|k| k.as_str()).collect();
                        path = keys.join("+");
                    }
                    flags.push(f.row(&path).column(c.key));
                }
            }
        }
    }
}

fn cell(vals: &RowValues, i: usize) -> Option<f64> {
    vals.get(i).copied().flatten().map(|n| n.v)
}

/// The flag a rule's outcome on one line earns, if any (on its table; the
/// line is the caller's to name).
fn judge(t: &TableData, id: &str, b: Balance) -> Option<Flag> {
    let code = match (b.blanks() == 0, b.holds()) {
        (true, true) => return None,
        (true, false) => Code::RULE_BROKEN,
        (false, true) => Code::RULE_HOLDS_WITH_BLANKS,
        (false, false) => Code::RULE_UNCHECKED_BLANKS,
    };
    // The sums are written only for a message that prints them.
    let sums = || format!("rule {id}: {} ≠ {}", fmt(b.lhs.total), fmt(b.rhs.total));
    let msg = match code {
        Code::RULE_HOLDS_WITH_BLANKS => format!("rule {id} holds when blank cells are read as 0"),
        Code::RULE_UNCHECKED_BLANKS => {
            format!(
                "{} with blanks read as 0; not judged because cells are blank",
                sums()
            )
        }
        _ => sums(),
    };
    Some(Flag::new(code, msg).table(t.spec.key))
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
