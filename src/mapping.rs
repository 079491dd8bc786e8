//! Tokens → values on the template. A recognised row label opens a row; the
//! value tokens that follow fill it until the next label or text. Closing a
//! row decides whether its cells can be placed with certainty; when not, the
//! row is flagged (and left `null` where positions are unknown).

use crate::flags::{Code, Flag};
use crate::stream::{Entry, Hit, Tok, TokKind};
use crate::template::{Layout, Row, RowKind, TableSpec, Template, ValueKind};
use crate::value::{CellValue, Num};

/// Values of one data row, one slot per template column.
pub type RowValues = Vec<Option<Num>>;

/// A row the template does not have (Hubei's 其他主动公开文件…), kept verbatim.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ExtraRow {
    pub block: &'static str,
    pub label: String,
    pub values: Vec<Option<Num>>,
}

/// One contract table as read.
#[derive(Debug, Clone)]
pub struct TableData {
    pub spec: &'static TableSpec,
    /// `[block][row]`: `None` when the row was not found.
    pub rows: Vec<Vec<Option<RowValues>>>,
    pub captions: Vec<bool>,
    pub extra: Vec<ExtraRow>,
    /// Rows of running text whose digits ran together, left `null` here for
    /// [`crate::split`] to recover.
    pub pending: Vec<Pending>,
}

/// A row (or the wide row of section 四) read from running text whose value
/// runs do not match its cells.
#[derive(Debug, Clone)]
pub struct Pending {
    pub block: usize,
    /// Row key; unused when `wide`.
    pub key: &'static str,
    pub wide: bool,
    /// The digit runs in reading order (`-` and `.` kept inside them).
    pub runs: Vec<String>,
}

impl TableData {
    fn new(spec: &'static TableSpec) -> Self {
        TableData {
            spec,
            rows: spec
                .blocks
                .iter()
                .map(|b| vec![None; b.rows.len()])
                .collect(),
            captions: vec![false; spec.blocks.len()],
            extra: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// True when anything of this table was found.
    pub fn present(&self) -> bool {
        self.rows.iter().flatten().any(Option::is_some) || self.captions.iter().any(|c| *c)
    }

    /// Value slots of a row by key.
    pub fn row(&self, key: &str) -> Option<&RowValues> {
        let (b, _) = self.spec.row(key)?;
        let r = self
            .spec
            .blocks
            .get(b)?
            .rows
            .iter()
            .position(|r| r.key == key)?;
        self.rows.get(b)?.get(r)?.as_ref()
    }
}

/// The row path used in flags: `item_1.rules` or `new_received`.
pub fn row_path(spec: &TableSpec, block: usize, key: &str) -> String {
    match spec.blocks.get(block) {
        Some(b) if spec.nested => format!("{}.{}", b.key, key),
        _ => key.to_string(),
    }
}

enum Target {
    Data { block: usize, row: &'static Row },
    Wide,
    Group,
    Extra { block: usize, label: String },
}

struct Open {
    table: usize,
    target: Target,
    /// Label came from a table cell (values are cells too).
    cell: bool,
    vals: Vec<Tok>,
}

struct Mapper<'t> {
    tpl: &'t Template,
    tables: Vec<TableData>,
    flags: Vec<Flag>,
    open: Option<Open>,
    table: Option<usize>,
    block: usize,
    orphans: usize,
    /// The text that ends the row being closed, when text ends it: unless
    /// it is a section heading, the next row's enumerator or the unit of a
    /// closing amount, the row's digits may not be all its cells (`—`,
    /// `见说明` in running text).
    closing: Option<String>,
}

/// Map the token stream onto the template's three tables.
pub fn map(tokens: &[Tok], tpl: &Template) -> (Vec<TableData>, Vec<Flag>) {
    let mut m = Mapper {
        tpl,
        tables: tpl.tables.iter().map(|s| TableData::new(s)).collect(),
        flags: Vec::new(),
        open: None,
        table: None,
        block: 0,
        orphans: 0,
        closing: None,
    };
    for t in tokens {
        m.token(t);
    }
    m.close();
    m.flush_orphans();
    (m.tables, m.flags)
}

impl Mapper<'_> {
    fn spec(&self, t: usize) -> Option<&'static TableSpec> {
        self.tpl.tables.get(t).copied()
    }

