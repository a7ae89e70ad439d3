//! Where a link or image URL of a section leads: kept, rewritten to a page or file of the
//! output, or refused (removed page, missing target, unsafe scheme).

use super::{LinkIndex, PageRef};
use std::borrow::Cow;

/// Schemes a link may use, in Markdown and in sanitized raw HTML (relative URLs are kept
/// too); anything else (`javascript:`, `data:`, `file:`, …) is unsafe.
pub(super) const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The outcome of resolving one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Left as written: a safe absolute URL, `//host/…`, a `#fragment` or an empty URL.
    Keep,
    /// A published page, as an href relative to the current page.
    Page(String),
    /// A file under `content/` that the output mirrors: href, and its path under `content/`.
    Asset { href: String, rel: String },
    /// A page left out for this build's audience.
    Removed,
    /// No page or file there; the resolved path under `content/`, or None when the path
    /// climbs out of `content/`.
    Broken(Option<String>),
    /// A scheme that is not allowed (lower case, without `:`).
    Unsafe(String),
}

/// Resolves `url`, written in the page at `source_rel` (under `content/`), for the page whose
/// output path is `page_out`.
pub fn resolve(url: &str, links: &LinkIndex, source_rel: &str, page_out: &str) -> Target {
    if url.is_empty() || url.starts_with('#') || url.starts_with("//") {
        return Target::Keep;
    }
    if let Some(scheme) = scheme(url) {
        return if SAFE_SCHEMES.contains(&scheme.as_str()) { Target::Keep } else { Target::Unsafe(scheme) };
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, frag)) => (rest, Some(frag)),
        None => (url, None),
    };
    // A query means nothing to a static file; it is dropped.
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    if path.is_empty() {
        return Target::Keep;
    }
    let Some(key) = join(source_rel, &percent_decode(path)) else { return Target::Broken(None) };
    let with_fragment = |href: String| match fragment {
        Some(f) => format!("{href}#{f}"),
        None => href,
    };
    match links.pages.get(&key) {
        Some(PageRef::Visible(out)) => Target::Page(with_fragment(relative(page_out, &encode_path(out)))),
        Some(PageRef::Removed) => Target::Removed,
        None if links.files.contains(&key) => {
            Target::Asset { href: with_fragment(relative(page_out, &encode_path(&key))), rel: key }
        }
        None => Target::Broken(Some(key)),
    }
}

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

/// `path` (relative to the folder of `source_rel`, or to `content/` when it starts with `/`)
/// as a normalised path under `content/`; None when `..` climbs out of `content/`.
/// The output path of the page an href (relative to `page_out`, percent-encoded) leads to.
pub fn target_page(page_out: &str, href_path: &str) -> Option<String> {
    join(page_out, &percent_decode(href_path))
}

