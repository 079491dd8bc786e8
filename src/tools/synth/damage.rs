//! Damage on purpose: the ways real pages break (spec §6), applied to a
//! generated report. Each operator says which table and row it touched, so
//! a test can demand a flag there.

use super::verify::Place;
use super::{Cell, Encoding, Format, Model, Rng, RowTag, TextStyle};
use crate::template::TableKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    DropCell,
    DuplicateCell,
    SwapCells,
    SplitNumber,
    MergeCells,
    ChangeDigit,
    DeleteRow,
    DeleteTable,
    DeleteHeading,
    PageNumber,
    RepeatHeader,
    Placeholder,
    Note,
    HtmlNoise,
    Truncate,
    CorruptBytes,
    /// A table's columns in another order, header words moved with them.
    ReorderColumns,
    /// Section 三's or 四's values in another order under the template's
    /// header (total swapped with another column, which a row rule sees).
    ReorderValues,
}

impl Op {
    pub const ALL: &'static [Op] = &[
        Op::DropCell,
        Op::DuplicateCell,
        Op::SwapCells,
        Op::SplitNumber,
        Op::MergeCells,
        Op::ChangeDigit,
        Op::DeleteRow,
        Op::DeleteTable,
        Op::DeleteHeading,
        Op::PageNumber,
        Op::RepeatHeader,
        Op::Placeholder,
        Op::Note,
        Op::HtmlNoise,
        Op::Truncate,
        Op::CorruptBytes,
        Op::ReorderColumns,
        Op::ReorderValues,
    ];

    /// The operators of the first generator, which the seed cycles through
    /// (the column operators are drawn apart, so these seeds replay).
    pub const ORIGINAL: &'static [Op] = Op::ALL.split_at(Op::ALL.len() - Op::COLUMN.len()).0;

    /// The column operators, last in [`Op::ALL`].
    pub const COLUMN: &'static [Op] = &[Op::ReorderColumns, Op::ReorderValues];

    pub fn name(self) -> &'static str {
        match self {
            Op::DropCell => "drop-cell",
            Op::DuplicateCell => "duplicate-cell",
            Op::SwapCells => "swap-cells",
            Op::SplitNumber => "split-number",
            Op::MergeCells => "merge-cells",
            Op::ChangeDigit => "change-digit",
            Op::DeleteRow => "delete-row",
            Op::DeleteTable => "delete-table",
            Op::DeleteHeading => "delete-heading",
            Op::PageNumber => "page-number",
            Op::RepeatHeader => "repeat-header",
            Op::Placeholder => "placeholder",
            Op::Note => "note-in-cell",
            Op::HtmlNoise => "html-comments-scripts",
            Op::Truncate => "truncate",
            Op::CorruptBytes => "corrupt-bytes",
            Op::ReorderColumns => "reorder-columns",
            Op::ReorderValues => "reorder-values",
        }
    }

    /// Shows only through the arithmetic or the header, so it must not be
    /// combined with damage that removes rows or bytes.
    pub fn needs_evidence(self) -> bool {
        matches!(
            self,
            Op::SwapCells | Op::ChangeDigit | Op::ReorderColumns | Op::ReorderValues
        )
    }
}

/// One operator as applied: where, when the parser can know it.
#[derive(Debug, Clone)]
pub struct Damage {
    pub op: Op,
    pub place: Option<Place>,
}

