//! The questionnaire builder, `/consultations/:id/questionnaire`: the current version's
//! questions in order, adding (kind first), editing, removing and reordering them, and saving.
//!
//! Every change stays on this page until "Save questionnaire": one save writes one record, so
//! a half-edited questionnaire never syncs. While nobody has answered the current version the
//! save updates it; once somebody has, it makes the next version and the answers already given
//! stay with theirs (`atlas_shared::builder::version_to_save`).

use atlas_shared::builder::{
    build_version, options_as_lines, options_from_lines, question_key, version_to_save,
};
use atlas_shared::consultation::{KindTag, Question, QuestionKind, Questionnaire};
use atlas_shared::{
    BodyKind, ConsultationId, Draft, FieldError, PartnershipId, QuestionnaireId, Snapshot, Validate,
};
use leptos::prelude::*;

use super::consultation_href;
use super::consultations::consultation_crumbs;
use crate::components::use_save;
use crate::components::{
    AtlasForm, Breadcrumbs, Checkbox, ErrorSummary, FormErrors, Tag, TextArea, TextField, gate,
    set_title,
};
use crate::data::{new_id, use_store};
use crate::pages::{count, found, use_id};

/// The longest free-text answer a new free-text question allows.
const DEFAULT_MAX_CHARS: u32 = 500;
/// How many priorities a new ranking question asks for.
const DEFAULT_TOP_N: u8 = 3;
/// The age bands a new "about you" question offers.
const AGE_BANDS: [&str; 5] = ["Under 16", "16–24", "25–44", "45–64", "65 and over"];

/// What the builder says of a kind of question, and the question it adds for it.
pub trait KindText {
    /// Its name, as the builder's choices and a question's tag show it.
    fn label(self) -> &'static str;
    /// What residents do with it.
    fn explanation(self) -> &'static str;
    /// A new question of this kind, filled in as far as it can be: a ranking question offers
    /// `priority_groups` (the partnership's Priority Action Groups); "about you" asks for an
    /// age band. Its key is made from its text when it is added.
    fn template(self, priority_groups: &[String]) -> Question;
}

impl KindText for KindTag {
    fn label(self) -> &'static str {
        match self {
            Self::RankPriorities => "Rank priorities",
            Self::ChooseOne => "Choose one",
            Self::ChooseSeveral => "Choose several",
            Self::AgreeScale => "Agree or disagree",
            Self::FreeText => "Free text",
            Self::PostcodeDistrict => "Postcode district",
            Self::AboutYou => "About you",
        }
    }

    fn explanation(self) -> &'static str {
        match self {
            Self::RankPriorities => {
                "Residents choose the few that matter most from a list and put them in order. Starts with the partnership’s Priority Action Groups, which stand for its themes."
            }
            Self::ChooseOne => "Residents choose one option from a list.",
            Self::ChooseSeveral => "Residents choose as many options as apply.",
            Self::AgreeScale => {
                "Residents say how far they agree with a statement, from strongly agree to strongly disagree."
            }
            Self::FreeText => "Residents write their own answer, up to a length you set.",
            Self::PostcodeDistrict => {
                "The first part of the resident’s postcode, such as B97, to see answers by area. Best left optional."
            }
            Self::AboutYou => {
                "A question about the resident, such as their age band, to see answers by group. Starts with age bands; best left optional."
            }
        }
    }

    fn template(self, priority_groups: &[String]) -> Question {
        let (text, required, kind) = match self {
            Self::RankPriorities => {
                let options = options_from_lines(&priority_groups.join("\n"), &[]);
                let top_n = if options.len() >= 2 {
                    DEFAULT_TOP_N.min(u8::try_from(options.len()).unwrap_or(u8::MAX))
                } else {
                    DEFAULT_TOP_N
                };
                (
                    "Which of these matter most to you? Put the most important first.",
                    true,
                    QuestionKind::RankPriorities { options, top_n },
                )
            }
            Self::ChooseOne => ("", false, QuestionKind::ChooseOne { options: vec![] }),
            Self::ChooseSeveral => ("", false, QuestionKind::ChooseSeveral { options: vec![] }),
            Self::AgreeScale => ("", false, QuestionKind::AgreeScale),
            Self::FreeText => (
                "Is there anything else you would like the partnership to know?",
                false,
                QuestionKind::FreeText {
                    max_chars: DEFAULT_MAX_CHARS,
                },
            ),
            Self::PostcodeDistrict => (
                "What is the first part of your postcode (for example B97)?",
                false,
                QuestionKind::PostcodeDistrict,
            ),
            Self::AboutYou => (
                "How old are you?",
                false,
                QuestionKind::AboutYou {
                    options: options_from_lines(&AGE_BANDS.join("\n"), &[]),
                },
            ),
        };
        Question {
            key: String::new(),
            text: text.to_owned(),
            hint: String::new(),
            required,
            kind,
        }
    }
}

