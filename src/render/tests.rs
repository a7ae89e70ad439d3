//! Pages rendered from a small hand-built plan: structure, links, language, escaping, themes.

use super::*;
use crate::config::{Config, Language};
use crate::date::Date;
use crate::diag::lints;
use crate::markdown::{Heading, Mode, Rendered};
use crate::model::{Action, Classification, Plan, PlanMeta, Section, SectionMeta, Source, Status};
use std::collections::BTreeSet;
use std::path::Path;

fn section(rel: &str, title: &str, children: Vec<Section>) -> Section {
    let meta = SectionMeta { owner: Some("politie".into()), status: Some(Status::Vastgesteld), ..Default::default() };
    let source = Some(Source { path: format!("content/alpha/{rel}").into(), ..Default::default() });
    Section { rel: rel.into(), title: title.into(), meta, source, children }
}

/// alpha: 01-aanleiding, 02-plan/{individu, groep}, 03-map (no _index.md)/{x}.
fn plan() -> Plan {
    let mut aanleiding = section("01-aanleiding.md", "Aanleiding", vec![]);
    aanleiding.meta.status = Some(Status::Concept);
    aanleiding.meta.updated = Date::new(2026, 3, 1);
    aanleiding.meta.actions = vec![Action {
        id: Some("A1".into()),
        what: "Gebiedsverbod <b>voorbereiden</b>".into(),
        who: Some("gemeente".into()),
        due: Date::new(2026, 4, 15),
        status: Default::default(),
    }];
    let kids = vec![section("02-plan/individu.md", "Individu", vec![]), section("02-plan/groep.md", "Groep", vec![])];
    let mut map = section("03-map/_index.md", "Map", vec![section("03-map/x.md", "X", vec![])]);
    map.source = None;
    let meta = PlanMeta {
        group: Some("De Haven".into()),
        status: Some(Status::TerReview),
        evaluation: Date::new(2026, 9, 1),
        partners: vec!["gemeente".into(), "politie".into()],
        ..Default::default()
    };
    Plan {
        slug: "alpha".into(),
        title: "Plan De Haven".into(),
        meta,
        source: Source::default(),
        sections: vec![aanleiding, section("02-plan/_index.md", "Plan", kids), map],
    }
}

fn config(language: Language) -> Config {
    Config { title: "Testboek".into(), language, ..Default::default() }
}

fn site(config: &Config, mode: Mode) -> SiteInfo<'_> {
    SiteInfo {
        config,
        mode,
        today: Date::new(2026, 3, 1).expect("date"),
        audience: Classification::Intern,
        version: None,
    }
}

fn body() -> Rendered {
    let h = |level, id: &str, text: &str| Heading { level, id: id.into(), text: text.into(), line: 1 };
    // The body's leading `# Titel` became the title: the renderer left it out and hands
    // over its id.
    Rendered {
        html: "<h2 id=\"doel\">Doel</h2><p>Tekst</p><h3 id=\"sub\">Sub</h3><h2 id=\"eind\">Eind</h2>".into(),
        headings: vec![h(1, "titel", "Titel"), h(2, "doel", "Doel"), h(3, "sub", "Sub"), h(2, "eind", "Eind")],
        title_id: Some("titel".into()),
        ..Default::default()
    }
}

fn builtin(config: &Config) -> Theme {
    Theme::load(Path::new("/nonexistent"), config).expect("built-in theme loads")
}

/// The page of section `rel` of `plan`.
fn page(plan: &Plan, rel: &str, config: &Config, mode: Mode) -> String {
    let nav = plan_nav(plan);
    let s = plan.all_sections().into_iter().find(|s| s.rel == rel).expect("section");
    section_page(&builtin(config), &site(config, mode), plan, &nav, s, &body()).expect("renders")
}

fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.split(&pat).skip(1).filter_map(|rest| rest.split('"').next()).collect()
}

