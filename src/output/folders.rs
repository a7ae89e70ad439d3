//! Reading an output folder through folder descriptors: each folder listed once, each file
//! asked about relative to its folder, no symbolic link followed. A versioned output holds
//! some 300,000 files, and looking each up by its whole path walks its every component.

use rustix::fs::{AtFlags, Mode, OFlags, Stat};
use std::ffi::{CStr, CString};
use std::os::fd::OwnedFd;
use std::path::Path;

pub use rustix::fs::FileType;

/// How deep a walk goes below the folder it starts from: planboek writes a few levels, and a
/// walk holds a descriptor per level.
pub const MAX_DEPTH: usize = 64;

/// An entry of a folder listing: its name, its kind and its inode.
pub struct Listed {
    pub name: CString,
    pub kind: FileType,
    pub ino: u64,
}

/// The folder `dir`, opened to be listed, unless it is a symbolic link.
pub fn open(dir: &Path) -> Option<OwnedFd> {
    rustix::fs::openat(rustix::fs::CWD, dir, folder_flags(), Mode::empty()).ok()
}

/// The folder `name` of the folder `dir`, opened to be listed, unless it is a symbolic link.
pub fn open_in(dir: &OwnedFd, name: &CStr) -> Option<OwnedFd> {
    rustix::fs::openat(dir, name, folder_flags(), Mode::empty()).ok()
}

/// Asks the file system to spread the folders made in `dir` over the disk, as it does folders
/// made at its root (ext4's `FS_TOPDIR_FL`); only a hint, left out where it is not known.
///
/// ext4 without a journal steps over every inode freed in the last minute (six minutes while
/// its block is unwritten) each time it hands one out, one by one: a tree of 27,000 files
/// made where one was just removed paid that for each file, some ten seconds in all. Folders
/// spread over the disk's groups meet a few hundred freed inodes each.
#[cfg(target_os = "linux")]
pub fn spread(dir: &Path) {
    let Some(fd) = open(dir) else { return };
    if let Ok(flags) = rustix::fs::ioctl_getflags(&fd) {
        let _ = rustix::fs::ioctl_setflags(&fd, flags | rustix::fs::IFlags::TOPDIR);
    }
}

/// Elsewhere the file system places folders as it sees fit.
#[cfg(not(target_os = "linux"))]
pub fn spread(_dir: &Path) {}

fn folder_flags() -> OFlags {
    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC
}

/// What the file system says of the entry `name` of the folder `dir` (a symbolic link
/// itself, not what it leads to).
pub fn stat_in(dir: &OwnedFd, name: &CStr) -> Option<Stat> {
    rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).ok()
}

/// The kind of file `stat` describes.
pub fn kind_of(stat: &Stat) -> FileType {
    FileType::from_raw_mode(stat.st_mode as _)
}

/// The entries of the folder `dir` but `.` and `..`, sorted by name; a kind the listing does
/// not give is asked of the file system.
pub fn listing(dir: &OwnedFd) -> Option<Vec<Listed>> {
    let mut entries = Vec::new();
    let mut read = rustix::fs::Dir::read_from(dir).ok()?;
    while let Some(entry) = read.read() {
        let entry = entry.ok()?;
        let name = entry.file_name();
        if matches!(name.to_bytes(), b"." | b"..") {
            continue;
        }
        let kind = match entry.file_type() {
            FileType::Unknown => kind_of(&stat_in(dir, name)?),
            kind => kind,
        };
        entries.push(Listed { name: name.to_owned(), kind, ino: entry.ino() });
    }
    entries.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Some(entries)
}
