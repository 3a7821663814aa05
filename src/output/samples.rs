//! Writing samples: .npy, raw, CSV, WAV (RF64 above 4 GiB) or SigMF, to a file (atomically)
//! or (.npy, raw, CSV) to stdout.

use super::wav::WavSpec;
use super::{AtomicFile, write_error};
use crate::parallel::{Flow, Pipeline};
use crate::sample::Sample;
use crate::sample::convert::extend_converted;
use crate::sample::{CaptureMeta, DType, Endian, npy::build_header};
use anyhow::Result;
use sha2::{Digest, Sha512};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    Npy,
    Raw,
    Csv,
    /// `.wav`: RIFF, or RF64 above 4 GiB.
    Wav,
    /// `.sigmf-data` (or `.sigmf-meta`): the samples and their metadata, side by side.
    Sigmf,
}

impl SampleFormat {
    /// The format an output name implies: `.npy`, `.csv`, anything else raw; `-` is a .npy
    /// stream unless `raw` is asked for.
    pub fn for_path(path: &Path, raw_stream: bool) -> SampleFormat {
        if path == Path::new("-") {
            return if raw_stream {
                SampleFormat::Raw
            } else {
                SampleFormat::Npy
            };
        }
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("npy") => SampleFormat::Npy,
            Some("csv") => SampleFormat::Csv,
            Some("wav") => SampleFormat::Wav,
            Some("sigmf-data" | "sigmf-meta") => SampleFormat::Sigmf,
            _ => SampleFormat::Raw,
        }
    }

    /// Refuse a raw output whose extension names another type than the samples' (`x.f32`
    /// for int16 samples would mislabel them).
    pub fn check_name(self, path: &Path, dtype: DType) -> Result<()> {
        let named = path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(|e| DType::parse(e).filter(|(d, _)| d.short_name() == e))
            .map(|(d, _)| d);
        if let Some(named) = named.filter(|&n| self == SampleFormat::Raw && n != dtype) {
            anyhow::bail!(
                "{}: the name says {named} but the samples are {dtype}; pass --to {} or name the file .bin",
                path.display(),
                named.short_name()
            );
        }
        Ok(())
    }

    /// The sample type a raw output's extension names (`x.i16`), if any.
    pub fn dtype_named_by(self, path: &Path) -> Option<DType> {
        let ext = path.extension().and_then(|e| e.to_str())?;
        DType::parse(ext)
            .map(|(d, _)| d)
            .filter(|_| self == SampleFormat::Raw)
    }
}

enum Target {
    File(AtomicFile),
    Stdout(super::Stdout),
}

/// A sink for frames of one dtype. Call [`SampleWriter::finish`] when done; dropping it
/// without finishing leaves no file behind.
pub struct SampleWriter {
    target: Target,
    name: PathBuf,
    format: SampleFormat,
    dtype: DType,
    endian: Endian,
    channels: usize,
    meta: CaptureMeta,
    /// Frames written so far (the CSV time column counts from it).
    frames: u64,
    text: Vec<u8>,
    /// WAV: the header's facts and the data bytes it announced.
    wav: Option<(WavSpec, u64)>,
    /// SigMF: the datatype, the hash of the data so far, the metadata file's path.
    sigmf: Option<(String, Sha512, PathBuf)>,
    /// Byte-swapped frames on their way into a little-endian WAV file.
    swapped: Vec<u8>,
    /// (I, Q) column pairs: the sidecar and SigMF metadata count complex channels.
    complex: bool,
}

/// What goes into the output.
pub struct SampleSpec {
    pub format: SampleFormat,
    pub dtype: DType,
    /// Byte order of the bytes passed to `write_bytes` (f64 input is always native).
    pub endian: Endian,
    pub samples: u64,
    pub channels: usize,
    pub meta: CaptureMeta,
    /// The channels are (I, Q) pairs of complex channels: a .npy output is complex64 or
    /// complex128 (f32/f64 components only) of `channels / 2` columns, a SigMF one `c*`.
    pub complex: bool,
}

