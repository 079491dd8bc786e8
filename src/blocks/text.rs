//! Flattened text → paragraphs and tables. A table keeps the shape its
//! source gave it ([`Origin`]): markdown (`| a | b |` with a `|---|` row),
//! tab- or comma-separated rows, pipe rows (`a | b |`), one cell per line
//! ending in `|` (the seed), or one cell per line with `|` lines between
//! (separator lines). The shape is told per table, from all its lines; lines
//! of none of these shapes are running text.

use super::{Block, Cell, Origin, Spanned, Table, squash_ws, trim};
use crate::provenance::Span;

pub fn blocks(text: &str) -> Vec<Block> {
    spanned(text).blocks
}

/// The blocks, every cell and paragraph with its range in `text`.
pub fn spanned(text: &str) -> Spanned {
    let cut = Cut::new(text);
    let mut out = Spanned::default();
    // Cells beyond what the tokeniser reads (it flags the cut) would only
    // cost memory.
    let mut budget = crate::stream::MAX_TOKENS + 1;
    let mut i = 0;
    // The last table's shape and where it ended: a delimited line alone
    // right after a table of its kind (a row whose label was printed as a
    // heading first) is a row of it.
    let mut last: Option<(Origin, usize)> = None;
    while i < cut.len() && budget > 0 {
        let near = last.filter(|(_, end)| i <= end + 2).map(|(o, _)| o);
        if let Some((end, table)) = table_at(&cut, i, budget, near) {
            let cells: usize = table.rows.iter().map(Vec::len).sum();
            budget -= cells.min(budget);
            last = Some((table.origin, end));
            if !table.rows.is_empty() {
                out.blocks.push(Block::Table(table));
                out.spans.push(None);
            }
            i = end.max(i + 1);
            continue;
        }
        let line = cut.text(i);
        let s = squash_ws(line);
        if !s.is_empty() {
            budget -= 1;
            out.blocks.push(Block::Para(s));
            out.spans.push(trimmed_span(line, cut.lines[i].start).1);
        }
        i += 1;
    }
    out
}

/// The text cut once: its lines (as [`str::lines`] cuts them: a final
/// line without `\n` keeps a trailing `\r`) and where each line's pipes
/// are, both found in one pass ([`each_stop`]). No step after it searches
/// a line for `|` again: whether a line has one, and its pieces between
/// them, are read from here.
struct Cut<'a> {
    base: &'a str,
    lines: Vec<Line>,
    /// The offset of every `|` in the text, in order.
    pipes: Vec<usize>,
}

/// A line of a [`Cut`]: its byte range, and its pipes as a range of
/// [`Cut::pipes`].
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    first_pipe: usize,
    past_pipe: usize,
}

impl<'a> Cut<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut cut = Cut {
            base: text,
            lines: Vec::new(),
            pipes: Vec::new(),
        };
        let mut start = 0;
        each_stop(bytes, |at| {
            if bytes[at] == b'|' {
                cut.pipes.push(at);
                return;
            }
            let end = if at > start && bytes[at - 1] == b'\r' {
                at - 1
            } else {
                at
            };
            cut.push(start, end);
            start = at + 1;
        });
        if start < text.len() {
            cut.push(start, text.len());
        }
        cut
    }

    /// A line from `start` to `end`: the pipes found since the last one.
    fn push(&mut self, start: usize, end: usize) {
        let first_pipe = self.lines.last().map_or(0, |l| l.past_pipe);
        self.lines.push(Line {
            start,
            end,
            first_pipe,
            past_pipe: self.pipes.len(),
        });
    }

    fn len(&self) -> usize {
        self.lines.len()
    }

    /// Line `i`, if there is one.
    fn line(&self, i: usize) -> Option<&'a str> {
        let l = self.lines.get(i)?;
        self.base.get(l.start..l.end)
    }

    /// Line `i`, or nothing past the last.
    fn text(&self, i: usize) -> &'a str {
        self.line(i).unwrap_or_default()
    }

    fn has_pipe(&self, i: usize) -> bool {
        self.lines
            .get(i)
            .is_some_and(|l| l.past_pipe > l.first_pipe)
    }

    /// The first `limit` pieces of line `i` between its pipes (as
    /// `line.split('|')` cuts them), each trimmed once, into `out` (room
    /// kept from line to line): read from the pipes' offsets, nothing
    /// searched again.
    fn pieces(&self, i: usize, limit: usize, out: &mut Vec<Piece<'a>>) {
        out.clear();
        let Some(l) = self.lines.get(i) else {
            return;
        };
        let pipes = self
            .pipes
            .get(l.first_pipe..l.past_pipe)
            .unwrap_or_default();
        let mut from = l.start;
        for &to in pipes {
            if out.len() + 1 >= limit {
                break;
            }
            out.push(Piece::new(
                self.base.get(from..to).unwrap_or_default(),
                from,
            ));
            from = to + 1;
        }
        if out.len() < limit {
            let to = pipes.get(out.len()).copied().unwrap_or(l.end);
            out.push(Piece::new(
                self.base.get(from..to).unwrap_or_default(),
                from,
            ));
        }
    }
}

