//! Accuracy on the real reports of `../shared/corpus/` (path from
//! `GONGKAI_SHARED_CORPUS`). Every truth cell is compared; a wrong or missing
//! cell is tolerated only inside a table that carries a warning or error
//! flag; the malformed verdict must match the truth.

use std::path::{Path, PathBuf};

use serde_json::Value;

#[derive(Default, Debug)]
struct Tally {
    cells: usize,
    right: usize,
    flagged_wrong: usize,
    silent: Vec<String>,
    false_alarms: Vec<String>,
    missed_malformed: Vec<String>,
}

fn cases(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("truth.json").exists())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn input(case: &Path) -> Option<PathBuf> {
    ["input.html", "input.txt"]
        .iter()
        .map(|n| case.join(n))
        .find(|p| p.exists())
}

/// Truth leaves: (table, path, value).
fn leaves(v: &Value, prefix: &str, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(x, &p, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |acc, k| acc.get(k))
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

/// Is `path` (table.block.row.col or table.row.col) under a warning/error flag?
fn covered(flags: &[Value], path: &str) -> bool {
    let parts: Vec<&str> = path.split('.').collect();
    let table = parts.first().copied().unwrap_or_default();
    let row_path = parts
        .get(1..parts.len().saturating_sub(1))
        .map(|p| p.join("."))
        .unwrap_or_default();
    flags.iter().any(|f| {
        let sev = f["severity"].as_str().unwrap_or("");
        (sev == "error" || sev == "warning")
            && f["table"].as_str() == Some(table)
            && f["row"]
                .as_str()
                .is_none_or(|r| row_path == r || row_path.starts_with(&format!("{r}.")))
    })
}

fn score(case: &Path, t: &mut Tally) {
    let truth: Value =
        serde_json::from_slice(&std::fs::read(case.join("truth.json")).unwrap_or_default())
            .unwrap_or(Value::Null);
    let Some(inp) = input(case) else { return };
    let report = gongkai::parse_file(&inp).map(|r| serde_json::to_value(&r).unwrap_or(Value::Null));
    let out = report.unwrap_or(Value::Null);
    let flags: Vec<Value> = out["flags"].as_array().cloned().unwrap_or_default();
    let name = case
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ambiguous: Vec<String> = truth["ambiguous"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let mut cells = Vec::new();
    leaves(&truth["tables"], "", &mut cells);
    for (path, want) in cells {
        if ambiguous
            .iter()
            .any(|a| path == *a || path.starts_with(&format!("{a}.")))
        {
            continue;
        }
        t.cells += 1;
        let got = lookup(&out["tables"], &path);
        if got.is_some_and(|g| same(g, &want)) {
            t.right += 1;
        } else if covered(&flags, &path) {
            t.flagged_wrong += 1;
        } else {
            t.silent
                .push(format!("{name}: {path} want {want} got {got:?}"));
        }
    }
    // Ambiguous truth cells must be flagged.
    for a in &ambiguous {
        if !a.starts_with("legacy_stats") && !covered(&flags, &format!("{a}.x")) {
            t.silent.push(format!("{name}: ambiguous {a} not flagged"));
        }
    }
    let malformed = flags.iter().any(|f| f["severity"] == "error");
    let want = truth["malformed"].as_bool().unwrap_or(false);
    if malformed && !want {
        let codes: Vec<&str> = flags
            .iter()
            .filter(|f| f["severity"] == "error")
            .filter_map(|f| f["code"].as_str())
            .collect();
        t.false_alarms.push(format!("{name}: {codes:?}"));
    }
    if want && !malformed {
        t.missed_malformed.push(name);
    }
}

#[test]
fn shared_corpus_accuracy() {
    let Some(root) = std::env::var_os("GONGKAI_SHARED_CORPUS") else {
        eprintln!("skipped: GONGKAI_SHARED_CORPUS is not set");
        return;
    };
    let root = PathBuf::from(root);
    let all = cases(&root);
    assert!(!all.is_empty(), "no cases under {}", root.display());
    let (mut sep, mut run) = (Tally::default(), Tally::default());
    for case in &all {
        let truth: Value =
            serde_json::from_slice(&std::fs::read(case.join("truth.json")).unwrap_or_default())
                .unwrap_or(Value::Null);
        if truth["cells_separated"] == Value::Bool(false) {
            score(case, &mut run);
        } else {
            score(case, &mut sep);
        }
    }
    for (label, t) in [("separated", &sep), ("run-together", &run)] {
        eprintln!(
            "{label}: cells {} right {} wrong-but-flagged {} silent {} false-alarms {} missed-malformed {}",
            t.cells,
            t.right,
            t.flagged_wrong,
            t.silent.len(),
            t.false_alarms.len(),
            t.missed_malformed.len()
        );
        for s in t
            .silent
            .iter()
            .chain(&t.false_alarms)
            .chain(&t.missed_malformed)
        {
            eprintln!("  {s}");
        }
    }
    assert!(
        sep.right * 100 >= sep.cells * 99,
        "separated cases: {} of {} cells right",
        sep.right,
        sep.cells
    );
    assert!(
        sep.silent.is_empty(),
        "unflagged wrong numbers: {:?}",
        sep.silent
    );
    assert!(
        sep.false_alarms.is_empty(),
        "error flags on well-formed reports: {:?}",
        sep.false_alarms
    );
    assert!(
        sep.missed_malformed.is_empty(),
        "malformed reports without an error: {:?}",
        sep.missed_malformed
    );
    assert!(
        run.silent.is_empty(),
        "run-together cases: unflagged wrong numbers: {:?}",
        run.silent
    );
}
