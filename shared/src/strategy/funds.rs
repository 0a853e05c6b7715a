//! Project funds: seed 003 asks for "a mechanism for allocating LSP project funds", and its
//! Priority Action Groups "facilitate joint funding and collaborative funding bids". A
//! partnership holds a **pot** per year, which partners pay into (**contributions**); groups
//! **bid** for money from it (an amount, a purpose, the priorities and targets it serves, the
//! organisations bidding jointly); each bid is scored against the pot's criteria, and the body
//! that decides approves or refuses it. What is approved is **committed**; the pot's
//! **balance** is what is left.
//!
//! # Money
//! Every amount is a whole number of **pence** (`u64`), so sums are exact: £1,250.50 is
//! stored as `125050`. [`money_input`] reads what people type ("£1,250", "1250.50") and
//! refuses a decimal comma ("1250,50") as the strategy figures do; [`format_money`] writes
//! it back ("£1,250.50", "£1,250" for whole pounds). One amount is at most [`MAX_PENCE`].
//!
//! # Who reads and writes them
//! - Pots and contributions are written by the partnership's **managers** (the default
//!   `WRITE`) and read by **everyone** once the partnership is published: what partners put
//!   into the partnership is public money.
//! - A bid is **written by its group's lead** (or a manager) while it is being written:
//!   pending and not scored. Scoring and deciding are the **managers'**, who assess bids for
//!   the deciding body; once a bid is scored or decided, only managers change or delete it
//!   ([`Record::WRITE_VARIES`]), so no lead scores or approves a bid. As for action plans and
//!   highlight reports, the accounts model makes a lead a lead of the partnership's groups,
//!   not of one.
//! - A bid **chooses its readers** ([`Record::READ_VARIES`]): an approved bid is an award
//!   and everyone reads it (once the partnership is published); a pending or refused bid is
//!   the partnership's members' only.
//!
//! # The rules
//! - A pot's **total** is the sum of its contributions ([`pot_total`]); its **committed**
//!   sum is the sum of the amounts approved ([`committed`]); its **balance** is the total
//!   less the committed sum, below zero when more was approved than paid in ([`balance`]).
//! - A bid's **score** is the sum of its scores ([`total_score`]); bids are **ranked**
//!   ([`ranked_bids`]) by that score, highest first, bids with the same score sharing a rank
//!   (1, 2, 2, 4); a bid with no score yet comes last, unranked.
//! - A decision ([`check_against_pot`]): the amount approved may not be more than the amount
//!   asked ([`FundBid`]'s own validation) nor more than the pot's balance without this bid's
//!   earlier approval; each score may not be more than its criterion's maximum, and every
//!   score must name one of the pot's criteria. The forms check it as people type, and the
//!   server checks it again against the pot as stored, so two devices approving offline
//!   cannot together overspend a pot.
//! - **Funds spent in a year** ([`funds_spent`]): the app records awards, not payments, so
//!   what a year's annual report calls spent is what was **approved** by decisions dated in
//!   that financial year (1 April to 31 March), from any of the partnership's pots.

use serde::{Deserialize, Serialize};

use crate::accounts::Access;
use crate::date::IsoDate;
use crate::entity::{EntityKind, Record, RefField};
use crate::ids::{BodyId, OrganisationId, PartnershipId, define_id};
use crate::replica::Snapshot;
use crate::structure::domain::labelled_enum;
use crate::validate::{Errors, FieldError, Validate};

use super::actions::year_label;
use super::records::{PriorityId, TargetId};
use crate::order::{sort, sort_by, sort_by_key};
use crate::text::fold_case;

define_id!(
    /// A partnership's pot of project funds for one year.
    FundPotId
);
define_id!(
    /// A partner's contribution to a pot.
    FundContributionId
);
define_id!(
    /// A group's bid for money from a pot.
    FundBidId
);

/// The most one amount may be: £1,000,000,000, in pence. Sums of amounts this size stay far
/// inside `u64`.
pub const MAX_PENCE: u64 = 100_000_000_000;

/// The most a criterion may be scored out of.
pub const MAX_CRITERION_SCORE: u32 = 1000;

/// The most criteria a pot may have (each has its own field on the bid form).
pub const MAX_CRITERIA: usize = 10;

/// The form fields of the scores, by criterion: "score_1" for the first.
pub const SCORE_FIELDS: [&str; MAX_CRITERIA] = [
    "score_1", "score_2", "score_3", "score_4", "score_5", "score_6", "score_7", "score_8",
    "score_9", "score_10",
];

/// One of a pot's scoring criteria: what bids are judged on, and the most it scores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub name: String,
    pub max_score: u32,
}

/// A partnership's pot of project funds for one financial year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundPot {
    pub partnership_id: PartnershipId,
    pub name: String,
    /// The financial year it starts: 2010 for 2010/11 (April to March).
    pub year: u32,
    /// The body that decides on bids (a plain id, not a reference: deleting the body keeps
    /// the pot and its decisions).
    #[serde(default)]
    pub decided_by: Option<BodyId>,
    /// What bids are scored on, in order.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    /// The last day for bids, if there is one.
    #[serde(default)]
    pub closes_on: Option<IsoDate>,
    #[serde(default)]
    pub note: String,
}

impl Record for FundPot {
    type Id = FundPotId;
    const WIRE_NAME: &'static str = "fund_pot";
    const NOUN: &'static str = "project fund";
    const PLURAL: &'static str = "project funds";
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|p| Some(p.partnership_id.0))];
}

