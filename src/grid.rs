//! Between blocks and mapping: each table's geometry. Where every cell sits
//! (grid column and span, spans expanded), which rows the source delimits,
//! and the table's verdict on whether positions can be trusted, decided
//! from the whole table, never line by line. Template-free: it knows cells,
//! blanks, padding and spans, not what a row or a column means.
//!
//! Positions are trusted when the source delimits rows (a `<tr>`, a line of
//! markdown, TSV, CSV or pipe rows) and its rows of figures agree on their
//! width. Then a blank cell is evidence: `26 |` five blanks `26 |` in a
//! seven-cell row is 26 in the first column and 26 in the last. One cell per
//! line (the seed) delimits no rows: its padding pipes do not say which
//! column a figure was in, so positions stay unknown there.

use crate::blocks::{Origin, Table};

/// Where one cell of the source table sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// First grid column (spans of the rows above expanded).
    pub col: u16,
    /// Grid columns covered.
    pub span: u16,
}

#[derive(Debug, Clone)]
pub struct Grid {
    pub origin: Origin,
    /// The source delimits rows: every cell of a row shares its line or
    /// `<tr>`. False for one cell per line.
    pub rows_known: bool,
    /// Some cell spans several columns or rows: physical columns of header
    /// and data rows may disagree (a colspan of 2 over one column), so only
    /// the order of cells within a row is evidence, not their column.
    pub spans: bool,
    /// The width most rows of figures have.
    pub width: usize,
    /// The verdict: cell positions (blanks included) can be trusted.
    pub trusted: bool,
    /// `[row][cell]`: where each cell of the table sits.
    pub places: Vec<Vec<Place>>,
    /// Grid width of each row.
    pub widths: Vec<usize>,
    /// Widths of the rows that hold a figure, and of the other rows of
    /// several cells (headers): the evidence of the verdict.
    data: Vec<usize>,
    heads: Vec<usize>,
    /// Per row: it holds a figure.
    figured: Vec<bool>,
    /// Per row: the grid column after its last cell with text. A row
    /// narrower than a header's words lost cells its header names (a text
    /// cut at a cell boundary), not only padding.
    words_end: Vec<usize>,
}

impl Grid {
    /// The geometry of `t`; `figure(r, i)` says whether cell `i` of row `r`
    /// holds a number (the caller has classified every cell already).
    pub fn of(t: &Table, figure: impl Fn(usize, usize) -> bool) -> Grid {
        let rows_known = !matches!(t.origin, Origin::PipeCells | Origin::SepLines);
        let spans = t
            .rows
            .iter()
            .flatten()
            .any(|c| c.colspan > 1 || c.rowspan > 1);
        let (places, widths) = if spans {
            expand(t)
        } else {
            // No span: a cell's column is its index.
            let places = t
                .rows
                .iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| Place {
                            col: i as u16,
                            span: 1,
                        })
                        .collect()
                })
                .collect();
            (places, t.rows.iter().map(Vec::len).collect())
        };
        let figured: Vec<bool> = (0..t.rows.len())
            .map(|r| (0..t.rows[r].len()).any(|i| figure(r, i)))
            .collect();
        let data: Vec<usize> = (0..t.rows.len())
            .filter(|&r| figured[r])
            .map(|r| widths[r])
            .collect();
        let heads: Vec<usize> = (0..t.rows.len())
            .filter(|&r| t.rows[r].len() > 1 && !figured[r])
            .map(|r| widths[r])
            .collect();
        let words_end = words_end(t, &places);
        let (width, trusted) = verdict(&evidence(&data, &heads), rows_known);
        Grid {
            origin: t.origin,
            rows_known,
            spans,
            width: width.unwrap_or_else(|| widths.iter().copied().max().unwrap_or(0)),
            trusted,
            places,
            widths,
            data,
            heads,
            figured,
            words_end,
        }
    }

    /// Row `r` is a delimited row narrower than the table's rows: it lost
    /// a cell, so its blanks do not say where its figures sit (`6 ⇥` under
    /// `上一年 ⇥ 本年增/减 ⇥` may be either column).
    pub fn narrow(&self, r: usize) -> bool {
        self.rows_known && self.widths.get(r).is_some_and(|w| *w < self.width)
    }

    /// Row `r` lost a cell: narrower than the table's rows and than the
    /// header row above it (a block printed narrower under a header as
    /// narrow lacks nothing). Spans make widths no evidence.
    pub fn short(&self, r: usize) -> bool {
        if self.spans || !self.narrow(r) {
            return false;
        }
        let w = self.widths.get(r).copied().unwrap_or(0);
        self.head_above(r)
            .is_none_or(|h| self.widths.get(h).is_some_and(|&hw| hw > w))
    }

    /// Row `r` ends before a word of the header row above: a cell it lacks
    /// at its end is a named column, not padding.
    pub fn ends_before_its_header(&self, r: usize) -> bool {
        let w = self.widths.get(r).copied().unwrap_or(0);
        self.head_above(r)
            .is_some_and(|h| self.words_end.get(h).is_some_and(|&e| e > w))
    }

    /// The header row above row `r`: no figure, more than one cell.
    fn head_above(&self, r: usize) -> Option<usize> {
        (0..r.min(self.figured.len()))
            .rev()
            .find(|&h| !self.figured[h] && self.widths.get(h).is_some_and(|&w| w > 1))
    }
}

