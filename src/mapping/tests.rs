//! Mapping on small inputs: rows by rank, and each decision on positions.

use super::*;
use crate::blocks::text::blocks;
use crate::flags::Code;
use crate::stream::tokens;
use crate::template::{T2019, T2021};

fn run(text: &str, tpl: &'static Template) -> (Vec<TableData>, Vec<Flag>) {
    map(&tokens(&blocks(text)), tpl)
}

#[test]
fn labelled_rows_take_their_values_in_order() {
    let (t, flags) = run("行政许可 | 8 | -5 | 93 |\n行政处罚 | 90 | 0 | 22 |", &T2019);
    let v = t[0].row("licensing").cloned().unwrap_or_default();
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
    let p = t[0].row("penalty").cloned().unwrap_or_default();
    assert_eq!(
        p.iter().map(|x| x.map(|n| n.v)).collect::<Vec<_>>(),
        [Some(90.0), Some(0.0), Some(22.0)]
    );
}

#[test]
fn padding_hides_positions() {
    let (t, flags) = run("一、本年新收政府信息公开申请数量 |\n0 | ||||||\n", &T2021);
    assert_eq!(
        t[1].row("new_received").cloned().unwrap_or_default(),
        vec![None; 7]
    );
    assert!(flags.iter().any(|f| f.code == Code::ROW_SHORT));
}

#[test]
fn run_together_digits_are_left_to_split() {
    let (t, _) = run("一、本年新收政府信息公开申请数量640020470", &T2021);
    assert_eq!(
        t[1].row("new_received").cloned().unwrap_or_default(),
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
        .row("lawsuit_after_review")
        .cloned()
        .unwrap_or_default();
    assert_eq!(after.first().copied().flatten().map(|n| n.v), Some(3.0));
}
