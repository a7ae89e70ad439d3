//! `planboek build` on fixture repositories: pages written, links, audiences, placeholders,
//! sanitizing, and the messages and exit codes of bad input.

use crate::common::{files, Repo};
use std::fs;

#[test]
fn builds_the_expected_pages_and_summary() {
    let repo = Repo::fixture("basic");
    let run = repo.run(&["build"]);
    run.assert_code(0);
    assert!(run.stdout.contains("built 2 plans"), "{}", run.stdout);
    for page in [
        "index.html",
        "404.html",
        "alpha/index.html",
        "alpha/01-aanleiding.html",
        "alpha/02-plan/index.html",
        "alpha/02-plan/individu.html",
        "alpha/02-plan/groep.html",
        "beta/index.html",
        "beta/aanleiding.html",
        "alpha/img/kaart.png",
    ] {
        assert!(repo.site().join(page).is_file(), "missing {page}");
    }
    assert!(!repo.site().join("alpha/img/ongebruikt.png").exists(), "unlinked files are not copied");
}

#[test]
fn vertrouwelijk_text_never_reaches_an_intern_build() {
    let repo = Repo::fixture("basic");
    let run = repo.run(&["build"]);
    run.assert_code(0);
    let secrets = ["Zwaluwstaartgeheim", "Kobaltvink", "kobaltdossier", "geheimfoto"];
    for file in files(&repo.site()) {
        let bytes = fs::read(repo.site().join(&file)).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} leaked into {}", file.display());
            assert!(!file.to_string_lossy().contains(secret), "{secret} leaked as a file name");
        }
    }
    // The link to it is plain text, and the build says so at the link's line.
    let page = repo.read_site("alpha/01-aanleiding.html");
    assert!(page.contains("de gegevens van het OM"), "link text stays");
    assert!(run.stderr.contains("content/alpha/01-aanleiding.md:23:"), "{}", run.stderr);

    let all = repo.run(&["build", "--audience", "vertrouwelijk", "-o", "all"]);
    all.assert_code(0);
    let secret_page = fs::read_to_string(repo.path().join("all/alpha/03-kobaltdossier.html")).expect("page");
    assert!(secret_page.contains("Zwaluwstaartgeheim"));
}

#[test]
fn a_section_whose_front_matter_fails_counts_as_vertrouwelijk() {
    let repo = Repo::fixture("basic");
    // Front-matter errors lowered to warnings, and a typo in the confidential section.
    repo.write("planboek.toml", "title = \"Testboek\"\n[check]\nlevels = { unknown-key = \"warning\" }\n");
    let path = repo.path().join("content/alpha/03-kobaltdossier.md");
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, text.replacen("owner = \"om\"", "ownr = \"om\"", 1)).expect("write");
    let run = repo.run(&["build"]);
    run.assert_code(0);
    assert!(run.stderr.contains("content/alpha/03-kobaltdossier.md:3:1: warning[P0013]"), "{}", run.stderr);
    for file in files(&repo.site()) {
        let text = String::from_utf8_lossy(&fs::read(repo.site().join(&file)).expect("read")).into_owned();
        assert!(!text.contains("Zwaluwstaartgeheim"), "leaked into {}", file.display());
    }
    assert!(!repo.site().join("alpha/03-kobaltdossier.html").exists());
}

#[test]
fn openbaar_build_keeps_only_public_plans_and_sections() {
    let repo = Repo::fixture("basic");
    repo.run(&["build", "--audience", "openbaar"]).assert_code(0);
    assert!(repo.site().join("alpha/01-aanleiding.html").is_file());
    assert!(!repo.site().join("alpha/02-plan").exists(), "intern sections are removed");
    assert!(!repo.site().join("beta").exists(), "intern plans are removed");
    assert!(!repo.read_site("index.html").contains("Westkade"));
}

#[test]
fn the_audience_defaults_to_planboek_toml() {
    let repo = Repo::fixture("basic");
    repo.write("planboek.toml", "title = \"Testboek\"\naudience = \"openbaar\"\n");
    repo.run(&["build"]).assert_code(0);
    assert!(!repo.site().join("beta").exists(), "intern plans are removed without --audience");
    repo.run(&["build", "--audience", "intern"]).assert_code(0);
    assert!(repo.site().join("beta/index.html").is_file(), "the flag wins over planboek.toml");
}

