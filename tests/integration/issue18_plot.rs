//! Issue 18: `tracekit plot`, `tracekit spectrogram` and `fft --plot`, checked on the pixels
//! (PNG decoded back), the XML (SVG parsed) and the exported matrix, against values computed
//! here from the samples.

use crate::util::{Workdir, f32_le, npy_bytes, read_npy_f64, write};
use tracekit::dsp::envelope::ColumnEnvelope;

/// A decoded 8-bit RGB picture.
struct Image {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
}

impl Image {
    fn decode(bytes: &[u8]) -> Image {
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut rgb = vec![0; reader.output_buffer_size().expect("a sane size")];
        let info = reader.next_frame(&mut rgb).expect("PNG data");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        rgb.truncate(info.buffer_size());
        Image {
            width: info.width as usize,
            height: info.height as usize,
            rgb,
        }
    }

    fn read(path: &std::path::Path) -> Image {
        Image::decode(&std::fs::read(path).expect("picture written"))
    }

    fn pixel(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// Rows of column `x` whose pixel passes `is`.
    fn rows(&self, x: usize, is: impl Fn([u8; 3]) -> bool) -> Vec<usize> {
        (0..self.height).filter(|&y| is(self.pixel(x, y))).collect()
    }
}

/// A trace pixel of lane 0 (blue, #1f77b4 and its lighter band), not grey text or grid.
fn blue(p: [u8; 3]) -> bool {
    i32::from(p[2]) - i32::from(p[0]) > 40
}

/// A trace pixel of lane 1 (red, #d62728 and its band).
fn red(p: [u8; 3]) -> bool {
    i32::from(p[0]) - i32::from(p[2]) > 40 && p[1] < 200
}

/// The longest run of consecutive values in a sorted list.
fn longest_run(rows: &[usize]) -> usize {
    let (mut best, mut run) = (0, 0);
    for (i, &r) in rows.iter().enumerate() {
        run = if i > 0 && rows[i - 1] + 1 == r {
            run + 1
        } else {
            1
        };
        best = best.max(run);
    }
    best
}

fn svg_doc(text: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(text).expect("the SVG parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
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

/// `n` samples of a ±1 square wave with period `period` samples, as f64.
fn square(n: usize, period: usize) -> Vec<f64> {
    (0..n)
        .map(|k| if k % period < period / 2 { 1.0 } else { -1.0 })
        .collect()
}

#[test]
fn issue_18_envelope_columns_equal_brute_force_min_max_for_every_chunk() {
    // Through the public pass, chunked as --chunk would cut: every column's min and max
    // are the samples' own, and the count is the column's share of the range.
    let data: Vec<f32> = (0..100_003u32)
        .map(|k| {
            ((k as f32) * 0.013).sin() * (1.0 + (k % 97) as f32)
                + if k == 77_777 { 500.0 } else { 0.0 }
        })
        .collect();
    let (start, len, width) = (1_000u64, 97_000u64, 1_480usize);
    for chunk in [1usize, 7, 4096, 65_536, data.len()] {
        let mut env = ColumnEnvelope::new(start, len, width).unwrap();
        for (i, piece) in data.chunks(chunk).enumerate() {
            env.push((i * chunk) as u64, piece);
        }
        let columns = env.into_columns();
        assert_eq!(columns.len(), width);
        let mut next = start;
        for (c, col) in columns.iter().enumerate() {
            // Column c holds ceil(c·len/width) .. ceil((c+1)·len/width).
            let end = start + ((c as u64 + 1) * len).div_ceil(width as u64);
            let slice = &data[next as usize..end as usize];
            let min = slice.iter().copied().fold(f32::INFINITY, f32::min);
            let max = slice.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            assert_eq!(col.count, slice.len() as u64, "chunk {chunk} column {c}");
            assert_eq!(col.min, f64::from(min), "chunk {chunk} column {c} min");
            assert_eq!(col.max, f64::from(max), "chunk {chunk} column {c} max");
            next = end;
        }
        assert_eq!(next, start + len);
    }
}

#[test]
fn issue_18_plot_is_the_same_picture_whatever_the_chunk() {
    let w = Workdir::new();
    let n = 300_007;
    let mut v: Vec<f64> = (0..n).map(|k| (k as f64 * 0.001).sin()).collect();
    v[123_457] = 4.0;
    write(
        &w.path("s.npy"),
        &npy_bytes(1, "<f4", false, &[n as u64], &f32_le(&v)),
    );
    let mut first: Option<Vec<u8>> = None;
    for chunk in ["1k", "4099", "64M"] {
        let out = format!("c{chunk}.png");
        w.stdout(&["plot", "-q", "s.npy", "--chunk", chunk, "-o", &out]);
        let bytes = std::fs::read(w.path(&out)).unwrap();
        match &first {
            None => first = Some(bytes),
            Some(f) => assert!(f == &bytes, "--chunk {chunk} drew another picture"),
        }
    }
}

#[test]
fn issue_18_glitch_in_100m_samples_is_one_full_height_column() {
    // 100 M i16 zeros (a sparse file) and one sample of 1000 at 63 %.
    let w = Workdir::new();
    let n: u64 = 100_000_000;
    let glitch: u64 = 63_000_001;
    let header = npy_bytes(1, "<i2", false, &[n], &[]);
    let path = w.path("g.npy");
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(&header).unwrap();
        f.set_len(header.len() as u64 + 2 * n).unwrap();
        f.seek(SeekFrom::Start(header.len() as u64 + 2 * glitch))
            .unwrap();
        f.write_all(&1000i16.to_le_bytes()).unwrap();
    }
    w.stdout(&["plot", "-q", "g.npy", "-r", "100M", "-o", "g.png"]);
    let img = Image::read(&w.path("g.png"));
    assert_eq!((img.width, img.height), (1600, 900));
    // The zero line: the plot's left and right ends.
    let (x0, x1) = (0..img.width)
        .filter_map(|x| img.rows(x, blue).first().map(|_| x))
        .fold((usize::MAX, 0), |(a, b), x| (a.min(x), b.max(x)));
    let zero_row = *img.rows(x0 + 5, blue).last().unwrap();
    let tall: Vec<usize> = (x0..=x1)
        .filter(|&x| longest_run(&img.rows(x, blue)) > 500)
        .collect();
    let want = x0 as f64 + (x1 - x0 + 1) as f64 * glitch as f64 / n as f64;
    assert!(!tall.is_empty() && tall.len() <= 2, "tall columns {tall:?}");
    assert!(
        (tall[0] as f64 - want).abs() <= 1.5,
        "glitch drawn at x {tall:?}, expected {want:.1}"
    );
    // Full height: from the zero line up to the top of the lane (within the y margin).
    let rows = img.rows(tall[0], blue);
    assert!(*rows.last().unwrap() >= zero_row - 1, "{rows:?}");
    assert!(rows[0] < 100, "glitch top at row {}", rows[0]);
    // Every other column is the flat zero line, a few pixels thick at most.
    for x in (x0..=x1).filter(|x| !tall.contains(x) && *x != x1) {
        assert!(img.rows(x, blue).len() <= 4, "column {x} is not flat");
    }
}

#[test]
fn issue_18_square_wave_fills_the_rows_of_its_range_and_zoom_draws_samples() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "square",
        "-q",
        "--freq",
        "1k",
        "-r",
        "1M",
        "--samples",
        "200k",
        "-o",
        "sq.npy",
    ]);
    w.stdout(&[
        "plot", "-q", "sq.npy", "-o", "all.png", "--width", "800", "--height", "400",
    ]);
    let img = Image::read(&w.path("all.png"));
    assert_eq!((img.width, img.height), (800, 400));
    // 200 periods over ~700 columns: every column holds both levels, a solid band.
    let band = img.rows(400, blue);
    assert!(longest_run(&band) == band.len(), "band broken: {band:?}");
    assert!(band.len() > 250, "band {} rows high", band.len());
    // Zoom on one period: 1000 samples < 1480 columns: the samples, high then low.
    w.stdout(&[
        "plot", "-q", "sq.npy", "--range", "0..1ms", "-o", "zoom.png",
    ]);
    let img = Image::read(&w.path("zoom.png"));
    let high = img.rows(400, blue);
    let low = img.rows(1200, blue);
    assert!(!high.is_empty() && !low.is_empty());
    assert!(
        high.iter().max() < low.iter().min(),
        "first half (+1) must be above the second half (-1): {high:?} vs {low:?}"
    );
    assert!(low.iter().min().unwrap() - high.iter().max().unwrap() > 500);
}

