//! Writing a build safely: into a staging folder beside the output folder, swapped into
//! place only when the whole build succeeded, so a failed or interrupted build leaves the
//! old output intact; and never over a folder holding anything planboek did not write.

#[cfg(unix)]
mod folders;
pub mod inputs;
pub mod kept;
mod manifest;
mod owned;
mod place;
mod recycle;
mod reuse;
mod swap;
mod write;

pub use manifest::{update as update_manifest, FileEntry, Listed, Manifest, MANIFEST};
pub use owned::check_owned;
pub use reuse::Beneath;
pub use swap::recover;
pub use write::write_atomic;
use write::{write_file, write_into};

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// The file that marks a folder as planboek's output, so that planboek never replaces a
/// folder it did not write.
pub const MARKER: &str = ".planboek-output";

/// Written by a versioned build into each cache entry it uses; planboek's own, but not a
/// file of the build, so not in the manifest.
pub const STAMP: &str = ".planboek-used";

/// Each page's search analysis, for the next build into the folder (`search::saved`);
/// planboek's own, not a file of the handbook.
pub const SEARCH_SAVED: &str = ".planboek-search";

/// The search index itself, for the next build into the folder to patch
/// (`search::snapshot`); planboek's own, not a file of the handbook.
pub const SEARCH_INDEX: &str = ".planboek-search-index";

/// What each plan of the output was made from and what it holds, for the next build's reuse
/// (`pipeline::kept_plans`); planboek's own, not in the manifest.
pub const PLANS_KEPT: &str = ".planboek-plans";

/// What the marker says.
const MARKER_TEXT: &str = "This folder is written by planboek build; it is replaced on each build.\n";

/// planboek's own files in the root of an output folder, which its manifest does not list.
const OWN_FILES: [&str; 7] = [MARKER, MANIFEST, STAMP, inputs::INPUTS, SEARCH_SAVED, SEARCH_INDEX, PLANS_KEPT];

/// Why an output folder is refused, and how to proceed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub message: String,
    pub help: Option<String>,
}

impl Refused {
    fn new(message: String) -> Refused {
        Refused { message, help: None }
    }
}

/// An output folder found safe to replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The folder, absolute.
    pub path: PathBuf,
    /// The leftover of an interrupted build that was put back as the output folder first.
    pub restored: Option<PathBuf>,
    /// The folder lies inside the site root (as the default `site/` does), where a pushed
    /// repository could have put anything.
    pub inside_root: bool,
    /// The folder held only planboek's files (or did not exist) when it was checked.
    pub owned: bool,
}

/// `path` made absolute and free of `.`/`..` and symbolic links as far as it exists.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let abs = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Canonicalize the longest existing ancestor, then add back what does not exist yet.
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_owned()),
            None => break,
        }
        existing.pop();
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    out.extend(rest.iter().rev());
    Ok(out)
}

/// Refuses an output folder that would overwrite the sources (the site root itself, a
/// folder holding it, a folder inside `content/` or `themes/`) or, unless `force`, a folder
/// holding anything planboek did not write. First puts back the output of a build that was
/// interrupted while swapping it in, so that nothing is judged, or lost, without it.
pub fn check_out_dir(root: &Path, out: &Path, force: bool) -> Result<Checked, Refused> {
    let io = |e: io::Error| Refused::new(format!("cannot resolve {}: {e}", out.display()));
    let root = resolve(root).map_err(io)?;
    let out_abs = resolve(out).map_err(io)?;
    let shown = out.display();
    if out_abs == root {
        return Err(Refused::new(format!("output folder {shown} is the site root")));
    }
    if root.starts_with(&out_abs) {
        return Err(Refused::new(format!("output folder {shown} contains the site root")));
    }
    for protected in ["content", "themes"] {
        if out_abs.starts_with(root.join(protected)) {
            return Err(Refused::new(format!("output folder {shown} lies inside {protected}/")));
        }
    }
    let restored = recover(&out_abs)
        .map_err(|e| Refused::new(format!("cannot restore the output of an interrupted build into {shown}: {e}")))?;
    if out_abs.exists() {
        if !out_abs.is_dir() {
            return Err(Refused::new(format!("output path {shown} exists and is not a folder")));
        }
        if !force {
            check_owned(&out_abs).map_err(|why| Refused {
                message: format!("output folder {shown} {why}; a build replaces the whole folder"),
                help: Some(format!(
                    "move them out, or build into another folder with -o; `planboek build --force` replaces {shown} anyway, with everything in it"
                )),
            })?;
        }
    }
    let inside_root = out_abs.starts_with(&root);
    // Without `force` a folder that is not planboek's was refused above.
    let owned = !out_abs.exists() || !force || check_owned(&out_abs).is_ok();
    Ok(Checked { path: out_abs, restored, inside_root, owned })
}

