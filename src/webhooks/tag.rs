//! The `v1` tag's text form: the 32-byte HMAC-SHA256 in padded standard base64.

/// Length of an HMAC-SHA256 tag, in bytes.
pub(crate) const TAG_LEN: usize = 32;
/// Length of a tag in padded standard base64.
pub(crate) const ENCODED_TAG_LEN: usize = 44;

/// The standard alphabet, on one cache line: the indices are bits of the
/// expected tag, which is secret until it has been compared, and a table that
/// fits one line gives cache timing nothing to tell apart.
#[repr(align(64))]
struct Alphabet([u8; 64]);

static ALPHABET: Alphabet = Alphabet(*b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

/// Encodes a tag as padded standard base64, exactly as the `base64` crate's
/// `STANDARD` engine does.
///
/// A fixed-size encoder because verification encodes one tag per message, and
/// at 1 KiB bodies the general engine's length handling was a measurable
/// share of the whole verification (`benches/webhook_verify.rs`). Its output
/// is checked against the `base64` crate by a property test below.
#[inline]
pub(crate) fn encode_tag(tag: &[u8; TAG_LEN]) -> [u8; ENCODED_TAG_LEN] {
    let sextet = |n: u32, shift: u32| ALPHABET.0[((n >> shift) & 63) as usize];
    let mut out = [b'='; ENCODED_TAG_LEN];
    // 30 bytes make ten whole 3-byte groups; the last two bytes make three
    // characters and one `=`.
    for (group, chars) in tag.chunks_exact(3).zip(out.chunks_exact_mut(4)) {
        let n = u32::from(group[0]) << 16 | u32::from(group[1]) << 8 | u32::from(group[2]);
        chars.copy_from_slice(&[sextet(n, 18), sextet(n, 12), sextet(n, 6), sextet(n, 0)]);
    }
    let n = u32::from(tag[30]) << 16 | u32::from(tag[31]) << 8;
    out[40..43].copy_from_slice(&[sextet(n, 18), sextet(n, 12), sextet(n, 6)]);
    out
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn matches_the_base64_crate_at_the_edges() {
        for tag in [[0u8; TAG_LEN], [0xff; TAG_LEN], std::array::from_fn(|i| i as u8)] {
            assert_eq!(encode_tag(&tag).as_slice(), STANDARD.encode(tag).as_bytes());
        }
    }

    proptest! {
        #[test]
        fn matches_the_base64_crate(tag in any::<[u8; TAG_LEN]>()) {
            let (ours, theirs) = (encode_tag(&tag), STANDARD.encode(tag));
            prop_assert_eq!(ours.as_slice(), theirs.as_bytes());
        }
    }
}
