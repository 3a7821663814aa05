//! Where the sample rate and the time of the first sample come from in an HDF5 capture:
//! attributes and one-value datasets with well-known names, nearest the dataset first, else
//! an explicit time-axis dataset.

use super::H5Error;
use super::attrs::{attr_value, decode_f64s};
use super::file::{DatasetInfo, H5File, join, normalize, numeric_type, parents};
use crate::sample::DType;
use hdf5_reader::{Attribute, Dataset};

/// How many values of an explicit time dataset are read to find its step.
pub(super) const TIME_PROBE: usize = 65_536;

pub(super) const RATE_NAMES: [&str; 5] = [
    "sample_rate",
    "samplerate",
    "sampling_rate",
    "samplingrate",
    "fs",
];
/// Names (lower case) of a sample interval in seconds.
pub(super) const INTERVAL_NAMES: [&str; 6] = [
    "dt",
    "sample_interval",
    "sampleinterval",
    "xinc",
    "x_increment",
    "spacing",
];
/// Names (lower case) of the time of the first sample.
pub(super) const START_NAMES: [&str; 5] = ["xorg", "x_origin", "starttime", "start_time", "t0"];
/// Names (lower case) of an explicit time-axis dataset; never picked as the waveform.
pub(super) const TIME_AXIS_NAMES: [&str; 7] = [
    "time",
    "times",
    "t",
    "x_axis",
    "xaxis",
    "timestamps",
    "time_s",
];

/// A value found in the file and where it came from, e.g. `attribute XInc on /Waveforms`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced {
    pub value: f64,
    pub source: String,
}

/// What the file says about time: rate (Hz), time of the first sample (s), and notes
/// on clues that were found but not usable (e.g. a non-uniform time dataset).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimeBase {
    pub sample_rate: Option<Sourced>,
    pub start_time: Option<Sourced>,
    pub notes: Vec<String>,
}

impl H5File {
    /// Sample rate and start time of `dataset_path`, searched nearest first: the dataset's
    /// attributes, then each parent group's attributes and 1-element datasets, up to the root
    /// (rate names, or interval names giving 1/value; start names); failing that, a time-axis
    /// dataset of the same length (median step, checked for uniformity; first value).
    pub fn time_base(&self, dataset_path: &str) -> Result<TimeBase, H5Error> {
        let path = normalize(dataset_path);
        let dataset = self.open_dataset(&path)?;
        let frames = self
            .info_of(path.clone(), &dataset)?
            .frame_shape()
            .map(|s| s.frames);
        let mut clues: Vec<Clue> = Vec::new();
        let mut time_axis: Option<DatasetInfo> = None;
        push_attr_clues(&mut clues, &dataset.attributes(), &path);
        for parent in parents(&path) {
            let group = self.open_group(&parent)?;
            let attrs = group
                .attributes()
                .map_err(|e| self.read_error(&parent, e))?;
            push_attr_clues(&mut clues, &attrs, &parent);
            let (_, members) = group.members().map_err(|e| self.read_error(&parent, e))?;
            for member in members {
                let member_path = join(&parent, member.name());
                if member_path == path {
                    continue;
                }
                let name = member.name().to_string();
                let known = name_in(&name, &RATE_NAMES)
                    || name_in(&name, &INTERVAL_NAMES)
                    || name_in(&name, &START_NAMES);
                if known && member.shape().iter().product::<u64>() == 1 {
                    if let Some(value) = self.scalar_dataset(&member_path, &member)? {
                        clues.push(Clue {
                            name,
                            value,
                            source: format!("dataset {member_path}"),
                        });
                    }
                } else if time_axis.is_none()
                    && name_in(&name, &TIME_AXIS_NAMES)
                    && frames.is_some()
                    && member.shape() == [frames.unwrap_or(0)]
                {
                    let info = self.info_of(member_path, &member)?;
                    if info.dtype.is_some() {
                        time_axis = Some(info);
                    }
                }
            }
        }
        let mut base = from_clues(&clues);
        if let Some(axis) = time_axis
            && (base.sample_rate.is_none() || base.start_time.is_none())
        {
            self.use_time_axis(&axis, &mut base)?;
        }
        Ok(base)
    }

