//! A consultation's results as the server publishes them ([`PublishedResults`]): the same
//! figures the managers' results page computes from the raw answers, with every breakdown cell
//! under the consultation's threshold withheld, and no answer of any one resident.
//!
//! Residents' raw answers are the managers' alone (a [`Response`] is read at manager access),
//! so the public, councillors and consultation staff could not compute results on their
//! devices. The server computes this record from the raw answers whenever an answer, the
//! consultation, a questionnaire version or an event changes, in the same transaction, with
//! [`publish`]; everyone who may read the consultation pulls it. No client may write one.
//!
//! What is published: how many answers were counted (and how many wait for a manager's
//! review), each question's counts and ranking, and the breakdowns, suppressed at the
//! consultation's threshold. Free-text answers are not published, only how many there are: a
//! manager quotes what residents said in "you said, we did".

use serde::{Deserialize, Serialize};

use super::export::question_columns;
use super::results::{Change, Report, Tallies};
use super::{Consultation, ConsultationEvent, Question, QuestionKind, Questionnaire, Response};
use crate::entity::{EntityKind, Record, RefField};
use crate::ids::{ConsultationEventId, ConsultationId, PartnershipId, QuestionnaireId};
use crate::validate::{FieldError, Validate};

/// The least suppression threshold a consultation may have: a breakdown never shows a group
/// or a cell of fewer than this many residents.
pub const MIN_SUPPRESSION_THRESHOLD: u32 = 5;

/// One consultation's published results; its id is the consultation's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedResults {
    pub partnership_id: PartnershipId,
    pub consultation_id: ConsultationId,
    /// The threshold the breakdowns were suppressed at.
    pub threshold: u32,
    /// Answers stored but not counted until a manager looks at them.
    #[serde(default)]
    pub awaiting_review: u32,
    /// Every question of every version (the current version's first).
    pub questions: Vec<Question>,
    /// The counted answers' figures, breakdowns suppressed at `threshold`.
    pub report: Report,
    /// The names of the events the figures name.
    #[serde(default)]
    pub events: Vec<(ConsultationEventId, String)>,
    /// Per free-text question, how many answered it (the text itself is not published).
    #[serde(default)]
    pub free_text_answers: Vec<(String, u32)>,
}

impl Record for PublishedResults {
    type Id = ConsultationId;
    const WIRE_NAME: &'static str = "published_results";
    const NOUN: &'static str = "published results";
    const PLURAL: &'static str = "published results";
    const DERIVED: bool = true;
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|r| Some(r.partnership_id.0)),
        RefField::new(EntityKind::Consultation, "consultation_id", |r| {
            Some(r.consultation_id.0)
        }),
    ];
}

/// The only floats inside are percentages, never NaN (`results` gives 0 % of no answers), so
/// equality is an equivalence and records can be compared like every other kind.
impl Eq for PublishedResults {}

impl Validate for PublishedResults {
    /// Made by the server from records it has validated already.
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        Ok(())
    }
}

/// The questions a consultation's results are counted for: every question of every version,
/// the current version's first, each key once.
pub fn questions_of(versions: &[(QuestionnaireId, &Questionnaire)]) -> Vec<Question> {
    question_columns(versions).into_iter().cloned().collect()
}

/// What the server keeps beside a consultation's published results so that a push moves them
/// by its own answers ([`ResultsTallies::change`]) instead of counting every answer again. Never
/// published: its counts are not suppressed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsTallies {
    /// The questions it was counted for ([`questions_of`]). When a version changes them, the
    /// server counts afresh from every answer.
    pub questions: Vec<Question>,
    /// Answers stored but not counted until a manager looks at them.
    pub awaiting_review: u32,
    /// The counted answers.
    pub counted: Tallies,
}

impl ResultsTallies {
    /// `responses` (counted or waiting for review) counted for `questions`.
    pub fn of<'a>(
        questions: Vec<Question>,
        responses: impl IntoIterator<Item = &'a Response>,
    ) -> Self {
        let mut tallies = Self {
            counted: Tallies::new(&questions),
            questions,
            awaiting_review: 0,
        };
        for r in responses {
            tallies.change(r, Change::Add);
        }
        tallies
    }

    /// Every response these tallies hold, counted or waiting.
    pub fn responses(&self) -> u64 {
        u64::from(self.counted.responses()) + u64::from(self.awaiting_review)
    }

    /// Counts `r` (or takes it away) where it belongs: in the figures, or waiting for review.
    pub fn change(&mut self, r: &Response, change: Change) {
        if r.is_counted() {
            self.counted.change(&self.questions, r, change);
        } else {
            self.awaiting_review = match change {
                Change::Add => self.awaiting_review.saturating_add(1),
                Change::Remove => self.awaiting_review.saturating_sub(1),
            };
        }
    }

    /// The published results of `consultation` (with id `id`), naming the `events` the figures
    /// count answers from.
    pub fn publish<'a>(
        &self,
        id: ConsultationId,
        consultation: &Consultation,
        events: impl IntoIterator<Item = (ConsultationEventId, &'a ConsultationEvent)>,
    ) -> PublishedResults {
        let threshold = consultation
            .suppression_threshold
            .max(MIN_SUPPRESSION_THRESHOLD);
        let report = self.counted.report(&self.questions, threshold);
        let named: std::collections::BTreeSet<ConsultationEventId> =
            report.summary.by_event.keys().flatten().copied().collect();
        let events = events
            .into_iter()
            .filter(|(e, _)| named.contains(e))
            .map(|(e, event)| (e, event.name.clone()))
            .collect();
        let free_text_answers = self
            .questions
            .iter()
            .filter(|q| matches!(q.kind, QuestionKind::FreeText { .. }))
            .map(|q| {
                let answered = report
                    .summary
                    .questions
                    .iter()
                    .find(|t| t.key == q.key)
                    .map_or(0, |t| t.answered);
                (q.key.clone(), answered)
            })
            .collect();
        PublishedResults {
            partnership_id: consultation.partnership_id,
            consultation_id: id,
            threshold,
            awaiting_review: self.awaiting_review,
            questions: self.questions.clone(),
            report,
            events,
            free_text_answers,
        }
    }
}

/// The published results of `consultation` (with id `id`) from its questionnaire versions,
/// its events and every response it holds (counted or waiting for review; hidden ones are
/// counted in the figures as they are on the managers' page).
pub fn publish<'a>(
    id: ConsultationId,
    consultation: &Consultation,
    versions: &[(QuestionnaireId, &Questionnaire)],
    events: impl IntoIterator<Item = (ConsultationEventId, &'a ConsultationEvent)>,
    responses: impl IntoIterator<Item = &'a Response>,
) -> PublishedResults {
    ResultsTallies::of(questions_of(versions), responses).publish(id, consultation, events)
}
