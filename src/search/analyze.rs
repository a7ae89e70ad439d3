//! One page analysed for the index, on any thread: its words by field, the word pairs that
//! phrases are matched by, and its document (the text the excerpts come from).

use super::code;
use super::fxhash::FxHashMap;
use super::table::PieceTable;
use super::text::{self, PageText};
use super::words::{fold, DutchStemmer, Piece, Pieces};
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::Mutex;

/// Where on a page a word stands: the fields rank differently (`docs/search.md`).
pub const TITLE: u32 = 1;
pub const HEADING: u32 = 2;
/// Actions, owner, partners and the plan's group and municipality.
pub const DETAILS: u32 = 4;
/// The field bits take the low three bits of a posting's value, the body count the rest.
pub const FIELD_BITS: u32 = 3;
/// Body counts above this are counted as this.
pub const MAX_BODY_COUNT: u32 = 63;

/// What the index needs to know of one page, as plain data.
pub struct PageSource<'a> {
    /// Output path relative to the (version) root.
    pub url: &'a str,
    pub title: &'a str,
    /// The titles of the sections above the page, top first.
    pub path: Vec<&'a str>,
    /// The page body as rendered HTML.
    pub body_html: &'a str,
    /// Searchable details shown beside the body: (heading, anchor id on the page, text).
    pub details: Vec<Detail>,
}

/// A block of details: actions, owner, partners.
pub struct Detail {
    pub label: String,
    /// The id of the block on the page, if it has one (`pb-actions`).
    pub anchor: Option<String>,
    pub lines: Vec<String>,
}

/// Every folded word seen and its stem, shared by the threads that analyse pages.
pub struct Lexicon {
    /// Tells the threads' tables (`SEEN`) of one lexicon from another's.
    id: u64,
    inner: Mutex<Words>,
    stemmer: DutchStemmer,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::with_words(Words::default())
    }
}

static LEXICONS: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// Each thread's table of the pieces it has met in one lexicon (`Seen`).
    static SEEN: RefCell<Seen> = RefCell::new(Seen::default());
}

/// The pieces (words and what lies between them, as written) a thread has met, numbered by
/// its `PieceTable`, with each word's stem: a piece is folded and stemmed once per thread,
/// and each occurrence costs one lookup.
#[derive(Default)]
struct Seen {
    /// The lexicon these are of (`Lexicon::id`).
    lexicon: u64,
    table: PieceTable,
    /// By piece number: its stem, or `u32::MAX` for what lies between words.
    stems: Vec<u32>,
    /// By piece number: its number in the current page's document + 1, or 0.
    on_page: Vec<u32>,
}

impl Seen {
    /// The number of `piece` in this thread's table.
    fn number(&mut self, text: &str, at: usize, piece: Piece, lexicon: &Lexicon) -> usize {
        let (n, new) = self.table.number(text, at..at + piece.text.len());
        if new {
            self.stems.push(if piece.word { lexicon.stem_of(piece.text) } else { u32::MAX });
            self.on_page.push(0);
        }
        n as usize
    }
}

/// The words and stems, numbered in the order they were first seen.
#[derive(Default, Debug)]
pub struct Words {
    /// Folded word → stem number.
    pub words: FxHashMap<String, u32>,
    pub stems: Vec<String>,
    stem_ids: FxHashMap<String, u32>,
}

impl Words {
    fn stem_id(&mut self, stem: String) -> u32 {
        if let Some(&id) = self.stem_ids.get(&stem) {
            return id;
        }
        let id = self.stems.len() as u32;
        self.stems.push(stem.clone());
        self.stem_ids.insert(stem, id);
        id
    }
}

