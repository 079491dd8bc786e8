//! Label normalisation (spec §7): one canonical spelling per label so that
//! half-width brackets, spaces inside words, quotes, traditional script and
//! mirror artifacts all compare equal.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

/// Traditional → simplified, one character at a time (labels, headings,
/// units and placeholders; spec §6 #31: mirror sites and the 繁體 versions
/// of government portals). The data is OpenCC's (the `ferrous-opencc`
/// crate), asked once about every character of the CJK blocks, each on a
/// line of its own so that no phrase rule applies; the answers go into a
/// bitmap and a sorted table, because `norm` runs over every character of a
/// report and almost none of them is traditional.
struct Simplifier {
    sorted: Vec<(char, char)>,
    /// One bit per code point from U+3400 to U+9FFF: is it in `sorted`?
    cjk: Vec<u64>,
    /// The three-byte characters [`plain_run`] passes over.
    plain: WideSet,
}

/// Every traditional character of the table lies here (CJK compatibility
/// ideographs are folded by NFKC first).
const CJK: std::ops::RangeInclusive<u32> = 0x3400..=0x9FFF;

/// Characters that traditional text writes for two simplified ones, which
/// OpenCC tells apart only by the phrase (反覆 → 反复 but 覆盖 stays): alone
/// they stay as they are, so a label with them would not match. `norm` is
/// for matching only, and no label needs the other reading, so they fold.
const FOLD: &[(char, char)] = &[('覆', '复')];

static SIMPLIFIER: std::sync::LazyLock<Simplifier> = std::sync::LazyLock::new(|| {
    use ferrous_opencc::{OpenCC, config::BuiltinConfig};
    let all: Vec<char> = CJK.filter_map(char::from_u32).collect();
    let lines: String = all.iter().flat_map(|&c| [c, '\n']).collect();
    // The built-in configuration is compiled into the crate; it cannot be
    // missing, but if it were, text would only stay traditional.
    let simple = OpenCC::from_config(BuiltinConfig::T2s)
        .map_or_else(|_| lines.clone(), |cc| cc.convert(&lines));
    let mut sorted = Vec::with_capacity(4096);
    for (&t, line) in all.iter().zip(simple.split('\n')) {
        let mut out = line.chars();
        if let (Some(s), None) = (out.next(), out.next())
            && s != t
        {
            sorted.push((t, s));
        }
    }
    sorted.extend_from_slice(FOLD);
    sorted.sort_unstable();
    sorted.dedup_by_key(|p| p.0);
    let mut cjk = vec![0u64; (CJK.end() - CJK.start()) as usize / 64 + 1];
    for &(t, _) in &sorted {
        let i = (t as u32 - CJK.start()) as usize;
        cjk[i / 64] |= 1 << (i % 64);
    }
    let mut simp = Simplifier {
        sorted,
        cjk,
        plain: WideSet::default(),
    };
    for k in (0..64).filter(|k| KEPT_MARKS >> k & 1 != 0) {
        simp.plain.insert(0x3000 + k);
    }
    for c in 0x4E00..=0x9FFF {
        if simp.keeps(c) && c != '档' as u32 {
            simp.plain.insert(c);
        }
    }
    simp
});

impl Simplifier {
    /// Whether code point `c` of [`CJK`] has a simplified form.
    #[inline]
    fn traditional(&self, c: u32) -> bool {
        let i = c.wrapping_sub(*CJK.start()) as usize;
        self.cjk
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Whether code point `c` (U+4000…U+9FFF, read from three bytes) is a
    /// simplified ideograph: its own NFKC and simplified form, kept as it
    /// is by [`settled`] and [`norm`].
    #[inline]
    fn keeps(&self, c: u32) -> bool {
        c >= 0x4E00 && !self.traditional(c)
    }
}

/// The simplified form of one character (itself when it has none).
#[inline]
pub fn simplify(ch: char) -> char {
    let c = ch as u32;
    if !CJK.contains(&c) {
        return ch;
    }
    let s = &*SIMPLIFIER;
    if !s.traditional(c) {
        return ch;
    }
    s.sorted
        .binary_search_by_key(&ch, |p| p.0)
        .map_or(ch, |i| s.sorted[i].1)
}

/// One character as [`norm`] folds it: full-width → half-width, traditional
/// → simplified. For matchers that keep a position map back to the source
/// (metadata); characters outside the fast NFKC set stay as they are.
#[inline]
pub fn fold_char(ch: char) -> char {
    simplify(width(ch))
}

/// Full-width → half-width only, script unchanged (`meta.agency_key`
/// merges no more than width).
#[inline]
pub fn width(ch: char) -> char {
    fast_nfkc(ch).unwrap_or(ch)
}

/// `s` through NFKC, then every character simplified: how a cell's text is
/// read as a value ([`norm`] folds further, for labels). One pass and one
/// `String` where every character is in the fast NFKC set.
pub fn nfkc_simplified(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match fast_nfkc(ch) {
            Some(c) => out.push(simplify(c)),
            None => return s.nfkc().map(simplify).collect(),
        }
    }
    out
}

