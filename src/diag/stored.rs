//! Findings as they are kept on disk, so that a build that reuses an output (a cached
//! version, or an output kept because nothing changed) reports what the build that made it
//! reported.

use super::{lints, Diagnostic, Diagnostics, Severity};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// One finding as it is kept; the lint by its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    severity: String,
    code: String,
    file: PathBuf,
    line: u32,
    column: u32,
    message: String,
    help: Option<String>,
}

/// The findings of a run, to keep.
pub fn store(ds: &Diagnostics) -> Vec<Stored> {
    store_all(&ds.0)
}

/// `store` for findings not (yet) gathered as `Diagnostics`.
pub fn store_all(ds: &[Diagnostic]) -> Vec<Stored> {
    ds.iter()
        .map(|d| Stored {
            severity: d.severity.as_str().to_string(),
            code: d.code.to_string(),
            file: d.file.to_path_buf(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.as_deref().map(str::to_string),
        })
        .collect()
}

/// The kept findings as diagnostics; None when one names a lint or a severity this planboek
/// does not know (what kept them is then rebuilt).
pub fn restore(stored: &[Stored]) -> Option<Diagnostics> {
    let mut out = Vec::with_capacity(stored.len());
    for s in stored {
        let lint = *lints::ALL.iter().find(|l| l.code == s.code)?;
        let mut d = Diagnostic::new(lint, &s.file, s.line, s.column, s.message.clone());
        d.severity = severity(&s.severity)?;
        d.help = s.help.as_deref().map(Into::into);
        out.push(d);
    }
    Some(Diagnostics(out))
}

/// How many kept findings are warnings.
pub fn warnings(stored: &[Stored]) -> usize {
    stored.iter().filter(|s| s.severity == Severity::Warning.as_str()).count()
}

fn severity(s: &str) -> Option<Severity> {
    [Severity::Error, Severity::Warning, Severity::Info].into_iter().find(|v| v.as_str() == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_survive_being_kept() {
        let mut info = Diagnostic::new(lints::RAW_HTML_REMOVED, "content/a/b.md", 3, 4, "raw HTML cleaned");
        info.severity = Severity::Info;
        let ds = Diagnostics(vec![
            Diagnostic::new(lints::PERSONAL_BSN, "content/a/b.md", 7, 16, "BSN ****.**.*82").with_help("move it"),
            info,
        ]);
        let json = serde_json::to_string(&store(&ds)).expect("json");
        let back: Vec<Stored> = serde_json::from_str(&json).expect("parse");
        assert_eq!(restore(&back).expect("known lints").0, ds.0);
        assert_eq!(warnings(&back), 1);
        let unknown = json.replace("P0501", "P9999");
        assert!(restore(&serde_json::from_str::<Vec<Stored>>(&unknown).expect("parse")).is_none());
    }
}
