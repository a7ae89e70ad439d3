//! The integration tests: one test binary, one module per area, one harness (`common`),
//! running the real `planboek` binary on fixture repositories.

mod accessibility;
mod architecture;
mod browser;
mod build;
mod check;
mod common;
mod crawl;
mod html_valid;
mod lint_table;
mod scaffold;
mod search;
mod serve;
mod versions;
