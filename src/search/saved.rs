//! Each page's analysis kept beside the output, so that the next build into that folder (the
//! next version, the preview's next rebuild) analyses only the pages whose text changed.
//!
//! A page's record is found by a digest of everything `analyze` reads of it (`key`), and
//! holds its words as written rather than the build's stem numbers, so it is read back into
//! any build's lexicon (`restore`): the words are stemmed again (each a lookup in the thread's
//! table), and the terms and word pairs refer to them by position. The page's document is
//! read from the previous output's document file, by the number the record gave the page
//! there. A record gives exactly the terms, pairs, length and document the analysis would;
//! one that does not read back whole and consistent, or whose document is not found, is
//! analysed anew.
//!
//! The file: a header (`MAGIC`, then a stamp of the planboek that wrote it), the records one
//! after another in reading order, then their index sorted by key (key, offset, length) and
//! a footer (the index's offset and length, `END`). A file with another stamp, or whose
//! footer does not describe it, is not read.

use super::analyze::{stems_of, PageSource, PageTerms};
use super::lexicon::Lexicon;
use super::record::{decode, Decoded, Key};
use super::sums::sorted_pairs;
use crate::util::fs::read_at;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

const MAGIC: &[u8; 8] = b"PBSRCH02";
const END: &[u8; 8] = b"PBSEND01";
const HEADER: u64 = 8 + 32;
/// Key, offset, length.
const ENTRY: usize = 32 + 8 + 4;
const FOOTER: u64 = 8 + 8 + 8;
/// An index larger than this (about 1.5 million pages) is not read.
const MAX_INDEX: u64 = 64 << 20;
/// A record larger than this is not read.
const MAX_RECORD: u32 = 16 << 20;

/// The digest of `page` as `analyze` reads it, each field with its length so that no two
/// pages share one.
pub fn key(page: &PageSource) -> Key {
    let mut h = blake3::Hasher::new();
    let mut field = |s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field(page.url);
    field(page.title);
    field(&page.path.len().to_string());
    for p in &page.path {
        field(p);
    }
    field(page.body_html);
    field(&page.details.len().to_string());
    for d in &page.details {
        field(&d.label);
        field(d.anchor.as_deref().unwrap_or("\0none"));
        field(&d.lines.len().to_string());
        for line in &d.lines {
            field(line);
        }
    }
    *h.finalize().as_bytes()
}

/// A record read back as page `number`'s terms, its words stemmed in `lexicon` (through the
/// calling thread's table), with `previous`, its document as the output holding the record
/// numbered it; None when either is not whole and consistent.
pub fn restore(record: &[u8], number: u32, previous: &str, lexicon: &Lexicon) -> Option<PageTerms> {
    let was = super::record::numbered(record)?;
    // The document must be that page's: `[number,…`.
    let tail = previous.strip_prefix('[')?.strip_prefix(was.to_string().as_str())?;
    if !tail.starts_with(',') {
        return None;
    }
    let terms = restore_terms(record, lexicon)?;
    Some(PageTerms { doc: format!("[{number}{tail}"), ..terms })
}

/// A record read back as its page's terms, without its document (left empty): for a page
/// whose document file is taken whole from the output that holds the record.
pub fn restore_terms(record: &[u8], lexicon: &Lexicon) -> Option<PageTerms> {
    let Decoded { length, words, values, pairs: bytes } = decode(record)?;
    let (stems, word_numbers) = stems_of(words.iter().map(|w| w.0), lexicon)?;
    let mut term_stems = vec![u32::MAX; values.len()];
    for (&(_, term), &stem) in words.iter().zip(&stems) {
        let slot = term_stems.get_mut(term)?;
        // Two words of one term must still share a stem.
        if *slot != u32::MAX && *slot != stem {
            return None;
        }
        *slot = stem;
    }
    let mut terms: Vec<(u32, u32)> = term_stems.iter().copied().zip(values).collect();
    terms.sort_unstable();
    if term_stems.contains(&u32::MAX) || !terms.windows(2).all(|w| w[0].0 < w[1].0) {
        return None;
    }
    let pairs_count = bytes.len() / 4;
    let mut whole = true;
    let pairs = sorted_pairs(
        |pairs| {
            pairs.reserve(pairs_count);
            for pair in bytes.chunks_exact(4) {
                let first = term_stems.get(usize::from(u16::from_le_bytes([pair[0], pair[1]])));
                let second = term_stems.get(usize::from(u16::from_le_bytes([pair[2], pair[3]])));
                match first.zip(second) {
                    Some((&a, &b)) => pairs.push((a, b)),
                    None => whole = false,
                }
            }
        },
        &terms,
    );
    // Distinct word numbers give distinct pairs: fewer means the record repeated one.
    if !whole || pairs.len() != pairs_count {
        return None;
    }
    Some(PageTerms { terms, pairs, length, doc: String::new(), saved: None, words: word_numbers })
}

/// The stamp of the planboek that reads and writes the file: a record is what this very
/// binary's analysis gives.
fn stamp() -> Option<[u8; 32]> {
    crate::util::exe::digest()
}

/// The records of a previous build, read one at a time.
pub struct SavedReader {
    file: File,
    /// (key, offset, length), sorted by key.
    index: Vec<(Key, u64, u32)>,
}

