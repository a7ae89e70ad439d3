//! Sealing what a build keeps in its output folder for the next build from the same inputs:
//! the output is given to its audience, and what is kept (the findings, which may name a
//! page left out for that audience) must be readable only by a build that has those inputs.
//!
//! The secret is a digest of the inputs (all of the repository's content it was built from),
//! which nothing in the output gives away. A record is found by `label(secret)`, a digest
//! the secret cannot be told from, and its text is XORed with a BLAKE3 key stream of the
//! secret. Nothing here authenticates: a record that was changed reads back as text that
//! does not parse, which costs only the reuse.

/// The key stream's domain, so that no other use of the secret gives the same stream.
const STREAM: &str = "planboek 2026-12-01 kept record text";
/// The label's domain.
const LABEL: &str = "planboek 2026-12-01 kept record label";

/// Seals `text` with `secret`, in place; sealing the sealed text with the same secret opens
/// it.
pub fn seal(secret: &[u8; 32], text: &mut [u8]) {
    let key = blake3::derive_key(STREAM, secret);
    let mut stream = blake3::Hasher::new_keyed(&key).finalize_xof();
    let mut block = [0u8; 4096];
    for chunk in text.chunks_mut(block.len()) {
        let block = &mut block[..chunk.len()];
        stream.fill(block);
        for (t, k) in chunk.iter_mut().zip(block.iter()) {
            *t ^= k;
        }
    }
}

/// What a record sealed with `secret` is found by.
pub fn label(secret: &[u8; 32]) -> [u8; 32] {
    blake3::derive_key(LABEL, secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_text_opens_with_its_secret_only() {
        let text = b"link to `03-kobaltdossier.md` leads to a section left out".repeat(100);
        let mut sealed = text.clone();
        seal(&[1; 32], &mut sealed);
        assert_eq!(sealed.len(), text.len());
        assert!(!sealed.windows(6).any(|w| w == b"kobalt"));
        let mut wrong = sealed.clone();
        seal(&[2; 32], &mut wrong);
        assert_ne!(wrong, text);
        seal(&[1; 32], &mut sealed);
        assert_eq!(sealed, text);
        assert_ne!(label(&[1; 32]), [1; 32]);
        assert_ne!(label(&[1; 32]), label(&[2; 32]));
    }
}
