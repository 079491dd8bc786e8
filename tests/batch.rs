//! `gongkai batch` end to end: the real binary on a temporary tree of good,
//! bad and odd inputs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod common;

use common::bin;

use common::synthetic;
use gongkai::synth::damage::Op;
use gongkai::synth::{Encoding, Format, HtmlStyle, TextStyle};
use gongkai::template::TemplateId::{Y2019, Y2021};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name)
}

fn put(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, bytes).expect("write");
}

/// The mixed tree, and the relative paths of the inputs that hold reports,
/// in walk order.
fn tree(root: &Path, with_broken_link: bool) -> Vec<&'static str> {
    let text = Format::Text(TextStyle::CellPerLine);
    put(
        root,
        "a/b/report.txt",
        &synthetic(Y2019, text, Encoding::Utf8, &[]),
    );
    let word = Format::Html(HtmlStyle::Word);
    put(
        root,
        "a/c/gb.html",
        &synthetic(Y2019, word, Encoding::Gb18030, &[]),
    );
    let rows = Format::Text(TextStyle::Rows);
    put(
        root,
        "a/utf16.txt",
        &synthetic(Y2021, rows, Encoding::Utf16Le, &[]),
    );
    let plain = Format::Html(HtmlStyle::Plain);
    let broken = synthetic(Y2021, plain, Encoding::Utf8, &[Op::ChangeDigit]);
    put(root, "a/broken-rule.htm", &broken);
    let page = std::fs::read(corpus("not-a-report/input.html")).expect("corpus file");
    put(root, "b/not-a-report.html", &page);
    put(root, "b/empty.txt", b"");
    put(root, "b/blank.html", b" \n\t\n");
    put(root, "b/image.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    put(root, "b/notes.json", b"{}"); // not a report extension: not read
    put(root, "b/.hidden.txt", b"hidden"); // hidden: not read
    if with_broken_link {
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("nowhere.html"), root.join("b/zz-broken.html"))
            .expect("symlink");
    }
    vec![
        "a/b/report.txt",
        "a/broken-rule.htm",
        "a/c/gb.html",
        "a/utf16.txt",
        "b/not-a-report.html",
    ]
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("binary runs")
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("output exists")).expect("complete JSON")
}

#[test]
fn every_file_is_accounted_for_and_outputs_are_complete() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (root, out) = (tmp.path().join("in"), tmp.path().join("out"));
    let reports = tree(&root, true);
    let o = run(&mut common::batch_all_outputs(&root, &out, "2"));
    let err = String::from_utf8_lossy(&o.stderr);
    // The broken link could not be read: exit 2, and a line naming it.
    assert_eq!(o.status.code(), Some(2), "{err}");
    for name in ["zz-broken.html", "empty.txt", "blank.html", "image.html"] {
        assert!(
            err.lines().any(|l| l.contains(name)),
            "no line for {name}: {err}"
        );
    }
    let s = json(&out.join("summary.json"));
    let files = &s["files"];
    assert_eq!(files["seen"], 9);
    assert_eq!(files["parsed"], 5);
    assert_eq!(files["no_text"], 3);
    assert_eq!(files["unreadable"], 1);
    assert_eq!(files["crashed"], 0);
    assert_eq!(s["reports"]["not_a_report"], 1);
    assert_eq!(s["reports"]["malformed"], 2, "{s}"); // the broken rule and the non-report
    assert!(
        s["flags"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["code"] == "RULE_BROKEN"))
    );

    // JSONL: one line per report, in walk order.
    let lines: Vec<Value> = std::fs::read_to_string(out.join("all.jsonl"))
        .expect("jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON per line"))
        .collect();
    let paths: Vec<String> = lines
        .iter()
        .map(|v| v["source"]["path"].as_str().unwrap_or_default().to_string())
        .collect();
    let expected: Vec<String> = reports
        .iter()
        .map(|r| root.join(r).display().to_string())
        .collect();
    assert_eq!(paths, expected);
    assert_eq!(lines[3]["source"]["encoding"], "UTF-16LE");
    assert_eq!(lines[2]["source"]["encoding"], "GB18030");

    // One JSON per report, mirroring the tree.
    for r in &reports {
        let v = json(&out.join("json").join(format!("{r}.json")));
        assert_eq!(v["schema_version"], 1);
    }
    // CSV: BOM, header, and every input in reports.csv.
    let csv = std::fs::read_to_string(out.join("csv/reports.csv")).expect("reports.csv");
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.lines().count(), 1 + 9);
    assert!(csv.lines().any(|l| l.contains("zz-broken.html,unreadable")));
    let cells = std::fs::read_to_string(out.join("csv/cells.csv")).expect("cells.csv");
    let total = format!(
        "{},requests,,new_received,total,",
        root.join("a/b/report.txt").display()
    );
    assert!(cells.lines().any(|l| l.starts_with(&total)), "{cells}");
    let flags = std::fs::read_to_string(out.join("csv/flags.csv")).expect("flags.csv");
    assert!(
        flags
            .lines()
            .any(|l| l.contains("broken-rule.htm,RULE_BROKEN,error"))
    );
}