/// Every `\n` and `|` of `bytes`, in order, to `f`. `memchr2` finds the
/// next stop; from there, blocks of 16 bytes are read at once while each
/// holds one: in table text a stop comes every few bytes, where a
/// `memchr2` call for each (its setup) would cost more than the search.
fn each_stop(bytes: &[u8], mut f: impl FnMut(usize)) {
    let mut from = 0;
    while let Some(found) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr2(b'\n', b'|', rest))
    {
        let mut at = from + found;
        while let Some(block) = bytes.get(at..).and_then(<[u8]>::first_chunk) {
            let mut marks = stop_marks(block);
            if marks == 0 {
                break;
            }
            while marks != 0 {
                let zeros = marks.trailing_zeros();
                f(at + zeros as usize / 8);
                marks &= !(0xFF << zeros);
            }
            at += 16;
        }
        if at + 16 > bytes.len() {
            // Fewer than a block left: byte by byte.
            let rest = bytes.get(at..).unwrap_or_default();
            for (k, _) in rest
                .iter()
                .enumerate()
                .filter(|(_, b)| matches!(b, b'\n' | b'|'))
            {
                f(at + k);
            }
            return;
        }
        from = at + 16;
    }
}

/// One byte per byte of `block`, all ones at a `\n` or `|` (as a vector
/// compare leaves it), read as one number: a stop's place is its mark's
/// trailing zeros over 8.
fn stop_marks(block: &[u8; 16]) -> u128 {
    let mut marks = [0u8; 16];
    for (mark, &b) in marks.iter_mut().zip(block) {
        *mark = 0u8.wrapping_sub(u8::from((b == b'\n') | (b == b'|')));
    }
    u128::from_le_bytes(marks)
}

/// `raw` without the blanks around it, and its range (`None` when blank),
/// `raw` being the slice of the decoded text from byte `start`: what
/// [`Span::of`] finds, from a position already known.
fn trimmed_span(raw: &str, start: usize) -> (&str, Option<Span>) {
    let body = trim(raw);
    let at = start + (body.as_ptr() as usize - raw.as_ptr() as usize);
    let span = if body.is_empty() {
        None
    } else {
        Span::new(at, at + body.len())
    };
    (body, span)
}

/// A piece of a line between its pipes (or a field, or a line), trimmed
/// once: its text without the blanks around it, that text's range, and
/// whether the piece was empty (two pipes side by side).
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    body: &'a str,
    span: Option<Span>,
    bare: bool,
}

impl<'a> Piece<'a> {
    /// `raw` is the slice of the decoded text from byte `start`.
    fn new(raw: &'a str, start: usize) -> Self {
        let (body, span) = trimmed_span(raw, start);
        Piece {
            body,
            span,
            bare: raw.is_empty(),
        }
    }

    fn blank(&self) -> bool {
        self.body.is_empty()
    }

    /// The piece as a cell. Squashing ignores the blanks around the text,
    /// and the range leaves them out: both read the trimmed piece.
    fn cell(&self) -> Cell {
        Cell {
            span: self.span,
            ..Cell::new(squash_ws(self.body), false)
        }
    }
}

