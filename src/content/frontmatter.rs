//! Splitting a Markdown file into TOML front matter and body, keeping line numbers.

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
}

/// Front matter that opens but never closes: the file line of the opening `+++`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unterminated {
    pub line: u32,
}

/// Removes a UTF-8 byte order mark and turns CRLF line endings into LF, which keeps every
/// line number and column as the editor sees them.
pub fn normalize(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "+++"
}

/// Splits normalized text into front matter and body.
pub fn split(text: &str) -> Result<Parts<'_>, Unterminated> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        return Ok(Parts { front_matter: None, front_matter_line: 0, body: text, body_line: 1 });
    }
    let fm_start = (first_end + 1).min(text.len());
    let mut pos = fm_start;
    let mut line = 2u32;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if is_fence(&text[pos..end]) {
            let body_start = (end + 1).min(text.len());
            return Ok(Parts {
                front_matter: Some(&text[fm_start..pos]),
                front_matter_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(Unterminated { line: 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_line_numbers() {
        let p = split("+++\ntitle = \"A\"\n+++\n\n# Kop\n").expect("terminated");
        assert_eq!(p.front_matter, Some("title = \"A\"\n"));
        assert_eq!(p.body, "\n# Kop\n");
        assert_eq!(p.body_line, 4);
    }

    #[test]
    fn no_front_matter_and_unterminated() {
        assert_eq!(split("# Kop\n").map(|p| p.body_line), Ok(1));
        assert_eq!(split("+++\ntitle = 1\n"), Err(Unterminated { line: 1 }));
        assert_eq!(split("+++"), Err(Unterminated { line: 1 }));
        assert!(split("+++\n+++").is_ok());
    }

    #[test]
    fn bom_and_crlf() {
        let t = normalize("\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nx\r\n".to_string());
        assert_eq!(split(&t).map(|p| p.body), Ok("x\n"));
    }
}
