//! Which template a report follows (spec §3.5): from its labels, never
//! from its year; the year only raises a flag when it disagrees.

use crate::blocks::Block;
use crate::flags::{Code, Flag};
use crate::normalize::norm;
use crate::sections::Section;
use crate::template::{LEGACY_MARKERS, T2019, T2021, Template, TemplateId};
use crate::words::Words;

/// What the template detection concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Template(TemplateId),
    /// Tables of the 2019/2021 family without telling which (mapped on 2021).
    Unknown,
    Legacy,
    NotReport,
}

impl Kind {
    /// `meta.template`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Template(t) => t.as_str(),
            Kind::Legacy => "legacy",
            Kind::Unknown | Kind::NotReport => "unknown",
        }
    }

    /// The template the tables are read on: 2021 for `unknown`, none for
    /// legacy reports and pages that are no report.
    pub fn template(self) -> Option<&'static Template> {
        match self {
            Kind::Template(TemplateId::Y2019) => Some(&T2019),
            Kind::Template(TemplateId::Y2021) | Kind::Unknown => Some(&T2021),
            Kind::Legacy | Kind::NotReport => None,
        }
    }
}

/// The markers of the 2019 and the 2021 template through [`norm`] (as the
/// stream's text is), then those of legacy reports; one search for their
/// [`anchor`]s; and where each list ends.
static MARKERS: std::sync::LazyLock<(Vec<String>, Words, [usize; 3])> =
    std::sync::LazyLock::new(|| {
        let (all, ends) = marker_words();
        let anchors = Words::new(&all.iter().map(|m| anchor(m)).collect::<Vec<_>>());
        (all, anchors, ends)
    });

/// The part of a marker the search looks for: its last three characters.
/// The markers begin with the words a report is full of (本年, 政府信息,
/// 依申请公开), each a candidate the packed search must check; their ends
/// (数量, 件数, 统计表) are rare, and the search costs a quarter less.
fn anchor(marker: &str) -> &str {
    let at = marker.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
    marker.get(at..).unwrap_or(marker)
}

/// The markers [`MARKERS`] searches for, and where each list ends.
fn marker_words() -> (Vec<String>, [usize; 3]) {
    let mut all: Vec<String> = T2019.markers.iter().map(|m| norm(m)).collect();
    let t19 = all.len();
    all.extend(T2021.markers.iter().map(|m| norm(m)));
    let t21 = all.len();
    all.extend(LEGACY_MARKERS.iter().map(|m| m.to_string()));
    let ends = [t19, t21, all.len()];
    (all, ends)
}

/// How many markers of the 2019 template, of the 2021 one and of legacy
/// reports `text` holds: one pass for their anchors, every anchor that
/// occurs found (no two overlap, as a test holds), and a marker where the
/// rest of it stands before its anchor.
fn markers_in(text: &str) -> [u32; 3] {
    let (markers, anchors, ends) = &*MARKERS;
    let mut seen = 0u64;
    for (i, r) in anchors.find_iter(text) {
        let marker = markers.get(i).map_or("", String::as_str);
        let start = r.end.checked_sub(marker.len());
        if start.and_then(|s| text.as_bytes().get(s..r.end)) == Some(marker.as_bytes()) {
            seen |= 1 << i;
        }
    }
    let mut from = 0;
    ends.map(|end| {
        let n = (from..end).filter(|&i| seen & (1 << i) != 0).count() as u32;
        from = end;
        n
    })
}

