//! Layouts that keep cell positions, written from the table laid out on its
//! grid: markdown tables as PDF-to-markdown converters write them, and tab-
//! or comma-separated rows. A merged cell leaves empty cells where it spans,
//! as both write it; a blank value is an empty cell too.

use super::{Cell, MdHead, Model, Row, RowTag, Table};

/// One grid position of a table row.
#[derive(Debug, Clone, Copy)]
enum Slot<'a> {
    Cell(&'a Cell),
    /// Covered by a cell to the left or above.
    Span,
}

impl Slot<'_> {
    fn text(&self) -> &str {
        match self {
            Slot::Cell(c) => &c.text,
            Slot::Span => "",
        }
    }
}

/// A cell spanning rows below the one it starts in.
struct Active<'a> {
    cell: &'a Cell,
    col: usize,
    rows_left: usize,
    /// Started in a header row (else beside data rows).
    header: bool,
}

/// The cell above that covers column `col` of a row (a header row only
/// sees cells started in header rows).
fn covering<'a>(active: &[Active<'a>], header: bool, col: usize) -> Option<&'a Cell> {
    active
        .iter()
        .find(|a| (!header || a.header) && (a.col..a.col + a.cell.colspan).contains(&col))
        .map(|a| a.cell)
}

/// Each row of `rows` laid out on the grid as a browser would (`None` for
/// headings and page furniture, which are no table rows). Rows keep their
/// own length: a row that lost a cell is short. Two choices a browser does
/// not make, for rows damage or page breaks put inside a table: a header
/// row printed again spans the full width (row-group cells beside the data
/// rows pause under it), and a group label printed again after a page
/// break takes its own column back.
fn lay_out(rows: &[Row]) -> Vec<Option<Vec<Slot<'_>>>> {
    let mut active: Vec<Active> = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if !matches!(row.tag, RowTag::Header | RowTag::Data(_)) {
            out.push(None);
            continue;
        }
        let header = row.tag == RowTag::Header;
        let mut slots: Vec<Slot> = Vec::new();
        let mut started = Vec::new();
        for cell in &row.cells {
            let mut again = false;
            while let Some(above) = covering(&active, header, slots.len()) {
                if !cell.value && !cell.text.is_empty() && above.text == cell.text {
                    again = true;
                    break;
                }
                slots.push(Slot::Span);
            }
            let col = slots.len();
            slots.push(Slot::Cell(cell));
            if again {
                continue;
            }
            slots.extend(std::iter::repeat_n(
                Slot::Span,
                cell.colspan.saturating_sub(1),
            ));
            if cell.rowspan > 1 {
                started.push(Active {
                    cell,
                    col,
                    rows_left: cell.rowspan - 1,
                    header,
                });
            }
        }
        while covering(&active, header, slots.len()).is_some() {
            slots.push(Slot::Span);
        }
        for a in active.iter_mut().filter(|a| !header || a.header) {
            a.rows_left -= 1;
        }
        active.retain(|a| a.rows_left > 0);
        active.extend(started);
        out.push(Some(slots));
    }
    out
}

/// Tab- or comma-separated lines of a table; headings and page furniture
/// are lines of their own. With `trim`, the empty fields a merged cell
/// leaves at the end of a row are left out (a blank value stays).
pub(super) fn delimited(t: &Table, sep: char, trim: bool) -> Vec<String> {
    lay_out(&t.rows)
        .into_iter()
        .zip(&t.rows)
        .map(|(slots, row)| match slots {
            None => row.cells.iter().map(|c| c.text.as_str()).collect(),
            Some(mut slots) => {
                while trim && matches!(slots.last(), Some(Slot::Span)) {
                    slots.pop();
                }
                let fields: Vec<String> = slots.iter().map(|s| field(s.text(), sep)).collect();
                fields.join(&sep.to_string())
            }
        })
        .collect()
}

