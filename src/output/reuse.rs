//! Reusing what did not change: a file of the previous output whose bytes a build would
//! write again is hard-linked into the staging folder instead of written anew. A rebuild then
//! creates no inode for an unchanged page, and removing the previous tree after the swap
//! frees none: on ext4 each fresh inode right after thousands were freed costs a search past
//! them, which made a rebuild of a large handbook several times slower than its rendering.
//!
//! A file is linked only when it is still exactly what this build would write: its manifest
//! entry gives the same hash and size, and it is found through a descriptor opened without
//! following any symbolic link below the output folder. Its bytes are then read back and
//! compared with the new ones, unless the previous output is trusted (outside the
//! repository) and the file was not written since the manifest was: it then holds what the
//! manifest lists. The link is checked to name that very inode. Anything else (an edited
//! file, a symbolic link, a file system without hard links) falls back to writing the bytes.
//! A plan taken whole from the previous output (`pipeline::kept_plans`) has its files linked
//! the same way, by the entries its record keeps (`link_listed`; from a versions cache
//! entry, whose files are read, `link_hashed`).

use super::manifest::{FileEntry, Manifest};
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The previous output of a build and what its manifest says it holds.
#[derive(Debug)]
pub struct Previous {
    /// The folder opened once: files are looked up beneath it.
    files: Beneath,
    manifest: Manifest,
    /// When the manifest was written (its modification time): a file written at or after
    /// it is not the one it lists.
    listed_at: Option<std::time::SystemTime>,
    /// Which file the manifest was (device and inode): a manifest is replaced by a rename,
    /// so another is another file.
    listed_in: Option<Inode>,
    /// The permissions a file this build writes gets (`with_mode`): a file of other
    /// permissions was changed after planboek wrote it, and is not linked.
    mode: Option<u32>,
    /// The manifest was read whole (`open`), not only the files a caller reuses.
    whole: bool,
}

impl Previous {
    /// The output folder `out` as a source of unchanged files; None when it is not a folder
    /// of planboek's with a readable manifest.
    pub fn open(out: &Path) -> Option<Previous> {
        Previous::open_only(out, &|_| true).map(|p| Previous { whole: true, ..p })
    }

    /// `open`, for the files whose paths `keep` accepts: the others are never reused.
    pub fn open_only(out: &Path, keep: &dyn Fn(&str) -> bool) -> Option<Previous> {
        if !fs::symlink_metadata(out).ok()?.is_dir() {
            return None;
        }
        let before = fs::symlink_metadata(out.join(super::MANIFEST)).ok();
        let manifest = Manifest::read_only(out, keep).ok()??;
        let after = fs::symlink_metadata(out.join(super::MANIFEST)).ok();
        let id = |m: &Option<fs::Metadata>| m.as_ref().map(|m| (inode_of(m), m.modified().ok()));
        // Replaced while it was read: what was read may not be the file whose time is known.
        if id(&before) != id(&after) {
            return None;
        }
        let listed_at = after.as_ref().and_then(|m| m.modified().ok());
        let listed_in = after.as_ref().and_then(inode_of);
        #[cfg(unix)]
        let root = {
            use rustix::fs::{openat, Mode, OFlags, CWD};
            openat(CWD, out, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()).ok()?
        };
        #[cfg(not(unix))]
        return None;
        #[cfg(unix)]
        Some(Previous {
            files: Beneath { root, last: std::sync::Mutex::default() },
            manifest,
            listed_at,
            listed_in,
            mode: None,
            whole: false,
        })
    }

    /// Links only files with the permissions of `file`, one this build wrote.
    pub fn with_mode(mut self, file: &Path) -> Previous {
        self.mode = fs::metadata(file).ok().as_ref().and_then(mode_of);
        self
    }

    /// Whether `meta` has the permissions of a file this build writes; false when they
    /// are not known.
    fn has_mode(&self, meta: &fs::Metadata) -> bool {
        self.mode.is_some() && mode_of(meta) == self.mode
    }

