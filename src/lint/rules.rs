//! The lints that look across pages and at the plan as a whole: anchors, headings, required
//! sections, partners, actions and dates.

use super::PageFacts;
use crate::commitments::Deadline;
use crate::config::Config;
use crate::date::Date;
use crate::diag::{lints, Diagnostic, Lint};
use crate::model::paths::{page_path, section_key};
use crate::model::{Plan, Section, Site, SiteIndex, Source, Status};
use crate::template::TEMPLATE;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Everything the lints need besides the pages' facts.
pub struct Input<'a> {
    pub site: &'a Site,
    pub index: &'a SiteIndex,
    pub config: &'a Config,
    /// Source paths under `content/` removed for the audience: they exist, so they are not missing.
    pub removed: &'a [String],
    /// The date "overdue" is measured against.
    pub today: Date,
}

/// Runs every site-wide lint; `facts` are the pages of `input.site` in any order.
pub fn run(input: &Input, facts: &[PageFacts]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    // The heading ids of the pages that links point into, not of every page.
    let targets: HashSet<&str> = facts.iter().flat_map(|f| &f.anchors).map(|a| a.page.as_str()).collect();
    let ids: HashMap<&str, HashSet<&str>> = facts
        .iter()
        .filter(|f| targets.contains(f.out.as_str()))
        .map(|f| (f.out.as_str(), f.headings.iter().map(|h| h.id.as_str()).collect()))
        .collect();
    for f in facts {
        out.extend(f.diagnostics.iter().cloned());
        let Some(src) = input.index.by_out(&f.out).and_then(|p| p.source(input.site)) else { continue };
        let file = src.path.as_path();
        anchors(f, file, &ids, &mut out);
        headings(f, file, &mut out);
    }
    // Once for the site, not per plan.
    let empty: HashSet<&str> = facts.iter().filter(|f| f.empty).map(|f| f.out.as_str()).collect();
    let default_required: Vec<String>;
    let required = match &input.config.check.required_sections {
        Some(list) => list,
        None => {
            default_required = template_sections();
            &default_required
        }
    };
    let mut removed: HashMap<&str, Vec<&str>> = HashMap::new();
    for (plan, rel) in input.removed.iter().filter_map(|r| r.split_once('/')) {
        removed.entry(plan).or_default().push(rel);
    }
    for plan in &input.site.plans {
        plan_dates(plan, &mut out);
        let gone = removed.get(plan.slug.as_str()).map_or(&[][..], Vec::as_slice);
        required_sections(plan, required, gone, &mut out);
        let partners: HashSet<&str> = plan.meta.partners.iter().map(String::as_str).collect();
        let mut action_ids: HashMap<String, (std::path::PathBuf, u32)> = HashMap::new();
        for s in plan.all_sections() {
            let Some(src) = &s.source else { continue };
            section_logic(plan, s, src, &partners, input.today, &mut out);
            duplicate_actions(s, src, &mut action_ids, &mut out);
            if s.children.is_empty() && empty.contains(page_path(plan, s).as_str()) {
                out.push(at(lints::EMPTY_SECTION, src, src.body_line, "section has no text yet"));
            }
        }
        duplicate_titles(&plan.sections, &mut out);
    }
    super::personal::front_matter(input.site, &input.config.privacy.allow, &mut out);
    out
}

fn at(lint: Lint, src: &Source, line: u32, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::new(lint, &src.path, line, 1, msg)
}

/// The line of front-matter key `key` of `src`, else the file's first line.
fn key_line(src: &Source, key: &str) -> u32 {
    src.key_lines.get(key).copied().unwrap_or(1)
}

fn anchors(f: &PageFacts, file: &Path, ids: &HashMap<&str, HashSet<&str>>, out: &mut Vec<Diagnostic>) {
    for a in &f.anchors {
        let known = ids.get(a.page.as_str()).is_some_and(|set| set.contains(a.fragment.as_str()));
        if !known {
            out.push(
                Diagnostic::new(
                    lints::MISSING_ANCHOR,
                    file,
                    a.line,
                    a.column,
                    format!("no heading `#{}` on {}", a.fragment, a.page),
                )
                .with_help("anchors are the ids of headings: lower case, accents folded, spaces as `-`"),
            );
        }
    }
}

fn headings(f: &PageFacts, file: &Path, out: &mut Vec<Diagnostic>) {
    let mut previous = 1u8;
    let mut seen = HashSet::new();
    for h in &f.headings {
        if h.level > previous + 1 {
            let msg = format!("heading level {} follows level {previous}; a level is skipped", h.level);
            out.push(Diagnostic::new(lints::HEADING_SKIP, file, h.line, 1, msg));
        }
        previous = h.level;
        if !seen.insert(h.id.as_str()) {
            out.push(Diagnostic::new(
                lints::DUPLICATE_HEADING_ID,
                file,
                h.line,
                1,
                format!("heading id `{}` is used twice", h.id),
            ));
        }
    }
}

