//! Stage 6: the whole pipeline for one report, and its JSON (the contract in
//! `shared/spec/output.md`, schema version 1).

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::blocks::{self, Block};
use crate::checks;
use crate::decode::decode;
use crate::flags::{Code, Flag, Severity};
use crate::mapping::{self, TableData};
use crate::meta::{Doc, Meta, meta};
use crate::provenance::Places;
use crate::sections::{Section, sections};
use crate::shape::Tables;
use crate::stream::{Stream, TokKind, tokens_in};
use crate::template::Template;
use crate::value::CellValue;

pub const SCHEMA_VERSION: u32 = 1;

/// Reports are kilobytes to a few megabytes; beyond this a file is an
/// archive, a dump or an attack, and reading it whole would cost memory in
/// proportion (the DOM alone is ten times the page).
pub const MAX_BYTES: usize = 16 << 20;

/// Flags of one code kept per report; the rest are counted in one flag, so
/// a pathological page cannot produce a million flags.
const MAX_FLAGS_PER_CODE: usize = 100;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Source {
    pub path: String,
    /// Only when the path is not UTF-8: its bytes as lower-case hex
    /// (`path` then shows them as `\xNN`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<String>,
    pub bytes: usize,
    pub sha256: String,
    #[schemars(schema_with = "crate::schema::source_format")]
    pub format: &'static str,
    pub encoding: &'static str,
    /// `gongkai <version>`: which parser wrote this JSON.
    pub tool: &'static str,
}

/// The `source.tool` of every JSON this build writes.
pub const TOOL: &str = concat!("gongkai ", env!("CARGO_PKG_VERSION"));

/// One report as JSON: the contract of `shared/spec/output.md` (schema 1).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Report {
    pub schema_version: u32,
    pub source: Source,
    pub meta: Meta,
    pub sections: Vec<Section>,
    #[schemars(schema_with = "crate::schema::tables")]
    pub tables: Tables,
    /// Figures the narrative states, with the sentence each came from.
    pub facts: Vec<crate::facts::Fact>,
    /// Rows the template does not have, keyed by table path.
    #[serde(skip_serializing_if = "Map::is_empty")]
    #[schemars(schema_with = "crate::schema::extra_rows")]
    pub extra_rows: Map<String, Value>,
    pub flags: Vec<Flag>,
    /// Only when asked for ([`Options::provenance`]): where each value of
    /// `tables` was read, in `tables`' shape (see [`crate::provenance`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::provenance")]
    pub provenance: Option<Map<String, Value>>,
    /// The template the tables were read on (2021 for `unknown`); `None`
    /// for legacy reports and pages that are no report.
    #[serde(skip)]
    pub read_on: Option<&'static Template>,
    /// The decoded text, kept when asked for ([`Options::text`]): what
    /// the provenance's lines and byte ranges point into.
    #[serde(skip)]
    pub text: Option<String>,
    /// Where each value of `tables` was read in `text`, typed (with
    /// [`Options::text`]): what a view of the source reads cell by cell
    /// without building the `provenance` object.
    #[serde(skip)]
    pub places: Option<crate::provenance::Places>,
}

/// What a parse keeps beyond the report's contract fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Fill [`Report::provenance`].
    pub provenance: bool,
    /// Keep the decoded text in [`Report::text`], and where each value
    /// was read in it in [`Report::places`].
    pub text: bool,
}

