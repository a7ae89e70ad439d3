//! The output folder: what planboek wrote is listed in its manifest; a folder holding
//! anything else is refused unless `--force`; a build killed at any moment never costs the
//! published handbook, and the next build (even a failing one) puts it back first.

use crate::common::{files, Repo};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const MANIFEST: &str = ".planboek-manifest.json";
const MARKER: &str = ".planboek-output";
/// What a build was made from, written beside the manifest (not listed in it).
const INPUTS: &str = ".planboek-inputs";
/// The search analyses kept for the next build (not listed either).
const SEARCH_SAVED: &str = ".planboek-search";
/// The search index kept for the next build to patch (nor this).
const SEARCH_INDEX: &str = ".planboek-search-index";
/// The plans' record kept for the next build (nor this).
const PLANS_KEPT: &str = ".planboek-plans";

/// Every file of an output folder but the marker, the manifest, the inputs' record, the
/// kept search analyses and index, and the plans' record, with its bytes.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|f| f.to_string_lossy().replace('\\', "/"))
        .filter(|f| ![MARKER, MANIFEST, INPUTS, SEARCH_SAVED, SEARCH_INDEX, PLANS_KEPT].contains(&f.as_str()))
        .map(|f| {
            let bytes = fs::read(dir.join(&f)).expect("read");
            (f, bytes)
        })
        .collect()
}

/// The manifest's files: path → (blake3 hex, size).
fn manifest(dir: &Path) -> BTreeMap<String, (String, u64)> {
    let text = fs::read_to_string(dir.join(MANIFEST)).expect("manifest");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(json["planboek_manifest"], 1);
    let files = json["files"].as_object().expect("files");
    files
        .iter()
        .map(|(k, v)| {
            let hash = v["blake3"].as_str().expect("hash").to_string();
            (k.clone(), (hash, v["size"].as_u64().expect("size")))
        })
        .collect()
}

/// The manifest lists exactly the files of `dir`, each with the hash and size of its bytes.
pub fn assert_manifest_true(dir: &Path) {
    let listed = manifest(dir);
    let actual: BTreeMap<String, (String, u64)> = snapshot(dir)
        .into_iter()
        .map(|(f, bytes)| (f, (blake3::hash(&bytes).to_hex().to_string(), bytes.len() as u64)))
        .collect();
    assert_eq!(listed, actual, "the manifest of {} is not the truth", dir.display());
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".planboek-new-") || n.contains(".planboek-old-"))
        .collect()
}

/// A section whose front matter is an error, so that the build fails.
fn break_content(repo: &Repo) {
    repo.write("content/alpha/05-kapot.md", "+++\ntitle = 3\n+++\n");
}

fn fix_content(repo: &Repo) {
    fs::remove_file(repo.path().join("content/alpha/05-kapot.md")).expect("fix");
}

#[test]
fn the_manifest_lists_every_file_written_and_is_reproducible() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    assert_manifest_true(&repo.site());
    assert!(manifest(&repo.site()).contains_key("alpha/img/kaart.png"), "copied assets too");
    let first = fs::read(repo.site().join(MANIFEST)).expect("read");
    repo.run(&["build"]).assert_code(0);
    assert_eq!(first, fs::read(repo.site().join(MANIFEST)).expect("read"), "same input, same manifest");
}

#[test]
fn a_planboek_output_holding_other_files_is_refused_until_forced() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    repo.write("site/notities.txt", "eigen aantekeningen");
    repo.write("site/alpha/bijlage.pdf", "%PDF eigen");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    let err = &run.stderr;
    assert!(err.contains("error[P0008]") && err.contains("alpha/bijlage.pdf, notities.txt"), "{err}");
    assert!(err.contains("--force") && err.contains("-o"), "says how to proceed: {err}");
    assert!(err.contains("the previous output was left as it was"), "{err}");
    assert_eq!(repo.read_site("notities.txt"), "eigen aantekeningen", "nothing deleted");
    // The output is checked while the sources are read, and its verdict comes first.
    let toml = fs::read_to_string(repo.path().join("planboek.toml")).expect("read");
    repo.write("planboek.toml", "title = [");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("error[P0008]") && run.stderr.contains("notities.txt"), "{}", run.stderr);
    assert!(!run.stderr.contains("planboek.toml"), "{}", run.stderr);
    repo.write("planboek.toml", &toml);

    // A page edited by hand is not the one planboek wrote either.
    fs::remove_file(repo.site().join("notities.txt")).expect("rm");
    fs::remove_file(repo.site().join("alpha/bijlage.pdf")).expect("rm");
    repo.write("site/index.html", "met de hand bewerkt");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("index.html (changed since)"), "{}", run.stderr);

    repo.write("site/notities.txt", "eigen aantekeningen");
    repo.run(&["build", "--force"]).assert_code(0);
    assert!(!repo.site().join("notities.txt").exists(), "--force replaces the folder");
    assert_manifest_true(&repo.site());
    repo.run(&["build"]).assert_code(0);
}

