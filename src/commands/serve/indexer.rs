//! The preview's search index, kept up to date on a thread of its own. A saved page is
//! served at once; replacing its words rewrites the index files that hold them (hundreds on
//! a large handbook), which takes longer than the save itself, so it happens while the
//! editor goes on, and saves that arrive meanwhile are taken in together.

use super::state::Shared;
use crate::output::{self, FileEntry};
use crate::pipeline::{output_error, update_index, SavedPage};
use crate::search::Index;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, PoisonError};
use std::thread;
use std::time::Instant;

/// The thread that owns one served tree's search index.
pub struct Indexer {
    pages: mpsc::Sender<Vec<SavedPage>>,
}

/// Where the index's files are: the served tree, and its folder (`sub`) that holds the pages.
pub struct Place {
    pub served: PathBuf,
    pub sub: String,
}

impl Indexer {
    /// Starts the thread for `index`, whose files are in `place`. It ends when the indexer
    /// is dropped (a full rebuild made a new index) once the pages sent are taken in.
    pub fn start(index: Index, place: Place, shared: Arc<Shared>) -> Indexer {
        let (pages, receive) = mpsc::channel();
        thread::spawn(move || run(index, &place, &shared, &receive));
        Indexer { pages }
    }

    /// Hands saved pages to the index.
    pub fn take(&self, pages: Vec<SavedPage>) {
        if !pages.is_empty() {
            // The thread ends only when the server stops; the pages no longer matter then.
            let _ = self.pages.send(pages);
        }
    }
}

fn run(mut index: Index, place: &Place, shared: &Shared, receive: &mpsc::Receiver<Vec<SavedPage>>) {
    let dir = place.served.join(&place.sub);
    while let Ok(first) = receive.recv() {
        let started = Instant::now();
        // Pages saved while the previous ones were taken in: only each page's last version.
        let mut pages: BTreeMap<u32, SavedPage> = BTreeMap::new();
        for page in first.into_iter().chain(receive.try_iter().flatten()) {
            pages.insert(page.number(), page);
        }
        let mut files: BTreeMap<String, String> = BTreeMap::new();
        let count = pages.len();
        for page in pages.into_values() {
            // A document file holds two pages: the second of a batch builds on the first's.
            let read = |rel: &str| files.get(rel).cloned().or_else(|| fs::read_to_string(dir.join(rel)).ok());
            let updated = update_index(&mut index, page, &read);
            files.extend(updated);
        }
        {
            let _busy = shared.busy.lock().unwrap_or_else(PoisonError::into_inner);
            if shared.stopping() {
                return;
            }
            // Unlisted until written: a page saved meanwhile rewrites the manifest, which
            // must not vouch for these files' old bytes once it is newer than their new ones.
            record_in_manifest(&place.served, &place.sub, Vec::new(), files.keys().cloned().collect());
        }
        let (written, failed) = write_files(&dir, &files, shared);
        let _busy = shared.busy.lock().unwrap_or_else(PoisonError::into_inner);
        if shared.stopping() {
            return;
        }
        record_in_manifest(&place.served, &place.sub, written, Vec::new());
        match failed {
            None => {
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                let pages = crate::util::count(count, "page", "pages");
                println!("search index updated ({pages}, {} files) in {ms:.0} ms", files.len());
            }
            Some(d) => {
                eprintln!("{d}");
                println!("search index not updated: search in the preview may miss the last save");
            }
        }
    }
}

type Written = Vec<(String, FileEntry)>;

/// Writes a file of the served tree whole (`output::write_atomic`), so a request never
/// reads half of it, making its folder first.
pub fn write_served(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    crate::output::write_atomic(path, bytes)
}

/// Writes the index files over the served tree; what was written, also when one failed.
/// Each file is written while no rebuild writes (a save waits for one file at most) and
/// not once shutdown has begun to remove the preview folder.
fn write_files(
    dir: &Path,
    files: &BTreeMap<String, String>,
    shared: &Shared,
) -> (Written, Option<crate::diag::Diagnostic>) {
    let mut written = Vec::new();
    for (path, text) in files {
        let _busy = shared.busy.lock().unwrap_or_else(PoisonError::into_inner);
        if shared.stopping() {
            break;
        }
        match write_served(&dir.join(path), text.as_bytes()) {
            Ok(()) => written.push((path.clone(), FileEntry::of(text.as_bytes()))),
            Err(e) => return (written, Some(output_error(Path::new(path), &e))),
        }
    }
    (written, None)
}

/// Keeps the served tree's manifest true after files were written in place or `removed`
/// (`sub` is where they are under it); a manifest that cannot be updated is removed rather
/// than left wrong.
pub fn record_in_manifest(served: &Path, sub: &str, written: Written, removed: Vec<String>) {
    let under = |rel: String| if sub.is_empty() { rel } else { format!("{sub}/{rel}") };
    let written: Vec<_> = written.into_iter().map(|(rel, e)| (under(rel), e)).collect();
    let removed: Vec<_> = removed.into_iter().map(under).collect();
    if output::update_manifest(served, &written, &removed).is_err() {
        let _ = fs::remove_file(served.join(output::MANIFEST));
    }
}
