//! Words people read: the editor's view named once and not "Voorbeeld" (which editors read as
//! the template's example text), the preview's error banner in the handbook's language, and
//! counts of one in the singular.

use crate::common::server::Server;
use crate::common::Repo;
use std::fs;

/// The part of a page a reader sees, without its `<title>`.
fn body(html: &str) -> &str {
    html.split_once("<body").map_or(html, |(_, b)| b)
}

#[test]
fn the_preview_is_called_the_editors_view_once() {
    let repo = Repo::fixture("basic");
    repo.run(&["build", "--preview"]).assert_code(0);
    let page = repo.read_site("alpha/01-aanleiding.html");
    assert_eq!(body(&page).matches("Redactieweergave").count(), 1, "{page}");
    assert!(!page.contains("Voorbeeld"), "the word editors read as example text:\n{page}");
    repo.write("planboek.toml", "title = \"Testboek\"\nlanguage = \"en\"\n");
    repo.run(&["build", "--preview"]).assert_code(0);
    let page = repo.read_site("alpha/01-aanleiding.html");
    assert_eq!(body(&page).matches("Editor&#39;s view").count() + body(&page).matches("Editor's view").count(), 1);
    // A published build names no view at all.
    repo.run(&["build"]).assert_code(0);
    assert!(!repo.read_site("alpha/01-aanleiding.html").contains("Editor"));
}

#[test]
fn the_preview_error_banner_follows_the_language() {
    let repo = Repo::fixture("basic");
    let server = Server::start(&repo, &[]);
    let page = "/alpha/01-aanleiding.html";
    let broken = repo.path().join("content/alpha/04-veilig.md");
    let original = fs::read_to_string(&broken).expect("read");
    fs::write(&broken, "+++\ntitle = \"kapot\"\n").expect("break");
    let shown = server.wait_for(page, |r| r.body.contains("planboek-errors")).body;
    assert!(shown.contains("de laatste herbouw is mislukt"), "Dutch banner:\n{shown}");
    assert!(!shown.contains("the last rebuild failed"), "{shown}");
    fs::write(&broken, original).expect("fix");
    server.wait_for(page, |r| !r.body.contains("planboek-errors"));
    // Switched to English, the next failure is reported in English.
    repo.write("planboek.toml", "title = \"Testboek\"\nlanguage = \"en\"\n");
    server.wait_for(page, |r| r.body.contains("lang=\"en\""));
    fs::write(&broken, "+++\ntitle = \"kapot\"\n").expect("break again");
    let shown = server.wait_for(page, |r| r.body.contains("planboek-errors")).body;
    assert!(shown.contains("the last rebuild failed"), "English banner:\n{shown}");
}

#[test]
fn counts_of_one_are_singular() {
    let repo = Repo::fixture("clean");
    let build = repo.run(&["build"]);
    build.assert_code(0);
    let said = build.stdout.clone();
    assert!(said.contains("built 1 plan, ") && !said.contains("1 plans"), "{said}");
    let check = repo.run(&["check"]);
    assert!(check.stdout.contains("0 errors, 0 warnings in 1 plan\n"), "{}", check.stdout);
    // One warning: a heading that skips a level.
    let section = repo.path().join("content/plan/01-aanleiding.md");
    let text = fs::read_to_string(&section).unwrap_or_default();
    fs::write(&section, format!("{text}\n#### Te diep\n\nTekst.\n")).expect("write");
    let check = repo.run(&["check"]);
    assert!(check.stdout.contains("0 errors, 1 warning in 1 plan\n"), "{}", check.stdout);
}
