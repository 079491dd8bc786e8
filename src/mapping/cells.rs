//! Step 3: a row's plan becomes values, and every cell flag is written here
//! — the one place that says what a cell or a row's placement is worth.
//! Rows are then stored: a second copy with the same values is a repeat, a
//! copy with other values a duplicate (the first is kept), and a label
//! printed alone (a heading) gives way to the row that carries values.

use super::header::Columns;
use super::place::{Note, Plan, Problem};
use super::read::{Read, What};
use super::{RowValues, TableData, row_path};
use crate::flags::{Code, Flag};
use crate::stream::{Tok, TokKind};
use crate::template::{Column, MONEY_UNIT, RowKey, TableKey, TableSpec, Template, ValueKind};
use crate::value::CellValue;

pub(super) struct Writer {
    pub tables: Vec<TableData>,
    pub flags: Vec<Flag>,
    /// Rows seen only as a label with no cells: (table, block, row).
    pub label_only: Vec<(TableKey, usize, usize)>,
}

/// Where a row's flags point: its table, and its row (`None`: the wide row
/// as a whole). The row's path is spelled only for a flag: most rows have
/// none.
#[derive(Clone, Copy)]
struct At {
    spec: &'static TableSpec,
    row: Option<RowAt>,
}

/// A row of a block, or a group of the wide row (named by its key).
#[derive(Clone, Copy)]
enum RowAt {
    Row(usize, RowKey),
    Group(&'static str),
}

impl At {
    fn flag(&self, code: Code, msg: impl Into<String>) -> Flag {
        let f = Flag::new(code, msg).table(self.spec.key);
        match self.row {
            Some(RowAt::Row(block, key)) => f.row(row_path(self.spec, block, key)),
            Some(RowAt::Group(key)) => f.row(key),
            None => f,
        }
    }
}

impl Writer {
    /// Values and flags for one row, then store it.
    pub fn write(&mut self, rd: &Read, plan: &Plan, header: Option<&Columns>, tpl: &Template) {
        let Some(spec) = tpl.tables.get(rd.table.index()).copied() else {
            return;
        };
        let one;
        let (block, rows): (usize, &[usize]) = match &rd.what {
            What::Data { block, row } => {
                one = spec.blocks.get(*block).and_then(|b| b.row(row.key));
                (*block, one.as_slice())
            }
            What::Wide { groups } => (0, groups),
        };
        let Some(b) = spec.blocks.get(block) else {
            return;
        };
        let own = match &rd.what {
            What::Data { row, .. } => Some(RowAt::Row(block, row.key)),
            What::Wide { .. } => None,
        };
        let at = At { spec, row: own };
        let width = b.columns.len() * rows.len().max(1);
        // The slots' cells, whose ranges are the values' origins: read
        // where a row is stored, not copied into a vector of ranges.
        let mut placed: &[Option<&Tok>] = &[];
        let mut vals = match plan {
            Plan::LabelOnly => {
                if let Some(&ri) = rows.first() {
                    self.label_only.push((rd.table, block, ri));
                }
                return;
            }
            Plan::Deferred => {
                if let (Some(p), Some(t)) = (rd.pending(), self.tables.get_mut(rd.table.index())) {
                    t.pending.push(p);
                }
                vec![None; width]
            }
            Plan::Null(p) => {
                self.problem(&at, p, &rd.vals, width);
                vec![None; width]
            }
            Plan::Slots { cells, note } => {
                if let Some(n) = note {
                    self.note(&at, n, &rd.vals, width);
                }
                placed = cells;
                self.cells(at, b.columns, rows, cells, header)
            }
        };
        let n = b.columns.len();
        // One row as wide as its values takes them as they are.
        let whole = rows.len() == 1 && vals.len() == n;
        for (i, &ri) in rows.iter().enumerate() {
            let chunk: RowValues = if whole {
                std::mem::take(&mut vals)
            } else {
                vals.iter().skip(i * n).take(n).copied().collect()
            };
            if self.store(rd.table, block, ri, chunk) {
                let t = self.tables.get_mut(rd.table.index());
                let mine = placed.iter().skip(i * n).take(n).enumerate();
                let origins = mine.filter_map(|(column, c)| {
                    Some(crate::provenance::Placed {
                        block,
                        row: ri,
                        column,
                        origin: crate::provenance::Origin::Cell(c.as_ref()?.span?),
                    })
                });
                if let Some(t) = t {
                    t.origins.extend(origins);
                }
            }
        }
    }

