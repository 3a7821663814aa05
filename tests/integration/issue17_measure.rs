//! Issue 17 items added after `measure` and `find` landed: `--clock`, cut-outs around found
//! events (`find --around`, `slice --events`), events of several channels in one order.
//! Known answers on generated signals, identical at every chunk size.

use crate::find_cli::{find_json, planted};
use crate::measure_cli::{f, measure_json, npy_f64};
use crate::pulse::signals::{Shape, jittered_edges, square_edges, waveform};
use crate::util::{Workdir, npy_bytes, read_npy_f64, write};

#[test]
fn issue_17_clock_measures_tie_against_a_given_clock() {
    // 2000 cycles of 50 samples at 1 GS/s without jitter: rising edge k at (20 + 50k) ns,
    // ramps of 4 samples, so the interpolated instants are exact.
    let wd = Workdir::new();
    let edges = jittered_edges(2000, 50.0, 0.0, 7);
    let n = (edges[edges.len() - 1] + 30.0) as usize;
    let file = npy_f64(
        &wd,
        "clk.npy",
        &waveform(n, &edges, Shape::Linear(4.0), 0.0, 1.0),
    );
    let base = ["-r", "1G", "--levels", "0,1"];
    // the true clock: no error beyond rounding
    let c = measure_json(
        &wd,
        &[&base[..], &["--clock", "20e-9,50e-9", &file]].concat(),
    );
    let tie = &c["jitter"]["tie"];
    assert_eq!(tie["fitted"], false, "{tie}");
    assert_eq!(tie["edges"], 2000, "{tie}");
    assert_eq!(f(&tie["clock"]["first"]), 20e-9, "{tie}");
    assert_eq!(f(&tie["clock"]["period"]), 50e-9, "{tie}");
    assert!(f(&tie["rms"]) < 1e-15, "{tie}");
    // a clock 1 ps late per period: edge k is k ps early, TIE runs from 0 to -1999 ps
    let c = measure_json(
        &wd,
        &[&base[..], &["--clock", "20e-9,50.001e-9", &file]].concat(),
    );
    let tie = &c["jitter"]["tie"];
    assert!((f(&tie["peak_to_peak"]) - 1999e-12).abs() < 1e-15, "{tie}");
    assert!((f(&tie["min"][0]) + 1999e-12).abs() < 1e-15, "{tie}");
    assert_eq!(tie["min"][1], 20 + 50 * 1999, "{tie}");
    assert!(f(&tie["max"][0]).abs() < 1e-15, "{tie}");
    // the fitted clock, for comparison, is the true one
    let c = measure_json(&wd, &[&base[..], &[&file[..]]].concat());
    let tie = &c["jitter"]["tie"];
    assert_eq!(tie["fitted"], true, "{tie}");
    assert!((f(&tie["clock"]["period"]) - 50e-9).abs() < 1e-18, "{tie}");
    // a bad clock is a usage error naming the flag
    let out = wd
        .cmd(&["measure", "--clock", "1,0", &file])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--clock") && err.contains("period must be > 0"),
        "{err}"
    );
}

/// Two channels as one (n, 2) float64 .npy: channel 0 rising at 10.25 + 100k, channel 1 at
/// 5.5 + 70k (square waves, 1-sample edges centred on those times). The edge times of each.
fn two_channels(wd: &Workdir, n: usize) -> (String, [Vec<f64>; 2]) {
    let e0 = square_edges(n, 100.0, 0.5, 10.25);
    let e1 = square_edges(n, 70.0, 0.5, 5.5);
    let a = waveform(n, &e0, Shape::Linear(1.0), 0.0, 1.0);
    let b = waveform(n, &e1, Shape::Linear(1.0), 0.0, 1.0);
    let data: Vec<u8> = a
        .iter()
        .zip(&b)
        .flat_map(|(x, y)| [x.to_le_bytes(), y.to_le_bytes()].concat())
        .collect();
    write(
        &wd.path("two.npy"),
        &npy_bytes(1, "<f8", false, &[n as u64, 2], &data),
    );
    ("two.npy".to_string(), [e0, e1])
}

