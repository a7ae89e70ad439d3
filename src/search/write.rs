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

/// A word or term file is closed once it holds this many bytes.
pub const WORD_FILE_BYTES: usize = 16_000;
pub const TERM_FILE_BYTES: usize = 32_000;

/// The index files: (path under the output root, text).
pub fn files(index: &Index) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let words = word_entries(index);
    let terms = term_entries(index);
    let word_keys = split("words", &words, WORD_FILE_BYTES, &mut out);
    let term_keys = split("terms", &terms, TERM_FILE_BYTES, &mut out);
    out.push((format!("{}/meta.js", super::DIR), meta(index, &word_keys, &term_keys)));
    out
}

/// Keys compare as JavaScript compares strings: by UTF-16 code units.
pub fn key_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// `(word, [word, stem, pages])`, in key order.
fn word_entries(index: &Index) -> Vec<(String, String)> {
    let mut words: Vec<(&String, &u32)> = index.words.words.iter().collect();
    words.sort_by(|a, b| key_order(a.0, b.0));
    words
        .into_iter()
        .filter_map(|(word, &stem)| {
            let df = index.stems.get(stem as usize)?.len;
            let stem = &index.words.stems[stem as usize];
            (df > 0).then(|| (word.clone(), serde_json::json!([word, stem, df]).to_string()))
        })
        .collect()
}

/// `(key, "key":value)`: stems with `[idf, pages]`, pairs with their pages, in key order.
fn term_entries(index: &Index) -> Vec<(String, String)> {
    let n = index.pages.len();
    let average = index.lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / n.max(1) as f64;
    let mut out: Vec<(String, String)> = Vec::with_capacity(index.stems.len() + index.pairs.len());
    for (stem, postings) in index.words.stems.iter().zip(&index.stems) {
        if postings.len == 0 {
            continue;
        }
        let mut code = Vec::with_capacity(postings.code.len());
        let mut weighed = Postings::default();
        for (page, values) in postings.entries(1) {
            let length = index.lengths.get(page as usize).copied().unwrap_or(0);
            weighed.push(page, &[impact(values[0], length, average)]);
        }
        code.extend_from_slice(&weighed.code);
        let value = format!("[{},\"{}\"]", idf(n, postings.len), ascii(&code));
        out.push((stem.clone(), value));
    }
    for (&pair, postings) in &index.pairs {
        let (first, second) = ((pair >> 32) as usize, (pair & 0xffff_ffff) as usize);
        let key = format!("{} {}", index.words.stems[first], index.words.stems[second]);
        out.push((key, format!("\"{}\"", ascii(&postings.code))));
    }
    out.sort_by(|a, b| key_order(&a.0, &b.0));
    out.into_iter().map(|(k, v)| (k.clone(), format!("{}:{v}", json_string(&k)))).collect()
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

/// Cuts `entries` into files of about `cap` bytes under `_search/<kind initial>/`;
/// returns the first key of each file.
fn split(kind: &str, entries: &[(String, String)], cap: usize, out: &mut Vec<(String, String)>) -> Vec<String> {
    let (open, sep, close) = if kind == "words" { ("[", ",", "]") } else { ("{", ",", "}") };
    let dir = &kind[..1];
    let mut keys = Vec::new();
    let mut text = String::new();
    for (key, value) in entries {
        if text.is_empty() {
            keys.push(key.clone());
            text = format!("planboekSearch.{kind}({},{open}", keys.len() - 1);
        } else {
            text.push_str(sep);
        }
        text.push_str(value);
        if text.len() >= cap {
            text.push_str(close);
            text.push_str(");\n");
            out.push((format!("{}/{dir}/{}.js", super::DIR, keys.len() - 1), std::mem::take(&mut text)));
        }
    }
    if !text.is_empty() {
        text.push_str(close);
        text.push_str(");\n");
        out.push((format!("{}/{dir}/{}.js", super::DIR, keys.len() - 1), text));
    }
    keys
}

/// `meta.js`.
fn meta(index: &Index, word_keys: &[String], term_keys: &[String]) -> String {
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
        "words": word_keys,
        "terms": term_keys,
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
