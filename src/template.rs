//! The official tables as data (spec §2, §3, §5). Both input paths and the
//! checks read these descriptions; a provincial variant or a new label
//! spelling is an edit here, not a new code path.
//!
//! Labels are written as published; they are normalised (see
//! [`crate::normalize`]) when the lexicon is built.

use crate::facts::FactKind;

/// Which official format a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateId {
    Y2019,
    Y2021,
}

impl TemplateId {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateId::Y2019 => "2019",
            TemplateId::Y2021 => "2021",
        }
    }
}

/// What a column may hold (rule A5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Integer ≥ 0.
    Count,
    /// Integer, may be negative (`本年增/减`).
    Signed,
    /// Decimal money amount; `unit` is the header's unit when it has one.
    Amount { unit: Option<&'static str> },
}

#[derive(Debug)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: ValueKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Holds values.
    Data,
    /// A row-group label (`（三）不予公开`); holds no values.
    Group,
}

#[derive(Debug)]
pub struct Row {
    pub key: &'static str,
    /// Official label (enumerators and notes left out).
    pub label: &'static str,
    /// Other spellings seen in real reports; matching one gives a flag.
    pub variants: &'static [&'static str],
    pub kind: RowKind,
    /// Only a label with an enumerator (`3.其他`, `（七）总计`) is this row;
    /// the bare word is a column header.
    pub needs_enum: bool,
}

#[derive(Debug)]
pub struct Block {
    /// Output key (`item_1`…); empty for tables without blocks.
    pub key: &'static str,
    pub caption: Option<&'static str>,
    pub columns: &'static [Column],
    pub rows: &'static [Row],
}

/// An arithmetic rule of the template (spec §5).
#[derive(Debug)]
pub enum Rule {
    /// In every data row: `total` = sum of `parts` columns (A2, A4).
    RowTotal {
        id: &'static str,
        total: &'static str,
        parts: &'static [&'static str],
    },
    /// In every column: sum of `lhs` rows = sum of `rhs` rows (A1, A3).
    ColumnBalance {
        id: &'static str,
        lhs: &'static [&'static str],
        rhs: &'static [&'static str],
    },
}

impl Rule {
    pub fn id(&self) -> &'static str {
        match self {
            Rule::RowTotal { id, .. } | Rule::ColumnBalance { id, .. } => id,
        }
    }

    /// The keys summed on each side: the parts and the total of a row
    /// total, both sides of a column balance (see [`crate::arithmetic`]).
    pub fn sides(&self) -> (&[&'static str], &[&'static str]) {
        match self {
            Rule::RowTotal { total, parts, .. } => (parts, std::slice::from_ref(total)),
            Rule::ColumnBalance { lhs, rhs, .. } => (lhs, rhs),
        }
    }
}

/// How a table's values are laid out in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Each data row starts with its label.
    Labelled,
    /// One unlabelled row holding every row's values in turn (section 四:
    /// 3 groups × 5 columns), announced by the table's header words.
    Wide,
}

/// The three statistical tables (sections 二, 三, 四), in the order every
/// template lists them: [`Template::tables`] is indexed by [`TableKey::index`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableKey {
    Proactive,
    Requests,
    Reviews,
}

impl TableKey {
    pub const ALL: [TableKey; 3] = [TableKey::Proactive, TableKey::Requests, TableKey::Reviews];

    /// The output key (`tables.proactive`…).
    pub fn as_str(self) -> &'static str {
        match self {
            TableKey::Proactive => "proactive",
            TableKey::Requests => "requests",
            TableKey::Reviews => "reviews_and_lawsuits",
        }
    }

    /// The table's place in [`Template::tables`] and in everything read
    /// table by table.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_key(key: &str) -> Option<TableKey> {
        TableKey::ALL.into_iter().find(|t| t.as_str() == key)
    }
}

impl serde::Serialize for TableKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for TableKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug)]
pub struct TableSpec {
    pub key: TableKey,
    pub layout: Layout,
    /// True when the output nests rows under block keys (section 二).
    pub nested: bool,
    pub blocks: &'static [Block],
    /// Header words of this table beyond its columns' own labels (which are
    /// header words too): spans over several columns, other spellings, and
    /// words that name nothing (`信息内容`). Never row labels.
    pub headers: &'static [Header],
    pub rules: &'static [Rule],
}

