//! Versioned handbooks: temporary git repositories with tagged versions, built by the binary.

use crate::common::{files, git, tag, Repo};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const CONFIG: &str = "title = \"Testboek\"\nlanguage = \"nl\"\n\n[versions]\nfrom_git = \"v*\"\n";

pub(crate) fn section(title: &str, extra: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n{extra}+++\n\n{body}\n")
}

const ANALYSE: &str = "Dit is een lange analyse van de situatie in de wijk met veel woorden die \
                       hetzelfde blijven na de verhuizing van dit bestand naar een andere plek in het plan.";

/// A repository with v1 and v2: a change, a rename, an addition, a removal, a confidential
/// change and an unchanged section.
/// An empty git repository with planboek.toml publishing the tags `v*`.
pub(crate) fn versioned_repo() -> Repo {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = Repo { dir };
    git(repo.path(), "2026-01-10", &["init", "-q"]);
    repo.write("planboek.toml", CONFIG);
    repo.write(".gitignore", "/site/\n/.planboek-cache/\n");
    repo
}

pub(crate) fn two_versions() -> Repo {
    let repo = versioned_repo();
    repo.write("content/p/_index.md", "+++\ntitle = \"Plan P\"\n+++\n\nInleiding.\n");
    let aanleiding = "owner = \"gemeente\"\nstatus = \"concept\"\n";
    repo.write(
        "content/p/01-aanleiding.md",
        section("Aanleiding", aanleiding, "De groep telt tien jongeren in de wijk."),
    );
    repo.write("content/p/02-analyse.md", section("Analyse", "", ANALYSE));
    let secret = "classification = \"vertrouwelijk\"\n";
    repo.write("content/p/03-geheim.md", section("Geheim", secret, "Het dossier gaat over kobalt."));
    repo.write("content/p/04-blijft.md", section("Blijft", "", "Deze sectie verandert niet."));
    repo.write("content/p/07-weg.md", section("Weg", "", "Deze sectie verdwijnt straks."));
    tag(&repo, "2026-01-10", "v1");
    let aanleiding = "owner = \"gemeente\"\nstatus = \"vastgesteld\"\n";
    repo.write(
        "content/p/01-aanleiding.md",
        section("Aanleiding", aanleiding, "De groep telt twaalf jongeren in de wijk."),
    );
    git(repo.path(), "2026-02-10", &["mv", "content/p/02-analyse.md", "content/p/05-situatie.md"]);
    repo.write("content/p/05-situatie.md", section("Situatie", "", &format!("{ANALYSE} Kort.")));
    repo.write("content/p/03-geheim.md", section("Geheim", secret, "Het dossier gaat over nikkel."));
    repo.write("content/p/06-nieuw.md", section("Nieuw", "", "Een nieuwe sectie."));
    std::fs::remove_file(repo.path().join("content/p/07-weg.md")).expect("rm");
    tag(&repo, "2026-02-10", "v2");
    repo
}

#[test]
fn every_version_is_reachable_from_the_landing_page() {
    let repo = two_versions();
    repo.run(&["build"]).assert_code(0);
    let site = repo.site();
    // Every link on the way must resolve, into another version too.
    let seen = crate::common::crawl::crawl(&site, "index.html");
    let all: BTreeSet<PathBuf> = files(&site)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html") && !f.ends_with("404.html"))
        .collect();
    let missed: Vec<_> = all.difference(&seen).collect();
    assert!(missed.is_empty(), "not reachable from index.html: {missed:?}");
    assert!(seen.contains(Path::new("v1/p/02-analyse.html")) && seen.contains(Path::new("v2/changes.html")));
    assert!(repo.read_site("index.html").contains("href=\"v2/index.html\""), "leads to the newest version");
}

/// The data of the switcher script `file`: the JSON assigned to its global.
fn script_data(repo: &Repo, file: &str) -> serde_json::Value {
    let js = repo.read_site(file);
    let json = js.split_once(" = ").expect("assignment").1.trim().trim_end_matches(';');
    serde_json::from_str(json).expect("json")
}

