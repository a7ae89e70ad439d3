//! Writing a build safely: into a staging folder beside the output folder, swapped into
//! place only when the whole build succeeded, so a failed build leaves the old output intact.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file that marks a folder as planboek's output, so that planboek never replaces a
/// folder it did not write.
pub const MARKER: &str = ".planboek-output";

/// Why an output folder is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// `path` made absolute and free of `.`/`..` and symbolic links as far as it exists.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let abs = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Canonicalize the longest existing ancestor, then add back what does not exist yet.
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_owned()),
            None => break,
        }
        existing.pop();
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    out.extend(rest.iter().rev());
    Ok(out)
}

/// Refuses an output folder that would overwrite the sources: the site root itself, a folder
/// holding it, a folder inside `content/` or `themes/`, or a folder planboek did not write.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<PathBuf, Refused> {
    let io = |e: io::Error| Refused(format!("cannot resolve {}: {e}", out.display()));
    let root = resolve(root).map_err(io)?;
    let out_abs = resolve(out).map_err(io)?;
    let shown = out.display();
    if out_abs == root {
        return Err(Refused(format!("output folder {shown} is the site root")));
    }
    if root.starts_with(&out_abs) {
        return Err(Refused(format!("output folder {shown} contains the site root")));
    }
    for protected in ["content", "themes"] {
        if out_abs.starts_with(root.join(protected)) {
            return Err(Refused(format!("output folder {shown} lies inside {protected}/")));
        }
    }
    if out_abs.exists() {
        if !out_abs.is_dir() {
            return Err(Refused(format!("output path {shown} exists and is not a folder")));
        }
        let empty = fs::read_dir(&out_abs).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty && !out_abs.join(MARKER).exists() {
            return Err(Refused(format!(
                "output folder {shown} is not empty and was not written by planboek; refusing to replace it"
            )));
        }
    }
    Ok(out_abs)
}

/// A build in progress: files go to a hidden sibling of the output folder.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    done: bool,
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.planboek-{tag}-{}", std::process::id()))
}

impl Staging {
    /// Starts a build for the (already checked) output folder `out`.
    pub fn new(out: &Path) -> io::Result<Staging> {
        let parent = out.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        remove_stale(out);
        let dir = sibling(out, "new");
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir(&dir)?;
        fs::write(dir.join(MARKER), "This folder is written by planboek build; it is replaced on each build.\n")?;
        Ok(Staging { dir, out: out.to_path_buf(), done: false })
    }

    /// The folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` to `rel` (a `/`-separated path under the output root).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(rel);
        match fs::write(&path, bytes) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(path.parent().unwrap_or(&self.dir))?;
                fs::write(&path, bytes)
            }
            other => other,
        }
    }

    /// Copies the file `from` to `rel` under the output root.
    pub fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        let path = self.dir.join(rel);
        fs::create_dir_all(path.parent().unwrap_or(&self.dir))?;
        fs::copy(from, path).map(|_| ())
    }

    /// Swaps the finished build into place and removes the previous output.
    pub fn commit(mut self) -> io::Result<()> {
        let old = sibling(&self.out, "old");
        let had_old = self.out.exists();
        if had_old {
            fs::rename(&self.out, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.out) {
            if had_old {
                let _ = fs::rename(&old, &self.out);
            }
            return Err(e);
        }
        self.done = true;
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    /// A build that did not commit leaves no staging folder behind.
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes staging folders of earlier builds of `out` that were killed before cleaning up.
fn remove_stale(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else { return };
    let prefix = format!(".{}.planboek-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let n = e.file_name();
        let n = n.to_string_lossy();
        let is_ours = n.starts_with(&prefix) && e.path().join(MARKER).exists();
        if is_ours && (n.contains("-new-") || n.contains("-old-")) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_folders() {
        let t = tempfile::tempdir().expect("tempdir");
        let root = t.path();
        fs::create_dir_all(root.join("content/p")).expect("mkdir");
        assert!(check_out_dir(root, root).is_err());
        assert!(check_out_dir(root, &root.join("content/p/out")).is_err());
        assert!(check_out_dir(root, &root.join("themes/x")).is_err());
        assert!(check_out_dir(root, root.parent().expect("parent")).is_err());
        assert!(check_out_dir(root, &root.join("site/../site")).is_ok());
        fs::create_dir_all(root.join("docs")).expect("mkdir");
        fs::write(root.join("docs/keep.txt"), "x").expect("write");
        assert!(check_out_dir(root, &root.join("docs")).is_err(), "foreign folder");
    }

    #[test]
    fn commit_replaces_and_drop_cleans() {
        let t = tempfile::tempdir().expect("tempdir");
        let out = t.path().join("site");
        let s = Staging::new(&out).expect("staging");
        s.write("a/b.html", b"one").expect("write");
        s.commit().expect("commit");
        assert_eq!(fs::read(out.join("a/b.html")).expect("read"), b"one");
        let s = Staging::new(&out).expect("staging");
        s.write("c.html", b"two").expect("write");
        drop(s);
        assert!(out.join("a/b.html").exists());
        assert_eq!(fs::read_dir(t.path()).expect("ls").count(), 1, "no staging left");
    }
}
