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

/// A folder outside the repository, beside it in the temporary folder, holding a canary.
fn outside_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = "+++\ntitle = \"Plan Zeearend\"\n+++\n\nZeearendgeheim van buiten.\n";
    for (rel, text) in [
        ("elders.md", "+++\ntitle = \"Zeearend\"\n+++\n\nZeearendgeheim uit een ander archief.\n"),
        ("passwd", "root:x:0:0:Zeearendgeheim:/root:/bin/sh\n"),
        ("map/a.md", "# Zeearend map\n\nZeearendgeheim in een map.\n"),
        ("plan/_index.md", plan),
        ("content/zeearend/_index.md", plan),
    ] {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    dir
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_root_are_refused_with_a_warning() {
    use std::os::unix::fs::symlink;
    let repo = Repo::fixture("basic");
    let out = outside_folder();
    let o = out.path();
    let up = Path::new("../../..").join(o.strip_prefix(repo.path().parent().expect("parent")).expect("siblings"));
    let links = [
        (o.join("elders.md"), "content/alpha/05-absoluut.md"),
        (up.join("elders.md"), "content/alpha/06-relatief.md"),
        (o.join("passwd"), "content/alpha/07-passwd.md"),
        (o.join("map"), "content/alpha/08-map"),
        (o.join("plan"), "content/zeearend"),
        (o.join("passwd"), "content/alpha/img/passwd.png"),
    ];
    for (target, link) in &links {
        symlink(target, repo.path().join(link)).expect("symlink");
    }
    // A link that stays inside the site root is followed.
    symlink("../beta/aanleiding.md", repo.path().join("content/beta/gedeeld.md")).expect("symlink");
    let run = repo.run(&["build"]);
    run.assert_code(0);
    for (_, link) in &links {
        let warning = format!("{link}: warning[P0009]");
        assert!(run.stderr.contains(&warning), "expected {warning} in\n{}", run.stderr);
    }
    assert!(run.stderr.contains("leads outside the site root"), "{}", run.stderr);
    assert_absent(&repo.site(), &["Zeearend"]);
    assert!(repo.read_site("beta/gedeeld.html").contains("geen front matter"), "an inside link is followed");

    // content/ itself linked out of the root: nothing is read from it.
    let repo = Repo::fixture("basic");
    fs::remove_dir_all(repo.path().join("content")).expect("rm content");
    symlink(o.join("content"), repo.path().join("content")).expect("symlink");
    let run = repo.run(&["build"]);
    assert!(run.stderr.contains("content: warning[P0009]"), "{}", run.stderr);
    if repo.site().exists() {
        assert_absent(&repo.site(), &["Zeearend"]);
    }
}

#[cfg(unix)]
#[test]
fn theme_files_linked_out_of_the_site_root_are_an_error() {
    let repo = Repo::fixture("basic");
    let out = outside_folder();
    repo.write("planboek.toml", "title = \"Testboek\"\ntheme = \"eigen\"\n");
    repo.write("themes/eigen/static/eigen.css", "body { color: black; }\n");
    std::os::unix::fs::symlink(out.path().join("passwd"), repo.path().join("themes/eigen/static/extra.css"))
        .expect("symlink");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("themes/eigen/static/extra.css: error[P0007]")
            && run.stderr.contains("leads outside the site root"),
        "{}",
        run.stderr
    );
    assert!(!repo.site().exists(), "nothing was published");
    // The whole theme folder linked out: the same.
    fs::remove_dir_all(repo.path().join("themes/eigen")).expect("rm");
    std::os::unix::fs::symlink(out.path(), repo.path().join("themes/eigen")).expect("symlink");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("themes/eigen: error[P0007]"), "{}", run.stderr);
}

#[test]
fn version_folders_outside_the_site_root_are_an_error_naming_the_entry() {
    let out = outside_folder();
    let o = out.path().display().to_string();
    // A name of its own beside the repository, as other runs share the temporary folder.
    let elders = format!("elders-{}", std::process::id());
    let mut cases = vec![
        (format!("../{elders}"), "leads outside the site root"),
        (o.clone(), "is absolute"),
        (format!("content/../../{elders}"), "leads outside the site root"),
    ];
    if cfg!(unix) {
        cases.push(("archief".to_string(), "leads outside the site root"));
    }
    for (path, why) in cases {
        let repo = Repo::fixture("basic");
        // `../elders-N` and `content/../../elders-N` from the repository lead to the canary.
        let elders = repo.path().parent().expect("parent").join(&elders);
        let _ = fs::remove_file(&elders);
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink(out.path(), &elders);
            std::os::unix::fs::symlink(out.path(), repo.path().join("archief")).expect("symlink");
        }
        let config = format!(
            "title = \"Testboek\"\n\n[versions]\ncurrent = \"concept\"\n\n[[versions.list]]\nname = \"nu\"\npath = \".\"\n\n\
             [[versions.list]]\nname = \"oud\"\npath = {path:?}\n"
        );
        repo.write("planboek.toml", config);
        let run = repo.run(&["build"]);
        let _ = fs::remove_file(&elders);
        run.assert_code(1);
        let at = "planboek.toml:12:1: error[P0005]";
        assert!(
            run.stderr.contains(at) && run.stderr.contains("version `oud`"),
            "{path}: expected {at} in\n{}",
            run.stderr
        );
        assert!(run.stderr.contains(why), "{path}: {}", run.stderr);
        if repo.site().exists() {
            assert_absent(&repo.site(), &["Zeearend"]);
        }
    }
}

