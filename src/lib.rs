//! planboek: publishes integrated plans (Markdown sections with TOML front matter) as a
//! static HTML handbook.
//!
//! The modules form layers; each imports only from the layers below it (a test in
//! `tests/testsuite/architecture.rs` holds the code to this, and `docs/architecture.md`
//! draws it):
//!
//! 0. leaves: `diag`, `util`, `date`, `output`, `template`, `privacy`
//! 1. the model: `model`
//! 2. the schema of planboek.toml: `config`
//! 3. the interface strings: `i18n`
//! 4. Markdown, and the commitments (deadlines, registers, exports): `markdown`, `commitments`
//! 5. loading, rendering, the lints and the search index: `content`, `render`, `lint`, `search`
//! 6. the one pipeline: `pipeline`
//! 7. versioned handbooks, a client of the pipeline: `versions`
//! 8. the commands: `commands`
//! 9. the command line: `cli`

pub mod cli;
pub mod commands;
pub mod commitments;
pub mod config;
pub mod content;
pub mod date;
pub mod diag;
pub mod i18n;
pub mod lint;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod privacy;
pub mod render;
pub mod search;
pub mod template;
pub mod util;
pub mod versions;
