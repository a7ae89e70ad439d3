//! Every string of the handbook's interface, in Dutch and English, and dates per language.

use crate::config::Language;
use crate::date::Date;
use crate::model::{ActionStatus, Classification, Risk, Status};
use crate::util::html::escape_html;
use crate::util::replace_each;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

/// `(key, Dutch, English)`: the one table of UI strings; templates see it as `t.<key>`.
const STRINGS: &[(&str, &str, &str)] = &[
    ("skip", "Direct naar de inhoud", "Skip to main content"),
    ("home", "Startpagina", "Home"),
    ("plans", "Plannen", "Plans"),
    ("plans_intro", "Alle plannen van aanpak in deze uitgave.", "All plans of approach in this edition."),
    ("no_plans", "Deze uitgave bevat geen plannen.", "This edition contains no plans."),
    ("plan", "Plan", "Plan"),
    ("title", "Titel", "Title"),
    ("group", "Groep", "Group"),
    ("municipality", "Gemeente", "Municipality"),
    ("risk", "Risico", "Risk"),
    ("status", "Status", "Status"),
    ("partners", "Partners", "Partners"),
    ("start", "Start", "Start"),
    ("evaluation", "Evaluatie", "Evaluation"),
    ("next_evaluation", "Volgende evaluatie", "Next evaluation"),
    ("end", "Einde", "End"),
    ("owner", "Eigenaar", "Owner"),
    ("classification", "Rubricering", "Classification"),
    ("updated", "Bijgewerkt", "Updated"),
    ("not_set", "niet ingevuld", "not set"),
    ("page_details", "Gegevens van deze pagina", "Details of this page"),
    ("plan_details", "Gegevens van het plan", "Details of the plan"),
    ("actions", "Acties", "Actions"),
    ("action_id", "Nr.", "No."),
    ("action_what", "Wat", "What"),
    ("action_who", "Wie", "Who"),
    ("action_due", "Uiterlijk", "Due"),
    ("contents", "Inhoud", "Contents"),
    ("plan_contents", "Inhoud van dit plan", "Contents of this plan"),
    ("plan_nav", "Onderdelen van dit plan", "Sections of this plan"),
    ("subsections", "Onderdelen", "Subsections"),
    ("overview", "Overzicht", "Overview"),
    ("breadcrumbs", "Kruimelpad", "Breadcrumb"),
    ("toc", "Op deze pagina", "On this page"),
    ("pager", "Vorige en volgende pagina", "Previous and next page"),
    ("previous", "Vorige", "Previous"),
    ("next", "Volgende", "Next"),
    ("built_on", "Gemaakt op", "Built on"),
    ("edition_for", "Uitgave voor", "Edition for"),
    ("preview", "Redactieweergave", "Editor's view"),
    (
        "preview_note",
        "aanwijzingen en lege invulvelden zijn zichtbaar; de gepubliceerde uitgave laat ze weg.",
        "guidance and unfilled placeholders are shown; the published edition leaves them out.",
    ),
    (
        "concept_section",
        "Deze sectie is een concept en nog niet vastgesteld.",
        "This section is a draft and not yet adopted.",
    ),
    ("concept_plan", "Dit plan is een concept en nog niet vastgesteld.", "This plan is a draft and not yet adopted."),
    ("not_found_title", "Pagina niet gevonden", "Page not found"),
    (
        "not_found_text",
        "Deze pagina bestaat niet, of hoort niet bij deze uitgave van het handboek.",
        "This page does not exist, or is not part of this edition of the handbook.",
    ),
    ("not_found_link", "Ga naar de startpagina", "Go to the home page"),
    ("status_concept", "Concept", "Draft"),
    ("status_ter_review", "Ter review", "In review"),
    ("status_vastgesteld", "Vastgesteld", "Adopted"),
    ("risk_laag", "Laag", "Low"),
    ("risk_midden", "Midden", "Medium"),
    ("risk_hoog", "Hoog", "High"),
    ("action_open", "Open", "Open"),
    ("action_lopend", "Lopend", "In progress"),
    ("action_gereed", "Gereed", "Done"),
    ("class_openbaar", "Openbaar", "Public"),
    ("class_intern", "Intern", "Internal"),
    ("class_vertrouwelijk", "Vertrouwelijk", "Confidential"),
    ("versions", "Versies", "Versions"),
    ("version", "Versie", "Version"),
    ("version_date", "Datum", "Date"),
    ("version_tag", "Tag", "Tag"),
    ("versions_intro", "Alle vastgestelde versies van dit handboek.", "Every adopted version of this handbook."),
    ("versions_newest", "Nieuwste vastgestelde versie", "Newest adopted version"),
    ("versions_all", "Alle versies", "All versions"),
    ("version_worktree", "Werkversie", "Working version"),
    ("old_version", "U bekijkt een oudere versie.", "You are viewing an older version."),
    ("old_version_link", "Naar de nieuwste versie", "Go to the newest version"),
    ("last_changed", "Laatst gewijzigd", "Last changed"),
    ("changes", "Wijzigingen", "Changes"),
    ("changes_section", "Wat is er in deze versie gewijzigd?", "What changed in this version?"),
    ("changes_against", "Ten opzichte van de vorige versie:", "Compared with the previous version:"),
    ("changes_none", "Geen secties gewijzigd.", "No sections changed."),
    ("changes_first", "Dit is de eerste versie.", "This is the first version."),
    ("change_added", "Toegevoegd", "Added"),
    ("change_removed", "Verwijderd", "Removed"),
    ("change_renamed", "Verplaatst", "Moved"),
    ("change_changed", "Gewijzigd", "Changed"),
    ("change_moved_from", "Verplaatst van", "Moved from"),
    ("change_action_added", "Nieuwe actie", "New action"),
    ("change_action_closed", "Actie afgerond", "Action closed"),
    ("change_action_due", "Nieuwe termijn", "New due date"),
    // In the Markdown of a page: marks of template blanks and the footnote list.
    ("mark_blank", "Nog in te vullen", "To be filled in"),
    ("mark_choice", "Keuze nog te maken", "Choice still to be made"),
    ("footnotes", "Voetnoten", "Footnotes"),
    ("footnote_back", "Terug naar de tekst", "Back to the text"),
    // Commitments: deadlines, registers, dashboard, timeline, exports and the print edition.
    ("deadline_overdue", "Te laat", "Overdue"),
    ("deadline_soon", "Binnenkort", "Due soon"),
    ("deadlines", "Termijnen", "Deadlines"),
    ("section", "Sectie", "Section"),
    ("page", "Pagina", "Page"),
    ("action_register", "Actieregister", "Action register"),
    (
        "action_register_intro",
        "Alle acties van dit plan: de te late eerst, daarna op datum.",
        "Every action of this plan: overdue ones first, then by due date.",
    ),
    ("actions_by_partner", "Acties per partner", "Actions by partner"),
    (
        "actions_by_partner_intro",
        "Alle acties van alle plannen in deze uitgave, per partner: de te late eerst, daarna op datum.",
        "Every action of every plan in this edition, by partner: overdue ones first, then by due date.",
    ),
    ("no_partner", "Zonder partner", "No partner"),
    ("no_actions", "Er zijn geen acties.", "There are no actions."),
    ("count_open", "Openstaand", "Open"),
    ("count_overdue", "Te laat", "Overdue"),
    ("count_open_text", "openstaande acties", "open actions"),
    ("count_overdue_text", "te laat", "overdue"),
    ("count_soon_text", "binnenkort", "due soon"),
    ("count_done_text", "gereed", "done"),
    ("filter", "Filter de acties", "Filter the actions"),
    ("filter_partner", "Partner", "Partner"),
    ("filter_status", "Status", "Status"),
    ("filter_all", "Alle", "All"),
    ("filter_not_done", "Nog niet gereed", "Not done"),
    ("filter_shown", "{n} van {m} acties getoond", "{n} of {m} actions shown"),
    ("evaluation_passed", "Verstreken", "Passed"),
    ("dashboard", "Stand van zaken", "Progress"),
    ("next_deadlines", "Eerstvolgende termijnen", "Next deadlines"),
    ("no_next_deadlines", "Geen openstaande acties met een datum.", "No open actions with a due date."),
    ("timeline", "Tijdlijn", "Timeline"),
    ("timeline_list", "De tijdlijn als lijst", "The timeline as a list"),
    ("reference_date", "Peildatum", "Reference date"),
    (
        "months_short",
        "jan feb mrt apr mei jun jul aug sep okt nov dec",
        "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    ),
    ("exports", "Gegevens downloaden", "Download the data"),
    ("export_csv", "Alle acties als spreadsheet (CSV)", "Every action as a spreadsheet (CSV)"),
    ("export_ics", "Alle termijnen voor uw agenda (iCalendar)", "Every deadline for your calendar (iCalendar)"),
    ("export_json", "Alle plannen als gegevens (JSON)", "Every plan as data (JSON)"),
    ("print_edition", "Afdrukversie", "Print edition"),
    (
        "print_note",
        "Het hele plan op één pagina, om af te drukken (Ctrl+P, op een Mac ⌘P).",
        "The whole plan on one page, for printing (Ctrl+P, on a Mac ⌘P).",
    ),
    ("print_back", "Terug naar het plan", "Back to the plan"),
    ("change_action_removed", "Actie vervallen", "Action removed"),
    ("change_action_changed", "Actie gewijzigd", "Action changed"),
    // Personal-data guard: the mark of a finding in preview.
    (
        "mark_personal",
        "Persoonsgegeven: hoort in een vertrouwelijke sectie",
        "Personal data: belongs in a confidential section",
    ),
    // search: the form in every header, the search page and its script's messages.
    ("search", "Zoeken", "Search"),
    ("search_title", "Zoeken in het handboek", "Search the handbook"),
    ("search_label", "Zoekterm", "Search term"),
    (
        "search_nojs",
        "Zoeken werkt alleen met JavaScript. Zet JavaScript aan, of zoek via de plannen op de startpagina.",
        "Search needs JavaScript. Turn JavaScript on, or find your way through the plans on the home page.",
    ),
    (
        "search_help",
        "Alle woorden moeten voorkomen; het laatste woord mag onaf zijn. Zet woorden tussen \"aanhalingstekens\" om \
         ze in die volgorde te vinden.",
        "Every word must occur; the last may be unfinished. Put words in \"quotes\" to find them in that order.",
    ),
    ("search_all_plans", "Alle plannen", "All plans"),
    ("search_any_status", "Elke status", "Any status"),
    ("search_no_status", "Geen status", "No status"),
    ("search_results_one", "1 resultaat", "1 result"),
    ("search_results_many", "{n} resultaten", "{n} results"),
    ("search_results_none", "Geen resultaten", "No results"),
    ("search_results_list", "Zoekresultaten", "Search results"),
    ("search_more", "Meer resultaten", "More results"),
    ("search_failed", "De zoekindex kon niet worden geladen.", "The search index could not be loaded."),
    // Readable changes: the labels of a difference for readers without colour or sight.
    ("diff_added", "toegevoegd:", "added:"),
    ("diff_removed", "verwijderd:", "removed:"),
    ("diff_skipped", "ongewijzigde tekst weggelaten", "unchanged text left out"),
    ("changes_summary", "Samenvatting", "Summary"),
    ("changes_plan_fields", "Gegevens van het plan", "Plan details"),
    ("changes_field", "Gegeven", "Field"),
    ("changes_old", "Was", "Was"),
    ("changes_new", "Wordt", "Now"),
    ("summary_sections_added", "Secties toegevoegd", "Sections added"),
    ("summary_sections_removed", "Secties verwijderd", "Sections removed"),
    ("summary_sections_moved", "Secties verplaatst", "Sections moved"),
    ("summary_sections_changed", "Secties gewijzigd", "Sections changed"),
    ("summary_actions_added", "Acties toegevoegd", "Actions added"),
    ("summary_actions_closed", "Acties afgerond", "Actions closed"),
    ("summary_actions_changed", "Acties gewijzigd", "Actions changed"),
    ("summary_actions_removed", "Acties vervallen", "Actions removed"),
    ("versions_changes_of", "Wijzigingen in", "Changes in"),
    ("versions_first", "Eerste versie", "First version"),
    ("version_current", "deze versie", "this version"),
    // Names and words people use: the preview's errors and counts of one.
    (
        "serve_failed",
        "planboek: de laatste herbouw is mislukt; u ziet de laatste goede versie.",
        "planboek: the last rebuild failed; this is the last good version.",
    ),
    ("count_open_one", "openstaande actie", "open action"),
    // content tables:
    ("table_region", "Tabel", "Table"),
    // drafts:
    ("draft", "Niet gepubliceerd", "Not published"),
    (
        "draft_note",
        "Dit is een werkversie (draft = true): alleen te zien in de redactieweergave en in een build met --drafts.",
        "This is a draft (draft = true): shown only in the editor's preview and in a build with --drafts.",
    ),
];

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The UI strings of one language, as a lookup and as the template value `t`.
pub struct Strings {
    map: HashMap<&'static str, &'static str>,
    value: Value,
}

impl Strings {
    fn build(lang: Language) -> Strings {
        let pick = |&(k, nl, en): &(&'static str, &'static str, &'static str)| match lang {
            Language::Nl => (k, nl),
            Language::En => (k, en),
        };
        let map: HashMap<_, _> = STRINGS.iter().map(pick).collect();
        let value = Value::Object(map.iter().map(|(k, v)| (k.to_string(), Value::from(*v))).collect::<Map<_, _>>());
        Strings { map, value }
    }

    /// The string for `key`; the key itself when the table lacks it (a bug caught by tests).
    pub fn get(&self, key: &'static str) -> &'static str {
        self.lookup(key).unwrap_or(key)
    }

    pub fn lookup(&self, key: &str) -> Option<&'static str> {
        self.map.get(key).copied()
    }

    /// The whole table, for the template context.
    pub fn value(&self) -> &Value {
        &self.value
    }

    pub fn status(&self, s: Status) -> &'static str {
        self.get(match s {
            Status::Concept => "status_concept",
            Status::TerReview => "status_ter_review",
            Status::Vastgesteld => "status_vastgesteld",
        })
    }

    pub fn risk(&self, r: Risk) -> &'static str {
        self.get(match r {
            Risk::Laag => "risk_laag",
            Risk::Midden => "risk_midden",
            Risk::Hoog => "risk_hoog",
        })
    }

    pub fn action_status(&self, s: ActionStatus) -> &'static str {
        self.get(match s {
            ActionStatus::Open => "action_open",
            ActionStatus::Lopend => "action_lopend",
            ActionStatus::Gereed => "action_gereed",
        })
    }

    pub fn classification(&self, c: Classification) -> &'static str {
        self.get(match c {
            Classification::Openbaar => "class_openbaar",
            Classification::Intern => "class_intern",
            Classification::Vertrouwelijk => "class_vertrouwelijk",
        })
    }
}