#[test]
fn section_page_has_landmarks_and_relative_links_at_depth_two() {
    let c = config(Language::Nl);
    let html = page(&plan(), "02-plan/individu.md", &c, Mode::Publish);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"), "{}", &html[..60]);
    for needle in [
        "<a class=\"pb-skip\" href=\"#pb-main\">Direct naar de inhoud</a>",
        "<main id=\"pb-main\"",
        "<header class=\"pb-header\">",
        "<footer class=\"pb-footer\">",
        "<nav class=\"pb-sidebar\" aria-label=\"Onderdelen van dit plan\">",
        "<nav class=\"pb-breadcrumbs\" aria-label=\"Kruimelpad\">",
        "href=\"../../_static/planboek.css?v=",
        "src=\"../../_static/planboek.js?v=",
        "<a href=\"../02-plan/individu.html\" aria-current=\"page\">Individu</a>",
        "<a href=\"../index.html\">Plan De Haven</a>",
        "href=\"../02-plan/groep.html\" rel=\"next\"",
        "href=\"../02-plan/index.html\" rel=\"prev\"",
        "<time datetime=\"2026-03-01\">1 maart 2026</time>",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    for href in attr_values(&html, "href").into_iter().chain(attr_values(&html, "src")) {
        assert!(!href.starts_with('/') && !href.contains("//") && !href.ends_with('/'), "bad link {href}");
        assert!(href.starts_with('#') || href.contains(".html") || href.contains("_static/"), "{href}");
    }
    assert_eq!(html.matches("aria-current=\"page\"").count(), 2, "sidebar entry and last breadcrumb");
}

#[test]
fn breadcrumbs_toc_and_unique_ids() {
    let c = config(Language::Nl);
    let html = page(&plan(), "02-plan/individu.md", &c, Mode::Publish);
    let crumbs = html.split("pb-breadcrumbs").nth(1).and_then(|s| s.split("</nav>").next()).expect("crumbs");
    let order: Vec<_> = ["../../index.html", "../index.html", "../02-plan/index.html", "../02-plan/individu.html"]
        .iter()
        .map(|h| crumbs.find(&format!("href=\"{h}")))
        .collect();
    assert!(order.iter().all(Option::is_some) && order.windows(2).all(|w| w[0] < w[1]), "{crumbs}");
    assert!(html.contains("<h1 id=\"titel\">Individu</h1>"), "the body's own h1 gives way, keeping its id");
    assert!(html.contains("<a href=\"#doel\">Doel</a>") && html.contains("<a href=\"#sub\">Sub</a>"));
    let ids = attr_values(&html, "id");
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len(), "duplicate ids: {ids:?}");
}

#[test]
fn concept_actions_and_escaping() {
    let mut p = plan();
    p.sections[0].title = "<script>alert(1)</script>".into();
    let c = config(Language::Nl);
    let html = page(&p, "01-aanleiding.md", &c, Mode::Publish);
    assert!(!html.contains("<script>alert"), "front matter is escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("pb-banner--concept") && html.contains(">Concept</span>"));
    assert!(html.contains("Gebiedsverbod &lt;b&gt;voorbereiden&lt;/b&gt;"), "actions escaped");
    assert!(html.contains("<h2 id=\"pb-actions\">Acties</h2>") && html.contains("<a href=\"#pb-actions\">Acties</a>"));
    assert!(html.contains("15 april 2026") && html.contains(">Open</span>"));
    assert!(html.contains("href=\"index.html\" rel=\"prev\""), "prev is the overview");
}

#[test]
fn english_labels_and_preview_indicator() {
    let c = config(Language::En);
    let html = page(&plan(), "02-plan/groep.md", &c, Mode::Preview);
    assert!(html.contains("<html lang=\"en\">"));
    for needle in
        ["Skip to main content", "Adopted", "Owner", "1 March 2026", "Editor&#39;s view", "Edition for: <span"]
    {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(!html.contains("Vastgesteld") && !html.contains("Eigenaar"));
}

#[test]
fn folder_without_index_lists_its_subsections() {
    let c = config(Language::Nl);
    let html = page(&plan(), "03-map/_index.md", &c, Mode::Publish);
    assert!(html.contains("<h2 id=\"pb-subsections\">Onderdelen</h2>"));
    assert!(html.contains("<li><a href=\"../03-map/x.html\">X</a></li>"));
    assert!(html.contains("href=\"../03-map/x.html\" rel=\"next\""));
}

#[test]
fn plan_and_home_pages() {
    let c = config(Language::Nl);
    let (p, theme) = (plan(), builtin(&c));
    let nav = plan_nav(&p);
    let s = site(&c, Mode::Publish);
    let overview = plan_page(&theme, &s, 0, &p, &nav, &body()).expect("plan page");
    assert!(overview.contains("<a href=\"index.html\" aria-current=\"page\">Plan De Haven</a>"));
    assert!(overview.contains("href=\"../_static/planboek.css?v=") && overview.contains("href=\"../index.html\""));
    assert!(overview.contains("href=\"01-aanleiding.html\" rel=\"next\"") && !overview.contains("rel=\"prev\""));
    assert!(overview.contains("Gemeente, Politie") && overview.contains("Ter review"));
    let home = home_page(&theme, &s, std::slice::from_ref(&p)).expect("home");
    assert!(home.contains("<a href=\"alpha/index.html\">Plan De Haven</a>") && home.contains("1 september 2026"));
    assert!(home.contains("href=\"_static/planboek.css?v=") && home.contains("<html lang=\"nl\">"));
    let missing = not_found_page(&theme, &s).expect("404");
    assert!(missing.contains("Pagina niet gevonden") && missing.contains("href=\"index.html\""));
}

#[test]
fn static_files_are_written_under_static() {
    let theme = builtin(&config(Language::Nl));
    let files = theme.static_files();
    let names: Vec<_> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert!(names.contains(&"_static/planboek.css") && names.contains(&"_static/planboek.js"), "{names:?}");
}

fn themed(files: &[(&str, &str)]) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    (dir, Config { theme: Some("eigen".into()), ..config(Language::Nl) })
}

#[test]
fn an_override_template_wins_and_the_others_stay_built_in() {
    let (dir, c) = themed(&[
        ("themes/eigen/templates/404.html", "{% extends \"base.html\" %}{% block main %}Eigen 404{% endblock %}"),
        ("themes/eigen/static/extra.css", "x"),
    ]);
    let theme = Theme::load(dir.path(), &c).expect("loads");
    let s = site(&c, Mode::Publish);
    assert!(not_found_page(&theme, &s).expect("404").contains("Eigen 404"));
    let p = plan();
    let home = home_page(&theme, &s, std::slice::from_ref(&p)).expect("home");
    assert!(home.contains("Plan De Haven"), "built-in home page");
    assert!(theme.static_files().iter().any(|(p, b)| p == "_static/extra.css" && b == b"x"));
}

#[test]
fn a_broken_override_names_its_file_and_line() {
    let (dir, c) = themed(&[("themes/eigen/templates/section.html", "<p>\n{% if %}\n")]);
    let errors = Theme::load(dir.path(), &c).err().expect("syntax error");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e.code, lints::THEME.code);
    assert_eq!(&*e.file, Path::new("themes/eigen/templates/section.html"));
    assert_eq!(e.line, 2, "{e}");
}

