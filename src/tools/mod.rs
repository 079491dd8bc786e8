//! Outside the core: what touches files, threads and the terminal, built on
//! the core's parse of one report in memory. The CLI's allocator
//! ([`alloc`]), reading a file through the cap ([`input`]), writing
//! atomically ([`atomic`]), pretty JSON written fast ([`pretty`]), the
//! in-order parallel map ([`ordered`]),
//! `gongkai batch` ([`batch`]) and `bench` ([`bench`]),
//! the generator ([`synth`]), series across years ([`series`]) and the
//! review site ([`review`]).

pub mod alloc;
pub mod atomic;
pub mod batch;
pub mod bench;
pub mod error;
pub mod input;
pub mod ordered;
pub mod pretty;
pub mod review;
pub mod series;
pub mod synth;

pub use error::Error;
