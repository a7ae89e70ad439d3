//! Versioned handbooks, a client of the pipeline: every adopted version of the plans (git
//! tags, explicit refs or folders, and optionally the working tree) goes through the same
//! `pipeline::prepare` and `pipeline::publish` into `<out>/<version>/`, with a landing page,
//! a version switcher and a changes page per version.

mod assemble;
mod blobs;
mod block_diff;
mod blocks;
mod build_version;
mod cache;
mod diff;
mod git;
mod order;
mod summary;
mod switcher;

pub use diff::anchor;

use crate::config::{Config, VersionsConfig, CONFIG_FILE};
use crate::content::CONTENT_DIR;
use crate::date::Date;
use crate::diag::{lints, Diagnostic, Diagnostics};
use crate::lint::PageFacts;
use crate::markdown::Mode;
use crate::model::Classification;
use crate::pipeline::{Built, Prepared};
use crate::render::{Theme, VersionInfo};
use crate::util::fs::{canonical, outside};
use crate::util::slug::slugify;
use std::path::{Path, PathBuf};

/// The folder under the site root that holds exported trees and built versions.
pub const CACHE_DIR: &str = ".planboek-cache";

/// A versioned build to make: what every version shares.
pub struct Job<'a> {
    /// The site root (the folder holding planboek.toml).
    pub root: &'a Path,
    pub config: &'a Config,
    pub theme: &'a Theme,
    pub audience: Classification,
    pub mode: Mode,
    /// Keep plans and sections marked `draft = true`.
    pub drafts: bool,
    pub today: Date,
    /// The output folder, already checked.
    pub out: &'a Path,
    /// Publish the working tree under this name when planboek.toml names no `current`
    /// (`serve --versions`).
    pub current: Option<&'a str>,
    /// The tree this build replaces (`serve --versions`): the folders of versions whose
    /// cache entry did not change are moved from it rather than linked page by page again.
    pub earlier: Option<&'a Tree>,
    /// The output being replaced may give up a version's folder that is still exactly the
    /// hard-linked files of that version's cache entry (`output::kept`), moved into the new
    /// tree rather than linked file by file again. False for an output inside the repository,
    /// which a pushed repository could have filled.
    pub keep_previous: bool,
    /// Whether `out` held only planboek's files when it was checked (`output::Checked`);
    /// None: found out when the staging folder is made.
    pub owned: Option<bool>,
}

/// A versioned tree as built: its folder, and the cache entry each adopted version's folder
/// in it was made from.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub dir: PathBuf,
    /// Version folder (slug) → cache entry.
    pub folders: std::collections::BTreeMap<String, PathBuf>,
}

/// A finished versioned build.
pub struct Finished {
    pub built: Built,
    /// The working tree's version as built, when it is one of the versions.
    pub current: Option<Current>,
    pub tree: Tree,
}

/// Where a version's content comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A commit, and the id of its `content/` tree (the cache key).
    Git { commit: String, tree: String },
    /// A folder holding an older copy (with a `content/` folder).
    Folder(PathBuf),
    /// The working tree, published under `current`.
    WorkTree,
}

/// One version to publish.
#[derive(Debug, Clone)]
pub struct Version {
    pub name: String,
    /// Its folder in the output.
    pub slug: String,
    pub tag: Option<String>,
    pub date: Option<Date>,
    /// The time of its tag or commit (seconds since 1970), which orders the versions.
    pub time: Option<i64>,
    /// Adopted (a tag, ref or folder) or the working tree's concept.
    pub adopted: bool,
    pub origin: Origin,
}

/// The working tree's version as last built: what `serve --versions` needs to re-render the
/// pages of a saved section in place.
pub struct Current {
    /// Its folder in the output and its history, as its pages show them.
    pub info: VersionInfo,
    pub prepared: Prepared,
    pub facts: Vec<PageFacts>,
}