/// Template from labels, never from the year (spec §3.5). A pre-2019
/// report gets its own parts as sections.
pub fn detect(
    stream: &crate::stream::Stream,
    blocks: &[Block],
    secs: &mut Vec<Section>,
    year: Option<i32>,
    flags: &mut Vec<Flag>,
) -> Kind {
    let [h19, h21, legacy] = markers_in(&stream.text);
    let kind = match (h19 > 0, h21 > 0) {
        (true, false) => Kind::Template(TemplateId::Y2019),
        (false, true) => Kind::Template(TemplateId::Y2021),
        (true, true) => {
            flags.push(Flag::new(
                Code::TEMPLATE_MIXED,
                format!("labels of both templates ({h19} of 2019, {h21} of 2021)"),
            ));
            Kind::Unknown
        }
        (false, false) => {
            let has_labels = has_tables(stream);
            let said = legacy > 0 || year.is_some_and(|y| y < 2019);
            // The parts are read only where they decide or may be kept.
            let parts = if said && has_labels {
                Vec::new()
            } else {
                crate::sections::legacy_parts(blocks)
            };
            // Numbered parts are a legacy report's own only where they
            // outnumber the sections of the 2019/2021 format found: a
            // report of that format whose tables were all lost (images,
            // a broken page) is not a legacy one, and its tables are
            // missing, not absent by design.
            let legacy = said || (parts.len() >= 3 && parts.len() > secs.len());
            if legacy && !has_labels {
                if parts.len() > secs.len() {
                    *secs = parts;
                }
                Kind::Legacy
            } else if has_labels || secs.len() >= 2 {
                flags.push(Flag::new(
                    Code::TEMPLATE_UNKNOWN,
                    "no label tells the 2019 template from the 2021 one; read on the 2021 rows, so rows only the 2019 template has cannot be found",
                ));
                Kind::Unknown
            } else {
                flags.push(Flag::new(
                    Code::NOT_A_REPORT,
                    "none of the report's sections or tables were found",
                ));
                Kind::NotReport
            }
        }
    };
    if let (Kind::Template(t), Some(y)) = (kind, year) {
        let expected = if y >= 2021 {
            TemplateId::Y2021
        } else {
            TemplateId::Y2019
        };
        if y >= 2019 && t != expected {
            flags.push(Flag::new(
                Code::TEMPLATE_YEAR_MISMATCH,
                format!("a {y} report on the {} template", t.as_str()),
            ));
        }
    }
    kind
}

