//! Building one version into the cache (`.planboek-cache/out/<key>/`) through the pipeline,
//! or reusing it when its content, its predecessor's and the build settings are unchanged.

use super::blobs::BlobStore;
use super::diff::{Changes, Entry};
use super::git::Repo;
use super::summary::{self, PlanChanges, Summarized};
use super::{Current, Job, Origin, Version, CACHE_DIR};
use crate::content::{ContentSource, Tree, CONTENT_DIR};
use crate::diag::stored::{self as findings, Stored};
use crate::diag::{lints, Diagnostic, Diagnostics};
use crate::i18n::ui_string;
use crate::model::paths::is_markdown;
use crate::output::{self, write_atomic, Trust};
use crate::pipeline::fingerprint::{self, Request};
use crate::pipeline::{self, Prepared, Settings};
use crate::render::{self, Theme, VersionInfo, ACTIONS_PAGE, CHANGES_PAGE, PRINT_PAGE};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// What the assembly needs to know of a built version, kept beside its cached pages.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Meta {
    /// Every page, relative to the version root.
    pub pages: Vec<String>,
    /// Previous version's page → this version's page, renames included.
    pub moved: BTreeMap<String, String>,
    /// How many plans the version publishes.
    pub plans: usize,
    /// How many of its findings (`FINDINGS_FILE`) are warnings: an older version's are
    /// counted, not listed, and reading them (16 MB for 1,000 plans) to count them cost
    /// every build that reuses the version.
    pub warnings: usize,
    /// How many plans and sections it leaves out as drafts.
    #[serde(default)]
    pub drafts_left_out: usize,
}

/// Which pages a version has and which page of its predecessor each one continues: what the
/// version switcher needs of it, read from its meta file (whose other fields are skipped).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageMap {
    pub pages: Vec<String>,
    pub moved: BTreeMap<String, String>,
}

/// A version's pages in the cache: where they are and what the assembly needs of them.
pub struct CachedVersion {
    pub dir: PathBuf,
    /// How many plans the version publishes.
    pub plans: usize,
    /// How many plans and sections it leaves out as drafts.
    pub drafts_left_out: usize,
    /// How many of its findings are warnings. An older version's findings are counted, not
    /// listed, and the newest's are returned on their own; ten versions of a large handbook
    /// would otherwise keep hundreds of thousands of warnings in memory.
    pub warnings: usize,
    /// `dir` is a folder of this build only (the working tree's version), not kept.
    pub scratch: bool,
    /// Its page map when its meta file could not be written. Otherwise the map is read back
    /// from that file for the switcher: kept in memory, the maps of the versions built so far
    /// (about 5 MB each for 1,000 plans) grew every later version's peak.
    kept: Option<PageMap>,
}

impl CachedVersion {
    fn new(dir: PathBuf, meta: Meta, scratch: bool, on_disk: bool) -> CachedVersion {
        let (plans, drafts_left_out, warnings) = (meta.plans, meta.drafts_left_out, meta.warnings);
        let kept = (!on_disk).then_some(PageMap { pages: meta.pages, moved: meta.moved });
        CachedVersion { dir, plans, drafts_left_out, warnings, scratch, kept }
    }

    /// Its pages and renames: kept, or read from its meta file (empty if that is gone, which
    /// only leaves the switcher without this version's pages).
    pub fn page_map(&self) -> std::borrow::Cow<'_, PageMap> {
        match &self.kept {
            Some(map) => std::borrow::Cow::Borrowed(map),
            None => {
                let bytes = std::fs::read(self.dir.join(META_FILE)).unwrap_or_default();
                std::borrow::Cow::Owned(serde_json::from_slice(&bytes).unwrap_or_default())
            }
        }
    }
}

/// Kept beside a cached version's pages; never copied to the output.
pub const META_FILE: &str = ".planboek-version.json";

/// What the build of a cached version reported, so that reusing it as the newest version
/// reports the same; beside its meta file, never copied to the output.
pub const FINDINGS_FILE: &str = ".planboek-findings.json";

