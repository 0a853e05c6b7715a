//! One questionnaire version as a form residents can answer with their thumbs: every option is
//! a big card to tap, nothing needs typing except free text and a postcode, and the answers are
//! checked with the shared rule ([`validate_response`]) before `on_submit` hears of them.
//!
//! Test hooks: each question's wrapper has `data-question-key`, each option (button or input)
//! `data-option-key`, and the submit button the id `submit-answer`. A question's key is also the
//! id of its field, so the error summary links to it.

use std::collections::BTreeMap;

use atlas_shared::consultation::{
    AGREE_SCALE, AnswerValue, Channel, Question, QuestionKind, Questionnaire, Response,
    postcode_district, validate_response,
};
use atlas_shared::order::map_of;
use atlas_shared::{DeviceId, FieldError, QuestionnaireId};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::components::form::{ErrorSummary, FormErrors};

/// The option key of an about-you question's "Prefer not to say": the question is then left
/// unanswered, as the shared rules expect of an optional question.
pub const PREFER_NOT_TO_SAY: &str = "prefer_not_to_say";

/// What has been tapped or typed for one question so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// Ranked options, most important first; or the options ticked, in the order ticked.
    pub chosen: Vec<String>,
    /// The option (or agree-scale point, as text) chosen.
    pub one: Option<String>,
    pub text: String,
}

/// The answer a draft gives to `question`, or `None` when it is unanswered. A postcode is
/// normalised to its district ("b97 4aa" → "B97"); one that is not a postcode is passed on as
/// typed, so the shared rule names the problem.
pub fn draft_answer(question: &Question, draft: &Draft) -> Option<AnswerValue> {
    match &question.kind {
        QuestionKind::RankPriorities { .. } => {
            (!draft.chosen.is_empty()).then(|| AnswerValue::Ranked(draft.chosen.clone()))
        }
        QuestionKind::ChooseSeveral { .. } => {
            (!draft.chosen.is_empty()).then(|| AnswerValue::Several(draft.chosen.clone()))
        }
        QuestionKind::ChooseOne { .. } => draft.one.clone().map(AnswerValue::One),
        QuestionKind::AboutYou { options } => draft
            .one
            .clone()
            .filter(|k| k != PREFER_NOT_TO_SAY || options.iter().any(|o| o.key == *k))
            .map(AnswerValue::One),
        QuestionKind::AgreeScale => draft
            .one
            .as_deref()
            .and_then(|v| v.parse::<i8>().ok())
            .map(AnswerValue::Scale),
        QuestionKind::FreeText { .. } => {
            let t = draft.text.trim();
            (!t.is_empty()).then(|| AnswerValue::Text(t.to_owned()))
        }
        QuestionKind::PostcodeDistrict => {
            let t = draft.text.trim();
            // Not a postcode: kept as typed for the check to refuse and say why (a postcode is
            // ASCII, so only ASCII letters need capitals).
            (!t.is_empty()).then(|| {
                AnswerValue::Postcode(
                    postcode_district(t).unwrap_or_else(|| t.to_ascii_uppercase()),
                )
            })
        }
    }
}

/// Every answered question's answer, by question key.
pub fn draft_answers(
    q: &Questionnaire,
    drafts: &BTreeMap<String, Draft>,
) -> BTreeMap<String, AnswerValue> {
    map_of(q.questions.iter().filter_map(|question| {
        let draft = drafts.get(&question.key).cloned().unwrap_or_default();
        draft_answer(question, &draft).map(|a| (question.key.clone(), a))
    }))
}

/// Checks `answers` against the version with the shared rule, before anything about who and
/// where is known (the page checks the whole response again before it saves it).
pub fn check_answers(
    q: &Questionnaire,
    answers: &BTreeMap<String, AnswerValue>,
) -> Result<(), Vec<FieldError>> {
    let probe = Response {
        partnership_id: q.partnership_id,
        consultation_id: q.consultation_id,
        questionnaire_id: QuestionnaireId(Uuid::nil()),
        event_id: None,
        device_id: DeviceId(Uuid::nil()),
        channel: Channel::Online,
        captured_at: 0,
        answers: answers.clone(),
        hidden: false,
        accepted: false,
        received_at: None,
        review: Vec::new(),
    };
    validate_response(q, &probe)
}

