//! Whether an output folder holds only what planboek wrote, so that replacing it loses
//! nothing else: checked before a build starts, and again just before its swap.

#[cfg(unix)]
use super::folders::{self, FileType, Listed};
use super::manifest::{FileEntry, Manifest};
use super::{MARKER, OWN_FILES};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fs;
#[cfg(unix)]
use std::os::fd::OwnedFd;
use std::path::Path;

/// Whether replacing the existing folder `dir` loses nothing planboek did not write: Err
/// says what it holds (`holds .git/`, `was not written by planboek`, `holds files planboek
/// did not write: …`). A folder written before planboek kept manifests counts as its own.
pub fn check_owned(dir: &Path) -> Result<(), String> {
    check_owned_but(dir, &[])
}

/// `check_owned` but for the folders `skip` in the root of `dir`, which the caller has
/// checked file by file itself.
pub fn check_owned_but(dir: &Path, skip: &[&str]) -> Result<(), String> {
    let empty = fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
    if empty {
        return Ok(());
    }
    if fs::symlink_metadata(dir.join(".git")).is_ok() {
        return Err("holds .git/ (a git checkout)".into());
    }
    if !dir.join(MARKER).exists() {
        return Err("is not empty and was not written by planboek".into());
    }
    // The manifest is read while the folder is walked: a versioned output's lists some
    // 300,000 files (41 MB), and each of them costs a `stat`.
    let (sizes, found) = rayon::join(|| listed_sizes(dir, skip), || found_files(dir, skip));
    let sizes = match sizes {
        Ok(Some(sizes)) => sizes,
        Ok(None) => return Ok(()),
        Err(e) => return Err(format!("has a manifest planboek cannot read ({e})")),
    };
    let foreign = found.into_iter().filter_map(|seen| match seen {
        Seen::File(rel, size) => match (sizes.get(rel.as_str()), size) {
            (Some(&listed), Some(size)) if listed == size => None,
            (Some(_), Some(_)) => Some(format!("{rel} (changed since)")),
            _ => Some(rel),
        },
        Seen::Unreadable(what) => Some(what),
    });
    described(foreign.collect())
}

/// The size of each file the manifest of `dir` lists, but for those in the folders `skip` of
/// its root (in a versioned output, most of them); None when it has no manifest.
fn listed_sizes(dir: &Path, skip: &[&str]) -> std::io::Result<Option<Sizes>> {
    let outside_skipped = |rel: &str| rel.split_once('/').map_or(true, |(top, _)| !skip.contains(&top));
    let mut sizes: Sizes = HashMap::new();
    let mut note = |rel: &str, size: u64| {
        sizes.insert(rel.into(), size);
        Ok(())
    };
    Ok(Manifest::visit_sizes(dir, &outside_skipped, &mut note)?.then_some(sizes))
}

/// A file found under an output folder: its path and size (None: not a regular file), or
/// what could not be read.
enum Seen {
    File(String, Option<u64>),
    Unreadable(String),
}

/// Every file under `dir` but in the folders `skip` of its root (`walk`), with its size.
fn found_files(dir: &Path, skip: &[&str]) -> Vec<Seen> {
    let seen = |rel: &str, found: Found| Some(Seen::File(rel.to_string(), found.size()));
    walk(dir, &seen, &Seen::Unreadable, skip)
}

/// `check_owned_but` for a folder found to be planboek's when the build started, whose
/// manifest is still `listed` (read whole then): each file is looked up by name only, with
/// no `stat`. What this must catch is a file added while the build ran; the sizes were
/// compared when it started.
pub fn check_still_owned_but(dir: &Path, listed: &BTreeMap<String, FileEntry>, skip: &[&str]) -> Result<(), String> {
    if !dir.join(MARKER).exists() {
        return Err("is not empty and was not written by planboek".into());
    }
    let by_name = |rel: &str, found: Found| (!(found.regular && listed.contains_key(rel))).then(|| rel.to_string());
    described(walk(dir, &by_name, &|what| what, skip))
}

/// What a check says of the `foreign` files it found.
fn described(foreign: Vec<String>) -> Result<(), String> {
    match foreign.as_slice() {
        [] => Ok(()),
        [a] => Err(format!("holds a file planboek did not write: {a}")),
        [a, b] => Err(format!("holds files planboek did not write: {a}, {b}")),
        [a, b, rest @ ..] => Err(format!("holds files planboek did not write: {a}, {b} and {} more", rest.len())),
    }
}

/// The size of each file a manifest lists, by its path.
type Sizes = HashMap<Box<str>, u64>;

/// What a walk makes of a file it found (not a folder, not planboek's own root files), by
/// its `/`-separated path: None for nothing.
type Each<'a, T> = dyn Fn(&str, Found) -> Option<T> + Sync + 'a;

/// What a walk knows of a file it found (anything but a folder): whether it is a regular
/// file, and where to ask for its size.
struct Found<'a> {
    regular: bool,
    #[cfg(unix)]
    at: (&'a OwnedFd, &'a std::ffi::CStr),
    #[cfg(not(unix))]
    at: &'a walkdir::DirEntry,
}

