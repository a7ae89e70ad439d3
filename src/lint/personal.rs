//! The personal-data guard where the build's audience and each section's classification are
//! both known: personal data in front matter that pages show (titles, actions), and the
//! weight of every finding: a warning, an error in an `openbaar` build.

use crate::diag::{lints, Diagnostic, Severity};
use crate::markdown::{fill_placeholders, personal_lint};
use crate::model::{Classification, Plan, Section, Site, Source};
use crate::privacy::{self, Allow, Context};

/// In an `openbaar` build every personal-data finding still reported after `[check] levels`
/// is an error: a section visible to the public must not hold it, and only `allow` (in
/// `[check] levels`, `[privacy] allow` or the comment) lets such a build pass.
pub fn weigh(diagnostics: &mut [Diagnostic], audience: Classification) {
    if audience != Classification::Openbaar {
        return;
    }
    for d in diagnostics.iter_mut().filter(|d| lints::PERSONAL_DATA.iter().any(|l| d.is(*l))) {
        d.severity = Severity::Error;
    }
}

/// Personal data in the front matter of every page below `vertrouwelijk` that the page
/// shows: a plan's or section's `title` and each action's `what` and `who`.
pub fn front_matter(site: &Site, allow: &Allow, out: &mut Vec<Diagnostic>) {
    for plan in &site.plans {
        let fill = |name: &str| plan.placeholder(name).map(str::to_string);
        let class = plan.classification_at(&[]);
        if class < Classification::Vertrouwelijk {
            if let Some(title) = &plan.meta.title {
                check(title, &fill, &plan.source, &|| "title".into(), class, allow, out);
            }
        }
        let mut path = Vec::new();
        sections(plan, &plan.sections, &mut path, allow, out);
    }
}

fn sections(plan: &Plan, list: &[Section], path: &mut Vec<usize>, allow: &Allow, out: &mut Vec<Diagnostic>) {
    let fill = |name: &str| plan.placeholder(name).map(str::to_string);
    for (i, s) in list.iter().enumerate() {
        path.push(i);
        let class = plan.classification_at(path);
        if let (Some(src), true) = (&s.source, class < Classification::Vertrouwelijk) {
            if let Some(title) = &s.meta.title {
                check(title, &fill, src, &|| "title".into(), class, allow, out);
            }
            for (k, a) in s.meta.actions.iter().enumerate() {
                check(&a.what, &fill, src, &|| format!("actions.{k}.what"), class, allow, out);
                if let Some(who) = &a.who {
                    check(who, &fill, src, &|| format!("actions.{k}.who"), class, allow, out);
                }
            }
        }
        sections(plan, &s.children, path, allow, out);
        path.pop();
    }
}

/// The findings in the value of front-matter key `key()` of `src`, its placeholders filled
/// by `fill` (as pages show a title).
fn check(
    value: &str,
    fill: &dyn Fn(&str) -> Option<String>,
    src: &Source,
    key: &dyn Fn() -> String,
    class: Classification,
    allow: &Allow,
    out: &mut Vec<Diagnostic>,
) {
    if !privacy::worth_scanning(value) && !value.contains('<') {
        return;
    }
    let text = fill_placeholders(value, fill);
    for f in privacy::scan(&text, &Context::default()) {
        if allow.allows(&f.key) {
            continue;
        }
        let key = key();
        let line = src.key_lines.get(&key).copied().unwrap_or(1);
        let masked = f.kind.mask(text.get(f.range.clone()).unwrap_or_default());
        let message = format!("{} (front matter `{key}`)", f.kind.message(&masked, class.as_str()));
        out.push(Diagnostic::new(personal_lint(f.kind), &src.path, line, 1, message).with_help(f.kind.help(false)));
    }
}
