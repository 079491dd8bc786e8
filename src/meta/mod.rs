//! Report metadata: title, agency, year, publication date, contacts, and
//! where each was read.
//!
//! Year and agency are taken from every place a report states them, in
//! order of trust: the title in the body ([`title`]), the sentences about
//! the report itself ([`text`]), the page's `<title>`, the file's path.
//! The first found is kept; a stronger source that disagrees gives
//! `META_CONFLICT` naming both. What no source states stays `null`.

pub mod agency;
mod contact;
mod fold;
mod text;
mod title;

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::blocks::Block;
use crate::blocks::html::HtmlHead;
use crate::flags::{Code, Flag};
use crate::sections::Section;
pub use agency::Level;

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Meta {
    pub title: Option<String>,
    pub agency: Option<String>,
    pub year: Option<i32>,
    #[schemars(schema_with = "crate::schema::template_name")]
    pub template: &'static str,
    pub published: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    /// The agency as `gongkai series` groups it: whitespace dropped,
    /// full-width folded to half-width, brackets made `()`.
    pub agency_key: Option<String>,
    pub level: Option<Level>,
    pub sources: Sources,
}

/// Where a meta field was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "MetaSource")]
pub enum Source {
    /// The report's title line in the body.
    Title,
    /// A sentence of the body (`现公布…`, the statistics period, the contact
    /// line…) or, for `published`, a date line.
    Text,
    /// The page head: `<title>` or a `<meta>` tag.
    HtmlTitle,
    /// A folder or file name.
    Path,
}

/// `meta.sources`: one entry per field that has a value.
#[derive(Debug, Clone, Copy, Default, Serialize, schemars::JsonSchema)]
pub struct Sources {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Source>,
}

/// A value one place states.
#[derive(Debug, Clone)]
pub(crate) struct Cand<T> {
    pub value: T,
    pub source: Source,
    /// The place, for the conflict message (`the statistics period`).
    pub what: &'static str,
    /// Whether disagreeing with it is worth a warning. The contact line and
    /// a lone name line may rightly name another unit than the author.
    pub strong: bool,
}

impl<T> Cand<T> {
    pub fn new(value: T, source: Source, what: &'static str) -> Cand<T> {
        Cand {
            value,
            source,
            what,
            strong: true,
        }
    }
    pub fn weak(mut self) -> Cand<T> {
        self.strong = false;
        self
    }
}

/// What the metadata is read from.
pub struct Doc<'a> {
    pub blocks: &'a [Block],
    pub head: Option<&'a HtmlHead>,
    /// The text before section 二 (contacts and the sentences about the
    /// report live there).
    pub preamble: &'a str,
    pub sections: &'a [Section],
    pub path: &'a str,
}

/// A year as reports write it: `2019`, or `二〇一九` in older titles.
pub(crate) const YEAR: &str = r"(?P<y>20\d{2}|二[〇○零O0][〇○零O0一二三四五六七八九]{2})";

/// The value of a [`YEAR`] match; years outside 2000–2099 are no report's.
pub(crate) fn year_of(s: &str) -> Option<i32> {
    let digits: String = s
        .chars()
        .map(|c| match c {
            '〇' | '○' | '零' | 'O' => '0',
            c => "一二三四五六七八九"
                .chars()
                .position(|d| d == c)
                .and_then(|i| char::from_digit(i as u32 + 1, 10))
                .unwrap_or(c),
        })
        .collect();
    digits.parse().ok().filter(|y| (2000..=2099).contains(y))
}

pub(crate) fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| unreachable!("{e}"))
}

/// A pattern whose names have a reach (`(?P<x>[^,。]{0,40}?)`: a group
/// that is one lazy bounded repetition of a class). The engines unroll such
/// a repetition into a copy of the class per count, and the captures cost
/// twice those of the pattern with the reach unbounded (`{0,}?`). That
/// pattern prefers the same match wherever its groups keep within their
/// bounds: its candidates are the bounded one's and more, in the same
/// order, so its first that the bounded pattern has is the bounded
/// pattern's first. Elsewhere (a name over its reach) the bounded pattern
/// is asked.
pub(crate) struct Reach {
    unbounded: Regex,
    bounded: Regex,
    /// Each group with a reach and its most characters.
    reach: Vec<(String, usize)>,
}

