//! One report's page: what it is and its verdict, the report-level flags,
//! each table drawn as its printed form ([`super::form`]) with every value
//! cell keyed by its dotted path and marked by the flags that name it, the
//! narrative figures beside the cells they were checked against, the
//! flagged rows with their source excerpts, and the narrative sections.
//!
//! Given the report's [`Provenance`] (where each value was read, and the
//! decoded text: the batch asks the parser for both), cells show their
//! source text on hover and each flagged row its excerpt with the cells
//! highlighted; without it (a page rendered from JSON alone) the page
//! shows the flags' evidence and says the excerpt is not available.

use std::fmt::Write as _;

use std::cell::{OnceCell, RefCell};

use serde_json::{Map, Value};

use super::{Status, esc, form};
use crate::facts::Fact;
use crate::flags::{Flag, Severity};
use crate::provenance::{Cell, Lines, Places, Span, source_text};
use crate::report::Report;
use crate::template::{Column, Layout, TableKey, TableSpec};
use crate::value::push_decimal;

/// Where a report's values were read ([`Report::places`]) and the decoded
/// text their byte ranges point into ([`Report::text`]); the batch asks
/// the parser for both.
#[derive(Debug, Clone, Copy)]
pub struct Provenance<'a> {
    pub places: &'a Places,
    pub text: &'a str,
    /// The text is an HTML page's source: a cell's text is read from it
    /// with the tags removed and the entities decoded.
    pub html: bool,
}

impl<'a> Provenance<'a> {
    /// The report's, when it kept its text and places.
    pub fn of(r: &'a Report) -> Option<Provenance<'a>> {
        Some(Provenance {
            places: r.places.as_ref()?,
            text: r.text.as_deref()?,
            html: r.source.format == "html",
        })
    }

    /// Lines `lo..=hi` (1-based) of the text, escaped, with the byte ranges
    /// of `marks` inside `<mark>`, written to `out`.
    fn excerpt(&self, out: &mut String, lines: &Lines, lo: usize, hi: usize, marks: &[Span]) {
        let Some(mut start) = lines.start(lo) else {
            return;
        };
        let rest = self.text.get(start..).unwrap_or_default();
        for (n, line) in (lo..=hi).zip(rest.split_inclusive('\n')) {
            let end = start + line.len();
            let _ = write!(out, "<span class=\"ln\">{n:>5}</span> ");
            let mut at = start;
            for m in marks {
                let (a, b) = (m.start as usize, m.end as usize);
                if a < at || a >= end || b > end {
                    continue;
                }
                let (Some(before), Some(mark)) = (self.text.get(at..a), self.text.get(a..b)) else {
                    continue;
                };
                let head = if at == start { 0 } else { CLIP / 2 };
                clipped(out, before, head, CLIP / 2);
                let _ = write!(out, "<mark>{}</mark>", esc(mark));
                at = b;
            }
            let rest = self.text.get(at..end).unwrap_or_default().trim_end();
            clipped(out, rest, CLIP, 0);
            out.push('\n');
            start = end;
        }
    }
}

/// Bytes of a line kept around a marked cell (a page's source may be one
/// line of a hundred kilobytes): the rest of the line is cut to `…`.
const CLIP: usize = 240;

/// `s` escaped into `out`, keeping at most `head` bytes from its start
/// and `tail` from its end, with `…` where it was cut.
fn clipped(out: &mut String, s: &str, head: usize, tail: usize) {
    if s.len() <= head + tail + 1 {
        out.push_str(&esc(s));
        return;
    }
    let h = s.floor_char_boundary(head);
    let t = s.ceil_char_boundary(s.len() - tail);
    out.push_str(&esc(s.get(..h).unwrap_or_default()));
    out.push('…');
    out.push_str(&esc(s.get(t..).unwrap_or_default()));
}

/// Lines of context around a flagged row's cells, and at most this many
/// lines in all.
const CONTEXT: usize = 2;
const MAX_LINES: usize = 40;

/// The page of one report, as a whole HTML document whose links assume it
/// lives two folders below the site's root (`r/xx/`).
pub fn render(r: &Report, prov: Option<&Provenance>) -> String {
    let page = Page {
        r,
        tables: r.tables.to_value(),
        prov,
        lines: OnceCell::new(),
        last_line: std::cell::Cell::new(None),
        shown: RefCell::default(),
    };
    let mut h = String::with_capacity(48 * 1024);
    page.head(&mut h);
    match r.read_on {
        Some(t) => {
            for spec in t.tables {
                page.table(&mut h, spec);
            }
        }
        None => h.push_str(
            "<section class=\"table\"><p class=\"missing\">No contract tables: a legacy (pre-2019) report or a page that is no report; only its sections are shown.</p></section>\n",
        ),
    }
    page.loose_facts(&mut h);
    page.flagged_rows(&mut h);
    page.narrative(&mut h);
    h.push_str("</main>\n");
    page.tips(&mut h);
    h.push_str("</body>\n</html>\n");
    h
}

struct Page<'a> {
    r: &'a Report,
    /// `r.tables` as JSON values, looked up by key.
    tables: Map<String, Value>,
    prov: Option<&'a Provenance<'a>>,
    /// The text's line starts, found when a value's line is first asked.
    lines: OnceCell<Lines>,
    /// The source line the last value cell drawn named ([`Page::source`]).
    last_line: std::cell::Cell<Option<usize>>,
    /// A cell's value as shown, reused from cell to cell.
    shown: RefCell<String>,
}

