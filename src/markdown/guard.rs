//! The personal-data guard's state while one section renders, as plain data: the text
//! waiting to be checked, the lines the allow comment covers, the context of the current
//! block, the table and the links being read. `personal.rs` drives it from the transform.

use crate::diag::{lints, Lint};
use crate::privacy::{self, tail, Context, Kind};
use pulldown_cmark::Event;
use pulldown_cmark::{CowStr, LinkType, Tag, TagEnd};
use std::collections::BTreeSet;

/// How much of the block's earlier text is context ("Geboren:" before a date).
const CONTEXT: usize = 64;

/// Where a piece of output text stands in the source.
#[derive(Clone, Copy)]
pub enum Pos {
    /// Verbatim from the parsed source at this offset of the rewritten text.
    Verbatim(usize),
    /// Made from what stands at this offset of the original text (a filled placeholder).
    At(usize),
}

impl Pos {
    /// Where the part of a piece that starts `k` bytes into it stands.
    pub fn plus(self, k: usize) -> Pos {
        match self {
            Pos::Verbatim(at) => Pos::Verbatim(at + k),
            Pos::At(at) => Pos::At(at),
        }
    }
}

/// A text (or code) event of the output, waiting to be checked with its neighbours.
pub struct Piece {
    pub at: usize,
    pub pos: Pos,
    /// Can be wrapped in a mark (not an attribute such as alt text).
    pub markable: bool,
    pub code: bool,
}

/// The table being read: which columns are headed "Geboortedatum" or the like.
#[derive(Default)]
pub struct Table {
    pub birth: Vec<bool>,
    pub col: usize,
    pub head: bool,
}

/// An open `mailto:`/`tel:` link: what its target holds, and what its text showed of it.
pub struct OpenLink {
    pub at: usize,
    pub orig: usize,
    pub found: Vec<(Kind, String, String)>,
    pub shown: Vec<String>,
}

/// The guard's state while one section renders.
#[derive(Default)]
pub struct Guard {
    pub pending: Vec<Piece>,
    /// File lines on which personal data is allowed by the comment, once a finding asks.
    pub allowed: Option<BTreeSet<u32>>,
    /// Where the current block's events start in the output: its earlier text is the
    /// context of a date ("Geboren:" in bold before it).
    pub block_start: usize,
    pub table: Option<Table>,
    pub links: Vec<OpenLink>,
}

impl Guard {
    /// A tag starts at output index `at`, original offset `orig`: context stops at a block,
    /// tables and links are followed.
    pub fn start(&mut self, tag: &Tag, at: usize, orig: impl Fn() -> usize) {
        if !inline(tag.to_end()) {
            self.block_start = at;
        }
        match tag {
            Tag::Table(_) => self.table = Some(Table::default()),
            Tag::TableHead => self.table.iter_mut().for_each(|t| (t.head, t.col) = (true, 0)),
            Tag::TableRow => self.table.iter_mut().for_each(|t| t.col = 0),
            Tag::Link { link_type, dest_url, .. } => {
                // An autolink shows its address as its text, which is checked as text.
                let found = match link_type {
                    LinkType::Autolink | LinkType::Email => Vec::new(),
                    _ => target_findings(dest_url),
                };
                self.links.push(OpenLink { at, orig: orig(), found, shown: Vec::new() });
            }
            _ => {}
        }
    }

    /// A tag ends at output index `at` (a link's end is `personal.rs`'s, as it reports).
    pub fn end(&mut self, end: TagEnd, at: usize) {
        if !inline(end) {
            self.block_start = at;
        }
        match end {
            TagEnd::TableHead => self.table.iter_mut().for_each(|t| t.head = false),
            TagEnd::TableCell => self.table.iter_mut().for_each(|t| t.col += 1),
            TagEnd::Table => self.table = None,
            _ => {}
        }
    }
}

/// The lint of a kind of personal data.
pub fn lint(kind: Kind) -> Lint {
    match kind {
        Kind::Bsn => lints::PERSONAL_BSN,
        Kind::BirthDate => lints::PERSONAL_BIRTH_DATE,
        Kind::Phone => lints::PERSONAL_PHONE,
        Kind::Email => lints::PERSONAL_EMAIL,
        Kind::Plate => lints::PERSONAL_PLATE,
    }
}

/// Whether a tag is inline; every other start or end is a block boundary, where context stops.
fn inline(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// What a `mailto:` or `tel:` URL holds: (kind, key, masked) per finding.
fn target_findings(url: &CowStr) -> Vec<(Kind, String, String)> {
    let lower = url.get(..7).unwrap_or(url).to_ascii_lowercase();
    let value = if lower.starts_with("mailto:") {
        url.get(7..).unwrap_or_default().split('?').next().unwrap_or_default()
    } else if lower.starts_with("tel:") {
        url.get(4..).unwrap_or_default()
    } else {
        return Vec::new();
    };
    let value = crate::util::url::percent_decode(value);
    privacy::scan(&value, &Context::default())
        .into_iter()
        .map(|f| {
            let masked = f.kind.mask(value.get(f.range.clone()).unwrap_or_default());
            (f.kind, f.key, masked)
        })
        .collect()
}

/// The last bytes of the text of `events` (a block's events before a run), breaks as spaces.
/// Only the last `CONTEXT` events are read, so that a block of many empty elements costs no
/// more per run than a short one.
pub fn context(events: &[Event]) -> String {
    let mut parts = Vec::new();
    let mut len = 0;
    for e in events.iter().rev().take(CONTEXT) {
        let text = match e {
            Event::Text(t) | Event::Code(t) => t,
            Event::SoftBreak | Event::HardBreak => " ",
            _ => continue,
        };
        let part = tail(text, CONTEXT - len);
        len += part.len();
        parts.push(part);
        if len >= CONTEXT {
            break;
        }
    }
    parts.iter().rev().copied().collect()
}
