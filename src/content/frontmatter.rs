//! Splitting a Markdown file into TOML front matter and body, keeping line numbers.
//!
//! Front matter is a security boundary: it holds a section's classification, so a block the
//! splitter does not see would publish a confidential section with the default one. The
//! splitter therefore accepts what editors produce (a byte order mark, CRLF, lone CR, blank
//! lines or invisible characters before the `+++`), and flags as suspect what looks like
//! front matter but cannot be read as such (a `+++` block further down, `+++toml`, YAML
//! `---` front matter): the loader reports it and treats the file as `vertrouwelijk`.

/// A file's parts; lines are 1-based lines of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    /// The TOML between the `+++` lines, if the file has front matter.
    pub front_matter: Option<&'a str>,
    /// File line of the first TOML line.
    pub front_matter_line: u32,
    pub body: &'a str,
    /// File line on which the body starts.
    pub body_line: u32,
    /// Something that looks like front matter but is not where or what front matter must be.
    pub suspect: Option<Suspect>,
}

/// Front matter that opens but never closes: the file line of the opening `+++`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unterminated {
    pub line: u32,
}

/// Why a file looks like it has front matter that the splitter did not take as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuspectKind {
    /// A `+++` … `+++` block holding TOML keys below the top of the file.
    Misplaced,
    /// A first line that starts with `+++` but is not a fence (`+++toml`).
    BadFence,
    /// A `---` … `---` block of `key: value` lines at the top: YAML, which planboek does not read.
    Yaml,
}

/// A suspect block and the file line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suspect {
    pub kind: SuspectKind,
    pub line: u32,
}

/// Removes a UTF-8 byte order mark and turns CRLF and lone CR line endings into LF. Editors
/// count a lone CR (old Mac and Excel exports) as a line break too, so every line number and
/// column stays as the editor shows it.
pub fn normalize(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// Characters that show nothing: a line of only these (and spaces) is blank, and they are
/// ignored around a fence.
fn invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{00ad}')
}

fn bare(line: &str) -> &str {
    line.trim_matches(invisible)
}

fn is_fence(line: &str) -> bool {
    bare(line) == "+++"
}

/// The lines of `text` with their byte offsets and 1-based numbers.
fn lines(text: &str) -> impl Iterator<Item = (usize, u32, &str)> {
    let mut pos = 0;
    let mut number = 0u32;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = (pos, number.saturating_add(1), &text[pos..end]);
        pos = end + 1;
        number = number.saturating_add(1);
        Some(line)
    })
}

/// Splits normalized text into front matter and body. Front matter starts at the first line
/// that is not blank, when that line is `+++` (spaces and invisible characters around it
/// allowed), and ends at the next such line.
pub fn split(text: &str) -> Result<Parts<'_>, Unterminated> {
    let mut all = lines(text);
    let Some((start, open_line, first)) = all.by_ref().find(|(_, _, l)| !bare(l).is_empty()) else {
        return Ok(no_front_matter(text, None));
    };
    if !is_fence(first) {
        let suspect = if bare(first).starts_with("+++") {
            Some(Suspect { kind: SuspectKind::BadFence, line: open_line })
        } else if bare(first) == "---" {
            yaml_block(&text[start..], open_line)
        } else {
            None
        };
        return Ok(no_front_matter(text, suspect.or_else(|| misplaced(text))));
    }
    let fm_start = (start + first.len() + 1).min(text.len());
    for (pos, line, l) in all {
        if is_fence(l) {
            let body_start = (pos + l.len() + 1).min(text.len());
            let body = &text[body_start..];
            return Ok(Parts {
                front_matter: Some(&text[fm_start..pos]),
                front_matter_line: open_line + 1,
                body,
                body_line: line + 1,
                suspect: misplaced(body).map(|s| Suspect { line: s.line + line, ..s }),
            });
        }
    }
    Err(Unterminated { line: open_line })
}

fn no_front_matter(text: &str, suspect: Option<Suspect>) -> Parts<'_> {
    Parts { front_matter: None, front_matter_line: 0, body: text, body_line: 1, suspect }
}

/// A `+++` … `+++` block outside code blocks whose lines parse as a TOML table with keys:
/// front matter that is not at the top, which would otherwise be published as text.
fn misplaced(text: &str) -> Option<Suspect> {
    // Most bodies have no fence: memchr's vectorised search finds that out several times
    // faster than `str::contains`, which every file of every build pays.
    memchr::memmem::find(text.as_bytes(), b"+++")?;
    let mut open: Option<(usize, u32)> = None;
    let mut code_fence: Option<&str> = None;
    for (pos, line, l) in lines(text) {
        let t = l.trim_start();
        if let Some(marker) = code_fence {
            if t.starts_with(marker) {
                code_fence = None;
            }
            continue;
        }
        if open.is_none() && (t.starts_with("```") || t.starts_with("~~~")) {
            code_fence = Some(&t[..3]);
            continue;
        }
        if !is_fence(l) {
            continue;
        }
        match open {
            None => open = Some((pos + l.len() + 1, line)),
            Some((from, at)) => {
                let block = text.get(from..pos).unwrap_or_default();
                if toml::from_str::<toml::Table>(block).is_ok_and(|t| !t.is_empty()) {
                    return Some(Suspect { kind: SuspectKind::Misplaced, line: at });
                }
                // This fence may open the block the previous one did not.
                open = Some((pos + l.len() + 1, line));
            }
        }
    }
    None
}

