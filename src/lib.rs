//! planboek: publishes integrated plans (Markdown sections with TOML front matter) as a
//! static HTML handbook. The flow is load → model → filter by audience → render → write;
//! `build`, `check` and `serve` are short functions over it.

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod versions;
