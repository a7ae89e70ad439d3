//! `actions.csv`: RFC 4180 (CRLF line ends, fields with a comma, quote or line break quoted,
//! quotes doubled), UTF-8 with a byte-order mark so that Excel reads the accents.

use crate::commitments::{partner_label, Deadline, Entry};
use crate::config::Config;

const COLUMNS: [&str; 10] = ["plan", "section", "id", "what", "who", "partner", "due", "status", "overdue", "url"];

/// One row per action of `entries`, in their order, under a header row: the partner by
/// slug (`who`) and by the name readers know (`partner`).
pub fn actions_csv(entries: &[Entry], config: &Config) -> Vec<u8> {
    let mut out = String::with_capacity(64 + entries.len() * 200);
    out.push('\u{feff}');
    row(&mut out, COLUMNS.iter().map(|c| (*c, false)));
    for e in entries {
        let a = e.action;
        let due = a.due.map(|d| d.to_string()).unwrap_or_default();
        let overdue = if e.deadline == Deadline::Overdue { "true" } else { "false" };
        let url = e.href();
        let fields = [
            (e.plan.slug.as_str(), false),
            (e.section.title.as_str(), true),
            (a.id.as_deref().unwrap_or_default(), true),
            (a.what.as_str(), true),
            (a.who.as_deref().unwrap_or_default(), true),
            (a.who.as_deref().map(|w| partner_label(config, w)).unwrap_or_default(), true),
            (due.as_str(), false),
            (a.status.as_str(), false),
            (overdue, false),
            (url.as_str(), false),
        ];
        row(&mut out, fields.into_iter());
    }
    out.into_bytes()
}

/// Appends one record; `(text, free)` where free text is guarded against formulas.
fn row<'a>(out: &mut String, fields: impl Iterator<Item = (&'a str, bool)>) {
    for (i, (field, free)) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        field_into(out, field, free);
    }
    out.push_str("\r\n");
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula; free text
/// from a repository (untrusted input) that starts so gets a leading `'`, as OWASP advises.
fn field_into(out: &mut String, field: &str, free: bool) {
    let formula = free && field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = formula || field.contains([',', '"', '\r', '\n']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in field.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed_and_formulas_are_defused() {
        let mut out = String::new();
        row(&mut out, [("a", true), ("b,c", true), ("say \"hi\"", true), ("x\ny", true), ("=1+1", true)].into_iter());
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",\"'=1+1\"\r\n");
        let mut out = String::new();
        row(&mut out, [("-", false)].into_iter());
        assert_eq!(out, "-\r\n", "fixed values are written as they are");
    }
}
