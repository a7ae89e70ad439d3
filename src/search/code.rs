//! The compact number code of the index files: unsigned integers as little-endian groups of
//! five bits, one character each from a 64-letter alphabet that needs no escaping in JSON;
//! a letter from the upper half says that more groups follow. `search-core.js` decodes it.

/// The 64 letters; the value of a letter is its position.
pub const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Appends `n` in the code.
pub fn push(out: &mut Vec<u8>, mut n: u32) {
    while n >= 32 {
        out.push(ALPHABET[32 + (n & 31) as usize]);
        n >>= 5;
    }
    out.push(ALPHABET[n as usize]);
}

/// `push` onto a String.
pub fn push_str(out: &mut String, n: u32) {
    let mut n = n;
    while n >= 32 {
        out.push(char::from(ALPHABET[32 + (n & 31) as usize]));
        n >>= 5;
    }
    out.push(char::from(ALPHABET[n as usize]));
}

fn value(letter: u8) -> Option<u32> {
    let v = match letter {
        b'0'..=b'9' => letter - b'0',
        b'A'..=b'Z' => letter - b'A' + 10,
        b'a'..=b'z' => letter - b'a' + 36,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// A stem's page (as the difference from the one before) and its impact (1–31) as one
/// number: a page next to the one before costs a single letter.
pub fn pack(delta: u32, impact: u32) -> u32 {
    delta.saturating_mul(32) | (impact & 31)
}

/// The (page, impact) of a stem's packed postings (`pack`).
pub fn unpack(code: &[u8]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut page: Option<u32> = None;
    for n in Reader::new(code) {
        let delta = n >> 5;
        let Some(p) = page.map_or(Some(delta), |last| last.checked_add(delta)?.checked_add(1)) else { break };
        out.push((p, n & 31));
        page = Some(p);
    }
    out
}

/// Reads the numbers of a code string in order; stops at the first malformed one.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(code: &'a [u8]) -> Self {
        Reader { bytes: code, at: 0 }
    }
}

impl Iterator for Reader<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        let mut n: u32 = 0;
        let mut shift = 0;
        loop {
            let v = value(*self.bytes.get(self.at)?)?;
            self.at += 1;
            if v < 32 {
                return Some(n | v.checked_shl(shift)?);
            }
            n |= (v - 32).checked_shl(shift)?;
            shift += 5;
            if shift > 30 {
                return None;
            }
        }
    }
}

/// A list of pages in increasing order, each with `width` numbers, pages as differences
/// from the one before: how the index keeps a term's pages in memory and in its files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postings {
    pub code: Vec<u8>,
    /// The last page added, for the next difference.
    last: Option<u32>,
    pub len: u32,
}

impl Postings {
    /// Adds `page` (greater than any before) and its numbers.
    pub fn push(&mut self, page: u32, values: &[u32]) {
        let delta = match self.last {
            Some(last) => page - last - 1,
            None => page,
        };
        push(&mut self.code, delta);
        for &v in values {
            push(&mut self.code, v);
        }
        self.last = Some(page);
        self.len += 1;
    }

    /// The list with the pages `drop` says out, and the one-number entries `add` (pages
    /// increasing, none of them kept) in their places; read and written in one pass.
    pub fn patched(&self, drop: impl Fn(u32) -> bool, add: &[(u32, u32)]) -> Postings {
        let mut out = Postings::default();
        let (mut numbers, mut page, mut add) = (Reader::new(&self.code), None::<u32>, add.iter().peekable());
        while let (Some(delta), Some(value)) = (numbers.next(), numbers.next()) {
            let Some(p) = page.map_or(Some(delta), |l| l.checked_add(delta)?.checked_add(1)) else { break };
            page = Some(p);
            while let Some(&(q, v)) = add.next_if(|a| a.0 < p) {
                out.push_checked(q, v);
            }
            if !drop(p) {
                out.push_checked(p, value);
            }
        }
        for &(q, v) in add {
            out.push_checked(q, v);
        }
        out
    }

    /// `push` of one number, leaving out a page not after the last (which a damaged list
    /// could give).
    fn push_checked(&mut self, page: u32, value: u32) {
        if self.last.map_or(true, |last| page > last) {
            self.push(page, &[value]);
        }
    }

    /// The list's parts, for a snapshot of the index.
    pub fn parts(&self) -> (&[u8], Option<u32>, u32) {
        (&self.code, self.last, self.len)
    }

    /// A list from a snapshot's parts.
    pub fn from_parts(code: Vec<u8>, last: Option<u32>, len: u32) -> Postings {
        Postings { code, last, len }
    }

    /// Every (page, numbers) with `width` numbers per page.
    pub fn entries(&self, width: usize) -> Vec<(u32, Vec<u32>)> {
        decode(&self.code, width)
    }

    /// A list of `entries` (pages increasing).
    pub fn from_entries(entries: &[(u32, Vec<u32>)]) -> Postings {
        let mut p = Postings::default();
        for (page, values) in entries {
            p.push(*page, values);
        }
        p
    }
}

/// The (page, numbers) of a postings code with `width` numbers per page.
pub fn decode(code: &[u8], width: usize) -> Vec<(u32, Vec<u32>)> {
    let mut numbers = Reader::new(code);
    let mut out = Vec::new();
    let mut page: Option<u32> = None;
    while let Some(delta) = numbers.next() {
        let p = page.map_or(Some(delta), |last| last.checked_add(delta)?.checked_add(1));
        let Some(p) = p else { break };
        let values: Vec<u32> = numbers.by_ref().take(width).collect();
        if values.len() < width {
            break;
        }
        out.push((p, values));
        page = Some(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        let mut code = Vec::new();
        let numbers = [0, 1, 31, 32, 1023, 1024, 65_535, 1 << 20, u32::MAX >> 2];
        for n in numbers {
            push(&mut code, n);
        }
        assert_eq!(Reader::new(&code).collect::<Vec<_>>(), numbers);
        let mut s = String::new();
        push_str(&mut s, 1024);
        assert_eq!(s.as_bytes(), &code[7..10]);
        assert_eq!(&code[..5], b"01VW1");
        assert!(code.iter().all(|b| ALPHABET.contains(b)));
    }

    #[test]
    fn postings_keep_pages_and_values() {
        let entries = vec![(0, vec![5]), (1, vec![31]), (40, vec![32]), (41, vec![0])];
        let p = Postings::from_entries(&entries);
        assert_eq!(p.len, 4);
        assert_eq!(p.entries(1), entries);
        assert_eq!(decode(b"0", 1), vec![], "a cut-off entry is dropped");
        assert_eq!(decode(b"!!", 0), vec![]);
        let mut packed = Vec::new();
        for (delta, impact) in [(3, 31), (0, 1), (0, 12), (40, 7)] {
            push(&mut packed, pack(delta, impact));
        }
        assert_eq!(unpack(&packed), [(3, 31), (4, 1), (5, 12), (46, 7)]);
        assert_eq!(&packed[2..4], b"1C", "a neighbour costs one letter");
    }
}
