//! Where a link or image URL of a section leads: kept, rewritten to a page or file of the
//! output, or refused (removed page, missing target, unsafe scheme).

use super::{LinkIndex, PageRef};
use crate::util::url::{encode_path, join, nfc, percent_decode, relative, scheme, SAFE_SCHEMES};

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
    // Page and file names are NFC in the index; a link typed in NFD names the same file.
    let key = nfc(&key).into_owned();
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

/// The output path of the page an href (relative to `page_out`, percent-encoded) leads to.
pub fn target_page(page_out: &str, href_path: &str) -> Option<String> {
    join(page_out, &percent_decode(href_path))
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
        // NFD spelling of an NFC name (and percent-encoded) finds the page.
        let mut links = index();
        links.pages.insert("plan/financi\u{eb}n.md".into(), PageRef::Visible("plan/financi\u{eb}n.html".into()));
        for url in ["financie\u{308}n.md", "financie%CC%88n.md", "financi%C3%ABn.md"] {
            let found = resolve(url, &links, "plan/01-b.md", "plan/01-b.html");
            assert_eq!(found, Target::Page("financi\u{eb}n.html".into()), "{url}");
        }
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
}