#[test]
fn a_planboek_output_that_is_a_git_checkout_is_refused_until_forced() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    crate::common::git(&repo.site(), "2026-01-10", &["init", "-q"]);
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains(".git") && run.stderr.contains("--force"), "{}", run.stderr);
    assert!(repo.site().join(".git/HEAD").is_file(), "the checkout is kept");
    // An output folder given with -o is held to the same rule.
    let other = tempfile::tempdir().expect("tempdir");
    let out = other.path().join("deploy");
    let out_arg = out.to_string_lossy().into_owned();
    repo.run(&["build", "-o", &out_arg]).assert_code(0);
    fs::create_dir_all(out.join(".git")).expect("mkdir");
    fs::write(out.join(".git/config"), "[core]\n").expect("write");
    repo.run(&["build", "-o", &out_arg]).assert_code(1);
    assert!(out.join(".git/config").is_file());
    repo.run(&["build", "-o", &out_arg, "--force"]).assert_code(0);
    assert!(!out.join(".git").exists());
}

#[test]
fn a_kill_between_the_two_renames_is_restored_even_by_a_failing_build() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    let before = snapshot(&repo.site());
    // What a kill after `site → .site.planboek-old-<pid>` and before the new tree's rename
    // leaves (4999999 is above Linux's largest pid, so no process of that id runs).
    let old = repo.path().join(".site.planboek-old-4999999");
    fs::rename(repo.site(), &old).expect("rename");
    break_content(&repo);
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("restored it from .site.planboek-old-4999999"), "{}", run.stderr);
    assert!(run.stderr.contains("the previous output was left as it was"), "{}", run.stderr);
    assert_eq!(snapshot(&repo.site()), before, "the previous output is back, whole");
    assert!(leftovers(repo.path()).is_empty(), "{:?}", leftovers(repo.path()));

    fix_content(&repo);
    repo.run(&["build"]).assert_code(0);
    assert_manifest_true(&repo.site());
}

#[test]
fn a_kill_during_staging_costs_nothing() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    let before = snapshot(&repo.site());
    // A staging folder of a killed build: the marker and half the pages, no manifest.
    let staging = repo.path().join(".site.planboek-new-4999999");
    fs::create_dir_all(staging.join("alpha")).expect("mkdir");
    fs::write(staging.join(MARKER), "").expect("write");
    fs::write(staging.join("alpha/01-aanleiding.html"), "<html>half").expect("write");
    break_content(&repo);
    repo.run(&["build"]).assert_code(1);
    assert_eq!(snapshot(&repo.site()), before);
    assert!(leftovers(repo.path()).is_empty(), "the killed build's staging folder is removed");

    // Without an output folder, an incomplete staging folder is never taken for one.
    fs::remove_dir_all(repo.site()).expect("rm");
    fs::create_dir_all(&staging).expect("mkdir");
    fs::write(staging.join(MARKER), "").expect("write");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert!(!repo.site().exists() && leftovers(repo.path()).is_empty());
}

#[test]
fn a_staging_folder_killed_before_its_marker_is_removed_and_a_stranger_of_its_name_is_not() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    // A build killed right after making its staging folder, before marking it as its own.
    let empty = repo.path().join(".site.planboek-new-4999998");
    fs::create_dir(&empty).expect("mkdir");
    // A folder of the same form that holds something and no marker is not known to be ours.
    let stranger = repo.path().join(".site.planboek-new-4999997");
    fs::create_dir(&stranger).expect("mkdir");
    fs::write(stranger.join("notes.txt"), "van iemand anders").expect("write");
    repo.run(&["build"]).assert_code(0);
    assert!(!empty.exists(), "the empty staging folder is removed");
    assert_eq!(fs::read_to_string(stranger.join("notes.txt")).expect("kept"), "van iemand anders");
}

