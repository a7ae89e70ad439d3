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

/// The style sheet at the root of each version of a versioned handbook: the bottom margin
/// of its pages' printed pages (`version_css`).
pub const VERSION_CSS: &str = "_version.css";

/// The `@page` rules that put the plan's title and the marking at the top of every printed
/// page of a plan, and the build date at the bottom, beside the page numbers of the theme's
/// style sheet. In a versioned handbook the bottom, which names the version, is imported
/// from the version's own style sheet (`VERSION_CSS`, `root` leading to the version's
/// folder) instead: a page then holds nothing of its version, and one that did not change is
/// the very file of the version before. Imported here rather than linked by the template, so
/// that a theme's own `base.html` keeps it.
pub(super) fn page_css(title: &str, marking: Classification, site: &SiteInfo, root: &str) -> String {
    match site.version {
        Some(_) => {
            format!("@import {}; {}", css_string(&format!("{root}{VERSION_CSS}")), margins(title, marking, site, false))
        }
        None => margins(title, marking, site, true),
    }
}

/// `page_css` with the bottom margin written in: for the print edition, which is its
/// version's own anyway and must print alike wherever it is opened from.
pub(super) fn print_css(title: &str, marking: Classification, site: &SiteInfo) -> String {
    margins(title, marking, site, true)
}

/// The style sheet of a version (`VERSION_CSS`).
pub fn version_css(site: &SiteInfo) -> String {
    format!("@page {{ @bottom-left {{ content: {}; }} }}\n", css_string(&bottom(site)))
}

fn margins(title: &str, marking: Classification, site: &SiteInfo, with_bottom: bool) -> String {
    let t = crate::i18n::strings(site.config.language);
    let marking = format!("{}: {}", t.get("classification"), t.classification(marking));
    let bottom = if with_bottom {
        format!(" @bottom-left {{ content: {}; }}", css_string(&bottom(site)))
    } else {
        String::new()
    };
    format!(
        "@page {{ @top-left {{ content: {}; }} @top-right {{ content: {}; }}{bottom} }}",
        css_string(title),
        css_string(&marking)
    )
}

/// The bottom margin's text: the build date, after the version in a versioned handbook.
fn bottom(site: &SiteInfo) -> String {
    let t = crate::i18n::strings(site.config.language);
    let built = format!("{} {}", t.get("built_on"), DateView::new(site.config.language, site.today).text);
    match site.version {
        Some(v) => format!("{} {} · {built}", t.get("version"), v.slug),
        None => built,
    }
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
