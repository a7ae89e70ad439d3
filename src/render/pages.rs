//! The pages of the handbook: each builds its context (`context`) and renders it through one
//! template, or writes it in code where the theme keeps the templates (`frame`, `overview`).

use super::context::{context, Common, InPlan, LastChanged};
use super::dashboard::{Dashboard, PlanRow};
use super::frame;
use super::nav::{Link, PlanNav};
use super::overview;
use super::site::page_css;
use super::site::SiteInfo;
use super::theme::Theme;
use super::views::{toc_html, PlanView, SectionView};
use crate::commitments::Counts;
use crate::diag::Diagnostic;
use crate::i18n::strings;
use crate::markdown::{Mode, Rendered};
use crate::model::{Classification, Plan, Section};
use crate::util::url::up;
use serde::Serialize;

/// Where a page of a plan sits: its prefixes and its place in reading order.
pub(super) struct Place {
    root: String,
    plan_root: String,
    /// Reading-order index in the plan's nav; 0 is the overview.
    index: usize,
}

impl Place {
    /// The place of `section`'s page, or of the overview for None.
    fn of(nav: &PlanNav, section: Option<&Section>) -> Place {
        let Some(s) = section else {
            return Place { root: "../".into(), plan_root: String::new(), index: 0 };
        };
        let plan_root = up(&s.output_rel());
        Place { root: format!("{plan_root}../"), plan_root, index: nav.index_of(s).unwrap_or(0) }
    }
}

/// The home page (`index.html`): every plan with its key facts and its actions' figures,
/// and links to the register by partner and the exports.
pub fn home_page(theme: &Theme, site: &SiteInfo, plans: &[Plan]) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct Home<'a> {
        #[serde(flatten)]
        common: Common<'a>,
        plans: Vec<PlanRow<'a>>,
        /// The figures of every plan's actions together.
        counts: Counts,
    }
    let t = strings(site.config.language);
    let rows: Vec<PlanRow> = plans.iter().enumerate().map(|(i, p)| PlanRow::new(i, p, site, t)).collect();
    let counts = rows.iter().fold(Counts::default(), |a, r| Counts {
        total: a.total + r.counts.total,
        open: a.open + r.counts.open,
        overdue: a.overdue + r.counts.overdue,
        soon: a.soon + r.counts.soon,
        done: a.done + r.counts.done,
    });
    let cx = Home { common: Common::new(theme, site, "home", "", &site.config.title), plans: rows, counts };
    theme.render("home.html", &context(&cx)?)
}

/// A plan's overview page (`<slug>/index.html`): front matter, the dashboard of its actions
/// with the timeline, its introduction and sections. `plan_index` is its place in the site.
pub fn plan_page(
    theme: &Theme,
    site: &SiteInfo,
    plan_index: usize,
    plan: &Plan,
    nav: &PlanNav,
    intro: &Rendered,
) -> Result<String, Diagnostic> {
    let place = Place::of(nav, None);
    let mut cx = in_plan(theme, site, plan, nav, &place, intro, None);
    let t = strings(site.config.language);
    let (dashboard, timeline) = Dashboard::new(plan_index, plan, site, t);
    (cx.dashboard, cx.timeline_svg, cx.timeline) = (Some(dashboard), Some(timeline.svg), Some(timeline.items));
    match overview::writes_overviews(theme) {
        true => frame::page_html(theme, &cx, t, overview::main),
        false => theme.render("plan.html", &context(&cx)?),
    }
}

/// A section's page (`<slug>/<section.output_rel()>`).
pub fn section_page(
    theme: &Theme,
    site: &SiteInfo,
    plan: &Plan,
    nav: &PlanNav,
    section: &Section,
    body: &Rendered,
) -> Result<String, Diagnostic> {
    let place = Place::of(nav, Some(section));
    let cx = in_plan(theme, site, plan, nav, &place, body, Some(section));
    match frame::writes_section_pages(theme) {
        true => frame::section_html(theme, &cx, strings(site.config.language)),
        false => theme.render("section.html", &context(&cx)?),
    }
}

/// The 404 page (`404.html`), served at any URL: its links lead from the output root, or
/// from `base_path` when planboek.toml names one (not in a preview, which is served at `/`).
pub fn not_found_page(theme: &Theme, site: &SiteInfo) -> Result<String, Diagnostic> {
    let t = strings(site.config.language);
    // A version's own 404 page lies in its folder under the handbook's root.
    let root = match (&site.config.base_path, site.version) {
        (Some(base), Some(v)) if site.mode == Mode::Publish => format!("{base}{}/", v.slug),
        (Some(base), None) if site.mode == Mode::Publish => base.clone(),
        _ => String::new(),
    };
    let cx = Common::new(theme, site, "not-found", &root, t.get("not_found_title"));
    theme.render("404.html", &context(&cx)?)
}