impl Found<'_> {
    /// Its size, when it is a regular file.
    fn size(&self) -> Option<u64> {
        if !self.regular {
            return None;
        }
        #[cfg(unix)]
        return folders::stat_in(self.at.0, self.at.1)
            .filter(|st| folders::kind_of(st) == FileType::RegularFile)
            .map(|st| st.st_size as u64);
        #[cfg(not(unix))]
        self.at.metadata().ok().filter(|m| m.is_file()).map(|m| m.len())
    }
}

/// What `each` makes of every file under `dir`, in the order of their names, and
/// `unreadable(what)` of what could not be read; symbolic links count as files, never
/// followed. The folders of the root are walked side by side, but for those in `skip`: a
/// versioned output holds hundreds of thousands of files. Each folder is read through its
/// descriptor (`folders`).
#[cfg(unix)]
fn walk<T: Send>(dir: &Path, each: &Each<T>, unreadable: &(dyn Fn(String) -> T + Sync), skip: &[&str]) -> Vec<T> {
    let unreadable = |rel: &str| unreadable(format!("{} (unreadable)", dir.join(rel).display()));
    let Some((root, top)) = folders::open(dir).and_then(|fd| folders::listing(&fd).map(|l| (fd, l))) else {
        return vec![unreadable("")];
    };
    let skipped = |e: &&Listed| e.kind == FileType::Directory && skip.iter().any(|s| e.name.to_bytes() == s.as_bytes());
    let top: Vec<&Listed> = top.iter().filter(|e| !skipped(e)).collect();
    let walk = Walk { each, unreadable: &unreadable };
    let found: Vec<Vec<T>> = top
        .par_iter()
        .map(|e| {
            let mut found = Vec::new();
            let name = e.name.to_string_lossy();
            if e.kind != FileType::Directory {
                let regular = e.kind == FileType::RegularFile;
                if !OWN_FILES.contains(&&*name) {
                    found.extend(each(&name, Found { regular, at: (&root, &e.name) }));
                }
                return found;
            }
            match folders::open_in(&root, &e.name) {
                Some(fd) => walk.folder(&fd, &mut name.into_owned(), &mut found, 1),
                None => found.push(unreadable(&name)),
            }
            found
        })
        .collect();
    found.into_iter().flatten().collect()
}

/// A walk's callbacks (`walk`).
#[cfg(unix)]
struct Walk<'a, T> {
    each: &'a Each<'a, T>,
    unreadable: &'a (dyn Fn(&str) -> T + Sync),
}

#[cfg(unix)]
impl<T> Walk<'_, T> {
    /// Adds to `found` what the walk makes of the files under the folder `dir`, found at
    /// `rel`, `depth` levels below the root.
    fn folder(&self, dir: &OwnedFd, rel: &mut String, found: &mut Vec<T>, depth: usize) {
        // Deeper than planboek writes: named as unreadable, which refuses the output.
        let Some(entries) = folders::listing(dir).filter(|_| depth < folders::MAX_DEPTH) else {
            found.push((self.unreadable)(rel));
            return;
        };
        let len = rel.len();
        for e in &entries {
            rel.push('/');
            rel.push_str(&e.name.to_string_lossy());
            if e.kind != FileType::Directory {
                found.extend((self.each)(rel, Found { regular: e.kind == FileType::RegularFile, at: (dir, &e.name) }));
            } else if let Some(fd) = folders::open_in(dir, &e.name) {
                self.folder(&fd, rel, found, depth + 1);
            } else {
                found.push((self.unreadable)(rel));
            }
            rel.truncate(len);
        }
    }
}

/// `walk` where folders cannot be read through descriptors: walked by path.
#[cfg(not(unix))]
fn walk<T: Send>(dir: &Path, each: &Each<T>, unreadable: &(dyn Fn(String) -> T + Sync), skip: &[&str]) -> Vec<T> {
    let unreadable = |err: &walkdir::Error| unreadable(format!("{} (unreadable)", err.path().unwrap_or(dir).display()));
    let mut top = Vec::new();
    let mut made = Vec::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1).max_depth(1).sort_by_file_name() {
        match e {
            Ok(e) if e.file_type().is_dir() && skip.iter().any(|s| e.file_name() == *s) => {}
            Ok(e) => top.push(e),
            Err(err) => made.push(unreadable(&err)),
        }
    }
    let found: Vec<Vec<T>> = top
        .par_iter()
        .map(|e| {
            let walked = walkdir::WalkDir::new(e.path()).follow_root_links(false).sort_by_file_name();
            let mut found = Vec::new();
            for e in walked {
                match e {
                    Ok(e) if e.file_type().is_dir() => {}
                    Ok(e) => {
                        let rel = super::manifest::slash_rel(e.path().strip_prefix(dir).unwrap_or(e.path()));
                        if rel.contains('/') || !OWN_FILES.contains(&rel.as_str()) {
                            found.extend(each(&rel, Found { regular: e.file_type().is_file(), at: &e }));
                        }
                    }
                    Err(err) => found.push(unreadable(&err)),
                }
            }
            found
        })
        .collect();
    made.extend(found.into_iter().flatten());
    made
}
