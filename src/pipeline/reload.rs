//! A prepared repository with some of its plans loaded again: how the preview server shows a
//! plan whose files were added, removed or renamed before it rebuilds the whole handbook.

use super::Prepared;
use crate::content::{self, Visibility, CONTENT_DIR};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Site, SiteIndex};
use crate::util::url::nfc;
use std::collections::HashSet;
use std::path::Path;

/// `previous` with the plans of the folders `dirs` (names under `content/`, as on disk)
/// loaded again from its source and filtered for its audience, and the site indexed anew. A
/// folder that is gone leaves its plan out; a new one adds it.
///
/// Loading's findings are the reloaded plans' own and the previous ones of every other plan;
/// the count of drafts left out is the previous one (the preview shows drafts). A full
/// `prepare` remains the reference: this is the quick first look that precedes it.
pub fn reload_plans(previous: &Prepared, dirs: &[String], drafts: bool) -> Prepared {
    let loaded = content::load_plans(&previous.source, dirs);
    let visibility = Visibility { audience: previous.audience, drafts };
    let filtered = content::filter(loaded.site, visibility);
    let slugs: HashSet<String> = dirs.iter().map(|d| nfc(d).into_owned()).collect();
    let ours = |rel: &str| rel.split_once('/').is_some_and(|(plan, _)| slugs.contains(plan));

    let mut plans: Vec<_> = previous.site.plans.iter().filter(|p| !slugs.contains(&p.slug)).cloned().collect();
    plans.extend(filtered.site.plans);
    // `load` orders plans by their folder's name.
    plans.sort_by(|a, b| a.slug.cmp(&b.slug));
    let site = Site { root: previous.site.root.clone(), plans };

    let mut removed: Vec<String> = previous.removed.iter().filter(|r| !ours(r)).cloned().collect();
    removed.extend(filtered.removed);
    let mut files: HashSet<String> = previous.links.files.iter().filter(|f| !ours(f)).cloned().collect();
    files.extend(loaded.files);
    let mut on_disk = previous.on_disk.clone();
    on_disk.retain(|name, _| !ours(name));
    on_disk.extend(loaded.on_disk);

    let folders: Vec<_> = slugs.iter().chain(dirs).map(|s| Path::new(CONTENT_DIR).join(s)).collect();
    let elsewhere = |d: &Diagnostic| !folders.iter().any(|f| d.file.starts_with(f));
    let mut diagnostics: Vec<Diagnostic> = previous.diagnostics.0.iter().filter(|d| elsewhere(d)).cloned().collect();
    diagnostics.extend(loaded.diagnostics);

    let index = SiteIndex::new(&site);
    let links = content::link_index(&site, &index, &removed, files);
    Prepared {
        config: previous.config.clone(),
        site,
        index,
        links,
        audience: previous.audience,
        removed,
        drafts_left_out: previous.drafts_left_out,
        drafts,
        diagnostics: Diagnostics(diagnostics),
        on_disk,
        source: previous.source.clone(),
        content_digest: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;
    use crate::content::ContentSource;
    use crate::pipeline::prepare;
    use std::fs;

    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    /// A copy of the `basic` fixture.
    fn basic() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"), dir.path());
        dir
    }

    fn fresh(root: &Path) -> Prepared {
        let config = config::load(root).unwrap();
        prepare(config, ContentSource::Disk(root.to_path_buf()), None, true)
    }

    /// What a prepared site holds, in an order that does not depend on hashing.
    fn shape(p: &Prepared) -> String {
        let sorted = |v: Vec<String>| {
            let mut v = v;
            v.sort();
            v
        };
        let pages = sorted(p.links.pages.iter().map(|(k, v)| format!("{k} {v:?}")).collect());
        let actions = sorted(p.links.actions.iter().map(|(k, v)| format!("{k} {v}")).collect());
        let files = sorted(p.links.files.iter().cloned().collect());
        let on_disk = sorted(p.on_disk.iter().map(|(k, v)| format!("{k} {v}")).collect());
        let diagnostics = sorted(p.diagnostics.0.iter().map(|d| d.to_string()).collect());
        let removed = sorted(p.removed.clone());
        format!(
            "{:#?}\n{:#?}\n{pages:#?}\n{actions:#?}\n{files:#?}\n{on_disk:#?}\n{removed:#?}\n{diagnostics:#?}",
            p.site, p.index.pages
        )
    }

    #[test]
    fn reloading_the_changed_plans_gives_what_a_fresh_load_gives() {
        let dir = basic();
        let root = dir.path();
        let previous = fresh(root);
        let content = root.join(CONTENT_DIR);
        // A new section with an action and a link to the other plan, a section gone from
        // the other plan, a new plan with a broken front matter, and a confidential section.
        fs::write(
            content.join("alpha/05-nieuw.md"),
            "+++\ntitle = \"Nieuw\"\n\n[[actions]]\nid = \"N1\"\nwhat = \"Bellen\"\nwho = \"politie\"\ndue = 2026-05-01\n+++\n\nZie [beta](../beta/).\n",
        )
        .unwrap();
        fs::write(
            content.join("alpha/06-geheim.md"),
            "+++\ntitle = \"Geheim\"\nclassification = \"geheim\"\n+++\n\nKobalt.\n",
        )
        .unwrap();
        fs::remove_file(content.join("beta/aanleiding.md")).unwrap();
        fs::create_dir(content.join("gamma")).unwrap();
        fs::write(content.join("gamma/_index.md"), "+++\ntitle = \"Gamma\"\n+++\n").unwrap();
        fs::create_dir(content.join("delta")).unwrap();
        fs::write(content.join("delta/_index.md"), "+++\ntitle = 3\n+++\n").unwrap();
        let dirs: Vec<String> = ["alpha", "beta", "gamma", "delta"].map(String::from).to_vec();
        let reloaded = reload_plans(&previous, &dirs, true);
        assert_eq!(shape(&reloaded), shape(&fresh(root)));
        assert!(reloaded.site.plans.iter().any(|p| p.slug == "gamma"));
        assert!(reloaded.diagnostics.has_errors(), "delta's front matter");

        // A plan folder removed whole.
        fs::remove_dir_all(content.join("gamma")).unwrap();
        let again = reload_plans(&reloaded, &["gamma".to_string()], true);
        assert_eq!(shape(&again), shape(&fresh(root)));
        assert!(!again.site.plans.iter().any(|p| p.slug == "gamma"));
    }

    #[test]
    fn a_plan_name_that_leads_elsewhere_loads_nothing() {
        let dir = basic();
        let root = dir.path();
        let previous = fresh(root);
        for name in ["..", "../content", "alpha/../beta", ".hidden", "/etc", ""] {
            let reloaded = reload_plans(&previous, &[name.to_string()], true);
            assert_eq!(reloaded.site.plans.len(), previous.site.plans.len(), "{name}");
        }
    }

    /// A plan folder that is a link out of the site root is refused as the full walk refuses
    /// it, with the same warning.
    #[cfg(unix)]
    #[test]
    fn a_plan_folder_linked_out_of_the_root_is_refused_as_a_full_load_refuses_it() {
        let dir = basic();
        let root = dir.path();
        let previous = fresh(root);
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("_index.md"), "+++\ntitle = \"Buiten\"\n+++\nGeheim van buiten.\n").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join(CONTENT_DIR).join("buiten")).unwrap();
        let reloaded = reload_plans(&previous, &["buiten".to_string()], true);
        assert_eq!(shape(&reloaded), shape(&fresh(root)));
        assert!(!reloaded.site.plans.iter().any(|p| p.slug == "buiten"));
        assert!(reloaded.diagnostics.0.iter().any(|d| d.message.contains("outside the site root")));
    }
}
