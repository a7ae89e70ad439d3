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
use visiting::Each;

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

/// Reading a manifest entry by entry (`Manifest::visit`).
mod visiting {
    use super::{FileEntry, Text};
    use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
    use std::fmt;

    /// What to do with each file: `keep` says whether its entry is parsed at all, and `each`
    /// takes the entries kept, in the file's order, which must be sorted.
    pub struct Visit<'k> {
        pub keep: &'k dyn Fn(&str) -> bool,
        pub each: Each<'k>,
    }

    /// What takes the entries kept: whole, or only their sizes (their hashes not decoded).
    pub enum Each<'k> {
        Entries(&'k mut dyn FnMut(&str, FileEntry) -> Result<(), String>),
        Sizes(&'k mut dyn FnMut(&str, u64) -> Result<(), String>),
    }

    /// An entry read for its size: its hash must be there, but is not decoded.
    #[derive(serde::Deserialize)]
    struct Size {
        #[serde(rename = "blake3")]
        _hash: IgnoredAny,
        size: u64,
    }

    impl<'de> DeserializeSeed<'de> for Visit<'_> {
        /// The format number.
        type Value = u32;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<u32, D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Visit<'_> {
        type Value = u32;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a planboek manifest")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u32, A::Error> {
            let (mut format, mut files) = (None, Some(Files { keep: self.keep, each: self.each }));
            while let Some(Text(key)) = map.next_key()? {
                match key.as_ref() {
                    "planboek_manifest" if format.is_none() => format = Some(map.next_value()?),
                    "files" if files.is_some() => {
                        map.next_value_seed(files.take().ok_or_else(|| de::Error::custom("files"))?)?
                    }
                    "planboek_manifest" | "files" => return Err(de::Error::custom(format!("duplicate field `{key}`"))),
                    _ => drop(map.next_value::<IgnoredAny>()?),
                }
            }
            if files.is_some() {
                return Err(de::Error::missing_field("files"));
            }
            format.ok_or_else(|| de::Error::missing_field("planboek_manifest"))
        }
    }

    /// The `files` object: each kept path's entry handed on; the others' entries are skipped
    /// unparsed (not a hash decoded, not a string copied). Paths must ascend, as written:
    /// a path listed twice or out of order is no manifest of planboek's.
    struct Files<'k> {
        keep: &'k dyn Fn(&str) -> bool,
        each: Each<'k>,
    }

    impl<'de> DeserializeSeed<'de> for Files<'_> {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Files<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of paths to files")
        }
        fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
            let (mut last, mut any) = (String::new(), false);
            while let Some(Text(path)) = map.next_key()? {
                if any && path.as_ref() <= last.as_str() {
                    return Err(de::Error::custom(format!("`{path}` is out of order")));
                }
                if (self.keep)(&path) {
                    match &mut self.each {
                        Each::Entries(each) => each(&path, map.next_value()?),
                        Each::Sizes(each) => each(&path, map.next_value::<Size>()?.size),
                    }
                    .map_err(de::Error::custom)?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
                last.clear();
                last.push_str(&path);
                any = true;
            }
            Ok(())
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
        let mut files = BTreeMap::new();
        let found = Manifest::visit(
            dir,
            keep,
            Each::Entries(&mut |path, entry| {
                files.insert(path.to_owned(), entry);
                Ok(())
            }),
        )?;
        Ok(found.then(|| Manifest::new(files)))
    }

    /// `visit`, handing `each` only the size of each file: its hash is not decoded (a
    /// versioned output's manifest lists some 300,000).
    pub fn visit_sizes(
        dir: &Path,
        keep: &dyn Fn(&str) -> bool,
        each: &mut dyn FnMut(&str, u64) -> Result<(), String>,
    ) -> io::Result<bool> {
        Manifest::visit(dir, keep, Each::Sizes(each))
    }

    /// Hands each file of the manifest in `dir` whose path `keep` accepts to `each`, in the
    /// manifest's (sorted) order, holding none of them: false when there is no manifest. The
    /// whole file is read and checked; an error of `each` stops the reading.
    fn visit<'k>(dir: &Path, keep: &'k dyn Fn(&str) -> bool, each: Each<'k>) -> io::Result<bool> {
        let bytes = match fs::read(dir.join(MANIFEST)) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e),
        };
        let invalid = |why: String| io::Error::new(io::ErrorKind::InvalidData, format!("{MANIFEST}: {why}"));
        let mut json = serde_json::Deserializer::from_slice(&bytes);
        let format = serde::de::DeserializeSeed::deserialize(visiting::Visit { keep, each }, &mut json)
            .and_then(|f| json.end().map(|()| f))
            .map_err(|e| invalid(e.to_string()))?;
        if format != FORMAT {
            return Err(invalid(format!("unknown format {format}")));
        }
        Ok(true)
    }

    /// Writes the manifest into `dir`, replacing any by rename so that a reader never sees
    /// half of one: a staging folder with a manifest is complete.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let mut writer = Writer::create(dir)?;
        for (path, entry) in &self.files {
            writer.entry(path, entry)?;
        }
        writer.finish()
    }

    /// Whether every listed file is in `dir` with its recorded size: the folder is a
    /// complete build.
    pub fn is_complete_in(&self, dir: &Path) -> bool {
        self.files.iter().all(|(rel, e)| fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.len() == e.size))
    }
}

