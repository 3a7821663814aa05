//! Everything that leaves the process: stdout, files written atomically, tables, progress.

pub mod convert;
pub mod decode;
pub mod info;
pub mod logic;
pub mod measure;
pub mod npy;
pub mod plot;
pub mod progress;
pub mod samples;
pub mod sigmf;
pub mod spectrum;
pub mod sr;
pub mod stats;
pub mod table;
pub mod uart;
pub mod vcd;
pub mod wav;

use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Buffered, locked stdout whose errors name it (see [`StdoutWriter`]).
pub type Stdout = BufWriter<StdoutWriter>;

/// Buffered, locked stdout. A closed pipe surfaces as an `io::Error` of kind `BrokenPipe`,
/// which `main` turns into a quiet exit 0; any other error says `stdout: ...`.
pub fn stdout() -> Stdout {
    let lock = CAPTURED
        .with(|c| c.borrow().is_none())
        .then(|| io::stdout().lock());
    BufWriter::with_capacity(1 << 16, StdoutWriter(lock))
}

thread_local! {
    /// While [`capture`] runs on this thread, what commands write to stdout goes here.
    static CAPTURED: std::cell::RefCell<Option<Vec<u8>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this thread's [`stdout`] collected into a buffer instead of written out
/// (the Python binding runs commands in-process and parses their JSON).
pub(crate) fn capture<R>(f: impl FnOnce() -> R) -> (R, Vec<u8>) {
    let outer = CAPTURED.with(|c| c.replace(Some(Vec::new())));
    let result = f();
    let out = CAPTURED.with(|c| c.replace(outer)).unwrap_or_default();
    (result, out)
}

/// Locked stdout whose write errors name it: `stdout: No space left on device` rather than
/// a bare OS message that could be about any file. The error keeps its kind, so a closed
/// pipe is still recognised. None: the thread's output is being [`capture`]d.
pub struct StdoutWriter(Option<io::StdoutLock<'static>>);

/// A write error on stdout, shown as `stdout: <the OS error>`.
#[derive(Debug, thiserror::Error)]
#[error("stdout: {0}")]
pub struct StdoutError(io::Error);

fn name_stdout(err: io::Error) -> io::Error {
    if err.kind() == io::ErrorKind::BrokenPipe {
        err
    } else {
        io::Error::new(err.kind(), StdoutError(err))
    }
}

impl Write for StdoutWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.0 {
            Some(lock) => lock.write(buf).map_err(name_stdout),
            None => CAPTURED.with(|c| match c.borrow_mut().as_mut() {
                Some(out) => {
                    out.extend_from_slice(buf);
                    Ok(buf.len())
                }
                None => io::stdout().write(buf).map_err(name_stdout),
            }),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.0 {
            Some(lock) => lock.flush().map_err(name_stdout),
            None => Ok(()),
        }
    }
}

/// Where an output named on the command line really goes.
enum Dest {
    /// A regular file (or a new name): written under a temporary name next to `rename_to`
    /// and renamed into place. `rename_to` is the name with its symbolic links resolved, so a
    /// link keeps pointing at the new file instead of being replaced by it.
    Renamed {
        temp: tempfile::NamedTempFile,
        rename_to: PathBuf,
        _guard: crate::interrupt::TempGuard,
    },
    /// A FIFO, a device, or one of our own file descriptors (`/dev/stdout`, `/dev/fd/N`):
    /// written straight into, as `cat > x` would; a rename would replace the special file by
    /// a regular one (a FIFO's reader would get nothing, `/dev/stdout` would stop being a
    /// link).
    Direct,
}

/// What an output path names, decided before anything is created.
enum Kind {
    /// File descriptor N of this process.
    Fd(i32),
    /// An existing FIFO, character or block device, or socket, at this (resolved) path.
    Special(PathBuf),
    /// A regular file or nothing yet, at this path with its links resolved.
    Regular(PathBuf),
}

/// The file descriptor a path names lexically: `/dev/stdout`, `/dev/stderr`, `/dev/stdin`,
/// `/dev/fd/N`, `/proc/self/fd/N`, `/proc/PID/fd/N` for our own PID.
fn fd_of(path: &Path) -> Option<i32> {
    let text = path.to_str()?;
    match text {
        "/dev/stdin" => return Some(0),
        "/dev/stdout" => return Some(1),
        "/dev/stderr" => return Some(2),
        _ => {}
    }
    let own = format!("/proc/{}/fd/", std::process::id());
    let n = [
        "/dev/fd/",
        "/proc/self/fd/",
        "/proc/thread-self/fd/",
        own.as_str(),
    ]
    .iter()
    .find_map(|prefix| text.strip_prefix(prefix))?;
    n.parse().ok()
}

/// Follow `path`'s symbolic links by hand (at most 40, as the kernel does), stopping at a
/// name of one of our file descriptors, then classify what is there.
fn kind_of(path: &Path) -> Kind {
    use std::os::unix::fs::FileTypeExt;
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        if let Some(fd) = fd_of(&at) {
            return Kind::Fd(fd);
        }
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(&at) {
                Ok(next) => at = at.parent().unwrap_or(Path::new("")).join(next),
                Err(_) => break,
            },
            _ => break,
        }
    }
    match std::fs::metadata(&at) {
        Ok(m) => {
            let t = m.file_type();
            if t.is_fifo() || t.is_char_device() || t.is_block_device() || t.is_socket() {
                Kind::Special(at)
            } else {
                Kind::Regular(at)
            }
        }
        Err(_) => Kind::Regular(at),
    }
}

