//! Generated reports → tables of cells (the model) → a page or flattened
//! text → bytes in an encoding.

use serde_json::{Map, Value};

use super::{
    Cell, Encoding, Format, Headings, HtmlStyle, Model, Options, Rng, Row, RowTag, Section, Shapes,
    Table, TextStyle,
};
use crate::facts::FactKind;
use crate::template::{
    Block, CellKey, ColKey, RowKey, RowKind, TableKey, TableSpec, Template, TemplateId, ValueKind,
};

const HEADINGS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// Apply the label spellings the options ask for.
fn spell(o: &Options, rng: &mut Rng, label: &str) -> String {
    let mut s = label.to_string();
    if o.variants.half_width {
        s = s.replace('（', "(").replace('）', ")");
    }
    if o.variants.heji && s.ends_with("总计") {
        s = s.replace("总计", "合计");
    }
    if o.variants.weihu {
        s = s.replace("结果维持", "结果维护");
    }
    let chars: Vec<char> = s.chars().collect();
    // Inside the words, not inside an enumerator (`2 .重复申请` would be a
    // figure 2 in running text).
    let n = crate::normalize::norm(&s);
    let skip = crate::normalize::split_enum(&n)
        .0
        .map_or(0, |e| e.chars().count());
    if o.variants.spaced && chars.len() >= skip + 4 && rng.chance(40) {
        let at = skip + 1 + rng.below(chars.len() - skip - 2);
        s = chars[..at]
            .iter()
            .chain(std::iter::once(&' '))
            .chain(&chars[at..])
            .collect();
    }
    s
}

fn fmt_value(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// Sum of column `col` over `rows` of a truth table.
/// A cell of the truth tables by its keys.
fn truth_cell<'a>(tpl: &Template, tables: &'a Map<String, Value>, at: CellKey) -> &'a Value {
    let (table, row, col) = at;
    let spec = tpl.table(table);
    let t = &tables[table.as_str()];
    let t = match spec.row(row) {
        Some((b, _)) if spec.nested => &t[spec.blocks[b].path()],
        _ => t,
    };
    &t[row.as_str()][col.as_str()]
}

/// The figure a narrative states for `kind`: the cells the template checks
/// it against, one as shown, several summed (blanks as 0).
fn stated(tpl: &Template, tables: &Map<String, Value>, kind: FactKind) -> String {
    match tpl.fact_cells(kind) {
        [one] => fmt_value(truth_cell(tpl, tables, *one)),
        cells => cells
            .iter()
            .map(|&c| truth_cell(tpl, tables, c).as_i64().unwrap_or(0))
            .sum::<i64>()
            .to_string(),
    }
}

