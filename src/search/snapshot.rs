//! The index of a build kept beside its output, so that the next build into that folder
//! patches it (takes out the pages whose analysis changed, puts their new analysis in)
//! instead of reading every page's analysis back and putting the index together again.
//!
//! Besides the lists, it keeps per page the key its analysis is kept under (`saved::key`),
//! which tells the next build whether the page changed, and the numbers of its folded words,
//! which tell which lists hold it and which words no page holds any more. A patched index is
//! the index the pages would give anew: the same lists and the same words (a word no page
//! holds is forgotten, its stem's text with it), so the files written from it are the same
//! bytes.
//!
//! The file: `MAGIC`, a stamp of the planboek that wrote it, the pages, the words, the stems,
//! the lists, and a digest of all before it. A file with another stamp, a wrong digest or a
//! number out of its bounds is not read.

use super::analyze::PageTerms;
use super::code::Postings;
use super::fxhash::FxHashMap;
use super::lexicon::Words;
use super::lists::{encode_words, Index, PageInfo, Patchable};
use super::next::{push, read, Next};
use super::record::Key;
use rayon::prelude::*;
use std::io::{self, Read, Write};

const MAGIC: &[u8; 8] = b"PBINDX01";
/// A snapshot larger than this is not read.
const MAX_SNAPSHOT: u64 = 1 << 30;

/// A page whose analysis differs from the snapshot's: its number, key and new analysis
/// (with its words' numbers).
pub struct Changed {
    pub number: u32,
    pub key: Key,
    pub terms: PageTerms,
}

/// Puts the `changed` pages' analyses in place of the ones `index` has for them, and forgets
/// the words no page holds any more. The lists touched are those of the old and the new
/// stems of the changed pages; each is read and written once.
pub fn patch(index: &mut Index, mut changed: Vec<Changed>) {
    let Some(patchable) = index.patchable.as_mut() else { return };
    changed.sort_unstable_by_key(|c| c.number);
    changed.dedup_by_key(|c| c.number);
    changed.retain(|c| (c.number as usize) < patchable.keys.len());
    let numbers: Vec<u32> = changed.iter().map(|c| c.number).collect();
    let dropped = |p: u32| numbers.binary_search(&p).is_ok();
    let mut added: FxHashMap<u32, Vec<(u32, u32)>> = FxHashMap::default();
    let mut runs: FxHashMap<u32, Vec<(u32, &[u64])>> = FxHashMap::default();
    let mut touched: Vec<u32> = Vec::new();
    for c in &changed {
        let old = patchable.words_of(c.number);
        let stems = old.iter().filter_map(|&w| index.words.word_stems.get(w as usize));
        touched.extend(stems.filter(|&&s| (s as usize) < index.words.stems.len()));
        for &(stem, value) in &c.terms.terms {
            added.entry(stem).or_default().push((c.number, value));
            touched.push(stem);
        }
        for run in c.terms.pairs.chunk_by(|a, b| a >> 32 == b >> 32) {
            runs.entry((run[0] >> 32) as u32).or_default().push((c.number, run));
        }
    }
    touched.sort_unstable();
    touched.dedup();
    if let Some(&most) = touched.last() {
        let len = most as usize + 1;
        if index.stems.len() < len {
            index.stems.resize_with(len, Postings::default);
        }
        if index.next.len() < len {
            index.next.resize_with(len, Next::default);
        }
    }
    // The lists of common stems are long: they are patched side by side.
    let (stems, next) = (&index.stems, &index.next);
    let patched: Vec<(Postings, Next)> = touched
        .par_iter()
        .map(|&stem| {
            let at = stem as usize;
            let postings = stems[at].patched(dropped, added.get(&stem).map_or(&[], Vec::as_slice));
            (postings, next[at].patched(dropped, runs.get(&stem).map_or(&[], Vec::as_slice)))
        })
        .collect();
    for (&stem, (postings, next)) in touched.iter().zip(patched) {
        index.stems[stem as usize] = postings;
        index.next[stem as usize] = next;
    }
    for c in changed {
        let at = c.number as usize;
        patchable.keys[at] = c.key;
        patchable.words[at] = encode_words(&c.terms.words);
        if let Some(length) = index.lengths.get_mut(at) {
            *length = c.terms.length;
        }
    }
    forget_unused_words(index);
}