/// A CSV field is quoted when it holds the separator or a quote.
fn field(text: &str, sep: char) -> String {
    if sep == ',' && (text.contains(',') || text.contains('"')) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The report as a PDF-to-markdown converter writes it: `#` headings,
/// paragraphs, and each table cut into markdown tables where headings or
/// page furniture stand between its rows, every part headed as the layout
/// says and followed by its `|---|` row.
pub(super) fn markdown(m: &Model) -> String {
    let mut out = vec![format!("# {}", m.title), String::new()];
    for s in &m.sections {
        if let Some(h) = &s.heading {
            out.extend([format!("## {h}"), String::new()]);
        }
        for p in &s.paras {
            out.extend([p.clone(), String::new()]);
        }
        if let Some(t) = &s.table {
            md_table(&mut out, t, m.options.shapes.md_head);
        }
    }
    out.join("\n")
}

fn md_table(out: &mut Vec<String>, t: &Table, head: MdHead) {
    let grid = lay_out(&t.rows);
    let width = grid.iter().flatten().next().map_or(0, Vec::len);
    let placeholder = placeholder(t, &grid, width);
    let mut part: Vec<Vec<&str>> = Vec::new();
    for (slots, row) in grid.iter().zip(&t.rows) {
        let Some(slots) = slots else {
            md_part(out, std::mem::take(&mut part), head, &placeholder);
            let text: String = row.cells.iter().map(|c| c.text.as_str()).collect();
            out.extend([
                match row.tag {
                    RowTag::Heading => format!("### {text}"),
                    _ => text,
                },
                String::new(),
            ]);
            continue;
        };
        part.push(slots.iter().map(Slot::text).collect());
    }
    md_part(out, part, head, &placeholder);
}

fn md_part(out: &mut Vec<String>, rows: Vec<Vec<&str>>, head: MdHead, placeholder: &[String]) {
    if rows.is_empty() {
        return;
    }
    let line = |cells: &[&str]| format!("| {} |", cells.join(" | "));
    let (first, body) = match head {
        MdHead::FirstRow => (rows[0].clone(), &rows[1..]),
        MdHead::Placeholder => (placeholder.iter().map(String::as_str).collect(), &rows[..]),
        MdHead::Empty => (vec![""; placeholder.len()], &rows[..]),
    };
    out.push(line(&first));
    out.push(format!("|{}", "---|".repeat(first.len())));
    out.extend(body.iter().map(|r| line(r)));
    out.push(String::new());
}

/// Placeholder column names (`类别 | 数据1 | … | 数据6 | 总计`): 类别 over the
/// label columns, 总计 where the header says 总计 or 合计, 数据k elsewhere.
fn placeholder(t: &Table, grid: &[Option<Vec<Slot>>], width: usize) -> Vec<String> {
    let labels = grid
        .iter()
        .zip(&t.rows)
        .find(|(_, r)| matches!(r.tag, RowTag::Data(_)))
        .and_then(|(slots, _)| {
            slots
                .as_ref()?
                .iter()
                .position(|s| matches!(s, Slot::Cell(c) if c.value))
        })
        .unwrap_or(0);
    let total = |col: usize| {
        grid.iter().zip(&t.rows).any(|(slots, r)| {
            r.tag == RowTag::Header
                && slots.as_ref().and_then(|s| s.get(col)).is_some_and(|s| {
                    let w: String = s.text().split_whitespace().collect();
                    w == "总计" || w == "合计"
                })
        })
    };
    let mut k = 0;
    (0..width)
        .map(|col| match col {
            0 if labels > 0 => "类别".to_string(),
            c if c < labels => String::new(),
            c if total(c) => "总计".to_string(),
            _ => {
                k += 1;
                format!("数据{k}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{Encoding, Format, Headings, Layouts, Options, Rng, TextStyle};
    use crate::template::TemplateId;

    /// A 2021 report in `style` with `shapes` set by `f`, no spelling variants.
    fn report(style: TextStyle, f: impl Fn(&mut Options)) -> String {
        let mut o = Options::plain(TemplateId::Y2021, Format::Text(style), Encoding::Utf8);
        f(&mut o);
        let m = crate::synth::generate_with(&mut Rng::new(3), o);
        crate::synth::render::render(&m)
    }

    #[test]
    fn markdown_has_border_pipes_separator_rows_and_label_spans() {
        let md = report(TextStyle::Markdown, |_| {});
        // The first row of section 三 heads its table, then the `|---|` row.
        let head = md
            .lines()
            .position(|l| l.starts_with("| （本列数据"))
            .expect("section 三 table");
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines[head + 1], format!("|{}", "---|".repeat(10)));
        // 申请人情况 spans seven columns: six empty cells after it.
        assert!(
            lines[head].ends_with("| 申请人情况 |  |  |  |  |  |  |"),
            "{}",
            lines[head]
        );
        // A first-level row spans the three label columns; a row under
        // 三、本年度办理结果 leaves the group's column empty after its first.
        let row = |start: &str| {
            lines
                .iter()
                .find(|l| l.starts_with(start))
                .unwrap_or_else(|| panic!("{start}"))
                .split(" | ")
                .count()
        };
        assert_eq!(row("| 一、本年新收政府信息公开申请数量 |  |  | "), 10);
        assert_eq!(row("| 三、本年度办理结果 | （一）予以公开 |  | "), 10);
        assert_eq!(row("|  | （二）部分公开 |  | "), 10);
        assert_eq!(row("|  | （三）不予公开 | 1.属于国家秘密 | "), 10);
        assert_eq!(row("|  |  | 2.其他法律行政法规禁止公开 | "), 10);
        // Section 二's single-value blocks keep the four-column grid.
        assert!(md.contains("| 行政许可 | "), "{md}");
        let permit = lines
            .iter()
            .find(|l| l.starts_with("| 行政许可 |"))
            .unwrap();
        assert!(permit.ends_with(" |  |  |"), "{permit}");
    }

    #[test]
    fn markdown_placeholder_and_empty_headers() {
        let md = report(TextStyle::Markdown, |o| {
            o.shapes.md_head = MdHead::Placeholder
        });
        let want = "| 类别 |  |  | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |";
        assert!(md.contains(&format!("{want}\n|---|")), "{md}");
        assert!(
            md.contains("| 类别 | 数据1 | 数据2 | 数据3 |\n|---|"),
            "{md}"
        );
        // Then the real header rows follow as body rows.
        assert!(md.contains(&format!("{want}\n|{}\n| （本列数据", "---|".repeat(10))));
        let md = report(TextStyle::Markdown, |o| o.shapes.md_head = MdHead::Empty);
        assert!(md.contains(&format!("|{}\n|{}", "  |".repeat(10), "---|".repeat(10))));
    }

    #[test]
    fn markdown_blocks_under_headings() {
        let md = report(TextStyle::Markdown, |o| {
            o.shapes.headings = Headings::Blocks
        });
        // A heading repeats the block's label, the row follows as the first
        // row of a table of its own.
        assert!(
            md.contains("### （一）予以公开\n\n| 三、本年度办理结果 | （一）予以公开 |  | "),
            "{md}"
        );
        assert!(md.contains("### 第二十条第（五）项\n\n| 第二十条第（五）项 |  |  |  |\n|---|"));
        assert!(md.contains("### （三）不予公开\n\n|  | （三）不予公开 | 1.属于国家秘密 | "));
    }

    #[test]
    fn markdown_last_rows_under_a_wrong_header_after_a_page_break() {
        let md = report(TextStyle::Markdown, |o| o.shapes.wrong_head = true);
        let at = md.rfind("| （本列数据").unwrap();
        assert_ne!(Some(at), md.find("| （本列数据"));
        let before: Vec<&str> = md[..at].lines().rev().take(2).collect();
        assert!(
            before[1].contains('页') || before[1].starts_with("- "),
            "{before:?}"
        );
        let first = md[at..].lines().nth(2).unwrap();
        assert!(
            ["|  | （七）总计 |  | ", "| 四、结转", "|  |  | 3.其他 | "]
                .iter()
                .any(|s| first.starts_with(s)),
            "{first}"
        );
    }

    #[test]
    fn delimited_rows_keep_blank_fields() {
        let tsv = report(TextStyle::Tsv, |o| o.shapes.blanks = true);
        let row = tsv
            .lines()
            .find(|l| l.starts_with("一、本年新收政府信息公开申请数量\t\t\t"))
            .unwrap();
        assert_eq!(row.split('\t').count(), 10, "{row}");
        let csv = report(TextStyle::Csv, |o| o.shapes.trim_spans = true);
        assert!(csv.contains("\n行政许可,"), "{csv}");
        let permit = csv.lines().find(|l| l.starts_with("行政许可,")).unwrap();
        assert_eq!(permit.split(',').count(), 2, "{permit}");
        assert!(csv.contains("）,,,申请人情况\n"), "{csv}");
    }

    #[test]
    fn section_four_as_three_tables_or_with_words_over_two_lines() {
        let md = report(TextStyle::Markdown, |o| o.shapes.reviews_split = true);
        for title in [
            "行政复议",
            "行政诉讼（未经复议直接起诉）",
            "行政诉讼（复议后起诉）",
        ] {
            assert!(
                md.contains(&format!("### {title}\n\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n| ")),
                "{md}"
            );
        }
        let tsv = report(TextStyle::Tsv, |o| o.shapes.two_line_heads = true);
        let lines: Vec<&str> = tsv.lines().collect();
        let top = lines
            .iter()
            .position(|l| l.starts_with("结果\t结果\t其他\t尚未\t总\t结果"))
            .expect("first halves");
        assert!(lines[top + 1].starts_with("维持\t纠正\t结果\t审结\t计\t维持"));
        assert_eq!(lines[top - 2], "\t\t\t\t\t未经复议\t\t\t\t\t复议后\t\t\t\t");
        assert_eq!(
            lines[top - 4],
            format!("行政{}行政{}", "\t".repeat(5), "\t".repeat(9))
        );
        assert_eq!(lines[top + 2].split('\t').count(), 15);
    }

    #[test]
    fn every_added_word_is_drawn() {
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..3000 {
            let (mut rng, mut second) = crate::synth::streams(seed);
            let o = Options::draw(&mut rng, &mut second, Layouts::All);
            for w in o.format_name().split('-') {
                seen.insert(w.to_string());
            }
        }
        for w in crate::synth::ADDED_WORDS
            .iter()
            .filter(|w| !w.contains('-'))
        {
            assert!(seen.contains(*w), "{w} never drawn");
        }
    }
}
