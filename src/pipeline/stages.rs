//! The stages of a run, in the order `run` calls them:
//!
//! 1. `pages`: every plan page's Markdown and template rendered in parallel and written at
//!    once, so no page waits in memory for the others; what the lints need is kept. A plan's
//!    pages are rendered together, and (with a theme) its print edition is made from their
//!    bodies (`print_edition`) before they are dropped, so no Markdown is rendered twice;
//!    its action register (`plan_register`) beside it.
//! 2. `site_pages`: the pages of the whole site (home, 404) and the theme's static files.
//! 3. `commitments`: the site's action register (by partner) and the exports (CSV,
//!    iCalendar, JSON).
//! 4. `assets`: the files under `content/` that visible pages link, and only those.
//! 5. `search::write_index` (`search.rs`): the search index built from the pages of stage
//!    1, its files under `_search/` and the search page. `check` (no sink) skips it.
//!
//! The lints run after them, in `run`. A new output (a register, an export, a search index)
//! is a stage here that reads the filtered model in `Prepared`; `check` (`Sink::Discard`)
//! runs only what its findings need.

use super::kept_plans::{self, KeptPlans, PageRecord, PlanRecord};
use super::search as search_stage;
use super::{output_error, pages as all_pages, render_body, render_page, Page, Prepared, Settings, Sink};
use crate::commitments::export::{self, JsonInput};
use crate::commitments::site_entries;
use crate::content::{link_outside, CONTENT_DIR};
use crate::diag::{Diagnostic, Severity};
use crate::lint::PageFacts;
use crate::output::{FileEntry, Staging};
use crate::render::{self, PlanNav, PrintPart, SiteInfo, Theme, ACTIONS_PAGE, PRINT_PAGE};
use crate::search::{Collector, Key};
use crate::util::fs::{canonical, outside};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::ops::Range;
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
    /// Plans taken from the previous output rather than rendered (`kept_plans`).
    pub plans_kept: usize,
    /// The search index's collector, which every page was handed to (none for `check`).
    pub collector: Option<Collector>,
}

/// Stage 1: every plan page, rendered (and, with a theme, written) in parallel, plan by plan
/// and page by page; with a theme, each plan's print edition too. Each page is handed to the
/// search index (`collector`) as it is rendered, so no body waits in memory for it. A plan
/// made from exactly what the previous output's was is taken from it instead
/// (`kept_plans`).
pub fn pages(
    prepared: &Prepared,
    sink: &Sink,
    settings: &Settings,
    collector: impl FnOnce() -> Option<Collector> + Send,
) -> (Vec<PageFacts>, PageResults) {
    let site = settings.site(prepared);
    let pages = all_pages(prepared);
    let navs: Vec<PlanNav> = match sink {
        Sink::Write(..) => prepared.site.plans.iter().map(render::plan_nav).collect(),
        Sink::Discard => Vec::new(),
    };
    let assets = Mutex::new(BTreeSet::new());
    let plans: Vec<&[Page]> = pages.chunk_by(|a, b| a.plan_index == b.plan_index).collect();
    // Each plan's first page's number in reading order, which the search index keeps.
    let starts: Vec<usize> = plans
        .iter()
        .scan(0, |at, plan| {
            let start = *at;
            *at += plan.len();
            Some(start)
        })
        .collect();
    // The search index's collector reads the index the previous build kept while the
    // previous build's plans are read: both are tens of megabytes.
    let (collector, kept) = rayon::join(collector, || match sink {
        Sink::Write(theme, staging) => KeptPlans::open(prepared, theme, settings, staging, &plans),
        Sink::Discard => None,
    });
    let run = PlanRun {
        prepared,
        sink,
        settings,
        site: &site,
        navs: &navs,
        collector: collector.as_ref(),
        assets: &assets,
        kept: kept.as_ref(),
    };
    // Plans are handed to the threads in reading order (`par_bridge` takes them one by one
    // as threads come free) rather than split into far-apart halves, so that each page can
    // join the search index at once instead of waiting in memory for the pages before it.
    let mut per_plan: Vec<(usize, PlanDone)> = plans
        .iter()
        .zip(&starts)
        .enumerate()
        .par_bridge()
        .map(|(k, (plan_pages, &start))| (start, run.plan(plan_pages, start, k)))
        .collect();
    per_plan.sort_unstable_by_key(|(start, _)| *start);
    let mut facts = Vec::with_capacity(pages.len());
    let mut problems = Vec::new();
    let mut plans_kept = 0;
    for (_, done) in per_plan {
        facts.extend(done.facts);
        problems.extend(done.problems);
        plans_kept += usize::from(done.kept);
    }
    if let (Some(kept), Sink::Write(_, staging)) = (kept, sink) {
        kept.finish(staging);
    }
    let assets = assets.into_inner().unwrap_or_default();
    let written = match sink {
        // With each plan's print edition and register.
        Sink::Write(..) => pages.len() + 2 * plans.len(),
        Sink::Discard => pages.len(),
    };
    (facts, PageResults { pages: written, assets, problems, plans_kept, collector })
}

