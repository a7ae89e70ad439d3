//! Markdown fidelity against an outside yardstick: the 652 examples of the CommonMark 0.31.2
//! spec and pulldown-cmark's 57 GFM table, strikethrough and task-list examples
//! (`tests/fixtures/commonmark`), each one section of a generated repository, built by the
//! real binary in publish mode. Each page's body is compared with the expected HTML after
//! CommonMark's own normalization (`commonmark/normalize.rs`). Every difference must be one
//! of the by-design differences listed in `BY_DESIGN`, and each listed one must still occur.

mod normalize;

use crate::common::Repo;
use normalize::{normalize, serialize, tokens, Tok};
use std::collections::BTreeMap;
use std::path::Path;

/// One example: where it comes from, its Markdown and the HTML it should give.
struct Example {
    /// `"12"` for spec example 12, `"table_test_22"` for a GFM example.
    id: String,
    /// The plan (one per spec section) and file its section is written to.
    file: String,
    markdown: String,
    html: String,
}

/// How a by-design difference is taken out of the comparison.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Undo {
    /// The `id`s of `h1`–`h6` in planboek's output are dropped.
    HeadingIds,
    /// In the expected HTML, links whose URL planboek does not keep here are unwrapped and
    /// such images replaced by their alt text: relative URLs (no such file exists in the
    /// generated repository) and schemes other than http, https, mailto and tel.
    LinkCheck,
    /// The expected HTML goes through planboek's sanitizer (`markdown::sanitize_html`).
    Sanitized,
    /// `em` and `strong` tags are dropped on both sides.
    AltMarkup,
    /// Placeholder marks in planboek's output become the tag they were written as, before
    /// sanitizing (which then removes both alike).
    Placeholder,
    /// Planboek's output must normalize to exactly this (a difference that changes the
    /// page's structure, which no general rule undoes).
    Exactly(&'static str),
}

/// A by-design difference: why, the examples it shows in, and how it is taken out.
struct ByDesign {
    why: &'static str,
    /// Example ids, separated by spaces.
    examples: &'static str,
    undo: &'static [Undo],
}

use Undo::*;

/// Every example whose output differs from the spec's, and why. An example not listed must
/// match exactly; a listed one must differ, and only as its entry says.
const BY_DESIGN: &[ByDesign] = &[
    ByDesign {
        why: "every heading gets an id (`<h2 id=\"doelen\">`), for links to it and the table of contents",
        examples: "10 59 62 66 67 68 71 72 73 74 75 76 77 78 79 80 81 82 83 84 86 89 90 91 95 96 102 103 115 141 \
                   227 228 229 230 232 300 646 647 table_test_1 table_test_13",
        undo: &[HeadingIds],
    },
    ByDesign {
        why: "the link check: a link to a page or file that does not exist under content/ is shown as its \
              text and reported as an error; a missing image shows its alt text (every relative URL of \
              the examples is missing in the generated repository)",
        examples: "22 23 32 33 192 193 194 195 196 198 202 203 204 205 206 216 217 218 404 419 422 433 473 474 482 \
                   483 484 489 492 495 496 498 499 500 502 503 504 505 506 507 509 510 512 514 515 516 517 518 519 \
                   520 521 522 527 528 529 530 531 532 533 534 535 539 540 541 542 543 544 549 550 553 554 555 556 \
                   557 558 559 560 561 562 564 565 566 568 569 570 571 572 574 575 578 579 580 581 582 583 584 586 \
                   587 588 591 593 table_test_22 table_test_25",
        undo: &[LinkCheck],
    },
    ByDesign {
        why: "heading ids, and the link check on a link inside or after the heading",
        examples: "214 215",
        undo: &[HeadingIds, LinkCheck],
    },
    ByDesign {
        why: "only http, https, mailto and tel links are kept (`irc:`, `a+b+c:`, `localhost:` are shown as \
              text, with a warning): a page must not lead a reader's browser into another program",
        examples: "596 598 599 601",
        undo: &[LinkCheck],
    },
    ByDesign {
        why: "a missing image shows its alt text as Markdown, so emphasis in it stays (`foo <em>bar</em>`), \
              where an alt attribute holds only text",
        examples: "573 576 577 585 589",
        undo: &[LinkCheck, AltMarkup],
    },
    ByDesign {
        why: "raw HTML is sanitized (planboek.toml `allow_raw_html = false`, the default): scripts, styles, \
              comments, processing instructions, declarations, unknown elements and attributes go, with \
              a note in `check`; what stays is re-serialized, so unclosed elements are closed",
        examples: "21 31 148 149 151 155 160 165 169 170 171 172 173 174 175 176 177 178 179 180 181 182 183 184 \
                   187 190 191 201 308 309 344 476 477 491 494 524 536 614 615 616 617 623 625 626 627 628 629 630 \
                   631 642 643",
        undo: &[Sanitized],
    },
    ByDesign {
        why: "a one-word `<name>` is a template placeholder, shown marked and reported, never swallowed as \
              an unknown HTML element (the template's `<invoegen>` and `<AANTAL>` need it); the raw HTML \
              around it is sanitized",
        examples: "150 613",
        undo: &[Placeholder, Sanitized],
    },
    ByDesign {
        why: "the one-word placeholder `<Warning>` is text in a paragraph, so it opens no HTML block and \
              the emphasis around it is Markdown",
        examples: "163",
        undo: &[Exactly(
            "<p><mark class=\"pb-blank\" title=\"Nog in te vullen: Warning\">Warning</mark> <em>bar</em></p>",
        )],
    },
];

