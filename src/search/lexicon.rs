//! Every folded word a build has seen, numbered, with its stem: shared by the threads that
//! analyse pages, and kept with the index so that a later build can patch it (`snapshot`).

use super::fxhash::FxHashMap;
use super::words::{fold, DutchStemmer};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The words and stems, numbered in the order they were first seen.
#[derive(Default, Debug)]
pub struct Words {
    /// Folded word → its number (a place in `word_stems`).
    pub words: FxHashMap<String, u32>,
    /// By word number: the word's stem number.
    pub word_stems: Vec<u32>,
    pub stems: Vec<String>,
    stem_ids: FxHashMap<String, u32>,
}

impl Words {
    /// The words and stems as a snapshot kept them: by number (a stem left empty and a word
    /// not listed are no longer in use, and are not found).
    pub fn from_parts(words: FxHashMap<String, u32>, word_stems: Vec<u32>, stems: Vec<String>) -> Words {
        let stem_ids = stems.iter().enumerate().filter(|(_, s)| !s.is_empty()).map(|(i, s)| (s.clone(), i as u32));
        let stem_ids = stem_ids.collect();
        Words { words, word_stems, stems, stem_ids }
    }

    /// Forgets the words `keep` refuses, and the stems no word kept has (their text is
    /// emptied; their numbers stay, unused): nothing of a page no longer in the index stays.
    pub fn retain(&mut self, keep: impl Fn(u32) -> bool) {
        self.words.retain(|_, id| keep(*id));
        let mut used = vec![false; self.stems.len()];
        for &id in self.words.values() {
            if let Some(used) = self.word_stems.get(id as usize).and_then(|&stem| used.get_mut(stem as usize)) {
                *used = true;
            }
        }
        for (stem, used) in self.stems.iter_mut().zip(used) {
            if !used {
                self.stem_ids.remove(stem.as_str());
                stem.clear();
            }
        }
    }

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

/// `Words` behind a lock, with the stemmer: what the threads that analyse pages share.
pub struct Lexicon {
    /// Tells the threads' tables of one lexicon from another's.
    pub(super) id: u64,
    inner: Mutex<Words>,
    stemmer: DutchStemmer,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::with_words(Words::default())
    }
}

static LEXICONS: AtomicU64 = AtomicU64::new(1);

impl Lexicon {
    /// The stem number and word number of a word as written (`Jongeren`).
    pub(super) fn stem_of(&self, word: &str) -> (u32, u32) {
        let folded = fold(word);
        let mut words = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&id) = words.words.get(&folded) {
            return (words.word_stems[id as usize], id);
        }
        let stem = words.stem_id(self.stemmer.stem(&folded));
        let id = words.word_stems.len() as u32;
        words.word_stems.push(stem);
        words.words.insert(folded, id);
        (stem, id)
    }

    /// A lexicon that goes on from `words` (a page rebuild in `serve`, a patched index).
    pub fn with_words(words: Words) -> Lexicon {
        let id = LEXICONS.fetch_add(1, Ordering::Relaxed);
        Lexicon { id, inner: Mutex::new(words), stemmer: DutchStemmer::default() }
    }

    pub fn into_words(self) -> Words {
        self.inner.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
