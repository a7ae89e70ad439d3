//! Builds for `serve`: a full build into a fresh folder, or — when only the body of known
//! sections changed — just their pages, written over the served tree file by file.

use super::watch::Batch;
use crate::build::{self, Prepared};
use crate::check::{lints, Diagnostic, Diagnostics, PageFacts};
use crate::content::{self, first_heading, Classification, PlanMeta, Section, SectionMeta, Source, CONTENT_DIR};
use crate::date::Date;
use crate::markdown::Mode;
use crate::output::Staging;
use crate::render::{self, SiteInfo, Theme};
use serde::Serialize;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// More changed files than this in one batch are rebuilt in full: it is as fast and simpler.
const MAX_PAGES: usize = 16;

/// A successful build: what the terminal line and the live-reload need.
pub struct Done {
    /// The new tree to serve after a full build; None when pages were updated in place.
    pub new_root: Option<PathBuf>,
    pub pages: usize,
    pub elapsed: Duration,
    /// The pages were already made visible (see `Builder::early`).
    pub published: bool,
    /// Every finding of the served handbook (warnings only, as it succeeded).
    pub diagnostics: Diagnostics,
    /// When the saved page was served in place before the full build that followed.
    pub page_served: Option<Duration>,
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
}

/// The name the working tree is served under by `serve --versions`, unless planboek.toml
/// names it with `current`.
pub const CURRENT: &str = "current";

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
    /// Makes pages written in place visible before the site-wide lints have run.
    early: Box<dyn Fn() + Send>,
}

impl Builder {
    pub fn new(opts: &super::Options, root: PathBuf, temp: PathBuf, early: Box<dyn Fn() + Send>) -> Builder {
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
            early,
        }
    }

    /// Rebuilds after `batch`: only the changed pages when that is enough, else everything.
    pub fn rebuild(&mut self, batch: &Batch) -> Result<Done, Diagnostics> {
        let started = Instant::now();
        let result = match self.pages_only(batch) {
            // The saved page is served at once; then the whole versioned handbook follows,
            // as the working tree's changes page and diff links depend on every section.
            Some(changed) if self.versions => self.render_pages(&changed).and_then(|_| {
                let page_served = Some(started.elapsed());
                self.full_versions().map(|done| Done { page_served, ..done })
            }),
            Some(changed) => self.render_pages(&changed),
            None if self.versions => self.full_versions(),
            None => self.full(),
        };
        self.failed = result.is_err();
        result.map(|mut done| {
            done.elapsed = started.elapsed();
            done
        })
    }

    /// A full build into a fresh folder; the served one stays untouched until it is swapped.
    fn full(&mut self) -> Result<Done, Diagnostics> {
        self.remove_stale();
        let prepared = build::prepare(&self.root, self.audience)?;
        let theme = match Theme::load(&self.root, &prepared.config) {
            Ok(t) => t,
            Err(ds) => return Err(with(prepared.diagnostics, ds)),
        };
        let dir = self.next_dir();
        let staging = Staging::new(&dir).map_err(|e| io_error(&dir, &e))?;
        let written = build::write_site(&prepared, &theme, Mode::Preview, &staging);
        // The same findings as `build` reports: loading's, the pages' and the site-wide lints'.
        let diagnostics = with(build::lint(&prepared, &written.facts, Date::today()), written.diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        staging.commit().map_err(|e| io_error(&dir, &e))?;
        self.model = Some(Model { prepared, theme, facts: written.facts, sub: String::new() });
        self.serve(&dir);
        Ok(Done {
            new_root: Some(dir),
            pages: written.pages,
            elapsed: Duration::ZERO,
            published: false,
            diagnostics,
            page_served: None,
        })
    }

    /// Every version, the working tree as `current`, through the versioned build. Unchanged
    /// versions come from the cache; the working tree's model is kept for page rebuilds.
    fn full_versions(&mut self) -> Result<Done, Diagnostics> {
        self.remove_stale();
        let dir = self.next_dir();
        let opts = build::Options {
            root: self.root.clone(),
            out: Some(dir.clone()),
            audience: self.audience,
            mode: Mode::Preview,
        };
        let (outcome, current) = crate::versions::build_with_current(&opts, CURRENT);
        let Some(summary) = outcome.summary else { return Err(outcome.diagnostics) };
        self.model = current.map(|c| Model { prepared: c.prepared, theme: c.theme, facts: c.facts, sub: c.slug });
        self.serve(&dir);
        let diagnostics = outcome.diagnostics;
        Ok(Done {
            new_root: Some(dir),
            pages: summary.pages,
            elapsed: Duration::ZERO,
            published: false,
            diagnostics,
            page_served: None,
        })
    }

    fn next_dir(&mut self) -> PathBuf {
        self.count += 1;
        self.temp.join(format!("build-{}", self.count))
    }

    /// Records `dir` as served; the one served before is removed at the next full build.
    fn serve(&mut self, dir: &Path) {
        if let Some(old) = self.served.replace(dir.to_path_buf()) {
            self.stale.push(old);
        }
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
        let root = self.root.clone();
        let model = self.model.as_mut()?;
        let mut updates = Vec::new();
        for path in &batch.paths {
            let rel = path.strip_prefix(CONTENT_DIR).ok()?.to_str()?.replace('\\', "/");
            let (slug, _) = rel.split_once('/')?;
            let plan_index = model.prepared.site.plans.iter().position(|p| p.slug == slug)?;
            let plan = &model.prepared.site.plans[plan_index];
            if plan.source.path == *path {
                let (source, meta) = content::reload::<PlanMeta>(&root, &rel).ok()?;
                unchanged(&plan.meta, &meta, &plan.source, &source)?;
                updates.push((plan_index, None, source));
            } else {
                let section = find(&plan.sections, path)?;
                let (source, meta) = content::reload::<SectionMeta>(&root, &rel).ok()?;
                unchanged(&section.meta, &meta, section.source.as_ref()?, &source)?;
                updates.push((plan_index, Some(path), source));
            }
        }
        // Only now that every file qualified does the model change.
        for (plan_index, section, source) in updates {
            let plan = &mut model.prepared.site.plans[plan_index];
            match section {
                None => plan.source = source,
                Some(path) => find_mut(&mut plan.sections, path)?.source = Some(source),
            }
        }
        Some(batch.paths.iter().cloned().collect())
    }

    /// Re-renders the pages of `changed` (source paths) into the served tree.
    fn render_pages(&mut self, changed: &[PathBuf]) -> Result<Done, Diagnostics> {
        let (Some(model), Some(served)) = (self.model.as_mut(), self.served.as_deref()) else {
            return Err(Diagnostics::default());
        };
        let prepared = &model.prepared;
        let site = SiteInfo {
            config: &prepared.config,
            mode: Mode::Preview,
            build_date: Date::today(),
            audience: prepared.audience,
        };
        let mut pages = Vec::new();
        let mut problems = Vec::new();
        let mut changed_pages = Vec::new();
        for (plan_index, plan) in prepared.site.plans.iter().enumerate() {
            if !changed.iter().any(|c| c.starts_with(Path::new(CONTENT_DIR).join(&plan.slug))) {
                continue;
            }
            let nav = render::plan_nav(plan);
            for page in build::plan_pages(plan_index, plan) {
                if !page.source().is_some_and(|s| changed.contains(&s.path)) {
                    continue;
                }
                let (html, mut body) = build::render_page(&page, prepared, &model.theme, &site, &nav);
                let assets = std::mem::take(&mut body.assets);
                let facts = PageFacts::new(&page.out, page.status(), &mut body);
                changed_pages.push(page.out.clone());
                if let Some(slot) = model.facts.iter_mut().find(|f| f.out == page.out) {
                    *slot = facts;
                }
                match html {
                    Ok(html) => pages.push((page.out, html, assets)),
                    Err(d) => problems.push(d),
                }
            }
        }
        // The page's own errors keep the served page as it was; the site-wide lints run after
        // the page is served, as they take longer than rendering it on a large handbook.
        let own: Vec<Diagnostic> = model
            .facts
            .iter()
            .filter(|f| changed_pages.contains(&f.out))
            .flat_map(|f| f.diagnostics.iter().cloned())
            .collect();
        if problems.iter().chain(&own).any(Diagnostic::is_error) {
            return Err(with(build::lint(prepared, &model.facts, Date::today()), problems));
        }
        write_pages(&served.join(&model.sub), &self.root.join(CONTENT_DIR), &pages)?;
        (self.early)();
        let diagnostics = with(build::lint(prepared, &model.facts, Date::today()), problems);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(Done {
            new_root: None,
            pages: pages.len(),
            elapsed: Duration::ZERO,
            published: true,
            diagnostics,
            page_served: None,
        })
    }
}

