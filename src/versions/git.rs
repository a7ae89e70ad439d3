//! Reading versions straight from git's object store with the git command line: no checkout,
//! and the user's working tree, index and stash are never touched. Every call that lists
//! paths uses `-z`, so names such as `financiën.md` arrive as they are, not quoted.

use super::blobs::BlobStore;
use crate::content::Tree;
use crate::date::Date;
use crate::model::paths::is_markdown;
use crate::render::LastChange;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};

/// A repository as seen from the site root.
pub struct Repo {
    /// The site root, where relative paths (`./content`) are resolved.
    pub root: PathBuf,
}

/// Why git could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitError {
    /// There is no `git` program to run.
    NotInstalled,
    /// The site root is not inside a git repository.
    NotARepository(PathBuf),
    /// git ran and refused; its message.
    Failed(String),
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitError::NotInstalled => write!(f, "versions come from git, but git is not installed (no `git` program)"),
            GitError::NotARepository(root) => {
                write!(f, "versions come from git, but {} is not inside a git repository", root.display())
            }
            GitError::Failed(message) => write!(f, "git failed: {message}"),
        }
    }
}

/// The files of a git tree, read from the object store when asked for: a version's pages
/// read their Markdown while they render, so no version's content is held in memory whole.
pub struct GitTree {
    /// Path relative to the tree → blob id.
    blobs: BTreeMap<String, String>,
    /// One `git cat-file --batch` for every read; the pages' threads take turns.
    cat: Mutex<CatFile>,
    /// Markdown read before, by this build or an earlier one, kept by blob id.
    store: Option<Arc<BlobStore>>,
}

impl Tree for GitTree {
    fn paths(&self) -> Vec<String> {
        self.blobs.keys().cloned().collect()
    }

    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        let id = self.blobs.get(rel).ok_or(std::io::ErrorKind::NotFound)?;
        // Only Markdown is read again (other files are exported once per tree).
        let store = self.store.as_ref().filter(|_| is_markdown(rel));
        if let Some(bytes) = store.and_then(|store| store.get(id)) {
            return Ok(bytes);
        }
        let bytes = {
            let mut cat = self.cat.lock().map_err(|_| std::io::Error::other("git cat-file failed before"))?;
            cat.read(id)?
        };
        if let Some(store) = store {
            store.put(id, &bytes);
        }
        Ok(bytes)
    }
}

/// A running `git cat-file --batch`: a blob id in, its bytes out.
struct CatFile {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// A read failed halfway: what git answers next would not belong to the next request.
    broken: bool,
}

impl CatFile {
    fn start(repo: &Repo) -> Result<CatFile, GitError> {
        let mut child = repo
            .command(&["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(spawn_error)?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(GitError::Failed("cannot talk to git cat-file".into()));
        };
        Ok(CatFile { child, stdin, stdout: BufReader::new(stdout), broken: false })
    }

    /// The bytes of blob `id`.
    fn read(&mut self, id: &str) -> std::io::Result<Vec<u8>> {
        if self.broken {
            return Err(std::io::Error::other("git cat-file failed before"));
        }
        let read = self.ask(id);
        self.broken = read.as_ref().is_err_and(|e| e.kind() != std::io::ErrorKind::NotFound);
        read
    }

    fn ask(&mut self, id: &str) -> std::io::Result<Vec<u8>> {
        self.stdin.write_all(format!("{id}\n").as_bytes())?;
        self.stdin.flush()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header)?;
        // `<id> blob <size>`, or `<id> missing`.
        let header = header.trim_end();
        let size = match header.rsplit(' ').next().map(str::parse::<usize>) {
            Some(Ok(size)) if header.contains(" blob ") => size,
            _ if header.ends_with(" missing") => return Err(std::io::ErrorKind::NotFound.into()),
            _ => return Err(std::io::Error::other(format!("unexpected git cat-file answer `{header}`"))),
        };
        let mut bytes = vec![0; size + 1];
        self.stdout.read_exact(&mut bytes)?;
        bytes.pop();
        Ok(bytes)
    }
}

