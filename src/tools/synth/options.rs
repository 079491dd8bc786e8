//! What a generated report looks like: template, layout (HTML style or
//! flattened text, and the shapes of the layouts that keep cell positions),
//! encoding and spelling variants, drawn from the seed.

use super::Rng;
use crate::template::TemplateId;

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
    /// Markdown tables as PDF-to-markdown converters write them: border
    /// pipes, a `|---|` row under the first row, merged cells as empty cells.
    Markdown,
    /// Tab-separated rows (re-tabbed PDF text): an empty field is a blank cell.
    Tsv,
    /// Comma-separated rows (a spreadsheet export), quoted where needed.
    Csv,
    /// One cell per line, each followed by a line holding only `|` (there the
    /// `|` separates cells; it is no blank cell).
    SepLines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html(HtmlStyle),
    Text(TextStyle),
}

impl Format {
    /// Whether the report is a page (read by the HTML path).
    pub fn is_html(self) -> bool {
        matches!(self, Format::Html(_))
    }
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

/// Which section-三/二 labels are printed a second time, as a heading with
/// no values, before the row that holds them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Headings {
    #[default]
    None,
    /// One to three rows.
    Rows,
    /// Every block (section 二 caption, section 三 first-level row or group):
    /// one small table per block, as converters cut a table at headings.
    Blocks,
}

/// What heads each markdown table (markdown needs one header row).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MdHead {
    /// The table's first row, whatever it holds.
    #[default]
    FirstRow,
    /// Placeholder names (`类别 | 数据1 | … | 总计`), the real rows below.
    Placeholder,
    /// Empty header cells.
    Empty,
}

/// The shapes of the layouts that keep cell positions. All off in the
/// original seven layouts; drawn from a stream of their own so a seed that
/// draws none of them replays as before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shapes {
    /// Blank cells where the truth is `null`: zeros left blank, rows where
    /// only 总计 is filled.
    pub blanks: bool,
    pub headings: Headings,
    /// Section 四 as three small tables (行政复议, 行政诉讼（未经复议直接起诉）,
    /// 行政诉讼（复议后起诉）), each with its own five-column header.
    pub reviews_split: bool,
    /// Section 四's group and column header words broken over two lines
    /// (`结果 结果 其他 尚未 总` / `维持 纠正 结果 审结 计`).
    pub two_line_heads: bool,
    pub md_head: MdHead,
    /// Markdown: the last rows of section 三 after a page break, under the
    /// table's first header row printed again (it names no column).
    pub wrong_head: bool,
    /// Delimited rows: the empty fields a merged cell leaves at the end of a
    /// row are left out (blank values stay).
    pub trim_spans: bool,
    /// Separator lines: a blank cell is nothing between two `|` lines (else
    /// an empty line).
    pub bare_blanks: bool,
}

/// Words of the layout names and operators added with the layouts that keep
/// cell positions (`text-md-ph-four3-2021-utf8` holds `md`, `ph`, `four3`).
pub const ADDED_WORDS: &[&str] = &[
    "md",
    "tsv",
    "csv",
    "seplines",
    "ph",
    "nohead",
    "wronghead",
    "blocks",
    "headrow",
    "four3",
    "four2l",
    "blanks",
    "trim",
    "bare",
    "reorder-columns",
    "reorder-values",
];

