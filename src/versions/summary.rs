//! The top of a changes page, per plan: what changed in the plan's own front matter (risk,
//! status, dates, partners, …) as old → new, and the counts and lists of sections added,
//! removed, moved and changed and of actions added, closed, changed and removed.

use super::diff::{self, Changes, Entry, MetaChange};
use crate::commitments::partner_label;
use crate::config::Config;
use crate::date::Date;
use crate::i18n::{format_date, strings, Strings};
use crate::markdown::Mode;
use crate::model::paths::overview_path;
use crate::model::{Plan, PlanMeta, Site};
use crate::pipeline::Prepared;
use serde::Serialize;

/// A section as the summary lists it: a link to its entry further down the page.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub title: String,
    pub anchor: String,
}

/// One changed plan-level value, with its label, as the reader reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub label: &'static str,
    pub old: String,
    pub new: String,
}

/// What changed in one plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanChanges {
    pub slug: String,
    pub title: String,
    /// Its overview in this version; None when the plan is gone.
    pub page: Option<String>,
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    pub fields: Vec<Field>,
    pub added: Vec<Listed>,
    pub removed: Vec<Listed>,
    pub moved: Vec<Listed>,
    pub changed: Vec<Listed>,
    /// Action labels (`A3: what (who, status)`).
    pub actions_added: Vec<String>,
    pub actions_closed: Vec<String>,
    pub actions_changed: Vec<String>,
    pub actions_removed: Vec<String>,
}

impl PlanChanges {
    fn is_empty(&self) -> bool {
        self.kind == "changed"
            && self.fields.is_empty()
            && self.changed.is_empty()
            && self.moved.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
    }
}

/// A version's changes against its predecessor with their summary per plan: what its changes
/// page shows.
#[derive(Debug, Clone, Default)]
pub struct Summarized {
    pub changes: Changes,
    pub plans: Vec<PlanChanges>,
}

/// Compares `before` with `after` (`diff::compare`) and sums the changes up per plan.
pub fn summarize(before: &Prepared, after: &Prepared, mode: Mode) -> Summarized {
    let changes = diff::compare(before, after, mode);
    let plans = plans(&before.site, &after.site, &changes.entries, &after.config);
    Summarized { changes, plans }
}

/// Every plan with a change, in the new version's order, then the plans that are gone.
pub fn plans(old: &Site, new: &Site, entries: &[Entry], config: &Config) -> Vec<PlanChanges> {
    let t = strings(config.language);
    let mut out = Vec::new();
    for plan in &new.plans {
        let before = old.plans.iter().find(|p| p.slug == plan.slug);
        let kind = if before.is_some() { "changed" } else { "added" };
        let fields = before.map(|b| fields(b, plan, t, config)).unwrap_or_default();
        out.push(summary(plan, Some(overview_path(plan)), kind, fields, entries));
    }
    for plan in old.plans.iter().filter(|p| !new.plans.iter().any(|n| n.slug == p.slug)) {
        out.push(summary(plan, None, "removed", Vec::new(), entries));
    }
    out.retain(|p| !p.is_empty());
    out
}

fn summary(
    plan: &Plan,
    page: Option<String>,
    kind: &'static str,
    fields: Vec<Field>,
    entries: &[Entry],
) -> PlanChanges {
    let mut p = PlanChanges {
        slug: plan.slug.clone(),
        title: plan.title.clone(),
        page,
        kind,
        fields,
        added: Vec::new(),
        removed: Vec::new(),
        moved: Vec::new(),
        changed: Vec::new(),
        actions_added: Vec::new(),
        actions_closed: Vec::new(),
        actions_changed: Vec::new(),
        actions_removed: Vec::new(),
    };
    for e in entries.iter().filter(|e| e.plan == plan.slug) {
        let listed = Listed { title: e.title.clone(), anchor: e.anchor.clone() };
        match e.kind {
            "added" => p.added.push(listed),
            "removed" => p.removed.push(listed),
            "renamed" => p.moved.push(listed),
            _ => p.changed.push(listed),
        }
        for m in &e.meta {
            match m.field {
                "action_added" => p.actions_added.push(m.new.clone()),
                "action_closed" => p.actions_closed.push(m.old.clone()),
                "action_removed" => p.actions_removed.push(m.old.clone()),
                "action_changed" | "action_due" => p.actions_changed.push(action_changed(m)),
                _ => {}
            }
        }
    }
    p
}

/// A changed action as the summary lists it: its new label, or for a new due date its id and date.
fn action_changed(m: &MetaChange) -> String {
    if m.field == "action_due" {
        format!("{} → {}", m.old, m.new)
    } else {
        m.new.clone()
    }
}

/// The plan-level values that differ between `old` and `new`, as shown on the plan's pages.
fn fields(old: &Plan, new: &Plan, t: &Strings, config: &Config) -> Vec<Field> {
    let lang = config.language;
    let date = |d: Option<Date>| d.map(|d| format_date(lang, d)).unwrap_or_default();
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let show = |m: &PlanMeta, title: &str| -> [(&'static str, String); 10] {
        let partners: Vec<&str> = m.partners.iter().map(|p| partner_label(config, p)).collect();
        [
            ("title", title.to_string()),
            ("risk", m.risk.map(|r| t.risk(r).to_string()).unwrap_or_default()),
            ("status", m.status.map(|s| t.status(s).to_string()).unwrap_or_default()),
            ("classification", t.classification(m.classification).to_string()),
            ("group", text(&m.group)),
            ("municipality", text(&m.municipality)),
            ("start", date(m.start)),
            ("evaluation", date(m.evaluation)),
            ("end", date(m.end)),
            ("partners", partners.join(", ")),
        ]
    };
    show(&old.meta, &old.title)
        .into_iter()
        .zip(show(&new.meta, &new.title))
        .filter(|((_, o), (_, n))| o != n)
        .map(|((key, old), (_, new))| Field { label: t.get(key), old, new })
        .collect()
}