impl Reach {
    pub fn new(pattern: &str) -> Reach {
        // A group that is one class (or one character) in a bounded lazy
        // repetition: each character of the group is one repeat.
        static GROUP: LazyLock<Regex> =
            LazyLock::new(|| re(r"\(\?P<(\w+)>(\[[^\]]*\]|[^()\[\]\\])\{(\d+),(\d+)\}\?\)"));
        let mut reach = Vec::new();
        let unbounded = GROUP.replace_all(pattern, |c: &regex::Captures| {
            reach.push((c[1].to_string(), c[4].parse().unwrap_or(usize::MAX)));
            format!("(?P<{}>{}{{{},}}?)", &c[1], &c[2], &c[3])
        });
        Reach {
            unbounded: re(&unbounded),
            bounded: re(pattern),
            reach,
        }
    }

    /// The bounded pattern's first match from `at` on, with its groups.
    pub fn captures_at<'h>(&self, text: &'h str, at: usize) -> Option<regex::Captures<'h>> {
        let c = self.unbounded.captures_at(text, at)?;
        let within = self.reach.iter().all(|(g, most)| {
            c.name(g)
                .is_none_or(|m| crate::stream::at_most(m.as_str(), *most))
        });
        if within {
            Some(c)
        } else {
            self.bounded.captures_at(text, at)
        }
    }

    pub fn captures<'h>(&self, text: &'h str) -> Option<regex::Captures<'h>> {
        self.captures_at(text, 0)
    }

    /// Every match from the start, as `Regex::captures_iter`.
    pub fn captures_iter<'r, 'h>(
        &'r self,
        text: &'h str,
    ) -> impl Iterator<Item = regex::Captures<'h>> + use<'r, 'h> {
        let mut at = Some(0);
        std::iter::from_fn(move || {
            let c = self.captures_at(text, at?)?;
            let m = c.get(0)?;
            // No match of these patterns is empty (were one, the search
            // would stop after it rather than step past it).
            at = (!m.is_empty()).then_some(m.end());
            Some(c)
        })
    }

    /// The pattern as written (with its bounds).
    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        self.bounded.as_str()
    }
}

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:电话|传真|联系方式|热线)[^0-9\n]{0,8}((?:\(?0\d{2,3}\)?[-－—]?)?\d{7,8}(?:[-－]\d{1,4})?|1[3-9]\d{9})",
    )
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:发布日期|发布时间|成文日期|日期|时间)\s*[:：]?\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})",
    )
});
/// Words every [`DATE`] match holds (its alternatives end with one): a
/// line without either is not searched.
const DATE_CUES: [&str; 2] = ["日期", "时间"];
static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"));

/// Opening paragraphs searched for a title (those before the first section
/// heading) and a date line: an HTML page puts its site chrome first.
const OPENING_LINES: usize = 40;

/// Bytes of text read for the sentences a report writes about itself.
const SENTENCE_SPAN: usize = 8 * 1024;

/// Read what the report says about itself. Flags: `META_CONFLICT` where two
/// places disagree.
pub fn meta(doc: &Doc) -> (Meta, Vec<Flag>) {
    let paras = opening_paras(doc.blocks);
    let said = said(doc, &paras);
    let mut flags = Vec::new();
    let year = choose(&said.years, "year", |a, b| a == b, &mut flags);
    let agency = agency_of(&said.agencies, &mut flags);
    let (published, published_source) = published(doc.head, &paras);
    let meta = Meta {
        agency_key: agency.map(|c| agency::key(&c.value)),
        level: agency.and_then(|c| agency::level(&fold::Folded::new(&c.value).text)),
        sources: Sources {
            title: said.title.as_ref().map(|t| t.1),
            agency: agency.map(|c| c.source),
            year: year.map(|c| c.source),
            published: published_source,
        },
        title: said.title.map(|t| t.0),
        agency: agency.map(|c| c.value.clone()),
        year: year.map(|c| c.value),
        template: "unknown",
        published,
        phones: contacts(&PHONE, doc.preamble, |m| m.as_str().to_string(), 1),
        emails: contact::emails(doc.preamble),
    };
    (meta, flags)
}