/// Whether NFKC writes `ch` as one character of its own, known without
/// tables ([`fast_nfkc`]): what [`nfkc`] makes of text of such characters
/// is theirs, one for one.
pub fn nfkc_alone(ch: char) -> bool {
    fast_nfkc(ch).is_some()
}

/// NFKC (full-width digits and brackets → ASCII). Report text is CJK
/// ideographs, ASCII and full-width punctuation, whose NFKC is known without
/// tables ([`fast_nfkc`]); only text with anything else takes the full
/// algorithm, which costs ten times more per character.
pub fn nfkc(s: &str) -> std::borrow::Cow<'_, str> {
    let mut changed = false;
    for ch in s.chars() {
        match fast_nfkc(ch) {
            Some(c) => changed |= c != ch,
            None => return std::borrow::Cow::Owned(s.nfkc().collect()),
        }
    }
    if changed {
        std::borrow::Cow::Owned(s.chars().filter_map(fast_nfkc).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Whether `s` is its own NFKC and its own simplified form, told by its
/// bytes: ASCII, CJK punctuation (U+3001…U+3035) and simplified ideographs
/// only, as most of a report is. [`crate::value::classify`] asks this of
/// every cell and piece before normalising it (two passes over its
/// characters) for nothing.
pub fn settled(s: &str) -> bool {
    let simp = &*SIMPLIFIER;
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        i += match (c, b.get(i + 1..i + 3)) {
            (0..=0x7F, _) => 1,
            // U+4000…U+9FFF: three bytes, lead E4…E9.
            (0xE4..=0xE9, Some(&[b1, b2])) => {
                // The table's characters, and `档` (kept, but it ends a run).
                if !simp.plain.holds(c, b1, b2) && !simp.keeps(code_point(c, b1, b2)) {
                    return false;
                }
                3
            }
            (0xE3, Some(&[0x80, 0x81..=0xB5])) => 3,
            _ => return false,
        };
    }
    true
}

/// The NFKC of `ch` when it is a character that neither decomposes into
/// several nor composes with a neighbour; `None` for everything else. A unit
/// test holds this against the full algorithm for every character it claims.
#[inline]
fn fast_nfkc(ch: char) -> Option<char> {
    match ch as u32 {
        0x00..=0x7F | 0x4E00..=0x9FFF | 0x3001..=0x3035 => Some(ch),
        0x2013 | 0x2014 | 0x2018 | 0x2019 | 0x201C | 0x201D => Some(ch),
        // `·` in names, `×`, `÷`, and the shapes of lists and years (`○`).
        0xB7 | 0xD7 | 0xF7 | 0x25A0..=0x25FF => Some(ch),
        0x3000 => Some(' '),
        // Full-width ASCII: the <wide> forms of U+0021..U+007E.
        c @ 0xFF01..=0xFF5E => char::from_u32(c - 0xFEE0),
        _ => None,
    }
}

/// Canonical form of a label: NFKC (full-width → half-width), simplified
/// script, no whitespace, no quotes, one enumerator punctuation.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    norm_into(s, &mut out);
    out
}

/// [`norm`] appended to `out` (the document's one normalised text, with no
/// `String` per cell).
pub fn norm_into(s: &str, out: &mut String) {
    fold(s, out, false, |_, _| {});
}