/// What the cells of one table row share: its path, the flags naming it,
/// its values in the report (`None`: the row is not there).
#[derive(Default)]
struct Row<'a> {
    path: String,
    /// With their indices in the report's flags.
    flags: Vec<(usize, &'a Flag)>,
    /// The narrative figures checked against some cell of the row, with
    /// their indices in the report's facts.
    facts: Vec<(usize, &'a Fact)>,
    values: Option<&'a Value>,
}

/// Whether flag `f` names the cell at `path` (`item_1.rules`, `granted`) and
/// `column` of table `spec`: same table; its row is the cell's row, the
/// block holding it, or one of the rows of a column rule (`a+b`) — or it
/// names no row of a wide table, whose single source row is every cell;
/// and its column, when it names one, is the cell's.
fn names(f: &Flag, spec: &TableSpec, path: &str, column: &str) -> bool {
    names_row(f, spec, path) && f.column.is_none_or(|c| c == column)
}

/// [`names`] for some cell of the row.
fn names_row(f: &Flag, spec: &TableSpec, path: &str) -> bool {
    if f.table != Some(spec.key) {
        return false;
    }
    match &f.row {
        None => spec.layout == Layout::Wide,
        Some(row) => row.split('+').any(|r| {
            path.strip_prefix(r)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        }),
    }
}

/// A table value by row path and column: `None` when the row (or table)
/// is not in the report at all, `Some(Null)` for a blank cell.
fn lookup<'a>(
    tables: &'a Map<String, Value>,
    table: &str,
    path: &str,
    col: &str,
) -> Option<&'a Value> {
    path.split('.')
        .try_fold(tables.get(table)?, |v, k| v.get(k))?
        .get(col)
}

