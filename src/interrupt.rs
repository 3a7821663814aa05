//! Ctrl-C (SIGINT) and SIGTERM as a flag instead of sudden death.
//!
//! The default action kills the process without unwinding, so an `AtomicFile`'s temporary
//! file would stay behind. A writer that calls [`catch`] checks [`check`] between chunks and
//! returns an error instead; the temporary file is then removed on the way out. A second
//! Ctrl-C kills as usual (`SA_RESETHAND`), for a run stuck in a blocking read.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_signal: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Route SIGINT and SIGTERM to the flag, once each.
pub fn catch() -> std::io::Result<()> {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: `action` is fully initialised (zeroed, then the handler, an empty mask and
        // flags set); the handler only stores to an atomic, which is async-signal-safe.
        let failed = unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESETHAND;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut()) != 0
        };
        if failed {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The run was interrupted by SIGINT or SIGTERM.
#[derive(Debug, thiserror::Error)]
#[error("interrupted; no output was written")]
pub struct Interrupted;

/// Err once a caught signal has arrived.
pub fn check() -> Result<(), Interrupted> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        Err(Interrupted)
    } else {
        Ok(())
    }
}
