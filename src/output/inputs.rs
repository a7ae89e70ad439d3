//! The record of what a finished output was built from: `.planboek-inputs` in the output's
//! root holds the digest of the build's inputs (`pipeline::fingerprint`), how many pages it
//! wrote and what it found. Written once the output is in place, it lets the next build from
//! the same inputs keep the folder, as long as nothing in it changed since.

use super::manifest::{slash_rel, Manifest};
use super::write_file;
use super::OWN_FILES;
use std::fs;
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

/// The record's file name, in the root of the output folder.
pub const INPUTS: &str = ".planboek-inputs";

/// The record's first line; a reader ignores a record of any other format. Then the
/// inputs, the number of pages and the length of the findings, each on a line of its own,
/// and the findings' bytes.
const FORMAT: &str = "planboek-inputs 4";

/// Longer than a tick of the clock file times are taken from (a few milliseconds, the
/// kernel's timer tick), so that everything the build did is dated before the record.
const TICK: Duration = Duration::from_millis(20);

/// What a record says of the build that made the output.
#[derive(Debug, PartialEq, Eq)]
pub struct Recorded {
    pub pages: usize,
    /// The build's findings, as the caller gave them.
    pub findings: Vec<u8>,
}

/// A record made, to be written once the output it describes is in place.
#[derive(Debug)]
pub struct Record(Vec<u8>);

impl Record {
    /// The record of an output built from `inputs` (one line), holding `pages` pages, whose
    /// build found what `findings` says (any bytes).
    pub fn new(inputs: &str, pages: usize, findings: &[u8]) -> io::Result<Record> {
        if inputs.contains('\n') {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "inputs must be one line"));
        }
        let mut text = format!("{FORMAT}\n{inputs}\n{pages}\n{}\n", findings.len()).into_bytes();
        text.extend_from_slice(findings);
        Ok(Record(text))
    }

    /// Writes the record into `dir`, the output it describes, which was put in place at
    /// `placed`: a tick after that at the earliest, so that everything the build did is
    /// dated before the record.
    pub fn write(self, dir: &Path, placed: Instant) -> io::Result<()> {
        std::thread::sleep(TICK.saturating_sub(placed.elapsed()));
        // Written in place: a record cut short by a kill does not parse, and only costs the
        // next build its shortcut.
        write_file(&dir.join(INPUTS), &self.0)
    }
}

/// What the record in `dir` says, when the output was built from `inputs` and nothing in it
/// changed since: every file its manifest lists is there with its size, no file or folder
/// changed after the record was written, and there is nothing else. None otherwise.
pub fn current(dir: &Path, inputs: &str) -> Option<Recorded> {
    let meta = fs::symlink_metadata(dir.join(INPUTS)).ok().filter(|m| m.is_file())?;
    let recorded = parse(fs::read(dir.join(INPUTS)).ok()?, inputs)?;
    let manifest = Manifest::read(dir).ok()??;
    untouched(dir, &manifest, changed(&meta)?).then_some(recorded)
}

/// What a record `bytes` of `inputs` says.
fn parse(mut bytes: Vec<u8>, inputs: &str) -> Option<Recorded> {
    let mut at = 0;
    let mut line = || {
        let end = at + bytes[at..].iter().position(|&b| b == b'\n')?;
        let text = std::str::from_utf8(&bytes[at..end]).ok()?.to_string();
        at = end + 1;
        Some(text)
    };
    let (format, digest, pages, length) = (line()?, line()?, line()?, line()?);
    if format != FORMAT || digest != inputs || bytes.len() - at != length.parse::<usize>().ok()? {
        return None;
    }
    let pages = pages.parse().ok()?;
    bytes.drain(..at);
    Some(Recorded { pages, findings: bytes })
}

/// Whether `dir` holds exactly the files `manifest` lists (and planboek's own), none of
/// them nor any folder changed at or after `recorded`.
fn untouched(dir: &Path, manifest: &Manifest, recorded: (i64, i64)) -> bool {
    let mut listed = 0;
    for e in walkdir::WalkDir::new(dir).min_depth(1) {
        let Ok(e) = e else { return false };
        let name = manifest_name(dir, e.path());
        if e.depth() == 1 && name == INPUTS {
            continue;
        }
        let Ok(meta) = e.metadata() else { return false };
        if !changed(&meta).is_some_and(|at| at < recorded) {
            return false;
        }
        if e.file_type().is_dir() || (e.depth() == 1 && OWN_FILES.contains(&name.as_str())) {
            continue;
        }
        match manifest.files.get(&name) {
            Some(entry) if e.file_type().is_file() && entry.size == meta.len() => listed += 1,
            _ => return false,
        }
    }
    listed == manifest.files.len()
}

