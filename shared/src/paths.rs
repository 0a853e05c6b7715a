//! Which page an address is: each page's path pattern (`/partnerships/:id/map`) and the
//! matching of a path against a table of them, with the values of the `:name` segments.
//!
//! The browser app's pages are found with this rather than with one router component per
//! page: a table of patterns is data, where each routed component is code of its own, and
//! the app's core (downloaded before any page) would carry every page's routing.
//!
//! A pattern is `/` or `/` followed by segments separated by `/`, each either text that must
//! be equal or `:name`, which matches any one non-empty segment. A path matches when it has
//! as many segments, ignoring one trailing `/`. When several patterns match, the one that is
//! more specific wins: at the first segment where they differ, text beats a `:name`
//! (`/partnerships/new` is not the partnership `new`). Among patterns of the same shape the
//! first in the table wins. The values are percent-decoded (`%20` is a space); a segment that
//! does not decode to UTF-8 is kept as it was written.

/// The values of a pattern's `:name` segments, in order: `(name, value)`.
pub type Params = Vec<(&'static str, String)>;

/// The page `page` matched, and the values of its pattern's `:name` segments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matched<T> {
    pub page: T,
    pub params: Params,
}

impl<T> Matched<T> {
    /// The value of the segment `:name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        param(&self.params, name)
    }
}

/// The value of the segment `:name` in `params`.
pub fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
}

/// The page of `table` that `path` (an address's path, as `location.pathname` gives it: no
/// query, no fragment) is, or `None` when none is.
pub fn match_path<T: Copy>(table: &[(&'static str, T)], path: &str) -> Option<Matched<T>> {
    let segments = segments(path);
    let mut best: Option<(Vec<bool>, Matched<T>)> = None;
    for (pattern, page) in table {
        let Some((shape, params)) = match_pattern(pattern, &segments) else {
            continue;
        };
        if best.as_ref().is_none_or(|(b, _)| shape < *b) {
            best = Some((
                shape,
                Matched {
                    page: *page,
                    params,
                },
            ));
        }
    }
    best.map(|(_, matched)| matched)
}

/// The path's segments: `/a/b/` and `/a/b` are `["a", "b"]`, `/` and `` are none.
fn segments(path: &str) -> Vec<&str> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed.split('/').collect()
    }
}

/// When the segments of `path` match `pattern`: which of its segments are `:name`s (the
/// shape, by which the most specific match is chosen) and the values they took.
fn match_pattern(pattern: &'static str, path: &[&str]) -> Option<(Vec<bool>, Params)> {
    let wanted = segments(pattern);
    if wanted.len() != path.len() {
        return None;
    }
    let mut shape = Vec::with_capacity(wanted.len());
    let mut params = Vec::new();
    for (want, got) in wanted.into_iter().zip(path) {
        match want.strip_prefix(':') {
            Some(name) => {
                if got.is_empty() {
                    return None;
                }
                shape.push(true);
                params.push((name, percent_decode(got)));
            }
            None => {
                if want != *got {
                    return None;
                }
                shape.push(false);
            }
        }
    }
    Some((shape, params))
}

/// `%XX` escapes decoded; the segment as written when they are malformed or do not make
/// UTF-8.
fn percent_decode(segment: &str) -> String {
    if !segment.contains('%') {
        return segment.to_owned();
    }
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                None => return segment.to_owned(),
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| segment.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_text;
    use proptest::prelude::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum P {
        Home,
        New,
        Partnership,
        Map,
        History,
        Year,
    }

    const TABLE: &[(&str, P)] = &[
        ("/", P::Home),
        ("/partnerships/:id", P::Partnership),
        ("/partnerships/new", P::New),
        ("/partnerships/:id/map", P::Map),
        ("/history/:kind/:id", P::History),
        ("/partnerships/:id/annual-report/:year", P::Year),
    ];

    fn page(path: &str) -> Option<P> {
        match_path(TABLE, path).map(|m| m.page)
    }

    #[test]
    fn the_root_and_trailing_slashes() {
        assert_eq!(page("/"), Some(P::Home));
        assert_eq!(page(""), Some(P::Home));
        assert_eq!(page("/partnerships/7/map/"), Some(P::Map));
        assert_eq!(page("/partnerships"), None);
        assert_eq!(page("/partnerships/"), None);
        assert_eq!(page("/partnerships//map"), None);
    }

    #[test]
    fn text_beats_a_name_wherever_it_is_listed() {
        assert_eq!(page("/partnerships/new"), Some(P::New));
        assert_eq!(page("/partnerships/newer"), Some(P::Partnership));
        let reversed: Vec<(&str, P)> = TABLE.iter().rev().copied().collect();
        assert_eq!(
            match_path(&reversed, "/partnerships/new").map(|m| m.page),
            Some(P::New)
        );
    }

    #[test]
    fn values_are_named_and_decoded() {
        let m = match_path(TABLE, "/history/body/0199-ab").expect("matched");
        assert_eq!(m.page, P::History);
        assert_eq!(m.param("kind"), Some("body"));
        assert_eq!(m.param("id"), Some("0199-ab"));
        assert_eq!(m.param("year"), None);
        let m = match_path(TABLE, "/partnerships/Bath%20%26%20NE%20Somerset%20%C3%A9").expect("m");
        assert_eq!(m.param("id"), Some("Bath & NE Somerset é"));
        let m = match_path(TABLE, "/partnerships/50%25/annual-report/2011").expect("m");
        assert_eq!(m.param("id"), Some("50%"));
        assert_eq!(m.param("year"), Some("2011"));
        // Malformed or not UTF-8: kept as written.
        for raw in ["%zz", "%", "%C3", "a%2"] {
            let m = match_path(TABLE, &format!("/partnerships/{raw}")).expect("m");
            assert_eq!(m.param("id"), Some(raw));
        }
    }

    /// A segment value as it appears in an address: every byte outside the unreserved set
    /// escaped.
    fn encode(value: &str) -> String {
        value
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    proptest! {
        #![proptest_config(test_text::config())]

        #[test]
        fn any_path_is_matched_or_not_without_panicking(path in test_text::text(40)) {
            let _ = match_path(TABLE, &path);
            let _ = match_path(TABLE, &format!("/partnerships/{path}/map"));
        }

        #[test]
        fn any_values_put_into_a_pattern_come_back_out(
            kind in test_text::text(12).prop_filter("non-empty", |s| !s.is_empty()),
            id in test_text::text(12).prop_filter("non-empty", |s| !s.is_empty()),
        ) {
            let path = format!("/history/{}/{}", encode(&kind), encode(&id));
            let m = match_path(TABLE, &path).expect("matched");
            prop_assert_eq!(m.page, P::History);
            prop_assert_eq!(m.param("kind"), Some(kind.as_str()));
            prop_assert_eq!(m.param("id"), Some(id.as_str()));
        }
    }
}
