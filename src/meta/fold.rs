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
    /// For every byte of `text`, the byte offset in `src` of the character
    /// it came from.
    at: Vec<u32>,
}

impl<'a> Folded<'a> {
    pub fn new(src: &'a str) -> Folded<'a> {
        let mut text = String::with_capacity(src.len());
        let mut at = Vec::with_capacity(src.len());
        // Characters kept as they are (most of a report) are copied a run
        // at a time, and passed over by their bytes ([`plain_run`]); a
        // run's bytes map to their own offsets, which [`Folded::source`]
        // reads back to their character's start.
        let mut run = 0;
        let mut i = 0;
        while let Some(rest) = src.get(i..) {
            let (plain, _) = plain_run(rest.as_bytes());
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
            text.push_str(src.get(run..start).unwrap_or_default());
            at.extend(run as u32..start as u32);
            run = i;
            if !dropped {
                text.push(f);
                at.extend(std::iter::repeat_n(start as u32, f.len_utf8()));
            }
        }
        text.push_str(src.get(run..).unwrap_or_default());
        at.extend(run as u32..src.len() as u32);
        Folded { src, text, at }
    }

    /// The source text behind the folded bytes `r`, trimmed.
    pub fn source(&self, r: Range<usize>) -> &'a str {
        let pos = |i: usize| {
            self.at.get(i).map_or(self.src.len(), |&p| {
                self.src.floor_char_boundary(p as usize)
            })
        };
        self.src
            .get(pos(r.start)..pos(r.end))
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
