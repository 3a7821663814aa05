//! Issue 16, speed: `--format sigrok` writes its annotation lines straight into a reused
//! buffer and counts the summary's kinds without building a record per event. The summary
//! must still count exactly what the records count (compared with `--format text`, which
//! builds them), errors included.

use crate::util::Workdir;
use std::path::PathBuf;

fn fixture(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/protocols")
        .join(path)
        .to_str()
        .unwrap()
        .to_string()
}

/// The stderr summary of `decode ARGS --format FORMAT`.
fn summary(w: &Workdir, args: &[&str], format: &str) -> String {
    let mut a = args.to_vec();
    a.extend(["--format", format]);
    let out = w.cmd(&a).output().expect("runs");
    assert!(out.status.success(), "{a:?}");
    String::from_utf8(out.stderr).unwrap()
}

fn generate(w: &Workdir, kind: &str, name: &str, args: &[&str]) -> String {
    let path = w.path(name).to_str().unwrap().to_string();
    let mut a = vec!["generate", kind, "--logic", "-q", "-o", &path];
    a.extend_from_slice(args);
    w.stdout(&a);
    path
}

#[test]
fn issue_16_speed_sigrok_summary_counts_as_the_records() {
    let w = Workdir::new();
    let spi = fixture("spi/set-4000mhz.sr");
    let i2c = fixture("i2c/gigabyte_6vle_vxl_i2c.sr");
    let can = fixture("can/mcp2515dm-bm-125kbits_bus_load_25percent.sr");
    let ow = fixture("onewire_link/ds18b20.sr");
    let lin = fixture("lin/malformed.sr");
    let can_err = generate(
        &w,
        "can",
        "can.npy",
        &["-r", "8M", "--frame", "100#01!crc", "--frame", "123#0102"],
    );
    let lin_err = generate(
        &w,
        "lin",
        "lin.npy",
        &["-r", "1M", "--baud", "19200", "--frame", "10#0102!checksum"],
    );
    // A cut SPI word: the capture ends inside the second word.
    let spi_cut = generate(
        &w,
        "spi",
        "spi.npy",
        &["-r", "8M", "--words", "12,34", "--samples", "120"],
    );
    let cases: [(Vec<&str>, &str); 8] = [
        (
            vec![
                "decode", "spi", &spi, "--clk", "2", "--mosi", "1", "--cs", "0",
            ],
            "word",
        ),
        (
            vec!["decode", "i2c", &i2c, "--scl", "0", "--sda", "3"],
            "data-read",
        ),
        (
            vec!["decode", "can", &can, "--rx", "CAN_RX", "--bitrate", "125k"],
            "frame",
        ),
        (
            vec!["decode", "onewire", &ow, "--owr", "0"],
            "53 Time slot not long enough",
        ),
        (
            vec![
                "decode",
                "lin",
                &lin,
                "--rx",
                "0",
                "--baud",
                "19200",
                "--lin-version",
                "2",
            ],
            "3 parity",
        ),
        (
            vec!["decode", "can", &can_err, "--rx", "0", "--bitrate", "500k"],
            "1 crc",
        ),
        (
            vec!["decode", "lin", &lin_err, "--rx", "0", "--baud", "19200"],
            "1 checksum",
        ),
        (
            vec![
                "decode", "spi", &spi_cut, "--clk", "0", "--miso", "1", "--mosi", "2", "--cs", "3",
            ],
            "1 incomplete",
        ),
    ];
    for (args, needle) in cases {
        let text = summary(&w, &args, "text");
        assert!(text.contains(needle), "{args:?}: {text}");
        assert_eq!(summary(&w, &args, "sigrok"), text, "{args:?}");
    }
}

/// `spi.npy`: the words 12 34 56 repeated over `samples` samples at 8 MS/s (channels CLK,
/// MISO, MOSI, CS#).
fn spi_words(w: &Workdir, samples: &str) -> String {
    let args = ["-r", "8M", "--words", "12,34,56", "--samples", samples];
    generate(w, "spi", "spi.npy", &args)
}

/// Decoding runs on its own thread and hands its events to the writer in batches: a reader
/// that stops early (`| head`) still ends the command quietly and at once, with the lines
/// the whole decode starts with.
#[test]
fn issue_16_speed_a_closed_pipe_stops_the_decoding_thread_quietly() {
    let w = Workdir::new();
    let spi = spi_words(&w, "40M");
    let args = [
        "decode",
        "spi",
        spi.as_str(),
        "--clk",
        "0",
        "--mosi",
        "1",
        "--cs",
        "3",
    ];
    let whole = w
        .cmd(&args)
        .args(["--format", "sigrok", "-q"])
        .output()
        .unwrap();
    assert!(whole.status.success());
    let first: Vec<&[u8]> = whole.stdout.split(|&b| b == b'\n').take(5).collect();
    assert!(
        first[0].starts_with(b"76-84 spi: mosi-bit: "),
        "{:?}",
        String::from_utf8_lossy(first[0])
    );

    let out = w.head(&format!("{} --format sigrok", args.join(" ")), "-n 5");
    assert_eq!(out, [first.join(&b'\n'), b"\n".to_vec()].concat());
}

/// A parse error part-way through a streamed file reaches the user from the decoding
/// thread, in one line naming the file, after the lines decoded before it.
#[test]
fn issue_16_speed_a_read_error_on_the_decoding_thread_names_the_file() {
    let w = Workdir::new();
    let spi = spi_words(&w, "1M");
    w.stdout(&["slice", "..", &spi, "-q", "-o", "spi.vcd"]);
    let vcd = std::fs::read(w.path("spi.vcd")).unwrap();
    let half = vcd.len() / 2
        + vcd[vcd.len() / 2..]
            .iter()
            .position(|&b| b == b'#')
            .unwrap();
    let bad = [&vcd[..half], b"#12x\n", &vcd[half..]].concat();
    std::fs::write(w.path("bad.vcd"), bad).unwrap();
    let args = ["decode", "spi", "--clk", "0", "--mosi", "1", "--cs", "3"];
    let out = w
        .cmd(&args)
        .args(["bad.vcd", "--format", "sigrok"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("tracekit: error: bad.vcd:") && stderr.contains("'#12x'"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // Lines decoded before the damage were written, and they are the good file's.
    let good = w
        .cmd(&args)
        .args(["spi.vcd", "--format", "sigrok"])
        .output()
        .unwrap();
    assert!(out.stdout.len() > 1000 && good.stdout.starts_with(&out.stdout));
}
