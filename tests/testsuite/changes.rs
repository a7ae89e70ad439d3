//! The changes page as reviewers read it: rendered text block by block, a summary per plan,
//! plan-level changes first, and the way to it from the versions' home page.

use crate::common::{git, tag, visible, Repo};

const CONFIG: &str = "title = \"Testboek\"\nlanguage = \"nl\"\n\n[versions]\nfrom_git = \"v*\"\n";

fn plan_index(risk: &str, partners: &str) -> String {
    format!(
        "+++\ntitle = \"Plan <NAAM GROEP>\"\ngroup = \"Kadepoort\"\nrisk = \"{risk}\"\nstatus = \"concept\"\n\
         evaluation = 2026-06-01\npartners = [{partners}]\n+++\n\nInleiding.\n"
    )
}

/// A section of many blocks, of which the test changes one sentence.
fn long_section(sentence: &str) -> String {
    let mut body = String::from("+++\ntitle = \"Aanleiding\"\n+++\n\n## Eerste kop\n\n");
    for i in 1..=6 {
        body.push_str(&format!("Alinea {i} over de groep <NAAM GROEP> en [de analyse](02-analyse.md#kop).\n\n"));
    }
    body.push_str(&format!("- Een punt\n- {sentence}\n- Nog een punt\n\n"));
    body.push_str("| Wie | Wat |\n|---|---|\n| politie | toezicht |\n\nSlotalinea.\n");
    body
}

/// v1 and v2 of one plan: a sentence edited in a long section, the plan's risk, status and
/// partners changed, a section added and one removed.
fn versions() -> Repo {
    let repo = Repo { dir: tempfile::tempdir().expect("tempdir") };
    git(repo.path(), "2026-01-10", &["init", "-q"]);
    repo.write("planboek.toml", CONFIG);
    repo.write(".gitignore", "/site/\n/.planboek-cache/\n");
    repo.write("content/p/_index.md", plan_index("hoog", "\"gemeente\", \"politie\""));
    repo.write("content/p/01-aanleiding.md", long_section("De groep telt tien jongeren."));
    repo.write("content/p/02-analyse.md", "+++\ntitle = \"Analyse\"\n+++\n\n## Kop\n\nTekst.\n");
    repo.write("content/p/03-weg.md", "+++\ntitle = \"Weg\"\n+++\n\nVerdwijnt.\n");
    tag(&repo, "2026-01-10", "v1");
    let index = plan_index("midden", "\"gemeente\", \"politie\", \"om\"").replace("\"concept\"", "\"vastgesteld\"");
    repo.write("content/p/_index.md", index);
    repo.write("content/p/01-aanleiding.md", long_section("De groep telt twaalf jongeren."));
    std::fs::remove_file(repo.path().join("content/p/03-weg.md")).expect("rm");
    repo.write("content/p/04-nieuw.md", "+++\ntitle = \"Nieuw\"\n+++\n\nNieuwe tekst.\n");
    tag(&repo, "2026-02-10", "v2");
    repo
}

/// The diff of one section's entry on the changes page.
fn diff_of<'a>(changes: &'a str, anchor: &str) -> &'a str {
    let entry = changes.split_once(&format!("id=\"{anchor}\"")).expect("entry").1;
    let diff = entry.split_once("<div class=\"pb-diff\">").expect("diff").1;
    diff.split_once("</div>").expect("end of diff").0
}

#[test]
fn a_one_sentence_edit_shows_the_rendered_block_with_one_block_of_context() {
    let repo = versions();
    repo.run(&["build"]).assert_code(0);
    let changes = repo.read_site("v2/changes.html");
    let diff = diff_of(&changes, "w-p-01-aanleiding");
    let seen = visible(diff);
    assert!(seen.contains("telt <del>tien</del><ins>twaalf</ins> jongeren"), "{diff}");
    // The blocks around the change, as the reader sees them, and nothing further away.
    assert!(seen.contains("pb-diff__block--li\">Een punt</p>"), "{diff}");
    assert!(seen.contains("pb-diff__block--li\">Nog een punt</p>"), "{diff}");
    for far in ["Alinea 1", "Alinea 5", "Eerste kop", "politie | toezicht", "Slotalinea"] {
        assert!(!diff.contains(far), "`{far}` is more than one block from the change:\n{diff}");
    }
    assert!(diff.contains("class=\"pb-diff__gap\""), "left-out text is marked:\n{diff}");
    // No Markdown syntax, no link targets, no unfilled placeholders.
    for raw in ["##", "- ", "](", "02-analyse", "NAAM GROEP", "&lt;NAAM"] {
        assert!(!diff.contains(raw), "`{raw}` in the diff:\n{diff}");
    }
    // Insertions and deletions are clear without colour: labelled for screen readers.
    assert!(diff.contains("<del><span class=\"pb-visually-hidden\">verwijderd: </span>tien</del>"), "{diff}");
    assert!(diff.contains("<ins><span class=\"pb-visually-hidden\">toegevoegd: </span>twaalf</ins>"), "{diff}");
    let css = repo.read_site("_static/versions.css");
    assert!(css.contains("text-decoration: underline") && css.contains("text-decoration: line-through"), "{css}");
    assert!(!css.contains("text-decoration: none"), "insertions keep their underline");
}

