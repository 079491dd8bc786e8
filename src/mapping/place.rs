//! Step 2: each row's cells get their slots (which template column each
//! value goes to), or the row is left `null` with the reason. Nothing is
//! written here: [`super::cells`] turns the plan into values and flags.
//!
//! Where the grid's verdict trusts positions and the row's cells sit on one
//! delimited row, slots come from positions: the header's columns when it
//! names them, else the columns the table's other rows put their values in
//! (the table's consensus). A row that does not fit them (a border pipe
//! read as a cell, one label-span cell too many) takes the only alignment
//! that satisfies its row total (A2, A4), or none. Elsewhere — one cell per
//! line, running text — slots come from rank: the k-th value after the
//! label is the k-th column, and padding that hides positions leaves the
//! row `null`.

use super::header::Columns;
use super::read::{Read, What, is_filled, wide_width};
use crate::arithmetic::row_total;
use crate::grid::Grid;
use crate::stream::{Geo, Tok, TokKind};
use crate::template::{ColKey, Rule, TableKey, TableSpec, Template};
use crate::value::CellValue;

pub(super) enum Plan<'t> {
    /// The cell (if any) for each template column.
    Slots {
        cells: Vec<Option<&'t Tok<'t>>>,
        note: Option<Note>,
    },
    Null(Problem),
    /// Digits run together: left to [`crate::split`].
    Deferred,
    /// A label with no figure after it (a heading that repeats a row
    /// label, or a blank row).
    LabelOnly,
}

pub(super) enum Note {
    /// Fewer cells than columns, kept left to right.
    Short(usize),
    /// Placed by the only alignment its row total allows.
    Repaired(String),
}

pub(super) enum Problem {
    /// More filled cells than columns.
    Long(usize),
    /// Running text with fewer figures than cells: separators lost.
    RunTogether(usize),
    /// Figures followed by padding pipes: their columns are unknown.
    Padded(usize),
    /// Nothing but blanks and padding.
    Blank,
    /// A value cell spans several columns.
    Spans(String),
    /// The row is narrower than the table's other rows and its cells do
    /// not sit under the table's columns: a cell was lost, which is unknown.
    Lost,
    /// The cells fit no single alignment (none, or several, satisfy the row
    /// total).
    Misaligned(String),
}

/// A row's cells on one delimited row of a trusted grid, in the row's
/// position space: grid columns, or — where spans make grid columns
/// unreliable — the rank of each cell after the label.
struct View<'t> {
    grid: u32,
    /// (position, grid span, cell), by position.
    cells: Vec<(usize, usize, &'t Tok<'t>)>,
    /// Positions values may take.
    lo: usize,
    hi: usize,
    /// The row's width differs from the table's.
    odd: bool,
    /// Cells the row has beyond the table's width.
    wider: usize,
    /// It is narrower: a cell was lost somewhere in it.
    narrow: bool,
}

/// Template column → position.
type Layout = Vec<usize>;

pub(super) struct Placer<'a> {
    headers: &'a [Columns],
    grids: &'a [Grid],
    tpl: &'static Template,
    /// Per (grid, table, block): the start of the values most rows agree on.
    consensus: Vec<(Shape, usize)>,
    /// (grid, table, block) whose rows on delimited rows have different
    /// numbers of cells: one of them lost or gained a cell.
    uneven: Vec<(u32, TableKey, usize)>,
}

