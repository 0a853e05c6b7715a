//! "You said, we did": what residents said in a consultation, what the partnership did about
//! it, and the Priority Action Groups whose work it shaped.
//!
//! [`FindingsEditor`] is the staff section on the results page (add and edit findings);
//! [`YouSaidView`] is the public page at `/consult/:id/you-said-we-did`. The public page shows
//! no individual answers: only the findings, and the priority ranking with every figure from
//! fewer people than the consultation's suppression threshold withheld.

use atlas_shared::consultation::{Finding, QuestionKind};
use atlas_shared::export::question_columns;
use atlas_shared::results::tally;
use atlas_shared::strategy::actions::action_status;
use atlas_shared::strategy::{KeyActionId, PriorityId};
use atlas_shared::{
    BodyId, BodyKind, ConsultationId, Draft, FindingId, IsoDate, PartnershipId, Snapshot,
};
use leptos::prelude::*;

use super::results::SaveRecords;
use crate::components::form::{GroupedCheckboxes, GroupedChoices, IdCheckbox};
use crate::components::{gate, set_title};
use crate::data::{new_id, use_store};
use crate::pages::strategy::action_plans::{actions_of, plan_title};
use crate::pages::strategy::serves::priority_choices;
use crate::pages::strategy::{action_plan_href, priority_href, today};
use crate::pages::structure::map_href;
use crate::pages::{found, use_id};
use atlas_shared::order::sort;

/// Links in a list, each followed by plain words: (address, link text, words after).
#[component]
pub fn LinkList(class: &'static str, items: Vec<(String, String, String)>) -> impl IntoView {
    view! {
        <ul class=format!("list {class}")>
            {items
                .into_iter()
                .map(|(href, text, after)| view! { <li><a class="link" href=href>{text}</a>{after}</li> })
                .collect_view()}
        </ul>
    }
}

/// The partnership's key actions a finding can name, under each group's action plan (newest
/// year first).
pub fn key_action_choices(s: &Snapshot, p: PartnershipId) -> GroupedChoices<KeyActionId> {
    let mut plans: Vec<_> = s
        .action_plans
        .iter()
        .filter(|(_, plan)| plan.partnership_id == p)
        .map(|(id, plan)| (std::cmp::Reverse(plan.year), plan_title(s, plan), *id))
        .collect();
    sort(&mut plans);
    plans
        .into_iter()
        .map(|(_, title, id)| {
            let actions = actions_of(s, id)
                .into_iter()
                .map(|(a, action)| (a, action.title))
                .collect();
            (title, actions)
        })
        .filter(|(_, list): &(String, Vec<_>)| !list.is_empty())
        .collect()
}

/// The partnership's Priority Action Groups, by name: the groups a finding can be linked to.
pub fn priority_action_groups(s: &Snapshot, c: ConsultationId) -> Vec<(BodyId, String)> {
    let Some(consultation) = s.consultations.get(&c) else {
        return Vec::new();
    };
    s.bodies_of(consultation.partnership_id)
        .into_iter()
        .filter(|(_, b)| b.kind == BodyKind::PriorityActionGroup)
        .map(|(id, b)| (id, b.name.clone()))
        .collect()
}

