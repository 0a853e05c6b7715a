//! Consultation results: counts, percentages, priority rankings and breakdowns, computed from
//! the responses a device holds. Pure, so the browser computes them offline and the tests pin
//! them down.
//!
//! # Scoring a ranking (a Borda count for partial rankings)
//! A "rank priorities" question asks for the top N of M options. A response's first choice
//! scores N points, its second N−1, down to 1 for its N-th; options it did not rank score 0.
//! Options are ordered by total points, then by how many ranked them first, then by label.
//! A resident who ranks fewer than N still gives their choices the same points as everyone
//! else's: ranking one thing first is not worth less than ranking three.
//!
//! # Small-number suppression
//! A breakdown cell (a group's count for one option) with fewer than the consultation's
//! threshold (default 5) is withheld in anything public, as is a whole group smaller than the
//! threshold, so no resident can be picked out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::consultation::{AnswerValue, Channel, Question, QuestionKind, Response};
use crate::ids::{ConsultationEventId, ResponseId};
use crate::text::fold_case;

mod tallies;
pub use tallies::{Change, Counts, OptionCounts, Tallies};

/// How a resident answered one option of one question, summed over responses.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OptionTally {
    pub key: String,
    pub label: String,
    /// Responses that chose (or ranked) this option.
    pub count: u32,
    /// `count` as a percentage of the responses that answered the question.
    pub percent: f64,
    /// Borda points (ranking questions only).
    pub points: u32,
    /// Responses that ranked it first (ranking questions only).
    pub first: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionTally {
    pub key: String,
    pub text: String,
    /// Responses that answered it.
    pub answered: u32,
    /// Options in display order: by points for rankings, as listed otherwise.
    pub options: Vec<OptionTally>,
}

/// The whole consultation's figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub responses: u32,
    pub by_channel: BTreeMap<Channel, u32>,
    /// Responses per event; `None` for those not captured at an event (online, paper). A list
    /// of pairs in JSON, whose object keys must be strings.
    #[serde(with = "pairs")]
    pub by_event: BTreeMap<Option<ConsultationEventId>, u32>,
    pub questions: Vec<QuestionTally>,
}

/// A map as a JSON list of `[key, value]` pairs, for keys that are not strings.
mod pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(crate::order::map_of(Vec::<(K, V)>::deserialize(d)?))
    }
}

/// The options a response chose for a question, with the points each earns.
fn chosen<'a>(question: &Question, answer: &'a AnswerValue) -> Vec<(&'a str, u32)> {
    match (&question.kind, answer) {
        (QuestionKind::RankPriorities { top_n, .. }, AnswerValue::Ranked(keys)) => keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), u32::from(*top_n).saturating_sub(i as u32)))
            .collect(),
        (_, AnswerValue::One(k)) => vec![(k.as_str(), 0)],
        (_, AnswerValue::Several(keys)) => keys.iter().map(|k| (k.as_str(), 0)).collect(),
        _ => Vec::new(),
    }
}

/// The scale points as pseudo-options, so the scale tallies like a choice.
fn scale_options() -> Vec<(String, String)> {
    crate::consultation::AGREE_SCALE
        .iter()
        .map(|(v, label)| (v.to_string(), (*label).to_owned()))
        .collect()
}

/// Whether `key` is one of [`option_list`]'s keys, without making the list (counting asks
/// this of every answer).
fn lists(question: &Question, key: &str) -> bool {
    match question.kind {
        QuestionKind::AgreeScale => crate::consultation::AGREE_SCALE
            .iter()
            .any(|(v, _)| v.to_string() == key),
        _ => question.options().iter().any(|c| c.key == key),
    }
}

fn option_list(question: &Question) -> Vec<(String, String)> {
    match question.kind {
        QuestionKind::AgreeScale => scale_options(),
        _ => question
            .options()
            .iter()
            .map(|c| (c.key.clone(), c.label.clone()))
            .collect(),
    }
}

fn percent(n: u32, of: u32) -> f64 {
    if of == 0 {
        0.0
    } else {
        f64::from(n) * 100.0 / f64::from(of)
    }
}

