//! The one pipeline that `build`, `check`, `serve` and every version of a versioned build go
//! through: load → filter by audience → index → render → write into staging → lint.
//!
//! `prepare` does the first three on any content source; `run` renders, writes and lints
//! (its stages are listed in `stages.rs`); `publish` is `run` into a staging folder that is
//! swapped in only when there are no errors. The pipeline knows nothing of versions or
//! commands: a version's history reaches the pages as plain data in `Settings`.

pub mod fingerprint;
mod kept_plans;
mod reload;
mod search;
mod stages;

pub use reload::reload_plans;
pub use search::{update_index, SavedPage};
pub use stages::write_shared;

use crate::config::Config;
use crate::content::{self, ContentSource, CONTENT_DIR};
use crate::date::Date;
use crate::diag::{apply_levels, lints, Diagnostic, Diagnostics};
use crate::i18n::ui_string;
use crate::lint::{self, PageFacts};
use crate::markdown::{self, Labels, LinkIndex, Mode, PageTitle, Rendered};
use crate::model::{Classification, PageEntry, Plan, Removed, Section, Site, SiteIndex, Source, Status};
use crate::output::{Staging, Trust};
use crate::render::{self, PlanNav, SiteInfo, Theme, VersionInfo};
use crate::util::url::{nfc, slash_path};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// A loaded, filtered and indexed repository, ready to render.
pub struct Prepared {
    pub config: Config,
    pub site: Site,
    /// Every visible page, built once after the filter.
    pub index: SiteIndex,
    pub links: LinkIndex,
    pub audience: Classification,
    /// Source paths under `content/` left out for the audience or as drafts.
    pub removed: Removed,
    /// How many plans and sections the audience may read were left out as drafts.
    pub drafts_left_out: usize,
    /// Drafts were kept (`--drafts`, or a preview).
    pub drafts: bool,
    /// Loading's findings.
    pub diagnostics: Diagnostics,
    /// The name on disk of each file under `content/` whose name there is not in NFC
    /// (the model and the output name it in NFC).
    pub on_disk: HashMap<String, String>,
    /// Where the model was loaded from: each page's Markdown is read from it again when
    /// the page renders, as the model keeps no bodies.
    pub source: ContentSource,
    /// The digest of what was loaded (`content::Loaded::digest`); None for a model spliced
    /// from several loads (`reload_plans`).
    pub content_digest: Option<[u8; 32]>,
}

/// Loads `source`, removes what `audience` (else the config's) may not see and, unless
/// `drafts`, every draft, and indexes what is left.
pub fn prepare(config: Config, source: ContentSource, audience: Option<Classification>, drafts: bool) -> Prepared {
    let audience = audience.unwrap_or(config.audience);
    let loaded = content::load(&source);
    let content::Filtered { site, removed, drafts_left_out } =
        content::filter(loaded.site, content::Visibility { audience, drafts });
    let index = SiteIndex::new(&site);
    let links = content::link_index(&site, &index, &removed, loaded.files);
    let diagnostics = Diagnostics(loaded.diagnostics);
    let on_disk = loaded.on_disk;
    let content_digest = Some(loaded.digest);
    Prepared {
        config,
        site,
        index,
        links,
        audience,
        removed,
        drafts_left_out,
        drafts,
        diagnostics,
        on_disk,
        source,
        content_digest,
    }
}

/// How a run renders.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    pub mode: Mode,
    /// The command's reference date: overdue actions and the build date.
    pub today: Date,
    /// In a versioned build, the version being built.
    pub version: Option<&'a VersionInfo>,
}

impl Settings<'_> {
    /// What every page of `prepared` shares.
    pub fn site<'p>(&'p self, prepared: &'p Prepared) -> SiteInfo<'p> {
        site_info(&prepared.config, prepared.audience, self)
    }
}

/// What every page of a build shares, for a build of `config` for `audience`.
pub fn site_info<'a>(config: &'a Config, audience: Classification, settings: &Settings<'a>) -> SiteInfo<'a> {
    SiteInfo { config, mode: settings.mode, today: settings.today, audience, version: settings.version }
}

