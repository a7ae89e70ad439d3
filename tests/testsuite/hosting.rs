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
    assert!(links.iter().any(|l| l.starts_with("/intranet/plannen/_static/planboek.css?v=")), "{links:?}");
    assert!(links.contains(&"/intranet/plannen/index.html"), "{links:?}");
    // Served from any folder (`/intranet/plannen/alpha/geen/pagina.html`), each target is a
    // file of the handbook mounted at /intranet/plannen/.
    for link in links.into_iter().filter(|l| !l.starts_with('#')) {
        let rel = link.strip_prefix("/intranet/plannen/").unwrap_or_else(|| panic!("{link} leads from base_path"));
        let rel = rel.split_once('?').map_or(rel, |(file, _)| file);
        assert!(repo.site().join(rel).is_file(), "{link} exists in the output");
    }
    let page = repo.read_site("alpha/01-aanleiding.html");
    assert!(page.contains("href=\"../_static/planboek.css?v=") && !page.contains("/intranet/"), "{page}");
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

/// The value after `?v=` in the address that `html` gives `file` (`_static/planboek.css`).
fn version_of(html: &str, file: &str) -> String {
    let (_, rest) = html.split_once(&format!("{file}?v=")).unwrap_or_else(|| panic!("no {file}?v= in {html}"));
    rest.split('"').next().unwrap_or_default().to_string()
}

/// A browser keeps copies of a hosted handbook's files; those of an earlier build must never
/// be used with a later one's. The theme's files are loaded under an address that follows
/// their bytes, and the search index's files under one that follows the whole index.
#[test]
fn the_theme_files_and_the_search_index_are_loaded_under_addresses_that_follow_their_bytes() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    let page = || repo.read_site("alpha/01-aanleiding.html");
    let search = || repo.read_site("search.html");
    let (css, stamp) = (version_of(&page(), "_static/planboek.css"), version_of(&search(), "_search/meta.js"));
    let builtin = blake3::hash(repo.read_site("_static/planboek.css").as_bytes()).to_hex();
    assert!(css.len() == 10 && builtin.starts_with(&css), "{css} starts the digest of the style sheet");
    assert!(search().contains(&format!("data-pb-stamp=\"{stamp}\"")), "the script adds the same to each file");

    repo.run(&["build"]).assert_code(0);
    assert_eq!(version_of(&page(), "_static/planboek.css"), css, "unchanged: the same address");
    assert_eq!(version_of(&search(), "_search/meta.js"), stamp, "unchanged: the same index address");

    let text = std::fs::read_to_string(repo.path().join("content/alpha/01-aanleiding.md")).expect("section");
    repo.write("content/alpha/01-aanleiding.md", text + "\nHet woord kwartelkoning is nieuw.\n");
    repo.run(&["build"]).assert_code(0);
    assert_ne!(version_of(&search(), "_search/meta.js"), stamp, "a changed text changes the index's address");
    assert_eq!(version_of(&page(), "_static/planboek.css"), css, "but not the style sheet's");

    repo.write("planboek.toml", "title = \"Testboek\"\ntheme = \"eigen\"\n");
    repo.write("themes/eigen/static/planboek.css", "body { color: #123456; }\n");
    repo.run(&["build"]).assert_code(0);
    let own = blake3::hash(b"body { color: #123456; }\n").to_hex();
    assert_eq!(version_of(&page(), "_static/planboek.css"), own[..10], "the theme's own file, its own address");

    repo.write("themes/eigen/templates/base.html", "<link href=\"{{ root }}{{ asset(name='geen.css') }}\">");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("themes/eigen/templates/base.html") && run.stderr.contains("geen.css"),
        "{}",
        run.stderr
    );
    assert!(repo.read_site("alpha/01-aanleiding.html").contains(&own[..10]), "the last output stays");
}