/// Staff: the consultation's findings, and a form to add one or edit one.
#[component]
pub fn FindingsEditor(
    #[prop(into)] snapshot: Signal<Snapshot>,
    consultation: ConsultationId,
    on_save: SaveRecords,
) -> impl IntoView {
    let findings = Memo::new(move |_| {
        snapshot.with(|s| {
            s.findings_of(consultation)
                .into_iter()
                .map(|(id, f)| (id, f.clone()))
                .collect::<Vec<_>>()
        })
    });
    let groups = Memo::new(move |_| snapshot.with(|s| priority_action_groups(s, consultation)));
    let partnership = Memo::new(move |_| {
        snapshot.with(|s| s.consultations.get(&consultation).map(|c| c.partnership_id))
    });
    let priority_groups = Signal::derive(move || {
        let p = partnership.get();
        snapshot.with(|s| p.map(|p| priority_choices(s, p)).unwrap_or_default())
    });
    let action_groups = Signal::derive(move || {
        let p = partnership.get();
        snapshot.with(|s| p.map(|p| key_action_choices(s, p)).unwrap_or_default())
    });
    let chosen_priorities = RwSignal::new(Vec::<PriorityId>::new());
    let chosen_actions = RwSignal::new(Vec::<KeyActionId>::new());
    let editing = RwSignal::new(None::<FindingId>);
    let text = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<BodyId>::new());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);

    let clear = move || {
        editing.set(None);
        text.set(String::new());
        action.set(String::new());
        chosen.set(Vec::new());
        chosen_priorities.set(Vec::new());
        chosen_actions.set(Vec::new());
        error.set(None);
    };
    let edit = move |id: FindingId| {
        let Some(f) = snapshot.with_untracked(|s| s.findings.get(&id).cloned()) else {
            return;
        };
        editing.set(Some(id));
        text.set(f.text);
        action.set(f.action);
        chosen.set(f.body_ids);
        chosen_priorities.set(f.priority_ids);
        chosen_actions.set(f.key_action_ids);
        error.set(None);
        saved.set(None);
        if let Some(el) = document().get_element_by_id("finding-text") {
            use wasm_bindgen::JsCast;
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let said = text.get_untracked().trim().to_owned();
        if said.is_empty() {
            error.set(Some("Enter what residents said".to_owned()));
            return;
        }
        let Some(partnership_id) = snapshot
            .with_untracked(|s| s.consultations.get(&consultation).map(|c| c.partnership_id))
        else {
            return;
        };
        let id = editing.get_untracked().map(|f| f.0).unwrap_or_else(new_id);
        let finding = Finding {
            partnership_id,
            consultation_id: consultation,
            text: said,
            action: action.get_untracked().trim().to_owned(),
            body_ids: chosen.get_untracked(),
            priority_ids: chosen_priorities.get_untracked(),
            key_action_ids: chosen_actions.get_untracked(),
        };
        let was_edit = editing.get_untracked().is_some();
        on_save.run(vec![(id, Draft::of(finding))]);
        clear();
        saved.set(Some(
            if was_edit {
                "The finding was saved."
            } else {
                "The finding was added."
            }
            .to_owned(),
        ));
    };

    view! {
        <section class="section" aria-labelledby="findings-heading" id="findings">
            <h2 class="heading-m" id="findings-heading">"You said, we did"</h2>
            <p class="body">
                "Write down what residents told you and what the partnership did about it, and link each finding to the Priority Action Groups whose work it shaped. Findings appear on the public “you said, we did” page; individual answers never do."
            </p>
            {move || {
                let list = findings.get();
                if list.is_empty() {
                    return view! { <p class="body" id="findings-none">"No findings yet."</p> }.into_any();
                }
                let names = groups.get();
                view! {
                    <ul class="finding-list" id="finding-list">
                        {list
                            .into_iter()
                            .map(|(id, f)| {
                                let linked: Vec<String> = f
                                    .body_ids
                                    .iter()
                                    .filter_map(|b| names.iter().find(|(g, _)| g == b).map(|(_, n)| n.clone()))
                                    .collect();
                                view! {
                                    <li class="finding-list__item" data-finding-id=id.to_string()>
                                        <p class="body"><strong>"You said: "</strong>{f.text.clone()}</p>
                                        <p class="body">
                                            <strong>"We did: "</strong>
                                            {if f.action.is_empty() { "Not decided yet.".to_owned() } else { f.action.clone() }}
                                        </p>
                                        {(!linked.is_empty()).then(|| view! {
                                            <p class="body finding-list__groups">{format!("Shaped: {}", linked.join(", "))}</p>
                                        })}
                                        <button type="button" class="button button--secondary finding-list__edit" on:click=move |_| edit(id)>
                                            "Edit" <span class="visually-hidden">{format!(" the finding “{}”", f.text)}</span>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {move || saved.get().map(|m| view! { <p class="body import-result" role="status">{m}</p> })}
            <form novalidate on:submit=submit class="finding-form" id="finding-form">
                <h3 class="heading-s">
                    {move || if editing.get().is_some() { "Edit the finding" } else { "Add a finding" }}
                </h3>
                <div class="form-group" class:form-group--error=move || error.with(Option::is_some)>
                    <label class="label" for="finding-text">"What residents said"</label>
                    {move || error.get().map(|m| view! {
                        <p class="error-message" id="finding-text-error">
                            <span class="visually-hidden">"Error: "</span>{m}
                        </p>
                    })}
                    <textarea class="textarea" id="finding-text" name="finding-text" rows="3"
                        aria-describedby=move || error.with(Option::is_some).then_some("finding-text-error")
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </div>
                <div class="form-group">
                    <label class="label" for="finding-action">"What the partnership did"</label>
                    <p class="hint" id="finding-action-hint">"Leave it empty until it is decided."</p>
                    <textarea class="textarea" id="finding-action" name="finding-action" rows="3"
                        aria-describedby="finding-action-hint"
                        prop:value=move || action.get()
                        on:input=move |ev| action.set(event_target_value(&ev))></textarea>
                </div>
                <fieldset class="fieldset">
                    <legend class="fieldset__legend">"Which Priority Action Groups did it shape?"</legend>
                    {move || {
                        let list = groups.get();
                        if list.is_empty() {
                            return view! { <p class="body">"This partnership has no Priority Action Groups yet."</p> }.into_any();
                        }
                        view! {
                            <div class="checkboxes">
                                {list
                                    .into_iter()
                                    .map(|(id, name)| view! {
                                        <IdCheckbox input_id=format!("finding-group-{id}") value=id label=name chosen=chosen />
                                    })
                                    .collect_view()}
                            </div>
                        }
                            .into_any()
                    }}
                </fieldset>
                <GroupedCheckboxes
                    prefix="finding-priority"
                    legend="Which of the strategy's priorities did it lead to?"
                    hint="Shown on the public page as “We made it a priority”, and beside the priority on its strategy's page."
                    none="This partnership has no strategy priorities on this device yet."
                    groups=priority_groups
                    chosen=chosen_priorities
                />
                <GroupedCheckboxes
                    prefix="finding-key-action"
                    legend="Which key actions answer it?"
                    hint="Shown on the public page as “We did”, with each action's status."
                    none="This partnership has no key actions on this device yet."
                    groups=action_groups
                    chosen=chosen_actions
                />
                <div class="button-group">
                    <button type="submit" class="button" id="finding-save">
                        {move || if editing.get().is_some() { "Save the finding" } else { "Add the finding" }}
                    </button>
                    {move || editing.get().is_some().then(|| view! {
                        <button type="button" class="button button--secondary" on:click=move |_| clear()>"Cancel"</button>
                    })}
                </div>
            </form>
        </section>
    }
}

/// One priority on the public page: its place, label, and its points unless too few chose it.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicPriority {
    pub key: String,
    pub label: String,
    /// `None` when fewer people than the threshold chose it.
    pub points: Option<u32>,
}

/// A finding as the public page shows it: the finding, and what it links to that still exists
/// and this reader may see.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicFinding {
    pub id: FindingId,
    pub finding: Finding,
    /// The groups it shaped (id and name).
    pub groups: Vec<(BodyId, String)>,
    /// "We made it a priority": (link, the priority's title, its strategy's title).
    pub priorities: Vec<(String, String, String)>,
    /// "We did": (link to its plan, the key action's title, its status in words).
    pub actions: Vec<(String, String, String)>,
}

/// What `f` links to, as this reader sees it on `today`.
pub fn public_finding(s: &Snapshot, id: FindingId, f: &Finding, today: IsoDate) -> PublicFinding {
    let groups = f
        .body_ids
        .iter()
        .filter_map(|b| s.bodies.get(b).map(|body| (*b, body.name.clone())))
        .collect();
    let priorities = f
        .priority_ids
        .iter()
        .filter_map(|pid| {
            let p = s.priorities.get(pid)?;
            let st = s.strategies.get(&p.strategy_id)?;
            Some((
                priority_href(p.strategy_id, *pid),
                p.title.clone(),
                format!("{} ({})", st.title, st.period()),
            ))
        })
        .collect();
    let actions = f
        .key_action_ids
        .iter()
        .filter_map(|a| {
            let action = s.key_actions.get(a)?;
            let (status, _) = action_status(action, today);
            Some((
                action_plan_href(action.action_plan_id),
                action.title.clone(),
                status.label().to_owned(),
            ))
        })
        .collect();
    PublicFinding {
        id,
        finding: f.clone(),
        groups,
        priorities,
        actions,
    }
}

/// The public page's content: findings and the suppressed ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct YouSaidModel {
    pub title: String,
    pub purpose: String,
    pub threshold: u32,
    pub responses: usize,
    /// What residents said, what was done, and the linked groups that still exist.
    pub findings: Vec<PublicFinding>,
    pub ranking: Vec<PublicPriority>,
    pub partnership: atlas_shared::PartnershipId,
}

pub fn you_said_model(s: &Snapshot, c: ConsultationId, today: IsoDate) -> Option<YouSaidModel> {
    let consultation = s.consultations.get(&c)?;
    let versions = s.questionnaire_versions_of(c);
    let ranked = question_columns(&versions)
        .into_iter()
        .find(|q| matches!(q.kind, QuestionKind::RankPriorities { .. }));
    // The server's published figures (the only ones the public and councillors have); a
    // device without them yet (a manager's, offline) works them out from its answers.
    let (threshold, responses, tallied) = match s.published_results.get(&c) {
        Some(p) => (
            p.threshold,
            p.report.summary.responses as usize,
            ranked.and_then(|q| {
                let t = p.report.summary.questions.iter().find(|t| t.key == q.key);
                t.cloned()
            }),
        ),
        None => {
            let responses = s.responses_of(c);
            let counted = responses.iter().map(|(_, r)| *r).filter(|r| r.is_counted());
            (
                consultation.suppression_threshold,
                counted.clone().count(),
                ranked.map(|q| tally(q, counted)),
            )
        }
    };
    let ranking = tallied
        .map(|t| {
            t.options
                .into_iter()
                .map(|o| PublicPriority {
                    key: o.key,
                    label: o.label,
                    points: (o.count >= threshold).then_some(o.points),
                })
                .collect()
        })
        .unwrap_or_default();
    let findings = s
        .findings_of(c)
        .into_iter()
        .map(|(id, f)| public_finding(s, id, f, today))
        .collect();
    Some(YouSaidModel {
        title: consultation.title.clone(),
        purpose: consultation.purpose.clone(),
        threshold,
        responses,
        findings,
        ranking,
        partnership: consultation.partnership_id,
    })
}

/// The public "you said, we did" page's content.
#[component]
pub fn YouSaidView(
    #[prop(into)] snapshot: Signal<Snapshot>,
    consultation: ConsultationId,
    /// The day the key actions' statuses are worked out for; today by default.
    #[prop(optional)]
    today: Option<IsoDate>,
) -> impl IntoView {
    let today = today.unwrap_or_else(self::today);
    let model = Memo::new(move |_| snapshot.with(|s| you_said_model(s, consultation, today)));
    move || {
        let Some(m) = model.get() else {
            return view! { <p class="body">"This consultation is not on this device."</p> }
                .into_any();
        };
        let p = m.partnership;
        let threshold = m.threshold;
        let findings = if m.findings.is_empty() {
            view! { <p class="body">"The partnership has not published what it did yet."</p> }
                .into_any()
        } else {
            view! {
                <ol class="you-said" id="you-said-findings">
                    {m.findings
                        .into_iter()
                        .map(|PublicFinding { id, finding: f, groups, priorities, actions }| view! {
                            <li class="you-said__item" data-finding-id=id.to_string()>
                                <h3 class="heading-s">"You said"</h3>
                                <p class="body">{f.text}</p>
                                <h3 class="heading-s">"We did"</h3>
                                <p class="body">
                                    {if f.action.is_empty() { "We are still deciding what to do about this.".to_owned() } else { f.action }}
                                </p>
                                {(!priorities.is_empty()).then(|| view! {
                                    <p class="body">"We made it a priority:"</p>
                                    <LinkList class="you-said__priorities" items=priorities
                                        .into_iter()
                                        .map(|(href, title, strategy)| (href, title, format!(", in {strategy}")))
                                        .collect() />
                                })}
                                {(!actions.is_empty()).then(|| view! {
                                    <p class="body">"We did: key actions"</p>
                                    <LinkList class="you-said__actions" items=actions
                                        .into_iter()
                                        .map(|(href, title, status)| (href, title, format!(" ({status})")))
                                        .collect() />
                                })}
                                {(!groups.is_empty()).then(|| view! {
                                    <p class="body">"This shaped the work of:"</p>
                                    <ul class="list you-said__groups">
                                        {groups
                                            .into_iter()
                                            .map(|(b, name)| view! {
                                                <li><a class="link" href=map_href(p, Some(b)) data-body-id=b.to_string()>{name}</a></li>
                                            })
                                            .collect_view()}
                                    </ul>
                                })}
                            </li>
                        })
                        .collect_view()}
                </ol>
            }
            .into_any()
        };
        let ranking = (!m.ranking.is_empty()).then(|| {
            view! {
                <section class="section" aria-labelledby="public-ranking-heading">
                    <h2 class="heading-m" id="public-ranking-heading">"What matters most to residents"</h2>
                    <p class="body">
                        {format!("Priorities in the order residents put them. A first choice earned the most points. Where fewer than {threshold} people chose a priority we do not give its figure, to protect their privacy.")}
                    </p>
                    <ol class="ranked-list" id="public-ranking">
                        {m.ranking
                            .into_iter()
                            .map(|r| view! {
                                <li class="ranked-list__item" data-option-key=r.key>
                                    <strong>{r.label}</strong>
                                    {match r.points {
                                        Some(points) => format!(": {points} points"),
                                        None => format!(": chosen by fewer than {threshold} people"),
                                    }}
                                </li>
                            })
                            .collect_view()}
                    </ol>
                </section>
            }
        });
        view! {
            <h1 class="heading-l">{format!("You said, we did: {}", m.title)}</h1>
            {(!m.purpose.is_empty()).then(|| view! { <p class="lead">{m.purpose.clone()}</p> })}
            <p class="body" id="you-said-total" data-count=m.responses.to_string()>
                {format!("{} took part.", crate::pages::count(m.responses, "person", "people"))}
            </p>
            <section class="section" aria-labelledby="findings-public-heading">
                <h2 class="heading-m" id="findings-public-heading">"What you told us and what we did"</h2>
                {findings}
            </section>
            {ranking}
        }
        .into_any()
    }
}

/// `/consult/:id/you-said-we-did`
#[component]
pub fn YouSaidPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<ConsultationId>("id"), snapshot, |s, id| {
        s.consultations.contains_key(id)
    });
    set_title(move || {
        let title = id
            .get()
            .and_then(|c| snapshot.with(|s| s.consultations.get(&c).map(|x| x.title.clone())))
            .unwrap_or_default();
        vec!["You said, we did".to_owned(), title]
    });
    gate(store.ready(), id, "consultation", move |c| {
        view! { <YouSaidView snapshot=snapshot consultation=c /> }
    })
}
