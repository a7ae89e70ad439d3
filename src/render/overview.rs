//! A plan overview's main block written in code (`plan.html` with `action_counts.html`,
//! `action_due.html` and `timeline.html`), in the frame of `frame.rs`, when the theme keeps
//! those templates: the bytes are the templates' (`render/tests.rs` renders both ways).

use super::context::InPlan;
use super::dashboard::{Dashboard, TimelineItem};
use super::frame::{self, set, Page};
use super::rows::push_due;
use super::theme::Theme;
use super::views::{not_set_html, DateView, PlanView};
use crate::commitments::Counts;
use crate::diag::Diagnostic;

/// The templates of an overview's main block.
const OVERVIEW_TEMPLATES: [&str; 4] = ["plan.html", "action_counts.html", "action_due.html", "timeline.html"];

/// Whether plan overviews are written here rather than by Tera.
pub(super) fn writes_overviews(theme: &Theme) -> bool {
    frame::writes(theme, &OVERVIEW_TEMPLATES)
}

/// `plan.html`'s main block.
pub(super) fn main(p: &mut Page, cx: &InPlan) -> Result<(), Diagnostic> {
    let plan = &cx.plan;
    p.raw("\n<article class=\"pb-article\">\n  <header class=\"pb-article__header\">");
    if plan.concept {
        frame::concept_banner(p, "concept_plan");
    }
    p.raw("\n    <p class=\"pb-kicker\">");
    p.t("plan");
    p.raw("</p>");
    frame::title(p, cx);
    p.raw("\n    <dl class=\"pb-meta\">");
    facts(p, cx);
    p.raw("\n    </dl>\n    <p class=\"pb-links pb-plan-links\"><a href=\"actions.html\">");
    p.t("action_register");
    p.raw("</a> · <a href=\"print.html\">");
    p.t("print_edition");
    p.raw("</a></p>\n  </header>");
    if let Some(dashboard) = &cx.dashboard {
        dashboard_html(p, cx, dashboard);
    }
    frame::toc_and_body(p, cx);
    if cx.has_sections {
        p.raw("\n  <section class=\"pb-contents\" aria-labelledby=\"pb-contents-title\">\n    <h2 id=\"pb-contents-title\">");
        p.t("contents");
        p.raw("</h2>\n");
        p.raw(&cx.nav_html);
        p.raw("\n  </section>");
    }
    p.raw("\n</article>\n");
    Ok(())
}

/// The plan's facts, each a `<div>` of the `<dl>`.
fn facts(p: &mut Page, cx: &InPlan) {
    let plan = &cx.plan;
    fact(p, "", "group", |p| text(p, plan.group));
    fact(p, "", "municipality", |p| text(p, plan.municipality));
    fact(p, "", "risk", |p| badge(p, "risk-", plan.risk, plan.risk_label));
    fact(p, "", "status", |p| badge(p, "status-", plan.status, plan.status_label));
    partners_and_dates(p, plan);
}

/// The plan's partners, start, evaluation and end, as the overview and the print edition's
/// cover show them.
pub(super) fn partners_and_dates(p: &mut Page, plan: &PlanView) {
    fact(p, " class=\"pb-meta__wide\"", "partners", |p| {
        let joined = plan.partners.join(", ");
        text(p, Some(joined.as_str()).filter(|_| !plan.partners.is_empty()))
    });
    fact(p, "", "start", |p| date(p, plan.start.as_ref()));
    fact(p, "", "evaluation", |p| date(p, plan.evaluation.as_ref()));
    fact(p, "", "end", |p| date(p, plan.end.as_ref()));
}

/// One fact: the `<div>` (with `class`, an attribute or nothing) of `t.key` and what `value`
/// writes, or "not set" when it writes nothing.
pub(super) fn fact(p: &mut Page, class: &str, key: &'static str, value: impl FnOnce(&mut Page) -> bool) {
    p.raw("\n      <div");
    p.raw(class);
    p.raw("><dt>");
    p.t(key);
    p.raw("</dt><dd>");
    if !value(p) {
        p.not_set();
    }
    p.raw("</dd></div>");
}

/// A text, when it is set.
pub(super) fn text(p: &mut Page, s: Option<&str>) -> bool {
    set(s).map(|s| p.text(s)).is_some()
}

/// A badge of `kind` (`risk-`, `status-`) for `value` with its label, when it is set.
fn badge(p: &mut Page, kind: &str, value: Option<&str>, label: Option<&str>) -> bool {
    let Some(value) = set(value) else { return false };
    p.raw("<span class=\"pb-badge pb-badge--");
    p.raw(kind);
    p.text(value);
    p.raw("\">");
    p.text(label.unwrap_or_default());
    p.raw("</span>");
    true
}

/// A date, when there is one.
pub(super) fn date(p: &mut Page, d: Option<&DateView>) -> bool {
    d.map(|d| p.date(d)).is_some()
}

