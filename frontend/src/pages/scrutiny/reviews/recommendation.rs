//! One recommendation (`/recommendations/:id`): its status in words, its dated log as a
//! timeline, and, for managers, the "Add a step" form; and the recommendation form (the
//! number must be unique within the review, which the form checks: see the shared module's
//! docs).

use atlas_shared::date::{date_input, optional_date_input};
use atlas_shared::scrutiny::Concern;
use atlas_shared::scrutiny::reviews::{
    next_number, number_taken, response_words, status_of, steps_of,
};
use atlas_shared::scrutiny::{
    Recommendation, RecommendationId, RecommendationStep, RecommendationStepId, ResponseAnswer,
    ReviewId, StepKind,
};
use atlas_shared::{Draft, EntityKind, FieldError, IsoDate, Snapshot};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::review::{status_tone, use_review_id};
use super::{recommendation_href, review_crumbs, review_href, today};
use crate::components::{
    AtlasForm, Breadcrumbs, Checkbox, Crumb, ErrorSummary, FormActions, FormErrors, FormPage,
    Inputs, RecordSelect, Tag, TextArea, TextField, gate, record_form_page, set_title,
};
use crate::data::{new_id, use_store};
use crate::pages::accounts::use_manages;
use crate::pages::scrutiny::meetings::ConsideredAt;
use crate::pages::{found, use_id};

/// A step the "Add a step" form made, for the page to save. On success the page clears the
/// form with `saved`; on failure it shows the problems in `errors`, keeping what was typed.
#[derive(Clone)]
pub struct NewStep {
    pub id: RecommendationStepId,
    pub step: RecommendationStep,
    pub errors: RwSignal<FormErrors>,
    pub saved: RwSignal<u32>,
}

impl NewStep {
    fn new(step: RecommendationStep, errors: RwSignal<FormErrors>, saved: RwSignal<u32>) -> Self {
        Self {
            id: RecommendationStepId(new_id()),
            step,
            errors,
            saved,
        }
    }
}

