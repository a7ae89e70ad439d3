//! The index of a build, put together page by page in reading order while the pages are
//! rendered in parallel: pages that finish early wait in a small queue until those before
//! them are in, so each term's pages stay in order and are kept compactly (`code.rs`).

use super::analyze::{analyze, Lexicon, PageSource, PageTerms, Words};
use super::code::Postings;
use super::next::{self, Next};
use super::record::{self, Key};
use super::saved::{self, SavedReader, SavedWriter};
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

/// A document file holds this many consecutive pages (file `page / DOC_FILE_PAGES`): a
/// result list loads the files of its ten pages only, so few pages to a file keep what a
/// query loads small; more would keep the number of files down.
pub const DOC_FILE_PAGES: u32 = 2;

/// What the search filters see of a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// Position of the page's plan in the site.
    pub plan: u32,
    /// 0 none, 1 concept, 2 ter-review, 3 vastgesteld.
    pub status: u8,
}

/// A page's terms read back from the previous build without its document
/// (`Collector::kept_terms`).
pub struct KeptTerms(PageTerms);

/// A finished file of documents: `_search/d/<number>.js`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFile {
    pub number: u32,
    pub text: String,
}

impl DocFile {
    pub fn path(&self) -> String {
        doc_path(self.number)
    }
}

/// The path of document file `number` under the output (or version) root.
pub fn doc_path(number: u32) -> String {
    format!("{}/d/{}.js", super::DIR, number)
}

/// Opens a file of the previous output by its path under the root (`output::Beneath::file`).
pub type PreviousFiles = Box<dyn Fn(&str) -> Option<std::fs::File> + Send + Sync>;

/// A document file larger than this is not read back.
const MAX_DOC_FILE: u64 = 64 << 20;

/// The whole index in memory.
#[derive(Debug, Default)]
pub struct Index {
    pub words: Words,
    /// By stem number: (page, field bits | body count << 3).
    pub stems: Vec<Postings>,
    /// By first stem of a word pair: the pages with the stems that follow it.
    pub next: Vec<Next>,
    pub pages: Vec<PageInfo>,
    /// Body length of each page.
    pub lengths: Vec<u32>,
    /// The first page of each plan, and its title.
    pub plans: Vec<(u32, String)>,
    /// Set by `write`: the average body length the impacts were weighed with, and the first
    /// key of each word and term file, which a page rebuild keeps.
    pub average: f64,
    pub word_keys: Vec<String>,
    pub term_keys: Vec<String>,
    /// For the preview server only (`Collector::new`'s `forward`): each page's stems and the
    /// first stems of its word pairs, so that a saved page's old entries are found without
    /// decoding the whole index.
    pub forward: Option<Forward>,
}

/// Which lists each page is in, by page number.
#[derive(Debug, Default)]
pub struct Forward {
    pub stems: Vec<Vec<u32>>,
    pub firsts: Vec<Vec<u32>>,
}

impl Forward {
    /// Records that page `page` is in the lists of `terms` (any earlier record replaced).
    pub fn set(&mut self, page: u32, terms: &PageTerms) {
        let at = page as usize;
        if self.stems.len() <= at {
            self.stems.resize_with(at + 1, Vec::new);
            self.firsts.resize_with(at + 1, Vec::new);
        }
        self.stems[at] = terms.terms.iter().map(|&(stem, _)| stem).collect();
        let mut firsts: Vec<u32> = terms.pairs.iter().map(|&pair| (pair >> 32) as u32).collect();
        firsts.dedup();
        self.firsts[at] = firsts;
    }
}

