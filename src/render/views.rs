//! The model as templates see it: front-matter values with their labels and formatted dates.

use super::nav::Link;
use crate::commitments::{action_anchors, partner_label, Deadline, Entry};
use crate::config::{Config, Language};
use crate::date::Date;
use crate::i18n::{format_date, Strings};
use crate::markdown::Heading;
use crate::model::paths::overview_path;
use crate::model::{Action, Plan, Section, Status};
use crate::util::html::{escape_html, escape_into};
use crate::util::url::relative;
use serde::Serialize;

/// A date as `<time datetime="{{ iso }}">{{ text }}</time>`.
#[derive(Debug, Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

impl DateView {
    pub fn new(lang: Language, d: Date) -> DateView {
        DateView { iso: d.iso(), text: format_date(lang, d) }
    }

    /// Appends the date as its `<time>` element, as the templates write it.
    pub(super) fn push_html(&self, out: &mut String) {
        out.push_str("<time datetime=\"");
        escape_into(&self.iso, out);
        out.push_str("\">");
        escape_into(&self.text, out);
        out.push_str("</time>");
    }
}

/// The mark of a value that is not set (`<span class="pb-none">`), as the templates write it.
pub(super) fn not_set_html(t: &Strings) -> String {
    format!("<span class=\"pb-none\">{}</span>", escape_html(t.get("not_set")))
}

fn date(lang: Language, d: Option<Date>) -> Option<DateView> {
    d.map(|d| DateView::new(lang, d))
}

/// A plan's front matter; `href` leads to its overview page from the page it is shown on.
#[derive(Debug, Serialize)]
pub struct PlanView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub href: String,
    pub group: Option<&'a str>,
    pub municipality: Option<&'a str>,
    pub risk: Option<&'static str>,
    pub risk_label: Option<&'static str>,
    pub status: Option<&'static str>,
    pub status_label: Option<&'static str>,
    pub concept: bool,
    /// The partners as `partner_label` names them.
    pub partners: Vec<&'a str>,
    pub start: Option<DateView>,
    pub evaluation: Option<DateView>,
    pub end: Option<DateView>,
    pub classification: &'static str,
    pub classification_label: &'static str,
}

impl<'a> PlanView<'a> {
    pub fn new(plan: &'a Plan, href: String, config: &'a Config, t: &Strings) -> PlanView<'a> {
        let (m, lang) = (&plan.meta, config.language);
        PlanView {
            title: &plan.title,
            slug: &plan.slug,
            href,
            group: m.group.as_deref(),
            municipality: m.municipality.as_deref(),
            risk: m.risk.map(|r| r.as_str()),
            risk_label: m.risk.map(|r| t.risk(r)),
            status: m.status.map(|s| s.as_str()),
            status_label: m.status.map(|s| t.status(s)),
            concept: m.status == Some(Status::Concept),
            partners: m.partners.iter().map(|p| partner_label(config, p)).collect(),
            start: date(lang, m.start),
            evaluation: date(lang, m.evaluation),
            end: date(lang, m.end),
            classification: m.classification.as_str(),
            classification_label: t.classification(m.classification),
        }
    }
}

/// One `[[actions]]` row: with the words that mark it overdue or due soon, the partner's
/// name, and the id of its row on its section's page.
#[derive(Debug, Serialize)]
pub struct ActionView<'a> {
    pub id: Option<&'a str>,
    pub what: &'a str,
    /// The partner's slug, for filters.
    pub who: Option<&'a str>,
    /// The partner as `partner_label` names it.
    pub who_label: Option<&'a str>,
    pub due: Option<DateView>,
    pub status: &'static str,
    pub status_label: &'static str,
    /// `overdue`, `soon`, `later`, `undated` or `done` (`Deadline::as_str`).
    pub deadline: &'static str,
    /// "Te laat" or "Binnenkort" (in the handbook's language); None for the other states.
    pub deadline_label: Option<&'static str>,
    pub anchor: String,
}

impl<'a> ActionView<'a> {
    pub fn new(a: &'a Action, anchor: String, today: Date, config: &'a Config, t: &Strings) -> ActionView<'a> {
        let deadline = Deadline::of(a, today);
        ActionView {
            id: a.id.as_deref(),
            what: &a.what,
            who: a.who.as_deref(),
            who_label: a.who.as_deref().map(|w| partner_label(config, w)),
            due: date(config.language, a.due),
            status: a.status.as_str(),
            status_label: t.action_status(a.status),
            deadline: deadline.as_str(),
            deadline_label: deadline.label_key().map(|k| t.get(k)),
            anchor,
        }
    }
}

/// An action in a register: the action, and links to it and to its section and plan,
/// relative to the page it is shown on.
#[derive(Debug, Serialize)]
pub struct EntryView<'a> {
    #[serde(flatten)]
    pub action: ActionView<'a>,
    pub href: String,
    pub section_title: &'a str,
    pub plan_title: &'a str,
    pub plan_href: String,
}