#[test]
fn render_errors_and_unknown_themes_are_diagnostics() {
    let (dir, c) = themed(&[("themes/eigen/templates/404.html", "{{ nergens.iets }}")]);
    let theme = Theme::load(dir.path(), &c).expect("parses");
    let e = not_found_page(&theme, &site(&c, Mode::Publish)).expect_err("undefined variable");
    assert_eq!(&*e.file, Path::new("themes/eigen/templates/404.html"), "{e}");

    let c = Config { theme: Some("bestaat-niet".into()), ..config(Language::Nl) };
    let errors = Theme::load(dir.path(), &c).err().expect("unknown theme");
    assert!(errors[0].message.contains("bestaat-niet"), "{}", errors[0]);
    let c = Config { theme: Some("../x".into()), ..config(Language::Nl) };
    assert!(Theme::load(dir.path(), &c).is_err(), "theme names are plain folder names");
}

#[test]
fn strings_are_localized_at_load_and_passed_only_when_a_template_needs_them() {
    assert!(!builtin(&config(Language::Nl)).uses_strings(), "built-in templates use only {{ t.key }}");
    let (dir, c) = themed(&[("themes/eigen/templates/404.html", "{% if t.home %}{{ t.home | upper }}{% endif %}")]);
    let theme = Theme::load(dir.path(), &c).expect("loads");
    assert!(theme.uses_strings());
    assert_eq!(not_found_page(&theme, &site(&c, Mode::Publish)).expect("404"), "STARTPAGINA");
    // The whole table, not one key: still passed.
    let (dir, c) = themed(&[("themes/eigen/templates/404.html", "{% if t | length > 10 %}veel{% endif %}")]);
    let theme = Theme::load(dir.path(), &c).expect("loads");
    assert_eq!(not_found_page(&theme, &site(&c, Mode::Publish)).expect("404"), "veel");
}

#[test]
fn sidebar_tags_concept_sections_in_words() {
    let c = config(Language::En);
    let html = page(&plan(), "02-plan/groep.md", &c, Mode::Publish);
    assert!(html.contains(
        "<a href=\"../01-aanleiding.html\">Aanleiding <span class=\"pb-tag pb-tag--concept\">Draft</span></a>"
    ));
    assert!(!html.contains("pb-banner--concept"), "the page itself is adopted");
}

