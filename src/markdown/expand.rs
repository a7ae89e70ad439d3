//! Markers back into output: a blank becomes its filled value, a visible mark, a guidance
//! note (preview) or nothing (publish); inside code, URLs and tags it is restored verbatim.

use super::blanks::{Blank, Kind, CLOSE, OPEN};
use super::html_state::HtmlAt;
use super::transform::Transform;
use super::{sanitize, Mode};
use crate::diag::lints;
use crate::util::html::escape_into as escape;
use pulldown_cmark::{CowStr, Event};

/// A blank rendered for its context.
enum Expansion {
    Text(String),
    /// Markup, and the plain text it shows (for a heading's text).
    Html {
        html: String,
        shows: String,
    },
    Nothing,
}

/// Splits `s` at its first valid marker (index below `n`): text before, index, text after.
/// Anything marker-like but invalid stays text.
fn split_marker(s: &str, n: usize) -> Option<(&str, usize, &str)> {
    let mut from = 0;
    loop {
        let open = from + s.get(from..)?.find(OPEN)?;
        let digits = open + OPEN.len_utf8();
        let tail = s.get(digits..)?;
        let len = tail.bytes().take_while(u8::is_ascii_digit).count();
        let index = tail.get(..len).and_then(|d| d.parse::<usize>().ok()).filter(|&i| i < n);
        let closed = tail.get(len..).is_some_and(|r| r.starts_with(CLOSE));
        if let (Some(index), true) = (index, closed) {
            return Some((s.get(..open)?, index, tail.get(len + CLOSE.len_utf8()..)?));
        }
        from = digits;
    }
}

/// `s` (parsed from the marker-rewritten source of `text`) with every marker put back as
/// the editor wrote it.
pub fn restore(s: &str, blanks: &[Blank], text: &str) -> String {
    let mut out = String::with_capacity(s.len() + 32);
    let mut rest = s;
    while let Some((before, index, after)) = split_marker(rest, blanks.len()) {
        out.push_str(before);
        out.push_str(blanks.get(index).and_then(|b| text.get(b.orig.clone())).unwrap_or_default());
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `<tag class="…" …>escaped text</tag>`.
fn element(open: &str, text: &str, close: &str) -> String {
    let mut out = String::with_capacity(open.len() + text.len() + close.len() + 8);
    out.push_str(open);
    escape(text, &mut out);
    out.push_str(close);
    out
}

/// Shortens long guidance for a message.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or(s)),
        None => s.to_string(),
    }
}

