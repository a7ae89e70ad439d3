//! Plans kept from the previous output: a plan whose inputs are those the previous build
//! made it from is not rendered again. Its pages and print edition are hard-linked from the
//! previous output, its pages' search analyses read back, and what the lints need of its
//! pages (`PageFacts`) restored from a record the previous build wrote beside its output
//! (`output::PLANS_KEPT`). A page's findings can name a page left out for the audience, whose
//! output folder this is: each plan's record is sealed with its key (`util::seal`), which
//! only a build from the plan's sources can compute, and found by the key's label.
//!
//! A plan's key is a digest of everything its pages are made from: the build's settings
//! (`fingerprint::settings_digest`: audience, date, mode, drafts, planboek.toml and the
//! theme as the build read them, the planboek that builds), the plan's whole model (every file's bytes by digest, its
//! front matter as read, its sections' order and titles), its position among the plans, its
//! pages' paths and classifications, and the link index, which is all a page sees of the
//! other plans. A build into a folder whose own files may not be trusted (inside the
//! repository) and `check` keep nothing. A version is built beside its predecessor's cache
//! entry and takes its plans from there; its key then holds what the pages show of the
//! version's history, and the print edition, which names the version, is made anew around
//! the texts of its predecessor's (read back and checked against its digest).

use super::fingerprint::{settings_digest, Request};
use super::{Page, Prepared, Settings};
use crate::diag::stored::{self, Stored};
use crate::lint::PageFacts;
use crate::markdown::{AnchorRef, Heading, LinkIndex};
use crate::output::{FileEntry, Staging, PLANS_KEPT};
use crate::render::{Theme, VersionInfo};
use crate::search::Key;
use crate::util::seal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{BufReader, Read};
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

/// The record's first line; a record of any other format is not read. Then, for each plan:
/// its key's label (32 bytes), the length of its sealed JSON (4 bytes, little-endian) and
/// that JSON.
const FORMAT: &str = "planboek-plans 3\n";

/// A plan's record longer than this is not read (the 1,000-plan corpus writes about 20 KB a
/// plan).
const MAX_PLAN: u32 = 64 << 20;

/// What the build made of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRecord {
    /// Its files (pages and print edition) as the manifest lists them.
    pub files: Vec<(String, FileEntry)>,
    /// Its pages in reading order.
    pub pages: Vec<PageRecord>,
    /// The files under `content/` its pages link.
    pub assets: Vec<String>,
    /// Where the texts lie in its print edition (`render::PrintEdition::texts`): a version
    /// that takes the plan takes them from there.
    #[serde(default)]
    pub print_texts: Option<Range<usize>>,
}

/// What the lints and the search index need of a page that is not rendered again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageRecord {
    pub out: String,
    /// The key its search analysis is kept under (hex), when the build kept them.
    pub search: Option<String>,
    pub headings: Vec<Heading>,
    pub anchors: Vec<AnchorRef>,
    pub empty: bool,
    pub diagnostics: Vec<Stored>,
}

impl PlanRecord {
    /// An empty record of a plan with `pages` pages.
    pub fn new(pages: usize) -> PlanRecord {
        PlanRecord {
            files: Vec::with_capacity(pages + 1),
            pages: Vec::with_capacity(pages),
            assets: Vec::new(),
            print_texts: None,
        }
    }

    /// Adds a page with its facts, its search key, its file (path and entry) when it was
    /// written, and the files it links.
    pub fn add_page(
        &mut self,
        facts: &PageFacts,
        search: Option<&Key>,
        file: Option<(&str, FileEntry)>,
        assets: Vec<String>,
    ) {
        self.pages.push(PageRecord::new(facts, search));
        self.files.extend(file.map(|(path, entry)| (path.to_string(), entry)));
        for asset in assets {
            if !self.assets.contains(&asset) {
                self.assets.push(asset);
            }
        }
    }
}

impl PageRecord {
    pub fn new(facts: &PageFacts, search: Option<&Key>) -> PageRecord {
        PageRecord {
            out: facts.out.clone(),
            search: search.map(hex),
            headings: facts.headings.clone(),
            anchors: facts.anchors.clone(),
            empty: facts.empty,
            diagnostics: stored::store_all(&facts.diagnostics),
        }
    }

