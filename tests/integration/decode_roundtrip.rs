//! `tracekit decode` on generated captures: generator → .npy → CLI → the words, bytes and
//! frames that were sent, at 3 to 1000 samples per bit; analog captures with noise and
//! ringing decode exactly like their logic version, at every chunk size.

use crate::util::{Workdir, npy_bytes, write};
use tracekit::dsp::decode::spi::{BitOrder, SpiConfig, WordValue};
use tracekit::dsp::synth_bus::AnalogConfig;
use tracekit::dsp::synth_bus::StepSource;
use tracekit::dsp::synth_can::{CanFrameSpec, CanSynth, CanSynthConfig, Inject};
use tracekit::dsp::synth_i2c::{I2cAddress, I2cSynth, I2cSynthConfig, I2cTransaction};
use tracekit::dsp::synth_levels::BusLines;
use tracekit::dsp::synth_spi::{SpiSynth, SpiSynthConfig};

/// Columns as a 2-D .npy (samples × channels) of `descr`, each value as `bytes` gives it.
fn write_columns<T: Copy, const B: usize>(
    w: &Workdir,
    name: &str,
    descr: &str,
    columns: &[Vec<T>],
    bytes: fn(T) -> [u8; B],
) -> String {
    let n = columns[0].len();
    let data: Vec<u8> = (0..n)
        .flat_map(|i| columns.iter().map(move |c| c[i]))
        .flat_map(bytes)
        .collect();
    let path = w.path(name);
    write(
        &path,
        &npy_bytes(1, descr, false, &[n as u64, columns.len() as u64], &data),
    );
    path.to_str().unwrap().to_string()
}

/// Columns of levels as a 2-D u8 .npy.
fn write_logic(w: &Workdir, name: &str, columns: &[Vec<u8>]) -> String {
    write_columns(w, name, "|u1", columns, |v| [v])
}

/// Columns of volts as a 2-D f32 .npy.
fn write_analog(w: &Workdir, name: &str, columns: &[Vec<f32>]) -> String {
    write_columns(w, name, "<f4", columns, f32::to_le_bytes)
}

/// The same bus generated twice: as logic levels and as volts.
fn bus_capture<S: StepSource, const N: usize>(
    make: impl Fn() -> BusLines<S, N>,
) -> (Vec<Vec<u8>>, Vec<Vec<f32>>) {
    let mut s = make();
    let n = s.total_samples() as usize;
    let mut logic = vec![vec![0u8; n]; N];
    let views: Vec<&mut [u8]> = logic.iter_mut().map(|c| &mut c[..]).collect();
    assert_eq!(s.fill_logic(views.try_into().unwrap()), n);
    let mut analog = vec![vec![0f32; n]; N];
    let views: Vec<&mut [f32]> = analog.iter_mut().map(|c| &mut c[..]).collect();
    assert_eq!(make().fill_analog(views.try_into().unwrap()), n);
    (logic, analog)
}

/// The analog capture decodes like the logic one (JSON records, positions aside) with
/// `--threshold auto`, and its sigrok lines are the same at chunks 1, 7, 4096 and whole.
/// `args(file, extra)` is the decode command line; returns the logic capture's JSON.
fn assert_analog_like_logic(
    w: &Workdir,
    logic: &str,
    analog: &str,
    args: impl Fn(&str, &[&str]) -> Vec<String>,
) -> String {
    let want = run(w, &args(logic, &["--format", "json", "-q"]));
    let auto = ["-q", "--threshold", "auto", "--format"];
    let got = run(w, &args(analog, &[&auto[..], &["json"]].concat()));
    assert_eq!(content(&got), content(&want));
    let sigrok = |chunk: &str| {
        run(
            w,
            &args(analog, &[&auto[..], &["sigrok", "--chunk", chunk]].concat()),
        )
    };
    let whole = sigrok("1M");
    for chunk in ["1", "7", "4096"] {
        assert_eq!(sigrok(chunk), whole, "chunk {chunk}");
    }
    want
}

/// `base` with `file` and `extra` after it.
fn with_file(base: &[&str], file: &str, extra: &[&str]) -> Vec<String> {
    base.iter()
        .chain([&file])
        .chain(extra)
        .map(|s| s.to_string())
        .collect()
}

fn noisy() -> AnalogConfig {
    AnalogConfig {
        noise_rms: 0.1,
        rise_samples: 1.5,
        fall_samples: 1.0,
        ring_amplitude: 0.15,
        ..AnalogConfig::default()
    }
}

