//! Councillor training sessions about the partnership, and the checks seed 004 asks of them:
//! recommendation 9 wants "an event focussing on the Partnership" in the annual councillor
//! training programme (the response: sessions by the Partnership Manager in October 2010 and
//! October 2011), so the app answers "was this year's session held?" for every year since
//! the first; recommendation 8 wants information about the partnership in the induction
//! material, which a session records as its material (the induction pack).
//!
//! Two synced kinds, read by the partnership's members, not the public:
//! * [`TrainingSession`]: who attended is a list of names (councillors are not records of
//!   their own);
//! * [`CouncillorInduction`]: one new councillor (by name, with their council and the day
//!   they were elected or joined) and the day they were given the induction pack, so the app
//!   answers seed 004's recommendation 8 as a check: "did every new councillor get the
//!   pack?" ([`induction_rows`], [`pack_checks_by_year`]). Each councillor's training record
//!   comes from the sessions' attendance, matched by name as [`attendance`] matches them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::accounts::Access;
use crate::date::IsoDate;
use crate::entity::{Record, RefField};
use crate::ids::{OrganisationId, PartnershipId, define_id};
use crate::order::{sort, sort_by, sort_by_key};
use crate::replica::Snapshot;
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

define_id!(
    /// The record of one new councillor's induction.
    CouncillorInductionId
);

/// A new councillor and whether they were given the induction pack (seed 004, recommendation
/// 8: information about the partnership in the induction material for new councillors).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncillorInduction {
    pub partnership_id: PartnershipId,
    /// The councillor's name, as the training sessions' attendance writes it.
    pub councillor: String,
    /// Their council, as a member organisation of the partnership. Not a reference: deleting
    /// the organisation keeps the record.
    #[serde(default)]
    pub council_id: Option<OrganisationId>,
    /// The day they were elected or joined the council.
    pub joined_on: IsoDate,
    /// The day they were given the induction pack; `None` until they are.
    #[serde(default)]
    pub pack_given_on: Option<IsoDate>,
    /// Anything to say about the record itself, e.g. that a name or a day is illustrative.
    #[serde(default)]
    pub note: String,
}

impl Record for CouncillorInduction {
    type Id = CouncillorInductionId;
    const WIRE_NAME: &'static str = "councillor_induction";
    const NOUN: &'static str = "councillor’s induction";
    const PLURAL: &'static str = "councillors’ inductions";
    // The council is a plain id, not a reference (see the field).
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|c| Some(c.partnership_id.0))];
    /// Named councillors: for the partnership's members, like the sessions' attendance.
    const READ: Access = Access::Member;
}

impl Validate for CouncillorInduction {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("councillor", &self.councillor, "the councillor's name");
        if let Some(given) = self.pack_given_on
            && given < self.joined_on
        {
            e.0.push(FieldError::new(
                "pack_given_on",
                "The date they were given the pack must be on or after the date they were elected or joined",
            ));
        }
        e.text("note", &self.note, "the note");
        e.finish()
    }
}

/// Whether a new councillor has had the induction pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackCheck {
    /// Given on this day, so many days after they joined.
    Given { on: IsoDate, days_after: i64 },
    /// Not given yet: so many days since they joined (0 on the day, and for a councillor
    /// who joins later than `today`).
    NotYet { days_waiting: i64 },
}

impl PackCheck {
    pub fn of(induction: &CouncillorInduction, today: IsoDate) -> Self {
        match induction.pack_given_on {
            Some(on) => Self::Given {
                on,
                days_after: induction.joined_on.days_until(on),
            },
            None => Self::NotYet {
                days_waiting: induction.joined_on.days_until(today).max(0),
            },
        }
    }

    pub fn is_given(&self) -> bool {
        matches!(self, Self::Given { .. })
    }

    /// In words: "Given on 12 May 2011, 7 days after joining", "Not given yet: 30 days since
    /// joining".
    pub fn sentence(&self) -> String {
        let days = |n: i64| {
            if n == 1 {
                "1 day".to_owned()
            } else {
                format!("{n} days")
            }
        };
        match *self {
            Self::Given { on, days_after: 0 } => {
                format!("Given on {}, the day they joined", on.long())
            }
            Self::Given { on, days_after } => {
                format!("Given on {}, {} after joining", on.long(), days(days_after))
            }
            Self::NotYet { days_waiting: 0 } => "Not given yet".to_owned(),
            Self::NotYet { days_waiting } => {
                format!("Not given yet: {} since joining", days(days_waiting))
            }
        }
    }
}

/// One new councillor as the training page lists them: the record, the pack check and the
/// days of the training sessions they attended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InductionRow {
    pub id: CouncillorInductionId,
    pub induction: CouncillorInduction,
    pub pack: PackCheck,
    pub sessions: Vec<IsoDate>,
}

/// Partnership `p`'s new councillors, most recently joined first (then by name), each with
/// the pack check on `today` and their training record: the sessions whose attendance names
/// them (ignoring case and outer spaces).
pub fn induction_rows(s: &Snapshot, p: PartnershipId, today: IsoDate) -> Vec<InductionRow> {
    let people = attendance(
        s.training_sessions
            .values()
            .filter(|t| t.partnership_id == p),
    );
    let mut rows: Vec<InductionRow> = s
        .councillor_inductions
        .iter()
        .filter(|(_, c)| c.partnership_id == p)
        .map(|(id, c)| {
            let name = fold_case(c.councillor.trim());
            InductionRow {
                id: *id,
                induction: c.clone(),
                pack: PackCheck::of(c, today),
                sessions: people
                    .iter()
                    .find(|(n, _)| fold_case(n) == name)
                    .map(|(_, days)| days.clone())
                    .unwrap_or_default(),
            }
        })
        .collect();
    sort_by(&mut rows, |a, b| {
        b.induction
            .joined_on
            .cmp(&a.induction.joined_on)
            .then_with(|| {
                fold_case(&a.induction.councillor).cmp(&fold_case(&b.induction.councillor))
            })
            .then(a.id.cmp(&b.id))
    });
    rows
}

