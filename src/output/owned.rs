//! Whether an output folder holds only what planboek wrote, so that replacing it loses
//! nothing else: checked before a build starts, and again just before its swap.

use super::manifest::{self, FileEntry, Manifest};
use super::{MARKER, OWN_FILES};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fs;
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
    // The skipped folders' entries are not needed: in a versioned output, most of them. Of
    // the others only the sizes are: a versioned output lists some 400,000 files.
    let outside_skipped = |rel: &str| rel.split_once('/').map_or(true, |(top, _)| !skip.contains(&top));
    let mut sizes: Sizes = HashMap::new();
    let mut note = |rel: &str, entry: FileEntry| {
        sizes.insert(rel.into(), entry.size);
        Ok(())
    };
    match Manifest::visit(dir, &outside_skipped, &mut note) {
        Ok(true) => {}
        Ok(false) => return Ok(()),
        Err(e) => return Err(format!("has a manifest planboek cannot read ({e})")),
    }
    let by_size = |e: &walkdir::DirEntry, rel: &str| {
        let size = e.metadata().ok().filter(|_| e.file_type().is_file()).map(|m| m.len());
        match (sizes.get(rel), size) {
            (Some(&listed), Some(size)) if listed == size => None,
            (Some(_), Some(_)) => Some(format!("{rel} (changed since)")),
            _ => Some(rel.to_string()),
        }
    };
    described(foreign_files(dir, &by_size, skip))
}

/// `check_owned_but` for a folder found to be planboek's when the build started, whose
/// manifest is still `listed` (read whole then): each file is looked up by name only, with
/// no `stat`. What this must catch is a file added while the build ran; the sizes were
/// compared when it started.
pub fn check_still_owned_but(dir: &Path, listed: &BTreeMap<String, FileEntry>, skip: &[&str]) -> Result<(), String> {
    if !dir.join(MARKER).exists() {
        return Err("is not empty and was not written by planboek".into());
    }
    let by_name =
        |e: &walkdir::DirEntry, rel: &str| (!(e.file_type().is_file() && listed.contains_key(rel))).then(|| rel.into());
    described(foreign_files(dir, &by_name, skip))
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

/// How a check judges a file it found (not a folder, not planboek's own root files), by its
/// `/`-separated path: None when it is planboek's, else how to name it.
type Judge<'a> = dyn Fn(&walkdir::DirEntry, &str) -> Option<String> + Sync + 'a;

/// The files under `dir` that `judge` does not take for planboek's, and every symbolic link:
/// planboek writes none. The folders of the root are walked side by side: a versioned output
/// holds hundreds of thousands of files.
fn foreign_files(dir: &Path, judge: &Judge, skip: &[&str]) -> Vec<String> {
    let unreadable = |err: &walkdir::Error| format!("{} (unreadable)", err.path().unwrap_or(dir).display());
    let mut top = Vec::new();
    let mut foreign = Vec::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1).max_depth(1).sort_by_file_name() {
        match e {
            Ok(e) if e.file_type().is_dir() && skip.iter().any(|s| e.file_name() == *s) => {}
            Ok(e) => top.push(e),
            Err(err) => foreign.push(unreadable(&err)),
        }
    }
    let found: Vec<Vec<String>> = top
        .par_iter()
        .map(|e| {
            // Only a folder is walked into: a symbolic link is reported, never followed.
            if !e.file_type().is_dir() {
                return foreign_file(dir, e, judge).into_iter().collect();
            }
            let mut found = Vec::new();
            for e in walkdir::WalkDir::new(e.path()).follow_root_links(false).sort_by_file_name() {
                match e {
                    Ok(e) => found.extend(foreign_file(dir, &e, judge)),
                    Err(err) => found.push(unreadable(&err)),
                }
            }
            found
        })
        .collect();
    foreign.extend(found.into_iter().flatten());
    foreign
}

/// `e` (under `dir`) as `foreign_files` names it, or None when it is a folder or planboek's.
fn foreign_file(dir: &Path, e: &walkdir::DirEntry, judge: &Judge) -> Option<String> {
    if e.file_type().is_dir() {
        return None;
    }
    let rel = manifest::slash_rel(e.path().strip_prefix(dir).unwrap_or(e.path()));
    if !rel.contains('/') && OWN_FILES.contains(&rel.as_str()) {
        return None;
    }
    judge(e, &rel)
}
