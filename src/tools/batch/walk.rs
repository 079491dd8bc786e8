//! Which files a batch reads, and in what order: the arguments as given,
//! each directory walked depth-first by sorted name, `-` as a list of paths
//! on stdin (one per line). The order is fixed so two runs diff clean.

use std::ffi::OsStr;
use std::io::BufRead;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

/// One input as the walk found it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    /// Where its outputs go below `--out`: the path below the directory
    /// argument it was found in, or the path as given for files named
    /// directly (without root, `.` and `..` so it cannot leave `--out`).
    pub rel: PathBuf,
    /// Why the walk could not list it (permission, broken link, loop), or
    /// why a line of the stdin list is no path.
    pub problem: Option<String>,
    /// A FIFO, socket or device met in a walk: counted, never opened (a
    /// FIFO would wait for a writer forever).
    pub special: Option<&'static str>,
}

impl Entry {
    /// The path as shown in messages and CSV (bytes that are not UTF-8 as
    /// `\xNN`).
    pub fn shown(&self) -> String {
        crate::input::shown(&self.path)
    }
}

/// Which files inside walked directories count as reports. Files named
/// directly (arguments, stdin list) are always read.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Lower-case extensions without the dot; empty means every file.
    exts: Vec<String>,
}

impl Filter {
    pub const DEFAULT: &'static [&'static str] = &["html", "htm", "shtml", "txt"];

    /// `*` among the extensions takes every file.
    pub fn new<S: AsRef<str>>(exts: &[S]) -> Filter {
        let exts: Vec<String> = exts
            .iter()
            .map(|e| e.as_ref().trim_start_matches('.').to_lowercase())
            .collect();
        Filter {
            exts: if exts.iter().any(|e| e == "*") {
                Vec::new()
            } else {
                exts
            },
        }
    }

    /// Whether a file found inside a folder is read.
    pub fn accepts(&self, path: &Path) -> bool {
        self.exts.is_empty()
            || path
                .extension()
                .and_then(OsStr::to_str)
                .is_some_and(|e| self.exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }
}

impl Default for Filter {
    fn default() -> Filter {
        Filter::new(Filter::DEFAULT)
    }
}

/// Every input in order. Lazy: a tree of a million files is never held.
pub fn entries<'a>(inputs: &'a [PathBuf], filter: &'a Filter) -> impl Iterator<Item = Entry> + 'a {
    inputs
        .iter()
        .flat_map(move |input| -> Box<dyn Iterator<Item = Entry>> {
            if input.as_os_str() == "-" {
                Box::new(stdin_entries())
            } else if input.is_dir() {
                Box::new(walk(input, filter))
            } else {
                Box::new(std::iter::once(named(input)))
            }
        })
}

/// The folder argument whose walk would read `file` (an output about to be
/// written there), if any: `file` lies below it, under no hidden name, and
/// the filter takes its extension.
pub fn walked_by<'a>(file: &Path, inputs: &'a [PathBuf], filter: &Filter) -> Option<&'a PathBuf> {
    let name = file.file_name()?;
    if name.to_string_lossy().starts_with('.') || !filter.accepts(file) {
        return None;
    }
    let at = real(file.parent()?)?;
    inputs
        .iter()
        .filter(|i| i.is_dir())
        .find(|dir| real(dir).and_then(|d| at.strip_prefix(&d).ok().map(hidden_free)) == Some(true))
}

/// `path` made absolute through its nearest existing ancestor (the rest
/// may not exist yet).
fn real(path: &Path) -> Option<PathBuf> {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(p) = at.canonicalize() {
            return Some(rest.iter().rev().fold(p, |p, c| p.join(c)));
        }
        rest.push(at.file_name()?);
        at = at.parent()?;
        if at.as_os_str().is_empty() {
            at = Path::new(".");
        }
    }
}

fn hidden_free(rel: &Path) -> bool {
    rel.components()
        .all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
}

/// Count the files and bytes [`entries`] will yield, without stdin (which can
/// be read only once). For a progress bar's total.
pub fn count(inputs: &[PathBuf], filter: &Filter) -> (u64, u64) {
    let named: Vec<PathBuf> = inputs
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    entries(&named, filter).fold((0, 0), |(n, bytes), e| {
        let len = std::fs::metadata(&e.path).map(|m| m.len()).unwrap_or(0);
        (n + 1, bytes + len)
    })
}

