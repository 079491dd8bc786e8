//! `index.html` and its data files: one row per report, in input order, in
//! chunks the page loads with `<script src>`; the flag-code chart is drawn
//! here, as inline SVG, once the batch has counted every code.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{CHUNK, Entry, Status, esc};
use crate::flags::{Code, Severity};
use crate::report::Report;

/// The index as the batch fills it.
pub(super) struct Index {
    dir: PathBuf,
    /// Rows of the chunk being filled, each a JSON array.
    rows: Vec<String>,
    chunks: usize,
    reports: u64,
    /// Reports by [`Status`]: malformed, warning, clean.
    statuses: [u64; 3],
    /// Per code: occurrences, reports carrying it.
    codes: HashMap<Code, (u64, u64)>,
}

/// The index's data of one report. The row's fields, in the order
/// `assets/index.js` reads them: path, page, agency, year, template,
/// status, errors, warnings, infos, codes (space-separated, first seen
/// first).
pub(super) fn entry(r: &Report, page: &str) -> Entry {
    let mut codes: Vec<(Code, u64)> = Vec::new();
    let mut counts = [0u64; 3];
    for f in &r.flags {
        counts[f.severity as usize] += 1;
        match codes.iter_mut().find(|(c, _)| *c == f.code) {
            Some((_, n)) => *n += 1,
            None => codes.push((f.code, 1)),
        }
    }
    let status = Status::of(r);
    let list: Vec<&str> = codes.iter().map(|(c, _)| c.as_str()).collect();
    let row = serde_json::json!([
        r.source.path,
        page,
        r.meta.agency,
        r.meta.year,
        r.meta.template,
        status.as_str(),
        counts[Severity::Error as usize],
        counts[Severity::Warning as usize],
        counts[Severity::Info as usize],
        list.join(" "),
    ]);
    Entry {
        row: row.to_string(),
        status,
        codes,
    }
}

impl Index {
    pub(super) fn new(dir: &Path) -> Index {
        Index {
            dir: dir.to_path_buf(),
            rows: Vec::with_capacity(CHUNK),
            chunks: 0,
            reports: 0,
            statuses: [0; 3],
            codes: HashMap::new(),
        }
    }

