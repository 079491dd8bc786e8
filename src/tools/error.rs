//! Errors are for "could not read this at all"; findings about a report that
//! was read are flags. Each message names the file once and says the cause
//! once (the I/O error is part of the message, not a second link of a
//! chain that a printer would repeat).

use std::path::PathBuf;

use crate::input::shown;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{}: {}", shown(path), self.reason())]
    Read { path: PathBuf, io: std::io::Error },
    #[error("{}: {}", shown(path), self.reason())]
    Empty { path: PathBuf },
    #[error("{}: {}", shown(path), self.reason())]
    Binary { path: PathBuf, too_large: bool },
    #[error("{}: {}", shown(path), self.reason())]
    Write { path: PathBuf, io: std::io::Error },
    /// An argument the batch cannot work with (an output that is also an
    /// input, `--csv -`).
    #[error("{0}")]
    Usage(String),
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

impl Error {
    /// The message without the path, for lines that name the file already.
    pub fn reason(&self) -> String {
        match self {
            Error::Read { io, .. } => format!("cannot read: {io}"),
            Error::Empty { .. } => "empty file".into(),
            Error::Binary {
                too_large: false, ..
            } => "binary data, not a text or HTML report".into(),
            Error::Binary {
                too_large: true, ..
            } => format!(
                "binary data, not a text or HTML report (INPUT_TOO_LARGE: more than {} MiB; only the first {} MiB were read)",
                crate::input::MAX_BYTES >> 20,
                crate::input::MAX_BYTES >> 20
            ),
            Error::Write { io, .. } => format!("cannot write: {io}"),
            Error::Usage(why) | Error::Threads(why) => why.clone(),
        }
    }
}
