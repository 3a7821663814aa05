//! Write a Tektronix WFM#003 int16 file of any size, streamed in 1 Mi-sample chunks, and
//! optionally the same codes as a .npy, for comparing the loader on a mapped scope file
//! with .npy (benches/jobs/vendor.sh):
//! `cargo run --release --example write_tek_wfm -- OUT.wfm SAMPLES [--npy OUT.npy] [--big-endian]`
//! (1073741824 samples ≈ 2 GiB). The signal is a 1 kHz sine at 1 MS/s plus a slow ramp,
//! ±1 V full scale (value = code / 32768).

#[path = "../tests/support/tek_wfm_writer.rs"]
mod tek_writer;

use std::io::{BufWriter, Write};
use tek_writer::{TekWfmSpec, TekWfmWriter};
use tracekit::sample::Endian;

const CHUNK: u64 = 1 << 20;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(samples)) =
        (args.get(1), args.get(2).and_then(|s| s.parse::<u64>().ok()))
    else {
        eprintln!("usage: write_tek_wfm OUT.wfm SAMPLES [--npy OUT.npy] [--big-endian]");
        std::process::exit(2);
    };
    let endian = if args.iter().any(|a| a == "--big-endian") {
        Endian::Big
    } else {
        Endian::Little
    };
    let npy = args
        .iter()
        .position(|a| a == "--npy")
        .and_then(|i| args.get(i + 1));
    if let Err(e) = write(path, samples, endian, npy.map(String::as_str)) {
        eprintln!("write_tek_wfm: error: {e}");
        std::process::exit(1);
    }
}

fn write(
    path: &str,
    samples: u64,
    endian: Endian,
    npy: Option<&str>,
) -> Result<(), Box<dyn std::error::Error>> {
    let spec = TekWfmSpec {
        samples,
        y_scale: 1.0 / 32768.0,
        y_offset: 0.0,
        x_increment: 1e-6,
        x_origin: 0.0,
        label: "synthetic".into(),
        endian,
    };
    let file = std::fs::File::create(path)?;
    let mut writer = TekWfmWriter::new(BufWriter::with_capacity(1 << 20, file), &spec)?;
    let mut npy_out = match npy {
        Some(p) => {
            let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(p)?);
            out.write_all(&npy_header(samples))?;
            Some(out)
        }
        None => None,
    };
    // One period of the sine, 1000 points, as codes at 0.9 of full scale.
    let table: Vec<i16> = (0..1000)
        .map(|i| (0.9 * 32767.0 * (i as f64 * std::f64::consts::TAU / 1000.0).sin()) as i16)
        .collect();
    let mut chunk = Vec::with_capacity(CHUNK as usize);
    let mut bytes = Vec::with_capacity(2 * CHUNK as usize);
    let mut i = 0u64;
    while i < samples {
        chunk.clear();
        let n = CHUNK.min(samples - i);
        chunk.extend((i..i + n).map(|k| {
            let ramp = ((k >> 20) % 64) as i16 - 32;
            table[(k % 1000) as usize].saturating_add(ramp)
        }));
        writer.write_samples(&chunk)?;
        if let Some(out) = &mut npy_out {
            bytes.clear();
            bytes.extend(chunk.iter().flat_map(|c| c.to_le_bytes()));
            out.write_all(&bytes)?;
        }
        i += n;
    }
    writer.finish()?;
    if let Some(mut out) = npy_out {
        out.flush()?;
    }
    eprintln!("wrote {} bytes to {path}", spec.file_len());
    Ok(())
}

/// A version 1.0 .npy header for `samples` little-endian int16 values, 64-byte aligned.
fn npy_header(samples: u64) -> Vec<u8> {
    let dict = format!("{{'descr': '<i2', 'fortran_order': False, 'shape': ({samples},), }}");
    let unpadded = 10 + dict.len() + 1;
    let total = unpadded.div_ceil(64) * 64;
    let mut h = b"\x93NUMPY\x01\x00".to_vec();
    h.extend_from_slice(&((total - 10) as u16).to_le_bytes());
    h.extend_from_slice(dict.as_bytes());
    h.resize(total - 1, b' ');
    h.push(b'\n');
    h
}
