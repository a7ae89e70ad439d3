//! The pipeline that `build`, `check` and `serve` share: load → filter by audience →
//! render Markdown → render pages → write.

use crate::check::{self, lints, Diagnostic, Diagnostics, PageFacts};
use crate::config::{self, Config};
use crate::content::{self, Classification, Plan, Section, Site, Source, CONTENT_DIR};
use crate::date::Date;
use crate::markdown::{self, LinkIndex, Mode, Rendered};
use crate::output::{self, Staging};
use crate::render::{self, PlanNav, SiteInfo, Theme};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder holding planboek.toml.
    pub root: PathBuf,
    /// Output folder; `root/site` when None.
    pub out: Option<PathBuf>,
    /// Audience; the config's when None.
    pub audience: Option<Classification>,
    pub mode: Mode,
}

/// A loaded, filtered repository ready to render.
pub struct Prepared {
    pub config: Config,
    pub site: Site,
    pub links: LinkIndex,
    pub audience: Classification,
    /// Source paths under `content/` left out for the audience.
    pub removed: content::Removed,
    pub diagnostics: Diagnostics,
}

/// Loads the repository at `root` and removes what `audience` may not see. None when
/// planboek.toml itself cannot be read (the diagnostics say why).
pub fn prepare(root: &Path, audience: Option<Classification>) -> Result<Prepared, Diagnostics> {
    let config = config::load(root).map_err(|d| Diagnostics(vec![d]))?;
    Ok(prepare_with(root, config, audience))
}

/// `prepare` with planboek.toml already loaded.
pub fn prepare_with(root: &Path, config: Config, audience: Option<Classification>) -> Prepared {
    let audience = audience.unwrap_or(config.audience);
    let loaded = content::load(root);
    let (site, removed) = content::filter(loaded.site, audience);
    let links = content::link_index(&site, &removed, loaded.files);
    Prepared { config, site, links, audience, removed, diagnostics: Diagnostics(loaded.diagnostics) }
}

/// One page of a plan: its overview (no section) or one of its sections.
pub struct Page<'a> {
    /// Position of `plan` in the site, to find what is built once per plan.
    pub plan_index: usize,
    pub plan: &'a Plan,
    pub section: Option<&'a Section>,
    /// Output path relative to the output root.
    pub out: String,
}

impl Page<'_> {
    /// The adoption status of this page: its section's, or its plan's for the overview.
    pub fn status(&self) -> Option<crate::content::Status> {
        match self.section {
            Some(s) => s.meta.status,
            None => self.plan.meta.status,
        }
    }

    /// The Markdown source of this page; None for a folder without `_index.md`.
    pub fn source(&self) -> Option<&Source> {
        match self.section {
            Some(s) => s.source.as_ref(),
            None => Some(&self.plan.source),
        }
    }
}

/// Every page of the site in reading order.
pub fn pages(site: &Site) -> Vec<Page<'_>> {
    site.plans.iter().enumerate().flat_map(|(i, plan)| plan_pages(i, plan)).collect()
}

/// The pages of one plan (the `plan_index`-th of the site): its overview, then its sections.
pub fn plan_pages(plan_index: usize, plan: &Plan) -> Vec<Page<'_>> {
    let overview = Page { plan_index, plan, section: None, out: content::overview_path(plan) };
    let sections = plan.all_sections().into_iter().map(|s| Page {
        plan_index,
        plan,
        section: Some(s),
        out: content::page_path(plan, s),
    });
    std::iter::once(overview).chain(sections).collect()
}

/// The Markdown of one page rendered to HTML, with its findings.
pub fn render_body(page: &Page, prepared: &Prepared, mode: Mode) -> Rendered {
    let Some(source) = page.source() else { return Rendered::default() };
    let source_rel = source.path.strip_prefix(CONTENT_DIR).unwrap_or(&source.path);
    let source_rel = source_rel.to_string_lossy().replace('\\', "/");
    let plan = page.plan;
    let fill = |name: &str| plan.placeholder(name).map(str::to_string);
    let cx = markdown::RenderContext {
        mode,
        allow_raw_html: prepared.config.allow_raw_html,
        file: &source.path,
        body_line: source.body_line,
        source_rel: &source_rel,
        page_out: &page.out,
        links: &prepared.links,
        placeholder: &fill,
        lang: prepared.config.language,
    };
    markdown::render(&source.body, &cx)
}

/// Every finding of a run: loading's, the pages' and the site-wide lints', with the
/// configured levels applied. `build`, `check` and `serve` all report through it.
pub fn lint(prepared: &Prepared, facts: &[PageFacts], today: Date) -> Diagnostics {
    let input = check::Input { site: &prepared.site, config: &prepared.config, removed: &prepared.removed, today };
    let mut all = prepared.diagnostics.0.clone();
    all.extend(check::lint(&input, facts));
    check::apply_levels(&mut all, &prepared.config.check.levels);
    let mut ds = Diagnostics(all);
    ds.sort();
    ds
}

/// What a finished build did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub plans: usize,
    pub pages: usize,
    pub out: PathBuf,
    pub elapsed: Duration,
}

/// The result of a build: its findings, and a summary when it wrote the output.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub diagnostics: Diagnostics,
    pub summary: Option<Summary>,
}

