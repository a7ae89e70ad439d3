//! Moves the rendered HTML of a page into another page (a section into the print edition):
//! its ids get a prefix so that sections cannot clash, links into pages that the target page
//! holds become links to anchors on it, other relative links and images are re-based onto
//! the target's folder, and headings move down to sit below the section's title.

use crate::util::html::escape_into;
use crate::util::url::{encode_path, join, percent_decode, relative, scheme};
use std::borrow::Cow;
use std::ops::Range;

/// Where a page's HTML goes and what the target page holds.
pub struct Move<'a, 'h> {
    /// Output path of the page the HTML was rendered for (`plan/04-x/a.html`).
    pub from: &'a str,
    /// Output path of the page it moves into (`plan/print.html`).
    pub to: &'a str,
    /// Put before every id (`pb-s3-`).
    pub prefix: &'a str,
    /// Added to the level of every heading (at most `<h6>`).
    pub shift: u8,
    /// The anchor prefix of a page (by output path) that the target holds; the page's own
    /// anchor is that prefix without its last `-`.
    pub holds: &'a dyn Fn(&str) -> Option<&'h str>,
}

/// `html` as it reads inside `m.to`, every tag read.
#[cfg(test)]
pub fn relocate(html: &str, m: &Move) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    relocate_into(html, None, m, &mut out);
    out
}

/// Appends `html` as it reads inside `m.to` to `out`. With `spans` (what the Markdown writer
/// noted, `markdown::Spans`) only the tags that start in them are read; without them, or
/// with spans that do not fit `html`, every tag is.
pub fn relocate_into(html: &str, spans: Option<&[Range<usize>]>, m: &Move, out: &mut String) {
    // Most of the text and most tags (`<p>`, `</em>`, `<td>`) stay as they are: they are
    // copied in runs, up to each tag that changes.
    let mut at = Cursor { copied: 0, at: 0 };
    match spans.filter(|s| fits(html, s)) {
        Some(spans) => {
            for span in spans {
                at.at = at.at.max(span.start);
                move_tags(html, span.end, m, &mut at, out);
            }
        }
        None => move_tags(html, html.len(), m, &mut at, out),
    }
    out.push_str(&html[at.copied..]);
}

/// How far a move has read its HTML, and copied it to the output.
struct Cursor {
    copied: usize,
    at: usize,
}

/// Whether `spans` are in order and apart, and start and end on characters of `html`.
fn fits(html: &str, spans: &[Range<usize>]) -> bool {
    let mut end = 0;
    spans.iter().all(|s| {
        let fits = end <= s.start && s.start <= s.end && html.is_char_boundary(s.start) && html.is_char_boundary(s.end);
        end = s.end;
        fits
    })
}

