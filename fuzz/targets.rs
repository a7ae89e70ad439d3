#![allow(dead_code)]
//! The bodies of the fuzz targets, shared by the libFuzzer binaries in `fuzz/fuzz_targets/`
//! and by the test suite (`tests/testsuite/fuzz_corpus.rs`), which feeds every corpus file
//! through them on stable Rust. Each takes arbitrary bytes, must not panic, and asserts the
//! promises that hold for every input.

use planboek::commands::serve::{resolve, Target};
use planboek::content::parse_file;
use planboek::diag::Severity;
use planboek::markdown::{self, LinkIndex, LinkTarget, PageRef, RenderContext};
use planboek::model::{Classification, FrontMatter, PlanMeta, SectionMeta};
use planboek::util::url::{is_remote, scheme, SAFE_SCHEMES};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Front matter splitting and parsing, as loading reads every Markdown file: a file whose
/// front matter is unreadable (any front-matter error) counts as `vertrouwelijk`.
pub fn front_matter(data: &[u8]) {
    let path = Path::new("content/plan/a.md");
    let mut diagnostics = Vec::new();
    let section = parse_file::<SectionMeta>(path, data.to_vec(), &mut diagnostics);
    check_front_matter(section.as_ref().map(|(s, m)| (s, m.classification)), &diagnostics, data);
    let mut diagnostics = Vec::new();
    let plan = parse_file::<PlanMeta>(path, data.to_vec(), &mut diagnostics);
    check_front_matter(plan.as_ref().map(|(s, m)| (s, m.classification)), &diagnostics, data);
    if let Some((_, meta)) = &plan {
        let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
        assert!(!failed || *meta == PlanMeta::unreadable(), "a plan whose front matter failed is unreadable");
    }
}

fn check_front_matter(
    parsed: Option<(&planboek::model::Source, Classification)>,
    diagnostics: &[planboek::diag::Diagnostic],
    data: &[u8],
) {
    let lines = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u32 + 1;
    for d in diagnostics {
        assert!(d.line <= lines, "{} points past the end ({lines} lines)", d.line);
    }
    let Some((source, classification)) = parsed else {
        assert!(!diagnostics.is_empty(), "a file that cannot be a page says why");
        return;
    };
    assert!(source.body_line >= 1 && source.body_line <= lines + 1, "body line {}", source.body_line);
    let fm_error = diagnostics.iter().any(|d| d.code.starts_with("P001"));
    assert!(
        !fm_error || classification == Classification::Vertrouwelijk,
        "front matter that failed must count as vertrouwelijk: {diagnostics:?}"
    );
}

/// The page index every Markdown target renders against: visible pages, a removed one
/// (`geheim.md`) and a file.
fn links() -> &'static LinkIndex {
    static LINKS: OnceLock<LinkIndex> = OnceLock::new();
    LINKS.get_or_init(|| {
        let mut links = LinkIndex::default();
        for (key, out) in [
            ("plan/_index.md", "plan/index.html"),
            ("plan", "plan/index.html"),
            ("plan/01-a.md", "plan/01-a.html"),
            ("plan/04-x/a.md", "plan/04-x/a.html"),
            ("plan/04-x/_index.md", "plan/04-x/index.html"),
            ("plan/04-x", "plan/04-x/index.html"),
            ("plan/04-x/", "plan/04-x/index.html"),
            ("plan/financiën.md", "plan/financiën.html"),
        ] {
            links.pages.insert(key.into(), PageRef::Visible(out.into()));
        }
        links.pages.insert("plan/geheim.md".into(), PageRef::Removed);
        links.files.insert("plan/img/kaart.png".into());
        links
    })
}

/// Markdown rendering with placeholders, links and sanitizing. The first byte picks the
/// mode and the settings; the rest is the section's text.
pub fn markdown(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let raw = flags & 1 != 0;
    let remote = flags & 2 != 0;
    let fill = |name: &str| match name {
        "NAAM GROEP" => Some("De <Haven> & \"co\" <script>x</script>".to_string()),
        "AANTAL" => Some(String::new()),
        _ => None,
    };
    let labels = markdown::Labels {
        blank: "leeg",
        choice: "keuze",
        footnotes: "noten",
        footnote_back: "terug",
        personal: "persoonsgegeven",
        table: "tabel",
    };
    let allow = planboek::privacy::Allow::from(vec!["0800-8844".to_string()]);
    let cx = RenderContext {
        mode: if flags & 4 != 0 { markdown::Mode::Preview } else { markdown::Mode::Publish },
        allow_raw_html: raw,
        allow_remote_images: remote,
        file: Path::new("content/plan/04-x/a.md"),
        body_line: 5,
        source_rel: "plan/04-x/a.md",
        page_out: "plan/04-x/a.html",
        links: links(),
        placeholder: &fill,
        labels: &labels,
        title: if flags & 8 != 0 { markdown::PageTitle::FirstHeading } else { markdown::PageTitle::Set("Aanpak") },
        privacy: (flags & 16 != 0)
            .then_some(markdown::Privacy { allow: &allow, classification: Classification::Intern }),
    };
    let r = markdown::render(&text, &cx);
    for d in &r.diagnostics {
        assert!(d.line >= 5, "a finding before the body: {d:?}");
    }
    for asset in &r.assets {
        assert!(links().files.contains(asset), "copies only known files: {asset}");
    }
    // Unless the text names it itself, no link may lead to the removed page.
    let named = text.to_lowercase().contains("geheim.htm");
    for tag in tags(&r.html) {
        let name = tag.name.to_ascii_lowercase();
        for (attr, value) in &tag.attrs {
            if matches!(attr.as_str(), "href" | "src") && !named {
                assert!(!value.to_lowercase().contains("geheim.htm"), "a link to a removed page: {}", r.html);
            }
        }
        if raw {
            continue;
        }
        assert!(!matches!(name.as_str(), "script" | "iframe" | "object" | "embed" | "style"), "<{name}> in {}", r.html);
        for (attr, value) in &tag.attrs {
            assert!(!attr.starts_with("on"), "event handler {attr} in {}", r.html);
            if matches!(attr.as_str(), "href" | "src") {
                if let Some(s) = scheme(value) {
                    assert!(SAFE_SCHEMES.contains(&s.as_str()), "{s}: URL in {}", r.html);
                }
            }
            if name == "img" && attr == "src" && !remote {
                assert!(!is_remote(value), "remote image {value} in {}", r.html);
            }
        }
    }
}