impl FundPot {
    /// "2010/11".
    pub fn year_label(&self) -> String {
        year_label(self.year)
    }

    /// "LSP project fund 2010/11".
    pub fn title(&self) -> String {
        format!("{} {}", self.name.trim(), self.year_label())
    }

    /// The criterion named `name`.
    pub fn criterion(&self, name: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.name == name)
    }

    /// The highest score a bid can reach.
    pub fn max_total(&self) -> u32 {
        self.criteria.iter().map(|c| c.max_score).sum()
    }
}

impl Validate for FundPot {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("name", &self.name, "the name of the fund");
        if !(2000..=2100).contains(&self.year) {
            e.0.push(FieldError::new(
                "year",
                "Enter the year the fund starts, from 2000 to 2100, for example 2010 for 2010/11",
            ));
        }
        if self.criteria.len() > MAX_CRITERIA {
            e.0.push(FieldError::new(
                "criteria",
                format!("Enter {MAX_CRITERIA} criteria or fewer"),
            ));
        }
        for (i, c) in self.criteria.iter().enumerate() {
            let field = "criteria";
            if c.name.trim().is_empty() {
                e.0.push(FieldError::new(
                    field,
                    format!("Enter the name of criterion {}", i + 1),
                ));
            } else {
                e.max_chars(field, &c.name, 200, "a criterion's name");
            }
            if c.max_score == 0 || c.max_score > MAX_CRITERION_SCORE {
                e.0.push(FieldError::new(
                    field,
                    format!(
                        "Enter the most “{}” can score, from 1 to {MAX_CRITERION_SCORE}",
                        c.name.trim()
                    ),
                ));
            }
            if self.criteria[..i]
                .iter()
                .any(|d| d.name.trim() == c.name.trim())
            {
                e.0.push(FieldError::new(
                    field,
                    format!(
                        "Give each criterion a different name: “{}” is there twice",
                        c.name.trim()
                    ),
                ));
            }
        }
        e.text("note", &self.note, "the note");
        e.finish()
    }
}

/// A partner organisation's contribution to a pot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundContribution {
    pub partnership_id: PartnershipId,
    pub pot_id: FundPotId,
    /// The organisation paying in (a plain id: deleting it keeps what it paid).
    pub organisation_id: OrganisationId,
    /// In pence.
    pub amount_pence: u64,
    /// The day it was agreed or paid.
    pub on: IsoDate,
    #[serde(default)]
    pub note: String,
}

impl Record for FundContribution {
    type Id = FundContributionId;
    const WIRE_NAME: &'static str = "fund_contribution";
    const NOUN: &'static str = "contribution";
    const PLURAL: &'static str = "contributions";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|c| Some(c.partnership_id.0)),
        RefField::new(EntityKind::FundPot, "pot_id", |c| Some(c.pot_id.0)),
    ];
}

impl Validate for FundContribution {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        amount_in_range(&mut e, "amount_pence", self.amount_pence, "the amount");
        e.text("note", &self.note, "the note");
        e.finish()
    }
}

labelled_enum! {
    /// Where a bid stands.
    pub enum BidDecision {
        Pending => ("Pending", "No decision yet."),
        Approved => ("Approved", "The deciding body awarded money to it."),
        Refused => ("Refused", "The deciding body turned it down."),
    }
}

/// A bid's score on one of its pot's criteria (named as the pot names it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionScore {
    pub criterion: String,
    pub score: u32,
}

/// A group's bid for money from a pot, with its scores and its decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundBid {
    pub partnership_id: PartnershipId,
    pub pot_id: FundPotId,
    /// The group bidding (a plain id).
    pub body_id: BodyId,
    /// The organisations bidding jointly with it (plain ids).
    #[serde(default)]
    pub joint_organisation_ids: Vec<OrganisationId>,
    /// In pence.
    pub amount_asked_pence: u64,
    pub purpose: String,
    /// The priorities and targets it serves (links, not references).
    #[serde(default)]
    pub priority_ids: Vec<PriorityId>,
    #[serde(default)]
    pub target_ids: Vec<TargetId>,
    #[serde(default)]
    pub submitted_on: Option<IsoDate>,
    /// Its scores, one per criterion scored.
    #[serde(default)]
    pub scores: Vec<CriterionScore>,
    pub decision: BidDecision,
    /// In pence; set only when approved.
    #[serde(default)]
    pub amount_approved_pence: Option<u64>,
    #[serde(default)]
    pub decided_on: Option<IsoDate>,
    /// The body that decided (a plain id).
    #[serde(default)]
    pub decided_by: Option<BodyId>,
    #[serde(default)]
    pub reason: String,
}

