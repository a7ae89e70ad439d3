//! Diagnostics (errors, warnings and notes with a file location), the lints that make them,
//! and `planboek check`, which runs the build's pipeline without writing pages.

mod diagnostic;
mod facts;
pub mod format;
pub mod lints;
mod rules;

pub use diagnostic::{Diagnostic, Diagnostics, Lint, Severity};
pub use facts::PageFacts;
pub use format::Format;
pub use rules::{apply_levels, lint, section_key, Input};

use crate::build;
use crate::content::Classification;
use crate::date::Date;
use crate::markdown::Mode;
use rayon::prelude::*;
use std::path::Path;

/// The findings of `planboek check` on the repository at `root`, and how many plans it holds.
pub fn check(root: &Path, audience: Option<Classification>, today: Date) -> (Diagnostics, usize) {
    let prepared = match build::prepare(root, audience) {
        Ok(p) => p,
        Err(ds) => return (ds, 0),
    };
    let pages = build::pages(&prepared.site);
    let facts: Vec<PageFacts> = pages
        .par_iter()
        .map(|page| {
            let mut body = build::render_body(page, &prepared, Mode::Publish);
            PageFacts::new(&page.out, page.status(), &mut body)
        })
        .collect();
    (build::lint(&prepared, &facts, today), prepared.site.plans.len())
}
