//! Heading ids, unique within a page and clear of the theme's own `pb-` ids.

use std::collections::HashMap;

/// The id of a heading whose text yields no slug at all.
pub const EMPTY_ID: &str = "sectie";

/// A heading id from its text: its slug, `sectie` when it has none, and never one of the
/// theme's own ids (`pb-…`).
pub fn heading_id(text: &str) -> String {
    let slug = crate::util::slug::slugify(text);
    if slug.is_empty() {
        EMPTY_ID.to_string()
    } else if slug == "pb" || slug.starts_with("pb-") {
        format!("h-{slug}")
    } else {
        slug
    }
}

/// The ids already used on a page, handing out unused ones: `x`, then `x-1`, `x-2`, ….
#[derive(Debug, Default)]
pub struct Ids {
    /// Every id in use → the suffix to try next when it is asked for again as a base, so a
    /// thousand `## Acties` stay linear.
    used: HashMap<String, u32>,
}

impl Ids {
    /// Marks an id as used without renaming it (explicit `{#id}` attributes are kept as written).
    pub fn reserve(&mut self, id: &str) {
        if !self.used.contains_key(id) {
            self.used.insert(id.to_string(), 1);
        }
    }

    /// `base` if unused, else the first unused `base-N`; the result is marked used.
    pub fn claim(&mut self, base: &str) -> String {
        let Some(&first) = self.used.get(base) else {
            self.used.insert(base.to_string(), 1);
            return base.to_string();
        };
        let mut n = first;
        let mut id = format!("{base}-{n}");
        while self.used.contains_key(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.used.insert(base.to_string(), n + 1);
        self.used.insert(id.clone(), 1);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_namespace_and_empty_ids() {
        assert_eq!(heading_id("PB main"), "h-pb-main");
        assert_eq!(heading_id(" -- ?! "), EMPTY_ID);
        assert_eq!(heading_id("🎉"), EMPTY_ID);
    }

    #[test]
    fn claims_unique_ids() {
        let mut ids = Ids::default();
        ids.reserve("doelen-1");
        assert_eq!(ids.claim("doelen"), "doelen");
        assert_eq!(ids.claim("doelen"), "doelen-2");
        assert_eq!(ids.claim("doelen"), "doelen-3");
        assert_eq!(ids.claim("doelen-1"), "doelen-1-1");
    }
}
