//! Citizen service numbers and Dutch phone numbers.

use super::text::{char_at, digits, ends_token, separator};

/// A BSN at byte `i`: nine digits, or `1234.56.782` / `1234 56 782`, that pass the 11-check
/// and stand alone (not an amount after `€`). Its end and its nine digits.
pub fn bsn(s: &str, i: usize) -> Option<(usize, String)> {
    let b = s.as_bytes();
    let first = digits(b, i);
    let (end, number) = match first {
        9 => (i + 9, s.get(i..i + 9)?.to_string()),
        4 => {
            let sep = char_at(s, i + 4).filter(|c| matches!(c, '.' | ' ' | '\u{a0}'))?;
            let second = i + 4 + sep.len_utf8();
            let third = second + 2 + sep.len_utf8();
            let same_sep = char_at(s, second + 2) == Some(sep);
            if digits(b, second) != 2 || !same_sep || digits(b, third) != 3 {
                return None;
            }
            let number = [s.get(i..i + 4)?, s.get(second..second + 2)?, s.get(third..third + 3)?].concat();
            (third + 3, number)
        }
        _ => return None,
    };
    if !ends_token(s, end) || after_currency(s, i) || !eleven_check(&number) {
        return None;
    }
    Some((end, number))
}

/// The 11-check (elfproef) of a BSN: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11,
/// and the number is not all zeros.
pub fn eleven_check(number: &str) -> bool {
    let d: Vec<i64> = number.bytes().filter(u8::is_ascii_digit).map(|c| i64::from(c - b'0')).collect();
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i64 = d.iter().take(8).zip((2..=9).rev()).map(|(x, w)| x * w).sum::<i64>() - d[8];
    sum % 11 == 0
}

/// Whether the number at `i` is an amount: `€ 123456782`, `EUR 123456782`.
fn after_currency(s: &str, i: usize) -> bool {
    let before = s.get(..i).unwrap_or_default().trim_end();
    before.ends_with('€') || before.ends_with("EUR") || before.ends_with("eur")
}

/// A Dutch mobile or landline number at byte `i`, in the forms people write: `0612345678`,
/// `06-12345678`, `06 1234 5678`, `010-1234567`, `(010) 123 45 67`, `+31 6 12345678`,
/// `+31 (0)10 1234567`, `0031 6 …`. Its end and its ten digits in national form.
///
/// A dash may only follow the area code, later groups are split by spaces, and every group
/// after the first has two digits or more: so dates (`06-12-2025`), times and ranges are not
/// taken for numbers. Service numbers (0800, 0900, 088, 14 0xx) belong to organisations and
/// are not reported.
pub fn phone(s: &str, i: usize) -> Option<(usize, String)> {
    let b = s.as_bytes();
    // Every form starts with `0`, `+31` or `(0`: other numbers are rejected at once.
    if !matches!(b.get(i), Some(b'0' | b'+' | b'(')) {
        return None;
    }
    let (mut j, international) = if s.get(i..)?.starts_with("+31") {
        (i + 3, true)
    } else if s.get(i..)?.starts_with("0031") {
        (i + 4, true)
    } else {
        (i, false)
    };
    let mut groups = Groups::default();
    if international {
        j += separator(s, j, &['-']).unwrap_or(0);
        if s.get(j..)?.starts_with("(0)") {
            j += 3;
            j += separator(s, j, &[]).unwrap_or(0);
        }
    } else if b.get(i) == Some(&b'(') {
        // `(010) 1234567`: the area code in brackets.
        let n = digits(b, i + 1);
        if !(2..=4).contains(&n) || b.get(i + 1) != Some(&b'0') || b.get(i + 1 + n) != Some(&b')') {
            return None;
        }
        groups.push(s.get(i + 1..i + 1 + n)?)?;
        j = i + 2 + n;
        j += separator(s, j, &[]).unwrap_or(0);
    }
    let target = if international { 9 } else { 10 };
    let mut total: usize = groups.all().iter().map(|g| g.len()).sum();
    loop {
        let n = digits(b, j);
        if n == 0 {
            return None;
        }
        groups.push(s.get(j..j + n)?)?;
        total += n;
        j += n;
        if total >= target {
            break;
        }
        // A dash only after the area code; `06 - 1234…` too.
        let dash: &[char] = if groups.len == 1 { &['-', '–'] } else { &[] };
        let spaced_dash = groups.len == 1 && s.get(j..)?.starts_with(" - ");
        let step = if spaced_dash { Some(3) } else { separator(s, j, dash) };
        match step {
            Some(len) if b.get(j + len).is_some_and(u8::is_ascii_digit) => j += len,
            _ => return None,
        }
    }
    if total != target || !ends_token(s, j) || s.get(j..).is_some_and(|r| r.starts_with(':')) {
        return None;
    }
    if !grouped_like_a_phone(groups.all(), international) {
        return None;
    }
    let digits = groups.all().concat();
    let national = if international { format!("0{digits}") } else { digits };
    personal_prefix(&national).then_some((j, national))
}

