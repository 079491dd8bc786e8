//! The synthetic reports of `corpus/` (written by `tools/make_corpus.py`):
//! undamaged ones must come out exactly, damaged ones flagged where damaged.

mod common;

use std::path::Path;

use common::{Tally, cases, score};

#[test]
fn project_corpus_exact_or_flagged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let all = cases(&root, "expected.json");
    assert!(all.len() >= 8, "corpus/ has {} cases", all.len());
    let mut t = Tally::default();
    for case in &all {
        score(case, "expected.json", &mut t);
    }
    t.report("project corpus");
    assert!(
        t.silent.is_empty(),
        "unflagged wrong numbers: {:?}",
        t.silent
    );
    assert!(
        t.false_alarms.is_empty(),
        "error flags on well-formed reports: {:?}",
        t.false_alarms
    );
    assert!(
        t.missed_malformed.is_empty(),
        "damaged reports without an error: {:?}",
        t.missed_malformed
    );
    // Only the deliberately damaged rows may differ.
    assert!(
        t.cells - t.right <= 7,
        "{} of {} cells right",
        t.right,
        t.cells
    );
}
