//! Partners by the names people use: built-in names for the usual partners, `[partners]` in
//! planboek.toml for the rest, on every page, register and export; the exports keep the slug.

use crate::common::Repo;

/// The basic fixture with politie renamed in `[partners]`, built for every audience.
fn built() -> Repo {
    let repo = Repo::fixture("basic");
    repo.write(
        "planboek.toml",
        "title = \"Testboek\"\nlanguage = \"nl\"\n\n[partners]\npolitie = \"Politie Eenheid Haven\"\n",
    );
    repo.run(&["build", "--audience", "vertrouwelijk", "--today", "2026-03-01"]).assert_code(0);
    repo
}

#[test]
fn pages_and_registers_show_display_names() {
    let repo = built();
    let overview = repo.read_site("alpha/index.html");
    assert!(overview.contains("Openbaar Ministerie"), "built-in name in the plan's partners:\n{overview}");
    assert!(overview.contains("Politie Eenheid Haven"), "the name from [partners]");
    let section = repo.read_site("alpha/03-kobaltdossier.html");
    assert!(section.contains("<dd>Openbaar Ministerie</dd>"), "owner by name:\n{section}");
    let individu = repo.read_site("alpha/02-plan/individu.html");
    assert!(individu.contains("Politie Eenheid Haven") && individu.contains("Gemeente"), "who by name");
    let register = repo.read_site("actions.html");
    assert!(register.contains("Politie Eenheid Haven"), "register by partner, by name");
    let plan_register = repo.read_site("alpha/actions.html");
    assert!(plan_register.contains(">Politie Eenheid Haven<"), "the partner filter, by name");
    let print = repo.read_site("alpha/print.html");
    assert!(print.contains("Openbaar Ministerie"), "print edition");
}

#[test]
fn exports_keep_the_slug_beside_the_name() {
    let repo = built();
    let csv = repo.read_site("exports/actions.csv");
    assert!(csv.contains(",politie,Politie Eenheid Haven,"), "{csv}");
    assert!(csv.contains(",gemeente,Gemeente,"), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&repo.read_site("exports/plans.json")).expect("json");
    let alpha = &json["plans"][0];
    assert_eq!(alpha["partners"], serde_json::json!(["gemeente", "politie", "om"]));
    assert_eq!(alpha["partner_names"], serde_json::json!(["Gemeente", "Politie Eenheid Haven", "Openbaar Ministerie"]));
    let actions = alpha["actions"].as_array().expect("actions");
    assert!(actions.iter().any(|a| a["who"] == "politie" && a["who_name"] == "Politie Eenheid Haven"), "{actions:?}");
    let sections = alpha["sections"].as_array().expect("sections");
    assert!(sections.iter().any(|s| s["owner"] == "om" && s["owner_name"] == "Openbaar Ministerie"));
    let ics = repo.read_site("exports/deadlines.ics");
    assert!(ics.contains("Politie Eenheid Haven"), "calendar by name");
}