/// The names of the partnership's Priority Action Groups, in name order: the themes a ranking
/// question offers to start with.
pub fn priority_groups(s: &Snapshot, p: PartnershipId) -> Vec<String> {
    s.bodies_of(p)
        .into_iter()
        .filter(|(_, b)| b.kind == BodyKind::PriorityActionGroup)
        .map(|(_, b)| b.name.clone())
        .collect()
}

/// How many responses answer the version `q` of consultation `c`.
pub fn answers_to(s: &Snapshot, c: ConsultationId, q: QuestionnaireId) -> usize {
    s.responses_of(c)
        .iter()
        .filter(|(_, r)| r.questionnaire_id == q)
        .count()
}

/// What the list says about a question's answer: "Choose and order up to 3 of: A, B, C".
pub fn describe_answer(q: &Question) -> String {
    let labels = || {
        q.options()
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &q.kind {
        QuestionKind::RankPriorities { top_n, .. } => {
            format!("Choose and order up to {top_n} of: {}", labels())
        }
        QuestionKind::ChooseOne { .. } | QuestionKind::AboutYou { .. } => {
            format!("Choose one of: {}", labels())
        }
        QuestionKind::ChooseSeveral { .. } => format!("Choose any of: {}", labels()),
        QuestionKind::AgreeScale => "Strongly agree to strongly disagree".to_owned(),
        QuestionKind::FreeText { max_chars } => format!("Up to {max_chars} characters"),
        QuestionKind::PostcodeDistrict => "A postcode district, such as B97".to_owned(),
    }
}

/// The question editor's field that a message from the shared rules is about.
fn editor_field(message: &str) -> &'static str {
    if message.contains("option") {
        "options"
    } else if message.contains("ranked") {
        "top_n"
    } else if message.contains("character") {
        "max_chars"
    } else {
        "text"
    }
}

/// The shared rules' problems with one question, on the editor's fields: "Question 1: give at
/// least two options" → "Give at least two options" on `options`.
pub fn question_errors(q: &Question) -> Vec<FieldError> {
    let alone = Questionnaire {
        partnership_id: PartnershipId(uuid::Uuid::nil()),
        consultation_id: ConsultationId(uuid::Uuid::nil()),
        version: 1,
        questions: vec![q.clone()],
        opened_for_answers: false,
    };
    alone
        .validate()
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| {
            let message = e
                .message
                .strip_prefix("Question 1: ")
                .unwrap_or(&e.message)
                .to_owned();
            let message = atlas_shared::validate::capitalise(&message);
            FieldError::new(editor_field(&message), message)
        })
        .collect()
}

/// What the builder is showing.
#[derive(Clone, Debug, PartialEq)]
enum Mode {
    List,
    ChooseKind,
    /// Editing the question at `at` in the list, or a new one (`None`).
    Edit {
        at: Option<usize>,
        question: Question,
    },
}

