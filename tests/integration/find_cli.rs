//! `tracekit find` on the built binary: planted glitches, runts and edges found at their
//! exact samples, nothing else, identically at every chunk size.

use crate::measure_cli::npy_f64;
use crate::pulse::signals::{Shape, square_edges, waveform};
use crate::util::Workdir;
use serde_json::Value;

const POS_GLITCH: [u64; 3] = [3, 17, 42];
const NEG_GLITCH: [u64; 2] = [8, 55];
const RUNT: [u64; 2] = [20, 70];

/// A 0/1 V square wave of period 100 samples (rising at 10.25 + 100k, falling 50 later,
/// 1-sample edges centred on those times), with 2-sample positive glitches at 80.5 + 100k
/// (k in POS_GLITCH), negative ones at 30.5 + 100k (NEG_GLITCH), and triangular bumps to
/// 0.45 V from 85 to 95 + 100k (RUNT).
pub fn planted(wd: &Workdir) -> String {
    let n = 10_000;
    let mut edges = square_edges(n, 100.0, 0.5, 10.25);
    for &k in &POS_GLITCH {
        edges.extend([80.5 + 100.0 * k as f64, 82.5 + 100.0 * k as f64]);
    }
    for &k in &NEG_GLITCH {
        edges.extend([30.5 + 100.0 * k as f64, 32.5 + 100.0 * k as f64]);
    }
    edges.sort_by(f64::total_cmp);
    let mut xs = waveform(n, &edges, Shape::Linear(1.0), 0.0, 1.0);
    for &k in &RUNT {
        for i in 0..=10u64 {
            let x = 0.09 * (5.0 - (i as f64 - 5.0).abs());
            xs[(85 + 100 * k + i) as usize] = x;
        }
    }
    npy_f64(wd, "planted.npy", &xs)
}

