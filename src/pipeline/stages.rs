//! The stages of a run, in the order `run` calls them:
//!
//! 1. `pages`: every plan page's Markdown and template rendered in parallel and written at
//!    once, so no page waits in memory for the others; what the lints need is kept.
//! 2. `site_pages`: the pages of the whole site (home, 404) and the theme's static files.
//! 3. `assets`: the files under `content/` that visible pages link, and only those.
//!
//! The lints run after them, in `run`. A new output (a register, an export, a search index)
//! is a stage here that reads the filtered model in `Prepared`.

use super::{output_error, pages as all_pages, render_body, render_page, Prepared, Settings, Sink};
use crate::content::{link_outside, CONTENT_DIR};
use crate::diag::Diagnostic;
use crate::lint::PageFacts;
use crate::output::Staging;
use crate::render::{self, PlanNav, SiteInfo, Theme};
use crate::util::fs::{canonical, outside};
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

/// Stage 1: every plan page, rendered (and, with a theme, written) in parallel.
pub fn pages(prepared: &Prepared, sink: &Sink, settings: &Settings) -> (Vec<PageFacts>, PageResults) {
    let site = settings.site(prepared);
    let pages = all_pages(prepared);
    let navs: Vec<PlanNav> = match sink {
        Sink::Write(..) => prepared.site.plans.iter().map(render::plan_nav).collect(),
        Sink::Discard => Vec::new(),
    };
    let assets = Mutex::new(BTreeSet::new());
    let (facts, problems): (Vec<PageFacts>, Vec<Option<Diagnostic>>) = pages
        .par_iter()
        .map(|page| {
            let (problem, mut body) = match (sink, navs.get(page.plan_index)) {
                (Sink::Write(theme, staging), Some(nav)) => {
                    let (html, body) = render_page(page, prepared, theme, &site, nav);
                    (write(staging, page.out, html), body)
                }
                _ => (None, render_body(page, prepared, settings.mode)),
            };
            if let Ok(mut a) = assets.lock() {
                a.extend(std::mem::take(&mut body.assets));
            }
            (PageFacts::new(page.out, page.status(), &mut body), problem)
        })
        .unzip();
    let assets = assets.into_inner().unwrap_or_default();
    let problems = problems.into_iter().flatten().collect();
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

/// Stage 3: the linked files under `content/`, copied (to their NFC names). The walk left
/// out links out of the site root; one that points out now (the tree changed since) is
/// refused here too, so no byte from outside reaches the output.
pub fn assets(prepared: &Prepared, assets: BTreeSet<String>, staging: &Staging) -> Vec<Diagnostic> {
    let root = canonical(&prepared.site.root);
    let content = prepared.site.root.join(CONTENT_DIR);
    assets
        .into_iter()
        .filter_map(|rel| {
            let from = content.join(prepared.on_disk.get(&rel).unwrap_or(&rel));
            if let Some(real) = outside(&root, &from) {
                return Some(link_outside(&Path::new(CONTENT_DIR).join(&rel), &real));
            }
            staging.copy(&from, &rel).err().map(|e| output_error(Path::new(&rel), &e))
        })
        .collect()
}
