//! The plain text of a rendered page body: what a reader sees, with the headings marked, so
//! that the index and the excerpts come from text and never carry markup.

/// A heading of the body: its id and where its text lies in `PageText::text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub id: String,
    pub level: u8,
    /// Byte range of the heading's text.
    pub start: usize,
    pub end: usize,
}

/// A page body as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageText {
    pub text: String,
    pub heads: Vec<Head>,
}

/// Whether the text breaks after element `name` (lower case), so that words of adjacent
/// blocks do not join.
fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"div"
            | b"li"
            | b"ul"
            | b"ol"
            | b"dl"
            | b"dt"
            | b"dd"
            | b"td"
            | b"th"
            | b"tr"
            | b"table"
            | b"thead"
            | b"tbody"
            | b"blockquote"
            | b"pre"
            | b"br"
            | b"hr"
            | b"section"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"figure"
            | b"figcaption"
            | b"sup"
            | b"sub"
            | b"img"
            | b"details"
            | b"summary"
            | b"caption"
    )
}

/// The text of `html` (a body as the Markdown renderer writes it): tags dropped, entities
/// decoded, blocks separated, `<img alt>` kept, scripts, styles and footnote marks left out.
pub fn from_html(html: &str) -> PageText {
    let mut out = PageText { text: String::with_capacity(html.len()), heads: Vec::new() };
    let mut open: Option<Head> = None;
    let mut rest = html;
    // `memchr`, not `str::find`: the library's search of a byte is the faster by far.
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        push_text(&mut out.text, &rest[..lt]);
        rest = &rest[lt..];
        if !rest.as_bytes().get(1).is_some_and(|&b| b.is_ascii_alphabetic() || b == b'/' || b == b'!') {
            out.text.push('<');
            rest = &rest[1..];
            continue;
        }
        let Some(gt) = tag_end(rest) else {
            // A lone `<` is text (the renderer escapes it, raw HTML may not).
            push_text(&mut out.text, rest);
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with('!') {
            if let Some(end) = tag.starts_with("!--").then(|| rest.find("-->")).flatten() {
                // The `>` found was inside the comment.
                rest = &rest[end + 3..];
            }
            continue;
        }
        let closing = tag.starts_with('/');
        let mut buf = [0u8; NAME_MAX];
        let name = tag_name(tag.trim_start_matches('/'), &mut buf);
        // A tag without attributes (most are) is looked at no further.
        let bare = tag.len() == name.len();
        if !closing && (matches!(name, b"script" | b"style") || !bare && is_footnote_mark(tag)) {
            rest = skip_element(rest, name);
            continue;
        }
        let heading = heading_level(name);
        if let (Some(level), false) = (heading, closing) {
            separate(&mut out.text);
            let id = attribute(tag, "id").unwrap_or_default();
            open = Some(Head { id, level, start: out.text.len(), end: 0 });
            continue;
        }
        if heading.is_some() && closing {
            if let Some(mut head) = open.take() {
                head.end = out.text.trim_end().len().max(head.start);
                out.heads.push(head);
            }
        }
        if name == b"img" {
            if let Some(alt) = attribute(tag, "alt") {
                separate(&mut out.text);
                out.text.push_str(&alt);
            }
        }
        if is_block(name) {
            separate(&mut out.text);
        }
    }
    push_text(&mut out.text, rest);
    let trimmed = out.text.trim_end().len();
    out.text.truncate(trimmed);
    out
}

/// The index of the `>` closing the tag that `s` starts with, quotes respected.
fn tag_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.get(1) == Some(&b'<') {
        return None;
    }
    // From quote to quote by the library's search of bytes: most tags hold a quoted value.
    let mut at = 1;
    loop {
        let i = at + memchr::memchr3(b'>', b'"', b'\'', bytes.get(at..)?)?;
        match bytes[i] {
            b'>' => return Some(i),
            quote => at = i + 1 + memchr::memchr(quote, &bytes[i + 1..])? + 1,
        }
    }
}

/// The longest element name `tag_name` reads; a longer one is no element this module knows.
const NAME_MAX: usize = 12;

/// The element name a tag's text starts with, in lower case (in `buf`); empty if longer
/// than `NAME_MAX`. Bytes, not a `str`: it is ASCII, and checking that costs a call per tag.
fn tag_name<'b>(tag: &str, buf: &'b mut [u8; NAME_MAX]) -> &'b [u8] {
    let len = tag.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if len > NAME_MAX {
        return b"";
    }
    for (to, from) in buf.iter_mut().zip(tag.bytes()).take(len) {
        *to = from.to_ascii_lowercase();
    }
    &buf[..len]
}

fn heading_level(name: &[u8]) -> Option<u8> {
    match name {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

/// Skips past the end tag of element `name` (or to the end).
fn skip_element<'h>(rest: &'h str, name: &[u8]) -> &'h str {
    // The renderer and the sanitizer write tag names in lower case.
    match rest.find(&format!("</{}", String::from_utf8_lossy(name))) {
        Some(at) => rest[at..].find('>').map_or("", |gt| &rest[at + gt + 1..]),
        None => "",
    }
}

