//! The built example is valid HTML5, checked with the W3C Nu HTML Checker (vnu.jar).
//! `.ci/run` installs it; set PLANBOEK_VNU_JAR to point at another copy.

use crate::common::Repo;
use std::path::PathBuf;
use std::process::Command;

fn vnu_jar() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("PLANBOEK_VNU_JAR").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".ci/tools/node_modules/vnu-jar/build/dist/vnu.jar")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

#[test]
#[cfg_attr(planboek_no_vnu, ignore = "needs Java and vnu.jar; .ci/run installs them")]
fn built_pages_are_valid_html5() {
    let Some(jar) = vnu_jar() else {
        assert!(std::env::var_os("CI").is_none(), "CI must install vnu.jar (see .ci/run)");
        eprintln!("skipped: vnu.jar not installed (run .ci/run once, or set PLANBOEK_VNU_JAR)");
        return;
    };
    let repo = Repo::example();
    repo.run(&["build", "--audience", "vertrouwelijk"]).assert_code(0);
    repo.run(&["build", "--preview", "-o", "preview"]).assert_code(0);
    let versioned = Repo::versioned_example();
    for dir in [repo.site(), repo.path().join("preview"), versioned.site()] {
        let out = Command::new("java")
            .args(["-jar"])
            .arg(&jar)
            .args(["--errors-only", "--skip-non-html", "--format", "text"])
            .arg(&dir)
            .output()
            .expect("run java");
        let report = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "HTML validation errors in {}:\n{report}", dir.display());
    }
}
