//! A versioned build into an output folder outside the repository keeps the folders of the
//! versions it built before, moved into the new tree, but only while each is still exactly
//! the hard-linked files of that version's cache entry.

use crate::common::{files, run_in, run_with, tag, Repo};
use crate::output::assert_manifest_true;
use crate::versions::{section, two_versions};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// A repository with v1 and v2, built into an output folder beside it (outside it).
struct Built {
    repo: Repo,
    _outside: tempfile::TempDir,
    out: PathBuf,
}

impl Built {
    fn new() -> Built {
        let repo = two_versions();
        let outside = tempfile::tempdir().expect("tempdir");
        let out = outside.path().join("handboek");
        let built = Built { repo, _outside: outside, out };
        built.build(&[]).assert_code(0);
        built
    }

    fn build(&self, more: &[&str]) -> crate::common::Run {
        let out = self.out.to_string_lossy().into_owned();
        let mut args = vec!["build", "-o", out.as_str()];
        args.extend(more);
        run_in(self.repo.path(), &args)
    }

    fn ino(&self, rel: &str) -> u64 {
        std::fs::symlink_metadata(self.out.join(rel)).expect(rel).ino()
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).expect(rel)
    }

    /// Tags v3, a change of one section.
    fn tag_v3(&self) {
        self.repo.write("content/p/04-blijft.md", section("Blijft", "", "Nu toch veranderd."));
        tag(&self.repo, "2026-03-10", "v3");
    }
}

#[test]
fn a_build_after_a_new_tag_keeps_the_older_versions_folders() {
    let b = Built::new();
    let (v1, v2, page) = (b.ino("v1"), b.ino("v2"), b.ino("v1/p/04-blijft.html"));
    b.tag_v3();
    b.build(&[]).assert_code(0);
    assert_eq!((b.ino("v1"), b.ino("v2")), (v1, v2), "the older versions' folders were moved, not made anew");
    assert_eq!(b.ino("v1/p/04-blijft.html"), page);
    assert!(b.read("v3/p/04-blijft.html").contains("Nu toch veranderd"));
    assert!(b.read("_versions.js").contains("\"v3\""), "the switcher knows v3");
    assert_manifest_true(&b.out);
    let beside: Vec<_> = std::fs::read_dir(b.out.parent().expect("parent")).expect("list").collect();
    assert_eq!(beside.len(), 1, "no staging or old tree left beside the output");
    // Unchanged again: every version is kept.
    let v3 = b.ino("v3");
    b.build(&[]).assert_code(0);
    assert_eq!((b.ino("v1"), b.ino("v3")), (v1, v3));
    assert_manifest_true(&b.out);
}

#[test]
fn a_page_that_did_not_change_is_one_file_in_every_version() {
    let repo = two_versions();
    for (date, name, text) in [("2026-03-10", "v3", "Nu toch veranderd."), ("2026-03-20", "v4", "En nog eens.")] {
        repo.write("content/p/04-blijft.md", section("Blijft", "", text));
        tag(&repo, date, name);
    }
    repo.run(&["build", "--today", "2026-04-01"]).assert_code(0);
    let site = repo.site();
    let (v3, v4) = (site.join("v3/p/01-aanleiding.html"), site.join("v4/p/01-aanleiding.html"));
    assert_eq!(std::fs::read(&v3).expect("v3"), std::fs::read(&v4).expect("v4"));
    assert_eq!(ino_of(&v3), ino_of(&v4), "v4's page is a link to v3's, not a file of its own");
    assert_ne!(ino_of(&site.join("v3/p/04-blijft.html")), ino_of(&site.join("v4/p/04-blijft.html")));
    // Each version still names itself on every printed page, from its own style sheet.
    let page = std::fs::read_to_string(&v4).expect("v4");
    assert!(page.contains("<style>@import \"../_version.css\"; @page { @top-left"), "{page}");
    assert!(!page.contains("@bottom-left"), "{page}");
    for v in ["v3", "v4"] {
        let css = repo.read_site(&format!("{v}/_version.css"));
        assert_eq!(css, format!("@page {{ @bottom-left {{ content: \"Versie {v} · Gemaakt op 1 april 2026\"; }} }}\n"));
    }
    // The print edition is its version's own, and prints alike wherever it is opened from.
    assert!(repo.read_site("v4/p/print.html").contains("@bottom-left { content: \"Versie v4"));
}

#[test]
fn an_output_inside_the_repository_is_never_kept() {
    let repo = two_versions();
    repo.run(&["build"]).assert_code(0);
    let ino = |rel: &str| std::fs::metadata(repo.site().join(rel)).expect(rel).ino();
    let v1 = ino("v1");
    repo.run(&["build"]).assert_code(0);
    assert_ne!(ino("v1"), v1, "site/ inside the repository is linked anew, never moved");
}

