//! The accessibility gate: axe-core with the WCAG 2.1 A and AA rules on every page type in
//! Chromium (browser/axe.js), at a desktop and a phone width, failing on any violation.

use crate::browser::{check_with, file_url};
use crate::common::server::Server;
use crate::common::Repo;

/// Known violations let through, each as `rule:text of the element`: none.
const KNOWN: &[&str] = &[];

#[test]
#[cfg_attr(
    any(planboek_no_browser, planboek_no_axe),
    ignore = "needs Chromium, node, playwright-core and axe-core; .ci/run installs them"
)]
fn every_page_type_passes_axe_core_with_the_wcag_2_1_aa_rules() {
    // The versioned example: the versions' home, a version's home, changes page and
    // registers, a plan, sections with a table, footnotes and actions, the print edition, the
    // search page and the 404 page.
    let repo = Repo::versioned_example();
    let site = repo.site();
    let plan = "v2/jeugdgroep-kadepoort";
    let pages = [
        "index.html".to_string(),
        "404.html".to_string(),
        "v2/index.html".to_string(),
        "v2/changes.html".to_string(),
        "v2/actions.html".to_string(),
        format!("{plan}/index.html"),
        format!("{plan}/actions.html"),
        format!("{plan}/print.html"),
        format!("{plan}/01-probleemanalyse/01-aanleiding.html"),
        format!("{plan}/03-plan-van-aanpak/02-inzet-op-het-individu.html"),
        format!("{plan}/02-doelstellingen.html"),
    ];
    let mut urls: Vec<String> = pages.iter().map(|p| file_url(&site.join(p))).collect();
    // The search page with results, filters and marked excerpts.
    urls.push(format!("{}?q=overlast+jongeren", file_url(&site.join("v2/search.html"))));
    // The preview (with the template plan, a draft, its guidance and blanks shown), over HTTP.
    let server = Server::start(&repo, &["-p", "0"]);
    let section = "sjabloon/01-probleemanalyse/01-aanleiding.html";
    server.wait_for(&format!("/{section}"), |r| r.status == 200);
    urls.push(format!("http://127.0.0.1:{}/{section}", server.port));
    urls.push(format!("http://127.0.0.1:{}/jeugdgroep-kadepoort/index.html", server.port));
    let mut args: Vec<&str> = KNOWN.iter().flat_map(|k| ["--known", *k]).collect();
    args.extend(urls.iter().map(String::as_str));
    check_with("axe.js", &args);
}
