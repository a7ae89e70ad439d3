//! `planboek serve` after a file of a plan was added, removed or renamed: the plan is loaded
//! again and its pages are served at once, before the full build, and they are the very
//! pages that build then keeps.

use crate::common::server::Server;
use crate::common::Repo;
use crate::output::assert_manifest_true;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The trees under the preview folder, oldest first.
fn trees(preview: &Path) -> Vec<PathBuf> {
    let number = |p: &PathBuf| p.file_name()?.to_str()?.strip_prefix("build-")?.parse::<u32>().ok();
    let mut trees: Vec<PathBuf> = fs::read_dir(preview)
        .expect("preview")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| number(p).is_some())
        .collect();
    trees.sort_by_key(number);
    trees
}

fn inode(path: &Path) -> u64 {
    fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).ino()
}

#[test]
fn a_new_section_shows_its_plan_first_with_the_pages_the_full_build_keeps() {
    let repo = Repo::fixture("basic");
    let server = Server::start(&repo, &[]);
    server.lines_until(|l| l.starts_with("rebuilt everything (first build)"));

    repo.write(
        "content/alpha/05-nieuw.md",
        "+++\ntitle = \"Nieuw stuk\"\nowner = \"politie\"\n+++\n\nEen nieuwe sectie.\n",
    );
    let lines = server.lines_until(|l| l.starts_with("rebuilt everything (content/alpha/05-nieuw.md)"));
    assert!(lines.last().is_some_and(|l| l.contains("(the changed plan's pages in ")), "{lines:?}");
    assert!(server.get("/alpha/05-nieuw.html").body.contains("Een nieuwe sectie."));
    assert!(server.get("/alpha/01-aanleiding.html").body.contains("Nieuw stuk"), "the plan's menu lists it");

    // The pages written first into the tree served until then are linked by the full build,
    // which links a file only when its bytes are what it made itself.
    let [.., first, full] = &trees(&server.preview)[..] else { panic!("two trees") };
    for page in ["05-nieuw.html", "index.html", "01-aanleiding.html", "print.html", "actions.html"] {
        let (early, kept) = (first.join("alpha").join(page), full.join("alpha").join(page));
        assert_eq!(inode(&early), inode(&kept), "alpha/{page}: the page served first is the full build's");
    }
    assert_manifest_true(first);

    // A section removed: the plan's other pages drop it from their menu at once.
    fs::remove_file(repo.path().join("content/alpha/05-nieuw.md")).expect("remove");
    let lines = server.lines_until(|l| l.starts_with("rebuilt everything (content/alpha/05-nieuw.md)"));
    assert!(lines.last().is_some_and(|l| l.contains("(the changed plan's pages in ")), "{lines:?}");
    assert!(!server.get("/alpha/01-aanleiding.html").body.contains("Nieuw stuk"));
    assert_eq!(server.get("/alpha/05-nieuw.html").status, 404);
    // The tree served meanwhile kept its manifest true: the removed page left it.
    let [.., before, _] = &trees(&server.preview)[..] else { panic!("two trees") };
    assert!(!before.join("alpha/05-nieuw.html").exists());
    assert_manifest_true(before);
}

#[test]
fn a_new_file_with_an_error_or_a_change_beyond_the_plans_is_not_shown_first() {
    let repo = Repo::fixture("basic");
    let server = Server::start(&repo, &[]);
    server.lines_until(|l| l.starts_with("rebuilt everything (first build)"));

    repo.write("content/alpha/05-kapot.md", "+++\ntitle = \"Kapot\nstatus = 3\n+++\n\nKapotte kop.\n");
    let mut lines = server.lines_until(|l| l.starts_with("rebuild failed (content/alpha/05-kapot.md)"));
    // The error comes on stderr, which may be read after stdout's line.
    if !lines.iter().any(|l| l.contains("content/alpha/05-kapot.md:")) {
        lines.extend(server.lines_until(|l| l.contains("content/alpha/05-kapot.md:")));
    }
    assert!(!lines.iter().any(|l| l.contains("changed plan's pages")), "{lines:?}");
    assert!(!server.get("/alpha/01-aanleiding.html").body.contains("Kapot"), "the last good build stays");
    fs::remove_file(repo.path().join("content/alpha/05-kapot.md")).expect("remove");
    server.lines_until(|l| l.starts_with("rebuilt everything (content/alpha/05-kapot.md)"));

    // The settings reach every page: a full build only.
    let config = fs::read_to_string(repo.path().join("planboek.toml")).expect("config");
    repo.write("planboek.toml", config.replace("title = \"Testboek\"", "title = \"Ander boek\""));
    let lines = server.lines_until(|l| l.starts_with("rebuilt everything (planboek.toml)"));
    assert!(!lines.last().is_some_and(|l| l.contains("changed plan's pages")), "{lines:?}");
    assert!(server.get("/alpha/01-aanleiding.html").body.contains("Ander boek"));
}

#[test]
fn with_versions_a_new_section_shows_in_the_working_trees_version_first() {
    let repo = crate::serve::versioned();
    let server = Server::start(&repo, &["-p", "0", "--versions"]);
    server.lines_until(|l| l.starts_with("rebuilt everything (first build)"));

    repo.write("content/p/02-b.md", "+++\ntitle = \"Nieuw stuk\"\n+++\n\nNieuwe tekst.\n");
    let lines = server.lines_until(|l| l.starts_with("rebuilt everything (content/p/02-b.md)"));
    assert!(lines.last().is_some_and(|l| l.contains("(the changed plan's pages in ")), "{lines:?}");
    assert!(server.get("/current/p/02-b.html").body.contains("Nieuwe tekst."));
    assert!(server.get("/current/p/01-a.html").body.contains("Nieuw stuk"), "the menu of current lists it");
    assert_eq!(server.get("/v1/p/02-b.html").status, 404, "v1 stays as tagged");
    assert!(!server.get("/v1/p/01-a.html").body.contains("Nieuw stuk"));
    // It was written first into the working tree's folder of the tree served until then.
    let [.., first, _] = &trees(&server.preview)[..] else { panic!("two trees") };
    assert!(fs::read_to_string(first.join("current/p/02-b.html")).is_ok_and(|h| h.contains("Nieuwe tekst.")));
    assert!(!first.join("p/02-b.html").exists() && !first.join("v1/p/02-b.html").exists());
}
