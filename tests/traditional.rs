//! Traditional script (the 繁體 pages of mirror sites, Taiwan and Hong Kong
//! portals): every report of `$GONGKAI_SHARED_CORPUS` converted to
//! traditional characters must give the tables of the original, in UTF-8
//! and, where the text fits Big5, in undeclared Big5 (while the original in
//! GBK is still read as GBK).

mod common;

use std::path::Path;

use serde_json::Value;

/// The first few leaves where two table trees differ, for the message.
fn diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    if out.len() >= 6 || a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let (p, q) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                diff(p, q, &format!("{path}.{k}"), out);
            }
        }
        _ => out.push(format!("{path}: {a} → {b}")),
    }
}

/// Tables, extra rows (their labels are the source's text, so compared in
/// the parser's normal form) and the encoding read.
fn tables(bytes: &[u8], name: &str) -> (Value, Value, String) {
    let r = gongkai::parse_named(bytes, Path::new(name)).expect("parses");
    let v = serde_json::to_value(&r).expect("JSON");
    let mut extra = v["extra_rows"].clone();
    for row in extra
        .as_object_mut()
        .into_iter()
        .flat_map(|m| m.values_mut())
    {
        for r in row.as_array_mut().into_iter().flatten() {
            let label = gongkai::normalize::norm(r["label"].as_str().unwrap_or_default());
            r["label"] = Value::String(label);
        }
    }
    (v["tables"].clone(), extra, r.source.encoding.to_string())
}

#[test]
fn traditional_script_gives_the_same_tables() {
    let Some(root) = common::shared_corpus() else {
        return;
    };
    let cases = common::cases(&root, "truth.json");
    assert!(!cases.is_empty());
    use ferrous_opencc::{OpenCC, config::BuiltinConfig};
    // Mainland traditional (爲, 衆) in UTF-8; Taiwan's standard forms (為,
    // 眾), which Big5 holds, for the Big5 pages.
    let s2t = OpenCC::from_config(BuiltinConfig::S2t).expect("OpenCC s2t");
    let s2tw = OpenCC::from_config(BuiltinConfig::S2tw).expect("OpenCC s2tw");
    let (mut converted, mut big5) = (0, 0);
    let mut problems = Vec::new();
    for case in &cases {
        let Some(input) = ["input.html", "input.txt"]
            .iter()
            .map(|n| case.join(n))
            .find(|p| p.exists())
        else {
            continue;
        };
        let name = input.display().to_string();
        let text = std::fs::read_to_string(&input).expect("UTF-8 input");
        let trad = s2t.convert(&text);
        let changed = text
            .chars()
            .zip(trad.chars())
            .filter(|(a, b)| a != b)
            .count();
        assert!(changed > 0, "{name}: nothing converted");
        let original = tables(text.as_bytes(), &name);
        // Detection must still read the simplified original in GBK as GBK.
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let g = tables(&gbk, &name);
        if g.2 != "GB18030" || (&g.0, &g.1) != (&original.0, &original.1) {
            problems.push(format!("{name} (GBK, read as {})", g.2));
        }
        let utf8 = tables(trad.as_bytes(), &name);
        converted += 1;
        if (&utf8.0, &utf8.1) != (&original.0, &original.1) {
            let mut d = Vec::new();
            diff(&original.0, &utf8.0, "tables", &mut d);
            diff(&original.1, &utf8.1, "extra_rows", &mut d);
            problems.push(format!(
                "{name} (UTF-8, {changed} characters converted): {d:?}"
            ));
        }
        // Big5 cannot hold every character (a page's stray simplified or
        // rare ones); such a report is converted, not encoded.
        let taiwan = s2tw.convert(&text);
        let (bytes, _, unmappable) = encoding_rs::BIG5.encode(&taiwan);
        if !unmappable {
            let b = tables(&bytes, &name);
            big5 += 1;
            if b.2 != "Big5" || (&b.0, &b.1) != (&original.0, &original.1) {
                problems.push(format!("{name} (Big5, read as {})", b.2));
            }
        }
    }
    eprintln!("traditional script: {converted} reports converted, {big5} also in Big5");
    assert!(big5 > 0, "no report fits Big5");
    assert!(problems.is_empty(), "tables differ: {problems:#?}");
}