    /// Hard-links the previous output's `rel` to `to` when it holds exactly `bytes` (whose
    /// entry is `entry`); false, with nothing at `to`, when it does not or cannot be linked.
    /// Where the previous output is `trusted` (planboek's own, outside the repository), a
    /// file not written since the manifest listed it with this entry holds those bytes, and
    /// is not read; anywhere else its bytes are compared.
    pub fn link_same(&self, rel: &str, entry: &FileEntry, bytes: &[u8], to: &Path, trusted: bool) -> bool {
        if !self.lists(rel, entry) {
            return false;
        }
        let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let Some(folder) = self.files.folder(folder) else { return false };
        // Linked first and checked after, which takes two system calls instead of five.
        if trusted && self.link_listed(&folder, name, rel, entry, to) {
            return true;
        }
        let Some(file) = folder.open(name) else { return false };
        let Some(inode) = self.holds_exactly(file, bytes) else { return false };
        if !folder.link(name, to) {
            return false;
        }
        // The name was looked up anew by the link: it must still name the inode found.
        if fs::symlink_metadata(to).ok().and_then(|m| inode_of(&m)) == Some(inode) {
            return true;
        }
        let _ = fs::remove_file(to);
        false
    }

    /// Whether the file of `meta` is still the one the manifest lists as `entry`: a regular
    /// file of that size, not written since the manifest was. The modification time is what
    /// tells, not the change time: removing the tree a file was linked from changes the
    /// latter.
    fn still_listed(&self, meta: &fs::Metadata, entry: &FileEntry) -> bool {
        let written_before = |at| self.listed_at.is_some_and(|listed_at| at < listed_at);
        meta.is_file() && meta.len() == entry.size && self.has_mode(meta) && meta.modified().is_ok_and(written_before)
    }

    /// Whether the manifest lists `rel` as `entry`.
    pub fn lists(&self, rel: &str, entry: &FileEntry) -> bool {
        self.manifest.files.get(rel) == Some(entry)
    }

    /// Whether the manifest of the folder `dir` is still the one this was read from: the
    /// same file, written at the same time.
    pub fn describes(&self, dir: &Path) -> bool {
        let now = fs::symlink_metadata(dir.join(super::MANIFEST)).ok();
        let now = now.as_ref().map(|m| (inode_of(m), m.modified().ok()));
        self.listed_in.is_some() && now == Some((self.listed_in, self.listed_at))
    }

    /// Every file the manifest lists, when it was read whole and is still the manifest of
    /// `dir`.
    pub fn whole_listing_of(&self, dir: &Path) -> Option<&BTreeMap<String, FileEntry>> {
        (self.whole && self.describes(dir)).then_some(&self.manifest.files)
    }

    /// When the manifest was written.
    pub fn listed_at(&self) -> Option<std::time::SystemTime> {
        self.listed_at
    }

    /// The manifest's entry of `rel`.
    pub fn entry(&self, rel: &str) -> Option<&FileEntry> {
        self.manifest.files.get(rel)
    }

    /// Whether the manifest lists a file `rel`, with any entry.
    pub fn lists_path(&self, rel: &str) -> bool {
        self.manifest.files.contains_key(rel)
    }

    /// The files the manifest lists, in order.
    pub fn listed_files(&self) -> impl Iterator<Item = (&str, &FileEntry)> {
        self.manifest.files.iter().map(|(rel, entry)| (rel.as_str(), entry))
    }

    /// Whether the file at `path` (the manifest's `rel`, where it is now) is still the one
    /// the manifest lists as `entry` (`still_listed`).
    pub fn holds_listed(&self, rel: &str, entry: &FileEntry, path: &Path) -> bool {
        self.lists(rel, entry) && fs::symlink_metadata(path).is_ok_and(|m| self.still_listed(&m, entry))
    }

    /// The previous output's folder `rel` (`/`-separated, empty for the root), opened
    /// without following a symbolic link: where `link_listed` links files from.
    pub fn folder(&self, rel: &str) -> Option<Folder> {
        #[cfg(unix)]
        return open_folder_beneath(&self.files.root, rel).map(|fd| Folder { fd: std::sync::Arc::new(fd) });
        #[cfg(not(unix))]
        None
    }

