//! Putting a finished build in place of the previous one: atomically where the OS can
//! exchange two folders, else by two renames; and putting back the newest complete tree
//! when a kill between those renames left no output folder.

use super::manifest::Manifest;
use super::MARKER;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// `.<name>.planboek-<tag>-<pid>` beside `out`: a staging folder (`new`) or the previous
/// output on its way out (`old`).
pub fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.planboek-{tag}-{}", std::process::id()))
}

/// Puts the finished staging folder `new` in place of `out`, whose previous content is then
/// removed, unless `keep` keeps it (for the next build to be made over: `recycle::keep`).
pub fn swap_in(new: &Path, out: &Path, keep: &dyn Fn(&Path) -> bool) -> io::Result<()> {
    if fs::symlink_metadata(out).is_err() {
        return fs::rename(new, out);
    }
    if exchange(new, out).is_ok() {
        // `new` now holds the previous output; a leftover is removed by the next build.
        if !keep(new) {
            remove_tree(new);
        }
        return Ok(());
    }
    swap_by_renames(new, out)
}

/// Where the OS cannot exchange two folders: the previous output is moved aside first. A
/// kill between the two renames leaves no `out`, which `recover` then puts back.
pub(super) fn swap_by_renames(new: &Path, out: &Path) -> io::Result<()> {
    let old = sibling(out, "old");
    fs::rename(out, &old)?;
    if let Err(e) = fs::rename(new, out) {
        let _ = fs::rename(&old, out);
        return Err(e);
    }
    remove_tree(&old);
    Ok(())
}

/// Removes the tree `dir` (a previous output), its top-level entries side by side: a large
/// handbook's holds tens of thousands of files, and each takes a system call. Symbolic
/// links are removed, never followed.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir).map(|e| e.flatten().collect()).unwrap_or_default();
    entries.par_iter().for_each(|e| {
        let _ = match e.file_type() {
            Ok(t) if t.is_dir() => fs::remove_dir_all(e.path()),
            _ => fs::remove_file(e.path()),
        };
    });
    let _ = fs::remove_dir_all(dir);
}

/// Exchanges two folders in one step: `renameat2(RENAME_EXCHANGE)` on Linux,
/// `renameatx_np(RENAME_SWAP)` on macOS. Fails, changing nothing, where the file system
/// cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
pub(super) fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// A staging or previous-output folder of `out` left by a build that did not finish.
struct Leftover {
    dir: PathBuf,
    pid: u32,
    /// It holds planboek's marker. A build killed between making its staging folder and
    /// writing the marker into it leaves one without, which is empty.
    marked: bool,
    /// When its manifest was written, for a complete tree: the swap was under way.
    complete: Option<SystemTime>,
}

/// The leftovers beside `out`: folders named like `sibling`'s.
fn leftovers(out: &Path) -> Vec<Leftover> {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else { return Vec::new() };
    let prefix = format!(".{}.planboek-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else { return Vec::new() };
    let mut found = Vec::new();
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = n.strip_prefix(&prefix) else { continue };
        let Some(pid) = rest.strip_prefix("new-").or(rest.strip_prefix("old-")).and_then(|p| p.parse().ok()) else {
            continue;
        };
        let dir = e.path();
        let marked = dir.join(MARKER).is_file();
        let complete = match marked.then(|| Manifest::read(&dir)) {
            Some(Ok(Some(m))) if m.is_complete_in(&dir) => {
                fs::metadata(dir.join(super::MANIFEST)).and_then(|m| m.modified()).ok()
            }
            _ => None,
        };
        found.push(Leftover { dir, pid, marked, complete });
    }
    found
}

/// When there is no `out` but an interrupted build left complete trees beside it, renames the
/// newest of them to `out` and returns where it was. Runs before anything else touches `out`,
/// so the only complete copy of a handbook is never deleted.
pub fn recover(out: &Path) -> io::Result<Option<PathBuf>> {
    if fs::symlink_metadata(out).is_ok() {
        return Ok(None);
    }
    let newest = leftovers(out).into_iter().filter_map(|l| Some((l.complete?, l.dir))).max();
    let Some((_, dir)) = newest else { return Ok(None) };
    fs::rename(&dir, out)?;
    Ok(Some(dir))
}

/// Removes what earlier builds of `out` that were killed left beside it: incomplete staging
/// folders, and any tree once `out` exists. Folders of a build still running are left alone,
/// and a folder without the marker is removed only when it is empty: one of the name that
/// holds anything is not known to be planboek's.
pub fn remove_stale(out: &Path) {
    let have_out = out.is_dir();
    for l in leftovers(out) {
        let other_running = l.pid != std::process::id() && running(l.pid);
        if other_running {
            continue;
        }
        if !l.marked {
            let _ = fs::remove_dir(&l.dir);
        } else if have_out || l.complete.is_none() {
            let _ = fs::remove_dir_all(&l.dir);
        }
    }
}

/// Whether process `pid` exists; where that cannot be told cheaply, it is taken as gone.
/// A thread's id is drawn from the same numbers and `/proc` answers for it too, so once the
/// numbers wrap a thread (of this build, say) could pass for a killed build: only a process
/// that leads its own thread group counts.
fn running(pid: u32) -> bool {
    if !cfg!(target_os = "linux") {
        return false;
    }
    let status = fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status")).unwrap_or_default();
    let group = status.lines().find_map(|l| l.strip_prefix("Tgid:")).and_then(|v| v.trim().parse::<u32>().ok());
    group == Some(pid)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::{remove_tree, running};
    use std::fs;
    use std::os::unix::fs::symlink;

    #[test]
    fn removing_a_tree_removes_its_links_and_nothing_they_lead_to() {
        let t = tempfile::tempdir().expect("tempdir");
        let (tree, outside) = (t.path().join("old"), t.path().join("outside"));
        fs::create_dir_all(tree.join("a/b")).expect("mkdir");
        fs::create_dir_all(&outside).expect("mkdir");
        fs::write(outside.join("keep.html"), "x").expect("write");
        fs::write(tree.join("index.html"), "x").expect("write");
        fs::write(tree.join("a/b/page.html"), "x").expect("write");
        symlink(&outside, tree.join("folder-link")).expect("symlink");
        symlink(&outside, tree.join("a/inner-link")).expect("symlink");
        symlink(outside.join("keep.html"), tree.join("file-link")).expect("symlink");
        remove_tree(&tree);
        assert!(fs::symlink_metadata(&tree).is_err(), "the tree is gone");
        assert!(outside.join("keep.html").is_file(), "nothing outside it was removed");
    }

    #[test]
    fn a_thread_does_not_pass_for_a_running_build() {
        assert!(running(std::process::id()));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let worker = std::thread::spawn(move || rx.recv());
        let me = std::process::id().to_string();
        let threads: Vec<u32> = std::fs::read_dir("/proc/self/task")
            .expect("tasks")
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .filter(|t: &u32| t.to_string() != me)
            .collect();
        assert!(!threads.is_empty(), "the worker is a task of its own");
        for tid in threads {
            assert!(!running(tid), "thread {tid} taken for a process");
        }
        drop(tx);
        let _ = worker.join();
    }
}
