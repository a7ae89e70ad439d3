//! Output names that collide: two pages, or a page and a copied file, that would be written
//! to one file. Names that differ only in case are one file on Windows and macOS, where
//! editors work, and names are compared in NFC, which is how they are written.

use super::source::CONTENT_DIR;
use crate::diag::{lints, Diagnostic};
use crate::model::paths::{overview_path, page_path};
use crate::model::Site;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// P0004 for every output file that more than one source claims (compared without case),
/// naming the sources; `files` are the non-Markdown files under `content/`.
pub fn collisions(site: &Site, files: &HashSet<String>) -> Vec<Diagnostic> {
    let mut claims: Vec<(String, PathBuf)> = Vec::new();
    for plan in &site.plans {
        claims.push((overview_path(plan), plan.source.path.clone()));
        for s in plan.all_sections() {
            let source = match &s.source {
                Some(src) => src.path.clone(),
                None => Path::new(CONTENT_DIR).join(&plan.slug).join(s.rel.trim_end_matches("/_index.md")),
            };
            claims.push((page_path(plan, s), source));
        }
    }
    let mut sorted: Vec<&String> = files.iter().collect();
    sorted.sort();
    claims.extend(sorted.into_iter().map(|f| (f.clone(), Path::new(CONTENT_DIR).join(f))));
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, (name, source)) in claims.iter().enumerate() {
        match first.get(&name.to_lowercase()) {
            Some(&at) => out.push(collision(&claims[at], (name, source))),
            None => {
                first.insert(name.to_lowercase(), i);
            }
        }
    }
    out
}

fn collision(first: &(String, PathBuf), (name, source): (&String, &PathBuf)) -> Diagnostic {
    let same = first.0 == *name;
    let why = if same {
        String::new()
    } else {
        format!(" (and {}: names that differ only in case are one file on Windows and macOS)", first.0)
    };
    Diagnostic::new(
        lints::DUPLICATE_OUTPUT,
        source,
        0,
        0,
        format!("{} and {} would both write {name}{why}", first.1.display(), source.display()),
    )
    .with_help("rename one of them so that their names differ in more than case")
}
