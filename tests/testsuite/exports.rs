//! The exports in `<out>/exports/`, read back by real parsers: `actions.csv` by Python's
//! `csv` module, `deadlines.ics` by the `icalendar` package (installed by `.ci/run` into
//! `.ci/tools/python`), `plans.json` by serde_json.

use crate::commitments::actions_repo;
use crate::common::Repo;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `python3 -c script file` and returns its standard output; None (a skip) when Python
/// lacks `module` outside CI.
fn python(script: &str, file: &Path, module: Option<&str>) -> Option<String> {
    let tools = std::env::var_os("PLANBOEK_PYTHONPATH")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/tools/python"), PathBuf::from);
    let run =
        |code: &str, arg: &Path| Command::new("python3").args(["-c", code]).arg(arg).env("PYTHONPATH", &tools).output();
    if let Some(module) = module {
        let found = run(&format!("import {module}"), file).is_ok_and(|o| o.status.success());
        if !found {
            assert!(std::env::var_os("CI").is_none(), "CI must install the Python package {module} (see .ci/run)");
            eprintln!("skipped: the Python package {module} is not installed (run .ci/run once)");
            return None;
        }
    }
    let out = run(script, file).expect("run python3");
    assert!(out.status.success(), "python failed:\n{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).expect("utf-8"))
}

#[test]
fn actions_csv_is_rfc_4180_with_a_bom_and_reads_back_in_python() {
    let repo = actions_repo();
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let path = repo.site().join("exports/actions.csv");
    let bytes = std::fs::read(&path).expect("csv");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBFplan,section,id,what,who,partner,due,status,overdue,url\r\n"),
        "BOM and header"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(text.split("\r\n").all(|l| !l.contains('\r')), "records end in CRLF");
    // utf-8-sig takes the BOM off; newline="" lets the reader see the quoted line break.
    let script = r#"
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f, strict=True))
print(json.dumps(rows))
"#;
    let Some(out) = python(script, &path, None) else { return };
    let rows: Vec<Vec<String>> = serde_json::from_str(&out).expect("rows");
    assert_eq!(rows[0], ["plan", "section", "id", "what", "who", "partner", "due", "status", "overdue", "url"]);
    assert_eq!(rows.len(), 1 + 9, "a row per visible action (A1, A2, T1–T7), the confidential one left out");
    assert!(rows.iter().all(|r| r.len() == 10), "ten fields in every row");
    let by_id = |id: &str| rows.iter().find(|r| r[2] == id).unwrap_or_else(|| panic!("{id}")).clone();
    assert_eq!(
        by_id("T1"),
        [
            "alpha",
            "Acties",
            "T1",
            "Buurtonderzoek afronden",
            "politie",
            "Politie",
            "2026-05-20",
            "open",
            "true",
            "alpha/05-acties.html#pb-action-t1"
        ]
    );
    assert_eq!(by_id("T6")[3], "Overleg, \"kort\" en\nlang; met komma", "commas, quotes and line breaks survive");
    assert_eq!(by_id("T6")[8], "false", "due today is not overdue");
    assert_eq!(by_id("T7")[3], "'=HYPERLINK(\"http://example.org\") formule", "a formula is defused");
    assert_eq!(by_id("T5")[4..7], ["", "", ""], "no partner, no date");
    for r in &rows[1..] {
        let file = r[9].split('#').next().unwrap_or_default();
        assert!(repo.site().join(file).is_file(), "url {} is a page relative to the output root", r[9]);
    }
}

/// The events of an iCalendar file as (uid, start, end, summary, description), read by `icalendar`.
fn events(path: &Path) -> Option<Vec<[String; 5]>> {
    let script = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
assert cal["VERSION"] == "2.0" and cal.get("PRODID")
out = []
for e in cal.walk("VEVENT"):
    assert e["DTSTAMP"]
    out.append([str(e["UID"]), e.decoded("DTSTART").isoformat(), e.decoded("DTEND").isoformat(), str(e["SUMMARY"]), str(e["DESCRIPTION"])])
print(json.dumps(out))
"#;
    let out = python(script, path, Some("icalendar"))?;
    Some(serde_json::from_str(&out).expect("events"))
}