    /// The page's facts as its build found them; None when a finding names a lint this
    /// planboek does not know.
    pub fn facts(&self) -> Option<PageFacts> {
        Some(PageFacts {
            out: self.out.clone(),
            headings: self.headings.clone(),
            anchors: self.anchors.clone(),
            empty: self.empty,
            diagnostics: stored::restore(&self.diagnostics)?.0,
        })
    }

    /// The key of its search analysis.
    pub fn search_key(&self) -> Option<Key> {
        unhex(self.search.as_deref()?)
    }
}

/// A plan's record as written: its key's label and its sealed JSON.
type Sealed = ([u8; 32], Vec<u8>);

/// The previous build's records of the plans this build may keep, and this build's records
/// for the next.
pub struct KeptPlans {
    /// Each plan's key, by position in the site.
    keys: Vec<Key>,
    /// The previous build's records of plans with one of `keys`, sealed (`open_record`).
    previous: HashMap<Key, Vec<u8>>,
    /// This build's records (label and sealed JSON), by plan position, written in order at
    /// the end.
    made: Mutex<BTreeMap<usize, Sealed>>,
}

impl KeptPlans {
    /// The kept plans of a run of `prepared` with `theme` into `staging`, whose plans have
    /// these pages; None where a run keeps nothing (see the module's comment).
    pub fn open(
        prepared: &Prepared,
        theme: &Theme,
        settings: &Settings,
        staging: &Staging,
        plans: &[&[Page]],
    ) -> Option<KeptPlans> {
        if !staging.reads_own_files() {
            return None;
        }
        let request = Request::of(prepared, theme, settings);
        let mut base = base_key(&settings_digest(&request), &prepared.links);
        if let Some(version) = settings.version {
            // The built-in templates name no version on a plan's pages (only its print edition,
            // made anew), so a plan is taken from the version before; a theme's own might.
            let named = if theme.keeps_builtin_everywhere() { "" } else { version.slug.as_str() };
            field(&mut base, named);
        }
        use rayon::prelude::*;
        let keys: Vec<Key> = plans.par_iter().map(|pages| plan_key(&base, pages, settings.version)).collect();
        let previous = staging
            .previous_files()
            .and_then(|files| files.file(PLANS_KEPT))
            .map(|file| read_records(file, &keys))
            .unwrap_or_default();
        Some(KeptPlans { keys, previous, made: Mutex::default() })
    }

    /// The key of plan `plan` (its position in the site).
    pub fn key(&self, plan: usize) -> Option<&Key> {
        self.keys.get(plan)
    }

    /// The previous build's record of the plan with `key`, opened here rather than when the
    /// records are read, so that the plans' records open side by side.
    pub fn previous(&self, key: &Key) -> Option<PlanRecord> {
        open_record(key, self.previous.get(key)?)
    }

    /// Keeps the previous build's record of plan `plan`, taken over as it was, for the next
    /// build: its sealed bytes are what sealing it again would give.
    pub fn keep_previous(&self, plan: usize) {
        let Some((key, sealed)) = self.keys.get(plan).and_then(|k| Some((k, self.previous.get(k)?))) else { return };
        let sealed = (seal::label(key), sealed.clone());
        self.made.lock().unwrap_or_else(PoisonError::into_inner).insert(plan, sealed);
    }

    /// Keeps `record`, of plan `plan`, for the next build.
    pub fn keep(&self, plan: usize, record: &PlanRecord) {
        let (Some(key), Ok(json)) = (self.keys.get(plan), serde_json::to_vec(record)) else { return };
        let sealed = (seal::label(key), seal::seal(key, json));
        self.made.lock().unwrap_or_else(PoisonError::into_inner).insert(plan, sealed);
    }

    /// Writes this build's records into `staging`. A record that cannot be written only
    /// costs the next build its reuse, so a failure is not reported.
    pub fn finish(self, staging: &Staging) {
        use std::io::Write;
        let made = self.made.into_inner().unwrap_or_else(PoisonError::into_inner);
        let Ok(file) = staging.create_own(PLANS_KEPT) else { return };
        let mut file = std::io::BufWriter::new(file);
        let _ = write_records(&mut file, made.values()).and_then(|()| file.flush());
    }
}

