//! Rendering tests: headings, links, raw HTML, footnotes.

mod blanks;
mod fidelity;
mod personal;

use super::*;

/// A page at `plan/04-x/a.md` in a small plan, with `NAAM GROEP` filled.
pub struct Page {
    pub links: LinkIndex,
    pub mode: Mode,
    pub allow_raw_html: bool,
    pub allow_remote_images: bool,
    pub source_rel: &'static str,
    pub page_out: &'static str,
    pub lang: crate::config::Language,
    pub title: PageTitle<'static>,
}

/// The labels the pipeline hands the renderer for `lang`.
pub fn labels(lang: crate::config::Language) -> Labels {
    let t = |key| crate::i18n::ui_string(lang, key);
    Labels {
        blank: t("mark_blank"),
        choice: t("mark_choice"),
        footnotes: t("footnotes"),
        footnote_back: t("footnote_back"),
        personal: t("mark_personal"),
        table: t("table_region"),
    }
}

impl Page {
    pub fn new() -> Self {
        let mut links = LinkIndex::default();
        for (k, v) in [
            ("plan/_index.md", "plan/index.html"),
            ("plan/01-b.md", "plan/01-b.html"),
            ("plan/04-x/a.md", "plan/04-x/a.html"),
            ("plan/04-x/c.md", "plan/04-x/c.html"),
            ("plan/04-x", "plan/04-x/index.html"),
            ("plan/04-x/", "plan/04-x/index.html"),
            ("plan/04-x/_index.md", "plan/04-x/index.html"),
        ] {
            links.pages.insert(k.into(), PageRef::Visible(v.into()));
        }
        links.pages.insert("plan/geheim.md".into(), PageRef::Removed);
        links.files.insert("plan/img/kaart.png".into());
        links.files.insert("plan/04-x/bijlage.pdf".into());
        Page {
            links,
            mode: Mode::Publish,
            allow_raw_html: false,
            allow_remote_images: false,
            source_rel: "plan/04-x/a.md",
            page_out: "plan/04-x/a.html",
            lang: crate::config::Language::Nl,
            title: PageTitle::Set("Pagina"),
        }
    }

    pub fn render(&self, text: &str) -> Rendered {
        let fill = |name: &str| match name {
            "NAAM GROEP" => Some("De <Haven> & co".to_string()),
            _ => None,
        };
        let labels = labels(self.lang);
        let cx = RenderContext {
            mode: self.mode,
            allow_raw_html: self.allow_raw_html,
            allow_remote_images: self.allow_remote_images,
            file: Path::new("content/plan/04-x/a.md"),
            body_line: 5,
            source_rel: self.source_rel,
            page_out: self.page_out,
            links: &self.links,
            placeholder: &fill,
            labels: &labels,
            title: self.title,
            privacy: None,
        };
        render(text, &cx)
    }
}

pub fn html(text: &str) -> String {
    Page::new().render(text).html
}

/// (lint name, line, column) of each finding.
pub fn found(r: &Rendered) -> Vec<(&'static str, u32, u32)> {
    r.diagnostics.iter().map(|d| (d.name, d.line, d.column)).collect()
}

#[test]
fn heading_ids_fold_accents_and_stay_unique() {
    let r = Page::new().render("# Financiën en risico's\n\n## Doelen\n\n## Doelen\n\n## Doelen\n\n## Doelen {#eigen .klasse}\n\n### <NAAM GROEP>\n");
    let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["financien-en-risicos", "doelen", "doelen-1", "doelen-2", "eigen", "de-haven-co"]);
    assert!(
        r.html.contains("<h1 id=\"financien-en-risicos\">Financiën en risico&#39;s</h1>")
            || r.html.contains("<h1 id=\"financien-en-risicos\">Financiën en risico's</h1>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<h2 id=\"eigen\" class=\"klasse\">Doelen</h2>"), "{}", r.html);
    let last = r.headings.last().unwrap();
    assert_eq!((last.level, last.text.as_str(), last.line), (3, "De <Haven> & co", 15));
    assert_eq!(r.headings[0].line, 5);
}

#[test]
fn generated_ids_avoid_explicit_and_footnote_ids() {
    let r = Page::new().render("# Doelen\n\n# Later {#doelen-1}\n\n# Doelen\n\n# Fn 1\n\nTekst[^a].\n\n[^a]: Noot.\n");
    let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    // Ids are handed out in reading order: the heading came first, so the note steps aside.
    assert_eq!(ids, ["doelen", "doelen-1", "doelen-2", "fn-1"]);
    assert!(r.html.contains("<li id=\"fn-1-1\">"), "{}", r.html);
    let r = Page::new().render("Tekst[^a].\n\n# Fn 1\n\n[^a]: Noot.\n");
    assert_eq!(r.headings[0].id, "fn-1-1");
    assert!(r.html.contains("<li id=\"fn-1\">"), "{}", r.html);
    assert_all_fragments_exist(&r.html);
}