/// A header word and what it names, so that a header cell is tied to its
/// column (or, in the wide table, to its group).
#[derive(Debug)]
pub struct Header {
    pub label: &'static str,
    pub names: Names,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// A column, by key (`合计` for `total`).
    Column(&'static str),
    /// A row of the wide table, whose row names head its groups of columns
    /// (`行政复议`); taken from the table's rows, never listed in `headers`.
    Group(&'static str),
    /// Several columns, or groups of the wide table, under one heading
    /// (`法人或其他组织`, `行政诉讼`).
    Span(&'static [&'static str]),
    /// A heading over the label column or the whole table (`信息内容`,
    /// `申请人情况`'s note cell).
    Nothing,
}

/// The unit money columns are kept in (`本年收费金额（单位：万元）`; the
/// 2019 `采购总金额` prints no unit but is read in 万元 too).
pub const MONEY_UNIT: &str = "万元";

/// A table cell by its keys: `(table, row, column)`.
pub type CellKey = (TableKey, &'static str, &'static str);

/// The cells whose sum a kind of narrative figure states, in one template
/// (`收到申请N件` is section 三's 新收 total).
#[derive(Debug)]
pub struct FactCells {
    pub kind: FactKind,
    pub cells: &'static [CellKey],
}

#[derive(Debug)]
pub struct Template {
    pub id: TemplateId,
    /// In [`TableKey`] order (a test holds both templates to it).
    pub tables: [&'static TableSpec; 3],
    /// Labels whose presence means this template (spec §3.5).
    pub markers: &'static [&'static str],
    /// What the narrative's figures are checked against; a kind not listed
    /// has no cell in this template.
    pub facts: &'static [FactCells],
}

const fn col(key: &'static str, label: &'static str, kind: ValueKind) -> Column {
    Column { key, label, kind }
}
const fn data(key: &'static str, label: &'static str, variants: &'static [&'static str]) -> Row {
    Row {
        key,
        label,
        variants,
        kind: RowKind::Data,
        needs_enum: false,
    }
}
const fn group(key: &'static str, label: &'static str) -> Row {
    Row {
        key,
        label,
        variants: &[],
        kind: RowKind::Group,
        needs_enum: false,
    }
}
const fn enumerated(
    key: &'static str,
    label: &'static str,
    variants: &'static [&'static str],
) -> Row {
    Row {
        key,
        label,
        variants,
        kind: RowKind::Data,
        needs_enum: true,
    }
}

use ValueKind::{Count, Signed};

// ---- section 二 -----------------------------------------------------------

const P19_ITEM1_COLS: &[Column] = &[
    col("new_made", "本年新制作数量", Count),
    col("new_published", "本年新公开数量", Count),
    col("total_published", "对外公开总数量", Count),
];
const P21_ITEM1_COLS: &[Column] = &[
    col("issued", "本年制发件数", Count),
    col("repealed", "本年废止件数", Count),
    col("in_force", "现行有效件数", Count),
];
const P19_CHANGE_COLS: &[Column] = &[
    col("previous", "上一年项目数量", Count),
    col("change", "本年增/减", Signed),
    col("decisions", "处理决定数量", Count),
];
const P21_DECISION_COLS: &[Column] = &[col("decisions", "本年处理决定数量", Count)];

const PROACTIVE_2019: TableSpec = TableSpec {
    key: TableKey::Proactive,
    layout: Layout::Labelled,
    nested: true,
    blocks: &[
        Block {
            key: "item_1",
            caption: Some("第二十条第（一）项"),
            columns: P19_ITEM1_COLS,
            rows: &[
                data("rules", "规章", &[]),
                data("normative", "规范性文件", &["行政规范性文件"]),
            ],
        },
        Block {
            key: "item_5",
            caption: Some("第二十条第（五）项"),
            columns: P19_CHANGE_COLS,
            rows: &[
                data("licensing", "行政许可", &[]),
                data("other_services", "其他对外管理服务事项", &[]),
            ],
        },
        Block {
            key: "item_6",
            caption: Some("第二十条第（六）项"),
            columns: P19_CHANGE_COLS,
            rows: &[
                data("penalty", "行政处罚", &[]),
                data("enforcement", "行政强制", &[]),
            ],
        },
        Block {
            key: "item_8",
            caption: Some("第二十条第（八）项"),
            columns: &[
                col("previous", "上一年项目数量", Count),
                col("change", "本年增/减", Signed),
            ],
            rows: &[data("fees", "行政事业性收费", &[])],
        },
        Block {
            key: "item_9",
            caption: Some("第二十条第（九）项"),
            columns: &[
                col("projects", "采购项目数量", Count),
                col("amount", "采购总金额", ValueKind::Amount { unit: None }),
            ],
            rows: &[data("procurement", "政府集中采购", &[])],
        },
    ],
    headers: PROACTIVE_HEADERS,
    rules: &[],
};