impl Report {
    /// A report with at least one error flag: its figures are not a complete,
    /// consistent set.
    pub fn malformed(&self) -> bool {
        self.flags.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Parse one report from its bytes. Never fails: problems are flags.
pub fn parse_bytes(bytes: &[u8], path: &str) -> Report {
    parse_with(bytes, path, Options::default())
}

/// [`parse_bytes`], keeping what `opts` asks for.
pub fn parse_with(bytes: &[u8], path: &str, opts: Options) -> Report {
    let mut flags = Vec::new();
    let dec = decoded(bytes, &mut flags);
    let html = looks_like_html(&dec.text);
    // Where the values were read: for the JSON's provenance or the places.
    let locate = opts.provenance || opts.text;
    let (spanned, head) = to_blocks(&dec.text, html, locate, &mut flags);
    let blocks = spanned.blocks;
    let mut secs = sections(&blocks);
    // Contacts sit in the preamble or in the opening lines of 一、总体情况.
    let mut preamble = preamble(&blocks, &secs);
    if let Some(first) = secs.first().filter(|s| s.number == 1) {
        preamble.push_str(
            first
                .text
                .get(..first.text.floor_char_boundary(4000))
                .unwrap_or_default(),
        );
    }
    let (mut meta, meta_flags) = meta(&Doc {
        blocks: &blocks,
        head: head.as_ref(),
        preamble: &preamble,
        sections: &secs,
        path,
    });
    flags.extend(meta_flags);
    let src = crate::stream::Source {
        text: &dec.text,
        spans: &spanned.spans,
        html,
        figures: locate,
    };
    let stream = to_stream(&blocks, src, &mut flags);
    let kind = crate::detect::detect(&stream, &blocks, &mut secs, meta.year, &mut flags);
    meta.template = kind.as_str();
    let tpl = kind.template();
    let mut facts = crate::facts::extract(&stream.text, tpl);
    crate::provenance::fact_lines(&mut facts, &stream, &blocks, src);
    let (tables, extra_rows, places) = match tpl {
        Some(tpl) => {
            let data = read_tables(&stream, tpl, &facts, &mut flags);
            missing_sections(&secs, &mut flags);
            let extra_rows = extra_rows(&data);
            let places = locate.then(|| Places::of(&data));
            (Tables::new(data), extra_rows, places)
        }
        None => (Tables::default(), Map::new(), locate.then(Places::default)),
    };
    let provenance = places
        .as_ref()
        .filter(|_| opts.provenance)
        .map(|p| crate::provenance::json(p, src.text, src.html));
    Report {
        schema_version: SCHEMA_VERSION,
        source: Source {
            path: path.to_string(),
            path_bytes: None,
            bytes: bytes.len(),
            sha256: sha256_hex(bytes),
            format: if html { "html" } else { "text" },
            encoding: dec.encoding,
            tool: TOOL,
        },
        meta,
        sections: secs,
        tables,
        facts,
        extra_rows,
        flags: cap_flags(flags),
        provenance,
        read_on: tpl,
        text: opts.text.then(|| dec.text.into_owned()),
        places: places.filter(|_| opts.text),
    }
}

/// The text of the first [`MAX_BYTES`], and what decoding it revealed.
fn decoded<'a>(whole: &'a [u8], flags: &mut Vec<Flag>) -> crate::decode::Decoded<'a> {
    let bytes = if whole.len() > MAX_BYTES {
        flags.push(Flag::new(
            Code::INPUT_TOO_LARGE,
            format!(
                "more than {} MiB; only the first {} MiB were read",
                MAX_BYTES >> 20,
                MAX_BYTES >> 20
            ),
        ));
        whole.get(..MAX_BYTES).unwrap_or(whole)
    } else {
        whole
    };
    let dec = decode(bytes);
    if dec.guessed {
        flags.push(Flag::new(
            Code::ENCODING_GUESSED,
            format!("no BOM or charset declaration; detected {}", dec.encoding),
        ));
    }
    if dec.had_errors {
        flags.push(Flag::new(
            Code::DECODE_ERRORS,
            format!("bytes not valid in {} were replaced", dec.encoding),
        ));
    }
    dec
}

/// The document's blocks with their ranges in `text`, and the page's head
/// when it is HTML.
fn to_blocks(
    text: &str,
    html: bool,
    locate: bool,
    flags: &mut Vec<Flag>,
) -> (blocks::Spanned, Option<blocks::html::HtmlHead>) {
    if html && blocks::html::too_deep(text) {
        flags.push(Flag::new(
            Code::HTML_TOO_DEEP,
            format!(
                "elements nest deeper than {} levels (or more than {} inline elements stay open); read as text with the tags removed",
                blocks::html::MAX_DEPTH,
                blocks::html::MAX_INLINE
            ),
        ));
        // The text without its tags is not the decoded text: no ranges.
        let blocks = blocks::text::blocks(&blocks::html::strip_tags(text));
        let mut b = blocks::Spanned {
            spans: vec![None; blocks.len()],
            blocks,
        };
        b.forget_cells();
        (b, None)
    } else if html {
        let (b, h) = blocks::html::spanned(text, locate);
        (b, Some(h))
    } else {
        (blocks::text::spanned(text), None)
    }
}

