//! One page analysed for the index, on any thread: its words by field, the word pairs that
//! phrases are matched by, and its document (the text the excerpts come from).

use super::code;
use super::doc::{json_string, Doc};
use super::lexicon::Lexicon;
use super::record::{self, Analysed, Key};
use super::table::PieceTable;
use super::text::{self, PageText};
use super::words::{Piece, Pieces};
use std::cell::RefCell;

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

/// A body word's field value (one body word).
const BODY: u32 = 1 << FIELD_BITS;

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
/// in the thread's slots (which `terms_of` made long enough for every stem of the page).
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
    let words = &words;
    SLOTS.with(|slots| {
        let by_stem = &mut slots.borrow_mut().by_stem;
        for (i, &(stem, _)) in page.terms.iter().enumerate() {
            by_stem[stem as usize] = i as u32 + 1;
        }
        let term_of = |stem: u32| by_stem.get(stem as usize).and_then(|i| i.checked_sub(1)).map(|i| i as usize);
        let analysed = Analysed { number, length: page.length, terms: &page.terms, pairs: &page.pairs };
        let record = record::encode(words, &analysed, term_of);
        for &(stem, _) in &page.terms {
            by_stem[stem as usize] = 0;
        }
        record
    })
}

thread_local! {
    /// Each thread's value per stem while it sums up a page (zero in between): a page's
    /// stems are numbers into the whole lexicon, so a slot each is cheaper than a map.
    static SLOTS: RefCell<Slots> = const {
        RefCell::new(Slots { by_stem: Vec::new(), stems: Vec::new(), lists: [Vec::new(), Vec::new()], bits: Vec::new() })
    };
}

/// A thread's slots per stem, and lists kept from page to page so that a page's sums and
/// pairs allocate only their answers: the page's stems, its pairs before and after each
/// counting pass, and the bits of its pairs (`pairs_by_bits`).
struct Slots {
    by_stem: Vec<u32>,
    stems: Vec<u32>,
    lists: [Vec<(u32, u32)>; 2],
    bits: Vec<u64>,
}

/// Pages with at most this many distinct stems mark their pairs in a table of bits, a row
/// per first stem (at most 512 × 8 words, 32 kB); longer ones count them into place.
const BITS_TERMS: usize = 512;

/// A page's (stem, field bits | body count << FIELD_BITS), by stem, from its words' stems
/// and fields and its title's stems.
fn terms_of(stems: &[u32], fields: &[u32], title: &[u32]) -> Vec<(u32, u32)> {
    SLOTS.with(|slots| {
        let Slots { by_stem: slots, stems: seen, .. } = &mut *slots.borrow_mut();
        seen.clear();
        // Two plain loops: a chain of the two lists costs a check per word.
        for (&stem, &field) in stems.iter().zip(fields) {
            add_to_slot(slots, seen, stem, field);
        }
        for &stem in title {
            add_to_slot(slots, seen, stem, TITLE);
        }
        seen.sort_unstable();
        seen.iter().map(|&stem| (stem, std::mem::take(&mut slots[stem as usize]))).collect()
    })
}

/// The adjacent stems of each list of `lists` as `first << 32 | second`, sorted, without
/// repeats; `terms` are the page's stems in order (`terms_of`). Sorted without comparisons:
/// marked in a table of bits (`pairs_by_bits`), or on a page of very many stems counted into
/// place by second stem, then (keeping that order) by first, with a count per stem in this
/// thread's slots.
fn pairs_of(lists: &[&[u32]], terms: &[(u32, u32)]) -> Vec<u64> {
    sorted_pairs(
        |pairs| {
            for list in lists {
                pairs.extend(list.iter().zip(list.iter().skip(1)).map(|(&a, &b)| (a, b)));
            }
        },
        terms,
    )
}

/// The pairs of stems that `fill` puts in a list (each stem one of `terms`, which are
/// sorted by stem) as `first << 32 | second`, sorted, without repeats: as `pairs_of`.
pub fn sorted_pairs(fill: impl FnOnce(&mut Vec<(u32, u32)>), terms: &[(u32, u32)]) -> Vec<u64> {
    SLOTS.with(|slots| {
        let Slots { by_stem: slots, lists: [pairs, by_second], bits, .. } = &mut *slots.borrow_mut();
        if let Some(&(last, _)) = terms.last() {
            if slots.len() <= last as usize {
                slots.resize(last as usize + 1, 0);
            }
        }
        pairs.clear();
        fill(pairs);
        if terms.len() <= BITS_TERMS {
            return pairs_by_bits(pairs, terms, slots, bits);
        }
        counted_into_place(pairs, |p| p.1, terms, slots, by_second);
        counted_into_place(by_second, |p| p.0, terms, slots, pairs);
        let mut out: Vec<u64> = Vec::with_capacity(pairs.len());
        for &(first, second) in pairs.iter() {
            let pair = u64::from(first) << 32 | u64::from(second);
            if out.last() != Some(&pair) {
                out.push(pair);
            }
        }
        out
    })
}

