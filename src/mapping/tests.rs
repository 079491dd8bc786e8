//! Mapping on small inputs: rows by rank, and each decision on positions.

use super::*;
use crate::blocks::text::blocks;
use crate::flags::Code;
use crate::stream::tokens;
use crate::template::{RowKey, T2019, T2021};

fn run(text: &str, tpl: &'static Template) -> (Vec<TableData>, Vec<Flag>) {
    map(&tokens(&blocks(text)), tpl)
}

#[test]
fn labelled_rows_take_their_values_in_order() {
    let (t, flags) = run("行政许可 | 8 | -5 | 93 |\n行政处罚 | 90 | 0 | 22 |", &T2019);
    let v = t[0].row(RowKey::Licensing).cloned().unwrap_or_default();
    assert_eq!(
        v.iter().map(|x| x.map(|n| n.v)).collect::<Vec<_>>(),
        [Some(8.0), Some(-5.0), Some(93.0)]
    );
    assert!(flags.is_empty(), "{flags:?}");
}

#[test]
fn a_dropped_cell_flags_its_own_row_only() {
    let (t, flags) = run("行政许可 | 8 | 93 |\n行政处罚 | 90 | 0 | 22 |", &T2019);
    assert!(
        flags
            .iter()
            .any(|f| f.code == Code::ROW_SHORT && f.row.as_deref() == Some("item_5.licensing"))
    );
    let p = t[0].row(RowKey::Penalty).cloned().unwrap_or_default();
    assert_eq!(
        p.iter().map(|x| x.map(|n| n.v)).collect::<Vec<_>>(),
        [Some(90.0), Some(0.0), Some(22.0)]
    );
}

#[test]
fn padding_hides_positions() {
    let (t, flags) = run("一、本年新收政府信息公开申请数量 |\n0 | ||||||\n", &T2021);
    assert_eq!(
        t[1].row(RowKey::NewReceived).cloned().unwrap_or_default(),
        vec![None; 7]
    );
    assert!(flags.iter().any(|f| f.code == Code::ROW_SHORT));
}

#[test]
fn run_together_digits_are_left_to_split() {
    let (t, _) = run("一、本年新收政府信息公开申请数量640020470", &T2021);
    assert_eq!(
        t[1].row(RowKey::NewReceived).cloned().unwrap_or_default(),
        vec![None; 7]
    );
    assert_eq!(t[1].pending.len(), 1);
    assert_eq!(t[1].pending[0].runs, ["640020470"]);
    // Table cells have their boundaries: never split.
    assert!(read::split_runs(&[], true, 7).is_none());
}

#[test]
fn wide_table_fills_three_groups() {
    let (t, _) = run(
        "行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n1 0 0 1 2 0 0 0 0 0 3 0 0 0 3",
        &T2021,
    );
    let after = t[2]
        .row(RowKey::LawsuitAfterReview)
        .cloned()
        .unwrap_or_default();
    assert_eq!(after.first().copied().flatten().map(|n| n.v), Some(3.0));
}

/// A row's values as plain numbers.
fn vals(t: &[TableData], table: usize, key: RowKey) -> Vec<Option<f64>> {
    t[table]
        .row(key)
        .map(|v| v.iter().map(|x| x.map(|n| n.v)).collect())
        .unwrap_or_default()
}

fn has(flags: &[Flag], code: Code, row: Option<&str>) -> bool {
    flags
        .iter()
        .any(|f| f.code == code && (row.is_none() || f.row.as_deref() == row))
}