#[test]
fn a_print_edition_with_the_texts_of_another_differs_from_one_made_anew_in_nothing() {
    let (config, plan) = (config(Language::Nl), plan());
    let theme = builtin(&config);
    let sections: Vec<(Option<&Section>, String)> = std::iter::once((None, "alpha/index.html".to_string()))
        .chain(plan.all_sections().into_iter().map(|s| (Some(s), format!("alpha/{}", s.output_rel()))))
        .collect();
    let parts = |html: &str| -> Vec<PrintPart> {
        let mut parts = Vec::new();
        for (k, (section, out)) in sections.iter().enumerate() {
            let html = html.replace("{k}", &k.to_string());
            parts.push(PrintPart { section: *section, out: out.as_str(), html, spans: None });
        }
        parts
    };
    let body = "<h2 id=\"d\">Deel {k}</h2><p>Zie <a href=\"02-plan/groep.html#d\">groep</a>.</p>";
    let version = |slug: &str| VersionInfo {
        slug: slug.into(),
        last_changes: Default::default(),
        diffs: Default::default(),
        show_authors: false,
    };
    let (v1, v2) = (version("v1"), version("v2"));
    let edition = |v, parts: &[PrintPart], taken| {
        let site = SiteInfo { version: Some(v), ..site(&config, Mode::Publish) };
        print_edition(&theme, &site, 0, &plan, parts, taken).expect("renders")
    };
    let before = edition(&v1, &parts(body), None);
    let texts = &before.html[before.texts.clone().expect("the built-in template holds the texts")];
    assert!(texts.contains("Deel 3") && texts.contains("href=\"#pb-s"), "{texts}");
    let taken = edition(&v2, &parts(""), Some(texts));
    let anew = edition(&v2, &parts(body), None);
    assert!(taken.html == anew.html, "taken:\n{}\nanew:\n{}", taken.html, anew.html);
    assert_eq!(taken.texts, anew.texts);
    assert!(before.html.contains("<dd>v1</dd>") && anew.html.contains("<dd>v2</dd>"), "the cover names the version");
}

/// The section pages `frame` writes are, byte for byte, those of the built-in templates:
/// every section of the plan (concept, with actions, without a file of its own, with
/// subsections), in both languages, published and previewed, plain and versioned (with and
/// without the last change's author and a changes entry), a draft plan, and bodies with and
/// without a title or any text.
#[test]
fn section_pages_written_in_code_are_those_of_the_templates() {
    use crate::render::LastChange;
    let mut plans = vec![plan(), plan()];
    plans[1].meta.draft = true;
    let odd = &mut plans[1].sections[0];
    (odd.meta.owner, odd.meta.status, odd.meta.updated) = (Some(String::new()), None, None);
    odd.meta.actions[0].who = None;
    let change = |author: &str| LastChange { date: Date::new(2026, 2, 3).expect("date"), author: author.into() };
    let path = "content/alpha/01-aanleiding.md".to_string();
    let version = |show_authors, author: &str| VersionInfo {
        slug: "v2".into(),
        last_changes: [(path.clone(), change(author))].into(),
        diffs: [(path.clone(), "d-1".to_string())].into(),
        show_authors,
    };
    let versions = [None, Some(version(true, "A. de Vries <a@x>")), Some(version(false, "")), Some(version(true, ""))];
    let bodies = [body(), Rendered { title_id: None, ..body() }, Rendered::default()];
    let mut pages = 0;
    for language in [Language::Nl, Language::En] {
        let c = config(language);
        let theme = builtin(&c);
        assert!(frame::writes_section_pages(&theme));
        let tera = builtin(&c).through_templates();
        assert!(!frame::writes_section_pages(&tera));
        for (mode, version, plan, body) in combinations(&versions, &plans, &bodies) {
            let site = SiteInfo { version: version.as_ref(), ..site(&c, mode) };
            let nav = plan_nav(plan);
            for s in plan.all_sections() {
                let page = |theme| section_page(theme, &site, plan, &nav, s, body);
                let (code, tera) = (page(&theme).expect("written"), page(&tera).expect("rendered"));
                assert!(code == tera, "{} ({language:?}, {mode:?}):\n{}", s.rel, first_difference(&code, &tera));
                pages += 1;
            }
        }
    }
    assert_eq!(pages, 2 * 2 * 4 * 2 * 3 * plan().all_sections().len());
}

