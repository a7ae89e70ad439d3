//! Versioned handbooks: every adopted version of the plans (git tags, explicit refs or
//! folders, and optionally the working tree) built through the same pipeline into
//! `<out>/<version>/`, with a landing page, a version switcher and a changes page per version.

mod assemble;
mod cache;
mod diff;
mod git;
mod one;

pub use diff::{anchor, diff_words};
pub use git::LastChange;
pub use one::CHANGES_PAGE;

use crate::build::{Options, Outcome, Prepared};
use crate::check::{lints, Diagnostic, Diagnostics, PageFacts};
use crate::config::{Config, VersionsConfig, CONFIG_FILE};
use crate::render::Theme;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The folder under the site root that holds exported trees and built versions.
pub const CACHE_DIR: &str = ".planboek-cache";

/// What the pages of one version know about its history; set on the version's config.
#[derive(Debug, Default)]
pub struct Stamp {
    /// The version's folder in the output.
    pub slug: String,
    /// Source path (`content/p/x.md`) → the last commit that touched it.
    pub last: HashMap<String, LastChange>,
    /// Source path → anchor of its entry on this version's changes page.
    pub diffs: HashMap<String, String>,
    pub show_authors: bool,
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
    /// `YYYY-MM-DD`; empty when unknown.
    pub date: String,
    /// Adopted (a tag, ref or folder) or the working tree's concept.
    pub adopted: bool,
    pub origin: Origin,
}

/// The working tree's version as last built: what `serve --versions` needs to re-render the
/// pages of a saved section in place.
pub struct Current {
    /// Its folder in the output.
    pub slug: String,
    /// Its model; the config carries the version's stamp.
    pub prepared: Prepared,
    pub theme: Theme,
    pub facts: Vec<PageFacts>,
}

/// Builds every configured version; `build::build` calls this when `[versions]` is set.
pub fn build(opts: &Options, config: &Config, versions: &VersionsConfig) -> Outcome {
    build_keeping_current(opts, config, versions).0
}

fn build_keeping_current(opts: &Options, config: &Config, vc: &VersionsConfig) -> (Outcome, Option<Current>) {
    let started = std::time::Instant::now();
    match resolve(opts, vc) {
        Ok(list) => assemble::build(opts, config, &list, started),
        Err(d) => (Outcome { diagnostics: Diagnostics(vec![d]), summary: None }, None),
    }
}

/// For `serve --versions`: builds the configured versions with the working tree published
/// as `current` (under `name` unless planboek.toml names it). Without `[versions]` that is
/// an error at planboek.toml. Returns the working tree's version as built, too.
pub fn build_with_current(opts: &Options, name: &str) -> (Outcome, Option<Current>) {
    let fail = |d: Diagnostic| (Outcome { diagnostics: Diagnostics(vec![d]), summary: None }, None);
    let config = match crate::config::load(&opts.root) {
        Ok(c) => c,
        Err(d) => return fail(d),
    };
    let Some(mut vc) = config.versions.clone() else {
        return fail(not_versioned());
    };
    vc.current.get_or_insert_with(|| name.to_string());
    build_keeping_current(opts, &config, &vc)
}

/// The error of asking for versions where planboek.toml declares none.
pub fn not_versioned() -> Diagnostic {
    Diagnostic::new(lints::CONFIG, CONFIG_FILE, 0, 0, "planboek.toml has no [versions] section")
        .with_help("add `[versions]` with `from_git = \"v*\"` (tags) or [[versions.list]] entries; see the README")
}

/// Where git keeps the references of the repository around `root` (its common folder),
/// so that `serve --versions` can notice a new tag; None outside a repository.
pub fn git_dir(root: &Path) -> Option<PathBuf> {
    git::Repo::open(root)?.common_dir()
}

