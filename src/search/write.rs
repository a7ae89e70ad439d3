//! The index as files under `_search/`, each a classic script that hands its data to
//! `window.planboekSearch` (so it loads from file:// and under `script-src 'self'`):
//!
//! - `meta.js`: the page count, the first key of every word and term file (each sharing its
//!   start with the one before), how many pages a document file holds and how many files a
//!   folder of them, every page's status (three to a letter) and the plans.
//! - `w/<n>.js`: folded words in order, each with its stem and how many pages hold it.
//! - `t/<n>.js`: stems with their weight (idf) and pages with impacts (one number each,
//!   `code::pack`), and word pairs
//!   (`"stem next"`) with their pages, by key.
//! - `d/<n / DOC_FOLDER_FILES>/<n>.js`: the documents (text) of `DOC_FILE_PAGES` consecutive
//!   pages (written while the pages render).

use super::code::{self, ALPHABET};
use super::doc::json_string;
use super::lists::Index;
use super::sums::{DETAILS, FIELD_BITS, HEADING, TITLE};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// A word or term file is closed once it holds this many bytes.
pub const WORD_FILE_BYTES: usize = 16_000;
pub const TERM_FILE_BYTES: usize = 16_000;

/// Where the files of a `write` start, and the average body length their impacts were
/// weighed with: what a page rebuild keeps (`rewrite`).
pub struct Layout {
    pub average: f64,
    pub word_keys: Vec<String>,
    pub term_keys: Vec<String>,
}

impl Index {
    /// Keeps where the files of the last `write` start, for `rewrite`.
    pub fn set_layout(&mut self, layout: Layout) {
        (self.average, self.word_keys, self.term_keys) = (layout.average, layout.word_keys, layout.term_keys);
    }
}

/// Writes the index files through `emit(path under the output root, text)`, one at a time;
/// returns where each file starts.
pub fn write(index: &Index, emit: &mut dyn FnMut(String, String)) -> Layout {
    let n = index.pages.len();
    let average = index.lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / n.max(1) as f64;
    let words = word_keys(index, |_| true);
    let mut word_files = Files::new("words", WORD_FILE_BYTES);
    for w in &words {
        word_files.add(&w.0, &word_value(index, w), emit);
    }
    let word_keys = word_files.finish(emit);
    let mut term_files = Files::new("terms", TERM_FILE_BYTES);
    let stems = stems_in_order(index);
    let rank = ranks(index, &stems);
    for_each_term(index, average, &stems, &rank, &mut |key, value| term_files.add(key, value, emit));
    let layout = Layout { average, word_keys, term_keys: term_files.finish(emit) };
    emit(format!("{}/meta.js", super::DIR), meta(index, &layout));
    layout
}

/// The term and word files that hold any of the stems `stems` (with the pairs they begin)
/// or the words `words`, after a page changed: (path, text), in the file boundaries of the
/// last `write`.
pub fn rewrite(index: &Index, stems: &BTreeSet<u32>, words: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut affected: BTreeSet<usize> = BTreeSet::new();
    for &s in stems {
        let key = term_key(index, s);
        let first = file_of(&index.term_keys, &key);
        let last = file_of(&index.term_keys, &format!("{key} \u{10ffff}"));
        affected.extend(first..=last);
    }
    let mut texts: BTreeMap<usize, String> = BTreeMap::new();
    let all = stems_in_order(index);
    let rank = ranks(index, &all);
    let order: Vec<u32> = all
        .into_iter()
        .filter(|&s| {
            let key = term_key(index, s);
            let (first, last) =
                (file_of(&index.term_keys, &key), file_of(&index.term_keys, &format!("{key} \u{10ffff}")));
            affected.range(first..=last).next().is_some()
        })
        .collect();
    for_each_term(index, index.average, &order, &rank, &mut |key, value| {
        let k = file_of(&index.term_keys, key);
        if affected.contains(&k) {
            let text = texts.entry(k).or_insert_with(|| format!("planboekSearch.terms({k},{{"));
            if !text.ends_with('{') {
                text.push(',');
            }
            text.push_str(value);
        }
    });
    for k in affected {
        let mut text = texts.remove(&k).unwrap_or_else(|| format!("planboekSearch.terms({k},{{"));
        text.push_str("});\n");
        out.push((file_path("terms", k), text));
    }
    let word_files: BTreeSet<usize> = words.iter().map(|w| file_of(&index.word_keys, w)).collect();
    for k in word_files {
        let keys = word_keys(index, |key| file_of(&index.word_keys, key) == k);
        let values: Vec<String> = keys.iter().map(|w| word_value(index, w)).collect();
        out.push((file_path("words", k), format!("planboekSearch.words({k},[{}]);\n", values.join(","))));
    }
    out
}

