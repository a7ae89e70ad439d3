//! Rendering tests for template blanks, code, CRLF input and hostile input.

use super::{assert_all_fragments_exist, found, html, Page};
use crate::markdown::*;

fn preview(text: &str) -> Rendered {
    let mut page = Page::new();
    page.mode = Mode::Preview;
    page.render(text)
}

#[test]
fn placeholders_are_filled_as_escaped_text() {
    let r = Page::new().render("De groep <NAAM GROEP> en <NAAM\tGROEP>.\n");
    assert_eq!(r.html, "<p>De groep De &lt;Haven&gt; &amp; co en De &lt;Haven&gt; &amp; co.</p>\n");
    assert!(r.diagnostics.is_empty());
}

#[test]
fn unfilled_placeholder_is_marked_and_reported_at_its_place() {
    let r = Page::new().render("Eerste regel.\nTweede regel.\nDerde: wel <AANTAL> jongeren, <AANTAL> keer.\n");
    assert_eq!(found(&r), [("unfilled-placeholder", 7, 12), ("unfilled-placeholder", 7, 31)]);
    assert!(
        r.html.contains("<mark class=\"pb-blank\" title=\"Nog in te vullen: AANTAL\">AANTAL</mark> jongeren"),
        "{}",
        r.html
    );
    let p = preview("<AANTAL>");
    assert!(p.html.contains("<mark class=\"pb-blank pb-blank--preview\""), "{}", p.html);
}

#[test]
fn placeholders_never_vanish() {
    for text in [
        "<NAAM GEMEENTE>",
        "<AANTAL>",
        "<INVOEGEN>",
        "<invoegen>",
        "<GEEF EEN TOELICHTING WAAROM>",
        "- <DATUM>",
        "| <WIJK> |\n|---|\n| x |",
    ] {
        let r = Page::new().render(text);
        assert!(r.html.contains("class=\"pb-blank\""), "{text}: {}", r.html);
        assert_eq!(r.diagnostics.len(), 1, "{text}");
    }
}

#[test]
fn guidance_is_left_out_of_publish_and_shown_in_preview() {
    let text = "Aanleiding\n\n<Beschrijf het probleem en beantwoord de vragen:>\n\n<Beschrijf hoe jullie als partners de groep duiden>.\n\nGekomen… <vertel wat de incidenten zijn> en < Beschrijf hoe je monitort>.\n";
    let r = Page::new().render(text);
    assert_eq!(r.html, "<p>Aanleiding</p>\n<p>Gekomen…  en .</p>\n");
    assert_eq!(
        found(&r),
        [("guidance-left", 7, 1), ("guidance-left", 9, 1), ("guidance-left", 11, 10), ("guidance-left", 11, 45)]
    );
    let p = preview(text);
    assert!(
        p.html.contains(
            "<p><span class=\"pb-guidance\" role=\"note\">Beschrijf het probleem en beantwoord de vragen:</span></p>"
        ),
        "{}",
        p.html
    );
    assert!(
        p.html.contains("<span class=\"pb-guidance\" role=\"note\">vertel wat de incidenten zijn</span>"),
        "{}",
        p.html
    );
    assert_eq!(p.diagnostics.len(), 4);
    let r = Page::new().render("## <Beschrijf de rol>\n\n## Rollen <Beschrijf ze>\n");
    assert_eq!(r.html, "<h2 id=\"rollen\">Rollen </h2>\n");
    assert_eq!(r.headings.len(), 1);
}

#[test]
fn choices_are_reported_and_marked_in_preview() {
    let text = "De groep is [midden-risico] of [hoog risico.] <GEEF TOELICHTING>\n";
    let r = Page::new().render(text);
    assert!(r.html.starts_with("<p>De groep is [midden-risico] of [hoog risico.] <mark"), "{}", r.html);
    assert_eq!(found(&r), [("undecided-choice", 5, 13), ("unfilled-placeholder", 5, 47)]);
    let p = preview(text);
    assert!(
        p.html.contains(
            "<mark class=\"pb-choice\" title=\"Keuze nog te maken\">[midden-risico] of [hoog risico.]</mark>"
        ),
        "{}",
        p.html
    );
    assert!(html("- [ ] of [x] taak\n\n[a] of [b](../01-b.md)").contains("checkbox"));
}

#[test]
fn code_is_left_untouched() {
    let text = "`<NAAM GROEP>` en `[a] of [b]`\n\n```\n<Beschrijf iets>\n<AANTAL>\n```\n\n    <DATUM> [a] of [b]\n\n~~~ <INFO>\nx\n~~~\n";
    let r = preview(text);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(r.html.contains("<code>&lt;NAAM GROEP&gt;</code> en <code>[a] of [b]</code>"), "{}", r.html);
    assert!(r.html.contains("<pre><code>&lt;Beschrijf iets&gt;\n&lt;AANTAL&gt;\n</code></pre>"), "{}", r.html);
    assert!(r.html.contains("<pre><code>&lt;DATUM&gt; [a] of [b]\n</code></pre>"), "{}", r.html);
}

#[test]
fn blanks_in_headings_alt_text_and_html_blocks() {
    let r = Page::new().render("## Groep <NAAM GROEP> <Beschrijf kort>\n\n![kaart van <WIJK>](../img/kaart.png)\n\n<div class=\"x\" title=\"<NAAM>\">\n<WIJK> <!-- <DATUM> -->\n</div>\n");
    assert_eq!(r.headings[0].text, "Groep De <Haven> & co");
    assert_eq!(r.headings[0].id, "groep-de-haven-co");
    assert!(r.html.contains("alt=\"kaart van WIJK\""), "{}", r.html);
    assert!(r.html.contains("<mark class=\"pb-blank\" title=\"Nog in te vullen: WIJK\">WIJK</mark>"), "{}", r.html);
    assert_eq!(
        found(&r).iter().map(|f| f.0).collect::<Vec<_>>(),
        ["guidance-left", "unfilled-placeholder", "unfilled-placeholder"]
    );
    // Inside a tag or a comment a blank is left as written (and the sanitizer escapes it).
    assert!(r.html.contains("title=\"&lt;NAAM&gt;\""), "{}", r.html);
}

