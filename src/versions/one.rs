//! Building one version into the cache (`.planboek-cache/out/<key>/`), or reusing it when
//! its content tree, its predecessor's and the build settings are unchanged.

use super::diff::{self, Changes, Entry};
use super::git::Repo;
use super::{Origin, Stamp, Version, CACHE_DIR};
use crate::build::{self, Options, Prepared};
use crate::check::{lints, Diagnostic, Diagnostics, PageFacts};
use crate::config::{Config, CONFIG_FILE};
use crate::content::{self, Classification, Tree, CONTENT_DIR};
use crate::date::Date;
use crate::output::Staging;
use crate::render::{self, SiteInfo, Theme};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the assembly needs to know of a built version, kept beside its cached pages.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Meta {
    /// Every page, relative to the version root.
    pub pages: Vec<String>,
    /// Previous version's page → this version's page, renames included.
    pub moved: BTreeMap<String, String>,
}

/// A version's built pages: where they are and what they hold.
pub struct Built {
    pub dir: PathBuf,
    pub meta: Meta,
}

/// What every version's build shares.
pub struct Ctx<'a> {
    opts: &'a Options,
    config: &'a Config,
    theme: &'a Theme,
    repo: Option<Repo>,
    audience: Classification,
    show_authors: bool,
    /// A hash of every build setting that shapes the pages, computed once per build.
    settings: u64,
}

impl<'a> Ctx<'a> {
    pub fn new(opts: &'a Options, config: &'a Config, theme: &'a Theme, audience: Classification) -> Ctx<'a> {
        let show_authors = config.versions.as_ref().is_some_and(|vc| vc.show_authors);
        let config_bytes = std::fs::read(opts.root.join(CONFIG_FILE)).unwrap_or_default();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (audience.as_str(), format!("{:?}", opts.mode), env!("CARGO_PKG_VERSION")).hash(&mut h);
        (config_bytes, show_authors, build_fingerprint(&opts.root)).hash(&mut h);
        Ctx { opts, config, theme, repo: Repo::open(&opts.root), audience, show_authors, settings: h.finish() }
    }

    fn cache(&self) -> PathBuf {
        self.opts.root.join(CACHE_DIR)
    }

    /// What identifies a version's content: its git tree id, or a hash of an archive
    /// folder's files; None for the working tree, which is always rebuilt.
    fn content_id(v: &Version) -> Option<String> {
        match &v.origin {
            Origin::Git { tree, .. } => Some(tree.clone()),
            Origin::Folder(dir) => Some(format!("folder{:016x}", hash_files(&dir.join(CONTENT_DIR)))),
            Origin::WorkTree => None,
        }
    }

    /// The cache folder of `v`, and whether it is keyed: by its content id, its predecessor's
    /// (`prev` is None for the oldest version) and the build settings; otherwise a folder of
    /// this process.
    fn dir(&self, v: &Version, own: Option<&str>, prev: Option<Option<&str>>) -> (PathBuf, bool) {
        let out = self.cache().join("out");
        let key = match (own, prev) {
            (Some(own), None) => Some((own, None)),
            (Some(own), Some(Some(prev))) => Some((own, Some(prev))),
            // Content without an id, or built after such content.
            _ => None,
        };
        let Some((own, prev)) = key else {
            return (out.join(format!("{}-{}", v.slug, std::process::id())), false);
        };
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (own, prev, v.slug.as_str(), self.settings).hash(&mut h);
        (out.join(format!("{}-{:016x}", &own[..own.len().min(12)], h.finish())), true)
    }

    /// Loads `v` and removes what the audience may not read. A git version's Markdown is
    /// read from the object store; only its other files (images, PDFs) are exported, once per
    /// tree id, because `write_site` copies the linked ones from disk.
    fn prepare(&self, v: &Version) -> Result<Prepared, Diagnostics> {
        let fail = |m: String| Diagnostics(vec![version_error(v, m)]);
        let loaded = match (&v.origin, &self.repo) {
            (Origin::Git { tree, .. }, Some(repo)) => {
                let files = repo.read_tree(tree).map_err(fail)?;
                let root = self.cache().join("trees").join(tree);
                export_assets(&files, &root).map_err(|e| fail(e.to_string()))?;
                content::load_tree(&root, Tree::Files(&files))
            }
            (Origin::Folder(dir), _) => content::load(dir),
            _ => content::load(&self.opts.root),
        };
        let (site, removed) = content::filter(loaded.site, self.audience);
        let links = content::link_index(&site, &removed, loaded.files);
        let config = self.config.clone();
        let diagnostics = Diagnostics(loaded.diagnostics);
        Ok(Prepared { config, site, links, audience: self.audience, removed, diagnostics })
    }

    fn last_changes(&self, v: &Version) -> std::collections::HashMap<String, super::LastChange> {
        match (&v.origin, &self.repo) {
            (Origin::Git { commit, .. }, Some(repo)) => repo.last_changes(commit, CONTENT_DIR),
            (Origin::WorkTree, Some(repo)) => repo.last_changes("HEAD", CONTENT_DIR),
            _ => Default::default(),
        }
    }
}

/// A hash of every file's path and bytes under `dir`: an archive folder's stand-in for a
/// git tree id, so that it is cached like a tag.
fn hash_files(dir: &Path) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let walk = walkdir::WalkDir::new(dir).sort_by_file_name();
    for e in walk.into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        e.path().strip_prefix(dir).unwrap_or(e.path()).hash(&mut h);
        std::fs::read(e.path()).unwrap_or_default().hash(&mut h);
    }
    h.finish()
}

