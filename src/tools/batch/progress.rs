//! Progress on stderr: a bar when stderr is a terminal, a plain line every
//! few seconds when it is a log, nothing when asked to be quiet. Error lines
//! go through here so they never tear the bar.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::walk::{self, Filter};

const PLAIN_EVERY: Duration = Duration::from_secs(10);

pub enum Progress {
    Bar { bar: ProgressBar, bytes: u64 },
    Plain(Plain),
    Quiet,
}

pub struct Plain {
    started: Instant,
    last: Instant,
    files: u64,
    bytes: u64,
}

impl Progress {
    /// The bar's total comes from a second walk on its own thread, so the
    /// batch starts at once and the ETA appears when the count is known.
    pub fn start(inputs: &[PathBuf], filter: &Filter, quiet: bool) -> Progress {
        if quiet {
            return Progress::Quiet;
        }
        if !std::io::stderr().is_terminal() {
            let now = Instant::now();
            return Progress::Plain(Plain {
                started: now,
                last: now,
                files: 0,
                bytes: 0,
            });
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} {pos}/{len} files  {msg}  {per_sec}  [{elapsed}, ETA {eta}]",
        ) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        let (inputs, filter, counter) = (inputs.to_vec(), filter.clone(), bar.clone());
        std::thread::spawn(move || {
            let (files, _) = walk::count(&inputs, &filter);
            counter.set_length(files.max(counter.position()));
        });
        Progress::Bar { bar, bytes: 0 }
    }

    pub fn done(&mut self, file_bytes: u64) {
        match self {
            Progress::Bar { bar, bytes } => {
                *bytes += file_bytes;
                bar.set_message(format!("{:.1} MB", *bytes as f64 / 1e6));
                bar.inc(1);
            }
            Progress::Plain(s) => {
                s.files += 1;
                s.bytes += file_bytes;
                if s.last.elapsed() >= PLAIN_EVERY {
                    s.last = Instant::now();
                    let secs = s.started.elapsed().as_secs_f64();
                    eprintln!(
                        "gongkai: {} files, {:.1} MB, {:.0} files/s",
                        s.files,
                        s.bytes as f64 / 1e6,
                        s.files as f64 / secs
                    );
                }
            }
            Progress::Quiet => {}
        }
    }

    pub fn println(&self, line: &str) {
        match self {
            Progress::Bar { bar, .. } => bar.println(line),
            _ => eprintln!("{line}"),
        }
    }

    pub fn finish(&self) {
        if let Progress::Bar { bar, .. } = self {
            bar.finish_and_clear();
        }
    }
}