fn spi_capture(
    cfg: &SpiSynthConfig,
    mosi: &[WordValue],
    miso: &[WordValue],
) -> (Vec<Vec<u8>>, Vec<Vec<f32>>) {
    bus_capture(|| SpiSynth::new(cfg.clone(), mosi.to_vec(), miso.to_vec()).unwrap())
}

fn spi_args<'a>(file: &'a str, cfg: &SpiConfig, extra: &[&'a str]) -> Vec<String> {
    let mut a: Vec<String> = [
        "decode", "spi", file, "-r", "1M", "--clk", "0", "--miso", "1", "--mosi", "2", "--cs", "3",
    ]
    .map(String::from)
    .to_vec();
    a.extend([
        "--cpol".into(),
        cfg.cpol.to_string(),
        "--cpha".into(),
        cfg.cpha.to_string(),
    ]);
    a.extend(["--wordsize".into(), cfg.wordsize.to_string()]);
    if cfg.bitorder == BitOrder::LsbFirst {
        a.extend(["--bitorder".into(), "lsb-first".into()]);
    }
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn run(w: &Workdir, a: &[String]) -> String {
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    w.stdout(&a)
}

/// JSON Lines records without their sample positions and times: what was decoded.
fn content(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| {
            let mut r: serde_json::Value = serde_json::from_str(l).unwrap();
            let m = r.as_object_mut().unwrap();
            for k in ["start", "end", "time_s"] {
                m.remove(k);
            }
            r
        })
        .collect()
}

