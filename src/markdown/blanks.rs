//! Template blanks (placeholders, guidance, choices) found in the source before parsing.
//!
//! CommonMark would read `<NAAM GROEP>` or `<Beschrijf …>` as raw HTML and drop it, so each
//! blank is replaced by a marker, `U+E000` + decimal index + `U+E001`, which the parser keeps
//! as plain text; the renderer expands markers back (see `expand.rs`).
//!
//! The rules, applied to `<` … `>` on one line whose content holds no `<`, `` ` `` or `|`
//! (a `|` would have split a table cell) and whose `<` is not escaped (`\<`) nor a link
//! destination (`](<…>`, `]: <…>`):
//!
//! - The content (trimmed) must start with a letter. When the `<` is followed by a space
//!   (`< Beschrijf …>`), that letter must be upper case, so prose like `a < b en c > d` is not
//!   a blank; such a `<` is never a tag either.
//! - It is a real HTML tag, left to the parser, when it reads as one. HTML names are
//!   case-insensitive, so this is decided by the words, not their case: the first word is the
//!   name of an HTML, SVG or MathML element in any case (`<br/>`, `<B>`, `<Details open>`,
//!   `<abbr title="x">`) and what follows is attribute syntax in which every attribute
//!   without a value is one HTML lets stand alone (`open`, `hidden`, `checked`, `data-…`);
//!   or the first word is any other name and what follows is attribute syntax with at least
//!   one quoted value (`<x-kaart data-id="3">`) or a closing `/` (`<x-kaart/>`); or it holds
//!   an `=` but is no valid tag (`<a h*#ref="x">`), which the parser shows as written. So
//!   `<Details van de groep>` is a sentence (`van` is no attribute) and
//!   `<DATA VAN DE EVALUATIE>` a placeholder, while a lone element name stays a tag: a
//!   placeholder must not be one (`<DATA>`, `<CODE>`, `<MAP>`).
//! - One word of letters, digits, `-`, `_` or `/` is a **placeholder** named by that word
//!   (`<AANTAL>`, `<invoegen>`). Anything with `:`, `@` or `.` in one word is left alone, so
//!   autolinks (`<https://…>`, `<naam@domein.nl>`) keep working.
//! - Several words whose first word is upper case (two or more letters, none lower case) are
//!   a **placeholder** named by the words with single spaces (`<NAAM GROEP>`,
//!   `<NEEM EEN BESCHRIJVING … + een beschrijving …>`).
//! - Any other several words are **guidance** (`<Beschrijf …>`, `<vertel wat …>`), unless
//!   the first word looks like an address (`://`, `@`, `www.`): a broken autolink stays text.
//!
//! A **choice** is two or more `[alternative]`s joined by ` of ` or ` or `
//! (`[midden-risico] of [hoog risico]`), not preceded by `!`, `]` or `\`, not followed by
//! `(`, `[` or `:` (links), whose alternatives are plain text (no markup characters), not
//! `^…` (footnotes) and not ` `, `x` or `X` (task boxes). When one alternative's label has a
//! link reference definition in the section (`[eerste]: eerste.md`), the brackets are links
//! (`[eerste] of [tweede]`), not a choice.
//!
//! Inside code, link destinations, HTML tags and comments a marker is put back as the
//! editor wrote it, so blanks there mean nothing. A `U+E000` already in the text is itself
//! replaced by a marker (a literal), so plain text cannot pass for a marker (a character
//! reference like `&#xE000;` still could; it would only repeat an existing blank).

use super::names;
use std::borrow::Cow;
use std::fmt::Write;
use std::ops::Range;

/// Opens a marker; the parser treats it as an ordinary character.
pub const OPEN: char = '\u{E000}';
/// Closes a marker.
pub const CLOSE: char = '\u{E001}';

/// What a blank is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An upper-case name to fill (`NAAM GROEP`), whitespace normalised.
    Placeholder(String),
    /// A sentence for the editor, without its brackets, whitespace normalised.
    Guidance(String),
    /// Alternatives still to choose between; the source text is shown as it is.
    Choice,
    /// A `U+E000` of the source, put back as it was.
    Literal,
}