/// The stdin list, read as bytes: a name that is not UTF-8 is a path like
/// any other. A line that cannot be a path (a NUL byte in it) becomes an
/// entry with a problem; only a failing read ends the list, with a line
/// that says so.
fn stdin_entries() -> impl Iterator<Item = Entry> {
    let mut input = std::io::stdin().lock();
    let mut line_no = 0usize;
    let mut failed = false;
    std::iter::from_fn(move || {
        while !failed {
            let mut line = Vec::new();
            line_no += 1;
            match input.read_until(b'\n', &mut line) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    let mut entry = named(Path::new("-"));
                    entry.problem = Some(format!("the list stops at line {line_no}: {e}"));
                    // Nothing more can be read from it.
                    failed = true;
                    return Some(entry);
                }
            }
            while line.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
                line.pop();
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(list_entry(line, line_no));
        }
        None
    })
}

fn list_entry(line: Vec<u8>, line_no: usize) -> Entry {
    if line.contains(&0) {
        let shown = String::from_utf8_lossy(&line).replace('\0', "\\0");
        let mut entry = named(Path::new(&format!("-:{line_no}")));
        entry.problem = Some(format!(
            "line {line_no} of the list is no path (it holds a NUL byte): {shown}"
        ));
        return entry;
    }
    #[cfg(unix)]
    let path = {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(line))
    };
    #[cfg(not(unix))]
    let path = match String::from_utf8(line) {
        Ok(s) => PathBuf::from(s),
        Err(e) => {
            let mut entry = named(Path::new(&format!("-:{line_no}")));
            entry.problem = Some(format!(
                "line {line_no} of the list is not UTF-8, which paths here must be: {}",
                String::from_utf8_lossy(e.as_bytes())
            ));
            return entry;
        }
    };
    named(&path)
}

fn named(path: &Path) -> Entry {
    let rel: PathBuf = path
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect();
    Entry {
        path: path.to_path_buf(),
        rel,
        problem: None,
        special: None,
    }
}

fn walk<'a>(root: &'a Path, filter: &'a Filter) -> impl Iterator<Item = Entry> + 'a {
    WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // Hidden names: version-control folders, editors' files, our own
        // temporary outputs.
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(move |r| match r {
            Ok(e) if e.file_type().is_dir() => None,
            Ok(e) if !filter.accepts(e.path()) => None,
            Ok(e) => Some(Entry {
                rel: e
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(e.path())
                    .to_path_buf(),
                special: special_kind(e.file_type()),
                path: e.into_path(),
                problem: None,
            }),
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                // An unlistable folder hides reports; a broken link to a
                // file the filter would skip hides nothing.
                let folder = err.loop_ancestor().is_some() || path.is_dir();
                if !folder && !filter.accepts(&path) {
                    return None;
                }
                Some(Entry {
                    rel: path.strip_prefix(root).unwrap_or(&path).to_path_buf(),
                    problem: Some(walk_error(&err)),
                    special: None,
                    path,
                })
            }
        })
}

/// What a file that is not a regular file is, for its line.
fn special_kind(t: std::fs::FileType) -> Option<&'static str> {
    if t.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("named pipe (FIFO)");
        }
        if t.is_socket() {
            return Some("socket");
        }
        if t.is_block_device() || t.is_char_device() {
            return Some("device");
        }
    }
    Some("not a regular file")
}

fn walk_error(err: &walkdir::Error) -> String {
    match (err.loop_ancestor(), err.io_error()) {
        (Some(a), _) => format!("symbolic link loop back to {}", a.display()),
        (None, Some(io)) => io.to_string(),
        (None, None) => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_filtered_and_mirrors_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "b/2.HTML",
            "b/1.txt",
            "a.htm",
            "c.json",
            ".hidden/x.html",
            "b/.y.txt",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        }
        let inputs = vec![root.to_path_buf()];
        let filter = Filter::default();
        let rels: Vec<String> = entries(&inputs, &filter)
            .map(|e| e.rel.display().to_string())
            .collect();
        assert_eq!(rels, ["a.htm", "b/1.txt", "b/2.HTML"]);
        assert_eq!(count(&inputs, &filter), (3, 3));
        let all: Vec<Entry> = entries(&inputs, &Filter::new(&["*"])).collect();
        assert_eq!(all.len(), 4);
    }

    #[test]
    fn named_files_keep_their_path_inside_out() {
        assert_eq!(
            named(Path::new("/x/../y/./z.txt")).rel,
            PathBuf::from("x/y/z.txt")
        );
    }
}
