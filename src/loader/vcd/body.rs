//! The value-change section, read token by token and expanded into uniform samples.

use super::header::VarKind;
use super::tokens::Tokens;
use super::{Clock, Code, IdMap, NO_BIT, NO_CODE, Plan, Target, VcdError, parse_time};
use crate::loader::stream::{FrameStream, MAX_EXPANDED_SAMPLES, repeat_frame};

pub struct VcdStream {
    tokens: Tokens,
    codes: Vec<Code>,
    bits: Vec<u32>,
    dense_bits: Vec<u32>,
    ids: IdMap,
    /// The values at the current time, as a frame.
    frame: Vec<u8>,
    clock: Clock,
    time: Option<u64>,
    /// Samples handed out (or skipped) so far.
    produced: u64,
    /// Samples before this index hold `frame`.
    run_end: u64,
    ended: bool,
    /// Scratch: the text of a vector or real value while its identifier is read.
    text: Vec<u8>,
    /// Scratch: a wide vector value, 64-bit limbs from the least significant.
    limbs: Vec<u64>,
}

impl VcdStream {
    pub(super) fn new(tokens: Tokens, plan: Plan, clock: Clock, has_time: bool) -> VcdStream {
        VcdStream {
            tokens,
            frame: vec![0; plan.columns * plan.dtype.size()],
            codes: plan.codes,
            bits: plan.bits,
            dense_bits: plan.dense_bits,
            ids: plan.ids,
            clock,
            time: None,
            produced: 0,
            run_end: 0,
            ended: !has_time,
            text: Vec::new(),
            limbs: Vec::new(),
        }
    }

    /// Apply value changes up to the next timestamp; returns it and its file offset, or
    /// `None` at the end.
    fn advance(&mut self) -> Result<Option<(u64, u64)>, VcdError> {
        loop {
            if let Some(found) = self.fast_scan() {
                return Ok(Some(found));
            }
            let Some((s, e)) = self.tokens.next()? else {
                return Ok(None);
            };
            if let Some(found) = self.token(s, e)? {
                return Ok(Some(found));
            }
        }
    }

    /// The hot loop: scalar changes of packed bits and timestamps straight off the buffer.
    /// Stops at the end of the buffered tokens or at any other token, which `token` reads.
    #[inline]
    fn fast_scan(&mut self) -> Option<(u64, u64)> {
        let (buf, mut p) = self.tokens.window();
        let mut found = None;
        while p < buf.len() {
            if buf[p] <= b' ' {
                p += 1;
                continue;
            }
            let start = p;
            let mut end = p + 1;
            while end < buf.len() && buf[end] > b' ' {
                end += 1;
            }
            match buf[start] {
                c @ (b'0' | b'1') => {
                    let dense = IdMap::dense_index(&buf[start + 1..end]);
                    match dense.and_then(|i| self.dense_bits.get(i)) {
                        Some(&packed) if packed != NO_BIT => {
                            let (byte, mask) = ((packed >> 8) as usize, packed as u8);
                            if c == b'1' {
                                self.frame[byte] |= mask;
                            } else {
                                self.frame[byte] &= !mask;
                            }
                        }
                        _ => break,
                    }
                }
                b'b' | b'B' => {
                    // A vector of 0s and 1s of at most 64 bits and its identifier, both in
                    // the window: parsed in place. Anything else (x/z bits, wider values,
                    // an unknown or skipped identifier, errors) is left to `token`.
                    let value = &buf[start + 1..end];
                    let mut q = end;
                    while q < buf.len() && buf[q] <= b' ' {
                        q += 1;
                    }
                    let id_start = q;
                    while q < buf.len() && buf[q] > b' ' {
                        q += 1;
                    }
                    let Some(code) = self.codes.get(self.ids.get(&buf[id_start..q]) as usize)
                    else {
                        break;
                    };
                    let width = match code.kind {
                        VarKind::Vector { width } => width as usize,
                        VarKind::Scalar => 1,
                        VarKind::Real => 64,
                    };
                    if id_start == q || value.is_empty() || value.len() > width.min(64) {
                        break;
                    }
                    let (mut v, mut bits) = (0u64, true);
                    for &c in value {
                        let d = c.wrapping_sub(b'0');
                        bits &= d <= 1;
                        v = v << 1 | u64::from(d & 1);
                    }
                    if !bits {
                        break;
                    }
                    apply_int(&mut self.frame, code, &[v]);
                    end = q;
                }
                b'#' => {
                    if let Some(t) = parse_time(&buf[start..end]) {
                        found = Some((t, start));
                        p = end;
                    }
                    break;
                }
                _ => break,
            }
            p = end;
        }
        // On a break `p` is the start of the unhandled token: `token` reads it next.
        self.tokens.set_pos(p);
        found.map(|(t, start)| (t, self.tokens.offset(start)))
    }

