//! `planboek check`: every lint at its place, the three formats, exit codes and `[check]` levels.

use crate::common::Repo;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// One diagnostic as (code, file, line, column, severity).
type Row = (String, String, u64, u64, String);

/// The rows of `check --format json`, the whole document, and the exit code.
fn findings(repo: &Repo, extra: &[&str]) -> (Vec<Row>, Value, i32) {
    let mut args = vec!["check", "--format", "json", "--today", "2026-06-01"];
    args.extend_from_slice(extra);
    let run = repo.run(&args);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout));
    let list = doc["diagnostics"].as_array().expect("diagnostics array").iter();
    let rows = list
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_string(),
                d["file"].as_str().expect("file").to_string(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
                d["severity"].as_str().expect("severity").to_string(),
            )
        })
        .collect();
    (rows, doc, run.code)
}

/// The findings of `check` on a fixture, computed once for all the tests that ask.
fn cached(fixture: &'static str) -> Vec<Row> {
    static CACHE: Mutex<BTreeMap<&str, Vec<Row>>> = Mutex::new(BTreeMap::new());
    let mut cache = CACHE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    cache
        .entry(fixture)
        .or_insert_with(|| {
            let (rows, _, code) = findings(&Repo::fixture(fixture), &[]);
            assert_eq!(code, 1, "the {fixture} fixture has errors, so check fails");
            rows
        })
        .clone()
}

/// Asserts that `code` is reported at `file:line:column` with `severity`.
fn expect(fixture: &'static str, code: &str, file: &str, line: u64, column: u64, severity: &str) {
    let rows = cached(fixture);
    let found = rows.iter().find(|r| r.0 == code && r.1 == file && r.2 == line && r.3 == column);
    let found = found.unwrap_or_else(|| panic!("missing {code} at {file}:{line}:{column} in {rows:#?}"));
    assert_eq!(found.4, severity, "{code} at {file}:{line}:{column}");
}

/// One test per lint: where the fixture triggers it, and its default severity.
macro_rules! lint_at {
    ($($name:ident: $fixture:literal $code:literal $file:literal $line:literal:$col:literal $severity:literal;)*) => {
        $(
            #[test]
            fn $name() {
                expect($fixture, $code, $file, $line, $col, $severity);
            }
        )*
    };
}

lint_at! {
    invalid_utf8: "bad" "P0002" "content/p/latin1.md" 4:4 "error";
    duplicate_output: "bad" "P0004" "content/p/dup/_index.md" 1:1 "error";
    file_outside_plan: "bad" "P0006" "content/los.md" 0:0 "error";
    unterminated_front_matter: "bad" "P0011" "content/p/unterminated.md" 1:1 "error";
    front_matter_syntax: "bad" "P0012" "content/p/syntax.md" 2:15 "error";
    unknown_key: "bad" "P0013" "content/p/unknown-key.md" 3:1 "error";
    wrong_type: "bad" "P0014" "content/p/wrong-type.md" 2:10 "error";
    wrong_type_whose_value_says_date: "bad" "P0014" "content/p/weight-says-date.md" 2:10 "error";
    invalid_date: "bad" "P0015" "content/p/bad-date.md" 3:11 "error";
    invalid_date_of_an_action: "bad" "P0015" "content/p/bad-due.md" 6:7 "error";
    invalid_value: "bad" "P0016" "content/p/bad-status.md" 3:10 "error";
    missing_title: "bad" "P0017" "content/zonder-titel/_index.md" 1:1 "error";
    unfilled_placeholder: "lints" "P0101" "content/p/aanleiding.md" 14:10 "warning";
    guidance_left_in_adopted_section: "lints" "P0102" "content/p/aanleiding.md" 16:1 "warning";
    undecided_choice: "lints" "P0103" "content/p/aanleiding.md" 18:10 "warning";
    empty_section: "lints" "P0104" "content/p/doelstellingen.md" 9:1 "warning";
    missing_section: "lints" "P0105" "content/p/_index.md" 1:1 "warning";
    broken_link: "lints" "P0201" "content/p/aanleiding.md" 20:5 "error";
    link_to_removed_section: "lints" "P0202" "content/p/aanleiding.md" 30:5 "warning";
    unsafe_url: "lints" "P0203" "content/p/aanleiding.md" 32:8 "warning";
    raw_html_sanitized: "lints" "P0204" "content/p/aanleiding.md" 34:5 "info";
    image_without_alt: "lints" "P0205" "content/p/aanleiding.md" 22:1 "warning";
    missing_anchor: "lints" "P0206" "content/p/aanleiding.md" 20:31 "error";
    action_who_not_partner: "lints" "P0301" "content/p/aanleiding.md" 9:1 "warning";
    owner_not_partner: "lints" "P0302" "content/p/aanleiding.md" 3:1 "warning";
    duplicate_action_id: "lints" "P0303" "content/p/doelstellingen.md" 6:1 "error";
    overdue_action: "lints" "P0304" "content/p/aanleiding.md" 10:1 "warning";
    missing_evaluation: "lints" "P0305" "content/q/_index.md" 1:1 "warning";
    date_order: "lints" "P0306" "content/p/_index.md" 5:1 "warning";
    adopted_with_concept: "lints" "P0307" "content/p/doelstellingen.md" 3:1 "warning";
    heading_skips_level: "lints" "P0401" "content/p/aanleiding.md" 24:1 "warning";
    duplicate_heading_id: "lints" "P0402" "content/p/aanleiding.md" 28:1 "warning";
    duplicate_title: "lints" "P0403" "content/p/dubbel.md" 2:1 "warning";
}

