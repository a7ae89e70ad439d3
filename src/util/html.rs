//! The one HTML escaping of the crate (Markdown, templates, diffs and the server's banner).

/// Escapes `&<>"'` onto `out`, for element content and quoted attribute values alike.
pub fn escape_into(s: &str, out: &mut String) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, s);
}

/// `s` escaped for HTML content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(super::escape_html("a<é>&\"'/ë"), "a&lt;é&gt;&amp;&quot;&#39;/ë");
        assert_eq!(super::escape_html(""), "");
    }
}
