//! Hosting under a sub-path: the 404 page, which a web server sends for a missing address in
//! any folder, leads from `base_path` in planboek.toml; every other page stays relative.

use crate::common::server::Server;
use crate::common::Repo;

/// The values of every `href="…"` and `src="…"` in `html`.
fn targets(html: &str) -> Vec<&str> {
    ["href=\"", "src=\""]
        .iter()
        .flat_map(|attr| html.split(attr).skip(1).filter_map(|rest| rest.split_once('"').map(|(v, _)| v)))
        .collect()
}

#[test]
fn the_404_page_leads_from_base_path_and_the_others_stay_relative() {
    let repo = Repo::fixture("basic");
    repo.write("planboek.toml", "title = \"Testboek\"\nbase_path = \"/intranet/plannen\"\n");
    repo.run(&["build"]).assert_code(0);
    let missing = repo.read_site("404.html");
    let links = targets(&missing);
    assert!(links.contains(&"/intranet/plannen/_static/planboek.css"), "{links:?}");
    assert!(links.contains(&"/intranet/plannen/index.html"), "{links:?}");
    // Served from any folder (`/intranet/plannen/alpha/geen/pagina.html`), each target is a
    // file of the handbook mounted at /intranet/plannen/.
    for link in links.into_iter().filter(|l| !l.starts_with('#')) {
        let rel = link.strip_prefix("/intranet/plannen/").unwrap_or_else(|| panic!("{link} leads from base_path"));
        assert!(repo.site().join(rel).is_file(), "{link} exists in the output");
    }
    let page = repo.read_site("alpha/01-aanleiding.html");
    assert!(page.contains("href=\"../_static/planboek.css\"") && !page.contains("/intranet/"), "{page}");
    // The preview server serves at `/`: its 404 page stays relative.
    let server = Server::start(&repo, &[]);
    let served = server.wait_for("/geen/pagina.html", |r| r.status == 404 && r.body.contains("<html"));
    assert!(!served.body.contains("/intranet/"), "{}", served.body);
}

#[test]
fn a_base_path_that_could_lead_elsewhere_is_refused_at_its_line() {
    for bad in ["//evil.example/", "https://evil.example/", "plannen/", "/a/../b/", "/a\\\" onload=\\\"x/"] {
        let repo = Repo::fixture("basic");
        repo.write("planboek.toml", format!("title = \"Testboek\"\nbase_path = \"{bad}\"\n"));
        let run = repo.run(&["build"]);
        run.assert_code(1);
        assert!(run.stderr.contains("planboek.toml:2:1: error[P0005]: base_path"), "{bad}: {}", run.stderr);
        assert!(!repo.site().exists(), "nothing is written");
    }
}
