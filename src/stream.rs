//! Blocks → one stream of tokens: recognised labels (rows, groups, block
//! captions, header words), unrecognised text, and values. Labels anchor
//! rows; values never do (design notes). Table cells are atomic tokens;
//! running text is split where labels and digits are glued together.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use crate::blocks::Block;
use crate::grid::{Grid, Place};
use crate::normalize::{
    ENUM_WINDOW, WideSet, norm, norm_into, norm_pieces, opens_enum, split_enum, strip_notes,
};
use crate::provenance::Span;
use crate::template::{BlockKey, Names, RowKey, T2019, T2021, TableKey};
use crate::value::{CellValue, classify, classify_normed, has_digit, may_be_furniture};

/// A lexicon entry: what a normalised label means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A row (data or group) of a table.
    Row { table: TableKey, key: RowKey },
    /// A block caption of section 二.
    Caption { block: BlockKey },
    /// A header word.
    Header(HeaderWord),
}

/// A header word and what it names in each table that uses it (`总计` heads
/// the total column of both section 三 and section 四): an index into the
/// lexicon's table of what header words name ([`Lexicon::words`], each
/// distinct entry once, so equal indices are equal names), which keeps a
/// [`Hit`] small where the names themselves are 72 bytes, copied with
/// every hit of every label read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HeaderWord(u32);

/// What a header word names in each table, by [`TableKey::index`]; `None`
/// where the table does not use it.
type WordNames = [Option<Names>; 3];

impl std::fmt::Debug for HeaderWord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeaderWord")
            .field("names", self.all())
            .finish()
    }
}

impl HeaderWord {
    fn all(&self) -> &'static WordNames {
        &LEXICON.words[self.0 as usize]
    }

    pub fn owns(&self, table: TableKey) -> bool {
        self.all()[table.index()].is_some()
    }

    /// The first table (in template order) that uses the word.
    pub fn first_table(&self) -> TableKey {
        TableKey::ALL
            .into_iter()
            .find(|t| self.owns(*t))
            .unwrap_or(TableKey::Proactive)
    }

    /// What the word names in `table` (`Nothing` when the table lacks it).
    pub fn names(&self, table: TableKey) -> Names {
        self.all()[table.index()].unwrap_or(Names::Nothing)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub entry: Entry,
    /// The normalised label that matched.
    pub core: &'static str,
}

/// The labels a text reads as, in order: most label texts are one label,
/// held inline, so a label token (and a lookup whose answer is only
/// asked whether it exists) allocates nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Hits {
    One(Hit),
    /// None (as a lookup starts) or several.
    Many(Vec<Hit>),
}

impl Default for Hits {
    fn default() -> Self {
        Hits::Many(Vec::new())
    }
}

impl Hits {
    #[inline]
    fn push(&mut self, hit: Hit) {
        match self {
            Hits::Many(v) if v.is_empty() => *self = Hits::One(hit),
            Hits::One(first) => *self = Hits::Many(vec![*first, hit]),
            Hits::Many(v) => v.push(hit),
        }
    }

    pub fn as_slice(&self) -> &[Hit] {
        match self {
            Hits::One(h) => std::slice::from_ref(h),
            Hits::Many(v) => v,
        }
    }
}

impl std::ops::Deref for Hits {
    type Target = [Hit];
    fn deref(&self) -> &[Hit] {
        self.as_slice()
    }
}

impl<'h> IntoIterator for &'h Hits {
    type Item = &'h Hit;
    type IntoIter = std::slice::Iter<'h, Hit>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl Extend<Hit> for Hits {
    fn extend<I: IntoIterator<Item = Hit>>(&mut self, iter: I) {
        iter.into_iter().for_each(|h| self.push(h));
    }
}

#[derive(Debug, Clone, Copy)]
struct LexEntry {
    entry: Entry,
    needs_enum: bool,
}

/// Labels by their normalised spelling, in a trie: every piece of running
/// text is tried as a label prefix, so the lookup must cost one step per
/// character at most, not one hash per candidate length.
struct Lexicon {
    labels: Vec<(String, Vec<LexEntry>)>,
    /// What each [`HeaderWord`] names.
    words: Vec<WordNames>,
    trie: Vec<Node>,
    /// The characters [`match_normed`] can read a label from
    /// ([`First::may_hold`]).
    first: First,
    /// The characters a text read whole as labels can end with, unless it
    /// holds a bracket ([`may_end_labels`]).
    last: First,
}

/// A set of the characters below U+10000, one bit each: ASCII in `ascii`,
/// three-byte characters in `wide`, asked by their bytes.
struct First {
    ascii: u128,
    wide: WideSet,
}

impl First {
    fn new(chars: impl IntoIterator<Item = char>) -> First {
        let mut set = First {
            ascii: 0,
            wide: WideSet::default(),
        };
        for c in chars.into_iter().map(u32::from) {
            match c {
                0..=0x7F => set.ascii |= 1 << c,
                0x800..=0xFFFF => set.wide.insert(c),
                _ => {}
            }
        }
        set
    }

    /// Whether the first character of `s` may be in the set: `false` only
    /// when it is an ASCII or three-byte character outside it (a character
    /// of two or four bytes is always let through).
    #[inline]
    fn may_hold(&self, s: &str) -> bool {
        match *s.as_bytes() {
            [] => false,
            [c, ..] if c < 0x80 => self.ascii >> c & 1 != 0,
            [lead @ 0xE0..=0xEF, b1, b2, ..] => self.wide.holds(lead, b1, b2),
            _ => true,
        }
    }

    /// [`First::may_hold`] of the last character of `s` (three bytes from
    /// the end, a lead E0…EF starts the last character: any other last
    /// character's third byte from the end is ASCII or a continuation).
    #[inline]
    fn may_end(&self, s: &str) -> bool {
        match *s.as_bytes() {
            [] => false,
            [.., c] if c < 0x80 => self.ascii >> c & 1 != 0,
            [.., lead @ 0xE0..=0xEF, b1, b2] => self.wide.holds(lead, b1, b2),
            _ => true,
        }
    }
}

/// A node of the label trie, built a character at a time.
#[derive(Default)]
struct CharNode {
    /// Sorted by character.
    next: Vec<(char, u32)>,
    /// Index into `labels` when a label ends here.
    label: Option<u32>,
}

/// A node of the walked trie: [`CharNode`]s with one child and no label
/// are folded into the edge that passes them (most of a label's
/// characters), so a walk compares the edge's bytes at once instead of
/// looking up each character.
struct Node {
    /// Sorted by first character.
    next: Vec<Edge>,
    /// Index into `labels` when a label ends here.
    label: Option<u32>,
}

struct Edge {
    first: char,
    /// The characters passed, `first` included.
    text: Box<str>,
    to: u32,
}

