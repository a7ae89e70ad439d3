//! Putting the built versions together: `<out>/index.html` listing them, each version linked
//! or copied into `<out>/<slug>/`, and the switcher's data (`switcher.rs`).

use super::build_version::{self, CachedVersion, VersionCache, FINDINGS_FILE, META_FILE};
use super::switcher::{status_label, Switcher};
use super::{cache, Finished, Job, Tree, Version};
use crate::config::Language;
use crate::diag::{lints, Diagnostic, Diagnostics};
use crate::output::{self, Manifest, Staging, Trust, MANIFEST, MARKER, PLANS_KEPT, SEARCH_INDEX, SEARCH_SAVED};
use crate::pipeline::{self, output_error, Built, Settings, VersionTally};
use crate::render::{self, DateView, SiteInfo, Theme};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Builds every version and writes the versioned handbook into `job.out`.
pub fn build(job: &Job, list: &[Version]) -> Result<Finished, Diagnostics> {
    let versions = VersionCache::new(job);
    let all = build_version::build_all(&versions, list)?;
    // The build writes only the root's files (version folders are placed whole); folder
    // names starting with `_` are planboek's own, never a version's.
    let root_files = |rel: &str| !rel.contains('/') || rel.starts_with('_');
    let mut staging =
        Staging::starting_reusing(job.out, job.owned, Some(&root_files)).map_err(|e| output_error(job.out, &e))?;
    // Only an output outside the repository is believed: `site/` could have come with a push.
    if job.keep_previous {
        staging.trust(Trust::Listed);
    }
    let settings = Settings { mode: job.mode, today: job.today, version: None };
    let site = pipeline::site_info(job.config, job.audience, &settings);
    let write = |path: &str, text: &str| {
        staging.write(path, text.as_bytes()).err().map(|e| output_error(std::path::Path::new(path), &e))
    };
    // The switcher's files first, and each folder's made as it is written: together they
    // hold every page of every version, which need not be in memory while versions are
    // placed.
    let switcher = Switcher::new(list, &all.versions);
    let shards = switcher.shards();
    let mut problems: Vec<Diagnostic> = (0..shards.len())
        .into_par_iter()
        .filter_map(|k| {
            let (path, text) = shards.file(k);
            write(&path, &text)
        })
        .collect();
    drop(shards);
    problems.extend(write("_versions.js", &switcher.script(job.config.language)));
    drop(switcher);
    let mut pages = 0;
    let mut tree = Tree { dir: job.out.to_path_buf(), folders: BTreeMap::new() };
    // Telling a kept folder takes a `stat` of each of its files: the versions side by side.
    let kept: Vec<(Option<PathBuf>, Option<usize>)> =
        list.par_iter().zip(&all.versions).map(|(v, b)| (kept_folder(job, &v.slug, b), listed_pages(&b.dir))).collect();
    for ((v, b), (kept, listed)) in list.iter().zip(&all.versions).zip(kept) {
        pages += place_version(&v.slug, b, kept, listed, &staging)?;
        if !b.scratch {
            tree.folders.insert(v.slug.clone(), b.dir.clone());
        }
    }
    problems.extend(write("index.html", &landing_page(job.theme, &site, list)?));
    problems.extend(pipeline::write_shared(job.theme, &site, &staging));
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    staging.commit().map_err(|e| output_error(job.out, &e))?;
    let used: Vec<&std::path::Path> = all.versions.iter().map(|v| v.dir.as_path()).collect();
    cache::remove_scratch(job.root, &used);
    cache::prune(job.root, list, &used, cache::KEEP_UNUSED);
    let plans = all.versions.first().map_or(0, |b| b.plans);
    let drafts_left_out = all.versions.first().map_or(0, |b| b.drafts_left_out);
    let older = list
        .iter()
        .zip(&all.versions)
        .skip(1)
        .map(|(v, b)| VersionTally { version: v.name.clone(), warnings: b.warnings });
    let built = Built {
        plans,
        pages: pages + 2,
        drafts_left_out,
        facts: Vec::new(),
        diagnostics: all.newest,
        older_versions: older.filter(|t| t.warnings > 0).collect(),
        kept: false,
        plans_kept: all.newest_plans_kept,
        kept_from_version: true,
        search: None,
    };
    Ok(Finished { built, current: all.current, tree })
}

/// A version as the landing page lists it.
#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    href: String,
    /// Its changes page.
    changes_href: String,
    /// The oldest version, whose changes page has nothing to compare with.
    first: bool,
    date: Option<DateView>,
    tag: Option<&'a str>,
    adopted: bool,
    status_label: &'static str,
}

fn row(v: &Version, first: bool, lang: Language) -> Row<'_> {
    let date = v.date.map(|d| DateView::new(lang, d));
    Row {
        name: &v.name,
        href: format!("{}/index.html", v.slug),
        changes_href: format!("{}/{}", v.slug, crate::render::CHANGES_PAGE),
        first,
        date,
        tag: v.tag.as_deref(),
        adopted: v.adopted,
        status_label: status_label(v, lang),
    }
}