const PROACTIVE_2021: TableSpec = TableSpec {
    key: TableKey::Proactive,
    layout: Layout::Labelled,
    nested: true,
    blocks: &[
        Block {
            key: "item_1",
            caption: Some("第二十条第（一）项"),
            columns: P21_ITEM1_COLS,
            rows: &[
                data("rules", "规章", &[]),
                data("normative", "行政规范性文件", &["规范性文件"]),
            ],
        },
        Block {
            key: "item_5",
            caption: Some("第二十条第（五）项"),
            columns: P21_DECISION_COLS,
            rows: &[data("licensing", "行政许可", &[])],
        },
        Block {
            key: "item_6",
            caption: Some("第二十条第（六）项"),
            columns: P21_DECISION_COLS,
            rows: &[
                data("penalty", "行政处罚", &[]),
                data("enforcement", "行政强制", &[]),
            ],
        },
        Block {
            key: "item_8",
            caption: Some("第二十条第（八）项"),
            columns: &[col(
                "amount",
                "本年收费金额（单位：万元）",
                ValueKind::Amount {
                    unit: Some("万元")
                },
            )],
            rows: &[data("fees", "行政事业性收费", &[])],
        },
    ],
    headers: PROACTIVE_HEADERS,
    rules: &[],
};

/// Header words of section 二 beyond the column labels (the column labels of
/// both templates are header words of either: a 2019 header inside a 2021
/// report is still a header, not a row).
const PROACTIVE_HEADERS: &[Header] = &[header(printed::CONTENT, Names::Nothing)];

const fn header(label: &'static str, names: Names) -> Header {
    Header { label, names }
}

// ---- section 三 -----------------------------------------------------------

const APPLICANT_COLS: &[Column] = &[
    col("natural_person", "自然人", Count),
    col("commercial", "商业企业", Count),
    col("research", "科研机构", Count),
    col("social_welfare", "社会公益组织", Count),
    col("legal_service", "法律服务机构", Count),
    col("other_org", "其他", Count),
    col("total", "总计", Count),
];

/// Section 三's applicant columns by key: the parts rule A2 sums, then their
/// total.
pub const APPLICANTS: &[&str] = &[
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
];
/// The applicant columns rule A2 sums (all but `total`).
pub const APPLICANT_PARTS: &[&str] = APPLICANTS.split_at(APPLICANTS.len() - 1).0;

const REQUEST_HEADERS: &[Header] = &[
    header(printed::APPLICANTS, Names::Span(APPLICANTS)),
    header(
        printed::ORGANISATIONS.label,
        Names::Span(printed::ORGANISATIONS.keys),
    ),
    header("合计", Names::Column("total")),
    header(printed::REQUEST_NOTE, Names::Nothing),
];

/// Rows shared by both templates up to `（五）不予处理`.
macro_rules! request_rows {
    ($($tail:expr),* $(,)?) => {
        &[
            data("new_received", "本年新收政府信息公开申请数量", &[]),
            data("carried_over", "上年结转政府信息公开申请数量", &[]),
            group("results", "本年度办理结果"),
            data("granted", "予以公开", &[]),
            data("partially_granted", "部分公开", &[]),
            group("withheld", "不予公开"),
            data("withheld_state_secret", "属于国家秘密", &[]),
            data("withheld_prohibited_by_law", "其他法律行政法规禁止公开", &[]),
            data("withheld_three_safeties", "危及“三安全一稳定”", &[]),
            data("withheld_third_party", "保护第三方合法权益", &[]),
            data("withheld_internal_affairs", "属于三类内部事务信息", &[]),
            data("withheld_process_info", "属于四类过程性信息", &[]),
            data("withheld_enforcement_file", "属于行政执法案卷", &[]),
            data("withheld_query", "属于行政查询事项", &[]),
            group("unavailable", "无法提供"),
            data("unavailable_not_held", "本机关不掌握相关政府信息", &[]),
            data("unavailable_needs_creation", "没有现成信息需要另行制作", &[]),
            data("unavailable_unclear", "补正后申请内容仍不明确", &[]),
            group("not_processed", "不予处理"),
            data("not_processed_petition", "信访举报投诉类申请", &["信访投诉举报类申请"]),
            data("not_processed_duplicate", "重复申请", &[]),
            data("not_processed_publication", "要求提供公开出版物", &[]),
            data("not_processed_excessive", "无正当理由大量反复申请", &[]),
            data("not_processed_confirmation", "要求行政机关确认或重新出具已获取信息", &[]),
            $($tail,)*
            enumerated("total_handled", "总计", &["合计"]),
            data("carried_forward", "结转下年度继续办理", &[]),
        ]
    };
}

