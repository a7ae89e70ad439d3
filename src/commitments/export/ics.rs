//! `deadlines.ics`: an RFC 5545 calendar with an all-day event for every dated action and
//! for each plan's evaluation and end. Lines end in CRLF and are folded at 75 octets, text is
//! escaped, and every event's UID is derived from its plan, kind and action id, so a
//! subscribed calendar updates an event instead of adding it again.

use crate::commitments::{partner_label, Entry};
use crate::config::Config;
use crate::date::Date;
use crate::i18n::strings;
use crate::model::{ActionStatus, Plan, Site};
use std::collections::HashSet;

/// The calendar of `site`'s deadlines: `entries` are its actions.
pub fn deadlines_ics(site: &Site, entries: &[Entry], config: &Config, today: Date) -> Vec<u8> {
    let mut cal = Calendar { out: String::new(), uids: HashSet::new(), stamp: stamp(today) };
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
    for e in entries {
        let (a, plan) = (e.action, e.plan);
        let Some(due) = a.due else { continue };
        let name = a.id.as_deref().unwrap_or(&a.what);
        let who = a.who.as_deref().map(|w| partner_label(config, w));
        let mut summary = format!("{}: {name}", short(plan));
        if a.id.is_some() {
            summary.push_str(&format!(" {}", a.what));
        }
        if let Some(who) = who {
            summary.push_str(&format!(" ({who})"));
        }
        if a.status == ActionStatus::Gereed {
            summary = format!("[{}] {summary}", t.action_status(a.status));
        }
        let description = [
            format!("{}: {}", t.get("plan"), plan.title),
            format!("{}: {}", t.get("section"), e.section.title),
            format!(
                "{}: {}{}",
                t.get("action_what"),
                a.id.as_deref().map(|i| format!("{i} ")).unwrap_or_default(),
                a.what
            ),
            format!("{}: {}", t.get("action_who"), who.unwrap_or(t.get("not_set"))),
            format!("{}: {}", t.get("status"), t.action_status(a.status)),
            format!("{}: {}", t.get("page"), e.href()),
        ]
        .join("\n");
        let key = match &a.id {
            Some(id) => id.clone(),
            None => format!("{}\u{0}{}", e.section.rel, a.what),
        };
        cal.event(&plan.slug, "action", &key, due, &summary, &description);
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
        self.line(&format!("UID:{uid}"));
        self.line(&format!("DTSTAMP:{}", self.stamp));
        self.line(&format!("DTSTART;VALUE=DATE:{}", compact(date)));
        self.line(&format!("DTEND;VALUE=DATE:{}", compact(date.add_days(1))));
        self.line(&format!("SUMMARY:{}", text(summary)));
        self.line(&format!("DESCRIPTION:{}", text(description)));
        self.line("TRANSP:TRANSPARENT");
        self.line("END:VEVENT");
    }

    /// One content line, folded so that no line is longer than 75 octets (a fold never splits
    /// a character), ended with CRLF.
    fn line(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            if width + c.len_utf8() > 75 {
                self.out.push_str("\r\n ");
                width = 1;
            }
            self.out.push(c);
            width += c.len_utf8();
        }
        self.out.push_str("\r\n");
    }
}

/// A TEXT value: backslash, semicolon and comma escaped, line breaks as `\n`, other control
/// characters dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_without_splitting_characters() {
        let mut cal = Calendar { out: String::new(), uids: HashSet::new(), stamp: String::new() };
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
