//! Form pieces in the GOV.UK pattern: a label above each input, a hint under the label, an
//! inline error above the input (linked by `aria-describedby`), and an error summary at the top
//! of the page that links to each field. A field's `id` is the record's JSON field name, so a
//! [`FieldError`] from the shared validation rules lands on the right input.

use atlas_shared::{BodyKind, FieldError, LineKind, MembershipRole, Sector, Validate};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::data::SaveError;
use atlas_shared::order::sort_by_key;

/// What is wrong with a submitted form: a message for the whole form (when no single field is
/// to blame) and the errors of each field, in form order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormErrors {
    pub message: Option<String>,
    pub fields: Vec<FieldError>,
}

impl FormErrors {
    pub fn is_empty(&self) -> bool {
        self.message.is_none() && self.fields.is_empty()
    }

    /// The first error for the field `id`, if any.
    pub fn for_field(&self, id: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|e| e.field == id)
            .map(|e| e.message.clone())
    }

    pub fn field(id: &str, message: impl Into<String>) -> Self {
        Self {
            message: None,
            fields: vec![FieldError::new(id, message)],
        }
    }
}

impl From<SaveError> for FormErrors {
    fn from(e: SaveError) -> Self {
        // With field errors, the summary lists them; the combined message would repeat them.
        let message = e.fields.is_empty().then_some(e.message);
        Self {
            message,
            fields: e.fields,
        }
    }
}

/// The problems of a form's inputs that must be read before there is a record to check (a
/// date, a whole number), gathered so that the form shows them together with the record's
/// own problems, all at once as the error summary expects.
#[derive(Default)]
pub struct Inputs(Vec<FieldError>);

impl Inputs {
    /// The value read, or `None` with its error kept.
    pub fn take<T>(&mut self, read: Result<T, FieldError>) -> Option<T> {
        read.map_err(|e| self.0.push(e)).ok()
    }

    /// `None` when every input was read and `record` (made with stand-ins for what could
    /// not be read) passes its rules; else every problem, one per field at most, in the
    /// order of `fields`.
    pub fn refused(self, record: &impl Validate, fields: &[&str]) -> Option<FormErrors> {
        let mut found = self.0;
        if let Err(rules) = record.validate() {
            // A stand-in's own problems are not the person's.
            for e in rules {
                if !found.iter().any(|f| f.field == e.field) {
                    found.push(e);
                }
            }
        }
        if found.is_empty() {
            return None;
        }
        sort_by_key(&mut found, |e| {
            fields
                .iter()
                .position(|f| *f == e.field)
                .unwrap_or(usize::MAX)
        });
        Some(FormErrors {
            message: None,
            fields: found,
        })
    }
}

/// An enum offered as a choice in a form: its values, labels and explanations.
pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn label(self) -> &'static str;
    fn explanation(self) -> &'static str;
    fn key(self) -> String;
    fn parse(key: &str) -> Option<Self>;
}

macro_rules! impl_choice {
    ($($t:ty),+) => {$(
        impl Choice for $t {
            fn all() -> &'static [Self] {
                <$t>::ALL
            }
            fn label(self) -> &'static str {
                <$t>::label(self)
            }
            fn explanation(self) -> &'static str {
                <$t>::explanation(self)
            }
            fn key(self) -> String {
                self.as_key()
            }
            fn parse(key: &str) -> Option<Self> {
                <$t>::from_key(key)
            }
        }
    )+};
}

impl_choice!(
    Sector,
    BodyKind,
    MembershipRole,
    LineKind,
    atlas_shared::accounts::Role,
    atlas_shared::strategy::StrategyStatus,
    atlas_shared::strategy::Polarity,
    atlas_shared::strategy::Frequency,
    atlas_shared::strategy::OverallStatus,
    atlas_shared::scrutiny::MeetingStatus,
    atlas_shared::scrutiny::ReportType
);

