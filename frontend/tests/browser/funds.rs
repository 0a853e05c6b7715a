//! Project funds in a real browser: a partnership's funds with each one's money, a fund's
//! page with its contributions and its bids ranked by score (the decision in words, not
//! colour alone), what a reader who may not write is offered, and the bid and decision forms,
//! which refuse a score above its criterion's maximum, a decimal comma and an award above the
//! fund's balance, keeping what was typed. Each test mounts one view with a hand-built
//! `Snapshot`: Basingstoke and Deane's structure (seed 003) with illustrative figures.

use atlas_frontend::components::FormErrors;
use atlas_frontend::pages::strategy::funds::{BidForm, DecisionForm, FundPotDetail, FundsList};
use atlas_shared::seeds::fixture_id as id;
use atlas_shared::strategy::funds::{Criterion, CriterionScore};
use atlas_shared::strategy::{
    BidDecision, Figure, Frequency, FundBid, FundBidId, FundContribution, FundContributionId,
    FundPot, FundPotId, Polarity, Priority, PriorityId, Strategy, StrategyId, StrategyStatus,
    Target, TargetId,
};
use atlas_shared::{
    Body, BodyId, BodyKind, IsoDate, Organisation, OrganisationId, Partnership, PartnershipId,
    Sector, Snapshot,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::common::*;

const P: u16 = 1;
const GROUP: u16 = 2;
const SAFETY: u16 = 3;
const HOUSING: u16 = 4;
const BOROUGH: u16 = 5;
const COUNTY: u16 = 6;
const POT: u16 = 10;
const AWARD: u16 = 20;
const WAITING: u16 = 21;
const STRATEGY: u16 = 50;
const SAFER: u16 = 51;
const CRIME: u16 = 52;

fn pid() -> PartnershipId {
    PartnershipId(id(P))
}

fn pot_id() -> FundPotId {
    FundPotId(id(POT))
}

fn bid(body: u16, asked: u64, scores: [u32; 2]) -> FundBid {
    FundBid {
        partnership_id: pid(),
        pot_id: pot_id(),
        body_id: BodyId(id(body)),
        joint_organisation_ids: vec![OrganisationId(id(COUNTY))],
        amount_asked_pence: asked * 100,
        purpose: "Illustrative: a youth diversion scheme".into(),
        priority_ids: Vec::new(),
        target_ids: Vec::new(),
        submitted_on: Some(IsoDate::known(2010, 6, 25)),
        scores: ["Serves the SCS priorities", "Joint bid"]
            .into_iter()
            .zip(scores)
            .map(|(c, score)| CriterionScore {
                criterion: c.into(),
                score,
            })
            .collect(),
        decision: BidDecision::Pending,
        amount_approved_pence: None,
        decided_on: None,
        decided_by: None,
        reason: String::new(),
    }
}

fn fixture() -> Snapshot {
    let mut s = Snapshot::default();
    s.partnerships.insert(
        pid(),
        Partnership {
            name: "Basingstoke and Deane LSP".into(),
            area: "Basingstoke and Deane".into(),
            description: String::new(),
            published: true,
            archived: false,
        },
    );
    for (n, name, kind) in [
        (GROUP, "Management Group", BodyKind::ManagementGroup),
        (SAFETY, "Community Safety", BodyKind::PriorityActionGroup),
        (HOUSING, "Housing", BodyKind::PriorityActionGroup),
    ] {
        s.bodies.insert(
            BodyId(id(n)),
            Body {
                partnership_id: pid(),
                name: name.into(),
                kind,
                terms_of_reference: String::new(),
            },
        );
    }
    for (n, name) in [
        (BOROUGH, "Basingstoke and Deane Borough Council"),
        (COUNTY, "Hampshire County Council"),
    ] {
        s.organisations.insert(
            OrganisationId(id(n)),
            Organisation {
                partnership_id: pid(),
                name: name.into(),
                sector: Sector::Public,
                named_partner: true,
                description: String::new(),
            },
        );
    }
    s.fund_pots.insert(
        pot_id(),
        FundPot {
            partnership_id: pid(),
            name: "LSP project fund".into(),
            year: 2010,
            decided_by: Some(BodyId(id(GROUP))),
            criteria: vec![
                Criterion {
                    name: "Serves the SCS priorities".into(),
                    max_score: 10,
                },
                Criterion {
                    name: "Joint bid".into(),
                    max_score: 5,
                },
            ],
            closes_on: Some(IsoDate::known(2010, 6, 30)),
            note: "Illustrative figures".into(),
        },
    );
    for (n, org, pounds) in [(30, BOROUGH, 20_000), (31, COUNTY, 15_000)] {
        s.fund_contributions.insert(
            FundContributionId(id(n)),
            FundContribution {
                partnership_id: pid(),
                pot_id: pot_id(),
                organisation_id: OrganisationId(id(org)),
                amount_pence: pounds * 100,
                on: IsoDate::known(2010, 4, 1),
                note: "Illustrative figure".into(),
            },
        );
    }
    let mut award = bid(SAFETY, 12_000, [9, 5]);
    award.decision = BidDecision::Approved;
    award.amount_approved_pence = Some(1_000_000);
    award.decided_on = Some(IsoDate::known(2010, 7, 13));
    award.decided_by = Some(BodyId(id(GROUP)));
    s.fund_bids.insert(FundBidId(id(AWARD)), award);
    s.fund_bids
        .insert(FundBidId(id(WAITING)), bid(HOUSING, 30_000, [8, 5]));
    strategy_of(&mut s);
    s
}

/// Basingstoke and Deane's strategy with one priority and its one target, illustrative.
fn strategy_of(s: &mut Snapshot) {
    s.strategies.insert(
        StrategyId(id(STRATEGY)),
        Strategy {
            partnership_id: pid(),
            title: "Basingstoke and Deane Sustainable Community Strategy".into(),
            first_year: 2008,
            last_year: 2011,
            vision: String::new(),
            status: StrategyStatus::Adopted,
            drafted_on: None,
            pre_scrutiny_on: None,
            adopted_on: None,
            superseded_on: None,
        },
    );
    s.priorities.insert(
        PriorityId(id(SAFER)),
        Priority {
            partnership_id: pid(),
            strategy_id: StrategyId(id(STRATEGY)),
            title: "Safer communities".into(),
            description: String::new(),
            body_id: Some(BodyId(id(SAFETY))),
            lead_organisation_ids: Vec::new(),
            position: 1,
            resident_theme: None,
            dovetails_with: Vec::new(),
        },
    );
    s.targets.insert(
        TargetId(id(CRIME)),
        Target {
            partnership_id: pid(),
            priority_id: PriorityId(id(SAFER)),
            name: "Serious acquisitive crime rate".into(),
            code: "NI 16".into(),
            laa: true,
            unit: "per 1,000".into(),
            polarity: Polarity::LowerIsBetter,
            baseline: None,
            baseline_on: None,
            target_value: None,
            deadline: None,
            milestones: Vec::new(),
            tolerance_percent: Figure::known(5.0),
            source: String::new(),
            frequency: Frequency::Quarterly,
            owner_id: None,
            status_override: None,
            override_reason: String::new(),
        },
    );
}

fn texts(root: &web_sys::Element, css: &str) -> Vec<String> {
    all(root, css).iter().map(text).collect()
}

fn value_of(root: &web_sys::Element, css: &str) -> String {
    one(root, css)
        .unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

fn fields(errors: RwSignal<FormErrors>) -> Vec<String> {
    errors
        .get_untracked()
        .fields
        .into_iter()
        .map(|e| e.field)
        .collect()
}

#[wasm_bindgen_test]
async fn a_fund_shows_its_money_contributions_and_bids_ranked_by_score() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! { <FundPotDetail snapshot=snapshot id=pot_id() may_write=true may_bid=true /> }
    });
    settle().await;
    assert_eq!(text(&one(&root, "h1")), "LSP project fund 2010/11");
    assert_eq!(text(&one(&root, "#fund-total")), "£35,000");
    assert_eq!(text(&one(&root, "#fund-committed")), "£10,000");
    assert_eq!(text(&one(&root, "#fund-balance")), "£25,000");
    assert!(text(&root).contains("Bids are decided by Management Group."));
    assert_eq!(
        texts(&root, "#fund-criteria li"),
        [
            "Serves the SCS priorities (out of 10)",
            "Joint bid (out of 5)"
        ]
    );
    assert_eq!(all(&root, ".fund-contribution").len(), 2);
    assert!(
        texts(&root, ".fund-contribution")[0].contains("Basingstoke and Deane Borough Council")
    );

    let bids = all(&root, ".fund-bid");
    assert_eq!(bids.len(), 2);
    let first = text(&bids[0]);
    assert!(first.starts_with('1'), "{first}");
    assert!(first.contains("Community Safety"), "{first}");
    assert!(first.contains("14 of 15"), "{first}");
    assert!(
        first.contains("Jointly with Hampshire County Council"),
        "{first}"
    );
    assert!(
        first.contains("Approved")
            && first.contains("£10,000 approved on 13 July 2010 by Management Group"),
        "the decision in words: {first}"
    );
    assert_eq!(
        bids[1].get_attribute("data-decision").as_deref(),
        Some("pending")
    );
    assert!(text(&bids[1]).contains("Pending"));
    let links = texts(&root, "a");
    for wanted in [
        "Add a bid",
        "Add a contribution",
        "Edit fund",
        "Decide the bid of Housing",
    ] {
        assert!(links.iter().any(|l| l == wanted), "{wanted}: {links:?}");
    }

    // Approving the second bid commits more: the balance falls.
    snapshot.update(|s| {
        if let Some(mut b) = s.fund_bids.get_mut(&FundBidId(id(WAITING))) {
            b.decision = BidDecision::Approved;
            b.amount_approved_pence = Some(2_000_000);
            b.decided_on = Some(IsoDate::known(2010, 7, 13));
        }
    });
    settle().await;
    assert_eq!(text(&one(&root, "#fund-committed")), "£30,000");
    assert_eq!(text(&one(&root, "#fund-balance")), "£5,000");
}

