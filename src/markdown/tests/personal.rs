//! The personal-data guard in rendered text: positions, runs of text, placeholders, links,
//! raw HTML, tables, the allow comment and marks in preview.

use super::{found, labels, Page};
use crate::markdown::*;
use crate::model::Classification;
use crate::privacy::Allow;
use std::path::Path;

/// Renders `text` as `plan/04-x/a.md` (body from line 5) with the guard on, `TEL` filled.
fn guarded(text: &str, mode: Mode, allow: &[&str]) -> Rendered {
    let page = Page::new();
    let fill = |name: &str| match name {
        "TEL" => Some("06-12345678".to_string()),
        "NAAM GROEP" => Some("De Haven".to_string()),
        _ => None,
    };
    let labels = labels(crate::config::Language::Nl);
    let allow = Allow::from(allow.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let cx = RenderContext {
        mode,
        allow_raw_html: false,
        allow_remote_images: false,
        file: Path::new("content/plan/04-x/a.md"),
        body_line: 5,
        source_rel: page.source_rel,
        page_out: page.page_out,
        links: &page.links,
        placeholder: &fill,
        labels: &labels,
        title: page.title,
        privacy: Some(Privacy { allow: &allow, classification: Classification::Intern }),
    };
    render(text, &cx)
}

fn publish(text: &str) -> Rendered {
    guarded(text, Mode::Publish, &[])
}

#[test]
fn each_kind_at_its_line_and_column_with_a_masked_message() {
    let r = publish(
        "Jongere A heeft BSN 1234.56.782.\n\nGeboren op 12 maart 2009; tel 06 1234 5678.\n\n\
         Mail j.devries@lindewaard.nl, auto 12-ABC-3.\n",
    );
    assert_eq!(
        found(&r),
        [
            ("bsn", 5, 21),
            ("date-of-birth", 7, 12),
            ("phone-number", 7, 31),
            ("personal-email", 9, 6),
            ("licence-plate", 9, 36),
        ]
    );
    let messages: Vec<&str> = r.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages[0], "BSN ****.**.*82 in a section that `intern` readers see");
    assert!(messages[3].contains("j***@lindewaard.nl"), "{}", messages[3]);
    for d in &r.diagnostics {
        assert!(!d.message.contains("12345678") && !d.message.contains("1234.56"), "{}", d.message);
        let help = d.help.as_deref().unwrap_or_default();
        assert!(help.contains("vertrouwelijk") && help.contains("planboek: allow persoonsgegevens"), "{help}");
    }
    assert!(!r.html.contains("pb-personal"), "publish never marks: {}", r.html);
}

#[test]
fn numbers_that_are_not_personal_data_pass() {
    let r = publish(
        "Fout BSN 123456789. De aanpak start op 1 maart 2026 (over 3 weken). Postcode 3011 AB, \
         € 1.234.567,89, om 14:30, zaak 13/123456-25, bel 0800-8844, mail info@lindewaard.nl.\n\n\
         | Kwartaal | Meldingen |\n|---|---:|\n| 1e kwartaal 2025 | 31 |\n",
    );
    assert!(r.diagnostics.is_empty(), "{:?}", found(&r));
}

#[test]
fn filled_placeholders_are_checked_where_they_stand() {
    let r = publish("# Contact\n\nBel <TEL> voor <NAAM GROEP>.\n");
    assert_eq!(found(&r), [("phone-number", 7, 5)]);
}

#[test]
fn text_the_parser_splits_is_checked_as_one() {
    // The parser ends a text event at `_`; the address is one.
    let r = publish("Mail jan_de_vries@lindewaard.nl of &amp; piet*x@mail.nl.\n");
    assert_eq!(found(&r)[0], ("personal-email", 5, 6));
    // Context crosses emphasis: a bold label before a date.
    let r = publish("**Geboortedatum:** 3-4-2010\n\n- *geb.* 03.04.2011\n");
    assert_eq!(found(&r), [("date-of-birth", 5, 20), ("date-of-birth", 7, 10)]);
    // ...but not blocks.
    let r = publish("# Geboren\n\nDe aanpak start op 3-4-2026.\n");
    assert!(r.diagnostics.is_empty(), "{:?}", found(&r));
}

#[test]
fn code_links_and_raw_html_are_text_readers_see() {
    let r = publish("Kenteken `AB-123-C`.\n\n```\nBSN 111222333\n```\n\n<p>bel 010-1234567</p>\n");
    assert_eq!(found(&r), [("licence-plate", 5, 10), ("bsn", 8, 5), ("phone-number", 11, 8)]);
    // A mailto link's target counts once, also when its text shows it.
    let r = publish("[Mail Jan](mailto:jan.jansen@om.nl) en [jan.jansen@om.nl](mailto:jan.jansen@om.nl).\n");
    assert_eq!(found(&r), [("personal-email", 5, 1), ("personal-email", 5, 41)]);
    let r = publish("[bel](tel:+31612345678) en <piet@om.nl>\n");
    assert_eq!(found(&r), [("phone-number", 5, 1), ("personal-email", 5, 29)]);
}

