//! The rows of the action tables (the registers, the print edition), written in code: the
//! thousands of rows of the site's register went through Tera one `include` and one context
//! lookup per cell. A theme that overrides a row template gets its rows from Tera instead
//! (`action_rows.html`), so overriding one file still works.

use super::theme::Theme;
use super::views::{ActionView, EntryView};
use crate::diag::Diagnostic;
use crate::i18n::Strings;
use crate::util::html::escape_into;
use serde::Serialize;

/// The templates whose output the code here writes; a theme that overrides any of them gets
/// them rendered.
const ROW_TEMPLATES: [&str; 6] = [
    "action_rows.html",
    "action_head.html",
    "action_row.html",
    "action_who.html",
    "action_due.html",
    "action_status.html",
];

/// Which columns and attributes a table has (the flags of `action_row.html`).
#[derive(Clone, Copy, Serialize)]
pub(super) struct Columns {
    /// A first column naming the action's plan.
    pub with_plan: bool,
    pub with_who: bool,
    /// A last column linking to the action's section.
    pub with_section: bool,
    /// Each row's id is the action's anchor.
    pub row_ids: bool,
    /// `data-who`, `data-status` and `data-deadline` for the register's filters.
    pub filterable: bool,
}

/// The actions of a table: bare (a section's) or with their plan and section (a register's).
pub(super) enum Rows<'r, 'a> {
    Actions(&'r [ActionView<'a>]),
    Entries(&'r [EntryView<'a>]),
}

/// What `action_rows.html` is given.
#[derive(Serialize)]
struct RowsContext<'r, 'a> {
    #[serde(flatten)]
    columns: Columns,
    /// Render the header row rather than the rows.
    head: bool,
    rows: Vec<Row<'r, 'a>>,
    /// Put before each row, after a line break.
    indent: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    t: Option<&'r serde_json::Value>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Row<'r, 'a> {
    Action(&'r ActionView<'a>),
    Entry(&'r EntryView<'a>),
}

/// An action table's header row (`action_head.html`).
pub(super) fn head_html(theme: &Theme, t: &Strings, columns: Columns) -> Result<String, Diagnostic> {
    if !theme.keeps_builtin(&ROW_TEMPLATES) {
        return rendered(theme, t, columns, true, Vec::new(), "");
    }
    let mut out = String::with_capacity(256);
    out.push_str("<tr>");
    let mut th = |key: &'static str| {
        out.push_str("<th scope=\"col\">");
        escape_into(t.get(key), &mut out);
        out.push_str("</th>");
    };
    if columns.with_plan {
        th("plan");
    }
    th("action_id");
    th("action_what");
    if columns.with_who {
        th("action_who");
    }
    th("action_due");
    th("status");
    if columns.with_section {
        th("section");
    }
    out.push_str("</tr>\n");
    Ok(out)
}

/// The rows of `rows` (`action_row.html` each), each after a line break and `indent`.
pub(super) fn rows_html(
    theme: &Theme,
    t: &Strings,
    rows: Rows,
    columns: Columns,
    indent: &str,
) -> Result<String, Diagnostic> {
    if !theme.keeps_builtin(&ROW_TEMPLATES) {
        let rows = match rows {
            Rows::Actions(r) => r.iter().map(Row::Action).collect(),
            Rows::Entries(r) => r.iter().map(Row::Entry).collect(),
        };
        return rendered(theme, t, columns, false, rows, indent);
    }
    let labels = Labels::new(t);
    let mut out = String::new();
    match rows {
        Rows::Actions(r) => {
            out.reserve(r.len() * 600);
            for a in r {
                push_row(&mut out, indent, a, None, columns, &labels);
            }
        }
        Rows::Entries(r) => {
            out.reserve(r.len() * 800);
            for e in r {
                push_row(&mut out, indent, &e.action, Some(e), columns, &labels);
            }
        }
    }
    Ok(out)
}

/// The rows or the header row through the theme's templates.
fn rendered(
    theme: &Theme,
    t: &Strings,
    columns: Columns,
    head: bool,
    rows: Vec<Row>,
    indent: &str,
) -> Result<String, Diagnostic> {
    let cx = RowsContext { columns, head, rows, indent, t: theme.uses_strings().then(|| t.value()) };
    theme.render("action_rows.html", &super::context::context(&cx)?)
}

/// The cells' labels (`data-label`) and the mark of an empty cell, escaped once per table.
struct Labels {
    plan: String,
    id: String,
    what: String,
    who: String,
    due: String,
    status: String,
    section: String,
    not_set: String,
}

impl Labels {
    fn new(t: &Strings) -> Labels {
        let e = |key| crate::util::html::escape_html(t.get(key));
        Labels {
            plan: e("plan"),
            id: e("action_id"),
            what: e("action_what"),
            who: e("action_who"),
            due: e("action_due"),
            status: e("status"),
            section: e("section"),
            not_set: super::views::not_set_html(t),
        }
    }
}

