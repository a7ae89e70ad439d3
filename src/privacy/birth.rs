//! Dates of birth: a date next to a word that says so ("geboren", "geb.", "geboortedatum",
//! "born", "date of birth"), a date followed by an age ("(15 jaar)"), or any date in a column
//! headed by such a word. Other dates (meetings, deadlines, periods) are not personal data.

use super::text::{char_at, char_before, digits, ends_token, separator, tail};
use super::Context;

/// How far before a date its context word may stand, in bytes.
const WINDOW: usize = 48;
/// How many words may stand between the context word and the date ("geboren op 3 mei").
const MAX_WORDS_BETWEEN: usize = 5;

/// A date of birth at byte `i`; its end.
pub fn at(s: &str, i: usize, cx: &Context) -> Option<usize> {
    let end = date(s, i)?;
    (cx.birth_column || age_after(s, end) || context_before(cx.before, s, i)).then_some(end)
}

/// Whether `text` holds a word that announces a date of birth.
pub fn mentions(text: &str) -> bool {
    words(text).next().is_some()
}

/// The words that announce a date of birth in `s`, in any case, as byte ranges with their
/// own punctuation (`geb.`, `Geboortedatum:`); a word must start a word, and `geb` must
/// stand alone (`geb.`, not `gebied`). One pass, nothing allocated: table headers and every
/// date's context are read with it.
fn words(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    const STEMS: [&str; 8] = ["geboren", "geboorte", "geb", "verjaardag", "born", "birth", "dob", "d.o.b"];
    let b = s.as_bytes();
    let starts = (0..b.len()).filter(move |&i| {
        matches!(b[i] | 0x20, b'g' | b'v' | b'b' | b'd') && !char_before(s, i).is_some_and(char::is_alphabetic)
    });
    starts.filter_map(move |at| {
        let stem = STEMS.iter().find(|stem| {
            let Some(found) = b.get(at..at + stem.len()) else { return false };
            let alone = !matches!(**stem, "geb" | "dob" | "born")
                || !char_at(s, at + stem.len()).is_some_and(char::is_alphabetic);
            found.eq_ignore_ascii_case(stem.as_bytes()) && alone
        })?;
        let mut end = at + stem.len();
        while let Some(c) = char_at(s, end).filter(|c| c.is_alphabetic()) {
            end += c.len_utf8();
        }
        if matches!(char_at(s, end), Some('.' | ':')) {
            end += 1;
        }
        Some((at, end))
    })
}

/// Whether a context word stands shortly before byte `i` of `s` (or at the end of
/// `before`), with no sentence break between.
fn context_before(before: &str, s: &str, i: usize) -> bool {
    let head = s.get(..i).unwrap_or_default();
    let mut window = String::with_capacity(WINDOW + 4);
    if head.len() < WINDOW {
        window.push_str(tail(before, WINDOW - head.len()));
        window.push(' ');
    }
    window.push_str(tail(head, WINDOW));
    let found = words(&window).any(|(_, end)| {
        let gap = window.get(end..).unwrap_or_default();
        !gap.contains(['.', ';', '!', '?', '\n']) && gap.split_whitespace().count() <= MAX_WORDS_BETWEEN
    });
    found
}

/// Whether an age follows the date at `end`: `(15 jaar)`, `, 15 jaar`, `(15 years old)`.
fn age_after(s: &str, end: usize) -> bool {
    let rest = s.get(end..).unwrap_or_default().trim_start();
    let (rest, marked) = match rest.strip_prefix('(').or_else(|| rest.strip_prefix(',')) {
        Some(r) => (r.trim_start(), true),
        None => (rest, false),
    };
    let n = digits(rest.as_bytes(), 0);
    if !marked || !(1..=3).contains(&n) {
        return false;
    }
    let unit: String =
        rest.get(n..).unwrap_or_default().trim_start().chars().take_while(|c| c.is_alphabetic()).collect();
    matches!(unit.to_lowercase().as_str(), "jaar" | "jr" | "years" | "year" | "yrs" | "jarige")
}

/// A date at byte `i`: `12-03-2009`, `12/3/09`, `12.03.2009`, `2009-03-12`, `12 maart 2009`,
/// `12 mrt.`, `March 12, 2009`; its end.
fn date(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    if b.get(i)?.is_ascii_uppercase() {
        return month_first(s, i);
    }
    let n = digits(b, i);
    let end = match n {
        4 => iso(s, i)?,
        1 | 2 => match b.get(i + n) {
            Some(b'-' | b'/' | b'.') => numeric(s, i, n)?,
            _ => named(s, i, n)?,
        },
        _ => return None,
    };
    ends_token(s, end).then_some(end)
}

fn number(s: &str, i: usize, n: usize) -> Option<u32> {
    s.get(i..i + n)?.parse().ok()
}

fn valid(day: u32, month: u32) -> bool {
    (1..=31).contains(&day) && (1..=12).contains(&month)
}

/// `2009-03-12`.
fn iso(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let ok = b.get(i + 4) == Some(&b'-')
        && digits(b, i + 5) == 2
        && b.get(i + 7) == Some(&b'-')
        && digits(b, i + 8) == 2
        && valid(number(s, i + 8, 2)?, number(s, i + 5, 2)?);
    ok.then_some(i + 10)
}

