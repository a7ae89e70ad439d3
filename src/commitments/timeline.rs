//! A plan's timeline as an inline SVG, drawn at build time: the plan's start, evaluation and
//! end, every dated action on a row of its own (overdue ones as a triangle with the word
//! next to it, due-soon ones as a diamond, done ones filled), and the reference date. The
//! shapes and words carry the meaning, so it reads in black and white and prints well; the
//! page lists the same dates as text beside it.

use super::{partner_label, Deadline, Entry};
use crate::config::Config;
use crate::date::Date;
use crate::i18n::{strings, Strings};
use crate::model::Plan;
use crate::util::html::escape_html;
use std::fmt::Write;

const WIDTH: i64 = 760;
/// Where the chart starts: the rows' labels stand left of it.
const LEFT: i64 = 200;
const RIGHT: i64 = WIDTH - 24;
const AXIS: i64 = 34;
const FIRST_ROW: i64 = 76;
const ROW: i64 = 22;

/// The SVG of `plan`'s timeline with `entries` (its actions; undated ones are left out) on
/// `today`, labelled in the handbook's language; its ids start with `id`.
pub fn timeline_svg(plan: &Plan, entries: &[Entry], today: Date, config: &Config, id: &str) -> String {
    let t = strings(config.language);
    let mut dated: Vec<&Entry> = entries.iter().filter(|e| e.action.due.is_some()).collect();
    dated.sort_by_key(|e| e.action.due);
    let m = &plan.meta;
    let milestones = [(m.start, "start"), (m.evaluation, "evaluation"), (m.end, "end")];
    let dates = milestones.iter().filter_map(|(d, _)| *d).chain(dated.iter().filter_map(|e| e.action.due));
    let (lo, hi) = dates.chain([today]).fold((today, today), |(lo, hi), d| (lo.min(d), hi.max(d)));
    let scale = Scale::new(lo.add_days(-10), hi.add_days(10));
    let height = FIRST_ROW + ROW * dated.len() as i64 + 26;
    let mut svg = String::with_capacity(600 + dated.len() * 400);
    let title = format!("{} – {}", t.get("timeline"), plan.title);
    let _ = write!(
        svg,
        "<svg class=\"pb-timeline__svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
         role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-list\" \
         xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">\n<title id=\"{id}-title\">{}</title>\n",
        escape_html(&title)
    );
    months(&mut svg, &scale, t);
    for (date, key) in milestones {
        if let Some(d) = date {
            let x = scale.x(d);
            let _ = writeln!(
                svg,
                "<g class=\"pb-tl-milestone\"><line x1=\"{x}\" y1=\"18\" x2=\"{x}\" y2=\"{}\" \
                 stroke=\"#154273\" stroke-width=\"1.5\"/>{}</g>",
                height - 20,
                text(x, 13, t.get(key), "middle")
            );
        }
    }
    for (i, e) in dated.iter().enumerate() {
        row(&mut svg, &scale, FIRST_ROW + ROW * i as i64, e, config);
    }
    let x = scale.x(today);
    let _ = writeln!(
        svg,
        "<g class=\"pb-tl-today\"><line x1=\"{x}\" y1=\"{AXIS}\" x2=\"{x}\" y2=\"{}\" stroke=\"#8a1c1c\" \
         stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>{}</g>",
        height - 18,
        text(x, height - 5, t.get("reference_date"), "middle")
    );
    svg.push_str("</svg>");
    svg
}

/// Days mapped onto the chart's width.
struct Scale {
    lo: i64,
    span: i64,
}

impl Scale {
    fn new(lo: Date, hi: Date) -> Scale {
        let lo = lo.unix_days();
        Scale { lo, span: (hi.unix_days() - lo).max(1) }
    }

    fn x(&self, d: Date) -> i64 {
        LEFT + (d.unix_days() - self.lo) * (RIGHT - LEFT) / self.span
    }

    fn contains(&self, d: Date) -> bool {
        (self.lo..=self.lo + self.span).contains(&d.unix_days())
    }
}