    /// Hard-links `rel`, the file `name` of `folder` in the previous output, to `to` without
    /// reading it, when the manifest lists it as `entry` and the file linked is still the
    /// one listed (`still_listed`; a symbolic link is linked as itself, and is none). False,
    /// with nothing at `to`, otherwise.
    pub fn link_listed(&self, folder: &Folder, name: &str, rel: &str, entry: &FileEntry, to: &Path) -> bool {
        if !self.lists(rel, entry) || !folder.link(name, to) {
            return false;
        }
        // The file linked is checked (in the staging folder), not the name it had in the
        // previous output, which could lead elsewhere by now.
        if fs::symlink_metadata(to).is_ok_and(|m| self.still_listed(&m, entry)) {
            return true;
        }
        let _ = fs::remove_file(to);
        false
    }

    /// `link_listed` for a folder whose files are not taken at its manifest's word (a
    /// versions cache entry, `Trust::OwnFiles`): the file is read, and linked only when its
    /// bytes hash to the entry's; the link is checked to name the inode read.
    pub fn link_hashed(&self, folder: &Folder, name: &str, rel: &str, entry: &FileEntry, to: &Path) -> bool {
        let Some((file, inode)) = self.open_listed(folder, name, rel, entry) else { return false };
        // Hashed as it is read, so that a large file needs no room of its size; one byte more
        // than listed tells a file that grew since its metadata was read.
        let mut hasher = blake3::Hasher::new();
        let read = hasher.update_reader(file.take(entry.size + 1)).map(|h| h.count());
        if read.ok() != Some(entry.size) || hasher.finalize() != entry.blake3 || !folder.link(name, to) {
            return false;
        }
        if fs::symlink_metadata(to).ok().and_then(|m| inode_of(&m)) == Some(inode) {
            return true;
        }
        let _ = fs::remove_file(to);
        false
    }

    /// The bytes of the file `rel` when it is listed as `entry`, at most `limit` bytes long,
    /// and they hash to the entry's: for a file of a folder not taken at its manifest's word
    /// that a build takes part of.
    pub fn read_hashed(&self, rel: &str, entry: &FileEntry, limit: u64) -> Option<Vec<u8>> {
        if entry.size > limit {
            return None;
        }
        let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let (file, _) = self.open_listed(&self.folder(folder)?, name, rel, entry)?;
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size).ok()? + 1);
        // One byte more than listed tells a file that grew since its metadata was read.
        file.take(entry.size + 1).read_to_end(&mut bytes).ok()?;
        (bytes.len() as u64 == entry.size && blake3::hash(&bytes) == entry.blake3).then_some(bytes)
    }

    /// The inode of `file` when it is a regular file with the permissions this build gives
    /// its files, holding exactly `bytes`.
    fn holds_exactly(&self, file: fs::File, bytes: &[u8]) -> Option<Inode> {
        let (file, inode) = self.sized(file, bytes.len() as u64)?;
        // One byte more than expected tells a file that grew since its metadata was read.
        let mut read = Vec::with_capacity(bytes.len() + 1);
        file.take(bytes.len() as u64 + 1).read_to_end(&mut read).ok()?;
        (read == bytes).then_some(inode)
    }

    /// The file `name` of `folder` (`rel`, listed as `entry`) opened, with its inode, when
    /// the manifest lists it so and it is a regular file of the listed size with the
    /// permissions this build gives its files.
    fn open_listed(&self, folder: &Folder, name: &str, rel: &str, entry: &FileEntry) -> Option<(fs::File, Inode)> {
        if !self.lists(rel, entry) {
            return None;
        }
        folder.open(name).and_then(|f| self.sized(f, entry.size))
    }

    /// `file` and its inode when it is a regular file of `size` bytes with the permissions
    /// this build gives its files.
    fn sized(&self, file: fs::File, size: u64) -> Option<(fs::File, Inode)> {
        let meta = file.metadata().ok()?;
        let inode = inode_of(&meta)?;
        (meta.is_file() && meta.len() == size && self.has_mode(&meta)).then_some((file, inode))
    }

    /// A handle on the previous output folder that opens its files (`Beneath::file`).
    pub fn beneath(&self) -> Option<Beneath> {
        #[cfg(unix)]
        return self.files.root.try_clone().ok().map(|root| Beneath { root, last: std::sync::Mutex::default() });
        #[cfg(not(unix))]
        None
    }
}

/// An output folder of planboek's, opened once, whose regular files are read without
/// following a symbolic link.
#[derive(Debug)]
pub struct Beneath {
    #[cfg(unix)]
    root: std::os::fd::OwnedFd,
    /// The folder a file was opened in last, kept open: the search index reads thousands of
    /// files of one folder.
    #[cfg(unix)]
    last: std::sync::Mutex<Option<(String, std::sync::Arc<std::os::fd::OwnedFd>)>>,
}

