//! Stage 2: text → blocks. Both input shapes (HTML, flattened text) end up
//! as the same sequence of paragraphs and tables, so every later stage is
//! shared.

pub mod dom;
pub mod html;
pub mod lean;
pub mod text;

use crate::provenance::Span;

/// One unit of document flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A line of running text (a heading, a sentence, a space-separated row).
    Para(String),
    Table(Table),
}

/// A table as published: rows of cells in reading order, spans kept as
/// attributes. [`crate::grid`] decides what the positions are worth.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub origin: Origin,
    /// One entry per `<tr>` or line of the source.
    pub rows: Vec<Vec<Cell>>,
}

/// Where a table came from: each source keeps a different part of the
/// geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `<table>`: every cell explicit, spans as attributes.
    Html,
    /// `| a | b |` rows with a `|---|` separator row; the outer pipes are
    /// borders, every cell between pipes is a cell.
    Markdown,
    /// Tab-separated fields, one row per line; an empty field is a cell.
    Tsv,
    /// Comma-separated fields (quotes honoured), one row per line.
    Csv,
    /// `a | b | c |`, one row per line (`||` may pad the row).
    PipeRows,
    /// `cell |`, one cell per line (the seed): rows are not delimited, a
    /// lone `|` line is a blank cell, runs of pipes are padding.
    PipeCells,
    /// One cell per line, each followed by a line holding only `|`: the
    /// pipe separates cells; a `|` with no cell before it is a blank cell.
    SepLines,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    /// A flattened-text cell made of two pipes with nothing between them
    /// (`||`): padding evidence, not necessarily a real cell.
    pub pad: bool,
    pub colspan: u32,
    pub rowspan: u32,
    /// Where the cell's text is in the decoded text, when known
    /// ([`crate::provenance`]).
    pub span: Option<Span>,
}

impl Cell {
    pub fn new(text: impl Into<String>, pad: bool) -> Self {
        Cell {
            text: text.into(),
            pad,
            colspan: 1,
            rowspan: 1,
            span: None,
        }
    }
}

/// [`str::trim`], which decodes a character at each end: ASCII blanks
/// are cut as bytes, and the ends left are mostly an ideograph or a digit,
/// which their lead bytes tell at once. Only an end that may be other
/// whitespace is left to `str::trim`: U+000B (not an ASCII blank to
/// `trim_ascii`), or a character led by 0xC2 (U+0085, U+00A0) or
/// 0xE1…0xE3 (U+1680, U+2000…U+205F, U+3000), which sits two or three
/// bytes from the end when it is the last.
pub fn trim(s: &str) -> &str {
    let s = s.trim_ascii();
    let b = s.as_bytes();
    let n = b.len();
    let first = b
        .first()
        .is_some_and(|&f| matches!(f, 0x0B | 0xC2 | 0xE1..=0xE3));
    let last = b.last() == Some(&0x0B)
        || (n >= 2 && b[n - 2] == 0xC2)
        || (n >= 3 && matches!(b[n - 3], 0xE1..=0xE3));
    if first || last { s.trim() } else { s }
}

/// The blocks of a document, and the range of each paragraph in the
/// decoded text (`None` for tables, whose cells carry theirs, and where
/// it is not known).
#[derive(Debug, Default)]
pub struct Spanned {
    pub blocks: Vec<Block>,
    pub spans: Vec<Option<Span>>,
}

impl Spanned {
    /// Drop the cells' ranges (blocks read from a text other than the
    /// decoded one).
    pub fn forget_cells(&mut self) {
        for b in &mut self.blocks {
            if let Block::Table(t) = b {
                t.rows.iter_mut().flatten().for_each(|c| c.span = None);
            }
        }
    }
}