/// One blank: its kind, its bytes in the original text and its marker's bytes in the
/// rewritten text.
#[derive(Debug, Clone)]
pub struct Blank {
    pub kind: Kind,
    pub orig: Range<usize>,
    pub new: Range<usize>,
}

/// The source with blanks replaced by markers (borrowed when there are none).
#[derive(Debug)]
pub struct Scanned<'t> {
    pub src: Cow<'t, str>,
    pub blanks: Vec<Blank>,
}

/// Whether a `[label]` has a link reference definition, which makes it a link.
type Linked<'f> = &'f dyn Fn(&str) -> bool;

/// Finds every blank of `text` and replaces it by a marker.
pub fn scan(text: &str) -> Scanned<'_> {
    let scanned = scan_with(text, &|_| false);
    // Only a text with a choice and a definition (`[label]: …`) needs a second look.
    if !scanned.blanks.iter().any(|b| b.kind == Kind::Choice) || !may_define_links(text) {
        return scanned;
    }
    // The definitions as the renderer will parse them, from the text with its markers.
    let parser = pulldown_cmark::Parser::new_ext(&scanned.src, super::options());
    let defs = parser.reference_definitions();
    if defs.iter().next().is_none() {
        return scanned;
    }
    let linked = |label: &str| defs.get(&label_key(label)).is_some();
    scan_with(text, &linked)
}

/// Whether `text` may hold a link reference definition: a `]:` whose label is no footnote's
/// (`[^1]:`), so that footnotes alone never cost a second parse.
fn may_define_links(text: &str) -> bool {
    text.match_indices("]:").any(|(at, _)| {
        let label = text.get(..at).and_then(|before| before.rfind('[').map(|open| &before[open + 1..]));
        label.is_some_and(|l| !l.starts_with('^'))
    })
}

/// A link label as CommonMark matches it, but for case (which `RefDefs::get` folds):
/// trimmed, with each run of spaces, tabs and line breaks made one space.
fn label_key(label: &str) -> String {
    let mut key = String::with_capacity(label.len());
    for word in label.split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()) {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

/// `scan`, with `linked` telling which `[labels]` are links rather than alternatives.
fn scan_with<'t>(text: &'t str, linked: Linked) -> Scanned<'t> {
    let bytes = text.as_bytes();
    let mut blanks = Vec::new();
    let mut out = String::new();
    let mut copied = 0;
    let mut next = Candidates::new(text);
    while let Some(at) = next.first() {
        let found = match bytes.get(at) {
            Some(b'<') => angle(text, at),
            Some(b'[') => match choice(text, at, linked) {
                Ok(end) => Some((end, Kind::Choice)),
                Err(resume) => {
                    next.skip_to(resume);
                    continue;
                }
            },
            _ => Some((at + OPEN.len_utf8(), Kind::Literal)),
        };
        let Some((end, kind)) = found else {
            next.skip_to(at + 1);
            continue;
        };
        if out.is_empty() {
            out.reserve(text.len() + 64);
        }
        out.push_str(text.get(copied..at).unwrap_or_default());
        let start = out.len();
        push_marker(&mut out, blanks.len());
        blanks.push(Blank { kind, orig: at..end, new: start..out.len() });
        copied = end;
        next.skip_to(end);
    }
    if blanks.is_empty() {
        return Scanned { src: Cow::Borrowed(text), blanks };
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    Scanned { src: Cow::Owned(out), blanks }
}

/// The next `<`, `[` and `U+E000` at or after a position, each found with the `memchr`
/// crate's vectorised search (every page's text is scanned) and searched again only once
/// passed.
struct Candidates<'t> {
    text: &'t str,
    next: [Option<usize>; 3],
}

impl<'t> Candidates<'t> {
    const NEEDLES: [char; 3] = ['<', '[', OPEN];

    fn new(text: &'t str) -> Self {
        let mut c = Candidates { text, next: [None; 3] };
        for (slot, needle) in c.next.iter_mut().zip(Self::NEEDLES) {
            *slot = find(text, needle);
        }
        c
    }

