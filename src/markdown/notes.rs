//! The footnotes of a section as they stream past: definitions set aside, and the numbering
//! of the referenced ones (rendered at the end of the section by `footnotes.rs`).

use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// Parser events with their source ranges.
type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// One numbered footnote: its label, its id and the ids of its references on the page.
#[derive(Debug)]
pub struct Note {
    pub label: String,
    pub id: String,
    pub refs: Vec<String>,
}

/// The footnote definitions of a section and the numbering of the referenced ones.
#[derive(Debug, Default)]
pub struct Footnotes<'a> {
    pub defs: HashMap<String, Events<'a>>,
    /// The definition being set aside: its label, its events and its nesting depth.
    open: Option<(String, Events<'a>, u32)>,
    pub numbers: HashMap<String, usize>,
    pub notes: Vec<Note>,
}

impl<'a> Footnotes<'a> {
    /// Sets the event aside when it belongs to a definition (opening one if it starts one);
    /// gives it back otherwise.
    #[inline]
    pub fn set_aside(&mut self, event: Event<'a>, range: Range<usize>) -> Option<(Event<'a>, Range<usize>)> {
        let Some((_, body, depth)) = &mut self.open else {
            if let Event::Start(Tag::FootnoteDefinition(label)) = event {
                self.open = Some((label.to_string(), Vec::new(), 1));
                return None;
            }
            return Some((event, range));
        };
        match &event {
            Event::Start(Tag::FootnoteDefinition(_)) => *depth += 1,
            Event::End(TagEnd::FootnoteDefinition) => *depth = depth.saturating_sub(1),
            _ => {}
        }
        if *depth > 0 {
            body.push((event, range));
        } else if let Some((label, body, _)) = self.open.take() {
            // The first definition of a label wins, as in CommonMark link references.
            self.defs.entry(label).or_insert(body);
        }
        None
    }
}
