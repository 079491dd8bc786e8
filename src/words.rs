//! Several words looked for in one pass over a text: section numerals, fact
//! cues, template markers. The stages' word lists are short and their words
//! rare, so a packed SIMD search (Teddy) passes over the text at a few bytes
//! per instruction, where a search per word would pass over it once each.

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

/// A set of words, and its search.
pub struct Words {
    /// Teddy, where the CPU has it (x86-64 with SSSE3, aarch64).
    packed: Option<packed::Searcher>,
    /// The automaton, for other CPUs: the same matches, byte by byte.
    automaton: AhoCorasick,
}

impl Words {
    pub fn new<S: AsRef<[u8]>>(words: &[S]) -> Words {
        let packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(words)
            .build();
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostFirst)
            .build(words)
            .unwrap_or_else(|e| unreachable!("{e}"));
        Words { packed, automaton }
    }

    /// Where the words stand in `text`, in order, one match where several
    /// overlap (the first word listed of those starting first): the word's
    /// index and its byte range. Where no word's end overlaps another's
    /// start, that is every occurrence of every word.
    pub fn find_iter<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> + 'a {
        let mut at = 0;
        std::iter::from_fn(move || {
            let span = at..text.len();
            let (word, range) = match &self.packed {
                Some(p) => p
                    .find_in(text, span.into())
                    .map(|m| (m.pattern().as_usize(), m.range()))?,
                None => self
                    .automaton
                    .find(Input::new(text).span(span))
                    .map(|m| (m.pattern().as_usize(), m.range()))?,
            };
            // No word is empty: the next search starts past this one.
            at = range.end;
            Some((word, range))
        })
    }
}

/// Whether no two of `words` can overlap in a text: none holds another, and
/// no word's end is another's start. Then [`Words::find_iter`] finds every
/// word that occurs (what the stages' tests hold their lists to).
#[cfg(test)]
pub(crate) fn apart(words: &[&str]) -> bool {
    words.iter().enumerate().all(|(i, a)| {
        words.iter().enumerate().all(|(j, b)| {
            i == j
                || (!a.contains(b)
                    && (1..a.len()).all(|k| {
                        !a.is_char_boundary(k) || !b.starts_with(&a[k..]) || b.len() <= a.len() - k
                    }))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The packed search and the automaton find the same words, and every
    /// occurrence of words that cannot overlap.
    #[test]
    fn both_searches_find_every_word() {
        let words = ["一", "二", "三", "件", "申请", "行政复议", "行政诉讼"];
        let w = Words::new(&words);
        let alphabet: Vec<&str> = words
            .iter()
            .copied()
            .chain(["行政", "中", " ", "a"])
            .collect();
        let mut rng = crate::synth::Rng::new(0x9e37_79b9);
        for n in 0..3_000 {
            let text: String = (0..n % 40).map(|_| *rng.pick(&alphabet)).collect();
            let want: Vec<(usize, std::ops::Range<usize>)> = (text.char_indices())
                .filter_map(|(i, _)| {
                    let k = words.iter().position(|w| text[i..].starts_with(w))?;
                    Some((k, i..i + words[k].len()))
                })
                .collect();
            let got: Vec<_> = w.find_iter(&text).collect();
            assert_eq!(got, want, "{text:?}");
            let auto: Vec<_> = w
                .automaton
                .find_iter(&text)
                .map(|m| (m.pattern().as_usize(), m.range()))
                .collect();
            assert_eq!(auto, want, "{text:?}");
        }
        assert!(w.packed.is_some() || !cfg!(target_arch = "x86_64"));
        assert!(apart(&words));
        assert!(!apart(&["行政复议", "复议"]) && !apart(&["复议", "议案"]));
        assert!(!apart(&["行政", "行政诉讼"]));
    }
}