    /// Read one token the fast scan left: any value change, a keyword, an error.
    fn token(&mut self, s: usize, e: usize) -> Result<Option<(u64, u64)>, VcdError> {
        {
            let bytes = self.tokens.bytes();
            let c = bytes[s];
            match c {
                b'#' => {
                    let at = self.tokens.offset(s);
                    return parse_time(&bytes[s..e])
                        .map(|t| Some((t, at)))
                        .ok_or_else(|| super::bad_time(&self.tokens, s, e));
                }
                b'0' | b'1' | b'l' | b'L' | b'h' | b'H' | b'x' | b'X' | b'z' | b'Z' | b'u'
                | b'U' | b'w' | b'W' | b'-' => {
                    let bit = u64::from(matches!(c, b'1' | b'h' | b'H'));
                    let code = lookup(&self.ids, &bytes[s + 1..e], &self.tokens, s)? as usize;
                    match self.bits.get(code) {
                        Some(&packed) if packed != NO_BIT => {
                            let (byte, mask) = ((packed >> 8) as usize, packed as u8);
                            if bit == 1 {
                                self.frame[byte] |= mask;
                            } else {
                                self.frame[byte] &= !mask;
                            }
                        }
                        _ => {
                            if let Some(code) = self.codes.get(code) {
                                apply_int(&mut self.frame, code, &[bit]);
                            }
                        }
                    }
                }
                b'b' | b'B' | b'r' | b'R' => {
                    self.text.clear();
                    self.text.extend_from_slice(&bytes[s + 1..e]);
                    let value_at = self.tokens.offset(s);
                    let Some((is, ie)) = self.tokens.next()? else {
                        return Err(VcdError::Syntax {
                            offset: value_at,
                            found: String::from_utf8_lossy(&self.text).into_owned(),
                            expected: "an identifier after the value",
                        });
                    };
                    let id = &self.tokens.bytes()[is..ie];
                    let code = lookup(&self.ids, id, &self.tokens, is)?;
                    let Some(code) = self.codes.get(code as usize) else {
                        return Ok(None);
                    };
                    if matches!(c, b'b' | b'B') {
                        let width = match code.kind {
                            VarKind::Vector { width } => width,
                            VarKind::Scalar => 1,
                            VarKind::Real => 64,
                        };
                        if self.text.len() > width as usize {
                            return Err(VcdError::ValueTooWide {
                                id: String::from_utf8_lossy(id).into_owned(),
                                bits: self.text.len(),
                                width,
                                offset: value_at,
                            });
                        }
                        parse_bits(&self.text, &mut self.limbs).ok_or_else(|| {
                            VcdError::Syntax {
                                offset: value_at,
                                found: String::from_utf8_lossy(&self.text).into_owned(),
                                expected: "a binary value of 0, 1, x, z",
                            }
                        })?;
                        apply_int(&mut self.frame, code, &self.limbs);
                    } else {
                        let value = std::str::from_utf8(&self.text)
                            .ok()
                            .and_then(|t| t.parse::<f64>().ok())
                            .ok_or_else(|| VcdError::BadReal {
                                id: String::from_utf8_lossy(id).into_owned(),
                                text: String::from_utf8_lossy(&self.text).into_owned(),
                                offset: value_at,
                            })?;
                        if code.kind != VarKind::Real {
                            return Err(VcdError::RealForInteger {
                                id: String::from_utf8_lossy(id).into_owned(),
                                offset: value_at,
                            });
                        }
                        for target in &code.targets {
                            if let Target::Float { at } = *target {
                                self.frame[at..at + 8].copy_from_slice(&value.to_ne_bytes());
                            }
                        }
                    }
                }
                b's' | b'S' => {
                    // A string value: only string vars (not read) have them; drop it.
                    let value_at = self.tokens.offset(s);
                    let Some((is, ie)) = self.tokens.next()? else {
                        return Err(VcdError::Syntax {
                            offset: value_at,
                            found: "s".into(),
                            expected: "an identifier after the value",
                        });
                    };
                    lookup(&self.ids, &self.tokens.bytes()[is..ie], &self.tokens, is)?;
                }
                b'$' => {
                    let keyword = &bytes[s..e];
                    let inline = [
                        &b"$dumpvars"[..],
                        b"$dumpall",
                        b"$dumpon",
                        b"$dumpoff",
                        b"$end",
                    ];
                    if !inline.contains(&keyword) {
                        self.skip_section(s)?;
                    }
                }
                _ => {
                    return Err(VcdError::Syntax {
                        offset: self.tokens.offset(s),
                        found: String::from_utf8_lossy(&bytes[s..e.min(s + 40)]).into_owned(),
                        expected: "#time or a value change",
                    });
                }
            }
        }
        Ok(None)
    }

