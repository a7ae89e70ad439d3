//! The action registers: a plan's (`<plan>/actions.html`, every action of the plan with
//! filters by partner and status) and the site's (`actions.html`, every action grouped by
//! partner, with each partner's open and overdue counts).

use super::context::{context, Common, InPlan};
use super::nav::PlanNav;
use super::pages::plan_frame;
use super::rows::{head_html, rows_html, Columns, Rows};
use super::site::SiteInfo;
use super::theme::Theme;
use super::views::EntryView;
use crate::commitments::{by_partner, counts, partner_label, plan_entries, site_entries, sort_by_deadline, Counts};
use crate::diag::Diagnostic;
use crate::i18n::strings;
use crate::model::{Plan, Site};
use crate::util::slug::slugify;
use serde::Serialize;
use std::collections::HashSet;

/// The file name of both registers: in the output root and in each plan folder.
pub const ACTIONS_PAGE: &str = "actions.html";

/// A choice of the partner filter.
#[derive(Serialize)]
struct Choice<'a> {
    value: &'a str,
    label: &'a str,
}

/// The plan's register: every action, overdue first, then by due date.
pub fn plan_register_page(
    theme: &Theme,
    site: &SiteInfo,
    plan_index: usize,
    plan: &Plan,
    nav: &PlanNav,
) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct Register<'a> {
        #[serde(flatten)]
        frame: InPlan<'a>,
        /// The table's header row and rows (`| safe`).
        head: String,
        rows: String,
        has_entries: bool,
        counts: Counts,
        /// The partners that have actions: the plan's own in its order, then any others.
        partners: Vec<Choice<'a>>,
    }
    let t = strings(site.config.language);
    let from = format!("{}/{ACTIONS_PAGE}", plan.slug);
    let mut entries = plan_entries(plan_index, plan, site.today);
    sort_by_deadline(&mut entries);
    let named: HashSet<&str> = entries.iter().filter_map(|e| e.action.who.as_deref()).collect();
    let mut slugs: Vec<&str> = plan.meta.partners.iter().map(String::as_str).filter(|p| named.contains(p)).collect();
    let mut others: Vec<&str> = named.iter().copied().filter(|p| !slugs.contains(p)).collect();
    others.sort_unstable();
    slugs.extend(others);
    let partners = slugs.into_iter().map(|p| Choice { value: p, label: partner_label(site.config, p) }).collect();
    let views: Vec<EntryView> = entries.iter().map(|e| EntryView::new(e, &from, site.today, site.config, t)).collect();
    let columns = Columns { with_plan: false, with_who: true, with_section: true, row_ids: false, filterable: true };
    let cx = Register {
        frame: plan_frame(theme, site, plan, nav, "actions", t.get("action_register"), ACTIONS_PAGE),
        counts: counts(&entries),
        head: head_html(theme, t, columns)?,
        rows: rows_html(theme, t, Rows::Entries(&views), columns, "      ")?,
        has_entries: !views.is_empty(),
        partners,
    };
    theme.render("actions.html", &context(&cx)?)
}

/// The site's register: every action grouped by partner.
pub fn site_register_page(theme: &Theme, site: &SiteInfo, model: &Site) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct Group<'a> {
        id: String,
        /// The partner as `partner_label` names it; None for actions that name no one.
        label: Option<&'a str>,
        counts: Counts,
        /// Its actions as rows (`| safe`).
        rows: String,
    }
    #[derive(Serialize)]
    struct SiteRegister<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        /// The header row of every group's table (`| safe`).
        head: String,
        groups: Vec<Group<'a>>,
        counts: Counts,
    }
    let t = strings(site.config.language);
    let entries = site_entries(model, site.today);
    let total = counts(&entries);
    let columns = Columns { with_plan: true, with_who: false, with_section: true, row_ids: false, filterable: false };
    let mut ids = HashSet::new();
    let groups = by_partner(entries)
        .into_iter()
        .map(|g| {
            let base = g.who.map_or_else(|| "pb-no-partner".to_string(), |w| format!("pb-partner-{}", slugify(w)));
            let mut id = base.clone();
            let mut n = 1;
            while !ids.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            let views: Vec<EntryView> =
                g.entries.iter().map(|e| EntryView::new(e, ACTIONS_PAGE, site.today, site.config, t)).collect();
            Ok(Group {
                id,
                label: g.who.map(|w| partner_label(site.config, w)),
                counts: g.counts,
                rows: rows_html(theme, t, Rows::Entries(&views), columns, "      ")?,
            })
        })
        .collect::<Result<_, Diagnostic>>()?;
    let common = Common::new(theme, site, "actions-site", "", t.get("actions_by_partner"));
    let cx = SiteRegister { common, head: head_html(theme, t, columns)?, groups, counts: total };
    theme.render("actions_site.html", &context(&cx)?)
}
