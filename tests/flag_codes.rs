//! Every flag code is produced by at least one input here, with the
//! severity, table and row it must carry. A code added to `src/flags.rs`
//! without an input that produces it fails
//! `every_code_has_an_input_that_produces_it`.

use gongkai::{Code, parse_bytes};

/// Where a case's bytes come from.
enum Input {
    Text(&'static str),
    /// A file of the project corpus (`corpus/…`).
    Corpus(&'static str),
    /// Built by a function (too large to write out).
    Made(fn() -> Vec<u8>),
}

struct Case {
    code: Code,
    input: Input,
    severity: &'static str,
    table: Option<&'static str>,
    row: Option<&'static str>,
}

impl Case {
    fn bytes(&self) -> Vec<u8> {
        match &self.input {
            Input::Text(t) => t.as_bytes().to_vec(),
            Input::Corpus(p) => {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(p);
                std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            }
            Input::Made(f) => f(),
        }
    }
}

/// Elements nested beyond the depth a tree is built for.
fn too_deep() -> Vec<u8> {
    format!(
        "<html><body>{}一、总体情况</body></html>",
        "<div>".repeat(1100)
    )
    .into_bytes()
}

/// More cells than the token cap.
fn too_many_cells() -> Vec<u8> {
    format!("{}\n", "1 |".repeat(200_001)).into_bytes()
}

/// A file with no charset declaration and bytes not valid in the encoding
/// detected.
const GUESSED: &str = "corpus/001006-text-runtogether-2021-utf8-placeholder-truncate/input.txt";

const CASES: &[Case] = &[
    Case {
        code: Code::ENCODING_GUESSED,
        input: Input::Corpus(GUESSED),
        severity: "info",
        table: None,
        row: None,
    },
    Case {
        code: Code::DECODE_ERRORS,
        input: Input::Corpus(GUESSED),
        severity: "warning",
        table: None,
        row: None,
    },
    Case {
        code: Code::INPUT_TOO_LARGE,
        input: Input::Made(too_many_cells),
        severity: "error",
        table: None,
        row: None,
    },
    Case {
        code: Code::HTML_TOO_DEEP,
        input: Input::Made(too_deep),
        severity: "warning",
        table: None,
        row: None,
    },
    Case {
        code: Code::NOT_A_REPORT,
        input: Input::Text("欢迎访问本网站。\n"),
        severity: "error",
        table: None,
        row: None,
    },
    Case {
        code: Code::TEMPLATE_MIXED,
        input: Input::Text("本年新制作数量 | 本年制发件数 |\n"),
        severity: "warning",
        table: None,
        row: None,
    },
    Case {
        code: Code::TEMPLATE_UNKNOWN,
        input: Input::Text("一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"),
        severity: "warning",
        table: None,
        row: None,
    },
    Case {
        code: Code::TEMPLATE_YEAR_MISMATCH,
        input: Input::Text(
            "某县人民政府2023年政府信息公开工作年度报告\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n规章 | 1 | 1 | 5 |\n",
        ),
        severity: "warning",
        table: None,
        row: None,
    },
    Case {
        code: Code::META_CONFLICT,
        input: Input::Text(
            "某县人民政府2020年政府信息公开工作年度报告\n一、总体情况\n统计期限自2019年1月1日起至2019年12月31日止。\n",
        ),
        severity: "warning",
        table: None,
        row: None,
    },
    Case {
        code: Code::SECTION_MISSING,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 2 |\n",
        ),
        severity: "warning",
        table: None,
        row: None,
    },
    Case {
        code: Code::TABLE_MISSING,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 2 |\n",
        ),
        severity: "error",
        table: Some("requests"),
        row: None,
    },
    Case {
        code: Code::BLOCK_MISSING,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 2 |\n",
        ),
        severity: "error",
        table: Some("proactive"),
        row: Some("item_5"),
    },
    Case {
        code: Code::ROW_MISSING,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 2 |\n",
        ),
        severity: "error",
        table: Some("proactive"),
        row: Some("item_1.normative"),
    },
    Case {
        code: Code::ROW_SHORT,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 |\n",
        ),
        severity: "error",
        table: Some("proactive"),
        row: Some("item_1.rules"),
    },
    Case {
        code: Code::ROW_LONG,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 2 | 3 |\n",
        ),
        severity: "error",
        table: Some("proactive"),
        row: Some("item_1.rules"),
    },
    Case {
        code: Code::ROW_MISALIGNED,
        input: Input::Text(
            "| 类别 |  |  | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n|---|---|---|---|---|---|---|---|---|---|\n| 一、本年新收政府信息公开申请数量 |  |  |  | 2 |  |  |  |  | 1 |  |\n| 二、上年结转政府信息公开申请数量 |  |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n| 三、本年度办理结果 | （一）予以公开 |  | 1 | 0 | 0 | 0 | 0 | 1 | 2 |\n|  | （二）部分公开 |  | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n|  | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
        ),
        severity: "error",
        table: Some("requests"),
        row: Some("new_received"),
    },
    Case {
        code: Code::ALIGNMENT_REPAIRED,
        input: Input::Text(
            "| 类别 |  |  | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n|---|---|---|---|---|---|---|---|---|---|\n| 一、本年新收政府信息公开申请数量 |  |  |  | 26 | 0 | 0 | 0 | 0 | 0 | 26 |\n| 二、上年结转政府信息公开申请数量 |  |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n| 三、本年度办理结果 | （一）予以公开 |  | 1 | 0 | 0 | 0 | 0 | 1 | 2 |\n|  | （二）部分公开 |  | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n|  | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n|  |  | 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
        ),
        severity: "info",
        table: Some("requests"),
        row: Some("new_received"),
    },
    Case {
        code: Code::VALUE_SPANS_COLUMNS,
        input: Input::Text(
            "<table><tr><td>第二十条第（五）项</td></tr><tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr><tr><td>行政许可</td><td colspan=3>0</td></tr></table>",
        ),
        severity: "error",
        table: Some("proactive"),
        row: Some("item_5.licensing"),
    },
    Case {
        code: Code::COLUMNS_REORDERED,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 现行有效件数 | 本年废止件数 | 本年制发件数 |\n规章 | 25 | 1 | 5 |\n",
        ),
        severity: "warning",
        table: Some("proactive"),
        row: Some("item_1"),
    },
    Case {
        code: Code::HEADER_MISMATCH,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年新公开数量 | 现行有效件数 |\n规章 | 5 | 1 | 25 |\n",
        ),
        severity: "error",
        table: Some("proactive"),
        row: Some("item_1"),
    },
    Case {
        code: Code::ROW_BLANK,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 |  |  |  |\n",
        ),
        severity: "warning",
        table: Some("proactive"),
        row: Some("item_1.rules"),
    },
    Case {
        code: Code::ROW_DUPLICATE,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 25 |\n规章 | 6 | 1 | 25 |\n",
        ),
        severity: "error",
        table: Some("proactive"),
        row: Some("item_1.rules"),
    },
    Case {
        code: Code::ROW_REPEATED,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 25 |\n规章 | 5 | 1 | 25 |\n",
        ),
        severity: "warning",
        table: Some("proactive"),
        row: Some("item_1.rules"),
    },
    Case {
        code: Code::GROUP_HAS_VALUES,
        input: Input::Text("（三）不予公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"),
        severity: "error",
        table: Some("requests"),
        row: None,
    },
    Case {
        code: Code::VALUES_WITHOUT_LABEL,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 25 |\n | 7 | 1 | 2 |\n",
        ),
        severity: "warning",
        table: Some("proactive"),
        row: None,
    },
    Case {
        code: Code::EXTRA_ROW,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 25 |\n其他主动公开文件 | 7 | 1 | 2 |\n",
        ),
        severity: "warning",
        table: Some("proactive"),
        row: None,
    },
    Case {
        code: Code::LABEL_VARIANT,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规范性文件 | 5 | 1 | 2 |\n",
        ),
        severity: "warning",
        table: Some("proactive"),
        row: Some("item_1.normative"),
    },
    Case {
        code: Code::ROW_NOT_IN_TEMPLATE,
        input: Input::Text(
            "第二十条第（八）项 |\n信息内容 | 本年收费金额（单位：万元） |\n行政事业性收费 | 2 |\n政府集中采购 | 3 | 4 |\n",
        ),
        severity: "warning",
        table: Some("proactive"),
        row: None,
    },
    Case {
        code: Code::CELLS_RUN_TOGETHER,
        input: Input::Text(
            "信息内容 | 本年制发件数 |\n一、本年新收政府信息公开申请数量1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\n",
        ),
        severity: "error",
        table: Some("requests"),
        row: Some("new_received"),
    },
    Case {
        code: Code::SPLIT_RECOVERED,
        input: Input::Text(
            "信息内容 | 本年制发件数 |\n一、本年新收政府信息公开申请数量640020470\n",
        ),
        severity: "info",
        table: Some("requests"),
        row: Some("new_received"),
    },
    Case {
        code: Code::SPLIT_AMBIGUOUS,
        input: Input::Text("信息内容 | 本年制发件数 |\n规章000行政规范性文件693665\n"),
        severity: "warning",
        table: Some("proactive"),
        row: Some("item_1.normative"),
    },
    Case {
        code: Code::NARRATIVE_MISMATCH,
        input: Input::Text(
            "本年度新收政府信息公开申请30件。\n一、本年新收政府信息公开申请数量 | 26 | 0 | 0 | 0 | 0 | 0 | 26 |\n",
        ),
        severity: "warning",
        table: Some("requests"),
        row: Some("new_received"),
    },
    Case {
        code: Code::CELL_NOT_NUMERIC,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 1 2 | 1 | 25 |\n",
        ),
        severity: "error",
        table: Some("proactive"),
        row: Some("item_1.rules"),
    },
    Case {
        code: Code::CELL_CUT,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 25",
        ),
        severity: "error",
        table: Some("proactive"),
        row: Some("item_1.rules"),
    },
    Case {
        code: Code::CELL_BLANK,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 |  | 1 | 2 |\n",
        ),
        severity: "warning",
        table: Some("proactive"),
        row: Some("item_1.rules"),
    },
    Case {
        code: Code::CELL_PLACEHOLDER,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | / | 1 | 2 |\n",
        ),
        severity: "warning",
        table: Some("proactive"),
        row: Some("item_1.rules"),
    },
    Case {
        code: Code::VALUE_REWRITTEN,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 1,025 |\n",
        ),
        severity: "info",
        table: Some("proactive"),
        row: Some("item_1.rules"),
    },
    Case {
        code: Code::UNIT_IN_CELL,
        input: Input::Text(
            "第二十条第（八）项 |\n信息内容 | 本年收费金额（单位：万元） |\n行政事业性收费 | 2万元 |\n",
        ),
        severity: "info",
        table: Some("proactive"),
        row: Some("item_8.fees"),
    },
    Case {
        code: Code::UNIT_MISSING,
        input: Input::Text(
            "第二十条第（九）项 |\n信息内容 | 采购项目数量 | 采购总金额 |\n政府集中采购 | 2 | 3.5 |\n",
        ),
        severity: "info",
        table: Some("proactive"),
        row: Some("item_9.procurement"),
    },
    Case {
        code: Code::UNIT_DIFFERS,
        input: Input::Text(
            "第二十条第（八）项 |\n信息内容 | 本年收费金额（单位：元） |\n行政事业性收费 | 25000 |\n",
        ),
        severity: "warning",
        table: Some("proactive"),
        row: Some("item_8.fees"),
    },
    Case {
        code: Code::VALUE_OUT_OF_DOMAIN,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | -5 | 1 | 2 |\n",
        ),
        severity: "error",
        table: Some("proactive"),
        row: Some("item_1.rules"),
    },
    Case {
        code: Code::PAGE_FURNITURE,
        input: Input::Text(
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 5 | 1 | 2 |\n- 4 -\n",
        ),
        severity: "warning",
        table: Some("proactive"),
        row: None,
    },
    Case {
        code: Code::RULE_BROKEN,
        input: Input::Text(
            "信息内容 | 本年制发件数 |\n行政复议 | 行政诉讼 |\n1 | 0 | 0 | 1 | 3 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
        ),
        severity: "error",
        table: Some("reviews_and_lawsuits"),
        row: Some("review"),
    },
    Case {
        code: Code::RULE_HOLDS_WITH_BLANKS,
        input: Input::Text(
            "信息内容 | 本年制发件数 |\n行政复议 | 行政诉讼 |\n1 | | | 1 | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
        ),
        severity: "info",
        table: Some("reviews_and_lawsuits"),
        row: Some("review"),
    },
    Case {
        code: Code::RULE_UNCHECKED_BLANKS,
        input: Input::Text(
            "信息内容 | 本年制发件数 |\n行政复议 | 行政诉讼 |\n1 | | | 1 | 3 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
        ),
        severity: "warning",
        table: Some("reviews_and_lawsuits"),
        row: Some("review"),
    },
];

#[test]
fn every_code_has_an_input_that_produces_it() {
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !CASES.iter().any(|k| k.code == **c))
        .map(|c| c.as_str())
        .collect();
    assert!(missing.is_empty(), "no input in CASES produces {missing:?}");
}

#[test]
fn each_input_produces_its_code_where_it_belongs() {
    for case in CASES {
        let r = parse_bytes(&case.bytes(), "case.txt");
        let found = r.flags.iter().find(|f| {
            f.code == case.code
                && f.table.map(|t| t.as_str()) == case.table
                && f.row.as_deref() == case.row
        });
        let Some(f) = found else {
            let got: Vec<_> = r
                .flags
                .iter()
                .map(|f| {
                    (
                        f.code.as_str(),
                        f.table.map(|t| t.as_str()),
                        f.row.as_deref(),
                    )
                })
                .collect();
            panic!(
                "{} on {:?} {:?} not produced; flags: {got:?}",
                case.code.as_str(),
                case.table,
                case.row
            );
        };
        assert_eq!(f.severity.as_str(), case.severity, "{}", case.code.as_str());
    }
}
