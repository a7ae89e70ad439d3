//! The index of a build, put together page by page in reading order while the pages are
//! rendered in parallel: pages that finish early wait in a small queue until those before
//! them are in, so each term's pages stay in order and are kept compactly (`code.rs`).

use super::analyze::{analyze, Lexicon, PageSource, PageTerms, Words};
use super::code::Postings;
use super::next::Next;
use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

/// A document file holds pages until it reaches this size (bytes): small enough that ten
/// results load little, large enough to keep the number of files down.
pub const DOC_FILE_BYTES: usize = 12_000;

/// What the search filters see of a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// Position of the page's plan in the site.
    pub plan: u32,
    /// 0 none, 1 concept, 2 ter-review, 3 vastgesteld.
    pub status: u8,
}

/// A finished file of documents: `_search/d/<number>.js`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFile {
    pub number: u32,
    pub text: String,
}

impl DocFile {
    pub fn path(&self) -> String {
        format!("{}/d/{}.js", super::DIR, self.number)
    }
}

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
    /// The first page of each document file.
    pub doc_starts: Vec<u32>,
    /// The first page of each plan, and its title.
    pub plans: Vec<(u32, String)>,
    /// Set by `write`: the average body length the impacts were weighed with, and the first
    /// key of each word and term file, which a page rebuild keeps.
    pub average: f64,
    pub word_keys: Vec<String>,
    pub term_keys: Vec<String>,
}

impl Index {
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
        for (first, followers) in group_pairs(&terms.pairs) {
            if self.next.len() <= first as usize {
                self.next.resize_with(first as usize + 1, Next::default);
            }
            self.next[first as usize].push(page, &followers);
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
    merge: Mutex<Merge>,
}

#[derive(Default)]
struct Merge {
    /// Pages that arrived before one that precedes them.
    waiting: BTreeMap<u32, (PageInfo, PageTerms)>,
    index: Index,
    /// The document file being filled.
    docs: String,
}

impl Collector {
    /// An empty index for a site whose plans start at these pages, with these titles.
    pub fn new(plans: Vec<(u32, String)>) -> Collector {
        let index = Index { plans, ..Index::default() };
        Collector { lexicon: Lexicon::default(), merge: Mutex::new(Merge { index, ..Merge::default() }) }
    }

    /// Analyses page `number` (on the calling thread) and adds it; returns the document
    /// files it completed, for the caller to write.
    pub fn add(&self, number: u32, info: PageInfo, page: &PageSource) -> Vec<DocFile> {
        let terms = analyze(number, page, &self.lexicon);
        let mut merge = self.merge.lock().unwrap_or_else(PoisonError::into_inner);
        merge.waiting.insert(number, (info, terms));
        let mut done = Vec::new();
        while merge.waiting.first_key_value().is_some_and(|(&k, _)| k as usize == merge.index.pages.len()) {
            let Some((_, (info, terms))) = merge.waiting.pop_first() else { break };
            merge.index.add(info, &terms);
            done.extend(merge.add_doc(&terms.doc));
        }
        done
    }

    /// The index and the last document file.
    pub fn finish(self) -> (Index, Vec<DocFile>) {
        let mut merge = self.merge.into_inner().unwrap_or_else(PoisonError::into_inner);
        let last = merge.close_docs();
        let mut index = std::mem::take(&mut merge.index);
        index.words = self.lexicon.into_words();
        (index, last.into_iter().collect())
    }
}

impl Merge {
    /// Puts a page's document into the current file; returns the file when it is full.
    fn add_doc(&mut self, doc: &str) -> Option<DocFile> {
        if self.docs.is_empty() {
            let number = self.index.doc_starts.len();
            self.index.doc_starts.push(self.index.pages.len() as u32 - 1);
            self.docs = format!("planboekSearch.docs({number},[");
        } else {
            self.docs.push(',');
        }
        self.docs.push_str(doc);
        (self.docs.len() >= DOC_FILE_BYTES).then(|| self.close_docs()).flatten()
    }

    fn close_docs(&mut self) -> Option<DocFile> {
        if self.docs.is_empty() {
            return None;
        }
        let mut text = std::mem::take(&mut self.docs);
        text.push_str("]);\n");
        Some(DocFile { number: self.index.doc_starts.len() as u32 - 1, text })
    }
}
