//! The fuzz targets' smoke pass on stable Rust: every seed of `fuzz/seeds/<target>/` (the
//! template, the fixtures and crafted attacks) and every reproducer kept in
//! `fuzz/regressions/<target>/`, each also cut short and with bytes changed, goes through the
//! same target bodies that `cargo fuzz run` drives (`fuzz/targets.rs`).

#[path = "../../fuzz/targets.rs"]
mod targets;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Bytes planboek's parsers treat specially, written over the input in the variants.
const SPECIAL: &[u8] = b"\r\n<>+[]()#%\\/:\"'`{}";

/// The inputs of one target: its seeds and kept reproducers.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in [fuzz.join("seeds").join(target), fuzz.join("regressions").join(target)] {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for e in entries {
            let path = e.expect("entry").path();
            out.push((path.display().to_string(), fs::read(&path).expect("read seed")));
        }
    }
    out.sort();
    out
}

/// The seed itself, eight prefixes of it, and six copies with one byte replaced by a
/// special one, at positions spread over it.
fn variants(data: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![data.to_vec()];
    let n = data.len();
    for i in 1..8 {
        out.push(data[..n * i / 8].to_vec());
    }
    for (i, &b) in SPECIAL.iter().enumerate().take(6) {
        if n > 0 {
            let mut v = data.to_vec();
            v[(n * (2 * i + 1) / 12).min(n - 1)] = b;
            out.push(v);
        }
    }
    out
}

fn replay(target: &str, run: fn(&[u8])) {
    let inputs = inputs(target);
    assert!(inputs.len() >= 10, "{target}: the seed corpus is missing");
    for (name, data) in inputs {
        for (i, v) in variants(&data).iter().enumerate() {
            if catch_unwind(AssertUnwindSafe(|| run(v))).is_err() {
                panic!("{target}: {name} (variant {i}) failed; write it out with `fuzz/seeds` and run `cargo fuzz run {target} <file>`");
            }
        }
    }
}

#[test]
fn front_matter_target_over_its_corpus() {
    replay("front_matter", targets::front_matter);
}

#[test]
fn markdown_target_over_its_corpus() {
    replay("markdown", targets::markdown);
}

#[test]
fn link_target_over_its_corpus() {
    replay("link", targets::link);
}

#[test]
fn serve_resolve_target_over_its_corpus() {
    replay("serve_resolve", targets::serve_resolve);
    targets::cleanup();
}
