//! The pages inside a plan written in code when the theme keeps every template they are made
//! of: the frame (`base.html`, `plan_base.html`, `toc.html`, `version_bar.html`) here, with a
//! section's main block (`section.html`); a plan overview's is in `overview.rs`. Through Tera
//! these pages cost about an eighth of a full build's instructions, most of them in looking
//! up dotted names (`section.owner`). The bytes are the templates' (`render/tests.rs` renders
//! pages of every kind both ways); a theme that overrides any of them gets its pages from Tera.

use super::context::{Common, InPlan};
use super::nav::Link;
use super::rows::{head_html, rows_html, Columns, Rows};
use super::theme::Theme;
use super::views::DateView;
use crate::diag::Diagnostic;
use crate::i18n::Strings;
use crate::util::html::escape_into;

/// The templates of the frame of every page inside a plan.
const FRAME_TEMPLATES: [&str; 4] = ["base.html", "plan_base.html", "toc.html", "version_bar.html"];

/// The columns of a section's action table (as `section.html` sets them): its rows carry
/// the ids that links lead to.
pub(super) const SECTION_COLUMNS: Columns =
    Columns { with_plan: false, with_who: true, with_section: false, row_ids: true, filterable: false };

/// Whether the pages inside a plan whose main block is made of the templates `main` are
/// written in code rather than by Tera.
pub(super) fn writes(theme: &Theme, main: &[&str]) -> bool {
    theme.writes_in_code(&FRAME_TEMPLATES) && theme.writes_in_code(main)
}

/// Whether section pages are written here rather than by Tera.
pub(super) fn writes_section_pages(theme: &Theme) -> bool {
    writes(theme, &["section.html"])
}

/// A page being written: its text, the UI strings and the theme (for its files' addresses).
pub(super) struct Page<'p> {
    out: String,
    pub(super) t: &'p Strings,
    pub(super) theme: &'p Theme,
}

impl<'p> Page<'p> {
    /// An empty page of about `capacity` bytes.
    pub(super) fn new(theme: &'p Theme, t: &'p Strings, capacity: usize) -> Page<'p> {
        Page { out: String::with_capacity(capacity), t, theme }
    }

    /// The page written.
    pub(super) fn into_html(self) -> String {
        self.out
    }

    pub(super) fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// A value as `{{ value }}` prints it.
    pub(super) fn text(&mut self, s: &str) {
        escape_into(s, &mut self.out);
    }

    /// A UI string, as `{{ t.key }}` prints it.
    pub(super) fn t(&mut self, key: &'static str) {
        escape_into(self.t.get(key), &mut self.out);
    }

    /// The text written so far, to append to in code of its own.
    pub(super) fn out(&mut self) -> &mut String {
        &mut self.out
    }

    /// `{{ root }}{{ asset(name="…") }}`.
    fn asset(&mut self, root: &str, name: &str) {
        self.text(root);
        self.text(self.theme.asset_url(name));
    }

    pub(super) fn date(&mut self, d: &DateView) {
        d.push_html(&mut self.out);
    }

    /// `link` as an item of a list, after `before` (a line break and the indent).
    fn link_item(&mut self, before: &str, link: &Link) {
        self.raw(before);
        self.raw("<li><a href=\"");
        self.text(&link.href);
        self.raw("\">");
        self.text(&link.title);
        self.raw("</a></li>");
    }

    /// `<span class="pb-none">` with "not set".
    pub(super) fn not_set(&mut self) {
        self.raw("<span class=\"pb-none\">");
        self.t("not_set");
        self.raw("</span>");
    }
}

