use super::*;
use crate::search::analyze::{Detail, PageSource};
use crate::search::index::{Collector, PreviousFiles};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// A page of the test site: (url, title, body text).
type Page = (&'static str, &'static str, &'static str);

fn source(&(url, title, body): &Page) -> PageSource<'static> {
    PageSource {
        url,
        title,
        path: vec!["Plan"],
        body_html: body,
        details: vec![Detail { label: "Eigenaar".into(), anchor: None, lines: vec!["Gemeente".into()] }],
    }
}

/// Builds the index of `pages` as the pipeline does, into the folder `out` (its document
/// files, its records and its snapshot), reading what the folder `previous` holds; returns
/// every index file (path → text) and whether the previous index was patched.
fn build(pages: &[Page], previous: Option<&Path>, out: &Path) -> (BTreeMap<String, String>, bool) {
    fs::create_dir_all(out.join("_search/d")).expect("mkdir");
    let old = previous.map(|dir| {
        let dir = dir.to_path_buf();
        let files: PreviousFiles = Box::new(move |rel| fs::File::open(dir.join(rel)).ok());
        (fs::File::open(previous.unwrap().join("records")).expect("records"), files)
    });
    let into = fs::File::create_new(out.join("records")).expect("records");
    let snapshot = previous.and_then(|dir| fs::File::open(dir.join("snapshot")).ok());
    let collector = Collector::new(vec![(0, "Plan".into())], false).keeping(old, Some(into));
    let collector = collector.patching(snapshot, pages.len());
    let patched = collector.is_patching();
    let mut files = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        let (doc, _) = collector.add(i as u32, PageInfo { plan: 0, status: 3 }, &source(page));
        files.extend(doc.map(|d| (d.path(), d.text)));
    }
    let (index, last) = collector.finish();
    files.extend(last.into_iter().map(|d| (d.path(), d.text)));
    crate::search::write(&index, &mut |path, text| {
        files.insert(path, text);
    });
    for (path, text) in &files {
        fs::create_dir_all(out.join(path).parent().expect("a folder")).expect("mkdir");
        fs::write(out.join(path), text).expect("write");
    }
    let mut snapshot = Vec::new();
    assert!(write(&index, &mut snapshot).expect("written"), "a snapshot");
    fs::write(out.join("snapshot"), snapshot).expect("write");
    (files, patched)
}

const BEFORE: [Page; 4] = [
    ("a.html", "Aanleiding", "<p>De xylofoonspelers en de geheimcanarywoord-zaak; jongeren.</p>"),
    ("b.html", "Doelen", "<h2 id=\"d\">Doel</h2><p>Een xylofoonspeler speelt voor jongeren.</p>"),
    ("c.html", "Aanpak", "<p>Cameratoezicht en een gebiedsverbod.</p>"),
    ("d.html", "Monitoring", "<p>Evaluatie na zes maanden.</p>"),
];

/// Page a loses two words (one whose stem page b still has, one no page has after), page c
/// gains one and a new title.
const AFTER: [Page; 4] = [
    ("a.html", "Aanleiding", "<p>De zaak; jongeren.</p>"),
    BEFORE[1],
    ("c.html", "Aanpak op straat", "<p>Cameratoezicht, straatroven en een gebiedsverbod.</p>"),
    BEFORE[3],
];

#[test]
fn a_patched_index_is_the_index_a_fresh_build_makes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (one, two, fresh) = (dir.path().join("one"), dir.path().join("two"), dir.path().join("fresh"));
    let (_, patched) = build(&BEFORE, None, &one);
    assert!(!patched);
    let (files, patched) = build(&AFTER, Some(&one), &two);
    assert!(patched, "the previous index was patched");
    let (want, _) = build(&AFTER, None, &fresh);
    assert_eq!(files, want);
    let all: String = files.values().map(String::as_str).collect();
    assert!(all.contains("straatroven") && all.contains("xylofoonspeler"));
    for gone in ["xylofoonspelers", "geheimcanarywoord"] {
        assert!(!all.contains(gone), "{gone} is still in the index files");
        let snapshot = fs::read(two.join("snapshot")).expect("snapshot");
        assert!(!snapshot.windows(gone.len()).any(|w| w == gone.as_bytes()), "{gone} is still in the snapshot");
    }
    // And back: the words come back as a fresh build has them.
    let (files, patched) = build(&BEFORE, Some(&two), &dir.path().join("three"));
    assert!(patched);
    assert_eq!(files, build(&BEFORE, None, &dir.path().join("fresh-before")).0);
}

