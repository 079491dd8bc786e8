//! The seed report: exact values where its truth has them, flags where the
//! truth says the cells cannot be placed, and the same result whatever the
//! encoding.

mod common;

use std::path::{Path, PathBuf};

use gongkai::{Code, Severity, parse_named};
use serde_json::Value;

fn seed_dir() -> Option<PathBuf> {
    Some(common::shared_corpus()?.join("000-seed"))
}

fn load(dir: &Path) -> (Vec<u8>, Value) {
    let bytes = std::fs::read(dir.join("input.txt")).unwrap_or_default();
    let truth = serde_json::from_slice(&std::fs::read(dir.join("truth.json")).unwrap_or_default())
        .unwrap_or(Value::Null);
    (bytes, truth)
}

#[test]
fn seed_values_and_flags() {
    let Some(dir) = seed_dir() else {
        return;
    };
    let (bytes, truth) = load(&dir);
    let report = parse_named(&bytes, Path::new("seed.txt")).expect("seed parses");
    let json = serde_json::to_value(&report).expect("serialises");
    // Every table the truth gives, exactly.
    for (table, want) in truth["tables"].as_object().expect("truth tables") {
        for (key, want_row) in want.as_object().expect("rows") {
            assert_eq!(&json["tables"][table][key], want_row, "{table}.{key}");
        }
    }
    assert_eq!(json["meta"]["template"], "2019");
    let has = |code: Code, row: Option<&str>| {
        report
            .flags
            .iter()
            .any(|f| f.code == code && (row.is_none() || f.row.as_deref() == row))
    };
    assert!(
        has(Code::BLOCK_MISSING, Some("item_1")),
        "missing block item_1 is flagged"
    );
    for row in truth["ambiguous"].as_array().expect("ambiguous list") {
        let row = row
            .as_str()
            .and_then(|r| r.strip_prefix("requests."))
            .expect("requests row");
        assert!(
            report.flags.iter().any(|f| f.code == Code::ROW_SHORT
                && f.severity == Severity::Error
                && f.row.as_deref() == Some(row)),
            "short row {row} is flagged"
        );
    }
    assert!(report.malformed());
}

#[test]
fn seed_in_other_encodings_gives_the_same_json() {
    let Some(dir) = seed_dir() else {
        return;
    };
    let (bytes, _) = load(&dir);
    let text = String::from_utf8(bytes.clone()).expect("seed is UTF-8");
    let strip = |bytes: &[u8]| {
        let r = parse_named(bytes, Path::new("seed")).expect("parses");
        let mut v = serde_json::to_value(&r).expect("serialises");
        v.as_object_mut().map(|o| o.remove("source"));
        // The encoding guess is the one flag that may differ.
        if let Some(flags) = v["flags"].as_array_mut() {
            flags.retain(|f| f["code"] != "ENCODING_GUESSED");
        }
        v
    };
    let base = strip(&bytes);
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    assert_eq!(strip(&gb), base, "GB18030");
    let mut utf16 = vec![0xFF, 0xFE];
    text.encode_utf16()
        .for_each(|u| utf16.extend_from_slice(&u.to_le_bytes()));
    assert_eq!(strip(&utf16), base, "UTF-16LE");
    // No BOM and no declaration: told by the pattern of zero bytes.
    let mut be = Vec::new();
    text.encode_utf16()
        .for_each(|u| be.extend_from_slice(&u.to_be_bytes()));
    for (bytes, name) in [(&utf16[2..], "UTF-16LE"), (&be[..], "UTF-16BE")] {
        assert_eq!(strip(bytes), base, "{name} without BOM");
        let r = parse_named(bytes, Path::new("seed")).expect("parses");
        assert_eq!(r.source.encoding, name);
    }
    let gb_report = parse_named(&gb, Path::new("seed")).expect("parses");
    assert_eq!(gb_report.source.encoding, "GB18030");
}
