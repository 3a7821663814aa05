//! Text on its way to a person's terminal: made safe to show, and written to stderr without
//! ever panicking.
//!
//! Names and strings read from files (paths, dataset names, CSV headers, attributes) may hold
//! control characters: an escape sequence in a crafted header would retitle or clear the
//! terminal, a newline in a path would split an error line in two. Everything people read
//! passes through [`escape`] once, where it is printed (the error printer, warnings, table
//! cells, summaries); JSON is escaped by serde.

use std::borrow::Cow;
use std::fmt;
use std::io::Write;

/// Whether `c` must not reach a terminal as is: C0 and C1 controls, DEL, and the Unicode
/// controls that reorder or break lines (bidi overrides and isolates, line separators).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every control character written as a visible escape: `\n`, `\r`, `\t`,
/// `\x1b` for the other ASCII controls, `\u{202e}` beyond ASCII. Borrowed when nothing
/// needs escaping (the usual case).
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(Escaped(text).to_string())
}

/// Display adapter: shows the text escaped as [`escape`] does, without an extra allocation.
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| needs_escape(c)) {
            f.write_str(&rest[..at])?;
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c.is_ascii() => write!(f, "\\x{:02x}", c as u32)?,
                c => write!(f, "\\u{{{:x}}}", c as u32)?,
            }
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// Write `text` to stderr as is. A stderr that fails (closed, full, a hung-up terminal) loses
/// the text but never panics, unlike `eprint!`: there is nowhere left to report it.
pub fn eprint(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// One line to stderr: `prefix` (ours, trusted), then `text` escaped, then a newline.
pub fn eprint_line(prefix: &str, text: &str) {
    eprint(&format!("{prefix}{}\n", Escaped(text)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "µs ±1 % naïve 日本 path/with spaces\\";
        assert!(matches!(escape(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn controls_become_visible_escapes() {
        assert_eq!(
            escape("a\nb\rc\td\x1b]0;title\x07\x1b[2J\x7f"),
            "a\\nb\\rc\\td\\x1b]0;title\\x07\\x1b[2J\\x7f"
        );
        assert_eq!(escape("\u{85}x\u{9b}"), "\\u{85}x\\u{9b}");
        assert_eq!(
            escape("abc\u{202e}fdp.exe\u{2066}\u{2028}"),
            "abc\\u{202e}fdp.exe\\u{2066}\\u{2028}"
        );
        assert_eq!(escape("\0"), "\\x00");
    }
}
