//! HDF5 loader tests: real fixtures (values from expected.json, checked with h5py) and files
//! generated with hdf5-writer that are read back byte for byte.

use std::path::{Path, PathBuf};

use hdf5_writer::{
    AttributeBuilder, ByteOrder, DatasetBuilder, FilterDescription, Hdf5Builder, WriteOptions,
};
use tracekit::loader::hdf5::{AttrValue, FrameReader, H5Error, H5File, Layout, sniff};
use tracekit::sample::{DType, Endian};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hdf5");
const KEYSIGHT: &str = "keysight_infiniium_mso9254a_keysight1.h5";
const TEK: &str = "tektronix_dpo5000_tek1.h5";
const REDPITAYA: &str = "redpitaya_rpserver_500_2018-10-01_164351.hdf";

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn read_windows(reader: &mut FrameReader, window: usize) -> Vec<u8> {
    let mut all = Vec::new();
    let mut buf = Vec::new();
    let mut start = 0u64;
    while start < reader.frames() {
        let n = window.min((reader.frames() - start) as usize);
        reader.read_frames(start, n, &mut buf).unwrap();
        assert_eq!(buf.len(), n * reader.frame_bytes());
        all.extend_from_slice(&buf);
        start += n as u64;
    }
    all
}

/// Whole dataset, checked identical for windows of 1, 7, 1000 and everything, and for a
/// backwards pass (cache invalidation).
fn read_all_checked(reader: &mut FrameReader) -> Vec<u8> {
    let whole = read_windows(reader, usize::MAX);
    for window in [1, 7, 1000] {
        assert_eq!(read_windows(reader, window), whole, "window {window}");
    }
    let frame = reader.frame_bytes();
    let mut buf = Vec::new();
    let frames = reader.frames();
    for start in (0..frames).rev().step_by(997) {
        let n = (frames - start).min(13) as usize;
        reader.read_frames(start, n, &mut buf).unwrap();
        let from = start as usize * frame;
        assert_eq!(buf, whole[from..from + n * frame], "backwards at {start}");
    }
    whole
}

/// float32 samples widened to f64, the form h5py/numpy printed them in expected.json.
fn f32s(bytes: &[u8]) -> Vec<f64> {
    bytes
        .chunks_exact(4)
        .map(|c| f64::from(f32::from_le_bytes(c.try_into().unwrap())))
        .collect()
}

