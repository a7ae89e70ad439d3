//! `planboek.toml`: the site's configuration, strict, with errors at file:line:col.

use crate::check::{lints, Diagnostic};
use crate::content::Classification;
use serde::Deserialize;
use std::path::Path;

/// The file that marks a site root.
pub const CONFIG_FILE: &str = "planboek.toml";

/// Language of the handbook's interface (`<html lang>` and every UI string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Nl,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }
}

/// The typed contents of planboek.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The handbook's name, shown on every page.
    #[serde(default = "default_title")]
    pub title: String,
    #[serde(default)]
    pub language: Language,
    /// A folder under `themes/` whose templates and static files override the built-in theme.
    pub theme: Option<String>,
    /// The audience a build is for when `--audience` is not given.
    #[serde(default)]
    pub audience: Classification,
    /// Trust the repository's raw HTML and publish it unsanitized.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// `[check]`: which sections a plan must have, and lint levels.
    #[serde(default)]
    pub check: CheckConfig,
    /// `[versions]`: publish adopted versions from git tags, folders and the working tree.
    pub versions: Option<VersionsConfig>,
    /// Set by `versions` for the build of one version; never read from planboek.toml.
    #[serde(skip)]
    pub stamp: Option<std::sync::Arc<crate::versions::Stamp>>,
}

/// The `[versions]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionsConfig {
    /// Tags matching this glob (`v*`) are versions, newest by tag date first.
    pub from_git: Option<String>,
    /// Also publish the working tree under this name.
    pub current: Option<String>,
    /// Explicit versions: a git ref or a folder holding an older copy.
    #[serde(default)]
    pub list: Vec<VersionEntry>,
    /// Show the author of a section's last change (personal data, so off by default).
    #[serde(default)]
    pub show_authors: bool,
}

/// One `[[versions.list]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionEntry {
    pub name: String,
    #[serde(rename = "ref")]
    pub git_ref: Option<String>,
    pub path: Option<std::path::PathBuf>,
}

/// The `[check]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Sections every plan must have, as paths without number prefixes
    /// (`probleemanalyse/aanleiding`); the template's sections when absent.
    pub required_sections: Option<Vec<String>>,
    /// Lint name → level, overriding the default severity.
    #[serde(default)]
    pub levels: std::collections::BTreeMap<String, Level>,
}

/// A lint's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Allow,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: default_title(),
            language: Language::Nl,
            theme: None,
            audience: Classification::Intern,
            allow_raw_html: false,
            check: CheckConfig::default(),
            versions: None,
            stamp: None,
        }
    }
}

fn default_title() -> String {
    "Planboek".to_string()
}

/// Reads `root/planboek.toml`.
pub fn load(root: &Path) -> Result<Config, Diagnostic> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read(&path).map_err(|e| {
        Diagnostic::new(lints::CONFIG, CONFIG_FILE, 0, 0, format!("cannot read {}: {e}", path.display()))
            .with_help("run `planboek init` to create a plan repository, or name the folder that holds planboek.toml")
    })?;
    let text = String::from_utf8(text)
        .map_err(|e| Diagnostic::new(lints::INVALID_UTF8, CONFIG_FILE, 0, 0, format!("not UTF-8: {e}")))?;
    parse(&text)
}

/// The line of the first of `keys` (as `content::frontmatter::key_lines` names them) that
/// the text of planboek.toml sets; 0 when none is there.
pub fn line_of(text: &str, keys: &[&str]) -> u32 {
    let lines = crate::content::frontmatter::key_lines(text, 1);
    keys.iter().find_map(|k| lines.get(*k).copied()).unwrap_or(0)
}

/// `line_of` in the repository's planboek.toml.
pub fn config_line(root: &Path, keys: &[&str]) -> u32 {
    line_of(&std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default(), keys)
}

/// Parses the text of planboek.toml.
pub fn parse(text: &str) -> Result<Config, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let config = toml::from_str::<Config>(text).map_err(|e| toml_diagnostic(&e, text, 1, CONFIG_FILE))?;
    for name in config.check.levels.keys() {
        if !crate::check::lints::ALL.iter().any(|l| l.name == name) {
            let line = line_of(text, &[&format!("check.levels.{name}"), "check.levels"]);
            let names: Vec<&str> = crate::check::lints::ALL.iter().map(|l| l.name).collect();
            return Err(Diagnostic::new(
                lints::CONFIG,
                CONFIG_FILE,
                line,
                1,
                format!("unknown lint `{name}` in [check] levels"),
            )
            .with_help(format!("lints are: {}", names.join(", "))));
        }
    }
    Ok(config)
}

/// A TOML error as a diagnostic at the line and column of its span; `first_line` is the
/// file line on which `text` starts.
pub fn toml_diagnostic(e: &toml::de::Error, text: &str, first_line: u32, file: impl AsRef<Path>) -> Diagnostic {
    let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
    let message = e.message().trim().to_string();
    let lint = front_matter_lint(&message);
    let lint = if file.as_ref() == Path::new(CONFIG_FILE) { lints::CONFIG } else { lint };
    // serde's message for an unknown key already lists the valid ones ("expected one of …").
    Diagnostic::new(lint, file, first_line + line - 1, col, message)
}

/// Which front-matter lint a TOML or schema error message is.
fn front_matter_lint(message: &str) -> crate::check::Lint {
    if message.contains("unknown field") {
        lints::FM_UNKNOWN_KEY
    } else if message.contains("unknown variant") {
        lints::FM_INVALID_VALUE
    } else if message.contains("date") {
        lints::FM_INVALID_DATE
    } else if message.contains("invalid type") || message.contains("missing field") {
        lints::FM_WRONG_TYPE
    } else {
        lints::FM_SYNTAX
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() as u32 + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_unknown_keys() {
        let c = parse("title = \"X\"\n").expect("valid");
        assert_eq!(c.language, Language::Nl);
        let e = parse("title = \"X\"\nlanguge = \"en\"\n").expect_err("unknown key");
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("language"), "{}", e.message);
    }
}
