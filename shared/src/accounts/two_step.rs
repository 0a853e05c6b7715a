//! The text side of two-step verification (TOTP, RFC 6238): the secret key as people type it
//! into an authenticator app (base32, RFC 4648, no padding), and the six-digit code as people
//! type it back. The code's arithmetic (HMAC-SHA-1 over the time step) is the server's
//! (`backend/src/totp.rs`); `shared` stays free of cryptography.

/// How many digits a code has.
pub const CODE_DIGITS: usize = 6;
/// How long one code lasts, in seconds.
pub const STEP_SECONDS: u64 = 30;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// `bytes` in base32, upper case, without padding (as authenticator apps take a key).
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The bytes of a base32 key, as a person might copy it: any case, with spaces, hyphens and
/// `=` padding ignored. `None` when it holds any other character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text.chars() {
        if c == ' ' || c == '-' || c == '=' {
            continue;
        }
        let upper = c.to_ascii_uppercase();
        let value = ALPHABET.iter().position(|&a| char::from(a) == upper)?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
        buffer &= (1 << bits) - 1;
    }
    Some(out)
}

/// A code as a person typed it: six digits, spaces allowed between them (apps show
/// "123 456"). `None` for anything else.
pub fn parse_code(text: &str) -> Option<u32> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.chars().count() != CODE_DIGITS || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// What to tell a person whose code could not be read.
pub const CODE_FORMAT_MESSAGE: &str =
    "Enter the 6-digit code from your authenticator app, like 123456";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_text::{config, text};
    use proptest::prelude::*;

    #[test]
    fn base32_matches_rfc_4648s_examples() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32_encode(plain.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded), Some(plain.as_bytes().to_vec()));
        }
        assert_eq!(
            base32_decode("mzxw 6ytb-oi======"),
            Some(b"foobar".to_vec())
        );
        assert_eq!(base32_decode("MZXW1"), None, "1 is not base32");
    }

    #[test]
    fn a_code_is_six_digits_with_spaces_allowed() {
        assert_eq!(parse_code("123456"), Some(123_456));
        assert_eq!(parse_code(" 012 345 "), Some(12_345));
        assert_eq!(parse_code("12345"), None);
        assert_eq!(parse_code("1234567"), None);
        assert_eq!(parse_code("12345a"), None);
        assert_eq!(parse_code("١٢٣٤٥٦"), None, "only ASCII digits");
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn any_bytes_survive_base32(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let encoded = base32_encode(&bytes);
            prop_assert_eq!(encoded.len(), (bytes.len() * 8).div_ceil(5));
            prop_assert_eq!(base32_decode(&encoded), Some(bytes));
        }

        #[test]
        fn any_text_decodes_or_is_refused_without_panicking(t in text(40)) {
            if let Some(bytes) = base32_decode(&t) {
                let kept = t.chars().filter(|c| !matches!(c, ' ' | '-' | '=')).count();
                prop_assert_eq!(bytes.len(), kept * 5 / 8);
            }
            if let Some(code) = parse_code(&t) {
                prop_assert!(code < 1_000_000);
            }
        }
    }
}
