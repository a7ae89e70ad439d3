//! Markdown → HTML for one section: heading ids, link rewriting, placeholders and guidance,
//! sanitizing. Pure: takes text and an index of pages, returns HTML and findings.

use crate::check::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Publish leaves guidance out; preview shows it and marks unfilled blanks prominently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Publish,
    Preview,
}

/// A page a link can point at, keyed in [`LinkIndex`] by its source path under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRef {
    /// Published: its output path relative to the output root (`plan/a.html`).
    Visible(String),
    /// Exists in the repository but is removed for this build's audience.
    Removed,
}

/// Everything a section's links may resolve to; built once per build, shared by all pages.
#[derive(Debug, Clone, Default)]
pub struct LinkIndex {
    /// Source path under `content/` with `/` separators (`plan/04-x/_index.md`) → page.
    /// Folders are keyed too (`plan/04-x` and `plan/04-x/`), pointing at their index page.
    pub pages: HashMap<String, PageRef>,
    /// Non-Markdown files under `content/` (`plan/img/kaart.png`), which links may copy along.
    pub files: HashSet<String>,
}

/// What one section needs besides its text.
pub struct RenderContext<'a> {
    pub mode: Mode,
    pub allow_raw_html: bool,
    /// The file, relative to the site root, for diagnostics (`content/plan/a.md`).
    pub file: &'a Path,
    /// File line on which the body starts, so findings point at lines of the file.
    pub body_line: u32,
    /// The source path under `content/` (`plan/a.md`), against which relative links resolve.
    pub source_rel: &'a str,
    /// This page's output path relative to the output root (`plan/a.html`), against which
    /// rewritten links are made relative.
    pub page_out: &'a str,
    pub links: &'a LinkIndex,
    /// The value of a placeholder name (`NAAM GROEP`), if the plan fills it.
    pub placeholder: &'a dyn Fn(&str) -> Option<String>,
    /// UI language code (`nl`/`en`), for the labels of marks.
    pub lang: &'a str,
}

/// A heading of the page, for the table of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading, placeholders filled.
    pub text: String,
    /// File line of the heading.
    pub line: u32,
}

/// The result of rendering one section.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Files under `content/` (`plan/img/kaart.png`) this page links or embeds; copied to output.
    pub assets: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}