/// What a run produced: the counts for the summary line, what the pages told the lints,
/// and every finding (loading's, the pages', the site-wide lints' and writing's).
#[derive(Debug, Default)]
pub struct Built {
    pub plans: usize,
    pub pages: usize,
    /// Plans and sections left out as drafts.
    pub drafts_left_out: usize,
    pub facts: Vec<PageFacts>,
    pub diagnostics: Diagnostics,
    /// A preview run's search index, which `serve` updates when a page is saved.
    pub search: Option<crate::search::Index>,
    /// In a versioned build: the warnings of each older version, counted rather than listed,
    /// since an adopted version is not edited any more (`diagnostics` are the newest's).
    pub older_versions: Vec<VersionTally>,
    /// The output folder already held this build's output, which was kept: nothing was
    /// written (`fingerprint::keep_unchanged`).
    pub kept: bool,
    /// Plans taken from the previous output because nothing they are made from changed
    /// (`kept_plans`).
    pub plans_kept: usize,
    /// In a versioned build: `plans_kept` counts the newest version's plans taken from the
    /// build of the version before.
    pub kept_from_version: bool,
}

/// An older version's warnings in a versioned build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionTally {
    pub version: String,
    pub warnings: usize,
}

/// One page of a plan: its overview (no section) or one of its sections.
pub struct Page<'a> {
    /// Position of `plan` in the site, to find what is built once per plan.
    pub plan_index: usize,
    pub plan: &'a Plan,
    pub section: Option<&'a Section>,
    /// Output path relative to the output root.
    pub out: &'a str,
    /// Who may read it: its own classification or a higher one of its plan or parents.
    pub classification: Classification,
}

impl<'a> Page<'a> {
    /// The adoption status of this page: its section's, or its plan's for the overview.
    pub fn status(&self) -> Option<Status> {
        match self.section {
            Some(s) => s.meta.status,
            None => self.plan.meta.status,
        }
    }

    /// The Markdown source of this page; None for a folder without `_index.md`.
    pub fn source(&self) -> Option<&'a Source> {
        match self.section {
            Some(s) => s.source.as_ref(),
            None => Some(&self.plan.source),
        }
    }
}

/// Every page of the site in reading order.
pub fn pages(prepared: &Prepared) -> Vec<Page<'_>> {
    prepared.index.pages.iter().filter_map(|entry| page(&prepared.site, entry)).collect()
}

/// The page of `entry` in `site`, with the classification its readers need.
pub fn page<'a>(site: &'a Site, entry: &'a PageEntry) -> Option<Page<'a>> {
    let (plan, section) = entry.resolve(site)?;
    let classification = plan.classification_at(entry.section.as_deref().unwrap_or_default());
    Some(Page { plan_index: entry.plan, plan, section, out: &entry.out, classification })
}

/// The labels the Markdown renderer writes, in the handbook's language.
fn labels(config: &Config) -> Labels {
    let t = |key| ui_string(config.language, key);
    Labels {
        blank: t("mark_blank"),
        choice: t("mark_choice"),
        footnotes: t("footnotes"),
        footnote_back: t("footnote_back"),
        personal: t("mark_personal"),
        table: t("table_region"),
    }
}

/// The Markdown of one page rendered to HTML, with its findings. The body is read from the
/// prepared source; when it cannot be read as loaded, the page is empty and the finding says
/// why (an error, so nothing is published).
pub fn render_body(page: &Page, prepared: &Prepared, mode: Mode) -> Rendered {
    match page_body(page, prepared) {
        Ok(Some((source, body))) => render_markdown(page, source, &body, prepared, mode),
        Ok(None) => Rendered::default(),
        Err(d) => Rendered { diagnostics: vec![d], ..Rendered::default() },
    }
}

/// The Markdown body of `page`, read again from the prepared source, with its source; None
/// for a folder without `_index.md`.
fn page_body<'p>(page: &Page<'p>, prepared: &Prepared) -> Result<Option<(&'p Source, String)>, Diagnostic> {
    let Some(source) = page.source() else { return Ok(None) };
    content::read_body(&prepared.source, source).map(|body| Some((source, body)))
}

/// `body`, the Markdown of `page` from `source`, rendered to HTML with its findings.
fn render_markdown(page: &Page, source: &Source, body: &str, prepared: &Prepared, mode: Mode) -> Rendered {
    let on_disk = slash_path(source.path.strip_prefix(CONTENT_DIR).unwrap_or(&source.path));
    // Links resolve against the model's names, which are NFC.
    let source_rel = nfc(&on_disk);
    let plan = page.plan;
    let fill = |name: &str| plan.placeholder(name).map(str::to_string);
    let labels = labels(&prepared.config);
    // The title falls back to the first `#` heading only without a front-matter title.
    let (set, title) = match page.section {
        Some(s) => (s.meta.title.is_some(), s.title.as_str()),
        None => (plan.meta.title.is_some(), plan.title.as_str()),
    };
    let cx = markdown::RenderContext {
        mode,
        allow_raw_html: prepared.config.allow_raw_html,
        allow_remote_images: prepared.config.allow_remote_images,
        file: &source.path,
        body_line: source.body_line,
        source_rel: &source_rel,
        page_out: page.out,
        links: &prepared.links,
        placeholder: &fill,
        labels: &labels,
        title: if set { PageTitle::Set(title) } else { PageTitle::FirstHeading },
        privacy: privacy(page, &prepared.config),
    };
    markdown::render(body, &cx)
}

