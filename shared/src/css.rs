//! Stylesheets as the browser gets them: without comments, indentation or blank lines.
//!
//! The app's stylesheets explain themselves in comments, which were a quarter of what a
//! first visit downloaded of them. [`compact`] leaves them out when the sheets are compiled
//! into the app (`frontend/src/styles.rs`, through [`compact_css!`](crate::compact_css)),
//! and the build does the same to `style.css` (`xtask/src/bundle.rs`); the server hashes the
//! same compacted text for its content security policy.
//!
//! What changes: each comment becomes a space, a run of spaces and tabs becomes one space,
//! and each line loses its leading and trailing space, and is left out when nothing is left.
//! CSS reads any run of white space as one, so no rule changes meaning. Strings are kept
//! byte for byte (a `/*` in one is not a comment). A comment or string that never ends, and
//! a string continued on the next line, are errors, not guesses. It runs at compile time, so it is written with `while` loops
//! over bytes; every byte it drops is ASCII, so what is left is still UTF-8.

/// Why a stylesheet cannot be compacted.
pub type Unreadable = &'static str;

/// `css` compacted, as a string.
pub fn compact(css: &str) -> Result<String, Unreadable> {
    let len = run(css.as_bytes(), &mut [], false)?;
    let mut out = vec![0; len];
    run(css.as_bytes(), &mut out, true)?;
    String::from_utf8(out).map_err(|_| "a stylesheet is not UTF-8")
}

/// The length of `css` compacted; a compile error when it cannot be.
pub const fn compact_len(css: &str) -> usize {
    match run(css.as_bytes(), &mut [], false) {
        Ok(len) => len,
        Err(why) => panic!("{}", why),
    }
}

/// `css` compacted, `N` bytes long (`compact_len(css)`); a compile error when it cannot be.
pub const fn compact_bytes<const N: usize>(css: &str) -> [u8; N] {
    let mut out = [0; N];
    match run(css.as_bytes(), &mut out, true) {
        Ok(len) if len == N => out,
        Ok(_) => panic!("compact_bytes::<N> needs N = compact_len(css)"),
        Err(why) => panic!("{}", why),
    }
}

/// A stylesheet's text (`include_str!`) compacted at compile time, as a `&'static str`.
#[macro_export]
macro_rules! compact_css {
    ($css:expr) => {{
        const SOURCE: &str = $css;
        const LEN: usize = $crate::css::compact_len(SOURCE);
        const BYTES: [u8; LEN] = $crate::css::compact_bytes::<LEN>(SOURCE);
        const TEXT: &str = match ::core::str::from_utf8(&BYTES) {
            Ok(text) => text,
            Err(_) => panic!("a compacted stylesheet is not UTF-8"),
        };
        TEXT
    }};
}

