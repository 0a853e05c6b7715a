//! Importing a partner's CSV of answers (the raw-answers format): a preview with per-row
//! errors, then the good rows stored once each.

use atlas_shared::IsoDate;
use atlas_shared::export::{ImportPreview, ImportTarget, import_csv};
use atlas_shared::{ConsultationId, Draft, Snapshot};
use leptos::prelude::*;
use uuid::Uuid;

use super::SaveRecords;
use crate::components::{FileField, on_check_file};
use crate::pages::count;

/// What a chosen file would add, with the rows already on this device set apart.
#[derive(Clone, Debug, Default, PartialEq)]
struct Checked {
    preview: ImportPreview,
    /// The file's answers that could be imported (its good rows), here already or not.
    answers: usize,
    /// Of those, the ones whose response is already on this device: not added again.
    already: usize,
}

/// How many of a file's answers this device already holds: "12 of these 40 answers are
/// already here; importing again adds nothing for them."
fn already_here(already: usize, answers: usize) -> String {
    match (already, answers) {
        (1, 1) => "This answer is already here; importing again adds nothing for it.".to_owned(),
        (n, total) if n == total => format!(
            "All {total} of these answers are already here; importing again adds nothing for them."
        ),
        (1, total) => format!(
            "1 of these {total} answers is already here; importing again adds nothing for it."
        ),
        (n, total) => format!(
            "{n} of these {total} answers are already here; importing again adds nothing for them."
        ),
    }
}

fn check_file(s: &Snapshot, c: ConsultationId, text: &str) -> Result<Checked, String> {
    let consultation = s
        .consultations
        .get(&c)
        .ok_or("The consultation is not on this device")?;
    let versions = s.questionnaire_versions_of(c);
    let (default_version, _) = versions
        .last()
        .copied()
        .ok_or("This consultation has no questionnaire yet: make one before importing answers")?;
    // Rows without a time are dated the consultation's closing (or opening) date, so the same
    // file always makes the same responses.
    let default_captured_at = consultation
        .closes_on
        .or(consultation.opens_on)
        .map_or(0, IsoDate::unix_ms);
    let target = ImportTarget {
        partnership_id: consultation.partnership_id,
        consultation_id: c,
        versions: versions.clone(),
        default_version,
        events: s.events_of(c),
        default_captured_at,
    };
    let mut preview = import_csv(text, &target)?;
    let answers = preview.rows.len();
    preview.rows.retain(|r| !s.responses.contains_key(&r.id));
    Ok(Checked {
        answers,
        already: answers - preview.rows.len(),
        preview,
    })
}

/// The import of a partner organisation's results: choose a file, check the preview, import.
#[component]
pub fn ImportForm(
    #[prop(into)] snapshot: Signal<Snapshot>,
    consultation: ConsultationId,
    on_save: SaveRecords,
) -> impl IntoView {
    let checked = RwSignal::new(None::<Checked>);
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let check = on_check_file(
        "import-file",
        "Choose a CSV file to import",
        move |text| snapshot.with_untracked(|s| check_file(s, consultation, &text)),
        checked,
        problem,
        done,
    );
    let confirm = move |_| {
        let Some(c) = checked.get_untracked() else {
            return;
        };
        let records: Vec<(Uuid, Draft)> = c
            .preview
            .rows
            .into_iter()
            .map(|r| (r.id.0, Draft::of(r.response)))
            .collect();
        let n = records.len();
        on_save.run(records);
        checked.set(None);
        done.set(Some(format!(
            "Added {} to this device. They are sent with its other changes.",
            count(n, "answer", "answers")
        )));
    };
    view! {
        <section class="section" aria-labelledby="import-heading">
            <h2 class="heading-m" id="import-heading">"Import a partner's results"</h2>
            <p class="body">
                "A CSV file with a row of column names, then one row per person. Name the columns as a download of every answer does: one per question, headed by the question's key. Optional columns: response_id, captured_at, channel (paper if not given), event, questionnaire_version and device_id. Importing the same file again adds nothing new."
            </p>
            <form novalidate on:submit=check>
                <FileField id="import-file" label="CSV file" accept=".csv,text/csv" error=problem />
                <button type="submit" class="button button--secondary" id="import-check">"Check the file"</button>
            </form>
            {move || done.get().map(|m| view! { <p class="body import-result" role="status">{m}</p> })}
            {move || checked.get().map(|c| {
                let n = c.preview.rows.len();
                let errors = c.preview.errors.clone();
                let rows = c.preview.rows.iter().map(|r| {
                    let answers = r.response.answers.iter()
                        .map(|(k, a)| format!("{k}: {}", atlas_shared::export::answer_cell(a, r.response.hidden)))
                        .collect::<Vec<_>>()
                        .join("; ");
                    view! {
                        <tr data-row=r.row.to_string()>
                            <td class="table__numeric">{r.row}</td>
                            <td>{r.response.channel.label()}</td>
                            <td>{answers}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <div class="import-preview" id="import-preview" data-valid=n.to_string() data-errors=errors.len().to_string()>
                        <h3 class="heading-s">"What the file would add"</h3>
                        {(c.already > 0).then(|| view! {
                            <p class="body" id="import-already">
                                {already_here(c.already, c.answers)}
                            </p>
                        })}
                        {(!errors.is_empty()).then(|| view! {
                            <div class="import-errors" role="alert">
                                <h4 class="heading-s">{format!("{} will not be imported", count(errors.len(), "problem means a row", "problems mean rows"))}</h4>
                                <ul class="list" id="import-errors">
                                    {errors.iter().map(|e| view! { <li data-row=e.row.to_string()>{e.message.clone()}</li> }).collect_view()}
                                </ul>
                            </div>
                        })}
                        {(n > 0).then(|| view! {
                            <div class="table-scroll">
                                <table class="table" id="import-rows">
                                    <caption class="table__caption">"Rows to add"</caption>
                                    <thead><tr><th scope="col" class="table__numeric">"Row"</th><th scope="col">"Channel"</th><th scope="col">"Answers"</th></tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        })}
                        {if n > 0 {
                            view! {
                                <button type="button" class="button" id="import-confirm" on:click=confirm>
                                    {format!("Import {}", count(n, "answer", "answers"))}
                                </button>
                            }.into_any()
                        } else {
                            view! { <p class="body">"There is nothing new to import."</p> }.into_any()
                        }}
                    </div>
                }
            })}
        </section>
    }
}
