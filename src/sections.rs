//! Stage 3: the six numbered headings (spec §1, §7), found in running text
//! even when glued to the text before or after them, and the text between.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::blocks::Block;
use crate::normalize::NUMERALS;
use crate::words::Words;

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Section {
    pub number: u8,
    #[schemars(schema_with = "crate::schema::section_key")]
    pub key: SectionKey,
    pub heading: String,
    pub text: String,
}

crate::template::keys! {
    /// What a section is about: the six of the official form
    /// ([`SectionKey::OFFICIAL`]) and, in a pre-2019 report, its own `fees`
    /// ([`SectionKey::ALL`] lists them in a legacy report's order).
    SectionKey {
        Overview = "overview",
        Proactive = "proactive",
        Requests = "requests",
        Fees = "fees",
        ReviewsAndLawsuits = "reviews_and_lawsuits",
        Problems = "problems",
        Other = "other",
    }
}

impl SectionKey {
    /// The six sections of the 2019 and 2021 forms, in their order (the
    /// section numbered `i + 1` is `OFFICIAL[i]`).
    pub const OFFICIAL: [SectionKey; 6] = [
        SectionKey::Overview,
        SectionKey::Proactive,
        SectionKey::Requests,
        SectionKey::ReviewsAndLawsuits,
        SectionKey::Problems,
        SectionKey::Other,
    ];
}

/// A title pattern, anchored at the text after a section number, with the
/// words one of which every match holds within its first `within`
/// characters: most numbered marks (`统一、`, `第三，`) are no heading, and
/// a few byte comparisons pass them over without a regex search.
struct Title {
    re: Regex,
    /// The words, each searcher built once.
    cues: Vec<memchr::memmem::Finder<'static>>,
    within: usize,
}

impl Title {
    fn new(cues: &'static [&'static str], within: usize, pattern: &str) -> Title {
        Title {
            re: Regex::new(pattern).unwrap_or_else(|e| unreachable!("{e}")),
            cues: cues.iter().map(memchr::memmem::Finder::new).collect(),
            within,
        }
    }

    /// The title at the start of `rest`.
    fn find<'h>(&self, rest: &'h str) -> Option<regex::Match<'h>> {
        // A character is at most four bytes.
        let head = rest.get(..rest.floor_char_boundary(4 * self.within))?;
        self.cues
            .iter()
            .any(|c| c.find(head.as_bytes()).is_some())
            .then(|| self.re.find(rest))?
    }
}

/// Title patterns per section, 2019/2021 wording and the variants seen,
/// plus the 2008-era part names so legacy reports get their sections too.
static TITLES: LazyLock<[Title; 6]> = LazyLock::new(|| {
    let t = |cues, within, p: &str| Title::new(cues, within, &format!("^(?:{p})"));
    [
        t(
            &["总体情况", "概述", "基本情况"],
            4,
            r"总体情况|概述|基本情况",
        ),
        t(
            &["主动公开"],
            4,
            r"主动公开政府信息(?:的)?情况|主动公开[^。；\n]{0,8}?情况",
        ),
        t(
            &["收到和处理", "依申请公开"],
            13,
            r"收到和处理政府信息公开申请(?:的)?情况|[^。；\n]{0,8}?依申请公开[^。；\n]{0,10}?情况",
        ),
        t(
            &["复议"],
            29,
            r"[^。；\n、0-9]{0,24}?行政(?:法)?复议[^。；\n0-9]{0,24}?情况",
        ),
        t(
            &["主要问题"],
            23,
            r"[^。；\n]{0,16}?存在的?主要问题[^。；\n]{0,16}?(?:情况|措施)",
        ),
        t(
            &["需要"],
            4,
            r"其他需要报告的事项|其他需要说明的事项|需要说明的事项",
        ),
    ]
});

