//! gongkai reads one 政府信息公开工作年度报告 (HTML or flattened text, any
//! common Chinese encoding), maps its statistics onto the official templates,
//! checks them and says, with flags, what cannot be trusted.
//!
//! The modules follow the data: [`decode`] → [`blocks`] → [`sections`] →
//! [`stream`] (labels and values) → [`mapping`] on [`template`] →
//! [`checks`] → [`report`] (JSON).

pub mod atomic;
pub mod batch;
pub mod bench;
pub mod blocks;
pub mod checks;
pub mod decode;
pub mod error;
pub mod facts;
pub mod flags;
pub mod mapping;
pub mod meta;
pub mod normalize;
pub mod report;
pub mod review;
pub mod sections;
pub mod split;
pub mod stream;
pub mod synth;
pub mod template;
pub mod value;

pub use error::Error;
pub use flags::{Code, Flag, Severity};
pub use report::{Report, parse_bytes};

use std::path::Path;

/// Read and parse one file. `Err` only when the file cannot be read or holds
/// no text at all.
pub fn parse_file(path: &Path) -> Result<Report, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_named(&bytes, path)
}

/// Parse bytes that came from `path` (used for stdin too).
pub fn parse_named(bytes: &[u8], path: &Path) -> Result<Report, Error> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    if is_binary(bytes) {
        return Err(Error::Binary {
            path: path.to_path_buf(),
        });
    }
    Ok(parse_bytes(bytes, &path.display().to_string()))
}

/// NUL bytes outside UTF-16 text mean binary data (an image, a PDF, a zip).
fn is_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..8192).unwrap_or(bytes);
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    !utf16 && head.contains(&0)
}
