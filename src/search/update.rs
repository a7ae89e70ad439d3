//! A page saved in `serve`: its entries in the index replaced, and only the files that hold
//! them written again (the term and word files of its terms, and its document file), so that
//! search in the preview finds what was just written.

use super::analyze::{analyze, PageSource};
use super::code::Postings;
use super::lexicon::Lexicon;
use super::lists::{group_pairs, Index};
use super::next::Next;
use super::write::rewrite;
use std::collections::BTreeSet;

impl Index {
    /// Replaces page `number` with `page`; returns the files to write again (path under the
    /// output root, text). `read` gives the text of an index file as written before.
    pub fn update_page(
        &mut self,
        number: u32,
        page: &PageSource,
        read: &dyn Fn(&str) -> Option<String>,
    ) -> Vec<(String, String)> {
        if number as usize >= self.pages.len() {
            return Vec::new();
        }
        let known: usize = self.words.words.len();
        let lexicon = Lexicon::with_words(std::mem::take(&mut self.words));
        let terms = analyze(number, page, &lexicon, None);
        self.words = lexicon.into_words();
        let mut touched: BTreeSet<u32> = BTreeSet::new();
        self.remove_page(number, &mut touched);
        for &(stem, value) in &terms.terms {
            if self.stems.len() <= stem as usize {
                self.stems.resize_with(stem as usize + 1, Postings::default);
            }
            insert(&mut self.stems[stem as usize], number, vec![value]);
            touched.insert(stem);
        }
        for (first, followers) in group_pairs(&terms.pairs) {
            if self.next.len() <= first as usize {
                self.next.resize_with(first as usize + 1, Next::default);
            }
            let mut groups = self.next[first as usize].groups();
            let at = groups.partition_point(|g| g.0 < number);
            groups.insert(at, (number, followers));
            self.next[first as usize] = Next::from_groups(&groups);
            touched.insert(first);
        }
        self.lengths[number as usize] = terms.length;
        if let Some(forward) = &mut self.forward {
            forward.set(number, &terms);
        }
        let stem_of = |id: u32| self.words.word_stems.get(id as usize);
        let words: Vec<String> = (self.words.words.iter())
            .filter(|(_, &id)| stem_of(id).is_some_and(|s| touched.contains(s)))
            .map(|(w, _)| w.clone())
            .collect();
        debug_assert!(self.words.words.len() >= known);
        let mut files = rewrite(self, &touched, &words);
        files.extend(self.doc_file(number, &terms.doc, read));
        files
    }

    /// Takes page `number` out of every list that holds it, adding those lists to `touched`.
    /// With the forward lists that is only the page's own; without, every list is looked at.
    fn remove_page(&mut self, number: u32, touched: &mut BTreeSet<u32>) {
        let (stems, firsts): (Vec<u32>, Vec<u32>) = match &mut self.forward {
            Some(f) if (number as usize) < f.stems.len() => {
                (std::mem::take(&mut f.stems[number as usize]), std::mem::take(&mut f.firsts[number as usize]))
            }
            _ => ((0..self.stems.len() as u32).collect(), (0..self.next.len() as u32).collect()),
        };
        for id in stems {
            if self.stems.get_mut(id as usize).is_some_and(|postings| remove(postings, number, 1)) {
                touched.insert(id);
            }
        }
        for id in firsts {
            let Some(next) = self.next.get_mut(id as usize) else { continue };
            let groups = next.groups();
            if groups.iter().any(|g| g.0 == number) {
                let kept: Vec<(u32, Vec<u32>)> = groups.into_iter().filter(|g| g.0 != number).collect();
                *next = Next::from_groups(&kept);
                touched.insert(id);
            }
        }
    }

    /// The document file of page `number` with its document replaced by `doc`.
    fn doc_file(&self, number: u32, doc: &str, read: &dyn Fn(&str) -> Option<String>) -> Option<(String, String)> {
        let file = number / super::DOC_FILE_PAGES;
        let path = super::doc_path(file);
        let text = read(&path)?;
        let args: serde_json::Value =
            serde_json::from_str(&format!("[{}]", text.get(text.find('(')? + 1..text.rfind(')')?)?)).ok()?;
        let new: serde_json::Value = serde_json::from_str(doc).ok()?;
        let docs: Vec<serde_json::Value> = args
            .get(1)?
            .as_array()?
            .iter()
            .map(|d| if d[0].as_u64() == Some(u64::from(number)) { new.clone() } else { d.clone() })
            .collect();
        let list = serde_json::Value::Array(docs).to_string();
        Some((path, format!("planboekSearch.docs({file},{list});\n")))
    }
}

/// Removes `page` from a list; whether it was there.
fn remove(postings: &mut Postings, page: u32, width: usize) -> bool {
    let entries = postings.entries(width);
    if entries.binary_search_by_key(&page, |e| e.0).is_err() {
        return false;
    }
    let kept: Vec<(u32, Vec<u32>)> = entries.into_iter().filter(|e| e.0 != page).collect();
    *postings = Postings::from_entries(&kept);
    true
}

/// Puts `page` into a list in its place.
fn insert(postings: &mut Postings, page: u32, values: Vec<u32>) {
    let mut entries = postings.entries(values.len());
    let at = entries.partition_point(|e| e.0 < page);
    entries.insert(at, (page, values));
    *postings = Postings::from_entries(&entries);
}