impl Lexicon {
    /// The stem number of a word as written (`Jongeren`).
    fn stem_of(&self, word: &str) -> u32 {
        let folded = fold(word);
        let mut words = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&id) = words.words.get(&folded) {
            return id;
        }
        let id = words.stem_id(self.stemmer.stem(&folded));
        words.words.insert(folded, id);
        id
    }

    /// A lexicon that goes on from `words` (a page rebuild in `serve`).
    pub fn with_words(words: Words) -> Lexicon {
        let id = LEXICONS.fetch_add(1, AtomicOrdering::Relaxed);
        Lexicon { id, inner: Mutex::new(words), stemmer: DutchStemmer::default() }
    }

    pub fn into_words(self) -> Words {
        self.inner.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One page analysed.
#[derive(Debug, Default)]
pub struct PageTerms {
    /// (stem, field bits | body count << FIELD_BITS), by stem.
    pub terms: Vec<(u32, u32)>,
    /// Adjacent stems as `first << 32 | second`, sorted, without repeats.
    pub pairs: Vec<u64>,
    /// Words of the body (the length the body counts are weighed against).
    pub length: u32,
    /// The page's document, a JSON array (see `doc`).
    pub doc: String,
}

/// Analyses one page: `number` is its position in the index. One pass over the text's
/// pieces gives the document, the stems with their fields and the pairs.
pub fn analyze(number: u32, page: &PageSource, lexicon: &Lexicon) -> PageTerms {
    let mut body = text::from_html(page.body_html);
    let fields_start = append_details(&mut body, &page.details);
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if seen.lexicon != lexicon.id {
            *seen = Seen { lexicon: lexicon.id, ..Seen::default() };
        }
        analyze_text(number, page, &body, fields_start, lexicon, &mut seen)
    })
}

/// `analyze` of the page's text (body, then details from `fields_start`).
fn analyze_text(
    number: u32,
    page: &PageSource,
    body: &PageText,
    fields_start: usize,
    lexicon: &Lexicon,
    seen: &mut Seen,
) -> PageTerms {
    let text = body.text.as_str();
    let mut doc = Doc { table: Vec::new(), code: String::with_capacity(text.len() / 3), heads: Vec::new() };
    // The piece numbers of the document's table, whose `on_page` marks are cleared after.
    let mut on_page: Vec<usize> = Vec::new();
    let mut head_words: Vec<(u32, u32)> = vec![(u32::MAX, 0); body.heads.len()];
    let mut stems = Vec::with_capacity(text.len() / 6);
    let mut fields = Vec::with_capacity(text.len() / 6);
    let (mut length, mut words, mut at_head) = (0, 0u32, 0);
    let mut all = Pieces::new(text);
    while let Some((at, p)) = all.next() {
        // A single space between two words is most of the text's pieces, and the document
        // leaves it out (pieces alternate, so one inside the text lies between two words);
        // most are stepped over right after their word.
        if p.text == " " && at > 0 && at + 1 < text.len() {
            continue;
        }
        let n = seen.number(text, at, p, lexicon);
        if seen.on_page[n] == 0 {
            doc.table.push(p.text);
            seen.on_page[n] = doc.table.len() as u32;
            on_page.push(n);
        }
        code::push_str(&mut doc.code, seen.on_page[n] - 1);
        if !p.word {
            continue;
        }
        all.skip_space_before_letter();
        while body.heads.get(at_head).is_some_and(|h| h.end <= at) {
            at_head += 1;
        }
        let in_head = body.heads.get(at_head).is_some_and(|h| h.start <= at);
        if let (true, Some(w)) = (in_head, head_words.get_mut(at_head)) {
            *w = (w.0.min(words), words + 1);
        }
        let field = if at >= fields_start {
            DETAILS
        } else if in_head {
            HEADING
        } else {
            length += 1;
            1 << FIELD_BITS
        };
        stems.push(seen.stems[n]);
        fields.push(field);
        words += 1;
    }
    for n in on_page {
        seen.on_page[n] = 0;
    }
    doc.heads = body
        .heads
        .iter()
        .zip(&head_words)
        .filter(|(_, w)| w.0 != u32::MAX)
        .map(|(h, w)| (h.id.as_str(), h.level, w.0, w.1))
        .collect();
    let title: Vec<u32> = Pieces::new(page.title)
        .filter(|(_, p)| p.word)
        .map(|(at, p)| {
            let n = seen.number(page.title, at, p, lexicon);
            seen.stems[n]
        })
        .collect();
    let terms = terms_of(&stems, &fields, &title);
    let pairs = pairs_of(&[&stems, &title], &terms);
    PageTerms { terms, pairs, length, doc: doc.json(number, page) }
}

