//! Telling whether a folder of the previous output is still exactly a finished folder of
//! planboek's own (a cache entry of a versioned build) that was hard-linked into it, so that
//! the next build can move the folder into its new tree instead of linking every file again.
//!
//! The previous output is outside planboek's control between builds, so nothing in it is
//! taken on its word: every file must be the very same file as the source's (same device and
//! inode, read from the folder listings), no file may have been written after the source was
//! finished, and there must be nothing else (no other file, folder or symbolic link).

#[cfg(unix)]
use super::folders::{self, listing, FileType};
use std::fs;
#[cfg(unix)]
use std::os::fd::OwnedFd;
use std::path::Path;

/// Whether `folder` holds exactly the files and folders of `source` (but the names in
/// `skip`, which `source` keeps for itself), each file a hard link to the source's own and
/// unchanged since `source`'s manifest was written.
#[cfg(unix)]
pub fn is_linked_copy(folder: &Path, source: &Path, skip: &[&str]) -> bool {
    use std::os::unix::fs::MetadataExt;
    let (Ok(a), Ok(b)) = (fs::symlink_metadata(folder), fs::symlink_metadata(source)) else { return false };
    if !a.is_dir() || !b.is_dir() || a.dev() != b.dev() {
        return false;
    }
    // Every file of the source was written before its manifest, which is written last.
    let Ok(finished) = fs::metadata(source.join(super::MANIFEST)).map(|m| (m.mtime(), m.mtime_nsec())) else {
        return false;
    };
    let (Some(copy), Some(source)) = (folders::open(folder), folders::open(source)) else { return false };
    let skip: Vec<&[u8]> = skip.iter().map(|s| s.as_bytes()).collect();
    Tree { dev: a.dev(), finished }.same(&copy, &source, &skip, 0)
}

/// What every folder of one comparison shares: the device both trees are on, and when the
/// source was finished (seconds and nanoseconds).
#[cfg(unix)]
struct Tree {
    dev: u64,
    finished: (i64, i64),
}

#[cfg(unix)]
// The fields of `stat` have other types on other systems.
#[allow(clippy::unnecessary_cast)]
impl Tree {
    /// Whether the folder `copy` holds what `source` does but the names `skip`: the same
    /// names, folders alike all the way down, and each file the source's own inode, not
    /// written since the source was finished. Read through the folders' descriptors, one
    /// listing each, with a `stat` per file relative to its folder.
    fn same(&self, copy: &OwnedFd, source: &OwnedFd, skip: &[&[u8]], depth: usize) -> bool {
        // Deeper than planboek writes: not kept.
        if depth > folders::MAX_DEPTH {
            return false;
        }
        let (Some(copied), Some(mut wanted)) = (listing(copy), listing(source)) else { return false };
        wanted.retain(|e| !skip.contains(&e.name.as_bytes()));
        if copied.len() != wanted.len() {
            return false;
        }
        copied.iter().zip(&wanted).all(|(c, w)| {
            if c.name != w.name || c.kind != w.kind {
                return false;
            }
            if c.kind == FileType::Directory {
                let (Some(c), Some(w)) = (self.folder(copy, &c.name), self.folder(source, &w.name)) else {
                    return false;
                };
                return self.same(&c, &w, &[], depth + 1);
            }
            c.kind == FileType::RegularFile && c.ino == w.ino && self.unchanged(copy, &c.name, w.ino)
        })
    }

    /// The folder `name` of `dir`, opened without following a symbolic link, on the tree's
    /// device.
    fn folder(&self, dir: &OwnedFd, name: &std::ffi::CStr) -> Option<OwnedFd> {
        let fd = folders::open_in(dir, name)?;
        (rustix::fs::fstat(&fd).ok()?.st_dev as u64 == self.dev).then_some(fd)
    }

    /// Whether the file `name` of `dir` is still the regular file `ino` of the tree's device,
    /// not written since the source was finished.
    fn unchanged(&self, dir: &OwnedFd, name: &std::ffi::CStr, ino: u64) -> bool {
        let Some(st) = folders::stat_in(dir, name) else { return false };
        let written = (st.st_mtime as i64, st.st_mtime_nsec as i64);
        folders::kind_of(&st) == FileType::RegularFile
            && st.st_ino as u64 == ino
            && st.st_dev as u64 == self.dev
            && written <= self.finished
    }
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
        let changes: [Change; 7] = [
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
            ("a folder become a symbolic link to one that holds the same links", |d| {
                let elders = d.parent().expect("parent").join("elders");
                fs::rename(d.join("plan"), &elders).expect("mv");
                std::os::unix::fs::symlink(&elders, d.join("plan")).expect("ln");
            }),
        ];
        for (what, change) in changes {
            let t = tempfile::tempdir().expect("tempdir");
            let (source, copy) = pair(t.path());
            change(&copy);
            assert!(!is_linked_copy(&copy, &source, &["own", crate::output::MANIFEST]), "{what}");
        }
    }
}
