//! The built example handbook, crawled from index.html: every internal link and asset
//! resolves to a file (and, with `#`, to an element id), and nothing comes from outside.

use crate::common::crawl::{assert_css_local, crawl};
use crate::common::Repo;

#[test]
fn every_internal_link_of_the_example_resolves() {
    let repo = Repo::example();
    for audience in ["openbaar", "intern", "vertrouwelijk"] {
        let out = format!("site-{audience}");
        repo.run(&["build", "--drafts", "--audience", audience, "-o", &out]).assert_code(0);
        let site = repo.path().join(&out);
        let pages = crawl(&site, "index.html");
        let reached = pages.len();
        assert_css_local(&site);
        // The example has few public sections; the internal builds hold both plans whole.
        let expected = if audience == "openbaar" { 3 } else { 30 };
        assert!(reached >= expected, "{audience}: crawl reached only {reached} pages");
        // The registers and the print edition are reached by links (and crawled in turn).
        for page in ["actions.html", "jeugdgroep-kadepoort/actions.html", "jeugdgroep-kadepoort/print.html"] {
            assert!(pages.contains(std::path::Path::new(page)), "{audience}: {page} is not linked");
        }
        let home = std::fs::read_to_string(site.join("index.html")).expect("home");
        for export in ["exports/actions.csv", "exports/deadlines.ics", "exports/plans.json"] {
            assert!(home.contains(&format!("href=\"{export}\"")) && site.join(export).is_file(), "{export}");
        }
    }
}
