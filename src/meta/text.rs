//! Year and agency from the sentences a report writes about itself, in the
//! text before section 二: `现公布X2022年…年度报告`, the statistics period,
//! the year that opens section 一, the notice an older report cites,
//! `本报告由X…编制`, `X（以下简称"我局"）` and the contact line.

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

/// A clause of the text: no sentence punctuation, no book-title marks.
const CLAUSE: &str = r#"[^,。;:《》“”"、!?]"#;

/// `现公布区统计局2023年政府信息公开工作年度报告`, `现向社会公布…`,
/// `現將我局2020年度政府信息公開情況報告如下`, `现将《X2019年…》予以公布`.
static PUBLISHED: LazyLock<Reach> = LazyLock::new(|| {
    Reach::new(&format!(
        r"(?:现|特|兹)(?:将|將|向社会(?:公众)?|予以|予|正式)?(?:公布|发布|印发)?:?《?(?P<x>{CLAUSE}{{0,40}}?){YEAR}年度?(?:的)?(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报|情况)"
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

/// `2020年，县审计局…` at the start of section 一.
static OPENING: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^{YEAR}年度?(?:,|以来|是|全年|我|本|共|全|里)")));

static COMPILED: LazyLock<Reach> = LazyLock::new(|| {
    Reach::new(&format!(
        r"本(?:年度)?(?:报告|年报)(?:是)?由(?P<x>{CLAUSE}{{2,40}}?)(?:根据|依据|按照|依照|编制|负责|汇总|组织|结合|综合|牵头|统一|制作|会同)"
    ))
});

/// `深圳市龙岗区统计局（以下简称“我局”）`: a full name the text states for
/// its self-references.
static ALIAS: LazyLock<Reach> = LazyLock::new(|| {
    Reach::new(
        r#"(?:^|[,。;:、])(?P<x>[^,。;:《》“”"、()]{2,40}?)\((?:以下)?(?:简|下)?称[“"]?(?:我|本)[^)”"]{1,4}[”"]?\)"#,
    )
});

/// `请联系：X党政办，电话…`, `请与X联系`, `联系单位：X`.
static CONTACT: LazyLock<Reach> = LazyLock::new(|| {
    let end = "(?:$|[,。;、(]|电话|地址|邮编|联系|传真|邮箱)";
    Reach::new(&format!(
        r"(?:请|可)(?:与|向)(?P<a>{CLAUSE}{{2,40}}?)(?:联系|咨询)|(?:(?:请|可)联系:?|联系(?:单位|部门|机构):)(?P<b>{CLAUSE}{{2,40}}?){end}"
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
                caught(PERIOD.captures(text).as_ref()),
                "the statistics period",
            ),
            (overview.and_then(opening), "the opening of section 一"),
            (
                caught(NOTICE.captures(text).as_ref()),
                "the notice it cites",
            ),
        ];
        for (y, what) in years {
            if let Some(y) = y {
                out.years.push(Cand::new(y, Source::Text, what));
            }
        }
        let names = [
            (
                self.name(COMPILED.captures(text), true),
                "the 本报告由 sentence",
            ),
            (self.name(published, false), "the 现公布 sentence"),
            // The pattern starts with no literal the regex could search
            // for; every match holds a 称.
            (
                self.name(
                    text.contains('称').then(|| ALIAS.captures(text)).flatten(),
                    false,
                ),
                "the 简称 sentence",
            ),
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
        let n = self.name(CONTACT.captures(&self.f.text), true)?;
        Some(Cand::new(n, Source::Text, "the contact line").weak())
    }

    /// The name a sentence gives (`unit`: a unit whose agency is meant), as
    /// the source writes it.
    fn name(&self, c: Option<Captures>, unit: bool) -> Option<String> {
        let m = c
            .as_ref()
            .and_then(|c| ["x", "a", "b"].iter().find_map(|g| c.name(g)))?;
        let len = if unit {
            agency_of_unit(m.as_str())?
        } else {
            plausible(m.as_str()).then_some(m.len())?
        };
        Some(unspaced(self.f.source(m.start()..m.start() + len)))
    }
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
