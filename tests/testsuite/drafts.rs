//! Drafts (`draft = true` on a plan or a section): shown by `serve` and previews, left out of
//! `build` and `check` unless `--drafts`, counted in the summary. Left out, a draft is a
//! confidentiality boundary like the audience: no byte of it may reach any output.

use crate::common::server::Server;
use crate::common::{git, tag, Repo};
use crate::leaks::assert_absent;
use std::fs;

/// Every place a draft's words could surface: file and folder names, titles, text, headings,
/// anchors, actions, owners, images; one draft plan, one draft section with a subsection
/// that is not marked itself, and a link to the draft from a published page.
fn with_drafts() -> Repo {
    let repo = Repo::fixture("basic");
    repo.write(
        "content/alpha/05-roerdomp-schets.md",
        "+++\ntitle = \"Roerdomp schets\"\ndraft = true\nowner = \"roerdomp-eigenaar\"\n\n[[actions]]\n\
         id = \"ROERDOMP-1\"\nwhat = \"Roerdomp actie\"\nwho = \"politie\"\ndue = 2026-02-01\n+++\n\n\
         ## Roerdomp kop {#roerdomp-anker}\n\nRoerdomptekst in wording.\n\n![Roerdomp foto](img/roerdomp.png)\n",
    );
    repo.write("content/alpha/img/roerdomp.png", "png");
    repo.write(
        "content/alpha/06-roerdomp-map/_index.md",
        "+++\ntitle = \"Roerdomp map\"\ndraft = true\n+++\n\nRoerdomp in een map.\n",
    );
    repo.write(
        "content/alpha/06-roerdomp-map/onder.md",
        "+++\ntitle = \"Onder de roerdomp\"\n+++\n\nRoerdomp onder.\n",
    );
    repo.write(
        "content/roerdomp-plan/_index.md",
        "+++\ntitle = \"Plan Roerdomp\"\ndraft = true\npartners = [\"roerdomp-partner\"]\n+++\n\nRoerdompplan.\n",
    );
    repo.write("content/roerdomp-plan/01-deel.md", "+++\ntitle = \"Roerdomp deel\"\n+++\n\nRoerdomp deeltekst.\n");
    repo.write(
        "content/alpha/07-open.md",
        "+++\ntitle = \"Open\"\n+++\n\nZie [de schets](05-roerdomp-schets.md#roerdomp-anker).\n",
    );
    repo
}

#[test]
fn a_build_leaves_drafts_out_whole_and_counts_them() {
    let repo = with_drafts();
    let run = repo.run(&["build"]);
    run.assert_code(0);
    assert_absent(&repo.site(), &["roerdomp"]);
    assert!(run.stdout.contains("3 drafts left out (--drafts builds them)"), "{}", run.stdout);
    // The link to the draft is shown as text, with the warning for a link to a left-out section.
    assert!(run.stderr.contains("content/alpha/07-open.md:5:5: warning[P0202]"), "{}", run.stderr);
    // A draft's overdue action is no finding of a published build.
    assert!(!run.stderr.contains("P0304"), "{}", run.stderr);
    // `check` checks what `build` publishes, and says what it left out.
    let check = repo.run(&["check"]);
    check.assert_code(0);
    let in_drafts = |l: &&str| l.starts_with("content/alpha/05-roerdomp") || l.starts_with("content/roerdomp-plan");
    assert!(!check.stdout.lines().any(|l| in_drafts(&l)) && !check.stdout.contains("P0304"), "{}", check.stdout);
    assert!(check.stderr.contains("note: 3 drafts not checked; --drafts checks them"), "{}", check.stderr);
    let all = repo.run(&["check", "--drafts"]);
    assert!(all.stdout.contains("05-roerdomp-schets.md:10:1: warning[P0304]"), "{}", all.stdout);
    assert!(!all.stderr.contains("not checked"), "{}", all.stderr);
}