    /// Rate and/or start time from an explicit time-axis dataset; only its first
    /// [`TIME_PROBE`] values and its last one are read, so this stays instant on huge files.
    fn use_time_axis(&self, axis: &DatasetInfo, base: &mut TimeBase) -> Result<(), H5Error> {
        let Some((dtype, endian)) = axis.dtype else {
            return Ok(());
        };
        let mut reader = self.reader(&axis.path)?;
        let n = reader.frames();
        let probe = usize::try_from(n).map_or(TIME_PROBE, |n| n.min(TIME_PROBE));
        let mut bytes = Vec::new();
        reader.read_frames(0, probe, &mut bytes)?;
        let times = decode_f64s(&bytes, dtype, endian);
        if base.start_time.is_none()
            && let Some(&t0) = times.first().filter(|t| t.is_finite())
        {
            base.start_time = Some(Sourced {
                value: t0,
                source: format!("first value of dataset {}", axis.path),
            });
        }
        if base.sample_rate.is_some() || times.len() < 2 {
            return Ok(());
        }
        reader.read_frames(n - 1, 1, &mut bytes)?;
        let last = decode_f64s(&bytes, dtype, endian).first().copied();
        match axis_rate(&times, last, n, dtype, &axis.path) {
            Ok(rate) => base.sample_rate = Some(rate),
            Err(note) => base.notes.push(note),
        }
        Ok(())
    }

    /// Value of a 1-element numeric dataset, `None` if it is not numeric.
    fn scalar_dataset(&self, path: &str, dataset: &Dataset) -> Result<Option<f64>, H5Error> {
        let Some((dtype, endian)) = numeric_type(dataset.dtype()) else {
            return Ok(None);
        };
        let bytes = dataset
            .read_raw_bytes()
            .map_err(|e| self.read_error(path, e))?;
        Ok(decode_f64s(&bytes, dtype, endian).first().copied())
    }
}

/// A number with a telling name (`XInc`, `sample_rate`, `t0`...) and where it was found.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Clue {
    pub name: String,
    pub value: f64,
    pub source: String,
}

/// The rate and start time the clues give, nearest (first) clue first: a rate name gives the
/// rate, an interval name its inverse; non-finite or non-positive rates are passed over.
pub(super) fn from_clues(clues: &[Clue]) -> TimeBase {
    TimeBase {
        sample_rate: clues.iter().find_map(|c| {
            let rate = if name_in(&c.name, &RATE_NAMES) {
                c.value
            } else if name_in(&c.name, &INTERVAL_NAMES) {
                1.0 / c.value
            } else {
                return None;
            };
            (rate.is_finite() && rate > 0.0).then(|| Sourced {
                value: rate,
                source: c.source.clone(),
            })
        }),
        start_time: clues.iter().find_map(|c| {
            (name_in(&c.name, &START_NAMES) && c.value.is_finite()).then(|| Sourced {
                value: c.value,
                source: c.source.clone(),
            })
        }),
        notes: Vec::new(),
    }
}

/// The rate of a time axis of `n` values whose first ones are `times` and last one `last`,
/// stored as `dtype`: the inverse of the median step, when every step and the overall span
/// agree with it up to the rounding of the stored times; else a note saying why not.
pub(super) fn axis_rate(
    times: &[f64],
    last: Option<f64>,
    n: u64,
    dtype: DType,
    axis: &str,
) -> Result<Sourced, String> {
    let mut steps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    steps.sort_by(f64::total_cmp);
    let (Some(&low), Some(&high)) = (steps.first(), steps.last()) else {
        return Err(format!("dataset {axis} has fewer than two values"));
    };
    let mid = steps.len() / 2;
    let median = if steps.len() % 2 == 1 {
        steps[mid]
    } else {
        (steps[mid - 1] + steps[mid]) / 2.0
    };
    let span_step = last.map(|last| (last - times[0]) / (n - 1) as f64);
    // Steps of a uniform axis differ only by rounding of the stored times.
    let epsilon = match dtype {
        DType::F32 => f64::from(f32::EPSILON),
        DType::F16 => 1e-3,
        DType::F64 => f64::EPSILON,
        _ => 0.0,
    };
    let magnitude = times[0].abs().max(last.unwrap_or(0.0).abs());
    let tolerance = 1e-6 * median.abs() + 4.0 * epsilon * magnitude;
    let uniform = median.is_finite()
        && median > 0.0
        && high - median <= tolerance
        && median - low <= tolerance
        && span_step.is_some_and(|s| (s - median).abs() <= tolerance);
    if uniform {
        Ok(Sourced {
            value: 1.0 / median,
            source: format!(
                "dataset {axis} (median step of its first {} values)",
                times.len()
            ),
        })
    } else {
        Err(format!(
            "dataset {axis} is not a uniform time axis (steps from {low} to {high}, median {median}); no sample rate taken from it"
        ))
    }
}

