//! The body of a print edition, written in code: the overview's text, then each section with
//! its title, facts, text and actions. The texts (most of the edition) are moved from the
//! pages' rendered HTML straight into the edition (`relocate_into`), with no copy through a
//! template and no second pass over the page.

use super::frame::SECTION_COLUMNS;
use super::relocate::{relocate_into, Move};
use super::rows::{head_html, rows_html, Rows};
use super::site::SiteInfo;
use super::theme::Theme;
use super::views::{ActionView, DateView};
use crate::commitments::{action_anchors, partner_label};
use crate::diag::Diagnostic;
use crate::i18n::Strings;
use crate::markdown::Spans;
use crate::model::{Plan, Section};
use crate::util::html::escape_into;

/// The print edition's file in each plan folder.
pub const PRINT_PAGE: &str = "print.html";

/// One page of the plan as rendered for the web: the overview (no section) or a section,
/// with its output path and the HTML of its Markdown.
pub struct PrintPart<'a> {
    pub section: Option<&'a Section>,
    pub out: &'a str,
    pub html: String,
    /// Where in `html` the tags are that the move into the edition changes
    /// (`markdown::Rendered::spans`); None: every tag is read.
    pub spans: Option<Spans>,
}

/// What every part of one edition shares.
pub(super) struct Edition<'a, 'h> {
    pub theme: &'a Theme,
    pub site: &'a SiteInfo<'a>,
    pub t: &'a Strings,
    pub plan: &'a Plan,
    /// The edition's output path (`plan/print.html`).
    pub to: &'a str,
    /// The anchor prefix of each page the edition holds, by output path.
    pub holds: &'a dyn Fn(&str) -> Option<&'h str>,
}

/// Appends the overview's text and every section of `parts` (in reading order) to `out`.
pub(super) fn push_parts(e: &Edition, parts: &[PrintPart], out: &mut String) -> Result<(), Diagnostic> {
    let head = head_html(e.theme, e.t, SECTION_COLUMNS)?;
    for (k, part) in parts.iter().enumerate() {
        let prefix = format!("pb-s{k}-");
        let has_body = !part.html.trim().is_empty();
        let Some(s) = part.section else {
            if has_body {
                out.push_str("\n  <section class=\"pb-print-intro pb-body\" aria-label=\"");
                escape_into(&e.plan.title, out);
                out.push_str("\">\n");
                relocate(e, part, &prefix, 0, out);
                out.push_str("\n  </section>");
            }
            continue;
        };
        let level = char::from(b'0' + level(s));
        push_section_head(e, s, &prefix[..prefix.len() - 1], level, out);
        if has_body {
            out.push_str("\n    <div class=\"pb-body\">\n");
            relocate(e, part, &prefix, depth(s), out);
            out.push_str("\n    </div>");
        }
        if !s.meta.actions.is_empty() {
            push_actions(e, s, &prefix, &head, out)?;
        }
        out.push_str("\n  </section>");
    }
    Ok(())
}

/// Moves a page's text into the edition: ids prefixed, links between its pages made anchors.
fn relocate(e: &Edition, part: &PrintPart, prefix: &str, shift: u8, out: &mut String) {
    let m = Move { from: part.out, to: e.to, prefix, shift, holds: e.holds };
    debug_assert!(e.to.ends_with(PRINT_PAGE));
    relocate_into(&part.html, part.spans.as_deref(), &m, out);
}

/// A section's opening tag, title and facts (owner, status, classification, updated).
fn push_section_head(e: &Edition, s: &Section, id: &str, level: char, out: &mut String) {
    let (t, m) = (e.t, &s.meta);
    out.push_str("\n  <section class=\"pb-print-section pb-print-section--level-");
    out.push(level);
    out.push_str("\" aria-labelledby=\"");
    out.push_str(id);
    out.push_str("\">\n    <h");
    out.push(level);
    out.push_str(" id=\"");
    out.push_str(id);
    out.push_str("\">");
    escape_into(&s.title, out);
    out.push_str("</h");
    out.push(level);
    out.push_str(">\n    <p class=\"pb-print-meta\">");
    let fact = |key: &'static str, value: &str, out: &mut String| {
        escape_into(t.get(key), out);
        out.push_str(": ");
        escape_into(value, out);
    };
    if let Some(owner) = m.owner.as_deref().map(|o| partner_label(e.site.config, o)).filter(|o| !o.is_empty()) {
        fact("owner", owner, out);
        out.push_str(" · ");
    }
    if let Some(status) = m.status {
        fact("status", t.status(status), out);
        out.push_str(" · ");
    }
    fact("classification", t.classification(m.classification), out);
    if let Some(updated) = m.updated.map(|d| DateView::new(e.site.config.language, d)) {
        out.push_str(" · ");
        escape_into(t.get("updated"), out);
        out.push_str(": ");
        updated.push_html(out);
    }
    out.push_str("</p>");
}

/// A section's action table; its rows' ids are the section's anchors with `prefix`.
fn push_actions(e: &Edition, s: &Section, prefix: &str, head: &str, out: &mut String) -> Result<(), Diagnostic> {
    let (site, t) = (e.site, e.t);
    let actions: Vec<ActionView> = s
        .meta
        .actions
        .iter()
        .zip(action_anchors(s))
        .map(|(a, anchor)| ActionView::new(a, format!("{prefix}{anchor}"), site.today, site.config, t))
        .collect();
    out.push_str("\n    <table class=\"pb-table pb-cards pb-action-table\">\n      <caption>");
    escape_into(t.get("actions"), out);
    out.push_str(": ");
    escape_into(&s.title, out);
    out.push_str("</caption>\n      <thead>\n        ");
    out.push_str(head);
    out.push_str("\n      </thead>\n      <tbody>");
    out.push_str(&rows_html(e.theme, t, Rows::Actions(&actions), SECTION_COLUMNS, "        ")?);
    out.push_str("\n      </tbody>\n    </table>");
    Ok(())
}

/// The heading level of a section's title in the edition: 2 for the top level.
pub(super) fn level(s: &Section) -> u8 {
    (depth(s) + 1).min(6)
}

/// How deep a section is: 1 for the plan's top level (`a.md`, `a/_index.md`), 2 below it, ….
fn depth(s: &Section) -> u8 {
    let folders = s.output_rel().matches('/').count();
    let own_index = s.output_rel().ends_with("/index.html");
    u8::try_from(folders + 1 - usize::from(own_index)).unwrap_or(u8::MAX)
}