    /// Skip a `$comment ... $end` (or any other section) in the body.
    fn skip_section(&mut self, s: usize) -> Result<(), VcdError> {
        let at = self.tokens.offset(s);
        let bytes = self.tokens.bytes();
        let keyword = String::from_utf8_lossy(&bytes[s..(s + 20).min(bytes.len())])
            .split(|c: char| c.is_ascii_whitespace())
            .next()
            .unwrap_or_default()
            .to_string();
        while let Some((s, e)) = self.tokens.next()? {
            if &self.tokens.bytes()[s..e] == b"$end" {
                return Ok(());
            }
        }
        Err(VcdError::Unterminated {
            keyword,
            offset: at,
        })
    }

    /// Move to the next timestamp; false at the end of the dump.
    fn next_run(&mut self) -> Result<bool, VcdError> {
        match self.advance()? {
            None => {
                self.ended = true;
                Ok(false)
            }
            Some((t, offset)) => {
                if let Some(previous) = self.time.filter(|&p| t < p) {
                    return Err(VcdError::Backwards {
                        offset,
                        time: t,
                        previous,
                    });
                }
                self.time = Some(t);
                self.run_end = self
                    .clock
                    .index(t)
                    .ok_or_else(|| VcdError::TooManySamples {
                        what: format!("the dump from #{} to #{t}", self.clock.t0),
                        rate: f64::NAN,
                        samples: t.saturating_sub(self.clock.t0) as f64 * self.clock.a as f64
                            / self.clock.b as f64,
                        limit: MAX_EXPANDED_SAMPLES,
                    })?;
                Ok(true)
            }
        }
    }
}

impl FrameStream for VcdStream {
    type Error = VcdError;

    fn next_frames(&mut self, max: usize, out: &mut Vec<u8>) -> Result<usize, VcdError> {
        let mut n = 0usize;
        while n < max {
            if self.produced < self.run_end {
                let k = (self.run_end - self.produced).min((max - n) as u64) as usize;
                repeat_frame(out, &self.frame, k);
                self.produced += k as u64;
                n += k;
            } else if self.ended || !self.next_run()? {
                break;
            }
        }
        Ok(n)
    }

    fn skip(&mut self, count: u64) -> Result<u64, VcdError> {
        let mut n = 0u64;
        while n < count {
            if self.produced < self.run_end {
                let k = (self.run_end - self.produced).min(count - n);
                self.produced += k;
                n += k;
            } else if self.ended || !self.next_run()? {
                break;
            }
        }
        Ok(n)
    }
}

/// The code of an identifier; `NO_CODE` never returns (undeclared is an error), skipped
/// vars return an index past the codes.
#[inline(always)]
fn lookup(ids: &IdMap, id: &[u8], tokens: &Tokens, at: usize) -> Result<u32, VcdError> {
    match ids.get(id) {
        NO_CODE => Err(unknown_id(id, tokens, at)),
        code => Ok(code),
    }
}

