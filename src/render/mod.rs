//! The theme: embedded default templates and static files, site overrides, and the pages
//! built from the model.

mod context;
mod dashboard;
mod frame;
mod nav;
mod overview;
mod pages;
mod print;
mod print_frame;
mod print_parts;
mod registers;
mod relocate;
mod rows;
mod site;
mod theme;
mod version;
mod views;

#[cfg(test)]
mod tests;

pub use nav::{plan_nav, Link, PlanNav};
pub use pages::{extra_page, home_page, not_found_page, plan_page, section_page};
pub use print::{print_edition, print_page, PrintEdition};
pub use print_parts::{PrintPart, PRINT_PAGE};
pub use registers::{plan_register_page, site_register_page, ACTIONS_PAGE};
pub use site::{version_css, SiteInfo, VERSION_CSS};
pub use theme::{Theme, STATIC_OUT, THEMES_DIR};
pub use version::{LastChange, VersionInfo, CHANGES_PAGE};
pub use views::DateView;
