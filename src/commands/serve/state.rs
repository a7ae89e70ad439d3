//! What the HTTP workers, the live-reload streams and the rebuild thread share.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The served tree, the error overlay and the rebuild counter the live-reload script follows.
pub struct Shared {
    /// Canonical path of the folder being served; None until a build succeeded.
    root: RwLock<Option<Arc<PathBuf>>>,
    /// HTML of the error banner of the last failed rebuild; None when the last one succeeded.
    overlay: RwLock<Option<Arc<str>>>,
    generation: Mutex<u64>,
    changed: Condvar,
    /// Differs between runs, so that a page reloads after the server restarted.
    run_id: u64,
    /// Open live-reload connections.
    pub streams: AtomicUsize,
    stopping: AtomicBool,
    /// Held while a rebuild writes, so that shutdown removes the temporary folder after it.
    pub busy: Mutex<()>,
}

impl Shared {
    pub fn new() -> Shared {
        let run_id = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        Shared {
            root: RwLock::new(None),
            overlay: RwLock::new(None),
            generation: Mutex::new(0),
            changed: Condvar::new(),
            run_id: run_id ^ u64::from(std::process::id()),
            streams: AtomicUsize::new(0),
            stopping: AtomicBool::new(false),
            busy: Mutex::new(()),
        }
    }

    /// The folder being served.
    pub fn root(&self) -> Option<Arc<PathBuf>> {
        self.root.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn overlay(&self) -> Option<Arc<str>> {
        self.overlay.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Makes a rebuild visible: swaps in `root` (when a full build made a new tree), sets or
    /// clears the overlay, and wakes the live-reload streams.
    pub fn publish(&self, root: Option<&Path>, overlay: Option<String>) {
        if let Some(root) = root {
            let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
            *self.root.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(canonical));
        }
        *self.overlay.write().unwrap_or_else(PoisonError::into_inner) = overlay.map(Arc::from);
        let mut g = self.generation.lock().unwrap_or_else(PoisonError::into_inner);
        *g += 1;
        self.changed.notify_all();
    }

    pub fn generation(&self) -> u64 {
        *self.generation.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until the generation differs from `seen`, the server stops, or `timeout` passes.
    pub fn wait_change(&self, seen: u64, timeout: Duration) -> u64 {
        let g = self.generation.lock().unwrap_or_else(PoisonError::into_inner);
        let (g, _) = self
            .changed
            .wait_timeout_while(g, timeout, |g| *g == seen && !self.stopping())
            .unwrap_or_else(PoisonError::into_inner);
        *g
    }

    /// The tag a page compares to decide whether it is stale: run and generation.
    pub fn tag(&self, generation: u64) -> String {
        format!("{:x}-{generation}", self.run_id)
    }

    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        let _g = self.generation.lock().unwrap_or_else(PoisonError::into_inner);
        self.changed.notify_all();
    }

    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}