/// What the switcher of `page` in version `from` leads to in version `to`, as versions.js
/// computes it from `_versions.js` and the file of the page's folder: the page with the same
/// identity, else the plan overview, else home.
fn switch(repo: &Repo, from: &str, page: &str, to: &str) -> String {
    let data = script_data(repo, "_versions.js");
    let folder = page.split_once('/').map_or("_site", |(f, _)| f);
    let pages = script_data(repo, &format!("_versions/{folder}.js"));
    let index = |slug: &str| {
        data["versions"].as_array().expect("versions").iter().position(|v| v["slug"] == slug).expect("version")
    };
    let (from, to) = (index(from), index(to));
    let there = pages[to].as_object().expect("pages");
    let same = pages[from].get(page).and_then(|id| there.iter().find(|(_, v)| *v == id));
    match same {
        Some((p, _)) => p.clone(),
        None => format!("{}/index.html", page.split('/').next().unwrap_or_default()),
    }
}

#[test]
fn the_switcher_goes_to_the_same_section_following_renames() {
    let repo = two_versions();
    repo.run(&["build"]).assert_code(0);
    assert_eq!(switch(&repo, "v1", "p/02-analyse.html", "v2"), "p/05-situatie.html", "rename followed");
    assert_eq!(switch(&repo, "v2", "p/05-situatie.html", "v1"), "p/02-analyse.html");
    assert_eq!(switch(&repo, "v2", "p/01-aanleiding.html", "v1"), "p/01-aanleiding.html");
    assert_eq!(switch(&repo, "v2", "p/06-nieuw.html", "v1"), "p/index.html", "missing → plan overview");
    assert_eq!(switch(&repo, "v2", "actions.html", "v1"), "actions.html", "the root's pages have their own file");
    let data = script_data(&repo, "_versions.js");
    assert!(data.get("pages").is_none(), "every page loads _versions.js: it lists no pages");
    assert_eq!(data["versions"][0]["slug"], "v2", "newest first");
    assert_eq!(data["newest"], 0, "older versions' banners lead to v2");
    let page = repo.read_site("v1/p/02-analyse.html");
    // The bar does not name its version (the script reads it from the address), so that an
    // unchanged page is the same file in every version.
    assert!(page.contains("data-pb-version=\"\" data-pb-root=\"../\""), "{page}");
    assert!(!page.contains("v1"), "{page}");
    // The 404 page is served at addresses that are not its own: it names its version.
    assert!(repo.read_site("v1/404.html").contains("data-pb-version=\"v1\""));
    assert!(page.contains("<script src=\"../../_versions.js\"></script>"));
    assert!(!repo.read_site("index.html").contains("data-pb-version"), "landing page has no bar");
}

#[test]
fn the_changes_page_lists_exactly_the_changed_sections() {
    let repo = two_versions();
    repo.run(&["build"]).assert_code(0);
    let changes = crate::common::visible(&repo.read_site("v2/changes.html"));
    for id in ["w-p-01-aanleiding", "w-p-05-situatie", "w-p-06-nieuw", "w-p-07-weg"] {
        assert!(changes.contains(&format!("id=\"{id}\"")), "{id} listed:\n{changes}");
    }
    assert_eq!(changes.matches("class=\"pb-change pb-change--").count(), 4, "{changes}");
    assert!(!changes.contains("w-p-04-blijft"), "unchanged section listed");
    assert!(changes.contains("<del>tien</del><ins>twaalf</ins>"), "{changes}");
    assert!(changes.contains("pb-change--renamed") && changes.contains("p/02-analyse.html"), "rename reported");
    assert!(!changes.contains("w-p-02-analyse"), "a rename is not a removal");
    assert!(changes.contains("<del>concept</del> <ins>vastgesteld</ins>"), "status change");
    let page = repo.read_site("v2/p/01-aanleiding.html");
    assert!(page.contains("href=\"../changes.html#w-p-01-aanleiding\""), "section links to its diff");
    assert!(page.contains("<time datetime=\"2026-02-10\">"), "last changed at v2");
    assert!(!page.contains("Eddie Editor"), "authors are hidden by default");
    assert!(!repo.read_site("v2/p/04-blijft.html").contains("changes.html#"));
}

