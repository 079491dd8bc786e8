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
    let lines = lines(text);
    let mut out = Spanned::default();
    // Cells beyond what the tokeniser reads (it flags the cut) would only
    // cost memory.
    let mut budget = crate::stream::MAX_TOKENS + 1;
    let mut i = 0;
    // The last table's shape and where it ended: a delimited line alone
    // right after a table of its kind (a row whose label was printed as a
    // heading first) is a row of it.
    let mut last: Option<(Origin, usize)> = None;
    while i < lines.len() && budget > 0 {
        let near = last.filter(|(_, end)| i <= end + 2).map(|(o, _)| o);
        if let Some((end, table)) = table_at(text, &lines, i, budget, near) {
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
        let s = squash_ws(lines[i]);
        if !s.is_empty() {
            budget -= 1;
            out.blocks.push(Block::Para(s));
            out.spans.push(Span::of(text, lines[i]));
        }
        i += 1;
    }
    out
}

/// The lines of `text` as [`str::lines`] cuts them (a final line without
/// `\n` keeps a trailing `\r`), found with `memchr`.
fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text.as_bytes()) {
        let line = text.get(start..nl).unwrap_or_default();
        out.push(line.strip_suffix('\r').unwrap_or(line));
        start = nl + 1;
    }
    if start < text.len() {
        out.push(text.get(start..).unwrap_or_default());
    }
    out
}

/// Whether `line` holds the ASCII `byte` (a cell delimiter): `memchr`, as
/// lines run to kilobytes when a table ran together.
fn has(line: &str, byte: u8) -> bool {
    memchr::memchr(byte, line.as_bytes()).is_some()
}

/// The table that starts at line `i`, if one does: the line after it and
/// the table.
fn table_at(
    base: &str,
    lines: &[&str],
    i: usize,
    budget: usize,
    near: Option<Origin>,
) -> Option<(usize, Table)> {
    let first = lines.get(i)?;
    // Most lines are prose holding no delimiter: one scan tells them, and
    // only a cell of a table in separator lines is left to look for.
    if memchr::memchr3(b'|', b'\t', b',', first.as_bytes()).is_none() {
        return starts_separated(lines, i).then(|| pipe_table(base, lines, i, budget));
    }
    if has(first, b'|') || starts_separated(lines, i) {
        return Some(pipe_table(base, lines, i, budget));
    }
    if has(first, b'\t') && !first.trim().is_empty() {
        return tab_table(base, lines, i, budget, near == Some(Origin::Tsv));
    }
    if has(first, b',') {
        return csv_table(base, lines, i, budget, near == Some(Origin::Csv));
    }
    None
}

/// A line of text with no pipe that a line holding only `|` follows: a cell
/// of a table in separator lines.
fn starts_separated(lines: &[&str], i: usize) -> bool {
    let line = lines.get(i).map_or("", |l| trim(l));
    lines.get(i + 1).is_some_and(|n| trim(n) == "|") && !line.is_empty() && !has(line, b'|')
}

/// An empty line between two lines holding only `|`: a blank cell of a
/// table in separator lines.
fn blank_cell(lines: &[&str], i: usize) -> bool {
    let lone = |k: usize| lines.get(k).is_some_and(|l| trim(l) == "|");
    lines.get(i).is_some_and(|l| trim(l).is_empty()) && i > 0 && lone(i - 1) && lone(i + 1)
}

