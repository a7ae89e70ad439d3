//! URLs and `/`-separated relative paths: schemes, percent-decoding, joining and relative hrefs.

use percent_encoding::percent_decode_str;
use std::borrow::Cow;

/// Schemes a link may use, in Markdown and in sanitized raw HTML (relative URLs are kept
/// too); anything else (`javascript:`, `data:`, `file:`, …) is unsafe.
pub const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The scheme of an absolute URL, lower case, read the way browsers do: leading spaces and
/// control characters skipped, tabs and line breaks inside ignored.
pub fn scheme(url: &str) -> Option<String> {
    let mut scheme = String::new();
    for c in url.chars().skip_while(|&c| c <= ' ') {
        match c {
            '\t' | '\n' | '\r' => {}
            ':' => return (!scheme.is_empty()).then_some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            c if !scheme.is_empty() && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) => scheme.push(c),
            _ => return None,
        }
    }
    None
}

/// Whether a URL leads to another host: `http:`, `https:`, protocol-relative `//host`, or
/// `\\host`, which browsers read as `//host`. An image there tells that host who reads
/// the page.
pub fn is_remote(url: &str) -> bool {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let slashes = url.get(..2).is_some_and(|s| s.chars().all(|c| c == '/' || c == '\\'));
    slashes || matches!(scheme(url).as_deref(), Some("http" | "https"))
}

/// `s` in Unicode normalization form C, so that a name typed on one system (NFC) and one
/// saved by another (macOS writes NFD) compare equal; borrowed when it already is.
pub fn nfc(s: &str) -> Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// `%20` and friends decoded; the text as written when the result is not UTF-8 (a malformed
/// escape such as `%zz` stays as it is).
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    percent_decode_str(s).decode_utf8().unwrap_or(Cow::Borrowed(s))
}

/// Decodes `%XX` escapes once, refusing (None) a malformed escape or a result that is not
/// UTF-8: for request paths, where anything odd is refused rather than guessed.
pub fn percent_decode_strict(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let well_formed = bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'%')
        .all(|(i, _)| bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)));
    if !well_formed {
        return None;
    }
    percent_decode_str(s).decode_utf8().ok().map(Cow::into_owned)
}

/// A decoded path made safe to put back in a URL: `%`, `#` and `?` encoded (the HTML writer
/// encodes spaces and non-ASCII itself).
pub fn encode_path(path: &str) -> Cow<'_, str> {
    if !path.contains(['%', '#', '?']) {
        return Cow::Borrowed(path);
    }
    Cow::Owned(path.replace('%', "%25").replace('#', "%23").replace('?', "%3F"))
}

/// `path` relative to the folder of `from` (or to the root when it starts with `/`), as a
/// normalised `/`-separated path; None when `..` climbs above the root.
pub fn join(from: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    if !path.starts_with(['/', '\\']) {
        if let Some((dir, _)) = from.rsplit_once('/') {
            parts.extend(dir.split('/').filter(|s| !s.is_empty()));
        }
    }
    for segment in path.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The href from the page at output path `from` to output path `to`: `plan/04-x/a.html` →
/// `plan/01-b.html` is `../01-b.html`.
pub fn relative(from: &str, to: &str) -> String {
    let mut from_dirs: Vec<&str> = from.split('/').collect();
    from_dirs.pop();
    let to_parts: Vec<&str> = to.split('/').collect();
    let Some((_, to_dirs)) = to_parts.split_last() else { return to.to_string() };
    let common = from_dirs.iter().zip(to_dirs).take_while(|(a, b)| a == b).count();
    let mut href = "../".repeat(from_dirs.len() - common);
    href.push_str(&to_parts.get(common..).unwrap_or_default().join("/"));
    href
}

/// `../` once per folder between a page at `out` (relative to some folder) and that folder.
pub fn up(out: &str) -> String {
    "../".repeat(out.matches('/').count())
}

/// A path as `/`-separated text (`content/p/a.md` on every platform).
pub fn slash_path(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
        assert_eq!(percent_decode("%FF"), "%FF");
        assert_eq!(percent_decode_strict("/a%20b").as_deref(), Some("/a b"));
        for bad in ["/%zz", "/%c3", "/%", "/%2"] {
            assert_eq!(percent_decode_strict(bad), None, "{bad}");
        }
    }

    #[test]
    fn nfc_names() {
        assert_eq!(nfc("financie\u{308}n.md"), "financi\u{eb}n.md");
        assert!(matches!(nfc("financi\u{eb}n.md"), Cow::Borrowed(_)));
        assert!(matches!(nfc("plan/a.md"), Cow::Borrowed(_)));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative("index.html", "plan/a.html"), "plan/a.html");
        assert_eq!(relative("plan/a/b/c.html", "plan/x.html"), "../../x.html");
        assert_eq!(relative("plan/a.html", "plan/a.html"), "a.html");
        assert_eq!(join("plan/a.md", "../x.md"), Some("x.md".into()));
        assert_eq!(join("plan/a.md", "../../x.md"), None);
        assert_eq!(up("a/b/c.html"), "../../");
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme(" \u{1}JaVa\tScript:x").as_deref(), Some("javascript"));
        assert_eq!(scheme("a/b:c"), None);
        assert_eq!(scheme("x.md"), None);
        for remote in ["https://x/p.png", " HTTP://x", "//x/p", "\\\\x\\p", "/\\x/p"] {
            assert!(is_remote(remote), "{remote}");
        }
        for local in ["p.png", "/p.png", "../p.png", "mailto:a@b", "#x", ""] {
            assert!(!is_remote(local), "{local}");
        }
    }
}