/// A plan's pages' facts and problems, and whether it was taken from the previous output.
struct PlanDone {
    facts: Vec<PageFacts>,
    problems: Vec<Diagnostic>,
    kept: bool,
}

/// What stage 1 shares between the plans it renders.
struct PlanRun<'a> {
    prepared: &'a Prepared,
    sink: &'a Sink<'a>,
    settings: &'a Settings<'a>,
    site: &'a SiteInfo<'a>,
    navs: &'a [PlanNav],
    collector: Option<&'a Collector>,
    /// Files under `content/` the pages link.
    assets: &'a Mutex<BTreeSet<String>>,
    /// The previous output's plans, and the records of this build's.
    kept: Option<&'a KeptPlans>,
}

/// One page rendered: its facts and problems, its body for the print edition, and what the
/// record of its plan keeps of it.
struct PageDone<'p> {
    facts: PageFacts,
    problems: Vec<Diagnostic>,
    part: PrintPart<'p>,
    /// Its file's manifest entry, once written.
    file: Option<FileEntry>,
    /// The key its search analysis is kept under.
    search: Option<Key>,
    assets: Vec<String>,
}

impl PlanRun<'_> {
    /// The pages of one plan (the `plan`th, whose first page is page `start` in reading
    /// order): taken from the previous output where they can be, else rendered in parallel
    /// and, with a theme, written with the plan's print edition.
    fn plan(&self, plan_pages: &[Page], start: usize, plan: usize) -> PlanDone {
        let key = self.kept.and_then(|k| k.key(plan));
        if let Some(done) = key.and_then(|key| self.reuse(plan_pages, start, plan, key)) {
            return done;
        }
        let done: Vec<PageDone> =
            plan_pages.par_iter().enumerate().map(|(k, page)| self.page(page, start + k)).collect();
        let mut problems = Vec::new();
        let mut parts = Vec::with_capacity(done.len());
        // Only a build that keeps its plans for the next records them.
        let mut record = self.kept.map(|_| PlanRecord::new(done.len()));
        let mut facts = Vec::with_capacity(done.len());
        for d in done {
            if let Some(r) = &mut record {
                r.add_page(&d.facts, d.search.as_ref(), d.file.map(|f| (d.part.out, f)), d.assets);
            }
            facts.push(d.facts);
            problems.extend(d.problems);
            parts.push(d.part);
        }
        let first = plan_pages.first();
        if let (Sink::Write(theme, staging), Some(first), Some(nav)) =
            (self.sink, first, first.and_then(|p| self.navs.get(p.plan_index)))
        {
            let register = || plan_register(theme, staging, self.site, first, nav);
            let (print, register) =
                rayon::join(|| print_edition(theme, staging, self.site, first, &parts, None), register);
            let print = print.map(|(file, texts)| {
                record.iter_mut().for_each(|r| r.print_texts = texts.clone());
                file
            });
            for made in [print, register] {
                match made {
                    Ok(file) => record.iter_mut().for_each(|r| r.files.push(file.clone())),
                    Err(d) => problems.push(d),
                }
            }
        }
        if let (Some(kept), Some(record)) = (self.kept.filter(|_| problems.is_empty()), &record) {
            kept.keep(plan, record);
        }
        PlanDone { facts, problems, kept: false }
    }

    /// The plan's pages taken from the previous output, when its record there was made from
    /// the same inputs (`key`), lists the files the previous manifest lists, and those can
    /// be linked; None, and the plan is rendered, otherwise.
    fn reuse(&self, plan_pages: &[Page], start: usize, plan: usize, key: &Key) -> Option<PlanDone> {
        let (Sink::Write(theme, staging), Some(kept)) = (self.sink, self.kept) else { return None };
        let mut record = kept.previous(key)?;
        let same_pages =
            record.pages.len() == plan_pages.len() && record.pages.iter().zip(plan_pages).all(|(r, p)| r.out == p.out);
        // A version's print edition names the version: it is made anew (around the texts of
        // the one before, where they can be read back), not taken.
        let print = self.settings.version.and(plan_pages.first()).map(|p| plan_file(p, PRINT_PAGE));
        let before = print.as_ref().and_then(|print| {
            let at = record.files.iter().position(|(rel, _)| rel == print)?;
            Some((record.files.remove(at), record.print_texts.take()?))
        });
        if !same_pages || !record.files.iter().all(|(rel, entry)| staging.previous_lists(rel, entry)) {
            return None;
        }
        let facts: Vec<PageFacts> = record.pages.iter().map(PageRecord::facts).collect::<Option<_>>()?;
        let searched = match self.collector {
            Some(c) => {
                record.pages.iter().map(|p| p.search_key().filter(|k| c.has_kept(k))).collect::<Option<Vec<_>>>()?
            }
            None => Vec::new(),
        };
        // A file that cannot be linked leaves the plan to be rendered, which writes over
        // those linked before it.
        if !staging.link_listed(&record.files) {
            return None;
        }
        let mut problems = Vec::new();
        let analysed = match self.collector {
            Some(c) => self.search_kept(c, staging, (plan_pages, start), &searched, &mut record, &mut problems),
            None => false,
        };
        if print.is_some() {
            self.print_anew(theme, staging, plan_pages, before, &mut record, &mut problems);
        }
        if let Ok(mut a) = self.assets.lock() {
            a.extend(record.assets.iter().cloned());
        }
        match (problems.is_empty(), analysed || print.is_some()) {
            (true, false) => kept.keep_previous(plan),
            (true, true) => kept.keep(plan, &record),
            (false, _) => {}
        }
        Some(PlanDone { facts, problems, kept: true })
    }

    /// Hands the pages of a plan taken from the previous output (the first numbered `start`)
    /// to the search index from their kept analyses under `keys`; whether a page had to be
    /// analysed again (its key in `record` is then the new one).
    fn search_kept(
        &self,
        c: &Collector,
        staging: &Staging,
        (pages, start): (&[Page], usize),
        keys: &[Key],
        record: &mut PlanRecord,
        problems: &mut Vec<Diagnostic>,
    ) -> bool {
        let (mut analysed, mut k) = (false, 0);
        while k < pages.len() {
            let number = start + k;
            // Two pages of one document file, both numbered as before: the file is taken whole.
            if k + 1 < pages.len()
                && search_stage::add_kept_pair(c, number, [&pages[k], &pages[k + 1]], [&keys[k], &keys[k + 1]], staging)
            {
                k += 2;
                continue;
            }
            match search_stage::add_kept_page(c, number, &pages[k], &keys[k], staging) {
                Some(p) => problems.extend(p),
                // Its document could not be read back: the page's text is analysed.
                None => {
                    let body = render_body(&pages[k], self.prepared, self.settings.mode);
                    // Its warnings are the record's; an error (its file changed since it was
                    // loaded) fails the build, as it would have rendered.
                    problems.extend(body.diagnostics.iter().filter(|d| d.severity >= Severity::Error).cloned());
                    let (p, key) = search_stage::add_page(c, number, &pages[k], self.prepared, &body, staging);
                    problems.extend(p);
                    record.pages[k].search = key.as_ref().map(kept_plans::hex);
                    analysed = true;
                }
            }
            k += 1;
        }
        analysed
    }

    /// Makes anew the print edition of a plan taken from the version before, and adds its
    /// entry to the plan's `record`: with the texts of the edition `before` (its file, entry
    /// and where its texts lie) where that can be read, else from its pages' bodies rendered
    /// again (no templates).
    fn print_anew(
        &self,
        theme: &Theme,
        staging: &Staging,
        pages: &[Page],
        before: Option<(PlanFile, Range<usize>)>,
        record: &mut PlanRecord,
        problems: &mut Vec<Diagnostic>,
    ) {
        let Some(first) = pages.first() else { return };
        let edition = before.and_then(|((rel, entry), texts)| Some((previous_edition(staging, &rel, &entry)?, texts)));
        let taken = edition.as_ref().and_then(|(edition, texts)| edition.get(texts.clone()));
        let parts = match taken {
            // Only the cover and contents are made, which need no body.
            Some(_) => pages
                .iter()
                .map(|p| PrintPart { section: p.section, out: p.out, html: String::new(), spans: None })
                .collect(),
            None => self.bodies(pages, problems),
        };
        match print_edition(theme, staging, self.site, first, &parts, taken) {
            Ok((file, texts)) => {
                record.files.push(file);
                record.print_texts = texts;
            }
            Err(d) => problems.push(d),
        }
    }

    /// The bodies of `pages` rendered again (Markdown only) for a print edition; their errors
    /// into `problems`, as they would have failed the build.
    fn bodies<'p>(&self, pages: &'p [Page], problems: &mut Vec<Diagnostic>) -> Vec<PrintPart<'p>> {
        let bodies: Vec<(PrintPart, Vec<Diagnostic>)> = pages
            .par_iter()
            .map(|page| {
                let mut body = render_body(page, self.prepared, self.settings.mode);
                // Its warnings are the record's.
                let errors = body.diagnostics.iter().filter(|d| d.severity >= Severity::Error).cloned().collect();
                let html = std::mem::take(&mut body.html);
                (PrintPart { section: page.section, out: page.out, html, spans: body.spans.take() }, errors)
            })
            .collect();
        let mut parts = Vec::with_capacity(bodies.len());
        for (part, errors) in bodies {
            parts.push(part);
            problems.extend(errors);
        }
        parts
    }

    /// Page `number` (in reading order) rendered, written and handed to the search index.
    fn page<'p>(&self, page: &'p Page, number: usize) -> PageDone<'p> {
        let (mut problems, mut file, mut search) = (Vec::new(), None, None);
        let mut body = match (self.sink, self.navs.get(page.plan_index)) {
            (Sink::Write(theme, staging), Some(nav)) => {
                let (html, body) = render_page(page, self.prepared, theme, self.site, nav);
                match write_entry(staging, page.out, html) {
                    Ok(entry) => file = Some(entry),
                    Err(d) => problems.push(d),
                }
                if let Some(c) = self.collector {
                    let (p, key) = search_stage::add_page(c, number, page, self.prepared, &body, staging);
                    problems.extend(p);
                    search = key;
                }
                body
            }
            _ => render_body(page, self.prepared, self.settings.mode),
        };
        let linked = std::mem::take(&mut body.assets);
        // The plan's record keeps them only in a build that keeps its plans.
        let assets = if self.kept.is_some() { linked.clone() } else { Vec::new() };
        if let Ok(mut a) = self.assets.lock() {
            a.extend(linked);
        }
        let facts = PageFacts::new(page.out, page.status(), &mut body);
        // The body waits for the plan's print edition; `check` makes none.
        let (html, spans) = match self.sink {
            Sink::Write(..) => (std::mem::take(&mut body.html), body.spans.take()),
            Sink::Discard => (String::new(), None),
        };
        let part = PrintPart { section: page.section, out: page.out, html, spans };
        PageDone { facts, problems, part, file, search, assets }
    }
}