#[test]
fn diffs_respect_the_audience() {
    let repo = two_versions();
    repo.run(&["build"]).assert_code(0);
    let changes = crate::common::visible(&repo.read_site("v2/changes.html"));
    for secret in ["Geheim", "kobalt", "nikkel", "03-geheim"] {
        assert!(!changes.contains(secret), "{secret} in an intern diff");
    }
    repo.run(&["build", "--audience", "vertrouwelijk"]).assert_code(0);
    let changes = crate::common::visible(&repo.read_site("v2/changes.html"));
    assert!(changes.contains("<del>kobalt.</del><ins>nikkel.</ins>"), "{changes}");
}

#[test]
fn authors_are_shown_when_asked() {
    let repo = two_versions();
    repo.write("planboek.toml", format!("{CONFIG}show_authors = true\n"));
    repo.run(&["build"]).assert_code(0);
    assert!(repo.read_site("v2/p/01-aanleiding.html").contains("Eddie Editor"));
}

#[test]
fn the_cache_reuses_unchanged_versions() {
    let repo = two_versions();
    repo.run(&["build"]).assert_code(0);
    let cached = repo.path().join(".planboek-cache/out");
    for e in std::fs::read_dir(&cached).expect("cache") {
        std::fs::write(e.expect("entry").path().join("sentinel.txt"), "cached").expect("sentinel");
    }
    repo.write("content/p/04-blijft.md", section("Blijft", "", "Nu toch veranderd."));
    tag(&repo, "2026-03-10", "v3");
    repo.run(&["build"]).assert_code(0);
    assert!(repo.site().join("v1/sentinel.txt").is_file(), "v1 rebuilt");
    assert!(repo.site().join("v2/sentinel.txt").is_file(), "v2 rebuilt");
    assert!(!repo.site().join("v3/sentinel.txt").exists());
    assert!(crate::common::visible(&repo.read_site("v3/changes.html")).contains("w-p-04-blijft"));
    // A file v3 shares byte for byte with v2 is v2's, linked rather than written again.
    use std::os::unix::fs::MetadataExt;
    let ino = |rel: &str| std::fs::metadata(repo.site().join(rel)).expect(rel).ino();
    assert_eq!(ino("v3/_static/planboek.css"), ino("v2/_static/planboek.css"));
    assert_ne!(ino("v3/p/04-blijft.html"), ino("v2/p/04-blijft.html"), "a changed page is its own");
    assert_eq!(script_data(&repo, "_versions.js")["versions"][0]["slug"], "v3", "the switcher knows v3");
}

/// An entry of `.planboek-cache/<kind>/` that no build has used for `days` days.
fn stale_entry(repo: &Repo, kind: &str, name: &str, days: u64) -> PathBuf {
    let dir = repo.path().join(".planboek-cache").join(kind).join(name);
    std::fs::create_dir_all(dir.join("p")).expect("entry");
    std::fs::write(dir.join("p/index.html"), "oud").expect("page");
    let stamp = std::fs::File::create(dir.join(".planboek-used")).expect("stamp");
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(days * 24 * 3600);
    stamp.set_modified(then).expect("set time");
    dir
}