/// A confidential section with the canary `zwartspecht` in its file name, folder, title,
/// owner, actions, headings, anchors, text and image, linked from a visible section.
fn confidential(name: &str, body: &str, up: &str) -> String {
    format!(
        "+++\ntitle = \"Zwartspecht {name}\"\nowner = \"zwartspecht-eigenaar\"\nclassification = \"vertrouwelijk\"\n\
         status = \"concept\"\n\n[[actions]]\nid = \"ZWARTSPECHT-{name}\"\nwhat = \"Zwartspecht actie\"\nwho = \"zwartspecht-wie\"\n\
         +++\n\n## Zwartspecht kop {{#zwartspecht-anker}}\n\n{body}\n\n![Zwartspecht foto]({up}img/zwartspecht.png)\n"
    )
}

#[test]
fn versioned_builds_never_show_a_removed_section_renamed_or_edited() {
    use crate::common::{git, tag};
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = Repo { dir };
    git(repo.path(), "2026-01-10", &["init", "-q"]);
    repo.write(".gitignore", "/site/\n/.planboek-cache/\n");
    repo.write("planboek.toml", "title = \"T\"\n[versions]\nfrom_git = \"v*\"\ncurrent = \"concept\"\n");
    repo.write("content/p/_index.md", "+++\ntitle = \"Plan P\"\n+++\n\nInleiding.\n");
    repo.write("content/p/img/zwartspecht.png", "png");
    let open = |target: &str, extra: &str| {
        format!(
            "+++\ntitle = \"Open\"\n+++\n\nZie [het dossier]({target}) en [de kop]({target}#zwartspecht-anker).\n\n\
             [ref]: {target}\n\nEen [verwijzing][ref]. {extra}\n"
        )
    };
    repo.write("content/p/01-open.md", open("03-zwartspecht-dossier.md", "Eerste versie."));
    repo.write("content/p/03-zwartspecht-dossier.md", confidential("dossier", "Zwartspecht tekst een.", ""));
    repo.write("content/p/04-zwartspecht-map/_index.md", confidential("map", "Zwartspecht in een map.", "../"));
    tag(&repo, "2026-01-10", "v1");
    // v2: the confidential section renamed and edited, the visible link following it.
    git(repo.path(), "2026-02-10", &["mv", "content/p/03-zwartspecht-dossier.md", "content/p/05-zwartspecht-nieuw.md"]);
    repo.write("content/p/05-zwartspecht-nieuw.md", confidential("nieuw", "Zwartspecht tekst twee.", ""));
    repo.write("content/p/01-open.md", open("05-zwartspecht-nieuw.md", "Tweede versie."));
    repo.write("content/p/04-zwartspecht-map/_index.md", confidential("map", "Zwartspecht map gewijzigd.", "../"));
    tag(&repo, "2026-02-10", "v2");
    // The working tree: renamed once more, the visible text edited.
    std::fs::rename(
        repo.path().join("content/p/05-zwartspecht-nieuw.md"),
        repo.path().join("content/p/06-zwartspecht-concept.md"),
    )
    .expect("rename");
    repo.write("content/p/01-open.md", open("06-zwartspecht-concept.md", "Derde versie."));
    let run = repo.run(&["build"]);
    run.assert_code(0);
    let changes = crate::common::visible(&repo.read_site("v2/changes.html"));
    assert!(changes.contains("<del>Eerste</del><ins>Tweede</ins>"), "the visible edit is shown: {changes}");
    assert_absent(&repo.site(), &["zwartspecht"]);
    // Built for the confidential audience, all of it is there.
    let all = repo.run(&["build", "--audience", "vertrouwelijk", "-o", "alles"]);
    all.assert_code(0);
    let changes =
        crate::common::visible(&fs::read_to_string(repo.path().join("alles/v2/changes.html")).expect("changes"));
    assert!(changes.contains("Zwartspecht"), "{changes}");
}
