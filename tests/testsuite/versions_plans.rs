//! A version is built beside its predecessor's cache entry and takes from there every plan
//! made from exactly what that version's was made from: its pages, register and search
//! analyses, and its print edition's texts (the edition names the version, and is made
//! anew around them). What a page shows of the version's history is part of what it is
//! made from.

use crate::common::{files, tag, Repo};
use crate::versions::{section, versioned_repo};
use std::collections::BTreeMap;
use std::path::Path;

/// Three plans, four versions: v2 changes p, v3 changes q, v4 changes r. In v4 only p is
/// made from what v3's was (q's entry on v3's changes page is gone in v4).
fn four_versions(config: &str, more: &[(&str, &str)]) -> Repo {
    let repo = versioned_repo();
    repo.write("planboek.toml", config);
    for (rel, text) in more {
        repo.write(rel, text);
    }
    for plan in ["p", "q", "r"] {
        repo.write(&format!("content/{plan}/_index.md"), format!("+++\ntitle = \"Plan {plan}\"\n+++\n\nInleiding.\n"));
        let text = format!("De eerste tekst van plan {plan}.");
        repo.write(&format!("content/{plan}/01-a.md"), section("Aanleiding", "", &text));
        repo.write(&format!("content/{plan}/02-b.md"), section("Analyse", "", "Deze sectie blijft gelijk."));
    }
    tag(&repo, "2026-01-10", "v1");
    for (date, name, plan) in [("2026-01-20", "v2", "p"), ("2026-01-30", "v3", "q"), ("2026-02-10", "v4", "r")] {
        let text = format!("De tekst van plan {plan} in {name}.");
        repo.write(&format!("content/{plan}/01-a.md"), section("Aanleiding", "", &text));
        tag(&repo, date, name);
    }
    repo
}

const CONFIG: &str = "title = \"Testboek\"\nlanguage = \"nl\"\n\n[versions]\nfrom_git = \"v*\"\n";

/// Every file of `dir` by its relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|f| (f.to_string_lossy().into_owned(), std::fs::read(dir.join(&f)).expect("read")))
        .collect()
}

/// Removes the cache entry of `version` (named by its content's tree) and every entry's
/// record of its plans, so that the version is built again rendering every plan.
fn forget_plans(repo: &Repo, version: &str) {
    let tree = tree_id(repo, version);
    for entry in std::fs::read_dir(repo.path().join(".planboek-cache/out")).expect("cache").flatten() {
        if entry.file_name().to_string_lossy().starts_with(&tree[..12]) {
            std::fs::remove_dir_all(entry.path()).expect("rm entry");
        } else {
            let _ = std::fs::remove_file(entry.path().join(".planboek-plans"));
        }
    }
}

/// The id of the content tree of tag `t`, which names its cache entries.
fn tree_id(repo: &Repo, t: &str) -> String {
    let out = std::process::Command::new("git")
        .args(["rev-parse", &format!("{t}:content")])
        .current_dir(repo.path())
        .output()
        .expect("git");
    String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
}

#[test]
fn a_plan_unchanged_since_the_version_before_is_taken_from_its_build() {
    let repo = four_versions(CONFIG, &[]);
    let built = repo.run(&["build", "--today", "2026-03-01"]);
    built.assert_code(0);
    assert!(
        built
            .stdout
            .contains("(1 plan of the newest version unchanged since the version before: taken from its build)"),
        "{}",
        built.stdout
    );
    // A section changed in a version links its entry on that version's changes page; in
    // the next version, where it did not change, it does not, though its plan is the same.
    let changed = "<p class=\"pb-changed\">";
    assert!(repo.read_site("v2/p/01-a.html").contains(changed));
    assert!(!repo.read_site("v3/p/01-a.html").contains(changed), "v3 took v2's page of p with v2's history");
    assert!(repo.read_site("v3/q/01-a.html").contains(changed));
    assert!(!repo.read_site("v4/q/01-a.html").contains(changed), "v4 took v3's page of q with v3's history");
    // p, taken in v4, has a print edition of v4's own.
    for v in ["v3", "v4"] {
        let print = repo.read_site(&format!("{v}/p/print.html"));
        assert!(print.contains(&format!("<dd>{v}</dd>")) && print.contains(&format!("Versie {v} ·")), "{v}: {print}");
    }
    // Each version rendered again without any plan taken (its entry removed, and the
    // record of its predecessor's plans) gives the same handbook to the byte.
    let taken = tree(&repo.site());
    for version in ["v4", "v3"] {
        forget_plans(&repo, version);
        let again = repo.run(&["build", "--today", "2026-03-01"]);
        again.assert_code(0);
        assert!(!again.stdout.contains("taken from its build"), "{}", again.stdout);
        let rendered = tree(&repo.site());
        assert_eq!(taken.keys().collect::<Vec<_>>(), rendered.keys().collect::<Vec<_>>());
        for (rel, bytes) in &taken {
            assert!(rendered[rel] == *bytes, "{rel} differs between a plan taken and one rendered ({version})");
        }
    }
}