impl SavedReader {
    /// The records in `file`; None when it is not a whole file of this planboek's.
    pub fn open(file: File) -> Option<SavedReader> {
        let size = file.metadata().ok().filter(|m| m.is_file())?.len();
        let mut header = [0u8; HEADER as usize];
        read_at(&file, &mut header, 0)?;
        if &header[..8] != MAGIC || header[8..] != stamp()? || size < HEADER + FOOTER {
            return None;
        }
        let mut footer = [0u8; FOOTER as usize];
        read_at(&file, &mut footer, size - FOOTER)?;
        let at = u64::from_le_bytes(footer[..8].try_into().ok()?);
        let len = u64::from_le_bytes(footer[8..16].try_into().ok()?);
        if &footer[16..] != END || len > MAX_INDEX || len % ENTRY as u64 != 0 || at.checked_add(len)? != size - FOOTER {
            return None;
        }
        let mut bytes = vec![0u8; len as usize];
        read_at(&file, &mut bytes, at)?;
        let mut index = Vec::with_capacity(bytes.len() / ENTRY);
        for e in bytes.chunks_exact(ENTRY) {
            let key: Key = e[..32].try_into().ok()?;
            let offset = u64::from_le_bytes(e[32..40].try_into().ok()?);
            let length = u32::from_le_bytes(e[40..].try_into().ok()?);
            if offset < HEADER || offset.checked_add(u64::from(length))? > at || length > MAX_RECORD {
                return None;
            }
            index.push((key, offset, length));
        }
        index.windows(2).all(|w| w[0].0 < w[1].0).then_some(SavedReader { file, index })
    }

    /// Whether a record is kept under `key`.
    pub fn has(&self, key: &Key) -> bool {
        self.index.binary_search_by(|e| e.0.cmp(key)).is_ok()
    }

    /// The record of the page with `key`, if the file holds one.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let (offset, length) = self.locate(key)?;
        let mut bytes = vec![0u8; length as usize];
        read_at(&self.file, &mut bytes, offset)?;
        Some(bytes)
    }

    /// Where the record kept under `key` lies in the file: (offset, length).
    pub fn locate(&self, key: &Key) -> Option<(u64, u32)> {
        let i = self.index.binary_search_by(|e| e.0.cmp(key)).ok()?;
        let (_, offset, length) = self.index[i];
        Some((offset, length))
    }
}

/// Records written in the order they come, then their index: the file of the next build.
pub struct SavedWriter {
    out: BufWriter<File>,
    at: u64,
    index: Vec<(Key, u64, u32)>,
    /// A write failed: the file is left without its footer, so it is never read.
    failed: bool,
}

impl SavedWriter {
    /// Starts the file in `file` (new and empty); None when it cannot be stamped.
    pub fn new(file: File) -> Option<SavedWriter> {
        let mut out = BufWriter::with_capacity(1 << 16, file);
        out.write_all(MAGIC).ok()?;
        out.write_all(&stamp()?).ok()?;
        Some(SavedWriter { out, at: HEADER, index: Vec::new(), failed: false })
    }

    /// Adds the record of the page with `key`; of two pages with one key (and so one record)
    /// the index keeps the first.
    pub fn append(&mut self, key: Key, record: &[u8]) {
        let Ok(length) = u32::try_from(record.len()) else { return };
        if self.failed || length > MAX_RECORD {
            return;
        }
        if self.out.write_all(record).is_err() {
            self.failed = true;
            return;
        }
        self.index.push((key, self.at, length));
        self.at += u64::from(length);
    }

    /// Adds the records `run` ((key, offset, length) in `reader`'s file, each right after the
    /// one before there) by copying their bytes in one go, which the file system does
    /// without handing them to planboek.
    pub fn append_run(&mut self, reader: &SavedReader, run: &[(Key, u64, u32)]) {
        let (Some(first), Some(last)) = (run.first(), run.last()) else { return };
        let (start, end) = (first.1, last.1 + u64::from(last.2));
        if self.failed || self.copy(&reader.file, start, end - start).is_err() {
            self.failed = true;
            return;
        }
        for &(key, _, length) in run {
            self.index.push((key, self.at, length));
            self.at += u64::from(length);
        }
    }

    fn copy(&mut self, from: &File, start: u64, len: u64) -> io::Result<()> {
        self.out.flush()?;
        let mut from = from;
        from.seek(SeekFrom::Start(start))?;
        if io::copy(&mut from.take(len), self.out.get_mut())? != len {
            return Err(io::Error::other("the previous records ended early"));
        }
        Ok(())
    }

    /// Writes the index and the footer.
    pub fn finish(mut self) -> io::Result<()> {
        if self.failed {
            return Err(io::Error::other("a record could not be written"));
        }
        // Stable, so that of two pages with one key (and one record) the first stays.
        self.index.sort_by_key(|e| e.0);
        self.index.dedup_by(|a, b| a.0 == b.0);
        let len = (self.index.len() * ENTRY) as u64;
        for (key, offset, length) in &self.index {
            self.out.write_all(key)?;
            self.out.write_all(&offset.to_le_bytes())?;
            self.out.write_all(&length.to_le_bytes())?;
        }
        self.out.write_all(&self.at.to_le_bytes())?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(END)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests;
