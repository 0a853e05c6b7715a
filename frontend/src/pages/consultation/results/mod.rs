//! `/consultations/:id/results`: a consultation's results for staff, computed in the browser
//! from the responses on this device, so the page works offline and updates as answers sync.
//!
//! Totals (by channel and by event), each question's counts and percentages with a bar chart
//! and the data table behind it, the priority ranking with its scoring method in words,
//! breakdowns with small-number suppression, free-text answers with search and moderation,
//! exports (raw answers as CSV and JSON, the summary as CSV), the import of a partner's CSV,
//! and the "you said, we did" findings ([`super::you_said`]).
//!
//! The parts are in their own modules: `totals`, `questions` (the ranking and every question),
//! `breakdowns`, `free_text`, `exports`, `import` and `review` (answers to check).
//!
//! [`ResultsView`] takes plain props (a snapshot signal, the consultation, and `on_save`, which
//! stores records through the outbox), so tests mount it with a hand-built `Snapshot`.

use crate::pages::device::RescueImport;
use atlas_shared::consultation::{Channel, Question, QuestionKind};
use atlas_shared::export::question_columns;
use atlas_shared::results::{Report, report};
use atlas_shared::{
    ConsultationEventId, ConsultationId, Draft, PartnershipId, ResponseId, Snapshot,
};
use leptos::prelude::*;
use uuid::Uuid;

use crate::components::{Breadcrumbs, Crumb, ErrorSummary, FormErrors, gate, set_title};
use crate::data::use_store;
use crate::pages::accounts::use_manages;
use crate::pages::consultation::refused::RefusedOnServer;
use crate::pages::consultation::you_said::FindingsEditor;
use crate::pages::consultation::{consultation_href, consultations_href, you_said_href};
use crate::pages::{found, partnership_crumbs, save_all, use_id};

mod breakdowns;
mod exports;
mod free_text;
mod import;
mod questions;
mod review;
mod totals;

pub use import::ImportForm;

/// Stores records through the outbox, one after another (the page passes the store; tests
/// pass a recorder).
pub type SaveRecords = Callback<Vec<(Uuid, Draft)>>;

/// One free-text answer, as the moderation list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct FreeTextAnswer {
    pub id: ResponseId,
    pub text: String,
    pub hidden: bool,
}

/// Everything the page shows, computed once per change to the snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultsModel {
    pub title: String,
    pub partnership: PartnershipId,
    pub threshold: u32,
    /// The questions of every version (the current version's first).
    pub questions: Vec<Question>,
    pub report: Report,
    pub events: Vec<(ConsultationEventId, String)>,
    /// Per free-text question (key, text), its answers in capture order.
    pub free_text: Vec<(String, String, Vec<FreeTextAnswer>)>,
    /// Answers the server stored for review (they did not match their questionnaire version,
    /// or their event was deleted), left out of the figures until a manager counts them.
    pub for_review: Vec<ReviewItem>,
    /// Where the figures come from.
    pub source: Source,
}

/// Where a results page's figures come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// Worked out on this device from the raw answers it holds (a manager's).
    Answers,
    /// The server's published results (everyone else's: raw answers never reach them).
    Published {
        /// Answers waiting for a manager's review, not counted.
        awaiting_review: u32,
        /// Per free-text question (its text), how many answered it.
        free_text_answers: Vec<(String, u32)>,
    },
}

/// An answer waiting for a manager: which version it answered and what did not match.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewItem {
    pub id: ResponseId,
    pub version: u32,
    pub channel: Channel,
    pub notes: Vec<String>,
}

