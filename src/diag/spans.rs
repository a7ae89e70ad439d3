//! TOML positions for diagnostics: the line of every key, and a TOML or schema error turned
//! into a finding at its file line and column, classified by the field it concerns.

use super::{lints, Diagnostic, Lint};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::Path;
use toml::de::{DeTable, DeValue};

/// What a field of a schema holds, which decides how a bad value of it is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A calendar date (`2026-03-01`).
    Date,
    /// One of a fixed set of words (a status, a classification).
    Choice,
    /// Anything else: text, numbers, lists, tables.
    Other,
}

/// The kind of the field at a key path (`owner`, `actions.0.due`), or None when the schema
/// has no such field.
pub type Schema<'s> = &'s dyn Fn(&str) -> Option<FieldKind>;

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() as u32 + 1;
    let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() as u32 + 1;
    (line, col)
}

/// Parses a TOML document (`text` starts at file line `first_line`) once, into `T` and the
/// file line of every key: `owner`, tables and their keys as `vars` and `vars.AANTAL`
/// (dotted keys and inline tables alike), and the n-th table of an array as `actions.0` (its
/// header) with `actions.0.who`. The lines are empty when the text does not parse.
pub fn parse_with_lines<T: DeserializeOwned>(
    text: &str,
    first_line: u32,
) -> (Result<T, toml::de::Error>, BTreeMap<String, u32>) {
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => return (Err(e), BTreeMap::new()),
    };
    let mut out = BTreeMap::new();
    Lines { text, first_line, out: &mut out }.table(doc.get_ref(), "");
    (T::deserialize(toml::de::Deserializer::from(doc)), out)
}

struct Lines<'a> {
    text: &'a str,
    first_line: u32,
    out: &'a mut BTreeMap<String, u32>,
}

impl Lines<'_> {
    fn line(&self, offset: usize) -> u32 {
        self.first_line + line_col(self.text, offset).0 - 1
    }

    fn table(&mut self, table: &DeTable, prefix: &str) {
        for (key, value) in table {
            let path = format!("{prefix}{}", key.get_ref());
            let line = self.line(key.span().start);
            self.out.entry(path.clone()).or_insert(line);
            self.value(value.get_ref(), &path);
        }
    }

    fn value(&mut self, value: &DeValue, path: &str) {
        match value {
            DeValue::Table(t) => self.table(t, &format!("{path}.")),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{path}.{i}");
                    let line = self.line(item.span().start);
                    self.out.insert(item_path.clone(), line);
                    self.value(item.get_ref(), &item_path);
                }
            }
            _ => {}
        }
    }
}

/// A planboek.toml error at its line and column.
pub fn config_diagnostic(e: &toml::de::Error, text: &str, file: impl AsRef<Path>) -> Diagnostic {
    at_span(lints::CONFIG, e, text, 1, file)
}

/// A front-matter error (`text` starts at file line `first_line`) as the lint of what went
/// wrong: TOML syntax, a key the schema does not know, a bad date, a word outside the allowed
/// set, or a value of the wrong type. The failing field is found from the error's position
/// and its kind from `schema`, never from the wording of the message, which echoes the value.
pub fn front_matter_diagnostic(
    e: &toml::de::Error,
    text: &str,
    first_line: u32,
    file: impl AsRef<Path>,
    schema: Schema,
) -> Diagnostic {
    at_span(classify(e, text, schema), e, text, first_line, file)
}

fn at_span(lint: Lint, e: &toml::de::Error, text: &str, first_line: u32, file: impl AsRef<Path>) -> Diagnostic {
    let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
    // serde's message for an unknown key already lists the valid ones ("expected one of …").
    Diagnostic::new(lint, file, first_line + line - 1, col, e.message().trim())
}

fn classify(e: &toml::de::Error, text: &str, schema: Schema) -> Lint {
    let (doc, syntax_errors) = DeTable::parse_recoverable(text);
    let found = e.span().and_then(|span| find(doc.get_ref(), "", span.start));
    if !syntax_errors.is_empty() {
        // TOML itself rejects a date that does not exist (`2026-02-30`).
        let on_date = found.is_some_and(|f| !f.on_key && schema(&f.path) == Some(FieldKind::Date));
        return if on_date { lints::FM_INVALID_DATE } else { lints::FM_SYNTAX };
    }
    match found {
        // A key the schema does not know (serde points at the key itself).
        Some(Found { path, on_key: true, .. }) if schema(&path).is_none() => lints::FM_UNKNOWN_KEY,
        Some(Found { path, is_text, .. }) => match schema(&path) {
            None => lints::FM_UNKNOWN_KEY,
            Some(FieldKind::Date) => lints::FM_INVALID_DATE,
            Some(FieldKind::Choice) if is_text => lints::FM_INVALID_VALUE,
            Some(_) => lints::FM_WRONG_TYPE,
        },
        // A whole table is at fault: a required field is missing.
        None => lints::FM_WRONG_TYPE,
    }
}