/// Moves focus (and the view) to the element with `id`, as a same-page link would but also
/// focusing it, which the GOV.UK error summary and skip link rely on.
pub fn focus_element(id: &str) {
    let Some(el) = document().get_element_by_id(id) else {
        return;
    };
    el.scroll_into_view();
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// The summary at the top of a form that failed: "There is a problem", then a link to each
/// field in error. It takes focus when it appears so screen readers announce it.
#[component]
pub fn ErrorSummary(#[prop(into)] errors: Signal<FormErrors>) -> impl IntoView {
    let summary = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if errors.with(|e| !e.is_empty())
            && let Some(el) = summary.get()
        {
            let _ = el.focus();
        }
    });
    move || {
        let e = errors.get();
        (!e.is_empty()).then(|| {
            let links = e
                .fields
                .into_iter()
                .map(|f| {
                    let target = f.field.clone();
                    view! {
                        <li>
                            <a
                                href=format!("#{}", f.field)
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    focus_element(&target);
                                }
                            >
                                {f.message}
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div
                    class="error-summary"
                    role="alert"
                    tabindex="-1"
                    aria-labelledby="error-summary-title"
                    node_ref=summary
                >
                    <h2 class="error-summary__title" id="error-summary-title">
                        "There is a problem"
                    </h2>
                    {e.message.map(|m| view! { <p class="error-summary__message">{m}</p> })}
                    <ul class="error-summary__list">{links}</ul>
                </div>
            }
        })
    }
}

/// The ids an input is described by: its hint and its error, when present.
fn described_by(id: &'static str, has_hint: bool, error: Memo<Option<String>>) -> Signal<String> {
    Signal::derive(move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if error.with(Option::is_some) {
            ids.push(format!("{id}-error"));
        }
        ids.join(" ")
    })
}

fn error_for(errors: Signal<FormErrors>, id: &'static str) -> Memo<Option<String>> {
    Memo::new(move |_| errors.with(|e| e.for_field(id)))
}

fn group_class(error: Memo<Option<String>>) -> impl Fn() -> &'static str + Send + Sync {
    move || {
        if error.with(Option::is_some) {
            "form-group form-group--error"
        } else {
            "form-group"
        }
    }
}

/// The label, hint and inline error that sit above an input.
#[component]
fn FieldHeading(
    id: &'static str,
    label: String,
    hint: Option<Signal<String>>,
    error: Memo<Option<String>>,
) -> impl IntoView {
    view! {
        <label class="label" for=id>
            {label}
        </label>
        {hint.map(|h| view! { <div class="hint" id=format!("{id}-hint")>{h}</div> })}
        <ErrorMessage id=id error=error />
    }
}

/// A field's inline error, when it has one: "Error: Enter the body's name".
#[component]
fn ErrorMessage(id: &'static str, error: Memo<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|m| {
            view! {
                <p class="error-message" id=format!("{id}-error")>
                    <span class="visually-hidden">"Error: "</span>
                    {m}
                </p>
            }
        })
    }
}

