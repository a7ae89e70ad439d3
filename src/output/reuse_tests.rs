//! Reusing the previous output's files: linked when unchanged, written when changed, edited,
//! or reached through a symbolic link; the previous output survives a failed or killed build.

use super::super::{FileEntry, Staging, Trust, MANIFEST};
use std::fs;
use std::os::unix::fs::{symlink, MetadataExt};
use std::path::{Path, PathBuf};

fn inode(path: &Path) -> u64 {
    fs::symlink_metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).ino()
}

/// A build for `out` that believes the previous output as far as planboek's own folder
/// outside the repository is believed.
fn trusting(out: &Path) -> Staging {
    let mut s = Staging::new(out).expect("staging");
    s.trust(Trust::Listed);
    s
}

/// A committed build of `files` into `out`.
fn build(out: &Path, files: &[(&str, &str)]) {
    let s = trusting(out);
    for (rel, text) in files {
        s.write(rel, text.as_bytes()).expect("write");
    }
    s.commit().expect("commit");
}

const SITE: [(&str, &str); 3] = [("index.html", "home"), ("a/b.html", "page b"), ("a/c.html", "page c")];

/// `site` built from `SITE`, and the inode of each of its files.
fn built() -> (tempfile::TempDir, PathBuf, Vec<u64>) {
    let t = tempfile::tempdir().expect("tempdir");
    let out = t.path().join("site");
    build(&out, &SITE);
    let inodes = SITE.iter().map(|(rel, _)| inode(&out.join(rel))).collect();
    (t, out, inodes)
}

/// `SITE` committed into a new `site`, its manifest written a clock tick after its files:
/// file times have the clock's tick, and a file of the manifest's own tick is not told
/// apart from one written after it.
fn listed() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().expect("tempdir");
    let out = t.path().join("site");
    let s = Staging::new(&out).expect("staging");
    for (rel, text) in SITE {
        s.write(rel, text.as_bytes()).expect("write");
    }
    std::thread::sleep(std::time::Duration::from_millis(20));
    s.commit().expect("commit");
    (t, out)
}

#[test]
fn an_unchanged_rebuild_links_every_file() {
    let (t, out, before) = built();
    let manifest = fs::read(out.join(MANIFEST)).expect("manifest");
    build(&out, &SITE);
    let after: Vec<u64> = SITE.iter().map(|(rel, _)| inode(&out.join(rel))).collect();
    assert_eq!(before, after, "the same inodes: linked, not written");
    assert_eq!(fs::read(out.join(MANIFEST)).expect("manifest"), manifest);
    assert_eq!(fs::metadata(out.join("a/b.html")).expect("meta").nlink(), 1, "the old tree is gone");
    assert_eq!(fs::read_dir(t.path()).expect("ls").count(), 1, "nothing left beside the output");
}

#[test]
fn a_changed_file_is_written_and_the_others_are_linked() {
    let (_t, out, before) = built();
    build(&out, &[("index.html", "home"), ("a/b.html", "page b, edited"), ("a/c.html", "page c")]);
    assert_eq!(fs::read_to_string(out.join("a/b.html")).expect("read"), "page b, edited");
    assert_ne!(inode(&out.join("a/b.html")), before[1], "a new file");
    assert_eq!(inode(&out.join("index.html")), before[0]);
    assert_eq!(inode(&out.join("a/c.html")), before[2]);
}

#[test]
fn a_file_edited_in_the_output_is_not_reused() {
    let (_t, out, _) = built();
    // Same size, other bytes: the size check of the manifest cannot see it.
    fs::write(out.join("a/b.html"), "page X").expect("edit");
    let edited = inode(&out.join("a/b.html"));
    build(&out, &SITE);
    assert_eq!(fs::read_to_string(out.join("a/b.html")).expect("read"), "page b");
    assert_ne!(inode(&out.join("a/b.html")), edited);
}