/// What the personal-data guard checks a page with; None where personal data belongs.
fn privacy<'c>(page: &Page, config: &'c Config) -> Option<markdown::Privacy<'c>> {
    (page.classification < Classification::Vertrouwelijk)
        .then_some(markdown::Privacy { allow: &config.privacy.allow, classification: page.classification })
}

/// Renders one page of a plan: its HTML (or why the theme failed) and its rendered body,
/// whose findings and assets the caller keeps.
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
        None => render::plan_page(theme, site, page.plan_index, page.plan, nav, &body),
    };
    (html, body)
}

/// The print edition of plan `plan_index` with its pages' Markdown rendered anew: for the
/// preview server, which re-renders single pages outside `run`.
pub fn render_print(
    prepared: &Prepared,
    theme: &Theme,
    site: &SiteInfo,
    plan_index: usize,
) -> Option<(String, Result<String, Diagnostic>)> {
    let plan = prepared.site.plans.get(plan_index)?;
    let entries = prepared.index.pages.iter().filter(|entry| entry.plan == plan_index);
    let pages: Vec<Page> = entries.filter_map(|entry| page(&prepared.site, entry)).collect();
    let out = format!("{}/{}", plan.slug, render::PRINT_PAGE);
    // A page whose file changed since loading leaves the edition as it was, rather than
    // print it without that page.
    let parts: Result<Vec<render::PrintPart>, Diagnostic> = pages
        .par_iter()
        .map(|p| {
            let (html, spans) = match page_body(p, prepared)? {
                Some((source, body)) => {
                    let rendered = render_markdown(p, source, &body, prepared, site.mode);
                    (rendered.html, rendered.spans)
                }
                None => (String::new(), None),
            };
            Ok(render::PrintPart { section: p.section, out: p.out, html, spans })
        })
        .collect();
    match parts {
        Ok(parts) => Some((out, render::print_page(theme, site, plan_index, plan, &parts))),
        Err(d) => Some((out, Err(d))),
    }
}

/// Every finding of a run: loading's, the pages' and the site-wide lints', with the
/// configured levels applied, sorted.
pub fn lint(prepared: &Prepared, facts: &[PageFacts], today: Date) -> Diagnostics {
    let input = lint::Input {
        site: &prepared.site,
        index: &prepared.index,
        config: &prepared.config,
        removed: &prepared.removed,
        today,
    };
    let mut all = prepared.diagnostics.0.clone();
    all.extend(lint::run(&input, facts));
    apply_levels(&mut all, &prepared.config.check.levels);
    lint::weigh_personal_data(&mut all, prepared.audience);
    Diagnostics::default().merged(all)
}

/// Where a run's pages go.
pub enum Sink<'a> {
    /// Rendered with `Theme` and written into the staging folder.
    Write(&'a Theme, &'a Staging),
    /// Only the Markdown is rendered, for its findings (`check`).
    Discard,
}

/// Renders every page, writes what the sink takes, and lints: the whole pipeline after
/// `prepare`. The stages, in order, are in `stages.rs`.
pub fn run(prepared: &Prepared, sink: &Sink, settings: &Settings) -> Built {
    let collector = || match sink {
        Sink::Write(_, staging) => Some(search::collector(prepared, settings.mode, staging)),
        Sink::Discard => None,
    };
    let (facts, mut results) = stages::pages(prepared, sink, settings, collector);
    let collector = results.collector.take();
    let mut problems = results.problems;
    let mut pages = results.pages;
    let mut search_index = None;
    let mut linted = None;
    if let Sink::Write(theme, staging) = sink {
        // The search index is put together on one thread: the other stages, and the lint
        // rules, run beside it.
        let (others, searched) = rayon::join(
            || {
                let mut problems = stages::site_pages(prepared, theme, staging, settings);
                let (registers, written) = stages::commitments(prepared, theme, staging, settings);
                problems.extend(registers);
                problems.extend(stages::assets(prepared, results.assets, staging));
                (problems, written, lint(prepared, &facts, settings.today))
            },
            || collector.map(|c| search::write_index(prepared, c, theme, staging, settings)),
        );
        let (more, written, diagnostics) = others;
        problems.extend(more);
        linted = Some(diagnostics);
        if let Some((more, index)) = searched {
            problems.extend(more);
            search_index = Some(index).filter(|_| settings.mode == Mode::Preview);
        }
        // The home page and the 404 page, and the registers.
        pages += 2 + written;
    }
    let diagnostics = linted.unwrap_or_else(|| lint(prepared, &facts, settings.today)).merged(problems);
    Built {
        plans: prepared.site.plans.len(),
        pages,
        drafts_left_out: prepared.drafts_left_out,
        facts,
        diagnostics,
        older_versions: Vec::new(),
        search: search_index,
        kept: false,
        plans_kept: results.plans_kept,
        kept_from_version: false,
    }
}

