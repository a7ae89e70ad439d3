//! Building over the output an earlier build replaced. A build into planboek's own folder
//! outside the repository keeps the tree it swaps out beside the output as its *spare*; the
//! next build renames the spare to its staging folder and builds over it. A file whose bytes
//! did not change stays where it is, so a rebuild after one edit makes, links and removes
//! almost nothing. Before, every build made a folder and a link for each of the handbook's
//! folders and files and removed as many with the tree it replaced, and on ext4 each fresh
//! folder cost a search past the inodes just freed.
//!
//! The spare holds no byte the new output does not: once swapped out, the tree loses every
//! file the new output does not hold with the same bytes, and planboek's own files (records,
//! findings). Its manifest is cut to the files left, keeping the time it was written, and the
//! tree is closed to all but its owner (mode 700: a web server serving the output's parent
//! folder as another user cannot read it). The next build believes the spare as far as an
//! output outside the repository is believed (`Trust::Listed`): it removes whatever the
//! spare's manifest does not list (a symbolic link is removed, never followed), and keeps a
//! file in place only when that manifest lists it with the new bytes' hash and size and the
//! file, with planboek's permissions, was not written since (`Previous::holds_listed`). A page
//! edited in the output is edited in the spare too, as the two share the file: its time tells.
//! Every listed file the build neither kept nor wrote, and every folder left empty, goes
//! before the swap. A build that fails removes its staging folder, spare and all.

use super::manifest::{FileEntry, Manifest};
use super::reuse::Previous;
use super::{make_staging_folder, spread, Staging, Trust, MANIFEST, MARKER, OWN_FILES};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::PoisonError;

impl Staging {
    /// Makes this build over the output an earlier build replaced, kept beside `out` (see
    /// above), and keeps the one it replaces for the next: for a folder believed at its
    /// manifest's word (`Trust::Listed`, set before) that held only planboek's files, and
    /// not with `adopt`.
    pub fn recycle(&mut self) -> io::Result<()> {
        if self.trust != Trust::Listed || !self.owned_at_start || self.previous.is_none() {
            return Ok(());
        }
        self.keep_replaced = true;
        self.recycled = take(&self.out, &self.dir, super::MARKER_TEXT);
        if let Some(recycled) = &self.recycled {
            self.folders.lock().unwrap_or_else(PoisonError::into_inner).extend(recycled.folders.iter().cloned());
        }
        // Without its marker the output would be refused by every later build.
        if self.dir.join(MARKER).is_file() {
            return Ok(());
        }
        fs::write(self.dir.join(MARKER), super::MARKER_TEXT)
    }

    /// `step` on `rel`, once more after clearing the way when it fails in a build made over
    /// a spare (`clear_way`).
    pub(super) fn clearing<T>(&self, rel: &str, step: impl Fn() -> io::Result<T>) -> io::Result<T> {
        step().or_else(|e| {
            if self.recycled.is_none() {
                return Err(e);
            }
            let written = self.files.lock().unwrap_or_else(PoisonError::into_inner);
            let mut made = self.folders.lock().unwrap_or_else(PoisonError::into_inner);
            let cleared = clear_way(&self.dir, rel, &written, &mut made);
            drop((written, made));
            if cleared {
                step()
            } else {
                Err(e)
            }
        })
    }

    /// Whether the output this build is made over already holds `entry` at `rel` (`path`
    /// in the staging folder), which is then kept as it is; a file of other bytes there is
    /// removed first.
    pub(super) fn settled(&self, rel: &str, entry: &FileEntry, path: &Path) -> io::Result<bool> {
        let found = self.recycled.as_ref().map(|r| r.found(rel, entry, path));
        // A path written twice: the file there is this build's, whatever its time says.
        let again = || self.files.lock().unwrap_or_else(PoisonError::into_inner).contains_key(rel);
        let found = found.map(|f| if f == Found::Same && again() { Found::Stale } else { f });
        match found {
            Some(Found::Same) => {
                self.record(rel.to_string(), entry.clone());
                Ok(true)
            }
            Some(Found::Stale) => match fs::remove_file(path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(false),
            },
            _ => Ok(false),
        }
    }
}

/// The spare of the output folder `out`: `.<name>.planboek-spare` beside it. Its name is
/// not a leftover's (`swap::leftovers`), so it is never put back as the output.
pub fn spare_of(out: &Path) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.planboek-spare"))
}

/// The spare, renamed to be a build's staging folder: what its manifest lists, and its
/// folders, which need not be made.
#[derive(Debug)]
pub struct Recycled {
    listed: Previous,
    pub folders: Vec<PathBuf>,
}

/// What is at a path of the staging folder before this build writes it.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// The spare's file, holding the bytes this build writes: it stays.
    Same,
    /// Maybe a file of other bytes: whatever is there must go first.
    Stale,
    /// Nothing.
    Nothing,
}

