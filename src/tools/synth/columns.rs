//! The two column operators: a table's columns in another order together
//! with their header words (the truth is unchanged; the parser must follow
//! the header), and values in another order under the template's header
//! (only where a row rule sees every row that changes).

use super::verify::{Demand, Place};
use super::{Model, Rng, Row, RowTag, Table};
use crate::template::TableKey;

/// Reorder the columns of one table (section 二: of one block) with their
/// header, as agencies print `现行有效件数 | 本年废止件数 | 本年制发件数` or 总计
/// before the applicant columns. Orders keep merged header cells whole.
pub(super) fn reorder(m: &mut Model, rng: &mut Rng) -> Option<Option<Place>> {
    let keys = present(m, &TableKey::ALL);
    let key = *keys.get(rng.below(keys.len()))?;
    let split = m.options.shapes.reviews_split;
    let t = m.table_mut(key)?;
    let (block, order) = match key {
        TableKey::Proactive => {
            let blocks: Vec<(String, usize)> = t
                .rows
                .iter()
                .filter_map(|r| match &r.tag {
                    RowTag::Data(path) => Some((block_of(path), value_count(r))),
                    _ => None,
                })
                .filter(|(_, n)| *n >= 2)
                .collect();
            let (block, n) = blocks.get(rng.below(blocks.len()))?.clone();
            (Some(block), shuffled(rng, n))
        }
        TableKey::Requests => (None, requests_order(rng)),
        _ => (None, reviews_order(rng, !split)),
    };
    let mut next_block = None;
    for row in t.rows.iter_mut().rev() {
        if let RowTag::Data(path) = &row.tag {
            next_block = Some(block_of(path));
        }
        if block.is_none() || block == next_block {
            reorder_row(row, &order);
        }
    }
    Some(Some(Place {
        table: key,
        row: block,
        demand: Demand::ExactWithWarning,
    }))
}

/// Swap section 三's 总计 (or section 四's, in every group) with another
/// column in every row, the header left as it is. Rule A2 (A4) then fails
/// in exactly the rows that change; a column is chosen only where each of
/// those rows is filled, since a rule is not judged over blanks.
pub(super) fn reorder_values(m: &mut Model, rng: &mut Rng) -> Option<Option<Place>> {
    let keys = present(m, &[TableKey::Requests, TableKey::Reviews]);
    let key = *keys.get(rng.below(keys.len()))?;
    let t = m.table_mut(key)?;
    let (groups, width) = if key == TableKey::Requests {
        (1, 7)
    } else {
        (3, 5)
    };
    let mut candidates: Vec<usize> = (0..width - 1).collect();
    for i in (1..candidates.len()).rev() {
        candidates.swap(i, rng.below(i + 1));
    }
    let j = candidates
        .into_iter()
        .find(|&j| swap_seen(t, groups, width, j))?;
    for row in t
        .rows
        .iter_mut()
        .filter(|r| matches!(r.tag, RowTag::Data(_)))
    {
        for g in 0..groups {
            let (a, b) = (g * width + j, g * width + width - 1);
            let at = |row: &Row, col| row.cells.iter().position(|c| c.cols == Some((col, 1)));
            if let (Some(a), Some(b)) = (at(row, a), at(row, b)) {
                let text = row.cells[a].text.clone();
                row.cells[a].text = std::mem::replace(&mut row.cells[b].text, text);
            }
        }
    }
    Some(Some(Place {
        table: key,
        row: None,
        demand: Demand::RuleNamesRow,
    }))
}

/// Swapping column `j` with the total changes at least one group of a row,
/// and every group it changes is filled.
fn swap_seen(t: &Table, groups: usize, width: usize, j: usize) -> bool {
    let mut changed = false;
    for row in t.rows.iter().filter(|r| matches!(r.tag, RowTag::Data(_))) {
        for g in 0..groups {
            let cells: Vec<&str> = (g * width..(g + 1) * width)
                .filter_map(|col| {
                    row.cells
                        .iter()
                        .find(|c| c.cols == Some((col, 1)))
                        .map(|c| c.text.as_str())
                })
                .collect();
            if cells.len() < width || cells[j] == cells[width - 1] {
                continue;
            }
            if cells.iter().any(|c| c.is_empty()) {
                return false;
            }
            changed = true;
        }
    }
    changed
}

