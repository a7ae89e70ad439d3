//! Where a site's `content/` is read from — the folder on disk, or files already read from a
//! git tree — and the walk that lists its plan folders, Markdown files and other files.

use crate::diag::{lints, Diagnostic};
use crate::model::paths::is_markdown;
use crate::util::fs::{canonical, outside};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The folder under the site root that holds the plans.
pub const CONTENT_DIR: &str = "content";

/// Where the files under `content/` come from. A prepared build keeps it, to read each
/// page's Markdown again when the page renders.
#[derive(Clone)]
pub enum ContentSource {
    /// `root/content` on disk: the working tree, or an archive folder of an older version.
    Disk(PathBuf),
    /// Files of a tree read on demand (a version's git tree). `assets` is the folder whose
    /// `content/` holds the same tree's other files (images, PDFs) on disk, to copy the
    /// linked ones from.
    Tree { tree: Arc<dyn Tree>, assets: PathBuf },
}

/// The files of a tree, read one by one when asked for (paths relative to `content/`).
pub trait Tree: Send + Sync {
    /// Every file's path, sorted.
    fn paths(&self) -> Vec<String>;
    /// The bytes of one file.
    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>>;
}

/// Files already in memory (path under `content/` → bytes).
impl Tree for BTreeMap<String, Vec<u8>> {
    fn paths(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }
    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        self.get(rel).cloned().ok_or_else(|| std::io::ErrorKind::NotFound.into())
    }
}

impl ContentSource {
    /// The folder whose `content/` holds the files a build copies.
    pub fn root(&self) -> PathBuf {
        match self {
            ContentSource::Disk(root) => root.clone(),
            ContentSource::Tree { assets, .. } => assets.clone(),
        }
    }

    /// The bytes of `rel` (a path under `content/`).
    pub fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        match self {
            ContentSource::Disk(root) => std::fs::read(root.join(CONTENT_DIR).join(rel)),
            ContentSource::Tree { tree, .. } => tree.read(rel),
        }
    }

    /// Lists what is under `content/`; problems go to `diagnostics`.
    pub fn walk(&self, diagnostics: &mut Vec<Diagnostic>) -> Walked {
        match self {
            ContentSource::Disk(root) => walk_disk(root, None, diagnostics),
            ContentSource::Tree { tree, .. } => walk_files(&tree.paths(), diagnostics),
        }
    }

    /// Lists what is in the plan folders `dirs` (names under `content/`, as on disk); a
    /// folder that is gone lists nothing.
    pub fn walk_plans(&self, dirs: &[String], diagnostics: &mut Vec<Diagnostic>) -> Walked {
        match self {
            ContentSource::Disk(root) => walk_disk(root, Some(dirs), diagnostics),
            ContentSource::Tree { tree, .. } => {
                let inside = |rel: &String| rel.split_once('/').is_some_and(|(plan, _)| dirs.iter().any(|d| d == plan));
                walk_files(&tree.paths().into_iter().filter(inside).collect::<Vec<_>>(), diagnostics)
            }
        }
    }
}

/// What a walk of `content/` found, as paths relative to it.
#[derive(Debug, Default)]
pub struct Walked {
    pub plan_dirs: Vec<String>,
    pub markdown: Vec<String>,
    pub files: HashSet<String>,
}

impl Walked {
    /// Sorts one found path into its list: a plan folder, Markdown, or another file (a file
    /// directly under `content/` belongs to no plan).
    fn add_file(&mut self, rel: String, diagnostics: &mut Vec<Diagnostic>) {
        if is_markdown(&rel) {
            self.markdown.push(rel);
        } else if !rel.contains('/') {
            diagnostics.push(stray(&Path::new(CONTENT_DIR).join(rel)));
        } else {
            self.files.insert(rel);
        }
    }
}

/// The walk of `content/` on disk, or of only the plan folders `scope` in it.
fn walk_disk(root: &Path, scope: Option<&[String]>, diagnostics: &mut Vec<Diagnostic>) -> Walked {
    let content = root.join(CONTENT_DIR);
    let mut w = Walked::default();
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::new(lints::IO_ERROR, CONTENT_DIR, 0, 0, "no content/ folder: there are no plans to publish")
                .with_help("put each plan in a folder content/<plan>/ with an _index.md"),
        );
        return w;
    }
    let real_root = canonical(root);
    if let Some(real) = outside(&real_root, &content) {
        diagnostics.push(link_outside(Path::new(CONTENT_DIR), &real));
        return w;
    }
    let starts: Vec<(PathBuf, usize)> = match scope {
        None => vec![(content.clone(), 1)],
        Some(dirs) => dirs
            .iter()
            .filter(|d| is_plan_name(d))
            .map(|d| (content.join(d), 0))
            .filter(|(dir, _)| dir.is_dir())
            .collect(),
    };
    for (start, min_depth) in starts {
        // A plan folder walked on its own is checked as the walk of content/ checks it.
        if let Some(real) = (min_depth == 0).then(|| outside(&real_root, &start)).flatten() {
            diagnostics.push(link_outside(start.strip_prefix(root).unwrap_or(&start), &real));
            continue;
        }
        walk_from(root, &real_root, &content, &start, min_depth, &mut w, diagnostics);
    }
    w
}