/// The parts of a pre-2019 report (spec §4), by what their titles name
/// (概述 / 主动公开 / 依申请公开 / 收费 / 复议诉讼 / 问题与改进…); numbered as
/// the report numbers them, up to 十.
static PARTS: LazyLock<[(Title, SectionKey); 7]> = LazyLock::new(|| {
    // The title runs on to its 情况/措施/事项 when it has one.
    let t = |cues, within, p: &str| {
        Title::new(
            cues,
            within,
            &format!("^(?:{p})(?:[^。；\\n\\s]{{0,20}}?(?:情况|措施|事项))?"),
        )
    };
    [
        (
            t(
                &["概述", "总体情况", "基本情况"],
                4,
                r"概述|总体情况|基本情况",
            ),
            SectionKey::Overview,
        ),
        (
            t(&["主动公开"], 12, r"[^。；\n]{0,8}?主动公开"),
            SectionKey::Proactive,
        ),
        (
            t(&["依申请公开"], 13, r"[^。；\n]{0,8}?依申请公开"),
            SectionKey::Requests,
        ),
        (t(&["收费"], 14, r"[^。；\n]{0,12}?收费"), SectionKey::Fees),
        (
            t(
                &["复议", "诉讼"],
                21,
                r"[^。；\n]{0,16}?(?:行政(?:法)?复议|行政诉讼|复议诉讼|复议和诉讼)",
            ),
            SectionKey::ReviewsAndLawsuits,
        ),
        (
            t(
                &["问题", "改进"],
                20,
                r"[^。；\n]{0,16}?(?:主要问题|问题与改进|问题和改进|改进措施)",
            ),
            SectionKey::Problems,
        ),
        (
            t(&["其他", "需要"], 4, r"其他需要|需要说明|其他事项"),
            SectionKey::Other,
        ),
    ]
});

/// The marks a section numeral stands before (`四、`, `五. `, `三，`).
const MARKS: [char; 5] = ['、', '.', ',', '．', '，'];

/// The numerals of [`NUMERALS`], the first six and all ten, each found by
/// one multi-pattern search: numerals are a few in a hundred characters of
/// a report, the marks after them (`、，`) ten times more, so a scan led by
/// the numerals looks at far fewer places.
static NUMERAL_SEARCH: LazyLock<[Words; 2]> = LazyLock::new(|| {
    [6, NUMERALS.len()].map(|n| {
        let words: Vec<String> = NUMERALS[..n].iter().map(|c| c.to_string()).collect();
        Words::new(&words)
    })
});

/// Every numeral among the first `upto` (6 or 10) of [`NUMERALS`] in `p`
/// that whitespace and then one of [`MARKS`] follow, in order: its index,
/// where it starts and where its mark stands, and the mark. A numeral is
/// one character, so the matches are all of them.
fn numbered_marks(p: &str, upto: usize) -> impl Iterator<Item = (usize, usize, usize, char)> + '_ {
    let search = &NUMERAL_SEARCH[usize::from(upto > 6)];
    search.find_iter(p).filter_map(move |(idx, m)| {
        let rest = p.get(m.end..)?;
        // Most numerals (统一, 一是) are followed by neither: one byte tells.
        if !rest.as_bytes().first().is_some_and(|&b| may_follow(b)) {
            return None;
        }
        let after = rest.trim_start();
        let mark = after.chars().next().filter(|c| MARKS.contains(c))?;
        let at = p.len() - after.len();
        Some((idx, m.start, at, mark))
    })
}

/// Whether `b` may start whitespace or one of [`MARKS`]: the lead bytes
/// of every character [`char::is_whitespace`] takes (ASCII blanks, U+0085
/// and U+00A0, U+1680, U+2000…U+205F, U+3000), `,`, `.`, `、` and the
/// full-width `，．`.
fn may_follow(b: u8) -> bool {
    matches!(b, 0x09..=0x0D | b' ' | b',' | b'.' | 0xC2 | 0xE1..=0xE3 | 0xEF)
}

/// Every numbered mark in `p`: a numeral among the first `upto` of
/// [`NUMERALS`], whitespace, one of [`MARKS`], whitespace, where the numeral
/// starts the text or follows a character that is no numeral and no opening
/// bracket (`（三）、` and `十一、` are no such heading). Yields the numeral's
/// index, where it starts and where the trailing whitespace ends; one mark's
/// match ends before the next may start, so `一、二、` yields only the first.
fn numeral_marks(p: &str, upto: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut from = 0;
    numbered_marks(p, upto).filter_map(move |(idx, start, at, mark)| {
        let opens = match p.get(..start)?.chars().next_back() {
            None => from == 0,
            Some(c) => {
                start - c.len_utf8() >= from && !NUMERALS.contains(&c) && !matches!(c, '（' | '(')
            }
        };
        if !opens {
            return None;
        }
        let after = at + mark.len_utf8();
        let rest = p.get(after..).unwrap_or_default();
        from = after + (rest.len() - rest.trim_start().len());
        Some((idx, start, from))
    })
}

