//! Building over the spare: unchanged files and folders stay in place, everything else the
//! spare holds goes, an edited or foreign file is never taken, and a failed build leaves the
//! output as it was.

use super::super::{Staging, Trust, MANIFEST};
use super::spare_of;
use std::fs;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::Path;

fn ino(path: &Path) -> u64 {
    fs::symlink_metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).ino()
}

/// A committed build of `files` into `out`, made over its spare when `trust` is `Listed`.
/// File times have the clock's tick: the manifest is written a tick after the files, so
/// that they count as written before it.
fn build(out: &Path, trust: Trust, files: &[(&str, &str)]) {
    let mut s = Staging::new(out).expect("staging");
    s.trust(trust);
    s.recycle().expect("recycle");
    for (rel, text) in files {
        s.write(rel, text.as_bytes()).expect("write");
    }
    std::thread::sleep(std::time::Duration::from_millis(20));
    s.commit().expect("commit");
}

/// Every file under `dir` with its bytes, planboek's own files left out.
fn contents(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under").to_string_lossy().into_owned();
            (rel, fs::read_to_string(e.path()).unwrap_or_default())
        })
        .filter(|(rel, _)| !rel.starts_with(".planboek-"))
        .collect();
    out.sort();
    out
}

const FIRST: [(&str, &str); 4] =
    [("index.html", "home"), ("a/b.html", "page b"), ("a/c.html", "page c"), ("gone/x.html", "left out later")];
const SECOND: [(&str, &str); 3] = [("index.html", "home"), ("a/b.html", "page b"), ("a/c.html", "page c, new")];

/// `site` built from `FIRST`, then from `SECOND`: it then has a spare.
fn built_twice() -> (tempfile::TempDir, std::path::PathBuf) {
    let t = tempfile::tempdir().expect("tempdir");
    let out = t.path().join("site");
    build(&out, Trust::Listed, &FIRST);
    build(&out, Trust::Listed, &SECOND);
    (t, out)
}

#[test]
fn the_spare_keeps_only_what_the_new_output_holds_and_is_closed() {
    let (_t, out) = built_twice();
    let spare = spare_of(&out);
    let mode = fs::metadata(&spare).expect("a spare beside the output").permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "closed to all but its owner");
    let kept = contents(&spare);
    assert_eq!(kept, [("a/b.html".to_string(), "page b".to_string()), ("index.html".into(), "home".into())]);
    assert!(!spare.join("gone").exists(), "a folder emptied is removed");
    assert_eq!(ino(&spare.join("a/b.html")), ino(&out.join("a/b.html")), "one file, two names");
    let listed = fs::read_to_string(spare.join(MANIFEST)).expect("its manifest");
    assert!(listed.contains("a/b.html") && !listed.contains("c.html") && !listed.contains("gone"), "{listed}");
}

#[test]
fn a_rebuild_over_the_spare_keeps_its_files_and_folders_in_place() {
    let (_t, out) = built_twice();
    let spare = spare_of(&out);
    let (folder, page) = (ino(&spare.join("a")), ino(&spare.join("index.html")));
    // a/b.html is the spare's and no longer built.
    let third = [("index.html", "home"), ("a/new.html", "new in a"), ("d/e.html", "new page")];
    build(&out, Trust::Listed, &third);
    assert_eq!(ino(&out.join("a")), folder, "the spare's folder, not a new one");
    assert_eq!(ino(&out.join("index.html")), page);
    assert_eq!(contents(&out), contents_of(&third), "nothing of the spare is left over");
    let manifest = crate::output::Manifest::read(&out).expect("read").expect("manifest");
    assert_eq!(manifest.files.len(), 3);
    assert!(manifest.is_complete_in(&out));
}

#[test]
fn a_file_edited_in_the_output_is_not_taken_from_the_spare() {
    let (_t, out) = built_twice();
    // Written in place: the spare's name for the file sees the edit too.
    fs::write(out.join("index.html"), "HOME").expect("edit");
    build(&out, Trust::Listed, &SECOND);
    assert_eq!(fs::read_to_string(out.join("index.html")).expect("read"), "home");
    build(&out, Trust::Listed, &SECOND);
    assert_eq!(fs::read_to_string(out.join("index.html")).expect("read"), "home", "nor by the build after");
}

#[test]
fn what_the_spare_does_not_list_is_removed_and_never_followed() {
    let (t, out) = built_twice();
    let spare = spare_of(&out);
    let outside = t.path().join("outside");
    fs::create_dir_all(&outside).expect("mkdir");
    fs::write(outside.join("keep.html"), "home").expect("write");
    fs::write(spare.join("a/extra.html"), "planted").expect("plant");
    fs::remove_file(spare.join("index.html")).expect("rm");
    symlink(outside.join("keep.html"), spare.join("index.html")).expect("symlink");
    symlink(&outside, spare.join("d")).expect("symlink");
    let third = [("index.html", "home"), ("a/b.html", "page b"), ("d/e.html", "new page")];
    build(&out, Trust::Listed, &third);
    assert!(fs::symlink_metadata(out.join("index.html")).expect("meta").is_file(), "a file, not the link");
    assert!(fs::symlink_metadata(out.join("d")).expect("meta").is_dir(), "a folder, not the link");
    assert!(!out.join("a/extra.html").exists(), "a file the spare does not list is not published");
    assert_eq!(contents(&outside), [("keep.html".to_string(), "home".to_string())], "nothing written outside");
}

