//! What `gongkai batch` wrote, read back one report at a time: JSON Lines
//! from a file or stdin, or the `.json` files of an `--out` folder. Each
//! report is deserialised into the few fields series needs; the sections'
//! text and the flags' messages are skipped by the parser, never held. A
//! second pass reads again only the reports whose every cell is needed.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::batch::walk::{Filter, entries};
use crate::input::shown;

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

/// Where a report was read, so that it can be read again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Line `line` (from 1) of the `input`-th input, a JSON Lines file.
    Line { input: usize, line: u64 },
    /// A `.json` file of one report.
    File(PathBuf),
    /// Standard input (or memory): read once, so what is needed of it is
    /// held from the start.
    Once,
}

type Report<'a> = &'a mut dyn FnMut(Lite, Origin);
type Problem<'a> = &'a mut dyn FnMut(String);

/// Call `report` for every report of `inputs`, in order, and `problem` with
/// a line naming the file (and line) of whatever cannot be read.
/// `-` is JSON Lines on stdin; a folder is walked for `.json` files (one
/// report each); a `.json` file is one report; any other file is JSON Lines.
pub fn read(inputs: &[PathBuf], report: Report, problem: Problem) {
    for (i, input) in inputs.iter().enumerate() {
        if input.as_os_str() == "-" {
            let once = &mut |r, _| report(r, Origin::Once);
            lines(std::io::stdin().lock(), "-", i, &|_| true, once, problem);
        } else if input.is_dir() {
            let only = [input.clone()];
            for e in entries(&only, &Filter::new(&["json"])) {
                match e.problem {
                    Some(why) => problem(format!("{}: {why}", shown(&e.path))),
                    None => whole(&e.path, report, problem),
                }
            }
        } else if input.extension().is_some_and(|e| e == "json") {
            whole(input, report, problem);
        } else {
            jsonl(input, i, &|_| true, report, problem);
        }
    }
}

/// Read again the reports `wanted` names (the second pass, for the cells
/// of duplicates): only their lines are parsed, only their files opened.
pub fn reread(inputs: &[PathBuf], wanted: &HashSet<Origin>, report: Report, problem: Problem) {
    for (i, input) in inputs.iter().enumerate() {
        let want = |line: u64| wanted.contains(&Origin::Line { input: i, line });
        if wanted
            .iter()
            .any(|o| matches!(o, Origin::Line { input, .. } if *input == i))
        {
            jsonl(input, i, &want, report, problem);
        }
    }
    for o in wanted {
        if let Origin::File(path) = o {
            whole(path, report, problem);
        }
    }
}

fn jsonl(path: &Path, i: usize, want: &dyn Fn(u64) -> bool, report: Report, problem: Problem) {
    match File::open(path) {
        Ok(f) => {
            let name = shown(path);
            lines(
                BufReader::with_capacity(1 << 16, f),
                &name,
                i,
                want,
                report,
                problem,
            );
        }
        Err(e) => problem(format!("{}: cannot read: {e}", shown(path))),
    }
}

fn whole(path: &Path, report: Report, problem: Problem) {
    let parsed = File::open(path)
        .map_err(|e| format!("cannot read: {e}"))
        .and_then(|f| {
            serde_json::from_reader::<_, Lite>(BufReader::new(f))
                .map_err(|e| format!("not a report's JSON: {e}"))
        });
    match parsed {
        Ok(r) => report(r, Origin::File(path.to_path_buf())),
        Err(why) => problem(format!("{}: {why}", shown(path))),
    }
}

/// One report per line, of the lines `want` accepts; blank lines are
/// skipped. The line buffer is reused, and a line that is not UTF-8 is one
/// bad line, not the end of the file.
fn lines(
    mut input: impl BufRead,
    name: &str,
    i: usize,
    want: &dyn Fn(u64) -> bool,
    report: Report,
    problem: Problem,
) {
    let mut buf = Vec::new();
    for line in 1.. {
        buf.clear();
        match input.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) if !want(line) || buf.iter().all(u8::is_ascii_whitespace) => {}
            Ok(_) => match serde_json::from_slice::<Lite>(&buf) {
                Ok(r) => report(r, Origin::Line { input: i, line }),
                Err(e) => problem(format!("{name}:{line}: not a report's JSON: {e}")),
            },
            Err(e) => {
                problem(format!("{name}:{line}: cannot read: {e}"));
                break;
            }
        }
    }
}
