//! Where each value was read: byte ranges in the decoded text, carried from
//! the blocks through the tokens to the cells as bare `u32` pairs, and made
//! into `{line, start, end, text}` only when provenance is asked for
//! (`--provenance`, `cells.csv`, the review pages).
//!
//! Text input keeps its cells as slices of the decoded text, so their
//! ranges are exact. HTML loses positions in the parser (html5ever records
//! none), so [`HtmlLocator`] finds each text node of the DOM walk in the
//! source again, in document order: a forward cursor over the source's own
//! text runs (tags, comments and script or style bodies skipped, entities
//! decoded as html5ever decodes them), taking a run only when it is the
//! whole node. A node it cannot find so (text merged across a dropped tag,
//! moved by the parser, or beyond the search budget) gets no range, and
//! its values no provenance, rather than a wrong one.

use serde_json::{Map, Value, json};

use crate::blocks::Block;
use crate::facts::Fact;
use crate::mapping::TableData;
use crate::stream::{Source, Stream};
use crate::template::{TableKey, TableSpec};

/// A byte range `start..end` of the decoded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The range of `part`, a slice of `base`, with its surrounding
    /// whitespace trimmed; `None` when `part` is not inside `base` or is
    /// blank.
    pub fn of(base: &str, part: &str) -> Option<Span> {
        let at = (part.as_ptr() as usize).checked_sub(base.as_ptr() as usize)?;
        if at + part.len() > base.len() {
            return None;
        }
        let lead = part.len() - part.trim_start().len();
        let body = part.trim();
        if body.is_empty() {
            return None;
        }
        Span::new(at + lead, at + lead + body.len())
    }

    pub fn new(start: usize, end: usize) -> Option<Span> {
        Some(Span {
            start: u32::try_from(start).ok()?,
            end: u32::try_from(end).ok()?,
        })
    }

    /// The smallest range holding both.
    pub fn join(a: Option<Span>, b: Option<Span>) -> Option<Span> {
        match (a, b) {
            (Some(a), Some(b)) => Some(Span {
                start: a.start.min(b.start),
                end: a.end.max(b.end),
            }),
            (a, b) => a.or(b),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Where one value of a table came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Origin {
    /// A cell, or a figure of running text.
    Cell(Span),
    /// Value `part` of the row [`crate::split`] cut from digit runs
    /// (`TableData::splits[split]`).
    Split { split: usize, part: usize },
}

/// A row of digit runs and the values they were cut into.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitRow {
    pub runs: Vec<String>,
    pub spans: Vec<Option<Span>>,
    pub values: Vec<crate::value::Num>,
}

/// Where a value was read, as the JSON says it.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub span: Span,
    /// For a value cut from a run: the run's split (`64|0|0`).
    pub split: Option<String>,
}

/// A value's place in its table (`TableData::rows` indices) and origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub block: usize,
    pub row: usize,
    pub column: usize,
    pub origin: Origin,
}

/// The place of each value of a split row: the values as written, cut
/// from the runs in turn; each gets its run and that run's split
/// (`64|0|0`). Where the values do not spell the runs (a value written
/// otherwise), each gets all the runs and the row's split.
fn split_places(row: &SplitRow) -> Vec<Option<Place>> {
    let (runs, spans) = (&row.runs, &row.spans);
    let parts: Vec<String> = row
        .values
        .iter()
        .map(|n| crate::split::show(std::slice::from_ref(n)))
        .collect();
    let mut out = Vec::with_capacity(parts.len());
    let mut k = 0;
    for (run, span) in runs.iter().zip(spans) {
        let mut rest = run.as_str();
        let first = k;
        while let Some(p) = parts
            .get(k)
            .filter(|p| !rest.is_empty() && rest.starts_with(p.as_str()))
        {
            rest = &rest[p.len()..];
            k += 1;
        }
        if !rest.is_empty() || k == first {
            break;
        }
        let split = parts[first..k].join("|");
        out.extend((first..k).map(|_| {
            span.map(|span| Place {
                span,
                split: Some(split.clone()),
            })
        }));
    }
    if k == parts.len() && out.len() == parts.len() && runs.len() == spans.len() {
        return out;
    }
    let all = spans
        .iter()
        .try_fold(None, |acc, s| s.map(|s| Span::join(acc, Some(s))));
    let split = parts.join("|");
    parts
        .iter()
        .map(|_| {
            all.flatten().map(|span| Place {
                span,
                split: Some(split.clone()),
            })
        })
        .collect()
}

