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
