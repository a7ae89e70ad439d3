//! Micro-benchmarks of the paths every build goes through, so that a regression shows in
//! numbers: a page's Markdown, a page through its template, a plan's print edition, and a
//! whole `check` run. They use the three plans of `tests/fixtures/bench-corpus` (made by
//! `../shared/bench/gen_corpus.py`, the corpus of the README's figures).
//!
//! `cargo bench --bench pipeline`; `-- --save-baseline before` and then
//! `-- --baseline before` compare two versions of the code.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use planboek::content::ContentSource;
use planboek::date::Date;
use planboek::markdown::Mode;
use planboek::model::Classification;
use planboek::pipeline::{self, Prepared, Settings, Sink};
use planboek::render::{self, PlanNav, Theme};
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// The benchmark corpus, loaded and filtered for the highest audience (every page).
fn corpus() -> (Prepared, Theme) {
    let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bench-corpus");
    let config = planboek::config::load(&root).expect("the corpus has a valid planboek.toml");
    let theme = Theme::load(&root, &config).expect("the built-in theme loads");
    let prepared =
        pipeline::prepare(config, ContentSource::Disk(root.clone()), Some(Classification::Vertrouwelijk), false);
    (prepared, theme)
}

fn settings() -> Settings<'static> {
    Settings { mode: Mode::Publish, today: Date::new(2026, 3, 1).expect("a valid date"), version: None }
}

/// The Markdown of every page to HTML, with the guard, links and footnotes.
fn markdown(c: &mut Criterion) {
    let (prepared, _) = corpus();
    let pages = pipeline::pages(&prepared);
    let body = |s| planboek::content::read_body(&prepared.source, s).map_or(0, |b| b.len());
    let bytes: usize = pages.iter().filter_map(|p| p.source()).map(body).sum();
    let mut group = c.benchmark_group("markdown");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("every page's body", |b| {
        b.iter(|| {
            for page in &pages {
                black_box(pipeline::render_body(page, &prepared, Mode::Publish));
            }
        })
    });
    group.finish();
}

/// Every page through its template, Markdown included: what stage 1 of a build does
/// before it writes.
fn pages(c: &mut Criterion) {
    let (prepared, theme) = corpus();
    let settings = settings();
    let site = settings.site(&prepared);
    let pages = pipeline::pages(&prepared);
    let navs: Vec<PlanNav> = prepared.site.plans.iter().map(render::plan_nav).collect();
    let mut group = c.benchmark_group("pages");
    group.throughput(Throughput::Elements(pages.len() as u64));
    group.bench_function("every page rendered", |b| {
        b.iter(|| {
            for page in &pages {
                let (html, _) = pipeline::render_page(page, &prepared, &theme, &site, &navs[page.plan_index]);
                black_box(html.expect("the built-in theme renders"));
            }
        })
    });
    group.throughput(Throughput::Elements(prepared.site.plans.len() as u64));
    group.bench_function("every plan's print edition", |b| {
        b.iter(|| {
            for i in 0..prepared.site.plans.len() {
                black_box(pipeline::render_print(&prepared, &theme, &site, i));
            }
        })
    });
    group.finish();
}

/// A whole `check` run (every page's Markdown and the site-wide lints, nothing written),
/// from loading on.
fn check(c: &mut Criterion) {
    let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bench-corpus");
    let settings = settings();
    c.bench_function("check run", |b| {
        b.iter_batched(
            || planboek::config::load(&root).expect("a valid planboek.toml"),
            |config| {
                let prepared = pipeline::prepare(config, ContentSource::Disk(root.clone()), None, false);
                black_box(pipeline::run(&prepared, &Sink::Discard, &settings).diagnostics)
            },
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, markdown, pages, check);
criterion_main!(benches);
