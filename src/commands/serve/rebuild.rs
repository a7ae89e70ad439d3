//! Builds for `serve`, through the pipeline: a full build into a fresh folder, or — when
//! only the body of known sections changed — just their pages, written over the served tree
//! file by file.

use super::indexer::{record_in_manifest, write_served, Indexer, Place};
use super::state::Shared;
use super::watch::Batch;
use crate::commands::load_site;
use crate::content::{self, ContentSource, CONTENT_DIR};
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::lint::PageFacts;
use crate::markdown::Mode;
use crate::model::{Classification, FrontMatter, Source};
use crate::output::{FileEntry, Trust};
use crate::pipeline::{self, output_error, Built, Prepared, SavedPage, Settings};
use crate::render::{self, Theme, VersionInfo};
use crate::util::url::{nfc, slash_path};
use crate::versions;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// More changed files than this in one batch are rebuilt in full: it is as fast and simpler.
const MAX_PAGES: usize = 16;
/// A change to the files of at most this many plans shows them before the full build.
const MAX_PLANS: usize = 4;

/// The name the working tree is served under by `serve --versions`, unless planboek.toml
/// names it with `current`.
pub const CURRENT: &str = "current";

/// A rebuild that worked: what it built and how it reaches the browsers.
pub struct Served {
    pub built: Built,
    /// The new tree to serve after a full build; None when pages were updated in place.
    pub new_root: Option<PathBuf>,
    pub elapsed: Duration,
    /// The pages were already made visible: they were written in place.
    pub published: bool,
    /// What was served in place before the full build that followed, and when.
    pub page_served: Option<(&'static str, Duration)>,
}

/// The last good build, kept to re-render single pages.
struct Model {
    /// Its `diagnostics` are loading's only; the lints run over them and `facts` again.
    prepared: Prepared,
    theme: Theme,
    /// What each page told the lints, so a page rebuild re-lints exactly like a full one.
    facts: Vec<PageFacts>,
    /// Where its pages are in the served tree: the root, or the working tree's version folder.
    sub: String,
    /// With `--versions`: the working tree's version, whose bar and history its pages show.
    version: Option<VersionInfo>,
    /// The search index of a plain preview, updated when a page is saved (with `--versions`
    /// the full rebuild that follows a saved page rebuilds it).
    search: Option<Indexer>,
}

/// Builds the repository at `root` into numbered folders under `temp`.
pub struct Builder {
    root: PathBuf,
    audience: Option<Classification>,
    /// Build every version (`serve --versions`), the working tree among them.
    versions: bool,
    temp: PathBuf,
    count: u32,
    model: Option<Model>,
    /// The folder being served.
    served: Option<PathBuf>,
    /// The last build failed: the model may not match the files, so rebuild in full.
    failed: bool,
    /// Trees no longer served; removed at the next full build, once no request can still be
    /// reading them.
    stale: Vec<PathBuf>,
    /// Makes pages written in place visible before the site-wide lints have run; the
    /// search index's thread writes while no rebuild does.
    shared: Arc<Shared>,
    /// With `--versions`: the served tree's version folders, which the next full build moves
    /// into its own tree when their version did not change.
    tree: Option<versions::Tree>,
}

impl Builder {
    pub fn new(opts: &super::Options, root: PathBuf, temp: PathBuf, shared: Arc<Shared>) -> Builder {
        Builder {
            root,
            audience: opts.audience,
            versions: opts.versions,
            temp,
            count: 0,
            model: None,
            served: None,
            failed: false,
            stale: Vec::new(),
            shared,
            tree: None,
        }
    }

