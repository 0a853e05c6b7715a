//! Two-step verification codes: TOTP (RFC 6238) with HMAC-SHA-1, six digits, 30-second steps,
//! as every authenticator app computes them. A code is accepted for the step before and after
//! the current one too (a phone's clock a little off, a code typed as it changed), and each
//! step at most once: the database keeps the last step used (`migrations/sqlite/0007_totp.sql`).
//!
//! The key's text form (base32) and the parsing of a typed code are `atlas_shared::accounts::
//! two_step`, with their property tests.

use atlas_shared::accounts::two_step::{CODE_DIGITS, STEP_SECONDS, base32_encode};
use hmac::{Hmac, KeyInit, Mac};
use password_hash::rand_core::{OsRng, RngCore};
use sha1::Sha1;

/// The issuer an authenticator app shows beside the account.
pub const ISSUER: &str = "Partnership Atlas";

/// The bytes of a new key: 160 bits, the length RFC 4226 recommends for HMAC-SHA-1.
pub fn new_secret() -> Vec<u8> {
    let mut bytes = vec![0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The time step of a moment, `unix_ms` since the epoch.
pub fn step_at(unix_ms: i64) -> i64 {
    unix_ms.div_euclid(1000) / STEP_SECONDS as i64
}

/// The code of `step` under `secret` (RFC 4226's HOTP with the step as the counter).
pub fn code_at(secret: &[u8], step: i64) -> u32 {
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(secret) else {
        // HMAC takes a key of any length; this never happens.
        return u32::MAX;
    };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let word = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    word % 10u32.pow(CODE_DIGITS as u32)
}

/// The step `code` belongs to, among the one before `now_step`, it and the one after, that is
/// later than `last_used` (a step already used is never accepted again).
pub fn matching_step(
    secret: &[u8],
    code: u32,
    now_step: i64,
    last_used: Option<i64>,
) -> Option<i64> {
    (now_step - 1..=now_step + 1)
        .filter(|s| last_used.is_none_or(|used| *s > used))
        .find(|s| code_at(secret, *s) == code)
}

/// The `otpauth://` link an authenticator app reads (the key, who it is for, the settings).
pub fn otpauth_uri(secret: &[u8], email: &str) -> String {
    let label = format!("{ISSUER}:{email}");
    format!(
        "otpauth://totp/{}?secret={}&issuer={}&algorithm=SHA1&digits={CODE_DIGITS}&period={STEP_SECONDS}",
        percent(&label),
        base32_encode(secret),
        percent(ISSUER)
    )
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 (key "12345678901234567890"): the eight-digit codes' last
    /// six digits, which is what a six-digit code is.
    #[test]
    fn codes_match_rfc_6238s_reference_vectors() {
        let key = b"12345678901234567890";
        for (unix_seconds, eight_digits) in [
            (59_i64, 94_287_082_u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ] {
            let step = step_at(unix_seconds * 1000);
            assert_eq!(
                code_at(key, step),
                eight_digits % 1_000_000,
                "at {unix_seconds}"
            );
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_each_step_once() {
        let key = b"12345678901234567890";
        let now = step_at(1_111_111_111_000);
        let code = code_at(key, now);
        assert_eq!(matching_step(key, code, now, None), Some(now));
        assert_eq!(matching_step(key, code, now + 1, None), Some(now));
        assert_eq!(matching_step(key, code, now - 1, None), Some(now));
        assert_eq!(matching_step(key, code, now + 2, None), None);
        assert_eq!(matching_step(key, code, now, Some(now)), None, "used once");
        assert_eq!(matching_step(key, code, now, Some(now - 1)), Some(now));
    }

    #[test]
    fn the_link_names_the_issuer_the_account_and_the_key() {
        let uri = otpauth_uri(b"foobar", "sam@example.org");
        assert_eq!(
            uri,
            "otpauth://totp/Partnership%20Atlas%3Asam%40example.org?secret=MZXW6YTBOI&\
             issuer=Partnership%20Atlas&algorithm=SHA1&digits=6&period=30"
        );
    }
}
