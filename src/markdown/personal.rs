//! The personal-data guard in a section's text: the text a reader sees (placeholders filled,
//! code and raw HTML included, a `mailto:` or `tel:` link's target too) goes through the
//! detectors of `crate::privacy`, each finding is reported at its file position, and in
//! preview it is marked where it stands. Only sections the pipeline hands a `Privacy` for
//! (those below `vertrouwelijk`) are checked; what a finding weighs is the pipeline's call.
//!
//! Text events are checked in runs: consecutive text pushed to the output is scanned as one
//! string (the parser splits `jan_jansen@…` at the `_`), when the next event of another kind
//! arrives.

use super::guard::{context, lint, Guard, Piece, Pos};
use super::position::Positions;
use super::transform::Transform;
use super::Mode;
use crate::diag::Diagnostic;
use crate::privacy::{self, Context, Finding, Kind, ALLOW_COMMENT};
use crate::util::html::escape_into as escape;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Range;

impl<'a> Transform<'a, '_> {
    /// Pushes text parsed at offset `new` of the rewritten source to the output, where the
    /// guard checks it with its neighbours; `verbatim` when it is that source's very bytes
    /// (not an entity or escape), so that a finding in it has its own column.
    pub fn push_text(&mut self, text: CowStr<'a>, new: usize, verbatim: bool) {
        let pos = if verbatim { Pos::Verbatim(new) } else { Pos::At(Positions::orig(self.blanks, new)) };
        self.push_linked(text, pos);
    }

    /// Pushes text that stands for what is at offset `orig` of the original text: a filled
    /// placeholder's value.
    pub fn push_value(&mut self, text: CowStr<'a>, orig: usize) {
        self.push_piece(text, Pos::At(orig));
    }

    pub(super) fn push_piece(&mut self, text: CowStr<'a>, pos: Pos) {
        if let Some(g) = &self.guard {
            if g.pending.last().is_some_and(|p| p.code || p.at + 1 != self.out.len()) {
                self.flush_personal();
            }
        }
        let at = self.out.len();
        self.out.push(Event::Text(text));
        let markable = self.in_alt == 0;
        if let Some(g) = &mut self.guard {
            g.pending.push(Piece { at, pos, markable, code: false });
        }
    }

    /// Sees every event before the transform handles it: text of other kinds is checked
    /// at once, what stood before is checked as a run, and context is kept.
    pub fn guard_event(&mut self, event: &Event<'a>, range: &Range<usize>) {
        if self.guard.is_none() || matches!(event, Event::Text(_)) {
            return;
        }
        self.flush_personal();
        // Raw HTML and a link's end report, and so need the whole transform.
        if matches!(event, Event::Html(_) | Event::InlineHtml(_) | Event::End(TagEnd::Link)) {
            let Some(mut g) = self.guard.take() else { return };
            match event {
                Event::Html(html) | Event::InlineHtml(html) => self.raw_markup(&mut g, html, range),
                _ => self.end_link(&mut g),
            }
            self.guard = Some(g);
            return;
        }
        let (at, markable, blanks) = (self.out.len(), self.in_alt == 0, self.blanks);
        let orig = || Positions::orig(blanks, range.start);
        let Some(g) = &mut self.guard else { return };
        match event {
            Event::Start(tag) => g.start(tag, at, orig),
            Event::End(end) => g.end(*end, at),
            // The code event the transform pushes next, checked on its own.
            Event::Code(_) => g.pending.push(Piece { at, pos: Pos::At(orig()), markable, code: true }),
            _ => {}
        }
    }

    /// A link's target findings that its text did not show: reported at the link, and in
    /// preview its text is marked.
    fn end_link(&mut self, g: &mut Guard) {
        let Some(link) = g.links.pop() else { return };
        let mut marked = false;
        for (kind, key, masked) in link.found {
            if link.shown.contains(&key) {
                continue;
            }
            marked |= self.report_personal(g, kind, &key, &masked, link.orig);
        }
        if marked && self.cx.mode == Mode::Preview && self.in_alt == 0 {
            let open = matches!(self.out.get(link.at), Some(Event::Start(Tag::Link { .. })));
            self.out.insert(link.at + usize::from(open), Event::InlineHtml(self.mark_open().into()));
            self.out.push(Event::InlineHtml("</mark>".into()));
        }
    }

    /// Raw HTML: personal data in the markup itself (reported, not marked).
    fn raw_markup(&mut self, g: &mut Guard, html: &str, range: &Range<usize>) {
        if !privacy::worth_scanning(html) {
            return;
        }
        let verbatim = html.len() == range.len();
        for f in privacy::scan(html, &Context::default()) {
            let orig = if verbatim {
                Positions::orig(self.blanks, range.start + f.range.start)
            } else {
                Positions::orig(self.blanks, range.start)
            };
            let masked = f.kind.mask(html.get(f.range.clone()).unwrap_or_default());
            self.report_personal(g, f.kind, &f.key, &masked, orig);
        }
    }

    /// Checks the text waiting in the guard. Most text holds no digit and no `@`, and is
    /// passed without the guard leaving the transform or anything allocated.
    #[inline]
    pub fn flush_personal(&mut self) {
        if self.guard.as_ref().is_some_and(|g| !g.pending.is_empty()) {
            self.flush_pending();
        }
    }

    fn flush_pending(&mut self) {
        let Some(g) = self.guard.as_mut() else { return };
        let head = g.table.as_ref().is_some_and(|t| t.head);
        let out = &self.out;
        if !head && !g.pending.iter().any(|p| privacy::worth_scanning(piece_text(out, p))) {
            g.pending.clear();
            return;
        }
        let Some(mut g) = self.guard.take() else { return };
        let mut pieces = std::mem::take(&mut g.pending);
        self.check_run(&mut g, &pieces);
        // The vector is kept for the next run.
        pieces.clear();
        g.pending = pieces;
        self.guard = Some(g);
    }

    /// Scans one run of text, reports its findings and marks them in preview.
    fn check_run(&mut self, g: &mut Guard, pieces: &[Piece]) {
        let Some(first) = pieces.first() else { return };
        let out = &self.out;
        // One piece (the usual case) is scanned where it is; a run is joined.
        let text: Cow<str> = match pieces {
            [one] => Cow::Borrowed(piece_text(out, one)),
            _ => Cow::Owned(pieces.iter().map(|p| piece_text(out, p)).collect()),
        };
        let birth_column = match &mut g.table {
            Some(t) if t.head => {
                if privacy::names_birth(&text) {
                    t.birth.resize(t.birth.len().max(t.col + 1), false);
                    t.birth[t.col] = true;
                }
                false
            }
            Some(t) => t.birth.get(t.col).copied().unwrap_or(false),
            None => false,
        };
        let before = if privacy::worth_scanning(&text) {
            context(out.get(g.block_start..first.at).unwrap_or_default())
        } else {
            String::new()
        };
        let found = privacy::scan(&text, &Context { before: &before, birth_column });
        if found.is_empty() {
            return;
        }
        // Where each piece starts in the run, and what is reported of each finding.
        let mut starts = Vec::with_capacity(pieces.len());
        let mut len = 0;
        for p in pieces {
            starts.push(len);
            len += piece_text(out, p).len();
        }
        let masked: Vec<String> =
            found.iter().map(|f| f.kind.mask(text.get(f.range.clone()).unwrap_or_default())).collect();
        let text = text.into_owned();
        let mut marks = Vec::new();
        for (f, masked) in found.into_iter().zip(masked) {
            let k = starts.partition_point(|&s| s <= f.range.start).saturating_sub(1);
            let orig = match pieces.get(k).map(|p| p.pos) {
                Some(Pos::Verbatim(new)) => Positions::orig(self.blanks, new + f.range.start - starts[k]),
                Some(Pos::At(orig)) => orig,
                None => 0,
            };
            if let Some(link) = g.links.last_mut() {
                link.shown.push(f.key.clone());
            }
            if self.report_personal(g, f.kind, &f.key, &masked, orig) {
                marks.push(f);
            }
        }
        let markable = pieces.iter().all(|p| p.markable);
        if !marks.is_empty() && markable && self.cx.mode == Mode::Preview {
            self.mark(pieces, &text, &marks);
        }
    }

    /// Reports a finding at original offset `orig` unless it is allowed; whether it was.
    fn report_personal(&mut self, g: &mut Guard, kind: Kind, key: &str, masked: &str, orig: usize) -> bool {
        let Some(privacy) = self.cx.privacy else { return false };
        let (line, column) = self.pos.line_col(orig);
        let allowed = g.allowed.get_or_insert_with(|| allowed_lines(self.text, self.cx.body_line));
        if allowed.contains(&line) || privacy.allow.allows(key) {
            return false;
        }
        let message = kind.message(masked, privacy.classification.as_str());
        self.diagnostics
            .push(Diagnostic::new(lint(kind), self.cx.file, line, column, message).with_help(kind.help(true)));
        true
    }

    fn mark_open(&self) -> String {
        let mut open = String::from("<mark class=\"pb-personal\" title=\"");
        escape(self.cx.labels.personal, &mut open);
        open.push_str("\">");
        open
    }

    /// Replaces the run's events by the same text with each finding in a mark.
    fn mark(&mut self, pieces: &[Piece], joined: &str, marks: &[Finding]) {
        let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else { return };
        let open = self.mark_open();
        let mut events: Vec<Event<'a>> = Vec::new();
        let mut html = String::new();
        let mut done = 0;
        for f in marks {
            let before = joined.get(done..f.range.start).unwrap_or_default();
            let found = joined.get(f.range.clone()).unwrap_or_default();
            if first.code {
                escape(before, &mut html);
                html.push_str(&open);
                escape(found, &mut html);
                html.push_str("</mark>");
            } else {
                if !before.is_empty() {
                    events.push(Event::Text(before.to_string().into()));
                }
                let mut mark = open.clone();
                escape(found, &mut mark);
                mark.push_str("</mark>");
                events.push(Event::InlineHtml(mark.into()));
            }
            done = f.range.end;
        }
        let rest = joined.get(done..).unwrap_or_default();
        if first.code {
            escape(rest, &mut html);
            events.push(Event::InlineHtml(format!("<code>{html}</code>").into()));
        } else if !rest.is_empty() {
            events.push(Event::Text(rest.to_string().into()));
        }
        if last.at < self.out.len() {
            self.out.splice(first.at..=last.at, events);
        }
    }
}

/// The text of the output event a piece stands for.
fn piece_text<'o>(out: &'o [Event], p: &Piece) -> &'o str {
    match out.get(p.at) {
        Some(Event::Text(t) | Event::Code(t)) => t,
        _ => "",
    }
}

/// The file lines on which the allow comment allows personal data: the lines of each
/// `<!-- planboek: allow persoonsgegevens -->` and the line after it. Read from the section's
/// text only once it has a finding, so a trailing comment counts as well.
fn allowed_lines(text: &str, body_line: u32) -> BTreeSet<u32> {
    let line_of = |at: usize| {
        let breaks = text.get(..at).unwrap_or_default().bytes().filter(|&b| b == b'\n').count();
        body_line.saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX))
    };
    let mut lines = BTreeSet::new();
    for (at, _) in text.match_indices(ALLOW_COMMENT) {
        // Only a comment that says just that: `<!--`, blanks, the words (not prose about them).
        let head = text.get(..at).unwrap_or_default().trim_end();
        let Some(open) = head.strip_suffix("<!--").map(str::len) else { continue };
        let close = text.get(at..).and_then(|t| t.find("-->")).map_or(at, |c| at + c);
        lines.extend(line_of(open)..=line_of(close).saturating_add(1));
    }
    lines
}
