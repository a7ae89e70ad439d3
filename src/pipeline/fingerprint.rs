//! What a build's output is made from, as one digest: the content, planboek.toml, the theme
//! overrides, the planboek that builds and how it was asked to build. A build whose digest
//! is the one recorded in its output folder, untouched since, keeps that output and reports
//! the findings recorded with it (`keep_unchanged`) instead of making every file again.

use super::{Built, Prepared, Settings};
use crate::content::CONTENT_DIR;
use crate::date::Date;
use crate::diag::stored::{self, Stored};
use crate::markdown::Mode;
use crate::model::Classification;
use crate::output;
use crate::render::Theme;
use crate::util::fs::{canonical, outside};
use crate::util::seal;
use std::path::Path;

/// How a build was asked to build, besides its content.
pub struct Request<'a> {
    /// The planboek.toml it reads (`Config::digest`).
    pub config: &'a [u8; 32],
    /// The theme it renders with (`Theme::digest`).
    pub theme: &'a [u8; 32],
    pub audience: Classification,
    pub today: Date,
    pub mode: Mode,
    pub drafts: bool,
}

impl<'a> Request<'a> {
    /// The request of a build of `prepared` with `theme` and `settings`.
    pub fn of(prepared: &'a Prepared, theme: &'a Theme, settings: &Settings) -> Request<'a> {
        Request {
            config: &prepared.config.digest,
            theme: theme.digest(),
            audience: prepared.audience,
            today: settings.today,
            mode: settings.mode,
            drafts: prepared.drafts,
        }
    }
}

/// A digest of what shapes a build's pages besides the content: audience, reference date,
/// mode, planboek.toml and the theme as the build read them (not as they are on disk by
/// now: a file saved while building must not be taken for the one the pages were made
/// with), and the planboek that builds (its version and its build, whose rendering can
/// change within a version number).
pub fn settings_digest(request: &Request) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(request.audience.as_str().as_bytes());
    // The reference date: which actions are overdue, and the build date pages show.
    h.update(request.today.to_string().as_bytes());
    h.update(format!("{:?}\0{}\0", request.mode, request.drafts).as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(request.config).update(request.theme);
    if let Some(exe) = crate::util::exe::digest() {
        h.update(&exe);
    }
    h.finalize()
}

/// A digest of every file's path and bytes under `dir`, a folder inside `root`: the theme
/// overrides, or an archive folder's stand-in for a git tree id.
pub fn files_digest(root: &Path, dir: &Path) -> blake3::Hash {
    let root = canonical(root);
    let mut h = blake3::Hasher::new();
    let walk = walkdir::WalkDir::new(dir).sort_by_file_name();
    for e in walk.into_iter().filter_map(Result::ok).filter(|e| !e.file_type().is_dir()) {
        let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
        h.update(rel.to_string_lossy().as_bytes()).update(b"\0");
        h.update(file_digest(&root, e.path()).as_bytes());
    }
    h.finalize()
}

/// The digest of the bytes of `path`; of nothing when it cannot be read, and of its real
/// location, unread, when it is a link out of `root` (canonical).
fn file_digest(root: &Path, path: &Path) -> blake3::Hash {
    if let Some(real) = outside(root, path) {
        return blake3::hash(format!("\0outside\0{}", real.display()).as_bytes());
    }
    blake3::hash(&std::fs::read(path).unwrap_or_default())
}

/// The digest of everything the build of `prepared` with `settings` (digested as
/// `settings_digest`) is made from, in hex; None when its content cannot be told by one
/// (a preview's model spliced from several loads) or a linked file leads out of the root.
pub fn inputs(prepared: &Prepared, settings: &blake3::Hash) -> Option<String> {
    let content = prepared.content_digest?;
    let root = canonical(&prepared.site.root);
    let mut h = blake3::Hasher::new();
    h.update(settings.as_bytes()).update(&content);
    // The files pages may link, which the build copies: their names are in the content
    // digest, their bytes are read here, as the copy would read them.
    let mut files: Vec<&String> = prepared.links.files.iter().collect();
    files.sort_unstable();
    let content_dir = prepared.site.root.join(CONTENT_DIR);
    for rel in files {
        let path = content_dir.join(prepared.on_disk.get(rel).unwrap_or(rel));
        // A link out of the root is a warning of the full build's, which a kept output
        // would not repeat.
        if outside(&root, &path).is_some() {
            return None;
        }
        h.update(rel.as_bytes()).update(b"\0").update(file_digest(&root, &path).as_bytes());
    }
    Some(h.finalize().to_hex().to_string())
}

