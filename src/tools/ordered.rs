//! A parallel map that yields in input order with bounded memory, pulled
//! one result at a time: what a caller that consumes lazily (the Python
//! `gongkai.parse_files` iterator) needs. Inputs are taken from the source
//! iterator only while fewer than a window of results are in flight or
//! waiting, so neither a million inputs nor a slow consumer grow memory.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};

use crate::error::Error;

/// Results held per thread at most (running or waiting for their turn).
const WINDOW_PER_THREAD: usize = 16;

type Job<In, Out> = Arc<dyn Fn(In) -> Out + Send + Sync>;

/// `Iterator` over `job(input)` for each input, in input order. A panic in
/// one job becomes `Err(message)` at its place; the others go on.
pub struct Ordered<I: Iterator, Out> {
    inputs: I,
    job: Job<I::Item, Out>,
    pool: rayon::ThreadPool,
    tx: mpsc::Sender<(usize, Result<Out, String>)>,
    rx: mpsc::Receiver<(usize, Result<Out, String>)>,
    waiting: BTreeMap<usize, Result<Out, String>>,
    window: usize,
    sent: usize,
    next: usize,
}

impl<I, Out> Ordered<I, Out>
where
    I: Iterator,
    I::Item: Send + 'static,
    Out: Send + 'static,
{
    /// `jobs` threads; 0 means one per core.
    pub fn new(
        inputs: I,
        jobs: usize,
        job: impl Fn(I::Item) -> Out + Send + Sync + 'static,
    ) -> Result<Self, Error> {
        let jobs = if jobs == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            jobs
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .thread_name(|i| format!("gongkai-{i}"))
            .build()
            .map_err(|e| Error::Threads(e.to_string()))?;
        let (tx, rx) = mpsc::channel();
        Ok(Ordered {
            inputs,
            job: Arc::new(job),
            pool,
            tx,
            rx,
            waiting: BTreeMap::new(),
            window: jobs * WINDOW_PER_THREAD,
            sent: 0,
            next: 0,
        })
    }

    fn top_up(&mut self) {
        while self.sent - self.next < self.window {
            let Some(input) = self.inputs.next() else {
                break;
            };
            let (tx, job, i) = (self.tx.clone(), Arc::clone(&self.job), self.sent);
            self.pool.spawn(move || {
                let out = catch_unwind(AssertUnwindSafe(|| job(input)))
                    .map_err(|p| crate::batch::panic_message(p.as_ref()));
                // The receiver is gone only when the iterator was dropped.
                let _ = tx.send((i, out));
            });
            self.sent += 1;
        }
    }
}

impl<I, Out> Iterator for Ordered<I, Out>
where
    I: Iterator,
    I::Item: Send + 'static,
    Out: Send + 'static,
{
    type Item = Result<Out, String>;

    fn next(&mut self) -> Option<Self::Item> {
        self.top_up();
        loop {
            if let Some(out) = self.waiting.remove(&self.next) {
                self.next += 1;
                return Some(out);
            }
            if self.next == self.sent {
                return None;
            }
            // Every sent job sends once (panics are caught), so this ends.
            let (i, out) = self.rx.recv().ok()?;
            self.waiting.insert(i, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yields_in_input_order_whatever_the_timing() {
        let delays = (0..200u64).map(|i| (i, (i * 7919) % 5));
        let out: Vec<u64> = Ordered::new(delays, 4, |(i, ms)| {
            std::thread::sleep(std::time::Duration::from_millis(ms));
            i
        })
        .expect("threads")
        .map(|r| r.expect("no panic"))
        .collect();
        assert_eq!(out, (0..200).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_is_an_error_at_its_place() {
        let out: Vec<Result<u32, String>> = Ordered::new(0..5u32, 2, |i| {
            if i == 2 {
                panic!("boom at {i}");
            }
            i
        })
        .expect("threads")
        .collect();
        assert_eq!(out[1], Ok(1));
        assert_eq!(out[2], Err("boom at 2".to_string()));
        assert_eq!(out[4], Ok(4));
    }

    #[test]
    fn takes_inputs_only_a_window_ahead() {
        let pulled = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = Arc::clone(&pulled);
        let inputs = (0..10_000).inspect(move |_| {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        });
        let mut it = Ordered::new(inputs, 2, |i: i32| i).expect("threads");
        assert_eq!(it.next(), Some(Ok(0)));
        assert!(pulled.load(std::sync::atomic::Ordering::SeqCst) <= 2 * WINDOW_PER_THREAD);
    }
}
