//! The personal-data guard's detectors: pure functions that find a citizen service number
//! (BSN), a date of birth, a Dutch phone number, a person's e-mail address or a Dutch licence
//! plate in a piece of text. They know nothing of Markdown, classifications or severities:
//! the renderer feeds them the text a reader sees, the pipeline decides what a finding means.
//!
//! One pass over the text: text without a digit or an `@` is rejected at once; otherwise
//! each word that starts with a digit, `+`, `(` or a capital is tried by the detectors that
//! can start there, and each `@` by the e-mail detector.

mod allow;
mod birth;
mod email;
mod numbers;
mod plate;
mod text;

pub use allow::Allow;
pub use text::tail;

use std::ops::Range;

/// The comment that allows personal data on its own line and the next, for a deliberate
/// exception that reviewers see in the diff.
pub const ALLOW_COMMENT: &str = "planboek: allow persoonsgegevens";

/// A kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Bsn,
    BirthDate,
    Phone,
    Email,
    Plate,
}

impl Kind {
    /// What a finding is called in a message: "BSN", "date of birth", ….
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Bsn => "BSN",
            Kind::BirthDate => "date of birth",
            Kind::Phone => "phone number",
            Kind::Email => "e-mail address of a person",
            Kind::Plate => "licence plate",
        }
    }

    /// Why this kind of data must not be published, in a sentence.
    pub fn why(self) -> &'static str {
        match self {
            Kind::Bsn => "a citizen service number identifies one person for life, and the law restricts its use",
            Kind::BirthDate => "a date of birth, with the group's description, identifies a minor",
            Kind::Phone => "a phone number leads straight to a person",
            Kind::Email => "a personal e-mail address identifies a person",
            Kind::Plate => "a licence plate leads to the vehicle's owner",
        }
    }

    /// What a finding says: what was found (masked) and who reads it there (the section's
    /// classification, or a higher one of its plan or parents).
    pub fn message(self, masked: &str, classification: &str) -> String {
        format!("{} {masked} in a section that `{classification}` readers see", self.noun())
    }

    /// Why it matters and how to fix it, for a finding in a section's text (`in_text`, where
    /// the allow comment works) or in its front matter.
    pub fn help(self, in_text: bool) -> String {
        let allow = match (in_text, self) {
            (true, Kind::Phone | Kind::Email) => {
                format!("put `<!-- {ALLOW_COMMENT} -->` on the line before it, or list it under [privacy] allow in planboek.toml")
            }
            (true, _) => format!("put `<!-- {ALLOW_COMMENT} -->` on the line before it"),
            (false, _) => "list it under [privacy] allow in planboek.toml".to_string(),
        };
        format!(
            "{}: published, it is a data breach under the AVG (GDPR). Move it to a section with \
             `classification = \"vertrouwelijk\"`, or, if it may be published, {allow}",
            self.why()
        )
    }

    /// `found` with everything that identifies the person masked: the last two characters
    /// stay visible (a BSN always as `****.**.*82`, a phone number also with its first two
    /// digits, an e-mail address as its first letter and its domain).
    pub fn mask(self, found: &str) -> String {
        match self {
            Kind::Bsn => {
                let digits: String = found.chars().filter(char::is_ascii_digit).collect();
                format!("****.**.*{}", digits.get(7..).unwrap_or_default())
            }
            Kind::Email => match found.split_once('@') {
                Some((local, domain)) => {
                    let first: String = local.chars().take(1).collect();
                    format!("{first}***@{domain}")
                }
                None => text::mask(found, 0),
            },
            Kind::Phone => text::mask(found, 2),
            Kind::BirthDate | Kind::Plate => text::mask(found, 0),
        }
    }
}

/// One piece of personal data in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    /// Byte range in the text scanned.
    pub range: Range<usize>,
    /// The value in one normal form (digits of a phone number in national form, an e-mail
    /// address in lower case), as `[privacy] allow` entries are compared.
    pub key: String,
}

/// What is known around the text being scanned.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The text just before it in the same block (a bold "Geboren:" before a date).
    pub before: &'a str,
    /// It stands in a table column headed "Geboortedatum" (or the like): every date in it
    /// is a date of birth.
    pub birth_column: bool,
}

