//! The one diagnostic type that loading, rendering, the lints and every command report with,
//! the table of lints that make them, and the configured levels that tune them.

pub mod lints;
pub mod spans;
pub mod stored;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// How bad a finding is; ordered so that `Error` is the greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A kind of finding: a stable code, a name users can configure, and its default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lint {
    pub code: &'static str,
    pub name: &'static str,
    pub default: Severity,
}

/// One finding at a place in a file (path relative to the site root; line and column 1-based,
/// counted in the file itself, front matter included; 0 where there is no position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub name: &'static str,
    pub file: Box<Path>,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub help: Option<Box<str>>,
    /// The version of a versioned handbook the finding belongs to; None in an unversioned
    /// build. (Boxed, as are `help`, to keep results of diagnostics small.)
    pub version: Option<Box<str>>,
}

impl Diagnostic {
    /// A finding of `lint` at its default severity.
    pub fn new(lint: Lint, file: impl AsRef<Path>, line: u32, column: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: lint.default,
            code: lint.code,
            name: lint.name,
            file: file.as_ref().into(),
            line,
            column,
            message: message.into(),
            help: None,
            version: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    /// The finding as one of version `name` of a versioned handbook.
    pub fn in_version(mut self, name: &str) -> Self {
        self.version = Some(name.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether this finding was made by `lint`.
    pub fn is(&self, lint: Lint) -> bool {
        self.code == lint.code
    }

    /// `file:line:col: level[code]: message`, the form editors' tools jump to; no help line.
    pub fn headline(&self) -> String {
        let mut s = self.file.display().to_string();
        if self.line > 0 {
            s.push_str(&format!(":{}", self.line));
            if self.column > 0 {
                s.push_str(&format!(":{}", self.column));
            }
        }
        s.push_str(&format!(": {}[{}]: ", self.severity.as_str(), self.code));
        if let Some(v) = &self.version {
            s.push_str(&format!("in version `{v}`: "));
        }
        s + &self.message
    }
}

impl fmt::Display for Diagnostic {
    /// The headline, then the help line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.headline())?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// All findings of a run, so that every error is reported together, not only the first.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.0.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Sorted by file, then position, so output is stable whatever the thread order was.
    pub fn sort(&mut self) {
        // Comparing paths splits them into components at every comparison: a key per finding
        // orders the same and compares as bytes.
        self.0.sort_by_cached_key(|d| (d.version.clone(), path_key(&d.file), d.line, d.column, d.code));
        self.0.dedup();
    }

    /// `self` with `more` added, sorted.
    pub fn merged(mut self, more: impl IntoIterator<Item = Diagnostic>) -> Diagnostics {
        self.extend(more);
        self.sort();
        self
    }
}

/// A key whose bytes sort as `path` compares: each component as its kind (in `Component`'s
/// order) and its name, ended by NUL, which sorts below every byte of a name.
fn path_key(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for part in path.components() {
        key.push(match part {
            Component::Prefix(_) => 1,
            Component::RootDir => 2,
            Component::CurDir => 3,
            Component::ParentDir => 4,
            Component::Normal(_) => 5,
        });
        key.extend_from_slice(part.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    key
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// A lint's configured level in `[check] levels`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Allow,
}

/// Applies `[check] levels`: a lint set to another level takes it, one set to `allow` is dropped.
pub fn apply_levels(diagnostics: &mut Vec<Diagnostic>, levels: &BTreeMap<String, Level>) {
    if levels.is_empty() {
        return;
    }
    diagnostics.retain_mut(|d| match levels.get(d.name) {
        Some(Level::Allow) => false,
        Some(level) => {
            d.severity = match level {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
                _ => Severity::Info,
            };
            true
        }
        None => true,
    });
}

#[cfg(test)]
mod tests {
    use super::path_key;
    use std::path::Path;

    #[test]
    fn path_keys_sort_as_paths_compare() {
        let names = [
            "a",
            "a/b",
            "a-b",
            "a.b",
            "a/b/c",
            "ab",
            "/a",
            "/",
            "./a",
            "../a",
            "..",
            ".",
            "a/..",
            "a/-",
            "a/.x",
            "é/a",
            "z",
            "content/plan/01.md",
            "content/plan-2/01.md",
            "content/plan/01.md/x",
            "",
            "a//b",
            "a/./b",
        ];
        for x in names {
            for y in names {
                let (px, py) = (Path::new(x), Path::new(y));
                assert_eq!(path_key(px).cmp(&path_key(py)), px.cmp(py), "{x:?} vs {y:?}");
            }
        }
    }
}
