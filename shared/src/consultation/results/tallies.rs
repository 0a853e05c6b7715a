//! The raw counts every figure of a [`Report`](super::Report) is made from, before percentages,
//! ordering and suppression: [`Counts`] for one question over some responses, and [`Tallies`]
//! for a whole report.
//!
//! Counts only ever add up, so a response can be counted ([`Change::Add`]) or taken away again
//! ([`Change::Remove`]) without reading the others. The server keeps one [`Tallies`] per
//! consultation beside its published results and moves it by the answers of each push, so a
//! push costs its own answers, not every answer the consultation holds. A count that reaches
//! zero is removed, so tallies moved answer by answer equal tallies counted afresh: equality is
//! the server's check and the property tests'.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Breakdown, Cell, Dimension, Group, OptionTally, QuestionTally, Summary, pairs};
use super::{chosen, group_key, lists, option_list, percent};
use crate::consultation::{AnswerValue, Channel, Question, QuestionKind, Response};
use crate::ids::ConsultationEventId;
use crate::order::sort_by;

/// Whether a response is being counted or taken away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Add,
    Remove,
}

impl Change {
    fn apply(self, n: &mut u32, by: u32) {
        *n = match self {
            Change::Add => n.saturating_add(by),
            Change::Remove => n.saturating_sub(by),
        };
    }
}

/// Moves the count under `key` by one, dropping it at zero.
fn step<K: Ord>(map: &mut BTreeMap<K, u32>, key: K, change: Change) {
    let n = map.entry(key).or_default();
    change.apply(n, 1);
    map.retain(|_, n| *n > 0);
}

/// One option's figures over some responses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionCounts {
    /// Responses that chose (or ranked) it.
    pub count: u32,
    /// Borda points (ranking questions only).
    pub points: u32,
    /// Responses that ranked it first (ranking questions only).
    pub first: u32,
}

/// One question's counts over some responses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Responses that answered it.
    pub answered: u32,
    /// Per option the question lists (a key it does not list is not counted).
    pub options: BTreeMap<String, OptionCounts>,
}

impl Counts {
    /// Counts `answer` to `question` (or takes it away).
    pub fn change(&mut self, question: &Question, answer: &AnswerValue, change: Change) {
        change.apply(&mut self.answered, 1);
        let ranking = matches!(question.kind, QuestionKind::RankPriorities { .. });
        let mut count = |key: &str, points: u32, first: bool| {
            if !lists(question, key) {
                return;
            }
            let o = self.options.entry(key.to_owned()).or_default();
            change.apply(&mut o.count, 1);
            change.apply(&mut o.points, points);
            change.apply(&mut o.first, u32::from(first));
        };
        match answer {
            AnswerValue::Scale(v) => count(&v.to_string(), 0, false),
            _ => {
                for (pos, (key, points)) in chosen(question, answer).into_iter().enumerate() {
                    count(key, points, ranking && pos == 0);
                }
            }
        }
        self.options.retain(|_, o| *o != OptionCounts::default());
    }

    /// The question's tally: every option it lists, in display order (by points for a
    /// ranking), with percentages of those who answered.
    pub fn tally(&self, question: &Question) -> QuestionTally {
        let mut options: Vec<OptionTally> = option_list(question)
            .into_iter()
            .map(|(key, label)| {
                let c = self.options.get(&key).copied().unwrap_or_default();
                OptionTally {
                    key,
                    label,
                    count: c.count,
                    percent: percent(c.count, self.answered),
                    points: c.points,
                    first: c.first,
                }
            })
            .collect();
        if matches!(question.kind, QuestionKind::RankPriorities { .. }) {
            sort_by(&mut options, |a, b| {
                b.points
                    .cmp(&a.points)
                    .then(b.first.cmp(&a.first))
                    .then_with(|| a.label.cmp(&b.label))
            });
        }
        QuestionTally {
            key: question.key.clone(),
            text: question.text.clone(),
            answered: self.answered,
            options,
        }
    }
}

/// `question` broken down into `groups` (group key → that group's counts), suppressed at
/// `threshold` (0: nothing suppressed).
pub(super) fn breakdown_of(
    question: &Question,
    groups: Option<&BTreeMap<String, Counts>>,
    threshold: u32,
) -> Breakdown {
    let options = option_list(question);
    let hide = |n: u32| threshold > 0 && n < threshold;
    let groups = groups
        .into_iter()
        .flatten()
        .map(|(key, counts)| {
            let small_group = hide(counts.answered);
            let cells = options
                .iter()
                .map(|(k, _)| {
                    let n = counts.options.get(k).map_or(0, |o| o.count);
                    if small_group || hide(n) {
                        Cell::Suppressed
                    } else {
                        Cell::Shown(n)
                    }
                })
                .collect();
            Group {
                key: key.clone(),
                size: if small_group {
                    Cell::Suppressed
                } else {
                    Cell::Shown(counts.answered)
                },
                cells,
            }
        })
        .collect();
    Breakdown {
        question: question.key.clone(),
        options,
        groups,
        threshold,
    }
}