#[test]
fn heading_attributes_cannot_carry_scripts() {
    let r = Page::new().render("# Kop {#k onclick=alert(1) lang=nl}\n");
    assert!(!r.html.contains("onclick"), "{}", r.html);
    assert!(r.html.contains("lang=\"nl\""), "{}", r.html);
    let mut page = Page::new();
    page.allow_raw_html = true;
    assert!(page.render("# Kop {onclick=x}\n").html.contains("onclick"));
}

#[test]
fn links_to_pages_are_rewritten_relative_to_the_page() {
    let h =
        html("[b](../01-b.md) [c](c.md#anker) [self](./a.md) [map](../04-x/) [map2](../04-x) [start](../_index.md)");
    for part in [
        "href=\"../01-b.html\"",
        "href=\"c.html#anker\"",
        "href=\"a.html\"",
        "href=\"index.html\"",
        "href=\"../index.html\"",
    ] {
        assert!(h.contains(part), "{part} missing in {h}");
    }
    let mut page = Page::new();
    (page.source_rel, page.page_out) = ("plan/01-b.md", "plan/01-b.html");
    let h = page.render("[a](04-x/a.md#kop) [map](04-x/)").html;
    assert!(h.contains("href=\"04-x/a.html#kop\"") && h.contains("href=\"04-x/index.html\""), "{h}");
}

#[test]
fn links_that_stay_as_written() {
    let h = html("[w](https://example.nl/x?a=1) [m](mailto:a@b.nl) [t](tel:+3110) [k](#kop) <https://example.nl> <naam@domein.nl>");
    for part in [
        "href=\"https://example.nl/x?a=1\"",
        "href=\"mailto:a@b.nl\"",
        "href=\"tel:+3110\"",
        "href=\"#kop\"",
        ">https://example.nl</a>",
        "href=\"mailto:naam@domein.nl\"",
    ] {
        assert!(h.contains(part), "{part} missing in {h}");
    }
}

#[test]
fn link_to_removed_section_is_plain_text_with_a_warning() {
    let r = Page::new().render("Zie\n\nde [geheime aanpak](../geheim.md#x) hier.\n");
    assert!(r.html.contains("de geheime aanpak hier."), "{}", r.html);
    assert!(!r.html.contains("<a") && !r.html.contains("geheim.md") && !r.html.contains("geheim.html"), "{}", r.html);
    assert_eq!(found(&r), [("link-to-removed-section", 7, 4)]);
}

#[test]
fn missing_link_is_an_error_at_its_place() {
    let r = Page::new().render("Tekst\nen nog é [weg](nergens.md) en [ver](../../../x.md).\n");
    assert_eq!(found(&r), [("broken-link", 6, 10), ("broken-link", 6, 31)]);
    assert!(r.diagnostics.iter().all(|d| d.is_error()));
    assert!(r.html.contains("en nog é weg en ver."), "{}", r.html);
    let mut page = Page::new();
    page.mode = Mode::Preview;
    assert!(page.render("[weg](nergens.md)").html.contains("<span class=\"pb-broken-link\">weg</span>"));
}

#[test]
fn files_are_linked_and_collected() {
    let r = Page::new()
        .render("![kaart](../img/kaart.png) [pdf](bijlage.pdf#page=2) ![weg](img/weg.png) [pdf](bijlage.pdf)");
    assert!(r.html.contains("<img src=\"../img/kaart.png\" alt=\"kaart\""), "{}", r.html);
    assert!(r.html.contains("href=\"bijlage.pdf#page=2\""), "{}", r.html);
    assert_eq!(r.assets, ["plan/img/kaart.png", "plan/04-x/bijlage.pdf"]);
    assert_eq!(found(&r), [("broken-link", 5, 54)]);
    assert!(!r.html.contains("weg.png"));
}