impl<'a> Placer<'a> {
    pub fn new(
        reads: &[Read],
        headers: &'a [Columns],
        grids: &'a [Grid],
        tpl: &'static Template,
    ) -> Placer<'a> {
        let mut p = Placer {
            headers,
            grids,
            tpl,
            consensus: Vec::new(),
            uneven: Vec::new(),
        };
        p.consensus = p.agree(reads);
        p.uneven = uneven(reads, grids);
        p
    }

    fn spec(&self, rd: &Read) -> Option<&'static TableSpec> {
        self.tpl.tables.get(rd.table.index()).copied()
    }

    fn header(&self, rd: &Read) -> Option<&'a Columns> {
        rd.header.and_then(|i| self.headers.get(i))
    }

    pub fn plan<'t>(&self, rd: &Read<'t>) -> Plan<'t> {
        if rd.runs {
            return Plan::Deferred;
        }
        // No figure and no placeholder: a label printed alone (a heading),
        // or a row of blanks; a copy of the row with figures wins.
        let nothing = rd.vals.iter().all(|t| !is_filled(t) && !is_placeholder(t));
        if nothing && matches!(rd.what, What::Data { .. }) {
            return Plan::LabelOnly;
        }
        let Some(spec) = self.spec(rd) else {
            return Plan::Null(Problem::Blank);
        };
        let n = width(spec, rd);
        if self.lost(rd, n) {
            return Plan::Null(Problem::Lost);
        }
        // A row with fewer places than columns is short whatever the
        // positions: rank says what is known of it.
        // A row of many more cells than columns is not a question of
        // alignment either (and trying every window would cost its square).
        match self.view(rd) {
            Some(v) if v.hi >= v.lo + n && v.hi - v.lo <= 4 * n + 8 => {
                self.by_position(rd, spec, &v, n)
            }
            _ => by_rank(rd, spec, n, self.order(rd), self.odd(rd)),
        }
    }

    /// Whether a blank cell beyond the row's width is a cell too, not
    /// padding: in separator lines, or where the row's label sits on a
    /// delimited row wider or narrower than most rows of figures of its
    /// table, or among rows of its block that differ in length.
    fn odd(&self, rd: &Read) -> Extra {
        // Separator lines write no padding: a blank there is a cell.
        let separated = rd.vals.iter().filter_map(|t| t.geo).any(|g| {
            self.grids
                .get(g.grid as usize)
                .is_some_and(|g| g.origin == crate::blocks::Origin::SepLines)
        });
        let odd = rd.label.is_some_and(|l| {
            self.uneven.contains(&(l.grid, rd.table, block_of(rd)))
                || self.grids.get(l.grid as usize).is_some_and(|g| {
                    g.rows_known && g.widths.get(l.row as usize).is_some_and(|w| *w != g.width)
                })
        });
        Extra { odd, separated }
    }

    /// A row on a delimited row that lost a cell (see [`Grid::short`]) and
    /// still ends in a blank cell (its writer pads rows; a row ending in a
    /// figure may lack trailing padding only, unless the header above
    /// prints a word past its end: a row cut there): where a blank sits among
    /// the cells its columns need, the lost cell may have stood on either
    /// side of it, and no reading, by position or by rank, knows its
    /// figures' columns.
    fn lost(&self, rd: &Read, n: usize) -> bool {
        let Some(l) = rd.label else { return false };
        let Some(g) = self
            .grids
            .get(l.grid as usize)
            .filter(|g| g.short(l.row as usize))
        else {
            return false;
        };
        let own: Vec<&Tok> = own(rd).collect();
        let blank = |t: &&Tok| !is_filled(t) && !is_placeholder(t);
        (own.last().is_some_and(blank) || g.ends_before_its_header(l.row as usize))
            && own.iter().any(|t| is_filled(t))
            && own.iter().take(n).any(blank)
    }

    /// The printed order of the block's columns, when a header gives it.
    fn order(&self, rd: &Read) -> Option<&'a [usize]> {
        self.header(rd).and_then(|h| h.order.as_deref())
    }

    /// The row's cells, when they sit on one delimited row of a trusted
    /// grid (blank cells of other rows aside).
    fn view<'t>(&self, rd: &Read<'t>) -> Option<View<'t>> {
        if !rd.cell {
            return None;
        }
        // The physical row: the label's, or for the wide row (no label)
        // the one row that holds figures.
        let (grid, row) = match rd.label {
            Some(g) => (g.grid, g.row),
            None => {
                let mut rows = rd
                    .vals
                    .iter()
                    .filter(|t| is_filled(t))
                    .filter_map(|t| t.geo);
                let first = rows.next()?;
                rows.all(|g| g.grid == first.grid && g.row == first.row)
                    .then_some((first.grid, first.row))?
            }
        };
        let g = self.grids.get(grid as usize).filter(|g| g.trusted)?;
        let mut cells: Vec<&'t Tok<'t>> = Vec::new();
        for &t in &rd.vals {
            match t.geo {
                Some(geo) if geo.grid == grid && geo.row == row => cells.push(t),
                _ if !is_filled(t) && !is_placeholder(t) => {}
                _ => return None,
            }
        }
        let label_end = rd
            .label
            .filter(|l| l.grid == grid && l.row == row)
            .map_or(0, |l| (l.at.col + l.at.span) as usize);
        let width = g.widths.get(row as usize).copied().unwrap_or(g.width);
        let (odd, narrow) = (width != g.width, g.narrow(row as usize));
        let (cells, lo, hi) = if g.spans {
            // One place per cell, whatever it spans.
            let cells: Vec<(usize, usize, &Tok)> =
                cells.iter().enumerate().map(|(i, t)| (i, 1, *t)).collect();
            let hi = cells.len();
            (cells, 0, hi)
        } else {
            let cells: Vec<(usize, usize, &Tok)> = cells
                .iter()
                .filter_map(|t| Some((t.geo?.at.col as usize, 1, *t)))
                .collect();
            let end = cells.last().map_or(0, |c| c.0 + 1);
            (cells, label_end, end)
        };
        Some(View {
            grid,
            cells,
            lo,
            hi,
            odd,
            wider: width.saturating_sub(g.width),
            narrow,
        })
    }
}

