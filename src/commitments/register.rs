//! The registers: every visible action with its plan, section, page and deadline, in
//! reading order or by deadline, grouped by partner, and counted.

use super::Deadline;
use crate::date::Date;
use crate::model::paths::page_path;
use crate::model::{Action, Plan, Section, Site};
use crate::util::slug::slugify;
use std::collections::{BTreeMap, HashSet};

/// One visible action and where it is.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// Position of the plan in `Site::plans`.
    pub plan_index: usize,
    pub plan: &'a Plan,
    pub section: &'a Section,
    /// The section's page, relative to the output root.
    pub page: String,
    /// The id of the action's row on that page.
    pub anchor: String,
    pub action: &'a Action,
    pub deadline: Deadline,
}

impl Entry<'_> {
    /// The action's page and row, relative to the output root.
    pub fn href(&self) -> String {
        format!("{}#{}", self.page, self.anchor)
    }
}

/// The ids of the rows of a section's actions on its page: `pb-action-<id as slug>`, or the
/// action's position when it has no id or its slug is taken, so every row has its own.
pub fn action_anchors(section: &Section) -> Vec<String> {
    let mut used = HashSet::new();
    let mut out = Vec::with_capacity(section.meta.actions.len());
    for (i, a) in section.meta.actions.iter().enumerate() {
        let slug = a.id.as_deref().map(slugify).unwrap_or_default();
        let mut anchor = if slug.is_empty() { format!("pb-action-{}", i + 1) } else { format!("pb-action-{slug}") };
        let mut n = 1;
        while !used.insert(anchor.clone()) {
            n += 1;
            anchor = format!("pb-action-{}-{n}", i + 1);
        }
        out.push(anchor);
    }
    out
}

/// Every action of plan `plan_index` in reading order (section by section, as written).
pub fn plan_entries(plan_index: usize, plan: &Plan, today: Date) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for section in plan.all_sections() {
        if section.meta.actions.is_empty() {
            continue;
        }
        let page = page_path(plan, section);
        for (action, anchor) in section.meta.actions.iter().zip(action_anchors(section)) {
            let deadline = Deadline::of(action, today);
            out.push(Entry { plan_index, plan, section, page: page.clone(), anchor, action, deadline });
        }
    }
    out
}

/// Every action of the site, plan by plan in reading order.
pub fn site_entries(site: &Site, today: Date) -> Vec<Entry<'_>> {
    site.plans.iter().enumerate().flat_map(|(i, plan)| plan_entries(i, plan, today)).collect()
}

/// Sorts by deadline for a register: overdue first, then by due date (undated last); equal
/// ones keep their reading order.
pub fn sort_by_deadline(entries: &mut [Entry]) {
    entries.sort_by_key(|e| (e.deadline != Deadline::Overdue, e.action.due.is_none(), e.action.due));
}

/// How many actions there are, and where they stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub total: usize,
    /// Not `gereed` (overdue ones included).
    pub open: usize,
    pub overdue: usize,
    pub soon: usize,
    pub done: usize,
}

/// The counts of `entries`.
pub fn counts(entries: &[Entry]) -> Counts {
    let mut c = Counts { total: entries.len(), ..Counts::default() };
    for e in entries {
        match e.deadline {
            Deadline::Done => c.done += 1,
            Deadline::Overdue => c.overdue += 1,
            Deadline::Soon => c.soon += 1,
            Deadline::Later | Deadline::Undated => {}
        }
    }
    c.open = c.total - c.done;
    c
}

/// The actions of one partner (`who`), or of none.
#[derive(Debug, Clone)]
pub struct PartnerGroup<'a> {
    /// The partner's slug; None for actions that name no one.
    pub who: Option<&'a str>,
    /// Sorted by deadline.
    pub entries: Vec<Entry<'a>>,
    pub counts: Counts,
}

/// `entries` grouped by partner, partners in slug order and actions naming no one last,
/// each group sorted by deadline.
pub fn by_partner(entries: Vec<Entry<'_>>) -> Vec<PartnerGroup<'_>> {
    let mut groups: BTreeMap<(bool, Option<&str>), Vec<Entry>> = BTreeMap::new();
    for e in entries {
        let who = e.action.who.as_deref();
        groups.entry((who.is_none(), who)).or_default().push(e);
    }
    groups
        .into_iter()
        .map(|((_, who), mut entries)| {
            sort_by_deadline(&mut entries);
            let counts = counts(&entries);
            PartnerGroup { who, entries, counts }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActionStatus, SectionMeta};

    fn action(id: Option<&str>, who: Option<&str>, due: Option<&str>, status: ActionStatus) -> Action {
        Action {
            id: id.map(Into::into),
            what: "x".into(),
            who: who.map(Into::into),
            due: due.map(|d| d.parse().expect("date")),
            status,
        }
    }

    fn section(actions: Vec<Action>) -> Section {
        Section {
            rel: "a.md".into(),
            title: "A".into(),
            meta: SectionMeta { actions, ..Default::default() },
            source: None,
            children: Vec::new(),
        }
    }

    #[test]
    fn anchors_are_unique_per_page() {
        let s = section(vec![
            action(Some("A1"), None, None, ActionStatus::Open),
            action(Some("a1"), None, None, ActionStatus::Open),
            action(None, None, None, ActionStatus::Open),
            action(Some("!!"), None, None, ActionStatus::Open),
        ]);
        assert_eq!(action_anchors(&s), ["pb-action-a1", "pb-action-2-2", "pb-action-3", "pb-action-4"]);
    }

    #[test]
    fn registers_sort_overdue_first_then_by_date_and_group_by_partner() {
        let today: Date = "2026-06-01".parse().expect("date");
        let plan = Plan {
            slug: "p".into(),
            title: "P".into(),
            meta: Default::default(),
            source: Default::default(),
            sections: vec![section(vec![
                action(Some("late"), Some("politie"), Some("2026-05-30"), ActionStatus::Open),
                action(Some("later"), Some("om"), Some("2026-09-01"), ActionStatus::Open),
                action(Some("none"), None, None, ActionStatus::Lopend),
                action(Some("soon"), Some("politie"), Some("2026-06-03"), ActionStatus::Lopend),
                action(Some("done"), Some("om"), Some("2026-04-01"), ActionStatus::Gereed),
                action(Some("later-late"), Some("om"), Some("2026-05-01"), ActionStatus::Open),
            ])],
        };
        let mut entries = plan_entries(0, &plan, today);
        assert_eq!(entries[0].href(), "p/a.html#pb-action-late");
        sort_by_deadline(&mut entries);
        let ids: Vec<_> = entries.iter().filter_map(|e| e.action.id.as_deref()).collect();
        assert_eq!(ids, ["later-late", "late", "done", "soon", "later", "none"]);
        assert_eq!(counts(&entries), Counts { total: 6, open: 5, overdue: 2, soon: 1, done: 1 });
        let groups = by_partner(entries);
        let names: Vec<_> = groups.iter().map(|g| (g.who, g.counts.open, g.counts.overdue)).collect();
        assert_eq!(names, [(Some("om"), 2, 1), (Some("politie"), 2, 1), (None, 1, 0)]);
    }
}