/// Puts the spare of `out` in place of the fresh staging folder `dir` (holding only the
/// marker `marker`), unlocked with `dir`'s permissions. None, with `dir` as it was, when
/// there is no spare or it cannot be used; it is then removed (no readable manifest, or no
/// output beside it any more: whoever removed the output meant a fresh start).
pub fn take(out: &Path, dir: &Path, marker: &str) -> Option<Recycled> {
    let spare = spare_of(out);
    let meta = fs::symlink_metadata(&spare).ok()?;
    if !meta.is_dir() || !out.is_dir() {
        discard(&spare);
        return None;
    }
    let fresh = fs::metadata(dir).ok()?.permissions();
    fs::remove_file(dir.join(MARKER)).ok()?;
    if fs::remove_dir(dir).is_err() {
        // The caller checks that the marker is back.
        let _ = fs::write(dir.join(MARKER), marker);
        return None;
    }
    let taken = fs::rename(&spare, dir).is_ok();
    let recycled = taken.then(|| open(dir, fresh, marker)).and_then(Result::ok);
    if recycled.is_none() {
        if taken {
            discard(dir);
        }
        make_staging_folder(dir).ok()?;
        fs::write(dir.join(MARKER), marker).ok()?;
    } else {
        // A spare from before staging folders were spread.
        spread(dir);
    }
    recycled
}

/// Reads the manifest of the spare now at `dir` and removes it (so that a build killed over
/// it leaves no tree that passes for complete), removes everything it does not list, and only
/// then gives `dir` the staging folder's permissions (`fresh`).
fn open(dir: &Path, fresh: fs::Permissions, marker: &str) -> io::Result<Recycled> {
    let listed = Previous::open(dir).ok_or_else(|| io::Error::other("the spare has no readable manifest"))?;
    fs::remove_file(dir.join(MANIFEST))?;
    fs::write(dir.join(MARKER), marker)?;
    let listed = listed.with_mode(&dir.join(MARKER));
    let folders = clear_unlisted(dir, &listed)?;
    fs::set_permissions(dir, fresh)?;
    Ok(Recycled { listed, folders })
}

/// Removes from `dir` every entry `listed` does not list as a file (symbolic links
/// included, never followed); returns the folders, walked side by side from the root's.
fn clear_unlisted(dir: &Path, listed: &Previous) -> io::Result<Vec<PathBuf>> {
    let top: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    let found: Vec<io::Result<Vec<PathBuf>>> = top
        .par_iter()
        .map(|e| {
            let mut folders = Vec::new();
            for e in walkdir::WalkDir::new(e.path()).follow_root_links(false) {
                let e = e.map_err(io::Error::other)?;
                let rel = super::manifest::slash_rel(e.path().strip_prefix(dir).unwrap_or(e.path()));
                if e.file_type().is_dir() {
                    folders.push(e.into_path());
                } else if !(e.file_type().is_file() && (listed.lists_path(&rel) || rel == MARKER)) {
                    fs::remove_file(e.path())?;
                }
            }
            Ok(folders)
        })
        .collect();
    let mut folders = Vec::new();
    for f in found {
        folders.extend(f?);
    }
    Ok(folders)
}

impl Recycled {
    /// Whether the file `rel`, at `path` in the staging folder, already holds what `entry`
    /// describes, may hold something else, or cannot be there (the spare's manifest does not
    /// list it: `clear_unlisted` removed it).
    pub fn found(&self, rel: &str, entry: &FileEntry, path: &Path) -> Found {
        if !self.listed.lists_path(rel) {
            Found::Nothing
        } else if self.listed.holds_listed(rel, entry, path) {
            Found::Same
        } else {
            Found::Stale
        }
    }

    /// Removes from the staging folder `dir` each file the spare listed that this build did
    /// not keep or write (`written`), then each of the spare's folders left empty.
    pub fn sweep(&self, dir: &Path, written: &BTreeMap<String, FileEntry>) -> io::Result<()> {
        let gone: Vec<&str> = self
            .listed
            .listed_files()
            .map(|(rel, _)| rel)
            .filter(|rel| beneath(rel) && !written.contains_key(*rel))
            .collect();
        remove_files(dir, &gone)?;
        let used = folders_of(written.keys().map(String::as_str));
        let mut empty: Vec<&PathBuf> = self
            .folders
            .iter()
            .filter(|f| {
                !used.contains(f.strip_prefix(dir).map(super::manifest::slash_rel).unwrap_or_default().as_str())
            })
            .collect();
        empty.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
        for folder in empty {
            // A folder that still holds something (a file added during the build) stays, and
            // the commit's check of the output names it.
            let _ = fs::remove_dir(folder);
        }
        Ok(())
    }
}

/// Whether the `/`-separated `rel` stays beneath the folder it is joined to: a manifest is a
/// file on disk, and what it lists is never removed outside its tree.
fn beneath(rel: &str) -> bool {
    rel.split('/').all(|part| super::reuse::plain_part(part) && !part.contains('\\'))
}