/// The blocks whose rows, each on a delimited row of one grid, do not all
/// have the same number of cells after their label.
fn uneven(reads: &[Read], grids: &[Grid]) -> Vec<(u32, TableKey, usize)> {
    let mut counts: std::collections::HashMap<(u32, TableKey, usize), Vec<usize>> =
        Default::default();
    for rd in reads {
        let Some(l) = rd
            .label
            .filter(|l| grids.get(l.grid as usize).is_some_and(|g| g.rows_known))
        else {
            continue;
        };
        let own = own(rd).count();
        if own > 0 {
            counts
                .entry((l.grid, rd.table, block_of(rd)))
                .or_default()
                .push(own);
        }
    }
    counts
        .into_iter()
        .filter(|(_, c)| c.iter().any(|n| *n != c[0]))
        .map(|(k, _)| k)
        .collect()
}

/// The row's values on its label's own physical row (none without a
/// label): what a delimited row says of the row's width.
fn own<'r, 't>(rd: &'r Read<'t>) -> impl Iterator<Item = &'t Tok<'t>> + 'r {
    let on = |l: Geo, t: &Tok| t.geo.is_some_and(|g| g.grid == l.grid && g.row == l.row);
    rd.vals
        .iter()
        .copied()
        .filter(move |t| rd.label.is_some_and(|l| on(l, t)))
}

/// Values a row has: its block's columns, or five per group of the wide row.
fn width(spec: &TableSpec, rd: &Read) -> usize {
    match &rd.what {
        What::Data { block, .. } => spec.blocks.get(*block).map_or(0, |b| b.columns.len()),
        What::Wide { groups } => wide_width(spec, groups),
    }
}

fn is_figure(t: &Tok) -> bool {
    matches!(t.kind, TokKind::Value(CellValue::Number { .. }))
}

fn is_placeholder(t: &Tok) -> bool {
    matches!(t.kind, TokKind::Value(CellValue::Placeholder))
}

/// Slots by rank: the k-th value after the label is the k-th column (in
/// the header's order, when it gives one). Padding, short rows and running
/// text decide whether positions are known at all.
/// What makes a blank cell beyond a row's width a cell rather than padding.
#[derive(Clone, Copy)]
struct Extra {
    /// The row is wider or narrower than its table's rows, or than its
    /// block's other rows.
    odd: bool,
    /// Separator lines, which write no padding.
    separated: bool,
}

