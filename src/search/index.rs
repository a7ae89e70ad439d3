//! The index of a build, put together page by page in reading order while the pages are
//! rendered in parallel: pages that finish early wait in a small queue until those before
//! them are in, so each term's pages stay in order and are kept compactly (`code.rs`).

use super::analyze::{analyze, PageSource, PageTerms};
use super::lexicon::Lexicon;
use super::lists::{Forward, Index, PageInfo, Patchable};
use super::next;
use super::record::{self, Key};
use super::saved::{self, SavedReader, SavedWriter};
use super::snapshot::{self, Changed};
use super::{doc_path, DocFile, DOC_FILE_PAGES};
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

/// A page's terms read back from the previous build without its document
/// (`Collector::kept_terms`): none when the index being patched has them already.
pub struct KeptTerms {
    key: Key,
    terms: Option<PageTerms>,
}

/// Opens a file of the previous output by its path under the root (`output::Beneath::file`).
pub type PreviousFiles = Box<dyn Fn(&str) -> Option<std::fs::File> + Send + Sync>;

/// A document file larger than this is not read back.
const MAX_DOC_FILE: u64 = 64 << 20;

impl Ready {
    /// The page's record for the next build, taken out.
    fn saved(&mut self) -> Option<(Key, Vec<u8>)> {
        match self {
            Ready::Plain(_, terms) => terms.saved.take(),
            Ready::Packed(w) => w.saved.take(),
        }
    }

    /// The numbers of the page's words, taken out.
    fn words(&mut self) -> Vec<u32> {
        match self {
            Ready::Plain(_, terms) => std::mem::take(&mut terms.words),
            Ready::Packed(w) => std::mem::take(&mut w.words),
        }
    }
}

impl Index {
    fn add_ready(&mut self, page: Ready) {
        match page {
            Ready::Plain(info, terms) => self.add(info, &terms),
            Ready::Packed(w) => self.add(w.info, &w.unpack()),
        }
    }
}

/// Collects the analysed pages of a run from any thread, in reading order.
pub struct Collector {
    lexicon: Lexicon,
    /// The pages analysed and not yet in the index. Lock order: `index`, then `queue`.
    queue: Mutex<Queue>,
    index: Mutex<Index>,
    /// The documents of files that still miss a page, by file number.
    docs: Mutex<BTreeMap<u32, Vec<(u32, String)>>>,
    /// The previous build's analyses, which pages whose text did not change are read from,
    /// and its files, which hold their documents.
    saved: Option<(SavedReader, PreviousFiles)>,
    /// The previous output's document file read last (number, text): its other page comes
    /// next, or nearly, and would otherwise read it again.
    last_doc_file: Mutex<Option<(u32, Arc<str>)>>,
    /// This build's analyses for the next build, written as pages join the index (so in
    /// reading order). Locked while `index` is held.
    saving: Option<Mutex<SavedWriter>>,
    /// Set when this build patches the previous build's index (`snapshot`), which `index`
    /// then holds.
    patching: Option<Patching>,
}

/// The previous build's index being patched: the pages whose key is not the one it has for
/// their number are collected, and put in when all are in (`snapshot::patch`).
struct Patching {
    /// The key of each page of the previous build, by number.
    keys: Vec<Key>,
    changed: Mutex<Vec<Changed>>,
}

impl Patching {
    /// Whether the previous build had page `number` with this key.
    fn same(&self, number: u32, key: &Key) -> bool {
        self.keys.get(number as usize) == Some(key)
    }

    /// Keeps page `number`'s new analysis for the patch.
    fn keep(&self, number: u32, key: Key, terms: PageTerms) {
        self.changed.lock().unwrap_or_else(PoisonError::into_inner).push(Changed { number, key, terms });
    }
}

/// Pages join the index this many at a time, when as many in a row are ready: a page appends
/// to the lists of a few hundred stems, and the pages of a batch share most of them, so the
/// ends of those lists are still in the cache for all but the first page of a batch.
const BATCH: u32 = 64;

