//! Watching planboek.toml, content/ and themes/, and turning bursts of events into batches.

use notify::event::{EventKind, ModifyKind, RenameMode};
use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// A batch ends after this much quiet: long enough to join an editor's write + rename.
const QUIET: Duration = Duration::from_millis(30);
/// …but never waits longer than this, so that a long burst still shows progress.
const CAP: Duration = Duration::from_millis(1000);
const WATCHED_DIRS: [&str; 2] = ["content", "themes"];

/// What changed since the last batch.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    /// Changed paths relative to the site root (`content/p/a.md`).
    pub paths: BTreeSet<PathBuf>,
    /// Events were lost (or this is the first build): rebuild everything.
    pub everything: bool,
}

impl Batch {
    pub fn everything() -> Batch {
        Batch { paths: BTreeSet::new(), everything: true }
    }
}

/// The watcher and the events it reports.
pub struct Watch {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    watched: HashSet<PathBuf>,
    /// git's common folder, watched for new tags when serving versions.
    git: Option<PathBuf>,
}

impl Watch {
    /// Watches `root` (canonical) itself for planboek.toml and for content/ or themes/ being
    /// created, and those two folders recursively (which covers folders made inside later).
    /// With `git`, also the repository's refs: a new tag or commit changes the versions.
    pub fn start(root: &Path, git: Option<&Path>) -> notify::Result<Watch> {
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        if let Some(git) = git {
            // Not recursive at the top: objects/ and the index change on every `git add`.
            // Best effort: without it, a new tag shows at the next edit instead.
            let _ = watcher.watch(git, RecursiveMode::NonRecursive);
            for refs in ["refs", "reftable"].map(|d| git.join(d)).iter().filter(|d| d.is_dir()) {
                let _ = watcher.watch(refs, RecursiveMode::Recursive);
            }
        }
        let git = git.map(Path::to_path_buf);
        let mut w = Watch { root: root.to_path_buf(), watcher, events, watched: HashSet::new(), git };
        w.watch_dirs();
        Ok(w)
    }

    /// Adds a recursive watch on content/ and themes/ when they exist and are not yet watched.
    fn watch_dirs(&mut self) {
        for name in WATCHED_DIRS {
            let dir = self.root.join(name);
            if !dir.is_dir() {
                // Gone: watch it again when it comes back.
                if self.watched.remove(&dir) {
                    let _ = self.watcher.unwatch(&dir);
                }
            } else if !self.watched.contains(&dir) && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok() {
                self.watched.insert(dir);
            }
        }
    }

    /// Blocks until something relevant changed, then gathers events until QUIET passes
    /// without one (or CAP is reached). None when the watcher is gone.
    pub fn next(&mut self) -> Option<Batch> {
        loop {
            let batch = self.gather()?;
            if batch.everything || !batch.paths.is_empty() {
                return Some(batch);
            }
        }
    }

    fn gather(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        let mut created = HashSet::new();
        let mut started: Option<Instant> = None;
        loop {
            let event = match started {
                None => self.events.recv().ok()?,
                Some(t) => {
                    let left = CAP.saturating_sub(t.elapsed());
                    match self.events.recv_timeout(QUIET.min(left)) {
                        Ok(e) => e,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return None,
                    }
                }
            };
            if self.add(event, &mut batch, &mut created) && started.is_none() {
                started = Some(Instant::now());
            }
        }
        // A file that appeared and went again within the batch (an editor's temporary that was
        // renamed over the real file) changed nothing.
        batch.paths.retain(|p| !created.contains(p) || self.root.join(p).exists());
        Some(batch)
    }

    /// Adds one event's relevant paths to `batch`; true if it had any.
    fn add(&mut self, event: notify::Result<Event>, batch: &mut Batch, created: &mut HashSet<PathBuf>) -> bool {
        let event = match event {
            Ok(e) => e,
            Err(_) => {
                batch.everything = true;
                return true;
            }
        };
        // Reading (by our own build, too) and attribute changes leave the content as it was.
        if matches!(event.kind, EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))) {
            return false;
        }
        if event.need_rescan() {
            batch.everything = true;
        }
        let mut any = batch.everything;
        for path in &event.paths {
            if self.git.as_deref().is_some_and(|git| is_ref(git, path)) {
                batch.everything = true;
                any = true;
            }
            let Some(rel) = relevant(&self.root, path) else { continue };
            if WATCHED_DIRS.iter().any(|d| rel == Path::new(d)) {
                self.watch_dirs();
            }
            let appeared = matches!(event.kind, EventKind::Create(_))
                || matches!(event.kind, EventKind::Modify(ModifyKind::Name(RenameMode::To)));
            if appeared && !batch.paths.contains(&rel) {
                created.insert(rel.clone());
            }
            batch.paths.insert(rel);
            any = true;
        }
        any
    }
}

/// `path` relative to the root when a change to it can change the handbook: planboek.toml,
/// or anything under content/ or themes/ except editor temporaries and hidden files.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next()?;
    if first != "planboek.toml" && !WATCHED_DIRS.contains(&first.as_ref()) {
        return None;
    }
    let name = rel.file_name()?.to_string_lossy();
    (!is_temporary(&name) && !rel.components().skip(1).any(|c| c.as_os_str().to_string_lossy().starts_with('.')))
        .then(|| rel.to_path_buf())
}

/// Whether `path` holds git references (a branch or tag moved, or was added or deleted).
fn is_ref(git: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(git) else { return false };
    rel.starts_with("refs") || rel.starts_with("reftable") || rel == Path::new("packed-refs")
}

/// Files editors write beside the real one while saving, which never reach the handbook.
fn is_temporary(name: &str) -> bool {
    name == "4913"
        || name.starts_with(".#")
        || name.ends_with('~')
        || [".swp", ".swx", ".tmp"].iter().any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevance() {
        let root = Path::new("/r");
        assert!(relevant(root, Path::new("/r/planboek.toml")).is_some());
        assert!(relevant(root, Path::new("/r/content/p/a.md")).is_some());
        assert!(relevant(root, Path::new("/r/themes/x/static/a.css")).is_some());
        assert!(relevant(root, Path::new("/r/content")).is_some());
        for ignored in [
            "/r/site/a.html",
            "/r/.git/index",
            "/r/content/p/.a.md.swp",
            "/r/content/p/a.md~",
            "/r/content/p/4913",
            "/r/content/p/.#a.md",
            "/r/content/p/x.tmp",
            "/r/content/p/a.swx",
            "/elsewhere/a.md",
        ] {
            assert!(relevant(root, Path::new(ignored)).is_none(), "{ignored}");
        }
    }

    #[test]
    fn references() {
        let git = Path::new("/r/.git");
        for r in ["/r/.git/refs/tags/v2", "/r/.git/packed-refs", "/r/.git/refs/heads/main.lock"] {
            assert!(is_ref(git, Path::new(r)), "{r}");
        }
        for other in ["/r/.git/index", "/r/.git/objects/ab/cdef", "/r/.git/HEAD", "/r/content/refs"] {
            assert!(!is_ref(git, Path::new(other)), "{other}");
        }
    }
}
