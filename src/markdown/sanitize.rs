//! Raw HTML: the ammonia policy a section with raw HTML is cleaned with, and a cheap
//! reading of a raw snippet that says what that policy will take out (for a note to the
//! editor; the cleaning itself is always ammonia's).

use crate::util::url::{is_remote, scheme, SAFE_SCHEMES as SCHEMES};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Elements kept: ammonia's defaults (minus image maps) plus what planboek itself writes.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes kept on every element; `style` keeps only `text-align` (table alignment).
const GENERIC: &[&str] = &["aria-label", "class", "dir", "id", "lang", "role", "style", "title"];

/// Attributes kept on particular elements.
const PER_TAG: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("blockquote", &["cite"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    ("img", &["alt", "height", "src", "width"]),
    ("input", &["checked", "disabled", "type"]),
    ("ins", &["cite", "datetime"]),
    ("ol", &["reversed", "start"]),
    ("q", &["cite"]),
    ("td", &["colspan", "headers", "rowspan"]),
    ("th", &["colspan", "headers", "rowspan", "scope"]),
    ("time", &["datetime"]),
];

/// The ammonia policy, built once per setting and shared by all threads: with
/// `remote_images` false, an `<img>` loses a `src` on another host.
fn builder(remote_images: bool) -> &'static ammonia::Builder<'static> {
    static LOCAL: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    static REMOTE: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let cell = if remote_images { &REMOTE } else { &LOCAL };
    cell.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        if !remote_images {
            b.attribute_filter(|element, attribute, value| {
                let remote = element == "img" && attribute == "src" && is_remote(value);
                (!remote).then_some(value.into())
            });
        }
        b.tags(TAGS.iter().copied().collect())
            .generic_attributes(GENERIC.iter().copied().collect())
            .tag_attributes(PER_TAG.iter().map(|(t, a)| (*t, a.iter().copied().collect())).collect())
            .url_schemes(SCHEMES.iter().copied().collect())
            // Raw links may lead anywhere: no referrer, no reach back (planboek's own links
            // to other sites carry the same).
            .link_rel(Some("noreferrer noopener"))
            .filter_style_properties(HashSet::from(["text-align"]))
            // The only input planboek writes is a task list's box; raw HTML gets no other.
            .set_tag_attribute_value("input", "type", "checkbox")
            .set_tag_attribute_value("input", "disabled", "");
        b
    })
}

/// `html` with everything outside the policy removed; `remote_images` keeps images on
/// other hosts.
pub fn clean(html: &str, remote_images: bool) -> String {
    builder(remote_images).clean(html).to_string()
}

/// What cleaning will remove from one raw HTML snippet (`<script> element`,
/// `onerror attribute`, `javascript: URL`), each once; empty when it looks harmless.
pub fn findings(raw: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = raw;
    while let Some(lt) = rest.find('<') {
        rest = rest.get(lt + 1..).unwrap_or_default();
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.split_once("-->").map_or("", |(_, after)| after);
            continue;
        }
        let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let Some(name) = rest.get(..name_len).filter(|n| !n.is_empty()) else { continue };
        let name = name.to_ascii_lowercase();
        rest = rest.get(name_len..).unwrap_or_default();
        if !TAGS.contains(&name.as_str()) {
            note(&mut found, format!("<{name}> element"));
        }
        rest = attributes(&name, rest, &mut found);
    }
    found
}

/// Reads the attributes of a start tag up to its `>`, noting those the policy drops;
/// returns what follows the tag.
fn attributes<'r>(tag: &str, mut rest: &'r str, found: &mut Vec<String>) -> &'r str {
    let allowed = PER_TAG.iter().find(|(t, _)| *t == tag).map_or(&[][..], |(_, a)| *a);
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() || rest.starts_with('>') {
            return rest.get(1..).unwrap_or_default();
        }
        let name_len = rest.find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/')).unwrap_or(rest.len());
        let name = rest.get(..name_len).unwrap_or_default().to_ascii_lowercase();
        rest = rest.get(name_len..).unwrap_or_default().trim_start();
        let value = match rest.strip_prefix('=') {
            Some(after) => {
                let (value, after) = attribute_value(after.trim_start());
                rest = after;
                value
            }
            // A lone character that is not a name (`"` and the like) must still move us on.
            None if name.is_empty() => {
                rest = rest.get(rest.chars().next().map_or(0, char::len_utf8)..).unwrap_or_default();
                continue;
            }
            None => "",
        };
        check_attribute(tag, &name, value, allowed, found);
    }
}

