//! gongkai reads one 政府信息公开工作年度报告 (HTML or flattened text, any
//! common Chinese encoding), maps its statistics onto the official templates,
//! checks them and says, with flags, what cannot be trusted.
//!
//! The core works on bytes in memory, one report at a time, with no file,
//! thread or printing; its modules follow the data: [`decode`] →
//! [`blocks`] → [`grid`] (each table's geometry) → [`sections`] and [`meta`]
//! (agency, year) → [`stream`] (labels and values) → [`detect`] (which
//! template) → [`mapping`] on [`template`] (whose typed keys name every
//! table, block, row and column the stages speak of) → [`facts`] (the
//! narrative's figures) → [`split`] (digits run together, narrowed by the
//! facts, then by the column rules) → [`checks`] (with [`arithmetic`]) → [`report`]
//! (the pipeline) and [`shape`] (the tables' JSON).
//!
//! [`tools`] is outside the core: reading files through the cap, batches
//! on threads, the benchmark, the generator, series across years and the
//! review site. Its modules are also re-exported at the crate root.

pub mod arithmetic;
pub mod blocks;
pub mod cells;
pub mod checks;
#[cfg(test)]
mod corpus_inputs;
pub mod decode;
pub mod detect;
pub mod facts;
pub mod flags;
pub mod grid;
pub mod mapping;
pub mod meta;
pub mod normalize;
pub mod provenance;
pub mod report;
pub mod schema;
pub mod sections;
pub mod shape;
pub mod split;
pub mod stream;
pub mod template;
pub mod value;
pub mod words;

pub mod tools;

pub use flags::{Code, Flag, Severity};
pub use report::{Options, Report, parse_bytes, parse_with};
pub use tools::input::{
    Input, parse_file, parse_file_with, parse_input, parse_input_with, parse_named,
    parse_named_with,
};
pub use tools::{
    Error, alloc, atomic, batch, bench, error, input, ordered, pretty, review, series, synth,
};
