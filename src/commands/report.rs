//! Printing diagnostics for people (`human`), programs (`json`) and GitHub pull requests
//! (`github` workflow commands).

use crate::diag::{lints, Diagnostics, Severity};
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
}

/// The whole report in `format`; `root` is where the files named in diagnostics are read
/// from to quote their lines; `plans` counts the plans checked.
pub fn report(ds: &Diagnostics, format: Format, root: &Path, plans: usize) -> String {
    match format {
        Format::Human => human(ds, root, plans),
        Format::Json => json(ds),
        Format::Github => github(ds),
    }
}

fn human(ds: &Diagnostics, root: &Path, plans: usize) -> String {
    let mut out = String::new();
    let mut sources: HashMap<PathBuf, Option<String>> = HashMap::new();
    let mut last_file: Option<&Path> = None;
    for d in &ds.0 {
        if last_file != Some(&*d.file) && last_file.is_some() {
            out.push('\n');
        }
        last_file = Some(&d.file);
        let text =
            sources.entry(d.file.to_path_buf()).or_insert_with(|| std::fs::read_to_string(root.join(&d.file)).ok());
        let _ = writeln!(out, "{}", d.headline());
        // A personal-data finding's line would show what its message masks, in a CI log.
        let quote = d.line > 0 && !lints::PERSONAL_DATA.iter().any(|l| d.is(*l));
        if let Some(line) =
            text.as_deref().and_then(|t| t.lines().nth(d.line.saturating_sub(1) as usize)).filter(|_| quote)
        {
            let gutter = d.line.to_string();
            let pad = " ".repeat(gutter.len());
            let caret = " ".repeat(d.column.saturating_sub(1) as usize);
            let shown: String = line.chars().take(200).collect::<String>().replace('\t', " ");
            let _ = writeln!(out, "{pad} |\n{gutter} | {shown}\n{pad} | {caret}^");
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  = help: {help}");
        }
    }
    let (e, w) = (ds.errors(), ds.warnings());
    let _ = writeln!(
        out,
        "{}{} {}, {} {} in {} {}",
        if ds.0.is_empty() { "" } else { "\n" },
        e,
        plural(e, "error"),
        w,
        plural(w, "warning"),
        plans,
        plural(plans, "plan")
    );
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
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
