//! A test that needs an outside tool (Chromium, node, Java with vnu.jar, pdftotext, Python's
//! icalendar) is marked to be ignored, with the reason, when build.rs did not find the tool:
//! `cargo test` then counts and names it as ignored rather than as passed.

use std::path::Path;

/// What a test body calls when it needs an outside tool, and the setting that must mark it.
const NEEDS: &[(&str, &str)] = &[
    ("browser()", "planboek_no_browser"),
    ("check_with(", "planboek_no_browser"),
    ("axe.js", "planboek_no_axe"),
    ("check(&[", "planboek_no_browser"),
    ("pdf_pages(", "planboek_no_pdftotext"),
    ("pdftotext", "planboek_no_pdftotext"),
    ("vnu_jar()", "planboek_no_vnu"),
    ("Command::new(\"node\")", "planboek_no_node"),
    ("events(&path)", "planboek_no_icalendar"),
];

#[test]
fn every_test_that_needs_an_outside_tool_is_ignored_without_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite");
    let mut checked = 0;
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/testsuite") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("skips.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        // Each test: the attributes above its `fn` and its body up to the next item.
        for part in text.split("#[test]").skip(1) {
            let (head, body) = part.split_once("fn ").unwrap_or(("", part));
            let body = body.split("\n}\n").next().unwrap_or(body);
            let name = body.split('(').next().unwrap_or("?");
            for (call, setting) in NEEDS {
                if body.contains(call) {
                    checked += 1;
                    // A browser test needs node too, and says so in its reason.
                    let marked = head.contains(setting)
                        || (*setting == "planboek_no_node" && head.contains("planboek_no_browser"));
                    if !head.contains("cfg_attr(") || !marked {
                        problems.push(format!("{}: {name} calls {call} but is not marked {setting}", path.display()));
                    }
                }
            }
        }
    }
    assert!(checked >= 10, "{checked} uses of outside tools found");
    assert!(problems.is_empty(), "{problems:#?}");
}