/// The report's bytes with `ops` applied (those that do not apply to this
/// report are skipped), and what was done.
pub fn damaged(m: &Model, rng: &mut Rng, ops: &[Op]) -> (Vec<u8>, Vec<Damage>) {
    let mut m = m.clone();
    let mut done: Vec<Damage> = Vec::new();
    for &op in ops {
        // A blanked cell in a row that also lost or gained a cell can make
        // the row look whole again (`a a _` for `a b`): that is other data,
        // not damage anything could detect. Such ops go to another row.
        let counted: Vec<Place> = done
            .iter()
            .filter(|d| {
                matches!(
                    d.op,
                    Op::DropCell | Op::DuplicateCell | Op::SplitNumber | Op::MergeCells
                )
            })
            .filter_map(|d| d.place.clone())
            .collect();
        for _ in 0..8 {
            let mut trial = m.clone();
            let Some(place) = on_model(&mut trial, rng, op) else {
                break;
            };
            let clash = matches!(op, Op::Placeholder | Op::Note)
                && place.as_ref().is_some_and(|p| {
                    counted.iter().any(|c| {
                        c.table == p.table && (c.row == p.row || c.row.is_none() || p.row.is_none())
                    })
                });
            if !clash {
                m = trial;
                done.push(Damage { op, place });
                break;
            }
        }
    }
    let mut text = super::render::render(&m);
    if ops.contains(&Op::HtmlNoise) && m.options.format.is_html() {
        html_noise(&mut text, rng);
        done.push(Damage {
            op: Op::HtmlNoise,
            place: None,
        });
    }
    let mut bytes = super::render::encode(&text, m.options.encoding);
    if ops.contains(&Op::CorruptBytes) && corrupt(&mut bytes, m.options.encoding, rng) {
        done.push(Damage {
            op: Op::CorruptBytes,
            place: None,
        });
    }
    if ops.contains(&Op::Truncate) && bytes.len() > 16 {
        let cut = bytes.len() / 4 + rng.below(bytes.len() * 3 / 4);
        bytes.truncate(cut);
        done.push(Damage {
            op: Op::Truncate,
            place: None,
        });
    }
    (bytes, done)
}

/// `Some(place)` when the operator changed the model.
fn on_model(m: &mut Model, rng: &mut Rng, op: Op) -> Option<Option<Place>> {
    match op {
        Op::DeleteHeading => {
            let s = rng.below(m.sections.len());
            m.sections[s].heading.take().map(|_| None)
        }
        Op::DeleteTable => {
            let tables: Vec<usize> = (0..m.sections.len())
                .filter(|&i| m.sections[i].table.is_some())
                .collect();
            let s = *tables.get(rng.below(tables.len()))?;
            let t = m.sections[s].table.take()?;
            Some(Some(Place::new(t.key, None)))
        }
        Op::PageNumber => {
            let t = random_table(m, rng, false)?;
            let at = 1 + rng.below(t.rows.len().saturating_sub(1));
            let text = if rng.chance(50) {
                format!("- {} -", rng.range(2, 30))
            } else {
                format!("第{}页", rng.range(2, 30))
            };
            t.rows.insert(
                at,
                super::Row {
                    tag: RowTag::Furniture,
                    cells: vec![Cell::label(text).span(10, 1)],
                },
            );
            Some(None)
        }
        Op::RepeatHeader => {
            let t = m.table_mut(TableKey::Requests)?;
            let heads: Vec<super::Row> = t
                .rows
                .iter()
                .skip_while(|r| r.tag == RowTag::Heading)
                .take_while(|r| r.tag == RowTag::Header)
                .cloned()
                .collect();
            let data: Vec<usize> = (0..t.rows.len())
                .filter(|&i| matches!(t.rows[i].tag, RowTag::Data(_)))
                .collect();
            // After a data row whose successor opens no group (a group label
            // printed again is its own layout, page_break in Variants).
            let at = data.get(rng.below(data.len().saturating_sub(1)))? + 1;
            for (k, h) in heads.into_iter().enumerate() {
                t.rows.insert(at + k, h);
            }
            Some(None)
        }
        Op::ReorderColumns | Op::ReorderValues
            if m.options.format == Format::Text(TextStyle::RunTogether) =>
        {
            // Glued digits have no columns to tell apart.
            None
        }
        Op::ReorderColumns => super::columns::reorder(m, rng),
        Op::ReorderValues => super::columns::reorder_values(m, rng),
        _ => on_cells(m, rng, op),
    }
}