/// Rewrites `path` in place, `from` replaced by `to` (the same size), and sets its
/// modification time back: only reading it tells it from the file planboek wrote.
pub(crate) fn forge_in_place(path: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let written = std::fs::metadata(path).expect("meta").modified().expect("mtime");
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} holds {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("forge");
    std::fs::File::options().write(true).open(path).and_then(|f| f.set_modified(written)).expect("set back");
}

#[test]
fn a_file_of_site_or_of_the_cache_is_read_before_it_is_reused() {
    let repo = two_versions();
    repo.run(&["build"]).assert_code(0);
    // site/ lies inside the repository, where a push can put a page with a manifest that
    // lists it as planboek's.
    let home = repo.site().join("index.html");
    let genuine = std::fs::read_to_string(&home).expect("home");
    forge_in_place(&home, "<!DOCTYPE", "<!VERVALS");
    repo.run(&["build"]).assert_code(0);
    assert_eq!(std::fs::read_to_string(&home).expect("home"), genuine, "the forged home page was taken over");
    // A version is built beside its predecessor's cache entry, whose pages are compared too.
    for entry in std::fs::read_dir(repo.path().join(".planboek-cache/out")).expect("cache").flatten() {
        let script = entry.path().join("_static/planboek.js");
        if script.is_file() {
            forge_in_place(&script, "function", "VERVALST");
        }
    }
    repo.write("content/p/04-blijft.md", section("Blijft", "", "Nu toch veranderd."));
    tag(&repo, "2026-03-10", "v3");
    repo.run(&["build"]).assert_code(0);
    let v3 = std::fs::read_to_string(repo.site().join("v3/_static/planboek.js")).expect("v3 script");
    assert!(!v3.contains("VERVALST"), "v3 took over its predecessor's forged script");
}

#[test]
fn a_kept_folder_that_changed_is_made_anew() {
    type Change = (&'static str, fn(&Path));
    let changes: [Change; 6] = [
        ("an edited file", |v1| {
            let page = v1.join("p/04-blijft.html");
            let text = std::fs::read_to_string(&page).expect("page").replace("verandert niet", "VERVALST");
            std::fs::remove_file(&page).expect("rm");
            std::fs::write(&page, text).expect("forge");
        }),
        ("an added file", |v1| std::fs::write(v1.join("p/extra.html"), "<p>VERVALST</p>").expect("add")),
        ("a removed file", |v1| std::fs::remove_file(v1.join("p/04-blijft.html")).expect("rm")),
        ("an added folder", |v1| std::fs::create_dir(v1.join("VERVALST")).expect("mkdir")),
        ("a symbolic link", |v1| std::os::unix::fs::symlink("/etc/passwd", v1.join("VERVALST.html")).expect("ln")),
        ("a copy with the same bytes", |v1| {
            let copy = v1.with_extension("copy");
            crate::common::copy_dir(v1, &copy);
            std::fs::remove_dir_all(v1).expect("rm");
            std::fs::rename(&copy, v1).expect("mv");
        }),
    ];
    for (what, change) in changes {
        let b = Built::new();
        let v2 = b.ino("v2");
        let expected = b.read("v1/p/04-blijft.html");
        change(&b.out.join("v1"));
        // The folder as changed (a copy is a new folder: the old one's inode may be reused
        // by the next folder made, so that is not the one to compare with).
        let changed = b.ino("v1");
        // The output now holds something planboek did not write: replaced only with --force.
        b.build(&["--force"]).assert_code(0);
        assert_ne!(b.ino("v1"), changed, "{what}: the changed folder was kept");
        assert_eq!(b.ino("v2"), v2, "{what}: the unchanged folder is still kept");
        assert_eq!(b.read("v1/p/04-blijft.html"), expected, "{what}");
        let names: Vec<String> = files(&b.out).iter().map(|f| f.to_string_lossy().into_owned()).collect();
        assert!(!names.iter().any(|n| n.contains("VERVALST") || n.contains("extra")), "{what}: {names:?}");
        for forged in ["v1/VERVALST", "v1/VERVALST.html"] {
            assert!(std::fs::symlink_metadata(b.out.join(forged)).is_err(), "{what}: {forged} kept");
        }
        assert_manifest_true(&b.out);
    }
}

#[test]
fn a_folder_built_for_another_audience_is_not_kept() {
    let b = Built::new();
    b.build(&["--audience", "vertrouwelijk"]).assert_code(0);
    let (v1, v2) = (b.ino("v1"), b.ino("v2"));
    assert!(b.read("v2/p/03-geheim.html").contains("nikkel"));
    b.build(&[]).assert_code(0);
    assert_ne!((b.ino("v1"), b.ino("v2")), (v1, v2), "a folder of the vertrouwelijk build was kept");
    for f in files(&b.out) {
        let bytes = std::fs::read(b.out.join(&f)).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("kobalt") && !text.contains("nikkel"), "{} leaks", f.display());
    }
    assert!(!b.out.join("v2/p/03-geheim.html").exists());
    assert_manifest_true(&b.out);
}

