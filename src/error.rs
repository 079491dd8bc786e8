//! Errors are for "could not read this at all"; findings about a report that
//! was read are flags.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: empty file")]
    Empty { path: PathBuf },
    #[error("{path}: binary data, not a text or HTML report")]
    Binary { path: PathBuf },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

impl Error {
    /// The message without the path, for lines that name the file already.
    pub fn reason(&self) -> String {
        match self {
            Error::Read { source, .. } => format!("cannot read: {source}"),
            Error::Empty { .. } => "empty file".into(),
            Error::Binary { .. } => "binary data, not a text or HTML report".into(),
            Error::Write { source, .. } => format!("cannot write: {source}"),
            Error::Threads(why) => why.clone(),
        }
    }
}