/// Builds the versions of one job into the cache.
pub struct VersionCache<'a> {
    job: &'a Job<'a>,
    repo: Option<Repo>,
    /// A digest of every build setting that shapes the pages, computed once per build.
    settings: blake3::Hash,
    /// The git versions' files read so far, by this build or earlier ones; opened when the
    /// first git version is read.
    blobs: OnceLock<Option<Arc<BlobStore>>>,
}

/// The version before one, as its cache key sees it.
#[derive(Clone, Copy)]
enum Predecessor<'a> {
    /// The oldest version has none.
    None,
    /// The predecessor's content id, None when its content has none (the working tree).
    Content(Option<&'a str>),
}

/// Where a version's pages go in the cache.
enum Slot {
    /// A folder named by the version's content and settings, reused while they hold.
    Keyed(PathBuf),
    /// A folder of this process, for content without an id (the working tree), removed after.
    Scratch(PathBuf),
}

impl<'a> VersionCache<'a> {
    pub fn new(job: &'a Job<'a>) -> VersionCache<'a> {
        VersionCache { job, repo: Repo::open(job.root).ok(), settings: settings_digest(job), blobs: OnceLock::new() }
    }

    fn cache(&self) -> PathBuf {
        self.job.root.join(CACHE_DIR)
    }

    /// The store of git versions' files; `cache_is_own` has checked the folder it is in.
    fn blobs(&self) -> Option<Arc<BlobStore>> {
        self.blobs.get_or_init(|| BlobStore::open(&self.cache()).map(Arc::new)).clone()
    }

    /// What identifies a version's content: its git tree id, or a digest of an archive
    /// folder's files; None for the working tree, which is always rebuilt.
    fn content_id(&self, v: &Version) -> Option<String> {
        match &v.origin {
            Origin::Git { tree, .. } => Some(tree.clone()),
            Origin::Folder(dir) => {
                let digest = fingerprint::files_digest(self.job.root, &dir.join(CONTENT_DIR));
                Some(format!("folder-{}", digest.to_hex()))
            }
            Origin::WorkTree => None,
        }
    }

    /// The cache folder of `v`: keyed by its content id, its predecessor's and the build
    /// settings; a scratch folder when either content has no id (the working tree, or a
    /// version built after it).
    fn entry(&self, v: &Version, own: Option<&str>, prev: Predecessor) -> Slot {
        let out = self.cache().join("out");
        let key = match (own, prev) {
            (Some(own), Predecessor::None) => Some((own, "")),
            (Some(own), Predecessor::Content(Some(prev))) => Some((own, prev)),
            _ => None,
        };
        let Some((own, prev)) = key else {
            return Slot::Scratch(out.join(format!("{}-{}", v.slug, std::process::id())));
        };
        let mut h = blake3::Hasher::new();
        for part in [own, prev, &v.slug] {
            h.update(part.as_bytes()).update(b"\0");
        }
        h.update(self.settings.as_bytes());
        let short = &own[..own.len().min(12)];
        Slot::Keyed(out.join(format!("{short}-{}", &h.finalize().to_hex()[..32])))
    }

    /// Loads `v` and removes what the audience may not read. A git version's Markdown is
    /// read from the object store; only its other files (images, PDFs) are exported, once per
    /// tree id, because the pipeline copies the linked ones from disk.
    fn prepare(&self, v: &Version) -> Result<Prepared, Diagnostics> {
        let fail = |m: String| Diagnostics::from(version_error(v, m));
        let config = self.job.config.clone();
        let audience = Some(self.job.audience);
        let drafts = self.job.drafts;
        match (&v.origin, &self.repo) {
            (Origin::Git { tree, .. }, Some(repo)) => {
                let (files, refused) = repo.read_tree(tree, self.blobs()).map_err(|e| fail(e.to_string()))?;
                let assets = self.cache().join("trees").join(tree);
                export_assets(&files, &assets).map_err(|e| fail(e.to_string()))?;
                let source = ContentSource::Tree { tree: std::sync::Arc::new(files), assets };
                let mut prepared = pipeline::prepare(config, source, audience, drafts);
                prepared.diagnostics.extend(refused.iter().map(|link| {
                    let file = Path::new(CONTENT_DIR).join(link);
                    Diagnostic::new(
                        lints::SYMLINK_OUTSIDE,
                        file,
                        0,
                        0,
                        "symbolic link leads out of the version's content/ folder; not read",
                    )
                    .in_version(&v.name)
                }));
                Ok(prepared)
            }
            (Origin::Git { .. }, None) => Err(fail("git is not available".into())),
            (Origin::Folder(dir), _) => {
                Ok(pipeline::prepare(config, ContentSource::Disk(dir.clone()), audience, drafts))
            }
            (Origin::WorkTree, _) => {
                Ok(pipeline::prepare(config, ContentSource::Disk(self.job.root.to_path_buf()), audience, drafts))
            }
        }
    }

    /// The version's history as its pages show it.
    fn info(&self, v: &Version, changes: &Changes) -> VersionInfo {
        let last_changes = match (&v.origin, &self.repo) {
            (Origin::Git { commit, .. }, Some(repo)) => repo.last_changes(commit, CONTENT_DIR).unwrap_or_default(),
            (Origin::WorkTree, Some(repo)) => repo.last_changes("HEAD", CONTENT_DIR).unwrap_or_default(),
            _ => Default::default(),
        };
        VersionInfo {
            slug: v.slug.clone(),
            last_changes,
            diffs: changes.entries.iter().filter_map(|e| Some((e.source.clone()?, e.anchor.clone()))).collect(),
            show_authors: self.job.config.versions.as_ref().is_some_and(|vc| vc.show_authors),
        }
    }
}