    fn problem(&mut self, at: &At, p: &Problem, toks: &[&Tok], width: usize) {
        let ev = evidence(toks);
        let f = match p {
            Problem::Long(n) => at.flag(
                Code::ROW_LONG,
                format!("{n} cells where the template has {width}; positions unknown"),
            ),
            Problem::RunTogether(n) => at.flag(
                Code::CELLS_RUN_TOGETHER,
                format!("{n} number(s) for {width} cells: separators lost"),
            ),
            Problem::Padded(filled) => at.flag(
                Code::ROW_SHORT,
                format!(
                    "{filled} value(s) for {width} cells followed by padding; their columns are unknown"
                ),
            ),
            Problem::Blank => at.flag(Code::ROW_BLANK, "row present with no values"),
            Problem::Lost => at.flag(
                Code::ROW_SHORT,
                "fewer cells than the table's other rows and not under its columns: a cell was lost, the others' columns are unknown",
            ),
            Problem::Spans(msg) => at.flag(Code::VALUE_SPANS_COLUMNS, msg.clone()),
            Problem::Misaligned(msg) => at.flag(Code::ROW_MISALIGNED, msg.clone()),
        };
        self.flags.push(f.evidence(ev));
    }

    fn note(&mut self, at: &At, n: &Note, toks: &[&Tok], width: usize) {
        let f = match n {
            Note::Short(have) => at.flag(
                Code::ROW_SHORT,
                format!("{have} cells where the template has {width}; values kept left to right"),
            ),
            Note::Repaired(msg) => at.flag(Code::ALIGNMENT_REPAIRED, msg.clone()),
        };
        self.flags.push(f.evidence(evidence(toks)));
    }

    /// The values of the slots, and the flags of each cell.
    fn cells(
        &mut self,
        own: At,
        columns: &'static [Column],
        rows: &[usize],
        cells: &[Option<&Tok>],
        header: Option<&Columns>,
    ) -> RowValues {
        let n = columns.len().max(1);
        // In the wide row, a cell's flag names the group it is in.
        let group = |i: usize| {
            let b = own.spec.blocks.first();
            rows.get(i / n)
                .and_then(|&ri| b.and_then(|b| b.rows.get(ri)))
                .map(|r| RowAt::Group(r.key.as_str()))
        };
        let mut out = vec![None; cells.len()];
        let mut blanks = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let Some(t) = cell else { continue };
            let TokKind::Value(v) = &t.kind else { continue };
            let col = columns.get(i % n);
            let at = At {
                row: own.row.or_else(|| group(i)),
                ..own
            };
            match v {
                CellValue::Number {
                    num,
                    unit,
                    rewritten,
                } => {
                    if let Some(slot) = out.get_mut(i) {
                        *slot = Some(*num);
                    }
                    let stated = header.and_then(|h| h.units.get(i % n).copied().flatten());
                    if let Some(c) = col {
                        self.unit_flags(&at, c, unit.as_deref(), stated, *rewritten, &t.raw);
                    }
                }
                CellValue::Empty => blanks.push(col.map_or("?", |c| c.key.as_str())),
                other => {
                    let (code, msg) = unreadable(other);
                    let f = at.flag(code, msg).evidence(&*t.raw);
                    self.flags.push(match col {
                        Some(c) => f.column(c.key),
                        None => f,
                    });
                }
            }
        }
        let at = own;
        if !blanks.is_empty() && blanks.len() < cells.len() {
            self.flags.push(at.flag(
                Code::CELL_BLANK,
                format!("blank cells read as null: {}", blanks.join(", ")),
            ));
        } else if !blanks.is_empty() {
            self.flags
                .push(at.flag(Code::ROW_BLANK, "row present with no values"));
        }
        out
    }

