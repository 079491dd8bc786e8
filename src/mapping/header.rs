//! Header rows: what each header word names (a column of the template, a
//! span over several, a group of section 四), so that a header cell is tied
//! to its column. From a header the mapper learns the order in which the
//! source prints the block's columns, where each sits in a trusted grid, and
//! the unit a header states; a header that disagrees with the template is
//! flagged on its table.

use crate::flags::{Code, Flag};
use crate::grid::Grid;
use crate::stream::{Entry, Geo, HeaderWord, Tok, TokKind};
use crate::template::{ColKey, Layout, Names, TableKey, TableSpec, ValueKind};

/// The cells of one header as read: its words, and the blanks and other
/// cells of the rows it spans.
#[derive(Default)]
pub(super) struct Run<'s> {
    cells: Vec<&'s Tok<'s>>,
}

/// What a header says about the columns of its block.
#[derive(Debug, Default)]
pub(super) struct Columns {
    /// For the k-th column as the source prints them, the template column
    /// it is; only when the header names each column of the block once.
    pub order: Option<Vec<usize>>,
    /// The grid (trusted, without spans) and the physical column each
    /// template column's header word sits in, where one does.
    pub at: Option<(u32, Vec<Option<u16>>)>,
    /// The unit the header states for each template column of amounts:
    /// only an amount's flags depend on it ([`super::cells`]), and reading
    /// it is most of a header's cost, so other columns keep `None`. Empty
    /// (read as all `None`) when the header names no amount column.
    pub units: Vec<Option<&'static str>>,
}

impl<'s> Run<'s> {
    pub fn push(&mut self, t: &'s Tok<'s>) {
        self.cells.push(t);
    }

    pub fn last_geo(&self) -> Option<Geo> {
        self.cells.last().and_then(|t| t.geo)
    }

    fn words(&self) -> impl Iterator<Item = (&'s Tok<'s>, HeaderWord)> + '_ {
        self.cells
            .iter()
            .flat_map(|&t| header_words(t).map(move |w| (t, w)))
    }

    /// The table the header belongs to: the current one if its words head
    /// it, else the first table its first word heads.
    pub fn table(&self, current: Option<TableKey>) -> Option<TableKey> {
        if let Some(c) = current
            && self.words().any(|(_, w)| w.owns(c))
        {
            return Some(c);
        }
        self.words().next().map(|(_, w)| w.first_table())
    }

    /// The block whose columns the header names: the current block if it
    /// has them all, else the first that does.
    pub fn block(&self, spec: &TableSpec, table: TableKey, current: usize) -> usize {
        // Asked again per block rather than collected: most headers fit the
        // current block at once.
        let named = || {
            self.words().filter_map(|(_, w)| match w.names(table) {
                Names::Column(k) => Some(k),
                _ => None,
            })
        };
        let fits = |b: usize| {
            spec.blocks
                .get(b)
                .is_some_and(|blk| named().all(|k| blk.column(k).is_some()))
        };
        if named().next().is_none() || fits(current) {
            return current;
        }
        (0..spec.blocks.len()).find(|&b| fits(b)).unwrap_or(current)
    }
}

/// One column word of a header: the template column it names (or a column
/// the block does not have), where it sits, and its text.
struct Leaf<'a> {
    col: Result<usize, ColKey>,
    tok: &'a Tok<'a>,
    /// The header row the word is in.
    row: usize,
}

