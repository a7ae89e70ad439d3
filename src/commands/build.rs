//! `planboek build`: the handbook into its output folder, versioned when planboek.toml has
//! `[versions]`, or the previous output left as it was.

use crate::content::ContentSource;
use crate::date::Date;
use crate::diag::{lints, Diagnostic, Diagnostics};
use crate::markdown::Mode;
use crate::model::Classification;
use crate::output;
use crate::pipeline::{self, Built, Settings};
use crate::versions;
use std::path::{Path, PathBuf};

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
}

/// Builds the handbook into the output folder (which it returns with what was built), or
/// leaves the previous output untouched when anything fails.
pub fn build(opts: &Options, today: Date) -> Result<(Built, PathBuf), Diagnostics> {
    let (config, theme) = super::load_site(&opts.root)?;
    let out = checked_out_dir(&opts.root, opts.out.as_deref())?;
    let built = if config.versions.is_some() {
        let job = versions::Job {
            root: &opts.root,
            config: &config,
            theme: &theme,
            audience: opts.audience.unwrap_or(config.audience),
            mode: opts.mode,
            today,
            out: &out,
            current: None,
        };
        versions::build(&job)?.0
    } else {
        let prepared = pipeline::prepare(config, ContentSource::Disk(&opts.root), opts.audience);
        let settings = Settings { mode: opts.mode, today, version: None };
        pipeline::publish(&prepared, &theme, &settings, &out, &[])?
    };
    Ok((built, out))
}

/// The output folder (`root/site` by default) once it is known to be safe to replace.
fn checked_out_dir(root: &Path, out: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    let out = out.map_or_else(|| root.join("site"), Path::to_path_buf);
    output::check_out_dir(root, &out).map_err(|output::Refused(why)| Diagnostic::new(lints::OUTPUT, &out, 0, 0, why))
}
