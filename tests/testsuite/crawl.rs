//! The built example handbook, crawled from index.html: every internal link and asset
//! resolves to a file (and, with `#`, to an element id), and nothing comes from outside.

use crate::common::crawl::{assert_css_local, crawl};
use crate::common::Repo;

#[test]
fn every_internal_link_of_the_example_resolves() {
    let repo = Repo::example();
    for audience in ["openbaar", "intern", "vertrouwelijk"] {
        let out = format!("site-{audience}");
        repo.run(&["build", "--audience", audience, "-o", &out]).assert_code(0);
        let site = repo.path().join(&out);
        let reached = crawl(&site, "index.html").len();
        assert_css_local(&site);
        // The example has few public sections; the internal builds hold both plans whole.
        let expected = if audience == "openbaar" { 3 } else { 30 };
        assert!(reached >= expected, "{audience}: crawl reached only {reached} pages");
    }
}
