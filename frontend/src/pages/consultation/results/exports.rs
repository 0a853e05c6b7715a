//! Downloading the results: every answer as CSV or JSON, and the summary as CSV. Free text
//! hidden by a moderator is left out of every download.

use atlas_shared::export::{raw_csv, raw_json, summary_csv};
use atlas_shared::{ConsultationId, Snapshot};
use leptos::prelude::*;

use super::{ResultsModel, slug};
use crate::components::download::download;

/// The download buttons, and what went wrong when a file could not be saved.
#[component]
pub fn Exports(
    #[prop(into)] snapshot: Signal<Snapshot>,
    consultation: ConsultationId,
    model: Memo<Option<ResultsModel>>,
) -> impl IntoView {
    let export_error = RwSignal::new(None::<String>);
    let export = move |what: &'static str| {
        let (name, mime, contents) = snapshot.with_untracked(|s| {
            let title = s
                .consultations
                .get(&consultation)
                .map(|c| slug(&c.title))
                .unwrap_or_default();
            let versions = s.questionnaire_versions_of(consultation);
            let responses = s.responses_of(consultation);
            match what {
                "json" => (
                    format!("{title}-answers.json"),
                    "application/json",
                    raw_json(&versions, &responses),
                ),
                "summary" => {
                    let m = model.get_untracked();
                    let questions = m.map(|m| (m.questions, m.report.summary));
                    let text = questions
                        .map(|(q, summary)| summary_csv(&q, &summary))
                        .unwrap_or_default();
                    (format!("{title}-summary.csv"), "text/csv", text)
                }
                _ => (
                    format!("{title}-answers.csv"),
                    "text/csv",
                    raw_csv(&versions, &responses),
                ),
            }
        });
        export_error.set(
            download(&name, mime, &contents)
                .err()
                .map(|e| format!("The file could not be saved: {e}.")),
        );
    };

    view! {
    <section class="section" aria-labelledby="export-heading">
        <h2 class="heading-m" id="export-heading">"Download the results"</h2>
        <p class="body">"Free text hidden by a moderator is left out of every download."</p>
        {move || export_error.get().map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
        <div class="button-group">
            <button type="button" class="button button--secondary" id="export-raw-csv" on:click=move |_| export("csv")>
                "Download every answer (CSV)"
            </button>
            <button type="button" class="button button--secondary" id="export-raw-json" on:click=move |_| export("json")>
                "Download every answer (JSON)"
            </button>
            <button type="button" class="button button--secondary" id="export-summary-csv" on:click=move |_| export("summary")>
                "Download the summary (CSV)"
            </button>
        </div>
    </section>
    }
}