    /// Rebuilds after `batch`: only the changed pages when that is enough, else everything.
    /// `today` is the reference date of this rebuild.
    pub fn rebuild(&mut self, batch: &Batch, today: Date) -> Result<Served, Diagnostics> {
        let started = Instant::now();
        let result = match self.pages_only(batch) {
            // The saved page is served at once; then the whole versioned handbook follows,
            // as the working tree's changes page and diff links depend on every section.
            Some(changed) if self.versions => self.render_pages(&changed, today, started).and_then(|page| {
                self.full_versions(today).map(|done| Served { page_served: page.page_served, ..done })
            }),
            Some(changed) => self.render_pages(&changed, today, started),
            None => {
                let early = self.plans_first(batch, today, started).map(|t| ("the changed plan's pages", t));
                let done = if self.versions { self.full_versions(today) } else { self.full(today) };
                done.map(|done| Served { page_served: early, ..done })
            }
        };
        self.failed = result.is_err();
        result.map(|done| Served { elapsed: started.elapsed(), ..done })
    }

    /// A full build into a fresh folder; the served one stays untouched until it is swapped.
    fn full(&mut self, today: Date) -> Result<Served, Diagnostics> {
        self.remove_stale();
        let (config, theme) = load_site(&self.root)?;
        let prepared = pipeline::prepare(config, ContentSource::Disk(self.root.clone()), self.audience, true);
        let dir = self.next_dir();
        let settings = Settings { mode: Mode::Preview, today, version: None };
        // Pages that did not change are linked from the tree served until now, whose
        // manifest page rebuilds keep true; it stays in place for requests still reading it.
        let mut built = match &self.served {
            // The preview's own folders, outside the repository.
            Some(served) => pipeline::publish_beside(&prepared, &theme, &settings, &dir, served, Trust::Listed, &[])?,
            None => pipeline::publish(&prepared, &theme, &settings, &dir, None, Trust::Listed, &[])?,
        };
        let facts = std::mem::take(&mut built.facts);
        let place = Place { served: dir.clone(), sub: String::new() };
        let search = built.search.take().map(|index| Indexer::start(index, place, Arc::clone(&self.shared)));
        self.model = Some(Model { prepared, theme, facts, sub: String::new(), version: None, search });
        Ok(self.serve(dir, built))
    }

    /// Every version, the working tree as `current`, through the versioned build. Unchanged
    /// versions come from the cache; the working tree's model is kept for page rebuilds.
    fn full_versions(&mut self, today: Date) -> Result<Served, Diagnostics> {
        self.remove_stale();
        let (config, theme) = load_site(&self.root)?;
        let dir = self.next_dir();
        let job = versions::Job {
            root: &self.root,
            config: &config,
            theme: &theme,
            audience: self.audience.unwrap_or(config.audience),
            mode: Mode::Preview,
            drafts: true,
            today,
            out: &dir,
            current: Some(CURRENT),
            earlier: self.tree.as_ref(),
            keep_previous: false,
            owned: None,
        };
        let finished = versions::build(&job)?;
        let built = finished.built;
        self.tree = Some(finished.tree);
        self.model = finished.current.map(|c| Model {
            prepared: c.prepared,
            theme,
            facts: c.facts,
            sub: c.info.slug.clone(),
            version: Some(c.info),
            search: None,
        });
        Ok(self.serve(dir, built))
    }

    fn next_dir(&mut self) -> PathBuf {
        self.count += 1;
        self.temp.join(format!("build-{}", self.count))
    }

    /// Records `dir` as served; the one served before is removed at the next full build.
    fn serve(&mut self, dir: PathBuf, built: Built) -> Served {
        if let Some(old) = self.served.replace(dir.clone()) {
            self.stale.push(old);
        }
        Served { built, new_root: Some(dir), elapsed: Duration::ZERO, published: false, page_served: None }
    }

    /// Trees no longer served: by the next full build no request can still be reading them.
    /// Removed on a thread of their own, as deleting thousands of files would delay the build.
    fn remove_stale(&mut self) {
        let stale = std::mem::take(&mut self.stale);
        if !stale.is_empty() {
            std::thread::spawn(move || stale.into_iter().for_each(|dir| drop(fs::remove_dir_all(dir))));
        }
    }