/// The file whose first key is the last at most `key` (the first for smaller keys).
fn file_of(keys: &[String], key: &str) -> usize {
    keys.partition_point(|k| key_order(k, key) != Ordering::Greater).saturating_sub(1)
}

/// Keys compare as JavaScript compares strings: by UTF-16 code units.
pub fn key_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn term_key(index: &Index, stem: u32) -> String {
    index.words.stems.get(stem as usize).cloned().unwrap_or_default()
}

/// The folded words that `keep`s, with a stem on some page, in key order.
fn word_keys(index: &Index, keep: impl Fn(&str) -> bool) -> Vec<(String, u32)> {
    let mut words: Vec<(String, u32)> = index
        .words
        .words
        .iter()
        .filter_map(|(w, &id)| Some((w, *index.words.word_stems.get(id as usize)?)))
        .filter(|&(w, stem)| index.stems.get(stem as usize).is_some_and(|p| p.len > 0) && keep(w))
        .map(|(w, stem)| (w.clone(), stem))
        .collect();
    words.sort_by(|a, b| key_order(&a.0, &b.0));
    words
}

/// `[word, stem, pages]`.
fn word_value(index: &Index, (word, stem): &(String, u32)) -> String {
    let df = index.stems.get(*stem as usize).map_or(0, |p| p.len);
    serde_json::json!([word, index.words.stems[*stem as usize], df]).to_string()
}

/// The stems on some page, in key order.
fn stems_in_order(index: &Index) -> Vec<u32> {
    let mut stems: Vec<u32> = (0..index.stems.len() as u32).filter(|&s| index.stems[s as usize].len > 0).collect();
    stems.sort_by(|&a, &b| key_order(&index.words.stems[a as usize], &index.words.stems[b as usize]));
    stems
}

/// Each stem's position in key order (`stems` as `stems_in_order` gives them).
fn ranks(index: &Index, stems: &[u32]) -> Vec<u32> {
    let mut rank = vec![u32::MAX; index.stems.len()];
    for (i, &s) in stems.iter().enumerate() {
        rank[s as usize] = i as u32;
    }
    rank
}

/// Hands every entry of `stems` (in key order) to `entry(key, "key":value)` in key order:
/// the stem with `[idf, pages with impacts]`, then the pairs it begins (`"stem next"`) with
/// their pages, which sort right after it since no stem holds a space; among themselves as
/// their second stems do (`rank`). Entries are made in two buffers used again and again:
/// there are millions of pairs.
fn for_each_term(index: &Index, average: f64, stems: &[u32], rank: &[u32], entry: &mut dyn FnMut(&str, &str)) {
    let (mut key, mut value, mut codes) = (String::new(), String::new(), Vec::new());
    let mut slots = vec![0; index.words.stems.len()];
    for &s in stems {
        let stem = index.words.stems.get(s as usize).map_or("", String::as_str);
        let postings = &index.stems[s as usize];
        codes.clear();
        let (mut numbers, mut page) = (code::Reader::new(&postings.code), None::<u32>);
        while let (Some(delta), Some(v)) = (numbers.next(), numbers.next()) {
            let p = page.map_or(delta, |l| l + delta + 1);
            let length = index.lengths.get(p as usize).copied().unwrap_or(0);
            code::push(&mut codes, code::pack(delta, impact(v, length, average)));
            page = Some(p);
        }
        value.clear();
        json_string(&mut value, stem);
        value.push_str(&format!(":[{},\"", idf(index.pages.len(), postings.len)));
        value.push_str(ascii(&codes));
        value.push_str("\"]");
        entry(stem, &value);
        let Some(next) = index.next.get(s as usize) else { continue };
        let mut pairs = next.pairs_with(&mut slots);
        pairs.sort_unstable_by_key(|(second, _)| rank.get(*second as usize).copied().unwrap_or(u32::MAX));
        for (second, pages) in pairs {
            key.clear();
            key.push_str(stem);
            key.push(' ');
            key.push_str(index.words.stems.get(second as usize).map_or("", String::as_str));
            codes.clear();
            let mut last = None::<u32>;
            for p in pages {
                code::push(&mut codes, last.map_or(p, |l| p - l - 1));
                last = Some(p);
            }
            value.clear();
            json_string(&mut value, &key);
            value.push_str(":\"");
            value.push_str(ascii(&codes));
            value.push('"');
            entry(&key, &value);
        }
    }
}

