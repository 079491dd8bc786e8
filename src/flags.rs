//! Findings: what the parser wants an analyst to know. Failed checks are
//! data, not `Err`. Every code is documented in the README.

use serde::Serialize;

use crate::template::{ColKey, TableKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($($name:ident = $sev:ident),* $(,)?) => {
        /// Stable flag codes. Named exactly as they appear in the JSON so a
        /// grep for a code finds its source.
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($name),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => stringify!($name)),* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$name => Severity::$sev),* }
            }
        }
    };
}

codes! {
    ENCODING_GUESSED = Info,
    DECODE_ERRORS = Warning,
    HTML_TOO_DEEP = Warning,
    NOT_A_REPORT = Error,
    INPUT_TOO_LARGE = Error,
    TEMPLATE_MIXED = Warning,
    TEMPLATE_UNKNOWN = Warning,
    TEMPLATE_YEAR_MISMATCH = Warning,
    META_CONFLICT = Warning,
    SECTION_MISSING = Warning,
    TABLE_MISSING = Error,
    BLOCK_MISSING = Error,
    ROW_MISSING = Error,
    ROW_SHORT = Error,
    ROW_LONG = Error,
    ROW_MISALIGNED = Error,
    ALIGNMENT_REPAIRED = Info,
    VALUE_SPANS_COLUMNS = Error,
    COLUMNS_REORDERED = Warning,
    HEADER_MISMATCH = Error,
    ROW_BLANK = Warning,
    ROW_DUPLICATE = Error,
    ROW_REPEATED = Warning,
    GROUP_HAS_VALUES = Error,
    VALUES_WITHOUT_LABEL = Warning,
    EXTRA_ROW = Warning,
    LABEL_VARIANT = Warning,
    ROW_NOT_IN_TEMPLATE = Warning,
    CELLS_RUN_TOGETHER = Error,
    SPLIT_RECOVERED = Info,
    SPLIT_AMBIGUOUS = Warning,
    NARRATIVE_MISMATCH = Warning,
    CELL_NOT_NUMERIC = Error,
    CELL_CUT = Error,
    CELL_BLANK = Warning,
    CELL_PLACEHOLDER = Warning,
    VALUE_REWRITTEN = Info,
    UNIT_IN_CELL = Info,
    UNIT_MISSING = Info,
    UNIT_DIFFERS = Warning,
    VALUE_OUT_OF_DOMAIN = Error,
    PAGE_FURNITURE = Warning,
    RULE_BROKEN = Error,
    RULE_HOLDS_WITH_BLANKS = Info,
    RULE_UNCHECKED_BLANKS = Warning,
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Flag {
    pub code: Code,
    pub severity: Severity,
    pub table: Option<TableKey>,
    pub row: Option<String>,
    pub column: Option<&'static str>,
    pub message: String,
    pub evidence: Option<String>,
}

impl Flag {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Flag {
            code,
            severity: code.severity(),
            table: None,
            row: None,
            column: None,
            message: message.into(),
            evidence: None,
        }
    }

    pub fn table(mut self, t: TableKey) -> Self {
        self.table = Some(t);
        self
    }

    pub fn row(mut self, r: impl Into<String>) -> Self {
        self.row = Some(r.into());
        self
    }

    /// The column a flag names, printed by key.
    pub fn column(mut self, c: ColKey) -> Self {
        self.column = Some(c.as_str());
        self
    }

    pub fn evidence(mut self, e: impl Into<String>) -> Self {
        let mut e: String = e.into();
        // Evidence is for a human glance, not a copy of the page: at most
        // 200 characters, cut in place (most evidence is far shorter).
        // 200 bytes or fewer are 200 characters or fewer: nothing to cut.
        if e.len() > 200
            && let Some((cut, _)) = e.char_indices().nth(200)
        {
            e.truncate(cut);
        }
        self.evidence = Some(e);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented_in_the_readme() {
        let readme = include_str!("../README.md");
        for c in Code::ALL {
            let row = format!("| `{}` | {:?} |", c.as_str(), c.severity()).to_lowercase();
            assert!(readme.to_lowercase().contains(&row), "README lacks {row}");
        }
    }

    #[test]
    fn evidence_keeps_at_most_200_characters() {
        let code = Code::ALL[0];
        let cut = |s: String| Flag::new(code, "m").evidence(s).evidence.unwrap();
        assert_eq!(cut("表".repeat(200)), "表".repeat(200));
        assert_eq!(cut("表".repeat(201)), "表".repeat(200));
        assert_eq!(cut(format!("{}x", "7".repeat(199))).chars().count(), 200);
        assert_eq!(cut("a表".repeat(150)), "a表".repeat(100));
        // Just over 200 bytes, each a character: the byte test lets it in.
        assert_eq!(cut("7".repeat(201)), "7".repeat(200));
        assert_eq!(cut(String::new()), "");
    }
}