/// The versions to publish, newest first: the working tree, then by date.
pub fn resolve(opts: &Options, vc: &VersionsConfig) -> Result<Vec<Version>, Diagnostic> {
    let root = &opts.root;
    let uses_git = vc.from_git.is_some() || vc.list.iter().any(|e| e.git_ref.is_some());
    let repo = git::Repo::open(&opts.root);
    if uses_git && repo.is_none() {
        return Err(config_error(
            root,
            format!("versions come from git, but {} is not inside a git repository", opts.root.display()),
        )
        .with_help("run `git init` and tag the adopted versions, or remove `from_git` and `ref` from [versions]"));
    }
    let mut list = Vec::new();
    if let (Some(glob), Some(repo)) = (&vc.from_git, &repo) {
        for tag in repo.tags(glob).map_err(|e| config_error(root, e))? {
            let mut v = git_version(repo, &tag.name, &tag.name, Some(tag.name.clone()))?;
            v.date = tag.date;
            list.push(v);
        }
    }
    for e in &vc.list {
        let v = match (&e.git_ref, &e.path, &repo) {
            (Some(r), None, Some(repo)) => git_version(repo, &e.name, r, None)?,
            (None, Some(p), _) => folder_version(root, &e.name, p)?,
            _ => return Err(config_error(root, format!("version `{}` needs exactly one of `ref` and `path`", e.name))),
        };
        list.push(v);
    }
    list.sort_by(|a, b| b.date.cmp(&a.date));
    if let Some(name) = &vc.current {
        list.insert(
            0,
            Version {
                name: name.clone(),
                slug: String::new(),
                tag: None,
                date: String::new(),
                adopted: false,
                origin: Origin::WorkTree,
            },
        );
    }
    if list.is_empty() {
        let glob = vc.from_git.as_deref().unwrap_or_default();
        return Err(config_error(root, format!("[versions] names no version: no tag matches `{glob}`"))
            .with_help("tag an adopted version (`git tag v1`), add [[versions.list]] or set `current`"));
    }
    assign_slugs(&mut list);
    Ok(list)
}

fn git_version(repo: &git::Repo, name: &str, rev: &str, tag: Option<String>) -> Result<Version, Diagnostic> {
    let root = &repo.root;
    let Some(commit) = repo.commit(rev) else {
        return Err(config_error(root, format!("version `{name}`: unknown git ref `{rev}`"))
            .with_help("name a tag, branch or commit that exists in this repository"));
    };
    let Some(tree) = repo.tree(&commit, crate::content::CONTENT_DIR) else {
        return Err(config_error(root, format!("version `{name}`: ref `{rev}` has no content/ folder")));
    };
    let date = repo.commit_date(&commit);
    Ok(Version {
        name: name.into(),
        slug: String::new(),
        tag,
        date,
        adopted: true,
        origin: Origin::Git { commit, tree },
    })
}

fn folder_version(root: &Path, name: &str, path: &Path) -> Result<Version, Diagnostic> {
    let dir = root.join(path);
    if !dir.join(crate::content::CONTENT_DIR).is_dir() {
        return Err(config_error(root, format!("version `{name}`: {} holds no content/ folder", path.display())));
    }
    Ok(Version {
        name: name.into(),
        slug: String::new(),
        tag: None,
        date: String::new(),
        adopted: true,
        origin: Origin::Folder(dir),
    })
}

/// Folder names from version names, unique, never starting with `_` or `.`.
fn assign_slugs(list: &mut [Version]) {
    let mut seen = std::collections::HashSet::new();
    for v in list {
        let base: String = v
            .name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() || c == '.' || c == '-' { c } else { '-' })
            .collect::<String>()
            .trim_matches(['-', '.', '_'])
            .to_string();
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
fn config_error(root: &Path, message: impl Into<String>) -> Diagnostic {
    let line = crate::config::config_line(root, &["versions", "versions.list"]);
    Diagnostic::new(lints::CONFIG, CONFIG_FILE, line, u32::from(line > 0), message)
}
