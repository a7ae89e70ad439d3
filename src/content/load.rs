//! Reading `content/` into the model: every plan folder, its files and nested sections.
//! Every problem found becomes a diagnostic; loading goes on so that a run reports them all.

use super::frontmatter::{self, Unterminated};
use super::model::{Plan, PlanMeta, Section, SectionMeta, Site, Source, Unreadable};
use crate::check::{lints, Diagnostic};
use crate::config::toml_diagnostic;
use crate::markdown::fill_placeholders;
use crate::markdown::first_heading;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The folder under the site root that holds the plans.
pub const CONTENT_DIR: &str = "content";

/// A loaded repository with what loading found.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub site: Site,
    /// Every non-Markdown file under `content/`, as `plan/img/kaart.png`.
    pub files: HashSet<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A Markdown file read and parsed, before it takes its place in the tree.
struct Parsed<M> {
    rel: String,
    source: Source,
    meta: M,
    /// The front matter did not parse (already reported); `meta` holds defaults.
    failed: bool,
}

/// Plan-relative files of one folder, gathered before sections are built.
#[derive(Default)]
struct Dir {
    /// `_index.md` and `index.md`; more than one is an error.
    index: Vec<Parsed<SectionMeta>>,
    files: Vec<Parsed<SectionMeta>>,
    dirs: BTreeMap<String, Dir>,
}

/// Where the files under `content/` are read from.
#[derive(Debug, Clone, Copy)]
pub enum Tree<'a> {
    /// `root/content` on disk.
    Disk,
    /// Files already read (from a git tree), by path relative to `content/`.
    Files(&'a BTreeMap<String, Vec<u8>>),
}

/// Loads the plans under `root/content`.
pub fn load(root: &Path) -> Loaded {
    load_tree(root, Tree::Disk)
}

/// Loads the plans of `tree`; `root` is still the site root that paths are relative to.
pub fn load_tree(root: &Path, tree: Tree) -> Loaded {
    let mut diagnostics = Vec::new();
    let walked = match tree {
        Tree::Disk => walk(root, &mut diagnostics),
        Tree::Files(files) => walk_files(files, &mut diagnostics),
    };
    let parsed: Vec<_> = walked.markdown.par_iter().map(|rel| (rel, read_source(root, rel, tree))).collect();
    let mut plans: BTreeMap<String, (Vec<Parsed<PlanMeta>>, Dir)> =
        walked.plan_dirs.iter().map(|p| (p.clone(), Default::default())).collect();
    for (rel, read) in parsed {
        let (source, fm) = match read {
            Ok(x) => x,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let Some((plan, inner)) = rel.split_once('/') else {
            diagnostics.push(stray(&source.path));
            continue;
        };
        let Some(entry) = plans.get_mut(plan) else { continue };
        let fm = fm.as_deref();
        if is_index(inner) {
            entry.0.push(parse_meta(inner, source, fm, &mut diagnostics));
        } else {
            insert(&mut entry.1, inner, parse_meta(inner, source, fm, &mut diagnostics));
        }
    }
    let plans = plans
        .into_iter()
        .filter_map(|(slug, (index, dir))| assemble_plan(&slug, index, dir, &mut diagnostics))
        .collect();
    Loaded { site: Site { root: root.to_path_buf(), plans }, files: walked.files, diagnostics }
}

/// What a walk of `content/` found, as paths relative to it.
struct Walked {
    plan_dirs: Vec<String>,
    markdown: Vec<String>,
    files: HashSet<String>,
}

fn walk(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Walked {
    let content = root.join(CONTENT_DIR);
    let mut w = Walked { plan_dirs: Vec::new(), markdown: Vec::new(), files: HashSet::new() };
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::new(lints::IO_ERROR, CONTENT_DIR, 0, 0, "no content/ folder: there are no plans to publish")
                .with_help("put each plan in a folder content/<plan>/ with an _index.md"),
        );
        return w;
    }
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(walk_error(root, &e));
                continue;
            }
        };
        let Some(rel) = rel_path(&content, entry.path()) else { continue };
        if entry.file_type().is_dir() {
            if entry.depth() == 1 {
                w.plan_dirs.push(rel);
            }
        } else if rel.ends_with(".md") {
            w.markdown.push(rel);
        } else if entry.depth() == 1 {
            diagnostics.push(stray(&Path::new(CONTENT_DIR).join(&rel)));
        } else {
            w.files.insert(rel);
        }
    }
    w
}