/// The strings of `lang`, built once per process.
pub fn strings(lang: Language) -> &'static Strings {
    static NL: OnceLock<Strings> = OnceLock::new();
    static EN: OnceLock<Strings> = OnceLock::new();
    match lang {
        Language::Nl => NL.get_or_init(|| Strings::build(Language::Nl)),
        Language::En => EN.get_or_init(|| Strings::build(Language::En)),
    }
}

/// One UI string of `lang`, for text built in code.
pub fn ui_string(lang: Language, key: &'static str) -> &'static str {
    strings(lang).get(key)
}

/// `src` with each `{{ t.key }}` replaced by its escaped string, so that pages need not look
/// the strings up (Tera's dotted lookups dominate render time).
pub fn localize(src: &str, t: &Strings) -> String {
    replace_each(src, "{{ t.", |after| {
        let key_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        let (key, tail) = after.split_at(key_len);
        Some((escape_html(t.lookup(key)?), tail.strip_prefix(" }}")?))
    })
}

/// Whether a template may still use `t` other than as `{{ t.key }}` (then pages pass it):
/// any `t` standing alone as a name (`t.x`, `t[k]`, `t | length`, `set s = t`), outside
/// `{# comments #}`. A `t` in plain text only costs passing the strings.
pub fn mentions_strings(src: &str) -> bool {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let uses = |code: &str| {
        let b = code.as_bytes();
        (0..b.len()).any(|i| {
            b[i] == b't' && !i.checked_sub(1).is_some_and(|p| ident(b[p])) && !b.get(i + 1).is_some_and(|&n| ident(n))
        })
    };
    let mut rest = src;
    while let Some(start) = rest.find("{#") {
        if uses(&rest[..start]) {
            return true;
        }
        rest = rest[start..].find("#}").map_or("", |end| &rest[start + end + 2..]);
    }
    uses(rest)
}

/// `1 maart 2026` or `1 March 2026`.
pub fn format_date(lang: Language, d: Date) -> String {
    let months = match lang {
        Language::Nl => &MONTHS_NL,
        Language::En => &MONTHS_EN,
    };
    let month = months.get(usize::from(d.month).saturating_sub(1)).copied().unwrap_or("?");
    // Pushed, not `format!`: every page shows a dozen dates.
    let mut out = String::with_capacity(month.len() + 10);
    match d.day {
        0..=9 => out.push(char::from(b'0' + d.day)),
        10..=99 => out.extend([char::from(b'0' + d.day / 10), char::from(b'0' + d.day % 10)]),
        _ => out.push_str(&d.day.to_string()),
    }
    out.push(' ');
    out.push_str(month);
    out.push(' ');
    out.push_str(&d.year.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_labels_per_language() {
        let d = Date::new(2026, 3, 1).expect("date");
        assert_eq!(format_date(Language::Nl, d), "1 maart 2026");
        assert_eq!(format_date(Language::En, d), "1 March 2026");
        for (day, month, year) in [(9, 1, 2026), (10, 12, 1999), (31, 13, -4), (200, 0, 12_345)] {
            let d = Date { year, month, day };
            let name = MONTHS_EN.get(usize::from(month).saturating_sub(1)).copied().unwrap_or("?");
            assert_eq!(format_date(Language::En, d), format!("{day} {name} {year}"));
        }
        assert_eq!(strings(Language::En).status(Status::Vastgesteld), "Adopted");
        assert_eq!(strings(Language::Nl).risk(Risk::Hoog), "Hoog");
        assert_eq!(strings(Language::En).classification(Classification::Vertrouwelijk), "Confidential");
    }

    #[test]
    fn templates_are_localized_once() {
        let t = strings(Language::En);
        let src = "<a>{{ t.skip }}</a>{{ t.nope }}{{t.home}}{% if t.home %}";
        assert_eq!(localize(src, t), "<a>Skip to main content</a>{{ t.nope }}{{t.home}}{% if t.home %}");
        assert!(mentions_strings(" t.home") && mentions_strings("(t[\"x\"])"));
        assert!(!mentions_strings("<a>Skip</a>{{ title }}{{ it.x }}{# uses t.x #}"));
        assert!(mentions_strings("{# c #}{{ t.x | upper }}{# d"));
        assert!(mentions_strings("{{ t | length }}") && mentions_strings("{% for k, v in t %}"));
    }

    #[test]
    fn every_key_is_unique() {
        let mut keys: Vec<_> = STRINGS.iter().map(|s| s.0).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), STRINGS.len());
    }
}
