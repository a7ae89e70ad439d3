//! Commitments: overdue and due-soon marks against a pinned reference date, the action
//! registers and the dashboard, the print edition, versions, `check` and `build` sharing one
//! reference date, reproducible output, and no confidential action in any output.

use crate::common::{files, run_with, tag, Repo};
use std::collections::BTreeSet;
use std::fs;

/// The `alpha` plan of the basic fixture (whose `02-plan/individu.md` has A1, done on
/// 2026-04-01, and A2 of the police, due 2026-05-01) with a section of actions in every state
/// on 2026-06-01 (T1 overdue, T2 and T6 due soon, T3 and T7 later, T4 done, T5 undated), and
/// a canary action in its confidential section.
pub fn actions_repo() -> Repo {
    let repo = Repo::fixture("basic");
    let action = |id: &str, who: &str, due: &str, status: &str, what: &str| {
        let who = if who.is_empty() { String::new() } else { format!("who = \"{who}\"\n") };
        let due = if due.is_empty() { String::new() } else { format!("due = {due}\n") };
        format!("\n[[actions]]\nid = \"{id}\"\nwhat = \"{what}\"\n{who}{due}status = \"{status}\"\n")
    };
    let actions = [
        action("T1", "politie", "2026-05-20", "open", "Buurtonderzoek afronden"),
        action("T2", "gemeente", "2026-06-10", "lopend", "Brief aan de ouders versturen"),
        action("T3", "om", "2026-09-01", "open", "Zaken bundelen voor ZSM"),
        action("T4", "gemeente", "2026-04-01", "gereed", "Startbijeenkomst houden"),
        action("T5", "", "", "open", "Zonder datum en zonder partner"),
        action("T6", "politie", "2026-06-01", "open", "Overleg, \\\"kort\\\" en\\nlang; met komma"),
        action("T7", "gemeente", "2026-07-01", "open", "=HYPERLINK(\\\"http://example.org\\\") formule"),
    ]
    .concat();
    let front = format!("+++\ntitle = \"Acties\"\nowner = \"gemeente\"\nclassification = \"intern\"\n{actions}+++\n");
    repo.write("content/alpha/05-acties.md", format!("{front}\nDe acties van het plan.\n"));
    let secret = repo.path().join("content/alpha/03-kobaltdossier.md");
    let text = fs::read_to_string(&secret).expect("read");
    let canary = action("KANARIE-7", "kanarievogel", "2026-05-01", "open", "Kanariegeel dossier sluiten");
    fs::write(
        &secret,
        text.replacen(
            "classification = \"vertrouwelijk\"\n",
            &format!("classification = \"vertrouwelijk\"\n{canary}"),
            1,
        ),
    )
    .expect("write");
    repo
}

/// The `<tr>` of the action whose id cell is `id` in `html`.
fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let cell = format!(">{id}</td>");
    let at = html.find(&cell).unwrap_or_else(|| panic!("no row {id}"));
    let start = html[..at].rfind("<tr").expect("row start");
    let end = at + html[at..].find("</tr>").expect("row end");
    &html[start..end]
}

