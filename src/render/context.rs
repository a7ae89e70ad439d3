//! What the pages are given: the context of every page, of the pages inside a plan and of a
//! print edition, as Tera sees it and as the pages written in code (`frame`, `overview`,
//! `print_frame`) read it.

use super::dashboard::{Dashboard, TimelineItem};
use super::nav::Link;
use super::site::SiteInfo;
use super::theme::Theme;
use super::version::CHANGES_PAGE;
use super::views::{DateView, PlanView, SectionView};
use crate::commitments::Counts;
use crate::diag::Diagnostic;
use crate::i18n::strings;
use crate::markdown::Mode;
use crate::model::Section;
use crate::util::url::slash_path;
use serde::Serialize;
use serde_json::Value;
use tera::Context;

/// The context keys of every page.
#[derive(Serialize)]
pub(super) struct Common<'a> {
    /// `home`, `plan`, `section` or `not-found`.
    pub(super) kind: &'static str,
    pub(super) lang: &'static str,
    /// Leads from the page to the output root: `""`, `"../"`, `"../../"`, ….
    pub(super) root: &'a str,
    pub(super) site_title: &'a str,
    /// The page's title, as in `<title>` and `<h1>`.
    pub(super) title: &'a str,
    /// The UI strings; absent when every template use was replaced at load (`i18n::localize`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) t: Option<&'a Value>,
    pub(super) preview: bool,
    pub(super) build_date: DateView,
    pub(super) audience: &'static str,
    pub(super) audience_label: &'static str,
    /// In a versioned handbook: the version's folder name, for the version bar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) version: Option<&'a str>,
}

impl<'a> Common<'a> {
    pub(super) fn new(theme: &Theme, site: &'a SiteInfo, kind: &'static str, root: &'a str, title: &'a str) -> Self {
        let t = strings(site.config.language);
        let lang = site.config.language;
        Common {
            kind,
            lang: lang.code(),
            root,
            site_title: &site.config.title,
            title,
            t: theme.uses_strings().then(|| t.value()),
            preview: site.mode == Mode::Preview,
            build_date: DateView::new(lang, site.today),
            audience: site.audience.as_str(),
            audience_label: t.classification(site.audience),
            version: site.version.map(|v| v.slug.as_str()),
        }
    }
}

/// The context keys of a page inside a plan (overview or section).
#[derive(Serialize)]
pub(super) struct InPlan<'a> {
    #[serde(flatten)]
    pub(super) common: Common<'a>,
    pub(super) plan: PlanView<'a>,
    /// Leads from the page to the plan folder; nav hrefs are relative to that folder.
    pub(super) plan_root: &'a str,
    /// This page's href relative to the plan folder.
    pub(super) current: &'a str,
    /// The plan's sections as nested `<ul>`, this page marked `aria-current="page"` (`| safe`).
    pub(super) nav_html: String,
    pub(super) has_sections: bool,
    /// The page is a draft (of a draft plan or section): shown only in previews and `--drafts` builds.
    pub(super) draft: bool,
    /// The `@page` rules with the plan, the page's classification and the version in every
    /// printed page's margins (`| safe`; see `site::page_css`).
    pub(super) page_css: String,
    /// Home, the plan and parent sections; not the page itself.
    pub(super) crumbs: Vec<Link>,
    pub(super) prev: Option<Link>,
    pub(super) next: Option<Link>,
    /// The on-page table of contents as a nested `<ul>` (`| safe`); see `has_toc`.
    pub(super) toc_html: String,
    pub(super) has_toc: bool,
    /// The id of the body's own leading `#` heading when it became the title (left out of
    /// `body`), which the page's `<h1>` takes over.
    pub(super) h1_id: Option<&'a str>,
    /// The page's Markdown as HTML (the only value inserted with `| safe`). Test `has_body`,
    /// not `body`: Tera escapes a value just to test it.
    pub(super) body: &'a str,
    pub(super) has_body: bool,
    pub(super) section: Option<SectionView<'a>>,
    /// Versioned builds: when (and by whom, if shown) the section's file last changed.
    pub(super) last_changed: Option<LastChanged<'a>>,
    /// Versioned builds: this section's entry on its version's changes page.
    pub(super) changes_href: Option<String>,
    /// The plan overview: its actions' figures and next deadlines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) dashboard: Option<Dashboard<'a>>,
    /// The plan overview: its timeline as SVG (`| safe`) and as a list (see timeline.html).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) timeline_svg: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) timeline: Option<Vec<TimelineItem>>,
}

/// The last commit that touched a section's file.
#[derive(Serialize)]
pub(super) struct LastChanged<'a> {
    pub(super) date: DateView,
    pub(super) author: Option<&'a str>,
}

impl<'a> LastChanged<'a> {
    /// The history of `section` in its version, with the prefix to the version root.
    pub(super) fn of(
        site: &SiteInfo<'a>,
        section: Option<&Section>,
        root: &str,
    ) -> (Option<LastChanged<'a>>, Option<String>) {
        let (Some(version), Some(src)) = (site.version, section.and_then(|s| s.source.as_ref())) else {
            return (None, None);
        };
        let path = slash_path(&src.path);
        let last = version.last_changes.get(&path).map(|c| LastChanged {
            date: DateView::new(site.config.language, c.date),
            author: version.show_authors.then_some(c.author.as_str()),
        });
        let href = version.diffs.get(&path).map(|a| format!("{root}{CHANGES_PAGE}#{a}"));
        (last, href)
    }
}

/// A section in the edition's table of contents.
#[derive(Serialize)]
pub(super) struct ContentsEntry<'a> {
    pub(super) id: String,
    pub(super) title: &'a str,
    /// The heading level of the title: 2 for a top-level section, one more per level down.
    pub(super) level: u8,
}

/// What `print.html` is given.
#[derive(Serialize)]
pub(super) struct PrintPage<'a> {
    #[serde(flatten)]
    pub(super) common: Common<'a>,
    pub(super) plan: PlanView<'a>,
    /// The highest classification of what the edition holds, which paper must carry.
    pub(super) marking: &'static str,
    pub(super) marking_label: &'static str,
    /// The `@page` rules that put the plan's title and marking on every printed page (`| safe`).
    pub(super) page_css: String,
    /// Where the overview's text and the sections go (`| safe`): a mark replaced after
    /// rendering by `print_parts::push_parts`.
    pub(super) parts: &'static str,
    pub(super) sections: Vec<ContentsEntry<'a>>,
    /// The action register's header row and rows (`| safe`).
    pub(super) register_head: String,
    pub(super) register_rows: String,
    pub(super) has_register: bool,
    pub(super) counts: Counts,
    pub(super) timeline_svg: String,
    pub(super) timeline: Vec<TimelineItem>,
}

/// Serializes a page's context once.
pub(super) fn context<T: Serialize>(cx: &T) -> Result<Context, Diagnostic> {
    Context::from_serialize(cx).map_err(|e| {
        Diagnostic::new(crate::diag::lints::THEME, super::theme::BUILTIN, 0, 0, format!("cannot build the page: {e}"))
    })
}
