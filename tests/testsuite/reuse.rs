//! Rebuilding into the same output folder reuses what did not change: an unchanged page is
//! the previous build's file, hard-linked (same inode), not a new one; a changed page, or a
//! file edited in the output, is written anew; a failed build leaves every file as it was.

use crate::common::{files, Repo};
use crate::output::assert_manifest_true;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

/// Every file of the output folder with its inode.
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    files(dir)
        .into_iter()
        // Written anew by every build after the first (tests/testsuite/search_saved.rs,
        // tests/testsuite/kept_plans.rs).
        .filter(|f| {
            ![".planboek-search", ".planboek-search-index", ".planboek-plans"].contains(&f.to_string_lossy().as_ref())
        })
        .map(|f| {
            let ino = fs::symlink_metadata(dir.join(&f)).expect("meta").ino();
            (f.to_string_lossy().into_owned(), ino)
        })
        .collect()
}

/// The files whose inode differs between two listings of the same files.
fn renewed(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> Vec<String> {
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>(), "the same files");
    before.iter().filter(|(f, ino)| after[*f] != **ino).map(|(f, _)| f.clone()).collect()
}

/// What planboek rewrites on every build: its own manifest and marker.
const OWN: [&str; 2] = [".planboek-manifest.json", ".planboek-output"];

#[test]
fn an_unchanged_rebuild_links_every_page_and_a_change_renews_only_its_files() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    let first = inodes(&repo.site());
    repo.run(&["build"]).assert_code(0);
    let second = inodes(&repo.site());
    assert_eq!(renewed(&first, &second), OWN, "only planboek's own files are new");
    assert_manifest_true(&repo.site());

    let page = repo.path().join("content/beta/aanleiding.md");
    let text = fs::read_to_string(&page).expect("read");
    fs::write(&page, format!("{text}\nEen nieuwe alinea.\n")).expect("edit");
    repo.run(&["build"]).assert_code(0);
    let third = inodes(&repo.site());
    let renewed = renewed(&second, &third);
    assert!(renewed.contains(&"beta/aanleiding.html".to_string()), "{renewed:?}");
    assert!(renewed.contains(&"beta/print.html".to_string()), "its plan's print edition: {renewed:?}");
    assert!(renewed.iter().all(|f| !f.starts_with("alpha/")), "the other plan is as it was: {renewed:?}");
    assert!(repo.read_site("beta/aanleiding.html").contains("Een nieuwe alinea."));
    assert_manifest_true(&repo.site());
}

#[test]
fn a_failed_build_leaves_every_file_and_inode_as_it_was() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    let before = inodes(&repo.site());
    let bytes = fs::read(repo.site().join("alpha/01-aanleiding.html")).expect("read");
    repo.write("content/alpha/01-aanleiding.md", "+++\ntitle = 3\n+++\n");
    repo.run(&["build"]).assert_code(1);
    assert_eq!(inodes(&repo.site()), before);
    assert_eq!(fs::read(repo.site().join("alpha/01-aanleiding.html")).expect("read"), bytes);
    assert_manifest_true(&repo.site());
}

#[test]
fn a_page_edited_in_the_output_is_written_anew() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    let path = repo.site().join("alpha/01-aanleiding.html");
    let page = fs::read_to_string(&path).expect("read");
    let original = page.clone();
    // The same size, so the manifest's size check passes: only the bytes tell.
    let edited = page.replacen("<title>", "<titlE>", 1);
    assert_ne!(edited, page);
    fs::write(&path, &edited).expect("edit in place");
    let edited_inode = fs::metadata(&path).expect("meta").ino();
    repo.run(&["build"]).assert_code(0);
    assert_eq!(fs::read_to_string(&path).expect("read"), original);
    assert_ne!(fs::metadata(&path).expect("meta").ino(), edited_inode);
    assert_manifest_true(&repo.site());
}