    /// The changed Markdown files when each is a page of the model whose front matter and
    /// title did not change, after putting their new text into the model; None otherwise.
    fn pages_only(&mut self, batch: &Batch) -> Option<Vec<PathBuf>> {
        if batch.everything || self.failed || batch.paths.len() > MAX_PAGES {
            return None;
        }
        let model = self.model.as_mut()?;
        let site = &model.prepared.site;
        let mut updates = Vec::new();
        for path in &batch.paths {
            let key = slash_path(path.strip_prefix(CONTENT_DIR).ok()?);
            let entry = model.prepared.index.by_key(&key)?;
            let source = match entry.resolve(site)? {
                (plan, None) => reload_unchanged(&self.root, &key, &plan.meta, &plan.source)?,
                (_, Some(s)) => reload_unchanged(&self.root, &key, &s.meta, s.source.as_ref()?)?,
            };
            updates.push((entry.plan, entry.section.clone(), source));
        }
        // Only now that every file qualified does the model change.
        for (plan, section, source) in updates {
            let plan = model.prepared.site.plans.get_mut(plan)?;
            match section {
                None => plan.source = source,
                Some(at) => plan.section_at_mut(&at)?.source = Some(source),
            }
        }
        Some(batch.paths.iter().cloned().collect())
    }

    /// Re-renders the pages of `changed` (source paths) into the served tree.
    fn render_pages(&mut self, changed: &[PathBuf], today: Date, started: Instant) -> Result<Served, Diagnostics> {
        let (Some(model), Some(served)) = (self.model.as_mut(), self.served.as_deref()) else {
            return Err(Diagnostics::default());
        };
        let rendered = render_changed(model, changed, today);
        // The page's own errors keep the served page as it was; the site-wide lints run after
        // the page is served, as they take longer than rendering it on a large handbook.
        let own_error = rendered.problems.iter().chain(rendered.own_findings(&model.facts)).any(Diagnostic::is_error);
        let lint = |m: &Model| pipeline::lint(&m.prepared, &m.facts, today);
        if own_error {
            return Err(lint(model).merged(rendered.problems));
        }
        let dir = served.join(&model.sub);
        let mut written = Vec::new();
        let result = write_pages(&dir, &self.root.join(CONTENT_DIR), &rendered.pages, &mut written);
        record_in_manifest(served, &model.sub, written, Vec::new());
        result?;
        self.shared.publish(None, None);
        let page_served = Some(("the saved page", started.elapsed()));
        // The search index takes the pages in on its own thread, as replacing a page's
        // entries touches hundreds of index files on a large handbook.
        if let Some(indexer) = &model.search {
            indexer.take(rendered.search);
        }
        let diagnostics = lint(model).merged(rendered.problems);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let built = Built {
            plans: model.prepared.site.plans.len(),
            pages: rendered.pages.len(),
            drafts_left_out: 0,
            facts: Vec::new(),
            diagnostics,
            older_versions: Vec::new(),
            kept: false,
            plans_kept: 0,
            kept_from_version: false,
            search: None,
        };
        Ok(Served { built, new_root: None, elapsed: Duration::ZERO, published: true, page_served })
    }

