//! Many reports at once: walk the inputs, parse them on a pool of threads,
//! and hand every outcome to the outputs in input order, so two runs diff
//! clean whatever the thread timing. At most a window of outcomes is held,
//! whatever the number of files.

pub mod progress;
pub mod sink;
pub mod summary;
pub mod walk;

use std::collections::{BTreeMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use crate::error::Error;
use crate::flags::Code;
use crate::report::Report;
use crate::review::Site;
use progress::Progress;
use sink::{Csv, CsvRows, Jsonl};
use summary::{Summary, Tally};
pub use walk::{Entry, Filter};

/// What a batch writes and how it runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// One pretty `.json` per report, mirroring the input tree.
    pub out: Option<PathBuf>,
    /// One compact report per line, in input order (`-` is stdout).
    pub jsonl: Option<PathBuf>,
    /// `reports.csv`, `cells.csv`, `flags.csv` in this folder.
    pub csv: Option<PathBuf>,
    /// The review site ([`crate::review`]) in this folder.
    pub review: Option<PathBuf>,
    /// With `out`: leave a report alone when its JSON is newer than the
    /// source and records the source's SHA-256.
    pub skip_unchanged: bool,
    pub filter: Filter,
    /// No progress display and no summary on stderr (error lines stay).
    pub quiet: bool,
}

/// What became of one input.
#[derive(Debug)]
pub enum Status {
    Parsed(Digest),
    /// `skip_unchanged` found its JSON up to date.
    Skipped,
    /// Read, but empty or binary: no report in it.
    NoText(String),
    Unreadable(String),
    /// The parser panicked on it (a bug); the batch went on.
    Crashed(String),
}

/// The little of a parsed report the summary needs.
#[derive(Debug)]
pub struct Digest {
    pub template: &'static str,
    pub year: Option<i32>,
    pub malformed: bool,
    pub not_report: bool,
    pub codes: Vec<Code>,
}

#[derive(Debug)]
pub struct Outcome {
    pub entry: Entry,
    pub bytes: u64,
    pub status: Status,
    /// Its `--out` JSON could not be written.
    pub write_error: Option<String>,
    pub jsonl: Option<String>,
    pub csv: Option<CsvRows>,
    /// Its review page was written (or could not be).
    pub review: Option<Result<crate::review::Entry, String>>,
}

