//! A build from the same inputs as the last one, into an output folder outside the
//! repository that nothing touched since, keeps that folder: it writes nothing and reports
//! the same findings. Any change to the inputs or to the folder builds anew, and an output
//! inside the repository (which a push could forge) is always built.

use crate::common::{files, run_with, Repo};
use crate::output::assert_manifest_true;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

const KEPT: &str = "nothing changed since the last build";
const SECRETS: [&str; 3] = ["Zwaluwstaartgeheim", "Kobaltvink", "geheimfoto"];

/// A fixture repository and an output folder of its own, outside it.
struct Setup {
    repo: Repo,
    _outside: tempfile::TempDir,
    /// A folder inside `_outside`, so that what a build keeps beside its output (the spare,
    /// `src/output/recycle.rs`) goes with it.
    out: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let outside = tempfile::tempdir().expect("tempdir");
        let out = outside.path().join("out");
        Setup { repo: Repo::fixture("basic"), _outside: outside, out }
    }

    fn out(&self) -> &Path {
        &self.out
    }

    /// `planboek build -o <out> ARGS` with `env`: its stdout and stderr, after a success.
    fn build(&self, args: &[&str], env: &[(&str, &str)]) -> (String, String) {
        let out = self.out().to_string_lossy().into_owned();
        let mut all = vec!["build", "-o", out.as_str()];
        all.extend_from_slice(args);
        let run = run_with(self.repo.path(), &all, env);
        run.assert_code(0);
        (run.stdout, run.stderr)
    }

    /// Every file of the output with its inode and change time.
    fn state(&self) -> BTreeMap<String, (u64, i64, i64)> {
        files(self.out())
            .into_iter()
            .map(|f| {
                let m = fs::symlink_metadata(self.out().join(&f)).expect("meta");
                (f.to_string_lossy().into_owned(), (m.ino(), m.ctime(), m.ctime_nsec()))
            })
            .collect()
    }
}

/// The findings of a run's stderr, without its timing.
fn findings(stderr: &str) -> String {
    stderr.lines().filter(|l| !l.starts_with("built ")).collect::<Vec<_>>().join("\n")
}

/// The summary line without its time.
fn summary(stdout: &str) -> String {
    let line = stdout.lines().find(|l| l.starts_with("built ")).expect("summary line").to_string();
    let (counts, rest) = line.split_once(" in ").expect("time");
    let (_, place) = rest.split_once(" s → ").expect("place");
    format!("{counts} → {place}")
}

#[test]
fn an_unchanged_rebuild_keeps_every_file_and_reports_the_same_findings() {
    let s = Setup::new();
    let (out1, err1) = s.build(&[], &[]);
    assert!(!out1.contains(KEPT), "{out1}");
    assert!(!findings(&err1).is_empty(), "the fixture has warnings to compare:\n{err1}");
    let before = s.state();
    let (out2, err2) = s.build(&[], &[]);
    assert!(out2.contains(KEPT), "{out2}");
    assert_eq!(s.state(), before, "no file was written, linked or touched");
    assert_eq!(findings(&err2), findings(&err1));
    assert_eq!(summary(&out2).replace(&format!(" ({KEPT}: its output was kept)"), ""), summary(&out1));
    assert_manifest_true(s.out());
}

#[test]
fn any_change_to_the_inputs_builds_anew() {
    let s = Setup::new();
    s.build(&[], &[]);
    type Change<'a> = (&'a str, &'a dyn Fn(&Repo));
    let changes: [Change; 5] = [
        ("a section edited", &|r| {
            let page = r.path().join("content/beta/aanleiding.md");
            let text = fs::read_to_string(&page).expect("read");
            r.write("content/beta/aanleiding.md", format!("{text}\nEen nieuwe alinea.\n"));
        }),
        ("a linked image changed", &|r| r.write("content/alpha/img/kaart.png", b"\x89PNG\r\n\x1a\nanders")),
        ("a file added", &|r| r.write("content/beta/02-nieuw.md", "+++\ntitle = \"Nieuw\"\n+++\n\nTekst.\n")),
        ("planboek.toml changed", &|r| {
            r.write("themes/eigen/static/planboek.css", "body{margin:0}");
            r.write("planboek.toml", "title = \"Ander boek\"\nlanguage = \"nl\"\ntheme = \"eigen\"\n");
        }),
        ("a theme's file changed", &|r| r.write("themes/eigen/static/planboek.css", "body{}")),
    ];
    for (what, change) in changes {
        change(&s.repo);
        let (stdout, _) = s.build(&[], &[]);
        assert!(!stdout.contains(KEPT), "{what}: {stdout}");
        let (stdout, _) = s.build(&[], &[]);
        assert!(stdout.contains(KEPT), "{what}, then nothing: {stdout}");
    }
    assert!(fs::read_to_string(s.out().join("beta/aanleiding.html")).expect("page").contains("Een nieuwe alinea."));
    assert!(fs::read_to_string(s.out().join("index.html")).expect("home").contains("Ander boek"));
    assert_eq!(fs::read(s.out().join("alpha/img/kaart.png")).expect("image"), b"\x89PNG\r\n\x1a\nanders");
    assert_eq!(fs::read(s.out().join("_static/planboek.css")).expect("style"), b"body{}", "the theme's file");
}