    /// After files of a few plans were added, removed or renamed: those plans loaded again
    /// and all their pages written over the served tree, so the change shows before the full
    /// build that follows. When it was served; None when the change reaches further, or the
    /// plans have errors (the full build reports them).
    fn plans_first(&mut self, batch: &Batch, today: Date, started: Instant) -> Option<Duration> {
        if batch.everything || self.failed {
            return None;
        }
        let dirs = touched_plans(&self.root, &batch.paths)?;
        let (Some(model), Some(served)) = (self.model.as_ref(), self.served.as_deref()) else { return None };
        let prepared = pipeline::reload_plans(&model.prepared, &dirs, true);
        if prepared.diagnostics.has_errors() {
            return None;
        }
        let settings = Settings { mode: Mode::Preview, today, version: model.version.as_ref() };
        let slugs: BTreeSet<String> = dirs.iter().map(|d| nfc(d).into_owned()).collect();
        let (mut rendered, facts) =
            rerender(&prepared, &model.theme, &settings, &|p| slugs.contains(&p.plan.slug), false);
        let site = settings.site(&prepared);
        for (i, plan) in prepared.site.plans.iter().enumerate().filter(|(_, p)| slugs.contains(&p.slug)) {
            let html = render::plan_register_page(&model.theme, &site, i, plan, &render::plan_nav(plan));
            rendered.take(format!("{}/{}", plan.slug, render::ACTIONS_PAGE), html);
        }
        let own = facts.iter().flat_map(|f| &f.diagnostics);
        if rendered.problems.iter().chain(own).any(Diagnostic::is_error) {
            return None;
        }
        // The pages the plans no longer have go first, so that a page of the plans as they
        // are now is never served beside one they no longer have (a renamed section).
        let dir = served.join(&model.sub);
        let gone: Vec<String> = plan_outputs(&model.prepared, &slugs)
            .difference(&plan_outputs(&prepared, &slugs))
            .filter(|rel| fs::remove_file(dir.join(rel)).is_ok())
            .cloned()
            .collect();
        let mut written = Vec::new();
        let result = write_pages(&dir, &self.root.join(CONTENT_DIR), &rendered.pages, &mut written);
        record_in_manifest(served, &model.sub, written, gone);
        result.ok()?;
        self.shared.publish(None, None);
        Some(started.elapsed())
    }
}

/// Pages re-rendered in place: (output path, HTML, files they link), what the search index
/// reads of them, and theme problems.
struct Rerendered {
    pages: Vec<(String, String, Vec<String>)>,
    search: Vec<SavedPage>,
    problems: Vec<Diagnostic>,
}

impl Rerendered {
    /// Keeps a rendered page (output path, HTML), or why the theme failed.
    fn take(&mut self, out: String, html: Result<String, Diagnostic>) {
        self.take_with(out, html, Vec::new());
    }

    /// Keeps a rendered page with the files it links.
    fn take_with(&mut self, out: String, html: Result<String, Diagnostic>, assets: Vec<String>) {
        match html {
            Ok(html) => self.pages.push((out, html, assets)),
            Err(d) => self.problems.push(d),
        }
    }