/// Moves the tags of `html` that start from `at.at` up to `until` (a tag may end beyond it),
/// copying what comes before each tag that changes.
fn move_tags(html: &str, until: usize, m: &Move, at: &mut Cursor, out: &mut String) {
    while let Some(lt) = html.get(at.at..until).and_then(|s| s.find('<')).map(|i| at.at + i) {
        let rest = &html[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at.at = lt + comment.find("-->").map_or(rest.len(), |e| e + 4 + 3);
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[..end];
        let name = tag_name(tag);
        at.at = lt + end;
        if heading(name.trim_start_matches('/')).is_some() || moves_attribute(tag) {
            out.push_str(&html[at.copied..lt]);
            rewrite_tag(tag, m, out);
            at.copied = at.at;
        }
        // Raw text elements end only at their closing tag.
        if name.starts_with(['s', 't', 'S', 'T']) && RAW_TEXT.iter().any(|raw| name.eq_ignore_ascii_case(raw)) {
            at.at += raw_text_end(&html[at.at..], name);
        }
    }
}

/// Whether `tag` has an attribute that moves (`id`, `href`, `src`); most (`<td style>`,
/// `<span class>`) have none and are copied as they are.
fn moves_attribute(tag: &str) -> bool {
    let b = tag.as_bytes();
    let named = |end: usize, name: &[u8]| {
        end > name.len()
            && b[end - name.len()..end].eq_ignore_ascii_case(name)
            && matches!(b[end - name.len() - 1], b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
    };
    b.iter().enumerate().filter(|&(_, &c)| c == b'=').any(|(i, _)| {
        // The attribute's name ends at the `=`, or before the blanks in front of it.
        let end = b[..i].iter().rposition(|c| !c.is_ascii_whitespace()).map_or(0, |p| p + 1);
        named(end, b"id") || named(end, b"href") || named(end, b"src")
    })
}

/// Elements whose content is text up to their closing tag, whatever it holds.
const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// Where the closing tag of raw text element `name` starts in `rest` (its length if none).
fn raw_text_end(rest: &str, name: &str) -> usize {
    let bytes = rest.as_bytes();
    let closes = |i: usize| {
        bytes[i + 1] == b'/'
            && bytes.get(i + 2..i + 2 + name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
    };
    (0..bytes.len().saturating_sub(1)).find(|&i| bytes[i] == b'<' && closes(i)).unwrap_or(rest.len())
}

/// The length of the tag at the start of `s` (`<…>`), quotes respected.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, &b) in s.as_bytes().iter().enumerate().skip(1) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// `a` of `<a href…>`, `/h2` of `</h2>`.
fn tag_name(tag: &str) -> &str {
    let inner = &tag[1..];
    let closing = inner.starts_with('/');
    let end = inner
        .bytes()
        .position(|b| b.is_ascii_whitespace() || b == b'>' || (b == b'/' && !closing))
        .unwrap_or(inner.len());
    &inner[..end]
}

/// Appends `tag` to `out` with its heading level, ids and URLs moved.
fn rewrite_tag(tag: &str, m: &Move, out: &mut String) {
    let name = tag_name(tag);
    let (closing, bare) = match name.strip_prefix('/') {
        Some(n) => (true, n),
        None => (false, name),
    };
    out.push('<');
    if closing {
        out.push('/');
    }
    match heading(bare) {
        Some(level) => {
            out.push('h');
            out.push(char::from(b'0' + level.saturating_add(m.shift).min(6)));
        }
        None => out.push_str(bare),
    }
    let mut rest = &tag[1 + name.len()..];
    loop {
        let ws = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..ws]);
        rest = &rest[ws..];
        let attr_len =
            rest.bytes().position(|b| b.is_ascii_whitespace() || matches!(b, b'=' | b'>' | b'/')).unwrap_or(rest.len());
        if attr_len == 0 {
            // `>`, `/>` or something odd: copy one character and go on.
            let Some(c) = rest.chars().next() else { break };
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let attr = &rest[..attr_len];
        rest = &rest[attr_len..];
        out.push_str(attr);
        let Some(after_eq) = rest.strip_prefix('=') else { continue };
        out.push('=');
        let (value, quote, len) = match after_eq.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => {
                let v = &after_eq[1..];
                let end = v.bytes().position(|b| b == q).unwrap_or(v.len());
                (&v[..end], Some(char::from(q)), end + 2)
            }
            _ => {
                let end = after_eq.bytes().position(|b| b.is_ascii_whitespace() || b == b'>').unwrap_or(after_eq.len());
                (&after_eq[..end], None, end)
            }
        };
        rest = after_eq.get(len.min(after_eq.len())..).unwrap_or("");
        let q = quote.unwrap_or('"');
        out.push(q);
        if attr.eq_ignore_ascii_case("id") {
            out.push_str(m.prefix);
            out.push_str(value);
        } else if attr.eq_ignore_ascii_case("href") || attr.eq_ignore_ascii_case("src") {
            push_href(value, m, attr.eq_ignore_ascii_case("href"), out);
        } else {
            out.push_str(value);
        }
        out.push(q);
    }
}

/// The level of a heading's tag name (`h2` → 2); None for any other tag.
fn heading(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h' | b'H', level @ b'1'..=b'6'] => Some(level - b'0'),
        _ => None,
    }
}

/// An attribute value with the character references our writers use read back.
fn unescape(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    let refs = [("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")];
    Cow::Owned(refs.iter().fold(value.to_string(), |v, (from, to)| v.replace(from, to)))
}

