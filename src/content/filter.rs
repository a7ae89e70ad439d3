//! The audience filter: sections classified above the audience leave the model before
//! anything renders, so no byte of them can reach the output.

use crate::commitments::action_anchors;
use crate::markdown::{LinkIndex, PageRef};
use crate::model::{Classification, Removed, Section, Site, SiteIndex};
use std::collections::HashSet;

/// Removes every plan and section classified above `audience` (with everything below it).
pub fn filter(mut site: Site, audience: Classification) -> (Site, Removed) {
    let mut removed = Vec::new();
    site.plans.retain_mut(|plan| {
        if plan.meta.classification > audience {
            removed.push(format!("{}/_index.md", plan.slug));
            removed.extend(plan.all_sections().iter().map(|s| format!("{}/{}", plan.slug, s.rel)));
            return false;
        }
        plan.sections = keep(std::mem::take(&mut plan.sections), audience, &plan.slug, &mut removed);
        true
    });
    (site, removed)
}

fn keep(sections: Vec<Section>, audience: Classification, slug: &str, removed: &mut Removed) -> Vec<Section> {
    let mut out = Vec::with_capacity(sections.len());
    for mut s in sections {
        let had_children = !s.children.is_empty();
        if s.source.is_some() && s.meta.classification > audience {
            removed.extend(s.walk().iter().map(|x| format!("{slug}/{}", x.rel)));
            continue;
        }
        s.children = keep(std::mem::take(&mut s.children), audience, slug, removed);
        // A folder without a page of its own exists only through what it holds.
        if s.source.is_none() && had_children && s.children.is_empty() {
            removed.push(format!("{slug}/{}", s.rel));
            continue;
        }
        out.push(s);
    }
    out
}

/// Every page a link may point at: the visible ones with their output path, the removed ones
/// as removed, and the non-Markdown files under `content/`.
pub fn link_index(site: &Site, index: &SiteIndex, removed: &Removed, files: HashSet<String>) -> LinkIndex {
    let mut links = LinkIndex { files, ..LinkIndex::default() };
    for rel in removed {
        add_page(&mut links, rel, PageRef::Removed);
    }
    let mut ambiguous = HashSet::new();
    for page in &index.pages {
        add_page(&mut links, &page.key, PageRef::Visible(page.out.clone()));
        let Some((plan, Some(section))) = page.resolve(site) else { continue };
        for (action, anchor) in section.meta.actions.iter().zip(action_anchors(section)) {
            let Some(id) = action.id.as_deref().filter(|id| !id.trim().is_empty()) else { continue };
            let key = LinkIndex::action_key(&plan.slug, id);
            // An id used twice in a plan leads nowhere rather than to one of them at random.
            if links.actions.insert(key.clone(), format!("{}#{anchor}", page.out)).is_some() {
                ambiguous.insert(key);
            }
        }
    }
    links.actions.retain(|key, _| !ambiguous.contains(key));
    links
}

/// Keys a page by its file, and a folder's index page also by the folder (with and without `/`)
/// and by the other index name, so that `a/`, `a`, `a/_index.md` and `a/index.md` all resolve.
fn add_page(index: &mut LinkIndex, rel: &str, page: PageRef) {
    let folder = rel.strip_suffix("/_index.md").or_else(|| rel.strip_suffix("/index.md"));
    if let Some(folder) = folder {
        for key in
            [folder.to_string(), format!("{folder}/"), format!("{folder}/_index.md"), format!("{folder}/index.md")]
        {
            index.pages.insert(key, page.clone());
        }
    } else {
        index.pages.insert(rel.to_string(), page);
    }
}
