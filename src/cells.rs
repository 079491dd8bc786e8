//! A report's tables as one row per cell: the rows of `cells.csv`, of the
//! Python `gongkai.cells` and of Spark's `cells.parquet`, all from here.

use serde_json::{Map, Value};

/// One value of a table. `block` is empty for tables without blocks;
/// `value` is a JSON number or `null`; `line` and `source` say where it was
/// read (its provenance's `line` and `text`), when known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell<'a> {
    pub table: &'a str,
    pub block: &'a str,
    pub row: &'a str,
    pub column: &'a str,
    pub value: &'a Value,
    pub line: Option<u64>,
    pub source: Option<&'a str>,
}

/// The cells of `Report.tables` (or of its JSON read back), in table order,
/// each with its origin from `provenance` (`Report.provenance`) if given.
pub fn cells<'a>(
    tables: &'a Map<String, Value>,
    provenance: Option<&'a Map<String, Value>>,
) -> Vec<Cell<'a>> {
    let mut out = Vec::new();
    for (table, v) in tables {
        leaves(v, &mut Vec::new(), &mut |keys, value| {
            let (block, row, column) = match keys {
                [b, r, c] => (*b, *r, *c),
                [r, c] => ("", *r, *c),
                _ => return,
            };
            let origin = provenance
                .and_then(|p| p.get(table.as_str()))
                .and_then(|t| keys.iter().try_fold(t, |v, k| v.get(*k)));
            out.push(Cell {
                table,
                block,
                row,
                column,
                value,
                line: origin.and_then(|o| o.get("line")?.as_u64()),
                source: origin.and_then(|o| o.get("text")?.as_str()),
            });
        });
    }
    out
}

/// Walk a table's nested objects down to its numbers and nulls.
fn leaves<'a>(v: &'a Value, keys: &mut Vec<&'a str>, f: &mut impl FnMut(&[&'a str], &'a Value)) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                keys.push(k);
                leaves(child, keys, f);
                keys.pop();
            }
        }
        leaf => f(keys, leaf),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_and_flat_tables_give_one_cell_per_value() {
        let tables = serde_json::json!({
            "proactive": { "item_1": { "rules": { "issued": 1, "repealed": null } } },
            "requests": { "new_received": { "total": 12.5 } }
        });
        let Value::Object(tables) = tables else {
            unreachable!()
        };
        let prov = serde_json::json!({
            "proactive": { "item_1": { "rules": { "issued": { "line": 3, "start": 9, "end": 10, "text": "1" } } } }
        });
        let Value::Object(prov) = prov else {
            unreachable!()
        };
        let got: Vec<String> = cells(&tables, Some(&prov))
            .iter()
            .map(|c| {
                let (t, b, r, col, v) = (c.table, c.block, c.row, c.column, c.value);
                format!("{t} {b} {r} {col} {v} {:?} {:?}", c.line, c.source)
            })
            .collect();
        assert_eq!(
            got,
            [
                "proactive item_1 rules issued 1 Some(3) Some(\"1\")",
                "proactive item_1 rules repealed null None None",
                "requests  new_received total 12.5 None None",
            ]
        );
    }
}
