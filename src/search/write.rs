//! The index as files under `_search/`, each a classic script that hands its data to
//! `window.planboekSearch` (so it loads from file:// and under `script-src 'self'`):
//!
//! - `meta.js`: the page count, the first key of every word and term file, where each
//!   document file starts, every page's status (three to a letter) and the plans.
//! - `w/<n>.js`: folded words in order, each with its stem and how many pages hold it.
//! - `t/<n>.js`: stems with their weight (idf) and pages with impacts, and word pairs
//!   (`"stem next"`) with their pages, by key.
//! - `d/<n>.js`: the documents of consecutive pages (written while the pages render).

use super::analyze::{DETAILS, FIELD_BITS, HEADING, TITLE};
use super::code::{self, Postings, ALPHABET};
use super::index::Index;
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// A word or term file is closed once it holds this many bytes.
pub const WORD_FILE_BYTES: usize = 16_000;
pub const TERM_FILE_BYTES: usize = 32_000;

/// Writes the index files through `emit(path under the output root, text)`, one at a time,
/// and keeps in `index` where each file starts, for `rewrite`.
pub fn write(index: &mut Index, emit: &mut dyn FnMut(String, String)) {
    let n = index.pages.len();
    let average = index.lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / n.max(1) as f64;
    index.average = average;
    let words = word_keys(index, |_| true);
    index.word_keys = split("words", &words, WORD_FILE_BYTES, &|e| word_value(index, e), emit);
    let terms = term_keys(index, |_| true);
    index.term_keys = split("terms", &terms, TERM_FILE_BYTES, &|e| term_value(index, e), emit);
    emit(format!("{}/meta.js", super::DIR), meta(index));
}

/// The term and word files that hold any of `terms` or `words` (after a page changed), as
/// (path, text), keeping the file boundaries of the last `write`.
pub fn rewrite(index: &Index, terms: &[Term], words: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let term_files: BTreeSet<usize> = terms.iter().map(|t| file_of(&index.term_keys, &term_key(index, *t))).collect();
    for k in term_files {
        let keys = term_keys(index, |key| file_of(&index.term_keys, key) == k);
        out.push((file_path("terms", k), file_text("terms", k, &keys, &|e| term_value(index, e))));
    }
    let word_files: BTreeSet<usize> = words.iter().map(|w| file_of(&index.word_keys, w)).collect();
    for k in word_files {
        let keys = word_keys(index, |key| file_of(&index.word_keys, key) == k);
        out.push((file_path("words", k), file_text("words", k, &keys, &|e| word_value(index, e))));
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

/// An entry of a term file: a stem, or a pair of stems (`first << 32 | second`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Term {
    Stem(u32),
    Pair(u64),
}

fn term_key(index: &Index, term: Term) -> String {
    let stem = |id: u64| index.words.stems.get(id as usize).map_or("", String::as_str);
    match term {
        Term::Stem(id) => stem(u64::from(id)).to_string(),
        Term::Pair(pair) => format!("{} {}", stem(pair >> 32), stem(pair & 0xffff_ffff)),
    }
}

/// The folded words that `keep`s, with a stem on some page, in key order.
fn word_keys(index: &Index, keep: impl Fn(&str) -> bool) -> Vec<(String, u32)> {
    let mut words: Vec<(String, u32)> = index
        .words
        .words
        .iter()
        .filter(|(w, &stem)| index.stems.get(stem as usize).is_some_and(|p| p.len > 0) && keep(w))
        .map(|(w, &stem)| (w.clone(), stem))
        .collect();
    words.sort_by(|a, b| key_order(&a.0, &b.0));
    words
}

/// `[word, stem, pages]`.
fn word_value(index: &Index, (word, stem): &(String, u32)) -> String {
    let df = index.stems.get(*stem as usize).map_or(0, |p| p.len);
    serde_json::json!([word, index.words.stems[*stem as usize], df]).to_string()
}

/// The stems and pairs whose key `keep`s, in key order.
fn term_keys(index: &Index, keep: impl Fn(&str) -> bool) -> Vec<(String, Term)> {
    let stems = (0..index.stems.len() as u32).filter(|&s| index.stems[s as usize].len > 0).map(Term::Stem);
    let mut out: Vec<(String, Term)> = stems
        .chain(index.pairs.keys().map(|&p| Term::Pair(p)))
        .map(|t| (term_key(index, t), t))
        .filter(|(k, _)| keep(k))
        .collect();
    out.sort_by(|a, b| key_order(&a.0, &b.0));
    out
}

/// `"key":[idf, pages with impacts]` for a stem, `"key":"pages"` for a pair.
fn term_value(index: &Index, (key, term): &(String, Term)) -> String {
    let value = match *term {
        Term::Stem(id) => {
            let postings = &index.stems[id as usize];
            let mut weighed = Postings::default();
            for (page, values) in postings.entries(1) {
                let length = index.lengths.get(page as usize).copied().unwrap_or(0);
                weighed.push(page, &[impact(values[0], length, index.average)]);
            }
            format!("[{},\"{}\"]", idf(index.pages.len(), postings.len), ascii(&weighed.code))
        }
        Term::Pair(pair) => format!("\"{}\"", index.pairs.get(&pair).map_or("", |p| ascii(&p.code))),
    };
    format!("{}:{value}", json_string(key))
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

fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn file_path(kind: &str, n: usize) -> String {
    format!("{}/{}/{n}.js", super::DIR, &kind[..1])
}

/// `planboekSearch.<kind>(n, …)` with the values of `entries`: an array of words, an
/// object of terms.
fn file_text<E>(kind: &str, n: usize, entries: &[E], value: &dyn Fn(&E) -> String) -> String {
    let (open, close) = if kind == "words" { ("[", "]") } else { ("{", "}") };
    let mut text = format!("planboekSearch.{kind}({n},{open}");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&value(e));
    }
    text.push_str(close);
    text.push_str(");\n");
    text
}

