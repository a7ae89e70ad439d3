//! Plans a rebuild takes from the previous output (`.planboek-plans`): a plan made from
//! exactly what the previous build made it from is linked, not rendered, and the output and
//! the findings are those of a build into an empty folder. Whatever a plan's pages are made
//! of (its files, the other plans' pages it can link, the settings, the date, the audience,
//! the theme) undoes it; a page changed in the output after the build is never taken over;
//! a damaged record costs only the reuse; an output inside the repository keeps nothing.

use crate::common::{files, Repo, Run};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const RECORD: &str = ".planboek-plans";
/// planboek's own files in the output's root, which differ from build to build.
const OWN: [&str; 6] = [
    RECORD,
    ".planboek-search",
    ".planboek-search-index",
    ".planboek-inputs",
    ".planboek-output",
    ".planboek-manifest.json",
];

/// The `basic` fixture (alpha links to beta, theme `default`) and an output folder outside it, built twice
/// with an edit between, so that the second build kept its plans' record.
fn recorded() -> (Repo, tempfile::TempDir, PathBuf) {
    let repo = Repo::fixture("basic");
    // The theme named, so that a file of its folder is one the build reads.
    let toml = fs::read_to_string(repo.path().join("planboek.toml")).expect("read");
    repo.write("planboek.toml", format!("{toml}theme = \"default\"\n"));
    let link = "\nZie ook [het tweede plan](../beta/aanleiding.md).\n";
    let text = fs::read_to_string(repo.path().join("content/alpha/04-veilig.md")).expect("read");
    repo.write("content/alpha/04-veilig.md", format!("{text}{link}"));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    build(&repo, &out, &[]);
    assert!(!out.join(RECORD).exists(), "a build into an empty folder keeps no record");
    edit(&repo, "beta/aanleiding.md", 1);
    build(&repo, &out, &[]);
    assert!(out.join(RECORD).is_file(), "a rebuild keeps its plans' record for the next");
    (repo, dir, out)
}

/// Builds into `out` for `vertrouwelijk` (so that no plan links a page left out) on
/// 2026-03-01, unless `extra` gives another audience or date.
fn build(repo: &Repo, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["build".to_string(), "-o".into(), out.to_string_lossy().into_owned()];
    for (flag, value) in [("--audience", "vertrouwelijk"), ("--today", "2026-03-01")] {
        if !extra.contains(&flag) {
            args.extend([flag.to_string(), value.to_string()]);
        }
    }
    args.extend(extra.iter().map(|a| a.to_string()));
    let run = repo.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    run.assert_code(0);
    run
}

/// Appends a line to `content/<rel>`.
fn edit(repo: &Repo, rel: &str, n: usize) {
    let file = repo.path().join("content").join(rel);
    let text = fs::read_to_string(&file).expect("read");
    fs::write(&file, format!("{text}\nBewerking {n}.\n")).expect("edit");
}

/// How many plans the summary says were taken from the previous output.
fn taken(stdout: &str) -> usize {
    let Some((before, _)) = stdout.split_once(" unchanged since the last build: taken from its output") else {
        return 0;
    };
    let count = before.rsplit(" (").next().unwrap_or_default();
    count.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// Every file of an output but planboek's own, with its bytes.
fn tree(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files(out)
        .into_iter()
        .filter(|f| !OWN.iter().any(|own| f == Path::new(own)))
        .map(|f| (f.clone(), fs::read(out.join(&f)).expect("read")))
        .collect()
}

/// Asserts that `out` holds what a build of the repository as it is now into an empty
/// folder writes, and that `built`, the build that wrote `out`, found what that one finds.
fn assert_fresh(repo: &Repo, out: &Path, built: &Run, extra: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = dir.path().join("fresh");
    let again = build(repo, &fresh, extra);
    let (got, want) = (tree(out), tree(&fresh));
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "the same files");
    for (path, bytes) in &want {
        assert!(got[path] == *bytes, "{} differs from a fresh build's", path.display());
    }
    assert_eq!(built.stderr, again.stderr, "the same findings");
}

fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).expect("stat").ino()
}

#[test]
fn an_unchanged_plan_is_taken_over_and_the_output_is_a_fresh_builds() {
    let (repo, _dir, out) = recorded();
    edit(&repo, "beta/aanleiding.md", 2);
    let run = build(&repo, &out, &[]);
    assert_eq!(taken(&run.stdout), 1, "alpha is taken from the previous output: {}", run.stdout);
    assert_fresh(&repo, &out, &run, &[]);
    // Taken over, not rendered: the plan's pages are the previous output's very files.
    // Its print edition and its action register, made from the plan alone, go with them.
    let files = ["alpha/01-aanleiding.html", "alpha/print.html", "alpha/actions.html"].map(|f| out.join(f));
    let before = files.each_ref().map(|f| inode(f));
    edit(&repo, "beta/aanleiding.md", 3);
    assert_eq!(taken(&build(&repo, &out, &[]).stdout), 1);
    assert_eq!(files.each_ref().map(|f| inode(f)), before);
    // A theme the build does not use is nothing its pages are made of.
    repo.write("themes/ander/static/extra.css", "p { color: #000; }");
    edit(&repo, "beta/aanleiding.md", 4);
    let run = build(&repo, &out, &[]);
    assert_eq!(taken(&run.stdout), 1, "{}", run.stdout);
    assert_fresh(&repo, &out, &run, &[]);
}