/// `Some` of a value a template's `{% if %}` takes as true: set and not empty.
pub(super) fn set(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

/// The page of a section (`cx.section` is set) as `section.html` renders it.
pub(super) fn section_html(theme: &Theme, cx: &InPlan, t: &Strings) -> Result<String, Diagnostic> {
    page_html(theme, cx, t, article)
}

/// A page of a plan folder in its frame, `main` writing its main block.
pub(super) fn page_html(
    theme: &Theme,
    cx: &InPlan,
    t: &Strings,
    main: impl FnOnce(&mut Page, &InPlan) -> Result<(), Diagnostic>,
) -> Result<String, Diagnostic> {
    let capacity = cx.body.len() + cx.nav_html.len() + cx.toc_html.len() + 6_000;
    let mut p = Page::new(theme, t, capacity);
    head(&mut p, &cx.common, &cx.page_css, [cx.prev.as_ref(), cx.next.as_ref()]);
    header(&mut p, &cx.common);
    layout_start(&mut p, cx);
    main(&mut p, cx)?;
    layout_end(&mut p, cx);
    footer(&mut p, &cx.common);
    Ok(p.out)
}

/// `base.html` up to `</head>`, with a head block of `page_css` (`| safe`) and the links to
/// the previous and next pages, as `plan_base.html` and `print.html` write it.
pub(super) fn head(p: &mut Page, c: &Common, page_css: &str, [prev, next]: [Option<&Link>; 2]) {
    p.raw("<!DOCTYPE html>\n<html lang=\"");
    p.text(c.lang);
    p.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if c.preview {
        p.raw("[");
        p.t("preview");
        p.raw("] ");
    }
    if c.title != c.site_title {
        p.text(c.title);
        p.raw(" – ");
    }
    p.text(c.site_title);
    p.raw("</title>\n<meta name=\"robots\" content=\"noindex, nofollow\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"generator\" content=\"planboek\">\n<link rel=\"icon\" href=\"");
    p.asset(c.root, "favicon.svg");
    p.raw("\" type=\"image/svg+xml\">\n<link rel=\"stylesheet\" href=\"");
    p.asset(c.root, "planboek.css");
    p.raw("\">");
    if set(c.version).is_some() {
        p.raw("\n<link rel=\"stylesheet\" href=\"");
        p.asset(c.root, "versions.css");
        p.raw("\">");
    }
    p.raw("\n\n<style>");
    p.raw(page_css);
    p.raw("</style>");
    for (link, rel) in [(prev, "prev"), (next, "next")] {
        if let Some(link) = link {
            p.raw("\n<link rel=\"");
            p.raw(rel);
            p.raw("\" href=\"");
            p.text(&link.href);
            p.raw("\">");
        }
    }
    p.raw("\n\n</head>\n");
}

/// `base.html`'s body up to the layout: header with the search form, version and preview bars.
pub(super) fn header(p: &mut Page, c: &Common) {
    p.raw("<body class=\"pb-kind-");
    p.text(c.kind);
    p.raw(if c.preview { " pb-is-preview\">" } else { "\">" });
    p.raw("\n<a class=\"pb-skip\" href=\"#pb-main\">");
    p.t("skip");
    p.raw("</a>\n<header class=\"pb-header\">\n  <div class=\"pb-header__inner\">\n    <a class=\"pb-header__title\" href=\"");
    p.text(c.root);
    p.raw("index.html\">");
    p.text(c.site_title);
    p.raw("</a>\n    <form class=\"pb-search\" role=\"search\" action=\"");
    p.text(c.root);
    p.raw("search.html\">\n      <label class=\"pb-search__label\" for=\"pb-search-q\">");
    p.t("search_label");
    p.raw("</label>\n      <input class=\"pb-search__input\" id=\"pb-search-q\" type=\"search\" name=\"q\" autocomplete=\"off\" spellcheck=\"false\">\n      <button class=\"pb-search__button\" type=\"submit\">");
    p.t("search");
    p.raw("</button>\n    </form>\n  </div>\n</header>");
    if set(c.version).is_some() {
        version_bar(p, c.root);
    }
    if c.preview {
        p.raw("\n<div class=\"pb-preview-bar\"><p><strong class=\"pb-badge pb-badge--preview\">");
        p.t("preview");
        p.raw("</strong> ");
        p.t("preview_note");
        p.raw("</p></div>");
    }
}

/// `version_bar.html` (of a page that is not the 404 page), after its line break.
fn version_bar(p: &mut Page, root: &str) {
    p.raw("\n\n<nav class=\"pb-versions-bar\" aria-label=\"");
    p.t("versions");
    p.raw("\" data-pb-version=\"\" data-pb-root=\"");
    p.text(root);
    for (attr, key) in [
        ("label", "version"),
        ("old", "old_version"),
        ("old-link", "old_version_link"),
        ("concept", "status_concept"),
        ("current", "version_current"),
    ] {
        p.raw("\" data-pb-");
        p.raw(attr);
        p.raw("=\"");
        p.t(key);
    }
    p.raw("\">\n  <div class=\"pb-versions-bar__inner\">\n    <a class=\"pb-versions-bar__all\" href=\"");
    p.text(root);
    p.raw("../index.html\">");
    p.t("versions_all");
    p.raw("</a>\n    <a class=\"pb-versions-bar__changes\" href=\"");
    p.text(root);
    p.raw("changes.html\">");
    p.t("changes");
    p.raw("</a>\n  </div>\n</nav>\n");
}

/// `plan_base.html`'s layout up to its main block: sidebar, breadcrumbs, draft banner.
fn layout_start(p: &mut Page, cx: &InPlan) {
    p.raw("\n\n<div class=\"pb-layout\">\n  <nav class=\"pb-sidebar\" aria-label=\"");
    p.t("plan_nav");
    p.raw("\">\n    <details class=\"pb-sidebar__details\" id=\"pb-sidebar\" open>\n      <summary class=\"pb-sidebar__summary\">");
    p.t("plan_contents");
    p.raw("</summary>\n      <p class=\"pb-nav__plan\"><a href=\"");
    p.text(cx.plan_root);
    p.raw(if cx.common.kind == "plan" { "index.html\" aria-current=\"page\">" } else { "index.html\">" });
    p.text(cx.plan.title);
    p.raw("</a></p>\n");
    p.raw(&cx.nav_html);
    p.raw("\n      <ul class=\"pb-nav__list pb-nav__tools\">\n        <li class=\"pb-nav__item\"><a href=\"");
    p.text(cx.plan_root);
    p.raw("actions.html\">");
    p.t("action_register");
    p.raw("</a></li>\n        <li class=\"pb-nav__item\"><a href=\"");
    p.text(cx.plan_root);
    p.raw("print.html\">");
    p.t("print_edition");
    p.raw("</a></li>\n      </ul>\n    </details>\n  </nav>\n  <div class=\"pb-content\">\n    <nav class=\"pb-breadcrumbs\" aria-label=\"");
    p.t("breadcrumbs");
    p.raw("\">\n      <ol>\n        <li><a href=\"");
    p.text(cx.common.root);
    p.raw("index.html\">");
    p.t("home");
    p.raw("</a></li>");
    for c in &cx.crumbs {
        p.link_item("\n        ", c);
    }
    p.raw("\n        <li><a href=\"");
    p.text(cx.plan_root);
    p.text(cx.current);
    p.raw("\" aria-current=\"page\">");
    p.text(cx.common.title);
    p.raw("</a></li>\n      </ol>\n    </nav>\n    <main id=\"pb-main\" class=\"pb-main\" tabindex=\"-1\">");
    if cx.draft {
        p.raw("\n    <p class=\"pb-banner pb-banner--draft\"><strong class=\"pb-badge pb-badge--draft\">");
        p.t("draft");
        p.raw("</strong> ");
        p.t("draft_note");
        p.raw("</p>");
    }
    p.raw("\n");
}

/// `section.html`'s main block.
fn article(p: &mut Page, cx: &InPlan) -> Result<(), Diagnostic> {
    let Some(s) = &cx.section else { return Ok(()) };
    p.raw("\n<article class=\"pb-article\">\n  <header class=\"pb-article__header\">");
    if s.concept {
        concept_banner(p, "concept_section");
    }
    p.raw("\n    <p class=\"pb-kicker\">");
    p.text(cx.plan.title);
    p.raw("</p>");
    title(p, cx);
    if s.has_source {
        facts(p, cx);
    }
    if let Some(href) = set(cx.changes_href.as_deref()) {
        p.raw("\n    <p class=\"pb-changed\"><a href=\"");
        p.text(href);
        p.raw("\">");
        p.t("changes_section");
        p.raw("</a></p>");
    }
    p.raw("\n  </header>");
    toc_and_body(p, cx);
    if !s.actions.is_empty() {
        p.raw("\n  <section class=\"pb-actions\" aria-labelledby=\"pb-actions\">\n    <h2 id=\"pb-actions\">");
        p.t("actions");
        p.raw("</h2>\n    <div class=\"pb-scroll\" role=\"region\" aria-labelledby=\"pb-actions\" tabindex=\"0\">\n    <table class=\"pb-table pb-cards pb-action-table\">\n      <thead>\n        ");
        p.raw(&head_html(p.theme, p.t, SECTION_COLUMNS)?);
        p.raw("\n      </thead>\n      <tbody>");
        p.raw(&rows_html(p.theme, p.t, Rows::Actions(&s.actions), SECTION_COLUMNS, "        ")?);
        p.raw("\n      </tbody>\n    </table>\n    </div>\n  </section>");
    }
    if !s.children.is_empty() {
        p.raw("\n  <section class=\"pb-contents\" aria-labelledby=\"pb-subsections\">\n    <h2 id=\"pb-subsections\">");
        p.t("subsections");
        p.raw("</h2>\n    <ul class=\"pb-nav__list\">");
        for c in &s.children {
            p.link_item("\n      ", c);
        }
        p.raw("\n    </ul>\n  </section>");
    }
    p.raw("\n</article>\n");
    Ok(())
}

/// The banner of a page in concept: the badge and the note `t.note`.
pub(super) fn concept_banner(p: &mut Page, note: &'static str) {
    p.raw("\n    <p class=\"pb-banner pb-banner--concept\"><span class=\"pb-badge pb-badge--status-concept\">");
    p.t("status_concept");
    p.raw("</span> ");
    p.t(note);
    p.raw("</p>");
}

/// The page's `<h1>`, with the id of the body's own title when it had one.
pub(super) fn title(p: &mut Page, cx: &InPlan) {
    p.raw("\n    <h1");
    if let Some(id) = set(cx.h1_id) {
        p.raw(" id=\"");
        p.text(id);
        p.raw("\"");
    }
    p.raw(">");
    p.text(cx.common.title);
    p.raw("</h1>");
}

/// The table of contents (`toc.html`, after a line break) and the body.
pub(super) fn toc_and_body(p: &mut Page, cx: &InPlan) {
    p.raw("\n  ");
    if cx.has_toc {
        p.raw("\n<nav class=\"pb-toc\" aria-label=\"");
        p.t("toc");
        p.raw("\">\n  <p class=\"pb-toc__title\">");
        p.t("toc");
        p.raw("</p>\n");
        p.raw(&cx.toc_html);
        p.raw("\n</nav>");
    }
    p.raw("\n");
    if cx.has_body {
        p.raw("\n  <div class=\"pb-body\">\n");
        p.raw(cx.body);
        p.raw("\n  </div>");
    }
}

/// The section's facts (`<dl class="pb-meta">`): owner, status, classification, date.
fn facts(p: &mut Page, cx: &InPlan) {
    let Some(s) = &cx.section else { return };
    p.raw("\n    <dl class=\"pb-meta\">\n      <div><dt>");
    p.t("owner");
    p.raw("</dt><dd>");
    match set(s.owner) {
        Some(owner) => p.text(owner),
        None => p.not_set(),
    }
    p.raw("</dd></div>\n      <div><dt>");
    p.t("status");
    p.raw("</dt><dd>");
    match set(s.status) {
        Some(status) => {
            p.raw("<span class=\"pb-badge pb-badge--status-");
            p.text(status);
            p.raw("\">");
            p.text(s.status_label.unwrap_or_default());
            p.raw("</span>");
        }
        None => p.not_set(),
    }
    p.raw("</dd></div>\n      <div><dt>");
    p.t("classification");
    p.raw("</dt><dd><span class=\"pb-badge pb-badge--class-");
    p.text(s.classification);
    p.raw("\">");
    p.text(s.classification_label);
    p.raw("</span></dd></div>\n      <div><dt>");
    match &cx.last_changed {
        Some(last) => {
            p.t("last_changed");
            p.raw("</dt><dd>");
            p.date(&last.date);
            if let Some(author) = set(last.author) {
                p.raw(" · ");
                p.text(author);
            }
        }
        None => {
            p.t("updated");
            p.raw("</dt><dd>");
            match &s.updated {
                Some(d) => p.date(d),
                None => p.not_set(),
            }
        }
    }
    p.raw("</dd></div>\n    </dl>");
}

/// `plan_base.html` after its main block: the pager.
fn layout_end(p: &mut Page, cx: &InPlan) {
    p.raw("\n    </main>");
    if cx.prev.is_some() || cx.next.is_some() {
        p.raw("\n    <nav class=\"pb-pager\" aria-label=\"");
        p.t("pager");
        p.raw("\">");
        for (link, rel, key) in [(&cx.prev, "prev", "previous"), (&cx.next, "next", "next")] {
            if let Some(link) = link {
                p.raw("\n      <a class=\"pb-pager__link pb-pager__link--");
                p.raw(rel);
                p.raw("\" href=\"");
                p.text(&link.href);
                p.raw("\" rel=\"");
                p.raw(rel);
                p.raw("\"><span class=\"pb-pager__label\">");
                p.t(key);
                p.raw("</span> <span class=\"pb-pager__title\">");
                p.text(&link.title);
                p.raw("</span></a>");
            }
        }
        p.raw("\n    </nav>");
    }
    p.raw("\n  </div>\n</div>\n");
}

/// `base.html` from the footer on.
pub(super) fn footer(p: &mut Page, c: &Common) {
    p.raw("\n<footer class=\"pb-footer\">\n  <div class=\"pb-footer__inner\">\n    <p>");
    p.text(c.site_title);
    p.raw(" · ");
    p.t("built_on");
    p.raw(" ");
    p.date(&c.build_date);
    p.raw(" · ");
    p.t("edition_for");
    p.raw(": <span class=\"pb-audience pb-audience--");
    p.text(c.audience);
    p.raw("\">");
    p.text(c.audience_label);
    p.raw("</span></p>\n  </div>\n</footer>\n\n<script src=\"");
    p.asset(c.root, "planboek.js");
    p.raw("\" defer></script>");
    if set(c.version).is_some() {
        p.raw("\n<script src=\"");
        p.text(c.root);
        p.raw("../_versions.js\"></script>\n<script src=\"");
        p.asset(c.root, "versions.js");
        p.raw("\"></script>");
    }
    p.raw("\n\n</body>\n</html>\n");
}
