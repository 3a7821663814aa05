//! The `metadata` member of a session: a GLib key file (INI) with a `[device 1]` section.

use super::SigrokError;

/// The facts of `[device 1]` that the reader uses.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Device {
    pub capturefile: Option<String>,
    pub samplerate: Option<u64>,
    pub unitsize: Option<u64>,
    pub total_probes: Option<u64>,
    pub total_analog: Option<u64>,
    /// `probeN = name`: (N, name); N counts from 1, bit N-1 of a logic word.
    pub probes: Vec<(u64, String)>,
    /// `analogN = name`: (N, name); N is the channel's index among all channels + 1.
    pub analogs: Vec<(u64, String)>,
}

/// What the key file holds: the device and the text of `[global] sigrok version`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Metadata {
    pub sigrok_version: Option<String>,
    pub device: Device,
    /// Other `[device N]` sections (sigrok writes only one); reported, not read.
    pub other_devices: Vec<String>,
}

/// Parse the key file. Unknown keys are ignored, as libsigrok does.
pub fn parse(text: &str) -> Result<Metadata, SigrokError> {
    let mut meta = Metadata::default();
    let mut section = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_string();
            if section.starts_with("device ") && section != "device 1" {
                meta.other_devices.push(section.clone());
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        if section == "global" && key == "sigrok version" {
            meta.sigrok_version = Some(value.to_string());
        }
        if section != "device 1" {
            continue;
        }
        let dev = &mut meta.device;
        match key {
            "capturefile" => dev.capturefile = Some(value.to_string()),
            "samplerate" => dev.samplerate = Some(parse_samplerate(value)?),
            "unitsize" => dev.unitsize = Some(parse_count(key, value)?),
            "total probes" => dev.total_probes = Some(parse_count(key, value)?),
            "total analog" => dev.total_analog = Some(parse_count(key, value)?),
            _ => {
                if let Some(n) = key.strip_prefix("probe") {
                    dev.probes.push((parse_index(key, n)?, value.to_string()));
                } else if let Some(n) = key.strip_prefix("analog") {
                    dev.analogs.push((parse_index(key, n)?, value.to_string()));
                }
            }
        }
    }
    meta.device.probes.sort_by_key(|p| p.0);
    meta.device.analogs.sort_by_key(|p| p.0);
    Ok(meta)
}

fn parse_count(key: &str, value: &str) -> Result<u64, SigrokError> {
    value.parse().map_err(|_| SigrokError::BadMetadata {
        key: key.to_string(),
        value: value.to_string(),
        expected: "a whole number",
    })
}

fn parse_index(key: &str, digits: &str) -> Result<u64, SigrokError> {
    match digits.parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(SigrokError::BadMetadata {
            key: key.to_string(),
            value: digits.to_string(),
            expected: "a channel number from 1",
        }),
    }
}

/// `8 MHz`, `500 kHz`, `1MHz`, `12.5 MHz`, `1000000` (libsigrok's size strings) → Hz.
pub fn parse_samplerate(text: &str) -> Result<u64, SigrokError> {
    let bad = || SigrokError::BadMetadata {
        key: "samplerate".to_string(),
        value: text.to_string(),
        expected: "a number with an optional k/M/G/T prefix and Hz",
    };
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, rest) = t.split_at(split);
    let mut rest = rest.trim();
    let mut multiplier = 1u64;
    if let Some(c) = rest.chars().next() {
        let m = match c {
            'k' | 'K' => Some(1_000),
            'm' | 'M' => Some(1_000_000),
            'g' | 'G' => Some(1_000_000_000),
            't' | 'T' => Some(1_000_000_000_000),
            _ => None,
        };
        if let Some(m) = m {
            multiplier = m;
            rest = &rest[1..];
        }
    }
    if !(rest.is_empty() || rest.eq_ignore_ascii_case("hz")) || number.is_empty() {
        return Err(bad());
    }
    let value: f64 = number.parse().map_err(|_| bad())?;
    let hz = value * multiplier as f64;
    if !(hz.is_finite() && hz >= 0.0 && hz < u64::MAX as f64) || hz.fract() != 0.0 {
        return Err(bad());
    }
    Ok(hz as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The way libsigrok writes a rate (`200 kHz`, `1 MHz`, `12500000 Hz`): exact, so the
    /// reader gets back the same number.
    pub fn format_samplerate(hz: u64) -> String {
        for (unit, name) in [(1_000_000_000, "GHz"), (1_000_000, "MHz"), (1_000, "kHz")] {
            if hz >= unit && hz.is_multiple_of(unit) {
                return format!("{} {name}", hz / unit);
            }
        }
        format!("{hz} Hz")
    }

    #[test]
    fn samplerates_as_sigrok_writes_them() {
        for (text, hz) in [
            ("8 MHz", 8_000_000),
            ("500 kHz", 500_000),
            ("1MHz", 1_000_000),
            ("4 GHz", 4_000_000_000),
            ("12.5 MHz", 12_500_000),
            ("1000000", 1_000_000),
            ("100 Hz", 100),
        ] {
            assert_eq!(parse_samplerate(text).unwrap(), hz, "{text}");
            assert_eq!(parse_samplerate(&format_samplerate(hz)).unwrap(), hz);
        }
        for bad in ["", "fast", "1 XHz", "0.5 Hz", "-3 kHz", "1e400"] {
            assert!(parse_samplerate(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn key_file_with_spaces_and_sparse_probes() {
        let meta = parse(
            "[global]\nsigrok version = 0.2.0\n[device 1]\ndriver = ols\ncapturefile = \
             logic-1\nunitsize = 2\ntotal probes = 16\nsamplerate = 40 MHz\nprobe13 = CS#\n\
             probe8=CLK\n trigger2 = 0\nanalog17=A0\n[device 2]\nprobe1=X\n",
        )
        .unwrap();
        assert_eq!(meta.sigrok_version.as_deref(), Some("0.2.0"));
        let d = &meta.device;
        assert_eq!(d.capturefile.as_deref(), Some("logic-1"));
        assert_eq!(
            (d.unitsize, d.total_probes, d.samplerate),
            (Some(2), Some(16), Some(40_000_000))
        );
        assert_eq!(d.probes, vec![(8, "CLK".into()), (13, "CS#".into())]);
        assert_eq!(d.analogs, vec![(17, "A0".into())]);
        assert_eq!(meta.other_devices, vec!["device 2".to_string()]);
        assert!(parse("[device 1]\nunitsize=two\n").is_err());
        assert!(parse("[device 1]\nprobe0=x\n").is_err());
    }
}
