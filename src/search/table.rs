//! A table that numbers the distinct pieces of text a thread meets (`analyze`): every
//! occurrence of every piece of every page is looked up in it, so it compares the short keys
//! of most words as two machine words instead of calling a string compare.

/// Numbers pieces of text in the order they were first seen.
#[derive(Default)]
pub struct PieceTable {
    /// Open addressing: 0 for an empty slot, else a key's number + 1; a power of two long.
    slots: Vec<u32>,
    keys: Vec<Key>,
    /// The text of every key, one after another.
    text: String,
}

/// A key: its hash, its first sixteen bytes (zero-padded) and where its text lies.
struct Key {
    hash: u64,
    head: (u64, u64),
    at: u32,
    len: u32,
}

/// Keys up to this long are compared by `Key::head` alone.
const SHORT: usize = 16;

impl PieceTable {
    /// The number of `piece`, and whether it is new.
    pub fn number(&mut self, piece: &str) -> (u32, bool) {
        let bytes = piece.as_bytes();
        let head = head_of(bytes);
        let hash = hash(bytes, head);
        if self.slots.is_empty() {
            self.slots = vec![0; 1024];
        }
        let mask = self.slots.len() - 1;
        let mut at = (hash as usize) & mask;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                break;
            }
            let key = &self.keys[slot as usize - 1];
            if key.hash == hash
                && key.head == head
                && key.len as usize == bytes.len()
                && (bytes.len() <= SHORT || self.text.as_bytes()[key.at as usize..][..bytes.len()] == *bytes)
            {
                return (slot - 1, false);
            }
            at = (at + 1) & mask;
        }
        let number = self.keys.len() as u32;
        self.keys.push(Key { hash, head, at: self.text.len() as u32, len: bytes.len() as u32 });
        self.text.push_str(piece);
        self.slots[at] = number + 1;
        if self.keys.len() * 2 > self.slots.len() {
            self.grow();
        }
        (number, true)
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let mask = size - 1;
        let mut slots = vec![0u32; size];
        for (n, key) in self.keys.iter().enumerate() {
            let mut at = (key.hash as usize) & mask;
            while slots[at] != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = n as u32 + 1;
        }
        self.slots = slots;
    }
}

/// The first sixteen bytes of `bytes`, zero-padded, as two little-endian words.
fn head_of(bytes: &[u8]) -> (u64, u64) {
    let word = |part: &[u8]| {
        let mut buf = [0u8; 8];
        let n = part.len().min(8);
        buf[..n].copy_from_slice(&part[..n]);
        u64::from_le_bytes(buf)
    };
    match bytes.len() {
        0..=8 => (word(bytes), 0),
        _ => (word(&bytes[..8]), word(&bytes[8..])),
    }
}

/// A hash of a key from its head, its length and (for long keys) the rest of its bytes; the
/// low bits pick the slot, so the last step spreads every bit over them.
fn hash(bytes: &[u8], head: (u64, u64)) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h =
        (head.0 ^ (bytes.len() as u64).rotate_right(8)).wrapping_mul(K) ^ head.1.wrapping_mul(K).rotate_left(29);
    if bytes.len() > SHORT {
        for c in bytes[SHORT..].chunks(8) {
            h = (h.rotate_left(5) ^ head_of(c).0).wrapping_mul(K);
        }
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
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
        for (n, key) in keys.iter().enumerate() {
            assert_eq!(table.number(key), (n as u32, true), "{key:?}");
        }
        for (n, key) in keys.iter().enumerate() {
            assert_eq!(table.number(key), (n as u32, false), "{key:?}");
        }
        for n in 0..5000 {
            assert_eq!(table.number(&format!("woord{n}")), (keys.len() as u32 + n, true));
        }
        assert_eq!(table.number(long), (7, false), "found again after the table grew");
        assert_eq!(table.number("woord4999"), (keys.len() as u32 + 4999, false));
    }
}
