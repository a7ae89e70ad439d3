//! One page analysed for the index, on any thread: its words by field, the word pairs that
//! phrases are matched by, and its document (the text the excerpts come from).

use super::code;
use super::doc::{json_string, Doc};
use super::lexicon::Lexicon;
use super::record::{self, Analysed, Key};
use super::sums::{self, pairs_of, terms_of, BODY, DETAILS, HEADING};
use super::table::PieceTable;
use super::text::{self, PageText};
use super::words::{Piece, Pieces};
use std::cell::RefCell;

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
    /// By piece number: its stem (`u32::MAX` for what lies between words), and its number in
    /// the current page's document + 1 (0 if not on it): one lookup finds both.
    pieces: Vec<(u32, u32)>,
    /// By piece number: its folded word's number in the lexicon (`u32::MAX` if none).
    words: Vec<u32>,
    /// Every piece's text as a JSON string, one after another, made when it is numbered: a
    /// page's document lists its distinct pieces so, and most recur on every page.
    quoted: String,
    /// By piece number: where its JSON string ends in `quoted` (it starts where the last ends).
    quoted_ends: Vec<u32>,
    /// Lists kept from page to page, so that a page allocates none of them.
    scratch: PageScratch,
}

/// The lists a page's analysis fills, emptied and used again for the next page.
#[derive(Default)]
struct PageScratch {
    /// The piece numbers of the page's document, in the order they first occur.
    doc: Vec<u32>,
    /// The stem and the field of each word of the page.
    stems: Vec<u32>,
    fields: Vec<u32>,
}

impl Seen {
    /// The number of `piece` in this thread's table.
    #[inline]
    fn number(&mut self, text: &str, at: usize, piece: Piece, lexicon: &Lexicon) -> usize {
        let (n, new) = self.table.number(text, at..at + piece.text.len());
        if new {
            self.push(piece.word.then(|| lexicon.stem_of(piece.text)));
        }
        n as usize
    }

    /// `number` of a word of at most sixteen bytes, given its head (`Pieces::next_short_word`).
    #[inline(always)]
    fn number_short(&mut self, text: &str, at: usize, len: usize, head: (u64, u64), lexicon: &Lexicon) -> usize {
        let (n, new) = self.table.number_short(text, at..at + len, head);
        if new {
            self.push(Some(lexicon.stem_of(&text[at..at + len])));
        }
        n as usize
    }

    /// Numbers the next piece: a word with its (stem, word number), or what lies between.
    fn push(&mut self, word: Option<(u32, u32)>) {
        let (stem, id) = word.unwrap_or((u32::MAX, u32::MAX));
        json_string(&mut self.quoted, self.table.text(self.pieces.len() as u32));
        self.quoted_ends.push(self.quoted.len() as u32);
        self.pieces.push((stem, 0));
        self.words.push(id);
    }

    /// Piece `n`'s text as a JSON string.
    fn quoted(&self, n: u32) -> &str {
        let start = n.checked_sub(1).map_or(0, |before| self.quoted_ends[before as usize]);
        &self.quoted[start as usize..self.quoted_ends[n as usize] as usize]
    }

    /// The distinct word numbers of the pieces `pieces`, sorted.
    fn word_numbers(&self, pieces: impl Iterator<Item = u32>) -> Vec<u32> {
        let mut out: Vec<u32> = pieces.map(|n| self.words[n as usize]).filter(|&w| w != u32::MAX).collect();
        out.sort_unstable();
        out.dedup();
        out
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
    /// The page's key and record for the next build (`record`, `saved`), when it is kept.
    pub saved: Option<(Key, Vec<u8>)>,
    /// The numbers of its distinct folded words in the lexicon, sorted, when it is kept: a
    /// later build that patches the index takes them out of the word list (`snapshot`).
    pub words: Vec<u32>,
}

/// Analyses one page: `number` is its position in the index. One pass over the text's
/// pieces gives the document, the stems with their fields and the pairs; with `key`, the
/// page's record for the next build too (`record::encode`).
pub fn analyze(number: u32, page: &PageSource, lexicon: &Lexicon, key: Option<Key>) -> PageTerms {
    let mut body = text::from_html(page.body_html);
    let fields_start = append_details(&mut body, &page.details);
    with_seen(lexicon, |seen| analyze_text(number, page, &body, fields_start, lexicon, seen, key))
}

/// Runs `f` with the calling thread's table of pieces for `lexicon`, emptied first when the
/// thread last met another lexicon (its numbers mean nothing there).
fn with_seen<T>(lexicon: &Lexicon, f: impl FnOnce(&mut Seen) -> T) -> T {
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if seen.lexicon != lexicon.id {
            *seen = Seen { lexicon: lexicon.id, ..Seen::default() };
        }
        f(&mut seen)
    })
}