fn by_rank<'t>(
    rd: &Read<'t>,
    spec: &TableSpec,
    width: usize,
    order: Option<&[usize]>,
    extra: Extra,
) -> Plan<'t> {
    let mut toks: Vec<&'t Tok<'t>> = rd.vals.clone();
    // Padding before the values (`||` after a header word): not cells.
    let excess = toks.len().saturating_sub(width);
    if excess > 0
        && toks.iter().take(excess).all(|t| !is_filled(t) && t.pad)
        && toks.iter().skip(width).any(|t| is_filled(t))
    {
        toks.drain(..excess);
    }
    // A placeholder beyond the width is a cell too (`/` written where a
    // value was), except in a block narrower than its table's grid, where
    // `/` may fill the columns the block does not use; so is a blank cell
    // where the source writes no padding (see [`Extra`]).
    let narrower = width < widest(spec);
    let blank_cell = extra.separated || (extra.odd && !narrower);
    let explicit =
        |t: &&Tok| is_filled(t) || (!narrower && is_placeholder(t)) || (blank_cell && !t.pad);
    if toks.len() > width {
        if toks.iter().skip(width).any(explicit) {
            return Plan::Null(Problem::Long(toks.len()));
        }
        toks.truncate(width);
    }
    let filled = toks.iter().filter(|t| is_filled(t)).count();
    let run = toks
        .iter()
        .any(|t| matches!(t.kind, TokKind::Value(CellValue::Run)));
    if !rd.cell && (run || (toks.len() < width && filled > 0)) {
        return Plan::Null(Problem::RunTogether(toks.len()));
    }
    let explicit = toks.iter().filter(|t| !t.pad).count();
    let padded = toks.iter().any(|t| t.pad);
    let mut note = None;
    if toks.len() < width || (padded && explicit < width) {
        if filled == 0 {
            return Plan::Null(Problem::Blank);
        }
        if padded {
            return Plan::Null(Problem::Padded(filled));
        }
        if let Some(t) = toks.iter().find(|t| spans(t) > 1) {
            return Plan::Null(Problem::Spans(format!(
                "{} spans {} columns of a row with {} cells for {width}",
                t.raw,
                spans(t),
                toks.len()
            )));
        }
        note = Some(Note::Short(toks.len()));
    }
    let mut cells = vec![None; width];
    for (j, t) in toks.into_iter().enumerate() {
        if let Some(slot) = cells.get_mut(printed(j, order)) {
            *slot = Some(t);
        }
    }
    Plan::Slots { cells, note }
}

/// Grid columns a cell covers.
fn spans(t: &Tok) -> usize {
    t.geo.map_or(1, |g| g.at.span as usize)
}

/// Columns of the table's widest block.
fn widest(spec: &TableSpec) -> usize {
    spec.blocks
        .iter()
        .map(|b| b.columns.len())
        .max()
        .unwrap_or(0)
}