fn manifest_name(dir: &Path, path: &Path) -> String {
    slash_rel(path.strip_prefix(dir).unwrap_or(path))
}

/// When the file of `meta` last changed in any way (its inode's change time, which no
/// one can set back), as seconds and nanoseconds.
#[cfg(unix)]
fn changed(meta: &fs::Metadata) -> Option<(i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.ctime(), meta.ctime_nsec()))
}

/// Elsewhere there is no such time, and an output is always built anew.
#[cfg(not(unix))]
fn changed(_: &fs::Metadata) -> Option<(i64, i64)> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::output::manifest::FileEntry;
    use crate::output::MARKER;
    use std::collections::BTreeMap;

    /// A finished output of two files with its manifest and record.
    fn output(dir: &Path) {
        fs::create_dir_all(dir.join("plan")).expect("mkdir");
        fs::write(dir.join(MARKER), "").expect("marker");
        let mut files = BTreeMap::new();
        for (rel, text) in [("index.html", "home"), ("plan/a.html", "page a")] {
            fs::write(dir.join(rel), text).expect("write");
            files.insert(rel.to_string(), FileEntry::of(text.as_bytes()));
        }
        Manifest::new(files).write(dir).expect("manifest");
        Record::new("abc", 2, b"[]").and_then(|r| r.write(dir, Instant::now())).expect("record");
    }

    #[test]
    fn a_record_holds_while_nothing_changes() {
        let t = tempfile::tempdir().expect("tempdir");
        output(t.path());
        assert_eq!(current(t.path(), "abc"), Some(Recorded { pages: 2, findings: b"[]".to_vec() }));
        assert_eq!(current(t.path(), "abd"), None, "other inputs");
    }

    #[test]
    fn any_change_to_the_output_undoes_the_record() {
        type Change = (&'static str, fn(&Path));
        let changes: [Change; 6] = [
            ("an edit of the same size", |d| fs::write(d.join("plan/a.html"), "page b").expect("edit")),
            ("a file removed", |d| fs::remove_file(d.join("plan/a.html")).expect("rm")),
            ("a file added", |d| fs::write(d.join("plan/b.html"), "x").expect("add")),
            ("a folder added", |d| fs::create_dir(d.join("other")).expect("mkdir")),
            ("a mode changed", |d| {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(d.join("index.html"), fs::Permissions::from_mode(0o600)).expect("chmod")
            }),
            ("a record cut short", |d| fs::write(d.join(INPUTS), format!("{FORMAT}\nabc\n2\n2\n[")).expect("cut")),
        ];
        for (what, change) in changes {
            let t = tempfile::tempdir().expect("tempdir");
            output(t.path());
            change(t.path());
            assert_eq!(current(t.path(), "abc"), None, "{what}");
        }
    }

    #[test]
    fn records_of_other_formats_are_ignored() {
        let seven = Recorded { pages: 7, findings: b"[\n\0\xff]".to_vec() };
        let text = |t: &str| t.as_bytes().to_vec();
        assert_eq!(
            parse([text(&format!("{FORMAT}\nabc\n7\n5\n")), seven.findings.clone()].concat(), "abc"),
            Some(seven)
        );
        let texts = [
            "planboek-inputs 2\nabc\n7\n[]\n".to_string(),
            format!("{FORMAT}\nabd\n7\n2\n[]"),
            format!("{FORMAT}\nabc\n7\n"),
            format!("{FORMAT}\nabc\n7\n2\n[]\n"),
            format!("{FORMAT}\nabc\n7\n3\n[]"),
            format!("{FORMAT}\nabc\nx\n2\n[]"),
            format!("{FORMAT}\nabc\n7\n-1\n[]"),
        ];
        for t in texts {
            assert_eq!(parse(text(&t), "abc"), None, "{t:?}");
        }
    }

    #[test]
    fn inputs_of_more_than_one_line_are_not_recorded() {
        assert!(Record::new("abc\n", 1, b"[]").is_err());
    }
}
