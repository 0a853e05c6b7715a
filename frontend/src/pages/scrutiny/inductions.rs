//! New councillors' inductions, on the councillor training page: seed 004's recommendation 8
//! as a check ("did every new councillor get the induction pack?"), year by year, and each new
//! councillor with when they got the pack and the training sessions they attended; and the
//! form (`/partnerships/:id/inductions/new`, `/inductions/:id/edit`).

use atlas_shared::date::{date_input, optional_date_input};
use atlas_shared::scrutiny::meetings::organisation_name;
use atlas_shared::scrutiny::training::{
    InductionRow, induction_rows, pack_check_sentence, pack_checks_by_year,
};
use atlas_shared::scrutiny::{CouncillorInduction, CouncillorInductionId};
use atlas_shared::{Draft, IsoDate, OrganisationId, PartnershipId, Snapshot};
use leptos::prelude::*;

use super::meeting_routes::today;
use super::training_sessions::{training_sessions_href, training_trail};
use crate::components::{
    AtlasForm, Crumb, FormActions, FormErrors, FormPage, Inputs, RecordSelect, Tag, TextArea,
    TextField, gate, record_form_page,
};
use crate::data::{new_id, use_store};
use crate::pages::{found, use_id, use_partnership_id};

/// One induction record's pages (edit, delete) are under this.
pub fn induction_record_href(id: CouncillorInductionId) -> String {
    format!("/inductions/{id}")
}

/// Where the new councillors are listed: their section of the training page.
pub fn inductions_href(p: PartnershipId) -> String {
    format!("{}#inductions-heading", training_sessions_href(p))
}

