//! HDF5 input: detection, dataset listing, attributes, time base and streaming reads.
//!
//! This is the only module that touches `hdf5_reader` (pure Rust, read-only), so the rest of
//! tracekit sees plain types: [`DatasetInfo`], [`AttrValue`], [`TimeBase`] and a
//! [`FrameReader`] that hands out raw C-order bytes in the file's byte order, exactly like the
//! `.npy` path does. The library parses the structure (superblock, groups, object headers,
//! chunk indexes); the sample data are read by tracekit: contiguous data and unfiltered chunks
//! straight from the memory map, filtered chunks decoded one per worker (`chunked`, `decode`),
//! within a per-chunk budget ([`CHUNK_BUDGET`]). Objects the library cannot parse (virtual
//! datasets) are hidden from it and listed as unsupported (`hidden`).

mod attrs;
mod chunked;
mod chunks;
mod decode;
mod error;
mod file;
mod frames;
mod hidden;
mod timebase;

pub use attrs::{AttrValue, ObjectAttributes};
pub use chunks::CHUNK_BUDGET;
pub use error::H5Error;
pub use file::{DatasetInfo, FrameShape, H5File, Layout};
pub use frames::{FrameReader, Hdf5Frames};
pub use timebase::{Sourced, TimeBase};

use super::source::{FrameSource, MappedFrames, PlanarFrames};
use super::{FormatDetails, Input, Layout as FrameLayout, LoaderError, Sniff, Trace, TraceInfo};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use std::sync::Arc;

pub struct Hdf5;

impl super::Format for Hdf5 {
    fn name(&self) -> &'static str {
        "hdf5"
    }

    fn sniff(&self, head: &[u8], extension: &str) -> Sniff {
        let extension = matches!(extension, "h5" | "hdf5" | "hdf" | "he5");
        Sniff::by(sniff(head).is_some(), extension)
    }

    fn open(&self, input: Input<'_>) -> Result<Trace, LoaderError> {
        let Input {
            file,
            path,
            name,
            size,
            opts,
            ..
        } = input;
        let h5err = |e: H5Error| LoaderError::Hdf5(e.to_string());
        let h5 = H5File::open(path).map_err(h5err)?;
        let chosen = h5.choose_dataset(opts.dataset.as_deref()).map_err(h5err)?;
        let reader = h5.reader(&chosen.path).map_err(h5err)?;
        let (samples, channels) = (reader.frames(), reader.channels());
        let (dtype, endian) = (reader.dtype(), reader.endian());
        let time = h5.time_base(&chosen.path).map_err(h5err)?;
        let details = Hdf5Info {
            dataset: chosen.path.clone(),
            datasets: h5.datasets().map_err(h5err)?,
            attributes: h5.attributes(&chosen.path).map_err(h5err)?,
            start_time_source: time.start_time.as_ref().map(|s| s.source.clone()),
        };
        let frame_bytes = dtype.size() * channels;
        // Contiguous, unfiltered data is mapped like a .npy; the rest is decoded chunk by chunk.
        let (source, layout): (Box<dyn FrameSource>, FrameLayout) = match chosen.data_offset {
            Some(offset) if !reader.channels_first() => (
                Box::new(MappedFrames::new(
                    file,
                    name.clone(),
                    offset,
                    frame_bytes,
                    samples * frame_bytes as u64,
                )),
                FrameLayout::Interleaved,
            ),
            Some(offset) => (
                Box::new(PlanarFrames::new(
                    file,
                    name.clone(),
                    offset,
                    samples,
                    channels,
                    dtype.size(),
                )),
                FrameLayout::Planar,
            ),
            None => (Box::new(Hdf5Frames::new(reader)), FrameLayout::Interleaved),
        };
        let mut info = TraceInfo::plain(
            name.clone(),
            "hdf5",
            (dtype, endian),
            chosen.shape.clone(),
            Some(samples),
            channels,
        )?;
        info.layout = layout;
        info.sample_rate = time.sample_rate.as_ref().map(|s| s.value);
        info.rate_source = time.sample_rate.map(|s| s.source);
        info.start_time = time.start_time.map(|s| s.value);
        info.file_size = Some(size);
        info.data_offset = chosen.data_offset;
        info.warnings = time.notes.iter().map(|n| format!("{name}: {n}")).collect();
        info.details = Some(Arc::new(details));
        Ok(Trace { info, source })
    }
}

/// What `info` shows of an HDF5 file: every dataset, the chosen one, its attributes and its
/// parents' (SPEC §4).
#[derive(Debug, Serialize)]
pub struct Hdf5Info {
    /// The dataset read.
    pub dataset: String,
    #[serde(serialize_with = "dataset_listing")]
    pub datasets: Vec<DatasetInfo>,
    /// Object path → attribute name → value, the dataset first, then each parent group.
    #[serde(serialize_with = "attribute_map")]
    pub attributes: Vec<ObjectAttributes>,
    /// Where the time of the first sample came from.
    pub start_time_source: Option<String>,
}

