//! The model of a plan repository: a site holds plans, a plan holds a tree of sections.

use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Who may read a section; ordered from least to most restricted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Classification {
    Openbaar,
    #[default]
    Intern,
    Vertrouwelijk,
}

impl Classification {
    pub const NAMES: &'static [&'static str] = &["openbaar", "intern", "vertrouwelijk"];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

impl std::str::FromStr for Classification {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "openbaar" => Ok(Self::Openbaar),
            "intern" => Ok(Self::Intern),
            "vertrouwelijk" => Ok(Self::Vertrouwelijk),
            _ => Err(format!("`{s}` is not an audience; expected one of: openbaar, intern, vertrouwelijk")),
        }
    }
}

/// Where a plan or section stands in its adoption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Concept,
    TerReview,
    Vastgesteld,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Concept => "concept",
            Status::TerReview => "ter-review",
            Status::Vastgesteld => "vastgesteld",
        }
    }
}

/// The triangle's risk assessment of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Laag,
    Midden,
    Hoog,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Laag => "laag",
            Risk::Midden => "midden",
            Risk::Hoog => "hoog",
        }
    }
}

/// Progress of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionStatus {
    #[default]
    Open,
    Lopend,
    Gereed,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::Lopend => "lopend",
            ActionStatus::Gereed => "gereed",
        }
    }
}

/// Front matter of a plan's `_index.md`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanMeta {
    pub title: Option<String>,
    pub group: Option<String>,
    pub municipality: Option<String>,
    pub risk: Option<Risk>,
    pub status: Option<Status>,
    pub start: Option<Date>,
    pub evaluation: Option<Date>,
    pub end: Option<Date>,
    #[serde(default)]
    pub partners: Vec<String>,
    /// Who may read the plan's own introduction and see the plan at all.
    #[serde(default)]
    pub classification: Classification,
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
}

impl PlanMeta {
    /// Value of placeholder `name` (`NAAM GROEP`, …): `[vars]` first, then `group` and
    /// `municipality`; an empty value counts as unfilled.
    pub fn placeholder(&self, name: &str) -> Option<&str> {
        let value = match self.vars.get(name) {
            Some(v) => Some(v.as_str()),
            None => match name {
                "NAAM GROEP" | "GROEP" | "NAAM" => self.group.as_deref(),
                "NAAM GEMEENTE" | "GEMEENTE" => self.municipality.as_deref(),
                _ => None,
            },
        };
        value.filter(|v| !v.trim().is_empty())
    }
}

/// One `[[actions]]` entry of a section.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: Option<String>,
    pub what: String,
    pub who: Option<String>,
    pub due: Option<Date>,
    #[serde(default)]
    pub status: ActionStatus,
}

/// Front matter of a section file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    pub title: Option<String>,
    pub weight: Option<i64>,
    pub owner: Option<String>,
    pub status: Option<Status>,
    #[serde(default)]
    pub classification: Classification,
    pub updated: Option<Date>,
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// Front matter that did not parse still yields a value, so loading goes on and reports
/// every error. Its classification is the highest: what the file says is unknown, and a
/// lowered front-matter lint must not let a confidential section into a lower audience.
pub trait Unreadable: Default {
    fn unreadable() -> Self;
}

impl Unreadable for SectionMeta {
    fn unreadable() -> Self {
        SectionMeta { classification: Classification::Vertrouwelijk, ..Default::default() }
    }
}

impl Unreadable for PlanMeta {
    fn unreadable() -> Self {
        PlanMeta { classification: Classification::Vertrouwelijk, ..Default::default() }
    }
}

/// A Markdown source file: where it is and where its body starts.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// Path relative to the site root, e.g. `content/de-haven/01-aanleiding.md`.
    pub path: PathBuf,
    /// The Markdown after the front matter.
    pub body: String,
    /// 1-based line of the file on which `body` starts, so body positions map to file lines.
    pub body_line: u32,
    /// 1-based line of each top-level front-matter key, for findings about its value.
    pub key_lines: BTreeMap<String, u32>,
}

/// A page of a plan: a file, or a folder with an optional `_index.md`, and its subsections.
#[derive(Debug, Clone)]
pub struct Section {
    /// Path inside the plan folder with `/` separators: `04-plan-van-aanpak/_index.md`.
    /// For a folder without `_index.md` the path it would have.
    pub rel: String,
    pub title: String,
    pub meta: SectionMeta,
    /// None for a folder that has no `_index.md` of its own.
    pub source: Option<Source>,
    pub children: Vec<Section>,
}

impl Section {
    /// The page this section writes, relative to its plan folder: `a/b.md` → `a/b.html`,
    /// `a/_index.md` → `a/index.html`.
    pub fn output_rel(&self) -> String {
        output_rel(&self.rel)
    }

    /// This section and all below it, depth first in reading order.
    pub fn walk(&self) -> Vec<&Section> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }
}

/// A plan: the `_index.md` of a folder under `content/` and its sections.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The plan folder's name, which is also its folder in the output.
    pub slug: String,
    pub title: String,
    pub meta: PlanMeta,
    pub source: Source,
    pub sections: Vec<Section>,
}

impl Plan {
    /// Every section in reading order (depth first).
    pub fn all_sections(&self) -> Vec<&Section> {
        self.sections.iter().flat_map(Section::walk).collect()
    }

    /// Value of placeholder `name` (`NAAM GROEP`, …) from the plan's front matter.
    pub fn placeholder(&self, name: &str) -> Option<&str> {
        self.meta.placeholder(name)
    }
}

/// A loaded repository.
#[derive(Debug, Clone)]
pub struct Site {
    /// The folder holding planboek.toml.
    pub root: PathBuf,
    pub plans: Vec<Plan>,
}

/// `a/b.md` → `a/b.html`, `a/_index.md` and `a/index.md` → `a/index.html`.
pub fn output_rel(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    match stem.rsplit_once('/') {
        Some((dir, "_index" | "index")) => format!("{dir}/index.html"),
        None if stem == "_index" || stem == "index" => "index.html".to_string(),
        _ => format!("{stem}.html"),
    }
}

#[cfg(test)]
mod tests {
    use super::output_rel;

    #[test]
    fn output_paths() {
        assert_eq!(output_rel("a/b.md"), "a/b.html");
        assert_eq!(output_rel("a/_index.md"), "a/index.html");
        assert_eq!(output_rel("a/index.md"), "a/index.html");
        assert_eq!(output_rel("_index.md"), "index.html");
        assert_eq!(output_rel("x.md"), "x.html");
    }
}
