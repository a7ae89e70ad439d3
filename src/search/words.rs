//! Words as search sees them: text cut into pieces (words and what lies between them), a
//! word folded (case, accents, ligatures) and stemmed by the Dutch Snowball stemmer. The
//! shipped JavaScript (`search-core.js`) repeats these rules exactly; the node test holds
//! the two to each other.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A run of text: a word (letters, digits and their marks; `risico's` is one word) or the
/// characters between two words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'t> {
    pub text: &'t str,
    pub word: bool,
}

/// Whether `c` continues a word: a letter, a digit or a combining mark.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || (!c.is_ascii() && is_combining_mark(c))
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// The pieces of `text`, in order; joined they give `text` back.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    Pieces::new(text).map(|(_, p)| p).collect()
}

/// The pieces of a text one by one, each with its byte offset. ASCII, most of any Dutch
/// text, is told apart by the byte; other characters are decoded.
pub struct Pieces<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Pieces<'t> {
    pub fn new(text: &'t str) -> Self {
        Pieces { text, at: 0 }
    }

    /// Steps over the next piece if it is a single space before an ASCII letter or digit
    /// (after a word, that space is a piece of its own between two words); whether it did.
    pub fn skip_space_before_letter(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let skip = bytes.get(self.at) == Some(&b' ') && bytes.get(self.at + 1).is_some_and(u8::is_ascii_alphanumeric);
        self.at += usize::from(skip);
        skip
    }
}

impl Pieces<'_> {
    /// The next piece when it is an ASCII word of one to fifteen bytes followed by an ASCII
    /// byte that ends it (all but a few words of a Dutch text): its offset, its length and its
    /// bytes as two little-endian words, zero-padded (the second zero up to eight bytes), from
    /// one sixteen-byte load. Otherwise None, and nothing is consumed: `next` cuts the piece.
    #[inline(always)]
    pub fn next_short_word(&mut self) -> Option<(usize, usize, (u64, u64))> {
        let sixteen = self.text.as_bytes().get(self.at..self.at + 16)?;
        let (low, high) = sixteen.split_at(8);
        let low = u64::from_le_bytes(low.try_into().ok()?);
        let high = u64::from_le_bytes(high.try_into().ok()?);
        let stop = !letters(low) & HIGH;
        let (len, head) = if stop != 0 {
            let len = stop.trailing_zeros() as usize / 8;
            // The byte after the word must not need a closer look (`café`, `risico's`).
            if len == 0 || look(low) >> (8 * len) & 0x80 != 0 {
                return None;
            }
            (len, (low & ((1u64 << (8 * len)) - 1), 0))
        } else {
            let stop = !letters(high) & HIGH;
            let rest = stop.trailing_zeros() as usize / 8;
            if stop == 0 || look(high) >> (8 * rest) & 0x80 != 0 {
                return None;
            }
            let tail = if rest == 0 { 0 } else { high & (u64::MAX >> (64 - 8 * rest)) };
            (8 + rest, (low, tail))
        };
        let start = self.at;
        self.at += len;
        Some((start, len, head))
    }
}

/// What a byte says (`Pieces`): `BETWEEN` and `LETTER` are ASCII between words and in
/// them; `LOOK` (a byte beyond ASCII, or an apostrophe) needs a closer look.
const BETWEEN: u8 = 0;
const LETTER: u8 = 1;
const LOOK: u8 = 2;

static CLASS: [u8; 256] = {
    let mut class = [BETWEEN; 256];
    let mut b = 0;
    while b < 256 {
        class[b] = if b >= 0x80 || b == b'\'' as usize {
            LOOK
        } else if (b as u8).is_ascii_alphanumeric() {
            LETTER
        } else {
            BETWEEN
        };
        b += 1;
    }
    class
};

impl<'t> Iterator for Pieces<'t> {
    type Item = (usize, Piece<'t>);

    // Always: it is most of the loop over a page's pieces (`analyze`), and the compiler's
    // own choice went the other way once a second caller appeared there.
    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        let (text, start) = (self.text, self.at);
        let bytes = text.as_bytes();
        let first = *bytes.get(start)?;
        let word = if first.is_ascii() { first.is_ascii_alphanumeric() } else { is_word_char(char_at(text, start).0) };
        let same = if word { LETTER } else { BETWEEN };
        let mut at = start;
        loop {
            // Eight bytes at a time while they last, then byte by byte.
            while let Some(eight) = bytes.get(at..at + 8) {
                let eight = u64::from_le_bytes(eight.try_into().unwrap_or_default());
                let stop = if word { !letters(eight) & HIGH } else { letters(eight) | look(eight) };
                if stop != 0 {
                    at += stop.trailing_zeros() as usize / 8;
                    break;
                }
                at += 8;
            }
            while bytes.get(at).is_some_and(|&b| CLASS[usize::from(b)] == same) {
                at += 1;
            }
            match bytes.get(at) {
                Some(&b) if CLASS[usize::from(b)] == LOOK => {}
                _ => break,
            }
            let (c, len) = char_at(text, at);
            if is_word_char(c) == word {
                at += len;
            } else if word && is_apostrophe(c) && ends_in_s(&text[at + len..]) {
                // `risico's`: the plural's apostrophe and `s` belong to the word.
                at += len + 1;
            } else {
                break;
            }
        }
        self.at = at;
        Some((start, Piece { text: &text[start..at], word }))
    }
}

