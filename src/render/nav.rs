//! A plan's navigation, built once per plan and shared by all its pages: the sidebar tree,
//! reading order (previous/next) and the parent chain (breadcrumbs).

use crate::model::{Plan, Section, Status};
use crate::util::html::escape_html;
use serde::Serialize;
use std::collections::HashMap;

/// A piece of the sidebar list, pre-escaped once per plan.
#[derive(Debug)]
enum NavPiece {
    Html(String),
    /// ` href="…"` of `entry` (`href` escaped, prefixed per page); `aria-current` on the current page.
    Href {
        entry: usize,
        href: String,
    },
    /// The "Concept" tag, whose text depends on the language.
    Concept,
}

/// A page of the plan in reading order; entry 0 is the plan overview.
#[derive(Debug)]
struct Entry {
    title: String,
    href: String,
    parent: Option<usize>,
}

/// A link as templates see it: `href` relative to the page it is on.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    pub href: String,
}

/// The navigation of one plan; hrefs are relative to the plan folder.
#[derive(Debug)]
pub struct PlanNav {
    /// The sidebar list (nested `<ul>`), split where each page differs.
    pieces: Vec<NavPiece>,
    entries: Vec<Entry>,
    /// `Section::rel` → index in `entries`.
    by_rel: HashMap<String, usize>,
}

/// Builds the navigation of `plan` (sections already filtered and in reading order).
pub fn plan_nav(plan: &Plan) -> PlanNav {
    let entries = vec![Entry { title: plan.title.clone(), href: "index.html".into(), parent: None }];
    let mut nav = PlanNav { pieces: Vec::new(), entries, by_rel: HashMap::new() };
    nav.list(&plan.sections, 0);
    nav
}

impl PlanNav {
    /// Appends `<ul>` of `sections` (children of entry `parent`) to the pieces.
    fn list(&mut self, sections: &[Section], parent: usize) {
        if sections.is_empty() {
            return;
        }
        self.html("<ul class=\"pb-nav__list\">\n");
        for s in sections {
            let index = self.entries.len();
            self.entries.push(Entry { title: s.title.clone(), href: s.output_rel(), parent: Some(parent) });
            self.by_rel.insert(s.rel.clone(), index);
            self.html("<li class=\"pb-nav__item\"><a");
            self.pieces.push(NavPiece::Href { entry: index, href: escape_html(&s.output_rel()) });
            self.html(&format!(">{}", escape_html(&s.title)));
            if s.meta.status == Some(Status::Concept) {
                self.pieces.push(NavPiece::Concept);
            }
            self.html("</a>");
            self.list(&s.children, index);
            self.html("</li>\n");
        }
        self.html("</ul>\n");
    }

    fn html(&mut self, text: &str) {
        match self.pieces.last_mut() {
            Some(NavPiece::Html(h)) => h.push_str(text),
            _ => self.pieces.push(NavPiece::Html(text.to_string())),
        }
    }
}

impl PlanNav {
    /// The sections as nested `<ul class="pb-nav__list">`, hrefs prefixed with `plan_root`
    /// and entry `current` marked with `aria-current="page"`.
    pub fn list_html(&self, plan_root: &str, current: usize, concept: &str) -> String {
        let mut out = String::with_capacity(self.entries.len() * 120);
        for piece in &self.pieces {
            match piece {
                NavPiece::Html(h) => out.push_str(h),
                NavPiece::Href { entry, href } => {
                    for part in [" href=\"", plan_root, href, "\""] {
                        out.push_str(part);
                    }
                    if *entry == current {
                        out.push_str(" aria-current=\"page\"");
                    }
                }
                NavPiece::Concept => {
                    for part in [" <span class=\"pb-tag pb-tag--concept\">", concept, "</span>"] {
                        out.push_str(part);
                    }
                }
            }
        }
        out
    }

    /// The reading-order index of `section`; 0 is the plan overview.
    pub fn index_of(&self, section: &Section) -> Option<usize> {
        self.by_rel.get(&section.rel).copied()
    }

    /// The href of entry `index`, relative to the plan folder.
    pub fn href(&self, index: usize) -> &str {
        self.entries.get(index).map_or("index.html", |e| e.href.as_str())
    }

    /// The pages above entry `index`, outermost first (the plan overview, then parent sections),
    /// with hrefs prefixed by `plan_root`.
    pub fn ancestors(&self, index: usize, plan_root: &str) -> Vec<Link> {
        let mut out = Vec::new();
        let mut at = self.entries.get(index).and_then(|e| e.parent);
        while let Some(i) = at {
            out.push(self.link(i, plan_root));
            at = self.entries[i].parent;
        }
        out.reverse();
        out
    }

    /// The pages before and after entry `index` in reading order.
    pub fn neighbours(&self, index: usize, plan_root: &str) -> (Option<Link>, Option<Link>) {
        let prev = index.checked_sub(1).map(|i| self.link(i, plan_root));
        let next = (index + 1 < self.entries.len()).then(|| self.link(index + 1, plan_root));
        (prev, next)
    }

    fn link(&self, index: usize, plan_root: &str) -> Link {
        let e = &self.entries[index];
        Link { title: e.title.clone(), href: format!("{plan_root}{}", e.href) }
    }
}
