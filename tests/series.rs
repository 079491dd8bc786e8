//! `gongkai series` on generated series (a property: exactly the pairs the
//! damage broke come out `differs`), on the real Pingtan series of
//! `$GONGKAI_SHARED_CORPUS` (the rows of issue 11 and every continuity the
//! truths imply), and end to end through the binary.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use gongkai::series::Series;
use gongkai::series::input::{Lite, Origin};
use gongkai::series::output::Row;
use gongkai::series::rules::Status;
use serde_json::{Value, json};

/// Rows of the reports given as JSON, through the same reader the command
/// uses.
fn rows(reports: impl IntoIterator<Item = Value>) -> Vec<Row> {
    let mut s = Series::default();
    for r in reports {
        let line = serde_json::to_string(&r).unwrap_or_default();
        s.add(
            serde_json::from_str::<Lite>(&line).unwrap_or_default(),
            Origin::Once,
        );
    }
    let mut out = Vec::new();
    let _ = s.finish(&mut |r| {
        out.push(r.clone());
        Ok(())
    });
    out
}

fn parsed(bytes: &[u8], path: &str) -> Value {
    serde_json::to_value(gongkai::parse_bytes(bytes, path)).unwrap_or(Value::Null)
}

type Id = (String, String, i32, i32);

fn id(r: &Row) -> Id {
    (r.check.to_string(), r.key.clone(), r.year_from, r.year_to)
}

#[test]
fn generated_series_find_exactly_the_broken_pairs() {
    let (mut broken, mut found, mut unread, mut held) = (0, 0, 0, 0);
    for seed in 0..300u64 {
        let case = gongkai::synth::series::generate(seed);
        let reports = case.reports.iter().enumerate().map(|(i, m)| {
            let path = format!("gen/{seed}/{}-{i}.{}", m.year, m.options.extension());
            parsed(&m.bytes(), &path)
        });
        let reports: Vec<Value> = reports.collect();
        let rows = rows(reports.clone());
        let expect: Vec<Id> = case
            .broken
            .iter()
            .map(|b| (b.check.to_string(), b.key.clone(), b.year_from, b.year_to))
            .collect();
        for r in &rows {
            if r.status == Status::Differs {
                assert!(expect.contains(&id(r)), "seed {seed}: {r:?} not broken");
            }
            held += usize::from(r.status == Status::Holds);
        }
        for e in &expect {
            broken += 1;
            let r = rows.iter().find(|r| &id(r) == e);
            match r.map(|r| r.status) {
                Some(Status::Differs) => found += 1,
                // A figure the parser left null (digits run together that no
                // rule could split) cannot be compared; the note says which.
                Some(Status::NotChecked) => {
                    unread += 1;
                    assert!(
                        r.is_some_and(|r| r.note.contains(" is null")),
                        "seed {seed}: {r:?}"
                    );
                }
                // Duplicates compare only cells both copies filled.
                Some(Status::Holds) if e.0 == "duplicate" => unread += 1,
                _ => panic!("seed {seed}: {e:?} not found: {r:?}"),
            }
        }
        // One agency, every report placed.
        assert!(
            rows.iter().all(|r| r.agency == case.reports[0].agency),
            "seed {seed}"
        );
    }
    eprintln!(
        "generated series: {broken} broken pairs, {found} found differs, {unread} not comparable (a figure left null), {held} rows hold"
    );
    assert!(
        found * 10 >= broken * 8,
        "only {found} of {broken} broken pairs found"
    );
}

/// The cases of the shared corpus, or `None` (skipped) without it.
fn shared() -> Option<Vec<PathBuf>> {
    let Some(root) = std::env::var_os("GONGKAI_SHARED_CORPUS") else {
        eprintln!("skipped: GONGKAI_SHARED_CORPUS is not set");
        return None;
    };
    Some(common::cases(Path::new(&root), "truth.json"))
}

fn input(case: &Path) -> PathBuf {
    ["input.html", "input.txt"]
        .iter()
        .map(|n| case.join(n))
        .find(|p| p.exists())
        .unwrap_or_default()
}

