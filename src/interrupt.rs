//! Signals as orderly exits: Ctrl-C (SIGINT), SIGTERM and SIGHUP as a flag instead of sudden
//! death, and SIGBUS from a mapped input that shrank as a one-line error.
//!
//! The default actions kill the process without unwinding, so an `AtomicFile`'s temporary
//! file would stay behind. A writer that calls [`catch`] checks [`check`] between chunks and
//! returns an error instead; the temporary file is then removed on the way out and the
//! process exits with 128 + the signal's number ([`exit_status`]), as shells expect. A second
//! signal of the three (a run stuck in a blocking read or open) removes the temporary files
//! registered with [`TempGuard`] and exits at once.
//!
//! A memory-mapped file that another process truncates raises SIGBUS on the next access to
//! a page past its new end. The loader names each file it maps ([`mapping`]); the SIGBUS
//! handler then says which file shrank, removes the temporary outputs and exits 1.
//!
//! Everything a handler reads is prepared beforehand (C strings of the paths, the message
//! lines) and published through atomics, so the handlers only call async-signal-safe
//! functions: `write`, `stat`, `unlink`, `_exit`.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicPtr, Ordering};
use std::sync::{Mutex, Once};

/// The first caught SIGINT/SIGTERM/SIGHUP, 0 before one arrives.
static CAUGHT: AtomicI32 = AtomicI32::new(0);
/// Set by the handler that exits the process; the others wait for it.
static DYING: AtomicBool = AtomicBool::new(false);

/// Temporary outputs to remove on a forced exit (a fixed table: handlers cannot allocate).
static TEMPS: [AtomicPtr<CString>; 8] = [const { AtomicPtr::new(ptr::null_mut()) }; 8];

/// The mapped input a SIGBUS is about.
static MAPPED: AtomicPtr<Mapped> = AtomicPtr::new(ptr::null_mut());
/// What `MAPPED` was last set to (path and size), so remapping the same file is cheap.
static MAPPED_KEY: Mutex<Option<(String, u64)>> = Mutex::new(None);

struct Mapped {
    path: CString,
    /// The file's size when it was mapped.
    size: u64,
    shrank: Vec<u8>,
    unreadable: Vec<u8>,
}

const INTERRUPTED_LINE: &[u8] = b"tracekit: error: interrupted; no output was written\n";

extern "C" fn on_signal(signal: libc::c_int) {
    // The first signal only raises the flag (an atomic store: async-signal-safe).
    if CAUGHT
        .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        claim();
        exit_now(INTERRUPTED_LINE, 128 + signal);
    }
}

extern "C" fn on_sigbus(_signal: libc::c_int) {
    claim();
    let mapped = MAPPED.load(Ordering::SeqCst);
    if mapped.is_null() {
        // Not one of our maps: a genuine fault. Clean up, then let it kill as usual (the
        // faulting access runs again on return).
        remove_temps();
        // SAFETY: signal() with SIG_DFL is async-signal-safe.
        unsafe { libc::signal(libc::SIGBUS, libc::SIG_DFL) };
        return;
    }
    // SAFETY: `MAPPED` only holds leaked boxes; one swapped out is freed only if DYING was
    // still false after the swap, and `claim` set DYING before the load above.
    let mapped = unsafe { &*mapped };
    // SAFETY: stat is async-signal-safe; `st` is plain data it fills in.
    let shrank = unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        libc::stat(mapped.path.as_ptr(), &mut st) != 0 || (st.st_size as u64) < mapped.size
    };
    let line = if shrank {
        &mapped.shrank
    } else {
        &mapped.unreadable
    };
    exit_now(line, 1);
}

/// Become the one handler that ends the process; any other (several regions fault at once,
/// or a signal lands meanwhile) waits here for the exit. Set before reading the tables, so
/// nothing they point to is freed from under the handler (see `free_unless_dying`).
fn claim() {
    if DYING.swap(true, Ordering::SeqCst) {
        loop {
            // SAFETY: pause is async-signal-safe; the first caller is about to exit.
            unsafe { libc::pause() };
        }
    }
}

/// End the process from a handler: the message, the temporary outputs removed, `_exit`.
fn exit_now(line: &[u8], status: libc::c_int) -> ! {
    // SAFETY: write, unlink and _exit are async-signal-safe; `line` is valid for its length.
    unsafe {
        libc::write(2, line.as_ptr().cast(), line.len());
        remove_temps();
        libc::_exit(status)
    }
}

fn remove_temps() {
    for slot in &TEMPS {
        let path = slot.load(Ordering::SeqCst);
        if !path.is_null() {
            // SAFETY: the slot holds a leaked CString that outlives this process's handlers
            // (see `TempGuard::drop`); unlink is async-signal-safe.
            unsafe { libc::unlink((*path).as_ptr()) };
        }
    }
}