/// Places and row widths with rowspans and colspans expanded.
fn expand(t: &Table) -> (Vec<Vec<Place>>, Vec<usize>) {
    let expanded = t.grid();
    let mut places: Vec<Vec<Place>> = t
        .rows
        .iter()
        .map(|r| vec![Place { col: 0, span: 0 }; r.len()])
        .collect();
    for (r, line) in expanded.iter().enumerate() {
        for (c, slot) in line.iter().enumerate() {
            let Some((owner, i)) = *slot else { continue };
            if owner != r {
                continue; // a span from a row above
            }
            if let Some(p) = places.get_mut(r).and_then(|row| row.get_mut(i)) {
                if p.span == 0 {
                    p.col = c as u16;
                }
                p.span += 1;
            }
        }
    }
    (places, expanded.iter().map(Vec::len).collect())
}

/// Per row of `t`, the grid column after its last cell with text.
fn words_end(t: &Table, places: &[Vec<Place>]) -> Vec<usize> {
    t.rows
        .iter()
        .zip(places)
        .map(|(row, at)| {
            let last = row.iter().rposition(|c| !c.text.trim().is_empty());
            last.and_then(|i| at.get(i))
                .map_or(0, |p| usize::from(p.col) + usize::from(p.span))
        })
        .collect()
}

/// The widths a verdict weighs: the rows of figures, and the header rows
/// too where there are only one or two of those (section 四 under its
/// header: the header says how wide a row is).
fn evidence(data: &[usize], heads: &[usize]) -> Vec<usize> {
    let mut all = data.to_vec();
    if data.len() < 3 {
        all.extend(heads);
    }
    all
}

/// The modal width of the rows that hold a figure, and whether positions
/// are trusted: rows delimited, and (nearly) all rows of figures that wide.
/// One row in ten may differ (a damaged row is handled row by row); in a
/// small table none may.
fn verdict(data: &[usize], rows_known: bool) -> (Option<usize>, bool) {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for w in data {
        match counts.iter_mut().find(|(x, _)| x == w) {
            Some((_, n)) => *n += 1,
            None => counts.push((*w, 1)),
        }
    }
    let Some(&(width, n)) = counts.iter().max_by_key(|(w, n)| (*n, *w)) else {
        return (None, false);
    };
    let odd = data.len() - n;
    (Some(width), rows_known && odd <= data.len() / 10)
}