impl Drop for CatFile {
    fn drop(&mut self) {
        // Its input closes with it; waiting keeps it from lingering as a zombie.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A tag matching the versions glob.
pub struct Tag {
    pub name: String,
    /// The date of the tag (or of its commit for a lightweight tag).
    pub date: Option<Date>,
    /// The same moment in seconds since 1970, which orders tags of one day.
    pub time: Option<i64>,
}

impl Repo {
    /// The repository around `root`.
    pub fn open(root: &Path) -> Result<Repo, GitError> {
        let repo = Repo { root: root.to_path_buf() };
        match repo.run(&["rev-parse", "--is-inside-work-tree"]) {
            Ok(out) if out.trim_ascii() == b"true" => Ok(repo),
            Ok(_) | Err(GitError::Failed(_)) => Err(GitError::NotARepository(root.to_path_buf())),
            Err(e) => Err(e),
        }
    }

    /// The folder holding the repository's refs (shared by all its worktrees).
    pub fn common_dir(&self) -> Option<PathBuf> {
        let dir = self.text(&["rev-parse", "--git-common-dir"]).ok()?;
        // Relative answers are relative to the folder git ran in.
        self.root.join(dir.trim_end_matches(['\n', '\r'])).canonicalize().ok()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        c.arg("-C").arg(&self.root).args(args);
        // A pager or a localized message would break parsing.
        c.env("GIT_PAGER", "cat").env("LC_ALL", "C");
        c
    }

    /// Runs git and returns its stdout, or why it failed.
    fn run(&self, args: &[&str]) -> Result<Vec<u8>, GitError> {
        let out = self.command(args).output().map_err(spawn_error)?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(GitError::Failed(String::from_utf8_lossy(&out.stderr).trim().to_string()))
        }
    }

    /// `run` for commands whose answer is text (ids, dates, names).
    fn text(&self, args: &[&str]) -> Result<String, GitError> {
        self.run(args).map(|out| String::from_utf8_lossy(&out).into_owned())
    }

    /// Tags matching `glob`, newest first.
    pub fn tags(&self, glob: &str) -> Result<Vec<Tag>, GitError> {
        let pattern = format!("refs/tags/{glob}");
        let format = "--format=%(refname:short)%00%(creatordate:short)%00%(creatordate:unix)%00";
        let out = self.run(&["for-each-ref", "--sort=-creatordate", format, &pattern])?;
        let fields: Vec<&[u8]> = out.split(|&b| b == 0).map(<[u8]>::trim_ascii).collect();
        Ok(fields
            .chunks_exact(3)
            .filter_map(|f| {
                let name = std::str::from_utf8(f[0]).ok()?.to_string();
                let date = std::str::from_utf8(f[1]).ok().and_then(|d| d.parse().ok());
                let time = std::str::from_utf8(f[2]).ok().and_then(|t| t.parse().ok());
                Some(Tag { name, date, time })
            })
            .collect())
    }

    /// Whether git tracks any file at or under `path` (relative to the site root), in any
    /// case of its letters: on a file system that ignores case, `.Planboek-Cache/` is the
    /// same folder.
    pub fn tracks(&self, path: &str) -> Result<bool, GitError> {
        self.run(&["ls-files", "-z", "--", &format!(":(icase){path}")]).map(|out| !out.is_empty())
    }

    /// The commit id of `rev`, or None when it names no commit.
    pub fn commit(&self, rev: &str) -> Option<String> {
        let spec = format!("{rev}^{{commit}}");
        self.text(&["rev-parse", "--verify", "--quiet", "--end-of-options", &spec]).ok().map(|s| s.trim().to_string())
    }

    /// The committer date of a commit, and the same moment in seconds since 1970.
    pub fn commit_time(&self, commit: &str) -> Option<(Option<Date>, i64)> {
        let out = self.text(&["log", "-1", "--format=%cs %ct", commit, "--"]).ok()?;
        let (date, time) = out.trim().split_once(' ')?;
        Some((date.parse().ok(), time.parse().ok()?))
    }

    /// Whether commit `ancestor` is `descendant` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: &str, descendant: &str) -> bool {
        self.run(&["merge-base", "--is-ancestor", ancestor, descendant]).is_ok()
    }

    /// The tree id of the site's `dir` folder at `commit`; None when it has none.
    pub fn tree(&self, commit: &str, dir: &str) -> Option<String> {
        let spec = format!("{commit}:./{dir}");
        self.text(&["rev-parse", "--verify", "--quiet", "--end-of-options", &spec]).ok().map(|s| s.trim().to_string())
    }