#[test]
fn whatever_a_plan_is_made_of_undoes_its_reuse() {
    type Change = (&'static str, fn(&Repo), &'static [&'static str]);
    let changes: [Change; 8] = [
        ("a section of the plan itself", |r| edit(r, "alpha/01-aanleiding.md", 9), &[]),
        ("a page added to the plan alpha links to", |r| r.write("content/beta/nieuw.md", "# Nieuw\n\nTekst.\n"), &[]),
        (
            "a plan added before the others",
            |r| r.write("content/aaa/_index.md", "+++\ntitle = \"Nieuw\"\n+++\n\nTekst.\n"),
            &[],
        ),
        ("a file pages could link", |r| r.write("content/beta/bijlage.pdf", "pdf"), &[]),
        (
            "planboek.toml",
            |r| {
                let toml = fs::read_to_string(r.path().join("planboek.toml")).expect("read");
                r.write("planboek.toml", toml.replace("Testboek", "Ander boek"));
            },
            &[],
        ),
        ("a theme override", |r| r.write("themes/default/static/extra.css", "p { color: #000; }"), &[]),
        ("the reference date", |_| {}, &["--today", "2026-03-02"]),
        ("the audience", |_| {}, &["--audience", "intern"]),
    ];
    for (what, change, extra) in changes {
        let (repo, _dir, out) = recorded();
        // beta changes each time, so that no build is the unchanged one, and alpha would be
        // taken over but for the change.
        edit(&repo, "beta/aanleiding.md", 2);
        change(&repo);
        let run = build(&repo, &out, extra);
        assert_eq!(taken(&run.stdout), 0, "{what}: {}", run.stdout);
        assert_fresh(&repo, &out, &run, extra);
    }
}

#[test]
fn a_page_changed_in_the_output_after_the_build_is_not_taken_over() {
    // A section's page, and the plan's register, which is made and kept with its pages.
    for rel in ["alpha/01-aanleiding.html", "alpha/actions.html"] {
        let (repo, _dir, out) = recorded();
        let page = out.join(rel);
        let text = fs::read_to_string(&page).expect("read");
        // The same size, so that only its time tells.
        let forged = text.replacen("<main", "<MAIN", 1);
        assert_ne!(forged, text, "{rel}");
        std::thread::sleep(std::time::Duration::from_millis(20));
        // Written in place: the same inode, which the record's files share with the output.
        let mut file = fs::OpenOptions::new().write(true).open(&page).expect("open");
        std::io::Write::write_all(&mut file, forged.as_bytes()).expect("forge");
        drop(file);
        edit(&repo, "beta/aanleiding.md", 2);
        let run = build(&repo, &out, &[]);
        assert_eq!(taken(&run.stdout), 0, "{rel}: {}", run.stdout);
        assert!(!fs::read_to_string(&page).expect("read").contains("<MAIN"), "{rel}");
        assert_fresh(&repo, &out, &run, &[]);
    }
}

#[test]
fn a_damaged_record_costs_only_the_reuse() {
    type Damage = (&'static str, fn(&Path));
    const FORMAT: &[u8] = b"planboek-plans 3\n";
    let damages: [Damage; 5] = [
        ("cut short", |r| {
            let bytes = fs::read(r).expect("read");
            fs::write(r, &bytes[..FORMAT.len() + 40]).expect("cut");
        }),
        ("another format", |r| {
            let mut bytes = fs::read(r).expect("read");
            assert!(bytes.starts_with(FORMAT));
            bytes[FORMAT.len() - 2] = b'9';
            fs::write(r, bytes).expect("format");
        }),
        ("its text changed", |r| {
            let mut bytes = fs::read(r).expect("read");
            for b in &mut bytes[FORMAT.len() + 36..] {
                *b ^= 0x20;
            }
            fs::write(r, bytes).expect("flip");
        }),
        ("garbage", |r| fs::write(r, [FORMAT, b"\xff\x00garbage"].concat()).expect("garbage")),
        ("a folder", |r| {
            fs::remove_file(r).expect("rm");
            fs::create_dir(r).expect("mkdir");
        }),
    ];
    for (what, damage) in damages {
        let (repo, _dir, out) = recorded();
        damage(&out.join(RECORD));
        edit(&repo, "beta/aanleiding.md", 2);
        let run = build(&repo, &out, &[]);
        assert_eq!(taken(&run.stdout), 0, "{what}: {}", run.stdout);
        assert_fresh(&repo, &out, &run, &[]);
        assert!(out.join(RECORD).is_file(), "{what}: the build keeps a new record");
    }
}

#[test]
fn an_output_inside_the_repository_keeps_no_plans() {
    let repo = Repo::fixture("basic");
    for n in 1..=3 {
        edit(&repo, "beta/aanleiding.md", n);
        let run = repo.run(&["build", "--audience", "vertrouwelijk"]);
        run.assert_code(0);
        assert_eq!(taken(&run.stdout), 0, "{}", run.stdout);
    }
    assert!(!repo.site().join(RECORD).exists(), "nothing is kept where it is never read");
}

#[test]
fn no_file_of_the_output_names_a_section_above_the_audience() {
    // alpha's first section links the `vertrouwelijk` one, so builds for lower audiences
    // find a link to a page left out, naming it: shown to the editor, never kept.
    let (repo, _dir, out) = recorded();
    for audience in ["intern", "openbaar"] {
        for n in 0..3 {
            edit(&repo, "beta/aanleiding.md", 10 + n);
            let run = build(&repo, &out, &["--audience", audience]);
            assert!(run.stderr.contains("03-kobaltdossier.md"), "{}", run.stderr);
        }
        for file in files(&out) {
            let text = String::from_utf8_lossy(&fs::read(out.join(&file)).expect("read")).to_lowercase();
            for canary in ["kobaltvink", "kobaltdossier", "zwaluwstaartgeheim", "geheimfoto"] {
                assert!(!text.contains(canary), "{canary} in {} ({audience})", file.display());
            }
        }
    }
}
