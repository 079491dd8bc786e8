//! The tables as read, shaped into the JSON's `tables` and `extra_rows`
//! (`shared/spec/output.md`): nested by block where the template nests,
//! rows and columns in template order, blanks `null`.

use serde_json::{Map, Value};

use crate::mapping::TableData;
use crate::template::Column;
use crate::value::Num;

pub fn table_json(d: &TableData) -> Value {
    let mut out = Map::new();
    for (bi, b) in d.spec.blocks.iter().enumerate() {
        // A flat table's rows go straight into `out` (extending it after
        // the fact hashed every key twice).
        let mut rows = if d.spec.nested {
            Map::with_capacity(b.rows.len())
        } else {
            std::mem::take(&mut out)
        };
        // Every row of a block has the block's columns: their keys are
        // hashed once, into a row of nulls that the rows found copy (the
        // last one takes it).
        let found = d.rows.get(bi).map_or(&[][..], Vec::as_slice);
        let last = found.iter().rposition(Option::is_some);
        let mut blank: Option<Map<String, Value>> = None;
        for (ri, r) in b.rows.iter().enumerate() {
            let Some(Some(vals)) = found.get(ri) else {
                continue;
            };
            let blank = blank.get_or_insert_with(|| nulls(b.columns));
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
        if !d.spec.nested {
            out = rows;
        } else if !rows.is_empty() {
            out.insert(b.path().to_owned(), Value::Object(rows));
        }
    }
    Value::Object(out)
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