/// The walked trie of the character trie below `at`, appended to `nodes`:
/// the index of its root.
fn compress(chars: &[CharNode], at: usize, nodes: &mut Vec<Node>) -> u32 {
    let id = nodes.len();
    nodes.push(Node {
        next: Vec::new(),
        label: chars[at].label,
    });
    let mut next = Vec::with_capacity(chars[at].next.len());
    for &(first, to) in &chars[at].next {
        let (mut text, mut to) = (String::from(first), to as usize);
        while let (None, &[(ch, only)]) = (chars[to].label, &chars[to].next[..]) {
            text.push(ch);
            to = only as usize;
        }
        next.push(Edge {
            first,
            text: text.into(),
            to: compress(chars, to, nodes),
        });
    }
    nodes[id].next = next;
    id as u32
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(build_lexicon);

fn build_lexicon() -> Lexicon {
    let mut map: HashMap<String, Vec<LexEntry>> = HashMap::new();
    // Each header entry's names, by its index until they are interned.
    let mut slots = Vec::new();
    for (label, e) in entries(&mut slots) {
        let key = strip_notes(&norm(label)).to_string();
        let v = map.entry(key).or_default();
        // One header word heads columns of several tables: one entry.
        if let Entry::Header(new) = e.entry
            && let Some(Entry::Header(h)) = v
                .iter_mut()
                .map(|x| &mut x.entry)
                .find(|x| matches!(x, Entry::Header(_)))
        {
            let new = slots[new.0 as usize];
            for (slot, n) in slots[h.0 as usize].iter_mut().zip(new) {
                if slot.is_none() {
                    *slot = n;
                }
            }
        } else if !v.iter().any(|x| x.entry == e.entry) {
            v.push(e);
        }
    }
    let mut labels: Vec<(String, Vec<LexEntry>)> = map.into_iter().collect();
    labels.sort_by(|a, b| a.0.cmp(&b.0));
    let words = intern(&mut labels, &slots);
    let mut chars = vec![CharNode::default()];
    for (i, (key, _)) in labels.iter().enumerate() {
        let mut at = 0usize;
        for ch in key.chars() {
            at = match chars[at].next.binary_search_by_key(&ch, |p| p.0) {
                Ok(j) => chars[at].next[j].1 as usize,
                Err(j) => {
                    let id = chars.len();
                    chars.push(CharNode::default());
                    chars[at].next.insert(j, (ch, id as u32));
                    id
                }
            };
        }
        chars[at].label = Some(i as u32);
    }
    let mut trie = Vec::new();
    compress(&chars, 0, &mut trie);
    // What a label sequence can start with: a label's first character, the
    // separators `match_normed` passes over, a bracket, an enumerator.
    let first = First::new(
        trie[0]
            .next
            .iter()
            .map(|e| e.first)
            .chain(SEPARATORS)
            .chain(('\0'..='\u{9fff}').filter(|&c| crate::normalize::opens_enum(c))),
    );
    // How a text read whole as labels ends: a label, a separator passed
    // over, or the `)` of a note (a note left open holds a bracket).
    let last = First::new(
        labels
            .iter()
            .filter_map(|(key, _)| key.chars().next_back())
            .chain(SEPARATORS)
            .chain([')']),
    );
    Lexicon {
        labels,
        words,
        trie,
        first,
        last,
    }
}

/// The distinct names of the header words of `labels` (indices into
/// `slots`), each word made an index into them: equal names, equal words.
fn intern(labels: &mut [(String, Vec<LexEntry>)], slots: &[WordNames]) -> Vec<WordNames> {
    let mut words: Vec<WordNames> = Vec::new();
    for e in labels.iter_mut().flat_map(|(_, v)| v.iter_mut()) {
        if let Entry::Header(h) = &mut e.entry {
            let names = slots[h.0 as usize];
            let at = words.iter().position(|w| *w == names).unwrap_or_else(|| {
                words.push(names);
                words.len() - 1
            });
            h.0 = at as u32;
        }
    }
    words
}

/// What [`match_normed`] passes over between labels.
const SEPARATORS: [char; 6] = ['.', '、', ',', ';', ':', '|'];

/// Every label of both templates with what it means: header words (with
/// the column, group or span they name, each in `slots`), block captions,
/// rows and their variants.
fn entries(slots: &mut Vec<WordNames>) -> Vec<(&'static str, LexEntry)> {
    let mut header = |table: TableKey, names: Names| {
        let mut all = [None; 3];
        all[table.index()] = Some(names);
        slots.push(all);
        LexEntry {
            entry: Entry::Header(HeaderWord(slots.len() as u32 - 1)),
            needs_enum: false,
        }
    };
    let plain = |entry: Entry, needs_enum: bool| LexEntry { entry, needs_enum };
    let mut out = Vec::new();
    for t in [&T2019, &T2021] {
        for spec in t.tables {
            let ti = spec.key;
            out.extend(spec.headers.iter().map(|h| (h.label, header(ti, h.names))));
            for b in spec.blocks {
                out.extend(
                    b.columns
                        .iter()
                        .map(|c| (c.label, header(ti, Names::Column(c.key)))),
                );
                if let (Some(c), Some(block)) = (b.caption, b.key) {
                    out.push((c, plain(Entry::Caption { block }, false)));
                }
                for r in b.rows {
                    if spec.layout == crate::template::Layout::Wide {
                        // Wide-table row names are the headers of its groups.
                        out.push((r.label, header(ti, Names::Group(r.key))));
                        continue;
                    }
                    let entry = Entry::Row {
                        table: ti,
                        key: r.key,
                    };
                    for label in std::iter::once(&r.label).chain(r.variants) {
                        out.push((label, plain(entry, r.needs_enum)));
                    }
                }
            }
        }
    }
    out
}

impl Lexicon {
    /// The entry for label `i` given whether an enumerator preceded it.
    fn get(&'static self, i: u32, enumerated: bool) -> Option<Hit> {
        let (key, cands) = self.labels.get(i as usize)?;
        let pick = |want_row: bool| {
            cands.iter().find(|c| {
                matches!(c.entry, Entry::Row { .. }) == want_row && (enumerated || !c.needs_enum)
            })
        };
        let c = if enumerated {
            pick(true).or_else(|| pick(false))
        } else {
            pick(false).or_else(|| pick(true))
        }?;
        Some(Hit {
            entry: c.entry,
            core: key.as_str(),
        })
    }

    /// Longest entry that prefixes `s`: (hit, byte length).
    fn longest_prefix(&'static self, s: &str, enumerated: bool) -> Option<(Hit, usize)> {
        self.walk(s, enumerated).0
    }

    /// [`Lexicon::longest_prefix`], and whether the walk stopped at a
    /// character of `s` (no label is `s`, or `s` and more, beyond it).
    fn walk(&'static self, s: &str, enumerated: bool) -> (Option<(Hit, usize)>, bool) {
        let mut best = None;
        let (mut node, mut i) = (&self.trie[0], 0);
        while let Some(rest) = s.get(i..)
            && let Some(ch) = rest.chars().next()
        {
            let Ok(j) = node.next.binary_search_by_key(&ch, |e| e.first) else {
                return (best, true);
            };
            let edge = &node.next[j].text;
            // The edge's nodes each have one child: unless `s` ends inside
            // it, a byte that differs stops the walk at its character, as
            // a step of the character trie would.
            if !rest.starts_with(&**edge) {
                return (best, !edge.starts_with(rest));
            }
            i += edge.len();
            node = &self.trie[node.next[j].to as usize];
            if let Some(label) = node.label
                && let Some(hit) = self.get(label, enumerated)
            {
                best = Some((hit, i));
            }
        }
        (best, false)
    }
}

/// Recognise a whole label text as one or more lexicon entries (several when
/// labels are glued: `三、本年度办理结果（一）予以公开`). `None` when any part
/// is not a known label.
pub fn match_labels(text: &str) -> Option<Hits> {
    match_normed(&norm(text))
}

/// What may stand between the last figure of a row and the next heading or
/// label in running text: the figure's unit and punctuation.
pub fn after_figure(c: char) -> bool {
    matches!(c, '。' | ',' | ';' | ':') || crate::value::is_table_unit_char(c)
}

/// Labels at the end of a text, after the unit of the figure before it or
/// after a section heading, as in pages that lost their cell boundaries
/// (`元三、收到和处理政府信息公开申请情况(本列…)申请人情况自然人…`, or a
/// whole section's text glued to the next heading and its table): the byte
/// offset where the labels start, and the labels. Every text tried is an
/// end of `n`, read whole: none is read where [`Seg::may_read`] says so.
fn tail_labels(n: &str) -> Option<(usize, Hits)> {
    let rest = n.trim_start_matches(after_figure);
    let unit = n.len() - rest.len();
    // Headings are numbered `一、`…`六、`; without one, no regex is needed.
    let headings = if crate::sections::numbered(rest) {
        crate::sections::heading_ends(rest)
    } else {
        Vec::new()
    };
    let starts = std::iter::once(unit).chain(headings.into_iter().map(|e| unit + e));
    starts
        .filter(|&k| k > 0 && k < n.len())
        .find_map(|k| match_normed(n.get(k..)?).map(|hits| (k, hits)))
}

/// [`match_labels`] for text already through [`norm`].
fn match_normed(n: &str) -> Option<Hits> {
    // Most text tried starts with a character no label, separator,
    // bracket or enumerator does, or ends with one no label does:
    // [`read_labels`] could read nothing.
    if !LEXICON.first.may_hold(n) || !may_end_labels(n) {
        debug_assert!(read_labels(n).is_none(), "{n}");
        return None;
    }
    read_labels(n)
}

/// Whether `n`, or a text that ends as it does with no more brackets, may
/// be read whole as labels ([`read_labels`]): it ends as a label, a
/// separator or a note does, or holds a bracket (a note may run to the end
/// unclosed).
fn may_end_labels(n: &str) -> bool {
    LEXICON.last.may_end(n) || memchr::memchr(b'(', n.as_bytes()).is_some()
}

/// The labels [`match_normed`] reads, without its prefilter.
fn read_labels(n: &str) -> Option<Hits> {
    let lex = &*LEXICON;
    let mut s = n;
    // A whole-cell bracketed note: `（本列数据的勾稽关系为…）`.
    if s.starts_with('(') && s.ends_with(')') && strip_notes(s) == s {
        s = s.get(1..s.len() - 1).unwrap_or(s);
    }
    let mut hits = Hits::default();
    loop {
        s = s.trim_start_matches(SEPARATORS);
        if s.is_empty() {
            break;
        }
        let (en, rest) = split_enum(s);
        let Some((hit, len)) = lex.longest_prefix(rest, en.is_some()) else {
            // A bracketed header note followed by more labels (the note of
            // section 三 glued to 申请人情况…).
            if en.is_some() || !rest.starts_with('(') {
                return None;
            }
            let after = skip_bracket(rest);
            let inner = rest
                .get(1..rest.len() - after.len())
                .and_then(|x| x.strip_suffix(')'));
            match (en, inner.and_then(match_normed)) {
                (None, Some(h)) if rest.starts_with('(') => {
                    hits.extend(h.iter().copied());
                    s = after;
                    continue;
                }
                _ => return None,
            }
        };
        hits.push(hit);
        s = rest.get(len..).unwrap_or_default();
        if s.starts_with('(') {
            let after = skip_bracket(s);
            // A bracket after a header word may name a sub-heading
            // (`行政诉讼（未经复议直接起诉）`); any other is a note.
            let inner = s
                .get(1..s.len() - after.len())
                .map(|x| x.strip_suffix(')').unwrap_or(x));
            if matches!(hit.entry, Entry::Header(_))
                && let Some(sub) = inner.and_then(match_normed)
                && sub.iter().all(|h| matches!(h.entry, Entry::Header(_)))
            {
                hits.extend(sub.iter().copied());
            }
            s = after;
        }
    }
    (!hits.is_empty()).then_some(hits)
}

/// Whether no text that starts with `n` (normalised), less figures and
/// units at its end ([`before_figures`]), reads as labels whatever follows
/// it: [`read_labels`]' first step is settled inside `n`. It starts with no
/// bracket, whether it starts with an enumerator is told within it
/// ([`ENUM_WINDOW`]), and the label trie has no path for its words before
/// any label ends. [`rejoin`] tries no join from such a piece.
fn dead_start(n: &str) -> bool {
    // The most a join's figures can take off `n`'s end.
    let core = n.trim_end_matches(|c: char| in_figure(c) || crate::value::is_table_unit_char(c));
    let s = core.trim_start_matches(SEPARATORS);
    let Some(first) = s.chars().next() else {
        return false;
    };
    if core.starts_with('(') || (opens_enum(first) && s.len() < ENUM_WINDOW) {
        return false;
    }
    let (en, rest) = split_enum(s);
    if en.is_none() && rest.starts_with('(') {
        return false;
    }
    matches!(LEXICON.walk(rest, en.is_some()), (None, true))
}

/// Skip one balanced bracket group at the start of `s`.
fn skip_bracket(s: &str) -> &str {
    let mut depth = 0i32;
    for (i, ch) in s.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return s.get(i + 1..).unwrap_or_default();
                }
            }
            _ => {}
        }
    }
    "" // unclosed note runs to the end of the label
}