/// How much a page's posting weighs (1–31): 12 for the title, 8 for a heading, 4 for the
/// details, and up to 7 for the body, saturating with the count and shrinking with the
/// body's length against the average (as BM25 does, k1 = 1.2, b = 0.75).
pub fn impact(value: u32, length: u32, average: f64) -> u32 {
    let fields = value & ((1 << FIELD_BITS) - 1);
    let count = f64::from(value >> FIELD_BITS);
    let norm = 1.2 * (0.25 + 0.75 * f64::from(length) / average.max(1.0));
    let body = if count > 0.0 { (7.0 * count / (count + norm)).round() as u32 } else { 0 };
    let fixed = [(TITLE, 12), (HEADING, 8), (DETAILS, 4)].iter().filter(|(f, _)| fields & f != 0).map(|(_, w)| w);
    (fixed.sum::<u32>() + body).clamp(1, 31)
}

/// The weight of a term in `df` of `n` pages: rarer terms count more (BM25's idf, ×10).
pub fn idf(n: usize, df: u32) -> u32 {
    let (n, df) = (n as f64, f64::from(df));
    1 + (10.0 * (1.0 + (n - df + 0.5) / (df + 0.5)).ln()).round().max(0.0) as u32
}

fn ascii(code: &[u8]) -> &str {
    std::str::from_utf8(code).unwrap_or_default()
}

fn file_path(kind: &str, n: usize) -> String {
    format!("{}/{}/{n}.js", super::DIR, &kind[..1])
}

/// Index files of one kind being filled in key order: `planboekSearch.<kind>(n, …)` with
/// an array of words or an object of terms, closed at about `cap` bytes.
struct Files {
    kind: &'static str,
    cap: usize,
    keys: Vec<String>,
    text: String,
}

impl Files {
    fn new(kind: &'static str, cap: usize) -> Files {
        Files { kind, cap, keys: Vec::new(), text: String::new() }
    }

    fn add(&mut self, key: &str, value: &str, emit: &mut dyn FnMut(String, String)) {
        if self.text.is_empty() {
            self.keys.push(key.to_string());
            let open = if self.kind == "words" { "[" } else { "{" };
            self.text = format!("planboekSearch.{}({},{open}", self.kind, self.keys.len() - 1);
        } else {
            self.text.push(',');
        }
        self.text.push_str(value);
        if self.text.len() >= self.cap {
            self.close(emit);
        }
    }

    fn close(&mut self, emit: &mut dyn FnMut(String, String)) {
        self.text.push_str(if self.kind == "words" { "]);\n" } else { "});\n" });
        emit(file_path(self.kind, self.keys.len() - 1), std::mem::take(&mut self.text));
    }

    /// Closes the last file; returns the first key of each (at least one file, so that
    /// every key has one).
    fn finish(mut self, emit: &mut dyn FnMut(String, String)) -> Vec<String> {
        if self.keys.is_empty() {
            self.add("", "", emit);
        }
        if !self.text.is_empty() {
            self.close(emit);
        }
        self.keys
    }
}