/// Builds every version of `[versions]` into `job.out`.
pub fn build(job: &Job) -> Result<Finished, Diagnostics> {
    let mut vc = job.config.versions.clone().ok_or_else(|| Diagnostics::from(not_versioned()))?;
    if let Some(name) = job.current {
        vc.current.get_or_insert_with(|| name.to_string());
    }
    let list = resolve(job.root, job.config, &vc)?;
    cache_is_own(job.root)?;
    assemble::build(job, &list)
}

/// Refuses a versions cache that came with the repository: a cached version's pages are
/// published as they are, and in CI a pushed commit could have put pages there (under a key
/// it can work out) that no build of that version would make.
fn cache_is_own(root: &Path) -> Result<(), Diagnostic> {
    if std::fs::symlink_metadata(root.join(CACHE_DIR)).is_err() {
        return Ok(());
    }
    let tracked = match git::Repo::open(root) {
        Ok(repo) => repo.tracks(CACHE_DIR),
        // Outside any git work tree nothing can have been pushed; inside one that git will
        // not open (a checkout of another owner, say) the answer is unknown, so no.
        Err(_) if !canonical(root).ancestors().any(|dir| dir.join(".git").exists()) => Ok(false),
        Err(e) => Err(e),
    };
    match tracked {
        Ok(false) => Ok(()),
        Ok(true) => Err(Diagnostic::new(
            lints::IO_ERROR,
            CACHE_DIR,
            0,
            0,
            format!("{CACHE_DIR}/ holds files that git tracks: the cache of built versions must be planboek's own"),
        )
        .with_help(format!(
            "remove them from the repository (`git rm -r --cached {CACHE_DIR}`) and ignore the folder"
        ))),
        Err(e) => Err(Diagnostic::new(
            lints::IO_ERROR,
            CACHE_DIR,
            0,
            0,
            format!("cannot tell whether git tracks {CACHE_DIR}/, so its built versions are not used: {e}"),
        )
        .with_help(format!("let git answer in this folder, or remove {CACHE_DIR}/ to build every version anew"))),
    }
}

/// The error of asking for versions where planboek.toml declares none.
pub fn not_versioned() -> Diagnostic {
    Diagnostic::new(lints::CONFIG, CONFIG_FILE, 0, 0, "planboek.toml has no [versions] section")
        .with_help("add `[versions]` with `from_git = \"v*\"` (tags) or [[versions.list]] entries; see the README")
}

/// Where git keeps the references of the repository around `root` (its common folder),
/// so that `serve --versions` can notice a new tag; None outside a repository.
pub fn git_dir(root: &Path) -> Option<PathBuf> {
    git::Repo::open(root).ok()?.common_dir()
}

/// The versions to publish, newest first: the working tree, then by date.
fn resolve(root: &Path, config: &Config, vc: &VersionsConfig) -> Result<Vec<Version>, Diagnostic> {
    let uses_git = vc.from_git.is_some() || vc.list.iter().any(|e| e.git_ref.is_some());
    let repo = match git::Repo::open(root) {
        Ok(repo) => Some(repo),
        Err(e) if uses_git => {
            return Err(config_error(config, e.to_string()).with_help(
                "run `git init` and tag the adopted versions, or remove `from_git` and `ref` from [versions]",
            ))
        }
        Err(_) => None,
    };
    let mut list = Vec::new();
    if let (Some(glob), Some(repo)) = (&vc.from_git, &repo) {
        for tag in repo.tags(glob).map_err(|e| config_error(config, e.to_string()))? {
            let mut v = git_version(repo, config, &tag.name, &tag.name, Some(tag.name.clone()))?;
            v.date = tag.date;
            v.time = tag.time;
            list.push(v);
        }
    }
    for (i, e) in vc.list.iter().enumerate() {
        let v = match (&e.git_ref, &e.path, &repo) {
            (Some(r), None, Some(repo)) => git_version(repo, config, &e.name, r, None)?,
            (None, Some(p), _) => folder_version(root, config, i, &e.name, p)?,
            _ => {
                let msg = format!("version `{}` needs exactly one of `ref` and `path`", e.name);
                return Err(config_error(config, msg));
            }
        };
        list.push(v);
    }
    order::sort(&mut list, repo.as_ref());
    if let Some(name) = &vc.current {
        let current = Version {
            name: name.clone(),
            slug: String::new(),
            tag: None,
            date: None,
            time: None,
            adopted: false,
            origin: Origin::WorkTree,
        };
        list.insert(0, current);
    }
    if list.is_empty() {
        let glob = vc.from_git.as_deref().unwrap_or_default();
        return Err(config_error(config, format!("[versions] names no version: no tag matches `{glob}`"))
            .with_help("tag an adopted version (`git tag v1`), add [[versions.list]] or set `current`"));
    }
    assign_slugs(&mut list);
    Ok(list)
}