#[derive(Debug, Clone, PartialEq)]
pub enum TokKind {
    Label(Hits),
    Text,
    Value(CellValue),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tok<'a> {
    pub kind: TokKind,
    /// The text as written: borrowed from the blocks (a cell, a piece of a
    /// line), owned only where pieces were joined or a glued piece was cut
    /// (its parts are slices of the normalised text).
    pub raw: Cow<'a, str>,
    /// Came from a table cell (atomic), not from running text.
    pub cell: bool,
    /// A `||` padding cell of flattened text.
    pub pad: bool,
    /// Where the cell sits in its table, for table cells.
    pub geo: Option<Geo>,
    /// Where the token was read in the decoded text, when known (cells,
    /// and figures of running text when provenance is asked for).
    pub span: Option<Span>,
}

/// A table cell's place: which grid (index into [`Stream::grids`]), which
/// row of its source, and which columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geo {
    pub grid: u32,
    pub row: u32,
    pub at: Place,
}

impl<'a> Tok<'a> {
    /// A token of running text (not a table cell, never padding).
    fn running(kind: TokKind, raw: impl Into<Cow<'a, str>>) -> Tok<'a> {
        Tok {
            kind,
            raw: raw.into(),
            cell: false,
            pad: false,
            geo: None,
            span: None,
        }
    }
}

/// Tokenise the whole document in reading order.
pub fn tokens(blocks: &[Block]) -> Stream<'_> {
    tokens_in(blocks, None)
}

/// The decoded text and the paragraphs' ranges in it
/// ([`crate::blocks::Spanned`]): figures of running text are found there.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub text: &'a str,
    pub spans: &'a [Option<Span>],
    pub html: bool,
    /// Locate running text's figures (only for provenance: it costs a
    /// search per figure).
    pub figures: bool,
}

impl Stream<'_> {
    /// An empty stream with room for the tokens of `blocks`. The normalised
    /// text is about as long as the blocks' (folding mostly keeps or
    /// shortens), and there is a token per cell and one per few words of
    /// running text: sized for that (up to a large report's), the text and
    /// tokens are seldom copied to larger buffers.
    fn sized_for(blocks: &[Block]) -> Self {
        let mut out = Stream::default();
        let len = |b: &Block| match b {
            Block::Para(p) => p.len(),
            Block::Table(t) => t.rows.iter().flatten().map(|c| c.text.len()).sum(),
        };
        out.text.reserve(blocks.iter().map(len).sum());
        let toks = |b: &Block| match b {
            Block::Para(p) => 1 + p.len() / 16,
            Block::Table(t) => t.rows.iter().map(Vec::len).sum(),
        };
        out.toks
            .reserve(blocks.iter().map(toks).sum::<usize>().min(4096));
        out.starts.reserve(blocks.len());
        out
    }
}

/// [`tokens`], with the ranges of running text's figures when `src` is
/// given (table cells carry theirs from the blocks).
pub fn tokens_in<'a>(blocks: &'a [Block], src: Option<Source>) -> Stream<'a> {
    let mut out = Stream::sized_for(blocks);
    // Whether a section heading stood before each table since the last.
    let (mut headings, mut heading) = (Vec::new(), true);
    'blocks: for (bi, b) in blocks.iter().enumerate() {
        out.starts.push((out.text.len(), bi));
        match b {
            Block::Table(t) => {
                headings.push(std::mem::take(&mut heading));
                let first = out.toks.len();
                let g = out.grids.len() as u32;
                // Where each row's tokens start among the table's.
                let mut starts = Vec::with_capacity(t.rows.len());
                'rows: for row in &t.rows {
                    starts.push(out.toks.len() - first);
                    for c in row {
                        if out.toks.len() >= MAX_TOKENS {
                            out.capped = true;
                            break 'rows;
                        }
                        let start = out.text.len();
                        norm_into(&c.text, &mut out.text);
                        let mut tok = cell_token(&c.text, &out.text[start..], c.pad);
                        tok.span = c.span;
                        out.toks.push(tok);
                    }
                }
                let cells = &out.toks[first..];
                let grid = Grid::of(t, |r, i| {
                    let k = starts.get(r).map_or(usize::MAX, |s| s + i);
                    cells
                        .get(k)
                        .is_some_and(|t| matches!(t.kind, TokKind::Value(CellValue::Number { .. })))
                });
                for (r, s) in starts.iter().enumerate() {
                    let row = t.rows.get(r).map_or(0, Vec::len);
                    for (i, tok) in out.toks[first + s..].iter_mut().take(row).enumerate() {
                        tok.geo = grid.places.get(r).and_then(|p| p.get(i)).map(|&at| Geo {
                            grid: g,
                            row: r as u32,
                            at,
                        });
                    }
                }
                out.grids.push(grid);
                if out.capped {
                    break 'blocks;
                }
            }
            Block::Para(p) => {
                heading = heading || crate::sections::has_heading(p);
                let first = out.toks.len();
                para_tokens(p, &mut out);
                if let Some(s) = src.filter(|s| s.figures)
                    && let Some(Some(span)) = s.spans.get(bi)
                {
                    locate_figures(&mut out.toks[first..], s, *span);
                }
                if out.toks.len() >= MAX_TOKENS {
                    out.capped = true;
                    break;
                }
            }
        }
    }
    crate::grid::settle(&mut out.grids, &headings);
    join_broken_words(&mut out.toks);
    out
}