/// The fields of one question (its kind is fixed: chosen before). Calls `on_done` with the
/// question when the shared rules accept it, with a key made from its text if it had none,
/// unused by `others`.
#[component]
pub fn QuestionEditor(
    initial: Question,
    /// The questionnaire's other questions (their keys are taken).
    others: Vec<Question>,
    #[prop(into)] heading: String,
    #[prop(into)] done_label: String,
    #[prop(into)] on_done: Callback<Question>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let errors = RwSignal::new(FormErrors::default());
    let choice = KindTag::of(&initial.kind);
    let key = initial.key.clone();
    let previous = initial.options().to_vec();
    let has_options = matches!(
        choice,
        KindTag::RankPriorities | KindTag::ChooseOne | KindTag::ChooseSeveral | KindTag::AboutYou
    );
    let text = RwSignal::new(initial.text.clone());
    let hint = RwSignal::new(initial.hint.clone());
    let required = RwSignal::new(initial.required);
    let options = RwSignal::new(options_as_lines(initial.options()));
    let top_n = RwSignal::new(match initial.kind {
        QuestionKind::RankPriorities { top_n, .. } => top_n.to_string(),
        _ => DEFAULT_TOP_N.to_string(),
    });
    let max_chars = RwSignal::new(match initial.kind {
        QuestionKind::FreeText { max_chars } => max_chars.to_string(),
        _ => DEFAULT_MAX_CHARS.to_string(),
    });
    let submit = move |()| {
        let opts = options_from_lines(&options.get_untracked(), &previous);
        let kind = match choice {
            KindTag::RankPriorities => {
                let Ok(top_n) = top_n.get_untracked().trim().parse::<u8>() else {
                    errors.set(FormErrors::field(
                        "top_n",
                        "Enter how many priorities to choose as a whole number, like 3",
                    ));
                    return;
                };
                QuestionKind::RankPriorities {
                    options: opts,
                    top_n,
                }
            }
            KindTag::ChooseOne => QuestionKind::ChooseOne { options: opts },
            KindTag::ChooseSeveral => QuestionKind::ChooseSeveral { options: opts },
            KindTag::AboutYou => QuestionKind::AboutYou { options: opts },
            KindTag::AgreeScale => QuestionKind::AgreeScale,
            KindTag::PostcodeDistrict => QuestionKind::PostcodeDistrict,
            KindTag::FreeText => {
                let Ok(max_chars) = max_chars.get_untracked().trim().parse::<u32>() else {
                    errors.set(FormErrors::field(
                        "max_chars",
                        "Enter the longest answer as a whole number of characters, like 500",
                    ));
                    return;
                };
                QuestionKind::FreeText { max_chars }
            }
        };
        let text = text.get_untracked().trim().to_owned();
        let key = if key.trim().is_empty() {
            question_key(&text, &others)
        } else {
            key.clone()
        };
        let question = Question {
            key,
            text,
            hint: hint.get_untracked().trim().to_owned(),
            required: required.get_untracked(),
            kind,
        };
        let problems = question_errors(&question);
        if problems.is_empty() {
            errors.set(FormErrors::default());
            on_done.run(question);
        } else {
            errors.set(FormErrors {
                message: None,
                fields: problems,
            });
        }
    };
    let text_label = if choice == KindTag::AgreeScale {
        "Statement residents agree or disagree with"
    } else {
        "Question"
    };
    view! {
        <div class="question-editor">
            <ErrorSummary errors=errors />
            <h2 class="heading-m">{heading}</h2>
            <p class="body">
                <Tag text=choice.label() tone="blue" />
            </p>
            <AtlasForm on_submit=submit>
                <TextArea id="text" label=text_label value=text errors=errors rows=2 />
                <TextField
                    id="hint"
                    label="Hint (optional)"
                    hint="A few words under the question to help residents answer"
                    value=hint
                    errors=errors
                />
                {has_options
                    .then(|| {
                        view! {
                            <TextArea
                                id="options"
                                label="Options"
                                hint="Write one option on each line, in the order residents should see them"
                                value=options
                                errors=errors
                                rows=7
                            />
                        }
                    })}
                {(choice == KindTag::RankPriorities)
                    .then(|| {
                        view! {
                            <TextField
                                id="top_n"
                                label="How many priorities each resident chooses and puts in order"
                                value=top_n
                                errors=errors
                                inputmode="numeric"
                                width="input--width-3"
                            />
                        }
                    })}
                {(choice == KindTag::FreeText)
                    .then(|| {
                        view! {
                            <TextField
                                id="max_chars"
                                label="Longest answer, in characters"
                                value=max_chars
                                errors=errors
                                inputmode="numeric"
                                width="input--width-5"
                            />
                        }
                    })}
                <Checkbox
                    id="required"
                    label="Residents must answer this question"
                    hint="Leave questions about residents themselves optional."
                    value=required
                />
                <StepButtons submit_label=done_label on_cancel=on_cancel />
                <p class="hint">
                    "Your changes stay on this page until you save the questionnaire."
                </p>
            </AtlasForm>
        </div>
    }
}