/// A table printed in parts (a markdown table cut by headings or page
/// furniture, one small table per row under its heading) is one table: the
/// verdict and the width are decided over all its parts. Consecutive grids
/// of one shape are parts of one table unless a section heading stands
/// between them (`heading[i]`: one does before grid `i`); a part of one or
/// two rows may differ in width by two (it is a damaged row on its own).
pub fn settle(grids: &mut [Grid], heading: &[bool]) {
    let mut start = 0;
    while start < grids.len() {
        let mut end = start + 1;
        while end < grids.len() && !heading.get(end).copied().unwrap_or(true) {
            let (run, next) = (&grids[start..end], &grids[end]);
            let width = verdict(&pooled(run), true).0;
            let same = run[0].origin == next.origin && run[0].spans == next.spans;
            let near = match (width, verdict(&next.data, true).0) {
                (Some(a), Some(b)) => a == b || (next.data.len() <= 2 && a.abs_diff(b) <= 2),
                _ => next.data.is_empty(),
            };
            if !(same && next.rows_known && near) {
                break;
            }
            end += 1;
        }
        if end - start > 1 {
            let data = pooled(&grids[start..end]);
            let (width, trusted) = verdict(&data, true);
            for g in &mut grids[start..end] {
                g.width = width.unwrap_or(g.width);
                g.trusted = trusted;
            }
        }
        start = end;
    }
}

fn pooled(run: &[Grid]) -> Vec<usize> {
    let data: Vec<usize> = run.iter().flat_map(|g| g.data.iter().copied()).collect();
    let heads: Vec<usize> = run.iter().flat_map(|g| g.heads.iter().copied()).collect();
    evidence(&data, &heads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::{Block, text};

    fn grid(src: &str) -> Grid {
        let b = text::blocks(src);
        let t = b
            .iter()
            .find_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Para(_) => None,
            })
            .expect("a table");
        figures(t)
    }

    fn figures(t: &Table) -> Grid {
        use crate::value::{CellValue, classify};
        Grid::of(t, |r, i| {
            matches!(classify(&t.rows[r][i].text), CellValue::Number { .. })
        })
    }

    #[test]
    fn consistent_explicit_blanks_are_trusted() {
        let g = grid(
            "| 一、本年新收政府信息公开申请数量 | 26 |  |  |  |  |  | 26 |\n|---|---|---|---|---|---|---|---|\n| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
        );
        assert!(g.trusted);
        assert_eq!(g.width, 8);
        assert_eq!(g.places[0][7], Place { col: 7, span: 1 });
    }

    #[test]
    fn the_seeds_padding_is_not_trusted() {
        // One cell per line: the pipes after `0` pad the row to the table's
        // width, six or seven of them for rows of the same seven cells.
        let g = grid(
            "一、本年新收政府信息公开申请数量 |\n0 | ||||||\n(一)予以公开 |\n0 | |||||\n1.属于国家秘密 |\n||||||\n2.其他法律行政法规禁止公开 |\n|||||||\n",
        );
        assert!(!g.rows_known);
        assert!(!g.trusted);
    }

    #[test]
    fn rows_of_different_widths_are_not_trusted() {
        let g = grid("规章 | 1 | 2 | 3 |\n行政许可 | 5 |\n行政处罚 | 0 | 1 |\n");
        assert!(!g.trusted);
    }

    #[test]
    fn spans_expand_into_columns() {
        let (b, _) = crate::blocks::html::blocks(
            "<table><tr><td rowspan=2>三、本年度办理结果</td><td>（一）予以公开</td><td>1</td></tr><tr><td>（二）部分公开</td><td>2</td></tr></table>",
        );
        let Some(Block::Table(t)) = b.first() else {
            panic!("no table")
        };
        let g = figures(t);
        assert!(g.spans && g.trusted);
        assert_eq!(g.places[1][1], Place { col: 2, span: 1 });
    }
}
