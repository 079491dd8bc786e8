//! Text folded for matching, with the way back to the source. Metadata
//! patterns are written once, on simplified half-width text without
//! whitespace (`宿迁市 2025 年`, `２０１９年`, `報告` all match), but the names
//! they find are reported as the source wrote them.

use std::ops::Range;
use std::sync::LazyLock;

use crate::normalize::{WideSet, fold_char, plain_run_in};

pub struct Folded<'a> {
    src: &'a str,
    /// The source without whitespace, each character through
    /// [`fold_char`].
    pub text: String,
    /// Where the stretches of `text` come from, in order: a few per line,
    /// rather than an offset for every byte (most of the text is copied
    /// as it is, and few places are ever read back).
    map: Vec<Piece>,
}

/// From byte `text` of the folded text on: the source's bytes from `src` on,
/// one for one (`same`), or a folded character, all of whose bytes come
/// from the character at `src`.
#[derive(Clone, Copy)]
struct Piece {
    text: u32,
    src: u32,
    same: bool,
}

/// The three-byte characters the fold keeps as they are ([`fold_char`]
/// their own; U+3000, the one whitespace among them, it folds to a space),
/// told by their bytes: a run of them is copied whole. Built once (not
/// looked up per run).
static KEPT: LazyLock<WideSet> = LazyLock::new(|| {
    let mut set = WideSet::default();
    for c in (0x3000..=0x9FFF).filter_map(char::from_u32) {
        if fold_char(c) == c {
            set.insert(c as u32);
        }
    }
    set
});

impl<'a> Folded<'a> {
    pub fn new(src: &'a str) -> Folded<'a> {
        let kept = &*KEPT;
        let mut text = String::with_capacity(src.len());
        let mut map = Vec::new();
        // Characters kept as they are (most of a report) are copied a run
        // at a time, and passed over by their bytes ([`plain_run_in`]); a
        // run's bytes map to their own offsets, which [`Folded::source`]
        // reads back to their character's start.
        let mut run = 0;
        let mut i = 0;
        let copy = |text: &mut String, map: &mut Vec<Piece>, from: usize, to: usize| {
            if from < to {
                map.push(Piece {
                    text: text.len() as u32,
                    src: from as u32,
                    same: true,
                });
                text.push_str(src.get(from..to).unwrap_or_default());
            }
        };
        while let Some(rest) = src.get(i..) {
            let plain = plain_run_in(kept, rest.as_bytes());
            i += plain;
            let Some((len, to)) = rest.get(plain..).and_then(fold_at) else {
                break;
            };
            let start = i;
            i += len;
            let to = match to {
                Fold::Kept => continue,
                Fold::Dropped => None,
                Fold::To(f) => Some(f),
            };
            copy(&mut text, &mut map, run, start);
            run = i;
            if let Some(f) = to {
                map.push(Piece {
                    text: text.len() as u32,
                    src: start as u32,
                    same: false,
                });
                text.push(f);
            }
        }
        copy(&mut text, &mut map, run, src.len());
        Folded { src, text, map }
    }

    /// The source offset of folded byte `i`: the start of the source
    /// character it came from (the source's end past the text's).
    fn at(&self, i: usize) -> usize {
        if i >= self.text.len() {
            return self.src.len();
        }
        let k = self.map.partition_point(|p| p.text as usize <= i);
        let Some(p) = k.checked_sub(1).and_then(|k| self.map.get(k)) else {
            return self.src.len();
        };
        let at = if p.same {
            p.src as usize + (i - p.text as usize)
        } else {
            p.src as usize
        };
        self.src.floor_char_boundary(at)
    }

    /// The source text behind the folded bytes `r`, trimmed.
    pub fn source(&self, r: Range<usize>) -> &'a str {
        self.src
            .get(self.at(r.start)..self.at(r.end))
            .unwrap_or_default()
            .trim()
    }
}

/// What the fold makes of a character.
enum Fold {
    Kept,
    Dropped,
    To(char),
}

