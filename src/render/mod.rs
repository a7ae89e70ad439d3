//! The theme: embedded default templates and static files, site overrides, and the pages
//! built from the model.

mod i18n;
mod nav;
mod pages;
mod theme;
mod views;

#[cfg(test)]
mod tests;

pub use nav::{plan_nav, Link, PlanNav};
pub use pages::{extra_page, home_page, not_found_page, plan_page, section_page, ui_string, SiteInfo};
pub use theme::{escape_html, Theme, STATIC_OUT, THEMES_DIR};
pub use views::DateView;
