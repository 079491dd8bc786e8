//! Pretty JSON as `serde_json::to_vec_pretty` writes it (two spaces an
//! indent level), with each line break and its indent written in one piece:
//! serde_json writes the indent two spaces at a time, a write per level,
//! which was a third of writing a report's JSON (most of it is the tables'
//! cells, four levels deep).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

/// `value` as pretty JSON, byte for byte what `serde_json::to_vec_pretty`
/// gives.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    // Nine reports in ten write less than 23 KB (11,833 of the snapshot:
    // median 13 KB); grown from serde_json's 128 bytes, each doubling was a
    // copy.
    let mut out = Vec::with_capacity(32 << 10);
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out,
        Pretty::default(),
    ))?;
    Ok(out)
}

/// A comma, a line break and the indent of [`LEVELS`] levels: a new line
/// is a slice of it (without the comma for a first entry or a closing
/// bracket).
const LINE: &[u8; 2 + 2 * LEVELS] = &{
    let mut line = [b' '; 2 + 2 * LEVELS];
    line[0] = b',';
    line[1] = b'\n';
    line
};

/// Levels of indent [`LINE`] holds; deeper lines (no report's) are written
/// a level at a time.
const LEVELS: usize = 16;

/// serde_json's `PrettyFormatter` with an indent of two spaces: the same
/// state and the same bytes.
#[derive(Debug, Default)]
struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    /// A line break (after a comma when `comma`) and the current indent.
    fn line<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> io::Result<()> {
        let from = usize::from(!comma);
        match LINE.get(from..2 + 2 * self.level) {
            Some(line) => w.write_all(line),
            None => {
                w.write_all(LINE.get(from..2).unwrap_or_default())?;
                (0..self.level).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.line(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same<T: Serialize + ?Sized>(value: &T) -> usize {
        let want = serde_json::to_vec_pretty(value).unwrap();
        assert_eq!(
            String::from_utf8(to_vec(value).unwrap()).unwrap(),
            String::from_utf8(want.clone()).unwrap()
        );
        want.len()
    }

    /// Reports of the corpus and generated ones (with their provenance),
    /// and values nested past [`LEVELS`] with empty and full objects and
    /// arrays at every depth, are written as serde_json writes them.
    #[test]
    fn pretty_json_is_serde_jsons() {
        let opts = crate::Options {
            provenance: true,
            text: false,
        };
        let mut bytes = 0;
        for (i, input) in crate::corpus_inputs::all().iter().enumerate() {
            bytes += same(&crate::parse_with(&input.bytes, &format!("{i}"), opts));
        }
        for seed in 0..40 {
            let model = crate::synth::generate(seed);
            bytes += same(&crate::parse_with(&model.bytes(), "g.txt", opts));
        }
        assert!(bytes > 1_000_000, "{bytes}");
        let mut v = serde_json::json!([1, {}, [], "a\"b"]);
        for depth in 0..2 * LEVELS + 3 {
            v = match depth % 3 {
                0 => serde_json::json!({ "k": v, "e": {}, "n": null }),
                1 => serde_json::json!([v, [], 2.5]),
                _ => serde_json::json!({ "only": v }),
            };
            same(&v);
        }
    }
}