/// Read a header of `spec`'s block `block`: its columns, and the flags a
/// disagreement with the template calls for.
pub(super) fn read(
    run: &Run,
    spec: &TableSpec,
    (table, block): (TableKey, usize),
    grids: &[Grid],
) -> (Columns, Vec<Flag>) {
    let Some(b) = spec.blocks.get(block) else {
        return (Columns::default(), Vec::new());
    };
    let n = b.columns.len();
    let mut cols = Columns::default();
    // Most headers a report has name no column of the block (信息内容, a
    // group word): nothing to read.
    let names_one = run
        .words()
        .any(|(_, w)| matches!(w.names(table), Names::Column(_)));
    if !names_one {
        return (cols, Vec::new());
    }
    let rows = rows(run, table, b, grids);
    let leaves: Vec<Leaf> = nested(&rows, spec, table, b);
    let order = printed_order(rows.len(), &leaves, n);
    let physical = physical(&leaves, grids);
    // Where the words' columns are evidence, they must give the same order
    // before the header is believed: a page number inside the header
    // shifts the spans below it.
    if physical && order.is_some() && order != by_column(&leaves) {
        return (cols, Vec::new());
    }
    let mut named: Vec<usize> = Vec::with_capacity(n);
    let mut foreign: Vec<ColKey> = Vec::new();
    for leaf in &leaves {
        match leaf.col {
            Ok(k) if !named.contains(&k) => {
                named.push(k);
                let amount = b
                    .columns
                    .get(k)
                    .is_some_and(|c| matches!(c.kind, ValueKind::Amount { .. }));
                if amount && cols.units.is_empty() {
                    cols.units = vec![None; n];
                }
                if let Some(slot) = cols.units.get_mut(k).filter(|_| amount) {
                    *slot = crate::value::stated_unit(&leaf.tok.raw);
                }
            }
            Ok(_) => {}
            Err(key) => foreign.push(key),
        }
    }
    let lacks = order.is_none() && lacks_a_column(run, &named, n, grids);
    let flags = judge(spec, b, order.as_deref(), &foreign, lacks.then_some(&named));
    if foreign.is_empty() || spec.layout == Layout::Wide {
        cols.order = order;
    }
    if physical {
        cols.at = positions(&leaves, n, grids);
    }
    (cols, flags)
}

/// Whether the header words' grid columns are evidence: a trusted grid,
/// and header rows as wide as its rows of figures.
fn physical(leaves: &[Leaf], grids: &[Grid]) -> bool {
    leaves.iter().all(|l| {
        l.tok.geo.is_some_and(|geo| {
            grids
                .get(geo.grid as usize)
                .is_some_and(|g| g.trusted && g.widths.get(geo.row as usize) == Some(&g.width))
        })
    })
}

/// The columns named, in the order of the words' grid columns.
fn by_column(leaves: &[Leaf]) -> Option<Vec<usize>> {
    let mut by_col: Vec<&Leaf> = leaves.iter().collect();
    by_col.sort_by_key(|x| x.tok.geo.map_or(0, |g| g.at.col));
    first_each(by_col.into_iter())
        .into_iter()
        .map(|c| c.ok())
        .collect()
}