/// Parse every input and write the outputs. `Err` only when the batch cannot
/// start (an output that cannot be created, no threads); problems with single
/// files are counted in the summary and printed as one line each.
pub fn run(inputs: &[PathBuf], opts: &Options) -> Result<Summary, Error> {
    let started = Instant::now();
    let jobs = if opts.jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.jobs
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("gongkai-{i}"))
        .build()
        .map_err(|e| Error::Threads(e.to_string()))?;
    if let Some(dir) = &opts.out {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
    }
    let mut jsonl = opts.jsonl.as_deref().map(Jsonl::open).transpose()?;
    let mut csv = opts.csv.as_deref().map(Csv::open).transpose()?;
    let mut review = opts.review.as_deref().map(Site::open).transpose()?;
    let mut progress = Progress::start(inputs, &opts.filter, opts.quiet);
    let worker = Arc::new(Worker {
        out: opts.out.clone(),
        jsonl: jsonl.is_some(),
        csv: csv.is_some(),
        skip_unchanged: opts.skip_unchanged && opts.out.is_some(),
        review: review.as_ref().map(Site::pages),
    });
    let mut own = review.as_ref().map(Site::own);
    let mut tally = Tally::default();
    let mut emit = |o: Outcome| {
        for line in o.problems() {
            progress.println(&line);
        }
        if let (Some(j), Some(line)) = (jsonl.as_mut(), &o.jsonl)
            && let Err(e) = j.write(line)
        {
            tally.sink_error(format!("{}: {e}", j.name()));
        }
        if let (Some(c), Some(rows)) = (csv.as_mut(), &o.csv)
            && let Err(e) = c.write(rows)
        {
            tally.sink_error(format!("{}: {e}", c.name()));
        }
        if let (Some(site), Some(page)) = (review.as_mut(), &o.review)
            && let Err(e) = site.add(page)
        {
            tally.sink_error(e);
        }
        progress.done(o.bytes);
        tally.add(&o);
    };

    // Outcomes arrive in any order; `waiting` holds those ahead of `next`.
    let window = jobs * 16;
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    let mut waiting: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut written: HashSet<PathBuf> = HashSet::new();
    let (mut sent, mut next) = (0usize, 0usize);
    let mut todo = walk::entries(inputs, &opts.filter);
    loop {
        while sent - next < window {
            let Some(entry) = todo.next() else { break };
            if own.as_mut().is_some_and(|o| o.holds(&entry.path)) {
                continue;
            }
            // Two inputs mirrored onto one output (`a/x.html` given twice):
            // the second is parsed but not written over the first.
            let claim = opts.out.is_none() || written.insert(entry.rel.clone());
            let (tx, worker, i) = (tx.clone(), Arc::clone(&worker), sent);
            pool.spawn(move || {
                let _ = tx.send((i, worker.process(entry, claim)));
            });
            sent += 1;
        }
        if next == sent {
            break;
        }
        let Ok((i, o)) = rx.recv() else { break };
        waiting.insert(i, o);
        while let Some(o) = waiting.remove(&next) {
            emit(o);
            next += 1;
        }
    }
    if let Some(j) = jsonl
        && let Err(e) = j.finish()
    {
        tally.sink_error(format!(
            "{}: {e}",
            opts.jsonl.as_deref().unwrap_or(Path::new("-")).display()
        ));
    }
    if let Some(c) = csv
        && let Err(e) = c.finish()
    {
        tally.sink_error(format!("csv: {e}"));
    }
    if let Some(site) = review
        && let Err(e) = site.finish()
    {
        tally.sink_error(e);
    }
    progress.finish();
    Ok(tally.finish(started.elapsed(), jobs))
}

impl Outcome {
    /// The error lines this outcome deserves, each naming the file.
    fn problems(&self) -> Vec<String> {
        let path = self.entry.path.display();
        let mut lines = Vec::new();
        match &self.status {
            Status::NoText(why) | Status::Unreadable(why) => {
                lines.push(format!("gongkai: {path}: {why}"));
            }
            Status::Crashed(why) => {
                lines.push(format!(
                    "gongkai: {path}: parser crashed (please report): {why}"
                ));
            }
            Status::Parsed(_) | Status::Skipped => {}
        }
        if let Some(why) = &self.write_error {
            lines.push(format!("gongkai: {path}: output not written: {why}"));
        }
        lines
    }
}

/// What every worker thread shares.
struct Worker {
    out: Option<PathBuf>,
    jsonl: bool,
    csv: bool,
    skip_unchanged: bool,
    review: Option<crate::review::Pages>,
}

impl Worker {
    fn process(&self, entry: Entry, claim: bool) -> Outcome {
        let mut outcome = Outcome {
            bytes: 0,
            status: Status::Skipped,
            write_error: None,
            jsonl: None,
            csv: None,
            review: None,
            entry,
        };
        if let Some(why) = &outcome.entry.problem {
            outcome.status = Status::Unreadable(why.clone());
        } else {
            match std::fs::read(&outcome.entry.path) {
                Err(e) => outcome.status = Status::Unreadable(e.to_string()),
                Ok(bytes) => {
                    outcome.bytes = bytes.len() as u64;
                    // A panic is a bug in gongkai, but it is this file's bug:
                    // report it and let the batch go on.
                    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| {
                        self.convert(&bytes, claim, &mut outcome)
                    })) {
                        outcome.status = Status::Crashed(panic_message(payload.as_ref()));
                        outcome.jsonl = None;
                    }
                }
            }
        }
        if self.csv && outcome.csv.is_none() {
            outcome.csv = Some(CsvRows::new(&outcome, None));
        }
        outcome
    }

    fn convert(&self, bytes: &[u8], claim: bool, outcome: &mut Outcome) {
        let path = &outcome.entry.path;
        failpoint(path);
        let target = self
            .out
            .as_ref()
            .map(|dir| json_path(dir, &outcome.entry.rel));
        if self.skip_unchanged
            && let Some(t) = &target
            && up_to_date(path, t, bytes)
        {
            outcome.status = Status::Skipped;
            return;
        }
        let report = match crate::parse_named(bytes, path) {
            Ok(r) => r,
            Err(e) => {
                outcome.status = Status::NoText(e.reason());
                return;
            }
        };
        if let Some(t) = target {
            outcome.write_error = if claim {
                write_json(&t, &report).err()
            } else {
                Some(format!(
                    "{} was already written for an earlier input",
                    t.display()
                ))
            };
        }
        if self.jsonl {
            outcome.jsonl = serde_json::to_string(&report).ok();
        }
        if self.csv {
            outcome.csv = Some(CsvRows::new(outcome, Some(&report)));
        }
        if let Some(pages) = &self.review {
            outcome.review = Some(pages.write(path, &report, None));
        }
        outcome.status = Status::Parsed(Digest::of(&report));
    }
}