#[wasm_bindgen_test]
async fn a_reader_who_may_not_write_is_offered_no_changes() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! { <FundPotDetail snapshot=snapshot id=pot_id() may_write=false may_bid=false /> }
    });
    settle().await;
    let links = texts(&root, "a");
    assert!(
        !links.iter().any(|l| l.starts_with("Edit")
            || l.starts_with("Decide")
            || l.starts_with("Add")
            || l.starts_with("Delete")),
        "{links:?}"
    );
    assert_eq!(all(&root, ".fund-bid").len(), 2, "but reads the bids");

    let list_snapshot = RwSignal::new(fixture());
    let (list, _unmount_list) = mount(move || {
        view! { <FundsList snapshot=list_snapshot partnership=pid() may_write=false /> }
    });
    settle().await;
    let row = texts(&list, ".fund-row");
    assert_eq!(row.len(), 1);
    assert!(row[0].contains("LSP project fund"), "{row:?}");
    assert!(
        row[0].contains("2010/11") && row[0].contains("£25,000"),
        "{row:?}"
    );
    assert!(!texts(&list, "a").contains(&"Add a project fund".to_owned()));
}

#[wasm_bindgen_test]
async fn the_bid_form_refuses_a_score_above_its_maximum_and_a_decimal_comma_keeping_what_was_typed()
{
    setup();
    let snapshot = RwSignal::new(fixture());
    let saved = RwSignal::new(None::<FundBid>);
    let errors = RwSignal::new(FormErrors::default());
    let mut initial = bid(HOUSING, 1, [0, 0]);
    initial.amount_asked_pence = 0;
    initial.scores.clear();
    initial.joint_organisation_ids.clear();
    let new_id = FundBidId(id(40));
    let (root, _unmount) = mount(move || {
        view! {
            <BidForm
                snapshot=snapshot
                id=new_id
                initial=initial
                errors=errors
                submit_label="Add bid"
                cancel_href="/"
                on_submit=move |b| saved.set(Some(b))
                may_score=true
            />
        }
    });
    settle().await;
    assert_eq!(
        all(&root, "#score_1, #score_2").len(),
        2,
        "a field per criterion"
    );
    type_into(&root, "#amount_asked_pence", "7500,50");
    type_into(
        &root,
        "#purpose",
        "Illustrative: a tenancy-sustainment pilot",
    );
    type_into(&root, "#score_1", "11");
    type_into(&root, "#score_2", "4");
    click(&root, "button[type=submit]");
    settle().await;
    assert_eq!(saved.get_untracked(), None);
    assert_eq!(fields(errors), ["amount_asked_pence", "score_1"]);
    assert_eq!(
        value_of(&root, "#amount_asked_pence"),
        "7500,50",
        "what was typed stays"
    );
    assert_eq!(value_of(&root, "#score_1"), "11");

    type_into(&root, "#amount_asked_pence", "£7,500.50");
    type_into(&root, "#score_1", "7");
    click(&root, "button[type=submit]");
    settle().await;
    let b = saved.get_untracked().expect("saved");
    assert_eq!(b.amount_asked_pence, 750_050);
    assert_eq!(
        b.scores,
        [
            CriterionScore {
                criterion: "Serves the SCS priorities".into(),
                score: 7
            },
            CriterionScore {
                criterion: "Joint bid".into(),
                score: 4
            },
        ]
    );
    assert_eq!(b.decision, BidDecision::Pending);
}

