//! What an agency name looks like, its administrative level, and the key
//! reports are grouped by. The word lists live here and nowhere else; every
//! source of a name (title, sentences, contact line, path) is judged by
//! [`plausible`].

use serde::Serialize;

use crate::normalize::{strip_notes, width};

/// How agency names end: a place or government, or an organ of one. A name
/// that ends otherwise is not taken (null beats a sentence fragment).
const ENDINGS: &[&str] = &[
    "人民政府",
    "政府",
    "行政公署",
    "办事处",
    "街道",
    "苏木",
    "管委会",
    "委员会",
    "办公厅",
    "办公室",
    "海关",
    "监狱",
    "中心",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "州",
    "盟",
    "镇",
    "乡",
    "厅",
    "局",
    "委",
    "办",
    "署",
    "部",
    "院",
    "处",
    "所",
    "站",
    "队",
    "馆",
    "会",
    "社",
    "台",
    "团",
];

/// Words that open a clause, never a name (`根据…`, `现公布…`), and
/// self-references (`我局`, `本机关`): a full name is needed.
const NOT_A_START: &[&str] = &[
    "我", "本", "该", "各", "现", "根据", "按照", "依据", "依照", "关于", "为", "经", "对", "由",
    "在", "从", "自", "将", "特", "全", "以", "其", "此", "上述", "有关", "相关", "如", "请", "与",
    "和", "及", "向", "做好", "年",
];

/// Words no agency name holds: the report's own vocabulary.
const NOT_INSIDE: &[&str] = &[
    "报告",
    "公开",
    "年度",
    "情况",
    "条例",
    "通知",
    "统计期",
    "关于",
    "印发",
];

/// Units inside an agency that answer the public's questions: the contact
/// line names them (`请联系：景德镇市瓷局党政办`), the report is the agency's.
/// Longest first.
const INTERNAL_UNITS: &[&str] = &[
    "政府信息公开办公室",
    "政务公开办公室",
    "信息公开办公室",
    "党政综合办公室",
    "综合办公室",
    "党政办公室",
    "政务公开办",
    "信息公开办",
    "政策法规科",
    "政务公开科",
    "党政办",
    "办公室",
    "综合科",
    "综合股",
    "综合处",
    "秘书科",
    "法规科",
    "法制科",
];

/// Administrative level, when the name says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    City,
    County,
    Township,
    Department,
}

/// Whether `name` (folded: simplified, half-width, no whitespace) can be an
/// agency's full or partial name.
pub fn plausible(name: &str) -> bool {
    let n = name.chars().count();
    (2..=40).contains(&n)
        && name.chars().all(|c| han(c) || "()·".contains(c))
        && !NOT_A_START.iter().any(|w| name.starts_with(w))
        && !NOT_INSIDE.iter().any(|w| name.contains(w))
        && ENDINGS.iter().any(|e| strip_notes(name).ends_with(e))
        && !bare_government(name)
}

/// `区政府`, `县人民政府`: a level word and 政府, the report speaking of
/// itself without its name.
fn bare_government(name: &str) -> bool {
    let mut c = name.chars();
    c.next().is_some_and(|l| "省市县区镇乡州旗".contains(l))
        && matches!(c.as_str(), "政府" | "人民政府")
}

fn han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '〇')
}

/// A partial name (`区统计局`): it starts with the level word where the
/// place's name should be, so a full name stated elsewhere replaces it.
pub fn partial(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|l| "省市县区镇乡".contains(l))
}

/// The agency behind a unit that compiles the report or answers for it
/// (`本报告由X编制`, the contact line): the unit minus an internal office
/// (`景德镇市瓷局党政办` → `景德镇市瓷局`). A government's own office
/// (`县人民政府办公室`) gives none: it compiles the government's report as
/// well as its own. Folded text in, folded byte length of the agency out.
pub fn agency_of_unit(unit: &str) -> Option<usize> {
    if unit.ends_with("政府办公室") || unit.ends_with("政府办公厅") {
        return None;
    }
    let Some(office) = INTERNAL_UNITS.iter().find(|u| unit.ends_with(*u)) else {
        return plausible(unit).then_some(unit.len());
    };
    let rest = &unit[..unit.len() - office.len()];
    (plausible(rest) && !rest.ends_with("政府")).then_some(rest.len())
}

