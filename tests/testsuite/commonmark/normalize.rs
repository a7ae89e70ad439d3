//! CommonMark's HTML normalization (the spec repository's `test/normalize.py`), on html5ever's
//! tokenizer: attributes sorted, character references decoded and `<`, `>`, `&`, `"` written
//! as references, white space collapsed outside `<pre>` and dropped around block tags, and
//! `<br />` the same as `<br>`. Two outputs that normalize alike render alike.
//!
//! Where this is stricter than `normalize.py`, it is so on both sides: only ASCII white space
//! collapses, and every reference is decoded (the Python one knows only HTML 4's names).

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use std::cell::RefCell;

/// One piece of HTML, as the normalization sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A start tag: lower-case name, attributes (valueless ones with `""`), self-closing.
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        closed: bool,
    },
    End(String),
    /// Text, references decoded.
    Text(String),
    Comment(String),
    Doctype(String),
}

impl Tok {
    pub fn attr(&self, key: &str) -> Option<&str> {
        match self {
            Tok::Start { attrs, .. } => attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()),
            _ => None,
        }
    }
}

/// Collects tokens, switching the tokenizer into raw text where HTML does.
#[derive(Default)]
struct Sink(RefCell<Vec<Tok>>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut toks = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let name = tag.name.to_string();
                let attrs = tag.attrs.iter().map(|a| (a.name.local.to_string(), a.value.to_string())).collect();
                toks.push(Tok::Start { name: name.clone(), attrs, closed: tag.self_closing });
                if tag.self_closing {
                    return TokenSinkResult::Continue;
                }
                return match name.as_str() {
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" => TokenSinkResult::RawData(RawKind::Rawtext),
                    "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                    _ => TokenSinkResult::Continue,
                };
            }
            Token::TagToken(tag) => toks.push(Tok::End(tag.name.to_string())),
            Token::CharacterTokens(t) => match toks.last_mut() {
                Some(Tok::Text(s)) => s.push_str(&t),
                _ => toks.push(Tok::Text(t.to_string())),
            },
            Token::NullCharacterToken => toks.push(Tok::Text("\u{FFFD}".into())),
            Token::CommentToken(c) => toks.push(Tok::Comment(c.to_string())),
            Token::DoctypeToken(d) => toks.push(Tok::Doctype(d.name.map(|n| n.to_string()).unwrap_or_default())),
            Token::EOFToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// The tokens of `html`.
pub fn tokens(html: &str) -> Vec<Tok> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// The tags `normalize.py` strips white space around.
fn is_block(tag: &str) -> bool {
    const BLOCK: &str = "article header aside hgroup blockquote hr iframe body li map button object canvas ol \
                         caption output col p colgroup pre dd progress div section dl table td dt tbody embed \
                         textarea fieldset tfoot figcaption th figure thead footer tr form ul h1 h2 h3 h4 h5 h6 \
                         video script style";
    BLOCK.split_whitespace().any(|b| b == tag)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

fn escape(s: &str, quote_apos: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if quote_apos => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}

/// What was written last, which decides how the next text is trimmed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Start,
    End,
    Other,
}

/// The normal form of `toks`.
pub fn serialize(toks: &[Tok]) -> String {
    let mut out = String::new();
    let (mut last, mut last_tag, mut in_pre) = (Last::Start, String::new(), false);
    for tok in toks {
        match tok {
            Tok::Text(text) => {
                let after_tag = last != Last::Other;
                let mut data = text.as_str();
                if after_tag && last_tag == "br" {
                    data = data.trim_start_matches('\n');
                }
                let mut data = if in_pre {
                    data.to_string()
                } else {
                    let mut collapsed = String::with_capacity(data.len());
                    for (i, part) in data.split(is_space).enumerate() {
                        if i > 0 && !collapsed.ends_with(' ') {
                            collapsed.push(' ');
                        }
                        collapsed.push_str(part);
                    }
                    collapsed
                };
                if after_tag && is_block(&last_tag) && !in_pre {
                    data = match last {
                        Last::Start => data.trim_start_matches(is_space).to_string(),
                        _ => data.trim_matches(is_space).to_string(),
                    };
                }
                escape(&data, false, &mut out);
                last = Last::Other;
            }
            Tok::Start { name, attrs, closed } => {
                if name == "pre" {
                    in_pre = true;
                }
                if is_block(name) {
                    out.truncate(out.trim_end_matches(is_space).len());
                }
                out.push('<');
                out.push_str(name);
                let mut sorted = attrs.clone();
                sorted.sort();
                for (k, v) in &sorted {
                    out.push(' ');
                    out.push_str(k);
                    out.push_str("=\"");
                    escape(v, true, &mut out);
                    out.push('"');
                }
                out.push('>');
                last_tag = name.clone();
                last = if *closed { Last::End } else { Last::Start };
            }
            Tok::End(name) => {
                if name == "pre" {
                    in_pre = false;
                } else if is_block(name) {
                    out.truncate(out.trim_end_matches(is_space).len());
                }
                out.push_str("</");
                out.push_str(name);
                out.push('>');
                last_tag = name.clone();
                last = Last::End;
            }
            Tok::Comment(c) => {
                out.push_str("<!--");
                out.push_str(c);
                out.push_str("-->");
                last = Last::Other;
            }
            Tok::Doctype(d) => {
                out.push_str("<!DOCTYPE ");
                out.push_str(d);
                out.push('>');
                last = Last::Other;
            }
        }
    }
    // White space around the whole fragment means nothing.
    out.trim_matches(is_space).to_string()
}

/// `html` in CommonMark's normal form.
pub fn normalize(html: &str) -> String {
    serialize(&tokens(html))
}

#[test]
fn normalization_is_commonmarks() {
    let same = [
        ("<p>a  \n b</p>\n<hr />\n", "<p>a b</p><hr>"),
        ("<p>&quot;x&quot; &#39;y&#39; &copy;</p>", "<p>\"x\" 'y' ©</p>"),
        ("<a title=\"t\" href=\"/u\">x</a>", "<a href='/u' title=t>x</a>"),
        ("<ul>\n<li>a</li>\n</ul>\n", "<ul><li>a</li></ul>"),
        ("<br />\nx", "<br>x"),
        ("<input disabled=\"\" type=\"checkbox\"/>", "<input type=\"checkbox\" disabled>"),
    ];
    for (a, b) in same {
        assert_eq!(normalize(a), normalize(b), "{a} vs {b}");
    }
    let different = [
        ("<pre><code>a  b</code></pre>", "<pre><code>a b</code></pre>"),
        ("<p>a</p>", "<p>b</p>"),
        ("<em>a</em>", "<strong>a</strong>"),
        ("<p>&lt;b&gt;</p>", "<p><b></b></p>"),
    ];
    for (a, b) in different {
        assert_ne!(normalize(a), normalize(b), "{a} vs {b}");
    }
    assert_eq!(normalize("<p>x <script>a < b</script></p>"), "<p>x<script>a &lt; b</script></p>");
}
