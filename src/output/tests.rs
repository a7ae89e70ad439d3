use super::swap::{sibling, swap_by_renames};
use super::*;
use std::time::SystemTime;

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let t = tempfile::tempdir().expect("tempdir");
    for (rel, text) in files {
        let p = t.path().join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }
    t
}

/// A committed build of `files` into `out`.
fn build(out: &Path, files: &[(&str, &str)]) {
    let s = Staging::new(out).expect("staging");
    for (rel, text) in files {
        s.write(rel, text.as_bytes()).expect("write");
    }
    s.commit().expect("commit");
}

/// `site` built with index.html "v1", and a staging folder for it holding "v2".
fn staged_over_a_build() -> (tempfile::TempDir, PathBuf, Staging) {
    let t = tempfile::tempdir().expect("tempdir");
    let out = t.path().join("site");
    build(&out, &[("index.html", "v1")]);
    let s = Staging::new(&out).expect("staging");
    s.write("index.html", b"v2").expect("write");
    (t, out, s)
}

#[test]
fn refuses_dangerous_folders() {
    let t = tree(&[("content/p/x.md", ""), ("docs/keep.txt", "x")]);
    let root = t.path();
    assert!(check_out_dir(root, root, false).is_err());
    assert!(check_out_dir(root, &root.join("content/p/out"), true).is_err());
    assert!(check_out_dir(root, &root.join("themes/x"), true).is_err());
    assert!(check_out_dir(root, root.parent().expect("parent"), true).is_err());
    let site = check_out_dir(root, &root.join("site/../site"), false).expect("site/ is fine");
    assert!(site.inside_root, "site/ lies inside the repository");
    let beside = root.join("../beside-the-root");
    assert!(!check_out_dir(root, &beside, false).expect("a folder beside the root").inside_root);
    let refused = check_out_dir(root, &root.join("docs"), false).expect_err("foreign folder");
    assert!(refused.message.contains("not written by planboek"), "{refused:?}");
    assert!(refused.help.is_some_and(|h| h.contains("--force")));
    assert!(check_out_dir(root, &root.join("docs"), true).is_ok(), "--force replaces it");
}

#[test]
fn a_folder_with_files_planboek_did_not_write_is_refused() {
    let t = tempfile::tempdir().expect("tempdir");
    let out = t.path().join("site");
    build(&out, &[("index.html", "home"), ("a/b.html", "b")]);
    assert_eq!(check_owned(&out), Ok(()));
    fs::write(out.join("notities.txt"), "eigen werk").expect("write");
    fs::write(out.join("a/extra.pdf"), "pdf").expect("write");
    let why = check_owned(&out).expect_err("foreign files");
    assert!(why.contains("a/extra.pdf, notities.txt"), "{why}");
    fs::remove_file(out.join("notities.txt")).expect("rm");
    fs::remove_file(out.join("a/extra.pdf")).expect("rm");
    fs::write(out.join("index.html"), "edited by hand").expect("write");
    assert!(check_owned(&out).expect_err("changed").contains("index.html (changed since)"));
    fs::write(out.join("index.html"), "home").expect("write");
    // Symbolic links are named, and one to a folder elsewhere is not walked into.
    let elsewhere = t.path().join("elders");
    fs::create_dir_all(&elsewhere).expect("mkdir");
    fs::write(elsewhere.join("geheim.txt"), "x").expect("write");
    std::os::unix::fs::symlink(&elsewhere, out.join("link")).expect("symlink");
    std::os::unix::fs::symlink(&elsewhere, out.join("a/diep")).expect("symlink");
    let why = check_owned(&out).expect_err("links");
    assert_eq!(why, "holds files planboek did not write: a/diep, link", "{why}");
    fs::remove_file(out.join("link")).expect("rm");
    fs::remove_file(out.join("a/diep")).expect("rm");
    // A listed file become a link to what it held, and a folder too deep to be walked.
    fs::rename(out.join("a/b.html"), t.path().join("b.html")).expect("mv");
    std::os::unix::fs::symlink(t.path().join("b.html"), out.join("a/b.html")).expect("symlink");
    assert_eq!(check_owned(&out), Err("holds a file planboek did not write: a/b.html".into()));
    fs::remove_file(out.join("a/b.html")).expect("rm");
    fs::rename(t.path().join("b.html"), out.join("a/b.html")).expect("mv");
    let deep: std::path::PathBuf = std::iter::once("a").chain(std::iter::repeat("d").take(300)).collect();
    fs::create_dir_all(out.join(&deep)).expect("mkdir");
    let why = check_owned(&out).expect_err("too deep");
    assert!(why.starts_with("holds a file planboek did not write: ") && why.ends_with("/d (unreadable)"), "{why}");
    fs::remove_dir_all(out.join("a/d")).expect("rm");
    assert_eq!(check_owned(&out), Ok(()));
    fs::create_dir_all(out.join(".git")).expect("mkdir");
    assert!(check_owned(&out).expect_err(".git").contains(".git"));
}

