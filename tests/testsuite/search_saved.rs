//! The search analyses a build keeps beside its output (`.planboek-search`) for the next
//! build into that folder: read back (with the documents the output's document files hold),
//! they give the very index a fresh analysis gives; they never carry a word of a section
//! above the next build's audience; and they are read only from an output outside the
//! repository, never through a link, and never when damaged.

use crate::common::{files, Repo};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const SAVED: &str = ".planboek-search";
/// Words of the `vertrouwelijk` section of the `basic` fixture.
const CANARIES: [&str; 3] = ["kobaltvink", "zwaluwstaartgeheim", "geheimfoto"];

/// The fixture and an output folder outside it.
fn outside() -> (Repo, tempfile::TempDir, PathBuf) {
    let repo = Repo::fixture("basic");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    (repo, dir, out)
}

/// `outside`, built twice for `audience` (a section changed between): the second build
/// kept its analyses.
fn built_twice(audience: &str) -> (Repo, tempfile::TempDir, PathBuf) {
    let (repo, dir, out) = outside();
    build(&repo, &out, audience);
    edit(&repo, 1);
    build(&repo, &out, audience);
    assert!(out.join(SAVED).is_file(), "a rebuild keeps its analyses for the next");
    (repo, dir, out)
}

fn build(repo: &Repo, out: &Path, audience: &str) {
    let out = out.to_string_lossy();
    repo.run(&["build", "-o", &out, "--audience", audience, "--today", "2026-03-01"]).assert_code(0);
}

/// Changes a section, so that the next build is not the unchanged one (which keeps the
/// output as it is).
fn edit(repo: &Repo, n: usize) {
    let file = repo.path().join("content/alpha/04-veilig.md");
    let text = fs::read_to_string(&file).expect("read");
    fs::write(&file, format!("{text}\nBewerking {n}.\n")).expect("edit");
}

/// Every file of the index and the search page, with its bytes.
fn index(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let dir = out.join("_search");
    files(&dir).into_iter().map(|f| (f.clone(), fs::read(dir.join(&f)).expect("read"))).collect()
}

/// The index a build into an empty folder makes of the repository as it is now.
fn fresh_index(repo: &Repo, audience: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("fresh");
    build(repo, &out, audience);
    assert!(!out.join(SAVED).exists(), "a build into an empty folder keeps no analyses");
    index(&out)
}

/// Replaces `from` by `to` (as long) in the document files of the output `out`, where a
/// later build reads the documents of the pages whose analyses it reads back: a forgery
/// only reading the kept analyses could carry into the next index.
fn forge_documents(out: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let dir = out.join("_search/d");
    let mut replaced = 0;
    for file in files(&dir) {
        let text = fs::read_to_string(dir.join(&file)).expect("read");
        replaced += text.matches(from).count();
        fs::remove_file(dir.join(&file)).expect("rm");
        fs::write(dir.join(&file), text.replace(from, to)).expect("forge");
    }
    assert!(replaced > 0, "{from} is in a document");
}

/// Whether any document file of the index holds `word`.
fn documents_hold(out: &Path, word: &str) -> bool {
    index(out).iter().any(|(f, bytes)| f.starts_with("d") && String::from_utf8_lossy(bytes).contains(word))
}

/// Puts each of `damaged` (what it is, its bytes) in place of planboek's own file `name` in
/// `out`, edits a section and builds: each time the index is the one a fresh build makes, and
/// a sound file is kept for the next.
fn build_over_damaged(repo: &Repo, out: &Path, name: &str, damaged: Vec<(&str, Vec<u8>)>) {
    for (n, (what, bytes)) in damaged.into_iter().enumerate() {
        fs::remove_file(out.join(name)).expect("rm");
        fs::write(out.join(name), bytes).expect("write");
        edit(repo, n + 20);
        build(repo, out, "intern");
        assert_eq!(index(out), fresh_index(repo, "intern"), "{what}");
        assert!(out.join(name).is_file(), "{what}: a new one is kept");
    }
}

