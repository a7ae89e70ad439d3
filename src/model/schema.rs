//! What each front-matter key holds, so that an error is reported by the kind of the field
//! it concerns (a date, one of a set of words, anything else) and an unknown key as unknown.
//! A test holds these lists to the serde structs they describe.

use crate::diag::spans::FieldKind::{self, Choice, Date, Other};

/// The keys of a plan's `_index.md`.
const PLAN: &[(&str, FieldKind)] = &[
    ("title", Other),
    ("group", Other),
    ("municipality", Other),
    ("risk", Choice),
    ("status", Choice),
    ("start", Date),
    ("evaluation", Date),
    ("end", Date),
    ("partners", Other),
    ("classification", Choice),
    ("vars", Other),
    ("draft", Other),
];

/// The keys of a section.
const SECTION: &[(&str, FieldKind)] = &[
    ("title", Other),
    ("weight", Other),
    ("owner", Other),
    ("status", Choice),
    ("classification", Choice),
    ("updated", Date),
    ("actions", Other),
    ("draft", Other),
];

/// The keys of one `[[actions]]` table.
const ACTION: &[(&str, FieldKind)] =
    &[("id", Other), ("what", Other), ("who", Other), ("due", Date), ("status", Choice)];

/// The kind of a plan front-matter key path (`start`, `vars.AANTAL`, `partners.0`).
pub fn plan_field(path: &str) -> Option<FieldKind> {
    let (head, rest) = split(path);
    let kind = lookup(PLAN, head)?;
    // Below `vars` (a table of text) and `partners` (a list of text) any name is fine.
    match rest {
        None => Some(kind),
        Some(_) if matches!(head, "vars" | "partners") => Some(Other),
        Some(_) => None,
    }
}

/// The kind of a section front-matter key path (`owner`, `actions.0.due`).
pub fn section_field(path: &str) -> Option<FieldKind> {
    let (head, rest) = split(path);
    let kind = lookup(SECTION, head)?;
    let Some(rest) = rest else { return Some(kind) };
    if head != "actions" {
        return None;
    }
    // `actions.<n>` and `actions.<n>.<key>`.
    let (index, key) = split(rest);
    index.parse::<usize>().ok()?;
    match key {
        None => Some(Other),
        Some(key) => lookup(ACTION, key),
    }
}

fn split(path: &str) -> (&str, Option<&str>) {
    match path.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    }
}

fn lookup(fields: &[(&str, FieldKind)], key: &str) -> Option<FieldKind> {
    fields.iter().find(|(k, _)| *k == key).map(|&(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Action, ActionStatus, Classification, PlanMeta, Risk, SectionMeta, Status};

    fn keys<T: serde::Serialize>(value: &T) -> Vec<String> {
        let table = toml::Table::try_from(value).expect("serializes to a table");
        let mut keys: Vec<String> = table.keys().cloned().collect();
        keys.sort();
        keys
    }

    fn names(fields: &[(&str, FieldKind)]) -> Vec<String> {
        let mut names: Vec<String> = fields.iter().map(|(k, _)| k.to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn the_lists_name_every_field_of_the_structs() {
        let d = crate::date::Date::new(2026, 1, 1);
        let plan = PlanMeta {
            title: Some("t".into()),
            group: Some("g".into()),
            municipality: Some("m".into()),
            risk: Some(Risk::Hoog),
            status: Some(Status::Concept),
            start: d,
            evaluation: d,
            end: d,
            partners: vec!["om".into()],
            classification: Classification::Intern,
            vars: [("A".to_string(), "b".to_string())].into(),
            draft: true,
        };
        assert_eq!(keys(&plan), names(PLAN));
        let action = Action {
            id: Some("A1".into()),
            what: "w".into(),
            who: Some("om".into()),
            due: d,
            status: ActionStatus::Open,
        };
        assert_eq!(keys(&action), names(ACTION));
        let section = SectionMeta {
            title: Some("t".into()),
            weight: Some(1),
            owner: Some("om".into()),
            status: Some(Status::Concept),
            classification: Classification::Intern,
            updated: d,
            actions: vec![action],
            draft: true,
        };
        assert_eq!(keys(&section), names(SECTION));
    }

    #[test]
    fn nested_paths() {
        assert_eq!(section_field("actions.3.due"), Some(Date));
        assert_eq!(section_field("actions.3.wie"), None);
        assert_eq!(section_field("actions.x.due"), None);
        assert_eq!(section_field("owner.x"), None);
        assert_eq!(plan_field("vars.WAT DAN OOK"), Some(Other));
        assert_eq!(plan_field("evaluation"), Some(Date));
        assert_eq!(plan_field("evalutie"), None);
    }
}