fn join(source_rel: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    if !path.starts_with(['/', '\\']) {
        if let Some((dir, _)) = source_rel.rsplit_once('/') {
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

/// `%20` and friends decoded; the text as written when it is not valid percent-encoded UTF-8.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    decode(s, false).and_then(|b| String::from_utf8(b).ok()).map_or(Cow::Borrowed(s), Cow::Owned)
}

/// Decodes `%XX` escapes once, refusing (None) a malformed escape or a result that is not
/// UTF-8: for request paths, where anything odd is refused rather than guessed.
pub fn percent_decode_strict(s: &str) -> Option<String> {
    String::from_utf8(decode(s, true)?).ok()
}

/// The bytes of `s` with `%XX` decoded; a malformed escape is kept as it is, or with
/// `strict` makes it None.
fn decode(s: &str, strict: bool) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(v) if b == b'%' => {
                out.push(v);
                i += 3;
            }
            None if b == b'%' && strict => return None,
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(out)
}

/// A decoded path made safe to put back in a URL: `%`, `#` and `?` encoded (the HTML writer
/// encodes spaces and non-ASCII itself).
fn encode_path(path: &str) -> Cow<'_, str> {
    if !path.contains(['%', '#', '?']) {
        return Cow::Borrowed(path);
    }
    Cow::Owned(path.replace('%', "%25").replace('#', "%23").replace('?', "%3F"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> LinkIndex {
        let mut links = LinkIndex::default();
        for (k, v) in [
            ("plan/01-b.md", "plan/01-b.html"),
            ("plan/04-x/a.md", "plan/04-x/a.html"),
            ("plan/04-x", "plan/04-x/index.html"),
            ("plan/04-x/", "plan/04-x/index.html"),
            ("plan/04-x/_index.md", "plan/04-x/index.html"),
            ("plan/met spatie.md", "plan/met spatie.html"),
        ] {
            links.pages.insert(k.into(), PageRef::Visible(v.into()));
        }
        links.pages.insert("plan/geheim.md".into(), PageRef::Removed);
        links.files.insert("plan/img/kaart.png".into());
        links
    }

    fn at(url: &str, source: &str, out: &str) -> Target {
        resolve(url, &index(), source, out)
    }

    #[test]
    fn pages_relative_to_the_current_page() {
        let a = ("plan/04-x/a.md", "plan/04-x/a.html");
        assert_eq!(at("../01-b.md", a.0, a.1), Target::Page("../01-b.html".into()));
        assert_eq!(at("./a.md#kop", a.0, a.1), Target::Page("a.html#kop".into()));
        assert_eq!(at("04-x/a.md#x", "plan/01-b.md", "plan/01-b.html"), Target::Page("04-x/a.html#x".into()));
        assert_eq!(at("04-x/", "plan/01-b.md", "plan/01-b.html"), Target::Page("04-x/index.html".into()));
        assert_eq!(at("04-x", "plan/01-b.md", "plan/01-b.html"), Target::Page("04-x/index.html".into()));
        assert_eq!(at("../../plan/01-b.md", a.0, a.1), Target::Page("../01-b.html".into()));
        assert_eq!(at("met%20spatie.md", "plan/01-b.md", "plan/01-b.html"), Target::Page("met spatie.html".into()));
        assert_eq!(at("/plan/01-b.md", a.0, a.1), Target::Page("../01-b.html".into()));
    }

    #[test]
    fn removed_missing_and_outside() {
        assert_eq!(at("geheim.md", "plan/01-b.md", "plan/01-b.html"), Target::Removed);
        assert_eq!(at("nergens.md", "plan/01-b.md", "plan/01-b.html"), Target::Broken(Some("plan/nergens.md".into())));
        assert_eq!(at("../../../x.md", "plan/01-b.md", "plan/01-b.html"), Target::Broken(None));
    }

    #[test]
    fn files_and_schemes() {
        let asset = at("img/kaart.png", "plan/04-x/a.md", "plan/04-x/a.html");
        assert_eq!(asset, Target::Broken(Some("plan/04-x/img/kaart.png".into())));
        let asset = at("../img/kaart.png", "plan/04-x/a.md", "plan/04-x/a.html");
        assert_eq!(asset, Target::Asset { href: "../img/kaart.png".into(), rel: "plan/img/kaart.png".into() });
        for url in ["https://x.nl", "HTTP://x", "mailto:a@b.nl", "tel:+31", "#kop", "", "//cdn.nl/x"] {
            assert_eq!(at(url, "plan/a.md", "plan/a.html"), Target::Keep, "{url}");
        }
        for (url, s) in [
            ("javascript:alert(1)", "javascript"),
            (" \u{1}JaVa\tScript:x", "javascript"),
            ("data:text/html,x", "data"),
            ("file:///etc", "file"),
            ("vbscript:x", "vbscript"),
        ] {
            assert_eq!(at(url, "plan/a.md", "plan/a.html"), Target::Unsafe(s.into()), "{url}");
        }
    }

    #[test]
    fn decoding_and_relative_paths() {
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
        assert_eq!(percent_decode("%FF"), "%FF");
        assert_eq!(relative("index.html", "plan/a.html"), "plan/a.html");
        assert_eq!(relative("plan/a/b/c.html", "plan/x.html"), "../../x.html");
        assert_eq!(relative("plan/a.html", "plan/a.html"), "a.html");
    }
}