    /// Every file of tree `tree`, read on demand (path relative to it → blob), and the
    /// symbolic links that were not followed. Names that are not UTF-8 are left out, as the
    /// walk of a folder on disk does. A symbolic link to a file of the same tree is read as
    /// that file, as on disk; one leading out of the tree (or to a folder, or nowhere) is not
    /// followed, since what it points at is not part of the version. No file's bytes are
    /// kept in memory: a version's content can be larger than everything else a build
    /// holds; `store` keeps them on disk.
    pub fn read_tree(&self, tree: &str, store: Option<Arc<BlobStore>>) -> Result<(GitTree, Vec<String>), GitError> {
        // --full-tree: from a site in a subfolder, ls-tree would list only paths under it.
        let listing = self.run(&["ls-tree", "--full-tree", "-r", "-z", tree])?;
        let mut blobs = BTreeMap::new();
        let mut links = Vec::new();
        for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
            let Some(tab) = entry.iter().position(|&b| b == b'\t') else { continue };
            let (Ok(head), Ok(path)) = (std::str::from_utf8(&entry[..tab]), std::str::from_utf8(&entry[tab + 1..]))
            else {
                continue;
            };
            let mut parts = head.split(' ');
            let (mode, kind, id) = (parts.next(), parts.next(), parts.next());
            match (mode, kind, id) {
                (Some("120000"), _, Some(id)) => links.push((id.to_string(), path.to_string())),
                (_, Some("blob"), Some(id)) => {
                    blobs.insert(path.to_string(), id.to_string());
                }
                _ => {}
            }
        }
        let mut cat = CatFile::start(self)?;
        let mut refused = Vec::new();
        let mut found = Vec::new();
        for (id, link) in links {
            let dir = link.rsplit_once('/').map_or("", |(d, _)| d);
            let target = cat.read(&id).map_err(|e| GitError::Failed(e.to_string()))?;
            let target = std::str::from_utf8(&target).ok().filter(|t| !t.starts_with('/'));
            let key = target.and_then(|t| crate::util::url::join(&format!("{dir}/x"), t));
            match key.and_then(|key| blobs.get(&key).cloned()) {
                Some(blob) => found.push((link, blob)),
                None => refused.push(link),
            }
        }
        blobs.extend(found);
        Ok((GitTree { blobs, cat: Mutex::new(cat), store }, refused))
    }

    /// For every file under `dir` at `commit` (path from the site root, `content/p/x.md`):
    /// its last change, from one `git log -z` pass.
    pub fn last_changes(&self, commit: &str, dir: &str) -> Result<HashMap<String, LastChange>, GitError> {
        let prefix = self.text(&["rev-parse", "--show-prefix"])?;
        let prefix = prefix.trim();
        let args = ["log", "-z", "--no-renames", "--format=%x01%cs%x09%an", "--name-only", commit, "--", dir];
        Ok(parse_log(&self.run(&args)?, prefix))
    }
}

/// Reads `git log -z --format=%x01%cs%x09%an --name-only`: a header `\x01date\tauthor`, then
/// the commit's paths, each ended by NUL (the first after a line break).
fn parse_log(log: &[u8], prefix: &str) -> HashMap<String, LastChange> {
    let mut out = HashMap::new();
    let mut current = None;
    for field in log.split(|&b| b == 0) {
        let Ok(field) = std::str::from_utf8(field) else { continue };
        if let Some(head) = field.strip_prefix('\u{1}') {
            let (date, author) = head.split_once('\t').unwrap_or((head, ""));
            current = date.parse::<Date>().ok().map(|date| LastChange { date, author: author.to_string() });
        } else if let Some(change) = &current {
            let path = field.trim_start_matches('\n');
            if path.is_empty() {
                continue;
            }
            // git prints paths from the repository root; the model's are from the site root.
            let path = path.strip_prefix(prefix).unwrap_or(path);
            out.entry(path.to_string()).or_insert_with(|| change.clone());
        }
    }
    out
}

fn spawn_error(e: std::io::Error) -> GitError {
    if e.kind() == std::io::ErrorKind::NotFound {
        GitError::NotInstalled
    } else {
        GitError::Failed(format!("cannot run git: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_with_non_ascii_names() {
        let log = b"\x012026-11-30\tAnn B\0\ncontent/p/b.md\0\x012026-11-01\tX\0\ncontent/p/b.md\0content/p/financi\xc3\xabn.md\0";
        let changes = parse_log(log, "");
        assert_eq!(changes["content/p/b.md"].author, "Ann B");
        assert_eq!(changes["content/p/financiën.md"].date.to_string(), "2026-11-01");
        let nested = parse_log(b"\x012026-01-01\tX\0\nsite/content/a.md\0", "site/");
        assert!(nested.contains_key("content/a.md"));
    }
}
