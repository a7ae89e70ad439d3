//! `planboek build`: the handbook into its output folder, versioned when planboek.toml has
//! `[versions]`, or the previous output left as it was.

use crate::config::Config;
use crate::content::ContentSource;
use crate::date::Date;
use crate::diag::{lints, Diagnostic, Diagnostics, Severity};
use crate::markdown::Mode;
use crate::model::Classification;
use crate::output::{self, Trust};
use crate::pipeline::fingerprint::{self, settings_digest, Request};
use crate::pipeline::{self, Built, Prepared, Settings};
use crate::render::Theme;
use crate::versions;
use std::path::PathBuf;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder holding planboek.toml.
    pub root: PathBuf,
    /// Output folder; `root/site` when None.
    pub out: Option<PathBuf>,
    /// Audience; the config's when None.
    pub audience: Option<Classification>,
    pub mode: Mode,
    /// Replace the output folder even when it holds files planboek did not write.
    pub force: bool,
    /// Keep plans and sections marked `draft = true` (a preview always does).
    pub drafts: bool,
}

/// Builds the handbook into the output folder (which it returns with what was built), or
/// leaves the previous output untouched when anything fails. Before anything else, the
/// output of a build that was killed while swapping it in is put back.
pub fn build(opts: &Options, today: Date) -> Result<(Built, PathBuf), Diagnostics> {
    // The output folder is checked while the sources are read: the check walks the output,
    // the reading the repository, and neither writes. The output's verdict comes first.
    let (checked, read) = rayon::join(|| checked_out_dir(opts), || read(opts));
    let (checked, restored) = checked?;
    match read.and_then(|read| build_into(opts, today, &checked, read)) {
        Ok(built) => Ok((Built { diagnostics: built.diagnostics.merged(restored), ..built }, checked.path)),
        Err(ds) => Err(ds.merged(restored)),
    }
}

/// What a build reads before it writes anything.
enum Read {
    /// A versioned build: the site's settings and theme; the versions are read one by one.
    Versions(Box<Config>, Theme),
    /// The working tree, loaded, filtered and indexed, and the theme.
    Tree(Box<Prepared>, Theme),
}

/// The site's settings, its theme and, unless it is versioned, its content.
fn read(opts: &Options) -> Result<Read, Diagnostics> {
    let (config, theme) = super::load_site(&opts.root)?;
    if config.versions.is_some() {
        return Ok(Read::Versions(Box::new(config), theme));
    }
    let audience = opts.audience.unwrap_or(config.audience);
    let source = ContentSource::Disk(opts.root.clone());
    Ok(Read::Tree(Box::new(pipeline::prepare(config, source, Some(audience), with_drafts(opts))), theme))
}

/// Whether the build keeps drafts.
fn with_drafts(opts: &Options) -> bool {
    opts.drafts || opts.mode == Mode::Preview
}

/// Builds what was read into the checked output folder. Outside the repository it may keep
/// the output of a build from the same inputs (or, versioned, the folders of versions) and
/// record its own; a folder inside the repository never stands in for a build, since a
/// pushed repository could hold a handbook and a record of its inputs of its own making.
fn build_into(opts: &Options, today: Date, checked: &output::Checked, read: Read) -> Result<Built, Diagnostics> {
    let (out, may_keep) = (checked.path.as_path(), !checked.inside_root);
    let (prepared, theme) = match read {
        Read::Versions(config, theme) => {
            let job = versions::Job {
                root: &opts.root,
                config: &config,
                theme: &theme,
                audience: opts.audience.unwrap_or(config.audience),
                mode: opts.mode,
                drafts: with_drafts(opts),
                today,
                out,
                current: None,
                earlier: None,
                keep_previous: may_keep,
                owned: Some(checked.owned),
            };
            return versions::build(&job).map(|finished| finished.built);
        }
        Read::Tree(prepared, theme) => (prepared, theme),
    };
    let settings = Settings { mode: opts.mode, today, version: None };
    let request = Request::of(&prepared, &theme, &settings);
    let inputs = may_keep.then(|| fingerprint::inputs(&prepared, &settings_digest(&request))).flatten();
    if let Some(kept) = inputs.as_deref().and_then(|i| fingerprint::keep_unchanged(&prepared, out, i)) {
        return Ok(kept);
    }
    // A folder inside the repository could have come with a push: nothing of it is believed.
    let trust = if may_keep { Trust::Listed } else { Trust::Nothing };
    // The record of the inputs is made while the output is swapped in, and written after.
    let record = |built: &Built| inputs.as_deref().map(|inputs| fingerprint::record(inputs, built));
    let staging = pipeline::staging_for(out, Some(checked.owned), trust)?;
    let published = pipeline::publish_into(staging, &prepared, &theme, &settings, out, &[], record)?;
    // Freeing a large handbook's model takes tens of milliseconds: on the pool, beside the
    // record.
    rayon::spawn(move || drop(prepared));
    if let Some(Ok(record)) = published.beside {
        // Without the record the next build only makes everything again.
        let _ = record.write(out, published.placed);
    }
    Ok(published.built)
}

/// The output folder (`root/site` by default) once it is known to be safe to replace, with a
/// warning when the output of an interrupted build had to be put back first.
fn checked_out_dir(opts: &Options) -> Result<(output::Checked, Option<Diagnostic>), Diagnostic> {
    let out = opts.out.clone().unwrap_or_else(|| opts.root.join("site"));
    match output::check_out_dir(&opts.root, &out, opts.force) {
        Ok(checked) => {
            let restored = checked.restored.as_ref().map(|from| {
                let name = from.file_name().unwrap_or(from.as_os_str()).to_string_lossy().into_owned();
                let mut d = Diagnostic::new(
                    lints::OUTPUT,
                    &out,
                    0,
                    0,
                    format!("an earlier build was interrupted while swapping in its output; restored it from {name}"),
                );
                d.severity = Severity::Warning;
                d
            });
            Ok((checked, restored))
        }
        Err(refused) => {
            let d = Diagnostic::new(lints::OUTPUT, &out, 0, 0, refused.message);
            Err(match refused.help {
                Some(help) => d.with_help(help),
                None => d,
            })
        }
    }
}