/// A file written under a temporary name in the target folder and renamed into place by
/// [`AtomicFile::commit`]. Dropped without commit (error, panic, Ctrl-C unwinding), the
/// temporary file is removed, so no partial file ever carries the output name. The new file
/// gets mode 0666 less the umask, as any Unix tool's. FIFOs, devices and `/dev/stdout` or
/// `/dev/fd/N` are written straight into instead (nothing to rename there).
pub struct AtomicFile {
    target: PathBuf,
    dest: Dest,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<AtomicFile> {
        Self::create_as(target, None)
    }

    /// Like [`AtomicFile::create`], but a FIFO, device or file descriptor is refused, before
    /// it is opened: for outputs rewritten at an offset at the end; `why` says so.
    pub fn create_regular(target: &Path, why: &str) -> Result<AtomicFile> {
        Self::create_as(target, Some(why))
    }

    fn create_as(target: &Path, regular_only: Option<&str>) -> Result<AtomicFile> {
        // From here on Ctrl-C must unwind through Drop to remove the temporary file.
        crate::interrupt::catch().context("cannot catch Ctrl-C")?;
        let direct = |file: File| AtomicFile {
            target: target.to_path_buf(),
            dest: Dest::Direct,
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        };
        let special = |what: &str| -> Result<()> {
            match regular_only {
                None => Ok(()),
                Some(why) => bail!("{}: {what}, not a regular file: {why}", target.display()),
            }
        };
        let rename_to = match kind_of(target) {
            Kind::Fd(fd) => {
                special("a file descriptor")?;
                return Ok(direct(dup_fd(fd).map_err(|e| write_error(target, e))?));
            }
            Kind::Special(path) => {
                special("a FIFO or device")?;
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .map_err(|e| write_error(target, e))?;
                return Ok(direct(file));
            }
            Kind::Regular(path) => path,
        };
        let dir = match rename_to.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = rename_to
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".partial")
            .permissions(std::fs::Permissions::from_mode(0o666))
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        let guard = crate::interrupt::TempGuard::new(temp.path());
        let file = temp
            .as_file()
            .try_clone()
            .with_context(|| format!("{}", target.display()))?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            dest: Dest::Renamed {
                temp,
                rename_to,
                _guard: guard,
            },
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.target
    }

    /// Whether this is a regular file renamed into place (false: a FIFO, device or file
    /// descriptor written straight into, which gets no sidecar).
    pub fn is_regular(&self) -> bool {
        matches!(self.dest, Dest::Renamed { .. })
    }

    /// The underlying file, for writes at an offset (patching a header).
    pub fn file(&mut self) -> Result<&File> {
        let w = self.writer.as_mut().context("file already committed")?;
        w.flush().with_context(|| write_context(&self.target))?;
        Ok(w.get_ref())
    }

    /// Append `len` bytes of `src` from `offset` on, copied by the kernel (copy_file_range:
    /// no trip through user space, a reflink where the filesystem has them), in pieces so a
    /// Ctrl-C is heard and `progress` hears each piece. Returns false, having copied
    /// nothing, when the kernel cannot copy between these files (the caller copies itself).
    /// An input shorter than `offset + len` is an `UnexpectedEof` error.
    pub fn copy_range(
        &mut self,
        src: &File,
        offset: u64,
        len: u64,
        progress: &dyn Fn(u64),
    ) -> io::Result<bool> {
        const PIECE: u64 = 64 << 20;
        let w = self
            .writer
            .as_mut()
            .ok_or_else(|| io::Error::other("write after commit"))?;
        w.flush()?;
        let out = w.get_ref();
        let (mut at, end) = (offset as libc::loff_t, (offset + len) as libc::loff_t);
        while at < end {
            crate::interrupt::check().map_err(io::Error::other)?;
            let want = (end - at).min(PIECE as libc::loff_t) as usize;
            // SAFETY: both descriptors are open for the call; `at` is a valid in/out offset
            // and a null output offset means the output's own position, which it advances.
            let n = unsafe {
                libc::copy_file_range(
                    src.as_raw_fd(),
                    &mut at,
                    out.as_raw_fd(),
                    std::ptr::null_mut(),
                    want,
                    0,
                )
            };
            match n {
                0 => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the input ended before the range did",
                    ));
                }
                n if n > 0 => progress(n as u64),
                _ => {
                    let e = io::Error::last_os_error();
                    let unsupported = matches!(
                        e.raw_os_error(),
                        Some(libc::ENOSYS | libc::EXDEV | libc::EINVAL | libc::EOPNOTSUPP)
                    );
                    if unsupported && at == offset as libc::loff_t {
                        return Ok(false);
                    }
                    return Err(e);
                }
            }
        }
        Ok(true)
    }

    /// Flush and rename into place (a special file: flush only).
    pub fn commit(mut self) -> Result<()> {
        crate::interrupt::check().with_context(|| self.target.display().to_string())?;
        let mut w = self.writer.take().context("file already committed")?;
        w.flush().map_err(|e| write_error(&self.target, e))?;
        if let Dest::Renamed {
            temp,
            rename_to,
            _guard,
        } = std::mem::replace(&mut self.dest, Dest::Direct)
        {
            temp.persist(&rename_to)
                .map_err(|e| e.error)
                .with_context(|| format!("cannot rename into {}", self.target.display()))?;
        }
        Ok(())
    }
}