/// The flags a header calls for: columns the block lacks or the header
/// lacks (`lacking`: the columns it does name), or another order.
fn judge(
    spec: &TableSpec,
    b: &crate::template::Block,
    order: Option<&[usize]>,
    foreign: &[ColKey],
    lacking: Option<&Vec<usize>>,
) -> Vec<Flag> {
    let label = |s: &mut dyn Iterator<Item = usize>| {
        s.filter_map(|k| b.columns.get(k).map(|c| c.label))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let flag = |code: Code, msg: String| {
        let f = Flag::new(code, msg).table(spec.key);
        if spec.nested { f.row(b.path()) } else { f }
    };
    if !foreign.is_empty() && spec.layout != Layout::Wide {
        return vec![flag(
            Code::HEADER_MISMATCH,
            format!(
                "the header names {} that this table does not have; values read in the template's order",
                foreign
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )];
    }
    if let Some(named) = lacking {
        let missing = (0..b.columns.len()).filter(|k| !named.contains(k));
        return vec![flag(
            Code::HEADER_MISMATCH,
            format!(
                "the header lacks {}; values read in the template's order",
                label(&mut missing.into_iter())
            ),
        )];
    }
    match order {
        Some(o) if o.iter().enumerate().any(|(i, &k)| i != k) => vec![flag(
            Code::COLUMNS_REORDERED,
            format!(
                "the header prints the columns as {}; values go to the column their header names",
                label(&mut o.iter().copied())
            ),
        )],
        _ => Vec::new(),
    }
}

/// The columns named, each once, in the order first named.
fn first_each<'l, 'a: 'l>(
    leaves: impl Iterator<Item = &'l Leaf<'a>>,
) -> Vec<Result<usize, ColKey>> {
    let mut out = Vec::new();
    for l in leaves {
        if !out.contains(&l.col) {
            out.push(l.col);
        }
    }
    out
}

/// The header's cells by physical row (a line of one cell per line is a
/// row; running text is one), without a row that names only some columns,
/// all named again below (a placeholder row `类别 | 数据1 | … | 总计` above
/// the real one). A row is a stretch of the run's cells (a run holds its
/// cells in reading order), so rows are slices of it, not copies.
fn rows<'r, 'a>(
    run: &'r Run<'a>,
    table: TableKey,
    b: &crate::template::Block,
    grids: &[Grid],
) -> Vec<&'r [&'a Tok<'a>]> {
    let cells = run.cells.as_slice();
    let key = |t: &Tok| t.geo.map(|g| (g.grid, g.row));
    let mut rows: Vec<&[&Tok]> = Vec::with_capacity(1);
    let mut start = 0;
    for i in 1..=cells.len() {
        if cells.get(i).is_none_or(|t| key(t) != key(cells[i - 1])) {
            rows.push(&cells[start..i]);
            start = i;
        }
    }
    // The last row is always kept (no row follows to name its columns
    // again), so a header of one row, the most common, names nothing here.
    if rows.len() < 2 {
        return rows;
    }
    let named = |r: &[&Tok]| -> Vec<ColKey> {
        r.iter()
            .flat_map(|t| header_words(t))
            .filter_map(|w| match w.names(table) {
                Names::Column(k) if b.column(k).is_some() => Some(k),
                _ => None,
            })
            .collect()
    };
    // Only a delimited row is a row: a line of one cell per line is not.
    let delimited = |r: &[&Tok]| {
        r.first()
            .and_then(|t| t.geo)
            .and_then(|g| grids.get(g.grid as usize))
            .is_some_and(|g| g.rows_known)
    };
    let names: Vec<Vec<ColKey>> = rows.iter().map(|r| named(r)).collect();
    let keep = |i: usize| {
        if !delimited(rows[i]) {
            return true;
        }
        let mine = &names[i];
        let whole = b.columns.iter().all(|c| mine.contains(&c.key));
        let later = |k: &ColKey| names[i + 1..].iter().any(|n| n.contains(k));
        whole || mine.is_empty() || !mine.iter().all(later)
    };
    (0..rows.len())
        .filter(|&i| keep(i))
        .map(|i| rows[i])
        .collect()
}

/// The printed order of the block's columns: from a row that names them
/// all (every such row agreeing), else from the header read in order with
/// spans nested; `None` when neither names each column once.
fn printed_order(rows: usize, leaves: &[Leaf], n: usize) -> Option<Vec<usize>> {
    // A row that names the columns once, or once per group of the wide
    // table, each time in the same order.
    let whole_row = |mine: &[&Leaf]| -> Option<Vec<usize>> {
        if n == 0 || mine.is_empty() || !mine.len().is_multiple_of(n) {
            return None;
        }
        let mut chunks = mine.chunks(n).map(|c| complete(c.iter().copied(), n));
        let first = chunks.next()??;
        chunks.all(|c| c.as_ref() == Some(&first)).then_some(first)
    };
    // The leaves of each row in turn (a run holds each token once, so a
    // leaf's token is in its own row only), in one buffer.
    let mut mine: Vec<&Leaf> = Vec::with_capacity(leaves.len());
    // `None` until a whole row is seen; then its order while all agree.
    let mut whole: Option<Option<Vec<usize>>> = None;
    for r in 0..rows {
        mine.clear();
        mine.extend(leaves.iter().filter(|l| l.row == r));
        if let Some(o) = whole_row(&mine) {
            whole = Some(match whole {
                None => Some(o),
                Some(agreed) => agreed.filter(|a| *a == o),
            });
        }
    }
    match whole {
        Some(agreed) => agreed,
        None => complete(leaves.iter(), n),
    }
}

/// The columns `leaves` name, in the order first named ([`first_each`]),
/// when they name each of the block's `n` columns and no column it lacks.
fn complete<'l, 'a: 'l>(
    leaves: impl Iterator<Item = &'l Leaf<'a>>,
    n: usize,
) -> Option<Vec<usize>> {
    let ks: Vec<usize> = first_each(leaves)
        .into_iter()
        .collect::<Result<_, _>>()
        .ok()?;
    (ks.len() == n).then_some(ks)
}

