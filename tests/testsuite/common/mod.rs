//! Shared helpers: copy a fixture repository to a temporary folder and run the real binary on it.

pub mod crawl;
pub mod server;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixture repository copied into its own temporary folder.
pub struct Repo {
    pub dir: tempfile::TempDir,
}

impl Repo {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub fn fixture(name: &str) -> Repo {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name), dir.path());
        Repo { dir }
    }

    /// The repository at the root of this crate (the example content), copied.
    pub fn example() -> Repo {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        fs::copy(root.join("planboek.toml"), dir.path().join("planboek.toml")).expect("copy config");
        copy_dir(&root.join("content"), &dir.path().join("content"));
        Repo { dir }
    }

    /// The example with two tagged versions, built: the landing page, version bars and a changes
    /// page with word differences.
    pub fn versioned_example() -> Repo {
        let repo = Repo::example();
        repo.write(".gitignore", "/site/\n/.planboek-cache/\n");
        git(repo.path(), "2026-01-10", &["init", "-q"]);
        tag(&repo, "2026-01-10", "v1");
        let section = repo.path().join("content/jeugdgroep-kadepoort/02-doelstellingen.md");
        let text = std::fs::read_to_string(&section).expect("section");
        std::fs::write(&section, format!("{text}\nEen nieuwe alinea na de tussentijdse evaluatie.\n")).expect("edit");
        let config = std::fs::read_to_string(repo.path().join("planboek.toml")).expect("config");
        repo.write("planboek.toml", format!("{config}\n[versions]\nfrom_git = \"v*\"\ncurrent = \"concept\"\n"));
        tag(&repo, "2026-02-10", "v2");
        repo.run(&["build"]).assert_code(0);
        assert!(repo.site().join("concept/index.html").is_file(), "the working tree is published");
        assert!(repo.read_site("v2/changes.html").contains("<ins>"), "v2 has a word difference");
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn site(&self) -> PathBuf {
        self.path().join("site")
    }

    /// Writes `text` to `rel`, creating folders.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }

    /// Runs `planboek ARGS` in the repository folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    /// The text of a file under the output folder.
    pub fn read_site(&self, rel: &str) -> String {
        fs::read_to_string(self.site().join(rel)).unwrap_or_else(|e| panic!("site/{rel}: {e}"))
    }
}

impl Drop for Repo {
    /// Whatever a test built, no output may hold a template blank's private-use marker
    /// (U+E000, U+E001): markers stand in for blanks inside the Markdown renderer only. The
    /// inputs of the tests hold none, so any in an output leaked.
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let mut stack = vec![self.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let (path, name) = (e.path(), e.file_name());
                if path.is_dir() {
                    // The sources and git's objects are input, not output.
                    if name != "content" && name != ".git" {
                        stack.push(path);
                    }
                } else if let Ok(text) = fs::read_to_string(&path) {
                    assert!(
                        !text.contains(['\u{E000}', '\u{E001}']),
                        "a blank's marker leaked into {}",
                        path.display()
                    );
                }
            }
        }
    }
}

/// A finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.stderr);
        self
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_with(dir, args, &[])
}

/// `run_in` with more environment variables (`SOURCE_DATE_EPOCH` is 2026-03-01 unless set).
pub fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_planboek"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1772323200")
        .envs(env.iter().copied())
        .output()
        .expect("run planboek");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir`, as paths relative to it.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("prefix").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Runs git in `dir` with a fixed identity and date, ignoring the user's configuration.
pub fn git(dir: &Path, date: &str, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Eddie Editor")
        .env("GIT_AUTHOR_EMAIL", "eddie@example.org")
        .env("GIT_COMMITTER_NAME", "Eddie Editor")
        .env("GIT_COMMITTER_EMAIL", "eddie@example.org")
        .env("GIT_AUTHOR_DATE", format!("{date}T10:00:00+01:00"))
        .env("GIT_COMMITTER_DATE", format!("{date}T10:00:00+01:00"))
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Commits everything and tags it.
pub fn tag(repo: &Repo, date: &str, name: &str) {
    git(repo.path(), date, &["add", "-A"]);
    git(repo.path(), date, &["commit", "-q", "-m", name]);
    git(repo.path(), date, &["tag", name]);
}

/// A page as a sighted reader sees it: the visually hidden labels (`pb-visually-hidden`,
/// such as "verwijderd: " before a deletion) taken out.
pub fn visible(html: &str) -> String {
    const OPEN: &str = "<span class=\"pb-visually-hidden\">";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        rest = rest[i..].split_once("</span>").map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}
