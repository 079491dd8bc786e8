//! Tokens → values on the template, in three steps, one file each:
//!
//! 1. [`read`]: a recognised row label opens a row; the value tokens that
//!    follow are its cells, until the next label or text. Header words are
//!    read as headers ([`header`]): what column each names, in which order,
//!    in which unit.
//! 2. [`place`]: each row's cells get their slots — by position where the
//!    table's geometry is trusted ([`crate::grid`]), by rank after the label
//!    where it is not (the seed's padding hides positions) — or the row is
//!    left `null` with the reason.
//! 3. [`cells`]: the slots become values, and the cell flags are written,
//!    in one place.

mod cells;
mod header;
mod place;
mod read;

use crate::flags::Flag;
use crate::stream::Stream;
use crate::template::{ColKey, RowKey, TableSpec, Template};
use crate::value::Num;

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
    /// Where the values of `rows` were read, beside them.
    pub origins: Vec<crate::provenance::Placed>,
    /// The digit runs that [`crate::split`] cut into values, for their
    /// origins.
    pub splits: Vec<crate::provenance::SplitRow>,
}

/// A row (or the wide row of section 四) read from running text whose value
/// runs do not match its cells.
#[derive(Debug, Clone)]
pub struct Pending {
    pub row: PendingRow,
    /// The digit runs in reading order (`-` and `.` kept inside them).
    pub runs: Vec<String>,
    /// Where each run was read.
    pub spans: Vec<Option<crate::provenance::Span>>,
}

/// Which cells a pending run fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingRow {
    /// One labelled row: block index and row key.
    Row { block: usize, key: RowKey },
    /// The wide row of section 四: every row of the table in turn.
    Wide,
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
            origins: Vec::new(),
            splits: Vec::new(),
        }
    }

    /// True when anything of this table was found.
    pub fn present(&self) -> bool {
        self.rows.iter().flatten().any(Option::is_some) || self.captions.iter().any(|c| *c)
    }

    /// Value slots of a row by key.
    pub fn row(&self, key: RowKey) -> Option<&RowValues> {
        let (b, r) = self.spec.position(key)?;
        self.rows.get(b)?.get(r)?.as_ref()
    }

    /// A filled cell's value by row and column key.
    pub fn cell(&self, key: RowKey, column: ColKey) -> Option<f64> {
        let (b, _) = self.spec.position(key)?;
        let c = self.spec.blocks.get(b)?.column(column)?;
        self.row(key)?.get(c).copied().flatten().map(|n| n.v)
    }
}

/// The row path used in flags: `item_1.rules` or `new_received`.
pub fn row_path(spec: &TableSpec, block: usize, key: RowKey) -> String {
    match spec.blocks.get(block) {
        // Joined, not formatted: one is written for every flag on a row.
        Some(b) if spec.nested => [b.path(), ".", key.as_str()].concat(),
        _ => key.as_str().to_owned(),
    }
}

/// Map the token stream onto the template's three tables.
pub fn map(stream: &Stream, tpl: &'static Template) -> (Vec<TableData>, Vec<Flag>) {
    let mut r = read::Reader::new(tpl, &stream.grids);
    for t in &stream.toks {
        r.token(t);
    }
    let r = r.finish();
    let placer = place::Placer::new(&r.reads, &r.headers, &stream.grids, tpl);
    let mut w = cells::Writer {
        tables: r.tables,
        flags: r.flags,
        label_only: Vec::new(),
    };
    for rd in &r.reads {
        let plan = placer.plan(rd);
        let header = rd.header.and_then(|i| r.headers.get(i));
        w.write(rd, &plan, header, tpl);
    }
    let mut flags = w.finish();
    flags.splice(0..0, std::mem::take(&mut w.flags));
    (w.tables, flags)
}

#[cfg(test)]
mod tests;
