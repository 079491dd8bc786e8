//! Issue 10, "nothing lost, nothing hung": the real binary under faults a
//! user meets with real archives and machines. Every run has a hang guard
//! (generous: it is not a benchmark).

mod common;

use common::bin;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

use gongkai::synth::{Encoding, Format, HtmlStyle, TextStyle};
use gongkai::template::TemplateId::{Y2019, Y2021};
use serde_json::Value;

/// Wait for `child`, killing it after `secs`; output through files (a pipe
/// nobody reads would stall the child).
fn finish(mut child: Child, secs: u64, what: &str) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Run `cmd` with stdout and stderr to files under `dir`, guarded.
fn run(cmd: &mut Command, dir: &Path, secs: u64) -> Output {
    let (out, err) = (dir.join("stdout.txt"), dir.join("stderr.txt"));
    let child = cmd
        .stdout(std::fs::File::create(&out).expect("stdout"))
        .stderr(std::fs::File::create(&err).expect("stderr"))
        .spawn()
        .expect("spawn");
    let status = finish(child, secs, &format!("{cmd:?}"));
    Output {
        status,
        stdout: std::fs::read(&out).expect("stdout file"),
        stderr: std::fs::read(&err).expect("stderr file"),
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn report() -> Vec<u8> {
    common::synthetic(Y2021, Format::Text(TextStyle::Rows), Encoding::Utf8, &[])
}

fn jsonl(bytes: &[u8]) -> Vec<Value> {
    text(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON per line"))
        .collect()
}

/// `n` reports (hard links to one file) in `dir`.
fn many(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let first = dir.join("r00000.txt");
    std::fs::write(&first, report()).expect("write");
    for i in 1..n {
        std::fs::hard_link(&first, dir.join(format!("r{i:05}.txt"))).expect("link");
    }
}

/// Every file below `dir`, hidden ones too.
fn files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

#[cfg(unix)]
fn os(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// Item 1: GBK file names (not UTF-8) through the walk and the stdin list,
/// all processed, their paths kept; a line that is no path is reported and
/// the list goes on.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_read_and_kept() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("in");
    std::fs::create_dir_all(&root).expect("mkdir");
    // 报告.txt and 年报.txt in GBK.
    let names: [&[u8]; 3] = [b"\xb1\xa8\xb8\xe6.txt", b"a.txt", b"\xc4\xea\xb1\xa8.txt"];
    for n in names {
        std::fs::write(root.join(os(n)), report()).expect("write");
    }
    let o = run(bin().arg("batch").arg(&root).arg("-q"), tmp.path(), 60);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let lines = jsonl(&o.stdout);
    assert_eq!(lines.len(), 3);
    let hex: Vec<&str> = lines
        .iter()
        .filter_map(|v| v["source"]["path_bytes"].as_str())
        .collect();
    assert_eq!(hex.len(), 2, "{lines:?}");
    for h in hex {
        let raw: Vec<u8> = (0..h.len() / 2)
            .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).expect("hex"))
            .collect();
        assert!(os(&raw).exists(), "path_bytes gives the file back: {h}");
    }
    assert!(lines.iter().any(|v| {
        v["source"]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("\\xb1\\xa8\\xb8\\xe6.txt"))
    }));

    // The same names on stdin, with a line that cannot be a path between.
    let mut list = Vec::new();
    for (i, n) in names.iter().enumerate() {
        list.extend_from_slice(root.as_os_str().as_encoded_bytes());
        list.push(b'/');
        list.extend_from_slice(n);
        list.extend_from_slice(if i == 0 { b"\r\n" } else { b"\n" });
        if i == 0 {
            list.extend_from_slice(b"bad\0line\n");
        }
    }
    let list_file = tmp.path().join("list.txt");
    std::fs::write(&list_file, &list).expect("list");
    let o = run(
        bin()
            .args(["batch", "-", "--summary"])
            .arg(tmp.path().join("s.json"))
            .stdin(std::fs::File::open(&list_file).expect("list")),
        tmp.path(),
        60,
    );
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(jsonl(&o.stdout).len(), 3, "{err}");
    assert!(err.contains("line 2 of the list is no path"), "{err}");
    let s: Value = serde_json::from_slice(&std::fs::read(tmp.path().join("s.json")).expect("s"))
        .expect("summary");
    assert_eq!(
        (
            s["files"]["parsed"].as_u64(),
            s["files"]["unreadable"].as_u64()
        ),
        (Some(3), Some(1))
    );
}