#[test]
fn placeholders_are_filled_in_the_diff() {
    let repo = versions();
    // Only the group name changes: the reader sees the filled-in name change.
    let index = plan_index("midden", "\"gemeente\"").replace("Kadepoort", "Havenkwartier");
    repo.write("content/p/_index.md", index);
    tag(&repo, "2026-03-10", "v3");
    repo.run(&["build"]).assert_code(0);
    let changes = repo.read_site("v3/changes.html");
    let seen = visible(diff_of(&changes, "w-p-01-aanleiding"));
    assert!(seen.contains("<del>Kadepoort</del><ins>Havenkwartier</ins>"), "{seen}");
}

/// The part of the page from `start` to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.split_once(start).unwrap_or_else(|| panic!("{start} in:\n{html}")).1;
    from.split_once(end).map_or(from, |(part, _)| part)
}

#[test]
fn plan_level_changes_come_first_as_a_table_of_old_and_new() {
    let repo = versions();
    repo.run(&["build"]).assert_code(0);
    let changes = visible(&repo.read_site("v2/changes.html"));
    let table = between(&changes, "<table class=\"pb-table pb-plan-changes\">", "</table>");
    for row in [
        "<th scope=\"row\">Risico</th><td data-label=\"Was\"><del>Hoog</del></td><td data-label=\"Wordt\"><ins>Midden</ins></td>",
        "<th scope=\"row\">Status</th><td data-label=\"Was\"><del>Concept</del></td><td data-label=\"Wordt\"><ins>Vastgesteld</ins></td>",
        "<ins>Gemeente, Politie, Openbaar Ministerie</ins>",
    ] {
        assert!(table.contains(row), "missing `{row}` in:\n{table}");
    }
    assert!(!table.contains("Evaluatie"), "unchanged values are left out:\n{table}");
    // The table comes before the plan's sections.
    let plan = between(&changes, "<section class=\"pb-changes-plan\"", "</section>");
    assert!(plan.find("pb-plan-changes") < plan.find("class=\"pb-change pb-change--"), "{plan}");
    assert!(!changes.contains("id=\"w-p-index\""), "the unchanged introduction is not listed");
}

#[test]
fn a_summary_per_plan_counts_and_lists_what_changed() {
    let repo = versions();
    repo.write(
        "content/p/04-nieuw.md",
        "+++\ntitle = \"Nieuw\"\n\n[[actions]]\nid = \"N1\"\nwhat = \"Bellen\"\nwho = \"om\"\n+++\n\nTekst.\n",
    );
    tag(&repo, "2026-03-10", "v3");
    repo.run(&["build"]).assert_code(0);
    let v2 = visible(&repo.read_site("v2/changes.html"));
    let summary = between(&v2, "<section class=\"pb-changes-summary\"", "</section>");
    assert!(summary.contains("<a href=\"#pb-plan-p\">Plan Kadepoort</a>"), "per plan, placeholders filled:\n{summary}");
    assert!(summary.contains("Gegevens van het plan (3): Risico, Status, Partners"), "{summary}");
    assert!(summary.contains("Secties toegevoegd (1): <a href=\"#w-p-04-nieuw\">Nieuw</a>"), "{summary}");
    assert!(summary.contains("Secties verwijderd (1): <a href=\"#w-p-03-weg\">Weg</a>"), "{summary}");
    assert!(summary.contains("Secties gewijzigd (1): <a href=\"#w-p-01-aanleiding\">Aanleiding</a>"), "{summary}");
    let v3 = visible(&repo.read_site("v3/changes.html"));
    let summary = between(&v3, "<section class=\"pb-changes-summary\"", "</section>");
    assert!(summary.contains("Acties toegevoegd (1): N1: Bellen (Openbaar Ministerie, open)"), "{summary}");
}

#[test]
fn the_versions_home_page_links_each_changes_page_and_the_switcher_knows_dates() {
    let repo = versions();
    repo.run(&["build"]).assert_code(0);
    let landing = repo.read_site("index.html");
    assert!(landing.contains("<a href=\"v2/changes.html\">Wijzigingen in v2</a>"), "{landing}");
    assert!(landing.contains("<a href=\"v1/changes.html\">Eerste versie</a>"), "{landing}");
    let script = repo.read_site("_versions.js");
    assert!(
        script.contains("\"date\":\"10 februari 2026\"") && script.contains("\"status\":\"Vastgesteld\""),
        "{script}"
    );
    assert!(repo.read_site("v2/p/01-aanleiding.html").contains("data-pb-current=\"deze versie\""));
}

#[test]
fn a_section_shows_one_date() {
    let repo = versions();
    let dated = long_section("De groep telt twaalf jongeren.").replace("+++\n\n", "updated = 2026-01-05\n+++\n\n");
    repo.write("content/p/01-aanleiding.md", dated);
    tag(&repo, "2026-03-10", "v3");
    repo.run(&["build"]).assert_code(0);
    let page = repo.read_site("v3/p/01-aanleiding.html");
    assert!(page.contains("<dt>Laatst gewijzigd</dt>") && page.contains("<time datetime=\"2026-03-10\">"), "{page}");
    assert!(!page.contains("<dt>Bijgewerkt</dt>"), "not two dates side by side:\n{page}");
    // Without versions, the editors' date is the one date.
    repo.write("planboek.toml", "title = \"Testboek\"\nlanguage = \"nl\"\n");
    repo.run(&["build"]).assert_code(0);
    let page = repo.read_site("p/01-aanleiding.html");
    assert!(page.contains("<dt>Bijgewerkt</dt>") && page.contains("<time datetime=\"2026-01-05\">"), "{page}");
}
