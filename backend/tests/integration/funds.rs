//! Project funds over real HTTP: a manager records a pot, a partner's contribution and a
//! group's bid; a councillor may not; a group lead writes a bid only until it is scored or
//! decided, so no lead scores or approves one;
//! the public reads the pot, what partners paid in and the awards, never a pending or
//! refused bid, and sees a bid once it is approved. And the demo's Basingstoke and Deane
//! project fund for 2010/11, every figure labelled illustrative.

use crate::common::*;
use atlas_shared::accounts::Role;
use atlas_shared::seeds::BASINGSTOKE;
use atlas_shared::strategy::funds::{
    Criterion, CriterionScore, bids_for, funds_spent, pot_figures, pots_of, ranked_bids,
};
use atlas_shared::strategy::{BidDecision, FundBid, FundContribution, FundPot, FundPotId};
use atlas_shared::{
    BodyId, BodyKind, Change, Entity, EntityKind, IsoDate, Mutation, OrganisationId, Outcome,
    PartnershipId, PushResponse, Replica, Seq,
};
use uuid::Uuid;

fn ids_of(changes: &[Change], kind: EntityKind) -> Vec<Uuid> {
    changes
        .iter()
        .filter(|c| c.kind == kind && !c.deleted)
        .map(|c| c.id)
        .collect()
}

fn pot(p: Uuid, decider: Uuid) -> Entity {
    Entity::FundPot(FundPot {
        partnership_id: PartnershipId(p),
        name: "LSP project fund".into(),
        year: 2010,
        decided_by: Some(BodyId(decider)),
        criteria: vec![Criterion {
            name: "Serves the SCS priorities".into(),
            max_score: 10,
        }],
        closes_on: None,
        note: "Illustrative figures".into(),
    })
}

fn contribution(p: Uuid, pot: Uuid, org: Uuid) -> Entity {
    Entity::FundContribution(FundContribution {
        partnership_id: PartnershipId(p),
        pot_id: FundPotId(pot),
        organisation_id: OrganisationId(org),
        amount_pence: 2_000_000,
        on: IsoDate::known(2010, 4, 1),
        note: "Illustrative figure".into(),
    })
}

fn bid(p: Uuid, pot: Uuid, group: Uuid) -> FundBid {
    FundBid {
        partnership_id: PartnershipId(p),
        pot_id: FundPotId(pot),
        body_id: BodyId(group),
        joint_organisation_ids: Vec::new(),
        amount_asked_pence: 1_200_000,
        purpose: "Illustrative: a youth diversion scheme".into(),
        priority_ids: Vec::new(),
        target_ids: Vec::new(),
        submitted_on: Some(IsoDate::known(2010, 6, 25)),
        scores: vec![CriterionScore {
            criterion: "Serves the SCS priorities".into(),
            score: 9,
        }],
        decision: BidDecision::Pending,
        amount_approved_pence: None,
        decided_on: None,
        decided_by: None,
        reason: String::new(),
    }
}

#[tokio::test]
async fn managers_write_funds_leads_and_councillors_may_not_and_the_public_sees_only_awards() {
    let server = TestServer::start().await;
    let (p, make) = partnership("Basingstoke and Deane LSP");
    let (group, group_made) = body(p, "Management Group", BodyKind::ManagementGroup);
    let (safety, safety_made) = body(p, "Community Safety", BodyKind::PriorityActionGroup);
    let (council, council_made) = organisation(p, "Hampshire County Council");
    server
        .push(vec![make, group_made, safety_made, council_made])
        .await;

    let (pot_id, pot_made) = create(pot(p, group));
    let (_, manager) = server.person(Some(Role::Manager), p).await;
    let (_, lead) = server.person(Some(Role::GroupLead), p).await;
    let (_, councillor) = server.person(Some(Role::Councillor), p).await;
    for who in [&lead, &councillor] {
        assert_eq!(pushed_as(&server, who, &pot(p, group)).await, "not allowed");
    }
    let (status, _) = server.push_as(&manager, vec![pot_made]).await;
    assert_eq!(status, 200);
    let paid = contribution(p, pot_id, council);
    let pending = Entity::FundBid(bid(p, pot_id, safety));
    for entity in [&paid, &pending] {
        assert_eq!(pushed_as(&server, &lead, entity).await, "not allowed");
        assert_eq!(pushed_as(&server, &councillor, entity).await, "not allowed");
        assert_eq!(
            pushed_as(&server, &server.anonymous, entity).await,
            "status 401"
        );
    }
    let (bid_id, bid_made) = create(pending.clone());
    let (_, paid_made) = create(paid);
    let (status, _) = server.push_as(&manager, vec![paid_made, bid_made]).await;
    assert_eq!(status, 200);

    // The public reads the pot and what partners paid in, not the pending bid; a councillor
    // reads it all.
    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    assert_eq!(ids_of(&public.changes, EntityKind::FundPot), [pot_id]);
    assert_eq!(
        ids_of(&public.changes, EntityKind::FundContribution).len(),
        1
    );
    assert!(ids_of(&public.changes, EntityKind::FundBid).is_empty());
    let theirs = server.pull_as(&councillor, Seq(0), None).await;
    assert_eq!(ids_of(&theirs.changes, EntityKind::FundBid), [bid_id]);

    // Approved, it is an award: the public reads it.
    let version = theirs
        .changes
        .iter()
        .find(|c| c.id == bid_id)
        .map(|c| c.version)
        .expect("the bid's version");
    let mut award = bid(p, pot_id, safety);
    award.decision = BidDecision::Approved;
    award.amount_approved_pence = Some(1_000_000);
    award.decided_on = Some(IsoDate::known(2010, 7, 13));
    award.decided_by = Some(BodyId(group));
    let approve = upsert(
        EntityKind::FundBid,
        bid_id,
        Some(version),
        Entity::FundBid(award).to_fields(),
    );
    let (status, _) = server.push_as(&manager, vec![approve]).await;
    assert_eq!(status, 200);
    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    assert_eq!(ids_of(&public.changes, EntityKind::FundBid), [bid_id]);
}