/// A manifest being written, one file at a time in sorted order: the text of a large
/// versioned tree's manifest runs to tens of megabytes, and its entries need not all be in
/// memory at once. One file per line, sorted: deterministic, and readable in a diff.
pub struct Writer {
    dir: std::path::PathBuf,
    text: io::BufWriter<fs::File>,
    first: bool,
}

impl Writer {
    /// Starts the manifest of `dir`, in a file of its own until `finish`.
    pub fn create(dir: &Path) -> io::Result<Writer> {
        let mut text = io::BufWriter::new(fs::File::create(dir.join(format!("{MANIFEST}.tmp")))?);
        write!(text, "{{\"planboek_manifest\":{FORMAT},\"files\":{{")?;
        Ok(Writer { dir: dir.to_path_buf(), text, first: true })
    }

    /// Lists the file `path`; paths must come in ascending order.
    pub fn entry(&mut self, path: &str, entry: &FileEntry) -> io::Result<()> {
        self.text.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut self.text, path).map_err(io::Error::other)?;
        self.text.write_all(b":")?;
        serde_json::to_writer(&mut self.text, entry).map_err(io::Error::other)
    }

    /// Ends the manifest and puts it in place.
    pub fn finish(mut self) -> io::Result<()> {
        self.text.write_all(b"\n}}\n")?;
        self.text.into_inner().map_err(io::IntoInnerError::into_error)?;
        fs::rename(self.dir.join(format!("{MANIFEST}.tmp")), self.dir.join(MANIFEST))
    }
}

/// A folder whose files a manifest lists by reading another manifest (`write_merged`): the
/// files of `listed_in`'s manifest, but for those named in `skip` at its root, under `rel/`.
#[derive(Debug, Clone)]
pub struct Listed {
    pub rel: String,
    pub listed_in: std::path::PathBuf,
    pub skip: &'static [&'static str],
}

/// Writes the manifest of `dir` listing `files` and every file of each of `folders`, whose
/// entries are read from their manifests as they are written rather than held: a versioned
/// tree lists some 400,000 files, nearly all of them in folders moved in whole. Fails when a
/// folder's manifest is gone or damaged, or when a path would be listed twice.
pub fn write_merged(dir: &Path, files: &BTreeMap<String, FileEntry>, folders: &[Listed]) -> io::Result<()> {
    let mut folders: Vec<(String, &Listed)> = folders.iter().map(|f| (format!("{}/", f.rel), f)).collect();
    folders.sort_by(|a, b| a.0.cmp(&b.0));
    let clash = folders.windows(2).any(|w| w[1].0.starts_with(&w[0].0))
        || files.keys().any(|path| folders.iter().any(|(prefix, _)| path.starts_with(prefix.as_str())));
    if clash {
        return Err(io::Error::other("a folder moved in whole overlaps another file of the build"));
    }
    let mut writer = Writer::create(dir)?;
    let mut folders = folders.into_iter().peekable();
    for (path, entry) in files {
        // Every path under a prefix that sorts before `path` sorts before it too, as `path`
        // does not start with the prefix.
        while let Some((prefix, folder)) = folders.next_if(|(prefix, _)| prefix.as_str() < path.as_str()) {
            write_folder(&mut writer, &prefix, folder)?;
        }
        writer.entry(path, entry)?;
    }
    for (prefix, folder) in folders {
        write_folder(&mut writer, &prefix, folder)?;
    }
    writer.finish()
}