/// Operators on the value cells of one data row.
fn on_cells(m: &mut Model, rng: &mut Rng, op: Op) -> Option<Option<Place>> {
    // Without separators a dropped, doubled, split, merged or swapped cell,
    // or a changed digit, is only a different run of digits, which may have
    // another consistent split: nothing in the text could tell.
    let structural = matches!(
        op,
        Op::DropCell
            | Op::DuplicateCell
            | Op::SplitNumber
            | Op::MergeCells
            | Op::SwapCells
            | Op::ChangeDigit
    );
    let run_together = m.options.format == Format::Text(TextStyle::RunTogether);
    if structural && run_together {
        return None;
    }
    let original = m.options.original();
    let t = cells_table(m, rng, op)?;
    let key = t.key;
    let rows: Vec<usize> = (0..t.rows.len())
        .filter(|&i| matches!(t.rows[i].tag, RowTag::Data(_)))
        .collect();
    let ri = *rows.get(rng.below(rows.len()))?;
    let RowTag::Data(path) = t.rows[ri].tag.clone() else {
        return None;
    };
    let wide = path == key.as_str();
    // The parser can name the row only when the row has a label of its own.
    let place = Place::new(key, (!wide).then(|| path.clone()));
    if op == Op::DeleteRow {
        if wide {
            return None;
        }
        delete_row(t, ri, !original);
        return Some(Some(place));
    }
    match edit_cells(&mut t.rows[ri].cells, rng, op, run_together)? {
        Seen::Row => Some(Some(place)),
        Seen::Arithmetic => Some(Some(Place::new(key, None))),
    }
}

/// The table a cell operator damages.
fn cells_table<'a>(m: &'a mut Model, rng: &mut Rng, op: Op) -> Option<&'a mut super::Table> {
    // Value changes that keep the count of cells are caught only by the
    // arithmetic, which only section 三 has across rows and columns.
    if matches!(op, Op::SwapCells | Op::ChangeDigit) {
        // Beside blank cells the rules that would see the change are not
        // evaluated (blanks are not zeros).
        m.table_mut(TableKey::Requests).filter(|t| {
            !t.rows
                .iter()
                .flat_map(|r| &r.cells)
                .any(|c| c.value && c.text.is_empty())
        })
    } else {
        // A row of section 四 has no label of its own to delete.
        random_table(m, rng, op != Op::DeleteRow)
    }
}

/// What can tell a damaged row: the row itself (a cell too many, too few or
/// unreadable) or only the arithmetic (a figure changed in place).
enum Seen {
    Row,
    Arithmetic,
}

/// Apply a cell operator to one row's cells; `None` when the row offers
/// nothing to damage that way.
fn edit_cells(cells: &mut Vec<Cell>, rng: &mut Rng, op: Op, run_together: bool) -> Option<Seen> {
    let vals: Vec<usize> = (0..cells.len()).filter(|&i| cells[i].value).collect();
    let pick = |rng: &mut Rng| vals.get(rng.below(vals.len())).copied();
    match op {
        Op::DropCell => {
            cells.remove(pick(rng)?);
        }
        Op::DuplicateCell => {
            let i = pick(rng)?;
            let c = cells[i].clone();
            cells.insert(i + 1, c);
        }
        Op::SwapCells => {
            let pairs: Vec<usize> = vals
                .windows(2)
                .filter(|w| cells[w[0]].text != cells[w[1]].text)
                .map(|w| w[0])
                .collect();
            let i = *pairs.get(rng.below(pairs.len()))?;
            let j = vals[vals.iter().position(|&v| v == i)? + 1];
            let a = cells[i].text.clone();
            cells[i].text = std::mem::replace(&mut cells[j].text, a);
            return Some(Seen::Arithmetic);
        }
        Op::SplitNumber => {
            let long: Vec<usize> = vals
                .iter()
                .copied()
                .filter(|&i| {
                    cells[i].text.len() >= 2 && cells[i].text.bytes().all(|b| b.is_ascii_digit())
                })
                .collect();
            let i = *long.get(rng.below(long.len()))?;
            let text = cells[i].text.clone();
            let at = 1 + rng.below(text.len() - 1);
            cells[i].text = text[..at].to_string();
            cells.insert(i + 1, Cell::value(&text[at..]));
        }
        Op::MergeCells => {
            if vals.len() < 2 {
                return None;
            }
            let k = rng.below(vals.len() - 1);
            let (i, j) = (vals[k], vals[k + 1]);
            let tail = cells.remove(j).text;
            cells[i].text.push_str(&tail);
        }
        Op::ChangeDigit => {
            let i = pick(rng)?;
            cells[i].text = change_digit(&cells[i].text, rng)?;
            return Some(Seen::Arithmetic);
        }
        Op::Placeholder => {
            let i = pick(rng)?;
            // Run together, `-` would be a minus sign and a blank no cell at
            // all: other data, not a placeholder.
            let marks: &[&str] = if run_together {
                &["/", "—", "无"]
            } else {
                &["/", "—", "-", "无", ""]
            };
            cells[i].text = rng.pick(marks).to_string();
        }
        Op::Note => {
            let i = pick(rng)?;
            cells[i].text = rng
                .pick(&["见说明", "详见附件", "不适用", "另行统计"])
                .to_string();
        }
        _ => return None,
    }
    Some(Seen::Row)
}

