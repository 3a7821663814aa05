//! `tracekit decode-uart` and `generate uart` through the binary: the sigrok fixtures,
//! generated round trips, chunking, pipes and errors.

use crate::uart_util::{data_path, read_lines};
use crate::util::Workdir;

/// (sample, value, error) per CSV record.
type Record = (u64, Option<u16>, String);

fn csv_records(csv: &str) -> Vec<Record> {
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("sample,time_s,value,error"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 4, "{l}");
            (f[0].parse().unwrap(), f[2].parse().ok(), f[3].to_string())
        })
        .collect()
}

/// The records events.txt implies: a `data` line starts a frame; a `parity-error` right
/// after it, or a `frame-error` starting within two samples of its end (the stop bit, for
/// these parity-free captures; README), belongs to it, a bad stop bit outranking parity;
/// any other `frame-error` is an invalid start bit at its SS; `break` is a break from its
/// SS. Samples are only known for the events without a value.
fn expected_records(name: &str) -> Vec<(Option<u64>, Option<u16>, String)> {
    let mut out: Vec<(Option<u64>, Option<u16>, String)> = Vec::new();
    let mut data_end = None;
    for line in read_lines(&format!("{name}.events.txt")) {
        let f: Vec<&str> = line.split(' ').collect();
        let (ss, es): (u64, u64) = (f[0].parse().unwrap(), f[1].parse().unwrap());
        match f[2] {
            "data" => {
                out.push((
                    None,
                    Some(u16::from_str_radix(f[3], 16).unwrap()),
                    String::new(),
                ));
                data_end = Some(es);
            }
            "parity-error" => out.last_mut().unwrap().2 = "parity".into(),
            "frame-error" if data_end.is_some_and(|e: u64| ss.abs_diff(e) <= 2) => {
                out.last_mut().unwrap().2 = "framing".into();
            }
            "frame-error" => out.push((Some(ss), None, "framing".into())),
            "break" => out.push((Some(ss), None, "break".into())),
            other => panic!("{name}: {other}"),
        }
        if f[2] != "data" && f[2] != "parity-error" {
            data_end = None;
        }
    }
    out
}

#[test]
fn fixtures_decode_as_sigrok_through_the_binary() {
    let w = Workdir::new();
    let cases: [(&str, &str, &[&str]); 6] = [
        ("hello_world_8n1_115200", "uart:115200:1M", &[]),
        (
            "hello_world_7o1_115200",
            "uart:115200:1M",
            &["--bits", "7", "--parity", "odd"],
        ),
        ("uart_count_19200_8n1", "uart:19200:500k", &[]),
        ("ampel64_4800_8n1_frame_errors", "uart:4800:2M", &[]),
        ("uart_analog_10700_8n2", "uart:10700:8M", &["--stop", "2"]),
        // The scope's volts at the same 2.5 V the stored logic version was made with.
        (
            "uart_analog_10700_8n2",
            "volts:10700:8M",
            &["--stop", "2", "--threshold", "2.5"],
        ),
    ];
    for (name, how, extra) in cases {
        let parts: Vec<&str> = how.split(':').collect();
        let file = if parts[0] == "volts" {
            data_path(&format!("{name}.volts.npy"))
        } else {
            data_path(&format!("{name}.npy"))
        };
        let mut args = vec!["decode-uart", "-q", "--baud", parts[1], "-r", parts[2]];
        args.extend_from_slice(extra);
        args.extend(["--format", "csv", file.as_str()]);
        let got = csv_records(&w.stdout(&args));
        let want = expected_records(name);
        assert_eq!(got.len(), want.len(), "{name}: {got:?}");
        for (g, e) in got.iter().zip(&want) {
            assert_eq!((g.1, &g.2), (e.1, &e.2), "{name}: {g:?} vs {e:?}");
            if let Some(sample) = e.0 {
                assert_eq!(g.0, sample, "{name}: {g:?}");
            }
        }
        let values: Vec<String> = got
            .iter()
            .filter_map(|r| r.1)
            .map(|v| format!("{v:02x}"))
            .collect();
        assert_eq!(
            values,
            read_lines(&format!("{name}.expected.txt")),
            "{name}"
        );
    }
}

#[test]
fn summary_names_counts_baud_and_threshold() {
    let w = Workdir::new();
    let file = data_path("uart_analog_10700_8n2.volts.npy");
    let out = w
        .cmd(&[
            "decode-uart",
            "--baud",
            "auto",
            "--stop",
            "2",
            "-r",
            "8M",
            &file,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("31 frames; errors: 1 framing, 0 parity, 0 break"),
        "{stderr}"
    );
    // ~748 samples per bit: no standard rate within 2%, so the measurement is used.
    assert!(
        stderr.contains("nearest standard 9600, used the measurement"),
        "{stderr}"
    );
    assert!(
        stderr.contains("threshold 2.4") && stderr.contains("auto: levels"),
        "{stderr}"
    );
    // One line per frame: the frame error is on one of the 31 values.
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 31);
}