/// The decoded value of attribute `name` in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    loop {
        let at = rest.find(name)?;
        let before_ok = rest[..at].ends_with(|c: char| c.is_ascii_whitespace());
        rest = &rest[at + name.len()..];
        let after = rest.trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value = after[1..].trim_start();
        let quote = value.chars().next()?;
        let raw = if quote == '"' || quote == '\'' {
            let v = &value[1..];
            &v[..v.find(quote)?]
        } else {
            value.split(|c: char| c.is_ascii_whitespace() || c == '>').next()?
        };
        let mut out = String::new();
        push_text(&mut out, raw);
        return Some(out);
    }
}

/// Whether a tag's text has a `class="footnote-…"` (a footnote's mark or back-link, which
/// the text leaves out).
fn is_footnote_mark(tag: &str) -> bool {
    static CLASS: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    CLASS.get_or_init(|| memchr::memmem::Finder::new(b"class=\"footnote-")).find(tag.as_bytes()).is_some()
}

/// Ends the current block: one line break, unless the text already ends in white space.
fn separate(text: &mut String) {
    let ends_in_space = match text.as_bytes().last() {
        None => return,
        // `char::is_whitespace` of an ASCII byte, without decoding the last character.
        Some(&b) if b.is_ascii() => matches!(b, b'\t'..=b'\r' | b' '),
        Some(_) => text.ends_with(char::is_whitespace),
    };
    if !ends_in_space {
        text.push('\n');
    }
}

/// Appends HTML text with its character references decoded.
fn push_text(out: &mut String, html: &str) {
    let mut rest = html;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match decode_entity(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// The character of the reference `s` starts with, and its length.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    // Looked for by bytes: the twelfth byte may fall inside a character.
    let semi = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let body = &s[1..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(n).filter(|c| *c != '\0').unwrap_or('\u{fffd}')
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "shy" => '\u{ad}',
            "ndash" => '–',
            "mdash" => '—',
            "hellip" => '…',
            "euml" => 'ë',
            "iuml" => 'ï',
            "eacute" => 'é',
            "egrave" => 'è',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_headings_of_a_body() {
        let html = "<h2 id=\"aanpak\">Aanpak &amp; <em>inzet</em></h2>\n<p>De groep<sup class=\"footnote-ref\">\
            <a href=\"#fn-1\" id=\"r\">1</a></sup> telt&nbsp;12 jongeren.</p><ul><li>een</li><li>twee</li></ul>\
            <p><img src=\"k.png\" alt=\"Kaart van &quot;de wijk&quot;\"></p><script>alert(1)</script><!-- x > y -->\
            <p>Slot &lt;b&gt; &#233;&#x65; &bogus; a < b</p>";
        let page = from_html(html);
        assert_eq!(
            page.text,
            "Aanpak & inzet\n\nDe groep telt\u{a0}12 jongeren.\neen\ntwee\nKaart van \"de wijk\"\nSlot <b> ée &bogus; a < b"
        );
        assert_eq!(page.heads, [Head { id: "aanpak".into(), level: 2, start: 0, end: 14 }]);
        assert_eq!(&page.text[0..14], "Aanpak & inzet");
    }

    #[test]
    fn tag_ends_agree_with_a_plain_loop() {
        fn plain(s: &str) -> Option<usize> {
            let mut quote = None;
            for (i, b) in s.bytes().enumerate().skip(1) {
                match (quote, b) {
                    (None, b'"' | b'\'') => quote = Some(b),
                    (Some(q), _) if q == b => quote = None,
                    (None, b'>') => return Some(i),
                    (None, b'<') if i == 1 => return None,
                    _ => {}
                }
            }
            None
        }
        let alphabet = ['<', '>', '"', '\'', 'a', ' ', '=', 'ë'];
        let mut seed = 5u64;
        for _ in 0..20_000 {
            let mut tag = String::from("<");
            for _ in 0..(seed % 14) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                tag.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            assert_eq!(tag_end(&tag), plain(&tag), "{tag:?}");
        }
    }

    #[test]
    fn a_block_breaks_the_text_unless_it_ends_in_white_space() {
        for c in (0..128u8).map(char::from).chain(['\u{85}', '\u{a0}', 'ë', '\u{2028}', '\u{3000}']) {
            let mut text = format!("a{c}");
            separate(&mut text);
            assert_eq!(text == format!("a{c}\n"), !c.is_whitespace(), "{c:?}");
        }
        let mut empty = String::new();
        separate(&mut empty);
        assert_eq!(empty, "");
    }

    #[test]
    fn broken_markup_is_text_and_never_panics() {
        for html in [
            "<",
            "<h2",
            "<h2 id=\"x>",
            "&#xFFFFFFFF;",
            "&#0;",
            "a<b",
            "<p class='x>y'>z</p>",
            "</h3>",
            "&",
            "&ëëëëëëë;",
        ] {
            let _ = from_html(html);
        }
        assert_eq!(from_html("a<b").text, "a<b");
        assert_eq!(from_html("&ëëëëëëë;").text, "&ëëëëëëë;");
        assert_eq!(from_html("<p class='x>y'>z</p>").text, "z", "a `>` in quotes is inside the tag");
        assert_eq!(from_html("<h3 id=x>Kop</h3>").heads[0].id, "x");
    }
}