#[test]
fn a_rebuild_reads_the_kept_analyses_and_writes_the_same_index() {
    let (repo, _dir, out) = outside();
    build(&repo, &out, "intern");
    assert!(!out.join(SAVED).exists(), "the first build into an empty folder keeps none");
    edit(&repo, 1);
    build(&repo, &out, "intern");
    assert!(out.join(SAVED).is_file(), "a rebuild keeps its analyses for the next");
    edit(&repo, 2);
    build(&repo, &out, "intern");
    assert_eq!(index(&out), fresh_index(&repo, "intern"), "the index is the one a fresh build makes");
    // The file is read: a record forged by hand (which only planboek's own writing could
    // make) reaches the index, so the equality above came from records read back.
    forge_documents(&out, "Aanleiding", "Zeldzaamst");
    edit(&repo, 3);
    build(&repo, &out, "intern");
    assert!(documents_hold(&out, "Zeldzaamst"), "the kept analyses were read");
}

#[test]
fn analyses_kept_inside_the_repository_or_behind_a_link_are_never_read() {
    let (repo, dir, out) = built_twice("intern");
    // The kept analyses, whole, moved out and linked to; the documents forged in place.
    let kept = dir.path().join("kept");
    fs::rename(out.join(SAVED), &kept).expect("move");
    std::os::unix::fs::symlink(&kept, out.join(SAVED)).expect("link");
    forge_documents(&out, "Aanleiding", "Zeldzaamst");
    edit(&repo, 2);
    build(&repo, &out, "intern");
    assert!(!documents_hold(&out, "Zeldzaamst"), "a link was followed");
    // In the output folder inside the repository, where a pushed commit could have put it.
    repo.run(&["build", "--audience", "intern"]).assert_code(0);
    fs::copy(&kept, repo.site().join(SAVED)).expect("plant");
    forge_documents(&repo.site(), "Aanleiding", "Zeldzaamst");
    edit(&repo, 3);
    repo.run(&["build", "--audience", "intern"]).assert_code(0);
    assert!(!documents_hold(&repo.site(), "Zeldzaamst"), "a file inside the repository was read");
    assert!(!repo.site().join(SAVED).exists(), "nothing is kept where it is never read");
}

#[test]
fn a_damaged_file_or_a_pipe_is_analysed_anew() {
    let (repo, _dir, out) = built_twice("intern");
    let whole = fs::read(out.join(SAVED)).expect("saved");
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("cut short", whole[..whole.len() / 2].to_vec()),
        ("without its footer", whole[..whole.len() - 1].to_vec()),
        ("garbage", (0..whole.len()).map(|i| (i * 131 % 251) as u8).collect()),
        ("another planboek's", [&b"PBSRCH01"[..], &[7; 32], &whole[40..]].concat()),
    ];
    build_over_damaged(&repo, &out, SAVED, damaged);
    // A named pipe would block a reader that opened it as a file.
    fs::remove_file(out.join(SAVED)).expect("rm");
    let made = std::process::Command::new("mkfifo").arg(out.join(SAVED)).status().expect("mkfifo");
    assert!(made.success());
    edit(&repo, 10);
    build(&repo, &out, "intern");
    assert_eq!(index(&out), fresh_index(&repo, "intern"), "a pipe");
}

#[test]
fn no_kept_analysis_holds_a_word_of_a_section_above_the_audience() {
    let (repo, _dir, out) = built_twice("vertrouwelijk");
    let all = String::from_utf8_lossy(&fs::read(out.join(SAVED)).expect("saved")).to_lowercase();
    for canary in CANARIES.iter().take(2) {
        assert!(all.contains(canary), "the test can fail: {canary} is kept for the full edition");
    }
    // The next build is for a lower audience, into the same folder, twice (the second
    // reading what the first kept).
    for n in 2..4 {
        edit(&repo, n);
        build(&repo, &out, "intern");
        for file in files(&out) {
            let text = String::from_utf8_lossy(&fs::read(out.join(&file)).expect("read")).to_lowercase();
            for canary in CANARIES {
                assert!(!text.contains(canary), "{canary} leaked into {}", file.display());
            }
        }
        assert!(out.join(SAVED).is_file());
    }
}

