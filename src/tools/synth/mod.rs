//! Synthetic reports with known answers: fictional agencies, numbers that
//! satisfy every rule of the template, the layouts and label variants of
//! real archives (spec §7), in HTML or flattened text and several
//! encodings. Deterministic from a seed, so a failure is a seed to replay.
//!
//! The generator draws [`Options`] and builds a [`Model`] (sections,
//! paragraphs, tables of cells that know which row and column they belong
//! to), which [`damage`] can break on purpose before [`render`] writes it
//! out (the layouts that keep cell positions through `grid`); [`verify`]
//! then compares what the parser read with the truth.

mod columns;
pub mod damage;
mod grid;
mod options;
pub mod render;
pub mod series;
pub mod verify;

pub use options::{
    ADDED_WORDS, Encoding, Format, Headings, HtmlStyle, Layouts, MdHead, Options, Shapes,
    TextStyle, Variants,
};

use serde_json::{Map, Value, json};

use crate::template::{
    BlockKey, ColKey, RowKey, RowKind, T2019, T2021, TableKey, TableSpec, Template, TemplateId,
    ValueKind,
};

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
    /// A label printed as a heading between two parts of the table (each
    /// part is a table of its own in the page).
    Heading,
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    /// Holds a figure (not a label or header word).
    pub value: bool,
    /// The template columns (first, count) of the block or table this value
    /// or header word stands for, so columns can be reordered.
    pub cols: Option<(usize, usize)>,
}

impl Cell {
    fn label(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
            value: false,
            cols: None,
        }
    }
    fn value(text: impl Into<String>) -> Cell {
        Cell {
            value: true,
            ..Cell::label(text)
        }
    }
    fn span(mut self, colspan: usize, rowspan: usize) -> Cell {
        self.colspan = colspan;
        self.rowspan = rowspan;
        self
    }
    fn cols(mut self, first: usize, count: usize) -> Cell {
        self.cols = Some((first, count));
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
    pub key: TableKey,
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

    pub fn table_mut(&mut self, key: TableKey) -> Option<&mut Table> {
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
            m.insert(c.key.to_string(), json!(v));
        }
        reviews.insert(r.key.to_string(), Value::Object(m));
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
                    ValueKind::Count => json!(count(
                        rng,
                        if b.key == Some(BlockKey::Item1) { 1 } else { 5 }
                    )),
                    ValueKind::Signed => json!(if rng.chance(60) {
                        0
                    } else {
                        rng.range(-20, 20)
                    }),
                    ValueKind::Amount { .. } => json!(amount(rng)),
                };
                m.insert(c.key.to_string(), v);
            }
            rows.insert(r.key.to_string(), Value::Object(m));
        }
        out.insert(b.path().to_string(), Value::Object(rows));
    }
    Value::Object(out)
}

