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

/// `text` sealed with `secret`; sealing the sealed text with the same secret opens it.
pub fn seal(secret: &[u8; 32], text: &[u8]) -> Vec<u8> {
    let key = blake3::derive_key(STREAM, secret);
    let mut stream = blake3::Hasher::new_keyed(&key).finalize_xof();
    let mut out = vec![0u8; text.len()];
    stream.fill(&mut out);
    for (o, t) in out.iter_mut().zip(text) {
        *o ^= t;
    }
    out
}

/// `text` sealed with `secret`, as hex digits: one line of a text record.
pub fn seal_hex(secret: &[u8; 32], text: &str) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let sealed = seal(secret, text.as_bytes());
    let mut hex = String::with_capacity(sealed.len() * 2);
    for b in sealed {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    hex
}

/// The text `seal_hex` sealed with `secret`; None when `hex` is not hex digits, or not text
/// once opened.
pub fn open_hex(secret: &[u8; 32], hex: &str) -> Option<String> {
    let digit = |d: u8| char::from(d).to_digit(16).map(|v| v as u8);
    let digits = hex.as_bytes();
    if digits.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> = digits.chunks_exact(2).map(|p| Some(digit(p[0])? << 4 | digit(p[1])?)).collect();
    String::from_utf8(seal(secret, &bytes?)).ok()
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
        let text = b"link to `03-kobaltdossier.md` leads to a section left out";
        let sealed = seal(&[1; 32], text);
        assert_eq!(sealed.len(), text.len());
        assert!(!sealed.windows(6).any(|w| w == b"kobalt"));
        assert_eq!(seal(&[1; 32], &sealed), text);
        assert_ne!(seal(&[2; 32], &sealed), text);
        assert_ne!(label(&[1; 32]), [1; 32]);
        assert_ne!(label(&[1; 32]), label(&[2; 32]));
        let hex = seal_hex(&[1; 32], "geheim");
        assert_eq!(open_hex(&[1; 32], &hex).as_deref(), Some("geheim"));
        for bad in ["abc", "zz", &hex[1..]] {
            assert_eq!(open_hex(&[1; 32], bad), None, "{bad}");
        }
    }
}
