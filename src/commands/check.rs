//! `planboek check`: the pipeline without templates and writes, for its findings.

use crate::config;
use crate::content::ContentSource;
use crate::date::Date;
use crate::diag::Diagnostics;
use crate::markdown::Mode;
use crate::model::Classification;
use crate::pipeline::{self, Settings, Sink};
use std::path::Path;

/// What `check` found: the findings, the plans checked and the drafts left unchecked.
pub struct Checked {
    pub diagnostics: Diagnostics,
    pub plans: usize,
    pub drafts_left_out: usize,
}

/// The findings of `planboek check` on the repository at `root`; drafts are checked only
/// when `drafts` (as `build` publishes them only then).
pub fn check(root: &Path, audience: Option<Classification>, drafts: bool, today: Date) -> Checked {
    let config = match config::load(root) {
        Ok(c) => c,
        Err(d) => return Checked { diagnostics: d.into(), plans: 0, drafts_left_out: 0 },
    };
    let prepared = pipeline::prepare(config, ContentSource::Disk(root.to_path_buf()), audience, drafts);
    let settings = Settings { mode: Mode::Publish, today, version: None };
    let built = pipeline::run(&prepared, &Sink::Discard, &settings);
    Checked { diagnostics: built.diagnostics, plans: built.plans, drafts_left_out: built.drafts_left_out }
}
