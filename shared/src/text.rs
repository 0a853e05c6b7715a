//! Text as people type it: the one way search and matching ignore case.
//!
//! Everything here works on characters, never on byte offsets: lower-casing changes the length
//! in bytes of some letters ('İ' grows, 'ẞ' and the Kelvin sign shrink), so an offset found in
//! a lower-cased copy is not an offset in the original, and the release build stops the whole
//! app on a slice that cuts a character in two.

/// `s` lower-cased one character at a time ([`fold_char`]), for comparing, sorting and
/// searching while ignoring case. Unlike `str::to_lowercase` it ignores context (a final
/// capital sigma folds to 'σ' wherever it stands), so the folding of a part of a text is
/// always a part of the folding of the whole: searching for a piece of an answer finds it.
pub fn fold_case(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// The lower case of `c` in the alphabets of the people the app is for: Latin (every letter
/// of Latin-1, Latin Extended-A and Latin Extended Additional, and the regular pairs of
/// Latin Extended-B: Welsh, Irish, Polish, Romanian, Turkish, Vietnamese and more), modern
/// Greek, Cyrillic and Armenian, plus the Kelvin and Ångström signs and the capital sharp s;
/// any other character as it is (archaic Greek, the African letters of Latin Extended-B,
/// Georgian, Cherokee and the like). It is `char::to_lowercase` wherever it folds
/// (checked against it for every character), except that 'İ' folds to 'i' rather than to 'i'
/// and a combining dot.
///
/// Why not the standard one: its table of every letter of every script is 11.7 KB, which was
/// 5.5 KB (brotli) of the app's core, downloaded on every first visit.
pub fn fold_char(c: char) -> char {
    let u = c as u32;
    let even = u.is_multiple_of(2);
    let folded = match u {
        0x41..=0x5A => u + 32,
        0xC0..=0xDE if u != 0xD7 => u + 32,
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 if even => u + 1,
        0x139..=0x148 | 0x179..=0x17E if !even => u + 1,
        0x130 => 0x69,
        0x178 => 0xFF,
        0x1CD..=0x1DC if !even => u + 1,
        0x1DE..=0x1EF | 0x1F8..=0x21F | 0x222..=0x233 if even => u + 1,
        0x386 => 0x3AC,
        0x388..=0x38A => u + 37,
        0x38C => 0x3CC,
        0x38E..=0x38F => u + 63,
        0x391..=0x3A1 | 0x3A3..=0x3AB => u + 32,
        0x400..=0x40F => u + 80,
        0x410..=0x42F => u + 32,
        0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x52F if even => u + 1,
        0x4C0 => 0x4CF,
        0x4C1..=0x4CE if !even => u + 1,
        0x531..=0x556 => u + 48,
        0x1E00..=0x1E95 | 0x1EA0..=0x1EFF if even => u + 1,
        0x1E9E => 0xDF,
        0x212A => 0x6B,
        0x212B => 0xE5,
        _ => u,
    };
    char::from_u32(folded).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_text::{config, text};
    use proptest::prelude::*;

    #[test]
    fn case_is_folded_letter_by_letter() {
        assert_eq!(fold_case("LSP Board"), "lsp board");
        assert_eq!(fold_case("İẞ\u{212A}Ŵ"), "ißkŵ");
        // In context `to_lowercase` makes this a final sigma; folding keeps every part findable.
        assert_eq!(fold_case("ΟΔΟΣ"), "οδοσ");
    }

    /// The blocks [`fold_char`] folds in full, as the standard lower case does.
    const FOLDED: &[std::ops::RangeInclusive<u32>] = &[
        0x0..=0x17F,
        0x1CD..=0x1EF,
        0x1F8..=0x21F,
        0x222..=0x233,
        0x386..=0x3AB,
        0x400..=0x52F,
        0x531..=0x556,
        0x1E00..=0x1EFF,
    ];

    #[test]
    #[allow(clippy::disallowed_methods)]
    fn every_letter_folds_as_the_standard_lower_case_in_the_blocks_it_covers() {
        for u in 0..=0x10FFFF_u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let ours = fold_char(c);
            let standard: Vec<char> = c.to_lowercase().collect();
            assert_eq!(fold_char(ours), ours, "folding {c:?} twice changes it");
            if ours != c {
                // Wherever it folds, it folds as the standard does ('İ' to its first letter).
                assert_eq!(standard.first(), Some(&ours), "{c:?} (U+{u:04X})");
            } else if FOLDED.iter().any(|r| r.contains(&u)) {
                assert_eq!(standard, [c], "{c:?} (U+{u:04X}) is not folded");
            }
        }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn the_folding_of_a_part_is_a_part_of_the_folding(a in text(10), b in text(10), c in text(10)) {
            let whole = format!("{a}{b}{c}");
            prop_assert!(fold_case(&whole).contains(&fold_case(&b)));
            prop_assert_eq!(fold_case(&fold_case(&whole)), fold_case(&whole), "folding twice changes nothing");
        }
    }
}
