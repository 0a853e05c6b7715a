//! Does the strategy reflect what residents said? Seed 004, recommendation 14: "The priorities
//! within the SCS should reflect residents' priorities (as identified through consultation)".
//!
//! A priority may name the theme residents ranked ([`super::ResidentTheme`]: an option of a
//! "rank priorities" question of one of the partnership's consultations). [`resident_ranking`]
//! says where residents put that theme, from the same figures the results pages show: the
//! server's published results where the device has them, else the counted answers it holds
//! (a manager's device), scored by the Borda count of [`crate::results`]. The small-number
//! rule holds: with fewer answers to the question than the consultation's threshold no place
//! is given, and an option fewer than the threshold ranked has its points withheld.
//!
//! Nothing here panics on what a link points to: a consultation, question or option that is
//! gone or renamed is said in words ([`ResidentRanking`]).

use crate::consultation::published::MIN_SUPPRESSION_THRESHOLD;
use crate::consultation::{QuestionKind, export::question_columns};
use crate::replica::Snapshot;
use crate::results::{QuestionTally, tally};

use super::{Priority, PriorityId, ResidentTheme, StrategyId};

/// Where residents put a priority's theme, or why that cannot be said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResidentRanking {
    /// The theme's place among the question's options (1 first; tied options share the
    /// place of the first of them, "joint 2nd").
    Ranked {
        consultation: String,
        label: String,
        place: usize,
        of: usize,
        joint: bool,
        /// Residents who answered the question.
        answered: u32,
        /// Its Borda points; `None` when fewer than the threshold ranked it.
        points: Option<u32>,
        threshold: u32,
        /// The option's label when the priority was linked, if it has been renamed since.
        renamed_from: Option<String>,
    },
    /// Fewer residents answered the question than the threshold: no place is given.
    TooFewAnswers {
        consultation: String,
        answered: u32,
        threshold: u32,
    },
    /// Nobody has answered the question yet.
    NoAnswers { consultation: String },
    /// Neither published results nor answers are on this device.
    NoFigures { consultation: String },
    /// The consultation is gone, or this reader may not see it.
    ConsultationMissing,
    /// No version of the questionnaire asks the question now, or it is no longer a ranking.
    QuestionMissing { consultation: String },
    /// The question no longer offers the theme.
    OptionMissing { consultation: String, label: String },
}

/// "1st", "2nd", "3rd", "4th", "11th", "22nd".
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn answers(n: u32) -> String {
    if n == 1 {
        "1 answer".to_owned()
    } else {
        format!("{n} answers")
    }
}

impl ResidentRanking {
    /// Whether residents put it in the top half of the themes (`None` when there is no place).
    pub fn in_top_half(&self) -> Option<bool> {
        match self {
            Self::Ranked { place, of, .. } => Some(place * 2 <= *of),
            _ => None,
        }
    }