/// One digit of a whole number changed (never to a leading zero); `None`
/// when `text` is not a whole number.
fn change_digit(text: &str, rng: &mut Rng) -> Option<String> {
    let mut digits: Vec<u8> = text.bytes().collect();
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let at = rng.below(digits.len());
    let lowest = if at == 0 && digits.len() > 1 { 1 } else { 0 };
    let old = digits[at] - b'0';
    let mut new = lowest + rng.below(10 - lowest as usize) as u8;
    if new == old {
        new = if old == 9 { lowest } else { old + 1 };
    }
    digits[at] = b'0' + new;
    String::from_utf8(digits).ok()
}

/// Delete row `ri`, and the heading printed before it: group labels printed
/// on it move to the next row. With `shrink`, the cells that spanned it
/// span one row less (the original layouts kept their spans; only the
/// grid layouts depend on them).
fn delete_row(t: &mut super::Table, ri: usize, shrink: bool) {
    let row = t.rows.remove(ri);
    let labels: Vec<Cell> = row.cells.iter().filter(|c| !c.value).cloned().collect();
    let mut carried: Vec<Cell> = labels
        .iter()
        .take(labels.len().saturating_sub(1))
        .cloned()
        .collect();
    let mut ri = ri;
    if ri > 0 && t.rows[ri - 1].tag == RowTag::Heading {
        t.rows.remove(ri - 1);
        ri -= 1;
    }
    if shrink {
        for c in &mut carried {
            c.rowspan = c.rowspan.saturating_sub(1).max(1);
        }
        // Group cells printed on an earlier row that reached this one.
        let mut reach = 1;
        for r in t.rows[..ri].iter_mut().rev() {
            if !matches!(r.tag, RowTag::Data(_)) {
                continue;
            }
            for c in r.cells.iter_mut().filter(|c| c.rowspan > reach) {
                c.rowspan -= 1;
            }
            reach += 1;
        }
    }
    let next = t.rows[ri..]
        .iter_mut()
        .find(|r| r.tag != RowTag::Heading)
        .filter(|r| matches!(r.tag, RowTag::Data(_)));
    if let Some(next) = next {
        for (k, c) in carried.into_iter().enumerate() {
            next.cells.insert(k, c);
        }
    }
}

/// A table with data rows (`wide` allows section 四).
fn random_table<'a>(m: &'a mut Model, rng: &mut Rng, wide: bool) -> Option<&'a mut super::Table> {
    let keys: Vec<TableKey> = m
        .sections
        .iter()
        .filter_map(|s| s.table.as_ref())
        .filter(|t| wide || t.key != TableKey::Reviews)
        .map(|t| t.key)
        .collect();
    let key = *keys.get(rng.below(keys.len()))?;
    m.table_mut(key)
}