/// Writes re-rendered pages over the served tree, and any file they link that it lacks.
fn write_pages(dir: &Path, content: &Path, pages: &[(String, String, Vec<String>)]) -> Result<(), Diagnostics> {
    for (out, html, assets) in pages {
        write_atomic(&dir.join(out), html.as_bytes()).map_err(|e| io_error(Path::new(out), &e))?;
        for asset in assets.iter().filter(|a| !dir.join(a).exists()) {
            if let Ok(bytes) = fs::read(content.join(asset)) {
                write_atomic(&dir.join(asset), &bytes).map_err(|e| io_error(Path::new(asset), &e))?;
            }
        }
    }
    Ok(())
}

/// Some(()) when the new front matter and title leave every other page as it was.
fn unchanged<M: Serialize>(old: &M, new: &M, old_source: &Source, new_source: &Source) -> Option<()> {
    let same_meta = serde_json::to_value(old).ok()? == serde_json::to_value(new).ok()?;
    // Without a `title` key the first heading is the title, which menus of other pages show.
    let same_heading = first_heading(&old_source.body) == first_heading(&new_source.body);
    (same_meta && same_heading).then_some(())
}

fn find<'a>(sections: &'a [Section], path: &Path) -> Option<&'a Section> {
    sections.iter().find_map(|s| {
        if s.source.as_ref().is_some_and(|src| src.path == path) {
            Some(s)
        } else {
            find(&s.children, path)
        }
    })
}

fn find_mut<'a>(sections: &'a mut [Section], path: &Path) -> Option<&'a mut Section> {
    for s in sections {
        if s.source.as_ref().is_some_and(|src| src.path == path) {
            return Some(s);
        }
        if let Some(found) = find_mut(&mut s.children, path) {
            return Some(found);
        }
    }
    None
}

/// Writes beside the target and renames over it, so a request never reads half a page.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension("planboek-tmp");
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path)
}

fn with(mut diagnostics: Diagnostics, more: impl IntoIterator<Item = Diagnostic>) -> Diagnostics {
    diagnostics.extend(more);
    diagnostics.sort();
    diagnostics
}

fn io_error(path: &Path, e: &std::io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic::new(lints::OUTPUT, path, 0, 0, format!("cannot write the preview: {e}"))])
}
