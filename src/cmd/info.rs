//! `tracekit info FILE`: what a capture is, from its headers only.

use crate::cli::InfoArgs;
use crate::loader::{self, TraceInfo};
use crate::output::{self, table};
use crate::units::{format_rate, format_seconds};
use anyhow::Result;
use serde_json::{Value, json};
use std::io::Write;

pub fn run(args: &InfoArgs, quiet: bool) -> Result<()> {
    let trace = loader::open(&args.input.open_options())?;
    let info = &trace.info;
    super::warn_all(&info.warnings, quiet);
    let mut out = output::stdout();
    if args.json {
        writeln!(out, "{}", report(info))?;
    } else {
        writeln!(out, "{}", table::key_values(&rows(info)))?;
        if let Some(h5) = &info.hdf5 {
            write_hdf5_tables(&mut out, h5)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The `--json` object (SPEC §4 info keys; unknown values are null).
pub fn report(info: &TraceInfo) -> Value {
    let mut v = json!({
        "path": info.path,
        "format": info.format.name(),
        "dtype": info.dtype.numpy_name(),
        "byte_order": if info.dtype.size() == 1 { "none" } else { info.endian.name() },
        "shape": info.shape,
        "samples": info.samples,
        "channels": info.channels,
        "sample_rate": info.sample_rate,
        "rate_source": info.rate_source,
        "start_time_s": info.start_time,
        "duration_s": info.duration_s(),
        "file_size": info.file_size,
        "data_offset": info.data_offset,
    });
    if let (Some(extra), Some(obj)) = (&info.hdf5, v.as_object_mut())
        && let Some(extra) = extra.as_object()
    {
        for (k, val) in extra {
            obj.insert(k.clone(), val.clone());
        }
    }
    v
}

fn rows(info: &TraceInfo) -> Vec<(&'static str, String)> {
    let dash = || "-".to_string();
    let mut rows = vec![
        ("path", info.path.clone()),
        ("format", info.format.name().to_string()),
        ("dtype", info.dtype.numpy_name().to_string()),
        (
            "byte order",
            if info.dtype.size() == 1 {
                "-".into()
            } else {
                info.endian.name().to_string()
            },
        ),
        ("shape", format!("{:?}", info.shape)),
        (
            "samples",
            info.samples
                .map_or_else(|| "unknown (stream)".into(), |n| n.to_string()),
        ),
        ("channels", info.channels.to_string()),
        (
            "sample rate",
            match (info.sample_rate, &info.rate_source) {
                (Some(r), Some(src)) => format!("{} (from {src})", format_rate(r)),
                (Some(r), None) => format_rate(r),
                (None, _) => "unknown (pass -r RATE)".into(),
            },
        ),
        (
            "duration",
            info.duration_s().map_or_else(dash, format_seconds),
        ),
    ];
    if let Some(t0) = info.start_time {
        rows.push(("start time", format_seconds(t0)));
    }
    rows.push((
        "file size",
        info.file_size.map_or_else(dash, |s| s.to_string()),
    ));
    rows.push((
        "data offset",
        info.data_offset.map_or_else(dash, |s| s.to_string()),
    ));
    rows
}

/// HDF5: every dataset, then the chosen dataset's attributes (and its parents').
fn write_hdf5_tables(out: &mut impl Write, h5: &Value) -> Result<()> {
    let text = |v: &Value| match v {
        Value::Null => "-".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let datasets = h5["datasets"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let rows = datasets
        .iter()
        .map(|d| {
            let mark = if d["path"] == h5["dataset"] { "*" } else { "" };
            vec![
                format!("{mark}{}", text(&d["path"])),
                text(&d["shape"]),
                text(&d["dtype"]),
                text(&d["layout"]),
                text(&d["chunks"]),
                text(&d["filters"]),
            ]
        })
        .collect();
    writeln!(
        out,
        "{}",
        table::grid(
            &[
                "dataset (* = used)",
                "shape",
                "dtype",
                "layout",
                "chunks",
                "filters"
            ],
            rows
        )
    )?;
    if let Some(objects) = h5["attributes"].as_object() {
        let rows: Vec<Vec<String>> = objects
            .iter()
            .flat_map(|(object, attrs)| {
                attrs
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(move |(k, v)| vec![object.clone(), k.clone(), text(v)])
            })
            .collect();
        if !rows.is_empty() {
            writeln!(
                out,
                "{}",
                table::grid(&["object", "attribute", "value"], rows)
            )?;
        }
    }
    Ok(())
}
