//! Accessibility of the built handbook (WCAG 2.1 AA) that can be read from the files: the
//! landmarks, the skip link, one h1, labelled navigation, the current page marked, images with
//! alt text, the page language, and the contrast of every colour pair the theme declares.

use crate::common::{files, Repo};
use std::collections::HashMap;
use std::path::Path;

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

/// The landmarks and navigation aids every page must have.
fn check_page(rel: &str, html: &str, lang: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut need = |ok: bool, what: &str| {
        if !ok {
            problems.push(format!("{rel}: {what}"));
        }
    };
    need(html.contains(&format!("<html lang=\"{lang}\">")), "page language");
    let body = html.split_once("<body").map_or("", |(_, b)| b);
    let first = body.split_once('>').map_or("", |(_, b)| b).trim_start();
    need(first.starts_with("<a class=\"pb-skip\" href=\"#pb-main\">"), "the skip link comes first");
    need(count(html, "<main id=\"pb-main\"") == 1 && count(html, "<main") == 1, "one main landmark, the skip target");
    need(count(html, "<header") >= 1 && count(html, "<footer") >= 1, "header and footer landmarks");
    need(count(html, "<h1") == 1, "exactly one h1");
    for nav in html.split("<nav").skip(1) {
        let open = nav.split_once('>').map_or("", |(o, _)| o);
        need(open.contains("aria-label=\""), "every nav has a label");
    }
    for img in html.split("<img").skip(1) {
        let open = img.split_once('>').map_or("", |(o, _)| o);
        need(open.contains(" alt=\""), "every image has an alt attribute");
    }
    let title = html.split_once("<title>").and_then(|(_, t)| t.split_once("</title>")).map_or("", |(t, _)| t);
    need(!title.trim().is_empty(), "a title");
    problems
}

#[test]
fn every_page_has_landmarks_a_skip_link_and_one_h1() {
    let repo = Repo::example();
    // With the template plan (a draft), whose guidance and blanks are shown in its pages.
    repo.run(&["build", "--drafts", "--audience", "vertrouwelijk"]).assert_code(0);
    let english = Repo::example();
    let config = std::fs::read_to_string(english.path().join("planboek.toml")).expect("config");
    english.write("planboek.toml", config.replace("language = \"nl\"", "language = \"en\""));
    english.run(&["build", "--drafts"]).assert_code(0);
    let versioned = Repo::versioned_example();
    let mut problems = Vec::new();
    let mut pages = 0;
    for (site, lang) in [(repo.site(), "nl"), (english.site(), "en"), (versioned.site(), "nl")] {
        for rel in files(&site).into_iter().filter(|f| f.extension().is_some_and(|e| e == "html")) {
            let html = std::fs::read_to_string(site.join(&rel)).expect("page");
            problems.extend(check_page(&rel.to_string_lossy(), &html, lang));
            pages += 1;
        }
    }
    assert!(pages > 130, "{pages} pages checked");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_current_section_is_marked_in_the_sidebar_and_breadcrumbs() {
    let repo = Repo::example();
    repo.run(&["build"]).assert_code(0);
    let plan = repo.site().join("jeugdgroep-kadepoort");
    // The print edition is one page without the handbook's navigation.
    let pages = files(&plan)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html") && *f != Path::new("print.html"));
    for rel in pages {
        let html = std::fs::read_to_string(plan.join(&rel)).expect("page");
        let dir = rel.parent().unwrap_or(Path::new(""));
        let current = |part: &str| -> Vec<std::path::PathBuf> {
            part.split("<a href=\"")
                .skip(1)
                .filter(|a| a.split_once('>').is_some_and(|(open, _)| open.contains("aria-current=\"page\"")))
                .filter_map(|a| a.split('"').next())
                .map(|href| crate::common::crawl::normalize(&dir.join(href)))
                .collect()
        };
        let sidebar = html.split("<nav class=\"pb-sidebar\"").nth(1).and_then(|n| n.split("</nav>").next());
        let crumbs = html.split("<nav class=\"pb-breadcrumbs\"").nth(1).and_then(|n| n.split("</nav>").next());
        for (name, part) in [("sidebar", sidebar), ("breadcrumbs", crumbs)] {
            let marked = current(part.unwrap_or_else(|| panic!("{}: no {name}", rel.display())));
            assert_eq!(marked, std::slice::from_ref(&rel), "{}: the {name} marks the page itself, once", rel.display());
        }
    }
}

/// `#rgb` or `#rrggbb` as channels in 0..=1.
fn hex(colour: &str) -> Option<[f64; 3]> {
    let h = colour.strip_prefix('#')?;
    let h: String = if h.len() == 3 { h.chars().flat_map(|c| [c, c]).collect() } else { h.to_string() };
    if h.len() != 6 {
        return None;
    }
    let ch = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok().map(|v| f64::from(v) / 255.0);
    Some([ch(0)?, ch(2)?, ch(4)?])
}

/// WCAG 2.1 contrast ratio of two colours.
fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let lum = |c: [f64; 3]| {
        let l = |v: f64| if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
        0.2126 * l(c[0]) + 0.7152 * l(c[1]) + 0.0722 * l(c[2])
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The rule blocks of a stylesheet for the screen, as (selector, declarations); `@media
/// print` is left out (black on white), other `@media` blocks are opened.
fn screen_rules(css: &str) -> Vec<(String, String)> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = rest[i..].split_once("*/").map_or("", |(_, r)| r);
    }
    text.push_str(rest);
    let mut rules = Vec::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        let selector = rest[..open].trim().to_string();
        if selector.starts_with("@media") {
            let body = &rest[open + 1..];
            let end = closing(body);
            if !selector.contains("print") {
                rules.extend(screen_rules(&body[..end]));
            }
            rest = body.get(end + 1..).unwrap_or("");
            continue;
        }
        let body = &rest[open + 1..];
        let close = body.find('}').unwrap_or(body.len());
        rules.push((selector, body[..close].to_string()));
        rest = body.get(close + 1..).unwrap_or("");
    }
    rules
}

