//! Year and agency from the sentences a report writes about itself, in the
//! text before section 二: `现公布X2022年…年度报告`, the statistics period,
//! the year that opens section 一, the notice an older report cites,
//! `本报告由X…编制`, `X（以下简称"我局"）` and the contact line.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::agency::{agency_of_unit, plausible};
use super::fold::{Folded, unspaced};
use super::{Cand, Reach, Source, YEAR, re, year_of};

/// What the sentences give, each list in the order of trust.
#[derive(Debug, Default)]
pub struct Found {
    pub years: Vec<Cand<i32>>,
    pub agencies: Vec<Cand<String>>,
}

/// What a clause of the text cannot hold: sentence punctuation, book-title
/// marks. The one list the patterns' class ([`clause`]) and the hand
/// readers ([`compiled`]) both read.
const NOT_CLAUSE: [char; 12] = [
    ',', '。', ';', ':', '《', '》', '“', '”', '"', '、', '!', '?',
];

/// A clause's character as a regex class (none of [`NOT_CLAUSE`] needs an
/// escape inside a class).
fn clause() -> String {
    format!("[^{}]", String::from_iter(NOT_CLAUSE))
}

/// `现公布区统计局2023年政府信息公开工作年度报告`, `现向社会公布…`,
/// `現將我局2020年度政府信息公開情況報告如下`, `现将《X2019年…》予以公布`.
static PUBLISHED: LazyLock<Reach> = LazyLock::new(|| {
    let clause = clause();
    Reach::new(&format!(
        r"(?:现|特|兹)(?:将|將|向社会(?:公众)?|予以|予|正式)?(?:公布|发布|印发)?:?《?(?P<x>{clause}{{0,40}}?){YEAR}年度?(?:的)?(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报|情况)"
    ))
});

/// `统计期限自2019年1月1日起至2019年12月31日止` and its wordings
/// (`统计时间段为…`, `数据统计截至2019年12月31日`).
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"统计(?:期限|时限|时间段|时段|期间|区间|周期|时间|范围)?(?:为|是|自|从|:|截至|截止|到)*{YEAR}年"
    ))
});

/// `关于做好2012年政府信息公开工作年度报告有关事项的通知`: the notice names
/// the year whose report it asks for.
static NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"关于(?:做好|报送|编制|开展|印发)?{YEAR}年度?(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报)"
    ))
});