/// Section 三 as a markdown table: three label columns (a group, a label
/// spanning two), seven value columns; `rows`, then the eight rows of
/// （三）不予公开, so that the table's verdict rests on a dozen rows.
fn markdown_requests(rows: &[&str]) -> String {
    let mut md = String::from(
        "| 类别 |  |  | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        md.push_str(r);
        md.push('\n');
    }
    let withheld = [
        "（三）不予公开 | 1.属于国家秘密",
        " | 2.其他法律行政法规禁止公开",
        " | 3.危及“三安全一稳定”",
        " | 4.保护第三方合法权益",
        " | 5.属于三类内部事务信息",
        " | 6.属于四类过程性信息",
        " | 7.属于行政执法案卷",
        " | 8.属于行政查询事项",
    ];
    for w in withheld {
        md.push_str(&format!("|  | {w} | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"));
    }
    md
}

const NEW: &str = "| 一、本年新收政府信息公开申请数量 |  |  | 26 |  |  |  |  |  | 26 |";
const OVER: &str = "| 二、上年结转政府信息公开申请数量 |  |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |";
const GRANTED: &str = "| 三、本年度办理结果 | （一）予以公开 |  | 1 | 0 | 0 | 0 | 0 | 1 | 2 |";
const PARTIAL: &str = "|  | （二）部分公开 |  | 3 | 0 | 0 | 0 | 0 | 0 | 3 |";

#[test]
fn consistent_explicit_blanks_are_trusted() {
    // Every row of figures is ten cells wide: the five blanks between the
    // two 26 are cells, so 26 is the first column and the last.
    let (t, flags) = run(&markdown_requests(&[NEW, OVER, GRANTED, PARTIAL]), &T2021);
    let mut want = vec![None; 7];
    want[0] = Some(26.0);
    want[6] = Some(26.0);
    assert_eq!(vals(&t, 1, RowKey::NewReceived), want);
    assert!(
        !flags
            .iter()
            .any(|f| f.severity == crate::flags::Severity::Error),
        "{flags:?}"
    );
}

#[test]
fn the_seeds_padding_hides_positions() {
    // One cell per line: `0 | ||||||` is a figure and the pipes that pad
    // the row to the table's width, six or seven of them for rows of the
    // same seven cells — inconsistent, so which column the 0 is in is
    // unknown: null, and an error.
    let seed = "一、本年新收政府信息公开申请数量 |\n0 | ||||||\n二、上年结转政府信息公开申请数量 |\n0 | ||||||\n三、本年度办理结果 |\n(一)予以公开 |\n0 | |||||\n(三)不予公开 |\n1.属于国家秘密 |\n||||||\n2.其他法律行政法规禁止公开 |\n|||||||\n";
    let (t, flags) = run(seed, &T2019);
    assert_eq!(vals(&t, 1, RowKey::NewReceived), vec![None; 7]);
    assert_eq!(vals(&t, 1, RowKey::Granted), vec![None; 7]);
    assert!(has(&flags, Code::ROW_SHORT, Some("new_received")));
    assert!(has(&flags, Code::ROW_SHORT, Some("granted")));
}

#[test]
fn border_pipes_and_label_spans_are_not_cells() {
    // `| a | b |`: the outer pipes are borders; `（一）予以公开` spans two
    // columns, the blank after it is the span, not a value.
    let (t, _) = run(&markdown_requests(&[NEW, OVER, GRANTED, PARTIAL]), &T2021);
    assert_eq!(
        vals(&t, 1, RowKey::Granted),
        [1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0].map(Some).to_vec()
    );
    assert_eq!(
        vals(&t, 1, RowKey::PartiallyGranted),
        [3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0].map(Some).to_vec()
    );
}

#[test]
fn the_row_total_chooses_the_only_alignment_that_holds() {
    // One label-span cell too many: the row is a cell wider than the
    // others; dropping the extra blank before the figures is the only
    // alignment whose total holds (26 = 26), and it is said.
    let wide = "| 一、本年新收政府信息公开申请数量 |  |  |  | 26 | 0 | 0 | 0 | 0 | 0 | 26 |";
    let (t, flags) = run(&markdown_requests(&[wide, OVER, GRANTED, PARTIAL]), &T2021);
    assert_eq!(
        vals(&t, 1, RowKey::NewReceived),
        [26.0, 0.0, 0.0, 0.0, 0.0, 0.0, 26.0].map(Some).to_vec()
    );
    assert!(has(&flags, Code::ALIGNMENT_REPAIRED, Some("new_received")));
    assert!(!has(&flags, Code::ROW_MISALIGNED, None));
}

