//! Times saving one consultation answer on a tablet: `Store::save` validates it, writes it to
//! the outbox in IndexedDB (awaiting the commit, so the answer is on the device) and shows it.
//! The local copy already holds a few thousand answers, as a tablet does by the end of a long
//! event with no signal, so the figure includes what grows with the data.
//!
//! A benchmark, not a timed test: it is not part of `cargo test` (`test = false` in
//! Cargo.toml); `cargo xtask bench` runs it optimised as the app is:
//!
//! ```text
//! cargo test -p atlas-frontend --target wasm32-unknown-unknown --profile wasm-release \
//!     --test store_bench -- --nocapture
//! ```
//!
//! Prints `BENCH save_one_answer_locally_browser <median ms> ms` after a `#` line of details.

use atlas_shared::seeds::REDDITCH;
use std::collections::BTreeMap;

use atlas_frontend::data::{Store, new_id};
use atlas_shared::consultation::{
    AnswerValue, Channel, Choice, Consultation, Question, QuestionKind, Questionnaire, Response,
};
use atlas_shared::order::sort_by;
use atlas_shared::{ConsultationId, Draft, Partnership, PartnershipId, QuestionnaireId};
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Answers already on the tablet before the timed saves.
const HELD: usize = 3_000;
/// Timed saves.
const RUNS: usize = 60;

fn now_ms() -> f64 {
    web_sys::window()
        .expect("a window")
        .performance()
        .expect("window.performance")
        .now()
}

async fn until_ready(store: Store) {
    for _ in 0..400 {
        if store.ready().get_untracked() {
            return;
        }
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .expect("a window")
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 25);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    panic!("the local copy did not load");
}

const THEMES: [(&str, &str); 6] = [
    ("community-safety", "Community Safety"),
    ("health", "Health and Wellbeing"),
    ("housing", "Housing"),
    ("skills", "Skills and Employability"),
    ("young-people", "Children and Young People"),
    ("older-people", "Older People"),
];

fn answer(
    store: Store,
    p: PartnershipId,
    c: ConsultationId,
    q: QuestionnaireId,
    n: usize,
) -> Draft {
    let pick = |i: usize| THEMES[(n + i) % THEMES.len()].0.to_owned();
    let mut answers = BTreeMap::new();
    answers.insert(
        "priorities".to_owned(),
        AnswerValue::Ranked(vec![pick(0), pick(1), pick(2)]),
    );
    answers.insert("safe".to_owned(), AnswerValue::Scale((n % 5) as i8 - 2));
    Draft::of(Response {
        partnership_id: p,
        consultation_id: c,
        questionnaire_id: q,
        event_id: None,
        device_id: store.device_id(),
        channel: Channel::Kiosk,
        captured_at: 1_263_340_800_000 + n as i64,
        answers,
        hidden: false,
        review: Vec::new(),
        accepted: false,
        received_at: None,
    })
}

#[wasm_bindgen_test]
async fn saving_one_answer_on_a_full_tablet() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    // A database of its own each run, so earlier runs' answers do not pile up.
    let name: &'static str = Box::leak(format!("atlas-bench-save-{}", now_ms()).into_boxed_str());
    let store = Store::start_with(name);
    until_ready(store).await;

    let p = PartnershipId(new_id());
    store
        .save(
            p.0,
            Draft::of(Partnership {
                name: REDDITCH.into(),
                area: "Borough of Redditch".into(),
                description: String::new(),
                published: true,
                archived: false,
            }),
        )
        .await
        .expect("partnership");
    let c = ConsultationId(new_id());
    store
        .save(
            c.0,
            Draft::of(Consultation {
                partnership_id: p,
                title: "We Are Redditch".into(),
                purpose: String::new(),
                opens_on: Some(atlas_shared::IsoDate::known(2010, 1, 1)),
                closes_on: Some(atlas_shared::IsoDate::known(2010, 1, 31)),
                suppression_threshold: 5,
                archived: false,
            }),
        )
        .await
        .expect("consultation");
    let q = QuestionnaireId(new_id());
    store
        .save(
            q.0,
            Draft::of(Questionnaire {
                partnership_id: p,
                consultation_id: c,
                version: 1,
                questions: vec![
                    Question {
                        key: "priorities".into(),
                        text: "Which matter most to you?".into(),
                        hint: String::new(),
                        required: true,
                        kind: QuestionKind::RankPriorities {
                            options: Choice::list(&THEMES),
                            top_n: 3,
                        },
                    },
                    Question {
                        key: "safe".into(),
                        text: "I feel safe in my neighbourhood".into(),
                        hint: String::new(),
                        required: false,
                        kind: QuestionKind::AgreeScale,
                    },
                ],
                opened_for_answers: false,
            }),
        )
        .await
        .expect("questionnaire");

    let started = now_ms();
    for n in 0..HELD {
        store
            .save(new_id(), answer(store, p, c, q, n))
            .await
            .expect("an answer is stored");
    }
    let preload_ms = now_ms() - started;

    let mut times: Vec<f64> = Vec::with_capacity(RUNS);
    for n in HELD..HELD + RUNS {
        let entity = answer(store, p, c, q, n);
        let start = now_ms();
        store.save(new_id(), entity).await.expect("stored");
        times.push(now_ms() - start);
    }
    let shown = store.snapshot().with_untracked(|s| s.responses_of(c).len());
    assert_eq!(shown, HELD + RUNS, "every answer is shown");
    assert_eq!(store.status().get_untracked().pending, HELD + RUNS + 3);
    sort_by(&mut times, f64::total_cmp);
    let median = (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2.0;
    console_log!(
        "# save_one_answer_locally_browser: {RUNS} saves with {HELD} answers already held \
         ({preload_ms:.0} ms to store those); min {:.2} ms, max {:.2} ms",
        times[0],
        times[RUNS - 1]
    );
    console_log!("BENCH save_one_answer_locally_browser {median:.2} ms");
    // The memory the page's module holds with them all: WebAssembly memory only grows, so
    // this is its high-water mark, against the answers' own size as the server stores them.
    let memory = core::arch::wasm32::memory_size::<0>() * 65_536;
    let answers: usize = store.snapshot().with_untracked(|s| {
        s.responses_of(c)
            .iter()
            .map(|(_, r)| serde_json::to_string(r).map_or(0, |j| j.len()))
            .sum()
    });
    console_log!(
        "# tablet_memory_browser: the module's memory with {} answers held, whose JSON is \
         {answers} bytes: {:.1} times that",
        HELD + RUNS,
        memory as f64 / answers.max(1) as f64
    );
    console_log!("BENCH tablet_memory_browser {memory} bytes");
    // The store's sync loop goes on after this returns, reading its signals: they must not be
    // disposed under it (a page's store lives as long as the page).
    std::mem::forget(owner);
}
