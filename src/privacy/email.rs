//! E-mail addresses of persons, told apart from role mailboxes.
//!
//! The rule: an address is a role mailbox when every word of its local part — split at `.`,
//! `-`, `_`, `+` and digits — is a word for a function, a team or a service (`info`,
//! `contact`, `secretariaat`, `team`, `jeugd`, `zorg`, `wijk`, `noord`, …) or a compound of
//! such words (`jeugdgroepen`, `klantcontact`, `wijkteamnoord`). Any other address is taken
//! for a person's: `jan.jansen@`, `j.devries@`, `pietje@`, `0612345678@`. Addresses at the
//! documentation domains (`example.org`, `.test`, `.invalid`) are never reported; a role
//! mailbox the list does not know goes into `[privacy] allow`.

use super::{Finding, Kind};

/// Words of role mailboxes, Dutch and English, lower case. A local part made of these
/// (alone or compounded) is not a person's.
const ROLE_WORDS: &[&str] = &[
    "aanmelden",
    "aanmelding",
    "aanmeldingen",
    "achternaam",
    "admin",
    "administratie",
    "adres",
    "advies",
    "afdeling",
    "algemeen",
    "antwoord",
    "avg",
    "balie",
    "beantwoorden",
    "beheer",
    "bestuur",
    "boa",
    "bureau",
    "burgerzaken",
    "buurt",
    "casus",
    "centraal",
    "centrale",
    "centrum",
    "cjg",
    "college",
    "communicatie",
    "contact",
    "coordinatie",
    "desk",
    "dienst",
    "diensten",
    "dienstverlening",
    "digitaal",
    "directie",
    "do",
    "e",
    "email",
    "evenementen",
    "example",
    "facturen",
    "factuur",
    "fg",
    "financien",
    "firstname",
    "functionaris",
    "gebruiker",
    "gegevens",
    "gemeente",
    "general",
    "ggd",
    "ggz",
    "griffie",
    "groep",
    "groepen",
    "handhaving",
    "help",
    "helpdesk",
    "hr",
    "huis",
    "info",
    "informatie",
    "inkoop",
    "intake",
    "jeugd",
    "jeugdhulp",
    "jeugdzorg",
    "jongeren",
    "kantoor",
    "klacht",
    "klachten",
    "klant",
    "klanten",
    "lastname",
    "leerplicht",
    "loket",
    "mail",
    "media",
    "meld",
    "melding",
    "meldingen",
    "meldpunt",
    "naam",
    "name",
    "netwerk",
    "niet",
    "nieuws",
    "nieuwsbrief",
    "no",
    "noord",
    "noreply",
    "not",
    "office",
    "onderwijs",
    "oost",
    "oov",
    "openbare",
    "orde",
    "overleg",
    "pers",
    "persoonsgegevens",
    "planning",
    "politie",
    "post",
    "postbus",
    "postmaster",
    "press",
    "privacy",
    "programma",
    "project",
    "projecten",
    "publiekszaken",
    "raad",
    "receptie",
    "regie",
    "reply",
    "sales",
    "school",
    "secretariaat",
    "security",
    "service",
    "servicedesk",
    "services",
    "sport",
    "subsidie",
    "subsidies",
    "support",
    "team",
    "teams",
    "test",
    "toezicht",
    "user",
    "veilig",
    "veiligheid",
    "veiligheidshuis",
    "vergunning",
    "vergunningen",
    "voorbeeld",
    "voornaam",
    "vraag",
    "vragen",
    "web",
    "webmaster",
    "werk",
    "west",
    "wijk",
    "wijkteam",
    "zaken",
    "zorg",
    "zuid",
    "zvh",
];

/// The length of the longest word in `ROLE_WORDS`.
const LONGEST_ROLE_WORD: usize = 16;

/// Domains that never hold a real person's mailbox (RFC 2606).
fn documentation_domain(domain: &str) -> bool {
    let d = domain.to_ascii_lowercase();
    let reserved_tld = [".test", ".example", ".invalid", ".localhost"].iter().any(|t| d.ends_with(t));
    let example = ["example.org", "example.com", "example.net", "example.nl"]
        .iter()
        .any(|e| d == *e || d.ends_with(&format!(".{e}")));
    reserved_tld || example
}

