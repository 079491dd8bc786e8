//! The official tables as data (spec §2, §3, §5). Both input paths and the
//! checks read these descriptions; a provincial variant or a new label
//! spelling is an edit here, not a new code path.
//!
//! Labels are written as published; they are normalised (see
//! [`crate::normalize`]) when the lexicon is built.

mod keys;

pub(crate) use keys::keys;
pub use keys::{BlockKey, ColKey, RowKey, TableKey};

use crate::facts::FactKind;
use ColKey as C;
use RowKey as R;

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
    pub key: ColKey,
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
    pub key: RowKey,
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
    /// Output key (`item_1`…); none for tables without blocks.
    pub key: Option<BlockKey>,
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
        total: ColKey,
        parts: &'static [ColKey],
    },
    /// In every column: sum of `lhs` rows = sum of `rhs` rows (A1, A3).
    ColumnBalance {
        id: &'static str,
        lhs: &'static [RowKey],
        rhs: &'static [RowKey],
    },
}

impl Rule {
    pub fn id(&self) -> &'static str {
        match self {
            Rule::RowTotal { id, .. } | Rule::ColumnBalance { id, .. } => id,
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
    Column(ColKey),
    /// A row of the wide table, whose row names head its groups of columns
    /// (`行政复议`); taken from the table's rows, never listed in `headers`.
    Group(RowKey),
    /// Several columns under one heading (`法人或其他组织`).
    Columns(&'static [ColKey]),
    /// Several groups of the wide table under one heading (`行政诉讼`).
    Groups(&'static [RowKey]),
    /// A heading over the label column or the whole table (`信息内容`,
    /// `申请人情况`'s note cell).
    Nothing,
}

/// The unit money columns are kept in (`本年收费金额（单位：万元）`; the
/// 2019 `采购总金额` prints no unit but is read in 万元 too).
pub const MONEY_UNIT: &str = "万元";

/// A table cell by its keys: `(table, row, column)`.
pub type CellKey = (TableKey, RowKey, ColKey);

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

const fn col(key: ColKey, label: &'static str, kind: ValueKind) -> Column {
    Column { key, label, kind }
}
const fn data(key: RowKey, label: &'static str, variants: &'static [&'static str]) -> Row {
    Row {
        key,
        label,
        variants,
        kind: RowKind::Data,
        needs_enum: false,
    }
}
const fn group(key: RowKey, label: &'static str) -> Row {
    Row {
        key,
        label,
        variants: &[],
        kind: RowKind::Group,
        needs_enum: false,
    }
}
const fn enumerated(key: RowKey, label: &'static str, variants: &'static [&'static str]) -> Row {
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
    col(C::NewMade, "本年新制作数量", Count),
    col(C::NewPublished, "本年新公开数量", Count),
    col(C::TotalPublished, "对外公开总数量", Count),
];
const P21_ITEM1_COLS: &[Column] = &[
    col(C::Issued, "本年制发件数", Count),
    col(C::Repealed, "本年废止件数", Count),
    col(C::InForce, "现行有效件数", Count),
];
const P19_CHANGE_COLS: &[Column] = &[
    col(C::Previous, "上一年项目数量", Count),
    col(C::Change, "本年增/减", Signed),
    col(C::Decisions, "处理决定数量", Count),
];
const P21_DECISION_COLS: &[Column] = &[col(C::Decisions, "本年处理决定数量", Count)];

const PROACTIVE_2019: TableSpec = TableSpec {
    key: TableKey::Proactive,
    layout: Layout::Labelled,
    nested: true,
    blocks: &[
        Block {
            key: Some(BlockKey::Item1),
            caption: Some("第二十条第（一）项"),
            columns: P19_ITEM1_COLS,
            rows: &[
                data(R::Rules, "规章", &[]),
                data(R::Normative, "规范性文件", &["行政规范性文件"]),
            ],
        },
        Block {
            key: Some(BlockKey::Item5),
            caption: Some("第二十条第（五）项"),
            columns: P19_CHANGE_COLS,
            rows: &[
                data(R::Licensing, "行政许可", &[]),
                data(R::OtherServices, "其他对外管理服务事项", &[]),
            ],
        },
        Block {
            key: Some(BlockKey::Item6),
            caption: Some("第二十条第（六）项"),
            columns: P19_CHANGE_COLS,
            rows: &[
                data(R::Penalty, "行政处罚", &[]),
                data(R::Enforcement, "行政强制", &[]),
            ],
        },
        Block {
            key: Some(BlockKey::Item8),
            caption: Some("第二十条第（八）项"),
            columns: &[
                col(C::Previous, "上一年项目数量", Count),
                col(C::Change, "本年增/减", Signed),
            ],
            rows: &[data(R::Fees, "行政事业性收费", &[])],
        },
        Block {
            key: Some(BlockKey::Item9),
            caption: Some("第二十条第（九）项"),
            columns: &[
                col(C::Projects, "采购项目数量", Count),
                col(C::Amount, "采购总金额", ValueKind::Amount { unit: None }),
            ],
            rows: &[data(R::Procurement, "政府集中采购", &[])],
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
            key: Some(BlockKey::Item1),
            caption: Some("第二十条第（一）项"),
            columns: P21_ITEM1_COLS,
            rows: &[
                data(R::Rules, "规章", &[]),
                data(R::Normative, "行政规范性文件", &["规范性文件"]),
            ],
        },
        Block {
            key: Some(BlockKey::Item5),
            caption: Some("第二十条第（五）项"),
            columns: P21_DECISION_COLS,
            rows: &[data(R::Licensing, "行政许可", &[])],
        },
        Block {
            key: Some(BlockKey::Item6),
            caption: Some("第二十条第（六）项"),
            columns: P21_DECISION_COLS,
            rows: &[
                data(R::Penalty, "行政处罚", &[]),
                data(R::Enforcement, "行政强制", &[]),
            ],
        },
        Block {
            key: Some(BlockKey::Item8),
            caption: Some("第二十条第（八）项"),
            columns: &[col(
                C::Amount,
                "本年收费金额（单位：万元）",
                ValueKind::Amount {
                    unit: Some("万元")
                },
            )],
            rows: &[data(R::Fees, "行政事业性收费", &[])],
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
    col(C::NaturalPerson, "自然人", Count),
    col(C::Commercial, "商业企业", Count),
    col(C::Research, "科研机构", Count),
    col(C::SocialWelfare, "社会公益组织", Count),
    col(C::LegalService, "法律服务机构", Count),
    col(C::OtherOrg, "其他", Count),
    col(C::Total, "总计", Count),
];

/// Section 三's applicant columns by key: the parts rule A2 sums, then their
/// total.
pub const APPLICANTS: &[ColKey] = &[
    C::NaturalPerson,
    C::Commercial,
    C::Research,
    C::SocialWelfare,
    C::LegalService,
    C::OtherOrg,
    C::Total,
];
/// The applicant columns rule A2 sums (all but `total`).
pub const APPLICANT_PARTS: &[ColKey] = APPLICANTS.split_at(APPLICANTS.len() - 1).0;

const REQUEST_HEADERS: &[Header] = &[
    header(printed::APPLICANTS, Names::Columns(APPLICANTS)),
    header(
        printed::ORGANISATIONS.label,
        Names::Columns(printed::ORGANISATIONS.keys),
    ),
    header("合计", Names::Column(C::Total)),
    header(printed::REQUEST_NOTE, Names::Nothing),
];

/// Rows shared by both templates up to `（五）不予处理`.
macro_rules! request_rows {
    ($($tail:expr),* $(,)?) => {
        &[
            data(R::NewReceived, "本年新收政府信息公开申请数量", &[]),
            data(R::CarriedOver, "上年结转政府信息公开申请数量", &[]),
            group(R::Results, "本年度办理结果"),
            data(R::Granted, "予以公开", &[]),
            data(R::PartiallyGranted, "部分公开", &[]),
            group(R::Withheld, "不予公开"),
            data(R::WithheldStateSecret, "属于国家秘密", &[]),
            data(R::WithheldProhibitedByLaw, "其他法律行政法规禁止公开", &[]),
            data(R::WithheldThreeSafeties, "危及“三安全一稳定”", &[]),
            data(R::WithheldThirdParty, "保护第三方合法权益", &[]),
            data(R::WithheldInternalAffairs, "属于三类内部事务信息", &[]),
            data(R::WithheldProcessInfo, "属于四类过程性信息", &[]),
            data(R::WithheldEnforcementFile, "属于行政执法案卷", &[]),
            data(R::WithheldQuery, "属于行政查询事项", &[]),
            group(R::Unavailable, "无法提供"),
            data(R::UnavailableNotHeld, "本机关不掌握相关政府信息", &[]),
            data(R::UnavailableNeedsCreation, "没有现成信息需要另行制作", &[]),
            data(R::UnavailableUnclear, "补正后申请内容仍不明确", &[]),
            group(R::NotProcessed, "不予处理"),
            data(R::NotProcessedPetition, "信访举报投诉类申请", &["信访投诉举报类申请"]),
            data(R::NotProcessedDuplicate, "重复申请", &[]),
            data(R::NotProcessedPublication, "要求提供公开出版物", &[]),
            data(R::NotProcessedExcessive, "无正当理由大量反复申请", &[]),
            data(R::NotProcessedConfirmation, "要求行政机关确认或重新出具已获取信息", &[]),
            $($tail,)*
            enumerated(R::TotalHandled, "总计", &["合计"]),
            data(R::CarriedForward, "结转下年度继续办理", &[]),
        ]
    };
}

/// The result rows that A3 sums: those both templates share up to
/// `（五）不予处理`, then each template's `（六）其他处理` rows.
macro_rules! result_rows {
    ($($tail:expr),* $(,)?) => {
        &[
            R::Granted,
            R::PartiallyGranted,
            R::WithheldStateSecret,
            R::WithheldProhibitedByLaw,
            R::WithheldThreeSafeties,
            R::WithheldThirdParty,
            R::WithheldInternalAffairs,
            R::WithheldProcessInfo,
            R::WithheldEnforcementFile,
            R::WithheldQuery,
            R::UnavailableNotHeld,
            R::UnavailableNeedsCreation,
            R::UnavailableUnclear,
            R::NotProcessedPetition,
            R::NotProcessedDuplicate,
            R::NotProcessedPublication,
            R::NotProcessedExcessive,
            R::NotProcessedConfirmation,
            $($tail,)*
        ]
    };
}

const A1: Rule = Rule::ColumnBalance {
    id: "A1",
    lhs: &[R::NewReceived, R::CarriedOver],
    rhs: &[R::TotalHandled, R::CarriedForward],
};
const A2: Rule = Rule::RowTotal {
    id: "A2",
    total: C::Total,
    parts: APPLICANT_PARTS,
};

const REQUESTS_2019: TableSpec = TableSpec {
    key: TableKey::Requests,
    layout: Layout::Labelled,
    nested: false,
    blocks: &[Block {
        key: None,
        caption: None,
        columns: APPLICANT_COLS,
        rows: request_rows![data(R::OtherHandling, "其他处理", &[])],
    }],
    headers: REQUEST_HEADERS,
    rules: &[
        A1,
        A2,
        Rule::ColumnBalance {
            id: "A3",
            lhs: &[R::TotalHandled],
            rhs: result_rows![R::OtherHandling],
        },
    ],
};

const REQUESTS_2021: TableSpec = TableSpec {
    key: TableKey::Requests,
    layout: Layout::Labelled,
    nested: false,
    blocks: &[Block {
        key: None,
        caption: None,
        columns: APPLICANT_COLS,
        rows: request_rows![
            group(R::OtherHandling, "其他处理"),
            data(
                R::OtherNoCorrection,
                "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                &[]
            ),
            data(
                R::OtherFeeUnpaid,
                "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                &[]
            ),
            enumerated(R::OtherMisc, "其他", &[]),
        ],
    }],
    headers: REQUEST_HEADERS,
    rules: &[
        A1,
        A2,
        Rule::ColumnBalance {
            id: "A3",
            lhs: &[R::TotalHandled],
            rhs: result_rows![R::OtherNoCorrection, R::OtherFeeUnpaid, R::OtherMisc],
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
        key: None,
        caption: None,
        columns: &[
            col(C::Upheld, "结果维持", Count),
            col(C::Corrected, "结果纠正", Count),
            col(C::Other, "其他结果", Count),
            col(C::Pending, "尚未审结", Count),
            col(C::Total, "总计", Count),
        ],
        rows: &[
            data(R::Review, "行政复议", &[]),
            data(R::LawsuitDirect, "未经复议直接起诉", &[]),
            data(R::LawsuitAfterReview, "复议后起诉", &[]),
        ],
    }],
    // The groups (行政复议, 未经复议直接起诉, 复议后起诉) are the rows above.
    headers: &[
        header(
            printed::LAWSUITS.label,
            Names::Groups(printed::LAWSUITS.keys),
        ),
        header("结果维护", Names::Column(C::Upheld)),
        header("合计", Names::Column(C::Total)),
    ],
    rules: &[Rule::RowTotal {
        id: "A4",
        total: C::Total,
        parts: &[C::Upheld, C::Corrected, C::Other, C::Pending],
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
            fact(FactKind::RequestsReceived, &[(Requests, R::NewReceived, C::Total)]),
            fact(FactKind::RequestsCarriedOver, &[(Requests, R::CarriedOver, C::Total)]),
            fact(FactKind::RequestsHandled, &[(Requests, R::TotalHandled, C::Total)]),
            fact(FactKind::RequestsCarriedForward, &[(Requests, R::CarriedForward, C::Total)]),
            fact(FactKind::Reviews, &[(Reviews, R::Review, C::Total)]),
            fact(
                FactKind::Lawsuits,
                &[(Reviews, R::LawsuitDirect, C::Total), (Reviews, R::LawsuitAfterReview, C::Total)],
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
        &[(Proactive, R::Normative, C::NewMade)]
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
            &[(Proactive, R::Normative, C::Issued)]
        ),
        fact(
            FactKind::NormativeInForce,
            &[(Proactive, R::Normative, C::InForce)]
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
    /// The block's part of a row path and of an `extra_rows` key: its key,
    /// empty in a table without blocks.
    pub fn path(&self) -> &'static str {
        self.key.map_or("", BlockKey::as_str)
    }

    /// A column's index by key.
    pub fn column(&self, key: ColKey) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// A row's index by key.
    pub fn row(&self, key: RowKey) -> Option<usize> {
        self.rows.iter().position(|r| r.key == key)
    }
}

impl TableSpec {
    /// Where a row is, by key: `(block index, row index)`.
    pub fn position(&self, key: RowKey) -> Option<(usize, usize)> {
        self.blocks
            .iter()
            .enumerate()
            .find_map(|(b, blk)| blk.row(key).map(|r| (b, r)))
    }

    /// Find a row by key: `(block index, row)`.
    pub fn row(&self, key: RowKey) -> Option<(usize, &'static Row)> {
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
    use super::{C, ColKey, R, RowKey};

    /// A heading the form prints over several columns (section 三) or over
    /// several groups of its wide layout (section 四).
    #[derive(Debug)]
    pub struct Span<K: 'static> {
        pub label: &'static str,
        pub keys: &'static [K],
    }

    /// Section 二's header over the row labels of every block.
    pub const CONTENT: &str = "信息内容";
    /// Section 三's heading over all applicant columns.
    pub const APPLICANTS: &str = "申请人情况";
    pub const ORGANISATIONS: Span<ColKey> = Span {
        label: "法人或其他组织",
        keys: &[
            C::Commercial,
            C::Research,
            C::SocialWelfare,
            C::LegalService,
            C::OtherOrg,
        ],
    };
    /// Section 三's corner cell, above its row labels.
    pub const REQUEST_NOTE: &str =
        "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和";
    /// Section 四: 行政诉讼 over its two groups.
    pub const LAWSUITS: Span<RowKey> = Span {
        label: "行政诉讼",
        keys: &[R::LawsuitDirect, R::LawsuitAfterReview],
    };

    /// Section 三's enumerators, by row key, for both templates. The shape
    /// gives the nesting ([`depth`]): a `（一）` row belongs to the `一、`
    /// group above it, a `1.` row to the `（一）` group above it.
    pub const REQUEST_ENUMERATORS: &[(RowKey, &str)] = &[
        (R::NewReceived, "一、"),
        (R::CarriedOver, "二、"),
        (R::Results, "三、"),
        (R::Granted, "（一）"),
        (R::PartiallyGranted, "（二）"),
        (R::Withheld, "（三）"),
        (R::WithheldStateSecret, "1."),
        (R::WithheldProhibitedByLaw, "2."),
        (R::WithheldThreeSafeties, "3."),
        (R::WithheldThirdParty, "4."),
        (R::WithheldInternalAffairs, "5."),
        (R::WithheldProcessInfo, "6."),
        (R::WithheldEnforcementFile, "7."),
        (R::WithheldQuery, "8."),
        (R::Unavailable, "（四）"),
        (R::UnavailableNotHeld, "1."),
        (R::UnavailableNeedsCreation, "2."),
        (R::UnavailableUnclear, "3."),
        (R::NotProcessed, "（五）"),
        (R::NotProcessedPetition, "1."),
        (R::NotProcessedDuplicate, "2."),
        (R::NotProcessedPublication, "3."),
        (R::NotProcessedExcessive, "4."),
        (R::NotProcessedConfirmation, "5."),
        (R::OtherHandling, "（六）"),
        (R::OtherNoCorrection, "1."),
        (R::OtherFeeUnpaid, "2."),
        (R::OtherMisc, "3."),
        (R::TotalHandled, "（七）"),
        (R::CarriedForward, "四、"),
    ];

    /// The enumerator a row is printed with, if any.
    pub fn enumerator(key: RowKey) -> Option<&'static str> {
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
                        let (_, row) = t.tables[1].row(*k).expect("row of rule exists");
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
            assert!(T2021.tables[2].row(*k).is_some(), "{k}");
        }
        for (k, _) in printed::REQUEST_ENUMERATORS {
            assert!(
                T2019.tables[1].row(*k).is_some() || T2021.tables[1].row(*k).is_some(),
                "{k}"
            );
        }
    }

    /// The key enums are the templates' vocabulary: every key names a block,
    /// row or column of some template, and none names two in one table.
    #[test]
    fn every_key_is_used_and_unique_per_table() {
        let specs = || [&T2019, &T2021].into_iter().flat_map(|t| t.tables);
        for k in BlockKey::ALL {
            assert!(
                specs().flat_map(|s| s.blocks).any(|b| b.key == Some(k)),
                "{k}"
            );
        }
        for k in RowKey::ALL {
            assert!(specs().any(|s| s.row(k).is_some()), "{k}");
            assert_eq!(RowKey::from_key(k.as_str()), Some(k));
        }
        for k in ColKey::ALL {
            let blocks = || specs().flat_map(|s| s.blocks);
            assert!(blocks().any(|b| b.column(k).is_some()), "{k}");
            assert_eq!(ColKey::from_key(k.as_str()), Some(k));
        }
        for s in specs() {
            let rows: Vec<RowKey> = s
                .blocks
                .iter()
                .flat_map(|b| b.rows)
                .map(|r| r.key)
                .collect();
            let mut unique = rows.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), rows.len(), "{}", s.key);
            for b in s.blocks {
                let mut cols: Vec<ColKey> = b.columns.iter().map(|c| c.key).collect();
                cols.sort();
                cols.dedup();
                assert_eq!(cols.len(), b.columns.len(), "{}", s.key);
            }
        }
    }
}
