//! Text as people type it: the one way search and matching ignore case.
//!
//! Everything here works on characters, never on byte offsets: lower-casing changes the length
//! in bytes of some letters ('İ' grows, 'ẞ' and the Kelvin sign shrink), so an offset found in
//! a lower-cased copy is not an offset in the original, and the release build stops the whole
//! app on a slice that cuts a character in two.

/// `s` lower-cased one character at a time, for comparing and searching while ignoring case.
/// Unlike `str::to_lowercase` it ignores context (a final capital sigma folds to 'σ' wherever
/// it stands), so the folding of a part of a text is always a part of the folding of the whole:
/// searching for a piece of an answer finds it.
pub fn fold_case(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_text::{config, text};
    use proptest::prelude::*;

    #[test]
    fn case_is_folded_letter_by_letter() {
        assert_eq!(fold_case("LSP Board"), "lsp board");
        assert_eq!(fold_case("İẞ\u{212A}"), "i\u{307}ßk");
        // In context `to_lowercase` makes this a final sigma; folding keeps every part findable.
        assert_eq!(fold_case("ΟΔΟΣ"), "οδοσ");
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