/// Section 三 from the bottom up: result rows, then (七) as their sums,
/// carried-over and carried-forward, then new = handled + forward − over
/// (rule A1), every row totalled (A2).
fn requests_truth(rng: &mut Rng, spec: &TableSpec) -> Value {
    let block = &spec.blocks[0];
    let results: Vec<RowKey> = spec
        .rules
        .iter()
        .find_map(|r| match r {
            crate::template::Rule::ColumnBalance { id: "A3", rhs, .. } => Some(*rhs),
            _ => None,
        })
        .unwrap_or_default()
        .to_vec();
    let mut rows: Vec<(RowKey, [i64; 6])> = Vec::new();
    let mut handled = [0i64; 6];
    for &key in &results {
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
        rows.push((key, v));
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
    let put = |out: &mut Map<String, Value>, key: RowKey, v: &[i64; 6]| {
        let mut m = Map::new();
        for (c, x) in block.columns.iter().zip(v.iter()) {
            m.insert(c.key.to_string(), json!(x));
        }
        m.insert(ColKey::Total.to_string(), json!(v.iter().sum::<i64>()));
        out.insert(key.to_string(), Value::Object(m));
    };
    for r in block.rows.iter().filter(|r| r.kind == RowKind::Data) {
        match r.key {
            RowKey::NewReceived => put(&mut out, r.key, &new),
            RowKey::CarriedOver => put(&mut out, r.key, &over),
            RowKey::TotalHandled => put(&mut out, r.key, &handled),
            RowKey::CarriedForward => put(&mut out, r.key, &forward),
            key => {
                let v = rows
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map_or([0; 6], |(_, v)| *v);
                put(&mut out, key, &v)
            }
        }
    }
    Value::Object(out)
}

/// The tables as a report that leaves cells blank prints them: in some
/// rows every zero is blank, in a few section-三 rows only 总计 is filled
/// (spec §5 "Blanks"). Blanks are `null` in the truth; the rules still hold
/// with blanks read as 0 except where only 总计 is given.
fn blanked(rng: &mut Rng, tables: &Map<String, Value>) -> Map<String, Value> {
    let mut out = tables.clone();
    let blank_zeros = |row: &mut Value| {
        for v in row.as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
            if v.as_f64() == Some(0.0) {
                *v = Value::Null;
            }
        }
    };
    for (key, table) in out.iter_mut() {
        let rows: Vec<&mut Value> = match key.as_str() {
            "proactive" => table
                .as_object_mut()
                .into_iter()
                .flat_map(|b| b.values_mut())
                .flat_map(|b| b.as_object_mut().into_iter().flat_map(|r| r.values_mut()))
                .collect(),
            _ => table
                .as_object_mut()
                .into_iter()
                .flat_map(|t| t.values_mut())
                .collect(),
        };
        for row in rows {
            match rng.below(100) {
                0..25 => blank_zeros(row),
                25..32 if key == "requests" => {
                    for (c, v) in row.as_object_mut().into_iter().flatten() {
                        if c != ColKey::Total.as_str() {
                            *v = Value::Null;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// One report from `seed`, with random options.
pub fn generate(seed: u64) -> Model {
    generate_in(seed, Layouts::All)
}

/// One report from `seed`, drawn among `layouts`.
pub fn generate_in(seed: u64, layouts: Layouts) -> Model {
    let (mut rng, mut second) = streams(seed);
    let options = Options::draw(&mut rng, &mut second, layouts);
    generate_with(&mut rng, options)
}

/// The two random streams of a seed: the original one, and the one that
/// draws what came later (layouts that keep positions, column operators),
/// so that the first replays unchanged.
pub fn streams(seed: u64) -> (Rng, Rng) {
    (Rng::new(seed), Rng::new(Rng::new(!seed).next_u64()))
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
    let shown = if options.shapes.blanks {
        blanked(rng, &tables)
    } else {
        tables.clone()
    };
    let title = format!("{agency}{year}年政府信息公开工作年度报告");
    let sections = render::sections(rng, &options, tpl, &agency, year, &tables, &shown);
    let truth = json!({
        "template": options.template.as_str(),
        "year": year,
        "agency": agency,
        "malformed": false,
        "why": "generated",
        "ambiguous": [],
        "tables": Value::Object(shown),
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

/// The project's `corpus/`. Drawn among the original layouts, as it always
/// was: one undamaged report per original layout (the first seed that has
/// it) and one damaged report per original operator (seeds 1000–1015, whose
/// first operator cycles). Then among all layouts: from seed 2000, the first
/// seed that brings a word of the added layouts (or a shaped HTML page, or
/// an added layout in GB18030 or UTF-16) in a template no case has yet,
/// until every one is there; from seed 3000, the first report in an
/// original layout each column operator was applied to.
pub fn write_corpus(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    use std::collections::BTreeSet;
    let mut seen = BTreeSet::new();
    let mut written = Vec::new();
    for seed in 0..10_000 {
        let m = generate_in(seed, Layouts::Original);
        if seen.insert(m.options.format_name()) {
            written.push(write_case(dir, seed, false, Layouts::Original)?);
        }
        if seen.len() == 14 {
            break;
        }
    }
    for seed in 1000..1000 + damage::Op::ORIGINAL.len() as u64 {
        written.push(write_case(dir, seed, true, Layouts::Original)?);
    }
    let wanted: Vec<&str> = ADDED_WORDS
        .iter()
        .filter(|w| !w.contains('-'))
        .chain(&["html", "gb18030", "utf16"])
        .copied()
        .collect();
    let mut missing: BTreeSet<(&str, &str)> = wanted
        .iter()
        .flat_map(|w| [(*w, "2019"), (*w, "2021")])
        .collect();
    for seed in 2000..20_000 {
        let o = generate(seed).options;
        if o.original() {
            continue;
        }
        let name = o.layout_name();
        let words: Vec<&str> = name
            .split('-')
            .filter_map(|w| wanted.iter().find(|a| **a == w))
            .copied()
            .collect();
        let template = o.template.as_str();
        if words.iter().any(|w| missing.contains(&(*w, template))) {
            for w in &words {
                missing.remove(&(*w, template));
            }
            written.push(write_case(dir, seed, false, Layouts::All)?);
        }
        if missing.is_empty() {
            break;
        }
    }
    for op in [damage::Op::ReorderColumns, damage::Op::ReorderValues] {
        let seed = (3000..20_000)
            .find(|&s| {
                let (m, _, done) = verify::case(s, true);
                m.options.original() && done.iter().any(|d| d.op == op)
            })
            .unwrap_or(3000);
        written.push(write_case(dir, seed, true, Layouts::All)?);
    }
    Ok(written)
}

/// Write case `seed` (damaged or not, drawn among `layouts`) as
/// `dir/<name>/input.<ext>` with its `expected.json`: the truth, the damage
/// done (operator, table, row, what the verifier demands) and whether the
/// report should come out malformed (`null` when the damage may or may not
/// break a table, as corrupt bytes do).
pub fn write_case(
    dir: &std::path::Path,
    seed: u64,
    damage: bool,
    layouts: Layouts,
) -> std::io::Result<std::path::PathBuf> {
    use damage::Op;
    let (model, bytes, done) = verify::case_in(seed, damage, layouts);
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
        Op::PageNumber
        | Op::RepeatHeader
        | Op::Placeholder
        | Op::HtmlNoise
        | Op::DeleteHeading
        | Op::ReorderColumns => Some(false),
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
            .map(|d| {
                let mut e = json!({"op": d.op.name(), "table": d.place.as_ref().map(|p| p.table.as_str()), "row": d.place.as_ref().and_then(|p| p.row.clone())});
                match &d.place {
                    Some(p) if p.demand != verify::Demand::Flagged => {
                        e["demand"] = json!(p.demand.as_str())
                    }
                    _ => {}
                }
                e
            })
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

    /// A2 and A1 hold with blanks read as 0, except in rows where only 总计
    /// is given (A2 there, and A1 in the columns those rows leave blank).
    #[test]
    fn truth_satisfies_every_rule() {
        const PARTS: &[ColKey] = crate::template::APPLICANT_PARTS;
        let mut blanks = 0;
        for seed in 0..400 {
            let m = generate(seed);
            let q = &m.truth["tables"]["requests"];
            let total_only = |row: &Value| PARTS.iter().all(|c| row[c.as_str()].is_null());
            for (_, row) in q.as_object().into_iter().flatten() {
                blanks += row
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(_, v)| v.is_null())
                    .count();
                if total_only(row) {
                    continue;
                }
                let parts: i64 = PARTS
                    .iter()
                    .map(|c| row[c.as_str()].as_i64().unwrap_or(0))
                    .sum();
                assert_eq!(parts, row["total"].as_i64().unwrap_or(0), "A2, seed {seed}");
            }
            let rows = [
                "new_received",
                "carried_over",
                "total_handled",
                "carried_forward",
            ];
            if rows.iter().all(|r| !total_only(&q[*r])) {
                for c in ["natural_person", "total"] {
                    let v = |r: &str| q[r][c].as_i64().unwrap_or(0);
                    assert_eq!(
                        v("new_received") + v("carried_over"),
                        v("total_handled") + v("carried_forward"),
                        "A1, seed {seed}"
                    );
                }
            }
        }
        assert!(blanks > 1000, "{blanks} blank cells");
    }
}
