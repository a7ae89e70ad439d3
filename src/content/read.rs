//! One Markdown file's bytes read as planboek reads every file: decoded, its line endings
//! normalized, split into front matter and body, and its front matter parsed, with every
//! problem a diagnostic at its line. Front matter that cannot be read yields
//! `FrontMatter::unreadable()`, so the file counts as `vertrouwelijk`.

use super::frontmatter::{self, Suspect, SuspectKind, Unterminated};
use super::source::{ContentSource, CONTENT_DIR};
use crate::diag::spans::{front_matter_diagnostic, line_col, parse_with_lines};
use crate::diag::{lints, Diagnostic};
use crate::model::{FrontMatter, Source};
use crate::util::url::slash_path;
use std::path::{Path, PathBuf};

/// What a file's front matter is, before it is parsed.
pub enum FrontMatterText {
    None,
    /// The TOML text and the file line it starts on.
    Toml(String, u32),
    /// Something that looks like front matter but cannot be read: the file counts as
    /// `vertrouwelijk` (`FrontMatter::unreadable`), with this error.
    Unreadable(Diagnostic),
}

/// A file split: its source (path and lines, no body), its front-matter text and its body.
pub struct Split {
    pub source: Source,
    pub front_matter: FrontMatterText,
    pub body: String,
}

/// A file's bytes as its source (digest and lines), front-matter text and body; an error
/// when the file cannot be a page at all (not UTF-8, front matter never closed).
pub fn split_file(path: PathBuf, bytes: Vec<u8>) -> Result<Split, Diagnostic> {
    let digest = *blake3::hash(&bytes).as_bytes();
    let text = String::from_utf8(bytes).map_err(|e| utf8_error(&path, &e))?;
    let mut text = frontmatter::normalize(text);
    let parts = frontmatter::split(&text).map_err(|Unterminated { line }| {
        Diagnostic::new(lints::FM_UNTERMINATED, &path, line, 1, "front matter opened with `+++` is never closed")
            .with_help("end the front matter with a line holding only `+++`")
    })?;
    let front_matter = match (parts.suspect, parts.front_matter) {
        (Some(suspect), _) => FrontMatterText::Unreadable(suspect_error(&path, suspect)),
        (None, Some(text)) => FrontMatterText::Toml(text.to_string(), parts.front_matter_line),
        (None, None) => FrontMatterText::None,
    };
    let source = Source { path, body_line: parts.body_line, digest, ..Source::default() };
    // The body is the end of the text: the front matter is cut off in place, not copied.
    let body_start = text.len() - parts.body.len();
    text.replace_range(..body_start, "");
    Ok(Split { source, front_matter, body: text })
}

/// The body of `source` read again from `content` for its page: the bytes must be those
/// loaded, or the page would mix two states of the file (the front matter the audience
/// filter and the index saw, and a body written since); then it is an error, and the build
/// is to be run again.
pub fn read_body(content: &ContentSource, source: &Source) -> Result<String, Diagnostic> {
    let rel = slash_path(source.path.strip_prefix(CONTENT_DIR).unwrap_or(&source.path));
    let bytes = content
        .read(&rel)
        .map_err(|e| Diagnostic::new(lints::IO_ERROR, &source.path, 0, 0, format!("cannot read: {e}")))?;
    if *blake3::hash(&bytes).as_bytes() != source.digest {
        return Err(changed_error(&source.path));
    }
    // The bytes are those loaded, which were valid and split then: the body starts after
    // the same lines, and nothing of the front matter needs reading again.
    let text = String::from_utf8(bytes).map_err(|e| utf8_error(&source.path, &e))?;
    let mut text = frontmatter::normalize(text);
    let mut start = 0;
    for _ in 1..source.body_line {
        start = text[start..].find('\n').map_or(text.len(), |i| start + i + 1);
    }
    text.replace_range(..start, "");
    Ok(text)
}

/// The error for a file that changed between loading and rendering.
fn changed_error(path: &Path) -> Diagnostic {
    Diagnostic::new(lints::IO_ERROR, path, 0, 0, "the file changed while the handbook was being built")
        .with_help("build again; nothing of this build was published")
}