#[test]
fn escaped_and_lookalike_brackets() {
    assert_eq!(html("\\<NAAM> a < b en c > d <<NAAM>> <> < >"), "<p>&lt;NAAM&gt; a &lt; b en c &gt; d &lt;<mark class=\"pb-blank\" title=\"Nog in te vullen: NAAM\">NAAM</mark>&gt; &lt;&gt; &lt; &gt;</p>\n");
}

#[test]
fn titles_are_filled_as_plain_text() {
    let fill = |name: &str| (name == "NAAM GROEP").then(|| "De <Haven>".to_string());
    assert_eq!(fill_placeholders("Plan <NAAM GROEP> in <GEMEENTE>", &fill), "Plan De <Haven> in <GEMEENTE>");
    assert!(matches!(fill_placeholders("Geen blanks", &fill), std::borrow::Cow::Borrowed(_)));
}

#[test]
fn crlf_input() {
    let text = "# Kop\r\n\r\nRegel een\r\nmet <AANTAL> en [zie](../01-b.md).\r\n\r\n<Beschrijf dit>\r\n";
    let r = Page::new().render(text);
    assert_eq!(found(&r), [("unfilled-placeholder", 8, 5), ("guidance-left", 10, 1)]);
    assert_eq!(r.headings[0].line, 5);
    assert!(r.html.contains("href=\"../01-b.html\"") && !r.html.contains('\r'), "{:?}", r.html);
}

#[test]
fn seed_template_renders_with_every_blank_reported() {
    let seed = "Aanleiding \n<Beschrijf het probleem:> \n· Wat speelt er?\n\nUit de systemen blijkt dat <AANTAL> jongeren bekend zijn. <NEEM EEN BESCHRIJVING OP + een beschrijving van het gebied/de locatie>.\n\nDe gemeente duidt deze groep als [midden-risico] of [hoog risico.]   <GEEF EEN TOELICHTING WAAROM JULLIE DEZE ZO INSCHATTEN>\n\n(geboren in <jaartal, om aan te geven hoe jong ze zijn>). Afspraken met <DRIO>: <invoegen>\n\nPGA[footnoteRef:2] en [bookmark: Begin]\n";
    let r = Page::new().render(seed);
    let names: Vec<_> = found(&r).iter().map(|f| f.0).collect();
    assert_eq!(
        names,
        [
            "guidance-left",
            "unfilled-placeholder",
            "unfilled-placeholder",
            "undecided-choice",
            "unfilled-placeholder",
            "guidance-left",
            "unfilled-placeholder",
            "unfilled-placeholder"
        ]
    );
    assert!(r.html.contains("[footnoteRef:2]") && r.html.contains("[bookmark: Begin]"), "{}", r.html);
}

#[test]
fn hostile_input_never_panics() {
    let deep_list: String = (0..1000).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
    let deep_quote = format!("{} x <NAAM>\n", ">".repeat(1000));
    let table = format!("| a | b |\n|---|---|\n{}", "| <A> | [x] of [y] |\n".repeat(5000));
    // Inputs that would be quadratic with a naive scan.
    let headings = "## Acties\n\n".repeat(3000);
    let chain = format!("{}[b](x.md)", "[a] of ".repeat(20000));
    let long_line = "tekst <X> [a] of [b] <Beschrijf het> ".repeat(5000);
    let open_brackets = "<a <b [c [d ".repeat(20000);
    let nasty = [
        "<",
        ">",
        "<>",
        "< >",
        "<<NAAM>>",
        "<NAAM",
        "\u{E000}",
        "\u{E001}",
        "\u{E000}0\u{E001}",
        "&#xE000;0&#xE001; <X>",
        "a\u{E000}99999999999999999999\u{E001}b <X>",
        "🎉 <NAAM 🎉> [🎉] of [🎉]",
        "שלום <ברוך הבא> مرحبا",
        "\r\n\r",
        "\r",
        "[^]: x\n[^]",
        "[^a]: [^a]\n\nx[^a]",
        "[^a]: ![x[^a]](y.png)\n\nx[^a]",
        "![a[^1]](../img/kaart.png)[^1]\n\n[^1]: n",
        "# {#}",
        "# x {#\u{E000}}",
        "[x](<NAAM>)",
        "[x]: <NAAM>\n[x]",
        "<div>\n<NAAM>\n",
        "<!--",
        "<a href=\"",
        "`<A>",
        "[a] of [b",
        "[a] of",
        "\\",
        "é<É>ü",
        "<Ǆ ǅ>",
        "*<NAAM>*",
        "<NAAM>\n===",
        "- [ ] <A>",
        "<details open>\n<summary><A></summary>",
    ];
    let mut page = Page::new();
    for mode in [Mode::Publish, Mode::Preview] {
        page.mode = mode;
        for allow in [false, true] {
            page.allow_raw_html = allow;
            for text in nasty.iter().copied().chain(
                [&deep_list, &deep_quote, &table, &headings, &chain, &long_line, &open_brackets].map(String::as_str),
            ) {
                let r = page.render(text);
                if !allow {
                    assert_all_fragments_exist(&r.html);
                }
            }
        }
    }
}
