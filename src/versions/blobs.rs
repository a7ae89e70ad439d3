//! The Markdown files of git versions kept on disk by blob id (`.planboek-cache/blobs`), so
//! that git inflates a file that several versions share once, instead of twice in each
//! version (the load reads it, then its page as it renders). One file, records appended,
//! each checked against its digest when read: a record that does not check is read from git
//! again.

use crate::util::fs::read_at;
use std::collections::HashMap;
use std::fs::File;
use std::io::{Seek, Write};
use std::path::Path;
use std::sync::{Mutex, PoisonError, RwLock};

/// The store's name in the versions cache.
pub const STORE: &str = "blobs";

/// The file's first bytes; a file that starts otherwise is started anew.
const MAGIC: &[u8] = b"planboek-blobs 1\n";

/// Each record starts with these, then the body's length (4 bytes, little-endian), the id's
/// length (1 byte), the id, the blake3 digest of id and body (32 bytes) and the body.
const RECORD: &[u8; 4] = b"PBB1";

/// A record's bytes before its id.
const HEAD: usize = RECORD.len() + 4 + 1;

/// A git object id in hex: 40 characters (SHA-1), 64 (SHA-256).
const MAX_ID: usize = 64;

/// Past this size the store is started anew when it is opened, so that a repository with
/// a long history of large edits does not fill the disk with files no version holds any more.
const MAX_STORE: u64 = 1 << 30;

/// At most this many records are indexed (about 25 MB of index); a store that holds more
/// is started anew, so that a long history of small files does not fill the memory.
const MAX_RECORDS: usize = 1 << 18;

/// Where a record lies in the file: its offset and its whole length.
type Place = (u64, u32);

/// The store, open for one build.
pub struct BlobStore {
    file: File,
    /// Blob id → its record.
    index: RwLock<HashMap<Box<str>, Place>>,
    /// This process's appends, one at a time, so that each knows where it landed.
    append: Mutex<u64>,
}

impl BlobStore {
    /// Opens (or starts) the store in the versions cache `cache`, a folder planboek checked
    /// to be its own; None where it cannot be used, and versions are read from git alone.
    pub fn open(cache: &Path) -> Option<BlobStore> {
        std::fs::create_dir_all(cache).ok()?;
        let path = cache.join(STORE);
        let file = open_file(&path)?;
        if let Some(store) = BlobStore::read(file) {
            return Some(store);
        }
        // Damaged, of another format or grown too large: started anew. A build that still
        // appends to the old file does so to a file nobody opens again.
        std::fs::remove_file(&path).ok()?;
        BlobStore::read(open_file(&path)?)
    }

    /// The store in `file`, indexed; None when it is not a store of this format, is damaged
    /// before its end, or is too large.
    fn read(file: File) -> Option<BlobStore> {
        let size = file.metadata().ok().filter(|m| m.is_file())?.len();
        if size == 0 {
            (&file).write_all(MAGIC).ok()?;
        } else {
            let mut magic = [0u8; MAGIC.len()];
            read_at(&file, &mut magic, 0)?;
            (magic == MAGIC && size <= MAX_STORE).then_some(())?;
        }
        let size = size.max(MAGIC.len() as u64);
        let index = scan(&file, size)?;
        Some(BlobStore { file, index: RwLock::new(index), append: Mutex::new(size) })
    }

    /// The bytes of blob `id`, when the store holds them whole.
    pub fn get(&self, id: &str) -> Option<Vec<u8>> {
        let (offset, len) = *self.index.read().unwrap_or_else(PoisonError::into_inner).get(id)?;
        let mut record = vec![0u8; len as usize];
        read_at(&self.file, &mut record, offset)?;
        let body_at = check(&record, id)?;
        record.drain(..body_at);
        Some(record)
    }

    /// Keeps `body` as the bytes of blob `id`. A failure only costs a later read from git.
    pub fn put(&self, id: &str, body: &[u8]) {
        let Some(record) = record(id, body) else { return };
        let Ok(len) = u32::try_from(record.len()) else { return };
        let mut end = self.append.lock().unwrap_or_else(PoisonError::into_inner);
        let full = self.index.read().unwrap_or_else(PoisonError::into_inner).len() >= MAX_RECORDS;
        if full || *end + u64::from(len) > MAX_STORE {
            return;
        }
        // One write, appended: another build appending at the same time lands before or
        // after it, not inside. Where it landed is where the file's offset now ends.
        let mut file = &self.file;
        let whole = file.write(&record).is_ok_and(|n| n == record.len());
        let Ok(at) = file.stream_position() else { return };
        *end = at;
        if whole {
            let place = (at - u64::from(len), len);
            self.index.write().unwrap_or_else(PoisonError::into_inner).insert(id.into(), place);
        }
    }
}