/// Item 2: a FIFO in a walked folder is counted, never opened.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_walked_folder_does_not_hang_the_batch() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("in");
    many(&root, 3);
    let fifo = root.join("r00001-pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let o = run(
        bin()
            .arg("batch")
            .arg(&root)
            .arg("--summary")
            .arg(tmp.path().join("s.json")),
        tmp.path(),
        30,
    );
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(jsonl(&o.stdout).len(), 3);
    assert!(
        err.lines()
            .any(|l| l.contains("r00001-pipe.txt") && l.contains("FIFO")),
        "{err}"
    );
    let s: Value = serde_json::from_slice(&std::fs::read(tmp.path().join("s.json")).expect("s"))
        .expect("summary");
    assert_eq!(s["files"]["special"], 1);
    assert_eq!(s["files"]["seen"], 4);
}

/// Item 3: never more than the cap plus one byte per file, under a 300 MB
/// address-space limit: `/dev/zero` and a 2 GB sparse file.
#[cfg(target_os = "linux")]
#[test]
fn dev_zero_and_a_two_gigabyte_file_under_ulimit() {
    let tmp = tempfile::tempdir().expect("tmp");
    // A report (more than the 8 KB binary sniff) and then a hole of zeros.
    let big = tmp.path().join("big.txt");
    let one = report();
    let head: Vec<u8> = one.iter().copied().cycle().take(one.len() * 8).collect();
    std::fs::write(&big, head).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&big)
        .and_then(|f| f.set_len(2 << 30))
        .expect("sparse");
    let limited = |args: &str| {
        let mut c = Command::new("sh");
        // The binary's path goes in as `$0`.
        c.arg("-c")
            .arg(format!("ulimit -v 300000 && exec \"$0\" {args}"))
            .arg(env!("CARGO_BIN_EXE_gongkai"));
        c
    };
    let o = run(&mut limited("parse /dev/zero"), tmp.path(), 60);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/dev/zero") && err.contains("INPUT_TOO_LARGE"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let o = run(
        &mut limited(&format!("parse --compact {}", big.display())),
        tmp.path(),
        60,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["source"]["bytes"].as_u64(), Some(2 << 30));
    assert!(
        v["flags"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["code"] == "INPUT_TOO_LARGE"))
    );
    // A batch over both: the report with its hole, and a hole alone
    // (binary: said in one line). One worker, as 300 MB of address space
    // leave no room for a second thread's allocator arena.
    let hole = tmp.path().join("hole.txt");
    std::fs::File::create(&hole)
        .and_then(|f| f.set_len(2 << 30))
        .expect("sparse");
    let o = run(
        &mut limited(&format!(
            "batch -q --jobs 1 {} {} --jsonl {}",
            big.display(),
            hole.display(),
            tmp.path().join("o.jsonl").display()
        )),
        tmp.path(),
        60,
    );
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("hole.txt") && err.contains("INPUT_TOO_LARGE"),
        "{err}"
    );
    let lines = jsonl(&std::fs::read(tmp.path().join("o.jsonl")).expect("jsonl"));
    assert_eq!(lines.len(), 1);
}

