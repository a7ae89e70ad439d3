//! Nothing an editor writes is lost: the title heading, reference links beside choices,
//! blanks in attributes, HTML names in any case, and no marker ever in the output.

use super::{found, html, Page};
use crate::markdown::*;

fn titled(text: &str) -> Rendered {
    let mut page = Page::new();
    page.title = PageTitle::FirstHeading;
    page.render(text)
}

fn with_title(title: &'static str, text: &str) -> Rendered {
    let mut page = Page::new();
    page.title = PageTitle::Set(title);
    page.render(text)
}

#[test]
fn leading_heading_leaves_the_body_only_when_it_is_the_title() {
    let text = "# Aanleiding\n\nTekst.\n";
    // The front matter sets another title: the heading is the editor's, and stays.
    let r = with_title("Inleiding", text);
    assert_eq!(r.html, "<h1 id=\"aanleiding\">Aanleiding</h1>\n<p>Tekst.</p>\n");
    assert_eq!(r.title_id, None);
    // No front-matter title: the heading became the title, which the page shows with its id.
    let r = titled(text);
    assert_eq!(r.html, "<p>Tekst.</p>\n");
    assert_eq!(r.title_id.as_deref(), Some("aanleiding"));
    assert_eq!(r.headings.len(), 1, "still an anchor target");
    assert_eq!(first_heading(text).as_deref(), Some("Aanleiding"));
}

#[test]
fn a_heading_repeating_the_front_matter_title_is_that_title() {
    // Its words are the page's title, shown once; its id goes with them.
    let r = with_title("Plan van  aanpak", "# Plan *van* aanpak\n\nTekst.\n");
    assert_eq!((r.html.as_str(), r.title_id.as_deref()), ("<p>Tekst.</p>\n", Some("plan-van-aanpak")));
    let r = with_title("De groep De <Haven> & co", "# De groep <NAAM GROEP>\n");
    assert_eq!((r.html.as_str(), r.title_id.as_deref()), ("", Some("de-groep-de-haven-co")));
    // Other words, a lower level, or not at the top: the editor's heading.
    for text in ["# Aanleiding en doel\n", "## Aanleiding\n", "Tekst.\n\n# Aanleiding\n", "# aanleiding\n"] {
        let r = with_title("Aanleiding", text);
        assert!(r.html.contains("</h"), "{text:?}: {}", r.html);
        assert_eq!(r.title_id, None, "{text:?}");
    }
}

#[test]
fn a_title_heading_elsewhere_or_an_empty_one_stays() {
    for text in ["Inleiding.\n\n# Titel\n", "> # Titel\n", "#\n\n# Titel\n", "## Twee\n\n# Titel\n"] {
        let r = titled(text);
        assert!(r.html.contains(">Titel</h1>"), "{text:?}: {}", r.html);
        assert_eq!(r.title_id, None, "{text:?}");
    }
    // Only the first heading with text is the title; a second `#` heading is body text.
    let r = titled("# Een\n\n# Twee\n");
    assert_eq!((r.html.as_str(), r.title_id.as_deref()), ("<h1 id=\"twee\">Twee</h1>\n", Some("een")));
    // A heading of a footnote is never the title.
    let text = "[^1]: # Noot\n\n# Titel\n\nTekst[^1].\n";
    assert_eq!(first_heading(text).as_deref(), Some("Titel"));
    assert_eq!(titled(text).title_id.as_deref(), Some("titel"));
}

#[test]
fn title_heading_is_read_as_the_renderer_reads_it() {
    // `<Beschrijf …>` on its own line would open an HTML block that hid the heading from a
    // plain parse; the title is the heading the page shows.
    let text = "<Beschrijf de aanleiding>\n# Aanleiding <NAAM GROEP>\n\nTekst.\n";
    assert_eq!(first_heading(text).as_deref(), Some("Aanleiding <NAAM GROEP>"));
    let r = titled(text);
    assert_eq!(r.html, "<p>Tekst.</p>\n", "guidance left out, the heading is the title");
    assert_eq!(r.title_id.as_deref(), Some("aanleiding-de-haven-co"));
    let mut page = Page::new();
    (page.mode, page.title) = (Mode::Preview, PageTitle::FirstHeading);
    let r = page.render(text);
    assert!(r.html.contains("pb-guidance") && r.html.contains("<h1 id="), "{}", r.html);
    assert_eq!(r.title_id, None, "after the guidance note the heading is no longer the page's top");
}