#[test]
fn issue_18_channels_are_stacked_in_the_order_asked() {
    // Channel 0: a square (a full band); channel 1: a slow ramp (a thin line).
    let w = Workdir::new();
    let n = 100_000;
    let sq = square(n, 100);
    let mut data = Vec::with_capacity(2 * n);
    for (k, s) in sq.iter().enumerate() {
        data.push(*s);
        data.push(k as f64 / n as f64);
    }
    write(
        &w.path("two.npy"),
        &npy_bytes(1, "<f4", false, &[n as u64, 2], &f32_le(&data)),
    );
    for (order, out) in [("0,1", "a.svg"), ("1,0", "b.svg")] {
        w.stdout(&["plot", "-q", "two.npy", "--channel", order, "-o", out]);
    }
    w.stdout(&["plot", "-q", "two.npy", "-o", "a.png"]);
    w.stdout(&["plot", "-q", "two.npy", "--channel", "1,0", "-o", "b.png"]);
    // Lane colours follow the drawing order: the first lane is blue, the second red.
    let a = Image::read(&w.path("a.png"));
    let b = Image::read(&w.path("b.png"));
    let mid = a.height / 2;
    let (a_top, a_bottom) = (a.rows(800, blue), a.rows(800, red));
    assert!(a_top.iter().all(|&y| y < mid) && a_bottom.iter().all(|&y| y > mid));
    // Channel 0 (the square, a tall band) on top in a, at the bottom in b.
    let (b_top, b_bottom) = (b.rows(800, blue), b.rows(800, red));
    assert!(b_top.iter().all(|&y| y < mid) && b_bottom.iter().all(|&y| y > mid));
    assert!(
        a_top.len() > 200 && a_bottom.len() < 10,
        "{} {}",
        a_top.len(),
        a_bottom.len()
    );
    assert!(
        b_top.len() < 10 && b_bottom.len() > 200,
        "{} {}",
        b_top.len(),
        b_bottom.len()
    );
    // The SVG names the lanes in the same order.
    let names = |f: &str| {
        svg_doc(&std::fs::read_to_string(w.path(f)).unwrap())
            .into_iter()
            .filter(|t| t.starts_with("ch"))
            .collect::<Vec<_>>()
    };
    assert_eq!(names("a.svg"), ["ch0", "ch1"]);
    assert_eq!(names("b.svg"), ["ch1", "ch0"]);
}

