//! The difference of two sections as their readers see them, for the changes page: block by
//! block (paragraphs, list items, headings, table rows), only the changed blocks with one
//! block of context around them, and inside a changed block the words inserted and deleted.
//! Insertions and deletions carry a visually hidden label ("toegevoegd:", "verwijderd:"), so
//! that they are clear without colour and to a screen reader; the style adds underline and
//! strike-through.

use super::blocks::{Block, Kind};
use crate::config::Language;
use crate::i18n::ui_string;
use crate::util::html::escape_html;
use similar::{capture_diff_slices, group_diff_ops, Algorithm, ChangeTag, DiffOp, TextDiff};

/// Unchanged blocks shown before and after each change.
const CONTEXT: usize = 1;

/// The labels of a difference, in the page's language.
#[derive(Clone, Copy)]
pub struct Labels {
    added: &'static str,
    removed: &'static str,
    skipped: &'static str,
}

impl Labels {
    pub fn new(lang: Language) -> Labels {
        Labels {
            added: ui_string(lang, "diff_added"),
            removed: ui_string(lang, "diff_removed"),
            skipped: ui_string(lang, "diff_skipped"),
        }
    }

    fn open(&self, tag: ChangeTag) -> String {
        let (element, label) = match tag {
            ChangeTag::Insert => ("ins", self.added),
            ChangeTag::Delete => ("del", self.removed),
            ChangeTag::Equal => return String::new(),
        };
        format!("<{element}><span class=\"pb-visually-hidden\">{} </span>", escape_html(label))
    }
}

/// The changed blocks of `old` → `new` with their context as escaped HTML; empty when equal.
pub fn diff_blocks(old: &[Block], new: &[Block], labels: Labels) -> String {
    let ops = capture_diff_slices(Algorithm::Myers, old, new);
    let groups = group_diff_ops(ops, CONTEXT);
    let mut out = String::new();
    let (mut old_at, mut new_at) = (0, 0);
    for group in &groups {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        // Unchanged text left out before this group (or at the start).
        if first.old_range().start > old_at || first.new_range().start > new_at {
            gap(&mut out, labels);
        }
        for op in group {
            match *op {
                DiffOp::Equal { new_index, len, .. } => {
                    for b in &new[new_index..new_index + len] {
                        block(&mut out, b.kind, "", &escape_html(&b.text));
                    }
                }
                DiffOp::Delete { old_index, old_len, .. } => {
                    whole(&mut out, &old[old_index..old_index + old_len], ChangeTag::Delete, labels)
                }
                DiffOp::Insert { new_index, new_len, .. } => {
                    whole(&mut out, &new[new_index..new_index + new_len], ChangeTag::Insert, labels)
                }
                DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                    replaced(
                        &mut out,
                        &old[old_index..old_index + old_len],
                        &new[new_index..new_index + new_len],
                        labels,
                    );
                }
            }
        }
        (old_at, new_at) = (last.old_range().end, last.new_range().end);
    }
    if !groups.is_empty() && (old_at < old.len() || new_at < new.len()) {
        gap(&mut out, labels);
    }
    out
}

/// Blocks replaced by others: paired in order while their kinds agree, each pair diffed by
/// word; the rest deleted or inserted whole.
fn replaced(out: &mut String, old: &[Block], new: &[Block], labels: Labels) {
    let pairs = old.iter().zip(new).take_while(|(o, n)| o.kind == n.kind).count();
    for (o, n) in old.iter().zip(new).take(pairs) {
        block(out, n.kind, " pb-diff__block--changed", &diff_words(&o.text, &n.text, labels));
    }
    whole(out, &old[pairs..], ChangeTag::Delete, labels);
    whole(out, &new[pairs..], ChangeTag::Insert, labels);
}

/// Blocks inserted or deleted as a whole.
fn whole(out: &mut String, blocks: &[Block], tag: ChangeTag, labels: Labels) {
    let (class, close) = match tag {
        ChangeTag::Insert => (" pb-diff__block--added", "</ins>"),
        _ => (" pb-diff__block--removed", "</del>"),
    };
    for b in blocks {
        block(out, b.kind, class, &format!("{}{}{close}", labels.open(tag), escape_html(&b.text)));
    }
}

