//! The template's arithmetic (rules A1–A4, spec §5) evaluated: the one place
//! a rule's sides are summed and compared. [`crate::checks`] judges with it,
//! [`crate::split`] prunes splits with it and [`crate::mapping`] chooses
//! between alignments of a row with it.

use crate::template::{ColKey, RowKey, Rule};

/// Two sums are equal within this (amounts in 万元 carry many decimals).
pub const TOLERANCE: f64 = 1e-6;

/// Whether two sums are the same figure.
pub fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < TOLERANCE
}

/// One side of a rule: the sum of its filled cells, blanks counted apart.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Sum {
    pub total: f64,
    pub blanks: usize,
    pub filled: usize,
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

/// A rule on one line of cells (a row for a row total, a column for a
/// column balance): `lhs` the parts, `rhs` the total.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Balance {
    pub lhs: Sum,
    pub rhs: Sum,
}

impl Balance {
    /// The sides are equal, blank cells read as 0.
    pub fn holds(&self) -> bool {
        same(self.lhs.total, self.rhs.total)
    }

    /// Cells the rule uses that are blank.
    pub fn blanks(&self) -> usize {
        self.lhs.blanks + self.rhs.blanks
    }

    /// The rule fails whatever the blank cells hold: the total side is
    /// filled and either every cell is filled and the sums differ, or the
    /// filled parts alone exceed the total (counts are never negative).
    pub fn broken(&self) -> bool {
        self.rhs.blanks == 0
            && ((self.blanks() == 0 && !self.holds())
                || self.lhs.total > self.rhs.total + TOLERANCE)
    }
}

/// Both sides from their cells; `None` when no cell is filled (nothing
/// published: nothing to judge).
pub fn balance(
    lhs: impl IntoIterator<Item = Option<f64>>,
    rhs: impl IntoIterator<Item = Option<f64>>,
) -> Option<Balance> {
    let (lhs, rhs): (Sum, Sum) = (lhs.into_iter().collect(), rhs.into_iter().collect());
    (lhs.filled + rhs.filled > 0).then_some(Balance { lhs, rhs })
}

/// A row total (A2, A4) on one row: `get` gives the row's cell in a
/// column. `None` for a column balance too.
pub fn row_total(rule: &Rule, get: impl Fn(ColKey) -> Option<f64>) -> Option<Balance> {
    match rule {
        Rule::RowTotal { total, parts, .. } => {
            balance(parts.iter().map(|&k| get(k)), [get(*total)])
        }
        Rule::ColumnBalance { .. } => None,
    }
}

/// A column balance (A1, A3) on one column: `get` gives the column's cell
/// in a row. `None` for a row total too.
pub fn column_balance(rule: &Rule, get: impl Fn(RowKey) -> Option<f64>) -> Option<Balance> {
    match rule {
        Rule::ColumnBalance { lhs, rhs, .. } => {
            balance(lhs.iter().map(|&k| get(k)), rhs.iter().map(|&k| get(k)))
        }
        Rule::RowTotal { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::T2021;

    #[test]
    fn a_row_total_holds_breaks_or_waits_for_blanks() {
        let a4 = &T2021.tables[2].rules[0];
        let row = |vals: [Option<f64>; 5]| {
            use ColKey::*;
            let keys = [Upheld, Corrected, Other, Pending, Total];
            row_total(a4, |k| {
                keys.iter().position(|x| *x == k).and_then(|i| vals[i])
            })
        };
        let b = row([Some(1.0), Some(0.0), Some(2.0), Some(0.0), Some(3.0)]).unwrap();
        assert!(b.holds() && !b.broken() && b.blanks() == 0);
        let b = row([Some(1.0), Some(0.0), Some(2.0), Some(0.0), Some(4.0)]).unwrap();
        assert!(b.broken());
        // Blanks could make it hold, unless the filled parts exceed the total.
        let b = row([Some(1.0), None, None, None, Some(4.0)]).unwrap();
        assert!(!b.holds() && !b.broken() && b.blanks() == 3);
        let b = row([Some(5.0), None, None, None, Some(4.0)]).unwrap();
        assert!(b.broken());
        assert!(row([None; 5]).is_none());
    }

    #[test]
    fn decimals_within_the_tolerance_are_equal() {
        assert!(same(0.1 + 0.2, 0.3));
        assert!(!same(1.0, 1.00001));
    }
}