/// Source bytes the HTML search may pass over in all, per source byte:
/// a page whose nodes cannot be found stops being searched.
const BUDGET_PER_BYTE: usize = 4;
/// Runs of text a node may be looked for past when nothing the walk skips
/// (site chrome) lies between: the walk and the source go in step, so a
/// node further on is another one (a cell written twice on the page).
const NEAR_RUNS: usize = 8;

/// Finds the DOM's text nodes in the HTML source, in document order.
pub struct HtmlLocator<'a> {
    src: &'a str,
    pos: usize,
    budget: usize,
    /// The walk skipped a subtree since the last node found: its text
    /// lies between, however long.
    far: bool,
}

impl<'a> HtmlLocator<'a> {
    pub fn new(src: &'a str) -> Self {
        HtmlLocator {
            src,
            pos: 0,
            budget: src.len().saturating_mul(BUDGET_PER_BYTE),
            far: true,
        }
    }

    /// The walk skips a subtree (site chrome): its text is in the source.
    pub fn skipped(&mut self) {
        self.far = true;
    }

    /// The range of the text node `text` (whitespace trimmed): the first
    /// source run from the cursor that decodes to exactly it. A node made
    /// of several runs (text merged across a tag the parser dropped) is
    /// passed over, with no range.
    pub fn find(&mut self, text: &str) -> Option<Span> {
        if text.trim().is_empty() {
            return None;
        }
        let mut at = self.pos;
        let mut passed = 0;
        while self.budget > 0 {
            let (start, end) = next_run(self.src, at)?;
            self.budget = self.budget.saturating_sub(end.max(at + 1) - at);
            let raw = self.src.get(start..end)?;
            at = end.max(at + 1);
            if blank(raw) {
                continue;
            }
            if decodes_to(raw, text) {
                self.pos = end;
                self.far = false;
                return Span::of(self.src, raw);
            }
            if passed == 0
                && let Some(end) = self.merged(start, text)
            {
                self.pos = end;
                self.far = false;
                return None;
            }
            passed += 1;
            if passed > NEAR_RUNS && !self.far {
                return None;
            }
        }
        None
    }

    /// The end of the runs from `start` that together (tags between
    /// dropped) decode to `text`.
    fn merged(&self, start: usize, text: &str) -> Option<usize> {
        let mut want = text;
        let mut at = start;
        while !want.is_empty() {
            let (s, e) = next_run(self.src, at)?;
            let got = decoded(self.src.get(s..e)?);
            want = want
                .strip_prefix(got.as_str())
                .filter(|_| !got.is_empty())?;
            at = e;
        }
        Some(at)
    }
}

/// A run of whitespace only (`&nbsp;` counted), as the walk passes over.
fn blank(raw: &str) -> bool {
    raw.trim().is_empty() || (raw.contains('&') && chars(raw).all(char::is_whitespace))
}

/// A run's text as html5ever reads it: entities decoded, line ends made `\n`.
fn decoded(raw: &str) -> String {
    chars(raw).collect()
}

/// The characters of [`decoded`], one at a time (no allocation).
fn chars(raw: &str) -> impl Iterator<Item = char> + '_ {
    let mut rest = raw;
    let mut second = None;
    std::iter::from_fn(move || {
        if let Some(c) = second.take() {
            return Some(c);
        }
        let c = rest.chars().next()?;
        let (got, used) = match c {
            '&' => entity(rest).unwrap_or((['&', '\0'], 1)),
            '\r' => (['\n', '\0'], if rest.starts_with("\r\n") { 2 } else { 1 }),
            c => ([c, '\0'], c.len_utf8()),
        };
        rest = rest.get(used..).unwrap_or_default();
        second = Some(got[1]).filter(|g| *g != '\0');
        Some(got[0])
    })
}