impl Record for FundBid {
    type Id = FundBidId;
    const WIRE_NAME: &'static str = "fund_bid";
    const NOUN: &'static str = "bid";
    const PLURAL: &'static str = "bids";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|b| Some(b.partnership_id.0)),
        RefField::new(EntityKind::FundPot, "pot_id", |b| Some(b.pot_id.0)),
    ];
    /// Each bid chooses its readers: pending and refused bids are the members' (see the
    /// module docs).
    const READ_VARIES: bool = true;
    /// A group lead writes the bid of a group; once it is scored or decided, only managers
    /// change it (see [`Self::write_access`]).
    const WRITE: Access = Access::Lead;
    const WRITE_VARIES: bool = true;
    const WRITE_VARIES_RULE: &'static str =
        "a group lead adds and changes a bid only until it is scored or decided";

    /// An award is everyone's; a bid not approved is the members'.
    fn read_access(&self) -> Access {
        match self.decision {
            BidDecision::Approved => Access::Public,
            BidDecision::Pending | BidDecision::Refused => Access::Member,
        }
    }

    /// A bid being written (pending, not scored) is the group leads' and managers'; scoring
    /// and deciding are the managers' (they assess bids for the deciding body), so a scored
    /// or decided bid is changed only by managers, and a lead cannot score or decide one.
    fn write_access(&self) -> Access {
        if self.decision == BidDecision::Pending && self.scores.is_empty() {
            Access::Lead
        } else {
            Access::Manager
        }
    }
}

impl FundBid {
    /// What it commits of its pot: the amount approved, when approved.
    pub fn committed_pence(&self) -> u64 {
        match self.decision {
            BidDecision::Approved => self.amount_approved_pence.unwrap_or(0),
            BidDecision::Pending | BidDecision::Refused => 0,
        }
    }
}

impl Validate for FundBid {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        amount_in_range(
            &mut e,
            "amount_asked_pence",
            self.amount_asked_pence,
            "the amount asked for",
        );
        e.required_name("purpose", &self.purpose, "what the money is for");
        for (i, s) in self.scores.iter().enumerate() {
            if self.scores[..i].iter().any(|t| t.criterion == s.criterion) {
                e.0.push(FieldError::new(
                    "scores",
                    format!("Score “{}” once only", s.criterion),
                ));
            }
        }
        match self.decision {
            BidDecision::Approved => match self.amount_approved_pence {
                None | Some(0) => e.0.push(FieldError::new(
                    "amount_approved_pence",
                    "Enter the amount approved",
                )),
                Some(a) if a > self.amount_asked_pence => e.0.push(FieldError::new(
                    "amount_approved_pence",
                    format!(
                        "The amount approved must be no more than the amount asked for ({})",
                        format_money(self.amount_asked_pence)
                    ),
                )),
                Some(_) => {}
            },
            BidDecision::Pending | BidDecision::Refused => {
                if self.amount_approved_pence.is_some_and(|a| a > 0) {
                    e.0.push(FieldError::new(
                        "amount_approved_pence",
                        "Leave the amount approved empty unless the bid is approved",
                    ));
                }
            }
        }
        match self.decision {
            BidDecision::Pending => {
                if self.decided_on.is_some() {
                    e.0.push(FieldError::new(
                        "decided_on",
                        "Leave the date of the decision empty while the bid is pending",
                    ));
                }
            }
            BidDecision::Approved | BidDecision::Refused => {
                if self.decided_on.is_none() {
                    e.0.push(FieldError::new(
                        "decided_on",
                        "Enter the date of the decision",
                    ));
                }
            }
        }
        if let (Some(sent), Some(decided)) = (self.submitted_on, self.decided_on)
            && decided < sent
        {
            e.0.push(FieldError::new(
                "decided_on",
                "The date of the decision must be on or after the date the bid was submitted",
            ));
        }
        if self.decision == BidDecision::Refused && self.reason.trim().is_empty() {
            e.0.push(FieldError::new(
                "reason",
                "Enter the reason the bid was refused",
            ));
        }
        e.text("reason", &self.reason, "the reason");
        e.finish()
    }
}

fn amount_in_range(e: &mut Errors, field: &str, pence: u64, what: &str) {
    if pence == 0 {
        e.0.push(FieldError::new(field, format!("Enter {what}")));
    } else if pence > MAX_PENCE {
        e.0.push(FieldError::new(
            field,
            format!(
                "{} must be {} or less",
                crate::validate::capitalise(what),
                format_money(MAX_PENCE)
            ),
        ));
    }
}

// --- money ------------------------------------------------------------------------------

/// An amount of money typed into the form field `field`, in pence; `None` when left empty.
/// Accepts "£1,250", "1250", "1250.5", "£1,250.50"; refuses a minus sign, more than two
/// digits of pence, and a decimal comma ("1250,50"), each with GOV.UK words. `what` names it
/// in lower case ("the amount asked for").
pub fn money_input(field: &str, input: &str, what: &str) -> Result<Option<u64>, FieldError> {
    let typed = input.trim();
    let typed = typed.strip_prefix('£').unwrap_or(typed).trim_start();
    if typed.is_empty() {
        return Ok(None);
    }
    let example = || {
        FieldError::new(
            field,
            format!("Enter {what} in pounds and pence, like £1,250 or £1,250.50"),
        )
    };
    if typed.starts_with('-') {
        return Err(FieldError::new(
            field,
            format!("{} must be £0 or more", crate::validate::capitalise(what)),
        ));
    }
    let (whole, pennies) = match typed.split_once('.') {
        Some((w, p)) => (w, Some(p)),
        None => (typed, None),
    };
    if whole.contains(',') || pennies.is_some_and(|p| p.contains(',')) {
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or("");
        let thousands = (1..=3).contains(&first.chars().count())
            && groups.all(|g| g.chars().count() == 3)
            && !pennies.is_some_and(|p| p.contains(','));
        if !thousands {
            return Err(FieldError::new(
                field,
                format!(
                    "Enter {what} with a point for pence, like £1,250.50 (a comma only separates thousands, like £1,250)"
                ),
            ));
        }
    }
    let mut pounds: u64 = 0;
    let mut any_digit = false;
    for c in whole.chars().filter(|c| *c != ',') {
        let d = c.to_digit(10).ok_or_else(example)?;
        any_digit = true;
        pounds = pounds
            .checked_mul(10)
            .and_then(|p| p.checked_add(u64::from(d)))
            .ok_or_else(|| too_much(field, what))?;
    }
    let mut pence: u64 = 0;
    if let Some(p) = pennies {
        let digits: Vec<u32> = p
            .chars()
            .map(|c| c.to_digit(10))
            .collect::<Option<_>>()
            .ok_or_else(example)?;
        match digits.as_slice() {
            [tens] => pence = u64::from(*tens) * 10,
            [tens, units] => pence = u64::from(*tens) * 10 + u64::from(*units),
            _ => return Err(example()),
        }
        any_digit = true;
    }
    if !any_digit {
        return Err(example());
    }
    let total = pounds
        .checked_mul(100)
        .and_then(|p| p.checked_add(pence))
        .ok_or_else(|| too_much(field, what))?;
    if total > MAX_PENCE {
        return Err(too_much(field, what));
    }
    Ok(Some(total))
}