fn truth(case: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(case.join("truth.json")).unwrap_or_default())
        .unwrap_or(Value::Null)
}

#[test]
fn meta_of_every_shared_report() {
    let Some(cases) = shared() else { return };
    for case in &cases {
        let t = truth(case);
        let r = parsed(
            &std::fs::read(input(case)).unwrap_or_default(),
            &input(case).display().to_string(),
        );
        let name = case.display();
        assert_eq!(r["meta"]["year"], t["year"], "{name}: year");
        assert_eq!(r["meta"]["agency"], t["agency"], "{name}: agency");
        let flagged = r["flags"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["code"] == "META_CONFLICT");
        assert!(!flagged, "{name}: sources conflict");
    }
}

#[test]
fn meta_of_generated_reports() {
    // Every layout, the markdown ones included (`# title`).
    for seed in (0..200u64).chain(2000..2200) {
        let m = gongkai::synth::generate(seed);
        let r = parsed(&m.bytes(), &format!("gen/{seed}.{}", m.options.extension()));
        let layout = m.options.layout_name();
        assert_eq!(r["meta"]["year"], json!(m.year), "seed {seed} {layout}");
        assert_eq!(r["meta"]["agency"], json!(m.agency), "seed {seed} {layout}");
        assert_eq!(
            r["meta"]["sources"]["agency"], "title",
            "seed {seed} {layout}"
        );
    }
}

