//! Figures the narrative states (收到申请N件, 现行有效规范性文件N件, 行政复议N件…):
//! reported as `facts`, used to choose between splits of digits run
//! together, and cross-checked against the tables.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::template::{CellKey, Template};
use crate::words::Words;

crate::template::keys! {
    /// What a narrative figure counts (`kind` in the JSON).
    FactKind {
        RequestsReceived = "requests_received",
        RequestsCarriedOver = "requests_carried_over",
        RequestsHandled = "requests_handled",
        RequestsCarriedForward = "requests_carried_forward",
        ProactivePublished = "proactive_published",
        NormativeInForce = "normative_in_force",
        NormativeIssued = "normative_issued",
        Reviews = "reviews",
        Lawsuits = "lawsuits",
        ProcessingFees = "processing_fees",
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Fact {
    pub kind: FactKind,
    pub value: f64,
    pub unit: &'static str,
    /// The clause it was read from.
    pub sentence: String,
    /// The 1-based line of the decoded text it was read on (`null` where
    /// that is not known: [`crate::provenance::fact_lines`]).
    pub line: Option<usize>,
    /// The cells whose sum the fact states (empty: no table has it).
    #[serde(skip)]
    pub target: &'static [CellKey],
    /// The figure's byte range in the text it was read from.
    #[serde(skip)]
    pub figure: (usize, usize),
}

impl Fact {
    /// Whether the table cells it speaks of, summed, say the same figure.
    pub fn agrees_with(&self, sum: f64) -> bool {
        crate::arithmetic::same(sum, self.value)
    }
}

struct Pattern {
    kind: FactKind,
    unit: &'static str,
    /// A word every match holds (the pattern's own, written beside it): a
    /// clause without it is not searched, so most clauses cost a few byte
    /// scans rather than a regex search each.
    cue: memchr::memmem::Finder<'static>,
    /// The [`COUNTERS`] its source names (one bit each): every match ends its
    /// figure with one, so a clause where none follows a digit is not
    /// searched. Read from the pattern, so it cannot fall behind it.
    counters: u8,
    re: Regex,
}

fn pattern(kind: FactKind, unit: &'static str, cue: &'static str, re: &str) -> Pattern {
    Pattern {
        kind,
        unit,
        cue: memchr::memmem::Finder::new(cue),
        counters: counter_bits(|w| re.contains(w)),
        re: Regex::new(re).unwrap_or_else(|e| unreachable!("{e}")),
    }
}

/// Each pattern captures the figure in group 1. Written for the phrasings of
/// real reports; every one needs the counter word, so table headers (which
/// have none) never match.
static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        pattern(
            FactKind::RequestsReceived,
            "件",
            "申请",
            r"(?:收到|新收|受理)(?:各类|依)?(?:政府信息公开)?申请(?:共计|共|合计)?(\d+)件",
        ),
        pattern(
            FactKind::RequestsReceived,
            "件",
            "申请",
            r"(?:收到|新收|受理)(?:政府信息公开申请)?(\d+)件(?:政府信息公开)?申请",
        ),
        pattern(
            FactKind::RequestsCarriedOver,
            "件",
            "结转",
            r"上年度?结转(?:的)?(?:政府信息公开)?(?:申请)?(\d+)件",
        ),
        pattern(
            FactKind::RequestsHandled,
            "件",
            "办",
            r"(?:办结|办理完毕)(?:各类)?(?:申请)?(\d+)件",
        ),
        pattern(
            FactKind::RequestsCarriedForward,
            "件",
            "结转",
            r"(\d+)件(?:申请)?结转(?:至)?下一?年度",
        ),
        pattern(
            FactKind::ProactivePublished,
            "条",
            "主动公开",
            r"主动公开[^。;,]{0,12}?政府信息(\d+)条",
        ),
        pattern(
            FactKind::NormativeInForce,
            "件",
            "现行有效",
            r"现行有效(?:的)?(?:行政)?规范性文件(\d+)件",
        ),
        pattern(
            FactKind::NormativeIssued,
            "件",
            "制发",
            r"制发(?:的)?(?:行政)?规范性文件(\d+)件",
        ),
        pattern(
            FactKind::Reviews,
            "件",
            "行政复议",
            r"行政复议(?:案件)?(\d+)(?:件|起)",
        ),
        pattern(
            FactKind::Lawsuits,
            "件",
            "行政诉讼",
            r"行政诉讼(?:案件)?(\d+)(?:件|起)",
        ),
        pattern(
            FactKind::ProcessingFees,
            "元",
            "信息处理费",
            r"信息处理费(?:共计|共)?(\d+(?:\.\d+)?)元",
        ),
    ]
});