/// A digest of what else shapes a version's pages: the build's settings, planboek.toml, the
/// theme overrides and the planboek that builds.
fn settings_digest(job: &Job) -> blake3::Hash {
    let request = Request {
        config: &job.config.digest,
        theme: job.theme.digest(),
        audience: job.audience,
        today: job.today,
        mode: job.mode,
        drafts: job.drafts,
    };
    fingerprint::settings_digest(&request)
}

/// Writes the files of `files` that are not Markdown under `root/content`, unless done before.
fn export_assets(files: &dyn Tree, root: &Path) -> std::io::Result<()> {
    if root.is_dir() {
        return Ok(());
    }
    let tmp = root.with_extension(format!("tmp-{}", std::process::id()));
    for rel in files.paths().iter().filter(|rel| !is_markdown(rel)) {
        let file = tmp.join(CONTENT_DIR).join(rel);
        std::fs::create_dir_all(file.parent().unwrap_or(&tmp))?;
        std::fs::write(file, files.read(rel)?)?;
    }
    std::fs::create_dir_all(&tmp)?;
    std::fs::rename(&tmp, root)
}

/// Every version built (or reused), newest first.
pub struct AllVersions {
    pub versions: Vec<CachedVersion>,
    /// The newest version's findings, built or kept in the cache; older versions' are in
    /// their `meta`.
    pub newest: Diagnostics,
    /// The working tree's version (always rebuilt), when it is one.
    pub current: Option<Current>,
    /// How many of the newest version's plans, when it was built now, were taken from the
    /// build of the version before.
    pub newest_plans_kept: usize,
}