    /// The sentence the strategy page shows beside the priority.
    pub fn sentence(&self) -> String {
        match self {
            Self::Ranked {
                consultation,
                label,
                place,
                of,
                joint,
                answered,
                points,
                threshold,
                renamed_from,
            } => {
                let joint = if *joint { "joint " } else { "" };
                let points = match points {
                    Some(p) => format!("{p} points"),
                    None => format!("points withheld: fewer than {threshold} ranked it"),
                };
                let renamed = renamed_from
                    .as_ref()
                    .map(|old| {
                        format!(
                            " The theme was called ‘{old}’ when this priority was linked to it."
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "Residents ranked ‘{label}’ {joint}{} of {of} in {consultation} (Borda count, {}, {points}).{renamed}",
                    ordinal(*place),
                    answers(*answered),
                )
            }
            Self::TooFewAnswers {
                consultation,
                answered,
                threshold,
            } => format!(
                "Too few residents have answered {consultation} to give a ranking ({}; a ranking needs at least {threshold}).",
                answers(*answered)
            ),
            Self::NoAnswers { consultation } => {
                format!("No resident has answered the ranking question of {consultation} yet.")
            }
            Self::NoFigures { consultation } => {
                format!("The results of {consultation} are not on this device yet.")
            }
            Self::ConsultationMissing => {
                "The consultation this priority was linked to is no longer available.".to_owned()
            }
            Self::QuestionMissing { consultation } => format!(
                "{consultation} no longer asks residents the ranking question this priority was linked to."
            ),
            Self::OptionMissing {
                consultation,
                label,
            } => {
                let what = if label.is_empty() {
                    "the theme this priority was linked to".to_owned()
                } else {
                    format!("‘{label}’")
                };
                format!("{consultation}'s ranking question no longer offers {what}.")
            }
        }
    }
}

/// Where `option_key` stands in a ranking's tally (already in ranking order, as
/// [`tally`] gives it), with the small-number rule at `threshold`.
pub fn rank_in_tally(
    consultation: &str,
    t: &QuestionTally,
    theme: &ResidentTheme,
    threshold: u32,
) -> ResidentRanking {
    let consultation = consultation.to_owned();
    let Some(option) = t.options.iter().find(|o| o.key == theme.option_key) else {
        return ResidentRanking::OptionMissing {
            consultation,
            label: theme.option_label.clone(),
        };
    };
    if t.answered == 0 {
        return ResidentRanking::NoAnswers { consultation };
    }
    if t.answered < threshold {
        return ResidentRanking::TooFewAnswers {
            consultation,
            answered: t.answered,
            threshold,
        };
    }
    let score = |o: &crate::results::OptionTally| (o.points, o.first);
    let ahead = t
        .options
        .iter()
        .filter(|o| score(o) > score(option))
        .count();
    let joint = t
        .options
        .iter()
        .any(|o| o.key != option.key && score(o) == score(option));
    let renamed_from = (!theme.option_label.is_empty() && theme.option_label != option.label)
        .then(|| theme.option_label.clone());
    ResidentRanking::Ranked {
        consultation,
        label: option.label.clone(),
        place: ahead + 1,
        of: t.options.len(),
        joint,
        answered: t.answered,
        points: (option.count >= threshold).then_some(option.points),
        threshold,
        renamed_from,
    }
}

/// A ranking question a priority's theme can be chosen from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankingQuestion {
    pub key: String,
    pub text: String,
    /// (key, label) of each option, in the questionnaire's order.
    pub options: Vec<(String, String)>,
}

/// The ranking questions of a consultation as this device knows them, the current version's
/// first: from the questionnaire versions, then any only the published results hold.
pub fn ranking_questions(s: &Snapshot, c: crate::ids::ConsultationId) -> Vec<RankingQuestion> {
    let versions = s.questionnaire_versions_of(c);
    let mut questions: Vec<&crate::consultation::Question> = question_columns(&versions);
    if let Some(p) = s.published_results.get(&c) {
        for q in &p.questions {
            if !questions.iter().any(|x| x.key == q.key) {
                questions.push(q);
            }
        }
    }
    questions
        .into_iter()
        .filter(|q| matches!(q.kind, QuestionKind::RankPriorities { .. }))
        .map(|q| RankingQuestion {
            key: q.key.clone(),
            text: q.text.clone(),
            options: q
                .options()
                .iter()
                .map(|o| (o.key.clone(), o.label.clone()))
                .collect(),
        })
        .collect()
}

/// Where residents put `theme`, from what this device holds (see the module docs).
pub fn resident_ranking(s: &Snapshot, theme: &ResidentTheme) -> ResidentRanking {
    let c = theme.consultation_id;
    let Some(consultation) = s.consultations.get(&c) else {
        return ResidentRanking::ConsultationMissing;
    };
    let title = consultation.title.clone();
    if let Some(p) = s.published_results.get(&c) {
        let is_ranking = p.questions.iter().any(|q| {
            q.key == theme.question_key && matches!(q.kind, QuestionKind::RankPriorities { .. })
        });
        let tallied = p
            .report
            .summary
            .questions
            .iter()
            .find(|t| t.key == theme.question_key);
        return match tallied {
            Some(t) if is_ranking => rank_in_tally(&title, t, theme, p.threshold),
            _ => ResidentRanking::QuestionMissing {
                consultation: title,
            },
        };
    }
    let versions = s.questionnaire_versions_of(c);
    let Some(question) = question_columns(&versions).into_iter().find(|q| {
        q.key == theme.question_key && matches!(q.kind, QuestionKind::RankPriorities { .. })
    }) else {
        return ResidentRanking::QuestionMissing {
            consultation: title,
        };
    };
    let responses = s.responses_of(c);
    if responses.is_empty() {
        // A reader who is not a manager holds no answers: without the published results
        // there is nothing to count, which is not the same as nobody answering.
        return ResidentRanking::NoFigures {
            consultation: title,
        };
    }
    let counted = responses.iter().map(|(_, r)| *r).filter(|r| r.is_counted());
    let threshold = consultation
        .suppression_threshold
        .max(MIN_SUPPRESSION_THRESHOLD);
    rank_in_tally(&title, &tally(question, counted), theme, threshold)
}

/// The strategy page's summary: how many of the priorities residents put in their top half.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReflectsResidents {
    pub priorities: usize,
    /// Priorities linked to a theme residents ranked.
    pub linked: usize,
    /// Of those, the ones with a place (enough answers, the theme still there).
    pub placed: usize,
    pub in_top_half: usize,
}