/// Writes the print edition of the plan of `page` (`<plan>/print.html`) from `parts`, the
/// bodies of all its pages in reading order, or with the texts `taken`
/// (`render::print_edition`); its path and manifest entry, and where its texts lie.
fn print_edition(
    theme: &Theme,
    staging: &Staging,
    site: &SiteInfo,
    page: &Page,
    parts: &[PrintPart],
    taken: Option<&str>,
) -> Result<(PlanFile, Option<Range<usize>>), Diagnostic> {
    let edition = render::print_edition(theme, site, page.plan_index, page.plan, parts, taken)?;
    write_plan_file(staging, page, PRINT_PAGE, Ok(edition.html)).map(|file| (file, edition.texts))
}

/// The previous output's print edition `rel` (listed as `entry`), whole; None where it
/// cannot be read or is not what its entry says. Its texts are borrowed from it, not copied.
fn previous_edition(staging: &Staging, rel: &str, entry: &FileEntry) -> Option<String> {
    String::from_utf8(staging.read_previous(rel, entry, MAX_PRINT_EDITION)?).ok()
}

/// A print edition longer than this is not read back (the 1,000-plan corpus's are at most
/// about 250 KB): its texts are made from the pages.
const MAX_PRINT_EDITION: u64 = 64 << 20;