/// `meta.js`.
fn meta(index: &Index, layout: &Layout) -> String {
    let status: String = index
        .pages
        .chunks(3)
        .map(|c| {
            let v = c.iter().enumerate().fold(0u8, |v, (i, p)| v | (p.status & 3) << (2 * i));
            char::from(ALPHABET[usize::from(v)])
        })
        .collect();
    let titles: Vec<&str> = index.plans.iter().map(|(_, title)| title.as_str()).collect();
    let plans: Vec<serde_json::Value> = front_coded(&titles)
        .into_iter()
        .zip(&index.plans)
        .map(|((shared, rest), (start, _))| serde_json::json!([shared, rest, start]))
        .collect();
    let keys = |keys: &[String]| -> Vec<serde_json::Value> {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        front_coded(&keys).into_iter().map(|(shared, rest)| serde_json::json!([shared, rest])).collect()
    };
    let data = serde_json::json!({
        "version": 4,
        "pages": index.pages.len(),
        "words": keys(&layout.word_keys),
        "terms": keys(&layout.term_keys),
        "docPages": super::DOC_FILE_PAGES,
        "docFolder": super::DOC_FOLDER_FILES,
        "status": status,
        "plans": plans,
    });
    format!("planboekSearch.meta({data});\n")
}

/// Each string as (how many UTF-16 code units it shares with the one before, the rest): the
/// sorted keys and the plan titles of `meta.js` mostly repeat their neighbour's start.
fn front_coded<'s>(list: &[&'s str]) -> Vec<(usize, &'s str)> {
    let mut out = Vec::with_capacity(list.len());
    let mut prev = "";
    for &s in list {
        let bytes: usize = prev.chars().zip(s.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a.len_utf8()).sum();
        out.push((s[..bytes].encode_utf16().count(), &s[bytes..]));
        prev = s;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_headings_outweigh_any_body() {
        let body_max = impact(MAX << FIELD_BITS, 10, 100.0);
        assert_eq!(body_max, 7);
        assert!(impact(HEADING, 500, 100.0) > body_max);
        assert!(impact(TITLE, 500, 100.0) > impact(HEADING, 500, 100.0));
        assert_eq!(impact(TITLE | HEADING | DETAILS | (MAX << FIELD_BITS), 1, 100.0), 31);
        assert_eq!(impact(1 << FIELD_BITS, 100_000, 10.0), 1, "never zero");
        assert!(impact(5 << FIELD_BITS, 100, 100.0) > impact(1 << FIELD_BITS, 100, 100.0));
        assert!(impact(2 << FIELD_BITS, 50, 100.0) > impact(2 << FIELD_BITS, 400, 100.0), "long bodies weigh less");
    }

    const MAX: u32 = super::super::sums::MAX_BODY_COUNT;

    #[test]
    fn rare_terms_weigh_more() {
        assert!(idf(16_000, 1) > idf(16_000, 100));
        assert!(idf(16_000, 100) > idf(16_000, 16_000));
        assert_eq!(idf(16_000, 16_000), 1);
        assert_eq!(idf(1, 1), 1 + (10.0 * (1.0f64 + 0.5 / 1.5).ln()).round() as u32);
    }

    #[test]
    fn meta_lists_share_their_neighbours_start() {
        let list = ["plan Noord", "plan Zuid", "pla\u{1d400}n", "pla\u{1d400}x", ""];
        let coded = front_coded(&list);
        assert_eq!(coded, [(0, "plan Noord"), (5, "Zuid"), (3, "\u{1d400}n"), (5, "x"), (0, "")]);
    }

    #[test]
    fn keys_sort_as_javascript_sorts_strings() {
        assert_eq!(key_order("a", "a b"), Ordering::Less);
        assert_eq!(key_order("a b", "aa"), Ordering::Less);
        // U+FF21 sorts after U+1D400 in UTF-8 but before it in UTF-16.
        assert_eq!(key_order("\u{ff21}", "\u{1d400}"), Ordering::Greater);
    }
}
