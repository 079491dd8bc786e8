//! Text folded for matching, with the way back to the source. Metadata
//! patterns are written once, on simplified half-width text without
//! whitespace (`宿迁市 2025 年`, `２０１９年`, `報告` all match), but the names
//! they find are reported as the source wrote them.

use std::ops::Range;

use crate::normalize::{fold_char, plain_run};

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

impl<'a> Folded<'a> {
    pub fn new(src: &'a str) -> Folded<'a> {
        let mut text = String::with_capacity(src.len());
        let mut map = Vec::new();
        // Characters kept as they are (most of a report) are copied a run
        // at a time, and passed over by their bytes ([`plain_run`]); a
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
            let plain = plain_run(rest.as_bytes());
            i += plain;
            let Some(ch) = rest.get(plain..).and_then(|r| r.chars().next()) else {
                break;
            };
            let (f, dropped) = if ch.is_ascii() {
                (ch, ch.is_whitespace())
            } else {
                let f = fold_char(ch);
                // Ideographs are no whitespace, nor fold to any.
                let blank = !matches!(ch, '\u{4e00}'..='\u{9fff}')
                    && (ch.is_whitespace() || f.is_whitespace());
                (f, blank)
            };
            let start = i;
            i += ch.len_utf8();
            if f == ch && !dropped {
                continue;
            }
            copy(&mut text, &mut map, run, start);
            run = i;
            if !dropped {
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
        let alphabet: Vec<char> = "宿迁市年報告開檔案档１２ａ，。、 \u{3000}\n\tab1,.“”\u{a0}𠀀é"
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