fn block(out: &mut String, kind: Kind, class: &str, html: &str) {
    let element = if kind == Kind::Code { "pre" } else { "p" };
    out.push_str(&format!(
        "<{element} class=\"pb-diff__block pb-diff__block--{}{class}\">{html}</{element}>\n",
        kind.as_str()
    ));
}

/// The mark of unchanged blocks left out.
fn gap(out: &mut String, labels: Labels) {
    out.push_str(&format!(
        "<p class=\"pb-diff__gap\"><span aria-hidden=\"true\">…</span><span class=\"pb-visually-hidden\">{}</span></p>\n",
        escape_html(labels.skipped)
    ));
}

/// The word-level difference of two texts as escaped HTML with labelled `<ins>` and `<del>`.
pub fn diff_words(old: &str, new: &str, labels: Labels) -> String {
    let diff = TextDiff::configure().diff_words(old, new);
    let mut out = String::new();
    let mut open: Option<ChangeTag> = None;
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        if open != Some(tag) {
            close(&mut out, open);
            out.push_str(&labels.open(tag));
            open = Some(tag);
        }
        out.push_str(&escape_html(change.value()));
    }
    close(&mut out, open);
    out
}

fn close(out: &mut String, tag: Option<ChangeTag>) {
    match tag {
        Some(ChangeTag::Insert) => out.push_str("</ins>"),
        Some(ChangeTag::Delete) => out.push_str("</del>"),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Block {
        Block { kind: Kind::Paragraph, text: text.into() }
    }

    /// The HTML without its hidden labels, as a sighted reader sees it.
    fn seen(html: &str) -> String {
        html.replace("<span class=\"pb-visually-hidden\">toegevoegd: </span>", "")
            .replace("<span class=\"pb-visually-hidden\">verwijderd: </span>", "")
    }

    #[test]
    fn words_inserted_and_deleted_are_labelled() {
        let labels = Labels::new(Language::Nl);
        let html = diff_words("de groep is klein", "de groep is groot", labels);
        assert_eq!(seen(&html), "de groep is <del>klein</del><ins>groot</ins>");
        assert!(html.contains("<del><span class=\"pb-visually-hidden\">verwijderd: </span>klein</del>"), "{html}");
        let en = diff_words("a", "b", Labels::new(Language::En));
        assert!(en.contains(">added: </span>b</ins>") && en.contains(">removed: </span>a</del>"), "{en}");
    }

    #[test]
    fn only_changed_blocks_with_one_block_of_context() {
        let old: Vec<Block> = ["een", "twee", "drie", "vier", "vijf", "zes", "zeven"].map(p).to_vec();
        let mut new = old.clone();
        new[3] = p("VIER");
        new.push(Block { kind: Kind::Item, text: "acht".into() });
        let html = diff_blocks(&old, &new, Labels::new(Language::Nl));
        let shown: Vec<&str> = html.lines().collect();
        assert_eq!(shown.len(), 7, "{html}");
        assert!(shown[0].starts_with("<p class=\"pb-diff__gap\">"), "{html}");
        assert_eq!(shown[1], "<p class=\"pb-diff__block pb-diff__block--p\">drie</p>");
        assert!(seen(shown[2]).contains("--changed\"><del>vier</del><ins>VIER</ins></p>"), "{html}");
        assert_eq!(shown[3], "<p class=\"pb-diff__block pb-diff__block--p\">vijf</p>");
        assert!(shown[4].starts_with("<p class=\"pb-diff__gap\">"), "{html}");
        assert_eq!(shown[5], "<p class=\"pb-diff__block pb-diff__block--p\">zeven</p>");
        assert!(seen(shown[6]).contains("pb-diff__block--li pb-diff__block--added\"><ins>acht</ins>"), "{html}");
        assert!(!html.contains("een") && !html.contains("twee"), "unchanged blocks far from a change are left out");
        assert!(diff_blocks(&old, &old, Labels::new(Language::Nl)).is_empty());
    }

    #[test]
    fn text_is_escaped() {
        let html = diff_blocks(&[p("<b>")], &[p("<i>")], Labels::new(Language::Nl));
        assert!(!html.contains("<b>") && html.contains("&lt;i&gt;"), "{html}");
    }
}
