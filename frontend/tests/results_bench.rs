//! Times the results aggregation the results page displays
//! (`atlas_frontend::pages::consultation::results::results_model`: the summary with every question's
//! counts, the Borda ranking, and the breakdowns by event, postcode district and age band with
//! small-number suppression, plus the free-text list) over 10,000 responses to a questionnaire
//! like "We Are Redditch" (seed 004, as the demo holds it), in the browser.
//!
//! The responses are generated deterministically (a linear congruential generator with a fixed
//! seed: no randomness source), and every one passes `validate_response`.
//!
//! A benchmark, not a timed test: it prints figures and asserts only that the figures are
//! sound. It is not part of `cargo test` (`test = false` in Cargo.toml); `cargo xtask bench`
//! runs it optimised as the app is (the `wasm-release` profile), with `--nocapture`:
//!
//! ```text
//! cargo test -p atlas-frontend --target wasm32-unknown-unknown --profile wasm-release \
//!     --test results_bench -- --nocapture
//! ```
//!
//! Prints `BENCH aggregate_10000_answers_browser <median ms> ms` after a `#` line with the
//! run's details.

use atlas_frontend::pages::consultation::results::results_model;
use atlas_shared::consultation::{
    AnswerValue, Channel, Consultation, ConsultationEvent, Questionnaire, Response,
    validate_response,
};
use atlas_shared::order::sort_by;
use atlas_shared::sample_consultation::{AGE_BANDS, PRIORITY_THEMES, we_are_redditch_questions};
use atlas_shared::{
    ConsultationEventId, ConsultationId, DeviceId, PartnershipId, QuestionnaireId, ResponseId,
    Snapshot, uuid_v7,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Timed runs, after one untimed run (which also warms up the engine's tiers).
const RUNS: usize = 15;
const RESPONSES: usize = 10_000;

fn now_ms() -> f64 {
    web_sys::window()
        .expect("a window")
        .performance()
        .expect("window.performance")
        .now()
}

/// Numerical Recipes' LCG: deterministic, good enough to spread answers about.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const DISTRICTS: [&str; 4] = ["B96", "B97", "B98", "B80"];
const WORDS: [&str; 8] = [
    "buses",
    "parks",
    "the town centre",
    "youth clubs",
    "street lighting",
    "the hospital",
    "jobs",
    "litter",
];

fn snapshot() -> (Snapshot, ConsultationId) {
    let p = PartnershipId(uuid_v7(1, [1; 10]));
    let c = ConsultationId(uuid_v7(2, [2; 10]));
    let v = QuestionnaireId(uuid_v7(3, [3; 10]));
    let events: Vec<ConsultationEventId> = (0..3)
        .map(|i| ConsultationEventId(uuid_v7(4 + i, [4; 10])))
        .collect();
    let mut s = Snapshot::default();
    s.consultations.insert(
        c,
        Consultation {
            partnership_id: p,
            title: "We Are Redditch".into(),
            purpose: String::new(),
            opens_on: Some(atlas_shared::IsoDate::known(2010, 1, 1)),
            closes_on: Some(atlas_shared::IsoDate::known(2010, 1, 31)),
            suppression_threshold: 5,
            archived: false,
        },
    );
    for (i, e) in events.iter().enumerate() {
        s.consultation_events.insert(
            *e,
            ConsultationEvent {
                partnership_id: p,
                consultation_id: c,
                name: format!("We Are Redditch event {}", i + 1),
                date: atlas_shared::IsoDate::known(2010, 1, i as u8 + 1),
                venue: "Redditch".into(),
            },
        );
    }
    let questionnaire = Questionnaire {
        partnership_id: p,
        consultation_id: c,
        version: 1,
        questions: we_are_redditch_questions(),
        opened_for_answers: true,
    };
    let mut rng = Lcg(0x5eed_2010);
    for n in 0..RESPONSES {
        let mut answers = std::collections::BTreeMap::new();
        let mut keys: Vec<&str> = PRIORITY_THEMES.iter().map(|(k, _)| *k).collect();
        let ranked = 1 + rng.below(3);
        let mut chosen = Vec::new();
        for _ in 0..ranked {
            chosen.push(keys.remove(rng.below(keys.len())).to_owned());
        }
        answers.insert("priorities".to_owned(), AnswerValue::Ranked(chosen));
        if rng.below(4) > 0 {
            answers.insert(
                "know_the_partnership".to_owned(),
                AnswerValue::Scale(rng.below(5) as i8 - 2),
            );
        }
        if rng.below(5) == 0 {
            answers.insert(
                "anything_else".to_owned(),
                AnswerValue::Text(format!(
                    "More about {} and {}",
                    WORDS[rng.below(WORDS.len())],
                    WORDS[rng.below(WORDS.len())]
                )),
            );
        }
        if rng.below(3) > 0 {
            answers.insert(
                "postcode".to_owned(),
                AnswerValue::Postcode(DISTRICTS[rng.below(DISTRICTS.len())].to_owned()),
            );
        }
        if rng.below(3) > 0 {
            answers.insert(
                "age_band".to_owned(),
                AnswerValue::One(AGE_BANDS[rng.below(AGE_BANDS.len())].0.to_owned()),
            );
        }
        let channel = Channel::ALL[rng.below(Channel::ALL.len())];
        let r = Response {
            partnership_id: p,
            consultation_id: c,
            questionnaire_id: v,
            event_id: (channel != Channel::Online).then(|| events[rng.below(events.len())]),
            device_id: DeviceId(uuid_v7(9, [9; 10])),
            channel,
            captured_at: 1_262_340_000_000 + n as i64 * 1000,
            answers,
            hidden: rng.below(50) == 0,
            review: Vec::new(),
            accepted: false,
            received_at: None,
        };
        assert_eq!(validate_response(&questionnaire, &r), Ok(()));
        // One millisecond apart: the ids are all different.
        let id = ResponseId(uuid_v7(1_262_340_000_000 + n as u64, [7; 10]));
        s.responses.insert(id, r);
    }
    s.questionnaires.insert(v, questionnaire);
    (s, c)
}

#[wasm_bindgen_test]
fn aggregate_ten_thousand_answers() {
    let (s, c) = snapshot();
    let first = results_model(&s, c).expect("the consultation is there");
    assert_eq!(first.report.summary.responses as usize, RESPONSES);
    assert_eq!(first.report.breakdowns.len(), 3);
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = now_ms();
        let model = results_model(&s, c);
        times.push(now_ms() - start);
        assert_eq!(model.as_ref(), Some(&first));
    }
    sort_by(&mut times, f64::total_cmp);
    let median = times[RUNS / 2];
    console_log!(
        "# {RESPONSES} responses, 5 questions, 3 events, breakdowns by event, postcode and age band; median of {RUNS} runs (min {:.2}, max {:.2})",
        times[0],
        times[RUNS - 1]
    );
    console_log!("BENCH aggregate_10000_answers_browser {median:.2} ms");
}