#[test]
fn the_cache_drops_what_no_build_used_for_a_week() {
    let repo = two_versions();
    repo.run(&["build"]).assert_code(0);
    let old_out = stale_entry(&repo, "out", "0123456789ab-00000000000000aa", 8);
    let old_tree = stale_entry(&repo, "trees", "0123456789abcdef0123456789abcdef01234567", 30);
    let recent = stale_entry(&repo, "out", "fedcba987654-00000000000000bb", 2);
    let used: Vec<PathBuf> = std::fs::read_dir(repo.path().join(".planboek-cache/out"))
        .expect("cache")
        .map(|e| e.expect("entry").path())
        .filter(|p| *p != old_out && *p != recent)
        .collect();
    assert_eq!(used.len(), 2, "one entry per version: {used:?}");
    // Used entries stay however old they look: a build stamps them again.
    for dir in &used {
        let stamp = std::fs::File::options().write(true).open(dir.join(".planboek-used")).expect("stamp");
        stamp.set_modified(std::time::SystemTime::UNIX_EPOCH).expect("set time");
    }
    repo.run(&["build"]).assert_code(0);
    assert!(!old_out.exists() && !old_tree.exists(), "entries unused for over a week are removed");
    assert!(recent.is_dir(), "an entry used two days ago is kept");
    assert!(used.iter().all(|d| d.join(".planboek-version.json").is_file()), "the entries in use are kept");
    assert!(!files(&repo.site()).iter().any(|f| f.ends_with(".planboek-used")), "stamps stay in the cache");
}

#[test]
fn versions_outside_a_git_repository_are_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = Repo { dir };
    repo.write("planboek.toml", CONFIG);
    repo.write("content/p/_index.md", "+++\ntitle = \"P\"\n+++\n");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("not inside a git repository"), "{}", run.stderr);
    assert!(run.stderr.contains("planboek.toml:4"), "{}", run.stderr);
}

#[test]
fn a_missing_git_program_is_its_own_error() {
    let repo = two_versions();
    let empty = tempfile::tempdir().expect("tempdir");
    let path = empty.path().to_string_lossy().into_owned();
    let run = crate::common::run_with(repo.path(), &["build"], &[("PATH", &path)]);
    run.assert_code(1);
    assert!(run.stderr.contains("git is not installed"), "{}", run.stderr);
    assert!(!run.stderr.contains("not inside a git repository"), "{}", run.stderr);
}

#[test]
fn a_section_with_a_non_ascii_name_gets_its_last_change() {
    let repo = two_versions();
    repo.write("content/p/09-financiën.md", section("Financiën", "", "Het budget."));
    tag(&repo, "2026-03-10", "v3");
    repo.run(&["build"]).assert_code(0);
    let page = repo.read_site("v3/p/09-financiën.html");
    assert!(page.contains("<time datetime=\"2026-03-10\">"), "last change of a non-ASCII name:\n{page}");
}

#[test]
fn cache_entries_are_named_by_tree_and_a_stable_digest() {
    let repo = two_versions();
    let entries = |repo: &Repo| -> BTreeSet<String> {
        std::fs::read_dir(repo.path().join(".planboek-cache/out"))
            .expect("cache")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect()
    };
    repo.run(&["build"]).assert_code(0);
    let first = entries(&repo);
    assert_eq!(first.len(), 2, "{first:?}");
    for name in &first {
        let (tree, digest) = name.split_once('-').expect("tree-digest");
        assert!(tree.len() == 12 && digest.len() == 32, "{name}");
        assert!(name.chars().all(|c| c.is_ascii_hexdigit() || c == '-'), "{name}");
    }
    repo.run(&["build"]).assert_code(0);
    assert_eq!(entries(&repo), first, "the same content and settings give the same keys");
    repo.run(&["build", "--audience", "vertrouwelijk", "-o", "alles"]).assert_code(0);
    assert_eq!(entries(&repo).len(), 4, "another audience is another key");
}

#[test]
fn an_unknown_ref_is_an_error() {
    let repo = two_versions();
    repo.write("planboek.toml", format!("{CONFIG}\n[[versions.list]]\nname = \"oud\"\nref = \"v9\"\n"));
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("version `oud`: unknown git ref `v9`"), "{}", run.stderr);
}