/// The buttons of a step inside the builder: go on, or go back to the list keeping nothing.
#[component]
fn StepButtons(
    #[prop(into)] submit_label: String,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="button-group">
            <button type="submit" class="button">
                {submit_label}
            </button>
            <button
                type="button"
                class="button button--secondary"
                on:click=move |_| on_cancel.run(())
            >
                "Cancel"
            </button>
        </div>
    }
}

/// Asks which kind of question to add; calls `on_choose` with it.
#[component]
fn KindChooser(
    #[prop(into)] on_choose: Callback<KindTag>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let errors = RwSignal::new(FormErrors::default());
    let chosen = RwSignal::new(None::<KindTag>);
    let submit = move |()| match chosen.get_untracked() {
        Some(k) => on_choose.run(k),
        None => errors.set(FormErrors::field(
            "kind",
            "Choose the kind of question to add",
        )),
    };
    let error = Memo::new(move |_| errors.with(|e| e.for_field("kind")));
    let radios = KindTag::ALL
        .into_iter()
        .map(|k| {
            let input_id = format!("kind-{}", k.key());
            view! {
                <div class="radio">
                    <input
                        class="radio__input"
                        type="radio"
                        id=input_id.clone()
                        name="kind"
                        value=k.key()
                        aria-describedby=format!("{input_id}-hint")
                        prop:checked=move || chosen.get() == Some(k)
                        on:change=move |_| chosen.set(Some(k))
                    />
                    <label class="label radio__label" for=input_id.clone()>
                        {k.label()}
                    </label>
                    <div class="hint radio__hint" id=format!("{input_id}-hint")>
                        {k.explanation()}
                    </div>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="kind-chooser">
            <ErrorSummary errors=errors />
            <AtlasForm on_submit=submit>
                <div class=move || {
                    if error.with(Option::is_some) {
                        "form-group form-group--error"
                    } else {
                        "form-group"
                    }
                }>
                    <fieldset class="fieldset" id="kind" tabindex="-1">
                        <legend class="fieldset__legend heading-m">
                            "What kind of question do you want to add?"
                        </legend>
                        {move || {
                            error
                                .get()
                                .map(|m| {
                                    view! {
                                        <p class="error-message" id="kind-error">
                                            <span class="visually-hidden">"Error: "</span>
                                            {m}
                                        </p>
                                    }
                                })
                        }}
                        <div class="radios">{radios}</div>
                    </fieldset>
                </div>
                <StepButtons submit_label="Continue" on_cancel=on_cancel />
            </AtlasForm>
        </div>
    }
}

/// A request from the question list.
#[derive(Clone, Copy, Debug, PartialEq)]
enum ListAction {
    Edit(usize),
    Remove(usize),
    MoveUp(usize),
    MoveDown(usize),
    ToggleRequired(usize),
}

/// `questions` after `action` (an edit is not done here: it opens the editor).
fn apply(questions: &mut Vec<Question>, action: ListAction) {
    let n = questions.len();
    match action {
        ListAction::Remove(i) if i < n => {
            questions.remove(i);
        }
        ListAction::MoveUp(i) if i > 0 && i < n => questions.swap(i, i - 1),
        ListAction::MoveDown(i) if i + 1 < n => questions.swap(i, i + 1),
        ListAction::ToggleRequired(i) if i < n => {
            questions[i].required = !questions[i].required;
        }
        _ => {}
    }
}

/// What a change to the list did, in words: "Moved question 2 up.".
fn announce(action: ListAction) -> String {
    match action {
        ListAction::Edit(i) => format!("Editing question {}.", i + 1),
        ListAction::Remove(i) => format!("Removed question {}.", i + 1),
        ListAction::MoveUp(i) => format!("Moved question {} up.", i + 1),
        ListAction::MoveDown(i) => format!("Moved question {} down.", i + 1),
        ListAction::ToggleRequired(i) => {
            format!("Changed whether question {} must be answered.", i + 1)
        }
    }
}

/// One question of the list (`i` counts from 0).
fn question_item(
    i: usize,
    last: usize,
    q: Question,
    on_action: Callback<ListAction>,
) -> impl IntoView {
    let which = move |verb: &'static str| {
        view! {
            {verb}
            <span class="visually-hidden">{format!(" question {}", i + 1)}</span>
        }
    };
    let button = move |action: ListAction, verb: &'static str| {
        view! {
            <button type="button" class="link-button" on:click=move |_| on_action.run(action)>
                {which(verb)}
            </button>
        }
    };
    let required = q.required;
    view! {
        <li class="question-list__item" data-key=q.key.clone()>
            <h3 class="heading-s question-list__title">
                <span class="question-list__number">{format!("Question {}", i + 1)}</span>
                <span class="question-list__text">{q.text.clone()}</span>
            </h3>
            <p class="question-list__tags">
                <Tag text=KindTag::of(&q.kind).label() tone="blue" />
                " "
                {if required {
                    view! { <Tag text="Required" /> }.into_any()
                } else {
                    view! { <Tag text="Optional" tone="grey" /> }.into_any()
                }}
            </p>
            {(!q.hint.is_empty()).then(|| view! { <p class="hint">{q.hint.clone()}</p> })}
            <p class="body question-list__answer">{describe_answer(&q)}</p>
            <div class="question-list__actions">
                {button(ListAction::Edit(i), "Edit")}
                {button(ListAction::Remove(i), "Remove")}
                {button(
                    ListAction::ToggleRequired(i),
                    if required { "Make optional" } else { "Make required" },
                )}
                {(i > 0).then(|| button(ListAction::MoveUp(i), "Move up"))}
                {(i < last).then(|| button(ListAction::MoveDown(i), "Move down"))}
            </div>
        </li>
    }
}

