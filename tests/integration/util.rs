//! Helpers: run the binary in a scratch folder, build .npy files straight from the format spec.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `tracekit ARGS...` run inside this folder.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("tracekit").expect("binary built");
        c.current_dir(self.dir.path())
            .args(args)
            .env_remove("NO_COLOR");
        c
    }

    /// Run and return stdout, failing the test (with stderr) if the command fails.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().expect("runs");
        assert!(
            out.status.success(),
            "tracekit {args:?} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// `tracekit ARGS | head LIMIT` (`-n 5`, `-c 10`) in bash with pipefail: the closed pipe
    /// must end tracekit quietly (exit 0, empty stderr); returns what head printed.
    pub fn head(&self, args: &str, limit: &str) -> Vec<u8> {
        let tk = assert_cmd::cargo::cargo_bin("tracekit");
        let script = format!("set -o pipefail; '{}' {args} | head {limit}", tk.display());
        let out = std::process::Command::new("bash")
            .args(["-c", &script])
            .current_dir(self.dir.path())
            .output()
            .expect("bash runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args}: {stderr}");
        assert!(stderr.is_empty(), "{args}: {stderr}");
        out.stdout
    }

    /// Run, expect exit status 1 and one `tracekit: error:` line; return that line.
    pub fn error(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(1),
            "tracekit {args:?}: want exit 1, stderr:\n{stderr}"
        );
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("tracekit: warning"))
            .collect();
        assert_eq!(lines.len(), 1, "one error line expected, got:\n{stderr}");
        assert!(lines[0].starts_with("tracekit: error: "), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        lines[0].to_string()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.stdout(args)).expect("valid JSON")
    }
}

/// A .npy file as NumPy would write it, from the format spec: any version, descr, order, shape.
pub fn npy_bytes(major: u8, descr: &str, fortran: bool, shape: &[u64], data: &[u8]) -> Vec<u8> {
    let shape_text = match shape {
        [n] => format!("({n},)"),
        dims => format!(
            "({})",
            dims.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let f = if fortran { "True" } else { "False" };
    let dict = format!("{{'descr': '{descr}', 'fortran_order': {f}, 'shape': {shape_text}, }}");
    let prefix = if major == 1 { 10 } else { 12 };
    let total = (prefix + dict.len() + 1).div_ceil(64) * 64;
    let mut out = b"\x93NUMPY".to_vec();
    out.push(major);
    out.push(0);
    let hlen = total - prefix;
    if major == 1 {
        out.extend_from_slice(&(hlen as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&(hlen as u32).to_le_bytes());
    }
    out.extend_from_slice(dict.as_bytes());
    out.resize(total - 1, b' ');
    out.push(b'\n');
    out.extend_from_slice(data);
    out
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("write test file");
}

/// f64 values as little-endian f32 bytes.
pub fn f32_le(values: &[f64]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|v| (*v as f32).to_le_bytes())
        .collect()
}

/// Read a little-endian f32 .npy written by tracekit (1-D or 2-D C order) back to f64.
pub fn read_npy_f64(path: &Path) -> (Vec<u64>, Vec<f64>, String) {
    let bytes = std::fs::read(path).expect("read npy");
    let hlen = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = String::from_utf8_lossy(&bytes[10..10 + hlen]).into_owned();
    let descr = header
        .split("'descr': '")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap_or("")
        .to_string();
    let shape_text = header
        .split("'shape': (")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .unwrap_or("");
    let shape: Vec<u64> = shape_text
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let mut shape = shape;
    let data = &bytes[10 + hlen..];
    // Complex (issue 15): I and Q as two columns per complex column.
    if descr == "<c16" {
        let last = shape.pop().unwrap_or(1);
        if !shape.is_empty() {
            shape.push(2 * last);
        } else {
            shape = vec![last, 2];
        }
        let values = data
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        return (shape, values, header);
    }
    let values = match descr.as_str() {
        "<f4" => data
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()) as f64)
            .collect(),
        "<f8" => data
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect(),
        ">f8" => data
            .chunks_exact(8)
            .map(|c| f64::from_be_bytes(c.try_into().unwrap()))
            .collect(),
        "<i2" => data
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes(c.try_into().unwrap()) as f64)
            .collect(),
        "|u1" => data.iter().map(|&b| b as f64).collect(),
        other => panic!("read_npy_f64: descr {other} not handled"),
    };
    (shape, values, header)
}

/// Cases per fuzz run: `default` (a few seconds) in `cargo test`; `TRACEKIT_FUZZ_CASES`
/// (benches/fuzz.sh sets 100000) for long runs.
pub fn fuzz_cases(default: u32) -> u32 {
    std::env::var("TRACEKIT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