#[test]
fn a_file_whose_permissions_changed_is_not_reused() {
    use std::os::unix::fs::PermissionsExt;
    let (_t, out, before) = built();
    let page = out.join("a/b.html");
    let mode = fs::metadata(&page).expect("meta").permissions().mode() & 0o7777;
    // Not writable by its owner: no file planboek writes is like that.
    fs::set_permissions(&page, fs::Permissions::from_mode(mode & !0o200)).expect("chmod");
    build(&out, &SITE);
    assert_ne!(inode(&page), before[1], "the changed file was linked");
    assert_eq!(fs::metadata(&page).expect("meta").permissions().mode() & 0o7777, mode);
    assert_eq!(inode(&out.join("a/c.html")), before[2], "the others are still linked");
}

#[test]
fn no_symbolic_link_in_the_previous_output_is_followed() {
    let (t, out, _) = built();
    // Outside the output folder: files with the very bytes the build writes.
    let outside = t.path().join("elsewhere");
    fs::create_dir_all(&outside).expect("mkdir");
    fs::write(outside.join("b.html"), "page b").expect("write");
    fs::write(outside.join("c.html"), "page c").expect("write");
    fs::write(outside.join("home"), "home").expect("write");
    fs::remove_dir_all(out.join("a")).expect("rm");
    symlink(&outside, out.join("a")).expect("symlink a folder");
    fs::remove_file(out.join("index.html")).expect("rm");
    symlink(outside.join("home"), out.join("index.html")).expect("symlink a file");
    build(&out, &SITE);
    for (rel, text) in SITE {
        let meta = fs::symlink_metadata(out.join(rel)).expect("meta");
        assert!(meta.is_file(), "{rel} is a file of its own");
        assert_eq!(fs::read_to_string(out.join(rel)).expect("read"), text);
        assert_eq!(meta.nlink(), 1, "{rel} shares no inode with a file outside");
    }
    assert_eq!(fs::metadata(outside.join("b.html")).expect("meta").nlink(), 1);
}

#[test]
fn a_failed_or_killed_build_leaves_the_previous_output() {
    let (t, out, before) = built();
    let staged = |s: &Staging| {
        s.write("index.html", b"home").expect("linked");
        s.write("a/b.html", b"page b, edited").expect("written");
    };
    let failed = Staging::new(&out).expect("staging");
    staged(&failed);
    drop(failed);
    let killed = Staging::new(&out).expect("staging");
    staged(&killed);
    std::mem::forget(killed);
    assert_eq!(fs::read_dir(t.path()).expect("ls").count(), 2, "the killed build's staging folder");
    // The next build clears the leftover; the output is as it was until it commits.
    let next = Staging::new(&out).expect("staging");
    for ((rel, text), ino) in SITE.iter().zip(&before) {
        assert_eq!(fs::read_to_string(out.join(rel)).expect("read"), *text);
        assert_eq!(inode(&out.join(rel)), *ino);
    }
    drop(next);
    assert_eq!(fs::read_dir(t.path()).expect("ls").count(), 1);
}

#[test]
fn a_file_the_manifest_does_not_list_or_names_otherwise_is_written() {
    let (_t, out, before) = built();
    let mut manifest = fs::read_to_string(out.join(MANIFEST)).expect("manifest");
    manifest = manifest.replace("\"a/c.html\"", "\"a/d.html\"");
    fs::write(out.join(MANIFEST), manifest).expect("write");
    build(&out, &SITE);
    assert_ne!(inode(&out.join("a/c.html")), before[2], "unlisted: written");
    assert_eq!(inode(&out.join("a/b.html")), before[1]);
}

#[test]
fn a_path_written_twice_never_writes_through_a_link_to_the_previous_output() {
    let (t, out, _) = built();
    let s = Staging::new(&out).expect("staging");
    s.write("a/b.html", b"page b").expect("linked");
    s.write("a/b.html", b"page b, the second time").expect("replaced");
    let elsewhere = t.path().join("x.png");
    fs::write(&elsewhere, "png").expect("write");
    s.link(&elsewhere, "a/c.html", None).expect("over a linked file");
    drop(s);
    assert_eq!(fs::read_to_string(out.join("a/b.html")).expect("read"), "page b", "the previous output is intact");
    assert_eq!(fs::read_to_string(out.join("a/c.html")).expect("read"), "page c");
}