/// The innermost key or value at an offset.
struct Found {
    path: String,
    on_key: bool,
    is_text: bool,
}

fn find(table: &DeTable, prefix: &str, at: usize) -> Option<Found> {
    for (key, value) in table {
        let path = format!("{prefix}{}", key.get_ref());
        if key.span().contains(&at) {
            return Some(Found { path, on_key: true, is_text: false });
        }
        if let Some(found) = find_value(value.get_ref(), &path, at) {
            return Some(found);
        }
        if value.span().contains(&at) {
            let is_text = matches!(value.get_ref(), DeValue::String(_));
            return Some(Found { path, on_key: false, is_text });
        }
    }
    None
}

fn find_value(value: &DeValue, path: &str, at: usize) -> Option<Found> {
    match value {
        DeValue::Table(t) => find(t, &format!("{path}."), at),
        DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let item_path = format!("{path}.{i}");
            find_value(item.get_ref(), &item_path, at).or_else(|| {
                let is_text = matches!(item.get_ref(), DeValue::String(_));
                item.span().contains(&at).then_some(Found { path: item_path, on_key: false, is_text })
            })
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lines_follow_tables_arrays_and_dotted_keys() {
        let text = "title = \"A\"\nvars.NAAM = \"x\"\ninline = { a = 1 }\n\n[[actions]]\nwho = \"x\"\n\n[[actions]]\nwho = \"y\"\n";
        let (parsed, k) = parse_with_lines::<toml::Table>(text, 2);
        assert!(parsed.is_ok());
        assert_eq!(k.get("title"), Some(&2));
        assert_eq!(k.get("vars.NAAM"), Some(&3));
        assert_eq!(k.get("inline.a"), Some(&4));
        assert_eq!(k.get("actions"), Some(&6));
        assert_eq!(k.get("actions.1"), Some(&9));
        assert_eq!(k.get("actions.1.who"), Some(&10));
        assert_eq!(k.get("who"), None);
        assert!(parse_with_lines::<toml::Table>("x = [", 1).1.is_empty());
    }

    fn lint_of(text: &str) -> &'static str {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Meta {
            weight: Option<i64>,
            due: Option<toml::value::Datetime>,
            status: Option<Status>,
            tags: Option<Vec<String>>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(rename_all = "lowercase")]
        enum Status {
            Open,
        }
        let schema = |path: &str| match path {
            "weight" | "tags" => Some(FieldKind::Other),
            "due" => Some(FieldKind::Date),
            "status" => Some(FieldKind::Choice),
            p if p.starts_with("tags.") => Some(FieldKind::Other),
            _ => None,
        };
        let e = toml::from_str::<Meta>(text).expect_err("an error");
        front_matter_diagnostic(&e, text, 2, "x.md", &schema).code
    }

    #[test]
    fn errors_are_classified_by_the_failing_field() {
        assert_eq!(lint_of("weight = \"date\"\n"), lints::FM_WRONG_TYPE.code, "a value that says `date`");
        assert_eq!(lint_of("due = 2026-02-30\n"), lints::FM_INVALID_DATE.code);
        assert_eq!(lint_of("due = \"morgen\"\n"), lints::FM_INVALID_DATE.code);
        assert_eq!(lint_of("status = \"dicht\"\n"), lints::FM_INVALID_VALUE.code);
        assert_eq!(lint_of("status = 3\n"), lints::FM_WRONG_TYPE.code);
        assert_eq!(lint_of("wieght = 1\n"), lints::FM_UNKNOWN_KEY.code);
        assert_eq!(lint_of("tags = [1]\n"), lints::FM_WRONG_TYPE.code);
        assert_eq!(lint_of("weight = [\n"), lints::FM_SYNTAX.code);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("é\nab", 4), (2, 2));
        assert_eq!(line_col("é", 1), (1, 1), "inside a character: its start");
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}