/// The table that starts at line `i`, if one does: the line after it and
/// the table.
fn table_at(cut: &Cut, i: usize, budget: usize, near: Option<Origin>) -> Option<(usize, Table)> {
    let first = cut.line(i)?;
    let pipe = cut.has_pipe(i);
    // Most lines are prose holding no delimiter: one scan tells them, and
    // only a cell of a table in separator lines is left to look for.
    if !pipe && memchr::memchr2(b'\t', b',', first.as_bytes()).is_none() {
        return starts_separated(cut, i).then(|| pipe_table(cut, i, budget));
    }
    if pipe || starts_separated(cut, i) {
        return Some(pipe_table(cut, i, budget));
    }
    if has(first, b'\t') && !first.trim().is_empty() {
        return tab_table(cut, i, budget, near == Some(Origin::Tsv));
    }
    if has(first, b',') {
        return csv_table(cut, i, budget, near == Some(Origin::Csv));
    }
    None
}

/// Whether `line` holds the ASCII `byte` (a cell delimiter): `memchr`, as
/// lines run to kilobytes when a table ran together.
fn has(line: &str, byte: u8) -> bool {
    memchr::memchr(byte, line.as_bytes()).is_some()
}

/// Whether line `i` holds only `|` (and blanks).
fn lone_pipe(cut: &Cut, i: usize) -> bool {
    cut.lines
        .get(i)
        .is_some_and(|l| l.past_pipe == l.first_pipe + 1 && trim(cut.text(i)) == "|")
}

/// A line of text with no pipe that a line holding only `|` follows: a cell
/// of a table in separator lines.
fn starts_separated(cut: &Cut, i: usize) -> bool {
    lone_pipe(cut, i + 1) && !cut.has_pipe(i) && cut.line(i).is_some_and(|l| !trim(l).is_empty())
}

/// An empty line between two lines holding only `|`: a blank cell of a
/// table in separator lines.
fn blank_cell(cut: &Cut, i: usize) -> bool {
    cut.line(i).is_some_and(|l| trim(l).is_empty())
        && i > 0
        && lone_pipe(cut, i - 1)
        && lone_pipe(cut, i + 1)
}

/// The run of pipe lines (and separator-line cells) from `i`, read in the
/// shape most of its lines have.
fn pipe_table(cut: &Cut, i: usize, budget: usize) -> (usize, Table) {
    let mut end = i;
    while end < cut.len()
        && (cut.has_pipe(end) || starts_separated(cut, end) || blank_cell(cut, end))
    {
        end += 1;
    }
    let origin = pipe_origin(cut, i, end);
    let mut rows = Vec::with_capacity(end - i);
    let mut left = budget;
    let mut parts = Vec::new();
    for k in i..end {
        if left == 0 {
            break;
        }
        let mut row = match origin {
            Origin::Markdown if is_markdown_rule(cut.text(k)) => continue,
            Origin::Markdown => markdown_line(cut, k, left, &mut parts),
            Origin::SepLines => separated_line(cut, k, k > i && !cut.has_pipe(k - 1), &mut parts),
            _ => {
                cut.pieces(k, left.saturating_add(2), &mut parts);
                split_line(&parts, left)
            }
        };
        row.truncate(left);
        left -= row.len();
        if !row.is_empty() {
            rows.push(row);
        }
    }
    let origin = match origin {
        // Pipe rows or one cell per line: what most of its lines hold.
        Origin::PipeCells => {
            let texts = |r: &Vec<Cell>| r.iter().filter(|c| !c.text.is_empty()).count();
            let several = rows.iter().filter(|r| texts(r) > 1).count();
            let one = rows.iter().filter(|r| texts(r) == 1).count();
            if several > one {
                Origin::PipeRows
            } else {
                Origin::PipeCells
            }
        }
        o => o,
    };
    (end, Table { origin, rows })
}

/// Which convention the run of pipe lines from `i` to `end` follows, from
/// all its lines: markdown, separator lines (most lines holding a cell
/// have no pipe), or pipe text (rows or one cell per line: told from the
/// split lines).
fn pipe_origin(cut: &Cut, i: usize, end: usize) -> Origin {
    if (i..end).any(|k| cut.has_pipe(k) && is_markdown_rule(cut.text(k))) {
        return Origin::Markdown;
    }
    let bare = (i..end).filter(|&k| !cut.has_pipe(k)).count();
    if bare == 0 {
        return Origin::PipeCells;
    }
    let mut parts = Vec::new();
    let texts = (i..end)
        .filter(|&k| {
            cut.has_pipe(k) && {
                cut.pieces(k, usize::MAX, &mut parts);
                parts.iter().any(|p| !p.blank())
            }
        })
        .count();
    if bare >= texts {
        Origin::SepLines
    } else {
        Origin::PipeCells
    }
}