/// The counter words every pattern ends its figure with.
const COUNTERS: [&str; 4] = ["件", "条", "起", "元"];

/// The bits of the [`COUNTERS`] that `has`.
fn counter_bits(has: impl Fn(&str) -> bool) -> u8 {
    (COUNTERS.iter().enumerate())
        .filter(|(_, w)| has(w))
        .fold(0, |bits, (k, _)| bits | 1 << k)
}

/// Where a counter word follows a digit, and its bit: every pattern ends
/// its figure with one (the patterns' `\d` is any decimal digit; so is the
/// character before). Most clauses (table text, prose without figures) have
/// none, and the patterns are run only over the clauses that do. The
/// counters are one character each: every one is found.
fn counted(text: &str) -> Vec<(usize, u8)> {
    static SEARCH: LazyLock<Words> = LazyLock::new(|| Words::new(&COUNTERS));
    let mut counted = Vec::new();
    for (k, r) in SEARCH.find_iter(text) {
        if text[..r.start].chars().next_back().is_some_and(numeric) {
            counted.push((r.start, 1 << k));
        }
    }
    counted
}

/// The `。` around the clauses of [`extract`], asked in increasing order:
/// only the `。` on either side of each clause is searched for, and each
/// byte once (backwards from a clause to where the last search stopped,
/// forwards to the next `。`), not every `。` of the text, which are many
/// more than the counted clauses (each would cost a search of its own).
struct Stops<'a> {
    text: &'a str,
    /// Past the last `。` before the place asked last (0 if none).
    last_end: usize,
    /// The first `。` from the place asked last on (the text's end if
    /// none), once searched.
    next: Option<usize>,
}

impl<'a> Stops<'a> {
    fn new(text: &'a str) -> Self {
        Stops {
            text,
            last_end: 0,
            next: None,
        }
    }

    /// Past the last `。` before `at` (or 0), and the first `。` from `at`
    /// on (or the text's end). `at` is a character's start, and no less
    /// than the last one asked.
    fn around(&mut self, at: usize) -> (usize, usize) {
        static FORWARD: LazyLock<memchr::memmem::Finder> =
            LazyLock::new(|| memchr::memmem::Finder::new("。"));
        let b = self.text.as_bytes();
        match self.next {
            Some(next) if at <= next => return (self.last_end, next),
            // No `。` between the place asked last and `next`.
            next => {
                let lower = next.unwrap_or(0);
                if let Some(i) = b.get(lower..at).and_then(last_stop) {
                    self.last_end = lower + i + '。'.len_utf8();
                }
            }
        }
        let next = b.get(at..).and_then(|s| FORWARD.find(s));
        let next = next.map_or(b.len(), |i| at + i);
        self.next = Some(next);
        (self.last_end, next)
    }
}

/// Where the last `。` of `b` starts: found from its last byte, which
/// `memrchr` finds at vector speed where a reverse substring search reads
/// byte by byte. `E3 80 82` is `。` wherever it stands in UTF-8.
fn last_stop(b: &[u8]) -> Option<usize> {
    let mut end = b.len();
    while let Some(i) = memchr::memrchr(0x82, b.get(..end)?) {
        if i >= 2 && b.get(i - 2..i) == Some(&[0xE3, 0x80]) {
            return Some(i - 2);
        }
        end = i;
    }
    None
}

