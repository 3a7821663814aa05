//! Complex (I/Q) sample types: interleaved pairs of a real component type.
//!
//! A complex capture is stored and read as its components: `cf32` is pairs of f32, and the
//! loader hands complex channel k to algorithms as the two real columns `2k` (I) and
//! `2k + 1` (Q). So the real fast paths (typed slices, the feed engine) serve complex data
//! unchanged, and only the consumers that care (fft, stats, slice, info) pair the columns.

use super::{DType, Endian};

/// A complex sample type, named by its component: `cf32` is [`ComplexType`]`(DType::F32)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ComplexType(pub DType);

/// Components a complex type may have, in the order `--help` lists them.
pub const COMPLEX_COMPONENTS: [DType; 7] = [
    DType::F32,
    DType::F64,
    DType::I16,
    DType::I8,
    DType::U8,
    DType::I32,
    DType::U16,
];

impl ComplexType {
    /// The component type (I and Q each).
    pub fn component(self) -> DType {
        self.0
    }

    /// Bytes of one complex sample (both components).
    pub fn size(self) -> usize {
        2 * self.0.size()
    }

    /// tracekit's and SigMF's short name: `cf32`, `ci16`, `cu8`.
    pub fn short_name(self) -> String {
        format!("c{}", self.0.short_name())
    }

    /// NumPy's name (`complex64`, `complex128`) when NumPy has the type, else the short name.
    pub fn numpy_name(self) -> String {
        match self.0 {
            DType::F32 => "complex64".into(),
            DType::F64 => "complex128".into(),
            _ => self.short_name(),
        }
    }

    /// The .npy `descr` (`<c8`, `>c16`), for the float components NumPy stores.
    pub fn descr(self, endian: Endian) -> Option<String> {
        let order = if endian == Endian::Little { '<' } else { '>' };
        match self.0 {
            DType::F32 => Some(format!("{order}c8")),
            DType::F64 => Some(format!("{order}c16")),
            _ => None,
        }
    }

    /// Parse a complex type as users, SigMF and NumPy spell it: `cf32`, `ci16`, `cu8`,
    /// `complex64`, `complex128`, `<c8`, `>c16`, `F`, `D`. Returns the type and the byte
    /// order the spelling states, if any. None for anything else (real types included).
    pub fn parse(text: &str) -> Option<(ComplexType, Option<Endian>)> {
        let (endian, body) = super::dtype::split_byte_order(text)?;
        let by_letter = match body {
            "F" => Some(DType::F32),
            "D" => Some(DType::F64),
            _ => None,
        };
        let lower = body.to_ascii_lowercase();
        let component = by_letter.or_else(|| match lower.as_str() {
            "complex64" | "c8" => Some(DType::F32),
            "complex128" | "c16" => Some(DType::F64),
            _ => {
                let rest = lower.strip_prefix('c')?;
                COMPLEX_COMPONENTS
                    .into_iter()
                    .find(|d| rest == d.short_name())
            }
        })?;
        Some((ComplexType(component), endian))
    }
}

impl std::fmt::Display for ComplexType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.numpy_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling() {
        let c = |d| Some((ComplexType(d), None));
        assert_eq!(ComplexType::parse("cf32"), c(DType::F32));
        assert_eq!(ComplexType::parse("cf64"), c(DType::F64));
        assert_eq!(ComplexType::parse("ci16"), c(DType::I16));
        assert_eq!(ComplexType::parse("ci8"), c(DType::I8));
        assert_eq!(ComplexType::parse("cu8"), c(DType::U8));
        assert_eq!(ComplexType::parse("complex64"), c(DType::F32));
        assert_eq!(ComplexType::parse("complex128"), c(DType::F64));
        assert_eq!(
            ComplexType::parse(">c16"),
            Some((ComplexType(DType::F64), Some(Endian::Big)))
        );
        assert_eq!(
            ComplexType::parse("<c8"),
            Some((ComplexType(DType::F32), Some(Endian::Little)))
        );
        assert_eq!(ComplexType::parse("f32"), None);
        assert_eq!(ComplexType::parse("cf16"), None);
        assert_eq!(ComplexType::parse("c"), None);
        assert_eq!(ComplexType::parse(""), None);
    }

    #[test]
    fn names_round_trip() {
        for d in COMPLEX_COMPONENTS {
            let c = ComplexType(d);
            assert_eq!(ComplexType::parse(&c.short_name()), Some((c, None)));
            assert_eq!(ComplexType::parse(&c.numpy_name()), Some((c, None)));
            assert_eq!(c.size(), 2 * d.size());
        }
        assert_eq!(
            ComplexType(DType::F32).descr(Endian::Little).as_deref(),
            Some("<c8")
        );
        assert_eq!(ComplexType(DType::I16).descr(Endian::Little), None);
    }
}
