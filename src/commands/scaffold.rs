//! `planboek init` and `planboek new`: a repository and plans from the embedded template,
//! which is the example repository's own `content/sjabloon/`.

use crate::config::CONFIG_FILE;
use crate::content::CONTENT_DIR;
use crate::template::{CONFIG_TEXT, GITIGNORE, TEMPLATE};
use crate::util::slug::{is_ascii_slug, slugify};
use std::fs;
use std::path::{Path, PathBuf};

/// The plan `init` creates when neither a plan name nor a group is given.
const FIRST_PLAN: &str = "nieuwe-jeugdgroep";

/// The first plan of a new repository: its folder name (else derived from the group) and
/// the values `new` takes too.
#[derive(Debug, Default)]
pub struct FirstPlan<'a> {
    pub slug: Option<&'a str>,
    pub group: Option<&'a str>,
    pub municipality: Option<&'a str>,
}

impl FirstPlan<'_> {
    /// `--plan`, else `jeugdgroep-<group>`, else `nieuwe-jeugdgroep`.
    fn folder(&self) -> String {
        if let Some(slug) = self.slug {
            return slug.to_string();
        }
        let group = self.group.map(slugify).filter(|g| is_ascii_slug(g));
        match group {
            Some(g) if g.starts_with("jeugdgroep") => g,
            Some(g) => format!("jeugdgroep-{g}"),
            None => FIRST_PLAN.to_string(),
        }
    }
}

/// Creates a plan repository in `dir` with one plan; returns what it did.
pub fn init(dir: &Path, first: &FirstPlan) -> Result<String, String> {
    if let Some(slug) = first.slug {
        validate_slug(slug)?;
    }
    if dir.join(CONFIG_FILE).exists() {
        return Err(format!("{} already holds a plan repository ({CONFIG_FILE} exists)", dir.display()));
    }
    let io = |e: std::io::Error| format!("cannot create the repository in {}: {e}", dir.display());
    fs::create_dir_all(dir).map_err(io)?;
    fs::write(dir.join(CONFIG_FILE), CONFIG_TEXT).map_err(io)?;
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        fs::write(&gitignore, GITIGNORE).map_err(io)?;
    }
    let plan = first.folder();
    write_plan(&dir.join(CONTENT_DIR).join(&plan), first.group, first.municipality)?;
    Ok(format!(
        "created a plan repository in {}: {CONFIG_FILE}, .gitignore and content/{plan}/\nnext: fill in the plan, then run `planboek build` or `planboek check`",
        dir.display()
    ))
}

/// Adds plan `slug` from the template to the repository that holds `cwd`.
pub fn new_plan(cwd: &Path, slug: &str, group: Option<&str>, municipality: Option<&str>) -> Result<String, String> {
    validate_slug(slug)?;
    let root = find_root(cwd)
        .ok_or_else(|| format!("no {CONFIG_FILE} in {} or above it; run `planboek init` first", cwd.display()))?;
    let folder = root.join(CONTENT_DIR).join(slug);
    if folder.exists() {
        return Err(format!("{} already exists", folder.display()));
    }
    write_plan(&folder, group, municipality)?;
    Ok(format!("created {} from the template ({} sections)", folder.display(), TEMPLATE.len() - 1))
}

/// Accepts a valid plan folder name (for the command line's argument parser).
pub fn parse_slug(slug: &str) -> Result<String, String> {
    validate_slug(slug).map(|()| slug.to_string())
}

fn validate_slug(slug: &str) -> Result<(), String> {
    if !is_ascii_slug(slug) {
        return Err(format!(
            "`{slug}` is not a valid plan name: use lower-case letters, digits and hyphens, e.g. jeugdgroep-de-haven"
        ));
    }
    Ok(())
}

/// The nearest folder at or above `dir` that holds planboek.toml.
pub fn find_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| d.join(CONFIG_FILE).is_file()).map(Path::to_path_buf)
}