/// Writes the action register of the plan of `page` (`<plan>/actions.html`): made from the
/// plan alone, it is kept with the plan's pages when they are. Its path and manifest entry.
fn plan_register(
    theme: &Theme,
    staging: &Staging,
    site: &SiteInfo,
    page: &Page,
    nav: &PlanNav,
) -> Result<PlanFile, Diagnostic> {
    let html = render::plan_register_page(theme, site, page.plan_index, page.plan, nav);
    write_plan_file(staging, page, ACTIONS_PAGE, html)
}

/// A plan's own file (print edition, register) as its record lists it: path and entry.
type PlanFile = (String, FileEntry);

/// The path of the plan of `page`'s own file `name` (`<plan>/<name>`).
fn plan_file(page: &Page, name: &str) -> String {
    format!("{}/{name}", page.plan.slug)
}

/// Writes `html` as the plan of `page`'s own file `name`; its path and manifest entry.
fn write_plan_file(
    staging: &Staging,
    page: &Page,
    name: &str,
    html: Result<String, Diagnostic>,
) -> Result<PlanFile, Diagnostic> {
    let path = plan_file(page, name);
    write_entry(staging, &path, html).map(|entry| (path, entry))
}

/// Writes a rendered page, or returns why there is none.
fn write(staging: &Staging, path: &str, html: Result<String, Diagnostic>) -> Option<Diagnostic> {
    write_entry(staging, path, html).err()
}

