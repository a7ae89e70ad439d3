//! Which outside tools the test suite finds, so that a test needing a missing one is
//! reported as ignored, with the reason, in `cargo test`'s own summary ("3 ignored"), instead
//! of passing without checking anything. Under CI (`CI` set) nothing is ignored: there a
//! missing tool fails its tests (`.ci/run` installs them all). The library and the binary do
//! not use these settings.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The settings this script may emit, one per missing tool.
const MISSING: [&str; 6] = [
    "planboek_no_browser",
    "planboek_no_axe",
    "planboek_no_vnu",
    "planboek_no_pdftotext",
    "planboek_no_node",
    "planboek_no_icalendar",
];

fn main() {
    for name in MISSING {
        println!("cargo::rustc-check-cfg=cfg({name})");
    }
    println!("cargo::rerun-if-changed=build.rs");
    for var in [
        "CI",
        "PATH",
        "PLANBOEK_NODE_MODULES",
        "PLANBOEK_CHROMIUM",
        "PLANBOEK_VNU_JAR",
        "PLANBOEK_PYTHONPATH",
        "PLANBOEK_AXE",
    ] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    if std::env::var_os("CI").is_some() {
        return;
    }
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let tools = root.join(".ci/tools");
    let modules = env_path("PLANBOEK_NODE_MODULES").unwrap_or_else(|| tools.join("node_modules"));
    let chromium = env_path("PLANBOEK_CHROMIUM").unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let vnu = env_path("PLANBOEK_VNU_JAR").unwrap_or_else(|| modules.join("vnu-jar/build/dist/vnu.jar"));
    let python = env_path("PLANBOEK_PYTHONPATH").unwrap_or_else(|| tools.join("python"));
    let node = runs("node", &["--version"], None);
    let found = [
        node && watch(&modules.join("playwright-core/package.json")) && watch(&chromium),
        watch(&env_path("PLANBOEK_AXE").unwrap_or_else(|| modules.join("axe-core/axe.min.js"))),
        runs("java", &["-version"], None) && watch(&vnu),
        runs("pdftotext", &["-v"], None),
        node,
        runs("python3", &["-c", "import icalendar"], Some(&python)),
    ];
    // A tool installed later into .ci/tools is noticed through this folder.
    if found.contains(&false) {
        println!("cargo::rerun-if-changed={}", if tools.is_dir() { tools } else { root.join(".ci") }.display());
    }
    for (name, found) in MISSING.iter().zip(found) {
        if !found {
            println!("cargo::rustc-cfg={name}");
        }
    }
}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).map(PathBuf::from)
}

/// Whether `path` exists; when it does, a change to it reruns this script.
fn watch(path: &Path) -> bool {
    let exists = path.exists();
    if exists {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    exists
}

/// Whether `program args` runs and succeeds (with PYTHONPATH set to `pythonpath`).
fn runs(program: &str, args: &[&str], pythonpath: Option<&Path>) -> bool {
    let mut command = Command::new(program);
    command.args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    if let Some(path) = pythonpath {
        command.env("PYTHONPATH", path);
    }
    command.status().is_ok_and(|s| s.success())
}