/// The stems of `words` (as written) in `lexicon`, found as `analyze` finds them: through
/// the calling thread's table; and the distinct numbers of their folded words, sorted. None
/// when one is not a whole word (as `Pieces` cuts text), which is checked the first time the
/// thread meets it.
pub fn stems_of<'w>(words: impl Iterator<Item = &'w str>, lexicon: &Lexicon) -> Option<(Vec<u32>, Vec<u32>)> {
    with_seen(lexicon, |seen| {
        let mut pieces = Vec::new();
        let stems = words
            .map(|w| {
                let (n, new) = seen.table.number(w, 0..w.len());
                if new {
                    // Anything else would enter the word list as one word.
                    seen.push(is_one_word(w).then(|| lexicon.stem_of(w)));
                }
                pieces.push(n);
                Some(seen.pieces[n as usize].0).filter(|&stem| stem != u32::MAX)
            })
            .collect::<Option<Vec<u32>>>()?;
        Some((stems, seen.word_numbers(pieces.into_iter())))
    })
}

/// Whether `s` is one word as `Pieces` cuts text.
#[inline(never)]
fn is_one_word(s: &str) -> bool {
    let mut pieces = Pieces::new(s);
    matches!((pieces.next(), pieces.next()), (Some((0, p)), None) if p.word && p.text.len() == s.len())
}

/// `analyze` of the page's text (body, then details from `fields_start`).
fn analyze_text(
    number: u32,
    page: &PageSource,
    body: &PageText,
    fields_start: usize,
    lexicon: &Lexicon,
    seen: &mut Seen,
    key: Option<Key>,
) -> PageTerms {
    let text = body.text.as_str();
    let mut code = Vec::with_capacity(text.len() / 3);
    let PageScratch { doc: mut on_page, mut stems, mut fields } = std::mem::take(&mut seen.scratch);
    let mut head_words: Vec<(u32, u32)> = vec![(u32::MAX, 0); body.heads.len()];
    let (mut length, mut words) = (0, 0u32);
    let mut zone = Zone::of(0, 0, &body.heads, fields_start);
    let mut all = Pieces::new(text);
    loop {
        // Most words are short and plain, and are cut and looked up from one load.
        let (at, n, word) = match all.next_short_word() {
            Some((at, len, head)) => (at, seen.number_short(text, at, len, head, lexicon), true),
            None => {
                let Some((at, p)) = all.next() else { break };
                // A single space between two words is most of the text's pieces, and the
                // document leaves it out (pieces alternate, so one inside the text lies
                // between two words); most are stepped over right after their word.
                if p.text == " " && at > 0 && at + 1 < text.len() {
                    continue;
                }
                (at, seen.number(text, at, p, lexicon), p.word)
            }
        };
        let (stem, mark) = &mut seen.pieces[n];
        if *mark == 0 {
            on_page.push(n as u32);
            *mark = on_page.len() as u32;
        }
        code::push(&mut code, *mark - 1);
        if !word {
            continue;
        }
        stems.push(*stem);
        all.skip_space_before_letter();
        if at >= zone.until {
            zone = Zone::of(at, zone.head, &body.heads, fields_start);
        }
        if let (true, Some(w)) = (zone.in_head, head_words.get_mut(zone.head)) {
            *w = (w.0.min(words), words + 1);
        }
        fields.push(zone.field);
        length += u32::from(zone.field == BODY);
        words += 1;
    }
    for &n in &on_page {
        seen.pieces[n as usize].1 = 0;
    }
    let mut title_pieces = Vec::new();
    let heads = body
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
            title_pieces.push(n as u32);
            seen.pieces[n].0
        })
        .collect();
    let terms = terms_of(&stems, &fields, &title);
    let pairs = pairs_of(&[&stems, &title], &terms);
    let pieces = on_page.iter().map(|&n| seen.quoted(n)).collect();
    let doc = Doc { url: page.url, title: page.title, path: &page.path, pieces, code, heads }.json(number);
    let mut out = PageTerms { terms, pairs, length, doc, saved: None, words: Vec::new() };
    if let Some(key) = key {
        out.saved = record_of(number, &on_page, &title_pieces, seen, &out).map(|record| (key, record));
        out.words = seen.word_numbers(on_page.iter().chain(&title_pieces).copied());
    }
    stems.clear();
    fields.clear();
    on_page.clear();
    seen.scratch = PageScratch { doc: on_page, stems, fields };
    out
}

