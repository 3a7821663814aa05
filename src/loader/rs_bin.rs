//! Rohde & Schwarz waveform exports (RTP, RTO, RTE, MXO): an XML header `name.bin` and the
//! samples in `name.Wfm.bin`. Either file may be opened.
//!
//! Learned from the R&S user manuals ("Data conversion" of waveform export) and RigolWFM's
//! rohde_schwarz .ksy. The XML is a `<Database>` of `<Prop Name=".." Value=".."/>` entries;
//! per-channel values of a multi-channel export sit in `I_0`..`I_3` attributes. The data file
//! starts with two little-endian u32 (format code, hardware record length), then the
//! hardware record: `LeadingSettlingSamples` before the `RecordLength` points the scope shows,
//! channels interleaved per point. Formats: FLOAT (f32 values), INT8BIT/INT16BIT (ADC codes,
//! value = code × VerticalScale × VerticalDivisionCount / NofQuantisationLevels +
//! VerticalOffset − VerticalScale × VerticalPosition) and XYDOUBLEFLOAT (an f64 time before
//! each point's f32 values). Samples are little-endian whatever `ByteOrder` says: the
//! fixtures say MSB_FIRST over little-endian floats that match the scope's CSV export.

use super::XUnit;
use super::layout::{Channel, Column, Layout, Run, VendorMeta};
use super::scope::FormatError;
use super::scope::describe::{push_some, si};
use super::scope::read::{self, Fields, ReadAt};
use crate::sample::{DType, Endian};
use serde::Serialize;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub const NAME: &str = "rs-bin";

/// The loader's handle on this format.
pub struct RsBin;

impl crate::loader::Format for RsBin {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, head: &[u8], extension: &str) -> crate::loader::Sniff {
        crate::loader::Sniff::by(is_xml_header(head), extension == "wfm.bin")
    }

    fn open(
        &self,
        input: crate::loader::Input<'_>,
    ) -> Result<crate::loader::Trace, crate::loader::LoaderError> {
        crate::loader::layout::open_with(input, NAME, parse)
    }
}

/// Largest XML header read (real ones are ~70 KB, most of it a preview image).
const MAX_XML: u64 = 16 << 20;
/// XML nodes roxmltree may build.
const MAX_XML_NODES: u32 = 200_000;
/// The data file's own header: format code and record length.
const DATA_HEADER: u64 = 8;

#[derive(Debug, Error)]
pub enum RsError {
    #[error("the XML header is not valid XML: {0}")]
    Xml(String),
    #[error("the XML header has no {0} property")]
    Missing(&'static str),
    #[error("{name} is {value:?}: {why}")]
    BadValue {
        name: String,
        value: String,
        why: &'static str,
    },
    #[error("unsupported signal format {0} (FLOAT, INT8BIT, INT16BIT and XYDOUBLEFLOAT are read)")]
    SignalFormat(String),
    #[error("unsupported record: {0}")]
    Unsupported(String),
    #[error("the data file says {what} {data} but the XML header says {xml}")]
    Mismatch {
        what: &'static str,
        data: u64,
        xml: u64,
    },
    #[error(
        "LeadingSettlingSamples {lead} + RecordLength {record} exceed the hardware record of {hardware}"
    )]
    Window {
        lead: u64,
        record: u64,
        hardware: u64,
    },
    #[error("the multi-channel export enables no channel")]
    NoChannel,
    #[error("cannot open the companion {role} {path}: {source}")]
    Companion {
        role: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// One exported channel's vertical settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RsChannelMeta {
    pub source: String,
    pub vertical_scale: f64,
    pub vertical_offset: f64,
    pub vertical_position: f64,
}