impl Placer<'_> {
    /// Slots by position (see module docs).
    fn by_position<'t>(&self, rd: &Read<'t>, spec: &TableSpec, v: &View<'t>, n: usize) -> Plan<'t> {
        let narrower = n < widest(spec) && !matches!(rd.what, What::Wide { .. });
        let layouts = self.layouts(rd, v, n);
        let fits = |l: &Layout| fits(v, l, narrower);
        let cands: Vec<&Layout> = layouts.iter().filter(|l| fits(l).is_ok()).collect();
        let base = self
            .base(rd, v, n)
            .or_else(|| (cands.len() == 1).then(|| cands[0].clone()));
        let base_ok = base.as_ref().filter(|b| fits(b).is_ok());
        if cands.is_empty() {
            // A value over several columns; else text where a value should
            // be, or more figures than columns: what rank makes of the row.
            let span = layouts.iter().find_map(|l| fits(l).err().flatten());
            return match span {
                Some(msg) => Plan::Null(Problem::Spans(msg)),
                None if v.narrow => Plan::Null(Problem::Lost),
                None => by_rank(rd, spec, n, self.order(rd), self.odd(rd)),
            };
        }
        let slots = |l: &Layout| slots(v, l);
        let doubt = v.odd || base_ok.is_none() || cands.len() > 1;
        // Several alignments that read the same values leave no doubt.
        let same = cands.len() > 1
            && cands
                .windows(2)
                .all(|w| texts(&slots(w[0])) == texts(&slots(w[1])));
        match base_ok {
            Some(b) if !doubt || same => return plan(slots(b), None),
            None if same => return plan(slots(cands[0]), None),
            _ => {}
        }
        // A row that lost a cell cannot be realigned: which cell went is
        // unknown, and a lost 0 leaves every row total holding.
        if v.narrow && base_ok.is_none() {
            return Plan::Null(Problem::Lost);
        }
        let check = |l: &Layout| rule_check(spec, rd, &slots(l));
        if let Some(b) = base_ok
            && check(b) != Some(Verdict::Breaks)
        {
            return plan(slots(b), None);
        }
        // Only an alignment of figures throughout can be repaired: where a
        // blank sits among them, a cell added there would shift the parts
        // before it while their sum still holds.
        let full = |l: &Layout| slots(l).iter().all(|c| c.is_some_and(is_figure));
        let ok: Vec<&&Layout> = cands
            .iter()
            .filter(|l| Some(**l) != base_ok && check(l) == Some(Verdict::Satisfies))
            .collect();
        let ok: Vec<&&Layout> = if ok.iter().all(|l| full(l)) {
            ok
        } else {
            Vec::new()
        };
        match ok.as_slice() {
            [one] => {
                let msg = format!(
                    "cells {} read as {}: the only alignment whose row total holds",
                    show(v.cells.iter().map(|c| c.2.raw.as_ref())),
                    show(
                        slots(one)
                            .into_iter()
                            .map(|c| c.map_or("∅", |t| t.raw.as_ref()))
                    )
                );
                plan(slots(one), Some(Note::Repaired(msg)))
            }
            _ => Plan::Null(Problem::Misaligned(format!(
                "cells {} fit {} alignments ({} with the row total)",
                show(v.cells.iter().map(|c| c.2.raw.as_ref())),
                cands.len(),
                ok.len()
            ))),
        }
    }

    /// Every layout of the row's cells worth trying: the header's columns
    /// shifted, or a window of the block's columns at each start, in the
    /// header's order.
    fn layouts(&self, rd: &Read, v: &View, n: usize) -> Vec<Layout> {
        let order = self.order(rd);
        if n == 0 || v.hi < v.lo + n {
            return Vec::new();
        }
        if let Some(at) = self.header_at(rd, v, n) {
            let (min, max) = (
                at.iter().min().copied().unwrap_or(0),
                at.iter().max().copied().unwrap_or(0),
            );
            return (v.lo as isize - min as isize..=(v.hi - 1) as isize - max as isize)
                .map(|d| at.iter().map(|&p| (p as isize + d) as usize).collect())
                .collect();
        }
        (v.lo..=v.hi - n).map(|s| window(s, n, order)).collect()
    }

    /// The layout by position: the header's columns, or the table's
    /// consensus. A row wider than its table whose label ends exactly as
    /// many cells past the consensus start gained them among its labels (a
    /// group head in a cell of its own, `（六）其他处理` before `1.申请人…`,
    /// no rowspan; two lines run together): its values follow its label.
    fn base(&self, rd: &Read, v: &View, n: usize) -> Option<Layout> {
        if let Some(at) = self.header_at(rd, v, n) {
            return Some(at);
        }
        let key = self.shape(rd, v);
        let s = self.consensus.iter().find(|(k, _)| *k == key)?.1;
        let s = if s + v.wider == v.lo { v.lo } else { s };
        Some(window(s, n, self.order(rd)))
    }

    /// The physical column of every template column, from a header of the
    /// same grid that names them all.
    fn header_at(&self, rd: &Read, v: &View, n: usize) -> Option<Layout> {
        let (g, at) = self.header(rd)?.at.as_ref()?;
        if !self.same_columns(*g, v.grid) || at.len() != n || matches!(rd.what, What::Wide { .. }) {
            return None;
        }
        at.iter().map(|p| p.map(usize::from)).collect()
    }

    /// Per (grid, table, block), the start of the values that fits the
    /// most rows of the table's own width (and the header's named columns).
    fn agree(&self, reads: &[Read]) -> Vec<(Shape, usize)> {
        let mut votes: std::collections::HashMap<Shape, Vec<usize>> = Default::default();
        for rd in reads {
            let (Some(spec), Some(v)) = (self.spec(rd), self.view(rd)) else {
                continue;
            };
            if v.odd || rd.runs {
                continue;
            }
            let n = width(spec, rd);
            let narrower = n < widest(spec) && !matches!(rd.what, What::Wide { .. });
            let key = self.shape(rd, &v);
            let named = self.named_starts(rd, &v, n);
            let starts: Vec<usize> = (v.lo..=v.hi.saturating_sub(n).max(v.lo))
                .filter(|&s| v.hi >= s + n)
                .filter(|&s| fits(&v, &window(s, n, self.order(rd)), narrower).is_ok())
                .filter(|s| named.as_ref().is_none_or(|ok| ok.contains(s)))
                .collect();
            votes.entry(key).or_default().extend(starts);
        }
        votes
            .into_iter()
            .filter_map(|(key, starts)| {
                let mut count: std::collections::HashMap<usize, usize> = Default::default();
                for s in starts {
                    *count.entry(s).or_default() += 1;
                }
                let best = count.values().copied().max()?;
                let mut top = count.iter().filter(|c| *c.1 == best).map(|c| *c.0);
                let first = top.next()?;
                top.next().is_none().then_some((key, first))
            })
            .collect()
    }

    /// Window starts that put the columns a header names (at physical
    /// columns of this grid) under their words.
    fn named_starts(&self, rd: &Read, v: &View, n: usize) -> Option<Vec<usize>> {
        let (g, at) = self.header(rd)?.at.as_ref()?;
        if !self.same_columns(*g, v.grid) || matches!(rd.what, What::Wide { .. }) {
            return None;
        }
        let order = self.order(rd);
        let starts: Vec<usize> = (v.lo..=v.hi.saturating_sub(n).max(v.lo))
            .filter(|&s| {
                let w = window(s, n, order);
                at.iter()
                    .zip(&w)
                    .all(|(a, p)| a.is_none_or(|a| usize::from(a) == *p))
            })
            .collect();
        (at.iter().any(Option::is_some)).then_some(starts)
    }
}

