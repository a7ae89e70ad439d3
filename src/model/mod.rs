//! The model of a plan repository: a site holds plans, a plan holds a tree of sections;
//! with the rules for their paths (`paths`), the index of their pages (`index`) and the
//! schema of their front matter (`schema`).

pub mod index;
pub mod paths;
pub mod schema;

pub use index::{PageEntry, SiteIndex};
pub use paths::output_rel;

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
        match self {
            Classification::Openbaar => "openbaar",
            Classification::Intern => "intern",
            Classification::Vertrouwelijk => "vertrouwelijk",
        }
    }
}

impl std::str::FromStr for Classification {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        [Self::Openbaar, Self::Intern, Self::Vertrouwelijk]
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not an audience; expected one of: openbaar, intern, vertrouwelijk"))
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Work in progress: shown by `serve` and previews, left out of a published build.
    #[serde(default)]
    pub draft: bool,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Work in progress: shown by `serve` and previews, left out of a published build.
    #[serde(default)]
    pub draft: bool,
}

/// A kind of front matter: what a file without any gets, what one that did not parse gets,
/// and the schema its errors are classified by.
pub trait FrontMatter: serde::de::DeserializeOwned + Default {
    /// Front matter that did not parse still yields a value, so loading goes on and reports
    /// every error. Its classification is the highest: what the file says is unknown, and a
    /// lowered front-matter lint must not let a confidential section into a lower audience.
    /// It counts as a draft too, for the same reason.
    fn unreadable() -> Self;
    /// The kind of the field at a key path, None for a key the schema does not know.
    fn field(path: &str) -> Option<crate::diag::spans::FieldKind>;
    /// The title it sets, if any.
    fn title(&self) -> Option<&str>;
}

impl FrontMatter for SectionMeta {
    fn unreadable() -> Self {
        SectionMeta { classification: Classification::Vertrouwelijk, draft: true, ..Default::default() }
    }
    fn field(path: &str) -> Option<crate::diag::spans::FieldKind> {
        schema::section_field(path)
    }
    fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
}

impl FrontMatter for PlanMeta {
    fn unreadable() -> Self {
        PlanMeta { classification: Classification::Vertrouwelijk, draft: true, ..Default::default() }
    }
    fn field(path: &str) -> Option<crate::diag::spans::FieldKind> {
        schema::plan_field(path)
    }
    fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
}

/// A Markdown source file: where it is and where its body starts. The body itself is not
/// kept: a handbook's bodies are most of its size, and each is needed only while its page
/// renders, when `content::read_body` reads it again (and checks it is what was loaded).
#[derive(Debug, Clone, Default, Hash)]
pub struct Source {
    /// Path relative to the site root, e.g. `content/de-haven/01-aanleiding.md`.
    pub path: PathBuf,
    /// 1-based line of the file on which the body starts, so body positions map to file lines.
    pub body_line: u32,
    /// 1-based line of each top-level front-matter key, for findings about its value.
    pub key_lines: BTreeMap<String, u32>,
    /// The blake3 digest of the file's bytes as loaded: a body read again must match it, so
    /// that a page never mixes front matter of one state of the file with a body of another.
    pub digest: [u8; 32],
    /// The body's first `#` heading, kept only when the front matter has no title (the
    /// heading is then the title).
    pub heading: Option<String>,
}

/// A page of a plan: a file, or a folder with an optional `_index.md`, and its subsections.
#[derive(Debug, Clone, Hash)]
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
#[derive(Debug, Clone, Hash)]
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

    /// The section at `path` (child indices from the plan's top level down).
    pub fn section_at(&self, path: &[usize]) -> Option<&Section> {
        let (first, rest) = path.split_first()?;
        let mut s = self.sections.get(*first)?;
        for &i in rest {
            s = s.children.get(i)?;
        }
        Some(s)
    }

    /// Who may read the page of the section at `path` (the overview for an empty path): the
    /// highest classification of the plan and of each section on the way down, as a section
    /// is only ever seen where its plan and its parents are.
    pub fn classification_at(&self, path: &[usize]) -> Classification {
        let mut class = self.meta.classification;
        let mut level = &self.sections;
        for &i in path {
            let Some(s) = level.get(i) else { break };
            if s.source.is_some() {
                class = class.max(s.meta.classification);
            }
            level = &s.children;
        }
        class
    }

    /// `section_at`, to change the section.
    pub fn section_at_mut(&mut self, path: &[usize]) -> Option<&mut Section> {
        let (first, rest) = path.split_first()?;
        let mut s = self.sections.get_mut(*first)?;
        for &i in rest {
            s = s.children.get_mut(i)?;
        }
        Some(s)
    }
}

/// A loaded repository.
#[derive(Debug, Clone)]
pub struct Site {
    /// The folder holding planboek.toml.
    pub root: PathBuf,
    pub plans: Vec<Plan>,
}

/// Source paths under `content/` (`plan/a.md`) of the pages an audience filter removed.
pub type Removed = Vec<String>;