/// Where in a page's text a word stands, and up to where that holds: the words between
/// two changes (a heading's start or end, the details' start) share it, so that a word
/// costs one comparison.
struct Zone {
    /// The first heading that does not end before the word, and whether the word is in it.
    head: usize,
    in_head: bool,
    /// `DETAILS`, `HEADING` or `BODY`.
    field: u32,
    /// The first offset at which any of these may change.
    until: usize,
}

impl Zone {
    /// The zone of the word at `at`, looking at the headings from `head` on.
    fn of(at: usize, mut head: usize, heads: &[text::Head], fields_start: usize) -> Zone {
        while heads.get(head).is_some_and(|h| h.end <= at) {
            head += 1;
        }
        let next = heads.get(head);
        let in_head = next.is_some_and(|h| h.start <= at);
        let field = if at >= fields_start {
            DETAILS
        } else if in_head {
            HEADING
        } else {
            BODY
        };
        let head_change = next.map_or(usize::MAX, |h| if in_head { h.end } else { h.start });
        let until = head_change.min(if at < fields_start { fields_start } else { usize::MAX });
        Zone { head, in_head, field, until }
    }
}

/// The record of analysed page `number` (`record::encode`) whose document holds the pieces
/// `on_page` and whose title the pieces `title`, its stems' places among its terms looked up
/// in the thread's slots (`sums::with_term_places`).
/// Out of line, so that the loop over a page's pieces compiles as it does without it.
#[inline(never)]
fn record_of(number: u32, on_page: &[u32], title: &[u32], seen: &Seen, page: &PageTerms) -> Option<Vec<u8>> {
    let title_only = title.iter().filter(|n| !on_page.contains(n));
    let words: Vec<(&str, u32)> = on_page
        .iter()
        .chain(title_only)
        .map(|&n| (seen.table.text(n), seen.pieces[n as usize].0))
        .filter(|&(_, stem)| stem != u32::MAX)
        .collect();
    let analysed = Analysed { number, length: page.length, terms: &page.terms, pairs: &page.pairs };
    sums::with_term_places(&page.terms, |term_of| record::encode(&words, &analysed, term_of))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_holds_until_it_says_and_matches_a_look_at_every_word() {
        let head = |start, end| text::Head { id: String::new(), level: 2, start, end };
        let heads = [head(2, 5), head(5, 5), head(7, 9), head(12, 15), head(15, 18)];
        for fields_start in [0, 6, 8, 13, 30] {
            let mut zone = Zone::of(0, 0, &heads, fields_start);
            for at in 0..25 {
                if at >= zone.until {
                    zone = Zone::of(at, zone.head, &heads, fields_start);
                }
                let naive = heads.iter().position(|h| h.end > at).unwrap_or(heads.len());
                let in_head = heads.get(naive).is_some_and(|h| h.start <= at);
                let field = match (at < fields_start, in_head) {
                    (false, _) => DETAILS,
                    (true, true) => HEADING,
                    (true, false) => BODY,
                };
                assert_eq!((zone.head, zone.in_head, zone.field), (naive, in_head, field), "{at} {fields_start}");
            }
        }
    }
}
