//! The reference query: what `search-core.js` does in the browser, in Rust, on the index
//! files as written. The node test runs both on the same index and compares the results.

use super::code;
use super::words::{fold, is_word_char, pieces, DutchStemmer};
use super::write::key_order;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A prefix is expanded only from this many characters on.
pub const MIN_PREFIX: usize = 3;
/// A prefix stands for at most this many stems (the most frequent), besides its own.
pub const MAX_EXPANSIONS: usize = 5;
/// Words of a query after this many are ignored.
pub const MAX_TERMS: usize = 10;

/// One part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A word; `prefix` when it is the last and the query does not end after it.
    Word { folded: String, stem: String, prefix: bool },
    /// Quoted words, matched in this order.
    Phrase { stems: Vec<String> },
}

/// The terms of a query: quoted phrases, and words outside them; an unclosed quote counts
/// as not written. The last word is a prefix when nothing follows it.
pub fn parse(query: &str, stemmer: &DutchStemmer) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    let parts: Vec<&str> = query.split('"').collect();
    for (i, part) in parts.iter().enumerate() {
        let folded: Vec<String> =
            pieces(part).iter().filter(|p| p.word).map(|p| fold(p.text)).filter(|w| !w.is_empty()).collect();
        if i % 2 == 1 && i + 1 < parts.len() && folded.len() > 1 {
            terms.push(Term::Phrase { stems: folded.iter().map(|w| stemmer.stem(w)).collect() });
        } else {
            terms.extend(folded.into_iter().map(|w| Term::Word { stem: stemmer.stem(&w), folded: w, prefix: false }));
        }
    }
    let open_end = query.chars().last().is_some_and(is_word_char);
    if let (true, Some(Term::Word { prefix, .. })) = (open_end, terms.last_mut()) {
        *prefix = true;
    }
    let mut unique: Vec<Term> = Vec::new();
    for t in terms {
        if !unique.contains(&t) {
            unique.push(t);
        }
    }
    unique.truncate(MAX_TERMS);
    unique
}

/// The index files of one build, read whole.
pub struct IndexFiles {
    pub pages: u32,
    /// Folded word → (stem, pages holding it).
    words: BTreeMap<String, (String, u32)>,
    /// Stem → (idf, pages with impacts).
    stems: HashMap<String, (u32, Vec<(u32, u32)>)>,
    /// `"stem next"` → pages.
    pairs: HashMap<String, Vec<u32>>,
    /// Status of each page.
    pub status: Vec<u8>,
    /// First page of each plan.
    plan_starts: Vec<u32>,
}

/// Narrows results to one plan and/or one status.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub plan: Option<u32>,
    pub status: Option<u8>,
}

/// The arguments of a file's `planboekSearch.<call>(...)`.
fn call_args(text: &str) -> Option<Value> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    serde_json::from_str(&format!("[{}]", &text[open + 1..close])).ok()
}

impl IndexFiles {
    /// Reads `<root>/_search/`.
    pub fn read(root: &Path) -> Option<IndexFiles> {
        let dir = root.join(super::DIR);
        let meta = call_args(&std::fs::read_to_string(dir.join("meta.js")).ok()?)?;
        let meta = meta.get(0)?;
        let mut files = IndexFiles {
            pages: meta["pages"].as_u64()? as u32,
            words: BTreeMap::new(),
            stems: HashMap::new(),
            pairs: HashMap::new(),
            status: Vec::new(),
            plan_starts: meta["plans"].as_array()?.iter().filter_map(|p| p[2].as_u64()).map(|p| p as u32).collect(),
        };
        for letter in meta["status"].as_str()?.bytes() {
            let v = code::ALPHABET.iter().position(|&a| a == letter)? as u8;
            files.status.extend([v & 3, v >> 2 & 3, v >> 4 & 3]);
        }
        files.status.truncate(files.pages as usize);
        for n in 0..meta["words"].as_array()?.len() {
            let args = call_args(&std::fs::read_to_string(dir.join(format!("w/{n}.js"))).ok()?)?;
            for w in args.get(1)?.as_array()? {
                let stem = w[1].as_str()?.to_string();
                files.words.insert(w[0].as_str()?.to_string(), (stem, w[2].as_u64()? as u32));
            }
        }
        for n in 0..meta["terms"].as_array()?.len() {
            let args = call_args(&std::fs::read_to_string(dir.join(format!("t/{n}.js"))).ok()?)?;
            for (key, value) in args.get(1)?.as_object()? {
                if let Some(pages) = value.as_str() {
                    let pages = code::decode(pages.as_bytes(), 0).into_iter().map(|(p, _)| p).collect();
                    files.pairs.insert(key.clone(), pages);
                } else {
                    let postings = code::unpack(value[1].as_str()?.as_bytes());
                    files.stems.insert(key.clone(), (value[0].as_u64()? as u32, postings));
                }
            }
        }
        Some(files)
    }