const HIGH: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `eight` that is an ASCII letter or digit (`CLASS` `LETTER`),
/// eight at a time: each test adds to the low seven bits, where no carry leaves a byte.
fn letters(eight: u64) -> u64 {
    let low = eight & !HIGH;
    let at_least = |x: u64, c: u8| x + (0x80 - u64::from(c)) * ONES;
    let lower = low | (0x20 * ONES);
    let letter = at_least(lower, b'a') & !at_least(lower, b'z' + 1);
    let digit = at_least(low, b'0') & !at_least(low, b'9' + 1);
    (letter | digit) & !eight & HIGH
}

/// The high bit of each byte of `eight` that needs a closer look (`CLASS` `LOOK`): beyond
/// ASCII, or an apostrophe.
fn look(eight: u64) -> u64 {
    let quote = (eight & !HIGH) ^ (u64::from(b'\'') * ONES);
    let is_quote = !(((quote & !HIGH) + !HIGH) | quote) & HIGH;
    (eight & HIGH) | is_quote
}

/// The character at byte `at` of `text` and its length.
fn char_at(text: &str, at: usize) -> (char, usize) {
    let c = text[at..].chars().next().unwrap_or('\u{fffd}');
    (c, c.len_utf8())
}

/// Whether `rest` starts with an `s` that ends a word.
fn ends_in_s(rest: &str) -> bool {
    let mut it = rest.chars();
    matches!(it.next(), Some('s' | 'S')) && !it.next().is_some_and(is_word_char)
}