/// What rows share a consensus on where values start: rows of one table
/// and block in grids of one width (a markdown table continued after a
/// heading or page furniture keeps its columns).
type Shape = (usize, bool, TableKey, usize);

impl Placer<'_> {
    fn shape(&self, rd: &Read, v: &View) -> Shape {
        let g = self.grids.get(v.grid as usize);
        (
            g.map_or(0, |g| g.width),
            g.is_some_and(|g| g.spans),
            rd.table,
            block_of(rd),
        )
    }

    /// Whether physical columns of grid `a` are those of grid `b`: the
    /// same grid, or a continuation of the same width (both trusted, no
    /// spans).
    fn same_columns(&self, a: u32, b: u32) -> bool {
        let (Some(x), Some(y)) = (self.grids.get(a as usize), self.grids.get(b as usize)) else {
            return false;
        };
        a == b || (x.width == y.width && x.trusted && y.trusted && !x.spans && !y.spans)
    }
}

fn block_of(rd: &Read) -> usize {
    match rd.what {
        What::Data { block, .. } => block,
        What::Wide { .. } => 0,
    }
}

/// The template column of the j-th column as printed: `order` gives a
/// block's (or a wide row's group's) printed order, repeated group by group.
fn printed(j: usize, order: Option<&[usize]>) -> usize {
    match order {
        Some(o) if !o.is_empty() => o.get(j % o.len()).map_or(j, |k| k + j / o.len() * o.len()),
        _ => j,
    }
}