/// Every statement of the year and of the agency, each list in order of
/// trust, and the title with where it was read.
struct Said {
    years: Vec<Cand<i32>>,
    agencies: Vec<Cand<String>>,
    title: Option<(String, Source)>,
}

impl Said {
    fn title_says(&mut self, h: title::Hit, source: Source, what: &'static str) {
        self.years.push(Cand::new(h.year, source, what));
        self.agencies
            .extend(h.agency.map(|a| Cand::new(a, source, what)));
    }
}

fn said(doc: &Doc, paras: &[&str]) -> Said {
    let lines = paras
        .iter()
        .position(|p| {
            crate::sections::heading_starts_at_zero(
                p.get(..p.floor_char_boundary(200)).unwrap_or(p),
            )
        })
        .map_or(paras, |i| &paras[..i]);
    let body = title::in_lines(lines);
    let head_title = head_title(doc.head);
    // The sentences about the report follow its title (a page's chrome
    // comes before it) and open the text.
    let from = body
        .as_ref()
        .and_then(|(_, r)| lines.get(r.start))
        .and_then(|l| doc.preamble.find(l))
        .unwrap_or(0);
    let rest = doc.preamble.get(from..).unwrap_or_default();
    let sentences = rest
        .get(..rest.floor_char_boundary(SENTENCE_SPAN))
        .unwrap_or(rest);
    let overview = doc.sections.first().filter(|s| s.number == 1);
    let sentences = text::Sentences::new(sentences);
    let found = sentences.find(overview.map(|s| s.text.as_str()));

    let mut said = Said {
        years: Vec::new(),
        agencies: Vec::new(),
        title: None,
    };
    if let Some((h, r)) = body {
        said.title = Some((h.title.clone(), Source::Title));
        said.title_says(h, Source::Title, "the title");
        if let Some(a) = name_line(lines, r) {
            said.agencies
                .push(Cand::new(a, Source::Text, "a line that is only a name").weak());
        }
    }
    said.years.extend(found.years);
    said.agencies.extend(found.agencies);
    if let Some(t) = head_title {
        if let Some(h) = title::parse(&t) {
            said.title_says(h, Source::HtmlTitle, "the page title");
        }
        said.title.get_or_insert((t, Source::HtmlTitle));
    }
    if counts_after(&said.agencies) {
        said.agencies.extend(sentences.contact());
    }
    if let Some((y, a)) = title::in_path(doc.path) {
        said.years
            .extend(y.map(|y| Cand::new(y, Source::Path, "the path")));
        said.agencies
            .extend(a.map(|a| Cand::new(a, Source::Path, "the path")));
    }
    said
}

/// The first [`OPENING_LINES`] paragraphs.
fn opening_paras(blocks: &[Block]) -> Vec<&str> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para(p) => Some(p.as_str()),
            Block::Table(_) => None,
        })
        .take(OPENING_LINES)
        .collect()
}

/// The page's own title: its title `<meta>` tag, else `<title>` when that
/// reads as a report title.
fn head_title(head: Option<&HtmlHead>) -> Option<String> {
    let head = head?;
    meta_tag(head, &["articletitle", "title", "og:title"])
        .or_else(|| head.title.clone().filter(|t| title::parse(t).is_some()))
}

fn meta_tag(head: &HtmlHead, names: &[&str]) -> Option<String> {
    head.metas
        .iter()
        .find(|(n, c)| names.contains(&n.as_str()) && !c.is_empty())
        .map(|(_, c)| c.clone())
}