/// Builds (or reuses) every version, oldest first, so each diffs against its predecessor.
/// `list` is newest first, and so is the result.
pub fn build_all(cache: &VersionCache, list: &[Version]) -> Result<AllVersions, Diagnostics> {
    let mut versions = Vec::with_capacity(list.len());
    let (mut newest, mut newest_facts, mut newest_info) = (Diagnostics::default(), Vec::new(), None);
    let mut newest_plans_kept = 0;
    let mut prev: Option<(&Version, Option<Prepared>)> = None;
    let ids: Vec<Option<String>> = list.iter().map(|v| cache.content_id(v)).collect();
    for (i, v) in list.iter().enumerate().rev() {
        let prev_id = match ids.get(i + 1) {
            Some(id) => Predecessor::Content(id.as_deref()),
            None => Predecessor::None,
        };
        let entry = cache.entry(v, ids[i].as_deref(), prev_id);
        if let Slot::Keyed(dir) = &entry {
            let kept = match i {
                0 => read_meta(dir).map(|(meta, ds)| (CachedVersion::new(dir.clone(), meta, false, true), ds)),
                _ => read_counts(dir).map(|v| (v, Diagnostics::default())),
            };
            if let Some((version, diagnostics)) = kept {
                // Stamped now, so that a concurrent build's pruning leaves it alone.
                super::cache::touch(dir);
                if i == 0 {
                    newest = diagnostics;
                }
                versions.push(version);
                prev = Some((v, None));
                continue;
            }
        }
        let (prepared, old) = match prev.take() {
            Some((p, Some(old))) => (cache.prepare(v)?, Some((p, old))),
            Some((p, None)) => {
                // The predecessor was reused, so its model is read again to diff against:
                // side by side with this version's, as each tree has its own `git cat-file`,
                // which is what reading a version waits on.
                let (new, old) = rayon::join(|| cache.prepare(v), || cache.prepare(p));
                (new?, Some((p, old?)))
            }
            None => (cache.prepare(v)?, None),
        };
        let changes = old.as_ref().map(|(_, o)| summary::summarize(o, &prepared, cache.job.mode)).unwrap_or_default();
        // The predecessor's model is done with: freed before the pipeline's peak, so that no
        // more than one version's model is in memory while pages are rendered.
        let before = old.map(|(p, _)| p);
        let (dir, scratch) = match entry {
            Slot::Keyed(dir) => (dir, false),
            Slot::Scratch(dir) => (dir, true),
        };
        let info = cache.info(v, &changes.changes);
        // Files the version before holds byte for byte (most of the search index, the theme's
        // assets) are linked from its entry rather than written anew.
        let beside = versions.last().map(|b: &CachedVersion| b.dir.clone());
        let (meta, on_disk, built) =
            build_one(cache, v, before, &prepared, &changes, &info, (&dir, beside.as_deref()))?;
        if i == 0 {
            newest_plans_kept = built.plans_kept;
            (newest, newest_facts, newest_info) = (built.diagnostics, built.facts, Some(info));
        }
        versions.push(CachedVersion::new(dir, meta, scratch, on_disk));
        prev = Some((v, Some(prepared)));
    }
    versions.reverse();
    let current = match (list.first().map(|v| &v.origin), prev, newest_info) {
        (Some(Origin::WorkTree), Some((_, Some(prepared))), Some(info)) => {
            Some(Current { info, prepared, facts: newest_facts })
        }
        _ => None,
    };
    Ok(AllVersions { versions, newest, current, newest_plans_kept })
}

/// A cached version's meta file and its findings; None when either is missing or unreadable,
/// and the version is rebuilt.
fn read_meta(dir: &Path) -> Option<(Meta, Diagnostics)> {
    let meta: Meta = serde_json::from_slice(&std::fs::read(dir.join(META_FILE)).ok()?).ok()?;
    let stored: Vec<Stored> = serde_json::from_slice(&std::fs::read(dir.join(FINDINGS_FILE)).ok()?).ok()?;
    Some((meta, findings::restore(&stored)?))
}

/// What an older version's reuse needs of its meta file: its counts. Its page map is read
/// again when the switcher is made.
#[derive(Deserialize)]
struct Counts {
    plans: usize,
    warnings: usize,
    #[serde(default)]
    drafts_left_out: usize,
}