/// Whether `text` can hold a finding at all: every kind needs a digit or an `@`. It reads
/// every byte of every section, so it takes 32 bytes at a time without branching, which the
/// compiler turns into vector instructions.
pub fn worth_scanning(text: &str) -> bool {
    let any = |chunk: &[u8; 32]| {
        chunk.iter().fold(0, |found, b| found | u8::from(b.wrapping_sub(b'0') < 10) | u8::from(*b == b'@')) != 0
    };
    let mut chunks = text.as_bytes().chunks_exact(32);
    for chunk in &mut chunks {
        if chunk.try_into().is_ok_and(any) {
            return true;
        }
    }
    // The rest (most text events are short) the same way, padded with spaces.
    let rest = chunks.remainder();
    let mut padded = [b' '; 32];
    if let Some(head) = padded.get_mut(..rest.len()) {
        head.copy_from_slice(rest);
    }
    any(&padded)
}

/// Whether `text` names a date of birth ("Geboortedatum", "geb.", "born"), as a table
/// header does for its column.
pub fn names_birth(text: &str) -> bool {
    birth::mentions(text)
}

/// Every finding in `text`, in order, none overlapping.
pub fn scan(text: &str, cx: &Context) -> Vec<Finding> {
    let mut found = Vec::new();
    if !worth_scanning(text) {
        return found;
    }
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let candidate = c.is_ascii_digit() || c == b'+' || c == b'(' || c.is_ascii_uppercase();
        if candidate && text::starts_token(text, i) {
            if let Some(f) = at_token(text, i, cx) {
                i = f.range.end;
                found.push(f);
                continue;
            }
        }
        // On to the next word.
        let in_word = c.is_ascii_alphanumeric();
        i += 1;
        while in_word && i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
    }
    if text.contains('@') {
        found.extend(text.match_indices('@').filter_map(|(at, _)| email::at(text, at)));
        found.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
        let mut end = 0;
        found.retain(|f| {
            let keep = f.range.start >= end;
            end = end.max(f.range.end);
            keep
        });
    }
    found
}