/// A build in progress: files go to a hidden sibling of the output folder, and each one is
/// recorded for the manifest.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// `out` held only planboek's files when the build started, so it must still at the swap:
    /// a file added while building is not deleted with it.
    owned_at_start: bool,
    files: Mutex<BTreeMap<String, FileEntry>>,
    /// The folders made so far under `dir`: each is created once.
    folders: Mutex<HashSet<PathBuf>>,
    /// Makes them where the previous build's did not lie (`place`).
    placer: Mutex<place::Placer>,
    /// The output being replaced, whose unchanged files are linked instead of written.
    previous: Option<reuse::Previous>,
    /// How far `previous` may be believed; nothing until the caller says (`trust`).
    trust: Trust,
    /// Folders of planboek's own to move in whole at the commit (`adopt`), and where the
    /// manifest finds their files.
    moves: Mutex<Vec<(PathBuf, Listed)>>,
    /// The output an earlier build replaced, which this build is made over (`recycle`).
    recycled: Option<recycle::Recycled>,
    /// Whether the output this build replaces is kept for the next build to be made over.
    keep_replaced: bool,
    done: bool,
}

/// How far a build may believe the output it replaces or is made beside. Its pages are
/// linked at any level only when they hold the new bytes; what differs is what is taken
/// without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Trust {
    /// Only its pages, compared byte for byte: a folder inside the repository, which a pushed
    /// commit could have filled (`site/`).
    Nothing,
    /// Also planboek's own files of it (kept search analyses): a versions cache entry, which
    /// git does not track (`versions::cache_is_own`), but whose pages are still compared.
    OwnFiles,
    /// Also a file not written since its manifest listed it is taken to hold what the
    /// manifest says, unread: planboek's own folder outside the repository.
    Listed,
}

/// Makes the staging folder `dir`, its folders to be spread over the disk.
fn make_staging_folder(dir: &Path) -> io::Result<()> {
    fs::create_dir(dir)?;
    spread(dir);
    Ok(())
}

/// Asks the file system to spread the folders made in `dir` (`folders::spread`).
fn spread(dir: &Path) {
    #[cfg(unix)]
    folders::spread(dir);
    #[cfg(not(unix))]
    let _ = dir;
}

impl Staging {
    /// Starts a build for the output folder `out` (checked with `check_out_dir`, or a folder
    /// of planboek's own: a cache entry, a preview).
    pub fn new(out: &Path) -> io::Result<Staging> {
        Staging::starting(out, None)
    }

    /// `new`, for an output folder whose ownership (`Checked::owned`) is known when given,
    /// so that a large folder is not walked once more to find it out.
    pub fn starting(out: &Path, owned: Option<bool>) -> io::Result<Staging> {
        Staging::starting_reusing(out, owned, None)
    }