#[test]
fn an_output_of_an_older_planboek_without_manifest_is_its_own() {
    let t = tree(&[(MARKER, ""), ("index.html", "x")]);
    assert_eq!(check_owned(t.path()), Ok(()));
}

#[test]
fn commit_replaces_writes_the_manifest_and_drop_cleans() {
    let t = tempfile::tempdir().expect("tempdir");
    let out = t.path().join("site");
    build(&out, &[("a/b.html", "one")]);
    assert_eq!(fs::read(out.join("a/b.html")).expect("read"), b"one");
    let m = Manifest::read(&out).expect("read").expect("a manifest");
    assert_eq!(m.files.keys().collect::<Vec<_>>(), ["a/b.html"]);
    assert_eq!(m.files["a/b.html"], FileEntry::of(b"one"));
    build(&out, &[("c.html", "two")]);
    assert!(!out.join("a/b.html").exists() && out.join("c.html").exists(), "replaced whole");
    let s = Staging::new(&out).expect("staging");
    s.write("d.html", b"three").expect("write");
    drop(s);
    assert!(out.join("c.html").exists());
    assert_eq!(fs::read_dir(t.path()).expect("ls").count(), 1, "no staging left");
}

#[test]
fn a_file_added_during_the_build_stops_the_swap() {
    let (_t, out, s) = staged_over_a_build();
    fs::write(out.join("nieuw.txt"), "added meanwhile").expect("write");
    let e = s.commit().expect_err("refused");
    assert!(e.to_string().contains("nieuw.txt"), "{e}");
    assert_eq!(fs::read_to_string(out.join("nieuw.txt")).expect("kept"), "added meanwhile");
    assert_eq!(fs::read_to_string(out.join("index.html")).expect("kept"), "v1");
}

