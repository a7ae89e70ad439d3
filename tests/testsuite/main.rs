//! The integration tests: one test binary, one module per area, one harness (`common`),
//! running the real `planboek` binary on fixture repositories.

mod accessibility;
mod architecture;
mod axe;
mod browser;
mod build;
mod check;
mod check_ci;
mod commitments;
mod common;
mod commonmark;
mod crawl;
mod drafts;
mod exports;
mod fidelity;
mod fuzz_corpus;
mod hosting;
mod html_valid;
mod layout;
mod leaks;
mod lint_table;
mod output;
mod robustness;
mod scaffold;
mod screenshots;
mod serve;
mod serve_attacks;
mod skips;
mod versions;
mod web_safety;
