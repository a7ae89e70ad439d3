//! Leaks: nothing of a section classified above the audience, and nothing from outside the
//! repository, may reach the output. Each test plants a canary and greps every output file
//! of every type (and every file name) for it.

use crate::common::{files, Repo};
use std::fs;
use std::path::Path;

/// Asserts that no file under `dir` holds or is named after any of `canaries` (compared
/// without case).
pub fn assert_absent(dir: &Path, canaries: &[&str]) {
    let all = files(dir);
    assert!(!all.is_empty(), "nothing was written to {}", dir.display());
    for file in all {
        let bytes = fs::read(dir.join(&file)).expect("read output file");
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        let name = file.to_string_lossy().to_lowercase();
        for canary in canaries {
            let canary = canary.to_lowercase();
            assert!(!text.contains(&canary), "{canary} leaked into {}", file.display());
            assert!(!name.contains(&canary), "{canary} leaked as the file name {}", file.display());
        }
    }
}

/// Front matter in every shape an editor or an export produces: each must be read as
/// front matter (so the section is left out) or be an error at its line with the section
/// counted as `vertrouwelijk`. Never is its text published with the default classification.
#[test]
fn front_matter_in_odd_shapes_never_publishes_a_confidential_section() {
    let fm = "title = \"Geheim CANARY\"\nclassification = \"vertrouwelijk\"";
    let body = "Tekst van CANARY die alleen vertrouwelijk is.";
    // Read as front matter: the build succeeds without the section.
    let accepted = [
        format!("\n+++\n{fm}\n+++\n\n{body}\n"),
        format!(" \n  +++\n{fm}\n+++\n{body}\n"),
        format!("+++\r{}\r+++\r\r{body}\r", fm.replace('\n', "\r")),
        format!("+++\r\n{}\n+++\r\r\n{body}\r\n", fm.replace('\n', "\r")),
        format!("\u{200b}+++\n{fm}\n+++\n{body}\n"),
        format!("\u{feff}\r\n+++ \r\n{fm}\r\n+++\r\n{body}\r\n"),
    ];
    // Looks like front matter but is not where or what it must be: an error at its line.
    let suspect = [
        (format!("Concept!\n\n+++\n{fm}\n+++\n{body}\n"), 3),
        (format!("+++toml\n{fm}\n+++\n{body}\n"), 1),
        (format!("\n---\ntitle: Geheim CANARY\nclassification: vertrouwelijk\n---\n{body}\n"), 2),
        (format!("+++\ntitle = \"x\"\n+++\n\nTekst.\n\n+++\n{fm}\n+++\n{body}\n"), 7),
    ];
    let repo = Repo::fixture("basic");
    let mut canaries = Vec::new();
    for (i, text) in accepted.iter().enumerate() {
        let canary = format!("Gierzwaluw{i}");
        repo.write(&format!("content/alpha/09-{canary}.md"), text.replace("CANARY", &canary));
        canaries.push(canary);
    }
    let refs: Vec<&str> = canaries.iter().map(String::as_str).collect();
    let run = repo.run(&["build"]);
    run.assert_code(0);
    assert_absent(&repo.site(), &refs);
    // In a confidential build, each is a page with its title from the front matter.
    let all = repo.run(&["build", "--audience", "vertrouwelijk", "-o", "all"]);
    all.assert_code(0);
    for canary in &canaries {
        let page = fs::read_to_string(repo.path().join(format!("all/alpha/09-{canary}.html"))).expect("page");
        assert!(page.contains(&format!("Geheim {canary}</h1>")), "the title comes from the front matter: {page}");
        assert!(page.contains(&format!("Tekst van {canary}")), "{page}");
        assert!(!page.contains("classification"), "front matter is not body text: {canary}");
    }

    for (i, (text, line)) in suspect.iter().enumerate() {
        let repo = Repo::fixture("basic");
        let canary = format!("Huiszwaluw{i}");
        let file = format!("content/alpha/09-{canary}.md");
        repo.write(&file, text.replace("CANARY", &canary));
        let run = repo.run(&["build"]);
        run.assert_code(1);
        let at = format!("{file}:{line}:1: error[P0018]");
        assert!(run.stderr.contains(&at), "case {i}: expected {at} in\n{}", run.stderr);
        assert!(run.stderr.contains("counts as vertrouwelijk"), "{}", run.stderr);
        // Lowering the lint does not lower the classification.
        repo.write("planboek.toml", "title = \"Testboek\"\n[check]\nlevels = { misplaced-front-matter = \"allow\" }\n");
        repo.run(&["build"]).assert_code(0);
        assert_absent(&repo.site(), &[&canary]);
    }
}