#[test]
fn a_birth_date_column_makes_its_dates_births() {
    let r = publish("| Jongere | Geboortedatum | Start |\n|---|---|---|\n| A | 12-03-2009 | 01-03-2026 |\n");
    assert_eq!(found(&r), [("date-of-birth", 7, 7)]);
}

#[test]
fn the_allow_comment_and_the_allow_list() {
    let text = "<!-- planboek: allow persoonsgegevens -->\nBel 010-1234567.\n\nBel 010-7654321.\n\n\
                Mail secretariaat.jeugd@lindewaard.nl of p.smit@lindewaard.nl.\n";
    let r = publish(text);
    assert_eq!(found(&r), [("phone-number", 8, 5), ("personal-email", 10, 42)]);
    let r = guarded(text, Mode::Publish, &["+31 10 765 43 21", "P.Smit@Lindewaard.nl"]);
    assert!(r.diagnostics.is_empty(), "{:?}", found(&r));
    // The comment covers the next line only.
    let r = publish("<!-- planboek: allow persoonsgegevens -->\n\nBel 010-1234567.\n");
    assert_eq!(found(&r), [("phone-number", 7, 5)]);
    // Its own line counts too (a comment at the end of it).
    let r = publish("Bel 010-1234567. <!-- planboek: allow persoonsgegevens -->\n");
    assert!(r.diagnostics.is_empty(), "{:?}", found(&r));
    // The words in prose, after some other comment, or in another comment, allow nothing.
    let r = publish(
        "<!-- notitie -->\nSchrijf planboek: allow persoonsgegevens niet zomaar.\nBel 010-1234567.\n\n\
         <!-- zie planboek: allow persoonsgegevens -->\nBel 010-7654321.\n",
    );
    assert_eq!(found(&r), [("phone-number", 7, 5), ("phone-number", 10, 5)]);
}

#[test]
fn preview_marks_each_finding_where_it_stands() {
    let r = guarded("Bel <TEL> of 06 1234 5678 en `AB-123-C`, [mail](mailto:jan@om.nl).\n", Mode::Preview, &[]);
    let mark = "<mark class=\"pb-personal\" title=\"Persoonsgegeven: hoort in een vertrouwelijke sectie\">";
    assert_eq!(r.html.matches(mark).count(), 4, "{}", r.html);
    assert!(r.html.contains(&format!("Bel {mark}06-12345678</mark> of {mark}06 1234 5678</mark>")), "{}", r.html);
    assert!(r.html.contains(&format!("<code>{mark}AB-123-C</mark></code>")), "{}", r.html);
    assert!(r.html.contains(&format!("<a href=\"mailto:jan@om.nl\">{mark}mail</mark></a>")), "{}", r.html);
    // Alt text is an attribute: reported, not marked.
    let r = guarded("![BSN 123456782](../img/kaart.png)\n", Mode::Preview, &[]);
    assert_eq!(found(&r), [("bsn", 5, 7)]);
    assert!(r.html.contains("alt=\"BSN 123456782\""), "{}", r.html);
}

#[test]
fn unchecked_sections_are_left_alone() {
    // A section the pipeline hands no `Privacy` (vertrouwelijk) is not looked at.
    let r = Page::new().render("BSN 123456782\n");
    assert!(r.diagnostics.is_empty());
}

#[test]
fn hostile_markdown_never_panics_and_marks_stay_balanced() {
    let parts = [
        "06-12345678",
        "BSN 123456782",
        "_",
        "*",
        "**",
        "[",
        "](mailto:a.b@om.nl)",
        "](tel:0612345678)",
        "`",
        "<!-- planboek: allow persoonsgegevens -->",
        "<!--",
        "-->",
        "\n",
        "\n\n",
        "| Geboortedatum | x |\n|---|---|\n| ",
        "12-03-2009",
        "&amp;",
        "<TEL>",
        "<NAAM GROEP>",
        "[^1]",
        "\n\n[^1]: ",
        "![",
        "](../img/kaart.png)",
        "<p>",
        "</p>",
        "    ",
        "```\n",
        "geb. ",
        "jan@om.nl",
        "# ",
        "> ",
        "- ",
        "é",
    ];
    let mut seed: u64 = 11;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for round in 0..1500 {
        let n = next() % 30;
        let text: String = (0..n).map(|_| parts[next() % parts.len()]).collect();
        let mode = if round % 2 == 0 { Mode::Preview } else { Mode::Publish };
        let r = guarded(&text, mode, &[]);
        assert_eq!(r.html.matches("<mark").count(), r.html.matches("</mark>").count(), "{text:?}: {}", r.html);
        let lines = 5 + text.lines().count() as u32 + 1;
        for d in &r.diagnostics {
            assert!(d.line >= 5 && d.line <= lines, "{text:?}: {d}");
        }
        if mode == Mode::Publish {
            assert!(!r.html.contains("pb-personal"), "{text:?}");
        }
    }
}