/// `|---|:---:|`: the line under a markdown header row.
fn is_markdown_rule(line: &str) -> bool {
    let t = trim(line);
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The cells of markdown row `k`: between its border pipes (a blank
/// piece before the first pipe, and one after the last that is not the
/// first), every one a cell (`|  |` is a blank cell).
fn markdown_line<'a>(cut: &Cut<'a>, k: usize, max: usize, parts: &mut Vec<Piece<'a>>) -> Vec<Cell> {
    cut.pieces(k, usize::MAX, parts);
    let lo = usize::from(parts.len() > 1 && parts.first().is_some_and(Piece::blank));
    let mut hi = parts.len();
    if hi - lo > 1 && parts.last().is_some_and(Piece::blank) {
        hi -= 1;
    }
    let inner = parts.get(lo..hi).unwrap_or_default();
    inner.iter().take(max).map(Piece::cell).collect()
}

/// Split one pipe line, cut into `parts`, into cells. A leading `|` before
/// text is a border, not a cell; nothing follows the final pipe. An empty
/// cell is `pad` when it is the gap between two adjacent pipes (`||`), or
/// the space before a run of them.
fn split_line(parts: &[Piece], max: usize) -> Vec<Cell> {
    let texts = parts.iter().skip(1).any(|p| !p.blank());
    let skip = usize::from(parts.len() > 2 && parts.first().is_some_and(Piece::blank) && texts);
    let last = parts.len().saturating_sub(1);
    let mut cells = Vec::with_capacity(parts.len());
    for (i, piece) in parts.iter().enumerate().skip(skip).take(max) {
        let cell = piece.cell();
        if i == last && cell.text.is_empty() {
            break; // nothing after the final pipe
        }
        // Padding: nothing between two pipes, or the space that leads into
        // a run of them (`0 | ||||||`).
        let run = piece.blank() && parts.get(i + 1).is_some_and(|n| n.bare);
        let pad = i > skip && (piece.bare || (run && i + 1 < last));
        cells.push(Cell { pad, ..cell });
    }
    cells
}

/// Line `k` of a table in separator lines: a cell (an empty line is a
/// blank one), or a `|` that separates cells. A `|` with no cell before it
/// (another `|`, or the table's start) stands for a blank cell.
/// `after_cell`: the line before is a cell (has no pipe).
fn separated_line<'a>(
    cut: &Cut<'a>,
    k: usize,
    after_cell: bool,
    parts: &mut Vec<Piece<'a>>,
) -> Vec<Cell> {
    let line = cut.text(k);
    if !cut.has_pipe(k) {
        return vec![Piece::new(line, cut.lines[k].start).cell()];
    }
    if line.chars().all(|c| c == '|' || c.is_whitespace()) {
        let pipes = line.chars().filter(|&c| c == '|').count();
        let blanks = pipes - usize::from(after_cell);
        return (0..blanks).map(|_| Cell::new("", false)).collect();
    }
    // The blanks around the line change no cell: each cell is trimmed.
    cut.pieces(k, usize::MAX, parts);
    split_line(parts, usize::MAX - 2)
}

/// Tab-separated rows from `i`: every field is a cell, an empty one a blank
/// cell (a line of tabs alone is a row of blanks). One line alone is a
/// table only after one, or when it holds a figure beside text.
fn tab_table(cut: &Cut, i: usize, budget: usize, near: bool) -> Option<(usize, Table)> {
    let mut end = i;
    while end < cut.len() && has(cut.text(end), b'\t') {
        end += 1;
    }
    let rows: Vec<Vec<Cell>> = (i..end)
        .map(|k| {
            let mut at = cut.lines[k].start;
            cut.text(k)
                .split('\t')
                .take(budget)
                .map(|f| {
                    let cell = Piece::new(f, at).cell();
                    at += f.len() + 1;
                    cell
                })
                .collect()
        })
        .collect();
    let filled = |r: &Vec<Cell>| r.iter().filter(|c| !c.text.is_empty()).count();
    let alone_ok = rows
        .first()
        .is_some_and(|r| has_figure(r) && (near || filled(r) >= 2));
    (rows.len() >= 2 || alone_ok).then_some((
        end,
        Table {
            origin: Origin::Tsv,
            rows,
        },
    ))
}

