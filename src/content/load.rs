//! Reading `content/` into the model: every plan folder, its files and nested sections.
//! Every problem found becomes a diagnostic; loading goes on so that a run reports them all.

use super::frontmatter::{self, Suspect, SuspectKind, Unterminated};
use super::source::{stray, ContentSource, CONTENT_DIR};
use crate::diag::spans::{front_matter_diagnostic, line_col, parse_with_lines};
use crate::diag::{lints, Diagnostic};
use crate::markdown::{fill_placeholders, first_heading};
use crate::model::paths::{humanize, is_index, number_prefix};
use crate::model::{FrontMatter, Plan, PlanMeta, Section, SectionMeta, Site, Source};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

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

/// Loads the plans of `source`: every file read and its front matter parsed in parallel.
pub fn load(source: ContentSource) -> Loaded {
    let mut diagnostics = Vec::new();
    let walked = source.walk(&mut diagnostics);
    let parsed: Vec<_> = walked.markdown.par_iter().map(|rel| (rel, read_source(source, rel))).collect();
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
    Loaded { site: Site { root: source.root(), plans }, files: walked.files, diagnostics }
}

/// What a file's front matter is, before it is parsed.
enum FrontMatterText {
    None,
    /// The TOML text and the file line it starts on.
    Toml(String, u32),
    /// Something that looks like front matter but cannot be read: the file counts as
    /// `vertrouwelijk` (`FrontMatter::unreadable`), with this error.
    Unreadable(Diagnostic),
}

/// Reads one file: its source (body and lines) and its front-matter text, if any.
fn read_source(source: ContentSource, rel: &str) -> Result<(Source, FrontMatterText), Diagnostic> {
    let path = Path::new(CONTENT_DIR).join(rel);
    let bytes =
        source.read(rel).map_err(|e| Diagnostic::new(lints::IO_ERROR, &path, 0, 0, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| utf8_error(&path, &e))?;
    let text = frontmatter::normalize(text);
    let parts = frontmatter::split(&text).map_err(|Unterminated { line }| {
        Diagnostic::new(lints::FM_UNTERMINATED, &path, line, 1, "front matter opened with `+++` is never closed")
            .with_help("end the front matter with a line holding only `+++`")
    })?;
    let fm = match (parts.suspect, parts.front_matter) {
        (Some(suspect), _) => FrontMatterText::Unreadable(suspect_error(&path, suspect)),
        (None, Some(text)) => FrontMatterText::Toml(text.to_string(), parts.front_matter_line),
        (None, None) => FrontMatterText::None,
    };
    let source = Source { path, body: parts.body.to_string(), body_line: parts.body_line, ..Source::default() };
    Ok((source, fm))
}

/// Re-reads one Markdown file (`plan/x.md`, relative to `content/`) for `serve`'s
/// single-page rebuild: its source and front matter, or why it is unusable.
pub fn reload<M: FrontMatter>(root: &Path, rel: &str) -> Result<(Source, M), Vec<Diagnostic>> {
    let (source, fm) = read_source(ContentSource::Disk(root), rel).map_err(|d| vec![d])?;
    let mut diagnostics = Vec::new();
    let parsed: Parsed<M> = parse_meta(rel, source, fm, &mut diagnostics);
    if diagnostics.is_empty() {
        Ok((parsed.source, parsed.meta))
    } else {
        Err(diagnostics)
    }
}

/// The error for front matter that is not where or what it must be.
fn suspect_error(path: &Path, suspect: Suspect) -> Diagnostic {
    let (message, help) = match suspect.kind {
        SuspectKind::Misplaced => (
            "a `+++` block of front matter below the top of the file",
            "move the front matter to the top of the file; to show `+++` as text, put it in a code block",
        ),
        SuspectKind::BadFence => {
            ("front matter must open with a line holding only `+++`", "write `+++` alone on the first line")
        }
        SuspectKind::Yaml => (
            "`---` front matter is YAML, which planboek does not read",
            "write the front matter as TOML between `+++` lines: classification = \"intern\"",
        ),
    };
    let message = format!("{message}; the file counts as vertrouwelijk until this is fixed");
    Diagnostic::new(lints::FM_MISPLACED, path, suspect.line, 1, message).with_help(help)
}

fn utf8_error(path: &Path, e: &std::string::FromUtf8Error) -> Diagnostic {
    // Everything before the first bad byte is valid UTF-8.
    let valid = std::str::from_utf8(&e.as_bytes()[..e.utf8_error().valid_up_to()]).unwrap_or_default();
    let (line, column) = line_col(valid, valid.len());
    Diagnostic::new(lints::INVALID_UTF8, path, line, column, "file is not valid UTF-8")
        .with_help("save the file as UTF-8")
}

/// Parses front matter into `M`; on an error reports it and goes on with `M::unreadable()`,
/// so that the rest of the file is still checked.
fn parse_meta<M: FrontMatter>(
    rel: &str,
    mut source: Source,
    fm: FrontMatterText,
    diagnostics: &mut Vec<Diagnostic>,
) -> Parsed<M> {
    let (meta, failed) = match fm {
        FrontMatterText::None => (M::default(), false),
        FrontMatterText::Unreadable(d) => {
            diagnostics.push(d);
            (M::unreadable(), true)
        }
        FrontMatterText::Toml(text, line) => match parse_with_lines(&text, line) {
            (Ok(meta), key_lines) => {
                source.key_lines = key_lines;
                (meta, false)
            }
            (Err(e), _) => {
                diagnostics.push(front_matter_diagnostic(&e, &text, line, &source.path, &M::field));
                (M::unreadable(), true)
            }
        },
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
            number_prefix(name).0.unwrap_or(u64::MAX),
            s.title.to_lowercase(),
            s.rel.clone(),
        )
    });
}
