//! The built example handbook, crawled from index.html: every internal link and asset
//! resolves to a file (and, with `#`, to an element id), and nothing comes from outside.

mod common;

use common::Repo;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The values of every `href="…"` and `src="…"` attribute in `html`.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
            }
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

fn normalize(path: &Path) -> PathBuf {
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

#[test]
fn every_internal_link_of_the_example_resolves() {
    let repo = Repo::example();
    for audience in ["openbaar", "intern", "vertrouwelijk"] {
        let out = format!("site-{audience}");
        repo.run(&["build", "--audience", audience, "-o", &out]).assert_code(0);
        let reached = crawl(&repo.path().join(&out));
        // The example has few public sections; the internal builds hold both plans whole.
        let expected = if audience == "openbaar" { 3 } else { 30 };
        assert!(reached >= expected, "{audience}: crawl reached only {reached} pages");
    }
}

fn crawl(site: &Path) -> usize {
    let mut seen = BTreeSet::new();
    let mut queue = vec![PathBuf::from("index.html")];
    let mut id_cache: HashMap<PathBuf, BTreeSet<String>> = HashMap::new();
    while let Some(page) = queue.pop() {
        if !seen.insert(page.clone()) {
            continue;
        }
        let html = fs::read_to_string(site.join(&page)).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let dir = page.parent().unwrap_or(Path::new("")).to_path_buf();
        for r in references(&html) {
            assert!(!r.starts_with("//") && !r.starts_with('/'), "{}: not relative: {r}", page.display());
            if r.starts_with("http:") || r.starts_with("https:") || r.starts_with("mailto:") || r.starts_with("tel:") {
                assert!(
                    !r.contains("cdn") && !html.contains(&format!("src=\"{r}\"")),
                    "{}: external resource {r}",
                    page.display()
                );
                continue;
            }
            let (file, fragment) = r.split_once('#').map_or((r.as_str(), None), |(f, a)| (f, Some(a)));
            let target = if file.is_empty() { page.clone() } else { normalize(&dir.join(file)) };
            assert!(!file.ends_with('/'), "{}: link names no file: {r}", page.display());
            assert!(site.join(&target).is_file(), "{}: broken link {r}", page.display());
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
    seen.len()
}