fn has_figure(row: &[Cell]) -> bool {
    row.iter()
        .any(|c| is_figure(&crate::value::classify(&c.text)))
}

/// A field read as a figure: what [`has_figure`] and [`row_like`] look for.
fn is_figure(v: &crate::value::CellValue) -> bool {
    matches!(v, crate::value::CellValue::Number { .. })
}

/// Comma-separated rows from `i`, held to the shape of a spreadsheet export
/// so that prose with half-width commas stays prose: lines of short fields
/// with no sentence end, and either two or more of them (one of three
/// fields or more, a figure or an empty field somewhere), or one that reads
/// as a row (a label, then figures or blanks) — alone after a heading, or
/// right after a table of its kind. Lines may differ in length (an export
/// may drop trailing empty fields).
fn csv_table(cut: &Cut, i: usize, budget: usize, near: bool) -> Option<(usize, Table)> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut end = i;
    while let Some(line) = cut.line(end) {
        // A sentence end first: prose need not be split into fields.
        if line.contains('。') {
            break;
        }
        let Some(fields) = csv_fields(line) else {
            break;
        };
        if fields.iter().any(|(f, _)| f.chars().count() > 80) {
            break;
        }
        rows.push(
            fields
                .into_iter()
                .take(budget)
                .map(|(f, raw)| Cell {
                    span: Span::of(cut.base, raw),
                    ..Cell::new(f, false)
                })
                .collect(),
        );
        end += 1;
    }
    let wide = rows.iter().any(|r| r.len() >= 3);
    // A figure, or an empty field (`,,`), which prose never has: looked
    // for (each field classified) only when the shape leaves it open.
    let figure = || {
        rows.iter()
            .any(|r| has_figure(r) || r.iter().any(|c| c.text.is_empty()))
    };
    let ok = match rows.as_slice() {
        [] => false,
        [row] => (near && wide && figure()) || row_like(row),
        _ => wide && figure(),
    };
    ok.then_some((
        end,
        Table {
            origin: Origin::Csv,
            rows,
        },
    ))
}

/// A label, then only figures, placeholders or blanks, one figure at least.
fn row_like(row: &[Cell]) -> bool {
    use crate::value::{CellValue, classify};
    let Some((label, rest)) = row.split_first() else {
        return false;
    };
    // Each field classified once: all of them allowed, one a figure.
    let mut figure = false;
    matches!(classify(&label.text), CellValue::Text)
        && rest.iter().all(|c| match classify(&c.text) {
            v if is_figure(&v) => {
                figure = true;
                true
            }
            CellValue::Placeholder | CellValue::Empty => true,
            _ => false,
        })
        && figure
}

