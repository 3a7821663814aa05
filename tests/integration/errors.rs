//! Bad input: one clear `tracekit: error:` line naming the file, exit 1, never a panic.

use crate::util::{Workdir, npy_bytes, write};

fn npy_dict(dict: &str) -> Vec<u8> {
    let mut body = dict.as_bytes().to_vec();
    body.push(b'\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(body.len() as u16).to_le_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&[0; 64]);
    out
}

#[test]
fn missing_directory_empty() {
    let w = Workdir::new();
    assert!(
        w.error(&["info", "nope.npy"])
            .contains("nope.npy: No such file")
    );
    std::fs::create_dir(w.path("d")).unwrap();
    assert!(w.error(&["info", "d"]).contains("d: is a directory"));
    write(&w.path("e.npy"), b"");
    assert!(
        w.error(&["info", "e.npy"])
            .contains("e.npy: the file is empty")
    );
}

#[test]
fn unreadable_file() {
    let w = Workdir::new();
    let path = w.path("secret.npy");
    write(&path, &npy_bytes(1, "<f4", false, &[1], &[0; 4]));
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    std::fs::set_permissions(
        w.dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    // Root reads anything: drop to `nobody` for this one command when running as root.
    let bin = assert_cmd::cargo::cargo_bin("tracekit");
    let is_root = unsafe { libc::geteuid() } == 0;
    let out = if is_root {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .args(["info", path.to_str().unwrap()])
            .output()
            .expect("setpriv runs")
    } else {
        std::process::Command::new(&bin)
            .args(["info", path.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("secret.npy: Permission denied"), "{stderr}");
}

#[test]
fn npz_gets_a_hint() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/npy");
    let w = Workdir::new();
    let msg = w.error(&["info", dir.join("archive.npz").to_str().unwrap()]);
    assert!(
        msg.contains(".npz archive") && msg.contains("np.save"),
        "{msg}"
    );
}

#[test]
fn headers_that_are_not_waveforms() {
    let w = Workdir::new();
    let cases = [
        (
            "{'descr': '|O', 'fortran_order': False, 'shape': (3,), }",
            "Python objects",
        ),
        (
            "{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (3,), }",
            "structured",
        ),
        (
            "{'descr': '<U8', 'fortran_order': False, 'shape': (3,), }",
            "strings",
        ),
        (
            // complex64/128 are read since issue 15; NumPy's complex256 is not.
            "{'descr': '<c32', 'fortran_order': False, 'shape': (3,), }",
            "complex",
        ),
        ("('descr', '<f4')", "not a dict"),
        (
            "{'descr': '<f4', 'shape': (3,), }",
            "lacks the key 'fortran_order'",
        ),
        (
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 2), }",
            "3-D array",
        ),
    ];
    for (i, (dict, want)) in cases.iter().enumerate() {
        let name = format!("bad{i}.npy");
        write(&w.path(&name), &npy_dict(dict));
        let msg = w.error(&["info", &name]);
        assert!(msg.contains(&name) && msg.contains(want), "{dict}: {msg}");
    }
}

#[test]
fn truncated_header_and_short_data() {
    let w = Workdir::new();
    let full = npy_bytes(1, "<f4", false, &[100], &[0; 400]);
    write(&w.path("t.npy"), &full[..40]);
    assert!(
        w.error(&["info", "t.npy"])
            .contains("truncated .npy header")
    );
    let header_len = full.len() - 400;
    write(&w.path("s.npy"), &full[..header_len + 100]);
    let msg = w.error(&["info", "s.npy"]);
    assert!(
        msg.contains("needs 400 bytes") && msg.contains("has 100"),
        "{msg}"
    );
}

#[test]
fn raw_input_mistakes() {
    let w = Workdir::new();
    write(&w.path("dump.bin"), &[0u8; 10]);
    let msg = w.error(&["info", "dump.bin"]);
    assert!(msg.contains("dump.bin") && msg.contains("--dtype"), "{msg}");
    let msg = w.error(&["info", "--dtype", "i16", "--length", "6", "dump.bin"]);
    assert!(
        msg.contains("--length 6") && msg.contains("holds 5"),
        "{msg}"
    );
    let msg = w.error(&["info", "--dtype", "u8", "--offset", "11", "dump.bin"]);
    assert!(
        msg.contains("--offset 11") && msg.contains("10 bytes"),
        "{msg}"
    );
    // A tail that is not a whole sample: a warning, not an error.
    let out = w
        .cmd(&["info", "--json", "--dtype", "f32", "dump.bin"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning") && stderr.contains("last 2 bytes"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["samples"], 2);
}

#[test]
fn usage_errors_exit_2() {
    let w = Workdir::new();
    write(&w.path("x.npy"), &npy_bytes(1, "<f4", false, &[1], &[0; 4]));
    for args in [
        vec!["info", "-r", "0", "x.npy"],
        vec!["info", "-r", "-5", "x.npy"],
        vec!["info", "-r", "nan", "x.npy"],
        vec!["info", "-r", "inf", "x.npy"],
        vec!["info", "--chunk", "0", "x.npy"],
        vec!["info", "--dtype", "complex256", "x.npy"],
    ] {
        let out = w.cmd(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}

#[test]
fn stdin_that_is_not_npy_needs_a_dtype() {
    let w = Workdir::new();
    let out = w
        .cmd(&["info", "-"])
        .write_stdin(b"hello world".to_vec())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("<stdin>") && stderr.contains("--dtype"),
        "{stderr}"
    );
}