/// The `field` of every record of `kind` in JSON Lines output.
fn json_field(out: &str, kind: &str, field: &str) -> Vec<String> {
    out.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["kind"] == kind)
        .map(|r| r[field].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn issue_16_spi_round_trips_every_mode_order_and_word_size_at_3_to_1000_samples_per_bit() {
    let w = Workdir::new();
    for (k, spb) in [3.0, 7.7, 1000.0].into_iter().enumerate() {
        for mode in 0..4u8 {
            for bitorder in [BitOrder::MsbFirst, BitOrder::LsbFirst] {
                for wordsize in [8u32, 9, 16, 40] {
                    let spi = SpiConfig {
                        cpol: mode >> 1,
                        cpha: mode & 1,
                        bitorder,
                        wordsize,
                        ..SpiConfig::default()
                    };
                    let mask = (1u64 << wordsize) - 1;
                    let mosi: Vec<WordValue> = (0..5u64)
                        .map(|i| {
                            WordValue::Narrow(
                                (0x9e3779b97f4a7c15u64.wrapping_mul(i + 1) >> 7) & mask,
                            )
                        })
                        .collect();
                    let miso: Vec<WordValue> = (0..5u64)
                        .map(|i| WordValue::Narrow((i * 0x55) & mask))
                        .collect();
                    let cfg = SpiSynthConfig {
                        spi,
                        sample_rate: 1e6,
                        clock_rate: 1e6 / spb,
                        words_per_transfer: 2,
                        ..SpiSynthConfig::default()
                    };
                    let (logic, _) = spi_capture(&cfg, &mosi, &miso);
                    let file = write_logic(&w, &format!("spi{k}{mode}{wordsize}.npy"), &logic);
                    let out = run(&w, &spi_args(&file, &spi, &["--format", "json", "-q"]));
                    let hex = |v: &[WordValue]| {
                        v.iter()
                            .map(|x| format!("0x{}", x.to_hex()))
                            .collect::<Vec<_>>()
                    };
                    let what = format!("spb {spb} mode {mode} {bitorder:?} {wordsize} bits");
                    assert_eq!(json_field(&out, "word", "mosi"), hex(&mosi), "{what}");
                    assert_eq!(json_field(&out, "word", "miso"), hex(&miso), "{what}");
                    assert_eq!(json_field(&out, "transfer", "kind").len(), 3, "{what}");
                }
            }
        }
    }
}

#[test]
fn issue_16_spi_analog_with_noise_and_ringing_decodes_like_logic_at_every_chunk() {
    let w = Workdir::new();
    let spi = SpiConfig {
        cpha: 1,
        wordsize: 16,
        ..SpiConfig::default()
    };
    let mosi: Vec<WordValue> = (0..12u64).map(|i| WordValue::Narrow(i * 0x1357)).collect();
    let miso: Vec<WordValue> = (0..12u64)
        .map(|i| WordValue::Narrow(0xffff - i * 0x0101))
        .collect();
    let cfg = SpiSynthConfig {
        spi,
        sample_rate: 1e6,
        clock_rate: 1e5,
        analog: noisy(),
        seed: 7,
        ..SpiSynthConfig::default()
    };
    let (logic, analog) = spi_capture(&cfg, &mosi, &miso);
    let lf = write_logic(&w, "logic.npy", &logic);
    let af = write_analog(&w, "analog.npy", &analog);
    let want = assert_analog_like_logic(&w, &lf, &af, |f, extra| spi_args(f, &spi, extra));
    assert_eq!(json_field(&want, "word", "mosi").len(), 12);
    let out = w
        .cmd(&[
            "decode", "spi", &af, "-r", "1M", "--clk", "0", "--mosi", "2", "--cpha", "1",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("clk: threshold") && stderr.contains("auto: levels"),
        "{stderr}"
    );
}

fn i2c_capture(cfg: &I2cSynthConfig, t: &[I2cTransaction]) -> (Vec<Vec<u8>>, Vec<Vec<f32>>) {
    bus_capture(|| I2cSynth::new(cfg.clone(), t.to_vec()).unwrap())
}

fn transactions() -> Vec<I2cTransaction> {
    vec![
        I2cTransaction {
            address: I2cAddress::Seven(0x52),
            read: false,
            data: vec![0x40, 0x00, 0xa5],
            acks: Vec::new(),
            repeated_start_next: true,
        },
        I2cTransaction {
            address: I2cAddress::Seven(0x52),
            read: true,
            data: vec![0x11, 0x22],
            acks: Vec::new(),
            repeated_start_next: false,
        },
        I2cTransaction {
            address: I2cAddress::Ten(0x2a5),
            read: false,
            data: vec![0xde, 0xad],
            acks: Vec::new(),
            repeated_start_next: false,
        },
    ]
}

#[test]
fn issue_16_i2c_round_trips_at_3_to_1000_samples_per_bit() {
    let w = Workdir::new();
    for spb in [3.0, 10.0, 1000.0] {
        let cfg = I2cSynthConfig {
            sample_rate: 1e6,
            clock_rate: 1e6 / spb,
            ..I2cSynthConfig::default()
        };
        let (logic, _) = i2c_capture(&cfg, &transactions());
        let f = write_logic(&w, "i2c.npy", &logic);
        let bytes = w
            .cmd(&[
                "decode", "i2c", &f, "--scl", "0", "--sda", "1", "--format", "bytes", "-q",
            ])
            .output()
            .unwrap();
        assert_eq!(
            bytes.stdout,
            [0x40, 0x00, 0xa5, 0x11, 0x22, 0xde, 0xad],
            "spb {spb}"
        );
        let json = w.stdout(&[
            "decode", "i2c", &f, "--scl", "0", "--sda", "1", "--format", "json", "-q",
        ]);
        let addresses: Vec<String> = json_field(&json, "address-write", "address")
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        assert_eq!(addresses, ["0x52", "0x2A5"], "spb {spb}");
        assert_eq!(json_field(&json, "repeated-start", "kind").len(), 1);
        assert_eq!(json_field(&json, "stop", "kind").len(), 2);
    }
}

#[test]
fn issue_16_i2c_analog_with_noise_and_ringing_decodes_like_logic_at_every_chunk() {
    let w = Workdir::new();
    let cfg = I2cSynthConfig {
        sample_rate: 1e6,
        clock_rate: 5e4,
        analog: AnalogConfig {
            rise_samples: 3.0,
            ..noisy()
        },
        seed: 3,
        ..I2cSynthConfig::default()
    };
    let (logic, analog) = i2c_capture(&cfg, &transactions());
    let lf = write_logic(&w, "logic.npy", &logic);
    let af = write_analog(&w, "analog.npy", &analog);
    let base = ["decode", "i2c", "--scl", "0", "--sda", "1"];
    let want = assert_analog_like_logic(&w, &lf, &af, |f, extra| with_file(&base, f, extra));
    assert_eq!(json_field(&want, "data-write", "kind").len(), 5);
    // One threshold for one signal, auto for the other.
    let extra = [
        "-q",
        "--format",
        "json",
        "--threshold",
        "auto",
        "--threshold",
        "scl=1.6",
    ];
    let got = run(&w, &with_file(&base, &af, &extra));
    assert_eq!(content(&got), content(&want));
}

fn can_frames() -> Vec<CanFrameSpec> {
    let frame = |id, extended, fd, brs, data: &[u8], inject| CanFrameSpec {
        id,
        extended,
        fd,
        brs,
        esi: false,
        remote: false,
        dlc: match data.len() {
            n if n <= 8 => n as u8,
            12 => 9,
            16 => 10,
            _ => 15,
        },
        data: data.to_vec(),
        inject,
    };
    vec![
        frame(0x123, false, false, false, &[1, 2, 3, 4], None),
        frame(0x1234567, true, false, false, &[0xff; 8], None),
        frame(0x321, false, true, true, &[0x55; 12], None),
        frame(
            0x7ff & 0x456,
            false,
            false,
            false,
            &[0xaa, 0x00],
            Some(Inject::Crc),
        ),
        frame(0x100, false, false, false, &[0x0f], Some(Inject::Nack)),
    ]
}

fn can_capture(cfg: &CanSynthConfig) -> (Vec<u8>, Vec<f32>) {
    let mut s = CanSynth::new(cfg.clone()).unwrap();
    let mut logic = vec![0u8; s.total_samples() as usize];
    assert_eq!(s.fill_logic(&mut logic), logic.len());
    let mut s = CanSynth::new(cfg.clone()).unwrap();
    let mut analog = vec![0f32; logic.len()];
    assert_eq!(s.fill_analog(&mut analog), logic.len());
    (logic, analog)
}

#[test]
fn issue_16_can_round_trips_frames_and_injected_errors() {
    let w = Workdir::new();
    for (nominal, fast) in [(1e6 / 8.0, 1e6 / 4.0), (1e6 / 1000.0, 1e6 / 500.0)] {
        let cfg = CanSynthConfig {
            sample_rate: 1e6,
            nominal_bitrate: nominal,
            fast_bitrate: fast,
            frames: can_frames(),
            ..CanSynthConfig::default()
        };
        let (logic, _) = can_capture(&cfg);
        let f = write_logic(&w, "can.npy", &[logic]);
        let (nb, fb) = (nominal.to_string(), fast.to_string());
        let json = w.stdout(&[
            "decode",
            "can",
            &f,
            "-r",
            "1M",
            "--rx",
            "0",
            "--bitrate",
            &nb,
            "--fast-bitrate",
            &fb,
            "--format",
            "json",
            "-q",
        ]);
        assert_eq!(
            json_field(&json, "frame", "id"),
            ["0x123", "0x01234567", "0x321", "0x456", "0x100"],
            "{nominal}"
        );
        assert_eq!(json_field(&json, "frame", "data")[2], ["55"; 12].join(" "));
        // The FD frame (2) may carry sigrok's late-CRC-delimiter quirk (docs/decode.md).
        let mut errors = json_field(&json, "frame", "error");
        errors.remove(2);
        assert_eq!(errors, ["", "", "crc", "nack"], "{nominal}");
    }
}

#[test]
fn issue_16_can_analog_with_noise_and_ringing_decodes_like_logic_at_every_chunk() {
    let w = Workdir::new();
    let cfg = CanSynthConfig {
        sample_rate: 1e6,
        nominal_bitrate: 1e5,
        fast_bitrate: 2e5,
        frames: can_frames(),
        analog: noisy(),
        seed: 11,
        ..CanSynthConfig::default()
    };
    let (logic, analog) = can_capture(&cfg);
    let lf = write_logic(&w, "logic.npy", &[logic]);
    let af = write_analog(&w, "analog.npy", &[analog]);
    let base = [
        "decode",
        "can",
        "-r",
        "1M",
        "--rx",
        "0",
        "--bitrate",
        "100k",
        "--fast-bitrate",
        "200k",
    ];
    let want = assert_analog_like_logic(&w, &lf, &af, |f, extra| with_file(&base, f, extra));
    assert_eq!(json_field(&want, "frame", "id").len(), 5);
}

#[test]
fn issue_16_decode_errors_name_the_problem() {
    let w = Workdir::new();
    let f = write_logic(&w, "x.npy", &[vec![0, 1, 0, 1], vec![1, 1, 1, 1]]);
    let e = w.error(&[
        "decode",
        "i2c",
        &f,
        "--scl",
        "0",
        "--sda",
        "1",
        "--format",
        "sigrok",
        "--annotations",
        "bogus",
    ]);
    assert!(e.contains("i2c has no class 'bogus'"), "{e}");
    let e = w.error(&["decode", "can", &f, "--rx", "0"]);
    assert!(e.contains("cannot decode without a sample rate"), "{e}");
    let e = w.error(&["decode", "i2c", &f, "--scl", "0", "--sda", "SDA"]);
    assert!(e.contains("SDA"), "{e}");
    let e = w.error(&[
        "decode",
        "i2c",
        &f,
        "--scl",
        "0",
        "--sda",
        "1",
        "--threshold",
        "clk=1",
    ]);
    assert!(e.contains("no signal clk"), "{e}");
}