#[test]
fn two_alignments_that_fit_and_none_confirmed_leave_the_row_null() {
    // A cell wider than the others, blanks at both ends: the table's
    // columns put 2 as natural person and 1 as total (2 > 1: the total
    // breaks), a shift by one puts 1 beside a blank total (nothing holds).
    // Two alignments fit, the row total confirms neither: null, an error.
    // (Two alignments that leave out only blanks can never both hold: the
    // total of one is a cell the other leaves out.)
    let wide = "| 一、本年新收政府信息公开申请数量 |  |  |  | 2 |  |  |  |  | 1 |  |";
    let (t, flags) = run(&markdown_requests(&[wide, OVER, GRANTED, PARTIAL]), &T2021);
    assert_eq!(vals(&t, 1, RowKey::NewReceived), vec![None; 7]);
    assert!(has(&flags, Code::ROW_MISALIGNED, Some("new_received")));
}

#[test]
fn an_alignment_with_blanks_among_its_figures_is_not_repaired() {
    // The only alignment that keeps the figures holds (4 = 4), but a blank
    // sits among them: the extra cell may have been added there, shifting
    // the 4 of the parts while the sum still holds.
    let wide = "| 一、本年新收政府信息公开申请数量 |  |  |  |  | 4 |  | 0 | 0 | 0 | 0 | 4 |";
    let (t, flags) = run(&markdown_requests(&[wide, OVER, GRANTED, PARTIAL]), &T2021);
    assert_eq!(vals(&t, 1, RowKey::NewReceived), vec![None; 7]);
    assert!(has(&flags, Code::ROW_MISALIGNED, Some("new_received")));
}

#[test]
fn a_row_that_lost_a_cell_is_not_realigned() {
    // A lost 0 keeps every row total holding: the row is null.
    let short = "| 三、本年度办理结果 | （一）予以公开 |  | 1 | 0 | 0 | 0 | 1 | 2 |";
    let (t, flags) = run(&markdown_requests(&[NEW, OVER, short, PARTIAL]), &T2021);
    assert_eq!(vals(&t, 1, RowKey::Granted), vec![None; 7]);
    assert!(has(&flags, Code::ROW_SHORT, Some("granted")));
}

#[test]
fn columns_named_in_another_order_go_where_their_header_says() {
    let text = "第二十条第（一）项 |\n信息内容 | 现行有效件数 | 本年废止件数 | 本年制发件数 |\n规章 | 25 | 1 | 5 |\n行政规范性文件 | 9 | 0 | 2 |\n";
    let (t, flags) = run(text, &T2021);
    assert_eq!(
        vals(&t, 0, RowKey::Rules),
        [5.0, 1.0, 25.0].map(Some).to_vec()
    );
    assert_eq!(
        vals(&t, 0, RowKey::Normative),
        [2.0, 0.0, 9.0].map(Some).to_vec()
    );
    assert!(has(&flags, Code::COLUMNS_REORDERED, Some("item_1")));
}

#[test]
fn a_header_with_a_column_the_template_lacks_is_flagged() {
    let text = "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年新公开数量 | 现行有效件数 |\n规章 | 5 | 1 | 25 |\n";
    let (_, flags) = run(text, &T2021);
    assert!(has(&flags, Code::HEADER_MISMATCH, Some("item_1")));
}

