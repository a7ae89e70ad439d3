//! `planboek check`: the pipeline without templates and writes, for its findings.

use crate::config;
use crate::content::ContentSource;
use crate::date::Date;
use crate::diag::Diagnostics;
use crate::markdown::Mode;
use crate::model::Classification;
use crate::pipeline::{self, Settings, Sink};
use std::path::Path;

/// The findings of `planboek check` on the repository at `root`, and how many plans it holds.
pub fn check(root: &Path, audience: Option<Classification>, today: Date) -> (Diagnostics, usize) {
    let config = match config::load(root) {
        Ok(c) => c,
        Err(d) => return (d.into(), 0),
    };
    let prepared = pipeline::prepare(config, ContentSource::Disk(root), audience);
    let settings = Settings { mode: Mode::Publish, today, version: None };
    let built = pipeline::run(&prepared, &Sink::Discard, &settings);
    (built.diagnostics, built.plans)
}
