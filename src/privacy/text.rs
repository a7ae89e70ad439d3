//! Where a token starts and ends, and masking: what every detector shares.

/// The character before byte `i` of `s`.
pub fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i)?.chars().next_back()
}

/// The character at byte `i` of `s`.
pub fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..)?.chars().next()
}

/// Whether a number or code can start at byte `i`: not inside a word, a longer number, a
/// path or a code (`A15`, `13/123456`, `PL1300-2025…`, `1.234`, `€ 12`).
pub fn starts_token(s: &str, i: usize) -> bool {
    let Some(prev) = char_before(s, i) else { return true };
    match prev {
        c if c.is_alphanumeric() => false,
        '-' | '/' | '_' | '#' | '@' | '€' | '$' | '£' | '\\' | '=' | '&' => false,
        '.' | ',' | ':' => !char_before(s, i - 1).is_some_and(|c| c.is_ascii_digit()),
        _ => true,
    }
}

/// Whether a number or code can end at byte `j`: what follows is not more of a word, a
/// number (`,5`, `.000`, `-25`, `/2`) or an address.
pub fn ends_token(s: &str, j: usize) -> bool {
    let Some(next) = char_at(s, j) else { return true };
    match next {
        c if c.is_alphanumeric() => false,
        '/' | '_' | '@' | '\\' => false,
        '-' | '.' | ',' | ':' => !char_at(s, j + 1).is_some_and(|c| c.is_ascii_alphanumeric()),
        _ => true,
    }
}

/// The last `n` bytes of `s` or fewer, at a character boundary: the context a date of birth
/// is looked for in.
pub fn tail(s: &str, n: usize) -> &str {
    let mut start = s.len().saturating_sub(n);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    s.get(start..).unwrap_or_default()
}

/// How many ASCII digits start at byte `i` of `b`.
pub fn digits(b: &[u8], i: usize) -> usize {
    b.get(i..).map_or(0, |rest| rest.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// A separator between groups of a number: a space, a non-breaking space or one of
/// `extra`; its length in bytes.
pub fn separator(s: &str, i: usize, extra: &[char]) -> Option<usize> {
    let c = char_at(s, i)?;
    (c == ' ' || c == '\u{a0}' || c == '\u{202f}' || extra.contains(&c)).then(|| c.len_utf8())
}

/// `s` with every letter and digit replaced by `*`, except the first `front` digits and the
/// last two letters or digits.
pub fn mask(s: &str, front: usize) -> String {
    let total = s.chars().filter(|c| c.is_alphanumeric()).count();
    let (mut seen, mut digits) = (0, 0);
    s.chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if c.is_ascii_digit() {
                digits += 1;
            }
            let shown = seen + 2 > total || (c.is_ascii_digit() && digits <= front && digits == seen);
            if shown {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_boundaries() {
        assert!(starts_token("BSN 123", 4));
        assert!(starts_token("(06", 1));
        assert!(!starts_token("A15", 1));
        assert!(!starts_token("13/123", 3));
        assert!(!starts_token("1.234", 2));
        assert!(starts_token("zaak. 12", 6));
        assert!(ends_token("12 x", 2) && ends_token("12", 2) && ends_token("12.", 2));
        assert!(!ends_token("12,50", 2) && !ends_token("12-25", 2) && !ends_token("12x", 2));
    }

    #[test]
    fn masking() {
        assert_eq!(mask("06 1234 5678", 2), "06 **** **78");
        assert_eq!(mask("AB-123-C", 0), "**-**3-C");
        assert_eq!(mask("x", 0), "x");
    }
}
