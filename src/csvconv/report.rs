//! The end of a conversion: errors with their line numbers, and the [`Report`].

use super::expand::Expander;
use super::pipeline::Sink;
use super::rate::choose_rate;
use super::rows::{BlockOut, RowError};
use super::{CsvError, CsvOptions, Layout, Report, Role, TimeFormat, delimiter_name};

/// The error for a row problem at file line `line`, in a file of `expected` fields per
/// row separated by `delim`.
pub(super) fn row_error(line: u64, e: &RowError, expected: usize, delim: u8) -> CsvError {
    match e {
        RowError::Cell { column, text } => CsvError::BadCell {
            line,
            column: *column,
            text: text.clone(),
        },
        RowError::NotFinite { column, text } => CsvError::NotFinite {
            line,
            column: *column,
            text: text.clone(),
        },
        RowError::Bom { column } => CsvError::Bom {
            line,
            column: *column,
        },
        RowError::Quote { column, error } => CsvError::Quote {
            line,
            column: *column,
            what: error.describe(),
        },
        RowError::Delimiter { found } => CsvError::DelimiterChange {
            line,
            found: delimiter_name(*found),
            expected: delimiter_name(delim),
        },
        RowError::Fields { got } => CsvError::FieldCount {
            line,
            expected,
            got: *got,
        },
        RowError::Backwards { previous, got } => CsvError::TimeBackwards {
            line,
            previous: *previous,
            got: *got,
        },
    }
}

pub(super) fn finish_report(
    layout: &Layout,
    opts: &CsvOptions,
    total: BlockOut,
    expander: Option<Expander>,
    mut warnings: Vec<String>,
    sink: &mut Sink<'_>,
) -> Result<Report, CsvError> {
    let has_time = layout.time.is_some() && total.stats.count > 0;
    let stats = has_time.then_some(&total.stats);
    let (samples, rate, rate_source) = match expander {
        Some(mut exp) => {
            exp.finish(total.stats.last, sink)?;
            if exp.lost > 0 {
                warnings.push(format!(
                    "{} event(s) shorter than one sample period at {} Hz were lost",
                    exp.lost, exp.rate
                ));
            }
            let src = "user: --sample-rate (events expanded: each row holds until the next)";
            (exp.samples, Some(exp.rate), src.to_string())
        }
        None => {
            let (rate, src) = choose_rate(
                opts.sample_rate,
                layout.header_rate.as_ref(),
                stats,
                &mut warnings,
            );
            (total.rows, rate, src)
        }
    };
    let (t0, t_last) = if has_time {
        (Some(total.stats.first), Some(total.stats.last))
    } else {
        let t0 = layout.header_rate.as_ref().and_then(|h| h.t0);
        let last = t0.zip(rate).map(|(t, r)| t + (total.rows - 1) as f64 / r);
        (t0, last)
    };
    if total.blank > 0 {
        warnings.push(format!(
            "{} empty line(s) in the data were ignored",
            total.blank
        ));
    }
    let time_origin = match layout.time.as_ref().map(|t| t.format) {
        Some(TimeFormat::Iso8601 { origin_ns }) => Some(format_iso(origin_ns)),
        _ => None,
    };
    let chans = layout.channels.iter().map(|&c| &layout.columns[c]);
    debug_assert!(
        layout
            .channels
            .iter()
            .all(|&c| layout.columns[c].role == Role::Data)
    );
    Ok(Report {
        rows: total.rows,
        samples,
        channels: layout.channels.len(),
        names: chans.clone().map(|c| c.name.clone()).collect(),
        units: chans.map(|c| c.unit.clone()).collect(),
        sample_rate: rate,
        rate_source,
        t0,
        t_last,
        time_origin,
        steps: stats.and_then(|s| s.summary()),
        needs_f64: total.needs_f64,
        nan_counts: total.nan,
        bad_cells: total.bad_cells,
        skipped_rows: total.skipped,
        blank_lines: total.blank,
        warnings,
    })
}

/// `origin_ns` since the epoch as ISO-8601 UTC with nanoseconds.
fn format_iso(ns: i128) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let frac = ns.rem_euclid(1_000_000_000);
    let days = i64::try_from(secs.div_euclid(86_400)).unwrap_or(0);
    let sod = secs.rem_euclid(86_400);
    // Civil from days (H. Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{frac:09}Z",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_formatting() {
        assert_eq!(
            format_iso(1_769_781_969_197_352_115),
            "2026-01-30T14:06:09.197352115Z"
        );
        assert_eq!(format_iso(0), "1970-01-01T00:00:00.000000000Z");
    }
}
