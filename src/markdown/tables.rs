//! Content tables in a scroll region: a table wider than the screen scrolls inside a
//! labelled, focusable region (so keyboard users can scroll it too) instead of making the
//! whole page wider than the screen (WCAG 1.4.10 reflow).

use crate::util::html::escape_html;

/// `html` with every `<table>` wrapped in a region labelled `label` and its number on the
/// page (`Tabel 2`), and where (in `html`) and how many bytes went in, for `spans::shift`.
/// Runs on the finished HTML (after cleaning), where a `<table` can only be a tag: text and
/// attribute values hold `&lt;`.
pub fn wrap_tables(html: String, label: &str) -> (String, Vec<(usize, usize)>) {
    // Most pages hold no table: they are handed back as they are, not copied. `memmem`
    // looks for the word, not for each `<` of the page as `str::contains` would.
    if memchr::memmem::find(html.as_bytes(), b"<table").is_none() {
        return (html, Vec::new());
    }
    let mut inserted = Vec::new();
    let mut out = String::with_capacity(html.len() + 128);
    let mut n = 0;
    let mut copied = 0;
    for at in table_tags(html.as_bytes()) {
        let tag = &html[at..];
        if tag.starts_with("</table>") {
            let end = at + "</table>".len();
            out.push_str(&html[copied..end]);
            out.push_str("</div>");
            inserted.push((end, "</div>".len()));
            copied = end;
        } else if is_table_start(tag) {
            n += 1;
            out.push_str(&html[copied..at]);
            let before = out.len();
            out.push_str(&format!(
                "<div class=\"pb-scroll pb-scroll--table\" role=\"region\" aria-label=\"{} {n}\" tabindex=\"0\">",
                escape_html(label)
            ));
            inserted.push((at, out.len() - before));
            copied = at;
        }
    }
    out.push_str(&html[copied..]);
    (out, inserted)
}

/// Where `<table` and `</table` start in `html`, in order: the only tags `wrap_tables` looks
/// at, found by the word rather than by reading every tag.
fn table_tags(html: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memmem::find_iter(html, b"table").filter_map(|i| match html.get(..i) {
        Some([.., b'<', b'/']) => Some(i - 2),
        Some([.., b'<']) => Some(i - 1),
        _ => None,
    })
}

/// Whether `s` starts with a table's start tag (`<table>`, `<table class=…>`, not `<tablex`).
fn is_table_start(s: &str) -> bool {
    s.starts_with("<table") && matches!(s.as_bytes().get("<table".len()), Some(b'>' | b' ' | b'\n' | b'\t' | b'/'))
}

#[cfg(test)]
mod tests {
    use super::wrap_tables;

    #[test]
    fn every_table_is_wrapped_and_numbered() {
        let html = "<p>a</p>\n<table>\n<tr><td>1</td></tr></table>\n<table class=\"x\"><tr><td>2</td></tr></table>";
        let (out, inserted) = wrap_tables(html.into(), "Tabel");
        assert_eq!(
            out,
            "<p>a</p>\n<div class=\"pb-scroll pb-scroll--table\" role=\"region\" aria-label=\"Tabel 1\" tabindex=\"0\"><table>\n\
             <tr><td>1</td></tr></table></div>\n<div class=\"pb-scroll pb-scroll--table\" role=\"region\" aria-label=\"Tabel 2\" \
             tabindex=\"0\"><table class=\"x\"><tr><td>2</td></tr></table></div>"
        );
        // Where the wrappers went, in the HTML before: each table's start and end.
        let div =
            "<div class=\"pb-scroll pb-scroll--table\" role=\"region\" aria-label=\"Tabel 1\" tabindex=\"0\">".len();
        assert_eq!(inserted, [(9, div), (44, 6), (45, div), (89, 6)]);
        assert_eq!(wrap_tables("<p>&lt;table&gt;</p>".into(), "T").0, "<p>&lt;table&gt;</p>");
        assert_eq!(wrap_tables("<tablex>".into(), "T").0, "<tablex>");
        // The word alone, at the very start or in text, is no tag.
        let (words, inserted) = wrap_tables("table <p>tables </table <table>x</table>".into(), "T");
        assert_eq!(inserted.len(), 2, "{words}");
        assert!(words.starts_with("table <p>tables </table <div ") && words.ends_with("</table></div>"), "{words}");
        assert!(
            wrap_tables("<table><tr><td><table></table></td></tr></table>".into(), "T").0.matches("</div>").count()
                == 2
        );
        let mixed = wrap_tables("<tablex><table><tr><td>1</td></tr></table>".into(), "T").0;
        assert_eq!(mixed.matches("<div").count(), 1);
        assert!(mixed.starts_with("<tablex><div ") && mixed.ends_with("</table></div>"), "{mixed}");
    }
}