    pub(super) fn add(&mut self, e: &Entry) -> Result<(), String> {
        self.reports += 1;
        self.statuses[e.status as usize] += 1;
        for &(code, n) in &e.codes {
            let c = self.codes.entry(code).or_default();
            c.0 += n;
            c.1 += 1;
        }
        self.rows.push(e.row.clone());
        if self.rows.len() == CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    /// Write the rows held as the next data file.
    fn flush(&mut self) -> Result<(), String> {
        let mut js = String::from("GK.rows([\n");
        js.push_str(&self.rows.join(",\n"));
        js.push_str("\n]);\n");
        let path = self.dir.join(chunk_name(self.chunks));
        crate::atomic::write(&path, js.as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        self.rows.clear();
        self.chunks += 1;
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<(), String> {
        if !self.rows.is_empty() {
            self.flush()?;
        }
        let path = self.dir.join("index.html");
        crate::atomic::write(&path, self.html().as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Codes by number of reports carrying them, most first.
    fn ranked(&self) -> Vec<(Code, u64, u64)> {
        let mut v: Vec<(Code, u64, u64)> =
            self.codes.iter().map(|(&c, &(n, r))| (c, n, r)).collect();
        v.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.as_str().cmp(b.0.as_str())));
        v
    }

    fn html(&self) -> String {
        let [malformed, warning, clean] = self.statuses;
        let ranked = self.ranked();
        let mut h = String::with_capacity(16 * 1024);
        let _ = write!(
            h,
            r##"<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>gongkai review: {n} reports</title>
<link rel="stylesheet" href="assets/review.css">
</head>
<body class="index">
<header>
<h1>gongkai review</h1>
<p class="totals">{n} reports parsed: <a href="#status=malformed">{malformed} malformed</a> · <a href="#status=warning">{warning} with warnings only</a> · <a href="#status=clean">{clean} clean</a>. Inputs that could not be parsed are counted in the batch summary.</p>
</header>
<div class="layout">
<section class="list">
<form id="controls" onsubmit="return false">
<label>status <select name="status"><option value="">all</option><option value="malformed">malformed</option><option value="warning">warnings only</option><option value="clean">clean</option></select></label>
<label>flag code <select name="code"><option value="">any</option>"##,
            n = self.reports,
        );
        for (code, _, reports) in &ranked {
            let _ = write!(
                h,
                r#"<option value="{c}">{c} ({reports})</option>"#,
                c = code.as_str()
            );
        }
        h.push_str(
            r#"</select></label>
<label>search <input name="q" type="search" placeholder="path or agency"></label>
<label>per page <select name="size"><option>50</option><option selected>100</option><option>500</option></select></label>
</form>
<p id="count">loading…</p>
<table id="reports">
<thead><tr><th data-sort="path">report</th><th data-sort="agency">agency</th><th data-sort="year">year</th><th data-sort="template">template</th><th data-sort="status">status</th><th data-sort="errors">errors</th><th data-sort="warnings">warnings</th><th data-sort="infos">infos</th><th>flag codes</th></tr></thead>
<tbody></tbody>
</table>
<nav id="pager"></nav>
<noscript><p>The list needs JavaScript; each report's page (under r/) opens without it.</p></noscript>
</section>
<section class="chart">
<h2>Flag codes across the batch</h2>
<p>Reports carrying each code; click a bar to list them.</p>
"#,
        );
        chart(&mut h, &ranked);
        let severity: serde_json::Map<String, serde_json::Value> = ranked
            .iter()
            .map(|(c, _, _)| (c.as_str().into(), c.severity().as_str().into()))
            .collect();
        let chunks: Vec<String> = (0..self.chunks).map(chunk_name).collect();
        let _ = write!(
            h,
            "</section>\n</div>\n<script>var GK_CHUNKS = {}; var GK_SEVERITY = {};</script>\n<script src=\"assets/index.js\"></script>\n</body>\n</html>\n",
            serde_json::json!(chunks),
            serde_json::Value::Object(severity)
        );
        h
    }
}

/// `data/rows-00000.js`…
fn chunk_name(i: usize) -> String {
    format!("data/rows-{i:05}.js")
}

/// Horizontal bars, one per code, as many reports as carry it; each bar
/// links to the list filtered on its code.
fn chart(h: &mut String, ranked: &[(Code, u64, u64)]) {
    const LABEL: usize = 230;
    const BAR: f64 = 300.0;
    const STEP: usize = 20;
    if ranked.is_empty() {
        h.push_str("<p>No flags in this batch.</p>\n");
        return;
    }
    let max = ranked.iter().map(|r| r.2).max().unwrap_or(1).max(1) as f64;
    let height = ranked.len() * STEP + 10;
    let _ = write!(
        h,
        r#"<svg class="bars" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height}" viewBox="0 0 {w} {height}" role="img" aria-label="flag codes by number of reports">"#,
        w = LABEL + BAR as usize + 70,
    );
    for (i, (code, count, reports)) in ranked.iter().enumerate() {
        let y = i * STEP + 5;
        let width = (*reports as f64 / max * BAR).max(1.0);
        let sev = code.severity().as_str();
        let c = esc(code.as_str());
        let _ = write!(
            h,
            r##"<a href="#code={c}" data-code="{c}"><title>{c} ({sev}): in {reports} reports, {count} times</title><text x="{tx}" y="{ty}" text-anchor="end">{c}</text><rect class="sev-{sev}" x="{LABEL}" y="{y}" width="{width:.1}" height="14"/><text x="{nx:.1}" y="{ty}">{reports}</text></a>"##,
            tx = LABEL - 6,
            ty = y + 11,
            nx = LABEL as f64 + width + 4.0,
        );
    }
    h.push_str("</svg>\n");
}
