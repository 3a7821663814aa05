//! How a sample range is laid onto pixel columns, shared by every plot pass.
//!
//! `width` columns cover the `len` samples `start .. start + len`; sample `start + k` lies
//! in column `⌊k·width/len⌋`, so column `c` holds samples `⌈c·len/width⌉ .. ⌈(c+1)·len/width⌉`
//! (relative to `start`). Every column holds `⌊len/width⌋` or `⌈len/width⌉` samples; when
//! samples are fewer than columns, some columns hold none. Products are formed in u128, so
//! any u64 range and any width are exact.

use super::DspError;

/// The mapping of a sample range onto pixel columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnMap {
    start: u64,
    len: u64,
    width: usize,
}

impl ColumnMap {
    /// `width` columns over the samples `start .. start + len`; both must be non-zero and
    /// the range must not pass `u64::MAX`.
    pub fn new(start: u64, len: u64, width: usize) -> Result<ColumnMap, DspError> {
        if width == 0 || len == 0 || start.checked_add(len).is_none() {
            return Err(DspError::EmptyPlot {
                columns: width,
                samples: len,
            });
        }
        Ok(ColumnMap { start, len, width })
    }

    /// First sample index of the range.
    pub fn start(&self) -> u64 {
        self.start
    }

    /// One past the last sample index of the range.
    pub fn end(&self) -> u64 {
        self.start + self.len
    }

    /// Samples in the range.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Always false: a map covers at least one sample.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.width
    }

    /// `(start, len, width)`, as error messages report it.
    pub fn layout(&self) -> (u64, u64, usize) {
        (self.start, self.len, self.width)
    }

    /// The column of absolute sample index `index`, which must lie in the range.
    pub fn column_of(&self, index: u64) -> usize {
        debug_assert!((self.start..self.end()).contains(&index));
        let k = u128::from(index - self.start);
        // < width because k < len.
        (k * self.width as u128 / u128::from(self.len)) as usize
    }

    /// Absolute index of the first sample of column `column` (`end()` for `column == width`).
    pub fn column_start(&self, column: usize) -> u64 {
        debug_assert!(column <= self.width);
        let n = column as u128 * u128::from(self.len);
        // ≤ len because column ≤ width.
        self.start + n.div_ceil(self.width as u128) as u64
    }

    /// The absolute sample indices of column `column`.
    pub fn column_range(&self, column: usize) -> std::ops::Range<u64> {
        self.column_start(column)..self.column_start(column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_lies_in_the_column_whose_range_holds_it() {
        for (start, len, width) in [
            (0, 10, 3),
            (5, 3, 7),
            (1_000, 1_601, 1_600),
            (7, 1, 1),
            (u64::MAX - 100, 100, 9),
        ] {
            let map = ColumnMap::new(start, len, width).unwrap();
            assert_eq!(map.column_start(0), start);
            assert_eq!(map.column_start(width), start + len);
            for i in start..start + len {
                let c = map.column_of(i);
                assert!(
                    map.column_range(c).contains(&i),
                    "({start}, {len}, {width}): sample {i} in column {c} {:?}",
                    map.column_range(c)
                );
            }
            let sizes: Vec<u64> = (0..width)
                .map(|c| map.column_range(c).end - map.column_range(c).start)
                .collect();
            let (lo, hi) = (len / width as u64, len.div_ceil(width as u64));
            assert!(sizes.iter().all(|s| (lo..=hi).contains(s)), "{sizes:?}");
        }
    }

    #[test]
    fn empty_layouts_are_refused() {
        assert!(ColumnMap::new(0, 0, 5).is_err());
        assert!(ColumnMap::new(0, 5, 0).is_err());
        assert!(ColumnMap::new(u64::MAX, 2, 1).is_err());
    }
}
