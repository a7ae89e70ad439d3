//! What identifies the running planboek: its built-in theme and rendering can change within a
//! version number, so what a build keeps for the next one is stamped with it.

use std::io::Read;
use std::sync::OnceLock;

/// How far into the binary its build id is looked for: linkers put the notes right after the
/// program headers, in the first page.
const HEAD: u64 = 64 * 1024;
/// The ELF note type of the linker's build id, under the owner name "GNU".
const NT_GNU_BUILD_ID: usize = 3;
const PT_NOTE: usize = 4;

/// A digest of the running planboek, computed once per process; None when the binary cannot
/// be read. It is made from the build id the linker writes into an ELF binary (a hash of the
/// linked output), with the binary's length; a binary without one (another format, or linked
/// without it) is hashed whole, which takes a tenth of a second for its 60 MB.
pub fn digest() -> Option<[u8; 32]> {
    static DIGEST: OnceLock<Option<[u8; 32]>> = OnceLock::new();
    *DIGEST.get_or_init(|| {
        let mut file = std::env::current_exe().and_then(std::fs::File::open).ok()?;
        let len = file.metadata().ok()?.len();
        let mut head = Vec::new();
        (&mut file).take(HEAD).read_to_end(&mut head).ok()?;
        let mut h = blake3::Hasher::new();
        match gnu_build_id(&head) {
            Some(id) => {
                h.update(b"planboek build id\0").update(&len.to_le_bytes()).update(id);
            }
            None => {
                h.update(&head);
                h.update_reader(file).ok()?;
            }
        }
        Some(*h.finalize().as_bytes())
    })
}

/// The GNU build id of the little-endian 64-bit ELF file whose first bytes are `head`, when
/// its notes lie within them. Anything else, or anything cut short, is None.
fn gnu_build_id(head: &[u8]) -> Option<&[u8]> {
    // Magic, 64-bit class, little-endian.
    if head.get(..6)? != b"\x7fELF\x02\x01" {
        return None;
    }
    let (phoff, phentsize, phnum) = (u64_at(head, 0x20)?, u16_at(head, 0x36)?, u16_at(head, 0x38)?);
    (0..phnum).find_map(|i| {
        let ph = phoff.checked_add(i.checked_mul(phentsize)?)?;
        if u32_at(head, ph)? != PT_NOTE {
            return None;
        }
        let (offset, size) = (u64_at(head, ph + 8)?, u64_at(head, ph + 32)?);
        build_id_in(head.get(offset..offset.checked_add(size)?)?)
    })
}

/// The build id among the notes `notes` (each: name size, description size, type, then the
/// name and the description, each padded to four bytes).
fn build_id_in(mut notes: &[u8]) -> Option<&[u8]> {
    while notes.len() >= 12 {
        let (name_len, desc_len, kind) = (u32_at(notes, 0)?, u32_at(notes, 4)?, u32_at(notes, 8)?);
        let desc_at = 12usize.checked_add(padded(name_len)?)?;
        let name = notes.get(12..12usize.checked_add(name_len)?)?;
        let desc = notes.get(desc_at..desc_at.checked_add(desc_len)?)?;
        if kind == NT_GNU_BUILD_ID && name == b"GNU\0" && !desc.is_empty() {
            return Some(desc);
        }
        notes = notes.get(desc_at.checked_add(padded(desc_len)?)?..)?;
    }
    None
}

fn padded(n: usize) -> Option<usize> {
    Some(n.checked_add(3)? & !3)
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?) as usize)
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    usize::try_from(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?)).ok()
}

fn u64_at(b: &[u8], at: usize) -> Option<usize> {
    usize::try_from(u64::from_le_bytes(b.get(at..at.checked_add(8)?)?.try_into().ok()?)).ok()
}

#[cfg(test)]
mod tests {
    use super::gnu_build_id;

    /// A note as a linker writes it.
    fn note(name: &[u8], kind: u32, desc: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for n in [name.len() as u32, desc.len() as u32, kind] {
            out.extend(n.to_le_bytes());
        }
        for part in [name, desc] {
            out.extend(part);
            out.resize(out.len().next_multiple_of(4), 0);
        }
        out
    }

    /// An ELF header with a program header of another type, then one of the notes `notes`.
    fn elf(notes: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; 64];
        out[..6].copy_from_slice(b"\x7fELF\x02\x01");
        out[0x20..0x28].copy_from_slice(&64u64.to_le_bytes());
        out[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
        out[0x38..0x3a].copy_from_slice(&2u16.to_le_bytes());
        let notes_at = 64 + 2 * 56;
        for kind in [1u32, super::PT_NOTE as u32] {
            let mut ph = vec![0u8; 56];
            ph[..4].copy_from_slice(&kind.to_le_bytes());
            ph[8..16].copy_from_slice(&(notes_at as u64).to_le_bytes());
            ph[32..40].copy_from_slice(&(notes.len() as u64).to_le_bytes());
            out.extend(ph);
        }
        out.extend(notes);
        out
    }

    #[test]
    fn the_build_id_is_found_among_the_notes() {
        let id = [0xf8, 0x78, 0xdf, 0xb8, 0x43];
        let notes = [note(b"GNU\0", 1, &[0; 16]), note(b"Go\0", 3, b"other"), note(b"GNU\0", 3, &id)].concat();
        assert_eq!(gnu_build_id(&elf(&notes)), Some(&id[..]));
        assert_eq!(gnu_build_id(&elf(&note(b"GNU\0", 1, &[0; 16]))), None);
    }

    #[test]
    fn a_file_cut_short_or_of_another_kind_has_none_and_never_panics() {
        let whole = elf(&note(b"GNU\0", 3, &[7; 20]));
        for end in 0..whole.len() {
            assert_eq!(gnu_build_id(&whole[..end]), None, "cut at {end}");
        }
        let mut big_endian = whole.clone();
        big_endian[5] = 2;
        assert_eq!(gnu_build_id(&big_endian), None);
        // Sizes and offsets that run past the end, or overflow when added.
        for (at, value) in [(0x20, u64::MAX), (64 + 56 + 8, u64::MAX - 3), (64 + 56 + 32, u64::MAX)] {
            let mut bad = whole.clone();
            bad[at..at + 8].copy_from_slice(&value.to_le_bytes());
            assert_eq!(gnu_build_id(&bad), None);
        }
        let mut long_name = whole.clone();
        long_name[64 + 112..64 + 116].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(gnu_build_id(&long_name), None);
    }

    #[test]
    fn the_running_binary_has_a_digest() {
        assert!(super::digest().is_some());
    }

    /// The linkers of the Linux toolchains write a build id, so that the binary is not read whole.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_linux_binary_is_known_by_its_build_id() {
        use std::io::Read;
        let mut head = Vec::new();
        let file = std::fs::File::open(std::env::current_exe().unwrap()).unwrap();
        file.take(super::HEAD).read_to_end(&mut head).unwrap();
        assert!(gnu_build_id(&head).is_some_and(|id| id.len() >= 16));
    }
}