/// The digit groups of a phone number, without allocating: ten digits make at most ten.
#[derive(Default)]
struct Groups<'s> {
    list: [&'s str; 10],
    len: usize,
}

impl<'s> Groups<'s> {
    fn push(&mut self, group: &'s str) -> Option<()> {
        *self.list.get_mut(self.len)? = group;
        self.len += 1;
        Some(())
    }

    fn all(&self) -> &[&'s str] {
        self.list.get(..self.len).unwrap_or_default()
    }
}

/// Whether the digit groups are written the way phone numbers are: one group of all digits,
/// or an area code (`06`, `010`, `0111`; after +31: `6`, `10`, `111`) followed by groups of
/// two digits or more.
fn grouped_like_a_phone(groups: &[&str], international: bool) -> bool {
    let Some((first, rest)) = groups.split_first() else { return false };
    if rest.is_empty() {
        return true;
    }
    let area_ok =
        if international { (1..=3).contains(&first.len()) } else { matches!(first.len(), 3 | 4) || *first == "06" };
    area_ok && (international || first.starts_with('0')) && rest.iter().all(|g| g.len() >= 2)
}

/// Whether a ten-digit national number is one a person may have: mobile (06-1 to 06-5,
/// 06-8), geographic (01-05, 07) or a VoIP number (085, 091).
fn personal_prefix(national: &str) -> bool {
    let d = national.as_bytes();
    if d.len() != 10 || d[0] != b'0' {
        return false;
    }
    match d[1] {
        b'6' => matches!(d[2], b'1'..=b'5' | b'8'),
        b'1'..=b'5' | b'7' => true,
        b'8' => d[2] == b'5',
        b'9' => d[2] == b'1',
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bsn_in(s: &str) -> Option<String> {
        bsn(s, s.find(|c: char| c.is_ascii_digit())?).map(|(_, n)| n)
    }

    fn phone_in(s: &str) -> Option<String> {
        let start = s.find(|c: char| c.is_ascii_digit() || c == '+' || c == '(')?;
        phone(s, start).map(|(end, n)| {
            assert!(end <= s.len());
            n
        })
    }

    #[test]
    fn eleven_check() {
        assert!(super::eleven_check("123456782"));
        assert!(super::eleven_check("111222333"));
        assert!(!super::eleven_check("123456789"));
        assert!(!super::eleven_check("000000000"));
        assert!(!super::eleven_check("12345678"));
    }

    #[test]
    fn bsn_forms() {
        assert_eq!(bsn_in("BSN 123456782."), Some("123456782".into()));
        assert_eq!(bsn_in("bsn: 1234.56.782"), Some("123456782".into()));
        assert_eq!(bsn_in("1234 56 782"), Some("123456782".into()));
        assert_eq!(bsn_in("1234\u{a0}56\u{a0}782"), Some("123456782".into()));
        // Failing the 11-check, mixed separators, longer numbers, amounts.
        assert_eq!(bsn_in("123456789"), None);
        assert_eq!(bsn_in("1234.56 782"), None);
        assert_eq!(bsn_in("1234567820"), None);
        assert_eq!(bsn_in("123456782,50"), None);
        assert_eq!(bsn_in("€ 123456782"), None);
        assert_eq!(bsn_in("123.456.782"), None);
    }

    #[test]
    fn phone_forms() {
        for (text, national) in [
            ("0612345678", "0612345678"),
            ("06-12345678", "0612345678"),
            ("06 12345678", "0612345678"),
            ("06 1234 5678", "0612345678"),
            ("06 12 34 56 78", "0612345678"),
            ("06 - 12345678", "0612345678"),
            ("+31 6 12345678", "0612345678"),
            ("+316 12345678", "0612345678"),
            ("+31612345678", "0612345678"),
            ("+31 (0)6 12345678", "0612345678"),
            ("0031 6 12345678", "0612345678"),
            ("010-1234567", "0101234567"),
            ("010 123 45 67", "0101234567"),
            ("(010) 1234567", "0101234567"),
            ("0111-123456", "0111123456"),
            ("+31 10 1234567", "0101234567"),
            ("085-1234567", "0851234567"),
        ] {
            assert_eq!(phone_in(text).as_deref(), Some(national), "{text}");
        }
    }

    #[test]
    fn not_phones() {
        for text in [
            "0800-8844",
            "0900-8844",
            "088 123 4567",
            "0800 1234567",
            "06-12-2025",
            "06-12-2025 10:30",
            "01-02-2025 14",
            "06.00 uur",
            "061234567",
            "06123456789",
            "010-1234567-8",
            "+32 2 123 45 67",
            "0612345678,50",
            "0612345678x",
        ] {
            assert_eq!(phone_in(text), None, "{text}");
        }
    }
}