/// generate uart → decode-uart with the same options gives back the text.
fn round_trip(w: &Workdir, text: &str, generate: &[&str], decode: &[&str]) {
    let mut g = vec!["generate", "uart", "-q", "--text", text, "-o", "line.npy"];
    g.extend_from_slice(generate);
    w.stdout(&g);
    let mut d = vec!["decode-uart", "-q", "--format", "bytes", "line.npy"];
    d.extend_from_slice(decode);
    let out = w.cmd(&d).output().unwrap();
    assert!(
        out.status.success(),
        "{d:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        text,
        "{generate:?} / {decode:?}"
    );
}

#[test]
fn generated_lines_round_trip_through_the_binary() {
    let w = Workdir::new();
    let text = "The quick brown fox jumps over the lazy dog 0123456789";
    // 3 samples per bit, 7O1, msb first, inverted, a transmitter 3% fast.
    let framing = ["--bits", "7", "--parity", "odd", "--msb-first", "--invert"];
    let mut g = vec![
        "--logic",
        "--baud",
        "1M",
        "-r",
        "3M",
        "--baud-error",
        "0.03",
    ];
    g.extend(framing);
    let mut d = vec!["--baud", "1M"];
    d.extend(framing);
    round_trip(&w, text, &g, &d);
    // Noisy analog, 2 stop bits, mark parity, with auto threshold and auto baud.
    let framing = ["--stop", "2", "--parity", "mark"];
    let mut g = vec![
        "--baud", "9600", "-r", "1M", "--noise", "0.4", "--gap", "3", "--seed", "9",
    ];
    g.extend(framing);
    let mut d = vec!["--baud", "auto", "--threshold", "auto"];
    d.extend(framing);
    round_trip(&w, text, &g, &d);
    // 1000 samples per bit, 5 data bits (the text's low bits), as a 0/1 int16 capture.
    let five: String = "ABCDEFGHIJKLMNO"
        .chars()
        .map(|c| char::from(c as u8 & 0x1f))
        .collect();
    let g = [
        "--logic", "--dtype", "i16", "--baud", "1k", "-r", "1M", "--bits", "5",
    ];
    round_trip(&w, &five, &g, &["--baud", "1000", "--bits", "5"]);
}

#[test]
fn chunk_size_never_changes_the_output() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "uart",
        "--text",
        "chunks!",
        "--baud",
        "115200",
        "-r",
        "1M",
        "--noise",
        "0.3",
        "--parity",
        "even",
        "--samples",
        "20k",
        "-o",
        "c.npy",
    ]);
    let run = |chunk: &str| {
        let out = w
            .cmd(&[
                "decode-uart",
                "--baud",
                "auto",
                "--parity",
                "even",
                "--chunk",
                chunk,
                "c.npy",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        (out.stdout, out.stderr)
    };
    let whole = run("1M");
    assert!(String::from_utf8_lossy(&whole.0).contains("0x21 '!'"));
    assert_eq!(run("1"), whole);
    assert_eq!(run("7"), whole);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "uart",
        "--logic",
        "--text",
        "0123456789",
        "--baud",
        "1M",
        "-r",
        "4M",
        "--samples",
        "8M",
        "-o",
        "big.npy",
    ]);
    let out = w.head("decode-uart --baud 1M --format bytes big.npy", "-c 10");
    assert_eq!(out, b"0123456789");
}

#[test]
fn errors_name_the_file_and_the_fix() {
    let w = Workdir::new();
    let logic = data_path("hello_world_8n1_115200.npy");
    let e = w.error(&["decode-uart", "--baud", "115200", &logic]);
    assert!(
        e.contains("hello_world_8n1_115200.npy") && e.contains("-r RATE"),
        "{e}"
    );
    let e = w.error(&[
        "decode-uart",
        "--baud",
        "115200",
        "-r",
        "1M",
        "--bit",
        "8",
        &logic,
    ]);
    assert!(e.contains("bit 8 does not exist in a 8-bit sample"), "{e}");
    let volts = data_path("uart_analog_10700_8n2.volts.npy");
    let e = w.error(&[
        "decode-uart",
        "--baud",
        "10700",
        "-r",
        "8M",
        "--bit",
        "0",
        &volts,
    ]);
    assert!(e.contains("--bit 0 needs integer samples"), "{e}");
    // A u8 capture that is not 0/1: the first offending sample is named.
    let mut bytes = vec![1u8; 100];
    bytes[42] = 7;
    crate::util::write(&w.path("dump.u8"), &bytes);
    let e = w.error(&["decode-uart", "--baud", "9600", "-r", "1M", "dump.u8"]);
    assert!(
        e.contains("dump.u8: sample 42 is 7") && e.contains("--bit N"),
        "{e}"
    );
    let e = w
        .cmd(&[
            "decode-uart",
            "--baud",
            "auto",
            "-r",
            "1M",
            "--dtype",
            "u8",
            "-",
        ])
        .write_stdin(bytes)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&e.stderr);
    assert!(
        stderr.contains("<stdin>: --baud auto needs its own pass"),
        "{stderr}"
    );
    let e = w.error(&["generate", "uart", "--baud", "9600", "-o", "x.npy"]);
    assert!(e.contains("--text T or --bytes-file F"), "{e}");
}
