//! Putting the built versions together: `<out>/index.html` listing them, each version copied
//! into `<out>/<slug>/`, and `_versions.js`: which page of each version is the same section.

use super::one::{self, Built, Ctx, META_FILE};
use super::{cache, Current, Version};
use crate::build::{Options, Outcome, Summary};
use crate::check::{lints, Diagnostic, Diagnostics};
use crate::config::Config;
use crate::date::Date;
use crate::output::{self, Staging, MARKER};
use crate::render::{self, DateView, SiteInfo, Theme};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;

/// Builds every version and writes the versioned handbook; with it, the working tree's
/// version as built, when it is one of them.
pub fn build(opts: &Options, config: &Config, list: &[Version], started: Instant) -> (Outcome, Option<Current>) {
    match run(opts, config, list) {
        Ok(done) => {
            let summary = Summary { plans: done.plans, pages: done.pages, out: done.out, elapsed: started.elapsed() };
            (Outcome { diagnostics: done.warnings, summary: Some(summary) }, done.current)
        }
        Err(diagnostics) => (Outcome { diagnostics, summary: None }, None),
    }
}

/// A written versioned handbook.
struct Done {
    out: PathBuf,
    pages: usize,
    /// The newest version's plans.
    plans: usize,
    /// The newest version's warnings.
    warnings: Diagnostics,
    current: Option<Current>,
}

/// Writes the handbook.
fn run(opts: &Options, config: &Config, list: &[Version]) -> Result<Done, Diagnostics> {
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let out = opts.out.clone().unwrap_or_else(|| opts.root.join("site"));
    let out = output::check_out_dir(&opts.root, &out)
        .map_err(|output::Refused(why)| one(Diagnostic::new(lints::OUTPUT, &out, 0, 0, why)))?;
    let theme = Theme::load(&opts.root, config).map_err(Diagnostics)?;
    let audience = opts.audience.unwrap_or(config.audience);
    let ctx = Ctx::new(opts, config, &theme, audience);
    let one::AllBuilt { built, warnings, current } = one::build_all(&ctx, list)?;
    let io =
        |e: std::io::Error| one(Diagnostic::new(lints::OUTPUT, &out, 0, 0, format!("cannot write the output: {e}")));
    let staging = Staging::new(&out).map_err(io)?;
    let site = SiteInfo { config, mode: opts.mode, build_date: Date::today(), audience };
    let mut pages = 0;
    for (v, b) in list.iter().zip(&built) {
        pages += copy_version(&v.slug, b, &staging)?;
    }
    let script = Switcher::new(list, &built).script();
    staging.write("_versions.js", script.as_bytes()).map_err(io)?;
    let landing = landing_page(&theme, &site, list).map_err(one)?;
    staging.write("index.html", landing.as_bytes()).map_err(io)?;
    let not_found = render::not_found_page(&theme, &site).map_err(one)?;
    staging.write("404.html", not_found.as_bytes()).map_err(io)?;
    for (path, bytes) in theme.static_files() {
        staging.write(&path, bytes).map_err(io)?;
    }
    staging.commit().map_err(io)?;
    cache::remove_uncached(&opts.root, &built);
    cache::prune(&opts.root, list, &built, cache::KEEP_UNUSED);
    let plans = built.first().map_or(0, |b| {
        b.meta.pages.iter().filter(|p| p.matches('/').count() == 1 && p.ends_with("/index.html")).count()
    });
    let current = current.map(|(prepared, facts)| Current { slug: list[0].slug.clone(), prepared, theme, facts });
    Ok(Done { out, pages: pages + 2, plans, warnings, current })
}

/// A version as the landing page lists it.
#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    href: String,
    date: Option<DateView>,
    tag: Option<&'a str>,
    adopted: bool,
    status_label: &'static str,
}

fn row(v: &Version, lang: crate::config::Language) -> Row<'_> {
    let date = v.date.parse::<Date>().ok().map(|d| DateView::new(lang, d));
    let status = if v.adopted { "status_vastgesteld" } else { "version_worktree" };
    Row {
        name: &v.name,
        href: format!("{}/index.html", v.slug),
        date,
        tag: v.tag.as_deref(),
        adopted: v.adopted,
        status_label: render::ui_string(lang, status),
    }
}

