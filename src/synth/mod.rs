//! Synthetic reports with known answers: fictional agencies, numbers that
//! satisfy every rule of the template, the layouts and label variants of
//! real archives (spec §7), in HTML or flattened text and several
//! encodings. Deterministic from a seed, so a failure is a seed to replay.
//!
//! The generator builds a [`Model`] (sections, paragraphs, tables of cells
//! that know which row they belong to), which [`damage`] can break on
//! purpose before [`render`] writes it out; [`verify`] then compares what
//! the parser read with the truth.

pub mod damage;
pub mod render;
pub mod series;
pub mod verify;

use serde_json::{Map, Value, json};

use crate::template::{RowKind, T2019, T2021, TableSpec, Template, TemplateId, ValueKind};

/// SplitMix64: tiny, and the same sequence on every platform and version
/// (a seed must replay the same report forever).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as usize) as i64
    }
    /// True with probability `pct`%.
    pub fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HtmlStyle {
    /// One `<td>` per cell, no spans.
    Plain,
    /// Word export: `<p class=MsoNormal><span>…<o:p></o:p></span></p>` in cells.
    Word,
    /// The official shape: header colspans, group labels with rowspan.
    Spans,
    /// Header and data colspans disagree (the Shanghai page, corpus 001).
    Misaligned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    /// One cell per line, `cell |`, padding pipes for colspans (the seed).
    CellPerLine,
    /// One row per line, cells separated by ` | `.
    Rows,
    /// Cells of a row glued without separators (the Pingtan pages).
    RunTogether,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html(HtmlStyle),
    Text(TextStyle),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// GB18030 bytes (GBK-compatible for these characters).
    Gb18030,
    Utf16Le,
}

/// Spellings seen in real reports (spec §7), each on or off.
#[derive(Debug, Clone, Copy, Default)]
pub struct Variants {
    /// `(一)` instead of `（一）`.
    pub half_width: bool,
    /// `结果维护` for `结果维持`.
    pub weihu: bool,
    /// `合计` for `总计`.
    pub heji: bool,
    /// A space inside some labels and header words (`商业 企业`).
    pub spaced: bool,
    /// Bracketed notes after labels (`部分公开（区分处理的…）`).
    pub notes: bool,
    /// A page break inside section 三: page number, then the group label
    /// printed again.
    pub page_break: bool,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub template: TemplateId,
    pub format: Format,
    pub encoding: Encoding,
    /// For HTML: declare the charset in a `<meta>`.
    pub declare_charset: bool,
    pub variants: Variants,
}

impl Options {
    /// A random mix of everything the generator can do.
    pub fn random(rng: &mut Rng) -> Options {
        let format = match rng.below(7) {
            0 => Format::Html(HtmlStyle::Plain),
            1 => Format::Html(HtmlStyle::Word),
            2 => Format::Html(HtmlStyle::Spans),
            3 => Format::Html(HtmlStyle::Misaligned),
            4 => Format::Text(TextStyle::CellPerLine),
            5 => Format::Text(TextStyle::Rows),
            _ => Format::Text(TextStyle::RunTogether),
        };
        let encoding = match rng.below(10) {
            0..=5 => Encoding::Utf8,
            6..=8 => Encoding::Gb18030,
            _ => Encoding::Utf16Le,
        };
        Options {
            template: if rng.chance(50) {
                TemplateId::Y2021
            } else {
                TemplateId::Y2019
            },
            format,
            encoding,
            declare_charset: rng.chance(70),
            variants: Variants {
                half_width: rng.chance(25),
                weihu: rng.chance(15),
                heji: rng.chance(15),
                spaced: rng.chance(15),
                notes: rng.chance(25),
                page_break: rng.chance(15),
            },
        }
    }

    /// No spelling variants, charset declared: the report as the template
    /// prints it, in the given layout and encoding.
    pub fn plain(template: TemplateId, format: Format, encoding: Encoding) -> Options {
        Options {
            template,
            format,
            encoding,
            declare_charset: true,
            variants: Variants::default(),
        }
    }

    /// Short name of the layout, for file names and tallies.
    pub fn layout_name(&self) -> String {
        format!("{}-{}", self.format_name(), self.encoding_name())
    }

    /// The layout without the encoding (`html-word-2021`).
    pub fn format_name(&self) -> String {
        let f = match self.format {
            Format::Html(HtmlStyle::Plain) => "html-plain",
            Format::Html(HtmlStyle::Word) => "html-word",
            Format::Html(HtmlStyle::Spans) => "html-spans",
            Format::Html(HtmlStyle::Misaligned) => "html-misaligned",
            Format::Text(TextStyle::CellPerLine) => "text-cells",
            Format::Text(TextStyle::Rows) => "text-rows",
            Format::Text(TextStyle::RunTogether) => "text-runtogether",
        };
        format!("{f}-{}", self.template.as_str())
    }

