//! Tests only: every input of `corpus/` and, when the environment names
//! it, `$GONGKAI_SHARED_CORPUS` (`input.txt`, `input.html`…), which the
//! fast paths are held to their slow rules on.

use std::path::Path;

/// One input file, read.
pub struct Input {
    pub bytes: Vec<u8>,
    pub html: bool,
}

impl Input {
    /// The input's blocks, read as the parser reads a page or a text.
    pub fn blocks(&self) -> Vec<crate::blocks::Block> {
        let text = crate::decode::decode(&self.bytes).text;
        match self.html {
            true => crate::blocks::html::blocks(&text).0,
            false => crate::blocks::text::blocks(&text),
        }
    }
}

/// The inputs below `corpus/` and the shared corpus, in walk order.
pub fn all() -> Vec<Input> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = [
        Some(root.join("corpus")),
        std::env::var_os("GONGKAI_SHARED_CORPUS").map(Into::into),
    ];
    let files = dirs.into_iter().flatten().flat_map(walkdir::WalkDir::new);
    files
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("input."))
        .filter_map(|e| {
            let html = e
                .path()
                .extension()
                .is_some_and(|x| x == "html" || x == "htm");
            let bytes = std::fs::read(e.path()).ok()?;
            Some(Input { bytes, html })
        })
        .collect()
}

/// The decoded text of every text (not HTML) input.
pub fn texts() -> Vec<String> {
    all()
        .into_iter()
        .filter(|i| !i.html)
        .map(|i| crate::decode::decode(&i.bytes).text.into_owned())
        .collect()
}