/// The questions a report breaks down (those with options).
pub(super) fn broken_down(question: &Question) -> bool {
    matches!(
        question.kind,
        QuestionKind::RankPriorities { .. }
            | QuestionKind::ChooseOne { .. }
            | QuestionKind::ChooseSeveral { .. }
            | QuestionKind::AgreeScale
    )
}

/// Per question key, per group key: one dimension's breakdown counts.
type DimensionCounts = BTreeMap<String, BTreeMap<String, Counts>>;

/// Everything a [`Report`](super::Report) for one list of questions is made from. Counted for
/// the questions given to [`Tallies::new`]; moving it with other questions gives figures for
/// neither (the server counts afresh when a consultation's questions change).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tallies {
    responses: u32,
    by_channel: BTreeMap<Channel, u32>,
    #[serde(with = "pairs")]
    by_event: BTreeMap<Option<ConsultationEventId>, u32>,
    /// Per question key.
    questions: BTreeMap<String, Counts>,
    /// Per dimension the questions allow, in [`dimensions`](super::dimensions) order.
    breakdowns: Vec<(Dimension, DimensionCounts)>,
}

impl Tallies {
    /// No responses yet, for `questions`.
    pub fn new(questions: &[Question]) -> Self {
        Self {
            breakdowns: super::dimensions(questions)
                .into_iter()
                .map(|d| (d, BTreeMap::new()))
                .collect(),
            ..Self::default()
        }
    }

    /// `responses` counted for `questions`.
    pub fn of<'a>(
        questions: &[Question],
        responses: impl IntoIterator<Item = &'a Response>,
    ) -> Self {
        let mut tallies = Self::new(questions);
        for r in responses {
            tallies.change(questions, r, Change::Add);
        }
        tallies
    }

    /// How many responses are counted.
    pub fn responses(&self) -> u32 {
        self.responses
    }

    /// Counts `r` (or takes it away), for the questions these tallies were made for.
    pub fn change(&mut self, questions: &[Question], r: &Response, change: Change) {
        change.apply(&mut self.responses, 1);
        step(&mut self.by_channel, r.channel, change);
        step(&mut self.by_event, r.event_id, change);
        for q in questions {
            let Some(answer) = r.answers.get(&q.key) else {
                continue;
            };
            move_counts(&mut self.questions, &q.key, q, answer, change);
            if !broken_down(q) {
                continue;
            }
            for (dim, counts) in &mut self.breakdowns {
                let groups = counts.entry(q.key.clone()).or_default();
                move_counts(groups, &group_key(r, dim), q, answer, change);
                if groups.is_empty() {
                    counts.remove(&q.key);
                }
            }
        }
    }

    /// The summary and the breakdowns, suppressed at `threshold` (0: nothing suppressed).
    pub fn report(&self, questions: &[Question], threshold: u32) -> super::Report {
        let empty = Counts::default();
        let summary = Summary {
            responses: self.responses,
            by_channel: self.by_channel.clone(),
            by_event: self.by_event.clone(),
            questions: questions
                .iter()
                .map(|q| self.questions.get(&q.key).unwrap_or(&empty).tally(q))
                .collect(),
        };
        let breakdowns = self
            .breakdowns
            .iter()
            .map(|(dim, counts)| {
                let tables = questions
                    .iter()
                    .filter(|q| broken_down(q))
                    .map(|q| breakdown_of(q, counts.get(&q.key), threshold))
                    .collect();
                (dim.clone(), tables)
            })
            .collect();
        super::Report {
            summary,
            breakdowns,
        }
    }
}

