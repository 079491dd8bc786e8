//! `gongkai batch --review DIR` end to end: the real binary writes the site
//! for the project corpus and `$GONGKAI_SHARED_CORPUS`, then headless
//! Chromium opens the index and report pages from `file://` and the DOM it
//! returns after the scripts ran is checked against the JSON of the same
//! batch. Without Chromium the browser test says it was skipped, unless
//! the shared corpus is set (as under `.ci/run`), where it must run.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::bin;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use gongkai::template::{T2019, T2021, Template};

fn shared() -> Option<PathBuf> {
    std::env::var_os("GONGKAI_SHARED_CORPUS").map(PathBuf::from)
}

fn project_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The site and the JSON of one batch over the corpora.
struct Batch {
    _tmp: tempfile::TempDir,
    site: PathBuf,
    /// In input order.
    reports: Vec<Value>,
}

fn batch() -> Batch {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    let jsonl = tmp.path().join("all.jsonl");
    let mut inputs: Vec<PathBuf> = shared().into_iter().collect();
    inputs.push(project_corpus());
    let out = bin()
        .arg("batch")
        .args(&inputs)
        .arg("--review")
        .arg(&site)
        .arg("--jsonl")
        .arg(&jsonl)
        .args(["--provenance", "--quiet"])
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "batch failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports = std::fs::read_to_string(&jsonl)
        .expect("jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    Batch {
        _tmp: tmp,
        site,
        reports,
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn attr<'a>(e: &ElementRef<'a>, name: &str) -> Option<&'a str> {
    e.value().attr(name)
}

fn text(e: &ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

// ---- the browser ------------------------------------------------------------

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("GONGKAI_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Chromium, or `None` after saying the test was skipped. With the shared
/// corpus set (as under `.ci/run`, which installs it) it must be there.
fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            shared().is_none(),
            "{test}: Chromium is required when GONGKAI_SHARED_CORPUS is set (.ci/run installs it)"
        );
        eprintln!("{test} skipped: no Chromium (/usr/bin/chromium, or set GONGKAI_CHROMIUM)");
    }
    found
}

/// The DOM of `file` (with `hash`) after its scripts ran and it loaded.
fn dump_dom(browser: &Path, file: &Path, hash: &str) -> Html {
    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!(
        "file://{}{hash}",
        file.canonicalize().expect("page").display()
    );
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match child.try_wait().expect("wait") {
            Some(status) => {
                assert!(status.success(), "chromium failed on {url}");
                break;
            }
            None if Instant::now() > deadline => {
                let _ = child.kill();
                panic!("chromium did not finish {url} in 120 s");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    let dom = reader.join().expect("reader");
    assert!(dom.contains("</html>"), "no DOM for {url}: {dom:.200}");
    Html::parse_document(&dom)
}

// ---- what the pages must show ----------------------------------------------

fn template_of(r: &Value) -> Option<&'static Template> {
    let not_report = r["flags"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["code"] == "NOT_A_REPORT"));
    match r["meta"]["template"].as_str() {
        _ if not_report => None,
        Some("2019") => Some(&T2019),
        Some("2021" | "unknown") => Some(&T2021),
        _ => None,
    }
}

/// Every cell of the printed forms: dotted key → (table, row path, column).
fn template_cells(t: &Template) -> BTreeMap<String, (String, String, String)> {
    let mut out = BTreeMap::new();
    for spec in t.tables {
        for b in spec.blocks {
            for r in b.rows {
                if r.kind != gongkai::template::RowKind::Data {
                    continue;
                }
                let path = if spec.nested {
                    format!("{}.{}", b.path(), r.key)
                } else {
                    r.key.to_string()
                };
                for c in b.columns {
                    out.insert(
                        format!("{}.{path}.{}", spec.key, c.key),
                        (spec.key.to_string(), path.clone(), c.key.to_string()),
                    );
                }
            }
        }
    }
    out
}

fn rank(s: &str) -> u8 {
    match s {
        "error" => 3,
        "warning" => 2,
        "info" => 1,
        _ => 0,
    }
}

