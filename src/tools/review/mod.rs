//! `gongkai batch … --review DIR`: a static site an analyst opens from
//! `file://`, with no network and no script or font from elsewhere.
//!
//! - `DIR/index.html` lists every parsed report (agency, year, template,
//!   status, flag counts and codes) with filters, sorting, pages and a bar
//!   chart of the flag codes. Its rows live in `DIR/data/rows-NNNNN.js`,
//!   chunks of [`CHUNK`] rows written in input order as the batch goes: a
//!   `<script src>` loads over `file://` where fetching JSON is refused, and
//!   the batch never holds more than one chunk.
//! - `DIR/r/xx/<name>.html`, one page per report ([`page`]): its tables
//!   drawn as the printed forms ([`form`]), every flag on the cells it
//!   names. Pages are rendered and written on the worker threads.
//! - `DIR/assets/`: the style sheet, the index's script and the pages'
//!   (which builds each cell's hover from the page's one list of flag
//!   messages, so a message is not repeated in every cell it names).
//!
//! Every file is written atomically ([`crate::atomic`]).

mod form;
mod index;
mod page;

pub use page::{Provenance, render};

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::Error;
use crate::flags::{Code, Severity};
use crate::report::Report;

/// Index rows per data file: small enough to show the first page at once,
/// few enough files at 100,000 reports.
pub const CHUNK: usize = 1000;

const CSS: &str = include_str!("assets/review.css");
const INDEX_JS: &str = include_str!("assets/index.js");
const PAGE_JS: &str = include_str!("assets/page.js");

/// The site of one batch: the index, filled in input order.
pub struct Site {
    dir: PathBuf,
    index: index::Index,
}

/// Writes the report pages; cloned into the worker threads.
#[derive(Debug, Clone)]
pub struct Pages {
    dir: PathBuf,
    /// Which of the 256 folders `r/xx/` ([`page_name`]) this run has made
    /// sure of: each is made at its first page, not asked for at every one.
    made: Arc<[AtomicBool; 256]>,
}

/// What the index keeps of one report whose page was written.
#[derive(Debug)]
pub struct Entry {
    /// The index row, a JSON array (see `assets/index.js`).
    row: String,
    status: Status,
    /// The report's flag codes with their number of occurrences.
    codes: Vec<(Code, u64)>,
}

/// A report's verdict in the index, as the batch summary counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// At least one error flag.
    Malformed,
    /// Warnings but no error.
    Warning,
    /// No error and no warning.
    Clean,
}

impl Status {
    fn of(r: &Report) -> Status {
        match r.flags.iter().map(|f| f.severity).max() {
            Some(Severity::Error) => Status::Malformed,
            Some(Severity::Warning) => Status::Warning,
            _ => Status::Clean,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Status::Malformed => "malformed",
            Status::Warning => "warning",
            Status::Clean => "clean",
        }
    }
}

impl Site {
    /// Make the folders and write the assets, so a path that cannot be
    /// written stops the batch before the first report.
    pub fn open(dir: &Path) -> Result<Site, Error> {
        let fail = |path: PathBuf| move |io| Error::Write { path, io };
        for sub in ["assets", "data", "r"] {
            let d = dir.join(sub);
            std::fs::create_dir_all(&d).map_err(fail(d))?;
        }
        // A dead run's temporary pages, removed once rather than looked
        // for at every page.
        crate::atomic::remove_stale_tree(&dir.join("r"));
        for (name, text) in [
            ("review.css", CSS),
            ("index.js", INDEX_JS),
            ("page.js", PAGE_JS),
        ] {
            let p = dir.join("assets").join(name);
            crate::atomic::write(&p, text.as_bytes()).map_err(fail(p))?;
        }
        Ok(Site {
            dir: dir.to_path_buf(),
            index: index::Index::new(dir),
        })
    }

    /// The page writer for the worker threads.
    pub fn pages(&self) -> Pages {
        Pages {
            dir: self.dir.clone(),
            made: Arc::new(std::array::from_fn(|_| AtomicBool::new(false))),
        }
    }

    /// Add a report to the index, in input order. `page` is what
    /// [`Pages::write`] returned; an error names the file.
    pub fn add(&mut self, page: &Result<Entry, String>) -> Result<(), String> {
        let entry = page.as_ref().map_err(Clone::clone)?;
        self.index.add(entry)
    }

    /// Write the last chunk and `index.html`.
    pub fn finish(self) -> Result<(), String> {
        self.index.finish()
    }
}