/// Writes the records `made` (label, sealed JSON) in the record's format.
fn write_records<'a>(file: &mut impl std::io::Write, made: impl Iterator<Item = &'a Sealed>) -> std::io::Result<()> {
    file.write_all(FORMAT.as_bytes())?;
    for (label, sealed) in made {
        let len = u32::try_from(sealed.len()).map_err(std::io::Error::other)?;
        file.write_all(label)?;
        file.write_all(&len.to_le_bytes())?;
        file.write_all(sealed)?;
    }
    Ok(())
}

/// What every plan's key starts from: the build's settings and the link index.
fn base_key(settings: &blake3::Hash, links: &LinkIndex) -> blake3::Hasher {
    let mut h = blake3::Hasher::new();
    h.update(FORMAT.as_bytes()).update(settings.as_bytes());
    let mut pages: Vec<_> = links.pages.iter().map(|(k, v)| (k.as_str(), format!("{v:?}"))).collect();
    pages.sort_unstable();
    field(&mut h, &pages.len().to_string());
    for (k, v) in &pages {
        field(&mut h, k);
        field(&mut h, v);
    }
    let mut files: Vec<&str> = links.files.iter().map(String::as_str).collect();
    files.sort_unstable();
    field(&mut h, &files.len().to_string());
    files.iter().for_each(|f| field(&mut h, f));
    let mut actions: Vec<(&str, &str)> = links.actions.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    actions.sort_unstable();
    field(&mut h, &actions.len().to_string());
    for (k, v) in actions {
        field(&mut h, k);
        field(&mut h, v);
    }
    h
}

/// Adds `s` to `h`, its length first.
fn field(h: &mut blake3::Hasher, s: &str) {
    h.update(&(s.len() as u64).to_le_bytes()).update(s.as_bytes());
}

/// The key of the plan whose pages are `pages` (at least its overview); in a versioned
/// build, with what its pages show of the version's history.
fn plan_key(base: &blake3::Hasher, pages: &[Page], version: Option<&VersionInfo>) -> Key {
    let mut h = base.clone();
    if let Some(version) = version {
        history_key(&mut h, pages, version);
    }
    if let Some(first) = pages.first() {
        h.update(&(first.plan_index as u64).to_le_bytes());
        // Every field of the plan and its sections (derived `Hash`; the model has no hash
        // maps, so the same model gives the same bytes).
        std::hash::Hash::hash(first.plan, &mut Digest(&mut h));
    }
    for page in pages {
        let _ = write!(Digest(&mut h), "\0{}\0{:?}", page.out, page.classification);
    }
    *h.finalize().as_bytes()
}

/// What a section page shows of its version (`render::pages::LastChanged`): the last change
/// of its file (its author only where authors are shown) and its entry on the changes page.
/// A file unchanged since the version before can still have another: its entry is gone.
fn history_key(h: &mut blake3::Hasher, pages: &[Page], version: &VersionInfo) {
    h.update(&[u8::from(version.show_authors)]);
    for source in pages.iter().filter_map(|p| p.section?.source.as_ref()) {
        let path = crate::util::url::slash_path(&source.path);
        let last = version.last_changes.get(&path);
        let author = last.filter(|_| version.show_authors).map_or("", |c| c.author.as_str());
        let _ = write!(Digest(h), "\0{path}\0{:?}", last.map(|c| c.date));
        field(h, author);
        field(h, version.diffs.get(&path).map_or("", String::as_str));
    }
}

/// Formats, or hashes, straight into a digest.
struct Digest<'a>(&'a mut blake3::Hasher);

impl std::hash::Hasher for Digest<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Unused: the digest is read from the blake3 hasher.
    fn finish(&self) -> u64 {
        0
    }
}

impl std::fmt::Write for Digest<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// The records in `file` of plans with one of `keys`, still sealed; none when it is not a
/// record of this format. A record cut short is skipped.
fn read_records(file: std::fs::File, keys: &[Key]) -> HashMap<Key, Vec<u8>> {
    let wanted: HashMap<[u8; 32], &Key> = keys.iter().map(|k| (seal::label(k), k)).collect();
    let mut reader = BufReader::new(file);
    let mut format = vec![0u8; FORMAT.len()];
    if reader.read_exact(&mut format).is_err() || format != FORMAT.as_bytes() {
        return HashMap::new();
    }
    let mut out = HashMap::new();
    let mut head = [0u8; 36];
    while reader.read_exact(&mut head).is_ok() {
        let (label, len) = head.split_at(32);
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]);
        if len > MAX_PLAN {
            break;
        }
        let Some(&key) = label.try_into().ok().and_then(|l: [u8; 32]| wanted.get(&l)) else {
            if reader.seek_relative(i64::from(len)).is_err() {
                break;
            }
            continue;
        };
        let mut sealed = vec![0u8; len as usize];
        if reader.read_exact(&mut sealed).is_err() {
            break;
        }
        out.insert(*key, sealed);
    }
    out
}