#[derive(Default)]
struct Queue {
    /// The first page not yet taken into the index.
    next: u32,
    waiting: BTreeMap<u32, Ready>,
}

/// A page waiting for its batch: as analysed while few wait, packed once many do.
enum Ready {
    Plain(PageInfo, PageTerms),
    Packed(Waiting),
}

/// Pages wait unpacked (packing and unpacking cost a tenth of the index's time) while fewer
/// than this many wait.
const PLAIN_WAITING: usize = 4 * BATCH as usize;

impl Queue {
    /// The pages waiting in a row from `next`, taken out.
    fn take_ready(&mut self) -> Vec<Ready> {
        let mut out = Vec::new();
        while let Some(page) = self.waiting.remove(&self.next) {
            out.push(page);
            self.next += 1;
        }
        out
    }

    /// Whether a whole batch is ready.
    fn batch_ready(&self) -> bool {
        self.waiting.range(self.next..self.next.saturating_add(BATCH)).count() == BATCH as usize
    }
}

/// A page's terms while it waits for its batch, packed: the threads finish pages out of
/// order (stage 1 hands out plans in reading order, so few wait at once).
struct Waiting {
    info: PageInfo,
    length: u32,
    /// The terms (stem as the difference from the one before, value) and the pairs (first
    /// stem as the difference from the one before, second stem), `next::push`ed.
    bytes: Vec<u8>,
    terms: u32,
    saved: Option<(Key, Vec<u8>)>,
    words: Vec<u32>,
}

impl Waiting {
    fn pack(info: PageInfo, terms: &mut PageTerms) -> Waiting {
        let mut bytes = Vec::with_capacity(terms.terms.len() * 3 + terms.pairs.len() * 4);
        let mut last = 0;
        for &(stem, value) in &terms.terms {
            next::push(&mut bytes, stem - last);
            next::push(&mut bytes, value);
            last = stem;
        }
        last = 0;
        for &pair in &terms.pairs {
            let first = (pair >> 32) as u32;
            next::push(&mut bytes, first - last);
            next::push(&mut bytes, pair as u32);
            last = first;
        }
        let (saved, words) = (terms.saved.take(), std::mem::take(&mut terms.words));
        Waiting { info, length: terms.length, bytes, terms: terms.terms.len() as u32, saved, words }
    }

    fn unpack(&self) -> PageTerms {
        let (mut at, mut out) = (0, PageTerms { length: self.length, ..PageTerms::default() });
        let mut read = || next::read(&self.bytes, &mut at).unwrap_or(0);
        let mut last = 0;
        for _ in 0..self.terms {
            last += read();
            out.terms.push((last, read()));
        }
        last = 0;
        while at < self.bytes.len() {
            last += next::read(&self.bytes, &mut at).unwrap_or(0);
            let second = next::read(&self.bytes, &mut at).unwrap_or(0);
            out.pairs.push(u64::from(last) << 32 | u64::from(second));
        }
        out
    }
}

impl Collector {
    /// An empty index for a site whose plans start at these pages, with these titles;
    /// `forward` keeps which lists each page is in, for an index that pages will be
    /// replaced in (the preview server's).
    pub fn new(plans: Vec<(u32, String)>, forward: bool) -> Collector {
        let forward = forward.then(Forward::default);
        let index = Index { plans, forward, ..Index::default() };
        Collector {
            lexicon: Lexicon::default(),
            queue: Mutex::new(Queue::default()),
            index: Mutex::new(index),
            docs: Mutex::new(BTreeMap::new()),
            saved: None,
            last_doc_file: Mutex::new(None),
            saving: None,
            patching: None,
        }
    }

    /// Reads the analyses of pages that did not change from `previous`: a file written as
    /// `into` was, and the files of the output that holds it (its document files). Writes
    /// this build's into `into`.
    pub fn keeping(
        mut self,
        previous: Option<(std::fs::File, PreviousFiles)>,
        into: Option<std::fs::File>,
    ) -> Collector {
        self.saved = previous.and_then(|(file, files)| Some((SavedReader::open(file)?, files)));
        self.saving = into.and_then(SavedWriter::new).map(Mutex::new);
        // A preview's index is updated by `serve` itself and never patched by a next build.
        let index = self.index.get_mut().unwrap_or_else(PoisonError::into_inner);
        if self.saving.is_some() && index.forward.is_none() {
            index.patchable = Some(Patchable::default());
        }
        self
    }