/// The fields of a CSV line (`"a, b",1,2`), each with its slice of the
/// line (quotes included); `None` for a line without an unquoted comma or
/// with an unclosed quote.
fn csv_fields(line: &str) -> Option<Vec<(String, &str)>> {
    if has(line, b'|') || has(line, b'\t') {
        return None;
    }
    let line = line.trim();
    let mut fields = vec![(String::new(), 0)];
    let mut quoted = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let cur = &mut fields.last_mut()?.0;
        match c {
            '"' if quoted && chars.peek().map(|p| p.1) == Some('"') => {
                cur.push('"');
                chars.next();
            }
            '"' if cur.trim().is_empty() || quoted => quoted = !quoted,
            ',' if !quoted => fields.push((String::new(), i + 1)),
            c => cur.push(c),
        }
    }
    if quoted || fields.len() < 2 {
        return None;
    }
    let ends: Vec<usize> = fields
        .iter()
        .skip(1)
        .map(|f| f.1 - 1)
        .chain([line.len()])
        .collect();
    Some(
        fields
            .iter()
            .zip(ends)
            .map(|((f, start), end)| (squash_ws(f), line.get(*start..end).unwrap_or_default()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        blocks(text)
            .into_iter()
            .find_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Para(_) => None,
            })
            .unwrap_or_else(|| panic!("no table in {text:?}"))
    }

    fn texts(row: &[Cell]) -> Vec<&str> {
        row.iter().map(|c| c.text.as_str()).collect()
    }

    /// `texts`, then every text input of both corpora (when they are there).
    fn and_the_corpora(texts: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        out.extend(crate::corpus_inputs::texts());
        out
    }

    /// [`table_at`] without its prose prefilter: the rule it stands for.
    fn table_at_unfiltered(cut: &Cut, i: usize, near: Option<Origin>) -> Option<(usize, Table)> {
        let first = cut.line(i)?;
        if has(first, b'|') || starts_separated(cut, i) {
            return Some(pipe_table(cut, i, usize::MAX));
        }
        if has(first, b'\t') && !first.trim().is_empty() {
            return tab_table(cut, i, usize::MAX, near == Some(Origin::Tsv));
        }
        if has(first, b',') {
            return csv_table(cut, i, usize::MAX, near == Some(Origin::Csv));
        }
        None
    }

    /// The prefilter finds every table the rule finds, at every line of
    /// the shared corpus's text (when it is there) and of texts that put
    /// each table shape after prose.
    #[test]
    fn the_prose_prefilter_skips_no_table() {
        let texts = and_the_corpora(&[
            "总体情况\n规章\n|\n26\n|\n|\n",
            "说明\n规章 |\n26 |\n|\n",
            "前言\n\t\n一\t2\n",
            "正文\n规章,0,1\n",
            "正文\n  \n|\n",
            "a\n|",
        ]);
        for text in &texts {
            let cut = Cut::new(text);
            for i in 0..cut.len() {
                for near in [None, Some(Origin::Tsv), Some(Origin::Csv)] {
                    let fast = table_at(&cut, i, usize::MAX, near);
                    assert_eq!(
                        fast,
                        table_at_unfiltered(&cut, i, near),
                        "{:?}",
                        cut.text(i)
                    );
                }
            }
        }
    }

    /// A lone comma line reads as a row only with a figure after its
    /// label: placeholders and blanks alone are not one.
    #[test]
    fn a_row_has_a_figure() {
        let row = |line: &str| {
            let fields = csv_fields(line).unwrap_or_default();
            let cells: Vec<Cell> = fields
                .into_iter()
                .map(|(f, _)| Cell::new(f, false))
                .collect();
            row_like(&cells)
        };
        assert!(row("其他,-,3"));
        assert!(row("其他,,3"));
        assert!(!row("其他,-,"));
        assert!(!row("其他,,"));
        assert!(!row("其他,-,-"));
    }

    /// The cut's lines are [`str::lines`]', its pieces `split('|')`'s
    /// trimmed, each with its range, whatever the limit.
    #[test]
    fn the_cut_is_lines_and_split() {
        // Stops at every place of a block, runs of blocks with and
        // without one, and a text ending right after a block.
        let long = format!(
            "{}\n{}|{}",
            "规章 | 0 |\r\n".repeat(9),
            "一".repeat(40),
            "a".repeat(31)
        );
        let texts = and_the_corpora(&[
            &long,
            &long[..long.len() - 15],
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb\n\nc\r",
            "\r\n\r",
            "x\r\r\ny\n\r",
            "|",
            "a|",
            "|a",
            "||",
            "a | b |\r\n规章 | 0 ||||\n|一|二|\r|\n|\r",
        ]);
        let mut parts = Vec::new();
        for text in &texts {
            let cut = Cut::new(text);
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(
                (0..cut.len()).map(|i| cut.text(i)).collect::<Vec<_>>(),
                lines
            );
            for (i, line) in lines.iter().enumerate() {
                assert_eq!(cut.has_pipe(i), line.contains('|'), "{line:?}");
                for limit in [0, 1, 2, 3, usize::MAX] {
                    cut.pieces(i, limit, &mut parts);
                    let split: Vec<&str> = line.split('|').take(limit).collect();
                    assert_eq!(parts.len(), split.len(), "{line:?}");
                    for (piece, p) in parts.iter().zip(split) {
                        assert_eq!(piece.body, p.trim(), "{line:?}");
                        assert_eq!(piece.bare, p.is_empty(), "{line:?}");
                        assert_eq!(piece.span, Span::of(text, p), "{p:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn padding_run_is_pad() {
        let t = table("规章 |\n0 | ||||||\n");
        assert_eq!(t.origin, Origin::PipeCells);
        let row = &t.rows[1];
        assert_eq!(row.len(), 7);
        assert!(row[1].pad, "the space before a run of pipes leads into it");
        assert!(row[2].pad && row[6].pad);
        let t = table("规章 | | 0 |\n");
        assert!(!t.rows[0][1].pad, "a blank between spaces is a real cell");
    }

    #[test]
    fn lines_without_pipes_are_paragraphs() {
        let b = blocks("二、主动公开政府信息情况\n规章 | 0 | 0 | 0 |\n三、收到");
        assert_eq!(b.len(), 3);
        assert_eq!(b[0], Block::Para("二、主动公开政府信息情况".into()));
        let Block::Table(t) = &b[1] else {
            panic!("no table")
        };
        assert_eq!(t.rows[0].len(), 4);
    }

    #[test]
    fn markdown_borders_and_rules() {
        let t = table("| 类别 | 数据1 | 总计 |\n|---|:---:|---|\n| 规章 |  | 3 |\n");
        assert_eq!(t.origin, Origin::Markdown);
        assert_eq!(t.rows.len(), 2, "the rule row is not a row");
        assert_eq!(texts(&t.rows[1]), ["规章", "", "3"]);
        assert!(!t.rows[1][1].pad);
    }

    #[test]
    fn a_leading_pipe_before_text_is_a_border() {
        let t = table("| 第二十条  第(一)项 | |||\n| 规章 | 0 | 0 | 0 |\n");
        assert_eq!(texts(&t.rows[1]), ["规章", "0", "0", "0"]);
        assert_eq!(t.rows[0].len(), 4);
    }

    #[test]
    fn tabs_keep_their_blank_fields() {
        let t = table(
            "一、本年新收政府信息公开申请数量\t26\t\t\t\t\t\t26\n二、上年结转\t0\t0\t0\t0\t0\t0\t0\n",
        );
        assert_eq!(t.origin, Origin::Tsv);
        assert_eq!(t.rows[0].len(), 8);
        assert_eq!(t.rows[0][7].text, "26");
        // A line of prose with a tab stays prose.
        assert!(matches!(blocks("联系电话\t见下文")[0], Block::Para(_)));
    }

    #[test]
    fn comma_rows_and_prose_with_commas() {
        let t = table("规章,0,1,2\n\"(二)部分公开(区分处理的,只计这一情形)\",3,,3\n");
        assert_eq!(t.origin, Origin::Csv);
        assert_eq!(
            texts(&t.rows[1]),
            ["(二)部分公开(区分处理的,只计这一情形)", "3", "", "3"]
        );
        let prose = "2019年,我局未收到申请,也无复议,诉讼。\n如有疑问,请联系,电话1234。\n";
        assert!(blocks(prose).iter().all(|b| matches!(b, Block::Para(_))));
    }

    #[test]
    fn separator_lines_against_the_seed_convention() {
        // Each cell line followed by `|`: the pipe separates, `|` after `|`
        // is a blank cell.
        let t = table("规章\n|\n26\n|\n|\n|\n3\n|\n");
        assert_eq!(t.origin, Origin::SepLines);
        let cells: Vec<&str> = t.rows.iter().flatten().map(|c| c.text.as_str()).collect();
        assert_eq!(cells, ["规章", "26", "", "", "3"]);
        // The seed's convention: `cell |` lines, a lone `|` is a blank cell.
        let t = table("规章 |\n26 |\n|\n|\n3 |\n");
        assert_eq!(t.origin, Origin::PipeCells);
        let cells: Vec<&str> = t.rows.iter().flatten().map(|c| c.text.as_str()).collect();
        assert_eq!(cells, ["规章", "26", "", "", "3"]);
    }
}