fn present(m: &Model, keys: &[TableKey]) -> Vec<TableKey> {
    m.sections
        .iter()
        .filter_map(|s| s.table.as_ref())
        .map(|t| t.key)
        .filter(|k| keys.contains(k))
        .collect()
}

/// `item_1` of `item_1.rules`.
fn block_of(path: &str) -> String {
    path.split('.').next().unwrap_or(path).to_string()
}

fn value_count(row: &Row) -> usize {
    row.cells.iter().filter(|c| c.cols.is_some()).count()
}

/// A random order of `0..n` other than the identity (`n` ≥ 2).
fn shuffled(rng: &mut Rng, n: usize) -> Vec<usize> {
    loop {
        let mut v: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            v.swap(i, rng.below(i + 1));
        }
        if v.iter().enumerate().any(|(i, &x)| i != x) {
            return v;
        }
    }
}

/// 自然人, the five kinds of 法人或其他组织 and 总计 in another order: the
/// three head groups in any order, the five kinds shuffled or not.
fn requests_order(rng: &mut Rng) -> Vec<usize> {
    loop {
        let groups: [Vec<usize>; 3] = [
            vec![0],
            if rng.chance(50) {
                shuffled(rng, 5).into_iter().map(|k| k + 1).collect()
            } else {
                (1..6).collect()
            },
            vec![6],
        ];
        let mut order = [0, 1, 2];
        for i in (1..3).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let cols: Vec<usize> = order.iter().flat_map(|&g| groups[g].clone()).collect();
        if cols.iter().enumerate().any(|(i, &x)| i != x) {
            return cols;
        }
    }
}

/// Section 四's five columns in another order in every group; on the wide
/// table, now and then 行政诉讼 before 行政复议 or 复议后起诉 before 未经复议直接起诉.
fn reviews_order(rng: &mut Rng, wide: bool) -> Vec<usize> {
    let leaf = shuffled(rng, 5);
    let mut groups = [0, 1, 2];
    if wide && rng.chance(30) {
        groups.swap(1, 2);
    }
    if wide && rng.chance(30) {
        groups.rotate_left(1);
    }
    groups
        .iter()
        .flat_map(|&g| leaf.iter().map(move |&k| 5 * g + k))
        .collect()
}