/// The six sections: headings, narrative that states some figures of the
/// tables (as real reports do), and the three tables as `shown` (with its
/// blank cells).
pub(super) fn sections(
    rng: &mut Rng,
    o: &Options,
    tpl: &Template,
    agency: &str,
    year: i32,
    tables: &Map<String, Value>,
    shown: &Map<String, Value>,
) -> Vec<Section> {
    let phone = format!(
        "0{}-{}",
        rng.range(100, 999),
        rng.range(1_000_000, 9_999_999)
    );
    let mut paras: [Vec<String>; 6] = Default::default();
    paras[0] = vec![
        format!(
            "{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，全年主动公开政府信息{}条。",
            rng.range(20, 3000)
        ),
        format!(
            "本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与{agency}办公室联系（联系电话：{phone}，电子邮箱：gk{}@example.gov.cn）。",
            rng.range(1, 99)
        ),
    ];
    let fact = |kind| stated(tpl, tables, kind);
    if o.template == TemplateId::Y2021 {
        let repealed = (TableKey::Proactive, RowKey::Normative, ColKey::Repealed);
        paras[1].push(format!(
            "本年度制发行政规范性文件{}件，废止{}件，现行有效{}件。",
            fact(FactKind::NormativeIssued),
            fmt_value(truth_cell(tpl, tables, repealed)),
            fact(FactKind::NormativeInForce)
        ));
    }
    paras[2].push(format!(
        "本年度新收政府信息公开申请{}件，上年结转{}件，办理完毕{}件。",
        fact(FactKind::RequestsReceived),
        fact(FactKind::RequestsCarriedOver),
        fact(FactKind::RequestsHandled),
    ));
    paras[3].push(format!(
        "本年度因政府信息公开工作被申请行政复议{}件，被提起行政诉讼{}件。",
        fact(FactKind::Reviews),
        fact(FactKind::Lawsuits),
    ));
    paras[4] = vec![
        "一是政策解读的形式还不够丰富；二是依申请公开办理的规范化水平有待提高。".into(),
        "下一步，将加强业务培训，进一步提升政府信息公开质量。".into(),
    ];
    paras[5] = vec![format!("{year}年，本机关未收取信息处理费。")];
    let mut tables_out = [
        Some(proactive(rng, o, tpl.tables[0], &shown["proactive"])),
        Some(requests(rng, o, tpl.tables[1], &shown["requests"])),
        Some(reviews(
            rng,
            o,
            tpl.tables[2],
            &shown["reviews_and_lawsuits"],
        )),
    ]
    .into_iter();
    HEADINGS
        .iter()
        .zip(paras)
        .enumerate()
        .map(|(i, (h, paras))| Section {
            heading: Some(h.to_string()),
            paras,
            table: if (1..=3).contains(&i) {
                tables_out.next().flatten()
            } else {
                None
            },
        })
        .collect()
}

/// The value cells of one row, the last spanning what is left of `width`
/// grid columns. (The original layouts drew section 二's rows one column
/// short of their header; they keep that, so their seeds replay.)
fn values(
    rng: &mut Rng,
    o: &Options,
    spec_cols: &[crate::template::Column],
    row: &Value,
    width: usize,
) -> Vec<Cell> {
    let mut cells: Vec<Cell> = spec_cols
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let mut t = fmt_value(&row[c.key.as_str()]);
            if matches!(c.kind, ValueKind::Amount { unit: None }) && rng.chance(50) && !t.is_empty()
            {
                t.push_str("万元");
            }
            Cell::value(t).cols(k, 1)
        })
        .collect();
    let n = spec_cols.len();
    if let Some(last) = cells.last_mut() {
        last.colspan = if o.original() {
            width.saturating_sub(n).max(1)
        } else {
            (width + 1).saturating_sub(n).max(1)
        };
    }
    cells
}

/// A label printed as a heading before the rows that follow.
fn heading(text: &str) -> Row {
    Row {
        tag: RowTag::Heading,
        cells: vec![Cell::label(text)],
    }
}

/// Indices (among a table's `n` data rows) of the rows whose label is also
/// printed as a heading, when the layout does that for some rows.
fn heading_rows(rng: &mut Rng, o: &Options, n: usize, fewest: usize, most: usize) -> Vec<usize> {
    if o.shapes.headings != Headings::Rows {
        return Vec::new();
    }
    let count = fewest + rng.below(most - fewest + 1);
    let mut at: Vec<usize> = (0..count).map(|_| rng.below(n)).collect();
    at.sort_unstable();
    at.dedup();
    at
}