fn too_much(field: &str, what: &str) -> FieldError {
    FieldError::new(
        field,
        format!(
            "{} must be {} or less",
            crate::validate::capitalise(what),
            format_money(MAX_PENCE)
        ),
    )
}

/// As [`money_input`], and an empty field is "Enter the amount asked for".
pub fn required_money_input(field: &str, input: &str, what: &str) -> Result<u64, FieldError> {
    money_input(field, input, what)?.ok_or_else(|| FieldError::new(field, format!("Enter {what}")))
}

/// "£1,250.50"; "£1,250" for whole pounds; "£0".
pub fn format_money(pence: u64) -> String {
    let pounds = (pence / 100).to_string();
    let mut grouped = String::new();
    let n = pounds.chars().count();
    for (i, c) in pounds.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match pence % 100 {
        0 => format!("£{grouped}"),
        p => format!("£{grouped}.{p:02}"),
    }
}

/// A signed amount ("−£250" below zero), for a balance.
pub fn format_balance(pence: i128) -> String {
    let size = u64::try_from(pence.unsigned_abs()).unwrap_or(u64::MAX);
    if pence < 0 {
        format!("−{}", format_money(size))
    } else {
        format_money(size)
    }
}

/// The amount as a form shows it ("1250.50", "1250"), which [`money_input`] reads back.
pub fn money_text(pence: u64) -> String {
    match pence % 100 {
        0 => (pence / 100).to_string(),
        p => format!("{}.{p:02}", pence / 100),
    }
}

// --- the rules --------------------------------------------------------------------------

/// A pot's contributions, the earliest first.
pub fn contributions_to(
    s: &Snapshot,
    pot: FundPotId,
) -> Vec<(FundContributionId, &FundContribution)> {
    let mut v: Vec<_> = s
        .fund_contributions
        .iter()
        .filter(|(_, c)| c.pot_id == pot)
        .map(|(id, c)| (*id, c))
        .collect();
    sort_by_key(&mut v, |(id, c)| (c.on, *id));
    v
}

/// A pot's bids, in the order they were recorded.
pub fn bids_for(s: &Snapshot, pot: FundPotId) -> Vec<(FundBidId, &FundBid)> {
    s.fund_bids
        .iter()
        .filter(|(_, b)| b.pot_id == pot)
        .map(|(id, b)| (*id, b))
        .collect()
}

/// A partnership's pots, the latest year first (then by name).
pub fn pots_of(s: &Snapshot, partnership: PartnershipId) -> Vec<(FundPotId, &FundPot)> {
    let mut v: Vec<_> = s
        .fund_pots
        .iter()
        .filter(|(_, p)| p.partnership_id == partnership)
        .map(|(id, p)| (*id, p))
        .collect();
    sort_by(&mut v, |a, b| {
        (std::cmp::Reverse(a.1.year), fold_case(&a.1.name), a.0).cmp(&(
            std::cmp::Reverse(b.1.year),
            fold_case(&b.1.name),
            b.0,
        ))
    });
    v
}

/// The sum of the contributions (never overflows: amounts are at most [`MAX_PENCE`], and
/// the sum saturates).
pub fn pot_total<'a>(contributions: impl IntoIterator<Item = &'a FundContribution>) -> u64 {
    contributions
        .into_iter()
        .fold(0u64, |sum, c| sum.saturating_add(c.amount_pence))
}

/// The sum of the amounts approved.
pub fn committed<'a>(bids: impl IntoIterator<Item = &'a FundBid>) -> u64 {
    bids.into_iter()
        .fold(0u64, |sum, b| sum.saturating_add(b.committed_pence()))
}

/// A pot's money as it stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PotFigures {
    pub total: u64,
    pub committed: u64,
    /// Total less committed; below zero when more was approved than was paid in.
    pub balance: i128,
}

/// The balance of `total` less `committed`.
pub fn balance(total: u64, committed: u64) -> i128 {
    i128::from(total) - i128::from(committed)
}

/// A pot's total, committed sum and balance.
pub fn pot_figures(s: &Snapshot, pot: FundPotId) -> PotFigures {
    let total = pot_total(contributions_to(s, pot).into_iter().map(|(_, c)| c));
    let committed = committed(bids_for(s, pot).into_iter().map(|(_, b)| b));
    PotFigures {
        total,
        committed,
        balance: balance(total, committed),
    }
}

