//! Reports for code-review tools: GitLab Code Quality (shown in merge requests) and SARIF
//! 2.1.0 (GitHub code scanning, Azure DevOps and other static-analysis viewers).

use crate::diag::{lints, Diagnostic, Diagnostics, Severity};
use crate::util::url::slash_path;
use serde_json::{json, Value};
use std::collections::HashMap;

/// A fingerprint per finding that stays the same when lines above it move (so a review tool
/// sees it as the same finding in the next commit) and differs between findings of one file
/// that read alike (by counting them).
fn fingerprints(ds: &Diagnostics) -> Vec<String> {
    let mut seen: HashMap<(String, &str, &str, Option<&str>), usize> = HashMap::new();
    ds.0.iter()
        .map(|d| {
            let key = (slash_path(&d.file), d.code, d.message.as_str(), d.version.as_deref());
            let n = seen.entry(key.clone()).and_modify(|n| *n += 1).or_insert(0);
            let mut h = blake3::Hasher::new();
            for part in [key.0.as_str(), key.1, key.2, key.3.unwrap_or(""), &n.to_string()] {
                h.update(part.as_bytes()).update(b"\0");
            }
            h.finalize().to_hex()[..32].to_string()
        })
        .collect()
}

/// The message with its help, as one text.
fn full_message(d: &Diagnostic) -> String {
    let message = match &d.version {
        Some(v) => format!("{} (version {v})", d.message),
        None => d.message.clone(),
    };
    match &d.help {
        Some(help) => format!("{message}\n{help}"),
        None => message,
    }
}

/// GitLab Code Quality: a JSON array of issues with a description, a check name, a
/// fingerprint, a severity and a location (path and first line).
pub fn gitlab(ds: &Diagnostics) -> String {
    let issues: Vec<Value> =
        ds.0.iter()
            .zip(fingerprints(ds))
            .map(|(d, fingerprint)| {
                let severity = match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                };
                json!({
                    "type": "issue",
                    "description": full_message(d),
                    "check_name": format!("{} {}", d.code, d.name),
                    "fingerprint": fingerprint,
                    "severity": severity,
                    "categories": ["Style"],
                    "location": { "path": slash_path(&d.file), "lines": { "begin": d.line.max(1) } },
                })
            })
            .collect();
    serde_json::to_string_pretty(&issues).unwrap_or_default() + "\n"
}

/// SARIF 2.1.0: one run of the tool `planboek` with every lint as a rule and each finding as
/// a result, its file relative to the repository (`%SRCROOT%`).
pub fn sarif(ds: &Diagnostics) -> String {
    let rules: Vec<Value> = lints::ALL
        .iter()
        .map(|l| {
            json!({
                "id": l.code,
                "name": l.name,
                "shortDescription": { "text": l.name.replace('-', " ") },
                "defaultConfiguration": { "level": level(l.default) },
            })
        })
        .collect();
    let index: HashMap<&str, usize> = lints::ALL.iter().enumerate().map(|(i, l)| (l.code, i)).collect();
    let results: Vec<Value> =
        ds.0.iter()
            .zip(fingerprints(ds))
            .map(|(d, fingerprint)| {
                let mut location = json!({
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&slash_path(&d.file)), "uriBaseId": "%SRCROOT%" },
                    }
                });
                if d.line > 0 {
                    let mut region = json!({ "startLine": d.line });
                    if d.column > 0 {
                        region["startColumn"] = json!(d.column);
                    }
                    location["physicalLocation"]["region"] = region;
                }
                let mut result = json!({
                    "ruleId": d.code,
                    "level": level(d.severity),
                    "message": { "text": full_message(d) },
                    "locations": [location],
                    "partialFingerprints": { "planboekFinding/v1": fingerprint },
                });
                if let Some(&i) = index.get(d.code) {
                    result["ruleIndex"] = json!(i);
                }
                result
            })
            .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "planboek",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: every byte but unreserved characters and `/`
/// percent-encoded, so that spaces and `#` in file names survive.
fn uri(path: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    utf8_percent_encode(path, KEEP).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(file: &str, line: u32, message: &str) -> Diagnostic {
        Diagnostic::new(lints::UNFILLED_PLACEHOLDER, file, line, 3, message)
    }

    #[test]
    fn fingerprints_ignore_lines_but_tell_alike_findings_apart() {
        let a = Diagnostics(vec![finding("content/p/a.md", 4, "x"), finding("content/p/a.md", 9, "x")]);
        let moved = Diagnostics(vec![finding("content/p/a.md", 7, "x"), finding("content/p/a.md", 12, "x")]);
        let (fa, fm) = (fingerprints(&a), fingerprints(&moved));
        assert_eq!(fa, fm, "lines moved, same findings");
        assert_ne!(fa[0], fa[1], "two alike findings in one file");
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("content/plan a/ë#1.md"), "content/plan%20a/%C3%AB%231.md");
    }
}