/// Figures of a paragraph found in its source range, in order: each token
/// holding a digit is looked for a little past the last one found (as far
/// as the tokens between could reach: normalising shortens text at most
/// threefold, `（` → `(`), so a token written otherwise in the source is
/// not matched to a figure further on. A paragraph whose source writes
/// digits that normalising rewrites (`１２`, `①`) is left without.
fn locate_figures(toks: &mut [Tok<'_>], src: Source, span: Span) {
    let raw = src
        .text
        .get(span.start as usize..span.end as usize)
        .unwrap_or_default();
    if raw.contains(|c: char| c.is_numeric() && !c.is_ascii_digit() && c != '〇') {
        return;
    }
    let mut from = span.start as usize;
    // Bytes of tokens since the last one found.
    let mut passed = 0;
    for t in toks.iter_mut() {
        passed += t.raw.len();
        if !has_digit(&t.raw) {
            continue;
        }
        let reach = crate::provenance::reach(src.text, from, 3 * passed + 16, src.html)
            .min(span.end as usize);
        let Some(near) = Span::new(from, reach) else {
            continue;
        };
        let at = crate::provenance::locate(src.text, near, &mut from, &t.raw, src.html);
        if at.is_some() {
            passed = 0;
        }
        if matches!(t.kind, TokKind::Value(_)) {
            t.span = at;
        }
    }
}

/// The longest header row a broken header is looked for in.
const BROKEN_ROW: usize = 24;

/// Header words broken over two lines, as PDF text prints narrow cells
/// (`结果 结果 其他 尚未 总` over `维持 纠正 结果 审结 计`; a markdown table or
/// one cell per line the same way, row after row): in a run of short words
/// and blank cells, a stretch whose first half, zipped with its second,
/// reads as header words is joined into the first half; the second half's
/// tokens go.
fn join_broken_words(toks: &mut Vec<Tok<'_>>) {
    let short = |t: &Tok| at_most(&t.raw, 6);
    let piece = |t: &Tok| match &t.kind {
        TokKind::Text => short(t),
        TokKind::Value(CellValue::Empty) => t.cell,
        TokKind::Label(h) => short(t) && h.iter().all(|h| matches!(h.entry, Entry::Header(_))),
        TokKind::Value(_) => false,
    };
    let mut drop = vec![false; toks.len()];
    let mut shapes = Vec::new();
    let mut bars = Bars::default();
    let mut scratch = (String::new(), String::new());
    let mut i = 0;
    while i < toks.len() {
        let run = toks[i..].iter().take_while(|t| piece(t)).count();
        let end = i + run;
        // Halves of broken words are text: a run without any is whole.
        if !toks[i..end].iter().any(|t| t.kind == TokKind::Text) {
            i = end + 1;
            continue;
        }
        // Each token's shape, read once: the stretches tried below overlap
        // (and a token a join changed is never tried again).
        shapes.clear();
        shapes.extend(toks[i..end].iter().map(Shape::of));
        bars.build(&toks[i..end], &shapes, &mut scratch.1);
        let mut j = i;
        while j < end {
            // The longest stretch first: a row of halves zipped with the
            // next (`其他 结果 …` over `结果 维持 …`) before any two words
            // that happen to join (`其他` + `结果`).
            let fits = (1..=((end - j) / 2).min(BROKEN_ROW)).rev().find_map(|m| {
                if bars.barred(j - i, m) {
                    return None;
                }
                let (cells, shaped) = (&toks[j..j + 2 * m], &shapes[j - i..j - i + 2 * m]);
                let joined = zip_halves(cells, shaped, m, &mut scratch)?;
                Some((m, joined))
            });
            match fits {
                Some((m, joined)) => {
                    for (k, (raw, hits)) in joined.into_iter().enumerate() {
                        if let Some(hits) = hits {
                            toks[j + k].kind = TokKind::Label(hits);
                            toks[j + k].raw = Cow::Owned(raw);
                        }
                    }
                    drop[j + m..j + 2 * m].iter_mut().for_each(|d| *d = true);
                    j += 2 * m;
                }
                None => j += 1,
            }
        }
        i = end + 1;
    }
    let mut k = 0;
    toks.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// What [`Bars`] asks of a token before any pair it is in is joined.
struct Shape {
    /// Blank text.
    blank: bool,
    /// A whole label.
    whole: bool,
    /// Where its text without surrounding whitespace lies in `raw`.
    words: (usize, usize),
    /// The first character of its words folds alone
    /// ([`crate::normalize::nfkc_alone`]: NFKC composes it with nothing
    /// before it).
    plain_start: bool,
}

impl Shape {
    fn of(t: &Tok) -> Shape {
        let words = t.raw.trim_start();
        let lead = t.raw.len() - words.len();
        let words = words.trim_end();
        Shape {
            blank: words.is_empty(),
            whole: matches!(t.kind, TokKind::Label(_)),
            words: (lead, lead + words.len()),
            plain_start: words
                .chars()
                .next()
                .is_some_and(crate::normalize::nfkc_alone),
        }
    }
}

/// What the normal form of a token's words tells of every join with it,
/// told without joining: most pairs of a run join into no header word.
#[derive(Debug, Clone, Copy, Default)]
struct Ends {
    /// Followed by text whose first character folds alone
    /// ([`Shape::plain_start`]), the words start no label: their normal
    /// form starts with a character no label sequence does
    /// ([`First::may_hold`]) and stays the start of the joined text's, as
    /// it does where each character folds alone and the last is not the
    /// `档` of a mirror site's `档案`.
    dead_start: bool,
    /// After any text, the words end no label sequence
    /// ([`may_end_labels`]) unless that text holds a bracket: every
    /// character folds alone (NFKC joins nothing across the seam), the
    /// normal form holds no bracket, and its last character, which no
    /// label, separator or note ends with, is the joined text's (not the
    /// `案` of a mirror's `档案`, whose `档` may end the text before).
    dead_end: bool,
    /// The normal form holds a bracket (a note may run to a join's end).
    bracket: bool,
}

impl Ends {
    /// The ends of `words`; `scratch` may hold their normal form.
    fn of(words: &str, scratch: &mut String) -> Ends {
        // Most words are a plain run: their own normal form, each of their
        // characters folding alone.
        let (n, alone) = if crate::normalize::plain_run(words.as_bytes()) == words.len() {
            (words, true)
        } else {
            scratch.clear();
            norm_into(words, scratch);
            let alone = words.chars().all(crate::normalize::nfkc_alone);
            (scratch.as_str(), alone)
        };
        let bracket = n.contains('(');
        Ends {
            dead_start: alone && !n.is_empty() && !n.ends_with('档') && !LEXICON.first.may_hold(n),
            dead_end: alone
                && !n.is_empty()
                && !bracket
                && !n.ends_with('案')
                && !LEXICON.last.may_end(n),
            bracket,
        }
    }

    /// Whether `x` (these ends) joined with `y` (the ends of a token
    /// whose words start as [`Shape::plain_start`] tells) reads as no label.
    fn never_with(&self, y: &Ends, y_plain_start: bool) -> bool {
        (y_plain_start && self.dead_start) || (y.dead_end && !self.bracket)
    }
}

/// Per distance `m` between the halves of a stretch, where the next pair of
/// a run at that distance lies that no stretch can hold ([`Bars::barred`]):
/// a blank over words (a word on the second line alone would shift the
/// halves), words over a blank unless a whole header word, two whole
/// words, or two pieces that join into no label ([`Ends::never_with`]).
/// Read once per run, where each stretch asked all its pairs.
#[derive(Default)]
struct Bars {
    /// `next[(m - 1) * len + p]`: the first pair `(q, q + m)`, `q >= p`,
    /// that is barred (`len` where none is).
    next: Vec<u32>,
    len: usize,
    /// Each token's [`Ends`], kept across runs as `next` is.
    ends: Vec<Ends>,
}

impl Bars {
    fn build(&mut self, cells: &[Tok<'_>], shapes: &[Shape], scratch: &mut String) {
        let len = cells.len();
        self.ends.clear();
        self.ends
            .extend(cells.iter().zip(shapes).map(|(c, s)| match s.blank {
                true => Ends::default(),
                false => Ends::of(&c.raw[s.words.0..s.words.1], scratch),
            }));
        let ends = &self.ends;
        let barred = |a: usize, b: usize| {
            let (x, y) = (&shapes[a], &shapes[b]);
            match (x.blank, y.blank) {
                (true, true) => false,
                (false, true) => !x.whole,
                (true, false) => true,
                (false, false) => {
                    (x.whole && y.whole) || ends[a].never_with(&ends[b], y.plain_start)
                }
            }
        };
        self.len = len;
        self.next.clear();
        let widest = (len / 2).min(BROKEN_ROW);
        self.next.resize(widest * len, len as u32);
        for m in 1..=widest {
            let row = &mut self.next[(m - 1) * len..m * len];
            for p in (0..len - m).rev() {
                row[p] = if barred(p, p + m) {
                    p as u32
                } else {
                    row[p + 1]
                };
            }
        }
    }

    /// Whether a pair of the stretch of `2m` tokens from `p` is barred.
    fn barred(&self, p: usize, m: usize) -> bool {
        (self.next[(m - 1) * self.len + p] as usize) < p + m
    }
}

/// The words of `cells`' first half joined with those of its second, for a
/// stretch [`Bars`] lets through: when every pair of words (both not
/// blank) reads joined as header words and at least one pair is joined.
/// Per pair: the joined text and its hits, if joined.
#[allow(clippy::type_complexity)]
fn zip_halves(
    cells: &[Tok<'_>],
    shapes: &[Shape],
    m: usize,
    scratch: &mut (String, String),
) -> Option<Vec<(String, Option<Hits>)>> {
    let mut out = Vec::new();
    let mut joined = false;
    let words = |k: usize| {
        let (from, to) = shapes[k].words;
        &cells[k].raw[from..to]
    };
    for k in 0..m {
        let (x, y) = (words(k), words(m + k));
        if x.is_empty() || y.is_empty() {
            out.push((String::new(), None));
            continue;
        }
        joined = true;
        let hits = join_reads(x, y, scratch)?;
        out.push((scratch.0.clone(), Some(hits)));
    }
    joined.then_some(out)
}

/// The header words `x` and `y` read as joined (`None` unless all are),
/// the joined text left in `scratch.0`: the pair joined and normalised in
/// buffers kept across calls, since most pairs read as no header word.
fn join_reads(x: &str, y: &str, scratch: &mut (String, String)) -> Option<Hits> {
    let (raw, normed) = scratch;
    raw.clear();
    raw.push_str(x);
    raw.push_str(y);
    normed.clear();
    norm_into(raw, normed);
    match_normed(normed).filter(|h| h.iter().all(|h| matches!(h.entry, Entry::Header(_))))
}

/// The tokens of a document, and its whole text through [`norm`] (every
/// paragraph and cell, concatenated) for template detection, which would
/// otherwise normalise the document a second time.
#[derive(Debug, Default)]
pub struct Stream<'a> {
    pub toks: Vec<Tok<'a>>,
    /// The geometry of each table, in order ([`Geo::grid`] indexes it).
    pub grids: Vec<Grid>,
    pub text: String,
    /// Where each block's text starts in `text`: `(offset, block index)`,
    /// in order (a fact's paragraph, [`crate::provenance::fact_lines`]).
    pub starts: Vec<(usize, usize)>,
    /// The document had more than [`MAX_TOKENS`]; the rest was not read.
    pub capped: bool,
}

/// A report has a few thousand cells and words; a document with a hundred
/// times more is not one report, and reading it whole would cost memory in
/// proportion (hundreds of bytes per token).
pub const MAX_TOKENS: usize = 200_000;

fn cell_token<'a>(text: &'a str, normed: &str, pad: bool) -> Tok<'a> {
    let v = classify_normed(text, normed);
    let kind = if v.is_value() || v == CellValue::Furniture {
        TokKind::Value(v)
    } else if let Some(h) = match_normed(normed) {
        TokKind::Label(h)
    } else {
        TokKind::Text
    };
    Tok {
        kind,
        raw: Cow::Borrowed(text),
        cell: true,
        pad,
        geo: None,
        span: None,
    }
}

/// The whitespace-separated pieces of a line, with labels broken by spaces
/// put back together (`一、本年新收政府 信息公开申请数量1113…`, `三、本年度办
/// 理结果`, a header line `结果维持结果纠正其他 结果尚未审结总计`): a piece
/// that ends in words is joined with as many of the next eleven pieces as make
/// the text before their trailing figures read as labels. A join never
/// passes a piece that ends in a figure: the space after it is a cell
/// boundary (`500000 5`).
///
/// Each piece is normalised once, straight into `text` (the document's
/// normalised text, which holds every piece one after the other): a piece,
/// and a join of pieces, is a range of it.
fn rejoin<'l>(line: &'l str, text: &mut String) -> Vec<Piece<'l>> {
    let pieces = norm_pieces(line, text);
    let piece = |(p, range): (&'l str, Range<usize>)| Piece {
        raw: Cow::Borrowed(p),
        range,
        labels: None,
    };
    // One piece (most running text) has nothing to be joined with.
    if pieces.len() == 1 {
        return pieces.into_iter().map(piece).collect();
    }
    let text = text.as_str();
    let ends_in_figure = |s: &str| s.ends_with(|c: char| c.is_ascii_digit());
    let lead = |n: &str| -> bool {
        let l = &n[..before_figures(n)];
        !l.is_empty() && match_normed(l).is_some()
    };
    // A short piece with words that do not read as labels: part of a broken
    // label, or plain text. Only around such pieces is a join tried. A
    // piece without trailing figures was looked up whole: its labels are
    // kept for the tokens.
    let mut out: Vec<Piece> = pieces.iter().cloned().map(piece).collect();
    let broken: Vec<bool> = out
        .iter_mut()
        .map(|p| {
            let n = &text[p.range.clone()];
            let words = before_figures(n);
            if words == 0 || !at_most(n, 60) {
                return false;
            }
            let labels = match_normed(&n[..words]);
            let broken = labels.is_none();
            if words == n.len() {
                p.labels = Some(labels);
            }
            broken
        })
        .collect();
    if !broken.iter().any(|b| *b) {
        return out;
    }
    let mut joined = Vec::with_capacity(pieces.len());
    let mut looked = out.into_iter();
    let mut i = 0;
    while i < pieces.len() {
        let (first, first_r) = &pieces[i];
        let mut used = 1;
        let near_broken = broken[i] || broken.get(i + 1).copied().unwrap_or(false);
        let normed = &text[first_r.clone()];
        if near_broken && !ends_in_figure(first) && at_most(normed, 60) && !dead_start(normed) {
            for (k, (next, next_r)) in pieces.iter().enumerate().skip(i + 1).take(11) {
                if lead(&text[first_r.start..next_r.end]) {
                    used = k - i + 1;
                }
                if ends_in_figure(next) {
                    break;
                }
            }
        }
        // The pieces as looked up, `used` of them: one is kept as it is.
        let parts = looked.by_ref().take(used);
        if used == 1 {
            joined.extend(parts);
        } else {
            let end = pieces[i + used - 1].1.end;
            joined.push(Piece {
                raw: Cow::Owned(parts.map(|p| p.raw).collect()),
                range: first_r.start..end,
                labels: None,
            });
        }
        i += used;
    }
    joined
}