/// The result rows that A3 sums: those both templates share up to
/// `（五）不予处理`, then each template's `（六）其他处理` rows.
macro_rules! result_rows {
    ($($tail:expr),* $(,)?) => {
        &[
            "granted",
            "partially_granted",
            "withheld_state_secret",
            "withheld_prohibited_by_law",
            "withheld_three_safeties",
            "withheld_third_party",
            "withheld_internal_affairs",
            "withheld_process_info",
            "withheld_enforcement_file",
            "withheld_query",
            "unavailable_not_held",
            "unavailable_needs_creation",
            "unavailable_unclear",
            "not_processed_petition",
            "not_processed_duplicate",
            "not_processed_publication",
            "not_processed_excessive",
            "not_processed_confirmation",
            $($tail,)*
        ]
    };
}

const A1: Rule = Rule::ColumnBalance {
    id: "A1",
    lhs: &["new_received", "carried_over"],
    rhs: &["total_handled", "carried_forward"],
};
const A2: Rule = Rule::RowTotal {
    id: "A2",
    total: "total",
    parts: APPLICANT_PARTS,
};

const REQUESTS_2019: TableSpec = TableSpec {
    key: TableKey::Requests,
    layout: Layout::Labelled,
    nested: false,
    blocks: &[Block {
        key: "",
        caption: None,
        columns: APPLICANT_COLS,
        rows: request_rows![data("other_handling", "其他处理", &[])],
    }],
    headers: REQUEST_HEADERS,
    rules: &[
        A1,
        A2,
        Rule::ColumnBalance {
            id: "A3",
            lhs: &["total_handled"],
            rhs: result_rows!["other_handling"],
        },
    ],
};

const REQUESTS_2021: TableSpec = TableSpec {
    key: TableKey::Requests,
    layout: Layout::Labelled,
    nested: false,
    blocks: &[Block {
        key: "",
        caption: None,
        columns: APPLICANT_COLS,
        rows: request_rows![
            group("other_handling", "其他处理"),
            data(
                "other_no_correction",
                "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                &[]
            ),
            data(
                "other_fee_unpaid",
                "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                &[]
            ),
            enumerated("other_misc", "其他", &[]),
        ],
    }],
    headers: REQUEST_HEADERS,
    rules: &[
        A1,
        A2,
        Rule::ColumnBalance {
            id: "A3",
            lhs: &["total_handled"],
            rhs: result_rows!["other_no_correction", "other_fee_unpaid", "other_misc"],
        },
    ],
};

// ---- section 四 -----------------------------------------------------------

/// Same in both templates (spec §3.3).
const REVIEWS: TableSpec = TableSpec {
    key: TableKey::Reviews,
    layout: Layout::Wide,
    nested: false,
    blocks: &[Block {
        key: "",
        caption: None,
        columns: &[
            col("upheld", "结果维持", Count),
            col("corrected", "结果纠正", Count),
            col("other", "其他结果", Count),
            col("pending", "尚未审结", Count),
            col("total", "总计", Count),
        ],
        rows: &[
            data("review", "行政复议", &[]),
            data("lawsuit_direct", "未经复议直接起诉", &[]),
            data("lawsuit_after_review", "复议后起诉", &[]),
        ],
    }],
    // The groups (行政复议, 未经复议直接起诉, 复议后起诉) are the rows above.
    headers: &[
        header(printed::LAWSUITS.label, Names::Span(printed::LAWSUITS.keys)),
        header("结果维护", Names::Column("upheld")),
        header("合计", Names::Column("total")),
    ],
    rules: &[Rule::RowTotal {
        id: "A4",
        total: "total",
        parts: &["upheld", "corrected", "other", "pending"],
    }],
};

const fn fact(kind: FactKind, cells: &'static [CellKey]) -> FactCells {
    FactCells { kind, cells }
}

use TableKey::{Proactive, Requests, Reviews};

