//! Watching planboek.toml, content/ and themes/, and turning bursts of events into batches.

use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RenameMode};
use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// A batch ends after this much quiet: long enough to join an editor's write + rename.
const QUIET: Duration = Duration::from_millis(30);
/// …or after this much, once every changed file is Markdown that its writer has closed (or
/// renamed into place): the save is complete, and a few milliseconds still join a "save all".
const SETTLE: Duration = Duration::from_millis(3);
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
        let mut settling = Settling::default();
        let mut started: Option<Instant> = None;
        loop {
            let event = match started {
                None => self.events.recv().ok()?,
                Some(t) => {
                    let left = CAP.saturating_sub(t.elapsed());
                    match self.events.recv_timeout(settling.quiet(&batch).min(left)) {
                        Ok(e) => e,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return None,
                    }
                }
            };
            if let Ok(event) = &event {
                for rel in event.paths.iter().filter_map(|p| relevant(&self.root, p)) {
                    settling.note(event.kind, &rel, batch.paths.contains(&rel));
                }
            }
            if self.add(event, &mut batch) && started.is_none() {
                started = Some(Instant::now());
            }
        }
        // A file that appeared and went again within the batch (an editor's temporary that was
        // renamed over the real file) changed nothing.
        batch.paths.retain(|p| !settling.created.contains(p) || self.root.join(p).exists());
        Some(batch)
    }

    /// Adds one event's relevant paths to `batch`; true if it had any.
    fn add(&mut self, event: notify::Result<Event>, batch: &mut Batch) -> bool {
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
            batch.paths.insert(rel);
            any = true;
        }
        any
    }
}

/// Which files of a batch may not yet hold what their writer meant, so that a batch of
/// complete saves need not wait out QUIET.
#[derive(Debug, Default)]
struct Settling {
    /// Written and not yet closed, or deleted or moved away (often to be written again).
    open: HashSet<PathBuf>,
    /// Appeared within the batch (created, or renamed into place) and not in it before.
    created: HashSet<PathBuf>,
    /// Created and gone again within the batch: an editor's temporary, which changes nothing.
    passed: HashSet<PathBuf>,
}

impl Settling {
    /// Takes in what an event did to `rel`, which the batch already holds if `in_batch`.
    fn note(&mut self, kind: EventKind, rel: &Path, in_batch: bool) {
        let appeared = matches!(kind, EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(RenameMode::To)));
        if appeared && !in_batch {
            self.created.insert(rel.to_path_buf());
        }
        match kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To)) => {
                self.open.remove(rel);
            }
            // A rename also comes as a From and a To event, taken above and below.
            EventKind::Modify(ModifyKind::Name(RenameMode::Both) | ModifyKind::Metadata(_))
            | EventKind::Access(_)
            | EventKind::Create(CreateKind::Folder) => {}
            EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) if self.created.contains(rel) => {
                self.open.remove(rel);
                self.passed.insert(rel.to_path_buf());
            }
            EventKind::Create(_) => {
                self.passed.remove(rel);
                self.open.insert(rel.to_path_buf());
            }
            _ => {
                self.open.insert(rel.to_path_buf());
            }
        }
    }

    /// How long the batch waits for another event: briefly once every changed file is a
    /// Markdown file its writer closed or renamed into place, as reading it sees the whole save.
    fn quiet(&self, batch: &Batch) -> Duration {
        let markdown = |p: &&PathBuf| p.extension().is_some_and(|e| e == "md");
        let changed = || batch.paths.iter().filter(|p| !self.passed.contains(*p));
        let complete = changed().next().is_some() && changed().all(|p| markdown(&p));
        if batch.everything || !self.open.is_empty() || !complete {
            QUIET
        } else {
            SETTLE
        }
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
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
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

    fn settled_after(events: &[(EventKind, &str)]) -> Duration {
        let mut settling = Settling::default();
        let mut batch = Batch::default();
        for (kind, path) in events {
            settling.note(*kind, Path::new(path), batch.paths.contains(Path::new(path)));
            if !matches!(kind, EventKind::Access(_)) {
                batch.paths.insert(PathBuf::from(path));
            }
        }
        settling.quiet(&batch)
    }

    #[test]
    fn a_batch_waits_briefly_only_for_markdown_its_writer_closed() {
        let write = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any));
        let close = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let create = EventKind::Create(CreateKind::File);
        let to = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        let both = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        let removed = EventKind::Remove(notify::event::RemoveKind::File);
        let from = EventKind::Modify(ModifyKind::Name(RenameMode::From));
        let (a, b, t) = ("content/p/a.md", "content/p/b.md", "content/p/a.md.x1y2");
        assert_eq!(settled_after(&[(write, a)]), QUIET, "still open");
        assert_eq!(settled_after(&[(write, a), (close, a)]), SETTLE);
        assert_eq!(settled_after(&[(create, a), (write, a), (close, a)]), SETTLE);
        // Written beside and renamed into place.
        let atomic = [(create, t), (write, t), (close, t), (from, t), (to, a), (both, t)];
        assert_eq!(settled_after(&atomic), SETTLE);
        assert_eq!(settled_after(&atomic[..4]), QUIET, "not yet in place");
        // Moved aside before it is written again (vim's backup): wait for the new file.
        assert_eq!(settled_after(&[(from, a), (to, b)]), QUIET);
        assert_eq!(settled_after(&[(from, a), (to, b), (create, a), (write, a), (close, a)]), SETTLE);
        assert_eq!(settled_after(&[(removed, a)]), QUIET, "deleted, perhaps to come back");
        let css = "themes/t/static/a.css";
        assert_eq!(settled_after(&[(write, css), (close, css)]), QUIET, "not Markdown");
        assert_eq!(settled_after(&[(write, a), (close, a), (write, b)]), QUIET);
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