impl ReflectsResidents {
    pub fn sentence(&self) -> String {
        let n = |k: usize| {
            if k == 1 {
                "1 priority".to_owned()
            } else {
                format!("{k} priorities")
            }
        };
        if self.linked == 0 {
            return "None of this strategy's priorities is linked yet to a theme residents ranked in a consultation.".to_owned();
        }
        let mut out = format!(
            "{} of the {} that residents' rankings can speak for {} in the top half of what residents ranked.",
            self.in_top_half,
            n(self.placed),
            if self.in_top_half == 1 { "is" } else { "are" },
        );
        if self.placed == 0 {
            out = "No linked theme can be placed yet (see each priority).".to_owned();
        }
        let unlinked = self.priorities - self.linked;
        if unlinked > 0 {
            out.push_str(&format!(
                " {} not linked to a theme residents ranked.",
                if unlinked == 1 {
                    "1 priority is".to_owned()
                } else {
                    format!("{unlinked} priorities are")
                }
            ));
        }
        out
    }
}

/// Each of a strategy's priorities in order, with where residents put its theme (if linked),
/// and the summary.
pub fn strategy_reflects_residents(
    s: &Snapshot,
    strategy: StrategyId,
) -> (
    Vec<(PriorityId, Option<ResidentRanking>)>,
    ReflectsResidents,
) {
    let rows: Vec<(PriorityId, Option<ResidentRanking>)> = s
        .priorities_of(strategy)
        .into_iter()
        .map(|(id, p): (PriorityId, &Priority)| {
            (
                id,
                p.resident_theme.as_ref().map(|t| resident_ranking(s, t)),
            )
        })
        .collect();
    let placed: Vec<bool> = rows
        .iter()
        .filter_map(|(_, r)| r.as_ref().and_then(ResidentRanking::in_top_half))
        .collect();
    let summary = ReflectsResidents {
        priorities: rows.len(),
        linked: rows.iter().filter(|(_, r)| r.is_some()).count(),
        placed: placed.len(),
        in_top_half: placed.iter().filter(|t| **t).count(),
    };
    (rows, summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::{
        AnswerValue, Channel, Choice, Consultation, Question, Questionnaire, Response,
    };
    use crate::ids::{ConsultationId, DeviceId, PartnershipId, QuestionnaireId, ResponseId};
    use crate::results::OptionTally;

    fn theme(option: &str, label: &str) -> ResidentTheme {
        ResidentTheme {
            consultation_id: ConsultationId::new(5, [5; 10]),
            question_key: "priorities".into(),
            option_key: option.into(),
            option_label: label.into(),
        }
    }

    fn option(key: &str, label: &str, points: u32, first: u32, count: u32) -> OptionTally {
        OptionTally {
            key: key.into(),
            label: label.into(),
            count,
            percent: 0.0,
            points,
            first,
        }
    }

    fn tallied(answered: u32, options: Vec<OptionTally>) -> QuestionTally {
        QuestionTally {
            key: "priorities".into(),
            text: "What matters most?".into(),
            answered,
            options,
        }
    }

    #[test]
    fn a_theme_is_placed_among_the_options_with_its_points_and_answers() {
        let t = tallied(
            412,
            vec![
                option("safety", "Community Safety", 900, 200, 300),
                option("education", "Educational standards", 700, 100, 250),
                option("housing", "Housing", 100, 10, 60),
                option("parks", "Parks", 10, 1, 4),
            ],
        );
        let r = rank_in_tally(
            "Redditch Matters 2010",
            &t,
            &theme("education", "Educational standards"),
            5,
        );
        assert_eq!(
            r.sentence(),
            "Residents ranked ‘Educational standards’ 2nd of 4 in Redditch Matters 2010 (Borda count, 412 answers, 700 points)."
        );
        assert_eq!(r.in_top_half(), Some(true));
        // Ranked by fewer than the threshold: its place is given, its points are not.
        let r = rank_in_tally("Redditch Matters 2010", &t, &theme("parks", "Parks"), 5);
        assert!(r.sentence().contains("4th of 4"), "{}", r.sentence());
        assert!(
            r.sentence()
                .contains("points withheld: fewer than 5 ranked it"),
            "{}",
            r.sentence()
        );
        assert_eq!(r.in_top_half(), Some(false));
    }

    #[test]
    fn tied_themes_share_a_joint_place() {
        let t = tallied(
            20,
            vec![
                option("a", "A", 30, 5, 10),
                option("b", "B", 20, 3, 8),
                option("c", "C", 20, 3, 8),
                option("d", "D", 5, 0, 5),
            ],
        );
        for key in ["b", "c"] {
            let r = rank_in_tally("X", &t, &theme(key, ""), 5);
            assert!(r.sentence().contains("joint 2nd of 4"), "{}", r.sentence());
        }
        // Level on points but more first choices: ahead, as the results page orders them.
        let t = tallied(
            20,
            vec![option("a", "A", 20, 4, 10), option("b", "B", 20, 3, 10)],
        );
        let r = rank_in_tally("X", &t, &theme("b", ""), 5);
        assert!(
            r.sentence().contains("ranked ‘B’ 2nd of 2"),
            "{}",
            r.sentence()
        );
    }

    #[test]
    fn no_answers_or_too_few_give_no_place() {
        let empty = tallied(0, vec![option("a", "A", 0, 0, 0)]);
        assert_eq!(
            rank_in_tally("X", &empty, &theme("a", "A"), 5),
            ResidentRanking::NoAnswers {
                consultation: "X".into()
            }
        );
        let few = tallied(3, vec![option("a", "A", 9, 3, 3)]);
        let r = rank_in_tally("X", &few, &theme("a", "A"), 5);
        assert_eq!(r.in_top_half(), None);
        assert!(r.sentence().contains("3 answers"), "{}", r.sentence());
        assert!(r.sentence().contains("at least 5"), "{}", r.sentence());
    }

    #[test]
    fn a_renamed_or_missing_option_is_said_not_panicked_on() {
        let t = tallied(10, vec![option("education", "Schools", 20, 5, 10)]);
        let r = rank_in_tally("X", &t, &theme("education", "Educational standards"), 5);
        assert!(
            r.sentence()
                .contains("was called ‘Educational standards’ when this priority was linked"),
            "{}",
            r.sentence()
        );
        let r = rank_in_tally("X", &t, &theme("housing", "Housing"), 5);
        assert_eq!(
            r.sentence(),
            "X's ranking question no longer offers ‘Housing’."
        );
        assert_eq!(r.in_top_half(), None);
    }

    fn snapshot_with(answers: usize) -> Snapshot {
        let p = PartnershipId::new(1, [1; 10]);
        let c = ConsultationId::new(5, [5; 10]);
        let q = QuestionnaireId::new(7, [7; 10]);
        let mut s = Snapshot::default();
        s.consultations.insert(
            c,
            Consultation {
                partnership_id: p,
                title: "We Are Redditch".into(),
                purpose: String::new(),
                opens_on: None,
                closes_on: None,
                suppression_threshold: 5,
                archived: false,
            },
        );
        s.questionnaires.insert(
            q,
            Questionnaire {
                partnership_id: p,
                consultation_id: c,
                version: 1,
                questions: vec![Question {
                    key: "priorities".into(),
                    text: "What matters most?".into(),
                    hint: String::new(),
                    required: true,
                    kind: QuestionKind::RankPriorities {
                        options: Choice::list(&[
                            ("education", "Educational standards"),
                            ("health", "Health"),
                            ("safety", "Safety"),
                            ("housing", "Housing"),
                        ]),
                        top_n: 2,
                    },
                }],
                opened_for_answers: true,
            },
        );
        for i in 0..answers {
            s.responses.insert(
                ResponseId::new(100 + i as u64, [9; 10]),
                Response {
                    partnership_id: p,
                    consultation_id: c,
                    questionnaire_id: q,
                    event_id: None,
                    device_id: DeviceId::new(8, [8; 10]),
                    channel: Channel::Online,
                    captured_at: 0,
                    answers: [(
                        "priorities".to_owned(),
                        AnswerValue::Ranked(vec!["health".into(), "education".into()]),
                    )]
                    .into_iter()
                    .collect(),
                    hidden: false,
                    review: Vec::new(),
                    accepted: false,
                    received_at: None,
                },
            );
        }
        s
    }

    #[test]
    fn a_managers_device_ranks_from_the_counted_answers() {
        let s = snapshot_with(6);
        let r = resident_ranking(&s, &theme("education", "Educational standards"));
        assert_eq!(
            r.sentence(),
            "Residents ranked ‘Educational standards’ 2nd of 4 in We Are Redditch (Borda count, 6 answers, 6 points)."
        );
    }

    #[test]
    fn a_device_without_answers_or_the_consultation_or_the_question_says_so() {
        let s = snapshot_with(0);
        let t = theme("education", "");
        assert!(matches!(
            resident_ranking(&s, &t),
            ResidentRanking::NoFigures { .. }
        ));
        let mut gone = t.clone();
        gone.question_key = "removed".into();
        assert!(matches!(
            resident_ranking(&snapshot_with(6), &gone),
            ResidentRanking::QuestionMissing { .. }
        ));
        assert_eq!(
            resident_ranking(&Snapshot::default(), &t),
            ResidentRanking::ConsultationMissing
        );
    }

    #[test]
    fn the_summary_counts_the_priorities_in_residents_top_half() {
        use super::super::fixtures;
        let mut s = snapshot_with(6);
        let sid = StrategyId::new(9, [9; 10]);
        s.strategies.insert(
            sid,
            fixtures::strategy(2011, 2014, super::super::StrategyStatus::Adopted),
        );
        for (n, key) in [(1u64, Some("health")), (2, Some("housing")), (3, None)] {
            let mut p = fixtures::priority(sid, &format!("Priority {n}"), n as u32);
            p.resident_theme = key.map(|k| theme(k, ""));
            s.priorities.insert(PriorityId::new(n, [n as u8; 10]), p);
        }
        let (rows, summary) = strategy_reflects_residents(&s, sid);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            summary,
            ReflectsResidents {
                priorities: 3,
                linked: 2,
                placed: 2,
                in_top_half: 1
            }
        );
        assert_eq!(
            summary.sentence(),
            "1 of the 2 priorities that residents' rankings can speak for is in the top half of what residents ranked. 1 priority is not linked to a theme residents ranked."
        );
    }

    #[test]
    fn ordinals_read_as_english() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
            ]
        );
    }
}
