//! Small helpers every layer uses: HTML escaping, URL and path arithmetic, slugs,
//! containment of paths in the site root, sealing what an output keeps, and what identifies
//! the running planboek.

pub mod exe;
pub mod fs;
pub mod html;
pub mod seal;
pub mod slug;
pub mod url;

/// `src` with each `open` that `fill` accepts replaced: `fill` gets the text after `open`
/// and returns the replacement and the text left after what it replaced. For template
/// expressions that are the same on every page (`i18n::localize`, a theme's asset addresses),
/// so that Tera need not evaluate them page by page.
pub fn replace_each<'a>(src: &'a str, open: &str, fill: impl Fn(&'a str) -> Option<(String, &'a str)>) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        let after = &rest[i + open.len()..];
        match fill(after) {
            Some((text, tail)) => {
                out.push_str(&text);
                rest = tail;
            }
            None => {
                out.push_str(open);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `n` with its noun in the right number: `count(1, "plan", "plans")` is "1 plan",
/// `count(2, "plan", "plans")` "2 plans" (and so for Dutch: "1 actie", "2 acties").
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_take_the_singular_for_one_only() {
        assert_eq!(super::count(1, "warning", "warnings"), "1 warning");
        assert_eq!(super::count(0, "warning", "warnings"), "0 warnings");
        assert_eq!(super::count(2, "actie", "acties"), "2 acties");
    }
}