/// The words [`PERIOD`] and [`NOTICE`] open with, each searcher built
/// once (not per report).
static CUES: LazyLock<[memchr::memmem::Finder<'static>; 2]> =
    LazyLock::new(|| ["统计", "关于"].map(memchr::memmem::Finder::new));

/// A reading by hand met `\d` on a character only the regex's Unicode
/// tables can class: the regex decides.
struct Unsure;

/// A sentence read by hand at its cue: the year group of a match that
/// starts there, given the text after the cue.
type AtCue = fn(&str) -> Result<Option<&str>, Unsure>;

/// The year that `re`'s first match states, read by hand at each `cue`
/// (`at`: the year a match at the text after the cue states). Searching
/// the whole text with the regex for these sentences, which most reports
/// lack, cost ~3 K instructions each.
fn stated(text: &str, re: &Regex, cue: &memchr::memmem::Finder, at: AtCue) -> Option<i32> {
    let len = cue.needle().len();
    let y = cue
        .find_iter(text.as_bytes())
        .find_map(|i| at(text.get(i + len..)?).transpose());
    match y {
        Some(Ok(y)) => year_of(y),
        None => None,
        Some(Err(Unsure)) => year_of(re.captures(text)?.name("y")?.as_str()),
    }
}

/// A [`YEAR`] at the start of `s`: its length.
fn year_len(s: &str) -> Result<Option<usize>, Unsure> {
    let mut c = s.chars();
    let digits = match c.next() {
        Some('2') if c.next() == Some('0') => {
            for d in c.by_ref().take(2) {
                match d {
                    '0'..='9' => {}
                    // Ideographs, CJK and full-width punctuation: no digits.
                    d if d.is_ascii()
                        || matches!(d, '\u{3000}'..='\u{303F}' | '\u{4E00}'..='\u{9FFF}') =>
                    {
                        return Ok(None);
                    }
                    _ => return Err(Unsure),
                }
            }
            s.len() - c.as_str().len()
        }
        Some('二') if c.next().is_some_and(|d| "〇○零O0".contains(d)) => {
            let mut two = c.by_ref().take(2);
            if !two.all(|d| "〇○零O0一二三四五六七八九".contains(d)) {
                return Ok(None);
            }
            s.len() - c.as_str().len()
        }
        _ => return Ok(None),
    };
    // Fewer characters than the pattern's four: the text ended.
    Ok((s[..digits].chars().count() == 4).then_some(digits))
}

/// [`PERIOD`] after its 统计: the year must start at the first character
/// that can open one, none of its words holding `2` or `二`, and the words
/// before it read one way (no period word starts a joining word, nor
/// either a year; `时间段` is tried before `时间`).
fn period_at(s: &str) -> Result<Option<&str>, Unsure> {
    const KINDS: [&str; 9] = [
        "期限",
        "时限",
        "时间段",
        "时段",
        "期间",
        "区间",
        "周期",
        "时间",
        "范围",
    ];
    const JOINS: [&str; 8] = ["为", "是", "自", "从", ":", "截至", "截止", "到"];
    let mut rest = KINDS.iter().find_map(|k| s.strip_prefix(k)).unwrap_or(s);
    while let Some(r) = JOINS.iter().find_map(|j| rest.strip_prefix(j)) {
        rest = r;
    }
    let Some(n) = year_len(rest)? else {
        return Ok(None);
    };
    Ok(rest[n..].starts_with('年').then(|| &rest[..n]))
}

/// [`NOTICE`] after its 关于. Each optional word is taken where it stands:
/// without it, what follows could not match (no verb opens a year, no
/// word of the title's starts with 度, 工 or 年度).
fn notice_at(s: &str) -> Result<Option<&str>, Unsure> {
    const VERBS: [&str; 5] = ["做好", "报送", "编制", "开展", "印发"];
    let s = VERBS.iter().find_map(|v| s.strip_prefix(v)).unwrap_or(s);
    let Some(n) = year_len(s)? else {
        return Ok(None);
    };
    let (y, rest) = s.split_at(n);
    let Some(rest) = rest.strip_prefix('年') else {
        return Ok(None);
    };
    let rest = rest.strip_prefix('度').unwrap_or(rest);
    let Some(rest) = ["政府信息公开", "政务公开", "信息公开"]
        .iter()
        .find_map(|w| rest.strip_prefix(w))
    else {
        return Ok(None);
    };
    let rest = rest.strip_prefix("工作").unwrap_or(rest);
    let rest = rest.strip_prefix("年度").unwrap_or(rest);
    Ok((rest.starts_with("报告") || rest.starts_with("年报")).then_some(y))
}

/// `2020年，县审计局…` at the start of section 一.
static OPENING: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^{YEAR}年度?(?:,|以来|是|全年|我|本|共|全|里)")));

/// `本报告由X编制`: the rule [`compiled`] reads by hand.
#[cfg(test)]
static COMPILED: LazyLock<Reach> = LazyLock::new(|| {
    let clause = clause();
    Reach::new(&format!(
        r"本(?:年度)?(?:报告|年报)(?:是)?由(?P<x>{clause}{{2,40}}?)(?:根据|依据|按照|依照|编制|负责|汇总|组织|结合|综合|牵头|统一|制作|会同)"
    ))
});

/// `深圳市龙岗区统计局（以下简称“我局”）`: a full name the text states for
/// its self-references. The rule [`alias`] reads by hand.
#[cfg(test)]
static ALIAS: LazyLock<Reach> = LazyLock::new(|| {
    Reach::new(
        r#"(?:^|[,。;:、])(?P<x>[^,。;:《》“”"、()]{2,40}?)\((?:以下)?(?:简|下)?称[“"]?(?:我|本)[^)”"]{1,4}[”"]?\)"#,
    )
});

/// `请联系：X党政办，电话…`, `请与X联系`, `联系单位：X`.
static CONTACT: LazyLock<Reach> = LazyLock::new(|| {
    let (end, clause) = ("(?:$|[,。;、(]|电话|地址|邮编|联系|传真|邮箱)", clause());
    Reach::new(&format!(
        r"(?:请|可)(?:与|向)(?P<a>{clause}{{2,40}}?)(?:联系|咨询)|(?:(?:请|可)联系:?|联系(?:单位|部门|机构):)(?P<b>{clause}{{2,40}}?){end}"
    ))
});

/// The text before section 二 (and section 一's opening), folded once for
/// the sentences above.
pub struct Sentences<'a> {
    f: Folded<'a>,
}

