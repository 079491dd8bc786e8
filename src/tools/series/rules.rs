//! What must carry over from one year's report to the next
//! (`shared/spec/series.md`), as data built from the templates: which
//! found cell, which terms give its expected value, on which template
//! pairs the rule applies.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Serialize;

use super::cells::{Cells, Paths};
use crate::template::{BlockKey, ColKey, RowKey, T2019, T2021, TableKey, Template};

/// Which report of the pair a term is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    From,
    To,
}

#[derive(Debug)]
pub struct Term {
    pub side: Side,
    pub path: String,
    pub sign: f64,
}

/// Template pairs a rule applies to.
#[derive(Debug, Clone, Copy)]
enum Applies {
    /// Both reports have the contract tables (2019, 2021 or unknown).
    Tables,
    /// Both reports are on this template.
    Both(&'static str),
}

#[derive(Debug)]
pub struct Rule {
    pub check: &'static str,
    applies: Applies,
    /// The cell of year_to that is checked (the row's `key`).
    pub found: String,
    /// Expected = Σ sign × value.
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Holds,
    Differs,
    NotChecked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Holds => "holds",
            Status::Differs => "differs",
            Status::NotChecked => "not_checked",
        }
    }
}

/// A rule applied to one pair of reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub expected: Option<f64>,
    pub found: Option<f64>,
    pub status: Status,
    pub note: String,
}

/// Every rule, in the order rows are written: `carried_over` per column,
/// then `in_force` (2021) and `total_published` (2019) per item_1 row.
pub static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let mut rules = Vec::new();
    let requests = T2021.table(TableKey::Requests);
    for c in requests.blocks.first().map_or(&[][..], |b| b.columns) {
        rules.push(Rule {
            check: "carried_over",
            applies: Applies::Tables,
            found: format!("requests.carried_over.{}", c.key),
            terms: vec![term(
                Side::From,
                format!("requests.carried_forward.{}", c.key),
                1.0,
            )],
        });
    }
    for (tpl, check, found, plus, minus) in [
        (
            &T2021,
            "in_force",
            ColKey::InForce,
            ColKey::Issued,
            Some(ColKey::Repealed),
        ),
        (
            &T2019,
            "total_published",
            ColKey::TotalPublished,
            ColKey::NewPublished,
            None,
        ),
    ] {
        for row in item_1_rows(tpl) {
            let cell = |col: ColKey| format!("proactive.item_1.{row}.{col}");
            let mut terms = vec![
                term(Side::From, cell(found), 1.0),
                term(Side::To, cell(plus), 1.0),
            ];
            terms.extend(minus.map(|m| term(Side::To, cell(m), -1.0)));
            rules.push(Rule {
                check,
                applies: Applies::Both(tpl.id.as_str()),
                found: cell(found),
                terms,
            });
        }
    }
    rules
});

/// Whether a rule reads the cell at `path`: the figures every report
/// keeps.
pub fn reads(path: &str) -> bool {
    static PATHS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
        RULES
            .iter()
            .flat_map(|r| {
                std::iter::once(r.found.as_str()).chain(r.terms.iter().map(|t| t.path.as_str()))
            })
            .collect()
    });
    PATHS.contains(path)
}

fn term(side: Side, path: String, sign: f64) -> Term {
    Term { side, path, sign }
}

fn item_1_rows(tpl: &Template) -> Vec<RowKey> {
    tpl.table(TableKey::Proactive)
        .blocks
        .iter()
        .filter(|b| b.key == Some(BlockKey::Item1))
        .flat_map(|b| b.rows.iter().map(|r| r.key))
        .collect()
}

impl Rule {
    pub fn applies(&self, from: &str, to: &str) -> bool {
        let tables = |t: &str| matches!(t, "2019" | "2021" | "unknown");
        match self.applies {
            Applies::Tables => tables(from) && tables(to),
            Applies::Both(t) => from == t && to == t,
        }
    }

    /// Apply to the reports of `years` (from, to).
    pub fn eval(&self, paths: &Paths, cells: (&Cells, &Cells), years: (i32, i32)) -> Outcome {
        let mut missing = Vec::new();
        let mut read = |side: Side, path: &str| {
            let (c, y) = match side {
                Side::From => (cells.0, years.0),
                Side::To => (cells.1, years.1),
            };
            let v = paths.get(path).and_then(|id| c.get(id));
            match v {
                Some(Some(x)) => Some(x),
                other => {
                    let what = if other.is_some() { "null" } else { "absent" };
                    missing.push(format!("{path} of {y} is {what}"));
                    None
                }
            }
        };
        let parts: Vec<Option<f64>> = self
            .terms
            .iter()
            .map(|t| read(t.side, &t.path).map(|v| t.sign * v))
            .collect();
        let found = read(Side::To, &self.found);
        let expected = parts.into_iter().sum::<Option<f64>>();
        let status = match (expected, found) {
            (Some(e), Some(f)) if crate::arithmetic::same(e, f) => Status::Holds,
            (Some(_), Some(_)) => Status::Differs,
            _ => Status::NotChecked,
        };
        Outcome {
            expected,
            found,
            status,
            note: missing.join("; "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_from_the_templates() {
        let checks: Vec<(&str, &str)> = RULES.iter().map(|r| (r.check, r.found.as_str())).collect();
        assert_eq!(checks.len(), 7 + 2 + 2);
        assert!(checks.contains(&("carried_over", "requests.carried_over.total")));
        assert!(checks.contains(&("in_force", "proactive.item_1.normative.in_force")));
        assert!(checks.contains(&("total_published", "proactive.item_1.rules.total_published")));
        assert!(
            reads("requests.carried_forward.total") && reads("proactive.item_1.normative.issued")
        );
        assert!(!reads("requests.granted.total"));
    }

    #[test]
    fn in_force_holds_differs_or_is_not_checked() {
        let mut paths = Paths::default();
        let row = |in_force: Option<i64>, issued: i64, repealed: i64| json!({"proactive": {"item_1": {"normative": {"issued": issued, "repealed": repealed, "in_force": in_force}}}});
        let y22 = Cells::all(&row(Some(698), 88, 55), &mut paths);
        let y23 = Cells::all(&row(Some(470), 77, 132), &mut paths);
        let y23_null = Cells::all(&row(None, 77, 132), &mut paths);
        let rule = RULES
            .iter()
            .find(|r| r.found == "proactive.item_1.normative.in_force")
            .unwrap_or_else(|| panic!("no rule"));
        assert!(rule.applies("2021", "2021") && !rule.applies("2019", "2021"));
        let o = rule.eval(&paths, (&y22, &y23), (2022, 2023));
        assert_eq!(
            (o.expected, o.found, o.status),
            (Some(643.0), Some(470.0), Status::Differs)
        );
        let o = rule.eval(&paths, (&y22, &y23_null), (2022, 2023));
        assert_eq!(o.status, Status::NotChecked);
        assert_eq!(
            o.note,
            "proactive.item_1.normative.in_force of 2023 is null"
        );
        let empty = Cells::default();
        let o = rule.eval(&paths, (&empty, &y23), (2022, 2023));
        assert!(o.note.contains("of 2022 is absent"), "{}", o.note);
    }
}