impl Ready {
    /// The page's record for the next build, taken out.
    fn saved(&mut self) -> Option<(Key, Vec<u8>)> {
        match self {
            Ready::Plain(_, terms) => terms.saved.take(),
            Ready::Packed(w) => w.saved.take(),
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

    /// Adds the next page (its number is `self.pages.len()`).
    fn add(&mut self, info: PageInfo, terms: &PageTerms) {
        let page = self.pages.len() as u32;
        for &(stem, value) in &terms.terms {
            let at = stem as usize;
            if self.stems.len() <= at {
                self.stems.resize_with(at + 1, Postings::default);
            }
            self.stems[at].push(page, &[value]);
        }
        for run in terms.pairs.chunk_by(|a, b| a >> 32 == b >> 32) {
            let first = (run[0] >> 32) as usize;
            if self.next.len() <= first {
                self.next.resize_with(first + 1, Next::default);
            }
            self.next[first].push_run(page, run);
        }
        if let Some(forward) = &mut self.forward {
            forward.set(page, terms);
        }
        self.pages.push(info);
        self.lengths.push(terms.length);
    }
}

/// Sorted pairs (`first << 32 | second`) grouped by first stem.
pub fn group_pairs(pairs: &[u64]) -> Vec<(u32, Vec<u32>)> {
    let mut out: Vec<(u32, Vec<u32>)> = Vec::new();
    for &pair in pairs {
        let (first, second) = ((pair >> 32) as u32, pair as u32);
        match out.last_mut() {
            Some((f, followers)) if *f == first => followers.push(second),
            _ => out.push((first, vec![second])),
        }
    }
    out
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
        Waiting { info, length: terms.length, bytes, terms: terms.terms.len() as u32, saved: terms.saved.take() }
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
        self
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
        let key = saved::key(page);
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
            if let (Some(out), Some((key, record))) = (saving.as_deref_mut(), page.saved()) {
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
        let terms = self.terms(number, page);
        let key = terms.saved.as_ref().map(|(key, _)| *key);
        (self.enqueue(number, info, terms), key)
    }

    /// Adds page `number` from the previous build's analysis kept under `key`, without its
    /// text: for a page not rendered again because nothing it is made from changed. None,
    /// with nothing added, when that analysis or its document cannot be read back.
    pub fn add_kept(&self, number: u32, info: PageInfo, key: &Key) -> Option<Option<DocFile>> {
        let (mut terms, record) = self.restored(key, number)?;
        terms.saved = self.saving.is_some().then_some((*key, record));
        Some(self.enqueue(number, info, terms))
    }

    /// The previous build's analysis kept under `key`, as page `number`'s terms without its
    /// document: only when that build gave the page this number, so that its document file,
    /// which holds the page and its neighbour as the record's build numbered them, may be taken
    /// whole from that build's output (`add_kept_terms`). None otherwise.
    pub fn kept_terms(&self, key: &Key, number: u32) -> Option<KeptTerms> {
        let (reader, _) = self.saved.as_ref()?;
        let record = reader.get(key)?;
        if record::numbered(&record)? != number {
            return None;
        }
        let mut terms = saved::restore_terms(&record, &self.lexicon)?;
        terms.saved = self.saving.is_some().then_some((*key, record));
        Some(KeptTerms(terms))
    }

    /// Adds page `number` from `kept_terms`; its document is in the document file the caller
    /// took whole.
    pub fn add_kept_terms(&self, number: u32, info: PageInfo, kept: KeptTerms) {
        self.queue_terms(number, info, kept.0);
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
    pub fn finish(self) -> (Index, Vec<DocFile>) {
        let mut index = std::mem::take(&mut *self.index.lock().unwrap_or_else(PoisonError::into_inner));
        let ready = self.queue.lock().unwrap_or_else(PoisonError::into_inner).take_ready();
        self.join(&mut index, ready);
        if let Some(saving) = self.saving {
            // Without its footer the file is never read: a build goes on without it.
            let _ = saving.into_inner().unwrap_or_else(PoisonError::into_inner).finish();
        }
        let docs = self.docs.into_inner().unwrap_or_else(PoisonError::into_inner);
        let last = docs.into_iter().map(|(file, group)| doc_file(file, group)).collect();
        index.words = self.lexicon.into_words();
        (index, last)
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
