//! The report's title, wherever it is written: a line at the top of the
//! body (also broken over two or three lines, or spaced out), the page's
//! `<title>`, a folder or file name. A title gives the year and, when it
//! names one, the agency.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::agency::plausible;
use super::fold::{Folded, unspaced};
use super::{Reach, YEAR, re, year_of};

/// What a title says.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub title: String,
    pub year: i32,
    pub agency: Option<String>,
}

/// `[agency]YYYY年[度][agency]政府信息公开[工作][年度]报告`, on folded text,
/// after an optional `标题：`. `t` is the title itself.
static TITLE: LazyLock<Reach> = LazyLock::new(|| {
    Reach::new(&format!(
        r#"^(?:(?:标题|题目|名称):?)?(?P<t>(?P<pre>[^,。;:《》“”"]{{0,40}}?){YEAR}年度?(?P<post>[^,。;:《》“”"]{{0,30}}?)(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报))"#
    ))
});

/// The year after the title: `云岭县财政局政府信息公开工作年度报告（2019年度）`.
static YEAR_AFTER: LazyLock<Reach> = LazyLock::new(|| {
    Reach::new(&format!(
        r#"^(?:(?:标题|题目|名称):?)?(?P<t>(?P<pre>[^,。;:《》“”"]{{0,40}}?)(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报)\({YEAR}年?度?\))"#
    ))
});

/// The short label `2020年报` (a flipbook's or a folder's name), alone in
/// its part: the agency, if any, is the neighbouring part (`2020年报_审计局`).
static SHORT: LazyLock<Reach> = LazyLock::new(|| {
    Reach::new(&format!(
        r#"^(?P<t>(?P<pre>[^,。;:《》“”"]{{0,40}}?){YEAR}(?:年度)?(?:公开)?年报)$"#
    ))
});

/// A word every match of [`TITLE`] and [`YEAR_AFTER`] holds, and one every
/// match of [`SHORT`] holds: a line without it is not searched (most lines
/// with a year are no title, and a regex search costs a hundred times more).
const TITLE_CUE: &str = "公开";
const SHORT_CUE: &str = "年报";

/// Searchers for [`TITLE_CUE`] and [`SHORT_CUE`], built once (not per line).
static CUES: LazyLock<[memchr::memmem::Finder<'static>; 2]> =
    LazyLock::new(|| [TITLE_CUE, SHORT_CUE].map(memchr::memmem::Finder::new));

/// Titles are short; a title line longer than this is a paragraph that
/// starts with one (text whose line breaks were lost).
const TITLE_SPAN: usize = 240;

/// A title at the start of `line`. Parts separated by `_`, `|` or a spaced
/// dash (page titles: `title_column_site`) are tried in turn.
pub fn parse(line: &str) -> Option<Hit> {
    if !has_year(line) {
        return None;
    }
    let parts = parts(line);
    parts.iter().enumerate().find_map(|(i, part)| {
        let f = Folded::new(part);
        if let Some((h, _)) = title_in(&f, false) {
            return Some(h);
        }
        let neighbour = |j: Option<usize>| {
            j.and_then(|j| parts.get(j))
                .map(|p| Folded::new(p))
                .filter(|f| plausible(&f.text))
                .map(|f| unspaced(f.source(0..f.text.len())))
        };
        let mut h = short_in(&f)?;
        h.agency = h
            .agency
            .or_else(|| neighbour(Some(i + 1)))
            .or_else(|| neighbour(i.checked_sub(1)));
        Some(h)
    })
}

/// Whether the start of `line` has a digit a year could be written with:
/// most lines have none, and need no folding.
fn has_year(line: &str) -> bool {
    line.get(..line.floor_char_boundary(TITLE_SPAN))
        .unwrap_or(line)
        .chars()
        .any(|c| matches!(c, '0'..='9' | '０'..='９' | '〇' | '○' | '零'))
}

/// The first title in the opening lines, one line or a title broken over
/// two or three short lines; with the range of lines it spans.
pub fn in_lines(lines: &[&str]) -> Option<(Hit, Range<usize>)> {
    (0..lines.len()).find_map(|i| {
        let line = lines.get(i)?;
        if let Some(h) = parse(line) {
            return Some((h, i..i + 1));
        }
        // The year on the first line: a line of chrome above a title is not
        // part of it.
        if !has_year(line) {
            return None;
        }
        (2..=3).find_map(|k| {
            let group = lines.get(i..i + k)?;
            if group.iter().any(|l| l.chars().count() > 40) {
                return None;
            }
            let (h, year_at) = title_in(&Folded::new(&group.concat()), true)?;
            // Folded only here: the line may be a long paragraph.
            let first = Folded::new(line).text.len();
            (year_at < first).then_some((h, i..i + k))
        })
    })
}

/// Year and agency from a folder or file name: a title
/// (`80576_平潭综合实验区2019年度政府信息公开工作年度报告/page.txt`), or a
/// lone year beside a word that says annual report (`ndbg_2019.html`,
/// `2019年度/`). The file name first, then its two parent folders.
pub fn in_path(path: &str) -> Option<(Option<i32>, Option<String>)> {
    static LONE: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|\D)(20\d{2})(?:\D|$)"));
    const SAYS_REPORT: &[&str] = &["年报", "年度报告", "ndbg", "nb", "annual", "report"];
    let mut names = path.rsplit(['/', '\\']).filter(|s| !s.is_empty());
    let file = names.next()?;
    let stem = file
        .rsplit_once('.')
        .filter(|(_, ext)| {
            (1..=5).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric())
        })
        .map_or(file, |(s, _)| s);
    std::iter::once(stem).chain(names.take(2)).find_map(|name| {
        if let Some(h) = parse(name) {
            return Some((Some(h.year), h.agency));
        }
        let f = Folded::new(name);
        let lower = f.text.to_lowercase();
        let years: Vec<i32> = LONE
            .captures_iter(&f.text)
            .filter_map(|c| c.get(1).and_then(|m| year_of(m.as_str())))
            .collect();
        let one = years.first().filter(|y| years.iter().all(|x| x == *y))?;
        let folder = lower == format!("{one}年") || lower == format!("{one}年度");
        (folder || SAYS_REPORT.iter().any(|w| lower.contains(w))).then_some((Some(*one), None))
    })
}

