//! gongkai reads one 政府信息公开工作年度报告 (HTML or flattened text, any
//! common Chinese encoding), maps its statistics onto the official templates,
//! checks them and says, with flags, what cannot be trusted.
//!
//! The modules follow the data: [`decode`] → [`blocks`] → [`grid`] (each
//! table's geometry) → [`sections`] → [`stream`] (labels and values) →
//! [`mapping`] on [`template`] → [`checks`] → [`report`] (JSON). [`series`]
//! reads that JSON back and checks one agency's reports across years.

pub mod arithmetic;
pub mod atomic;
pub mod batch;
pub mod bench;
pub mod blocks;
pub mod cells;
pub mod checks;
pub mod decode;
pub mod detect;
pub mod error;
pub mod facts;
pub mod flags;
pub mod grid;
pub mod input;
pub mod mapping;
pub mod meta;
pub mod normalize;
pub mod ordered;
pub mod report;
pub mod review;
pub mod schema;
pub mod sections;
pub mod series;
pub mod shape;
pub mod split;
pub mod stream;
pub mod synth;
pub mod template;
pub mod value;

pub use error::Error;
pub use flags::{Code, Flag, Severity};
pub use report::{Report, parse_bytes};

use std::path::Path;

pub use input::Input;

/// Read (through the cap) and parse one file; `-` is standard input. `Err`
/// only when the file cannot be read or holds no text at all.
pub fn parse_file(path: &Path) -> Result<Report, Error> {
    parse_input(&Input::read(path)?, path)
}

/// Parse what was read of `path`; `source.bytes` is the whole input's size.
pub fn parse_input(input: &Input, path: &Path) -> Result<Report, Error> {
    if is_binary(&input.bytes) {
        return Err(Error::Binary {
            path: path.to_path_buf(),
            too_large: input.too_large(),
        });
    }
    let mut report = parse_named(&input.bytes, path)?;
    report.source.bytes = usize::try_from(input.size).unwrap_or(usize::MAX);
    Ok(report)
}

/// Parse bytes that came from `path` (held in memory whole).
pub fn parse_named(bytes: &[u8], path: &Path) -> Result<Report, Error> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    if is_binary(bytes) {
        return Err(Error::Binary {
            path: path.to_path_buf(),
            too_large: bytes.len() > report::MAX_BYTES,
        });
    }
    let (text, raw) = input::path_text(path);
    let mut report = parse_bytes(bytes, &text);
    report.source.path_bytes = raw;
    Ok(report)
}

/// NUL bytes outside UTF-16 text mean binary data (an image, a PDF, a zip).
/// UTF-16 without a BOM is recognised by its pattern of zero bytes.
fn is_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..8192).unwrap_or(bytes);
    let utf16 = head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || decode::utf16_without_bom(head).is_some();
    !utf16 && head.contains(&0)
}