/// A one-line text input.
#[component]
pub fn TextField(
    id: &'static str,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<FormErrors>,
    /// Extra classes for the input, e.g. a width.
    #[prop(optional)]
    width: Option<&'static str>,
    /// The input's `type` when not plain text: "date" for a date picker.
    #[prop(optional)]
    input_type: Option<&'static str>,
    /// The keyboard to offer on a phone or tablet: "numeric" for a whole number.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// What the browser may fill in: "username", "current-password".
    #[prop(optional)]
    autocomplete: Option<&'static str>,
) -> impl IntoView {
    let error = error_for(errors, id);
    let described = described_by(id, hint.is_some(), error);
    let input_class = move || {
        let mut c = String::from("input");
        if let Some(w) = width {
            c.push(' ');
            c.push_str(w);
        }
        if error.with(Option::is_some) {
            c.push_str(" input--error");
        }
        c
    };
    view! {
        <div class=group_class(error)>
            <FieldHeading id=id label=label hint=hint.map(Signal::from) error=error />
            <input
                class=input_class
                type=input_type.unwrap_or("text")
                inputmode=inputmode
                autocomplete=autocomplete
                id=id
                name=id
                spellcheck="false"
                aria-describedby=move || Some(described.get()).filter(|d| !d.is_empty())
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                // Also on change: autofill and some automation set the value without `input`.
                on:change=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

/// A multi-line text input.
#[component]
pub fn TextArea(
    id: &'static str,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<FormErrors>,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    let error = error_for(errors, id);
    let described = described_by(id, hint.is_some(), error);
    view! {
        <div class=group_class(error)>
            <FieldHeading id=id label=label hint=hint.map(Signal::from) error=error />
            <textarea
                class=move || {
                    if error.with(Option::is_some) { "textarea input--error" } else { "textarea" }
                }
                id=id
                name=id
                rows=rows
                aria-describedby=move || Some(described.get()).filter(|d| !d.is_empty())
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                // Also on change: autofill and some automation set the value without `input`.
                on:change=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        </div>
    }
}

/// A select of one of an enum's values; the hint explains the value chosen.
#[component]
pub fn EnumSelect<T: Choice>(
    id: &'static str,
    #[prop(into)] label: String,
    value: RwSignal<T>,
    #[prop(into)] errors: Signal<FormErrors>,
) -> impl IntoView {
    let error = error_for(errors, id);
    let described = described_by(id, true, error);
    let hint = Signal::derive(move || value.get().explanation().to_owned());
    let options = T::all()
        .iter()
        .map(|choice| {
            let choice = *choice;
            view! {
                <option value=choice.key() prop:selected=move || value.get() == choice>
                    {choice.label()}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class=group_class(error)>
            <FieldHeading id=id label=label hint=Some(hint) error=error />
            <select
                class="select"
                id=id
                name=id
                aria-describedby=move || described.get()
                on:change=move |ev| {
                    if let Some(v) = T::parse(&event_target_value(&ev)) {
                        value.set(v);
                    }
                }
            >
                {options}
            </select>
        </div>
    }
}

/// A select of records (bodies, organisations): `options` are (value, text) pairs; a value of
/// `""` stands for "none".
#[component]
pub fn RecordSelect(
    id: &'static str,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    options: Vec<(String, String)>,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<FormErrors>,
) -> impl IntoView {
    let error = error_for(errors, id);
    let described = described_by(id, hint.is_some(), error);
    let options = options
        .into_iter()
        .map(|(key, text)| {
            let selected_key = key.clone();
            view! {
                <option value=key prop:selected=move || value.with(|v| *v == selected_key)>
                    {text}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class=group_class(error)>
            <FieldHeading id=id label=label hint=hint.map(Signal::from) error=error />
            <select
                class=move || {
                    if error.with(Option::is_some) { "select input--error" } else { "select" }
                }
                id=id
                name=id
                aria-describedby=move || Some(described.get()).filter(|d| !d.is_empty())
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {options}
            </select>
        </div>
    }
}

/// A single yes/no checkbox, its label beside the box.
#[component]
pub fn Checkbox(
    id: &'static str,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    value: RwSignal<bool>,
) -> impl IntoView {
    let has_hint = hint.is_some();
    view! {
        <div class="form-group">
            <div class="checkbox">
                <input
                    class="checkbox__input"
                    type="checkbox"
                    id=id
                    name=id
                    aria-describedby=has_hint.then(|| format!("{id}-hint"))
                    prop:checked=move || value.get()
                    on:change=move |ev| value.set(event_target_checked(&ev))
                />
                <label class="label checkbox__label" for=id>
                    {label}
                </label>
                {hint.map(|h| view! { <div class="hint checkbox__hint" id=format!("{id}-hint")>{h}</div> })}
            </div>
        </div>
    }
}

/// A form with no browser validation (the shared rules speak instead) that calls `on_submit`.
#[component]
pub fn AtlasForm(#[prop(into)] on_submit: Callback<()>, children: Children) -> impl IntoView {
    view! {
        <form
            class="form"
            novalidate
            on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                on_submit.run(());
            }
        >
            {children()}
        </form>
    }
}

/// The form's buttons: the submit button and a link back.
#[component]
pub fn FormActions(
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
) -> impl IntoView {
    view! {
        <div class="button-group">
            <button type="submit" class="button">
                {submit_label}
            </button>
            <a class="link" href=cancel_href>
                "Cancel"
            </a>
        </div>
    }
}

/// A group of checkboxes, GOV.UK style: a fieldset whose legend asks the question, a hint, and
/// one box per option. `options` are (value, label) pairs; `value` holds the checked values
/// in the order they were checked. The group's `id` is the field name (errors land on it).
#[component]
pub fn CheckboxGroup(
    id: &'static str,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    value: RwSignal<Vec<String>>,
    #[prop(into)] errors: Signal<FormErrors>,
) -> impl IntoView {
    let error = error_for(errors, id);
    let described = described_by(id, hint.is_some(), error);
    let boxes = move || {
        options
            .get()
            .into_iter()
            .map(|(key, label)| {
                let input_id = format!("{id}-{key}");
                let checked_key = key.clone();
                let changed_key = key.clone();
                view! {
                    <div class="checkbox">
                        <input
                            class="checkbox__input"
                            type="checkbox"
                            id=input_id.clone()
                            name=id
                            value=key
                            prop:checked=move || value.with(|v| v.contains(&checked_key))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                value.update(|v| {
                                    v.retain(|k| *k != changed_key);
                                    if on {
                                        v.push(changed_key.clone());
                                    }
                                });
                            }
                        />
                        <label class="label checkbox__label" for=input_id>
                            {label}
                        </label>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <div class=group_class(error)>
            <fieldset
                class="fieldset"
                id=id
                tabindex="-1"
                aria-describedby=move || Some(described.get()).filter(|d| !d.is_empty())
            >
                <legend class="fieldset__legend">{legend}</legend>
                {hint.map(|h| view! { <div class="hint" id=format!("{id}-hint")>{h}</div> })}
                <ErrorMessage id=id error=error />
                <div class="checkboxes">{boxes}</div>
            </fieldset>
        </div>
    }
}

/// One checkbox that says whether `value` is among `chosen` (ids a record links to), with its
/// label; ticking adds it, unticking removes it. `input_id` must be unique on the page.
#[component]
pub fn IdCheckbox<T>(
    input_id: String,
    value: T,
    #[prop(into)] label: String,
    chosen: RwSignal<Vec<T>>,
) -> impl IntoView
where
    T: Copy + Eq + std::fmt::Display + Send + Sync + 'static,
{
    view! {
        <div class="checkbox">
            <input class="checkbox__input" type="checkbox" id=input_id.clone() value=value.to_string()
                prop:checked=move || chosen.with(|c| c.contains(&value))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    chosen.update(|c| {
                        c.retain(|x| *x != value);
                        if on {
                            c.push(value);
                        }
                    });
                } />
            <label class="label checkbox__label" for=input_id>{label}</label>
        </div>
    }
}

/// Checkbox choices under headings: (heading, [(value, label)]).
pub type GroupedChoices<T> = Vec<(String, Vec<(T, String)>)>;

/// Checkboxes under headings, each group its own fieldset; `chosen` holds the ticked values.
#[component]
pub fn GroupedCheckboxes<T>(
    /// Prefix of each checkbox's id.
    prefix: &'static str,
    legend: &'static str,
    hint: &'static str,
    /// Said when there is nothing to choose.
    none: &'static str,
    #[prop(into)] groups: Signal<GroupedChoices<T>>,
    chosen: RwSignal<Vec<T>>,
) -> impl IntoView
where
    T: Copy + Eq + std::fmt::Display + Send + Sync + 'static,
{
    let hint_id = format!("{prefix}-hint");
    let described = hint_id.clone();
    view! {
        <fieldset class="fieldset" aria-describedby=described id=prefix>
            <legend class="fieldset__legend">{legend}</legend>
            <p class="hint" id=hint_id>{hint}</p>
            {move || {
                let list = groups.get();
                if list.is_empty() {
                    return view! { <p class="body">{none}</p> }.into_any();
                }
                list.into_iter()
                    .map(|(heading, items)| view! {
                        <fieldset class="fieldset checkbox-groups__group">
                            <legend class="fieldset__legend fieldset__legend--s">{heading}</legend>
                            <div class="checkboxes">
                                {items
                                    .into_iter()
                                    .map(|(id, label)| view! {
                                        <IdCheckbox input_id=format!("{prefix}-{id}") value=id label=label chosen=chosen />
                                    })
                                    .collect_view()}
                            </div>
                        </fieldset>
                    })
                    .collect_view()
                    .into_any()
            }}
        </fieldset>
    }
}