/// The record that keeps `body` as blob `id`; None for an id git does not make or a body
/// too large for a record.
fn record(id: &str, body: &[u8]) -> Option<Vec<u8>> {
    let body_len = u32::try_from(body.len()).ok()?;
    (!id.is_empty() && id.len() <= MAX_ID).then_some(())?;
    let mut record = Vec::with_capacity(HEAD + id.len() + 32 + body.len());
    record.extend_from_slice(RECORD);
    record.extend_from_slice(&body_len.to_le_bytes());
    record.push(id.len() as u8);
    record.extend_from_slice(id.as_bytes());
    record.extend_from_slice(digest(id, body).as_bytes());
    record.extend_from_slice(body);
    Some(record)
}

/// Every whole record of the file up to `size`, by id; None when a record before the end
/// is not one (the file is damaged). A record cut short at the end is another build's
/// append in progress, or one that was cut off, and is left out.
fn scan(file: &File, size: u64) -> Option<HashMap<Box<str>, Place>> {
    let mut index = HashMap::new();
    let mut at = MAGIC.len() as u64;
    let mut head = [0u8; HEAD + MAX_ID];
    while at < size {
        let want = (size - at).min(head.len() as u64) as usize;
        if want < HEAD {
            break;
        }
        read_at(file, &mut head[..want], at)?;
        let (id_len, len) = head_of(&head[..want])?;
        if at + len as u64 > size || want < HEAD + id_len {
            break;
        }
        let id = std::str::from_utf8(&head[HEAD..HEAD + id_len]).ok()?;
        index.insert(id.into(), (at, u32::try_from(len).ok()?));
        if index.len() > MAX_RECORDS {
            return None;
        }
        at += len as u64;
    }
    Some(index)
}

/// The id's length and the whole record's length from the head of a record; None when it
/// is not the head of one.
fn head_of(head: &[u8]) -> Option<(usize, usize)> {
    let head = head.get(..HEAD).filter(|h| &h[..4] == RECORD)?;
    let body = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
    let id_len = usize::from(head[8]);
    let len = (HEAD + id_len + 32).checked_add(body)?;
    (id_len > 0 && id_len <= MAX_ID).then_some((id_len, len))
}

/// Where the body of `record`, read for blob `id`, starts; None unless the record is whole,
/// of that id and its body is what was kept.
fn check(record: &[u8], id: &str) -> Option<usize> {
    let (id_len, len) = head_of(record)?;
    let body_at = HEAD + id_len + 32;
    let ok = id_len == id.len()
        && record.len() == len
        && &record[HEAD..HEAD + id_len] == id.as_bytes()
        && record[HEAD + id_len..body_at] == *digest(id, &record[body_at..]).as_bytes();
    ok.then_some(body_at)
}

fn digest(id: &str, body: &[u8]) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(&[id.len() as u8]).update(id.as_bytes()).update(body);
    h.finalize()
}

/// Opens the store for reading and appending, never through a symbolic link, readable by
/// its owner only (it holds every classification's text).
#[cfg(unix)]
fn open_file(path: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(flags.bits() as i32)
        .open(path)
        .ok()
}