#[test]
fn content_errors_name_the_version_file_and_line() {
    let repo = two_versions();
    repo.write("content/p/08-kapot.md", "+++\ntitle = \"Kapot\"\nstatuss = \"concept\"\n+++\n");
    tag(&repo, "2026-03-10", "v3");
    std::fs::remove_file(repo.path().join("content/p/08-kapot.md")).expect("rm");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("content/p/08-kapot.md:3"), "{}", run.stderr);
    assert!(run.stderr.contains("in version `v3`"), "{}", run.stderr);
}

#[test]
fn the_working_tree_is_published_as_current() {
    let repo = two_versions();
    repo.write("planboek.toml", CONFIG.replace("from_git", "current = \"concept\"\nfrom_git"));
    repo.write("content/p/06-nieuw.md", section("Nieuw", "", "Een nog nieuwere sectie."));
    repo.run(&["build"]).assert_code(0);
    assert!(crate::common::visible(&repo.read_site("concept/changes.html"))
        .contains("<del>nieuwe</del><ins>nog nieuwere</ins>"));
    let landing = repo.read_site("index.html");
    assert!(landing.contains("href=\"concept/index.html\"") && landing.contains("href=\"v2/index.html\""));
    let out = Command::new("git").args(["status", "--porcelain"]).current_dir(repo.path()).output().expect("git");
    assert_eq!(String::from_utf8_lossy(&out.stdout), " M content/p/06-nieuw.md\n M planboek.toml\n");
}

#[test]
fn loading_from_a_git_tree_matches_loading_from_disk() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    let content = fixture.join("content");
    let files: std::collections::BTreeMap<String, Vec<u8>> = files(&content)
        .into_iter()
        .map(|rel| (rel.to_string_lossy().replace('\\', "/"), std::fs::read(content.join(&rel)).expect("read")))
        .collect();
    use planboek::content::{load, ContentSource};
    let disk = load(&ContentSource::Disk(fixture.clone()));
    let tree = load(&ContentSource::Tree { tree: std::sync::Arc::new(files), assets: fixture.clone() });
    let shape = |l: &planboek::content::Loaded| {
        let sections: Vec<String> = l.site.plans.iter().flat_map(|p| p.all_sections()).map(|s| s.rel.clone()).collect();
        let ds: Vec<String> =
            l.diagnostics.iter().map(|d| format!("{}:{} {}", d.file.display(), d.line, d.message)).collect();
        let mut assets: Vec<&String> = l.files.iter().collect();
        assets.sort();
        format!("{sections:?} {ds:?} {assets:?}")
    };
    assert_eq!(shape(&disk), shape(&tree));
}

#[test]
fn an_old_version_keeps_its_images() {
    let repo = two_versions();
    repo.write("content/p/img/kaart.png", b"\x89PNG old map");
    repo.write(
        "content/p/04-blijft.md",
        section("Blijft", "", "Deze sectie verandert niet.\n\n![kaart](img/kaart.png)"),
    );
    tag(&repo, "2026-03-10", "v3");
    std::fs::remove_file(repo.path().join("content/p/img/kaart.png")).expect("rm");
    repo.write("content/p/04-blijft.md", section("Blijft", "", "Geen kaart meer."));
    tag(&repo, "2026-04-10", "v4");
    repo.run(&["build"]).assert_code(0);
    assert_eq!(std::fs::read(repo.site().join("v3/p/img/kaart.png")).expect("image"), b"\x89PNG old map");
    assert!(!repo.site().join("v4/p/img/kaart.png").exists());
}

