//! Issue 18: `plot --decode` overlays for the bus decoders: a labelled box per byte, word
//! or frame on the decoded signal's lane, checked through the SVG's text labels on
//! captures made by `tracekit generate` (logic and analog).

use crate::util::Workdir;

fn svg_texts(w: &Workdir, name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(w.path(name)).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("the SVG parses as XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect()
}

/// `generate KIND GEN -o capture.npy`, then `plot --decode SPEC -o plot.svg`; the labels.
fn overlay(w: &Workdir, kind: &str, generate: &[&str], decode: &str) -> Vec<String> {
    let mut g = vec!["generate", kind, "-q", "-o", "capture.npy"];
    g.extend_from_slice(generate);
    w.stdout(&g);
    w.stdout(&[
        "plot",
        "-q",
        "capture.npy",
        "--decode",
        decode,
        "-o",
        "plot.svg",
    ]);
    svg_texts(w, "plot.svg")
}

fn assert_labels(texts: &[String], labels: &[&str]) {
    for label in labels {
        assert!(
            texts.iter().any(|t| t == label),
            "{label} missing: {texts:?}"
        );
    }
}

#[test]
fn issue_18_spi_overlay_labels_each_word_with_mosi_and_miso() {
    let w = Workdir::new();
    for analog in [false, true] {
        let mut g = vec![
            "-r",
            "1M",
            "--bitrate",
            "50k",
            "--words",
            "a5,3c",
            "--miso-words",
            "01,02",
        ];
        if !analog {
            g.push("--logic");
        }
        let t = overlay(&w, "spi", &g, "spi:clk=0,miso=1,mosi=2,cs=3");
        assert_labels(&t, &["0xA5/0x01", "0x3C/0x02"]);
    }
    let t = overlay(
        &w,
        "spi",
        &[
            "-r",
            "1M",
            "--bitrate",
            "50k",
            "--words",
            "1234",
            "--wordsize",
            "16",
            "--cpha",
            "1",
            "--logic",
        ],
        "spi:clk=0,mosi=2,wordsize=16,cpha=1",
    );
    assert_labels(&t, &["0x1234"]);
}

#[test]
fn issue_18_i2c_overlay_labels_addresses_data_and_nacks() {
    let w = Workdir::new();
    let t = overlay(
        &w,
        "i2c",
        &[
            "-r",
            "1M",
            "--bitrate",
            "20k",
            "--transaction",
            "w:52:40 a5:nack=2",
            "--rise",
            "2",
        ],
        "i2c:scl=0,sda=1",
    );
    assert_labels(&t, &["W 0x52", "0x40", "0xA5", "NACK"]);
}

#[test]
fn issue_18_can_lin_and_onewire_overlays_label_frames_and_bytes() {
    let w = Workdir::new();
    let t = overlay(
        &w,
        "can",
        &[
            "-r",
            "1M",
            "--bitrate",
            "50k",
            "--frame",
            "123#0102",
            "--frame",
            "0456789a#R!nack",
            "--logic",
        ],
        "can:rx=0,bitrate=50k",
    );
    assert_labels(&t, &["123: 01 02", "0456789A: R nack"]);
    let t = overlay(
        &w,
        "lin",
        &[
            "-r",
            "200k",
            "--baud",
            "9600",
            "--frame",
            "10#0102",
            "--frame",
            "11#03!checksum",
            "--logic",
        ],
        "lin:rx=0,baud=9600",
    );
    assert_labels(&t, &["10: 01 02", "11: 03 CHECKSUM"]);
    let t = overlay(
        &w,
        "onewire",
        &["-r", "1M", "--frame", "cc44"],
        "onewire:owr=0",
    );
    assert_labels(&t, &["RESET", "presence", "0xCC", "0x44"]);
}

#[test]
fn issue_18_bus_overlay_options_are_checked() {
    let w = Workdir::new();
    w.stdout(&[
        "generate", "can", "-q", "-o", "c.npy", "--frame", "1#00", "--logic",
    ]);
    // Spec errors are usage errors (exit 2, clap's message); a channel not drawn is found
    // once the file is open (exit 1).
    let usage = |spec: &str| {
        let out = w
            .cmd(&["plot", "c.npy", "--decode", spec, "-o", "p.svg"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{spec}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = usage("can:bitrate=50k");
    assert!(e.contains("needs its rx channel"), "{e}");
    let e = usage("can:rx=0,speed=1");
    assert!(e.contains("speed=1") && e.contains("fast-bitrate"), "{e}");
    let e = w.error(&["plot", "c.npy", "--decode", "can:rx=3", "-o", "p.svg"]);
    assert!(e.contains("channel 3 is not drawn"), "{e}");
}