/// Comments and scripts between tags of the page body, some with digits
/// and pipes that must not become cells.
fn html_noise(text: &mut String, rng: &mut Rng) {
    let Some(body) = text.find("<div class=\"article\">") else {
        return;
    };
    let tags: Vec<usize> = text[body..]
        .match_indices('<')
        .map(|(i, _)| body + i)
        .collect();
    let mut at: Vec<usize> = (0..8)
        .filter_map(|_| tags.get(rng.below(tags.len())).copied())
        .collect();
    at.sort_unstable();
    at.dedup();
    for &i in at.iter().rev() {
        let noise = match rng.below(3) {
            0 => "<!-- 第3页 12 | 34 | 5 -->",
            1 => {
                "<script type=\"text/javascript\">document.write(\"<td>7</td>\"); var n = 12 | 4;</script>"
            }
            _ => {
                "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings>96</o:OfficeDocumentSettings></xml><![endif]-->"
            }
        };
        text.insert_str(i, noise);
    }
}

/// Make a few characters undecodable. Only bytes of non-ASCII characters are
/// touched (UTF-16: whole code units become lone surrogates), so no digit is
/// ever changed into another digit.
fn corrupt(bytes: &mut [u8], enc: Encoding, rng: &mut Rng) -> bool {
    let mut hit = false;
    for _ in 0..1 + rng.below(4) {
        match enc {
            Encoding::Utf16Le => {
                let units = bytes.len() / 2;
                if units < 2 {
                    return hit;
                }
                let u = 1 + rng.below(units - 1);
                if bytes[2 * u + 1] >= 0x30 {
                    bytes[2 * u] = 0x00;
                    bytes[2 * u + 1] = 0xDC;
                    hit = true;
                }
            }
            Encoding::Utf8 | Encoding::Gb18030 => {
                let high: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] >= 0x80).collect();
                if let Some(&i) = high.get(rng.below(high.len())) {
                    bytes[i] = 0xFF;
                    hit = true;
                }
            }
        }
    }
    hit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{Options, generate_with};
    use crate::template::TemplateId;

    /// Deleting any row of section 三 keeps every other row on the grid:
    /// the group cells that spanned it span one row less, its group labels
    /// move to the next row, its heading goes with it.
    #[test]
    fn a_deleted_row_leaves_the_grid_whole() {
        for template in [TemplateId::Y2019, TemplateId::Y2021] {
            let mut o = Options::plain(template, Format::Text(TextStyle::Tsv), Encoding::Utf8);
            o.shapes.headings = super::super::Headings::Blocks;
            let m = generate_with(&mut Rng::new(5), o);
            let t = m.sections[2].table.clone().unwrap();
            let data: Vec<usize> = (0..t.rows.len())
                .filter(|&i| matches!(t.rows[i].tag, RowTag::Data(_)))
                .collect();
            for &ri in &data {
                let mut t = t.clone();
                delete_row(&mut t, ri, true);
                let lines = super::super::grid::delimited(&t, '\t', false);
                let rows: Vec<&String> = lines
                    .iter()
                    .zip(&t.rows)
                    .filter(|(_, r)| matches!(r.tag, RowTag::Data(_)))
                    .map(|(l, _)| l)
                    .collect();
                assert_eq!(rows.len(), data.len() - 1);
                for l in rows {
                    assert_eq!(l.split('\t').count(), 10, "deleting row {ri}: {l}");
                }
                let headings = |t: &super::super::Table| {
                    t.rows.iter().filter(|r| r.tag == RowTag::Heading).count()
                };
                let headed = ri > 0
                    && m.sections[2].table.as_ref().unwrap().rows[ri - 1].tag == RowTag::Heading;
                assert_eq!(
                    headings(&t) + usize::from(headed),
                    headings(m.sections[2].table.as_ref().unwrap()),
                    "deleting row {ri}"
                );
            }
        }
    }
}
