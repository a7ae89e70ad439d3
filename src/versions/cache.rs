//! Keeping `.planboek-cache` bounded: entries a build uses are stamped, and entries that no
//! build has used for a week are removed, as are leftovers of builds that were interrupted.

use super::{Origin, Version, CACHE_DIR};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Written into each entry a build uses; its modification time is the last use.
pub const USED_FILE: &str = crate::output::STAMP;

/// How long an entry no build uses is kept. Long enough that alternating builds (a
/// `serve --versions` preview beside a published `build`, two audiences) each keep theirs.
pub const KEEP_UNUSED: Duration = Duration::from_secs(7 * 24 * 3600);

/// The working tree (and what is built after it) is built afresh each time; its pages are
/// not kept.
pub fn remove_scratch(root: &Path, used: &[&Path]) {
    let keyed = root.join(CACHE_DIR).join("out");
    for dir in used {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if dir.starts_with(&keyed) && name.ends_with(&format!("-{}", std::process::id())) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Stamps what this build used and removes what no build used within `keep`. Failures only
/// leave a little more on disk, so they are ignored.
pub fn prune(root: &Path, list: &[Version], used: &[&Path], keep: Duration) {
    let cache = root.join(CACHE_DIR);
    let trees = list.iter().filter_map(|v| match &v.origin {
        Origin::Git { tree, .. } => Some(cache.join("trees").join(tree)),
        _ => None,
    });
    let used: Vec<PathBuf> = used.iter().map(|d| d.to_path_buf()).chain(trees).collect();
    used.iter().filter(|d| d.is_dir()).for_each(|d| touch(d));
    let now = SystemTime::now();
    for kind in ["out", "trees"] {
        let Ok(entries) = std::fs::read_dir(cache.join(kind)) else { continue };
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            let idle = last_use(&path).and_then(|t| now.duration_since(t).ok()).unwrap_or_default();
            if !used.contains(&path) && idle > keep {
                remove(&path);
            }
        }
    }
}

/// Records that a build uses the cache entry `dir` now.
pub fn touch(dir: &Path) {
    let _ = std::fs::write(dir.join(USED_FILE), b"");
}

/// When an entry was last used: its stamp, else (interrupted or older builds) its own time.
fn last_use(path: &Path) -> Option<SystemTime> {
    let stamp = path.join(USED_FILE);
    let meta = std::fs::metadata(&stamp).or_else(|_| std::fs::symlink_metadata(path)).ok()?;
    meta.modified().ok()
}

fn remove(path: &Path) {
    let removed = match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) => Err(e),
    };
    drop(removed);
}
