//! A print edition's page around its texts written in code (`print.html` in `base.html`, with
//! `action_counts.html` and `timeline.html`) when the theme keeps those templates: the bytes
//! are the templates' (`render/tests.rs` renders both ways). The texts go where the page
//! prints its mark (`PrintPage::parts`), as they do in the page Tera renders.

use super::context::PrintPage;
use super::frame::{self, Page};
use super::overview::{counts_html, date, fact, partners_and_dates, text, timeline};
use super::theme::Theme;
use crate::i18n::Strings;

/// The templates of a print edition's page (the action rows are `rows.rs`'s).
const PRINT_TEMPLATES: [&str; 5] =
    ["base.html", "print.html", "version_bar.html", "action_counts.html", "timeline.html"];

/// Whether print editions are written here rather than by Tera.
pub(super) fn writes_print_editions(theme: &Theme) -> bool {
    theme.writes_in_code(&PRINT_TEMPLATES)
}

/// The page of a print edition as `print.html` renders it, the mark of its texts included.
pub(super) fn print_html(theme: &Theme, cx: &PrintPage, t: &Strings) -> String {
    let capacity = cx.register_rows.len() + cx.timeline_svg.len() + 12_000;
    let mut p = Page::new(theme, t, capacity);
    frame::head(&mut p, &cx.common, &cx.page_css, [None, None]);
    frame::header(&mut p, &cx.common);
    p.raw("\n\n<div class=\"pb-layout pb-layout--single pb-print\">\n  <main id=\"pb-main\" class=\"pb-main\" tabindex=\"-1\">\n  <p class=\"pb-print-note\">");
    p.t("print_note");
    p.raw(" <a href=\"index.html\">");
    p.t("print_back");
    p.raw("</a></p>");
    cover(&mut p, cx);
    p.raw(cx.parts);
    register(&mut p, cx);
    p.raw("\n  </main>\n</div>\n");
    frame::footer(&mut p, &cx.common);
    p.into_html()
}

/// The cover: title, marking, facts, figures, timeline and contents.
fn cover(p: &mut Page, cx: &PrintPage) {
    let plan = &cx.plan;
    p.raw("\n  <section class=\"pb-print-cover\" aria-labelledby=\"pb-print-title\">\n    <p class=\"pb-kicker\">");
    p.t("plan");
    p.raw("</p>\n    <h1 id=\"pb-print-title\">");
    p.text(plan.title);
    p.raw("</h1>\n    <p class=\"pb-print-marking\"><strong class=\"pb-badge pb-badge--class-");
    p.text(cx.marking);
    p.raw("\">");
    p.t("classification");
    p.raw(": ");
    p.text(cx.marking_label);
    p.raw("</strong></p>\n    <dl class=\"pb-meta\">");
    fact(p, "", "group", |p| text(p, plan.group));
    fact(p, "", "municipality", |p| text(p, plan.municipality));
    // As the template: a set value's label, even were it empty.
    let label = |p: &mut Page, value: Option<&str>, label: Option<&str>| {
        frame::set(value).map(|_| p.text(label.unwrap_or_default())).is_some()
    };
    fact(p, "", "risk", |p| label(p, plan.risk, plan.risk_label));
    fact(p, "", "status", |p| label(p, plan.status, plan.status_label));
    partners_and_dates(p, plan);
    if let Some(version) = frame::set(cx.common.version) {
        fact(p, "", "version", |p| {
            p.text(version);
            true
        });
    }
    fact(p, "", "edition_for", |p| {
        p.text(cx.common.audience_label);
        true
    });
    fact(p, "", "reference_date", |p| date(p, Some(&cx.common.build_date)));
    p.raw("\n    </dl>\n    ");
    counts_html(p, &cx.counts);
    p.raw("\n    ");
    timeline(p, &cx.timeline_svg, &cx.timeline);
    p.raw("\n    <nav class=\"pb-print-contents\" aria-label=\"");
    p.t("contents");
    p.raw("\">\n      <h2 id=\"pb-print-contents\">");
    p.t("contents");
    p.raw("</h2>\n      <ol>");
    for s in &cx.sections {
        p.raw("\n        <li class=\"pb-print-contents__level-");
        p.raw(&s.level.to_string());
        p.raw("\"><a href=\"#");
        p.text(&s.id);
        p.raw("\">");
        p.text(s.title);
        p.raw("</a></li>");
    }
    p.raw("\n        <li class=\"pb-print-contents__level-2\"><a href=\"#pb-print-register\">");
    p.t("action_register");
    p.raw("</a></li>\n      </ol>\n    </nav>\n  </section>");
}

/// The action register at the end.
fn register(p: &mut Page, cx: &PrintPage) {
    p.raw("\n  <section class=\"pb-print-section pb-print-section--level-2 pb-print-register\" aria-labelledby=\"pb-print-register\">\n    <h2 id=\"pb-print-register\">");
    p.t("action_register");
    p.raw("</h2>\n    <p>");
    p.t("action_register_intro");
    p.raw("</p>");
    if cx.has_register {
        p.raw("\n    <table class=\"pb-table pb-cards pb-action-table\">\n      <thead>\n        ");
        p.raw(&cx.register_head);
        p.raw("\n      </thead>\n      <tbody>");
        p.raw(&cx.register_rows);
        p.raw("\n      </tbody>\n    </table>");
    } else {
        p.raw("\n    <p>");
        p.t("no_actions");
        p.raw("</p>");
    }
    p.raw("\n  </section>");
}
