//! `plans.json`: the audience-filtered model as JSON, `{"plans": [...]}` with each plan's
//! metadata, sections and actions; the schema is described in `docs/exports.md`.

use crate::commitments::{counts, partner_label, Counts, Entry};
use crate::config::Config;
use crate::date::Date;
use crate::model::paths::{overview_path, page_path};
use crate::model::{ActionStatus, Classification, Plan, Risk, Site, Status};
use serde::Serialize;

/// Bumped when a field changes meaning or disappears; new fields do not bump it.
const SCHEMA: u32 = 1;

/// What the JSON export says of the build besides the plans.
pub struct JsonInput<'a> {
    pub title: &'a str,
    pub today: Date,
    pub audience: Classification,
    /// The version's folder name in a versioned handbook.
    pub version: Option<&'a str>,
    /// The partners' display names (`[partners]`).
    pub config: &'a Config,
}

#[derive(Serialize)]
struct Export<'a> {
    schema: u32,
    title: &'a str,
    reference_date: Date,
    audience: Classification,
    version: Option<&'a str>,
    plans: Vec<PlanJson<'a>>,
}

#[derive(Serialize)]
struct PlanJson<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    group: Option<&'a str>,
    municipality: Option<&'a str>,
    risk: Option<Risk>,
    status: Option<Status>,
    start: Option<Date>,
    evaluation: Option<Date>,
    end: Option<Date>,
    partners: &'a [String],
    /// The partners' display names, in the order of `partners`.
    partner_names: Vec<&'a str>,
    classification: Classification,
    counts: Counts,
    sections: Vec<SectionJson<'a>>,
    actions: Vec<ActionJson<'a>>,
}

#[derive(Serialize)]
struct SectionJson<'a> {
    title: &'a str,
    url: String,
    owner: Option<&'a str>,
    owner_name: Option<&'a str>,
    status: Option<Status>,
    classification: Classification,
    updated: Option<Date>,
}

#[derive(Serialize)]
struct ActionJson<'a> {
    id: Option<&'a str>,
    what: &'a str,
    who: Option<&'a str>,
    who_name: Option<&'a str>,
    due: Option<Date>,
    status: ActionStatus,
    deadline: &'static str,
    overdue: bool,
    section: &'a str,
    url: String,
}

/// The plans of `site` with `entries` (their actions, plan by plan) as pretty JSON.
pub fn plans_json(site: &Site, entries: &[Entry], input: &JsonInput) -> Vec<u8> {
    let mut per_plan: Vec<&[Entry]> = vec![&[]; site.plans.len()];
    for chunk in entries.chunk_by(|a, b| a.plan_index == b.plan_index) {
        if let Some(slot) = per_plan.get_mut(chunk[0].plan_index) {
            *slot = chunk;
        }
    }
    let plans = site.plans.iter().zip(per_plan).map(|(plan, mine)| plan_json(plan, mine, input.config)).collect();
    let export = Export {
        schema: SCHEMA,
        title: input.title,
        reference_date: input.today,
        audience: input.audience,
        version: input.version,
        plans,
    };
    let mut bytes = serde_json::to_vec_pretty(&export).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// One plan with `mine`, its actions.
fn plan_json<'a>(plan: &'a Plan, mine: &[Entry<'a>], config: &'a Config) -> PlanJson<'a> {
    let m = &plan.meta;
    let name = |slug: Option<&'a str>| slug.map(|s| partner_label(config, s));
    PlanJson {
        slug: &plan.slug,
        title: &plan.title,
        url: overview_path(plan),
        group: m.group.as_deref(),
        municipality: m.municipality.as_deref(),
        risk: m.risk,
        status: m.status,
        start: m.start,
        evaluation: m.evaluation,
        end: m.end,
        partners: &m.partners,
        partner_names: m.partners.iter().map(|p| partner_label(config, p)).collect(),
        classification: m.classification,
        counts: counts(mine),
        sections: plan
            .all_sections()
            .into_iter()
            .map(|s| SectionJson {
                title: &s.title,
                url: page_path(plan, s),
                owner: s.meta.owner.as_deref(),
                owner_name: name(s.meta.owner.as_deref()),
                status: s.meta.status,
                classification: s.meta.classification,
                updated: s.meta.updated,
            })
            .collect(),
        actions: mine
            .iter()
            .map(|e| ActionJson {
                id: e.action.id.as_deref(),
                what: &e.action.what,
                who: e.action.who.as_deref(),
                who_name: name(e.action.who.as_deref()),
                due: e.action.due,
                status: e.action.status,
                deadline: e.deadline.as_str(),
                overdue: e.deadline == crate::commitments::Deadline::Overdue,
                section: &e.section.title,
                url: e.href(),
            })
            .collect(),
    }
}