#[test]
#[cfg_attr(planboek_no_icalendar, ignore = "needs Python's icalendar package; .ci/run installs it")]
fn deadlines_ics_is_rfc_5545_with_uids_that_stay_across_builds() {
    let repo = actions_repo();
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let path = repo.site().join("exports/deadlines.ics");
    let bytes = std::fs::read(&path).expect("ics");
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "a line of {} octets: {line}", line.len());
        assert!(!line.contains('\n') && !line.contains('\r'), "bare line break");
    }
    assert!(text.contains("\r\n "), "long lines are folded");
    let Some(first) = events(&path) else { return };
    // Eight dated actions (T5 has no date), and the evaluation and end of alpha (beta has none).
    assert_eq!(first.len(), 8 + 2, "{first:#?}");
    let t1 = first.iter().find(|e| e[3].contains("Buurtonderzoek")).expect("T1");
    assert_eq!((t1[1].as_str(), t1[2].as_str()), ("2026-05-20", "2026-05-21"), "an all-day event");
    assert_eq!(t1[3], "De Haven: T1 Buurtonderzoek afronden (Politie)", "summary: plan, action, partner");
    for part in ["Plan van aanpak jeugdgroep De Haven", "Acties", "Politie", "alpha/05-acties.html#pb-action-t1"] {
        assert!(t1[4].contains(part), "description has {part}: {}", t1[4]);
    }
    let t6 = first.iter().find(|e| e[3].contains("T6")).expect("T6");
    assert!(t6[3].contains("Overleg, \"kort\" en\nlang; met komma"), "escaped text reads back: {}", t6[3]);
    assert!(first.iter().any(|e| e[3] == "De Haven: Evaluatie" && e[1] == "2026-09-01"));
    let uids: std::collections::BTreeSet<&str> = first.iter().map(|e| e[0].as_str()).collect();
    assert_eq!(uids.len(), first.len(), "UIDs are unique");
    // Another day, a changed action and a new one: the same events keep their UIDs.
    let section = repo.path().join("content/alpha/05-acties.md");
    let text = std::fs::read_to_string(&section)
        .expect("section")
        .replace("Buurtonderzoek afronden", "Buurtonderzoek afronden en rapporteren")
        .replace("2026-05-20", "2026-05-27")
        .replacen("\n+++\n", "\n\n[[actions]]\nid = \"T8\"\nwhat = \"Nieuw\"\ndue = 2026-07-07\n+++\n", 1);
    std::fs::write(&section, text).expect("write");
    repo.run(&["build", "--today", "2026-06-20"]).assert_code(0);
    let second = events(&path).expect("events");
    assert_eq!(second.len(), first.len() + 1, "one event more");
    let again = second.iter().find(|e| e[3].contains("Buurtonderzoek")).expect("T1");
    assert_eq!(again[0], t1[0], "T1 keeps its UID");
    assert_eq!(again[1], "2026-05-27", "and moves");
    for e in &first {
        assert!(second.iter().any(|s| s[0] == e[0]), "{} kept its UID", e[3]);
    }
}

#[test]
fn plans_json_holds_the_model_for_the_audience() {
    let repo = actions_repo();
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&repo.read_site("exports/plans.json")).expect("valid JSON");
    assert_eq!(json["schema"], 1);
    assert_eq!(json["reference_date"], "2026-06-01");
    assert_eq!(json["audience"], "intern");
    let plans = json["plans"].as_array().expect("plans");
    let alpha = plans.iter().find(|p| p["slug"] == "alpha").expect("alpha");
    for (key, value) in [
        ("title", "Plan van aanpak jeugdgroep De Haven"),
        ("group", "De Haven"),
        ("risk", "hoog"),
        ("status", "ter-review"),
        ("start", "2026-03-01"),
        ("evaluation", "2026-09-01"),
        ("url", "alpha/index.html"),
    ] {
        assert_eq!(alpha[key], value, "{key}");
    }
    assert_eq!(alpha["partners"], serde_json::json!(["gemeente", "politie", "om"]));
    let sections = alpha["sections"].as_array().expect("sections");
    assert!(sections.iter().all(|s| repo.site().join(s["url"].as_str().expect("url")).is_file()), "section urls");
    assert!(!sections.iter().any(|s| s["classification"] == "vertrouwelijk"), "no confidential section");
    let first = &sections[0];
    assert_eq!(first["title"], "Plan van aanpak", "reading order (by weight)");
    for key in ["owner", "status", "classification", "updated"] {
        assert!(first.get(key).is_some(), "sections have {key}");
    }
    let actions = alpha["actions"].as_array().expect("actions");
    assert_eq!(actions.len(), 9, "A1, A2 and T1–T7");
    let t1 = actions.iter().find(|a| a["id"] == "T1").expect("T1");
    assert_eq!(t1["overdue"], true);
    assert_eq!(t1["deadline"], "overdue");
    assert_eq!(t1["url"], "alpha/05-acties.html#pb-action-t1");
    assert_eq!(alpha["counts"]["overdue"], 2);
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/exports.md"))
        .expect("docs/exports.md");
    for key in ["reference_date", "sections", "classification", "deadline", "overdue", "counts"] {
        assert!(doc.contains(&format!("`{key}`")), "docs/exports.md describes `{key}`");
    }
}

#[test]
fn exports_of_an_empty_edition_are_still_valid() {
    let repo = Repo::fixture("basic");
    repo.run(&["build", "--audience", "openbaar"]).assert_code(0);
    let csv = repo.read_site("exports/actions.csv");
    assert_eq!(csv, "\u{feff}plan,section,id,what,who,partner,due,status,overdue,url\r\n");
    let ics = repo.read_site("exports/deadlines.ics");
    assert!(ics.contains("BEGIN:VEVENT"), "the public plan's evaluation");
    let json: serde_json::Value = serde_json::from_str(&repo.read_site("exports/plans.json")).expect("json");
    assert_eq!(json["plans"].as_array().map(Vec::len), Some(1));
}