/// Tallies one question over `responses` (which may answer several questionnaire versions: a
/// question is matched by its key).
pub fn tally<'a>(
    question: &Question,
    responses: impl IntoIterator<Item = &'a Response>,
) -> QuestionTally {
    let mut counts = Counts::default();
    for answer in responses
        .into_iter()
        .filter_map(|r| r.answers.get(&question.key))
    {
        counts.change(question, answer, Change::Add);
    }
    counts.tally(question)
}

/// Every figure for a consultation: totals, channels, events and a tally per question.
/// `responses` is anything that lists them more than once (a slice, or an iterator over the
/// snapshot's references), so the browser need not copy them.
pub fn summarise<'a, I>(questions: &[Question], responses: I) -> Summary
where
    I: IntoIterator<Item = &'a Response> + Clone,
{
    let mut summary = Summary::default();
    let mut counts = vec![Counts::default(); questions.len()];
    for r in responses {
        summary.responses += 1;
        *summary.by_channel.entry(r.channel).or_default() += 1;
        *summary.by_event.entry(r.event_id).or_default() += 1;
        for (q, c) in questions.iter().zip(&mut counts) {
            if let Some(answer) = r.answers.get(&q.key) {
                c.change(q, answer, Change::Add);
            }
        }
    }
    summary.questions = questions
        .iter()
        .zip(&counts)
        .map(|(q, c)| c.tally(q))
        .collect();
    summary
}

/// What to break a question's answers down by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", content = "question", rename_all = "snake_case")]
pub enum Dimension {
    Event,
    Channel,
    Postcode,
    /// The answer to an "about you" question (its key).
    AboutYou(String),
}

/// A cell's figure: shown, or withheld because it is below the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cell", content = "value", rename_all = "snake_case")]
pub enum Cell {
    Shown(u32),
    Suppressed,
}

/// One group of a breakdown (one event, one postcode district, one age band ...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The group's machine key (event id, channel, district, option key); `""` for "not given".
    pub key: String,
    /// Responses in the group that answered the question.
    pub size: Cell,
    /// One cell per option, in the order of [`Breakdown::options`].
    pub cells: Vec<Cell>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub question: String,
    /// Option keys and labels, as the columns.
    pub options: Vec<(String, String)>,
    pub groups: Vec<Group>,
    /// The threshold applied; 0 when nothing was suppressed (a private view).
    pub threshold: u32,
}

fn group_key(r: &Response, by: &Dimension) -> String {
    match by {
        Dimension::Event => r.event_id.map(|e| e.0.to_string()).unwrap_or_default(),
        Dimension::Channel => serde_json::to_value(r.channel)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        Dimension::Postcode => r
            .answers
            .values()
            .find_map(|a| match a {
                AnswerValue::Postcode(p) => Some(p.clone()),
                _ => None,
            })
            .unwrap_or_default(),
        Dimension::AboutYou(key) => match r.answers.get(key) {
            Some(AnswerValue::One(k)) => k.clone(),
            _ => String::new(),
        },
    }
}

/// Breaks `question` down by `by`. With `threshold > 0`, cells and groups smaller than it are
/// [`Cell::Suppressed`] (use the consultation's threshold for anything public, 0 for staff).
/// Counts in a ranking breakdown are how many in the group ranked the option at all.
pub fn breakdown<'a>(
    question: &Question,
    responses: impl IntoIterator<Item = &'a Response>,
    by: &Dimension,
    threshold: u32,
) -> Breakdown {
    let mut groups: BTreeMap<String, Counts> = BTreeMap::new();
    for r in responses {
        if let Some(answer) = r.answers.get(&question.key) {
            groups
                .entry(group_key(r, by))
                .or_default()
                .change(question, answer, Change::Add);
        }
    }
    tallies::breakdown_of(question, Some(&groups), threshold)
}

/// Everything the results page shows: the summary, and each question with options broken
/// down by each [`Dimension`] the questionnaire allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub summary: Summary,
    /// Per dimension (event, then postcode district when asked, then each "about you"
    /// question), a breakdown of each question with options (not of the dimension itself).
    pub breakdowns: Vec<(Dimension, Vec<Breakdown>)>,
}

