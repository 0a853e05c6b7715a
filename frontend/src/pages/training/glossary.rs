//! The partnership's glossary: `/partnerships/:id/glossary` (the list), `/glossary/:id` (one
//! term), and the form (`/partnerships/:id/glossary/new`, `/glossary/:id/edit`). A term in the
//! glossary explains itself wherever it appears on the site (see `GlossedText`).

use atlas_shared::text::fold_case;
use atlas_shared::{Draft, GlossaryTerm, GlossaryTermId, PartnershipId, Snapshot, Validate};
use leptos::prelude::*;

use super::{glossary_href, glossary_term_href};
use crate::components::{
    AtlasForm, Breadcrumbs, Crumb, FormActions, FormErrors, TextArea, TextField, gate, set_title,
};
use crate::components::{FormPage, record_form_page};
use crate::data::{new_id, use_store};
use crate::pages::{found, partnership_crumbs, partnership_name, use_id, use_partnership_id};

/// "Partnerships › Basingstoke and Deane LSP › Glossary", then `here` when given.
fn glossary_crumbs(s: &Snapshot, p: PartnershipId, here: Option<String>) -> Vec<Crumb> {
    let mut c = partnership_crumbs(s, p);
    match here {
        Some(here) => {
            c.push(Crumb::link("Glossary", glossary_href(p)));
            c.push(Crumb::here(here));
        }
        None => c.push(Crumb::here("Glossary")),
    }
    c
}

/// The term already in partnership `p`'s glossary that `term` would repeat (ignoring case
/// and surrounding spaces), other than the record `id` itself.
pub fn duplicate_of(
    s: &Snapshot,
    p: PartnershipId,
    id: GlossaryTermId,
    term: &str,
) -> Option<String> {
    let wanted = fold_case(term.trim());
    if wanted.is_empty() {
        return None;
    }
    s.glossary_of(p)
        .into_iter()
        .find(|(other, g)| *other != id && fold_case(g.term.trim()) == wanted)
        .map(|(_, g)| g.term.clone())
}

/// The glossary of a partnership, sorted by term, with an edit and a delete link for each.
#[component]
pub fn GlossaryList(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
) -> impl IntoView {
    let p = partnership;
    let terms = Memo::new(move |_| {
        snapshot.with(|s| {
            s.glossary_of(p)
                .into_iter()
                .map(|(id, g)| (id, g.clone()))
                .collect::<Vec<_>>()
        })
    });
    let pname = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec!["Glossary".to_owned(), pname.get()]);
    let crumbs = Signal::derive(move || snapshot.with(|s| glossary_crumbs(s, p, None)));
    let list = move || {
        let terms = terms.get();
        if terms.is_empty() {
            return view! {
                <div class="glossary-empty">
                    <p class="body">"There are no terms in the glossary yet."</p>
                    <p class="body">
                        "Add the acronyms and terms your partnership uses, such as LSP or SCS, and what they mean. Wherever one appears on this site, in terms of reference, descriptions and the presentation, it explains itself: point at it, tab to it or tap it to see what it means."
                    </p>
                </div>
            }
                .into_any();
        }
        view! {
            <dl class="glossary-list">
                {terms
                    .into_iter()
                    .map(|(id, g)| {
                        let href = glossary_term_href(id);
                        let term = g.term.clone();
                        let term_too = g.term.clone();
                        view! {
                            <div class="glossary-list__entry" id=format!("term-{id}")>
                                <dt class="glossary-list__term">{g.term}</dt>
                                <dd class="glossary-list__meaning">{g.meaning}</dd>
                                <dd class="glossary-list__actions">
                                    <a class="link" href=format!("{href}/edit")>
                                        "Edit"
                                        <span class="visually-hidden">{format!(" {term}")}</span>
                                    </a>
                                    <a class="link" href=format!("{href}/delete")>
                                        "Delete"
                                        <span class="visually-hidden">{format!(" {term_too}")}</span>
                                    </a>
                                </dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        }
            .into_any()
    };
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">"Glossary"</h1>
        <p class="body lead">
            "The acronyms and terms this partnership uses, and what they mean."
        </p>
        {list}
        <a class="button" href=format!("{}/new", glossary_href(p))>
            "Add a term"
        </a>
    }
}

/// `/partnerships/:id/glossary`
#[component]
pub fn GlossaryPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        view! { <GlossaryList snapshot=snapshot partnership=pid /> }
    })
}