/// The clause around byte `at` of `text`: from past the last character
/// that ends a clause (`。`, `;`, `!`, `?`) before it to the first one from
/// it on (or the text's ends). The `。` are found by `stops`; the three
/// ASCII ones are looked for by their bytes between the `。` on either side
/// only, not over the whole text.
fn clause_at(text: &str, stops: &mut Stops, at: usize) -> std::ops::Range<usize> {
    let (from, to) = stops.around(at);
    let b = text.as_bytes();
    let start = b
        .get(from..at)
        .and_then(|s| memchr::memrchr3(b';', b'!', b'?', s))
        .map_or(from, |i| from + i + 1);
    let end = b
        .get(at..to)
        .and_then(|s| memchr::memchr3(b';', b'!', b'?', s))
        .map_or(to, |i| at + i);
    start..end
}

/// [`char::is_numeric`], answered without its table lookup for ASCII and
/// the CJK ideographs (none numeric), which is what stands before most
/// counter words.
fn numeric(c: char) -> bool {
    match c {
        '\0'..='\u{7f}' => c.is_ascii_digit(),
        '\u{4e00}'..='\u{9fff}' => false,
        _ => c.is_numeric(),
    }
}

/// Facts of the document's normalised text ([`crate::stream::Stream`]'s,
/// so no second normalisation), in reading order; the first statement of
/// each kind only (later ones are usually about something narrower). Only
/// the clauses of the [`counted`] figures are read ([`clause_at`]), and
/// in each only the patterns of its counters.
pub fn extract(text: &str, tpl: Option<&Template>) -> Vec<Fact> {
    let mut out: Vec<Fact> = Vec::new();
    let counted = counted(text);
    let mut stops = Stops::new(text);
    let mut next = 0;
    while let Some(&(at, _)) = counted.get(next) {
        let std::ops::Range { start, end } = clause_at(text, &mut stops, at);
        // The counters of this clause.
        let mut bits = 0;
        while let Some(&(_, bit)) = counted.get(next).filter(|c| c.0 < end) {
            bits |= bit;
            next += 1;
        }
        let clause = &text[start..end];
        if crate::value::has_digit(clause) {
            clause_facts(text, (clause, bits), tpl, &mut out);
        }
    }
    out
}

/// The facts of one clause (a slice of `text`, and the bits of the counters
/// that follow a digit in it) not yet in `out`.
fn clause_facts(
    text: &str,
    (clause, bits): (&str, u8),
    tpl: Option<&Template>,
    out: &mut Vec<Fact>,
) {
    for pat in PATTERNS.iter() {
        if pat.counters & bits == 0
            || out.iter().any(|f| f.kind == pat.kind)
            || pat.cue.find(clause.as_bytes()).is_none()
        {
            continue;
        }
        let Some(c) = pat.re.captures(clause) else {
            continue;
        };
        let amount = crate::template::ValueKind::Amount { unit: None };
        let Some((value, m)) = c
            .get(1)
            .and_then(|m| Some((crate::value::figure(m.as_str(), amount)?, m)))
        else {
            continue;
        };
        let at = (clause.as_ptr() as usize).saturating_sub(text.as_ptr() as usize) + m.start();
        // Its first 160 characters, copied at once.
        let body = clause.trim();
        let sentence = body[..body.char_indices().nth(160).map_or(body.len(), |(i, _)| i)].into();
        out.push(Fact {
            kind: pat.kind,
            value: value.v,
            unit: pat.unit,
            sentence,
            line: None,
            target: tpl.map_or(&[], |t| t.fact_cells(pat.kind)),
            figure: (at, at + m.len()),
        });
    }
}

