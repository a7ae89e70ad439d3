//! A versioned build reports the same findings whether its versions were built or taken
//! from the cache: the newest version's in full, each older version's counted in one line.

use crate::common::{git, tag, Repo};

/// What a build printed, without the time it took.
fn report(repo: &Repo) -> (String, String) {
    let run = repo.run(&["build"]);
    run.assert_code(0);
    let stdout = run.stdout.split(" in ").next().unwrap_or_default().to_string();
    (stdout, run.stderr)
}

#[test]
fn a_warm_versioned_build_reports_what_the_cold_one_did() {
    let repo = Repo::example();
    repo.write(".gitignore", "/site/\n/.planboek-cache/\n");
    git(repo.path(), "2026-01-10", &["init", "-q"]);
    let section = "content/jeugdgroep-kadepoort/02-doelstellingen.md";
    let text = std::fs::read_to_string(repo.path().join(section)).expect("section");
    repo.write(section, format!("{text}\nDe oude contactpersoon was bereikbaar op 06-12345678.\n"));
    tag(&repo, "2026-01-10", "v1");
    repo.write(section, format!("{text}\nMail de casusregisseur via p.devries@lindewaard.nl.\n"));
    let config = std::fs::read_to_string(repo.path().join("planboek.toml")).expect("config");
    repo.write("planboek.toml", format!("{config}\n[versions]\nfrom_git = \"v*\"\n"));
    tag(&repo, "2026-02-10", "v2");

    let cold = report(&repo);
    assert!(cold.1.contains("02-doelstellingen.md"), "the newest version's findings in full:\n{}", cold.1);
    assert!(cold.1.contains("warning[P0504]: e-mail address of a person p***@lindewaard.nl"), "{}", cold.1);
    assert!(!cold.1.contains("P0503"), "an older version's findings are not listed:\n{}", cold.1);
    let older = cold.1.lines().find(|l| l.starts_with("note: older version `v1`: ")).expect("v1 counted in one line");
    assert!(older.contains(" warning") && older.contains(", counted, not listed"), "{older}");
    assert!(!cold.0.contains(" 0 warnings"), "{}", cold.0);

    let warm = report(&repo);
    assert_eq!(warm, cold, "a warm build reports what the cold one did");
    assert_eq!(report(&repo), cold, "and so does the next");

    // A change to the newest version rebuilds it; v1 still comes from the cache.
    repo.write(section, format!("{text}\nGeen persoonsgegevens meer.\n"));
    tag(&repo, "2026-03-10", "v3");
    let (stdout, stderr) = report(&repo);
    assert!(!stderr.contains("P0504") && !stderr.contains("P0503"), "{stderr}");
    assert!(stderr.contains("note: older version `v2`: ") && stderr.contains("note: older version `v1`: "), "{stderr}");
    assert_eq!(report(&repo), (stdout, stderr));
}
