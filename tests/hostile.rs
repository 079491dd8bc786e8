//! Inputs made to hurt: huge, deep, wide, binary, lying about their charset.
//! Each must give JSON with a flag or one clear error line, promptly (the
//! watchdog is a hang guard, not a benchmark: the limits are generous).

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use gongkai::synth::{Encoding, Format, HtmlStyle, TextStyle};
use gongkai::template::TemplateId::{Y2019, Y2021};
use serde_json::Value;

/// Run `gongkai parse --compact FILE`, killing it after a minute. Output
/// goes through files: a pipe nobody reads while waiting would fill up and
/// stall the child.
fn parse(file: &Path) -> Output {
    let out_path = file.with_extension("out.json");
    let err_path = file.with_extension("err.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["parse", "--compact"])
        .arg(file)
        .stdout(Stdio::from(std::fs::File::create(&out_path).expect("out")))
        .stderr(Stdio::from(std::fs::File::create(&err_path).expect("err")))
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{}: still running after 60 s", file.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Output {
        status: child.wait().expect("status"),
        stdout: std::fs::read(&out_path).expect("stdout file"),
        stderr: std::fs::read(&err_path).expect("stderr file"),
    }
}

fn json(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn has(v: &Value, code: &str) -> bool {
    v["flags"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["code"] == code))
}

#[test]
fn fifty_megabytes_are_read_in_part_and_say_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let one = common::synthetic(Y2019, Format::Text(TextStyle::Rows), Encoding::Utf8, &[]);
    let big: Vec<u8> = one.iter().copied().cycle().take(50 << 20).collect();
    let p = dir.path().join("big.txt");
    std::fs::write(&p, &big).expect("write");
    let v = json(&parse(&p));
    assert!(has(&v, "INPUT_TOO_LARGE"));
    assert_eq!(v["source"]["bytes"], 50 << 20);
}

#[test]
fn a_ten_megabyte_line_without_a_newline() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("line.txt");
    std::fs::write(&p, "规章 | 1 | ".repeat(800_000)).expect("write");
    let v = json(&parse(&p));
    assert!(has(&v, "INPUT_TOO_LARGE"));
    let digits = dir.path().join("digits.txt");
    std::fs::write(
        &digits,
        format!("行政许可{}", "1234567890".repeat(1_000_000)),
    )
    .expect("write");
    json(&parse(&digits));
}

#[test]
fn a_table_of_ten_thousand_columns() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("wide.html");
    let page = format!(
        "<html><body><p>三、收到和处理政府信息公开申请情况</p><table><tr><td>一、本年新收政府信息公开申请数量</td>{}</tr></table></body></html>",
        "<td>1</td>".repeat(10_000)
    );
    std::fs::write(&p, page).expect("write");
    let v = json(&parse(&p));
    assert!(has(&v, "ROW_LONG"), "{}", v["flags"]);
    assert!(v["tables"]["requests"]["new_received"]["total"].is_null());
}

#[test]
fn nul_bytes_are_an_error_naming_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("zeros.txt");
    std::fs::write(&p, vec![0u8; 1 << 20]).expect("write");
    let out = parse(&p);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("zeros.txt") && err.contains("binary"), "{err}");
}

#[test]
fn a_page_that_lies_about_its_charset_is_read_right() {
    use gongkai::synth::{Options, Rng, generate_with, render, verify::verify};
    for (declared, actual) in [("gbk", Encoding::Utf8), ("utf-8", Encoding::Gb18030)] {
        let mut rng = Rng::new(9);
        let mut o = Options::plain(Y2021, Format::Html(HtmlStyle::Word), actual);
        o.declare_charset = false;
        let m = generate_with(&mut rng, o);
        let page = render::render(&m).replacen(
            "<html><head>",
            &format!("<html><head><meta charset=\"{declared}\">"),
            1,
        );
        let report = gongkai::parse_bytes(&render::encode(&page, actual), "lie.html");
        let v = verify(&m.truth, &report, &[]);
        assert!(v.silent.is_empty(), "{declared}: {:?}", v.silent);
        assert_eq!(v.right, v.cells, "declared {declared}, really {actual:?}");
    }
}
