//! Where, in a page's HTML, the tags are that change when the page is moved into another one
//! (its print edition, `render::relocate`): headings, and tags with an `id`, `href` or `src`.
//! The HTML writer notes them as it writes each event, so that the move splices at those
//! spans instead of reading every tag of the page, which was most of its cost.

use pulldown_cmark::{Event, Tag, TagEnd};
use std::cell::Cell;
use std::fmt;
use std::ops::Range;

/// Byte ranges of a page's HTML, in order and apart, that hold every tag a move may change.
/// Outside them is only what the writer makes of Markdown itself: text and attribute values
/// escaped (no `<` but a tag's own), and tags (`<p>`, `<td style="…">`, `<code class="…">`)
/// whose attributes are quoted and none of them an id, a link or a source. A tag may start in
/// a span and end after it (`<img src="…" alt="…" />`, whose alt text is written later).
pub type Spans = Vec<Range<usize>>;

/// `events` written as HTML (as `pulldown_cmark::html::push_html` writes them), with the
/// spans of the events that may write a tag a move changes.
pub fn write_html<'a>(events: impl Iterator<Item = Event<'a>>, capacity: usize) -> (String, Spans) {
    let mut html = String::with_capacity(capacity);
    let mut spans = Spans::new();
    let written = Cell::new(0);
    // The writer takes the next event only once it has written the one before, so what is
    // written when an event is taken is where the previous event's output ends.
    let mut open: Option<usize> = None;
    let noted = events.inspect(|event| {
        let at = written.get();
        if let Some(start) = open.take() {
            push(&mut spans, start..at);
        }
        if may_move(event) {
            open = Some(at);
        }
    });
    // Writing into a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(Counted { html: &mut html, written: &written }, noted);
    if let Some(start) = open {
        push(&mut spans, start..html.len());
    }
    (html, spans)
}

/// A span added after the others, joined to the last when they touch.
fn push(spans: &mut Spans, span: Range<usize>) {
    if span.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some(last) if last.end == span.start => last.end = span.end,
        _ => spans.push(span),
    }
}

/// Whether the writer's output for `event` may hold a tag that a move changes. Only events
/// whose output is known to hold none are false: anything new (an option turned on later,
/// a newer pulldown-cmark) is read as the whole page used to be.
#[inline]
fn may_move(event: &Event) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::Rule
        | Event::TaskListMarker(_) => false,
        // A link's or an image's start holds what a move changes; its end does not.
        Event::Start(tag) => matches!(tag, Tag::Link { .. } | Tag::Image { .. }) || !holds_none(&tag.to_end()),
        Event::End(end) => !holds_none(end),
        _ => true,
    }
}

/// Whether the writer's output for the end of a tag (and for its start, but for links and
/// images) is known to hold no tag that a move changes.
#[inline]
fn holds_none(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Moves `spans` over text inserted into their HTML afterwards: `inserted` holds, in order,
/// where (in the HTML before) and how many bytes went in. Text inserted where a span starts
/// goes before it.
pub fn shift(spans: &mut Spans, inserted: &[(usize, usize)]) {
    let moved = |at: usize, before: &dyn Fn(usize) -> bool| -> usize {
        at + inserted.iter().take_while(|(p, _)| before(*p)).map(|(_, n)| n).sum::<usize>()
    };
    for span in spans.iter_mut() {
        let (start, end) = (span.start, span.end);
        *span = moved(start, &|p| p <= start)..moved(end, &|p| p < end);
    }
}

/// A `String` that tells how much has been written into it.
struct Counted<'a> {
    html: &'a mut String,
    written: &'a Cell<usize>,
}

impl fmt::Write for Counted<'_> {
    // Inlined into the writer as `String`'s own is: it is called for every piece of text.
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.html.push_str(s);
        self.written.set(self.html.len());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{CowStr, Parser};

    /// The text of each span of `markdown`'s HTML, which must be pulldown-cmark's own.
    fn written(markdown: &str) -> Vec<String> {
        let (html, spans) = write_html(Parser::new_ext(markdown, super::super::options()), 0);
        let mut plain = String::new();
        pulldown_cmark::html::push_html(&mut plain, Parser::new_ext(markdown, super::super::options()));
        assert_eq!(html, plain, "the same HTML as pulldown-cmark's own writer");
        spans.into_iter().map(|s| html[s].to_string()).collect()
    }

    #[test]
    fn headings_links_and_images_are_spanned() {
        let spans = written(
            "# Doel {#doel .x}\n\nZie [b](b.html \"t &amp; u\") en ![k *a*](k.png \"kaart\").\n\n| a |\n|---|\n| [c](c.html) |\n",
        );
        assert_eq!(
            spans,
            [
                "<h1 id=\"doel\" class=\"x\">",
                "</h1>\n",
                "<a href=\"b.html\" title=\"t &amp; u\">",
                "<img src=\"k.png\" alt=\"",
                "<a href=\"c.html\">"
            ]
        );
    }

    #[test]
    fn raw_html_and_footnotes_are_spanned() {
        let events = vec![
            Event::Start(Tag::Paragraph),
            Event::Text("a".into()),
            Event::InlineHtml(CowStr::Borrowed("<sup><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>")),
            Event::Html(CowStr::Borrowed("<div>")),
            Event::FootnoteReference("x".into()),
            Event::End(TagEnd::Paragraph),
        ];
        let (html, spans) = write_html(events.into_iter(), 0);
        let texts: Vec<&str> = spans.iter().map(|s| &html[s.clone()]).collect();
        assert_eq!(
            texts,
            ["<sup><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup><div><sup class=\"footnote-reference\"><a href=\"#x\">1</a></sup>"]
        );
    }

    #[test]
    fn text_lists_tables_and_code_are_not() {
        let spans = written("*a* **b** `c`\n\n- [x] d\n\n1. e\n\n```rust id=x\nf\n```\n\n---\n\n> g\n");
        assert!(spans.is_empty(), "{spans:?}");
    }

    #[test]
    fn spans_shift_over_inserted_text() {
        let mut spans = vec![0..2, 5..8, 10..12];
        shift(&mut spans, &[(5, 3), (8, 1), (11, 2)]);
        assert_eq!(spans, [0..2, 8..11, 14..18]);
    }
}
