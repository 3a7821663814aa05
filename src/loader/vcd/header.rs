//! The VCD declarations: everything up to `$enddefinitions $end`.

use super::VcdError;
use super::tokens::Tokens;

/// Bytes of declarations read before giving up (a million signals take ~50 MB).
const MAX_HEADER_BYTES: u64 = 512 << 20;
/// Widest vector accepted (a 64 kbit memory word); wider ones are memories, not signals.
pub const MAX_WIDTH: u32 = 1 << 16;
/// Text kept from `$date`, `$version`, `$comment`.
const MAX_TEXT: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    /// One bit (`wire 1`, `reg 1`, `event`).
    Scalar,
    /// An unsigned vector of `width` bits.
    Vector { width: u32 },
    /// `real`, `realtime`, `shortreal`.
    Real,
}

#[derive(Debug, Clone)]
pub struct VarDecl {
    pub kind: VarKind,
    pub id: Vec<u8>,
    /// Dotted scope path and reference (`top.dut.clk`, `top.data[3]`).
    pub name: String,
}

#[derive(Debug, Clone, Default)]
pub struct Header {
    /// `(m, e)`: one unit is m × 10^-e s, m ∈ {1, 10, 100}.
    pub timescale: Option<(u64, u32)>,
    pub vars: Vec<VarDecl>,
    pub date: Option<String>,
    pub version: Option<String>,
    /// `$var`s of types this reader cannot hold (strings): name and identifier.
    pub skipped: Vec<(String, Vec<u8>)>,
    /// File offset right after `$enddefinitions $end`.
    pub body_offset: u64,
}

/// Parse the declarations from the start of the file.
pub fn parse(tokens: &mut Tokens) -> Result<Header, VcdError> {
    let mut header = Header::default();
    let mut scopes: Vec<String> = Vec::new();
    loop {
        let Some((s, e)) = tokens.next()? else {
            return Err(VcdError::NoEndDefinitions);
        };
        let at = tokens.offset(s);
        if at > MAX_HEADER_BYTES {
            return Err(VcdError::HeaderTooLong {
                limit: MAX_HEADER_BYTES,
            });
        }
        let keyword = tokens.bytes()[s..e].to_vec();
        if !keyword.starts_with(b"$") {
            return Err(VcdError::Syntax {
                offset: at,
                found: String::from_utf8_lossy(&keyword).into_owned(),
                expected: "a $keyword in the declarations",
            });
        }
        let body = section_tokens(tokens, &keyword, at)?;
        match keyword.as_slice() {
            b"$enddefinitions" => {
                header.body_offset = body.end_offset;
                return Ok(header);
            }
            b"$timescale" => {
                let text = body.words.join("");
                header.timescale =
                    Some(parse_timescale(&text).ok_or(VcdError::Timescale { text, offset: at })?);
            }
            b"$scope" => scopes.push(body.words.get(1).cloned().unwrap_or_else(|| "?".into())),
            b"$upscope" => {
                scopes.pop();
            }
            b"$var" => {
                if let Some(var) = parse_var(&body.words, &scopes, at, &mut header.skipped)? {
                    header.vars.push(var);
                }
            }
            b"$date" => header.date = Some(short_text(&body.words)),
            b"$version" => header.version = Some(short_text(&body.words)),
            _ => {}
        }
    }
}

struct Section {
    words: Vec<String>,
    end_offset: u64,
}

/// The tokens of a section up to its `$end` (bounded: a section is a few words).
fn section_tokens(tokens: &mut Tokens, keyword: &[u8], at: u64) -> Result<Section, VcdError> {
    let mut words = Vec::new();
    let mut text = 0usize;
    loop {
        let Some((s, e)) = tokens.next()? else {
            return Err(VcdError::Unterminated {
                keyword: String::from_utf8_lossy(keyword).into_owned(),
                offset: at,
            });
        };
        let word = &tokens.bytes()[s..e];
        if word == b"$end" {
            return Ok(Section {
                words,
                end_offset: tokens.offset(e),
            });
        }
        if text < MAX_TEXT * 4 {
            text += word.len();
            words.push(String::from_utf8_lossy(word).into_owned());
        }
    }
}

fn short_text(words: &[String]) -> String {
    let mut t = words.join(" ");
    if t.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !t.is_char_boundary(cut) {
            cut -= 1;
        }
        t.truncate(cut);
    }
    t
}

/// `1ns`, `1 ns`, `10ps`, `100 us` → (m, e).
pub fn parse_timescale(text: &str) -> Option<(u64, u32)> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit())?;
    let (m, unit) = t.split_at(split);
    let m: u64 = m.parse().ok()?;
    let e = match unit.trim() {
        "s" => 0,
        "ms" => 3,
        "us" => 6,
        "ns" => 9,
        "ps" => 12,
        "fs" => 15,
        _ => return None,
    };
    matches!(m, 1 | 10 | 100).then_some((m, e))
}

/// `$var type size id reference [index] $end`.
fn parse_var(
    words: &[String],
    scopes: &[String],
    at: u64,
    skipped: &mut Vec<(String, Vec<u8>)>,
) -> Result<Option<VarDecl>, VcdError> {
    let [ty, size, id, reference, rest @ ..] = words else {
        return Err(VcdError::Syntax {
            offset: at,
            found: words.join(" "),
            expected: "$var type size identifier reference $end",
        });
    };
    let mut name = scopes.join(".");
    if !name.is_empty() {
        name.push('.');
    }
    name.push_str(reference);
    let width: u32 = size.parse().map_err(|_| VcdError::Syntax {
        offset: at,
        found: size.clone(),
        expected: "a bit width",
    })?;
    let kind = match ty.as_str() {
        "real" | "realtime" | "shortreal" => VarKind::Real,
        "string" => {
            skipped.push((name, id.as_bytes().to_vec()));
            return Ok(None);
        }
        _ if width == 0 || width > MAX_WIDTH => {
            return Err(VcdError::Width {
                name,
                width,
                offset: at,
            });
        }
        _ if width == 1 => VarKind::Scalar,
        _ => VarKind::Vector { width },
    };
    // A bit select names the bit (`data[3]`); a vector's range only repeats the width.
    if kind == VarKind::Scalar {
        for index in rest {
            name.push_str(index);
        }
    }
    Ok(Some(VarDecl {
        kind,
        id: id.as_bytes().to_vec(),
        name,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timescales() {
        assert_eq!(parse_timescale("1ns"), Some((1, 9)));
        assert_eq!(parse_timescale(" 10 ps "), Some((10, 12)));
        assert_eq!(parse_timescale("100us"), Some((100, 6)));
        assert_eq!(parse_timescale("1 s"), Some((1, 0)));
        assert_eq!(parse_timescale("3 ns"), None);
        assert_eq!(parse_timescale("1 ks"), None);
        assert_eq!(parse_timescale("ns"), None);
    }
}
