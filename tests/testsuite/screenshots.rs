//! The README's screenshots come from a script (scripts/screenshots runs
//! browser/screenshots.js on the built example): it still runs, and the README shows every
//! picture it makes.

use crate::browser::check_with;
use crate::common::Repo;

#[test]
#[cfg_attr(planboek_no_browser, ignore = "needs Chromium, node and playwright-core; .ci/run installs them")]
fn the_screenshot_script_makes_every_picture_the_readme_shows() {
    let repo = Repo::example();
    repo.run(&["build", "--today", "2026-05-12"]).assert_code(0);
    let out = repo.path().join("shots");
    std::fs::create_dir_all(&out).expect("shots");
    check_with("screenshots.js", &[&repo.site().to_string_lossy(), &out.to_string_lossy()]);
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let mut made = 0;
    for entry in std::fs::read_dir(&out).expect("shots") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("png");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000, "{} is a picture", path.display());
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        assert!(readme.contains(&format!("docs/screenshots/{name}")), "the README shows {name}");
        let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots").join(&name);
        assert!(committed.is_file(), "{name} is in docs/screenshots/");
        made += 1;
    }
    assert_eq!(made, 6, "one picture per page type");
}
