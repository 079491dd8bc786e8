//! The binary: output, exit codes, errors that name the file.

mod common;

fn gongkai(args: &[&str]) -> std::process::Output {
    common::bin().args(args).output().expect("binary runs")
}

fn corpus(name: &str) -> String {
    format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn parse_prints_json_and_strict_sets_exit_code() {
    use gongkai::synth::{Encoding, Format, TextStyle, damage::Op};
    use gongkai::template::TemplateId::Y2019;
    let dir = tempfile::tempdir().expect("tmp");
    let (good, bad) = (dir.path().join("good.txt"), dir.path().join("bad.txt"));
    let text = Format::Text(TextStyle::CellPerLine);
    std::fs::write(&good, common::synthetic(Y2019, text, Encoding::Utf8, &[])).expect("write");
    std::fs::write(
        &bad,
        common::synthetic(Y2019, text, Encoding::Utf8, &[Op::DropCell]),
    )
    .expect("write");
    let ok = gongkai(&["parse", good.to_str().unwrap_or_default()]);
    assert_eq!(ok.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("JSON on stdout");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["meta"]["template"], "2019");
    let bad = bad.to_str().unwrap_or_default();
    assert_eq!(gongkai(&["parse", bad]).status.code(), Some(0));
    assert_eq!(gongkai(&["parse", "--strict", bad]).status.code(), Some(1));
}

#[test]
fn unreadable_file_exits_2_naming_it() {
    let out = gongkai(&["parse", "/nonexistent/report.html"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/report.html"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn output_file_and_compact() {
    let dir = std::env::temp_dir().join(format!("gongkai-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("r.json");
    let o = gongkai(&[
        "parse",
        "--compact",
        "-o",
        out.to_str().unwrap_or_default(),
        &corpus("not-a-report/input.html"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(&out).expect("written");
    assert_eq!(text.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(v["meta"]["template"], "unknown");
    assert!(
        v["flags"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["code"] == "NOT_A_REPORT"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn html_nested_100000_deep_gives_json_with_a_flag() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("deep.html");
    let page = format!(
        "<html><body>{}一、总体情况 本年新收政府信息公开申请数量{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    std::fs::write(&p, page).expect("write");
    let out = gongkai(&["parse", "--compact", p.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        v["flags"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["code"] == "HTML_TOO_DEEP"))
    );
    assert_eq!(v["sections"][0]["number"], 1);
}

/// `bench` on two reports: every line it promises, and the ratio read from
/// passes that alternate (a pool per thread count, kept for the whole run).
#[test]
fn bench_reports_each_measurement() {
    let out = gongkai(&[
        "bench",
        &corpus("000000-html-spans-2019-utf8"),
        &corpus("000002-text-cells-2019-gb18030"),
        "-n",
        "10",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "inputs: 1 text files",
        "text, 1 thread",
        "HTML gongkai / scraper alone",
        "all, 2 threads",
        "2 threads / 1 thread",
        "best of 5 alternated rounds",
        "slowest report",
        "digit-run search on pathological rows",
    ] {
        assert!(text.contains(line), "no {line:?} in:\n{text}");
    }
}