/// Tapping an option of a ranking: an unchosen one goes next in order (while fewer than
/// `top_n` are chosen); a chosen one is taken out.
pub fn rank_tap(chosen: &mut Vec<String>, key: &str, top_n: usize) {
    if let Some(i) = chosen.iter().position(|k| k == key) {
        chosen.remove(i);
    } else if chosen.len() < top_n {
        chosen.push(key.to_owned());
    }
}

/// Moves a chosen option one place up the ranking.
pub fn rank_move_up(chosen: &mut [String], key: &str) {
    if let Some(i) = chosen.iter().position(|k| k == key)
        && i > 0
    {
        chosen.swap(i - 1, i);
    }
}

/// "(optional)" after an optional question, as GOV.UK marks them.
fn question_text(q: &Question) -> String {
    if q.required {
        q.text.clone()
    } else {
        format!("{} (optional)", q.text)
    }
}

/// A questionnaire version's questions, to answer and submit. The state is the form's own:
/// render it afresh (a new `key`-like rebuild) to start again for the next person.
#[component]
pub fn QuestionnaireForm(
    questionnaire: Questionnaire,
    /// Called with the answers once they pass the shared rule.
    #[prop(into)]
    on_submit: Callback<BTreeMap<String, AnswerValue>>,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    /// While true (the answer is being written), Save is disabled, so a double tap stores one.
    #[prop(optional, into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let drafts: RwSignal<BTreeMap<String, Draft>> = RwSignal::new(BTreeMap::new());
    let q = StoredValue::new(questionnaire.clone());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let answers = q.with_value(|q| drafts.with_untracked(|d| draft_answers(q, d)));
        match q.with_value(|q| check_answers(q, &answers)) {
            Ok(()) => {
                errors.set(FormErrors::default());
                on_submit.run(answers);
            }
            Err(fields) => errors.set(FormErrors {
                message: None,
                fields,
            }),
        }
    };
    let questions = questionnaire
        .questions
        .into_iter()
        .map(|question| view! { <QuestionField question=question drafts=drafts errors=errors /> })
        .collect_view();
    view! {
        <ErrorSummary errors=errors />
        <form class="form questionnaire" novalidate on:submit=submit>
            {questions}
            <button
                type="submit"
                class="button button--large"
                id="submit-answer"
                disabled=move || busy.get()
                aria-busy=move || busy.get().to_string()
            >
                {submit_label}
            </button>
        </form>
    }
}

