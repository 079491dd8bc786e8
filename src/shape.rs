//! The tables as read, shaped into the JSON's `tables` and `extra_rows`
//! (`shared/spec/output.md`): nested by block where the template nests,
//! rows and columns in template order, blanks `null`.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use crate::mapping::{RowValues, TableData};
use crate::template::{Block, Column};
use crate::value::Num;

/// `Report::tables`: the tables as read, written as the JSON's `tables`
/// straight from their values. A `serde_json` map built per report cost
/// more than the rest of writing it (every key owned and hashed, every
/// value boxed, all of it dropped again). The JSON's objects are written
/// entry by entry, without a map to merge equal keys: the template's keys
/// are distinct where they share an object (tested below).
#[derive(Debug, Clone, Default)]
pub struct Tables(Vec<TableData>);

impl Tables {
    pub fn new(data: Vec<TableData>) -> Tables {
        Tables(data)
    }

    /// The tables as JSON values, for readers that look values up by key
    /// (the review pages, `cells.csv`, the generator's check); not on the
    /// parse's path.
    pub fn to_value(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    }
}

/// The tables found (a table with only its caption is `{}`), by key.
impl Serialize for Tables {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for d in self.0.iter().filter(|d| d.present()) {
            m.serialize_entry(d.spec.key.as_str(), &Table(d))?;
        }
        m.end()
    }
}

/// One table: its blocks' rows by block key where the template nests
/// (blocks without a row found left out), all in one object where not.
struct Table<'a>(&'a TableData);

impl Serialize for Table<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut m = s.serialize_map(None)?;
        for (b, found) in d.spec.blocks.iter().zip(&d.rows) {
            let rows = Rows { b, found };
            if !d.spec.nested {
                rows.entries(&mut m)?;
            } else if rows.found().next().is_some() {
                m.serialize_entry(b.path(), &rows)?;
            }
        }
        m.end()
    }
}

/// The rows found of a block, in template order.
struct Rows<'a> {
    b: &'a Block,
    found: &'a [Option<RowValues>],
}

impl<'a> Rows<'a> {
    /// Each row found, by key, with its values.
    fn found(&self) -> impl Iterator<Item = (&'static str, &'a RowValues)> + use<'a> {
        let rows = self.b.rows.iter().zip(self.found);
        rows.filter_map(|(r, v)| Some((r.key.as_str(), v.as_ref()?)))
    }

    /// Write the rows into `m`, each an object of the block's columns.
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let columns = self.b.columns;
        for (key, values) in self.found() {
            m.serialize_entry(key, &Cells { columns, values })?;
        }
        Ok(())
    }
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.entries(&mut m)?;
        m.end()
    }
}

/// A row: its values by column key, as many as both have (a row shorter
/// than its block, which none is, keeps its own columns). A value is an
/// integer, a float, or `null` for a blank or a non-finite float
/// ([`Num`]'s own `Serialize`).
struct Cells<'a> {
    columns: &'a [Column],
    values: &'a [Option<Num>],
}

impl Serialize for Cells<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (c, v) in self.columns.iter().zip(self.values) {
            m.serialize_entry(c.key.as_str(), v)?;
        }
        m.end()
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
    use crate::template::{T2019, T2021};

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

    /// The tables as a map of maps, the way the JSON's `tables` was built
    /// before it was written straight from the values: each row found an
    /// object of the block's columns (as many as it has values), the rows
    /// of a flat table in one object, a nested table's blocks (those with
    /// a row) by key, later keys replacing earlier equal ones in place.
    fn as_maps(data: &[TableData]) -> Map<String, Value> {
        let mut out = Map::new();
        for d in data.iter().filter(|d| d.present()) {
            let mut table = Map::new();
            for (bi, b) in d.spec.blocks.iter().enumerate() {
                let found = d.rows.get(bi).map_or(&[][..], Vec::as_slice);
                let mut rows = Map::new();
                for (ri, r) in b.rows.iter().enumerate() {
                    let Some(Some(vals)) = found.get(ri) else {
                        continue;
                    };
                    let mut cols = Map::new();
                    for (c, v) in b.columns.iter().zip(vals) {
                        cols.insert(c.key.as_str().to_owned(), serde_json::json!(v));
                    }
                    rows.insert(r.key.as_str().to_owned(), Value::Object(cols));
                }
                if !d.spec.nested {
                    table.extend(rows);
                } else if !rows.is_empty() {
                    table.insert(b.path().to_owned(), Value::Object(rows));
                }
            }
            out.insert(d.spec.key.as_str().to_owned(), Value::Object(table));
        }
        out
    }

    /// [`Tables`] writes, compact and pretty, the text of its tables built
    /// as maps; and [`Tables::to_value`] is that map.
    #[test]
    fn tables_are_written_as_their_maps() {
        let (mut tables, mut cells) = (0, 0);
        for d in corpus_tables() {
            let want = as_maps(std::slice::from_ref(&d));
            let got = Tables::new(vec![d]);
            assert_eq!(
                serde_json::to_string(&got).unwrap(),
                serde_json::to_string(&want).unwrap()
            );
            assert_eq!(
                serde_json::to_string_pretty(&got).unwrap(),
                serde_json::to_string_pretty(&want).unwrap()
            );
            assert_eq!(got.to_value(), want);
            tables += want.len();
            cells += crate::cells::cells(&want, None).len();
        }
        assert!(
            tables > 500 && cells > 50_000,
            "{tables} tables, {cells} cells"
        );
    }

    /// What writing objects entry by entry asks: no two keys of one object
    /// are equal. A table's key in `tables`; a nested table's block keys;
    /// the row keys of a table's blocks where they share an object (all of
    /// a flat table's, each block's own where nested); a block's columns.
    #[test]
    fn keys_sharing_an_object_are_distinct() {
        fn distinct<'a>(keys: impl Iterator<Item = &'a str>, what: &str) {
            let keys: Vec<&str> = keys.collect();
            let set: std::collections::HashSet<&str> = keys.iter().copied().collect();
            assert_eq!(set.len(), keys.len(), "{what}: {keys:?}");
        }
        for t in [&T2019, &T2021] {
            distinct(t.tables.iter().map(|s| s.key.as_str()), "tables");
            for s in t.tables {
                let rows = |b: &'static Block| b.rows.iter().map(|r| r.key.as_str());
                if s.nested {
                    distinct(s.blocks.iter().map(Block::path), s.key.as_str());
                    for b in s.blocks {
                        distinct(rows(b), b.path());
                    }
                } else {
                    distinct(s.blocks.iter().flat_map(rows), s.key.as_str());
                }
                for b in s.blocks {
                    distinct(b.columns.iter().map(|c| c.key.as_str()), b.path());
                }
            }
        }
    }
}