/// Moves the counts under `key` in `map` by one answer, dropping them when nothing is left.
fn move_counts(
    map: &mut BTreeMap<String, Counts>,
    key: &str,
    question: &Question,
    answer: &AnswerValue,
    change: Change,
) {
    let counts = map.entry(key.to_owned()).or_default();
    counts.change(question, answer, change);
    if counts.answered == 0 {
        map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::FieldError;
    use crate::consultation::Choice;
    use crate::consultation::published::ResultsTallies;
    use crate::ids::{ConsultationId, DeviceId, PartnershipId, QuestionnaireId};

    const KEYS: [&str; 4] = ["a", "b", "c", "zz"];

    fn choices() -> Vec<Choice> {
        // "zz" is never listed: answers naming it are not counted.
        KEYS[..3]
            .iter()
            .map(|k| Choice {
                key: (*k).into(),
                label: k.to_uppercase(),
            })
            .collect()
    }

    fn question(key: &str, kind: QuestionKind) -> Question {
        Question {
            key: key.into(),
            text: key.into(),
            hint: String::new(),
            required: false,
            kind,
        }
    }

    fn questions() -> Vec<Question> {
        vec![
            question(
                "rank",
                QuestionKind::RankPriorities {
                    options: choices(),
                    top_n: 2,
                },
            ),
            question("one", QuestionKind::ChooseOne { options: choices() }),
            question(
                "several",
                QuestionKind::ChooseSeveral { options: choices() },
            ),
            question("agree", QuestionKind::AgreeScale),
            question("text", QuestionKind::FreeText { max_chars: 50 }),
            question("where", QuestionKind::PostcodeDistrict),
            question("age", QuestionKind::AboutYou { options: choices() }),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop::sample::select(&KEYS[..]).prop_map(str::to_owned)
    }

    fn answer() -> impl Strategy<Value = AnswerValue> {
        prop_oneof![
            prop::collection::vec(key(), 0..4).prop_map(AnswerValue::Ranked),
            key().prop_map(AnswerValue::One),
            prop::collection::vec(key(), 0..4).prop_map(AnswerValue::Several),
            (-3i8..4).prop_map(AnswerValue::Scale),
            "[a-zé ]{0,6}".prop_map(AnswerValue::Text),
            prop::sample::select(&["B97", "B98", ""][..])
                .prop_map(|p| AnswerValue::Postcode(p.to_owned())),
        ]
    }

    fn response() -> impl Strategy<Value = Response> {
        let keys = prop::sample::select(
            &[
                "rank", "one", "several", "agree", "text", "where", "age", "gone",
            ][..],
        );
        (
            0u8..4,
            prop::option::of(0u8..3),
            prop::collection::btree_map(keys.prop_map(str::to_owned), answer(), 0..6),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(
                |(channel, event, answers, under_review, accepted)| Response {
                    partnership_id: PartnershipId(uuid::Uuid::nil()),
                    consultation_id: ConsultationId(uuid::Uuid::nil()),
                    questionnaire_id: QuestionnaireId(uuid::Uuid::nil()),
                    event_id: event
                        .map(|e| ConsultationEventId(uuid::Uuid::from_u128(u128::from(e) + 1))),
                    device_id: DeviceId(uuid::Uuid::nil()),
                    channel: [
                        Channel::Kiosk,
                        Channel::StaffAssisted,
                        Channel::Paper,
                        Channel::Online,
                    ][usize::from(channel)],
                    captured_at: 0,
                    answers,
                    hidden: false,
                    review: if under_review {
                        vec![FieldError::new("version", "changed while offline")]
                    } else {
                        Vec::new()
                    },
                    accepted,
                    received_at: None,
                },
            )
    }

    proptest! {
        /// Counting answers one by one and taking some away again gives exactly the tallies
        /// (and so the report) of the answers left, counted afresh.
        #[test]
        fn answers_added_and_taken_away_equal_the_rest_counted_afresh(
            responses in prop::collection::vec(response(), 0..24),
            taken in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
        ) {
            let qs = questions();
            let mut moved = ResultsTallies::of(qs.clone(), &responses);
            let mut left: Vec<Option<&Response>> = responses.iter().map(Some).collect();
            if !left.is_empty() {
                for i in taken {
                    let at = i.index(left.len());
                    if let Some(r) = left[at].take() {
                        moved.change(r, Change::Remove);
                    }
                }
            }
            let fresh = ResultsTallies::of(qs.clone(), left.iter().flatten().copied());
            prop_assert_eq!(&moved, &fresh);
            let total = left.iter().flatten().count() as u64;
            prop_assert_eq!(moved.responses(), total);
        }

        /// The tallies survive being stored as JSON and read back.
        #[test]
        fn tallies_read_back_as_stored(responses in prop::collection::vec(response(), 0..12)) {
            let tallies = ResultsTallies::of(questions(), &responses);
            let json = serde_json::to_string(&tallies).expect("tallies encode");
            let back: ResultsTallies = serde_json::from_str(&json).expect("tallies decode");
            prop_assert_eq!(back, tallies);
        }
    }
}
