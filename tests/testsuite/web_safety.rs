//! What a published page may do in a reader's browser: no script URLs (whatever the raw HTML
//! setting), no image that phones home, no referrer to other sites, no inline script, and a
//! strict Content-Security-Policy that the handbook passes in a real browser.

use crate::common::{files, Repo};
use std::fs;
use std::path::Path;
use std::process::Command;

/// Every file of `dir` with the given extension, as (path, text).
fn texts(dir: &Path, ext: &str) -> Vec<(String, String)> {
    files(dir)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == ext))
        .map(|f| (f.display().to_string(), fs::read_to_string(dir.join(&f)).expect("read")))
        .collect()
}

#[test]
fn unsafe_urls_stay_refused_when_raw_html_is_allowed() {
    let repo = Repo::fixture("basic");
    repo.write("planboek.toml", "title = \"Testboek\"\nallow_raw_html = true\n");
    repo.write(
        "content/beta/links.md",
        "# Links\n\n[a](javascript:alert('pwn-a'))\n\n![b](data:text/html;base64,cHduLWI=)\n\n\
         [c](vbscript:msgbox-pwn-c)\n\n[d](<JaVa\tScript:pwn-d>)\n",
    );
    let run = repo.run(&["build"]);
    run.assert_code(0);
    for (line, col) in [(3, 1), (5, 1), (7, 1), (9, 1)] {
        let at = format!("content/beta/links.md:{line}:{col}: warning[P0203]");
        assert!(run.stderr.contains(&at), "expected {at} in\n{}", run.stderr);
    }
    let page = repo.read_site("beta/links.html");
    for gone in ["pwn-a", "cHduLWI", "pwn-c", "pwn-d", "javascript:", "vbscript:", "data:"] {
        assert!(!page.contains(gone), "{gone} left in\n{page}");
    }
}

#[test]
fn remote_images_are_links_unless_allowed() {
    let repo = Repo::fixture("basic");
    repo.write(
        "content/beta/kaart.md",
        "# Kaart\n\n![Wijkkaart](https://tracker.example/pixel.png)\n\nEn ![](//tracker.example/p.gif).\n",
    );
    let run = repo.run(&["build"]);
    run.assert_code(0);
    for at in ["content/beta/kaart.md:3:1: warning[P0207]", "content/beta/kaart.md:5:4: warning[P0207]"] {
        assert!(run.stderr.contains(at), "expected {at} in\n{}", run.stderr);
    }
    for (file, html) in texts(&repo.site(), "html") {
        assert!(
            !html.contains("<img src=\"https://") && !html.contains("<img src=\"//"),
            "{file} embeds a remote image"
        );
    }
    let page = repo.read_site("beta/kaart.html");
    assert!(
        page.contains("<a href=\"https://tracker.example/pixel.png\" rel=\"noreferrer noopener\">Wijkkaart</a>"),
        "{page}"
    );

    repo.write("planboek.toml", "title = \"Testboek\"\nallow_remote_images = true\n");
    let run = repo.run(&["build"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("P0207"), "{}", run.stderr);
    assert!(repo.read_site("beta/kaart.html").contains("<img src=\"https://tracker.example/pixel.png\""));
}

/// Every page of a build, the 404 page and a versioned build's landing, changes and version
/// pages included, tells browsers and robots what it must; nothing runs inline.
fn assert_pages_are_safe(site: &Path) {
    let pages = texts(site, "html");
    assert!(pages.iter().any(|(f, _)| f == "404.html"), "the 404 page is checked");
    for (file, html) in &pages {
        let head = html.split("</head>").next().unwrap_or_default();
        for meta in
            ["<meta name=\"referrer\" content=\"no-referrer\">", "<meta name=\"robots\" content=\"noindex, nofollow\">"]
        {
            assert!(head.contains(meta), "{file}: no {meta}");
        }
        for (at, _) in html.match_indices("<a href=\"http") {
            let tag = &html[at..at + html[at..].find('>').expect("tag end")];
            assert!(tag.contains("rel=\"noreferrer noopener\""), "{file}: external link without rel: {tag}");
        }
    }
    for file in files(site) {
        let text = String::from_utf8_lossy(&fs::read(site.join(&file)).expect("read")).to_lowercase();
        for (at, _) in text.match_indices("<script") {
            let tag = &text[at..at + text[at..].find('>').unwrap_or(text.len() - at)];
            assert!(tag.contains(" src="), "{}: inline script: {tag}", file.display());
        }
        for handler in [" onclick=", " onload=", " onerror=", " onmouseover=", "javascript:"] {
            assert!(!text.contains(handler), "{}: {handler}", file.display());
        }
    }
}

#[test]
fn every_page_sends_no_referrer_is_not_indexed_and_has_no_inline_script() {
    let repo = Repo::fixture("basic");
    repo.write("content/beta/extern.md", "# Extern\n\nZie [de site](https://example.org/a?b=1).\n");
    repo.run(&["build"]).assert_code(0);
    assert_pages_are_safe(&repo.site());
    assert!(repo.read_site("beta/extern.html").contains("rel=\"noreferrer noopener\""));
    // The raw-HTML section's links are cleaned and get the same.
    let raw = repo.read_site("alpha/04-veilig.html");
    assert!(raw.contains("<a href=\"https://example.org/pad\" rel=\"noreferrer noopener\">"), "{raw}");

    let example = Repo::versioned_example();
    assert_pages_are_safe(&example.site());
}

/// The policy of the README's nginx snippet, which the IIS snippet must repeat.
fn readme_policy() -> String {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    let nginx = readme.split("add_header Content-Security-Policy \"").nth(1).expect("the nginx snippet");
    let policy = nginx.split('"').next().expect("policy").to_string();
    assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-eval"), "{policy}");
    let iis = format!("<add name=\"Content-Security-Policy\" value=\"{policy}\" />");
    assert!(readme.contains(&iis), "the IIS snippet gives the same policy");
    policy
}

#[test]
#[cfg_attr(planboek_no_browser, ignore = "needs Chromium, node and playwright-core; .ci/run installs them")]
fn a_strict_content_security_policy_causes_no_violation_in_chromium() {
    let policy = readme_policy();
    let Some((modules, chromium)) = crate::browser::browser() else { return };
    let repo = Repo::versioned_example();
    // The check's own control: an inline script must be reported.
    repo.write("site/control.html", "<!DOCTYPE html><title>x</title><script>document.title = 'y';</script>");
    let page = "jeugdgroep-kadepoort/03-plan-van-aanpak/02-inzet-op-het-individu.html";
    let pages = [
        "index.html".to_string(),
        "404.html".to_string(),
        format!("v2/{page}@.pb-switcher"),
        format!("v1/{page}@.pb-banner--old-version"),
        "v2/changes.html@.pb-switcher".to_string(),
        "concept/index.html@.pb-switcher".to_string(),
        "!control.html".to_string(),
    ];
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/browser/csp.js");
    let out = Command::new("node")
        .arg(script)
        .arg(repo.site())
        .arg(&policy)
        .args(&pages)
        .env("PLANBOEK_NODE_MODULES", modules)
        .env("PLANBOEK_CHROMIUM", chromium)
        .output()
        .expect("run node");
    assert!(out.status.success(), "CSP check failed:\n{}", String::from_utf8_lossy(&out.stderr));
}