/// One start tag of the output: its name and attributes (values unescaped only as far as
/// the checks need).
struct StartTag {
    name: String,
    attrs: Vec<(String, String)>,
}

/// The start tags of HTML that planboek (or ammonia) wrote: text is escaped there, so every
/// `<` opens a tag, a comment or an end tag, and attribute values are quoted.
fn tags(html: &str) -> Vec<StartTag> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.split_once("-->").map_or("", |(_, a)| a);
            continue;
        }
        let name_len = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        let name = rest[..name_len].to_string();
        rest = &rest[name_len..];
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let n = rest.find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/')).unwrap_or(rest.len());
            let attr = rest[..n].to_ascii_lowercase();
            rest = &rest[n..];
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
                let (v, r) = match quote {
                    Some(q) => after[1..].split_once(q).unwrap_or((&after[1..], "")),
                    None => after.split_at(after.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(after.len())),
                };
                value = v.replace("&amp;", "&").replace("&#58;", ":");
                rest = r;
            }
            attrs.push((attr, value));
        }
        if !name.starts_with('/') && !name.is_empty() {
            out.push(StartTag { name, attrs });
        }
    }
    out
}

/// Link resolution: the bytes are a URL written in `plan/04-x/a.md`.
pub fn link(data: &[u8]) {
    let url = String::from_utf8_lossy(data);
    for (source, out) in [("plan/04-x/a.md", "plan/04-x/a.html"), ("plan/01-a.md", "plan/01-a.html")] {
        match markdown::resolve_link(&url, links(), source, out) {
            LinkTarget::Page(href) | LinkTarget::Asset { href, .. } => {
                let path = href.split('#').next().unwrap_or_default();
                assert!(!path.starts_with('/') && !path.contains("//"), "{url} → {href}: not a relative path");
                assert!(!path.contains("geheim"), "{url} → {href}");
                assert!(path.split('/').take_while(|s| *s == "..").count() <= 2, "{url} → {href}");
            }
            LinkTarget::Keep => {
                if let Some(s) = scheme(&url) {
                    assert!(SAFE_SCHEMES.contains(&s.as_str()), "{url} kept with scheme {s}");
                }
            }
            LinkTarget::Broken(Some(key)) => {
                assert!(!key.split('/').any(|s| s == ".." || s == "."), "{url} → {key}");
            }
            LinkTarget::Removed | LinkTarget::Broken(None) | LinkTarget::Unsafe(_) => {}
        }
    }
}

/// A served folder for `serve_resolve`: pages, a folder with an index, a symlink out of it
/// and one that loops; with the canonical root. Made once per process.
fn served() -> &'static (PathBuf, PathBuf) {
    static ROOT: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    ROOT.get_or_init(|| {
        let base = std::env::temp_dir().join(format!("planboek-fuzz-{}", std::process::id()));
        let root = base.join("site");
        let _ = std::fs::create_dir_all(root.join("plan/04-x"));
        for file in ["index.html", "plan/index.html", "plan/04-x/a.html", "plan/financiën.html", "404.html"] {
            let _ = std::fs::write(root.join(file), "x");
        }
        let _ = std::fs::write(base.join("geheim.txt"), "outside");
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink("../geheim.txt", root.join("uit"));
            let _ = std::os::unix::fs::symlink("..", root.join("plan/lus"));
        }
        let canonical = root.canonicalize().unwrap_or(root);
        (base, canonical)
    })
}

/// The preview server's request target → file resolution: every answer is a file inside
/// the served folder, a redirect to a path, not found, or refused.
pub fn serve_resolve(data: &[u8]) {
    let (_, root) = served();
    let raw = String::from_utf8_lossy(data);
    match resolve(root, &raw) {
        Target::File(path) => {
            assert!(path.starts_with(root), "{raw} → {} outside the served folder", path.display());
            assert!(path.is_file(), "{raw} → {} is no file", path.display());
        }
        // A redirect adds the slash a folder needs; it stays a path. (That it names no other
        // host, `//x/`, is the server's open-redirect fix, issue 10 point 12.)
        Target::Redirect(location) => assert!(location.starts_with('/'), "{raw} → {location}"),
        Target::NotFound | Target::Bad => {}
    }
}

/// Removes the folder `serve_resolve` serves, when a test is done with it.
pub fn cleanup() {
    let _ = std::fs::remove_dir_all(&served().0);
}