#[test]
fn the_kept_file_is_the_same_from_build_to_build() {
    // Enough pages that the threads meet the words in another order on every run.
    let repo = Repo::fixture("bench-corpus");
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, other) = (dir.path().join("out"), dir.path().join("other"));
    let config = fs::read_to_string(repo.path().join("planboek.toml")).expect("config");
    for n in 0..2 {
        repo.write("planboek.toml", format!("{config}\n# {n}\n"));
        build(&repo, &out, "vertrouwelijk");
        build(&repo, &other, "vertrouwelijk");
    }
    let kept = fs::read(out.join(SAVED)).expect("saved");
    assert!(kept == fs::read(other.join(SAVED)).expect("saved"), "the threads' order shows in the file");
}

const SNAPSHOT: &str = ".planboek-search-index";

/// Sets the text that `edit` appends to, keeping the section's front matter.
fn set_text(repo: &Repo, text: &str) {
    let file = repo.path().join("content/alpha/04-veilig.md");
    let old = fs::read_to_string(&file).expect("read");
    let front = old.splitn(3, "+++").take(2).collect::<Vec<_>>().join("+++");
    fs::write(&file, format!("{front}+++\n\n{text}\n")).expect("edit");
}

/// Whether any file of the folder `out`, planboek's own ones too, holds `word`.
fn any_file_holds(out: &Path, word: &str) -> bool {
    files(out).iter().any(|f| String::from_utf8_lossy(&fs::read(out.join(f)).expect("read")).contains(word))
}

#[test]
fn a_rebuild_patches_the_kept_index_and_keeps_nothing_that_left_it() {
    let (repo, _dir, out) = outside();
    set_text(&repo, "De vlinderdasgeheimen van de groep, en een vlinderdasgeheim.");
    build(&repo, &out, "intern");
    edit(&repo, 1);
    build(&repo, &out, "intern");
    assert!(out.join(SNAPSHOT).is_file(), "a rebuild keeps its index for the next");
    assert!(any_file_holds(&out, "vlinderdasgeheimen"), "the test can fail");
    // One word gone (its stem stays, with the other), then both.
    set_text(&repo, "De groep, en een vlinderdasgeheim.");
    build(&repo, &out, "intern");
    assert_eq!(index(&out), fresh_index(&repo, "intern"));
    assert!(!any_file_holds(&out, "vlinderdasgeheimen"), "a word that left the pages stayed");
    set_text(&repo, "De groep.");
    build(&repo, &out, "intern");
    assert_eq!(index(&out), fresh_index(&repo, "intern"));
    assert!(!any_file_holds(&out, "vlinderdasgeheim"), "a word that left the pages stayed");
    // A page more: the index is put together again, from the kept analyses.
    repo.write("content/alpha/05-nieuw.md", "+++\ntitle = \"Nieuw\"\nowner = \"gemeente\"\n+++\n\nNieuwe tekst.\n");
    build(&repo, &out, "intern");
    assert_eq!(index(&out), fresh_index(&repo, "intern"));
    // The kept index is what is patched: the kept analyses of the pages that did not
    // change are not read (a forged one does not reach the index), only copied.
    edit(&repo, 2);
    build(&repo, &out, "intern");
    let mut forged = fs::read(out.join(SAVED)).expect("saved");
    let (from, to) = (b"Aanleiding", b"Zeldzaamst");
    let at: Vec<usize> = (0..forged.len()).filter(|&i| forged[i..].starts_with(from)).collect();
    assert!(!at.is_empty(), "the test can fail");
    for i in at {
        forged[i..i + to.len()].copy_from_slice(to);
    }
    fs::remove_file(out.join(SAVED)).expect("rm");
    fs::write(out.join(SAVED), forged).expect("forge");
    edit(&repo, 3);
    build(&repo, &out, "intern");
    assert_eq!(index(&out), fresh_index(&repo, "intern"), "a kept analysis was read");
}

#[test]
fn a_damaged_kept_index_is_put_together_anew() {
    let (repo, _dir, out) = built_twice("intern");
    edit(&repo, 2);
    build(&repo, &out, "intern");
    let whole = fs::read(out.join(SNAPSHOT)).expect("snapshot");
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("cut short", whole[..whole.len() / 2].to_vec()),
        (
            "a byte changed",
            [&whole[..whole.len() / 2], &[whole[whole.len() / 2] ^ 1], &whole[whole.len() / 2 + 1..]].concat(),
        ),
        ("garbage", (0..whole.len()).map(|i| (i * 131 % 251) as u8).collect()),
    ];
    build_over_damaged(&repo, &out, SNAPSHOT, damaged);
}