#[wasm_bindgen_test]
async fn the_decision_form_refuses_an_award_above_the_balance_then_approves_within_it() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let saved = RwSignal::new(None::<FundBid>);
    let errors = RwSignal::new(FormErrors::default());
    let initial = bid(HOUSING, 30_000, [8, 5]);
    let (root, _unmount) = mount(move || {
        view! {
            <DecisionForm
                snapshot=snapshot
                id=FundBidId(id(WAITING))
                initial=initial
                errors=errors
                cancel_href="/"
                on_submit=move |b| saved.set(Some(b))
            />
        }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "#decision-context")),
        "Asked for £30,000. Left in the fund for this bid: £25,000."
    );
    let decision = one(&root, "#decision").unchecked_into::<web_sys::HtmlSelectElement>();
    decision.set_value("approved");
    fire(&decision, "change");
    type_into(&root, "#amount_approved_pence", "£28,000");
    type_into(&root, "#decided_on", "2010-07-13");
    click(&root, "button[type=submit]");
    settle().await;
    assert_eq!(saved.get_untracked(), None);
    let messages: Vec<String> = errors
        .get_untracked()
        .fields
        .into_iter()
        .map(|e| e.message)
        .collect();
    assert_eq!(
        messages,
        ["The amount approved must be no more than the fund's balance (£25,000)"]
    );
    assert_eq!(value_of(&root, "#amount_approved_pence"), "£28,000");

    type_into(&root, "#amount_approved_pence", "25000");
    click(&root, "button[type=submit]");
    settle().await;
    let b = saved.get_untracked().expect("saved");
    assert_eq!(b.decision, BidDecision::Approved);
    assert_eq!(b.amount_approved_pence, Some(2_500_000));
    assert_eq!(b.decided_on, Some(IsoDate::known(2010, 7, 13)));
    assert_eq!(
        b.decided_by,
        Some(BodyId(id(GROUP))),
        "the fund's deciding body"
    );
}