#[test]
fn a_folder_holding_an_older_copy_is_a_version() {
    let repo = two_versions();
    repo.write("archief/2025/content/p/_index.md", "+++\ntitle = \"Plan P\"\n+++\n\nOude inleiding.\n");
    repo.write("archief/2025/content/p/01-aanleiding.md", section("Aanleiding", "", "De groep telt acht jongeren."));
    let list = "\n[[versions.list]]\nname = \"2025 archief\"\npath = \"archief/2025\"\n";
    repo.write("planboek.toml", format!("{CONFIG}{list}"));
    repo.run(&["build"]).assert_code(0);
    assert!(repo.read_site("2025-archief/p/01-aanleiding.html").contains("acht jongeren"));
    let changes = crate::common::visible(&repo.read_site("v1/changes.html"));
    assert!(changes.contains("telt <del>acht</del><ins>tien"), "v1 against the archive:\n{changes}");
    assert!(changes.contains("id=\"w-p-index\""), "the plan's introduction is compared too");
    assert!(changes.contains("<del>Oude inleiding.</del><ins>Inleiding.</ins>"), "{changes}");
    assert!(repo.read_site("index.html").contains("href=\"2025-archief/index.html\""));
    for e in std::fs::read_dir(repo.path().join(".planboek-cache/out")).expect("cache") {
        std::fs::write(e.expect("entry").path().join("sentinel.txt"), "cached").expect("sentinel");
    }
    repo.run(&["build"]).assert_code(0);
    assert!(repo.site().join("2025-archief/sentinel.txt").is_file(), "an unchanged folder is cached");
    repo.write("archief/2025/content/p/01-aanleiding.md", section("Aanleiding", "", "De groep telt negen jongeren."));
    repo.run(&["build"]).assert_code(0);
    assert!(!repo.site().join("2025-archief/sentinel.txt").exists(), "a changed folder is rebuilt");
    assert!(repo.read_site("2025-archief/p/01-aanleiding.html").contains("negen jongeren"));
}

#[test]
fn no_matching_tag_is_an_error() {
    let repo = two_versions();
    repo.write("planboek.toml", CONFIG.replace("v*", "release-*"));
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("no tag matches `release-*`"), "{}", run.stderr);
}

/// Runs the built `versions.js` of `page` against a stub DOM in node; prints every link it
/// adds (the switcher's, then the banner's as `banner: href`).
const HARNESS: &str = r#"
const fs = require("fs");
const [site, page] = process.argv.slice(1);
const html = fs.readFileSync(site + "/" + page, "utf8");
const attr = (name) => (html.match(new RegExp(name + '="([^"]*)"')) || [])[1];
function el(tag) {
  return { tag, children: [], appendChild(c) { this.children.push(c); return c; },
    insertBefore(c) { this.children.unshift(c); return c; }, setAttribute() {} };
}
const bar = el("nav"), body = el("body");
bar.getAttribute = attr;
bar.querySelector = () => null;
bar.parentNode = body;
// The switcher loads its folder's file as a script: read it from disk, as a browser would.
const head = { appendChild(s) {
  const file = require("path").join(site, require("path").dirname(page), decodeURIComponent(s.src));
  if (fs.existsSync(file)) { eval(fs.readFileSync(file, "utf8")); s.onload(); }
} };
global.document = { querySelector: () => bar, createElement: el, createTextNode: (t) => ({ text: t }), head };
global.location = { pathname: "/site/" + page };
global.window = {};
eval(fs.readFileSync(site + "/_versions.js", "utf8"));
eval(fs.readFileSync(site + "/" + page.split("/")[0] + "/_static/versions.js", "utf8"));
const out = [];
const walk = (prefix) => function w(n) { if (n.href) out.push(prefix + n.href); (n.children || []).forEach(w); };
walk("")(bar);
walk("banner: ")(body);
console.log(out.join("\n"));
"#;