/// `12-03-2009`, `1/3/09`, `12.03.2009`: one separator, a two- or four-digit year.
fn numeric(s: &str, i: usize, n: usize) -> Option<usize> {
    let b = s.as_bytes();
    let sep = *b.get(i + n)?;
    let m = i + n + 1;
    let mn = digits(b, m);
    if !(1..=2).contains(&mn) || b.get(m + mn) != Some(&sep) {
        return None;
    }
    let y = m + mn + 1;
    let yn = digits(b, y);
    (matches!(yn, 2 | 4) && valid(number(s, i, n)?, number(s, m, mn)?)).then_some(y + yn)
}

/// `12 maart 2009`, `3 mei`, `12 mrt. 2009`.
fn named(s: &str, i: usize, n: usize) -> Option<usize> {
    let day = number(s, i, n)?;
    let w = i + n + separator(s, i + n, &[])?;
    let (month, mut end) = month_word(s, w)?;
    if !valid(day, month) {
        return None;
    }
    if let Some(len) = separator(s, end, &[]) {
        if digits(s.as_bytes(), end + len) == 4 {
            end += len + 4;
        }
    }
    Some(end)
}

/// `March 12, 2009`.
fn month_first(s: &str, i: usize) -> Option<usize> {
    let (month, w) = month_word(s, i)?;
    let d = w + separator(s, w, &[])?;
    let n = digits(s.as_bytes(), d);
    if !(1..=2).contains(&n) || !valid(number(s, d, n)?, month) {
        return None;
    }
    let mut y = d + n;
    if s.get(y..)?.starts_with(',') {
        y += 1;
    }
    y += separator(s, y, &[])?;
    let end = (digits(s.as_bytes(), y) == 4).then_some(y + 4)?;
    ends_token(s, end).then_some(end)
}

/// The month a word at byte `i` names (Dutch or English, full or abbreviated, `mrt.`), and
/// where the word ends.
fn month_word(s: &str, i: usize) -> Option<(u32, usize)> {
    const MONTHS: [&[&str]; 12] = [
        &["januari", "january", "jan"],
        &["februari", "february", "feb"],
        &["maart", "march", "mrt", "mar"],
        &["april", "apr"],
        &["mei", "may"],
        &["juni", "june", "jun"],
        &["juli", "july", "jul"],
        &["augustus", "august", "aug"],
        &["september", "sept", "sep"],
        &["oktober", "october", "okt", "oct"],
        &["november", "nov"],
        &["december", "dec"],
    ];
    let len = s.get(i..)?.bytes().take_while(u8::is_ascii_alphabetic).count();
    if !(3..=9).contains(&len) {
        return None;
    }
    let word = s.get(i..i + len)?;
    let month = MONTHS.iter().position(|names| names.iter().any(|n| n.eq_ignore_ascii_case(word)))?;
    let mut end = i + len;
    // `mrt.`: an abbreviation's dot belongs to it; `mei.` ends a sentence.
    let full = ["mei", "may", "juni", "june", "juli", "july"].iter().any(|n| n.eq_ignore_ascii_case(word));
    let abbreviated = word.len() <= 4 && !full;
    if abbreviated && s.get(end..)?.starts_with('.') {
        end += 1;
    }
    Some((u32::try_from(month).ok()? + 1, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn births(text: &str) -> Vec<&str> {
        let cx = Context::default();
        (0..text.len())
            .filter(|&i| text.is_char_boundary(i) && super::super::text::starts_token(text, i))
            .filter_map(|i| Some(&text[i..at(text, i, &cx)?]))
            .collect()
    }

    #[test]
    fn dates_with_a_birth_context() {
        assert_eq!(births("Jongere A, geboren op 12 maart 2009, woont in de wijk."), ["12 maart 2009"]);
        assert_eq!(births("geb. 12-03-2009"), ["12-03-2009"]);
        assert_eq!(births("Geboortedatum: 2009-03-12"), ["2009-03-12"]);
        assert_eq!(births("born March 12, 2009"), ["March 12, 2009"]);
        assert_eq!(births("date of birth 12/3/09"), ["12/3/09"]);
        assert_eq!(births("Jongere B (12 mrt. 2010 (15 jaar))"), ["12 mrt. 2010"]);
        assert_eq!(births("jongere C, 03.04.2011, 14 jaar"), ["03.04.2011"]);
        assert_eq!(births("Hij is geboren op 3 mei."), ["3 mei"]);
    }

    #[test]
    fn other_dates_are_not_births() {
        for text in [
            "De aanpak start op 1 maart 2026.",
            "Op 12-03-2026 (over 3 weken) is het overleg.",
            "geboren in 2011 en 2012",
            "Het gebied rond 12-03-2026 en het gebouw",
            "Hij is geboren en getogen in de wijk. Op 12 maart 2026 start het traject.",
            "aangeboren 12-03-2009",
            "geboren op 32-13-2009",
            "geboren op 12 maanden",
            "15 jaar",
        ] {
            assert!(births(text).is_empty(), "{text}: {:?}", births(text));
        }
    }

    #[test]
    fn context_from_before_and_columns() {
        let cx = Context { before: "**Geboren:** ", birth_column: false };
        assert_eq!(at("12-03-2009", 0, &cx), Some(10));
        let cx = Context { before: "", birth_column: true };
        assert_eq!(at("12-03-2009", 0, &cx), Some(10));
        assert!(mentions("Geboortedatum") && mentions("Geb.") && !mentions("Gebied") && !mentions("Datum"));
    }
}