/// The whitespace-separated pieces of `line`, each through [`norm`]
/// appended to `out`, in the same pass that finds them: each piece as
/// written and its range in `out`.
pub fn norm_pieces<'l>(line: &'l str, out: &mut String) -> Vec<(&'l str, Range<usize>)> {
    let mut pieces = Vec::new();
    fold(line, out, true, |p, r| pieces.push((p, r)));
    pieces
}

/// The one pass behind [`norm_into`] and [`norm_pieces`]: `s` folded into
/// `out`, piece by piece when `split` (a whitespace character ends a piece),
/// else as one piece; `piece` is told each piece as written and its range
/// in `out`. What a report mostly is ([`plain_run`]) is told by its bytes
/// and copied as it is, full-width ASCII (`，（）：`) is written as its
/// ASCII byte without decoding it; a piece with a character outside the
/// fast NFKC set is normalised whole by the full algorithm first, and then
/// folded.
fn fold<'s>(
    s: &'s str,
    out: &mut String,
    split: bool,
    mut piece: impl FnMut(&'s str, Range<usize>),
) {
    let b = s.as_bytes();
    let plain = &SIMPLIFIER.plain;
    // The open piece: where it starts in `s` and in `out`.
    let mut open = (!split).then_some((0, out.len()));
    let mut mirror = false;
    let mut copied = 0;
    let mut i = 0;
    while let Some(rest) = b.get(i..).filter(|r| !r.is_empty()) {
        let kept = plain_run_in(plain, rest);
        if kept > 0 {
            if open.is_none() {
                open = Some((i, out.len()));
                copied = i;
            }
            i += kept;
        }
        // Full-width ASCII (`，（）：`, most of what a plain run stops at)
        // is written as its ASCII byte, told from its bytes.
        if let Some(&[0xEF, b1, b2]) = b.get(i..i + 3)
            && let Some(a) = full_width_ascii(b1, b2)
        {
            open_at(&mut open, &mut copied, i, out.len());
            out.push_str(&s[copied..i]);
            i += 3;
            copied = i;
            // As [`push_folded`] writes it: quotes go.
            if a != '"' && a != '\'' {
                out.push(a);
            }
            continue;
        }
        let Some(ch) = s.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        let len = ch.len_utf8();
        if split && ch.is_whitespace() {
            if let Some((start, at)) = open.take() {
                out.push_str(&s[copied..i]);
                unmirror(out, at, std::mem::take(&mut mirror));
                piece(&s[start..i], at..out.len());
            }
            i += len;
            continue;
        }
        let (start, at) = open_at(&mut open, &mut copied, i, out.len());
        if let Some(w) = fast_nfkc(ch) {
            out.push_str(&s[copied..i]);
            i += len;
            copied = i;
            mirror |= push_folded(w, out);
            continue;
        }
        let end = match split {
            true => s[i..].find(char::is_whitespace).map_or(s.len(), |k| i + k),
            false => s.len(),
        };
        fold_whole(&s[start..end], out, at);
        mirror = false;
        piece(&s[start..end], at..out.len());
        open = None;
        i = end;
    }
    if let Some((start, at)) = open {
        out.push_str(&s[copied..]);
        unmirror(out, at, mirror);
        piece(&s[start..], at..out.len());
    }
}

/// The open piece of [`fold`] (where it starts in the text and in `out`),
/// opened at `i` if none is: a piece opened here has copied nothing yet.
fn open_at(
    open: &mut Option<(usize, usize)>,
    copied: &mut usize,
    i: usize,
    len: usize,
) -> (usize, usize) {
    let (start, at) = *open.get_or_insert((i, len));
    if start == i {
        *copied = i;
    }
    (start, at)
}

/// The piece `p`, whose folding into `out` started at `at`, folded anew
/// through the full NFKC algorithm (it holds a character outside the fast
/// set, which may compose with its neighbours).
fn fold_whole(p: &str, out: &mut String, at: usize) {
    out.truncate(at);
    let mut mirror = false;
    for ch in p.nfkc() {
        mirror |= push_folded(width(ch), out);
    }
    unmirror(out, at, mirror);
}

