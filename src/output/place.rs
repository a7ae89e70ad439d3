//! Making the staging folder's folders. ext4 places a folder made in a spread folder
//! (`spread`: the staging folder, `_search/d/`) in a group picked by the hash of its name. A
//! build's folders have the names of the previous build's, so each landed where its
//! namesake had just been removed, and on ext4 without a journal every new file steps one
//! by one over the inodes freed there in the last minute. A folder made directly in a spread
//! folder is therefore made under a name of this build's own and then renamed: it lands in
//! a group of its own draw.

use std::hash::{BuildHasher, Hasher};
use std::io;
use std::path::{Path, PathBuf};

/// Where a build makes its folders.
#[derive(Debug)]
pub struct Placer {
    /// The folders whose folders the file system spreads over the disk.
    spread: Vec<PathBuf>,
    /// Draws this build's temporary names apart from any other build's.
    salt: u64,
    /// Folders made under a temporary name so far: each gets a name of its own.
    renamed: u64,
}

impl Placer {
    /// For a staging folder `root`, whose folders are spread.
    pub fn new(root: &Path) -> Placer {
        let salt = std::collections::hash_map::RandomState::new().build_hasher().finish();
        Placer { spread: vec![root.to_path_buf()], salt, renamed: 0 }
    }

    /// Notes that the folders made in `folder` are spread too.
    pub fn spreads(&mut self, folder: &Path) {
        self.spread.push(folder.to_path_buf());
    }

    /// Makes `folder` and the folders above it that are missing; one made directly in a
    /// spread folder under a temporary name first (see the module's doc). Where folders
    /// are not spread (not Linux), a folder is made as it is.
    pub fn make_all(&mut self, folder: &Path) -> io::Result<()> {
        if folder.is_dir() {
            return Ok(());
        }
        let Some(parent) = folder.parent().filter(|p| !p.as_os_str().is_empty()) else {
            return std::fs::create_dir(folder);
        };
        self.make_all(parent)?;
        if !cfg!(target_os = "linux") || !self.spread.iter().any(|s| s == parent) {
            return std::fs::create_dir(folder);
        }
        self.renamed += 1;
        let temporary = parent.join(format!(".planboek-folder-{:016x}-{}", self.salt, self.renamed));
        std::fs::create_dir(&temporary)?;
        std::fs::rename(&temporary, folder).inspect_err(|_| {
            let _ = std::fs::remove_dir(&temporary);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_made_under_their_own_names_with_nothing_left_beside_them() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().join("staging");
        std::fs::create_dir(&root).expect("root");
        let mut placer = Placer::new(&root);
        placer.make_all(&root.join("plan/sectie/sub")).expect("nested");
        placer.make_all(&root.join("_search/d")).expect("search");
        placer.spreads(&root.join("_search/d"));
        for k in ["0", "1"] {
            placer.make_all(&root.join("_search/d").join(k)).expect("spread folder's folder");
        }
        placer.make_all(&root.join("plan/sectie")).expect("made already");
        let mut all: Vec<String> = walkdir::WalkDir::new(&root)
            .min_depth(1)
            .into_iter()
            .map(|e| e.expect("entry").path().strip_prefix(&root).expect("under").to_string_lossy().replace('\\', "/"))
            .collect();
        all.sort();
        assert_eq!(
            all,
            ["_search", "_search/d", "_search/d/0", "_search/d/1", "plan", "plan/sectie", "plan/sectie/sub"]
        );
        std::fs::write(root.join("file"), "x").expect("file");
        assert!(placer.make_all(&root.join("file/below")).is_err(), "a file stands in the way");
        assert!(placer.make_all(&root.join("file")).is_err());
        let left: Vec<_> = std::fs::read_dir(&root).expect("list").map(|e| e.expect("e").file_name()).collect();
        assert_eq!(left.len(), 3, "no temporary folder left: {left:?}");
    }
}