/// The context of the page of `section` of `plan`, or of its overview for None.
fn in_plan<'a>(
    theme: &Theme,
    site: &'a SiteInfo,
    plan: &'a Plan,
    nav: &'a PlanNav,
    place: &'a Place,
    body: &'a Rendered,
    section: Option<&'a Section>,
) -> InPlan<'a> {
    let index = place.index;
    let t = strings(site.config.language);
    let title = section.map_or(plan.title.as_str(), |s| s.title.as_str());
    let (h1_id, html) = (body.title_id.as_deref(), body.html.as_str());
    let (prev, next) = nav.neighbours(index, &place.plan_root);
    let actions = section.is_some_and(|s| !s.meta.actions.is_empty());
    let toc = toc_html(&body.headings, actions.then(|| ("pb-actions", t.get("actions"))));
    let (last_changed, changes_href) = LastChanged::of(site, section, &place.root);
    InPlan {
        common: Common::new(theme, site, if section.is_some() { "section" } else { "plan" }, &place.root, title),
        plan: PlanView::new(plan, format!("{}index.html", place.plan_root), site.config, t),
        plan_root: &place.plan_root,
        current: nav.href(index),
        nav_html: nav.list_html(&place.plan_root, index, t.get("status_concept")),
        has_sections: !plan.sections.is_empty(),
        draft: plan.meta.draft || section.is_some_and(|s| s.meta.draft),
        page_css: page_css(
            &plan.title,
            section.map_or(plan.meta.classification, |s| s.meta.classification),
            site,
            &place.root,
        ),
        crumbs: nav.ancestors(index, &place.plan_root),
        prev,
        next,
        has_toc: !toc.is_empty(),
        toc_html: toc,
        h1_id,
        body: html,
        has_body: !html.trim().is_empty(),
        section: section.map(|s| SectionView::new(s, &place.plan_root, site.config, site.today, t)),
        last_changed,
        changes_href,
        dashboard: None,
        timeline_svg: None,
        timeline: None,
    }
}

/// The frame of a page at the root of a plan folder that is none of its sections (the
/// action register): the plan's sidebar, and breadcrumbs through the plan overview.
pub(super) fn plan_frame<'a>(
    theme: &Theme,
    site: &'a SiteInfo,
    plan: &'a Plan,
    nav: &'a PlanNav,
    kind: &'static str,
    title: &'a str,
    current: &'a str,
) -> InPlan<'a> {
    let t = strings(site.config.language);
    // A plan's own page other than its sections': one folder below the root.
    let root = "../";
    InPlan {
        common: Common::new(theme, site, kind, root, title),
        plan: PlanView::new(plan, "index.html".into(), site.config, t),
        plan_root: "",
        current,
        nav_html: nav.list_html("", usize::MAX, t.get("status_concept")),
        has_sections: !plan.sections.is_empty(),
        draft: plan.meta.draft,
        page_css: page_css(&plan.title, plan_marking(plan), site, root),
        crumbs: vec![Link { title: plan.title.clone(), href: "index.html".into() }],
        prev: None,
        next: None,
        toc_html: String::new(),
        has_toc: false,
        h1_id: None,
        body: "",
        has_body: false,
        section: None,
        last_changed: None,
        changes_href: None,
        dashboard: None,
        timeline_svg: None,
        timeline: None,
    }
}

/// The highest classification of what `plan` holds (the print edition's and the registers'
/// marking).
pub(super) fn plan_marking(plan: &Plan) -> Classification {
    plan.all_sections().iter().map(|s| s.meta.classification).fold(plan.meta.classification, Ord::max)
}

/// A page outside the plans (the versions' landing and changes pages): the common keys plus
/// `extra`'s, rendered with `template`.
pub fn extra_page<T: Serialize>(
    theme: &Theme,
    site: &SiteInfo,
    template: &str,
    kind: &'static str,
    root: &str,
    title: &str,
    extra: &T,
) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct Page<'a, T> {
        #[serde(flatten)]
        common: Common<'a>,
        #[serde(flatten)]
        extra: &'a T,
    }
    let cx = Page { common: Common::new(theme, site, kind, root, title), extra };
    theme.render(template, &context(&cx)?)
}
