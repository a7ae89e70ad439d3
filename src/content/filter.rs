//! The audience filter: sections classified above the audience leave the model before
//! anything renders, so no byte of them can reach the output.

use crate::commitments::action_anchors;
use crate::markdown::{LinkIndex, PageRef};
use crate::model::{Classification, Removed, Section, Site, SiteIndex};
use std::collections::HashSet;

/// What the filter let through and what it took out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visibility {
    /// Sections classified above it are left out.
    pub audience: Classification,
    /// Whether plans and sections marked `draft = true` stay in (previews, `--drafts`).
    pub drafts: bool,
}

/// The filtered site, with the source paths left out (for links and the lints) and how many
/// plans and sections were left out for being drafts (for the summary).
pub struct Filtered {
    pub site: Site,
    pub removed: Removed,
    pub drafts_left_out: usize,
}

/// Removes every plan and section classified above the audience, and every draft unless
/// drafts are shown (each with everything below it). A section below a draft that stays in
/// is marked as a draft too, so that its page says so.
pub fn filter(mut site: Site, visibility: Visibility) -> Filtered {
    let mut cut = Cut { visibility, removed: Vec::new(), drafts: 0 };
    site.plans.retain_mut(|plan| {
        let hidden_draft = plan.meta.draft && !visibility.drafts;
        if plan.meta.classification > visibility.audience || hidden_draft {
            // A confidential draft counts as confidential: the summary must not tell of it.
            cut.drafts += usize::from(hidden_draft && plan.meta.classification <= visibility.audience);
            cut.removed.push(format!("{}/_index.md", plan.slug));
            cut.removed.extend(plan.all_sections().iter().map(|s| format!("{}/{}", plan.slug, s.rel)));
            return false;
        }
        plan.sections = cut.keep(std::mem::take(&mut plan.sections), &plan.slug, false);
        true
    });
    Filtered { site, removed: cut.removed, drafts_left_out: cut.drafts }
}

/// The state of one filter pass.
struct Cut {
    visibility: Visibility,
    removed: Removed,
    drafts: usize,
}

impl Cut {
    fn keep(&mut self, sections: Vec<Section>, slug: &str, in_draft: bool) -> Vec<Section> {
        let mut out = Vec::with_capacity(sections.len());
        for mut s in sections {
            let had_children = !s.children.is_empty();
            let above = s.source.is_some() && s.meta.classification > self.visibility.audience;
            let hidden_draft = s.meta.draft && !self.visibility.drafts;
            if above || hidden_draft {
                self.drafts += usize::from(hidden_draft && !above);
                self.removed.extend(s.walk().iter().map(|x| format!("{slug}/{}", x.rel)));
                continue;
            }
            s.meta.draft |= in_draft;
            let draft = s.meta.draft;
            s.children = self.keep(std::mem::take(&mut s.children), slug, draft);
            // A folder without a page of its own exists only through what it holds.
            if s.source.is_none() && had_children && s.children.is_empty() {
                self.removed.push(format!("{slug}/{}", s.rel));
                continue;
            }
            out.push(s);
        }
        out
    }
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
