//! The lints that need more than one page: what each rendered page tells them (`facts`) and
//! the site-wide rules (`rules`), and the weight of personal-data findings (`personal`). Every
//! command reports their findings the same way.

mod facts;
mod personal;
mod rules;

pub use facts::PageFacts;
pub use personal::weigh as weigh_personal_data;
pub use rules::{run, Input};
