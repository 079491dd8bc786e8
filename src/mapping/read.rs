//! Step 1: tokens → rows. A recognised row label opens a row; the value
//! tokens that follow fill it until the next label or text. Header words
//! switch tables, open the wide row of section 四 (naming its groups) and
//! are read as headers. Rows are only collected here; their cells get slots
//! in [`super::place`].

use super::header::{self, Columns, Run};
use super::{ExtraRow, Pending, PendingRow, TableData, row_path};
use crate::flags::{Code, Flag};
use crate::stream::{Entry, Geo, HeaderWord, Hit, Tok, TokKind};
use crate::template::{
    BlockKey, Layout, Names, Row, RowKey, RowKind, TableKey, TableSpec, Template, ValueKind,
};
use crate::value::CellValue;

/// One row as read, before its cells get their slots.
pub(super) struct Read<'s> {
    pub table: TableKey,
    pub what: What,
    /// The label came from a table cell (its values are cells too).
    pub cell: bool,
    pub vals: Vec<&'s Tok<'s>>,
    /// Where the row's last label cell sits.
    pub label: Option<Geo>,
    /// The header in force for the row's table and block.
    pub header: Option<usize>,
    /// Digits run together in running text: the values are the runs that
    /// [`crate::split`] cuts (spelled out only when the row is written).
    pub runs: bool,
}

pub(super) enum What {
    Data {
        block: usize,
        row: &'static Row,
    },
    /// The wide row of section 四: values for these groups (rows of its one
    /// block), five columns each, in this order.
    Wide {
        groups: Vec<usize>,
    },
}

/// The groups a wide row's headers name, in order: a group (`行政复议`) or
/// a span of groups (`行政诉讼` over its two).
#[derive(Default)]
struct Groups(Vec<Names>);

impl Groups {
    fn note(&mut self, n: Names) {
        if matches!(n, Names::Group(_) | Names::Groups(_)) {
            self.0.push(n);
        }
    }

    /// Row indices of the groups `values` figures are for: every group
    /// when they fill the whole row or nothing is named (a heading glued to
    /// `行政复议` hides the first name), else the groups named — a span only
    /// when none of its groups is named on its own.
    fn resolve(&self, spec: &TableSpec, values: usize) -> Vec<usize> {
        let all: Vec<usize> = (0..spec.blocks.first().map_or(0, |b| b.rows.len())).collect();
        let named = self.named(spec);
        let per = spec.blocks.first().map_or(0, |b| b.columns.len());
        if named.is_empty() || values > named.len() * per {
            all
        } else {
            named
        }
    }

    /// The groups named, in printed order: a span's groups take its place
    /// (`行政诉讼` over 未经复议直接起诉 and 复议后起诉, named on the row below),
    /// all of them when none is named on its own.
    fn named(&self, spec: &TableSpec) -> Vec<usize> {
        let mut slots: Vec<(&[RowKey], Vec<RowKey>)> = Vec::new();
        for n in &self.0 {
            match n {
                Names::Group(k) => match slots.iter_mut().find(|(kids, _)| kids.contains(k)) {
                    Some((_, named)) => named.push(*k),
                    None => slots.push((&[], vec![*k])),
                },
                Names::Groups(kids) => slots.push((kids, Vec::new())),
                _ => {}
            }
        }
        let keys = slots.into_iter().flat_map(|(kids, named)| {
            if named.is_empty() {
                kids.to_vec()
            } else {
                named
            }
        });
        let mut out: Vec<usize> = Vec::new();
        for k in keys {
            if let Some(i) = spec.blocks.first().and_then(|b| b.row(k))
                && !out.contains(&i)
            {
                out.push(i);
            }
        }
        out
    }
}

enum Target {
    Data { block: usize, row: &'static Row },
    Wide(Groups),
    Group,
    Extra { block: usize, label: String },
}

struct Open<'s> {
    table: TableKey,
    target: Target,
    cell: bool,
    vals: Vec<&'s Tok<'s>>,
    label: Option<Geo>,
}

