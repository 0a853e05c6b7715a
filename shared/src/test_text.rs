//! Test-only: arbitrary text for the property tests, weighted towards the characters that
//! break byte arithmetic on strings: letters whose other case has another length in UTF-8
//! ('İ' lower-cases to two characters, 'ẞ' to the shorter 'ß', the Kelvin sign to 'k'), emoji
//! (four bytes, outside the Basic Multilingual Plane), combining marks, right-to-left letters
//! and direction controls, and the characters that CSV and postcodes treat specially.

use proptest::prelude::*;

/// The characters most likely to expose a byte offset used on the wrong string.
pub const TRICKY: &[char] = &[
    'İ', 'ı', 'ẞ', 'ß', '\u{212A}', 'K', 'k', 'Σ', 'ς', 'σ', 'ﬃ', 'Ω', '\u{2126}', '😀', '👩',
    '\u{200D}', '💻', '\u{301}', '\u{308}', 'e', 'א', 'ש', 'ع', '\u{202E}', '\u{200F}', '\u{FEFF}',
    '\u{0}', ' ', '\u{A0}', '\t', '\r', '\n', ',', '"', '\'', '=', '+', '-', '@', '>', ';', '_',
    'B', '9', '7', 'D', 'L', 'a', 'A', 'Z', '1', 'é',
];

/// One character: usually a tricky one, sometimes any character at all.
pub fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => proptest::sample::select(TRICKY),
        1 => any::<char>(),
    ]
}

/// Text of up to `max` characters drawn by [`tricky_char`].
pub fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(tricky_char(), 0..=max).prop_map(|cs| cs.into_iter().collect())
}

/// The suite's case count: enough to find a byte-slicing bug, small enough to stay fast.
pub fn config() -> ProptestConfig {
    ProptestConfig::with_cases(256)
}