/// What `info` shows for an R&S export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RsMeta {
    pub firmware: String,
    pub signal_format: String,
    pub channels: Vec<RsChannelMeta>,
    pub y_unit: String,
    pub record_length: u64,
    pub hardware_record_length: u64,
    pub leading_settling_samples: u64,
    pub resolution: Option<f64>,
    pub x_start: Option<f64>,
    pub x_stop: Option<f64>,
    pub time_scale: Option<f64>,
    pub reference_point_percent: Option<f64>,
    pub trigger_offset: Option<f64>,
    pub quantisation_levels: Option<f64>,
    pub impedance: Option<f64>,
    pub acquisitions: u64,
    /// The `Timestamp` text as the scope wrote it, and whether `TimestampState` says it is
    /// the acquisition's (the fixtures carry one with the state OFF).
    pub timestamp: Option<String>,
    pub timestamp_on: bool,
    pub trace_type: String,
    pub decimation: String,
    pub enhancement: String,
    /// What the header claims; the data is read little-endian (see the module doc).
    pub byte_order_claimed: String,
}

impl VendorMeta for RsMeta {
    fn rows(&self) -> Vec<(String, String)> {
        let mut rows = vec![(
            "Format".to_string(),
            format!("Rohde & Schwarz waveform export, {}", self.signal_format),
        )];
        push_some(&mut rows, "Firmware", Some(self.firmware.clone()));
        for ch in &self.channels {
            rows.push((
                format!("{} vertical", ch.source),
                format!(
                    "{}, offset {}, position {} div",
                    si(ch.vertical_scale, &format!("{}/div", self.y_unit), 4),
                    si(ch.vertical_offset, &self.y_unit, 4),
                    ch.vertical_position
                ),
            ));
        }
        let mut length = format!("{} points", self.record_length);
        if self.hardware_record_length != self.record_length {
            length += &format!(
                " (of a hardware record of {}, from point {})",
                self.hardware_record_length, self.leading_settling_samples
            );
        }
        rows.push(("Record length".into(), length));
        push_some(
            &mut rows,
            "Resolution",
            self.resolution.map(|r| si(r, "s", 6)),
        );
        push_some(
            &mut rows,
            "Time scale",
            self.time_scale.map(|t| si(t, "s/div", 4)),
        );
        if let (Some(a), Some(b)) = (self.x_start, self.x_stop) {
            rows.push((
                "X range".into(),
                format!("{} to {}", si(a, "s", 6), si(b, "s", 6)),
            ));
        }
        push_some(
            &mut rows,
            "Reference point",
            self.reference_point_percent.map(|r| format!("{r} %")),
        );
        push_some(
            &mut rows,
            "Impedance",
            self.impedance.map(|z| si(z, "Ω", 4)),
        );
        push_some(
            &mut rows,
            "Timestamp",
            self.timestamp.as_ref().map(|t| {
                let state = if self.timestamp_on {
                    ""
                } else {
                    " (TimestampState off)"
                };
                format!("{t}{state}")
            }),
        );
        rows.push(("Trace type".into(), self.trace_type.clone()));
        rows.push(("Decimation".into(), self.decimation.clone()));
        rows
    }
}

/// True for the XML header of an export (the data file has no magic: the loader recognises
/// it by its compound extension `wfm.bin`).
pub fn is_xml_header(head: &[u8]) -> bool {
    head.starts_with(b"<?xml")
        && contains(head, b"<Database")
        && (contains(head, b"SignalFormat") || contains(head, b"ReferenceCurveAttributes"))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// True when `path` names the data file of a pair (`*.Wfm.bin`, any case).
pub fn is_data_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".wfm.bin"))
}

/// The two names of a pair, from either: (`x.bin`, `x.Wfm.bin`).
pub fn pair_names(path: &Path) -> (PathBuf, PathBuf) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = if is_data_file(path) {
        &name[..name.len() - ".wfm.bin".len()]
    } else {
        name.strip_suffix(".bin").unwrap_or(&name)
    };
    (
        path.with_file_name(format!("{stem}.bin")),
        path.with_file_name(format!("{stem}.Wfm.bin")),
    )
}