/// "Did every new councillor get the pack?", for each year councillors joined, latest
/// first: (year, how many got it, how many joined).
pub fn pack_checks_by_year(rows: &[InductionRow]) -> Vec<(u32, usize, usize)> {
    let mut years: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for r in rows {
        let entry = years.entry(r.induction.joined_on.year()).or_default();
        entry.1 += 1;
        if r.pack.is_given() {
            entry.0 += 1;
        }
    }
    years
        .into_iter()
        .rev()
        .map(|(year, (given, joined))| (year, given, joined))
        .collect()
}

/// A year's answer in words: "Every new councillor got the pack (3 of 3)", "2 of 3 new
/// councillors got the pack".
pub fn pack_check_sentence(given: usize, joined: usize) -> String {
    if given == joined {
        match joined {
            1 => "The new councillor got the pack".to_owned(),
            n => format!("Every new councillor got the pack ({n} of {n})"),
        }
    } else if joined == 1 {
        "The new councillor has not had the pack yet".to_owned()
    } else {
        format!("{given} of {joined} new councillors got the pack")
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
                    sort(&mut days);
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
    sort_by_key(&mut sessions, |s| s.date);
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
            sort(&mut days);
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

    fn induction(name: &str, joined: IsoDate, given: Option<IsoDate>) -> CouncillorInduction {
        CouncillorInduction {
            partnership_id: PartnershipId::new(1, [1; 10]),
            councillor: name.into(),
            council_id: None,
            joined_on: joined,
            pack_given_on: given,
            note: "Illustrative name and dates.".into(),
        }
    }

    /// Seed 004 #8: packs for new members in 2010 and 2011; who had one, and their training.
    #[test]
    fn every_new_councillor_is_checked_for_the_pack_with_their_training_record() {
        let mut s = Snapshot::default();
        let p = PartnershipId::new(1, [1; 10]);
        for (n, t) in redditch().into_iter().enumerate() {
            s.training_sessions
                .insert(TrainingSessionId::new(n as u64 + 1, [2; 10]), t);
        }
        let may_2010 = IsoDate::known(2010, 5, 7);
        let may_2011 = IsoDate::known(2011, 5, 6);
        for (n, c) in [
            induction("Cllr A", may_2010, Some(IsoDate::known(2010, 5, 14))),
            induction(" cllr b", may_2011, Some(may_2011)),
            induction("Cllr C", may_2011, None),
        ]
        .into_iter()
        .enumerate()
        {
            s.councillor_inductions
                .insert(CouncillorInductionId::new(n as u64 + 1, [3; 10]), c);
        }
        // Another partnership's councillor is not counted.
        s.councillor_inductions.insert(
            CouncillorInductionId::new(9, [9; 10]),
            CouncillorInduction {
                partnership_id: PartnershipId::new(9, [9; 10]),
                ..induction("Cllr Z", may_2011, None)
            },
        );
        let today = IsoDate::known(2011, 6, 5);
        let rows = induction_rows(&s, p, today);
        let names: Vec<&str> = rows.iter().map(|r| r.induction.councillor.trim()).collect();
        assert_eq!(names, ["cllr b", "Cllr C", "Cllr A"]);
        assert_eq!(
            rows[0].pack.sentence(),
            "Given on 6 May 2011, the day they joined"
        );
        assert_eq!(
            rows[1].pack.sentence(),
            "Not given yet: 30 days since joining"
        );
        assert_eq!(
            rows[2].pack.sentence(),
            "Given on 14 May 2010, 7 days after joining"
        );
        assert_eq!(rows[0].sessions, [IsoDate::known(2011, 10, 1)]);
        assert!(rows[1].sessions.is_empty());
        assert_eq!(
            rows[2].sessions,
            [IsoDate::known(2010, 10, 1), IsoDate::known(2011, 10, 1)]
        );
        let years = pack_checks_by_year(&rows);
        assert_eq!(years, [(2011, 1, 2), (2010, 1, 1)]);
        assert_eq!(
            pack_check_sentence(1, 2),
            "1 of 2 new councillors got the pack"
        );
        assert_eq!(pack_check_sentence(1, 1), "The new councillor got the pack");
        assert_eq!(
            pack_check_sentence(3, 3),
            "Every new councillor got the pack (3 of 3)"
        );
        assert_eq!(
            pack_check_sentence(0, 1),
            "The new councillor has not had the pack yet"
        );
        // Before they join, nobody is waiting.
        assert_eq!(
            PackCheck::of(
                &induction("Cllr D", may_2011, None),
                IsoDate::known(2011, 5, 1)
            )
            .sentence(),
            "Not given yet"
        );
    }

    #[test]
    fn an_induction_needs_a_name_and_a_pack_no_earlier_than_joining() {
        let joined = IsoDate::known(2011, 5, 6);
        assert_eq!(induction("Cllr A", joined, None).validate(), Ok(()));
        let early = induction(" ", joined, Some(IsoDate::known(2011, 5, 5)));
        let fields: Vec<String> = early
            .validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["councillor", "pack_given_on"]);
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