fn install(signal: libc::c_int, handler: extern "C" fn(libc::c_int)) -> std::io::Result<()> {
    // SAFETY: `action` is fully initialised (zeroed, then the handler, an empty mask and no
    // flags); the handlers only use atomics and async-signal-safe calls.
    let failed = unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = handler as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(signal, &action, ptr::null_mut()) != 0
    };
    if failed {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Route SIGINT, SIGTERM and SIGHUP to the flag (once per process).
pub fn catch() -> std::io::Result<()> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        result = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP]
            .into_iter()
            .try_for_each(|s| install(s, on_signal));
    });
    result
}

/// The run was interrupted by SIGINT, SIGTERM or SIGHUP.
#[derive(Debug, thiserror::Error)]
#[error("interrupted; no output was written")]
pub struct Interrupted;

/// Err once a caught signal has arrived.
pub fn check() -> Result<(), Interrupted> {
    if CAUGHT.load(Ordering::SeqCst) != 0 {
        Err(Interrupted)
    } else {
        Ok(())
    }
}

/// The exit status of a failed run: 128 + the caught signal's number (130 for Ctrl-C, 143
/// for SIGTERM, 129 for SIGHUP), else 1.
pub fn exit_status() -> u8 {
    match CAUGHT.load(Ordering::SeqCst) {
        0 => 1,
        signal => u8::try_from(128 + signal).unwrap_or(1),
    }
}

/// A temporary output registered for removal on a forced exit; dropping it unregisters it.
pub struct TempGuard {
    slot: Option<usize>,
}

impl TempGuard {
    /// Register `path` (no-op when the table is full: the orderly path still removes it).
    pub fn new(path: &Path) -> TempGuard {
        let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
            return TempGuard { slot: None };
        };
        let boxed = Box::into_raw(Box::new(c));
        for (i, slot) in TEMPS.iter().enumerate() {
            if slot
                .compare_exchange(ptr::null_mut(), boxed, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                return TempGuard { slot: Some(i) };
            }
        }
        // SAFETY: `boxed` came from Box::into_raw above and was never published.
        drop(unsafe { Box::from_raw(boxed) });
        TempGuard { slot: None }
    }
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(i) = self.slot {
            free_unless_dying(TEMPS[i].swap(ptr::null_mut(), Ordering::SeqCst));
        }
    }
}

/// Free a box swapped out of a handler's table, unless a handler may be reading it: one
/// that set DYING before our swap could have loaded it; one that sets DYING after it sees
/// null. A box kept alive leaks a few bytes in a process about to exit.
fn free_unless_dying<T>(old: *mut T) {
    if !old.is_null() && !DYING.load(Ordering::SeqCst) {
        // SAFETY: every pointer in the tables came from Box::into_raw, and was swapped out
        // (so no handler can load it any more) before this check.
        drop(unsafe { Box::from_raw(old) });
    }
}

/// The loader maps `path` (now `size` bytes long): from here on a SIGBUS is reported as that
/// file having shrunk while being read, the temporary outputs are removed and the process
/// exits 1. Cheap when called again for the same file.
pub fn mapping(path: &str, size: u64) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Without the handler a SIGBUS still kills the process, as it would have anyway.
        let _ = install(libc::SIGBUS, on_sigbus);
    });
    let mut key = MAPPED_KEY.lock().unwrap_or_else(|e| e.into_inner());
    if key
        .as_ref()
        .is_some_and(|(p, s)| p.as_str() == path && *s == size)
    {
        return;
    }
    let Ok(c_path) = CString::new(path) else {
        return;
    };
    let shown = crate::term::escape(path);
    let mapped = Box::new(Mapped {
        path: c_path,
        size,
        shrank: format!("tracekit: error: {shown}: the file shrank while being read\n").into(),
        unreadable: format!(
            "tracekit: error: {shown}: the mapped file could not be read (an I/O error)\n"
        )
        .into(),
    });
    free_unless_dying(MAPPED.swap(Box::into_raw(mapped), Ordering::SeqCst));
    *key = Some((path.to_string(), size));
}

/// The message for a mapped input that is now shorter than when it was mapped, if it is:
/// a write straight from a map whose pages were cut off fails with EFAULT instead of
/// raising SIGBUS, and the writer asks here what that was about.
pub fn shrunk_input() -> Option<String> {
    let key = MAPPED_KEY.lock().unwrap_or_else(|e| e.into_inner());
    let (path, size) = key.as_ref()?;
    let now = std::fs::metadata(path).map_or(0, |m| m.len());
    (now < *size).then(|| format!("{path}: the file shrank while being read"))
}