#[tokio::test]
async fn the_demo_basingstoke_fund_for_2010_11_has_two_contributions_and_three_ranked_bids() {
    let server = TestServer::demo().await;
    let all = server.pull_all(Seq(0)).await;
    let mut replica = Replica::default();
    for c in &all.changes {
        replica.apply_change(c);
    }
    let s = replica.view(&[]);
    let basingstoke =
        PartnershipId(partnership_named(&all.changes, BASINGSTOKE).expect("Basingstoke"));
    let pots = pots_of(&s, basingstoke);
    assert_eq!(pots.len(), 1);
    let (pot_id, pot) = pots[0];
    assert_eq!(pot.year_label(), "2010/11");
    assert!(pot.note.starts_with("Illustrative figures"), "{}", pot.note);
    let figures = pot_figures(&s, pot_id);
    assert_eq!(figures.total, 3_500_000);
    assert_eq!(figures.committed, 1_000_000);
    assert_eq!(figures.balance, 2_500_000);
    let bids = bids_for(&s, pot_id);
    let ranked = ranked_bids(&bids);
    let order: Vec<(Option<usize>, BidDecision)> =
        ranked.iter().map(|r| (r.rank, r.bid.decision)).collect();
    assert_eq!(
        order,
        [
            (Some(1), BidDecision::Approved),
            (Some(2), BidDecision::Pending),
            (Some(3), BidDecision::Refused),
        ]
    );
    for (_, b) in &bids {
        assert!(b.purpose.starts_with("Illustrative"), "{}", b.purpose);
    }
    for (_, c) in s.fund_contributions.iter() {
        assert_eq!(c.note, "Illustrative figure");
    }
    assert_eq!(funds_spent(&s, basingstoke, 2010).total_pence, 1_000_000);

    // The public sees the award only.
    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    assert_eq!(
        ids_of(&public.changes, EntityKind::FundBid),
        [ranked[0].id.0]
    );
}

/// The server trusts no device with a fund's sums: two devices each approving a bid offline
/// that together overspend the fund, the second to arrive is refused (422) naming the
/// balance, and nothing of it is stored; a score above its criterion's maximum is refused the
/// same way. An approval within the balance goes through.
#[tokio::test]
async fn the_server_refuses_an_approval_beyond_the_funds_balance_and_a_score_beyond_its_maximum() {
    let server = TestServer::start().await;
    let (p, make) = partnership("Basingstoke and Deane LSP");
    let (group, group_made) = body(p, "Management Group", BodyKind::ManagementGroup);
    let (safety, safety_made) = body(p, "Community Safety", BodyKind::PriorityActionGroup);
    let (council, council_made) = organisation(p, "Hampshire County Council");
    let (pot_id, pot_made) = create(pot(p, group));
    // £20,000 paid in.
    let (_, paid_made) = create(contribution(p, pot_id, council));
    server
        .push(vec![
            make,
            group_made,
            safety_made,
            council_made,
            pot_made,
            paid_made,
        ])
        .await;
    let (_, manager) = server.person(Some(Role::Manager), p).await;
    let approved = |pence: u64| {
        let mut b = bid(p, pot_id, safety);
        b.amount_asked_pence = pence;
        b.decision = BidDecision::Approved;
        b.amount_approved_pence = Some(pence);
        b.decided_on = Some(IsoDate::known(2010, 7, 13));
        b.decided_by = Some(BodyId(group));
        b
    };
    // £12,000 approved on one device: within the £20,000.
    let (first, first_made) = create(Entity::FundBid(approved(1_200_000)));
    let (status, text) = server.push_as(&manager, vec![first_made]).await;
    assert_eq!(status, 200, "{text}");
    // £9,000 approved on another: £1,000 more than is left.
    let (second, second_made) = create(Entity::FundBid(approved(900_000)));
    let (status, text) = server.push_as(&manager, vec![second_made]).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("amount_approved_pence"), "{text}");
    assert!(text.contains("balance (£8,000"), "{text}");
    // £8,000 is exactly what is left.
    let (_, exact_made) = create(Entity::FundBid(approved(800_000)));
    let (status, text) = server.push_as(&manager, vec![exact_made]).await;
    assert_eq!(status, 200, "{text}");

    let mut overscored = bid(p, pot_id, safety);
    overscored.scores[0].score = 11;
    let (_, overscored_made) = create(Entity::FundBid(overscored));
    let (status, text) = server.push_as(&manager, vec![overscored_made]).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("must be 10 or less"), "{text}");

    let stored = server.pull_as(&manager, Seq(0), None).await;
    let bids = ids_of(&stored.changes, EntityKind::FundBid);
    assert!(bids.contains(&first));
    assert!(
        !bids.contains(&second),
        "the overspending approval is not stored"
    );
    assert_eq!(bids.len(), 2);
}