/// The axis with a tick at the first of each month (every third one on a long plan).
fn months(svg: &mut String, scale: &Scale, t: &Strings) {
    let names: Vec<&str> = t.get("months_short").split(' ').collect();
    let _ = writeln!(
        svg,
        "<g class=\"pb-tl-axis\" stroke=\"#4a4a4a\"><line x1=\"{LEFT}\" y1=\"{AXIS}\" x2=\"{RIGHT}\" y2=\"{AXIS}\"/>"
    );
    let step = if scale.span > 500 { 3 } else { 1 };
    let start = Date::from_unix_days(scale.lo);
    let (mut year, mut month) = (start.year, start.month);
    let mut first = true;
    loop {
        month += 1;
        if month > 12 {
            (year, month) = (year + 1, 1);
        }
        let Some(d) = Date::new(year, month, 1) else { break };
        if !scale.contains(d) {
            break;
        }
        if (month - 1) % step != 0 {
            continue;
        }
        let x = scale.x(d);
        let name = names.get(usize::from(month) - 1).copied().unwrap_or("?");
        let _ = write!(svg, "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>", AXIS - 4, AXIS + 4);
        svg.push_str(&text(x, AXIS + 16, name, "middle"));
        if first || month == 1 {
            svg.push_str(&text(x, AXIS + 29, &year.to_string(), "middle"));
        }
        svg.push('\n');
        first = false;
    }
    svg.push_str("</g>\n");
}

/// One action: its label left of the chart, a dotted guide and its marker at the due date.
fn row(svg: &mut String, scale: &Scale, y: i64, e: &Entry, config: &Config) {
    let Some(due) = e.action.due else { return };
    let t = strings(config.language);
    let x = scale.x(due);
    let name = e.action.id.as_deref().unwrap_or(&e.action.what);
    let who = e.action.who.as_deref().map_or("", |w| partner_label(config, w));
    let label = truncate(&if who.is_empty() { name.to_string() } else { format!("{name} · {who}") }, 26);
    let state = e.deadline.as_str();
    let _ = write!(
        svg,
        "<g class=\"pb-tl-action pb-tl-action--{state}\">{}<line class=\"pb-tl-guide\" x1=\"{LEFT}\" y1=\"{y}\" x2=\"{x}\" \
         y2=\"{y}\" stroke=\"#8c96a3\" stroke-dasharray=\"1 3\"/>",
        text(LEFT - 8, y + 4, &label, "end")
    );
    // Shape and words carry the state; the colours only repeat it.
    let marker = match e.deadline {
        Deadline::Overdue => {
            format!("<path d=\"M{x} {} L{} {} L{} {} Z\" fill=\"#8a1c1c\"/>", y - 8, x + 8, y + 6, x - 8, y + 6)
        }
        Deadline::Soon => format!(
            "<path d=\"M{x} {} L{} {y} L{x} {} L{} {y} Z\" fill=\"#fff4ce\" stroke=\"#5c3c00\" stroke-width=\"1.5\"/>",
            y - 7,
            x + 7,
            y + 7,
            x - 7
        ),
        Deadline::Done => format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"#1e5b2e\"/>"),
        _ => format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"#fff\" stroke=\"#154273\" stroke-width=\"1.5\"/>"),
    };
    svg.push_str(&marker);
    if let Some(key) = e.deadline.label_key() {
        let (tx, anchor) = if x > RIGHT - 90 { (x - 11, "end") } else { (x + 11, "start") };
        let word = text(tx, y + 4, t.get(key), anchor).replacen("<text ", "<text font-weight=\"700\" ", 1);
        svg.push_str(&word);
    }
    svg.push_str("</g>\n");
}

fn text(x: i64, y: i64, s: &str, anchor: &str) -> String {
    format!(
        "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" fill=\"#1a1a1a\" stroke=\"none\">{}</text>",
        escape_html(s)
    )
}

/// At most `n` characters, with `…` when cut.
fn truncate(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