/// Compacts `css` into `out` when `write` (else only counts), answering the length.
const fn run(css: &[u8], out: &mut [u8], write: bool) -> Result<usize, Unreadable> {
    let mut len = 0;
    let mut at = 0;
    // Something other than white space is on this line already.
    let mut content = false;
    // White space (or a comment) since the last thing written on this line.
    let mut space = false;
    while at < css.len() {
        let byte = css[at];
        if byte == b'/' && at + 1 < css.len() && css[at + 1] == b'*' {
            at += 2;
            loop {
                if at + 1 >= css.len() {
                    return Err("a stylesheet has a comment that never ends");
                }
                if css[at] == b'*' && css[at + 1] == b'/' {
                    at += 2;
                    break;
                }
                at += 1;
            }
            space = true;
            continue;
        }
        match byte {
            b'\n' | b'\r' => {
                if content {
                    if write {
                        out[len] = b'\n';
                    }
                    len += 1;
                }
                content = false;
                space = false;
                at += 1;
            }
            b' ' | b'\t' | 0x0c => {
                space = true;
                at += 1;
            }
            _ => {
                if space && content {
                    if write {
                        out[len] = b' ';
                    }
                    len += 1;
                }
                space = false;
                content = true;
                if write {
                    out[len] = byte;
                }
                len += 1;
                at += 1;
                if byte == b'"' || byte == b'\'' {
                    // The string, to its closing quote, as it is.
                    loop {
                        if at >= css.len() || css[at] == b'\n' || css[at] == b'\r' {
                            return Err("a stylesheet has a string that never ends");
                        }
                        let inner = css[at];
                        let escaped = inner == b'\\';
                        let taken = if escaped { 2 } else { 1 };
                        if at + taken > css.len() {
                            return Err("a stylesheet has a string that never ends");
                        }
                        if escaped && (css[at + 1] == b'\n' || css[at + 1] == b'\r') {
                            return Err("a stylesheet has a string across lines");
                        }
                        let mut i = 0;
                        while i < taken {
                            if write {
                                out[len] = css[at + i];
                            }
                            len += 1;
                            i += 1;
                        }
                        at += taken;
                        if !escaped && inner == byte {
                            break;
                        }
                    }
                }
            }
        }
    }
    if content {
        if write {
            out[len] = b'\n';
        }
        len += 1;
    }
    Ok(len)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn comments_indentation_and_blank_lines_go_and_strings_stay() {
        let css = "/* About.\n * More. */\n.a {\n  color:  red; /* why **/\n}\n\n.b/**/.c { content: \"/* kept */\"; }\n.d::after { content: '\\'' }\n";
        assert_eq!(
            compact(css).as_deref(),
            Ok(
                ".a {\ncolor: red;\n}\n.b .c { content: \"/* kept */\"; }\n.d::after { content: '\\'' }\n"
            )
        );
        assert!(compact(".a { x: 1 } /* open").is_err());
        assert!(compact(".a { x: 1 } /*/").is_err());
        assert!(compact(".a { content: \"one\ntwo\" }").is_err());
        assert!(compact(".a { content: \"open").is_err());
        assert!(compact(".a { content: \"open\\").is_err());
        assert!(compact(".a { content: \"one\\\ntwo\" }").is_err());
        assert_eq!(compact("  \n\t\n").as_deref(), Ok(""));
    }

    const COMPILED: &str = crate::compact_css!(".x { /* a */ color: red; }\n");

    #[test]
    fn the_macro_compacts_at_compile_time_as_at_run_time() {
        assert_eq!(COMPILED, ".x { color: red; }\n");
        assert_eq!(
            compact(".x { /* a */ color: red; }\n").as_deref(),
            Ok(COMPILED)
        );
    }

    /// Stylesheet-like text: words, punctuation, quotes, comment marks, white space.
    fn sheet() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("/*".to_owned()),
                Just("*/".to_owned()),
                Just("\"".to_owned()),
                Just("'".to_owned()),
                Just("\\".to_owned()),
                Just("\n".to_owned()),
                Just(" ".to_owned()),
                Just("\t".to_owned()),
                "[a-z.#:;{}()é€-]{1,4}",
                any::<char>().prop_map(String::from),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_text_is_compacted_or_refused_never_a_panic(css in sheet()) {
            if let Ok(once) = compact(&css) {
                // Compacting again changes nothing.
                prop_assert_eq!(compact(&once), Ok(once.clone()));
                // No line starts or ends with CSS's white space, and none is empty.
                let css_space = |c: char| matches!(c, ' ' | '\t' | '\x0c');
                for line in once.lines() {
                    prop_assert!(
                        !line.is_empty() && line.trim_matches(css_space) == line,
                        "{:?}",
                        line
                    );
                }
            }
        }

        #[test]
        fn without_comments_or_strings_only_white_space_changes(
            css in "[a-z.#:;{}()é€ \t\n-]{0,60}"
        ) {
            let once = compact(&css).map_err(TestCaseError::fail)?;
            let words = |t: &str| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
            prop_assert_eq!(words(&once), words(&css));
        }
    }
}