/// Columns at `s`, `s + 1`…, in the printed order.
fn window(s: usize, n: usize, order: Option<&[usize]>) -> Layout {
    let mut l = vec![0; n];
    for j in 0..n {
        if let Some(slot) = l.get_mut(printed(j, order)) {
            *slot = s + j;
        }
    }
    l
}

/// Whether a layout fits the row: each of its places holds a value cell
/// (not text), every cell it leaves out is blank (or a placeholder where the
/// block is narrower than its grid), and no value cell spans columns of the
/// layout. `Err(Some(_))` says which cell spans.
fn fits(v: &View, l: &Layout, narrower: bool) -> Result<(), Option<String>> {
    let distinct = l.iter().enumerate().all(|(i, p)| !l[..i].contains(p));
    if !distinct
        || l.iter()
            .any(|&p| p < v.lo || p >= v.hi || !v.cells.iter().any(|c| c.0 == p))
    {
        return Err(None);
    }
    for &(p, span, t) in &v.cells {
        let inside = l.contains(&p);
        if !inside && (is_filled(t) || (!narrower && is_placeholder(t))) {
            return Err(None);
        }
        if inside && span > 1 && is_filled(t) {
            let covered = l.iter().filter(|&&q| q > p && q < p + span).count();
            if covered > 0 {
                return Err(Some(format!(
                    "{} spans {span} columns; its column is unknown",
                    t.raw
                )));
            }
        }
    }
    Ok(())
}

fn slots<'t>(v: &View<'t>, l: &Layout) -> Vec<Option<&'t Tok<'t>>> {
    l.iter()
        .map(|&p| v.cells.iter().find(|c| c.0 == p).map(|c| c.2))
        .collect()
}

fn texts(cells: &[Option<&Tok>]) -> Vec<String> {
    cells
        .iter()
        .map(|c| c.map_or(String::new(), |t| t.raw.to_string()))
        .collect()
}

fn show<'x>(it: impl Iterator<Item = &'x str>) -> String {
    it.map(|s| if s.is_empty() { "∅" } else { s })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn plan<'a>(cells: Vec<Option<&'a Tok<'a>>>, note: Option<Note>) -> Plan<'a> {
    Plan::Slots { cells, note }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// The row total fails whatever the blanks hold.
    Breaks,
    /// It holds (blanks read as 0), and its total cell is filled.
    Satisfies,
    /// Blanks could make it hold or not, or there is nothing to judge.
    Neutral,
}

/// The row totals of the table (A2, or A4 for each group of the wide row)
/// on these slots; `None` when the table has none.
fn rule_check(spec: &TableSpec, rd: &Read, cells: &[Option<&Tok>]) -> Option<Verdict> {
    let block = spec.blocks.first()?;
    let cols = block.columns;
    let rules: Vec<&Rule> = spec
        .rules
        .iter()
        .filter(|r| matches!(r, Rule::RowTotal { .. }))
        .collect();
    if rules.is_empty() || (matches!(rd.what, What::Data { .. }) && spec.blocks.len() != 1) {
        return None;
    }
    let value = |t: Option<&Tok>| match t.map(|t| &t.kind) {
        Some(TokKind::Value(CellValue::Number { num, .. })) => Some(num.v),
        _ => None,
    };
    let (mut any_total, mut undecided) = (false, false);
    for chunk in cells.chunks(cols.len().max(1)) {
        for r in &rules {
            let get = |k: ColKey| {
                let i = block.column(k)?;
                value(chunk.get(i).copied().flatten())
            };
            match row_total(r, get) {
                Some(b) if b.broken() => return Some(Verdict::Breaks),
                Some(b) if b.holds() => any_total |= b.rhs.blanks == 0,
                Some(_) => undecided = true,
                None => {}
            }
        }
    }
    Some(if any_total && !undecided {
        Verdict::Satisfies
    } else {
        Verdict::Neutral
    })
}
