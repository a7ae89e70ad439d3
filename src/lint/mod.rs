//! The lints that need more than one page: what each rendered page tells them (`facts`) and
//! the site-wide rules (`rules`). Every command reports their findings the same way.

mod facts;
mod rules;

pub use facts::PageFacts;
pub use rules::{run, Input};
