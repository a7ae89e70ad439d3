//! The event transform between the parser and the HTML writer: heading ids, links and
//! images, paragraphs left empty by removed guidance. Blanks are in `expand.rs`, footnotes
//! in `footnotes.rs`.

use super::blanks::{normalize, Blank};
use super::guard::Guard;
use super::html_state::HtmlState;
use super::ids::{heading_id, Ids};
use super::links::{self, Target};
use super::notes::Footnotes;
use super::position::Positions;
use super::{AnchorRef, Heading, Mode, PageTitle, RenderContext};
use crate::diag::{lints, Diagnostic, Lint};
use crate::util::url::is_remote;
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};
use std::ops::Range;

/// A heading being read: where its start event sits in the output, and its plain text.
struct OpenHeading<'a> {
    at: usize,
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    start: usize,
    /// Nothing was written before it: it opens the body.
    leading: bool,
    /// It holds text that a title taken from it would show (`first_heading`'s rule).
    titled: bool,
}

/// What a link or image URL comes to.
enum Followed<'a> {
    /// Kept, as this URL.
    Keep(CowStr<'a>),
    /// Its target does not exist (a broken link, shown marked in preview).
    Missing,
    /// Refused: an unsafe scheme or a section left out for the audience.
    Drop,
}

/// What became of a link's start, so its end does the same.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Kept,
    Dropped,
    /// A broken link in preview: a marked span instead of `<a>`.
    Span,
}

/// What became of an image's start, so its end does the same.
enum ImageFate {
    /// Kept: where its events start in `out` and in the source.
    Kept(usize, usize),
    /// A remote image shown as a link to it: where the link's text starts in `out`, and
    /// its address.
    AsLink(usize, String),
    /// Left out; its alt text stays as plain text.
    Dropped,
}

/// The state of one section's rendering; `out` feeds `pulldown_cmark::html::push_html`.
pub struct Transform<'a, 'c> {
    pub cx: &'c RenderContext<'c>,
    /// The original text, for restoring blanks to what the editor wrote.
    pub text: &'c str,
    /// The text as parsed, blanks replaced by markers.
    pub src: &'c str,
    pub blanks: &'c [Blank],
    pub pos: Positions<'c>,
    pub out: Vec<Event<'a>>,
    pub diagnostics: Vec<Diagnostic>,
    pub headings: Vec<Heading>,
    pub assets: Vec<String>,
    pub anchors: Vec<AnchorRef>,
    /// The id of the leading heading that became the page's title, left out of the HTML.
    pub title_id: Option<String>,
    /// The page's title comes from its first non-empty `#` heading, which is still to come.
    title_pending: bool,
    pub ids: Ids,
    pub notes: Footnotes<'a>,
    /// Whether the source held raw HTML (so the output must be sanitized).
    pub raw_html: bool,
    /// Plain text of the heading being read, if any.
    pub heading_text: Option<String>,
    /// Inside the alt text of a kept image, which the writer prints as an attribute.
    pub in_alt: u32,
    /// Output index of the open paragraph's start.
    para: Option<usize>,
    /// Guidance was met since the open paragraph or heading started (paragraphs and headings
    /// never nest, so one flag serves both).
    pub guidance_met: bool,
    /// Where the reader of the current HTML block is.
    pub html: HtmlState,
    heading: Option<OpenHeading<'a>>,
    links: Vec<Fate>,
    /// Per open image, what became of it.
    images: Vec<ImageFate>,
    pub code_block: bool,
    /// The personal-data guard, in a section the pipeline has it checked (`personal.rs`).
    pub guard: Option<Guard>,
}

impl<'a, 'c> Transform<'a, 'c> {
    pub fn new(cx: &'c RenderContext<'c>, text: &'c str, src: &'c str, blanks: &'c [Blank], ids: Ids) -> Self {
        Transform {
            cx,
            text,
            src,
            blanks,
            pos: Positions::new(text, cx.body_line),
            out: Vec::with_capacity(text.len() / 16),
            diagnostics: Vec::new(),
            headings: Vec::new(),
            assets: Vec::new(),
            anchors: Vec::new(),
            title_id: None,
            title_pending: cx.title == PageTitle::FirstHeading,
            ids,
            notes: Footnotes::default(),
            raw_html: false,
            heading_text: None,
            in_alt: 0,
            para: None,
            guidance_met: false,
            html: HtmlState::default(),
            heading: None,
            links: Vec::new(),
            images: Vec::new(),
            code_block: false,
            guard: cx.privacy.map(|_| Guard::default()),
        }
    }

