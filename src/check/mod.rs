//! Diagnostics (errors, warnings and notes with a file location) and the lints that make them.

mod diagnostic;

pub use diagnostic::{Diagnostic, Diagnostics, Lint, Severity};
pub mod lints;
