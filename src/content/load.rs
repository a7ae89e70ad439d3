//! Reading `content/` into the model: every plan folder, its files and nested sections.
//! Every problem found becomes a diagnostic; loading goes on so that a run reports them all.

use super::names::collisions;
use super::read::{parse_front_matter, split_file, Split};
use super::source::{stray, ContentSource, Walked, CONTENT_DIR};
use crate::diag::{lints, Diagnostic};
use crate::markdown::{fill_placeholders, first_heading};
use crate::model::paths::{humanize, is_index, number_prefix};
use crate::model::{FrontMatter, Plan, PlanMeta, Section, SectionMeta, Site, Source};
use crate::util::url::nfc;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// A loaded repository with what loading found.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub site: Site,
    /// Every non-Markdown file under `content/`, as `plan/img/kaart.png` (in NFC).
    pub files: HashSet<String>,
    /// The name on disk of each file of `files` whose name there is not in NFC.
    pub on_disk: HashMap<String, String>,
    pub diagnostics: Vec<Diagnostic>,
    /// A digest of what was loaded: every plan folder's name, every Markdown file's name
    /// and bytes, and the names of the other files (whose bytes are read only if linked).
    pub digest: [u8; 32],
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

/// A Markdown file read and parsed, of a plan (its `_index.md`) or of a section.
enum ParsedFile {
    Plan(Parsed<PlanMeta>),
    Section(Parsed<SectionMeta>),
}

impl ParsedFile {
    fn source(&self) -> &Source {
        match self {
            ParsedFile::Plan(p) => &p.source,
            ParsedFile::Section(p) => &p.source,
        }
    }
}

/// Loads the plans of `source`: every file read and its front matter parsed in parallel.
/// Bodies are read here only for their first heading and dropped; a page's body is read
/// again when the page renders (`read_body`).
pub fn load(source: &ContentSource) -> Loaded {
    let mut diagnostics = Vec::new();
    let walked = source.walk(&mut diagnostics);
    load_walked(source, walked, diagnostics)
}

/// Loads only the plans in the folders `dirs` of `source` (names under `content/`, as on
/// disk), as `load` would load them: for a preview that shows an edited plan first.
pub fn load_plans(source: &ContentSource, dirs: &[String]) -> Loaded {
    let mut diagnostics = Vec::new();
    let walked = source.walk_plans(dirs, &mut diagnostics);
    load_walked(source, walked, diagnostics)
}