/// The links the switcher of `page` adds (see `HARNESS`); None when node is missing
/// outside CI.
fn switcher_links(repo: &Repo, page: &str) -> Option<String> {
    let Ok(out) = Command::new("node").args(["-e", HARNESS]).arg(repo.site()).arg(page).output() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have node (see .ci/run)");
        eprintln!("skipped: node is not installed");
        return None;
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
#[cfg_attr(planboek_no_node, ignore = "needs node; .ci/run installs it")]
fn the_switcher_script_leads_to_the_same_section() {
    let repo = two_versions();
    repo.run(&["build"]).assert_code(0);
    let Some(text) = switcher_links(&repo, "v1/p/02-analyse.html") else { return };
    assert!(
        text.contains("\n../../v2/p/05-situatie.html") || text.starts_with("../../v2/p/05-situatie.html"),
        "{text}"
    );
    assert!(text.contains("../../v1/p/02-analyse.html"), "{text}");
    assert!(text.contains("banner: ../../v2/p/05-situatie.html"), "older version banner: {text}");
    let text = switcher_links(&repo, "v2/p/06-nieuw.html").expect("node");
    assert!(text.contains("../../v1/p/index.html") && !text.contains("banner"), "{text}");
}

#[test]
#[cfg_attr(planboek_no_node, ignore = "needs node; .ci/run installs it")]
fn the_switcher_escapes_names_that_are_not_plain_urls() {
    let repo = versioned_repo();
    repo.write("content/wijk één/_index.md", "+++\ntitle = \"Plan\"\n+++\n\nInleiding.\n");
    repo.write("content/wijk één/02 zaak #1?.md", "+++\ntitle = \"Zaak\"\n+++\n\nTekst.\n");
    tag(&repo, "2026-01-10", "v1");
    repo.write("content/wijk één/02 zaak #1?.md", "+++\ntitle = \"Zaak\"\n+++\n\nAndere tekst.\n");
    tag(&repo, "2026-02-10", "v2");
    repo.run(&["build"]).assert_code(0);
    assert!(repo.site().join("_versions/wijk één.js").is_file(), "the folder's own file");
    let Some(text) = switcher_links(&repo, "v1/wijk één/02 zaak #1?.html") else { return };
    assert!(text.contains("../../v2/wijk%20%C3%A9%C3%A9n/02%20zaak%20%231%3F.html"), "{text}");
}

#[test]
fn serve_can_build_the_versions_with_the_working_tree() {
    let repo = two_versions();
    let config = planboek::config::load(repo.path()).expect("config");
    let theme = planboek::render::Theme::load(repo.path(), &config).expect("theme");
    let out = repo.path().join("preview");
    let job = planboek::versions::Job {
        root: repo.path(),
        config: &config,
        theme: &theme,
        audience: config.audience,
        mode: planboek::markdown::Mode::Preview,
        drafts: true,
        today: planboek::date::Date::new(2026, 3, 1).expect("date"),
        out: &out,
        current: Some("current"),
        earlier: None,
        keep_previous: false,
        owned: None,
    };
    let first = planboek::versions::build(&job).expect("built");
    assert_eq!(first.current.map(|c| c.info.slug).as_deref(), Some("current"), "the working tree's model is kept");
    assert!(out.join("current/p/01-aanleiding.html").is_file());
    assert!(out.join("v1/p/01-aanleiding.html").is_file());
    let folders: Vec<&str> = first.tree.folders.keys().map(String::as_str).collect();
    assert_eq!(folders, ["v1", "v2"], "the working tree's folder is not a cache entry");

    // The next build (after a save) moves the tagged versions' folders from the tree it
    // replaces, rather than linking each of their pages again; only `current` is new.
    use std::os::unix::fs::MetadataExt;
    let ino = |p: &Path| std::fs::metadata(p).expect("metadata").ino();
    let tagged = ino(&out.join("v1"));
    let page = ino(&out.join("v1/p/01-aanleiding.html"));
    let manifest = |dir: &Path| std::fs::read_to_string(dir.join(".planboek-manifest.json")).expect("manifest");
    repo.write("content/p/04-blijft.md", section("Blijft", "", "Bewaard en bewerkt."));
    let next = repo.path().join("preview-2");
    let second = planboek::versions::Job { out: &next, earlier: Some(&first.tree), ..job };
    let second = planboek::versions::build(&second).expect("built again");
    assert_eq!(ino(&next.join("v1")), tagged, "v1's folder was moved, not made anew");
    assert_eq!(ino(&next.join("v1/p/01-aanleiding.html")), page);
    assert!(!out.join("v1").exists(), "moved out of the replaced tree");
    assert!(std::fs::read_to_string(next.join("current/p/04-blijft.html"))
        .expect("page")
        .contains("Bewaard en bewerkt"));
    assert!(manifest(&next).contains("\"v1/p/01-aanleiding.html\""), "moved files stay in the manifest");
    assert!(!next.join("current/.planboek-manifest.json").exists(), "no bookkeeping inside a version");
    assert_eq!(second.tree.folders, first.tree.folders.iter().map(|(s, d)| (s.clone(), d.clone())).collect());
}

#[test]
fn a_site_in_a_subfolder_of_the_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = Repo { dir };
    git(repo.path(), "2026-01-10", &["init", "-q"]);
    repo.write("handboek/planboek.toml", CONFIG);
    repo.write("handboek/content/p/_index.md", "+++\ntitle = \"Plan P\"\n+++\n");
    repo.write("handboek/content/p/01-a.md", section("A", "", "Tekst."));
    tag(&repo, "2026-01-10", "v1");
    crate::common::run_in(&repo.path().join("handboek"), &["build"]).assert_code(0);
    let page = std::fs::read_to_string(repo.path().join("handboek/site/v1/p/01-a.html")).expect("page");
    assert!(page.contains("<time datetime=\"2026-01-10\">"), "last change found from a subfolder");
}