/// Numeric attributes whose names mean rate, interval or start time.
pub(super) fn push_attr_clues(clues: &mut Vec<Clue>, attrs: &[Attribute], object: &str) {
    for attr in attrs {
        let name = attr.name.as_str();
        let known = name_in(name, &RATE_NAMES)
            || name_in(name, &INTERVAL_NAMES)
            || name_in(name, &START_NAMES);
        if known && let Some(value) = attr_value(attr).as_f64() {
            clues.push(Clue {
                name: name.to_string(),
                value,
                source: format!("attribute {name} on {object}"),
            });
        }
    }
}

pub(super) fn name_in(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clue(name: &str, value: f64, source: &str) -> Clue {
        Clue {
            name: name.into(),
            value,
            source: source.into(),
        }
    }

    #[test]
    fn nearest_usable_clue_wins_and_intervals_invert() {
        let base = from_clues(&[
            clue("XInc", 0.0, "attribute XInc on /ch1"),
            clue("XInc", 2e-9, "attribute XInc on /"),
            clue("sample_rate", 1e6, "dataset /fs"),
            clue("t0", f64::NAN, "attribute t0 on /ch1"),
            clue("XOrg", -1e-3, "attribute XOrg on /"),
        ]);
        // 1/0 is infinite, so the zero interval is passed over for the next clue.
        let rate = base.sample_rate.expect("a rate");
        assert_eq!(rate.source, "attribute XInc on /");
        assert!((rate.value - 5e8).abs() < 1e-6, "{}", rate.value);
        let start = base.start_time.expect("a start");
        assert_eq!(
            (start.value, start.source.as_str()),
            (-1e-3, "attribute XOrg on /")
        );
        assert_eq!(from_clues(&[clue("gain", 2.0, "x")]), TimeBase::default());
        assert!(from_clues(&[clue("fs", -1.0, "x")]).sample_rate.is_none());
    }

    #[test]
    fn uniform_axes_give_a_rate_and_ragged_ones_a_note() {
        // A float32 axis at 1 MHz: its steps differ only by float32 rounding.
        let at = |i: u32| f64::from((f64::from(i) * 1e-6) as f32);
        let times: Vec<f64> = (0..1000).map(at).collect();
        let rate = axis_rate(&times, Some(at(9_999)), 10_000, DType::F32, "/t").expect("uniform");
        // The median of float32-rounded steps is off by a few ppm, no more.
        assert!((rate.value / 1e6 - 1.0).abs() < 2e-5, "{}", rate.value);
        // The same axis as float64 values with a jump in it is not uniform.
        let mut ragged: Vec<f64> = (0..1000).map(|i| i as f64 * 1e-6).collect();
        ragged[500] += 0.5e-6;
        let note = axis_rate(&ragged, Some(999e-6), 1000, DType::F64, "/t").unwrap_err();
        assert!(note.contains("/t is not a uniform time axis"), "{note}");
        // A span that disagrees with the steps (values dropped after the probe) is refused.
        let steady: Vec<f64> = (0..100).map(|i| i as f64).collect();
        assert!(axis_rate(&steady, Some(500.0), 200, DType::F64, "/t").is_err());
        assert!(axis_rate(&steady, Some(199.0), 200, DType::F64, "/t").is_ok());
        assert!(axis_rate(&[1.0], Some(1.0), 1, DType::F64, "/t").is_err());
    }
}