fn load_walked(source: &ContentSource, walked: Walked, mut diagnostics: Vec<Diagnostic>) -> Loaded {
    // The model names files in NFC (macOS writes NFD), so that links and output paths
    // compare as they look; each file is read under its own name.
    let parsed: Vec<_> = walked
        .markdown
        .par_iter()
        .map(|rel| {
            let name = nfc(rel).into_owned();
            let mut found = Vec::new();
            let file = read_file(source, rel, &name, &mut found);
            (name, file, found)
        })
        .collect();
    let digest = loaded_digest(&walked, &parsed);
    let mut plans: BTreeMap<String, (Vec<Parsed<PlanMeta>>, Dir)> =
        walked.plan_dirs.iter().map(|p| (nfc(p).into_owned(), Default::default())).collect();
    for (rel, file, mut found) in parsed {
        let parsed = match file {
            Ok(parsed) => parsed,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let plan = rel.split_once('/').map_or("", |(plan, _)| plan);
        let Some(entry) = plans.get_mut(plan) else { continue };
        diagnostics.append(&mut found);
        match parsed {
            ParsedFile::Plan(parsed) => entry.0.push(parsed),
            ParsedFile::Section(parsed) => {
                let inner = parsed.rel.clone();
                insert(&mut entry.1, &inner, parsed);
            }
        }
    }
    let plans = plans
        .into_iter()
        .filter_map(|(slug, (index, dir))| assemble_plan(&slug, index, dir, &mut diagnostics))
        .collect();
    let mut on_disk = HashMap::new();
    let files = walked
        .files
        .into_iter()
        .map(|rel| {
            let name = nfc(&rel).into_owned();
            if name != rel {
                on_disk.insert(name.clone(), rel);
            }
            name
        })
        .collect();
    let site = Site { root: source.root(), plans };
    diagnostics.extend(collisions(&site, &files));
    Loaded { site, files, on_disk, diagnostics, digest }
}

/// The digest of what `walked` found: plan folders, Markdown files with their bytes as
/// read (`parsed`, by name; one that could not be read counts as such), other files' names.
fn loaded_digest(walked: &Walked, parsed: &[(String, Result<ParsedFile, Diagnostic>, Vec<Diagnostic>)]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    for (kind, names) in
        [("plans", walked.plan_dirs.iter().collect::<Vec<_>>()), ("files", walked.files.iter().collect())]
    {
        let mut names = names;
        names.sort_unstable();
        h.update(format!("{kind}\0{}\0", names.len()).as_bytes());
        for name in names {
            h.update(name.as_bytes()).update(b"\0");
        }
    }
    let mut markdown: Vec<(&String, Option<&[u8; 32]>)> =
        parsed.iter().map(|(name, file, _)| (name, file.as_ref().ok().map(|f| &f.source().digest))).collect();
    markdown.sort_unstable();
    for (name, digest) in markdown {
        h.update(name.as_bytes()).update(b"\0").update(digest.unwrap_or(&[0; 32]));
    }
    *h.finalize().as_bytes()
}

/// Reads and parses one file (`rel` as it is named in the source, `name` in NFC): a plan's
/// `_index.md` as a plan, anything else in a plan as a section, a file directly under
/// `content/` (in no plan) as an error; front-matter problems go to `diagnostics`.
fn read_file(
    source: &ContentSource,
    rel: &str,
    name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<ParsedFile, Diagnostic> {
    let split = read_source(source, rel)?;
    let Some((_, inner)) = name.split_once('/') else { return Err(stray(&split.source.path)) };
    Ok(if is_index(inner) {
        ParsedFile::Plan(parse_meta(inner, split, diagnostics))
    } else {
        ParsedFile::Section(parse_meta(inner, split, diagnostics))
    })
}

/// Reads one file: its source (digest and lines), front-matter text and body.
fn read_source(source: &ContentSource, rel: &str) -> Result<Split, Diagnostic> {
    let path = Path::new(CONTENT_DIR).join(rel);
    let bytes =
        source.read(rel).map_err(|e| Diagnostic::new(lints::IO_ERROR, &path, 0, 0, format!("cannot read: {e}")))?;
    split_file(path, bytes)
}

/// Re-reads one Markdown file (`plan/x.md`, relative to `content/`) for `serve`'s
/// single-page rebuild: its source and front matter, or why it is unusable.
pub fn reload<M: FrontMatter>(root: &Path, rel: &str) -> Result<(Source, M), Vec<Diagnostic>> {
    let split = read_source(&ContentSource::Disk(root.to_path_buf()), rel).map_err(|d| vec![d])?;
    let mut diagnostics = Vec::new();
    let parsed: Parsed<M> = parse_meta(rel, split, &mut diagnostics);
    if diagnostics.is_empty() {
        Ok((parsed.source, parsed.meta))
    } else {
        Err(diagnostics)
    }
}

/// Parses front matter into `M`; on an error reports it and goes on with `M::unreadable()`,
/// so that the rest of the file is still checked. Without a title in the front matter, the
/// body's first heading is kept: it is the title.
fn parse_meta<M: FrontMatter>(rel: &str, split: Split, diagnostics: &mut Vec<Diagnostic>) -> Parsed<M> {
    let (mut source, meta, failed) = parse_front_matter::<M>(split.source, split.front_matter, diagnostics);
    if meta.title().is_none() {
        source.heading = first_heading(&split.body);
    }
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
    let title = head.meta.title.clone().or_else(|| head.source.heading.clone());
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
    let title = p.meta.title.clone().or_else(|| p.source.heading.clone()).unwrap_or_else(|| humanize(file_name));
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
