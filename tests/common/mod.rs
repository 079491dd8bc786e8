//! Shared by the tests: the binary, and the corpus tests' scoring of a parse
//! against a truth file in the shared corpus format (tables, malformed,
//! ambiguous).

#![allow(dead_code)] // each test binary uses part of it

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The project's binary, built for this test run.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

/// `gongkai batch ROOT --jobs JOBS` writing every output below `out`:
/// `json/`, `all.jsonl`, `csv/` and `summary.json`.
pub fn batch_all_outputs(root: &Path, out: &Path, jobs: &str) -> Command {
    let mut cmd = bin();
    cmd.arg("batch")
        .arg(root)
        .args(["--jobs", jobs, "--out"])
        .arg(out.join("json"))
        .arg("--jsonl")
        .arg(out.join("all.jsonl"))
        .arg("--csv")
        .arg(out.join("csv"))
        .arg("--summary")
        .arg(out.join("summary.json"));
    cmd
}

#[derive(Default, Debug)]
pub struct Tally {
    pub cells: usize,
    pub right: usize,
    pub flagged_wrong: usize,
    pub silent: Vec<String>,
    pub false_alarms: Vec<String>,
    pub missed_malformed: Vec<String>,
}

/// `$GONGKAI_SHARED_CORPUS` when it is set and the folder is there; else
/// `None`, after saying why the tests that need it are skipped (a fresh
/// clone has no `../shared` beside it; `.ci/run` requires one).
pub fn shared_corpus() -> Option<PathBuf> {
    let Some(root) = std::env::var_os("GONGKAI_SHARED_CORPUS") else {
        eprintln!("skipped: GONGKAI_SHARED_CORPUS is not set");
        return None;
    };
    let root = PathBuf::from(root);
    if !root.is_dir() {
        eprintln!(
            "skipped: GONGKAI_SHARED_CORPUS={} is not a folder here",
            root.display()
        );
        return None;
    }
    Some(root)
}

pub fn cases(root: &Path, truth_name: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join(truth_name).exists())
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

pub fn score(case: &Path, truth_name: &str, t: &mut Tally) {
    let truth: Value =
        serde_json::from_slice(&std::fs::read(case.join(truth_name)).unwrap_or_default())
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

impl Tally {
    pub fn report(&self, label: &str) {
        eprintln!(
            "{label}: cells {} right {} wrong-but-flagged {} silent {} false-alarms {} missed-malformed {}",
            self.cells,
            self.right,
            self.flagged_wrong,
            self.silent.len(),
            self.false_alarms.len(),
            self.missed_malformed.len()
        );
        for s in self
            .silent
            .iter()
            .chain(&self.false_alarms)
            .chain(&self.missed_malformed)
        {
            eprintln!("  {s}");
        }
    }
}

/// A generated report in the given layout (no spelling variants), damaged by
/// `ops` when any.
pub fn synthetic(
    template: gongkai::template::TemplateId,
    format: gongkai::synth::Format,
    encoding: gongkai::synth::Encoding,
    ops: &[gongkai::synth::damage::Op],
) -> Vec<u8> {
    use gongkai::synth::{Options, Rng, damage::damaged, generate_with};
    let mut rng = Rng::new(42);
    let m = generate_with(&mut rng, Options::plain(template, format, encoding));
    if ops.is_empty() {
        m.bytes()
    } else {
        damaged(&m, &mut rng, ops).0
    }
}