pub(super) struct Reader<'g> {
    tpl: &'static Template,
    grids: &'g [crate::grid::Grid],
    pub reads: Vec<Read<'g>>,
    pub headers: Vec<Columns>,
    pub flags: Vec<Flag>,
    pub tables: Vec<TableData>,
    open: Option<Open<'g>>,
    table: Option<TableKey>,
    block: usize,
    orphans: usize,
    /// The text that ends the row being closed, when text ends it: unless
    /// it is a section heading, the next row's enumerator or the unit of a
    /// closing amount, the row's digits may not be all its cells (`—`,
    /// `见说明` in running text).
    closing: Option<&'g str>,
    /// The header being read.
    run: Option<Run<'g>>,
    /// Cells of the physical row being read, for a header that starts in
    /// its middle (`| 类别 | 数据1 | … | 总计 |`); the first few only.
    row_cells: Vec<&'g Tok<'g>>,
    /// The header in force per (table, block).
    in_force: Vec<((TableKey, usize), usize)>,
}

impl<'g> Reader<'g> {
    pub fn new(tpl: &'static Template, grids: &'g [crate::grid::Grid]) -> Reader<'g> {
        Reader {
            tpl,
            grids,
            reads: Vec::new(),
            headers: Vec::new(),
            flags: Vec::new(),
            tables: tpl.tables.iter().map(|s| TableData::new(s)).collect(),
            open: None,
            table: None,
            block: 0,
            orphans: 0,
            closing: None,
            run: None,
            row_cells: Vec::new(),
            in_force: Vec::new(),
        }
    }

    fn spec(&self, t: TableKey) -> Option<&'static TableSpec> {
        self.tpl.tables.get(t.index()).copied()
    }

    pub fn token(&mut self, t: &'g Tok<'g>) {
        self.follow_header(t);
        match &t.kind {
            TokKind::Label(hits) => {
                for h in hits {
                    self.label(*h, t);
                }
            }
            TokKind::Text => self.text(t),
            TokKind::Value(CellValue::Furniture) => {
                let f = Flag::new(Code::PAGE_FURNITURE, "page furniture skipped").evidence(&*t.raw);
                self.flags
                    .push(match self.table.and_then(|x| self.spec(x)) {
                        Some(s) => f.table(s.key),
                        None => f,
                    });
            }
            TokKind::Value(v) => self.value(v, t),
        }
    }

    pub fn finish(mut self) -> Reader<'g> {
        self.end_header();
        self.close();
        self.flush_orphans();
        self
    }

    /// Keep reading a header while its words (and the blanks and other
    /// cells of its rows) come; anything else ends it.
    fn follow_header(&mut self, t: &'g Tok<'g>) {
        let same_row = |a: Option<Geo>, b: Option<Geo>| matches!((a, b), (Some(a), Some(b)) if a.grid == b.grid && a.row == b.row);
        if !same_row(self.row_cells.last().and_then(|x| x.geo), t.geo) {
            self.row_cells.clear();
        }
        let word = header::header_words(t).next().is_some();
        match self.run.as_mut() {
            Some(run) => {
                let blank = matches!(&t.kind, TokKind::Value(v) if !v.is_filled());
                let in_row = matches!(t.kind, TokKind::Text) && same_row(run.last_geo(), t.geo);
                if word || blank || in_row {
                    run.push(t);
                } else {
                    self.end_header();
                }
            }
            None if word => {
                let mut run = Run::default();
                for c in &self.row_cells {
                    run.push(c);
                }
                run.push(t);
                self.run = Some(run);
            }
            None => {}
        }
        // A header row has a few dozen cells; a longer row is data.
        if t.geo.is_some() && self.row_cells.len() < 64 {
            self.row_cells.push(t);
        }
    }

    /// What the header just read says: in force for its table and block.
    fn end_header(&mut self) {
        let Some(run) = self.run.take() else { return };
        let Some(table) = run.table(self.table) else {
            return;
        };
        let Some(spec) = self.spec(table) else { return };
        let block = run.block(spec, table, self.block);
        let (cols, flags) = header::read(&run, spec, (table, block), self.grids);
        self.flags.extend(flags);
        // A header that names only some columns (the table's first header
        // row printed again over its last rows) leaves a complete one in
        // force.
        let complete = |i: usize| self.headers.get(i).is_some_and(|h| h.order.is_some());
        if cols.order.is_none() && self.header_for(table, block).is_some_and(complete) {
            return;
        }
        let i = self.headers.len();
        self.headers.push(cols);
        self.in_force.retain(|(k, _)| *k != (table, block));
        self.in_force.push(((table, block), i));
    }

    fn header_for(&self, table: TableKey, block: usize) -> Option<usize> {
        self.in_force
            .iter()
            .find(|(k, _)| *k == (table, block))
            .map(|(_, i)| *i)
    }

    fn label(&mut self, h: Hit, t: &'g Tok<'g>) {
        match h.entry {
            Entry::Caption { block } => self.caption(block, t),
            Entry::Header(word) => self.header_word(word, t),
            Entry::Row { table, key } => self.row_label(h, table, key, t),
        }
    }

    fn caption(&mut self, block: BlockKey, t: &Tok) {
        self.close();
        self.flush_orphans();
        self.table = Some(TableKey::Proactive);
        let Some(spec) = self.spec(TableKey::Proactive) else {
            return;
        };
        if let Some(b) = spec.blocks.iter().position(|x| x.key == Some(block)) {
            self.block = b;
            if let Some(c) = self
                .tables
                .get_mut(TableKey::Proactive.index())
                .and_then(|d| d.captions.get_mut(b))
            {
                *c = true;
            }
        } else {
            // A caption of the other template (item_9 in a 2021 report).
            self.open = Some(Open {
                table: TableKey::Proactive,
                target: Target::Extra {
                    block: self.block,
                    label: t.raw.to_string(),
                },
                cell: t.cell,
                vals: Vec::new(),
                label: t.geo,
            });
        }
    }

    fn header_word(&mut self, word: HeaderWord, t: &Tok) {
        // A word several tables share stays with the current one.
        let table = match self.table {
            Some(cur) if word.owns(cur) => cur,
            _ => word.first_table(),
        };
        let Some(spec) = self.spec(table) else { return };
        // Header words and their padding come before a wide row's values:
        // while nothing is filled, they name its groups, and words of
        // another table there are debris of broken headers (`其他` of
        // `其他 结果` split over two lines).
        if let Some(o) = self.open.as_mut()
            && let Target::Wide(groups) = &mut o.target
            && !o.vals.iter().any(|t| is_filled(t))
            && !(word.owns(o.table) && blank_row(groups, &o.vals, spec, word.names(o.table)))
        {
            if word.owns(o.table) {
                groups.note(word.names(o.table));
                o.vals.clear();
            }
            return;
        }
        self.close();
        self.flush_orphans();
        self.table = Some(table);
        if spec.layout == Layout::Wide {
            let mut groups = Groups::default();
            groups.note(word.names(table));
            self.open = Some(Open {
                table,
                target: Target::Wide(groups),
                cell: t.cell,
                vals: Vec::new(),
                label: None,
            });
        }
    }

    fn row_label(&mut self, h: Hit, table: TableKey, key: RowKey, t: &Tok) {
        self.close();
        self.flush_orphans();
        self.table = Some(table);
        let Some(spec) = self.spec(table) else { return };
        let target = match spec.row(key) {
            Some((block, row)) => {
                self.block = block;
                // A variant is judged against this template's own label
                // (规范性文件 is official in 2019, a variant in 2021).
                if official(row.label) != h.core {
                    self.flags.push(
                        Flag::new(
                            Code::LABEL_VARIANT,
                            format!("row label read as a variant of {}", row.label),
                        )
                        .table(spec.key)
                        .row(row_path(spec, block, key))
                        .evidence(&*t.raw),
                    );
                }
                match row.kind {
                    RowKind::Data => Target::Data { block, row },
                    RowKind::Group => Target::Group,
                }
            }
            None => {
                self.flags.push(
                    Flag::new(
                        Code::ROW_NOT_IN_TEMPLATE,
                        format!(
                            "row of the other template in a {} report",
                            self.tpl.id.as_str()
                        ),
                    )
                    .table(spec.key)
                    .evidence(&*t.raw),
                );
                Target::Extra {
                    block: self.block,
                    label: t.raw.to_string(),
                }
            }
        };
        // A data row's values are as many as its columns, unless padded:
        // its vector is sized once rather than grown value by value.
        let width = match target {
            Target::Data { block, .. } => spec.blocks.get(block).map_or(0, |b| b.columns.len()),
            _ => 0,
        };
        self.open = Some(Open {
            table,
            target,
            cell: t.cell,
            vals: Vec::with_capacity(width),
            label: t.geo,
        });
    }

    fn text(&mut self, t: &'g Tok<'g>) {
        let short = crate::stream::at_most(&t.raw, 6);
        if short
            && matches!(&self.open, Some(o) if matches!(o.target, Target::Wide(_)) && !o.vals.iter().any(|t| is_filled(t)))
        {
            return; // header debris (vertical one-character headers)
        }
        self.closing = Some(&t.raw);
        self.close();
        self.closing = None;
        self.flush_orphans();
        // An unknown label inside a table: if values follow, it is an extra row.
        if let (true, Some(table)) = (t.cell, self.table)
            && crate::stream::at_most(&t.raw, 200)
        {
            self.open = Some(Open {
                table,
                target: Target::Extra {
                    block: self.block,
                    label: t.raw.to_string(),
                },
                cell: true,
                vals: Vec::new(),
                label: t.geo,
            });
        }
    }

    fn value(&mut self, v: &CellValue, t: &'g Tok<'g>) {
        let tpl = self.tpl;
        if self.open.as_ref().is_some_and(|o| self.row_is_over(o, t)) {
            self.close();
        }
        let Some(open) = self.open.as_mut() else {
            if t.cell && v.is_filled() && self.table.is_some() {
                self.orphans += 1;
            }
            return;
        };
        // The values say whether the row has cell boundaries, not the label
        // (a label printed as a heading, its values in a table row).
        if open.vals.is_empty() {
            open.cell = t.cell;
        }
        open.vals.push(t);
        let spec = tpl.tables.get(open.table.index()).copied();
        // Running text has no padding to absorb: a complete row closes, so
        // later prose numbers cannot leak into it.
        if !open.cell {
            let width = match &open.target {
                Target::Data { block, .. } => spec
                    .and_then(|s| s.blocks.get(*block))
                    .map_or(0, |b| b.columns.len()),
                Target::Wide(_) => spec.map_or(0, TableSpec::wide_width),
                _ => usize::MAX,
            };
            if open.vals.len() >= width {
                self.close();
            }
        }
    }

    /// Where the source delimits rows, a cell of a later row after cells of
    /// the label's own row belongs to the next row (the blank group column
    /// before `| | 2.重复申请 |`), not to this one.
    fn row_is_over(&self, o: &Open, t: &Tok) -> bool {
        let (Some(label), Some(geo)) = (o.label, t.geo) else {
            return false;
        };
        let delimited = self
            .grids
            .get(label.grid as usize)
            .is_some_and(|g| g.rows_known);
        let own = |x: &&Tok| {
            x.geo
                .is_some_and(|g| g.grid == label.grid && g.row == label.row)
        };
        delimited && geo.grid == label.grid && geo.row != label.row && o.vals.iter().any(own)
    }

    fn flush_orphans(&mut self) {
        if self.orphans > 0 {
            if let Some(spec) = self.table.and_then(|t| self.spec(t)) {
                self.flags.push(
                    Flag::new(
                        Code::VALUES_WITHOUT_LABEL,
                        format!(
                            "{} value cells with no row label were skipped",
                            self.orphans
                        ),
                    )
                    .table(spec.key),
                );
            }
            self.orphans = 0;
        }
    }

    fn close(&mut self) {
        let Some(open) = self.open.take() else { return };
        let Some(spec) = self.spec(open.table) else {
            return;
        };
        let (what, width, amount_last) = match open.target {
            Target::Group => return self.group_values(spec, &open.vals),
            Target::Extra { block, label } => {
                return self.extra_row(open.table, spec, block, label, &open.vals);
            }
            Target::Data { block, row } => {
                let Some(b) = spec.blocks.get(block) else {
                    return;
                };
                let amount_last = b
                    .columns
                    .last()
                    .is_some_and(|c| matches!(c.kind, ValueKind::Amount { .. }));
                (What::Data { block, row }, b.columns.len(), amount_last)
            }
            Target::Wide(groups) => {
                if open.vals.is_empty() {
                    return;
                }
                let groups = groups.resolve(spec, value_count(&open.vals));
                if groups.windows(2).any(|w| w[0] > w[1]) {
                    let rows = spec.blocks.first().map_or(&[][..], |b| b.rows);
                    let names: Vec<&str> = groups
                        .iter()
                        .filter_map(|&g| rows.get(g).map(|r| r.label))
                        .collect();
                    self.flags.push(
                        Flag::new(
                            Code::COLUMNS_REORDERED,
                            format!(
                                "the header prints the groups as {}; values go to the group their header names",
                                names.join(" | ")
                            ),
                        )
                        .table(spec.key),
                    );
                }
                let width = wide_width(spec, &groups);
                (What::Wide { groups }, width, false)
            }
        };
        let block = match what {
            What::Data { block, .. } => block,
            What::Wide { .. } => 0,
        };
        let whole = match &what {
            What::Wide { groups } => {
                groups.len() == spec.blocks.first().map_or(0, |b| b.rows.len())
            }
            What::Data { .. } => true,
        };
        let runs =
            split_runs(&open.vals, open.cell, width).is_some() && whole && !self.cut(amount_last);
        self.reads.push(Read {
            table: open.table,
            what,
            cell: open.cell,
            vals: open.vals,
            label: open.label,
            header: self.header_for(open.table, block),
            runs,
        });
    }

    fn group_values(&mut self, spec: &TableSpec, vals: &[&Tok]) {
        let filled: Vec<&str> = vals
            .iter()
            .filter(|t| is_filled(t))
            .map(|t| t.raw.as_ref())
            .collect();
        if !filled.is_empty() {
            self.flags.push(
                Flag::new(
                    Code::GROUP_HAS_VALUES,
                    "values follow a row-group label with no sub-row label; their rows are unknown",
                )
                .table(spec.key)
                .evidence(filled.join(" ")),
            );
        }
    }

    fn extra_row(
        &mut self,
        table: TableKey,
        spec: &TableSpec,
        block: usize,
        label: String,
        vals: &[&Tok],
    ) {
        if !vals.iter().any(|t| is_filled(t)) {
            return;
        }
        let values = vals.iter().map(|t| number(t)).collect();
        let bkey = spec.blocks.get(block).map_or("", |b| b.path());
        self.flags.push(
            Flag::new(
                Code::EXTRA_ROW,
                "a row the template does not have; kept under extra_rows",
            )
            .table(spec.key)
            .evidence(&label),
        );
        if let Some(d) = self.tables.get_mut(table.index()) {
            d.extra.push(ExtraRow {
                block: bkey,
                label,
                values,
            });
        }
    }

    /// Whether the text closing this row may have cut it short.
    fn cut(&self, amount_last: bool) -> bool {
        self.closing.is_some_and(|t| {
            let unit = crate::value::MONEY_UNITS.contains(&t.trim()) && amount_last;
            !unit && !ends_a_table(t)
        })
    }
}

