//! Where a plan's commitments stand, as the home page (one row per plan) and the plan
//! overview (figures, next deadlines and the timeline) show it.

use super::site::SiteInfo;
use super::views::{DateView, EntryView, PlanView};
use crate::commitments::{counts, partner_label, plan_entries, timeline_svg, Counts, Deadline, Entry};
use crate::date::Date;
use crate::i18n::Strings;
use crate::model::paths::overview_path;
use crate::model::Plan;
use serde::Serialize;

/// How many deadlines the plan overview lists.
const NEXT_DEADLINES: usize = 3;

/// A plan on the home page: its facts and its actions' figures.
#[derive(Serialize)]
pub struct PlanRow<'a> {
    #[serde(flatten)]
    pub plan: PlanView<'a>,
    pub counts: Counts,
    /// The evaluation date lies before the reference date.
    pub evaluation_passed: bool,
}

impl<'a> PlanRow<'a> {
    pub fn new(index: usize, plan: &'a Plan, site: &SiteInfo<'a>, t: &Strings) -> PlanRow<'a> {
        PlanRow {
            plan: PlanView::new(plan, overview_path(plan), site.config, t),
            counts: counts(&plan_entries(index, plan, site.today)),
            evaluation_passed: passed(plan, site.today),
        }
    }
}

fn passed(plan: &Plan, today: Date) -> bool {
    plan.meta.evaluation.is_some_and(|e| e < today)
}

/// The plan overview's dashboard.
#[derive(Serialize)]
pub struct Dashboard<'a> {
    pub counts: Counts,
    pub evaluation_passed: bool,
    /// The first open actions due on or after the reference date.
    pub next: Vec<EntryView<'a>>,
}

/// A plan's timeline: the SVG and the same dates as text.
pub struct Timeline {
    /// Inline SVG (printed `| safe`).
    pub svg: String,
    pub items: Vec<TimelineItem>,
}

/// One date of the timeline.
#[derive(Serialize)]
pub struct TimelineItem {
    pub date: DateView,
    pub text: String,
    /// As `ActionView::deadline`; `milestone` for the plan's own dates and `today`.
    pub deadline: &'static str,
    pub deadline_label: Option<&'static str>,
}

impl<'a> Dashboard<'a> {
    /// The dashboard of `plan` (at `index` in the site) on its overview page, and its timeline.
    pub fn new(index: usize, plan: &'a Plan, site: &SiteInfo<'a>, t: &Strings) -> (Dashboard<'a>, Timeline) {
        let entries = plan_entries(index, plan, site.today);
        let from = overview_path(plan);
        let mut upcoming: Vec<&Entry> =
            entries.iter().filter(|e| matches!(e.deadline, Deadline::Soon | Deadline::Later)).collect();
        upcoming.sort_by_key(|e| e.action.due);
        let next = upcoming
            .iter()
            .take(NEXT_DEADLINES)
            .map(|e| EntryView::new(e, &from, site.today, site.config, t))
            .collect();
        let dashboard = Dashboard { counts: counts(&entries), evaluation_passed: passed(plan, site.today), next };
        let timeline = Timeline {
            svg: timeline_svg(plan, &entries, site.today, site.config, "pb-timeline"),
            items: timeline_items(plan, &entries, site, t),
        };
        (dashboard, timeline)
    }
}

/// The dates of the timeline in order: the plan's start, evaluation and end, the reference
/// date, and every dated action.
pub(super) fn timeline_items(plan: &Plan, entries: &[Entry], site: &SiteInfo, t: &Strings) -> Vec<TimelineItem> {
    let lang = site.config.language;
    let m = &plan.meta;
    let mut items: Vec<(Date, u8, TimelineItem)> = Vec::new();
    let mut milestone = |d: Date, text: &str, order| {
        let item = TimelineItem {
            date: DateView::new(lang, d),
            text: text.to_string(),
            deadline: "milestone",
            deadline_label: None,
        };
        items.push((d, order, item));
    };
    for (d, key) in [(m.start, "start"), (m.evaluation, "evaluation"), (m.end, "end")] {
        if let Some(d) = d {
            milestone(d, t.get(key), 0);
        }
    }
    milestone(site.today, t.get("reference_date"), 1);
    for e in entries {
        let Some(due) = e.action.due else { continue };
        let a = e.action;
        let mut text = a.id.as_deref().map(|id| format!("{id}: ")).unwrap_or_default();
        text.push_str(&a.what);
        if let Some(who) = a.who.as_deref() {
            text.push_str(&format!(" ({})", partner_label(site.config, who)));
        }
        let item = TimelineItem {
            date: DateView::new(lang, due),
            text,
            deadline: e.deadline.as_str(),
            deadline_label: e.deadline.label_key().map(|k| t.get(k)),
        };
        items.push((due, 2, item));
    }
    items.sort_by_key(|(d, order, _)| (*d, *order));
    items.into_iter().map(|(_, _, item)| item).collect()
}
