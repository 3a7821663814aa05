//! Issue 13 ("Harden what exists"), the I/O items: inputs that shrink while mapped, stderr and
//! stdout that fail, special files and links as outputs, writing over the input through other
//! names, signals, the umask, and control characters from files on the terminal.

use crate::util::{Workdir, npy_bytes, write};
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

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

/// Names in the work folder, sorted: proves no output and no hidden `.partial` stayed.
fn listing(w: &Workdir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
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

// ---- 2: a mapped input that shrinks while being read ----

/// A big f32 .npy of zeros, sparse so that it costs no disk and no time to make.
const BIG_SAMPLES: u64 = 256 << 20;

fn sparse_npy(path: &Path) {
    let header = npy_bytes(1, "<f4", false, &[BIG_SAMPLES], &[]);
    let mut f = File::create(path).unwrap();
    std::io::Write::write_all(&mut f, &header).unwrap();
    f.set_len(header.len() as u64 + BIG_SAMPLES * 4).unwrap();
}

/// A big one-column CSV (about 200 MB).
fn big_csv(path: &Path) {
    let block = "0.125\n-1.5\n2.25\n-0.0625\n".repeat(1 << 15);
    let mut f = std::io::BufWriter::new(File::create(path).unwrap());
    std::io::Write::write_all(&mut f, b"volts\n").unwrap();
    for _ in 0..(200 << 20) / block.len() {
        std::io::Write::write_all(&mut f, block.as_bytes()).unwrap();
    }
    std::io::Write::flush(&mut f).unwrap();
}

/// Whether process `pid` has `file` memory-mapped right now.
fn maps(pid: u32, file: &Path) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/maps"))
        .is_ok_and(|m| m.contains(file.to_str().unwrap()))
}

/// Run `args` on `input` (made by `make`), truncate `input` to `cut` bytes once the run has it
/// mapped (with `partial`: once its temporary output exists, as slice copies in the kernel
/// without mapping), and return how it ended.
/// A run that finished before the cut (exit 0) is tried again, up to five times.
fn truncate_during(
    w: &Workdir,
    args: &[&str],
    input: &str,
    make: fn(&Path),
    cut: u64,
    partial: bool,
) -> Output {
    let path = w.path(input);
    for _ in 0..5 {
        make(&path);
        let real = std::fs::canonicalize(&path).unwrap();
        let child = tracekit(w, args).spawn().unwrap();
        let pid = child.id();
        let ready = || match partial {
            true => listing(w).iter().any(|n| n.ends_with(".partial")),
            false => maps(pid, &real),
        };
        let started = Instant::now();
        while !ready() && started.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_micros(200));
        }
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(cut)
            .unwrap();
        let out = child.wait_with_output().unwrap();
        if !out.status.success() {
            return out;
        }
    }
    panic!("{args:?}: finished before the input was cut five times over");
}

/// Exit 1 and one line that names the file, nothing but `keep` left in the folder.
fn assert_shrank(w: &Workdir, out: &Output, file: &str, keep: &[&str], case: &str) {
    let stderr = stderr_of(out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{case}: {}\n{stderr}",
        out.status
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "{case}: one line expected:\n{stderr}"
    );
    assert!(
        stderr.starts_with(&format!(
            "tracekit: error: {file}: the file shrank while being read"
        )),
        "{case}: {stderr}"
    );
    assert_eq!(listing(w), keep, "{case}: files left behind");
}

#[test]
fn issue_13_2_input_truncated_while_mapped() {
    let w = Workdir::new();
    let cases: [(&[&str], u64, bool); 6] = [
        (&["stats", "big.npy"], 0, false),
        (&["stats", "big.npy"], 192, false),
        (&["stats", "big.npy", "--json"], 4096, false),
        (&["fft", "big.npy", "--nfft", "1024"], 1 << 20, false),
        (
            &["decode-uart", "big.npy", "-r", "1M", "--baud", "9600"],
            4096,
            false,
        ),
        (&["slice", "..", "big.npy", "-o", "out.npy"], 4096, true),
    ];
    for (args, cut, partial) in cases {
        let out = truncate_during(&w, args, "big.npy", sparse_npy, cut, partial);
        let case = format!("{args:?} cut to {cut}");
        assert_shrank(&w, &out, "big.npy", &["big.npy"], &case);
    }
}