    fn first(&self) -> Option<usize> {
        self.next.iter().flatten().min().copied()
    }

    /// Forgets candidates before `pos` (a char boundary).
    fn skip_to(&mut self, pos: usize) {
        for (slot, needle) in self.next.iter_mut().zip(Self::NEEDLES) {
            if slot.is_some_and(|p| p < pos) {
                *slot = self.text.get(pos..).and_then(|rest| find(rest, needle)).map(|p| pos + p);
            }
        }
    }
}

/// Where `needle` first is in `text`.
fn find(text: &str, needle: char) -> Option<usize> {
    match u8::try_from(needle) {
        Ok(byte) if byte.is_ascii() => memchr::memchr(byte, text.as_bytes()),
        _ => memchr::memmem::find(text.as_bytes(), needle.encode_utf8(&mut [0; 4]).as_bytes()),
    }
}

fn push_marker(out: &mut String, index: usize) {
    out.push(OPEN);
    let _ = write!(out, "{index}");
    out.push(CLOSE);
}

/// A placeholder or guidance starting at the `<` at `at`: its end and kind.
fn angle(text: &str, at: usize) -> Option<(usize, Kind)> {
    let bytes = text.as_bytes();
    if escaped(bytes, at) || link_destination(bytes, at) {
        return None;
    }
    let rest = bytes.get(at + 1..)?;
    let len = rest.iter().position(|&b| matches!(b, b'>' | b'<' | b'\n' | b'\r' | b'`' | b'|'))?;
    if rest.get(len) != Some(&b'>') {
        return None;
    }
    // Both ends are ASCII bytes, hence char boundaries.
    let inner = text.get(at + 1..at + 1 + len)?;
    classify(inner).map(|kind| (at + len + 2, kind))
}

/// The kind of blank `<inner>` is, or None for a tag, an autolink or plain text.
fn classify(inner: &str) -> Option<Kind> {
    let content = inner.trim();
    let first = content.chars().next()?;
    let spaced = inner.starts_with(char::is_whitespace);
    if !first.is_alphabetic() || (spaced && !first.is_uppercase()) {
        return None;
    }
    let mut words = content.split_whitespace();
    let head = words.next()?;
    let multi = words.next().is_some();
    // `<https://… met spatie>` is a broken autolink the reader should still see as written.
    let address = head.contains("://") || head.contains('@') || head.starts_with("www.");
    if address || (!spaced && is_tag(content)) {
        return None;
    }
    if !multi {
        let plain = head.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/'));
        return plain.then(|| Kind::Placeholder(head.to_string()));
    }
    if is_upper_word(head) {
        Some(Kind::Placeholder(normalize(content)))
    } else {
        Some(Kind::Guidance(normalize(content)))
    }
}

/// Whether `<content>` reads as an HTML tag (see the module comment): an element's name in
/// any case followed by attributes that may stand there; any other name followed by
/// attributes of which one has a quoted value, or by `/`; or something with an `=` that is
/// no valid tag, which the parser then shows as text (`<a h*#ref="x">`).
fn is_tag(content: &str) -> bool {
    let name_len = content.bytes().take_while(|&b| b.is_ascii_alphanumeric() || b == b'-').count();
    let (name, rest) = content.split_at(name_len);
    let has_value = content.contains('=');
    if !names::is_element(name) {
        // Only a quoted value or a closing `/` make another name a tag, and only an `=` a
        // broken one: the template's blanks mostly end here.
        if !has_value && !rest.ends_with('/') {
            return false;
        }
        return match attributes(rest, Lookup::None) {
            Some(attrs) => attrs.quoted || rest.ends_with('/'),
            None => has_value,
        };
    }
    // Without an `=` every word must be an attribute that stands alone; the first that is
    // not settles it.
    let lookup = if has_value { Lookup::All } else { Lookup::UntilSentence };
    match attributes(rest, lookup) {
        Some(attrs) => attrs.stand_alone,
        None => has_value,
    }
}

