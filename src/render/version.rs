//! What the pages of one version of a versioned handbook show of it: plain data that
//! `versions` fills in and hands to rendering through `SiteInfo`.

use crate::date::Date;
use std::collections::HashMap;

/// The changes page of every version, at its root.
pub const CHANGES_PAGE: &str = "changes.html";

/// One version's history as its pages show it.
#[derive(Debug, Clone, Default)]
pub struct VersionInfo {
    /// The version's folder in the output.
    pub slug: String,
    /// Source path (`content/p/x.md`) → the last commit that touched it.
    pub last_changes: HashMap<String, LastChange>,
    /// Source path → anchor of its entry on this version's changes page.
    pub diffs: HashMap<String, String>,
    /// Show who made the last change (personal data, so off unless configured).
    pub show_authors: bool,
}

/// The last commit that touched a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastChange {
    pub date: Date,
    pub author: String,
}