fn local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'')
}

fn domain_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')
}

/// The person's e-mail address around the `@` at byte `at`, if it is one.
pub fn at(s: &str, at: usize) -> Option<Finding> {
    let b = s.as_bytes();
    let mut start = at;
    while start > 0 && local_char(b[start - 1]) {
        start -= 1;
    }
    while b.get(start).is_some_and(|&c| matches!(c, b'.' | b'-' | b'\'')) {
        start += 1;
    }
    let mut end = at + 1;
    while b.get(end).is_some_and(|&c| domain_char(c)) {
        end += 1;
    }
    while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
        end -= 1;
    }
    let local = s.get(start..at).filter(|l| !l.is_empty())?;
    let domain = s.get(at + 1..end)?;
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last()?;
    if labels.len() < 2
        || labels.iter().any(|l| l.is_empty())
        || tld.len() < 2
        || !tld.bytes().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    if documentation_domain(domain) || role_mailbox(local) {
        return None;
    }
    Some(Finding { kind: Kind::Email, range: start..end, key: s.get(start..end)?.to_ascii_lowercase() })
}

/// Whether a local part is a role mailbox's (see the module's rule).
pub fn role_mailbox(local: &str) -> bool {
    let lower = local.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
    !words.is_empty() && words.iter().all(|w| compound_of_roles(w))
}

/// Whether `word` is one role word or a run of them (`jeugdgroepen`, `klantcontact`);
/// parts of a compound have at least two letters, so initials never make a role.
fn compound_of_roles(word: &str) -> bool {
    if ROLE_WORDS.binary_search(&word).is_ok() {
        return true;
    }
    // A local part has at most 64 characters (RFC 5321); anything longer is no mailbox of a
    // team, and the split below stays linear.
    if word.len() > 64 {
        return false;
    }
    // ends[k]: the first k bytes split into role words.
    let mut ends = vec![false; word.len() + 1];
    ends[0] = true;
    for k in 0..word.len() {
        if !ends[k] {
            continue;
        }
        for len in 2..=(word.len() - k).min(LONGEST_ROLE_WORD) {
            if word.get(k..k + len).is_some_and(|part| ROLE_WORDS.binary_search(&part).is_ok()) {
                ends[k + len] = true;
            }
        }
    }
    ends[word.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(s: &str) -> Option<&str> {
        let f = at(s, s.find('@')?)?;
        Some(&s[f.range])
    }

    #[test]
    fn role_words_are_sorted() {
        assert!(ROLE_WORDS.windows(2).all(|w| w[0] < w[1]), "ROLE_WORDS must stay sorted for binary search");
        assert_eq!(ROLE_WORDS.iter().map(|w| w.len()).max(), Some(LONGEST_ROLE_WORD));
    }

    #[test]
    fn persons() {
        assert_eq!(person("mail jan.jansen@lindewaard.nl."), Some("jan.jansen@lindewaard.nl"));
        assert_eq!(person("(j.devries@politie.nl)"), Some("j.devries@politie.nl"));
        assert_eq!(person("pietje@gmail.com"), Some("pietje@gmail.com"));
        assert_eq!(person("mailto:Jan.Post@Gemeente.NL?subject=x"), Some("Jan.Post@Gemeente.NL"));
        assert_eq!(person("0612345678@sms.nl"), Some("0612345678@sms.nl"));
        assert_eq!(person("a.huisman@om.nl"), Some("a.huisman@om.nl"));
    }

    #[test]
    fn roles_and_non_addresses() {
        for s in [
            "info@lindewaard.nl",
            "jeugdgroepen@lindewaard.nl",
            "secretariaat.oov@lindewaard.nl",
            "wijkteam-noord@lindewaard.nl",
            "klantcontact@om.nl",
            "no-reply@politie.nl",
            "voornaam.achternaam@gemeente.nl",
            "jan.jansen@example.org",
            "jan@mail.example",
            "@handle",
            "a@b",
            "x@localhost",
            "x@1.2",
        ] {
            assert_eq!(person(s), None, "{s}");
        }
    }
}
