//! The one slug rule: heading ids, version folders, anchors on the changes page and plan
//! folder names all follow it.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// `Financiën en risico's` → `financien-en-risicos`: accents dropped (Unicode NFD, combining
/// marks removed), the Latin letters without a decomposition folded (`ß` → `ss`, `ø` → `o`),
/// apostrophes dropped, every other run of non-alphanumerics one `-`, trimmed, lower case.
/// Letters of scripts without an ASCII form are kept, since ids and paths may hold them.
/// Empty when the text has no letter or digit.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hyphen = false;
    for c in text.chars() {
        if c.is_ascii() {
            add(c, &mut out, &mut hyphen);
        } else {
            // Most headings are ASCII; only other letters are decomposed (NFD, one by one).
            decompose_canonical(c, |d| add(d, &mut out, &mut hyphen));
        }
    }
    out
}

/// Adds one (decomposed) character to a slug.
fn add(c: char, out: &mut String, hyphen: &mut bool) {
    if c.is_ascii_alphanumeric() {
        push_part(out, hyphen, c.to_ascii_lowercase().encode_utf8(&mut [0; 4]));
    } else if is_combining_mark(c) || is_apostrophe(c) {
        // `risico's` must read `risicos`, not `risico-s`; `é` is `e` and its accent.
    } else if let Some(folded) = fold(c) {
        push_part(out, hyphen, folded);
    } else if c.is_alphanumeric() {
        for lower in c.to_lowercase() {
            push_part(out, hyphen, lower.encode_utf8(&mut [0; 4]));
        }
    } else {
        *hyphen = true;
    }
}

/// Whether `name` is already a plain slug of ASCII letters and digits: what `new` accepts
/// as a plan folder name.
pub fn is_ascii_slug(name: &str) -> bool {
    !name.is_empty() && name.is_ascii() && slugify(name) == name
}

/// Appends a slug part, preceded by one `-` when a separator came since the last part.
fn push_part(out: &mut String, hyphen: &mut bool, part: &str) {
    if *hyphen && !out.is_empty() {
        out.push('-');
    }
    *hyphen = false;
    out.push_str(part);
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '´' | '`' | '"' | '“' | '”' | '„')
}

/// Latin letters that Unicode does not decompose into a base letter and a mark.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ĳ' | 'Ĳ' => "ij",
        'ß' | 'ẞ' => "ss",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ł' | 'Ł' => "l",
        'ŀ' | 'Ŀ' => "l",
        'ħ' | 'Ħ' => "h",
        'ŧ' | 'Ŧ' => "t",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_drops_apostrophes() {
        assert_eq!(slugify("Financiën en risico's"), "financien-en-risicos");
        assert_eq!(slugify("Financiën en risico’s"), "financien-en-risicos");
        assert_eq!(slugify("Ça, façade: naïef & über!"), "ca-facade-naief-uber");
        assert_eq!(slugify("Straße, Ærø, Ĳssel, niño"), "strasse-aero-ijssel-nino");
        assert_eq!(slugify("  1. Inzet op het individu  "), "1-inzet-op-het-individu");
        assert_eq!(slugify("Cafe\u{301} ol\u{e9}"), "cafe-ole");
        assert_eq!(slugify("ǎ ẽ ơ Łódź"), "a-e-o-lodz", "letters a hand-written table would miss");
    }

    #[test]
    fn empty_and_foreign_scripts() {
        assert_eq!(slugify(""), "");
        assert_eq!(slugify(" -- ?! "), "");
        assert_eq!(slugify("Ωμέγα plan"), "ωμεγα-plan");
    }

    #[test]
    fn plan_names() {
        assert!(is_ascii_slug("jeugdgroep-de-haven"));
        for bad in ["De Haven", "../x", "", "-x", "x-", "a--b", "één"] {
            assert!(!is_ascii_slug(bad), "{bad}");
        }
    }
}