/// A new descriptor for our file descriptor `fd` (closing the `File` leaves `fd` open).
fn dup_fd(fd: i32) -> io::Result<File> {
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) has no memory preconditions; it fails on a closed fd.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
    if new < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `new` is a descriptor we just created and own alone.
    Ok(File::from(unsafe { OwnedFd::from_raw_fd(new) }))
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::interrupt::check().map_err(io::Error::other)?;
        match self.writer.as_mut() {
            Some(w) => w.write(buf),
            None => Err(io::Error::other("write after commit")),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        crate::interrupt::check().map_err(io::Error::other)?;
        match self.writer.as_mut() {
            Some(w) => w.write_all(buf),
            None => Err(io::Error::other("write after commit")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

fn write_context(path: &Path) -> String {
    format!("cannot write {}", path.display())
}

/// Wrap a write error with the output's name; a full disk says so plainly. Errors of
/// stdout (`-`) already say `stdout`; a write from a mapped input that shrank says that.
pub fn write_error(path: &Path, err: io::Error) -> anyhow::Error {
    // EFAULT: the bytes came straight from a mapped input that another process truncated.
    if err.raw_os_error() == Some(libc::EFAULT)
        && let Some(shrank) = crate::interrupt::shrunk_input()
    {
        return anyhow::anyhow!(shrank);
    }
    if err.raw_os_error() == Some(libc::ENOSPC) {
        anyhow::anyhow!("{}: the disk is full", path.display())
    } else if err.kind() == io::ErrorKind::BrokenPipe || path == Path::new("-") {
        anyhow::Error::new(err)
    } else {
        anyhow::Error::new(err).context(write_context(path))
    }
}

/// Device and inode of the regular file at `path` (`-`: of standard input or output, as
/// `fd` says), following links; None for anything else.
fn file_id(path: &Path, fd: i32) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    if path != Path::new("-") {
        let meta = std::fs::metadata(path).ok()?;
        return meta.is_file().then(|| (meta.dev(), meta.ino()));
    }
    // SAFETY: fstat only fills `st` (plain data); a closed `fd` makes it fail.
    let st = unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        (libc::fstat(fd, &mut st) == 0).then_some(st)?
    };
    (st.st_mode & libc::S_IFMT == libc::S_IFREG).then_some((st.st_dev, st.st_ino))
}

/// Refuse an output that is the input file itself: the same device and inode, whatever the
/// names (a hard link, a symlink, `./x`, `x/../x`), including standard input redirected from
/// the output (`< in.npy -o in.npy`) and `-o -` when stdout is the input file.
pub fn refuse_overwrite(input: Option<&Path>, output: &Path) -> Result<()> {
    let input = input.unwrap_or(Path::new("-"));
    let (Some(a), Some(b)) = (file_id(input, 0), file_id(output, 1)) else {
        return Ok(());
    };
    if a == b {
        let name = if output == Path::new("-") {
            "stdout".into()
        } else {
            output.display().to_string()
        };
        let how = if input == Path::new("-") {
            " (standard input is read from it)"
        } else {
            ""
        };
        bail!("{name}: refusing to write over the input file{how}");
    }
    Ok(())
}

/// `NO_COLOR` (any value) turns off colour everywhere (<https://no-color.org>).
pub fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A float for JSON: NaN and infinities become null (SPEC §2).
pub fn json_f64(v: f64) -> serde_json::Value {
    serde_json::Number::from_f64(v)
        .map(serde_json::Value::Number)
        .unwrap_or(serde_json::Value::Null)
}

/// Shortest text that parses back to the same f64, as Rust's `{}` writes it (no exponent,
/// no trailing `.0`), NaN as `nan`.
pub fn float_text(v: f64) -> String {
    let mut text = String::new();
    push_float(&mut text, v);
    text
}

/// [`float_text`] appended to `out`, without allocating: `find` and `measure --per-cycle`
/// write millions. The shortest digits come from zmij (the writer serde_json uses, several
/// times faster than `{}`): the shortest string that parses back to the same f64, the
/// closest one of those; they are then laid out as `{}` lays them out. When two such strings
/// are exactly as close (an f32 sample widened to f64 often ends in ...5 at the 18th digit)
/// zmij takes the even last digit and `{}` the upper one: text and CSV then print what the
/// JSON output prints.
pub fn push_float(out: &mut String, v: f64) {
    if !v.is_finite() {
        out.push_str(match v {
            _ if v.is_nan() => "nan",
            _ if v > 0.0 => "inf",
            _ => "-inf",
        });
        return;
    }
    let mut buffer = zmij::Buffer::new();
    // zmij writes [-]digits[.digits][e[-]digits]: one pass takes the significant digits
    // and where the decimal point falls among them
    let mut sig = [0u8; 20];
    let (mut n, mut point, mut exponent) = (0, 0i32, 0i32);
    let (mut fraction, mut in_exponent, mut exponent_negative) = (false, false, false);
    for &b in buffer.format_finite(v).as_bytes() {
        match b {
            b'-' if in_exponent => exponent_negative = true,
            b'-' => out.push('-'),
            b'+' => {}
            b'.' => fraction = true,
            b'e' => in_exponent = true,
            _ if in_exponent => exponent = 10 * exponent + i32::from(b - b'0'),
            // a leading zero: after the point it moves the point left
            b'0' if n == 0 => point -= i32::from(fraction),
            _ => {
                if n < sig.len() {
                    sig[n] = b;
                    n += 1;
                }
                point += i32::from(!fraction);
            }
        }
    }
    point += if exponent_negative {
        -exponent
    } else {
        exponent
    };
    while n > 0 && sig[n - 1] == b'0' {
        n -= 1;
    }
    // laid out as `{}` does, in one stack buffer (the longest texts, ~1e-308 with 17
    // digits, take 326 bytes)
    let mut text = [b'0'; 400];
    let len = if n == 0 {
        1
    } else if point <= 0 {
        let zeros = point.unsigned_abs() as usize;
        text[1] = b'.';
        text[2 + zeros..2 + zeros + n].copy_from_slice(&sig[..n]);
        2 + zeros + n
    } else if point as usize >= n {
        text[..n].copy_from_slice(&sig[..n]);
        point as usize
    } else {
        let p = point as usize;
        text[..p].copy_from_slice(&sig[..p]);
        text[p] = b'.';
        text[p + 1..n + 1].copy_from_slice(&sig[p..n]);
        n + 1
    };
    out.push_str(std::str::from_utf8(&text[..len]).unwrap_or_default());
}

#[cfg(test)]
mod capture_tests {
    use super::*;

    #[test]
    fn issue_19_capture_collects_this_threads_stdout() {
        let (n, out) = capture(|| {
            let mut o = stdout();
            write!(o, "one ").unwrap();
            // Nested: the inner run gets its own buffer, the outer one continues after it.
            let ((), inner) = capture(|| writeln!(stdout(), "inner").unwrap());
            assert_eq!(inner, b"inner\n");
            writeln!(o, "two").unwrap();
            o.flush().unwrap();
            7
        });
        assert_eq!(n, 7);
        assert_eq!(String::from_utf8(out).unwrap(), "one two\n");
        // Other threads are not captured.
        let ((), out) = capture(|| {
            std::thread::spawn(|| stdout().flush().unwrap())
                .join()
                .unwrap()
        });
        assert!(out.is_empty());
    }
}

#[cfg(test)]
mod float_tests {
    use super::*;
    use crate::dsp::synth::Rng;

    /// `push_float` writes what `{}` writes, for special values, every power of ten's
    /// neighbours and a million random bit patterns (every exponent, every sign); at an
    /// exact tie the digits may differ from `{}`'s in the last place only, and still parse
    /// back to the same f64.
    #[test]
    fn push_float_matches_rusts_display() {
        let want = |v: f64| {
            if v.is_nan() {
                "nan".to_string()
            } else {
                format!("{v}")
            }
        };
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.5,
            1.5e-7,
            123456.0,
            1e16,
            1e-5,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0004994997962872066,
        ];
        for k in -320..=308 {
            let p = format!("1e{k}").parse::<f64>().unwrap_or_default();
            values.extend([p, p.next_up(), p.next_down(), -p, 3.0 * p, p / 7.0]);
        }
        let mut rng = Rng::new(7);
        values.extend((0..1_000_000).map(|_| f64::from_bits(rng.next_u64())));
        let mut line = String::new();
        for v in values {
            line.clear();
            push_float(&mut line, v);
            let display = want(v);
            if line != display {
                let same_but_last = line.len() == display.len()
                    && line[..line.len() - 1] == display[..display.len() - 1];
                let back = line.parse::<f64>().map(f64::to_bits);
                assert!(same_but_last, "{line} vs {display}");
                assert_eq!(back, Ok(v.to_bits()), "{line} vs {display}");
            }
        }
        // an f32 widened: 1.02884674072265625 exactly, between two 17-digit strings
        let tie = f64::from(1.028_846_7_f32);
        assert_eq!(float_text(tie), "1.0288467407226562");
        assert_eq!(want(tie), "1.0288467407226563");
        assert_eq!(
            float_text(tie),
            serde_json::to_string(&tie).unwrap_or_default()
        );
    }
}