/// The landing page: every version with its date, tag and status, leading to the newest
/// adopted one.
fn landing_page(theme: &Theme, site: &SiteInfo, list: &[Version]) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct Cx<'a> {
        versions: Vec<Row<'a>>,
        newest: Option<Row<'a>>,
    }
    let lang = site.config.language;
    let versions = list.iter().map(|v| row(v, lang)).collect();
    let newest = list.iter().find(|v| v.adopted).or(list.first()).map(|v| row(v, lang));
    render::extra_page(theme, site, "versions.html", "versions", "", &site.config.title, &Cx { versions, newest })
}

/// Which page of each version is the same section, following renames.
struct Switcher<'a> {
    list: &'a [Version],
    /// Per version: page → identity shared across versions.
    ids: Vec<BTreeMap<String, usize>>,
    /// The newest adopted version, which older versions' banners lead to.
    newest: Option<usize>,
}

impl<'a> Switcher<'a> {
    /// Identities oldest first: a page keeps its predecessor's when the diff matched them.
    fn new(list: &'a [Version], built: &[Built]) -> Self {
        let n = list.len();
        let mut ids: Vec<BTreeMap<String, usize>> = vec![BTreeMap::new(); n];
        let mut fresh = 0;
        for i in (0..n).rev() {
            let from_old: HashMap<&str, &str> =
                built[i].meta.moved.iter().map(|(o, n)| (n.as_str(), o.as_str())).collect();
            for page in &built[i].meta.pages {
                let old = from_old.get(page.as_str()).copied().unwrap_or(page);
                let id = (i + 1 < n).then(|| ids[i + 1].get(old).copied()).flatten().unwrap_or_else(|| {
                    fresh += 1;
                    fresh
                });
                ids[i].insert(page.clone(), id);
            }
        }
        Switcher { list, ids, newest: list.iter().position(|v| v.adopted) }
    }

    /// The switcher's data as the script `_versions.js`, which every page of every version
    /// loads with `<script src>` (so it works from file://, where fetch does not).
    fn script(&self) -> String {
        #[derive(Serialize)]
        struct V<'a> {
            slug: &'a str,
            name: &'a str,
            adopted: bool,
        }
        let versions: Vec<V> =
            self.list.iter().map(|v| V { slug: &v.slug, name: &v.name, adopted: v.adopted }).collect();
        let newest = self.newest.map_or(-1, |n| n as i64);
        let data = serde_json::json!({ "versions": versions, "newest": newest, "pages": self.ids });
        let json = data.to_string();
        format!("/* Written by planboek build: the versions of this handbook. */\nwindow.planboekVersions = {json};\n")
    }
}

/// Copies version `at`'s built pages into `<slug>/`: hard links when the cache and the
/// output share a file system, because copying a few hundred megabytes dominates a warm build.
fn copy_version(slug: &str, built: &Built, staging: &Staging) -> Result<usize, Diagnostics> {
    let files: Vec<_> = walkdir::WalkDir::new(&built.dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| ![MARKER, META_FILE, cache::USED_FILE].iter().any(|n| e.file_name() == *n))
        .map(|e| e.into_path())
        .collect();
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|path| {
            let rel = path.strip_prefix(&built.dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
            let dest = staging.dir().join(slug).join(&rel);
            let linked = dest.parent().is_some_and(|p| std::fs::create_dir_all(p).is_ok())
                && std::fs::hard_link(path, &dest).is_ok();
            let copied = linked || staging.copy(path, &format!("{slug}/{rel}")).is_ok();
            (!copied).then(|| Diagnostic::new(lints::OUTPUT, path, 0, 0, "cannot copy a built version"))
        })
        .collect();
    if errors.is_empty() {
        Ok(files.iter().filter(|f| f.extension().is_some_and(|e| e == "html")).count())
    } else {
        Err(Diagnostics(errors))
    }
}