/// Narrative figures on the tables both templates share.
macro_rules! request_and_review_facts {
    ($($other:expr),* $(,)?) => {
        &[
            fact(FactKind::RequestsReceived, &[(Requests, "new_received", "total")]),
            fact(FactKind::RequestsCarriedOver, &[(Requests, "carried_over", "total")]),
            fact(FactKind::RequestsHandled, &[(Requests, "total_handled", "total")]),
            fact(FactKind::RequestsCarriedForward, &[(Requests, "carried_forward", "total")]),
            fact(FactKind::Reviews, &[(Reviews, "review", "total")]),
            fact(
                FactKind::Lawsuits,
                &[(Reviews, "lawsuit_direct", "total"), (Reviews, "lawsuit_after_review", "total")],
            ),
            $($other,)*
        ]
    };
}

pub static T2019: Template = Template {
    id: TemplateId::Y2019,
    tables: [&PROACTIVE_2019, &REQUESTS_2019, &REVIEWS],
    markers: &[
        "本年新制作数量",
        "对外公开总数量",
        "上一年项目数量",
        "第二十条第（九）项",
        "采购总金额",
    ],
    facts: request_and_review_facts![fact(
        FactKind::NormativeIssued,
        &[(Proactive, "normative", "new_made")]
    )],
};

pub static T2021: Template = Template {
    id: TemplateId::Y2021,
    tables: [&PROACTIVE_2021, &REQUESTS_2021, &REVIEWS],
    markers: &[
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "逾期不补正",
    ],
    facts: request_and_review_facts![
        fact(
            FactKind::NormativeIssued,
            &[(Proactive, "normative", "issued")]
        ),
        fact(
            FactKind::NormativeInForce,
            &[(Proactive, "normative", "in_force")]
        ),
    ],
};

/// Words of the reports before the 2019 template (spec §3.5): with no
/// label of either template, one of them means a legacy report.
pub const LEGACY_MARKERS: &[&str] = &[
    "依申请公开政府信息情况",
    "收费及减免",
    "政府信息公开情况统计表",
    "依申请公开办理情况",
];

pub fn template(id: TemplateId) -> &'static Template {
    match id {
        TemplateId::Y2019 => &T2019,
        TemplateId::Y2021 => &T2021,
    }
}

impl Template {
    pub fn table(&self, key: TableKey) -> &'static TableSpec {
        self.tables[key.index()]
    }

    /// The cells a kind of narrative figure speaks of here (none: no cell).
    pub fn fact_cells(&self, kind: FactKind) -> &'static [CellKey] {
        self.facts
            .iter()
            .find(|f| f.kind == kind)
            .map_or(&[], |f| f.cells)
    }
}

impl Block {
    /// A column's index by key.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// A row's index by key.
    pub fn row(&self, key: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.key == key)
    }
}

impl TableSpec {
    /// Where a row is, by key: `(block index, row index)`.
    pub fn position(&self, key: &str) -> Option<(usize, usize)> {
        self.blocks
            .iter()
            .enumerate()
            .find_map(|(b, blk)| blk.row(key).map(|r| (b, r)))
    }

    /// Find a row by key: `(block index, row)`.
    pub fn row(&self, key: &str) -> Option<(usize, &'static Row)> {
        self.blocks
            .iter()
            .enumerate()
            .find_map(|(b, blk)| blk.rows.iter().find(|r| r.key == key).map(|r| (b, r)))
    }

    /// Number of value slots of the wide layout (rows × columns).
    pub fn wide_width(&self) -> usize {
        self.blocks
            .iter()
            .map(|b| b.rows.len() * b.columns.len())
            .sum()
    }
}