/// Lists the files of `folder` under `prefix`.
fn write_folder(writer: &mut Writer, prefix: &str, folder: &Listed) -> io::Result<()> {
    let mut path = String::from(prefix);
    let mut each = |rel: &str, entry: FileEntry| {
        path.truncate(prefix.len());
        path.push_str(rel);
        writer.entry(&path, &entry).map_err(|e| e.to_string())
    };
    let keep = |rel: &str| !folder.skip.contains(&rel);
    match Manifest::visit(&folder.listed_in, &keep, Each::Entries(&mut each))? {
        true => Ok(()),
        false => Err(io::Error::other(format!("{} has no {MANIFEST}", folder.listed_in.display()))),
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
    fn sizes_are_read_as_the_whole_entries_are_and_an_entry_still_needs_its_hash() {
        let t = tempfile::tempdir().expect("tempdir");
        let files = ["index.html", "v1/a.html", "v1/bb.html"];
        Manifest::new(files.iter().map(|f| (f.to_string(), FileEntry::of(f.as_bytes()))).collect())
            .write(t.path())
            .expect("write");
        let mut sizes = Vec::new();
        let keep = |rel: &str| rel.starts_with("v1/");
        let mut note = |rel: &str, size| {
            sizes.push((rel.to_string(), size));
            Ok(())
        };
        assert!(Manifest::visit_sizes(t.path(), &keep, &mut note).expect("read"));
        assert_eq!(sizes, [("v1/a.html".to_string(), 9), ("v1/bb.html".to_string(), 10)]);
        let text = "{\"planboek_manifest\":1,\"files\":{\"a\":{\"size\":1}}}";
        fs::write(t.path().join(MANIFEST), text).expect("write");
        assert!(Manifest::visit_sizes(t.path(), &|_| true, &mut |_, _| Ok(())).is_err(), "no hash");
    }

    #[test]
    fn a_path_out_of_order_or_listed_twice_is_no_manifest() {
        let t = tempfile::tempdir().expect("tempdir");
        let entry = format!("{{\"blake3\":\"{}\",\"size\":1}}", blake3::hash(b"x").to_hex());
        for files in [["b", "a"], ["a", "a"], ["", ""]] {
            let text =
                format!("{{\"planboek_manifest\":1,\"files\":{{\"{}\":{entry},\"{}\":{entry}}}}}", files[0], files[1]);
            fs::write(t.path().join(MANIFEST), &text).expect("write");
            assert!(Manifest::read(t.path()).is_err(), "{text}");
        }
    }

    #[test]
    fn a_merged_manifest_lists_the_folders_files_in_order() {
        let t = tempfile::tempdir().expect("tempdir");
        let (a, b, out) = (t.path().join("a"), t.path().join("b"), t.path().join("out"));
        for dir in [&a, &b, &out] {
            fs::create_dir(dir).expect("mkdir");
        }
        let of = |names: &[&str]| names.iter().map(|n| (n.to_string(), FileEntry::of(n.as_bytes()))).collect();
        Manifest::new(of(&["index.html", "p/x.html", "skip.json"])).write(&a).expect("write");
        Manifest::new(of(&["index.html"])).write(&b).expect("write");
        let root = of(&["index.html", "v1.js", "v10/y.html", "v2", "_versions/v1.js"]);
        let listed =
            |rel: &str, dir: &Path| Listed { rel: rel.to_string(), listed_in: dir.to_path_buf(), skip: &["skip.json"] };
        write_merged(&out, &root, &[listed("v1", &a), listed("w/v3", &b)]).expect("merge");
        let merged = Manifest::read(&out).expect("read").expect("some");
        let paths: Vec<&str> = merged.files.keys().map(String::as_str).collect();
        let expected = [
            "_versions/v1.js",
            "index.html",
            "v1.js",
            "v1/index.html",
            "v1/p/x.html",
            "v10/y.html",
            "v2",
            "w/v3/index.html",
        ];
        assert_eq!(paths, expected);
        assert_eq!(merged.files["v1/p/x.html"], FileEntry::of(b"p/x.html"), "an entry keeps its hash");
        let text = fs::read_to_string(out.join(MANIFEST)).expect("read");
        merged.write(&out).expect("write");
        assert_eq!(fs::read_to_string(out.join(MANIFEST)).expect("read"), text, "the same bytes as one written whole");
        let clash = [
            (of(&["v1/index.html"]), vec![listed("v1", &a)]),
            (of(&[]), vec![listed("v1", &a), listed("v1/p", &b)]),
            (of(&[]), vec![listed("v1", &t.path().join("none"))]),
        ];
        for (root, folders) in clash {
            assert!(write_merged(&out, &root, &folders).is_err(), "{folders:?}");
        }
        assert_eq!(Manifest::read(&out).expect("read").expect("some"), merged, "a failed merge leaves the manifest");
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