/// Whether the blank cells a wide row holds are a row of its own: a full
/// row of blanks for the groups named (a group of section 四 left blank, as
/// a small table of its own) before a word that names the next group.
fn blank_row(groups: &Groups, vals: &[&Tok], spec: &TableSpec, next: Names) -> bool {
    let per = spec.blocks.first().map_or(0, |b| b.columns.len());
    // The groups named are worked out last: most words name no group.
    matches!(next, Names::Group(_) | Names::Groups(_))
        && !groups.0.is_empty()
        && vals.len() >= per * groups.named(spec).len().max(1)
}

/// How many cells a wide row's values fill: those of the row that holds
/// its figures where rows are known, else all of them.
fn value_count(vals: &[&Tok]) -> usize {
    let row = vals
        .iter()
        .filter(|t| is_filled(t))
        .map(|t| t.geo.map(|g| (g.grid, g.row)))
        .next_back()
        .flatten();
    match row {
        Some(r) => vals
            .iter()
            .filter(|t| t.geo.map(|g| (g.grid, g.row)) == Some(r))
            .count(),
        None => vals.len(),
    }
}

/// Values of the wide row for these groups.
pub(super) fn wide_width(spec: &TableSpec, groups: &[usize]) -> usize {
    groups.len() * spec.blocks.first().map_or(0, |b| b.columns.len())
}