/// The token stream; its last figure marked [`CellValue::Cut`] when the
/// file stops abruptly.
fn to_stream<'b>(
    blocks: &'b [Block],
    src: crate::stream::Source,
    flags: &mut Vec<Flag>,
) -> Stream<'b> {
    let (text, html) = (src.text, src.html);
    let mut stream = tokens_in(blocks, Some(src));
    if stream.capped {
        flags.push(Flag::new(
            Code::INPUT_TOO_LARGE,
            format!(
                "more than {} cells and words; the rest was not read",
                crate::stream::MAX_TOKENS
            ),
        ));
    }
    if ends_abruptly(text, html)
        && let Some(last) = stream.toks.last_mut()
        && matches!(&last.kind, TokKind::Value(v) if v.is_value())
    {
        last.kind = TokKind::Value(CellValue::Cut);
    }
    stream
}

/// The tables on the template: mapped, digit runs split (the narrative's
/// figures narrowing the splits), checked and cross-checked.
fn read_tables(
    stream: &Stream,
    tpl: &'static Template,
    facts: &[crate::facts::Fact],
    flags: &mut Vec<Flag>,
) -> Vec<TableData> {
    let (mut data, map_flags) = mapping::map(stream, tpl);
    flags.extend(map_flags);
    flags.extend(crate::split::recover(&mut data, facts));
    flags.extend(checks::check(&data));
    flags.extend(crate::facts::cross_check(facts, &data));
    data
}

/// `extra_rows` of the tables as read.
fn extra_rows(data: &[TableData]) -> Map<String, Value> {
    let mut extra_rows = Map::new();
    for d in data {
        crate::shape::extras_json(d, &mut extra_rows);
    }
    extra_rows
}

fn missing_sections(secs: &[Section], flags: &mut Vec<Flag>) {
    let found: Vec<u8> = secs.iter().map(|s| s.number).collect();
    for (i, key) in crate::sections::SectionKey::OFFICIAL.iter().enumerate() {
        let n = (i + 1) as u8;
        if !found.contains(&n) {
            flags.push(Flag::new(
                Code::SECTION_MISSING,
                format!("no heading for section {n} ({key})"),
            ));
        }
    }
}

/// The `source.sha256` of these bytes: lower-case hex, as recorded in the
/// JSON (and compared by `batch --skip-unchanged`).
pub fn sha256_hex(bytes: &[u8]) -> String {
    // Two digits a byte written straight into one string (a `format!` per
    // byte cost a string each).
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        for d in [b >> 4, b & 0xf] {
            out.push(char::from(DIGITS[usize::from(d)]));
        }
    }
    out
}

/// At most [`MAX_FLAGS_PER_CODE`] flags of each code, then one that counts
/// the rest (same code and severity, no table). Counted by each code's
/// place in [`Code::ALL`] (its discriminant: both are written from one
/// list); most reports have no code over the cap, and keep their flags as
/// they are.
fn cap_flags(flags: Vec<Flag>) -> Vec<Flag> {
    let mut seen = vec![0usize; Code::ALL.len()];
    for f in &flags {
        if let Some(n) = seen.get_mut(f.code as usize) {
            *n += 1;
        }
    }
    if seen.iter().all(|&n| n <= MAX_FLAGS_PER_CODE) {
        return flags;
    }
    let mut kept = vec![0usize; Code::ALL.len()];
    let mut out: Vec<Flag> = flags
        .into_iter()
        .filter(|f| {
            kept.get_mut(f.code as usize).is_some_and(|n| {
                *n += 1;
                *n <= MAX_FLAGS_PER_CODE
            })
        })
        .collect();
    for (code, &n) in Code::ALL.iter().zip(&seen) {
        if n > MAX_FLAGS_PER_CODE {
            out.push(Flag::new(
                *code,
                format!(
                    "{} more {} flags not listed",
                    n - MAX_FLAGS_PER_CODE,
                    code.as_str()
                ),
            ));
        }
    }
    out
}

