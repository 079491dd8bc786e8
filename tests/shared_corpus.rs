//! Accuracy on the real reports of `../shared/corpus/` (path from
//! `GONGKAI_SHARED_CORPUS`). Every truth cell is compared; a wrong or missing
//! cell is tolerated only inside a table that carries a warning or error
//! flag; the malformed verdict must match the truth. Cases whose digits run
//! together are counted apart: their figures come only from the splits
//! `split.rs` can prove (row totals, narrative figures, column totals).

mod common;

use common::{Tally, cases, score};
use serde_json::Value;

#[test]
fn shared_corpus_accuracy() {
    let Some(root) = common::shared_corpus() else {
        return;
    };
    let all = cases(&root, "truth.json");
    assert!(!all.is_empty(), "no cases under {}", root.display());
    let (mut sep, mut run) = (Tally::default(), Tally::default());
    for case in &all {
        let truth: Value =
            serde_json::from_slice(&std::fs::read(case.join("truth.json")).unwrap_or_default())
                .unwrap_or(Value::Null);
        if truth["cells_separated"] == Value::Bool(false) {
            score(case, "truth.json", &mut run);
        } else {
            score(case, "truth.json", &mut sep);
        }
    }
    sep.report("separated");
    run.report("run-together");
    assert!(
        sep.right * 100 >= sep.cells * 99,
        "separated cases: {} of {} cells right",
        sep.right,
        sep.cells
    );
    assert!(
        sep.silent.is_empty(),
        "unflagged wrong numbers: {:?}",
        sep.silent
    );
    assert!(
        sep.false_alarms.is_empty(),
        "error flags on well-formed reports: {:?}",
        sep.false_alarms
    );
    assert!(
        sep.missed_malformed.is_empty(),
        "malformed reports without an error: {:?}",
        sep.missed_malformed
    );
    // Digits run together (issue 5): at least 95% of the cells whose truth
    // is not ambiguous, split by the arithmetic and the narrative, and the
    // same verdicts as for separated cells.
    assert!(
        run.right * 100 >= run.cells * 95,
        "run-together cases: {} of {} cells right",
        run.right,
        run.cells
    );
    assert!(
        run.silent.is_empty(),
        "run-together cases: unflagged wrong numbers: {:?}",
        run.silent
    );
    assert!(
        run.false_alarms.is_empty(),
        "run-together cases: error flags on well-formed reports: {:?}",
        run.false_alarms
    );
    assert!(
        run.missed_malformed.is_empty(),
        "run-together cases: malformed reports without an error: {:?}",
        run.missed_malformed
    );
}