/// `pairs` (of the stems of `terms`, sorted by stem) as `first << 32 | second`, sorted,
/// without repeats: each marked in a table of bits by the two stems' places among `terms`,
/// then read out row by row, so that a page's thousand pairs cost no sort. `slots` are
/// left all zero.
fn pairs_by_bits(pairs: &[(u32, u32)], terms: &[(u32, u32)], slots: &mut [u32], bits: &mut Vec<u64>) -> Vec<u64> {
    let row = terms.len().div_ceil(64);
    bits.clear();
    bits.resize(row * terms.len(), 0);
    for (i, &(stem, _)) in terms.iter().enumerate() {
        slots[stem as usize] = i as u32;
    }
    for &(first, second) in pairs {
        let (a, b) = (slots[first as usize] as usize, slots[second as usize] as usize);
        bits[a * row + b / 64] |= 1 << (b % 64);
    }
    for &(stem, _) in terms {
        slots[stem as usize] = 0;
    }
    let mut out = Vec::with_capacity(pairs.len());
    for (words, &(first, _)) in bits.chunks_exact(row).zip(terms) {
        for (w, &word) in words.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                let second = terms[w * 64 + word.trailing_zeros() as usize].0;
                out.push(u64::from(first) << 32 | u64::from(second));
                word &= word - 1;
            }
        }
    }
    out
}

/// `items` in the order of their `key` (one of the stems of `terms`), stable, into `out`;
/// `slots` are left all zero.
fn counted_into_place(
    items: &[(u32, u32)],
    key: impl Fn(&(u32, u32)) -> u32,
    terms: &[(u32, u32)],
    slots: &mut [u32],
    out: &mut Vec<(u32, u32)>,
) {
    for item in items {
        slots[key(item) as usize] += 1;
    }
    let mut end = 0;
    for &(stem, _) in terms {
        end += std::mem::replace(&mut slots[stem as usize], end);
    }
    out.clear();
    out.resize(items.len(), (0, 0));
    for item in items {
        let at = &mut slots[key(item) as usize];
        out[*at as usize] = *item;
        *at += 1;
    }
    for &(stem, _) in terms {
        slots[stem as usize] = 0;
    }
}

/// Adds one occurrence of `stem` in `field` to its slot, noting the stem in `seen` the first
/// time. Always inline: it runs for every word of every page.
#[inline(always)]
fn add_to_slot(slots: &mut Vec<u32>, seen: &mut Vec<u32>, stem: u32, field: u32) {
    let at = stem as usize;
    if slots.len() <= at {
        slots.resize(at + 1, 0);
    }
    if slots[at] == 0 {
        seen.push(stem);
    }
    slots[at] = add_field(slots[at], field);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_sums_its_fields_per_stem() {
        let terms = terms_of(&[4, 2, 4, 9], &[1 << FIELD_BITS, HEADING, 1 << FIELD_BITS, DETAILS], &[2, 7]);
        assert_eq!(terms, [(2, HEADING | TITLE), (4, 2 << FIELD_BITS), (7, TITLE), (9, DETAILS)]);
        assert_eq!(terms_of(&[4], &[HEADING], &[]), [(4, HEADING)], "the slots are clean after a page");
    }

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
                let field = if at >= fields_start {
                    DETAILS
                } else if in_head {
                    HEADING
                } else {
                    BODY
                };
                assert_eq!((zone.head, zone.in_head, zone.field), (naive, in_head, field), "{at} {fields_start}");
            }
        }
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

    #[test]
    fn pairs_by_bits_and_counted_into_place_agree_with_a_sort() {
        let mut seed = 11u64;
        for distinct in [1u32, 2, 63, 64, 65, 300, BITS_TERMS as u32, BITS_TERMS as u32 + 1, 900] {
            let stems: Vec<u32> = (0..3000u32)
                .map(|i| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    // Every stem at least once, and far apart in the lexicon.
                    7 * if i < distinct { i } else { (seed >> 33) as u32 % distinct }
                })
                .collect();
            let terms = terms_of(&stems, &vec![1 << FIELD_BITS; stems.len()], &[]);
            assert_eq!(terms.len(), distinct as usize);
            let mut want: Vec<u64> = stems.windows(2).map(|w| u64::from(w[0]) << 32 | u64::from(w[1])).collect();
            want.sort_unstable();
            want.dedup();
            assert_eq!(pairs_of(&[&stems], &terms), want, "{distinct} stems");
            assert_eq!(terms_of(&[4], &[HEADING], &[]), [(4, HEADING)], "the slots are clean after the pairs");
        }
    }
}