    /// The findings of the re-rendered pages themselves, from the model's facts.
    fn own_findings<'f>(&'f self, facts: &'f [PageFacts]) -> impl Iterator<Item = &'f Diagnostic> {
        facts.iter().filter(|f| self.pages.iter().any(|(out, ..)| *out == f.out)).flat_map(|f| &f.diagnostics)
    }
}

/// Renders the pages whose sources are in `changed` through the pipeline, and puts their
/// facts into the model; what the search index reads of them is kept for the index's thread,
/// which takes them in once they are served.
fn render_changed(model: &mut Model, changed: &[PathBuf], today: Date) -> Rerendered {
    let settings = Settings { mode: Mode::Preview, today, version: model.version.as_ref() };
    let saved = |page: &pipeline::Page| page.source().is_some_and(|s| changed.contains(&s.path));
    let (out, facts) = rerender(&model.prepared, &model.theme, &settings, &saved, model.search.is_some());
    for new in facts {
        if let Some(slot) = model.facts.iter_mut().find(|f| f.out == new.out) {
            *slot = new;
        }
    }
    out
}

/// Renders the pages of `prepared` that `pick` picks, and the print editions of their plans:
/// the pages with what the search index reads of them (if `search`), and their facts.
fn rerender(
    prepared: &Prepared,
    theme: &Theme,
    settings: &Settings,
    pick: &(dyn Fn(&pipeline::Page) -> bool + Sync),
    search: bool,
) -> (Rerendered, Vec<PageFacts>) {
    let site = settings.site(prepared);
    let picked: Vec<(usize, pipeline::Page)> =
        pipeline::pages(prepared).into_iter().enumerate().filter(|(_, page)| pick(page)).collect();
    let plans: BTreeSet<usize> = picked.iter().map(|(_, page)| page.plan_index).collect();
    // The print edition holds every page of its plan: it renders beside the picked pages.
    let (pages, prints) = rayon::join(
        || {
            let navs: HashMap<usize, render::PlanNav> =
                plans.iter().map(|&i| (i, render::plan_nav(&prepared.site.plans[i]))).collect();
            let render =
                |page: &pipeline::Page| pipeline::render_page(page, prepared, theme, &site, &navs[&page.plan_index]);
            picked.par_iter().map(|(_, page)| render(page)).collect::<Vec<_>>()
        },
        || plans.iter().filter_map(|&plan| pipeline::render_print(prepared, theme, &site, plan)).collect::<Vec<_>>(),
    );
    let mut out = Rerendered { pages: Vec::new(), search: Vec::new(), problems: Vec::new() };
    let mut facts = Vec::new();
    for ((number, page), (html, mut body)) in picked.into_iter().zip(pages) {
        let assets = std::mem::take(&mut body.assets);
        facts.push(PageFacts::new(page.out, page.status(), &mut body));
        if search {
            out.search.push(SavedPage::new(number, &page, prepared, body));
        }
        out.take_with(page.out.to_string(), html, assets);
    }
    for (path, html) in prints {
        out.take(path, html);
    }
    (out, facts)
}

/// Writes re-rendered pages over the served tree, and any file they link that it lacks; puts
/// what it wrote (path under `dir`, entry) into `written` for the manifest, also when a later
/// write fails (a failed write leaves its file as it was).
fn write_pages(
    dir: &Path,
    content: &Path,
    pages: &[(String, String, Vec<String>)],
    written: &mut Vec<(String, FileEntry)>,
) -> Result<(), Diagnostic> {
    for (out, html, assets) in pages {
        write_served(&dir.join(out), html.as_bytes()).map_err(|e| output_error(Path::new(out), &e))?;
        written.push((out.clone(), FileEntry::of(html.as_bytes())));
        for asset in assets.iter().filter(|a| !dir.join(a).exists()) {
            if let Ok(bytes) = fs::read(content.join(asset)) {
                write_served(&dir.join(asset), &bytes).map_err(|e| output_error(Path::new(asset), &e))?;
                written.push((asset.clone(), FileEntry::of(&bytes)));
            }
        }
    }
    Ok(())
}

/// The file's new source, when its front matter and title leave every other page as it was.
fn reload_unchanged<M: FrontMatter + PartialEq>(
    root: &Path,
    key: &str,
    old: &M,
    old_source: &Source,
) -> Option<Source> {
    let (new_source, new) = content::reload::<M>(root, key).ok()?;
    // Without a `title` key the first heading is the title, which menus of other pages show
    // (a source keeps its heading exactly then).
    let same_heading = old_source.heading == new_source.heading;
    (*old == new && same_heading).then_some(new_source)
}

/// The pages that the plans `slugs` of `prepared` write (paths under the output root).
fn plan_outputs(prepared: &Prepared, slugs: &BTreeSet<String>) -> BTreeSet<String> {
    let site = &prepared.site;
    let pages = prepared.index.pages.iter().filter(|e| slugs.contains(&site.plans[e.plan].slug)).map(|e| e.out.clone());
    let per_plan = site
        .plans
        .iter()
        .filter(|p| slugs.contains(&p.slug))
        .flat_map(|p| [render::PRINT_PAGE, render::ACTIONS_PAGE].map(|page| format!("{}/{page}", p.slug)));
    pages.chain(per_plan).collect()
}

/// The plan folders (names under `content/`, as on disk) that hold every path of `paths`,
/// when there are at most MAX_PLANS of them; None when a path lies elsewhere (planboek.toml,
/// the theme, `content/` itself or a file directly in it).
fn touched_plans(root: &Path, paths: &BTreeSet<PathBuf>) -> Option<Vec<String>> {
    let mut dirs = BTreeSet::new();
    for path in paths {
        let mut parts = path.components();
        let (Some(Component::Normal(top)), Some(Component::Normal(dir))) = (parts.next(), parts.next()) else {
            return None;
        };
        let is_file_in_content = parts.next().is_none() && root.join(path).is_file();
        if top != CONTENT_DIR || is_file_in_content {
            return None;
        }
        dirs.insert(dir.to_str()?.to_string());
    }
    (dirs.len() <= MAX_PLANS).then(|| dirs.into_iter().collect())
}