thread_local! {
    /// Each thread's value per stem while it sums up a page (zero in between): a page's
    /// stems are numbers into the whole lexicon, so a slot each is cheaper than a map.
    static SLOTS: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// A page's (stem, field bits | body count << FIELD_BITS), by stem, from its words' stems
/// and fields and its title's stems.
fn terms_of(stems: &[u32], fields: &[u32], title: &[u32]) -> Vec<(u32, u32)> {
    SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        let mut seen: Vec<u32> = Vec::new();
        let all = stems.iter().zip(fields).chain(title.iter().zip(std::iter::repeat(&TITLE)));
        for (&stem, &field) in all {
            let at = stem as usize;
            if slots.len() <= at {
                slots.resize(at + 1, 0);
            }
            if slots[at] == 0 {
                seen.push(stem);
            }
            slots[at] = add_field(slots[at], field);
        }
        seen.sort_unstable();
        seen.iter().map(|&stem| (stem, std::mem::take(&mut slots[stem as usize]))).collect()
    })
}

/// The adjacent stems of each list of `lists` as `first << 32 | second`, sorted, without
/// repeats; `terms` are the page's stems in order (`terms_of`). Sorted without comparisons:
/// counted into place by second stem, then (keeping that order) by first, with a count per
/// stem in this thread's slots.
fn pairs_of(lists: &[&[u32]], terms: &[(u32, u32)]) -> Vec<u64> {
    let pairs: Vec<(u32, u32)> = lists.iter().flat_map(|list| list.windows(2)).map(|w| (w[0], w[1])).collect();
    SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        let by_second = counted_into_place(&pairs, |p| p.1, terms, &mut slots);
        let sorted = counted_into_place(&by_second, |p| p.0, terms, &mut slots);
        let mut out: Vec<u64> = Vec::with_capacity(sorted.len());
        for (first, second) in sorted {
            let pair = u64::from(first) << 32 | u64::from(second);
            if out.last() != Some(&pair) {
                out.push(pair);
            }
        }
        out
    })
}

/// `items` in the order of their `key` (one of the stems of `terms`), stable; `slots` are
/// left all zero.
fn counted_into_place(
    items: &[(u32, u32)],
    key: impl Fn(&(u32, u32)) -> u32,
    terms: &[(u32, u32)],
    slots: &mut [u32],
) -> Vec<(u32, u32)> {
    for item in items {
        slots[key(item) as usize] += 1;
    }
    let mut end = 0;
    for &(stem, _) in terms {
        end += std::mem::replace(&mut slots[stem as usize], end);
    }
    let mut out = vec![(0, 0); items.len()];
    for item in items {
        let at = &mut slots[key(item) as usize];
        out[*at as usize] = *item;
        *at += 1;
    }
    for &(stem, _) in terms {
        slots[stem as usize] = 0;
    }
    out
}

/// Adds one occurrence in `field` (a field bit, or one body word) to a posting value.
fn add_field(value: u32, field: u32) -> u32 {
    if field < 1 << FIELD_BITS {
        return value | field;
    }
    let count = (value >> FIELD_BITS).saturating_add(1).min(MAX_BODY_COUNT);
    (value & ((1 << FIELD_BITS) - 1)) | count << FIELD_BITS
}