#[test]
fn json_matches_its_schema() {
    let repo = Repo::fixture("lints");
    let (_, doc, _) = findings(&repo, &[]);
    let list = doc["diagnostics"].as_array().expect("array");
    let errors = list.iter().filter(|d| d["severity"] == "error").count() as u64;
    let warnings = list.iter().filter(|d| d["severity"] == "warning").count() as u64;
    assert_eq!(doc["errors"].as_u64(), Some(errors));
    assert_eq!(doc["warnings"].as_u64(), Some(warnings));
    for d in list {
        let obj = d.as_object().expect("object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["code", "column", "file", "help", "line", "message", "name", "severity", "version"]);
        assert!(d["help"].is_null() || d["help"].is_string());
        assert!(d["version"].is_null(), "an unversioned build names no version");
        assert!(["error", "warning", "info"].contains(&d["severity"].as_str().expect("severity")));
    }
}

#[test]
fn github_lines_are_workflow_commands() {
    let repo = Repo::fixture("lints");
    let run = repo.run(&["check", "--format", "github", "--today", "2026-06-01"]);
    run.assert_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.len() > 10);
    for line in lines {
        let kinds = ["::error file=", "::warning file=", "::notice file="];
        assert!(kinds.iter().any(|k| line.starts_with(k)), "{line}");
        let (props, message) =
            line.split_once("::").map(|(_, rest)| rest).and_then(|r| r.split_once("::")).expect("two ::");
        assert!(props.contains(",line=") && props.contains(",col=") && props.contains(",title=P0"), "{line}");
        assert!(!message.contains('\n') && !message.is_empty());
    }
    assert!(run.stdout.contains("::error file=content/p/aanleiding.md,line=20,col=5,title=P0201 broken-link::"));
    assert!(
        run.stdout.contains("::notice file=content/p/aanleiding.md,line=34,col=5,title=P0204 "),
        "info is a notice"
    );
}

#[test]
fn human_format_quotes_the_line_with_a_caret() {
    let repo = Repo::fixture("lints");
    let run = repo.run(&["check", "--today", "2026-06-01"]);
    run.assert_code(1);
    let out = &run.stdout;
    assert!(out.contains("content/p/aanleiding.md:14:10: warning[P0101]: "), "{out}");
    assert!(out.contains("14 | De groep <NAAM GROEP> is groot.\n   |          ^"), "{out}");
    assert!(out.trim_end().ends_with("3 errors, 20 warnings in 2 plans"), "{out}");
}

#[test]
fn exit_codes_and_strict() {
    let clean = Repo::fixture("clean");
    let run = clean.run(&["check", "--today", "2026-06-01"]);
    run.assert_code(0);
    assert!(run.stdout.contains("0 errors, 0 warnings in 1 plan"), "{}", run.stdout);
    let (rows, _, _) = findings(&clean, &[]);
    assert!(rows.is_empty(), "a clean repository yields no diagnostics: {rows:?}");

    clean.write("content/plan/02-open.md", "+++\ntitle = \"Open\"\n+++\n\nNog <INVULLEN>.\n");
    clean.run(&["check", "--today", "2026-06-01"]).assert_code(0);
    clean.run(&["check", "--today", "2026-06-01", "--strict"]).assert_code(1);
    clean.run(&["check", "--format", "xml"]).assert_code(2);
    clean.run(&["check", "--today", "gisteren"]).assert_code(2);
}

