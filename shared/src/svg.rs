//! Numbers as the map writes them into SVG and CSS: one decimal for coordinates and sizes, whole
//! numbers for pixels.
//!
//! `format!("{v:.1}")` would do, but the standard formatting of floats is about 9 KB of wasm
//! (exact and shortest digit generation), and the map's SVG was the only reason its first
//! load carried it. These use integer formatting, which every page has anyway.

/// `v` to one decimal: `12.3`, `-0.5`, `0.0`. Halves round away from zero (`format!` rounds an
/// exact half to even: the two differ by a tenth at most, and only there). A value that is not
/// finite is written `0.0`; one beyond `i64`'s range of tenths is held at its end.
pub fn tenths(v: f64) -> String {
    let t = (v * 10.0).round();
    // `as` saturates (NaN gives 0).
    let t = if t.is_finite() { t as i64 } else { 0 };
    let sign = if t < 0 { "-" } else { "" };
    let t = t.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

/// `v` rounded to a whole number: `1200`, `-3`. Not finite: `0`.
pub fn whole(v: f64) -> String {
    let v = v.round();
    (if v.is_finite() { v as i64 } else { 0 }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn coordinates_are_written_with_one_decimal() {
        assert_eq!(tenths(12.34), "12.3");
        assert_eq!(tenths(12.36), "12.4");
        assert_eq!(tenths(-0.44), "-0.4");
        assert_eq!(tenths(-0.04), "0.0");
        assert_eq!(tenths(0.0), "0.0");
        assert_eq!(
            tenths(1e300),
            format!("{}.{}", i64::MAX / 10, i64::MAX % 10)
        );
        assert_eq!(tenths(f64::NAN), "0.0");
        assert_eq!(tenths(f64::NEG_INFINITY), "0.0");
        assert_eq!(whole(1199.5), "1200");
        assert_eq!(whole(-2.6), "-3");
        assert_eq!(whole(f64::INFINITY), "0");
    }

    proptest! {
        /// What the map draws with: within a twentieth of the value, and what `format!` writes
        /// but at an exact half.
        #[test]
        fn tenths_are_what_format_writes(v in -1.0e7_f64..1.0e7) {
            let ours = tenths(v);
            let parsed: f64 = ours.parse().map_err(|e| TestCaseError::fail(format!("{ours}: {e}")))?;
            prop_assert!((parsed - v).abs() <= 0.05 + 1e-6, "{} for {}", ours, v);
            let theirs = format!("{v:.1}");
            let theirs_value: f64 = theirs.parse().unwrap_or(f64::NAN);
            if ours != theirs {
                // Only at a half, where the roundings differ, and never by more than a tenth.
                let half = (v * 10.0).fract().abs();
                prop_assert!((half - 0.5).abs() < 1e-6 || theirs == "-0.0", "{} against {} for {}", ours, theirs, v);
                prop_assert!((parsed - theirs_value).abs() <= 0.1 + 1e-6);
            }
        }

        #[test]
        fn whole_numbers_are_what_format_writes(v in -1.0e9_f64..1.0e9) {
            let ours = whole(v);
            let theirs = format!("{v:.0}");
            if ours != theirs {
                let half = v.fract().abs();
                prop_assert!((half - 0.5).abs() < 1e-9 || theirs == "-0", "{} against {} for {}", ours, theirs, v);
            }
        }
    }
}