    fn encoding_name(&self) -> &'static str {
        match self.encoding {
            Encoding::Utf8 => "utf8",
            Encoding::Gb18030 => "gb18030",
            Encoding::Utf16Le => "utf16",
        }
    }

    pub fn extension(&self) -> &'static str {
        match self.format {
            Format::Html(_) => "html",
            Format::Text(_) => "txt",
        }
    }
}

/// What a row of a generated table is.
#[derive(Debug, Clone, PartialEq)]
pub enum RowTag {
    /// Header words, captions, notes: no values.
    Header,
    /// Values of this row path (`item_1.rules`, `new_received`); the wide
    /// section-四 row is tagged with its table key.
    Data(String),
    /// Page furniture inserted between rows.
    Furniture,
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    /// Holds a figure (not a label or header word).
    pub value: bool,
}

impl Cell {
    fn label(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
            value: false,
        }
    }
    fn value(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
            value: true,
        }
    }
    fn span(mut self, colspan: usize, rowspan: usize) -> Cell {
        self.colspan = colspan;
        self.rowspan = rowspan;
        self
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub tag: RowTag,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// `proactive`, `requests`, `reviews_and_lawsuits`.
    pub key: &'static str,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub heading: Option<String>,
    pub paras: Vec<String>,
    pub table: Option<Table>,
}

/// One generated report before rendering.
#[derive(Debug, Clone)]
pub struct Model {
    pub options: Options,
    pub agency: String,
    pub year: i32,
    pub title: String,
    pub sections: Vec<Section>,
    /// The answer, in the format of the shared corpus's `truth.json`.
    pub truth: Value,
}

impl Model {
    /// The report as bytes of its file.
    pub fn bytes(&self) -> Vec<u8> {
        render::encode(&render::render(self), self.options.encoding)
    }

    pub fn table_mut(&mut self, key: &str) -> Option<&mut Table> {
        self.sections
            .iter_mut()
            .filter_map(|s| s.table.as_mut())
            .find(|t| t.key == key)
    }
}

const PLACES: &[&str] = &[
    "青禾", "白鹭", "云岭", "东川", "南溪", "金沙", "北岗", "河口", "松阳", "柳湾", "石泉", "临江",
    "安平", "桐溪", "凤鸣", "苍梧", "澄湖", "望海",
];
const DEPARTMENTS: &[&str] = &[
    "人民政府办公室",
    "交通运输局",
    "自然资源局",
    "卫生健康委员会",
    "统计局",
    "教育局",
    "生态环境局",
    "市场监督管理局",
    "民政局",
    "财政局",
    "住房和城乡建设局",
    "应急管理局",
    "审计局",
];

/// A fictional agency at a random level: 省, 市, 县, 区, 乡镇, 街道, or a
/// department of one of them.
fn agency(rng: &mut Rng) -> String {
    let place = rng.pick(PLACES);
    let level = *rng.pick(&["省", "市", "县", "区", "镇", "乡", "街道"]);
    match (level, rng.chance(60)) {
        ("镇" | "乡", _) => format!("{place}{level}人民政府"),
        ("街道", _) => format!("{place}街道办事处"),
        (_, true) => format!("{place}{level}{}", rng.pick(DEPARTMENTS)),
        (_, false) => format!("{place}{level}人民政府"),
    }
}

/// A count as real reports have them: mostly zero or small, now and then
/// large.
fn count(rng: &mut Rng, scale: i64) -> i64 {
    match rng.below(10) {
        0..=3 => 0,
        4..=7 => rng.range(1, 9 * scale.min(3)),
        8 => rng.range(10, 60 * scale),
        _ => rng.range(100, 900 * scale),
    }
}

/// An amount with two or four decimals whose last digit is not 0 (so the
/// number prints the same way in every tool).
fn amount(rng: &mut Rng) -> f64 {
    let places = if rng.chance(50) { 2 } else { 4 };
    let mut units = rng.range(1, 99_999);
    if units % 10 == 0 {
        units += 1;
    }
    // Large amounts shift the point, they do not multiply (which would
    // print 104.08999999999999 for 104.09).
    let places: usize = if rng.chance(30) { places - 1 } else { places };
    let digits = format!("{units:0>width$}", width = places + 1);
    let (int, frac) = digits.split_at(digits.len() - places);
    let text = if places == 0 {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    text.parse().unwrap_or(0.0)
}

fn template(id: TemplateId) -> &'static Template {
    match id {
        TemplateId::Y2019 => &T2019,
        TemplateId::Y2021 => &T2021,
    }
}