/// The dimensions a questionnaire can be broken down by: event always; postcode district and
/// each "about you" question when it asks them.
pub fn dimensions(questions: &[Question]) -> Vec<Dimension> {
    let mut dims = vec![Dimension::Event];
    if questions
        .iter()
        .any(|q| matches!(q.kind, QuestionKind::PostcodeDistrict))
    {
        dims.push(Dimension::Postcode);
    }
    dims.extend(
        questions
            .iter()
            .filter(|q| matches!(q.kind, QuestionKind::AboutYou { .. }))
            .map(|q| Dimension::AboutYou(q.key.clone())),
    );
    dims
}

/// The whole report, with cells under `threshold` suppressed: the responses counted once into
/// [`Tallies`] (linear in responses × answers × dimensions), then laid out.
pub fn report<'a, I>(questions: &[Question], responses: I, threshold: u32) -> Report
where
    I: IntoIterator<Item = &'a Response> + Clone,
{
    Tallies::of(questions, responses).report(questions, threshold)
}

/// Free-text answers to a question, leaving out responses hidden by moderation.
pub fn free_text<'a>(
    question_key: &str,
    responses: impl IntoIterator<Item = (&'a ResponseId, &'a Response)>,
    search: &str,
) -> Vec<(ResponseId, &'a str)> {
    let needle = fold_case(search.trim());
    responses
        .into_iter()
        .filter(|(_, r)| !r.hidden)
        .filter_map(|(id, r)| match r.answers.get(question_key) {
            Some(AnswerValue::Text(t)) if !t.trim().is_empty() => Some((*id, t.as_str())),
            _ => None,
        })
        .filter(|(_, t)| needle.is_empty() || fold_case(t).contains(&needle))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::Choice;
    use crate::ids::{ConsultationId, DeviceId, PartnershipId, QuestionnaireId};

    fn ranking() -> Question {
        Question {
            key: "priorities".into(),
            text: "Which three things matter most?".into(),
            hint: String::new(),
            required: true,
            kind: QuestionKind::RankPriorities {
                options: ["education", "health", "safety", "housing"]
                    .iter()
                    .map(|k| Choice {
                        key: (*k).into(),
                        label: k.to_uppercase(),
                    })
                    .collect(),
                top_n: 3,
            },
        }
    }

    fn resp(channel: Channel, answers: Vec<(&str, AnswerValue)>) -> Response {
        Response {
            partnership_id: PartnershipId(uuid::Uuid::nil()),
            consultation_id: ConsultationId(uuid::Uuid::nil()),
            questionnaire_id: QuestionnaireId(uuid::Uuid::nil()),
            event_id: None,
            device_id: DeviceId(uuid::Uuid::nil()),
            channel,
            captured_at: 0,
            answers: answers
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            hidden: false,
            accepted: false,
            received_at: None,
            review: Vec::new(),
        }
    }

    fn ranked(keys: &[&str]) -> AnswerValue {
        AnswerValue::Ranked(keys.iter().map(|k| (*k).to_owned()).collect())
    }

    #[test]
    fn borda_points_rank_the_priorities() {
        let responses = vec![
            resp(
                Channel::Kiosk,
                vec![("priorities", ranked(&["education", "health", "safety"]))],
            ),
            resp(
                Channel::Kiosk,
                vec![("priorities", ranked(&["health", "education"]))],
            ),
            resp(Channel::Online, vec![("priorities", ranked(&["health"]))]),
        ];
        let t = tally(&ranking(), &responses);
        let order: Vec<(&str, u32, u32)> = t
            .options
            .iter()
            .map(|o| (o.key.as_str(), o.points, o.first))
            .collect();
        // health: 2 + 3 + 3 = 8; education: 3 + 2 = 5; safety: 1; housing: 0.
        assert_eq!(
            order,
            vec![
                ("health", 8, 2),
                ("education", 5, 1),
                ("safety", 1, 0),
                ("housing", 0, 0)
            ]
        );
        assert_eq!(t.answered, 3);
        assert!((t.options[0].percent - 100.0).abs() < 1e-9);
    }

    #[test]
    fn equal_points_are_ordered_by_first_choices_then_label() {
        let responses = vec![
            resp(
                Channel::Kiosk,
                vec![("priorities", ranked(&["safety", "housing"]))],
            ),
            resp(Channel::Kiosk, vec![("priorities", ranked(&["housing"]))]),
            resp(
                Channel::Kiosk,
                vec![("priorities", ranked(&["education", "safety"]))],
            ),
        ];
        // housing 2 + 3 = 5 (one first); safety 3 + 2 = 5 (one first): label order breaks the tie.
        let t = tally(&ranking(), &responses);
        assert_eq!(t.options[0].key, "housing");
        assert_eq!(t.options[1].key, "safety");
    }

    #[test]
    fn the_summary_counts_channels_and_skips_unanswered_questions() {
        let responses = vec![
            resp(Channel::Kiosk, vec![("priorities", ranked(&["health"]))]),
            resp(Channel::Paper, vec![]),
        ];
        let s = summarise(&[ranking()], &responses);
        assert_eq!(s.responses, 2);
        assert_eq!(s.by_channel[&Channel::Kiosk], 1);
        assert_eq!(s.by_channel[&Channel::Paper], 1);
        assert_eq!(s.questions[0].answered, 1);
    }

    #[test]
    fn the_agree_scale_tallies_each_point() {
        let q = Question {
            key: "safe".into(),
            text: "I feel safe in my neighbourhood".into(),
            hint: String::new(),
            required: false,
            kind: QuestionKind::AgreeScale,
        };
        let responses = vec![
            resp(Channel::Kiosk, vec![("safe", AnswerValue::Scale(2))]),
            resp(Channel::Kiosk, vec![("safe", AnswerValue::Scale(2))]),
            resp(Channel::Kiosk, vec![("safe", AnswerValue::Scale(-1))]),
        ];
        let t = tally(&q, &responses);
        let counts: Vec<u32> = t.options.iter().map(|o| o.count).collect();
        assert_eq!(counts, vec![2, 0, 0, 1, 0]);
    }

    #[test]
    fn small_cells_and_small_groups_are_suppressed_in_public_breakdowns() {
        let mut responses = Vec::new();
        for _ in 0..6 {
            responses.push(resp(
                Channel::Kiosk,
                vec![("priorities", ranked(&["health", "education"]))],
            ));
        }
        responses.push(resp(
            Channel::Kiosk,
            vec![("priorities", ranked(&["safety"]))],
        ));
        for _ in 0..3 {
            responses.push(resp(
                Channel::Online,
                vec![("priorities", ranked(&["housing"]))],
            ));
        }
        let b = breakdown(&ranking(), &responses, &Dimension::Channel, 5);
        let kiosk = b
            .groups
            .iter()
            .find(|g| g.key == "kiosk")
            .expect("a kiosk group");
        assert_eq!(kiosk.size, Cell::Shown(7));
        // education 6, health 6, safety 1 (withheld), housing 0 (withheld).
        assert_eq!(
            kiosk.cells,
            vec![
                Cell::Shown(6),
                Cell::Shown(6),
                Cell::Suppressed,
                Cell::Suppressed
            ]
        );
        let online = b
            .groups
            .iter()
            .find(|g| g.key == "online")
            .expect("an online group");
        assert_eq!(online.size, Cell::Suppressed);
        assert!(online.cells.iter().all(|c| *c == Cell::Suppressed));
        // Staff see everything.
        let private = breakdown(&ranking(), &responses, &Dimension::Channel, 0);
        let online = private
            .groups
            .iter()
            .find(|g| g.key == "online")
            .expect("an online group");
        assert_eq!(online.cells[3], Cell::Shown(3));
    }

    #[test]
    fn free_text_leaves_out_hidden_answers_and_filters_by_search() {
        let a = ResponseId(crate::ids::uuid_v7(1, [1; 10]));
        let b = ResponseId(crate::ids::uuid_v7(2, [2; 10]));
        let c = ResponseId(crate::ids::uuid_v7(3, [3; 10]));
        let mut responses = [
            (
                a,
                resp(
                    Channel::Kiosk,
                    vec![(
                        "say",
                        AnswerValue::Text("More buses to the Kingfisher centre".into()),
                    )],
                ),
            ),
            (
                b,
                resp(
                    Channel::Kiosk,
                    vec![("say", AnswerValue::Text("Call me on 07700 900123".into()))],
                ),
            ),
            (
                c,
                resp(
                    Channel::Kiosk,
                    vec![("say", AnswerValue::Text("Safer parks".into()))],
                ),
            ),
        ];
        responses[1].1.hidden = true;
        let all = free_text("say", responses.iter().map(|(id, r)| (id, r)), "");
        assert_eq!(all.len(), 2);
        let buses = free_text("say", responses.iter().map(|(id, r)| (id, r)), "BUSES");
        assert_eq!(buses, vec![(a, "More buses to the Kingfisher centre")]);
    }

    use crate::test_text::{config, text};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn a_search_for_any_part_of_an_answer_finds_it_in_any_case(
            before in text(8),
            part in text(8),
            after in text(8),
            upper in any::<bool>(),
            other in text(12),
        ) {
            let answer = format!("{before}{part}{after}");
            prop_assume!(!answer.trim().is_empty());
            let a = ResponseId(crate::ids::uuid_v7(1, [1; 10]));
            let b = ResponseId(crate::ids::uuid_v7(2, [2; 10]));
            let responses = [
                (a, resp(Channel::Kiosk, vec![("say", AnswerValue::Text(answer.clone()))])),
                (b, resp(Channel::Online, vec![("say", AnswerValue::Text(other.clone()))])),
            ];
            // Upper-casing may make letters a lower case does not give back ('ß' → "SS").
            let typed = if upper && fold_case(&part.to_uppercase()) == fold_case(&part) {
                part.to_uppercase()
            } else {
                part.clone()
            };
            let found = free_text("say", responses.iter().map(|(id, r)| (id, r)), &typed);
            prop_assert!(found.contains(&(a, answer.as_str())), "{typed:?} in {answer:?}: {found:?}");
            for (_, t) in &found {
                prop_assert!(fold_case(t).contains(&fold_case(typed.trim())));
            }
        }
    }

    #[test]
    fn the_report_breaks_each_choice_question_down_by_event_postcode_and_about_you() {
        let postcode = Question {
            key: "postcode".into(),
            text: "Postcode district".into(),
            hint: String::new(),
            required: false,
            kind: QuestionKind::PostcodeDistrict,
        };
        let age = Question {
            key: "age_band".into(),
            text: "How old are you?".into(),
            hint: String::new(),
            required: false,
            kind: QuestionKind::AboutYou {
                options: crate::consultation::Choice::list(&[("16_24", "16 to 24")]),
            },
        };
        let questions = vec![ranking(), postcode, age];
        let responses: Vec<Response> = (0..6)
            .map(|_| {
                resp(
                    Channel::Kiosk,
                    vec![
                        ("priorities", ranked(&["health"])),
                        ("postcode", AnswerValue::Postcode("B97".into())),
                    ],
                )
            })
            .collect();
        let r = report(&questions, &responses, 5);
        assert_eq!(r.summary.responses, 6);
        let dims: Vec<&Dimension> = r.breakdowns.iter().map(|(d, _)| d).collect();
        assert_eq!(
            dims,
            vec![
                &Dimension::Event,
                &Dimension::Postcode,
                &Dimension::AboutYou("age_band".into())
            ]
        );
        // Only the ranking is broken down: postcode and "about you" are the dimensions.
        let by_postcode = &r.breakdowns[1].1;
        assert_eq!(by_postcode.len(), 1);
        let b97 = &by_postcode[0].groups[0];
        assert_eq!(b97.key, "B97");
        assert_eq!(b97.size, Cell::Shown(6));
    }
}