/// The dashboard: figures, the next evaluation, the next deadlines and the timeline.
fn dashboard_html(p: &mut Page, cx: &InPlan, d: &Dashboard) {
    p.raw("\n  <section class=\"pb-dashboard\" aria-labelledby=\"pb-dashboard-title\">\n    <h2 id=\"pb-dashboard-title\">");
    p.t("dashboard");
    p.raw("</h2>\n    ");
    counts_html(p, &d.counts);
    p.raw("\n    <p class=\"pb-evaluation\">");
    p.t("next_evaluation");
    p.raw(": ");
    match &cx.plan.evaluation {
        Some(e) => {
            p.date(e);
            if d.evaluation_passed {
                p.raw(" <strong class=\"pb-badge pb-badge--passed\">");
                p.t("evaluation_passed");
                p.raw("</strong>");
            }
        }
        None => p.not_set(),
    }
    p.raw("</p>\n    <h3 id=\"pb-next-title\">");
    p.t("next_deadlines");
    p.raw("</h3>");
    if d.next.is_empty() {
        p.raw("\n    <p>");
        p.t("no_next_deadlines");
        p.raw("</p>");
    } else {
        next_deadlines(p, d);
    }
    p.raw("\n    ");
    timeline(p, cx.timeline_svg.as_deref().unwrap_or_default(), cx.timeline.as_deref().unwrap_or_default());
    p.raw("\n  </section>");
}

/// The list of the next deadlines.
fn next_deadlines(p: &mut Page, d: &Dashboard) {
    let not_set = not_set_html(p.t);
    p.raw("\n    <ol class=\"pb-next\" aria-labelledby=\"pb-next-title\">");
    for e in &d.next {
        let a = &e.action;
        p.raw("\n      <li class=\"pb-action--");
        p.text(a.deadline);
        p.raw("\">");
        push_due(p.out(), a, &not_set);
        p.raw(": <a href=\"");
        p.text(&e.href);
        p.raw("\">");
        if let Some(id) = set(a.id) {
            p.text(id);
            p.raw(" ");
        }
        p.text(a.what);
        p.raw("</a>");
        if let Some(who) = set(a.who_label) {
            p.raw(" (");
            p.text(who);
            p.raw(")");
        }
        p.raw("</li>");
    }
    p.raw("\n    </ol>");
}

/// `action_counts.html`: the figures of a list of actions in words.
pub(super) fn counts_html(p: &mut Page, c: &Counts) {
    // Tera keeps the line break after a comment that opens a template, `-#}` or not.
    p.raw("\n<p class=\"pb-counts\"><strong>");
    p.raw(&c.open.to_string());
    p.raw("</strong> ");
    p.t(if c.open == 1 { "count_open_one" } else { "count_open_text" });
    count_badge(p, c.overdue, ("strong", "overdue"), "count_overdue_text");
    count_badge(p, c.soon, ("span", "soon"), "count_soon_text");
    p.raw(" · ");
    p.raw(&c.done.to_string());
    p.raw(" ");
    p.t("count_done_text");
    p.raw("</p>\n");
}

/// `, <tag class="pb-badge pb-badge--deadline-{kind}">{n} {text}</tag>` when `n` is not zero:
/// the overdue and the soon figures of `counts_html`.
fn count_badge(p: &mut Page, n: usize, (tag, kind): (&str, &str), text: &'static str) {
    if n == 0 {
        return;
    }
    p.raw(", <");
    p.raw(tag);
    p.raw(" class=\"pb-badge pb-badge--deadline-");
    p.raw(kind);
    p.raw("\">");
    p.raw(&n.to_string());
    p.raw(" ");
    p.t(text);
    p.raw("</");
    p.raw(tag);
    p.raw(">");
}

/// `timeline.html`: the SVG and the same dates as a list.
pub(super) fn timeline(p: &mut Page, svg: &str, items: &[TimelineItem]) {
    p.raw("\n<figure class=\"pb-timeline\">\n  <figcaption class=\"pb-timeline__caption\">");
    p.t("timeline");
    p.raw("</figcaption>\n  <div class=\"pb-timeline__chart\">\n");
    p.raw(svg);
    p.raw("\n  </div>\n  <details class=\"pb-timeline__details\">\n    <summary>");
    p.t("timeline_list");
    p.raw("</summary>\n    <ol class=\"pb-timeline__list\" id=\"pb-timeline-list\">");
    for i in items {
        p.raw("\n      <li class=\"pb-timeline__item--");
        p.text(i.deadline);
        p.raw("\">");
        p.date(&i.date);
        p.raw(": ");
        p.text(&i.text);
        if let Some(label) = set(i.deadline_label) {
            p.raw(" <strong>(");
            p.text(label);
            p.raw(")</strong>");
        }
        p.raw("</li>");
    }
    p.raw("\n    </ol>\n  </details>\n</figure>\n");
}