/// A page ends with a tag, and a text file that ends with a figure ends its
/// line; anything else was cut off mid-way (a truncated download).
fn ends_abruptly(text: &str, html: bool) -> bool {
    let end = text.trim_end();
    if html {
        !end.ends_with('>')
    } else {
        !text.ends_with('\n') && !end.ends_with('|')
    }
}

/// The tags that make a text a page, looked for in its first
/// [`HTML_CHARS`] characters (any case).
const TAGS: [&[u8]; 9] = [
    b"<html",
    b"<!doctype",
    b"<body",
    b"<table",
    b"<p>",
    b"<p ",
    b"<div",
    b"<meta",
    b"<head",
];

/// Characters from the start of a text where a page shows its tags.
const HTML_CHARS: usize = 2048;

/// Whether one of [`TAGS`] ends within the first [`HTML_CHARS`] characters
/// of `text`. Only the places of a `<` are read (a text file has none), and
/// the characters are counted only before a tag found: a position after an
/// ASCII tag is a character boundary, within the first [`HTML_CHARS`]
/// characters when no more than that many stand before it.
fn looks_like_html(text: &str) -> bool {
    let b = text.as_bytes();
    // A character is at most four bytes.
    let scan = b.get(..4 * HTML_CHARS).unwrap_or(b);
    memchr::memchr_iter(b'<', scan).any(|i| {
        TAGS.iter().any(|t| {
            b.get(i..i + t.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(t))
                && text
                    .get(..i + t.len())
                    .is_some_and(|s| s.chars().count() <= HTML_CHARS)
        })
    })
}

