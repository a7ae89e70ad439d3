//! Markdown → HTML for one section: heading ids, link rewriting, placeholders and guidance,
//! sanitizing. Pure: takes text and an index of pages, returns HTML and findings.
//!
//! One pass of pulldown-cmark per section: template blanks are swapped for markers first
//! (`blanks`), the events go through one transform (`transform`, `expand`, `footnotes`) into
//! the HTML writer, and only a section that held raw HTML is cleaned by ammonia (`sanitize`).

mod action_refs;
mod blanks;
mod expand;
mod footnotes;
mod guard;
mod html_state;
mod ids;
mod links;
mod names;
mod notes;
mod personal;
mod position;
mod sanitize;
mod spans;
mod tables;
#[cfg(test)]
pub(crate) mod tests;
mod transform;

pub use guard::lint as personal_lint;
pub use ids::heading_id;
pub use links::{resolve as resolve_link, Target as LinkTarget};
pub use spans::Spans;

use crate::diag::Diagnostic;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use transform::Transform;

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
    /// `plan/<action id, lower case>` → the row of that action (`plan/05-acties.html#pb-action-a5`),
    /// for every action of a published section, so that "(actie A5)" in a text links to it.
    pub actions: HashMap<String, String>,
}

impl LinkIndex {
    /// The key of an action in `actions`.
    pub fn action_key(plan: &str, id: &str) -> String {
        format!("{plan}/{}", id.to_lowercase())
    }
}

/// What one section needs besides its text.
pub struct RenderContext<'a> {
    pub mode: Mode,
    pub allow_raw_html: bool,
    /// Embed images from other hosts; otherwise they are shown as links to them.
    pub allow_remote_images: bool,
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
    /// The labels of marks and footnotes, in the handbook's language.
    pub labels: &'a Labels,
    /// Where the page's title comes from, which decides whether a `#` heading that opens the
    /// body is left out of the HTML (the page shows its title itself).
    pub title: PageTitle<'a>,
    /// Look for personal data, in a section the pipeline has checked (`personal.rs`);
    /// None for a section where it belongs (`vertrouwelijk`).
    pub privacy: Option<Privacy<'a>>,
}

/// Where a page's title comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageTitle<'a> {
    /// The front matter sets it. A `#` heading that opens the body is left out only when it
    /// repeats this title word for word (its words are shown as the title); any other heading
    /// is the editor's and stays.
    Set(&'a str),
    /// It is the body's first `#` heading with text (`first_heading`), left out of the body
    /// when it opens it.
    FirstHeading,
}

/// What the personal-data guard needs for a section it checks.
#[derive(Debug, Clone, Copy)]
pub struct Privacy<'a> {
    /// `[privacy] allow` of planboek.toml.
    pub allow: &'a crate::privacy::Allow,
    /// The section's classification, which findings name.
    pub classification: crate::model::Classification,
}

/// The interface words the Markdown renderer writes into a page.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    /// The title of an unfilled placeholder's mark ("Nog in te vullen").
    pub blank: &'static str,
    /// The title of an undecided choice's mark.
    pub choice: &'static str,
    /// The name of the footnote list.
    pub footnotes: &'static str,
    /// The name of a footnote's link back to the text.
    pub footnote_back: &'static str,
    /// The title of a personal-data finding's mark in preview.
    pub personal: &'static str,
    /// The name of a table's scroll region, before its number ("Tabel" → "Tabel 1").
    pub table: &'static str,
}

/// A heading of the page, for the table of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading, placeholders filled.
    pub text: String,
    /// File line of the heading.
    pub line: u32,
}

/// A link to an anchor (`page.html#id`, or `#id` on the same page), checked once every
/// page's headings are known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnchorRef {
    /// Output path of the target page relative to the output root.
    pub page: String,
    pub fragment: String,
    pub line: u32,
    pub column: u32,
}

/// The result of rendering one section.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Files under `content/` (`plan/img/kaart.png`) this page links or embeds; copied to output.
    pub assets: Vec<String>,
    /// Links into other pages' (or this page's) anchors.
    pub anchors: Vec<AnchorRef>,
    pub diagnostics: Vec<Diagnostic>,
    /// The id of the leading `#` heading that is the page's title and was left out of `html`
    /// (see `PageTitle`); the page's `<h1>` takes it over, so links to it keep working.
    pub title_id: Option<String>,
    /// Where in `html` the tags are that moving it into the print edition changes; None
    /// when the page held raw HTML, whose every tag the move must then read.
    pub spans: Option<Spans>,
}

