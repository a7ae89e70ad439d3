//! The exports of a build, written to `<out>/exports/`: the actions as CSV for a
//! spreadsheet, the deadlines as an iCalendar file for a calendar, and the plans as JSON.
//! Each holds only the audience-filtered model; `docs/exports.md` describes them.

mod csv;
mod ics;
mod json;

pub use csv::actions_csv;
pub use ics::deadlines_ics;
pub use json::{plans_json, JsonInput};

/// The folder of the exports, relative to the output root.
pub const EXPORTS_DIR: &str = "exports";
pub const ACTIONS_CSV: &str = "exports/actions.csv";
pub const DEADLINES_ICS: &str = "exports/deadlines.ics";
pub const PLANS_JSON: &str = "exports/plans.json";
