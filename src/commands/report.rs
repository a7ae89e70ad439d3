//! Printing diagnostics for people (`human`), programs (`json`), GitHub pull requests
//! (`github` workflow commands) and code-review tools (`gitlab`, `sarif`: `report_ci.rs`).

use crate::diag::{lints, Diagnostics, Severity};
use crate::util::count;
use crate::util::url::slash_path;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The output formats of `planboek check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// SARIF 2.1.0.
    Sarif,
}

/// The whole report in `format`; `root` is where the files named in diagnostics are read
/// from to quote their lines; `plans` counts the plans checked.
pub fn report(ds: &Diagnostics, format: Format, root: &Path, plans: usize) -> String {
    match format {
        Format::Human => human(ds, root, plans),
        Format::Json => json(ds),
        Format::Github => github(ds),
        Format::Gitlab => super::report_ci::gitlab(ds),
        Format::Sarif => super::report_ci::sarif(ds),
    }
}

fn human(ds: &Diagnostics, root: &Path, plans: usize) -> String {
    let mut out = String::new();
    // Each file is read once, however many findings it has.
    let mut sources: HashMap<PathBuf, Option<Quoted>> = HashMap::new();
    let mut last_file: Option<&Path> = None;
    for d in &ds.0 {
        if last_file != Some(&*d.file) && last_file.is_some() {
            out.push('\n');
        }
        last_file = Some(&d.file);
        let _ = writeln!(out, "{}", d.headline());
        // A personal-data finding's line would show what its message masks, in a CI log.
        let quote = d.line > 0 && !lints::PERSONAL_DATA.iter().any(|l| d.is(*l));
        let source = sources.entry(d.file.to_path_buf()).or_insert_with(|| Quoted::read(&root.join(&d.file)));
        if let Some((shown, caret)) = source.as_mut().filter(|_| quote).and_then(|s| s.snippet(d.line, d.column)) {
            let gutter = d.line.to_string();
            let pad = " ".repeat(gutter.len());
            let caret = " ".repeat(caret);
            let _ = writeln!(out, "{pad} |\n{gutter} | {shown}\n{pad} | {caret}^");
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  = help: {help}");
        }
    }
    let (e, w) = (ds.errors(), ds.warnings());
    let _ = writeln!(
        out,
        "{}{}, {} in {}",
        if ds.0.is_empty() { "" } else { "\n" },
        count(e, "error", "errors"),
        count(w, "warning", "warnings"),
        count(plans, "plan", "plans")
    );
    out
}

/// Characters of a line shown on each side of a finding's column.
const WINDOW: usize = 60;
/// Characters between two remembered positions of a long line.
const STRIDE: usize = 512;

/// A file quoted by the report: its text, where each line starts, and for long lines the
/// byte offset of every `STRIDE`-th character, so that a thousand findings on one
/// megabyte-long line cost a thousand short walks, not a thousand walks of the line.
struct Quoted {
    text: String,
    line_starts: Vec<usize>,
    strides: HashMap<u32, Option<Vec<usize>>>,
}

impl Quoted {
    fn read(path: &Path) -> Option<Quoted> {
        let text = std::fs::read_to_string(path).ok()?;
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Some(Quoted { text, line_starts, strides: HashMap::new() })
    }

    /// Line `line` (1-based) without its line break.
    fn line(&self, line: u32) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)? as usize)?;
        let end = self.line_starts.get(line as usize).map_or(self.text.len(), |&e| e - 1);
        let l = self.text.get(start..end.max(start))?;
        Some(l.strip_suffix('\r').unwrap_or(l))
    }

    /// The byte offset in line `line` of its character `index` (clamped to the line's end).
    fn byte_of(&mut self, line: u32, index: usize) -> usize {
        let Some(l) = self.line(line) else { return 0 };
        let len = l.len();
        // Worked out once per line: None for ASCII, where characters are bytes.
        let strides = self.strides.entry(line).or_insert_with(|| {
            let start = self.line_starts[line as usize - 1];
            let l = self.text.get(start..start + len).unwrap_or_default();
            (!l.is_ascii()).then(|| l.char_indices().step_by(STRIDE).map(|(b, _)| b).collect())
        });
        let Some(strides) = strides else { return index.min(len) };
        let Some(&from) = strides.get(index / STRIDE) else { return len };
        let rest = self.line(line).unwrap_or_default().get(from..).unwrap_or_default();
        from + rest.char_indices().nth(index % STRIDE).map_or(rest.len(), |(b, _)| b)
    }

    /// The part of line `line` shown for a finding at `column` (1-based characters), cut to a
    /// window around it and marked `…` where cut, and the caret's distance from its start.
    fn snippet(&mut self, line: u32, column: u32) -> Option<(String, usize)> {
        if line == 0 {
            return None;
        }
        let at = column.saturating_sub(1) as usize;
        let from = at.saturating_sub(WINDOW);
        let (start, focus, end) = (self.byte_of(line, from), self.byte_of(line, at), self.byte_of(line, at + WINDOW));
        let l = self.line(line)?;
        let mut shown = String::new();
        if start > 0 {
            shown.push('…');
        }
        shown.push_str(l.get(start..end).unwrap_or_default());
        if end < l.len() {
            shown.push('…');
        }
        let caret = usize::from(start > 0) + l.get(start..focus).map_or(0, |s| s.chars().count());
        Some((shown.replace('\t', " "), caret))
    }
}

fn json(ds: &Diagnostics) -> String {
    let items: Vec<serde_json::Value> =
        ds.0.iter()
            .map(|d| {
                serde_json::json!({
                    "severity": d.severity.as_str(),
                    "code": d.code,
                    "name": d.name,
                    "file": slash_path(&d.file),
                    "version": d.version,
                    "line": d.line,
                    "column": d.column,
                    "message": d.message,
                    "help": d.help,
                })
            })
            .collect();
    let doc = serde_json::json!({ "diagnostics": items, "errors": ds.errors(), "warnings": ds.warnings() });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// Escapes data for a workflow command: `%`, CR and LF always, and `:` and `,` in properties.
fn escape(s: &str, property: bool) -> String {
    let mut out = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn github(ds: &Diagnostics) -> String {
    let mut out = String::new();
    for d in &ds.0 {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = format!("file={}", escape(&d.file.to_string_lossy(), true));
        if d.line > 0 {
            let _ = write!(props, ",line={}", d.line);
            if d.column > 0 {
                let _ = write!(props, ",col={}", d.column);
            }
        }
        let title = escape(&format!("{} {}", d.code, d.name), true);
        let message = match &d.help {
            Some(h) => format!("{}\n{h}", d.message),
            None => d.message.clone(),
        };
        let _ = writeln!(out, "::{level} {props},title={title}::{}", escape(&message, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Quoted {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Quoted { text: text.to_string(), line_starts, strides: HashMap::new() }
    }

    #[test]
    fn short_lines_are_shown_whole_with_the_caret_under_the_column() {
        let mut q = quoted("eerste\r\nde <NAAM> staat hier\n");
        assert_eq!(q.snippet(2, 4), Some(("de <NAAM> staat hier".to_string(), 3)));
        assert_eq!(q.snippet(1, 1), Some(("eerste".to_string(), 0)));
        assert_eq!(q.snippet(9, 1), None);
        assert_eq!(q.snippet(0, 1), None);
    }

    #[test]
    fn long_lines_are_windowed_around_the_column() {
        for c in ['x', 'ë'] {
            let line: String = (0..100_000).map(|i| if i == 70_000 { '^' } else { c }).collect();
            let mut q = quoted(&line);
            let (shown, caret) = q.snippet(1, 70_001).expect("snippet");
            assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
            assert_eq!(shown.chars().count(), 2 * WINDOW + 2);
            assert_eq!(shown.chars().nth(caret), Some('^'), "the caret is under the column");
            let (end, caret) = q.snippet(1, 100_050).expect("past the end");
            assert!(end.starts_with('…') && !end.ends_with('…') && caret <= WINDOW + 1, "{end}");
        }
    }
}