/// The record of the plan with `key` from its `sealed` bytes; None when they do not open
/// (damaged).
fn open_record(key: &Key, sealed: &[u8]) -> Option<PlanRecord> {
    serde_json::from_slice(&seal::open(key, sealed.to_vec())?).ok()
}

pub fn hex(key: &Key) -> String {
    blake3::Hash::from_bytes(*key).to_hex().to_string()
}

fn unhex(text: &str) -> Option<Key> {
    blake3::Hash::from_hex(text).ok().map(|h| *h.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Classification, Plan, PlanMeta, Source};

    fn plan(slug: &str, title: &str) -> Plan {
        Plan {
            slug: slug.into(),
            title: title.into(),
            meta: PlanMeta::default(),
            source: Source::default(),
            sections: vec![],
        }
    }

    fn key_of(base: &blake3::Hasher, plan: &Plan, index: usize, out: &str, c: Classification) -> Key {
        let page = Page { plan_index: index, plan, section: None, out, classification: c };
        plan_key(base, &[page], None)
    }

    #[test]
    fn a_versions_plan_key_holds_what_its_pages_show_of_the_history() {
        use crate::model::{Section, SectionMeta};
        use crate::render::LastChange;
        let base = base_key(&blake3::hash(b"settings"), &LinkIndex::default());
        let mut a = plan("a", "Plan A");
        let source = Source { path: "content/a/01-x.md".into(), ..Source::default() };
        let meta = SectionMeta::default();
        a.sections.push(Section {
            rel: "01-x.md".into(),
            title: "X".into(),
            meta,
            source: Some(source),
            children: vec![],
        });
        let key = |v: &VersionInfo| {
            let pages = [
                Page {
                    plan_index: 0,
                    plan: &a,
                    section: None,
                    out: "a/index.html",
                    classification: Classification::Intern,
                },
                Page {
                    plan_index: 0,
                    plan: &a,
                    section: a.sections.first(),
                    out: "a/01-x.html",
                    classification: Classification::Intern,
                },
            ];
            plan_key(&base, &pages, Some(v))
        };
        let change = |day: u8, author: &str| LastChange {
            date: crate::date::Date::new(2026, 1, day).expect("date"),
            author: author.into(),
        };
        let mut v = VersionInfo { slug: "v1".into(), ..VersionInfo::default() };
        v.last_changes.insert("content/a/01-x.md".into(), change(10, "Anna"));
        let first = key(&v);
        assert_eq!(first, key(&VersionInfo { slug: "v2".into(), ..v.clone() }), "the version's name is not shown");
        let mut author = v.clone();
        author.last_changes.insert("content/a/01-x.md".into(), change(10, "Bert"));
        assert_eq!(first, key(&author), "authors are not shown");
        author.show_authors = true;
        v.show_authors = true;
        assert_ne!(key(&v), key(&author), "shown, another author is another page");
        v.show_authors = false;
        let mut later = v.clone();
        later.last_changes.insert("content/a/01-x.md".into(), change(11, "Anna"));
        let mut diffed = v.clone();
        diffed.diffs.insert("content/a/01-x.md".into(), "wijziging-1".into());
        for (i, other) in [key(&later), key(&diffed), key(&VersionInfo::default())].iter().enumerate() {
            assert_ne!(&first, other, "history change {i}");
        }
    }

    #[test]
    fn a_plans_key_changes_with_whatever_its_pages_are_made_of() {
        let base = base_key(&blake3::hash(b"settings"), &LinkIndex::default());
        let a = plan("a", "Plan A");
        let key = key_of(&base, &a, 0, "a/index.html", Classification::Intern);
        assert_eq!(key, key_of(&base, &a, 0, "a/index.html", Classification::Intern), "the same inputs");
        let other_settings = base_key(&blake3::hash(b"other"), &LinkIndex::default());
        let mut links = LinkIndex::default();
        links.files.insert("b/kaart.png".into());
        let other_links = base_key(&blake3::hash(b"settings"), &links);
        let mut retitled = a.clone();
        retitled.source.digest = [1; 32];
        let others = [
            key_of(&other_settings, &a, 0, "a/index.html", Classification::Intern),
            key_of(&other_links, &a, 0, "a/index.html", Classification::Intern),
            key_of(&base, &plan("a", "Plan B"), 0, "a/index.html", Classification::Intern),
            key_of(&base, &retitled, 0, "a/index.html", Classification::Intern),
            key_of(&base, &a, 1, "a/index.html", Classification::Intern),
            key_of(&base, &a, 0, "a/start.html", Classification::Intern),
            key_of(&base, &a, 0, "a/index.html", Classification::Vertrouwelijk),
        ];
        for (i, other) in others.iter().enumerate() {
            assert_ne!(&key, other, "change {i}");
        }
    }

    fn record(n: u8) -> PlanRecord {
        let mut r = PlanRecord::new(1);
        let facts = PageFacts {
            out: "a/index.html".into(),
            headings: vec![],
            anchors: vec![],
            empty: false,
            diagnostics: vec![],
        };
        r.add_page(&facts, Some(&[n; 32]), Some(("a/index.html", FileEntry::of(b"page"))), vec!["a/k.png".into()]);
        r
    }

    /// The records of `plans` (key, record) as a file, read back for `keys`; `damage` is
    /// done to the file's bytes first.
    fn read(plans: &[(Key, PlanRecord)], keys: &[Key], damage: impl Fn(&mut Vec<u8>)) -> HashMap<Key, PlanRecord> {
        let made: Vec<Sealed> = plans
            .iter()
            .map(|(key, r)| {
                let json = serde_json::to_vec(r).expect("json");
                (seal::label(key), seal::seal(key, json))
            })
            .collect();
        let mut bytes = Vec::new();
        write_records(&mut bytes, made.iter()).expect("write");
        damage(&mut bytes);
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(PLANS_KEPT);
        std::fs::write(&path, bytes).expect("write");
        let sealed = read_records(std::fs::File::open(&path).expect("open"), keys);
        sealed.into_iter().filter_map(|(key, bytes)| Some((key, open_record(&key, &bytes)?))).collect()
    }

    #[test]
    fn records_are_read_back_for_the_keys_asked_only() {
        let (a, b) = ([1; 32], [2; 32]);
        let plans = [(a, record(7)), (b, record(8))];
        let read_back = read(&plans, &[a], |_| {});
        assert_eq!(read_back.len(), 1);
        assert_eq!(read_back[&a], record(7));
        assert_eq!(read_back[&a].pages[0].search_key(), Some([7; 32]));
        assert!(read_back[&a].pages[0].facts().is_some());
        assert_eq!(read(&plans, &[a, b], |_| {}).len(), 2);
        // Sealed: neither the keys nor the text can be read from the file.
        read(&plans, &[], |bytes| {
            assert!(!bytes.windows(7).any(|w| w == b"a/k.png"));
            assert!(!bytes.windows(32).any(|w| w == [1; 32] || w == [2; 32]));
        });
    }

    #[test]
    fn a_damaged_record_costs_its_plans_only() {
        let (a, b) = ([1; 32], [2; 32]);
        let plans = [(a, record(7)), (b, record(8))];
        let first = FORMAT.len() + 36;
        // A byte of the first plan's text changed: that plan is not read.
        let flipped = read(&plans, &[a, b], |bytes| bytes[first + 2] ^= 0x55);
        assert_eq!(flipped.keys().collect::<Vec<_>>(), [&b]);
        // Cut short: the plans before the cut are read.
        let cut = read(&plans, &[a, b], |bytes| bytes.truncate(bytes.len() - 3));
        assert_eq!(cut.keys().collect::<Vec<_>>(), [&a]);
        // A length beyond the cap, or another format: nothing more is read.
        let long =
            read(&plans, &[a, b], |bytes| bytes[FORMAT.len() + 32..first].copy_from_slice(&u32::MAX.to_le_bytes()));
        assert!(long.is_empty());
        assert!(read(&plans, &[a], |bytes| bytes[0] = b'x').is_empty());
        assert!(read(&[], &[a], |bytes| bytes.clear()).is_empty());
    }
}
