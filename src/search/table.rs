//! A table that numbers the distinct pieces of text a thread meets (`analyze`): every
//! occurrence of every piece of every page is looked up in it, so it compares the short keys
//! of most words as two machine words instead of calling a string compare.

use std::ops::Range;

/// Numbers pieces of text in the order they were first seen.
#[derive(Default)]
pub struct PieceTable {
    /// Open addressing by the hash's top bits: a power of two long, at most half full.
    slots: Vec<Slot>,
    /// log2 of `slots.len()`.
    bits: u32,
    /// By number: the hash and where the key's text lies in `text`.
    keys: Vec<(u64, u32, u32)>,
    /// The text of every key, one after another.
    text: String,
}

/// A slot: a key's first sixteen bytes (zero-padded), its length and its number + 1 (0 for
/// an empty slot), so that a short key is found without looking further.
#[derive(Clone, Copy, Default)]
struct Slot {
    head: (u64, u64),
    len: u32,
    number: u32,
}

/// Keys up to this long are compared by their head alone.
const SHORT: usize = 16;

impl PieceTable {
    /// The number of the piece `text[range]`, and whether it is new.
    // Always: it runs for every piece of every page (`analyze`), and with a second caller
    // (`stems_of`) the compiler's own choice was a call each time.
    #[inline(always)]
    pub fn number(&mut self, text: &str, range: Range<usize>) -> (u32, bool) {
        let head = head_of(text.as_bytes(), range.clone());
        self.number_by_head(text, range, head)
    }

    /// `number` of a piece of at most sixteen bytes whose head (`head_of`) the caller has
    /// read already (`Pieces::next_short_word`).
    #[inline(always)]
    pub fn number_short(&mut self, text: &str, range: Range<usize>, head: (u64, u64)) -> (u32, bool) {
        debug_assert!(range.len() <= SHORT && head == head_of(text.as_bytes(), range.clone()));
        self.number_by_head(text, range, head)
    }

    #[inline(always)]
    fn number_by_head(&mut self, text: &str, range: Range<usize>, head: (u64, u64)) -> (u32, bool) {
        let bytes = text.as_bytes();
        let len = range.len();
        let hash = hash(&bytes[range.clone()], head);
        if self.slots.is_empty() {
            return self.insert(text, range, head, hash);
        }
        let mask = self.slots.len() - 1;
        let mut at = (hash >> (64 - self.bits)) as usize;
        loop {
            let slot = self.slots[at];
            if slot.number == 0 {
                return self.insert(text, range, head, hash);
            }
            if slot.head == head
                && slot.len as usize == len
                && (len <= SHORT || self.key(slot.number - 1) == &bytes[range.clone()])
            {
                return (slot.number - 1, false);
            }
            at = (at + 1) & mask;
        }
    }

    /// Numbers a piece not in the table (rare: each piece once per thread).
    #[cold]
    fn insert(&mut self, text: &str, range: Range<usize>, head: (u64, u64), hash: u64) -> (u32, bool) {
        if self.slots.is_empty() {
            self.bits = 10;
            self.slots = vec![Slot::default(); 1 << self.bits];
        }
        let mask = self.slots.len() - 1;
        let mut at = (hash >> (64 - self.bits)) as usize;
        while self.slots[at].number != 0 {
            at = (at + 1) & mask;
        }
        let number = self.keys.len() as u32;
        self.keys.push((hash, self.text.len() as u32, range.len() as u32));
        self.text.push_str(&text[range.clone()]);
        self.slots[at] = Slot { head, len: range.len() as u32, number: number + 1 };
        if self.keys.len() * 2 > self.slots.len() {
            self.grow();
        }
        (number, true)
    }

    fn key(&self, number: u32) -> &[u8] {
        let (_, at, len) = self.keys[number as usize];
        &self.text.as_bytes()[at as usize..][..len as usize]
    }

    /// The text of piece `number`.
    pub fn text(&self, number: u32) -> &str {
        let (_, at, len) = self.keys[number as usize];
        &self.text[at as usize..][..len as usize]
    }

    fn grow(&mut self) {
        self.bits += 1;
        let mut slots = vec![Slot::default(); 1 << self.bits];
        let mask = slots.len() - 1;
        for old in self.slots.iter().filter(|s| s.number != 0) {
            let mut at = (self.keys[old.number as usize - 1].0 >> (64 - self.bits)) as usize;
            while slots[at].number != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = *old;
        }
        self.slots = slots;
    }
}

/// The first sixteen bytes of the key `bytes[range]` as two little-endian words,
/// zero-padded: the second is zero for a key of up to eight bytes.
#[inline]
pub fn head_of(bytes: &[u8], range: Range<usize>) -> (u64, u64) {
    let len = range.len();
    (word_at(bytes, range.start, len), if len > 8 { word_at(bytes, range.start + 8, len - 8) } else { 0 })
}

/// The `min(len, 8)` bytes of `bytes` from `at` as a little-endian word, zero-padded.
#[inline]
fn word_at(bytes: &[u8], at: usize, len: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(eight) => {
            let word = u64::from_le_bytes(eight.try_into().unwrap_or_default());
            // A mask of the key's bytes; below eight bytes the shift stays under 64.
            if len >= 8 {
                word
            } else {
                word & ((1u64 << (8 * len)) - 1)
            }
        }
        None => {
            let n = len.min(8);
            let mut buf = [0u8; 8];
            buf[..n].copy_from_slice(&bytes[at..at + n]);
            u64::from_le_bytes(buf)
        }
    }
}

/// A hash of a key from its head, its length and (for long keys) the rest of its bytes;
/// the slot is picked by the top bits, which one multiply mixes well.
fn hash(bytes: &[u8], head: (u64, u64)) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = head.0 ^ head.1.rotate_left(29) ^ (bytes.len() as u64).rotate_right(8);
    if bytes.len() > SHORT {
        for c in bytes[SHORT..].chunks(8) {
            h = h.wrapping_mul(K).rotate_left(23) ^ word_at(c, 0, c.len());
        }
    }
    h.wrapping_mul(K)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_numbered_once_in_the_order_first_seen() {
        let mut table = PieceTable::default();
        let long = "veiligheidshuisoverleggen";
        let longer = "veiligheidshuisoverleggenx";
        let keys = ["a", "", "ab", "a\0", "abcdefgh", "abcdefghi", "abcdefghijklmnop", long, longer, "Financiën"];
        let mut number = |key: &str| {
            // The key inside a longer text, and at its very end.
            let text = format!("{key}{key}");
            let first = table.number(&text, 0..key.len());
            assert_eq!(table.number(&text, key.len()..text.len()), (first.0, false), "{key:?}");
            first
        };
        for (n, key) in keys.iter().enumerate() {
            assert_eq!(number(key), (n as u32, true), "{key:?}");
        }
        for (n, key) in keys.iter().enumerate() {
            assert_eq!(number(key), (n as u32, false), "{key:?}");
        }
        for n in 0..5000 {
            assert_eq!(number(&format!("woord{n}")), (keys.len() as u32 + n, true));
        }
        assert_eq!(number(long), (7, false), "found again after the table grew");
        assert_eq!(number("woord4999"), (keys.len() as u32 + 4999, false));
    }
}