/// The flags that name a cell, stated here independently of the page code:
/// the flag's table; its row is the cell's row or block (or one of `a+b`),
/// or absent on section 四 (one source row); its column, if any, the cell's.
fn naming<'a>(flags: &'a [Value], table: &str, path: &str, column: &str) -> Vec<&'a Value> {
    flags
        .iter()
        .filter(|f| f["table"] == table)
        .filter(|f| f["column"].as_str().is_none_or(|c| c == column))
        .filter(|f| match f["row"].as_str() {
            None => table == "reviews_and_lawsuits",
            Some(row) => row
                .split('+')
                .any(|r| path == r || path.starts_with(&format!("{r}."))),
        })
        .collect()
}

/// What [`check_page`] looked at.
#[derive(Default)]
struct Checked {
    cells: usize,
    /// Hovers checked after the page script ran: of flagged cells, and of
    /// clean cells (whose hover is their source line alone).
    flagged_hovers: usize,
    clean_hovers: usize,
}

fn lookup<'a>(tables: &'a Value, table: &str, path: &str, col: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(tables.get(table)?, |v, k| v.get(k))?
        .get(col)
}

/// A report page against its JSON: every template cell drawn once with its
/// `data-key`, values and blanks as in the JSON, rows the report lacks
/// marked absent, each cell's `data-severity` exactly the gravest flag
/// naming it. `scripted`: the DOM is Chromium's after the page script
/// ran, so each cell's hover is checked (its flags' messages, its source
/// line; a clean cell's is that line alone); otherwise the page's static
/// HTML, which has no hover of its own.
fn check_page(dom: &Html, r: &Value, scripted: bool) -> Checked {
    let path = r["source"]["path"].as_str().unwrap_or_default();
    let cells: BTreeMap<String, ElementRef> = dom
        .select(&sel("td[data-key]"))
        .map(|e| (attr(&e, "data-key").unwrap_or_default().to_string(), e))
        .collect();
    assert_eq!(
        cells.len(),
        dom.select(&sel("td[data-key]")).count(),
        "{path}: a data-key drawn twice"
    );
    let Some(t) = template_of(r) else {
        assert!(
            cells.is_empty(),
            "{path}: cells drawn for a report without tables"
        );
        return Checked::default();
    };
    let want = template_cells(t);
    assert_eq!(
        cells.keys().collect::<BTreeSet<_>>(),
        want.keys().collect::<BTreeSet<_>>(),
        "{path}: the cells drawn are not the template's"
    );
    let flags = r["flags"].as_array().cloned().unwrap_or_default();
    // Flagged cells whose place in the source is known: their rows get an
    // excerpt with the cells marked.
    let mut sourced_flagged = 0;
    let mut checked = Checked {
        cells: want.len(),
        ..Checked::default()
    };
    for (key, (table, row, col)) in &want {
        let td = &cells[key];
        let class = attr(td, "class").unwrap_or_default();
        match lookup(&r["tables"], table, row, col) {
            None => assert_eq!(class, "absent", "{path}: {key} should be absent"),
            Some(Value::Null) => {
                assert_eq!(class, "null", "{path}: {key} should be blank");
                assert_eq!(text(td), "", "{path}: {key}");
            }
            Some(v) => {
                assert_eq!(class, "", "{path}: {key}");
                assert_eq!(text(td), v.to_string(), "{path}: {key}");
            }
        }
        let got = rank(attr(td, "data-severity").unwrap_or_default());
        let named = naming(&flags, table, row, col);
        let exp = named
            .iter()
            .map(|f| rank(f["severity"].as_str().unwrap_or_default()));
        let exp = exp.max().unwrap_or(0);
        assert_eq!(got, exp, "{path}: {key} severity");
        let title = attr(td, "title");
        if !scripted {
            assert_eq!(
                title, None,
                "{path}: {key} has a hover before any script ran"
            );
            sourced_flagged +=
                usize::from(exp > 0 && lookup(&r["provenance"], table, row, col).is_some());
            continue;
        }
        let title = title.unwrap_or_default();
        // Hovering a value shows its flags and where it was read.
        for f in &named {
            let want = format!(
                "{} {}: {}",
                f["severity"].as_str().unwrap_or_default(),
                f["code"].as_str().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default()
            );
            assert!(
                title.contains(&want),
                "{path}: {key} hover {title:?} without {want:?}"
            );
        }
        let Some(o) = lookup(&r["provenance"], table, row, col) else {
            continue;
        };
        let src = o["text"].as_str().unwrap_or_default();
        let want = format!("source, line {}: {src}", o["line"]);
        assert!(
            title.contains(&want),
            "{path}: {key} hover {title:?} without {want:?}"
        );
        sourced_flagged += usize::from(exp > 0);
        checked.flagged_hovers += usize::from(exp > 0);
        if named.is_empty() && attr(td, "data-fact").is_none() {
            assert_eq!(title, want, "{path}: {key} clean hover");
            checked.clean_hovers += 1;
        }
    }
    if sourced_flagged > 0 {
        let marked = dom.select(&sel("pre.excerpt mark")).count();
        assert!(
            marked > 0,
            "{path}: flagged cells read, but no excerpt marks them"
        );
        let none = dom
            .select(&sel("p.no-excerpt"))
            .any(|p| text(&p).contains("not available"));
        assert!(!none, "{path}: says excerpts are not available");
    }
    // Report-level flags are listed.
    for f in flags.iter().filter(|f| f["table"].is_null()) {
        let code = f["code"].as_str().unwrap_or_default();
        let listed = dom
            .select(&sel(".report-flags li[data-code]"))
            .any(|li| attr(&li, "data-code") == Some(code));
        assert!(listed, "{path}: report flag {code} not listed");
    }
    checked
}