/// A repository big enough that a build takes a while: `n` plans of 12 sections.
fn big_repo(n: usize) -> Repo {
    let repo = Repo::fixture("basic");
    let body = "Een alinea over de aanpak van de groep en de afspraken met de partners.\n\n".repeat(40);
    for p in 0..n {
        repo.write(&format!("content/groot-{p}/_index.md"), format!("+++\ntitle = \"Groot {p}\"\n+++\n"));
        for s in 0..12 {
            repo.write(&format!("content/groot-{p}/{s:02}-stuk.md"), format!("+++\ntitle = \"Stuk {s}\"\n+++\n{body}"));
        }
    }
    repo
}

#[test]
fn builds_killed_at_any_moment_never_lose_the_output() {
    let repo = big_repo(10);
    repo.run(&["build"]).assert_code(0);
    for delay_ms in [10, 40, 100, 200, 400, 800] {
        // Each build changes every page, so a restored tree is a whole old or a whole new one.
        repo.write("content/alpha/_index.md", format!("+++\ntitle = \"Alpha {delay_ms}\"\n+++\n"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_planboek"))
            .arg("build")
            .current_dir(repo.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start build");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // The next build, a failing one, first puts back a complete tree if the kill left none.
        break_content(&repo);
        repo.run(&["build"]).assert_code(1);
        assert!(repo.site().join("index.html").is_file(), "killed after {delay_ms} ms: no output");
        assert_manifest_true(&repo.site());
        fix_content(&repo);
    }
    repo.run(&["build"]).assert_code(0);
    assert!(leftovers(repo.path()).is_empty(), "{:?}", leftovers(repo.path()));
}

#[test]
fn versioned_output_and_cache_entries_have_true_manifests() {
    let repo = Repo::versioned_example();
    assert_manifest_true(&repo.site());
    assert!(manifest(&repo.site()).keys().any(|k| k.starts_with("v1/")), "the versions' files are listed");
    let cache = repo.path().join(".planboek-cache/out");
    for entry in fs::read_dir(&cache).expect("cache").flatten() {
        let listed = manifest(&entry.path());
        for own in [".planboek-version.json", ".planboek-findings.json"] {
            assert!(listed.contains_key(own), "{own} in {}", entry.path().display());
        }
    }
    // The cache's own files stay in the cache.
    let site = manifest(&repo.site());
    assert!(!site.keys().any(|k| k.contains(".planboek-findings") || k.contains(".planboek-version")), "{site:?}");
    // A second build reuses the cache and links its files; the stamps are planboek's own.
    repo.run(&["build"]).assert_code(0);
    assert_manifest_true(&repo.site());
    repo.write("site/v1/eigen.html", "niet van planboek");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("v1/eigen.html"), "{}", run.stderr);
}

/// Whether `dir` asks the file system to spread the folders made in it (`FS_TOPDIR_FL`).
#[cfg(target_os = "linux")]
fn spreads(dir: &Path) -> bool {
    let Ok(fd) = fs::File::open(dir) else { return false };
    rustix::fs::ioctl_getflags(&fd).is_ok_and(|f| f.contains(rustix::fs::IFlags::TOPDIR))
}

#[cfg(target_os = "linux")]
#[test]
fn a_build_spreads_its_plans_and_its_search_documents_over_the_disk_where_it_can() {
    let repo = Repo::fixture("basic");
    let dir = tempfile::tempdir().expect("tempdir");
    let probe = dir.path().join("probe");
    fs::create_dir(&probe).expect("mkdir");
    let marked = fs::File::open(&probe).and_then(|fd| {
        let flags = rustix::fs::ioctl_getflags(&fd)?;
        Ok(rustix::fs::ioctl_setflags(&fd, flags | rustix::fs::IFlags::TOPDIR)?)
    });
    let out = dir.path().join("out");
    repo.run(&["build", "-o", &out.to_string_lossy(), "--today", "2026-03-01"]).assert_code(0);
    assert!(out.join("_search/d/0/0.js").is_file(), "the document files lie in folders of their own");
    if marked.is_err() || !spreads(&probe) {
        // A file system without the flag (tmpfs): the build goes on without it.
        return;
    }
    assert!(spreads(&out), "the plans' folders are spread");
    assert!(spreads(&out.join("_search/d")), "the document files' folders are spread");
    assert!(!spreads(&out.join("_search")), "other folders stay near their parent");
}