/// The recommendation, its status and its log; the "Add a step" form for managers.
#[component]
pub fn RecommendationDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: RecommendationId,
    today: IsoDate,
    #[prop(into)] manages: Signal<bool>,
    #[prop(into)] on_add_step: Callback<NewStep>,
) -> impl IntoView {
    let rec = Memo::new(move |_| snapshot.with(|s| s.recommendations.get(&id).cloned()));
    let steps = Memo::new(move |_| snapshot.with(|s| steps_of(s, id)));
    let state = Memo::new(move |_| steps.with(|st| status_of(st.iter().map(|(_, s)| s), today)));
    let heading = move || {
        rec.with(|r| {
            r.as_ref()
                .map(|r| format!("Recommendation {}", r.number))
                .unwrap_or_default()
        })
    };
    let review_title = Memo::new(move |_| {
        snapshot.with(|s| {
            rec.with(|r| {
                r.as_ref()
                    .and_then(|r| s.reviews.get(&r.review_id))
                    .map(|x| x.title.clone())
                    .unwrap_or_default()
            })
        })
    });
    set_title(move || vec![heading(), review_title.get()]);
    let crumbs = Signal::derive(move || {
        rec.with(|r| match r {
            Some(r) => snapshot.with(|s| {
                let mut c = review_crumbs(s, r.partnership_id, Some(r.review_id));
                c.push(Crumb::here(format!("Recommendation {}", r.number)));
                c
            }),
            None => Vec::new(),
        })
    });
    let href = recommendation_href(id);
    let timeline = move || {
        let steps = steps.get();
        if steps.is_empty() {
            return view! {
                <p class="body" id="timeline-empty">
                    "Nothing is recorded yet. Start with the date it was received: the response is due two months later."
                </p>
            }
            .into_any();
        }
        view! {
            <ol class="timeline" id="timeline">
                {steps
                    .into_iter()
                    .map(|(step_id, s)| {
                        let what = s.what.label();
                        view! {
                            <li class="timeline__item" data-what=s.what.as_key()>
                                <p class="timeline__date">
                                    <strong>{s.date.long()}</strong>
                                    {(!s.date_note.is_empty()).then(|| view! {
                                        <span class="timeline__note">{format!(" ({})", s.date_note)}</span>
                                    })}
                                </p>
                                <h3 class="heading-s timeline__what">
                                    {what}
                                    {s.answer.map(|a| view! { " " <Tag text=a.label() tone="purple" /> })}
                                </h3>
                                {(!s.text.is_empty()).then(|| view! { <p class="body preserve-breaks timeline__text">{s.text.clone()}</p> })}
                                {s.due_on.map(|d| view! { <p class="body timeline__due">{format!("Due {}", d.long())}</p> })}
                                {(!s.link.is_empty()).then(|| view! {
                                    <p class="body"><a class="link" href=s.link.clone() rel="noopener noreferrer">"See the evidence"</a></p>
                                })}
                                <Show when=move || manages.get()>
                                    <a class="link timeline__delete" href=format!("/recommendation-steps/{step_id}/delete")>
                                        "Delete this entry"
                                        <span class="visually-hidden">{format!(": {what}")}</span>
                                    </a>
                                </Show>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    let errors = RwSignal::new(FormErrors::default());
    let saved = RwSignal::new(0u32);
    let form = move || {
        // A fresh form after each saved step.
        let _ = saved.get();
        rec.with_untracked(|r| {
            r.as_ref().map(|r| {
                let partnership_id = r.partnership_id;
                view! {
                    <AddStepForm
                        partnership_id=partnership_id
                        recommendation_id=id
                        today=today
                        errors=errors
                        on_submit=move |step| on_add_step.run(NewStep::new(step, errors, saved))
                    />
                }
            })
        })
    };
    view! {
        <Breadcrumbs crumbs=crumbs />
        <p class="caption-l">{move || review_title.get()}</p>
        <h1 class="heading-xl">{heading}</h1>
        {move || {
            rec.get().map(|r| view! {
                <p class="body lead preserve-breaks" id="recommendation-text">{r.text.clone()}</p>
                <dl class="summary-list">
                    {(!r.addressed_to.is_empty()).then(|| view! {
                        <div class="summary-list__row">
                            <dt class="summary-list__key">"Addressed to"</dt>
                            <dd class="summary-list__value">{r.addressed_to.clone()}</dd>
                        </div>
                    })}
                    {r.on_laa_target.then(|| view! {
                        <div class="summary-list__row">
                            <dt class="summary-list__key">"Local Area Agreement"</dt>
                            <dd class="summary-list__value">"On an LAA target: the response is due within two months by law (SI 2009/1919)."</dd>
                        </div>
                    })}
                </dl>
            })
        }}
        <div class="recommendation-status">
            <h2 class="heading-m">"Status"</h2>
            <p class="body" id="recommendation-status" data-status=move || state.get().status.as_key()>
                {move || {
                    let st = state.get();
                    view! {
                        <Tag text=st.status.label() tone=status_tone(st.status) />
                        " "
                        {st.words()}
                    }
                }}
            </p>
            {move || state.get().latest_response.map(|r| view! {
                <p class="body" id="latest-response">
                    <strong>{format!("Latest response ({}): ", r.date.long())}</strong>
                    {response_words(&r)}
                </p>
            })}
        </div>
        <Show when=move || manages.get()>
            <div class="button-group">
                <a class="button button--secondary" id="edit-recommendation" href=format!("{href}/edit")>
                    "Edit recommendation"
                </a>
                <a class="button button--warning" id="delete-recommendation" href=format!("{href}/delete")>
                    "Delete recommendation"
                </a>
            </div>
        </Show>
        <section class="section" aria-labelledby="log-heading">
            <h2 class="heading-m" id="log-heading">"What has happened"</h2>
            {timeline}
        </section>
        <ConsideredAt
            snapshot=snapshot
            record=Concern { kind: EntityKind::Recommendation, id: id.0 }
            empty="No meeting’s agenda names this recommendation yet. A manager can name it on an agenda item, under the recommendations it concerns."
        />
        <Show when=move || manages.get()>
            <section class="section add-step" aria-labelledby="add-step-heading" id="add-step">
                <h2 class="heading-m" id="add-step-heading">"Add a step"</h2>
                <ErrorSummary errors=errors />
                {form}
            </section>
        </Show>
        {move || rec.get().map(|r| view! {
            <p class="body"><a class="link" href=review_href(r.review_id)>"Back to all the recommendations"</a></p>
        })}
    }
}

const STEP_FIELDS: &[&str] = &[
    "date",
    "what",
    "answer",
    "due_on",
    "link",
    "text",
    "date_note",
];

/// The "Add a step" form: the date, what happened, and what that kind of entry needs (a
/// response's answer, an action's due date, evidence's link).
#[component]
pub fn AddStepForm(
    partnership_id: atlas_shared::PartnershipId,
    recommendation_id: RecommendationId,
    today: IsoDate,
    errors: RwSignal<FormErrors>,
    #[prop(into)] on_submit: Callback<RecommendationStep>,
) -> impl IntoView {
    let date = RwSignal::new(today.to_string());
    let what = RwSignal::new(StepKind::Response.as_key());
    let answer = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let kind = Memo::new(move |_| StepKind::from_key(&what.get()).unwrap_or(StepKind::Response));
    let kinds: Vec<(String, String)> = StepKind::ALL
        .iter()
        .map(|k| (k.as_key(), k.label().to_owned()))
        .collect();
    let mut answers = vec![(String::new(), "The response does not say".to_owned())];
    answers.extend(
        ResponseAnswer::ALL
            .iter()
            .map(|a| (a.as_key(), a.label().to_owned())),
    );
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let kind = kind.get_untracked();
        let day = inputs.take(date_input("date", &date.get_untracked(), "the date"));
        let due_on = if kind == StepKind::ActionPlanned {
            inputs
                .take(optional_date_input(
                    "due_on",
                    &due.get_untracked(),
                    "the due date",
                ))
                .flatten()
        } else {
            None
        };
        let step = RecommendationStep {
            partnership_id,
            recommendation_id,
            date: day.unwrap_or(today),
            what: kind,
            answer: if kind == StepKind::Response {
                ResponseAnswer::from_key(&answer.get_untracked())
            } else {
                None
            },
            due_on,
            link: if kind == StepKind::Evidence {
                link.get_untracked().trim().to_owned()
            } else {
                String::new()
            },
            text: text.get_untracked(),
            date_note: String::new(),
        };
        if let Some(found) = inputs.refused(&step, STEP_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(step);
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField id="date" label="Date" hint="The day it happened, for example 8 November 2011" value=date errors=errors input_type="date" width="input--date" />
            <RecordSelect id="what" label="What happened" hint="The status follows from the log: a response stops the two-month count, completion and sign-off finish it" options=kinds value=what errors=errors />
            <Show when=move || kind.get() == StepKind::Response>
                <RecordSelect id="answer" label="The answer" hint="Accepted in principle stays its own answer: it agrees without committing to act" options=answers.clone() value=answer errors=errors />
            </Show>
            <Show when=move || kind.get() == StepKind::ActionPlanned>
                <TextField id="due_on" label="Due on" hint="The app counts the days to it and says when it is overdue" value=due errors=errors input_type="date" width="input--date" />
            </Show>
            <Show when=move || kind.get() == StepKind::Evidence>
                <TextField id="link" label="Link (optional)" hint="A web address starting with https://" value=link errors=errors />
            </Show>
            <TextArea id="text" label="What it says" hint="For a response, its words; for progress or evidence, what happened" value=text errors=errors rows=4 />
            <div class="button-group">
                <button type="submit" class="button" id="add-step-submit">"Add step"</button>
            </div>
        </AtlasForm>
    }
}

/// `/recommendations/:id`
#[component]
pub fn RecommendationPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_recommendation_id(snapshot);
    gate(store.ready(), id, "recommendation", move |id| {
        let p = snapshot.with_untracked(|s| s.recommendations.get(&id).map(|r| r.partnership_id));
        let manages = use_manages(Signal::derive(move || p));
        let on_add_step = move |new: NewStep| {
            spawn_local(async move {
                match store.save(new.id.0, Draft::of(new.step)).await {
                    Ok(()) => {
                        new.errors.set(FormErrors::default());
                        new.saved.update(|n| *n += 1);
                    }
                    Err(e) => new.errors.set(e.into()),
                }
            });
        };
        view! {
            <RecommendationDetail snapshot=snapshot id=id today=today() manages=manages on_add_step=on_add_step />
        }
    })
}

fn use_recommendation_id(snapshot: Signal<Snapshot>) -> Memo<Option<RecommendationId>> {
    found(use_id("id"), snapshot, |s, id| {
        s.recommendations.contains_key(id)
    })
}

const RECOMMENDATION_FIELDS: &[&str] = &["number", "text", "addressed_to", "on_laa_target"];

/// The recommendation's fields. Refuses a number another recommendation of the review has.
#[component]
pub fn RecommendationForm(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: RecommendationId,
    initial: Recommendation,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Recommendation>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let review_id = initial.review_id;
    let number = RwSignal::new(initial.number.to_string());
    let text = RwSignal::new(initial.text);
    let addressed_to = RwSignal::new(initial.addressed_to);
    let laa = RwSignal::new(initial.on_laa_target);
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let n =
            inputs.take(number.get_untracked().trim().parse::<u32>().map_err(|_| {
                FieldError::new("number", "Enter the recommendation's number, like 16")
            }));
        if let Some(n) = n
            && snapshot.with_untracked(|s| number_taken(s, review_id, id, n))
        {
            inputs.take::<()>(Err(FieldError::new(
                "number",
                format!("Recommendation {n} is already in this review: choose another number"),
            )));
        }
        let rec = Recommendation {
            partnership_id,
            review_id,
            number: n.unwrap_or(1),
            text: text.get_untracked().trim().to_owned(),
            addressed_to: addressed_to.get_untracked().trim().to_owned(),
            on_laa_target: laa.get_untracked(),
        };
        if let Some(found) = inputs.refused(&rec, RECOMMENDATION_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(rec);
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField id="number" label="Number" hint="Its number in the review's report" value=number errors=errors inputmode="numeric" width="input--width-3" />
            <TextArea id="text" label="Recommendation" hint="As the report words it" value=text errors=errors rows=4 />
            <TextField id="addressed_to" label="Addressed to (optional)" hint="A body, partner or officer, for example The Leader of the Council" value=addressed_to errors=errors />
            <Checkbox id="on_laa_target" label="It concerns a Local Area Agreement target" hint="Then the two-month response period is set by law (SI 2009/1919)" value=laa />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

fn recommendation_form_page(
    snapshot: Signal<Snapshot>,
    id: RecommendationId,
    initial: Recommendation,
    heading: String,
    submit_label: &'static str,
    cancel: String,
) -> impl IntoView {
    let crumbs = snapshot.with_untracked(|s| {
        let mut c = review_crumbs(s, initial.partnership_id, Some(initial.review_id));
        c.push(Crumb::here(heading.clone()));
        c
    });
    let page = FormPage::in_section(crumbs, heading, "Reviews");
    let to_save = move |r: Recommendation| (Draft::of(r), recommendation_href(id));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <RecommendationForm snapshot=snapshot id=id initial=initial errors=errors submit_label=submit_label cancel_href=cancel on_submit=on_submit />
        }
    })
}

/// `/reviews/:id/recommendations/new`
#[component]
pub fn NewRecommendationPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let review = use_review_id(snapshot);
    gate(store.ready(), review, "review", move |review: ReviewId| {
        let Some(p) = snapshot.with_untracked(|s| s.reviews.get(&review).map(|r| r.partnership_id))
        else {
            return ().into_any();
        };
        let initial = Recommendation {
            partnership_id: p,
            review_id: review,
            number: snapshot.with_untracked(|s| next_number(s, review)),
            text: String::new(),
            addressed_to: String::new(),
            on_laa_target: false,
        };
        recommendation_form_page(
            snapshot,
            RecommendationId(new_id()),
            initial,
            "Add a recommendation".to_owned(),
            "Add recommendation",
            review_href(review),
        )
        .into_any()
    })
}

/// `/recommendations/:id/edit`
#[component]
pub fn EditRecommendationPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_recommendation_id(snapshot);
    gate(store.ready(), id, "recommendation", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.recommendations.get(&id).cloned()) else {
            return ().into_any();
        };
        let heading = format!("Edit recommendation {}", initial.number);
        recommendation_form_page(
            snapshot,
            id,
            initial,
            heading,
            "Save changes",
            recommendation_href(id),
        )
        .into_any()
    })
}
