//! The search stage: the pipeline's pages handed to the index while they render (stage 1),
//! and after them the index files and the search page (`search::files`, `search.html`).

use super::{output_error, Page, Prepared, Settings};
use crate::diag::Diagnostic;
use crate::i18n::ui_string;
use crate::markdown::{Mode, Rendered};
use crate::model::{Plan, Status};
use crate::output::{Staging, SEARCH_INDEX, SEARCH_SAVED};
use crate::render::{self, Theme};
use crate::search::{self, Collector, Detail, DocFile, Key, PageInfo, PageSource, PreviousFiles};
use std::path::Path;

/// An empty index for `prepared`'s pages, written into `staging`; a preview's keeps what
/// `serve` needs to replace a saved page's entries quickly. The analyses of the output being
/// replaced are read for the pages whose text did not change, and, when there is one that
/// may be read, this build's are kept beside the new output for the next
/// (`output::SEARCH_SAVED`): a build into an empty folder (a one-off, or a fresh CI run) does
/// not pay for keeping them.
pub fn collector(prepared: &Prepared, mode: Mode, staging: &Staging) -> Collector {
    let mut plans: Vec<(u32, String)> = Vec::new();
    for (i, entry) in prepared.index.pages.iter().enumerate() {
        if entry.section.is_none() {
            let title = prepared.site.plans.get(entry.plan).map(|p| p.title.clone()).unwrap_or_default();
            plans.push((i as u32, title));
        }
    }
    let previous = staging.previous_files().and_then(|files| {
        let saved = files.file(SEARCH_SAVED)?;
        let files: PreviousFiles = Box::new(move |rel| files.file(rel));
        Some((saved, files))
    });
    let into = staging.reads_own_files().then(|| staging.create_own(SEARCH_SAVED).ok()).flatten();
    let snapshot = staging.previous_files().and_then(|files| files.file(SEARCH_INDEX));
    let pages = prepared.index.pages.len();
    // Thousands of document files, in folders of their own; a folder that cannot be made
    // shows when the first of them is written.
    let _ = staging.spread_folder(&format!("{}/d", search::DIR));
    Collector::new(plans, mode == Mode::Preview).keeping(previous, into).patching(snapshot, pages)
}

/// Hands page `number` and its rendered body to the index; writes the document file that
/// it completes. Returns the problems, and the key the page's analysis is kept under for the
/// next build when this build keeps them.
pub fn add_page(
    collector: &Collector,
    number: usize,
    page: &Page,
    prepared: &Prepared,
    body: &Rendered,
    staging: &Staging,
) -> (Vec<Diagnostic>, Option<Key>) {
    let info = page_info(page);
    let source = source(page, prepared, body);
    let (doc, key) = collector.add(number as u32, info, &source);
    (write_doc(doc, staging), key)
}

/// Hands page `number` to the index from the previous build's analysis kept under `key`
/// (its page was not rendered again); None, with nothing added, when that cannot be read.
pub fn add_kept_page(
    collector: &Collector,
    number: usize,
    page: &Page,
    key: &Key,
    staging: &Staging,
) -> Option<Vec<Diagnostic>> {
    let doc = collector.add_kept(number as u32, page_info(page), key)?;
    Some(write_doc(doc, staging))
}

// A pair of pages is a whole document file only while each file holds two.
const _: () = assert!(search::DOC_FILE_PAGES == 2);

/// Hands the pages `first` and `first + 1` (the pages of document file `first / 2`) to the
/// index from the previous build's analyses kept under `keys`, with their document file taken
/// whole from the previous output: when that build numbered both pages alike, the file holds
/// exactly what this build would write. False, with nothing added, when that cannot be.
pub fn add_kept_pair(
    collector: &Collector,
    first: usize,
    pages: [&Page; 2],
    keys: [&Key; 2],
    staging: &Staging,
) -> bool {
    if first % search::DOC_FILE_PAGES as usize != 0 {
        return false;
    }
    let number = first as u32;
    let Some(a) = collector.kept_terms(keys[0], number) else { return false };
    let Some(b) = collector.kept_terms(keys[1], number + 1) else { return false };
    if !staging.link_previous(&search::doc_path(number / search::DOC_FILE_PAGES)) {
        return false;
    }
    collector.add_kept_terms(number, page_info(pages[0]), a);
    collector.add_kept_terms(number + 1, page_info(pages[1]), b);
    true
}

fn page_info(page: &Page) -> PageInfo {
    PageInfo { plan: page.plan_index as u32, status: status_code(page.status()) }
}

/// Writes a completed document file.
fn write_doc(doc: Option<DocFile>, staging: &Staging) -> Vec<Diagnostic> {
    doc.into_iter()
        .filter_map(|doc| {
            staging.write(&doc.path(), doc.text.as_bytes()).err().map(|e| output_error(Path::new(&doc.path()), &e))
        })
        .collect()
}

fn status_code(status: Option<Status>) -> u8 {
    match status {
        None => 0,
        Some(Status::Concept) => 1,
        Some(Status::TerReview) => 2,
        Some(Status::Vastgesteld) => 3,
    }
}

/// The titles of the sections above `page`, top first.
fn ancestors<'a>(page: &Page, prepared: &'a Prepared) -> Vec<&'a str> {
    let Some(path) = prepared.index.by_out(page.out).and_then(|e| e.section.as_ref()) else { return Vec::new() };
    let Some(plan) = prepared.site.plans.get(page.plan_index) else { return Vec::new() };
    (1..path.len()).filter_map(|n| plan.section_at(&path[..n]).map(|s| s.title.as_str())).collect()
}

