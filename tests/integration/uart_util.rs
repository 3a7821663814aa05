//! UART test helpers: a tiny .npy reader, chunked decoding and sigrok-style event lines.

use tracekit::dsp::decode::uart::{UartConfig, UartDecoder, UartEvent};
use tracekit::dsp::levels::Schmitt;

pub fn data_path(name: &str) -> String {
    format!("{}/tests/data/uart/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The payload of a little-endian 1-D .npy file of the given dtype descr.
fn npy_payload(name: &str, descr: &str) -> Vec<u8> {
    let bytes = std::fs::read(data_path(name)).unwrap();
    assert_eq!(&bytes[..6], b"\x93NUMPY", "{name}: not .npy");
    let (header_len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        _ => (
            u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize,
            12,
        ),
    };
    let header = std::str::from_utf8(&bytes[start..start + header_len]).unwrap();
    assert!(
        header.contains(&format!("'descr': '{descr}'")),
        "{name}: {header}"
    );
    assert!(
        header.contains("'fortran_order': False"),
        "{name}: {header}"
    );
    bytes[start + header_len..].to_vec()
}

pub fn read_u8(name: &str) -> Vec<u8> {
    npy_payload(name, "|u1")
}

pub fn read_f32(name: &str) -> Vec<f32> {
    npy_payload(name, "<f4")
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// Decodes `levels` in chunks of `chunk` samples (0 = all at once).
pub fn decode(
    cfg: &UartConfig,
    rate: f64,
    baud: f64,
    levels: &[u8],
    chunk: usize,
) -> Vec<UartEvent> {
    let mut dec = UartDecoder::new(cfg, rate, baud).unwrap();
    let mut out = Vec::new();
    let size = if chunk == 0 {
        levels.len().max(1)
    } else {
        chunk
    };
    for c in levels.chunks(size) {
        dec.push(c, &mut out);
    }
    dec.finish(&mut out);
    out
}

/// Decodes analog `volts` through a Schmitt trigger, in chunks of `chunk` samples.
pub fn decode_analog(
    cfg: &UartConfig,
    (rate, baud): (f64, f64),
    volts: &[f32],
    (threshold, hysteresis): (f64, f64),
    chunk: usize,
) -> Vec<UartEvent> {
    let mut schmitt = Schmitt::new(threshold, hysteresis).unwrap();
    let mut dec = UartDecoder::new(cfg, rate, baud).unwrap();
    let (mut levels, mut out) = (Vec::new(), Vec::new());
    for c in volts.chunks(chunk) {
        schmitt.process(c, &mut levels);
        dec.push(&levels, &mut out);
    }
    dec.finish(&mut out);
    out
}

/// sigrok-cli style lines: `SS ES data HH`, `SS ES parity-error`, `SS ES frame-error`, `SS ES break`.
pub fn event_lines(events: &[UartEvent], data_bits: u8) -> Vec<String> {
    let digits = usize::from(data_bits).div_ceil(4);
    let mut lines = Vec::new();
    for e in events {
        match e {
            UartEvent::Data {
                value,
                data,
                parity_error,
                stop_error,
                ..
            } => {
                lines.push(format!(
                    "{} {} data {:0digits$x}",
                    data.start, data.end, value
                ));
                if let Some(s) = parity_error {
                    lines.push(format!("{} {} parity-error", s.start, s.end));
                }
                if let Some(s) = stop_error {
                    lines.push(format!("{} {} frame-error", s.start, s.end));
                }
            }
            UartEvent::InvalidStart { span, .. } => {
                lines.push(format!("{} {} frame-error", span.start, span.end))
            }
            UartEvent::Break { span: s, .. } => lines.push(format!("{} {} break", s.start, s.end)),
        }
    }
    lines
}

pub fn read_lines(name: &str) -> Vec<String> {
    std::fs::read_to_string(data_path(name))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}