/// An older cached version from its meta file's counts; None when the file is missing or
/// unreadable, and the version is rebuilt.
fn read_counts(dir: &Path) -> Option<CachedVersion> {
    let bytes = std::fs::read(dir.join(META_FILE)).ok()?;
    let Counts { plans, warnings, drafts_left_out } = serde_json::from_slice(&bytes).ok()?;
    Some(CachedVersion { dir: dir.to_path_buf(), plans, drafts_left_out, warnings, scratch: false, kept: None })
}

/// Writes the findings and then the meta file of a published version, each beside and then
/// over any old one, and lists them in the entry's manifest. The meta file is written last:
/// a version without one is rebuilt, so a failure here costs a rebuild only. Whether both
/// were written.
fn write_meta(dir: &Path, meta: &Meta, stored: &[Stored]) -> bool {
    let files = [(FINDINGS_FILE, serde_json::to_vec(stored)), (META_FILE, serde_json::to_vec(meta))];
    let all = files.len();
    let mut listed = Vec::with_capacity(all);
    for (name, bytes) in files {
        let bytes = bytes.unwrap_or_default();
        if bytes.is_empty() || write_atomic(&dir.join(name), &bytes).is_err() {
            break;
        }
        listed.push((name.to_string(), output::FileEntry::of(&bytes)));
    }
    // A manifest that does not list them would lie; without them, the entry is rebuilt
    // rather than trusted.
    if listed.len() < all || output::update_manifest(dir, &listed, &[]).is_err() {
        for name in [META_FILE, FINDINGS_FILE] {
            let _ = std::fs::remove_file(dir.join(name));
        }
        return false;
    }
    true
}

/// Publishes `v` through the pipeline into `dir`, with its changes page and its meta file.
fn build_one(
    cache: &VersionCache,
    v: &Version,
    prev: Option<&Version>,
    prepared: &Prepared,
    changes: &Summarized,
    info: &VersionInfo,
    (dir, beside): (&Path, Option<&Path>),
) -> Result<(Meta, bool, pipeline::Built), Diagnostics> {
    let job = cache.job;
    let settings = Settings { mode: job.mode, today: job.today, version: Some(info) };
    let site = settings.site(prepared);
    let mut extra = Vec::new();
    let mut problems = Vec::new();
    match changes_page(job.theme, &site, v, prev, changes) {
        Ok(html) => extra.push((CHANGES_PAGE.to_string(), html.into_bytes())),
        Err(d) => problems.push(d),
    }
    let mut pages: Vec<String> = prepared.index.pages.iter().map(|p| p.out.clone()).collect();
    pages.extend(["index.html".to_string(), CHANGES_PAGE.to_string(), ACTIONS_PAGE.to_string()]);
    // The registers and print editions, so that the switcher keeps a reader on them.
    for plan in &prepared.site.plans {
        pages.extend([ACTIONS_PAGE, PRINT_PAGE].map(|page| format!("{}/{page}", plan.slug)));
    }
    let in_version = |ds: Diagnostics| Diagnostics(ds.0.into_iter().map(|d| d.in_version(&v.name)).collect());
    if !problems.is_empty() {
        return Err(in_version(Diagnostics(problems)));
    }
    let published = match beside.filter(|b| b.is_dir()) {
        // The cache lies inside the repository, but git does not track it
        // (`cache_is_own`): its own files are read, its pages compared before they are linked.
        Some(beside) => pipeline::publish_beside(prepared, job.theme, &settings, dir, beside, Trust::OwnFiles, &extra),
        None => pipeline::publish(prepared, job.theme, &settings, dir, None, Trust::OwnFiles, &extra),
    };
    match published {
        Ok(built) => {
            let stored = findings::store(&built.diagnostics);
            let meta = Meta {
                pages,
                moved: changes.changes.moved.clone(),
                plans: prepared.site.plans.len(),
                warnings: findings::warnings(&stored),
                drafts_left_out: prepared.drafts_left_out,
            };
            let on_disk = write_meta(dir, &meta, &stored);
            Ok((meta, on_disk, built))
        }
        // Older versions' warnings are history; their errors still stop the build.
        Err(ds) => Err(in_version(Diagnostics(ds.0.into_iter().filter(Diagnostic::is_error).collect()))),
    }
}

