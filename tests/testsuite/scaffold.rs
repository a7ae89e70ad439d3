//! `planboek init` and `planboek new`: a working repository from the embedded template.

use crate::common::run_in;
use std::fs;

#[test]
fn init_creates_a_repository_that_builds() {
    let dir = tempfile::tempdir().expect("tempdir");
    run_in(dir.path(), &["init", "boek"]).assert_code(0);
    let root = dir.path().join("boek");
    assert!(root.join("planboek.toml").is_file());
    let ignore = fs::read_to_string(root.join(".gitignore")).expect("gitignore");
    assert!(ignore.lines().any(|l| l == "/site/") && ignore.lines().any(|l| l == "/.planboek-cache/"), "{ignore}");
    assert!(root.join("content/nieuwe-jeugdgroep/01-probleemanalyse/01-aanleiding.md").is_file());
    run_in(&root, &["build"]).assert_code(0);
    assert!(root.join("site/nieuwe-jeugdgroep/index.html").is_file());
    // A second init refuses to overwrite.
    run_in(dir.path(), &["init", "boek"]).assert_code(1);
}

#[test]
fn new_adds_a_plan_with_group_and_municipality_filled() {
    let dir = tempfile::tempdir().expect("tempdir");
    run_in(dir.path(), &["init"]).assert_code(0);
    let sub = dir.path().join("content");
    run_in(&sub, &["new", "jeugdgroep-de-haven", "--group", "De Haven", "--municipality", "Hoevenmeer"]).assert_code(0);
    let index = fs::read_to_string(dir.path().join("content/jeugdgroep-de-haven/_index.md")).expect("index");
    assert!(index.contains("group = \"De Haven\""), "{index}");
    assert!(index.contains("municipality = \"Hoevenmeer\""), "{index}");
    run_in(dir.path(), &["build"]).assert_code(0);
    let page = fs::read_to_string(dir.path().join("site/jeugdgroep-de-haven/index.html")).expect("page");
    assert!(page.contains("De Haven"));

    run_in(dir.path(), &["new", "jeugdgroep-de-haven"]).assert_code(1);
    run_in(dir.path(), &["new", "De Haven"]).assert_code(2);
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let run = run_in(elsewhere.path(), &["new", "x"]);
    run.assert_code(1);
    assert!(run.stderr.contains("planboek init"), "{}", run.stderr);
}

#[test]
fn init_takes_the_options_of_new() {
    let dir = tempfile::tempdir().expect("tempdir");
    run_in(dir.path(), &["init", "boek", "--group", "De Haven", "--municipality", "Hoevenmeer"]).assert_code(0);
    let root = dir.path().join("boek");
    let index = fs::read_to_string(root.join("content/jeugdgroep-de-haven/_index.md")).expect("named after the group");
    assert!(index.contains("group = \"De Haven\"") && index.contains("municipality = \"Hoevenmeer\""), "{index}");
    assert!(!root.join("content/nieuwe-jeugdgroep").exists());
    run_in(&root, &["build"]).assert_code(0);
    assert!(fs::read_to_string(root.join("site/jeugdgroep-de-haven/index.html")).expect("page").contains("De Haven"));

    let other = tempfile::tempdir().expect("tempdir");
    run_in(other.path(), &["init", "--plan", "jeugdgroep-noord"]).assert_code(0);
    assert!(other.path().join("content/jeugdgroep-noord/_index.md").is_file());
    let bad = run_in(other.path(), &["init", "elders", "--plan", "Noord Oost"]);
    bad.assert_code(2);
    assert!(!other.path().join("elders").exists(), "nothing is created for a bad plan name");
}

/// The template's action lists come with commented `[[actions]]` examples: uncommented, they
/// fill the section's action table and the plan's register. Its criminal-records section is
/// confidential, so an `intern` build of a new plan leaves it out.
#[test]
fn a_new_plan_has_action_examples_and_a_confidential_criminal_records_section() {
    let dir = tempfile::tempdir().expect("tempdir");
    run_in(dir.path(), &["init", "--group", "Noord"]).assert_code(0);
    let plan = dir.path().join("content/jeugdgroep-noord");
    let section = plan.join("03-plan-van-aanpak/03-inzet-op-de-groep.md");
    let text = fs::read_to_string(&section).expect("section");
    assert!(text.contains("# [[actions]]"), "{text}");
    // Uncomment the example: every front-matter line that is a commented TOML line.
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest == "[[actions]]" || rest.contains(" = ") => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(&section, uncommented).expect("write");
    let run = run_in(dir.path(), &["build"]);
    run.assert_code(0);
    let page =
        fs::read_to_string(dir.path().join("site/jeugdgroep-noord/03-plan-van-aanpak/03-inzet-op-de-groep.html"))
            .expect("page");
    assert!(page.contains("pb-action-table") && page.contains("Gesprekken met de jongeren"), "{page}");
    let register = fs::read_to_string(dir.path().join("site/jeugdgroep-noord/actions.html")).expect("register");
    assert!(register.contains("A5") && register.contains("A6"), "{register}");

    let records = fs::read_to_string(plan.join("01-probleemanalyse/03-bekend-strafrecht-om.md")).expect("records");
    assert!(records.contains("classification = \"vertrouwelijk\""), "{records}");
    assert!(!dir.path().join("site/jeugdgroep-noord/01-probleemanalyse/03-bekend-strafrecht-om.html").exists());
    run_in(dir.path(), &["build", "--audience", "vertrouwelijk", "-o", "alles"]).assert_code(0);
    assert!(dir.path().join("alles/jeugdgroep-noord/01-probleemanalyse/03-bekend-strafrecht-om.html").is_file());
}