#[test]
fn reference_links_joined_by_of_are_links() {
    let r = Page::new().render("Zie [eerste] of [tweede], [1] or [2].\n\n[eerste]: ../01-b.md\n[tweede]: c.md\n[1]: https://example.nl/1\n[2]: https://example.nl/2\n");
    assert_eq!(
        r.html,
        "<p>Zie <a href=\"../01-b.html\">eerste</a> of <a href=\"c.html\">tweede</a>, \
         <a href=\"https://example.nl/1\" rel=\"noreferrer noopener\">1</a> or \
         <a href=\"https://example.nl/2\" rel=\"noreferrer noopener\">2</a>.</p>\n"
    );
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    // One defined label is enough: its brackets are a link, and no choice is left.
    let r = Page::new().render("[midden] of [Hoog  risico]\n\n[hoog risico]: c.md\n");
    assert_eq!(r.html, "<p>[midden] of <a href=\"c.html\">Hoog  risico</a></p>\n");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    // Without definitions it is a choice, as before.
    assert_eq!(found(&Page::new().render("[midden] of [hoog]\n\n[laag]: c.md\n")), [("undecided-choice", 5, 1)]);
}

#[test]
fn blanks_in_titles_and_alt_texts_are_filled_never_markers() {
    let r = Page::new().render(
        "[b](../01-b.md \"Over <NAAM GROEP>\") ![kaart <NAAM GROEP>](../img/kaart.png \"<AANTAL> wijken\")\n\n\
         [r]\n\n[r]: c.md \"Ref <NAAM GROEP> <Beschrijf dit>\"\n",
    );
    assert!(r.html.contains("title=\"Over De &lt;Haven&gt; &amp; co\""), "{}", r.html);
    assert!(r.html.contains("alt=\"kaart De &lt;Haven&gt; &amp; co\""), "{}", r.html);
    assert!(r.html.contains("title=\"AANTAL wijken\""), "{}", r.html);
    assert!(r.html.contains("title=\"Ref De &lt;Haven&gt; &amp; co \""), "{}", r.html);
    assert_eq!(found(&r), [("unfilled-placeholder", 5, 77), ("guidance-left", 9, 29)]);
    // Heading attributes: classes are restored as written, values filled.
    let r = Page::new().render("# Kop {.<KLASSE> lang=<NAAM GROEP>}\n");
    assert!(!r.html.contains(['\u{E000}', '\u{E001}']), "{}", r.html);
    assert!(r.html.contains("<KLASSE>") || r.html.contains("&lt;KLASSE&gt;"), "{}", r.html);
}

#[test]
fn html_names_are_case_insensitive() {
    let r = Page::new().render("<Details open>\n<Summary>Meer</Summary>\n\nInhoud\n</Details>\n");
    assert!(r.html.contains("<details open=\"\">") || r.html.contains("<details open>"), "{}", r.html);
    assert!(r.html.contains("<summary>Meer</summary>") && r.html.contains("Inhoud"), "{}", r.html);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    // The template's sentences and placeholders stay blanks, whatever their first word.
    let r = Page::new()
        .render("<Details van de groep>\n\n<DATA VAN DE EVALUATIE> en <ABBR TITLE=\"Zorg Snel Maatwerk\">ZSM</ABBR>\n");
    assert_eq!(found(&r), [("guidance-left", 5, 1), ("unfilled-placeholder", 7, 1)]);
    assert!(
        r.html.contains(">DATA VAN DE EVALUATIE</mark>")
            && r.html.contains("<abbr title=\"Zorg Snel Maatwerk\">ZSM</abbr>"),
        "{}",
        r.html
    );
}