#[test]
fn front_matter_changes_are_listed_in_english_too() {
    let repo = Repo { dir: tempfile::tempdir().expect("tempdir") };
    git(repo.path(), "2026-01-10", &["init", "-q"]);
    repo.write("planboek.toml", CONFIG.replace("\"nl\"", "\"en\""));
    repo.write(".gitignore", "/site/\n/.planboek-cache/\n");
    repo.write("content/p/_index.md", "+++\ntitle = \"Plan P\"\nclassification = \"openbaar\"\n+++\n");
    let actions =
        |owner: &str, class: &str, list: &str| format!("owner = \"{owner}\"\nclassification = \"{class}\"\n{list}");
    let a = |id: &str, due: &str, status: &str| {
        format!("[[actions]]\nid = \"{id}\"\nwhat = \"Actie {id}\"\ndue = {due}\nstatus = \"{status}\"\n")
    };
    let v1 = actions(
        "gemeente",
        "openbaar",
        &(a("A1", "2026-03-01", "open")
            + &a("A2", "2026-04-01", "open")
            + &a("A4", "2026-04-01", "open")
            + &a("A5", "2026-04-01", "open")),
    );
    repo.write("content/p/01-a.md", section("A", &v1, "Tekst blijft gelijk."));
    tag(&repo, "2026-01-10", "v1");
    let v2 = actions(
        "politie",
        "intern",
        &(a("A1", "2026-03-01", "gereed")
            + &a("A2", "2026-05-01", "open")
            + &a("A3", "2026-06-01", "open")
            + &a("A5", "2026-04-01", "lopend").replace("Actie A5", "Actie A5, herzien")),
    );
    repo.write("content/p/01-a.md", section("A", &v2, "Tekst blijft gelijk."));
    tag(&repo, "2026-02-10", "v2");
    repo.run(&["build"]).assert_code(0);
    let changes = crate::common::visible(&repo.read_site("v2/changes.html"));
    assert!(changes.contains("<title>Changes – v2"), "English title");
    for line in [
        "Owner: <del>Gemeente</del> <ins>Politie</ins>",
        "Classification: <del>openbaar</del> <ins>intern</ins>",
        "Action closed: <del>A1</del> <ins>gereed</ins>",
        "New due date: <del>A2: 2026-04-01</del> <ins>2026-05-01</ins>",
        "New action: <ins>A3: Actie A3 (open)</ins>",
        "Action removed: <del>A4: Actie A4 (open)</del>",
        "Action changed: <del>A5: Actie A5 (open)</del> <ins>A5: Actie A5, herzien (lopend)</ins>",
    ] {
        assert!(changes.contains(line), "missing `{line}` in:\n{changes}");
    }
    assert!(!changes.contains("class=\"pb-diff\""), "the text did not change, so no word diff");
}
