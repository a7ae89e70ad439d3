//! What one rendered page tells the lints, kept after its HTML is written and dropped.

use crate::diag::{lints, Diagnostic};
use crate::markdown::{AnchorRef, Heading, Rendered};
use crate::model::Status;

/// A page's headings, anchor links, emptiness and findings.
#[derive(Debug, Clone, Default)]
pub struct PageFacts {
    /// Output path relative to the output root.
    pub out: String,
    pub headings: Vec<Heading>,
    pub anchors: Vec<AnchorRef>,
    /// The page's own text is empty (nothing but whitespace and markup).
    pub empty: bool,
    pub diagnostics: Vec<Diagnostic>,
}

impl PageFacts {
    /// Takes what the lints need from `rendered`. Guidance is reported only where the page's
    /// status says it is adopted: in a draft, guidance is what the editor still works from.
    pub fn new(out: &str, status: Option<Status>, rendered: &mut Rendered) -> PageFacts {
        let adopted = status == Some(Status::Vastgesteld);
        let mut diagnostics = std::mem::take(&mut rendered.diagnostics);
        diagnostics.retain(|d| adopted || d.code != lints::GUIDANCE_LEFT.code);
        PageFacts {
            out: out.to_string(),
            headings: std::mem::take(&mut rendered.headings),
            anchors: std::mem::take(&mut rendered.anchors),
            empty: !has_text(&rendered.html),
            diagnostics,
        }
    }
}

/// Whether `html` holds any text outside its tags.
fn has_text(html: &str) -> bool {
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_outside_tags() {
        assert!(!super::has_text("<p> </p>\n<h2 id=\"x\"></h2>"));
        assert!(super::has_text("<p>a</p>"));
    }
}
