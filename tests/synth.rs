//! Generated reports with known answers (see `gongkai::synth`): undamaged
//! ones are read exactly, damaged ones are never silently wrong.

use gongkai::synth::damage::Op;
use gongkai::synth::verify::{Tally, run_case};

#[test]
fn undamaged_generated_reports_are_read_exactly() {
    let mut run_together = 0;
    let mut failures = Vec::new();
    for seed in 0..600 {
        let c = run_case(seed, false);
        if !c.verdict.silent.is_empty() {
            failures.push(format!(
                "seed {seed} {}: silent {:?}",
                c.layout, c.verdict.silent
            ));
        }
        // Digits run together stay null and flagged until issue 5.
        if c.layout.contains("runtogether") {
            run_together += 1;
        } else if !c.exact() {
            failures.push(format!(
                "seed {seed} {}: {}/{} right, {} error flags",
                c.layout, c.verdict.right, c.verdict.cells, c.verdict.error_flags
            ));
        }
    }
    eprintln!("600 undamaged generated reports, {run_together} with digits run together");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn damaged_generated_reports_are_never_silently_wrong() {
    // Seeds apart from the undamaged run; every operator is the first
    // operator of one seed in sixteen, a third of the reports get more.
    let tally = Tally::run(1_000_000, 1_003_200, true);
    eprint!("damaged generated reports: {tally}");
    assert!(tally.failures.is_empty(), "{tally}");
    for op in Op::ALL {
        let applied = tally.by_op.get(op.name()).map_or(0, |v| v[0]);
        assert!(applied >= 50, "{} applied only {applied} times", op.name());
    }
    assert_eq!(tally.reports, 3200);
}

/// The long run: `cargo test --release -- --ignored` (or
/// `gongkai gen --check 100000 --damage`).
#[test]
#[ignore]
fn a_hundred_thousand_damaged_reports() {
    let tally = Tally::run(0, 100_000, true);
    eprint!("{tally}");
    assert!(tally.failures.is_empty());
}