/// What a push as `client` of one mutation did: "applied" with the version, or the refusal's
/// words.
async fn outcome_as(
    server: &TestServer,
    client: &reqwest::Client,
    m: Mutation,
) -> Result<Seq, String> {
    let (status, text) = server.push_as(client, vec![m]).await;
    assert_eq!(status, 200, "{text}");
    let reply: PushResponse = serde_json::from_str(&text).expect("a push reply");
    match &reply.results[0].outcome {
        Outcome::Applied { version, .. } => Ok(*version),
        Outcome::Rejected { message, .. } => Err(message.clone()),
    }
}

/// A group lead adds a bid and changes it while it is being written; scoring, deciding, and
/// changing or deleting a scored bid are refused with the rule in words, and the manager who
/// scores it is not refused.
#[tokio::test]
async fn a_group_lead_writes_a_bid_until_it_is_scored_and_never_scores_or_decides_one() {
    let server = TestServer::start().await;
    let (p, make) = partnership("Basingstoke and Deane LSP");
    let (group, group_made) = body(p, "Management Group", BodyKind::ManagementGroup);
    let (safety, safety_made) = body(p, "Community Safety", BodyKind::PriorityActionGroup);
    let (pot_id, pot_made) = create(pot(p, group));
    server
        .push(vec![make, group_made, safety_made, pot_made])
        .await;
    let (_, manager) = server.person(Some(Role::Manager), p).await;
    let (_, lead) = server.person(Some(Role::GroupLead), p).await;
    let (_, councillor) = server.person(Some(Role::Councillor), p).await;

    let mut written = bid(p, pot_id, safety);
    written.scores.clear();
    let fields = |b: &FundBid| Entity::FundBid(b.clone()).to_fields();
    assert_eq!(
        pushed_as(&server, &councillor, &Entity::FundBid(written.clone())).await,
        "not allowed"
    );
    let id = new_id();
    let made = upsert(EntityKind::FundBid, id, None, fields(&written));
    let v = outcome_as(&server, &lead, made)
        .await
        .expect("a lead adds a bid");
    written.purpose = "Illustrative: a youth diversion scheme, two evenings a week".into();
    let edit = upsert(EntityKind::FundBid, id, Some(v), fields(&written));
    let v = outcome_as(&server, &lead, edit)
        .await
        .expect("and changes it");

    // Scoring it, or deciding it, is not the lead's.
    let mut scored = written.clone();
    scored.scores = bid(p, pot_id, safety).scores;
    let score = upsert(EntityKind::FundBid, id, Some(v), fields(&scored));
    let refused = outcome_as(&server, &lead, score)
        .await
        .expect_err("a lead may not score");
    assert!(
        refused.contains("until it is scored or decided"),
        "{refused}"
    );
    let mut approved = written.clone();
    approved.decision = BidDecision::Approved;
    approved.amount_approved_pence = Some(100_000);
    approved.decided_on = Some(IsoDate::known(2010, 7, 13));
    approved.decided_by = Some(BodyId(group));
    assert_eq!(
        pushed_as(&server, &lead, &Entity::FundBid(approved)).await,
        "not allowed"
    );

    // The manager scores it; from then on the lead may neither change nor delete it.
    let score = upsert(EntityKind::FundBid, id, Some(v), fields(&scored));
    let v = outcome_as(&server, &manager, score)
        .await
        .expect("a manager scores");
    let mut late = scored.clone();
    late.purpose = "Illustrative: changed after scoring".into();
    let change = upsert(EntityKind::FundBid, id, Some(v), fields(&late));
    assert!(outcome_as(&server, &lead, change).await.is_err());
    let gone = delete(EntityKind::FundBid, id, Some(v));
    assert!(outcome_as(&server, &lead, gone).await.is_err());
    let stored = server.pull_as(&manager, Seq(0), None).await;
    let kept = stored
        .changes
        .iter()
        .find(|c| c.id == id && !c.deleted)
        .expect("the scored bid is kept");
    assert_eq!(kept.version, v, "nothing the lead sent changed it");

    // A bid still being written, the lead may delete.
    let (other, other_made) = create(Entity::FundBid(written.clone()));
    let v = outcome_as(&server, &lead, other_made).await.expect("added");
    let gone = delete(EntityKind::FundBid, other, Some(v));
    outcome_as(&server, &lead, gone)
        .await
        .expect("a lead deletes a bid being written");
}
