//! Heading ids: ASCII-folded slugs, made unique within a page.

use std::collections::HashMap;

/// The id of a heading whose text yields no slug at all.
pub const EMPTY_SLUG: &str = "sectie";

/// `Financiën en risico's` → `financien-en-risicos`: accents folded to ASCII, apostrophes
/// dropped, every other run of non-alphanumerics one `-`, trimmed; letters of scripts
/// without an ASCII form are kept (lower-cased), since HTML ids may hold any character.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hyphen = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            push_part(&mut out, &mut hyphen, c.to_ascii_lowercase().encode_utf8(&mut [0; 4]));
        } else if is_dropped(c) {
            // `risico's` must read `risicos`, not `risico-s`.
        } else if let Some(folded) = fold(c) {
            push_part(&mut out, &mut hyphen, folded);
        } else if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                push_part(&mut out, &mut hyphen, lower.encode_utf8(&mut [0; 4]));
            }
        } else {
            hyphen = true;
        }
    }
    if out.is_empty() {
        out.push_str(EMPTY_SLUG);
    }
    // The theme's own ids live under `pb-`; a heading never takes one of them.
    if out == "pb" || out.starts_with("pb-") {
        out.insert_str(0, "h-");
    }
    out
}

/// Appends a slug part, preceded by one `-` when a separator came since the last part.
fn push_part(out: &mut String, hyphen: &mut bool, part: &str) {
    if *hyphen && !out.is_empty() {
        out.push('-');
    }
    *hyphen = false;
    out.push_str(part);
}

/// Apostrophes, quotes and combining accents vanish instead of separating words.
fn is_dropped(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '´' | '`' | '"' | '“' | '”' | '„' | '\u{0300}'..='\u{036F}')
}

/// The ASCII form of a Latin letter with a diacritic or a ligature, in lower case.
fn fold(c: char) -> Option<&'static str> {
    let folded =
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă'
            | 'Ą' => "a",
            'æ' | 'Æ' => "ae",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' | 'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "c",
            'ď' | 'đ' | 'ð' | 'Ď' | 'Đ' | 'Ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę'
            | 'Ě' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "g",
            'ĥ' | 'ħ' | 'Ĥ' | 'Ħ' => "h",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į'
            | 'İ' => "i",
            'ĳ' | 'Ĳ' => "ij",
            'ĵ' | 'Ĵ' => "j",
            'ķ' | 'Ķ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' | 'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' | 'Ñ' | 'Ń' | 'Ņ' | 'Ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ'
            | 'Ő' => "o",
            'œ' | 'Œ' => "oe",
            'ŕ' | 'ŗ' | 'ř' | 'Ŕ' | 'Ŗ' | 'Ř' => "r",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "s",
            'ß' | 'ẞ' => "ss",
            'ţ' | 'ť' | 'ŧ' | 'ț' | 'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "t",
            'þ' | 'Þ' => "th",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ'
            | 'Ů' | 'Ű' | 'Ų' => "u",
            'ŵ' | 'Ŵ' => "w",
            'ý' | 'ÿ' | 'ŷ' | 'Ý' | 'Ÿ' | 'Ŷ' => "y",
            'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
            _ => return None,
        };
    Some(folded)
}

/// The ids already used on a page, handing out unused ones: `x`, then `x-1`, `x-2`, ….
#[derive(Debug, Default)]
pub struct Ids {
    /// Every id in use → the suffix to try next when it is asked for again as a base, so a
    /// thousand `## Acties` stay linear.
    used: HashMap<String, u32>,
}

impl Ids {
    /// Marks an id as used without renaming it (explicit `{#id}` attributes are kept as written).
    pub fn reserve(&mut self, id: &str) {
        if !self.used.contains_key(id) {
            self.used.insert(id.to_string(), 1);
        }
    }

    /// `base` if unused, else the first unused `base-N`; the result is marked used.
    pub fn claim(&mut self, base: &str) -> String {
        let Some(&first) = self.used.get(base) else {
            self.used.insert(base.to_string(), 1);
            return base.to_string();
        };
        let mut n = first;
        let mut id = format!("{base}-{n}");
        while self.used.contains_key(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.used.insert(base.to_string(), n + 1);
        self.used.insert(id.clone(), 1);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_namespace_is_reserved() {
        assert_eq!(slugify("PB main"), "h-pb-main");
    }

    #[test]
    fn folds_accents_and_drops_apostrophes() {
        assert_eq!(slugify("Financiën en risico's"), "financien-en-risicos");
        assert_eq!(slugify("Financiën en risico’s"), "financien-en-risicos");
        assert_eq!(slugify("Ça, façade: naïef & über!"), "ca-facade-naief-uber");
        assert_eq!(slugify("Straße, Ærø, Ĳssel, niño"), "strasse-aero-ijssel-nino");
        assert_eq!(slugify("  1. Inzet op het individu  "), "1-inzet-op-het-individu");
        assert_eq!(slugify("Cafe\u{301} ol\u{e9}"), "cafe-ole");
    }

    #[test]
    fn empty_and_foreign_scripts() {
        assert_eq!(slugify(""), EMPTY_SLUG);
        assert_eq!(slugify(" -- ?! "), EMPTY_SLUG);
        assert_eq!(slugify("Ωμέγα plan"), "ωμέγα-plan");
        assert_eq!(slugify("🎉"), EMPTY_SLUG);
    }

    #[test]
    fn claims_unique_ids() {
        let mut ids = Ids::default();
        ids.reserve("doelen-1");
        assert_eq!(ids.claim("doelen"), "doelen");
        assert_eq!(ids.claim("doelen"), "doelen-2");
        assert_eq!(ids.claim("doelen"), "doelen-3");
        assert_eq!(ids.claim("doelen-1"), "doelen-1-1");
    }
}
