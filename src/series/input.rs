//! What `gongkai batch` wrote, read back one report at a time: JSON Lines
//! from a file or stdin, or the `.json` files of an `--out` folder. Each
//! report is deserialised into the few fields series needs; the sections'
//! text and the flags' messages are skipped by the parser, never held.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::batch::walk::{Filter, entries};

/// The part of a report's JSON that series reads.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Lite {
    pub source: LiteSource,
    pub meta: LiteMeta,
    pub tables: Value,
    pub flags: Vec<LiteFlag>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LiteSource {
    pub path: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LiteMeta {
    pub agency: Option<String>,
    pub agency_key: Option<String>,
    pub year: Option<i64>,
    pub template: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LiteFlag {
    pub severity: Option<String>,
}

/// Call `report` for every report of `inputs`, in order, and `problem` with
/// a line naming the file (and line) of whatever cannot be read.
/// `-` is JSON Lines on stdin; a folder is walked for `.json` files (one
/// report each); a `.json` file is one report; any other file is JSON Lines.
pub fn read(inputs: &[PathBuf], report: &mut dyn FnMut(Lite), problem: &mut dyn FnMut(String)) {
    for input in inputs {
        if input.as_os_str() == "-" {
            lines(std::io::stdin().lock(), "-", report, problem);
        } else if input.is_dir() {
            let only = [input.clone()];
            for e in entries(&only, &Filter::new(&["json"])) {
                match e.problem {
                    Some(why) => problem(format!("{}: {why}", e.path.display())),
                    None => whole(&e.path, report, problem),
                }
            }
        } else if input.extension().is_some_and(|e| e == "json") {
            whole(input, report, problem);
        } else {
            match File::open(input) {
                Ok(f) => lines(
                    BufReader::with_capacity(1 << 16, f),
                    &input.display().to_string(),
                    report,
                    problem,
                ),
                Err(e) => problem(format!("{}: cannot read: {e}", input.display())),
            }
        }
    }
}

fn whole(path: &Path, report: &mut dyn FnMut(Lite), problem: &mut dyn FnMut(String)) {
    let parsed = File::open(path)
        .map_err(|e| format!("cannot read: {e}"))
        .and_then(|f| {
            serde_json::from_reader::<_, Lite>(BufReader::new(f))
                .map_err(|e| format!("not a report's JSON: {e}"))
        });
    match parsed {
        Ok(r) => report(r),
        Err(why) => problem(format!("{}: {why}", path.display())),
    }
}

/// One report per line; blank lines are skipped. The line buffer is reused,
/// and a line that is not UTF-8 is one bad line, not the end of the file.
fn lines(
    mut input: impl BufRead,
    name: &str,
    report: &mut dyn FnMut(Lite),
    problem: &mut dyn FnMut(String),
) {
    let mut line = Vec::new();
    for n in 1.. {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) if line.iter().all(u8::is_ascii_whitespace) => {}
            Ok(_) => match serde_json::from_slice::<Lite>(&line) {
                Ok(r) => report(r),
                Err(e) => problem(format!("{name}:{n}: not a report's JSON: {e}")),
            },
            Err(e) => {
                problem(format!("{name}:{n}: cannot read: {e}"));
                break;
            }
        }
    }
}