fn git_version(
    repo: &git::Repo,
    config: &Config,
    name: &str,
    rev: &str,
    tag: Option<String>,
) -> Result<Version, Diagnostic> {
    let Some(commit) = repo.commit(rev) else {
        return Err(config_error(config, format!("version `{name}`: unknown git ref `{rev}`"))
            .with_help("name a tag, branch or commit that exists in this repository"));
    };
    let Some(tree) = repo.tree(&commit, CONTENT_DIR) else {
        return Err(config_error(config, format!("version `{name}`: ref `{rev}` has no content/ folder")));
    };
    let (date, time) = repo.commit_time(&commit).unzip();
    Ok(Version {
        name: name.into(),
        slug: String::new(),
        tag,
        date: date.flatten(),
        time,
        adopted: true,
        origin: Origin::Git { commit, tree },
    })
}

/// A folder version: its `path` must lie inside the site root, really (after every `..`
/// and symbolic link), as must its `content/`: a repository is untrusted input in CI.
fn folder_version(root: &Path, config: &Config, index: usize, name: &str, path: &Path) -> Result<Version, Diagnostic> {
    let keys = [format!("versions.list.{index}.path"), format!("versions.list.{index}")];
    let at = |message: String| {
        let line = config.line_of(&[&keys[0], &keys[1], "versions.list", "versions"]);
        Diagnostic::new(lints::CONFIG, CONFIG_FILE, line, u32::from(line > 0), message)
    };
    let shown = path.display();
    if path.is_absolute() || path.has_root() {
        return Err(at(format!(
            "version `{name}`: path `{shown}` is absolute; it must be a folder inside the site root"
        ))
        .with_help("write the path relative to the folder of planboek.toml, e.g. `archive/2026-03`"));
    }
    let real_root = canonical(root);
    let dir = root.join(path);
    for inner in [dir.clone(), dir.join(CONTENT_DIR)] {
        if let Some(real) = outside(&real_root, &inner) {
            let msg = format!("version `{name}`: path `{shown}` leads outside the site root (to {})", real.display());
            return Err(at(msg).with_help("an older version must be a folder inside the repository"));
        }
    }
    if !dir.join(CONTENT_DIR).is_dir() {
        return Err(at(format!("version `{name}`: {shown} holds no content/ folder")));
    }
    let dir = canonical(&dir);
    Ok(Version {
        name: name.into(),
        slug: String::new(),
        tag: None,
        date: None,
        time: None,
        adopted: true,
        origin: Origin::Folder(dir),
    })
}

/// Folder names from version names (by the one slug rule), unique.
fn assign_slugs(list: &mut [Version]) {
    let mut seen = std::collections::HashSet::new();
    for v in list {
        let base = slugify(&v.name);
        let base = if base.is_empty() { "versie".to_string() } else { base };
        let mut slug = base.clone();
        let mut n = 2;
        while !seen.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        v.slug = slug;
    }
}

/// An error about `[versions]`, at its line in planboek.toml.
fn config_error(config: &Config, message: impl Into<String>) -> Diagnostic {
    let line = config.line_of(&["versions", "versions.list"]);
    Diagnostic::new(lints::CONFIG, CONFIG_FILE, line, u32::from(line > 0), message)
}