#[test]
fn pingtan_series() {
    let Some(cases) = shared() else { return };
    let reports: Vec<Value> = cases
        .iter()
        .map(|c| {
            parsed(
                &std::fs::read(input(c)).unwrap_or_default(),
                &input(c).display().to_string(),
            )
        })
        .collect();
    let got = rows(reports);
    let find = |check: &str, key: &str, from: i32| {
        got.iter()
            .find(|r| {
                r.agency == "平潭综合实验区"
                    && r.check == check
                    && r.key == key
                    && r.year_from == from
            })
            .unwrap_or_else(|| panic!("no row {check} {key} {from}"))
    };
    for from in 2019..2024 {
        for &col in gongkai::template::APPLICANTS {
            let r = find(
                "carried_over",
                &format!("requests.carried_over.{col}"),
                from,
            );
            assert_eq!((r.year_to, r.status), (from + 1, Status::Holds), "{r:?}");
        }
    }
    let r = find(
        "total_published",
        "proactive.item_1.rules.total_published",
        2019,
    );
    assert_eq!(
        (r.expected, r.found, r.status),
        (Some(0.0), Some(7.0), Status::Differs)
    );
    let r = find("in_force", "proactive.item_1.normative.in_force", 2022);
    assert_eq!(
        (r.expected, r.found, r.status),
        (Some(643.0), Some(470.0), Status::Differs)
    );
    for (year, text, html) in [(2020, "010", "016"), (2023, "013", "017")] {
        let r = find("duplicate", "", year);
        assert_eq!((r.expected, r.status), (Some(0.0), Status::Holds), "{r:?}");
        assert!(
            r.path_from.contains(text) && r.path_to.contains(html),
            "{r:?}"
        );
    }

    // Every continuity the truths imply: the same row from the parse, or
    // `not_checked` where the parser left null a cell the truth lists as
    // ambiguous.
    let ambiguous: BTreeMap<i64, Vec<String>> = cases.iter().fold(BTreeMap::new(), |mut m, c| {
        let t = truth(c);
        let list = t["ambiguous"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(String::from);
        m.entry(t["year"].as_i64().unwrap_or(0))
            .or_insert_with(Vec::new)
            .extend(list);
        m
    });
    let truths = cases.iter().map(|c| {
        let t = truth(c);
        json!({"source": {"path": input(c)}, "meta": {"agency": t["agency"], "year": t["year"], "template": t["template"]},
               "tables": t["tables"], "flags": if t["malformed"] == true { json!([{"severity": "error"}]) } else { json!([]) }})
    });
    let implied = rows(truths);
    assert!(implied.iter().any(|r| r.status == Status::Differs));
    for want in implied.iter().filter(|r| r.agency == "平潭综合实验区") {
        let Some(r) = got
            .iter()
            .find(|r| id(r) == id(want) && r.agency == want.agency)
        else {
            panic!("no row for {want:?}");
        };
        if r.status == Status::NotChecked && want.status != Status::NotChecked {
            for part in r.note.split("; ") {
                let (path, rest) = part.split_once(" of ").unwrap_or_default();
                let year: i64 = rest
                    .split(' ')
                    .next()
                    .and_then(|y| y.parse().ok())
                    .unwrap_or(0);
                let row = path.rsplit_once('.').map_or(path, |p| p.0);
                let listed = ambiguous
                    .get(&year)
                    .is_some_and(|a| a.iter().any(|x| x == row));
                assert!(
                    listed,
                    "{r:?}: {row} of {year} is not ambiguous in the truth"
                );
            }
            continue;
        }
        assert_eq!(
            (r.expected, r.found, r.status),
            (want.expected, want.found, want.status),
            "{want:?}"
        );
    }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

#[test]
fn command_reads_jsonl_folders_and_stdin_alike() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = dir.path().join("gen");
    std::fs::create_dir_all(&src).unwrap_or_default();
    // A series with a year printed twice, the copies differing in a cell:
    // its cells are read again from the JSONL and the folder, held from
    // stdin.
    let case = (0..)
        .map(gongkai::synth::series::generate)
        .find(|c| c.broken.iter().any(|b| b.check == "duplicate"))
        .unwrap_or_else(|| panic!("no series with a duplicate"));
    for (i, m) in case.reports.iter().enumerate() {
        let p = src.join(format!("{}-{i}.{}", m.year, m.options.extension()));
        std::fs::write(p, m.bytes()).unwrap_or_default();
    }
    let jsonl = dir.path().join("all.jsonl");
    let out = dir.path().join("out");
    let st = bin()
        .args(["batch", "--quiet", "--jsonl"])
        .arg(&jsonl)
        .arg("--out")
        .arg(&out)
        .arg(&src)
        .status();
    assert!(st.is_ok_and(|s| s.success()));
    let run = |input: &Path, stdin: Option<&Path>, csv: &Path| {
        let mut c = bin();
        c.arg("series").arg(input).arg("--csv").arg(csv);
        c.arg("--json").arg(csv.with_extension("json"));
        if let Some(f) = stdin {
            c.stdin(Stdio::from(
                std::fs::File::open(f).unwrap_or_else(|e| panic!("{e}")),
            ));
        }
        let o = c.output().unwrap_or_else(|e| panic!("{e}"));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stderr).contains("gongkai series:"));
        std::fs::read_to_string(csv).unwrap_or_default()
    };
    let a = run(&jsonl, None, &dir.path().join("a.csv"));
    let b = run(&out, None, &dir.path().join("b.csv"));
    let c = run(Path::new("-"), Some(&jsonl), &dir.path().join("c.csv"));
    assert!(a.starts_with(
        "\u{feff}agency,check,key,year_from,year_to,expected,found,status,note,path_from,path_to\n"
    ));
    assert!(a.lines().count() > 7, "{a}");
    assert!(
        a.contains(",duplicate,,")
            && a.contains(",1,,differs,2 reports; differ at proactive.item_"),
        "{a}"
    );
    assert_eq!(a, b);
    assert_eq!(a, c);
    let json: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("a.json")).unwrap_or_default())
            .unwrap_or(Value::Null);
    assert_eq!(
        json["rows"].as_array().map(Vec::len),
        Some(a.lines().count() - 1)
    );
    assert_eq!(json["summary"]["agencies"], 1);
    // A line that is no report: named on stderr, counted, exit 2.
    std::fs::write(dir.path().join("bad.jsonl"), "{\"meta\": 3}\nnot json\n").unwrap_or_default();
    let o = bin()
        .arg("series")
        .arg(dir.path().join("bad.jsonl"))
        .arg("--csv")
        .arg(dir.path().join("bad.csv"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.jsonl:2:") && err.contains("unreadable 2"),
        "{err}"
    );
}
