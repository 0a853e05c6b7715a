//! Project funds: `/partnerships/:id/funds` (the partnership's pots, latest year first, each
//! with what partners paid in, what is committed and the balance), `/funds/:id` (one pot: its
//! criteria, its contributions, its bids ranked by score with where each stands, and the
//! balance), and the forms: a pot, a contribution, a bid (scored per criterion) and the
//! decision on a bid. The rules (totals, ranking, the checks against the pot) are in
//! `atlas_shared::strategy::funds`. Managers write all of it; everyone who may read the
//! partnership sees the pots, the contributions and the awards, and members see every bid.

use atlas_shared::accounts::Access;
use atlas_shared::date::optional_date_input;
use atlas_shared::strategy::funds::{
    BidDecision, CriterionScore, FundBid, FundBidId, FundContribution, FundContributionId, FundPot,
    FundPotId, PotFigures, RankedBid, SCORE_FIELDS, bids_for, check_against_pot, contributions_to,
    criteria_input, criteria_text, format_balance, format_money, money_input, money_text,
    pot_figures, pots_of, ranked_bids, required_money_input, score_input,
};
use atlas_shared::{BodyId, EntityKind, FieldError, IsoDate, OrganisationId, PartnershipId};
use atlas_shared::{Draft, Record, Snapshot};
use leptos::prelude::*;
use uuid::Uuid;

use crate::components::{
    AtlasForm, Breadcrumbs, CheckboxGroup, Crumb, FormActions, FormErrors, Inputs, RecordSelect,
    Tag, TextArea, TextField, gate, set_title,
};
use crate::components::{FormPage, record_form_page};
use crate::data::{new_id, use_store};
use crate::pages::accounts::use_may_write;
use crate::pages::delete::{Described, delete_page};
use crate::pages::strategy::serves::ServesFields;
use crate::pages::{found, partnership_crumbs, partnership_name, use_id, use_partnership_id};

use super::action_plans::today;
use atlas_shared::order::sort_by_key;

/// A partnership's project funds.
pub fn funds_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/funds")
}

/// One pot: its contributions, bids and balance.
pub fn fund_href(id: FundPotId) -> String {
    format!("/funds/{id}")
}

pub fn contribution_href(id: FundContributionId) -> String {
    format!("/fund-contributions/{id}")
}

pub fn bid_href(id: FundBidId) -> String {
    format!("/fund-bids/{id}")
}
// This area's pages, a part of the app fetched when one is first opened (`crate::parts`).
crate::parts::part!(funds {
    staff {
        FundsPage,
        NewFundPotPage,
        FundPotPage,
        EditFundPotPage,
        DeleteFundPotPage,
        NewContributionPage,
        NewBidPage,
        EditContributionPage,
        DeleteContributionPage,
        EditBidPage,
        DecideBidPage,
        DeleteBidPage,
    },
});

/// The project funds' addresses: each page's path pattern (`atlas_shared::paths`).
pub const ROUTES: &[(&str, Page)] = &[
    ("/partnerships/:id/funds", Page::FundsPage),
    ("/partnerships/:id/funds/new", Page::NewFundPotPage),
    ("/funds/:id", Page::FundPotPage),
    ("/funds/:id/edit", Page::EditFundPotPage),
    ("/funds/:id/delete", Page::DeleteFundPotPage),
    ("/funds/:id/contributions/new", Page::NewContributionPage),
    ("/funds/:id/bids/new", Page::NewBidPage),
    ("/fund-contributions/:id/edit", Page::EditContributionPage),
    (
        "/fund-contributions/:id/delete",
        Page::DeleteContributionPage,
    ),
    ("/fund-bids/:id/edit", Page::EditBidPage),
    ("/fund-bids/:id/decision", Page::DecideBidPage),
    ("/fund-bids/:id/delete", Page::DeleteBidPage),
];

/// "Partnerships › Basingstoke and Deane LSP › Project funds", then `pot` as a link.
pub fn funds_crumbs(s: &Snapshot, p: PartnershipId, pot: Option<FundPotId>) -> Vec<Crumb> {
    let mut c = partnership_crumbs(s, p);
    c.push(Crumb::link("Project funds", funds_href(p)));
    if let Some(id) = pot
        && let Some(pot) = s.fund_pots.get(&id)
    {
        c.push(Crumb::link(pot.title(), fund_href(id)));
    }
    c
}

/// A form page inside pot `pot`'s trail, headed `heading`.
fn form_page_in(
    snapshot: Signal<Snapshot>,
    p: PartnershipId,
    pot: FundPotId,
    heading: String,
) -> FormPage {
    let mut crumbs = snapshot.with_untracked(|s| funds_crumbs(s, p, Some(pot)));
    crumbs.push(Crumb::here(heading.clone()));
    FormPage::in_section(crumbs, heading, "Project funds")
}

fn body_name(s: &Snapshot, id: BodyId) -> String {
    s.bodies.get(&id).map_or_else(
        || "A group no longer in the structure".to_owned(),
        |b| b.name.clone(),
    )
}

fn organisation_name(s: &Snapshot, id: OrganisationId) -> String {
    s.organisations.get(&id).map_or_else(
        || "An organisation no longer listed".to_owned(),
        |o| o.name.clone(),
    )
}

fn decision_tone(d: BidDecision) -> &'static str {
    match d {
        BidDecision::Approved => "green",
        BidDecision::Refused => "red",
        BidDecision::Pending => "grey",
    }
}

/// The three figures of a pot, as a summary list whose rows have ids for tests.
fn figures_view(f: PotFigures) -> impl IntoView {
    let below = f.balance < 0;
    view! {
        <dl class="summary-list fund-figures">
            <div class="summary-list__row">
                <dt class="summary-list__key">"Paid in by partners"</dt>
                <dd class="summary-list__value" id="fund-total">{format_money(f.total)}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Committed to approved bids"</dt>
                <dd class="summary-list__value" id="fund-committed">{format_money(f.committed)}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Balance"</dt>
                <dd class="summary-list__value" id="fund-balance">
                    {format_balance(f.balance)}
                    {below.then(|| view! { " " <Tag text="Overcommitted" tone="red" /> })}
                </dd>
            </div>
        </dl>
    }
}

