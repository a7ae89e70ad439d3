//! The one rule for where an action stands against the reference date, shared by the
//! pages, the registers, the exports and `planboek check`.

use crate::date::Date;
use crate::model::{Action, ActionStatus};

/// An open action due within this many days of the reference date is due soon.
pub const SOON_DAYS: i64 = 14;

/// Where an action stands on the reference date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Deadline {
    /// Its status is `gereed`.
    Done,
    /// Not done, and due before the reference date.
    Overdue,
    /// Not done, and due on the reference date or within `SOON_DAYS` after it.
    Soon,
    /// Not done, and due later.
    Later,
    /// Not done, and without a due date.
    Undated,
}

impl Deadline {
    /// Where `action` stands on `today`.
    pub fn of(action: &Action, today: Date) -> Deadline {
        if action.status == ActionStatus::Gereed {
            return Deadline::Done;
        }
        match action.due {
            None => Deadline::Undated,
            Some(due) if due < today => Deadline::Overdue,
            Some(due) if due.unix_days() - today.unix_days() <= SOON_DAYS => Deadline::Soon,
            Some(_) => Deadline::Later,
        }
    }

    /// The name templates, scripts and exports use: `overdue`, `soon`, `later`, `undated`, `done`.
    pub fn as_str(self) -> &'static str {
        match self {
            Deadline::Done => "done",
            Deadline::Overdue => "overdue",
            Deadline::Soon => "soon",
            Deadline::Later => "later",
            Deadline::Undated => "undated",
        }
    }

    /// The UI string key of the words that mark it, for the two states that are marked.
    pub fn label_key(self) -> Option<&'static str> {
        match self {
            Deadline::Overdue => Some("deadline_overdue"),
            Deadline::Soon => Some("deadline_soon"),
            _ => None,
        }
    }

    /// Not `gereed`.
    pub fn is_open(self) -> bool {
        self != Deadline::Done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(due: Option<&str>, status: ActionStatus) -> Action {
        Action { due: due.map(|d| d.parse().expect("date")), status, ..Default::default() }
    }

    #[test]
    fn overdue_means_not_done_and_due_before_the_reference_date() {
        let today: Date = "2026-06-01".parse().expect("date");
        let at = |due: Option<&str>, status| Deadline::of(&action(due, status), today);
        assert_eq!(at(Some("2026-05-31"), ActionStatus::Open), Deadline::Overdue);
        assert_eq!(at(Some("2026-05-31"), ActionStatus::Lopend), Deadline::Overdue);
        assert_eq!(at(Some("2026-05-31"), ActionStatus::Gereed), Deadline::Done);
        assert_eq!(at(Some("2026-06-01"), ActionStatus::Open), Deadline::Soon, "due today is not late");
        assert_eq!(at(Some("2026-06-15"), ActionStatus::Open), Deadline::Soon, "14 days ahead");
        assert_eq!(at(Some("2026-06-16"), ActionStatus::Open), Deadline::Later);
        assert_eq!(at(None, ActionStatus::Open), Deadline::Undated);
        assert!(!Deadline::Done.is_open() && Deadline::Overdue.is_open());
    }
}