/// One dataset of the listing, as `info --json` shows it.
#[derive(Serialize)]
struct ListedDataset<'a> {
    path: &'a str,
    /// None when unknown (a dataset tracekit cannot read).
    shape: Option<&'a [u64]>,
    dtype: &'a str,
    layout: &'static str,
    chunks: &'a Option<Vec<u64>>,
    filters: &'a [String],
    /// Why tracekit cannot read it; only present for such datasets.
    #[serde(skip_serializing_if = "Option::is_none")]
    unsupported: Option<&'a str>,
}

impl<'a> From<&'a DatasetInfo> for ListedDataset<'a> {
    fn from(d: &'a DatasetInfo) -> Self {
        ListedDataset {
            path: &d.path,
            shape: d.unsupported.is_none().then_some(d.shape.as_slice()),
            dtype: &d.type_name,
            layout: d.layout.name(),
            chunks: &d.chunk_shape,
            filters: &d.filters,
            unsupported: d.unsupported.as_deref(),
        }
    }
}

fn dataset_listing<S: Serializer>(datasets: &[DatasetInfo], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(datasets.iter().map(ListedDataset::from))
}

fn attribute_map<S: Serializer>(objects: &[ObjectAttributes], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(objects.iter().map(|o| {
        let values: Map<String, Value> = o
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        (&o.object, values)
    }))
}

impl FormatDetails for Hdf5Info {
    fn json(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }

    fn tables(&self) -> Vec<(Vec<String>, Vec<Vec<String>>)> {
        let text = |v: &Value| match v {
            Value::Null => "-".to_string(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let cells = |v: Result<Value, serde_json::Error>| v.as_ref().map_or("-".into(), text);
        let datasets = self
            .datasets
            .iter()
            .map(|d| {
                let mark = if d.path == self.dataset { "*" } else { "" };
                let layout = match &d.unsupported {
                    Some(_) => format!("{} (unsupported)", d.layout.name()),
                    None => d.layout.name().to_string(),
                };
                let shape = match &d.unsupported {
                    Some(_) => "-".to_string(),
                    None => cells(serde_json::to_value(&d.shape)),
                };
                vec![
                    format!("{mark}{}", d.path),
                    shape,
                    d.type_name.clone(),
                    layout,
                    cells(serde_json::to_value(&d.chunk_shape)),
                    cells(serde_json::to_value(&d.filters)),
                ]
            })
            .collect();
        let header = [
            "dataset (* = used)",
            "shape",
            "dtype",
            "layout",
            "chunks",
            "filters",
        ];
        let mut tables = vec![(header.map(String::from).to_vec(), datasets)];
        let attributes: Vec<Vec<String>> = self
            .attributes
            .iter()
            .flat_map(|o| {
                o.attributes
                    .iter()
                    .map(|(k, v)| vec![o.object.clone(), k.clone(), text(&v.to_json())])
            })
            .collect();
        if !attributes.is_empty() {
            let header = ["object", "attribute", "value"];
            tables.push((header.map(String::from).to_vec(), attributes));
        }
        tables
    }
}

/// The 8-byte HDF5 format signature.
pub const SIGNATURE: &[u8; 8] = b"\x89HDF\r\n\x1a\n";

/// Returns the superblock offset when `bytes` (a prefix or the whole mapped file) carries the
/// HDF5 signature at 0, 512, 1024, 2048, … (HDF5 allows a user block of those sizes).
pub fn sniff(bytes: &[u8]) -> Option<u64> {
    let mut offset = 0usize;
    loop {
        if bytes.get(offset..offset.checked_add(SIGNATURE.len())?)? == SIGNATURE {
            return u64::try_from(offset).ok();
        }
        offset = if offset == 0 {
            512
        } else {
            offset.checked_mul(2)?
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_finds_signature_at_power_of_two_offsets() {
        let mut bytes = vec![0u8; 4096];
        assert_eq!(sniff(&bytes), None);
        bytes[2048..2056].copy_from_slice(SIGNATURE);
        assert_eq!(sniff(&bytes), Some(2048));
        bytes[512..520].copy_from_slice(SIGNATURE);
        assert_eq!(sniff(&bytes), Some(512));
        // Not at a permitted offset.
        let mut odd = vec![0u8; 4096];
        odd[100..108].copy_from_slice(SIGNATURE);
        assert_eq!(sniff(&odd), None);
        assert_eq!(sniff(&SIGNATURE[..7]), None);
        assert_eq!(sniff(SIGNATURE), Some(0));
    }
}