/// The run of pipe lines (and separator-line cells) from `i`, read in the
/// shape most of its lines have.
fn pipe_table(base: &str, lines: &[&str], i: usize, budget: usize) -> (usize, Table) {
    let mut end = i;
    while end < lines.len()
        && (has(lines[end], b'|') || starts_separated(lines, end) || blank_cell(lines, end))
    {
        end += 1;
    }
    let run = &lines[i..end];
    let origin = pipe_origin(run);
    let mut rows = Vec::with_capacity(run.len());
    let mut left = budget;
    let mut parts = Vec::new();
    for (k, line) in run.iter().enumerate() {
        if left == 0 {
            break;
        }
        let row = match origin {
            Origin::Markdown if is_markdown_rule(line) => continue,
            Origin::Markdown => markdown_line(base, line, left),
            Origin::SepLines => {
                separated_line(base, line, k.checked_sub(1).map(|p| run[p]), &mut parts)
            }
            _ => split_line(base, line, left, &mut parts),
        };
        let row: Vec<Cell> = row.into_iter().take(left).collect();
        left -= row.len().min(left);
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

/// Which convention a run of pipe lines follows, from all its lines:
/// markdown, separator lines (most lines holding a cell have no pipe), or
/// pipe text (rows or one cell per line: told from the split lines).
fn pipe_origin(run: &[&str]) -> Origin {
    if run.iter().any(|l| is_markdown_rule(l)) {
        return Origin::Markdown;
    }
    let bare = run.iter().filter(|l| !has(l, b'|')).count();
    if bare == 0 {
        return Origin::PipeCells;
    }
    let texts = run
        .iter()
        .filter(|l| has(l, b'|') && pieces(l, usize::MAX).any(|p| !trim(p).is_empty()))
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

/// The cells of a markdown row: between its border pipes, every one a cell
/// (`|  |` is a blank cell).
fn markdown_line(base: &str, line: &str, max: usize) -> Vec<Cell> {
    let t = trim(line);
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    pieces(t, max).map(|c| Cell::at(base, c, false)).collect()
}

/// Split one pipe line into cells. A leading `|` before text is a border,
/// not a cell; nothing follows the final pipe. An empty cell is `pad` when
/// it is the gap between two adjacent pipes (`||`), or the space before a
/// run of them. `parts` is room for the line's pieces, kept from line to
/// line.
fn split_line<'a>(base: &str, line: &'a str, max: usize, parts: &mut Vec<&'a str>) -> Vec<Cell> {
    parts.clear();
    parts.extend(pieces(line, max.saturating_add(2)));
    let texts = parts.iter().skip(1).any(|p| !trim(p).is_empty());
    let skip = usize::from(parts.len() > 2 && trim(parts[0]).is_empty() && texts);
    let last = parts.len().saturating_sub(1);
    let mut cells = Vec::with_capacity(parts.len());
    for (i, raw) in parts.iter().enumerate().skip(skip).take(max) {
        let cell = Cell::at(base, raw, false);
        if i == last && cell.text.is_empty() {
            break; // nothing after the final pipe
        }
        // Padding: nothing between two pipes, or the space that leads into
        // a run of them (`0 | ||||||`).
        let run = trim(raw).is_empty() && parts.get(i + 1).is_some_and(|n| n.is_empty());
        let pad = i > skip && (raw.is_empty() || (run && i + 1 < last));
        cells.push(Cell { pad, ..cell });
    }
    cells
}

/// The first `limit` pieces of `line` between its pipes (as
/// `line.split('|')` cuts them), found with `memchr`.
fn pieces(line: &str, limit: usize) -> impl Iterator<Item = &str> + Clone {
    let mut start = 0;
    memchr::memchr_iter(b'|', line.as_bytes())
        .chain([line.len()])
        .map(move |end| {
            let piece = line.get(start..end).unwrap_or_default();
            start = end + 1;
            piece
        })
        .take(limit)
}

/// One line of a table in separator lines: a cell (an empty line is a
/// blank one), or a `|` that separates cells. A `|` with no cell before it
/// (another `|`, or the table's start) stands for a blank cell.
fn separated_line<'a>(
    base: &str,
    line: &'a str,
    prev: Option<&str>,
    parts: &mut Vec<&'a str>,
) -> Vec<Cell> {
    let t = trim(line);
    if !has(t, b'|') {
        return vec![Cell::at(base, t, false)];
    }
    if t.chars().all(|c| c == '|' || c.is_whitespace()) {
        let pipes = t.chars().filter(|&c| c == '|').count();
        let after_cell = prev.is_some_and(|p| !has(p, b'|'));
        let blanks = pipes - usize::from(after_cell);
        return (0..blanks).map(|_| Cell::new("", false)).collect();
    }
    split_line(base, t, usize::MAX - 2, parts)
}

/// Tab-separated rows from `i`: every field is a cell, an empty one a blank
/// cell (a line of tabs alone is a row of blanks). One line alone is a
/// table only after one, or when it holds a figure beside text.
fn tab_table(
    base: &str,
    lines: &[&str],
    i: usize,
    budget: usize,
    near: bool,
) -> Option<(usize, Table)> {
    let mut end = i;
    while end < lines.len() && has(lines[end], b'\t') {
        end += 1;
    }
    let rows: Vec<Vec<Cell>> = lines[i..end]
        .iter()
        .map(|l| {
            l.split('\t')
                .take(budget)
                .map(|f| Cell::at(base, f, false))
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
    row.iter().any(|c| {
        matches!(
            crate::value::classify(&c.text),
            crate::value::CellValue::Number { .. }
        )
    })
}

/// Comma-separated rows from `i`, held to the shape of a spreadsheet export
/// so that prose with half-width commas stays prose: lines of short fields
/// with no sentence end, and either two or more of them (one of three
/// fields or more, a figure or an empty field somewhere), or one that reads
/// as a row (a label, then figures or blanks) — alone after a heading, or
/// right after a table of its kind. Lines may differ in length (an export
/// may drop trailing empty fields).
fn csv_table(
    base: &str,
    lines: &[&str],
    i: usize,
    budget: usize,
    near: bool,
) -> Option<(usize, Table)> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut end = i;
    while let Some(line) = lines.get(end) {
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
                    span: Span::of(base, raw),
                    ..Cell::new(f, false)
                })
                .collect(),
        );
        end += 1;
    }
    let wide = rows.iter().any(|r| r.len() >= 3);
    // A figure, or an empty field (`,,`), which prose never has.
    let figure = rows
        .iter()
        .any(|r| has_figure(r) || r.iter().any(|c| c.text.is_empty()));
    let ok = match rows.as_slice() {
        [] => false,
        [row] => (near && wide && figure) || row_like(row),
        _ => wide && figure,
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
    matches!(classify(&label.text), CellValue::Text)
        && has_figure(rest)
        && rest.iter().all(|c| {
            matches!(
                classify(&c.text),
                CellValue::Number { .. } | CellValue::Placeholder | CellValue::Empty
            )
        })
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

    /// [`table_at`] without its prose prefilter: the rule it stands for.
    fn table_at_unfiltered(
        base: &str,
        lines: &[&str],
        i: usize,
        near: Option<Origin>,
    ) -> Option<(usize, Table)> {
        let first = lines.get(i)?;
        if has(first, b'|') || starts_separated(lines, i) {
            return Some(pipe_table(base, lines, i, usize::MAX));
        }
        if has(first, b'\t') && !first.trim().is_empty() {
            return tab_table(base, lines, i, usize::MAX, near == Some(Origin::Tsv));
        }
        if has(first, b',') {
            return csv_table(base, lines, i, usize::MAX, near == Some(Origin::Csv));
        }
        None
    }

    /// The prefilter finds every table the rule finds, at every line of
    /// the shared corpus's text (when it is there) and of texts that put
    /// each table shape after prose.
    #[test]
    fn the_prose_prefilter_skips_no_table() {
        let mut texts: Vec<String> = [
            "总体情况\n规章\n|\n26\n|\n|\n",
            "说明\n规章 |\n26 |\n|\n",
            "前言\n\t\n一\t2\n",
            "正文\n规章,0,1\n",
            "正文\n  \n|\n",
            "a\n|",
        ]
        .map(str::to_owned)
        .to_vec();
        texts.extend(crate::corpus_inputs::texts());
        for text in &texts {
            let lines = lines(text);
            for i in 0..lines.len() {
                for near in [None, Some(Origin::Tsv), Some(Origin::Csv)] {
                    let fast = table_at(text, &lines, i, usize::MAX, near);
                    assert_eq!(
                        fast,
                        table_at_unfiltered(text, &lines, i, near),
                        "{:?}",
                        lines[i]
                    );
                }
            }
        }
    }

    #[test]
    fn pieces_cut_as_split_does() {
        for line in [
            "",
            "|",
            "a",
            "a|",
            "|a",
            "||",
            "a | b |",
            "规章 | 0 ||||",
            "|一|二|",
        ] {
            for limit in [0, 1, 2, 3, usize::MAX] {
                let split: Vec<&str> = line.split('|').take(limit).collect();
                assert_eq!(pieces(line, limit).collect::<Vec<_>>(), split, "{line:?}");
            }
        }
    }

    #[test]
    fn lines_cut_as_str_lines_does() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb\n\nc\r",
            "\r\n\r",
            "x\r\r\ny\n\r",
        ] {
            assert_eq!(lines(text), text.lines().collect::<Vec<_>>(), "{text:?}");
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