#[test]
fn overdue_and_due_soon_are_marked_in_words_against_the_reference_date() {
    let repo = actions_repo();
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let section = repo.read_site("alpha/05-acties.html");
    let register = repo.read_site("alpha/actions.html");
    for html in [&section, &register] {
        assert!(row(html, "T1").contains(">Te laat</strong>"), "T1 is overdue: {}", row(html, "T1"));
        for soon in ["T2", "T6"] {
            assert!(row(html, soon).contains(">Binnenkort</strong>"), "{soon} is due soon (T6 today)");
        }
        for plain in ["T3", "T4", "T5", "T7"] {
            let r = row(html, plain);
            assert!(!r.contains("Te laat") && !r.contains("Binnenkort"), "{plain} is neither: {r}");
        }
    }
    assert!(section.contains("<tr id=\"pb-action-t1\" class=\"pb-action pb-action--overdue\">"), "rows have ids");
    // A day later T6 (due on the first) is overdue; three weeks earlier nothing is.
    repo.run(&["build", "--today", "2026-06-02"]).assert_code(0);
    assert!(row(&repo.read_site("alpha/05-acties.html"), "T6").contains("Te laat"));
    repo.run(&["build", "--today", "2026-05-10"]).assert_code(0);
    let early = repo.read_site("alpha/05-acties.html");
    assert!(!early.contains(">Te laat<"), "nothing is late on 10 May");
    assert!(row(&early, "T1").contains("Binnenkort"), "T1 is due within 14 days of 10 May");
    // In English.
    repo.write("planboek.toml", "title = \"Testbook\"\nlanguage = \"en\"\n");
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let english = repo.read_site("alpha/05-acties.html");
    assert!(row(&english, "T1").contains(">Overdue</strong>") && row(&english, "T2").contains(">Due soon</strong>"));
}