/// The searchable details a page shows beside its body: a section's actions and owner, a
/// plan's partners, group and municipality.
fn details(page: &Page, lang: crate::config::Language) -> Vec<Detail> {
    let t = |key: &'static str| ui_string(lang, key).to_string();
    let one = |label: &'static str, value: Option<&String>| Detail {
        label: t(label),
        anchor: None,
        lines: value.into_iter().cloned().collect(),
    };
    match page.section {
        Some(s) => {
            let actions = s.meta.actions.iter().map(|a| {
                let parts = [a.id.as_deref(), Some(a.what.as_str()), a.who.as_deref()];
                parts.into_iter().flatten().collect::<Vec<_>>().join(" · ")
            });
            vec![
                Detail { label: t("actions"), anchor: Some("pb-actions".into()), lines: actions.collect() },
                one("owner", s.meta.owner.as_ref()),
            ]
        }
        None => plan_details(page.plan, &t),
    }
}

fn plan_details(plan: &Plan, t: &dyn Fn(&'static str) -> String) -> Vec<Detail> {
    let m = &plan.meta;
    let partners = Some(m.partners.join(", ")).filter(|p| !p.is_empty());
    [("partners", partners), ("group", m.group.clone()), ("municipality", m.municipality.clone())]
        .into_iter()
        .map(|(label, value)| Detail { label: t(label), anchor: None, lines: value.into_iter().collect() })
        .collect()
}

/// Hex digits of the index's digest in the addresses of its files.
const INDEX_STAMP_LEN: usize = 12;

/// The last stage of a written run: the index files and the search page. Returns the
/// problems and the index (which `serve` keeps, to update when a page is saved).
pub fn write_index(
    prepared: &Prepared,
    collector: Collector,
    theme: &Theme,
    staging: &Staging,
    settings: &Settings,
) -> (Vec<Diagnostic>, search::Index) {
    let (mut index, last_docs) = collector.finish();
    let mut problems = Vec::new();
    let mut emit = |path: String, text: String| {
        problems.extend(staging.write(&path, text.as_bytes()).err().map(|e| output_error(Path::new(&path), &e)));
    };
    for doc in last_docs {
        emit(doc.path(), doc.text);
    }
    // The snapshot for the next build is written while the index files are.
    let (written, layout) = rayon::join(|| write_snapshot(&index, staging), || search::write(&index, &mut emit));
    // Without it the next build puts the index together from the kept analyses.
    drop(written);
    index.set_layout(layout);
    let site = settings.site(prepared);
    let title = ui_string(prepared.config.language, "search_title");
    // The page loads the index files with this in their addresses (`search.js`).
    let stamp = staging.digest_of_folder(search::DIR).to_hex();
    let extra = serde_json::json!({ "index_stamp": &stamp[..INDEX_STAMP_LEN] });
    match render::extra_page(theme, &site, "search.html", "search", "", title, &extra) {
        Ok(html) => emit(search::PAGE.to_string(), html),
        Err(d) => problems.push(d),
    }
    (problems, index)
}

/// Keeps `index` for the next build to patch (`search::snapshot`), when this build keeps
/// what the next one reads.
fn write_snapshot(index: &search::Index, staging: &Staging) -> std::io::Result<bool> {
    if !staging.reads_own_files() {
        return Ok(false);
    }
    let mut file = std::io::BufWriter::with_capacity(1 << 16, staging.create_own(SEARCH_INDEX)?);
    search::snapshot::write(index, &mut file)
}

/// What the index reads of a page saved in `serve`, owned, so that the index can take it
/// in on another thread while the model moves on.
pub struct SavedPage {
    number: u32,
    url: String,
    title: String,
    path: Vec<String>,
    body_html: String,
    details: Vec<Detail>,
}

impl SavedPage {
    /// Page `number` of `prepared`, with its body as just rendered.
    pub fn new(number: usize, page: &Page, prepared: &Prepared, body: Rendered) -> SavedPage {
        SavedPage {
            number: number as u32,
            url: page.out.to_string(),
            title: title(page).to_string(),
            path: ancestors(page, prepared).into_iter().map(str::to_string).collect(),
            body_html: body.html,
            details: details(page, prepared.config.language),
        }
    }

    /// The page's number in the site's reading order, the index's key for it.
    pub fn number(&self) -> u32 {
        self.number
    }
}

/// A page saved in `serve`: its entries in `index` replaced; returns the index files to
/// write again. `read` gives an index file of the served tree.
pub fn update_index(
    index: &mut search::Index,
    page: SavedPage,
    read: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, String)> {
    let SavedPage { number, url, title, path, body_html, details } = page;
    let source = PageSource {
        url: &url,
        title: &title,
        path: path.iter().map(String::as_str).collect(),
        body_html: &body_html,
        details,
    };
    index.update_page(number, &source, read)
}

/// What the index reads of a page.
fn source<'a>(page: &Page<'a>, prepared: &'a Prepared, body: &'a Rendered) -> PageSource<'a> {
    PageSource {
        url: page.out,
        title: title(page),
        path: ancestors(page, prepared),
        body_html: &body.html,
        details: details(page, prepared.config.language),
    }
}

/// The page's title: its section's, or its plan's for the overview.
fn title<'a>(page: &Page<'a>) -> &'a str {
    page.section.map_or(&page.plan.title, |s| &s.title)
}
