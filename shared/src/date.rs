//! Calendar dates: one type, [`IsoDate`], for every day a record holds (a consultation's
//! opening and closing days, an event's day, and the deadlines, meetings and milestones still
//! to come), with one parser, one formatter for people and the arithmetic the rules need.
//!
//! On the wire and in storage a date is the text an HTML date input sends, `YYYY-MM-DD`, so
//! records stored before this type existed read unchanged. A value of this type is always a
//! real day of the proleptic Gregorian calendar between 0001-01-01 and 9999-12-31: a record
//! that deserialises holds no "31 February" to trip a later rule.
//!
//! Like the rest of `shared`, nothing here reads a clock: "today" comes from the caller
//! ([`IsoDate::from_unix_ms`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::validate::FieldError;

/// The months' names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MS_PER_DAY: i64 = 86_400_000;

/// A day of the calendar, written `2010-01-23`. Ordered by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    // Field order is time order, so the derived `Ord` is the calendar's.
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("no date was given")]
    Empty,
    #[error("not a real date written like 2010-01-23")]
    NotADate,
}

impl IsoDate {
    /// The day `day` of `month` (1 to 12) of `year` (1 to 9999), if there is such a day.
    pub fn new(year: u32, month: u32, day: u32) -> Option<Self> {
        let ok = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        // The range checks above make the narrowing exact.
        ok.then_some(IsoDate {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// A day known when the code is written (a seed paper's date, a test fixture). In a
    /// `const` an impossible day fails the build; never pass it what a person typed.
    pub const fn known(year: u16, month: u8, day: u8) -> Self {
        let last = days_in_month(year as u32, month as u32);
        assert!(
            year >= 1 && year <= 9999 && day >= 1 && day as u32 <= last,
            "not a real day"
        );
        IsoDate { year, month, day }
    }

    /// Exactly `YYYY-MM-DD` naming a real day (surrounding spaces allowed). Anything else,
    /// `23/01/2010` or `2010-1-23` or `2010-02-29`, is refused.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let s = text.trim();
        if s.is_empty() {
            return Err(DateError::Empty);
        }
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateError::NotADate);
        }
        // Every byte but the two dashes must be an ASCII digit, so the slices below fall on
        // character boundaries.
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = b.get(range)?;
            part.iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        match (digits(0..4), digits(5..7), digits(8..10)) {
            (Some(y), Some(m), Some(d)) => Self::new(y, m, d).ok_or(DateError::NotADate),
            _ => Err(DateError::NotADate),
        }
    }

    pub fn year(self) -> u32 {
        u32::from(self.year)
    }

    /// 1 for January to 12 for December.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// The month's name: "January".
    pub fn month_name(self) -> &'static str {
        MONTHS[usize::from(self.month) - 1]
    }

    /// As people write it in the UK: "23 January 2010".
    pub fn long(self) -> String {
        format!("{} {} {}", self.day, self.month_name(), self.year)
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        )
    }

    /// The day `days` after 1970-01-01, if it is within years 1 to 9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Self> {
        // Well beyond years 1 to 9999 either way, and far from overflowing the arithmetic.
        if !(-800_000..=3_000_000).contains(&days) {
            return None;
        }
        let (y, m, d) = civil_from_days(days);
        let (y, m, d) = (u32::try_from(y).ok()?, m as u32, d as u32);
        Self::new(y, m, d)
    }

    /// The UTC day of an instant given as milliseconds since the Unix epoch (the caller's
    /// clock: `Date.now()` in the browser, the system clock on the server).
    pub fn from_unix_ms(ms: i64) -> Option<Self> {
        Self::from_days_since_epoch(ms.div_euclid(MS_PER_DAY))
    }

    /// Midnight UTC at the start of this day, in milliseconds since the Unix epoch.
    pub fn unix_ms(self) -> i64 {
        self.days_since_epoch() * MS_PER_DAY
    }

    /// The day `n` days later (earlier when negative), if still within years 1 to 9999.
    pub fn add_days(self, n: i64) -> Option<Self> {
        Self::from_days_since_epoch(self.days_since_epoch().checked_add(n)?)
    }

    /// The same day `n` months later (earlier when negative); a day the month lacks becomes
    /// its last (31 January plus one month is 28 or 29 February), as deadlines are counted.
    pub fn add_months(self, n: i32) -> Option<Self> {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(n);
        let year = u32::try_from(index.div_euclid(12)).ok()?;
        let month = index.rem_euclid(12) as u32 + 1;
        let day = self.day().min(days_in_month(year.max(1), month));
        Self::new(year, month, day)
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: IsoDate) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for IsoDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, DateError> {
        Self::parse(s)
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        IsoDate::parse(&text).map_err(|_| {
            serde::de::Error::custom(format_args!(
                "{text:?} is not a real date written like 2010-01-23"
            ))
        })
    }
}