    /// Patches the index kept in the file `snapshot` (`snapshot::read_file`, made by the
    /// previous build for as many pages) instead of putting every page's analysis together
    /// again: only while this build keeps its analyses and can read the previous build's
    /// (whose records the pages not changed keep), and not for a preview (whose index `serve`
    /// updates itself). The file is read only then.
    pub fn patching(mut self, snapshot: Option<std::fs::File>, pages: usize) -> Collector {
        let index = self.index.get_mut().unwrap_or_else(PoisonError::into_inner);
        if self.saved.is_none() || self.saving.is_none() || index.forward.is_some() {
            return self;
        }
        let Some(mut previous) = snapshot.and_then(|file| snapshot::read_file(file, pages)) else { return self };
        let keys = previous.patchable.as_ref().map(|p| p.keys.clone()).unwrap_or_default();
        self.lexicon = Lexicon::with_words(std::mem::take(&mut previous.words));
        previous.plans = std::mem::take(&mut index.plans);
        *index = previous;
        self.patching = Some(Patching { keys, changed: Mutex::new(Vec::new()) });
        self
    }

    /// Whether this build patches the previous build's index (for the tests).
    #[cfg(test)]
    pub fn is_patching(&self) -> bool {
        self.patching.is_some()
    }

    /// The previous build's analysis of the page with `key`, read back as page `number`'s
    /// terms, with its record as this build keeps it.
    fn restored(&self, key: &Key, number: u32) -> Option<(PageTerms, Vec<u8>)> {
        let (reader, files) = self.saved.as_ref()?;
        let mut record = reader.get(key)?;
        let was = record::numbered(&record)?;
        let text = self.previous_doc_file(files, was / DOC_FILE_PAGES)?;
        let document = doc_in_file(&text, was)?;
        let terms = saved::restore(&record, number, document, &self.lexicon)?;
        record::renumber(&mut record, number);
        Some((terms, record))
    }

    /// The text of the previous output's document file `number`.
    fn previous_doc_file(&self, files: &PreviousFiles, number: u32) -> Option<Arc<str>> {
        let last = self.last_doc_file.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if let Some((_, text)) = last.filter(|(n, _)| *n == number) {
            return Some(text);
        }
        let file = files(&doc_path(number))?;
        let size = file.metadata().ok()?.len();
        if size > MAX_DOC_FILE {
            return None;
        }
        // Sized from the file: read into an empty string, a 10 kB file takes nine reads.
        let mut text = String::with_capacity(size as usize + 1);
        file.take(MAX_DOC_FILE).read_to_string(&mut text).ok()?;
        let text: Arc<str> = text.into();
        *self.last_doc_file.lock().unwrap_or_else(PoisonError::into_inner) = Some((number, text.clone()));
        Some(text)
    }

    /// Page `number` analysed, or read back from the previous build's analysis of the same
    /// text.
    fn terms(&self, number: u32, page: &PageSource) -> PageTerms {
        if self.saved.is_none() && self.saving.is_none() {
            return analyze(number, page, &self.lexicon, None);
        }
        self.terms_keyed(number, page, saved::key(page))
    }

    /// `terms` of a page whose key is `key`.
    fn terms_keyed(&self, number: u32, page: &PageSource, key: Key) -> PageTerms {
        match self.restored(&key, number) {
            Some((mut terms, record)) => {
                terms.saved = self.saving.is_some().then_some((key, record));
                terms
            }
            None => analyze(number, page, &self.lexicon, self.saving.is_some().then_some(key)),
        }
    }

