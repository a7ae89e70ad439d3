//! "(actie A5)" in a text links to the row of action A5 on its section's page, when an
//! action of that id is published in the same plan (`LinkIndex::actions`).

use super::guard::Pos;
use super::transform::Transform;
use super::LinkIndex;
use crate::util::html::escape_html;
use crate::util::url::relative;
use pulldown_cmark::{CowStr, Event};

/// The words that introduce an action's id, lower case, in both languages.
const WORDS: [&str; 2] = ["actie ", "action "];

impl<'a> Transform<'a, '_> {
    /// Pushes `text` (its first byte at `pos`) as `push_piece` does, with each reference to a
    /// known action as a link to its row; plain text inside a link, a heading, an alt text,
    /// a code block or after raw HTML (which may open a link).
    pub(super) fn push_linked(&mut self, text: CowStr<'a>, pos: Pos) {
        let linkable = !self.cx.links.actions.is_empty()
            && self.heading_text.is_none()
            && self.in_alt == 0
            && !self.code_block
            && !self.in_link()
            && !self.raw_html;
        let plan = self.cx.source_rel.split('/').next().unwrap_or_default();
        let mut refs = Vec::new();
        let mut from = 0;
        while let Some((start, end, target)) =
            linkable.then(|| next_reference(&text[from..], plan, self.cx.links)).flatten()
        {
            refs.push((from + start, from + end, escape_html(&relative(self.cx.page_out, target))));
            from += end;
        }
        if refs.is_empty() {
            self.push_piece(text, pos);
            return;
        }
        let mut done = 0;
        for (start, end, href) in refs {
            if start > done {
                self.push_piece(text[done..start].to_string().into(), pos.plus(done));
            }
            self.out.push(Event::InlineHtml(format!("<a href=\"{href}\" class=\"pb-action-ref\">").into()));
            self.push_piece(text[start..end].to_string().into(), pos.plus(start));
            self.out.push(Event::InlineHtml(CowStr::Borrowed("</a>")));
            done = end;
        }
        if done < text.len() {
            self.push_piece(text[done..].to_string().into(), pos.plus(done));
        }
    }
}

/// The next "actie <id>" in `s` whose id is an action of `plan`: its byte range and target.
fn next_reference<'l>(s: &str, plan: &str, links: &'l LinkIndex) -> Option<(usize, usize, &'l str)> {
    let mut from = 0;
    loop {
        let (at, word) = next_word(s, from)?;
        from = at + word;
        let boundary = !s[..at].chars().next_back().is_some_and(char::is_alphanumeric);
        let id_len =
            s[from..].find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(s.len() - from);
        let id = s[from..from + id_len].trim_end_matches(['.', '-', '_']);
        if boundary && !id.is_empty() {
            if let Some(target) = links.actions.get(&LinkIndex::action_key(plan, id)) {
                return Some((at, from + id.len(), target));
            }
        }
    }
}

/// Where the next of `WORDS` starts in `s` at or after `from`, in any case, and its length.
/// Every text of a page passes here, so it looks only at each `c` (rarer in Dutch and English
/// than the `a` the words begin with, and found with memchr's vectorised search) rather than
/// copying the text to lower case.
fn next_word(s: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut i = from + 1;
    while let Some(k) = memchr::memchr2(b'c', b'C', bytes.get(i..)?) {
        let at = i + k - 1;
        let rest = &bytes[at..];
        if let Some(w) =
            WORDS.iter().find(|w| rest.get(..w.len()).is_some_and(|r| r.eq_ignore_ascii_case(w.as_bytes())))
        {
            return Some((at, w.len()));
        }
        i = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_by_id_in_either_language() {
        let mut links = LinkIndex::default();
        links.actions.insert(LinkIndex::action_key("p", "A5"), "p/05.html#pb-action-a5".into());
        let found = |s: &'static str| next_reference(s, "p", &links).map(|(a, b, t)| (&s[a..b], t.to_string()));
        assert_eq!(found("zie (actie A5)."), Some(("actie A5", "p/05.html#pb-action-a5".into())));
        assert_eq!(found("Action a5."), Some(("Action a5", "p/05.html#pb-action-a5".into())));
        assert_eq!(found("transactie A5"), None, "only the word actie");
        assert_eq!(found("actie A6, actie A5"), Some(("actie A5", "p/05.html#pb-action-a5".into())));
        assert_eq!(next_reference("actie A5", "q", &links), None, "another plan's action");
        assert_eq!(found("actie "), None);
        assert_eq!(found("ACTIE Ä5 ë"), None);
        assert_eq!(found("één cactie, ACTIE a5"), Some(("ACTIE a5", "p/05.html#pb-action-a5".into())));
        assert_eq!(found("actie"), None, "a word without an id");
        assert_eq!(found("c"), None);
    }
}
