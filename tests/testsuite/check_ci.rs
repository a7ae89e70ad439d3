//! `check --format gitlab` (GitLab Code Quality) and `--format sarif` (SARIF 2.1.0): the
//! findings of the `lints` fixture as review tools read them.

use crate::common::Repo;
use serde_json::Value;
use std::collections::HashSet;

fn report(format: &str) -> (Value, String) {
    let repo = Repo::fixture("lints");
    let run = repo.run(&["check", "--format", format, "--today", "2026-06-01"]);
    run.assert_code(1);
    let human = repo.run(&["check", "--format", "json", "--today", "2026-06-01"]);
    let doc: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{format} is JSON: {e}\n{}", run.stdout));
    (doc, human.stdout)
}

fn findings(json_report: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(json_report).expect("json");
    doc["diagnostics"].as_array().expect("diagnostics").clone()
}

#[test]
fn gitlab_code_quality_lists_every_finding() {
    let (doc, json) = report("gitlab");
    let issues = doc.as_array().expect("an array of issues");
    let all = findings(&json);
    assert_eq!(issues.len(), all.len(), "one issue per finding");
    let mut fingerprints = HashSet::new();
    for issue in issues {
        // The fields GitLab requires, with the values it accepts.
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].as_str().is_some_and(|s| !s.is_empty()), "{key} in {issue}");
        }
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap_or("")));
        assert!(issue["location"]["path"].as_str().is_some_and(|p| !p.starts_with('/') && !p.contains('\\')));
        assert!(issue["location"]["lines"]["begin"].as_u64().is_some_and(|l| l >= 1), "{issue}");
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap_or("").to_string()), "unique: {issue}");
    }
    let broken = issues
        .iter()
        .find(|i| i["check_name"] == "P0201 broken-link" && i["location"]["path"] == "content/p/aanleiding.md")
        .expect("the broken link");
    assert_eq!((broken["severity"].as_str(), broken["location"]["lines"]["begin"].as_u64()), (Some("major"), Some(20)));
    assert!(issues.iter().any(|i| i["severity"] == "minor" && i["check_name"] == "P0101 unfilled-placeholder"));
}

#[test]
fn sarif_is_a_2_1_0_log_with_rules_and_results() {
    let (doc, json) = report("sarif");
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(doc["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "planboek");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), findings(&json).len());
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"], "the index points at the result's rule");
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap_or("")), "{r}");
        assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region.is_null() || region["startLine"].as_u64().is_some_and(|l| l >= 1), "{r}");
    }
    let broken = results
        .iter()
        .find(|r| r["ruleId"] == "P0201" && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 20)
        .expect("the broken link");
    assert_eq!(broken["level"], "error");
    assert_eq!(broken["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "content/p/aanleiding.md");
    assert_eq!(broken["locations"][0]["physicalLocation"]["region"]["startColumn"], 5);
    assert!(results.iter().any(|r| r["level"] == "note"), "info is a note");
}

/// The CI examples in docs/ci.md use the formats and options planboek has.
#[test]
fn the_ci_guide_names_real_options() {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci.md")).expect("docs/ci.md");
    for needle in
        ["--format github", "--format gitlab", "--format sarif", "codequality", "upload-sarif", "on:", "rules:"]
    {
        assert!(guide.contains(needle), "docs/ci.md mentions {needle}");
    }
    let help = crate::common::run_in(std::path::Path::new("."), &["check", "--help"]);
    for format in ["github", "gitlab", "sarif"] {
        assert!(help.stdout.contains(format), "{}", help.stdout);
    }
}