/// Parse a pair opened by either name: the other file is found beside it.
pub fn parse(file: &std::fs::File, path: &Path, size: u64) -> Result<Layout<RsMeta>, FormatError> {
    let (xml_path, data_path) = pair_names(path);
    let open = |role, p: &Path| {
        std::fs::File::open(p).map_err(|source| RsError::Companion {
            role,
            path: p.to_path_buf(),
            source,
        })
    };
    let file_size = |f: &std::fs::File, p: &Path| {
        f.metadata()
            .map(|m| m.len())
            .map_err(|source| FormatError::Io {
                what: p.display().to_string(),
                source,
            })
    };
    if is_data_file(path) {
        let xml_file = open("XML header", &xml_path)?;
        let xml = read_xml(&xml_file, file_size(&xml_file, &xml_path)?)?;
        parse_pair(&xml, file, size, None)
    } else {
        let xml = read_xml(file, size)?;
        let data_file = open("data file", &data_path)?;
        let data_size = file_size(&data_file, &data_path)?;
        let name = data_path.file_name().map(PathBuf::from);
        parse_pair(&xml, &data_file, data_size, name)
    }
}

fn read_xml(src: &(impl ReadAt + ?Sized), size: u64) -> Result<Vec<u8>, FormatError> {
    let len = read::at_most("the XML header size", size, MAX_XML)?;
    read::read_block(src, size, 0, len, "the XML header")
}