#[test]
fn a_value_spanning_columns_leaves_its_row_null() {
    let (b, _) = crate::blocks::html::blocks(
        "<table><tr><td>第二十条第（五）项</td></tr><tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr><tr><td>行政许可</td><td colspan=3>0</td></tr><tr><td>其他对外管理服务事项</td><td>1</td><td>0</td><td>4</td></tr></table>",
    );
    let (t, flags) = map(&tokens(&b), &T2019);
    assert_eq!(vals(&t, 0, RowKey::Licensing), vec![None; 3]);
    assert!(has(
        &flags,
        Code::VALUE_SPANS_COLUMNS,
        Some("item_5.licensing")
    ));
    assert_eq!(
        vals(&t, 0, RowKey::OtherServices),
        [1.0, 0.0, 4.0].map(Some).to_vec()
    );
}

#[test]
fn a_unit_other_than_the_templates_is_kept_and_named() {
    let text =
        "第二十条第（八）项 |\n信息内容 | 本年收费金额（单位：元） |\n行政事业性收费 | 25000 |\n";
    let (t, flags) = run(text, &T2021);
    assert_eq!(vals(&t, 0, RowKey::Fees), vec![Some(25000.0)]);
    let f = flags
        .iter()
        .find(|f| f.code == Code::UNIT_DIFFERS)
        .expect("a warning on the cell");
    assert_eq!(
        (f.row.as_deref(), f.column),
        (Some("item_8.fees"), Some("amount"))
    );
    assert!(f.message.contains('元'));
}

#[test]
fn a_label_printed_as_a_heading_then_as_a_row_is_one_row() {
    let text =
        "（一）予以公开\n三、本年度办理结果 | （一）予以公开 | 1 | 0 | 0 | 0 | 0 | 1 | 2 |\n";
    let (t, flags) = run(text, &T2021);
    assert_eq!(
        vals(&t, 1, RowKey::Granted),
        [1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0].map(Some).to_vec()
    );
    assert!(!has(&flags, Code::ROW_DUPLICATE, None), "{flags:?}");
}

#[test]
fn section_four_as_three_tables_and_with_words_over_two_lines() {
    let three = "行政复议\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n1\t0\t0\t1\t2\n行政诉讼（未经复议直接起诉）\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n\t\t\t\t\n行政诉讼（复议后起诉）\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n0\t0\t3\t0\t3\n";
    let (t, _) = run(three, &T2021);
    assert_eq!(
        vals(&t, 2, RowKey::Review),
        [1.0, 0.0, 0.0, 1.0, 2.0].map(Some).to_vec()
    );
    assert_eq!(vals(&t, 2, RowKey::LawsuitDirect), vec![None; 5]);
    assert_eq!(
        vals(&t, 2, RowKey::LawsuitAfterReview),
        [0.0, 0.0, 3.0, 0.0, 3.0].map(Some).to_vec()
    );
    let broken = "行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n结果 结果 其他 尚未 总 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总\n维持 纠正 结果 审结 计 维持 纠正 结果 审结 计 维持 纠正 结果 审结 计\n0 0 0 0 0 1 0 0 1 2 0 0 0 0 0\n";
    let (t, _) = run(broken, &T2021);
    assert_eq!(
        vals(&t, 2, RowKey::LawsuitDirect),
        [1.0, 0.0, 0.0, 1.0, 2.0].map(Some).to_vec()
    );
}

/// Section 二's items 5 and 6 and item 8's `head` and `fees` rows, as
/// delimited rows: `|` is `sep`, `end` closes each line (a pipe row's
/// last pipe ends its last cell, a trailing tab starts one).
fn proactive_rows((sep, end): (&str, &str), head: &str, fees: &str) -> String {
    [
        "信息内容|上一年项目数量|本年增/减|处理决定数量",
        "行政许可|25|-4|32",
        "其他对外管理服务事项|0|0|0",
        "行政处罚|137|15|101",
        "行政强制|1|0|1",
        head,
        fees,
    ]
    .map(|r| format!("{}{end}\n", r.replace('|', sep)))
    .concat()
}

const DELIMITED: [(&str, &str); 2] = [("\t", ""), (" | ", " |")];

