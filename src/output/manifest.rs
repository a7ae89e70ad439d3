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

    pub fn serialize<S: Serializer>(hash: &blake3::Hash, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hash.to_hex())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<blake3::Hash, D::Error> {
        let text = super::Text::deserialize(d)?;
        blake3::Hash::from_hex(text.0.as_bytes()).map_err(D::Error::custom)
    }
}

/// A string of the manifest, borrowed from its bytes where it has no escapes: `Cow<str>`
/// itself always copies, and a large manifest holds some 800,000 strings.
struct Text<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(v.to_owned().into()))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(v.into()))
            }
        }
        d.deserialize_str(V)
    }
}

/// Reading a manifest with only some of its files (`Manifest::read_only`).
mod filtered {
    use super::{FileEntry, Manifest, Text};
    use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
    use std::collections::BTreeMap;
    use std::fmt;

    /// The manifest, keeping the files whose paths the function accepts.
    pub struct Only<'k>(pub &'k dyn Fn(&str) -> bool);

    impl<'de> DeserializeSeed<'de> for Only<'_> {
        type Value = Manifest;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Manifest, D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Only<'_> {
        type Value = Manifest;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a planboek manifest")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Manifest, A::Error> {
            let (mut format, mut files) = (None, None);
            while let Some(Text(key)) = map.next_key()? {
                match key.as_ref() {
                    "planboek_manifest" if format.is_none() => format = Some(map.next_value()?),
                    "files" if files.is_none() => files = Some(map.next_value_seed(Files(self.0))?),
                    "planboek_manifest" | "files" => return Err(de::Error::custom(format!("duplicate field `{key}`"))),
                    _ => drop(map.next_value::<IgnoredAny>()?),
                }
            }
            Ok(Manifest {
                planboek_manifest: format.ok_or_else(|| de::Error::missing_field("planboek_manifest"))?,
                files: files.ok_or_else(|| de::Error::missing_field("files"))?,
            })
        }
    }

    /// The `files` object: each kept path with its entry; the others' entries are skipped
    /// unparsed (not a hash decoded, not a string copied).
    struct Files<'k>(&'k dyn Fn(&str) -> bool);

    impl<'de> DeserializeSeed<'de> for Files<'_> {
        type Value = BTreeMap<String, FileEntry>;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Files<'_> {
        type Value = BTreeMap<String, FileEntry>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of paths to files")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut files = BTreeMap::new();
            while let Some(Text(path)) = map.next_key()? {
                if (self.0)(&path) {
                    files.insert(path.into_owned(), map.next_value()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(files)
        }
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
        Manifest::read_only(dir, &|_| true)
    }

    /// `read`, keeping only the files whose paths `keep` accepts: the manifest of a versioned
    /// output lists some 400,000 files, and a caller that looks at its root files only need
    /// not hold them all. The whole file is still read and checked.
    pub fn read_only(dir: &Path, keep: &dyn Fn(&str) -> bool) -> io::Result<Option<Manifest>> {
        let bytes = match fs::read(dir.join(MANIFEST)) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let invalid = |why: String| io::Error::new(io::ErrorKind::InvalidData, format!("{MANIFEST}: {why}"));
        let mut json = serde_json::Deserializer::from_slice(&bytes);
        let manifest = serde::de::DeserializeSeed::deserialize(filtered::Only(keep), &mut json)
            .and_then(|m| json.end().map(|()| m))
            .map_err(|e| invalid(e.to_string()))?;
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
    fn read_only_keeps_the_files_asked_for_and_checks_the_whole_file() {
        let t = tempfile::tempdir().expect("tempdir");
        let dir = t.path();
        let files = ["index.html", "v1/a.html", "v1/b.html", "_static/x.css", "v2/\"q\".html"];
        Manifest::new(files.iter().map(|f| (f.to_string(), FileEntry::of(f.as_bytes()))).collect())
            .write(dir)
            .expect("write");
        let root = Manifest::read_only(dir, &|rel| !rel.contains('/') || rel.starts_with('_')).expect("read");
        let kept: Vec<&str> = root.as_ref().expect("some").files.keys().map(String::as_str).collect();
        assert_eq!(kept, ["_static/x.css", "index.html"]);
        assert_eq!(root.expect("some").files["index.html"], FileEntry::of(b"index.html"));
        let all = Manifest::read(dir).expect("read").expect("some");
        assert_eq!(all.files.len(), 5, "{:?}", all.files.keys());
        assert!(all.files.contains_key("v2/\"q\".html"), "an escaped path is read too");
        let entry = format!("{{\"blake3\":\"{}\",\"size\":1}}", blake3::hash(b"x").to_hex());
        let broken = [
            format!("{{\"planboek_manifest\":1,\"files\":{{\"v1/a\":{entry}}}}} trailing"),
            format!("{{\"planboek_manifest\":1,\"files\":{{\"v1/a\":{entry}}},\"files\":{{}}}}"),
            format!("{{\"files\":{{\"v1/a\":{entry}}}}}"),
            "{\"planboek_manifest\":1}".to_string(),
            "{\"planboek_manifest\":1,\"files\":{\"v1/a\":{\"blake3\":".to_string(),
            "[1, {}]".to_string(),
        ];
        for text in broken {
            fs::write(dir.join(MANIFEST), &text).expect("write");
            assert!(Manifest::read_only(dir, &|rel| !rel.starts_with("v1/")).is_err(), "{text}");
        }
        let extra = format!("{{\"planboek_manifest\":1,\"later\":[1,2],\"files\":{{\"v1/a\":{entry}}}}}");
        fs::write(dir.join(MANIFEST), &extra).expect("write");
        assert_eq!(Manifest::read(dir).expect("an unknown field is skipped").expect("some").files.len(), 1);
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