    /// Units: written in the cell, stated by the header, or absent where
    /// the template's column prints none. What the header states counts
    /// for amounts only (the header reads no other: [`Columns::units`]).
    fn unit_flags(
        &mut self,
        at: &At,
        col: &Column,
        unit: Option<&str>,
        stated: Option<&str>,
        rewritten: bool,
        raw: &str,
    ) {
        let base = |code: Code, msg: String| at.flag(code, msg).column(col.key).evidence(raw);
        if rewritten {
            self.flags.push(base(
                Code::VALUE_REWRITTEN,
                "sign word or thousands separators normalised".into(),
            ));
        }
        let money = matches!(col.kind, ValueKind::Amount { .. });
        let stated = stated.filter(|_| money);
        match (unit.or(stated), unit) {
            (Some(u), _) if money && u != MONEY_UNIT => self.flags.push(base(
                Code::UNIT_DIFFERS,
                format!(
                    "stated in {u}, the template's column is in {MONEY_UNIT}; the value is kept as written"
                ),
            )),
            (_, Some(u)) => self.flags.push(base(
                Code::UNIT_IN_CELL,
                format!("unit {u} written in the cell"),
            )),
            (None, None) if matches!(col.kind, ValueKind::Amount { unit: None }) => {
                self.flags
                    .push(base(Code::UNIT_MISSING, "amount without a unit".into()))
            }
            _ => {}
        }
    }

    /// Store a row's values; whether they were taken (not a repeat or a
    /// duplicate).
    fn store(&mut self, table: TableKey, block: usize, row: usize, vals: RowValues) -> bool {
        let Some(t) = self.tables.get_mut(table.index()) else {
            return false;
        };
        let spec = t.spec;
        let Some(slot) = t.rows.get_mut(block).and_then(|b| b.get_mut(row)) else {
            return false;
        };
        // Spelled only for a flag.
        let path = || {
            spec.blocks
                .get(block)
                .and_then(|b| b.rows.get(row))
                .map_or_else(String::new, |r| row_path(spec, block, r.key))
        };
        match slot {
            None => {
                *slot = Some(vals);
                return true;
            }
            Some(prev) if *prev == vals => {
                self.flags.push(
                    Flag::new(Code::ROW_REPEATED, "row printed twice with the same values")
                        .table(spec.key)
                        .row(path()),
                );
            }
            Some(_) => {
                self.flags.push(
                    Flag::new(
                        Code::ROW_DUPLICATE,
                        "row appears twice with different values; the first is kept",
                    )
                    .table(spec.key)
                    .row(path()),
                );
            }
        }
        false
    }

    /// Rows only ever seen as a label: present, with no values.
    pub fn finish(&mut self) -> Vec<Flag> {
        let mut flags = Vec::new();
        for (table, block, row) in std::mem::take(&mut self.label_only) {
            let Some(t) = self.tables.get_mut(table.index()) else {
                continue;
            };
            let spec = t.spec;
            let Some(b) = spec.blocks.get(block) else {
                continue;
            };
            let Some(slot) = t.rows.get_mut(block).and_then(|x| x.get_mut(row)) else {
                continue;
            };
            if slot.is_none() {
                *slot = Some(vec![None; b.columns.len()]);
                let path = b
                    .rows
                    .get(row)
                    .map_or_else(String::new, |r| row_path(spec, block, r.key));
                flags.push(
                    Flag::new(Code::ROW_BLANK, "row present with no values")
                        .table(spec.key)
                        .row(path),
                );
            }
        }
        flags
    }
}

/// The flag of a value cell that holds no number.
fn unreadable(v: &CellValue) -> (Code, &'static str) {
    match v {
        CellValue::Placeholder => (Code::CELL_PLACEHOLDER, "placeholder read as null"),
        CellValue::Run => (Code::CELLS_RUN_TOGETHER, "digits that cannot be one number"),
        CellValue::Cut => (
            Code::CELL_CUT,
            "the file ends in this cell; its figure may be cut short",
        ),
        _ => (Code::CELL_NOT_NUMERIC, "cell is not a number"),
    }
}

/// The cells of a row as a human reads them (`∅` for a blank).
fn evidence(toks: &[&Tok]) -> String {
    toks.iter()
        .map(|t| {
            if t.raw.is_empty() {
                "∅"
            } else {
                t.raw.as_ref()
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}