    /// Adds `ready` pages to `index` in order, and their records to the file being written.
    fn join(&self, index: &mut Index, ready: Vec<Ready>) {
        let mut saving = self.saving.as_ref().map(|s| s.lock().unwrap_or_else(PoisonError::into_inner));
        for mut page in ready {
            let saved = page.saved();
            match (&saved, &mut index.patchable) {
                (Some((key, _)), Some(patchable)) => patchable.push(*key, &page.words()),
                (None, Some(_)) => index.patchable = None,
                _ => {}
            }
            if let (Some(out), Some((key, record))) = (saving.as_deref_mut(), saved) {
                out.append(key, &record);
            }
            index.add_ready(page);
        }
    }

    /// Analyses page `number` (on the calling thread) and adds it; returns the document
    /// file it completed, for the caller to write (documents are written as they come, so
    /// no page's text waits for the end), and the key its analysis is kept under for the
    /// next build, when this build keeps them (`add_kept` takes it).
    pub fn add(&self, number: u32, info: PageInfo, page: &PageSource) -> (Option<DocFile>, Option<Key>) {
        if let Some(patching) = &self.patching {
            let key = saved::key(page);
            let doc = self.patch_page(patching, number, info, key, || Some(self.terms_keyed(number, page, key)));
            return (doc.and_then(|doc| self.add_doc(number, doc)), Some(key));
        }
        let terms = self.terms(number, page);
        let key = terms.saved.as_ref().map(|(key, _)| *key);
        (self.enqueue(number, info, terms), key)
    }

    /// Adds page `number` from the previous build's analysis kept under `key`, without its
    /// text: for a page not rendered again because nothing it is made from changed. None,
    /// with nothing added, when that analysis or its document cannot be read back.
    pub fn add_kept(&self, number: u32, info: PageInfo, key: &Key) -> Option<Option<DocFile>> {
        if let Some(patching) = &self.patching {
            let doc = self.patch_page(patching, number, info, *key, || {
                let (mut terms, record) = self.restored(key, number)?;
                terms.saved = Some((*key, record));
                Some(terms)
            })?;
            return Some(self.add_doc(number, doc));
        }
        let (mut terms, record) = self.restored(key, number)?;
        terms.saved = self.saving.is_some().then_some((*key, record));
        Some(self.enqueue(number, info, terms))
    }

    /// The previous build's analysis kept under `key`, as page `number`'s terms without its
    /// document: only when that build gave the page this number, so that its document file,
    /// which holds the page and its neighbour as the record's build numbered them, may be taken
    /// whole from that build's output (`add_kept_terms`). None otherwise.
    pub fn kept_terms(&self, key: &Key, number: u32) -> Option<KeptTerms> {
        if self.patching.as_ref().is_some_and(|p| p.same(number, key)) {
            return Some(KeptTerms { key: *key, terms: None });
        }
        let (reader, _) = self.saved.as_ref()?;
        let record = reader.get(key)?;
        if record::numbered(&record)? != number {
            return None;
        }
        let mut terms = saved::restore_terms(&record, &self.lexicon)?;
        terms.saved = self.saving.is_some().then_some((*key, record));
        Some(KeptTerms { key: *key, terms: Some(terms) })
    }

    /// Adds page `number` from `kept_terms`; its document is in the document file the caller
    /// took whole.
    pub fn add_kept_terms(&self, number: u32, info: PageInfo, kept: KeptTerms) {
        match (kept.terms, &self.patching) {
            (None, _) => self.set_info(number, info),
            (Some(terms), Some(patching)) => {
                self.set_info(number, info);
                patching.keep(number, kept.key, terms);
            }
            (Some(terms), None) => self.queue_terms(number, info, terms),
        }
    }

    /// The document of page `number` in the previous output, when the index being patched
    /// has the page with this key (so its analysis and document are as they were).
    fn unchanged_doc(&self, patching: &Patching, number: u32, key: &Key) -> Option<String> {
        if !patching.same(number, key) {
            return None;
        }
        let (_, files) = self.saved.as_ref()?;
        let text = self.previous_doc_file(files, number / DOC_FILE_PAGES)?;
        doc_in_file(&text, number).map(str::to_string)
    }

