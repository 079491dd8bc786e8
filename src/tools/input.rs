//! Stage 0: one input's bytes and its name. Reading is bounded (at most
//! [`MAX_BYTES`] + 1 bytes, whatever the file: a 2 GB dump, `/dev/zero`, a
//! pipe), and a name that is not UTF-8 (a GBK file name from a Chinese
//! Windows zip) is kept losslessly.

use std::io::Read;
use std::path::Path;

use crate::error::Error;
pub use crate::report::MAX_BYTES;
use crate::report::{Options, Report};

/// What was read of one input.
#[derive(Debug, Clone)]
pub struct Input {
    /// The first [`MAX_BYTES`] + 1 bytes at most: one more than the parser
    /// reads, so it knows that the rest was left out.
    pub bytes: Vec<u8>,
    /// The source's length: the file system's for a regular file, else
    /// what was read.
    pub size: u64,
}

impl Input {
    /// Read `path` through the cap; `-` is standard input.
    pub fn read(path: &Path) -> Result<Input, Error> {
        let fail = |e| Error::Read {
            path: path.to_path_buf(),
            io: e,
        };
        if path.as_os_str() == "-" {
            return Input::bounded(std::io::stdin().lock(), None).map_err(fail);
        }
        let file = std::fs::File::open(path).map_err(fail)?;
        let size = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        Input::bounded(file, size).map_err(fail)
    }

    fn bounded(r: impl Read, size: Option<u64>) -> std::io::Result<Input> {
        let cap = MAX_BYTES as u64 + 1;
        let hint = size.map_or(64 << 10, |s| s.min(cap));
        let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
        r.take(cap).read_to_end(&mut bytes)?;
        let read = bytes.len() as u64;
        Ok(Input {
            size: size.unwrap_or(read).max(read),
            bytes,
        })
    }

    /// More was there than the parser reads.
    pub fn too_large(&self) -> bool {
        self.bytes.len() > MAX_BYTES
    }
}

/// A path as text for the JSON, the CSV and messages: UTF-8 as it is, every
/// byte that is not UTF-8 as `\xNN`; then, only when there were such bytes,
/// the raw path as lower-case hex (`source.path_bytes`), so nothing is lost.
pub fn path_text(path: &Path) -> (String, Option<String>) {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let raw = path.as_os_str().as_bytes();
        if std::str::from_utf8(raw).is_ok() {
            return (path.display().to_string(), None);
        }
        let mut text = String::with_capacity(raw.len() + 8);
        for chunk in raw.utf8_chunks() {
            text.push_str(chunk.valid());
            for b in chunk.invalid() {
                text.push_str(&format!("\\x{b:02x}"));
            }
        }
        let hex = raw.iter().map(|b| format!("{b:02x}")).collect();
        (text, Some(hex))
    }
    #[cfg(not(unix))]
    {
        (path.display().to_string(), None)
    }
}

/// [`path_text`] without the raw bytes: for messages and CSV cells.
pub fn shown(path: &Path) -> String {
    path_text(path).0
}

/// Read (through the cap) and parse one file; `-` is standard input. `Err`
/// only when the file cannot be read or holds no text at all.
pub fn parse_file(path: &Path) -> Result<Report, Error> {
    parse_file_with(path, Options::default())
}

/// [`parse_file`], keeping what `opts` asks for (provenance, the text).
pub fn parse_file_with(path: &Path, opts: Options) -> Result<Report, Error> {
    parse_input_with(&Input::read(path)?, path, opts)
}

/// Parse what was read of `path`; `source.bytes` is the whole input's size.
pub fn parse_input(input: &Input, path: &Path) -> Result<Report, Error> {
    parse_input_with(input, path, Options::default())
}

/// [`parse_input`], keeping what `opts` asks for.
pub fn parse_input_with(input: &Input, path: &Path, opts: Options) -> Result<Report, Error> {
    if is_binary(&input.bytes) {
        return Err(Error::Binary {
            path: path.to_path_buf(),
            too_large: input.too_large(),
        });
    }
    let mut report = parse_named_with(&input.bytes, path, opts)?;
    report.source.bytes = usize::try_from(input.size).unwrap_or(usize::MAX);
    Ok(report)
}

/// Parse bytes that came from `path` (held in memory whole).
pub fn parse_named(bytes: &[u8], path: &Path) -> Result<Report, Error> {
    parse_named_with(bytes, path, Options::default())
}

/// [`parse_named`], keeping what `opts` asks for.
pub fn parse_named_with(bytes: &[u8], path: &Path, opts: Options) -> Result<Report, Error> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    if is_binary(bytes) {
        return Err(Error::Binary {
            path: path.to_path_buf(),
            too_large: bytes.len() > MAX_BYTES,
        });
    }
    let (text, raw) = path_text(path);
    let mut report = crate::report::parse_with(bytes, &text, opts);
    report.source.path_bytes = raw;
    Ok(report)
}

/// NUL bytes outside UTF-16 text mean binary data (an image, a PDF, a zip).
/// UTF-16 without a BOM is recognised by its pattern of zero bytes.
fn is_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..8192).unwrap_or(bytes);
    let utf16 = head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || crate::decode::utf16_without_bom(head).is_some();
    !utf16 && head.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_no_more_than_the_cap_plus_one() {
        let big = std::io::repeat(b'x');
        let input = Input::bounded(big, None).unwrap();
        assert_eq!(input.bytes.len(), MAX_BYTES + 1);
        assert!(input.too_large());
        let small = Input::bounded(&b"abc"[..], Some(3)).unwrap();
        assert_eq!((small.size, small.too_large()), (3, false));
    }

    #[cfg(unix)]
    #[test]
    fn gbk_names_are_escaped_and_kept_whole() {
        use std::os::unix::ffi::OsStrExt;
        // 报告.txt in GBK.
        let raw = b"dir/\xb1\xa8\xb8\xe6.txt";
        let p = Path::new(std::ffi::OsStr::from_bytes(raw));
        let (text, hex) = path_text(p);
        assert_eq!(text, "dir/\\xb1\\xa8\\xb8\\xe6.txt");
        assert_eq!(hex.as_deref(), Some("6469722fb1a8b8e62e747874"));
        assert_eq!(
            path_text(Path::new("目录/a.txt")),
            ("目录/a.txt".into(), None)
        );
    }
}
