//! The `fft` report rendered as tables, and the per-bin spectrum file (.csv or .npy).

use super::table::{self, num};
use super::{AtomicFile, write_error};
use crate::dsp::metrics;
use crate::dsp::welch::Spectrum;
use crate::report::fft::FftReport;
use crate::sample::npy::build_header;
use crate::sample::{CaptureMeta, DType, Endian};
use anyhow::{Result, bail};
use std::io::Write;
use std::path::Path;

/// The summary, peaks and tone tables for people.
pub fn write_tables(report: &FftReport, out: &mut dyn Write) -> std::io::Result<()> {
    let r = report;
    let unit = r.frequency_unit;
    let rate = r.sample_rate.map_or_else(
        || "unknown: frequencies in cycles/sample (pass -r RATE for Hz)".to_string(),
        |r| format!("{} ({} Hz)", crate::units::format_rate(r), num(r)),
    );
    let rows = [
        ("path", r.path.clone()),
        ("samples", r.samples.to_string()),
        ("sample rate", rate),
        ("nfft", r.nfft.to_string()),
        ("overlap", format!("{} samples", r.overlap)),
        ("window", r.window.clone()),
        (
            "detrend / scaling / average",
            format!("{} / {} / {}", r.detrend, r.scaling, r.average),
        ),
        ("resolution", format!("{} {unit}", num(r.resolution))),
        (
            "ENBW",
            format!("{} {unit} ({} bins)", num(r.enbw), num(r.enbw_bins)),
        ),
        ("segments", r.segments.to_string()),
    ];
    writeln!(out, "{}", table::key_values(&rows))?;
    let db = |v: f64| format!("{v:.2}");
    let peak_rows = r
        .channels
        .iter()
        .flat_map(|c| {
            c.peaks.iter().enumerate().map(move |(i, p)| {
                vec![
                    c.channel.to_string(),
                    (i + 1).to_string(),
                    num(p.freq),
                    db(p.level_db),
                    db(p.power_db),
                ]
            })
        })
        .collect();
    let freq_head = format!("freq ({unit})");
    let level_head = format!("level ({})", r.level_unit);
    writeln!(
        out,
        "{}",
        table::grid(
            &["channel", "peak", &freq_head, &level_head, "power (dBV²)"],
            peak_rows
        )
    )?;
    let floor_head = format!("noise floor ({})", r.level_unit);
    let tone_head = format!("tone ({unit})");
    let tone_rows = r
        .channels
        .iter()
        .map(|c| {
            let mut row = vec![c.channel.to_string(), db(c.noise_floor_db)];
            match &c.tone {
                Some(t) => row.extend([
                    num(t.freq),
                    db(t.snr_db),
                    db(t.thd_db),
                    db(t.sinad_db),
                    db(t.sfdr_db),
                    format!("{:.2}", t.enob),
                ]),
                None => row.extend(std::iter::repeat_n("-".to_string(), 6)),
            }
            row
        })
        .collect();
    writeln!(
        out,
        "{}",
        table::grid(
            &[
                "channel",
                &floor_head,
                &tone_head,
                "SNR (dB)",
                "THD (dB)",
                "SINAD (dB)",
                "SFDR (dB)",
                "ENOB"
            ],
            tone_rows
        )
    )
}

/// Write every bin of every channel to `path`: `.csv` (a header line, then
/// `freq,power,power_db` per channel) or `.npy` (float64, shape (bins, columns), the same
/// columns). Rejects other extensions before anything is created.
pub fn write_spectrum_file(path: &Path, spectra: &[Spectrum], channels: &[usize]) -> Result<()> {
    let csv = is_csv(path)?;
    let Some(first) = spectra.first() else {
        return Ok(());
    };
    let mut header = vec![if first.sample_rate.is_some() {
        "freq_hz".to_string()
    } else {
        "freq_cycles_per_sample".to_string()
    }];
    if let [_] = channels {
        header.extend(["power".to_string(), "power_db".to_string()]);
    } else {
        for c in channels {
            header.extend([format!("power_{c}"), format!("power_db_{c}")]);
        }
    }
    let mut file = AtomicFile::create(path)?;
    let bins = first.freqs.len();
    let mut row = Vec::with_capacity(header.len());
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    if csv {
        writeln!(buf, "{}", header.join(","))?;
    } else {
        let shape = [bins as u64, header.len() as u64];
        let meta = CaptureMeta::default();
        buf.extend(build_header(
            DType::F64,
            Endian::NATIVE,
            false,
            &shape,
            &meta,
        ));
    }
    for k in 0..bins {
        row.clear();
        row.push(first.freqs[k]);
        for s in spectra {
            row.extend([s.power[k], metrics::to_db(s.power[k])]);
        }
        if csv {
            // Shortest round-trip text; powers in exponent form (they span hundreds of dB).
            write!(buf, "{}", row[0])?;
            for pair in row[1..].chunks_exact(2) {
                write!(buf, ",{:e},{}", pair[0], pair[1])?;
            }
            writeln!(buf)?;
        } else {
            row.iter().for_each(|v| buf.extend(v.to_ne_bytes()));
        }
        if buf.len() >= 1 << 16 {
            file.write_all(&buf).map_err(|e| write_error(path, e))?;
            buf.clear();
        }
    }
    file.write_all(&buf).map_err(|e| write_error(path, e))?;
    file.commit()
}

/// Whether a spectrum file is `.csv` (or `.npy`); any other name is refused, before the
/// input is read.
pub fn is_csv(path: &Path) -> Result<bool> {
    match extension(path).as_deref() {
        Some("csv") => Ok(true),
        Some("npy") => Ok(false),
        _ => bail!("{}: the spectrum file must be .csv or .npy", path.display()),
    }
}

/// The lower-case extension of `path`, if any.
pub fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}
