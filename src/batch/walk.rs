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
    /// Why the walk could not list it (permission, broken link, loop).
    pub problem: Option<String>,
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
                Box::new(stdin_paths().map(|p| named(&p)))
            } else if input.is_dir() {
                Box::new(walk(input, filter))
            } else {
                Box::new(std::iter::once(named(input)))
            }
        })
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

fn stdin_paths() -> impl Iterator<Item = PathBuf> {
    std::io::stdin()
        .lock()
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .map(|l| PathBuf::from(l.trim_end_matches('\r')))
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
                    path,
                })
            }
        })
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