impl Table {
    /// Expand row/col spans into a rectangular grid of references to the
    /// owning cell: `(row, cell index)` per grid slot, `None` where the
    /// table has a hole. Used to measure the table's real width.
    pub fn grid(&self) -> Vec<Vec<Option<(usize, usize)>>> {
        const MAX_SPAN: u32 = 64;
        let mut grid: Vec<Vec<Option<(usize, usize)>>> = vec![Vec::new(); self.rows.len()];
        for (r, row) in self.rows.iter().enumerate() {
            let mut c = 0usize;
            for (i, cell) in row.iter().enumerate() {
                while grid
                    .get(r)
                    .and_then(|g| g.get(c))
                    .is_some_and(Option::is_some)
                {
                    c += 1;
                }
                let rs = cell.rowspan.clamp(1, MAX_SPAN) as usize;
                let cs = cell.colspan.clamp(1, MAX_SPAN) as usize;
                for line in grid.iter_mut().skip(r).take(rs) {
                    if line.len() < c + cs {
                        line.resize(c + cs, None);
                    }
                    for slot in line.iter_mut().skip(c).take(cs) {
                        *slot = Some((r, i));
                    }
                }
                c += cs;
            }
        }
        grid
    }

    /// Width of the widest grid row. A one-column "table" is a layout box
    /// around running text (headings included), not a data table.
    pub fn width(&self) -> usize {
        self.grid().iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// Collapse runs of whitespace (including NBSP and ideographic space) to one
/// ASCII space and trim; drop zero-width characters and stray BOMs, which
/// editors leave inside cells and which would turn `62` into text.
pub fn squash_ws(s: &str) -> String {
    // Most cells and many lines need no work at all: one scan tells.
    let kept = kept_run(s.as_bytes(), 0);
    if kept == s.len() {
        return s.to_owned();
    }
    let mut out = Squashed {
        text: String::with_capacity(s.len()),
        pending: false,
    };
    out.push_from(s, kept);
    out.text
}

/// [`squash_ws`] over text that arrives in pieces (an HTML paragraph's
/// text nodes): the pieces are squashed as they come, so the whole is never
/// copied twice. Pushing `a` then `b` gives `squash_ws(a + b)`.
#[derive(Debug, Default)]
pub struct Squashed {
    text: String,
    /// A blank was seen after kept text: a space goes before the next kept
    /// character (none at the end: the text is trimmed).
    pending: bool,
}

impl Squashed {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text so far, leaving this empty for the next.
    pub fn take(&mut self) -> String {
        self.pending = false;
        std::mem::take(&mut self.text)
    }

    pub fn push(&mut self, s: &str) {
        self.push_from(s, kept_run(s.as_bytes(), 0));
    }

    /// [`Squashed::push`], where `s` is known to start with a run of kept
    /// characters up to `kept`.
    fn push_from(&mut self, s: &str, kept: usize) {
        // Most text has nothing to squash: it is copied in spans between
        // the characters that need work (those [`kept_len`] does not
        // keep), found by [`kept_run`].
        let bytes = s.as_bytes();
        let mut pending = self.pending;
        let mut copied = 0;
        let (mut run, mut i) = (0, kept);
        loop {
            if i > run && pending {
                // A kept run: the space before it goes first.
                self.text.push(' ');
                pending = false;
            }
            let blanks = bytes
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| matches!(b, 0x09..=0x0D | b' '))
                .count();
            if blanks > 0 {
                // A run of ASCII whitespace (a page's indentation) at once.
                self.text.push_str(s.get(copied..i).unwrap_or_default());
                i += blanks;
                copied = i;
                pending = !self.text.is_empty();
            } else {
                let Some(ch) = s.get(i..).and_then(|r| r.chars().next()) else {
                    break;
                };
                let blank = ch.is_whitespace();
                if !blank && !dropped(ch) {
                    if pending {
                        self.text.push(' ');
                        pending = false;
                    }
                } else {
                    self.text.push_str(s.get(copied..i).unwrap_or_default());
                    copied = i + ch.len_utf8();
                    if blank {
                        pending = !self.text.is_empty();
                    }
                }
                i += ch.len_utf8();
            }
            run = i;
            i = kept_run(bytes, i);
        }
        // What is left starts with a character kept as it is.
        self.text.push_str(s.get(copied..).unwrap_or_default());
        self.pending = pending;
    }
}

/// Where the run of kept characters from `bytes[i]` (a character's start)
/// ends: at the first byte that starts whitespace or a [`dropped`]
/// character, or at the end. Blocks of [`CLEAN`] bytes are judged at once
/// ([`first_mark`], most of a paragraph): a block with a mark goes on at
/// its first mark, which [`step`] then reads; only the last bytes, fewer
/// than a block, are walked a character at a time.
fn kept_run(bytes: &[u8], mut i: usize) -> usize {
    while let Some(w) = bytes.get(i..).and_then(<[u8]>::first_chunk) {
        let at = i + first_mark(w);
        if at == i + CLEAN {
            i = at;
            continue;
        }
        match step(bytes, at) {
            Some(len) => i = at + len,
            None => return at,
        }
    }
    while i < bytes.len() {
        match step(bytes, i) {
            Some(len) => i += len,
            None => return i,
        }
    }
    i
}

/// How far to go on past the byte at `i` when the character it starts (or
/// the continuation byte it is, passed over one by one) is kept as it is;
/// `None` when it is whitespace or [`dropped`]. Read at any byte, it
/// never takes a continuation byte for whitespace. Inlined: the last bytes
/// of every paragraph and every cell are walked through it a character at
/// a time, where a call for each cost as much as the test.
#[inline(always)]
fn step(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i..)? {
        // A whole ideograph (the text is UTF-8: two continuation bytes
        // follow).
        [0xE4..=0xEE, ..] => Some(3),
        [0x09..=0x0D | b' ', ..] => None,
        rest @ [0xC2 | 0xE1..=0xE3 | 0xEF, ..] => kept_len(rest),
        _ => Some(1),
    }
}