impl<'a> Transform<'a, '_> {
    /// Whether `s` holds a marker. Text that is a slice of the parsed source holds one exactly
    /// where a blank's marker lies in that slice, which a binary search finds without reading
    /// the text; other text (decoded references, joined lines) is searched.
    fn has_marker(&self, s: &str) -> bool {
        if self.blanks.is_empty() {
            return false;
        }
        let (base, at) = (self.src.as_ptr() as usize, s.as_ptr() as usize);
        if at >= base && at + s.len() <= base + self.src.len() {
            let (start, end) = (at - base, at - base + s.len());
            let next = self.blanks.partition_point(|b| b.new.end <= start);
            return self.blanks.get(next).is_some_and(|b| b.new.start < end);
        }
        s.contains(OPEN)
    }

    /// A text event: plain text passes; markers expand.
    pub fn text(&mut self, text: CowStr<'a>) {
        if !self.has_marker(&text) {
            self.heading_plain(&text);
            self.push_text(text);
            return;
        }
        let mut rest: &str = &text;
        while let Some((before, index, after)) = split_marker(rest, self.blanks.len()) {
            self.plain(before);
            match self.blank(index, self.in_alt > 0) {
                Expansion::Text(t) => {
                    self.heading_plain(&t);
                    self.out.push(Event::Text(t.into()));
                }
                Expansion::Html { html, shows } => {
                    self.heading_plain(&shows);
                    self.out.push(Event::InlineHtml(html.into()));
                }
                Expansion::Nothing => {}
            }
            rest = after;
        }
        self.plain(rest);
    }

    fn plain(&mut self, s: &str) {
        if !s.is_empty() {
            self.heading_plain(s);
            self.push_text(s.to_string().into());
        }
    }

    /// The text of an attribute the writer prints (a link's or image's title, a heading
    /// attribute's value), with its blanks as in alt text: filled, or the placeholder's name.
    pub fn attribute(&mut self, s: CowStr<'a>) -> CowStr<'a> {
        if !self.has_marker(&s) {
            return s;
        }
        let mut out = String::with_capacity(s.len() + 32);
        let mut rest: &str = &s;
        while let Some((before, index, after)) = split_marker(rest, self.blanks.len()) {
            out.push_str(before);
            match self.blank(index, true) {
                Expansion::Text(t) | Expansion::Html { shows: t, .. } => out.push_str(&t),
                Expansion::Nothing => {}
            }
            rest = after;
        }
        out.push_str(rest);
        out.into()
    }

    /// Renders blank `index` and reports it; `plain` where only text can go (alt text,
    /// attributes): no marks, no guidance notes.
    fn blank(&mut self, index: usize, plain: bool) -> Expansion {
        let blanks = self.blanks;
        let Some(blank) = blanks.get(index) else { return Expansion::Nothing };
        let raw = self.text.get(blank.orig.clone()).unwrap_or_default();
        let at = blank.orig.start;
        let preview = self.cx.mode == Mode::Preview && !plain;
        match &blank.kind {
            Kind::Literal => Expansion::Text(raw.to_string()),
            Kind::Placeholder(name) => {
                if let Some(value) = (self.cx.placeholder)(name) {
                    return Expansion::Text(value);
                }
                let help = "give it a value in the plan's front matter (`group`, `municipality` or `[vars]`) or replace it in the text";
                self.report_orig(
                    lints::UNFILLED_PLACEHOLDER,
                    at,
                    format!("placeholder <{name}> is not filled in"),
                    Some(help.into()),
                );
                if plain {
                    return Expansion::Text(name.clone());
                }
                let class = if self.cx.mode == Mode::Preview { "pb-blank pb-blank--preview" } else { "pb-blank" };
                let mut open = format!("<mark class=\"{class}\" title=\"{}: ", self.cx.labels.blank);
                escape(name, &mut open);
                open.push_str("\">");
                Expansion::Html { html: element(&open, name, "</mark>"), shows: name.clone() }
            }
            Kind::Guidance(text) => {
                let help = "replace it with the text it asks for; a published build leaves it out";
                self.report_orig(
                    lints::GUIDANCE_LEFT,
                    at,
                    format!("template guidance left in the text: <{}>", shorten(text)),
                    Some(help.into()),
                );
                if plain {
                    return Expansion::Nothing;
                }
                self.guidance_met = true;
                if preview {
                    let html = element("<span class=\"pb-guidance\" role=\"note\">", text, "</span>");
                    Expansion::Html { html, shows: String::new() }
                } else {
                    Expansion::Nothing
                }
            }
            Kind::Choice => {
                let help = "keep the alternative that applies and remove the brackets";
                self.report_orig(lints::UNDECIDED_CHOICE, at, format!("choice not made: {raw}"), Some(help.into()));
                if preview {
                    let open = format!("<mark class=\"pb-choice\" title=\"{}\">", self.cx.labels.choice);
                    Expansion::Html { html: element(&open, raw, "</mark>"), shows: raw.to_string() }
                } else {
                    Expansion::Text(raw.to_string())
                }
            }
        }
    }

    /// `s` with every marker put back as the editor wrote it (code, URLs, ids, tags).
    pub fn restore(&self, s: CowStr<'a>) -> CowStr<'a> {
        if !self.has_marker(&s) {
            return s;
        }
        restore(&s, self.blanks, self.text).into()
    }

    /// Raw HTML: blanks in the text of an HTML block expand (in tags and comments they are
    /// restored), what the sanitizer will remove is reported, and the section is marked.
    pub fn raw(&mut self, html: CowStr<'a>, start: usize, block: bool) {
        self.raw_html = true;
        let html = if block { self.expand_in_html(html) } else { self.restore(html) };
        if !self.cx.allow_raw_html {
            // Read with its blanks expanded, as the sanitizer will read it.
            let mut found = sanitize::findings(&html);
            if found.iter().any(|f| f == sanitize::REMOTE_IMAGE) {
                found.retain(|f| f != sanitize::REMOTE_IMAGE);
                if !self.cx.allow_remote_images {
                    let msg = "raw <img> from another host: its src is removed, as loading it would tell that \
                               server who reads this page";
                    let help =
                        "copy the image into the plan folder, or set `allow_remote_images = true` in planboek.toml";
                    self.report(lints::REMOTE_IMAGE, start, msg.into(), Some(help.into()));
                }
            }
            if !found.is_empty() {
                let msg = format!("raw HTML cleaned: {} removed", found.join(", "));
                let help = "planboek.toml `allow_raw_html = true` lets trusted HTML through";
                self.report(lints::RAW_HTML_REMOVED, start, msg, Some(help.into()));
            }
        }
        self.out.push(if block { Event::Html(html) } else { Event::InlineHtml(html) });
    }

    fn expand_in_html(&mut self, html: CowStr<'a>) -> CowStr<'a> {
        if self.html.fresh {
            self.html.fresh = false;
            let lower = html.trim_start().get(..9).unwrap_or_default().to_ascii_lowercase();
            self.html.raw_text = ["<script", "<style", "<textarea"].iter().any(|t| lower.starts_with(t));
        }
        if !self.has_marker(&html) || self.html.raw_text {
            self.html.advance(&html);
            return self.restore(html);
        }
        let mut out = String::with_capacity(html.len() + 64);
        let mut rest: &str = &html;
        while let Some((before, index, after)) = split_marker(rest, self.blanks.len()) {
            self.html.advance(before);
            out.push_str(before);
            if self.html.state == HtmlAt::Text {
                match self.blank(index, false) {
                    Expansion::Text(t) => escape(&t, &mut out),
                    Expansion::Html { html, .. } => out.push_str(&html),
                    Expansion::Nothing => {}
                }
            } else if let Some(raw) = self.blanks.get(index).and_then(|b| self.text.get(b.orig.clone())) {
                out.push_str(raw);
            }
            rest = after;
        }
        self.html.advance(rest);
        out.push_str(rest);
        out.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_only_valid_markers() {
        let s = "a\u{E000}1\u{E001}b";
        assert_eq!(split_marker(s, 2), Some(("a", 1, "b")));
        assert_eq!(split_marker(s, 1), None);
        assert_eq!(split_marker("\u{E000}\u{E000}0\u{E001}", 1), Some(("\u{E000}", 0, "")));
        assert_eq!(split_marker("\u{E000}99999999999999999999999\u{E001}", 5), None);
        assert_eq!(split_marker("x\u{E000}", 5), None);
    }
}