/// The text of the first non-empty level-1 heading, as the renderer reads it (inline markup
/// and `{#id}` attributes left out, raw `<PLACEHOLDERS>` kept for filling): a page's title
/// when its front matter has none.
pub fn first_heading(text: &str) -> Option<String> {
    // Read as the renderer reads it, blanks swapped for markers: `<Beschrijf …>` on a line of
    // its own would otherwise open an HTML block that hides the headings below it.
    let scanned = blanks::scan(text);
    let mut events = Parser::new_ext(&scanned.src, options());
    // A heading inside a footnote is part of the note, never the page's title.
    let mut in_note = 0u32;
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => in_note += 1,
            Event::End(TagEnd::FootnoteDefinition) => in_note = in_note.saturating_sub(1),
            Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) if in_note == 0 => {
                let mut title = String::new();
                for event in events.by_ref() {
                    match event {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::SoftBreak | Event::HardBreak => title.push(' '),
                        other => title.push_str(title_text(&other).unwrap_or_default()),
                    }
                }
                if !title.trim().is_empty() {
                    return Some(expand::restore(title.trim(), &scanned.blanks, text));
                }
            }
            _ => {}
        }
    }
    None
}

/// The text an event inside a heading adds to the title taken from it. The renderer uses
/// the same rule to know which heading became the title.
fn title_text<'e>(event: &'e Event) -> Option<&'e str> {
    match event {
        Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => Some(t),
        _ => None,
    }
}

/// The Markdown extensions planboek supports.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders one section's Markdown body to HTML, with its headings, the files it uses and
/// its findings (placed at lines of the file, counting from `cx.body_line`). Template blanks
/// follow the rules in `blanks.rs`: `<NAAM GROEP>` is filled or marked, `<Beschrijf …>` is
/// guidance (preview only), `[a] of [b]` is a choice to make.
pub fn render(text: &str, cx: &RenderContext) -> Rendered {
    let scanned = blanks::scan(text);
    let mut ids = ids::Ids::default();
    // Explicit `{#id}`s are kept as written, so generated ids must steer clear of them, also
    // of those further down; only text with a `{` can have them.
    if scanned.src.contains('{') {
        for event in Parser::new_ext(&scanned.src, options()) {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
                ids.reserve(&id);
            }
        }
    }
    let mut t = Transform::new(cx, text, &scanned.src, &scanned.blanks, ids);
    for (event, range) in Parser::new_ext(&scanned.src, options()).into_offset_iter() {
        t.event(event, range);
    }
    t.finish_footnotes();
    t.flush_personal();
    let (mut html, mut spans) = spans::write_html(t.out.into_iter(), text.len() + text.len() / 4);
    if t.raw_html && !cx.allow_raw_html {
        html = sanitize::clean(&html, cx.allow_remote_images);
    }
    let (html, inserted) = tables::wrap_tables(html, cx.labels.table);
    spans::shift(&mut spans, &inserted);
    Rendered {
        html,
        headings: t.headings,
        assets: t.assets,
        anchors: t.anchors,
        diagnostics: t.diagnostics,
        title_id: t.title_id,
        // Raw HTML (kept, or cleaned by ammonia) is not what the writer's spans describe.
        spans: (!t.raw_html).then_some(spans),
    }
}

/// `html` cleaned as a section with raw HTML is (ammonia with planboek's policy, remote
/// images not allowed): what a published page keeps of raw HTML.
pub fn sanitize_html(html: &str) -> String {
    sanitize::clean(html, false)
}

/// Plain text (a title, a front-matter field) with its placeholders filled by the same rules
/// as the body; unfilled blanks, guidance and choices stay as written. The result is text,
/// to be escaped by whoever puts it in HTML.
pub fn fill_placeholders<'t>(text: &'t str, placeholder: &dyn Fn(&str) -> Option<String>) -> std::borrow::Cow<'t, str> {
    let scanned = blanks::scan(text);
    let mut out = String::new();
    let mut copied = 0;
    for blank in &scanned.blanks {
        let blanks::Kind::Placeholder(name) = &blank.kind else { continue };
        let Some(value) = placeholder(name) else { continue };
        out.push_str(text.get(copied..blank.orig.start).unwrap_or_default());
        out.push_str(&value);
        copied = blank.orig.end;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    std::borrow::Cow::Owned(out)
}