/// The length of `n` before a row's trailing figures (and their unit).
fn before_figures(n: &str) -> usize {
    n.trim_end_matches(crate::value::is_table_unit_char)
        .trim_end_matches(in_figure)
        .len()
}

/// A character of a row's trailing figure: a digit, its point or sign.
fn in_figure(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | '-')
}

/// A piece of running text as [`rejoin`] gives it.
struct Piece<'l> {
    /// As written: borrowed unless pieces were joined.
    raw: Cow<'l, str>,
    /// Its normalised text in the document's.
    range: Range<usize>,
    /// Its labels ([`match_normed`] of the whole piece), when rejoining
    /// looked them up already.
    labels: Option<Option<Hits>>,
}

/// Whether `s` has at most `n` characters, counted only when its length
/// leaves it open: a character is one to four bytes (a paragraph of prose
/// is one token, and most are longer than any limit asked).
pub(crate) fn at_most(s: &str, n: usize) -> bool {
    s.len() <= n || (s.len() <= 4 * n && s.chars().nth(n).is_none())
}

/// Running text: whitespace-separated pieces, each a value, a label, or a
/// glued mix split at digit boundaries (outside brackets).
fn para_tokens<'a>(line: &'a str, stream: &mut Stream<'a>) {
    // Most lines start with a character no page mark does: they are not
    // read whole for one.
    if may_be_furniture(line) && classify(line) == CellValue::Furniture {
        norm_into(line, &mut stream.text);
        stream
            .toks
            .push(Tok::running(TokKind::Value(CellValue::Furniture), line));
        return;
    }
    let pieces = rejoin(line, &mut stream.text);
    let (out, text) = (&mut stream.toks, &mut stream.text);
    let mut cut = None;
    for Piece {
        raw: whole,
        range,
        labels,
    } in pieces
    {
        if out.len() >= MAX_TOKENS {
            // The pieces not read leave no text either.
            cut = Some(range.start);
            break;
        }
        let normed = &text[range];
        let piece = &*whole;
        let v = classify_normed(piece, normed);
        if v.is_value() {
            out.push(Tok::running(TokKind::Value(v), whole));
            continue;
        }
        if let Some(h) = labels.unwrap_or_else(|| match_normed(normed)) {
            out.push(Tok::running(TokKind::Label(h), whole));
            continue;
        }
        if !has_digit(piece) {
            out.push(Tok::running(TokKind::Text, whole));
            continue;
        }
        // Tokens borrow their text from the piece as written where it is
        // its normalised text (most are).
        let raw = match whole {
            Cow::Borrowed(p) if p == normed => Some(p),
            _ => None,
        };
        glued_tokens(normed, raw, out);
    }
    if let Some(at) = cut {
        text.truncate(at);
    }
}

