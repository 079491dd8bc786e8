//! The tables as printed on the official forms, from
//! [`crate::template`]: section 二 as one small table per block (caption,
//! 信息内容 and the block's columns), section 三 with its three label
//! columns (一、/（一）/1. rows, group labels spanning their rows) under
//! 申请人情况, section 四 as its groups × five columns. The value cells are
//! written by the caller, who knows the report.

use std::fmt::Write as _;

use super::esc;
use crate::mapping::row_path;
use crate::provenance::Cell;
use crate::template::printed::{self, Span};
use crate::template::{Block, Column, Layout, RowKey, RowKind, TableSpec};

/// Writes one value cell: `(out, row path, cell, column)`, the row path as
/// in flags (`item_1.rules`, `granted`), the cell by its template indices.
pub(super) type CellWriter<'a> = dyn FnMut(&mut String, &str, Cell, &Column) + 'a;

/// [`CellWriter`] for each column of row `row` of block `block`.
fn cells(out: &mut String, b: &Block, block: usize, row: usize, path: &str, cell: &mut CellWriter) {
    for (column, c) in b.columns.iter().enumerate() {
        cell(out, path, Cell { block, row, column }, c);
    }
}

pub(super) fn table(out: &mut String, spec: &TableSpec, cell: &mut CellWriter) {
    match spec.layout {
        Layout::Wide => wide(out, spec, cell),
        Layout::Labelled if spec.nested => blocks(out, spec, cell),
        Layout::Labelled => outline(out, spec, cell),
    }
}

fn open(out: &mut String, spec: &TableSpec, class: &str) {
    let _ = write!(
        out,
        r#"<table class="form {class}" data-table="{}">"#,
        spec.key
    );
}

fn heads(out: &mut String, columns: &[Column], attrs: &str) {
    for c in columns {
        let _ = write!(out, "<th{attrs}>{}</th>", esc(c.label));
    }
}