/// Appends an attribute's URL (still HTML-escaped) as it must read in the target page.
fn push_href(value: &str, m: &Move, may_anchor: bool, out: &mut String) {
    let raw = unescape(value);
    if let Some(fragment) = raw.strip_prefix('#') {
        out.push('#');
        escape_into(m.prefix, out);
        escape_into(fragment, out);
        return;
    }
    if raw.is_empty() || scheme(&raw).is_some() || raw.starts_with("//") || raw.starts_with('/') {
        out.push_str(value);
        return;
    }
    let (path, fragment) = raw.split_once('#').map_or((&*raw, None), |(p, f)| (p, Some(f)));
    let Some(target) = join(m.from, &percent_decode(path)) else {
        out.push_str(value);
        return;
    };
    if may_anchor {
        if let Some(prefix) = (m.holds)(&target) {
            out.push('#');
            match fragment.filter(|f| !f.is_empty()) {
                Some(f) => {
                    escape_into(prefix, out);
                    escape_into(f, out);
                }
                None => escape_into(prefix.trim_end_matches('-'), out),
            }
            return;
        }
    }
    let _ = pulldown_cmark_escape::escape_href(&mut *out, &encode_path(&relative(m.to, &target)));
    if let Some(f) = fragment {
        out.push('#');
        let _ = pulldown_cmark_escape::escape_href(&mut *out, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(html: &str) -> String {
        let holds = |out: &str| match out {
            "p/a/b.html" => Some("pb-s2-"),
            "p/index.html" => Some("pb-s0-"),
            _ => None,
        };
        let m = Move { from: "p/a/c.html", to: "p/print.html", prefix: "pb-s3-", shift: 1, holds: &holds };
        relocate(html, &m)
    }

    #[test]
    fn ids_links_images_and_headings_move() {
        let html = "<h2 id=\"doel\">Doel</h2><p>Zie <a href=\"#doel\">boven</a>, <a href=\"b.html#x\">b</a>, \
            <a href=\"b.html\">b</a>, <a href=\"../index.html\">plan</a>, <a href=\"../../q/z.html\">q</a>, \
            <a href=\"https://example.org/a?b=1&amp;c=2\">web</a> <img src=\"../img/k%20a.png\" alt=\"k > a\"></p>\
            <h6>x</h6><sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>";
        let want =
            "<h3 id=\"pb-s3-doel\">Doel</h3><p>Zie <a href=\"#pb-s3-doel\">boven</a>, <a href=\"#pb-s2-x\">b</a>, \
            <a href=\"#pb-s2\">b</a>, <a href=\"#pb-s0\">plan</a>, <a href=\"../q/z.html\">q</a>, \
            <a href=\"https://example.org/a?b=1&amp;c=2\">web</a> <img src=\"img/k%20a.png\" alt=\"k > a\"></p>\
            <h6>x</h6><sup class=\"footnote-ref\"><a href=\"#pb-s3-fn-1\" id=\"pb-s3-fnref-1\">1</a></sup>";
        assert_eq!(moved(html), want);
    }

    #[test]
    fn only_tags_with_ids_links_or_sources_change() {
        let html = "<td style=\"text-align: left\">a=b</td><p data-id=\"x\" title=\"id=y\">\
            <img/src=\"../img/k.png\"><a HREF=\"b.html\">b</a><span\tid=z>";
        let want = "<td style=\"text-align: left\">a=b</td><p data-id=\"x\" title=\"id=y\">\
            <img/src=\"img/k.png\"><a HREF=\"#pb-s2\">b</a><span\tid=\"pb-s3-z\">";
        assert_eq!(moved(html), want);
    }

    /// The Markdown texts the spans are checked on, one piece each, put together in pairs:
    /// every piece that a move changes, and those beside which the writer's output is
    /// easiest to misread (tables, code, alt text, entities).
    const PIECES: [&str; 24] = [
        "# Doel {#doel .x}\n\nTekst *nadruk* en **sterk**.",
        "## Kop met [link](../01-b.md \"titel & \\\"aanhalingen\\\"\") en `code`\n",
        "Zie [b](c.md#anker), [c](c.md) en [plan](../_index.md) en [hier](#doel).",
        "[web](https://example.org/a?b=1&c=2 'met &amp; titel') en <https://example.nl> en <naam@domein.nl>",
        "![kaart *met* nadruk](../img/kaart.png \"de kaart\") en ![ver](https://example.org/k.png)",
        "[![kaart](../img/kaart.png)](../01-b.md)",
        "| a | b |\n|:--|--:|\n| [c](c.md) | ![k](../img/kaart.png) |\n| `x` | y[^n] |",
        "Noot[^n] en nog een[^m] en weer[^n].\n\n[^n]: De noot met [link](c.md) en een tabel:\n\n    | a |\n    |---|\n    | b |\n\n[^m]: Twee.",
        "```rust id=x\n<a id=\"y\" href=\"z\">\n```\n\n    ingesprongen <h2>\n",
        "- [x] af\n- [ ] open met [link](c.md)\n\n3. drie\n4. vier",
        "> citaat met [link](c.md)\n>\n> ## kop in citaat",
        "Tekst &lt;a id=\"x\"&gt; &amp; &#60;b&#62; en 5 < 6 > 4 en a=b id=c",
        "<NAAM GROEP> en <Beschrijf de aanpak> en [ja] of [nee]",
        "### <NAAM GROEP> {#groep}\n\nMet ~~doorgehaald~~ en een\\\nharde regel.",
        "Een [kapotte link](nergens.md) en een [weg](../geheim.md).",
        "---\n\nSetext kop\n==========\n\nNog een\n-------",
        "[ref]: c.md \"Ref titel\"\n\nZie [ref] en [tekst][ref].",
        "Bijlage: [pdf](bijlage.pdf#page=2) en [map](../04-x/).",
        "#### Vier\n\n##### Vijf\n\n###### Zes {#zes data-x=\"a id=b\"}",
        "Een lange alinea met *veel* **opmaak**, `code &lt;`, [een link](c.md) en nog een regel\nna een zachte breuk.",
        "1. lijst\n   - genest met [link](c.md#kop)\n     | t |\n     |---|\n     | u |",
        "Tekst[^x]\n\n[^x]: Noot met ![beeld](../img/kaart.png) en [^y].\n\n[^y]: Noot in noot.",
        "É én ü — “aanhalingen” en [ünïcode](c.md#kóp)",
        "",
    ];

    /// A move of `plan/04-x/a.html` into `plan/print.html`, which holds the plan's pages.
    fn into_print(html: &str, spans: Option<&[Range<usize>]>) -> String {
        let holds = |out: &str| match out {
            "plan/index.html" => Some("pb-s0-"),
            "plan/01-b.html" => Some("pb-s1-"),
            "plan/04-x/c.html" => Some("pb-s3-"),
            _ => None,
        };
        let m = Move { from: "plan/04-x/a.html", to: "plan/print.html", prefix: "pb-s4-", shift: 1, holds: &holds };
        let mut out = String::new();
        relocate_into(html, spans, &m, &mut out);
        out
    }

    #[test]
    fn moving_at_the_writers_spans_is_moving_every_tag() {
        use crate::markdown::{tests::Page, Mode};
        let mut pages = [Page::new(), Page::new(), Page::new()];
        pages[1].mode = Mode::Preview;
        pages[2].allow_remote_images = true;
        for (a, b) in PIECES.iter().flat_map(|a| PIECES.iter().map(move |b| (a, b))) {
            for page in &pages {
                let text = format!("{a}\n\n{b}\n");
                let r = page.render(&text);
                let spans = r.spans.as_deref().unwrap_or_else(|| panic!("no spans for {text:?}"));
                assert_eq!(into_print(&r.html, Some(spans)), into_print(&r.html, None), "{text:?}\n{}", r.html);
            }
        }
    }

    #[test]
    fn a_page_with_raw_html_has_no_spans_and_is_read_whole() {
        use crate::markdown::tests::Page;
        let mut page = Page::new();
        let text = "<div id=\"x\"><a href=\"c.html\">c</a></div>\n\nTekst <span id=\"y\">y</span> [c](c.md)";
        for allowed in [false, true] {
            page.allow_raw_html = allowed;
            let r = page.render(text);
            assert!(r.spans.is_none(), "{allowed}");
            assert!(into_print(&r.html, None).contains("#pb-s3"), "{}", r.html);
        }
    }

    #[test]
    fn spans_that_do_not_fit_are_not_trusted() {
        let html = "<p>é<a href=\"c.html\">c</a></p><h2 id=\"k\">k</h2>";
        let whole = into_print(html, None);
        assert!(whole.contains("#pb-s3") && whole.contains("<h3 id=\"pb-s4-k\">"), "{whole}");
        let spans = |bounds: &[(usize, usize)]| bounds.iter().map(|&(a, b)| a..b).collect::<Vec<_>>();
        for wrong in [spans(&[(4, 5)]), spans(&[(0, 200)]), spans(&[(20, 30), (0, 5)]), spans(&[(9, 3)])] {
            assert_eq!(into_print(html, Some(&wrong)), whole, "{wrong:?}");
        }
        // Spans that fit are trusted: a tag outside them stays as it is.
        assert_eq!(
            into_print(html, Some(&spans(&[(31, 48)]))),
            "<p>é<a href=\"c.html\">c</a></p><h3 id=\"pb-s4-k\">k</h3>"
        );
    }

    #[test]
    fn text_comments_and_raw_text_stay() {
        let html = "<p>a &lt;b id=&quot;x&quot;&gt;</p><!-- <a id=\"c\"> --><style>p > a { }</style><br/>";
        assert_eq!(moved(html), html);
    }
}
