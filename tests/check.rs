//! `planboek check`: every lint at its place, the three formats, exit codes and `[check]` levels.

mod common;

use common::Repo;
use serde_json::Value;

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

fn has(rows: &[Row], code: &str, file: &str, line: u64, column: u64) -> bool {
    rows.iter().any(|r| r.0 == code && r.1 == file && r.2 == line && r.3 == column)
}

#[test]
fn every_lint_at_its_place() {
    let repo = Repo::fixture("lints");
    let (rows, _, code) = findings(&repo, &[]);
    assert_eq!(code, 1, "errors make check fail");
    let a = "content/p/aanleiding.md";
    let expected = [
        ("P0105", "content/p/_index.md", 1, 1),         // missing-section (monitoring)
        ("P0306", "content/p/_index.md", 5, 1),         // date-order
        ("P0302", a, 3, 1),                             // owner-not-partner
        ("P0301", a, 9, 1),                             // action-who-not-partner
        ("P0304", a, 10, 1),                            // overdue-action
        ("P0101", a, 14, 10),                           // unfilled-placeholder
        ("P0102", a, 16, 1),                            // guidance-left (section vastgesteld)
        ("P0103", a, 18, 10),                           // undecided-choice
        ("P0201", a, 20, 5),                            // broken-link
        ("P0206", a, 20, 31),                           // missing-anchor
        ("P0205", a, 22, 1),                            // image-without-alt
        ("P0401", a, 24, 1),                            // heading-skips-level
        ("P0402", a, 28, 1),                            // duplicate-heading-id
        ("P0202", a, 30, 5),                            // link-to-removed-section
        ("P0307", "content/p/doelstellingen.md", 3, 1), // adopted-with-concept
        ("P0303", "content/p/doelstellingen.md", 6, 1), // duplicate-action-id
        ("P0104", "content/p/doelstellingen.md", 9, 1), // empty-section
        ("P0403", "content/p/dubbel.md", 2, 1),         // duplicate-title
        ("P0305", "content/q/_index.md", 1, 1),         // missing-evaluation
    ];
    for (code, file, line, col) in expected {
        assert!(has(&rows, code, file, line, col), "missing {code} at {file}:{line}:{col} in {rows:#?}");
    }
    let severity = |c: &str| rows.iter().find(|r| r.0 == c).map(|r| r.4.clone()).unwrap_or_default();
    assert_eq!(severity("P0201"), "error");
    assert_eq!(severity("P0206"), "error");
    assert_eq!(severity("P0303"), "error");
    assert_eq!(severity("P0101"), "warning");
}

#[test]
fn front_matter_lints_point_at_the_file_line() {
    let repo = Repo::fixture("bad");
    let (rows, _, code) = findings(&repo, &[]);
    assert_eq!(code, 1);
    for (c, file, line, col) in [
        ("P0013", "content/p/unknown-key.md", 3, 1),
        ("P0014", "content/p/wrong-type.md", 2, 10),
        ("P0015", "content/p/bad-date.md", 3, 11),
        ("P0016", "content/p/bad-status.md", 3, 10),
        ("P0011", "content/p/unterminated.md", 1, 1),
        ("P0002", "content/p/latin1.md", 4, 4),
    ] {
        assert!(has(&rows, c, file, line, col), "missing {c} at {file}:{line}:{col} in {rows:#?}");
    }
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
        assert_eq!(keys, ["code", "column", "file", "help", "line", "message", "name", "severity"]);
        assert!(d["help"].is_null() || d["help"].is_string());
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
        assert!(line.starts_with("::error file=") || line.starts_with("::warning file="), "{line}");
        let (props, message) =
            line.split_once("::").map(|(_, rest)| rest).and_then(|r| r.split_once("::")).expect("two ::");
        assert!(props.contains(",line=") && props.contains(",col=") && props.contains(",title=P0"), "{line}");
        assert!(!message.contains('\n') && !message.is_empty());
    }
    assert!(run.stdout.contains("::error file=content/p/aanleiding.md,line=20,col=5,title=P0201 broken-link::"));
}

#[test]
fn human_format_quotes_the_line_with_a_caret() {
    let repo = Repo::fixture("lints");
    let run = repo.run(&["check", "--today", "2026-06-01"]);
    run.assert_code(1);
    let out = &run.stdout;
    assert!(out.contains("content/p/aanleiding.md:14:10: warning[P0101]: "), "{out}");
    assert!(out.contains("14 | De groep <NAAM GROEP> is groot.\n   |          ^"), "{out}");
    assert!(out.trim_end().ends_with("3 errors, 19 warnings in 2 plans"), "{out}");
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