/// The column words of a header's rows in reading order, the columns a
/// span heads (`法人或其他组织` over 商业企业…其他) put in the span's place, as
/// a header of two rows prints them below it.
fn nested<'a>(
    rows: &[&[&'a Tok<'a>]],
    spec: &TableSpec,
    table: TableKey,
    b: &crate::template::Block,
) -> Vec<Leaf<'a>> {
    // The leaves outside any span, and each span with where its columns go
    // (the leaves before it) and the leaves it heads: most headers have
    // no span, and their leaves are read straight into place.
    let mut leaves: Vec<Leaf> = Vec::with_capacity(b.columns.len());
    let mut spans: Vec<(&'static [ColKey], usize, Vec<Leaf>)> = Vec::new();
    let cells = rows.iter().enumerate();
    for (row, &t) in cells.flat_map(|(i, r)| r.iter().map(move |t| (i, t))) {
        for w in header_words(t) {
            match w.names(table) {
                Names::Column(k) => {
                    let leaf = Leaf {
                        col: b.column(k).ok_or(k),
                        tok: t,
                        row,
                    };
                    match spans.iter_mut().find(|(kids, ..)| kids.contains(&k)) {
                        Some((.., v)) => v.push(leaf),
                        None => leaves.push(leaf),
                    }
                }
                // A span over every column heads the whole table.
                Names::Columns(kids)
                    if kids.len() < b.columns.len() && spec.layout != Layout::Wide =>
                {
                    spans.push((kids, leaves.len(), Vec::new()));
                }
                _ => {}
            }
        }
    }
    // The last span first, so the places of those before it hold (spans
    // at one place keep their order).
    for (_, at, v) in spans.into_iter().rev() {
        leaves.splice(at..at, v);
    }
    leaves
}

/// Header words of a token (a label token may hold several).
pub(super) fn header_words<'a>(t: &'a Tok<'a>) -> impl Iterator<Item = HeaderWord> + 'a {
    let hits = match &t.kind {
        TokKind::Label(h) => h.as_slice(),
        _ => &[],
    };
    hits.iter().filter_map(|h| match h.entry {
        Entry::Header(w) => Some(w),
        _ => None,
    })
}

/// A header on one delimited row that names some of the block's columns,
/// none twice, and has no other cell for the rest: it lacks a column.
fn lacks_a_column(run: &Run, seen: &[usize], n: usize, grids: &[Grid]) -> bool {
    let Some(first) = run.cells.iter().find_map(|t| t.geo) else {
        return false;
    };
    let one_row = run.cells.iter().all(|t| {
        t.geo
            .is_some_and(|g| g.grid == first.grid && g.row == first.row)
    });
    let delimited = grids.get(first.grid as usize).is_some_and(|g| g.rows_known);
    let others = run
        .cells
        .iter()
        .filter(|t| matches!(t.kind, TokKind::Text))
        .count();
    one_row && delimited && others == 0 && !seen.is_empty() && seen.len() < n
}

/// Where each template column's header word sits, in a trusted grid whose
/// columns are physical (no spans); `None` if two share a column.
fn positions(leaves: &[Leaf], n: usize, grids: &[Grid]) -> Option<(u32, Vec<Option<u16>>)> {
    let first = leaves.iter().find_map(|l| l.tok.geo)?;
    let g = grids.get(first.grid as usize)?;
    if !g.trusted || g.spans {
        return None;
    }
    let mut at = vec![None; n];
    for l in leaves {
        let (Ok(k), Some(geo)) = (l.col, l.tok.geo) else {
            continue;
        };
        if geo.grid != first.grid {
            return None;
        }
        if let Some(slot) = at.get_mut(k).filter(|s| s.is_none()) {
            *slot = Some(geo.at.col);
        }
    }
    // Two columns under one word's place is no positional evidence.
    let mut placed: Vec<u16> = at.iter().flatten().copied().collect();
    placed.sort_unstable();
    placed.dedup();
    (placed.len() == at.iter().flatten().count()).then_some((first.grid, at))
}
