//! The scopes' own CSV exports of the same acquisitions.

use super::rigol::{assert_close, channel, data, load};

fn rows(name: &str, header: usize) -> Vec<Vec<f64>> {
    std::fs::read_to_string(data(name))
        .expect("csv")
        .lines()
        .skip(header)
        .map(|l| {
            l.split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(|f| f.parse::<f64>().expect("number"))
                .collect::<Vec<f64>>()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

/// DS1204B: the export holds every memory point (a subset of rows is kept here); each
/// row's time gives its sample index. Values printed with 3 significant digits.
#[test]
fn ds1204b_equals_vendor_csv() {
    let (layout, values) = load("DS1204B-A.wfm");
    let t0 = layout.x_origin.unwrap();
    let dt = layout.x_increment.unwrap();
    let csv = rows("DS1204B-A-subset.csv", 2);
    assert_eq!(csv.len(), 520);
    for row in &csv {
        let index = ((row[0] - t0) / dt).round() as usize;
        assert_close(t0 + index as f64 * dt, row[0], 5e-10, "time column");
        for k in 0..4 {
            let ours = channel(&layout, &values, &format!("CH{}", k + 1))[index];
            assert_close(ours, row[k + 1], 0.005, &format!("CH{} at {index}", k + 1));
        }
    }
}

/// DS1052E: this export's writer read the samples 4 bytes early (its rows 0-3 are header
/// bytes 272-275), so row i + 4 holds sample i; its time column is i · 2 ns.
#[test]
fn ds1052e_equals_vendor_csv_shifted_by_four() {
    let (layout, values) = load("DS1052E.wfm");
    assert_close(1.0 / layout.x_increment.unwrap(), 5e8, 1e-3, "rate");
    let csv = rows("DS1052E-subset.csv", 16);
    let mut compared = 0;
    for row in &csv {
        let csv_row = (row[0] / 2e-9).round() as usize;
        if csv_row < 4 {
            continue;
        }
        for k in 0..2 {
            let ours = channel(&layout, &values, &format!("CH{}", k + 1))[csv_row - 4];
            assert_close(
                ours,
                row[k + 1],
                1e-9,
                &format!("CH{} row {csv_row}", k + 1),
            );
        }
        compared += 1;
    }
    assert!(compared > 500);
}

/// DS2072A: the CSV holds the 1400 screen points (10 ns apart), a separate display record,
/// not a subset of the 14000 memory samples: compare the stated start and step, and the
/// code grid (the exporter rounds CH1's −171 mV offset to whole 2 mV codes, so its values
/// sit 1 mV below ours; CH2's 3.2 V offset is whole codes and the grids coincide).
#[test]
fn ds2072a_screen_csv_shares_start_and_grid() {
    let (layout, values) = load("DS2072A-5.wfm");
    let text = std::fs::read_to_string(data("DS2072A-5.csv")).unwrap();
    let header: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    let start: f64 = header[3].parse().unwrap();
    let step: f64 = header[4].parse().unwrap();
    assert_close(layout.x_origin.unwrap(), start, 1e-15, "start");
    assert_close(
        step / layout.x_increment.unwrap(),
        10.0,
        1e-9,
        "screen decimation",
    );
    assert_eq!(layout.meta.screen_points, Some(14000));
    let csv = rows("DS2072A-5.csv", 2);
    assert_eq!(csv.len(), 1400);
    for (k, shift) in [(1usize, 0.001), (2, 0.0)] {
        let ours = channel(&layout, &values, &format!("CH{k}"));
        let gain = layout.channels[k - 1].gain;
        for row in &csv {
            let code = (row[k] + shift - ours[0]) / gain;
            assert_close(
                code,
                code.round(),
                1e-3,
                &format!("CH{k} value {} on grid", row[k]),
            );
        }
    }
}
