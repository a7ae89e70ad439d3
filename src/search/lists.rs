//! The index in memory: per stem the pages that hold it, per first stem of a word pair the
//! pages with the stems that follow it, and per page its filter values and body length; put
//! together page by page (`index::Collector`), or patched (`snapshot`).

use super::analyze::PageTerms;
use super::code::Postings;
use super::lexicon::Words;
use super::next::{push, read, Next};
use super::record::Key;

/// What the search filters see of a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// Position of the page's plan in the site.
    pub plan: u32,
    /// 0 none, 1 concept, 2 ter-review, 3 vastgesteld.
    pub status: u8,
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
    /// The first page of each plan, and its title.
    pub plans: Vec<(u32, String)>,
    /// Where `write` left the files (`Index::set_layout`): the average body length the impacts
    /// were weighed with, and the first key of each word and term file, which a page rebuild
    /// keeps.
    pub average: f64,
    pub word_keys: Vec<String>,
    pub term_keys: Vec<String>,
    /// For the preview server only (`Collector::new`'s `forward`): each page's stems and the
    /// first stems of its word pairs, so that a saved page's old entries are found without
    /// decoding the whole index.
    pub forward: Option<Forward>,
    /// Per page, what the next build needs to patch this index (`snapshot`), while every
    /// page has it.
    pub patchable: Option<Patchable>,
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

impl Index {
    /// Adds the next page (its number is `self.pages.len()`).
    pub(super) fn add(&mut self, info: PageInfo, terms: &PageTerms) {
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

/// Per page in reading order, what patching the index needs.
#[derive(Debug, Default)]
pub struct Patchable {
    /// The key each page's analysis is kept under.
    pub keys: Vec<Key>,
    /// The numbers of each page's folded words, increasing, as differences (`next::push`).
    pub(super) words: Vec<Vec<u8>>,
}

impl Patchable {
    /// Notes the next page.
    pub fn push(&mut self, key: Key, words: &[u32]) {
        self.keys.push(key);
        self.words.push(encode_words(words));
    }

    /// The numbers of page `page`'s folded words, increasing.
    pub(super) fn words_of(&self, page: u32) -> Vec<u32> {
        let (bytes, mut at, mut out) = (self.words.get(page as usize).map_or(&[][..], Vec::as_slice), 0, Vec::new());
        let mut last = None::<u32>;
        while let Some(d) = read(bytes, &mut at) {
            let Some(w) = last.map_or(Some(d), |l| l.checked_add(d)?.checked_add(1)) else { break };
            out.push(w);
            last = Some(w);
        }
        out
    }
}

/// Word numbers (increasing, each once) as `Patchable` keeps them.
pub(super) fn encode_words(words: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(words.len() * 2);
    let mut last = None::<u32>;
    for &w in words {
        push(&mut out, last.map_or(w, |l| w - l - 1));
        last = Some(w);
    }
    out
}