/// Bytes [`first_mark`] judges at once: two SSE2 vectors.
const CLEAN: usize = 32;

/// Where in the first [`CLEAN`] bytes of `w` (with two more to look
/// ahead) the first byte is that may start whitespace or a [`dropped`]
/// character; [`CLEAN`] when none is. A superset of [`kept_len`]'s `None`
/// kept cheap: ASCII controls and spaces, every lead byte from 0xC2 to
/// 0xE2, and a byte before `80 80` (U+3000) or `BB BF` (U+FEFF), few of
/// which are not whitespace (怀, 退, 仿, …; or inside a four-byte
/// character, where [`step`] passes a continuation byte). Ideographs and the CJK and
/// full-width punctuation are not marked. Branch-free, so that it is
/// compiled to vector compares.
fn first_mark(w: &[u8; CLEAN + 2]) -> usize {
    // Each byte with the two after it, as three loads.
    let (a, b, c) = (&w[..CLEAN], &w[1..=CLEAN], &w[2..]);
    let mut marks = [0u8; CLEAN];
    for (j, mark) in marks.iter_mut().enumerate() {
        let (a, b, c) = (a[j], b[j], c[j]);
        // At most 0x20, or from 0xC2 to 0xE2 (which the addition takes
        // to 0 to 0x20).
        let low = a.min(a.wrapping_add(0x3E)) <= b' ';
        let hit = low | ((b == 0x80) & (c == 0x80)) | ((b == 0xBB) & (c == 0xBF));
        *mark = 0u8.wrapping_sub(u8::from(hit));
    }
    // The marks as one 256-bit number: its trailing zeros over 8.
    let (lo, hi) = marks.split_at(CLEAN / 2);
    let half = |h: &[u8]| u128::from_le_bytes(h.try_into().unwrap_or_default());
    let (lo, hi) = (half(lo), half(hi));
    if lo | hi == 0 {
        CLEAN
    } else if lo != 0 {
        lo.trailing_zeros() as usize / 8
    } else {
        CLEAN / 2 + hi.trailing_zeros() as usize / 8
    }
}