/// A line just before or after the title that is nothing but a name
/// (`云岭县财政局` above `2019年政府信息公开工作年度报告`).
fn name_line(lines: &[&str], title: std::ops::Range<usize>) -> Option<String> {
    let before = title.start.checked_sub(1).and_then(|i| lines.get(i));
    [before, lines.get(title.end)]
        .into_iter()
        .flatten()
        .find_map(|l| {
            let f = fold::Folded::new(l);
            (f.text.chars().count() <= 30 && agency::plausible(&f.text)).then(|| fold::unspaced(l))
        })
}

/// The agency: the first candidate ([`choose`]), or a fuller name for it.
fn agency_of<'c>(cands: &'c [Cand<String>], flags: &mut Vec<Flag>) -> Option<&'c Cand<String>> {
    choose(cands, "agency", |a, b| same_agency(a, b), flags).map(|c| fuller(c, cands))
}

/// Whether a weak agency candidate after `before` can change
/// [`agency_of`]: as the first, or as a fuller name for a partial first
/// ([`choose`] weighs no weak candidate against the first, [`fuller`] looks
/// no further than a full one). Elsewhere the contact line is not searched.
fn counts_after(before: &[Cand<String>]) -> bool {
    before.first().is_none_or(|c| agency::partial(&c.value))
}

/// The first candidate; a strong one that disagrees with it is flagged.
fn choose<'c, T: std::fmt::Display>(
    cands: &'c [Cand<T>],
    field: &str,
    same: impl Fn(&T, &T) -> bool,
    flags: &mut Vec<Flag>,
) -> Option<&'c Cand<T>> {
    let first = cands.first()?;
    let others: Vec<String> = cands
        .iter()
        .skip(1)
        .filter(|c| c.strong && first.strong && !same(&first.value, &c.value))
        .map(|c| format!("{} says {}", c.what, c.value))
        .collect();
    if !others.is_empty() {
        flags.push(Flag::new(
            Code::META_CONFLICT,
            format!(
                "the {field} differs between sources: {} says {}, {} ({} kept)",
                first.what,
                first.value,
                others.join(", "),
                first.value
            ),
        ));
    }
    Some(first)
}

/// Two names of one agency: equal keys, or one contains the other
/// (`区统计局` in `深圳市龙岗区统计局`, `平潭综合实验区` in
/// `平潭综合实验区管委会`).
fn same_agency(a: &str, b: &str) -> bool {
    let (a, b) = (agency::key(a), agency::key(b));
    a.contains(&b) || b.contains(&a)
}

/// A partial name (`区统计局`) gives way to a full one stated elsewhere
/// that ends with it (`深圳市龙岗区统计局`).
fn fuller<'c>(chosen: &'c Cand<String>, all: &'c [Cand<String>]) -> &'c Cand<String> {
    if !agency::partial(&chosen.value) {
        return chosen;
    }
    all.iter()
        .filter(|c| c.value.len() > chosen.value.len() && c.value.ends_with(&chosen.value))
        .find(|c| !agency::partial(&c.value))
        .unwrap_or(chosen)
}