/// What else shapes the pages: the theme overrides under `themes/` (contents) and the
/// planboek binary itself (size and time), whose built-in theme can change within a version.
fn build_fingerprint(root: &Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(root.join(crate::render::THEMES_DIR)).sort_by_file_name();
    for e in walk.into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        std::fs::read(e.path()).unwrap_or_default().hash(&mut h);
        out.push((e.path().to_string_lossy().into_owned(), h.finish()));
    }
    if let Some(meta) = std::env::current_exe().ok().and_then(|p| p.metadata().ok()) {
        let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        out.push(("exe".into(), meta.len() ^ modified.map_or(0, |d| d.as_secs())));
    }
    out
}

/// Writes the files of `files` that are not Markdown under `root/content`, unless done before.
fn export_assets(files: &BTreeMap<String, Vec<u8>>, root: &Path) -> std::io::Result<()> {
    if root.is_dir() {
        return Ok(());
    }
    let tmp = root.with_extension(format!("tmp-{}", std::process::id()));
    for (rel, bytes) in files.iter().filter(|(rel, _)| !rel.ends_with(".md")) {
        let file = tmp.join(CONTENT_DIR).join(rel);
        std::fs::create_dir_all(file.parent().unwrap_or(&tmp))?;
        std::fs::write(file, bytes)?;
    }
    std::fs::create_dir_all(&tmp)?;
    std::fs::rename(&tmp, root)
}

/// Every version built (or reused), newest first.
pub struct AllBuilt {
    pub built: Vec<Built>,
    /// The newest version's warnings, when it was rebuilt: older versions' warnings are
    /// history that editors can no longer fix.
    pub warnings: Diagnostics,
    /// The working tree's version (always rebuilt) and its pages' facts, when it is one.
    pub current: Option<(Prepared, Vec<PageFacts>)>,
}

/// Builds (or reuses) every version, oldest first, so each diffs against its predecessor.
/// `list` is newest first, and so is the result.
pub fn build_all(ctx: &Ctx, list: &[Version]) -> Result<AllBuilt, Diagnostics> {
    let mut built = Vec::with_capacity(list.len());
    let mut warnings = Diagnostics::default();
    let mut facts = Vec::new();
    let mut prev: Option<(&Version, Option<Prepared>)> = None;
    let ids: Vec<Option<String>> = list.iter().map(Ctx::content_id).collect();
    for (i, v) in list.iter().enumerate().rev() {
        let prev_id = (i + 1 < list.len()).then(|| ids[i + 1].as_deref());
        let (dir, keyed) = ctx.dir(v, ids[i].as_deref(), prev_id);
        if keyed {
            if let Some(meta) = read_meta(&dir) {
                // Stamped now, so that a concurrent build's pruning leaves it alone.
                super::cache::touch(&dir);
                built.push(Built { dir, meta });
                prev = Some((v, None));
                continue;
            }
        }
        let mut prepared = ctx.prepare(v)?;
        let old = match prev.take() {
            Some((p, Some(prepared))) => Some((p, prepared)),
            Some((p, None)) => Some((p, ctx.prepare(p)?)),
            None => None,
        };
        let changes = old.as_ref().map(|(_, o)| diff::compare(&o.site, &prepared.site)).unwrap_or_default();
        let written = write_version(ctx, v, old.as_ref().map(|o| o.0), &mut prepared, &changes, &dir)?;
        if std::ptr::eq(v, &list[0]) {
            (warnings, facts) = (written.1, written.2);
        }
        built.push(Built { dir, meta: written.0 });
        prev = Some((v, Some(prepared)));
    }
    built.reverse();
    let current = match (list.first().map(|v| &v.origin), prev) {
        (Some(Origin::WorkTree), Some((_, Some(prepared)))) => Some((prepared, facts)),
        _ => None,
    };
    Ok(AllBuilt { built, warnings, current })
}