#[test]
fn issue_17_events_of_several_channels_in_one_sample_order() {
    let wd = Workdir::new();
    let n = 5_000;
    let (file, edges) = two_channels(&wd, n);
    let args = ["--level", "0.5", "--hysteresis", "0.1", "--edge", "either"];
    let events = find_json(&wd, &[&args[..], &[file.as_str()]].concat());
    // every edge at the first sample past its time, ordered by sample, then channel
    let mut want: Vec<(u64, u64)> = edges
        .iter()
        .enumerate()
        .flat_map(|(c, e)| {
            e.iter()
                .filter(|&&t| t < (n - 1) as f64)
                .map(move |&t| (t.ceil() as u64, c as u64))
        })
        .collect();
    want.sort();
    let got: Vec<(u64, u64)> = events
        .iter()
        .map(|e| {
            (
                e["sample"].as_u64().unwrap(),
                e["channel"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want);
    // --skip and --limit count in that one order
    let some = find_json(
        &wd,
        &[&args[..], &["--skip", "3", "--limit", "4", file.as_str()]].concat(),
    );
    assert_eq!(some, events[3..7].to_vec());
}

#[test]
fn issue_17_find_around_writes_one_cut_out_per_event() {
    let wd = Workdir::new();
    let file = planted(&wd);
    let (_, all, _) = read_npy_f64(&wd.path(&file));
    let mut dirs = Vec::new();
    for chunk in ["1", "7", "4096", ""] {
        let dir = format!("cuts{chunk}");
        let mut args = vec![
            "find",
            "--level",
            "0.5",
            "--hysteresis",
            "0.1",
            "--glitch",
            "<5",
            "--around",
            "3",
            "-o",
            &dir,
            &file,
        ];
        if !chunk.is_empty() {
            args.extend(["--chunk", chunk]);
        }
        let listed = wd.stdout(&args);
        assert_eq!(listed.lines().count(), 5, "{listed}");
        dirs.push(dir);
    }
    // the glitches start at 381, 831, 1781, 4281, 5531 (see find_cli::planted)
    for (n, sample) in [381usize, 831, 1781, 4281, 5531].into_iter().enumerate() {
        let name = format!("event-{:06}.npy", n + 1);
        let (shape, values, _) = read_npy_f64(&wd.path(&format!("{}/{name}", dirs[0])));
        assert_eq!(shape, [7], "{name}");
        assert_eq!(values, all[sample - 3..=sample + 3].to_vec(), "{name}");
        let bytes = std::fs::read(wd.path(&format!("{}/{name}", dirs[0]))).unwrap();
        for d in &dirs[1..] {
            assert_eq!(
                std::fs::read(wd.path(&format!("{d}/{name}"))).unwrap(),
                bytes
            );
        }
    }
    assert!(!wd.path(&format!("{}/event-000006.npy", dirs[0])).exists());
    // a cut-out at the start is clamped to the capture; CSV through slice's writer
    wd.stdout(&[
        "find",
        "--level",
        "0.5",
        "--hysteresis",
        "0.1",
        "--edge",
        "rising",
        "--limit",
        "1",
        "--around",
        "20",
        "--cut-format",
        "csv",
        "-o",
        "csv",
        &file,
    ]);
    let csv = std::fs::read_to_string(wd.path("csv/event-000001.csv")).unwrap();
    // the first rising edge is at sample 11: samples 0..=31
    assert_eq!(csv.lines().count(), 1 + 32, "{csv}");
}

#[test]
fn issue_17_slice_events_cuts_around_a_saved_list() {
    let wd = Workdir::new();
    let file = planted(&wd);
    let (_, all, _) = read_npy_f64(&wd.path(&file));
    let find = ["--level", "0.5", "--hysteresis", "0.1", "--glitch", "<5"];
    // the reference: find's own cut-outs
    wd.stdout(&[&["find"], &find[..], &["--around", "3", "-o", "ref", &file]].concat());
    // the glitches start at 381, 831, 1781, 4281, 5531 (see find_cli::planted)
    let starts = [381usize, 831, 1781, 4281, 5531];
    for format in ["text", "csv", "json"] {
        let list = wd.stdout(&[&["find", "--format", format], &find[..], &[&file[..]]].concat());
        let name = format!("glitches.{format}");
        write(&wd.path(&name), list.as_bytes());
        let dir = format!("from-{format}");
        for chunk in ["1", "1000", ""] {
            let mut args = vec![
                "slice", "..", &file, "--events", &name, "--around", "3", "-o", &dir,
            ];
            if !chunk.is_empty() {
                args.extend(["--chunk", chunk]);
            }
            wd.stdout(&args);
            for n in 1..=starts.len() {
                let cut = format!("event-{n:06}.npy");
                assert_eq!(
                    std::fs::read(wd.path(&format!("{dir}/{cut}"))).unwrap(),
                    std::fs::read(wd.path(&format!("ref/{cut}"))).unwrap(),
                    "{format} --chunk {chunk:?} {cut}"
                );
            }
            assert!(!wd.path(&format!("{dir}/event-000006.npy")).exists());
        }
    }
    // RANGE keeps the events inside it (the 3rd and 4th, numbered by their place in the
    // list) and clamps their cut-outs to it; --to and --cut-format apply to each
    wd.stdout(&[
        "slice",
        "1780..4283",
        &file,
        "--events",
        "glitches.json",
        "--around",
        "3",
        "--to",
        "f32",
        "--cut-format",
        "npy",
        "-o",
        "ranged",
    ]);
    let names: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(wd.path("ranged"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names, ["event-000003.npy", "event-000004.npy"]);
    let (shape, values, _) = read_npy_f64(&wd.path("ranged/event-000003.npy"));
    assert_eq!(shape, [5]);
    let want: Vec<f64> = all[1780..=1784].iter().map(|&x| x as f32 as f64).collect();
    assert_eq!(values, want);
    let (shape, values, _) = read_npy_f64(&wd.path("ranged/event-000004.npy"));
    assert_eq!(shape, [5]);
    let want: Vec<f64> = all[4278..4283].iter().map(|&x| x as f32 as f64).collect();
    assert_eq!(values, want);
    // the list from standard input; a line that is no event is an error naming it
    let out = wd
        .cmd(&[
            "slice", "..", &file, "--events", "-", "--around", "3", "-o", "bad",
        ])
        .write_stdin(b"381 - glitch 0\nhello\n".to_vec())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("-:2") && err.contains("'hello'"), "{err}");
    // --around without --events is a usage error
    let out = wd
        .cmd(&["slice", "..", &file, "--around", "3", "-o", "x.npy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