/// A quoted or unquoted attribute value and what follows it.
fn attribute_value(s: &str) -> (&str, &str) {
    for quote in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(quote) {
            return inner.split_once(quote).unwrap_or((inner, ""));
        }
    }
    let end = s.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(s.len());
    (s.get(..end).unwrap_or_default(), s.get(end..).unwrap_or_default())
}

fn check_attribute(tag: &str, name: &str, value: &str, allowed: &[&str], found: &mut Vec<String>) {
    if name.is_empty() {
        // `<p = "x">`: browsers drop such a fragment; nothing worth a note.
    } else if !GENERIC.contains(&name) && !allowed.contains(&name) {
        note(found, format!("{name} attribute"));
    } else if matches!(name, "href" | "src") {
        if let Some(s) = scheme(value).filter(|s| !SCHEMES.contains(&s.as_str())) {
            note(found, format!("{s}: URL"));
        } else if tag == "img" && name == "src" && is_remote(value) {
            note(found, REMOTE_IMAGE.to_string());
        }
    } else if name == "style" {
        let other = value
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .any(|(p, _)| !p.trim().eq_ignore_ascii_case("text-align"));
        if other {
            note(found, "style other than text-align".to_string());
        }
    } else if tag == "input" && name == "type" && !value.eq_ignore_ascii_case("checkbox") {
        note(found, "input other than a checkbox".to_string());
    }
}

/// The finding `findings` gives for an `<img>` on another host, which the policy removes
/// unless remote images are allowed.
pub const REMOTE_IMAGE: &str = "remote image";

fn note(found: &mut Vec<String>, what: String) {
    if !found.contains(&what) {
        found.push(what);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_keeps_what_planboek_writes() {
        let ours = concat!(
            "<h2 id=\"a\" class=\"b\">x</h2><mark class=\"pb-blank\" title=\"t\">N</mark>",
            "<span class=\"pb-guidance\" role=\"note\">g</span><sup class=\"footnote-ref\">",
            "<a href=\"#fn-1\" id=\"fnref-1\">1</a></sup><table><tr><th style=\"text-align: right\">c</th></tr></table>",
            "<a href=\"../a.html#k\">l</a><abbr title=\"x\">ZSM</abbr><kbd>k</kbd><br>",
            "<details><summary>s</summary>d</details><del>d</del><ins>i</ins><sub>2</sub>",
            "<a href=\"#fnref-1\" class=\"footnote-backref\" aria-label=\"terug\">↩</a>",
        );
        let cleaned = clean(ours, false);
        for part in [
            "id=\"a\"",
            "class=\"pb-blank\"",
            "role=\"note\"",
            "href=\"#fn-1\"",
            "text-align:right",
            "<abbr title=\"x\">",
            "<kbd>",
            "<details>",
            "aria-label=\"terug\"",
        ] {
            assert!(cleaned.contains(part), "{part} missing from {cleaned}");
        }
        let task = clean("<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>x</li></ul>", false);
        assert!(task.contains("checked") && task.contains("checkbox"), "{task}");
    }

    #[test]
    fn policy_removes_dangers() {
        let bad = "<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:x\">a</a><iframe src=x></iframe><p style=\"color:red;text-align:left\" onclick=x>p</p><input type=text>";
        let cleaned = clean(bad, false);
        for gone in ["script", "onerror", "javascript", "iframe", "color", "onclick", "text\""] {
            assert!(!cleaned.contains(gone), "{gone} left in {cleaned}");
        }
    }

    #[test]
    fn findings_name_what_goes() {
        assert_eq!(findings("<abbr title=\"x\">"), Vec::<String>::new());
        assert_eq!(findings("<br/>"), Vec::<String>::new());
        assert_eq!(findings("<!-- <script> -->"), Vec::<String>::new());
        assert_eq!(findings("<script>alert(1)</script>"), ["<script> element"]);
        assert_eq!(findings("<img src=x onerror=alert(1)>"), ["onerror attribute"]);
        assert_eq!(findings("<a href=' javascript:x'>"), ["javascript: URL"]);
        assert_eq!(findings("<td style=\"text-align: left\">"), Vec::<String>::new());
        assert_eq!(findings("<p = \"x\">"), Vec::<String>::new());
        let _ = findings("<p \"x\" = > <a <b \u{E000}='");
    }
}