/// Section 二: per block a caption row, a header row and its data rows,
/// four columns wide.
fn proactive(rng: &mut Rng, o: &Options, spec: &TableSpec, truth: &Value) -> Table {
    let mut rows = Vec::new();
    let count = spec.blocks.iter().map(|b| b.rows.len()).sum();
    let headed = heading_rows(rng, o, count, 0, 1);
    let mut k = 0;
    for b in spec.blocks {
        let caption = spell(o, rng, b.caption.unwrap_or_default());
        if o.shapes.headings == Headings::Blocks {
            rows.push(heading(&caption));
        }
        rows.push(header(vec![Cell::label(caption).span(4, 1)]));
        let mut head = vec![Cell::label("信息内容")];
        head.extend(
            b.columns
                .iter()
                .enumerate()
                .map(|(k, c)| Cell::label(spell(o, rng, c.label)).cols(k, 1)),
        );
        if let Some(last) = head.last_mut() {
            last.colspan = 4 - b.columns.len();
        }
        rows.push(header(head));
        for r in b.rows {
            let mut label = spell(o, rng, r.label);
            if o.variants.notes && r.key == RowKey::Rules && rng.chance(50) {
                label.push_str("（设区的市级以上人民政府填报）");
            }
            if headed.contains(&k) {
                rows.push(heading(&label));
            }
            k += 1;
            let mut cells = vec![Cell::label(label)];
            cells.extend(values(
                rng,
                o,
                b.columns,
                &truth[b.path()][r.key.as_str()],
                3,
            ));
            rows.push(Row {
                tag: RowTag::Data(format!("{}.{}", b.path(), r.key)),
                cells,
            });
        }
    }
    Table {
        key: spec.key,
        rows,
    }
}

const CN: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// Section 三 with its official enumerators: 一、二、三、(一)…(七) 四、,
/// items 1. 2. … under the groups (三)–(六).
fn requests(rng: &mut Rng, o: &Options, spec: &TableSpec, truth: &Value) -> Table {
    let b = &spec.blocks[0];
    let total = if o.variants.heji { "合计" } else { "总计" };
    let mut rows = requests_header(rng, o, total);
    let mut numbering = Numbering::default();
    let data_rows: Vec<_> = b.rows.iter().collect();
    let count = data_rows.iter().filter(|r| r.kind == RowKind::Data).count();
    let headed = heading_rows(rng, o, count, 1, 3);
    for (i, r) in data_rows.iter().enumerate() {
        let Some((label, opens)) = numbering.label(rng, o, &data_rows[i..], total) else {
            continue;
        };
        if o.variants.page_break && r.key == RowKey::WithheldThirdParty {
            rows.push(Row {
                tag: RowTag::Furniture,
                cells: vec![Cell::label(format!("- {} -", rng.range(3, 9))).span(10, 1)],
            });
            if let Some((_, g)) = &numbering.group {
                numbering.pending.push(Cell::label(g.clone()));
            }
        }
        let k = rows
            .iter()
            .filter(|r| matches!(r.tag, RowTag::Data(_)))
            .count();
        match (o.shapes.headings, opens) {
            (Headings::Blocks, Some(h)) => rows.push(heading(&h)),
            (Headings::Rows, _) if headed.contains(&k) => rows.push(heading(&label.text)),
            _ => {}
        }
        let mut cells = std::mem::take(&mut numbering.pending);
        cells.push(label);
        cells.extend(values(rng, o, b.columns, &truth[r.key.as_str()], 7));
        rows.push(Row {
            tag: RowTag::Data(r.key.to_string()),
            cells,
        });
    }
    if o.shapes.wrong_head {
        wrong_head(rng, &mut rows);
    }
    Table {
        key: spec.key,
        rows,
    }
}

