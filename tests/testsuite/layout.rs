//! The layout on paper and on a phone, in Debian's Chromium: every printed page of a plan
//! carries the plan's title, the page's classification, the version and its page number;
//! at 320 px no page is wider than the screen.

use crate::browser::{browser, check_with, file_url};
use crate::common::Repo;
use std::process::Command;

/// The text of `pdf`, page by page (poppler's pdftotext; .ci/run installs it); None where it
/// is missing outside CI.
fn pdf_pages(pdf: &std::path::Path) -> Option<Vec<String>> {
    let Ok(out) = Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output() else {
        assert!(std::env::var_os("CI").is_none(), "CI must install pdftotext (poppler-utils, see .ci/run)");
        eprintln!("skipped: pdftotext is not installed");
        return None;
    };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Some(text.split('\u{c}').filter(|p| !p.trim().is_empty()).map(str::to_string).collect())
}

#[test]
#[cfg_attr(
    any(planboek_no_browser, planboek_no_pdftotext),
    ignore = "needs Chromium, node, playwright-core and pdftotext; .ci/run installs them"
)]
fn every_printed_page_of_a_section_names_the_plan_its_marking_version_and_number() {
    if browser().is_none() {
        return;
    }
    let repo = Repo::fixture("basic");
    let long: String =
        (1..=60).map(|i| format!("Alinea {i} van een lange sectie over de aanpak op de locatie.\n\n")).collect();
    repo.write(
        "content/alpha/05-lang.md",
        format!("+++\ntitle = \"Lang\"\nclassification = \"openbaar\"\n+++\n\n{long}"),
    );
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let pdf = repo.path().join("lang.pdf");
    check_with("layout.js", &["pdf", &file_url(&repo.site().join("alpha/05-lang.html")), &pdf.to_string_lossy()]);
    let Some(pages) = pdf_pages(&pdf) else { return };
    assert!(pages.len() >= 2, "a long section prints on several pages: {}", pages.len());
    // The plan's title with its group filled in.
    let title = "Plan van aanpak jeugdgroep De Haven";
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        assert!(page.contains(title), "page {n} names the plan {title}:\n{page}");
        assert!(page.contains("Rubricering: Openbaar"), "page {n} carries the section's marking:\n{page}");
        assert!(page.contains("Gemaakt op 1 juni 2026"), "page {n} carries the version:\n{page}");
        let compact: String = page.split_whitespace().collect();
        assert!(compact.contains(&format!("{n}/{}", pages.len())), "page {n} is numbered:\n{page}");
    }
}

#[test]
#[cfg_attr(
    any(planboek_no_browser, planboek_no_pdftotext),
    ignore = "needs Chromium, node, playwright-core and pdftotext; .ci/run installs them"
)]
fn the_print_edition_and_a_section_of_a_version_name_it_on_every_page() {
    if browser().is_none() {
        return;
    }
    let repo = Repo::versioned_example();
    // The edition writes its margins in; a section page takes the version's from the
    // version's own style sheet, so that it is the same file in every version.
    for (name, rel, least) in [
        ("edition", "v1/jeugdgroep-kadepoort/print.html", 5),
        ("section", "v1/jeugdgroep-kadepoort/04-rollen-partners.html", 1),
    ] {
        let pdf = repo.path().join(format!("{name}.pdf"));
        check_with("layout.js", &["pdf", &file_url(&repo.site().join(rel)), &pdf.to_string_lossy()]);
        let Some(pages) = pdf_pages(&pdf) else { return };
        assert!(pages.len() >= least, "{name}: {}", pages.len());
        for (i, page) in pages.iter().enumerate() {
            assert!(page.contains("Versie v1"), "{name}: page {} names the version:\n{page}", i + 1);
            assert!(page.contains("Rubricering:"), "{name}: page {} carries the marking:\n{page}", i + 1);
        }
    }
}

/// At 320 CSS pixels (WCAG 1.4.10), no page type is wider than the screen: content tables
/// scroll in a labelled, focusable region, action tables become labelled cards.
#[test]
#[cfg_attr(planboek_no_browser, ignore = "needs Chromium, node and playwright-core; .ci/run installs them")]
fn no_page_is_wider_than_a_320_px_screen() {
    if browser().is_none() {
        return;
    }
    let repo = Repo::example();
    // A wide table of many columns and long words, as editors paste them.
    let wide: String = format!(
        "+++\ntitle = \"Breed\"\n+++\n\n| {} |\n|{}\n| {} |\n",
        (1..=9).map(|i| format!("Kolomkop{i}")).collect::<Vec<_>>().join(" | "),
        "---|".repeat(9),
        (1..=9).map(|i| format!("Gegevensveld{i}MetEenLangeNaam")).collect::<Vec<_>>().join(" | "),
    );
    repo.write("content/jeugdgroep-kadepoort/07-breed.md", wide);
    repo.run(&["build", "--drafts"]).assert_code(0);
    let site = repo.site();
    let pages = [
        "index.html",
        "actions.html",
        "404.html",
        "jeugdgroep-kadepoort/index.html",
        "jeugdgroep-kadepoort/actions.html",
        "jeugdgroep-kadepoort/print.html",
        "jeugdgroep-kadepoort/07-breed.html",
        "jeugdgroep-kadepoort/01-probleemanalyse/01-aanleiding.html",
        "jeugdgroep-kadepoort/03-plan-van-aanpak/02-inzet-op-het-individu.html",
        "sjabloon/03-plan-van-aanpak/02-inzet-op-het-individu.html",
    ];
    let urls: Vec<String> = pages.iter().map(|p| file_url(&site.join(p))).collect();
    let shots = repo.path().join("shots");
    std::fs::create_dir_all(&shots).expect("shots");
    let mut args = vec!["reflow", "320", shots.to_str().expect("utf-8 path")];
    args.extend(urls.iter().map(String::as_str));
    check_with("layout.js", &args);
    let page = repo.read_site("jeugdgroep-kadepoort/07-breed.html");
    assert!(page.contains("role=\"region\" aria-label=\"Tabel 1\" tabindex=\"0\"><table>"), "{page}");
    if let Some(keep) = std::env::var_os("PLANBOEK_KEEP_SHOTS") {
        crate::common::copy_dir(&shots, std::path::Path::new(&keep));
    }
}
