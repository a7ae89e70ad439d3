//! The print edition of a plan (`<plan>/print.html`): the whole plan on one page in reading
//! order — a cover with its metadata, version, classification and timeline; its introduction;
//! every visible section with its text and actions; the action register at the end — with a
//! stylesheet for A4 paper that repeats the plan's title and classification on every page.

use super::context::{context, Common, ContentsEntry, PrintPage};
use super::dashboard::timeline_items;
use super::print_frame;
use super::print_parts::{level, push_parts, Edition, PrintPart, PRINT_PAGE};
use super::rows::{head_html, rows_html, Columns, Rows};
use super::site::{print_css, SiteInfo};
use super::theme::Theme;
use super::views::{EntryView, PlanView};
use crate::commitments::{counts, plan_entries, sort_by_deadline, timeline_svg};
use crate::diag::Diagnostic;
use crate::i18n::strings;
use crate::model::Plan;
use std::collections::HashMap;
use std::ops::Range;

/// The mark the template prints where the texts go. They are put in after rendering rather
/// than passed through the template: they are most of the page, and copying them through
/// the template context doubled the cost of the print editions.
const PARTS_MARK: &str = "<!-- pb-parts -->";

/// The print edition of `plan` (at `plan_index` in the site) from `parts`, its pages in
/// reading order, the overview first.
pub fn print_page(
    theme: &Theme,
    site: &SiteInfo,
    plan_index: usize,
    plan: &Plan,
    parts: &[PrintPart],
) -> Result<String, Diagnostic> {
    print_edition(theme, site, plan_index, plan, parts, None).map(|e| e.html)
}

/// A print edition, and where its texts (the overview's and the sections') lie in it.
pub struct PrintEdition {
    pub html: String,
    /// None when the theme's template leaves the texts out.
    pub texts: Option<Range<usize>>,
}

/// `print_page`, with the texts `taken` instead of those of `parts` when given: the texts of
/// an edition of the same plan made from the same inputs, which hold nothing of the version
/// the cover names (`PrintEdition::texts` of it). The cover and contents come from `parts`
/// either way; their bodies are then not read.
pub fn print_edition(
    theme: &Theme,
    site: &SiteInfo,
    plan_index: usize,
    plan: &Plan,
    parts: &[PrintPart],
    taken: Option<&str>,
) -> Result<PrintEdition, Diagnostic> {
    let t = strings(site.config.language);
    let to = format!("{}/{PRINT_PAGE}", plan.slug);
    let anchors: HashMap<&str, String> = parts.iter().enumerate().map(|(k, p)| (p.out, format!("pb-s{k}-"))).collect();
    let sections = parts
        .iter()
        .enumerate()
        .filter_map(|(k, p)| {
            p.section.map(|s| ContentsEntry { id: format!("pb-s{k}"), title: &s.title, level: level(s) })
        })
        .collect();
    let mut entries = plan_entries(plan_index, plan, site.today);
    sort_by_deadline(&mut entries);
    let register: Vec<EntryView> = entries
        .iter()
        .map(|e| {
            let mut v = EntryView::new(e, &to, site.today, site.config, t);
            if let Some(prefix) = anchors.get(e.page.as_str()) {
                v.href = format!("#{prefix}{}", e.anchor);
            }
            v
        })
        .collect();
    let columns = Columns { with_plan: false, with_who: true, with_section: true, row_ids: false, filterable: false };
    let marking = super::pages::plan_marking(plan);
    let title = plan.title.as_str();
    let cx = PrintPage {
        common: Common::new(theme, site, "print", "../", title),
        plan: PlanView::new(plan, "index.html".into(), site.config, t),
        marking: marking.as_str(),
        marking_label: t.classification(marking),
        page_css: print_css(title, marking, site),
        parts: PARTS_MARK,
        sections,
        register_head: head_html(theme, t, columns)?,
        register_rows: rows_html(theme, t, Rows::Entries(&register), columns, "        ")?,
        has_register: !register.is_empty(),
        counts: counts(&entries),
        timeline_svg: timeline_svg(plan, &entries, site.today, site.config, "pb-timeline"),
        timeline: timeline_items(plan, &entries, site, t),
    };
    let page = match print_frame::writes_print_editions(theme) {
        true => print_frame::print_html(theme, &cx, t),
        false => theme.render("print.html", &context(&cx)?)?,
    };
    // The last mark: all that follows it in the page is escaped text planboek wrote.
    let Some(at) = page.rfind(PARTS_MARK) else {
        return Ok(PrintEdition { html: page, texts: None });
    };
    let texts: usize = taken.map_or_else(|| parts.iter().map(|p| p.html.len() + p.html.len() / 16).sum(), str::len);
    let mut out = String::with_capacity(page.len() + texts + parts.len() * 1024);
    out.push_str(&page[..at]);
    match taken {
        Some(texts) => out.push_str(texts),
        None => {
            let holds = |out: &str| anchors.get(out).map(String::as_str);
            let edition = Edition { theme, site, t, plan, to: &to, holds: &holds };
            push_parts(&edition, parts, &mut out)?;
        }
    }
    let texts = at..out.len();
    out.push_str(&page[at + PARTS_MARK.len()..]);
    Ok(PrintEdition { html: out, texts: Some(texts) })
}