/// Parse the XML header `xml` and the data file `data` of `data_size` bytes; `data_name` is
/// the data file's name when it is not the file being opened.
pub fn parse_pair(
    xml: &[u8],
    data: &(impl ReadAt + ?Sized),
    data_size: u64,
    data_name: Option<PathBuf>,
) -> Result<Layout<RsMeta>, FormatError> {
    let text = std::str::from_utf8(xml).map_err(|e| RsError::Xml(e.to_string()))?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| RsError::Xml(e.to_string()))?;
    let props = Props::new(&doc);
    let head = read::read_block(data, data_size, 0, DATA_HEADER, "the data file header")?;
    let f = Fields::new(&head, Endian::Little);
    let (format_code, data_record) = (u64::from(f.u32(0)?), u64::from(f.u32(4)?));

    let format = props.require("SignalFormat")?;
    let kind = SampleKind::of(format)?;
    if format_code != kind.code {
        return Err(RsError::Mismatch {
            what: "format code",
            data: format_code,
            xml: kind.code,
        }
        .into());
    }
    let acquisitions = props.integer("NumberOfAcquisitions")?.unwrap_or(1);
    if acquisitions > 1 {
        return Err(RsError::Unsupported(format!(
            "history export of {acquisitions} acquisitions (NumberOfAcquisitions)"
        ))
        .into());
    }
    if let Some(n) = props.integer("ValuesPerSample")?.filter(|&n| n != 1) {
        return Err(RsError::Unsupported(format!("{n} values per sample (envelope)")).into());
    }
    let trace_type = enum_value(
        props.value("TraceType").unwrap_or("NORMAL"),
        "eRS_TRACE_TYPE_",
    );
    if !matches!(trace_type.as_str(), "NORMAL" | "AVERAGE") {
        return Err(RsError::Unsupported(format!("{trace_type} trace")).into());
    }
    let record = props
        .integer("SignalRecordLength")?
        .or(props.integer("RecordLength")?)
        .ok_or(RsError::Missing("RecordLength"))?;
    let hardware = props
        .integer("SignalHardwareRecordLength")?
        .unwrap_or(data_record);
    if hardware != data_record {
        return Err(RsError::Mismatch {
            what: "record length",
            data: data_record,
            xml: hardware,
        }
        .into());
    }
    let lead = props.integer("LeadingSettlingSamples")?.unwrap_or(0);
    if lead.checked_add(record).is_none_or(|end| end > hardware) {
        return Err(RsError::Window {
            lead,
            record,
            hardware,
        }
        .into());
    }
    let channels = channel_settings(&props)?;
    let count = channels.len() as u64;
    let frame = kind.time_bytes + count * kind.dtype.size() as u64;
    let need = hardware
        .checked_mul(frame)
        .and_then(|b| b.checked_add(DATA_HEADER));
    let what = format!("{hardware} points of {frame} bytes after the 8-byte header");
    let end = read::check_inside(need, data_size, &what)?;
    let mut warnings = Vec::new();
    if end < data_size {
        warnings.push(format!(
            "the data file has {} bytes after the last point; they are ignored",
            data_size - end
        ));
    }
    let first = DATA_HEADER + lead * frame + kind.time_bytes;
    let width = kind.dtype.size() as u64;
    let columns = (0..count)
        .map(|c| Column {
            dtype: kind.dtype,
            endian: Endian::Little,
            runs: vec![Run {
                offset: first + c * width,
                samples: record,
                stride: frame,
            }],
        })
        .collect();
    let unit = props
        .attr("VerticalOffset", "UnitName")
        .map(str::to_string)
        .filter(|u| !u.is_empty());
    let quantisation = props.number("NofQuantisationLevels")?;
    let divisions = props.number("VerticalDivisionCount")?.unwrap_or(10.0);
    let layout_channels = channels
        .iter()
        .enumerate()
        .map(|(c, ch)| {
            let (gain, offset) = if kind.raw_codes {
                let levels = quantisation.ok_or(RsError::Missing("NofQuantisationLevels"))?;
                (
                    ch.vertical_scale * divisions / levels,
                    ch.vertical_offset - ch.vertical_scale * ch.vertical_position,
                )
            } else {
                (1.0, 0.0)
            };
            Ok(Channel {
                name: ch.source.clone(),
                unit: unit.clone(),
                column: c,
                bit: None,
                gain,
                offset,
                complex_i: false,
            })
        })
        .collect::<Result<Vec<_>, RsError>>()?;
    let resolution = props
        .number("SignalResolution")?
        .or(props.number("Resolution")?);
    let x_start = props.number("XStart")?;
    let x_unit = props.attr("Resolution", "UnitName").unwrap_or("s");
    let timestamp = props.value("Timestamp").map(str::to_string);
    let meta = RsMeta {
        firmware: props
            .value("FirmwareVersion")
            .unwrap_or_default()
            .to_string(),
        signal_format: enum_value(format, "eRS_SIGNAL_FORMAT_"),
        y_unit: unit.clone().unwrap_or_default(),
        channels,
        record_length: record,
        hardware_record_length: hardware,
        leading_settling_samples: lead,
        resolution,
        x_start,
        x_stop: props.number("XStop")?,
        time_scale: props.number("TimeScale")?,
        reference_point_percent: props.number("ReferencePoint")?,
        trigger_offset: props.number("TriggerOffset")?,
        quantisation_levels: quantisation,
        impedance: props.number("Impedance")?,
        acquisitions,
        timestamp,
        timestamp_on: props.value("TimestampState") == Some("eRS_ONOFF_ON"),
        trace_type,
        decimation: enum_value(
            props.value("DecimationMode").unwrap_or(""),
            "eRS_DECIMATION_MODE_",
        ),
        enhancement: enum_value(
            props.value("EnhancementMode").unwrap_or(""),
            "eRS_ENHANCEMENT_MODE_",
        ),
        byte_order_claimed: enum_value(props.value("ByteOrder").unwrap_or(""), "eRS_BYTE_ORDER_"),
    };
    Ok(Layout {
        data_file: data_name,
        columns,
        channels: layout_channels,
        samples: record,
        x_increment: resolution.filter(|r| *r > 0.0),
        x_unit: XUnit::from_name(x_unit),
        x_origin: x_start,
        segments: Vec::new(),
        warnings,
        meta,
    })
}

/// How a signal format stores a point.
struct SampleKind {
    code: u64,
    dtype: DType,
    /// ADC codes that need the vertical settings to become values.
    raw_codes: bool,
    /// Bytes of the x value stored before each point's values.
    time_bytes: u64,
}

impl SampleKind {
    fn of(format: &str) -> Result<SampleKind, RsError> {
        let kind = |code, dtype, raw_codes, time_bytes| SampleKind {
            code,
            dtype,
            raw_codes,
            time_bytes,
        };
        Ok(match enum_value(format, "eRS_SIGNAL_FORMAT_").as_str() {
            "INT8BIT" => kind(0, DType::I8, true, 0),
            "INT16BIT" => kind(1, DType::I16, true, 0),
            "FLOAT" => kind(4, DType::F32, false, 0),
            "XYDOUBLEFLOAT" => kind(6, DType::F32, false, 8),
            _ => return Err(RsError::SignalFormat(format.to_string())),
        })
    }
}

