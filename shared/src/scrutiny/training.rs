//! Councillor training sessions about the partnership, and the checks seed 004 asks of them:
//! recommendation 9 wants "an event focussing on the Partnership" in the annual councillor
//! training programme (the response: sessions by the Partnership Manager in October 2010 and
//! October 2011), so the app answers "was this year's session held?" for every year since
//! the first; recommendation 8 wants information about the partnership in the induction
//! material, which a session records as its material (the induction pack).
//!
//! One synced kind, [`TrainingSession`]: who attended is a list of names (councillors are
//! not records of their own), read by the partnership's members, not the public.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::accounts::Access;
use crate::date::IsoDate;
use crate::entity::{Record, RefField};
use crate::ids::{PartnershipId, define_id};
use crate::text::fold_case;
use crate::validate::{Errors, FieldError, MAX_NAME_CHARS, Validate};

define_id!(
    /// A councillor training session about the partnership.
    TrainingSessionId
);

/// The most names one session's attendance lists.
pub const MAX_ATTENDEES: usize = 500;

/// A training session for councillors about the partnership.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingSession {
    pub partnership_id: PartnershipId,
    pub date: IsoDate,
    /// What it covered ("The Redditch Partnership: what it is and how it works").
    pub topic: String,
    /// Who gave it ("Redditch Partnership Manager").
    #[serde(default)]
    pub trainer: String,
    /// What was handed out or shown ("The induction pack").
    #[serde(default)]
    pub material: String,
    /// Who attended, by name, in the order recorded.
    #[serde(default)]
    pub attendees: Vec<String>,
    /// Anything to say about the record itself, e.g. that its day is illustrative.
    #[serde(default)]
    pub note: String,
}

impl Record for TrainingSession {
    type Id = TrainingSessionId;
    const WIRE_NAME: &'static str = "training_session";
    const NOUN: &'static str = "training session";
    const PLURAL: &'static str = "training sessions";
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|t| Some(t.partnership_id.0))];
    /// Named councillors' attendance: for the partnership's members, not the public.
    const READ: Access = Access::Member;
}

impl Validate for TrainingSession {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("topic", &self.topic, "the session's topic");
        e.max_chars("trainer", &self.trainer, MAX_NAME_CHARS, "the trainer");
        e.max_chars("material", &self.material, MAX_NAME_CHARS, "the material");
        if self.attendees.len() > MAX_ATTENDEES {
            e.0.push(FieldError::new(
                "attendees",
                format!("List at most {MAX_ATTENDEES} people who attended"),
            ));
        }
        for (i, name) in self.attendees.iter().enumerate() {
            if name.trim().is_empty() {
                e.0.push(FieldError::new(
                    "attendees",
                    format!("Name {}: enter the person's name", i + 1),
                ));
            } else if name.chars().count() > MAX_NAME_CHARS {
                e.0.push(FieldError::new(
                    "attendees",
                    format!(
                        "Name {}: a name must be {MAX_NAME_CHARS} characters or fewer",
                        i + 1
                    ),
                ));
            }
        }
        e.text("note", &self.note, "the note");
        e.finish()
    }
}

/// Names as a form writes them, one a line: blank lines skipped, spaces trimmed. Any text is
/// safe to pass.
pub fn parse_names(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether a year had its annual session on the partnership (seed 004, recommendation 9).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnnualCheck {
    /// Held, on these days.
    Held(Vec<IsoDate>),
    /// The year is not over and no session has been held yet.
    NotYet,
    /// The year ended with no session.
    Missed,
}

impl AnnualCheck {
    /// In words, for the year `year`: "Held on 1 October 2010", "Not held yet this year",
    /// "No session was held".
    pub fn sentence(&self) -> String {
        match self {
            Self::Held(days) => {
                let days: Vec<String> = days.iter().map(|d| d.long()).collect();
                format!("Held on {}", days.join(" and on "))
            }
            Self::NotYet => "Not held yet this year".to_owned(),
            Self::Missed => "No session was held".to_owned(),
        }
    }
}

/// "Was this year's session held?", for every year from the first session's to `today`'s
/// (none when no session is recorded), earliest first. Sessions dated after today do not
/// count as held.
pub fn annual_checks<'a>(
    sessions: impl IntoIterator<Item = &'a TrainingSession>,
    today: IsoDate,
) -> Vec<(u32, AnnualCheck)> {
    let mut by_year: BTreeMap<u32, Vec<IsoDate>> = BTreeMap::new();
    for s in sessions {
        if s.date <= today {
            by_year.entry(s.date.year()).or_default().push(s.date);
        }
    }
    let Some(first) = by_year.keys().next().copied() else {
        return Vec::new();
    };
    (first..=today.year())
        .map(|year| {
            let check = match by_year.remove(&year) {
                Some(mut days) => {
                    days.sort_unstable();
                    days.dedup();
                    AnnualCheck::Held(days)
                }
                None if year == today.year() => AnnualCheck::NotYet,
                None => AnnualCheck::Missed,
            };
            (year, check)
        })
        .collect()
}