/// The builder: the current version's questions, edited here and saved as one record.
/// `on_save` gets the record to write and its id: the current version's id while nobody has
/// answered it, a fresh id (the next version) once somebody has. Problems found by the shared
/// rules show in `errors`, at the top.
#[component]
pub fn QuestionnaireBuilder(
    #[prop(into)] snapshot: Signal<Snapshot>,
    consultation: ConsultationId,
    errors: RwSignal<FormErrors>,
    #[prop(into)] on_save: Callback<(QuestionnaireId, Questionnaire)>,
) -> impl IntoView {
    let c = consultation;
    // The current version and how many have answered it, as the snapshot says now.
    let current = Memo::new(move |_| {
        snapshot.with(|s| {
            s.current_questionnaire(c)
                .map(|(id, q)| (id, q.clone(), answers_to(s, c, id)))
        })
    });
    let partnership =
        Memo::new(move |_| snapshot.with(|s| s.consultations.get(&c).map(|x| x.partnership_id)));
    let draft = RwSignal::new(
        current
            .get_untracked()
            .map(|(_, q, _)| q.questions)
            .unwrap_or_default(),
    );
    let mode = RwSignal::new(Mode::List);
    // What the last change to the list did, for screen readers ("Moved question 2 up.").
    let said = RwSignal::new(String::new());
    let title = Memo::new(move |_| {
        snapshot.with(|s| {
            s.consultations
                .get(&c)
                .map(|x| x.title.clone())
                .unwrap_or_default()
        })
    });
    set_title(move || vec!["Questionnaire".to_owned(), title.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| consultation_crumbs(s, c, Some("Questionnaire".to_owned())))
    });
    let unsaved = Memo::new(move |_| {
        let saved = current.with(|q| q.as_ref().map(|(_, q, _)| q.questions.clone()));
        draft.with(|d| saved.as_ref() != Some(d) && !(saved.is_none() && d.is_empty()))
    });

    let version_note = move || {
        match current.get() {
        None => view! {
            <p class="body version-note">
                "This consultation has no questionnaire yet. Saving makes version 1."
            </p>
        }
        .into_any(),
        Some((_, q, 0)) if q.opened_for_answers => view! {
            <div class="warning-text version-note version-note--locked">
                <span class="warning-text__icon" aria-hidden="true">
                    "!"
                </span>
                <strong class="warning-text__text">
                    <span class="visually-hidden">"Warning: "</span>
                    {format!(
                        "Version {v} has been opened for answers on a tablet or the public link, and residents may be answering it with no signal; your changes will make version {next}, and their answers stay with version {v}.",
                        v = q.version,
                        next = q.version + 1,
                    )}
                </strong>
            </div>
        }
        .into_any(),
        Some((_, q, 0)) => view! {
            <p class="body version-note">
                {format!(
                    "This is version {}. Nobody has answered it yet, so saving changes it.",
                    q.version,
                )}
            </p>
        }
        .into_any(),
        Some((_, q, answered)) => view! {
            <div class="warning-text version-note version-note--locked">
                <span class="warning-text__icon" aria-hidden="true">
                    "!"
                </span>
                <strong class="warning-text__text">
                    <span class="visually-hidden">"Warning: "</span>
                    {format!(
                        "{} answered version {v}; your changes will make version {next}, and their answers stay with version {v}.",
                        count(answered, "resident has", "residents have"),
                        v = q.version,
                        next = q.version + 1,
                    )}
                </strong>
            </div>
        }
        .into_any(),
    }
    };

    let on_action = Callback::new(move |action: ListAction| {
        errors.set(FormErrors::default());
        match action {
            ListAction::Edit(i) => {
                if let Some(question) = draft.with_untracked(|d| d.get(i).cloned()) {
                    mode.set(Mode::Edit {
                        at: Some(i),
                        question,
                    });
                }
            }
            other => {
                draft.update(|d| apply(d, other));
                said.set(announce(other));
            }
        }
    });

    let save = move |_| {
        if mode.get_untracked() != Mode::List {
            return;
        }
        let Some(p) = partnership.get_untracked() else {
            return;
        };
        let now = current.get_untracked();
        let questions = draft.get_untracked();
        if let Some((_, q, _)) = &now
            && q.questions == questions
        {
            errors.set(FormErrors {
                message: Some(
                    "You have not changed the questionnaire, so there is nothing to save."
                        .to_owned(),
                ),
                fields: Vec::new(),
            });
            return;
        }
        let to = version_to_save(
            now.as_ref().map(|(id, q, _)| (*id, q.version)),
            now.as_ref()
                .is_some_and(|(_, q, n)| *n > 0 || q.opened_for_answers),
            QuestionnaireId(new_id()),
        );
        let record = build_version(p, c, to, questions);
        match record.validate() {
            Ok(()) => {
                errors.set(FormErrors::default());
                on_save.run((to.id, record));
            }
            Err(fields) => errors.set(FormErrors {
                message: None,
                fields,
            }),
        }
    };

    let list = move || {
        let questions = draft.get();
        if questions.is_empty() {
            return view! {
                <p class="body question-list question-list--empty" id="questions" tabindex="-1">
                    "No questions yet. Add the first: most consultations start by asking residents to rank the partnership’s priorities."
                </p>
            }
            .into_any();
        }
        let last = questions.len() - 1;
        view! {
            <ol class="question-list" id="questions" tabindex="-1">
                {questions
                    .into_iter()
                    .enumerate()
                    .map(|(i, q)| question_item(i, last, q, on_action))
                    .collect_view()}
            </ol>
        }
        .into_any()
    };

    let body = move || match mode.get() {
        Mode::List => view! {
            {version_note}
            {list}
            <div class="button-group">
                <button
                    type="button"
                    class="button button--secondary add-question"
                    on:click=move |_| {
                        errors.set(FormErrors::default());
                        mode.set(Mode::ChooseKind);
                    }
                >
                    "Add a question"
                </button>
            </div>
            {move || {
                unsaved
                    .get()
                    .then(|| {
                        view! {
                            <p class="body builder__unsaved" role="status">
                                "You have changes that are not saved yet."
                            </p>
                        }
                    })
            }}
            <div class="button-group">
                <button type="button" class="button save-questionnaire" on:click=save>
                    "Save questionnaire"
                </button>
                <a class="link" href=consultation_href(c)>
                    "Leave without saving"
                </a>
            </div>
        }
        .into_any(),
        Mode::ChooseKind => {
            let on_choose = move |k: KindTag| {
                let groups = snapshot.with_untracked(|s| {
                    partnership
                        .get_untracked()
                        .map(|p| priority_groups(s, p))
                        .unwrap_or_default()
                });
                mode.set(Mode::Edit {
                    at: None,
                    question: k.template(&groups),
                });
            };
            view! { <KindChooser on_choose=on_choose on_cancel=move |()| mode.set(Mode::List) /> }
                .into_any()
        }
        Mode::Edit { at, question } => {
            let others: Vec<Question> = draft.with_untracked(|d| {
                d.iter()
                    .enumerate()
                    .filter(|(i, _)| Some(*i) != at)
                    .map(|(_, q)| q.clone())
                    .collect()
            });
            let (heading, done_label) = match at {
                Some(i) => (format!("Edit question {}", i + 1), "Update question"),
                None => (
                    format!("Add question {}", draft.with_untracked(Vec::len) + 1),
                    "Add question",
                ),
            };
            let on_done = move |q: Question| {
                draft.update(|d| match at {
                    Some(i) if i < d.len() => d[i] = q,
                    _ => d.push(q),
                });
                said.set(match at {
                    Some(i) => format!("Updated question {}.", i + 1),
                    None => format!("Added question {}.", draft.with_untracked(Vec::len)),
                });
                mode.set(Mode::List);
            };
            view! {
                <QuestionEditor
                    initial=question
                    others=others
                    heading=heading
                    done_label=done_label
                    on_done=on_done
                    on_cancel=move |()| mode.set(Mode::List)
                />
            }
            .into_any()
        }
    };

    view! {
        <Breadcrumbs crumbs=crumbs />
        <ErrorSummary errors=errors />
        <span class="caption-l">{move || title.get()}</span>
        <h1 class="heading-xl">"Questionnaire"</h1>
        <p class="visually-hidden builder__said" role="status">
            {move || said.get()}
        </p>
        {body}
    }
}

/// `/consultations/:id/questionnaire`
#[component]
pub fn QuestionnairePage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<ConsultationId>("id"), snapshot, |s, id| {
        s.consultations.contains_key(id)
    });
    let save = use_save();
    gate(store.ready(), id, "consultation", move |c| {
        let errors = RwSignal::new(FormErrors::default());
        let save = save.clone();
        let on_save = move |(qid, q): (QuestionnaireId, Questionnaire)| {
            save(qid.0, Draft::of(q), errors, consultation_href(c));
        };
        view! {
            <QuestionnaireBuilder snapshot=snapshot consultation=c errors=errors on_save=on_save />
        }
    })
}
