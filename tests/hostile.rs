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

/// A generated HTML report whose row `new_received` has a zero-width space,
/// a stray BOM and a broken byte inside three of its cells.
#[test]
fn invisible_characters_and_a_bad_byte_stay_in_their_cell() {
    let page = common::synthetic(Y2021, Format::Html(HtmlStyle::Plain), Encoding::Utf8, &[]);
    let page = String::from_utf8(page).expect("UTF-8");
    let row = page.find("一、本年新收").expect("row");
    let end = row + page[row..].find("</tr>").expect("row end");
    // The value cells, natural_person first (the label's `<td>` is before
    // `row`).
    let cells: Vec<&str> = page[row..end].split("<td>").skip(1).collect();
    let text = |i: usize| cells[i].trim_end_matches("</td>").to_string();
    // commercial, research, social_welfare, legal_service
    let (c1, c2, c3, c4) = (text(1), text(2), text(3), text(4));
    let mut new_row = page[row..end].to_string();
    for (old, new) in [
        (format!("<td>{c1}<"), format!("<td>\u{200b}{c1}\u{200d}<")),
        (format!("<td>{c2}<"), format!("<td>\u{feff}{c2}<")),
        (format!("<td>{c3}<"), format!("<td>{c3}\u{fffd}<")),
    ] {
        assert!(new_row.contains(&old), "{old} in {new_row}");
        new_row = new_row.replacen(&old, &new, 1);
    }
    // The replacement character stands for a byte that is no UTF-8.
    let mut damaged = page.as_bytes()[..row].to_vec();
    let broken = new_row.replace('\u{fffd}', "\u{1}");
    damaged.extend(broken.bytes().map(|b| if b == 1 { 0xFF } else { b }));
    damaged.extend_from_slice(&page.as_bytes()[end..]);
    let r = gongkai::parse_named(&damaged, Path::new("cells.html")).expect("parses");
    let v = serde_json::to_value(&r).expect("JSON");
    let got = &v["tables"]["requests"]["new_received"];
    let num = |s: &str| Value::from(s.parse::<i64>().expect("number"));
    assert_eq!(got["commercial"], num(&c1), "{got}");
    assert_eq!(got["research"], num(&c2), "{got}");
    assert_eq!(got["social_welfare"], Value::Null, "{got}");
    assert_eq!(got["legal_service"], num(&c4), "{got}");
    let codes: Vec<(&str, Option<&str>)> = r
        .flags
        .iter()
        .filter(|f| f.severity == gongkai::Severity::Error)
        .map(|f| (f.code.as_str(), f.row.as_deref()))
        .collect();
    assert_eq!(
        codes,
        [("CELL_NOT_NUMERIC", Some("new_received"))],
        "{:?}",
        r.flags
    );
    assert!(v.get("extra_rows").is_none(), "{}", v["extra_rows"]);
}

/// A Word-style page that opens a `<font>` in every cell and paragraph and
/// never closes one (2,000 and more): it stays HTML, with its tables.
#[test]
fn two_thousand_unclosed_font_tags_keep_the_tables() {
    use gongkai::synth::{Options, Rng, generate_with, render, verify::verify};
    let mut rng = Rng::new(7);
    let m = generate_with(
        &mut rng,
        Options::plain(Y2019, Format::Html(HtmlStyle::Plain), Encoding::Utf8),
    );
    let page = render::render(&m)
        .replace("<td>", "<td><font size=\"2\"><font face=\"宋体\">")
        .replace("<p>", "<p><font size=\"3\">");
    let filler = "<p><font color=\"black\">　</p>\n".repeat(2000);
    let page = page.replacen("<body>", &format!("<body>{filler}"), 1);
    assert!(page.matches("<font").count() >= 2000);
    let report = gongkai::parse_bytes(page.as_bytes(), "fonts.html");
    assert_eq!(report.source.format, "html");
    assert!(
        !report
            .flags
            .iter()
            .any(|f| f.code.as_str() == "HTML_TOO_DEEP")
    );
    let v = verify(&m.truth, &report, &[]);
    assert!(v.silent.is_empty(), "{:?}", v.silent);
    assert_eq!(v.right, v.cells, "{} of {} cells", v.right, v.cells);
}