/// The level the name states. Zones (实验区, 开发区, 管委会) state none;
/// county-level cities read as cities (their name says 市).
pub fn level(name: &str) -> Option<Level> {
    const ZONES: &[&str] = &[
        "实验区",
        "试验区",
        "开发区",
        "新区",
        "示范区",
        "园区",
        "保税区",
        "合作区",
        "管委会",
        "管理委员会",
    ];
    const MUNICIPALITIES: &[&str] = &["北京市", "上海市", "天津市", "重庆市"];
    if ZONES.iter().any(|z| name.ends_with(z)) {
        return None;
    }
    let place = ["人民政府", "政府", "行政公署"]
        .iter()
        .find_map(|g| name.strip_suffix(g))
        .unwrap_or(name);
    if place.ends_with("街道") || place.ends_with("街道办事处") {
        return Some(Level::Township);
    }
    if MUNICIPALITIES.contains(&place) {
        return Some(Level::Province);
    }
    let last = place.chars().last()?;
    match last {
        '省' => Some(Level::Province),
        '区' if place.ends_with("自治区") => Some(Level::Province),
        '市' | '州' | '盟' => Some(Level::City),
        '区' if place.ends_with("地区") => Some(Level::City),
        '县' | '区' | '旗' => Some(Level::County),
        '镇' | '乡' => Some(Level::Township),
        '木' if place.ends_with("苏木") => Some(Level::Township),
        _ if place != name => None,
        _ => ENDINGS
            .iter()
            .any(|e| name.ends_with(e))
            .then_some(Level::Department),
    }
}

/// `meta.agency_key`: whitespace dropped, full-width folded to half-width,
/// every bracket pair made `()`. Nothing else: `X局` and `X局办公室` stay
/// two agencies, and script is not converted.
pub fn key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match width(c) {
            '[' | '【' | '〔' | '〖' | '{' => '(',
            ']' | '】' | '〕' | '〗' | '}' => ')',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_names() {
        for ok in [
            "平潭综合实验区",
            "区统计局",
            "龙口镇",
            "上海市科委",
            "景德镇市瓷局",
            "上海市人民政府办公厅",
            "北京市西城区(区)",
        ] {
            assert!(plausible(ok), "{ok}");
        }
        for no in [
            "我局",
            "本机关",
            "区政府",
            "根据条例",
            "总体情况",
            "现公布区统计局",
            "政府信息公开工作",
            "2019",
            "XX局",
            "局",
        ] {
            assert!(!plausible(no), "{no}");
        }
    }

    #[test]
    fn levels() {
        let l = |n| level(n);
        assert_eq!(l("福建省人民政府"), Some(Level::Province));
        assert_eq!(l("上海市人民政府"), Some(Level::Province));
        assert_eq!(l("广西壮族自治区"), Some(Level::Province));
        assert_eq!(l("宿迁市"), Some(Level::City));
        assert_eq!(l("大理白族自治州人民政府"), Some(Level::City));
        assert_eq!(l("深圳市龙岗区人民政府"), Some(Level::County));
        assert_eq!(l("云岭县"), Some(Level::County));
        assert_eq!(l("龙口镇"), Some(Level::Township));
        assert_eq!(l("石泉街道办事处"), Some(Level::Township));
        assert_eq!(l("区统计局"), Some(Level::Department));
        assert_eq!(l("上海市人民政府办公厅"), Some(Level::Department));
        assert_eq!(l("平潭综合实验区"), None);
        assert_eq!(l("平潭综合实验区管委会"), None);
    }

    #[test]
    fn contact_units() {
        let a = |u: &'static str| agency_of_unit(u).map(|n| &u[..n]);
        assert_eq!(a("景德镇市瓷局党政办"), Some("景德镇市瓷局"));
        assert_eq!(a("云岭县财政局办公室"), Some("云岭县财政局"));
        assert_eq!(a("云岭县人民政府办公室"), None);
        assert_eq!(a("上海市人民政府办公厅"), None);
        assert_eq!(a("云岭县统计局"), Some("云岭县统计局"));
        assert_eq!(a("政务公开办公室"), None);
    }

    #[test]
    fn keys_fold_width_and_brackets_only() {
        assert_eq!(key(" 北京市西城区（区）\u{3000}"), "北京市西城区(区)");
        assert_eq!(key("某市【试点】局"), "某市(试点)局");
        assert_eq!(key("武漢市"), "武漢市");
        assert_ne!(key("X局"), key("X局办公室"));
    }
}
