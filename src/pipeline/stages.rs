//! The stages of a run, in the order `run` calls them:
//!
//! 1. `pages`: every plan page's Markdown and template rendered in parallel and written at
//!    once, so no page waits in memory for the others; what the lints need is kept.
//! 2. `site_pages`: the pages of the whole site (home, 404) and the theme's static files.
//! 3. `assets`: the files under `content/` that visible pages link, and only those.
//! 4. `search::write_index` (`search.rs`): the search index built from the pages of stage
//!    1, its files under `_search/` and the search page. `check` (no sink) skips it.
//!
//! The lints run after them, in `run`. A new output (a register, an export, a search index)
//! is a stage here that reads the filtered model in `Prepared`.

use super::search as search_stage;
use super::{output_error, pages as all_pages, render_body, render_page, Prepared, Settings, Sink};
use crate::content::CONTENT_DIR;
use crate::diag::Diagnostic;
use crate::lint::PageFacts;
use crate::model::Site;
use crate::output::Staging;
use crate::render::{self, PlanNav, SiteInfo, Theme};
use crate::search::Collector;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;

/// What rendering the plan pages leaves for the later stages.
pub struct PageResults {
    /// Pages written, the site pages included once they are.
    pub pages: usize,
    /// Files under `content/` the pages link (`plan/img/kaart.png`).
    pub assets: BTreeSet<String>,
    /// Problems of the theme and of writing.
    pub problems: Vec<Diagnostic>,
}

/// Stage 1: every plan page, rendered (and, with a theme, written) in parallel, and handed
/// to the search index (`collector`) as it is rendered, so no body waits in memory. Pages
/// are taken in reading order (`par_bridge`), which keeps the index's queue of pages that
/// finished before their predecessors short.
pub fn pages(
    prepared: &Prepared,
    sink: &Sink,
    settings: &Settings,
    collector: Option<&Collector>,
) -> (Vec<PageFacts>, PageResults) {
    let site = settings.site(prepared);
    let pages = all_pages(prepared);
    let navs: Vec<PlanNav> = match sink {
        Sink::Write(..) => prepared.site.plans.iter().map(render::plan_nav).collect(),
        Sink::Discard => Vec::new(),
    };
    let assets = Mutex::new(BTreeSet::new());
    let mut done: Vec<(usize, PageFacts, Vec<Diagnostic>)> = pages
        .iter()
        .enumerate()
        .par_bridge()
        .map(|(number, page)| {
            let (mut problems, mut body) = match (sink, navs.get(page.plan_index)) {
                (Sink::Write(theme, staging), Some(nav)) => {
                    let (html, body) = render_page(page, prepared, theme, &site, nav);
                    let mut problems: Vec<Diagnostic> = write(staging, page.out, html).into_iter().collect();
                    if let Some(c) = collector {
                        problems.extend(search_stage::add_page(c, number, page, prepared, &body, staging));
                    }
                    (problems, body)
                }
                _ => (Vec::new(), render_body(page, prepared, settings.mode)),
            };
            if let Ok(mut a) = assets.lock() {
                a.extend(std::mem::take(&mut body.assets));
            }
            problems.shrink_to_fit();
            (number, PageFacts::new(page.out, page.status(), &mut body), problems)
        })
        .collect();
    done.sort_unstable_by_key(|d| d.0);
    let assets = assets.into_inner().unwrap_or_default();
    let mut problems = Vec::new();
    let facts = done
        .into_iter()
        .map(|(_, facts, p)| {
            problems.extend(p);
            facts
        })
        .collect();
    (facts, PageResults { pages: pages.len(), assets, problems })
}

/// Writes a rendered page, or returns why there is none.
fn write(staging: &Staging, path: &str, html: Result<String, Diagnostic>) -> Option<Diagnostic> {
    match html {
        Ok(html) => staging.write(path, html.as_bytes()).err().map(|e| output_error(Path::new(path), &e)),
        Err(d) => Some(d),
    }
}

/// Stage 2: the home page, then what every build's root holds (`write_shared`).
pub fn site_pages(prepared: &Prepared, theme: &Theme, staging: &Staging, settings: &Settings) -> Vec<Diagnostic> {
    let site = settings.site(prepared);
    let home = render::home_page(theme, &site, &prepared.site.plans);
    let mut problems: Vec<Diagnostic> = write(staging, "index.html", home).into_iter().collect();
    problems.extend(write_shared(theme, &site, staging));
    problems
}

/// The 404 page and the theme's static files: what the root of every build holds, a
/// versioned handbook's included.
pub fn write_shared(theme: &Theme, site: &SiteInfo, staging: &Staging) -> Vec<Diagnostic> {
    let mut problems: Vec<Diagnostic> =
        write(staging, "404.html", render::not_found_page(theme, site)).into_iter().collect();
    for (path, bytes) in theme.static_files() {
        problems.extend(staging.write(&path, bytes).err().map(|e| output_error(Path::new(&path), &e)));
    }
    problems
}

/// Stage 3: the linked files under `content/`, copied.
pub fn assets(site: &Site, assets: BTreeSet<String>, staging: &Staging) -> Vec<Diagnostic> {
    let content = site.root.join(CONTENT_DIR);
    assets
        .into_iter()
        .filter_map(|rel| staging.copy(&content.join(&rel), &rel).err().map(|e| output_error(Path::new(&rel), &e)))
        .collect()
}
