//! The bottom layer: what a sample is, before any file or algorithm.
//!
//! Sample types and byte order ([`DType`], [`Endian`], [`Sample`]), the one place that
//! decides how values convert between types ([`convert`]), the .npy header ([`npy`]) and the
//! capture metadata that travels with samples ([`meta`]), and the [`sink`] traits through
//! which the loader hands samples to algorithms. Nothing here imports another tracekit module,
//! opens a file or prints; every other layer may import it.

mod complex;
pub mod convert;
mod dtype;
pub mod meta;
pub mod npy;
pub mod sink;

pub use complex::{COMPLEX_COMPONENTS, ComplexType};
pub use dtype::{ALL_DTYPES, DType, Endian, I24, Native, Sample, decode_strided_f64, typed_slice};
pub use meta::CaptureMeta;