#[test]
fn the_swap_looks_at_every_folder_and_rereads_a_manifest_replaced_meanwhile() {
    type Change = (&'static str, fn(&Path));
    let changes: [Change; 4] = [
        ("a/notes.txt", |out| fs::write(out.join("a/notes.txt"), "x").expect("write")),
        ("b/c/d.txt", |out| {
            fs::create_dir_all(out.join("b/c")).expect("mkdir");
            fs::write(out.join("b/c/d.txt"), "x").expect("write")
        }),
        #[cfg(unix)]
        ("a/link", |out| std::os::unix::fs::symlink("/etc/passwd", out.join("a/link")).expect("link")),
        #[cfg(not(unix))]
        ("a/link", |out| fs::write(out.join("a/link"), "x").expect("write")),
        // The manifest written anew (same text, another file): the sizes are compared again.
        ("a/x.html (changed since)", |out| {
            let manifest = fs::read(out.join(MANIFEST)).expect("manifest");
            fs::write(out.join("manifest.new"), manifest).expect("write");
            fs::rename(out.join("manifest.new"), out.join(MANIFEST)).expect("rename");
            fs::write(out.join("a/x.html"), "longer than before").expect("edit")
        }),
    ];
    for (named, change) in changes {
        let t = tempfile::tempdir().expect("tempdir");
        let out = t.path().join("site");
        build(&out, &[("index.html", "v1"), ("a/x.html", "x")]);
        let s = Staging::new(&out).expect("staging");
        s.write("index.html", b"v2").expect("write");
        change(&out);
        let e = s.commit().expect_err(named);
        assert!(e.to_string().contains(named), "{named}: {e}");
        assert_eq!(fs::read_to_string(out.join("index.html")).expect("kept"), "v1");
    }
}

#[test]
fn the_two_rename_swap_and_a_kill_between_them() {
    let (t, out, s) = staged_over_a_build();
    let staged = s.dir.clone();
    Manifest::new(s.files.lock().expect("lock").clone()).write(&staged).expect("manifest");
    std::mem::forget(s);
    swap_by_renames(&staged, &out).expect("swap");
    assert_eq!(fs::read_to_string(out.join("index.html")).expect("read"), "v2");
    assert_eq!(fs::read_dir(t.path()).expect("ls").count(), 1, "the old tree is removed");

    // Killed after the first rename: only the previous output, beside the folder.
    let old = sibling(&out, "old").with_file_name(".site.planboek-old-4999999");
    fs::rename(&out, &old).expect("rename");
    assert_eq!(recover(&out).expect("recover"), Some(old.clone()));
    assert_eq!(fs::read_to_string(out.join("index.html")).expect("restored"), "v2");
    assert!(!old.exists());
}

#[test]
fn recovery_takes_the_newest_complete_tree_and_never_an_incomplete_one() {
    let t = tempfile::tempdir().expect("tempdir");
    let out = t.path().join("site");
    build(&out, &[("index.html", "old")]);
    let old = t.path().join(".site.planboek-old-4999998");
    fs::rename(&out, &old).expect("rename");
    build(&out, &[("index.html", "new")]);
    let new = t.path().join(".site.planboek-new-4999998");
    fs::rename(&out, &new).expect("rename");
    // A staging folder killed while writing: marker, no manifest.
    let partial = t.path().join(".site.planboek-new-4999997");
    fs::create_dir_all(&partial).expect("mkdir");
    fs::write(partial.join(MARKER), "").expect("write");
    fs::write(partial.join("index.html"), "half").expect("write");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let f = fs::File::options().write(true).open(new.join(MANIFEST)).expect("open");
    f.set_modified(SystemTime::now()).expect("touch");
    drop(f);
    assert_eq!(recover(&out).expect("recover"), Some(new));
    assert_eq!(fs::read_to_string(out.join("index.html")).expect("read"), "new");
    swap::remove_stale(&out);
    assert!(!old.exists() && !partial.exists(), "with the output back, leftovers go");
}

#[test]
fn leftovers_are_kept_while_they_are_the_only_complete_tree() {
    let t = tempfile::tempdir().expect("tempdir");
    let out = t.path().join("site");
    build(&out, &[("index.html", "only")]);
    let old = t.path().join(".site.planboek-old-4999996");
    fs::rename(&out, &old).expect("rename");
    swap::remove_stale(&out);
    assert!(old.join("index.html").exists(), "never deleted");
    let s = Staging::new(&out).expect("staging restores first");
    drop(s);
    assert_eq!(fs::read_to_string(out.join("index.html")).expect("read"), "only");
}

#[test]
fn link_records_the_known_entry_or_hashes_the_file() {
    let t = tree(&[("cache/x.png", "png"), ("cache/y.png", "yy")]);
    let out = t.path().join("site");
    let s = Staging::new(&out).expect("staging");
    let known = FileEntry::of(b"png");
    s.link(&t.path().join("cache/x.png"), "v1/x.png", Some(&known)).expect("link");
    s.link(&t.path().join("cache/y.png"), "v1/y.png", None).expect("link");
    s.commit().expect("commit");
    let m = Manifest::read(&out).expect("read").expect("manifest");
    assert_eq!(m.files["v1/x.png"], known);
    assert_eq!(m.files["v1/y.png"], FileEntry::of(b"yy"));
}

#[cfg(target_os = "linux")]
#[test]
fn linux_exchanges_the_two_folders_in_one_step() {
    let t = tree(&[("a/x", "a"), ("b/x", "b")]);
    swap::exchange(&t.path().join("a"), &t.path().join("b")).expect("renameat2(RENAME_EXCHANGE)");
    assert_eq!(fs::read_to_string(t.path().join("a/x")).expect("read"), "b");
    assert_eq!(fs::read_to_string(t.path().join("b/x")).expect("read"), "a");
}

/// Whether `dir` asks the file system to spread the folders made in it.
#[cfg(target_os = "linux")]
fn spreads(dir: &Path) -> bool {
    let fd = folders::open(dir).expect("open");
    rustix::fs::ioctl_getflags(&fd).is_ok_and(|f| f.contains(rustix::fs::IFlags::TOPDIR))
}

#[cfg(target_os = "linux")]
#[test]
fn the_staging_folder_and_the_folders_asked_for_spread_their_folders_where_the_file_system_can() {
    let t = tempfile::tempdir().expect("tempdir");
    let probe = t.path().join("probe");
    fs::create_dir(&probe).expect("mkdir");
    folders::spread(&probe);
    let out = t.path().join("site");
    let s = Staging::new(&out).expect("staging");
    s.write("a/b.html", b"b").expect("write");
    s.spread_folder("s/d").expect("spread folder");
    s.write("s/d/0/1.js", b"doc").expect("write");
    s.spread_folder("a").expect("an existing folder");
    s.commit().expect("commit");
    assert_eq!(fs::read_to_string(out.join("s/d/0/1.js")).expect("read"), "doc", "the folders are made");
    if !spreads(&probe) {
        // tmpfs and others do not know the flag, and the build goes on without it.
        return;
    }
    for folder in ["", "s/d", "a"] {
        assert!(spreads(&out.join(folder)), "{folder:?} spreads the folders made in it");
    }
    assert!(!spreads(&out.join("s")), "a folder not asked for stays as it is");
}