/// Appends the detail blocks to the body text, each under a heading of its own; returns
/// where they start.
fn append_details(body: &mut PageText, details: &[Detail]) -> usize {
    let start = body.text.len();
    for d in details.iter().filter(|d| !d.lines.is_empty()) {
        body.text.push_str(if body.text.is_empty() { "" } else { "\n" });
        if let Some(id) = &d.anchor {
            let at = body.text.len();
            body.text.push_str(&d.label);
            body.heads.push(text::Head { id: id.clone(), level: 2, start: at, end: body.text.len() });
            body.text.push('\n');
        } else {
            body.text.push_str(&d.label);
            body.text.push_str(": ");
        }
        body.text.push_str(&d.lines.join("\n"));
    }
    start + usize::from(start < body.text.len() && start > 0)
}

/// The document of a page: the whole text (body, then details) as numbers of its distinct
/// pieces (in the order they first occur), where a single space between two words is left
/// out, and the headings as `(id, level, first word, end word)`, counting the text's words.
/// The browser cuts the excerpt from this text around the best match.
struct Doc<'t> {
    table: Vec<&'t str>,
    code: String,
    heads: Vec<(&'t str, u8, u32, u32)>,
}

impl Doc<'_> {
    /// `[number, url, title, path, pieces, code, heads]`.
    fn json(&self, number: u32, page: &PageSource) -> String {
        let size = self.code.len() + self.table.iter().map(|t| t.len() + 3).sum::<usize>() + 200;
        let mut out = String::with_capacity(size);
        out.push('[');
        out.push_str(&number.to_string());
        for s in [page.url, page.title] {
            out.push(',');
            json_string(&mut out, s);
        }
        for list in [&page.path, &self.table] {
            out.push_str(",[");
            for (i, s) in list.iter().enumerate() {
                out.push_str(if i > 0 { "," } else { "" });
                json_string(&mut out, s);
            }
            out.push(']');
        }
        out.push_str(",\"");
        out.push_str(&self.code);
        out.push_str("\",[");
        for (i, (id, level, first, end)) in self.heads.iter().enumerate() {
            out.push_str(if i > 0 { ",[" } else { "[" });
            json_string(&mut out, id);
            out.push_str(&format!(",{level},{first},{end}]"));
        }
        out.push_str("]]");
        out
    }
}

/// Appends `s` as a JSON string, escaped as serde_json escapes (without its allocation per
/// string: a page has a hundred of them).
pub fn json_string(out: &mut String, s: &str) {
    out.push('"');
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        // Most strings (the pieces of a page's text) need no escape.
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escape);
        }
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped_as_serde_json_does() {
        for s in ["", "plain", "a \"quote\" \\ back", "line\nfeed\r\t\u{8}\u{c}\u{1}\u{1f}", "Financiën € 𝐀 \u{2028}"]
        {
            let mut out = String::new();
            json_string(&mut out, s);
            assert_eq!(out, serde_json::Value::from(s).to_string());
        }
    }

    #[test]
    fn a_page_sums_its_fields_per_stem() {
        let terms = terms_of(&[4, 2, 4, 9], &[1 << FIELD_BITS, HEADING, 1 << FIELD_BITS, DETAILS], &[2, 7]);
        assert_eq!(terms, [(2, HEADING | TITLE), (4, 2 << FIELD_BITS), (7, TITLE), (9, DETAILS)]);
        assert_eq!(terms_of(&[4], &[HEADING], &[]), [(4, HEADING)], "the slots are clean after a page");
    }

    #[test]
    fn a_pages_pairs_are_sorted_without_repeats() {
        let (body, title) = ([4u32, 2, 4, 2, 4, 9, 2], [9u32, 2, 4]);
        let terms = terms_of(&body, &[8; 7], &title);
        let pair = |a: u64, b: u64| a << 32 | b;
        let want = [pair(2, 4), pair(4, 2), pair(4, 9), pair(9, 2)];
        assert_eq!(pairs_of(&[&body, &title], &terms), want);
        let one: [u32; 1] = [7];
        assert!(pairs_of(&[&one, &[]], &terms_of(&one, &[8], &[])).is_empty());
        assert_eq!(terms_of(&[4], &[HEADING], &[]), [(4, HEADING)], "the slots are clean after the pairs");
    }
}
