//! The handbook in a real browser (Debian's Chromium, driven by playwright-core from node):
//! keyboard navigation with visible focus, the phone layout, the version switcher opened from
//! disk, and live reload keeping the reader's place. `.ci/run` installs what it needs; where
//! it is missing outside CI, the tests say so and pass.

use crate::common::Repo;
use std::path::{Path, PathBuf};
use std::process::Command;

/// node_modules holding playwright-core, and the Chromium binary; None when either is missing.
pub fn browser() -> Option<(PathBuf, PathBuf)> {
    let modules = std::env::var_os("PLANBOEK_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/tools/node_modules"));
    let chromium =
        std::env::var_os("PLANBOEK_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let found = modules.join("playwright-core").is_dir() && chromium.is_file();
    if !found {
        assert!(std::env::var_os("CI").is_none(), "CI must install Chromium and playwright-core (see .ci/run)");
        eprintln!("skipped: Chromium or playwright-core is not installed (run .ci/run once)");
    }
    found.then_some((modules, chromium))
}

/// Runs one check of tests/testsuite/browser/check.js; panics with its message when it fails.
fn check(args: &[&str]) {
    check_with("check.js", args);
}

/// Runs one check of the script `name` beside check.js.
pub fn check_with(name: &str, args: &[&str]) {
    let Some((modules, chromium)) = browser() else { return };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/browser").join(name);
    let out = Command::new("node")
        .arg(script)
        .args(args)
        .env("PLANBOEK_NODE_MODULES", modules)
        .env("PLANBOEK_CHROMIUM", chromium)
        .output()
        .expect("run node");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "browser check {args:?} failed:\n{stderr}");
}

pub fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
#[cfg_attr(planboek_no_browser, ignore = "needs Chromium, node and playwright-core; .ci/run installs them")]
fn keyboard_navigation_and_the_phone_layout() {
    let repo = Repo::example();
    repo.run(&["build"]).assert_code(0);
    // The home page: skip link, title, the two plans. A section: also the menu, breadcrumbs,
    // table of contents, body links and pager.
    for (page, stops) in
        [("index.html", "4"), ("jeugdgroep-kadepoort/03-plan-van-aanpak/02-inzet-op-het-individu.html", "20")]
    {
        check(&["keyboard", &file_url(&repo.site().join(page)), stops]);
    }
}

#[test]
#[cfg_attr(planboek_no_browser, ignore = "needs Chromium, node and playwright-core; .ci/run installs them")]
fn the_version_switcher_works_opened_from_disk() {
    let repo = Repo::versioned_example();
    let page = "jeugdgroep-kadepoort/02-doelstellingen.html";
    check(&["switcher", &file_url(&repo.site().join("v1").join(page)), "v2", &format!("/v2/{page}")]);
    check(&["switcher", &file_url(&repo.site().join("v2").join(page)), "concept", &format!("/concept/{page}")]);
    // The list: every version with its date and status, this one marked, styled as a panel.
    let shot = repo.path().join("switcher.png");
    let url = file_url(&repo.site().join("v1").join(page));
    check_with("versions.js", &["list", &url, "v1", &shot.to_string_lossy()]);
    // Each page loads the switcher data of its own folder, and it works under a sub-path with
    // a strict Content-Security-Policy too.
    let site = repo.site().to_string_lossy().into_owned();
    for how in ["file", "http"] {
        check_with("versions.js", &["follow", &site, how, &format!("v2/{page}"), "v1", &format!("v1/{page}")]);
        check_with("versions.js", &["follow", &site, how, "v1/actions.html", "v2", "v2/actions.html"]);
    }
}

#[test]
#[cfg_attr(planboek_no_browser, ignore = "needs Chromium, node and playwright-core; .ci/run installs them")]
fn live_reload_keeps_the_scroll_position_and_shows_errors() {
    if browser().is_none() {
        return;
    }
    let repo = Repo::example();
    let server = crate::common::server::Server::start(&repo, &["-p", "0"]);
    let section = "jeugdgroep-kadepoort/03-plan-van-aanpak/02-inzet-op-het-individu";
    let source = repo.path().join(format!("content/{section}.md"));
    let url = format!("http://127.0.0.1:{}/{section}.html", server.port);
    check(&["reload", &url, &source.to_string_lossy()]);
}

#[test]
#[cfg_attr(planboek_no_browser, ignore = "needs Chromium, node and playwright-core; .ci/run installs them")]
fn the_register_filters_with_javascript_shows_all_without_and_fits_a_phone() {
    let repo = crate::commitments::actions_repo();
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let register = file_url(&repo.site().join("alpha/actions.html"));
    check_with(
        "commitments.js",
        &["register", &register, "politie", &file_url(&repo.site().join("alpha/05-acties.html"))],
    );
}

#[test]
#[cfg_attr(
    any(planboek_no_browser, planboek_no_pdftotext),
    ignore = "needs Chromium, node, playwright-core and pdftotext; .ci/run installs them"
)]
fn the_print_edition_prints_to_a4_with_title_and_classification_on_every_page() {
    if browser().is_none() {
        return;
    }
    let repo = crate::commitments::actions_repo();
    repo.write(
        "content/alpha/04-veilig.md",
        "+++\ntitle = \"Veilig\"\n+++\n\nZie [de bron](https://example.org/bron).\n",
    );
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let pdf = repo.path().join("plan.pdf");
    check_with("commitments.js", &["print", &file_url(&repo.site().join("alpha/print.html")), &pdf.to_string_lossy()]);
    // The PDF's text, page by page (poppler's pdftotext; .ci/run installs it).
    let Ok(out) = Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output() else {
        assert!(std::env::var_os("CI").is_none(), "CI must install pdftotext (poppler-utils, see .ci/run)");
        eprintln!("skipped: pdftotext is not installed");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 5, "cover, four top-level sections and the register: {} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("Plan van aanpak jeugdgroep De Haven"), "page {} names the plan:\n{page}", i + 1);
        assert!(page.contains("Rubricering: Intern"), "page {} carries the classification:\n{page}", i + 1);
        let compact: String = page.split_whitespace().collect();
        assert!(compact.contains(&format!("{}/{}", i + 1, pages.len())), "page {} is numbered:\n{page}", i + 1);
    }
    assert!(text.contains("(https://example.org/bron)"), "the link's target is printed");
    // After the cover (with its contents): the sections in reading order, the register last.
    let body = &text[text.find("Dit plan gaat over").expect("the introduction")..];
    let at = |s: &str| body.find(s).unwrap_or_else(|| panic!("{s} in the PDF"));
    assert!(at("Inzet op de groep") < at("Aanleiding") && at("Aanleiding") < at("Actieregister"), "reading order");
}
