//! Output files that are either complete or absent: a killed run must never
//! leave half a JSON or CSV where an analyst would read it.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` through a temporary file in the same folder and a
/// rename. A path that is not a regular file (`/dev/null`, a named pipe) is
/// written directly: renaming over it would replace the device itself.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// A file being written under a temporary name; [`AtomicFile::commit`]
/// renames it into place, dropping it uncommitted removes it.
pub struct AtomicFile {
    out: BufWriter<File>,
    /// `(temporary, final)` when renaming; `None` for a direct write.
    names: Option<(PathBuf, PathBuf)>,
}

impl AtomicFile {
    /// Missing parent folders are made, and temporary files of this target
    /// left by runs that died are removed.
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let regular = std::fs::metadata(path).map(|m| m.is_file()).unwrap_or(true);
        if !regular {
            let out = BufWriter::new(File::options().write(true).open(path)?);
            return Ok(AtomicFile { out, names: None });
        }
        let dir = folder(path);
        std::fs::create_dir_all(dir)?;
        remove_stale(dir, |name| {
            temp_of(name).is_some_and(|t| Some(t) == file_name(path).as_deref())
        });
        let tmp = temp_name(path);
        let out = BufWriter::with_capacity(64 * 1024, File::create(&tmp)?);
        Ok(AtomicFile {
            out,
            names: Some((tmp, path.to_path_buf())),
        })
    }

    pub fn commit(mut self) -> io::Result<()> {
        self.out.flush()?;
        match self.names.take() {
            None => Ok(()),
            Some((tmp, path)) => std::fs::rename(&tmp, &path).inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            }),
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some((tmp, _)) = &self.names {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Whether `a` and `b` name the same existing file (an output that would
/// replace an input).
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        x.dev() == y.dev() && x.ino() == y.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (x, y);
        matches!((a.canonicalize(), b.canonicalize()), (Ok(p), Ok(q)) if p == q)
    }
}

/// [`write`] for one of many files written into folders that exist and
/// whose dead runs' temporary files were removed once when the run
/// started ([`remove_stale_tree`]), all regular files of this run's own
/// naming (the review site's pages): no folder made, stated or listed per
/// file, so a page costs a create, a write and a rename.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_name(path);
    let written = File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Remove the temporary files of dead runs anywhere below `dir` (the
/// per-report JSON of `batch --out`, the review site's pages).
pub fn remove_stale_tree(dir: &Path) {
    let folders = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir());
    for d in folders {
        remove_stale(d.path(), |name| temp_of(name).is_some());
    }
}

/// Remove the files of `dir` that are our temporary files (`which` says
/// of which target) written by a process that no longer runs.
fn remove_stale(dir: &Path, which: impl Fn(&str) -> bool) {
    let Ok(list) = std::fs::read_dir(dir) else {
        return;
    };
    for e in list.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if which(name) && temp_pid(name).is_some_and(dead) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// `.name.<pid>.<n>.tmp` beside the target: hidden, so a later batch over the
/// same tree skips it, and unique across threads and processes.
fn temp_name(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let name = file_name(path).unwrap_or_default();
    let n = N.fetch_add(1, Ordering::Relaxed);
    folder(path).join(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

fn folder(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn file_name(path: &Path) -> Option<String> {
    path.file_name().map(|n| n.to_string_lossy().into_owned())
}

/// The target name of a temporary file name, if it is one.
fn temp_of(tmp: &str) -> Option<&str> {
    let inner = tmp.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (rest, n) = inner.rsplit_once('.')?;
    let (name, pid) = rest.rsplit_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(n) && digits(pid)).then_some(name)
}

fn temp_pid(tmp: &str) -> Option<u32> {
    let name = temp_of(tmp)?;
    let inner = tmp.get(name.len() + 2..tmp.len() - 4)?;
    inner.split('.').next()?.parse().ok()
}

/// Whether process `pid` has ended. Only where `/proc` tells; elsewhere
/// nothing is taken for dead.
fn dead(pid: u32) -> bool {
    pid != std::process::id()
        && Path::new("/proc/self").exists()
        && !Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        {
            let mut f = AtomicFile::create(&path).unwrap();
            f.write_all(b"{\"half\":").unwrap();
        }
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write(&path, b"{}").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporary_files_of_dead_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("all.jsonl");
        // pid 0 is never a process of ours; our own pid is alive.
        let dead = dir.path().join(".all.jsonl.0.7.tmp");
        let alive = dir
            .path()
            .join(format!(".all.jsonl.{}.99.tmp", std::process::id()));
        let other = dir.path().join(".b.json.0.1.tmp");
        for p in [&dead, &alive, &other] {
            std::fs::write(p, b"half").unwrap();
        }
        assert_eq!(temp_of(".a.b.json.12.3.tmp"), Some("a.b.json"));
        assert_eq!(temp_pid(".a.b.json.12.3.tmp"), Some(12));
        assert_eq!(temp_of(".a.json.x.3.tmp"), None);
        let f = AtomicFile::create(&path).unwrap();
        assert!(!dead.exists() && alive.exists() && other.exists());
        drop(f);
        remove_stale_tree(dir.path());
        assert!(!other.exists() && alive.exists());
        let nested = dir.path().join("new/dir/x.json");
        write(&nested, b"{}").unwrap();
        assert!(nested.exists());
    }
}
