//! What changed between two versions, computed on the audience-filtered models so that a
//! diff never shows text the audience may not read. Texts are compared as the reader sees
//! them (`blocks`): rendered, so that the target of a link to a removed section, a comment
//! or a file name in the Markdown never reaches the changes page.

use super::block_diff::{diff_blocks, Labels};
use super::blocks::{text_blocks, Block};
use crate::commitments::partner_label;
use crate::config::Config;
use crate::markdown::Mode;
use crate::model::{Action, ActionStatus, PageEntry, PlanMeta, SectionMeta};
use crate::pipeline::{self, render_body, Prepared};
use crate::util::slug::slugify;
use crate::util::url::slash_path;
use serde::Serialize;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Sections at least this similar (Jaccard on word shingles) are one section moved.
const RENAME_SIMILARITY: f64 = 0.6;

/// One section of a version, as the diff sees it.
struct Item<'a> {
    /// `plan/rel`: the identity of a section within a version.
    key: String,
    /// Output page relative to the version root.
    page: String,
    /// Source path from the site root, to find the page that links to its diff.
    source: String,
    title: &'a str,
    /// The digest of the file, to tell cheaply that nothing changed.
    digest: &'a [u8; 32],
    /// The plan's front matter, whose values fill the placeholders.
    plan: &'a PlanMeta,
    meta: Cow<'a, SectionMeta>,
    prepared: &'a Prepared,
    entry: &'a PageEntry,
    mode: Mode,
    /// The text as the reader sees it, rendered when first needed.
    blocks: OnceCell<Vec<Block>>,
}

impl Item<'_> {
    /// The section's text as its page shows it: one block per paragraph, item, heading or row.
    fn blocks(&self) -> &[Block] {
        self.blocks.get_or_init(|| {
            let Some(page) = pipeline::page(&self.prepared.site, self.entry) else { return Vec::new() };
            text_blocks(&render_body(&page, self.prepared, self.mode).html)
        })
    }

    /// Its words, for finding a moved section again.
    fn shingles(&self) -> HashSet<String> {
        let text: Vec<&str> = self.blocks().iter().map(|b| b.text.as_str()).collect();
        shingles(&text.join("\n\n"))
    }

    /// What changed in its text since `old`, as HTML; empty when the reader sees the same.
    fn diff(&self, old: &Item, labels: Labels) -> String {
        diff_blocks(old.blocks(), self.blocks(), labels)
    }

    /// Whether `other` has the same file and the same placeholder values, so reads the same.
    fn same_source(&self, other: &Item) -> bool {
        let fill = |m: &PlanMeta| (m.vars.clone(), m.group.clone(), m.municipality.clone());
        self.digest == other.digest && fill(self.plan) == fill(other.plan)
    }
}

/// Every page with a source, from the site index: each plan's overview (its `_index.md`)
/// and its sections.
fn items(p: &Prepared, mode: Mode) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    for entry in &p.index.pages {
        let Some((plan, section)) = entry.resolve(&p.site) else { continue };
        let (title, src, meta) = match section {
            // The plan's own values (status, risk, dates, …) are compared by `summary`, from
            // these entries.
            None => (&plan.title, &plan.source, Cow::Owned(SectionMeta::default())),
            Some(s) => match &s.source {
                Some(src) => (&s.title, src, Cow::Borrowed(&s.meta)),
                None => continue,
            },
        };
        out.push(Item {
            key: entry.key.clone(),
            page: entry.out.clone(),
            source: slash_path(&src.path),
            title,
            digest: &src.digest,
            plan: &plan.meta,
            meta,
            prepared: p,
            entry,
            mode,
            blocks: OnceCell::new(),
        });
    }
    out
}

/// One front-matter change: `field` is a UI string key (`status`, `action_added`, …).
#[derive(Debug, Clone, Serialize)]
pub struct MetaChange {
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

/// One listed section of a changes page.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// `added`, `removed`, `renamed` or `changed`.
    pub kind: &'static str,
    /// The slug of its plan.
    pub plan: String,
    pub title: String,
    /// Its page in this version (in the previous one for `removed`), from the version root.
    pub page: String,
    /// Its page in the previous version, for `renamed`.
    pub old_page: Option<String>,
    pub anchor: String,
    /// The word-level difference as HTML with `<ins>`/`<del>`; empty when the text is equal.
    pub diff_html: String,
    pub meta: Vec<MetaChange>,
    /// Source path in this version; None for `removed`.
    #[serde(skip)]
    pub source: Option<String>,
}

/// The changes of a version against the previous one.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub entries: Vec<Entry>,
    /// Old page → new page for every section present in both, renames included.
    pub moved: BTreeMap<String, String>,
}