/// Adds what is under `start` (`content/` itself from depth 1, or one plan folder from depth
/// 0) to `w`.
fn walk_from(
    root: &Path,
    real_root: &Path,
    content: &Path,
    start: &Path,
    min_depth: usize,
    w: &mut Walked,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Links are followed, but only where they stay inside the site root: one leading out
    // (`-> /etc/passwd`, `-> ../../elders`) is skipped with a warning naming it.
    let mut refused = Vec::new();
    let walker = walkdir::WalkDir::new(start)
        .follow_links(true)
        .min_depth(min_depth)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            match e.path_is_symlink().then(|| outside(real_root, e.path())).flatten() {
                Some(real) => {
                    refused.push(link_outside(e.path().strip_prefix(root).unwrap_or(e.path()), &real));
                    false
                }
                None => true,
            }
        });
    let entries: Vec<_> = walker.collect();
    diagnostics.append(&mut refused);
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(walk_error(root, &e));
                continue;
            }
        };
        let Some(rel) = rel_path(content, entry.path()) else { continue };
        if !entry.file_type().is_dir() {
            w.add_file(rel, diagnostics);
        } else if !rel.contains('/') {
            w.plan_dirs.push(rel);
        }
    }
}

/// Whether `name` can be a plan folder of the walk: one visible name, nothing that leads
/// elsewhere.
fn is_plan_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!((parts.next(), parts.next()), (Some(std::path::Component::Normal(_)), None)) && !name.starts_with('.')
}

/// The same walk over files read from a git tree: folders are implied by the paths.
fn walk_files(paths: &[String], diagnostics: &mut Vec<Diagnostic>) -> Walked {
    let mut w = Walked::default();
    for rel in paths.iter().filter(|r| !r.split('/').any(|p| p.starts_with('.'))) {
        match rel.split_once('/') {
            Some((plan, _)) if w.plan_dirs.last().map(String::as_str) != Some(plan) => w.plan_dirs.push(plan.into()),
            _ => {}
        }
        w.add_file(rel.clone(), diagnostics);
    }
    w
}

/// `content/a/b.md` relative to content as `a/b.md`; None for a name that is not UTF-8.
fn rel_path(content: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(content).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e.path().map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf()).unwrap_or_default();
    if let Some(ancestor) = e.loop_ancestor() {
        let to = ancestor.strip_prefix(root).unwrap_or(ancestor);
        Diagnostic::new(
            lints::SYMLINK_LOOP,
            &path,
            0,
            0,
            format!("symbolic link loops back to {}; skipped", to.display()),
        )
    } else {
        let cause = e.io_error().map_or_else(|| e.to_string(), ToString::to_string);
        Diagnostic::new(lints::IO_ERROR, &path, 0, 0, format!("cannot read: {cause}"))
    }
}

/// The warning for a symbolic link whose target lies outside the site root.
pub fn link_outside(link: &Path, real: &Path) -> Diagnostic {
    Diagnostic::new(
        lints::SYMLINK_OUTSIDE,
        link,
        0,
        0,
        format!("symbolic link leads outside the site root (to {}); not read", real.display()),
    )
    .with_help("planboek reads only files inside the repository; copy the file in instead of linking it")
}

/// A file or folder where no plan is.
pub fn stray(path: &Path) -> Diagnostic {
    Diagnostic::new(lints::STRAY_FILE, path, 0, 0, "file is not inside a plan folder")
        .with_help("each plan is a folder content/<plan>/ holding _index.md and its sections")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_walked_for_some_plans_lists_only_their_files() {
        let files = ["a/_index.md", "a/img/k.png", "a/x.md", "ab/_index.md", "b/_index.md", "top.png"];
        let tree: BTreeMap<String, Vec<u8>> = files.iter().map(|f| (f.to_string(), Vec::new())).collect();
        let source = ContentSource::Tree { tree: Arc::new(tree), assets: PathBuf::new() };
        let mut diagnostics = Vec::new();
        let w = source.walk_plans(&["a".to_string()], &mut diagnostics);
        assert_eq!(w.plan_dirs, ["a"]);
        assert_eq!(w.markdown, ["a/_index.md", "a/x.md"]);
        assert_eq!(w.files, HashSet::from(["a/img/k.png".to_string()]));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }
}