/// Each person's training record: the days of the sessions they attended, by name (names
/// that differ only in case or outer spaces are one person, written as at their earliest
/// session), sorted by name.
pub fn attendance<'a>(
    sessions: impl IntoIterator<Item = &'a TrainingSession>,
) -> Vec<(String, Vec<IsoDate>)> {
    let mut sessions: Vec<&TrainingSession> = sessions.into_iter().collect();
    sessions.sort_by_key(|s| s.date);
    let mut people: BTreeMap<String, (String, Vec<IsoDate>)> = BTreeMap::new();
    for s in sessions {
        for name in &s.attendees {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let entry = people
                .entry(fold_case(name))
                .or_insert_with(|| (name.to_owned(), Vec::new()));
            entry.1.push(s.date);
        }
    }
    people
        .into_values()
        .map(|(name, mut days)| {
            days.sort_unstable();
            days.dedup();
            (name, days)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn session(date: IsoDate, attendees: &[&str]) -> TrainingSession {
        TrainingSession {
            partnership_id: PartnershipId::new(1, [1; 10]),
            date,
            topic: "The Redditch Partnership".into(),
            trainer: "Redditch Partnership Manager".into(),
            material: String::new(),
            attendees: attendees.iter().map(|a| (*a).to_owned()).collect(),
            note: String::new(),
        }
    }

    /// Seed 004 #9: sessions in October 2010 and October 2011.
    fn redditch() -> Vec<TrainingSession> {
        vec![
            session(IsoDate::known(2011, 10, 1), &["cllr a ", "Cllr B"]),
            session(IsoDate::known(2010, 10, 1), &["Cllr A"]),
        ]
    }

    #[test]
    fn each_year_since_the_first_session_says_whether_it_had_one() {
        let today = IsoDate::known(2012, 11, 30);
        assert_eq!(
            annual_checks(&redditch(), today),
            [
                (2010, AnnualCheck::Held(vec![IsoDate::known(2010, 10, 1)])),
                (2011, AnnualCheck::Held(vec![IsoDate::known(2011, 10, 1)])),
                (2012, AnnualCheck::NotYet),
            ]
        );
        let later = annual_checks(&redditch(), IsoDate::known(2013, 1, 2));
        assert_eq!(later[2], (2012, AnnualCheck::Missed));
        assert_eq!(later[3], (2013, AnnualCheck::NotYet));
        assert_eq!(later[2].1.sentence(), "No session was held");
        assert_eq!(later[0].1.sentence(), "Held on 1 October 2010");
        // A session planned for later in the year is not yet held.
        let planned = annual_checks(&redditch(), IsoDate::known(2011, 9, 1));
        assert_eq!(planned.last(), Some(&(2011, AnnualCheck::NotYet)));
        assert_eq!(annual_checks(&[], today), []);
    }

    #[test]
    fn a_persons_record_gathers_their_sessions_whatever_the_case_of_their_name() {
        assert_eq!(
            attendance(&redditch()),
            [
                (
                    "Cllr A".to_owned(),
                    vec![IsoDate::known(2010, 10, 1), IsoDate::known(2011, 10, 1)]
                ),
                ("Cllr B".to_owned(), vec![IsoDate::known(2011, 10, 1)]),
            ]
        );
    }

    #[test]
    fn a_session_needs_a_topic_and_real_names() {
        assert_eq!(session(IsoDate::known(2010, 10, 1), &[]).validate(), Ok(()));
        let mut bad = session(IsoDate::known(2010, 10, 1), &["  "]);
        bad.topic = String::new();
        let fields: Vec<String> = bad
            .validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["topic", "attendees"]);
        assert_eq!(parse_names(" Cllr A \n\n Cllr B"), ["Cllr A", "Cllr B"]);
    }

    proptest! {
        #![proptest_config(crate::test_text::config())]

        #[test]
        fn any_names_typed_make_a_valid_list(s in crate::test_text::text(60)) {
            let names = parse_names(&s);
            prop_assert!(names.iter().all(|n| !n.trim().is_empty()));
            let again = parse_names(&names.join("\n"));
            prop_assert_eq!(again, names);
        }
    }
}