/// A word in lower case without accents, ligatures or a plural's `'s`: `Financiën` →
/// `financien`, `ĳs` → `ijs`, `risico's` → `risico`. Compatibility decomposition (NFKD),
/// combining marks dropped, then lower case and a few Latin letters that do not decompose.
pub fn fold(word: &str) -> String {
    let word = strip_plural_apostrophe(word);
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let mut decomposed = String::with_capacity(word.len());
    for c in word.chars() {
        decompose_compatible(c, |d| {
            if !is_combining_mark(d) && !is_apostrophe(d) {
                decomposed.push(d);
            }
        });
    }
    let lower = decomposed.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        match special(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    out
}

fn strip_plural_apostrophe(word: &str) -> &str {
    for ending in ["'s", "'S", "’s", "’S"] {
        if let Some(stem) = word.strip_suffix(ending) {
            return stem;
        }
    }
    word
}

/// Lower-case Latin letters that have no decomposition.
fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'ħ' => "h",
        'ŧ' => "t",
        'þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// The Dutch Snowball stemmer, for folded words.
pub struct DutchStemmer(Stemmer);

impl Default for DutchStemmer {
    fn default() -> Self {
        DutchStemmer(Stemmer::create(Algorithm::Dutch))
    }
}

impl DutchStemmer {
    /// The stem of a folded word: `jongeren` and `jongere` → `jonger`. Words with letters
    /// outside a–z after folding (other scripts) are their own stem.
    pub fn stem(&self, folded: &str) -> String {
        if folded.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
            self.0.stem(folded).into_owned()
        } else {
            folded.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        pieces(text).into_iter().filter(|p| p.word).map(|p| p.text).collect()
    }

    #[test]
    fn pieces_cover_the_text_and_keep_a_plurals_apostrophe() {
        let text = "Risico's, z'n Zorg- en Veiligheidshuis (ZVH): 12,5% — ‘s avonds café\u{301}!";
        let all = pieces(text);
        assert_eq!(all.iter().map(|p| p.text).collect::<String>(), text);
        assert_eq!(
            words(text),
            ["Risico's", "z", "n", "Zorg", "en", "Veiligheidshuis", "ZVH", "12", "5", "s", "avonds", "café\u{301}"]
        );
        assert!(all.windows(2).all(|w| w[0].word != w[1].word), "pieces alternate");
        assert_eq!(pieces(""), []);
    }

    /// The pieces as a plain loop over the characters says them.
    fn pieces_char_by_char(text: &str) -> Vec<Piece<'_>> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = Vec::new();
        let (mut start, mut i) = (0, 0);
        while i < chars.len() {
            let word = is_word_char(chars[i].1);
            while i < chars.len() {
                let c = chars[i].1;
                let next_ok = chars.get(i + 2).is_none_or(|&(_, n)| !is_word_char(n));
                if word && is_apostrophe(c) && matches!(chars.get(i + 1), Some((_, 's' | 'S'))) && next_ok {
                    i += 2;
                } else if is_word_char(c) == word {
                    i += 1;
                } else {
                    break;
                }
            }
            let end = chars.get(i).map_or(text.len(), |&(at, _)| at);
            out.push(Piece { text: &text[start..end], word });
            start = end;
        }
        out
    }

    #[test]
    fn pieces_agree_with_a_plain_loop_over_the_characters() {
        let alphabet = ['a', 'S', 's', '1', ' ', '\'', '’', 'ë', '\u{301}', '.', '\n', '€', '𝐀', '-', 'Ω'];
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(seed % 24) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                text.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            assert_eq!(pieces(&text), pieces_char_by_char(&text), "{text:?}");
        }
        for b in 0..=255u8 {
            let eight = u64::from_le_bytes([b'a', b, b' ', b, 0xc3, b, b'\'', b]);
            for (i, lane) in eight.to_le_bytes().iter().enumerate() {
                let bit = 0x80u64 << (8 * i);
                assert_eq!(letters(eight) & bit != 0, CLASS[usize::from(*lane)] == LETTER, "{lane:#x}");
                assert_eq!(look(eight) & bit != 0, CLASS[usize::from(*lane)] == LOOK, "{lane:#x}");
            }
        }
        let offsets: Vec<usize> = Pieces::new("Risico's, café\u{301}!").map(|(at, _)| at).collect();
        let mut long_words = 0;
        for text in [
            "de wijk.",
            "wijkagent is",
            "risico's zijn",
            "café is",
            "a1b2 c",
            "Één",
            "ab’s  .",
            "x",
            "a b  c ë d 1234567 z",
            "samenwerking is een werkwoord",
            "abcdefgh ijklmnopq rstuvwxyzabcdefg.  ",
            "abcdefghijklmno€ en abcdefghijklmnop, abcdefghijklmnopq!",
            "casusregisseur's zijn   veiligheidshuisë       ",
            "jongerenwerk\u{301} 12345678901 Cameratoezicht\n\n",
        ] {
            for at in 0..text.len() {
                let (mut fast, mut slow) = (Pieces { text, at }, Pieces { text, at });
                if let Some((start, len, head)) = fast.next_short_word() {
                    let Some((from, piece)) = slow.next() else { panic!("{text:?} {at}") };
                    assert_eq!(
                        (start, &text[start..start + len], true),
                        (from, piece.text, piece.word),
                        "{text:?} {at}"
                    );
                    assert_eq!(head, crate::search::table::head_of(text.as_bytes(), start..start + len));
                    long_words += usize::from(len > 8);
                    assert_eq!(fast.at, slow.at, "{text:?} {at}");
                }
            }
        }
        assert_eq!(offsets, [0, 8, 10, 17]);
        assert!(long_words >= 10, "the words of nine to fifteen bytes take the fast path: {long_words}");
        let mut plain = Pieces::new("de wijk en de buurt.");
        assert_eq!(plain.next_short_word(), Some((0, 2, (u64::from_le_bytes(*b"de\0\0\0\0\0\0"), 0))));
        assert_eq!(plain.next_short_word(), None, "the space is not a word");
    }

    #[test]
    fn folding_drops_case_accents_and_ligatures() {
        assert_eq!(fold("Geïnformeerd"), "geinformeerd");
        assert_eq!(fold("FINANCIËN"), "financien");
        assert_eq!(fold("risico's"), "risico");
        assert_eq!(fold("Risico’s"), "risico");
        assert_eq!(fold("ĳsbaan"), "ijsbaan");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("ﬁets"), "fiets");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("cafe\u{301}"), "cafe");
        assert_eq!(fold("Ωμέγα"), "ωμεγα");
    }

    #[test]
    fn dutch_stems_join_word_forms() {
        let s = DutchStemmer::default();
        let same = |a: &str, b: &str| assert_eq!(s.stem(a), s.stem(b), "{a} / {b}");
        same("jongere", "jongeren");
        same("maatregel", "maatregelen");
        same("gebiedsverboden", "gebiedsverbod");
        assert_ne!(s.stem("wijk"), s.stem("wijkagent"));
        assert_eq!(s.stem("ωμεγα"), "ωμεγα", "other scripts are their own stem");
        assert_eq!(s.stem("2026"), "2026");
    }
}