#[test]
fn a_listed_file_is_linked_unread_only_while_it_is_what_the_manifest_lists() {
    let (t, out) = listed();
    let before: Vec<u64> = SITE.iter().map(|(rel, _)| inode(&out.join(rel))).collect();
    let entry = |text: &str| FileEntry::of(text.as_bytes());
    // Written after the manifest, in place (same size, same inode): not what it lists.
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(out.join("a/c.html"), "page X").expect("edit");
    // A folder of the output replaced by a link to one outside it.
    let elsewhere = t.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("mkdir");
    fs::write(elsewhere.join("x.html"), "page b").expect("write");
    let s = trusting(&out);
    assert!(s.previous_lists("a/b.html", &entry("page b")));
    assert!(!s.previous_lists("a/b.html", &entry("page B")), "another entry");
    assert!(s.link_listed(&[("a/b.html".into(), entry("page b"))]), "untouched since the build");
    assert!(!s.link_listed(&[("a/c.html".into(), entry("page c"))]), "written after the manifest");
    assert!(!s.link_listed(&[("index.html".into(), entry("home!"))]), "not the entry listed");
    assert!(!s.link_listed(&[("a/d.html".into(), entry("page d"))]), "not listed");
    s.write("a/c.html", b"page c").expect("write");
    s.write("index.html", b"home").expect("write");
    s.commit().expect("commit");
    assert_eq!(inode(&out.join("a/b.html")), before[1], "linked");
    assert_eq!(fs::read_to_string(out.join("a/c.html")).expect("read"), "page c");
    fs::remove_dir_all(out.join("a")).expect("rm");
    symlink(&elsewhere, out.join("a")).expect("link");
    let s = trusting(&out);
    assert!(!s.link_listed(&[("a/b.html".into(), entry("page b"))]), "through a symbolic link");
    fs::remove_file(out.join("index.html")).expect("rm");
    symlink(elsewhere.join("x.html"), out.join("index.html")).expect("link");
    assert!(!s.link_listed(&[("index.html".into(), entry("home"))]), "a symbolic link itself");
    assert!(!s.dir.join("index.html").exists(), "nothing left behind");
}

#[test]
fn only_an_output_outside_the_repository_is_taken_at_its_manifests_word() {
    let (_t, out) = listed();
    // Rewritten in place with bytes of the same size, its time set back to before the
    // manifest: only reading it tells.
    let page = out.join("a/b.html");
    let written = fs::metadata(&page).expect("meta").modified().expect("mtime");
    fs::write(&page, "page X").expect("forge");
    fs::File::options().write(true).open(&page).and_then(|f| f.set_modified(written)).expect("set back");
    let forged = inode(&page);
    let trusted = trusting(&out);
    trusted.write("a/b.html", b"page b").expect("write");
    assert_eq!(inode(&trusted.dir.join("a/b.html")), forged, "linked unread: the folder is trusted");
    drop(trusted);
    let mut compared = Staging::new(&out).expect("staging");
    compared.trust(Trust::OwnFiles);
    assert!(compared.previous_files().is_some(), "a cache entry's own files are read");
    let entry = |text: &str| FileEntry::of(text.as_bytes());
    assert!(!compared.link_listed(&[("a/b.html".into(), entry("page b"))]), "a forged page, read and hashed");
    assert!(compared.link_listed(&[("index.html".into(), entry("home"))]), "a genuine one, read and hashed");
    compared.write("a/b.html", b"page b").expect("write");
    assert_ne!(inode(&compared.dir.join("a/b.html")), forged, "read, and written anew");
    assert_eq!(fs::read_to_string(compared.dir.join("a/b.html")).expect("read"), "page b");
    drop(compared);
    // Untold, a build believes nothing: its own files are not read either.
    let inside = Staging::new(&out).expect("staging");
    assert!(inside.previous_files().is_none() && !inside.reads_own_files());
    inside.write("a/b.html", b"page b").expect("write");
    assert_ne!(inode(&inside.dir.join("a/b.html")), forged, "inside the repository");
}
