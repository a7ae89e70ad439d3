//! The commands: the only layer that decides between a versioned and an unversioned build,
//! computes the reference date, and picks what to report. `cli` prints and exits.

pub mod build;
pub mod check;
pub mod report;
mod report_ci;
pub mod scaffold;
pub mod serve;

use crate::config::{self, Config};
use crate::diag::Diagnostics;
use crate::render::Theme;
use std::path::Path;

/// planboek.toml and the theme of the repository at `root`.
pub fn load_site(root: &Path) -> Result<(Config, Theme), Diagnostics> {
    let config = config::load(root)?;
    let theme = Theme::load(root, &config).map_err(Diagnostics)?;
    Ok((config, theme))
}
