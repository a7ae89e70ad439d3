//! Containment: where a path really leads, so that nothing planboek reads comes from outside
//! the site root through a symbolic link (a repository is untrusted input in CI).

use std::path::{Path, PathBuf};

/// The real location of `path` when it lies outside `root` (a canonical path), else None.
/// A path that does not resolve (a dangling link) is left to whoever reads it, who reports
/// it as unreadable.
pub fn outside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    (!real.starts_with(root)).then_some(real)
}

/// `root` as a canonical path, so that `outside` compares real locations; `root` itself when
/// it cannot be resolved (then nothing under it can be read either).
pub fn canonical(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_root_are_found() {
        let dir = std::env::temp_dir().join(format!("planboek-fs-{}", std::process::id()));
        let root = dir.join("root");
        std::fs::create_dir_all(root.join("a")).expect("mkdir");
        std::fs::write(dir.join("elders.md"), "x").expect("write");
        std::fs::write(root.join("a/binnen.md"), "x").expect("write");
        std::os::unix::fs::symlink("../../elders.md", root.join("a/uit.md")).expect("link");
        std::os::unix::fs::symlink("binnen.md", root.join("a/in.md")).expect("link");
        std::os::unix::fs::symlink("..", root.join("a/op")).expect("link");
        let root = canonical(&root);
        assert_eq!(outside(&root, &root.join("a/uit.md")), Some(canonical(&dir.join("elders.md"))));
        assert_eq!(outside(&root, &root.join("a/in.md")), None);
        assert_eq!(outside(&root, &root.join("a/op")), None);
        assert!(outside(&root, &root.join("a/op/..")).is_some());
        assert_eq!(outside(&root, &root.join("a/nergens.md")), None);
        std::fs::remove_dir_all(dir).expect("clean up");
    }
}

/// Fills `buf` from `file` at `offset` without moving the file's position, so that threads
/// share one open file; None when the file ends first or cannot be read (or has no `pread`).
#[cfg(unix)]
pub fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> Option<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset).ok()
}

#[cfg(not(unix))]
pub fn read_at(_: &std::fs::File, _: &mut [u8], _: u64) -> Option<()> {
    None
}