fn parts(line: &str) -> Vec<&str> {
    let head = line
        .get(..line.floor_char_boundary(TITLE_SPAN))
        .unwrap_or(line);
    // Markdown marks a title as a heading or bold (`# …`, `**…**`).
    let marks = |c: char| c.is_whitespace() || matches!(c, '#' | '*' | '>' | '=');
    head.split(['_', '|', '｜', '—'])
        .flat_map(|p| p.split(" - "))
        .map(|p| p.trim_matches(marks))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The long form at the start of `f` (`whole`: and nothing after it), with
/// where its year starts in the folded text.
fn title_in(f: &Folded, whole: bool) -> Option<(Hit, usize)> {
    CUES[0].find(f.text.as_bytes())?;
    let c = TITLE
        .captures(&f.text)
        .or_else(|| YEAR_AFTER.captures(&f.text))?;
    let t = c.name("t")?;
    if whole && t.end() != f.text.len() {
        return None;
    }
    let agency = agency(f, c.name("pre")?.range(), c.name("post").map(|m| m.range()))?;
    let y = c.name("y")?;
    let hit = Hit {
        title: crate::blocks::squash_ws(f.source(t.range())),
        year: year_of(y.as_str())?,
        agency,
    };
    Some((hit, y.start()))
}

fn short_in(f: &Folded) -> Option<Hit> {
    CUES[1].find(f.text.as_bytes())?;
    let c = SHORT.captures(&f.text)?;
    let t = c.name("t")?;
    Some(Hit {
        title: crate::blocks::squash_ws(f.source(t.range())),
        year: year_of(c.name("y")?.as_str())?,
        agency: agency(f, c.name("pre")?.range(), None)?,
    })
}

/// The agency a title names before or after its year. `None` when the text
/// before the year is no name (the line is a sentence, not a title);
/// `Some(None)` when the title names no agency (or only `本机关`).
fn agency(f: &Folded, pre: Range<usize>, post: Option<Range<usize>>) -> Option<Option<String>> {
    // `X关于印发Y2019年…报告的通知`: the report is Y's. A site's tag in
    // front (`【政务公开】`) is no part of a name.
    let name = |r: Range<usize>| {
        let mut r = r;
        let s = f.text.get(r.clone()).unwrap_or_default();
        for (open, close) in [('【', '】'), ('[', ']')] {
            if s.starts_with(open)
                && let Some(end) = s.find(close)
            {
                r.start += end + close.len_utf8();
            }
        }
        let s = f.text.get(r.clone()).unwrap_or_default();
        if let Some(i) = s.rfind("关于") {
            let rest = &s[i + "关于".len()..];
            let verb = ["印发", "转发", "公布", "发布"]
                .iter()
                .find(|v| rest.starts_with(*v));
            r.start += i + "关于".len() + verb.map_or(0, |v| v.len());
        }
        let s = f.text.get(r.clone()).unwrap_or_default();
        if let Some(x) = s.strip_suffix("关于").or_else(|| s.strip_suffix("的")) {
            r.end = r.start + x.len();
        }
        r
    };
    let pre = name(pre);
    let text = f.text.get(pre.clone()).unwrap_or_default();
    if plausible(text) {
        return Some(Some(unspaced(f.source(pre))));
    }
    if !(text.is_empty() || text.starts_with('我') || text.starts_with('本')) {
        return None;
    }
    Some(
        post.map(name)
            .and_then(|r| plausible(f.text.get(r.clone())?).then(|| unspaced(f.source(r)))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(line: &str) -> Option<(i32, Option<String>, String)> {
        parse(line).map(|h| (h.year, h.agency, h.title))
    }

    #[test]
    fn title_forms() {
        let (y, a, t) = hit("宿迁市 2025 年政府信息公开工作年度报告").unwrap_or_default();
        assert_eq!((y, a.as_deref()), (2025, Some("宿迁市")));
        assert_eq!(t, "宿迁市 2025 年政府信息公开工作年度报告");
        let (y, a, _) = hit("2024 年上海市科委政府信息公开工作年度报告").unwrap_or_default();
        assert_eq!((y, a.as_deref()), (2024, Some("上海市科委")));
        let (y, a, t) =
            hit("标题: 平潭综合实验区2013年政府信息公开工作年度报告").unwrap_or_default();
        assert_eq!((y, a.as_deref()), (2013, Some("平潭综合实验区")));
        assert_eq!(t, "平潭综合实验区2013年政府信息公开工作年度报告");
        let (y, a, _) = hit("二〇一三年云岭县政务公开工作年度报告").unwrap_or_default();
        assert_eq!((y, a.as_deref()), (2013, Some("云岭县")));
        let (y, a, _) =
            hit("云岭县人民政府办公室关于印发云岭县2019年政府信息公开工作年度报告的通知")
                .unwrap_or_default();
        assert_eq!((y, a.as_deref()), (2019, Some("云岭县")));
        let (y, a, t) = hit("云岭县财政局政府信息公开工作年度报告（2019年度）").unwrap_or_default();
        assert_eq!((y, a.as_deref()), (2019, Some("云岭县财政局")));
        assert_eq!(t, "云岭县财政局政府信息公开工作年度报告（2019年度）");
        let (y, a, _) = hit("2019年政府信息公开工作年度报告").unwrap_or_default();
        assert_eq!((y, a), (2019, None));
        let (y, a, _) = hit("Page 9 - 2020年报_审计局").unwrap_or_default();
        assert_eq!((y, a.as_deref()), (2020, Some("审计局")));
        let (y, a, _) = hit(
            "平潭综合实验区2020年度政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会",
        )
        .unwrap_or_default();
        assert_eq!((y, a.as_deref()), (2020, Some("平潭综合实验区")));
        let (y, a, t) = hit("# 东川乡人民政府2019年政府信息公开工作年度报告").unwrap_or_default();
        assert_eq!((y, a.as_deref()), (2019, Some("东川乡人民政府")));
        assert_eq!(t, "东川乡人民政府2019年政府信息公开工作年度报告");
        let (_, a, _) = hit("【政务公开】云岭县2021年政府信息公开工作年度报告").unwrap_or_default();
        assert_eq!(a.as_deref(), Some("云岭县"));
        // Traditional script stays as written.
        let (_, a, _) = hit("武漢市生態環境局2020年政府信息公開工作年度報告").unwrap_or_default();
        assert_eq!(a.as_deref(), Some("武漢市生態環境局"));
    }

    #[test]
    fn the_title_cues_are_read_off_their_patterns() {
        use crate::meta::tests::every_match_holds;
        for (re, cue) in [
            (&*TITLE, TITLE_CUE),
            (&*YEAR_AFTER, TITLE_CUE),
            (&*SHORT, SHORT_CUE),
        ] {
            assert!(every_match_holds(re.as_str(), &[cue]), "{}", re.as_str());
        }
        // The check can fail: a short title need not say 公开.
        assert!(!every_match_holds(SHORT.as_str(), &[TITLE_CUE]));
    }

    /// The words of a title, for random lines read by the title patterns.
    const TITLE_WORDS: [&str; 16] = [
        "标题:",
        "2019",
        "二〇一九",
        "年",
        "年度",
        "政府信息公开",
        "政务公开",
        "工作",
        "报告",
        "年报",
        "(",
        ")",
        ",",
        "2019年政府信息公开工作年度报告",
        "政府信息公开工作年度报告(2019年度)",
        "2020年报",
    ];

    /// Every title holds its cue: on random lines of the patterns' words.
    #[test]
    fn every_title_holds_its_cue() {
        let extra = [
            "云岭县",
            "度",
            "信息公开",
            "公开",
            "的",
            "关于",
            "信息",
            "政务",
            "政务公开年报(2020年)",
        ];
        let words: Vec<&str> = TITLE_WORDS.into_iter().chain(extra).collect();
        let mut rng = crate::synth::Rng::new(0x1f83_d9ab);
        let mut found = [0; 3];
        for n in 0..30_000 {
            let s: String = (0..1 + n % 10).map(|_| *rng.pick(&words)).collect();
            for (re, cue, k) in [
                (&*TITLE, TITLE_CUE, 0),
                (&*YEAR_AFTER, TITLE_CUE, 1),
                (&*SHORT, SHORT_CUE, 2),
            ] {
                if let Some(m) = re.captures(&s).and_then(|c| c.get(0)) {
                    found[k] += 1;
                    assert!(m.as_str().contains(cue), "{s}: {}", re.as_str());
                }
            }
        }
        assert!(found.iter().all(|&n| n >= 100), "{found:?}");
    }

    #[test]
    fn the_titles_reach_as_far_as_their_bounds() {
        let words = TITLE_WORDS;
        for (re, seed) in [(&*TITLE, 1), (&*YEAR_AFTER, 2), (&*SHORT, 3)] {
            crate::meta::tests::reach_agrees(re, &words, 40, seed);
        }
        crate::meta::tests::reach_agrees(&TITLE, &words, 30, 4);
    }

    #[test]
    fn sentences_are_no_titles() {
        assert_eq!(hit("现公布区统计局2023年政府信息公开工作年度报告。"), None);
        assert_eq!(
            hit("根据《关于做好2012年政府信息公开工作年度报告有关事项的通知》"),
            None
        );
        assert_eq!(hit("2020年，县审计局坚持公开"), None);
    }

    #[test]
    fn broken_over_lines() {
        let lines = [
            "长者模式",
            "平潭综合实验区2020年",
            "政府信息公开工作年度报告",
            "来源",
        ];
        let (h, r) = in_lines(&lines).unwrap_or_else(|| panic!("no title"));
        assert_eq!(
            (h.year, h.agency.as_deref(), r),
            (2020, Some("平潭综合实验区"), 1..3)
        );
        assert_eq!(h.title, "平潭综合实验区2020年政府信息公开工作年度报告");
        let lines = ["2024 年上海市科委政府信息公开工作", "年度报告"];
        let (h, _) = in_lines(&lines).unwrap_or_else(|| panic!("no title"));
        assert_eq!((h.year, h.agency.as_deref()), (2024, Some("上海市科委")));
        // A title glued to the text after it, on one line.
        let lines = ["平潭综合实验区2019年政府信息公开工作年度报告 根据《条例》"];
        assert!(in_lines(&lines).is_some());
    }

    #[test]
    fn paths() {
        assert_eq!(
            in_path(
                "zfxxgknb/202001/80576_平潭综合实验区2019年度政府信息公开工作年度报告/page.txt"
            ),
            Some((Some(2019), Some("平潭综合实验区".into())))
        );
        assert_eq!(
            in_path("/a/云岭县财政局2021年政府信息公开年报.html"),
            Some((Some(2021), Some("云岭县财政局".into())))
        );
        assert_eq!(in_path("/x/ndbg_2019.html"), Some((Some(2019), None)));
        assert_eq!(in_path("/x/2019年度/a.html"), Some((Some(2019), None)));
        // A publication date or a bare number says nothing.
        assert_eq!(in_path("zfxxgknb/202001/t20200120_80576.htm"), None);
        assert_eq!(in_path("corpus/009-pingtan-2019/input.txt"), None);
    }
}
