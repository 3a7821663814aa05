//! Issue 13 ("Harden what exists"), the I/O items: inputs that shrink while mapped, stderr and
//! stdout that fail, special files and links as outputs, writing over the input through other
//! names, signals, the umask, and control characters from files on the terminal.

use crate::util::{Workdir, npy_bytes, write};
use std::fs::File;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The built binary as a plain process, to wire its standard streams and send it signals.
fn tracekit(w: &Workdir, args: &[&str]) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("tracekit"));
    c.current_dir(w.dir.path())
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// A 1-D f32 .npy whose sample i holds the value i.
fn arange(w: &Workdir, name: &str, n: usize) -> Vec<u8> {
    let data: Vec<u8> = (0..n).flat_map(|i| (i as f32).to_le_bytes()).collect();
    let bytes = npy_bytes(1, "<f4", false, &[n as u64], &data);
    write(&w.path(name), &bytes);
    bytes
}

fn full() -> Stdio {
    Stdio::from(File::options().write(true).open("/dev/full").unwrap())
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// ---- 3: an unwritable stderr ----

#[test]
fn issue_13_3_unwritable_stderr_never_panics() {
    let w = Workdir::new();
    arange(&w, "a.npy", 1000);
    // A warning (trailing bytes), an error, and the summaries of convert-csv and decode-uart.
    let mut trailing = npy_bytes(1, "<f4", false, &[4], &[0; 16]);
    trailing.extend_from_slice(b"junk");
    write(&w.path("t.npy"), &trailing);
    write(&w.path("c.csv"), b"t,v\n0,1\n1,2\n2,3\n3,4\n");
    w.stdout(&[
        "generate", "uart", "--text", "hi", "--baud", "9600", "-r", "1M", "--logic", "-o", "u.npy",
    ]);
    let runs: [(&[&str], i32); 4] = [
        (&["info", "/nonexistent"], 1),
        (&["info", "t.npy"], 0),
        (&["convert-csv", "c.csv", "-o", "c.npy"], 0),
        (&["decode-uart", "u.npy", "--baud", "9600"], 0),
    ];
    for (args, code) in runs {
        let out = tracekit(&w, args).stderr(full()).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", out.status);
    }
    assert!(w.path("c.npy").is_file(), "convert-csv's output is written");
}

/// The print macros panic when their stream fails: none may appear in the shipped code
/// (stderr goes through `term::eprint*`, stdout through `output::stdout`).
#[test]
fn issue_13_3_no_panicking_print_macros_in_src() {
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    let mut offenders = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, line) in text.lines().enumerate() {
                let code = line.trim_start();
                let macros = ["println!", "print!(", "eprintln!", "eprint!(", "dbg!("];
                if !code.starts_with("//") && macros.iter().any(|m| code.contains(m)) {
                    offenders.push(format!("{}:{}: {code}", path.display(), i + 1));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}

// ---- 17: control characters from files ----

#[test]
fn issue_13_17_control_characters_are_escaped() {
    let w = Workdir::new();
    let nasty = "\x1b]0;pwned\x07\x1b[2J\u{9b}31m\u{202e}";
    let shown = "\\x1b]0;pwned\\x07\\x1b[2J\\u{9b}31m\\u{202e}";
    let clean = |text: &str, what: &str| {
        assert!(
            !text
                .chars()
                .any(|c| c == '\x1b' || c == '\x07' || c == '\u{9b}' || c == '\u{202e}'),
            "{what}: raw control characters: {text:?}"
        );
    };
    // A CSV header: the convert-csv summary on stderr.
    write(
        &w.path("c.csv"),
        format!("time,volts{nasty}\n0,1\n1,2\n2,3\n").as_bytes(),
    );
    let out = tracekit(&w, &["convert-csv", "c.csv", "-o", "c.npy"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    clean(&stderr_of(&out), "convert-csv summary");
    // A file name: info's table cell, a warning, an error line.
    let name = format!("x{nasty}.npy");
    let mut bytes = npy_bytes(1, "<f4", false, &[2], &[0; 8]);
    bytes.extend_from_slice(b"tail");
    write(&w.path(&name), &bytes);
    let out = tracekit(&w, &["info", &name]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), stderr_of(&out));
    clean(&stdout, "info table");
    clean(&stderr, "warning");
    assert!(stdout.contains(&format!("x{shown}.npy")), "{stdout}");
    assert_eq!(
        stderr,
        format!("tracekit: warning: x{shown}.npy: 4 bytes after the array data are ignored\n")
    );
    // A dtype string in a header, and a path with a newline: one escaped error line each.
    write(
        &w.path("d.npy"),
        &npy_bytes(1, &format!("<f4{nasty}"), false, &[2], &[0; 8]),
    );
    let msg = w.error(&["info", "d.npy"]);
    clean(&msg, "dtype error");
    assert!(msg.contains("\\x1b[2J"), "{msg}");
    let msg = w.error(&["info", "two\nlines.npy"]);
    assert!(
        msg.starts_with("tracekit: error: two\\nlines.npy: "),
        "{msg}"
    );
}

// ---- 18: stdout write errors ----

#[test]
fn issue_13_18_stdout_write_errors_name_stdout() {
    let w = Workdir::new();
    arange(&w, "a.npy", 100_000);
    let runs: [&[&str]; 4] = [
        &["stats", "a.npy"],
        &["info", "a.npy", "--json"],
        &["slice", "..", "a.npy", "-o", "-"],
        &["stats", "a.npy", "--every", "10"],
    ];
    for args in runs {
        let out = tracekit(&w, args).stdout(full()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr_of(&out),
            "tracekit: error: stdout: No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
}