/// Parses front matter into `M`; on an error reports it and goes on with `M::unreadable()`,
/// so that the rest of the file is still checked. The flag says the front matter failed.
pub fn parse_front_matter<M: FrontMatter>(
    mut source: Source,
    fm: FrontMatterText,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Source, M, bool) {
    let (meta, failed) = match fm {
        FrontMatterText::None => (M::default(), false),
        FrontMatterText::Unreadable(d) => {
            diagnostics.push(d);
            (M::unreadable(), true)
        }
        FrontMatterText::Toml(text, line) => match parse_with_lines(&text, line) {
            (Ok(meta), key_lines) => {
                source.key_lines = key_lines;
                (meta, false)
            }
            (Err(e), _) => {
                diagnostics.push(front_matter_diagnostic(&e, &text, line, &source.path, &M::field));
                (M::unreadable(), true)
            }
        },
    };
    (source, meta, failed)
}

/// A file's bytes read the way loading reads them (`path` as the file names it in
/// diagnostics): its source and front matter, or None when it cannot be a page; every
/// problem goes to `diagnostics`. For tests and fuzzing of the one reading path.
pub fn parse_file<M: FrontMatter>(
    path: &Path,
    bytes: Vec<u8>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Source, M)> {
    match split_file(path.to_path_buf(), bytes) {
        Ok(split) => {
            let (source, meta, _) = parse_front_matter(split.source, split.front_matter, diagnostics);
            Some((source, meta))
        }
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}

/// The error for front matter that is not where or what it must be.
fn suspect_error(path: &Path, suspect: Suspect) -> Diagnostic {
    let (message, help) = match suspect.kind {
        SuspectKind::Misplaced => (
            "a `+++` block of front matter below the top of the file",
            "move the front matter to the top of the file; to show `+++` as text, put it in a code block",
        ),
        SuspectKind::BadFence => {
            ("front matter must open with a line holding only `+++`", "write `+++` alone on the first line")
        }
        SuspectKind::Yaml => (
            "`---` front matter is YAML, which planboek does not read",
            "write the front matter as TOML between `+++` lines: classification = \"intern\"",
        ),
    };
    let message = format!("{message}; the file counts as vertrouwelijk until this is fixed");
    Diagnostic::new(lints::FM_MISPLACED, path, suspect.line, 1, message).with_help(help)
}

fn utf8_error(path: &Path, e: &std::string::FromUtf8Error) -> Diagnostic {
    // Everything before the first bad byte is valid UTF-8.
    let valid = std::str::from_utf8(&e.as_bytes()[..e.utf8_error().valid_up_to()]).unwrap_or_default();
    let (line, column) = line_col(valid, valid.len());
    Diagnostic::new(lints::INVALID_UTF8, path, line, column, "file is not valid UTF-8")
        .with_help("save the file as UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::sync::Arc;

    /// A body read again is the body split at loading, whatever the file's shape.
    #[test]
    fn a_body_read_again_is_the_body_loaded() {
        let files = [
            "no front matter\n# Kop\n",
            "+++\ntitle = \"a\"\n+++\n\n# Kop\ntekst\n",
            "\u{feff}\r\n+++\r\ntitle = \"a\"\r\n+++\r\nregel\r\nregel\r",
            "+++\ntitle = \"a\"\n+++",
            "+++\ntitle = \"a\"\n+++\n",
            "tekst\n\n+++\nx = 1\n+++\nmeer\n",
            "",
        ];
        for text in files {
            let tree: BTreeMap<String, Vec<u8>> = [("p/a.md".to_string(), text.as_bytes().to_vec())].into();
            let content = ContentSource::Tree { tree: Arc::new(tree), assets: PathBuf::new() };
            let split = split_file(Path::new(CONTENT_DIR).join("p/a.md"), text.as_bytes().to_vec()).expect("splits");
            assert_eq!(read_body(&content, &split.source).expect("unchanged"), split.body, "{text:?}");
        }
    }
}