/// A bid's score: the sum of its scores; `None` before it is scored.
pub fn total_score(bid: &FundBid) -> Option<u32> {
    (!bid.scores.is_empty()).then(|| {
        bid.scores
            .iter()
            .map(|s| s.score)
            .fold(0u32, u32::saturating_add)
    })
}

/// A bid with its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankedBid<'a> {
    pub id: FundBidId,
    pub bid: &'a FundBid,
    pub score: Option<u32>,
    /// 1 for the highest score; bids with the same score share a rank; `None` unscored.
    pub rank: Option<usize>,
}

/// `bids` ranked by score, highest first (see the module docs); ties by id, so the order
/// is stable.
pub fn ranked_bids<'a>(bids: &[(FundBidId, &'a FundBid)]) -> Vec<RankedBid<'a>> {
    let mut v: Vec<RankedBid<'a>> = bids
        .iter()
        .map(|(id, b)| RankedBid {
            id: *id,
            bid: b,
            score: total_score(b),
            rank: None,
        })
        .collect();
    sort_by_key(&mut v, |r| (std::cmp::Reverse(r.score), r.id));
    let mut last: Option<(u32, usize)> = None;
    for (i, r) in v.iter_mut().enumerate() {
        let Some(score) = r.score else { continue };
        let rank = match last {
            Some((s, rank)) if s == score => rank,
            _ => i + 1,
        };
        last = Some((score, rank));
        r.rank = Some(rank);
    }
    v
}

/// The problems of `bid` (with id `id`, `None` when new) against its pot, as the snapshot
/// stands: each score names one of the pot's criteria and is no more than its maximum, and
/// an amount approved is no more than the pot's balance (leaving out what this bid itself
/// had committed before). Empty when there are none.
pub fn check_against_pot(
    s: &Snapshot,
    id: Option<FundBidId>,
    bid: &FundBid,
    pot: &FundPot,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for score in &bid.scores {
        match pot.criterion(&score.criterion) {
            None => errors.push(FieldError::new(
                "scores",
                format!(
                    "“{}” is not one of this fund's criteria: score the bid on the fund's criteria",
                    score.criterion
                ),
            )),
            Some(c) if score.score > c.max_score => errors.push(FieldError::new(
                &score_field(&score.criterion, pot),
                format!("The score for “{}” must be {} or less", c.name, c.max_score),
            )),
            Some(_) => {}
        }
    }
    if bid.decision == BidDecision::Approved {
        let approved = bid.amount_approved_pence.unwrap_or(0);
        let contributions = contributions_to(s, bid.pot_id);
        let total = pot_total(contributions.into_iter().map(|(_, c)| c));
        let others = committed(
            bids_for(s, bid.pot_id)
                .into_iter()
                .filter(|(other, _)| Some(*other) != id)
                .map(|(_, b)| b),
        );
        let left = balance(total, others);
        if i128::from(approved) > left {
            errors.push(FieldError::new(
                "amount_approved_pence",
                format!(
                    "The amount approved must be no more than the fund's balance ({})",
                    format_balance(left)
                ),
            ));
        }
    }
    errors
}

/// The form field of the score for criterion `name` of `pot`: "score_1" for its first.
pub fn score_field(name: &str, pot: &FundPot) -> String {
    pot.criteria
        .iter()
        .position(|c| c.name == name)
        .and_then(|i| SCORE_FIELDS.get(i))
        .map_or_else(|| "scores".to_owned(), |f| (*f).to_owned())
}

/// A pot's criteria typed one a line, each its name, a colon and the most it scores
/// ("Value for money: 5"); blank lines are left out. Refuses a line without a whole number
/// after its last colon, with the line's number.
pub fn criteria_input(field: &str, input: &str) -> Result<Vec<Criterion>, FieldError> {
    let mut criteria = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let wrong = || {
            FieldError::new(
                field,
                format!(
                    "Enter line {} as the criterion's name, a colon and the most it scores, like “Value for money: 5”",
                    n + 1
                ),
            )
        };
        let (name, max) = line.rsplit_once(':').ok_or_else(wrong)?;
        let max = max.trim();
        if name.trim().is_empty() || max.is_empty() || !max.chars().all(|c| c.is_ascii_digit()) {
            return Err(wrong());
        }
        let max_score = max.parse::<u32>().map_err(|_| wrong())?;
        criteria.push(Criterion {
            name: name.trim().to_owned(),
            max_score,
        });
    }
    Ok(criteria)
}

/// The criteria as [`criteria_input`] reads them, one a line.
pub fn criteria_text(criteria: &[Criterion]) -> String {
    criteria
        .iter()
        .map(|c| format!("{}: {}", c.name, c.max_score))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A score typed into a form field: empty for none, else a whole number.
pub fn score_input(field: &str, input: &str, criterion: &str) -> Result<Option<u32>, FieldError> {
    let typed = input.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    if !typed.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new(
            field,
            format!("Enter the score for “{criterion}” as a whole number, like 7"),
        ));
    }
    typed.parse::<u32>().map(Some).map_err(|_| {
        FieldError::new(
            field,
            format!("The score for “{criterion}” must be {MAX_CRITERION_SCORE} or less"),
        )
    })
}

