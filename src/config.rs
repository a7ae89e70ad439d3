//! `planboek.toml`: the schema of the site's configuration, strict, with errors at
//! file:line:col. It holds what the file says and nothing of any one build.

use crate::diag::spans::{config_diagnostic, parse_with_lines};
use crate::diag::{lints, Diagnostic, Level};
use crate::model::Classification;
use crate::privacy::Allow;
use serde::Deserialize;
use std::collections::BTreeMap;
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
    /// Embed images from other hosts (`https://…`, `//host/…`); otherwise they are shown as
    /// links, so that opening a page tells no outside server who reads which plan.
    #[serde(default)]
    pub allow_remote_images: bool,
    /// The path the handbook is served under (`/intranet/plannen/`): only the 404 page uses
    /// it, as a web server sends that page for a missing address in any folder, where its
    /// relative links would resolve against the wrong one. Checked by `parse`.
    pub base_path: Option<String>,
    /// `[check]`: which sections a plan must have, and lint levels.
    #[serde(default)]
    pub check: CheckConfig,
    /// `[versions]`: publish adopted versions from git tags, folders and the working tree.
    pub versions: Option<VersionsConfig>,
    /// `[privacy]`: what the personal-data guard lets through.
    #[serde(default)]
    pub privacy: PrivacyConfig,
    /// `[partners]`: partner slug → the name readers know (`om = "Openbaar Ministerie"`),
    /// over the built-in names of the usual partners (`commitments::partner_label`).
    #[serde(default)]
    pub partners: BTreeMap<String, String>,
    /// The line of each key in planboek.toml (`versions.list.0`), for findings about a value.
    #[serde(skip)]
    pub key_lines: BTreeMap<String, u32>,
    /// The digest of the text this was parsed from: what a build's records name as its
    /// planboek.toml, so that a file saved after it was read is not taken for it.
    #[serde(skip)]
    pub digest: [u8; 32],
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
    pub levels: BTreeMap<String, Level>,
}

/// The `[privacy]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Role mailboxes and numbers that are fine to publish (`jeugdgroepen@lindewaard.nl`,
    /// a desk's `010-1234567`), in any of the forms people write them.
    #[serde(default)]
    pub allow: Allow,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: default_title(),
            language: Language::Nl,
            theme: None,
            audience: Classification::Intern,
            allow_raw_html: false,
            allow_remote_images: false,
            base_path: None,
            check: CheckConfig::default(),
            versions: None,
            privacy: PrivacyConfig::default(),
            partners: BTreeMap::new(),
            key_lines: BTreeMap::new(),
            digest: [0; 32],
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

impl Config {
    /// The line of the first of `keys` (`versions.list.0`, `theme`) that planboek.toml sets;
    /// 0 when none is there.
    pub fn line_of(&self, keys: &[&str]) -> u32 {
        keys.iter().find_map(|k| self.key_lines.get(*k).copied()).unwrap_or(0)
    }
}

/// Parses the text of planboek.toml.
pub fn parse(text: &str) -> Result<Config, Diagnostic> {
    let digest = *blake3::hash(text.as_bytes()).as_bytes();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (config, key_lines) = parse_with_lines::<Config>(text, 1);
    let mut config = config.map_err(|e| config_diagnostic(&e, text, CONFIG_FILE))?;
    config.key_lines = key_lines;
    config.digest = digest;
    if let Some(path) = config.base_path.take() {
        let line = config.line_of(&["base_path"]);
        let checked = base_path(&path).map_err(|why| {
            Diagnostic::new(lints::CONFIG, CONFIG_FILE, line, 1, format!("base_path `{path}` {why}"))
                .with_help("give the path the handbook is served under on its web server, e.g. \"/intranet/plannen/\"")
        })?;
        config.base_path = Some(checked);
    }
    for name in config.check.levels.keys() {
        if !lints::ALL.iter().any(|l| l.name == name) {
            let line = config.line_of(&[&format!("check.levels.{name}"), "check.levels"]);
            let names: Vec<&str> = lints::ALL.iter().map(|l| l.name).collect();
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
    if let Some((i, entry)) = config.privacy.allow.empty_entries().next() {
        let line = config.line_of(&[&format!("privacy.allow.{i}"), "privacy.allow", "privacy"]);
        return Err(Diagnostic::new(
            lints::CONFIG,
            CONFIG_FILE,
            line,
            1,
            format!("`{entry}` in [privacy] allow holds no e-mail address or number"),
        )
        .with_help(
            "list role mailboxes and numbers as written: allow = [\"jeugdgroepen@lindewaard.nl\", \"010-1234567\"]",
        ));
    }
    Ok(config)
}

/// A `base_path` as the 404 page uses it: an absolute path on the handbook's own server,
/// with a trailing `/`. Anything that could lead elsewhere (`//host/`, a scheme, `..`, a
/// backslash) or break out of an attribute is refused: the 404 page loads its style sheet
/// from there.
fn base_path(path: &str) -> Result<String, &'static str> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Err("must be an absolute path on the handbook's server, starting with one `/`");
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~' | '%');
    if !path.chars().all(allowed) {
        return Err("may hold only letters, digits, `/`, `-`, `_`, `.`, `~` and %-escapes");
    }
    if path.split('/').any(|part| part == ".." || part == ".") {
        return Err("may not hold `.` or `..` folders");
    }
    let bytes = path.as_bytes();
    let escapes_ok = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'%')
        .all(|(i, _)| bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)));
    if !escapes_ok {
        return Err("has a `%` that is not a %-escape");
    }
    Ok(if path.ends_with('/') { path.to_string() } else { format!("{path}/") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("/intranet/plannen/").as_deref(), Ok("/intranet/plannen/"));
        assert_eq!(base_path("/intranet/plannen").as_deref(), Ok("/intranet/plannen/"));
        assert_eq!(base_path("/").as_deref(), Ok("/"));
        assert_eq!(base_path("/a%20b/").as_deref(), Ok("/a%20b/"));
        for bad in
            ["intranet/", "//evil.example/", "/a/../b/", "/a\\b/", "https://x/", "/a\"b/", "/a b/", "/%zz/", "/%4/"]
        {
            assert!(base_path(bad).is_err(), "{bad}");
        }
        let e = parse("title = \"X\"\nbase_path = \"//evil.example/\"\n").expect_err("refused");
        assert_eq!((e.code, e.line), ("P0005", 2));
    }

    #[test]
    fn defaults_and_unknown_keys() {
        let c = parse("title = \"X\"\n").expect("valid");
        assert_eq!(c.language, Language::Nl);
        let e = parse("title = \"X\"\nlanguge = \"en\"\n").expect_err("unknown key");
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("language"), "{}", e.message);
    }

    #[test]
    fn privacy_allow_list() {
        let c = parse("[privacy]\nallow = [\"Jeugdgroepen@Lindewaard.nl\", \"010-1234567\"]\n").expect("valid");
        assert!(c.privacy.allow.allows("jeugdgroepen@lindewaard.nl") && c.privacy.allow.allows("0101234567"));
        let e = parse("[privacy]\nallow = [\"x@y.nl\",\n  \" - \"]\n").expect_err("empty entry");
        assert_eq!(e.line, 3, "{e}");
        let e = parse("[privacy]\nalow = []\n").expect_err("unknown key");
        assert_eq!(e.line, 2, "{e}");
        assert!(parse("[privacy]\nallow = \"x@y.nl\"\n").is_err());
    }
}