/// Three plans that differ in every way a plan's own page shows: one with every fact and
/// deadlines of every kind, one with nothing set (a draft), and a concept plan without
/// sections whose evaluation has passed.
fn varied_plans() -> Vec<Plan> {
    use crate::model::{ActionStatus, Risk};
    let action = |id: Option<&str>, who: Option<&str>, due: (i32, u8, u8), status| Action {
        id: id.map(Into::into),
        what: "Gesprek <voeren> & \"vastleggen\"".into(),
        who: who.map(Into::into),
        due: Date::new(due.0, due.1, due.2),
        status,
    };
    let mut plans = vec![plan(), plan(), plan()];
    plans[0].meta.risk = Some(Risk::Hoog);
    plans[0].meta.start = Date::new(2026, 1, 5);
    plans[0].meta.end = Date::new(2026, 12, 31);
    plans[0].sections[0].meta.actions.extend([
        action(None, None, (2026, 3, 4), ActionStatus::Lopend),
        action(Some("A2"), Some("politie"), (2026, 2, 1), ActionStatus::Open),
        action(Some("A3"), Some("om"), (2026, 3, 20), ActionStatus::Gereed),
        action(Some("A4"), Some(""), (2026, 5, 1), ActionStatus::Open),
    ]);
    plans[1].meta = PlanMeta { draft: true, group: Some(String::new()), ..Default::default() };
    plans[1].sections[0].meta.actions.clear();
    plans[2].sections.clear();
    plans[2].meta.status = Some(Status::Concept);
    plans[2].meta.evaluation = Date::new(2026, 2, 1);
    plans
}

/// The plan overviews `overview` writes are, byte for byte, those of the built-in templates:
/// a plan with every fact and deadlines of every kind, one with none set (a draft), and a
/// concept plan without sections whose evaluation has passed; in both languages, published
/// and previewed, plain and versioned, with and without an introduction.
#[test]
fn plan_overviews_written_in_code_are_those_of_the_templates() {
    let plans = varied_plans();
    let versions = [None, Some(VersionInfo { slug: "v3".into(), ..Default::default() })];
    let bodies = [body(), Rendered::default()];
    let mut pages = 0;
    for language in [Language::Nl, Language::En] {
        let c = config(language);
        let theme = builtin(&c);
        assert!(overview::writes_overviews(&theme));
        let tera = builtin(&c).through_templates();
        assert!(!overview::writes_overviews(&tera));
        for (mode, version, plan, body) in combinations(&versions, &plans, &bodies) {
            let site = SiteInfo { version: version.as_ref(), ..site(&c, mode) };
            let nav = plan_nav(plan);
            let page = |theme| plan_page(theme, &site, 0, plan, &nav, body);
            let (code, tera) = (page(&theme).expect("written"), page(&tera).expect("rendered"));
            assert!(code == tera, "{} ({language:?}, {mode:?}):\n{}", plan.title, first_difference(&code, &tera));
            pages += 1;
        }
    }
    assert_eq!(pages, 2 * 2 * 2 * 3 * 2);
}

/// The print editions whose page `print_frame` writes are, byte for byte, those of the
/// built-in template, for the plans and settings of the overviews' test.
#[test]
fn print_editions_written_in_code_are_those_of_the_templates() {
    let plans = varied_plans();
    let versions = [None, Some(VersionInfo { slug: "v3".into(), ..Default::default() })];
    let mut editions = 0;
    for language in [Language::Nl, Language::En] {
        let c = config(language);
        let theme = builtin(&c);
        assert!(print_frame::writes_print_editions(&theme));
        let tera = builtin(&c).through_templates();
        assert!(!print_frame::writes_print_editions(&tera));
        for (mode, version, plan, _) in combinations(&versions, &plans, &[()]) {
            let site = SiteInfo { version: version.as_ref(), ..site(&c, mode) };
            let outs: Vec<String> = plan.all_sections().iter().map(|s| format!("alpha/{}", s.output_rel())).collect();
            let parts: Vec<PrintPart> = std::iter::once((None, "alpha/index.html"))
                .chain(plan.all_sections().into_iter().map(Some).zip(outs.iter().map(String::as_str)))
                .map(|(section, out)| PrintPart { section, out, html: body().html, spans: None })
                .collect();
            let edition = |theme| print_edition(theme, &site, 0, plan, &parts, None);
            let (code, tera) = (edition(&theme).expect("written"), edition(&tera).expect("rendered"));
            let title = &plan.title;
            assert!(
                code.html == tera.html,
                "{title} ({language:?}, {mode:?}):\n{}",
                first_difference(&code.html, &tera.html)
            );
            assert_eq!(code.texts, tera.texts);
            editions += 1;
        }
    }
    assert_eq!(editions, 2 * 2 * 2 * 3);
}