/// The reports the index lists, in order, by their `data-report` links.
fn listed(dom: &Html) -> Vec<String> {
    dom.select(&sel("#reports tbody a[data-report]"))
        .map(|a| attr(&a, "data-report").unwrap_or_default().to_string())
        .collect()
}

fn paths(reports: &[Value], keep: impl Fn(&Value) -> bool) -> Vec<String> {
    reports
        .iter()
        .filter(|r| keep(r))
        .map(|r| r["source"]["path"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn has_severity(r: &Value, s: &str) -> bool {
    r["flags"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["severity"] == s))
}

fn has_code(r: &Value, c: &str) -> bool {
    r["flags"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["code"] == c))
}

// ---- the tests --------------------------------------------------------------

/// The site's files, without a browser: every report has its page, names
/// are unique, nothing refers to the network.
#[test]
fn site_is_complete_and_self_contained() {
    let b = batch();
    let index = std::fs::read_to_string(b.site.join("index.html")).expect("index.html");
    assert!(index.contains("<svg"), "chart missing");
    let data = std::fs::read_to_string(b.site.join("data/rows-00000.js")).expect("rows");
    let rows: Vec<Value> = data
        .lines()
        .filter(|l| l.starts_with('['))
        .map(|l| serde_json::from_str(l.trim_end_matches(',')).expect("row"))
        .collect();
    assert_eq!(
        rows.len(),
        b.reports.len(),
        "one index row per parsed report"
    );
    let mut pages = BTreeSet::new();
    for (row, r) in rows.iter().zip(&b.reports) {
        assert_eq!(row[0], r["source"]["path"], "rows in input order");
        let page = row[1].as_str().expect("page");
        assert!(b.site.join(page).is_file(), "{page} missing");
        assert!(pages.insert(page.to_string()), "{page} twice");
    }
    for entry in walk(&b.site) {
        let s = std::fs::read_to_string(&entry).expect("text file");
        for bad in [
            "src=\"http",
            "href=\"http",
            "url(http",
            "@import",
            "src=\"//",
        ] {
            assert!(
                !s.contains(bad),
                "{}: refers to the network",
                entry.display()
            );
        }
        let name = entry.file_name().unwrap_or_default().to_string_lossy();
        assert!(!name.starts_with('.'), "temporary file left: {name}");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn site_in_headless_chromium() {
    let Some(browser) = chromium_or_skip("site_in_headless_chromium") else {
        return;
    };
    let b = batch();
    let index = b.site.join("index.html");
    let all = paths(&b.reports, |_| true);

    // Every parsed report linked, in input order, each link to its page.
    let dom = dump_dom(&browser, &index, "#size=1000");
    assert_eq!(listed(&dom), all, "index rows");
    let mut pages: BTreeMap<String, PathBuf> = BTreeMap::new();
    for a in dom.select(&sel("#reports tbody a[data-report]")) {
        let href = attr(&a, "href").expect("href");
        let page = b.site.join(href);
        assert!(page.is_file(), "{href}");
        pages.insert(attr(&a, "data-report").unwrap_or_default().into(), page);
    }
    let chart = dom.select(&sel("svg.bars a[data-code]")).count();
    assert!(chart > 0, "flag-code chart");

    // Filters and sorting, applied from the URL hash on load.
    let views: [(&str, Vec<String>); 4] = [
        (
            "#status=malformed&size=1000",
            paths(&b.reports, |r| has_severity(r, "error")),
        ),
        (
            "#status=clean&size=1000",
            paths(&b.reports, |r| {
                !has_severity(r, "error") && !has_severity(r, "warning")
            }),
        ),
        (
            "#code=SPLIT_RECOVERED&size=1000",
            paths(&b.reports, |r| has_code(r, "SPLIT_RECOVERED")),
        ),
        (
            "#size=10&page=2",
            all.iter().skip(10).take(10).cloned().collect(),
        ),
    ];
    for (hash, want) in views {
        assert!(
            !want.is_empty(),
            "{hash}: the corpus should have such reports"
        );
        let dom = dump_dom(&browser, &index, hash);
        assert_eq!(listed(&dom), want, "index{hash}");
    }
    let dom = dump_dom(&browser, &index, "#sort=errors&desc=1&size=1000");
    let errors: Vec<u64> = dom
        .select(&sel("#reports tbody tr"))
        .map(|tr| {
            let tds: Vec<ElementRef> = tr.select(&sel("td")).collect();
            text(&tds[5]).parse().expect("error count")
        })
        .collect();
    assert_eq!(errors.len(), all.len());
    assert!(
        errors.windows(2).all(|w| w[0] >= w[1]),
        "sorted by errors: {errors:?}"
    );

    // Report pages: in the browser for a sample of layouts (hovers are
    // built by the page script), and every page's static HTML.
    let mut in_browser = 0;
    let mut cells = 0;
    let (mut flagged, mut clean) = (0, 0);
    let mut seed = false;
    let mut sampled = BTreeSet::new();
    for r in &b.reports {
        let path = r["source"]["path"].as_str().unwrap_or_default();
        let page = &pages[path];
        // One of each: the seed, a single page (unknown template), text
        // with facts, a whole Word page, a generated Word page, and digit
        // runs split into cells (whose source text is not the value).
        let sample = [
            "000-seed",
            "003-",
            "013-",
            "016-",
            "html-word",
            "runtogether",
        ]
        .iter()
        .find(|s| path.contains(**s))
        .is_some_and(|s| sampled.insert(*s));
        let html = Html::parse_document(&std::fs::read_to_string(page).expect("page"));
        cells += check_page(&html, r, false).cells;
        if sample {
            in_browser += 1;
            let dom = dump_dom(&browser, page, "");
            let c = check_page(&dom, r, true);
            flagged += c.flagged_hovers;
            clean += c.clean_hovers;
        }
        if path.contains("000-seed") {
            check_seed(&html, path);
            seed = true;
        }
    }
    assert_eq!(seed, shared().is_some(), "the seed's page was checked");
    assert!(
        flagged > 0 && clean > 0,
        "hovers checked in Chromium: {flagged} flagged, {clean} clean"
    );
    eprintln!(
        "review site: {} reports linked, {cells} cells checked, {in_browser} pages in Chromium ({flagged} flagged and {clean} clean hovers)",
        all.len()
    );
}

/// The seed's rows whose columns are unknown (truth: ambiguous) are errors
/// in every cell.
fn check_seed(dom: &Html, path: &str) {
    let truth_file = Path::new(path).with_file_name("truth.json");
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(truth_file).expect("truth")).expect("json");
    let ambiguous: Vec<&str> = truth["ambiguous"]
        .as_array()
        .expect("ambiguous rows")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(!ambiguous.is_empty());
    for row in ambiguous {
        let cells: Vec<ElementRef> = dom
            .select(&sel("td[data-key]"))
            .filter(|td| attr(td, "data-key").is_some_and(|k| k.starts_with(&format!("{row}."))))
            .collect();
        assert_eq!(cells.len(), 7, "{row}: seven applicant columns");
        for td in cells {
            assert_eq!(
                attr(&td, "data-severity"),
                Some("error"),
                "seed {:?} not an error",
                attr(&td, "data-key")
            );
        }
    }
}

/// The site is an output like the others: alone, it replaces the JSON Lines
/// on stdout; a folder that cannot be made stops the batch at once.
#[test]
fn review_is_an_output_of_its_own() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    let out = bin()
        .arg("batch")
        .arg(project_corpus())
        .arg("--review")
        .arg(&site)
        .arg("--quiet")
        .output()
        .expect("binary runs");
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "no JSON Lines on stdout");
    assert!(site.join("index.html").is_file());

    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").expect("write");
    let out = bin()
        .arg("batch")
        .arg(project_corpus())
        .arg("--review")
        .arg(file.join("site"))
        .arg("--quiet")
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a-file"), "{err}");
    assert!(out.stdout.is_empty());
}