/// `---` front matter at the top (`text` starts at its opening line): YAML `key: value`
/// lines up to a closing `---`.
fn yaml_block(text: &str, first_line: u32) -> Option<Suspect> {
    let mut keys = 0;
    for (_, _, l) in lines(text).skip(1) {
        let t = bare(l);
        if t == "---" || t == "..." {
            return (keys > 0).then_some(Suspect { kind: SuspectKind::Yaml, line: first_line });
        }
        let key = t.split_once(':').map(|(k, _)| k.trim());
        if key.is_some_and(|k| !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))) {
            keys += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> Option<&str> {
        split(text).ok().and_then(|p| p.front_matter)
    }

    #[test]
    fn splits_with_line_numbers() {
        let p = split("+++\ntitle = \"A\"\n+++\n\n# Kop\n").expect("terminated");
        assert_eq!(p.front_matter, Some("title = \"A\"\n"));
        assert_eq!(p.body, "\n# Kop\n");
        assert_eq!(p.body_line, 4);
        assert_eq!(p.suspect, None);
    }

    #[test]
    fn no_front_matter_and_unterminated() {
        assert_eq!(split("# Kop\n").map(|p| p.body_line), Ok(1));
        assert_eq!(split("+++\ntitle = 1\n"), Err(Unterminated { line: 1 }));
        assert_eq!(split("+++"), Err(Unterminated { line: 1 }));
        assert_eq!(split("\n\n  +++\ntitle = 1\n"), Err(Unterminated { line: 3 }));
        assert!(split("+++\n+++").is_ok());
        assert_eq!(split("").map(|p| p.front_matter), Ok(None));
    }

    #[test]
    fn bom_and_line_endings() {
        let t = normalize("\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nx\r\n".to_string());
        assert_eq!(split(&t).map(|p| p.body), Ok("x\n"));
        let t = normalize("+++\rclassification = \"vertrouwelijk\"\r+++\rx\r".to_string());
        assert_eq!(
            split(&t).map(|p| (p.front_matter, p.body_line)),
            Ok((Some("classification = \"vertrouwelijk\"\n"), 4))
        );
        let t = normalize("+++\r\na = 1\r+++\nx".to_string());
        assert_eq!(split(&t).map(|p| p.body_line), Ok(4));
    }

    #[test]
    fn blank_lines_spaces_and_invisible_characters_before_the_fence() {
        for text in [
            "\n+++\na = 1\n+++\nx",
            " \n\t\n +++ \na = 1\n+++\nx",
            "\u{200b}+++\na = 1\n+++\nx",
            "\u{feff}\u{feff}+++\na = 1\n+++\nx",
        ] {
            assert_eq!(fm(text), Some("a = 1\n"), "{text:?}");
        }
        let p = split("\n\n+++\na = 1\n+++\nx").expect("split");
        assert_eq!((p.front_matter_line, p.body_line), (4, 6));
    }

    #[test]
    fn suspect_blocks() {
        let kind = |text: &str| split(text).ok().and_then(|p| p.suspect).map(|s| (s.kind, s.line));
        assert_eq!(kind("x\n+++\nclassification = \"vertrouwelijk\"\n+++\ny"), Some((SuspectKind::Misplaced, 2)));
        assert_eq!(kind("+++toml\na = 1\n+++\n"), Some((SuspectKind::BadFence, 1)));
        assert_eq!(kind("\n---\nclassification: vertrouwelijk\n---\nx"), Some((SuspectKind::Yaml, 2)));
        assert_eq!(kind("+++\na = 1\n+++\nx\n\n+++\nb = 2\n+++\n"), Some((SuspectKind::Misplaced, 6)));
        // Not front matter: a code block, prose between fences, a thematic break.
        assert_eq!(kind("x\n```\n+++\na = 1\n+++\n```\n"), None);
        assert_eq!(kind("x\n+++\nzomaar tekst\n+++\n"), None);
        assert_eq!(kind("---\n\nTekst: met een dubbele punt.\n\nmeer\n"), None);
        assert_eq!(kind("x\n+++\n+++\n"), None);
    }
}
