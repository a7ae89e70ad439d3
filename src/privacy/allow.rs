//! `[privacy] allow`: addresses and numbers known to be fine (a team's mailbox, a desk's
//! phone number), compared in one normal form so that `010-1234567` also allows
//! `+31 10 123 45 67`.

use serde::Deserialize;
use std::collections::HashSet;

/// The allowed values, as written and in normal form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "Vec<String>")]
pub struct Allow {
    /// The entries as planboek.toml writes them, in order.
    pub entries: Vec<String>,
    keys: HashSet<String>,
}

impl From<Vec<String>> for Allow {
    fn from(entries: Vec<String>) -> Allow {
        let keys = entries.iter().map(|e| key(e)).filter(|k| !k.is_empty()).collect();
        Allow { entries, keys }
    }
}

impl Allow {
    /// Whether the finding with normal form `key` is allowed.
    pub fn allows(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    /// The entries that hold no address or number at all (`"-"`), with their index.
    pub fn empty_entries(&self) -> impl Iterator<Item = (usize, &str)> {
        self.entries.iter().enumerate().filter(|(_, e)| key(e).is_empty()).map(|(i, e)| (i, e.as_str()))
    }
}

/// The normal form of an allow entry: an e-mail address in lower case; anything else its
/// letters and digits in capitals, a phone number in national form (`+31 10 …` → `010…`).
pub fn key(entry: &str) -> String {
    let entry = entry.trim();
    if entry.contains('@') {
        return entry.to_ascii_lowercase();
    }
    let plain = plain_key(&entry.replace("(0)", ""));
    if entry.starts_with('+') {
        if let Some(rest) = plain.strip_prefix("31") {
            return format!("0{rest}");
        }
    }
    match plain.strip_prefix("0031") {
        Some(rest) => format!("0{rest}"),
        None => plain,
    }
}

/// The letters and digits of `s`, letters in capitals.
pub fn plain_key(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_forms() {
        assert_eq!(key(" Jeugdgroepen@Lindewaard.nl "), "jeugdgroepen@lindewaard.nl");
        assert_eq!(key("0800-8844"), "08008844");
        assert_eq!(key("+31 (0)10 123 45 67"), "0101234567");
        assert_eq!(key("0031 6 12345678"), "0612345678");
        assert_eq!(key("12-abc-3"), "12ABC3");
        let allow = Allow::from(vec!["010-1234567".to_string(), "--".to_string()]);
        assert!(allow.allows("0101234567") && !allow.allows("0612345678"));
        assert_eq!(allow.empty_entries().collect::<Vec<_>>(), [(1, "--")]);
    }
}