/// A small deterministic generator (xorshift), so the property test needs no crate and
/// every failure can be replayed from its case number.
struct Rng(u64);

impl Rng {
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        from[(self.0 % from.len() as u64) as usize]
    }
}

/// Places in Markdown where a blank can stand; `@` is the blank.
const CONTEXTS: &[&str] = &[
    "@",
    "# Kop @\n",
    "# Kop {#k .c title=@}\n",
    "@\n===\n",
    "[tekst @](../01-b.md \"@\")",
    "[tekst](nergens.md \"@\")",
    "[tekst](<@>)",
    "![alt @](../img/kaart.png \"@\")",
    "![alt @](weg.png \"@\")",
    "[x]\n\n[x]: ../01-b.md \"@\"\n",
    "[@]\n\n[@]: c.md\n",
    "`@`",
    "```@\ncode @\n```\n",
    "    code @\n",
    "<div title=\"@\">\n@\n</div>\n",
    "<span title=\"@\">@</span>",
    "<!-- @ -->",
    "| @ | b |\n|---|---|\n| @ | c |\n",
    "- [ ] @\n",
    "Tekst[^1].\n\n[^1]: @\n",
    "[^@]\n\n[^@]: noot\n",
    "> @\n",
    "*@* ~~@~~ **@**",
    "<https://x.nl/@>",
];

/// Blanks of every kind, and lookalikes.
const BLANKS: &[&str] = &[
    "<NAAM GROEP>",
    "<AANTAL>",
    "<invoegen>",
    "<Beschrijf iets>",
    "<Details van de groep>",
    "<Details open>",
    "[a] of [b]",
    "[x] of [y]",
    "<br>",
    "< a >",
    "\\<NAAM>",
];

#[test]
fn no_marker_ever_reaches_the_output() {
    let check = |case: &str, page: &Page| {
        let r = page.render(case);
        let mut seen = vec![r.html.clone(), r.title_id.clone().unwrap_or_default()];
        seen.extend(r.headings.iter().flat_map(|h| [h.id.clone(), h.text.clone()]));
        seen.extend(r.anchors.iter().map(|a| a.fragment.clone()));
        seen.extend(r.assets.iter().cloned());
        seen.extend(
            r.diagnostics
                .iter()
                .flat_map(|d| [d.message.to_string(), d.help.as_deref().unwrap_or_default().to_string()]),
        );
        let leaked = seen.iter().find(|s| s.contains(['\u{E000}', '\u{E001}']));
        assert!(
            leaked.is_none(),
            "marker leaked for {case:?} ({:?}, raw {}): {leaked:?}",
            page.mode,
            page.allow_raw_html
        );
    };
    let mut pages = Vec::new();
    for mode in [Mode::Publish, Mode::Preview] {
        for (allow_raw_html, title) in [(false, PageTitle::Set("Kop <NAAM GROEP>")), (true, PageTitle::FirstHeading)] {
            let mut page = Page::new();
            (page.mode, page.allow_raw_html, page.title) = (mode, allow_raw_html, title);
            pages.push(page);
        }
    }
    // Every blank in every place …
    for context in CONTEXTS {
        for blank in BLANKS {
            let case = context.replace('@', blank);
            pages.iter().for_each(|p| check(&case, p));
        }
    }
    // … and random documents of several places, blanks and line breaks.
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..400 {
        let mut case = String::new();
        for _ in 0..4 {
            case.push_str(&rng.pick(CONTEXTS).replace('@', rng.pick(BLANKS)));
            case.push_str(rng.pick(&["\n\n", "\n", " ", ""]));
        }
        pages.iter().for_each(|p| check(&case, p));
    }
    assert!(html("&#xE000;0&#xE001;").contains('\u{E000}'), "a reference the editor wrote is theirs to keep");
}