/// The allocator's arena size is ours unless the user sets mimalloc's own
/// `MIMALLOC_ARENA_RESERVE`: then theirs is used. Read off mimalloc's
/// statistics (`MIMALLOC_SHOW_STATS`), printed at exit to stderr.
#[cfg(target_os = "linux")]
#[test]
fn the_users_arena_reserve_is_kept() {
    let tmp = tempfile::tempdir().expect("tmp");
    let reserved = |user: Option<&str>| -> f64 {
        let mut c = bin();
        c.arg("--version").env("MIMALLOC_SHOW_STATS", "1");
        match user {
            Some(v) => c.env("MIMALLOC_ARENA_RESERVE", v),
            None => c.env_remove("MIMALLOC_ARENA_RESERVE"),
        };
        let o = run(&mut c, tmp.path(), 60);
        let err = text(&o.stderr);
        assert!(o.status.success(), "{err}");
        let line = err
            .lines()
            .find(|l| l.trim_start().starts_with("reserved"))
            .unwrap_or_else(|| panic!("no reserved line in {err}"));
        let mut words = line.split_whitespace().skip_while(|w| *w != ":").skip(1);
        let (n, unit) = (words.next(), words.next());
        let n: f64 = n.and_then(|n| n.parse().ok()).expect(line);
        assert_eq!(unit, Some("MiB"), "{line}");
        n
    };
    let ours = reserved(None);
    assert!((32.0..64.0).contains(&ours), "{ours} MiB");
    let theirs = reserved(Some("256MiB"));
    assert!(theirs >= 256.0, "{theirs} MiB");
}

/// Item 4: SIGINT mid-batch: whole outputs of what was done, the line,
/// exit 130, no temporary file left.
#[cfg(unix)]
#[test]
fn sigint_mid_batch_completes_the_outputs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (root, out) = (tmp.path().join("in"), tmp.path().join("out"));
    let n = 3000;
    many(&root, n);
    let err_path = tmp.path().join("err.txt");
    let child = common::batch_all_outputs(&root, &out, "1")
        .stderr(std::fs::File::create(&err_path).expect("err"))
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while files(&out.join("json")).len() < 30 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let status = finish(child, 60, "interrupted batch");
    let err = std::fs::read_to_string(&err_path).expect("stderr");
    assert_eq!(status.code(), Some(130), "{err}");
    let lines = jsonl(&std::fs::read(out.join("all.jsonl")).expect("jsonl renamed into place"));
    let done = lines.len();
    assert!((30..n).contains(&done), "{done} of {n}");
    assert!(
        err.contains(&format!("interrupted after {done} of {n} files")),
        "{err}"
    );
    let s: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).expect("summary"))
            .expect("summary JSON");
    assert_eq!(s["files"]["seen"].as_u64(), Some(done as u64));
    let reports = std::fs::read_to_string(out.join("csv/reports.csv")).expect("reports.csv");
    assert_eq!(reports.lines().count(), done + 1);
    let all = files(&out);
    assert!(
        all.iter().all(|p| !p.to_string_lossy().ends_with(".tmp")),
        "temporary files left: {all:?}"
    );
    assert!(files(&out.join("json")).len() >= done);
}

/// Item 4: temporary files of dead runs beside the outputs are removed at
/// start; one of a live process stays.
#[cfg(target_os = "linux")]
#[test]
fn stale_temporary_files_are_removed_at_start() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (root, out) = (tmp.path().join("in"), tmp.path().join("out"));
    many(&root, 2);
    let mut gone = Command::new("true").spawn().expect("true");
    let dead = gone.id();
    gone.wait().expect("wait");
    let live = std::process::id();
    let stale = [
        out.join(format!(".all.jsonl.{dead}.0.tmp")),
        out.join(format!("csv/.cells.csv.{dead}.3.tmp")),
        out.join(format!("json/sub/.r.txt.json.{dead}.9.tmp")),
    ];
    let alive = out.join(format!(".all.jsonl.{live}.0.tmp"));
    for p in stale.iter().chain([&alive]) {
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, vec![b'x'; 1 << 20]).expect("stale");
    }
    let o = run(
        bin()
            .arg("batch")
            .arg(&root)
            .arg("-q")
            .arg("--jsonl")
            .arg(out.join("all.jsonl"))
            .arg("--csv")
            .arg(out.join("csv"))
            .arg("--out")
            .arg(out.join("json")),
        tmp.path(),
        60,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for p in &stale {
        assert!(!p.exists(), "{} left", p.display());
    }
    assert!(alive.exists(), "a live process's file was removed");
}