/// Values for every cell of the three tables, satisfying the rules.
fn truth_tables(rng: &mut Rng, tpl: &Template) -> Map<String, Value> {
    let mut tables = Map::new();
    tables.insert("proactive".into(), proactive_truth(rng, tpl.tables[0]));
    tables.insert("requests".into(), requests_truth(rng, tpl.tables[1]));
    let mut reviews = Map::new();
    for r in tpl.tables[2].blocks[0].rows {
        let parts: Vec<i64> = (0..4)
            .map(|_| if rng.chance(60) { 0 } else { rng.range(1, 6) })
            .collect();
        let total: i64 = parts.iter().sum();
        let cols = tpl.tables[2].blocks[0].columns;
        let mut m = Map::new();
        for (c, v) in cols.iter().zip(parts.iter().chain(std::iter::once(&total))) {
            m.insert(c.key.into(), json!(v));
        }
        reviews.insert(r.key.into(), Value::Object(m));
    }
    tables.insert("reviews_and_lawsuits".into(), Value::Object(reviews));
    tables
}

fn proactive_truth(rng: &mut Rng, spec: &TableSpec) -> Value {
    let mut out = Map::new();
    for b in spec.blocks {
        let mut rows = Map::new();
        for r in b.rows {
            let mut m = Map::new();
            for c in b.columns {
                let v = match c.kind {
                    ValueKind::Count => json!(count(rng, if b.key == "item_1" { 1 } else { 5 })),
                    ValueKind::Signed => json!(if rng.chance(60) {
                        0
                    } else {
                        rng.range(-20, 20)
                    }),
                    ValueKind::Amount { .. } => json!(amount(rng)),
                };
                m.insert(c.key.into(), v);
            }
            rows.insert(r.key.into(), Value::Object(m));
        }
        out.insert(b.key.into(), Value::Object(rows));
    }
    Value::Object(out)
}

/// Section 三 from the bottom up: result rows, then (七) as their sums,
/// carried-over and carried-forward, then new = handled + forward − over
/// (rule A1), every row totalled (A2).
fn requests_truth(rng: &mut Rng, spec: &TableSpec) -> Value {
    let block = &spec.blocks[0];
    let results: Vec<&str> = spec
        .rules
        .iter()
        .find_map(|r| match r {
            crate::template::Rule::ColumnBalance { id: "A3", rhs, .. } => Some(*rhs),
            _ => None,
        })
        .unwrap_or_default()
        .to_vec();
    let mut rows: Vec<(String, [i64; 6])> = Vec::new();
    let mut handled = [0i64; 6];
    for key in &results {
        let mut v = [0i64; 6];
        if rng.chance(45) {
            for (i, x) in v.iter_mut().enumerate() {
                *x = if i == 0 {
                    count(rng, 4)
                } else {
                    count(rng, 1) / 2
                };
            }
        }
        for i in 0..6 {
            handled[i] += v[i];
        }
        rows.push((key.to_string(), v));
    }
    let mut over = [0i64; 6];
    let mut forward = [0i64; 6];
    let mut new = [0i64; 6];
    for i in 0..6 {
        over[i] = if rng.chance(70) { 0 } else { rng.range(0, 4) };
        forward[i] = if rng.chance(60) { 0 } else { rng.range(0, 5) };
        // new = handled + forward − over must not be negative.
        over[i] = over[i].min(handled[i] + forward[i]);
        new[i] = handled[i] + forward[i] - over[i];
    }
    let mut out = Map::new();
    let put = |out: &mut Map<String, Value>, key: &str, v: &[i64; 6]| {
        let mut m = Map::new();
        for (c, x) in block.columns.iter().zip(v.iter()) {
            m.insert(c.key.into(), json!(x));
        }
        m.insert("total".into(), json!(v.iter().sum::<i64>()));
        out.insert(key.into(), Value::Object(m));
    };
    for r in block.rows.iter().filter(|r| r.kind == RowKind::Data) {
        match r.key {
            "new_received" => put(&mut out, r.key, &new),
            "carried_over" => put(&mut out, r.key, &over),
            "total_handled" => put(&mut out, r.key, &handled),
            "carried_forward" => put(&mut out, r.key, &forward),
            key => {
                let v = rows
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or([0; 6], |(_, v)| *v);
                put(&mut out, key, &v)
            }
        }
    }
    Value::Object(out)
}

/// One report from `seed`, with random options.
pub fn generate(seed: u64) -> Model {
    let mut rng = Rng::new(seed);
    let options = Options::random(&mut rng);
    generate_with(&mut rng, options)
}