/// One term and its meaning, so a link to a term (`glossary_term_href`) has somewhere to go.
#[component]
pub fn GlossaryTermDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: GlossaryTermId,
) -> impl IntoView {
    let term = Memo::new(move |_| snapshot.with(|s| s.glossary.get(&id).cloned()));
    let heading = move || term.with(|t| t.as_ref().map(|t| t.term.clone()).unwrap_or_default());
    set_title(move || vec![heading(), "Glossary".to_owned()]);
    let crumbs = Signal::derive(move || {
        term.with(|t| match t {
            Some(t) => {
                snapshot.with(|s| glossary_crumbs(s, t.partnership_id, Some(t.term.clone())))
            }
            None => Vec::new(),
        })
    });
    let href = glossary_term_href(id);
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">{heading}</h1>
        <p class="body glossary-meaning">
            {move || term.with(|t| t.as_ref().map(|t| t.meaning.clone()))}
        </p>
        <div class="button-group">
            <a class="button button--secondary" href=format!("{href}/edit")>
                "Edit term"
            </a>
            <a class="button button--warning" href=format!("{href}/delete")>
                "Delete term"
            </a>
        </div>
        {move || {
            term.with(|t| {
                t.as_ref()
                    .map(|t| {
                        view! {
                            <p class="body">
                                <a class="link" href=glossary_href(t.partnership_id)>
                                    "See the whole glossary"
                                </a>
                            </p>
                        }
                    })
            })
        }}
    }
}

/// The route's `:id` as a glossary term on this device.
fn use_term_id(snapshot: Signal<Snapshot>) -> Memo<Option<GlossaryTermId>> {
    found(use_id("id"), snapshot, |s, id| s.glossary.contains_key(id))
}

/// `/glossary/:id`
#[component]
pub fn GlossaryTermPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_term_id(snapshot);
    gate(store.ready(), id, "glossary term", move |id| {
        view! { <GlossaryTermDetail snapshot=snapshot id=id /> }
    })
}

/// The fields of a glossary term. Refuses a term already in the partnership's glossary (any
/// case) before it calls `on_submit`, so the person sees it next to the field.
#[component]
pub fn GlossaryTermForm(
    /// To check the term is not already in the glossary.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The record being added or edited.
    id: GlossaryTermId,
    initial: GlossaryTerm,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<GlossaryTerm>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let term = RwSignal::new(initial.term);
    let meaning = RwSignal::new(initial.meaning);
    let submit = move |()| {
        let entered = GlossaryTerm {
            partnership_id,
            term: term.get_untracked(),
            meaning: meaning.get_untracked(),
        };
        let duplicate =
            snapshot.with_untracked(|s| duplicate_of(s, partnership_id, id, &entered.term));
        match duplicate {
            None => on_submit.run(entered),
            Some(_) => {
                // Say so together with anything else wrong, term first as in the form.
                let mut fields = entered.validate().err().unwrap_or_default();
                fields.retain(|f| f.field != "term");
                fields.insert(
                    0,
                    atlas_shared::FieldError::new(
                        "term",
                        format!("“{}” is already in the glossary", entered.term.trim()),
                    ),
                );
                errors.set(FormErrors {
                    message: None,
                    fields,
                });
            }
        }
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField
                id="term"
                label="Term or acronym"
                hint="As it appears in papers, for example LSP or Task and Finish group"
                value=term
                errors=errors
                width="input--width-20"
            />
            <TextArea
                id="meaning"
                label="What it means"
                hint="What it stands for and what it means, in plain English"
                value=meaning
                errors=errors
                rows=4
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// The page around the form: breadcrumbs, error summary, heading.
fn glossary_form_page(
    snapshot: Signal<Snapshot>,
    id: GlossaryTermId,
    initial: GlossaryTerm,
    heading: String,
    submit_label: &'static str,
) -> impl IntoView {
    let p = initial.partnership_id;
    let crumbs = snapshot.with_untracked(|s| glossary_crumbs(s, p, Some(heading.clone())));
    let page = FormPage::in_section(crumbs, heading, "Glossary");
    let to_save = move |g: GlossaryTerm| (Draft::of(g), glossary_href(p));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <GlossaryTermForm
                snapshot=snapshot
                id=id
                initial=initial
                errors=errors
                submit_label=submit_label
                cancel_href=glossary_href(p)
                on_submit=on_submit
            />
        }
    })
}

/// `/partnerships/:id/glossary/new`
#[component]
pub fn NewGlossaryTermPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        let initial = GlossaryTerm {
            partnership_id: pid,
            term: String::new(),
            meaning: String::new(),
        };
        glossary_form_page(
            snapshot,
            GlossaryTermId(new_id()),
            initial,
            "Add a term".to_owned(),
            "Add term",
        )
    })
}

/// `/glossary/:id/edit`
#[component]
pub fn EditGlossaryTermPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_term_id(snapshot);
    gate(store.ready(), id, "glossary term", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.glossary.get(&id).cloned()) else {
            return ().into_any();
        };
        let heading = format!("Edit “{}”", initial.term);
        glossary_form_page(snapshot, id, initial, heading, "Save changes").into_any()
    })
}