/// The ASCII character that NFKC writes for the full-width one whose UTF-8
/// bytes after its lead `EF` are `b1 b2` (U+FF01…U+FF5E: `EF BC 81`…`EF BD
/// 9E`), as [`fast_nfkc`] does.
#[inline]
fn full_width_ascii(b1: u8, b2: u8) -> Option<char> {
    match (b1, b2) {
        (0xBC, 0x81..=0xBF) => Some(char::from(b2 - 0x60)),
        (0xBD, 0x80..=0x9E) => Some(char::from(b2 - 0x20)),
        _ => None,
    }
}

/// The run at the start of `b` that every fold keeps as it is, told by its
/// bytes: printable ASCII but quotes, simplified ideographs (U+4E00…U+9FFF
/// without a traditional form) and the CJK punctuation no fold changes
/// ([`KEPT_MARKS`]), as most of a report is: its length (a caller copies it
/// whole). It stops at `档`, the start of a mirror site's `档案`
/// ([`unmirror`]), which a caller reads as one character.
pub fn plain_run(b: &[u8]) -> usize {
    plain_run_in(&SIMPLIFIER.plain, b)
}

/// [`plain_run`] with a set of plain characters at hand (the fold asks it
/// of every run: the lazy table is looked up once; metadata's fold passes
/// its own set, with the characters it looks for taken out).
#[inline]
pub fn plain_run_in(plain: &WideSet, b: &[u8]) -> usize {
    // Matched as slice patterns, ideographs first: each character costs a
    // length test and a step, where indexing tested bounds at every byte.
    let mut rest = b;
    loop {
        rest = match rest {
            // U+3000…U+9FFF: three bytes, lead E3…E9.
            [c @ 0xE3..=0xE9, b1, b2, tail @ ..] if plain.holds(*c, *b1, *b2) => tail,
            [c @ b'!'..=b'~', tail @ ..] if *c != b'"' && *c != b'\'' => tail,
            _ => return b.len() - rest.len(),
        };
    }
}

/// A set of three-byte characters (U+0800…U+FFFF), one bit each, asked by
/// the character's UTF-8 bytes: the word of its code point's bits 6…15 (the
/// lead's low four bits and `b1`'s low six), the bit of its low six (`b2`'s).
/// One load and a shift, where the code point, its range and a bitmap's
/// bounds cost three times more on every ideograph of a report.
pub struct WideSet(Box<[u64; 1024]>);

impl Default for WideSet {
    fn default() -> Self {
        WideSet(Box::new([0; 1024]))
    }
}

impl WideSet {
    /// Adds code point `c` (U+0800…U+FFFF).
    pub fn insert(&mut self, c: u32) {
        debug_assert!((0x800..=0xFFFF).contains(&c), "{c:x}");
        self.0[(c as usize >> 6) & 0x3FF] |= 1 << (c & 0x3F);
    }

    /// Whether the three-byte character `lead b1 b2` is in the set.
    #[inline]
    pub fn holds(&self, lead: u8, b1: u8, b2: u8) -> bool {
        let word = usize::from(lead & 0x0F) << 6 | usize::from(b1 & 0x3F);
        self.0[word] >> (b2 & 0x3F) & 1 != 0
    }
}

/// The CJK punctuation (U+3001…U+3035, `、。《》`…) that NFKC, the
/// simplifier and [`push_folded`] all keep as it is, one bit per code point
/// from U+3000: not U+3000 (a space), the corner brackets `「」『』` (dropped
/// like quotes) nor `【】〔〕` (read as brackets). A unit test holds it to
/// [`norm`].
const KEPT_MARKS: u64 = {
    let mut bits = 0u64;
    let mut c = 0x01;
    while c <= 0x35 {
        if !matches!(c, 0x0C..=0x11 | 0x14 | 0x15) {
            bits |= 1 << c;
        }
        c += 1;
    }
    bits
};

