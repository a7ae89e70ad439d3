//! Crawling a built handbook from a page: every internal link and asset must resolve to a
//! file (and, with `#`, to an element id), and nothing may load from outside it.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Every `href="…"`, `src="…"` and `action="…"` in `html`, with the name of the element that
/// carries it.
fn references(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\"", " action=\""] {
        let mut at = 0;
        while let Some(i) = html[at..].find(attr) {
            let start = at + i + attr.len();
            let tag_start = html[..start].rfind('<').map_or(0, |t| t + 1);
            let tag: String = html[tag_start..].chars().take_while(char::is_ascii_alphanumeric).collect();
            let end = html[start..].find('"').map_or(html.len(), |e| start + e);
            out.push((tag.to_ascii_lowercase(), html[start..end].replace("&amp;", "&")));
            at = end;
        }
    }
    out
}

/// Every `id="…"` in `html`.
fn ids(html: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(rest[..end].to_string());
        }
    }
    out
}

/// `path` without `.` and `..`; a path climbing out of the output folder fails the test.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => assert!(out.pop(), "link climbs out of the output folder: {}", path.display()),
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// The pages reached from `start` by following links, asserting each reference on the way.
pub fn crawl(site: &Path, start: &str) -> BTreeSet<PathBuf> {
    let mut seen = BTreeSet::new();
    let mut queue = vec![PathBuf::from(start)];
    let mut id_cache: HashMap<PathBuf, BTreeSet<String>> = HashMap::new();
    while let Some(page) = queue.pop() {
        if !seen.insert(page.clone()) {
            continue;
        }
        let html = fs::read_to_string(site.join(&page)).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let dir = page.parent().unwrap_or(Path::new("")).to_path_buf();
        for (tag, r) in references(&html) {
            assert!(!r.starts_with("//") && !r.starts_with('/'), "{}: not relative: {r}", page.display());
            if ["http:", "https:", "mailto:", "tel:"].iter().any(|s| r.starts_with(s)) {
                // A reader may follow a link out; the page itself loads nothing from outside.
                assert_eq!(tag, "a", "{}: <{tag}> loads {r} from outside the handbook", page.display());
                continue;
            }
            let (file, fragment) = r.split_once('#').map_or((r.as_str(), None), |(f, a)| (f, Some(a)));
            let (file, version) = file.split_once("?v=").map_or((file, None), |(f, v)| (f, Some(v)));
            let target = if file.is_empty() { page.clone() } else { normalize(&dir.join(file)) };
            assert!(!file.ends_with('/') && !file.contains('?'), "{}: link names no file: {r}", page.display());
            assert!(site.join(&target).is_file(), "{}: broken link {r}", page.display());
            if let Some(version) = version {
                assert_version(site, &target, version, &format!("{}: {r}", page.display()));
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let ids = id_cache
                    .entry(target.clone())
                    .or_insert_with(|| ids(&fs::read_to_string(site.join(&target)).expect("read target")));
                assert!(ids.contains(fragment), "{}: no id `{fragment}` in {}", page.display(), target.display());
            }
            if target.extension().is_some_and(|e| e == "html") {
                queue.push(target);
            }
        }
    }
    seen
}

/// Asserts that `version`, the `?v=` of an address of `target`, tells that file's versions
/// apart: a theme file's names the start of its bytes' digest; the search index's is hex.
fn assert_version(site: &Path, target: &Path, version: &str, context: &str) {
    assert!(version.len() >= 10 && version.bytes().all(|b| b.is_ascii_hexdigit()), "{context}: version");
    if target.iter().any(|c| c == "_static") {
        let digest = blake3::hash(&fs::read(site.join(target)).expect("asset")).to_hex();
        assert!(digest.starts_with(version), "{context}: not the digest of {}", target.display());
    }
}

/// Asserts that no stylesheet under `site` imports or points at anything outside it.
pub fn assert_css_local(site: &Path) {
    for css in super::files(site).into_iter().filter(|f| f.extension().is_some_and(|e| e == "css")) {
        let text = fs::read_to_string(site.join(&css)).expect("css");
        assert!(!text.contains("@import"), "{}: @import", css.display());
        for url in text.split("url(").skip(1).filter_map(|u| u.split(')').next()) {
            let url = url.trim().trim_matches(['"', '\'']);
            assert!(!url.contains("//") && !url.starts_with('/'), "{}: url({url}) leaves the handbook", css.display());
        }
    }
}
