//! Every corpus input (the project's `corpus/` and `$GONGKAI_SHARED_CORPUS`)
//! and a few hundred damaged generated reports (every layout) through a build with
//! overflow checks on: arithmetic that input drives must never over- or
//! underflow, and a release build would wrap silently instead of failing.
//! The README's test command runs this file a second time without
//! `--release`; in a release build it only says so.

mod common;

use std::path::{Path, PathBuf};

/// Overflow checks follow debug assertions unless a profile says otherwise
/// (Cargo.toml sets neither).
fn overflow_checks() -> bool {
    cfg!(debug_assertions)
}

fn inputs(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|case| {
            ["input.html", "input.txt"]
                .into_iter()
                .map(move |n| case.path().join(n))
        })
        .filter(|p| p.exists())
        .collect();
    v.sort();
    v
}

#[test]
fn corpus_inputs_under_overflow_checks() {
    if !overflow_checks() {
        eprintln!(
            "skipped: overflow checks are off (release); the test command runs this again in a debug build"
        );
        return;
    }
    let mut files = inputs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"));
    assert!(files.len() >= 30, "corpus/ has {} inputs", files.len());
    if let Some(root) = common::shared_corpus() {
        let shared = inputs(&root);
        assert!(!shared.is_empty(), "no inputs under {}", root.display());
        files.extend(shared);
    }
    for f in &files {
        // A panic here fails the test and names the file.
        eprintln!("{}", f.display());
        gongkai::parse_file(f).expect("readable");
    }
    eprintln!("{} corpus inputs read with overflow checks on", files.len());
}

#[test]
fn damaged_generated_reports_under_overflow_checks() {
    if !overflow_checks() {
        eprintln!("skipped: overflow checks are off (release)");
        return;
    }
    use gongkai::synth::{Layouts, verify::Tally};
    let tally = Tally::run(0, 300, true, Layouts::Original);
    assert!(tally.failures.is_empty(), "{tally}");
    // The layouts the parser does not read yet: no panic is all that is
    // asked here (tests/synth.rs holds them to their gates).
    Tally::run(1_000_000, 1_000_100, true, Layouts::All);
}