/// Section 三's official enumerators as the rows go by: 一、二、三、, (一)…(七)
/// under 三、, items 1. 2. … under the groups.
#[derive(Default)]
struct Numbering {
    top: usize,
    sub: usize,
    item: usize,
    /// The open group: its key prefix and its label as printed.
    group: Option<(&'static str, String)>,
    /// Group labels waiting for their first row.
    pending: Vec<Cell>,
}

impl Numbering {
    /// The label of `rows[0]` and, when it opens a block (a first-level
    /// row, or a group's first row), the label that names the block; `None`
    /// for a group, whose label waits in `pending` for its first row.
    fn label(
        &mut self,
        rng: &mut Rng,
        o: &Options,
        rows: &[&'static crate::template::Row],
        total: &str,
    ) -> Option<(Cell, Option<String>)> {
        let r = rows[0];
        Some(match (r.kind, r.key) {
            (RowKind::Group, RowKey::Results) => {
                self.top += 1;
                let n = rows[1..]
                    .iter()
                    .take_while(|x| x.key != RowKey::CarriedForward)
                    .filter(|x| x.kind == RowKind::Data)
                    .count();
                let text = format!("{}、{}", CN[self.top - 1], r.label);
                self.pending
                    .push(Cell::label(spell(o, rng, &text)).span(1, n));
                return None;
            }
            (RowKind::Group, key) => {
                self.sub += 1;
                self.item = 0;
                let key = key.as_str();
                let prefix = key.split('_').next().unwrap_or(key);
                let n = rows[1..]
                    .iter()
                    .take_while(|x| {
                        x.kind == RowKind::Data && x.key.as_str().starts_with(&format!("{prefix}_"))
                    })
                    .count();
                let text = spell(o, rng, &format!("（{}）{}", CN[self.sub - 1], r.label));
                self.group = Some((prefix, text.clone()));
                self.pending.push(Cell::label(text).span(1, n));
                return None;
            }
            (_, RowKey::NewReceived | RowKey::CarriedOver | RowKey::CarriedForward) => {
                self.top += 1;
                self.group = None;
                let l = spell(o, rng, &format!("{}、{}", CN[self.top - 1], r.label));
                (Cell::label(l.clone()).span(3, 1), Some(l))
            }
            (_, RowKey::TotalHandled) => {
                self.sub += 1;
                self.group = None;
                let l = spell(o, rng, &format!("（{}）{total}", CN[self.sub - 1]));
                (Cell::label(l.clone()).span(2, 1), Some(l))
            }
            (_, key) => match &self.group {
                Some((prefix, g)) if key.as_str().starts_with(&format!("{prefix}_")) => {
                    self.item += 1;
                    let opens = (self.item == 1).then(|| g.clone());
                    let l = spell(o, rng, &format!("{}.{}", self.item, r.label));
                    (Cell::label(l), opens)
                }
                _ => {
                    self.sub += 1;
                    self.group = None;
                    let mut l = format!("（{}）{}", CN[self.sub - 1], r.label);
                    if o.variants.notes && r.key == RowKey::PartiallyGranted {
                        l.push_str("（区分处理的，只计这一情形，不计其他情形）");
                    }
                    let l = spell(o, rng, &l);
                    (Cell::label(l.clone()).span(2, 1), Some(l))
                }
            },
        })
    }
}

/// Section 三's three header rows: the note over the label columns, then
/// 申请人情况 over 自然人 | 法人或其他组织 (its five kinds) | 总计.
fn requests_header(rng: &mut Rng, o: &Options, total: &str) -> Vec<Row> {
    vec![
        Row {
            tag: RowTag::Header,
            cells: vec![
                Cell::label("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
                    .span(3, 3),
                Cell::label(spell(o, rng, "申请人情况"))
                    .span(7, 1)
                    .cols(0, 7),
            ],
        },
        Row {
            tag: RowTag::Header,
            cells: vec![
                Cell::label("自然人").span(1, 2).cols(0, 1),
                Cell::label(spell(o, rng, "法人或其他组织"))
                    .span(5, 1)
                    .cols(1, 5),
                Cell::label(total).span(1, 2).cols(6, 1),
            ],
        },
        Row {
            tag: RowTag::Header,
            cells: [
                "商业企业",
                "科研机构",
                "社会公益组织",
                "法律服务机构",
                "其他",
            ]
            .iter()
            .enumerate()
            .map(|(k, h)| Cell::label(spell(o, rng, h)).cols(k + 1, 1))
            .collect(),
        },
    ]
}

/// The last one to three rows of section 三 after a page break, under the
/// table's first header row printed again: a header that names no column
/// of the rows below it (as converters repeat a page's first row).
fn wrong_head(rng: &mut Rng, rows: &mut Vec<Row>) {
    let data: Vec<usize> = (0..rows.len())
        .filter(|&i| matches!(rows[i].tag, RowTag::Data(_)))
        .collect();
    let Some(&first) = data
        .len()
        .checked_sub(1 + rng.below(3))
        .and_then(|k| data.get(k))
    else {
        return;
    };
    let at = if first > 0 && rows[first - 1].tag == RowTag::Heading {
        first - 1
    } else {
        first
    };
    let mut again = rows[0].clone();
    for c in &mut again.cells {
        c.rowspan = 1;
    }
    let page = if rng.chance(50) {
        format!("- {} -", rng.range(3, 9))
    } else {
        format!("第{}页", rng.range(3, 9))
    };
    rows.insert(at, again);
    rows.insert(
        at,
        Row {
            tag: RowTag::Furniture,
            cells: vec![Cell::label(page).span(10, 1)],
        },
    );
}

/// Section 四: three header rows and one row of fifteen values, or three
/// small tables under their titles (the layout's choice); the header words
/// broken over two lines where the layout does that.
fn reviews(rng: &mut Rng, o: &Options, spec: &TableSpec, truth: &Value) -> Table {
    let rows = if o.shapes.reviews_split {
        reviews_split(rng, o, spec, truth)
    } else {
        reviews_wide(rng, o, spec, truth)
    };
    Table {
        key: spec.key,
        rows,
    }
}

/// The five column words of group `g` of section 四: template columns 5g….
fn group_heads(rng: &mut Rng, o: &Options, b: &Block, g: usize) -> Vec<Cell> {
    b.columns
        .iter()
        .enumerate()
        .map(|(k, c)| Cell::label(spell(o, rng, c.label)).cols(5 * g + k, 1))
        .collect()
}

/// The five values of group `g` of section 四.
fn group_values(b: &Block, truth: &Value, g: usize) -> Vec<Cell> {
    b.columns
        .iter()
        .enumerate()
        .map(|(k, c)| {
            Cell::value(fmt_value(&truth[b.rows[g].key.as_str()][c.key.as_str()]))
                .cols(5 * g + k, 1)
        })
        .collect()
}

fn header(cells: Vec<Cell>) -> Row {
    Row {
        tag: RowTag::Header,
        cells,
    }
}

/// Section 四 as three small tables, each under its title.
fn reviews_split(rng: &mut Rng, o: &Options, spec: &TableSpec, truth: &Value) -> Vec<Row> {
    let b = &spec.blocks[0];
    let mut rows = Vec::new();
    for (g, r) in b.rows.iter().enumerate() {
        let title = [
            "行政复议",
            "行政诉讼（未经复议直接起诉）",
            "行政诉讼（复议后起诉）",
        ][g];
        rows.push(heading(&spell(o, rng, title)));
        let words = group_heads(rng, o, b, g);
        if o.shapes.two_line_heads {
            rows.extend(halves(&words));
        } else {
            rows.push(header(words));
        }
        rows.push(Row {
            tag: RowTag::Data(r.key.to_string()),
            cells: group_values(b, truth, g),
        });
    }
    rows
}

/// Section 四 as one table: the groups, the two kinds of lawsuit, the
/// fifteen column words, then one row of every value.
fn reviews_wide(rng: &mut Rng, o: &Options, spec: &TableSpec, truth: &Value) -> Vec<Row> {
    let b = &spec.blocks[0];
    let mut second: Vec<Cell> = group_heads(rng, o, b, 0)
        .into_iter()
        .map(|c| c.span(1, 2))
        .collect();
    second.push(
        Cell::label(spell(o, rng, "未经复议直接起诉"))
            .span(5, 1)
            .cols(5, 5),
    );
    second.push(
        Cell::label(spell(o, rng, "复议后起诉"))
            .span(5, 1)
            .cols(10, 5),
    );
    let mut third = group_heads(rng, o, b, 1);
    third.extend(group_heads(rng, o, b, 2));
    let first = vec![
        Cell::label(spell(o, rng, "行政复议")).span(5, 1).cols(0, 5),
        Cell::label(spell(o, rng, "行政诉讼"))
            .span(10, 1)
            .cols(5, 10),
    ];
    let mut rows = Vec::new();
    if o.shapes.two_line_heads {
        // Group words, then the two kinds of lawsuit (nothing above the
        // review's columns), then all fifteen column words.
        let mut words: Vec<Cell> = second.drain(..5).map(|c| c.span(1, 1)).collect();
        words.extend(third);
        second.insert(0, Cell::label("").span(5, 1).cols(0, 5));
        for cells in [first, second, words] {
            rows.extend(halves(&cells));
        }
    } else {
        rows.extend([header(first), header(second), header(third)]);
    }
    rows.push(Row {
        tag: RowTag::Data(spec.key.to_string()),
        cells: (0..3).flat_map(|g| group_values(b, truth, g)).collect(),
    });
    rows
}

/// A header row whose words are broken over two lines, as PDF text prints
/// narrow cells: the first half of every word, then the second.
fn halves(cells: &[Cell]) -> [Row; 2] {
    let part = |second: bool| Row {
        tag: RowTag::Header,
        cells: cells
            .iter()
            .map(|c| {
                let chars: Vec<char> = c.text.chars().collect();
                let (a, b) = chars.split_at(chars.len().div_ceil(2));
                let text: String = if second { b } else { a }.iter().collect();
                Cell {
                    text: text.trim().to_string(),
                    rowspan: 1,
                    ..c.clone()
                }
            })
            .collect(),
    };
    [part(false), part(true)]
}

/// The report as text of its file (before encoding).
pub fn render(m: &Model) -> String {
    match m.options.format {
        Format::Html(style) => html(m, style),
        Format::Text(TextStyle::Markdown) => super::grid::markdown(m),
        Format::Text(style) => text(m, style),
    }
}

fn text(m: &Model, style: TextStyle) -> String {
    let mut out = vec![m.title.clone()];
    for s in &m.sections {
        out.extend(s.heading.clone());
        out.extend(s.paras.iter().cloned());
        if let Some(t) = &s.table {
            out.extend(text_table(t, style, &m.options.shapes));
        }
    }
    out.join("\n") + "\n"
}

/// The lines of one table in a text layout.
fn text_table(t: &Table, style: TextStyle, shapes: &Shapes) -> Vec<String> {
    match style {
        TextStyle::Tsv => return super::grid::delimited(t, '\t', shapes.trim_spans),
        TextStyle::Csv => return super::grid::delimited(t, ',', shapes.trim_spans),
        _ => {}
    }
    let mut out = Vec::new();
    for row in &t.rows {
        if matches!(row.tag, RowTag::Furniture | RowTag::Heading) {
            out.extend(row.cells.iter().map(|c| c.text.clone()));
            continue;
        }
        match style {
            TextStyle::CellPerLine => {
                for c in &row.cells {
                    // As in the seed: merged header cells and values
                    // leave padding pipes, row labels do not.
                    let padded = c.value || row.tag == RowTag::Header;
                    let pad = if padded {
                        "|".repeat(c.colspan.saturating_sub(1))
                    } else {
                        String::new()
                    };
                    out.push(if pad.is_empty() {
                        format!("{} |", c.text)
                    } else {
                        format!("{} | {pad}", c.text)
                    });
                }
            }
            TextStyle::SepLines => {
                for c in &row.cells {
                    if !(c.text.is_empty() && shapes.bare_blanks) {
                        out.push(c.text.clone());
                    }
                    out.push("|".into());
                }
            }
            TextStyle::Rows => {
                let cells: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
                out.push(format!("{} |", cells.join(" | ")));
            }
            _ => out.push(row.cells.iter().map(|c| c.text.as_str()).collect()),
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn html(m: &Model, style: HtmlStyle) -> String {
    let mut rng = Rng::new(m.year as u64 ^ m.agency.len() as u64);
    let charset = match (m.options.declare_charset, m.options.encoding) {
        (false, _) | (_, Encoding::Utf16Le) => String::new(),
        (true, Encoding::Utf8) => "<meta charset=\"utf-8\">".into(),
        (true, Encoding::Gb18030) => format!(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset={}\">",
            rng.pick(&["gbk", "gb2312", "GB18030"])
        ),
    };
    let mut page = format!(
        "<!DOCTYPE html>\n<html><head>{charset}<title>{title}</title>\n<meta name=\"PubDate\" content=\"{}-01-{:02} 09:30\">\n\
         <style>.nav li{{float:left}} td{{border:1px solid #000}}</style>\n\
         <script type=\"text/javascript\">var crumbs = \"首页 > 政务公开 > 一、总体情况\"; if (a < b && c > d) {{ document.write('<table><tr><td>1</td></tr></table>'); }}</script>\n\
         </head><body>\n<div id=\"header\"><div class=\"logo\">{agency}门户网站</div><div class=\"search\"><input type=\"text\" value=\"请输入关键字\"></div></div>\n<div class=\"nav\"><ul>",
        m.year + 1,
        rng.range(10, 28),
        title = escape(&m.title),
        agency = escape(&m.agency),
    );
    // Site chrome as big as real portals make it: 15 to 250 KB of links.
    let links = rng.range(200, 3500);
    for i in 0..links {
        page.push_str(&format!(
            "<li><a href=\"/col/col{}/index.html\">{}</a></li>",
            1000 + i,
            rng.pick(&[
                "首页",
                "政务公开",
                "政府信息公开年报",
                "政策文件",
                "办事服务",
                "互动交流",
                "走进本机关",
                "统计数据"
            ])
        ));
    }
    page.push_str("</ul></div>\n<div class=\"crumb\">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>\n<div class=\"article\">\n");
    page.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"info\">发布日期：{}-01-20　来源：{}</p>\n",
        escape(&m.title),
        m.year + 1,
        escape(&m.agency)
    ));
    for s in &m.sections {
        if let Some(h) = &s.heading {
            page.push_str(&format!("<p><strong>{}</strong></p>\n", escape(h)));
        }
        for p in &s.paras {
            page.push_str(&format!("<p style=\"text-indent:2em\">{}</p>\n", escape(p)));
        }
        if let Some(t) = &s.table {
            page.push_str(&html_table(t, style));
        }
    }
    page.push_str("</div>\n<div id=\"footer\"><p>主办单位：");
    page.push_str(&escape(&m.agency));
    page.push_str("　联系电话：0000-0000000　网站标识码：0000000000</p><p>ICP备00000000号</p></div>\n<script>var _hmt = _hmt || []; (function() { var hm = document.createElement(\"script\"); })();</script>\n</body></html>\n");
    page
}

/// The table, cut into one `<table>` per part where headings stand between
/// its rows.
fn html_table(t: &Table, style: HtmlStyle) -> String {
    let open = match style {
        HtmlStyle::Word => {
            "<table class=\"MsoNormalTable\" border=\"1\" cellspacing=\"0\" cellpadding=\"0\" style=\"border-collapse:collapse;border:none\">\n<tbody>\n"
        }
        _ => "<table border=\"1\" cellspacing=\"0\">\n<tbody>\n",
    };
    let close = "</tbody>\n</table>\n";
    let mut out = String::new();
    let mut in_table = false;
    for row in &t.rows {
        if row.tag == RowTag::Heading {
            if std::mem::take(&mut in_table) {
                out.push_str(close);
            }
            for c in &row.cells {
                out.push_str(&format!("<p><strong>{}</strong></p>\n", escape(&c.text)));
            }
            continue;
        }
        if !std::mem::replace(&mut in_table, true) {
            out.push_str(open);
        }
        html_row(&mut out, row, style);
    }
    if in_table {
        out.push_str(close);
    }
    out
}

fn html_row(out: &mut String, row: &Row, style: HtmlStyle) {
    out.push_str("<tr>");
    for c in &row.cells {
        let (mut colspan, rowspan) = match style {
            HtmlStyle::Plain => (1, 1),
            _ => (c.colspan, c.rowspan),
        };
        if style == HtmlStyle::Misaligned && !c.value && matches!(row.tag, RowTag::Data(_)) {
            colspan += 1;
        }
        let mut attrs = String::new();
        if colspan > 1 {
            attrs.push_str(&format!(" colspan=\"{colspan}\""));
        }
        if rowspan > 1 {
            attrs.push_str(&format!(" rowspan=\"{rowspan}\""));
        }
        let text = escape(&c.text);
        let inner = match style {
            HtmlStyle::Word => format!(
                "<p class=\"MsoNormal\" align=\"center\" style=\"text-align:center\"><span style=\"font-size:10.5pt;font-family:宋体\">{text}<o:p></o:p></span></p>"
            ),
            _ => text,
        };
        if style == HtmlStyle::Word {
            out.push_str(&format!("<td width=\"64\" valign=\"center\" style=\"width:48.0pt;border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt\"{attrs}>{inner}</td>"));
        } else {
            out.push_str(&format!("<td{attrs}>{inner}</td>"));
        }
    }
    out.push_str("</tr>\n");
}

/// Text as bytes of `enc` (UTF-16 with its BOM, as Windows tools write it).
pub fn encode(text: &str, enc: Encoding) -> Vec<u8> {
    match enc {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Gb18030 => encoding_rs::GB18030.encode(text).0.into_owned(),
        Encoding::Utf16Le => {
            let mut b = vec![0xFF, 0xFE];
            b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            b
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{Options, generate_with};

    fn report(format: Format, f: impl Fn(&mut Options)) -> String {
        let mut o = Options::plain(TemplateId::Y2019, format, Encoding::Utf8);
        f(&mut o);
        render(&generate_with(&mut Rng::new(3), o))
    }

    #[test]
    fn separator_lines_follow_every_cell_and_blanks_are_empty_or_bare() {
        let text = report(Format::Text(TextStyle::SepLines), |o| {
            o.shapes.blanks = true
        });
        let lines: Vec<&str> = text.lines().collect();
        let at = lines.iter().position(|l| *l == "规章").expect("row label");
        // Label, then each of the three values, each followed by `|`.
        assert!(
            (0..4).all(|k| lines[at + 2 * k + 1] == "|"),
            "{:?}",
            &lines[at..at + 8]
        );
        assert!(lines[at + 8] == "规范性文件", "{:?}", &lines[at..at + 9]);
        // A blank cell is an empty line between two `|` lines…
        assert!(text.contains("\n|\n\n|\n"), "{text}");
        // …or nothing between them.
        let bare = report(Format::Text(TextStyle::SepLines), |o| {
            o.shapes.blanks = true;
            o.shapes.bare_blanks = true;
        });
        assert!(
            bare.contains("\n|\n|\n") && !bare.contains("\n|\n\n|\n"),
            "{bare}"
        );
    }

    #[test]
    fn html_headings_stand_between_tables() {
        let page = report(Format::Html(HtmlStyle::Spans), |o| {
            o.shapes.reviews_split = true;
            o.shapes.headings = Headings::Rows;
        });
        let four = &page[page.find("四、政府信息公开").unwrap()..];
        assert!(four.contains(
            "</table>\n<p><strong>行政诉讼（未经复议直接起诉）</strong></p>\n<table border=\"1\" cellspacing=\"0\">\n<tbody>\n<tr><td>结果维持</td>"
        ), "{four}");
        assert_eq!(
            page.matches("<table").count(),
            page.matches("</table>").count()
        );
        assert!(page.matches("<table").count() >= 3 + 3, "{page}");
    }
}