#[test]
fn pages_show_metadata_navigation_and_the_build_date() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    let home = repo.read_site("index.html");
    let row = home.split("<a href=\"alpha/index.html\">").nth(1).and_then(|r| r.split("</tr>").next()).expect("row");
    for cell in [
        ">De Haven</td>",
        ">Hoevenmeer</td>",
        "pb-badge--risk-hoog\">Hoog<",
        "pb-badge--status-ter-review\">Ter review<",
        "<time datetime=\"2026-09-01\">1 september 2026</time>",
    ] {
        assert!(row.contains(cell), "home row lacks {cell}: {row}");
    }
    // SOURCE_DATE_EPOCH of the test runs is 2026-03-01.
    assert!(home.contains("Gemaakt op <time datetime=\"2026-03-01\">1 maart 2026</time>"), "footer build date");

    let overview = repo.read_site("alpha/index.html");
    for item in [
        "<dt>Partners</dt><dd>Gemeente, Politie, Openbaar Ministerie</dd>",
        "<dt>Start</dt><dd><time datetime=\"2026-03-01\">",
        "<dt>Evaluatie</dt><dd><time datetime=\"2026-09-01\">",
        "<dt>Einde</dt><dd><time datetime=\"2027-03-01\">",
    ] {
        assert!(overview.contains(item), "overview lacks {item}");
    }

    let section = repo.read_site("alpha/01-aanleiding.html");
    for item in [
        "<dt>Eigenaar</dt><dd>Gemeente</dd>",
        "pb-badge--status-vastgesteld\">Vastgesteld<",
        "<dt>Bijgewerkt</dt><dd><time datetime=\"2026-03-15\">",
        "<nav class=\"pb-toc\" aria-label=\"Op deze pagina\">",
        "<li><a href=\"#financien-en-risicos\">Financiën en risico&#39;s</a></li>",
        "pb-pager__link--prev\" href=\"02-plan/individu.html\" rel=\"prev\"",
        "pb-pager__link--next\" href=\"04-veilig.html\" rel=\"next\"",
        "<nav class=\"pb-breadcrumbs\"",
    ] {
        assert!(section.contains(item), "section page lacks {item}");
    }
    // A concept section is published, visibly marked.
    assert!(repo.read_site("alpha/02-plan/index.html").contains("pb-banner pb-banner--concept"));
}

#[test]
fn placeholders_are_filled_and_blanks_stay_visible() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    let page = repo.read_site("alpha/01-aanleiding.html");
    assert!(page.contains("De groep De Haven telt 12 jongeren"), "filled from group and vars");
    assert!(page.contains("DATUM"), "an unfilled placeholder never vanishes");
    assert!(page.contains("pb-blank"), "and is marked");
    assert!(!page.contains("Beschrijf het probleem"), "guidance is left out of a published build");
    assert!(repo.read_site("alpha/index.html").contains("Plan van aanpak jeugdgroep De Haven"), "title filled");

    repo.run(&["build", "--preview", "-o", "preview"]).assert_code(0);
    let preview = fs::read_to_string(repo.path().join("preview/alpha/01-aanleiding.html")).expect("page");
    assert!(preview.contains("Beschrijf het probleem"), "guidance shows in preview");
    assert!(preview.contains("pb-guidance"));
}

#[test]
fn raw_html_is_sanitized_but_legitimate_html_and_autolinks_work() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    let page = repo.read_site("alpha/04-veilig.html");
    for bad in ["xss-script", "onerror", "javascript:"] {
        assert!(!page.contains(bad), "{bad} survived sanitizing");
    }
    assert!(page.contains("<abbr title=\"Zorg- en Veiligheidshuis\">ZVH</abbr>"), "abbr kept");
    assert!(page.contains("<kbd>Ctrl</kbd>"));
    assert!(page.contains("href=\"mailto:info@example.org\""), "e-mail autolink");
    assert!(page.contains("href=\"https://example.org/pad\""), "URL autolink");

    repo.write("planboek.toml", "title = \"Testboek\"\nallow_raw_html = true\n");
    repo.run(&["build"]).assert_code(0);
    assert!(repo.read_site("alpha/04-veilig.html").contains("xss-script"), "trusted repositories opt out");
}

#[test]
fn headings_links_and_order() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    let page = repo.read_site("alpha/01-aanleiding.html");
    assert!(page.contains("id=\"financien-en-risicos\""), "accents folded");
    assert!(page.contains("id=\"cijfers-per-kwartaal\"") && page.contains("id=\"cijfers-per-kwartaal-1\""));
    assert!(page.contains("href=\"02-plan/individu.html#aanpak\""), "link rewritten, anchor kept");
    assert!(page.contains("href=\"02-plan/index.html\""), "link to a folder's index");
    assert!(page.contains("<table"), "tables");
    let back = repo.read_site("alpha/02-plan/individu.html");
    assert!(back.contains("href=\"../01-aanleiding.html\""), "relative from a deeper page");
    let nav = repo.read_site("alpha/02-plan/index.html");
    let (groep, individu) = (nav.find("Inzet op de groep"), nav.find("Inzet op het individu"));
    assert!(groep.is_some() && groep < individu, "weight orders siblings");
    assert!(repo.read_site("beta/aanleiding.html").contains("Aanleiding zonder front matter"), "title from heading");
}