#[test]
fn another_audience_date_or_mode_builds_anew_and_never_keeps_what_the_audience_may_not_read() {
    let s = Setup::new();
    s.build(&["--audience", "vertrouwelijk"], &[]);
    assert!(s.out().join("alpha/03-kobaltdossier.html").is_file(), "the confidential build holds the section");
    let (stdout, _) = s.build(&[], &[]);
    assert!(!stdout.contains(KEPT), "{stdout}");
    for file in files(s.out()) {
        let bytes = fs::read(s.out().join(&file)).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        for secret in SECRETS {
            assert!(!text.contains(secret), "{secret} in {}", file.display());
        }
    }
    type Args<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
    let runs: [Args; 3] =
        [(&["--today", "2026-05-01"], &[]), (&[], &[("SOURCE_DATE_EPOCH", "1780000000")]), (&["--drafts"], &[])];
    for (args, env) in runs {
        let (stdout, _) = s.build(args, env);
        assert!(!stdout.contains(KEPT), "{args:?} {env:?}: {stdout}");
        let (stdout, _) = s.build(args, env);
        assert!(stdout.contains(KEPT), "{args:?} {env:?} again: {stdout}");
    }
}

#[test]
fn an_output_changed_since_is_built_anew() {
    let s = Setup::new();
    s.build(&[], &[]);
    let page = s.out().join("alpha/01-aanleiding.html");
    let original = fs::read_to_string(&page).expect("read");
    // The same size: only the file's change time tells.
    fs::write(&page, original.replacen("<title>", "<titlE>", 1)).expect("edit");
    let (stdout, _) = s.build(&[], &[]);
    assert!(!stdout.contains(KEPT), "{stdout}");
    assert_eq!(fs::read_to_string(&page).expect("read"), original);

    fs::remove_file(&page).expect("remove");
    let (stdout, _) = s.build(&[], &[]);
    assert!(!stdout.contains(KEPT), "{stdout}");
    assert_eq!(fs::read_to_string(&page).expect("read"), original);

    // A file planboek did not write is refused, as in any build.
    fs::write(s.out().join("notes.txt"), "mine").expect("add");
    let out = s.out().to_string_lossy().into_owned();
    let run = run_with(s.repo.path(), &["build", "-o", &out], &[]);
    run.assert_code(1);
    assert!(run.stderr.contains("notes.txt"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(s.out().join("notes.txt")).expect("kept"), "mine");
}

#[test]
fn an_output_inside_the_repository_is_always_built_even_with_a_record_of_its_inputs() {
    let s = Setup::new();
    s.build(&[], &[]);
    let record = fs::read(s.out().join(".planboek-inputs")).expect("record");
    // A pushed repository holding a handbook of its own making, and the record a build
    // from these inputs would write: it must not stand in for the build.
    s.repo.run(&["build"]).assert_code(0);
    let page = s.repo.site().join("alpha/01-aanleiding.html");
    let forged = fs::read_to_string(&page).expect("read").replacen("<main", "<script>alert(1)</script><main", 1);
    fs::write(&page, forged).expect("forge");
    let manifest = s.repo.site().join(".planboek-manifest.json");
    let text = fs::read_to_string(&manifest).expect("manifest");
    let entry = format!("{{\"blake3\":\"{}\"", blake3::hash(&fs::read(&page).expect("page")).to_hex());
    let at = text.find("\"alpha/01-aanleiding.html\":").expect("listed");
    let end = at + text[at..].find('}').expect("entry end") + 1;
    let size = fs::metadata(&page).expect("meta").len();
    let fixed = format!("{}\"alpha/01-aanleiding.html\":{entry},\"size\":{size}}}{}", &text[..at], &text[end..]);
    fs::write(&manifest, fixed).expect("forge the manifest");
    std::thread::sleep(std::time::Duration::from_millis(50));
    fs::write(s.repo.site().join(".planboek-inputs"), &record).expect("forge the record");

    let run = s.repo.run(&["build"]);
    run.assert_code(0);
    assert!(!run.stdout.contains(KEPT), "{}", run.stdout);
    assert!(!s.repo.read_site("alpha/01-aanleiding.html").contains("alert(1)"), "the forged page was replaced");
}

#[test]
fn a_record_whose_findings_do_not_read_builds_anew_and_reports_them() {
    let s = Setup::new();
    let (_, err1) = s.build(&[], &[]);
    let record = s.out().join(".planboek-inputs");
    let bytes = fs::read(&record).expect("record");
    // Four lines, then the findings sealed with the inputs (the output is the audience's,
    // and a finding can name a page left out for it): none of their text can be read.
    let at = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(3).map(|(i, _)| i + 1).expect("four lines");
    let (head, sealed) = bytes.split_at(at);
    assert!(!sealed.windows(4).any(|w| w == b"code") && !sealed.windows(5).any(|w| w == b"alpha"));
    let mut flipped = sealed.to_vec();
    flipped[0] ^= 0x20;
    let broken = [
        // cut short (the length no longer matches), and a changed byte (what was `[` no
        // longer opens a list)
        sealed[..sealed.len() / 2].to_vec(),
        flipped,
    ];
    for (i, findings_bytes) in broken.iter().enumerate() {
        fs::write(&record, [head, findings_bytes].concat()).expect("edit the record");
        let (stdout, stderr) = s.build(&[], &[]);
        assert!(!stdout.contains(KEPT), "{i}: {stdout}");
        assert_eq!(findings(&stderr), findings(&err1), "{i}");
        let (stdout, stderr) = s.build(&[], &[]);
        assert!(stdout.contains(KEPT), "recorded again: {stdout}");
        assert_eq!(findings(&stderr), findings(&err1));
    }
}