#[test]
fn issue_18_svg_parses_with_title_and_engineering_axes() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "tone",
        "-q",
        "--tone",
        "1k:0.002",
        "-r",
        "1M",
        "--samples",
        "100k",
        "-o",
        "t.npy",
    ]);
    w.stdout(&[
        "plot",
        "-q",
        "t.npy",
        "--range",
        "10ms..10.5ms",
        "-o",
        "t.svg",
    ]);
    let texts = svg_doc(&std::fs::read_to_string(w.path("t.svg")).unwrap());
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("t.npy") && t.contains("1 MS/s")),
        "{texts:?}"
    );
    // 0.5 ms at 10 ms: a ms axis in 50 µs steps; the positive half of a 2 mV sine, no unit:
    // values ×1m.
    for want in [
        "Time (ms)",
        "10.00",
        "10.25",
        "10.50",
        "0.0",
        "2.0",
        "ch0 (×1m)",
    ] {
        assert!(texts.iter().any(|t| t == want), "{want} missing: {texts:?}");
    }
}

#[test]
fn issue_18_png_to_stdout_and_logic_lane_with_uart_overlay() {
    let w = Workdir::new();
    w.stdout(&[
        "generate", "uart", "-q", "--text", "Hi!", "--baud", "115200", "-r", "1M", "--logic", "-o",
        "u.npy",
    ]);
    let out = w
        .cmd(&[
            "plot", "-q", "u.npy", "-o", "-", "--width", "640", "--height", "300",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let img = Image::decode(&out.stdout);
    assert_eq!((img.width, img.height), (640, 300));

    w.stdout(&[
        "plot",
        "-q",
        "u.npy",
        "--decode",
        "uart:baud=115200",
        "-o",
        "u.svg",
    ]);
    let texts = svg_doc(&std::fs::read_to_string(w.path("u.svg")).unwrap());
    for label in ["0x48 'H'", "0x69 'i'", "0x21 '!'"] {
        assert!(
            texts.iter().any(|t| t == label),
            "{label} missing: {texts:?}"
        );
    }
    // A logic lane: its y axis is 0 and 1, nothing between.
    assert!(texts.iter().any(|t| t == "1") && texts.iter().any(|t| t == "0"));
    assert!(!texts.iter().any(|t| t == "0.5"), "{texts:?}");
}

/// The dB matrix from `--npy`: (columns, rows, values column-major by time).
fn matrix(w: &Workdir, name: &str) -> (usize, usize, Vec<f64>) {
    let (shape, values, _) = read_npy_f64(&w.path(name));
    (shape[0] as usize, shape[1] as usize, values)
}

fn argmax(v: &[f64]) -> usize {
    (0..v.len()).max_by(|&a, &b| v[a].total_cmp(&v[b])).unwrap()
}

#[test]
fn issue_18_spectrogram_two_tones_peak_in_their_bins_with_their_power() {
    // fs = 1.024 MHz, nfft 1024: 1 kHz rows; tones on rows 100 and 300.
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "tone",
        "-q",
        "--tone",
        "100k:1",
        "--tone",
        "300k:0.01",
        "-r",
        "1.024M",
        "--samples",
        "1M",
        "-o",
        "t.npy",
    ]);
    w.stdout(&[
        "spectrogram",
        "-q",
        "t.npy",
        "--scaling",
        "spectrum",
        "--npy",
        "m.npy",
        "--csv",
        "m.csv",
        "-o",
        "m.png",
        "--width",
        "400",
    ]);
    let (cols, rows, db) = matrix(&w, "m.npy");
    assert_eq!(rows, 513);
    assert!(cols > 100 && cols < 400, "{cols} columns");
    for c in 0..cols {
        let col = &db[c * rows..(c + 1) * rows];
        assert_eq!(argmax(col), 100, "column {c}");
        // A tone of amplitude A on a bin reads A²/2 in spectrum scaling.
        assert!(
            (col[100] - (-3.0103)).abs() < 0.05,
            "column {c}: {}",
            col[100]
        );
        assert!(
            (col[300] - (-43.0103)).abs() < 0.05,
            "column {c}: {}",
            col[300]
        );
        assert!(col[200] < -100.0, "column {c}: {}", col[200]);
    }
    // The CSV holds the same matrix with its axes.
    let csv = std::fs::read_to_string(w.path("m.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "time_s");
    assert_eq!(header[101].parse::<f64>().unwrap(), 100_000.0);
    assert_eq!(lines.clone().count(), cols);
    let first: Vec<f64> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(first[0], 0.0);
    assert!((first[101] - db[100]).abs() < 1e-4);
    // In the picture, the brightest row of a middle column is at 100 kHz of 0..512 kHz.
    let img = Image::read(&w.path("m.png"));
    let x = img.width / 3;
    // The matrix' rows: viridis is never grey (axes, ticks and text are).
    let plot_rows: Vec<usize> = img.rows(x, |p| p[0] != p[1] || p[1] != p[2]);
    let (top, bottom) = (plot_rows[0], *plot_rows.last().unwrap());
    let yellow = |p: [u8; 3]| p[0] > 200 && p[1] > 200 && p[2] < 100;
    let hot = img.rows(x, yellow);
    let want = bottom as f64 - (bottom - top) as f64 * 100.0 / 512.0;
    assert!(!hot.is_empty());
    assert!(
        hot.iter().all(|&y| (y as f64 - want).abs() <= 3.0),
        "{hot:?} vs {want}"
    );
}

#[test]
fn issue_18_spectrogram_of_a_chirp_follows_its_frequency() {
    // A linear chirp 50 kHz → 450 kHz over 1 s at 1.024 MS/s.
    let w = Workdir::new();
    let fs = 1_024_000.0;
    let n = 1_024_000usize;
    let (f0, f1) = (50_000.0, 450_000.0);
    let k = (f1 - f0) / (n as f64 / fs);
    let v: Vec<f64> = (0..n)
        .map(|i| {
            let t = i as f64 / fs;
            (2.0 * std::f64::consts::PI * (f0 * t + 0.5 * k * t * t)).sin()
        })
        .collect();
    write(
        &w.path("c.npy"),
        &npy_bytes(1, "<f4", false, &[n as u64], &f32_le(&v)),
    );
    w.stdout(&[
        "spectrogram",
        "-q",
        "c.npy",
        "-r",
        "1.024M",
        "--npy",
        "c_m.npy",
        "--csv",
        "c.csv",
    ]);
    let (cols, rows, db) = matrix(&w, "c_m.npy");
    let times: Vec<f64> = std::fs::read_to_string(w.path("c.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(times.len(), cols);
    for c in 1..cols - 1 {
        let peak = argmax(&db[c * rows..(c + 1) * rows]) as f64 * 1000.0;
        // The column spans times[c]..times[c+1] plus one segment (1 ms).
        let mid = (times[c] + times[c + 1]) / 2.0 + 0.0005;
        let want = f0 + k * mid;
        assert!(
            (peak - want).abs() <= 3_000.0,
            "column {c}: {peak} Hz, want {want:.0}"
        );
    }
}

#[test]
fn issue_18_spectrogram_of_iq_is_two_sided() {
    // I = cos, Q = sin of +200 kHz: one peak at +200 kHz, none at -200 kHz.
    let w = Workdir::new();
    let fs = 1_024_000.0;
    let n = 262_144usize;
    let mut data = Vec::with_capacity(2 * n);
    for i in 0..n {
        let ph = 2.0 * std::f64::consts::PI * 200_000.0 * i as f64 / fs;
        data.push(ph.cos());
        data.push(ph.sin());
    }
    write(
        &w.path("iq.npy"),
        &npy_bytes(1, "<f4", false, &[n as u64, 2], &f32_le(&data)),
    );
    w.stdout(&[
        "spectrogram",
        "-q",
        "iq.npy",
        "-r",
        "1.024M",
        "--iq",
        "0,1",
        "--center-freq",
        "1M",
        "--csv",
        "iq.csv",
        "--scaling",
        "spectrum",
        "--width",
        "300",
    ]);
    let csv = std::fs::read_to_string(w.path("iq.csv")).unwrap();
    let mut lines = csv.lines();
    let freqs: Vec<f64> = lines
        .next()
        .unwrap()
        .split(',')
        .skip(1)
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(freqs.len(), 1024);
    assert_eq!(freqs[0], 1_000_000.0 - 512_000.0);
    assert_eq!(freqs[512], 1_000_000.0);
    let row: Vec<f64> = lines
        .nth(3)
        .unwrap()
        .split(',')
        .skip(1)
        .map(|v| v.parse().unwrap())
        .collect();
    let peak = argmax(&row);
    assert_eq!(freqs[peak], 1_200_000.0);
    // Amplitude 1 complex tone: power 1 (0 dB); its mirror is absent.
    assert!(row[peak].abs() < 0.05, "{}", row[peak]);
    assert!(row[512 - 200] < -100.0, "{}", row[512 - 200]);
}

#[test]
fn issue_18_fft_plot_draws_png_and_svg() {
    let w = Workdir::new();
    w.stdout(&[
        "generate",
        "tone",
        "-q",
        "--tone",
        "100k:1",
        "-r",
        "1M",
        "--samples",
        "64k",
        "-o",
        "t.npy",
    ]);
    w.stdout(&["fft", "-q", "t.npy", "--plot", "p.png"]);
    let img = Image::read(&w.path("p.png"));
    assert_eq!((img.width, img.height), (1000, 520));
    w.stdout(&["fft", "-q", "t.npy", "--plot", "p.svg"]);
    let texts = svg_doc(&std::fs::read_to_string(w.path("p.svg")).unwrap());
    assert!(
        texts.iter().any(|t| t.starts_with("Frequency (kHz")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "100 kHz"), "{texts:?}");
}

#[test]
fn issue_18_errors_are_one_line_and_leave_no_file() {
    let w = Workdir::new();
    w.stdout(&["generate", "tone", "-q", "--samples", "10k", "-o", "t.npy"]);
    let err = w.error(&["plot", "t.npy", "-o", "nodir/x.png"]);
    assert!(
        err.contains("nodir/x.png") && err.contains("does not exist"),
        "{err}"
    );
    let err = w.error(&["spectrogram", "t.npy", "--npy", "nodir/m.npy"]);
    assert!(err.contains("nodir/m.npy"), "{err}");
    let err = w.error(&["plot", "t.npy", "-o", "x.jpg"]);
    assert!(err.contains("x.jpg") && err.contains(".png"), "{err}");
    let err = w.error(&["spectrogram", "t.npy", "-o", "s.png", "--nfft", "16k"]);
    assert!(err.contains("16000") && err.contains("10000"), "{err}");
    let err = w.error(&["plot", "t.npy", "-o", "x.png", "--range", "20ms..30ms"]);
    assert!(err.contains("t.npy"), "{err}");
    // Sizes out of range: clap's usage error, naming the value and the bounds.
    let out = w
        .cmd(&["plot", "t.npy", "-o", "x.png", "--width", "10"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap();
    assert!(
        first.contains("'10'") && first.contains("200..=16384"),
        "{stderr}"
    );
    assert!(!w.path("x.png").exists() && !w.path("x.jpg").exists());
    // An existing picture survives a failed run untouched (atomic output).
    std::fs::write(w.path("keep.png"), b"old").unwrap();
    w.error(&["plot", "t.npy", "-o", "keep.png", "--channel", "3"]);
    assert_eq!(std::fs::read(w.path("keep.png")).unwrap(), b"old");
}