    /// Page `number`, with `key`, in the index being patched: its filter values noted, and
    /// its document; when the index has another analysis for it, with its new one
    /// (`analysis`, None when that cannot be had) kept for the patch.
    fn patch_page(
        &self,
        patching: &Patching,
        number: u32,
        info: PageInfo,
        key: Key,
        analysis: impl FnOnce() -> Option<PageTerms>,
    ) -> Option<String> {
        self.set_info(number, info);
        if let Some(doc) = self.unchanged_doc(patching, number, &key) {
            return Some(doc);
        }
        let mut terms = analysis()?;
        let doc = std::mem::take(&mut terms.doc);
        patching.keep(number, key, terms);
        Some(doc)
    }

    /// Notes page `number`'s filter values in the index being patched.
    fn set_info(&self, number: u32, info: PageInfo) {
        let mut index = self.index.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(page) = index.pages.get_mut(number as usize) {
            *page = info;
        }
    }

    /// Whether the previous build kept an analysis under `key`.
    pub fn has_kept(&self, key: &Key) -> bool {
        self.saved.as_ref().is_some_and(|(reader, _)| reader.has(key))
    }

    /// Puts page `number`'s document with the others of its file, and queues its terms;
    /// returns the document file it completed.
    fn enqueue(&self, number: u32, info: PageInfo, mut terms: PageTerms) -> Option<DocFile> {
        let done = self.add_doc(number, std::mem::take(&mut terms.doc));
        self.queue_terms(number, info, terms);
        done
    }

    /// Queues page `number`'s terms, and joins the batch they complete to the index.
    fn queue_terms(&self, number: u32, info: PageInfo, mut terms: PageTerms) {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let page = if queue.waiting.len() < PLAIN_WAITING {
            Ready::Plain(info, terms)
        } else {
            drop(queue);
            let packed = Ready::Packed(Waiting::pack(info, &mut terms));
            drop(terms);
            queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            packed
        };
        queue.waiting.insert(number, page);
        if queue.batch_ready() {
            drop(queue);
            let mut index = self.index.lock().unwrap_or_else(PoisonError::into_inner);
            // Taken while the index is held, so batches join in order.
            let ready = self.queue.lock().unwrap_or_else(PoisonError::into_inner).take_ready();
            self.join(&mut index, ready);
        }
    }

    /// Puts page `number`'s document with the others of its file; the file when complete.
    fn add_doc(&self, number: u32, doc: String) -> Option<DocFile> {
        let file = number / DOC_FILE_PAGES;
        let mut docs = self.docs.lock().unwrap_or_else(PoisonError::into_inner);
        let group = docs.entry(file).or_default();
        group.push((number, doc));
        if group.len() < DOC_FILE_PAGES as usize {
            return None;
        }
        docs.remove(&file).map(|group| doc_file(file, group))
    }

    /// The index and the last document files.
    pub fn finish(mut self) -> (Index, Vec<DocFile>) {
        let mut index = std::mem::take(&mut *self.index.lock().unwrap_or_else(PoisonError::into_inner));
        if let Some(patching) = self.patching.take() {
            let changed = patching.changed.into_inner().unwrap_or_else(PoisonError::into_inner);
            self.save_in_order(&patching.keys, &changed);
            index.words = std::mem::take(&mut self.lexicon).into_words();
            snapshot::patch(&mut index, changed);
        } else {
            let ready = self.queue.lock().unwrap_or_else(PoisonError::into_inner).take_ready();
            self.join(&mut index, ready);
            index.words = std::mem::take(&mut self.lexicon).into_words();
            snapshot::forget_unused_words(&mut index);
        }
        if let Some(saving) = self.saving {
            // Without its footer the file is never read: a build goes on without it.
            let _ = saving.into_inner().unwrap_or_else(PoisonError::into_inner).finish();
        }
        let docs = self.docs.into_inner().unwrap_or_else(PoisonError::into_inner);
        let last = docs.into_iter().map(|(file, group)| doc_file(file, group)).collect();
        (index, last)
    }