    fn token(&mut self, t: &Tok) {
        match &t.kind {
            TokKind::Label(hits) => {
                for h in hits {
                    self.label(*h, t);
                }
            }
            TokKind::Text => self.text(t),
            TokKind::Value(CellValue::Furniture) => {
                let f = Flag::new(Code::PAGE_FURNITURE, "page furniture skipped").evidence(&t.raw);
                self.flags
                    .push(match self.table.and_then(|x| self.spec(x)) {
                        Some(s) => f.table(s.key),
                        None => f,
                    });
            }
            TokKind::Value(v) => self.value(v, t),
        }
    }

    fn label(&mut self, h: Hit, t: &Tok) {
        match h.entry {
            Entry::Caption { block } => {
                self.close();
                self.flush_orphans();
                self.table = Some(0);
                if let Some(spec) = self.spec(0) {
                    if let Some(b) = spec.blocks.iter().position(|x| x.key == block) {
                        self.block = b;
                        if let Some(c) = self.tables.get_mut(0).and_then(|d| d.captions.get_mut(b))
                        {
                            *c = true;
                        }
                    } else {
                        // A caption of the other template (item_9 in a 2021 report).
                        self.open = Some(Open {
                            table: 0,
                            target: Target::Extra {
                                block: self.block,
                                label: t.raw.clone(),
                            },
                            cell: t.cell,
                            vals: Vec::new(),
                        });
                    }
                }
            }
            Entry::Header { tables } => {
                // A word several tables share stays with the current one.
                let owns = |t: usize| tables & (1 << t) != 0;
                let table = match self.table {
                    Some(cur) if owns(cur) => cur,
                    _ => tables.trailing_zeros() as usize,
                };
                let Some(spec) = self.spec(table) else { return };
                // Header words and their padding come before a wide row's
                // values: while nothing is filled, stay on the same row.
                if let Some(o) = self
                    .open
                    .as_mut()
                    .filter(|o| matches!(o.target, Target::Wide))
                    && owns(o.table)
                    && !o.vals.iter().any(|t| is_filled(&t))
                {
                    o.vals.clear();
                    return;
                }
                self.close();
                self.flush_orphans();
                self.table = Some(table);
                if spec.layout == Layout::Wide {
                    self.open = Some(Open {
                        table,
                        target: Target::Wide,
                        cell: t.cell,
                        vals: Vec::new(),
                    });
                }
            }
            Entry::Row { table, key } => {
                self.close();
                self.flush_orphans();
                self.table = Some(table);
                let Some(spec) = self.spec(table) else { return };
                let target = match spec.row(key) {
                    Some((block, row)) => {
                        self.block = block;
                        // A variant is judged against this template's own
                        // label (规范性文件 is official in 2019, a variant in 2021).
                        if official(row.label) != h.core {
                            self.flags.push(
                                Flag::new(
                                    Code::LABEL_VARIANT,
                                    format!("row label read as a variant of {}", row.label),
                                )
                                .table(spec.key)
                                .row(row_path(spec, block, key))
                                .evidence(&t.raw),
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
                            .evidence(&t.raw),
                        );
                        Target::Extra {
                            block: self.block,
                            label: t.raw.clone(),
                        }
                    }
                };
                self.open = Some(Open {
                    table,
                    target,
                    cell: t.cell,
                    vals: Vec::new(),
                });
            }
        }
    }

    fn text(&mut self, t: &Tok) {
        let short = t.raw.chars().count() <= 6;
        if short
            && matches!(&self.open, Some(o) if matches!(o.target, Target::Wide) && o.vals.is_empty())
        {
            return; // header debris (vertical one-character headers)
        }
        self.closing = Some(t.raw.clone());
        self.close();
        self.closing = None;
        self.flush_orphans();
        // An unknown label inside a table: if values follow, it is an extra row.
        if let (true, Some(table)) = (t.cell, self.table)
            && t.raw.chars().count() <= 200
        {
            self.open = Some(Open {
                table,
                target: Target::Extra {
                    block: self.block,
                    label: t.raw.clone(),
                },
                cell: true,
                vals: Vec::new(),
            });
        }
    }

    fn value(&mut self, v: &CellValue, t: &Tok) {
        let tpl = self.tpl;
        let Some(open) = self.open.as_mut() else {
            if t.cell && v.is_filled() && self.table.is_some() {
                self.orphans += 1;
            }
            return;
        };
        open.vals.push(t.clone());
        let spec = tpl.tables.get(open.table).copied();
        // Running text has no padding to absorb: a complete row closes, so
        // later prose numbers cannot leak into it.
        if !open.cell {
            let width = match &open.target {
                Target::Data { block, .. } => spec
                    .and_then(|s| s.blocks.get(*block))
                    .map_or(0, |b| b.columns.len()),
                Target::Wide => spec.map_or(0, TableSpec::wide_width),
                _ => usize::MAX,
            };
            if open.vals.len() >= width {
                self.close();
            }
        }
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
        match open.target {
            Target::Group => {
                let filled: Vec<&str> = open
                    .vals
                    .iter()
                    .filter(is_filled)
                    .map(|t| t.raw.as_str())
                    .collect();
                if !filled.is_empty() {
                    self.flags.push(
                        Flag::new(Code::GROUP_HAS_VALUES, "values follow a row-group label with no sub-row label; their rows are unknown")
                            .table(spec.key)
                            .evidence(filled.join(" ")),
                    );
                }
            }
            Target::Extra { block, label } => {
                if open.vals.iter().any(|t| is_filled(&t)) {
                    let values = open.vals.iter().map(number).collect();
                    let bkey = spec.blocks.get(block).map_or("", |b| b.key);
                    self.flags.push(
                        Flag::new(
                            Code::EXTRA_ROW,
                            "a row the template does not have; kept under extra_rows",
                        )
                        .table(spec.key)
                        .evidence(&label),
                    );
                    if let Some(d) = self.tables.get_mut(open.table) {
                        d.extra.push(ExtraRow {
                            block: bkey,
                            label,
                            values,
                        });
                    }
                }
            }
            Target::Data { block, row } => {
                let Some(b) = spec.blocks.get(block) else {
                    return;
                };
                let path = row_path(spec, block, row.key);
                let amount_last = b
                    .columns
                    .last()
                    .is_some_and(|c| matches!(c.kind, ValueKind::Amount { .. }));
                let cut = self.cut(amount_last);
                let runs = split_runs(&open.vals, open.cell, b.columns.len()).filter(|_| !cut);
                let vals = match runs {
                    Some(runs) => {
                        let key = row.key;
                        let p = Pending {
                            block,
                            key,
                            wide: false,
                            runs,
                        };
                        self.defer(open.table, p);
                        vec![None; b.columns.len()]
                    }
                    None => self.place(spec, &path, block, &open.vals, open.cell),
                };
                let idx = b.rows.iter().position(|r| r.key == row.key);
                self.store(open.table, block, idx, vals, spec, &path);
            }
            Target::Wide => {
                if open.vals.is_empty() {
                    return;
                }
                let cut = self.cut(false);
                let runs = split_runs(&open.vals, open.cell, spec.wide_width()).filter(|_| !cut);
                let vals = match runs {
                    Some(runs) => {
                        self.defer(
                            open.table,
                            Pending {
                                block: 0,
                                key: "",
                                wide: true,
                                runs,
                            },
                        );
                        vec![None; spec.wide_width()]
                    }
                    None => self.place(spec, "", 0, &open.vals, open.cell),
                };
                let mut it = vals.into_iter();
                for (bi, b) in spec.blocks.iter().enumerate() {
                    for (ri, r) in b.rows.iter().enumerate() {
                        let rv: RowValues = it.by_ref().take(b.columns.len()).collect();
                        let path = row_path(spec, bi, r.key);
                        self.store(open.table, bi, Some(ri), rv, spec, &path);
                    }
                }
            }
        }
    }

    /// Whether the text closing this row may have cut it short.
    fn cut(&self, amount_last: bool) -> bool {
        self.closing.as_deref().is_some_and(|t| {
            let unit = matches!(t.trim(), "元" | "万元") && amount_last;
            !unit && !ends_a_table(t)
        })
    }

    fn defer(&mut self, table: usize, p: Pending) {
        if let Some(t) = self.tables.get_mut(table) {
            t.pending.push(p);
        }
    }

    fn store(
        &mut self,
        table: usize,
        block: usize,
        idx: Option<usize>,
        vals: RowValues,
        spec: &TableSpec,
        path: &str,
    ) {
        let Some(slot) =
            idx.and_then(|i| self.tables.get_mut(table)?.rows.get_mut(block)?.get_mut(i))
        else {
            return;
        };
        match slot {
            None => *slot = Some(vals),
            Some(prev) if *prev == vals => {
                self.flags.push(
                    Flag::new(Code::ROW_REPEATED, "row printed twice with the same values")
                        .table(spec.key)
                        .row(path),
                );
            }
            Some(_) => {
                self.flags.push(
                    Flag::new(
                        Code::ROW_DUPLICATE,
                        "row appears twice with different values; the first is kept",
                    )
                    .table(spec.key)
                    .row(path),
                );
            }
        }
    }

    /// Decide the row's values from its value tokens (see module docs).
    fn place(
        &mut self,
        spec: &TableSpec,
        path: &str,
        block: usize,
        toks: &[Tok],
        cell: bool,
    ) -> RowValues {
        let width = if path.is_empty() {
            spec.wide_width()
        } else {
            spec.blocks.get(block).map_or(0, |b| b.columns.len())
        };
        let evidence = || {
            toks.iter()
                .map(|t| {
                    if t.raw.is_empty() {
                        "∅"
                    } else {
                        t.raw.as_str()
                    }
                })
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let mut toks: Vec<&Tok> = toks.iter().collect();
        let flag = |code: Code, msg: &str| {
            let f = Flag::new(code, msg).table(spec.key);
            if path.is_empty() { f } else { f.row(path) }
        };
        // Padding beyond the row's width.
        // Padding before the values: header padding of a wide row, or `||`.
        let excess = toks.len().saturating_sub(width);
        if excess > 0
            && toks
                .iter()
                .take(excess)
                .all(|t| !is_filled(t) && (path.is_empty() || t.tight))
            && toks.iter().skip(width).any(is_filled)
        {
            toks.drain(..excess);
        }
        // A placeholder beyond the width is a cell too (`/` written where a
        // value was), except in a block narrower than its table's grid,
        // where `/` may fill the columns the block does not use.
        let widest = spec
            .blocks
            .iter()
            .map(|b| b.columns.len())
            .max()
            .unwrap_or(width);
        let explicit = |t: &&Tok| {
            is_filled(t)
                || (width >= widest && matches!(t.kind, TokKind::Value(CellValue::Placeholder)))
        };
        if toks.len() > width {
            if toks.iter().skip(width).any(explicit) {
                self.flags.push(
                    flag(
                        Code::ROW_LONG,
                        &format!(
                            "{} cells where the template has {width}; positions unknown",
                            toks.len()
                        ),
                    )
                    .evidence(evidence()),
                );
                return vec![None; width];
            }
            toks.truncate(width);
        }
        let filled = toks.iter().filter(|t| is_filled(t)).count();
        if !cell
            && toks
                .iter()
                .any(|t| matches!(t.kind, TokKind::Value(CellValue::Run)))
            || (!cell && toks.len() < width && filled > 0)
        {
            self.flags.push(
                flag(
                    Code::CELLS_RUN_TOGETHER,
                    &format!(
                        "{} number(s) for {width} cells: separators lost",
                        toks.len()
                    ),
                )
                .evidence(evidence()),
            );
            return vec![None; width];
        }
        let explicit = toks.iter().filter(|t| !t.tight).count();
        let padded = toks.iter().any(|t| t.tight);
        if toks.len() < width || (padded && explicit < width) {
            if filled == 0 {
                self.flags
                    .push(flag(Code::ROW_BLANK, "row present with no values").evidence(evidence()));
                return vec![None; width];
            }
            if padded {
                self.flags.push(flag(Code::ROW_SHORT, &format!("{filled} value(s) for {width} cells followed by padding; their columns are unknown")).evidence(evidence()));
                return vec![None; width];
            }
            self.flags.push(
                flag(
                    Code::ROW_SHORT,
                    &format!(
                        "{} cells where the template has {width}; values kept left to right",
                        toks.len()
                    ),
                )
                .evidence(evidence()),
            );
        }
        let mut out = vec![None; width];
        let mut blanks = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            let col = column(spec, block, i);
            let TokKind::Value(v) = &t.kind else { continue };
            match v {
                CellValue::Number {
                    num,
                    unit,
                    rewritten,
                } => {
                    if let Some(slot) = out.get_mut(i) {
                        *slot = Some(*num);
                    }
                    self.unit_flags(spec, path, col, unit.as_deref(), *rewritten, &t.raw);
                }
                CellValue::Empty => blanks.push(col.map_or("?", |c| c.0)),
                CellValue::Placeholder => {
                    let f =
                        flag(Code::CELL_PLACEHOLDER, "placeholder read as null").evidence(&t.raw);
                    self.flags.push(match col {
                        Some(c) => f.column(c.0),
                        None => f,
                    });
                }
                CellValue::Run => {
                    let f = flag(Code::CELLS_RUN_TOGETHER, "digits that cannot be one number")
                        .evidence(&t.raw);
                    self.flags.push(match col {
                        Some(c) => f.column(c.0),
                        None => f,
                    });
                }
                CellValue::Cut => {
                    let f = flag(
                        Code::CELL_CUT,
                        "the file ends in this cell; its figure may be cut short",
                    )
                    .evidence(&t.raw);
                    self.flags.push(match col {
                        Some(c) => f.column(c.0),
                        None => f,
                    });
                }
                CellValue::Bad | CellValue::Text | CellValue::Furniture => {
                    let f = flag(Code::CELL_NOT_NUMERIC, "cell is not a number").evidence(&t.raw);
                    self.flags.push(match col {
                        Some(c) => f.column(c.0),
                        None => f,
                    });
                }
            }
        }
        if !blanks.is_empty() && blanks.len() < width {
            self.flags.push(flag(
                Code::CELL_BLANK,
                &format!("blank cells read as null: {}", blanks.join(", ")),
            ));
        } else if !blanks.is_empty() {
            self.flags
                .push(flag(Code::ROW_BLANK, "row present with no values"));
        }
        out
    }

    fn unit_flags(
        &mut self,
        spec: &TableSpec,
        path: &str,
        col: Option<(&'static str, ValueKind)>,
        unit: Option<&str>,
        rewritten: bool,
        raw: &str,
    ) {
        let Some((ckey, kind)) = col else { return };
        let base = |code: Code, msg: String| {
            Flag::new(code, msg)
                .table(spec.key)
                .row(path)
                .column(ckey)
                .evidence(raw)
        };
        if rewritten {
            self.flags.push(base(
                Code::VALUE_REWRITTEN,
                "sign word or thousands separators normalised".into(),
            ));
        }
        match (kind, unit) {
            (ValueKind::Amount { unit: None }, None) => {
                self.flags
                    .push(base(Code::UNIT_MISSING, "amount without a unit".into()));
            }
            (_, Some(u)) => self.flags.push(base(
                Code::UNIT_IN_CELL,
                format!("unit {u} written in the cell"),
            )),
            _ => {}
        }
    }
}

/// Column key and kind of the i-th value of a row (wide rows cycle through
/// the columns once per group).
fn column(spec: &TableSpec, block: usize, i: usize) -> Option<(&'static str, ValueKind)> {
    let b = spec.blocks.get(block)?;
    let n = b.columns.len().max(1);
    b.columns.get(i % n).map(|c| (c.key, c.kind))
}

fn is_filled(t: &&Tok) -> bool {
    matches!(&t.kind, TokKind::Value(v) if v.is_filled())
}

fn number(t: &Tok) -> Option<Num> {
    match &t.kind {
        TokKind::Value(CellValue::Number { num, .. }) => Some(*num),
        _ => None,
    }
}

/// Text after which a row of running text is over: a section heading,
/// possibly after the unit of the last figure (`元三、收到和处理…`), or the
/// enumerator of the next row whose label is broken (`三、本年度办 理结果`).
fn ends_a_table(raw: &str) -> bool {
    let rest = raw.trim_start_matches(|c| crate::stream::AFTER_FIGURE.contains(&c) || c == ' ');
    crate::sections::heading_starts_at_zero(rest)
        || crate::normalize::split_enum(&crate::normalize::norm(rest))
            .0
            .is_some()
}

/// The digit runs of a row of running text that needs splitting: its
/// values are all digits (with `-` or `.` inside), and they run together
/// (a run no number can be) or do not match the cells in count. `None` for
/// table cells, which have their boundaries.
fn split_runs(toks: &[Tok], cell: bool, width: usize) -> Option<Vec<String>> {
    if cell || toks.is_empty() || toks.len() > width {
        return None;
    }
    let digitish = |t: &Tok| {
        matches!(
            t.kind,
            TokKind::Value(CellValue::Number { .. } | CellValue::Run | CellValue::Bad)
        ) && t.raw.bytes().any(|b| b.is_ascii_digit())
            && t.raw
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'-' || b == b'.')
    };
    if !toks.iter().all(digitish) {
        return None;
    }
    let glued = toks
        .iter()
        .any(|t| matches!(t.kind, TokKind::Value(CellValue::Run | CellValue::Bad)));
    (glued || toks.len() != width).then(|| toks.iter().map(|t| t.raw.clone()).collect())
}

/// A template label as the lexicon spells it, normalised once per label
/// rather than at every row of every report.
fn official(label: &'static str) -> &'static str {
    static CACHE: std::sync::LazyLock<std::collections::HashMap<&'static str, String>> =
        std::sync::LazyLock::new(|| {
            [&crate::template::T2019, &crate::template::T2021]
                .iter()
                .flat_map(|t| t.tables.iter())
                .flat_map(|spec| spec.blocks.iter())
                .flat_map(|b| b.rows.iter())
                .map(|r| {
                    let n = crate::normalize::norm(r.label);
                    (r.label, crate::normalize::strip_notes(&n).to_string())
                })
                .collect()
        });
    CACHE.get(label).map_or(label, String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::text::blocks;
    use crate::stream::tokens;
    use crate::template::{T2019, T2021};

    fn run(text: &str, tpl: &Template) -> (Vec<TableData>, Vec<Flag>) {
        map(&tokens(&blocks(text)).toks, tpl)
    }

    #[test]
    fn labelled_rows_take_their_values_in_order() {
        let (t, flags) = run("行政许可 | 8 | -5 | 93 |\n行政处罚 | 90 | 0 | 22 |", &T2019);
        let v = t[0].row("licensing").cloned().unwrap_or_default();
        assert_eq!(
            v.iter().map(|x| x.map(|n| n.v)).collect::<Vec<_>>(),
            [Some(8.0), Some(-5.0), Some(93.0)]
        );
        assert!(flags.is_empty(), "{flags:?}");
    }

    #[test]
    fn a_dropped_cell_flags_its_own_row_only() {
        let (t, flags) = run("行政许可 | 8 | 93 |\n行政处罚 | 90 | 0 | 22 |", &T2019);
        assert!(
            flags
                .iter()
                .any(|f| f.code == Code::ROW_SHORT && f.row.as_deref() == Some("item_5.licensing"))
        );
        let p = t[0].row("penalty").cloned().unwrap_or_default();
        assert_eq!(
            p.iter().map(|x| x.map(|n| n.v)).collect::<Vec<_>>(),
            [Some(90.0), Some(0.0), Some(22.0)]
        );
    }

    #[test]
    fn padding_hides_positions() {
        let (t, flags) = run("一、本年新收政府信息公开申请数量 |\n0 | ||||||\n", &T2021);
        assert_eq!(
            t[1].row("new_received").cloned().unwrap_or_default(),
            vec![None; 7]
        );
        assert!(flags.iter().any(|f| f.code == Code::ROW_SHORT));
    }

    #[test]
    fn run_together_digits_are_left_to_split() {
        let (t, _) = run("一、本年新收政府信息公开申请数量640020470", &T2021);
        assert_eq!(
            t[1].row("new_received").cloned().unwrap_or_default(),
            vec![None; 7]
        );
        assert_eq!(t[1].pending.len(), 1);
        assert_eq!(t[1].pending[0].runs, ["640020470"]);
        // Table cells have their boundaries: never split.
        assert!(split_runs(&[], true, 7).is_none());
    }

    #[test]
    fn wide_table_fills_three_groups() {
        let (t, _) = run(
            "行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n1 0 0 1 2 0 0 0 0 0 3 0 0 0 3",
            &T2021,
        );
        let after = t[2]
            .row("lawsuit_after_review")
            .cloned()
            .unwrap_or_default();
        assert_eq!(after.first().copied().flatten().map(|n| n.v), Some(3.0));
    }
}