/// Index of the brace closing a block whose body starts at `s`.
fn closing(s: &str) -> usize {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    s.len()
}

fn declarations(block: &str) -> HashMap<String, String> {
    block
        .split(';')
        .filter_map(|d| d.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

#[test]
fn every_declared_text_colour_has_aa_contrast() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    let mut rules = Vec::new();
    for name in ["planboek.css", "versions.css"] {
        rules.extend(screen_rules(&std::fs::read_to_string(dir.join(name)).expect("css")));
    }
    let vars: HashMap<String, String> =
        rules.iter().filter(|(s, _)| s == ":root").flat_map(|(_, b)| declarations(b)).collect();
    let resolve = |v: &str| -> Option<[f64; 3]> {
        let v = v.split_whitespace().next()?;
        match v.strip_prefix("var(").and_then(|r| r.strip_suffix(')')) {
            Some(name) => hex(vars.get(name)?),
            None if v == "#fff" || v == "white" => hex("#ffffff"),
            None => hex(v),
        }
    };
    let mut pairs = Vec::new();
    for (selector, block) in &rules {
        let d = declarations(block);
        let background = d.get("background-color").or_else(|| d.get("background"));
        if let (Some(fg), Some(bg)) = (d.get("color"), background) {
            if let (Some(f), Some(b)) = (resolve(fg), resolve(bg)) {
                pairs.push((selector.clone(), fg.clone(), bg.clone(), contrast(f, b)));
            }
        }
    }
    // Text drawn on the page's backgrounds without a rule naming both.
    for fg in ["--pb-text", "--pb-muted", "--pb-link", "--pb-visited", "--pb-blue", "--pb-blue-dark"] {
        for bg in ["#fff", "var(--pb-soft)", "#fafbfc", "#fff8e1", "#e8f0fb"] {
            let f = resolve(&format!("var({fg})")).expect("variable");
            let b = resolve(bg).expect("background");
            pairs.push((format!("{fg} on {bg}"), fg.into(), bg.into(), contrast(f, b)));
        }
    }
    assert!(pairs.len() > 30, "{} pairs found; is the stylesheet parsed?", pairs.len());
    let low: Vec<_> = pairs.iter().filter(|p| p.3 < 4.5).collect();
    assert!(low.is_empty(), "below 4.5:1: {low:#?}");
}