impl Digest {
    fn of(r: &Report) -> Digest {
        Digest {
            template: r.meta.template,
            year: r.meta.year,
            malformed: r.malformed(),
            not_report: r.flags.iter().any(|f| f.code == Code::NOT_A_REPORT),
            codes: r.flags.iter().map(|f| f.code).collect(),
        }
    }
}

/// `OUT/<rel>.json`; the source extension stays so `a.html` and `a.txt`
/// side by side do not collide.
fn json_path(out: &Path, rel: &Path) -> PathBuf {
    let mut name = out.join(rel).into_os_string();
    name.push(".json");
    PathBuf::from(name)
}

fn write_json(target: &Path, report: &Report) -> Result<(), String> {
    let mut json = serde_json::to_vec_pretty(report).map_err(|e| e.to_string())?;
    json.push(b'\n');
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    crate::atomic::write(target, &json).map_err(|e| format!("{}: {e}", target.display()))
}

/// The JSON is newer than the source and was made from these very bytes.
fn up_to_date(source: &Path, json: &Path, bytes: &[u8]) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let (Some(src), Some(out)) = (modified(source), modified(json)) else {
        return false;
    };
    if out < src {
        return false;
    }
    let Ok(head) = read_head(json, 4096) else {
        return false;
    };
    let hex = crate::report::sha256_hex(bytes);
    recorded_sha256(&head).is_some_and(|h| h == hex)
}

fn read_head(path: &Path, n: usize) -> std::io::Result<String> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(n);
    std::fs::File::open(path)?
        .take(n as u64)
        .read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// The `source.sha256` near the top of a JSON this tool wrote.
fn recorded_sha256(head: &str) -> Option<&str> {
    let after = &head[head.find("\"sha256\"")? + 8..];
    let start = after.find('"')? + 1;
    after.get(start..start + 64)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic without a message".to_string())
}

/// Test hook: `GONGKAI_FAILPOINT_PANIC=<file name>` makes the parse of that
/// file panic, so the tests can show one crash does not stop a batch.
fn failpoint(path: &Path) {
    static NAME: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let name = NAME.get_or_init(|| std::env::var("GONGKAI_FAILPOINT_PANIC").ok());
    if let Some(name) = name
        && path
            .file_name()
            .is_some_and(|f| f.to_string_lossy() == *name)
    {
        panic!("failpoint GONGKAI_FAILPOINT_PANIC={name}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_recorded_hash_in_pretty_and_compact_json() {
        let h = "a".repeat(64);
        assert_eq!(
            recorded_sha256(&format!("{{\"sha256\": \"{h}\",")),
            Some(h.as_str())
        );
        assert_eq!(
            recorded_sha256(&format!("{{\"sha256\":\"{h}\"")),
            Some(h.as_str())
        );
        assert_eq!(recorded_sha256("{\"sha256\":\"ab\""), None);
    }

    #[test]
    fn output_keeps_the_source_extension() {
        assert_eq!(
            json_path(Path::new("out"), Path::new("a/b.html")),
            PathBuf::from("out/a/b.html.json")
        );
    }
}
