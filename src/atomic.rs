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
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let regular = std::fs::metadata(path).map(|m| m.is_file()).unwrap_or(true);
        if !regular {
            let out = BufWriter::new(File::options().write(true).open(path)?);
            return Ok(AtomicFile { out, names: None });
        }
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

/// `.name.<pid>.<n>.tmp` beside the target: hidden, so a later batch over the
/// same tree skips it, and unique across threads and processes.
fn temp_name(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = N.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()))
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
}
