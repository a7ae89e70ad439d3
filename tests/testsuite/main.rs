//! The integration tests: one test binary, one module per area, one harness (`common`),
//! running the real `planboek` binary on fixture repositories.

mod accessibility;
mod architecture;
mod browser;
mod build;
mod changes;
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
mod html_valid;
mod leaks;
mod lint_table;
mod output;
mod partners;
mod privacy;
mod references;
mod reuse;
mod robustness;
mod scaffold;
mod search;
mod serve;
mod serve_attacks;
mod version_findings;
mod versions;
mod web_safety;
mod wording;