/// The tokens of a normalised piece where digits and words are glued: its
/// digit runs are values, the text between them labels where it reads so
/// (also labels at the end of a text before a run), else text. `raw`: the
/// piece as written, when it is `normed` byte for byte (the tokens borrow
/// their text from it, instead of a copy each).
fn glued_tokens<'a>(normed: &str, raw: Option<&'a str>, out: &mut Vec<Tok<'a>>) {
    let text = |r: Range<usize>| -> Cow<'a, str> {
        match raw.and_then(|raw| raw.get(r.clone())) {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(normed.get(r).unwrap_or_default().to_string()),
        }
    };
    for seg in split_glued(normed) {
        let at = seg.start;
        let whole = at..at + seg.text.len();
        // Segments alternate: a text segment that does not end the piece
        // stands before digits.
        let before_digits = whole.end < normed.len();
        let kind = if seg.digits {
            TokKind::Value(classify(seg.text))
        } else if !seg.may_read() {
            TokKind::Text
        } else if let Some(h) = match_normed(seg.text) {
            TokKind::Label(h)
        } else if let Some((k, h)) = before_digits.then(|| tail_labels(seg.text)).flatten() {
            out.push(Tok::running(TokKind::Text, text(at..at + k)));
            out.push(Tok::running(TokKind::Label(h), text(at + k..whole.end)));
            continue;
        } else {
            TokKind::Text
        };
        out.push(Tok::running(kind, text(whole)));
    }
}

struct Seg<'a> {
    text: &'a str,
    /// Where `text` starts in the piece.
    start: usize,
    digits: bool,
    /// `text` holds a `(`.
    bracket: bool,
}

/// Split `规章000行政规范性文件693665` into text and digit runs. Digits inside
/// brackets stay text; a digit followed by `.`/`、` and a non-digit is the
/// enumerator of the next label (`…00000002.其他法律…`).
///
/// Read by bytes: every character that decides anything is ASCII (the text
/// is normalised, so brackets are), and a character of several bytes is
/// always text, so the long narrative between figures costs a compare per
/// byte. The segments are yielded as they are found, no vector of them is
/// built.
fn split_glued(s: &str) -> Glued<'_> {
    Glued {
        s,
        i: 0,
        depth: 0,
        open: None,
    }
}

/// The segments of [`split_glued`], one at a time.
struct Glued<'s> {
    s: &'s str,
    /// The next byte to read.
    i: usize,
    /// Brackets open at `i`.
    depth: i32,
    /// The segment being read: where it starts, whether it is digits,
    /// whether it holds a `(` so far.
    open: Option<(usize, bool, bool)>,
}

impl<'s> Iterator for Glued<'s> {
    type Item = Seg<'s>;

    fn next(&mut self) -> Option<Seg<'s>> {
        let b = self.s.as_bytes();
        // Read in locals, stored back when a segment is yielded.
        let (mut i, mut depth, mut open) = (self.i, self.depth, self.open);
        while i < b.len() {
            match open {
                // Inside a text segment only a digit or a bracket can
                // change anything: skip the words between them.
                Some((_, false, _)) => i += words_before_digit(&b[i..]),
                // Inside digits no bracket is open (a bracket ends the run,
                // which starts only where none is open), and a digit
                // before a digit enumerates nothing ([`is_enum`]): it
                // stays in the run.
                Some((_, true, _)) => i += digits_before_digit(&b[i..]),
                None => {}
            }
            let Some(&c) = b.get(i) else { break };
            let at = i;
            i += 1;
            let in_digits = matches!(open, Some((_, true, _)));
            let digit_like = match c {
                b'(' => {
                    depth += 1;
                    false
                }
                b')' => {
                    depth = (depth - 1).max(0);
                    false
                }
                b'0'..=b'9' => depth == 0 && !is_enum(b, at),
                // `.` and `-` between digits stay in the run: a decimal
                // amount, or a signed 本年增/减 glued to the number before
                // it (`35-15`).
                b'.' | b'-' => {
                    depth == 0 && in_digits && b.get(at + 1).is_some_and(u8::is_ascii_digit)
                }
                // A continuation byte belongs to its character's segment.
                0x80..=0xBF => continue,
                _ => false,
            };
            let bracket = c == b'(';
            match &mut open {
                Some((_, digits, held)) if *digits == digit_like => *held |= bracket,
                open => {
                    if let Some(done) = open.replace((at, digit_like, bracket)) {
                        (self.i, self.depth, self.open) = (i, depth, *open);
                        return Some(self.seg(done, at));
                    }
                }
            }
        }
        (self.i, self.depth, self.open) = (i, depth, None);
        Some(self.seg(open?, b.len()))
    }
}

/// How many bytes of `b` are ASCII digits with an ASCII digit after them.
fn digits_before_digit(b: &[u8]) -> usize {
    b.windows(2)
        .take_while(|w| w[0].is_ascii_digit() && w[1].is_ascii_digit())
        .count()
}

impl Seg<'_> {
    /// Whether a text segment may read as labels, whole ([`match_normed`])
    /// or from a point on ([`tail_labels`]): a text that ends as no label,
    /// separator or note does, and holds no bracket, reads as none
    /// ([`may_end_labels`], told with the bracket the split saw, once for
    /// both readings).
    fn may_read(&self) -> bool {
        self.bracket || LEXICON.last.may_end(self.text)
    }
}

impl<'s> Glued<'s> {
    fn seg(&self, (start, digits, bracket): (usize, bool, bool), end: usize) -> Seg<'s> {
        Seg {
            text: self.s.get(start..end).unwrap_or_default(),
            start,
            digits,
            bracket,
        }
    }
}

/// How many bytes of `b` come before its first digit or bracket
/// ([`DIGIT_OR_BRACKET`]). Eight bytes at a time where none is below 0x40
/// (every byte of an ideograph is 0x80 or above, and digits and brackets
/// are below 0x40): the narrative between figures, kilobytes on a page that
/// ran its table into one line, costs a few instructions per word.
fn words_before_digit(b: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while let Some(word) = b.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(word) else {
            break;
        };
        let w = !u64::from_le_bytes(bytes);
        // Bit 7 of a byte set here: its bits 7 and 6 were clear.
        if w & (w << 1) & HIGH != 0
            && let Some(k) = word.iter().position(|&c| DIGIT_OR_BRACKET[usize::from(c)])
        {
            return i + k;
        }
        i += 8;
    }
    let rest = b.get(i..).unwrap_or_default();
    i + rest
        .iter()
        .take_while(|&&c| !DIGIT_OR_BRACKET[usize::from(c)])
        .count()
}

/// The bytes [`split_glued`] stops at inside text: digits and brackets.
const DIGIT_OR_BRACKET: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = b'0';
    while c <= b'9' {
        t[c as usize] = true;
        c += 1;
    }
    t[b'(' as usize] = true;
    t[b')' as usize] = true;
    t
};