#[test]
fn a_failed_build_over_the_spare_leaves_the_output_as_it_was() {
    let (t, out) = built_twice();
    let before: Vec<u64> = SECOND.iter().map(|(rel, _)| ino(&out.join(rel))).collect();
    let mut s = Staging::new(&out).expect("staging");
    s.trust(Trust::Listed);
    s.recycle().expect("recycle");
    s.write("index.html", b"half a build").expect("write");
    drop(s);
    let after: Vec<u64> = SECOND.iter().map(|(rel, _)| ino(&out.join(rel))).collect();
    assert_eq!(after, before);
    assert_eq!(fs::read_to_string(out.join("index.html")).expect("read"), "home");
    let left: Vec<String> =
        fs::read_dir(t.path()).expect("ls").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, ["site"], "neither the staging folder nor the spare is left");
    build(&out, Trust::Listed, &SECOND);
    assert_eq!(fs::read_to_string(out.join("a/c.html")).expect("read"), "page c, new");
}

#[test]
fn a_build_that_believes_nothing_keeps_no_spare_and_removes_one() {
    let (_t, out) = built_twice();
    build(&out, Trust::Nothing, &SECOND);
    assert!(fs::symlink_metadata(spare_of(&out)).is_err(), "a spare of a folder that is not believed goes");
    build(&out, Trust::Nothing, &SECOND);
    assert!(fs::symlink_metadata(spare_of(&out)).is_err(), "and none is kept");
}

#[test]
fn the_spare_of_a_removed_output_is_removed_not_restored() {
    let (_t, out) = built_twice();
    fs::remove_dir_all(&out).expect("rm");
    build(&out, Trust::Listed, &[("index.html", "fresh")]);
    assert_eq!(contents(&out), [("index.html".to_string(), "fresh".to_string())]);
    assert!(fs::symlink_metadata(spare_of(&out)).is_err());
}

#[test]
fn a_folder_of_the_spare_that_the_build_leaves_empty_is_removed() {
    let (_t, out) = built_twice();
    build(&out, Trust::Listed, &[("index.html", "home")]);
    assert!(!out.join("a").exists(), "the spare's folder a/ holds nothing of this build");
    assert_eq!(contents(&out), [("index.html".to_string(), "home".to_string())]);
}

/// `dir`'s manifest with `rel` listed as well, written back at `at`.
fn list_also(dir: &Path, rel: &str) {
    let mut manifest = crate::output::Manifest::read(dir).expect("read").expect("manifest");
    let at = fs::metadata(dir.join(MANIFEST)).and_then(|m| m.modified()).expect("time");
    manifest.files.insert(rel.to_string(), crate::output::FileEntry::of(b"x"));
    manifest.write(dir).expect("write");
    fs::File::options().write(true).open(dir.join(MANIFEST)).and_then(|f| f.set_modified(at)).expect("time");
}

#[test]
fn a_manifest_never_leads_a_removal_out_of_its_tree() {
    let (t, out) = built_twice();
    for victim in ["victim.html", "site-victim.html"] {
        fs::write(t.path().join(victim), "x").expect("write");
    }
    // The spare's manifest leads its sweep, the output's the cut of the tree it replaces.
    list_also(&spare_of(&out), "../victim.html");
    list_also(&out, "../site-victim.html");
    build(&out, Trust::Listed, &SECOND);
    build(&out, Trust::Listed, &SECOND);
    for victim in ["victim.html", "site-victim.html"] {
        assert!(t.path().join(victim).is_file(), "{victim} was removed");
    }
    assert_eq!(fs::read_to_string(out.join("a/c.html")).expect("read"), "page c, new");
}

#[test]
fn a_file_that_became_a_folder_and_back_is_built_over_the_spare() {
    let t = tempfile::tempdir().expect("tempdir");
    let out = t.path().join("site");
    let file = [("index.html", "home"), ("a/x", "a file")];
    let folder = [("index.html", "home"), ("a/x/y.html", "in a folder")];
    for (before, after) in [(file, folder), (folder, file)] {
        build(&out, Trust::Listed, &before);
        build(&out, Trust::Listed, &before);
        build(&out, Trust::Listed, &after);
        assert_eq!(contents(&out), contents_of(&after));
    }
}

/// A build started now over `out`'s spare, its files not yet written.
fn started(out: &Path) -> Staging {
    let mut s = Staging::new(out).expect("staging");
    s.trust(Trust::Listed);
    s.recycle().expect("recycle");
    s
}

#[test]
fn the_tree_another_build_swapped_in_meanwhile_is_cut_by_its_own_manifest() {
    let (_t, out) = built_twice();
    // Started over the spare, then overtaken by a build that adds a page, and a third build
    // takes the spare that one kept.
    let slow = started(&out);
    let mut other: Vec<(&str, &str)> = SECOND.to_vec();
    other.push(("geheim.html", "Korhoen"));
    build(&out, Trust::Listed, &other);
    let third = started(&out);
    for (rel, text) in SECOND {
        slow.write(rel, text.as_bytes()).expect("write");
    }
    std::thread::sleep(std::time::Duration::from_millis(20));
    slow.commit().expect("commit");
    drop(third);
    let spare = spare_of(&out);
    assert!(spare.is_dir(), "the tree swapped out is kept");
    assert!(contents(&spare).iter().all(|(rel, text)| rel != "geheim.html" && !text.contains("Korhoen")));
    build(&out, Trust::Listed, &SECOND);
    assert_eq!(contents(&out), contents_of(&SECOND));
}

fn contents_of(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = files.iter().map(|(r, t)| (r.to_string(), t.to_string())).collect();
    out.sort();
    out
}