/// The same walk over files read from a git tree: folders are implied by the paths.
fn walk_files(files: &BTreeMap<String, Vec<u8>>, diagnostics: &mut Vec<Diagnostic>) -> Walked {
    let mut w = Walked { plan_dirs: Vec::new(), markdown: Vec::new(), files: HashSet::new() };
    for rel in files.keys().filter(|r| !r.split('/').any(|p| p.starts_with('.'))) {
        match rel.split_once('/') {
            Some((plan, _)) if w.plan_dirs.last().map(String::as_str) != Some(plan) => w.plan_dirs.push(plan.into()),
            _ => {}
        }
        if rel.ends_with(".md") {
            w.markdown.push(rel.clone());
        } else if !rel.contains('/') {
            diagnostics.push(stray(&Path::new(CONTENT_DIR).join(rel)));
        } else {
            w.files.insert(rel.clone());
        }
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

fn stray(path: &Path) -> Diagnostic {
    Diagnostic::new(lints::STRAY_FILE, path, 0, 0, "file is not inside a plan folder")
        .with_help("each plan is a folder content/<plan>/ holding _index.md and its sections")
}

fn is_index(name: &str) -> bool {
    name == "_index.md" || name == "index.md"
}

/// Reads one file: its source (body and lines) and its front-matter text, if any.
fn read_source(root: &Path, rel: &str, tree: Tree) -> Result<(Source, Option<String>), Diagnostic> {
    let path = Path::new(CONTENT_DIR).join(rel);
    let bytes = match tree {
        Tree::Disk => std::fs::read(root.join(&path)),
        Tree::Files(files) => files.get(rel).cloned().ok_or_else(|| std::io::ErrorKind::NotFound.into()),
    };
    let bytes = bytes.map_err(|e| Diagnostic::new(lints::IO_ERROR, &path, 0, 0, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| utf8_error(&path, &e))?;
    let text = frontmatter::normalize(text);
    let parts = frontmatter::split(&text).map_err(|Unterminated { line }| {
        Diagnostic::new(lints::FM_UNTERMINATED, &path, line, 1, "front matter opened with `+++` is never closed")
            .with_help("end the front matter with a line holding only `+++`")
    })?;
    let key_lines =
        parts.front_matter.map(|fm| frontmatter::key_lines(fm, parts.front_matter_line)).unwrap_or_default();
    let fm = parts.front_matter.map(str::to_string);
    let source = Source { path, body: parts.body.to_string(), body_line: parts.body_line, key_lines };
    Ok((source, fm))
}

/// Re-reads one Markdown file (`plan/x.md`, relative to `content/`) for `serve`'s
/// single-page rebuild: its source and front matter, or why it is unusable.
pub(crate) fn reload<M: DeserializeOwned + Unreadable>(root: &Path, rel: &str) -> Result<(Source, M), Vec<Diagnostic>> {
    let (source, fm) = read_source(root, rel, Tree::Disk).map_err(|d| vec![d])?;
    let mut diagnostics = Vec::new();
    let parsed: Parsed<M> = parse_meta(rel, source, fm.as_deref(), &mut diagnostics);
    if diagnostics.is_empty() {
        Ok((parsed.source, parsed.meta))
    } else {
        Err(diagnostics)
    }
}

fn utf8_error(path: &Path, e: &std::string::FromUtf8Error) -> Diagnostic {
    // Everything before the first bad byte is valid UTF-8.
    let valid = std::str::from_utf8(&e.as_bytes()[..e.utf8_error().valid_up_to()]).unwrap_or_default();
    let (line, column) = crate::config::line_col(valid, valid.len());
    Diagnostic::new(lints::INVALID_UTF8, path, line, column, "file is not valid UTF-8")
        .with_help("save the file as UTF-8")
}

/// Parses front matter into `M`; on an error reports it and goes on with `M::unreadable()`,
/// so that the rest of the file is still checked.
fn parse_meta<M: DeserializeOwned + Unreadable>(
    rel: &str,
    source: Source,
    fm: Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Parsed<M> {
    let (meta, failed) = match fm.map(|text| (text, toml::from_str(text))) {
        None => (M::default(), false),
        Some((_, Ok(meta))) => (meta, false),
        Some((text, Err(e))) => {
            diagnostics.push(toml_diagnostic(&e, text, 2, &source.path));
            (M::unreadable(), true)
        }
    };
    Parsed { rel: rel.to_string(), source, meta, failed }
}

fn insert(dir: &mut Dir, rel: &str, parsed: Parsed<SectionMeta>) {
    let mut dir = dir;
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            if is_index(part) {
                dir.index.push(parsed);
            } else {
                dir.files.push(parsed);
            }
            return;
        }
        dir = dir.dirs.entry(part.to_string()).or_default();
    }
}

/// Each file claims an output page; two files claiming the same page is an error naming both.
fn duplicate_index<M>(index: &[Parsed<M>]) -> Option<Diagnostic> {
    let [first, rest @ ..] = index else { return None };
    let others: Vec<String> = rest.iter().map(|p| p.source.path.display().to_string()).collect();
    (!others.is_empty()).then(|| {
        Diagnostic::new(
            lints::DUPLICATE_OUTPUT,
            &first.source.path,
            1,
            1,
            format!("{} and {} would both write the same page", first.source.path.display(), others.join(" and ")),
        )
        .with_help("keep one of _index.md and index.md")
    })
}

fn assemble_plan(
    slug: &str,
    index: Vec<Parsed<PlanMeta>>,
    dir: Dir,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    let folder = Path::new(CONTENT_DIR).join(slug);
    if slug.starts_with('_') {
        diagnostics.push(Diagnostic::new(
            lints::STRAY_FILE,
            &folder,
            0,
            0,
            "plan folder names starting with `_` are reserved",
        ));
        return None;
    }
    diagnostics.extend(duplicate_index(&index));
    let Some(head) = index.into_iter().next() else {
        diagnostics.push(
            Diagnostic::new(lints::MISSING_TITLE, &folder, 0, 0, "plan folder has no _index.md")
                .with_help("add _index.md with the plan's front matter (title, group, municipality, …)"),
        );
        return None;
    };
    // A plan whose front matter failed is left out whole: its error is reported already, and
    // findings from stand-in values would only mislead.
    if head.failed {
        return None;
    }
    let title = head.meta.title.clone().or_else(|| first_heading(&head.source.body));
    let Some(title) = title else {
        diagnostics.push(
            Diagnostic::new(lints::MISSING_TITLE, &head.source.path, 1, 1, "plan has no title")
                .with_help("add `title = \"…\"` to the front matter"),
        );
        return None;
    };
    let sections = build_sections("", dir, diagnostics);
    let mut plan = Plan { slug: slug.to_string(), title, meta: head.meta, source: head.source, sections };
    fill_titles(&mut plan);
    Some(plan)
}

/// Fills placeholders in the plan's and its sections' titles, so that every place that shows
/// a title (menus, breadcrumbs, the home page, diagnostics) shows the same text.
fn fill_titles(plan: &mut Plan) {
    fn fill_tree(sections: &mut [Section], fill: &dyn Fn(&str) -> Option<String>) {
        for s in sections {
            if let Cow::Owned(t) = fill_placeholders(&s.title, fill) {
                s.title = t;
            }
            fill_tree(&mut s.children, fill);
        }
    }
    let meta = &plan.meta;
    let fill = |name: &str| meta.placeholder(name).map(str::to_string);
    if let Cow::Owned(t) = fill_placeholders(&plan.title, &fill) {
        plan.title = t;
    }
    let mut sections = std::mem::take(&mut plan.sections);
    fill_tree(&mut sections, &fill);
    plan.sections = sections;
}

/// The sections of one folder (`prefix` is its plan-relative path with a trailing `/`).
fn build_sections(prefix: &str, dir: Dir, diagnostics: &mut Vec<Diagnostic>) -> Vec<Section> {
    let mut out: Vec<Section> = dir.files.into_iter().map(|p| file_section(p, Vec::new())).collect();
    for (name, sub) in dir.dirs {
        if sub.index.is_empty() && sub.files.is_empty() && sub.dirs.is_empty() {
            continue;
        }
        diagnostics.extend(duplicate_index(&sub.index));
        let sub_prefix = format!("{prefix}{name}/");
        let mut index = sub.index;
        let head = (!index.is_empty()).then(|| index.remove(0));
        let children = build_sections(&sub_prefix, Dir { index: Vec::new(), ..sub }, diagnostics);
        out.push(match head {
            Some(p) => file_section(p, children),
            None => Section {
                rel: format!("{sub_prefix}_index.md"),
                title: humanize(&name),
                meta: SectionMeta::default(),
                source: None,
                children,
            },
        });
    }
    sort_sections(&mut out);
    out
}

fn file_section(p: Parsed<SectionMeta>, children: Vec<Section>) -> Section {
    let file_name = p.rel.rsplit('/').find(|s| !is_index(s)).unwrap_or(&p.rel);
    let title = p.meta.title.clone().or_else(|| first_heading(&p.source.body)).unwrap_or_else(|| humanize(file_name));
    Section { rel: p.rel, title, meta: p.meta, source: Some(p.source), children }
}

/// Reading order: weight, then numeric file-name prefix, then title.
fn sort_sections(sections: &mut [Section]) {
    sections.sort_by_cached_key(|s| {
        let name = s.rel.trim_end_matches("/_index.md").trim_end_matches("/index.md");
        let name = name.rsplit('/').next().unwrap_or(name);
        (
            s.meta.weight.unwrap_or(i64::MAX),
            numeric_prefix(name).unwrap_or(u64::MAX),
            s.title.to_lowercase(),
            s.rel.clone(),
        )
    });
}

/// `04-plan-van-aanpak` → 4.
fn numeric_prefix(name: &str) -> Option<u64> {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// `04-plan-van-aanpak.md` → "Plan van aanpak".
fn humanize(name: &str) -> String {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let stem = stem.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(['-', '_', '.']);
    let stem = if stem.is_empty() { name } else { stem };
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humanize_and_prefix() {
        assert_eq!(humanize("04-plan-van-aanpak.md"), "Plan van aanpak");
        assert_eq!(humanize("monitoring"), "Monitoring");
        assert_eq!(numeric_prefix("04-x"), Some(4));
        assert_eq!(numeric_prefix("x"), None);
    }
}