/// Appends one row, as `action_row.html` writes it.
fn push_row(out: &mut String, indent: &str, a: &ActionView, e: Option<&EntryView>, c: Columns, l: &Labels) {
    out.push('\n');
    out.push_str(indent);
    push_tr(out, a, c);
    if let (true, Some(e)) = (c.with_plan, e) {
        link_cell(out, &l.plan, &e.plan_href, e.plan_title);
    }
    out.push('\n');
    cell_open(out, &l.id, Some("pb-nowrap"));
    escape_into(a.id.unwrap_or_default(), out);
    out.push_str("</td>\n");
    cell_open(out, &l.what, None);
    escape_into(a.what, out);
    out.push_str("</td>");
    if c.with_who {
        cell_open(out, &l.who, None);
        match a.who_label.filter(|w| !w.is_empty()) {
            Some(w) => escape_into(w, out),
            None => out.push_str(&l.not_set),
        }
        out.push_str("</td>");
    }
    out.push('\n');
    cell_open(out, &l.due, None);
    push_due(out, a, &l.not_set);
    out.push_str("</td>\n");
    cell_open(out, &l.status, None);
    out.push_str("<span class=\"pb-badge pb-badge--action-");
    escape_into(a.status, out);
    out.push_str("\">");
    escape_into(a.status_label, out);
    out.push_str("</span></td>");
    if let (true, Some(e)) = (c.with_section, e) {
        link_cell(out, &l.section, &e.href, e.section_title);
    }
    out.push_str("</tr>\n");
}

/// A row's opening tag: its id, its deadline's class and the filters' attributes.
fn push_tr(out: &mut String, a: &ActionView, c: Columns) {
    let attr = |name: &str, value: &str, out: &mut String| {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_into(value, out);
        out.push('"');
    };
    out.push_str("<tr");
    if c.row_ids {
        attr("id", &a.anchor, out);
    }
    out.push_str(" class=\"pb-action pb-action--");
    escape_into(a.deadline, out);
    out.push('"');
    if c.filterable {
        attr("data-who", a.who.unwrap_or_default(), out);
        attr("data-status", a.status, out);
        attr("data-deadline", a.deadline, out);
    }
    out.push('>');
}

/// A cell holding `<a href="…">…</a>`, both escaped.
fn link_cell(out: &mut String, label: &str, href: &str, text: &str) {
    cell_open(out, label, None);
    out.push_str("<a href=\"");
    escape_into(href, out);
    out.push_str("\">");
    escape_into(text, out);
    out.push_str("</a></td>");
}

/// `<td data-label="…">`, with a class if given.
fn cell_open(out: &mut String, label: &str, class: Option<&str>) {
    out.push_str("<td");
    if let Some(class) = class {
        out.push_str(" class=\"");
        out.push_str(class);
        out.push('"');
    }
    out.push_str(" data-label=\"");
    out.push_str(label);
    out.push_str("\">");
}

/// The due date and the words that mark it overdue or due soon (`action_due.html`);
/// `not_set` is the mark of an action without one.
pub(super) fn push_due(out: &mut String, a: &ActionView, not_set: &str) {
    match &a.due {
        Some(d) => d.push_html(out),
        None => out.push_str(not_set),
    }
    if let Some(label) = a.deadline_label.filter(|s| !s.is_empty()) {
        out.push_str(" <strong class=\"pb-badge pb-badge--deadline-");
        escape_into(a.deadline, out);
        out.push_str("\">");
        escape_into(label, out);
        out.push_str("</strong>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Language};
    use crate::i18n::strings;
    use crate::render::views::DateView;
    use std::path::Path;

    fn action<'a>(id: Option<&'a str>, who: Option<&'a str>, due: bool, label: Option<&'static str>) -> ActionView<'a> {
        ActionView {
            id,
            what: "Gebiedsverbod <b>\"voor\"</b> & 'na'",
            who: who.map(|_| "politie&co"),
            who_label: who,
            due: due.then(|| DateView { iso: "2026-04-15".into(), text: "15 april 2026".into() }),
            status: "open",
            status_label: "Open",
            deadline: if label.is_some() { "overdue" } else { "later" },
            deadline_label: label,
            anchor: "pb-actie-a1".into(),
        }
    }

    fn entry<'a>(a: ActionView<'a>) -> EntryView<'a> {
        EntryView {
            action: a,
            href: "alpha/01-a.html#pb-actie-a1".into(),
            section_title: "Aanleiding & <doel>",
            plan_title: "Plan \"De Haven\"",
            plan_href: "alpha/index.html".into(),
        }
    }

    /// The rows and heads written here are those the built-in templates render, for every
    /// combination of columns and of missing values.
    #[test]
    fn rows_are_those_of_the_templates() {
        for language in [Language::Nl, Language::En] {
            let config = Config { language, ..Default::default() };
            let theme = Theme::load(Path::new("/nonexistent"), &config).expect("built-in theme");
            let t = strings(language);
            let actions = vec![
                action(Some("A1"), Some("Politie <Noord>"), true, Some("Te laat")),
                action(None, None, false, None),
                action(Some(""), Some(""), true, Some("")),
            ];
            let entries: Vec<EntryView> =
                [action(Some("A1"), Some("Politie"), true, Some("Binnenkort")), action(None, None, false, None)]
                    .into_iter()
                    .map(entry)
                    .collect();
            for bits in 0..32u8 {
                let c = Columns {
                    with_plan: bits & 1 != 0,
                    with_who: bits & 2 != 0,
                    with_section: bits & 4 != 0,
                    row_ids: bits & 8 != 0,
                    filterable: bits & 16 != 0,
                };
                let head = rendered(&theme, t, c, true, Vec::new(), "").expect("head");
                assert_eq!(head_html(&theme, t, c).expect("head"), head);
                // A bare action has no plan or section to name.
                if !c.with_plan && !c.with_section {
                    let want =
                        rendered(&theme, t, c, false, actions.iter().map(Row::Action).collect(), "  ").expect("rows");
                    assert_eq!(rows_html(&theme, t, Rows::Actions(&actions), c, "  ").expect("rows"), want);
                }
                let want = rendered(&theme, t, c, false, entries.iter().map(Row::Entry).collect(), "\t").expect("rows");
                assert_eq!(rows_html(&theme, t, Rows::Entries(&entries), c, "\t").expect("rows"), want);
            }
        }
    }
}