fn changes_page(
    theme: &Theme,
    site: &render::SiteInfo,
    v: &Version,
    prev: Option<&Version>,
    changes: &Summarized,
) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct ChangesPage<'a> {
        version_name: &'a str,
        previous_name: Option<&'a str>,
        entries: &'a [Entry],
        plans: &'a [PlanChanges],
        has_entries: bool,
    }
    let page = ChangesPage {
        version_name: &v.name,
        previous_name: prev.map(|p| p.name.as_str()),
        entries: &changes.changes.entries,
        plans: &changes.plans,
        has_entries: !changes.plans.is_empty(),
    };
    let title = format!("{} – {}", ui_string(site.config.language, "changes"), v.name);
    render::extra_page(theme, site, "changes.html", "changes", "", &title, &page)
}

/// An error of one version, naming it.
pub fn version_error(v: &Version, message: String) -> Diagnostic {
    Diagnostic::new(lints::IO_ERROR, CACHE_DIR, 0, 0, message).in_version(&v.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        Meta {
            pages: vec!["a/index.html".into(), "a/nieuw.html".into()],
            moved: BTreeMap::from([("a/oud.html".to_string(), "a/nieuw.html".to_string())]),
            plans: 1,
            warnings: 0,
            drafts_left_out: 2,
        }
    }

    #[test]
    fn a_version_with_its_meta_file_keeps_its_page_map_on_disk_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(write_meta(dir.path(), &meta(), &[]));
        let v = CachedVersion::new(dir.path().to_path_buf(), meta(), false, true);
        assert!(v.kept.is_none(), "the page map of a built version stays in memory");
        assert_eq!((v.plans, v.drafts_left_out), (1, 2));
        let map = v.page_map();
        assert_eq!((&map.pages, &map.moved), (&meta().pages, &meta().moved));
    }

    #[test]
    fn an_older_version_is_reused_from_its_counts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut info = Diagnostic::new(lints::RAW_HTML_REMOVED, "content/a/b.md", 3, 4, "raw HTML cleaned");
        info.severity = crate::diag::Severity::Info;
        let warning = Diagnostic::new(lints::PERSONAL_BSN, "content/a/b.md", 7, 16, "BSN \"****\"");
        let stored = findings::store(&Diagnostics(vec![warning.clone(), info, warning.clone()]));
        assert!(write_meta(dir.path(), &Meta { warnings: findings::warnings(&stored), ..meta() }, &stored));
        let v = read_counts(dir.path()).expect("counts");
        assert_eq!((v.plans, v.drafts_left_out, v.warnings), (1, 2, 2));
        let (_, newest) = read_meta(dir.path()).expect("the newest version's findings");
        assert_eq!(newest.0.len(), 3);
        assert_eq!(newest.0[0], warning, "listed as they were found");
        std::fs::remove_file(dir.path().join(FINDINGS_FILE)).expect("rm");
        assert!(read_meta(dir.path()).is_none(), "the newest version without its findings is rebuilt");
        assert_eq!(v.page_map().pages, meta().pages, "the page map is read from the file");
        std::fs::write(dir.path().join(META_FILE), "{\"plans\":1").expect("cut short");
        assert!(read_counts(dir.path()).is_none(), "a meta file cut short is rebuilt");
    }

    #[test]
    fn a_version_without_its_meta_file_keeps_its_page_map() {
        let dir = tempfile::tempdir().expect("temp dir");
        let gone = dir.path().join("gone");
        assert!(!write_meta(&gone, &meta(), &[]));
        let v = CachedVersion::new(gone, meta(), false, false);
        let map = v.page_map();
        assert_eq!((&map.pages, &map.moved), (&meta().pages, &meta().moved));
    }
}
