//! Commitments: who does what by when. The one rule for an action's deadline against the
//! reference date (`Deadline`), the one name of a partner (`partner_label`), the registers of
//! a plan and of the site, the dashboard figures, the timeline drawn as SVG, and the exports
//! (CSV, iCalendar, JSON). Everything here reads the audience-filtered model only, so what
//! a build may not show never reaches a register or an export.
//!
//! It sits below `render` and `lint`, which both apply the deadline rule.

mod deadline;
pub mod export;
mod register;
mod timeline;

pub use deadline::{Deadline, SOON_DAYS};
pub use register::{
    action_anchors, by_partner, counts, plan_entries, site_entries, sort_by_deadline, Counts, Entry, PartnerGroup,
};
pub use timeline::timeline_svg;

use crate::config::Config;

/// How a partner (an action's `who`, a section's `owner`, an entry of a plan's `partners`)
/// is named on every page and in every export's human-readable text. Today its slug; the
/// one place to give partners display names.
pub fn partner_label<'a>(_config: &'a Config, slug: &'a str) -> &'a str {
    slug
}