fn write_plan(folder: &Path, group: Option<&str>, municipality: Option<&str>) -> Result<(), String> {
    for (rel, text) in TEMPLATE {
        let path = folder.join(rel);
        let text =
            if *rel == "_index.md" { fill_plan_front_matter(text, group, municipality) } else { (*text).to_string() };
        let io = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        fs::create_dir_all(path.parent().unwrap_or(folder)).map_err(io)?;
        fs::write(&path, text).map_err(io)?;
    }
    Ok(())
}

/// Sets `group` and `municipality` in the template's front matter (uncommenting their lines)
/// and fills the group's name into the title.
fn fill_plan_front_matter(text: &str, group: Option<&str>, municipality: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        // The example repository keeps its template out of its builds; a plan made from it
        // is meant to be published.
        if line == "draft = true" || DRAFT_HINT.iter().any(|hint| line.starts_with(hint)) {
            continue;
        }
        // The hint to uncomment the two lines is done with when both are given.
        if group.is_some() && municipality.is_some() && line.starts_with("# Haal het hekje weg") {
            continue;
        }
        let replaced = match (group, municipality) {
            (Some(g), _) if line.starts_with("# group = ") => format!("group = {}", toml_string(g)),
            (_, Some(m)) if line.starts_with("# municipality = ") => format!("municipality = {}", toml_string(m)),
            (Some(g), _) if line.starts_with("title = ") => {
                let title: String = line.trim_start_matches("title = ").trim_matches('"').replace("<NAAM GROEP>", g);
                format!("title = {}", toml_string(&title))
            }
            _ => line.to_string(),
        };
        out.push_str(&replaced);
        out.push('\n');
    }
    out
}

/// The comment lines above the template's `draft = true`.
const DRAFT_HINT: [&str; 2] = ["# Een werkversie:", "# Haal deze regel weg als het plan"];

/// `s` as a TOML basic string, quotes and escapes included.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_group_and_municipality() {
        let t = "+++\ntitle = \"Plan <NAAM GROEP>\"\n# Een werkversie: x\ndraft = true\n# Haal het hekje weg en vul in:\n# group = \"<NAAM GROEP>\"\n# municipality = \"x\"\n+++\n";
        let out = fill_plan_front_matter(t, Some("De \"Haven\""), Some("Hoevenmeer"));
        let fm: toml::Table = toml::from_str(out.trim_matches(|c| c == '+' || c == '\n')).expect("valid TOML");
        assert_eq!(fm["group"].as_str(), Some("De \"Haven\""));
        assert_eq!(fm["municipality"].as_str(), Some("Hoevenmeer"));
        assert_eq!(fm["title"].as_str(), Some("Plan De \"Haven\""));
        assert!(!out.contains("hekje"), "the hint to uncomment is gone: {out}");
        assert!(!out.contains("draft") && !out.contains("werkversie"), "a new plan is no draft: {out}");
        let half = fill_plan_front_matter(t, Some("De Haven"), None);
        assert!(half.contains("# Haal het hekje weg") && half.contains("# municipality = "), "{half}");
    }

    #[test]
    fn the_first_plan_is_named_after_its_group() {
        let named = |slug, group| FirstPlan { slug, group, municipality: None }.folder();
        assert_eq!(named(None, Some("De Haven")), "jeugdgroep-de-haven");
        assert_eq!(named(None, Some("Jeugdgroep Kadepoort")), "jeugdgroep-kadepoort");
        assert_eq!(named(Some("x-y"), Some("De Haven")), "x-y");
        assert_eq!(named(None, Some("Ø?!")), "jeugdgroep-o");
        assert_eq!(named(None, Some("?!")), FIRST_PLAN);
        assert_eq!(named(None, Some("Вокзал")), FIRST_PLAN);
        assert_eq!(named(None, None), FIRST_PLAN);
    }

    #[test]
    fn slugs() {
        assert!(validate_slug("jeugdgroep-de-haven").is_ok());
        assert!(validate_slug("De Haven").is_err());
        assert!(validate_slug("../x").is_err());
        assert!(validate_slug("").is_err());
    }
}
