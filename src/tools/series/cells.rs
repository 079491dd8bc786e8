//! Table cells kept small: the figures the continuity rules read, for
//! every report of an archive, and all cells of the reports a duplicate
//! comparison needs. Cell paths (`requests.carried_over.total`) are
//! interned once; each cell is then a varint id and a varint value (most
//! figures are small whole numbers), about 2–3 bytes.

use std::collections::HashMap;

use serde_json::Value;

/// Cell paths seen so far, numbered in order of appearance.
#[derive(Debug, Default)]
pub struct Paths {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

/// Distinct cell paths kept: the templates have a few hundred; input that
/// invents more (not gongkai's JSON) cannot grow the table without end.
const MAX_PATHS: usize = 1 << 16;

impl Paths {
    /// The id of `path`, numbering it if new; `None` past [`MAX_PATHS`].
    pub fn id(&mut self, path: &str) -> Option<u32> {
        if let Some(&id) = self.ids.get(path) {
            return Some(id);
        }
        if self.names.len() >= MAX_PATHS {
            return None;
        }
        let id = self.names.len() as u32;
        self.ids.insert(path.to_string(), id);
        self.names.push(path.to_string());
        Some(id)
    }

    /// The id of a path already seen.
    pub fn get(&self, path: &str) -> Option<u32> {
        self.ids.get(path).copied()
    }

    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

/// A report's cells: `null` cells are kept too (a null and an absent cell
/// say different things in a note).
#[derive(Debug, Clone, Default)]
pub struct Cells {
    bytes: Vec<u8>,
}

/// Value tags in the low two bits of the value varint.
const INT: u64 = 0;
const FLOAT: u64 = 1;
const NULL: u64 = 2;

/// What [`Cells::from_tables`] found.
pub struct Read {
    /// The cells kept.
    pub cells: Cells,
    /// Cells of the whole table that hold a number.
    pub filled: usize,
}

impl Cells {
    /// The leaves of `tables` (nested objects down to numbers and nulls)
    /// whose path `keep` accepts.
    pub fn from_tables(tables: &Value, paths: &mut Paths, keep: &dyn Fn(&str) -> bool) -> Read {
        let mut read = Read {
            cells: Cells::default(),
            filled: 0,
        };
        let mut key = String::new();
        read.walk(tables, &mut key, paths, keep);
        read.cells.bytes.shrink_to_fit();
        read
    }

    /// Every leaf of `tables`.
    pub fn all(tables: &Value, paths: &mut Paths) -> Cells {
        Cells::from_tables(tables, paths, &|_| true).cells
    }

    fn push(&mut self, id: Option<u32>, value: Option<f64>) {
        let Some(id) = id else { return };
        varint(&mut self.bytes, u64::from(id));
        match value {
            None => varint(&mut self.bytes, NULL),
            Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => {
                let zigzag = ((v as i64) << 1) ^ ((v as i64) >> 63);
                varint(&mut self.bytes, ((zigzag as u64) << 2) | INT);
            }
            Some(v) => {
                varint(&mut self.bytes, FLOAT);
                self.bytes.extend_from_slice(&v.to_le_bytes());
            }
        }
    }

    /// `(id, value)` for every cell, `None` for null.
    pub fn iter(&self) -> impl Iterator<Item = (u32, Option<f64>)> + '_ {
        let mut at = 0usize;
        std::iter::from_fn(move || {
            let id = read_varint(&self.bytes, &mut at)?;
            let tagged = read_varint(&self.bytes, &mut at)?;
            let value = match tagged & 3 {
                INT => {
                    let z = (tagged >> 2) as i64;
                    Some(((z >> 1) ^ -(z & 1)) as f64)
                }
                FLOAT => {
                    let raw = self.bytes.get(at..at + 8)?;
                    at += 8;
                    Some(f64::from_le_bytes(raw.try_into().ok()?))
                }
                _ => None,
            };
            Some((id as u32, value))
        })
    }

    /// The cell with this id: `None` when absent, `Some(None)` when null.
    pub fn get(&self, id: u32) -> Option<Option<f64>> {
        self.iter().find(|(i, _)| *i == id).map(|(_, v)| v)
    }
}

impl Read {
    fn walk(
        &mut self,
        v: &Value,
        key: &mut String,
        paths: &mut Paths,
        keep: &dyn Fn(&str) -> bool,
    ) {
        let value = match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let len = key.len();
                    if !key.is_empty() {
                        key.push('.');
                    }
                    key.push_str(k);
                    self.walk(child, key, paths, keep);
                    key.truncate(len);
                }
                return;
            }
            Value::Number(n) => n.as_f64(),
            Value::Null => None,
            // Strings and lists are no figures of a table.
            _ => return,
        };
        self.filled += usize::from(value.is_some());
        if keep(key) {
            self.cells.push(paths.id(key), value);
        }
    }
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let tables = serde_json::json!({
            "requests": {"new_received": {"total": 643, "commercial": null}},
            "proactive": {"item_8": {"fees": {"amount": 24252.311082}}, "item_5": {"licensing": {"change": -18}}}
        });
        let mut paths = Paths::default();
        let read = Cells::from_tables(&tables, &mut paths, &|_| true);
        let c = read.cells;
        let got: Vec<(String, Option<f64>)> = c
            .iter()
            .map(|(i, v)| (paths.name(i).to_string(), v))
            .collect();
        assert_eq!(
            got,
            [
                ("requests.new_received.total".to_string(), Some(643.0)),
                ("requests.new_received.commercial".to_string(), None),
                (
                    "proactive.item_8.fees.amount".to_string(),
                    Some(24252.311082)
                ),
                ("proactive.item_5.licensing.change".to_string(), Some(-18.0)),
            ]
        );
        assert_eq!(read.filled, 3);
        let some = Cells::from_tables(&tables, &mut paths, &|p| p.starts_with("requests"));
        assert_eq!((some.cells.iter().count(), some.filled), (2, 3));
        let id = paths.get("requests.new_received.commercial").unwrap_or(99);
        assert_eq!(c.get(id), Some(None));
        assert_eq!(c.get(99), None);
    }
}