/// The landing page: every version with its date, tag and status, leading to the newest
/// adopted one.
fn landing_page(theme: &Theme, site: &SiteInfo, list: &[Version]) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct Landing<'a> {
        versions: Vec<Row<'a>>,
        newest: Option<Row<'a>>,
        /// The header's search form searches the newest adopted version.
        search_href: Option<String>,
    }
    let lang = site.config.language;
    let last = list.len().saturating_sub(1);
    let versions = list.iter().enumerate().map(|(i, v)| row(v, i == last, lang)).collect();
    let newest_version = list.iter().find(|v| v.adopted).or(list.first());
    let search_href = newest_version.map(|v| format!("{}/{}", v.slug, crate::search::PAGE));
    let newest = newest_version.map(|v| row(v, list.len() == 1, lang));
    let landing = Landing { versions, newest, search_href };
    render::extra_page(theme, site, "versions.html", "versions", "", &site.config.title, &landing)
}

/// Files of a cache entry that are planboek's bookkeeping, not pages of the version.
const BOOKKEEPING: &[&str] =
    &[MARKER, MANIFEST, META_FILE, FINDINGS_FILE, cache::USED_FILE, SEARCH_SAVED, SEARCH_INDEX, PLANS_KEPT];

/// The folder a built version's pages can be moved from in whole, if any: the folder of the
/// tree this build replaces when it holds this very cache entry (so that `serve --versions`
/// does not link every page of every tagged version after each save), or the folder of the
/// output being replaced when it is still exactly the entry's files (so that a build after a
/// new tag does not link every page of every older version again).
fn kept_folder(job: &Job, slug: &str, built: &CachedVersion) -> Option<PathBuf> {
    job.earlier
        .filter(|t| !built.scratch && t.folders.get(slug) == Some(&built.dir))
        .map(|t| t.dir.join(slug))
        .filter(|d| d.is_dir())
        .or_else(|| {
            let previous = job.out.join(slug);
            let kept = job.keep_previous && !built.scratch;
            (kept && output::kept::is_linked_copy(&previous, &built.dir, BOOKKEEPING)).then_some(previous)
        })
}

/// How many pages the manifest of the cache entry `dir` lists; None when it has no manifest
/// or a damaged one, and the version's files are linked one by one.
fn listed_pages(dir: &std::path::Path) -> Option<usize> {
    let mut pages = 0;
    let mut count = |rel: &str, _| {
        pages += usize::from(rel.ends_with(".html"));
        Ok(())
    };
    let keep = |rel: &str| !BOOKKEEPING.contains(&rel);
    Manifest::visit_sizes(dir, &keep, &mut count).ok().filter(|&found| found).map(|_| pages)
}

/// Puts a built version's pages into `<slug>/`; how many pages it has (`listed`, as its
/// entry's manifest lists them). A folder is moved in whole where it can be: the working
/// tree's scratch folder, which is not kept, or the `kept` folder. Otherwise the pages are
/// linked from the cache entry one by one.
fn place_version(
    slug: &str,
    built: &CachedVersion,
    kept: Option<PathBuf>,
    listed: Option<usize>,
    staging: &Staging,
) -> Result<usize, Diagnostics> {
    let from = match kept {
        Some(dir) => dir,
        None if built.scratch => built.dir.clone(),
        None => return copy_version(slug, built, staging),
    };
    // Across file systems (an output folder elsewhere than the cache) it cannot be moved.
    match listed {
        Some(pages) if staging.adopt(&from, slug, &built.dir, BOOKKEEPING).is_ok() => Ok(pages),
        _ => copy_version(slug, built, staging),
    }
}

/// Copies version `at`'s built pages into `<slug>/`: hard links when the cache and the
/// output share a file system, because copying a few hundred megabytes dominates a warm build.
/// The cache entry's manifest gives each file's hash for the output's.
fn copy_version(slug: &str, built: &CachedVersion, staging: &Staging) -> Result<usize, Diagnostics> {
    let manifest = Manifest::read(&built.dir).ok().flatten().unwrap_or_default();
    let files: Vec<_> = walkdir::WalkDir::new(&built.dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !BOOKKEEPING.iter().any(|n| e.file_name() == *n))
        .map(|e| e.into_path())
        .collect();
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|path| {
            let rel = crate::util::url::slash_path(path.strip_prefix(&built.dir).unwrap_or(path));
            // A file changed since its entry was written (through a hard link) is hashed anew.
            let known = manifest.files.get(&rel).filter(|e| std::fs::metadata(path).is_ok_and(|m| m.len() == e.size));
            let copied = staging.link(path, &format!("{slug}/{rel}"), known).is_ok();
            (!copied).then(|| Diagnostic::new(lints::OUTPUT, path, 0, 0, "cannot copy a built version"))
        })
        .collect();
    if errors.is_empty() {
        Ok(files.iter().filter(|f| f.extension().is_some_and(|e| e == "html")).count())
    } else {
        Err(Diagnostics(errors))
    }
}
