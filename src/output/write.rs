//! Files written whole: in pieces the kernel takes quickly, and replaced so that a reader
//! never sees half of one.

use std::path::Path;

/// The most one `write` call hands the kernel (`write_file`).
const WRITE_PIECE: usize = 1 << 20;

/// Creates (or truncates) `path` and writes `bytes` into it, as `std::fs::write` does, but at
/// most 1 MiB a call. Handed 2 MiB or more at once, Linux fills the file's page cache in huge
/// blocks of free memory, and on a virtual machine whose host takes freed memory back (the
/// one the benchmarks ran on) the first touch of each is paid to the host: a 13.8 MB file
/// took 100–190 ms to write in one call and 3–5 ms in pieces (`docs/performance.md`).
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_into(&mut std::fs::File::create(path)?, bytes)
}

/// Writes `bytes` into `file` at most 1 MiB a call (`write_file`).
pub fn write_into(file: &mut std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    bytes.chunks(WRITE_PIECE).try_for_each(|piece| std::io::Write::write_all(file, piece))
}

/// Writes `bytes` beside `path` and renames the file over it, so that a reader never sees
/// half of it; the file beside is named for this process (two builds may write one cache
/// entry) and removed when the write fails. A missing folder fails it: a cache entry that
/// has gone must not come back holding only its bookkeeping.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut beside = path.as_os_str().to_owned();
    beside.push(format!(".planboek-tmp-{}", std::process::id()));
    let written = write_file(Path::new(&beside), bytes).and_then(|()| std::fs::rename(&beside, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&beside);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_written_in_pieces_holds_every_byte_and_nothing_after() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("f");
        let bytes: Vec<u8> = (0..WRITE_PIECE * 5 / 2 + 7).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, vec![b'x'; bytes.len() + 10]).expect("a longer file first");
        write_file(&path, &bytes).expect("write");
        assert!(std::fs::read(&path).expect("read") == bytes, "the bytes, across the pieces' seams, and no more");
    }
}