/// Clears the way for `rel` in the staging folder `dir` made over a spare: a file of the
/// spare where this build needs a folder of `rel`'s, or a folder of the spare where it needs
/// the file `rel` (a file that became a folder, or the other way round). Never what this
/// build wrote (`written`): a fresh build fails on that too. Whether anything was removed;
/// `made` forgets the folders removed.
pub fn clear_way(dir: &Path, rel: &str, written: &BTreeMap<String, FileEntry>, made: &mut HashSet<PathBuf>) -> bool {
    if !beneath(rel) {
        return false;
    }
    let mut cleared = false;
    let mut prefix = String::new();
    for part in rel.split('/') {
        if !prefix.is_empty() {
            let path = dir.join(&prefix);
            let blocks = fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir());
            if blocks && !written.contains_key(&prefix) {
                cleared |= fs::remove_file(&path).is_ok();
            }
            prefix.push('/');
        }
        prefix.push_str(part);
    }
    let path = dir.join(rel);
    let below = format!("{rel}/");
    let folder = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
    if folder && !written.range(below.clone()..).next().is_some_and(|(k, _)| k.starts_with(&below)) {
        cleared |= fs::remove_dir_all(&path).is_ok();
        made.retain(|f| !f.starts_with(&path));
    }
    cleared
}

/// Removes the files `rels` under `dir`, side by side; one already gone (or with a folder in
/// its place, or below a file: the build made a file a folder or the other way) is no error.
fn remove_files(dir: &Path, rels: &[&str]) -> io::Result<()> {
    rels.par_iter().try_for_each(|rel| {
        let path = dir.join(rel);
        match fs::remove_file(&path) {
            Err(e) if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) => Err(e),
            _ => Ok(()),
        }
    })
}

/// Every folder (`/`-separated, under the root) that holds one of `files`.
fn folders_of<'a>(files: impl Iterator<Item = &'a str>) -> HashSet<String> {
    let mut folders: HashSet<String> = HashSet::new();
    for rel in files {
        let mut at = rel;
        while let Some((parent, _)) = at.rsplit_once('/') {
            if !folders.insert(parent.to_string()) {
                break;
            }
            at = parent;
        }
    }
    folders
}

/// Keeps `old`, the output just swapped out of `out` (as `replaced` lists it), as `out`'s
/// spare: without the files the new output (`written`) does not hold with the same bytes,
/// its manifest cut to match (written at the time of the one it replaces), locked and
/// renamed. False when it cannot be (another build's spare is there): the caller removes it.
pub fn keep(old: &Path, out: &Path, replaced: &Previous, written: &BTreeMap<String, FileEntry>) -> bool {
    // What the build read at its start, unless another build was swapped in since: the tree
    // swapped out is then that build's, and its own manifest says what it holds.
    let own;
    let replaced = if replaced.describes(old) {
        replaced
    } else {
        match Previous::open(old) {
            Some(listed) => {
                own = listed;
                &own
            }
            None => return false,
        }
    };
    let spare = spare_of(out);
    let Some(listed_at) = replaced.listed_at() else { return false };
    if fs::symlink_metadata(&spare).is_ok() {
        return false;
    }
    let (same, changed): (Vec<_>, Vec<_>) =
        replaced.listed_files().partition(|(rel, entry)| written.get(*rel) == Some(*entry));
    let changed: Vec<&str> = changed.into_iter().map(|(rel, _)| rel).filter(|rel| beneath(rel)).collect();
    let own: Vec<&str> = OWN_FILES.iter().copied().filter(|name| *name != MARKER).collect();
    if remove_files(old, &changed).is_err() || remove_files(old, &own).is_err() {
        return false;
    }
    let mut emptied: Vec<String> = folders_of(changed.iter().copied()).into_iter().collect();
    emptied.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for folder in emptied {
        let _ = fs::remove_dir(old.join(folder));
    }
    let same = Manifest::new(same.into_iter().map(|(rel, entry)| (rel.to_string(), entry.clone())).collect());
    let dated = same.write(old).and_then(|()| fs::File::options().write(true).open(old.join(MANIFEST)));
    let Ok(before) = fs::metadata(old).map(|m| m.permissions()) else { return false };
    if dated.and_then(|file| file.set_modified(listed_at)).is_err() || lock(old).is_err() {
        return false;
    }
    if fs::rename(old, &spare).is_err() {
        let _ = fs::set_permissions(old, before);
        return false;
    }
    true
}

/// Removes the spare (or whatever is at its name) at `spare`.
pub fn discard(spare: &Path) {
    match fs::symlink_metadata(spare) {
        Ok(m) if m.is_dir() => {
            let _ = fs::remove_dir_all(spare);
        }
        Ok(_) => {
            let _ = fs::remove_file(spare);
        }
        Err(_) => {}
    }
}

/// Closes the folder to everyone but its owner: a web server serving the output's parent
/// folder as another user cannot read the spare.
#[cfg(unix)]
fn lock(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn lock(_: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(all(test, unix))]
#[path = "recycle_tests.rs"]
mod tests;