fn attr<'a>(
    objects: &'a [tracekit::loader::hdf5::ObjectAttributes],
    object: &str,
    name: &str,
) -> &'a AttrValue {
    let object = objects.iter().find(|o| o.object == object).unwrap();
    &object.attributes.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn keysight_chunked_gzip() {
    let path = fixture(KEYSIGHT);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(sniff(&bytes), Some(0));
    let file = H5File::open(&path).unwrap();
    let all = file.datasets().unwrap();
    let paths: Vec<&str> = all.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/FileType/KeysightH5FileType",
            "/Frame/TheFrame",
            "/Waveforms/Memory 1/Memory 1Data"
        ]
    );
    assert_eq!(all[0].type_name, "string");
    assert_eq!(all[0].data_offset, Some(2432));
    assert_eq!(all[1].type_name, "compound");
    assert_eq!(all[1].data_offset, Some(2472));

    let info = file.choose_dataset(None).unwrap();
    assert_eq!(info.path, "/Waveforms/Memory 1/Memory 1Data");
    assert_eq!(info.shape, [100_000]);
    assert_eq!(info.dtype, Some((DType::F32, Endian::Little)));
    assert_eq!(info.layout, Layout::Chunked);
    assert_eq!(info.chunk_shape, Some(vec![100_000]));
    assert_eq!(info.filters, ["gzip(6)"]);
    assert_eq!(info.data_offset, None);

    let mut reader = file.reader(&info.path).unwrap();
    assert_eq!((reader.frames(), reader.channels()), (100_000, 1));
    let values = f32s(&read_all_checked(&mut reader));
    assert_eq!(
        values[..3],
        [
            -0.038149237632751465,
            -0.17905861139297485,
            0.07642193138599396
        ]
    );
    assert_eq!(
        values[99_997..],
        [
            0.15807035565376282,
            0.37667742371559143,
            -0.3028481602668762
        ]
    );
    let sum: f64 = values.iter().sum();
    assert!((sum - -12144.787897416405).abs() < 1e-6, "sum {sum}");
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert_eq!((min, max), (-8.819305419921875, 8.877331733703613));
    let mut distinct: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 8789);

    let time = file.time_base(&info.path).unwrap();
    let rate = time.sample_rate.unwrap();
    assert_eq!(rate.value, 1999999999.9999998);
    assert_eq!(rate.source, "attribute XInc on /Waveforms/Memory 1");
    let t0 = time.start_time.unwrap();
    assert_eq!(t0.value, -2.9076639421011206e-05);
    assert_eq!(t0.source, "attribute XOrg on /Waveforms/Memory 1");

    let objects = file.attributes(&info.path).unwrap();
    let names: Vec<&str> = objects.iter().map(|o| o.object.as_str()).collect();
    assert_eq!(
        names,
        [info.path.as_str(), "/Waveforms/Memory 1", "/Waveforms", "/"]
    );
    assert_eq!(
        *attr(&objects, &info.path, "RawNumPts"),
        AttrValue::Int(99_999)
    );
    assert_eq!(
        *attr(&objects, "/Waveforms/Memory 1", "XUnits"),
        AttrValue::Text("Second".into())
    );
    assert_eq!(
        *attr(&objects, "/Waveforms/Memory 1", "XInc"),
        AttrValue::Float(5e-10)
    );
    assert_eq!(
        *attr(&objects, "/Waveforms/Memory 1", "NumPoints"),
        AttrValue::Int(100_000)
    );
    assert_eq!(
        *attr(&objects, "/Waveforms/Memory 1", "InterpSetting"),
        AttrValue::Int(7)
    );
    assert_eq!(
        *attr(&objects, "/Waveforms/Memory 1", "XDispRange"),
        AttrValue::Float(4.999999873689376e-05)
    );
    assert_eq!(
        *attr(&objects, "/Waveforms", "NumWaveforms"),
        AttrValue::Int(1)
    );
}

#[test]
fn tektronix_contiguous_with_time_datasets() {
    let path = fixture(TEK);
    let bytes = std::fs::read(&path).unwrap();
    let file = H5File::open(&path).unwrap();
    let info = file.choose_dataset(None).unwrap();
    assert_eq!(info.path, "/Data");
    assert_eq!(info.dtype, Some((DType::F32, Endian::Little)));
    assert_eq!(info.layout, Layout::Contiguous);
    assert!(info.filters.is_empty());
    assert_eq!(info.data_offset, Some(2144));
    let spacing = file.dataset_info("/Spacing").unwrap();
    assert_eq!(
        (spacing.shape.as_slice(), spacing.data_offset),
        ([1u64].as_slice(), Some(42152))
    );

    let mut reader = file.reader("Data").unwrap();
    let raw = read_all_checked(&mut reader);
    // The contiguous offset really is where the samples are.
    assert_eq!(raw, bytes[2144..42144]);
    let values = f32s(&raw);
    assert_eq!(
        values[..3],
        [
            -0.05999999865889549,
            -0.10000000149011612,
            -0.019999999552965164
        ]
    );
    assert_eq!(
        values[9_997..],
        [
            -0.019999999552965164,
            -0.019999999552965164,
            0.020000001415610313
        ]
    );
    let sum: f64 = values.iter().sum();
    assert!((sum - 41.63999603688717).abs() < 1e-9, "sum {sum}");

    let time = file.time_base("/Data").unwrap();
    let rate = time.sample_rate.unwrap();
    assert_eq!(
        (rate.value, rate.source.as_str()),
        (1e8, "dataset /Spacing")
    );
    let t0 = time.start_time.unwrap();
    assert_eq!(
        (t0.value, t0.source.as_str()),
        (-8.2910541392286e-06, "dataset /StartTime")
    );
    assert!(time.notes.is_empty());
}