/// `write`, with the manifest entry of the file written.
fn write_entry(staging: &Staging, path: &str, html: Result<String, Diagnostic>) -> Result<FileEntry, Diagnostic> {
    staging.write(path, html?.as_bytes()).map_err(|e| output_error(Path::new(path), &e))
}

/// Stage 2: the home page, then what every build's root holds (`write_shared`).
pub fn site_pages(prepared: &Prepared, theme: &Theme, staging: &Staging, settings: &Settings) -> Vec<Diagnostic> {
    let site = settings.site(prepared);
    let home = render::home_page(theme, &site, &prepared.site.plans);
    let mut problems: Vec<Diagnostic> = write(staging, "index.html", home).into_iter().collect();
    problems.extend(write_shared(theme, &site, staging));
    if settings.version.is_some() {
        problems.extend(write(staging, render::VERSION_CSS, Ok(render::version_css(&site))));
    }
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

/// Stage 3: the site's action register (by partner) and the exports, side by side; each
/// plan's register is made with its pages (stage 1). Returns the problems and how many
/// pages were written.
pub fn commitments(
    prepared: &Prepared,
    theme: &Theme,
    staging: &Staging,
    settings: &Settings,
) -> (Vec<Diagnostic>, usize) {
    let site = settings.site(prepared);
    let (register, mut problems) = rayon::join(
        || write(staging, ACTIONS_PAGE, render::site_register_page(theme, &site, &prepared.site)),
        || exports(prepared, staging, settings),
    );
    problems.extend(register);
    (problems, 1)
}

/// The exports of `prepared` in `exports/`.
fn exports(prepared: &Prepared, staging: &Staging, settings: &Settings) -> Vec<Diagnostic> {
    let model = &prepared.site;
    let entries = site_entries(model, settings.today);
    let input = JsonInput {
        title: &prepared.config.title,
        today: settings.today,
        audience: prepared.audience,
        version: settings.version.map(|v| v.slug.as_str()),
        config: &prepared.config,
    };
    // Each is one large file: made side by side, they do not wait for each other.
    let ((csv, ics), json) = rayon::join(
        || {
            rayon::join(
                || export::actions_csv(&entries, &prepared.config),
                || export::deadlines_ics(model, &entries, &prepared.config, settings.today),
            )
        },
        || export::plans_json(model, &entries, &input),
    );
    let files = [(export::ACTIONS_CSV, csv), (export::DEADLINES_ICS, ics), (export::PLANS_JSON, json)];
    files
        .into_iter()
        .filter_map(|(path, bytes)| staging.write(path, &bytes).err().map(|e| output_error(Path::new(path), &e)))
        .collect()
}

/// Stage 4: the linked files under `content/`, copied (to their NFC names). The walk left
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