/// The length of the character `bytes` starts with (its lead byte one of
/// 0xC2, 0xE1…0xE3, 0xEF) when it is kept as it is; `None` when it is
/// whitespace or [`dropped`]. Read from the bytes: U+0085, U+00A0,
/// U+00AD; U+1680; U+2000…U+200D, U+2028, U+2029, U+202F, U+205F,
/// U+2060; U+3000; U+FEFF.
/// Full-width punctuation (`，`, `。`, `（`) and quotes (`“`) share these
/// lead bytes and are kept.
fn kept_len(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [0xC2, 0x85 | 0xA0 | 0xAD, ..]
        | [0xE1, 0x9A, 0x80, ..]
        | [0xE2, 0x80, 0x80..=0x8D | 0xA8 | 0xA9 | 0xAF, ..]
        | [0xE2, 0x81, 0x9F | 0xA0, ..]
        | [0xE3, 0x80, 0x80, ..]
        | [0xEF, 0xBB, 0xBF, ..] => None,
        [0xC2, ..] => Some(2),
        _ => Some(3),
    }
}

/// Zero-width characters, stray BOMs and soft hyphens: dropped.
fn dropped(ch: char) -> bool {
    matches!(
        ch,
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_expands_spans() {
        let mut a = Cell::new("三、本年度办理结果", false);
        a.rowspan = 2;
        let t = Table {
            origin: Origin::Html,
            rows: vec![
                vec![a, Cell::new("（一）予以公开", false), Cell::new("1", false)],
                vec![Cell::new("（二）部分公开", false), Cell::new("2", false)],
            ],
        };
        let g = t.grid();
        assert_eq!(g[1][0], Some((0, 0)));
        assert_eq!(g[1][1], Some((1, 0)));
        assert_eq!(t.width(), 3);
    }

    /// The byte test agrees with the rule it stands for on every
    /// character with one of its lead bytes.
    #[test]
    fn kept_len_is_whitespace_or_dropped() {
        let mut seen = 0;
        for ch in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let bytes = ch.encode_utf8(&mut buf).as_bytes();
            if !matches!(bytes[0], 0xC2 | 0xE1..=0xE3 | 0xEF) {
                assert!(
                    !ch.is_whitespace() && !dropped(ch) || bytes[0] < 0x80,
                    "{ch:?}"
                );
                continue;
            }
            seen += 1;
            let work = ch.is_whitespace() || dropped(ch);
            assert_eq!(kept_len(bytes).is_none(), work, "{ch:?}");
            if !work {
                assert_eq!(kept_len(bytes), Some(ch.len_utf8()), "{ch:?}");
            }
        }
        assert_eq!(seen, 64 + 4 * 4096);
    }

    /// [`first_mark`] marks every character that needs work, wherever in
    /// its block the character starts, marks no byte of it after its
    /// first, and passes ideographs and CJK and full-width punctuation.
    #[test]
    fn first_mark_misses_no_character_that_needs_work() {
        for ch in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut enc = [0u8; 4];
            let enc = ch.encode_utf8(&mut enc).as_bytes();
            let work = ch.is_whitespace() || dropped(ch);
            let cjk = matches!(ch, '\u{3001}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}');
            for j in [0, 1, 7, 15, 16, 17, CLEAN - 2, CLEAN - 1] {
                let mut w = [b'a'; CLEAN + 2];
                let n = enc.len().min(w.len() - j);
                w[j..j + n].copy_from_slice(&enc[..n]);
                let mark = first_mark(&w);
                if work {
                    assert_eq!(mark, j, "{ch:?} at {j}");
                }
                // The few ideographs that end as U+3000 or U+FEFF do are
                // marks, walked over by `step`.
                let like_work = matches!(enc.get(1..), Some([0x80, 0x80] | [0xBB, 0xBF]));
                if cjk && !like_work {
                    assert_eq!(mark, CLEAN, "{ch:?} at {j}");
                }
                // A mark elsewhere (inside a four-byte character: `𐀀` is
                // F0 90 80 80) is one that `step` passes.
                let passed = mark == CLEAN || mark == j || step(&w, mark).is_some();
                assert!(passed, "{ch:?} at {j}: {mark}");
            }
        }
    }

    /// The lead-byte test leaves no end to trim untrimmed: every character
    /// at either end of a text, after ASCII, an ideograph or nothing, and
    /// every line of the shared corpus (when it is there).
    #[test]
    fn trim_is_str_trim() {
        let mut texts: Vec<String> = Vec::new();
        for ch in (0..=0x10FFFF).filter_map(char::from_u32) {
            for (a, b) in [
                ("", ""),
                ("a", ""),
                ("", "a"),
                ("一", ""),
                ("", "一"),
                ("一", "一"),
            ] {
                texts.push(format!("{a}{ch}{b}"));
                texts.push(format!("{ch}{a}{ch}{b}{ch}"));
            }
        }
        for t in crate::corpus_inputs::texts() {
            texts.extend(t.split(['\n', '|', '\t']).map(str::to_owned));
        }
        for t in &texts {
            assert_eq!(trim(t), t.trim(), "{t:?}");
        }
    }

    /// The rule [`Squashed::push`] stands for, a character at a time.
    fn squash_by_chars(s: &str) -> String {
        let (mut out, mut pending) = (String::new(), false);
        for ch in s.chars() {
            if ch.is_whitespace() {
                pending = !out.is_empty();
            } else if !dropped(ch) {
                if pending {
                    out.push(' ');
                    pending = false;
                }
                out.push(ch);
            }
        }
        out
    }

    /// The block-at-a-time scan gives what the rule gives: on every line
    /// and whole file of the shared corpus (when it is there) and on
    /// generated text dense in what needs work, in blocks and across them.
    #[test]
    fn squash_agrees_with_the_rule_by_characters() {
        let mut texts: Vec<String> = Vec::new();
        for i in crate::corpus_inputs::all() {
            let t = crate::decode::decode(&i.bytes).text.into_owned();
            texts.extend(t.lines().map(str::to_owned));
            texts.push(t);
        }
        let alphabet: Vec<char> = "政府信息公开。，、“”—…（）：\u{3000}\u{a0}\u{200b}\u{feff}\u{ad}\u{2003}\u{2028}\u{85}\u{1680} \t\r\n\u{1}·a1|退仿𐀀"
            .chars()
            .collect();
        let mut rng = crate::synth::Rng::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let len = rng.below(128);
            let text: String = (0..len)
                .map(|_| {
                    // Mostly kept characters, so that blocks are passed whole.
                    if rng.chance(9) {
                        *rng.pick(&alphabet)
                    } else {
                        alphabet[0]
                    }
                })
                .collect();
            texts.push(text);
        }
        for t in &texts {
            assert_eq!(squash_ws(t), squash_by_chars(t), "{t:?}");
        }
    }

    #[test]
    fn squash() {
        assert_eq!(squash_ws("  商业\u{a0} 企业\n"), "商业 企业");
        assert_eq!(squash_ws("\u{feff}6\u{200b}2\u{200d} "), "62");
        assert_eq!(
            squash_ws("\u{3000}商业\u{2003}\u{2003}企业 ·\u{a0}一"),
            "商业 企业 · 一"
        );
        assert_eq!(squash_ws("a\u{200b} b\u{ad}c \u{feff}"), "a bc");
        // In pieces, the same as whole, wherever the cuts fall.
        let whole = " 一、\u{3000}总体 情况\u{200b} \n 26 ";
        for cut in (0..=whole.len()).filter(|&c| whole.is_char_boundary(c)) {
            let mut q = Squashed::default();
            q.push(&whole[..cut]);
            q.push(&whole[cut..]);
            assert_eq!(q.take(), "一、 总体 情况 26");
            assert!(q.is_empty());
        }
    }
}