    /// Inside a link, where no other link may start.
    pub fn in_link(&self) -> bool {
        !self.links.is_empty()
    }

    /// Handles one parser event at `range` of the rewritten source.
    pub fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        let Some((event, range)) = self.notes.set_aside(event, range) else { return };
        if self.title_pending {
            if let Some(h) = &mut self.heading {
                h.titled |= super::title_text(&event).is_some_and(|t| !t.trim().is_empty());
            }
        }
        self.guard_event(&event, &range);
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(end) => self.end(end),
            Event::Text(text) if self.code_block => {
                let verbatim = text.len() == range.len();
                let text = self.restore(text);
                self.push_text(text, range.start, verbatim);
            }
            Event::Text(text) => self.text(text, range),
            Event::Code(code) => {
                let code = self.restore(code);
                self.heading_plain(&code);
                self.out.push(Event::Code(code));
            }
            Event::Html(html) => self.raw(html, range.start, true),
            Event::InlineHtml(html) => self.raw(html, range.start, false),
            Event::FootnoteReference(label) => self.footnote_ref(&label),
            Event::SoftBreak | Event::HardBreak => {
                self.heading_plain(" ");
                self.out.push(event);
            }
            other => self.out.push(other),
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Heading { level, id, classes, attrs } => {
                let id = id.map(|id| self.restore(id));
                let (mut classes, mut attrs) = (classes, attrs);
                if !self.blanks.is_empty() {
                    classes = classes.into_iter().map(|c| self.restore(c)).collect();
                    attrs = attrs.into_iter().map(|(k, v)| (self.restore(k), v.map(|v| self.attribute(v)))).collect();
                }
                let leading = self.out.is_empty();
                let (at, start) = (self.out.len(), range.start);
                self.heading = Some(OpenHeading { at, level, id, classes, attrs, start, leading, titled: false });
                self.heading_text = Some(String::new());
                self.guidance_met = false;
                // A stand-in, replaced once the heading's text (and so its id) is known.
                self.out.push(Event::Text(CowStr::Borrowed("")));
            }
            Tag::Paragraph => {
                self.para = Some(self.out.len());
                self.guidance_met = false;
                self.out.push(Event::Start(Tag::Paragraph));
            }
            Tag::Link { link_type, dest_url, title, id } => {
                let title = self.attribute(title);
                let fate = match self.follow(link_type, dest_url, range.start, "link") {
                    Followed::Keep(dest_url) if is_remote(&dest_url) && self.in_alt == 0 => {
                        self.out.push(external_link(&dest_url, &title));
                        Fate::Kept
                    }
                    Followed::Keep(dest_url) => {
                        self.out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                        Fate::Kept
                    }
                    Followed::Missing if self.cx.mode == Mode::Preview => {
                        self.out.push(Event::InlineHtml(CowStr::Borrowed("<span class=\"pb-broken-link\">")));
                        Fate::Span
                    }
                    Followed::Missing | Followed::Drop => Fate::Dropped,
                };
                self.links.push(fate);
            }
            Tag::Image { link_type, dest_url, title, id } => {
                let title = self.attribute(title);
                let kept = match self.follow(link_type, dest_url, range.start, "image") {
                    Followed::Keep(dest_url)
                        if is_remote(&dest_url) && !self.cx.allow_remote_images && self.in_alt == 0 =>
                    {
                        self.remote_image(&dest_url, range.start);
                        self.out.push(external_link(&dest_url, &title));
                        ImageFate::AsLink(self.out.len(), dest_url.into_string())
                    }
                    Followed::Keep(dest_url) => {
                        self.out.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
                        self.in_alt += 1;
                        ImageFate::Kept(self.out.len(), range.start)
                    }
                    // Without its image, the alt text stays as plain text.
                    Followed::Missing | Followed::Drop => ImageFate::Dropped,
                };
                self.images.push(kept);
            }
            Tag::CodeBlock(kind) => {
                self.code_block = true;
                let kind = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => {
                        pulldown_cmark::CodeBlockKind::Fenced(self.restore(info))
                    }
                    indented => indented,
                };
                self.out.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Tag::HtmlBlock => {
                self.html = HtmlState::default();
                self.out.push(Event::Start(Tag::HtmlBlock));
            }
            other => self.out.push(Event::Start(other)),
        }
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::Heading(level) => self.end_heading(level),
            TagEnd::Paragraph => self.end_paragraph(),
            TagEnd::Link => match self.links.pop() {
                Some(Fate::Kept) => self.out.push(Event::End(TagEnd::Link)),
                Some(Fate::Span) => self.out.push(Event::InlineHtml(CowStr::Borrowed("</span>"))),
                _ => {}
            },
            TagEnd::Image => match self.images.pop() {
                Some(ImageFate::Kept(at, start)) => {
                    self.in_alt = self.in_alt.saturating_sub(1);
                    if !self.out.get(at..).unwrap_or_default().iter().any(shows_text) {
                        let msg = "image without alt text; screen-reader users will not know what it shows".into();
                        self.report(
                            lints::IMAGE_NO_ALT,
                            start,
                            msg,
                            Some("describe the image: ![description](file.png)".into()),
                        );
                    }
                    self.out.push(Event::End(TagEnd::Image));
                }
                Some(ImageFate::AsLink(at, url)) => {
                    if !self.out.get(at..).unwrap_or_default().iter().any(shows_text) {
                        // A link needs a name; without alt text, the address is it.
                        self.out.push(Event::Text(url.into()));
                    }
                    self.out.push(Event::End(TagEnd::Link));
                }
                _ => {}
            },
            TagEnd::CodeBlock => {
                self.code_block = false;
                self.out.push(Event::End(end));
            }
            other => self.out.push(Event::End(other)),
        }
    }

    fn end_heading(&mut self, level: HeadingLevel) {
        let text = normalize(&self.heading_text.take().unwrap_or_default());
        let Some(h) = self.heading.take() else {
            self.out.push(Event::End(TagEnd::Heading(level)));
            return;
        };
        // The page shows its title itself: the first `#` heading with text when that is the
        // title (`first_heading`), or one that repeats the front matter's title.
        let is_title = level == HeadingLevel::H1
            && match self.cx.title {
                PageTitle::FirstHeading => self.title_pending && h.titled,
                PageTitle::Set(title) => h.leading && text.split_whitespace().eq(title.split_whitespace()),
            };
        self.title_pending &= !is_title;
        if self.left_empty(h.at) {
            // A heading that only held guidance would be an empty landmark.
            self.out.truncate(h.at);
            return;
        }
        let id = match h.id {
            Some(id) => id.into_string(),
            None => self.ids.claim(&heading_id(&text)),
        };
        let line = self.pos.line(Positions::orig(self.blanks, h.start));
        if is_title && h.leading {
            self.out.truncate(h.at);
            self.title_id = Some(id.clone());
            self.headings.push(Heading { level: h.level as u8, id, text, line });
            return;
        }
        let attrs = if self.cx.allow_raw_html {
            h.attrs
        } else {
            // `{onclick=…}` would be an event handler; only harmless attributes stay.
            h.attrs
                .into_iter()
                .filter(|(k, _)| matches!(k.to_ascii_lowercase().as_str(), "lang" | "dir" | "title"))
                .collect()
        };
        let start = Tag::Heading { level, id: Some(CowStr::from(id.clone())), classes: h.classes, attrs };
        if let Some(slot) = self.out.get_mut(h.at) {
            *slot = Event::Start(start);
        }
        self.out.push(Event::End(TagEnd::Heading(level)));
        self.headings.push(Heading { level: h.level as u8, id, text, line });
    }

    /// Closes a paragraph, or drops it when removed guidance left nothing but punctuation.
    fn end_paragraph(&mut self) {
        if let Some(at) = self.para.take() {
            if self.left_empty(at) {
                self.out.truncate(at);
                return;
            }
        }
        self.out.push(Event::End(TagEnd::Paragraph));
    }

    /// Whether the element opened at output index `at` held guidance that publishing
    /// removed, and nothing else but punctuation (`<Beschrijf …>.`).
    fn left_empty(&self, at: usize) -> bool {
        let rest = self.out.get(at + 1..).unwrap_or_default();
        self.guidance_met && self.cx.mode == Mode::Publish && rest.iter().all(is_filler)
    }

    /// The URL a link or image keeps, or why it goes.
    fn follow(&mut self, kind: LinkType, url: CowStr<'a>, start: usize, what: &str) -> Followed<'a> {
        let url = self.restore(url);
        if kind == LinkType::Email || self.in_alt > 0 {
            return Followed::Keep(url);
        }
        let cx = self.cx;
        match links::resolve(&url, cx.links, cx.source_rel, cx.page_out) {
            Target::Keep => {
                if let Some(fragment) = url.strip_prefix('#').filter(|f| !f.is_empty()) {
                    self.anchor(cx.page_out.to_string(), fragment, start);
                }
                Followed::Keep(url)
            }
            Target::Page(href) => {
                if let Some((path, fragment)) = href.split_once('#').filter(|(_, f)| !f.is_empty()) {
                    let page = links::target_page(cx.page_out, path).unwrap_or_default();
                    self.anchor(page, fragment, start);
                }
                Followed::Keep(href.into())
            }
            Target::Asset { href, rel } => {
                if !self.assets.contains(&rel) {
                    self.assets.push(rel);
                }
                Followed::Keep(href.into())
            }
            Target::Unsafe(scheme) => {
                let msg =
                    format!("{what} with a `{scheme}:` URL removed; only http, https, mailto and tel are allowed");
                self.report(lints::UNSAFE_URL, start, msg, None);
                Followed::Drop
            }
            Target::Removed => {
                let msg = format!("{what} to `{url}` leads to a section left out of this build; shown as plain text");
                self.report(lints::LINK_TO_REMOVED, start, msg, None);
                Followed::Drop
            }
            Target::Broken(resolved) => {
                let (msg, help) = match resolved {
                    Some(path) => (
                        format!("{what} target `{url}` does not exist"),
                        format!("looked for content/{path}; paths are relative to this file"),
                    ),
                    None => (
                        format!("{what} target `{url}` lies outside content/"),
                        "too many `../` in the path".to_string(),
                    ),
                };
                self.report(lints::BROKEN_LINK, start, msg, Some(help));
                Followed::Missing
            }
        }
    }

    /// Warns that a remote image is shown as a link: loading it would tell its host who
    /// reads which plan.
    fn remote_image(&mut self, url: &str, start: usize) {
        let msg =
            format!("remote image `{url}` shown as a link: loading it would tell that server who reads this page");
        let help = "copy the image into the plan folder and link it there, or set `allow_remote_images = true` \
                    in planboek.toml";
        self.report(lints::REMOTE_IMAGE, start, msg, Some(help.into()));
    }

    /// Records a link to `#fragment` of `page`, for the anchor check once all pages are known.
    fn anchor(&mut self, page: String, fragment: &str, start: usize) {
        let (line, column) = self.pos.line_col(Positions::orig(self.blanks, start));
        self.anchors.push(AnchorRef {
            page,
            fragment: crate::util::url::percent_decode(fragment).into_owned(),
            line,
            column,
        });
    }

    /// Adds a finding at offset `start` of the rewritten source.
    pub fn report(&mut self, lint: Lint, start: usize, msg: String, help: Option<String>) {
        self.report_orig(lint, Positions::orig(self.blanks, start), msg, help);
    }

    /// Adds a finding at offset `orig` of the original text.
    pub fn report_orig(&mut self, lint: Lint, orig: usize, msg: String, help: Option<String>) {
        let (line, column) = self.pos.line_col(orig);
        let d = Diagnostic::new(lint, self.cx.file, line, column, msg);
        self.diagnostics.push(match help {
            Some(help) => d.with_help(help),
            None => d,
        });
    }

    /// Adds to the plain text of the heading being read.
    pub fn heading_plain(&mut self, s: &str) {
        if let Some(text) = &mut self.heading_text {
            text.push_str(s);
        }
    }
}

/// The start of a link to another site: the reader's address is not sent along
/// (`noreferrer`), and the page opened cannot reach back into this one (`noopener`).
fn external_link<'a>(url: &str, title: &str) -> Event<'a> {
    let mut a = String::with_capacity(url.len() + 48);
    a.push_str("<a href=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut a, url);
    if !title.is_empty() {
        a.push_str("\" title=\"");
        crate::util::html::escape_into(title, &mut a);
    }
    a.push_str("\" rel=\"noreferrer noopener\">");
    Event::InlineHtml(a.into())
}

fn shows_text(event: &Event) -> bool {
    match event {
        Event::Text(t) | Event::Code(t) => !t.trim().is_empty(),
        _ => false,
    }
}

/// Output that shows nothing worth a paragraph: breaks, blanks and punctuation (`.` after
/// `<Beschrijf …>.`).
fn is_filler(event: &Event) -> bool {
    match event {
        Event::Text(t) => {
            t.chars().all(|c| c.is_whitespace() || c.is_ascii_punctuation() || matches!(c, '…' | '–' | '—'))
        }
        Event::SoftBreak | Event::HardBreak => true,
        _ => false,
    }
}
