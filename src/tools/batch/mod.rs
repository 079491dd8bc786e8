//! Many reports at once: walk the inputs, parse them on a pool of threads,
//! and hand every outcome to the outputs in input order, so two runs diff
//! clean whatever the thread timing. At most a window of outcomes is held,
//! whatever the number of files.

pub mod progress;
pub mod sink;
pub mod summary;
pub mod walk;

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::flags::Code;
use crate::ordered::Ordered;
use crate::report::Report;
use crate::review::Site;
use progress::Progress;
use sink::{Csv, CsvRows, Jsonl};
use summary::{Listed, Summary, Tally};
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
    /// Each JSON (`out`, `jsonl`) with its `provenance`.
    pub provenance: bool,
    /// With `out`: leave a report alone when its JSON is newer than the
    /// source and records the source's SHA-256.
    pub skip_unchanged: bool,
    pub filter: Filter,
    /// No progress display and no summary on stderr (error lines stay).
    pub quiet: bool,
    /// The summary as JSON, written at the end (its folder is checked at
    /// the start, like every output's).
    pub summary: Option<PathBuf>,
    /// Set from outside (SIGINT, SIGTERM) to stop taking files: those in
    /// flight are finished and every output is completed.
    pub stop: Arc<AtomicBool>,
}

/// More threads than this many per core only cost memory: the work is
/// parsing, not waiting.
pub const JOBS_PER_CORE: usize = 4;

impl Options {
    /// Worker threads: `jobs`, or one per core when 0, at most
    /// [`JOBS_PER_CORE`] per core; the flag says the request was cut.
    pub fn threads(&self) -> (usize, bool) {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        match self.jobs {
            0 => (cores, false),
            n if n > cores * JOBS_PER_CORE => (cores * JOBS_PER_CORE, true),
            n => (n, false),
        }
    }
}

