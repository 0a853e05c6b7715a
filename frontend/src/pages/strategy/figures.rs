//! Figures in bulk, on a strategy's page: download every target's figures as CSV, and import
//! a partner's file in the same format (`atlas_shared::strategy::figures_csv`), with a preview
//! of what it adds and changes, row by row, before anything is stored.

use atlas_shared::strategy::figures_csv::{FiguresPreview, figures_csv, read_figures};
use atlas_shared::strategy::{StrategyId, format_figure};
use atlas_shared::{Draft, Snapshot};
use leptos::prelude::*;
use uuid::Uuid;

use crate::components::download::download;
use crate::components::{FileField, on_check_file};
use crate::pages::consultation::results::{SaveRecords, slug};
use crate::pages::count;

/// One row of the preview, in words.
fn change_row(s: &Snapshot, c: &atlas_shared::strategy::figures_csv::FigureChange) -> [String; 4] {
    let target = s.targets.get(&c.measurement.target_id);
    let unit = target.map_or("", |t| t.unit.as_str());
    let name = target.map_or_else(String::new, |t| {
        if t.code.is_empty() {
            t.name.clone()
        } else {
            format!("{}: {}", t.code, t.name)
        }
    });
    let before = c.before.as_ref().map_or_else(
        || "None yet".to_owned(),
        |m| format_figure(m.value.get(), unit),
    );
    [
        name,
        c.measurement.on.long(),
        before,
        format_figure(c.measurement.value.get(), unit),
    ]
}

/// What the file would do, in one sentence: "It adds 2 figures and changes 1. 3 rows are the
/// same as the figures here."
fn preview_sentence(p: &FiguresPreview) -> String {
    let added = p.changes.iter().filter(|c| c.before.is_none()).count();
    let changed = p.changes.len() - added;
    let mut words = match (added, changed) {
        (0, 0) => "It adds and changes nothing.".to_owned(),
        (a, 0) => format!("It adds {}.", count(a, "figure", "figures")),
        (0, c) => format!("It changes {}.", count(c, "figure", "figures")),
        (a, c) => format!("It adds {} and changes {c}.", count(a, "figure", "figures")),
    };
    if p.unchanged > 0 {
        words.push_str(&match p.unchanged {
            1 => " 1 row is the same as the figure here.".to_owned(),
            n => format!(" {n} rows are the same as the figures here."),
        });
    }
    if p.blank > 0 {
        words.push_str(&match p.blank {
            1 => " 1 row has no date or value and is left alone.".to_owned(),
            n => format!(" {n} rows have no date or value and are left alone."),
        });
    }
    words
}

/// The "Figures in bulk" section: a download for everyone who sees the strategy; the import for
/// those who may write figures (`may_import`).
#[component]
pub fn FiguresInBulk(
    #[prop(into)] snapshot: Signal<Snapshot>,
    strategy: StrategyId,
    #[prop(into)] may_import: Signal<bool>,
    on_save: SaveRecords,
) -> impl IntoView {
    let download_error = RwSignal::new(None::<String>);
    let export = move |_| {
        let (csv, title) = snapshot.with_untracked(|s| {
            let title = s
                .strategies
                .get(&strategy)
                .map(|st| st.title.clone())
                .unwrap_or_default();
            (figures_csv(s, strategy), title)
        });
        let name = format!("{}-figures.csv", slug(&title));
        download_error.set(download(&name, "text/csv;charset=utf-8", &csv).err());
    };
    let preview = RwSignal::new(None::<FiguresPreview>);
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let check = on_check_file(
        "figures-file",
        "Choose a CSV file of figures",
        move |text| snapshot.with_untracked(|s| read_figures(s, strategy, &text)),
        preview,
        problem,
        done,
    );
    let confirm = move |_| {
        let Some(p) = preview.get_untracked() else {
            return;
        };
        let records: Vec<(Uuid, Draft)> = p
            .changes
            .into_iter()
            .map(|c| (c.id.0, Draft::of(c.measurement)))
            .collect();
        let n = records.len();
        on_save.run(records);
        preview.set(None);
        done.set(Some(format!(
            "Saved {} on this device. They are sent with its other changes, and the statuses above use them now.",
            count(n, "figure", "figures")
        )));
    };
    let preview_view = move || {
        preview.get().map(|p| {
            let rows = snapshot.with(|s| {
                p.changes
                    .iter()
                    .map(|c| (c.row, c.before.is_some(), change_row(s, c)))
                    .collect::<Vec<_>>()
            });
            let n = rows.len();
            let errors = p.errors.clone();
            view! {
                <div class="import-preview" id="figures-preview" data-changes=n.to_string() data-errors=errors.len().to_string()>
                    <h3 class="heading-s">"What the file would do"</h3>
                    <p class="body" id="figures-preview-sentence">{preview_sentence(&p)}</p>
                    {(!errors.is_empty()).then(|| view! {
                        <div class="import-errors" role="alert">
                            <h4 class="heading-s">{format!("{} will not be imported", count(errors.len(), "row", "rows"))}</h4>
                            <ul class="list" id="figures-errors">
                                {errors.iter().map(|e| view! { <li data-row=e.row.to_string()>{e.message.clone()}</li> }).collect_view()}
                            </ul>
                        </div>
                    })}
                    {(n > 0).then(|| view! {
                        <div class="table-scroll">
                            <table class="table" id="figures-rows">
                                <caption class="table__caption">"Figures to add or change"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col" class="table__numeric">"Row"</th>
                                        <th scope="col">"Target"</th>
                                        <th scope="col">"Date"</th>
                                        <th scope="col" class="table__numeric">"Now"</th>
                                        <th scope="col" class="table__numeric">"From the file"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|(row, changes, [target, date, before, after])| view! {
                                        <tr data-row=row.to_string() data-changes=changes.to_string()>
                                            <td class="table__numeric">{row}</td>
                                            <td>{target}</td>
                                            <td>{date}</td>
                                            <td class="table__numeric">{before}</td>
                                            <td class="table__numeric">{after}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <button type="button" class="button" id="figures-confirm" on:click=confirm>
                            {format!("Save {}", count(n, "figure", "figures"))}
                        </button>
                    })}
                </div>
            }
        })
    };
    view! {
        <section class="section no-print" aria-labelledby="figures-heading">
            <h2 class="heading-m" id="figures-heading">"Figures in bulk"</h2>
            <p class="body">
                "Download every target's figures as a CSV file, with a row to fill in for each target that has none yet. A partner adds or corrects rows in a spreadsheet; importing the file here shows what it would add and change before anything is saved."
            </p>
            <button type="button" class="button button--secondary" id="figures-download" on:click=export>
                "Download the figures (CSV)"
            </button>
            {move || download_error.get().map(|e| view! {
                <p class="error-message" role="alert">
                    <span class="visually-hidden">"Error: "</span>
                    {format!("The file could not be saved: {e}")}
                </p>
            })}
            <Show when=move || may_import.get()>
                <form novalidate on:submit=check>
                    <FileField
                        id="figures-file"
                        label="A CSV file of figures"
                        hint="The columns of the download: target_id (or code), date, value, and note if you like. Dates like 2011-08-31 or 31/08/2011."
                        accept=".csv,text/csv"
                        error=problem
                    />
                    <button type="submit" class="button button--secondary" id="figures-check">"Check the file"</button>
                </form>
            </Show>
            {move || done.get().map(|m| view! { <p class="body import-result" role="status" id="figures-done">{m}</p> })}
            {preview_view}
        </section>
    }
}