    /// The plan of `page`.
    pub fn plan_of(&self, page: u32) -> u32 {
        self.plan_starts.partition_point(|&s| s <= page).saturating_sub(1) as u32
    }

    /// The stems a word term stands for: its own, and for a prefix the most frequent stems
    /// of the words it begins.
    pub fn stems_of(&self, folded: &str, stem: &str, prefix: bool) -> Vec<String> {
        let mut out = vec![stem.to_string()];
        if prefix && folded.chars().count() >= MIN_PREFIX {
            let mut found: Vec<(&String, u32)> = self
                .words
                .range(folded.to_string()..)
                .take_while(|(w, _)| w.starts_with(folded))
                .map(|(_, (s, df))| (s, *df))
                .collect();
            found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| key_order(a.0, b.0)));
            for (s, _) in found {
                if !out.contains(s) && out.len() <= MAX_EXPANSIONS {
                    out.push(s.clone());
                }
            }
        }
        out
    }

    /// Every page matching all `terms`, best first (score, then reading order), filtered.
    pub fn search(&self, terms: &[Term], filter: Filter) -> Vec<(u32, u32)> {
        if terms.is_empty() {
            return Vec::new();
        }
        let mut total: Option<HashMap<u32, u32>> = None;
        for term in terms {
            let scores = self.term_scores(term);
            total = Some(match total {
                None => scores,
                Some(t) => t.into_iter().filter_map(|(p, s)| Some((p, s + scores.get(&p)?))).collect(),
            });
        }
        let mut hits: Vec<(u32, u32)> = total
            .unwrap_or_default()
            .into_iter()
            .filter(|&(p, _)| filter.plan.map_or(true, |plan| self.plan_of(p) == plan))
            .filter(|&(p, _)| filter.status.map_or(true, |s| self.status.get(p as usize) == Some(&s)))
            .collect();
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        hits
    }

    /// Page → score of one term.
    fn term_scores(&self, term: &Term) -> HashMap<u32, u32> {
        let mut out: HashMap<u32, u32> = HashMap::new();
        match term {
            Term::Word { folded, stem, prefix } => {
                for s in self.stems_of(folded, stem, *prefix) {
                    let Some((idf, postings)) = self.stems.get(&s) else { continue };
                    for &(page, impact) in postings {
                        let score = out.entry(page).or_insert(0);
                        *score = (*score).max(idf * impact);
                    }
                }
            }
            Term::Phrase { stems } => {
                let mut pages: Option<Vec<u32>> = None;
                for w in stems.windows(2) {
                    let list = self.pairs.get(&format!("{} {}", w[0], w[1])).cloned().unwrap_or_default();
                    pages = Some(match pages {
                        None => list,
                        Some(p) => p.into_iter().filter(|x| list.binary_search(x).is_ok()).collect(),
                    });
                }
                for page in pages.unwrap_or_default() {
                    let mut sum = 0;
                    for s in stems {
                        let Some((idf, postings)) = self.stems.get(s) else { continue };
                        if let Ok(i) = postings.binary_search_by_key(&page, |&(p, _)| p) {
                            sum += idf * postings[i].1;
                        }
                    }
                    out.insert(page, sum);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_split_into_words_phrases_and_a_prefix() {
        let s = DutchStemmer::default();
        let w = |word: &str, prefix| Term::Word { folded: word.into(), stem: s.stem(word), prefix };
        assert_eq!(s.stem("jongeren"), "jonger");
        assert_eq!(parse("Jongeren straatro", &s), [w("jongeren", false), w("straatro", true)]);
        assert_eq!(parse("jongeren ", &s), [w("jongeren", false)]);
        let phrase = Term::Phrase { stems: vec![s.stem("openbare"), s.stem("orde")] };
        assert_eq!(parse("\"openbare orde\" Financiën", &s), [phrase, w("financien", true)]);
        assert_eq!(parse("\"openbare orde", &s), [w("openbare", false), w("orde", true)], "an open quote");
        assert_eq!(parse("\"wijk\"", &s), [w("wijk", false)]);
        assert_eq!(parse("wijk wijk", &s), [w("wijk", false), w("wijk", true)]);
        assert_eq!(parse("wijk wijk ", &s), [w("wijk", false)]);
        assert_eq!(parse("<img src=x onerror=alert(1)>", &s).len(), 6);
        assert!(parse(" ?! \"\" ", &s).is_empty());
        assert_eq!(parse(&"a b c d e f g h i j k l ".repeat(3), &s).len(), MAX_TERMS);
    }
}