/// Elements whose content is not markup: skipped to their end tag.
const RAW: [&str; 9] = [
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

/// The next run of text at or after `at`: `(start, end)`, markup skipped.
fn next_run(src: &str, mut at: usize) -> Option<(usize, usize)> {
    let b = src.as_bytes();
    loop {
        if at >= b.len() {
            return None;
        }
        if b[at] != b'<' {
            let end = memchr::memchr(b'<', &b[at..]).map_or(b.len(), |o| at + o);
            return Some((at, end));
        }
        at = after_markup(src, at);
    }
}

/// Past the markup that starts with the `<` at `at` (a `<` that starts
/// none is text, and only it is passed).
fn after_markup(src: &str, at: usize) -> usize {
    let b = src.as_bytes();
    let rest = &b[at..];
    // One byte is found with `memchr`: `memmem` would build its searcher
    // at every tag.
    let close = |from: usize, pat: &[u8]| {
        let hay = &b[from.min(b.len())..];
        let found = match pat {
            [one] => memchr::memchr(*one, hay),
            _ => memchr::memmem::find(hay, pat),
        };
        found.map_or(b.len(), |o| from + o + pat.len())
    };
    if rest.starts_with(b"<!--") {
        return close(at + 4, b"-->");
    }
    let tag = match rest.get(1) {
        Some(c) if c.is_ascii_alphabetic() => true,
        Some(b'/' | b'!' | b'?') => false,
        _ => return at + 1,
    };
    let end = close(at + 1, b">");
    if tag {
        let n = rest[1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let name = &rest[1..1 + n];
        if let Some(raw) = RAW.iter().find(|r| r.as_bytes().eq_ignore_ascii_case(name)) {
            // Its end tag, any case: `</` then the name.
            let closing = memchr::memmem::find_iter(b.get(end..).unwrap_or_default(), b"</")
                .map(|o| end + o)
                .find(|&i| {
                    b.get(i + 2..i + 2 + raw.len())
                        .is_some_and(|t| t.eq_ignore_ascii_case(raw.as_bytes()))
                });
            return closing.map_or(b.len(), |i| close(i, b">"));
        }
    }
    end
}

/// Whether the raw source `raw` reads as `text` once its entities are
/// decoded and its line ends normalised, as html5ever reads a text node.
fn decodes_to(raw: &str, text: &str) -> bool {
    if !raw.contains(['&', '\r']) {
        return raw == text;
    }
    chars(raw).eq(text.chars())
}

/// The character(s) of the entity at the start of `s` (`&amp;`, `&#20013;`,
/// `&#x4e2d;`, a legacy `&nbsp` without its semicolon) and its length.
fn entity(s: &str) -> Option<([char; 2], usize)> {
    let body = s.get(1..)?;
    if let Some(num) = body.strip_prefix('#') {
        let (hex, digits) = match num.strip_prefix(['x', 'X']) {
            Some(h) => (true, h),
            None => (false, num),
        };
        let n = digits
            .bytes()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        let v = u32::from_str_radix(digits.get(..n)?, if hex { 16 } else { 10 }).ok()?;
        let semi = usize::from(digits.as_bytes().get(n) == Some(&b';'));
        let ch = char::from_u32(v)
            .filter(|c| *c != '\0')
            .unwrap_or('\u{fffd}');
        return Some(([ch, '\0'], 2 + usize::from(hex) + n + semi));
    }
    let n = body
        .bytes()
        .take(32)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    let name = body.get(..n)?;
    let with_semi = body.as_bytes().get(n) == Some(&b';');
    let key = if with_semi { body.get(..n + 1)? } else { name };
    let &(a, b) = html5ever::data::NAMED_ENTITIES.get(key)?;
    let ch = |v: u32| char::from_u32(v).unwrap_or('\0');
    Some(([ch(a), ch(b)], 1 + key.len()))
}

/// The first occurrence of `needle` in `within`, at or after `*from`, that
/// is not inside a tag (HTML); moves `*from` past it.
pub fn locate(src: &str, within: Span, from: &mut usize, needle: &str, html: bool) -> Option<Span> {
    let r = within.range();
    let hay = src.get(r.clone())?;
    let mut at = (*from).max(r.start) - r.start;
    // A byte search, several times faster than `str::find`'s on long text,
    // finds the same places: a UTF-8 needle matches only at a character's
    // start.
    let finder = memchr::memmem::Finder::new(needle);
    while let Some(o) = hay.get(at..).and_then(|h| finder.find(h.as_bytes())) {
        let found = at + o;
        let before = hay.get(..found).unwrap_or_default();
        let in_tag = html && inside_tag(before.as_bytes());
        // A figure is found whole: `3` not inside `2013`.
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        let mut after = hay.get(found + needle.len()..).unwrap_or_default().chars();
        // A digit then `.` or `、` after it is the next label's number.
        let next = (after.next(), after.next());
        let cut = (digit(needle.chars().next()) && digit(before.chars().next_back()))
            || (digit(needle.chars().next_back())
                && digit(next.0)
                && !matches!(next.1, Some('.' | '、')));
        if !in_tag && !cut {
            *from = r.start + found + needle.len();
            return Span::new(r.start + found, r.start + found + needle.len());
        }
        at = found + needle.len().max(1);
    }
    None
}

/// Whether the end of `head` (HTML source) is inside a tag: its last `<`
/// stands after its last `>`.
fn inside_tag(head: &[u8]) -> bool {
    memchr::memrchr(b'<', head) > memchr::memrchr(b'>', head)
}

/// Where `from` plus `n` bytes of text ends: in HTML, markup between is
/// passed over without counting.
pub fn reach(src: &str, from: usize, n: usize, html: bool) -> usize {
    if !html {
        return src.floor_char_boundary(from.saturating_add(n));
    }
    let (mut at, mut left) = (from, n);
    while let Some((s, e)) = next_run(src, at) {
        if e - s >= left {
            return src.floor_char_boundary(s + left);
        }
        left -= e - s;
        at = e.max(s + 1);
    }
    src.len()
}

/// Start of each line of `text`, for 1-based line numbers of byte offsets.
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn of(text: &str) -> Lines {
        let mut v = vec![0];
        v.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines(v)
    }

    /// The 1-based line holding byte `at`.
    pub fn line(&self, at: usize) -> usize {
        self.0.partition_point(|&s| s <= at)
    }

    /// Where 1-based line `n` starts (`None` past the last line).
    pub fn start(&self, n: usize) -> Option<usize> {
        self.0.get(n.checked_sub(1)?).copied()
    }
}

/// The text of a range as the parser read it: for HTML, tags removed and
/// entities decoded; whitespace squashed.
pub fn source_text(src: &str, span: Span, html: bool) -> String {
    let raw = src.get(span.range()).unwrap_or_default();
    if !html || !raw.contains(['<', '&']) {
        return crate::blocks::squash_ws(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut at = 0;
    while let Some((s, e)) = next_run(raw, at) {
        out.push_str(&decoded(raw.get(s..e).unwrap_or_default()));
        at = e.max(s + 1);
    }
    crate::blocks::squash_ws(&out)
}

/// Where the values of one report's tables were read, typed: what the
/// review pages read cell by cell, and what [`json`] writes out. Built
/// from the mapping's origins, so only the places of values that are in
/// the tables (not `null`) are kept.
#[derive(Debug, Clone, Default)]
pub struct Places {
    tables: Vec<TablePlaces>,
}

/// One table's places.
#[derive(Debug, Clone)]
struct TablePlaces {
    spec: &'static TableSpec,
    /// In the order the mapping recorded them, which is the JSON's order.
    list: Vec<(Cell, Place)>,
    /// Indices into `list`, sorted by cell (stably: the last of a cell
    /// recorded twice is the one that holds, as in the JSON).
    order: Vec<u32>,
}

/// A cell by its indices in the template (`TableSpec::blocks`, the
/// block's `rows` and `columns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cell {
    pub block: usize,
    pub row: usize,
    pub column: usize,
}

impl Places {
    pub fn of(data: &[TableData]) -> Places {
        let tables = data
            .iter()
            .filter_map(|d| {
                let list = table_places(d);
                let mut order: Vec<u32> = (0..list.len() as u32).collect();
                order.sort_by_key(|&i| list[i as usize].0);
                (!list.is_empty()).then_some(TablePlaces {
                    spec: d.spec,
                    list,
                    order,
                })
            })
            .collect();
        Places { tables }
    }

    /// Where the value of `cell` in table `table` was read, if known.
    pub fn get(&self, table: TableKey, cell: Cell) -> Option<&Place> {
        let t = self.tables.iter().find(|t| t.spec.key == table)?;
        let end = t.order.partition_point(|&i| t.list[i as usize].0 <= cell);
        let &i = t.order.get(end.checked_sub(1)?)?;
        let (at, place) = &t.list[i as usize];
        (*at == cell).then_some(place)
    }
}

/// The places of a table's values that are in it, in the mapping's order.
fn table_places(d: &TableData) -> Vec<(Cell, Place)> {
    let spec = d.spec;
    let mut out = Vec::new();
    let mut split_rows = std::collections::HashMap::new();
    for p in &d.origins {
        let (Some(b), Some(Some(Some(vals)))) = (
            spec.blocks.get(p.block),
            d.rows.get(p.block).map(|r| r.get(p.row)),
        ) else {
            continue;
        };
        let (Some(_), Some(_), Some(Some(_))) = (
            b.rows.get(p.row),
            b.columns.get(p.column),
            vals.get(p.column),
        ) else {
            continue;
        };
        let place = match p.origin {
            Origin::Cell(span) => Some(Place { span, split: None }),
            Origin::Split { split, part } => {
                let places = split_rows
                    .entry(split)
                    .or_insert_with(|| d.splits.get(split).map(split_places).unwrap_or_default());
                places.get(part).cloned().flatten()
            }
        };
        let cell = Cell {
            block: p.block,
            row: p.row,
            column: p.column,
        };
        out.extend(place.map(|place| (cell, place)));
    }
    out
}

/// The `provenance` object: `tables`' shape, each value with a known
/// origin → `{line, start, end, text}` (and `split` for a split run).
pub fn json(places: &Places, text: &str, html: bool) -> Map<String, Value> {
    let lines = Lines::of(text);
    let mut out = Map::new();
    for t in &places.tables {
        let spec = t.spec;
        let mut table = Map::new();
        for (cell, Place { span, split }) in &t.list {
            let b = &spec.blocks[cell.block];
            let (row, col) = (&b.rows[cell.row], &b.columns[cell.column]);
            let mut o = json!({
                "line": lines.line(span.start as usize),
                "start": span.start,
                "end": span.end,
                "text": source_text(text, *span, html),
            });
            if let (Some(s), Value::Object(m)) = (split, &mut o) {
                m.insert("split".into(), Value::String(s.clone()));
            }
            let rows = if spec.nested {
                obj(&mut table, b.path())
            } else {
                &mut table
            };
            obj(rows, row.key.as_str()).insert(col.key.to_string(), o);
        }
        if !table.is_empty() {
            out.insert(spec.key.to_string(), Value::Object(table));
        }
    }
    out
}

fn obj<'m>(m: &'m mut Map<String, Value>, key: &str) -> &'m mut Map<String, Value> {
    if !m.contains_key(key) {
        m.insert(key.to_string(), Value::Object(Map::new()));
    }
    let Some(v) = m.get_mut(key) else {
        unreachable!("inserted above")
    };
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(m) => m,
        _ => unreachable!("made an object above"),
    }
}

