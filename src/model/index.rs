//! The one index of a site's pages, built once after the audience filter: every page with
//! its plan, section, source file and output path, in reading order. Rendering, links, lints
//! and diffs all look pages up here instead of walking the tree again.

use super::paths::{overview_path, page_path};
use super::{Plan, Section, Site, Source};
use std::collections::HashMap;

/// One page: a plan's overview (no section) or one of its sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEntry {
    /// Position of the plan in `Site::plans`.
    pub plan: usize,
    /// Child indices from the plan's top level down to the section; None for the overview.
    pub section: Option<Vec<usize>>,
    /// Output path relative to the output root (`plan/04-x/a.html`).
    pub out: String,
    /// Source path under `content/` (`plan/04-x/a.md`); a folder without a page of its own
    /// has the path its `_index.md` would have.
    pub key: String,
}

/// Every page of a site in reading order, findable by output path and by source key.
#[derive(Debug, Clone, Default)]
pub struct SiteIndex {
    pub pages: Vec<PageEntry>,
    by_out: HashMap<String, usize>,
    by_key: HashMap<String, usize>,
}

impl SiteIndex {
    pub fn new(site: &Site) -> SiteIndex {
        let mut index = SiteIndex::default();
        for (i, plan) in site.plans.iter().enumerate() {
            index.add(PageEntry {
                plan: i,
                section: None,
                out: overview_path(plan),
                key: format!("{}/_index.md", plan.slug),
            });
            let mut path = Vec::new();
            index.sections(i, plan, &plan.sections, &mut path);
        }
        index
    }

    fn sections(&mut self, plan_index: usize, plan: &Plan, sections: &[Section], path: &mut Vec<usize>) {
        for (i, s) in sections.iter().enumerate() {
            path.push(i);
            self.add(PageEntry {
                plan: plan_index,
                section: Some(path.clone()),
                out: page_path(plan, s),
                key: format!("{}/{}", plan.slug, s.rel),
            });
            self.sections(plan_index, plan, &s.children, path);
            path.pop();
        }
    }

    fn add(&mut self, entry: PageEntry) {
        let at = self.pages.len();
        self.by_out.insert(entry.out.clone(), at);
        self.by_key.insert(entry.key.clone(), at);
        self.pages.push(entry);
    }

    /// The page written to `out`.
    pub fn by_out(&self, out: &str) -> Option<&PageEntry> {
        self.by_out.get(out).map(|&i| &self.pages[i])
    }

    /// The page of source key `key` (`plan/a.md`).
    pub fn by_key(&self, key: &str) -> Option<&PageEntry> {
        self.by_key.get(key).map(|&i| &self.pages[i])
    }
}

impl PageEntry {
    /// The page's plan and section in `site`.
    pub fn resolve<'s>(&self, site: &'s Site) -> Option<(&'s Plan, Option<&'s Section>)> {
        let plan = site.plans.get(self.plan)?;
        match &self.section {
            None => Some((plan, None)),
            Some(path) => Some((plan, Some(plan.section_at(path)?))),
        }
    }

    /// The page's Markdown source in `site`; None for a folder without `_index.md`.
    pub fn source<'s>(&self, site: &'s Site) -> Option<&'s Source> {
        match self.resolve(site)? {
            (plan, None) => Some(&plan.source),
            (_, Some(s)) => s.source.as_ref(),
        }
    }
}
