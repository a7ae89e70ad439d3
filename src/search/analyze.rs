//! One page analysed for the index, on any thread: its words by field, the word pairs that
//! phrases are matched by, and its document (the text the excerpts come from).

use super::code;
use super::fxhash::FxHashMap;
use super::text::{self, PageText};
use super::words::{fold, pieces, DutchStemmer, Piece};
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
#[derive(Default)]
pub struct Lexicon {
    inner: Mutex<Words>,
    stemmer: DutchStemmer,
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
        Lexicon { inner: Mutex::new(words), stemmer: DutchStemmer::default() }
    }

    pub fn into_words(self) -> Words {
        self.inner.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A thread's memory of words it has looked up, to spare the shared lexicon's lock.
#[derive(Default)]
pub struct Cache(FxHashMap<Box<str>, u32>);

impl Cache {
    fn stem(&mut self, lexicon: &Lexicon, word: &str) -> u32 {
        if let Some(&id) = self.0.get(word) {
            return id;
        }
        let id = lexicon.stem_of(word);
        self.0.insert(word.into(), id);
        id
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

/// Analyses one page: `number` is its position in the index.
pub fn analyze(number: u32, page: &PageSource, lexicon: &Lexicon, cache: &mut Cache) -> PageTerms {
    let mut body = text::from_html(page.body_html);
    let fields_start = append_details(&mut body, &page.details);
    let all = pieces(&body.text);
    let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
    let mut stems = Vec::new();
    let mut heads = body.heads.iter().peekable();
    let (mut offset, mut length) = (0, 0);
    for piece in &all {
        let at = offset;
        offset += piece.text.len();
        if !piece.word {
            continue;
        }
        while heads.next_if(|h| h.end <= at).is_some() {}
        let field = if at >= fields_start {
            DETAILS
        } else if heads.peek().is_some_and(|h| h.start <= at) {
            HEADING
        } else {
            length += 1;
            1 << FIELD_BITS
        };
        let stem = cache.stem(lexicon, piece.text);
        let entry = counts.entry(stem).or_insert(0);
        *entry = add_field(*entry, field);
        stems.push(stem);
    }
    let title: Vec<u32> = pieces(page.title).iter().filter(|p| p.word).map(|p| cache.stem(lexicon, p.text)).collect();
    for &stem in &title {
        let entry = counts.entry(stem).or_insert(0);
        *entry |= TITLE;
    }
    let mut terms: Vec<(u32, u32)> = counts.into_iter().collect();
    terms.sort_unstable();
    let mut pairs: Vec<u64> =
        stems.windows(2).chain(title.windows(2)).map(|w| u64::from(w[0]) << 32 | u64::from(w[1])).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let doc = doc(number, page, &body, &all);
    PageTerms { terms, pairs, length, doc }
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

/// The document of a page, as JSON: `[number, url, title, path, pieces, code, heads]`.
/// `pieces` lists the distinct pieces of the text, most frequent first; `code` gives the
/// text as their numbers (see `code.rs`), where a single space between two words is left
/// out; `heads` are `[id, level, first word, end word]`, counting the text's words.
fn doc(number: u32, page: &PageSource, body: &PageText, all: &[Piece]) -> String {
    let mut seen: FxHashMap<&str, (u32, u32)> = FxHashMap::default();
    for (i, p) in all.iter().enumerate() {
        seen.entry(p.text).or_insert((0, i as u32)).0 += 1;
    }
    let mut table: Vec<(&str, (u32, u32))> = seen.into_iter().collect();
    table.sort_unstable_by_key(|&(_, (count, first))| (std::cmp::Reverse(count), first));
    let ids: FxHashMap<&str, u32> = table.iter().enumerate().map(|(i, (t, _))| (*t, i as u32)).collect();
    let mut stream = String::with_capacity(all.len() * 2);
    // Per heading: the first word in it and the one after its last (`u32::MAX`: none yet).
    let mut heads: Vec<(&str, u8, u32, u32)> =
        body.heads.iter().map(|h| (h.id.as_str(), h.level, u32::MAX, 0)).collect();
    let (mut words, mut offset, mut at_head) = (0u32, 0, 0);
    for (i, p) in all.iter().enumerate() {
        let implicit_space = p.text == " " && i > 0 && i + 1 < all.len() && all[i - 1].word && all[i + 1].word;
        if !implicit_space {
            code::push_str(&mut stream, ids[p.text]);
        }
        if p.word {
            while body.heads.get(at_head).is_some_and(|h| h.end <= offset) {
                at_head += 1;
            }
            if let (Some(h), Some(head)) = (body.heads.get(at_head), heads.get_mut(at_head)) {
                if h.start <= offset {
                    head.2 = head.2.min(words);
                    head.3 = words + 1;
                }
            }
            words += 1;
        }
        offset += p.text.len();
    }
    heads.retain(|h| h.2 != u32::MAX);
    let mut out = String::with_capacity(stream.len() + table.len() * 10 + 200);
    out.push('[');
    out.push_str(&number.to_string());
    for s in [page.url, page.title] {
        out.push(',');
        json_string(&mut out, s);
    }
    out.push_str(",[");
    for (i, s) in page.path.iter().enumerate() {
        out.push_str(if i > 0 { "," } else { "" });
        json_string(&mut out, s);
    }
    out.push_str("],[");
    for (i, (t, _)) in table.iter().enumerate() {
        out.push_str(if i > 0 { "," } else { "" });
        json_string(&mut out, t);
    }
    out.push_str("],\"");
    out.push_str(&stream);
    out.push_str("\",[");
    for (i, (id, level, first, end)) in heads.iter().enumerate() {
        out.push_str(if i > 0 { ",[" } else { "[" });
        json_string(&mut out, id);
        out.push_str(&format!(",{level},{first},{end}]"));
    }
    out.push_str("]]");
    out
}

/// Appends `s` as a JSON string (as serde_json writes it).
fn json_string(out: &mut String, s: &str) {
    // Writing into a Vec cannot fail.
    let mut buf = Vec::with_capacity(s.len() + 2);
    let _ = serde_json::to_writer(&mut buf, s);
    out.push_str(std::str::from_utf8(&buf).unwrap_or("\"\""));
}
