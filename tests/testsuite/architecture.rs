//! The layering of `src/`: each module imports only from the layers below it, so the module
//! graph has no cycle. The layers are read from the table in docs/architecture.md, which
//! this test also keeps true: every module of `src/` is in it, and nothing else.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `module → layer` from the rows `| N | `a`, `b` | … |` of docs/architecture.md.
fn layers() -> BTreeMap<String, u32> {
    let doc = fs::read_to_string(root().join("docs/architecture.md")).expect("docs/architecture.md");
    let mut layers = BTreeMap::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, layer, modules, ..] = cells.as_slice() else { continue };
        let Ok(layer) = layer.parse::<u32>() else { continue };
        for module in modules.split(',').map(|m| m.trim().trim_matches('`')) {
            assert!(layers.insert(module.to_string(), layer).is_none(), "{module} is in two layers");
        }
    }
    assert!(!layers.is_empty(), "docs/architecture.md has no layer table");
    layers
}

/// Every `.rs` file of `src/` that is not test code, with its module path (`commands::serve::http`).
fn sources() -> Vec<(Vec<String>, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            if path.is_dir() {
                if name != "tests" {
                    stack.push(path);
                }
            } else if name.ends_with(".rs") && name != "tests.rs" {
                let rel = path.strip_prefix(root().join("src")).expect("in src");
                let mut module: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
                let file = module.pop().unwrap_or_default();
                if !matches!(file.as_str(), "mod.rs" | "lib.rs" | "main.rs") {
                    module.push(file.trim_end_matches(".rs").to_string());
                }
                out.push((module, path));
            }
        }
    }
    out
}

/// The code of a file without comments and without its test items: an inline
/// `#[cfg(test)] mod x { … }` (which ends the file by convention) and the next line of any
/// other `#[cfg(test)]` (`mod tests;`, a `use`).
fn code(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("read");
    let mut out = Vec::new();
    let mut lines = text.lines().map(|l| l.split("//").next().unwrap_or_default());
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            match lines.next() {
                Some(next) if next.trim_end().ends_with('{') => break,
                _ => continue,
            }
        }
        out.push(line);
    }
    out.join("\n")
}

/// The top-level modules a file refers to: `crate::x` (also inside `use crate::{x, y}`) and
/// `super::` paths that climb to the crate root.
fn references(module: &[String], code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    for (i, _) in code.match_indices("crate::") {
        let preceded = code[..i].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        if preceded {
            continue;
        }
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 1 => start = true,
                    c if start && depth == 1 && !c.is_whitespace() => {
                        out.insert(ident(&group[j..]));
                        start = false;
                    }
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
            }
        } else {
            out.insert(ident(rest));
        }
    }
    for (i, _) in code.match_indices("super::") {
        if code[..i].ends_with("super::") {
            continue;
        }
        let mut rest = &code[i..];
        let mut up = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            rest = r;
            up += 1;
        }
        if up == module.len() {
            out.insert(ident(rest));
        }
    }
    out.retain(|m| !m.is_empty() && m != "self");
    out
}

#[test]
fn every_module_imports_only_from_layers_below_it() {
    let layers = layers();
    let mut wrong = Vec::new();
    let mut seen = BTreeSet::new();
    for (module, path) in sources() {
        let Some(top) = module.first() else { continue };
        seen.insert(top.clone());
        let Some(&own) = layers.get(top) else {
            wrong.push(format!("{}: module `{top}` is not in the layer table of docs/architecture.md", path.display()));
            continue;
        };
        for target in references(&module, &code(&path)) {
            if &target == top {
                continue;
            }
            match layers.get(&target) {
                Some(&layer) if layer < own => {}
                Some(&layer) => wrong.push(format!(
                    "{}: `{top}` (layer {own}) uses `{target}` (layer {layer}), which is not below it",
                    path.display()
                )),
                None => wrong.push(format!("{}: `{target}` is not in the layer table", path.display())),
            }
        }
    }
    let listed: BTreeSet<String> = layers.keys().cloned().collect();
    for gone in listed.difference(&seen) {
        wrong.push(format!("docs/architecture.md lists `{gone}`, which src/ does not have"));
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_reference_finder_sees_every_form() {
    let m = vec!["commands".to_string(), "serve".to_string()];
    let code = "use crate::{diag::{self, Lint}, model};\nlet x = crate::util::url::up(a);\nuse super::super::cli;\nmacro $crate::x";
    let found: Vec<String> = references(&m, code).into_iter().collect();
    assert_eq!(found, ["cli", "diag", "model", "util"]);
}