#[test]
fn unsafe_schemes_are_removed_even_when_raw_html_is_allowed() {
    let text =
        "[a](javascript:alert(1)) [b](< JaVa\tScRiPt:x>) [c](data:text/html,x) ![d](vbscript:x) <javascript:alert(1)>";
    let r = Page::new().render(text);
    assert_eq!(r.html, "<p>a b c d javascript:alert(1)</p>\n");
    assert_eq!(r.diagnostics.len(), 5);
    assert!(r.diagnostics.iter().all(|d| d.name == "unsafe-url"));
    // Trusting raw HTML is not trusting script URLs in Markdown links and images.
    let mut page = Page::new();
    page.allow_raw_html = true;
    let r = page.render(text);
    assert_eq!(r.html, "<p>a b c d javascript:alert(1)</p>\n");
    assert!(r.diagnostics.len() == 5 && r.diagnostics.iter().all(|d| d.name == "unsafe-url"));
}

#[test]
fn remote_images_become_links_and_external_links_send_no_referrer() {
    let text = "![kaart](https://host.example/t.png) ![](//host.example/p.gif \"t\") [site](https://x.nl/?a=1&b=2) \
                <https://y.nl> [intern](../01-b.md)";
    let r = Page::new().render(text);
    assert!(!r.html.contains("<img"), "{}", r.html);
    for part in [
        "<a href=\"https://host.example/t.png\" rel=\"noreferrer noopener\">kaart</a>",
        "<a href=\"//host.example/p.gif\" title=\"t\" rel=\"noreferrer noopener\">//host.example/p.gif</a>",
        "<a href=\"https://x.nl/?a=1&amp;b=2\" rel=\"noreferrer noopener\">site</a>",
        "<a href=\"https://y.nl\" rel=\"noreferrer noopener\">https://y.nl</a>",
        "<a href=\"../01-b.html\">intern</a>",
    ] {
        assert!(r.html.contains(part), "{part} missing from {}", r.html);
    }
    assert_eq!(found(&r), [("remote-image", 5, 1), ("remote-image", 5, 38)]);
    // Opted in: embedded, without a warning.
    let mut page = Page::new();
    page.allow_remote_images = true;
    let r = page.render("![kaart](https://host.example/t.png)");
    assert!(r.html.contains("<img src=\"https://host.example/t.png\" alt=\"kaart\""), "{}", r.html);
    assert!(r.diagnostics.is_empty());
    // A raw <img> on another host loses its src when raw HTML is cleaned.
    let r = Page::new().render("<img src=\"https://t.example/p.png\" alt=\"p\"> en <img src=\"//t.example/q\">");
    assert!(!r.html.contains("t.example"), "{}", r.html);
    assert_eq!(found(&r), [("remote-image", 5, 1), ("remote-image", 5, 48)]);
    // Raw HTML that is cleaned keeps its links, with the same rel.
    let r = Page::new().render("<a href=\"https://z.nl\">z</a> [w](https://w.nl)");
    assert_eq!(r.html.matches("rel=\"noreferrer noopener\"").count(), 2, "{}", r.html);
}

