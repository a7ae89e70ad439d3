//! Sealing what a build keeps in its output folder for the next build from the same inputs:
//! the output is given to its audience, and what is kept (the findings, which may name a
//! page left out for that audience) must be readable only by a build that has those inputs.
//!
//! The secret is a digest of the inputs (all of the repository's content it was built from),
//! which nothing in the output gives away. A record is found by `label(secret)`, a digest
//! the secret cannot be told from. Its text is XORed with a BLAKE3 key stream of the secret
//! and of a tag, a keyed digest of the text itself, which is written before it (a synthetic
//! IV): the same text sealed twice gives the same bytes, as a reproducible build needs, and
//! two different texts sealed with one secret never share a key stream, whose XOR would give
//! one text away to a reader who knows the other. Opening checks the tag, so a record that
//! was changed is refused rather than read.

/// The key stream's domain, so that no other use of the secret gives the same stream.
const STREAM: &str = "planboek 2026-12-01 kept record text";
/// The tag's domain.
const TAG: &str = "planboek 2026-12-01 kept record tag";
/// The label's domain.
const LABEL: &str = "planboek 2026-12-01 kept record label";

/// `text` sealed with `secret`: its tag (32 bytes), then the text XORed with the key stream.
pub fn seal(secret: &[u8; 32], mut text: Vec<u8>) -> Vec<u8> {
    let tag = tag_of(secret, &text);
    xor_stream(secret, &tag, &mut text);
    let mut sealed = Vec::with_capacity(tag.len() + text.len());
    sealed.extend_from_slice(&tag);
    sealed.extend_from_slice(&text);
    sealed
}

/// The text `sealed` with `secret`; None when it was sealed with another secret, or changed.
pub fn open(secret: &[u8; 32], mut sealed: Vec<u8>) -> Option<Vec<u8>> {
    let tag: [u8; 32] = sealed.get(..32)?.try_into().ok()?;
    sealed.drain(..32);
    xor_stream(secret, &tag, &mut sealed);
    // A comparison whose time tells nothing: the tag is the only check there is.
    let fresh = blake3::Hash::from_bytes(tag_of(secret, &sealed));
    (fresh == blake3::Hash::from_bytes(tag)).then_some(sealed)
}

/// What a record sealed with `secret` is found by.
pub fn label(secret: &[u8; 32]) -> [u8; 32] {
    blake3::derive_key(LABEL, secret)
}

fn tag_of(secret: &[u8; 32], text: &[u8]) -> [u8; 32] {
    *blake3::keyed_hash(&blake3::derive_key(TAG, secret), text).as_bytes()
}

fn xor_stream(secret: &[u8; 32], tag: &[u8; 32], text: &mut [u8]) {
    let key = blake3::derive_key(STREAM, secret);
    let mut stream = blake3::Hasher::new_keyed(&key).update(tag).finalize_xof();
    let mut block = [0u8; 4096];
    for chunk in text.chunks_mut(block.len()) {
        let block = &mut block[..chunk.len()];
        stream.fill(block);
        for (t, k) in chunk.iter_mut().zip(block.iter()) {
            *t ^= k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_text_opens_with_its_secret_only() {
        let text = b"link to `03-kobaltdossier.md` leads to a section left out".repeat(100);
        let sealed = seal(&[1; 32], text.clone());
        assert_eq!(sealed.len(), text.len() + 32);
        assert!(!sealed.windows(6).any(|w| w == b"kobalt"));
        assert_eq!(seal(&[1; 32], text.clone()), sealed, "the same bytes each time");
        assert_eq!(open(&[2; 32], sealed.clone()), None, "another secret");
        assert_eq!(open(&[1; 32], sealed.clone()).as_deref(), Some(&text[..]));
        let mut changed = sealed.clone();
        changed[40] ^= 1;
        assert_eq!(open(&[1; 32], changed), None, "a changed record is refused");
        assert_eq!(open(&[1; 32], sealed[..20].to_vec()), None, "cut short");
        assert_ne!(label(&[1; 32]), [1; 32]);
        assert_ne!(label(&[1; 32]), label(&[2; 32]));
    }

    #[test]
    fn two_texts_sealed_with_one_secret_share_no_key_stream() {
        let (a, b) = (b"AAAAAAAAAAAAAAAAAAAA".to_vec(), b"AAAAAAAAAAAAAAAAAAAB".to_vec());
        let (sa, sb) = (seal(&[1; 32], a.clone()), seal(&[1; 32], b.clone()));
        // With one key stream, the XOR of the sealed texts would be that of the texts.
        let xored: Vec<u8> = sa[32..].iter().zip(&sb[32..]).map(|(x, y)| x ^ y).collect();
        let plain: Vec<u8> = a.iter().zip(&b).map(|(x, y)| x ^ y).collect();
        assert_ne!(xored, plain);
    }
}
