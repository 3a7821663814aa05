//! `tracekit fft`.

use super::{InputArgs, OutputArgs, RangeArgs, one_of};
use crate::dsp::welch::{Average, Detrend, Scaling};
use crate::dsp::window::WindowKind;
use crate::loader::ChannelRef;
use crate::units::{self, Overlap};
use clap::Args;
use std::path::PathBuf;

/// Welch-averaged power spectrum of the whole file, with peaks and tone metrics.
///
/// Same definition as scipy.signal.welch (periodic window, one-sided, trailing partial
/// segment dropped), computed in f64 whatever the input type. Prints the rate, resolution,
/// ENBW, segments, the strongest peaks, the noise floor, and SNR/THD/SINAD/SFDR/ENOB of the
/// strongest tone, per channel. Reads the file once, in chunks, on all cores; memory is a
/// few batches of samples plus nfft-sized buffers per thread, whatever the file size.
/// Without a sample rate, frequencies are in cycles/sample.
///
/// --json keys: path, samples, sample_rate, frequency_unit, nfft, overlap, window,
/// detrend, scaling, average, resolution, enbw, enbw_bins, segments, level_unit, channels:
/// [{channel, peaks: [{freq, level_db, power_db}], noise_floor_db, tone: {freq, level_db,
/// power_db, snr_db, thd_db, sinad_db, sfdr_db, enob, spur_freq, harmonics: [{order, freq,
/// dbc}]} or null}]. Conventions: docs/fft.md.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit fft capture.npy
  tracekit fft --nfft 65536 --window flattop --scaling spectrum capture.npy
  tracekit fft capture.npy -o spectrum.csv --plot spectrum.svg
  tracekit slice 1ms..2ms big.npy -o - | tracekit fft --json - | jq '.channels[0].peaks'")]
pub struct FftArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Segment length: 16 ≤ N ≤ 16Mi (memory about 100 bytes × N per channel analysed)
    #[arg(long, default_value_t = 8192, value_parser = parse_nfft, value_name = "N")]
    pub nfft: usize,

    /// Segment overlap: a percentage (50%) or samples
    #[arg(long, default_value = "50%", value_parser = units::parse_overlap, value_name = "P%|N")]
    pub overlap: Overlap,

    /// Window: hann, hamming, blackman, blackman-harris, flattop, rect, kaiser:BETA
    ///
    /// Periodic, as scipy.signal.get_window. A tone owns the main lobe around its peak bin
    /// in every metric: ±1 bin (rect), ±2 (hann, hamming), ±3 (blackman), ±4
    /// (blackman-harris), ±5 (flattop), ±ceil(sqrt(1+(β/π)²)) (kaiser). Use flattop with
    /// --scaling spectrum to read amplitudes (a tone of amplitude A reads A²/2 within 0.01 dB).
    #[arg(long, default_value = "hann", value_parser = parse_window, value_name = "W")]
    pub window: WindowKind,

    /// Remove each segment's mean before windowing, or not
    #[arg(long, default_value = "mean", value_parser = one_of::<Detrend>(Detrend::NAMES))]
    pub detrend: Detrend,

    /// density: V²/Hz; spectrum: V² (reads a tone's power A²/2)
    #[arg(long, default_value = "density", value_parser = one_of::<Scaling>(Scaling::NAMES))]
    pub scaling: Scaling,

    /// Combine segments by mean (Welch) or max (max-hold)
    #[arg(long, default_value = "mean", value_parser = one_of::<Average>(Average::NAMES))]
    pub average: Average,

    /// How many peaks to list (strongest first)
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub peaks: usize,

    #[command(flatten)]
    pub range: RangeArgs,

    /// Only this channel: 0-based index or name (CH2, C3); default all
    #[arg(long, value_name = "K|NAME")]
    pub channel: Option<ChannelRef>,

    /// Write every bin: .csv (freq_hz,power,power_db) or .npy (float64, same columns)
    ///
    /// One row per bin, k·fs/nfft for k = 0..=nfft/2. Several channels: the columns are
    /// freq_hz, then power_K,power_db_K for each channel K. Without a sample rate the first
    /// column is freq_cycles_per_sample.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Draw the spectrum in dB with the peaks marked (.svg; PNG is not supported)
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,

    #[command(flatten)]
    pub output_args: OutputArgs,
}

/// The largest segment: 16 Mi points, about 1.6 GB of buffers.
const MAX_NFFT: u64 = 1 << 24;

fn parse_nfft(text: &str) -> Result<usize, String> {
    match units::parse_count(text) {
        Ok(n) if (16..=MAX_NFFT).contains(&n) => Ok(n as usize),
        Ok(n) => Err(format!(
            "nfft {n} is out of range; use 16..{MAX_NFFT} (memory is about 100 bytes per point)"
        )),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_window(text: &str) -> Result<WindowKind, String> {
    text.parse()
        .map_err(|e: crate::dsp::DspError| e.to_string())
}