/// When `out` holds the output of a build from `inputs` (see `inputs`), untouched since:
/// that build's findings and counts, with nothing written or rendered (`Built::kept`). The
/// findings are those the record keeps: a build from the same inputs finds the same. None:
/// build as usual.
pub fn keep_unchanged(prepared: &Prepared, out: &Path, inputs: &str) -> Option<Built> {
    let secret = secret(inputs)?;
    let recorded = output::inputs::current(out, &label(&secret))?;
    let findings = seal::open(&secret, recorded.findings)?;
    let stored: Vec<Stored> = serde_json::from_slice(&findings).ok()?;
    // Only a build without errors records its inputs; a record that says otherwise is not
    // planboek's, and the full build reports what is wrong.
    let diagnostics = stored::restore(&stored).filter(|d| !d.has_errors())?;
    Some(Built {
        plans: prepared.site.plans.len(),
        pages: recorded.pages,
        drafts_left_out: prepared.drafts_left_out,
        facts: Vec::new(),
        diagnostics,
        older_versions: Vec::new(),
        search: None,
        kept: true,
        plans_kept: 0,
        kept_from_version: false,
    })
}

/// The record, for `keep_unchanged`, that `built` was built from `inputs`, with its page
/// count and findings; written once the output is in place (`Record::write`). The record is
/// in the folder the audience is given, and a finding can name a page left out for it: the
/// record names the inputs by a label and keeps the findings sealed with them
/// (`util::seal`).
pub fn record(inputs: &str, built: &Built) -> std::io::Result<output::inputs::Record> {
    let secret = secret(inputs).ok_or_else(|| std::io::Error::other("inputs are not a digest"))?;
    let findings = seal::seal(&secret, serde_json::to_vec(&stored::store(&built.diagnostics))?);
    output::inputs::Record::new(&label(&secret), built.pages, &findings)
}

/// The digest `inputs` (hex) as the secret of the record.
fn secret(inputs: &str) -> Option<[u8; 32]> {
    blake3::Hash::from_hex(inputs).ok().map(|h| *h.as_bytes())
}

/// What the record of `secret` is found by, in hex.
fn label(secret: &[u8; 32]) -> String {
    blake3::Hash::from_bytes(seal::label(secret)).to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::{settings_digest, Request};
    use crate::config::{self, CONFIG_FILE};
    use crate::date::Date;
    use crate::markdown::Mode;
    use crate::model::Classification;
    use crate::render::Theme;

    #[test]
    fn the_digest_names_the_files_as_read_not_as_they_are_now() {
        let t = tempfile::tempdir().expect("tempdir");
        let root = t.path();
        let templates = root.join("themes/eigen/templates");
        std::fs::create_dir_all(&templates).expect("mkdir");
        std::fs::write(root.join(CONFIG_FILE), "title = \"A\"\ntheme = \"eigen\"\n").expect("write");
        std::fs::write(templates.join("extra.html"), "<p>A</p>").expect("write");
        let digest = || {
            let config = config::load(root).expect("config");
            let theme = Theme::load(root, &config).expect("theme");
            (config, theme)
        };
        let of = |config: &config::Config, theme: &Theme| {
            let request = Request {
                config: &config.digest,
                theme: theme.digest(),
                audience: Classification::Intern,
                today: Date::new(2026, 3, 1).expect("date"),
                mode: Mode::Publish,
                drafts: false,
            };
            settings_digest(&request)
        };
        let (config, theme) = digest();
        let read = of(&config, &theme);
        // Saved while a build runs: that build's records still name what it read.
        std::fs::write(root.join(CONFIG_FILE), "title = \"B\"\ntheme = \"eigen\"\n").expect("write");
        std::fs::write(templates.join("extra.html"), "<p>B</p>").expect("write");
        assert_eq!(of(&config, &theme), read);
        // The next build reads them anew.
        let (config, theme) = digest();
        assert_ne!(of(&config, &theme), read);
        std::fs::write(root.join(CONFIG_FILE), "title = \"A\"\ntheme = \"eigen\"\n").expect("write");
        let (config, theme) = digest();
        assert_ne!(of(&config, &theme), read, "the template alone tells");
    }
}