/// What became of one input.
#[derive(Debug)]
pub enum Status {
    Parsed(Digest),
    /// `skip_unchanged` found its JSON up to date.
    Skipped,
    /// Read, but empty or binary: no report in it.
    NoText(String),
    /// A FIFO, socket or device in a walked folder: not opened.
    Special(&'static str),
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
    /// `CODE: message` of the first error flag, for the summary's list of
    /// malformed files.
    pub first_error: Option<String>,
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
/// start (an output that cannot be created or is also an input, no
/// threads); problems with single files are counted in the summary and
/// printed as one line each.
pub fn run(inputs: &[PathBuf], opts: &Options) -> Result<Summary, Error> {
    let started = Instant::now();
    let (jobs, _) = opts.threads();
    let mut outputs = Outputs::open(inputs, opts)?;
    let mut progress = Progress::start(inputs, &opts.filter, opts.quiet);
    let worker = Arc::new(Worker {
        out: opts.out.clone(),
        jsonl: outputs.jsonl.is_some(),
        csv: outputs.csv.is_some(),
        skip_unchanged: opts.skip_unchanged && opts.out.is_some(),
        stop: Arc::clone(&opts.stop),
        review: outputs.review.as_ref().map(Site::pages),
        provenance: opts.provenance,
    });
    let mut tally = Tally::default();
    let mut emit = |o: Result<Outcome, String>| {
        let o = match o {
            Ok(o) => o,
            // A panic outside the parse (which is caught per file): a bug
            // that keeps the batch from accounting for one file.
            Err(why) => {
                tally.sink_error(format!("a worker failed: {why}"));
                return false;
            }
        };
        for line in o.problems() {
            progress.println(&line);
        }
        outputs.write(&o, &mut tally);
        progress.done(o.bytes);
        tally.add(&o);
        // The reader of stdout went away (`| head`): nothing more is wanted.
        outputs.jsonl.as_ref().is_some_and(Jsonl::closed)
    };

    let mut todo = walk::entries(inputs, &opts.filter);
    let (sent, closed) = in_order(&mut todo, jobs, &worker, opts.out.is_some(), &mut emit)?;
    let interrupted = opts.stop.load(Ordering::Relaxed) && !closed;
    let listed = if interrupted {
        Some(count_rest(todo, inputs, sent))
    } else {
        None
    };
    let summary = outputs.finish(opts, &mut tally);
    progress.finish();
    let mut s = tally.finish(started.elapsed(), jobs);
    s.interrupted = listed;
    if let Some((file, path)) = summary {
        write_summary(&s, file).map_err(|io| Error::Write { path, io })?;
    }
    Ok(s)
}

/// Parse the entries on `jobs` threads ([`crate::ordered`]) and give the
/// outcomes to `emit` in input order. Stops taking entries when the
/// worker's stop flag is set or `emit` says the reader is gone (then the
/// queued ones are given up). Returns how many entries were taken and
/// whether the reader went away.
fn in_order(
    todo: &mut impl Iterator<Item = Entry>,
    jobs: usize,
    worker: &Arc<Worker>,
    mirrored: bool,
    emit: &mut impl FnMut(Result<Outcome, String>) -> bool,
) -> Result<(usize, bool), Error> {
    let stop = Arc::clone(&worker.stop);
    let mut written: HashSet<PathBuf> = HashSet::new();
    let entries = std::iter::from_fn(|| {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        let entry = todo.next()?;
        // Two inputs mirrored onto one output (`a/x.html` given twice):
        // the second is parsed but not written over the first.
        let claim = !mirrored || written.insert(entry.rel.clone());
        Some((entry, claim))
    });
    let w = Arc::clone(worker);
    let outcomes = Ordered::new(entries, jobs, move |(entry, claim)| w.process(entry, claim))?;
    let (mut sent, mut closed) = (0usize, false);
    for out in outcomes {
        sent += 1;
        // `None`: a file given up unread after a stop.
        let Some(out) = out.transpose() else { continue };
        closed |= emit(out);
        if closed {
            // Let the workers give up what is queued.
            worker.stop.store(true, Ordering::Relaxed);
        }
    }
    Ok((sent, closed))
}

fn write_summary(s: &Summary, mut file: crate::atomic::AtomicFile) -> std::io::Result<()> {
    let mut json = serde_json::to_vec_pretty(s).map_err(std::io::Error::other)?;
    json.push(b'\n');
    std::io::Write::write_all(&mut file, &json)?;
    file.commit()
}

/// How many files the inputs hold in all, for "interrupted after N of M":
/// the rest of the walk is counted for at most two seconds, and never read
/// from stdin (a list still being written would make it wait). `exact` is
/// false when the count stopped early.
fn count_rest(todo: impl Iterator<Item = Entry>, inputs: &[PathBuf], sent: usize) -> Listed {
    if inputs.iter().any(|p| p.as_os_str() == "-") {
        return Listed {
            files: sent as u64,
            exact: false,
        };
    }
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut files = sent as u64;
    for _ in todo {
        files += 1;
        if Instant::now() > deadline {
            return Listed {
                files,
                exact: false,
            };
        }
    }
    Listed { files, exact: true }
}

/// The outputs of one batch, every one opened (and its folder made) before
/// the first file is parsed, so a bad path fails at once.
struct Outputs {
    jsonl: Option<Jsonl>,
    csv: Option<Csv>,
    review: Option<Site>,
    summary: Option<(crate::atomic::AtomicFile, PathBuf)>,
}

impl Outputs {
    /// One outcome to every output asked for, in input order; a write that
    /// fails is counted and the batch goes on.
    fn write(&mut self, o: &Outcome, tally: &mut Tally) {
        if let (Some(j), Some(line)) = (self.jsonl.as_mut(), &o.jsonl)
            && let Err(e) = j.write(line)
        {
            tally.sink_error(format!("{}: {e}", j.name()));
        }
        if let (Some(c), Some(rows)) = (self.csv.as_mut(), &o.csv)
            && let Err(e) = c.write(rows)
        {
            tally.sink_error(format!("{}: {e}", c.name()));
        }
        if let (Some(site), Some(page)) = (self.review.as_mut(), &o.review)
            && let Err(e) = site.add(page)
        {
            tally.sink_error(e);
        }
    }

    /// Close the outputs written as the batch went (a failure is counted);
    /// the summary's file is left for the summary.
    fn finish(
        self,
        opts: &Options,
        tally: &mut Tally,
    ) -> Option<(crate::atomic::AtomicFile, PathBuf)> {
        if let Some(j) = self.jsonl
            && let Err(e) = j.finish()
        {
            tally.sink_error(format!(
                "{}: {e}",
                opts.jsonl.as_deref().unwrap_or(Path::new("-")).display()
            ));
        }
        if let Some(c) = self.csv
            && let Err(e) = c.finish()
        {
            tally.sink_error(format!("csv: {e}"));
        }
        if let Some(site) = self.review
            && let Err(e) = site.finish()
        {
            tally.sink_error(e);
        }
        self.summary
    }

    fn open(inputs: &[PathBuf], opts: &Options) -> Result<Outputs, Error> {
        if opts.csv.as_deref() == Some(Path::new("-")) {
            return Err(Error::Usage(
                "--csv takes a folder (three files are written); it cannot be `-`".into(),
            ));
        }
        let csv = opts
            .csv
            .iter()
            .flat_map(|d| sink::Csv::NAMES.map(|n| d.join(n)));
        // The site's pages are read as inputs where its index would be.
        let site = opts.review.as_ref().map(|d| d.join("index.html"));
        let files = [opts.jsonl.clone(), opts.summary.clone(), site];
        for out in files.into_iter().flatten().chain(csv) {
            if let Some(input) = inputs.iter().find(|i| crate::atomic::same_file(i, &out)) {
                return Err(Error::Usage(format!(
                    "{}: the output is also an input; refusing to write over it",
                    crate::input::shown(input)
                )));
            }
            if let Some(dir) = walk::walked_by(&out, inputs, &opts.filter) {
                return Err(Error::Usage(format!(
                    "{}: the output would be read as an input of {}; write it elsewhere",
                    crate::input::shown(&out),
                    crate::input::shown(dir)
                )));
            }
        }
        let fail = |path: &Path| {
            let path = path.to_path_buf();
            move |io| Error::Write { path, io }
        };
        if let Some(dir) = &opts.out {
            std::fs::create_dir_all(dir).map_err(fail(dir))?;
            crate::atomic::remove_stale_tree(dir);
        }
        let summary = match &opts.summary {
            Some(p) => Some((
                crate::atomic::AtomicFile::create(p).map_err(fail(p))?,
                p.clone(),
            )),
            None => None,
        };
        Ok(Outputs {
            jsonl: opts.jsonl.as_deref().map(Jsonl::open).transpose()?,
            csv: opts.csv.as_deref().map(Csv::open).transpose()?,
            review: opts.review.as_deref().map(Site::open).transpose()?,
            summary,
        })
    }
}

impl Outcome {
    /// The error lines this outcome deserves, each naming the file.
    fn problems(&self) -> Vec<String> {
        let path = self.entry.shown();
        let mut lines = Vec::new();
        match &self.status {
            Status::NoText(why) | Status::Unreadable(why) => {
                lines.push(format!("gongkai: {path}: {why}"));
            }
            Status::Special(what) => {
                lines.push(format!("gongkai: {path}: {what}, not read"));
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
    stop: Arc<AtomicBool>,
    review: Option<crate::review::Pages>,
    /// The JSON carries the provenance.
    provenance: bool,
}

impl Worker {
    /// `None`: the batch is stopping and this file was not started.
    fn process(&self, entry: Entry, claim: bool) -> Option<Outcome> {
        if self.stop.load(Ordering::Relaxed) {
            return None;
        }
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
        } else if let Some(what) = outcome.entry.special {
            outcome.status = Status::Special(what);
        } else {
            match crate::input::Input::read(&outcome.entry.path) {
                Err(e) => outcome.status = Status::Unreadable(e.reason()),
                Ok(input) => {
                    outcome.bytes = input.size;
                    // A panic is a bug in gongkai, but it is this file's bug:
                    // report it and let the batch go on.
                    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| {
                        self.convert(&input, claim, &mut outcome)
                    })) {
                        outcome.status = Status::Crashed(panic_message(payload.as_ref()));
                        outcome.jsonl = None;
                    }
                }
            }
        }
        if self.csv && outcome.csv.is_none() {
            outcome.csv = Some(CsvRows::new(&outcome, None, None));
        }
        Some(outcome)
    }

    fn convert(&self, input: &crate::input::Input, claim: bool, outcome: &mut Outcome) {
        let bytes = input.bytes.as_slice();
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
        // The CSV's `line` and `source` need the provenance even when the
        // JSON goes without; the pages, the text and the typed places.
        let opts = crate::Options {
            provenance: self.provenance || self.csv,
            text: self.review.is_some(),
        };
        let mut report = match crate::parse_input_with(input, path, opts) {
            Ok(r) => r,
            Err(e) => {
                outcome.status = Status::NoText(e.reason());
                return;
            }
        };
        let kept = if self.provenance {
            None
        } else {
            report.provenance.take()
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
            let provenance = report.provenance.as_ref().or(kept.as_ref());
            outcome.csv = Some(CsvRows::new(outcome, Some(&report), provenance));
        }
        if let Some(pages) = &self.review {
            let p = crate::review::Provenance::of(&report);
            outcome.review = Some(pages.write(path, &report, p.as_ref()));
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
            first_error: r
                .flags
                .iter()
                .find(|f| f.severity == crate::flags::Severity::Error)
                .map(|f| format!("{}: {}", f.code.as_str(), f.message)),
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
    let mut json = crate::pretty::to_vec(report).map_err(|e| e.to_string())?;
    json.push(b'\n');
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", crate::input::shown(dir)))?;
    }
    crate::atomic::write(target, &json).map_err(|e| format!("{}: {e}", crate::input::shown(target)))
}

/// The JSON is newer than the source, was made from these very bytes, and
/// by this version of gongkai (another may read the same bytes otherwise).
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
    recorded(&head, "sha256").is_some_and(|h| h == hex)
        && recorded(&head, "tool") == Some(crate::report::TOOL)
}

fn read_head(path: &Path, n: usize) -> std::io::Result<String> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(n);
    std::fs::File::open(path)?
        .take(n as u64)
        .read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// A string field of `source` near the top of a JSON this tool wrote (its
/// values hold no quote or backslash: a hash, `gongkai 0.1.0`).
fn recorded<'a>(head: &'a str, key: &str) -> Option<&'a str> {
    let quoted = format!("\"{key}\"");
    let after = head.get(head.find(&quoted)? + quoted.len()..)?;
    let after = after.trim_start().strip_prefix(':')?.trim_start();
    let value = after.strip_prefix('"')?;
    value.get(..value.find('"')?)
}

/// The text of a caught panic (its payload is a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
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
    fn finds_the_recorded_fields_in_pretty_and_compact_json() {
        let h = "a".repeat(64);
        assert_eq!(
            recorded(&format!("{{\"sha256\": \"{h}\","), "sha256"),
            Some(h.as_str())
        );
        assert_eq!(
            recorded(
                &format!("{{\"sha256\":\"{h}\",\"tool\":\"gongkai 9\"}}"),
                "tool"
            ),
            Some("gongkai 9")
        );
        assert_eq!(recorded("{\"sha256\":\"ab", "sha256"), None);
    }

    #[test]
    fn output_keeps_the_source_extension() {
        assert_eq!(
            json_path(Path::new("out"), Path::new("a/b.html")),
            PathBuf::from("out/a/b.html.json")
        );
    }
}