/// Forgets the words no page holds (and stems no word has). Each forgotten word leaves its
/// number unused: when more than a quarter are, the index is no longer kept for patching,
/// so that the next build numbers its words anew.
pub fn forget_unused_words(index: &mut Index) {
    let Some(patchable) = &index.patchable else { return };
    let mut used = vec![false; index.words.word_stems.len()];
    for page in 0..patchable.words.len() as u32 {
        for w in patchable.words_of(page) {
            if let Some(u) = used.get_mut(w as usize) {
                *u = true;
            }
        }
    }
    index.words.retain(|id| used.get(id as usize).copied().unwrap_or(false));
    let unused = index.words.word_stems.len() - index.words.words.len();
    if unused > 1000 + index.words.words.len() / 4 {
        index.patchable = None;
    }
}

/// Writes the snapshot of `index` to `to`, a piece at a time (it is as large as the index);
/// false, with nothing written, when the index is not kept for patching (`Index::patchable`).
pub fn write(index: &Index, to: &mut dyn Write) -> io::Result<bool> {
    let (Some(patchable), Some(stamp)) = (index.patchable.as_ref(), crate::util::exe::digest()) else {
        return Ok(false);
    };
    let n = index.pages.len();
    if patchable.keys.len() != n || patchable.words.len() != n || index.lengths.len() != n {
        return Ok(false);
    }
    let mut out = Sealed { buf: Vec::with_capacity(2 * SPILL), hasher: blake3::Hasher::new(), to };
    out.buf.extend_from_slice(MAGIC);
    out.buf.extend_from_slice(&stamp);
    push(&mut out.buf, n as u32);
    for (i, info) in index.pages.iter().enumerate() {
        out.buf.extend_from_slice(&patchable.keys[i]);
        push(&mut out.buf, info.plan);
        out.buf.push(info.status);
        push(&mut out.buf, index.lengths[i]);
        push_bytes(&mut out.buf, &patchable.words[i]);
        out.spill()?;
    }
    let words = &index.words;
    let mut listed: Vec<(u32, &str)> = words.words.iter().map(|(w, &id)| (id, w.as_str())).collect();
    listed.sort_unstable();
    push(&mut out.buf, words.word_stems.len() as u32);
    push(&mut out.buf, listed.len() as u32);
    for (id, word) in listed {
        push(&mut out.buf, id);
        push(&mut out.buf, words.word_stems[id as usize]);
        push_bytes(&mut out.buf, word.as_bytes());
        out.spill()?;
    }
    push(&mut out.buf, words.stems.len() as u32);
    for stem in &words.stems {
        push_bytes(&mut out.buf, stem.as_bytes());
        out.spill()?;
    }
    push(&mut out.buf, index.stems.len() as u32);
    for postings in &index.stems {
        let (code, last, len) = postings.parts();
        push(&mut out.buf, len);
        push(&mut out.buf, last.map_or(0, |l| l + 1));
        push_bytes(&mut out.buf, code);
        out.spill()?;
    }
    push(&mut out.buf, index.next.len() as u32);
    for next in &index.next {
        let (bytes, last) = next.parts();
        push(&mut out.buf, last.map_or(0, |l| l + 1));
        push_bytes(&mut out.buf, bytes);
        out.spill()?;
    }
    out.finish()?;
    Ok(true)
}

/// Bytes are handed on in pieces of about this size.
const SPILL: usize = 1 << 16;

/// A snapshot being written: its bytes hashed on their way out, the digest last.
struct Sealed<'w> {
    buf: Vec<u8>,
    hasher: blake3::Hasher,
    to: &'w mut dyn Write,
}

impl Sealed<'_> {
    /// Hands the bytes gathered on once there are enough of them.
    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() < SPILL {
            return Ok(());
        }
        self.hasher.update(&self.buf);
        self.to.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        self.hasher.update(&self.buf);
        self.buf.extend_from_slice(self.hasher.finalize().as_bytes());
        self.to.write_all(&self.buf)?;
        self.to.flush()
    }
}