impl Pages {
    /// Render and write the page of the report read from `source`.
    /// `provenance` (the report's, with its decoded text) adds each cell's
    /// source text and the excerpts around flagged rows.
    pub fn write(
        &self,
        source: &Path,
        report: &Report,
        provenance: Option<&Provenance>,
    ) -> Result<Entry, String> {
        let name = page_name(source);
        let path = self.dir.join(&name);
        let html = page::render(report, provenance);
        let folder = name
            .get(2..4)
            .and_then(|x| u8::from_str_radix(x, 16).ok())
            .and_then(|x| self.made.get(usize::from(x)));
        let made = match (folder, path.parent()) {
            (Some(m), _) if m.load(Ordering::Relaxed) => Ok(()),
            (m, Some(dir)) => std::fs::create_dir_all(dir).inspect(|()| {
                if let Some(m) = m {
                    m.store(true, Ordering::Relaxed);
                }
            }),
            (_, None) => Ok(()),
        };
        made.and_then(|()| crate::atomic::write_new(&path, html.as_bytes()))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(index::entry(report, &name))
    }
}

/// `r/<2 hex>/<readable>-<16 hex>.html` for a source path. The hex is the
/// SHA-256 of the path's bytes, so different paths get different names
/// (also paths that differ only in bytes that are not UTF-8), and the two
/// first digits spread 100,000 pages over 256 folders. The readable part
/// (the last two components, ASCII letters and digits only) helps a person
/// browsing the folder; nothing in the name can leave its folder or needs
/// escaping in a URL.
fn page_name(source: &Path) -> String {
    let hash = crate::report::sha256_hex(source.as_os_str().as_encoded_bytes());
    let mut readable = String::new();
    let parts: Vec<_> = source.iter().collect();
    for part in &parts[parts.len().saturating_sub(2)..] {
        for c in part.to_string_lossy().chars() {
            if c.is_ascii_alphanumeric() {
                readable.push(c);
            } else if !readable.is_empty() && !readable.ends_with('-') {
                readable.push('-');
            }
        }
        if !readable.is_empty() && !readable.ends_with('-') {
            readable.push('-');
        }
        if readable.len() > 40 {
            readable.truncate(40);
            break;
        }
    }
    if !readable.is_empty() && !readable.ends_with('-') {
        readable.push('-');
    }
    format!("r/{}/{readable}{}.html", &hash[..2], &hash[2..18])
}

/// Bytes that [`esc`] replaces.
fn special(b: &u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
}

/// Text for HTML (element content and quoted attribute values).
fn esc(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| special(&b)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    esc_to(&mut out, s);
    Cow::Owned(out)
}

/// [`esc`] written straight into `out`.
fn esc_to(out: &mut String, s: &str) {
    let mut rest = s;
    // Only ASCII bytes are replaced, so every cut is on a char boundary.
    while let Some(i) = rest.bytes().position(|b| special(&b)) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names_stay_in_their_folder_and_apart() {
        let a = page_name(Path::new("../shared/corpus/000-seed/input.txt"));
        assert!(a.starts_with("r/") && a.ends_with(".html"), "{a}");
        assert!(a.contains("/000-seed-input-txt-"), "{a}");
        let b = page_name(Path::new("../shared/corpus/001-x/input.txt"));
        assert_ne!(a, b);
        for p in [
            "/../../etc/passwd",
            "..",
            "a/<script>/\"x\".html",
            "上海/报告.html",
        ] {
            let n = page_name(Path::new(p));
            let tail = n.strip_prefix("r/").expect("prefix");
            assert!(
                tail.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.')),
                "{n}"
            );
            assert_eq!(tail.matches('/').count(), 1, "{n}");
            assert!(!tail.contains(".."), "{n}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let x = page_name(Path::new(std::ffi::OsStr::from_bytes(b"a/\xff.html")));
            let y = page_name(Path::new(std::ffi::OsStr::from_bytes(b"a/\xfe.html")));
            assert_ne!(x, y, "paths that are not UTF-8 differ by their bytes");
        }
    }

    #[test]
    fn pages_written_whole_and_a_dead_runs_temporaries_removed() {
        let dir = std::env::temp_dir().join(format!("gongkai-site-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let stale = dir.join("r/ab/.x-0123.html.4294967294.0.tmp");
        std::fs::create_dir_all(stale.parent().expect("folder")).expect("folder");
        std::fs::write(&stale, "half a page").expect("stale");
        let site = Site::open(&dir).expect("site");
        assert!(!stale.exists(), "a dead run's temporary page is removed");
        let report = crate::parse_bytes(b"x", "a/b.txt");
        let pages = site.pages();
        for _ in 0..2 {
            pages
                .write(Path::new("a/b.txt"), &report, None)
                .expect("page");
        }
        let page = dir.join(page_name(Path::new("a/b.txt")));
        let html = std::fs::read_to_string(&page).expect("page written");
        assert!(html.ends_with("</html>\n"), "{html}");
        let folder = std::fs::read_dir(page.parent().expect("folder")).expect("list");
        assert_eq!(folder.count(), 1, "no temporary file left beside the page");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
        assert!(matches!(esc("规章"), Cow::Borrowed(_)));
    }
}