/// A date typed into the form field `field`, which may be left empty: `Ok(None)` when it is,
/// else the day or an error in GOV.UK words ("The opening date must be a real date, written
/// like 2010-01-23"). `what` names the date in lower case ("the opening date").
pub fn optional_date_input(
    field: &str,
    input: &str,
    what: &str,
) -> Result<Option<IsoDate>, FieldError> {
    match IsoDate::parse(input) {
        Ok(date) => Ok(Some(date)),
        Err(DateError::Empty) => Ok(None),
        Err(DateError::NotADate) => Err(not_a_date(field, what)),
    }
}

/// A date typed into the form field `field` that must be given: as
/// [`optional_date_input`], and an empty field is "Enter the event's date".
pub fn date_input(field: &str, input: &str, what: &str) -> Result<IsoDate, FieldError> {
    match IsoDate::parse(input) {
        Ok(date) => Ok(date),
        Err(DateError::Empty) => Err(FieldError::new(field, format!("Enter {what}"))),
        Err(DateError::NotADate) => Err(not_a_date(field, what)),
    }
}

fn not_a_date(field: &str, what: &str) -> FieldError {
    let what = crate::validate::capitalise(what);
    FieldError::new(
        field,
        format!("{what} must be a real date, written like 2010-01-23"),
    )
}

const fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

const fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: `(year, month, day)`.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_text::{config, text};
    use proptest::prelude::*;

    fn d(s: &str) -> IsoDate {
        IsoDate::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn real_days_parse_and_print_as_they_were_written() {
        for good in [
            "2010-01-23",
            "2012-02-29",
            "2000-02-29",
            "2010-12-31",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert_eq!(d(good).to_string(), good);
        }
        assert_eq!(d(" 2010-01-23 ").to_string(), "2010-01-23");
    }

    #[test]
    fn anything_but_a_real_day_is_refused() {
        for bad in [
            "2010-1-23",
            "23/01/2010",
            "2010-02-29",
            "1900-02-29",
            "2010-13-01",
            "2010-04-31",
            "2010-00-10",
            "0000-01-01",
            "+010-01-01",
            "2010-01-2x",
            "２010-01-01",
        ] {
            assert_eq!(IsoDate::parse(bad), Err(DateError::NotADate), "{bad}");
        }
        assert_eq!(IsoDate::parse("  "), Err(DateError::Empty));
    }

    /// Every day from 0001-01-01 to 9999-12-31, walked by the calendar's own rules, is one day
    /// after the one before it, and converts to a day count and back unchanged.
    #[test]
    fn every_day_of_ten_thousand_years_counts_one_after_the_last() {
        let mut previous = IsoDate::new(1, 1, 1).map(IsoDate::days_since_epoch);
        let mut count = 0;
        for year in 1..=9999 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let date = IsoDate::new(year, month, day).expect("a real day");
                    let days = date.days_since_epoch();
                    if count > 0 {
                        assert_eq!(Some(days - 1), previous, "{date}");
                    }
                    assert_eq!(IsoDate::from_days_since_epoch(days), Some(date));
                    previous = Some(days);
                    count += 1;
                }
            }
        }
        assert_eq!(count, 3_652_059);
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(
            IsoDate::from_days_since_epoch(-719_162),
            Some(d("0001-01-01"))
        );
        assert_eq!(IsoDate::from_days_since_epoch(-719_163), None);
        assert_eq!(
            IsoDate::from_days_since_epoch(2_932_896),
            Some(d("9999-12-31"))
        );
        assert_eq!(IsoDate::from_days_since_epoch(2_932_897), None);
        assert_eq!(IsoDate::from_days_since_epoch(i64::MAX / 2), None);
    }

    #[test]
    fn dates_order_by_time_and_read_as_people_write_them() {
        assert!(d("2010-01-31") < d("2010-02-01"));
        assert!(d("2009-12-31") < d("2010-01-01"));
        assert_eq!(d("2010-01-04").long(), "4 January 2010");
        assert_eq!(d("2011-06-16").long(), "16 June 2011");
    }

    #[test]
    fn deadlines_count_days_and_months_as_people_do() {
        // Two months after a recommendation is received (SI 2009/1919).
        assert_eq!(d("2011-11-15").add_months(2), Some(d("2012-01-15")));
        assert_eq!(d("2011-12-31").add_months(2), Some(d("2012-02-29")));
        assert_eq!(d("2010-03-31").add_months(-1), Some(d("2010-02-28")));
        assert_eq!(d("9999-12-01").add_months(1), None);
        assert_eq!(d("2010-02-28").add_days(1), Some(d("2010-03-01")));
        assert_eq!(d("2010-01-01").days_until(d("2010-03-01")), 59);
        assert_eq!(
            IsoDate::from_unix_ms(1_263_513_600_000),
            Some(d("2010-01-15"))
        );
        assert_eq!(IsoDate::from_unix_ms(-1), Some(d("1969-12-31")));
        assert_eq!(d("2010-01-15").unix_ms(), 1_263_513_600_000);
    }

    #[test]
    fn a_date_travels_as_the_text_of_a_date_input() {
        let json = serde_json::to_string(&d("2010-01-04")).unwrap_or_default();
        assert_eq!(json, r#""2010-01-04""#);
        let back: Result<IsoDate, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(d("2010-01-04")));
        let bad = serde_json::from_str::<IsoDate>(r#""31/01/2010""#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            bad.contains("not a real date written like 2010-01-23"),
            "{bad}"
        );
    }

    #[test]
    fn form_inputs_say_what_is_wrong_with_the_date() {
        assert_eq!(
            optional_date_input("opens_on", "", "the opening date"),
            Ok(None)
        );
        assert_eq!(
            optional_date_input("opens_on", "31/01/2010", "the opening date"),
            Err(FieldError::new(
                "opens_on",
                "The opening date must be a real date, written like 2010-01-23"
            ))
        );
        assert_eq!(
            date_input("date", " ", "the event's date"),
            Err(FieldError::new("date", "Enter the event's date"))
        );
        assert_eq!(date_input("date", "2010-01-16", "x"), Ok(d("2010-01-16")));
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn a_date_of_any_text_is_a_real_day_or_refused(
            s in prop_oneof![text(12), "[0-9]{4}-[0-9]{2}-[0-9]{2}", "[0-9]{4}.[0-9]{2}.[0-9]{2}"],
        ) {
            match IsoDate::parse(&s) {
                Ok(date) => prop_assert_eq!(date.to_string(), s.trim()),
                Err(_) => {
                    let t = s.trim();
                    let parts: Option<(u32, u32, u32)> = (t.len() == 10 && t.is_ascii())
                        .then(|| t.split('-').collect::<Vec<_>>())
                        .filter(|p| p.len() == 3 && p.iter().all(|x| x.bytes().all(|b| b.is_ascii_digit())))
                        .and_then(|p| Some((p[0].parse().ok()?, p[1].parse().ok()?, p[2].parse().ok()?)));
                    // Refused: then it is not YYYY-MM-DD with a month and a day every month has.
                    if let Some((y, m, d)) = parts {
                        prop_assert!(y == 0 || !(1..=12).contains(&m) || !(1..=28).contains(&d), "{s:?}");
                    }
                }
            }
        }

        #[test]
        fn adding_days_and_months_never_panics_and_stays_a_real_day(
            start in 0i64..3_652_059,
            days in any::<i64>(),
            months in any::<i32>(),
        ) {
            let date = IsoDate::from_days_since_epoch(start - 719_162).expect("in range");
            if let Some(later) = date.add_days(days) {
                prop_assert_eq!(date.days_until(later), days);
            }
            if let Some(later) = date.add_months(months) {
                prop_assert!(later.day() <= date.day());
                prop_assert!(IsoDate::parse(&later.to_string()).is_ok());
            }
        }
    }
}
