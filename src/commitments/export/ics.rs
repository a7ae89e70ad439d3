//! `deadlines.ics`: an RFC 5545 calendar with an all-day event for every dated action and
//! for each plan's evaluation and end. Lines end in CRLF and are folded at 75 octets, text is
//! escaped, and every event's UID is derived from its plan, kind and action id, so a
//! subscribed calendar updates an event instead of adding it again.

use crate::commitments::{partner_label, Entry};
use crate::config::Config;
use crate::date::Date;
use crate::i18n::strings;
use crate::model::{ActionStatus, Plan, Site};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write;

/// The calendar of `site`'s deadlines: `entries` are its actions.
pub fn deadlines_ics(site: &Site, entries: &[Entry], config: &Config, today: Date) -> Vec<u8> {
    let mut cal = Calendar {
        out: String::with_capacity(entries.len() * 600),
        uids: HashSet::new(),
        stamp: stamp(today),
        scratch: String::new(),
    };
    let t = strings(config.language);
    cal.line("BEGIN:VCALENDAR");
    cal.line("VERSION:2.0");
    cal.line(&format!(
        "PRODID:-//planboek//planboek {}//{}",
        env!("CARGO_PKG_VERSION"),
        config.language.code().to_uppercase()
    ));
    cal.line("CALSCALE:GREGORIAN");
    cal.line("METHOD:PUBLISH");
    cal.line(&format!("X-WR-CALNAME:{}", text(&format!("{} – {}", config.title, t.get("deadlines")))));
    let mut texts = (String::new(), String::new());
    for e in entries {
        action_event(&mut cal, e, config, &mut texts);
    }
    for plan in &site.plans {
        for (date, kind) in [(plan.meta.evaluation, "evaluation"), (plan.meta.end, "end")] {
            let Some(date) = date else { continue };
            let summary = format!("{}: {}", short(plan), t.get(kind));
            let description = format!("{}: {}\n{}: {}/index.html", t.get("plan"), plan.title, t.get("page"), plan.slug);
            cal.event(&plan.slug, kind, "", date, &summary, &description);
        }
    }
    cal.line("END:VCALENDAR");
    cal.out.into_bytes()
}

/// The event of action `e` on its due date, if it has one; `texts` are buffers for its
/// summary and description, kept from event to event.
fn action_event(cal: &mut Calendar, e: &Entry, config: &Config, texts: &mut (String, String)) {
    let (a, plan, t) = (e.action, e.plan, strings(config.language));
    let Some(due) = a.due else { return };
    let who = a.who.as_deref().map(|w| partner_label(config, w));
    let (summary, description) = (&mut texts.0, &mut texts.1);
    summary.clear();
    description.clear();
    // Writing into a String cannot fail.
    if a.status == ActionStatus::Gereed {
        let _ = write!(summary, "[{}] ", t.action_status(a.status));
    }
    let _ = write!(summary, "{}: {}", short(plan), a.id.as_deref().unwrap_or(&a.what));
    if a.id.is_some() {
        let _ = write!(summary, " {}", a.what);
    }
    if let Some(who) = who {
        let _ = write!(summary, " ({who})");
    }
    let id = a.id.as_deref().map(|i| format!("{i} ")).unwrap_or_default();
    let _ = write!(
        description,
        "{}: {}\n{}: {}\n{}: {id}{}\n{}: {}\n{}: {}\n{}: {}#{}",
        t.get("plan"),
        plan.title,
        t.get("section"),
        e.section.title,
        t.get("action_what"),
        a.what,
        t.get("action_who"),
        who.unwrap_or(t.get("not_set")),
        t.get("status"),
        t.action_status(a.status),
        t.get("page"),
        e.page,
        e.anchor,
    );
    let key = match &a.id {
        Some(id) => Cow::Borrowed(id.as_str()),
        None => Cow::Owned(format!("{}\u{0}{}", e.section.rel, a.what)),
    };
    cal.event(&plan.slug, "action", &key, due, summary, description);
}

/// A plan as an event names it: its group, else its title.
fn short(plan: &Plan) -> &str {
    plan.meta.group.as_deref().filter(|g| !g.trim().is_empty()).unwrap_or(&plan.title)
}

/// `DTSTAMP`: the reference date at midnight UTC, so that the same input gives the same file.
fn stamp(today: Date) -> String {
    format!("{}T000000Z", compact(today))
}

/// `20260301`.
fn compact(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year, d.month, d.day)
}

struct Calendar {
    out: String,
    uids: HashSet<String>,
    stamp: String,
    /// A TEXT value being escaped, kept from line to line.
    scratch: String,
}

impl Calendar {
    /// An all-day event on `date`; its UID is a digest of plan, kind and key (unique in the file).
    fn event(&mut self, plan: &str, kind: &str, key: &str, date: Date, summary: &str, description: &str) {
        let digest = blake3::hash(format!("planboek\0{plan}\0{kind}\0{key}").as_bytes()).to_hex();
        let mut uid = format!("{kind}-{}@planboek", &digest[..32]);
        let mut n = 1;
        while !self.uids.insert(uid.clone()) {
            n += 1;
            uid = format!("{kind}-{}-{n}@planboek", &digest[..32]);
        }
        self.line("BEGIN:VEVENT");
        field(&mut self.out, "UID:", &uid);
        field(&mut self.out, "DTSTAMP:", &self.stamp);
        self.field("DTSTART;VALUE=DATE:", &compact(date));
        self.field("DTEND;VALUE=DATE:", &compact(date.add_days(1)));
        self.text_field("SUMMARY:", summary);
        self.text_field("DESCRIPTION:", description);
        self.line("TRANSP:TRANSPARENT");
        self.line("END:VEVENT");
    }

    /// A content line of a name (with its `:`) and a value.
    fn field(&mut self, name: &str, value: &str) {
        field(&mut self.out, name, value);
    }

    /// A content line of a name and a TEXT value, escaped (`text`) through a buffer kept
    /// from line to line.
    fn text_field(&mut self, name: &str, value: &str) {
        let mut escaped = std::mem::take(&mut self.scratch);
        escaped.clear();
        text_into(value, &mut escaped);
        self.field(name, &escaped);
        self.scratch = escaped;
    }

    /// One content line, folded so that no line is longer than 75 octets (a fold never splits
    /// a character), ended with CRLF.
    fn line(&mut self, line: &str) {
        fold(&mut self.out, line, 0);
        self.out.push_str("\r\n");
    }
}

/// A content line of a name (with its `:`) and a value, onto `out`.
fn field(out: &mut String, name: &str, value: &str) {
    let width = fold(out, name, 0);
    fold(out, value, width);
    out.push_str("\r\n");
}

/// Appends `s` to a line of `out` `width` octets long so far, folding it at 75 octets (a
/// fold never splits a character); the width after it.
fn fold(out: &mut String, s: &str, mut width: usize) -> usize {
    if width + s.len() <= 75 {
        out.push_str(s);
        return width + s.len();
    }
    for c in s.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    width
}

/// A TEXT value: backslash, semicolon and comma escaped, line breaks as `\n`, other control
/// characters dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    text_into(s, &mut out);
    out
}

/// Appends `s` as a TEXT value (`text`) to `out`.
fn text_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_without_splitting_characters() {
        let mut cal =
            Calendar { out: String::new(), uids: HashSet::new(), stamp: String::new(), scratch: String::new() };
        cal.line(&format!("SUMMARY:{}", "é".repeat(60)));
        for line in cal.out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = cal.out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a,b;c\\d\ne\r\u{7}"), "a\\,b\\;c\\\\d\\ne");
    }
}