/// Each fact's line: that of its figure in its paragraph's source range,
/// or of the paragraph where the figure is not found there as written.
/// Without the paragraph's range (HTML read without provenance), the line
/// where the figure and the words around it next occur in the page's body
/// as written, outside tags, after the facts before it. `None` for a fact
/// read from a table, or not found.
pub fn fact_lines(facts: &mut [Fact], stream: &Stream, blocks: &[Block], src: Source) {
    // In document order, so that one pass over the source finds them all.
    let mut order: Vec<usize> = (0..facts.len()).collect();
    order.sort_by_key(|&i| facts[i].figure.0);
    let mut lines = LineCounter::default();
    let mut cursor = if src.html { body(src.text) } else { 0 };
    for i in order {
        let f = &mut facts[i];
        let (a, b) = f.figure;
        let k = stream.starts.partition_point(|&(o, _)| o <= a);
        let Some(&(_, bi)) = k.checked_sub(1).and_then(|k| stream.starts.get(k)) else {
            continue;
        };
        let figure = stream.text.get(a..b).unwrap_or_default();
        let at = match (src.spans.get(bi), blocks.get(bi)) {
            (Some(Some(span)), _) => {
                let mut from = span.start as usize;
                let at = locate(src.text, *span, &mut from, figure, src.html).unwrap_or(*span);
                Some(at.start as usize)
            }
            (_, Some(Block::Para(p))) => next_in(src.text, &mut cursor, p, figure),
            _ => None,
        };
        f.line = at.map(|at| lines.line(src.text, at));
    }
}