/// Without `pread` the store is not used.
#[cfg(not(unix))]
fn open_file(_: &Path) -> Option<File> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";

    /// The text kept as blob `id`.
    fn text(store: &BlobStore, id: &str) -> Option<String> {
        store.get(id).map(|b| String::from_utf8(b).expect("utf-8"))
    }

    /// A store in a new folder holding `a` as blob A and `b` as blob B.
    fn holding(a: &[u8], b: &[u8]) -> (tempfile::TempDir, BlobStore) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = BlobStore::open(dir.path()).expect("open");
        store.put(A, a);
        store.put(B, b);
        (dir, store)
    }

    fn bytes(dir: &Path) -> Vec<u8> {
        std::fs::read(dir.join(STORE)).expect("store")
    }

    #[test]
    fn files_are_read_back_in_this_build_and_the_next() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = BlobStore::open(dir.path()).expect("open");
        assert_eq!(text(&store, A), None);
        store.put(A, b"# Aanleiding\n");
        store.put(B, b"");
        assert_eq!(text(&store, A).as_deref(), Some("# Aanleiding\n"));
        drop(store);
        let next = BlobStore::open(dir.path()).expect("open again");
        assert_eq!(text(&next, A).as_deref(), Some("# Aanleiding\n"));
        assert_eq!(text(&next, B).as_deref(), Some(""));
        // Ids git does not make are not kept.
        next.put("", b"x");
        next.put(&"3".repeat(MAX_ID + 1), b"x");
        assert_eq!(BlobStore::open(dir.path()).expect("open").index.read().expect("index").len(), 2);
    }

    #[test]
    fn two_builds_appending_at_once_keep_both_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (one, two) = (BlobStore::open(dir.path()).expect("one"), BlobStore::open(dir.path()).expect("two"));
        one.put(A, b"van de eerste");
        two.put(B, b"van de tweede");
        one.put("4444444444444444444444444444444444444444", b"nog een");
        assert_eq!(text(&two, B).as_deref(), Some("van de tweede"));
        let after = BlobStore::open(dir.path()).expect("open");
        assert_eq!(text(&after, A).as_deref(), Some("van de eerste"));
        assert_eq!(text(&after, B).as_deref(), Some("van de tweede"));
    }

    #[test]
    fn a_record_that_does_not_check_is_not_read() {
        let (dir, store) = holding(b"twaalf jongeren", b"tien jongeren");
        let mut kept = bytes(dir.path());
        let at = kept.windows(6).position(|w| w == b"twaalf").expect("body");
        kept[at] = b'T';
        std::fs::write(dir.path().join(STORE), &kept).expect("damage");
        assert_eq!(text(&store, A), None, "damaged");
        assert_eq!(text(&store, B).as_deref(), Some("tien jongeren"));
        let again = BlobStore::open(dir.path()).expect("open");
        assert_eq!(text(&again, A), None);
        assert_eq!(text(&again, B).as_deref(), Some("tien jongeren"));
    }

    #[test]
    fn a_record_cut_short_at_the_end_is_left_out_and_garbage_starts_anew() {
        let (dir, store) = holding(b"heel", b"afgebroken");
        drop(store);
        let whole = bytes(dir.path());
        // Another build's append in progress, or one cut off.
        std::fs::write(dir.path().join(STORE), &whole[..whole.len() - 3]).expect("cut");
        let cut = BlobStore::open(dir.path()).expect("open");
        assert_eq!(text(&cut, A).as_deref(), Some("heel"));
        assert_eq!(text(&cut, B), None);
        drop(cut);
        // A record that is not one, before the end: the store is started anew.
        let mut garbage = whole.clone();
        garbage.extend_from_slice(b"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
        garbage.extend_from_slice(&whole[MAGIC.len()..]);
        std::fs::write(dir.path().join(STORE), &garbage).expect("garbage");
        let anew = BlobStore::open(dir.path()).expect("open");
        assert_eq!(text(&anew, A), None);
        assert_eq!(bytes(dir.path()), MAGIC);
        // So is a file of another format.
        std::fs::write(dir.path().join(STORE), b"iets anders").expect("other");
        assert!(BlobStore::open(dir.path()).is_some());
        assert_eq!(bytes(dir.path()), MAGIC);
    }

    #[test]
    fn a_store_of_too_many_records_is_started_anew() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut many = MAGIC.to_vec();
        for n in 0..=MAX_RECORDS {
            many.extend(record(&format!("{n:040x}"), b"").expect("record"));
        }
        std::fs::write(dir.path().join(STORE), &many).expect("write");
        let anew = BlobStore::open(dir.path()).expect("open");
        assert_eq!(text(&anew, &format!("{:040x}", 0)), None);
        assert_eq!(bytes(dir.path()), MAGIC);
        // One record fewer is read whole, and nothing more is added to it.
        many.truncate(many.len() - record(A, b"").expect("record").len());
        std::fs::write(dir.path().join(STORE), &many).expect("write");
        let full = BlobStore::open(dir.path()).expect("open");
        assert_eq!(text(&full, &format!("{:040x}", 7)).as_deref(), Some(""));
        full.put(A, b"nog een");
        assert_eq!(text(&full, A), None);
        assert_eq!(bytes(dir.path()).len(), many.len());
    }

    #[test]
    fn a_link_in_the_stores_place_is_not_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let elsewhere = dir.path().join("elders");
        std::fs::write(&elsewhere, b"").expect("target");
        std::os::unix::fs::symlink(&elsewhere, dir.path().join(STORE)).expect("link");
        assert!(BlobStore::open(dir.path()).is_none());
        assert_eq!(std::fs::read(&elsewhere).expect("target"), b"");
    }
}