#[test]
fn the_preview_server_links_unchanged_pages_from_the_tree_it_served() {
    use crate::common::server::Server;
    use crate::serve::newest_build;
    let repo = Repo::fixture("basic");
    let server = Server::start(&repo, &[]);
    server.wait_for("/beta/aanleiding.html", |r| r.status == 200);
    // A body edit is written into the served tree in place, and its manifest follows.
    let source = repo.path().join("content/alpha/01-aanleiding.md");
    let text = fs::read_to_string(&source).expect("read");
    fs::write(&source, format!("{text}\nEerst bewerkt.\n")).expect("edit");
    server.wait_for("/alpha/01-aanleiding.html", |r| r.body.contains("Eerst bewerkt."));
    server.lines_until(|l| l.starts_with("rebuilt in place"));
    // The search index follows on its own thread; the manifest records its files too.
    server.lines_until(|l| l.starts_with("search index updated"));
    let served = newest_build(&server.preview);
    assert_manifest_true(&served);
    let before = inodes(&served);
    // A new file changes the menus: its plan is shown first, then a full build follows,
    // into a new folder.
    repo.write("content/alpha/05-nieuw.md", "+++\ntitle = \"Nieuw\"\n+++\nNieuwe tekst.\n");
    server.lines_until(|l| l.starts_with("rebuilt everything (content/alpha/05-nieuw.md)"));
    assert_eq!(server.get("/alpha/05-nieuw.html").status, 200);
    let rebuilt = newest_build(&server.preview);
    assert_ne!(rebuilt, served);
    assert_manifest_true(&rebuilt);
    let after = inodes(&rebuilt);
    assert_eq!(after["beta/aanleiding.html"], before["beta/aanleiding.html"], "linked from the served tree");
    assert_ne!(after["alpha/01-aanleiding.html"], before["alpha/01-aanleiding.html"], "its menu changed");
    assert!(server.get("/alpha/01-aanleiding.html").body.contains("Eerst bewerkt."));
}

/// Every file under `dir` with its bytes, planboek's own records left out.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .filter(|f| !f.to_string_lossy().starts_with(".planboek-"))
        .map(|f| (f.to_string_lossy().into_owned(), fs::read(dir.join(&f)).expect("read")))
        .collect()
}

#[test]
fn rebuilds_over_the_replaced_output_equal_a_fresh_build_and_it_keeps_nothing_left_out() {
    const CANARY: &str = "Kwartelkoning";
    let repo = Repo::fixture("basic");
    repo.write(
        "content/alpha/09-geheim.md",
        format!("+++\ntitle = \"{CANARY} dossier\"\nclassification = \"vertrouwelijk\"\n+++\n\nOver {CANARY}.\n"),
    );
    let outside = tempfile::tempdir().expect("tempdir");
    let (out, spare) = (outside.path().join("out"), outside.path().join(".out.planboek-spare"));
    let build = |out: &Path, audience: &str| {
        let out = out.to_string_lossy();
        repo.run(&["build", "-o", &out, "--audience", audience, "--today", "2026-03-01"]).assert_code(0);
    };
    build(&out, "vertrouwelijk");
    repo.write("content/beta/aanleiding.md", "+++\ntitle = \"Aanleiding\"\n+++\n\nAnders.\n");
    build(&out, "vertrouwelijk");
    assert!(spare.is_dir(), "the replaced output is kept beside the new one");
    assert!(contents(&spare).keys().any(|f| f.ends_with("09-geheim.html")), "the kept output is the audience's");
    for audience in ["openbaar", "vertrouwelijk", "intern"] {
        build(&out, audience);
        let fresh = outside.path().join(format!("fresh-{audience}"));
        build(&fresh, audience);
        assert!(contents(&out) == contents(&fresh), "{audience}: the same files and bytes as a fresh build");
        assert_manifest_true(&out);
        let mode = fs::metadata(&spare).expect("spare").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{audience}: the spare is its owner's alone");
        if audience != "vertrouwelijk" {
            crate::leaks::assert_absent(&out, &[CANARY]);
            // The output it replaced was made for vertrouwelijk: what it kept is this build's.
            crate::leaks::assert_absent(&spare, &[CANARY]);
        }
    }
}