fn fixture(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/commonmark").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("json")
}

/// Every example, spec first.
fn examples() -> Vec<Example> {
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().expect(k).to_string();
    let mut out = Vec::new();
    for v in fixture("spec-0.31.2.json").as_array().expect("array") {
        let n = v["example"].as_u64().expect("number");
        let plan: String = text(v, "section")
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        out.push(Example {
            id: n.to_string(),
            file: format!("spec-{plan}/e{n:04}"),
            markdown: text(v, "markdown"),
            html: text(v, "html"),
        });
    }
    for v in fixture("gfm-pulldown-cmark-0.13.6.json").as_array().expect("array") {
        let name = text(v, "name");
        out.push(Example {
            file: format!("gfm/{name}"),
            id: name,
            markdown: text(v, "markdown"),
            html: text(v, "html"),
        });
    }
    out
}

/// A repository with one section per example, each with a front-matter title.
fn repository(examples: &[Example]) -> Repo {
    let repo = Repo { dir: tempfile::tempdir().expect("tempdir") };
    // The examples link to files that do not exist; that is a finding, not a failed build.
    repo.write(
        "planboek.toml",
        "title = \"CommonMark\"\nlanguage = \"nl\"\n[check]\nlevels = { broken-link = \"warning\", missing-anchor = \"warning\" }\n",
    );
    for e in examples {
        let plan = e.file.split('/').next().expect("plan");
        repo.write(&format!("content/{plan}/_index.md"), format!("+++\ntitle = \"{plan}\"\n+++\n"));
        repo.write(
            &format!("content/{}.md", e.file),
            format!("+++\ntitle = \"Voorbeeld {}\"\n+++\n{}", e.id, e.markdown),
        );
    }
    repo
}

/// The Markdown body of a built section page.
/// `html` without the scroll regions planboek puts around every table (README: tables on a
/// phone scroll on their own): a frame around the specified HTML, not a change of it.
fn unwrap_tables(html: &str) -> String {
    const OPEN: &str = "<div class=\"pb-scroll pb-scroll--table\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        rest = rest[at..].split_once('>').map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out.replace("</table></div>", "</table>")
}

fn body(page: &str) -> &str {
    let Some((_, rest)) = page.split_once("<div class=\"pb-body\">\n") else { return "" };
    rest.rsplit_once("\n  </div>\n</article>").map_or(rest, |(body, _)| body)
}

/// Whether planboek keeps a link or image with this URL when no file of that name exists:
/// fragments, `//host` URLs and the safe schemes.
fn kept(url: &str) -> bool {
    let scheme = url.split_once(':').map(|(s, _)| s).filter(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let safe = scheme.is_some_and(|s| ["http", "https", "mailto", "tel"].iter().any(|k| s.eq_ignore_ascii_case(k)));
    safe || url.is_empty() || url.starts_with('#') || url.starts_with("//")
}

/// `toks` without the links and images the link check takes out.
fn unlink(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut open: Vec<bool> = Vec::new();
    for tok in toks {
        match &tok {
            Tok::Start { name, .. } if name == "a" => {
                let keep = tok.attr("href").map_or(true, kept);
                open.push(keep);
                if keep {
                    out.push(tok);
                }
            }
            Tok::End(name) if name == "a" => {
                if open.pop().unwrap_or(true) {
                    out.push(tok);
                }
            }
            Tok::Start { name, .. } if name == "img" && !tok.attr("src").map_or(true, kept) => {
                out.push(Tok::Text(tok.attr("alt").unwrap_or_default().to_string()));
            }
            _ => out.push(tok),
        }
    }
    out
}

/// `html` with placeholder marks turned back into the tags they were written as.
fn unmark(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<mark class=\"pb-blank\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let open_end = after.find('>').expect("mark open") + 1;
        let close = after.find("</mark>").expect("mark close");
        out.push('<');
        out.push_str(&after[open_end..close]);
        out.push('>');
        rest = &after[close + "</mark>".len()..];
    }
    out.push_str(rest);
    out
}

