//! The project's `corpus/`: the generated cases (`gongkai gen --corpus`)
//! and the hand-written ones (`hand-*`, `not-a-report`). Undamaged reports
//! come out exactly and without error flags; damaged ones differ only where
//! a flag says so, and the damaged row is named; every case is read on the
//! template its `expected.json` names, with the sections and flags it
//! promises.

use std::path::{Path, PathBuf};

use gongkai::synth::verify::{places, verify};
use serde_json::Value;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("expected.json").exists())
        .collect();
    v.sort();
    v
}

#[test]
fn project_corpus_exact_or_flagged() {
    let all = cases();
    assert!(all.len() >= 30, "corpus/ has {} cases", all.len());
    let (mut cells, mut right, mut problems) = (0, 0, Vec::new());
    for case in &all {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let expected: Value =
            serde_json::from_slice(&std::fs::read(case.join("expected.json")).expect("read"))
                .expect("expected.json is JSON");
        let input = ["input.html", "input.txt"]
            .iter()
            .map(|n| case.join(n))
            .find(|p| p.exists())
            .expect("input");
        let report = gongkai::parse_file(&input).expect("parses");
        problems.extend(
            promised(&expected, &report)
                .into_iter()
                .map(|s| format!("{name}: {s}")),
        );
        let v = verify(&expected, &report, &places(&expected));
        cells += v.cells;
        right += v.right;
        problems.extend(
            v.silent
                .iter()
                .chain(&v.unnamed)
                .chain(&v.unmet)
                .map(|s| format!("{name}: {s}")),
        );
        let damaged = expected["damage"].as_array().is_some_and(|d| !d.is_empty());
        // Digits run together are split only where the rules and the
        // narrative leave one split (`split.rs`); the other rows stay null
        // and flagged, which `verify` has checked, so such a case need not
        // be exact.
        let run_together = name.contains("runtogether");
        match expected["malformed"].as_bool() {
            Some(false)
                if !damaged && !run_together && (v.right != v.cells || v.error_flags > 0) =>
            {
                problems.push(format!(
                    "{name}: undamaged but {}/{} right, {} error flags",
                    v.right, v.cells, v.error_flags
                ))
            }
            Some(false) if damaged && !run_together && v.error_flags > 0 => problems.push(format!(
                "{name}: harmless damage gave {} error flags",
                v.error_flags
            )),
            Some(true) if v.error_flags == 0 => {
                problems.push(format!("{name}: damaged but no error flag"))
            }
            _ => {}
        }
    }
    eprintln!(
        "project corpus: {} cases, {cells} cells, {right} right",
        all.len()
    );
    assert!(problems.is_empty(), "{problems:#?}");
}

/// What a case promises beyond its tables: the template it is read on,
/// the keys of its sections, and flags (code, table, row) it must carry.
fn promised(expected: &Value, report: &gongkai::Report) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = expected["template"].as_str()
        && t != report.meta.template
    {
        out.push(format!(
            "template {} where {t} is expected",
            report.meta.template
        ));
    }
    if let Some(keys) = expected["sections"].as_array() {
        let got: Vec<&str> = report.sections.iter().map(|s| s.key.as_str()).collect();
        let want: Vec<&str> = keys.iter().filter_map(Value::as_str).collect();
        if got != want {
            out.push(format!("sections {got:?} where {want:?} are expected"));
        }
    }
    for f in expected["flags"].as_array().into_iter().flatten() {
        let found = report.flags.iter().any(|g| {
            f["code"].as_str() == Some(g.code.as_str())
                && f["table"].as_str() == g.table.map(|t| t.as_str())
                && f["row"].as_str() == g.row.as_deref()
        });
        if !found {
            out.push(format!("no flag {f}"));
        }
    }
    out
}