/// Which attribute names `attributes` looks up in HTML's stand-alone list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lookup {
    None,
    All,
    /// All, stopping at the first that may not stand alone.
    UntilSentence,
}

/// What the attributes after a tag's name are like.
struct Attributes {
    /// Every attribute without a value is one HTML lets stand alone (`open`, `data-x`).
    stand_alone: bool,
    /// Some attribute has a quoted value (`class="x"`).
    quoted: bool,
}

/// Reads `rest` as the attributes of a start tag by CommonMark's syntax (each after white
/// space: a name, optionally `=` and a value; then optionally `/`); None when it is not.
fn attributes(mut rest: &str, lookup: Lookup) -> Option<Attributes> {
    let is_space = |c: char| matches!(c, ' ' | '\t');
    let mut attrs = Attributes { stand_alone: true, quoted: false };
    loop {
        let trimmed = rest.trim_start_matches(is_space);
        let spaced = trimmed.len() < rest.len();
        rest = trimmed;
        if rest.is_empty() || rest == "/" {
            return Some(attrs);
        }
        let starts = rest.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '_' | ':'));
        if !spaced || !starts {
            return None;
        }
        let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-')));
        let (name, after) = rest.split_at(len.unwrap_or(rest.len()));
        let Some(value) = after.trim_start_matches(is_space).strip_prefix('=') else {
            if lookup != Lookup::None && !names::stands_alone(name) {
                attrs.stand_alone = false;
                if lookup == Lookup::UntilSentence {
                    return Some(attrs);
                }
            }
            rest = after;
            continue;
        };
        let value = value.trim_start_matches(is_space);
        rest = match value.chars().next() {
            Some(q @ ('"' | '\'')) => {
                attrs.quoted = true;
                let close = value.get(1..)?.find(q)?;
                value.get(close + 2..)?
            }
            _ => {
                let stop = |c: char| matches!(c, '"' | '\'' | '=' | '<' | '>' | '`') || is_space(c);
                let len = value.find(stop).unwrap_or(value.len());
                if len == 0 {
                    return None;
                }
                value.get(len..)?
            }
        };
    }
}