/// Where the page's `<body` starts (0 without one): the head's title and
/// descriptions repeat the narrative's words.
fn body(src: &str) -> usize {
    let b = src.as_bytes();
    memchr::memmem::find_iter(b, b"<")
        .find(|&i| {
            b.get(i + 1..i + 5)
                .is_some_and(|t| t.eq_ignore_ascii_case(b"body"))
        })
        .unwrap_or(0)
}

/// The next place from `*cursor`, outside tags, of `figure` with up to six
/// characters before it and two after (no whitespace) from paragraph
/// `para`; moves the cursor past it.
fn next_in(src: &str, cursor: &mut usize, para: &str, figure: &str) -> Option<usize> {
    let at = para.find(figure)?;
    let word = |c: &char| !c.is_whitespace();
    let before = para.get(..at)?;
    let lead: usize = before
        .chars()
        .rev()
        .take(6)
        .take_while(word)
        .map(char::len_utf8)
        .sum();
    let after = para.get(at + figure.len()..)?;
    let tail: usize = after
        .chars()
        .take(2)
        .take_while(word)
        .map(char::len_utf8)
        .sum();
    let needle = para.get(at - lead..at + figure.len() + tail)?;
    let b = src.as_bytes();
    let hay = b.get(*cursor..)?;
    let found = memchr::memmem::find_iter(hay, needle.as_bytes())
        .map(|o| *cursor + o)
        .find(|&p| !inside_tag(&b[..p]))?;
    *cursor = found + needle.len();
    Some(found + lead)
}

