//! Nothing an editor writes is lost, through the real build: a body's `# heading` stays
//! unless it is the page's title, reference links beside `of` stay links, blanks in link
//! titles are filled, and HTML names are read in any case.

use crate::common::Repo;

/// The clean fixture with `text` written to `rel` under its plan folder.
fn repo_with(files: &[(&str, &str)]) -> Repo {
    let repo = Repo::fixture("clean");
    for (rel, text) in files {
        repo.write(&format!("content/plan/{rel}"), text);
    }
    repo
}

/// The `<h1` elements of a page, and its body between the article's header and its end.
fn h1s(page: &str) -> Vec<&str> {
    page.match_indices("<h1").map(|(i, _)| &page[i..i + page[i..].find("</h1>").expect("closed")]).collect()
}

#[test]
fn a_body_heading_is_kept_unless_it_became_the_title() {
    let repo = repo_with(&[
        ("02-eigen-titel.md", "+++\ntitle = \"Doelen\"\n+++\n# Doelstellingen\n\nTekst.\n"),
        ("03-titel-uit-kop.md", "# Rollen van partners\n\nTekst.\n"),
        ("04-herhaald.md", "+++\ntitle = \"Plan van aanpak\"\n+++\n# Plan *van* aanpak\n\nTekst.\n"),
        (
            "05-links.md",
            "Zie [doelen](02-eigen-titel.md#doelstellingen) en [rollen](03-titel-uit-kop.md#rollen-van-partners).\n",
        ),
    ]);
    repo.run(&["build"]).assert_code(0);
    // A front-matter title: the page's own h1, and the body keeps the editor's heading.
    let page = repo.read_site("plan/02-eigen-titel.html");
    assert_eq!(h1s(&page), ["<h1>Doelen", "<h1 id=\"doelstellingen\">Doelstellingen"], "{page}");
    // No front-matter title: the heading is the title, shown once, with its id.
    let page = repo.read_site("plan/03-titel-uit-kop.html");
    assert_eq!(h1s(&page), ["<h1 id=\"rollen-van-partners\">Rollen van partners"], "{page}");
    // A heading that repeats the front-matter title word for word is that title, shown once.
    let page = repo.read_site("plan/04-herhaald.html");
    assert_eq!(h1s(&page), ["<h1 id=\"plan-van-aanpak\">Plan van aanpak"], "{page}");
    assert!(page.contains("<div class=\"pb-body\">\n<p>Tekst.</p>"), "{page}");
    // Links to both headings' ids resolve (a missing anchor would fail the build).
    let page = repo.read_site("plan/05-links.html");
    assert!(page.contains("href=\"02-eigen-titel.html#doelstellingen\""), "{page}");
}

#[test]
fn reference_links_joined_by_of_stay_links() {
    let text = "Neem contact op met [de wijkagent] of [het jongerenwerk].\n\n[de wijkagent]: 01-aanleiding.md\n[Het  Jongerenwerk]: https://example.nl/jongerenwerk\n";
    let repo = repo_with(&[("02-contact.md", text)]);
    let run = repo.run(&["check"]);
    run.assert_code(0);
    assert!(!format!("{}{}", run.stdout, run.stderr).contains("P0103"), "{}{}", run.stdout, run.stderr);
    repo.run(&["build"]).assert_code(0);
    let page = repo.read_site("plan/02-contact.html");
    assert!(
        page.contains("<a href=\"01-aanleiding.html\">de wijkagent</a> of <a href=\"https://example.nl/jongerenwerk\" rel=\"noreferrer noopener\">het jongerenwerk</a>"),
        "{page}"
    );
}

#[test]
fn blanks_in_link_titles_are_filled() {
    let text = "[Aanleiding](01-aanleiding.md \"Over <NAAM GROEP> in <NAAM GEMEENTE>\")\n";
    let repo = repo_with(&[("02-titels.md", text)]);
    repo.run(&["build"]).assert_code(0);
    let page = repo.read_site("plan/02-titels.html");
    assert!(page.contains("title=\"Over De Brink in Hoevenmeer\""), "{page}");
}

#[test]
fn html_names_are_read_in_any_case() {
    // Guidance is reported in an adopted section.
    let text = "+++\nstatus = \"vastgesteld\"\n+++\n<Details open>\n<Summary>Achtergrond</Summary>\n\nDe groep is sinds 2024 bekend.\n</Details>\n\n<Details van de groep>\n";
    let repo = repo_with(&[("02-details.md", text)]);
    let run = repo.run(&["check"]);
    let out = format!("{}{}", run.stdout, run.stderr);
    assert!(out.contains("02-details.md:10:1: warning[P0102]"), "{out}");
    assert!(!out.contains("02-details.md:4:"), "`<Details open>` is no blank: {out}");
    repo.run(&["build"]).assert_code(0);
    let page = repo.read_site("plan/02-details.html");
    assert!(page.contains("<details open=\"\">") || page.contains("<details open>"), "{page}");
    assert!(
        page.contains("<summary>Achtergrond</summary>") && page.contains("De groep is sinds 2024 bekend."),
        "{page}"
    );
    assert!(!page.contains("Details van de groep"), "guidance is left out of a published page: {page}");
}
