//! The personal-data guard: each detector at its place in `check`, `build` and `serve`,
//! severity by audience, `[check] levels`, the allow list and comment, no false alarms on the
//! template, the example and a generated corpus, and marks in preview.

use crate::common::server::Server;
use crate::common::{files, run_in, Repo};
use serde_json::Value;
use std::fs;
use std::path::Path;

const OPENBAAR: &str = "content/kadepoort/01-openbaar.md";
const INTERN: &str = "content/kadepoort/02-intern.md";

/// One finding as (code, file, line, column, severity, message).
type Row = (String, String, u64, u64, String, String);

/// Each personal-data finding of `check --format json`, and the exit code.
fn personal(dir: &Path, extra: &[&str]) -> (Vec<Row>, i32) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let run = run_in(dir, &args);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout));
    let rows = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("P05")))
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (
                s("code"),
                s("file"),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                s("severity"),
                s("message"),
            )
        })
        .collect();
    (rows, run.code)
}

fn at(rows: &[Row]) -> Vec<(&str, &str, u64, u64, &str)> {
    rows.iter().map(|r| (r.0.as_str(), r.1.as_str(), r.2, r.3, r.4.as_str())).collect()
}

#[test]
fn check_reports_each_kind_masked_at_file_line_col() {
    let repo = Repo::fixture("privacy");
    let (rows, code) = personal(repo.path(), &[]);
    assert_eq!(code, 0, "warnings only in an intern check");
    assert_eq!(
        at(&rows),
        [
            ("P0501", OPENBAAR, 8, 21, "warning"),
            ("P0502", OPENBAAR, 8, 50, "warning"),
            ("P0503", OPENBAAR, 9, 30, "warning"),
            ("P0504", OPENBAAR, 9, 47, "warning"),
            ("P0505", OPENBAAR, 10, 44, "warning"),
            ("P0503", INTERN, 7, 1, "warning"),
            ("P0501", INTERN, 13, 20, "warning"),
        ]
    );
    assert_eq!(rows[0].5, "BSN ****.**.*82 in a section that `openbaar` readers see");
    assert_eq!(rows[3].5, "e-mail address of a person a***@lindewaard.nl in a section that `openbaar` readers see");
    assert!(rows[5].5.contains("front matter `actions.0.what`"), "{}", rows[5].5);
    // No format shows what the messages mask: not the quoted source line, not the help.
    for format in ["human", "json", "github"] {
        let run = repo.run(&["check", "--format", format]);
        for secret in ["1234.56.782", "111222333", "87654321", "a.jansen", "12-ABC-3", "12 maart 2009", "2345 6789"] {
            assert!(!run.stdout.contains(secret), "{format} output shows {secret}:\n{}", run.stdout);
        }
    }
    let human = repo.run(&["check"]);
    assert!(
        human.stdout.contains("content/kadepoort/01-openbaar.md:8:21: warning[P0501]: BSN ****.**.*82"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("help: a citizen service number") && human.stdout.contains("vertrouwelijk"));
}

#[test]
fn vertrouwelijk_sections_are_not_checked_and_allowed_data_passes() {
    let repo = Repo::fixture("privacy");
    let (rows, _) = personal(repo.path(), &["--audience", "vertrouwelijk"]);
    assert!(rows.iter().all(|r| !r.1.ends_with("03-vertrouwelijk.md")), "{rows:#?}");
    assert_eq!(rows.len(), 7, "the same findings as for intern: {rows:#?}");
    // Allowed: a role mailbox and a desk number in [privacy] allow (written otherwise), the
    // line after the comment, service numbers and numbers that fail the 11-check.
    assert!(rows.iter().all(|r| !r.1.ends_with("_index.md")), "{rows:#?}");
    assert!(rows.iter().all(|r| r.2 != 17), "the comment allows its next line: {rows:#?}");
}

#[test]
fn an_openbaar_build_fails_on_personal_data_and_keeps_the_previous_output() {
    let repo = Repo::fixture("privacy");
    let built = repo.run(&["build"]);
    built.assert_code(0);
    assert!(built.stderr.contains("warning[P0501]"), "{}", built.stderr);
    let before: Vec<(std::path::PathBuf, Vec<u8>)> =
        files(&repo.site()).into_iter().map(|f| (f.clone(), fs::read(repo.site().join(&f)).expect("read"))).collect();

    let public = repo.run(&["build", "--audience", "openbaar"]);
    public.assert_code(1);
    assert!(public.stderr.contains("01-openbaar.md:8:21: error[P0501]: BSN ****.**.*82"), "{}", public.stderr);
    assert!(public.stderr.contains("build failed: 5 errors"), "{}", public.stderr);
    assert!(!public.stderr.contains("02-intern.md"), "an intern section is not in an openbaar build");
    let after: Vec<(std::path::PathBuf, Vec<u8>)> =
        files(&repo.site()).into_iter().map(|f| (f.clone(), fs::read(repo.site().join(&f)).expect("read"))).collect();
    assert!(before == after, "the previous output is left as it was");

    let (rows, code) = personal(repo.path(), &["--audience", "openbaar"]);
    assert_eq!(code, 1);
    assert!(rows.len() == 5 && rows.iter().all(|r| r.4 == "error"), "{rows:#?}");
}

#[test]
fn check_levels_tune_each_detector() {
    let repo = Repo::fixture("privacy");
    let config = fs::read_to_string(repo.path().join("planboek.toml")).expect("config");
    let levels = "levels = { bsn = \"allow\", phone-number = \"error\", date-of-birth = \"info\" }\n";
    repo.write(
        "planboek.toml",
        config.replace("required_sections = []\n", &format!("required_sections = []\n{levels}")),
    );
    let (rows, code) = personal(repo.path(), &[]);
    assert_eq!(code, 1, "phone numbers are errors now");
    let kinds: Vec<(&str, &str)> = rows.iter().map(|r| (r.0.as_str(), r.4.as_str())).collect();
    assert_eq!(
        kinds,
        [("P0502", "info"), ("P0503", "error"), ("P0504", "warning"), ("P0505", "warning"), ("P0503", "error")]
    );
    // In an openbaar build only `allow` lets personal data through.
    let (rows, _) = personal(repo.path(), &["--audience", "openbaar"]);
    assert!(rows.iter().all(|r| r.4 == "error" && r.0 != "P0501"), "{rows:#?}");
}

#[test]
fn an_allow_entry_without_an_address_or_number_is_a_config_error() {
    let repo = Repo::fixture("privacy");
    repo.write("planboek.toml", "title = \"X\"\n\n[privacy]\nallow = [\n  \"a@b.nl\",\n  \"--\",\n]\n");
    let run = repo.run(&["check"]);
    run.assert_code(1);
    assert!(run.stdout.contains("planboek.toml:6:1: error[P0005]: `--` in [privacy] allow"), "{}", run.stdout);
    repo.write("planboek.toml", "title = \"X\"\n\n[privacy]\nallowed = []\n");
    let run = repo.run(&["check"]);
    run.assert_code(1);
    assert!(run.stdout.contains("planboek.toml:4:1: error[P0005]"), "{}", run.stdout);
}

#[test]
fn preview_marks_findings_and_a_published_build_does_not() {
    let repo = Repo::fixture("privacy");
    repo.run(&["build", "--preview"]).assert_code(0);
    let page = repo.read_site("kadepoort/01-openbaar.html");
    let mark = "<mark class=\"pb-personal\" title=\"Persoonsgegeven: hoort in een vertrouwelijke sectie\">";
    assert!(page.contains(&format!("BSN {mark}1234.56.782</mark>")), "{page}");
    assert!(page.contains(&format!("{mark}06-87654321</mark>")), "the filled placeholder is marked: {page}");
    assert_eq!(page.matches(mark).count(), 5, "{page}");
    assert!(!page.contains(&format!("{mark}06-11112222")), "an allowed line is not marked");
    repo.run(&["build"]).assert_code(0);
    for file in files(&repo.site()) {
        let text = String::from_utf8_lossy(&fs::read(repo.site().join(&file)).expect("read")).into_owned();
        assert!(!text.contains("<mark class=\"pb-personal\""), "{} has a mark", file.display());
    }
}

#[test]
fn serve_marks_a_finding_as_the_editor_types_it() {
    let repo = Repo::fixture("privacy");
    let server = Server::start(&repo, &[]);
    let page = server.get("/kadepoort/02-intern.html");
    assert!(page.body.contains("<mark class=\"pb-personal\""), "{}", page.body);
    assert!(!page.body.contains("06-55554444"));
    let path = repo.path().join(INTERN);
    let text = fs::read_to_string(&path).expect("source");
    fs::write(&path, format!("{text}\nNieuw: bel de vader op 06-55554444.\n")).expect("save");
    let marked =
        "<mark class=\"pb-personal\" title=\"Persoonsgegeven: hoort in een vertrouwelijke sectie\">06-55554444</mark>";
    server.wait_for("/kadepoort/02-intern.html", |r| r.body.contains(marked));
}

/// `check` of a repository, as JSON: no personal-data finding, and how many plans.
fn assert_no_findings(dir: &Path) {
    let (rows, _) = personal(dir, &["--audience", "vertrouwelijk"]);
    assert!(rows.is_empty(), "false alarms in {}: {rows:#?}", dir.display());
}

#[test]
fn no_false_alarms_on_the_template_the_example_and_a_generated_corpus() {
    assert_no_findings(Repo::example().path());
    let fresh = tempfile::tempdir().expect("tempdir");
    run_in(fresh.path(), &["init", "."]).assert_code(0);
    assert_no_findings(fresh.path());
    // The benchmark corpus (its case numbers, dates, tables and amounts): its first three
    // plans, as `../shared/bench/gen_corpus.py --plans 3` writes them, kept in the repository
    // so that the test needs nothing outside it. Its plans depend only on the seed and their
    // number, and all 1,000 of the README's benchmark corpus were checked once by hand.
    assert_no_findings(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bench-corpus"));
}
