//! Robustness against what editors' systems produce: names that differ only in case or in
//! Unicode normalization, findings by the tens of thousands on one line, and versions tagged
//! in the same second.

use crate::common::{files, git, tag, Repo};
use std::fs;

const NFC: &str = "financi\u{eb}n";
const NFD: &str = "financie\u{308}n";

#[test]
fn names_that_differ_only_in_case_or_extension_case_are_one_output_file() {
    let repo = Repo::fixture("basic");
    let section = |t: &str| format!("+++\ntitle = \"{t}\"\n+++\n\nTekst van {t}.\n");
    repo.write("content/beta/Aanpak.md", section("Aanpak groot"));
    repo.write("content/beta/aanpak.md", section("Aanpak klein"));
    repo.write("content/beta/notities.md", section("Notities"));
    repo.write("content/beta/notities.MD", section("Notities hoofdletters"));
    repo.write("content/Gamma/_index.md", section("Gamma groot"));
    repo.write("content/gamma/_index.md", section("Gamma klein"));
    repo.write("content/alpha/img/Kaart.png", "ander plaatje");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    for (a, b) in [
        ("content/beta/Aanpak.md", "content/beta/aanpak.md"),
        ("content/beta/notities.MD", "content/beta/notities.md"),
        ("content/Gamma/_index.md", "content/gamma/_index.md"),
        ("content/alpha/img/Kaart.png", "content/alpha/img/kaart.png"),
    ] {
        let found = run.stderr.lines().any(|l| l.contains("error[P0004]") && l.contains(a) && l.contains(b));
        assert!(found, "no P0004 naming {a} and {b} in\n{}", run.stderr);
    }
    assert!(run.stderr.contains("differ only in case"), "{}", run.stderr);
    assert!(!repo.site().exists(), "nothing is published");
}

#[test]
fn file_names_and_links_compare_in_nfc_and_output_is_written_in_nfc() {
    let repo = Repo::fixture("basic");
    // Saved by macOS in NFD; linked as typed elsewhere (NFC), percent-encoded, and in NFD.
    repo.write(
        &format!("content/beta/{NFD}.md"),
        format!("+++\ntitle = \"Financiën\"\n+++\n\n![Begroting](img/{NFD}.png)\n"),
    );
    repo.write(&format!("content/beta/img/{NFD}.png"), "png");
    repo.write(&format!("content/beta/{NFC}-2.md"), "+++\ntitle = \"Twee\"\n+++\n\nTekst.\n");
    repo.write(
        "content/beta/links.md",
        format!(
            "# Links\n\n[a]({NFC}.md) [b](financi%C3%ABn.md) [c]({NFD}.md) [d]({NFD}-2.md) \
             [e](financie%CC%88n-2.md)\n"
        ),
    );
    let run = repo.run(&["build"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("P0201"), "{}", run.stderr);
    let names: Vec<String> = files(&repo.site()).iter().map(|f| f.to_string_lossy().into_owned()).collect();
    for name in [format!("beta/{NFC}.html"), format!("beta/{NFC}-2.html"), format!("beta/img/{NFC}.png")] {
        assert!(names.contains(&name), "{name} not written in NFC: {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains(NFD)), "an NFD name in the output: {names:?}");
    let links = repo.read_site("beta/links.html");
    // The HTML writer percent-encodes the NFC name (NFD would be `financie%CC%88n`).
    assert_eq!(links.matches("href=\"financi%C3%ABn.html\"").count(), 3, "{links}");
    assert_eq!(links.matches("href=\"financi%C3%ABn-2.html\"").count(), 2, "{links}");
    let page = repo.read_site(&format!("beta/{NFC}.html"));
    assert!(page.contains("src=\"img/financi%C3%ABn.png\""), "{page}");

    // One name in both forms is one output file.
    repo.write(&format!("content/beta/{NFC}.md"), "+++\ntitle = \"Nog een\"\n+++\n\nTekst.\n");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("error[P0004]"), "{}", run.stderr);
}

#[test]
fn check_reports_fifty_thousand_findings_on_one_long_line_quickly() {
    let repo = Repo::fixture("clean");
    // 1 MB on one line: 50,000 unfilled placeholders (each a finding) between filler text.
    let mut line = String::with_capacity(1 << 20);
    while line.len() < 1_000_000 {
        line.push_str("<GEEN WAARDE> ");
        line.push_str(&"x".repeat(6));
    }
    let count = line.matches("<GEEN WAARDE>").count();
    assert!(count >= 45_000, "{count}");
    repo.write("content/plan/02-lang.md", format!("+++\ntitle = \"Lang\"\n+++\n\n{line}\n"));
    let started = std::time::Instant::now();
    let run = repo.run(&["check", "--format", "human"]);
    let took = started.elapsed();
    run.assert_code(0);
    assert_eq!(run.stderr.matches("warning[P0101]").count() + run.stdout.matches("warning[P0101]").count(), count);
    let out = format!("{}{}", run.stdout, run.stderr);
    // Every snippet is a window of the line around its column, the caret under it.
    let longest = out.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 400, "a line of {longest} bytes: the snippet is not windowed");
    assert!(out.contains("content/plan/02-lang.md:5:999"), "findings far into the line are reported");
    // Generous for a debug build on a shared machine; the old report took minutes and GBs.
    assert!(took.as_secs() < 60, "check took {took:?}");
}

#[test]
fn versions_tagged_in_the_same_second_follow_commit_order_then_version_order() {
    let repo = Repo::fixture("clean");
    repo.write(".gitignore", "/site/\n/.planboek-cache/\n");
    repo.write("planboek.toml", "title = \"T\"\n[versions]\nfrom_git = \"v*\"\n");
    git(repo.path(), "2026-01-10", &["init", "-q"]);
    let section = repo.path().join("content/plan/01-aanleiding.md");
    let base = fs::read_to_string(&section).expect("section");
    // v9 and v10 on one commit, v2 on a later one; all tagged on one day, in one second.
    for (name, edit) in [("v9", "negen"), ("v2", "twee")] {
        fs::write(&section, format!("{base}\nVersie {edit}.\n")).expect("edit");
        tag(&repo, "2026-01-10", name);
        if name == "v9" {
            git(repo.path(), "2026-01-10", &["tag", "v10"]);
        }
    }
    repo.run(&["build"]).assert_code(0);
    let landing = repo.read_site("index.html");
    let order: Vec<usize> = ["v2/index.html", "v10/index.html", "v9/index.html"]
        .iter()
        .map(|v| landing.find(&format!("href=\"{v}\"")).unwrap_or_else(|| panic!("{v} not on the landing page")))
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "newest first: v2 (later commit), v10, v9: {order:?}");
    let script = repo.read_site("_versions.js");
    let names: Vec<&str> = script.match_indices("\"name\":\"").map(|(i, _)| &script[i + 8..i + 11]).collect();
    assert_eq!(names.first().map(|n| n.trim_end_matches('"')), Some("v2"), "{script}");
}
