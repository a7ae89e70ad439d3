//! The files of git versions kept by blob id in `.planboek-cache/blobs`: read from git once,
//! then from the store, and read from git again wherever the store does not check out.

use crate::common::Repo;
use crate::output::snapshot;
use crate::versions::two_versions;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

fn store(repo: &Repo) -> PathBuf {
    repo.path().join(".planboek-cache/blobs")
}

/// Builds every version again (their cache entries removed, the store kept) and returns the
/// output.
fn rebuild(repo: &Repo) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::remove_dir_all(repo.path().join(".planboek-cache/out")).expect("rm out");
    repo.run(&["build", "--today", "2026-03-01"]).assert_code(0);
    snapshot(&repo.site())
}

#[test]
fn a_versions_files_are_kept_by_blob_id_and_give_the_same_handbook() {
    let repo = two_versions();
    repo.run(&["build", "--today", "2026-03-01"]).assert_code(0);
    let first = snapshot(&repo.site());
    let kept = std::fs::read(store(&repo)).expect("the store was written");
    assert!(kept.starts_with(b"planboek-blobs 1\n"));
    // Every classification's text is in it, so only its owner may read it.
    assert!(kept.windows(6).any(|w| w == b"kobalt"));
    let mode = std::fs::metadata(store(&repo)).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // Read back from the store, the versions are made byte for byte as from git.
    assert_eq!(rebuild(&repo), first);
    assert_eq!(std::fs::read(store(&repo)).expect("store"), kept, "nothing was read from git again");
}

#[test]
fn a_damaged_record_is_read_from_git_again() {
    let repo = two_versions();
    repo.run(&["build", "--today", "2026-03-01"]).assert_code(0);
    let first = snapshot(&repo.site());
    // The same length, another word: the record's digest no longer holds.
    let mut bytes = std::fs::read(store(&repo)).expect("store");
    let at = bytes.windows(6).position(|w| w == b"twaalf").expect("the store holds the section");
    bytes[at..at + 6].copy_from_slice(b"dertig");
    std::fs::write(store(&repo), &bytes).expect("damage");
    let again = rebuild(&repo);
    assert_eq!(again, first);
    let page = String::from_utf8_lossy(&again["v2/p/01-aanleiding.html"]).into_owned();
    assert!(page.contains("twaalf jongeren") && !page.contains("dertig"), "{page}");
}

#[test]
fn a_store_of_garbage_is_started_anew() {
    let repo = two_versions();
    repo.run(&["build", "--today", "2026-03-01"]).assert_code(0);
    let first = snapshot(&repo.site());
    let mut garbage = b"planboek-blobs 1\n".to_vec();
    garbage.extend(std::iter::repeat(0xA5u8).take(4096));
    std::fs::write(store(&repo), &garbage).expect("garbage");
    assert_eq!(rebuild(&repo), first);
    let kept = std::fs::read(store(&repo)).expect("store");
    assert!(kept.starts_with(b"planboek-blobs 1\nPBB1"), "started anew with the files read from git");
    assert!(!kept.windows(8).any(|w| w == [0xA5; 8]));
}

#[test]
fn a_store_that_is_a_link_is_not_followed() {
    let repo = two_versions();
    let outside = tempfile::tempdir().expect("tempdir");
    let target = outside.path().join("elders");
    // Empty, as a store about to be started: followed, it would be written.
    std::fs::write(&target, b"").expect("target");
    std::fs::create_dir_all(repo.path().join(".planboek-cache")).expect("cache");
    std::os::unix::fs::symlink(&target, store(&repo)).expect("link");
    let run = repo.run(&["build", "--today", "2026-03-01"]);
    run.assert_code(0);
    assert_eq!(std::fs::read(&target).expect("target"), b"", "written through the link");
    assert!(repo.read_site("v2/p/01-aanleiding.html").contains("twaalf jongeren"));
}