/// A heading found in a paragraph: its byte range, number and key.
struct Found {
    start: usize,
    end: usize,
    number: u8,
    key: SectionKey,
}

/// The official section at index `idx` (`other` past the sixth).
fn official(idx: usize) -> SectionKey {
    SectionKey::OFFICIAL
        .get(idx)
        .copied()
        .unwrap_or(SectionKey::Other)
}

fn find_headings(p: &str) -> Vec<Found> {
    let mut out = Vec::new();
    // A dropped numeral (`、主动公开政府信息情况`) only at the start of a line.
    if let Some(rest) = p.strip_prefix('、')
        && let Some((idx, m)) = TITLES
            .iter()
            .enumerate()
            .find_map(|(i, r)| r.find(rest).map(|m| (i, m)))
    {
        out.push(Found {
            start: 0,
            end: '、'.len_utf8() + m.end(),
            number: (idx + 1) as u8,
            key: official(idx),
        });
    }
    // Where [`numbered`] finds nothing, this finds nothing either: its scan
    // is the one [`numbered`] makes, so asking it first would only repeat
    // the scan where there are numbered marks.
    for (idx, start, end) in numeral_marks(p, 6) {
        let rest = p.get(end..).unwrap_or_default();
        if let Some(m) = TITLES.get(idx).and_then(|r| r.find(rest)) {
            out.push(Found {
                start,
                end: end + m.end(),
                number: (idx + 1) as u8,
                key: official(idx),
            });
        }
    }
    out
}

/// Where numbered headings end in `s` (byte offsets), for text where a
/// heading is glued to the table's header words (`…四、政府信息公开行政复议、
/// 行政诉讼情况行政复议行政诉讼结果维持…`).
pub fn heading_ends(s: &str) -> Vec<usize> {
    find_headings(s).into_iter().map(|f| f.end).collect()
}

/// Whether `s` holds a numbered heading.
pub fn has_heading(s: &str) -> bool {
    numbered(s) && !find_headings(s).is_empty()
}

/// A quick scan for a section numeral and its punctuation (`四、`, `五. `),
/// before any regex: most text has none. Asked of every paragraph and of
/// the tokeniser's glued text ([`numbered_marks`]).
pub fn numbered(s: &str) -> bool {
    numbered_marks(s, 6).next().is_some()
}

/// Whether `s` starts with a numbered heading. Only a numeral (or the `、`
/// of a dropped one) at its start can open one: other texts are not
/// searched.
pub fn heading_starts_at_zero(s: &str) -> bool {
    let opens = s.starts_with('、') || s.starts_with(|c| NUMERALS[..6].contains(&c));
    opens && find_headings(s).iter().any(|f| f.start == 0)
}

/// Split the document into its numbered sections. Headings must come in
/// increasing order; a number may be skipped (a missing section).
pub fn sections(blocks: &[Block]) -> Vec<Section> {
    split(blocks, find_headings)
}

/// The parts of a pre-2019 report, numbered as it numbers them.
pub fn legacy_parts(blocks: &[Block]) -> Vec<Section> {
    split(blocks, find_parts)
}

fn find_parts(p: &str) -> Vec<Found> {
    if !p.contains(['、', '.', '．', ',', '，']) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (idx, start, end) in numeral_marks(p, NUMERALS.len()) {
        let rest = p.get(end..).unwrap_or_default();
        if let Some((m, key)) = PARTS
            .iter()
            .find_map(|(r, k)| r.find(rest).map(|m| (m, *k)))
        {
            out.push(Found {
                start,
                end: end + m.end(),
                number: idx as u8 + 1,
                key,
            });
        }
    }
    out
}

fn split(blocks: &[Block], find: fn(&str) -> Vec<Found>) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut next = 1u8;
    for b in blocks {
        let Block::Para(p) = b else { continue };
        let mut pos = 0;
        for f in find(p) {
            if f.number < next || f.start < pos {
                continue;
            }
            if let Some(cur) = out.last_mut() {
                append(&mut cur.text, p.get(pos..f.start).unwrap_or_default());
            }
            // A heading on a line of its own keeps the whole line.
            let end = if p.len() - f.end <= 12 && f.start == 0 {
                p.len()
            } else {
                f.end
            };
            out.push(Section {
                number: f.number,
                key: f.key,
                heading: p.get(f.start..end).unwrap_or_default().trim().to_string(),
                text: String::new(),
            });
            next = f.number + 1;
            pos = end;
        }
        if let Some(cur) = out.last_mut() {
            append(&mut cur.text, p.get(pos..).unwrap_or_default());
        }
    }
    out
}