/// `tracekit find ARGS --format json` at every chunk size (identical), parsed.
pub fn find_json(wd: &Workdir, args: &[&str]) -> Vec<Value> {
    let mut outputs = Vec::new();
    for chunk in ["1", "7", "4096", ""] {
        let mut a: Vec<&str> = vec!["find", "--format", "json"];
        if !chunk.is_empty() {
            a.extend(["--chunk", chunk]);
        }
        a.extend(args);
        outputs.push((chunk, wd.stdout(&a)));
    }
    for (chunk, out) in &outputs[1..] {
        assert_eq!(
            out, &outputs[0].1,
            "--chunk {chunk:?} differs from --chunk 1"
        );
    }
    outputs[0]
        .1
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_planted_glitch_and_runt_at_its_sample_and_nothing_else() {
    let wd = Workdir::new();
    let file = planted(&wd);
    let events = find_json(
        &wd,
        &[
            "-r",
            "1M",
            "--level",
            "0.5",
            "--hysteresis",
            "0.1",
            "--glitch",
            "<5",
            "--runt",
            "0.2,0.8",
            &file,
        ],
    );
    let mut want: Vec<(u64, &str)> = Vec::new();
    want.extend(POS_GLITCH.iter().map(|k| (81 + 100 * k, "positive-glitch")));
    want.extend(NEG_GLITCH.iter().map(|k| (31 + 100 * k, "negative-glitch")));
    // the bump crosses 0.2 V at 85 + 0.2/0.09 = 87.2
    want.extend(RUNT.iter().map(|k| (88 + 100 * k, "positive-runt")));
    want.sort();
    let got: Vec<(u64, &str)> = events
        .iter()
        .map(|e| (e["sample"].as_u64().unwrap(), e["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(got, want);
    for e in &events {
        if e["kind"].as_str().unwrap().ends_with("glitch") {
            let w = e["width"].as_f64().unwrap();
            assert!((w - 2e-6).abs() < 1e-15, "{e}");
            let t = e["time_s"].as_f64().unwrap();
            let s = e["sample"].as_f64().unwrap();
            assert!((t * 1e6 - (s - 0.5)).abs() < 1e-9, "{e}");
        }
        assert_eq!(e["channel"], 0);
    }
    // the level and hysteresis from the state levels (a first pass) find the same glitches
    let glitches = find_json(&wd, &["-r", "1M", "--glitch", "<5", &file]);
    assert_eq!(glitches.len(), 5);
}

#[test]
fn edges_counted_skipped_and_limited() {
    let wd = Workdir::new();
    let file = planted(&wd);
    let args = ["--level", "0.5", "--hysteresis", "0.1", "--edge", "rising"];
    let all = find_json(&wd, &[&args[..], &[file.as_str()]].concat());
    // 100 square-wave edges, one per positive glitch and one ending each negative glitch
    assert_eq!(all.len(), 100 + POS_GLITCH.len() + NEG_GLITCH.len());
    assert_eq!(all[0]["sample"], 11);
    assert_eq!(all[0]["time_s"], Value::Null, "no rate: no time");
    let some = find_json(
        &wd,
        &[&args[..], &["--skip", "2", "--limit", "3", file.as_str()]].concat(),
    );
    assert_eq!(some, all[2..5].to_vec());
    // text: one event per line, sample first
    let text = wd.stdout(&[&["find"][..], &args[..], &["--limit", "2", file.as_str()]].concat());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines, ["11 - rising 0 - 0.5", "111 - rising 0 - 0.5"]);
    let csv = wd.stdout(
        &[
            &["find", "--format", "csv"][..],
            &args[..],
            &["--limit", "1", file.as_str()],
        ]
        .concat(),
    );
    assert_eq!(
        csv,
        "sample,time_s,kind,channel,width,level,rate\n11,,rising,0,,0.5,\n"
    );
}

#[test]
fn find_errors_are_one_line() {
    let wd = Workdir::new();
    let file = planted(&wd);
    let e = wd.error(&["find", &file]);
    assert!(
        e.contains("nothing to find") && e.contains("planted.npy"),
        "{e}"
    );
    let e = wd.error(&["find", "--glitch", "<5us", &file]);
    assert!(e.contains("-r RATE"), "{e}");
}

/// Events are written on the calling thread while the walk runs on its own: every edge of
/// a long square wave arrives once, in order, and a reader that stops after five lines ends
/// the run quietly with those five lines (the walk stops at its next hand-over), in every
/// format, and so does `measure --per-cycle`.
#[test]
fn find_streams_every_event_and_a_closed_pipe_ends_it_quietly() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "square",
        "--freq",
        "50k",
        "-r",
        "1M",
        "--samples",
        "4M",
        "--dtype",
        "f32",
        "-q",
        "-o",
        "sq.npy",
    ]);
    let args = "find sq.npy --edge either --level 0 --hysteresis 0.2 -q";
    let whole = w.stdout(&args.split(' ').collect::<Vec<_>>());
    let lines: Vec<&str> = whole.lines().collect();
    // 20 samples per period, 200 000 periods starting high: a falling edge at 10 + 20k,
    // a rising one at 20k (none at sample 0, where nothing crosses)
    assert_eq!(lines.len(), 399_999);
    assert!(lines[0].starts_with("10 ") && lines[0].contains(" falling "));
    assert!(lines[1].starts_with("20 ") && lines[1].contains(" rising "));
    assert!(lines[399_998].starts_with("3999990 "));
    let samples: Vec<u64> = lines
        .iter()
        .map(|l| l.split(' ').next().unwrap().parse().unwrap())
        .collect();
    assert!(
        samples.windows(2).all(|p| p[1] == p[0] + 10),
        "{:?}",
        &lines[..4]
    );

    // every line-per-record output of find and measure, cut short by `head`
    for args in [
        args.to_string(),
        format!("{args} --format json"),
        format!("{args} --format csv"),
        "measure sq.npy --per-cycle --levels -1,1 -q".to_string(),
        "measure sq.npy --per-cycle --json --levels -1,1 -q".to_string(),
    ] {
        let whole = w.stdout(&args.split(' ').collect::<Vec<_>>());
        let first: Vec<&str> = whole.lines().take(5).collect();
        let out = w.head(&args, "-n 5");
        assert_eq!(
            String::from_utf8_lossy(&out),
            first.join("\n") + "\n",
            "{args}"
        );
    }
}