/// The finding that starts at `i`, the start of a word.
fn at_token(text: &str, i: usize, cx: &Context) -> Option<Finding> {
    let found = |kind, end: usize, key: String| Finding { kind, range: i..end, key };
    let c = text.as_bytes()[i];
    if c.is_ascii_digit() {
        if let Some((end, key)) = numbers::bsn(text, i) {
            return Some(found(Kind::Bsn, end, key));
        }
    }
    if c.is_ascii_digit() || c == b'+' || c == b'(' {
        if let Some((end, key)) = numbers::phone(text, i) {
            return Some(found(Kind::Phone, end, key));
        }
    }
    if c.is_ascii_digit() || c.is_ascii_uppercase() {
        if let Some(end) = plate::at(text, i) {
            return Some(found(Kind::Plate, end, allow::plain_key(text.get(i..end)?)));
        }
        if let Some(end) = birth::at(text, i, cx) {
            return Some(found(Kind::BirthDate, end, allow::plain_key(text.get(i..end)?)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        scan(text, &Context::default()).into_iter().map(|f| (f.kind, &text[f.range])).collect()
    }

    #[test]
    fn finds_each_kind_in_running_text() {
        let text = "Jongere A (BSN 1234.56.782, geboren op 12-03-2009) is bereikbaar op 06-12345678 \
                    en jan.jansen@example-mail.nl; hij rijdt in een auto met kenteken 12-ABC-3.";
        assert_eq!(
            kinds(text),
            [
                (Kind::Bsn, "1234.56.782"),
                (Kind::BirthDate, "12-03-2009"),
                (Kind::Phone, "06-12345678"),
                (Kind::Email, "jan.jansen@example-mail.nl"),
                (Kind::Plate, "12-ABC-3"),
            ]
        );
    }

    #[test]
    fn plain_text_is_rejected_at_once() {
        assert!(!worth_scanning("De groep komt samen bij het winkelcentrum."));
        assert!(kinds("De groep komt samen bij het winkelcentrum.").is_empty());
        assert!(worth_scanning("in 2025") && worth_scanning("a@b"));
        let long = "geen cijfers hier; ".repeat(20);
        assert!(!worth_scanning(&long) && !worth_scanning("/:;<=>?"));
        for at in [0, 31, 32, 33, long.len() - 1] {
            let mut with = long.clone().into_bytes();
            with[at] = b'7';
            assert!(worth_scanning(std::str::from_utf8(&with).expect("ascii")), "digit at {at}");
        }
    }

    #[test]
    fn the_benchmark_and_example_kinds_of_numbers_are_not_personal() {
        for text in [
            "| 1e kwartaal 2025 | 9 | 1 | 0 |",
            "De aanpak start op 1 maart 2026 en eindigt uiterlijk op 2027-03-01.",
            "Geteld zijn meldingen binnen 300 meter; peildatum 28 februari 2026.",
            "artikel 151c van de Gemeentewet, actie A15 en A01-1",
            "Postbus 1234, 3011 AB Rotterdam; kosten € 123.456.782 of 1.234.567,89 euro.",
            "Parketnummer 13/123456-25, zaaknummer PL1300-2025123456, BVH 2025-0123456.",
            "Het overleg is om 14:30 of van 09.00 tot 12.00 uur, op 06-12-2025 10:30.",
            "Bel de politie op 0900-8844 of Meld Misdaad Anoniem op 0800-7000.",
            "meerdere jongeren zijn geboren in 2011 en 2012",
            "Jongere A (17 jaar) en jongere B (16 jaar)",
            "COVID-19, ISO-27001, NEN-7510 en EU-27",
            "Zie info@lindewaard.nl of jeugdgroepen@lindewaard.nl.",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn masks_keep_only_the_end() {
        assert_eq!(Kind::Bsn.mask("1234.56.782"), "****.**.*82");
        assert_eq!(Kind::Bsn.mask("123456782"), "****.**.*82");
        assert_eq!(Kind::Phone.mask("06-12345678"), "06-******78");
        assert_eq!(Kind::Phone.mask("+31 6 12345678"), "+31 * ******78");
        assert_eq!(Kind::Email.mask("jan.jansen@lindewaard.nl"), "j***@lindewaard.nl");
        assert_eq!(Kind::Plate.mask("12-ABC-3"), "**-**C-3");
        assert_eq!(Kind::BirthDate.mask("12 maart 2009"), "** ***** **09");
    }

    /// A small deterministic generator, so the hostile inputs are the same on every run.
    fn pseudo_random(seed: &mut u64) -> usize {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (*seed >> 33) as usize
    }

    #[test]
    fn hostile_input_never_panics_and_findings_stay_in_bounds() {
        let parts = [
            "0",
            "6",
            "1",
            "31",
            "+",
            "(",
            ")",
            "-",
            ".",
            " ",
            "\u{a0}",
            "@",
            "é",
            "ß",
            "AB",
            "x",
            ":",
            ",",
            "/",
            "geb.",
            "Geboren ",
            "maart",
            "(15 jaar)",
            "€",
            "jan",
            "info",
            "\u{E000}",
            "\n",
            "12-ABC-3",
            "2009",
        ];
        let mut seed = 7;
        for _ in 0..3000 {
            let n = pseudo_random(&mut seed) % 40;
            let text: String = (0..n).map(|_| parts[pseudo_random(&mut seed) % parts.len()]).collect();
            let found = scan(&text, &Context { before: "geb.", birth_column: seed % 2 == 0 });
            for f in &found {
                assert!(text.get(f.range.clone()).is_some(), "{text:?}: {f:?}");
                let _ = f.kind.mask(&text[f.range.clone()]);
            }
            assert!(found.windows(2).all(|w| w[0].range.end <= w[1].range.start), "{text:?}");
        }
        // Long runs stay linear: one long local part, many `@`, a megabyte of digits.
        let long = format!("{}@lindewaard.nl", "jeugd".repeat(20_000));
        assert_eq!(scan(&long, &Context::default()).len(), 1);
        assert!(scan(&"a@".repeat(50_000), &Context::default()).is_empty());
        assert!(scan(&"1".repeat(1 << 20), &Context::default()).is_empty());
    }

    #[test]
    fn findings_do_not_overlap() {
        let text = "mail 0612345678@sms.example-gw.nl";
        let found = scan(text, &Context::default());
        assert!(found.windows(2).all(|w| w[0].range.end <= w[1].range.start), "{found:?}");
    }
}