pub(super) fn is_filled(t: &Tok) -> bool {
    matches!(&t.kind, TokKind::Value(v) if v.is_filled())
}

fn number(t: &Tok) -> Option<crate::value::Num> {
    match &t.kind {
        TokKind::Value(CellValue::Number { num, .. }) => Some(*num),
        _ => None,
    }
}

/// Text after which a row of running text is over: a section heading,
/// possibly after the unit of the last figure (`元三、收到和处理…`), or the
/// enumerator of the next row whose label is broken (`三、本年度办 理结果`).
fn ends_a_table(raw: &str) -> bool {
    let rest = raw.trim_start_matches(|c| crate::stream::after_figure(c) || c == ' ');
    crate::sections::heading_starts_at_zero(rest)
        || crate::normalize::split_enum(&crate::normalize::norm(rest))
            .0
            .is_some()
}

/// The digit runs (its tokens) of a row of running text that needs
/// splitting: its values are all digits (with `-` or `.` inside), and they
/// run together (a run no number can be) or do not match the cells in
/// count. `None` for table cells, which have their boundaries.
pub(super) fn split_runs<'a, 't>(
    toks: &'a [&'t Tok<'t>],
    cell: bool,
    width: usize,
) -> Option<&'a [&'t Tok<'t>]> {
    if cell || toks.is_empty() || toks.len() > width {
        return None;
    }
    let digitish = |t: &Tok| {
        matches!(
            t.kind,
            TokKind::Value(CellValue::Number { .. } | CellValue::Run | CellValue::Bad)
        ) && crate::value::has_digit(&t.raw)
            && t.raw
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'-' || b == b'.')
    };
    if !toks.iter().all(|t| digitish(t)) {
        return None;
    }
    let glued = toks
        .iter()
        .any(|t| matches!(t.kind, TokKind::Value(CellValue::Run | CellValue::Bad)));
    (glued || toks.len() != width).then_some(toks)
}