#[test]
fn inline_html_that_is_safe_stays() {
    let r = Page::new().render("Via <abbr title=\"Zorg Snel Maatwerk\">ZSM</abbr>,<br>druk <kbd>Ctrl</kbd>.\n");
    assert!(r.html.contains("<abbr title=\"Zorg Snel Maatwerk\">ZSM</abbr>"), "{}", r.html);
    assert!(r.html.contains("<br>") && r.html.contains("<kbd>Ctrl</kbd>"), "{}", r.html);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn dangerous_html_is_removed_and_noted() {
    let text = "Tekst\n\n<script>alert(1)</script>\n\nA <img src=x onerror=alert(1)> en <a href=\"javascript:x\">b</a>.\n\n<iframe src=\"x\"></iframe>\n";
    let r = Page::new().render(text);
    for gone in ["<script", "alert(1)</", "onerror", "javascript", "<iframe"] {
        assert!(!r.html.contains(gone), "{gone} left in {}", r.html);
    }
    let notes: Vec<_> = r.diagnostics.iter().map(|d| (d.name, d.line, d.severity)).collect();
    assert!(notes.iter().all(|(n, _, s)| *n == "raw-html-sanitized" && *s == crate::diag::Severity::Info), "{notes:?}");
    assert_eq!(notes.iter().map(|n| n.1).collect::<Vec<_>>(), [7, 9, 9, 11]);
    assert!(r.diagnostics[0].message.contains("<script> element"), "{}", r.diagnostics[0].message);
}

#[test]
fn raw_html_passes_when_allowed() {
    let mut page = Page::new();
    page.allow_raw_html = true;
    let r = page.render("<div onclick=\"x()\">a</div>\n\n<script>go()</script>\n");
    assert!(r.html.contains("<div onclick=\"x()\">") && r.html.contains("<script>go()</script>"), "{}", r.html);
    assert!(r.diagnostics.is_empty());
}

#[test]
fn markdown_extensions() {
    let h = html("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] klaar\n- [ ] open\n\n~~weg~~\n");
    assert!(
        h.contains("<th style=\"text-align: left\">a</th>") && h.contains("<td style=\"text-align: right\">2</td>"),
        "{h}"
    );
    assert!(h.contains("checked") && h.contains("<del>weg</del>"), "{h}");
    // A section with raw HTML goes through the sanitizer, which must keep all of this.
    let h = html("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] klaar\n\n~~weg~~ <b>x</b>[^1]\n\n# Kop {.c}\n\n[^1]: n\n");
    for part in [
        "text-align:left",
        "text-align:right",
        "checked",
        "<del>weg</del>",
        "<b>x</b>",
        "id=\"fn-1\"",
        "href=\"#fnref-1\"",
        "class=\"c\"",
        "id=\"kop\"",
    ] {
        assert!(h.contains(part), "{part} missing in {h}");
    }
}

#[test]
fn footnotes_are_numbered_prefixed_and_linked_both_ways() {
    let r = Page::new()
        .render("Een[^b] twee[^a] drie[^b] vier[^zz].\n\n[^a]: Noot A.\n[^b]: Noot B.\n[^weg]: Nooit gebruikt.\n");
    let h = &r.html;
    assert!(
        h.contains("<a href=\"#fn-1\" id=\"fnref-1\">1</a>") && h.contains("<a href=\"#fn-2\" id=\"fnref-2\">2</a>"),
        "{h}"
    );
    assert!(h.contains("<a href=\"#fn-1\" id=\"fnref-1-2\">1</a>"), "{h}");
    assert!(h.contains("vier[^zz]") && !h.contains("Nooit gebruikt"), "{h}");
    let b = h.find("Noot B").unwrap();
    assert!(b < h.find("Noot A").unwrap(), "numbered by first reference: {h}");
    assert!(h.contains("href=\"#fnref-1-2\" class=\"footnote-backref\""), "{h}");
    assert_all_fragments_exist(h);
}

#[test]
fn footnotes_defined_first_or_referring_to_each_other() {
    let r = Page::new().render("[^b]: Zie ook[^c].\n\nTekst[^b].\n\n[^c]: Derde <AANTAL>.\n");
    let h = &r.html;
    assert!(h.contains("<li id=\"fn-1\">") && h.contains("<li id=\"fn-2\">"), "{h}");
    assert!(h.find("Zie ook").unwrap() < h.find("Derde").unwrap(), "{h}");
    assert_eq!(found(&r), [("unfilled-placeholder", 9, 13)]);
    assert_all_fragments_exist(h);
}

/// Every `href="#x"` has an `id="x"` on the page.
pub fn assert_all_fragments_exist(html: &str) {
    for part in html.split("href=\"#").skip(1) {
        let target = part.split('"').next().unwrap();
        assert!(html.contains(&format!("id=\"{target}\"")), "no id for #{target} in {html}");
    }
}

#[test]
fn first_heading_skips_code() {
    assert_eq!(first_heading("```\n# no\n```\n# Ja\n").as_deref(), Some("Ja"));
    assert_eq!(first_heading("tekst\n## twee\n"), None);
    // As the renderer reads it: markup and attributes out, longer fences, setext headings.
    assert_eq!(first_heading("# **Doel** {#eigen}\n").as_deref(), Some("Doel"));
    assert_eq!(first_heading("````\n```\n# Nee\n````\nKop\n===\n").as_deref(), Some("Kop"));
    assert_eq!(first_heading("#\n# Plan <NAAM GROEP>\n").as_deref(), Some("Plan <NAAM GROEP>"));
}

#[test]
fn marks_and_footnotes_are_labelled_in_the_ui_language() {
    let text = "Er zijn <AANTAL> jongeren.[^1] Het is [laag] of [hoog].\n\n[^1]: Bron.\n";
    let nl = Page::new().render(text).html;
    assert!(nl.contains("title=\"Nog in te vullen: ") && nl.contains("aria-label=\"Voetnoten\""), "{nl}");
    let en = Page { lang: crate::config::Language::En, mode: Mode::Preview, ..Page::new() }.render(text).html;
    assert!(en.contains("title=\"To be filled in: ") && en.contains("title=\"Choice still to be made\""), "{en}");
    assert!(en.contains("aria-label=\"Footnotes\"") && en.contains("Back to the text"), "{en}");
}