/// The code point of a three-byte UTF-8 sequence.
#[inline]
fn code_point(lead: u8, b1: u8, b2: u8) -> u32 {
    (u32::from(lead & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F)
}

/// Mirror sites turn 文件 into 檔案 (spec §6 #31): put it back in what was
/// folded from `at` on, when a `档` was seen (inlined: most pieces have
/// none, and the call cost more than the test).
#[inline]
fn unmirror(out: &mut String, at: usize, mirror: bool) {
    if mirror {
        fix_mirror(out, at);
    }
}

/// [`unmirror`] of a piece with a `档`: `档案` and `文件` are both six
/// bytes, so each is rewritten where it stands (a paragraph is not copied
/// for one word).
fn fix_mirror(out: &mut String, at: usize) {
    let found: Vec<usize> = out[at..]
        .match_indices("档案")
        .map(|(k, _)| at + k)
        .collect();
    for k in found {
        out.replace_range(k..k + "档案".len(), "文件");
    }
}

/// Push one width-folded character as [`norm`] spells it; true for `档`,
/// the start of a mirror site's `档案`.
fn push_folded(ch: char, out: &mut String) -> bool {
    match simplify(ch) {
        c if c.is_whitespace() => {}
        '“' | '”' | '"' | '\'' | '‘' | '’' | '「' | '」' | '『' | '』' => {}
        '．' | '·' => out.push('.'),
        '【' | '〔' | '［' => out.push('('),
        '】' | '〕' | '］' => out.push(')'),
        c => {
            out.push(c);
            return c == '档';
        }
    }
    false
}

/// The Chinese numerals one to ten, in order: enumerators are written with
/// them, section numbers with the first six, pre-2019 parts with all ten.
pub const NUMERALS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/// Whether an enumerator can start with `c`: a bracket, a digit or a
/// numeral.
pub fn opens_enum(c: char) -> bool {
    c == '(' || numeral(c)
}

/// What an enumerator counts with: a digit or a numeral.
fn numeral(c: char) -> bool {
    NUMERALS.contains(&c) || c.is_ascii_digit()
}

/// How many bytes of a text [`split_enum`] reads at most (a bracket and
/// ten bytes after it, or four numerals and the mark after them): a text
/// at least this long splits as every text that starts with it does.
pub const ENUM_WINDOW: usize = 16;

/// Split a leading enumerator (`一、`, `(一)`, `1.`, `1、`, `(1)`) off a
/// normalised label. Returns the enumerator and the rest.
pub fn split_enum(s: &str) -> (Option<&str>, &str) {
    // Asked of every piece the lexicon is tried on: most start with neither,
    // which the first byte tells for most (every numeral above is led by
    // E4 or E5).
    if !matches!(s.as_bytes().first(), Some(b'(' | b'0'..=b'9' | 0xE4 | 0xE5))
        || !s.chars().next().is_some_and(opens_enum)
    {
        return (None, s);
    }
    // An enumerator has at most three numerals (nine bytes): its `)`, and
    // its numerals, are looked for no further, so a long digit run or
    // bracketed note costs what a short one does.
    if let Some(rest) = s.strip_prefix('(') {
        if let Some(close) = rest.bytes().take(10).position(|b| b == b')') {
            let inner = rest.get(..close).unwrap_or_default();
            if !inner.is_empty() && inner.chars().count() <= 3 && inner.chars().all(numeral) {
                let end = close + 2;
                return (s.get(..end), s.get(end..).unwrap_or_default());
            }
        }
        return (None, s);
    }
    let lead: usize = s
        .chars()
        .take_while(|c| numeral(*c))
        .take(4)
        .map(char::len_utf8)
        .sum();
    let head = s.get(..lead).unwrap_or_default();
    // `1.`–`99.` or up to three Chinese numerals; longer digit runs are data.
    let plausible = if head.chars().all(|c| c.is_ascii_digit()) {
        lead <= 2 && !head.starts_with('0')
    } else {
        head.chars().count() <= 3
    };
    if lead > 0 && plausible {
        let after = s.get(lead..).unwrap_or_default();
        if let Some(p) = after
            .chars()
            .next()
            .filter(|c| matches!(c, '、' | '.' | ','))
        {
            let end = lead + p.len_utf8();
            return (s.get(..end), s.get(end..).unwrap_or_default());
        }
    }
    (None, s)
}

/// Remove trailing bracketed notes: `规章(设区的市…)` → `规章`.
pub fn strip_notes(mut s: &str) -> &str {
    while s.ends_with(')') {
        let Some(open) = matching_open(s) else { break };
        if open == 0 {
            break;
        }
        s = s.get(..open).unwrap_or(s);
    }
    s
}

/// Byte index of the `(` matching the final `)`.
fn matching_open(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, ch) in s.char_indices().rev() {
        match ch {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_nfkc_agrees_with_the_full_algorithm() {
        let mut claimed = 0;
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            if let Some(f) = fast_nfkc(c) {
                let full: String = c.to_string().nfkc().collect();
                assert_eq!(full, f.to_string(), "U+{:04X}", c as u32);
                claimed += 1;
            }
        }
        assert!(claimed > 20_000);
        assert_eq!(nfkc("（一）１２，ａ"), "(一)12,a");
        assert_eq!(nfkc("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn appended_as_alone_and_settled_text() {
        let mut out = String::from("前");
        norm_into("規範性檔案（一）", &mut out);
        assert_eq!(out, format!("前{}", norm("規範性檔案（一）")));
        norm_into("e\u{301}", &mut out);
        assert!(out.ends_with('\u{e9}'));
        for t in ["收到申请、予以公开 abc 12件", "", "〇一二", "九\u{9fff}"] {
            assert!(settled(t), "{t}");
            assert_eq!(nfkc(t), t);
            assert_eq!(nfkc_simplified(t), t);
        }
        // Full-width digits, a circled one, traditional script, a
        // hexagram (U+4DFF, not an ideograph), `、` beyond U+3035.
        for t in ["收到申请１２件", "①", "條", "\u{4dff}", "\u{3036}"] {
            assert!(!settled(t), "{t}");
        }
    }

    #[test]
    fn pieces_are_split_whitespace_each_normalised() {
        // Every whitespace character, characters that share their lead
        // bytes without being whitespace, and pieces that need the full
        // algorithm or the mirror fix.
        let spaces: Vec<char> = (0..0x3100u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(spaces.len(), 25);
        for sp in spaces {
            let line = format!(
                "{sp}一、收到{sp}{sp}申请\u{2010}12\u{3001}件\u{a1}{sp}x\u{1681}y{sp}檔案①“”{sp}"
            );
            let mut out = String::from("前");
            let pieces = norm_pieces(&line, &mut out);
            let want: Vec<&str> = line.split_whitespace().collect();
            let got: Vec<&str> = pieces.iter().map(|p| p.0).collect();
            assert_eq!(got, want, "U+{:04X}", sp as u32);
            for (p, r) in &pieces {
                assert_eq!(out[r.clone()], norm(p), "{p}");
            }
            let normed: String = want.iter().map(|p| norm(p)).collect();
            assert_eq!(out, format!("前{normed}"));
        }
        assert!(norm_pieces("", &mut String::new()).is_empty());
        assert!(norm_pieces(" \u{3000} ", &mut String::new()).is_empty());
    }

    #[test]
    fn plain_runs_are_what_norm_keeps() {
        // Every character of three bytes that `plain_run` reads (CJK
        // punctuation, ideographs): passed over only when `norm` and the
        // metadata's fold keep it as it is, and always, in the blocks a
        // report writes, when they do.
        // `档` alone is read as one character, for the mirror's `档案`.
        for c in (0x3000..=0x9FFF).filter_map(char::from_u32) {
            let alone = c.to_string();
            let kept = plain_run(alone.as_bytes()) == alone.len();
            let same = norm(&alone) == alone;
            assert!(!kept || (same && fold_char(c) == c && !c.is_whitespace()));
            let common = matches!(c, '\u{3001}'..='\u{3035}' | '\u{4e00}'..='\u{9fff}');
            assert!(kept || !same || !common || c == '档', "U+{:04X}", c as u32);
            // What `settled` passes over, the table or `档`, is its own
            // normal form.
            if matches!(c, '\u{4000}'..='\u{9fff}') {
                assert_eq!(
                    settled(&alone),
                    same && c >= '\u{4e00}',
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        let run = "收到、申请。“档案”";
        assert_eq!(plain_run(run.as_bytes()), "收到、申请。".len());
        assert_eq!(plain_run("收到档案".as_bytes()), "收到".len());
    }

    #[test]
    fn full_width_ascii_is_told_from_its_bytes_as_nfkc_writes_it() {
        // Every character led by `EF`: the fold's byte path takes exactly
        // the full-width ASCII, each as [`fast_nfkc`] writes it.
        let mut told = 0;
        for c in (0xF000..=0xFFFF).filter_map(char::from_u32) {
            let mut buf = [0; 3];
            let &[_, b1, b2] = c.encode_utf8(&mut buf).as_bytes() else {
                continue;
            };
            let ascii = fast_nfkc(c).filter(char::is_ascii);
            assert_eq!(full_width_ascii(b1, b2), ascii, "U+{:04X}", c as u32);
            told += usize::from(ascii.is_some());
        }
        assert_eq!(told, 0x5E);
        assert_eq!(norm("收＂到＇ａ（１）"), "收到a(1)");
    }

    /// A piece that opens with full-width ASCII after whitespace is that
    /// piece alone: the byte path starts its copy at the piece.
    #[test]
    fn a_piece_opens_with_full_width_ascii() {
        let mut out = String::new();
        let pieces = norm_pieces("收到 （一）项\t，", &mut out);
        let got: Vec<(&str, &str)> = pieces.iter().map(|(p, r)| (*p, &out[r.clone()])).collect();
        assert_eq!(got, [("收到", "收到"), ("（一）项", "(一)项"), ("，", ",")]);
    }

    #[test]
    fn full_width_and_spaces() {
        assert_eq!(norm("第二十条  第（一）项"), "第二十条第(一)项");
        assert_eq!(norm("三、本年度办 理结果"), "三、本年度办理结果");
        assert_eq!(norm("3.危及“三安全一稳定”"), "3.危及三安全一稳定");
    }

    #[test]
    fn traditional_and_mirror() {
        let started = std::time::Instant::now();
        assert_eq!(norm("規範性檔案"), "规范性文件");
        eprintln!(
            "simplifier built in {:?}, {} characters",
            started.elapsed(),
            SIMPLIFIER.sorted.len()
        );
        assert_eq!(norm("對外公開總數量"), "对外公开总数量");
        assert_eq!(norm("羣衆爲無減萬條"), "群众为无减万条");
        assert_eq!(norm("4.無正當理由大量反覆申請"), "4.无正当理由大量反复申请");
        assert!(SIMPLIFIER.sorted.len() > 2500);
    }

    #[test]
    fn enumerators() {
        assert_eq!(split_enum("(一)予以公开"), (Some("(一)"), "予以公开"));
        assert_eq!(
            split_enum("三、本年度办理结果"),
            (Some("三、"), "本年度办理结果")
        );
        assert_eq!(split_enum("1.属于国家秘密"), (Some("1."), "属于国家秘密"));
        assert_eq!(split_enum("规章"), (None, "规章"));
        assert_eq!(split_enum("00000002.其他"), (None, "00000002.其他"));
        assert_eq!(split_enum("(本列数据)"), (None, "(本列数据)"));
        // Four numerals or more, or a `)` past three, are no enumerator.
        assert_eq!(split_enum("(十一)其他"), (Some("(十一)"), "其他"));
        assert_eq!(split_enum("(一二三)其他"), (Some("(一二三)"), "其他"));
        assert_eq!(split_enum("(一二三四)其他").0, None);
        assert_eq!(split_enum("(1234)其他").0, None);
        assert_eq!(split_enum("12.其他"), (Some("12."), "其他"));
        assert_eq!(split_enum("二十一、其他"), (Some("二十一、"), "其他"));
        assert_eq!(split_enum("1一、其他"), (Some("1一、"), "其他"));
        for no in [
            "123.其他",
            "一二三四、其他",
            "12一二、其他",
            "0000001.其他",
            "01.其他",
        ] {
            assert_eq!(split_enum(no), (None, no), "{no}");
        }
        for c in "一二三四五六七八九十123456789".chars() {
            let label = format!("{c}、其他");
            assert_eq!(split_enum(&label).1, "其他", "{label}");
        }
    }

    #[test]
    fn notes() {
        assert_eq!(
            strip_notes("规章(设区的市、自治州人民政府应提供相关数据)"),
            "规章"
        );
        assert_eq!(
            strip_notes("部分公开(区分处理的,只计这一情形,不计其他情形)"),
            "部分公开"
        );
        assert_eq!(strip_notes("(本列)"), "(本列)");
    }
}