#[test]
fn a_padded_row_one_cell_short_with_a_blank_is_not_read() {
    // `6 ⇥` under a header padded to four cells: the lost cell stood
    // before the 6 (previous 0, change 6) or after it; either reads.
    for d in DELIMITED {
        let text = proactive_rows(d, "信息内容|上一年项目数量|本年增/减|", "行政事业性收费|6|");
        let (t, flags) = run(&text, &T2019);
        assert_eq!(vals(&t, 0, RowKey::Fees), vec![None; 2], "{d:?}");
        assert!(has(&flags, Code::ROW_SHORT, Some("item_8.fees")), "{d:?}");
        assert_eq!(vals(&t, 0, RowKey::Penalty), [137.0, 15.0, 101.0].map(Some));
    }
}

#[test]
fn a_narrow_row_with_every_field_or_under_a_narrow_header_lacks_nothing() {
    // Trailing padding missing, every field present; and a block printed
    // narrower under a header as narrow, its last cell a real blank.
    let cases = [
        (
            "信息内容|上一年项目数量|本年增/减|",
            "行政事业性收费|0|6",
            [Some(0.0), Some(6.0)],
        ),
        (
            "信息内容|上一年项目数量|本年增/减",
            "行政事业性收费|6|",
            [Some(6.0), None],
        ),
    ];
    for d in DELIMITED {
        for (head, fees, want) in cases {
            let (t, flags) = run(&proactive_rows(d, head, fees), &T2019);
            assert_eq!(vals(&t, 0, RowKey::Fees), want, "{d:?} {fees}");
            assert!(
                !has(&flags, Code::ROW_SHORT, None),
                "{d:?} {fees}: {flags:?}"
            );
        }
    }
}

#[test]
fn a_block_narrower_than_its_table_reads_a_row_lacking_trailing_padding() {
    // Item 5's three columns under a header padded to five cells: `行政强制`
    // lacks its trailing padding and ends in a figure, a blank among its
    // values: nothing was lost, the blank is the first column.
    for (sep, end) in DELIMITED {
        let text = [
            "信息内容|上一年项目数量|本年增/减|处理决定数量|",
            "行政许可|25|-4|32|",
            "其他对外管理服务事项|0|0|0|",
            "行政处罚|137|15|101|",
            "行政强制||0|1",
        ]
        .map(|r| format!("{}{end}\n", r.replace('|', sep)))
        .concat();
        let (t, flags) = run(&text, &T2019);
        assert_eq!(
            vals(&t, 0, RowKey::Enforcement),
            [None, Some(0.0), Some(1.0)],
            "{sep:?}"
        );
        assert!(!has(&flags, Code::ROW_SHORT, None), "{sep:?}: {flags:?}");
    }
}

/// Section 三's rows from （三）不予公开 on, as an HTML table: a label and
/// seven values per row (eight cells), and `extra` in place of the first row
/// of （六）其他处理.
fn html_requests(extra: &str) -> String {
    let mut rows: Vec<String> = [
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "2.重复申请",
        "3.要求提供公开出版物",
    ]
    .iter()
    .map(|l| format!("{l} | 0 | 0 | 0 | 0 | 0 | 0 | 0"))
    .collect();
    rows.push(extra.to_string());
    let tr = |r: &String| {
        let cells: String = r.split(" | ").map(|c| format!("<td>{c}</td>")).collect();
        format!("<tr>{cells}</tr>")
    };
    format!(
        "<h2>三、收到和处理政府信息公开申请情况</h2><table>{}</table>",
        rows.iter().map(tr).collect::<String>()
    )
}

fn run_html(html: &str) -> (Vec<TableData>, Vec<Flag>) {
    map(&tokens(&crate::blocks::html::blocks(html).0), &T2021)
}

