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
    let Some((modules, chromium)) = browser() else { return };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/browser/check.js");
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

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
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
fn the_version_switcher_works_opened_from_disk() {
    let repo = Repo::versioned_example();
    let page = "jeugdgroep-kadepoort/02-doelstellingen.html";
    check(&["switcher", &file_url(&repo.site().join("v1").join(page)), "v2", &format!("/v2/{page}")]);
    check(&["switcher", &file_url(&repo.site().join("v2").join(page)), "concept", &format!("/concept/{page}")]);
}

#[test]
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