impl<'a> Sentences<'a> {
    pub fn new(preamble: &'a str) -> Sentences<'a> {
        Sentences {
            f: Folded::new(preamble),
        }
    }

    /// The years and the agencies the sentences state, but for the contact
    /// line's ([`Sentences::contact`]); `overview` is section 一's text.
    pub fn find(&self, overview: Option<&str>) -> Found {
        let text = &self.f.text;
        let mut out = Found::default();
        let caught = |c: Option<&Captures>| c.and_then(|c| year_of(c.name("y")?.as_str()));
        // 现 of 实现, 体现… opens no such sentence (checked here: a class
        // before the literal would cost the regex its fast literal search).
        let published = PUBLISHED.captures_iter(text).find(|c| {
            let before = c.get(0).map_or("", |m| &text[..m.start()]);
            !before.ends_with(['实', '体', '出', '发', '呈', '表', '展', '兑'])
        });
        let years = [
            (caught(published.as_ref()), "the 现公布 sentence"),
            (
                stated(text, &PERIOD, &CUES[0], period_at),
                "the statistics period",
            ),
            (overview.and_then(opening), "the opening of section 一"),
            (
                stated(text, &NOTICE, &CUES[1], notice_at),
                "the notice it cites",
            ),
        ];
        for (y, what) in years {
            if let Some(y) = y {
                out.years.push(Cand::new(y, Source::Text, what));
            }
        }
        let names = [
            (self.name(compiled(text), true), "the 本报告由 sentence"),
            (self.name(group(published), false), "the 现公布 sentence"),
            (self.name(alias(text), false), "the 简称 sentence"),
        ];
        for (n, what) in names {
            out.agencies
                .extend(n.map(|n| Cand::new(n, Source::Text, what)));
        }
        out
    }

    /// The agency the contact line names: weak, and read only where the
    /// caller needs it (its search is the dearest of the sentences').
    pub fn contact(&self) -> Option<Cand<String>> {
        let n = self.name(group(CONTACT.captures(&self.f.text)), true)?;
        Some(Cand::new(n, Source::Text, "the contact line").weak())
    }

    /// The name a sentence gives (`unit`: a unit whose agency is meant), as
    /// the source writes it.
    fn name(&self, x: Option<Range<usize>>, unit: bool) -> Option<String> {
        let x = x?;
        let m = self.f.text.get(x.clone())?;
        let len = if unit {
            agency_of_unit(m)?
        } else {
            plausible(m).then_some(m.len())?
        };
        Some(unspaced(self.f.source(x.start..x.start + len)))
    }
}

/// Where a match's name is (its group `x`, `a` or `b`).
fn group(c: Option<Captures>) -> Option<Range<usize>> {
    let c = c?;
    ["x", "a", "b"]
        .iter()
        .find_map(|g| c.name(g))
        .map(|m| m.range())
}

/// The name (group `x`) of [`ALIAS`]'s first match, read by hand: the
/// pattern, whose first class gives the regex no literal to look for,
/// scanned the whole text (~3.5 K instructions). A name runs to the `(`
/// after it (its class holds none), from the last character before that
/// its class lacks, which must be a delimiter (or no character: the
/// text's start); `(`s in order give the matches in order.
fn alias(text: &str) -> Option<Range<usize>> {
    /// What a name cannot hold, and of that what may stand before one.
    const NOT_NAME: &[char] = &[
        ',', '。', ';', ':', '《', '》', '“', '”', '"', '、', '(', ')',
    ];
    const BEFORE: &[char] = &[',', '。', ';', ':', '、'];
    memchr::memchr_iter(b'(', text.as_bytes()).find_map(|open| {
        // What follows first: it rules out almost every `(`.
        if !so_called(text.get(open + 1..)?) {
            return None;
        }
        let before = text.get(..open)?;
        // The name's reach, 40 characters, and one more for what precedes.
        let mut back = before.char_indices().rev().take(41);
        let start = match back.find(|(_, c)| NOT_NAME.contains(c)) {
            Some((i, c)) if BEFORE.contains(&c) => i + c.len_utf8(),
            Some(_) => return None,
            None if before.chars().rev().nth(40).is_none() => 0,
            None => return None,
        };
        let n = text.get(start..open)?.chars().count();
        (2..=40).contains(&n).then_some(start..open)
    })
}

/// The unit (group `x`) of [`COMPILED`]'s first match, read by hand at
/// each 本: the regex's search for that one character stopped at every 本
/// of the text (~2.7 K instructions). The words before the unit are each
/// taken where they stand (without one, the next could not match there);
/// the unit is the fewest clause characters, two to forty, that a closing
/// word follows.
fn compiled(text: &str) -> Option<Range<usize>> {
    const ENDS: [&str; 14] = [
        "根据", "依据", "按照", "依照", "编制", "负责", "汇总", "组织", "结合", "综合", "牵头",
        "统一", "制作", "会同",
    ];
    // Searched as bytes: a character search stops at every byte its last
    // byte's value (a common continuation byte) stands for.
    static BEN: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("本"));
    BEN.find_iter(text.as_bytes()).find_map(|i| {
        let s = text.get(i + "本".len()..)?;
        let s = s.strip_prefix("年度").unwrap_or(s);
        let s = ["报告", "年报"].iter().find_map(|w| s.strip_prefix(w))?;
        let s = s.strip_prefix('是').unwrap_or(s);
        let s = s.strip_prefix('由')?;
        let from = text.len() - s.len();
        let mut chars = s.char_indices();
        for k in 1..=40 {
            let (j, c) = chars.next()?;
            if NOT_CLAUSE.contains(&c) {
                return None;
            }
            let end = j + c.len_utf8();
            let rest = s.get(end..)?;
            if k >= 2 && ENDS.iter().any(|e| rest.starts_with(e)) {
                return Some(from..from + end);
            }
        }
        None
    })
}

