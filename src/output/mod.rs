//! Everything that leaves the process: stdout, files written atomically, tables, progress.

pub mod convert;
pub mod info;
pub mod npy;
pub mod plot;
pub mod progress;
pub mod samples;
pub mod spectrum;
pub mod stats;
pub mod table;
pub mod uart;

use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Buffered, locked stdout whose errors name it (see [`StdoutWriter`]).
pub type Stdout = BufWriter<StdoutWriter>;

/// Buffered, locked stdout. A closed pipe surfaces as an `io::Error` of kind `BrokenPipe`,
/// which `main` turns into a quiet exit 0; any other error says `stdout: ...`.
pub fn stdout() -> Stdout {
    BufWriter::with_capacity(1 << 16, StdoutWriter(io::stdout().lock()))
}

/// Locked stdout whose write errors name it: `stdout: No space left on device` rather than
/// a bare OS message that could be about any file. The error keeps its kind, so a closed
/// pipe is still recognised.
pub struct StdoutWriter(io::StdoutLock<'static>);

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
        self.0.write(buf).map_err(name_stdout)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(name_stdout)
    }
}

/// A file written under a temporary name in the target folder and renamed into place by
/// [`AtomicFile::commit`]. Dropped without commit (error, panic, Ctrl-C unwinding), the
/// temporary file is removed, so no partial file ever carries the output name.
pub struct AtomicFile {
    target: PathBuf,
    temp: Option<tempfile::NamedTempFile>,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<AtomicFile> {
        // From here on Ctrl-C must unwind through Drop to remove the temporary file.
        crate::interrupt::catch().context("cannot catch Ctrl-C")?;
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".partial")
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        let file = temp
            .as_file()
            .try_clone()
            .with_context(|| format!("{}", target.display()))?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp: Some(temp),
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.target
    }

    /// The underlying file, for writes at an offset (patching a header).
    pub fn file(&mut self) -> Result<&File> {
        let w = self.writer.as_mut().context("file already committed")?;
        w.flush().with_context(|| write_context(&self.target))?;
        Ok(w.get_ref())
    }

    /// Flush, sync and rename into place.
    pub fn commit(mut self) -> Result<()> {
        crate::interrupt::check().with_context(|| self.target.display().to_string())?;
        let mut w = self.writer.take().context("file already committed")?;
        w.flush().map_err(|e| write_error(&self.target, e))?;
        let temp = self.temp.take().context("file already committed")?;
        temp.persist(&self.target)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot rename into {}", self.target.display()))?;
        Ok(())
    }
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
/// stdout (`-`) already say `stdout`.
pub fn write_error(path: &Path, err: io::Error) -> anyhow::Error {
    if err.raw_os_error() == Some(libc::ENOSPC) {
        anyhow::anyhow!("{}: the disk is full", path.display())
    } else if err.kind() == io::ErrorKind::BrokenPipe || path == Path::new("-") {
        anyhow::Error::new(err)
    } else {
        anyhow::Error::new(err).context(write_context(path))
    }
}

/// Refuse an output path that is the input file itself.
pub fn refuse_overwrite(input: Option<&Path>, output: &Path) -> Result<()> {
    let Some(input) = input.filter(|p| *p != Path::new("-")) else {
        return Ok(());
    };
    if output == Path::new("-") {
        return Ok(());
    }
    let same = match (std::fs::canonicalize(input), std::fs::canonicalize(output)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        bail!(
            "{}: refusing to write over the input file",
            output.display()
        );
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

/// Shortest text that parses back to the same f64 (Rust's `{}` is exactly that).
pub fn float_text(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else {
        format!("{v}")
    }
}