/// Every (mode, version, plan, body) of the lists.
fn combinations<'a, V, P, B>(
    versions: &'a [V],
    plans: &'a [P],
    bodies: &'a [B],
) -> impl Iterator<Item = (Mode, &'a V, &'a P, &'a B)> {
    [Mode::Publish, Mode::Preview].into_iter().flat_map(move |m| {
        versions.iter().flat_map(move |v| plans.iter().flat_map(move |p| bodies.iter().map(move |b| (m, v, p, b))))
    })
}

/// Where two texts part, with some of each from there.
fn first_difference(a: &str, b: &str) -> String {
    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let from = at.saturating_sub(80);
    let show = |s: &str| s.get(from..(at + 80).min(s.len())).unwrap_or("").to_string();
    format!("code:  …{}…\ntera:  …{}…", show(a), show(b))
}

#[test]
fn a_theme_that_overrides_a_template_of_the_section_page_gets_it_from_tera() {
    for (name, at) in [
        ("base.html", "<body"),
        ("plan_base.html", "<div class=\"pb-content\">"),
        ("section.html", "<article class=\"pb-article\">"),
        ("toc.html", "<p class=\"pb-toc__title\">"),
        ("version_bar.html", "<div class=\"pb-versions-bar__inner\">"),
        ("action_row.html", "<tr"),
    ] {
        let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates").join(name);
        let text = std::fs::read_to_string(builtin).expect("built-in template");
        assert!(text.contains(at), "{name}");
        let text = text.replacen(at, &format!("<!-- eigen -->{at}"), 1);
        let (dir, c) = themed(&[(&format!("themes/eigen/templates/{name}"), &text)]);
        let theme = Theme::load(dir.path(), &c).expect("loads");
        let html = {
            let p = plan();
            let nav = plan_nav(&p);
            let s = p.all_sections()[0];
            section_page(&theme, &site(&c, Mode::Publish), &p, &nav, s, &body()).expect("renders")
        };
        let rows_only = name == "action_row.html";
        assert_eq!(frame::writes_section_pages(&theme), rows_only, "{name}");
        assert_eq!(overview::writes_overviews(&theme), rows_only || name == "section.html", "{name}");
        // version_bar.html is in no page of an unversioned handbook.
        assert_eq!(html.contains("<!-- eigen -->"), name != "version_bar.html", "{name}");
    }
}

#[test]
fn a_theme_that_overrides_a_template_of_the_overview_or_the_print_edition_gets_it_from_tera() {
    for name in ["print.html", "action_counts.html", "timeline.html", "base.html", "version_bar.html"] {
        let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates").join(name);
        let text = std::fs::read_to_string(builtin).expect("built-in template");
        let (dir, c) = themed(&[(&format!("themes/eigen/templates/{name}"), &text)]);
        assert!(!print_frame::writes_print_editions(&Theme::load(dir.path(), &c).expect("loads")), "{name}");
    }
    for name in ["plan.html", "action_counts.html", "action_due.html", "timeline.html", "base.html"] {
        let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates").join(name);
        let text = std::fs::read_to_string(builtin).expect("built-in template");
        let (dir, c) = themed(&[(&format!("themes/eigen/templates/{name}"), &text)]);
        let theme = Theme::load(dir.path(), &c).expect("loads");
        assert!(!overview::writes_overviews(&theme), "{name}");
        let p = plan();
        let html = plan_page(&theme, &site(&c, Mode::Publish), 0, &p, &plan_nav(&p), &body()).expect("renders");
        assert!(html.contains("<section class=\"pb-dashboard\""), "{name}");
    }
}

#[test]
fn the_built_in_templates_are_parsed_when_a_page_first_needs_them_and_a_themes_own_at_load() {
    let c = config(Language::Nl);
    let theme = builtin(&c);
    assert!(!theme.is_parsed(), "nothing rendered, nothing parsed");
    not_found_page(&theme, &site(&c, Mode::Publish)).expect("404");
    assert!(theme.is_parsed());
    let (dir, c) = themed(&[("themes/eigen/templates/404.html", "eigen")]);
    assert!(Theme::load(dir.path(), &c).expect("loads").is_parsed());
}