/// 1-based lines of offsets asked for mostly in increasing order: the
/// newlines are counted once, from the last offset.
#[derive(Default)]
struct LineCounter {
    at: usize,
    line: usize,
}

impl LineCounter {
    fn line(&mut self, text: &str, at: usize) -> usize {
        if at < self.at {
            *self = LineCounter::default();
        }
        let part = text.as_bytes().get(self.at..at).unwrap_or_default();
        self.line += memchr::memchr_iter(b'\n', part).count();
        self.at = at;
        self.line + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_nodes_found_in_order_entities_decoded() {
        let src = "<html><head><title>26</title><script>var a='<td>26</td>';</script></head>\
                   <body><p class=\"26\">年度</p><table><tr><td>&nbsp;26&nbsp;</td><td>26</td>\
                   <td>&#20013;3</td></tr></table><!-- 26 --></body></html>";
        let mut loc = HtmlLocator::new(src);
        let p = loc.find("年度").expect("paragraph");
        assert_eq!(&src[p.start as usize..p.end as usize], "年度");
        let a = loc.find("\u{a0}26\u{a0}").expect("nbsp cell");
        assert_eq!(&src[a.start as usize..a.end as usize], "&nbsp;26&nbsp;");
        let b = loc.find("26").expect("plain cell");
        assert!(b.start > a.end, "after the first cell, not in the script");
        assert_eq!(&src[b.start as usize..b.end as usize], "26");
        let c = loc.find("中3").expect("numeric entity");
        assert_eq!(source_text(src, c, true), "中3");
        // Not in the source as a whole node: no range, and the cursor stays.
        assert_eq!(loc.find("263"), None);
        assert_eq!(loc.find("26"), None, "the comment is no text");
    }

    #[test]
    fn located_inside_a_range_never_inside_a_tag() {
        let src = "<p><span style=\"w:12\">规章</span> 12 3</p>";
        let within = Span::new(0, src.len()).expect("span");
        let mut from = 0;
        let s = locate(src, within, &mut from, "12", true).expect("found");
        assert_eq!(&src[s.start as usize..], " 12 3</p>".trim_start());
        assert_eq!(locate(src, within, &mut from, "12", true), None);
        let mut lines = LineCounter::default();
        assert_eq!(lines.line("a\nb\nc", 2), 2);
        assert_eq!(lines.line("a\nb\nc", 4), 3);
        assert_eq!(lines.line("a\nb\nc", 0), 1);
        let page = "<head><title>收到申请5件</title></head><body><p title=\"收到申请5件\">\n收到申请5件</p>";
        let mut cursor = body(page);
        assert_eq!(
            next_in(page, &mut cursor, "共收到申请5件。", "5"),
            None,
            "the words around it differ"
        );
        assert_eq!(
            next_in(page, &mut cursor, "收到申请5件", "5"),
            page.rfind('5')
        );
        assert_eq!(Lines::of("a\nb\nc").line(4), 3);
    }
}
