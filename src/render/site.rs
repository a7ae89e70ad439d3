//! What every page of a build shares (`SiteInfo`), and the printed page's margins, which
//! every page type carries.

use super::version::VersionInfo;
use super::views::DateView;
use crate::config::Config;
use crate::date::Date;
use crate::markdown::Mode;
use crate::model::Classification;

/// What every page of a build shares.
#[derive(Debug, Clone, Copy)]
pub struct SiteInfo<'a> {
    pub config: &'a Config,
    pub mode: Mode,
    /// The reference date of the command: the build date pages show.
    pub today: Date,
    pub audience: Classification,
    /// In a versioned handbook: the version these pages belong to.
    pub version: Option<&'a VersionInfo>,
}

/// The `@page` rules that put the plan's title and the marking at the top of every printed
/// page, and the version (a versioned handbook's, and the build date) at the bottom, beside
/// the page numbers of the theme's style sheet.
pub(super) fn page_css(title: &str, marking: Classification, site: &SiteInfo) -> String {
    let t = crate::i18n::strings(site.config.language);
    let marking = format!("{}: {}", t.get("classification"), t.classification(marking));
    let built = format!("{} {}", t.get("built_on"), DateView::new(site.config.language, site.today).text);
    let version = match site.version {
        Some(v) => format!("{} {} · {built}", t.get("version"), v.slug),
        None => built,
    };
    format!(
        "@page {{ @top-left {{ content: {}; }} @top-right {{ content: {}; }} @bottom-left {{ content: {}; }} }}",
        css_string(title),
        css_string(&marking),
        css_string(&version)
    )
}

/// `s` as a quoted CSS string that cannot end its string or its `<style>` element.
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn css_strings_cannot_break_out() {
        assert_eq!(super::css_string("a\"b</style>\n"), "\"a\\22 b\\3c /style\\3e  \"");
    }
}