fn push_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    push(out, bytes.len() as u32);
    out.extend_from_slice(bytes);
}

/// The index of the snapshot in `file` (`decode`), unless the file is larger than a snapshot
/// may be.
pub fn read_file(file: std::fs::File, pages: usize) -> Option<Index> {
    let size = file.metadata().ok().filter(|m| m.is_file())?.len();
    if size > MAX_SNAPSHOT {
        return None;
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_SNAPSHOT).read_to_end(&mut bytes).ok()?;
    decode(&bytes, pages)
}

/// The index of a snapshot written by this planboek for `pages` pages (its plans left
/// empty); None when it is not whole and consistent.
pub fn decode(bytes: &[u8], pages: usize) -> Option<Index> {
    let body = bytes.len().checked_sub(32).map(|end| &bytes[..end])?;
    if blake3::hash(body).as_bytes()[..] != bytes[body.len()..] {
        return None;
    }
    let mut r = Cursor { bytes: body, at: 0 };
    if r.take(8)? != MAGIC || r.take(32)? != crate::util::exe::digest()? || r.count()? != pages {
        return None;
    }
    let mut index = Index::default();
    let mut patchable = Patchable::default();
    for _ in 0..pages {
        patchable.keys.push(r.take(32)?.try_into().ok()?);
        let plan = r.number()?;
        let status = *r.take(1)?.first()?;
        index.pages.push(PageInfo { plan, status });
        index.lengths.push(r.number()?);
        patchable.words.push(r.bytes()?.to_vec());
    }
    let word_space = r.count()?;
    let (listed, mut words, mut word_stems) = (r.count()?, FxHashMap::default(), vec![u32::MAX; word_space]);
    let mut last = None::<u32>;
    for _ in 0..listed {
        let (id, stem) = (r.number()?, r.number()?);
        // Written in the order of their numbers, each once.
        if last.is_some_and(|l| id <= l) {
            return None;
        }
        last = Some(id);
        let word = std::str::from_utf8(r.bytes()?).ok()?.to_string();
        *word_stems.get_mut(id as usize)? = stem;
        words.insert(word, id);
    }
    let stems = (0..r.count()?).map(|_| Some(std::str::from_utf8(r.bytes()?).ok()?.to_string()));
    let stems: Vec<String> = stems.collect::<Option<_>>()?;
    // Every word listed has a stem of the list (a number past it would size a table by it).
    if words.values().any(|&id| word_stems[id as usize] as usize >= stems.len()) || words.len() != listed {
        return None;
    }
    for _ in 0..r.count()? {
        let (len, last) = (r.number()?, r.number()?.checked_sub(1));
        index.stems.push(Postings::from_parts(r.bytes()?.to_vec(), last, len));
    }
    for _ in 0..r.count()? {
        let last = r.number()?.checked_sub(1);
        index.next.push(Next::from_parts(r.bytes()?.to_vec(), last));
    }
    if r.at != body.len() || index.stems.len() > stems.len() || index.next.len() > stems.len() {
        return None;
    }
    let listed = |w: u32| word_stems.get(w as usize).is_some_and(|&s| s != u32::MAX);
    let ok = (0..pages as u32).all(|p| patchable.words_of(p).into_iter().all(listed));
    index.words = Words::from_parts(words, word_stems, stems);
    index.patchable = ok.then_some(patchable);
    index.patchable.is_some().then_some(index)
}

/// Reads a snapshot's numbers, each checked against what is left of it.
struct Cursor<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Cursor<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }

    fn number(&mut self) -> Option<u32> {
        read(self.bytes, &mut self.at)
    }

    /// A count of things each at least a byte long: never more than the bytes left.
    fn count(&mut self) -> Option<usize> {
        let n = self.number()? as usize;
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    fn bytes(&mut self) -> Option<&'b [u8]> {
        let n = self.count()?;
        self.take(n)
    }
}

#[cfg(test)]
mod tests;