#[test]
fn a_version_folder_replaced_by_a_link_is_not_followed() {
    let b = Built::new();
    let entry = std::fs::read_dir(b.repo.path().join(".planboek-cache/out"))
        .expect("cache")
        .map(|e| e.expect("entry").path())
        .find(|p| p.join(".planboek-version.json").is_file())
        .expect("an entry");
    std::fs::remove_dir_all(b.out.join("v1")).expect("rm");
    std::os::unix::fs::symlink(&entry, b.out.join("v1")).expect("ln");
    b.build(&["--force"]).assert_code(0);
    assert!(std::fs::symlink_metadata(b.out.join("v1")).expect("v1").is_dir(), "a folder again, not a link");
    assert!(entry.join(".planboek-version.json").is_file(), "the cache entry was not moved away");
    assert_manifest_true(&b.out);
}

#[test]
fn a_failed_build_leaves_the_output_and_its_kept_folders_whole() {
    let b = Built::new();
    let before: Vec<(PathBuf, u64)> = files(&b.out).into_iter().map(|f| (f.clone(), ino_of(&b.out.join(&f)))).collect();
    let v1 = b.ino("v1");
    b.repo.write("content/p/08-kapot.md", "+++\ntitle = \"Kapot\"\nstatuss = \"concept\"\n+++\n");
    tag(&b.repo, "2026-03-10", "v3");
    let run = b.build(&[]);
    run.assert_code(1);
    assert!(run.stderr.contains("in version `v3`"), "{}", run.stderr);
    assert_eq!(b.ino("v1"), v1);
    let after: Vec<(PathBuf, u64)> = files(&b.out).into_iter().map(|f| (f.clone(), ino_of(&b.out.join(&f)))).collect();
    assert_eq!(after, before, "the previous output changed");
    assert!(!b.out.join("v3").exists());
}

fn ino_of(path: &Path) -> u64 {
    std::fs::symlink_metadata(path).expect("metadata").ino()
}

#[test]
fn a_versions_cache_that_came_with_the_repository_is_refused() {
    let repo = Repo::versioned_example();
    let before = files(&repo.site());
    // A pushed commit that carries cache entries of its own making (here: real ones; a
    // forged one would be published as it is, under a key the pusher can work out).
    crate::common::git(repo.path(), "2026-03-01", &["add", "-f", ".planboek-cache"]);
    crate::common::git(repo.path(), "2026-03-01", &["commit", "-q", "-m", "cache"]);
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains(".planboek-cache/ holds files that git tracks"), "{}", run.stderr);
    assert!(run.stderr.contains("git rm -r --cached .planboek-cache"), "{}", run.stderr);
    assert_eq!(files(&repo.site()), before, "the previous output is left as it was");
    // Once it is git's no longer, the build goes on.
    crate::common::git(repo.path(), "2026-03-01", &["rm", "-r", "-q", "--cached", ".planboek-cache"]);
    repo.run(&["build"]).assert_code(0);
}

#[test]
fn a_versions_cache_tracked_under_another_case_is_refused() {
    let repo = Repo::versioned_example();
    // On a file system that ignores case (macOS, Windows), this is the cache's folder.
    repo.write(".Planboek-Cache/out/x/index.html", "<p>vervalst</p>");
    crate::common::git(repo.path(), "2026-03-01", &["add", "-f", ".Planboek-Cache"]);
    crate::common::git(repo.path(), "2026-03-01", &["commit", "-q", "-m", "cache"]);
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains(".planboek-cache/ holds files that git tracks"), "{}", run.stderr);
}

#[test]
fn a_versions_cache_whose_tracking_git_cannot_tell_is_refused() {
    // Versions from folders, in a git work tree: no git is needed to build them.
    let repo = Repo::fixture("basic");
    crate::common::copy_dir(&repo.path().join("content"), &repo.path().join("archief/content"));
    std::fs::copy(repo.path().join("planboek.toml"), repo.path().join("archief/planboek.toml")).expect("copy");
    repo.write(
        "planboek.toml",
        "title = \"Testboek\"\n\n[versions]\ncurrent = \"concept\"\n\n[[versions.list]]\nname = \"nu\"\npath = \".\"\n\n\
         [[versions.list]]\nname = \"oud\"\npath = \"archief\"\n",
    );
    crate::common::git(repo.path(), "2026-03-01", &["init", "-q"]);
    repo.run(&["build"]).assert_code(0);
    assert!(repo.path().join(".planboek-cache").is_dir());
    // Without a git to ask, the cache could be the repository's own: it is not used.
    let run = run_with(repo.path(), &["build"], &[("PATH", "/nonexistent")]);
    run.assert_code(1);
    assert!(run.stderr.contains("cannot tell whether git tracks .planboek-cache/"), "{}", run.stderr);
    // Outside any git work tree nothing was pushed: the cache is used.
    std::fs::remove_dir_all(repo.path().join(".git")).expect("rm .git");
    run_with(repo.path(), &["build"], &[("PATH", "/nonexistent")]).assert_code(0);
}