#[test]
fn a_group_head_in_a_cell_of_its_own_keeps_the_rows_positions() {
    // `（六）其他处理` printed in a cell of its own before its first row, no
    // rowspan: that row is a cell wider than the table's, the extra cell
    // among its labels, so its values sit one column further right and its
    // blanks are still cells: 19 and 3, 22 in total, no error.
    let head = "（六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 19 |  |  | 3 |  |  | 22";
    let (t, flags) = run_html(&html_requests(head));
    let mut want = vec![None; 7];
    (want[0], want[3], want[6]) = (Some(19.0), Some(3.0), Some(22.0));
    assert_eq!(vals(&t, 1, RowKey::OtherNoCorrection), want);
    assert!(
        !flags
            .iter()
            .any(|f| f.severity == crate::flags::Severity::Error),
        "{flags:?}"
    );
    // A cell gained among the values is no label cell: still an error.
    let blank = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 |  | 19 |  |  | 3 |  |  | 22";
    let (t, flags) = run_html(&html_requests(blank));
    assert_eq!(vals(&t, 1, RowKey::OtherNoCorrection), vec![None; 7]);
    assert!(
        has(&flags, Code::ROW_MISALIGNED, Some("other_no_correction")),
        "{flags:?}"
    );
}

#[test]
fn a_row_cut_before_the_columns_its_header_names_is_not_read() {
    // A text cut at a cell boundary: `二` keeps its two label-span blanks
    // and five figures, and ends in a figure before 其他 and 总计. Read by
    // rank, the blanks would be its first two columns; it lost cells the
    // header names, so it is null, and said.
    let head = "|  |  |  | 自然人 | 法人或其他组织 |  |  |  |  | 总计 |\n|---|---|---|---|---|---|---|---|---|---|\n|  |  |  |  | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |  |\n";
    let cut = "| 二、上年结转政府信息公开申请数量 |  |  | 0 | 0 | 0 | 0 | 0 |";
    let (t, flags) = run(&format!("{head}{NEW}\n{cut}"), &T2021);
    assert_eq!(vals(&t, 1, RowKey::CarriedOver), vec![None; 7]);
    assert!(
        has(&flags, Code::ROW_SHORT, Some("carried_over")),
        "{flags:?}"
    );
}

#[test]
fn a_row_cut_one_cell_before_its_headers_last_word_is_not_read() {
    // gen --damage seed 7100128: `行政规范性文件` lost a blank and ends in
    // its figure one cell before 现行有效件数, the header's last word (its
    // end is that word's column plus its span, not the column). Read left
    // to right, 6 would be the repealed count.
    for (sep, end) in DELIMITED {
        let text = [
            "信息内容|本年制发件数|本年废止件数|现行有效件数",
            "规章|4|231|0",
            "行政规范性文件||6",
        ]
        .map(|r| format!("{}{end}\n", r.replace('|', sep)))
        .concat();
        let (t, flags) = run(&text, &T2021);
        assert_eq!(vals(&t, 0, RowKey::Normative), [None; 3], "{sep:?}");
        assert!(
            has(&flags, Code::ROW_SHORT, Some("item_1.normative")),
            "{sep:?}: {flags:?}"
        );
    }
}

#[test]
fn a_one_cell_row_between_header_and_a_short_row_is_no_header() {
    // A caption of one cell (`第二十条第（八）项 |`) between the header and
    // `6 |`: the header above is still the row of several cells, wider
    // than the row, so the row lost a cell and is not read (a one-cell
    // row taken as its header would be no wider, and `6` read).
    let d = DELIMITED[1];
    let text = proactive_rows(d, "信息内容|上一年项目数量|本年增/减|", "行政事业性收费|6|")
        .replace("行政事业性收费", "第二十条第（八）项 |\n行政事业性收费");
    let (t, flags) = run(&text, &T2019);
    assert_eq!(vals(&t, 0, RowKey::Fees), vec![None; 2], "{text}");
    assert!(
        has(&flags, Code::ROW_SHORT, Some("item_8.fees")),
        "{flags:?}"
    );
}
