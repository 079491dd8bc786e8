//! The CLI's allocator: mimalloc for small blocks, glibc's for big ones.
//!
//! A flattened-text parse makes many small short-lived allocations, and
//! glibc's malloc/free were about a fifth of its cycles; mimalloc takes a
//! tenth of the parse's instructions away. Left to itself under `ulimit -v`
//! it needs about twice glibc's address space: it reserves arenas of 1 GiB,
//! and grows a big block (a huge input's ~100 MB JSON) by copying where
//! glibc remaps it in place. So blocks of [`BIG`] bytes or more stay with
//! glibc, mimalloc starts from one arena of its smallest size (32 MiB), and
//! glibc keeps one arena for all threads (the big blocks are few), which
//! gives back the 64 MiB a worker thread's own glibc arena would reserve.
//! A user who sets `MIMALLOC_ARENA_RESERVE` keeps mimalloc's own arenas:
//! their size is then the user's choice, not ours.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::c_long;
use std::sync::atomic::{AtomicBool, Ordering};

use mimalloc::MiMalloc;

/// Where a block lives follows from its size alone, as `dealloc` and
/// `realloc` know nothing else: at or above this, glibc's.
const BIG: usize = 64 << 10;

/// mimalloc's smallest arena: the first one, reserved at start, and
/// the size it asks for later ones (which it rounds up to 64 MiB).
const ARENA: usize = 32 << 20;

/// `mi_option_arena_reserve` in the mimalloc (v3) that libmimalloc-sys
/// bundles (`c_src/mimalloc/v3/include/mimalloc.h`); the crate does not
/// name it. Its value is in KiB.
const MI_OPTION_ARENA_RESERVE: i32 = 23;

static CONFIGURED: AtomicBool = AtomicBool::new(false);

/// Sets both allocators up at the first allocation (in Rust's runtime,
/// before `main` and any other thread), ahead of mimalloc's first arena.
fn configure() {
    if CONFIGURED.load(Ordering::Relaxed) {
        return;
    }
    CONFIGURED.store(true, Ordering::Relaxed);
    // SAFETY: an environment read (`getenv` does not allocate, so this
    // does not come back here), option stores and an address-space
    // reservation, made while the process has one thread.
    unsafe {
        if libc::getenv(c"MIMALLOC_ARENA_RESERVE".as_ptr()).is_null() {
            libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_RESERVE, (ARENA >> 10) as c_long);
            // On failure mimalloc reserves its arenas itself when needed.
            libmimalloc_sys::mi_reserve_os_memory_ex(
                ARENA,
                false,
                false,
                false,
                std::ptr::null_mut(),
            );
        }
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Install with `#[global_allocator]` (the CLI does; the Python extension
/// keeps its host's allocator).
pub struct Split;

// SAFETY: each block is served and released by the allocator its size
// names; `realloc` across `BIG` moves it from one to the other.
unsafe impl GlobalAlloc for Split {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        configure();
        if layout.size() >= BIG {
            unsafe { System.alloc(layout) }
        } else {
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        configure();
        if layout.size() >= BIG {
            unsafe { System.alloc_zeroed(layout) }
        } else {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.size() >= BIG {
            unsafe { System.dealloc(ptr, layout) }
        } else {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (layout.size() >= BIG, new_size >= BIG) {
            (false, false) => unsafe { MiMalloc.realloc(ptr, layout, new_size) },
            // glibc grows a mapped block with mremap: no second copy.
            (true, true) => unsafe { System.realloc(ptr, layout, new_size) },
            _ => {
                // SAFETY: the caller guarantees `new_size`, rounded up
                // to the alignment, does not overflow.
                let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
                let to = unsafe { self.alloc(new) };
                if !to.is_null() {
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, to, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                to
            }
        }
    }
}