/// One report with the given options; the content is drawn from `rng`.
pub fn generate_with(rng: &mut Rng, options: Options) -> Model {
    let tpl = template(options.template);
    let year = match options.template {
        TemplateId::Y2019 => rng.range(2019, 2020) as i32,
        TemplateId::Y2021 => rng.range(2021, 2025) as i32,
    };
    let agency = agency(rng);
    let tables = truth_tables(rng, tpl);
    model(rng, options, agency, year, tables)
}

/// The report of `agency` for `year` whose tables are `tables`; its
/// narrative and layout drawn from `rng`.
fn model(
    rng: &mut Rng,
    options: Options,
    agency: String,
    year: i32,
    tables: Map<String, Value>,
) -> Model {
    let tpl = template(options.template);
    let title = format!("{agency}{year}年政府信息公开工作年度报告");
    let sections = render::sections(rng, &options, tpl, &agency, year, &tables);
    let truth = json!({
        "template": options.template.as_str(),
        "year": year,
        "agency": agency,
        "malformed": false,
        "why": "generated",
        "ambiguous": [],
        "tables": Value::Object(tables),
    });
    Model {
        options,
        agency,
        year,
        title,
        sections,
        truth,
    }
}

/// The project's `corpus/`: one undamaged report per layout (each format
/// with each template, the first seed that has it) and one damaged report
/// per operator (seeds 1000–1015, whose first operator cycles).
pub fn write_corpus(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut seen = std::collections::BTreeSet::new();
    let mut written = Vec::new();
    for seed in 0..10_000 {
        let m = generate(seed);
        if seen.insert(m.options.format_name()) {
            written.push(write_case(dir, seed, false)?);
        }
        if seen.len() == 14 {
            break;
        }
    }
    for seed in 1000..1000 + damage::Op::ALL.len() as u64 {
        written.push(write_case(dir, seed, true)?);
    }
    Ok(written)
}

/// Write case `seed` (damaged or not) as `dir/<name>/input.<ext>` with its
/// `expected.json`: the truth, the damage done (operator, table, row) and
/// whether the report should come out malformed (`null` when the damage
/// may or may not break a table, as corrupt bytes do).
pub fn write_case(
    dir: &std::path::Path,
    seed: u64,
    damage: bool,
) -> std::io::Result<std::path::PathBuf> {
    use damage::Op;
    let (model, bytes, done) = verify::case(seed, damage);
    let mut name = format!("{seed:06}-{}", model.options.layout_name());
    for d in &done {
        name.push('-');
        name.push_str(d.op.name());
    }
    let case_dir = dir.join(name);
    std::fs::create_dir_all(&case_dir)?;
    std::fs::write(
        case_dir.join(format!("input.{}", model.options.extension())),
        &bytes,
    )?;
    let breaks = |op: Op| match op {
        Op::PageNumber | Op::RepeatHeader | Op::Placeholder | Op::HtmlNoise | Op::DeleteHeading => {
            Some(false)
        }
        Op::CorruptBytes => None,
        _ => Some(true),
    };
    let malformed = done
        .iter()
        .try_fold(false, |acc, d| breaks(d.op).map(|b| acc || b));
    let mut truth = model.truth.clone();
    truth["malformed"] = malformed.map_or(Value::Null, Value::Bool);
    truth["why"] = json!(if done.is_empty() {
        "generated, undamaged".to_string()
    } else {
        format!("generated, damaged on purpose (seed {seed})")
    });
    truth["layout"] = json!(model.options.layout_name());
    truth["damage"] = Value::Array(
        done.iter()
            .map(|d| json!({"op": d.op.name(), "table": d.place.as_ref().map(|p| p.table.clone()), "row": d.place.as_ref().and_then(|p| p.row.clone())}))
            .collect(),
    );
    let mut text = serde_json::to_string_pretty(&truth).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(case_dir.join("expected.json"), text)?;
    Ok(case_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_report() {
        assert_eq!(generate(7).bytes(), generate(7).bytes());
        assert_ne!(generate(7).bytes(), generate(8).bytes());
    }

    #[test]
    fn truth_satisfies_every_rule() {
        for seed in 0..200 {
            let m = generate(seed);
            let q = &m.truth["tables"]["requests"];
            for (_, row) in q.as_object().into_iter().flatten() {
                let parts: i64 = [
                    "natural_person",
                    "commercial",
                    "research",
                    "social_welfare",
                    "legal_service",
                    "other_org",
                ]
                .iter()
                .map(|c| row[c].as_i64().unwrap_or(-1))
                .sum();
                assert_eq!(Some(parts), row["total"].as_i64(), "A2, seed {seed}");
            }
            for c in ["natural_person", "total"] {
                let v = |r: &str| q[r][c].as_i64().unwrap_or(-1);
                assert_eq!(
                    v("new_received") + v("carried_over"),
                    v("total_handled") + v("carried_forward"),
                    "A1, seed {seed}"
                );
            }
        }
    }
}