/// The page's figures from the server's published results, for everyone who does not read raw
/// answers; `None` until the device has them.
pub fn published_model(s: &Snapshot, c: ConsultationId) -> Option<ResultsModel> {
    let consultation = s.consultations.get(&c)?;
    let published = s.published_results.get(&c)?;
    let free_text_answers = published
        .free_text_answers
        .iter()
        .filter_map(|(key, n)| {
            let question = published.questions.iter().find(|q| &q.key == key)?;
            Some((question.text.clone(), *n))
        })
        .collect();
    Some(ResultsModel {
        title: consultation.title.clone(),
        partnership: consultation.partnership_id,
        threshold: published.threshold,
        questions: published.questions.clone(),
        report: published.report.clone(),
        events: published.events.clone(),
        free_text: Vec::new(),
        for_review: Vec::new(),
        source: Source::Published {
            awaiting_review: published.awaiting_review,
            free_text_answers,
        },
    })
}

/// The page's figures from the snapshot: [`report`] over the consultation's responses, with
/// the consultation's suppression threshold.
pub fn results_model(s: &Snapshot, c: ConsultationId) -> Option<ResultsModel> {
    let consultation = s.consultations.get(&c)?;
    let versions = s.questionnaire_versions_of(c);
    let questions: Vec<Question> = question_columns(&versions).into_iter().cloned().collect();
    let all = s.responses_of(c);
    let for_review = all
        .iter()
        .filter(|(_, r)| !r.is_counted())
        .map(|(id, r)| ReviewItem {
            id: *id,
            version: s
                .questionnaires
                .get(&r.questionnaire_id)
                .map_or(0, |q| q.version),
            channel: r.channel,
            notes: r.review.iter().map(|n| n.message.clone()).collect(),
        })
        .collect();
    let responses: Vec<_> = all.into_iter().filter(|(_, r)| r.is_counted()).collect();
    let report = report(
        &questions,
        responses.iter().map(|(_, r)| *r),
        consultation.suppression_threshold,
    );
    let free_text = questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionKind::FreeText { .. }))
        .map(|q| {
            let answers = responses
                .iter()
                .filter_map(|(id, r)| match r.answers.get(&q.key) {
                    Some(atlas_shared::consultation::AnswerValue::Text(t))
                        if !t.trim().is_empty() =>
                    {
                        Some(FreeTextAnswer {
                            id: *id,
                            text: t.clone(),
                            hidden: r.hidden,
                        })
                    }
                    _ => None,
                })
                .collect();
            (q.key.clone(), q.text.clone(), answers)
        })
        .collect();
    Some(ResultsModel {
        title: consultation.title.clone(),
        partnership: consultation.partnership_id,
        threshold: consultation.suppression_threshold,
        questions,
        report,
        events: s
            .events_of(c)
            .into_iter()
            .map(|(id, e)| (id, e.name.clone()))
            .collect(),
        free_text,
        for_review,
        source: Source::Answers,
    })
}

/// "We Are Redditch" → "we-are-redditch", for file names.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "consultation".to_owned()
    } else {
        out
    }
}

/// The scoring method in plain words, for a ranking of the top `top_n`.
pub fn borda_explanation(top_n: u8) -> String {
    let ordinals = [
        "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th",
    ];
    let n = usize::from(top_n);
    let parts: Vec<String> = (0..n)
        .map(|i| {
            let points = n - i;
            let ordinal = ordinals
                .get(i)
                .map(|s| (*s).to_owned())
                .unwrap_or_else(|| format!("{}th", i + 1));
            format!(
                "a {ordinal} choice earns {points} {}",
                if points == 1 { "point" } else { "points" }
            )
        })
        .collect();
    format!(
        "Each person chose up to {n} priorities in order. Points are added up for each priority: {}. \
         Priorities a person did not choose earn nothing from them. Someone who chose fewer than {n} \
         gives their choices the same points as everyone else, so a first choice is always worth {n}. \
         Priorities with equal points are ordered by how many people put them first, then alphabetically.",
        parts.join(", ")
    )
}

