//! A page's document in the index: the text its excerpts are cut from, as JSON.

use std::fmt::Write as _;

/// The document of a page: the whole text (body, then details) as numbers of its distinct
/// pieces (in the order they first occur), where a single space between two words is left
/// out, and the headings as `(id, level, first word, end word)`, counting the text's words.
/// The browser cuts the excerpt from this text around the best match.
pub struct Doc<'t> {
    /// The page's output path, title and the titles of the sections above it.
    pub url: &'t str,
    pub title: &'t str,
    pub path: &'t [&'t str],
    /// The document's distinct pieces in the order they first occur, each as a JSON string.
    pub pieces: Vec<&'t str>,
    /// The pieces' numbers in `code`: ASCII, kept as bytes (a `String` checks each letter's length).
    pub code: Vec<u8>,
    pub heads: Vec<(&'t str, u8, u32, u32)>,
}

impl Doc<'_> {
    /// `[number, url, title, path, pieces, code, heads]`.
    pub fn json(&self, number: u32) -> String {
        let size = self.code.len() + self.pieces.iter().map(|t| t.len() + 1).sum::<usize>() + 200;
        let mut out = String::with_capacity(size);
        out.push('[');
        let _ = write!(out, "{number}");
        for s in [self.url, self.title] {
            out.push(',');
            json_string(&mut out, s);
        }
        out.push_str(",[");
        for (i, s) in self.path.iter().enumerate() {
            out.push_str(if i > 0 { "," } else { "" });
            json_string(&mut out, s);
        }
        out.push_str("],[");
        for (i, quoted) in self.pieces.iter().enumerate() {
            out.push_str(if i > 0 { "," } else { "" });
            out.push_str(quoted);
        }
        out.push(']');
        out.push_str(",\"");
        out.push_str(std::str::from_utf8(&self.code).unwrap_or_default());
        out.push_str("\",[");
        for (i, (id, level, first, end)) in self.heads.iter().enumerate() {
            out.push_str(if i > 0 { ",[" } else { "[" });
            json_string(&mut out, id);
            let _ = write!(out, ",{level},{first},{end}]");
        }
        out.push_str("]]");
        out
    }
}

/// Appends `s` as a JSON string, escaped as serde_json escapes (without its allocation per
/// string: a page has a hundred of them).
pub fn json_string(out: &mut String, s: &str) {
    out.push('"');
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        // Most strings (the pieces of a page's text) need no escape.
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escape);
        }
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped_as_serde_json_does() {
        for s in ["", "plain", "a \"quote\" \\ back", "line\nfeed\r\t\u{8}\u{c}\u{1}\u{1f}", "Financiën € 𝐀 \u{2028}"]
        {
            let mut out = String::new();
            json_string(&mut out, s);
            assert_eq!(out, serde_json::Value::from(s).to_string());
        }
    }
}