    /// Keeps every page's record for the next build in reading order, for a patched index:
    /// a changed page's new one, else the previous build's, kept under the same key (the
    /// previous build kept them in reading order too, so those between two changed pages are
    /// copied in one go).
    fn save_in_order(&self, keys: &[Key], changed: &[Changed]) {
        let (Some(saving), Some((reader, _))) = (&self.saving, &self.saved) else { return };
        let mut out = saving.lock().unwrap_or_else(PoisonError::into_inner);
        let new: BTreeMap<u32, &Changed> = changed.iter().map(|c| (c.number, c)).collect();
        let mut run: Vec<(Key, u64, u32)> = Vec::new();
        for (number, key) in keys.iter().enumerate() {
            let kept = match new.get(&(number as u32)) {
                Some(_) => None,
                None => reader.locate(key),
            };
            let follows = |&(offset, _): &(u64, u32)| run.last().map_or(true, |l| l.1 + u64::from(l.2) == offset);
            if kept.as_ref().map_or(true, |k| !follows(k)) {
                out.append_run(reader, &std::mem::take(&mut run));
            }
            match (kept, new.get(&(number as u32))) {
                (Some((offset, length)), _) => run.push((*key, offset, length)),
                (None, Some(c)) => {
                    if let Some((key, record)) = &c.terms.saved {
                        out.append(*key, record);
                    }
                }
                (None, None) => {}
            }
        }
        out.append_run(reader, &run);
    }
}

/// A document file: `planboekSearch.docs(number, [documents in page order])`.
fn doc_file(number: u32, mut group: Vec<(u32, String)>) -> DocFile {
    group.sort_unstable_by_key(|d| d.0);
    let size = group.iter().map(|d| d.1.len() + 1).sum::<usize>() + 40;
    let mut text = String::with_capacity(size);
    text.push_str(&format!("planboekSearch.docs({number},["));
    for (i, (_, doc)) in group.iter().enumerate() {
        text.push_str(if i > 0 { "," } else { "" });
        text.push_str(doc);
    }
    text.push_str("]);\n");
    DocFile { number, text }
}

/// The document of page `number` in a document file's `text` (as `doc_file` writes it);
/// None when the text is not such a file or does not hold it. A document starts
/// `[number,"` and no string holds that (a quote in one is escaped), so the page's and the
/// next page's starts are found by searching, not by reading every string.
fn doc_in_file(text: &str, number: u32) -> Option<&str> {
    let body = text.strip_prefix("planboekSearch.docs(")?;
    let (file, docs) = body.split_once(",[")?;
    if file.is_empty() || !file.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let docs = docs.strip_suffix("]);\n")?;
    let start = if docs.starts_with(&format!("[{number},\"")) {
        0
    } else {
        memchr::memmem::find(docs.as_bytes(), format!(",[{number},\"").as_bytes())? + 1
    };
    let next = format!(",[{},\"", number.checked_add(1)?);
    let end = memchr::memmem::find(&docs.as_bytes()[start..], next.as_bytes()).map_or(docs.len(), |at| start + at);
    docs.get(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_found_in_its_file_as_written() {
        let tricky = r#"[5,"a.html","T [1]",["x"],["\"]",",[5,\"",","],"ab",[["h",2,0,1]]]"#;
        let file = doc_file(2, vec![(5, tricky.to_string()), (4, "[4,\"b\",[[]]]".into())]);
        assert_eq!(doc_in_file(&file.text, 4), Some("[4,\"b\",[[]]]"));
        assert_eq!(doc_in_file(&file.text, 5), Some(tricky));
        assert_eq!(doc_in_file(&file.text, 6), None);
        let last = doc_file(3, vec![(6, "[6,\"c\"]".into())]);
        assert_eq!(doc_in_file(&last.text, 6), Some("[6,\"c\"]"));
        for bad in ["", "planboekSearch.docs(", "planboekSearch.docs(x,[[4,\"]);\n", "planboekSearch.docs(2,[[4,\"b\"]"]
        {
            assert_eq!(doc_in_file(bad, 4), None, "{bad}");
        }
    }
}