fn read_meta(dir: &Path) -> Option<Meta> {
    serde_json::from_slice(&std::fs::read(dir.join(META_FILE)).ok()?).ok()
}

/// Kept beside a cached version's pages; never copied to the output.
pub const META_FILE: &str = ".planboek-version.json";

/// Renders `v` through the shared pipeline into `dir`, with its changes page.
fn write_version(
    ctx: &Ctx,
    v: &Version,
    prev: Option<&Version>,
    prepared: &mut Prepared,
    changes: &Changes,
    dir: &Path,
) -> Result<(Meta, Diagnostics, Vec<PageFacts>), Diagnostics> {
    let diffs = changes.entries.iter().filter_map(|e| Some((e.source.clone()?, e.anchor.clone()))).collect();
    let stamp = Stamp { slug: v.slug.clone(), last: ctx.last_changes(v), diffs, show_authors: ctx.show_authors };
    prepared.config.stamp = Some(Arc::new(stamp));
    let io = |e: std::io::Error| Diagnostics(vec![version_error(v, format!("cannot write the cache: {e}"))]);
    let staging = Staging::new(dir).map_err(io)?;
    let written = build::write_site(prepared, ctx.theme, ctx.opts.mode, &staging);
    let mut ds = build::lint(prepared, &written.facts, Date::today());
    ds.extend(written.diagnostics);
    let site =
        SiteInfo { config: &prepared.config, mode: ctx.opts.mode, build_date: Date::today(), audience: ctx.audience };
    match changes_page(ctx.theme, &site, v, prev, &changes.entries) {
        Ok(html) => staging.write(CHANGES_PAGE, html.as_bytes()).map_err(io)?,
        Err(d) => ds.push(d),
    }
    if ds.has_errors() {
        let errors = ds.0.into_iter().filter(Diagnostic::is_error).map(|mut d| {
            d.message = format!("in version `{}`: {}", v.name, d.message);
            d
        });
        return Err(Diagnostics(errors.collect()));
    }
    let mut pages: Vec<String> = build::pages(&prepared.site).into_iter().map(|p| p.out).collect();
    pages.extend(["index.html".to_string(), CHANGES_PAGE.to_string()]);
    let meta = Meta { pages, moved: changes.moved.clone() };
    staging.write(META_FILE, &serde_json::to_vec(&meta).unwrap_or_default()).map_err(io)?;
    staging.commit().map_err(io)?;
    Ok((meta, ds, written.facts))
}

/// The changes page of every version, at its root.
pub const CHANGES_PAGE: &str = "changes.html";

fn changes_page(
    theme: &Theme,
    site: &SiteInfo,
    v: &Version,
    prev: Option<&Version>,
    entries: &[Entry],
) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct Cx<'a> {
        version_name: &'a str,
        previous_name: Option<&'a str>,
        entries: &'a [Entry],
        has_entries: bool,
    }
    let cx = Cx {
        version_name: &v.name,
        previous_name: prev.map(|p| p.name.as_str()),
        entries,
        has_entries: !entries.is_empty(),
    };
    let title = format!("{} – {}", render::ui_string(site.config.language, "changes"), v.name);
    render::extra_page(theme, site, "changes.html", "changes", "", &title, &cx)
}

/// An error of one version, naming it.
pub fn version_error(v: &Version, message: String) -> Diagnostic {
    Diagnostic::new(lints::IO_ERROR, CACHE_DIR, 0, 0, format!("in version `{}`: {message}", v.name))
}