#[test]
fn a_theme_of_ones_own_takes_no_plan_from_another_version() {
    // A theme's template may print the version on every page.
    let config = CONFIG.replace("[versions]", "theme = \"eigen\"\n\n[versions]");
    let bar = ("themes/eigen/templates/version_bar.html", "<p class=\"eigen\">Versie {{ version }}</p>\n");
    let repo = four_versions(&config, &[bar]);
    let built = repo.run(&["build", "--today", "2026-03-01"]);
    built.assert_code(0);
    assert!(!built.stdout.contains("taken from its build"), "{}", built.stdout);
    for v in ["v3", "v4"] {
        assert!(repo.read_site(&format!("{v}/p/02-b.html")).contains(&format!("<p class=\"eigen\">Versie {v}</p>")));
    }
}

#[test]
fn a_page_forged_in_the_cache_is_not_taken_with_its_plan() {
    let repo = four_versions(CONFIG, &[]);
    repo.run(&["build", "--today", "2026-03-01"]).assert_code(0);
    // Rewritten in place, same size, its time set back: only reading it tells.
    for entry in std::fs::read_dir(repo.path().join(".planboek-cache/out")).expect("cache").flatten() {
        let page = entry.path().join("p/02-b.html");
        // Entries share the file: forged once, it is forged in all.
        if std::fs::read_to_string(&page).is_ok_and(|t| t.contains("blijft gelijk")) {
            crate::versions_kept::forge_in_place(&page, "blijft gelijk", "VERVALST!!!!!");
        }
    }
    repo.write("content/r/01-a.md", section("Aanleiding", "", "De tekst van plan r in v5."));
    tag(&repo, "2026-02-20", "v5");
    let built = repo.run(&["build", "--today", "2026-03-01"]);
    built.assert_code(0);
    let page = repo.read_site("v5/p/02-b.html");
    assert!(page.contains("Deze sectie blijft gelijk.") && !page.contains("VERVALST"), "{page}");
    // q is still taken: the forgery costs only the plan it is in.
    assert!(built.stdout.contains("(1 plan of the newest version"), "{}", built.stdout);
}

#[test]
fn a_print_edition_forged_in_the_cache_lends_none_of_its_texts() {
    let repo = four_versions(CONFIG, &[]);
    repo.run(&["build", "--today", "2026-03-01"]).assert_code(0);
    let genuine = repo.read_site("v4/p/print.html");
    // Its texts are what the next version's edition takes; rewritten in place, same size,
    // its time set back.
    let newest = tree_id(&repo, "v4");
    for entry in std::fs::read_dir(repo.path().join(".planboek-cache/out")).expect("cache").flatten() {
        if entry.file_name().to_string_lossy().starts_with(&newest[..12]) {
            crate::versions_kept::forge_in_place(&entry.path().join("p/print.html"), "blijft gelijk", "VERVALST!!!!!");
        }
    }
    repo.write("content/r/01-a.md", section("Aanleiding", "", "De tekst van plan r in v5."));
    tag(&repo, "2026-02-20", "v5");
    let built = repo.run(&["build", "--today", "2026-03-01"]);
    built.assert_code(0);
    // p's pages are still taken; its edition is made from them, with v5 on its cover.
    assert!(built.stdout.contains("(2 plans of the newest version"), "{}", built.stdout);
    let print = repo.read_site("v5/p/print.html");
    assert!(!print.contains("VERVALST"), "{print}");
    assert_eq!(print.replace("v5", "v4"), genuine, "the edition differs from v4's in more than its version");
}