/// The last column's heading of a table with Edit links, for those who may write.
fn change_heading(may_write: Signal<bool>) -> impl IntoView {
    view! {
        <Show when=move || may_write.get()>
            <th scope="col"><span class="visually-hidden">"Change"</span></th>
        </Show>
    }
}

/// The links of a row (label, address), each naming `what` for screen readers, for those
/// who may write.
fn change_cell(
    may_write: Signal<bool>,
    links: Vec<(&'static str, String)>,
    what: String,
) -> impl IntoView {
    view! {
        <Show when=move || may_write.get()>
            <td class="table__actions">
                {links
                    .iter()
                    .map(|(label, href)| {
                        view! {
                            <a class="link" href=href.clone()>
                                {*label}
                                <span class="visually-hidden">{format!(" {what}")}</span>
                            </a>
                            " "
                        }
                    })
                    .collect_view()}
            </td>
        </Show>
    }
}

// --- the partnership's funds ----------------------------------------------------------

/// A partnership's pots, the latest year first, with each one's money.
#[component]
pub fn FundsList(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    #[prop(into)] may_write: Signal<bool>,
) -> impl IntoView {
    let p = partnership;
    let pname = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec!["Project funds".to_owned(), pname.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = partnership_crumbs(s, p);
            c.push(Crumb::here("Project funds"));
            c
        })
    });
    let rows = Memo::new(move |_| {
        snapshot.with(|s| {
            pots_of(s, p)
                .into_iter()
                .map(|(id, pot)| {
                    let bids = bids_for(s, id).len();
                    (
                        id,
                        pot.name.clone(),
                        pot.year_label(),
                        pot_figures(s, id),
                        bids,
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let table = move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! {
                <p class="body">
                    "There is no project fund yet. Partners pay into a fund for the year; the partnership's groups bid for money from it, jointly where they can, and each bid is scored against the fund's criteria before it is decided."
                </p>
            }
            .into_any();
        }
        view! {
            <table class="table fund-table" id="funds">
                <caption class="table__caption">"Project funds, latest year first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Fund"</th>
                        <th scope="col">"Year"</th>
                        <th scope="col" class="table__numeric">"Paid in"</th>
                        <th scope="col" class="table__numeric">"Committed"</th>
                        <th scope="col" class="table__numeric">"Balance"</th>
                        <th scope="col" class="table__numeric">"Bids"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(id, name, year, f, bids)| {
                            view! {
                                <tr class="fund-row">
                                    <td>
                                        <a class="link" href=fund_href(id)>{name}</a>
                                    </td>
                                    <td>{year}</td>
                                    <td class="table__numeric">{format_money(f.total)}</td>
                                    <td class="table__numeric">{format_money(f.committed)}</td>
                                    <td class="table__numeric">{format_balance(f.balance)}</td>
                                    <td class="table__numeric">{bids}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">"Project funds"</h1>
        <p class="body lead">
            "The money partners pool for the partnership's projects, year by year: what each partner paid in, the bids the groups made for it, and what is left."
        </p>
        {table}
        <Show when=move || may_write.get()>
            <a class="button" href=format!("{}/new", funds_href(p))>
                "Add a project fund"
            </a>
        </Show>
    }
}

/// `/partnerships/:id/funds`
#[component]
pub fn FundsPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    let may_write = use_may_write(EntityKind::FundPot, pid.into());
    gate(store.ready(), pid, "partnership", move |pid| {
        view! { <FundsList snapshot=snapshot partnership=pid may_write=may_write /> }
    })
}

// --- one pot ----------------------------------------------------------------------------

/// A bid as the pot's table shows it.
#[derive(Clone, Debug, PartialEq)]
struct BidRow {
    id: FundBidId,
    rank: Option<usize>,
    group: String,
    joint: Vec<String>,
    purpose: String,
    asked: u64,
    score: Option<u32>,
    decision: BidDecision,
    /// "£10,000 on 13 July 2010 by Management Group", or the reason refused.
    outcome: String,
    /// Whether a group lead may still change it (being written: pending, not scored).
    leads_may_change: bool,
}

fn bid_rows(s: &Snapshot, pot: FundPotId) -> Vec<BidRow> {
    let bids = bids_for(s, pot);
    ranked_bids(&bids)
        .into_iter()
        .map(
            |RankedBid {
                 id,
                 bid,
                 score,
                 rank,
             }| {
                let by = bid
                    .decided_by
                    .map(|b| format!(" by {}", body_name(s, b)))
                    .unwrap_or_default();
                let on = bid
                    .decided_on
                    .map(|d| format!(" on {}", d.long()))
                    .unwrap_or_default();
                let outcome = match bid.decision {
                    BidDecision::Approved => {
                        format!("{} approved{on}{by}", format_money(bid.committed_pence()))
                    }
                    BidDecision::Refused => format!("Refused{on}{by}: {}", bid.reason),
                    BidDecision::Pending => match bid.submitted_on {
                        Some(d) => format!("Submitted on {}; no decision yet", d.long()),
                        None => "No decision yet".to_owned(),
                    },
                };
                BidRow {
                    id,
                    rank,
                    group: body_name(s, bid.body_id),
                    joint: bid
                        .joint_organisation_ids
                        .iter()
                        .map(|o| organisation_name(s, *o))
                        .collect(),
                    purpose: bid.purpose.clone(),
                    asked: bid.amount_asked_pence,
                    score,
                    decision: bid.decision,
                    outcome,
                    leads_may_change: bid.write_access() <= Access::Lead,
                }
            },
        )
        .collect()
}

/// One pot: its money, its criteria, the partners' contributions and the bids ranked by
/// score.
#[component]
pub fn FundPotDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: FundPotId,
    /// Whether the reader may change the fund (a manager).
    #[prop(into)]
    may_write: Signal<bool>,
    /// Whether the reader may add bids and change those being written (a group lead or a
    /// manager).
    #[prop(into)]
    may_bid: Signal<bool>,
) -> impl IntoView {
    let pot = Memo::new(move |_| snapshot.with(|s| s.fund_pots.get(&id).cloned()));
    let title =
        Memo::new(move |_| pot.with(|p| p.as_ref().map(FundPot::title).unwrap_or_default()));
    set_title(move || vec![title.get(), "Project funds".to_owned()]);
    let crumbs = Signal::derive(move || {
        pot.with(|p| match p {
            Some(p) => snapshot.with(|s| {
                let mut c = funds_crumbs(s, p.partnership_id, None);
                c.push(Crumb::here(title.get()));
                c
            }),
            None => Vec::new(),
        })
    });
    let figures = Memo::new(move |_| snapshot.with(|s| pot_figures(s, id)));
    let about = move || {
        let pot = pot.get()?;
        let decider = pot
            .decided_by
            .map(|b| snapshot.with(|s| body_name(s, b)))
            .map_or_else(
                || "No deciding body is named yet.".to_owned(),
                |b| format!("Bids are decided by {b}."),
            );
        let closes = pot
            .closes_on
            .map(|d| format!(" Bids close on {}.", d.long()))
            .unwrap_or_default();
        let max = pot.max_total();
        Some(view! {
            <p class="body">{format!("For April {} to March {}. {decider}{closes}", pot.year, pot.year + 1)}</p>
            {(!pot.note.is_empty()).then(|| view! { <p class="body preserve-breaks fund-note">{pot.note.clone()}</p> })}
            <section class="section" aria-labelledby="criteria-heading">
                <h2 class="heading-m" id="criteria-heading">"What bids are scored on"</h2>
                {if pot.criteria.is_empty() {
                    view! { <p class="body">"No criteria yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="list fund-criteria" id="fund-criteria">
                            {pot
                                .criteria
                                .iter()
                                .map(|c| view! { <li>{format!("{} (out of {})", c.name, c.max_score)}</li> })
                                .collect_view()}
                        </ul>
                        <p class="hint">{format!("The most a bid can score is {max}.")}</p>
                    }
                    .into_any()
                }}
            </section>
        })
    };
    let contributions = move || {
        let rows = snapshot.with(|s| {
            contributions_to(s, id)
                .into_iter()
                .map(|(cid, c)| (cid, organisation_name(s, c.organisation_id), c.clone()))
                .collect::<Vec<_>>()
        });
        if rows.is_empty() {
            return view! { <p class="body">"No partner has paid in yet."</p> }.into_any();
        }
        view! {
            <table class="table fund-table" id="fund-contributions">
                <caption class="table__caption">"Contributions by partner, earliest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Date"</th>
                        <th scope="col" class="table__numeric">"Amount"</th>
                        <th scope="col">"Note"</th>
                        {change_heading(may_write)}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(cid, partner, c)| {
                            let href = contribution_href(cid);
                            let name = partner.clone();
                            view! {
                                <tr class="fund-contribution">
                                    <td>{partner}</td>
                                    <td>{c.on.long()}</td>
                                    <td class="table__numeric">{format_money(c.amount_pence)}</td>
                                    <td>{c.note}</td>
                                    {change_cell(may_write, vec![("Edit", format!("{href}/edit"))], format!("the contribution of {name}"))}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let bids = move || {
        let rows = snapshot.with(|s| bid_rows(s, id));
        let max = pot.with(|p| p.as_ref().map(FundPot::max_total).unwrap_or(0));
        if rows.is_empty() {
            return view! { <p class="body">"No bids yet."</p> }.into_any();
        }
        let (manages, bids) = (may_write.get(), may_bid.get());
        let column = Signal::derive(move || bids);
        view! {
            <table class="table fund-table" id="fund-bids">
                <caption class="table__caption">"Bids ranked by score, highest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Rank"</th>
                        <th scope="col">"Bid"</th>
                        <th scope="col" class="table__numeric">"Asked for"</th>
                        <th scope="col" class="table__numeric">"Score"</th>
                        <th scope="col">"Decision"</th>
                        {change_heading(column)}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let href = bid_href(r.id);
                            let name = r.group.clone();
                            view! {
                                <tr class="fund-bid" id=format!("bid-{}", r.id) data-decision=r.decision.as_key()>
                                    <td>{r.rank.map_or_else(|| "Not scored".to_owned(), |n| n.to_string())}</td>
                                    <td>
                                        <span class="fund-bid__group">{r.group}</span>
                                        <span class="hint">{r.purpose}</span>
                                        {(!r.joint.is_empty())
                                            .then(|| view! { <span class="hint">{format!("Jointly with {}", r.joint.join(", "))}</span> })}
                                    </td>
                                    <td class="table__numeric">{format_money(r.asked)}</td>
                                    <td class="table__numeric">
                                        {r.score.map_or_else(|| "–".to_owned(), |s| format!("{s} of {max}"))}
                                    </td>
                                    <td>
                                        <Tag text=r.decision.label() tone=decision_tone(r.decision) />
                                        <span class="hint">{r.outcome}</span>
                                    </td>
                                    {change_cell(
                                        column,
                                        if manages {
                                            vec![("Decide", format!("{href}/decision")), ("Edit", format!("{href}/edit"))]
                                        } else if r.leads_may_change {
                                            vec![("Edit", format!("{href}/edit"))]
                                        } else {
                                            Vec::new()
                                        },
                                        format!("the bid of {name}"),
                                    )}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let href = fund_href(id);
    let new_bid = format!("{href}/bids/new");
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">{move || title.get()}</h1>
        {about}
        <section class="section" aria-labelledby="money-heading">
            <h2 class="heading-m" id="money-heading">"The money"</h2>
            {move || figures_view(figures.get())}
        </section>
        <section class="section" aria-labelledby="contributions-heading">
            <h2 class="heading-m" id="contributions-heading">"Contributions"</h2>
            {contributions}
        </section>
        <section class="section" aria-labelledby="bids-heading">
            <h2 class="heading-m" id="bids-heading">"Bids"</h2>
            {bids}
        </section>
        <Show when=move || may_bid.get() && !may_write.get()>
            <p class="body" id="bid-rule">
                "Group leads add their groups' bids and change them until they are scored. The partnership's managers score them and record the decision."
            </p>
            <div class="button-group">
                <a class="button" href=new_bid.clone()>"Add a bid"</a>
            </div>
        </Show>
        <Show when=move || may_write.get()>
            <div class="button-group">
                <a class="button" href=format!("{href}/bids/new")>"Add a bid"</a>
                <a class="button button--secondary" href=format!("{href}/contributions/new")>
                    "Add a contribution"
                </a>
                <a class="button button--secondary" href=format!("{href}/edit")>"Edit fund"</a>
                <a class="button button--warning" href=format!("{href}/delete")>"Delete fund"</a>
            </div>
        </Show>
    }
}

fn use_pot_id(snapshot: Signal<Snapshot>) -> Memo<Option<FundPotId>> {
    found(use_id("id"), snapshot, |s, id| s.fund_pots.contains_key(id))
}

/// `/funds/:id`
#[component]
pub fn FundPotPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_pot_id(snapshot);
    let p = Signal::derive(move || {
        let id = id.get()?;
        snapshot.with(|s| s.fund_pots.get(&id).map(|p| p.partnership_id))
    });
    let may_write = use_may_write(EntityKind::FundPot, p);
    let may_bid = use_may_write(EntityKind::FundBid, p);
    gate(store.ready(), id, "project fund", move |id| {
        view! { <FundPotDetail snapshot=snapshot id=id may_write=may_write may_bid=may_bid /> }
    })
}

// --- the pot's form ---------------------------------------------------------------------

const POT_FIELDS: &[&str] = &[
    "name",
    "year",
    "decided_by",
    "criteria",
    "closes_on",
    "note",
];

/// The fields of a pot.
#[component]
pub fn FundPotForm(
    #[prop(into)] snapshot: Signal<Snapshot>,
    initial: FundPot,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<FundPot>,
) -> impl IntoView {
    let p = initial.partnership_id;
    let mut bodies = vec![(String::new(), "Not named yet".to_owned())];
    bodies.extend(snapshot.with_untracked(|s| {
        s.bodies_of(p)
            .into_iter()
            .map(|(id, b)| (id.to_string(), b.name.clone()))
            .collect::<Vec<_>>()
    }));
    let name = RwSignal::new(initial.name.clone());
    let year = RwSignal::new(initial.year.to_string());
    let decided_by = RwSignal::new(
        initial
            .decided_by
            .map(|b| b.to_string())
            .unwrap_or_default(),
    );
    let criteria = RwSignal::new(criteria_text(&initial.criteria));
    let closes_on = RwSignal::new(initial.closes_on.map(|d| d.to_string()).unwrap_or_default());
    let note = RwSignal::new(initial.note.clone());
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let year = inputs.take(year.get_untracked().trim().parse::<u32>().map_err(|_| {
            FieldError::new(
                "year",
                "Enter the year the fund starts as a whole number, for example 2010 for 2010/11",
            )
        }));
        let criteria = inputs.take(criteria_input("criteria", &criteria.get_untracked()));
        let closes = inputs.take(optional_date_input(
            "closes_on",
            &closes_on.get_untracked(),
            "the closing date for bids",
        ));
        let pot = FundPot {
            partnership_id: p,
            name: name.get_untracked().trim().to_owned(),
            year: year.unwrap_or(initial.year),
            decided_by: decided_by.get_untracked().parse::<BodyId>().ok(),
            criteria: criteria.unwrap_or_default(),
            closes_on: closes.flatten(),
            note: note.get_untracked(),
        };
        if let Some(found) = inputs.refused(&pot, POT_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(pot)
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField id="name" label="Name of the fund" hint="For example LSP project fund" value=name errors=errors />
            <TextField id="year" label="Year it starts" hint="The financial year, April to March: 2010 for 2010/11" value=year errors=errors inputmode="numeric" width="input--width-5" />
            <RecordSelect id="decided_by" label="Body that decides on bids" options=bodies value=decided_by errors=errors />
            <TextArea id="criteria" label="Scoring criteria" hint="One a line: the criterion, a colon, and the most it scores. For example “Value for money: 5”" value=criteria errors=errors rows=4 />
            <TextField id="closes_on" label="Closing date for bids (optional)" value=closes_on errors=errors input_type="date" width="input--date" />
            <TextArea id="note" label="Note (optional)" value=note errors=errors rows=3 />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// `/partnerships/:id/funds/new`
#[component]
pub fn NewFundPotPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |p| {
        let this = today();
        // April to March: before April, the year that started last April.
        let year = if this.month() < 4 {
            this.year().saturating_sub(1)
        } else {
            this.year()
        };
        let initial = FundPot {
            partnership_id: p,
            name: String::new(),
            year,
            decided_by: None,
            criteria: Vec::new(),
            closes_on: None,
            note: String::new(),
        };
        let id = FundPotId(new_id());
        let mut crumbs = snapshot.with_untracked(|s| funds_crumbs(s, p, None));
        crumbs.push(Crumb::here("Add a project fund"));
        let page = FormPage::in_section(crumbs, "Add a project fund".to_owned(), "Project funds");
        let to_save = move |pot: FundPot| (Draft::of(pot), fund_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <FundPotForm
                    snapshot=snapshot
                    initial=initial
                    errors=errors
                    submit_label="Add project fund"
                    cancel_href=funds_href(p)
                    on_submit=on_submit
                />
            }
        })
    })
}

/// `/funds/:id/edit`
#[component]
pub fn EditFundPotPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_pot_id(snapshot);
    gate(store.ready(), id, "project fund", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.fund_pots.get(&id).cloned()) else {
            return ().into_any();
        };
        let heading = format!("Edit “{}”", initial.title());
        let page = form_page_in(snapshot, initial.partnership_id, id, heading);
        let to_save = move |pot: FundPot| (Draft::of(pot), fund_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <FundPotForm
                    snapshot=snapshot
                    initial=initial
                    errors=errors
                    submit_label="Save changes"
                    cancel_href=fund_href(id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}

// --- contributions ----------------------------------------------------------------------

const CONTRIBUTION_FIELDS: &[&str] = &["organisation_id", "amount_pence", "on", "note"];

/// The fields of a contribution.
#[component]
pub fn ContributionForm(
    #[prop(into)] snapshot: Signal<Snapshot>,
    initial: FundContribution,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<FundContribution>,
) -> impl IntoView {
    let p = initial.partnership_id;
    let partners: Vec<(String, String)> = snapshot.with_untracked(|s| {
        s.organisations_of(p)
            .into_iter()
            .map(|(id, o)| (id.to_string(), o.name.clone()))
            .collect()
    });
    let organisation = RwSignal::new(initial.organisation_id.to_string());
    let amount = RwSignal::new(if initial.amount_pence == 0 {
        String::new()
    } else {
        money_text(initial.amount_pence)
    });
    let on = RwSignal::new(initial.on.to_string());
    let note = RwSignal::new(initial.note.clone());
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let organisation_id = inputs.take(
            organisation
                .get_untracked()
                .parse::<OrganisationId>()
                .map_err(|_| FieldError::new("organisation_id", "Choose the partner paying in")),
        );
        let pence = inputs.take(required_money_input(
            "amount_pence",
            &amount.get_untracked(),
            "the amount",
        ));
        let on = inputs.take(
            optional_date_input("on", &on.get_untracked(), "the date").and_then(|d| {
                d.ok_or_else(|| FieldError::new("on", "Enter the date it was paid or agreed"))
            }),
        );
        let contribution = FundContribution {
            organisation_id: organisation_id.unwrap_or(initial.organisation_id),
            // A stand-in that passes the rules when the amount could not be read.
            amount_pence: pence.unwrap_or(1),
            on: on.unwrap_or(initial.on),
            note: note.get_untracked(),
            ..initial.clone()
        };
        if let Some(found) = inputs.refused(&contribution, CONTRIBUTION_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(contribution)
    };
    view! {
        <AtlasForm on_submit=submit>
            <RecordSelect id="organisation_id" label="Partner" hint="The organisation paying in" options=partners value=organisation errors=errors />
            <TextField id="amount_pence" label="Amount" hint="In pounds, for example £20,000 or £1,250.50" value=amount errors=errors inputmode="decimal" width="input--money" />
            <TextField id="on" label="Date" hint="When it was paid or agreed" value=on errors=errors input_type="date" width="input--date" />
            <TextArea id="note" label="Note (optional)" value=note errors=errors rows=2 />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// `/funds/:id/contributions/new`
#[component]
pub fn NewContributionPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pot_id = use_pot_id(snapshot);
    gate(store.ready(), pot_id, "project fund", move |pot_id| {
        let Some(pot) = snapshot.with_untracked(|s| s.fund_pots.get(&pot_id).cloned()) else {
            return ().into_any();
        };
        let p = pot.partnership_id;
        let Some(first) = snapshot.with_untracked(|s| s.organisations_of(p).first().map(|o| o.0))
        else {
            return view! {
                <p class="body">"Add the partnership's organisations first: a contribution comes from a partner."</p>
            }
            .into_any();
        };
        let initial = FundContribution {
            partnership_id: p,
            pot_id,
            organisation_id: first,
            amount_pence: 0,
            on: IsoDate::new(pot.year, 4, 1).unwrap_or_else(today),
            note: String::new(),
        };
        let page = form_page_in(snapshot, p, pot_id, "Add a contribution".to_owned());
        let to_save = move |c: FundContribution| (Draft::of(c), fund_href(pot_id));
        record_form_page(page, new_id(), to_save, move |errors, on_submit| {
            view! {
                <ContributionForm
                    snapshot=snapshot
                    initial=initial
                    errors=errors
                    submit_label="Add contribution"
                    cancel_href=fund_href(pot_id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}

/// `/fund-contributions/:id/edit`
#[component]
pub fn EditContributionPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<FundContributionId>("id"), snapshot, |s, id| {
        s.fund_contributions.contains_key(id)
    });
    gate(store.ready(), id, "contribution", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.fund_contributions.get(&id).cloned())
        else {
            return ().into_any();
        };
        let pot_id = initial.pot_id;
        let heading = "Edit the contribution".to_owned();
        let page = form_page_in(snapshot, initial.partnership_id, pot_id, heading);
        let to_save = move |c: FundContribution| (Draft::of(c), fund_href(pot_id));
        view! {
            {record_form_page(page, id.0, to_save, move |errors, on_submit| {
                view! {
                    <ContributionForm
                        snapshot=snapshot
                        initial=initial
                        errors=errors
                        submit_label="Save changes"
                        cancel_href=fund_href(pot_id)
                        on_submit=on_submit
                    />
                }
            })}
            <p class="body">
                <a class="link" href=format!("{}/delete", contribution_href(id))>
                    "Delete this contribution"
                </a>
            </p>
        }
        .into_any()
    })
}

// --- bids -------------------------------------------------------------------------------

const BID_FIELDS: &[&str] = &[
    "body_id",
    "joint_organisation_ids",
    "amount_asked_pence",
    "purpose",
    "submitted_on",
    "scores",
    "score_1",
    "score_2",
    "score_3",
    "score_4",
    "score_5",
    "score_6",
    "score_7",
    "score_8",
    "score_9",
    "score_10",
    "decision",
    "amount_approved_pence",
    "decided_on",
    "decided_by",
    "reason",
];

/// `bid`'s problems as a form shows them: its own rules, then those against its pot, each
/// field once.
fn refused_bid(s: &Snapshot, id: FundBidId, inputs: Inputs, bid: &FundBid) -> Option<FormErrors> {
    let against = s
        .fund_pots
        .get(&bid.pot_id)
        .map(|pot| check_against_pot(s, Some(id), bid, pot))
        .unwrap_or_default();
    let mut found = inputs.refused(bid, BID_FIELDS).unwrap_or_default();
    for e in against {
        if !found.fields.iter().any(|f| f.field == e.field) {
            found.fields.push(e);
        }
    }
    sort_by_key(&mut found.fields, |e| {
        BID_FIELDS
            .iter()
            .position(|f| *f == e.field)
            .unwrap_or(usize::MAX)
    });
    (!found.is_empty()).then_some(found)
}

/// The fields of a bid: who bids, for how much, for what, and its score on each of the pot's
/// criteria. The decision has its own form ([`DecisionForm`]).
#[component]
pub fn BidForm(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: FundBidId,
    initial: FundBid,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<FundBid>,
    /// Whether the person scores bids (a manager); a group lead's form leaves the scores as
    /// they were and says who gives them.
    may_score: bool,
) -> impl IntoView {
    let p = initial.partnership_id;
    let (groups, partners, criteria) = snapshot.with_untracked(|s| {
        let groups: Vec<(String, String)> = s
            .bodies_of(p)
            .into_iter()
            .map(|(id, b)| (id.to_string(), b.name.clone()))
            .collect();
        let partners: Vec<(String, String)> = s
            .organisations_of(p)
            .into_iter()
            .map(|(id, o)| (id.to_string(), o.name.clone()))
            .collect();
        let criteria = s
            .fund_pots
            .get(&initial.pot_id)
            .map(|pot| pot.criteria.clone())
            .unwrap_or_default();
        (groups, partners, criteria)
    });
    let body = RwSignal::new(initial.body_id.to_string());
    let joint = RwSignal::new(
        initial
            .joint_organisation_ids
            .iter()
            .map(|o| o.to_string())
            .collect::<Vec<_>>(),
    );
    let asked = RwSignal::new(if initial.amount_asked_pence == 0 {
        String::new()
    } else {
        money_text(initial.amount_asked_pence)
    });
    let purpose = RwSignal::new(initial.purpose.clone());
    let priorities = RwSignal::new(initial.priority_ids.clone());
    let targets = RwSignal::new(initial.target_ids.clone());
    let submitted_on = RwSignal::new(
        initial
            .submitted_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    // One field per criterion, holding what was typed.
    let scores: Vec<(&'static str, String, RwSignal<String>)> = criteria
        .iter()
        .zip(SCORE_FIELDS)
        .map(|(c, field)| {
            let typed = initial
                .scores
                .iter()
                .find(|s| s.criterion == c.name)
                .map(|s| s.score.to_string())
                .unwrap_or_default();
            (field, c.name.clone(), RwSignal::new(typed))
        })
        .collect();
    let score_fields = scores.clone();
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let body_id = inputs.take(
            body.get_untracked()
                .parse::<BodyId>()
                .map_err(|_| FieldError::new("body_id", "Choose the group bidding")),
        );
        let asked = inputs.take(required_money_input(
            "amount_asked_pence",
            &asked.get_untracked(),
            "the amount asked for",
        ));
        let submitted = inputs.take(optional_date_input(
            "submitted_on",
            &submitted_on.get_untracked(),
            "the date it was submitted",
        ));
        let mut typed_scores = if may_score {
            Vec::new()
        } else {
            initial.scores.clone()
        };
        for (field, criterion, value) in score_fields.iter().filter(|_| may_score) {
            if let Some(Some(score)) =
                inputs.take(score_input(field, &value.get_untracked(), criterion))
            {
                typed_scores.push(CriterionScore {
                    criterion: criterion.clone(),
                    score,
                });
            }
        }
        let bid = FundBid {
            body_id: body_id.unwrap_or(initial.body_id),
            joint_organisation_ids: joint
                .get_untracked()
                .iter()
                .filter_map(|o| o.parse().ok())
                .collect(),
            // A stand-in that passes the rules when the amount could not be read.
            amount_asked_pence: asked.unwrap_or(1),
            purpose: purpose.get_untracked().trim().to_owned(),
            priority_ids: priorities.get_untracked(),
            target_ids: targets.get_untracked(),
            submitted_on: submitted.flatten(),
            scores: typed_scores,
            ..initial.clone()
        };
        if let Some(found) = snapshot.with_untracked(|s| refused_bid(s, id, inputs, &bid)) {
            errors.set(found);
            return;
        }
        on_submit.run(bid)
    };
    let score_inputs = scores
        .into_iter()
        .map(|(field, criterion, value)| {
            let max = criteria
                .iter()
                .find(|c| c.name == criterion)
                .map_or(0, |c| c.max_score);
            view! {
                <TextField id=field label=format!("Score for “{criterion}” (optional)") hint=format!("A whole number from 0 to {max}") value=value errors=errors inputmode="numeric" width="input--score" />
            }
        })
        .collect_view();
    let no_criteria = criteria.is_empty();
    view! {
        <AtlasForm on_submit=submit>
            <RecordSelect id="body_id" label="Group bidding" options=groups value=body errors=errors />
            <CheckboxGroup id="joint_organisation_ids" legend="Partners bidding jointly (optional)" hint="Tick each organisation that shares the bid" options=partners value=joint errors=errors />
            <TextField id="amount_asked_pence" label="Amount asked for" hint="In pounds, for example £12,000" value=asked errors=errors inputmode="decimal" width="input--money" />
            <TextField id="purpose" label="What the money is for" value=purpose errors=errors />
            <ServesFields
                snapshot=snapshot
                partnership=p
                priority_hint="The priorities the money would serve."
                target_hint="The targets the money would move."
                priorities=priorities
                targets=targets
            />
            <TextField id="submitted_on" label="Date submitted (optional)" value=submitted_on errors=errors input_type="date" width="input--date" />
            <fieldset class="fieldset" id="scores" tabindex="-1">
                <legend class="fieldset__legend">"Scores"</legend>
                {if !may_score {
                    view! { <p class="hint" id="scores-by-managers">"The partnership's managers score each bid on the fund's criteria once it is in. Until then, the group can change it here."</p> }.into_any()
                } else if no_criteria {
                    view! { <p class="hint">"The fund has no criteria to score against yet: add them to the fund first."</p> }.into_any()
                } else {
                    view! { <p class="hint">"Score the bid on each of the fund's criteria. Leave a score empty until it is scored."</p> }.into_any()
                }}
                {may_score.then_some(score_inputs)}
            </fieldset>
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// The decision on a bid: pending, approved (with the amount, no more than asked nor than
/// the pot's balance) or refused (with the reason), the date and the body that decided.
#[component]
pub fn DecisionForm(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: FundBidId,
    initial: FundBid,
    errors: RwSignal<FormErrors>,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<FundBid>,
) -> impl IntoView {
    let p = initial.partnership_id;
    let (bodies, default_body) = snapshot.with_untracked(|s| {
        let bodies: Vec<(String, String)> = s
            .bodies_of(p)
            .into_iter()
            .map(|(id, b)| (id.to_string(), b.name.clone()))
            .collect();
        let default = s
            .fund_pots
            .get(&initial.pot_id)
            .and_then(|pot| pot.decided_by);
        (bodies, default)
    });
    let decisions: Vec<(String, String)> = BidDecision::ALL
        .iter()
        .map(|d| (d.as_key(), d.label().to_owned()))
        .collect();
    let decision = RwSignal::new(initial.decision.as_key());
    let approved = RwSignal::new(
        initial
            .amount_approved_pence
            .map(money_text)
            .unwrap_or_default(),
    );
    let decided_on = RwSignal::new(
        initial
            .decided_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let decided_by = RwSignal::new(
        initial
            .decided_by
            .or(default_body)
            .map(|b| b.to_string())
            .unwrap_or_default(),
    );
    let asked = format_money(initial.amount_asked_pence);
    let balance = snapshot.with_untracked(|s| {
        let f = pot_figures(s, initial.pot_id);
        format_balance(f.balance + i128::from(initial.committed_pence()))
    });
    let reason = RwSignal::new(initial.reason.clone());
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let chosen = BidDecision::from_key(&decision.get_untracked()).unwrap_or(initial.decision);
        let amount = inputs.take(money_input(
            "amount_approved_pence",
            &approved.get_untracked(),
            "the amount approved",
        ));
        let on = inputs.take(optional_date_input(
            "decided_on",
            &decided_on.get_untracked(),
            "the date of the decision",
        ));
        let decided = chosen != BidDecision::Pending;
        let bid = FundBid {
            decision: chosen,
            amount_approved_pence: amount.flatten(),
            decided_on: on.flatten(),
            decided_by: decided
                .then(|| decided_by.get_untracked().parse::<BodyId>().ok())
                .flatten(),
            reason: reason.get_untracked(),
            ..initial.clone()
        };
        if let Some(found) = snapshot.with_untracked(|s| refused_bid(s, id, inputs, &bid)) {
            errors.set(found);
            return;
        }
        on_submit.run(bid)
    };
    view! {
        <p class="body" id="decision-context">
            {format!("Asked for {asked}. Left in the fund for this bid: {balance}.")}
        </p>
        <AtlasForm on_submit=submit>
            <RecordSelect id="decision" label="Decision" options=decisions value=decision errors=errors />
            <TextField id="amount_approved_pence" label="Amount approved" hint="Only when approved: no more than the amount asked for, nor the fund's balance" value=approved errors=errors inputmode="decimal" width="input--money" />
            <TextField id="decided_on" label="Date of the decision" hint="Leave empty while it is pending" value=decided_on errors=errors input_type="date" width="input--date" />
            <RecordSelect id="decided_by" label="Decided by" options=bodies value=decided_by errors=errors />
            <TextArea id="reason" label="Reason" hint="Needed when the bid is refused" value=reason errors=errors rows=3 />
            <FormActions submit_label="Save decision" cancel_href=cancel_href />
        </AtlasForm>
    }
}

fn bid_heading(s: &Snapshot, bid: &FundBid) -> String {
    format!("{}: {}", body_name(s, bid.body_id), bid.purpose)
}

/// `/funds/:id/bids/new`
#[component]
pub fn NewBidPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pot_id = use_pot_id(snapshot);
    gate(store.ready(), pot_id, "project fund", move |pot_id| {
        let Some(pot) = snapshot.with_untracked(|s| s.fund_pots.get(&pot_id).cloned()) else {
            return ().into_any();
        };
        let p = pot.partnership_id;
        let Some(first) = snapshot.with_untracked(|s| {
            s.bodies_of(p)
                .into_iter()
                .find(|(_, b)| b.kind == atlas_shared::BodyKind::PriorityActionGroup)
                .or_else(|| s.bodies_of(p).into_iter().next())
                .map(|(id, _)| id)
        }) else {
            return view! {
                <p class="body">"Add the partnership's groups first: a bid comes from a group."</p>
            }
            .into_any();
        };
        let id = FundBidId(new_id());
        let may_score = store.principal().with_untracked(|pr| pr.manages(p));
        let initial = FundBid {
            partnership_id: p,
            pot_id,
            body_id: first,
            joint_organisation_ids: Vec::new(),
            amount_asked_pence: 0,
            purpose: String::new(),
            priority_ids: Vec::new(),
            target_ids: Vec::new(),
            submitted_on: Some(today()),
            scores: Vec::new(),
            decision: BidDecision::Pending,
            amount_approved_pence: None,
            decided_on: None,
            decided_by: None,
            reason: String::new(),
        };
        let page = form_page_in(snapshot, p, pot_id, "Add a bid".to_owned());
        let to_save = move |b: FundBid| (Draft::of(b), fund_href(pot_id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <BidForm
                    snapshot=snapshot
                    id=id
                    initial=initial
                    errors=errors
                    submit_label="Add bid"
                    cancel_href=fund_href(pot_id)
                    on_submit=on_submit
                    may_score=may_score
                />
            }
        })
        .into_any()
    })
}

fn use_bid_id(snapshot: Signal<Snapshot>) -> Memo<Option<FundBidId>> {
    found(use_id("id"), snapshot, |s, id| s.fund_bids.contains_key(id))
}

/// `/fund-bids/:id/edit`
#[component]
pub fn EditBidPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_bid_id(snapshot);
    gate(store.ready(), id, "bid", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.fund_bids.get(&id).cloned()) else {
            return ().into_any();
        };
        let pot_id = initial.pot_id;
        let heading = format!(
            "Edit the bid “{}”",
            snapshot.with_untracked(|s| bid_heading(s, &initial))
        );
        let may_score = store
            .principal()
            .with_untracked(|pr| pr.manages(initial.partnership_id));
        if !may_score && initial.write_access() > Access::Lead {
            let FormPage {
                crumbs,
                heading,
                title,
            } = form_page_in(snapshot, initial.partnership_id, pot_id, heading);
            set_title(move || title.clone());
            return view! {
                <Breadcrumbs crumbs=crumbs />
                <h1 class="heading-l">{heading}</h1>
                <p class="body" id="bid-closed">
                    "This bid has been scored or decided, so only the partnership's managers can change it now. Ask one of them if something in it needs to change."
                </p>
                <p class="body"><a class="link" href=fund_href(pot_id)>"Back to the fund"</a></p>
            }
            .into_any();
        }
        let page = form_page_in(snapshot, initial.partnership_id, pot_id, heading);
        let to_save = move |b: FundBid| (Draft::of(b), fund_href(pot_id));
        view! {
            {record_form_page(page, id.0, to_save, move |errors, on_submit| {
                view! {
                    <BidForm
                        snapshot=snapshot
                        id=id
                        initial=initial
                        errors=errors
                        submit_label="Save changes"
                        cancel_href=fund_href(pot_id)
                        on_submit=on_submit
                        may_score=may_score
                    />
                }
            })}
            <p class="body">
                <a class="link" href=format!("{}/delete", bid_href(id))>"Delete this bid"</a>
            </p>
        }
        .into_any()
    })
}

/// `/fund-bids/:id/decision`
#[component]
pub fn DecideBidPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_bid_id(snapshot);
    gate(store.ready(), id, "bid", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.fund_bids.get(&id).cloned()) else {
            return ().into_any();
        };
        let pot_id = initial.pot_id;
        let heading = format!(
            "Decide on the bid “{}”",
            snapshot.with_untracked(|s| bid_heading(s, &initial))
        );
        let page = form_page_in(snapshot, initial.partnership_id, pot_id, heading);
        let to_save = move |b: FundBid| (Draft::of(b), fund_href(pot_id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <DecisionForm
                    snapshot=snapshot
                    id=id
                    initial=initial
                    errors=errors
                    cancel_href=fund_href(pot_id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}

// --- deleting ---------------------------------------------------------------------------

/// How the delete page describes a project-fund record; `None` for other kinds.
pub fn delete_target(s: &Snapshot, kind: EntityKind, id: Uuid) -> Option<Described> {
    Some(match kind {
        EntityKind::FundPot => {
            let pid = FundPotId(id);
            let pot = s.fund_pots.get(&pid)?;
            (
                format!("the project fund “{}”", pot.title()),
                fund_href(pid),
                funds_href(pot.partnership_id),
                funds_crumbs(s, pot.partnership_id, Some(pid)),
            )
        }
        EntityKind::FundContribution => {
            let c = s.fund_contributions.get(&FundContributionId(id))?;
            (
                format!(
                    "the contribution of {} by {}",
                    format_money(c.amount_pence),
                    organisation_name(s, c.organisation_id)
                ),
                fund_href(c.pot_id),
                fund_href(c.pot_id),
                funds_crumbs(s, c.partnership_id, Some(c.pot_id)),
            )
        }
        EntityKind::FundBid => {
            let b = s.fund_bids.get(&FundBidId(id))?;
            (
                format!("the bid “{}”", bid_heading(s, b)),
                fund_href(b.pot_id),
                fund_href(b.pot_id),
                funds_crumbs(s, b.partnership_id, Some(b.pot_id)),
            )
        }
        _ => return None,
    })
}

/// `/funds/:id/delete`
#[component]
pub fn DeleteFundPotPage() -> impl IntoView {
    delete_page(EntityKind::FundPot)
}

/// `/fund-contributions/:id/delete`
#[component]
pub fn DeleteContributionPage() -> impl IntoView {
    delete_page(EntityKind::FundContribution)
}

/// `/fund-bids/:id/delete`
#[component]
pub fn DeleteBidPage() -> impl IntoView {
    delete_page(EntityKind::FundBid)
}