/// Compares `old` with `new`, both already filtered for the audience, as pages rendered
/// in `mode` read.
pub fn compare(before: &Prepared, after: &Prepared, mode: Mode) -> Changes {
    let labels = Labels::new(after.config.language);
    let names = &after.config;
    let (old, new) = (items(before, mode), items(after, mode));
    let mut changes = Changes::default();
    let new_keys: HashSet<&str> = new.iter().map(|i| i.key.as_str()).collect();
    let old_by_key: HashMap<&str, &Item> = old.iter().map(|i| (i.key.as_str(), i)).collect();
    // Sections gone from their path, with their shingles, to find them again if moved.
    let mut gone: Vec<(&Item, HashSet<String>)> =
        old.iter().filter(|i| !new_keys.contains(i.key.as_str())).map(|i| (i, i.shingles())).collect();
    for n in &new {
        if let Some(o) = old_by_key.get(n.key.as_str()) {
            changes.moved.insert(o.page.clone(), n.page.clone());
            changes.entries.extend(changed(o, n, labels, names));
            continue;
        }
        match best_match(&gone, n) {
            Some(at) => {
                let (o, _) = gone.remove(at);
                changes.moved.insert(o.page.clone(), n.page.clone());
                let mut e = entry("renamed", n, n.diff(o, labels), meta_changes(&o.meta, &n.meta, names));
                e.old_page = Some(o.page.clone());
                changes.entries.push(e);
            }
            None => changes.entries.push(entry("added", n, String::new(), action_changes(&[], &n.meta.actions, names))),
        }
    }
    for (o, _) in gone {
        let mut e = entry("removed", o, String::new(), action_changes(&o.meta.actions, &[], names));
        e.source = None;
        changes.entries.push(e);
    }
    changes
}

fn entry(kind: &'static str, i: &Item, diff_html: String, meta: Vec<MetaChange>) -> Entry {
    Entry {
        kind,
        plan: i.key.split('/').next().unwrap_or_default().to_string(),
        title: i.title.to_string(),
        page: i.page.clone(),
        old_page: None,
        anchor: anchor(&i.page),
        diff_html,
        meta,
        source: Some(i.source.clone()),
    }
}

/// An entry when the section's text or front matter differ; None when unchanged.
fn changed(o: &Item, n: &Item, labels: Labels, names: &Config) -> Option<Entry> {
    let meta = meta_changes(&o.meta, &n.meta, names);
    let diff = if o.same_source(n) { String::new() } else { n.diff(o, labels) };
    (!diff.is_empty() || o.title != n.title || !meta.is_empty()).then(|| entry("changed", n, diff, meta))
}

/// The id of a section's entry on the changes page.
pub fn anchor(page: &str) -> String {
    format!("w-{}", slugify(page.trim_end_matches(".html")))
}

/// The removed section most like `n`, if it is similar enough to be the same one moved.
fn best_match(gone: &[(&Item, HashSet<String>)], n: &Item) -> Option<usize> {
    let target = n.shingles();
    gone.iter()
        .map(|(_, o)| jaccard(o, &target))
        .enumerate()
        .filter(|&(_, s)| s >= RENAME_SIMILARITY)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// Word 3-shingles of a text, lower-cased.
fn shingles(text: &str) -> HashSet<String> {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    if words.len() < 3 {
        return std::iter::once(words.join(" ")).collect();
    }
    words.windows(3).map(|w| w.join(" ")).collect()
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 1.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// Changes of status, owner, classification and actions; partners by name (`names`).
fn meta_changes(o: &SectionMeta, n: &SectionMeta, names: &Config) -> Vec<MetaChange> {
    let mut out = Vec::new();
    let mut field = |field: &'static str, old: String, new: String| {
        if old != new {
            out.push(MetaChange { field, old, new });
        }
    };
    field(
        "status",
        o.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        n.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
    );
    let owner = |m: &SectionMeta| m.owner.as_deref().map(|p| partner_label(names, p).to_string()).unwrap_or_default();
    field("owner", owner(o), owner(n));
    field("classification", o.classification.as_str().into(), n.classification.as_str().into());
    out.extend(action_changes(&o.actions, &n.actions, names));
    out
}

/// Actions added, removed, closed, moved to another due date or otherwise changed, matched
/// by id (else by text).
fn action_changes(old: &[Action], new: &[Action], names: &Config) -> Vec<MetaChange> {
    let mut out = Vec::new();
    let mut push = |field: &'static str, old: String, new: String| out.push(MetaChange { field, old, new });
    let due = |x: &Action| x.due.map(|d| d.to_string()).unwrap_or_default();
    for a in new {
        let name = action_name(a);
        let Some(b) = old.iter().find(|b| action_name(b) == name) else {
            push("action_added", String::new(), action_label(a, names));
            continue;
        };
        let closed = a.status == ActionStatus::Gereed && b.status != ActionStatus::Gereed;
        if closed {
            push("action_closed", name.clone(), a.status.as_str().into());
        }
        if due(a) != due(b) {
            push("action_due", format!("{name}: {}", due(b)), due(a));
        }
        let reopened = a.status != b.status && !closed;
        if a.what != b.what || a.who != b.who || reopened {
            push("action_changed", action_label(b, names), action_label(a, names));
        }
    }
    for b in old.iter().filter(|b| !new.iter().any(|a| action_name(a) == action_name(b))) {
        push("action_removed", action_label(b, names), String::new());
    }
    out
}

/// An action's identity across versions: its id, else its text.
fn action_name(a: &Action) -> String {
    a.id.clone().unwrap_or_else(|| a.what.clone())
}

/// An action as the changes page shows it: `A3: what (who, status)`.
fn action_label(a: &Action, names: &Config) -> String {
    let id = a.id.as_deref().map(|i| format!("{i}: ")).unwrap_or_default();
    let who = a.who.as_deref().map(|w| format!("{}, ", partner_label(names, w))).unwrap_or_default();
    format!("{id}{} ({who}{})", a.what, a.status.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_texts_match() {
        let a = shingles("een twee drie vier vijf zes zeven acht");
        let b = shingles("een twee drie vier vijf zes zeven negen");
        assert!(jaccard(&a, &b) >= RENAME_SIMILARITY);
    }
}