/// What follows the name in [`ALIAS`]: `以下简称“我局”)`. Each optional
/// part is taken where it stands (without it, the next part could not
/// match there); the abbreviation's one to four characters end at `)` or at
/// a closing quote before it.
fn so_called(s: &str) -> bool {
    let s = s.strip_prefix("以下").unwrap_or(s);
    let s = s.strip_prefix(['简', '下']).unwrap_or(s);
    let Some(s) = s.strip_prefix('称') else {
        return false;
    };
    let s = s.strip_prefix(['“', '"']).unwrap_or(s);
    let Some(s) = s.strip_prefix(['我', '本']) else {
        return false;
    };
    let short = |c: &char| !matches!(c, ')' | '”' | '"');
    let n: usize = s
        .chars()
        .take(4)
        .take_while(short)
        .map(char::len_utf8)
        .sum();
    let rest = s.get(n..).unwrap_or_default();
    n > 0
        && (rest.starts_with(')')
            || rest
                .strip_prefix(['”', '"'])
                .is_some_and(|r| r.starts_with(')')))
}

/// The year of section 一's first sentence, past its short sub-headings
/// (`（一）主动公开情况`).
fn opening(overview: &str) -> Option<i32> {
    overview.lines().take(3).find_map(|l| {
        let f = Folded::new(l.get(..l.floor_char_boundary(40)).unwrap_or(l));
        match OPENING.captures(&f.text) {
            Some(c) => Some(year_of(c.name("y")?.as_str())),
            // A sentence that opens otherwise: section 一 names no year.
            None if l.chars().count() > 20 => Some(None),
            None => None,
        }
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`period_at`] and [`notice_at`] read at their cues the year group
    /// of their pattern's first match, and [`stated`] the year: on random
    /// text of the patterns' words, with digits only the regex can class.
    #[test]
    fn hand_readings_agree_with_their_patterns() {
        let words = [
            "统计",
            "关于",
            "期限",
            "时间段",
            "时间",
            "时段",
            "段",
            "范围",
            "为",
            "是",
            "截至",
            "截",
            "止",
            ":",
            "到",
            "2019",
            "20",
            "1",
            "9",
            "年",
            "年度",
            "度",
            "二〇一九",
            "二",
            "〇",
            "一",
            "O",
            "٣",
            "０",
            "x",
            "做好",
            "印发",
            "政府信息公开",
            "政务公开",
            "信息公开",
            "工作",
            "报告",
            "年报",
            "。",
            "统计时间段为2019年",
            "关于印发2019年",
            "2019年政府信息公开工作年度报告",
            "20٣",
            "20０",
        ];
        let cases: [(&Regex, usize, AtCue); 2] = [(&PERIOD, 0, period_at), (&NOTICE, 1, notice_at)];
        let mut rng = crate::synth::Rng::new(0x3c6e_f372);
        for (re, k, at) in cases {
            let (mut read, mut unsure) = (0, 0);
            for n in 0..40_000 {
                let s: String = (0..2 + n % 12).map(|_| *rng.pick(&words)).collect();
                let c = re.captures(&s);
                let want = c.as_ref().and_then(|c| c.name("y")).map(|m| m.as_str());
                let cue = &CUES[k];
                let len = cue.needle().len();
                match cue
                    .find_iter(s.as_bytes())
                    .find_map(|i| at(&s[i + len..]).transpose())
                {
                    Some(Err(Unsure)) => unsure += 1,
                    hand => {
                        read += usize::from(want.is_some());
                        assert_eq!(hand.and_then(Result::ok), want, "{s}");
                    }
                }
                assert_eq!(stated(&s, re, cue, at), want.and_then(year_of), "{s}");
            }
            assert!(read > 100 && unsure > 50, "{read} {unsure}");
        }
    }

    /// [`alias`] finds the name [`ALIAS`] does, and [`compiled`] the unit
    /// [`COMPILED`] does: on random text of each pattern's words and of
    /// names around its reach.
    #[test]
    fn hand_readers_find_what_their_patterns_find() {
        let alias_words = [
            "(",
            ")",
            "以下",
            "简",
            "下",
            "称",
            "“",
            "”",
            "\"",
            "我",
            "本",
            "局",
            "区",
            ",",
            "。",
            "、",
            ":",
            "《",
            "》",
            "(以下简称“我局”)",
            "(简称本办)",
            "局)",
        ];
        let compiled_words = [
            "本",
            "年度",
            "报告",
            "年报",
            "是",
            "由",
            "根据",
            "编制",
            "会同",
            "统一",
            "县局",
            ",",
            "。",
            "!",
            "?",
            "本报告由",
            "本年度年报是由",
        ];
        type Reader = fn(&str) -> Option<Range<usize>>;
        let cases: [(&[&str], &Reach, Reader, u64); 2] = [
            (&alias_words, &ALIAS, alias, 0xa54f_f53a),
            (&compiled_words, &COMPILED, compiled, 0x510e_527f),
        ];
        for (words, pattern, read, seed) in cases {
            let mut rng = crate::synth::Rng::new(seed);
            let mut found = 0;
            for n in 0..40_000 {
                let s: String = (0..1 + n % 10)
                    .map(|_| match rng.below(5) {
                        0 => "名".repeat(36 + rng.below(7)),
                        _ => rng.pick(words).to_string(),
                    })
                    .collect();
                let want = group(pattern.captures(&s));
                found += usize::from(want.is_some());
                assert_eq!(read(&s), want, "{s}");
            }
            assert!(found > 1_000, "{found}");
        }
    }

    #[test]
    fn the_sentences_reach_as_far_as_their_bounds() {
        let cases: [(&Reach, &[&str]); 4] = [
            (
                &PUBLISHED,
                &["现公布", "2022年政府信息公开工作年度报告", ",", "实"],
            ),
            (&COMPILED, &["本报告由", "编制", "根据", "。"]),
            (&ALIAS, &[",", "(以下简称“我局”)", "。"]),
            (
                &CONTACT,
                &["请与", "联系", "请联系:", "电话", "联系单位:", "。"],
            ),
        ];
        for (seed, (re, words)) in cases.into_iter().enumerate() {
            crate::meta::tests::reach_agrees(re, words, 40, seed as u64);
        }
    }
}
