//! Opening a capture: the format registry, detection, and the options users give.

use super::{
    LoaderError, Trace, hdf5, keysight_bin, lecroy, npy, npz, raw, rigol_bin, rigol_wfm, rs_bin,
    saleae, sigmf, sigrok, stdin, tdms, tek_isf, tek_wfm, vcd, wav,
};
use crate::sample::{DType, Endian};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// One input format: how to recognise its files and open them. Adding a format is one
/// module implementing this plus one line in [`FORMATS`].
pub trait Format: Sync {
    /// The name `--format` takes and `info` shows.
    fn name(&self) -> &'static str;
    /// How surely the file whose first bytes are `head` (up to 64 KiB, all of a smaller
    /// file) and whose lower-case extension is `extension` is of this format.
    fn sniff(&self, head: &[u8], extension: &str) -> Sniff;
    /// Read the header and set up the frames.
    fn open(&self, input: Input<'_>) -> Result<Trace, LoaderError>;
}

/// What a format's [`Format::sniff`] sees in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sniff {
    No,
    /// Only the extension fits.
    Extension,
    /// The magic bytes say so.
    Magic,
}

impl Sniff {
    /// `Magic` when the magic bytes match, else `Extension` when the extension does.
    pub fn by(magic: bool, extension: bool) -> Sniff {
        match (magic, extension) {
            (true, _) => Sniff::Magic,
            (false, true) => Sniff::Extension,
            (false, false) => Sniff::No,
        }
    }
}

/// A file being opened, as a format sees it.
pub struct Input<'a> {
    pub file: File,
    pub path: &'a Path,
    /// The name errors and reports use.
    pub name: String,
    pub size: u64,
    /// Lower-case extension, `""` when there is none.
    pub extension: &'a str,
    pub opts: &'a OpenOptions,
}

/// Every format, in the order detection tries them (magic bytes first for all, then
/// extensions); raw binary is the fallback when none recognises a file. Tektronix WFM
/// claims the `.wfm` extension before Rigol, whose files all carry magic bytes. sigrok
/// sessions come before .npz, which also begins with the zip magic.
pub static FORMATS: &[&dyn Format] = &[
    &npy::Npy,
    &sigrok::Sigrok,
    &npz::Npz,
    &hdf5::Hdf5,
    &tek_wfm::TekWfm,
    &tek_isf::TekIsf,
    &lecroy::Lecroy,
    &rs_bin::RsBin,
    &rigol_wfm::RigolWfm,
    &rigol_bin::RigolBin,
    &keysight_bin::KeysightBin,
    &wav::Wav,
    &tdms::Tdms,
    &sigmf::Sigmf,
    &saleae::Saleae,
    &vcd::Vcd,
    &raw::Raw,
];

/// The format `--format NAME` names.
pub fn format_named(name: &str) -> Option<&'static dyn Format> {
    FORMATS.iter().copied().find(|f| f.name() == name)
}

/// What the user said about the input (SPEC §1), already parsed and typed.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// None or `-` = standard input.
    pub path: Option<PathBuf>,
    /// A name from [`FORMATS`]; None = detect (magic bytes, then extension).
    pub format: Option<&'static str>,
    pub dtype: Option<DType>,
    pub endian: Option<Endian>,
    pub offset: Option<u64>,
    pub length: Option<u64>,
    pub channels: Option<usize>,
    pub dataset: Option<String>,
    pub sample_rate: Option<f64>,
    /// Keep the stored integers of scaled channels (ADC codes) instead of their values.
    pub raw_codes: bool,
    /// Which segment of a segmented capture; None = all, concatenated.
    pub segment: Option<SegmentChoice>,
    /// Check a stored checksum (SigMF `core:sha512`) while opening: `info --verify`.
    pub verify: bool,
    /// Raw: `dtype` is the component of interleaved (I, Q) pairs (`--dtype cf32`).
    pub complex: bool,
}

/// `--segment`: one segment of a segmented capture (0-based), or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentChoice {
    Index(usize),
    All,
}

/// Enough to find an HDF5 signature behind a user block of up to 64 KiB.
const SNIFF_BYTES: u64 = 64 << 10;

/// Open the input the options describe.
pub fn open(opts: &OpenOptions) -> Result<Trace, LoaderError> {
    let mut trace = match opts.path.as_deref().filter(|p| *p != Path::new("-")) {
        None => stdin::open(opts)?,
        Some(path) => open_file(path, opts)?,
    };
    if let Some(rate) = opts.sample_rate {
        trace.info.sample_rate = Some(rate);
        trace.info.rate_source = Some("--sample-rate".into());
    }
    Ok(trace)
}

fn open_file(path: &Path, opts: &OpenOptions) -> Result<Trace, LoaderError> {
    let name = path.display().to_string();
    let md = std::fs::metadata(path).map_err(|e| LoaderError::io(&name, e))?;
    if md.is_dir() {
        return Err(LoaderError::IsDir { path: name });
    }
    let file = File::open(path).map_err(|e| LoaderError::io(&name, e))?;
    let size = md.len();
    if size == 0 {
        return Err(LoaderError::Empty { path: name });
    }
    let mut head = vec![0u8; size.min(SNIFF_BYTES) as usize];
    file.read_exact_at(&mut head, 0)
        .map_err(|e| LoaderError::io(&name, e))?;
    let extension = extension_of(path);
    let format = match opts.format.and_then(format_named) {
        Some(f) => f,
        None => detect(&head, &extension),
    };
    format.open(Input {
        file,
        path,
        name,
        size,
        extension: &extension,
        opts,
    })
}

/// The lower-case extension, with the compound `wfm.bin` of R&S data files (`x.Wfm.bin`),
/// whose bytes have no magic to recognise them by.
fn extension_of(path: &Path) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if name.ends_with(".wfm.bin") {
        return "wfm.bin".into();
    }
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The first format whose magic bytes match, else the first whose extension does, else raw.
fn detect(head: &[u8], extension: &str) -> &'static dyn Format {
    [Sniff::Magic, Sniff::Extension]
        .into_iter()
        .find_map(|want| {
            FORMATS
                .iter()
                .copied()
                .find(|f| f.sniff(head, extension) == want)
        })
        .unwrap_or(&raw::Raw)
}
