//! The tables as read, shaped into the JSON's `tables` and `extra_rows`
//! (`shared/spec/output.md`): nested by block where the template nests,
//! rows and columns in template order, blanks `null`.

use serde_json::{Map, Value};

use crate::mapping::TableData;
use crate::value::Num;

pub fn table_json(d: &TableData) -> Value {
    let mut out = Map::new();
    for (bi, b) in d.spec.blocks.iter().enumerate() {
        let mut rows = Map::new();
        for (ri, r) in b.rows.iter().enumerate() {
            let Some(Some(vals)) = d.rows.get(bi).and_then(|x| x.get(ri)) else {
                continue;
            };
            let mut cols = Map::with_capacity(b.columns.len());
            for (c, v) in b.columns.iter().zip(vals) {
                cols.insert(c.key.to_string(), number(v));
            }
            rows.insert(r.key.to_string(), Value::Object(cols));
        }
        if d.spec.nested {
            if !rows.is_empty() {
                out.insert(b.path().to_string(), Value::Object(rows));
            }
        } else {
            out.extend(rows);
        }
    }
    Value::Object(out)
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