/// The publication date: the head's date tag, else a date line at the top.
fn published(head: Option<&HtmlHead>, lines: &[&str]) -> (Option<String>, Option<Source>) {
    let tag = head
        .and_then(|h| {
            meta_tag(
                h,
                &[
                    "pubdate",
                    "publishdate",
                    "firstpublishedtime",
                    "published_time",
                    "article:published_time",
                ],
            )
        })
        .and_then(|d| ISO_DATE.captures(&d).map(|c| ymd(&c)));
    if tag.is_some() {
        return (tag, Some(Source::HtmlTitle));
    }
    static CUES: LazyLock<[memchr::memmem::Finder<'static>; 2]> =
        LazyLock::new(|| DATE_CUES.map(memchr::memmem::Finder::new));
    let line = lines
        .iter()
        .filter(|p| CUES.iter().any(|c| c.find(p.as_bytes()).is_some()))
        .find_map(|p| DATE.captures(p).map(|c| ymd(&c)));
    let source = line.as_ref().map(|_| Source::Text);
    (line, source)
}

/// Every match of `re` in `text` (group `group`, 0 for the whole), adjacent
/// repeats dropped.
fn contacts(
    re: &Regex,
    text: &str,
    show: impl Fn(regex::Match) -> String,
    group: usize,
) -> Vec<String> {
    let mut out: Vec<String> = re
        .captures_iter(text)
        .filter_map(|c| c.get(group))
        .map(show)
        .collect();
    out.dedup();
    out
}

fn ymd(c: &regex::Captures) -> String {
    let n = |i| {
        c.get(i)
            .and_then(|m| m.as_str().parse::<u32>().ok())
            .unwrap_or(0)
    };
    format!("{:04}-{:02}-{:02}", n(1), n(2), n(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Meta of a document made of `lines` (a heading `一、总体情况` is a
    /// line like any other), with `path`.
    fn read(lines: &[&str], path: &str) -> (Meta, Vec<Flag>) {
        read_html(lines, None, path)
    }

    fn read_html(lines: &[&str], head: Option<&HtmlHead>, path: &str) -> (Meta, Vec<Flag>) {
        let blocks: Vec<Block> = lines.iter().map(|l| Block::Para(l.to_string())).collect();
        let sections = crate::sections::sections(&blocks);
        let first = sections.first().map(|s| s.heading.as_str());
        let preamble: String = lines
            .iter()
            .take_while(|l| !first.is_some_and(|h| l.starts_with(h)))
            .map(|l| format!("{l}\n"))
            .collect();
        let mut preamble = preamble;
        if let Some(s) = sections.first() {
            preamble.push_str(&s.text);
        }
        meta(&Doc {
            blocks: &blocks,
            head,
            preamble: &preamble,
            sections: &sections,
            path,
        })
    }

    fn year(lines: &[&str], path: &str) -> (Option<i32>, Option<Source>) {
        let (m, _) = read(lines, path);
        (m.year, m.sources.year)
    }

    fn agency(lines: &[&str], path: &str) -> (Option<String>, Option<Source>) {
        let (m, _) = read(lines, path);
        (m.agency, m.sources.agency)
    }

    #[test]
    fn title_agency_year_contacts() {
        let (m, flags) = read(
            &[
                "2019年上海市人民政府办公厅政府信息公开工作年度报告",
                "发布日期：2020-01-31",
                "如有疑问请联系电话:0591-23165370,电子邮箱:cj8588031@163.com。",
            ],
            "a.html",
        );
        assert_eq!(m.agency.as_deref(), Some("上海市人民政府办公厅"));
        assert_eq!(m.agency_key.as_deref(), Some("上海市人民政府办公厅"));
        assert_eq!(m.level, Some(Level::Department));
        assert_eq!(m.year, Some(2019));
        assert_eq!(m.published.as_deref(), Some("2020-01-31"));
        assert_eq!(m.phones, ["0591-23165370"]);
        assert_eq!(m.emails, ["cj8588031@163.com"]);
        assert_eq!(m.sources.title, Some(Source::Title));
        assert_eq!(m.sources.published, Some(Source::Text));
        assert!(flags.is_empty());
    }

    /// Whether every match of `pattern` must hold one of `cues`, read off the
    /// pattern itself (so a new alternative without a cue is caught): each
    /// way through it passes a literal holding a cue. Conservative: a cue
    /// split across a class and a literal does not count.
    pub(crate) fn every_match_holds(pattern: &str, cues: &[&str]) -> bool {
        use regex_syntax::hir::{Hir, HirKind};
        fn must(h: &Hir, cues: &[&str]) -> bool {
            match h.kind() {
                HirKind::Literal(l) => cues
                    .iter()
                    .any(|c| l.0.windows(c.len()).any(|w| w == c.as_bytes())),
                HirKind::Capture(c) => must(&c.sub, cues),
                HirKind::Repetition(r) => r.min > 0 && must(&r.sub, cues),
                HirKind::Concat(hs) => hs.iter().any(|h| must(h, cues)),
                HirKind::Alternation(hs) => hs.iter().all(|h| must(h, cues)),
                HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => false,
            }
        }
        let hir = regex_syntax::Parser::new()
            .parse(pattern)
            .unwrap_or_else(|e| unreachable!("{e}"));
        must(&hir, cues)
    }

    /// Every group's ranges of a match.
    fn groups(c: &regex::Captures) -> Vec<Option<std::ops::Range<usize>>> {
        c.iter().map(|m| m.map(|m| m.range())).collect()
    }

    /// [`Reach`] finds what its bounded pattern alone finds, first match
    /// and every match, on random text of `words` and of runs of a name's
    /// character around the reach (`most`): both ways are taken, the
    /// unbounded pattern's match kept and refused.
    pub(crate) fn reach_agrees(r: &Reach, words: &[&str], most: usize, seed: u64) {
        assert!(!r.reach.is_empty(), "{}", r.as_str());
        let mut rng = crate::synth::Rng::new(seed);
        let (mut kept, mut refused) = (0, 0);
        for n in 0..20_000 {
            let s: String = (0..1 + n % 8)
                .map(|_| match rng.below(4) {
                    0 => "名".repeat(most - 3 + rng.below(6)),
                    _ => rng.pick(words).to_string(),
                })
                .collect();
            let want = r.bounded.captures(&s).map(|c| groups(&c));
            assert_eq!(r.captures(&s).map(|c| groups(&c)), want, "{s}");
            let every: Vec<_> = r.captures_iter(&s).map(|c| groups(&c)).collect();
            let want_every: Vec<_> = r.bounded.captures_iter(&s).map(|c| groups(&c)).collect();
            assert_eq!(every, want_every, "{s}");
            match r.unbounded.captures(&s).map(|c| groups(&c)) {
                Some(u) if Some(&u) == want.as_ref() => kept += 1,
                Some(_) => refused += 1,
                None => {}
            }
        }
        assert!(
            kept > 200 && refused > 20,
            "{kept} {refused}: {}",
            r.as_str()
        );
    }

    /// Only a group that is one bounded repetition gets a reach.
    #[test]
    fn a_reach_is_a_whole_group() {
        let r = Reach::new(r"(?P<x>[^()]{0,4}?)(?P<y>a[b]{1,3}?)(?P<z>c{2,5})");
        assert_eq!(r.reach, [("x".to_string(), 4)]);
        assert_eq!(
            r.unbounded.as_str(),
            r"(?P<x>[^()]{0,}?)(?P<y>a[b]{1,3}?)(?P<z>c{2,5})"
        );
    }

    /// A weak candidate that [`counts_after`] says cannot count changes
    /// neither the agency nor the flags, on random lists of names that
    /// contain one another and of strong and weak candidates.
    #[test]
    fn a_contact_that_cannot_count_changes_nothing() {
        let names = [
            "区统计局",
            "深圳市龙岗区统计局",
            "龙岗区统计局",
            "县财政局",
            "云岭县财政局",
            "平潭综合实验区管委会",
            "综合实验区管委会",
        ];
        let mut rng = crate::synth::Rng::new(0x6a09_e667);
        let cand = |rng: &mut crate::synth::Rng| {
            let c = Cand::new(rng.pick(&names).to_string(), Source::Text, "a place");
            if rng.chance(30) { c.weak() } else { c }
        };
        let read = |cands: &[Cand<String>]| {
            let mut flags = Vec::new();
            let a = agency_of(cands, &mut flags).map(|c| (c.value.clone(), c.what));
            let said: Vec<String> = flags.into_iter().map(|f| f.message).collect();
            (a, said)
        };
        let (mut spared, mut counted) = (0, 0);
        for n in 0..20_000 {
            let before: Vec<_> = (0..n % 4).map(|_| cand(&mut rng)).collect();
            let after: Vec<_> = (0..n % 3).map(|_| cand(&mut rng)).collect();
            let contact = cand(&mut rng).weak();
            let with: Vec<_> = before
                .iter()
                .chain([&contact])
                .chain(&after)
                .cloned()
                .collect();
            let without: Vec<_> = before.iter().chain(&after).cloned().collect();
            if counts_after(&before) {
                counted += usize::from(read(&with) != read(&without));
            } else {
                spared += 1;
                assert_eq!(
                    read(&with),
                    read(&without),
                    "{before:?} {contact:?} {after:?}"
                );
            }
        }
        // Both sides are met: the contact is spared, and where it is not,
        // it can count.
        assert!(spared > 1_000 && counted > 100, "{spared} {counted}");
    }

    #[test]
    fn the_date_cues_are_read_off_its_pattern() {
        assert!(every_match_holds(DATE.as_str(), &DATE_CUES));
        // The check can fail: not every date says 日期.
        assert!(!every_match_holds(DATE.as_str(), &DATE_CUES[..1]));
        assert!(!every_match_holds(
            &format!("印发|{}", DATE.as_str()),
            &DATE_CUES
        ));
    }

    /// Every date line holds a cue of [`DATE_CUES`]: on random text of the
    /// pattern's words.
    #[test]
    fn every_date_holds_its_cue() {
        let words = [
            "发布",
            "日期",
            "时间",
            "成文",
            "日",
            "时",
            "间",
            ":",
            "：",
            " ",
            "2020-01-31",
            "2019年12月31",
            "1999/1/2",
            "2020",
            "年",
            "月",
            "-",
            ".",
            "12",
        ];
        let mut rng = crate::synth::Rng::new(0x510e_527f);
        let mut found = 0;
        for n in 0..30_000 {
            let s: String = (0..2 + n % 12).map(|_| *rng.pick(&words)).collect();
            for m in DATE.find_iter(&s) {
                found += 1;
                assert!(DATE_CUES.iter().any(|c| m.as_str().contains(c)), "{s}");
            }
        }
        assert!(found > 500, "{found}");
    }

    #[test]
    fn year_from_each_source() {
        let t = Some(Source::Text);
        // The title, broken over lines and spaced.
        let y = year(&["2024 年上海市科委政府信息公开工作", "年度报告"], "");
        assert_eq!(y, (Some(2024), Some(Source::Title)));
        let y = year(&["宿迁市 2025 年政府信息公开工作年度报告"], "");
        assert_eq!(y, (Some(2025), Some(Source::Title)));
        // 现公布…
        let y = year(
            &["根据《条例》，现公布2022年政府信息公开工作年度报告。"],
            "",
        );
        assert_eq!(y, (Some(2022), t));
        // The statistics period.
        let y = year(
            &["本报告所列数据统计期限自2019年1月1日起至2019年12月31日止。"],
            "",
        );
        assert_eq!(y, (Some(2019), t));
        let y = year(&["本报告数据统计截至2021年12月31日。"], "");
        assert_eq!(y, (Some(2021), t));
        // The year that opens section 一, past a sub-heading.
        let y = year(
            &[
                "一、总体情况",
                "（一）主动公开情况",
                "2020年，县审计局坚持以公开为常态。",
            ],
            "",
        );
        assert_eq!(y, (Some(2020), t));
        // The notice a pre-2019 report cites.
        let y = year(
            &["根据《关于做好2012年政府信息公开工作年度报告有关事项的通知》要求，特编制本报告。"],
            "",
        );
        assert_eq!(y, (Some(2012), t));
        // The file's name and path.
        let y = year(
            &["一、概述"],
            "/arc/80576_平潭综合实验区2019年度政府信息公开工作年度报告/page.txt",
        );
        assert_eq!(y, (Some(2019), Some(Source::Path)));
        // Nothing stated: null.
        assert_eq!(
            year(&["一、总体情况", "我局坚持公开。"], "/a/b.txt"),
            (None, None)
        );
    }

    #[test]
    fn year_from_the_page_title() {
        let head = HtmlHead {
            title: Some("云岭县2021年政府信息公开工作年度报告_政务公开_云岭县人民政府".into()),
            metas: Vec::new(),
        };
        let (m, _) = read_html(&["首页", "一、总体情况"], Some(&head), "");
        assert_eq!(
            (m.year, m.sources.year),
            (Some(2021), Some(Source::HtmlTitle))
        );
        assert_eq!(m.agency.as_deref(), Some("云岭县"));
        assert_eq!(m.level, Some(Level::County));
    }

    #[test]
    fn agency_from_each_source() {
        let t = Some(Source::Text);
        let a = |lines: &[&str]| agency(lines, "");
        assert_eq!(
            a(&["2024 年上海市科委政府信息公开工作", "年度报告"]),
            (Some("上海市科委".into()), Some(Source::Title))
        );
        // A line that is only a name, beside a title that names none.
        assert_eq!(
            a(&["云岭县财政局", "2019年政府信息公开工作年度报告"]),
            (Some("云岭县财政局".into()), t)
        );
        assert_eq!(
            a(&["本报告由云岭县交通运输局根据《条例》要求编制。"]),
            (Some("云岭县交通运输局".into()), t)
        );
        assert_eq!(
            a(&["根据《条例》规定，现公布区统计局2023年政府信息公开工作年度报告。"]),
            (Some("区统计局".into()), t)
        );
        assert_eq!(
            a(&["现向社会公布龙口镇2022年度政府信息公开工作年度报告。"]),
            (Some("龙口镇".into()), t)
        );
        assert_eq!(
            a(&["现将《云岭县审计局2021年政府信息公开工作年度报告》予以公布。"]),
            (Some("云岭县审计局".into()), t)
        );
        assert_eq!(
            a(&["如对本年报有疑问,请联系:景德镇市瓷局党政办,电话:8588032。"]),
            (Some("景德镇市瓷局".into()), t)
        );
        assert_eq!(
            agency(
                &["一、总体情况"],
                "/x/云岭县财政局2021年政府信息公开年报.html"
            ),
            (Some("云岭县财政局".into()), Some(Source::Path))
        );
    }

    #[test]
    fn self_references_need_a_full_name() {
        // 我局 alone names nobody.
        let (a, _) = agency(&["现将我局2020年度政府信息公开情况报告如下。"], "");
        assert_eq!(a, None);
        // …but a name stated for it is taken.
        let (a, _) = agency(
            &[
                "2020年，深圳市龙岗区统计局（以下简称“我局”）坚持公开。现将我局2020年度政府信息公开情况报告如下。",
            ],
            "",
        );
        assert_eq!(a.as_deref(), Some("深圳市龙岗区统计局"));
        // A partial name gives way to the full one that ends with it.
        let (a, _) = agency(
            &[
                "现公布区统计局2023年政府信息公开工作年度报告。",
                "如有疑问请与深圳市龙岗区统计局联系。",
            ],
            "",
        );
        assert_eq!(a.as_deref(), Some("深圳市龙岗区统计局"));
    }

    #[test]
    fn disagreeing_sources_are_flagged() {
        let (m, flags) = read(
            &[
                "平潭综合实验区2020年度政府信息公开工作年度报告",
                "本报告所列数据统计期限自2019年1月1日起至2019年12月31日止。",
            ],
            "",
        );
        assert_eq!(m.year, Some(2020));
        let msg = flags
            .iter()
            .find(|f| f.code == Code::META_CONFLICT)
            .map(|f| f.message.clone())
            .unwrap_or_default();
        assert!(msg.contains("2020") && msg.contains("2019"), "{msg}");
        // Agreeing sources, and a contact office, are no conflict.
        let (_, flags) = read(
            &[
                "平潭综合实验区2020年度政府信息公开工作年度报告",
                "统计期限自2020年1月1日起至2020年12月31日止。请与平潭综合实验区管委会办公室联系。",
            ],
            "",
        );
        assert!(flags.is_empty(), "{flags:?}");
    }
}