    /// `starting`, reusing only the previous output's files whose paths `reuse` accepts: a
    /// versioned build writes only the root's files itself and places its versions' folders
    /// whole, so it need not hold the entries of every page of every version.
    pub fn starting_reusing(
        out: &Path,
        owned: Option<bool>,
        reuse: Option<&dyn Fn(&str) -> bool>,
    ) -> io::Result<Staging> {
        let parent = out.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        recover(out)?;
        swap::remove_stale(out);
        let dir = swap::sibling(out, "new");
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        make_staging_folder(&dir)?;
        fs::write(dir.join(MARKER), MARKER_TEXT)?;
        let owned_at_start = owned.unwrap_or_else(|| !out.exists() || check_owned(out).is_ok());
        let previous = match reuse {
            None => reuse::Previous::open(out),
            Some(reuse) => reuse::Previous::open_only(out, reuse),
        };
        let previous = previous.map(|p| p.with_mode(&dir.join(MARKER)));
        let placer = Mutex::new(place::Placer::new(&dir));
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            owned_at_start,
            files: Mutex::default(),
            folders: Mutex::default(),
            placer,
            previous,
            trust: Trust::Nothing,
            moves: Mutex::default(),
            recycled: None,
            keep_replaced: false,
            done: false,
        })
    }

    /// Takes unchanged files from `dir`, a finished output of planboek's, rather than from
    /// the folder being replaced.
    pub fn reuse_from(&mut self, dir: &Path) {
        self.previous = reuse::Previous::open(dir).map(|p| p.with_mode(&self.dir.join(MARKER)));
    }

    /// Says how far the previous output may be believed: only the caller knows where it
    /// lies, and a build that is not told believes nothing of it.
    pub fn trust(&mut self, trust: Trust) {
        self.trust = trust;
    }

    /// The previous output as a folder to read planboek's own files from (its pages are
    /// only ever linked when their bytes are the new ones); None where they may not be read.
    pub fn previous_files(&self) -> Option<Beneath> {
        self.previous.as_ref().filter(|_| self.trust >= Trust::OwnFiles)?.beneath()
    }

    /// Whether the build replaces (or is made beside) an output of planboek's whose own
    /// files it may read: only then is keeping a file for the next build worth its cost.
    pub fn reads_own_files(&self) -> bool {
        self.trust >= Trust::OwnFiles && self.previous.is_some()
    }

    /// Creates planboek's own file `name` in the root of the build: not in the manifest.
    pub fn create_own(&self, name: &str) -> io::Result<fs::File> {
        fs::File::create_new(self.dir.join(name))
    }

    fn record(&self, key: String, entry: FileEntry) {
        self.files.lock().unwrap_or_else(PoisonError::into_inner).insert(key, entry);
    }

    /// Makes the folder that will hold `rel`, unless an earlier file made it.
    fn make_parent(&self, rel: &str) -> io::Result<()> {
        match reuse::parent_of(&self.dir, rel) {
            Some(parent) => self.make_folder(parent),
            None => Ok(()),
        }
    }

    /// Makes the folder `folder` of the staging folder, unless an earlier file made it.
    fn make_folder(&self, folder: PathBuf) -> io::Result<()> {
        let mut made = self.folders.lock().unwrap_or_else(PoisonError::into_inner);
        if !made.contains(&folder) {
            self.placer.lock().unwrap_or_else(PoisonError::into_inner).make_all(&folder)?;
            made.insert(folder);
        }
        Ok(())
    }

    /// Makes the folder `rel` (unless it is made) so that the folders made in it are spread
    /// over the disk, as the staging folder's are: for a folder that will hold many folders
    /// of new files. Others stay near their parent, since placing a spread folder weighs
    /// every group of the disk (about 0.1 ms each on ext4 here).
    pub fn spread_folder(&self, rel: &str) -> io::Result<()> {
        let folder = self.dir.join(rel);
        self.make_folder(folder.clone())?;
        spread(&folder);
        self.placer.lock().unwrap_or_else(PoisonError::into_inner).spreads(&folder);
        Ok(())
    }

    /// Writes `bytes` to `rel` (a `/`-separated path under the output root): a hard link to
    /// the previous output's file when that holds these very bytes (read and compared, or,
    /// with `Trust::Listed`, listed with their hash and not written since), else one new
    /// file. Returns the file's manifest entry.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<FileEntry> {
        let path = self.dir.join(rel);
        let entry = FileEntry::of(bytes);
        let key = manifest::slash_rel(Path::new(rel));
        if self.settled(&key, &entry, &path)? {
            return Ok(entry);
        }
        self.clearing(&key, || self.make_parent(rel))?;
        if !self.previous.as_ref().is_some_and(|p| p.link_same(&key, &entry, bytes, &path, self.trust == Trust::Listed))
        {
            self.clearing(&key, || write_new(&path, bytes))?;
        }
        self.record(key, entry.clone());
        Ok(entry)
    }

    /// A digest of the paths and contents of the files written so far under the folder
    /// `folder` (`_search`, say): it changes whenever one of them does. A page names it in
    /// the addresses of the files it loads, so that a browser never puts together files of
    /// two builds it kept copies of.
    pub fn digest_of_folder(&self, folder: &str) -> blake3::Hash {
        let prefix = format!("{folder}/");
        let files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        let mut h = blake3::Hasher::new();
        for (rel, entry) in files.range(prefix.clone()..).take_while(|(rel, _)| rel.starts_with(&prefix)) {
            h.update(&(rel.len() as u64).to_le_bytes()).update(rel.as_bytes()).update(entry.blake3.as_bytes());
        }
        h.finalize()
    }

    /// Whether the previous output lists `rel` as `entry` and its own files may be read:
    /// what `link_listed` needs.
    pub fn previous_lists(&self, rel: &str, entry: &FileEntry) -> bool {
        self.trust >= Trust::OwnFiles && self.previous.as_ref().is_some_and(|p| p.lists(rel, entry))
    }

    /// Hard-links the previous output's files `files` (path and entry, as its manifest lists
    /// them): for files this build would make from exactly the inputs the previous build
    /// made them from (`pipeline::kept_plans`). Unread where the previous output is taken at
    /// its manifest's word (`Trust::Listed`), else read and hashed (a versions cache entry).
    /// Each folder's files are linked through one descriptor of the folder. False, when a
    /// file is not what the manifest says (`reuse::Previous::link_listed`,
    /// `link_hashed`): those linked before it stay, for the caller to write over.
    pub fn link_listed(&self, files: &[(String, FileEntry)]) -> bool {
        let Some(previous) = self.previous.as_ref().filter(|_| self.trust >= Trust::OwnFiles) else { return false };
        let unread = self.trust == Trust::Listed;
        let mut open: Option<(&str, reuse::Folder)> = None;
        for (rel, entry) in files {
            let to = self.dir.join(rel);
            match self.settled(rel, entry, &to) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(_) => return false,
            }
            let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
            if !matches!(&open, Some((f, _)) if *f == folder) {
                let Some(fd) = previous.folder(folder) else { return false };
                open = Some((folder, fd));
            }
            let Some((_, fd)) = &open else { return false };
            if self.make_parent(rel).is_err() {
                return false;
            }
            let linked = if unread {
                previous.link_listed(fd, name, rel, entry, &to)
            } else {
                previous.link_hashed(fd, name, rel, entry, &to)
            };
            if !linked {
                return false;
            }
            self.record(rel.clone(), entry.clone());
        }
        true
    }

    /// The previous output's file `rel`, listed as `entry` and at most `limit` bytes long,
    /// read whole and checked against the entry's hash: for a file a build takes part of (a
    /// version's print edition takes the texts of its predecessor's). None where the previous
    /// output's files may not be read.
    pub fn read_previous(&self, rel: &str, entry: &FileEntry, limit: u64) -> Option<Vec<u8>> {
        self.previous.as_ref().filter(|_| self.trust >= Trust::OwnFiles)?.read_hashed(rel, entry, limit)
    }

    /// Takes the previous output's file `rel` as its manifest lists it (`link_listed`): for
    /// a file this build would make from exactly what the previous build made it from.
    /// False when it is not what the manifest says.
    pub fn link_previous(&self, rel: &str) -> bool {
        let listed = self.previous.as_ref().filter(|_| self.trust >= Trust::OwnFiles).and_then(|p| p.entry(rel));
        listed.is_some_and(|entry| self.link_listed(&[(rel.to_string(), entry.clone())]))
    }

    /// Copies the file `from` to `rel` under the output root.
    pub fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        self.write(rel, &fs::read(from)?).map(|_| ())
    }

    /// Hard-links the file `from` (whose entry is `known`, when its manifest gives it) to
    /// `rel` under the output root, or copies it when the file systems differ.
    pub fn link(&self, from: &Path, rel: &str, known: Option<&FileEntry>) -> io::Result<()> {
        let entry = match known {
            Some(e) => e.clone(),
            None => FileEntry::of(&fs::read(from)?),
        };
        let path = self.dir.join(rel);
        let key = manifest::slash_rel(Path::new(rel));
        if self.settled(&key, &entry, &path)? {
            return Ok(());
        }
        self.clearing(&key, || self.make_parent(rel))?;
        if fs::hard_link(from, &path).is_err() {
            self.clearing(&key, || write_new(&path, &fs::read(from)?))?;
        }
        self.record(key, entry);
        Ok(())
    }

    /// Moves the folder `from` to `rel` under the output root when the build is committed,
    /// its files those of the manifest in `listed_in` but for `skip` (read again at the
    /// commit, not held): one rename instead of a link per file. `from` must be planboek's
    /// own (a cache entry of this build, or a folder of the output being replaced, which
    /// loses it); a commit that fails puts it back. Fails, changing nothing, when `from` is
    /// on another file system than the output.
    pub fn adopt(&self, from: &Path, rel: &str, listed_in: &Path, skip: &'static [&'static str]) -> io::Result<()> {
        if !same_file_system(from, &self.dir) {
            return Err(io::Error::other("the folder is on another file system"));
        }
        if self.recycled.is_some() {
            return Err(io::Error::other("the build is made over an earlier output"));
        }
        self.make_parent(rel)?;
        let listed = Listed { rel: manifest::slash_rel(Path::new(rel)), listed_in: listed_in.to_path_buf(), skip };
        self.moves.lock().unwrap_or_else(PoisonError::into_inner).push((from.to_path_buf(), listed));
        Ok(())
    }

    /// Writes the manifest and swaps the finished build into place; the previous output is
    /// removed once it is out of the way. Adopted folders are moved in last, just before the
    /// swap, so that the output they leave misses them for as short a time as can be.
    pub fn commit(mut self) -> io::Result<()> {
        let files = std::mem::take(&mut *self.files.lock().unwrap_or_else(PoisonError::into_inner));
        let moves = std::mem::take(&mut *self.moves.lock().unwrap_or_else(PoisonError::into_inner));
        let listed: Vec<Listed> = moves.iter().map(|(_, l)| l.clone()).collect();
        match &self.recycled {
            Some(recycled) => recycled.sweep(&self.dir, &files)?,
            None if !self.keep_replaced => recycle::discard(&recycle::spare_of(&self.out)),
            None => {}
        }
        manifest::write_merged(&self.dir, &files, &listed)?;
        // A folder that lists itself (a build's scratch folder) loses its bookkeeping files.
        for (from, to) in moves.iter().filter(|(from, to)| *from == to.listed_in) {
            for name in to.skip {
                let _ = fs::remove_file(from.join(name));
            }
        }
        if self.owned_at_start && self.out.exists() {
            // Folders of the output that are moved into the new one were checked file by file
            // when they were adopted (`kept::is_linked_copy`).
            let kept: Vec<&str> =
                moves.iter().filter(|(from, l)| *from == self.out.join(&l.rel)).map(|(_, l)| l.rel.as_str()).collect();
            // The manifest the build started from, when it is still the output's, tells what
            // is planboek's without another read of it.
            let listed = self.previous.as_ref().and_then(|p| p.whole_listing_of(&self.out));
            let owned = match listed {
                Some(listed) => owned::check_still_owned_but(&self.out, listed, &kept),
                None => owned::check_owned_but(&self.out, &kept),
            };
            if let Err(why) = owned {
                let shown = self.out.display();
                return Err(io::Error::other(format!("{shown} changed during the build and now {why}")));
            }
        }
        let moved = move_in(&self.dir, &moves)?;
        let keep = |old: &Path| {
            self.keep_replaced && self.previous.as_ref().is_some_and(|p| recycle::keep(old, &self.out, p, &files))
        };
        if let Err(e) = swap::swap_in(&self.dir, &self.out, &keep) {
            put_back(&self.dir, &moves[..moved]);
            return Err(e);
        }
        self.done = true;
        Ok(())
    }
}

