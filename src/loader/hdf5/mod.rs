//! HDF5 input: detection, dataset listing, attributes, time base and streaming reads.
//!
//! This is the only module that touches `hdf5_reader` (pure Rust, read-only), so the rest of
//! tracekit sees plain types: [`DatasetInfo`], [`AttrValue`], [`TimeBase`] and a
//! [`FrameReader`] that hands out raw C-order bytes in the file's byte order, exactly like the
//! `.npy` path does. Reads are windowed: only the chunks covering a window are decoded, and
//! the last decoded block is kept so sequential windows decode each chunk once.

mod attrs;
mod error;
mod file;
mod frames;
mod timebase;

pub use attrs::{AttrValue, ObjectAttributes};
pub use error::H5Error;
pub use file::{DatasetInfo, FrameShape, H5File, Layout};
pub use frames::{FrameReader, Hdf5Frames};
pub use timebase::{Sourced, TimeBase};

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