/// Item 4: `| head -1` stops the batch within a second or so, where the
/// whole batch would take far longer.
#[cfg(unix)]
#[test]
fn a_closed_stdout_stops_the_batch_promptly() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("in");
    many(&root, 20_000);
    let start = Instant::now();
    let o = run(
        Command::new("sh")
            .arg("-c")
            .arg(format!(
                "\"$0\" batch {} --jobs 2 | head -1",
                root.display()
            ))
            .arg(env!("CARGO_BIN_EXE_gongkai")),
        tmp.path(),
        120,
    );
    let took = start.elapsed();
    assert_eq!(text(&o.stdout).lines().count(), 1);
    let err = text(&o.stderr);
    assert!(
        !err.contains("Broken pipe") && !err.contains("gongkai:"),
        "{err}"
    );
    assert!(took < Duration::from_secs(3), "took {took:?}: {err}");
}

/// A command that must be refused: exit 2 with a line saying why (its
/// stderr, returned).
fn refused(cmd: &mut Command, dir: &Path) -> String {
    let o = run(cmd, dir, 60);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    err
}

/// Item 5: a huge `--jobs` is capped with a warning; a bad `--summary` path
/// fails before any file is parsed; `--csv -` is refused.
#[test]
fn arguments_are_checked_before_the_first_parse() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("in");
    many(&root, 200);
    let o = run(
        bin()
            .arg("batch")
            .arg(&root)
            .args(["--jobs", "100000", "-q", "--jsonl"])
            .arg(tmp.path().join("deep/er/all.jsonl")),
        tmp.path(),
        60,
    );
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("--jobs 100000 is more than 4 per core"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("deep/er/all.jsonl"))
            .expect("parents made")
            .lines()
            .count(),
        200
    );

    // The summary would go below a regular file: nothing is parsed.
    let blocker = tmp.path().join("file");
    std::fs::write(&blocker, "x").expect("write");
    let out = tmp.path().join("out");
    let err = refused(
        bin()
            .arg("batch")
            .arg(&root)
            .arg("--out")
            .arg(&out)
            .arg("--summary")
            .arg(blocker.join("s.json")),
        tmp.path(),
    );
    assert!(err.contains("s.json"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(files(&out).is_empty(), "parsed before failing");

    let err = refused(
        bin().arg("batch").arg(&root).args(["--csv", "-"]),
        tmp.path(),
    );
    assert!(err.contains("--csv"), "{err}");
}

/// Item 5: an output that is an input, or that the walk would read as one,
/// is refused and the input left as it was; a new output's folders are
/// made.
#[test]
fn an_output_that_is_an_input_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("in");
    many(&root, 20);
    let one = root.join("r00007.txt");
    let before = std::fs::read(&one).expect("read");
    let err = refused(bin().arg("parse").arg(&one).arg("-o").arg(&one), tmp.path());
    assert!(err.contains("is the input"), "{err}");
    assert_eq!(std::fs::read(&one).expect("read"), before);
    refused(
        bin().arg("batch").arg(&one).arg("--jsonl").arg(&one),
        tmp.path(),
    );
    assert_eq!(std::fs::read(&one).expect("read"), before);
    let o = run(
        bin()
            .arg("parse")
            .arg(&one)
            .arg("-o")
            .arg(tmp.path().join("new/dir/one.json")),
        tmp.path(),
        60,
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(tmp.path().join("new/dir/one.json").exists());
    // An output the walk itself would read (a report extension, inside the
    // walked folder).
    let err = refused(
        bin()
            .arg("batch")
            .arg(&root)
            .arg("--jsonl")
            .arg(root.join("sub/all.txt")),
        tmp.path(),
    );
    assert!(err.contains("would be read as an input"), "{err}");
    assert!(!root.join("sub").exists());
}

/// Item 6: text that would be a formula in Excel gets a leading `'` in all
/// three CSV files; numbers stay numbers.
#[test]
fn formula_text_is_escaped_in_every_csv() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("=cmd");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let page = common::synthetic(
        Y2019,
        Format::Html(HtmlStyle::Plain),
        Encoding::Utf8,
        &[gongkai::synth::damage::Op::ChangeDigit],
    );
    let page = String::from_utf8(page).expect("UTF-8");
    let agency = gongkai::parse_bytes(page.as_bytes(), "x")
        .meta
        .agency
        .expect("agency");
    let page = page.replace(&agency, &format!("=SUM(1+1){agency}"));
    std::fs::write(dir.join("r.html"), page).expect("write");
    let o = run(
        bin()
            .current_dir(tmp.path())
            .args(["batch", "=cmd", "-q", "--csv", "csv"]),
        tmp.path(),
        60,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let read = |n: &str| std::fs::read_to_string(tmp.path().join("csv").join(n)).expect("csv");
    let rdr = |n: &str| {
        let body = read(n);
        csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes())
            .into_records()
            .map(|r| {
                r.expect("record")
                    .iter()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let reports = rdr("reports.csv");
    assert_eq!(reports[0][0], "'=cmd/r.html");
    // The agency column holds no live formula: meta takes no name that is
    // not one (issue 11: `=SUM(1+1)…` before the year is no agency, so it
    // stays empty), and text that were one would be escaped like the path.
    let shown = &reports[0][2];
    assert!(shown.is_empty() || shown.starts_with('\''), "{shown}");
    let cells = rdr("cells.csv");
    assert!(cells.iter().all(|r| r[0] == "'=cmd/r.html"));
    assert!(
        cells
            .iter()
            .all(|r| r[5].is_empty() || r[5].parse::<f64>().is_ok())
    );
    let flags = rdr("flags.csv");
    assert!(!flags.is_empty() && flags.iter().all(|r| r[0] == "'=cmd/r.html"));
}

/// Item 8: each error said once; the summary names the malformed files with
/// their first error; JSON says which gongkai wrote it, and
/// `--skip-unchanged` parses again when another version did.
#[test]
fn messages_summary_and_tool() {
    let tmp = tempfile::tempdir().expect("tmp");
    let o = run(bin().args(["parse", "/nonexistent/x.txt"]), tmp.path(), 60);
    let err = text(&o.stderr);
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");

    let root = tmp.path().join("in");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::write(root.join("good.txt"), report()).expect("write");
    let broken = common::synthetic(
        Y2021,
        Format::Text(TextStyle::Rows),
        Encoding::Utf8,
        &[gongkai::synth::damage::Op::ChangeDigit],
    );
    std::fs::write(root.join("bad.txt"), broken).expect("write");
    let out = tmp.path().join("out");
    let batch = |extra: &[&str]| {
        let o = run(
            bin()
                .arg("batch")
                .arg(&root)
                .arg("--out")
                .arg(&out)
                .args(extra)
                .arg("--summary")
                .arg(tmp.path().join("s.json")),
            tmp.path(),
            60,
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let s: Value =
            serde_json::from_slice(&std::fs::read(tmp.path().join("s.json")).expect("s"))
                .expect("summary");
        (s, text(&o.stderr))
    };
    let (s, err) = batch(&[]);
    assert!(err.contains("clean: no error or warning flag"), "{err}");
    let listed = s["malformed_files"].as_array().expect("list");
    assert_eq!(listed.len(), 1, "{s}");
    assert!(
        listed[0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("bad.txt"))
    );
    assert!(
        listed[0]["first_error"]
            .as_str()
            .is_some_and(|e| e.starts_with("RULE_BROKEN: "))
    );
    let json = out.join("good.txt.json");
    let v: Value = serde_json::from_slice(&std::fs::read(&json).expect("json")).expect("JSON");
    assert_eq!(
        v["source"]["tool"],
        format!("gongkai {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        batch(&["--skip-unchanged"]).0["files"]["skipped_unchanged"],
        2
    );
    // The same bytes, an output newer than the source, another version.
    let older = std::fs::read_to_string(&json).expect("json").replace(
        &format!("\"gongkai {}\"", env!("CARGO_PKG_VERSION")),
        "\"gongkai 0.0.1\"",
    );
    std::fs::write(&json, older).expect("write");
    let f = batch(&["--skip-unchanged"]).0["files"].clone();
    assert_eq!(
        (f["parsed"].as_u64(), f["skipped_unchanged"].as_u64()),
        (Some(1), Some(1))
    );
}
