//! The lint table and the tests agree: every code of `src/diag/lints.rs` is asserted by code
//! somewhere in the test suite, and no test asserts a code the table does not have.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Every `P` followed by four digits in `text`.
fn codes(text: &str) -> BTreeSet<String> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(4))
        .filter(|&i| {
            b[i] == b'P'
                && b[i + 1..i + 5].iter().all(u8::is_ascii_digit)
                && !b.get(i + 5).is_some_and(u8::is_ascii_alphanumeric)
                && !i.checked_sub(1).and_then(|p| b.get(p)).is_some_and(u8::is_ascii_alphanumeric)
        })
        .map(|i| text[i..i + 5].to_string())
        .collect()
}

fn test_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read tests") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            test_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("lint_table.rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_lint_code_is_asserted_by_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = codes(&fs::read_to_string(root.join("src/diag/lints.rs")).expect("lint table"));
    assert!(table.len() > 30, "the table was not read: {table:?}");
    let mut files = Vec::new();
    test_files(&root.join("tests/testsuite"), &mut files);
    let tested: BTreeSet<String> = files.iter().flat_map(|f| codes(&fs::read_to_string(f).expect("read"))).collect();
    let untested: Vec<&String> = table.difference(&tested).collect();
    assert!(untested.is_empty(), "lint codes no test asserts: {untested:?}");
    let unknown: Vec<&String> = tested.difference(&table).collect();
    assert!(unknown.is_empty(), "tests assert codes the table does not have: {unknown:?}");
}