impl<'a> EntryView<'a> {
    /// `e` as shown on the page at output path `from`.
    pub fn new(e: &Entry<'a>, from: &str, today: Date, config: &'a Config, t: &Strings) -> EntryView<'a> {
        EntryView {
            action: ActionView::new(e.action, e.anchor.clone(), today, config, t),
            href: format!("{}#{}", relative(from, &e.page), e.anchor),
            section_title: &e.section.title,
            plan_title: &e.plan.title,
            plan_href: relative(from, &overview_path(e.plan)),
        }
    }
}

/// A section's front matter and its direct subsections (hrefs relative to the page).
#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    /// The owner as `partner_label` names it.
    pub owner: Option<&'a str>,
    pub status: Option<&'static str>,
    pub status_label: Option<&'static str>,
    pub concept: bool,
    pub classification: &'static str,
    pub classification_label: &'static str,
    pub updated: Option<DateView>,
    pub actions: Vec<ActionView<'a>>,
    pub children: Vec<Link>,
    /// False for a folder without `_index.md` of its own.
    pub has_source: bool,
}

impl<'a> SectionView<'a> {
    /// `child_prefix` leads from the page to the plan folder; `today` is the reference date.
    pub fn new(s: &'a Section, child_prefix: &str, config: &'a Config, today: Date, t: &Strings) -> SectionView<'a> {
        let (m, lang) = (&s.meta, config.language);
        SectionView {
            title: &s.title,
            owner: m.owner.as_deref().map(|o| partner_label(config, o)),
            status: m.status.map(|s| s.as_str()),
            status_label: m.status.map(|s| t.status(s)),
            concept: m.status == Some(Status::Concept),
            classification: m.classification.as_str(),
            classification_label: t.classification(m.classification),
            updated: date(lang, m.updated),
            actions: m
                .actions
                .iter()
                .zip(action_anchors(s))
                .map(|(a, anchor)| ActionView::new(a, anchor, today, config, t))
                .collect(),
            children: s
                .children
                .iter()
                .map(|c| Link { title: c.title.clone(), href: format!("{child_prefix}{}", c.output_rel()) })
                .collect(),
            has_source: s.source.is_some(),
        }
    }
}

/// The on-page table of contents: level-2 headings with their level-3 headings nested, then
/// `extra` (`(id, text)`, e.g. the actions table). Empty when it would hold fewer than two entries.
pub fn toc_html(headings: &[Heading], extra: Option<(&str, &str)>) -> String {
    let entries: Vec<(u8, &str, &str)> = headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .map(|h| (h.level, h.id.as_str(), h.text.as_str()))
        .chain(extra.map(|(id, text)| (2, id, text)))
        .collect();
    if entries.len() < 2 {
        return String::new();
    }
    let mut out = String::with_capacity(entries.len() * 80);
    let mut nested = false;
    out.push_str("<ul>");
    for (i, &(level, id, text)) in entries.iter().enumerate() {
        let sub = level == 3 && i > 0;
        match (sub, nested) {
            (true, false) => out.push_str("\n<ul>"),
            (false, true) => out.push_str("</li>\n</ul>\n</li>"),
            (false, false) if i > 0 => out.push_str("</li>"),
            _ => {}
        }
        out.push_str(if sub && nested { "</li>\n<li>" } else { "\n<li>" });
        for part in ["<a href=\"#", &escape_html(id), "\">", &escape_html(text), "</a>"] {
            out.push_str(part);
        }
        nested = sub;
    }
    out.push_str(if nested { "</li>\n</ul>\n</li>\n</ul>" } else { "</li>\n</ul>" });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, id: &str) -> Heading {
        Heading { level, id: id.into(), text: id.to_uppercase(), line: 1 }
    }

    #[test]
    fn toc_nests_level_three_under_level_two() {
        let hs = [h(1, "t"), h(3, "intro"), h(2, "a"), h(3, "a1"), h(3, "a2"), h(4, "x"), h(2, "b")];
        let html = toc_html(&hs, Some(("pb-actions", "Acties")));
        let want = "<ul>\n<li><a href=\"#intro\">INTRO</a></li>\n<li><a href=\"#a\">A</a>\n<ul>\n<li>\
            <a href=\"#a1\">A1</a></li>\n<li><a href=\"#a2\">A2</a></li>\n</ul>\n</li>\n<li><a href=\"#b\">B</a></li>\n\
            <li><a href=\"#pb-actions\">Acties</a></li>\n</ul>";
        assert_eq!(html, want);
        assert_eq!(toc_html(&hs[..2], None), "", "one entry needs no table of contents");
        assert!(toc_html(&[h(2, "a"), h(3, "b")], None).ends_with("</li>\n</ul>\n</li>\n</ul>"));
    }
}