/// Put the cells of `row` that stand for columns in the order `order`
/// gives (old columns listed in their new order); labels stay in front. A
/// cell spanning columns moves whole; spans beyond its columns (a row's
/// last cell filling the grid) stay with the last cell.
fn reorder_row(row: &mut Row, order: &[usize]) {
    let rank = |col: usize| order.iter().position(|&c| c == col).unwrap_or(col);
    let (mut moving, fixed): (Vec<_>, Vec<_>) = row
        .cells
        .drain(..)
        .partition(|c| c.cols.is_some_and(|(first, _)| first < order.len()));
    if moving.is_empty() {
        row.cells = fixed;
        return;
    }
    let width = |c: &super::Cell| c.cols.map_or(0, |(_, n)| n);
    let extra = moving
        .iter()
        .map(|c| c.colspan)
        .sum::<usize>()
        .saturating_sub(moving.iter().map(width).sum());
    moving.sort_by_key(|c| {
        c.cols.map_or(0, |(first, n)| {
            (first..first + n).map(rank).min().unwrap_or(0)
        })
    });
    for c in &mut moving {
        c.colspan = width(c).max(1);
    }
    if let Some(last) = moving.last_mut() {
        last.colspan += extra;
    }
    row.cells = fixed;
    row.cells.extend(moving);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{Encoding, Format, HtmlStyle, Options, TextStyle, generate_with};
    use crate::template::TemplateId;

    fn model(template: TemplateId, format: Format) -> Model {
        generate_with(
            &mut Rng::new(11),
            Options::plain(template, format, Encoding::Utf8),
        )
    }

    /// Header words and values of a row of `key`, as texts.
    fn texts(m: &Model, key: TableKey, tag: impl Fn(&RowTag) -> bool) -> Vec<Vec<String>> {
        m.sections
            .iter()
            .filter_map(|s| s.table.as_ref())
            .filter(|t| t.key == key)
            .flat_map(|t| &t.rows)
            .filter(|r| tag(&r.tag))
            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    #[test]
    fn reordered_columns_move_with_their_header() {
        for seed in 0..40 {
            let mut m = model(TemplateId::Y2019, Format::Html(HtmlStyle::Spans));
            let before = m.clone();
            let place = reorder(&mut m, &mut Rng::new(seed)).flatten().unwrap();
            assert_eq!(place.demand, Demand::ExactWithWarning);
            let key = place.table;
            let old = texts(&before, key, |t| matches!(t, RowTag::Data(_)));
            let new = texts(&m, key, |t| matches!(t, RowTag::Data(_)));
            assert_ne!(
                texts(&before, key, |t| *t == RowTag::Header),
                texts(&m, key, |t| *t == RowTag::Header),
                "seed {seed}: the header moved"
            );
            // The same cells, in another order, in every row; the grid
            // width of each row unchanged.
            for (a, b) in old.iter().zip(&new) {
                let (mut a, mut b) = (a.clone(), b.clone());
                a.sort();
                b.sort();
                assert_eq!(a, b, "seed {seed}");
            }
            let span = |m: &Model| -> Vec<usize> {
                m.sections
                    .iter()
                    .filter_map(|s| s.table.as_ref())
                    .filter(|t| t.key == key)
                    .flat_map(|t| &t.rows)
                    .map(|r| r.cells.iter().map(|c| c.colspan).sum())
                    .collect()
            };
            assert_eq!(span(&before), span(&m), "seed {seed}");
        }
    }

    #[test]
    fn requests_total_first() {
        // Order 总计, 自然人, the five kinds: the header's second row and
        // every data row start their values with the total.
        let mut m = model(TemplateId::Y2021, Format::Text(TextStyle::Rows));
        let t = m.table_mut(TableKey::Requests).unwrap();
        for row in &mut t.rows {
            reorder_row(row, &[6, 0, 1, 2, 3, 4, 5]);
        }
        assert_eq!(t.rows[1].cells[0].text, "总计");
        assert_eq!(t.rows[1].cells[1].text, "自然人");
        let first = t
            .rows
            .iter()
            .find(|r| matches!(r.tag, RowTag::Data(_)))
            .unwrap();
        let labels = first.cells.iter().take_while(|c| c.cols.is_none()).count();
        assert_eq!(first.cells[labels].cols, Some((6, 1)));
    }

    #[test]
    fn reordered_values_break_a_row_rule_in_every_row_they_change() {
        let mut applied = 0;
        for seed in 0..60 {
            let mut m = model(TemplateId::Y2019, Format::Text(TextStyle::Rows));
            let before = m.clone();
            let Some(Some(place)) = reorder_values(&mut m, &mut Rng::new(seed)) else {
                continue;
            };
            applied += 1;
            assert_eq!(place.demand, Demand::RuleNamesRow);
            let key = place.table;
            assert_eq!(
                texts(&before, key, |t| *t == RowTag::Header),
                texts(&m, key, |t| *t == RowTag::Header)
            );
            let (width, groups) = if key == TableKey::Requests {
                (7, 1)
            } else {
                (5, 3)
            };
            let old = texts(&before, key, |t| matches!(t, RowTag::Data(_)));
            let new = texts(&m, key, |t| matches!(t, RowTag::Data(_)));
            let mut changed = 0;
            for (a, b) in old.iter().zip(&new) {
                let a: Vec<i64> = a.iter().filter_map(|x| x.parse().ok()).collect();
                let b: Vec<i64> = b.iter().filter_map(|x| x.parse().ok()).collect();
                for g in 0..groups {
                    let (a, b) = (&a[g * width..][..width], &b[g * width..][..width]);
                    let holds = |v: &[i64]| v[..width - 1].iter().sum::<i64>() == v[width - 1];
                    assert!(holds(a));
                    if a != b {
                        changed += 1;
                        assert!(!holds(b), "seed {seed}: {a:?} → {b:?} still sums");
                    }
                }
            }
            assert!(changed > 0, "seed {seed}");
        }
        assert!(applied > 40, "applied {applied} times");
    }
}
