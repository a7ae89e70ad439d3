//! Links inside a section's text: footnote back-links whose visible words are their name and
//! that are underlined, and "(actie A5)" leading to the row of action A5.

use crate::common::Repo;

fn repo() -> Repo {
    let repo = Repo { dir: tempfile::tempdir().expect("tempdir") };
    repo.write("planboek.toml", "title = \"Testboek\"\nlanguage = \"nl\"\n");
    repo.write("content/p/_index.md", "+++\ntitle = \"Plan P\"\npartners = [\"politie\"]\n+++\n\nInleiding.\n");
    repo.write(
        "content/p/01-aanleiding.md",
        "+++\ntitle = \"Aanleiding\"\n+++\n\nDe wijk[^1] vraagt om toezicht (actie A5) en om zorg (Actie Z1). \
         Actie A99 bestaat niet, [een link met actie A5](02-acties.md) blijft één link, transactie A5 is geen actie.\n\n\
         ## Actie A5 in een kop\n\n[^1]: Volgens de wijkagent.\n",
    );
    let action = |id: &str, what: &str| format!("[[actions]]\nid = \"{id}\"\nwhat = \"{what}\"\nwho = \"politie\"\n");
    repo.write(
        "content/p/02-acties.md",
        format!("+++\ntitle = \"Acties\"\n{}{}+++\n\nDe acties.\n", action("A5", "Toezicht"), action("A6", "Gesprek")),
    );
    repo.write(
        "content/p/03-zorg.md",
        format!(
            "+++\ntitle = \"Zorg\"\nclassification = \"vertrouwelijk\"\n{}+++\n\nZorg.\n",
            action("Z1", "Zorgoverleg")
        ),
    );
    repo
}

#[test]
fn footnote_back_links_say_what_they_are_and_are_underlined() {
    let repo = repo();
    repo.run(&["build"]).assert_code(0);
    let page = repo.read_site("p/01-aanleiding.html");
    let back = page.split_once("class=\"footnote-backref\"").expect("back-link").1;
    let link = back.split_once("</a>").expect("end").0;
    assert_eq!(link, ">↩ Terug naar de tekst", "visible text is the whole name: {link}");
    assert!(!page.contains("footnote-backref\" aria-label"), "no name that differs from the text");
    let css = repo.read_site("_static/planboek.css");
    let rule = css.split_once(".footnote-backref {").expect("rule").1.split_once('}').expect("end").0;
    assert!(rule.contains("text-decoration: underline"), "told apart from text without colour: {rule}");
}

#[test]
fn action_references_link_to_their_row() {
    let repo = repo();
    repo.run(&["build"]).assert_code(0);
    let acties = repo.read_site("p/02-acties.html");
    assert!(acties.contains("<tr id=\"pb-action-a5\""), "every action row has an id");
    let page = repo.read_site("p/01-aanleiding.html");
    assert!(page.contains("(<a href=\"02-acties.html#pb-action-a5\" class=\"pb-action-ref\">actie A5</a>)"), "{page}");
    assert_eq!(page.matches("pb-action-ref").count(), 1, "only the known, published action in text:\n{page}");
    assert!(page.contains("Actie A99 bestaat niet"), "an unknown id stays text");
    assert!(page.contains("transactie A5"), "only the word actie");
    // An action of a section the audience may not read is not linked, nor its page named.
    assert!(page.contains("(Actie Z1)") && !page.contains("03-zorg"), "{page}");
    repo.run(&["build", "--audience", "vertrouwelijk"]).assert_code(0);
    let page = repo.read_site("p/01-aanleiding.html");
    assert!(page.contains("<a href=\"03-zorg.html#pb-action-z1\" class=\"pb-action-ref\">Actie Z1</a>"), "{page}");
}
