//! Search: the index files of a build; the shipped JavaScript engine run in node against the
//! Rust reference query on the same index; the leak test over every index file; the search
//! form on every page; and the search page in Chromium, from disk and over HTTP under a
//! sub-path with a strict Content-Security-Policy.

use crate::browser::browser;
use crate::common::{files, git, tag, Repo};
use planboek::search::query::{parse, Filter, IndexFiles};
use planboek::search::words::DutchStemmer;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

/// Words that exercise every rule of the Dutch stemmer, folding and the tokenizer.
const WORDS: &str = "Geïnformeerd financiën Financiën café's risico's z'n ’s-Hertogenbosch ĳsbaan Straße \
    jongeren jongere jonge jongerenwerker straatroof straatroven straatrovers gebiedsverbod gebiedsverboden \
    mogelijkheden mogelijkheid vrijheid lichtheid kinderen bakken bakker zetten hadden maatregelen maatregel \
    gemeenten gemeente gemene lopend lopende wandeling wandelingen heerlijk heerlijke eerlijkheid leesbaar \
    leesbare draagbaar eetbaar koninkrijk ouders ouderen ooievaar ogen maan manen brood broden zee zeeën \
    meisjes huisjes vlees kaas kazen jaar jaren uur uren zoenen yoghurt yell baaien kraaien fietsen fietst \
    overleg overleggen afspraken afspraak afgesproken cameratoezicht camera's hangplek hangplekken \
    beoordelen beoordeling beoordelingen handhaving handhaven gehandhaafd verbieden verbod verboden \
    ingrijpen ingegrepen signalering signaleren gesignaleerd samenwerking samenwerken samengewerkt \
    persoonsgerichte persoonsgericht aanpakken aanpak aangepakt evaluatie evalueren geëvalueerd \
    betrokkenheid betrokken tijdig tijdige tijdigheid naïef naïeve coördinatie coördineren reünie \
    preventief preventieve repressief vertrouwelijk vertrouwelijke openbaar openbare intern interne \
    2026 12,5% 1e 2e A1 B-2 ℌ ① Ⓐbc Ωμέγα ﬁets œuvre Æsop Ørsted Łódź";

fn node_ok() -> bool {
    let ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "CI must have node (see .ci/run)");
        eprintln!("skipped: node is not installed");
    }
    ok
}

fn script(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/browser").join(name)
}

/// The example with a section full of hard words, and one confidential section.
fn example_with_words() -> Repo {
    let repo = Repo::example();
    let plan = "content/jeugdgroep-kadepoort";
    repo.write(
        &format!("{plan}/90-woorden.md"),
        format!(
            "+++\ntitle = \"Woordenlijst straatroven\"\nstatus = \"concept\"\n\n[[actions]]\nwhat = \"Hangplekken \
             in kaart brengen\"\nwho = \"wijkagent Jansen\"\n+++\n\n## Begrippen en cameratoezicht\n\n{WORDS}\n\n\
             De burgemeester heeft de bewoners geïnformeerd over het plan van aanpak. Tot slot de \
             Kraaiennestmethode.\n"
        ),
    );
    repo
}