#[test]
fn the_plan_register_lists_every_action_overdue_first_then_by_date() {
    let repo = actions_repo();
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let register = repo.read_site("alpha/actions.html");
    let order: Vec<usize> = ["A2", "T1", "A1", "T4", "T6", "T2", "T7", "T3", "T5"]
        .iter()
        .map(|id| register.find(&format!(">{id}</td>")).unwrap_or_else(|| panic!("{id} listed")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "overdue first, then by due date, undated last: {order:?}");
    let t1 = row(&register, "T1");
    for cell in ["data-who=\"politie\"", "data-status=\"open\"", "data-deadline=\"overdue\"", ">Politie</td>"] {
        assert!(t1.contains(cell), "{cell} in {t1}");
    }
    assert!(t1.contains("<a href=\"05-acties.html#pb-action-t1\">Acties</a>"), "links to its row: {t1}");
    assert!(register.contains("<form class=\"pb-filter\" id=\"pb-filter\" hidden"), "filters hidden without script");
    assert!(register.contains("<option value=\"politie\">Politie</option>"), "a partner filter");
    assert!(register.contains("<script src=\"../_static/actions.js?v="), "{register}");
    assert!(repo.site().join("_static/actions.js").is_file());
    // Linked from the plan overview and from every page's sidebar.
    assert!(repo.read_site("alpha/index.html").contains("<a href=\"actions.html\">Actieregister</a>"));
    let page = repo.read_site("alpha/02-plan/individu.html");
    assert!(page.contains("<a href=\"../actions.html\">Actieregister</a>"), "the sidebar links the register");
    assert!(register.contains("<a href=\"actions.html\" aria-current=\"page\">Actieregister</a>"));
    // A plan without actions says so.
    assert!(repo.read_site("beta/actions.html").contains("Er zijn geen acties."));
}

#[test]
fn the_site_register_groups_actions_by_partner_with_counts() {
    let repo = actions_repo();
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let html = repo.read_site("actions.html");
    let heading = |id: &str| html.find(&format!("<h2 id=\"{id}\">")).unwrap_or_else(|| panic!("heading {id}"));
    let (gemeente, om, politie, none) = (
        heading("pb-partner-gemeente"),
        heading("pb-partner-om"),
        heading("pb-partner-politie"),
        heading("pb-no-partner"),
    );
    assert!(gemeente < om && om < politie && politie < none, "partners in order, no partner last");
    let politie_part = &html[politie..none];
    assert!(politie_part.contains("<strong>3</strong> openstaande acties") && politie_part.contains("2 te laat"));
    assert!(politie_part.find(">T1</td>") < politie_part.find(">T6</td>"), "overdue first within a partner");
    let t1 = row(&html, "T1");
    assert!(t1.contains("<a href=\"alpha/index.html\">Plan van aanpak jeugdgroep De Haven</a>"), "names its plan");
    assert!(t1.contains("<a href=\"alpha/05-acties.html#pb-action-t1\">Acties</a>"), "links its section");
    assert!(
        html.contains("<a href=\"#pb-partner-politie\">Politie</a>: 3 openstaande acties, <strong>2 te laat</strong>")
    );
    let home = repo.read_site("index.html");
    for link in [
        "href=\"actions.html\"",
        "href=\"exports/actions.csv\"",
        "href=\"exports/deadlines.ics\"",
        "href=\"exports/plans.json\"",
    ] {
        assert!(home.contains(link), "home links {link}");
    }
}

#[test]
fn the_dashboard_shows_counts_evaluation_next_deadlines_and_a_timeline() {
    let repo = actions_repo();
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let home = repo.read_site("index.html");
    let alpha = home.split("<a href=\"alpha/index.html\">").nth(1).and_then(|r| r.split("</tr>").next()).expect("row");
    assert!(alpha.contains("<a href=\"alpha/actions.html\">7</a>"), "seven open actions: {alpha}");
    assert!(alpha.contains("2 te laat</strong>"), "two overdue: {alpha}");
    assert!(!alpha.contains("Verstreken"), "the evaluation (1 September) has not passed");
    repo.run(&["build", "--today", "2026-09-02"]).assert_code(0);
    let later = repo.read_site("index.html");
    let alpha = later.split("<a href=\"alpha/index.html\">").nth(1).and_then(|r| r.split("</tr>").next()).expect("row");
    assert!(alpha.contains("Verstreken</strong>"), "a passed evaluation is marked in words: {alpha}");
    assert!(repo.read_site("alpha/index.html").contains("Verstreken</strong>"));

    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let overview = repo.read_site("alpha/index.html");
    let next = overview.split("<ol class=\"pb-next\"").nth(1).and_then(|n| n.split("</ol>").next()).expect("next");
    let ids: Vec<&str> = ["T6", "T2", "T7", "T3"].into_iter().filter(|id| next.contains(&format!(">{id} "))).collect();
    assert_eq!(ids, ["T6", "T2", "T7"], "the next three deadlines: {next}");
    // The timeline: inline SVG with a text alternative listing the same dates.
    let svg =
        overview.split("<svg class=\"pb-timeline__svg\"").nth(1).and_then(|s| s.split("</svg>").next()).expect("svg");
    assert!(svg.contains("role=\"img\"") && svg.contains("aria-describedby=\"pb-timeline-list\""));
    assert_eq!(svg.matches("pb-tl-action--overdue").count(), 2, "A2 and T1 are overdue");
    assert_eq!(svg.matches("pb-tl-action--").count(), 8, "the eight dated actions");
    assert!(svg.contains(">Te laat</text>") && svg.contains(">Peildatum</text>") && svg.contains(">Evaluatie</text>"));
    let list = overview.split("id=\"pb-timeline-list\">").nth(1).and_then(|l| l.split("</ol>").next()).expect("list");
    for date in ["2026-03-01", "2026-05-20", "2026-06-01", "2026-09-01", "2027-03-01"] {
        assert!(list.contains(&format!("<time datetime=\"{date}\">")), "{date} in the list");
    }
    assert!(list.contains("Buurtonderzoek afronden (Politie) <strong>(Te laat)</strong>"), "{list}");
}

#[test]
fn the_print_edition_holds_the_whole_plan_in_reading_order() {
    let repo = actions_repo();
    repo.write(
        "content/alpha/04-veilig.md",
        "+++\ntitle = \"Veilig\"\n+++\n\nZie [de aanleiding](01-aanleiding.md#cijfers-per-kwartaal) en \
         [elders](https://example.org/bron).[^1]\n\n[^1]: Een voetnoot.\n",
    );
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let print = repo.read_site("alpha/print.html");
    assert!(repo.read_site("alpha/index.html").contains("<a href=\"print.html\">Afdrukversie</a>"), "linked");
    // Cover, introduction, every section in reading order, the register last.
    let at = |needle: &str| print.find(needle).unwrap_or_else(|| panic!("missing {needle}"));
    let order = [
        at("<h1 id=\"pb-print-title\">Plan van aanpak jeugdgroep De Haven</h1>"),
        at("class=\"pb-print-marking\""),
        at("Dit plan gaat over de groep De Haven"),
        at(">Plan van aanpak</h2>"),
        at(">Inzet op de groep</h3>"),
        at(">Inzet op het individu</h3>"),
        at(">Aanleiding</h2>"),
        at(">Veilig</h2>"),
        at(">Acties</h2>"),
        at("<h2 id=\"pb-print-register\">Actieregister</h2>"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "reading order: {order:?}");
    assert!(!print.contains("Zwaluwstaartgeheim"), "only what the audience may see");
    // Ids are unique on the page, and links between sections are anchors on it.
    let ids: Vec<&str> = print.split(" id=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids");
    let link = print.split("Zie <a href=\"").nth(1).and_then(|l| l.split('"').next()).expect("link");
    assert!(link.starts_with("#pb-s") && unique.contains(&link[1..]), "{link} is an anchor on the page");
    assert!(print.contains("href=\"https://example.org/bron\""), "external links stay");
    assert!(print.contains("class=\"footnotes\""), "footnotes");
    let footnote = print.split("<sup class=\"footnote-ref\"><a href=\"#").nth(1).and_then(|l| l.split('"').next());
    assert!(footnote.is_some_and(|f| f.starts_with("pb-s") && unique.contains(f)), "{footnote:?}");
    // Actions in their section and in the register, marked in words.
    let register = &print[at("<h2 id=\"pb-print-register\">")..];
    assert!(row(register, "T1").contains("Te laat") && row(register, "T1").contains("href=\"#pb-s"));
    assert!(print.contains("@page { @top-left { content: \"Plan van aanpak jeugdgroep De Haven\"; } @top-right { content: \"Rubricering: Intern\"; } @bottom-left { content: \"Gemaakt op 1 juni 2026\"; } }"));
    assert!(!print.contains("pb-sidebar") && !print.contains("pb-pager"), "no navigation");
}

/// planboek writes the action tables' rows itself while the theme keeps the built-in row
/// templates; a theme that overrides one of them gets its rows in every table.
#[test]
fn a_theme_overriding_the_action_row_gets_it_in_every_table() {
    let repo = actions_repo();
    repo.write("planboek.toml", "title = \"Testboek\"\ntheme = \"eigen\"\n");
    repo.write(
        "themes/eigen/templates/action_status.html",
        "<em class=\"eigen\">{{ a.status_label }}{% if row_ids %} #{{ a.anchor }}{% endif %}</em>",
    );
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let pages = ["actions.html", "alpha/actions.html", "alpha/print.html", "alpha/05-acties.html"];
    for page in pages {
        let html = repo.read_site(page);
        assert!(row(&html, "T1").contains("<em class=\"eigen\">Open"), "{page}: {}", row(&html, "T1"));
        assert!(row(&html, "T1").contains("Te laat"), "{page}: the rest of the row stays built in");
    }
    let print = repo.read_site("alpha/print.html");
    assert!(row(&print, "T1").contains("Open #pb-s"), "the section's rows in the edition carry its ids");
    repo.write("themes/eigen/templates/action_row.html", "<tr><td>{{ a.id }}</td><td>{{ a.nope }}</td></tr>");
    let run = repo.run(&["build", "--today", "2026-06-01"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("themes/eigen/templates/action_row.html") && run.stderr.contains("P0007"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_version_has_its_own_registers_print_edition_and_exports() {
    let repo = Repo::versioned_example();
    for v in ["v1", "v2", "concept"] {
        for page in ["actions.html", "jeugdgroep-kadepoort/actions.html", "jeugdgroep-kadepoort/print.html"] {
            assert!(repo.site().join(v).join(page).is_file(), "{v}/{page}");
        }
        for export in ["actions.csv", "deadlines.ics", "plans.json"] {
            assert!(repo.site().join(v).join("exports").join(export).is_file(), "{v}/exports/{export}");
        }
        let json = fs::read_to_string(repo.site().join(v).join("exports/plans.json")).expect("json");
        assert!(json.contains(&format!("\"version\": \"{v}\"")), "{v}: {json:.200}");
    }
    let print = repo.read_site("v2/jeugdgroep-kadepoort/print.html");
    assert!(print.contains("<dt>Versie</dt><dd>v2</dd>"), "the cover names the version");
}

#[test]
fn the_changes_page_lists_added_and_removed_actions_of_added_and_removed_sections() {
    let repo = actions_repo();
    repo.write(".gitignore", "/site/\n/.planboek-cache/\n");
    let config = fs::read_to_string(repo.path().join("planboek.toml")).expect("config");
    repo.write("planboek.toml", format!("{config}\n[versions]\nfrom_git = \"v*\"\n"));
    crate::common::git(repo.path(), "2026-01-10", &["init", "-q"]);
    tag(&repo, "2026-01-10", "v1");
    fs::remove_file(repo.path().join("content/alpha/05-acties.md")).expect("remove");
    repo.write(
        "content/alpha/06-nieuw.md",
        "+++\ntitle = \"Nieuw\"\n\n[[actions]]\nid = \"N1\"\nwhat = \"Nieuwe taak\"\nwho = \"om\"\n+++\nTekst.\n",
    );
    tag(&repo, "2026-02-10", "v2");
    repo.run(&["build", "--today", "2026-06-01"]).assert_code(0);
    let changes = crate::common::visible(&repo.read_site("v2/changes.html"));
    assert!(changes.contains("Nieuwe actie: <ins>N1: Nieuwe taak (Openbaar Ministerie, open)</ins>"), "{changes}");
    assert!(changes.contains("Actie vervallen: <del>T1: Buurtonderzoek afronden (Politie, open)</del>"), "{changes}");
}

/// The ids `check` reports as overdue (P0304).
fn overdue_by_check(repo: &Repo, args: &[&str], env: &[(&str, &str)]) -> BTreeSet<String> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = run_with(repo.path(), &all, env);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json report");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "P0304")
        .filter_map(|d| d["message"].as_str()?.strip_prefix("action ")?.split(' ').next().map(String::from))
        .collect()
}

/// The ids the build's JSON export marks as overdue.
fn overdue_by_build(repo: &Repo, args: &[&str], env: &[(&str, &str)]) -> BTreeSet<String> {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    run_with(repo.path(), &all, env).assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&repo.read_site("exports/plans.json")).expect("json");
    let plans = json["plans"].as_array().expect("plans");
    let actions = plans.iter().flat_map(|p| p["actions"].as_array().cloned().unwrap_or_default());
    actions.filter(|a| a["overdue"] == true).filter_map(|a| a["id"].as_str().map(String::from)).collect()
}

#[test]
fn check_and_build_take_the_reference_date_by_one_rule() {
    let repo = actions_repo();
    // 2026-06-01 and 2026-06-02 as SOURCE_DATE_EPOCH, and pinned with --today.
    let days = [("1780272000", "2026-06-01", &["A2", "T1"][..]), ("1780358400", "2026-06-02", &["A2", "T1", "T6"])];
    for (epoch, day, want) in days {
        let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
        let env = [("SOURCE_DATE_EPOCH", epoch)];
        assert_eq!(overdue_by_check(&repo, &[], &env), want, "check with SOURCE_DATE_EPOCH of {day}");
        assert_eq!(overdue_by_build(&repo, &[], &env), want, "build with SOURCE_DATE_EPOCH of {day}");
        let pinned = ["--today", day];
        let other = [("SOURCE_DATE_EPOCH", "0")];
        assert_eq!(overdue_by_check(&repo, &pinned, &other), want, "check --today {day} wins");
        assert_eq!(overdue_by_build(&repo, &pinned, &other), want, "build --today {day} wins");
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    files(dir).into_iter().map(|f| (f.clone(), fs::read(dir.join(&f)).expect("read"))).collect()
}

#[test]
fn the_same_input_and_date_give_byte_identical_output() {
    let repo = actions_repo();
    repo.run(&["build", "-o", "een"]).assert_code(0);
    repo.run(&["build", "-o", "twee"]).assert_code(0);
    let (a, b) = (snapshot(&repo.path().join("een")), snapshot(&repo.path().join("twee")));
    assert!(a.iter().any(|(f, _)| f.ends_with("deadlines.ics")) && a.iter().any(|(f, _)| f.ends_with("print.html")));
    assert_eq!(a.len(), b.len());
    for ((fa, ba), (fb, bb)) in a.iter().zip(&b) {
        assert_eq!(fa, fb);
        assert!(ba == bb, "{} differs between two builds", fa.display());
    }
    // Another reference date changes the output.
    run_with(repo.path(), &["build", "-o", "drie"], &[("SOURCE_DATE_EPOCH", "1780272000")]).assert_code(0);
    assert_ne!(fs::read(repo.path().join("drie/index.html")).ok(), fs::read(repo.path().join("een/index.html")).ok());
}

#[test]
fn a_confidential_action_reaches_no_output_of_a_lower_audience() {
    let repo = actions_repo();
    repo.run(&["build"]).assert_code(0);
    let canaries = ["KANARIE-7", "Kanariegeel", "kanarievogel", "kanarie-7"];
    let leaks = |site: &std::path::Path| -> Vec<String> {
        let mut found = Vec::new();
        for file in files(site) {
            let text = String::from_utf8_lossy(&fs::read(site.join(&file)).expect("read")).to_lowercase();
            for c in canaries {
                if text.contains(&c.to_lowercase()) || file.to_string_lossy().to_lowercase().contains(&c.to_lowercase())
                {
                    found.push(format!("{c} in {}", file.display()));
                }
            }
        }
        found
    };
    let site = repo.site();
    for output in [
        "actions.html",
        "alpha/actions.html",
        "alpha/print.html",
        "exports/actions.csv",
        "exports/deadlines.ics",
        "exports/plans.json",
    ] {
        assert!(site.join(output).is_file(), "{output} is written, and checked");
    }
    assert_eq!(leaks(&site), Vec::<String>::new(), "intern build");
    // A versioned build: every version's registers, print editions and exports.
    repo.write(".gitignore", "/site/\n/.planboek-cache/\n/alle/\n");
    let config = fs::read_to_string(repo.path().join("planboek.toml")).expect("config");
    repo.write("planboek.toml", format!("{config}\n[versions]\nfrom_git = \"v*\"\ncurrent = \"concept\"\n"));
    crate::common::git(repo.path(), "2026-01-10", &["init", "-q"]);
    tag(&repo, "2026-01-10", "v1");
    repo.run(&["build"]).assert_code(0);
    assert!(site.join("v1/exports/deadlines.ics").is_file() && site.join("concept/alpha/print.html").is_file());
    assert_eq!(leaks(&site), Vec::<String>::new(), "versioned intern build");
    // The test can fail: the confidential build holds the canary everywhere.
    repo.run(&["build", "--audience", "vertrouwelijk", "-o", "alle"]).assert_code(0);
    let all = leaks(&repo.path().join("alle"));
    for output in [
        "v1/actions.html",
        "v1/alpha/print.html",
        "v1/exports/actions.csv",
        "v1/exports/deadlines.ics",
        "v1/exports/plans.json",
    ] {
        assert!(all.iter().any(|l| l.ends_with(output)), "the canary is in {output} for vertrouwelijk: {all:?}");
    }
}