/// More rows than one data file holds: the files load in order and the
/// filters see them all. The project corpus's text reports, listed again
/// and again on stdin, make 1,050 inputs.
#[test]
fn index_of_several_data_files_in_chromium() {
    let Some(browser) = chromium_or_skip("index_of_several_data_files_in_chromium") else {
        return;
    };
    let mut texts: Vec<PathBuf> = walk(&project_corpus())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    texts.sort();
    let n = gongkai::review::CHUNK + 50;
    let list: String = texts
        .iter()
        .cycle()
        .take(n)
        .map(|p| format!("{}\n", p.display()))
        .collect();
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    let mut child = bin()
        .args(["batch", "-", "--quiet", "--jsonl"])
        .arg(tmp.path().join("all.jsonl"))
        .arg("--review")
        .arg(&site)
        .stdin(Stdio::piped())
        .spawn()
        .expect("binary runs");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), list.as_bytes())
        .expect("paths written");
    assert!(child.wait().expect("batch").success());
    let reports: Vec<Value> = std::fs::read_to_string(tmp.path().join("all.jsonl"))
        .expect("jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(reports.len(), n);
    assert!(site.join("data/rows-00001.js").is_file(), "two data files");
    let index = site.join("index.html");
    let dom = dump_dom(&browser, &index, "#size=2000");
    assert_eq!(
        listed(&dom),
        paths(&reports, |_| true),
        "all rows, in order"
    );
    let dom = dump_dom(&browser, &index, "#status=clean&size=100&page=2");
    let clean = paths(&reports, |r| {
        !has_severity(r, "error") && !has_severity(r, "warning")
    });
    assert!(clean.len() > 100);
    assert_eq!(listed(&dom), clean[100..clean.len().min(200)].to_vec());
}

/// A site inside the folder being read would be read back as reports: it
/// is refused before anything is read, like the other outputs.
#[test]
fn a_site_inside_its_input_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("reports");
    std::fs::create_dir_all(&root).expect("mkdir");
    let page = project_corpus().join("not-a-report/input.html");
    std::fs::copy(&page, root.join("a.html")).expect("copy");
    let out = bin()
        .current_dir(tmp.path())
        .args(["batch", "reports", "--review", "reports/site", "--quiet"])
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("reports/site"), "{err}");
    assert!(!root.join("site").exists(), "nothing written");
    // Where the walk would not read it (a hidden folder), it is fine.
    let out = bin()
        .current_dir(tmp.path())
        .args(["batch", "reports", "--review", "reports/.site", "--quiet"])
        .output()
        .expect("binary runs");
    assert!(out.status.success());
}
