//! Files people choose to import: GOV.UK's file upload field, and reading the chosen file's
//! text for a check before anything is stored.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// The text of the file chosen in the file input `input_id`, or `missing` when none is.
pub async fn chosen_file_text(input_id: &str, missing: &str) -> Result<String, String> {
    let input: web_sys::HtmlInputElement = document()
        .get_element_by_id(input_id)
        .ok_or("the file field is missing")?
        .unchecked_into();
    let file = input
        .files()
        .and_then(|f| f.get(0))
        .ok_or_else(|| missing.to_owned())?;
    gloo_file::futures::read_as_text(&gloo_file::Blob::from(file))
        .await
        .map_err(|_| "The file could not be read".to_owned())
}

/// A file field: its label, an optional hint, and the error beside it when there is one.
#[component]
pub fn FileField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    /// The `accept` attribute: ".csv,text/csv".
    accept: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.map(|_| hint_id.clone());
    view! {
        <div class="form-group" class:form-group--error=move || error.with(Option::is_some)>
            <label class="label" for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {move || error.get().map(|m| view! {
                <p class="error-message" id=format!("{id}-error")>
                    <span class="visually-hidden">"Error: "</span>{m}
                </p>
            })}
            <input class="file-upload" id=id name=id type="file" accept=accept aria-describedby=described />
        </div>
    }
}

/// A form's submit handler that reads the file chosen in `input` and checks it with `check`:
/// what it makes goes to `checked`, a problem to `problem` (and clears `checked`, so no stale
/// preview is left to confirm); `done`, the message of the last import, is cleared. Nothing
/// is stored here: the person confirms what `checked` shows.
pub fn on_check_file<T: Send + Sync + 'static>(
    input: &'static str,
    missing: &'static str,
    check: impl Fn(String) -> Result<T, String> + Copy + Send + Sync + 'static,
    checked: RwSignal<Option<T>>,
    problem: RwSignal<Option<String>>,
    done: RwSignal<Option<String>>,
) -> impl Fn(leptos::ev::SubmitEvent) + Copy + 'static {
    move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        spawn_local(async move {
            match chosen_file_text(input, missing).await.and_then(check) {
                Ok(c) => {
                    problem.set(None);
                    checked.set(Some(c));
                }
                Err(e) => {
                    checked.set(None);
                    problem.set(Some(e));
                }
            }
        });
    }
}