/// One question: its wrapper, text, hint, inline error and the input its kind asks for.
#[component]
fn QuestionField(
    question: Question,
    drafts: RwSignal<BTreeMap<String, Draft>>,
    errors: RwSignal<FormErrors>,
) -> impl IntoView {
    let key = question.key.clone();
    let error = {
        let key = key.clone();
        Memo::new(move |_| errors.with(|e| e.for_field(&key)))
    };
    let draft = {
        let key = key.clone();
        Memo::new(move |_| drafts.with(|d| d.get(&key).cloned().unwrap_or_default()))
    };
    let edit = {
        let key = key.clone();
        move |f: &dyn Fn(&mut Draft)| drafts.update(|d| f(d.entry(key.clone()).or_default()))
    };
    let hint_id = format!("{key}-hint");
    let error_id = format!("{key}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            if error.with(Option::is_some) {
                format!("{hint_id} {error_id}")
            } else {
                hint_id.clone()
            }
        }
    };
    let hint = match (&question.kind, question.hint.is_empty()) {
        (QuestionKind::RankPriorities { top_n, .. }, true) => format!(
            "Tap up to {top_n} in order of importance: the first you tap is number 1. Tap again to take one out."
        ),
        (QuestionKind::ChooseSeveral { .. }, true) => "Tap all that apply.".to_owned(),
        (QuestionKind::PostcodeDistrict, true) => {
            "For example B97. Only the first part of a postcode is kept.".to_owned()
        }
        _ => question.hint.clone(),
    };
    let error_view = {
        let error_id = error_id.clone();
        move || {
            error.get().map(|m| {
                view! {
                    <p class="error-message" id=error_id.clone()>
                        <span class="visually-hidden">"Error: "</span>
                        {m}
                    </p>
                }
            })
        }
    };
    let text = question_text(&question);
    let hint_view = view! { <div class="hint" id=hint_id>{hint}</div> };

    let body = match question.kind.clone() {
        QuestionKind::RankPriorities { options, top_n } => {
            let top_n = usize::from(top_n);
            let labels: BTreeMap<String, String> =
                map_of(options.iter().map(|o| (o.key.clone(), o.label.clone())));
            let labels = StoredValue::new(labels);
            let edit = StoredValue::new(edit);
            let cards = options
                .into_iter()
                .map(|o| {
                    let k = o.key.clone();
                    let k2 = o.key.clone();
                    let k3 = o.key.clone();
                    let position = Memo::new(move |_| {
                        draft.with(|d| d.chosen.iter().position(|c| *c == k))
                    });
                    view! {
                        <button
                            type="button"
                            class="option-card option-card--rank"
                            class:option-card--chosen=move || position.get().is_some()
                            data-option-key=k2
                            aria-pressed=move || position.get().is_some().to_string()
                            on:click=move |_| {
                                edit.with_value(|e| e(&|d: &mut Draft| rank_tap(&mut d.chosen, &k3, top_n)))
                            }
                        >
                            <span class="option-card__rank" aria-hidden="true">
                                {move || position.get().map(|i| (i + 1).to_string())}
                            </span>
                            <span class="option-card__label">{o.label}</span>
                            <span class="visually-hidden">
                                {move || position.get().map(|i| format!(" (number {})", i + 1))}
                            </span>
                        </button>
                    }
                })
                .collect_view();
            let order = move || {
                let chosen = draft.with(|d| d.chosen.clone());
                if chosen.is_empty() {
                    return view! { <p class="ranking__empty">"Nothing chosen yet."</p> }
                        .into_any();
                }
                let items = chosen
                    .into_iter()
                    .enumerate()
                    .map(|(i, k)| {
                        let label = labels.with_value(|l| l.get(&k).cloned().unwrap_or_default());
                        let (up, out) = (k.clone(), k.clone());
                        view! {
                            <li class="ranking__item">
                                <span class="ranking__number" aria-hidden="true">{format!("{}.", i + 1)}</span>
                                <span class="ranking__label">{label.clone()}</span>
                                {(i > 0)
                                    .then(|| {
                                        let label = label.clone();
                                        view! {
                                            <button
                                                type="button"
                                                class="button button--secondary ranking__button"
                                                data-move-up=up.clone()
                                                on:click=move |_| {
                                                    edit.with_value(|e| e(&|d: &mut Draft| rank_move_up(&mut d.chosen, &up)))
                                                }
                                            >
                                                "Move up"
                                                <span class="visually-hidden">{format!(": {label}")}</span>
                                            </button>
                                        }
                                    })}
                                <button
                                    type="button"
                                    class="button button--secondary ranking__button"
                                    data-remove=out.clone()
                                    on:click=move |_| {
                                        edit.with_value(|e| e(&|d: &mut Draft| d.chosen.retain(|c| *c != out)))
                                    }
                                >
                                    "Remove"
                                    <span class="visually-hidden">{format!(": {label}")}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ol class="ranking">{items}</ol> }.into_any()
            };
            let full = move || {
                (draft.with(|d| d.chosen.len()) >= top_n)
                    .then(|| format!("You have chosen {top_n}. Take one out to choose another."))
            };
            view! {
                <div class="option-cards">{cards}</div>
                <p class="ranking__status" aria-live="polite">{full}</p>
                <h3 class="ranking__heading">"Your order"</h3>
                {order}
            }
            .into_any()
        }
        QuestionKind::ChooseOne { options } => {
            let pairs: Vec<(String, String)> =
                options.into_iter().map(|o| (o.key, o.label)).collect();
            choice_cards(&key, pairs, false, draft, edit).into_any()
        }
        QuestionKind::AboutYou { options } => {
            let mut pairs: Vec<(String, String)> =
                options.into_iter().map(|o| (o.key, o.label)).collect();
            pairs.push((PREFER_NOT_TO_SAY.to_owned(), "Prefer not to say".to_owned()));
            choice_cards(&key, pairs, false, draft, edit).into_any()
        }
        QuestionKind::AgreeScale => {
            let pairs: Vec<(String, String)> = AGREE_SCALE
                .iter()
                .map(|(v, label)| (v.to_string(), (*label).to_owned()))
                .collect();
            view! { <div class="agree-scale">{choice_cards(&key, pairs, false, draft, edit)}</div> }
                .into_any()
        }
        QuestionKind::ChooseSeveral { options } => {
            let pairs: Vec<(String, String)> =
                options.into_iter().map(|o| (o.key, o.label)).collect();
            choice_cards(&key, pairs, true, draft, edit).into_any()
        }
        QuestionKind::FreeText { max_chars } => {
            let count_id = format!("{key}-count");
            let edit = StoredValue::new(edit);
            let left = move || {
                let n = draft.with(|d| d.text.chars().count()) as i64;
                let left = i64::from(max_chars) - n;
                if left >= 0 {
                    format!("You have {left} characters remaining")
                } else {
                    format!("You have {} characters too many", -left)
                }
            };
            view! {
                <textarea
                    class="textarea"
                    class:input--error=move || error.with(Option::is_some)
                    id=key.clone()
                    name=key.clone()
                    rows="4"
                    aria-describedby=format!("{} {count_id}", described())
                    prop:value=move || draft.with(|d| d.text.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit.with_value(|e| e(&|d: &mut Draft| d.text = v.clone()))
                    }
                ></textarea>
                <p class="hint character-count" id=count_id aria-live="polite">{left}</p>
            }
            .into_any()
        }
        QuestionKind::PostcodeDistrict => {
            let edit = StoredValue::new(edit);
            let kept = move || {
                draft
                    .with(|d| postcode_district(&d.text))
                    .map(|p| format!("We will keep: {p}"))
            };
            view! {
                <input
                    class="input input--width-5 postcode-input"
                    class:input--error=move || error.with(Option::is_some)
                    type="text"
                    id=key.clone()
                    name=key.clone()
                    autocomplete="postal-code"
                    spellcheck="false"
                    autocapitalize="characters"
                    aria-describedby=described.clone()
                    prop:value=move || draft.with(|d| d.text.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit.with_value(|e| e(&|d: &mut Draft| d.text = v.clone()))
                    }
                />
                <p class="hint postcode-kept" aria-live="polite">{kept}</p>
            }
            .into_any()
        }
    };

    let is_text = matches!(
        question.kind,
        QuestionKind::FreeText { .. } | QuestionKind::PostcodeDistrict
    );
    let group_class = move || {
        if error.with(Option::is_some) {
            "form-group form-group--error question"
        } else {
            "form-group question"
        }
    };
    if is_text {
        view! {
            <div class=group_class data-question-key=key.clone()>
                <label class="label question__text" for=key.clone()>{text}</label>
                {hint_view}
                {error_view}
                {body}
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class=group_class data-question-key=key.clone()>
                <fieldset class="fieldset" id=key.clone() tabindex="-1" aria-describedby=described>
                    <legend class="fieldset__legend question__text">{text}</legend>
                    {hint_view}
                    {error_view}
                    {body}
                </fieldset>
            </div>
        }
        .into_any()
    }
}

/// Big radio cards (or, for `several`, checkbox cards), one per `(key, label)`: the whole
/// card is the tap target.
fn choice_cards(
    name: &str,
    pairs: Vec<(String, String)>,
    several: bool,
    draft: Memo<Draft>,
    edit: impl Fn(&dyn Fn(&mut Draft)) + Send + Sync + 'static,
) -> impl IntoView {
    let edit = StoredValue::new(edit);
    let (input_type, card_class) = if several {
        ("checkbox", "option-card option-card--check")
    } else {
        ("radio", "option-card option-card--radio")
    };
    let cards = pairs
        .into_iter()
        .map(|(k, label)| {
            let input_id = format!("{name}-{k}");
            let (checked, chosen) = (k.clone(), k.clone());
            view! {
                <label class=card_class for=input_id.clone()>
                    <input
                        type=input_type
                        class="option-card__input"
                        id=input_id.clone()
                        name=name.to_owned()
                        value=k.clone()
                        data-option-key=k
                        prop:checked=move || {
                            draft.with(|d| if several {
                                d.chosen.contains(&checked)
                            } else {
                                d.one.as_deref() == Some(checked.as_str())
                            })
                        }
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            edit.with_value(|e| {
                                e(&|d: &mut Draft| {
                                    if several {
                                        d.chosen.retain(|c| *c != chosen);
                                        if on {
                                            d.chosen.push(chosen.clone());
                                        }
                                    } else {
                                        d.one = Some(chosen.clone());
                                    }
                                })
                            })
                        }
                    />
                    <span class="option-card__label">{label}</span>
                </label>
            }
        })
        .collect_view();
    view! { <div class="option-cards">{cards}</div> }
}