/// Whether the digit at `i` enumerates the label after it: `.` or `、`
/// follows, then something that is not a digit, and no `.` precedes.
fn is_enum(b: &[u8], i: usize) -> bool {
    let after = match b.get(i + 1..) {
        Some([b'.', ..]) => i + 2,
        Some(rest) if rest.starts_with("、".as_bytes()) => i + 4,
        _ => return false,
    };
    b.get(after).is_some_and(|c| !c.is_ascii_digit()) && (i == 0 || b[i - 1] != b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Entry> {
        match_labels(text)
            .unwrap_or_default()
            .into_iter()
            .map(|h| h.entry)
            .collect()
    }

    #[test]
    fn labels_with_notes_variants_and_enumerators() {
        assert_eq!(
            keys("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
            vec![Entry::Row {
                table: TableKey::Requests,
                key: RowKey::PartiallyGranted
            }]
        );
        assert_eq!(
            keys("規章(設區的市、自治州人民政府應提供相關數據)"),
            vec![Entry::Row {
                table: TableKey::Proactive,
                key: RowKey::Rules
            }]
        );
        assert_eq!(
            keys("（七）总计"),
            vec![Entry::Row {
                table: TableKey::Requests,
                key: RowKey::TotalHandled
            }]
        );
        assert_eq!(
            keys("3.其他"),
            vec![Entry::Row {
                table: TableKey::Requests,
                key: RowKey::OtherMisc
            }]
        );
        assert!(matches!(keys("总计")[0], Entry::Header(_)));
        assert!(matches!(keys("其他")[0], Entry::Header(_)));
        let h = match_labels("1.信访投诉举报类申请").unwrap_or_default();
        assert_eq!(h[0].core, "信访投诉举报类申请");
    }

    #[test]
    fn glued_labels() {
        assert_eq!(
            keys("三、本年度办理结果（一）予以公开"),
            vec![
                Entry::Row {
                    table: TableKey::Requests,
                    key: RowKey::Results
                },
                Entry::Row {
                    table: TableKey::Requests,
                    key: RowKey::Granted
                }
            ]
        );
        assert_eq!(
            keys("本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和").len(),
            1
        );
        assert_eq!(
            keys("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）").len(),
            1
        );
        assert!(match_labels("行政许可事项办理").is_none());
    }

    #[test]
    fn words_before_digit_stops_where_a_byte_scan_does() {
        let scan = |b: &[u8]| {
            b.iter()
                .take_while(|&&c| !DIGIT_OR_BRACKET[usize::from(c)])
                .count()
        };
        // Every stopping byte and bytes just outside the class (`'`, `*`,
        // `/`, `:`), at every place of a word and after every length of
        // ideographs, ASCII letters and punctuation.
        let fill = ["收到", "ab", ",.;", "  ", "\u{80}"];
        for stop in b"()0123456789'*/:x".iter().map(|&c| char::from(c)) {
            for f in fill {
                for n in 0..20 {
                    let text: String = f.repeat(n) + &stop.to_string() + "申请12";
                    let b = text.as_bytes();
                    for from in 0..b.len().min(9) {
                        assert_eq!(words_before_digit(&b[from..]), scan(&b[from..]), "{text:?}");
                    }
                }
            }
        }
        assert_eq!(words_before_digit(b""), 0);
    }

    /// The blocks of every input of `corpus/` and `$GONGKAI_SHARED_CORPUS`,
    /// and of generated reports, damaged and not: what the tokeniser's
    /// prefilters are held to their rules on.
    fn corpus_blocks() -> Vec<Vec<Block>> {
        let mut inputs = crate::corpus_inputs::all();
        assert!(inputs.len() > 10, "corpus/ not found");
        for seed in 0..80 {
            let (model, bytes, _) =
                crate::synth::verify::case_in(seed, seed % 2 == 1, crate::synth::Layouts::All);
            let html = model.options.format.is_html();
            inputs.push(crate::corpus_inputs::Input { bytes, html });
        }
        inputs
            .iter()
            .map(crate::corpus_inputs::Input::blocks)
            .collect()
    }

    /// The normalised text of every input of [`corpus_blocks`].
    fn normalised_texts() -> Vec<String> {
        corpus_blocks().iter().map(|b| tokens(b).text).collect()
    }

    /// Every text [`classify`] is asked of in tokenising, and more: each
    /// line whole, its pieces, two and three pieces joined (as a rejoined
    /// label is), each cell; and each with a placeholder, a blank and a
    /// page mark in it.
    fn classified_texts() -> Vec<String> {
        let mut out = Vec::new();
        for block in corpus_blocks().into_iter().flatten() {
            match block {
                Block::Para(p) => {
                    let pieces: Vec<&str> = p.split_whitespace().collect();
                    for k in 1..=3 {
                        out.extend(pieces.windows(k).map(|w| w.concat()));
                    }
                    out.push(p);
                }
                Block::Table(t) => out.extend(t.rows.into_iter().flatten().map(|c| c.text)),
            }
        }
        for odd in [
            "",
            " ",
            "\u{3000}",
            "无",
            " 無 ",
            "暫無",
            "—",
            "－－",
            "/",
            "- 4 -",
            "－ 4 －",
        ] {
            out.push(odd.to_string());
        }
        out.extend(["第 3 页", "第3頁 共9頁", "Ｐ．3", "P. 3", "Page 2 of 9"].map(String::from));
        // Page marks and figures in every numeric character, not only ASCII
        // ones: the page-mark pattern's `\d` reads any script's digits.
        let numerals = (0..0x3_0000)
            .filter_map(char::from_u32)
            .filter(|c| c.is_numeric());
        out.extend(numerals.flat_map(|c| {
            [
                "-{c}-",
                "- {c} -",
                "第{c}页",
                "P.{c}",
                "Page{c}",
                "{c}",
                "{c}{c}{c}{c}",
            ]
            .map(|shape| shape.replace("{c}", c.encode_utf8(&mut [0; 4])))
        }));
        out
    }

    #[test]
    fn classify_is_told_from_the_normal_form_as_it_reads() {
        let texts = classified_texts();
        let mut text = 0;
        for t in &texts {
            let slow = classify(t);
            text += usize::from(slow == CellValue::Text);
            assert_eq!(classify_normed(t, &norm(t)), slow, "{t:?}");
        }
        assert!(
            text > 1000 && text < texts.len(),
            "{text} of {}",
            texts.len()
        );
    }

    #[test]
    fn page_marks_are_read_only_where_a_first_character_lets_them() {
        let mut marks = 0;
        let texts = classified_texts();
        let lines = texts.iter().map(String::as_str);
        // Every character before a page mark's digits, and before a space.
        let chars = (0..0x3_0000).filter_map(char::from_u32);
        let made: Vec<String> = chars
            .flat_map(|c| [format!("{c}3"), format!("{c} 3 -"), format!(" {c}3页")])
            .collect();
        for t in lines.chain(made.iter().map(String::as_str)) {
            if classify(t) == CellValue::Furniture {
                marks += 1;
                assert!(may_be_furniture(t), "{t:?}");
            }
        }
        assert!(marks > 10, "{marks}");
    }

    #[test]
    fn pairs_with_dead_ends_join_with_nothing() {
        let mut scratch = (String::new(), String::new());
        let (mut dead, mut read) = (0, 0);
        let mut check = |x: &str, y: &str, dead: &mut usize| {
            let hits = match_labels(&format!("{x}{y}"));
            let ex = Ends::of(x, &mut scratch.1);
            let ey = Ends::of(y, &mut scratch.1);
            let plain_start = y.chars().next().is_some_and(crate::normalize::nfkc_alone);
            if ex.never_with(&ey, plain_start) {
                *dead += 1;
                assert!(hits.is_none(), "{x} {y}");
            }
            hits.is_some()
        };
        // Every label cut at every character: as written, as a mirror site
        // writes it (`檔案` for `文件`: the `案` ends no label) and with a
        // note left open after it (a bracket before the cut).
        for (key, _) in &LEXICON.labels {
            for text in [
                key.clone(),
                key.replace("文件", "檔案"),
                format!("{key}(设区的市"),
            ] {
                for (at, _) in text.char_indices().skip(1) {
                    read += usize::from(check(&text[..at], &text[at..], &mut dead));
                }
            }
        }
        for blocks in corpus_blocks() {
            let toks = tokens(&blocks).toks;
            let shapes: Vec<Shape> = toks.iter().map(Shape::of).collect();
            let words = |k: usize| &toks[k].raw[shapes[k].words.0..shapes[k].words.1];
            for a in 0..toks.len() {
                for b in a + 1..toks.len().min(a + 2 * BROKEN_ROW) {
                    let (x, y) = (words(a), words(b));
                    if x.is_empty() || y.is_empty() || !at_most(x, 6) || !at_most(y, 6) {
                        continue;
                    }
                    read += usize::from(check(x, y, &mut dead));
                }
            }
        }
        assert!(dead > 10_000 && read > 100, "{dead} {read}");
    }

    /// What [`Ends`] rests on, held without the lexicon (a label added
    /// later cannot hide a wrong rule): a dead start stays the first
    /// character of the joined text's normal form, and a dead end its
    /// last, with no bracket before it, whatever sits across the seam —
    /// a mirror site's `档`/`案`, brackets, composing (after a letter),
    /// full-width and dropped characters; so [`match_normed`]'s prefilter
    /// turns away every pair [`Ends::never_with`] bars.
    #[test]
    fn dead_ends_stay_the_ends_of_a_join() {
        let bits = [
            "档", "檔", "案", "文件", "(", "（", "【", "〔", ")", "a", "A", "é", "e\u{301}",
            "\u{301}", "\u{3099}", "か", "ｶ", "ﾞ", "①", "⑴", "结果", "维持", "“", "」", "·", "Ａ",
            "1", "覆", "b", "o", "Q", "U", "\u{308}", "\u{30a}",
        ];
        let mut texts: Vec<String> = bits.iter().map(|b| b.to_string()).collect();
        for a in bits {
            texts.extend(bits.iter().map(|b| format!("{a}{b}")));
        }
        let mut scratch = String::new();
        let (mut starts, mut ends) = (0, 0);
        for x in &texts {
            let (ex, nx) = (Ends::of(x, &mut scratch), norm(x));
            for y in &texts {
                let (ey, ny) = (Ends::of(y, &mut scratch), norm(y));
                let joined = norm(&format!("{x}{y}"));
                let plain_start = y.chars().next().is_some_and(crate::normalize::nfkc_alone);
                if ex.never_with(&ey, plain_start) {
                    let lex = &*LEXICON;
                    assert!(!lex.first.may_hold(&joined) || !may_end_labels(&joined));
                }
                if plain_start && ex.dead_start {
                    starts += 1;
                    assert_eq!(joined.chars().next(), nx.chars().next(), "{x} {y}");
                }
                if ey.dead_end && !ex.bracket {
                    ends += 1;
                    assert_eq!(
                        joined.chars().next_back(),
                        ny.chars().next_back(),
                        "{x} {y}"
                    );
                    assert!(!joined.contains('('), "{x} {y}");
                }
            }
        }
        assert!(starts > 1000 && ends > 1000, "{starts} {ends}");
    }

    /// A stretch joins only where every pair may ([`Bars`]): a word that
    /// is no label over a blank cell bars it, and so does a blank over words
    /// (joined, the halves would shift); a whole label over a blank does not.
    #[test]
    fn a_word_over_a_blank_bars_its_stretch() {
        let run = |cells: &[&'static str]| {
            let mut toks: Vec<Tok> = cells
                .iter()
                .map(|c| cell_token(c, &norm(c), false))
                .collect();
            join_broken_words(&mut toks);
            toks.iter().map(|t| t.raw.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(run(&["结果", "其他", "维持", ""]), ["结果维持", "其他"]);
        assert_eq!(
            run(&["结果", "尚未", "维持", ""]),
            ["结果", "尚未", "维持", ""]
        );
        // A blank over words bars a stretch, the first of a run too.
        assert_eq!(
            run(&["", "结果", "尚未", "维持"]),
            ["", "结果", "尚未", "维持"]
        );
    }

    #[test]
    fn a_dead_start_reads_as_labels_with_nothing_after_it() {
        // What `rejoin` asks of a join: the text before its figures reads
        // as labels.
        let reads = |l: &str| {
            let l = &l[..before_figures(l)];
            !l.is_empty() && match_normed(l).is_some()
        };
        let tails = [
            "",
            ")",
            "(一)",
            "予以公开",
            "、其他",
            "、予以公开",
            ")予以公开",
            ".其他",
            "1.其他",
            "12件",
            "总计",
        ];
        let (mut dead, mut read) = (0, 0);
        // Enumerators cut from their mark, of every length up to the
        // window and past it: the join supplies the mark.
        let numerals = [
            "一",
            "十",
            "十一",
            "二十一",
            "一百零一",
            "1",
            "12",
            "123",
            "1234",
        ];
        let enums = numerals
            .iter()
            .flat_map(|n| ["", "(", "第"].map(|open| format!("{open}{n}")));
        let mut check = |n: &str, joins: Vec<String>| {
            let more = tails.iter().map(|t| format!("{n}{t}"));
            let texts: Vec<String> = joins.into_iter().chain(more).collect();
            if !dead_start(n) {
                read += texts.iter().filter(|t| reads(t)).count();
                return;
            }
            dead += 1;
            for t in &texts {
                assert!(!reads(t), "{n:?} starts {t:?}");
            }
        };
        for n in enums {
            check(&n, Vec::new());
        }
        let paras = corpus_blocks()
            .into_iter()
            .flatten()
            .filter_map(|b| match b {
                Block::Para(p) => Some(p),
                Block::Table(_) => None,
            });
        for p in paras {
            let mut text = String::new();
            let pieces = norm_pieces(&p, &mut text);
            for (i, (_, r)) in pieces.iter().enumerate() {
                let n = &text[r.clone()];
                // Every join `rejoin` could try from the piece, and more.
                let joins = pieces[i + 1..]
                    .iter()
                    .take(12)
                    .map(|(_, next)| text[r.start..next.end].to_string());
                check(n, joins.collect());
            }
        }
        assert!(dead > 1000 && read > 1000, "{dead} {read}");
    }

    /// The length bound gives the count's answer on every line of the
    /// corpora and every prefix of one up to where the bound decides.
    #[test]
    fn at_most_is_the_count() {
        let mut texts = crate::corpus_inputs::texts();
        assert!(texts.len() > 5, "corpus/ not found");
        // Characters of every width, the corpora having few of four bytes.
        texts.extend(["a", "é", "中", "𠀀"].map(|c| c.repeat(210)));
        texts.push("a𠀀中é".repeat(60));
        let mut seen = 0;
        for line in texts.iter().flat_map(|t| t.lines()) {
            let ends = line.char_indices().map(|(i, _)| i).chain([line.len()]);
            for end in ends.take_while(|&e| e <= 820) {
                let s = &line[..end];
                for n in [6, 60, 200] {
                    assert_eq!(at_most(s, n), s.chars().count() <= n, "{s}");
                    seen += 1;
                }
            }
        }
        assert!(seen > 10_000, "{seen}");
    }

    #[test]
    fn has_digit_says_what_a_byte_scan_does() {
        let fill = ["收到", "ab", ",.;", "/:", "\u{80}", "  ", "９"];
        for c in (0u8..0x80).map(char::from) {
            for f in fill {
                for n in 0..20 {
                    let text = f.repeat(n) + &c.to_string() + f;
                    for from in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                        let s = &text[from..];
                        assert_eq!(has_digit(s), s.bytes().any(|b| b.is_ascii_digit()), "{s:?}");
                    }
                }
            }
        }
    }

    /// Every place of `texts` where `fast` says no, with a few ends after it
    /// (a character, a label's length, far, the text's end): `slow` must
    /// read nothing there. The number of places `slow` read something at.
    fn held_to(
        texts: &[String],
        fast: impl Fn(&str) -> bool,
        slow: impl Fn(&str) -> bool,
    ) -> Result<usize, String> {
        let mut read = 0;
        for t in texts {
            for (i, _) in t.char_indices() {
                let rest = &t[i..];
                let ends = [1, 4, 12, 30, 90].map(|k| rest.floor_char_boundary(k).max(1));
                for end in ends.into_iter().chain([rest.len()]) {
                    let s = &rest[..rest.ceil_char_boundary(end)];
                    let hit = slow(s);
                    read += usize::from(hit);
                    if hit && !fast(s) {
                        return Err(s.to_string());
                    }
                }
            }
        }
        Ok(read)
    }

    #[test]
    fn labels_are_read_only_where_a_first_character_lets_them() {
        let texts = normalised_texts();
        let lex = &*LEXICON;
        let read = held_to(
            &texts,
            |s| lex.first.may_hold(s),
            |s| read_labels(s).is_some(),
        );
        assert!(read.as_ref().is_ok_and(|&n| n > 1000), "{read:?}");
        // The same texts catch a set without the labels' first characters.
        let bare = First::new(SEPARATORS.into_iter().chain("(0123456789".chars()));
        assert!(held_to(&texts, |s| bare.may_hold(s), |s| read_labels(s).is_some()).is_err());
    }

    #[test]
    fn labels_are_read_only_where_a_last_character_lets_them() {
        let lex = &*LEXICON;
        let mut texts = normalised_texts();
        // Labels ended by each separator, which the corpus texts may not
        // hold (`corpus/` alone, without the shared reports).
        let label = lex.labels.iter().map(|(k, _)| k).next().expect("a label");
        texts.extend(SEPARATORS.map(|sep| format!("{label}{sep}")));
        let read = held_to(&texts, may_end_labels, |s| read_labels(s).is_some());
        assert!(read.as_ref().is_ok_and(|&n| n > 1000), "{read:?}");
        // The same texts catch a set without the separators and `)`.
        let ends = lex.labels.iter().filter_map(|(k, _)| k.chars().next_back());
        let bare = First::new(ends);
        let may = |s: &str| bare.may_end(s) || s.contains('(');
        assert!(held_to(&texts, may, |s| read_labels(s).is_some()).is_err());
        // Every text between figures in running text: read as labels,
        // whole or at its end, only where the segment lets it, whose
        // bracket is the one its text holds.
        let (mut tails, mut bracketed) = (0, 0);
        // A label whose note runs on unclosed, over figures, to an end no
        // label has: read only for its bracket.
        texts.push("规章(设区的市12".to_string());
        for t in &texts {
            for seg in split_glued(t).filter(|s| !s.digits) {
                assert_eq!(seg.bracket, seg.text.contains('('), "{:?}", seg.text);
                let read = match_normed(seg.text).is_some() || tail_labels(seg.text).is_some();
                assert!(!read || seg.may_read(), "{:?}", seg.text);
                tails += usize::from(tail_labels(seg.text).is_some());
                bracketed += usize::from(read && !lex.last.may_end(seg.text));
            }
        }
        assert!(tails > 10 && bracketed > 0, "{tails} {bracketed}");
    }

    #[test]
    fn glued_digits_split() {
        let mut s = Stream::default();
        para_tokens("规章 000行政规范性文件693665第二十条第（五）项", &mut s);
        assert_eq!(s.text, "规章000行政规范性文件693665第二十条第(五)项");
        let kinds: Vec<String> = s
            .toks
            .iter()
            .map(|t| format!("{:?}", t.kind).chars().take(5).collect())
            .collect();
        assert_eq!(kinds, ["Label", "Value", "Label", "Value", "Label"]);
        assert_eq!(s.toks[1].kind, TokKind::Value(CellValue::Run));
        let mut s = Stream::default();
        para_tokens("1.属于国家秘密00000002.其他法律行政法规禁止公开", &mut s);
        assert_eq!(s.toks.len(), 3);
        assert_eq!(s.toks[1].raw, "0000000");
    }
}