/// `NAAM`, `OM`, `GROEP,`: two or more letters, none of them lower case.
fn is_upper_word(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

/// Words joined by single spaces.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether the byte at `at` is escaped by an odd number of backslashes.
fn escaped(bytes: &[u8], at: usize) -> bool {
    let before = bytes.get(..at).unwrap_or_default();
    before.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// Whether the `<` at `at` opens a link destination: `](<…>)` or `]: <…>`.
fn link_destination(bytes: &[u8], at: usize) -> bool {
    let before = bytes.get(..at).unwrap_or_default();
    before.ends_with(b"](") || before.trim_ascii_end().ends_with(b"]:")
}

/// A choice starting at the `[` at `at`: `Ok(end)`, or `Err(where to look on)`; a chain of
/// alternatives that ends in a link, or holds a `[label]` that is a link by its reference
/// definition, is skipped whole, as each of its tails would be so too.
fn choice(text: &str, at: usize, linked: Linked) -> Result<usize, usize> {
    let bytes = text.as_bytes();
    let prev = at.checked_sub(1).and_then(|p| bytes.get(p));
    if matches!(prev, Some(b'!' | b']')) || escaped(bytes, at) {
        return Err(at + 1);
    }
    // Both brackets are ASCII, hence char boundaries.
    let is_link = |start: usize, end: usize| text.get(start + 1..end - 1).is_some_and(linked);
    let mut end = alternative(bytes, at).ok_or(at + 1)?;
    let mut link = is_link(at, end);
    let mut count = 1;
    while let Some(next) = separator(bytes, end) {
        let Some(e) = alternative(bytes, next) else { break };
        link |= is_link(next, e);
        end = e;
        count += 1;
    }
    match (count, bytes.get(end)) {
        (1, _) => Err(at + 1),
        (_, Some(b'(' | b'[' | b':')) => Err(end),
        _ if link => Err(end),
        _ => Ok(end),
    }
}

/// One `[plain text]` at `at`: its end.
fn alternative(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    let rest = bytes.get(at + 1..)?;
    let stop = |b: &u8| {
        matches!(b, b']' | b'[' | b'\n' | b'\r' | b'`' | b'<' | b'>' | b'*' | b'_' | b'\\' | b'&' | b'|' | b'~')
    };
    let len = rest.iter().position(stop)?;
    let inner = rest.get(..len)?;
    let blank = inner.trim_ascii().is_empty() || inner.first() == Some(&b'^') || matches!(inner, b"x" | b"X");
    (rest.get(len) == Some(&b']') && !blank).then_some(at + len + 2)
}

/// After an alternative ending at `at`: ` of ` or ` or ` (spaces or tabs around), and where
/// the next alternative starts.
fn separator(bytes: &[u8], at: usize) -> Option<usize> {
    let is_space = |b: &&u8| matches!(b, b' ' | b'\t');
    let lead = bytes.get(at..)?.iter().take_while(is_space).count();
    let word = bytes.get(at + lead..at + lead + 2)?;
    if lead == 0 || !(word.eq_ignore_ascii_case(b"of") || word.eq_ignore_ascii_case(b"or")) {
        return None;
    }
    let after = at + lead + 2;
    let trail = bytes.get(after..)?.iter().take_while(is_space).count();
    (trail > 0 && bytes.get(after + trail) == Some(&b'[')).then_some(after + trail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        scan(text).blanks.into_iter().map(|b| b.kind).collect()
    }

    fn ph(name: &str) -> Kind {
        Kind::Placeholder(name.to_string())
    }

    #[test]
    fn placeholders() {
        assert_eq!(kinds("De groep <NAAM GROEP> van <AANTAL>."), [ph("NAAM GROEP"), ph("AANTAL")]);
        assert_eq!(kinds("<DATUM> <INVOEGEN> <invoegen> <X>"), [ph("DATUM"), ph("INVOEGEN"), ph("invoegen"), ph("X")]);
        assert_eq!(kinds("<NAAM  \t GROEP>"), [ph("NAAM GROEP")]);
        let long = "<NEEM EEN BESCHRIJVING OP + een beschrijving van het gebied/de locatie>";
        assert_eq!(kinds(long), [ph("NEEM EEN BESCHRIJVING OP + een beschrijving van het gebied/de locatie")]);
        assert_eq!(kinds("<<NAAM>>"), [ph("NAAM")]);
        assert_eq!(kinds("<ÉÉN ÀÇ>"), [ph("ÉÉN ÀÇ")]);
        // Upper-case words after an element's name that are no attributes: a placeholder.
        assert_eq!(kinds("<DATA VAN DE EVALUATIE>"), [ph("DATA VAN DE EVALUATIE")]);
        assert_eq!(kinds("<CODE GROEP>"), [ph("CODE GROEP")]);
    }

    #[test]
    fn guidance() {
        let g = |s: &str| Kind::Guidance(s.to_string());
        assert_eq!(kinds("<Beschrijf het probleem:>"), [g("Beschrijf het probleem:")]);
        assert_eq!(kinds("< Beschrijf hoe je monitort>."), [g("Beschrijf hoe je monitort")]);
        assert_eq!(kinds("<vertel wat de incidenten zijn>"), [g("vertel wat de incidenten zijn")]);
        assert_eq!(
            kinds("<jaartal, om aan te geven hoe jong ze zijn>"),
            [g("jaartal, om aan te geven hoe jong ze zijn")]
        );
        assert_eq!(kinds("<Details van de groep>"), [g("Details van de groep")]);
        // An element's name first, but words after it that are no attributes: a sentence.
        assert_eq!(kinds("<Table of contents>"), [g("Table of contents")]);
        assert_eq!(kinds("<Label de groep open>"), [g("Label de groep open")]);
        assert_eq!(kinds("<Details title van de groep>"), [g("Details title van de groep")]);
        assert_eq!(kinds("<Beschrijf de \"aanpak\">"), [g("Beschrijf de \"aanpak\"")]);
        assert_eq!(kinds("<Beschrijf overleg met partners >"), [g("Beschrijf overleg met partners")]);
    }

    #[test]
    fn not_blanks() {
        for text in [
            "<https://example.nl/a>",
            "<naam@domein.nl>",
            "<br>",
            "<br/>",
            "<hr />",
            "<Span>",
            "<B>x</B>",
            "<abbr title=\"x\">ZSM</abbr>",
            "<img src=x onerror=alert(1)>",
            "<details open>",
            "<Details open>",
            "<DETAILS OPEN>",
            "<Details open class=\"x\">",
            "<Input type=checkbox Checked disabled/>",
            "<TABLE BORDER=1>",
            "<Abbr title=\"Zorg en Veiligheidshuis\">",
            "<ol reversed start=3>",
            "<div data-x aria-hidden>",
            "<DATA>",
            "<x-kaart data-id='3'>",
            "</NAAM>",
            "<!-- NAAM -->",
            "<>",
            "< >",
            "a < b en c > d",
            "\\<NAAM>",
            "[x](<NAAM>)",
            "[x]: <NAAM>",
            "<NAAM",
            "<NAAM\nGROEP>",
            "<1 2>",
            "<x-foo data=\"1\">",
            "`a` <a `b` c>",
            "| <A | B> |",
            "<www.example.nl>",
            "<https://example.nl/pad met spatie>",
            "<jan@x.nl en piet>",
        ] {
            assert_eq!(kinds(text), [], "{text}");
        }
    }

    #[test]
    fn choices() {
        let text = "als [midden-risico] of [hoog risico.]   <GEEF EEN TOELICHTING>";
        let s = scan(text);
        assert_eq!(s.blanks.len(), 2);
        assert_eq!(&text[s.blanks[0].orig.clone()], "[midden-risico] of [hoog risico.]");
        assert_eq!(kinds("[a] or [b] OF [c]"), [Kind::Choice]);
        for text in [
            "[a] of [b](x.md)",
            "![a] of [b]",
            "[x][a] of [b]",
            "[ ] of [x]",
            "[^1] of [^2]",
            "[a]",
            "[a] en [b]",
            "[*a*] of [b]",
        ] {
            assert_eq!(kinds(text), [], "{text}");
        }
    }

    #[test]
    fn labels_with_a_definition_are_links_not_alternatives() {
        for text in [
            "[eerste] of [tweede]\n\n[eerste]: a.md\n[tweede]: b.md\n",
            "[1] or [2]\n\n[2]: https://example.nl\n",
            // Labels match as CommonMark matches them: case folded, white space collapsed.
            "[Plan  van\taanpak] of [b]\n\n[PLAN VAN AANPAK]: x.md\n",
            "[a] of [b] of [c]\n\n> [C]: x.md\n",
            // A definition before the text counts as well, and beside footnotes.
            "[a]: x.md\n\n[a] of [b]\n",
            "[a] of [b]\n\n[^1]: noot\n\n[b]: x.md\n",
        ] {
            assert_eq!(kinds(text), [], "{text:?}");
        }
        // Definitions of other labels, or that are no definitions (in code), change nothing.
        for text in [
            "[a] of [b]\n\n[c]: x.md\n",
            "[a] of [b]\n\n    [a]: x.md\n",
            "[a] of [b]\n\n```\n[b]: x.md\n```\n",
            "[a] of [b] en [c]: x\n",
            "[a] of [b] en noot[^1].\n\n[^1]: x.md\n",
        ] {
            assert_eq!(kinds(text), [Kind::Choice], "{text:?}");
        }
    }

    #[test]
    fn markers_and_offsets() {
        let text = "é <NAAM> \u{E000}0\u{E001} [a] of [b]";
        let s = scan(text);
        assert_eq!(s.blanks.len(), 3);
        assert_eq!(s.blanks[1].kind, Kind::Literal);
        for b in &s.blanks {
            assert!(s.src[b.new.clone()].starts_with(OPEN) && s.src[b.new.clone()].ends_with(CLOSE));
        }
        assert_eq!(&s.src[..3], "é ");
        assert!(matches!(scan("geen blanks").src, Cow::Borrowed(_)));
    }
}
