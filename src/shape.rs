//! The tables as read, shaped into the JSON's `tables` and `extra_rows`
//! (`shared/spec/output.md`): nested by block where the template nests,
//! rows and columns in template order, blanks `null`.

use serde_json::{Map, Value};

use std::sync::LazyLock;

use crate::mapping::{RowValues, TableData};
use crate::template::{Block, Column, RowKind, T2019, T2021};
use crate::value::Num;

pub fn table_json(d: &TableData) -> Value {
    let mut out = Map::new();
    for (bi, b) in d.spec.blocks.iter().enumerate() {
        let found = d.rows.get(bi).map_or(&[][..], Vec::as_slice);
        // A flat table's rows go straight into `out` (extending it after
        // the fact hashed every key twice).
        let mut rows = if d.spec.nested {
            Map::with_capacity(b.rows.len())
        } else {
            std::mem::take(&mut out)
        };
        match skeleton(b).filter(|_| rows.is_empty() && every_row(b, found)) {
            Some(all) => rows = whole_block(all, found),
            None => insert_rows(b, found, &mut rows),
        }
        if !d.spec.nested {
            out = rows;
        } else if !rows.is_empty() {
            out.insert(b.path().to_owned(), Value::Object(rows));
        }
    }
    Value::Object(out)
}

/// Every data row of the block was found (and no group row, which holds no
/// values), each as wide as the block (the usual case): its object is the
/// block's skeleton with the values written in.
fn every_row(b: &Block, found: &[Option<RowValues>]) -> bool {
    found.len() == b.rows.len()
        && b.rows.iter().zip(found).all(|(r, v)| match v {
            Some(v) => r.kind == RowKind::Data && v.len() >= b.columns.len(),
            None => r.kind != RowKind::Data,
        })
}

/// The rows found of `b`, each an object of the block's columns, inserted
/// into `rows` in template order.
fn insert_rows(b: &Block, found: &[Option<RowValues>], rows: &mut Map<String, Value>) {
    // Every row of a block has the block's columns: a row of nulls that
    // the rows found copy (the last one takes it).
    let last = found.iter().rposition(Option::is_some);
    let mut blank: Option<Map<String, Value>> = None;
    for (ri, r) in b.rows.iter().enumerate() {
        let Some(Some(vals)) = found.get(ri) else {
            continue;
        };
        let blank = blank
            .get_or_insert_with(|| skeleton_row(b).map_or_else(|| nulls(b.columns), Map::clone));
        let mut cols = if last == Some(ri) {
            std::mem::take(blank)
        } else {
            blank.clone()
        };
        // A row shorter than the block (none is) keeps its own columns.
        if vals.len() < cols.len() {
            let mut kept = 0;
            cols.retain(|_, _| {
                kept += 1;
                kept <= vals.len()
            });
        }
        for (cell, v) in cols.values_mut().zip(vals) {
            *cell = number(v);
        }
        rows.insert(r.key.as_str().to_owned(), Value::Object(cols));
    }
}

/// A copy of the block's skeleton with every row's values written in.
fn whole_block(all: &Map<String, Value>, found: &[Option<RowValues>]) -> Map<String, Value> {
    let mut rows = all.clone();
    for (row, vals) in rows.values_mut().zip(found.iter().flatten()) {
        if let Value::Object(cols) = row {
            for (cell, v) in cols.values_mut().zip(vals) {
                *cell = number(v);
            }
        }
    }
    rows
}

/// Each block of the templates as the JSON holds it when every data row is
/// found: its data rows' keys, each an object of its columns' keys, all
/// `null`.
/// Built once: cloning it hashes no key, where building it per report
/// hashed every key of every row.
static SKELETONS: LazyLock<Vec<(&'static Block, Map<String, Value>)>> = LazyLock::new(|| {
    let blocks = [&T2019, &T2021]
        .into_iter()
        .flat_map(|t| t.tables)
        .flat_map(|s| s.blocks);
    blocks
        .map(|b| {
            let row = nulls(b.columns);
            let data = b.rows.iter().filter(|r| r.kind == RowKind::Data);
            let rows = data.map(|r| {
                let key = r.key.as_str().to_owned();
                (key, Value::Object(row.clone()))
            });
            (b, rows.collect())
        })
        .collect()
});

/// The skeleton of `b`, when `b` is a block of the templates.
fn skeleton(b: &Block) -> Option<&'static Map<String, Value>> {
    SKELETONS
        .iter()
        .find(|(s, _)| std::ptr::eq(*s, b))
        .map(|(_, m)| m)
}

/// A row of the skeleton of `b`: its columns, all `null`.
fn skeleton_row(b: &Block) -> Option<&'static Map<String, Value>> {
    match skeleton(b)?.values().next()? {
        Value::Object(row) => Some(row),
        _ => None,
    }
}

/// An object of `columns`' keys, every value `null`.
fn nulls(columns: &[Column]) -> Map<String, Value> {
    let mut m = Map::with_capacity(columns.len());
    for c in columns {
        m.insert(c.key.as_str().to_owned(), Value::Null);
    }
    m
}

/// A cell's JSON, as `serde_json::to_value` gives it (an integer, a float,
/// `null` for a blank or a non-finite float) without its serializer.
fn number(v: &Option<Num>) -> Value {
    match v {
        Some(n) if n.int => Value::from(n.v as i64),
        Some(n) => Value::from(n.v),
        None => Value::Null,
    }
}

pub fn extras_json(d: &TableData, out: &mut Map<String, Value>) {
    for e in &d.extra {
        let key = if e.block.is_empty() {
            d.spec.key.to_string()
        } else {
            format!("{}.{}", d.spec.key, e.block)
        };
        let list = out.entry(key).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = list {
            a.push(serde_json::to_value(e).unwrap_or(Value::Null));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables of every corpus input and of generated reports, mapped
    /// on both templates.
    fn corpus_tables() -> Vec<TableData> {
        let mut inputs = crate::corpus_inputs::all();
        assert!(inputs.len() > 10, "corpus/ not found");
        for seed in 0..160 {
            let model = crate::synth::generate(seed);
            let html = model.options.format.is_html();
            let bytes = model.bytes();
            inputs.push(crate::corpus_inputs::Input { bytes, html });
        }
        let mut out = Vec::new();
        for input in &inputs {
            let blocks = input.blocks();
            let stream = crate::stream::tokens(&blocks);
            for tpl in [&T2019, &T2021] {
                out.extend(crate::mapping::map(&stream, tpl).0);
            }
        }
        out
    }

    /// A whole block from the skeleton is, byte for byte once written, the
    /// block its rows inserted one by one give.
    #[test]
    fn whole_blocks_are_their_rows_inserted() {
        let mut whole = 0;
        for d in corpus_tables() {
            for (b, found) in d.spec.blocks.iter().zip(&d.rows) {
                let Some(all) = skeleton(b).filter(|_| every_row(b, found)) else {
                    continue;
                };
                let mut inserted = Map::new();
                insert_rows(b, found, &mut inserted);
                let text = |m: Map<String, Value>| serde_json::to_string(&m).unwrap();
                assert_eq!(text(whole_block(all, found)), text(inserted));
                whole += 1;
            }
        }
        assert!(whole > 100, "{whole} whole blocks");
    }
}
