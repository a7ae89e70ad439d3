//! Reading versions straight from git's object store with the git command line: no checkout,
//! and the user's working tree, index and stash are never touched.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A repository as seen from the site root.
pub struct Repo {
    /// The site root, where relative paths (`./content`) are resolved.
    pub root: PathBuf,
}

/// A tag matching the versions glob.
pub struct Tag {
    pub name: String,
    /// `YYYY-MM-DD` of the tag (or of its commit for a lightweight tag).
    pub date: String,
}

/// The last commit that touched a file.
#[derive(Debug, Clone)]
pub struct LastChange {
    pub date: String,
    pub author: String,
}

impl Repo {
    /// The repository around `root`, or None when `root` is not inside one.
    pub fn open(root: &Path) -> Option<Repo> {
        let repo = Repo { root: root.to_path_buf() };
        let inside = repo.run(&["rev-parse", "--is-inside-work-tree"]).ok()?;
        (inside.trim() == "true").then_some(repo)
    }

    /// The folder holding the repository's refs (shared by all its worktrees).
    pub fn common_dir(&self) -> Option<PathBuf> {
        let dir = self.run(&["rev-parse", "--git-common-dir"]).ok()?;
        let dir = PathBuf::from(dir.trim_end_matches(['\n', '\r']));
        // Relative answers are relative to the folder git ran in.
        self.root.join(dir).canonicalize().ok()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        c.arg("-C").arg(&self.root).args(args);
        // A pager or a localized message would break parsing.
        c.env("GIT_PAGER", "cat").env("LC_ALL", "C");
        c
    }

    /// Runs git and returns its stdout, or its stderr as the error.
    fn run(&self, args: &[&str]) -> Result<String, String> {
        let out = self.command(args).output().map_err(|e| format!("cannot run git: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }

    /// Tags matching `glob`, newest first.
    pub fn tags(&self, glob: &str) -> Result<Vec<Tag>, String> {
        let pattern = format!("refs/tags/{glob}");
        let out = self.run(&[
            "for-each-ref",
            "--sort=-creatordate",
            "--format=%(refname:short)%09%(creatordate:short)",
            &pattern,
        ])?;
        Ok(out
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(n, d)| Tag { name: n.to_string(), date: d.to_string() })
            .collect())
    }

    /// The commit id of `rev`, or None when it names no commit.
    pub fn commit(&self, rev: &str) -> Option<String> {
        let spec = format!("{rev}^{{commit}}");
        self.run(&["rev-parse", "--verify", "--quiet", "--end-of-options", &spec]).ok().map(|s| s.trim().to_string())
    }

    /// The committer date (`YYYY-MM-DD`) of a commit.
    pub fn commit_date(&self, commit: &str) -> String {
        self.run(&["log", "-1", "--format=%cs", commit]).map(|s| s.trim().to_string()).unwrap_or_default()
    }

    /// The tree id of the site's `dir` folder at `commit`; None when it has none.
    pub fn tree(&self, commit: &str, dir: &str) -> Option<String> {
        self.run(&["rev-parse", "--verify", "--quiet", &format!("{commit}:./{dir}")]).ok().map(|s| s.trim().to_string())
    }

    /// Every file of tree `tree` (path relative to it → bytes), from one `cat-file --batch`.
    pub fn read_tree(&self, tree: &str) -> Result<BTreeMap<String, Vec<u8>>, String> {
        // --full-tree: from a site in a subfolder, ls-tree would list only paths under it.
        let listing = self.run(&["ls-tree", "--full-tree", "-r", "-z", tree])?;
        let mut blobs = Vec::new();
        for entry in listing.split('\0').filter(|e| !e.is_empty()) {
            let Some((head, path)) = entry.split_once('\t') else { continue };
            let mut parts = head.split(' ');
            let (_mode, kind, id) = (parts.next(), parts.next(), parts.next());
            if let (Some("blob"), Some(id)) = (kind, id) {
                blobs.push((id.to_string(), path.to_string()));
            }
        }
        let contents = self.cat_blobs(blobs.iter().map(|(id, _)| id.as_str()))?;
        Ok(blobs.into_iter().map(|(_, path)| path).zip(contents).collect())
    }

    /// The contents of each blob, in order, from one `git cat-file --batch` process.
    fn cat_blobs<'a>(&self, ids: impl Iterator<Item = &'a str>) -> Result<Vec<Vec<u8>>, String> {
        let mut child = self
            .command(&["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let input: String = ids.map(|id| format!("{id}\n")).collect();
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        // Write from another thread: git blocks on a full stdout pipe while we would block here.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let mut reader = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut out = Vec::new();
        let mut header = String::new();
        loop {
            header.clear();
            if reader.read_line(&mut header).map_err(|e| e.to_string())? == 0 {
                break;
            }
            let size: usize = header.trim().rsplit(' ').next().and_then(|s| s.parse().ok()).ok_or("bad cat-file")?;
            let mut bytes = vec![0; size + 1];
            reader.read_exact(&mut bytes).map_err(|e| e.to_string())?;
            bytes.pop();
            out.push(bytes);
        }
        let _ = writer.join();
        child.wait().map_err(|e| e.to_string())?;
        Ok(out)
    }

    /// For every file under `dir` at `commit`: its last change, from one `git log` pass.
    pub fn last_changes(&self, commit: &str, dir: &str) -> HashMap<String, LastChange> {
        let prefix = self.run(&["rev-parse", "--show-prefix"]).unwrap_or_default();
        let prefix = prefix.trim();
        let args = ["log", "--no-renames", "--format=%x01%cs%x09%an", "--name-only", commit, "--", dir];
        let Ok(log) = self.run(&args) else { return HashMap::new() };
        let mut out = HashMap::new();
        let mut current = None;
        for line in log.lines().filter(|l| !l.is_empty()) {
            if let Some(head) = line.strip_prefix('\u{1}') {
                let (date, author) = head.split_once('\t').unwrap_or((head, ""));
                current = Some(LastChange { date: date.to_string(), author: author.to_string() });
            } else if let Some(change) = &current {
                // git prints paths from the repository root; the model's are from the site root.
                let path = line.strip_prefix(prefix).unwrap_or(line);
                out.entry(path.to_string()).or_insert_with(|| change.clone());
            }
        }
        out
    }
}
