//! Telling whether a folder of the previous output is still exactly a finished folder of
//! planboek's own (a cache entry of a versioned build) that was hard-linked into it, so that
//! the next build can move the folder into its new tree instead of linking every file again.
//!
//! The previous output is outside planboek's control between builds, so nothing in it is
//! taken on its word: every file must be the very same file as the source's (same device and
//! inode, read from the folder listings), no file may have been written after the source was
//! finished, and there must be nothing else (no other file, folder or symbolic link).

use std::fs;
use std::path::Path;

/// Whether `folder` holds exactly the files and folders of `source` (but the names in
/// `skip`, which `source` keeps for itself), each file a hard link to the source's own and
/// unchanged since `source`'s manifest was written.
#[cfg(unix)]
pub fn is_linked_copy(folder: &Path, source: &Path, skip: &[&str]) -> bool {
    use std::collections::HashMap;
    use std::os::unix::fs::MetadataExt;
    use walkdir::{DirEntryExt, WalkDir};
    let (Ok(a), Ok(b)) = (fs::symlink_metadata(folder), fs::symlink_metadata(source)) else { return false };
    if !a.is_dir() || !b.is_dir() || a.dev() != b.dev() {
        return false;
    }
    // Every file of the source was written before its manifest, which is written last.
    let Ok(finished) = fs::metadata(source.join(super::MANIFEST)).and_then(|m| m.modified()) else { return false };
    // Relative path → the source's inode for a file, None for a folder.
    let mut wanted: HashMap<std::path::PathBuf, Option<u64>> = HashMap::new();
    let walk = |dir: &Path| WalkDir::new(dir).min_depth(1).same_file_system(true);
    let own = |e: &walkdir::DirEntry| e.depth() > 1 || !skip.iter().any(|n| e.file_name() == *n);
    // A file's inode, None for a folder; anything else (a symbolic link) is never kept.
    let kind = |e: &walkdir::DirEntry| match e.file_type() {
        t if t.is_dir() => Some(None),
        t if t.is_file() => Some(Some(e.ino())),
        _ => None,
    };
    for e in walk(source).into_iter().filter_entry(own) {
        let Some((e, kind)) = e.ok().and_then(|e| kind(&e).map(|k| (e, k))) else { return false };
        wanted.insert(e.path().strip_prefix(source).unwrap_or(e.path()).to_path_buf(), kind);
    }
    let mut found = 0;
    for e in walk(folder) {
        let Some((e, kind)) = e.ok().and_then(|e| kind(&e).map(|k| (e, k))) else { return false };
        let rel = e.path().strip_prefix(folder).unwrap_or(e.path());
        if wanted.get(rel) != Some(&kind) {
            return false;
        }
        // A file written in place through either link is no longer what was built.
        if kind.is_some() && !e.metadata().ok().and_then(|m| m.modified().ok()).is_some_and(|t| t <= finished) {
            return false;
        }
        found += 1;
    }
    found == wanted.len()
}

/// Elsewhere a folder cannot be told to be the same files, and is never kept.
#[cfg(not(unix))]
pub fn is_linked_copy(_: &Path, _: &Path, _: &[&str]) -> bool {
    false
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::output::manifest::{FileEntry, Manifest};
    use std::collections::BTreeMap;

    /// A finished source of two files and a linked copy of it.
    fn pair(t: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
        let (source, copy) = (t.join("source"), t.join("copy"));
        fs::create_dir_all(source.join("plan")).expect("mkdir");
        let mut files = BTreeMap::new();
        for (rel, text) in [("index.html", "home"), ("plan/a.html", "page a")] {
            fs::write(source.join(rel), text).expect("write");
            files.insert(rel.to_string(), FileEntry::of(text.as_bytes()));
        }
        fs::write(source.join("own"), "bookkeeping").expect("write");
        std::thread::sleep(std::time::Duration::from_millis(20));
        Manifest::new(files).write(&source).expect("manifest");
        fs::create_dir_all(copy.join("plan")).expect("mkdir");
        for rel in ["index.html", "plan/a.html"] {
            fs::hard_link(source.join(rel), copy.join(rel)).expect("link");
        }
        (source, copy)
    }

    #[test]
    fn a_linked_copy_is_known_and_any_change_undoes_it() {
        let t = tempfile::tempdir().expect("tempdir");
        let (source, copy) = pair(t.path());
        assert!(is_linked_copy(&copy, &source, &["own", crate::output::MANIFEST]));
        assert!(!is_linked_copy(&copy, &source, &[]), "the source's own files are missing from the copy");
        type Change = (&'static str, fn(&Path));
        let changes: [Change; 6] = [
            ("a copy instead of a link", |d| {
                fs::remove_file(d.join("index.html")).expect("rm");
                fs::write(d.join("index.html"), "home").expect("write");
            }),
            ("an edit in place", |d| {
                std::thread::sleep(std::time::Duration::from_millis(20));
                fs::write(d.join("plan/a.html"), "page b").expect("edit")
            }),
            ("a file removed", |d| fs::remove_file(d.join("plan/a.html")).expect("rm")),
            ("a file added", |d| fs::write(d.join("plan/b.html"), "x").expect("add")),
            ("a folder added", |d| fs::create_dir(d.join("other")).expect("mkdir")),
            ("a symbolic link added", |d| std::os::unix::fs::symlink("index.html", d.join("x.html")).expect("ln")),
        ];
        for (what, change) in changes {
            let t = tempfile::tempdir().expect("tempdir");
            let (source, copy) = pair(t.path());
            change(&copy);
            assert!(!is_linked_copy(&copy, &source, &["own", crate::output::MANIFEST]), "{what}");
        }
    }
}