/// Section 二: each block a table of its own, as the form prints them.
fn blocks(out: &mut String, spec: &TableSpec, cell: &mut CellWriter) {
    for (bi, b) in spec.blocks.iter().enumerate() {
        open(out, spec, "block");
        let _ = write!(
            out,
            r#"<thead><tr><th class="caption" colspan="{}">{}</th></tr><tr><th>{}</th>"#,
            b.columns.len() + 1,
            esc(b.caption.unwrap_or(b.path())),
            printed::CONTENT
        );
        heads(out, b.columns, "");
        out.push_str("</tr></thead><tbody>");
        for (ri, r) in b.rows.iter().enumerate() {
            let path = row_path(spec, bi, r.key);
            let _ = write!(
                out,
                r#"<tr data-row="{path}"><th class="label">{}</th>"#,
                esc(r.label)
            );
            cells(out, b, bi, ri, &path, cell);
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>\n");
    }
}

/// Label columns of section 三: 一、 / （一） / 1.
const DEPTHS: usize = 3;

/// Section 三: rows nested by their printed enumerators. A group label
/// (`三、本年度办理结果`, `（三）不予公开`) holds no values; it spans the
/// lines of the rows below it, on the line of the first.
fn outline(out: &mut String, spec: &TableSpec, cell: &mut CellWriter) {
    let Some(b) = spec.blocks.first() else { return };
    open(out, spec, "outline");
    head_applicants(out, b);
    out.push_str("<tbody>");
    let marks: Vec<&str> = b
        .rows
        .iter()
        .map(|r| printed::enumerator(r.key).unwrap_or_default())
        .collect();
    let depths: Vec<usize> = marks
        .iter()
        .map(|m| printed::depth(m).min(DEPTHS - 1))
        .collect();
    let mut pending = String::new();
    for (i, r) in b.rows.iter().enumerate() {
        let d = depths[i];
        if r.kind == RowKind::Group {
            // Its lines: the data rows below it, up to the next row at its
            // level or above.
            let lines = b.rows[i + 1..]
                .iter()
                .zip(&depths[i + 1..])
                .take_while(|(_, x)| **x > d)
                .filter(|(x, _)| x.kind == RowKind::Data)
                .count();
            let _ = write!(
                pending,
                r#"<th class="group" rowspan="{}">{}{}</th>"#,
                lines.max(1),
                marks[i],
                esc(r.label)
            );
            continue;
        }
        let path = row_path(spec, 0, r.key);
        let _ = write!(
            out,
            r#"<tr data-row="{path}">{pending}<th class="label" colspan="{}">{}{}</th>"#,
            DEPTHS - d,
            marks[i],
            esc(r.label)
        );
        pending.clear();
        cells(out, b, 0, i, &path, cell);
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

/// Section 三's three header lines: the note in the corner, 申请人情况 over
/// every column, 法人或其他组织 over its five.
fn head_applicants(out: &mut String, b: &Block) {
    let grouped = |c: &Column| printed::ORGANISATIONS.keys.contains(&c.key);
    let inside = b.columns.iter().filter(|c| grouped(c)).count();
    let lines = if inside > 0 { 3 } else { 2 };
    let _ = write!(
        out,
        r#"<thead><tr><th class="note" colspan="{DEPTHS}" rowspan="{lines}">（{}）</th><th colspan="{}">{}</th></tr><tr>"#,
        printed::REQUEST_NOTE,
        b.columns.len(),
        printed::APPLICANTS
    );
    let mut opened = false;
    for c in b.columns {
        if !grouped(c) {
            let _ = write!(out, r#"<th rowspan="{}">{}</th>"#, lines - 1, esc(c.label));
        } else if !opened {
            opened = true;
            let _ = write!(
                out,
                r#"<th colspan="{inside}">{}</th>"#,
                printed::ORGANISATIONS.label
            );
        }
    }
    out.push_str("</tr>");
    if inside > 0 {
        out.push_str("<tr>");
        for c in b.columns.iter().filter(|c| grouped(c)) {
            let _ = write!(out, "<th>{}</th>", esc(c.label));
        }
        out.push_str("</tr>");
    }
    out.push_str("</thead>");
}

/// Section 四: the groups side by side (行政复议 | 行政诉讼: 未经复议直接起诉,
/// 复议后起诉), five columns each, one line of values.
fn wide(out: &mut String, spec: &TableSpec, cell: &mut CellWriter) {
    let Some(b) = spec.blocks.first() else { return };
    let span: &Span<RowKey> = &printed::LAWSUITS;
    let spanned = |key: RowKey| span.keys.contains(&key);
    let inside = b.rows.iter().filter(|r| spanned(r.key)).count();
    let width = b.columns.len();
    open(out, spec, "wide");
    out.push_str("<thead><tr>");
    let mut opened = false;
    for r in b.rows {
        if !spanned(r.key) {
            let _ = write!(out, r#"<th colspan="{width}">{}</th>"#, esc(r.label));
        } else if !opened {
            opened = true;
            let _ = write!(
                out,
                r#"<th colspan="{}">{}</th>"#,
                inside * width,
                esc(span.label)
            );
        }
    }
    out.push_str("</tr><tr>");
    let rowspan = if inside > 0 { r#" rowspan="2""# } else { "" };
    for r in b.rows {
        if spanned(r.key) {
            let _ = write!(out, r#"<th colspan="{width}">{}</th>"#, esc(r.label));
        } else {
            heads(out, b.columns, rowspan);
        }
    }
    if inside > 0 {
        out.push_str("</tr><tr>");
        for _ in b.rows.iter().filter(|r| spanned(r.key)) {
            heads(out, b.columns, "");
        }
    }
    out.push_str("</tr></thead><tbody><tr>");
    for (ri, r) in b.rows.iter().enumerate() {
        let path = row_path(spec, 0, r.key);
        cells(out, b, 0, ri, &path, cell);
    }
    out.push_str("</tr></tbody></table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{T2019, T2021};
    use scraper::{Html, Selector};

    /// Each line's width once the row and column spans are laid out: every
    /// line of a drawn form must be as wide as the form.
    fn widths(html: &str) -> Vec<Vec<usize>> {
        let doc = Html::parse_fragment(html);
        let table = Selector::parse("table").expect("selector");
        let tr = Selector::parse("tr").expect("selector");
        let cell = Selector::parse("th, td").expect("selector");
        let span = |e: &scraper::ElementRef, a: &str| {
            e.value()
                .attr(a)
                .and_then(|v| v.parse().ok())
                .unwrap_or(1usize)
        };
        doc.select(&table)
            .map(|t| {
                // Cells still covered by a rowspan from above, per line.
                let mut carried: Vec<usize> = Vec::new();
                t.select(&tr)
                    .enumerate()
                    .map(|(i, row)| {
                        let mut width = carried.get(i).copied().unwrap_or(0);
                        for c in row.select(&cell) {
                            let (cols, rows) = (span(&c, "colspan"), span(&c, "rowspan"));
                            width += cols;
                            for below in i + 1..i + rows {
                                if carried.len() <= below {
                                    carried.resize(below + 1, 0);
                                }
                                carried[below] += cols;
                            }
                        }
                        width
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_line_of_every_form_is_as_wide_as_the_form() {
        for t in [&T2019, &T2021] {
            for spec in t.tables {
                let mut html = String::new();
                let mut cells = 0;
                table(&mut html, spec, &mut |out, _, _, _| {
                    cells += 1;
                    out.push_str("<td></td>");
                });
                let data: usize = spec
                    .blocks
                    .iter()
                    .map(|b| {
                        b.rows.iter().filter(|r| r.kind == RowKind::Data).count() * b.columns.len()
                    })
                    .sum();
                assert_eq!(cells, data, "{}: one cell per value", spec.key);
                for lines in widths(&html) {
                    let w = lines[0];
                    assert!(lines.iter().all(|&x| x == w), "{}: {lines:?}", spec.key);
                }
            }
        }
        // Section 三: three label columns and seven values.
        let mut html = String::new();
        table(&mut html, T2021.tables[1], &mut |out, _, _, _| {
            out.push_str("<td></td>")
        });
        assert_eq!(widths(&html)[0][0], DEPTHS + 7);
    }
}
