//! A section as its reader sees it, for the changes page: the rendered HTML of its body
//! (placeholders filled, guidance left out, links to sections removed for the audience
//! already plain text) reduced to its text, one block per paragraph, list item, heading,
//! table row, quote or code block. Diffing these instead of the Markdown source keeps
//! everything the reader cannot see (link targets, file names, comments, attributes) off the
//! changes page.

/// Elements whose start or end closes the block being read.
const BLOCKS: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "div",
    "section",
    "figcaption",
    "caption",
    "table",
    "ul",
    "ol",
    "hr",
    "details",
    "summary",
];

/// What a block is, so that the changes page can show it as the page does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Paragraph,
    Heading,
    Item,
    Row,
    Code,
}

impl Kind {
    fn of(element: &str) -> Kind {
        match element {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "summary" | "caption" | "dt" => Kind::Heading,
            "li" | "dd" => Kind::Item,
            "tr" => Kind::Row,
            "pre" => Kind::Code,
            _ => Kind::Paragraph,
        }
    }

    /// Its class on the changes page.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Paragraph => "p",
            Kind::Heading => "h",
            Kind::Item => "li",
            Kind::Row => "tr",
            Kind::Code => "pre",
        }
    }
}

/// One block of text as the reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Block {
    pub kind: Kind,
    pub text: String,
}

/// The text blocks of rendered HTML, in order, whitespace collapsed (except in code
/// blocks), empty ones left out. Table cells of a row are joined by ` | `.
pub fn text_blocks(html: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut pre = 0u32;
    let mut hidden = 0u32;
    // The block elements open around the text being read, innermost last.
    let mut open: Vec<Kind> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if hidden == 0 {
            push_text(&mut current, &rest[..lt], pre > 0);
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map_or("", |(_, a)| a);
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[1..end.saturating_sub(1).max(1)];
        rest = &rest[end..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match name.as_str() {
            // Never shown as text.
            "script" | "style" | "template" => {
                hidden = if closing { hidden.saturating_sub(1) } else { hidden + 1 };
                continue;
            }
            "pre" => pre = if closing { pre.saturating_sub(1) } else { pre + 1 },
            "td" | "th" if !closing && !current.trim().is_empty() => current.push_str(" | "),
            "br" => current.push(if pre > 0 { '\n' } else { ' ' }),
            _ => {}
        }
        if BLOCKS.contains(&name.as_str()) {
            let kind = open.last().copied().unwrap_or(Kind::Paragraph);
            flush(&mut blocks, &mut current, kind, pre > 0 || name == "pre");
            if closing {
                open.pop();
            } else if name != "hr" && !tag.ends_with('/') {
                open.push(Kind::of(&name));
            }
        }
    }
    if hidden == 0 {
        push_text(&mut current, rest, pre > 0);
    }
    flush(&mut blocks, &mut current, open.last().copied().unwrap_or(Kind::Paragraph), false);
    blocks
}

/// Where the tag at the start of `s` ends (after its `>`), quoted values skipped.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

fn push_text(current: &mut String, raw: &str, pre: bool) {
    let text = unescape(raw);
    if pre {
        current.push_str(&text);
        return;
    }
    for (i, word) in text.split(char::is_whitespace).enumerate() {
        if i > 0 && !current.ends_with(' ') && !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
}

fn flush(blocks: &mut Vec<Block>, current: &mut String, kind: Kind, pre: bool) {
    let text = if pre { current.trim_matches('\n').to_string() } else { current.trim().to_string() };
    if !text.trim().is_empty() {
        blocks.push(Block { kind, text });
    }
    current.clear();
}

/// HTML character references decoded: the five the writers escape, `&nbsp;`, and numeric ones.
fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&i| i < 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity.strip_prefix('#').and_then(|n| {
                match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                }
                .and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_rendered_html() {
        let html = "<h2 id=\"a\">Kop &amp; zo</h2>\n<p>Een <a href=\"geheim.html\">link</a>\nen tekst.</p>\n\
                    <ul>\n<li>één</li>\n<li>twee<ul><li>drie</li></ul></li>\n</ul>\n\
                    <table><thead><tr><th>a</th><th style=\"x>y\">b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>\n\
                    <pre><code>x  =  1\ny</code></pre><!-- geheim --><p>&#39;s &#x41;&nbsp;&bogus; a&b</p>";
        let blocks = text_blocks(html);
        let kinds: Vec<&str> = blocks.iter().map(|b| b.kind.as_str()).collect();
        assert_eq!(kinds, ["h", "p", "li", "li", "li", "tr", "tr", "pre", "p"]);
        assert_eq!(
            blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>(),
            [
                "Kop & zo",
                "Een link en tekst.",
                "één",
                "twee",
                "drie",
                "a | b",
                "1 | 2",
                "x  =  1\ny",
                "'s A &bogus; a&b"
            ]
        );
        assert!(text_blocks("<script>geheim()</script><p>x</p>").iter().all(|b| !b.text.contains("geheim")));
        assert!(text_blocks("").is_empty());
        let _ = text_blocks("<p a=\"<\" <<>>&#99999999;&#x;&");
    }
}
