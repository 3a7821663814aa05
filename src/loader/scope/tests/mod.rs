//! Parser-level tests of the oscilloscope formats, on the real files in `tests/data/scope/`
//! (see its README for where each comes from): layouts and values against the vendors'
//! own exports and independent readers (benches/crosscheck/vendor.py prints the reference
//! numbers), synthetic files built from the documented layouts, and damaged input.
//! Values are read through the real loader (`loader::open` and the feed engine), so these
//! tests check the frame sources and the scale too; `materialize` reads a layout the slow,
//! obvious way for bytes that are not a file.

mod csv_exports;
mod damaged_rigol;
mod damaged_tek;
mod frames;
mod lecroy;
mod materialize;
mod references;
mod rigol;
mod rs_bin;
mod sniff;
mod synthetic;
mod tek_isf;
mod tek_wfm;
mod util;
mod writer;

#[path = "../../../../tests/support/tek_wfm_writer.rs"]
mod tek_writer;

use crate::sample::Endian;

/// Records, per thread, the largest single allocation, so tests can show that a lying
/// header does not make a parser allocate what it claims.
struct Tracking;

thread_local! {
    static LARGEST: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to the system allocator; the thread-local is a
// const-initialised Cell, whose access neither allocates nor re-enters the allocator.
unsafe impl std::alloc::GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        note(layout.size());
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        note(layout.size());
        unsafe { std::alloc::System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        note(new);
        unsafe { std::alloc::System.realloc(ptr, layout, new) }
    }
}

fn note(size: usize) {
    let _ = LARGEST.try_with(|l| l.set(l.get().max(size)));
}

#[global_allocator]
static ALLOCATOR: Tracking = Tracking;

/// Run `f` and return its result with the largest single allocation it made on this thread.
pub fn largest_allocation<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LARGEST.with(|l| l.set(0));
    let out = f();
    (out, LARGEST.with(|l| l.get()))
}
