//! Where a reader of raw HTML is — in text, in a tag (maybe in a quoted value), or in a
//! comment — so that blanks expand only in an HTML block's text.

/// Where the reader of an HTML block is: in text, inside a tag (maybe in a quoted value),
/// or in a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HtmlAt {
    #[default]
    Text,
    Tag(Option<char>),
    Comment,
}

/// Reading state across the lines (events) of one HTML block.
#[derive(Debug)]
pub struct HtmlState {
    pub state: HtmlAt,
    /// No line of the block read yet.
    pub fresh: bool,
    /// A `<script>`/`<style>`/`<textarea>` block, whose content is never markup.
    pub raw_text: bool,
}

impl Default for HtmlState {
    fn default() -> Self {
        HtmlState { state: HtmlAt::Text, fresh: true, raw_text: false }
    }
}

impl HtmlState {
    /// Moves the state over `s`.
    pub fn advance(&mut self, mut s: &str) {
        loop {
            match self.state {
                HtmlAt::Text => {
                    let Some(lt) = s.find('<') else { return };
                    s = s.get(lt + 1..).unwrap_or_default();
                    if let Some(after) = s.strip_prefix("!--") {
                        s = after;
                        self.state = HtmlAt::Comment;
                    } else if s.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?')) {
                        self.state = HtmlAt::Tag(None);
                    }
                }
                HtmlAt::Comment => {
                    let Some(end) = s.find("-->") else { return };
                    s = s.get(end + 3..).unwrap_or_default();
                    self.state = HtmlAt::Text;
                }
                HtmlAt::Tag(quote) => {
                    let Some(i) = s.find(['"', '\'', '>']) else { return };
                    let c = s.get(i..).and_then(|r| r.chars().next()).unwrap_or('>');
                    s = s.get(i + 1..).unwrap_or_default();
                    self.state = match (quote, c) {
                        (Some(q), c) if q == c => HtmlAt::Tag(None),
                        (Some(q), _) => HtmlAt::Tag(Some(q)),
                        (None, '>') => HtmlAt::Text,
                        (None, c) => HtmlAt::Tag(Some(c)),
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_state_follows_tags_quotes_and_comments() {
        let mut h = HtmlState::default();
        h.advance("<div title=\"a>b");
        assert_eq!(h.state, HtmlAt::Tag(Some('"')));
        h.advance("\">text");
        assert_eq!(h.state, HtmlAt::Text);
        h.advance("a < b <!-- x");
        assert_eq!(h.state, HtmlAt::Comment);
        h.advance("--> y");
        assert_eq!(h.state, HtmlAt::Text);
    }
}