/// What a partnership's funds gave in one financial year (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FundsSpent {
    /// The sum approved by decisions dated in the year, in pence.
    pub total_pence: u64,
    /// The bids approved in the year, the earliest decision first.
    pub awards: Vec<FundBidId>,
}

/// The funds a partnership approved in the financial year starting in April of `year`
/// (2010 for 2010/11), from any of its pots: for the annual report.
pub fn funds_spent(s: &Snapshot, partnership: PartnershipId, year: u32) -> FundsSpent {
    let next = year.checked_add(1).unwrap_or(year);
    let (Some(start), Some(end)) = (IsoDate::new(year, 4, 1), IsoDate::new(next, 3, 31)) else {
        return FundsSpent::default();
    };
    let mut awards: Vec<(IsoDate, FundBidId, u64)> = s
        .fund_bids
        .iter()
        .filter(|(_, b)| b.partnership_id == partnership && b.decision == BidDecision::Approved)
        .filter_map(|(id, b)| {
            let on = b.decided_on?;
            (start <= on && on <= end).then_some((on, *id, b.committed_pence()))
        })
        .collect();
    sort(&mut awards);
    FundsSpent {
        total_pence: awards
            .iter()
            .fold(0u64, |sum, (_, _, a)| sum.saturating_add(*a)),
        awards: awards.into_iter().map(|(_, id, _)| id).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> PartnershipId {
        PartnershipId::new(1, [1; 10])
    }

    fn pot() -> FundPot {
        FundPot {
            partnership_id: p(),
            name: "LSP project fund".into(),
            year: 2010,
            decided_by: Some(BodyId::new(2, [2; 10])),
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
            closes_on: None,
            note: "Illustrative figures".into(),
        }
    }

    fn pot_id() -> FundPotId {
        FundPotId::new(3, [3; 10])
    }

    fn contribution(pounds: u64) -> FundContribution {
        FundContribution {
            partnership_id: p(),
            pot_id: pot_id(),
            organisation_id: OrganisationId::new(4, [4; 10]),
            amount_pence: pounds * 100,
            on: IsoDate::known(2010, 4, 1),
            note: "Illustrative figure".into(),
        }
    }

    fn bid(asked: u64, scores: &[u32]) -> FundBid {
        let criteria = pot().criteria;
        FundBid {
            partnership_id: p(),
            pot_id: pot_id(),
            body_id: BodyId::new(5, [5; 10]),
            joint_organisation_ids: Vec::new(),
            amount_asked_pence: asked * 100,
            purpose: "Illustrative: youth diversion sessions".into(),
            priority_ids: Vec::new(),
            target_ids: Vec::new(),
            submitted_on: Some(IsoDate::known(2010, 5, 1)),
            scores: criteria
                .iter()
                .zip(scores)
                .map(|(c, s)| CriterionScore {
                    criterion: c.name.clone(),
                    score: *s,
                })
                .collect(),
            decision: BidDecision::Pending,
            amount_approved_pence: None,
            decided_on: None,
            decided_by: None,
            reason: String::new(),
        }
    }

    fn approved(mut b: FundBid, pounds: u64, on: IsoDate) -> FundBid {
        b.decision = BidDecision::Approved;
        b.amount_approved_pence = Some(pounds * 100);
        b.decided_on = Some(on);
        b
    }

    fn snapshot(contributions: &[u64], bids: Vec<FundBid>) -> Snapshot {
        let mut s = Snapshot::default();
        s.fund_pots.insert(pot_id(), pot());
        for (i, c) in contributions.iter().enumerate() {
            let n = u8::try_from(i).unwrap_or(0);
            s.fund_contributions.insert(
                FundContributionId::new(10 + u64::from(n), [n; 10]),
                contribution(*c),
            );
        }
        for (i, b) in bids.into_iter().enumerate() {
            let n = u8::try_from(i).unwrap_or(0);
            s.fund_bids
                .insert(FundBidId::new(100 + u64::from(n), [n; 10]), b);
        }
        s
    }

    #[test]
    fn a_pots_total_is_its_contributions_and_its_balance_falls_by_what_is_approved() {
        let on = IsoDate::known(2010, 7, 1);
        let s = snapshot(
            &[10_000, 5_000, 2_500],
            vec![
                approved(bid(6_000, &[8, 4]), 5_000, on),
                bid(3_000, &[5, 5]),
                {
                    let mut r = bid(4_000, &[2, 1]);
                    r.decision = BidDecision::Refused;
                    r.decided_on = Some(on);
                    r.reason = "Illustrative: outside the priorities".into();
                    r
                },
            ],
        );
        assert_eq!(
            pot_figures(&s, pot_id()),
            PotFigures {
                total: 1_750_000,
                committed: 500_000,
                balance: 1_250_000,
            }
        );
        assert_eq!(balance(100, 250), -150);
        assert_eq!(format_balance(-15_000), "−£150");
    }

    #[test]
    fn bids_rank_by_total_score_ties_share_a_rank_and_unscored_bids_come_last() {
        let s = snapshot(
            &[],
            vec![
                bid(1, &[3, 4]),
                bid(1, &[9, 5]),
                bid(1, &[]),
                bid(1, &[5, 2]),
            ],
        );
        let ranked = ranked_bids(&bids_for(&s, pot_id()));
        let seen: Vec<(Option<u32>, Option<usize>)> =
            ranked.iter().map(|r| (r.score, r.rank)).collect();
        assert_eq!(
            seen,
            [
                (Some(14), Some(1)),
                (Some(7), Some(2)),
                (Some(7), Some(2)),
                (None, None)
            ]
        );
    }

    #[test]
    fn an_approval_may_not_exceed_the_amount_asked_nor_the_balance_nor_a_score_its_maximum() {
        let on = IsoDate::known(2010, 7, 1);
        let over_asked = approved(bid(1_000, &[]), 1_200, on);
        let errors = over_asked.validate().expect_err("more than asked");
        assert_eq!(
            errors[0].message,
            "The amount approved must be no more than the amount asked for (£1,000)"
        );

        let s = snapshot(&[3_000], vec![approved(bid(2_000, &[]), 2_000, on)]);
        let second = approved(bid(2_000, &[11, 5]), 1_500, on);
        assert!(second.validate().is_ok());
        let errors = check_against_pot(&s, None, &second, &pot());
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "The score for “Serves the SCS priorities” must be 10 or less",
                "The amount approved must be no more than the fund's balance (£1,000)",
            ]
        );
        assert_eq!(errors[0].field, "score_1");
        // Editing the approved bid itself does not count its own approval against it.
        let (first, first_bid) = bids_for(&s, pot_id())[0];
        let mut raised = first_bid.clone();
        raised.amount_approved_pence = Some(300_000);
        raised.amount_asked_pence = 300_000;
        assert!(check_against_pot(&s, Some(first), &raised, &pot()).is_empty());

        let mut stray = bid(1, &[]);
        stray.scores.push(CriterionScore {
            criterion: "Value for money".into(),
            score: 1,
        });
        assert_eq!(
            check_against_pot(&s, None, &stray, &pot())[0].field,
            "scores"
        );
    }

    #[test]
    fn a_decision_needs_its_date_and_a_refusal_its_reason() {
        let mut b = bid(500, &[]);
        assert!(b.validate().is_ok());
        b.decision = BidDecision::Refused;
        let fields: Vec<String> = b
            .validate()
            .expect_err("no date nor reason")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["decided_on", "reason"]);
        b.decision = BidDecision::Approved;
        b.decided_on = Some(IsoDate::known(2010, 4, 1));
        let errors = b
            .validate()
            .expect_err("no amount, decided before it was sent");
        assert_eq!(errors[0].message, "Enter the amount approved");
        assert_eq!(
            errors[1].message,
            "The date of the decision must be on or after the date the bid was submitted"
        );
        let mut pending = bid(500, &[]);
        pending.amount_approved_pence = Some(100);
        assert_eq!(
            pending.validate().expect_err("pending with an amount")[0].field,
            "amount_approved_pence"
        );
        let mut nothing = bid(0, &[]);
        nothing.purpose = " ".into();
        let fields: Vec<String> = nothing
            .validate()
            .expect_err("empty")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["amount_asked_pence", "purpose"]);
    }

    #[test]
    fn a_pot_needs_a_name_a_year_and_distinct_criteria_within_range() {
        assert!(pot().validate().is_ok());
        let mut bad = pot();
        bad.name = String::new();
        bad.year = 10;
        bad.criteria.push(Criterion {
            name: "Joint bid".into(),
            max_score: 0,
        });
        let messages: Vec<String> = bad
            .validate()
            .expect_err("three problems")
            .into_iter()
            .map(|e| e.message)
            .collect();
        assert_eq!(
            messages,
            [
                "Enter the name of the fund",
                "Enter the year the fund starts, from 2000 to 2100, for example 2010 for 2010/11",
                "Enter the most “Joint bid” can score, from 1 to 1000",
                "Give each criterion a different name: “Joint bid” is there twice",
            ]
        );
        assert_eq!(pot().max_total(), 15);
        assert_eq!(pot().year_label(), "2010/11");
    }

    #[test]
    fn funds_spent_in_a_year_are_the_approvals_dated_april_to_march() {
        let s = snapshot(
            &[20_000],
            vec![
                approved(bid(1_000, &[]), 1_000, IsoDate::known(2010, 3, 31)),
                approved(bid(2_000, &[]), 1_500, IsoDate::known(2010, 4, 1)),
                approved(bid(3_000, &[]), 2_500, IsoDate::known(2011, 3, 31)),
                bid(4_000, &[]),
            ],
        );
        let spent = funds_spent(&s, p(), 2010);
        assert_eq!(spent.total_pence, 400_000);
        assert_eq!(spent.awards.len(), 2);
        assert_eq!(funds_spent(&s, p(), 2009).total_pence, 100_000);
        assert_eq!(
            funds_spent(&s, PartnershipId::new(9, [9; 10]), 2010),
            FundsSpent::default()
        );
        assert_eq!(funds_spent(&s, p(), u32::MAX), FundsSpent::default());
    }

    /// The annual report's "Funds spent" is these awards, each named by its group, purpose,
    /// fund and day, in pence.
    #[test]
    fn the_annual_report_lists_the_years_awards() {
        use crate::strategy::annual::{FinancialYear, FundsSpent as Line, annual_report};
        let mut s = snapshot(
            &[20_000],
            vec![
                approved(bid(2_000, &[]), 1_500, IsoDate::known(2010, 4, 1)),
                approved(bid(3_000, &[]), 2_500, IsoDate::known(2011, 4, 1)),
            ],
        );
        s.fund_pots.insert(pot_id(), pot());
        s.bodies.insert(
            BodyId::new(5, [5; 10]),
            crate::structure::domain::Body {
                partnership_id: p(),
                name: "Community Safety".into(),
                kind: crate::structure::domain::BodyKind::PriorityActionGroup,
                terms_of_reference: String::new(),
            },
        );
        let report = annual_report(&s, p(), FinancialYear(2010), IsoDate::known(2012, 1, 1))
            .expect("a report of 2010/11");
        assert_eq!(
            report.funds_spent,
            [Line {
                what: "Community Safety: Illustrative: youth diversion sessions (LSP project fund \
                       2010/11, approved on 1 April 2010)"
                    .to_owned(),
                pence: 150_000,
            }]
        );
    }

    #[test]
    fn money_is_read_as_people_type_it() {
        let read = |t: &str| money_input("amount", t, "the amount");
        assert_eq!(read("£1,250"), Ok(Some(125_000)));
        assert_eq!(read(" 1250.50 "), Ok(Some(125_050)));
        assert_eq!(read("1250.5"), Ok(Some(125_050)));
        assert_eq!(read("£ 12,500,000.07"), Ok(Some(1_250_000_007)));
        assert_eq!(read("0.75"), Ok(Some(75)));
        assert_eq!(read(""), Ok(None));
        assert_eq!(read("£"), Ok(None));
        let message = |t: &str| read(t).err().map(|e| e.message).unwrap_or_default();
        assert_eq!(
            message("1250,50"),
            "Enter the amount with a point for pence, like £1,250.50 (a comma only separates thousands, like £1,250)"
        );
        assert_eq!(message("1,25"), message("1250,50"));
        assert_eq!(message("-5"), "The amount must be £0 or more");
        assert_eq!(
            message("12.345"),
            "Enter the amount in pounds and pence, like £1,250 or £1,250.50"
        );
        assert_eq!(message("ten pounds"), message("12.345"));
        assert_eq!(message("."), message("12.345"));
        assert_eq!(
            message("99999999999999999999999"),
            "The amount must be £1,000,000,000 or less"
        );
        assert_eq!(
            required_money_input("amount", " ", "the amount")
                .err()
                .map(|e| e.message),
            Some("Enter the amount".to_owned())
        );
        assert_eq!(format_money(125_050), "£1,250.50");
        assert_eq!(format_money(125_000), "£1,250");
        assert_eq!(format_money(5), "£0.05");
        assert_eq!(format_money(MAX_PENCE), "£1,000,000,000");
        assert_eq!(money_text(125_050), "1250.50");
    }

    #[test]
    fn criteria_are_typed_one_a_line_with_the_most_each_scores() {
        let read = criteria_input(
            "criteria",
            "Serves the SCS priorities: 10\n\n Ratio: 2:1 bids: 5 ",
        );
        assert_eq!(
            read,
            Ok(vec![
                Criterion {
                    name: "Serves the SCS priorities".into(),
                    max_score: 10
                },
                Criterion {
                    name: "Ratio: 2:1 bids".into(),
                    max_score: 5
                },
            ])
        );
        assert_eq!(
            criteria_input("criteria", "Value for money\nJoint: five")
                .err()
                .map(|e| e.message),
            Some("Enter line 1 as the criterion's name, a colon and the most it scores, like “Value for money: 5”".to_owned())
        );
        assert_eq!(score_input("score_1", " 7 ", "Joint bid"), Ok(Some(7)));
        assert_eq!(score_input("score_1", "", "Joint bid"), Ok(None));
        assert!(score_input("score_1", "-1", "Joint bid").is_err());
        assert!(score_input("score_1", "99999999999", "Joint bid").is_err());
        assert_eq!(score_field("Joint bid", &pot()), "score_2");
        let mut many = pot();
        many.criteria = (0..11)
            .map(|i| Criterion {
                name: format!("Criterion {i}"),
                max_score: 1,
            })
            .collect();
        assert_eq!(
            many.validate().expect_err("too many")[0].message,
            "Enter 10 criteria or fewer"
        );
    }

    use crate::test_text::{config, text};
    use proptest::prelude::{prop_assert, prop_assert_eq, proptest};

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn any_typed_amount_is_read_or_refused_without_a_crash(input in text(16)) {
            if let Ok(Some(pence)) = money_input("amount", &input, "the amount") {
                prop_assert!(pence <= MAX_PENCE);
            }
        }

        #[test]
        fn any_amount_reads_back_as_it_was_written(pence in 0u64..=MAX_PENCE) {
            prop_assert_eq!(money_input("a", &format_money(pence), "the amount"), Ok(Some(pence)));
            prop_assert_eq!(money_input("a", &money_text(pence), "the amount"), Ok(Some(pence)));
        }

        #[test]
        fn any_typed_criteria_are_read_back_as_written_or_refused_without_a_crash(input in text(40)) {
            if let Ok(read) = criteria_input("criteria", &input) {
                prop_assert_eq!(criteria_input("criteria", &criteria_text(&read)), Ok(read));
            }
        }

        #[test]
        fn any_typed_score_is_read_or_refused_without_a_crash(input in text(12)) {
            let _ = score_input("score_1", &input, "Joint bid");
        }

        #[test]
        fn typed_digits_with_a_decimal_comma_are_refused(whole in 1u64..100_000, cents in 10u64..100) {
            let typed = format!("{whole},{cents}");
            prop_assert!(money_input("a", &typed, "the amount").is_err());
        }
    }
}