/// Which layouts a seed may draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layouts {
    /// Every layout.
    All,
    /// The original seven only, drawn exactly as before the layouts that keep
    /// cell positions were added (the corpus cases up to seed 1015 and the
    /// README's speed figures replay so).
    Original,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub template: TemplateId,
    pub format: Format,
    pub encoding: Encoding,
    /// For HTML: declare the charset in a `<meta>`.
    pub declare_charset: bool,
    pub variants: Variants,
    pub shapes: Shapes,
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
            shapes: Shapes::default(),
        }
    }

    /// The options of report `seed`: the original draw from `rng`, then, for
    /// [`Layouts::All`], the layouts that keep cell positions from the second
    /// stream `shapes` (a seed that draws none of them is left as it was).
    pub fn draw(rng: &mut Rng, shapes: &mut Rng, layouts: Layouts) -> Options {
        let mut o = Options::random(rng);
        if layouts == Layouts::All {
            o.draw_shapes(shapes);
        }
        o
    }

    /// A new text layout in about a quarter of the reports; section 四 as
    /// three tables, headings before rows and blanks in a fifth of the HTML
    /// pages.
    fn draw_shapes(&mut self, rng: &mut Rng) {
        let style = match rng.below(100) {
            0..10 => TextStyle::Markdown,
            10..17 => TextStyle::Tsv,
            17..20 => TextStyle::Csv,
            20..27 => TextStyle::SepLines,
            _ => {
                if self.format.is_html() && rng.chance(20) {
                    let s = &mut self.shapes;
                    s.reviews_split = rng.chance(50);
                    s.headings = if rng.chance(50) {
                        Headings::Rows
                    } else {
                        Headings::None
                    };
                    s.blanks = rng.chance(50);
                    s.reviews_split |= s.headings == Headings::None && !s.blanks;
                }
                return;
            }
        };
        self.format = Format::Text(style);
        let s = &mut self.shapes;
        s.blanks = rng.chance(60);
        s.reviews_split = rng.chance(30);
        s.two_line_heads = rng.chance(30);
        s.headings = match (style, rng.below(100)) {
            (TextStyle::Markdown, 0..30) => Headings::Blocks,
            (TextStyle::Markdown, 30..50) | (_, 0..25) => Headings::Rows,
            _ => Headings::None,
        };
        if style == TextStyle::Markdown {
            s.md_head = match rng.below(4) {
                0 => MdHead::Placeholder,
                1 => MdHead::Empty,
                _ => MdHead::FirstRow,
            };
            s.wrong_head = rng.chance(25);
        }
        s.trim_spans = matches!(style, TextStyle::Tsv | TextStyle::Csv) && rng.chance(40);
        s.bare_blanks = style == TextStyle::SepLines && rng.chance(50);
    }

    /// One of the original seven layouts, with none of the later shapes.
    pub fn original(&self) -> bool {
        self.shapes == Shapes::default()
            && !matches!(
                self.format,
                Format::Text(
                    TextStyle::Markdown | TextStyle::Tsv | TextStyle::Csv | TextStyle::SepLines
                )
            )
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
            shapes: Shapes::default(),
        }
    }

    /// Short name of the layout, for file names and tallies.
    pub fn layout_name(&self) -> String {
        format!("{}-{}", self.format_name(), self.encoding_name())
    }

    /// The layout without the encoding (`html-word-2021`,
    /// `text-md-ph-four3-2019`).
    pub fn format_name(&self) -> String {
        format!("{}-{}", self.words().join("-"), self.template.as_str())
    }

    /// The format, then a word per shape drawn (see [`ADDED_WORDS`]).
    pub fn words(&self) -> Vec<&'static str> {
        let s = &self.shapes;
        let format = match self.format {
            Format::Html(HtmlStyle::Plain) => "html-plain",
            Format::Html(HtmlStyle::Word) => "html-word",
            Format::Html(HtmlStyle::Spans) => "html-spans",
            Format::Html(HtmlStyle::Misaligned) => "html-misaligned",
            Format::Text(TextStyle::CellPerLine) => "text-cells",
            Format::Text(TextStyle::Rows) => "text-rows",
            Format::Text(TextStyle::RunTogether) => "text-runtogether",
            Format::Text(TextStyle::Markdown) => "text-md",
            Format::Text(TextStyle::Tsv) => "text-tsv",
            Format::Text(TextStyle::Csv) => "text-csv",
            Format::Text(TextStyle::SepLines) => "text-seplines",
        };
        let head = match s.md_head {
            MdHead::FirstRow => None,
            MdHead::Placeholder => Some("ph"),
            MdHead::Empty => Some("nohead"),
        };
        let headings = match s.headings {
            Headings::None => None,
            Headings::Rows => Some("headrow"),
            Headings::Blocks => Some("blocks"),
        };
        [
            Some(format),
            head,
            s.wrong_head.then_some("wronghead"),
            headings,
            s.reviews_split.then_some("four3"),
            s.two_line_heads.then_some("four2l"),
            s.blanks.then_some("blanks"),
            s.trim_spans.then_some("trim"),
            s.bare_blanks.then_some("bare"),
        ]
        .into_iter()
        .flatten()
        .collect()
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