impl SampleWriter {
    pub fn create(path: &Path, spec: &SampleSpec) -> Result<SampleWriter> {
        let named = |e: String| anyhow::anyhow!("{}: {e}", path.display());
        let mut wav = None;
        let mut sigmf = None;
        let mut target = if path == Path::new("-") {
            Target::Stdout(super::stdout())
        } else if spec.format == SampleFormat::Sigmf {
            let mut datatype = super::sigmf::datatype(spec.dtype, spec.endian).map_err(named)?;
            if spec.complex {
                datatype.replace_range(..1, "c");
            }
            let (data, meta) = super::sigmf::paths(path);
            sigmf = Some((datatype, Sha512::new(), meta));
            Target::File(AtomicFile::create(&data)?)
        } else {
            Target::File(AtomicFile::create(path)?)
        };
        let out: &mut dyn Write = match &mut target {
            Target::File(f) => f,
            Target::Stdout(s) => s,
        };
        match spec.format {
            SampleFormat::Npy => {
                let columns = if spec.complex {
                    spec.channels / 2
                } else {
                    spec.channels
                };
                let shape: Vec<u64> = if columns == 1 {
                    vec![spec.samples]
                } else {
                    vec![spec.samples, columns as u64]
                };
                let header = if spec.complex {
                    let descr = crate::sample::ComplexType(spec.dtype)
                        .descr(spec.endian)
                        .ok_or_else(|| {
                            named(format!(
                                "NumPy has no complex {} type; pass --to cf32 (complex64) or write raw (.c{} or .bin)",
                                spec.dtype,
                                spec.dtype.short_name()
                            ))
                        })?;
                    crate::sample::npy::build_header_descr(&descr, false, &shape, &spec.meta)
                } else {
                    build_header(spec.dtype, spec.endian, false, &shape, &spec.meta)
                };
                out.write_all(&header).map_err(|e| write_error(path, e))?;
            }
            SampleFormat::Csv => {
                let mut header = Vec::new();
                if spec.meta.sample_rate.is_some() {
                    header.push("time_s".to_string());
                }
                match &spec.meta.channel_names {
                    Some(names) if names.len() == spec.channels => {
                        header.extend(names.iter().cloned());
                    }
                    _ => header.extend((0..spec.channels).map(|c| format!("ch{c}"))),
                }
                writeln!(out, "{}", header.join(",")).map_err(|e| write_error(path, e))?;
            }
            SampleFormat::Wav => {
                let wav_spec = WavSpec::new(spec.dtype, spec.channels, spec.meta.sample_rate)
                    .map_err(named)?;
                let data = spec.samples.saturating_mul(wav_spec.frame());
                out.write_all(&super::wav::header(&wav_spec, data))
                    .map_err(|e| write_error(path, e))?;
                wav = Some((wav_spec, data));
            }
            SampleFormat::Raw | SampleFormat::Sigmf => {}
        }
        Ok(SampleWriter {
            target,
            name: path.to_path_buf(),
            format: spec.format,
            dtype: spec.dtype,
            endian: spec.endian,
            channels: spec.channels,
            meta: spec.meta.clone(),
            frames: 0,
            text: Vec::new(),
            wav,
            sigmf,
            swapped: Vec::new(),
            complex: spec.complex,
        })
    }

    /// Write encoded frames whose samples are in `endian` order: swapped into a WAV file's
    /// little-endian order if needed, hashed for SigMF.
    fn emit(&mut self, bytes: &[u8], endian: Endian) -> Result<()> {
        let size = self.dtype.size();
        let mut swapped = std::mem::take(&mut self.swapped);
        let data = if self.wav.is_some() && endian == Endian::Big && size > 1 {
            swapped.clear();
            for sample in bytes.chunks_exact(size) {
                swapped.extend(sample.iter().rev());
            }
            &swapped[..]
        } else {
            bytes
        };
        if let Some((_, hasher, _)) = &mut self.sigmf {
            hasher.update(data);
        }
        let name = self.name.clone();
        let res = self
            .out()
            .write_all(data)
            .map_err(|e| write_error(&name, e));
        self.swapped = swapped;
        res
    }

    fn out(&mut self) -> &mut dyn Write {
        match &mut self.target {
            Target::File(f) => f,
            Target::Stdout(s) => s,
        }
    }