/// Runs search_node.js on `site` for `queries`.
fn run_node(site: &Path, queries: &Value) -> Value {
    let file = site.parent().expect("parent").join("queries.json");
    std::fs::write(&file, queries.to_string()).expect("write queries");
    let out = Command::new("node").arg(script("search_node.js")).arg(site).arg(&file).output().expect("run node");
    assert!(out.status.success(), "node failed:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("node prints JSON")
}

#[test]
fn the_javascript_engine_finds_exactly_what_the_rust_reference_finds() {
    if !node_ok() {
        return;
    }
    let repo = example_with_words();
    repo.run(&["build", "--audience", "vertrouwelijk"]).assert_code(0);
    let site = repo.site();
    let queries = [
        "jongeren",
        "jongere",
        "Jongere",
        "straatro",
        "straatroven",
        "geinformeerd",
        "GEÏNFORMEERD",
        "financien",
        "gebiedsverbod",
        "cameratoezicht wijk",
        "camera",
        "cam",
        "ca",
        "plan van aanpak",
        "\"plan van aanpak\"",
        "\"aanpak van plan\"",
        "\"plan van",
        "\"persoonsgerichte aanpak\" jongeren",
        "wijkagent Jansen",
        "Jansen",
        "hangplek",
        "hangplekken",
        "gemeente politie om",
        "risico's",
        "z'n",
        "Łódź",
        "Ωμέγα",
        "fiets",
        "2026",
        "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>",
        "",
        "   ",
        "\"\"",
        "onbestaandwoord",
        "de",
        "de het een",
        "a b c d e f g h i j k l m",
        "overleg ",
        "samenwerk",
        "kraaiennestmethode",
    ];
    let filters = [(None, None), (Some(0), None), (None, Some(1)), (Some(1), Some(3))];
    let mut list = Vec::new();
    for q in queries {
        for (plan, status) in filters {
            list.push(json!({"q": q, "plan": plan, "status": status}));
        }
    }
    let js = run_node(&site, &Value::Array(list.clone()));
    let index = IndexFiles::read(&site).expect("read the index");
    let stemmer = DutchStemmer::default();
    let mut nonempty = 0;
    for (i, q) in list.iter().enumerate() {
        let filter =
            Filter { plan: q["plan"].as_u64().map(|p| p as u32), status: q["status"].as_u64().map(|s| s as u8) };
        let rust: Vec<Value> = index
            .search(&parse(q["q"].as_str().unwrap_or_default(), &stemmer), filter)
            .into_iter()
            .map(|(p, s)| json!([p, s]))
            .collect();
        assert_eq!(js["results"][i], Value::Array(rust.clone()), "query {q}");
        nonempty += usize::from(!rust.is_empty());
    }
    assert!(nonempty > 60, "most queries find something: {nonempty}");
    // The excerpt comes from around the match, here the last word of a long page.
    let last = list.iter().position(|q| q["q"] == "kraaiennestmethode" && q["plan"].is_null() && q["status"].is_null());
    assert_eq!(js["marks"][last.expect("asked")], json!(["Kraaiennestmethode"]), "{}", js["marks"]);
    assert_eq!(js["differ"], json!({}), "stems and folds differ between Rust and JavaScript");
    assert!(js["words"].as_u64().unwrap_or(0) > 1000, "every word was compared: {}", js["words"]);
}

/// The results of `q` as (page url, score), by the reference query.
fn hits(site: &Path, q: &str) -> Vec<(String, u32)> {
    let index = IndexFiles::read(site).expect("read the index");
    let urls = urls(site);
    index
        .search(&parse(q, &DutchStemmer::default()), Filter::default())
        .into_iter()
        .map(|(p, s)| (urls.get(p as usize).cloned().unwrap_or_default(), s))
        .collect()
}

/// The url of every page of the index, from the document files.
fn urls(site: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for n in 0.. {
        let Ok(text) = std::fs::read_to_string(site.join(planboek::search::doc_path(n))) else { break };
        let args: Value =
            serde_json::from_str(&format!("[{}]", &text[text.find('(').expect("(") + 1..text.rfind(')').expect(")")]))
                .expect("json");
        for doc in args[1].as_array().expect("docs") {
            out.push(doc[1].as_str().expect("url").to_string());
        }
    }
    out
}

#[test]
fn matching_is_dutch_aware_and_titles_rank_first() {
    let repo = example_with_words();
    repo.run(&["build", "--audience", "vertrouwelijk"]).assert_code(0);
    let site = repo.site();
    let words = "jeugdgroep-kadepoort/90-woorden.html";
    let first = |q: &str| hits(&site, q).first().map(|h| h.0.clone()).unwrap_or_default();
    for q in [
        "geinformeerd",
        "financien",
        "FINANCIËN",
        "jongere",
        "straatro",
        "gebiedsverboden",
        "Jansen",
        "\"plan van aanpak\"",
    ] {
        assert!(hits(&site, q).iter().any(|h| h.0 == words), "`{q}` finds the word list");
    }
    assert_eq!(first("straatroven"), words, "the title's word ranks first");
    assert!(hits(&site, "\"aanpak van plan\"").is_empty(), "a phrase keeps its order");
    assert!(hits(&site, "\"plan van aanpak\"").len() < hits(&site, "plan van aanpak").len());
    assert!(hits(&site, "geinformeerd onbestaandwoord").is_empty(), "all words must occur");
    assert!(hits(&site, "hangplek").iter().any(|h| h.0 == words), "an action's text is searchable");
    // Plans are found by their partners.
    assert!(hits(&site, "jongerenwerk").iter().any(|h| h.0 == "jeugdgroep-kadepoort/index.html"));
    // A heading outranks body text.
    let heading = hits(&site, "cameratoezicht");
    assert_eq!(heading.first().map(|h| h.0.as_str()), Some(words), "{heading:?}");
}

/// Canaries of a `vertrouwelijk` section: in its title, body, file name and actions.
const CANARIES: [&str; 5] = ["kobaltvink", "zwaluwstaartgeheim", "kobaltdossier", "ekstergeheim", "merelgeheim"];

fn confidential_section() -> String {
    "+++\ntitle = \"Strafrechtelijke gegevens Kobaltvink\"\nowner = \"om\"\nclassification = \"vertrouwelijk\"\n\n\
     [[actions]]\nwhat = \"Ekstergeheim dossier sluiten\"\nwho = \"Merelgeheim\"\n+++\n\n\
     Zwaluwstaartgeheim: jongere A heeft twee openstaande zaken.\n"
        .to_string()
}

/// Asserts that no file under `dir/**/_search` holds a canary in any case.
fn assert_no_canary(dir: &Path) -> usize {
    let mut seen = 0;
    for file in files(dir).into_iter().filter(|f| f.to_string_lossy().contains("_search")) {
        seen += 1;
        let text = std::fs::read_to_string(dir.join(&file)).expect("read").to_lowercase();
        for canary in CANARIES {
            assert!(!text.contains(canary), "{canary} leaked into {}", file.display());
            assert!(!file.to_string_lossy().to_lowercase().contains(canary), "{canary} in a file name");
        }
    }
    seen
}

#[test]
fn no_index_file_holds_a_word_of_a_section_above_the_audience() {
    let repo = Repo::fixture("basic");
    repo.write("content/alpha/03-kobaltdossier.md", confidential_section());
    repo.run(&["build", "--audience", "intern"]).assert_code(0);
    assert!(assert_no_canary(&repo.site()) >= 4, "the index was written");
    // The test can fail: the full edition does hold them.
    repo.run(&["build", "--audience", "vertrouwelijk", "-o", "all"]).assert_code(0);
    let all = repo.path().join("all/_search");
    let text: String = files(&all).iter().map(|f| std::fs::read_to_string(all.join(f)).expect("read")).collect();
    for canary in CANARIES.iter().filter(|c| **c != "kobaltdossier") {
        assert!(text.to_lowercase().contains(canary), "{canary} is in the full index");
    }
}

/// Two tagged versions: v2 adds a word and a confidential section.
fn two_versions() -> Repo {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = Repo { dir };
    git(repo.path(), "2026-01-10", &["init", "-q"]);
    repo.write("planboek.toml", "title = \"Testboek\"\n\n[versions]\nfrom_git = \"v*\"\n");
    repo.write(".gitignore", "/site/\n/.planboek-cache/\n");
    repo.write("content/p/_index.md", "+++\ntitle = \"Plan P\"\n+++\n\nInleiding over de wijk.\n");
    repo.write("content/p/01-aanleiding.md", "+++\ntitle = \"Aanleiding\"\n+++\n\nDe groep telt tien jongeren.\n");
    tag(&repo, "2026-01-10", "v1");
    repo.write(
        "content/p/01-aanleiding.md",
        "+++\ntitle = \"Aanleiding\"\n+++\n\nDe groep telt tien jongeren. Nieuw is het scooterverbod.\n",
    );
    repo.write("content/p/03-kobaltdossier.md", confidential_section());
    tag(&repo, "2026-02-10", "v2");
    repo
}

#[test]
#[cfg_attr(planboek_no_browser, ignore = "needs Chromium, node and playwright-core; .ci/run installs them")]
fn every_version_has_its_own_index_and_none_leaks() {
    let repo = two_versions();
    repo.run(&["build"]).assert_code(0);
    let site = repo.site();
    assert!(assert_no_canary(&site) >= 8, "both versions have an index");
    assert_eq!(hits(&site.join("v2"), "scooterverbod").len(), 1, "v2 finds its new word");
    assert!(hits(&site.join("v1"), "scooterverbod").is_empty(), "v1 does not");
    assert_eq!(hits(&site.join("v1"), "jongeren").len(), 1);
    let landing = repo.read_site("index.html");
    assert!(landing.contains("action=\"v2/search.html\""), "the landing page searches the newest version");
    // Each version's page names its own index's digest (none names an empty index's).
    let stamp = |v: &str| {
        let page = repo.read_site(&format!("{v}/search.html"));
        page.split_once("data-pb-stamp=\"").and_then(|(_, rest)| rest.split_once('"')).map(|(s, _)| s.to_string())
    };
    let empty = blake3::Hasher::new().finalize().to_hex();
    let (v1, v2) = (stamp("v1").expect("v1's stamp"), stamp("v2").expect("v2's stamp"));
    assert!(v1 != v2 && !empty.starts_with(&v1) && !empty.starts_with(&v2), "{v1} {v2}");
    if browser().is_some() {
        browser_check(&["finds", &site.to_string_lossy(), "v2/search.html", "scooterverbod", "some"]);
        browser_check(&["finds", &site.to_string_lossy(), "v1/search.html", "scooterverbod", "none"]);
    }
}

#[test]
fn every_page_but_404_has_the_search_form() {
    let repo = Repo::example();
    repo.run(&["build"]).assert_code(0);
    let mut pages = 0;
    for file in files(&repo.site()).into_iter().filter(|f| f.extension().is_some_and(|e| e == "html")) {
        let html = repo.read_site(&file.to_string_lossy());
        let has = html.contains("<form class=\"pb-search\" role=\"search\"")
            && html.contains("<label class=\"pb-search__label\" for=\"pb-search-q\">")
            && html.contains("id=\"pb-search-q\" type=\"search\" name=\"q\"");
        assert_eq!(has, !file.ends_with("404.html"), "{}", file.display());
        let depth = file.components().count() - 1;
        assert!(!has || html.contains(&format!("action=\"{}search.html\"", "../".repeat(depth))), "{}", file.display());
        pages += 1;
    }
    // The example without its draft template plan.
    assert!(pages > 15, "{pages}");
    let search = repo.read_site("search.html");
    assert!(search.contains("id=\"pb-search-nojs\""), "without JavaScript the page says so");
    assert_eq!(search.matches("<script").count(), search.matches("<script src=\"").count(), "no inline script");
    assert!(!["onload=", "onerror=", "onclick=", "oninput="].iter().any(|a| search.contains(a)));
    // `check` writes nothing, the index included.
    let fresh = Repo::example();
    fresh.run(&["check"]);
    assert!(!fresh.site().exists(), "check wrote files");
}

fn browser_check(args: &[&str]) {
    let Some((modules, chromium)) = browser() else { return };
    let out = Command::new("node")
        .arg(script("search.js"))
        .args(args)
        .env("PLANBOEK_NODE_MODULES", modules)
        .env("PLANBOEK_CHROMIUM", chromium)
        .output()
        .expect("run node");
    assert!(out.status.success(), "search check {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
#[cfg_attr(planboek_no_browser, ignore = "needs Chromium, node and playwright-core; .ci/run installs them")]
fn the_search_page_works_from_disk_and_under_a_strict_sub_path() {
    if browser().is_none() {
        return;
    }
    let repo = example_with_words();
    repo.run(&["build"]).assert_code(0);
    let site = repo.site().to_string_lossy().into_owned();
    for how in ["file", "http"] {
        browser_check(&["typing", &site, how, "straatroven", "cameratoe"]);
        browser_check(&["xss", &site, how]);
    }
}

#[test]
fn the_preview_finds_what_was_just_written() {
    let repo = Repo::fixture("basic");
    let server = crate::common::server::Server::start(&repo, &[]);
    let source = repo.path().join("content/alpha/01-aanleiding.md");
    let original = std::fs::read_to_string(&source).expect("read");
    let save = |text: &str| {
        let tmp = source.with_file_name(".zoek.tmp");
        std::fs::write(&tmp, text).expect("write");
        std::fs::rename(&tmp, &source).expect("rename");
    };
    let page = "alpha/01-aanleiding.html";
    save(&format!("{original}\nDe fietsenstalling bij het station is nieuw.\n"));
    let lines = server.lines_until(|l| l.starts_with("rebuilt") && !l.contains("(first build)"));
    assert!(lines.iter().any(|l| l.starts_with("rebuilt in place")), "the page-only path: {lines:?}");
    // The index takes the page in on its own thread, after the page is served.
    let lines = server.lines_until(|l| l.starts_with("search index"));
    assert!(lines.last().is_some_and(|l| l.starts_with("search index updated (1 page, ")), "{lines:?}");
    let site = crate::serve::newest_build(&server.preview);
    assert_eq!(hits(&site, "fietsenstalling").first().map(|h| h.0.as_str()), Some(page));
    assert_eq!(hits(&site, "\"fietsenstalling bij het station\"").len(), 1, "its phrases too");
    assert!(hits(&site, "De Haven").iter().any(|h| h.0 == page), "the rest of the page is still found");
    // A word taken out is no longer found.
    save(&format!("{original}\nDe fietsenrekken bij het station zijn nieuw.\n"));
    server.lines_until(|l| l.starts_with("search index updated"));
    assert!(hits(&site, "fietsenstalling").is_empty(), "the old word is gone");
    assert!(
        hits(&site, "\"fietsenstalling bij\"").is_empty() && hits(&site, "\"fietsenrekken bij\"").len() == 1,
        "and its phrases"
    );
    assert!(hits(&site, "De Haven").iter().any(|h| h.0 == page), "the rest of the page is still found");
    assert_eq!(hits(&site, "fietsenrekken").len(), 1);
    let words = std::fs::read_dir(site.join("_search/w")).expect("word files").count();
    assert!(words >= 1);
}

#[test]
fn two_pages_of_one_document_file_saved_together_both_reach_the_preview_index() {
    let repo = Repo::fixture("basic");
    let server = crate::common::server::Server::start(&repo, &[]);
    let site = crate::serve::newest_build(&server.preview);
    // The index keeps two pages per document file: save both pages of one file at once.
    let urls = urls(&site);
    let at = urls.iter().position(|u| u == "alpha/01-aanleiding.html").expect("the page in the index");
    let partner = &urls[at ^ 1];
    let source_of = |url: &str| match url.strip_suffix("index.html") {
        Some(dir) => format!("content/{dir}_index.md"),
        None => format!("content/{}", url.replace(".html", ".md")),
    };
    let mut words = Vec::new();
    for (url, word) in [(urls[at].as_str(), "fietsenstalling"), (partner.as_str(), "kunstgrasveld")] {
        let source = repo.path().join(source_of(url));
        let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        std::fs::write(&source, format!("{text}\nHet {word} is nieuw.\n")).expect("write");
        words.push((url.to_string(), word));
    }
    let lines = server.lines_until(|l| l.starts_with("search index"));
    assert!(lines.last().is_some_and(|l| l.starts_with("search index updated (2 pages, ")), "{lines:?}");
    let doc = std::fs::read_to_string(site.join(planboek::search::doc_path((at / 2) as u32))).expect("document file");
    for (url, word) in words {
        assert!(doc.contains(word), "{word} of {url} in its document file");
        assert_eq!(hits(&site, word).first().map(|h| h.0.as_str()), Some(url.as_str()));
    }
}

#[test]
fn raw_html_with_a_reference_cut_inside_a_character_is_indexed_without_a_panic() {
    let repo = Repo::fixture("basic");
    repo.write("planboek.toml", "title = \"Testboek\"\nlanguage = \"nl\"\nallow_raw_html = true\n");
    // Raw HTML passes on unescaped with `allow_raw_html`; the body's text reads a reference
    // up to twelve bytes, and the twelfth falls inside the sixth `ë`.
    let section = "+++\ntitle = \"Ruw\"\nclassification = \"openbaar\"\n+++\n\n<p>&ëëëëëëë; kraaiennest</p>\n";
    repo.write("content/alpha/05-ruw.md", section);
    repo.run(&["build"]).assert_code(0);
    let index = IndexFiles::read(&repo.site()).expect("the index files");
    let stemmer = DutchStemmer::default();
    let found = index.search(&parse("kraaiennest", &stemmer), Filter::default());
    assert_eq!(found.len(), 1, "the page is in the index");
}