#[test]
fn another_number_of_pages_is_put_together_anew() {
    let dir = tempfile::tempdir().expect("tempdir");
    build(&BEFORE, None, &dir.path().join("one"));
    let (files, patched) = build(&AFTER[..3], Some(&dir.path().join("one")), &dir.path().join("two"));
    assert!(!patched);
    assert_eq!(files, build(&AFTER[..3], None, &dir.path().join("fresh")).0);
}

#[test]
fn a_damaged_snapshot_is_not_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    build(&BEFORE, None, &dir.path().join("one"));
    let whole = fs::read(dir.path().join("one/snapshot")).expect("snapshot");
    assert!(decode(&whole, 4).is_some());
    assert!(decode(&whole, 5).is_none(), "another number of pages");
    for cut in [0, 1, 8, 40, whole.len() / 2, whole.len() - 1] {
        assert!(decode(&whole[..cut], 4).is_none(), "cut at {cut}");
    }
    for at in [0, 9, 45, whole.len() / 2, whole.len() - 1] {
        let mut flipped = whole.clone();
        flipped[at] ^= 1;
        assert!(decode(&flipped, 4).is_none(), "byte {at} flipped");
    }
    let garbage: Vec<u8> = (0..whole.len()).map(|i| (i * 131 % 251) as u8).collect();
    assert!(decode(&garbage, 4).is_none());
}

#[test]
fn a_snapshot_with_its_digest_made_anew_is_checked_number_by_number() {
    let dir = tempfile::tempdir().expect("tempdir");
    build(&BEFORE, None, &dir.path().join("one"));
    let whole = fs::read(dir.path().join("one/snapshot")).expect("snapshot");
    let body = &whole[..whole.len() - 32];
    // Every byte after the stamp set to its extremes, the digest made to match: never a
    // panic, and never a snapshot whose numbers point outside it.
    for at in 40..body.len() {
        for value in [0u8, 0x7f, 0xff] {
            let mut forged = body.to_vec();
            forged[at] = value;
            let digest = blake3::hash(&forged);
            forged.extend_from_slice(digest.as_bytes());
            if let Some(index) = decode(&forged, 4) {
                let words = &index.words;
                assert!(words.words.values().all(|&w| (words.word_stems[w as usize] as usize) < words.stems.len()));
            }
        }
    }
}

#[test]
fn lists_are_patched_in_one_pass() {
    let list = Postings::from_entries(&[(0, vec![5]), (3, vec![7]), (9, vec![1])]);
    let patched = list.patched(|p| p == 3, &[(2, 4), (3, 6), (12, 2)]);
    assert_eq!(patched.entries(1), [(0, vec![5]), (2, vec![4]), (3, vec![6]), (9, vec![1]), (12, vec![2])]);
    assert_eq!(patched.len, 5);
    let next = Next::from_groups(&[(1, vec![4, 8]), (5, vec![2])]);
    let run = [7u64 << 32 | 3];
    let patched = next.patched(|p| p == 1, &[(1, &run[..]), (6, &run[..])]);
    assert_eq!(patched.groups(), [(1, vec![3]), (5, vec![2]), (6, vec![3])]);
}

#[test]
fn a_preview_keeps_no_snapshot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let into = fs::File::create_new(dir.path().join("records")).expect("records");
    let collector = Collector::new(vec![(0, "Plan".into())], true).keeping(None, Some(into));
    collector.add(0, PageInfo::default(), &source(&BEFORE[0]));
    let (index, _) = collector.finish();
    assert!(write(&index, &mut Vec::new()).is_ok_and(|written| !written), "serve updates its index itself");
}

#[test]
fn a_word_whose_stem_is_not_listed_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    build(&BEFORE, None, &dir.path().join("one"));
    let mut index = decode(&fs::read(dir.path().join("one/snapshot")).expect("snapshot"), 4).expect("read");
    // A stem number past the stems, as a forged file could give (its digest made to match).
    index.words.word_stems[0] = index.words.stems.len() as u32;
    let mut forged = Vec::new();
    assert!(write(&index, &mut forged).expect("written"));
    assert!(decode(&forged, 4).is_none());
}
