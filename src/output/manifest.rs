//! What planboek wrote into an output folder: every file's path with the blake3 hash and
//! size of its bytes, kept in `.planboek-manifest.json` beside the marker. It tells
//! planboek's own files from anyone else's before a folder is replaced, marks a staging
//! folder as complete, and lets a later build reuse a file whose bytes it would write again
//! (same path, same hash: hard-link the old file instead of writing it).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path};

/// The manifest's file name, in the root of the output folder.
pub const MANIFEST: &str = ".planboek-manifest.json";

/// The format written; a reader refuses any other.
const FORMAT: u32 = 1;

/// One file planboek wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// blake3 of the file's bytes; 64 lowercase hex digits in the file. Kept as its 32 bytes:
    /// the manifest of ten versions of a large handbook lists some 400,000 files.
    #[serde(with = "hex_hash")]
    pub blake3: blake3::Hash,
    /// Its size in bytes: a cheap check that the file is still the one written.
    pub size: u64,
}

impl FileEntry {
    pub fn of(bytes: &[u8]) -> FileEntry {
        FileEntry { blake3: blake3::hash(bytes), size: bytes.len() as u64 }
    }
}

/// A blake3 hash as the manifest spells it: 64 hex digits.
mod hex_hash {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};
    use std::borrow::Cow;

    pub fn serialize<S: Serializer>(hash: &blake3::Hash, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hash.to_hex())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<blake3::Hash, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        blake3::Hash::from_hex(text.as_bytes()).map_err(D::Error::custom)
    }
}

/// Every file of an output folder, by its `/`-separated path under the root. The marker, the
/// manifest itself and a cache entry's use stamp are not listed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub planboek_manifest: u32,
    pub files: BTreeMap<String, FileEntry>,
}

impl Manifest {
    pub fn new(files: BTreeMap<String, FileEntry>) -> Manifest {
        Manifest { planboek_manifest: FORMAT, files }
    }

    /// The manifest of the output folder `dir`; None when it has none.
    pub fn read(dir: &Path) -> io::Result<Option<Manifest>> {
        let bytes = match fs::read(dir.join(MANIFEST)) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let invalid = |why: String| io::Error::new(io::ErrorKind::InvalidData, format!("{MANIFEST}: {why}"));
        let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| invalid(e.to_string()))?;
        if manifest.planboek_manifest != FORMAT {
            return Err(invalid(format!("unknown format {}", manifest.planboek_manifest)));
        }
        Ok(Some(manifest))
    }

    /// Writes the manifest into `dir`, replacing any by rename so that a reader never sees
    /// half of one: a staging folder with a manifest is complete.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        // One file per line, sorted: deterministic, and readable in a diff. Streamed: the
        // text of a large versioned tree's manifest runs to tens of megabytes.
        let tmp = dir.join(format!("{MANIFEST}.tmp"));
        let mut text = io::BufWriter::new(fs::File::create(&tmp)?);
        write!(text, "{{\"planboek_manifest\":{FORMAT},\"files\":{{")?;
        for (i, (path, entry)) in self.files.iter().enumerate() {
            text.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            serde_json::to_writer(&mut text, path).map_err(io::Error::other)?;
            text.write_all(b":")?;
            serde_json::to_writer(&mut text, entry).map_err(io::Error::other)?;
        }
        text.write_all(b"\n}}\n")?;
        text.into_inner().map_err(io::IntoInnerError::into_error)?;
        fs::rename(&tmp, dir.join(MANIFEST))
    }

    /// Whether every listed file is in `dir` with its recorded size: the folder is a
    /// complete build.
    pub fn is_complete_in(&self, dir: &Path) -> bool {
        self.files.iter().all(|(rel, e)| fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.len() == e.size))
    }
}

/// Records files rewritten in place in the output folder `dir` (serve's page rebuilds) and
/// files `removed` from it, so that its manifest keeps telling the truth about every file.
pub fn update(dir: &Path, written: &[(String, FileEntry)], removed: &[String]) -> io::Result<()> {
    let Some(mut manifest) = Manifest::read(dir)? else { return Ok(()) };
    for (rel, entry) in written {
        manifest.files.insert(rel.clone(), entry.clone());
    }
    for rel in removed {
        manifest.files.remove(rel);
    }
    manifest.write(dir)
}

/// `rel` as the manifest names it: its normal components joined by `/`.
pub fn slash_rel(rel: &Path) -> String {
    let parts: Vec<_> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_completeness() {
        let t = tempfile::tempdir().expect("tempdir");
        let dir = t.path();
        fs::create_dir_all(dir.join("a")).expect("mkdir");
        fs::write(dir.join("a/b c.html"), "één").expect("write");
        let mut files = BTreeMap::new();
        files.insert("a/b c.html".to_string(), FileEntry::of("één".as_bytes()));
        files.insert("regel\nbreuk.txt".to_string(), FileEntry::of(b""));
        let m = Manifest::new(files);
        m.write(dir).expect("write manifest");
        assert_eq!(Manifest::read(dir).expect("read"), Some(m.clone()));
        assert!(!m.is_complete_in(dir), "a listed file is missing");
        fs::write(dir.join("regel\nbreuk.txt"), "").expect("write");
        assert!(m.is_complete_in(dir));
        fs::write(dir.join("a/b c.html"), "changed").expect("write");
        assert!(!m.is_complete_in(dir), "a file of another size");
        assert_eq!(Manifest::read(&dir.join("a")).expect("read"), None);
        fs::write(dir.join(MANIFEST), "{\"planboek_manifest\":9,\"files\":{}}").expect("write");
        assert!(Manifest::read(dir).is_err(), "an unknown format is an error");
        for hash in ["\"zz\"", "\"ab\"", "12", "null"] {
            let text = format!("{{\"planboek_manifest\":1,\"files\":{{\"a\":{{\"blake3\":{hash},\"size\":1}}}}}}");
            fs::write(dir.join(MANIFEST), text).expect("write");
            assert!(Manifest::read(dir).is_err(), "a hash of {hash} is an error");
        }
        let hex = blake3::hash(b"x").to_hex();
        let text = format!("{{\"planboek_manifest\":1,\"files\":{{\"a\":{{\"blake3\":\"{hex}\",\"size\":1}}}}}}");
        fs::write(dir.join(MANIFEST), text).expect("write");
        let read = Manifest::read(dir).expect("read").expect("some");
        assert_eq!(read.files["a"], FileEntry::of(b"x"), "the hex digits are the hash");
    }

    #[test]
    fn update_replaces_entries() {
        let t = tempfile::tempdir().expect("tempdir");
        Manifest::new(BTreeMap::from([("x.html".to_string(), FileEntry::of(b"1"))])).write(t.path()).expect("write");
        update(t.path(), &[("x.html".to_string(), FileEntry::of(b"22"))], &[]).expect("update");
        let m = Manifest::read(t.path()).expect("read").expect("some");
        assert_eq!(m.files["x.html"], FileEntry::of(b"22"));
        assert_eq!(slash_rel(Path::new("./a/b.html")), "a/b.html");
        update(t.path(), &[("y.html".to_string(), FileEntry::of(b"3"))], &["x.html".to_string()]).expect("forget");
        let m = Manifest::read(t.path()).expect("read").expect("some");
        assert_eq!(m.files.keys().collect::<Vec<_>>(), ["y.html"]);
    }
}