#[test]
fn drafts_are_built_with_a_banner_under_drafts_and_preview() {
    for flag in ["--drafts", "--preview"] {
        let repo = with_drafts();
        let run = repo.run(&["build", flag]);
        run.assert_code(0);
        assert!(!run.stdout.contains("left out"), "{}", run.stdout);
        for page in ["alpha/05-roerdomp-schets.html", "alpha/06-roerdomp-map/onder.html", "roerdomp-plan/01-deel.html"]
        {
            let html = repo.read_site(page);
            assert!(html.contains("pb-banner--draft") && html.contains("Niet gepubliceerd"), "{flag} {page}: {html}");
        }
        let published = repo.read_site("alpha/01-aanleiding.html");
        assert!(!published.contains("pb-banner--draft"), "only drafts carry the banner");
        assert!(repo.read_site("alpha/07-open.html").contains("href=\"05-roerdomp-schets.html#roerdomp-anker\""));
    }
}

#[test]
fn serve_shows_drafts() {
    let repo = with_drafts();
    let server = Server::start(&repo, &[]);
    let page = server.wait_for("/roerdomp-plan/01-deel.html", |r| r.status == 200);
    assert!(page.body.contains("Roerdomp deeltekst") && page.body.contains("pb-banner--draft"), "{}", page.body);
    assert!(server.get("/alpha/05-roerdomp-schets.html").body.contains("Roerdomptekst"));
}

/// A `draft` that cannot be read (a wrong type) counts as a draft, whatever the lint level:
/// when in doubt, a section stays out.
#[test]
fn an_unreadable_draft_flag_keeps_the_section_out() {
    let repo = Repo::fixture("basic");
    repo.write("content/alpha/05-kwak.md", "+++\ntitle = \"Kwak\"\ndraft = \"ja\"\n+++\n\nKwaktekst.\n");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("content/alpha/05-kwak.md:3:9: error[P0014]"), "{}", run.stderr);
    repo.write("planboek.toml", "title = \"Testboek\"\n[check]\nlevels = { wrong-type = \"allow\" }\n");
    repo.run(&["build", "--audience", "vertrouwelijk"]).assert_code(0);
    assert_absent(&repo.site(), &["kwak"]);
}

#[test]
fn versioned_builds_leave_drafts_out_of_every_version() {
    let repo = with_drafts();
    repo.write(".gitignore", "/site/\n/.planboek-cache/\n");
    git(repo.path(), "2026-01-10", &["init", "-q"]);
    repo.write("planboek.toml", "title = \"T\"\n[versions]\nfrom_git = \"v*\"\ncurrent = \"concept\"\n");
    tag(&repo, "2026-01-10", "v1");
    repo.write(
        "content/alpha/05-roerdomp-schets.md",
        "+++\ntitle = \"Roerdomp nieuw\"\ndraft = true\n+++\n\n## Roerdomp kop {#roerdomp-anker}\n\nRoerdomp twee.\n",
    );
    tag(&repo, "2026-02-10", "v2");
    let run = repo.run(&["build"]);
    run.assert_code(0);
    assert!(run.stdout.contains("drafts left out"), "{}", run.stdout);
    assert_absent(&repo.site(), &["roerdomp"]);
    let drafts = repo.run(&["build", "--drafts", "-o", "met"]);
    drafts.assert_code(0);
    let page = fs::read_to_string(repo.path().join("met/v2/alpha/05-roerdomp-schets.html")).expect("draft page");
    assert!(page.contains("Roerdomp twee") && page.contains("pb-banner--draft"), "{page}");
}

/// The example repository builds without a finding (its dates are those of the complete
/// plan's own time), and its bare template is a draft that is not published.
#[test]
fn the_example_builds_clean_with_the_template_as_a_draft() {
    let repo = Repo::example();
    let run = repo.run(&["build"]);
    run.assert_code(0);
    assert_eq!(run.stderr, "", "the example builds without a finding");
    assert!(
        run.stdout.contains("built 1 plan,") && run.stdout.contains("0 warnings, 1 draft left out"),
        "{}",
        run.stdout
    );
    assert!(!repo.site().join("sjabloon").exists(), "the template is not published");
    assert_absent(&repo.site(), &["NAAM GROEP", "Voorbeeldtekst"]);
    // Built later, the complete plan's open actions are overdue, and that is all (README).
    let late = repo.run(&["build", "--today", "2027-06-01"]);
    late.assert_code(0);
    let findings: Vec<&str> = late.stderr.lines().filter(|l| l.contains(": warning[")).collect();
    assert!(!findings.is_empty() && findings.iter().all(|l| l.contains("warning[P0304]")), "{}", late.stderr);
    assert_eq!(late.stderr.lines().count(), findings.len(), "{}", late.stderr);
}
