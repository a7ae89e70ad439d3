//! The one set of path rules: where a plan's pages go in the output, and how a file or
//! folder name's number prefix (`04-plan-van-aanpak`) orders it and names it.

use super::{Plan, Section};

/// `a/b.md` → `a/b.html`, `a/_index.md` and `a/index.md` → `a/index.html`.
pub fn output_rel(rel: &str) -> String {
    let (dir, name) = match rel.rsplit_once('/') {
        Some((dir, name)) => (Some(dir), name),
        None => (None, rel),
    };
    match dir {
        Some(dir) if is_index(name) => format!("{dir}/index.html"),
        None if is_index(name) => "index.html".to_string(),
        _ => format!("{}.html", strip_md(rel)),
    }
}

/// Whether a file name is Markdown: `.md` in any case (`Notes.MD` too).
pub fn is_markdown(name: &str) -> bool {
    name.len() > 3 && name.is_char_boundary(name.len() - 3) && name[name.len() - 3..].eq_ignore_ascii_case(".md")
}

/// Whether a file name is a folder's own page: `_index.md` or `index.md`, in any case.
pub fn is_index(name: &str) -> bool {
    is_markdown(name) && matches!(strip_md(name).to_ascii_lowercase().as_str(), "_index" | "index")
}

/// The name without its `.md` (in any case).
pub fn strip_md(name: &str) -> &str {
    if is_markdown(name) {
        &name[..name.len() - 3]
    } else {
        name
    }
}

/// The output path (relative to the output root) of a plan's overview page.
pub fn overview_path(plan: &Plan) -> String {
    format!("{}/index.html", plan.slug)
}

/// The output path (relative to the output root) of a plan's page for `section`.
pub fn page_path(plan: &Plan, section: &Section) -> String {
    format!("{}/{}", plan.slug, output_rel(&section.rel))
}

/// A name's number prefix and the rest: `04-plan-van-aanpak` → (Some(4), `plan-van-aanpak`),
/// `2026.plan` → (Some(2026), `plan`), `monitoring` → (None, `monitoring`). The digits and
/// the `-`, `_` or `.` after them count as a prefix only when a name remains after them.
pub fn number_prefix(name: &str) -> (Option<u64>, &str) {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    let rest = name[digits..].trim_start_matches(['-', '_', '.']);
    if digits == 0 || rest.len() == name.len() - digits || rest.is_empty() {
        return (name[..digits].parse().ok().filter(|_| digits > 0), name);
    }
    (name[..digits].parse().ok(), rest)
}

/// `04-plan-van-aanpak.md` → "Plan van aanpak": the title of a page that names none.
pub fn humanize(name: &str) -> String {
    let (_, stem) = number_prefix(strip_md(name));
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `01-probleemanalyse/02-de-jeugdgroep.md` → `probleemanalyse/de-jeugdgroep`: a section's
/// name without number prefixes, as `[check] required_sections` names it.
pub fn section_key(rel: &str) -> String {
    let rel = strip_md(rel);
    let rel = rel.strip_suffix("/_index").or_else(|| rel.strip_suffix("/index")).unwrap_or(rel);
    rel.split('/').map(|part| number_prefix(part).1).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths() {
        assert_eq!(output_rel("a/b.md"), "a/b.html");
        assert_eq!(output_rel("a/_index.md"), "a/index.html");
        assert_eq!(output_rel("a/index.md"), "a/index.html");
        assert_eq!(output_rel("_index.md"), "index.html");
        assert_eq!(output_rel("x.md"), "x.html");
        assert_eq!(output_rel("x.MD"), "x.html");
        assert_eq!(output_rel("a/Index.MD"), "a/index.html");
    }

    #[test]
    fn markdown_names_in_any_case() {
        assert!(is_markdown("a.md") && is_markdown("Notes.MD") && is_markdown("b.Md"));
        assert!(!is_markdown(".md") && !is_markdown("a.mdx") && !is_markdown("é"));
        assert!(is_index("_index.md") && is_index("INDEX.MD") && !is_index("x_index.md"));
    }

    #[test]
    fn number_prefixes_one_rule() {
        assert_eq!(number_prefix("04-plan-van-aanpak"), (Some(4), "plan-van-aanpak"));
        assert_eq!(number_prefix("2026.plan"), (Some(2026), "plan"));
        assert_eq!(number_prefix("10_x"), (Some(10), "x"));
        assert_eq!(number_prefix("monitoring"), (None, "monitoring"));
        assert_eq!(number_prefix("2026"), (Some(2026), "2026"));
        assert_eq!(number_prefix("3d-kaart"), (Some(3), "3d-kaart"), "no separator: the digits are part of the name");
        assert_eq!(number_prefix("04-"), (Some(4), "04-"));
    }

    #[test]
    fn titles_and_section_keys() {
        assert_eq!(humanize("04-plan-van-aanpak.md"), "Plan van aanpak");
        assert_eq!(humanize("monitoring"), "Monitoring");
        assert_eq!(humanize("1.intro.md"), "Intro");
        assert_eq!(section_key("01-probleemanalyse/02-de-jeugdgroep.md"), "probleemanalyse/de-jeugdgroep");
        assert_eq!(section_key("03-plan-van-aanpak/_index.md"), "plan-van-aanpak");
        assert_eq!(section_key("2026-plan.md"), "plan");
        assert_eq!(section_key("monitoring.md"), "monitoring");
    }
}