/// A group lead (who may bid, not change the fund) is offered "Add a bid" and Edit on a bid
/// still being written, nothing on a scored or decided one, and no Decide; the rule is said.
#[wasm_bindgen_test]
async fn a_group_lead_may_add_a_bid_and_edit_only_one_still_being_written() {
    setup();
    let mut fixture = fixture();
    let mut written = bid(SAFETY, 4_000, [0, 0]);
    written.scores.clear();
    written.purpose = "Illustrative: street lighting in Oakridge".into();
    fixture.fund_bids.insert(FundBidId(id(22)), written);
    let snapshot = RwSignal::new(fixture);
    let (root, _unmount) = mount(move || {
        view! { <FundPotDetail snapshot=snapshot id=pot_id() may_write=false may_bid=true /> }
    });
    settle().await;
    let links = texts(&root, "a");
    assert!(links.contains(&"Add a bid".to_owned()), "{links:?}");
    assert!(
        !links.iter().any(|l| l.starts_with("Decide")
            || l.starts_with("Edit fund")
            || l.starts_with("Add a contribution")),
        "{links:?}"
    );
    let edits: Vec<&String> = links.iter().filter(|l| l.starts_with("Edit")).collect();
    assert_eq!(edits, ["Edit the bid of Community Safety"], "{links:?}");
    let unscored = one(&root, &format!("[id='bid-{}']", id(22)));
    assert!(text(&unscored).contains("Edit"), "on its own row");
    assert!(text(&one(&root, "#bid-rule")).contains("until they are scored"));
}

/// A group lead's bid form has no score fields (managers score), says so, and saves the
/// priorities and targets the bid serves, chosen under the strategy and the priority.
#[wasm_bindgen_test]
async fn a_group_leads_bid_form_chooses_priorities_and_targets_and_gives_no_scores() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let saved = RwSignal::new(None::<FundBid>);
    let errors = RwSignal::new(FormErrors::default());
    let mut initial = bid(SAFETY, 1, [0, 0]);
    initial.amount_asked_pence = 0;
    initial.scores.clear();
    let (root, _unmount) = mount(move || {
        view! {
            <BidForm
                snapshot=snapshot
                id=FundBidId(id(41))
                initial=initial
                errors=errors
                submit_label="Add bid"
                cancel_href="/"
                on_submit=move |b| saved.set(Some(b))
                may_score=false
            />
        }
    });
    settle().await;
    assert!(all(&root, "#score_1, #score_2").is_empty());
    assert!(text(&one(&root, "#scores-by-managers")).contains("managers score"));
    assert_eq!(
        texts(&root, "#serves-priority legend"),
        [
            "Priorities it serves (optional)",
            "Basingstoke and Deane Sustainable Community Strategy (2008 to 2011)"
        ]
    );
    assert_eq!(
        texts(&root, "#serves-target .checkbox-groups__group legend"),
        ["Safer communities"]
    );
    assert!(text(&one(&root, "#serves-target")).contains("NI 16: Serious acquisitive crime rate"));
    type_into(&root, "#amount_asked_pence", "£4,000");
    type_into(
        &root,
        "#purpose",
        "Illustrative: street lighting in Oakridge",
    );
    click(&root, &format!("[id='serves-priority-{}']", id(SAFER)));
    click(&root, &format!("[id='serves-target-{}']", id(CRIME)));
    click(&root, "button[type=submit]");
    settle().await;
    let b = saved.get_untracked().expect("saved");
    assert_eq!(b.priority_ids, [PriorityId(id(SAFER))]);
    assert_eq!(b.target_ids, [TargetId(id(CRIME))]);
    assert!(b.scores.is_empty());
    assert_eq!(b.amount_asked_pence, 400_000);
}
