//! Footnotes rendered by planboek itself, so their ids (`fn-1`, `fnref-1`) are prefixed,
//! never collide with heading ids (all ids of a page come from one `Ids`), and every
//! back-link has its target. Definitions are set aside as they stream past and listed at
//! the end of the section, numbered in order of first reference.

use super::notes::Note;
use super::transform::Transform;
use pulldown_cmark::{CowStr, Event, TagEnd};

impl<'a> Transform<'a, '_> {
    /// The index of `label`'s note, numbering it on its first reference.
    fn note(&mut self, label: &str) -> usize {
        if let Some(&index) = self.notes.numbers.get(label) {
            return index;
        }
        let index = self.notes.notes.len();
        let id = self.ids.claim(&format!("fn-{}", index + 1));
        self.notes.notes.push(Note { label: label.to_string(), id, refs: Vec::new() });
        self.notes.numbers.insert(label.to_string(), index);
        index
    }

    /// A reference: `<sup>` linking to its note, with an id the note links back to. The
    /// parser only reports references to labels that have a definition.
    pub fn footnote_ref(&mut self, label: &str) {
        let index = self.note(label);
        let number = index + 1;
        if self.in_alt > 0 {
            // Alt text is an attribute: the number only, and no id to link back to.
            self.out.push(Event::Text(format!("[{number}]").into()));
            return;
        }
        let k = self.notes.notes.get(index).map_or(0, |n| n.refs.len()) + 1;
        let base = if k == 1 { format!("fnref-{number}") } else { format!("fnref-{number}-{k}") };
        let ref_id = self.ids.claim(&base);
        let Some(note) = self.notes.notes.get_mut(index) else { return };
        let html = format!("<sup class=\"footnote-ref\"><a href=\"#{}\" id=\"{ref_id}\">{number}</a></sup>", note.id);
        note.refs.push(ref_id);
        self.out.push(Event::InlineHtml(html.into()));
    }

    /// The list of referenced notes, at the end of the section. A note's text may refer to
    /// further notes, which join the list as it is written.
    pub fn finish_footnotes(&mut self) {
        if self.notes.notes.is_empty() {
            return;
        }
        let section = self.cx.labels.footnotes;
        self.inline(format!("<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"{section}\">\n<ol>\n"));
        let mut i = 0;
        while let Some(note) = self.notes.notes.get(i) {
            let (label, id) = (note.label.clone(), note.id.clone());
            let mut body = self.notes.defs.remove(&label).unwrap_or_default();
            // The back-links go inside the last paragraph, as readers expect.
            let last = match body.last() {
                Some((Event::End(TagEnd::Paragraph), _)) => body.pop(),
                _ => None,
            };
            self.inline(format!("<li id=\"{id}\">"));
            for (event, range) in body {
                self.event(event, range);
            }
            let back = self.backlinks(i);
            self.inline(back);
            if let Some((event, range)) = last {
                self.event(event, range);
            }
            self.inline("</li>\n".to_string());
            i += 1;
        }
        self.inline("</ol>\n</section>\n".to_string());
    }

    /// Links back to every reference of note `i` on the page so far: "↩ Terug naar de tekst",
    /// numbered from the second on. The visible words are the link's whole name (no
    /// `aria-label` that says something else), and the style underlines them.
    fn backlinks(&self, i: usize) -> String {
        let back = self.cx.labels.footnote_back;
        let Some(note) = self.notes.notes.get(i) else { return String::new() };
        let mut out = String::new();
        for (k, id) in note.refs.iter().enumerate() {
            let more = if k == 0 { String::new() } else { format!(" ({})", k + 1) };
            out.push_str(&format!(" <a href=\"#{id}\" class=\"footnote-backref\">↩ {back}{more}</a>"));
        }
        out
    }

    fn inline(&mut self, html: String) {
        self.out.push(Event::InlineHtml(CowStr::from(html)));
    }
}