/// A template label as the lexicon spells it, normalised once per label
/// rather than at every row of every report. The labels are the
/// templates' own strings: found by address and length (sorted, searched
/// in halves), no label's text is hashed per row.
fn official(label: &'static str) -> &'static str {
    type At = (usize, usize);
    fn at(s: &str) -> At {
        (s.as_ptr() as usize, s.len())
    }
    static CACHE: std::sync::LazyLock<Vec<(At, String)>> = std::sync::LazyLock::new(|| {
        let mut all: Vec<(At, String)> = [&crate::template::T2019, &crate::template::T2021]
            .iter()
            .flat_map(|t| t.tables.iter())
            .flat_map(|spec| spec.blocks.iter())
            .flat_map(|b| b.rows.iter())
            .map(|r| {
                let n = crate::normalize::norm(r.label);
                (at(r.label), crate::normalize::strip_notes(&n).to_string())
            })
            .collect();
        all.sort_by_key(|(a, _)| *a);
        all
    });
    match CACHE.binary_search_by_key(&at(label), |(a, _)| *a) {
        Ok(i) => &CACHE[i].1,
        Err(_) => label,
    }
}

impl Read<'_> {
    /// The pending run for [`crate::split`], when this row is one.
    pub fn pending(&self) -> Option<Pending> {
        if !self.runs {
            return None;
        }
        // The runs are the row's tokens, in order.
        let runs = self.vals.iter().map(|t| t.raw.to_string()).collect();
        let spans = self.vals.iter().map(|t| t.span).collect();
        Some(match &self.what {
            What::Data { block, row } => Pending {
                row: PendingRow::Row {
                    block: *block,
                    key: row.key,
                },
                runs,
                spans,
            },
            What::Wide { .. } => Pending {
                row: PendingRow::Wide,
                runs,
                spans,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::official;

    /// Every row label of both templates is found by its address, and
    /// reads as its normal form.
    #[test]
    fn official_is_each_labels_normal_form() {
        let rows = [&crate::template::T2019, &crate::template::T2021]
            .into_iter()
            .flat_map(|t| t.tables)
            .flat_map(|s| s.blocks)
            .flat_map(|b| b.rows);
        let mut changed = 0;
        for r in rows {
            let n = crate::normalize::norm(r.label);
            let want = crate::normalize::strip_notes(&n);
            assert_eq!(official(r.label), want, "{}", r.label);
            changed += usize::from(want != r.label);
        }
        // Labels the normal form changes (a few) prove each was found.
        assert!(changed > 0, "{changed}");
    }
}
