//! Any bytes through the whole pipeline: it must return (a report or a
//! typed error), never panic, never hang. Seeded from `corpus/` (see the
//! README's fuzzing section).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = gongkai::parse_named(data, std::path::Path::new("fuzz")) {
        // Serialising is part of the pipeline too (NaN or odd numbers would
        // fail here).
        let _ = serde_json::to_vec(&report).expect("report serialises");
    }
});
