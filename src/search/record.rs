//! The record of one analysed page as `saved` keeps it, as plain data: written by `analyze`
//! (`encode`), read by `saved::restore` (`decode`). Its words are kept as written, so that
//! any build's lexicon can stem them again; its terms and word pairs name them by number.
//! Its document is not in it: the output that holds the record holds the document in its
//! document files, and the record names the page's number there (four bytes first, which
//! `renumber` changes when the record is kept again by a build that numbers the page anew).

use super::next::{push, read};

/// A digest of what the analysis of one page reads (`saved::key`).
pub type Key = [u8; 32];

/// A page with more distinct words or terms than this is not kept: its pairs name terms in
/// sixteen bits.
const MAX_TERMS: usize = u16::MAX as usize;

/// An analysed page in the build's own numbers.
pub struct Analysed<'a> {
    /// The page's number in the build (and so in its document files).
    pub number: u32,
    /// Words of the body.
    pub length: u32,
    /// (stem, value), by stem.
    pub terms: &'a [(u32, u32)],
    /// `first << 32 | second` stems.
    pub pairs: &'a [u64],
}

/// The record of `page`: `words` are its distinct words as written (in the order they first
/// occur) with their stems, and `term_of` gives a stem's place in `page.terms`. None when a
/// term has no word (a record `decode`s back only with one each) or the page is too large.
///
/// The terms are numbered by their first word, not by stem: stems are numbered as the
/// threads meet them, so that order differs from build to build, and the record must not.
pub fn encode(words: &[(&str, u32)], page: &Analysed, term_of: impl Fn(u32) -> Option<usize>) -> Option<Vec<u8>> {
    let count = page.terms.len();
    if words.len() > MAX_TERMS || count > MAX_TERMS {
        return None;
    }
    let mut out = Vec::with_capacity(words.len() * 10 + page.pairs.len() * 4 + 16);
    out.extend_from_slice(&page.number.to_le_bytes());
    push(&mut out, page.length);
    push(&mut out, words.len() as u32);
    // By place in `page.terms`: the term's number in the record.
    let mut numbers = vec![u32::MAX; count];
    let mut next = 0;
    for &(word, stem) in words {
        let number = numbers.get_mut(term_of(stem)?)?;
        if *number == u32::MAX {
            *number = next;
            next += 1;
        }
        push_str(&mut out, word);
        push(&mut out, *number);
    }
    if next as usize != count {
        return None;
    }
    let mut values = vec![0; count];
    for (&(_, value), &number) in page.terms.iter().zip(&numbers) {
        values[number as usize] = value;
    }
    push(&mut out, count as u32);
    for value in values {
        push(&mut out, value);
    }
    let mut pairs = Vec::with_capacity(page.pairs.len());
    for &pair in page.pairs {
        let first = numbers[term_of((pair >> 32) as u32)?];
        pairs.push(first << 16 | numbers[term_of(pair as u32)?]);
    }
    pairs.sort_unstable();
    // The pairs are most of a record: two fixed-width numbers each read fastest.
    push(&mut out, pairs.len() as u32);
    for pair in pairs {
        out.extend_from_slice(&((pair >> 16) as u16).to_le_bytes());
        out.extend_from_slice(&(pair as u16).to_le_bytes());
    }
    Some(out)
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    push(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// The number `record` gives its page in the output that holds it (and its document): its
/// first four bytes, read before the rest, which `saved::restore` checks.
pub fn numbered(record: &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(record.get(..4)?.try_into().ok()?))
}

/// `record` as kept by a build that numbers its page `number`.
pub fn renumber(record: &mut [u8], number: u32) {
    if let Some(first) = record.get_mut(..4) {
        first.copy_from_slice(&number.to_le_bytes());
    }
}

/// A record read back, its numbers checked against its own lengths only.
pub struct Decoded<'r> {
    pub length: u32,
    /// Each word as written, with its term's number (below `values.len()`).
    pub words: Vec<(&'r str, usize)>,
    /// By term number: its value.
    pub values: Vec<u32>,
    /// The pairs, four bytes each: two term numbers, little-endian.
    pub pairs: &'r [u8],
}

/// `record` read back; None when it is cut short, too long, or names a term it lacks.
pub fn decode(record: &[u8]) -> Option<Decoded<'_>> {
    numbered(record)?;
    let mut at = 4;
    let length = read(record, &mut at)?;
    let count = read(record, &mut at)? as usize;
    let mut words = Vec::with_capacity(count.min(MAX_TERMS));
    for _ in 0..count {
        let word = read_str(record, &mut at)?;
        words.push((word, read(record, &mut at)? as usize));
    }
    let terms = read(record, &mut at)? as usize;
    if terms > MAX_TERMS || words.iter().any(|&(_, term)| term >= terms) {
        return None;
    }
    let values = (0..terms).map(|_| read(record, &mut at)).collect::<Option<Vec<u32>>>()?;
    let pairs_count = read(record, &mut at)? as usize;
    let pairs = record.get(at..)?;
    (pairs.len() == pairs_count.checked_mul(4)?).then_some(Decoded { length, words, values, pairs })
}

fn read_str<'r>(bytes: &'r [u8], at: &mut usize) -> Option<&'r str> {
    let len = read(bytes, at)? as usize;
    let s = bytes.get(*at..at.checked_add(len)?)?;
    *at += len;
    std::str::from_utf8(s).ok()
}
