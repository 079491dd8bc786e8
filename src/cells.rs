//! A report's tables as one row per cell: the rows of `cells.csv`, of the
//! Python `gongkai.cells` and of Spark's `cells.parquet`, all from here.

use serde_json::{Map, Value};

/// One value of a table. `block` is empty for tables without blocks;
/// `value` is a JSON number or `null`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell<'a> {
    pub table: &'a str,
    pub block: &'a str,
    pub row: &'a str,
    pub column: &'a str,
    pub value: &'a Value,
}

/// The cells of `Report.tables` (or of its JSON read back), in table order.
pub fn cells(tables: &Map<String, Value>) -> Vec<Cell<'_>> {
    let mut out = Vec::new();
    for (table, v) in tables {
        leaves(v, &mut Vec::new(), &mut |keys, value| {
            let (block, row, column) = match keys {
                [b, r, c] => (*b, *r, *c),
                [r, c] => ("", *r, *c),
                _ => return,
            };
            out.push(Cell {
                table,
                block,
                row,
                column,
                value,
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
        let got: Vec<(&str, &str, &str, &str, String)> = cells(&tables)
            .iter()
            .map(|c| (c.table, c.block, c.row, c.column, c.value.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("proactive", "item_1", "rules", "issued", "1".into()),
                ("proactive", "item_1", "rules", "repealed", "null".into()),
                ("requests", "", "new_received", "total", "12.5".into()),
            ]
        );
    }
}