#[test]
fn sections_order_by_weight_then_number_then_title() {
    let repo = Repo::fixture("basic");
    let section = |title: &str, extra: &str| format!("+++\ntitle = \"{title}\"\n{extra}+++\nTekst.\n");
    repo.write("content/beta/10-tien.md", section("Tien", ""));
    repo.write("content/beta/2-twee.md", section("Twee", ""));
    repo.write("content/beta/zeta.md", section("Zeta", ""));
    repo.write("content/beta/alfa.md", section("Alfa", ""));
    repo.write("content/beta/99-eerst.md", section("Eerst", "weight = -1\n"));
    repo.run(&["build"]).assert_code(0);
    let menu = repo.read_site("beta/index.html");
    let menu = menu.split("pb-nav__list").nth(1).expect("sidebar");
    let at = |t: &str| menu.find(&format!(">{t}<")).unwrap_or_else(|| panic!("{t} in the menu"));
    let order = ["Eerst", "Twee", "Tien", "Aanleiding zonder front matter", "Alfa", "Zeta"].map(at);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "weight, then 2 before 10, then by title: {order:?}");
}

#[test]
fn bad_input_reports_every_error_with_file_and_line() {
    let repo = Repo::fixture("bad");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    let err = &run.stderr;
    for expected in [
        "content/p/unknown-key.md:3:1: error",
        "content/p/wrong-type.md:2:",
        "content/p/unterminated.md:1:1: error",
        "content/p/latin1.md:4:4: error",
        "content/p/bad-date.md:3:",
        "content/p/broken-link.md:5:",
        "content/p/dup/_index.md",
        "content/p/dup/index.md",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(err.contains("weight") && err.contains("owner"), "the valid keys are listed:\n{err}");
    assert!(!repo.site().exists(), "nothing written");
}

#[test]
fn a_failed_build_leaves_the_previous_output_intact() {
    let repo = Repo::fixture("basic");
    repo.run(&["build"]).assert_code(0);
    let snapshot: Vec<_> =
        files(&repo.site()).into_iter().map(|f| (f.clone(), fs::read(repo.site().join(&f)).expect("read"))).collect();
    repo.write("content/alpha/05-kapot.md", "+++\ntitle = 3\n+++\n");
    repo.run(&["build"]).assert_code(1);
    let after: Vec<_> =
        files(&repo.site()).into_iter().map(|f| (f.clone(), fs::read(repo.site().join(&f)).expect("read"))).collect();
    assert_eq!(snapshot, after, "output changed after a failed build");
    let leftovers: Vec<_> = fs::read_dir(repo.path())
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("planboek-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folder left behind");
}

#[test]
fn dangerous_output_folders_are_refused() {
    let repo = Repo::fixture("basic");
    fs::create_dir_all(repo.path().join("themes")).expect("mkdir");
    let parent = repo.path().parent().expect("parent").to_string_lossy().into_owned();
    for out in [".", "content", "content/alpha/out", "themes/x", parent.as_str()] {
        let run = repo.run(&["build", "-o", out]);
        run.assert_code(1);
        assert!(run.stderr.contains("error[P0008]") && run.stderr.contains("output"), "{out}: {}", run.stderr);
    }
    fs::create_dir_all(repo.path().join("docs")).expect("mkdir");
    repo.write("docs/eigen.txt", "niet van planboek");
    repo.run(&["build", "-o", "docs"]).assert_code(1);
    assert!(repo.path().join("docs/eigen.txt").exists(), "a foreign folder is never replaced");
    assert!(repo.path().join("content/alpha/_index.md").exists());
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_skipped_with_a_warning_and_dangling_links_are_errors() {
    let repo = Repo::fixture("basic");
    std::os::unix::fs::symlink("..", repo.path().join("content/alpha/02-plan/lus")).expect("symlink");
    let run = repo.run(&["build"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("content/alpha/02-plan/lus: warning[P0003]") && run.stderr.contains("loop"),
        "{}",
        run.stderr
    );

    std::os::unix::fs::symlink("nergens.md", repo.path().join("content/alpha/kapot.md")).expect("symlink");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("content/alpha/kapot.md: error[P0001]"), "{}", run.stderr);
}

#[test]
fn markdown_files_in_upper_case_are_pages() {
    let repo = Repo::fixture("basic");
    repo.write("content/beta/Notities.MD", "+++\ntitle = \"Notities\"\n+++\n\nHoofdletters.\n");
    repo.run(&["build"]).assert_code(0);
    assert!(repo.read_site("beta/Notities.html").contains("Hoofdletters."));
    assert!(!repo.site().join("beta/Notities.MD").exists(), "not copied as a file");
}

#[test]
fn build_takes_today_and_honours_source_date_epoch() {
    let repo = Repo::fixture("basic");
    repo.run(&["build", "--today", "2026-05-04"]).assert_code(0);
    assert!(repo.read_site("index.html").contains("<time datetime=\"2026-05-04\">"), "--today is the build date");
    let run = crate::common::run_with(repo.path(), &["build"], &[("SOURCE_DATE_EPOCH", "1780000000")]);
    run.assert_code(0);
    assert!(repo.read_site("index.html").contains("<time datetime=\"2026-05-28\">"), "the day of SOURCE_DATE_EPOCH");
    let bad = crate::common::run_with(repo.path(), &["build"], &[("SOURCE_DATE_EPOCH", "gisteren")]);
    bad.assert_code(2);
    assert!(bad.stderr.contains("SOURCE_DATE_EPOCH"), "{}", bad.stderr);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let repo = Repo::fixture("basic");
    repo.write("content/beta/crlf.md", "\u{feff}+++\r\ntitle = \"Windows\"\r\nweight = 5\r\n+++\r\n\r\nRegel een.\r\n");
    repo.run(&["build"]).assert_code(0);
    assert!(repo.read_site("beta/crlf.html").contains("Regel een."));
}

#[test]
fn english_interface() {
    let repo = Repo::fixture("basic");
    repo.write("planboek.toml", "title = \"Testbook\"\nlanguage = \"en\"\n");
    repo.run(&["build"]).assert_code(0);
    let page = repo.read_site("alpha/01-aanleiding.html");
    assert!(page.contains("<html lang=\"en\""));
    assert!(page.contains(">Skip to main content</a>") && !page.contains("Direct naar de inhoud"), "{page}");
    repo.write("planboek.toml", "title = \"Testboek\"\n");
    repo.run(&["build", "-o", "nl"]).assert_code(0);
    let page = std::fs::read_to_string(repo.path().join("nl/alpha/01-aanleiding.html")).expect("page");
    assert!(page.contains("<html lang=\"nl\"") && page.contains(">Direct naar de inhoud</a>"), "Dutch by default");
}

#[test]
fn theme_files_can_be_overridden_one_by_one() {
    let repo = Repo::fixture("basic");
    repo.write("planboek.toml", "title = \"Testboek\"\ntheme = \"eigen\"\n");
    repo.write("themes/eigen/static/planboek.css", "body { color: #123456; }\n");
    repo.run(&["build"]).assert_code(0);
    assert_eq!(repo.read_site("_static/planboek.css"), "body { color: #123456; }\n");
    assert!(repo.read_site("alpha/index.html").contains("<html"), "templates still built in");
    repo.write("themes/eigen/templates/404.html", "<p>Eigen: {{ t.home }}</p>");
    repo.run(&["build"]).assert_code(0);
    assert_eq!(repo.read_site("404.html"), "<p>Eigen: Startpagina</p>", "a template overridden alone");

    repo.write("themes/eigen/templates/section.html", "{% if %}");
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("themes/eigen/templates/section.html:1:"), "{}", run.stderr);
    assert!(run.stderr.contains("error[P0007]"), "{}", run.stderr);
    // The line is the file's as written, before the UI strings and addresses are filled in.
    let later = "<p>{{ t.home }}</p>\n<link href=\"{{ asset(name='planboek.css') }}\">\n{% if %}";
    repo.write("themes/eigen/templates/section.html", later);
    let run = repo.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("themes/eigen/templates/section.html:3:"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let repo = Repo::fixture("basic");
    repo.run(&["build", "--audience", "geheim"]).assert_code(2);
    repo.run(&["bogus"]).assert_code(2);
    for cmd in ["build", "init", "new"] {
        let run = repo.run(&[cmd, "--help"]);
        run.assert_code(0);
        assert!(run.stdout.contains("Usage"), "{}", run.stdout);
    }
    let missing = crate::common::run_in(repo.path().join("content").as_path(), &["build"]);
    missing.assert_code(1);
    assert!(missing.stderr.contains("planboek.toml: error[P0005]"), "{}", missing.stderr);
}