/// The exported channels: the enabled ones of a multi-channel export, else `Source`.
fn channel_settings(props: &Props) -> Result<Vec<RsChannelMeta>, FormatError> {
    let multi = props.value("MultiChannelExport") == Some("eRS_ONOFF_ON");
    if !multi {
        return Ok(vec![RsChannelMeta {
            source: source_name(props.value("Source").unwrap_or("")),
            vertical_scale: props.number("VerticalScale")?.unwrap_or(1.0),
            vertical_offset: props.number("VerticalOffset")?.unwrap_or(0.0),
            vertical_position: props.number("VerticalPosition")?.unwrap_or(0.0),
        }]);
    }
    let mut out = Vec::new();
    for i in 0..4 {
        let key = format!("I_{i}");
        if props.attr("MultiChannelExportState", &key) != Some("eRS_ONOFF_ON") {
            continue;
        }
        let per = |name: &'static str| props.attr_number(name, &key).map(|v| v.unwrap_or(0.0));
        out.push(RsChannelMeta {
            source: source_name(props.attr("MultiChannelSource", &key).unwrap_or("")),
            vertical_scale: per("MultiChannelVerticalScale")?,
            vertical_offset: per("MultiChannelVerticalOffset")?,
            vertical_position: per("MultiChannelVerticalPosition")?,
        });
    }
    if out.is_empty() {
        return Err(RsError::NoChannel.into());
    }
    Ok(out)
}

/// `eRS_SIGNAL_SOURCE_CH1_TR1` → `CH1_TR1`.
fn source_name(value: &str) -> String {
    let name = enum_value(value, "eRS_SIGNAL_SOURCE_");
    if name.is_empty() { "CH".into() } else { name }
}

fn enum_value(value: &str, prefix: &str) -> String {
    value.strip_prefix(prefix).unwrap_or(value).to_string()
}

/// The `<Prop>` elements by name (the first of each name).
struct Props<'a, 'input> {
    nodes: Vec<(&'a str, roxmltree::Node<'a, 'input>)>,
}

impl<'a, 'input> Props<'a, 'input> {
    fn new(doc: &'a roxmltree::Document<'input>) -> Props<'a, 'input> {
        let mut nodes: Vec<(&'a str, roxmltree::Node<'a, 'input>)> = Vec::new();
        for node in doc.descendants().filter(|n| n.has_tag_name("Prop")) {
            if let Some(name) = node.attribute("Name")
                && !nodes.iter().any(|(n, _)| *n == name)
            {
                nodes.push((name, node));
            }
        }
        Props { nodes }
    }

    fn attr(&self, name: &str, attr: &str) -> Option<&'a str> {
        self.nodes
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, node)| node.attribute(attr))
    }

    fn value(&self, name: &str) -> Option<&'a str> {
        self.attr(name, "Value")
    }

    fn require(&self, name: &'static str) -> Result<&'a str, RsError> {
        self.value(name).ok_or(RsError::Missing(name))
    }

    fn attr_number(&self, name: &str, attr: &str) -> Result<Option<f64>, RsError> {
        match self
            .attr(name, attr)
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            None => Ok(None),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| RsError::BadValue {
                    name: format!("{name} {attr}"),
                    value: v.to_string(),
                    why: "not a finite number",
                }),
        }
    }

    fn number(&self, name: &str) -> Result<Option<f64>, RsError> {
        self.attr_number(name, "Value")
    }

    fn integer(&self, name: &str) -> Result<Option<u64>, RsError> {
        match self.value(name).map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v.parse::<u64>().map(Some).map_err(|_| RsError::BadValue {
                name: name.to_string(),
                value: v.to_string(),
                why: "not a non-negative integer",
            }),
        }
    }
}