/// Both sides with `undo` applied, normalized.
fn undone(expected: &str, actual: &str, undo: &[Undo]) -> (String, String) {
    let (mut expected, mut actual) = (expected.to_string(), actual.to_string());
    if undo.contains(&Placeholder) {
        actual = unmark(&actual);
    }
    if undo.contains(&Sanitized) {
        expected = planboek::markdown::sanitize_html(&expected);
        actual = planboek::markdown::sanitize_html(&actual);
    }
    let (mut e, mut a) = (tokens(&expected), tokens(&actual));
    for u in undo {
        match u {
            HeadingIds => {
                for tok in &mut a {
                    if let Tok::Start { name, attrs, .. } = tok {
                        if matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                            attrs.retain(|(k, _)| k != "id");
                        }
                    }
                }
            }
            LinkCheck => e = unlink(e),
            AltMarkup => {
                let inline =
                    |t: &Tok| matches!(t, Tok::Start { name, .. } | Tok::End(name) if name == "em" || name == "strong");
                e.retain(|t| !inline(t));
                a.retain(|t| !inline(t));
            }
            Exactly(html) => e = tokens(html),
            Sanitized | Placeholder => {}
        }
    }
    (serialize(&e), serialize(&a))
}

#[test]
fn commonmark_and_gfm_examples_render_as_specified_or_differ_by_design() {
    let examples = examples();
    assert_eq!(examples.len(), 652 + 57);
    let mut listed: BTreeMap<&str, &ByDesign> = BTreeMap::new();
    for entry in BY_DESIGN {
        for id in entry.examples.split_whitespace() {
            assert!(listed.insert(id, entry).is_none(), "example {id} is listed twice");
            assert!(examples.iter().any(|e| e.id == *id), "no example {id}");
        }
    }
    let repo = repository(&examples);
    repo.run(&["build"]).assert_code(0);
    let (mut exact, mut by_design, mut problems) = (0, 0, Vec::new());
    for e in &examples {
        let page = repo.read_site(&format!("{}.html", e.file));
        assert!(!page.contains(['\u{E000}', '\u{E001}']), "example {}: a blank's marker leaked into the page", e.id);
        // Links to other sites carry `rel="noreferrer noopener"` (README, Hosting): nothing a
        // reader sees, and no difference from the specification's HTML.
        let actual = &unwrap_tables(&body(&page).replace(" rel=\"noreferrer noopener\"", ""));
        let same = normalize(actual) == normalize(&e.html);
        match (same, listed.get(e.id.as_str())) {
            (true, None) => exact += 1,
            (true, Some(_)) => problems.push(format!("example {} now matches exactly: take it off BY_DESIGN", e.id)),
            (false, Some(entry)) => {
                let (want, got) = undone(&e.html, actual, entry.undo);
                if want == got {
                    by_design += 1;
                } else {
                    problems.push(format!(
                        "example {} differs beyond {:?} ({})\nmarkdown: {:?}\nwant: {want}\ngot:  {got}",
                        e.id, entry.undo, entry.why, e.markdown
                    ));
                }
            }
            (false, None) => problems.push(format!(
                "example {} differs\nmarkdown: {:?}\nwant: {}\ngot:  {}",
                e.id,
                e.markdown,
                normalize(&e.html),
                normalize(actual)
            )),
        }
    }
    println!(
        "CommonMark 0.31.2 + GFM: {exact} of {} examples exactly as specified, {by_design} differ by design",
        examples.len()
    );
    assert!(problems.is_empty(), "{} problems:\n\n{}", problems.len(), problems.join("\n\n"));
    assert_eq!(exact + by_design, examples.len());
}
