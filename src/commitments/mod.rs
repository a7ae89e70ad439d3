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
/// is named on every page and in every export's human-readable text: its name in
/// planboek.toml's `[partners]`, else the built-in name of a usual partner, else its slug.
pub fn partner_label<'a>(config: &'a Config, slug: &'a str) -> &'a str {
    if let Some(name) = config.partners.get(slug).filter(|n| !n.trim().is_empty()) {
        return name;
    }
    match BUILT_IN_PARTNERS.binary_search_by_key(&slug, |&(s, _)| s) {
        Ok(at) => BUILT_IN_PARTNERS[at].1,
        Err(_) => slug,
    }
}

/// The partners of a youth-group approach under their usual slugs, sorted by slug.
const BUILT_IN_PARTNERS: &[(&str, &str)] = &[
    ("boa", "Handhaving (boa's)"),
    ("brandweer", "Brandweer"),
    ("gemeente", "Gemeente"),
    ("ggd", "GGD"),
    ("halt", "Halt"),
    ("handhaving", "Handhaving"),
    ("jeugdbescherming", "Jeugdbescherming"),
    ("jongerenwerk", "Jongerenwerk"),
    ("leerplicht", "Leerplicht"),
    ("om", "Openbaar Ministerie"),
    ("onderwijs", "Onderwijs"),
    ("politie", "Politie"),
    ("raad-voor-de-kinderbescherming", "Raad voor de Kinderbescherming"),
    ("reclassering", "Reclassering"),
    ("rvdk", "Raad voor de Kinderbescherming"),
    ("veilig-thuis", "Veilig Thuis"),
    ("wijkteam", "Wijkteam"),
    ("woningcorporatie", "Woningcorporatie"),
    ("zorg-en-veiligheidshuis", "Zorg- en Veiligheidshuis"),
    ("zvh", "Zorg- en Veiligheidshuis"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_are_named_by_config_then_built_in_then_slug() {
        let mut config = Config::default();
        assert!(BUILT_IN_PARTNERS.windows(2).all(|w| w[0].0 < w[1].0), "sorted, for the binary search");
        assert_eq!(partner_label(&config, "om"), "Openbaar Ministerie");
        assert_eq!(partner_label(&config, "zorg-en-veiligheidshuis"), "Zorg- en Veiligheidshuis");
        assert_eq!(partner_label(&config, "buurtvereniging"), "buurtvereniging");
        config.partners.insert("om".into(), "OM Rotterdam".into());
        config.partners.insert("buurtvereniging".into(), "Buurtvereniging De Haven".into());
        assert_eq!(partner_label(&config, "om"), "OM Rotterdam");
        assert_eq!(partner_label(&config, "buurtvereniging"), "Buurtvereniging De Haven");
    }
}