/// A table value as the JSON writes it (nothing for `null`).
fn number(out: &mut String, v: &Value) {
    match v {
        Value::Null => {}
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => push_decimal(out, u),
            (None, Some(i)) => {
                out.push('-');
                push_decimal(out, i.unsigned_abs());
            }
            _ => {
                let _ = write!(out, "{n}");
            }
        },
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// What a cell says of its source line, `last` being the line last named
/// (which it updates): `Some(Some(n))` for ` data-line="n"`, `Some(None)`
/// for ` data-line=""` (a value with no known place after one with),
/// `None` for nothing (a value on the line last named, or a blank or
/// absent cell without a place). `assets/page.js` reads it back.
fn line_mark(last: &mut Option<usize>, line: Option<usize>, valued: bool) -> Option<Option<usize>> {
    match line {
        None => (valued && last.take().is_some()).then_some(None),
        Some(n) => {
            let before = last.replace(n);
            (!valued || before != Some(n)).then_some(Some(n))
        }
    }
}

/// `attr` then the indices separated by spaces and a closing quote, or
/// nothing when there is none.
fn indices(out: &mut String, attr: &str, list: impl Iterator<Item = usize>) {
    let mut any = false;
    for i in list {
        out.push_str(if any { " " } else { attr });
        push_decimal(out, i as u64);
        any = true;
    }
    if any {
        out.push('"');
    }
}

fn flag_item(h: &mut String, f: &Flag) {
    let where_: Vec<&str> = [f.table.map(TableKey::as_str), f.row.as_deref(), f.column]
        .into_iter()
        .flatten()
        .collect();
    let _ = write!(
        h,
        r#"<li data-severity="{}" data-code="{}"><b class="code">{}</b> "#,
        f.severity.as_str(),
        f.code.as_str(),
        f.code.as_str()
    );
    if !where_.is_empty() {
        let _ = write!(
            h,
            r#"<span class="where">{}</span> "#,
            esc(&where_.join(" · "))
        );
    }
    h.push_str(&esc(&f.message));
    if let Some(e) = &f.evidence {
        let _ = write!(h, r#" <q class="evidence">{}</q>"#, esc(e));
    }
    h.push_str("</li>\n");
}

fn flag_list(h: &mut String, flags: &[&Flag]) {
    if flags.is_empty() {
        return;
    }
    h.push_str("<ul class=\"flags\">\n");
    for f in flags {
        flag_item(h, f);
    }
    h.push_str("</ul>\n");
}

impl Page<'_> {
    /// The line starts of the provenance's text, found once per page.
    fn lines(&self, p: &Provenance) -> &Lines {
        self.lines.get_or_init(|| Lines::of(p.text))
    }

    fn head(&self, h: &mut String) {
        let r = self.r;
        let m = &r.meta;
        let name = m
            .agency
            .as_deref()
            .or(m.title.as_deref())
            .unwrap_or(&r.source.path);
        let count = |s: Severity| r.flags.iter().filter(|f| f.severity == s).count();
        let status = Status::of(r).as_str();
        let template = match (m.template, r.read_on) {
            ("unknown", Some(t)) => format!("unknown (read on the {} form)", t.id.as_str()),
            (t, _) => t.to_string(),
        };
        let _ = write!(
            h,
            r#"<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>{title} — gongkai review</title>
<link rel="stylesheet" href="../../assets/review.css">
</head>
<body class="report" data-status="{status}">
<nav><a href="../../index.html">← all reports</a></nav>
<main>
<header>
<h1>{title}</h1>
<dl class="meta">
<dt>source</dt><dd class="source" data-source="{path}">{path}</dd>
<dt>title</dt><dd>{doc_title}</dd>
<dt>agency</dt><dd>{agency}</dd>
<dt>year</dt><dd>{year}</dd>
<dt>template</dt><dd>{template}</dd>
<dt>read as</dt><dd>{format}, {encoding}, {bytes} bytes</dd>
</dl>
<p class="verdict"><span class="status s-{status}">{status}</span> {e} errors · {w} warnings · {i} infos</p>
<p class="legend"><span data-severity="error">error</span> <span data-severity="warning">warning</span> <span data-severity="info">info</span> <span class="null">blank (null)</span> <span class="absent">row not found</span> <span class="fact">checked against the narrative</span> — hover a cell for its flags.</p>
</header>
"#,
            title = esc(name),
            path = esc(&r.source.path),
            doc_title = esc(m.title.as_deref().unwrap_or("—")),
            agency = esc(m.agency.as_deref().unwrap_or("—")),
            year = m.year.map_or("—".to_string(), |y| y.to_string()),
            template = esc(&template),
            format = r.source.format,
            encoding = r.source.encoding,
            bytes = r.source.bytes,
            e = count(Severity::Error),
            w = count(Severity::Warning),
            i = count(Severity::Info),
        );
        let report_level: Vec<&Flag> = r.flags.iter().filter(|f| f.table.is_none()).collect();
        if !report_level.is_empty() {
            h.push_str("<section class=\"report-flags\"><h2>Report flags</h2>\n");
            flag_list(h, &report_level);
            h.push_str("</section>\n");
        }
    }

    fn heading(&self, key: &str) -> String {
        const CN: [&str; 6] = ["一", "二", "三", "四", "五", "六"];
        let n = crate::sections::SectionKey::OFFICIAL
            .iter()
            .position(|k| k.as_str() == key);
        self.r
            .sections
            .iter()
            .find(|s| s.key.as_str() == key)
            .map(|s| s.heading.clone())
            .unwrap_or_else(|| match n {
                Some(n) => format!("{}、({key})", CN[n]),
                None => key.to_string(),
            })
    }

    fn table(&self, h: &mut String, spec: &TableSpec) {
        let r = self.r;
        let table_level: Vec<&Flag> = r
            .flags
            .iter()
            .filter(|f| f.table == Some(spec.key) && f.row.is_none())
            .collect();
        let _ = write!(
            h,
            "<section class=\"table\" id=\"t-{k}\" data-table=\"{k}\"",
            k = spec.key
        );
        if let Some(s) = table_level.iter().map(|f| f.severity).max() {
            let _ = write!(h, " data-severity=\"{}\"", s.as_str());
        }
        let _ = writeln!(
            h,
            "><h2>{} <small>{}</small></h2>",
            esc(&self.heading(spec.key.as_str())),
            spec.key
        );
        if !self.tables.contains_key(spec.key.as_str()) {
            h.push_str("<p class=\"missing\">This table was not found in the report.</p>\n");
        }
        flag_list(h, &table_level);
        h.push_str("<div class=\"pair\"><div class=\"forms\">\n");
        // What a row's cells share, found once per row rather than per cell.
        let mine: Vec<(usize, &Flag)> = r
            .flags
            .iter()
            .enumerate()
            .filter(|(_, f)| f.table == Some(spec.key))
            .collect();
        let mut row = Row::default();
        form::table(h, spec, &mut |out, path, at, c| {
            if row.path != path {
                let key = path.rsplit('.').next().unwrap_or(path);
                row = Row {
                    path: path.to_string(),
                    flags: mine
                        .iter()
                        .copied()
                        .filter(|(_, f)| names_row(f, spec, path))
                        .collect(),
                    facts: r
                        .facts
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| {
                            f.target
                                .iter()
                                .any(|&(t, row, _)| (t, row.as_str()) == (spec.key, key))
                        })
                        .collect(),
                    values: path
                        .split('.')
                        .fold(self.tables.get(spec.key.as_str()), |v, k| {
                            v.and_then(|v| v.get(k))
                        }),
                };
            }
            self.cell(out, spec, &row, at, c);
        });
        h.push_str("</div>\n");
        self.facts_beside(h, spec);
        h.push_str("</div>\n");
        self.extra_rows(h, spec);
        h.push_str("</section>\n");
    }

    /// One `<td>`: `data-key`, the value (empty for `null`, and marked),
    /// `data-severity` of the gravest flag naming it, and what its hover
    /// is built from by `assets/page.js`: the flags naming it (`data-f`,
    /// indices into the page's tips) and the narrative figures it was
    /// checked against (`data-n`), with provenance where it was read
    /// ([`Page::source`]).
    /// A flag's message is thus written once per page, not in every cell
    /// it names.
    fn cell(&self, out: &mut String, spec: &TableSpec, row: &Row, at: Cell, c: &Column) {
        let path = row.path.as_str();
        let value = row.values.and_then(|v| v.get(c.key.as_str()));
        let flags = || {
            row.flags
                .iter()
                .filter(|(_, f)| f.column.is_none_or(|col| col == c.key.as_str()))
        };
        let key = path.rsplit('.').next().unwrap_or(path);
        // Found once: each target is a string compare, and a cell asks thrice.
        let facts: Vec<(usize, &Fact)> = row
            .facts
            .iter()
            .copied()
            .filter(|(_, f)| {
                f.target
                    .iter()
                    .any(|&(t, r, col)| (t, r.as_str(), col) == (spec.key, key, c.key))
            })
            .collect();
        for part in [
            "<td data-key=\"",
            spec.key.as_str(),
            ".",
            path,
            ".",
            c.key.as_str(),
            "\"",
        ] {
            out.push_str(part);
        }
        match value {
            None => out.push_str(" class=\"absent\""),
            Some(Value::Null) => out.push_str(" class=\"null\""),
            Some(_) => {}
        }
        if let Some(s) = flags().map(|(_, f)| f.severity).max() {
            out.push_str(" data-severity=\"");
            out.push_str(s.as_str());
            out.push('"');
        }
        for (i, (_, f)) in facts.iter().enumerate() {
            out.push_str(if i == 0 { " data-fact=\"" } else { " " });
            out.push_str(f.kind.as_str());
        }
        if !facts.is_empty() {
            out.push('"');
        }
        indices(out, " data-f=\"", flags().map(|&(i, _)| i));
        indices(out, " data-n=\"", facts.iter().map(|&(i, _)| i));
        let mut shown = self.shown.borrow_mut();
        shown.clear();
        if let Some(v) = value {
            number(&mut shown, v);
        }
        let valued = value.is_some_and(|v| !v.is_null());
        self.source(out, spec, at, &shown, valued);
        out.push('>');
        out.push_str(&shown);
        out.push_str("</td>");
    }

    /// Where the cell was read, for its hover: ` data-line="N"` and, when
    /// its source text is not `shown`, ` data-src="…"`. Cells of one row
    /// mostly share a line, so a cell holding a value names its line only
    /// when it is not the line last named (`assets/page.js` carries it
    /// over), and ` data-line=""` when it has no place after one that had.
    fn source(&self, out: &mut String, spec: &TableSpec, at: Cell, shown: &str, valued: bool) {
        let Some(p) = self.prov else { return };
        let span = p.places.get(spec.key, at).map(|place| place.span);
        let line = span.map(|s| self.lines(p).line(s.start as usize));
        let mut last = self.last_line.get();
        match line_mark(&mut last, line, valued) {
            Some(Some(n)) => {
                out.push_str(" data-line=\"");
                push_decimal(out, n as u64);
                out.push('"');
            }
            Some(None) => out.push_str(" data-line=\"\""),
            None => {}
        }
        self.last_line.set(last);
        let Some(span) = span else { return };
        // Most values are read as they are shown: no text of their own to
        // build (a number has no blank to squash, no markup to drop).
        if p.text.get(span.range()) == Some(shown) {
            return;
        }
        let text = source_text(p.text, span, p.html);
        if text != shown {
            out.push_str(" data-src=\"");
            super::esc_to(out, &text);
            out.push('"');
        }
    }

    /// The page's tips, for `assets/page.js`: `{"f": [...], "n": [...]}`,
    /// each flag's hover line (`error CODE: message`) and each narrative
    /// figure's (`3件 (kind)`), in report order, so the cells' `data-f` and
    /// `data-n` point into them.
    fn tips(&self, h: &mut String) {
        let r = self.r;
        let f: Vec<String> = r
            .flags
            .iter()
            .map(|f| format!("{} {}: {}", f.severity.as_str(), f.code.as_str(), f.message))
            .collect();
        let n: Vec<String> = r
            .facts
            .iter()
            .map(|f| format!("{}{} ({})", f.value, f.unit, f.kind))
            .collect();
        let json = serde_json::json!({ "f": f, "n": n }).to_string();
        // `<` only inside JSON strings, where `\u003c` reads the same and
        // no `</script>` can close the element early.
        h.push_str("<script type=\"application/json\" id=\"tips\">");
        h.push_str(&json.replace('<', "\\u003c"));
        h.push_str("</script>\n<script src=\"../../assets/page.js\"></script>\n");
    }

    /// The narrative figures checked against this table, beside it.
    fn facts_beside(&self, h: &mut String, spec: &TableSpec) {
        let facts: Vec<&Fact> = self
            .r
            .facts
            .iter()
            .filter(|f| f.target.first().is_some_and(|t| t.0 == spec.key))
            .collect();
        if facts.is_empty() {
            return;
        }
        h.push_str("<aside class=\"facts\"><h3>Narrative figures</h3>\n<ul>\n");
        for f in facts {
            self.fact(h, f, Some(spec));
        }
        h.push_str("</ul></aside>\n");
    }

    /// Facts no drawn table speaks of.
    fn loose_facts(&self, h: &mut String) {
        let drawn = |f: &&Fact| {
            f.target.first().is_some_and(|t| {
                self.r
                    .read_on
                    .is_some_and(|tpl| tpl.tables.iter().any(|s| s.key == t.0))
            })
        };
        let loose: Vec<&Fact> = self.r.facts.iter().filter(|f| !drawn(f)).collect();
        if loose.is_empty() {
            return;
        }
        h.push_str("<section class=\"facts\"><h2>Other narrative figures</h2>\n<ul>\n");
        for f in loose {
            self.fact(h, f, None);
        }
        h.push_str("</ul></section>\n");
    }

    fn fact(&self, h: &mut String, f: &Fact, spec: Option<&TableSpec>) {
        let mut cells: Vec<String> = Vec::new();
        let mut sum = Some(0.0);
        for &(table, row, col) in f.target {
            let path = spec
                .and_then(|s| s.row(row).map(|(b, _)| crate::mapping::row_path(s, b, row)))
                .unwrap_or_else(|| row.to_string());
            let v = lookup(&self.tables, table.as_str(), &path, col.as_str());
            let shown = v.map_or("not found".to_string(), |v| match v {
                Value::Null => "blank".to_string(),
                v => v.to_string(),
            });
            sum = sum.zip(v.and_then(Value::as_f64)).map(|(a, b)| a + b);
            cells.push(format!(
                "<code>{table}.{path}.{col}</code> = {}",
                esc(&shown)
            ));
        }
        let verdict = match (spec, sum) {
            (None, _) | (_, None) => "open",
            (Some(_), Some(s)) if f.agrees_with(s) => "agrees",
            (Some(_), Some(_)) => "differs",
        };
        let _ = write!(
            h,
            r#"<li class="fact {verdict}" data-fact="{kind}"><b>{value}{unit}</b> <span class="kind">{kind}</span> <q>{sentence}</q>"#,
            kind = f.kind,
            value = f.value,
            unit = f.unit,
            sentence = esc(&f.sentence),
        );
        if !cells.is_empty() {
            let _ = write!(h, "<br>table: {}", cells.join(" + "));
        }
        let said = match verdict {
            "agrees" => "the table agrees",
            "differs" => "the table differs",
            _ if f.target.is_empty() => "no table cell states it",
            _ => "not compared: a cell is blank or missing",
        };
        let _ = writeln!(h, " <span class=\"verdict\">{said}</span></li>");
    }

    fn extra_rows(&self, h: &mut String, spec: &TableSpec) {
        let mine = self.r.extra_rows.iter().filter(|(k, _)| {
            k.as_str() == spec.key.as_str()
                || k.strip_prefix(spec.key.as_str())
                    .is_some_and(|x| x.starts_with('.'))
        });
        let mut any = false;
        for (key, list) in mine {
            for row in list.as_array().into_iter().flatten() {
                if !any {
                    h.push_str("<table class=\"extra\"><caption>Rows the template does not have (kept under extra_rows)</caption><tbody>\n");
                    any = true;
                }
                let label = row.get("label").and_then(Value::as_str).unwrap_or_default();
                let _ = write!(
                    h,
                    "<tr><td class=\"where\">{}</td><th>{}</th>",
                    esc(key),
                    esc(label)
                );
                for v in row
                    .get("values")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    h.push_str("<td>");
                    number(h, v);
                    h.push_str("</td>");
                }
                h.push_str("</tr>\n");
            }
        }
        if any {
            h.push_str("</tbody></table>\n");
        }
    }

    /// Every flag that names a table, grouped by the row it names, with the
    /// source excerpt around the row's cells when provenance exists.
    fn flagged_rows(&self, h: &mut String) {
        let mut groups: Vec<(TableKey, &str, Vec<&Flag>)> = Vec::new();
        for f in &self.r.flags {
            let Some(t) = f.table else { continue };
            let row = f.row.as_deref().unwrap_or_default();
            match groups.iter_mut().find(|g| g.0 == t && g.1 == row) {
                Some(g) => g.2.push(f),
                None => groups.push((t, row, vec![f])),
            }
        }
        if groups.is_empty() {
            return;
        }
        h.push_str("<section class=\"flagged\"><h2>Flagged rows</h2>\n");
        if self.prov.is_none() {
            h.push_str("<p class=\"no-excerpt\">Source excerpts are not available: this report carries no provenance (the line and byte range each value was read from). Each flag's evidence is shown instead.</p>\n");
        }
        for (table, row, flags) in groups {
            let sev = flags
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::Info);
            let where_ = if row.is_empty() {
                table.to_string()
            } else {
                format!("{table} · {row}")
            };
            let _ = writeln!(
                h,
                "<div class=\"row\" data-severity=\"{}\"><h3>{}</h3>",
                sev.as_str(),
                esc(&where_)
            );
            flag_list(h, &flags);
            if let Some(p) = self.prov {
                self.excerpt(h, p, table, &flags);
            }
            h.push_str("</div>\n");
        }
        h.push_str("</section>\n");
    }

    /// The lines holding the cells these flags name, with those cells
    /// marked.
    fn excerpt(&self, h: &mut String, p: &Provenance, table: TableKey, flags: &[&Flag]) {
        let Some(spec) = self
            .r
            .read_on
            .and_then(|t| t.tables.iter().find(|s| s.key == table))
        else {
            return;
        };
        let mut marks: Vec<Span> = Vec::new();
        for (bi, b) in spec.blocks.iter().enumerate() {
            for (ri, row) in b.rows.iter().enumerate() {
                let path = crate::mapping::row_path(spec, bi, row.key);
                for (ci, c) in b.columns.iter().enumerate() {
                    let at = Cell {
                        block: bi,
                        row: ri,
                        column: ci,
                    };
                    if flags.iter().any(|f| names(f, spec, &path, c.key.as_str()))
                        && let Some(place) = p.places.get(table, at)
                    {
                        marks.push(place.span);
                    }
                }
            }
        }
        let lines = self.lines(p);
        let line = |s: &Span| lines.line(s.start as usize);
        let (Some(lo), Some(hi)) = (marks.iter().map(line).min(), marks.iter().map(line).max())
        else {
            h.push_str("<p class=\"no-excerpt\">No value of these cells was read, so no source position is recorded.</p>\n");
            return;
        };
        let lo = lo.saturating_sub(CONTEXT).max(1);
        let hi = (hi + CONTEXT).min(lo + MAX_LINES);
        marks.sort_unstable_by_key(|s| (s.start, s.end));
        marks.dedup();
        h.push_str("<pre class=\"excerpt\">");
        p.excerpt(h, lines, lo, hi, &marks);
        h.push_str("</pre>\n");
    }

    fn narrative(&self, h: &mut String) {
        if self.r.sections.is_empty() {
            return;
        }
        h.push_str("<section class=\"narrative\"><h2>Sections</h2>\n");
        for s in &self.r.sections {
            let _ = writeln!(
                h,
                "<details><summary>{}</summary><div class=\"text\">{}</div></details>",
                esc(&s.heading),
                esc(&s.text)
            );
        }
        h.push_str("</section>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_LIKE: &str = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 3 | 0 | 5 |\n行政规范性文件 | 1 | 2 |\n";

    fn seed_like() -> Report {
        crate::parse_bytes(SEED_LIKE.as_bytes(), "t.txt")
    }

    #[test]
    fn cells_carry_keys_values_and_flags() {
        let r = seed_like();
        let html = render(&r, None);
        assert!(
            html.contains(r#"<td data-key="proactive.item_1.rules.issued""#),
            "{html}"
        );
        assert!(html.contains(">3</td>"));
        // The short row is named by an error flag: every cell of it marked.
        let short = r
            .flags
            .iter()
            .find(|f| f.row.as_deref() == Some("item_1.normative"))
            .expect("a flag on the short row");
        for col in ["issued", "repealed", "in_force"] {
            let key = format!(r#"data-key="proactive.item_1.normative.{col}""#);
            let at = html.find(&key).expect("cell drawn");
            let td = &html[at..at + html[at..].find('>').unwrap_or(0)];
            assert!(
                td.contains(&format!("data-severity=\"{}\"", short.severity.as_str())),
                "{td}"
            );
        }
        assert!(html.contains("Source excerpts are not available"));
    }

    #[test]
    fn provenance_adds_source_text_and_excerpts() {
        let opts = crate::Options {
            provenance: false,
            text: true,
        };
        let r = crate::parse_with(SEED_LIKE.as_bytes(), "t.txt", opts);
        let p = Provenance::of(&r).expect("text and places kept");
        let html = render(&r, Some(&p));
        // Each row names its line once; the cells after carry it over, and
        // a blank names none. The flag is pointed at, its message written
        // once, in the tips.
        for td in [
            r#"<td data-key="proactive.item_1.rules.issued" data-line="4">3</td>"#,
            r#"<td data-key="proactive.item_1.rules.repealed">0</td>"#,
            r#"<td data-key="proactive.item_1.normative.issued" data-severity="error" data-f="0" data-line="5">1</td>"#,
            r#"<td data-key="proactive.item_1.normative.in_force" class="null" data-severity="error" data-f="0"></td>"#,
        ] {
            assert!(html.contains(td), "{td} in {html}");
        }
        assert_eq!(
            html.matches("error ROW_SHORT: 2 cells").count(),
            1,
            "{html}"
        );
        assert!(html.contains(r#"<script src="../../assets/page.js"></script>"#));
        assert!(
            html.contains("行政规范性文件 | <mark>1</mark> | <mark>2</mark> |"),
            "{html}"
        );
        assert!(!html.contains("Source excerpts are not available"));
        // A long line is cut around the marked cell.
        let long = format!("{}规章 | 1 | 2 |{}", "x".repeat(5000), "y".repeat(5000));
        let mark = long.find("| 1 ").expect("value") + 2;
        let p = Provenance { text: &long, ..p };
        let mut cut = String::new();
        let span = Span::new(mark, mark + 1).expect("span");
        p.excerpt(&mut cut, &Lines::of(&long), 1, 1, &[span]);
        assert!(cut.contains("…xxx") && cut.contains("<mark>1</mark>") && cut.contains("yyy…"));
        assert!(cut.len() < 1000, "{}", cut.len());
    }

    #[test]
    fn each_cell_reads_back_its_own_line() {
        // As assets/page.js reads the marks: a cell's own `data-line`
        // (also "") becomes the line carried; a blank or absent cell
        // without one has none; a value without one takes the carried.
        let cases: [&[(Option<usize>, bool)]; 4] = [
            &[
                (Some(4), true),
                (Some(4), true),
                (Some(5), true),
                (Some(5), true),
            ],
            &[
                (Some(4), true),
                (None, true),
                (Some(4), true),
                (Some(4), true),
            ],
            &[
                (Some(4), true),
                (None, false),
                (Some(4), true),
                (Some(7), false),
                (Some(7), true),
            ],
            &[
                (None, true),
                (Some(3), true),
                (None, false),
                (None, true),
                (None, true),
            ],
        ];
        for cells in cases {
            let mut last = None;
            let mut carried: Option<usize> = None;
            let mut named = 0;
            for &(line, valued) in cells {
                let mark = line_mark(&mut last, line, valued);
                named += usize::from(mark.is_some());
                let read = match mark {
                    Some(m) => {
                        carried = m;
                        m
                    }
                    None if !valued => None,
                    None => carried,
                };
                assert_eq!(read, line, "{cells:?}");
            }
            assert!(
                named < cells.len() || cells.len() < 3,
                "{cells:?}: lines carried over"
            );
        }
    }

    #[test]
    fn numbers_written_as_the_json_writes_them() {
        for v in [0, 7, 10, 1234567, -4, -10, i64::MIN, i64::MAX] {
            let mut out = String::new();
            number(&mut out, &Value::from(v));
            assert_eq!(out, v.to_string());
        }
        for v in [u64::MAX, 12.5f64 as u64] {
            let mut out = String::new();
            number(&mut out, &Value::from(v));
            assert_eq!(out, v.to_string());
        }
        let mut out = String::new();
        number(&mut out, &Value::from(12.5));
        assert_eq!(out, "12.5");
    }

    #[test]
    fn rule_flags_name_each_row_of_the_sum() {
        let spec = crate::template::T2021.tables[1];
        let f = Flag::new(crate::flags::Code::RULE_BROKEN, "x")
            .table(TableKey::Requests)
            .row("new_received+carried_over")
            .column(crate::template::ColKey::Total);
        assert!(names(&f, spec, "carried_over", "total"));
        assert!(!names(&f, spec, "carried_over", "commercial"));
        assert!(!names(&f, spec, "granted", "total"));
        let block = Flag::new(crate::flags::Code::BLOCK_MISSING, "x")
            .table(TableKey::Proactive)
            .row("item_1");
        let p = crate::template::T2021.tables[0];
        assert!(names(&block, p, "item_1.rules", "issued"));
        assert!(!names(&block, p, "item_10.rules", "issued"));
        let wide = Flag::new(crate::flags::Code::ROW_SHORT, "x").table(TableKey::Reviews);
        assert!(names(
            &wide,
            crate::template::T2021.tables[2],
            "review",
            "total"
        ));
        let labelled = Flag::new(crate::flags::Code::EXTRA_ROW, "x").table(TableKey::Requests);
        assert!(!names(&labelled, spec, "granted", "total"));
    }
}