#[test]
fn issue_13_2_csv_truncated_while_converted() {
    let w = Workdir::new();
    for cut in [0, 1 << 20] {
        let args = ["convert-csv", "in.csv", "-o", "out.npy", "-r", "1M"];
        let out = truncate_during(&w, &args, "in.csv", big_csv, cut, true);
        assert_shrank(&w, &out, "in.csv", &["in.csv"], &format!("cut to {cut}"));
    }
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

// ---- 13: special files as outputs ----

#[test]
fn issue_13_13_fifo_device_and_stdout_outputs_are_written_into() {
    let w = Workdir::new();
    arange(&w, "a.npy", 50_000);
    w.stdout(&["slice", "..", "a.npy", "-o", "want.npy"]);
    let want = std::fs::read(w.path("want.npy")).unwrap();

    // A FIFO: its reader gets the whole file, and it stays a FIFO.
    let fifo = w.path("pipe.npy");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    // Opened before the writer (non-blocking), drained while it runs: a writer that renames
    // a file over the FIFO instead cannot hang the test.
    let mut reader = File::options()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let mut child = tracekit(&w, &["slice", "..", "a.npy", "-o", "pipe.npy"])
        .spawn()
        .unwrap();
    let mut got = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    let status: ExitStatus = loop {
        let exited = child.try_wait().unwrap();
        match reader.read(&mut buf) {
            Ok(n) if n > 0 => got.extend_from_slice(&buf[..n]),
            _ => match exited {
                Some(status) => break status,
                None => std::thread::sleep(Duration::from_millis(1)),
            },
        }
    };
    assert!(status.success(), "{status}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo(),
        "the FIFO was replaced"
    );
    assert_eq!(got.len(), want.len(), "bytes through the FIFO");
    assert!(got == want, "the FIFO's reader got other bytes");

    // A character device through a link (the link, not /dev/null, is what a rename would
    // replace): written into, both left as they were.
    std::os::unix::fs::symlink("/dev/null", w.path("null.npy")).unwrap();
    w.stdout(&["slice", "..", "a.npy", "-o", "null.npy"]);
    assert!(
        std::fs::symlink_metadata(w.path("null.npy"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    // /dev/stdout (here through a link to it, the same chain) and /dev/fd/1 (no extension:
    // raw samples): the bytes go to standard output, whether a pipe or a file, and the link
    // stays a link.
    std::os::unix::fs::symlink("/dev/stdout", w.path("out.npy")).unwrap();
    let raw = want[want.len() - 50_000 * 4..].to_vec();
    for (name, want) in [("out.npy", &want), ("/dev/fd/1", &raw)] {
        let out = tracekit(&w, &["slice", "..", "a.npy", "-o", name])
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {}", stderr_of(&out));
        assert!(out.stdout == *want, "{name}: other bytes on stdout");
        let file = w.path("stdout.bin");
        let out = tracekit(&w, &["slice", "..", "a.npy", "-o", name])
            .stdout(File::create(&file).unwrap())
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {}", stderr_of(&out));
        assert!(
            std::fs::read(&file).unwrap() == *want,
            "{name}: other bytes"
        );
    }
    assert!(
        std::fs::symlink_metadata(w.path("out.npy"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link to /dev/stdout was replaced"
    );

    // A link to a regular file: the file gets the output, the link stays.
    arange(&w, "real.npy", 3);
    std::os::unix::fs::symlink("real.npy", w.path("link.npy")).unwrap();
    w.stdout(&["slice", "..", "a.npy", "-o", "link.npy"]);
    assert!(
        std::fs::symlink_metadata(w.path("link.npy"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read(w.path("real.npy")).unwrap() == want);

    // convert-csv patches its header last, which a FIFO cannot take: refused before opening.
    write(&w.path("c.csv"), b"t,v\n0,1\n1,2\n");
    let c = std::ffi::CString::new(w.path("c.npy").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let msg = w.error(&["convert-csv", "c.csv", "-o", "c.npy"]);
    assert!(
        msg.contains("c.npy: a FIFO or device, not a regular file"),
        "{msg}"
    );
}

// ---- 14: writing over the input through other names ----

#[test]
fn issue_13_14_overwrite_refused_through_hard_link_and_stdin() {
    let w = Workdir::new();
    let before = arange(&w, "in.npy", 100);
    std::fs::hard_link(w.path("in.npy"), w.path("hard.npy")).unwrap();
    std::os::unix::fs::symlink("in.npy", w.path("soft.npy")).unwrap();
    std::fs::create_dir(w.path("x")).unwrap();
    for out in ["hard.npy", "in.npy", "./in.npy", "soft.npy", "x/../in.npy"] {
        let msg = w.error(&["slice", "..", "in.npy", "-o", out]);
        assert!(
            msg.contains("refusing to write over the input file"),
            "{out}: {msg}"
        );
    }
    // Standard input redirected from the output.
    let out = tracekit(&w, &["slice", "..10", "-", "-o", "in.npy"])
        .stdin(File::open(w.path("in.npy")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("in.npy: refusing to write over the input file"),
        "{}",
        stderr_of(&out)
    );
    // `-o -` with stdout appending to the input (as `cat` refuses it too).
    let out = tracekit(&w, &["slice", "..", "in.npy", "-o", "-"])
        .stdout(File::options().append(true).open(w.path("in.npy")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("stdout: refusing to write over the input file"),
        "{}",
        stderr_of(&out)
    );
    assert!(std::fs::read(w.path("in.npy")).unwrap() == before);
    assert_eq!(listing(&w), ["hard.npy", "in.npy", "soft.npy", "x"]);
    // A different file of the same content is fine, and so is stdin from another file.
    std::fs::copy(w.path("in.npy"), w.path("copy.npy")).unwrap();
    let out = tracekit(&w, &["slice", "..10", "-", "-o", "ten.npy"])
        .stdin(File::open(w.path("copy.npy")).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

// ---- 15: signals ----

fn kill(child: &Child, signal: libc::c_int) {
    // SAFETY: kill has no memory preconditions; the pid is our live child.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
}

/// Wait for `cond`, failing the test after 30 s with `what`.
fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let started = Instant::now();
    while !cond() {
        assert!(started.elapsed() < Duration::from_secs(30), "{what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// `slice` from a slow stream into out.npy, signalled once its temporary file exists.
fn signalled_slice(signal: libc::c_int, twice: bool) -> (Output, Vec<String>) {
    let w = Workdir::new();
    let mut child = tracekit(
        &w,
        &["slice", "..", "-", "--chunk", "1024", "-o", "out.npy"],
    )
    .stdin(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let header = npy_bytes(1, "<f4", false, &[100_000_000], &[]);
    // Twice: the stream stalls after its first bytes, so the run blocks in a read where a
    // flag is never checked, and only the second signal can end it.
    let producer = std::thread::spawn(move || {
        let _ = std::io::Write::write_all(&mut stdin, &header);
        let _ = std::io::Write::write_all(&mut stdin, &[0u8; 1 << 16]);
        if twice {
            std::thread::sleep(Duration::from_secs(3));
            return;
        }
        while std::io::Write::write_all(&mut stdin, &[0u8; 1 << 16]).is_ok() {
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    wait_for("no temporary file appeared", || {
        listing(&w).iter().any(|n| n.ends_with(".partial"))
    });
    std::thread::sleep(Duration::from_millis(200));
    kill(&child, signal);
    if twice {
        std::thread::sleep(Duration::from_millis(300));
        assert!(child.try_wait().unwrap().is_none(), "the stalled run ended");
        kill(&child, signal);
    }
    let out = child.wait_with_output().unwrap();
    producer.join().unwrap();
    (out, listing(&w))
}

#[test]
fn issue_13_15_signals_leave_no_file_and_exit_128_plus_n() {
    for (signal, code) in [
        (libc::SIGHUP, 129),
        (libc::SIGINT, 130),
        (libc::SIGTERM, 143),
    ] {
        let (out, left) = signalled_slice(signal, false);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(code), "signal {signal}: {stderr}");
        assert_eq!(
            stderr,
            "tracekit: error: out.npy: interrupted; no output was written\n"
        );
        assert!(left.is_empty(), "signal {signal}: {left:?}");
    }
    // A run blocked in a read: the second signal ends it, still cleanly.
    let (out, left) = signalled_slice(libc::SIGINT, true);
    assert_eq!(out.status.code(), Some(130), "{}", stderr_of(&out));
    assert!(left.is_empty(), "{left:?}");
}

// ---- 16: the umask ----

#[test]
fn issue_13_16_outputs_honour_the_umask() {
    let w = Workdir::new();
    arange(&w, "a.npy", 100);
    write(&w.path("c.csv"), b"t,v\n0,1\n1,2\n2,3\n");
    for (umask, mode) in [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664), (0, 0o666)] {
        let runs: [&[&str]; 4] = [
            &["generate", "noise", "--samples", "100", "-o", "g.npy"],
            &["slice", "..", "a.npy", "-o", "s.f32"],
            &["convert-csv", "c.csv", "-o", "c.npy"],
            &["fft", "a.npy", "--nfft", "16", "-o", "f.csv"],
        ];
        for args in runs {
            let mut cmd = tracekit(&w, args);
            // SAFETY: umask is async-signal-safe and touches no memory.
            unsafe {
                cmd.pre_exec(move || {
                    libc::umask(umask);
                    Ok(())
                });
            }
            let out = cmd.output().unwrap();
            assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
        }
        for name in ["g.npy", "s.f32", "s.f32.tracekit.json", "c.npy", "f.csv"] {
            let got = std::fs::metadata(w.path(name)).unwrap().mode() & 0o777;
            assert_eq!(got, mode, "{name} under umask {umask:03o}: {got:03o}");
        }
    }
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