fn append(text: &mut String, s: &str) {
    let s = s.trim();
    if s.is_empty() {
        return;
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`numbered`] must say: some numeral `一`…`六` followed, after
    /// any whitespace, by one of the marks (the scan by characters).
    fn numbered_by_chars(s: &str) -> bool {
        s.char_indices().any(|(i, c)| {
            matches!(c, '一' | '二' | '三' | '四' | '五' | '六')
                && s[i + c.len_utf8()..]
                    .trim_start()
                    .starts_with(['、', '.', ',', '．', '，'])
        })
    }

    #[test]
    fn numbered_finds_a_numeral_before_a_mark() {
        for s in [
            "元三、收到和处理",
            "共计五.项",
            "第二,条",
            "合计12件四 、其他",
            "四\u{3000}\n．主动公开",
            "六，其他",
            "一二三",
            "十、其他",
            "七、其他",
            "、.,．，",
            "已于二〇二三年公开",
            "三ぁ、",
            "五\u{ff0e}",
            "",
        ] {
            assert_eq!(numbered(s), numbered_by_chars(s), "{s}");
            let n = crate::normalize::norm(s);
            assert_eq!(numbered(&n), numbered_by_chars(&n), "{n}");
        }
    }

    /// [`numeral_marks`] against the regex it stands for, on random text
    /// of numerals, brackets, marks, whitespace and other characters.
    #[test]
    fn numeral_marks_match_the_regex() {
        let reference = |upto: &str| {
            Regex::new(&format!(
                r"(?:^|[^一二三四五六七八九十（(])([{upto}])\s*[、.．，,]\s*"
            ))
            .unwrap_or_else(|e| unreachable!("{e}"))
        };
        let references = [
            (6, reference("一二三四五六")),
            (10, reference("一二三四五六七八九十")),
        ];
        let alphabet: Vec<char> =
            "一二六七十（(、.．，, \u{3000}\n中1x\t\u{b}\u{85}\u{a0}\u{1680}\u{2003}\u{2028}\u{205f}"
                .chars()
                .collect();
        let mut rng = crate::synth::Rng::new(0x2545_f491);
        for n in 0..20_000 {
            let len = 1 + n % 12;
            let s: String = (0..len).map(|_| *rng.pick(&alphabet)).collect();
            for (upto, re) in &references {
                let want: Vec<(usize, usize, usize)> = re
                    .captures_iter(&s)
                    .filter_map(|c| {
                        let num = c.get(1)?;
                        let idx = NUMERALS.iter().position(|&d| num.as_str().starts_with(d))?;
                        Some((idx, num.start(), c.get(0)?.end()))
                    })
                    .collect();
                let got: Vec<_> = numeral_marks(&s, *upto).collect();
                assert_eq!(got, want, "{s:?} up to {upto}");
            }
        }
    }

    /// [`Title::find`] (the cues first) against the bare pattern, for every
    /// section title and legacy part: on random text of the titles' words,
    /// and on each title's words after 0 to 30 characters of filler, where
    /// a reach one character short would show.
    #[test]
    fn cues_pass_no_title_over() {
        let words = [
            "总体情况",
            "概述",
            "基本情况",
            "主动公开",
            "政府信息",
            "的",
            "情况",
            "收到和处理",
            "政府信息公开申请",
            "依申请公开",
            "行政",
            "法",
            "复议",
            "诉讼",
            "和",
            "存在",
            "主要问题",
            "问题",
            "与",
            "改进",
            "措施",
            "其他",
            "需要",
            "报告",
            "说明",
            "事项",
            "收费",
            "。",
            "；",
            "\n",
            " ",
            "、",
            "1",
            "中文字",
            "𠀀",
            "其他需要报告的事项",
            "需要说明的事项",
            "其他需要说明的事项",
        ];
        let cores = [
            "行政法复议情况",
            "存在的主要问题情况",
            "依申请公开情况",
            "依申请公开",
            "主动公开",
            "收费",
            "行政法复议",
            "行政诉讼",
            "复议和诉讼",
            "问题与改进",
            "改进措施",
        ];
        let mut texts: Vec<String> = Vec::new();
        for fill in ["中", "𠀀"] {
            for k in 0..30 {
                texts.extend(cores.iter().map(|c| format!("{}{c}", fill.repeat(k))));
            }
        }
        let mut rng = crate::synth::Rng::new(0x3c6e_f372);
        texts.extend((0..40_000).map(|n| (0..1 + n % 14).map(|_| *rng.pick(&words)).collect()));
        let titles: Vec<&Title> = TITLES.iter().chain(PARTS.iter().map(|(t, _)| t)).collect();
        let mut found = vec![0; titles.len()];
        for s in &texts {
            for (t, n) in titles.iter().zip(&mut found) {
                let want = t.re.find(s);
                *n += usize::from(want.is_some());
                assert_eq!(t.find(s), want, "{s:?}: {}", t.re.as_str());
            }
        }
        assert!(found.iter().all(|&n| n >= 50), "{found:?}");
    }

    /// [`heading_starts_at_zero`] against the headings found, on every
    /// line of the corpora and on texts that open with each numeral, the
    /// `、` of a dropped one, and other characters.
    #[test]
    fn a_heading_at_zero_opens_with_a_numeral() {
        let mut texts: Vec<String> = Vec::new();
        for t in crate::corpus_inputs::texts() {
            texts.extend(t.lines().map(str::to_owned));
        }
        let mut heads: Vec<String> = ["", "、", " ", "（", "1"].map(String::from).to_vec();
        heads.extend(NUMERALS.iter().map(char::to_string));
        let titles = [
            "、总体情况",
            "、主动公开政府信息情况",
            " 、其他需要报告的事项",
            "主动公开政府信息情况",
            "，收到和处理政府信息公开申请情况",
        ];
        for head in &heads {
            texts.extend(titles.iter().map(|t| format!("{head}{t}")));
        }
        let mut opened = 0;
        for t in &texts {
            let want = find_headings(t).iter().any(|f| f.start == 0);
            opened += usize::from(want);
            assert_eq!(heading_starts_at_zero(t), want, "{t:?}");
        }
        assert!(opened >= 8, "{opened}");
    }

    fn heads(paras: &[&str]) -> Vec<(u8, String)> {
        let blocks: Vec<Block> = paras.iter().map(|p| Block::Para(p.to_string())).collect();
        sections(&blocks)
            .into_iter()
            .map(|s| (s.number, s.heading))
            .collect()
    }

    #[test]
    fn variants_and_glued() {
        let h = heads(&[
            "本报告包括总体情况、主动公开政府信息情况等六部分。一、总体情况2021年，我区……",
            "、主动公开政府信息情况",
            "四、结转下年度继续办理 0 0 0",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政法复议、行政诉讼情况行政复议 0",
            "五. 存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ]);
        let nums: Vec<u8> = h.iter().map(|x| x.0).collect();
        assert_eq!(nums, [1, 2, 3, 4, 5, 6]);
        assert_eq!(h[0].1, "一、总体情况");
        assert_eq!(h[3].1, "四、政府信息公开行政法复议、行政诉讼情况");
    }

    #[test]
    fn parts_of_a_pre_2019_report() {
        let blocks: Vec<Block> = [
            "本报告由某局根据《条例》要求编制。",
            "一、概述",
            "本年度公开工作有序开展。",
            "二、主动公开",
            "三、依申请公开",
            "四、收费",
            "五、复议诉讼",
            "六、问题与改进",
        ]
        .iter()
        .map(|p| Block::Para(p.to_string()))
        .collect();
        let parts: Vec<(u8, &str)> = legacy_parts(&blocks)
            .iter()
            .map(|s| (s.number, s.key.as_str()))
            .collect();
        assert_eq!(
            parts,
            [
                (1, "overview"),
                (2, "proactive"),
                (3, "requests"),
                (4, "fees"),
                (5, "reviews_and_lawsuits"),
                (6, "problems")
            ]
        );
        // The 2019 skeleton finds only the first: 二、主动公开 has no 情况.
        assert_eq!(sections(&blocks).len(), 1);
    }

    #[test]
    fn section_text_is_kept() {
        let blocks = vec![
            Block::Para("一、总体情况".into()),
            Block::Para("本年度主动公开信息234条。".into()),
        ];
        let s = sections(&blocks);
        assert_eq!(s[0].text, "本年度主动公开信息234条。");
    }
}