/// Whether the stream holds a table of the 2019/2021 family: a row label
/// in a table cell, three in running text (prose may name one: `部分公开1件`),
/// or three header words naming columns or groups (a page holding section
/// 四 alone).
fn has_tables(stream: &crate::stream::Stream) -> bool {
    use crate::stream::{Entry, TokKind};
    use crate::template::Names;
    let (mut rows, mut heads): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for t in &stream.toks {
        let TokKind::Label(hits) = &t.kind else {
            continue;
        };
        for h in hits {
            let names = |w: crate::stream::HeaderWord| {
                crate::template::TableKey::ALL
                    .into_iter()
                    .any(|t| matches!(w.names(t), Names::Column(_) | Names::Group(_)))
            };
            let seen = match h.entry {
                Entry::Row { .. } if t.cell => return true,
                Entry::Row { .. } => &mut rows,
                Entry::Header(w) if names(w) => &mut heads,
                _ => continue,
            };
            if !seen.contains(&h.core) {
                seen.push(h.core);
            }
            if seen.len() >= 3 {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kind detected in `text` for a report of `year`, and the flags.
    fn detected(text: &str, year: Option<i32>) -> (Kind, Vec<Code>) {
        let blocks = crate::blocks::text::blocks(text);
        let mut secs = crate::sections::sections(&blocks);
        let stream = crate::stream::tokens(&blocks);
        let mut flags = Vec::new();
        let kind = detect(&stream, &blocks, &mut secs, year, &mut flags);
        (kind, flags.into_iter().map(|f| f.code).collect())
    }

    const Y2019: Kind = Kind::Template(TemplateId::Y2019);

    /// One search finds every anchor that occurs only if no two overlap.
    #[test]
    fn anchors_never_overlap() {
        let (all, ends) = marker_words();
        let words: Vec<&str> = all.iter().map(|m| anchor(m)).collect();
        assert!(crate::words::apart(&words), "{words:?}");
        assert!(ends[2] <= 64 && ends[0] > 0 && ends[1] > ends[0]);
        // Each list counted apart, every marker of it.
        let text = all.concat();
        assert_eq!(
            markers_in(&text),
            [ends[0], ends[1] - ends[0], ends[2] - ends[1]].map(|n| n as u32)
        );
    }

    /// The anchored search counts what a search for each marker counts:
    /// on every text of the corpora, and on random text of the markers,
    /// their pieces (an anchor without the rest, the rest cut short) and
    /// other words.
    #[test]
    fn anchored_markers_are_every_marker() {
        let (all, ends) = marker_words();
        let by_marker = |text: &str| {
            let mut from = 0;
            ends.map(|end| {
                let n = all[from..end].iter().filter(|m| text.contains(m.as_str()));
                from = end;
                n.count() as u32
            })
        };
        let mut pieces: Vec<String> = all.clone();
        for m in &all {
            let cut = m.len() - anchor(m).len();
            pieces.push(anchor(m).to_string());
            let rest = &m[..cut];
            pieces.push(rest.chars().skip(1).collect::<String>() + anchor(m));
            pieces.push(rest.to_string());
        }
        pieces.extend(["政府", "本年", "数量", "、", " ", "1"].map(String::from));
        let mut texts = crate::corpus_inputs::texts();
        let mut rng = crate::synth::Rng::new(0x6a09_e667);
        texts.extend(
            (0..20_000).map(|n| (0..1 + n % 9).map(|_| rng.pick(&pieces).as_str()).collect()),
        );
        let mut found = 0;
        for t in &texts {
            let want = by_marker(t);
            found += want.iter().sum::<u32>();
            assert_eq!(markers_in(t), want, "{t:?}");
        }
        assert!(found > 1000, "{found}");
    }
    const Y2021: Kind = Kind::Template(TemplateId::Y2021);

    #[test]
    fn a_marker_of_one_template_decides() {
        let t19 =
            "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n规章 | 1 | 1 | 5 |\n";
        let t21 = "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 1 | 0 | 5 |\n";
        assert_eq!(detected(t19, Some(2020)), (Y2019, vec![]));
        assert_eq!(detected(t21, Some(2022)), (Y2021, vec![]));
        assert_eq!(detected(t21, None), (Y2021, vec![]));
        assert_eq!(Y2021.template().map(|t| t.id), Some(TemplateId::Y2021));
    }

    #[test]
    fn the_year_never_decides_but_is_flagged_when_it_disagrees() {
        let t19 = "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n";
        assert_eq!(
            detected(t19, Some(2023)),
            (Y2019, vec![Code::TEMPLATE_YEAR_MISMATCH])
        );
        let t21 = "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n";
        assert_eq!(
            detected(t21, Some(2020)),
            (Y2021, vec![Code::TEMPLATE_YEAR_MISMATCH])
        );
        // Before 2019 neither template was due: no mismatch to flag.
        assert_eq!(detected(t21, Some(2018)), (Y2021, vec![]));
    }

    #[test]
    fn markers_of_both_templates_are_mixed() {
        let both = "本年新制作数量 | 本年制发件数 |\n";
        let (kind, codes) = detected(both, Some(2021));
        assert_eq!((kind, codes), (Kind::Unknown, vec![Code::TEMPLATE_MIXED]));
        assert_eq!(kind.as_str(), "unknown");
        assert_eq!(kind.template().map(|t| t.id), Some(TemplateId::Y2021));
    }

    #[test]
    fn tables_without_a_marker_are_unknown() {
        let rows = "一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n";
        assert_eq!(
            detected(rows, Some(2021)),
            (Kind::Unknown, vec![Code::TEMPLATE_UNKNOWN])
        );
    }

    /// A report of the 2019/2021 format whose three tables were all lost
    /// (published as images, a broken page): its six numbered headings are
    /// the format's sections, so it is no legacy report; its tables are
    /// read on the template, and found missing (seed 304151 of
    /// `gen --check --damage`: read as legacy, with no flag at all).
    #[test]
    fn a_report_of_the_format_without_tables_is_not_legacy() {
        let text = "一、总体情况\n全年主动公开政府信息2482条。\n\
                    二、主动公开政府信息情况\n\
                    三、收到和处理政府信息公开申请情况\n本年度新收申请858件。\n\
                    四、政府信息公开行政复议、行政诉讼情况\n被申请行政复议5件。\n\
                    五、存在的主要问题及改进情况\n形式还不够丰富。\n\
                    六、其他需要报告的事项\n未收取信息处理费。\n";
        for year in [Some(2019), Some(2022), None] {
            let (kind, codes) = detected(text, year);
            assert_eq!((kind, codes), (Kind::Unknown, vec![Code::TEMPLATE_UNKNOWN]));
        }
        let r = crate::parse_bytes(text.as_bytes(), "lost-tables.txt");
        let missing = r.flags.iter().filter(|f| f.code == Code::TABLE_MISSING);
        assert_eq!(missing.count(), 3, "{:?}", r.flags);
    }

    #[test]
    fn an_old_report_is_legacy_and_a_page_without_sections_no_report() {
        let old = "一、概述\n全年工作有序。\n二、依申请公开政府信息情况\n受理申请5件。\n";
        let (kind, codes) = detected(old, Some(2015));
        assert_eq!((kind, codes), (Kind::Legacy, vec![]));
        assert_eq!((kind.as_str(), kind.template().is_none()), ("legacy", true));
        let (kind, codes) = detected("欢迎访问本网站。\n", None);
        assert_eq!((kind, codes), (Kind::NotReport, vec![Code::NOT_A_REPORT]));
        assert!(kind.template().is_none());
    }
}