/// `run` into a staging folder for `out`, swapped into place when the run has no errors,
/// with `extra` files (path under the output root, bytes) written beside the pages. On
/// errors the previous `out` is left as it was. `owned`: whether `out` held only planboek's
/// files when the command checked it (`output::Checked::owned`); None: found out here.
/// `trust`: how far the previous `out` may be believed, which only the caller knows (a
/// folder inside the repository could have come with a push); one believed at its
/// manifest's word is built over the output it replaced last (`Staging::recycle`).
pub fn publish(
    prepared: &Prepared,
    theme: &Theme,
    settings: &Settings,
    out: &Path,
    owned: Option<bool>,
    trust: Trust,
    extra: &[(String, Vec<u8>)],
) -> Result<Built, Diagnostics> {
    let staging = staging_for(out, owned, trust)?;
    publish_into(staging, prepared, theme, settings, out, extra, |_| ()).map(|published| published.built)
}

/// What `publish_into` gives back.
pub struct Published<R> {
    pub built: Built,
    /// What ran beside the commit.
    pub beside: R,
    /// When the output was in place.
    pub placed: std::time::Instant,
}

/// The staging folder of a `publish` into `out` (see there).
pub fn staging_for(out: &Path, owned: Option<bool>, trust: Trust) -> Result<Staging, Diagnostics> {
    let mut staging = Staging::starting(out, owned).map_err(|e| output_error(out, &e))?;
    staging.trust(trust);
    staging.recycle().map_err(|e| output_error(out, &e))?;
    Ok(staging)
}

/// `publish` into a fresh folder `out` that reuses the unchanged files of `previous`, a
/// tree of planboek's that stays where it is (the preview server's, still being served, or
/// the cache entry of the version before), believed as far as `trust` says.
pub fn publish_beside(
    prepared: &Prepared,
    theme: &Theme,
    settings: &Settings,
    out: &Path,
    previous: &Path,
    trust: Trust,
    extra: &[(String, Vec<u8>)],
) -> Result<Built, Diagnostics> {
    let mut staging = Staging::new(out).map_err(|e| output_error(out, &e))?;
    staging.reuse_from(previous);
    staging.trust(trust);
    publish_into(staging, prepared, theme, settings, out, extra, |_| ()).map(|published| published.built)
}

/// `run` into `staging` (the staging folder for `out`), with `extra` files, committed when
/// the run has no errors; `beside` runs on what was built while it is swapped into place:
/// for what describes the output without being part of it (the record of its inputs), made
/// while the commit waits on the disk.
pub fn publish_into<R: Send>(
    staging: Staging,
    prepared: &Prepared,
    theme: &Theme,
    settings: &Settings,
    out: &Path,
    extra: &[(String, Vec<u8>)],
    beside: impl FnOnce(&Built) -> R + Send,
) -> Result<Published<R>, Diagnostics> {
    let mut built = run(prepared, &Sink::Write(theme, &staging), settings);
    for (path, bytes) in extra {
        built.diagnostics.extend(staging.write(path, bytes).err().map(|e| output_error(Path::new(path), &e)));
    }
    if built.diagnostics.has_errors() {
        built.diagnostics.sort();
        return Err(built.diagnostics);
    }
    let (committed, beside) = rayon::join(|| staging.commit().map(|()| std::time::Instant::now()), || beside(&built));
    match committed {
        Ok(placed) => Ok(Published { built, beside, placed }),
        Err(e) => Err(built.diagnostics.clone().merged([output_error(out, &e)])),
    }
}

/// A failure to write the output.
pub fn output_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(lints::OUTPUT, path, 0, 0, format!("cannot write the output: {e}"))
}