impl Beneath {
    /// The regular file `rel` (`/`-separated) beneath the folder, opened to read.
    pub fn file(&self, rel: &str) -> Option<fs::File> {
        #[cfg(unix)]
        let file = {
            let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
            self.folder(folder)?.open(name)?
        };
        #[cfg(not(unix))]
        let file: fs::File = None?;
        file.metadata().ok()?.is_file().then_some(file)
    }

    /// The folder `rel` opened, or the one kept from the last call.
    fn folder(&self, rel: &str) -> Option<Folder> {
        #[cfg(unix)]
        {
            let mut last = self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some((_, fd)) = last.as_ref().filter(|(f, _)| f == rel) {
                return Some(Folder { fd: fd.clone() });
            }
            let fd = std::sync::Arc::new(open_folder_beneath(&self.root, rel)?);
            *last = Some((rel.to_string(), fd.clone()));
            Some(Folder { fd })
        }
        #[cfg(not(unix))]
        None
    }
}

/// A folder of the previous output, opened once for the files read or linked from it.
#[derive(Debug)]
pub struct Folder {
    #[cfg(unix)]
    fd: std::sync::Arc<std::os::fd::OwnedFd>,
}

impl Folder {
    /// Opens the entry `name` of the folder for reading, unless it is a symbolic link; not
    /// blocking, so that a named pipe in the output cannot stop the build.
    fn open(&self, name: &str) -> Option<fs::File> {
        #[cfg(unix)]
        {
            use rustix::fs::{openat, Mode, OFlags};
            if !plain_part(name) || name.contains('/') {
                return None;
            }
            let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK;
            openat(&*self.fd, name, flags, Mode::empty()).ok().map(fs::File::from)
        }
        #[cfg(not(unix))]
        None
    }

    /// Hard-links the entry `name` of the folder (never a path) to `to`.
    fn link(&self, name: &str, to: &Path) -> bool {
        #[cfg(unix)]
        {
            use rustix::fs::{linkat, AtFlags, CWD};
            !name.contains('/') && linkat(&*self.fd, name, CWD, to, AtFlags::empty()).is_ok()
        }
        #[cfg(not(unix))]
        false
    }
}

/// Device and inode number: which file a name refers to.
type Inode = (u64, u64);

#[cfg(unix)]
fn inode_of(m: &fs::Metadata) -> Option<Inode> {
    use std::os::unix::fs::MetadataExt;
    m.is_file().then(|| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn inode_of(_: &fs::Metadata) -> Option<Inode> {
    None
}

/// The permission bits of the file of `meta`.
#[cfg(unix)]
fn mode_of(meta: &fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    Some(meta.mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode_of(_: &fs::Metadata) -> Option<u32> {
    None
}

/// Opens the folder `rel` (`/`-separated, empty for `root` itself) beneath `root` without
/// following a symbolic link in any of its components.
#[cfg(unix)]
fn open_folder_beneath(root: &std::os::fd::OwnedFd, rel: &str) -> Option<std::os::fd::OwnedFd> {
    use rustix::fs::{openat, Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::DIRECTORY;
    if rel.is_empty() {
        return openat(root, ".", flags, Mode::empty()).ok();
    }
    let mut fd: Option<std::os::fd::OwnedFd> = None;
    for part in rel.split('/') {
        if !plain_part(part) {
            return None;
        }
        fd = Some(openat(fd.as_ref().unwrap_or(root), part, flags, Mode::empty()).ok()?);
    }
    fd
}

/// Whether `part`, one name of a `/`-separated path, names an entry of its folder: not
/// empty, `.` or `..`.
pub(super) fn plain_part(part: &str) -> bool {
    !matches!(part, "" | "." | "..")
}

/// `rel`'s parent folder under `dir`, or None for a file in `dir` itself.
pub fn parent_of(dir: &Path, rel: &str) -> Option<PathBuf> {
    rel.rsplit_once('/').map(|(parent, _)| dir.join(parent))
}

#[cfg(all(test, unix))]
#[path = "reuse_tests.rs"]
mod tests;