/// The new councillors of partnership `partnership`: the check of each year they joined in,
/// then each of them with the pack and their training.
#[component]
pub fn InductionsSection(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    today: IsoDate,
    #[prop(into)] manages: Signal<bool>,
) -> impl IntoView {
    let p = partnership;
    let rows = Memo::new(move |_| snapshot.with(|s| induction_rows(s, p, today)));
    let councils = Memo::new(move |_| {
        snapshot.with(|s| {
            rows.with(|rows| {
                rows.iter()
                    .map(|r| {
                        r.induction
                            .council_id
                            .map(|c| organisation_name(s, c))
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let years = move || {
        let checks = rows.with(|r| pack_checks_by_year(r));
        if checks.is_empty() {
            return view! {
                <p class="body" id="pack-checks">"No new councillor is recorded yet."</p>
            }
            .into_any();
        }
        view! {
            <ul class="record-list" id="pack-checks">
                {checks
                    .into_iter()
                    .map(|(year, given, joined)| {
                        let (tag, tone) = if given == joined {
                            ("All given", "blue")
                        } else {
                            ("Not all given", "purple")
                        };
                        view! {
                            <li class="record-list__item pack-check">
                                <strong>{format!("Joined in {year}")}</strong>
                                " "
                                <Tag text=tag tone=tone />
                                " "
                                <span class="pack-check__sentence">{pack_check_sentence(given, joined)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let table = move || {
        let rows = rows.get();
        if rows.is_empty() {
            return ().into_any();
        }
        let councils = councils.get();
        view! {
            <table class="table" id="inductions">
                <caption class="table__caption">
                    "New councillors, most recently joined first, with the induction pack and the training sessions each attended"
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Councillor"</th>
                        <th scope="col">"Joined"</th>
                        <th scope="col">"Induction pack"</th>
                        <th scope="col">"Training sessions attended"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .zip(councils)
                        .map(|(row, council)| induction_row(row, council, manages))
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="section" aria-labelledby="inductions-heading">
            <h2 class="heading-m" id="inductions-heading">
                "Did every new councillor get the induction pack?"
            </h2>
            <p class="body">
                "New councillors should be given the induction pack, with information about the partnership, when they are elected or join. Each is listed with the day they got it and the training sessions on the partnership they attended (matched by name to who attended each session)."
            </p>
            <Show when=move || manages.get()>
                <a class="button button--secondary" id="add-induction" href=format!("/partnerships/{p}/inductions/new")>
                    "Add a new councillor"
                </a>
            </Show>
            {years}
            {table}
        </section>
    }
}

fn induction_row(row: InductionRow, council: String, manages: Signal<bool>) -> impl IntoView {
    let InductionRow {
        id,
        induction,
        pack,
        sessions,
    } = row;
    let href = induction_record_href(id);
    let name = induction.councillor.trim().to_owned();
    let name_too = name.clone();
    let (tag, tone) = if pack.is_given() {
        ("Given", "blue")
    } else {
        ("Not yet", "purple")
    };
    let sessions = if sessions.is_empty() {
        "None recorded".to_owned()
    } else {
        sessions
            .into_iter()
            .map(IsoDate::long)
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <tr class="induction">
            <td>
                <span class="induction__name">{name.clone()}</span>
                {(!council.is_empty()).then(|| view! { <div class="hint">{council}</div> })}
                {(!induction.note.trim().is_empty())
                    .then(|| view! { <div class="hint induction__note">{induction.note.clone()}</div> })}
            </td>
            <td>{induction.joined_on.long()}</td>
            <td class="induction__pack">
                <Tag text=tag tone=tone />
                " "
                {pack.sentence()}
            </td>
            <td class="induction__sessions">{sessions}</td>
            <td>
                <Show when=move || manages.get()>
                    <a class="link" href=format!("{href}/edit")>
                        "Edit"
                        <span class="visually-hidden">{format!(" {name}")}</span>
                    </a>
                    " "
                    <a class="link" href=format!("{href}/delete")>
                        "Delete"
                        <span class="visually-hidden">{format!(" {name_too}")}</span>
                    </a>
                </Show>
            </td>
        </tr>
    }
}

const INDUCTION_FIELDS: &[&str] = &[
    "councillor",
    "council_id",
    "joined_on",
    "pack_given_on",
    "note",
];

/// The fields of a new councillor's induction.
#[component]
pub fn InductionForm(
    /// The partnership's organisations, as (id, name), for the councillor's council.
    organisations: Vec<(OrganisationId, String)>,
    initial: CouncillorInduction,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<CouncillorInduction>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let councillor = RwSignal::new(initial.councillor);
    let council = RwSignal::new(
        initial
            .council_id
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );
    let joined = RwSignal::new(initial.joined_on.to_string());
    let given = RwSignal::new(
        initial
            .pack_given_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let note = RwSignal::new(initial.note);
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let joined_on = inputs.take(date_input(
            "joined_on",
            &joined.get_untracked(),
            "the date they were elected or joined",
        ));
        let pack_given_on = inputs
            .take(optional_date_input(
                "pack_given_on",
                &given.get_untracked(),
                "the date they were given the pack",
            ))
            .flatten();
        let induction = CouncillorInduction {
            partnership_id,
            councillor: councillor.get_untracked().trim().to_owned(),
            council_id: council.get_untracked().trim().parse().ok(),
            // Checked against the other rules while the date is put right.
            joined_on: joined_on.unwrap_or(IsoDate::known(2010, 1, 1)),
            pack_given_on: pack_given_on.filter(|_| joined_on.is_some()),
            note: note.get_untracked(),
        };
        if let Some(found) = inputs.refused(&induction, INDUCTION_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(induction)
    };
    let mut council_options = vec![(String::new(), "Not recorded".to_owned())];
    council_options.extend(
        organisations
            .into_iter()
            .map(|(id, name)| (id.to_string(), name)),
    );
    view! {
        <AtlasForm on_submit=submit>
            <TextField
                id="councillor"
                label="Councillor’s name"
                hint="As the training sessions’ attendance writes it, so their training record is found"
                value=councillor
                errors=errors
            />
            <RecordSelect id="council_id" label="Council (optional)" options=council_options value=council errors=errors />
            <TextField
                id="joined_on"
                label="Elected or joined on"
                hint="For example, 6 May 2010"
                value=joined
                errors=errors
                input_type="date"
                width="input--date"
            />
            <TextField
                id="pack_given_on"
                label="Given the induction pack on (optional)"
                hint="Leave this empty until they have had it: the page shows how long they have waited"
                value=given
                errors=errors
                input_type="date"
                width="input--date"
            />
            <TextArea
                id="note"
                label="Note (optional)"
                hint="Anything a reader should know about this record, such as where its facts come from"
                value=note
                errors=errors
                rows=3
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

fn induction_form_page(
    snapshot: Signal<Snapshot>,
    id: CouncillorInductionId,
    initial: CouncillorInduction,
    heading: String,
    submit_label: &'static str,
) -> impl IntoView {
    let p = initial.partnership_id;
    let (crumbs, organisations) = snapshot.with_untracked(|s| {
        let mut c = training_trail(s, p);
        c.push(Crumb::here(heading.clone()));
        let organisations = s
            .organisations_of(p)
            .into_iter()
            .map(|(id, o)| (id, o.name.clone()))
            .collect::<Vec<_>>();
        (c, organisations)
    });
    let page = FormPage::in_section(crumbs, heading, "Councillor training");
    let to_save = move |c: CouncillorInduction| (Draft::of(c), inductions_href(p));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <InductionForm
                organisations=organisations
                initial=initial
                errors=errors
                submit_label=submit_label
                cancel_href=inductions_href(p)
                on_submit=on_submit
            />
        }
    })
}

/// `/partnerships/:id/inductions/new`
#[component]
pub fn NewInductionPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        let initial = CouncillorInduction {
            partnership_id: pid,
            councillor: String::new(),
            council_id: None,
            joined_on: today(),
            pack_given_on: None,
            note: String::new(),
        };
        induction_form_page(
            snapshot,
            CouncillorInductionId(new_id()),
            initial,
            "Add a new councillor".to_owned(),
            "Add councillor",
        )
    })
}

/// `/inductions/:id/edit`
#[component]
pub fn EditInductionPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<CouncillorInductionId>("id"), snapshot, |s, id| {
        s.councillor_inductions.contains_key(id)
    });
    gate(store.ready(), id, "new councillor", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.councillor_inductions.get(&id).cloned())
        else {
            return ().into_any();
        };
        let heading = format!("Edit {}", initial.councillor.trim());
        induction_form_page(snapshot, id, initial, heading, "Save changes").into_any()
    })
}