/// The length of the character `rest` opens with, and its fold: common
/// ones (`，：（“”`) told by their bytes, the rest through [`fold_char`].
fn fold_at(rest: &str) -> Option<(usize, Fold)> {
    Some(match *rest.as_bytes() {
        // Dashes and curly quotes.
        [0xE2, 0x80, 0x93 | 0x94 | 0x98 | 0x99 | 0x9C | 0x9D, ..] => (3, Fold::Kept),
        // Full-width ASCII (U+FF01…U+FF5E): half-width.
        [0xEF, 0xBC, b2 @ 0x81..=0xBF, ..] => (3, Fold::To(char::from(b2 - 0x81 + b'!'))),
        [0xEF, 0xBD, b2 @ 0x80..=0x9E, ..] => (3, Fold::To(char::from(b2 - 0x80 + b'`'))),
        _ => {
            let ch = rest.chars().next()?;
            let (f, dropped) = if ch.is_ascii() {
                (ch, ch.is_whitespace())
            } else {
                let f = fold_char(ch);
                // Ideographs are no whitespace, nor fold to any.
                let blank = !matches!(ch, '\u{4e00}'..='\u{9fff}')
                    && (ch.is_whitespace() || f.is_whitespace());
                (f, blank)
            };
            let fold = match (dropped, f == ch) {
                (true, _) => Fold::Dropped,
                (false, true) => Fold::Kept,
                (false, false) => Fold::To(f),
            };
            (ch.len_utf8(), fold)
        }
    })
}

/// `s` without any whitespace (a name as written, spaces dropped).
pub fn unspaced(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folded text and the source offset of each of its bytes, one
    /// character at a time: the rule [`Folded::new`] keeps with its runs
    /// and pieces.
    fn by_chars(src: &str) -> (String, Vec<usize>) {
        let (mut text, mut at) = (String::new(), Vec::new());
        for (i, ch) in src.char_indices() {
            let f = fold_char(ch);
            let ideograph = matches!(ch, '\u{4e00}'..='\u{9fff}');
            if ch.is_whitespace() || (!ch.is_ascii() && !ideograph && f.is_whitespace()) {
                continue;
            }
            text.push(f);
            if f == ch {
                at.extend(i..i + ch.len_utf8());
            } else {
                at.extend(std::iter::repeat_n(i, f.len_utf8()));
            }
        }
        (text, at)
    }

    #[test]
    fn pieces_map_every_byte_as_the_characters_do() {
        let alphabet: Vec<char> =
            "宿迁市年報告開檔案档１２ａ，。、 \u{3000}\n\tab1,.“”‘’—–「」！～＿｀\u{a0}𠀀é\u{2003}"
                .chars()
                .collect();
        let mut rng = crate::synth::Rng::new(0x510e_527f);
        for n in 0..5_000 {
            let src: String = (0..n % 24).map(|_| *rng.pick(&alphabet)).collect();
            let f = Folded::new(&src);
            let (text, at) = by_chars(&src);
            assert_eq!(f.text, text, "{src:?}");
            for i in 0..=text.len() {
                let want = at.get(i).map_or(src.len(), |&p| src.floor_char_boundary(p));
                assert_eq!(f.at(i), want, "{src:?} at {i}");
            }
        }
    }

    /// [`fold_at`]'s byte-told folds and the [`KEPT`] set agree with
    /// [`fold_char`] and the whitespace rule, for every character.
    #[test]
    fn told_by_bytes_as_by_fold_char() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let s = c.to_string();
            let f = fold_char(c);
            let ideograph = matches!(c, '\u{4e00}'..='\u{9fff}');
            let dropped = c.is_whitespace() || (!c.is_ascii() && !ideograph && f.is_whitespace());
            let Some((len, fold)) = fold_at(&s) else {
                panic!("{c:?}");
            };
            assert_eq!(len, c.len_utf8(), "{c:?}");
            let ok = match fold {
                Fold::Kept => !dropped && f == c,
                Fold::Dropped => dropped,
                Fold::To(t) => !dropped && t == f && f != c,
            };
            assert!(ok, "{c:?}");
            if plain_run_in(&KEPT, s.as_bytes()) > 0 {
                assert!(!dropped && f == c, "{c:?}");
            }
        }
    }

    #[test]
    fn folds_and_maps_back() {
        let f = Folded::new("宿迁市 ２０２５ 年政府信息公開");
        assert_eq!(f.text, "宿迁市2025年政府信息公开");
        let start = f.text.find("2025").unwrap_or(0);
        assert_eq!(f.source(0..start), "宿迁市");
        assert_eq!(f.source(start..start + 4), "２０２５");
        assert_eq!(f.source(start + 4..f.text.len()), "年政府信息公開");
        // Inside a character, the whole character.
        assert_eq!(f.source(1..start), "宿迁市");
        assert_eq!(f.source(f.text.len() - 1..f.text.len()), "開");
    }
}
