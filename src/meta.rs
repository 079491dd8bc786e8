//! Report metadata: title, agency, year, publication date, contacts.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::blocks::Block;
use crate::blocks::html::HtmlHead;

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
}

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| unreachable!("{e}"))
}

static TITLE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:标题[:：]\s*)?([^，,。《》：:\s]{0,30}?(?:19|20)\d{2}\s*年度?[^，,。《》]{0,40}?(?:政府信息公开|政务公开)[^，,。]{0,12}?(?:年度报告|年报))",
    )
});
static TITLE_PARTS: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(.*?)((?:19|20)\d{2})\s*年度?(.*?)(?:政府信息公开|政务公开)"));
static PERIOD_YEAR: LazyLock<Regex> =
    LazyLock::new(|| re(r"统计期限?(?:为|是|自|从)?\s*((?:19|20)\d{2})\s*年"));
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:发布日期|发布时间|成文日期|日期|时间)\s*[:：]?\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})",
    )
});
static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"));
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:电话|传真|联系方式|热线)[^0-9\n]{0,8}((?:\(?0\d{2,3}\)?[-－—]?)?\d{7,8}(?:[-－]\d{1,4})?|1[3-9]\d{9})",
    )
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"[A-Za-z0-9._%+\-]+[@＠][A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
});

/// Read what the page says about itself. `preamble` is the text before the
/// first section heading (contacts live there).
pub fn meta(blocks: &[Block], head: Option<&HtmlHead>, preamble: &str) -> Meta {
    let meta_tag = |names: &[&str]| {
        head.and_then(|h| {
            h.metas
                .iter()
                .find(|(n, _)| names.contains(&n.as_str()))
                .map(|(_, c)| c.clone())
        })
        .filter(|c| !c.is_empty())
    };
    let first_paras: Vec<&str> = blocks
        .iter()
        .filter_map(|b| {
            if let Block::Para(p) = b {
                Some(p.as_str())
            } else {
                None
            }
        })
        .take(40)
        .collect();
    let title = meta_tag(&["articletitle", "title", "og:title"])
        .or_else(|| {
            head.and_then(|h| h.title.clone())
                .filter(|t| TITLE_LINE.is_match(t))
        })
        .or_else(|| {
            first_paras.iter().find_map(|p| {
                TITLE_LINE
                    .captures(p)
                    .and_then(|c| c.get(1))
                    .map(|m| m.as_str().trim().to_string())
            })
        });
    let (mut agency, mut year) = (None, None);
    if let Some(c) = title.as_deref().and_then(|t| TITLE_PARTS.captures(t)) {
        year = c.get(2).and_then(|m| m.as_str().parse().ok());
        let before = c.get(1).map_or("", |m| m.as_str().trim());
        let after = c.get(3).map_or("", |m| m.as_str().trim());
        let name = if before.chars().count() >= 2 {
            before
        } else {
            after
        };
        agency = Some(
            name.trim_matches(|c: char| c.is_whitespace() || c == '_' || c == '-')
                .to_string(),
        )
        .filter(|s| s.chars().count() >= 2);
    }
    if year.is_none() {
        year = PERIOD_YEAR
            .captures(preamble)
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse().ok());
    }
    let published = meta_tag(&[
        "pubdate",
        "publishdate",
        "firstpublishedtime",
        "published_time",
        "article:published_time",
    ])
    .and_then(|d| ISO_DATE.captures(&d).map(|c| ymd(&c)))
    .or_else(|| {
        first_paras
            .iter()
            .find_map(|p| DATE.captures(p).map(|c| ymd(&c)))
    });
    let mut phones: Vec<String> = PHONE
        .captures_iter(preamble)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str().to_string())
        .collect();
    phones.dedup();
    let mut emails: Vec<String> = EMAIL
        .find_iter(preamble)
        .map(|m| m.as_str().replace('＠', "@"))
        .collect();
    emails.dedup();
    Meta {
        title,
        agency,
        year,
        template: "unknown",
        published,
        phones,
        emails,
    }
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

    #[test]
    fn title_agency_year_contacts() {
        let blocks = vec![
            Block::Para("2019年上海市人民政府办公厅政府信息公开工作年度报告".into()),
            Block::Para("发布日期：2020-01-31".into()),
        ];
        let m = meta(
            &blocks,
            None,
            "如有疑问请联系电话:0591-23165370,电子邮箱:cj8588031@163.com。",
        );
        assert_eq!(m.agency.as_deref(), Some("上海市人民政府办公厅"));
        assert_eq!(m.year, Some(2019));
        assert_eq!(m.published.as_deref(), Some("2020-01-31"));
        assert_eq!(m.phones, ["0591-23165370"]);
        assert_eq!(m.emails, ["cj8588031@163.com"]);
    }

    #[test]
    fn agency_before_year() {
        let blocks = vec![Block::Para(
            "平潭综合实验区2021年度政府信息公开工作年度报告".into(),
        )];
        let m = meta(&blocks, None, "");
        assert_eq!(m.agency.as_deref(), Some("平潭综合实验区"));
        assert_eq!(m.year, Some(2021));
    }
}
