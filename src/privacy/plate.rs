//! Dutch licence plates in the side codes (sidecodes) used since 1951: three groups of
//! capitals and digits joined by dashes, six characters in all.

use super::text::ends_token;

/// A group of a plate: `L` letters or `D` digits, with its length.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Group {
    L(usize),
    D(usize),
}

use Group::{D, L};

/// Side codes 1 to 14 (`XX-99-99` … `999-XX-9`).
const SIDECODES: [[Group; 3]; 14] = [
    [L(2), D(2), D(2)],
    [D(2), D(2), L(2)],
    [D(2), L(2), D(2)],
    [L(2), D(2), L(2)],
    [L(2), L(2), D(2)],
    [D(2), L(2), L(2)],
    [D(2), L(3), D(1)],
    [D(1), L(3), D(2)],
    [L(2), D(3), L(1)],
    [L(1), D(3), L(2)],
    [L(3), D(2), L(1)],
    [L(1), D(2), L(3)],
    [D(1), L(2), D(3)],
    [D(3), L(2), D(1)],
];

/// A plate at byte `i` (`12-ABC-3`, `AB-123-C`); its end.
pub fn at(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut groups = [D(0); 3];
    let mut j = i;
    for (k, slot) in groups.iter_mut().enumerate() {
        let letters = b.get(j..)?.iter().take_while(|c| c.is_ascii_uppercase()).count();
        let digits = b.get(j..)?.iter().take_while(|c| c.is_ascii_digit()).count();
        *slot = match (letters, digits) {
            (0, 0) => return None,
            (n, 0) => L(n),
            (0, n) => D(n),
            _ => return None,
        };
        j += letters + digits;
        if k < 2 {
            if b.get(j) != Some(&b'-') {
                return None;
            }
            j += 1;
        }
    }
    (SIDECODES.contains(&groups) && ends_token(s, j)).then_some(j)
}

#[cfg(test)]
mod tests {
    #[test]
    fn side_codes() {
        for plate in [
            "AB-12-34", "12-34-AB", "12-AB-34", "AB-12-CD", "AB-CD-12", "12-ABC-3", "1-ABC-23", "AB-123-C", "A-123-BC",
            "ABC-12-D", "A-12-BCD", "1-AB-234", "123-AB-4", "12-AB-CD",
        ] {
            assert_eq!(super::at(plate, 0), Some(plate.len()), "{plate}");
            let sentence = format!("kenteken {plate}.");
            assert_eq!(super::at(&sentence, 9), Some(9 + plate.len()), "{sentence}");
        }
    }

    #[test]
    fn not_plates() {
        for text in [
            "12-03-25",
            "AB-CD-EF",
            "ab-123-c",
            "A01-1",
            "COVID-19",
            "AB-123-C4",
            "AB-123-C-D",
            "AB-1234-C",
            "ISO-27001",
            "12-ABC-3x",
            "A1-23-BC",
        ] {
            assert_eq!(super::at(text, 0), None, "{text}");
        }
    }
}
