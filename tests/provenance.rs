//! Provenance: every value `cells.csv` holds says where it was read, over
//! the project corpus, generated reports of every layout (damaged too) and
//! the shared corpus; and a value whose place cannot be found in the HTML
//! source gets none rather than a wrong one.

mod common;

use std::path::Path;

use common::{bin, shared_corpus};

/// The ASCII digits of `s` after normalising (full-width digits count).
fn digits(s: &str) -> String {
    gongkai::normalize::norm(s)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// `gongkai batch ROOTS --csv`, then every non-blank value of `cells.csv`
/// has a line and a source holding its digits; returns how many.
fn every_value_has_its_source(roots: &[&Path], out: &Path) -> usize {
    let st = bin()
        .arg("batch")
        .args(roots)
        .args(["--quiet", "--csv"])
        .arg(out)
        .status()
        .expect("batch runs");
    assert!(st.success(), "batch failed: {st}");
    let mut rd = csv::Reader::from_path(out.join("cells.csv")).expect("cells.csv");
    let head = rd.headers().expect("header").clone();
    let at = |name: &str| {
        head.iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let (value, line, source) = (
        at("value").expect("value"),
        at("line").expect("line"),
        at("source").expect("source"),
    );
    assert_eq!((line, source), (value + 1, value + 2), "after value");
    let mut checked = 0;
    let mut missing = Vec::new();
    for rec in rd.records() {
        let rec = rec.expect("a record");
        let v = rec.get(value).unwrap_or_default();
        if v.is_empty() {
            assert_eq!(rec.get(line), Some(""), "a blank has no line: {rec:?}");
            continue;
        }
        checked += 1;
        let n: usize = rec.get(line).unwrap_or_default().parse().unwrap_or(0);
        let src = rec.get(source).unwrap_or_default();
        if n == 0 || !digits(src).contains(&digits(v)) {
            missing.push(format!("{rec:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {checked} values without a line or a source holding their digits:\n{}",
        missing.len(),
        missing
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    checked
}

#[test]
fn project_corpus_and_generated_layouts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let generated = tmp.path().join("gen");
    for (dir, extra) in [("plain", None), ("damaged", Some("--damage"))] {
        let mut cmd = bin();
        cmd.args(["gen", "-n", "80", "--seed", "7", "--out"])
            .arg(generated.join(dir));
        cmd.args(extra);
        assert!(cmd.status().expect("gen runs").success());
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let n = every_value_has_its_source(&[&corpus, &generated], &tmp.path().join("csv"));
    eprintln!("{n} values, each with its line and source");
    assert!(n > 10_000, "only {n} values checked");
}

#[test]
fn shared_corpus_values() {
    let Some(root) = shared_corpus() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let n = every_value_has_its_source(&[&root], tmp.path());
    eprintln!("{n} values of the shared corpus, each with its line and source");
    assert!(n > 1_000, "only {n} values checked");
}

/// The byte range and line point at the value in the decoded text.
#[test]
fn ranges_point_into_the_text() {
    let page = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/000000-html-spans-2019-utf8/input.html"),
    )
    .expect("corpus page");
    let opts = gongkai::Options {
        provenance: true,
        text: true,
    };
    let r = gongkai::parse_with(&page, "p.html", opts);
    let text = r.text.as_deref().expect("text kept");
    let prov = r.provenance.as_ref().expect("provenance");
    let tables = r.tables.to_value();
    let cells = gongkai::cells::cells(&tables, Some(prov));
    let mut seen = 0;
    for c in cells.iter().filter(|c| !c.value.is_null()) {
        let o = ["proactive", "requests", "reviews_and_lawsuits"]
            .into_iter()
            .find(|t| *t == c.table)
            .and_then(|t| prov.get(t))
            .and_then(|t| {
                [c.block, c.row, c.column]
                    .into_iter()
                    .filter(|k| !k.is_empty())
                    .try_fold(t, |v, k| v.get(k))
            })
            .expect("provenance of a value");
        let num = |k: &str| o[k].as_u64().expect("number") as usize;
        let (start, end, line) = (num("start"), num("end"), num("line"));
        let raw = &text[start..end];
        assert!(digits(raw).contains(&digits(&c.value.to_string())), "{raw}");
        assert_eq!(text[..start].matches('\n').count() + 1, line);
        seen += 1;
    }
    assert!(seen > 100, "{seen}");
}

/// A cell whose text html5ever merges across a stray end tag (`1</b>2`)
/// is no single run of the source: its value is read, with no provenance,
/// and its neighbours keep theirs.
#[test]
fn a_value_not_found_in_the_source_gets_none() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/000000-html-spans-2019-utf8/input.html");
    let page = String::from_utf8(std::fs::read(path).expect("page")).expect("utf-8");
    let opts = gongkai::Options {
        provenance: true,
        text: false,
    };
    let r = gongkai::parse_with(page.as_bytes(), "p.html", opts);
    let prov = r.provenance.expect("provenance");
    // The first value of two digits or more, and where it was read.
    let (row, col, start) = prov["requests"]
        .as_object()
        .expect("requests")
        .iter()
        .flat_map(|(row, cols)| {
            let cols = cols.as_object().expect("columns");
            cols.iter()
                .map(move |(c, o)| (row.clone(), c.clone(), o.clone()))
        })
        .find(|(_, _, o)| o["text"].as_str().is_some_and(|t| t.len() >= 2))
        .map(|(r, c, o)| (r, c, o["start"].as_u64().expect("start") as usize))
        .expect("a value of two digits");
    let broken = format!("{}</b>{}", &page[..start + 1], &page[start + 1..]);
    let r2 = gongkai::parse_with(broken.as_bytes(), "p.html", opts);
    assert_eq!(
        r2.tables.to_value()["requests"][&row][&col],
        r.tables.to_value()["requests"][&row][&col]
    );
    let prov2 = r2.provenance.expect("provenance");
    assert!(
        prov2["requests"][&row].get(&col).is_none(),
        "{row}.{col} got a place"
    );
    let kept = prov2["requests"].as_object().map_or(0, |rows| {
        rows.values()
            .map(|c| c.as_object().map_or(0, |c| c.len()))
            .sum()
    });
    assert!(kept > 50, "the other cells keep theirs: {kept}");
}