#[test]
fn exit_codes_strict_and_clean() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("in");
    tree(&root, false);
    let o = run(bin()
        .arg("batch")
        .arg(&root)
        .args(["-q", "--jsonl", "/dev/null"]));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(bin()
        .arg("batch")
        .arg(&root)
        .args(["-q", "--strict", "--jsonl", "/dev/null"]));
    assert_eq!(o.status.code(), Some(1));
    // An output that cannot be created (its folder would be below a file)
    // stops the batch before it starts.
    let o = run(bin()
        .arg("batch")
        .arg(&root)
        .args(["-q", "--jsonl"])
        .arg(root.join("a/b/report.txt/x.jsonl")));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn stdin_list_keeps_its_order_across_threads() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("in");
    let mut reports = tree(&root, false);
    reports.reverse();
    let list: Vec<String> = reports
        .iter()
        .cycle()
        .take(40)
        .map(|r| root.join(r).display().to_string())
        .collect();
    let mut child = bin()
        .args(["batch", "-", "-q", "--jobs", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(list.join("\n").as_bytes()).expect("paths");
    drop(stdin);
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(0));
    let got: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("JSON line");
            v["source"]["path"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(got, list);
}

#[test]
fn a_crash_in_one_report_does_not_stop_the_batch() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("in");
    tree(&root, false);
    let o = run(bin()
        .arg("batch")
        .arg(&root)
        .args(["--jsonl", "-"])
        .env("GONGKAI_FAILPOINT_PANIC", "gb.html"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("gb.html") && l.contains("crashed")),
        "{err}"
    );
    assert!(err.contains("crashed 1"), "{err}");
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 4);
}

#[test]
fn skip_unchanged_parses_only_what_changed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (root, out) = (tmp.path().join("in"), tmp.path().join("out"));
    tree(&root, false);
    let summary = |extra: &[&str]| {
        let o = run(bin()
            .arg("batch")
            .arg(&root)
            .args(["-q", "--out"])
            .arg(&out)
            .args(extra)
            .arg("--summary")
            .arg(tmp.path().join("s.json")));
        assert_eq!(o.status.code(), Some(0));
        json(&tmp.path().join("s.json"))["files"].clone()
    };
    assert_eq!(summary(&["--skip-unchanged"])["parsed"], 5);
    assert_eq!(summary(&["--skip-unchanged"])["skipped_unchanged"], 5);
    // New bytes under an output that still looks newer: the hash tells.
    let p = root.join("a/b/report.txt");
    let mut text = std::fs::read_to_string(&p).expect("read");
    text.push_str("\n六、其他需要报告的事项\n无。\n");
    std::fs::write(&p, text).expect("rewrite");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(out.join("a/b/report.txt.json"))
        .and_then(|f| f.set_modified(later))
        .expect("touch output");
    let f = summary(&["--skip-unchanged"]);
    assert_eq!(
        (f["parsed"].as_u64(), f["skipped_unchanged"].as_u64()),
        (Some(1), Some(4))
    );
    assert_eq!(summary(&[])["parsed"], 5);
}

#[test]
fn a_killed_batch_leaves_no_half_written_output() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (root, out) = (tmp.path().join("in"), tmp.path().join("out"));
    let page = synthetic(Y2021, Format::Html(HtmlStyle::Spans), Encoding::Utf8, &[]);
    let n = 3000;
    for i in 0..n {
        put(&root, &format!("d{}/r{i:05}.html", i % 10), &page);
    }
    let mut child = bin()
        .arg("batch")
        .arg(&root)
        .args(["-q", "--jobs", "1", "--out"])
        .arg(out.join("json"))
        .arg("--jsonl")
        .arg(out.join("all.jsonl"))
        .spawn()
        .expect("spawn");
    let started = std::time::Instant::now();
    while count_json(&out.join("json")) < 50 && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    let mut whole = 0;
    for e in walk(&out) {
        let name = e
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name.starts_with('.') {
            continue; // an unfinished temporary file, never a final name
        }
        if name.ends_with(".jsonl") {
            // Only renamed into place once complete.
            assert_eq!(
                std::fs::read_to_string(&e).expect("jsonl").lines().count(),
                n
            );
        } else {
            assert_eq!(json(&e)["schema_version"], 1, "{}", e.display());
            whole += 1;
        }
    }
    assert!(whole >= 50, "only {whole} outputs before the kill");
}

fn count_json(dir: &Path) -> usize {
    walk(dir)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .count()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