fn plan_dates(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let (src, m) = (&plan.source, &plan.meta);
    match (m.start, m.evaluation, m.end) {
        (_, None, _) => out.push(
            at(lints::MISSING_EVALUATION, src, 1, "plan has no evaluation date")
                .with_help("add `evaluation = YYYY-MM-DD`; the template sets the interim evaluation after six months"),
        ),
        (Some(start), Some(ev), _) if ev < start => {
            out.push(at(
                lints::DATE_ORDER,
                src,
                key_line(src, "evaluation"),
                format!("evaluation {ev} is before start {start}"),
            ));
        }
        (_, Some(ev), Some(end)) if end < ev => {
            out.push(at(lints::DATE_ORDER, src, key_line(src, "end"), format!("end {end} is before evaluation {ev}")));
        }
        _ => {}
    }
}

fn section_logic(
    plan: &Plan,
    s: &Section,
    src: &Source,
    partners: &HashSet<&str>,
    today: Date,
    out: &mut Vec<Diagnostic>,
) {
    let known = |who: &str| partners.is_empty() || partners.contains(who);
    let partner_help = || format!("the plan's partners are: {}", plan.meta.partners.join(", "));
    if let Some(owner) = s.meta.owner.as_deref().filter(|o| !known(o)) {
        let msg = format!("owner `{owner}` is not one of the plan's partners");
        out.push(at(lints::OWNER_NOT_PARTNER, src, key_line(src, "owner"), msg).with_help(partner_help()));
    }
    if plan.meta.status == Some(Status::Vastgesteld) && s.meta.status == Some(Status::Concept) {
        let msg = "section is `concept` in a plan that is `vastgesteld`";
        out.push(at(lints::ADOPTED_WITH_CONCEPT, src, key_line(src, "status"), msg));
    }
    for (i, a) in s.meta.actions.iter().enumerate() {
        let line =
            |key: &str| src.key_lines.get(&format!("actions.{i}.{key}")).copied().unwrap_or(key_line(src, "actions"));
        let name = a.id.as_deref().unwrap_or(&a.what);
        if let Some(who) = a.who.as_deref().filter(|w| !known(w)) {
            let msg = format!("action {name}: `{who}` is not one of the plan's partners");
            out.push(at(lints::ACTION_WHO, src, line("who"), msg).with_help(partner_help()));
        }
        if let (Some(due), Deadline::Overdue) = (a.due, Deadline::of(a, today)) {
            let msg = format!("action {name} was due on {due} and is still {}", a.status.as_str());
            out.push(at(lints::OVERDUE_ACTION, src, line("due"), msg));
        }
    }
}

fn duplicate_actions(
    s: &Section,
    src: &Source,
    seen: &mut HashMap<String, (std::path::PathBuf, u32)>,
    out: &mut Vec<Diagnostic>,
) {
    for (i, a) in s.meta.actions.iter().enumerate() {
        let Some(id) = &a.id else { continue };
        let line = src.key_lines.get(&format!("actions.{i}.id")).copied().unwrap_or(1);
        match seen.get(id) {
            Some((file, first)) => out.push(at(
                lints::DUPLICATE_ACTION_ID,
                src,
                line,
                format!("action id `{id}` is already used at {}:{first}", file.display()),
            )),
            None => {
                seen.insert(id.clone(), (src.path.clone(), line));
            }
        }
    }
}

fn duplicate_titles(sections: &[Section], out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Section> = HashMap::new();
    for s in sections {
        if let (Some(first), Some(src)) = (seen.get(s.title.as_str()), &s.source) {
            let msg = format!("another section in this folder is also titled `{}` ({})", s.title, first.rel);
            out.push(at(lints::DUPLICATE_TITLE, src, key_line(src, "title"), msg));
        }
        seen.entry(s.title.as_str()).or_insert(s);
        duplicate_titles(&s.children, out);
    }
}

/// The sections of the template: what a plan must have unless `[check] required_sections` says.
fn template_sections() -> Vec<String> {
    TEMPLATE.iter().filter(|(p, _)| *p != "_index.md").map(|(p, _)| section_key(p)).collect()
}

/// `removed`: the plan's sections (relative to it) that the audience filter took out; they
/// exist, so they are not missing.
fn required_sections(plan: &Plan, required: &[String], removed: &[&str], out: &mut Vec<Diagnostic>) {
    let mut present: HashSet<String> = plan.all_sections().iter().map(|s| section_key(&s.rel)).collect();
    present.extend(removed.iter().map(|r| section_key(r)));
    for key in required {
        if !present.contains(key) {
            out.push(
                at(lints::MISSING_SECTION, &plan.source, 1, format!("plan has no section `{key}`"))
                    .with_help("the required sections are set by `required_sections` under [check] in planboek.toml"),
            );
        }
    }
}
