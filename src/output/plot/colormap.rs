//! The viridis colour map (perceptually uniform, readable in grey and by colour-blind
//! readers), as matplotlib's `viridis(np.linspace(0, 1, 10))` anchors joined linearly.

const ANCHORS: [[u8; 3]; 10] = [
    [0x44, 0x01, 0x54],
    [0x48, 0x28, 0x78],
    [0x3e, 0x4a, 0x89],
    [0x31, 0x68, 0x8e],
    [0x26, 0x82, 0x8e],
    [0x1f, 0x9e, 0x89],
    [0x35, 0xb7, 0x79],
    [0x6e, 0xce, 0x58],
    [0xb5, 0xde, 0x2b],
    [0xfd, 0xe7, 0x25],
];

/// The colour at `t` in 0..=1 (clamped; NaN gives the lowest colour).
pub fn viridis(t: f64) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let x = t * (ANCHORS.len() - 1) as f64;
    let i = (x.floor() as usize).min(ANCHORS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (ANCHORS[i], ANCHORS[i + 1]);
    std::array::from_fn(|k| {
        (f64::from(a[k]) + f * (f64::from(b[k]) - f64::from(a[k]))).round() as u8
    })
}

/// 256 colours from [`viridis`], for per-pixel lookups.
pub fn viridis_table() -> [[u8; 3]; 256] {
    std::array::from_fn(|i| viridis(i as f64 / 255.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_anchors_and_monotone_lightness() {
        assert_eq!(viridis(0.0), [0x44, 0x01, 0x54]);
        assert_eq!(viridis(1.0), [0xfd, 0xe7, 0x25]);
        assert_eq!(viridis(5.0 / 9.0), [0x1f, 0x9e, 0x89]);
        assert_eq!(viridis(f64::NAN), viridis(-3.0));
        // Luma rises along the map: brighter means more power, also in grey.
        let luma = |c: [u8; 3]| {
            0.299 * f64::from(c[0]) + 0.587 * f64::from(c[1]) + 0.114 * f64::from(c[2])
        };
        let table = viridis_table();
        assert!(table.windows(2).all(|w| luma(w[1]) >= luma(w[0]) - 0.5));
    }
}