#[cold]
fn unknown_id(id: &[u8], tokens: &Tokens, at: usize) -> VcdError {
    if id.is_empty() {
        VcdError::Syntax {
            offset: tokens.offset(at),
            found: String::from_utf8_lossy(&tokens.bytes()[at..at + 1]).into_owned(),
            expected: "an identifier after the value",
        }
    } else {
        VcdError::UndeclaredId {
            id: String::from_utf8_lossy(id).into_owned(),
            offset: tokens.offset(at),
        }
    }
}

/// Parse `0101xz` into limbs (least significant first); returns whether any bit was
/// unknown, `None` for a character that is no bit.
fn parse_bits(bits: &[u8], limbs: &mut Vec<u64>) -> Option<bool> {
    limbs.clear();
    if bits.len() <= 64 {
        // One limb, most significant character first: no indexing per bit.
        let mut value = 0u64;
        let mut unknown = false;
        for &c in bits {
            let digit = c.wrapping_sub(b'0');
            let bit = if digit <= 1 {
                u64::from(digit)
            } else {
                let (bit, was_unknown) = bit_of(c)?;
                unknown |= was_unknown;
                bit
            };
            value = value << 1 | bit;
        }
        limbs.push(value);
        return Some(unknown);
    }
    limbs.resize(bits.len().div_ceil(64), 0);
    let mut unknown = false;
    for (i, &c) in bits.iter().rev().enumerate() {
        let (bit, was_unknown) = bit_of(c)?;
        unknown |= was_unknown;
        limbs[i / 64] |= bit << (i % 64);
    }
    Some(unknown)
}

/// A value character: (bit, whether it was unknown); `None` for no bit character.
fn bit_of(c: u8) -> Option<(u64, bool)> {
    match c {
        b'1' | b'h' | b'H' => Some((1, false)),
        b'0' | b'l' | b'L' => Some((0, false)),
        b'x' | b'X' | b'z' | b'Z' | b'u' | b'U' | b'w' | b'W' | b'-' => Some((0, true)),
        _ => None,
    }
}

/// `width` (≤ 64) bits of `limbs` from bit `shift`.
fn extract(limbs: &[u64], shift: u32, width: u32) -> u64 {
    let (lo, off) = ((shift / 64) as usize, shift % 64);
    let mut v = limbs.get(lo).copied().unwrap_or(0) >> off;
    if off > 0 {
        v |= limbs.get(lo + 1).copied().unwrap_or(0) << (64 - off);
    }
    if width < 64 {
        v & ((1 << width) - 1)
    } else {
        v
    }
}

/// Store an integer value (scalar or vector) into the frame.
#[inline]
fn apply_int(frame: &mut [u8], code: &Code, limbs: &[u64]) {
    for target in &code.targets {
        match *target {
            Target::Bit { byte, mask } => {
                if limbs[0] & 1 == 1 {
                    frame[byte] |= mask;
                } else {
                    frame[byte] &= !mask;
                }
            }
            Target::Word {
                at,
                size,
                shift,
                width,
            } => {
                let v = extract(limbs, shift, width);
                let bytes = v.to_ne_bytes();
                let native = if cfg!(target_endian = "big") {
                    &bytes[8 - size..]
                } else {
                    &bytes[..size]
                };
                frame[at..at + size].copy_from_slice(native);
            }
            Target::Float { at } => {
                let v = if code.kind == VarKind::Real {
                    limbs
                        .iter()
                        .rev()
                        .fold(0.0, |acc, &l| acc * 18_446_744_073_709_551_616.0 + l as f64)
                } else {
                    (limbs[0] & 1) as f64
                };
                frame[at..at + 8].copy_from_slice(&v.to_ne_bytes());
            }
            Target::FloatPiece { at, shift, width } => {
                let v = extract(limbs, shift, width) as f64;
                frame[at..at + 8].copy_from_slice(&v.to_ne_bytes());
            }
        }
    }
}