/// What the printed forms add to the rows and columns above: enumerators,
/// nesting and the headings over several columns. The parser matches labels
/// without them; the review pages draw each table as it is printed.
pub mod printed {
    /// A heading the form prints over several columns (section 三) or over
    /// several groups of its wide layout (section 四).
    #[derive(Debug)]
    pub struct Span {
        pub label: &'static str,
        pub keys: &'static [&'static str],
    }

    /// Section 二's header over the row labels of every block.
    pub const CONTENT: &str = "信息内容";
    /// Section 三's heading over all applicant columns.
    pub const APPLICANTS: &str = "申请人情况";
    pub const ORGANISATIONS: Span = Span {
        label: "法人或其他组织",
        keys: &[
            "commercial",
            "research",
            "social_welfare",
            "legal_service",
            "other_org",
        ],
    };
    /// Section 三's corner cell, above its row labels.
    pub const REQUEST_NOTE: &str =
        "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和";
    /// Section 四: 行政诉讼 over its two groups.
    pub const LAWSUITS: Span = Span {
        label: "行政诉讼",
        keys: &["lawsuit_direct", "lawsuit_after_review"],
    };

    /// Section 三's enumerators, by row key, for both templates. The shape
    /// gives the nesting ([`depth`]): a `（一）` row belongs to the `一、`
    /// group above it, a `1.` row to the `（一）` group above it.
    pub const REQUEST_ENUMERATORS: &[(&str, &str)] = &[
        ("new_received", "一、"),
        ("carried_over", "二、"),
        ("results", "三、"),
        ("granted", "（一）"),
        ("partially_granted", "（二）"),
        ("withheld", "（三）"),
        ("withheld_state_secret", "1."),
        ("withheld_prohibited_by_law", "2."),
        ("withheld_three_safeties", "3."),
        ("withheld_third_party", "4."),
        ("withheld_internal_affairs", "5."),
        ("withheld_process_info", "6."),
        ("withheld_enforcement_file", "7."),
        ("withheld_query", "8."),
        ("unavailable", "（四）"),
        ("unavailable_not_held", "1."),
        ("unavailable_needs_creation", "2."),
        ("unavailable_unclear", "3."),
        ("not_processed", "（五）"),
        ("not_processed_petition", "1."),
        ("not_processed_duplicate", "2."),
        ("not_processed_publication", "3."),
        ("not_processed_excessive", "4."),
        ("not_processed_confirmation", "5."),
        ("other_handling", "（六）"),
        ("other_no_correction", "1."),
        ("other_fee_unpaid", "2."),
        ("other_misc", "3."),
        ("total_handled", "（七）"),
        ("carried_forward", "四、"),
    ];

    /// The enumerator a row is printed with, if any.
    pub fn enumerator(key: &str) -> Option<&'static str> {
        REQUEST_ENUMERATORS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, e)| *e)
    }

    /// Nesting level of an enumerator: 0 for `一、`, 1 for `（一）`, 2 for `1.`.
    pub fn depth(enumerator: &str) -> usize {
        if enumerator.starts_with('（') {
            1
        } else if enumerator.starts_with(|c: char| c.is_ascii_digit()) {
            2
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_counts_match_spec_checklist() {
        // spec §8: 22/10 values in section 二, 161/175 in 三, 15 in 四.
        let count = |t: &TableSpec| -> usize {
            t.blocks
                .iter()
                .map(|b| {
                    b.rows.iter().filter(|r| r.kind == RowKind::Data).count() * b.columns.len()
                })
                .sum()
        };
        assert_eq!(count(T2019.tables[0]), 22);
        assert_eq!(count(T2021.tables[0]), 10);
        assert_eq!(count(T2019.tables[1]), 161);
        assert_eq!(count(T2021.tables[1]), 175);
        assert_eq!(count(T2019.tables[2]), 15);
    }

    #[test]
    fn tables_are_listed_in_key_order() {
        for t in [&T2019, &T2021] {
            for (i, spec) in t.tables.iter().enumerate() {
                assert_eq!(spec.key.index(), i);
                assert_eq!(TableKey::ALL[i], spec.key);
            }
        }
    }

    #[test]
    fn a3_lists_only_rows_of_its_template() {
        for t in [&T2019, &T2021] {
            for rule in t.tables[1].rules {
                if let Rule::ColumnBalance { lhs, rhs, .. } = rule {
                    for k in lhs.iter().chain(rhs.iter()) {
                        let (_, row) = t.tables[1].row(k).expect("row of rule exists");
                        assert_eq!(row.kind, RowKind::Data, "{k}");
                    }
                }
            }
        }
    }
    #[test]
    fn printed_forms_name_rows_and_columns_of_the_templates() {
        for t in [&T2019, &T2021] {
            for r in t.tables[1].blocks[0].rows {
                assert!(printed::enumerator(r.key).is_some(), "{}", r.key);
            }
        }
        let requests = &T2021.tables[1].blocks[0];
        for k in printed::ORGANISATIONS.keys {
            assert!(requests.columns.iter().any(|c| c.key == *k), "{k}");
        }
        for k in printed::LAWSUITS.keys {
            assert!(T2021.tables[2].row(k).is_some(), "{k}");
        }
        for (k, _) in printed::REQUEST_ENUMERATORS {
            assert!(
                T2019.tables[1].row(k).is_some() || T2021.tables[1].row(k).is_some(),
                "{k}"
            );
        }
    }
}