    /// Frames already in the output dtype and byte order (a straight copy for .npy/raw).
    pub fn write_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        let frame = self.dtype.size() * self.channels;
        if self.format == SampleFormat::Csv {
            let mut values = Vec::with_capacity(bytes.len() / self.dtype.size());
            crate::sample::decode_strided_f64(bytes, self.dtype, self.endian, 0, 1, &mut values);
            return self.write_f64(&values);
        }
        self.emit(bytes, self.endian)?;
        self.frames += (bytes.len() / frame) as u64;
        Ok(())
    }

    /// Append frames that lie as `len` bytes at `offset` of `src`, already in the output's
    /// type and byte order, copied by the kernel into a .npy or raw file. Returns false,
    /// having written nothing, when that is not possible (stdout, CSV, a filesystem that
    /// cannot copy): the caller then writes the frames itself. An input that ends early
    /// (another process cut it) is named as `src_name` in the error.
    pub fn copy_range(
        &mut self,
        (src, src_name): (&std::fs::File, &str),
        (offset, len): (u64, u64),
        progress: &dyn Fn(u64),
    ) -> Result<bool> {
        let frame = (self.dtype.size() * self.channels) as u64;
        let Target::File(file) = &mut self.target else {
            return Ok(false);
        };
        let swap = self.format == SampleFormat::Wav && self.endian == Endian::Big;
        let hashed = self.format == SampleFormat::Sigmf;
        if self.format == SampleFormat::Csv || !file.is_regular() || swap || hashed {
            return Ok(false);
        }
        let copied = file
            .copy_range(src, offset, len, &|n| progress(n / frame.max(1)))
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::UnexpectedEof => {
                    anyhow::anyhow!("{src_name}: the file shrank while being read")
                }
                _ => write_error(&self.name, e),
            })?;
        if copied {
            self.frames += len / frame.max(1);
        }
        Ok(copied)
    }

    /// Interleaved frames as f64, converted to the output dtype (rounding rules in `convert`).
    pub fn write_f64(&mut self, frames: &[f64]) -> Result<()> {
        let mut buf = std::mem::take(&mut self.text);
        buf.clear();
        match self.format {
            SampleFormat::Csv => {
                for row in frames.chunks_exact(self.channels) {
                    if let Some(rate) = self.meta.sample_rate {
                        let t = self.meta.start_time.unwrap_or(0.0) + self.frames as f64 / rate;
                        let _ = write!(buf, "{t},");
                    }
                    for (i, v) in row.iter().enumerate() {
                        if i > 0 {
                            buf.push(b',');
                        }
                        write_csv_value(&mut buf, *v, self.dtype);
                    }
                    buf.push(b'\n');
                    self.frames += 1;
                }
            }
            _ => {
                extend_converted(frames.iter().copied(), self.dtype, &mut buf);
                self.frames += (frames.len() / self.channels) as u64;
            }
        }
        let res = match self.format {
            SampleFormat::Csv => {
                let name = self.name.clone();
                self.out()
                    .write_all(&buf)
                    .map_err(|e| write_error(&name, e))
            }
            _ => self.emit(&buf, Endian::NATIVE),
        };
        self.text = buf;
        res
    }

    /// Write `blocks` blocks of interleaved frames, each computed on some core by
    /// `fill(block, frames)` and converted there, and written here in block order; the
    /// output does not depend on the number of threads. `progress` hears frames written.
    pub fn write_parallel(
        &mut self,
        blocks: u64,
        fill: impl Fn(u64, &mut Vec<f64>) + Sync,
        progress: &dyn Fn(u64),
    ) -> Result<()> {
        let (format, dtype, channels) = (self.format, self.dtype, self.channels);
        let mut next = 0;
        let jobs = || (next < blocks).then(|| (next, next += 1).0);
        let work = |block, (frames, bytes): &mut (Vec<f64>, Vec<u8>)| {
            fill(block, frames);
            if format != SampleFormat::Csv {
                bytes.clear();
                extend_converted(frames.iter().copied(), dtype, bytes);
            }
            Flow::Continue
        };
        let new_buffers = || (Vec::new(), Vec::new());
        Pipeline::per_core(4).run(jobs, new_buffers, work, |(frames, bytes)| {
            match format {
                SampleFormat::Csv => self.write_f64(frames)?,
                _ => self.write_bytes(bytes)?,
            }
            progress((frames.len() / channels) as u64);
            anyhow::Ok(())
        })
    }

    /// Write the frames `next` makes, block after block, until it makes none (a source
    /// whose state runs from one block to the next, such as the UART generator).
    pub fn write_sequential<T: Sample + Default>(
        &mut self,
        block: usize,
        mut next: impl FnMut(&mut [T]) -> usize,
        progress: &dyn Fn(u64),
    ) -> Result<()> {
        let mut frames = vec![T::default(); block];
        let mut wide = Vec::new();
        loop {
            let n = next(&mut frames);
            if n == 0 {
                return Ok(());
            }
            wide.clear();
            wide.extend(frames[..n].iter().map(|v| v.to_f64()));
            self.write_f64(&wide)?;
            progress((n / self.channels) as u64);
        }
    }

    /// Flush, move the file into place and write the raw sidecar.
    /// Channels and metadata as the output's metadata counts them: complex channels (whose
    /// per-column names and units no longer fit) when complex.
    fn complex_view(&self) -> (usize, CaptureMeta) {
        if self.complex {
            let meta = CaptureMeta {
                channel_names: None,
                units: None,
                ..self.meta.clone()
            };
            (self.channels / 2, meta)
        } else {
            (self.channels, self.meta.clone())
        }
    }

    pub fn finish(self) -> Result<()> {
        let (channels, meta) = self.complex_view();
        match self.target {
            Target::Stdout(mut s) => s.flush().map_err(|e| write_error(&self.name, e))?,
            Target::File(mut f) if self.format == SampleFormat::Wav => {
                let Some((spec, declared)) = self.wav else {
                    unreachable!("a WAV writer has its spec")
                };
                let data = self.frames * spec.frame();
                if data & 1 == 1 {
                    f.write_all(&[0]).map_err(|e| write_error(&self.name, e))?;
                }
                if data != declared {
                    // Fewer or more frames than announced (an input of unknown length):
                    // the final sizes, in a header of the same length.
                    f.file()?
                        .write_all_at(&super::wav::header(&spec, data), 0)
                        .map_err(|e| write_error(&self.name, e))?;
                }
                f.commit()?;
            }
            Target::File(f) if self.format == SampleFormat::Sigmf => {
                let Some((datatype, hasher, meta_path)) = self.sigmf else {
                    unreachable!("a SigMF writer has its datatype")
                };
                f.commit()?;
                let sha: String = hasher
                    .finalize()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                let text = super::sigmf::metadata(&datatype, channels, &meta, &sha);
                let mut file = AtomicFile::create(&meta_path)?;
                file.write_all(text.as_bytes())
                    .map_err(|e| write_error(&meta_path, e))?;
                file.commit()?;
            }
            Target::File(f) => {
                // A FIFO or device gets no sidecar: there is no folder to put it next to.
                let sidecar = self.format == SampleFormat::Raw && f.is_regular();
                f.commit()?;
                if sidecar {
                    let side = CaptureMeta::sidecar_path(&self.name);
                    let dtype = if self.complex {
                        crate::sample::ComplexType(self.dtype).short_name()
                    } else {
                        self.dtype.numpy_name().to_string()
                    };
                    let meta = CaptureMeta {
                        dtype: Some(dtype),
                        byte_order: Some(self.endian.name().to_string()),
                        channels: Some(channels),
                        ..meta
                    };
                    let mut file = AtomicFile::create(&side)?;
                    file.write_all(meta.to_sidecar_json().as_bytes())
                        .map_err(|e| write_error(&side, e))?;
                    file.commit()?;
                }
            }
        }
        Ok(())
    }
}

/// A CSV cell that parses back to the same value of `dtype`.
fn write_csv_value(buf: &mut Vec<u8>, v: f64, dtype: DType) {
    use std::io::Write as _;
    let _ = match dtype {
        DType::F32 => write!(buf, "{}", v as f32),
        DType::F16 => write!(buf, "{}", half::f16::from_f64(v)),
        DType::F64 => write!(buf, "{v}"),
        _ => write!(buf, "{}", v as i128),
    };
}