fn preamble(blocks: &[Block], secs: &[Section]) -> String {
    let mut out = String::new();
    // The heading looked for by its bytes (the same places as `str::find`,
    // a UTF-8 needle matching only at a character's start; faster).
    let heading = secs
        .first()
        .map(|s| memchr::memmem::Finder::new(s.heading.as_bytes()));
    for b in blocks {
        if let Block::Para(p) = b {
            if let Some(i) = heading.as_ref().and_then(|h| h.find(p.as_bytes())) {
                out.push_str(p.get(..i).unwrap_or_default());
                break;
            }
            out.push_str(p);
            out.push('\n');
            if out.len() > 20_000 {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Report {
        parse_bytes(text.as_bytes(), "test.txt")
    }

    fn codes(r: &Report) -> Vec<Code> {
        r.flags.iter().map(|f| f.code).collect()
    }

    /// The rule [`looks_like_html`] keeps: a tag within the bytes of the
    /// first [`HTML_CHARS`] characters, every byte tried.
    fn html_by_bytes(text: &str) -> bool {
        let end = text
            .char_indices()
            .nth(HTML_CHARS)
            .map_or(text.len(), |(i, _)| i);
        let head = text.as_bytes().get(..end).unwrap_or_default();
        (0..head.len()).any(|i| {
            TAGS.iter().any(|t| {
                head.get(i..i + t.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(t))
            })
        })
    }

    /// [`looks_like_html`] says what trying every byte says: on every corpus
    /// input, generated reports and pages, and texts of one- to four-byte
    /// characters with a tag (or its start) around the limit.
    #[test]
    fn html_is_told_by_its_tags_within_the_limit() {
        let mut texts: Vec<String> = crate::corpus_inputs::all()
            .into_iter()
            .map(|i| crate::decode::decode(&i.bytes).text.into_owned())
            .collect();
        for seed in 0..40 {
            let g = crate::synth::generate(seed).bytes();
            texts.push(crate::decode::decode(&g).text.into_owned());
        }
        let fills = ["a", "é", "中", "𠀀", "<", "<p", " "];
        let tags = [
            "<p>",
            "<P ",
            "<div",
            "<DIV",
            "<tab",
            "<!DOCTYPE html>",
            "<",
            "<html",
        ];
        let mut rng = crate::synth::Rng::new(0x1f83_d9ab);
        for n in 0..4_000 {
            let fill = *rng.pick(&fills);
            let count = HTML_CHARS - 8 + n % 16;
            texts.push(format!("{}{}{}", fill.repeat(count), rng.pick(&tags), fill));
        }
        let mut pages = 0;
        for t in &texts {
            let want = html_by_bytes(t);
            pages += usize::from(want);
            assert_eq!(looks_like_html(t), want, "{}", t.len());
        }
        assert!(pages > 500 && pages + 1_000 < texts.len(), "{pages}");
    }

    /// The flags [`cap_flags`] keeps, counted in a map by code: random
    /// lists of a few codes, some over the cap; and a code's discriminant
    /// is its place in [`Code::ALL`].
    #[test]
    fn flags_are_capped_per_code() {
        assert!(Code::ALL.iter().enumerate().all(|(i, c)| *c as usize == i));
        let by_map = |flags: Vec<Flag>| {
            let mut seen = std::collections::HashMap::new();
            let mut out: Vec<Flag> = flags
                .into_iter()
                .filter(|f| {
                    let n = seen.entry(f.code).or_insert(0);
                    *n += 1;
                    *n <= MAX_FLAGS_PER_CODE
                })
                .collect();
            for code in Code::ALL {
                if let Some(&n) = seen.get(code).filter(|&&n| n > MAX_FLAGS_PER_CODE) {
                    let more = n - MAX_FLAGS_PER_CODE;
                    out.push(Flag::new(
                        *code,
                        format!("{more} more {} flags not listed", code.as_str()),
                    ));
                }
            }
            out
        };
        let show = |flags: &[Flag]| -> Vec<String> {
            flags
                .iter()
                .map(|f| format!("{} {}", f.code.as_str(), f.message))
                .collect()
        };
        let mut rng = crate::synth::Rng::new(0x9b05_688c);
        let mut capped = 0;
        for n in 0..400 {
            let codes: Vec<Code> = (0..3).map(|_| *rng.pick(Code::ALL)).collect();
            let flags: Vec<Flag> = (0..n)
                .map(|i| Flag::new(*rng.pick(&codes), format!("flag {i}")))
                .collect();
            let want = show(&by_map(flags.clone()));
            capped += usize::from(want.len() < n);
            assert_eq!(show(&cap_flags(flags)), want);
        }
        assert!(capped > 100, "{capped}");
    }

    /// Two hexadecimal digits a byte, as `format!("{b:02x}")` writes them.
    #[test]
    fn hashes_are_lower_case_hex() {
        for n in 0..300 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + n) as u8).collect();
            let want: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(sha256_hex(&bytes), want);
        }
    }

    #[test]
    fn a_pre_2019_report_is_legacy_with_its_parts() {
        let r = read(
            "本报告由某县某局根据《中华人民共和国政府信息公开条例》要求编制。\n一、概述\n全年工作有序。\n二、主动公开\n全年主动公开信息216条。\n三、依申请公开\n受理申请5件，其中同意公开3件，部分公开1件。\n四、收费\n未收取费用。\n五、复议诉讼\n未发生。\n六、问题与改进\n一是内容不全。\n",
        );
        assert_eq!(r.meta.template, "legacy");
        assert!(!codes(&r).contains(&Code::NOT_A_REPORT));
        assert!(!r.malformed(), "{:?}", r.flags);
        assert_eq!(r.sections.len(), 6);
        assert_eq!(r.sections[3].key, crate::sections::SectionKey::Fees);
    }

    #[test]
    fn a_page_with_section_four_alone_is_read() {
        let r = read(
            "P. 8\n四、因政府信息公开工作被申请行政复议、提起行政诉讼情况\n行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n结果 结果 其他 尚未 总 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总\n维持 纠正 结果 审结 计 维持 纠正 结果 审结 计 维持 纠正 结果 审结 计\n0 0 0 0 0 1 0 0 1 2 0 0 0 0 0\n",
        );
        let c = codes(&r);
        assert!(!c.contains(&Code::NOT_A_REPORT), "{c:?}");
        assert_eq!(
            r.tables.to_value()["reviews_and_lawsuits"]["lawsuit_direct"]["total"],
            2
        );
        // The other tables are missing, and said so.
        assert!(c.contains(&Code::TABLE_MISSING));
    }
}