/// A narrative figure that differs from the table it speaks of: a warning
/// naming both numbers (reports are often inconsistent; the table is kept).
pub fn cross_check(
    facts: &[Fact],
    tables: &[crate::mapping::TableData],
) -> Vec<crate::flags::Flag> {
    use crate::flags::{Code, Flag};
    let mut out = Vec::new();
    for f in facts {
        let Some(&(table, first, _)) = f.target.first() else {
            continue;
        };
        let Some(t) = tables.iter().find(|t| t.spec.key == table) else {
            continue;
        };
        let values: Option<Vec<f64>> = f
            .target
            .iter()
            .map(|&(_, key, col)| t.cell(key, col))
            .collect();
        let Some(values) = values else { continue };
        let sum: f64 = values.iter().sum();
        if !f.agrees_with(sum) {
            let (b, _) = t.spec.row(first).unwrap_or((0, &t.spec.blocks[0].rows[0]));
            out.push(
                Flag::new(
                    Code::NARRATIVE_MISMATCH,
                    format!(
                        "the narrative says {} ({}), the table has {}",
                        f.value, f.kind, sum
                    ),
                )
                .table(table)
                .row(crate::mapping::row_path(t.spec, b, first))
                .evidence(f.sentence.clone()),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> Vec<(&'static str, f64)> {
        extract(&crate::normalize::norm(text), Some(&crate::template::T2021))
            .into_iter()
            .map(|f| (f.kind.as_str(), f.value))
            .collect()
    }

    #[test]
    fn phrasings_of_real_reports() {
        assert_eq!(
            facts("本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。"),
            [
                ("requests_received", 70.0),
                ("requests_handled", 69.0),
                ("requests_carried_forward", 1.0)
            ]
        );
        assert_eq!(
            facts("集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件。"),
            [("normative_in_force", 698.0), ("normative_issued", 88.0)]
        );
        assert_eq!(
            facts(
                "2022年，全区政府信息公开工作方面共有行政诉讼案件1件、行政复议案件2件，均已结案。"
            ),
            [("reviews", 2.0), ("lawsuits", 1.0)]
        );
        assert_eq!(
            facts("全年主动公开我区各级单位政府信息2645条"),
            [("proactive_published", 2645.0)]
        );
        // Headers and figures without a counter word are not facts.
        assert!(facts("行政复议行政诉讼结果维持结果纠正10203120001200000").is_empty());
        assert!(facts("收到群众诉求348件").is_empty());
    }

    /// Every match of a pattern holds its cue and a digit followed by one of
    /// its counters, so a clause without either can be passed over: checked
    /// on random clauses of the patterns' own words (where a wrong cue would
    /// show), on generated reports and on the corpora. `count` texts of
    /// `least` to `least + spread - 1` random `words` (seeded), then the
    /// normalised text of `generated` generated reports and of every input
    /// of `corpus/` and `$GONGKAI_SHARED_CORPUS`.
    fn random_texts(
        words: &[&str],
        seed: u64,
        (count, least, spread): (usize, usize, usize),
        generated: u64,
    ) -> Vec<String> {
        let mut rng = crate::synth::Rng::new(seed);
        let mut texts: Vec<String> = (0..count)
            .map(|n| (0..least + n % spread).map(|_| *rng.pick(words)).collect())
            .collect();
        let generated = (0..generated).map(|seed| crate::synth::generate(seed).bytes());
        let read = crate::corpus_inputs::all().into_iter().map(|i| i.bytes);
        texts.extend(
            generated
                .chain(read)
                .map(|bytes| crate::normalize::norm(&crate::decode::decode(&bytes).text)),
        );
        texts
    }

    #[test]
    fn every_match_holds_its_cue() {
        let words = [
            "收到",
            "新收",
            "受理",
            "各类",
            "依",
            "政府信息公开",
            "申请",
            "共计",
            "共",
            "合计",
            "件",
            "上年",
            "度",
            "结转",
            "的",
            "办结",
            "办理完毕",
            "下",
            "一",
            "年度",
            "至",
            "主动公开",
            "政府信息",
            "条",
            "现行有效",
            "行政",
            "规范性文件",
            "制发",
            "复议",
            "诉讼",
            "案件",
            "起",
            "信息处理费",
            "元",
            "12",
            "3",
            "0.5",
            ".",
            "。",
            ",",
            "本年",
            "12件",
            "件申请",
            "件结转",
            "规范性文件3",
            "费3元",
            "申请3件",
            "结转下年度",
            "现行有效规范性文件",
            "信息处理费共",
            "3元",
        ];
        let texts = random_texts(&words, 0x6a09_e667, (30_000, 2, 10), 40);
        let mut matches = vec![0; PATTERNS.len()];
        for s in &texts {
            for (p, n) in PATTERNS.iter().zip(&mut matches) {
                for m in p.re.find_iter(s) {
                    *n += 1;
                    let cued = p.cue.find(m.as_str().as_bytes()).is_some();
                    assert!(cued, "{:?} in {s}", p.re.as_str());
                    let counted = counted(m.as_str()).iter().any(|c| c.1 & p.counters != 0);
                    assert!(counted, "{:?} without its counter in {s}", p.re.as_str());
                }
            }
        }
        assert!(matches.iter().all(|&n| n >= 10), "{matches:?}");
    }

    /// The rule [`extract`] keeps with one pass over the words: every
    /// clause (up to `。;!?`) where a counter word follows a digit, each
    /// pattern searched in it whose cue it holds, the first fact of each
    /// kind kept.
    fn by_clauses(text: &str) -> Vec<(FactKind, f64, String, (usize, usize))> {
        let mut out: Vec<(FactKind, f64, String, (usize, usize))> = Vec::new();
        let ends = |c: char| matches!(c, '。' | ';' | '!' | '?');
        let mut start = 0;
        for clause in text.split_inclusive(ends) {
            let counted = clause.char_indices().any(|(i, c)| {
                COUNTERS.iter().any(|w| w.starts_with(c))
                    && clause[..i]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_numeric)
            });
            let body = clause.trim_end_matches(ends);
            if counted && body.bytes().any(|b| b.is_ascii_digit()) {
                for p in PATTERNS.iter() {
                    if out.iter().any(|f| f.0 == p.kind) || p.cue.find(body.as_bytes()).is_none() {
                        continue;
                    }
                    let amount = crate::template::ValueKind::Amount { unit: None };
                    let Some(c) = p.re.captures(body) else {
                        continue;
                    };
                    let Some(m) = c.get(1) else { continue };
                    let Some(v) = crate::value::figure(m.as_str(), amount) else {
                        continue;
                    };
                    let sentence = body.trim().chars().take(160).collect();
                    out.push((p.kind, v.v, sentence, (start + m.start(), start + m.end())));
                }
            }
            start += clause.len();
        }
        out
    }

    /// One pass over the words finds what reading clause by clause finds:
    /// on random text of the patterns' words, counters and clause ends,
    /// and on generated reports.
    #[test]
    fn one_pass_reads_what_the_clauses_hold() {
        let pieces = [
            "收到",
            "申请",
            "件",
            "条",
            "起",
            "元",
            "办结",
            "结转下年度",
            "主动公开",
            "政府信息",
            "现行有效规范性文件",
            "制发",
            "行政复议",
            "行政诉讼",
            "信息处理费",
            "12",
            "3",
            "0.5",
            "。",
            ";",
            "!",
            "?",
            ",",
            "中",
            "件申请",
            "٣",
            "收到申请3件",
            "办结12件",
            "行政复议3起",
            "信息处理费0.5元",
            "主动公开政府信息12条",
            "12件结转下年度",
        ];
        assert!(crate::words::apart(&COUNTERS));
        let texts = random_texts(&pieces, 0xbb67_ae85, (20_000, 1, 16), 60);
        let mut found = 0;
        for s in &texts {
            let got: Vec<_> = extract(s, None)
                .into_iter()
                .map(|f| (f.kind, f.value, f.sentence, f.figure))
                .collect();
            let want = by_clauses(s);
            found += want.len();
            assert_eq!(got, want, "{s}");
        }
        assert!(found > 2_000, "{found}");
    }

    /// The shortcut says what the table lookup says, for every character.
    #[test]
    fn numeric_is_is_numeric() {
        let differ = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .find(|&c| numeric(c) != c.is_numeric());
        assert_eq!(differ, None);
    }

    #[test]
    fn only_clauses_with_a_counted_figure_are_read() {
        // A clause of table figures without a counter word, a clause whose
        // counter follows no figure, then facts in the first and the last
        // (unterminated) clause.
        assert_eq!(
            facts("办结12件;规章000行政规范性文件8855698。本年新收件数较多。收到申请5件"),
            [("requests_handled", 12.0), ("requests_received", 5.0)]
        );
    }
}