#[test]
fn levels_raise_lower_and_allow() {
    let repo = Repo::fixture("lints");
    repo.write(
        "planboek.toml",
        "title = \"Lints\"\n[check]\nrequired_sections = []\nlevels = { unfilled-placeholder = \"error\", broken-link = \"allow\", missing-anchor = \"warning\", duplicate-action-id = \"info\" }\n",
    );
    let (rows, _, code) = findings(&repo, &[]);
    let severity = |c: &str| rows.iter().find(|r| r.0 == c).map(|r| r.4.clone());
    assert_eq!(severity("P0101").as_deref(), Some("error"));
    assert_eq!(severity("P0201"), None, "allowed lints are dropped");
    assert_eq!(severity("P0206").as_deref(), Some("warning"));
    assert_eq!(severity("P0303").as_deref(), Some("info"));
    assert_eq!(code, 1, "the raised placeholder lint fails the check");

    repo.write("planboek.toml", "title = \"Lints\"\n[check]\nlevels = { no-such-lint = \"error\" }\n");
    let run = repo.run(&["check"]);
    run.assert_code(1);
    assert!(run.stdout.contains("planboek.toml:3:1") && run.stdout.contains("no-such-lint"), "{}", run.stdout);
}

#[test]
fn build_fails_on_the_same_errors_and_prints_warnings() {
    let repo = Repo::fixture("lints");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("content/p/doelstellingen.md:6:1: error[P0303]"), "{}", run.stderr);
    assert!(run.stderr.contains("content/p/aanleiding.md:20:31: error[P0206]"), "{}", run.stderr);
    assert!(run.stderr.contains("warning[P0302]"), "warnings are printed: {}", run.stderr);
}

/// The rows of `check --format json` on the clean fixture after `edit`, without the template's
/// missing sections (P0105) unless `keep_missing`.
fn clean_with(edit: impl Fn(&Repo), extra: &[&str], keep_missing: bool) -> Vec<Row> {
    let repo = Repo::fixture("clean");
    edit(&repo);
    let (rows, _, _) = findings(&repo, extra);
    rows.into_iter().filter(|r| keep_missing || r.0 != "P0105").collect()
}

const SECRET: &str =
    "+++\ntitle = \"Geheim\"\nclassification = \"vertrouwelijk\"\n+++\n\nEr zijn <AANTAL> jongeren sinds <DATUM>.\n";

#[test]
fn end_before_evaluation() {
    let rows = clean_with(
        |r| {
            let index = std::fs::read_to_string(r.path().join("content/plan/_index.md")).expect("index");
            r.write("content/plan/_index.md", index.replace("end = 2027-03-01", "end = 2026-08-01"));
        },
        &[],
        false,
    );
    let row = |c: &str| rows.iter().find(|r| r.0 == c).map(|r| (r.1.as_str(), r.2, r.3));
    assert_eq!(row("P0306"), Some(("content/plan/_index.md", 9, 1)), "{rows:?}");
}

#[test]
fn every_placeholder_on_a_line_and_only_for_the_audience() {
    let edit = |r: &Repo| r.write("content/plan/02-geheim.md", SECRET);
    let intern = clean_with(edit, &[], false);
    assert!(!intern.iter().any(|r| r.1.ends_with("02-geheim.md")), "an intern check skips it: {intern:?}");
    let all = clean_with(edit, &["--audience", "vertrouwelijk"], false);
    let at: Vec<(u64, u64)> = all.iter().filter(|r| r.0 == "P0101").map(|r| (r.2, r.3)).collect();
    assert_eq!(at, [(6, 9), (6, 33)], "{all:?}");
}

#[test]
fn values_outside_the_allowed_set_and_no_findings_from_defaults() {
    let rows = clean_with(
        |r| {
            let index = std::fs::read_to_string(r.path().join("content/plan/_index.md")).expect("index");
            r.write("content/plan/_index.md", index.replace("risk = \"laag\"", "risk = \"heel hoog\""));
            r.write("content/plan/02-geheim.md", SECRET.replace("\"vertrouwelijk\"", "\"geheim\""));
        },
        &[],
        false,
    );
    let codes: Vec<(&str, &str, u64, u64)> = rows.iter().map(|r| (r.0.as_str(), r.1.as_str(), r.2, r.3)).collect();
    assert_eq!(
        codes,
        [("P0016", "content/plan/02-geheim.md", 3, 18), ("P0016", "content/plan/_index.md", 6, 8)],
        "only the two errors; a plan whose front matter failed adds no 'no title'"
    );
}

#[test]
fn the_required_sections_default_to_the_template() {
    let rows = clean_with(|r| r.write("planboek.toml", "title = \"Schoon\"\n"), &[], true);
    let missing: Vec<&Row> = rows.iter().filter(|r| r.0 == "P0105").collect();
    assert_eq!(missing.len(), 15, "every section of the template: {missing:?}");
}