/// The results view: everything on the page below the breadcrumbs.
#[component]
pub fn ResultsView(
    #[prop(into)] snapshot: Signal<Snapshot>,
    consultation: ConsultationId,
    /// Whether the viewer reads residents' raw answers (a manager of the partnership): the
    /// figures are then worked out from them, with moderation, exports and imports; everyone
    /// else sees the server's published results.
    #[prop(into)]
    from_answers: Signal<bool>,
    /// Stores records through the outbox (moderation, imports, findings).
    on_save: SaveRecords,
) -> impl IntoView {
    let model = Memo::new(move |_| {
        if from_answers.get() {
            snapshot.with(|s| results_model(s, consultation))
        } else {
            snapshot.with(|s| published_model(s, consultation))
        }
    });
    let main = move || {
        let Some(m) = model.get() else {
            let missing = snapshot.with(|s| s.consultations.contains_key(&consultation));
            let text = if missing {
                "The results of this consultation have not reached this device yet. They arrive \
                 with the next sync while the device is online."
            } else {
                "This consultation is not on this device."
            };
            return view! { <p class="body" id="results-missing">{text}</p> }.into_any();
        };
        view! {
            {totals::totals(&m)}
            {questions::ranking(&m)}
            {questions::questions(&m)}
            {breakdowns::breakdowns(&m)}
            {totals::unpublished(&m)}
        }
        .into_any()
    };
    let free_text = Memo::new(move |_| {
        model.with(|m| m.as_ref().map(|m| m.free_text.clone()).unwrap_or_default())
    });
    let found = Memo::new(move |_| from_answers.get() && model.with(Option::is_some));
    let on_toggle = free_text::toggle_hidden(snapshot, on_save);
    // `main` is drawn afresh whenever an answer arrives; the free-text list (its search box,
    // its buttons) and the forms stay outside it, so what is typed and where the keyboard is
    // survive answers arriving and a moderator's hiding.
    view! {
        {main}
        <Show when=move || found.get()>
            <review::AnswersToCheck snapshot=snapshot model=model on_save=on_save />
            <free_text::FreeTextAnswers free_text=free_text on_toggle=on_toggle />
            <exports::Exports snapshot=snapshot consultation=consultation model=model />
        </Show>
        <Show when=move || from_answers.get()>
            <ImportForm snapshot=snapshot consultation=consultation on_save=on_save />
            <FindingsEditor snapshot=snapshot consultation=consultation on_save=on_save />
        </Show>
    }
}

/// `/consultations/:id/results`
#[component]
pub fn ResultsPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<ConsultationId>("id"), snapshot, |s, id| {
        s.consultations.contains_key(id)
    });
    let errors = RwSignal::new(FormErrors::default());
    let on_save: SaveRecords = Callback::new(move |records: Vec<(Uuid, Draft)>| {
        save_all(store, records, errors, |_| {});
    });
    set_title(move || {
        let title = id
            .get()
            .and_then(|c| snapshot.with(|s| s.consultations.get(&c).map(|x| x.title.clone())))
            .unwrap_or_default();
        vec!["Results".to_owned(), title]
    });
    gate(store.ready(), id, "consultation", move |c| {
        let crumbs = Signal::derive(move || {
            snapshot.with(|s| {
                let Some(consultation) = s.consultations.get(&c) else {
                    return Vec::new();
                };
                let p = consultation.partnership_id;
                let mut crumbs = partnership_crumbs(s, p);
                crumbs.push(Crumb::link("Consultations", consultations_href(p)));
                crumbs.push(Crumb::link(
                    consultation.title.clone(),
                    consultation_href(c),
                ));
                crumbs.push(Crumb::here("Results"));
                crumbs
            })
        });
        let partnership = Signal::derive(move || {
            snapshot.with(|s| s.consultations.get(&c).map(|x| x.partnership_id))
        });
        let manages = use_manages(partnership);
        view! {
            <Breadcrumbs crumbs=crumbs />
            <ErrorSummary errors=errors />
            <ResultsView snapshot=snapshot consultation=c from_answers=manages on_save=on_save />
            <Show when=move || manages.get()>
                // Read from the server, so it sits beside the props-only view too.
                <RefusedOnServer consultation=c />
                // Reads and writes the store itself, so it sits beside the props-only view.
                <RescueImport />
            </Show>
            <p class="body">
                <a class="link" href=you_said_href(c)>"See the public “you said, we did” page"</a>
            </p>
        }
    })
}