#[test]
fn redpitaya_int64_prefers_data_over_time_axis() {
    let path = fixture(REDPITAYA);
    let file = H5File::open(&path).unwrap();
    let info = file.choose_dataset(None).unwrap();
    assert_eq!(info.path, "/idata");
    assert_eq!(info.dtype, Some((DType::I64, Endian::Little)));
    assert_eq!(info.data_offset, Some(3328));
    assert_eq!(file.dataset_info("/time").unwrap().data_offset, Some(2048));

    let mut reader = file.reader(&info.path).unwrap();
    let values: Vec<i64> = read_all_checked(&mut reader)
        .chunks_exact(8)
        .map(|c| i64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    assert_eq!(values.len(), 160);
    assert_eq!(values[..3], [6, 4, 3]);
    assert_eq!(values[157..], [1, 5, 4]);
    assert_eq!(values.iter().sum::<i64>(), 545);

    let time = file.time_base("/idata").unwrap();
    let rate = time.sample_rate.unwrap();
    assert!(
        (rate.value / 163.5911529904455 - 1.0).abs() < 1e-9,
        "rate {}",
        rate.value
    );
    assert_eq!(
        rate.source,
        "dataset /time (median step of its first 160 values)"
    );
    let t0 = time.start_time.unwrap();
    assert_eq!(
        (t0.value, t0.source.as_str()),
        (0.002112, "first value of dataset /time")
    );

    let objects = file.attributes("/idata").unwrap();
    assert_eq!(*attr(&objects, "/idata", "wavelength"), AttrValue::Int(500));
    assert_eq!(
        *attr(&objects, "/idata", "laser_power"),
        AttrValue::Text("234".into())
    );
    assert_eq!(
        *attr(&objects, "/idata", "optical_filter"),
        AttrValue::Text("r".into())
    );
    assert_eq!(
        *attr(&objects, "/idata", "duty_cycle"),
        AttrValue::Text(String::new())
    );
}

#[test]
fn explicit_dataset_errors_are_clear() {
    let file = H5File::open(&fixture(KEYSIGHT)).unwrap();
    let chosen = file
        .choose_dataset(Some("Waveforms/Memory 1/Memory 1Data"))
        .unwrap();
    assert_eq!(chosen.path, "/Waveforms/Memory 1/Memory 1Data");

    let err = file.choose_dataset(Some("/nope")).unwrap_err();
    assert!(matches!(err, H5Error::DatasetNotFound { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("/nope")
            && text.contains("/Waveforms/Memory 1/Memory 1Data [100000] float32"),
        "{text}"
    );

    let err = file
        .choose_dataset(Some("/FileType/KeysightH5FileType"))
        .unwrap_err();
    assert!(
        matches!(err, H5Error::NotNumeric { ref type_name, .. } if type_name == "string"),
        "{err}"
    );
    let err = file.reader("/Frame/TheFrame").err().unwrap();
    assert!(
        matches!(err, H5Error::NotNumeric { ref type_name, .. } if type_name == "compound"),
        "{err}"
    );
    let err = file.reader("/Waveforms/none").err().unwrap();
    assert!(matches!(err, H5Error::DatasetNotFound { .. }), "{err}");

    let mut reader = file.reader(&chosen.path).unwrap();
    let mut buf = Vec::new();
    let err = reader.read_frames(99_999, 2, &mut buf).unwrap_err();
    assert!(
        matches!(
            err,
            H5Error::OutOfRange {
                frames: 100_000,
                ..
            }
        ),
        "{err}"
    );
    reader.read_frames(100_000, 0, &mut buf).unwrap();
    assert!(buf.is_empty());
}

fn write_file(builder: Hdf5Builder) -> tempfile::NamedTempFile {
    write_file_in(builder, ByteOrder::LittleEndian)
}

fn write_file_in(builder: Hdf5Builder, byte_order: ByteOrder) -> tempfile::NamedTempFile {
    let options = WriteOptions {
        byte_order,
        ..WriteOptions::default()
    };
    let bytes = builder.into_plan().unwrap().encode(options).unwrap();
    write_bytes(&bytes)
}

fn write_bytes(bytes: &[u8]) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    file
}

fn deflate(level: u32) -> FilterDescription {
    FilterDescription {
        id: 1,
        name: None,
        client_data: vec![level],
    }
}

fn plain_filter(id: u16) -> FilterDescription {
    FilterDescription {
        id,
        name: None,
        client_data: vec![],
    }
}

#[test]
fn generated_nested_big_endian_with_attributes() {
    let values: Vec<i16> = (0..5000).map(|i| (i * 13 - 30_000) as i16).collect();
    let signal =
        DatasetBuilder::typed_with_order::<i16>("acq/run1/signal", [5000], ByteOrder::BigEndian)
            .data(&values)
            .unwrap()
            .attribute(AttributeBuilder::fixed_string("units", "V"))
            .attribute(AttributeBuilder::scalar("gain", 7i32).unwrap())
            .attribute(AttributeBuilder::vector("coeffs", &[0.5f64, 2.0]).unwrap())
            .attribute(AttributeBuilder::vlen_strings("notes", &["probe 10x"]).unwrap());
    let builder = Hdf5Builder::new()
        .dataset(signal)
        .dataset(
            DatasetBuilder::typed_with_order::<f64>("acq/run1/t0", [1], ByteOrder::BigEndian)
                .data(&[1.25f64])
                .unwrap(),
        )
        .group_attribute(
            "acq",
            AttributeBuilder::scalar("SampleRate", 2.5e6f64).unwrap(),
        )
        .attribute(AttributeBuilder::scalar("version", 3u8).unwrap());
    let tmp = write_file_in(builder, ByteOrder::BigEndian);
    let file = H5File::open(tmp.path()).unwrap();
    let info = file.choose_dataset(None).unwrap();
    assert_eq!(info.path, "/acq/run1/signal");
    assert_eq!(info.dtype, Some((DType::I16, Endian::Big)));
    assert_eq!(info.layout, Layout::Contiguous);
    let offset = info.data_offset.unwrap() as usize;
    let expected: Vec<u8> = values.iter().flat_map(|v| v.to_be_bytes()).collect();
    assert_eq!(
        std::fs::read(tmp.path()).unwrap()[offset..offset + 10_000],
        expected
    );
    let mut reader = file.reader(&info.path).unwrap();
    assert_eq!(reader.endian(), Endian::Big);
    assert_eq!(read_all_checked(&mut reader), expected);

    let time = file.time_base(&info.path).unwrap();
    let rate = time.sample_rate.unwrap();
    assert_eq!(
        (rate.value, rate.source.as_str()),
        (2.5e6, "attribute SampleRate on /acq")
    );
    let t0 = time.start_time.unwrap();
    assert_eq!(
        (t0.value, t0.source.as_str()),
        (1.25, "dataset /acq/run1/t0")
    );

    let objects = file.attributes(&info.path).unwrap();
    let names: Vec<&str> = objects.iter().map(|o| o.object.as_str()).collect();
    assert_eq!(names, ["/acq/run1/signal", "/acq/run1", "/acq", "/"]);
    let path = info.path.as_str();
    assert_eq!(*attr(&objects, path, "units"), AttrValue::Text("V".into()));
    assert_eq!(*attr(&objects, path, "gain"), AttrValue::Int(7));
    assert_eq!(
        *attr(&objects, path, "coeffs"),
        AttrValue::Array(vec![AttrValue::Float(0.5), AttrValue::Float(2.0)])
    );
    assert_eq!(
        *attr(&objects, path, "notes"),
        AttrValue::Array(vec![AttrValue::Text("probe 10x".into())])
    );
    assert_eq!(
        *attr(&objects, "/acq", "SampleRate"),
        AttrValue::Float(2.5e6)
    );
    assert_eq!(*attr(&objects, "/", "version"), AttrValue::UInt(3));
}

#[test]
fn generated_chunked_filters_2d_and_compact() {
    let n = 100_003usize;
    let wave: Vec<f32> = (0..n)
        .map(|i| ((i as f32) * 0.01).sin() * 3.0 + (i % 7) as f32)
        .collect();
    let grid: Vec<u16> = (0..1000 * 3).map(|i| (i * 7 % 65_521) as u16).collect();
    let channels_first: Vec<i32> = (0..2 * 500).map(|i| i * 1000 - 7).collect();
    let tiny: Vec<u8> = (10..20).collect();
    let builder = Hdf5Builder::new()
        .dataset(
            DatasetBuilder::typed_data("wave", [n as u64], &wave)
                .unwrap()
                .chunked([4096])
                .filter(plain_filter(2))
                .filter(deflate(4))
                .filter(plain_filter(3))
                .attribute(AttributeBuilder::scalar("dt", 1e-6f64).unwrap()),
        )
        .dataset(
            DatasetBuilder::typed_data("grid/samples", [1000, 3], &grid)
                .unwrap()
                .chunked([96, 2]),
        )
        .dataset(DatasetBuilder::typed_data("grid/by_channel", [2, 500], &channels_first).unwrap())
        .dataset(
            DatasetBuilder::typed_data("tiny", [10], &tiny)
                .unwrap()
                .compact(),
        );
    let tmp = write_file(builder);
    let file = H5File::open(tmp.path()).unwrap();

    let info = file.dataset_info("/wave").unwrap();
    assert_eq!(info.layout, Layout::Chunked);
    assert_eq!(info.chunk_shape, Some(vec![4096]));
    assert_eq!(info.filters, ["shuffle", "gzip(4)", "fletcher32"]);
    assert_eq!(info.data_offset, None);
    let mut reader = file.reader("/wave").unwrap();
    let expected: Vec<u8> = wave.iter().flat_map(|v| v.to_le_bytes()).collect();
    assert_eq!(read_all_checked(&mut reader), expected);
    let rate = file.time_base("/wave").unwrap().sample_rate.unwrap();
    assert_eq!(
        (rate.value, rate.source.as_str()),
        (1e6, "attribute dt on /wave")
    );

    let info = file.dataset_info("/grid/samples").unwrap();
    let shape = info.frame_shape().unwrap();
    assert_eq!(
        (shape.frames, shape.channels, shape.channels_first),
        (1000, 3, false)
    );
    let mut reader = file.reader("/grid/samples").unwrap();
    let expected: Vec<u8> = grid.iter().flat_map(|v| v.to_le_bytes()).collect();
    assert_eq!(read_all_checked(&mut reader), expected);

    // (2, 500): channels x samples, read as 500 frames of 2 channels.
    let mut reader = file.reader("/grid/by_channel").unwrap();
    assert!(reader.channels_first());
    assert_eq!((reader.frames(), reader.channels()), (500, 2));
    let expected: Vec<u8> = (0..500)
        .flat_map(|f| [channels_first[f], channels_first[500 + f]])
        .flat_map(|v| v.to_le_bytes())
        .collect();
    assert_eq!(read_all_checked(&mut reader), expected);

    let info = file.dataset_info("/tiny").unwrap();
    assert_eq!((info.layout, info.data_offset), (Layout::Compact, None));
    assert_eq!(read_all_checked(&mut file.reader("/tiny").unwrap()), tiny);

    // Four numeric datasets of comparable size: no silent guess.
    let err = file.choose_dataset(None).unwrap_err();
    assert!(matches!(err, H5Error::Ambiguous { .. }), "{err}");
    assert!(err.to_string().contains("/wave [100003] float32"), "{err}");
}

#[test]
fn generated_time_axis_uniform_and_not() {
    let n = 70_000usize; // more than the probe, so the span check matters
    let data: Vec<f64> = (0..n).map(|i| (i as f64).cos()).collect();
    let uniform: Vec<f64> = (0..n).map(|i| 5.0 + i as f64 * 2e-3).collect();
    let mut jump = uniform.clone();
    for t in &mut jump[69_000..] {
        *t += 1.0;
    }
    for (axis, uniform_expected) in [(uniform, true), (jump, false)] {
        let builder = Hdf5Builder::new()
            .dataset(DatasetBuilder::typed_data("ch/volts", [n as u64], &data).unwrap())
            .dataset(
                DatasetBuilder::typed_data("ch/Time", [n as u64], &axis)
                    .unwrap()
                    .chunked([8192]),
            );
        let tmp = write_file(builder);
        let file = H5File::open(tmp.path()).unwrap();
        assert_eq!(file.choose_dataset(None).unwrap().path, "/ch/volts");
        let time = file.time_base("/ch/volts").unwrap();
        assert_eq!(time.start_time.unwrap().value, 5.0);
        if uniform_expected {
            let rate = time.sample_rate.unwrap();
            assert!((rate.value - 500.0).abs() < 1e-6, "{}", rate.value);
            assert_eq!(
                rate.source,
                "dataset /ch/Time (median step of its first 65536 values)"
            );
        } else {
            assert_eq!(time.sample_rate, None);
            assert!(
                time.notes[0].contains("/ch/Time is not a uniform time axis"),
                "{:?}",
                time.notes
            );
        }
    }
}

#[test]
fn no_waveform_and_unsupported_filter() {
    let builder = Hdf5Builder::new()
        .dataset(DatasetBuilder::fixed_string_data("label", [1], &["hello"]).unwrap())
        .dataset(DatasetBuilder::typed_data("one", [1], &[3.0f64]).unwrap());
    let tmp = write_file(builder);
    let err = H5File::open(tmp.path())
        .unwrap()
        .choose_dataset(None)
        .unwrap_err();
    assert!(matches!(err, H5Error::NoWaveform { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("/label [1] string, /one [1] float64"),
        "{err}"
    );

    // hdf5-writer only writes known filters: write fletcher32 (id 3) and patch the id to 7,
    // then fix the object header checksum.
    let values: Vec<f32> = (0..1000).map(|i| i as f32).collect();
    let builder = Hdf5Builder::new().dataset(
        DatasetBuilder::typed_data("w", [1000], &values)
            .unwrap()
            .chunked([100])
            .filter(plain_filter(3)),
    );
    let mut bytes = builder
        .into_plan()
        .unwrap()
        .encode(WriteOptions::default())
        .unwrap();
    let message = [0x0b, 0x08, 0x00, 0x00, 0x02, 0x01, 0x03, 0x00];
    let at = bytes
        .windows(8)
        .position(|w| w == message)
        .expect("filter pipeline message");
    bytes[at + 6] = 7;
    let header = bytes[..at].windows(4).rposition(|w| w == b"OHDR").unwrap();
    let width = [1usize, 2, 4, 8][usize::from(bytes[header + 5] & 3)];
    let size = bytes[header + 6..header + 6 + width]
        .iter()
        .rev()
        .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
    let end = header + 6 + width + size;
    let checksum = hdf5_writer::jenkins_lookup3(&bytes[header..end]);
    bytes[end..end + 4].copy_from_slice(&checksum.to_le_bytes());
    let tmp = write_bytes(&bytes);
    let file = H5File::open(tmp.path()).unwrap();
    assert_eq!(file.dataset_info("/w").unwrap().filters, ["filter id 7"]);
    let err = file.reader("/w").err().unwrap();
    assert!(
        matches!(err, H5Error::UnsupportedFilter { ref filter, .. } if filter == "filter id 7"),
        "{err}"
    );
}

/// Calls every entry point; only panics matter to the caller.
fn exercise(path: &Path) -> Result<usize, H5Error> {
    let file = H5File::open(path)?;
    let mut total = file.datasets()?.len();
    let chosen = file.choose_dataset(None)?;
    file.dataset_info(&chosen.path)?;
    total += file.attributes(&chosen.path)?.len();
    file.time_base(&chosen.path)?;
    let mut reader = file.reader(&chosen.path)?;
    let mut buf = Vec::new();
    reader.read_frames(0, reader.frames() as usize, &mut buf)?;
    Ok(total + buf.len())
}

#[test]
fn truncated_and_damaged_files_give_errors_not_panics() {
    for name in [KEYSIGHT, TEK, REDPITAYA] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let len = bytes.len();
        assert!(exercise(&fixture(name)).is_ok());
        for cut in [0, 7, 100, 600, 2100, 2500, len / 2, len - 8, len - 1] {
            let tmp = write_bytes(&bytes[..cut]);
            let err = exercise(tmp.path()).expect_err("a truncated file must not read as complete");
            if cut >= 100 {
                assert!(
                    matches!(err, H5Error::TruncatedFile { expected, got, .. } if expected == len as u64 && got == cut as u64),
                    "{name} cut at {cut}: {err}"
                );
            }
        }
        // Damage instead of truncation (the size still matches): never a panic; some spots
        // are unused padding (Ok), others fail past the open (headers, heaps, deflate data).
        let (mut intact, mut deep_errors) = (0, 0);
        for at in (0..len).step_by(len / 40 + 1) {
            let mut damaged = bytes.clone();
            for b in &mut damaged[at..(at + 48).min(len)] {
                *b ^= 0xA5;
            }
            let tmp = write_bytes(&damaged);
            match exercise(tmp.path()) {
                Ok(_) => intact += 1,
                Err(H5Error::Open { .. }) => {}
                Err(_) => deep_errors += 1,
            }
        }
        assert!(
            intact > 0 && deep_errors > 0,
            "{name}: {intact} intact, {deep_errors} deep errors"
        );
    }
}