/// Builds the handbook into the output folder, or leaves the old output untouched when
/// anything fails.
pub fn build(opts: &Options) -> Outcome {
    let started = Instant::now();
    let config = match config::load(&opts.root) {
        Ok(c) => c,
        Err(d) => return Outcome { diagnostics: Diagnostics(vec![d]), summary: None },
    };
    // A versioned handbook builds each version through this same pipeline.
    if let Some(vc) = &config.versions {
        return crate::versions::build(opts, &config, vc);
    }
    let mut prepared = prepare_with(&opts.root, config, opts.audience);
    let out = opts.out.clone().unwrap_or_else(|| opts.root.join("site"));
    let fail = |mut diagnostics: Diagnostics, d: Diagnostic| {
        diagnostics.push(d);
        diagnostics.sort();
        Outcome { diagnostics, summary: None }
    };
    let out = match output::check_out_dir(&opts.root, &out) {
        Ok(o) => o,
        Err(output::Refused(why)) => {
            return fail(prepared.diagnostics, Diagnostic::new(lints::OUTPUT, &out, 0, 0, why));
        }
    };
    let theme = match Theme::load(&opts.root, &prepared.config) {
        Ok(t) => t,
        Err(ds) => {
            prepared.diagnostics.extend(ds);
            prepared.diagnostics.sort();
            return Outcome { diagnostics: prepared.diagnostics, summary: None };
        }
    };
    let staging = match Staging::new(&out) {
        Ok(s) => s,
        Err(e) => return fail(prepared.diagnostics, output_error(&out, &e)),
    };
    let written = write_site(&prepared, &theme, opts.mode, &staging);
    let linted = lint(&prepared, &written.facts, Date::today());
    prepared.diagnostics = linted;
    prepared.diagnostics.extend(written.diagnostics);
    prepared.diagnostics.sort();
    if prepared.diagnostics.has_errors() {
        return Outcome { diagnostics: prepared.diagnostics, summary: None };
    }
    if let Err(e) = staging.commit() {
        return fail(prepared.diagnostics, output_error(&out, &e));
    }
    let summary = Summary { plans: prepared.site.plans.len(), pages: written.pages, out, elapsed: started.elapsed() };
    Outcome { diagnostics: prepared.diagnostics, summary: Some(summary) }
}

fn output_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(lints::OUTPUT, path, 0, 0, format!("cannot write the output: {e}"))
}

/// Renders one page of a plan: its HTML (or why the theme failed) and its rendered body,
/// whose findings and assets the caller keeps. `write_site` and `serve` share it.
pub fn render_page(
    page: &Page,
    prepared: &Prepared,
    theme: &Theme,
    site: &SiteInfo,
    nav: &PlanNav,
) -> (Result<String, Diagnostic>, Rendered) {
    let body = render_body(page, prepared, site.mode);
    let html = match page.section {
        Some(s) => render::section_page(theme, site, page.plan, nav, s, &body),
        None => render::plan_page(theme, site, page.plan, nav, &body),
    };
    (html, body)
}

/// What writing the pages produced.
pub struct Written {
    pub pages: usize,
    /// What each page told the lints (its Markdown findings among them).
    pub facts: Vec<PageFacts>,
    /// Problems of the theme and of writing.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders and writes every page, the static files and the linked assets into `staging`.
pub fn write_site(prepared: &Prepared, theme: &Theme, mode: Mode, staging: &Staging) -> Written {
    let site = SiteInfo { config: &prepared.config, mode, build_date: Date::today(), audience: prepared.audience };
    let navs: Vec<PlanNav> = prepared.site.plans.iter().map(render::plan_nav).collect();
    let pages = pages(&prepared.site);
    let assets = Mutex::new(BTreeSet::new());
    let (facts, problems): (Vec<PageFacts>, Vec<Option<Diagnostic>>) = pages
        .par_iter()
        .map(|page| {
            let (html, mut body) = render_page(page, prepared, theme, &site, &navs[page.plan_index]);
            let problem = match html {
                Ok(html) => {
                    staging.write(&page.out, html.as_bytes()).err().map(|e| output_error(Path::new(&page.out), &e))
                }
                Err(d) => Some(d),
            };
            if let Ok(mut a) = assets.lock() {
                a.extend(std::mem::take(&mut body.assets));
            }
            (PageFacts::new(&page.out, page.status(), &mut body), problem)
        })
        .unzip();
    let mut diagnostics: Vec<Diagnostic> = problems.into_iter().flatten().collect();
    let singles = [
        ("index.html", render::home_page(theme, &site, &prepared.site.plans)),
        ("404.html", render::not_found_page(theme, &site)),
    ];
    for (path, html) in singles {
        match html {
            Ok(html) => diagnostics
                .extend(staging.write(path, html.as_bytes()).err().map(|e| output_error(Path::new(path), &e))),
            Err(d) => diagnostics.push(d),
        }
    }
    for (path, bytes) in theme.static_files() {
        diagnostics.extend(staging.write(&path, bytes).err().map(|e| output_error(Path::new(&path), &e)));
    }
    let content = prepared.site.root.join(CONTENT_DIR);
    for rel in assets.into_inner().unwrap_or_default() {
        diagnostics.extend(staging.copy(&content.join(&rel), &rel).err().map(|e| output_error(Path::new(&rel), &e)));
    }
    Written { pages: pages.len() + 2, facts, diagnostics }
}
