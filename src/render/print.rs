//! The print edition of a plan (`<plan>/print.html`): the whole plan on one page in reading
//! order — a cover with its metadata, version, classification and timeline; its introduction;
//! every visible section with its text and actions; the action register at the end — with a
//! stylesheet for A4 paper that repeats the plan's title and classification on every page.

use super::dashboard::{timeline_items, TimelineItem};
use super::pages::{context, Common};
use super::relocate::{relocate_into, Move};
use super::site::{page_css, SiteInfo};
use super::theme::Theme;
use super::views::{ActionView, DateView, EntryView, PlanView};
use crate::commitments::{action_anchors, counts, partner_label, plan_entries, sort_by_deadline, timeline_svg, Counts};
use crate::diag::Diagnostic;
use crate::i18n::strings;
use crate::model::{Plan, Section};
use serde::Serialize;
use std::collections::HashMap;

/// The print edition's file in each plan folder.
pub const PRINT_PAGE: &str = "print.html";

/// One page of the plan as rendered for the web: the overview (no section) or a section,
/// with its output path and the HTML of its Markdown.
pub struct PrintPart<'a> {
    pub section: Option<&'a Section>,
    pub out: &'a str,
    pub html: String,
}

#[derive(Serialize)]
struct SectionPart<'a> {
    id: String,
    title: &'a str,
    /// The heading level of the title: 2 for a top-level section, one more per level down.
    level: u8,
    owner: Option<&'a str>,
    status: Option<&'static str>,
    status_label: Option<&'static str>,
    classification: &'static str,
    classification_label: &'static str,
    updated: Option<DateView>,
    /// Where its text goes: `<!-- pb-body:<id> -->`, replaced after rendering.
    body: String,
    has_body: bool,
    actions: Vec<ActionView<'a>>,
}

#[derive(Serialize)]
struct PrintPage<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    plan: PlanView<'a>,
    /// The highest classification of what the edition holds, which paper must carry.
    marking: &'static str,
    marking_label: &'static str,
    /// The `@page` rules that put the plan's title and marking on every printed page (`| safe`).
    page_css: String,
    /// Where the overview's text goes, as `body` of a section.
    intro: String,
    has_intro: bool,
    sections: Vec<SectionPart<'a>>,
    register: Vec<EntryView<'a>>,
    counts: Counts,
    timeline_svg: String,
    timeline: Vec<TimelineItem>,
}

/// The mark the template prints where the text of part `k` goes. The pages' text is put in
/// after rendering rather than passed through the template: it is most of the page, and
/// copying it through the template context doubled the cost of the print editions.
fn body_mark(k: usize) -> String {
    format!("<!-- pb-body:pb-s{k} -->")
}

/// The print edition of `plan` (at `plan_index` in the site) from `parts`, its pages in
/// reading order, the overview first.
pub fn print_page(
    theme: &Theme,
    site: &SiteInfo,
    plan_index: usize,
    plan: &Plan,
    parts: &[PrintPart],
) -> Result<String, Diagnostic> {
    let t = strings(site.config.language);
    let to = format!("{}/{PRINT_PAGE}", plan.slug);
    let anchors: HashMap<&str, String> = parts.iter().enumerate().map(|(k, p)| (p.out, format!("pb-s{k}-"))).collect();
    let bodies: Vec<&str> = parts.iter().map(|p| p.html.as_str()).collect();
    let mut intro = (String::new(), false);
    let mut sections = Vec::new();
    for (k, (part, body)) in parts.iter().zip(&bodies).enumerate() {
        let has_body = !body.trim().is_empty();
        let Some(s) = part.section else {
            intro = (body_mark(k), has_body);
            continue;
        };
        let actions = s
            .meta
            .actions
            .iter()
            .zip(action_anchors(s))
            .map(|(a, anchor)| ActionView::new(a, format!("pb-s{k}-{anchor}"), site.today, site.config, t))
            .collect();
        sections.push(SectionPart {
            id: format!("pb-s{k}"),
            title: &s.title,
            level: (depth(s) + 1).min(6),
            owner: s.meta.owner.as_deref().map(|o| partner_label(site.config, o)),
            status: s.meta.status.map(|x| x.as_str()),
            status_label: s.meta.status.map(|x| t.status(x)),
            classification: s.meta.classification.as_str(),
            classification_label: t.classification(s.meta.classification),
            updated: s.meta.updated.map(|d| DateView::new(site.config.language, d)),
            body: body_mark(k),
            has_body,
            actions,
        });
    }
    let mut entries = plan_entries(plan_index, plan, site.today);
    sort_by_deadline(&mut entries);
    let register = entries
        .iter()
        .map(|e| {
            let mut v = EntryView::new(e, &to, site.today, site.config, t);
            if let Some(prefix) = anchors.get(e.page.as_str()) {
                v.href = format!("#{prefix}{}", e.anchor);
            }
            v
        })
        .collect();
    let marking = super::pages::plan_marking(plan);
    let title = plan.title.as_str();
    let cx = PrintPage {
        common: Common::new(theme, site, "print", "../", title),
        plan: PlanView::new(plan, "index.html".into(), site.config, t),
        marking: marking.as_str(),
        marking_label: t.classification(marking),
        page_css: page_css(title, marking, site),
        intro: intro.0,
        has_intro: intro.1,
        sections,
        counts: counts(&entries),
        timeline_svg: timeline_svg(plan, &entries, site.today, site.config, "pb-timeline"),
        timeline: timeline_items(plan, &entries, site, t),
        register,
    };
    let page = theme.render("print.html", &context(&cx)?)?;
    // The texts, moved into this page, where the template marked them.
    let holds = |out: &str| anchors.get(out).cloned();
    let mut out = String::with_capacity(page.len() + bodies.iter().map(|b| b.len() + b.len() / 16).sum::<usize>());
    let mut rest = page.as_str();
    while let Some(at) = rest.find("<!-- pb-body:pb-s") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "<!-- pb-body:pb-s".len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let k: Option<usize> = after[..digits].parse().ok();
        let Some((k, tail)) = k.zip(after[digits..].strip_prefix(" -->")) else {
            out.push_str("<!--");
            rest = &rest[at + 4..];
            continue;
        };
        if let (Some(part), Some(body)) = (parts.get(k), bodies.get(k)) {
            let prefix = format!("pb-s{k}-");
            let shift = part.section.map_or(0, depth);
            relocate_into(body, &Move { from: part.out, to: &to, prefix: &prefix, shift, holds: &holds }, &mut out);
        }
        rest = tail;
    }
    out.push_str(rest);
    Ok(out)
}

/// How deep a section is: 1 for the plan's top level (`a.md`, `a/_index.md`), 2 below it, ….
fn depth(s: &Section) -> u8 {
    let folders = s.output_rel().matches('/').count();
    let own_index = s.output_rel().ends_with("/index.html");
    u8::try_from(folders + 1 - usize::from(own_index)).unwrap_or(u8::MAX)
}
