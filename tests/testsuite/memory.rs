//! The model keeps no section bodies: each page's Markdown is read again when the page
//! renders. A file changed between loading and rendering must not give a page that mixes
//! two states of it (front matter the audience filter saw, a body written since): the build
//! fails with an error naming the file, and nothing is published.

use crate::common::Repo;
use planboek::content::{read_body, ContentSource};
use planboek::date::Date;
use planboek::diag::lints;
use planboek::markdown::Mode;
use planboek::model::Classification;
use planboek::output::Trust;
use planboek::pipeline::{self, Prepared, Settings};
use planboek::render::Theme;
use std::path::Path;

const SECTION: &str = "content/alpha/01-aanleiding.md";

fn prepare(root: &Path, audience: Classification) -> (Prepared, Theme) {
    let config = planboek::config::load(root).expect("config");
    let theme = Theme::load(root, &config).expect("theme");
    let prepared = pipeline::prepare(config, ContentSource::Disk(root.to_path_buf()), Some(audience), false);
    (prepared, theme)
}

fn settings() -> Settings<'static> {
    Settings { mode: Mode::Publish, today: Date::new(2026, 3, 1).expect("date"), version: None }
}

/// The source of `SECTION` in the prepared model.
fn section_source(prepared: &Prepared) -> &planboek::model::Source {
    let entry = prepared.index.by_key("alpha/01-aanleiding.md").expect("indexed");
    entry.source(&prepared.site).expect("has a source")
}

#[test]
fn a_body_is_read_again_as_it_was_loaded() {
    let repo = Repo::fixture("basic");
    let (prepared, _) = prepare(repo.path(), Classification::Vertrouwelijk);
    let body = read_body(&prepared.source, section_source(&prepared)).expect("unchanged file");
    assert!(body.starts_with("\nDe groep <NAAM GROEP>"), "{body:?}");
    assert!(!body.contains("classification"), "the front matter is not part of the body");
}

#[test]
fn a_body_changed_after_loading_fails_the_build_and_publishes_nothing() {
    let repo = Repo::fixture("basic");
    let (prepared, theme) = prepare(repo.path(), Classification::Vertrouwelijk);
    let text = std::fs::read_to_string(repo.path().join(SECTION)).expect("read");
    repo.write(SECTION, format!("{text}\nGeschreven terwijl de build liep.\n"));
    let err = read_body(&prepared.source, section_source(&prepared)).expect_err("changed");
    assert_eq!((err.code, &*err.file), (lints::IO_ERROR.code, Path::new(SECTION)));
    let out = repo.path().join("site");
    let failed =
        pipeline::publish(&prepared, &theme, &settings(), &out, None, Trust::Listed, &[]).expect_err("the build fails");
    let changed: Vec<_> = failed.0.iter().filter(|d| d.is_error() && &*d.file == Path::new(SECTION)).collect();
    assert_eq!(changed.len(), 1, "{:?}", failed.0);
    assert!(changed[0].message.contains("changed while the handbook was being built"), "{}", changed[0].message);
    assert!(!out.exists(), "nothing published");
    // `check` reports the same.
    let checked = pipeline::run(&prepared, &pipeline::Sink::Discard, &settings());
    assert!(checked.diagnostics.0.iter().any(|d| d.is_error() && &*d.file == Path::new(SECTION)));
}

#[test]
fn a_section_raised_above_the_audience_after_loading_is_never_rendered() {
    let repo = Repo::fixture("basic");
    let (prepared, theme) = prepare(repo.path(), Classification::Openbaar);
    // Loaded as `openbaar`; the editor then raises it and writes confidential text.
    let text = std::fs::read_to_string(repo.path().join(SECTION)).expect("read");
    let raised = text.replace("classification = \"openbaar\"", "classification = \"vertrouwelijk\"");
    repo.write(SECTION, format!("{raised}\nGeheime naam Jan Jansen.\n"));
    let out = repo.path().join("site");
    assert!(pipeline::publish(&prepared, &theme, &settings(), &out, None, Trust::Listed, &[]).is_err());
    assert!(!out.exists(), "nothing published");
    let staged: Vec<_> = std::fs::read_dir(repo.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("planboek-new"))
        .collect();
    assert!(staged.is_empty(), "no staging folder left behind");
    // The print edition of the plan is refused too, rather than printed without the page.
    let site = settings();
    let info = site.site(&prepared);
    let plan = prepared.site.plans.iter().position(|p| p.slug == "alpha").expect("plan");
    let (_, print) = pipeline::render_print(&prepared, &theme, &info, plan).expect("the plan exists");
    let err = print.expect_err("a changed page stops the print edition");
    assert_eq!(&*err.file, Path::new(SECTION));
}

#[test]
fn a_plan_taken_over_whose_page_must_be_read_again_fails_on_a_changed_file() {
    let repo = Repo::fixture("basic");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let beta = "content/beta/aanleiding.md";
    // Twice, so that the output keeps its plans' record for the next build.
    for line in ["Eerste regel.", "Tweede regel."] {
        let text = std::fs::read_to_string(repo.path().join(beta)).expect("read");
        repo.write(beta, format!("{text}\n{line}\n"));
        let (prepared, theme) = prepare(repo.path(), Classification::Vertrouwelijk);
        pipeline::publish(&prepared, &theme, &settings(), &out, None, Trust::Listed, &[]).expect("built");
    }
    // alpha would be taken over, but its pages' search documents are gone (from the output
    // and from the one it replaced, kept beside it to build over), so its pages are read
    // again; one of them changed after loading.
    std::fs::remove_dir_all(out.join("_search/d")).expect("rm");
    std::fs::remove_dir_all(dir.path().join(".out.planboek-spare/_search/d")).expect("rm");
    let (prepared, theme) = prepare(repo.path(), Classification::Vertrouwelijk);
    let text = std::fs::read_to_string(repo.path().join(SECTION)).expect("read");
    repo.write(SECTION, format!("{text}\nGeschreven terwijl de build liep.\n"));
    let failed =
        pipeline::publish(&prepared, &theme, &settings(), &out, None, Trust::Listed, &[]).expect_err("the build fails");
    assert!(failed.0.iter().any(|d| d.is_error() && &*d.file == Path::new(SECTION)), "{:?}", failed.0);
}