/// Cuts `entries` (in key order) into files of about `cap` bytes, handed to `emit`;
/// returns the first key of each file (at least one file, so that every key has one).
fn split<E>(
    kind: &str,
    entries: &[(String, E)],
    cap: usize,
    value: &dyn Fn(&(String, E)) -> String,
    emit: &mut dyn FnMut(String, String),
) -> Vec<String> {
    let (open, close) = if kind == "words" { ("[", "]);\n") } else { ("{", "});\n") };
    let mut keys: Vec<String> = Vec::new();
    let mut text = String::new();
    for (i, e) in entries.iter().enumerate() {
        if text.is_empty() {
            keys.push(e.0.clone());
            text = format!("planboekSearch.{kind}({},{open}", keys.len() - 1);
        } else {
            text.push(',');
        }
        text.push_str(&value(e));
        if text.len() >= cap || i + 1 == entries.len() {
            text.push_str(close);
            emit(file_path(kind, keys.len() - 1), std::mem::take(&mut text));
        }
    }
    if keys.is_empty() {
        keys.push(String::new());
        emit(file_path(kind, 0), file_text::<(String, E)>(kind, 0, &[], value));
    }
    keys
}

/// `meta.js`.
fn meta(index: &Index) -> String {
    let mut starts = String::new();
    let mut last = 0;
    for &s in &index.doc_starts {
        code::push_str(&mut starts, s - last);
        last = s;
    }
    let status: String = index
        .pages
        .chunks(3)
        .map(|c| {
            let v = c.iter().enumerate().fold(0u8, |v, (i, p)| v | (p.status & 3) << (2 * i));
            char::from(ALPHABET[usize::from(v)])
        })
        .collect();
    let plans: Vec<serde_json::Value> =
        index.plans.iter().map(|(start, title)| serde_json::json!([title, start])).collect();
    let data = serde_json::json!({
        "version": 1,
        "pages": index.pages.len(),
        "words": index.word_keys,
        "terms": index.term_keys,
        "docs": starts,
        "status": status,
        "plans": plans,
    });
    format!("planboekSearch.meta({data});\n")
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

    const MAX: u32 = super::super::analyze::MAX_BODY_COUNT;

    #[test]
    fn rare_terms_weigh_more() {
        assert!(idf(16_000, 1) > idf(16_000, 100));
        assert!(idf(16_000, 100) > idf(16_000, 16_000));
        assert_eq!(idf(16_000, 16_000), 1);
        assert_eq!(idf(1, 1), 1 + (10.0 * (1.0f64 + 0.5 / 1.5).ln()).round() as u32);
    }

    #[test]
    fn keys_sort_as_javascript_sorts_strings() {
        assert_eq!(key_order("a", "a b"), Ordering::Less);
        assert_eq!(key_order("a b", "aa"), Ordering::Less);
        // U+FF21 sorts after U+1D400 in UTF-8 but before it in UTF-16.
        assert_eq!(key_order("\u{ff21}", "\u{1d400}"), Ordering::Greater);
    }
}