/// Whether `a` and `b` are on one file system, so that a rename moves between them.
#[cfg(unix)]
fn same_file_system(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    matches!((fs::metadata(a), fs::metadata(b)), (Ok(a), Ok(b)) if a.dev() == b.dev())
}

#[cfg(not(unix))]
fn same_file_system(_: &Path, _: &Path) -> bool {
    false
}

/// Renames each (from, rel) of `moves` to `rel` under `dir`; how many it moved, or the first
/// error after putting back those it had moved.
fn move_in(dir: &Path, moves: &[(PathBuf, Listed)]) -> io::Result<usize> {
    for (done, (from, to)) in moves.iter().enumerate() {
        if let Err(e) = fs::rename(from, dir.join(&to.rel)) {
            put_back(dir, &moves[..done]);
            return Err(e);
        }
    }
    Ok(moves.len())
}

/// Undoes `move_in` for `moves`, as far as it can.
fn put_back(dir: &Path, moves: &[(PathBuf, Listed)]) {
    for (from, to) in moves {
        let _ = fs::rename(dir.join(&to.rel), from);
    }
}

/// Writes `bytes` into a new file at `path`. A file already there (a path written twice) is
/// replaced, never written through: it may be a link to a file of the previous output.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = match fs::File::create_new(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            fs::File::create_new(path)?
        }
        other => other?,
    };
    write_into(&mut file, bytes)
}

impl Drop for Staging {
    /// A build that did not commit leaves no staging folder behind.
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests;
