//! The demo data: three partnerships built from the seed papers (names and facts from the
//! papers, in our own words), loaded into a new database through the same push path as any
//! device, so the records are in the change sequence and every device pulls them.
//!
//! * **Redditch Partnership** (seeds 000 and 004): the Partnership Management Board and its ten
//!   member organisations, the Partnership Manager, the LSP Task and Finish Group, and the
//!   community safety partnership.
//! * **Bath & North East Somerset LSP** (seed 001): its twelve member organisations, the
//!   independent chair, two interim co-opted councillors and the supporting officer.
//! * **Basingstoke and Deane LSP** (seed 003): the structure after the 2008 review: Board,
//!   Management Group, Conference, five Priority Action Groups, four cross-cutting groups and
//!   the groups and networks around them, with the reporting lines between them (a graph: the
//!   "other partnerships and fora" feed into all five Priority Action Groups).
//!
//! * **Glossary** for each partnership: the acronyms the papers use (LSP, SCS, LAA, CAA, CDRP,
//!   PAG, O&S, NI, and BARN for Redditch), in our own words.
//! * **Presentation**: Basingstoke and Deane's standard tour (`shared::training::standard_tour`)
//!   for councillor training sessions.
//! * **"We Are Redditch"** (seed 004, recommendations 2, 12 and 14): the January 2010 public
//!   consultation about residents' priorities for the new Sustainable Community Strategy, its
//!   event, a first questionnaire version, and the one "you said, we did" finding the papers
//!   support. The papers give the month but not the day or venue of the event, nor the names
//!   of Redditch's four new priorities: the event is dated the first of the month and the
//!   ranking question offers the general LSP themes (DOMAIN.md).
//! * **Illustrative answers** to it, labelled as such: the papers report no responses, so
//!   that a newcomer's results page has something to show, the demo holds
//!   [`ILLUSTRATIVE_RESPONSES`] made-up answers, from a seeded generator ([`SplitMix64`]) with
//!   a plausible skew (community safety and health most often ranked, young people's themes at
//!   a youth session, most residents unsure what the partnership does, the Redditch postcode
//!   districts B97, B98 and B80 with a few from further off, so that some breakdown cells are
//!   small enough to be suppressed), across the event of the papers, two illustrative events
//!   (venue [`ILLUSTRATIVE_VENUE`]), paper forms and the online link. The consultation's
//!   purpose says so, the illustrative events are named so, and every free-text comment
//!   begins "Illustrative comment"; none holds real personal data.
//! * **Meetings** (seeds 000, 001, 004): Redditch's Overview and Scrutiny Committee on 25
//!   November 2009 (item 126, the presentation on the LSP, "the report noted"), 2 March 2011
//!   (pre-scrutiny of the new strategy) and 8 November 2011 (the first six-monthly review);
//!   two Board meetings whose dates and minutes are illustrative and say so
//!   ([`ILLUSTRATIVE_DATES`]), one set of minutes published and circulated, one a draft that
//!   only members read; and Bath and North East Somerset's reports to its Overview and
//!   Scrutiny Corporate Issues Panel (December 2002, 15 January 2003), the paper's own
//!   uncertainty about the committee written in the meeting's note.
//! * **Councillor training** (seed 004, recommendation 9): the sessions of October 2010 and
//!   October 2011 given by the Partnership Manager (the day illustrative: [`TRAINING_NOTE`]).
//! * **Redditch's new Sustainable Community Strategy** (seed 004, recommendations 6, 10, 12
//!   and 13): adopted in 2011 after pre-scrutiny on 2 March 2011, with "only four key
//!   priorities", most of the work "raising educational standards and tackling health
//!   inequalities". The papers name neither its period nor its other two priorities nor any
//!   figure, so the period, the two other priorities (titled "Illustrative priority: …"), the
//!   owners and leads, and every target's figures are illustrative, and say so: each target's
//!   data source and each figure's note is "Illustrative figure". The targets use real
//!   National Indicator codes, and their figures make every status appear.
//! * **The LSP Task and Finish Group's review** (seed 004): its fifteen recommendations and
//!   the response to each, word for word, dated (illustratively, and saying so beside the
//!   date) on the day of the Overview and Scrutiny meeting of 8 November 2011 that monitored
//!   them; the dated facts the responses name as evidence (the web pages re-launched in early
//!   2010, We Are Redditch in January 2010, the O&S examination of the new SCS on 2 March
//!   2011, the Partnership Manager appointed in May 2011, the conference of 16 June 2011, the
//!   councillor training of October 2010 and October 2011), a note beside each date the paper
//!   gives only to the month; and that meeting as the first monitoring session. Who each
//!   recommendation is addressed to is read from its own wording.
//! * **Action plans** (seed 003's "Expectations of PAGs 2009/10"): two Priority Action Groups'
//!   plans for 2009/10, one that meets the expectations and one provided late with two key
//!   actions, so both outcomes of the checks show. The papers give the expectations only: the
//!   plans' actions, leads and dates are illustrative and say so ([`ILLUSTRATIVE_PLAN`]).
//! * **Highlight reports**: the Redditch Community Safety Partnership, which owns the
//!   strategy's illustrative "safer Redditch" priority, reports to the Partnership Management
//!   Board (its reporting line): one report for April to June 2011, submitted, escalating a
//!   matter to the Board's July meeting, and the next quarter's still a draft, so the Board's
//!   page shows one received and one late. The papers hold no highlight report: every word of
//!   them is illustrative and says so ([`ILLUSTRATIVE_HIGHLIGHTS`]).
//! * **Basingstoke and Deane's strategy** (seed 003: "LSP Board sets the vision and priorities
//!   in SCS"; each Priority Action Group owns a priority theme; "Report Hampshire LAA
//!   performance targets (where applicable)"): one priority per group, and Hampshire LAA
//!   targets for Community Safety (reported every quarter of 2009/10) and Housing (reported
//!   once, then not), so the groups' plans show the LAA check met and not met. The papers name
//!   neither the strategy's period nor the targets or any figure: those are illustrative
//!   ([`ILLUSTRATIVE_BASINGSTOKE_STRATEGY`]).
//! * **The Worcestershire Partnership** (seed 004, #14: Redditch's priorities should "dovetail
//!   with those of the Worcestershire Partnership"): the county partnership, its strategy and
//!   four priorities, all illustrative and saying so ([`ILLUSTRATIVE_COUNTY`]), each naming
//!   the Redditch priority it dovetails with. Each Redditch priority names the theme residents
//!   ranked in We Are Redditch (illustrative: [`REDDITCH_THEMES`]), and two illustrative
//!   findings of We Are Redditch name the priorities they led to.
//! * **Project funds** (seed 003: "a mechanism for allocating LSP project funds", joint and
//!   collaborative funding bids): Basingstoke and Deane's fund for 2010/11, decided by the
//!   Management Group, two councils' contributions and three Priority Action Groups' bids
//!   (approved, refused, pending). The papers give no figure: every amount, criterion and
//!   bid is illustrative and says so ([`ILLUSTRATIVE_FUND`]).
//!
//! Ids are deterministic (UUID v7 at a fixed time with a counter; an illustrative response's
//! id and its device's from the generator's seed), so the demo is the same on every server and
//! loading it twice is harmless: the second push finds its mutation ids already applied.

use std::collections::BTreeMap;

use atlas_shared::consultation::{
    AnswerValue, Channel, Consultation, ConsultationEvent, DEFAULT_SUPPRESSION_THRESHOLD, Finding,
    Questionnaire, Response,
};
use atlas_shared::scrutiny::reviews;
use atlas_shared::scrutiny::{
    AgendaItem, Concern, CouncillorInduction, Meeting, MeetingId, MeetingStatus, Minutes,
    ReportType, TrainingSession,
};
use atlas_shared::scrutiny::{
    MonitoringSession, Recommendation, RecommendationId, RecommendationStep, Review, ReviewId,
    StepKind,
};
use atlas_shared::strategy::{ActionPlan, ActionPlanId, HighlightReport, KeyAction, OverallStatus};
use atlas_shared::strategy::{
    Figure, Frequency, Measurement, Milestone, Polarity, Priority, PriorityId, ResidentTheme,
    Strategy, StrategyId, StrategyStatus, Target, TargetId,
};
use atlas_shared::training::{GlossaryTerm, standard_tour};
use atlas_shared::{
    Body, BodyId, BodyKind, ConsultationEventId, ConsultationId, DeviceId, Entity, EntityKind,
    LineKind, Membership, MembershipRole, Mutation, MutationId, Op, Organisation, OrganisationId,
    Outcome, Partnership, PartnershipId, QuestionnaireId, Replica, ReportingLine, uuid_v7,
};
use atlas_shared::{IsoDate, sample_consultation, seeds};
use uuid::Uuid;

use crate::accounts::{CreateUserError, create_user};
use crate::db::{Database, DbError, Sender};
use atlas_shared::accounts::{Grants, Principal};

/// The device the demo data is pushed from.
pub const DEMO_DEVICE_ID: DeviceId =
    DeviceId(Uuid::from_u128(0x0188_5c7e_8000_7000_8000_de30_da7a_0001));

/// The time the demo ids carry: 25 November 2009, when Redditch's Overview and Scrutiny
/// Committee heard the presentation on its LSP (seed 000).
const DEMO_TIME_MS: u64 = 1_259_107_200_000;

pub use atlas_shared::seeds::{
    BASINGSTOKE, BASINGSTOKE_CROSS_CUTTING_GROUPS, BASINGSTOKE_PRIORITY_ACTION_GROUPS, BATH,
    REDDITCH,
};

/// Every body of Basingstoke and Deane's structure (seed 003).
pub fn basingstoke_bodies() -> Vec<&'static str> {
    seeds::BASINGSTOKE_BODIES.to_vec()
}

/// Every mutation of the demo data, in an order that creates each record after those it
/// refers to.
pub fn demo_mutations() -> Vec<Mutation> {
    let mut demo = Demo::default();
    redditch(&mut demo);
    bath(&mut demo);
    basingstoke(&mut demo);
    // Added after the structure so the structure's ids stay as they were.
    glossary(&mut demo);
    tour(&mut demo, BASINGSTOKE);
    // Added after the tour, so every id above stays as it was.
    we_are_redditch(&mut demo);
    // Each added after those before it, so every id above stays as it was.
    redditch_strategy(&mut demo);
    task_and_finish_review(&mut demo);
    meetings(&mut demo);
    training_sessions(&mut demo);
    inductions(&mut demo);
    basingstoke_action_plans(&mut demo);
    redditch_highlight_reports(&mut demo);
    basingstoke_strategy(&mut demo);
    worcestershire(&mut demo);
    basingstoke_project_fund(&mut demo);
    demo.mutations
}

/// What the demo says of Basingstoke and Deane's strategy: the papers give its shape only.
pub const ILLUSTRATIVE_BASINGSTOKE_STRATEGY: &str = "Illustrative: seed 003 says the LSP \
     Board sets the vision and priorities in the Sustainable Community Strategy, that a \
     Priority Action Group leads each priority theme, and that the groups report Hampshire \
     Local Area Agreement targets where they apply. The papers give neither this strategy's \
     period nor its wording, targets or figures: those here are made up for the demo.";

/// Basingstoke and Deane's strategy (see the module docs): a priority per Priority Action
/// Group, owned by it; Hampshire LAA targets, reported quarterly, for two of them.
fn basingstoke_strategy(demo: &mut Demo) {
    let Some(p) = demo.partnership_named(BASINGSTOKE) else {
        return;
    };
    let s = StrategyId(demo.add(Entity::Strategy(Strategy {
        partnership_id: p,
        title: "Basingstoke and Deane Sustainable Community Strategy".into(),
        first_year: 2008,
        last_year: 2011,
        vision: ILLUSTRATIVE_BASINGSTOKE_STRATEGY.into(),
        status: StrategyStatus::Adopted,
        drafted_on: None,
        pre_scrutiny_on: None,
        adopted_on: None,
        superseded_on: None,
    })));
    let county = demo
        .record_named(EntityKind::Organisation, p, seeds::HAMPSHIRE_COUNTY_COUNCIL)
        .map(OrganisationId);
    // (code, name, unit, polarity, baseline, target, figures by quarter end)
    type LaaTarget = (
        &'static str,
        &'static str,
        &'static str,
        Polarity,
        f64,
        f64,
        &'static [(IsoDate, f64)],
    );
    const LAA: [(&str, &[LaaTarget]); 2] = [
        (
            "Community Safety",
            &[
                (
                    "NI 16",
                    "Serious acquisitive crime rate",
                    "per 1,000 population",
                    Polarity::LowerIsBetter,
                    16.0,
                    14.5,
                    &[
                        (day(2009, 6, 30), 15.8),
                        (day(2009, 9, 30), 15.5),
                        (day(2009, 12, 31), 15.4),
                        (day(2010, 3, 31), 15.1),
                    ],
                ),
                (
                    "NI 32",
                    "Repeat incidents of domestic violence",
                    "%",
                    Polarity::LowerIsBetter,
                    28.0,
                    26.0,
                    &[
                        (day(2009, 6, 30), 27.5),
                        (day(2009, 9, 30), 27.9),
                        (day(2009, 12, 31), 27.0),
                        (day(2010, 3, 31), 26.8),
                    ],
                ),
            ],
        ),
        (
            "Housing",
            &[(
                "NI 155",
                "Number of affordable homes delivered (gross)",
                "homes in the year",
                Polarity::HigherIsBetter,
                250.0,
                300.0,
                // Reported for the first quarter only: the check says what is missing.
                &[(day(2009, 6, 30), 62.0)],
            )],
        ),
    ];
    for (position, group) in seeds::BASINGSTOKE_PRIORITY_ACTION_GROUPS.iter().enumerate() {
        let body = demo.body_named(p, group);
        let priority = PriorityId(demo.add(Entity::Priority(Priority {
            partnership_id: p,
            strategy_id: s,
            title: (*group).into(),
            description: format!(
                "The priority theme the {group} Priority Action Group leads (seed 003)."
            ),
            body_id: body,
            lead_organisation_ids: Vec::new(),
            position: position as u32 + 1,
            resident_theme: None,
            dovetails_with: Vec::new(),
        })));
        let targets = LAA
            .iter()
            .find(|(g, _)| g == group)
            .map_or(&[][..], |t| t.1);
        for (code, name, unit, polarity, baseline, goal, figures) in targets {
            let target = TargetId(demo.add(Entity::Target(Target {
                partnership_id: p,
                priority_id: priority,
                name: (*name).into(),
                code: (*code).into(),
                laa: true,
                unit: (*unit).into(),
                polarity: *polarity,
                baseline: Some(Figure::known(*baseline)),
                baseline_on: Some(day(2009, 3, 31)),
                target_value: Some(Figure::known(*goal)),
                deadline: Some(day(2011, 3, 31)),
                milestones: Vec::new(),
                tolerance_percent: Figure::known(5.0),
                source: ILLUSTRATIVE_FIGURE.into(),
                frequency: Frequency::Quarterly,
                owner_id: county,
                status_override: None,
                override_reason: String::new(),
            })));
            for (on, value) in *figures {
                demo.add(Entity::Measurement(Measurement {
                    partnership_id: p,
                    target_id: target,
                    on: *on,
                    value: Figure::known(*value),
                    note: ILLUSTRATIVE_FIGURE.into(),
                }));
            }
        }
    }
}

/// The county partnership Redditch's priorities should dovetail with (seed 004, #14).
pub const WORCESTERSHIRE: &str = "Worcestershire Partnership";

/// What the Worcestershire Partnership's records say of themselves: the papers name it only.
pub const ILLUSTRATIVE_COUNTY: &str = "Illustrative: the papers name the Worcestershire \
     Partnership and say it refreshed its strategy by auditing the district partnerships' \
     priorities, but give none of its records.";

/// The key of We Are Redditch's ranking question (`sample_consultation`).
const RANKING_QUESTION: &str = "priorities";

/// Each Redditch priority's theme in the We Are Redditch ranking question (illustrative: the
/// papers do not say which theme each priority answers).
const REDDITCH_THEMES: [(&str, &str); 4] = [
    ("Raising educational standards", "children_and_young_people"),
    ("Tackling health inequalities", "health_and_wellbeing"),
    (
        "Illustrative priority: a safer Redditch",
        "community_safety",
    ),
    (
        "Illustrative priority: a thriving local economy",
        "skills_and_employability",
    ),
];

/// The Worcestershire Partnership (seed 004, #14), its illustrative strategy whose priorities
/// name the Redditch priorities they dovetail with (the county formed its set "by auditing
/// all of the district LSP priorities"), and two illustrative findings of We Are Redditch
/// linked to the Redditch priorities they led to. Added last, so every id above stays as it
/// was.
fn worcestershire(demo: &mut Demo) {
    let Some(redditch) = demo.partnership_named(REDDITCH) else {
        return;
    };
    let priority =
        |demo: &Demo, title: &str| demo.titled(EntityKind::Priority, title).map(PriorityId);
    let county = demo.partnership(
        WORCESTERSHIRE,
        "County of Worcestershire",
        ILLUSTRATIVE_COUNTY,
    );
    let s = StrategyId(demo.add(Entity::Strategy(Strategy {
        partnership_id: county,
        title: "Worcestershire Sustainable Community Strategy".into(),
        first_year: 2011,
        last_year: 2021,
        vision: format!(
            "{ILLUSTRATIVE_COUNTY} Its period, wording and priorities here are made up for \
             the demo, to show how a district's priorities dovetail with the county's."
        ),
        status: StrategyStatus::Adopted,
        drafted_on: None,
        pre_scrutiny_on: None,
        adopted_on: None,
        superseded_on: None,
    })));
    let county_priorities: [(&str, &[&str]); 4] = [
        (
            "Illustrative priority: children and young people achieving their potential",
            &["Raising educational standards"],
        ),
        (
            "Illustrative priority: improving health and well-being",
            &["Tackling health inequalities"],
        ),
        (
            "Illustrative priority: communities that are safe and feel safe",
            &["Illustrative priority: a safer Redditch"],
        ),
        (
            "Illustrative priority: economic success that is shared by all",
            &["Illustrative priority: a thriving local economy"],
        ),
    ];
    for (position, (title, districts)) in county_priorities.iter().enumerate() {
        let dovetails_with = districts.iter().filter_map(|t| priority(demo, t)).collect();
        demo.add(Entity::Priority(Priority {
            partnership_id: county,
            strategy_id: s,
            title: (*title).into(),
            description: ILLUSTRATIVE_COUNTY.into(),
            body_id: None,
            lead_organisation_ids: Vec::new(),
            position: position as u32 + 1,
            resident_theme: None,
            dovetails_with,
        }));
    }
    let Some(c) = demo
        .titled(EntityKind::Consultation, WE_ARE_REDDITCH)
        .map(ConsultationId)
    else {
        return;
    };
    let findings: [(&str, &str, &[&str]); 2] = [
        (
            "Illustrative finding: in the demo's answers, residents ranked community safety \
             and health and wellbeing highest.",
            "Illustrative: the strategy's priorities on health inequalities and a safer \
             Redditch answer them.",
            &[
                "Tackling health inequalities",
                "Illustrative priority: a safer Redditch",
            ],
        ),
        (
            "Illustrative finding: young people at the youth session asked for better \
             schools and more to do.",
            "Illustrative: raising educational standards became one of the strategy's two \
             main priorities.",
            &["Raising educational standards"],
        ),
    ];
    for (text, action, priorities) in findings {
        let priority_ids = priorities
            .iter()
            .filter_map(|t| priority(demo, t))
            .collect();
        demo.add(Entity::Finding(Finding {
            partnership_id: redditch,
            consultation_id: c,
            text: text.into(),
            action: action.into(),
            body_ids: Vec::new(),
            priority_ids,
            key_action_ids: Vec::new(),
        }));
    }
}

/// What every demo highlight report says first: the papers hold none.
pub const ILLUSTRATIVE_HIGHLIGHTS: &str = "Illustrative: the papers hold no highlight report.";

/// The Redditch Community Safety Partnership's highlight reports to the Partnership
/// Management Board (its reporting line), on the strategy's "safer Redditch" priority it owns:
/// April to June 2011 submitted with an escalation (which reaches the Board's meeting of 19
/// July 2011), July to September 2011 a draft, past its due date.
fn redditch_highlight_reports(demo: &mut Demo) {
    let Some(p) = demo.partnership_named(REDDITCH) else {
        return;
    };
    let (Some(safety), Some(board)) = (
        demo.body_named(p, "Redditch Community Safety Partnership"),
        demo.body_named(p, "Partnership Management Board"),
    ) else {
        return;
    };
    let text = |words: &str| format!("{ILLUSTRATIVE_HIGHLIGHTS} {words}");
    demo.add(Entity::HighlightReport(HighlightReport {
        partnership_id: p,
        body_id: safety,
        to_body_id: board,
        period_start: IsoDate::known(2011, 4, 1),
        period_end: IsoDate::known(2011, 6, 30),
        due_on: IsoDate::known(2011, 7, 14),
        submitted_on: Some(IsoDate::known(2011, 7, 12)),
        overall: OverallStatus::AtRisk,
        progress: text(
            "Serious acquisitive crime is below the line to the 2014 target, and the \
             partnership agreed its plan for the year.",
        ),
        next_period: text("Agree a joint approach to burglary with the police and housing."),
        risks_and_issues: text(
            "The figures are a year old: the quarterly figure from the police has not come.",
        ),
        decisions_needed: text("None this quarter."),
        escalate: true,
        escalation: text(
            "The Board is asked to ask West Mercia Police for the quarterly crime figures, \
             so the partnership can report its target on time.",
        ),
    }));
    demo.add(Entity::HighlightReport(HighlightReport {
        partnership_id: p,
        body_id: safety,
        to_body_id: board,
        period_start: IsoDate::known(2011, 7, 1),
        period_end: IsoDate::known(2011, 9, 30),
        due_on: IsoDate::known(2011, 10, 14),
        submitted_on: None,
        overall: OverallStatus::OnTrack,
        progress: text("A draft, not yet submitted."),
        next_period: String::new(),
        risks_and_issues: String::new(),
        decisions_needed: String::new(),
        escalate: false,
        escalation: String::new(),
    }));
}

/// What the demo says of the training sessions' missing facts.
pub const TRAINING_NOTE: &str = "The papers (seed 004, recommendation 9) give the month and \
     the trainer, not the day, the material or who attended: the day is illustrative.";

/// Seed 004, recommendation 9: the Members' training sessions on the partnership given by the
/// Redditch Partnership Manager in October 2010 and October 2011.
fn training_sessions(demo: &mut Demo) {
    let Some(p) = demo.partnership_named(REDDITCH) else {
        return;
    };
    for year in [2010, 2011] {
        demo.add(Entity::TrainingSession(TrainingSession {
            partnership_id: p,
            date: IsoDate::known(year, 10, 1),
            topic: "The Redditch Partnership: Members' training session".into(),
            trainer: "Redditch Partnership Manager".into(),
            material: String::new(),
            attendees: Vec::new(),
            note: TRAINING_NOTE.into(),
        }));
    }
}

/// What the demo says of the new councillors' inductions.
pub const INDUCTION_NOTE: &str = "Illustrative name and dates: the papers (seed 004, \
     recommendation 8) say information about the partnership went into the information packs \
     for new Members in 2010 and in 2011, but name no councillor and give no dates.";

/// Seed 004, recommendation 8: the induction packs for new Members of 2010 and 2011, one
/// illustrative new councillor each (the papers name none).
fn inductions(demo: &mut Demo) {
    let Some(p) = demo.partnership_named(REDDITCH) else {
        return;
    };
    let council = demo
        .record_named(EntityKind::Organisation, p, seeds::REDDITCH_BOROUGH_COUNCIL)
        .map(OrganisationId);
    for (year, elected, given) in [(2010, 6, 10), (2011, 5, 9)] {
        demo.add(Entity::CouncillorInduction(CouncillorInduction {
            partnership_id: p,
            councillor: format!("Illustrative new Member, {year}"),
            council_id: council,
            joined_on: IsoDate::known(year, 5, elected),
            pack_given_on: Some(IsoDate::known(year, 5, given)),
            note: INDUCTION_NOTE.into(),
        }));
    }
}

/// Seed 000's meeting (item 126), seed 004's Overview and Scrutiny meetings (pre-scrutiny of
/// the new strategy, the first six-monthly review) and Board meetings whose minutes reach
/// councillors (recommendation 5; the papers give no dates, so those dates are illustrative
/// and say so); seed 001's reports to Bath and North East Somerset's Corporate Issues Panel.
fn meetings(demo: &mut Demo) {
    redditch_meetings(demo);
    bath_meetings(demo);
}

/// What the demo says of a date the papers do not give.
pub const ILLUSTRATIVE_DATES: &str = "Illustrative dates: the council papers say that Board \
     minutes are circulated to councillors once finalised after each Board meeting (seed 004, \
     recommendation 5), but give no dates of Board meetings or minutes.";

fn redditch_meetings(demo: &mut Demo) {
    let Some(p) = demo.partnership_named(REDDITCH) else {
        return;
    };
    let (Some(council), Some(board)) = (
        demo.record_named(EntityKind::Organisation, p, seeds::REDDITCH_BOROUGH_COUNCIL),
        demo.record_named(EntityKind::Body, p, "Partnership Management Board"),
    ) else {
        return;
    };
    let (council, board) = (OrganisationId(council), BodyId(board));
    let committee = |date: IsoDate, note: &str| Meeting {
        partnership_id: p,
        body_id: None,
        council_id: Some(council),
        committee: seeds::OVERVIEW_AND_SCRUTINY.into(),
        date,
        time: String::new(),
        venue: String::new(),
        status: MeetingStatus::Held,
        note: note.into(),
    };
    // Seed 000.
    let item_126 = demo.meeting(committee(IsoDate::known(2009, 11, 25), ""));
    demo.add(Entity::AgendaItem(AgendaItem {
        partnership_id: p,
        meeting_id: item_126,
        number: "126".into(),
        title: seeds::ITEM_126_TITLE.into(),
        report_type: ReportType::Presentation,
        summary: "An oral report with a PowerPoint presentation on the role and work of the \
                  Local Strategic Partnership. Officers explained that the LSP brings the public, \
                  private, business, community and voluntary sectors together on local problems; \
                  that it is non-statutory and non-executive, with no resources of its own but \
                  those its members pool; and that the Redditch Partnership, supported by \
                  Redditch Borough Council staff, is made up of the Partnership Management \
                  Board, Themed Groups and Task and Finish Groups. Its roles include preparing \
                  and delivering the Sustainable Community Strategy and helping to co-ordinate \
                  the Local Area Agreement. Members heard who sits on the Board."
            .into(),
        outcome: seeds::ITEM_126_OUTCOME.into(),
        documents: Vec::new(),
        concerns: vec![Concern {
            kind: EntityKind::Body,
            id: board.0,
        }],
    }));
    // Seed 004, recommendations 6 and 10.
    let pre_scrutiny = demo.meeting(committee(
        IsoDate::known(2011, 3, 2),
        "The papers give the date and the business; the item's form of report is \
         illustrative.",
    ));
    demo.add(Entity::AgendaItem(AgendaItem {
        partnership_id: p,
        meeting_id: pre_scrutiny,
        number: String::new(),
        title: "Pre-scrutiny of the new Redditch Sustainable Community Strategy".into(),
        report_type: ReportType::Written,
        summary: "The Committee examined the new Sustainable Community Strategy before its \
                  adoption, as the Task and Finish Group recommended (recommendations 6 and 10)."
            .into(),
        outcome: String::new(),
        documents: Vec::new(),
        concerns: Vec::new(),
    }));
    // Seed 004, recommendation 11.
    let review = demo.meeting(committee(
        IsoDate::known(2011, 11, 8),
        "The monitoring report of November 2011 (seed 004) was written for this meeting; the \
         item's form of report is illustrative.",
    ));
    demo.add(Entity::AgendaItem(AgendaItem {
        partnership_id: p,
        meeting_id: review,
        number: String::new(),
        title: "First six-monthly review of the Redditch Partnership and the Sustainable \
                Community Strategy"
            .into(),
        report_type: ReportType::Written,
        summary: "The LSP Task and Finish Group's monitoring report on its fifteen \
                  recommendations and the response to each (recommendation 11: six-monthly \
                  monitoring sessions by the Committee)."
            .into(),
        outcome: String::new(),
        documents: Vec::new(),
        concerns: vec![Concern {
            kind: EntityKind::Body,
            id: board.0,
        }],
    }));
    // Board meetings: illustrative dates, labelled.
    let board_meeting = |date: IsoDate| Meeting {
        partnership_id: p,
        body_id: Some(board),
        council_id: None,
        committee: String::new(),
        date,
        time: "14:00".into(),
        venue: "Illustrative: not from the council papers".into(),
        status: MeetingStatus::Held,
        note: ILLUSTRATIVE_DATES.into(),
    };
    let july = demo.meeting(board_meeting(IsoDate::known(2011, 7, 19)));
    let september = demo.meeting(board_meeting(IsoDate::known(2011, 9, 20)));
    demo.add(Entity::Minutes(Minutes {
        partnership_id: p,
        meeting_id: july,
        text: "Illustrative minutes: the papers do not give the Board's minutes. The Board \
               welcomed the new Partnership Manager, appointed in May 2011, and heard how the \
               Redditch Partnership Conference of 16 June 2011 launched the new Sustainable \
               Community Strategy to partner organisations."
            .into(),
        drafted_on: Some(IsoDate::known(2011, 7, 22)),
        approved_on: Some(IsoDate::known(2011, 9, 20)),
        approved_at: Some(september),
        circulated_on: Some(IsoDate::known(2011, 9, 22)),
        published_on: Some(IsoDate::known(2011, 9, 23)),
        note: ILLUSTRATIVE_DATES.into(),
    }));
    demo.add(Entity::Minutes(Minutes {
        partnership_id: p,
        meeting_id: september,
        text: DRAFT_MINUTES_TEXT.into(),
        drafted_on: Some(IsoDate::known(2011, 9, 23)),
        approved_on: None,
        approved_at: None,
        circulated_on: None,
        published_on: None,
        note: ILLUSTRATIVE_DATES.into(),
    }));
}

/// The demo's draft minutes (the Board's of September 2011): members read them, the public
/// does not until they are published.
pub const DRAFT_MINUTES_TEXT: &str = "Illustrative draft minutes: the papers do not give the \
     Board's minutes. The Board agreed the partnership's response to the Task and Finish \
     Group's recommendations, for the Overview and Scrutiny Committee's first six-monthly \
     review on 8 November 2011.";

/// Seed 001: the progress reports on the LSP to Bath and North East Somerset Council's
/// Overview and Scrutiny Corporate Issues Panel.
fn bath_meetings(demo: &mut Demo) {
    let Some(p) = demo.partnership_named(BATH) else {
        return;
    };
    let (Some(council), Some(lsp)) = (
        demo.record_named(
            EntityKind::Organisation,
            p,
            seeds::BATH_ORGANISATIONS[0].name,
        ),
        demo.record_named(EntityKind::Body, p, "Local Strategic Partnership"),
    ) else {
        return;
    };
    let panel = |date: IsoDate, note: &str| Meeting {
        partnership_id: p,
        body_id: None,
        council_id: Some(OrganisationId(council)),
        committee: seeds::CORPORATE_ISSUES_PANEL.into(),
        date,
        time: String::new(),
        venue: String::new(),
        status: MeetingStatus::Held,
        note: note.into(),
    };
    let lsp = Concern {
        kind: EntityKind::Body,
        id: lsp,
    };
    let december = demo.meeting(panel(
        IsoDate::known(2002, 12, 1),
        "The report of 15 January 2003 (seed 001, section 5.5) says a progress report went \
         to the panel in December 2002; the day is illustrative.",
    ));
    demo.add(Entity::AgendaItem(AgendaItem {
        partnership_id: p,
        meeting_id: december,
        number: String::new(),
        title: "Progress report on the Local Strategic Partnership".into(),
        report_type: ReportType::Written,
        summary: String::new(),
        outcome: "The panel noted the report and asked for a further report in 2003, more \
                  specifically on the progress of the Community Strategy."
            .into(),
        documents: Vec::new(),
        concerns: vec![lsp],
    }));
    let january = demo.meeting(panel(
        IsoDate::known(2003, 1, 15),
        "The report of 15 January 2003 (seed 001) names the council and the date but not the \
         committee; it is taken to be the further report the Corporate Issues Panel asked for \
         in December 2002.",
    ));
    demo.add(Entity::AgendaItem(AgendaItem {
        partnership_id: p,
        meeting_id: january,
        number: String::new(),
        title: seeds::BATH_BUSINESS_PLAN_REPORT.into(),
        report_type: ReportType::Written,
        summary: "Reports the LSP's progress to date and its current work programme: the \
                  business plan the LSP agreed on 3 September 2002, updated to show progress \
                  (Appendix A). Members were asked to note the report and to comment on the \
                  progress of the business plan. Contact: Louise Tester, Corporate Projects \
                  Manager."
            .into(),
        outcome: String::new(),
        documents: Vec::new(),
        concerns: vec![lsp],
    }));
}

/// The themes residents rank in the demo questionnaire: the general LSP themes (DOMAIN.md),
/// since the papers do not name Redditch's own.
pub const DEMO_PRIORITY_THEMES: [(&str, &str); 6] = sample_consultation::PRIORITY_THEMES;

/// The title of the demo consultation (seed 004, recommendation 2).
pub const WE_ARE_REDDITCH: &str = "We Are Redditch";

fn we_are_redditch(demo: &mut Demo) {
    let Some(p) = demo.partnership_named(REDDITCH) else {
        return;
    };
    let c = ConsultationId(demo.add(Entity::Consultation(Consultation {
        partnership_id: p,
        title: WE_ARE_REDDITCH.into(),
        purpose: format!(
            "Partners tell residents about their work and ask them what their priorities \
                 are for the borough's new Sustainable Community Strategy. Held in answer to \
                 the Comprehensive Area Assessment report and its red flag. In this demo the \
                 {ILLUSTRATIVE_RESPONSES} answers already given are illustrative: made up for \
                 the demo, not from the council papers, which report none."
        ),
        opens_on: Some(atlas_shared::IsoDate::known(2010, 1, 1)),
        closes_on: Some(atlas_shared::IsoDate::known(2010, 1, 31)),
        suppression_threshold: DEFAULT_SUPPRESSION_THRESHOLD,
        archived: false,
    })));
    let event = ConsultationEventId(demo.add(Entity::ConsultationEvent(ConsultationEvent {
        partnership_id: p,
        consultation_id: c,
        name: "We Are Redditch public event".into(),
        // The papers say January 2010 only.
        date: atlas_shared::IsoDate::known(2010, 1, 1),
        venue: "Redditch".into(),
    })));
    let q = QuestionnaireId(demo.add(Entity::Questionnaire(Questionnaire {
        partnership_id: p,
        consultation_id: c,
        version: 1,
        questions: sample_consultation::we_are_redditch_questions(),
        opened_for_answers: false,
    })));
    demo.add(Entity::Finding(Finding {
        partnership_id: p,
        consultation_id: c,
        text: "Residents told the partnership their priorities for the borough, at We Are \
               Redditch and at a second consultation event in 2010."
            .into(),
        action: "Their priorities fed into the writing of the new Sustainable Community \
                 Strategy, which has four key priorities."
            .into(),
        // Redditch's demo structure has no Priority Action Groups to link.
        body_ids: Vec::new(),
        priority_ids: Vec::new(),
        key_action_ids: Vec::new(),
    }));
    // Added after the finding, so every id above stays as it was.
    illustrative_answers(
        demo,
        Answered {
            partnership: p,
            consultation: c,
            questionnaire: q,
            event,
        },
    );
}

/// The title of the demo strategy (seed 004).
pub const REDDITCH_STRATEGY: &str = "Redditch Sustainable Community Strategy";

/// What every illustrative figure of the demo strategy says of itself.
pub const ILLUSTRATIVE_FIGURE: &str = "Illustrative figure: not from the council papers";

/// One illustrative target of the demo strategy: (code, name, unit, polarity, baseline and
/// its date, target and deadline, milestones, tolerance, owner, figures).
struct DemoTarget<'a> {
    code: &'static str,
    name: &'static str,
    unit: &'static str,
    polarity: Polarity,
    baseline: (f64, IsoDate),
    target: (f64, IsoDate),
    milestones: &'a [(IsoDate, f64)],
    tolerance: f64,
    figures: &'a [(IsoDate, f64)],
}

/// One priority of the demo strategy: its title, description, owner, lead partners (by name)
/// and targets.
type DemoPriority<'a> = (
    &'a str,
    &'a str,
    Option<BodyId>,
    &'a [&'a str],
    &'a [DemoTarget<'a>],
);

const fn day(y: u16, m: u8, d: u8) -> IsoDate {
    IsoDate::known(y, m, d)
}

/// The We Are Redditch theme a Redditch priority answers ([`REDDITCH_THEMES`]).
fn resident_theme(demo: &Demo, priority: &str) -> Option<ResidentTheme> {
    let c = demo.titled(EntityKind::Consultation, WE_ARE_REDDITCH)?;
    let (_, key) = REDDITCH_THEMES.iter().find(|(t, _)| *t == priority)?;
    let (_, label) = sample_consultation::PRIORITY_THEMES
        .iter()
        .find(|(k, _)| k == key)?;
    Some(ResidentTheme {
        consultation_id: ConsultationId(c),
        question_key: RANKING_QUESTION.into(),
        option_key: (*key).into(),
        option_label: (*label).into(),
    })
}

/// Redditch's new strategy (see the module docs): four priorities, two from the papers and
/// two illustrative, and illustrative targets whose figures show every status.
fn redditch_strategy(demo: &mut Demo) {
    let Some(p) = demo.partnership_named(REDDITCH) else {
        return;
    };
    let body = |demo: &Demo, name: &str| demo.named(EntityKind::Body, name).map(BodyId);
    let org = |demo: &Demo, name: &str| {
        demo.named(EntityKind::Organisation, name)
            .map(OrganisationId)
    };
    let board = body(demo, "Partnership Management Board");
    let safety = body(demo, "Redditch Community Safety Partnership");
    let s = StrategyId(
        demo.add(Entity::Strategy(Strategy {
            partnership_id: p,
            title: REDDITCH_STRATEGY.into(),
            first_year: 2011,
            last_year: 2014,
            vision: "The new strategy has only four key priorities, as the Task and Finish Group \
                 recommended; the focus of most of the partnership's work is raising \
                 educational standards and tackling health inequalities. Two consultation \
                 events in 2010 fed into its writing. The Overview and Scrutiny Committee \
                 pre-scrutinised it on 2 March 2011, and it was launched to partner \
                 organisations at the Redditch Partnership Conference on 16 June 2011. \
                 Illustrative: the papers give neither its period (shown as 2011 to 2014) nor \
                 its vision's wording, its other two priorities or any figure."
                .into(),
            status: StrategyStatus::Adopted,
            drafted_on: None,
            pre_scrutiny_on: Some(day(2011, 3, 2)),
            // The papers give no date of adoption; it was launched on 16 June 2011.
            adopted_on: None,
            superseded_on: None,
        })),
    );
    let priorities: [DemoPriority<'_>; 4] = [
        (
            "Raising educational standards",
            "From the papers (seed 004). Its owner, lead partners, targets and the theme residents ranked it under are illustrative.",
            board,
            &[seeds::WORCESTERSHIRE_COUNTY_COUNCIL, "Redditch NEW College"],
            &[
                DemoTarget {
                    code: "NI 75",
                    name: "Achievement of 5 or more A*-C grades at GCSE or equivalent including English and Maths",
                    unit: "%",
                    polarity: Polarity::HigherIsBetter,
                    baseline: (45.0, day(2010, 8, 31)),
                    target: (53.0, day(2014, 8, 31)),
                    milestones: &[(day(2012, 8, 31), 49.0)],
                    tolerance: 5.0,
                    // At risk: 47.5 against 49.
                    figures: &[(day(2011, 8, 31), 46.0), (day(2012, 8, 31), 47.5)],
                },
                DemoTarget {
                    code: "NI 117",
                    name: "16 to 18 year olds who are not in education, employment or training (NEET)",
                    unit: "%",
                    polarity: Polarity::LowerIsBetter,
                    baseline: (7.5, day(2010, 11, 30)),
                    target: (5.5, day(2013, 11, 30)),
                    milestones: &[],
                    tolerance: 5.0,
                    // Off track: far above the line to 5.5.
                    figures: &[(day(2011, 11, 30), 7.9), (day(2012, 11, 30), 7.8)],
                },
            ],
        ),
        (
            "Tackling health inequalities",
            "From the papers (seed 004). Its owner, lead partners, targets and the theme residents ranked it under are illustrative.",
            board,
            &["Worcestershire NHS", seeds::REDDITCH_BOROUGH_COUNCIL],
            &[
                DemoTarget {
                    code: "NI 120",
                    name: "All-age all cause mortality rate",
                    unit: "per 100,000 population",
                    polarity: Polarity::LowerIsBetter,
                    baseline: (640.0, day(2010, 12, 31)),
                    target: (600.0, day(2013, 12, 31)),
                    milestones: &[],
                    tolerance: 3.0,
                    // On track: below the line.
                    figures: &[(day(2011, 12, 31), 628.0), (day(2012, 12, 31), 610.0)],
                },
                DemoTarget {
                    code: "NI 112",
                    name: "Under 18 conception rate",
                    unit: "per 1,000 women aged 15 to 17",
                    polarity: Polarity::LowerIsBetter,
                    baseline: (48.0, day(2010, 12, 31)),
                    target: (40.0, day(2013, 12, 31)),
                    milestones: &[],
                    tolerance: 5.0,
                    // Achieved early.
                    figures: &[(day(2011, 12, 31), 44.0), (day(2012, 12, 31), 39.5)],
                },
                DemoTarget {
                    code: "NI 56",
                    name: "Obesity among primary school age children in Year 6",
                    unit: "%",
                    polarity: Polarity::LowerIsBetter,
                    baseline: (19.5, day(2011, 7, 31)),
                    target: (18.0, day(2014, 7, 31)),
                    milestones: &[],
                    tolerance: 5.0,
                    // Not yet measured.
                    figures: &[],
                },
            ],
        ),
        (
            "Illustrative priority: a safer Redditch",
            "Illustrative: the papers do not name the strategy's other two priorities.",
            safety,
            &[seeds::WEST_MERCIA_POLICE],
            &[DemoTarget {
                code: "NI 16",
                name: "Serious acquisitive crime rate",
                unit: "per 1,000 population",
                polarity: Polarity::LowerIsBetter,
                baseline: (15.0, day(2010, 3, 31)),
                target: (13.0, day(2014, 3, 31)),
                milestones: &[],
                tolerance: 5.0,
                figures: &[(day(2011, 3, 31), 14.4)],
            }],
        ),
        (
            "Illustrative priority: a thriving local economy",
            "Illustrative: the papers do not name the strategy's other two priorities.",
            None,
            &["Chamber of Commerce"],
            &[DemoTarget {
                code: "NI 152",
                name: "Working age people on out of work benefits",
                unit: "%",
                polarity: Polarity::LowerIsBetter,
                baseline: (12.5, day(2010, 5, 31)),
                target: (11.5, day(2014, 5, 31)),
                milestones: &[],
                tolerance: 5.0,
                figures: &[(day(2011, 5, 31), 12.6)],
            }],
        ),
    ];
    for (position, (title, description, owner, leads, targets)) in priorities.iter().enumerate() {
        let leads: Vec<OrganisationId> = leads.iter().filter_map(|l| org(demo, l)).collect();
        let priority = PriorityId(demo.add(Entity::Priority(Priority {
            partnership_id: p,
            strategy_id: s,
            title: (*title).into(),
            description: (*description).into(),
            body_id: *owner,
            lead_organisation_ids: leads.clone(),
            position: position as u32 + 1,
            resident_theme: resident_theme(demo, title),
            dovetails_with: Vec::new(),
        })));
        for t in *targets {
            let target = TargetId(
                demo.add(Entity::Target(Target {
                    partnership_id: p,
                    priority_id: priority,
                    name: t.name.into(),
                    code: t.code.into(),
                    unit: t.unit.into(),
                    polarity: t.polarity,
                    baseline: Some(Figure::known(t.baseline.0)),
                    baseline_on: Some(t.baseline.1),
                    target_value: Some(Figure::known(t.target.0)),
                    deadline: Some(t.target.1),
                    milestones: t
                        .milestones
                        .iter()
                        .map(|(on, v)| Milestone {
                            on: *on,
                            value: Figure::known(*v),
                        })
                        .collect(),
                    tolerance_percent: Figure::known(t.tolerance),
                    source: ILLUSTRATIVE_FIGURE.into(),
                    frequency: Frequency::Yearly,
                    owner_id: leads.first().copied(),
                    laa: false,
                    status_override: None,
                    override_reason: String::new(),
                })),
            );
            for (on, value) in t.figures {
                demo.add(Entity::Measurement(Measurement {
                    partnership_id: p,
                    target_id: target,
                    on: *on,
                    value: Figure::known(*value),
                    note: ILLUSTRATIVE_FIGURE.into(),
                }));
            }
        }
    }
}

/// Said beside a response's date in the demo: the paper dates its responses November 2011.
pub const RESPONSE_DATE_NOTE: &str = "Illustrative day: the paper dates the responses \
     November 2011; shown as the day of the Overview and Scrutiny meeting that monitored them";

/// The context facts seed 004's responses name, as evidence in the recommendations' logs:
/// (recommendation number, date, note on the date, what happened, in our own words).
const SEED_004_EVIDENCE: [(u32, IsoDate, &str, &str); 7] = [
    (
        1,
        IsoDate::known(2010, 1, 1),
        "Illustrative day: the paper says early 2010",
        "The Redditch Partnership web pages were re-launched on the council's website.",
    ),
    (
        2,
        IsoDate::known(2010, 1, 1),
        "Illustrative day: the paper says January 2010",
        "The \"We Are Redditch\" event was held, answering the CAA report and its red flag.",
    ),
    (
        4,
        IsoDate::known(2011, 6, 16),
        "",
        "The Redditch Partnership Conference launched the new Sustainable Community Strategy \
         to partner organisations.",
    ),
    (
        10,
        IsoDate::known(2011, 3, 2),
        "",
        "The Overview and Scrutiny Committee examined the new Sustainable Community Strategy.",
    ),
    (
        9,
        IsoDate::known(2010, 10, 1),
        "Illustrative day: the paper says October 2010",
        "A training session on the Partnership for councillors, given by the Redditch \
         Partnership Manager.",
    ),
    (
        9,
        IsoDate::known(2011, 10, 1),
        "Illustrative day: the paper says October 2011",
        "A second training session on the Partnership for councillors, given by the Redditch \
         Partnership Manager.",
    ),
    (
        15,
        IsoDate::known(2011, 5, 1),
        "Illustrative day: the paper says May 2011",
        "Helen Broughton was appointed the full-time, permanent Redditch Partnership Manager.",
    ),
];

/// Seed 004: the LSP Task and Finish Group's review of the Redditch Partnership, its fifteen
/// recommendations and the response to each, word for word; the context facts the responses
/// name as evidence ([`SEED_004_EVIDENCE`]); and the first six-monthly monitoring session, at
/// the Overview and Scrutiny Committee on 8 November 2011. The paper gives no answer
/// (accepted or not) for any response, so none is recorded, and no dates for the review
/// itself.
fn task_and_finish_review(demo: &mut Demo) {
    let Some(p) = demo.partnership_named(REDDITCH) else {
        return;
    };
    let group = demo.body_named(p, reviews::SEED_004_GROUP);
    let review = ReviewId(
        demo.add(Entity::Review(Review {
            partnership_id: p,
            title: reviews::SEED_004_REVIEW.into(),
            body_id: group,
            committee: reviews::SEED_004_COMMITTEE.into(),
            started_on: None,
            reported_on: None,
            members: Vec::new(),
            summary: "The LSP Task and Finish Group reviewed the Redditch Partnership for the \
                  Overview and Scrutiny Committee and made fifteen recommendations. The \
                  monitoring report of November 2011 gives the response to each. The council \
                  papers give neither the dates of the review nor its members."
                .into(),
            monitoring_months: reviews::DEFAULT_MONITORING_MONTHS,
        })),
    );
    for seed in &reviews::SEED_004 {
        let id = RecommendationId(demo.add(Entity::Recommendation(Recommendation {
            partnership_id: p,
            review_id: review,
            number: seed.number,
            text: seed.text.into(),
            addressed_to: seed.addressed_to.into(),
            on_laa_target: false,
        })));
        let step = |date: IsoDate, what: StepKind, text: &str, note: &str| {
            Entity::RecommendationStep(RecommendationStep {
                partnership_id: p,
                recommendation_id: id,
                date,
                what,
                answer: None,
                due_on: None,
                link: String::new(),
                text: text.into(),
                date_note: note.into(),
            })
        };
        for (_, date, note, text) in SEED_004_EVIDENCE.iter().filter(|e| e.0 == seed.number) {
            demo.add(step(*date, StepKind::Evidence, text, note));
        }
        demo.add(step(
            reviews::SEED_004_FIRST_MONITORING,
            StepKind::Response,
            seed.response,
            RESPONSE_DATE_NOTE,
        ));
    }
    demo.add(Entity::MonitoringSession(MonitoringSession {
        partnership_id: p,
        review_id: review,
        date: reviews::SEED_004_FIRST_MONITORING,
        held_at: reviews::SEED_004_COMMITTEE.into(),
        note: "The first six-monthly review of the Task and Finish Group's recommendations \
               (recommendation 11), on the monitoring report of November 2011."
            .into(),
    }));
}

/// What every demo action plan says of itself: seed 003 gives the expectations, not the plans.
pub const ILLUSTRATIVE_PLAN: &str = "Illustrative: seed 003 sets what each Priority Action \
     Group was expected to do in 2009/10 (three key actions, an action plan by June 2009, \
     Hampshire LAA targets reported, highlight reports to the Management Group). The papers \
     do not give the groups' actions, leads or dates, so those here are made up for the demo.";

/// Two of Basingstoke and Deane's Priority Action Groups' plans for 2009/10 (seed 003's
/// expectations), one that meets them and one that does not, so both show.
fn basingstoke_action_plans(demo: &mut Demo) {
    let Some(p) = demo.partnership_named(BASINGSTOKE) else {
        return;
    };
    let (Some(safety), Some(housing), Some(borough), Some(county)) = (
        demo.record_named(EntityKind::Body, p, "Community Safety"),
        demo.record_named(EntityKind::Body, p, "Housing"),
        demo.record_named(
            EntityKind::Organisation,
            p,
            "Basingstoke and Deane Borough Council",
        ),
        demo.record_named(EntityKind::Organisation, p, seeds::HAMPSHIRE_COUNTY_COUNCIL),
    ) else {
        return;
    };
    let date = atlas_shared::IsoDate::known;
    let plans = [
        (
            BodyId(safety),
            Some(date(2009, 6, 12)),
            vec![
                (
                    "Joint patrols in the town centre on Friday and Saturday nights",
                    county,
                    date(2009, 9, 30),
                    Some(date(2009, 9, 25)),
                ),
                (
                    "One referral route for victims of domestic abuse",
                    borough,
                    date(2009, 12, 31),
                    None,
                ),
                (
                    "A youth diversion scheme in each neighbourhood renewal area",
                    borough,
                    date(2010, 3, 31),
                    None,
                ),
            ],
        ),
        (
            BodyId(housing),
            Some(date(2009, 7, 20)),
            vec![
                (
                    "A review of temporary accommodation",
                    borough,
                    date(2009, 10, 31),
                    None,
                ),
                (
                    "Affordable homes on the county's surplus sites",
                    county,
                    date(2010, 3, 31),
                    None,
                ),
            ],
        ),
    ];
    for (body_id, provided_on, actions) in plans {
        let plan = ActionPlanId(demo.add(Entity::ActionPlan(ActionPlan {
            partnership_id: p,
            body_id,
            year: 2009,
            due_on: date(2009, 6, 30),
            provided_on,
            summary: ILLUSTRATIVE_PLAN.into(),
        })));
        for (title, lead, due_on, completed_on) in actions {
            demo.add(Entity::KeyAction(KeyAction {
                partnership_id: p,
                action_plan_id: plan,
                title: title.into(),
                description: "Illustrative action: not from the council papers.".into(),
                lead_organisation_id: Some(OrganisationId(lead)),
                due_on: Some(due_on),
                completed_on,
                progress: String::new(),
                priority_ids: Vec::new(),
                target_ids: Vec::new(),
            }));
        }
    }
}

/// What the demo's project fund says of its figures: the papers give none.
pub const ILLUSTRATIVE_FUND: &str = "Illustrative figures: seed 003 asks for \"a mechanism for \
     allocating LSP project funds\" and joint and collaborative funding bids, but gives no \
     amounts, criteria or bids, so those here are made up for the demo.";

/// Basingstoke and Deane's project fund for 2010/11 (seed 003: "a mechanism for allocating
/// LSP project funds"; Priority Action Groups "facilitate joint funding and collaborative
/// funding bids"): two councils' contributions and three bids by Priority Action Groups,
/// one approved, one refused and one pending, every figure illustrative.
fn basingstoke_project_fund(demo: &mut Demo) {
    use atlas_shared::strategy::funds::{Criterion, CriterionScore};
    use atlas_shared::strategy::{BidDecision, FundBid, FundContribution, FundPot, FundPotId};
    let Some(p) = demo.partnership_named(BASINGSTOKE) else {
        return;
    };
    let body = |demo: &Demo, name: &str| demo.record_named(EntityKind::Body, p, name).map(BodyId);
    let org = |demo: &Demo, name: &str| {
        demo.record_named(EntityKind::Organisation, p, name)
            .map(OrganisationId)
    };
    let (Some(group), Some(safety), Some(housing), Some(health), Some(borough), Some(county)) = (
        body(demo, seeds::BASINGSTOKE_MANAGEMENT_GROUP),
        body(demo, "Community Safety"),
        body(demo, "Housing"),
        body(demo, "Health and Wellbeing"),
        org(demo, "Basingstoke and Deane Borough Council"),
        org(demo, seeds::HAMPSHIRE_COUNTY_COUNCIL),
    ) else {
        return;
    };
    let date = IsoDate::known;
    let criteria = [
        ("Serves the Sustainable Community Strategy's priorities", 10),
        ("Joint or collaborative bid", 5),
        ("Value for money", 5),
    ];
    let pot = FundPotId(
        demo.add(Entity::FundPot(FundPot {
            partnership_id: p,
            name: "LSP project fund".into(),
            year: 2010,
            decided_by: Some(group),
            criteria: criteria
                .iter()
                .map(|(name, max_score)| Criterion {
                    name: (*name).into(),
                    max_score: *max_score,
                })
                .collect(),
            closes_on: Some(date(2010, 6, 30)),
            note: ILLUSTRATIVE_FUND.into(),
        })),
    );
    for (organisation_id, pounds) in [(borough, 20_000), (county, 15_000)] {
        demo.add(Entity::FundContribution(FundContribution {
            partnership_id: p,
            pot_id: pot,
            organisation_id,
            amount_pence: pounds * 100,
            on: date(2010, 4, 1),
            note: "Illustrative figure".into(),
        }));
    }
    let scored = |scores: [u32; 3]| {
        criteria
            .iter()
            .zip(scores)
            .map(|((name, _), score)| CriterionScore {
                criterion: (*name).into(),
                score,
            })
            .collect::<Vec<_>>()
    };
    let bids = [
        (
            safety,
            vec![county],
            12_000,
            "Illustrative: a youth diversion scheme in each neighbourhood renewal area",
            [9, 5, 4],
            BidDecision::Approved,
            Some(10_000),
            "Illustrative: approved at a lower amount, as the fund could not meet every bid",
        ),
        (
            health,
            Vec::new(),
            9_500,
            "Illustrative: a walking-for-health programme in the rural parishes",
            [5, 1, 3],
            BidDecision::Refused,
            None,
            "Illustrative: a bid by one partner; the fund favours joint bids",
        ),
        (
            housing,
            vec![borough, county],
            15_000,
            "Illustrative: a tenancy-sustainment pilot for young people leaving care",
            [8, 5, 3],
            BidDecision::Pending,
            None,
            "",
        ),
    ];
    for (body_id, joint, asked, purpose, scores, decision, approved, reason) in bids {
        let decided = decision != BidDecision::Pending;
        demo.add(Entity::FundBid(FundBid {
            partnership_id: p,
            pot_id: pot,
            body_id,
            joint_organisation_ids: joint,
            amount_asked_pence: asked * 100,
            purpose: purpose.into(),
            priority_ids: Vec::new(),
            target_ids: Vec::new(),
            submitted_on: Some(date(2010, 6, 25)),
            scores: scored(scores),
            decision,
            amount_approved_pence: approved.map(|a: u64| a * 100),
            decided_on: decided.then_some(date(2010, 7, 13)),
            decided_by: decided.then_some(group),
            reason: reason.into(),
        }));
    }
}

/// How many illustrative answers the demo's "We Are Redditch" consultation holds.
pub const ILLUSTRATIVE_RESPONSES: usize = 300;

/// The venue of the demo's illustrative events: they are not in the papers.
pub const ILLUSTRATIVE_VENUE: &str = "Illustrative: not from the council papers";

/// The seed of the illustrative answers: the same seed, the same answers and ids everywhere.
const ILLUSTRATIVE_SEED: u64 = 0x5765_4172_6552_6564; // "WeAreRed"

/// Midnight UTC at the start of 1 January 2010, the first day of the consultation.
const JANUARY_2010_MS: u64 = 1_262_304_000_000;
const HOUR_MS: u64 = 3_600_000;
const DAY_MS: u64 = 24 * HOUR_MS;

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast generator that passes BigCrush,
/// ample for made-up answers. Not for anything secret.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by multiplying rather than by remainder (Lemire), so
    /// small ranges are not skewed by the high bits.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// The index of one of `weights`, chosen in proportion to its weight (at least one > 0).
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut pick = self.below(total.max(1));
        for (i, w) in weights.iter().enumerate() {
            if pick < *w {
                return i;
            }
            pick -= w;
        }
        weights.len() - 1
    }

    /// Ten bytes for the random part of a UUID v7.
    fn uuid_bytes(&mut self) -> [u8; 10] {
        let mut bytes = [0u8; 10];
        bytes[..8].copy_from_slice(&self.next_u64().to_be_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_be_bytes()[..2]);
        bytes
    }
}

/// The records the illustrative answers belong to.
struct Answered {
    partnership: PartnershipId,
    consultation: ConsultationId,
    questionnaire: QuestionnaireId,
    /// The event of the papers.
    event: ConsultationEventId,
}

/// Who gives the answers of one sitting, and how they lean.
#[derive(Clone, Copy, PartialEq)]
enum Crowd {
    /// Passers-by at a public event: all ages, more of them older.
    Public,
    /// A youth forum: under 25s, young people's themes first.
    Youth,
    /// Paper forms, keyed in afterwards: older residents.
    Paper,
    /// The online link: younger adults.
    Online,
}

impl Crowd {
    /// Weights of the age bands (`sample_consultation::AGE_BANDS`, youngest first).
    fn ages(self) -> [u64; 5] {
        match self {
            Self::Public => [2, 10, 30, 33, 25],
            Self::Youth => [60, 40, 0, 0, 0],
            Self::Paper => [0, 4, 20, 36, 40],
            Self::Online => [1, 22, 47, 24, 6],
        }
    }
}

/// One stretch of answers taken the same way: at an event (or none), by one channel, on one
/// device (or each resident's own, online), from `start_ms` over `span_ms`.
struct Sitting {
    event: Option<ConsultationEventId>,
    channel: Channel,
    /// `None`: each answer from the resident's own device.
    device: Option<DeviceId>,
    crowd: Crowd,
    count: usize,
    start_ms: u64,
    span_ms: u64,
}

/// The free-text comments some residents leave: made up, obviously so, naming no one.
const ILLUSTRATIVE_COMMENTS: [&str; 8] = [
    "Illustrative comment: more for young people to do in the evenings, please.",
    "Illustrative comment: the buses from the estates stop too early.",
    "Illustrative comment: I did not know the partnership existed until today.",
    "Illustrative comment: keep the town centre feeling safe after dark.",
    "Illustrative comment: it is hard to get a doctor's appointment.",
    "Illustrative comment: help for older people living on their own.",
    "Illustrative comment: more apprenticeships with local firms.",
    "Illustrative comment: tell us what happened after the last consultation.",
];

/// The comment of the one answer a moderator has hidden, to show moderation.
const HIDDEN_COMMENT: &str = "Illustrative comment, hidden by a moderator: a made-up example \
     of a comment that named a neighbour (no real name is used).";

/// The demo's illustrative answers (see the module docs): two illustrative events, then
/// [`ILLUSTRATIVE_RESPONSES`] responses across those, the event of the papers, paper forms
/// and the online link.
fn illustrative_answers(demo: &mut Demo, to: Answered) {
    let mut rng = SplitMix64::new(ILLUSTRATIVE_SEED);
    let p = to.partnership;
    let mut event = |name: &str, day: u8| {
        ConsultationEventId(demo.add(Entity::ConsultationEvent(ConsultationEvent {
            partnership_id: p,
            consultation_id: to.consultation,
            name: name.into(),
            date: atlas_shared::IsoDate::known(2010, 1, day),
            venue: ILLUSTRATIVE_VENUE.into(),
        })))
    };
    let market = event("Illustrative market-day stall", 16);
    let youth = event("Illustrative youth forum session", 23);
    let mut tablet = || DeviceId(uuid_v7(DEMO_TIME_MS, rng.uuid_bytes()));
    let (tablet_a, tablet_b, tablet_c, office) = (tablet(), tablet(), tablet(), tablet());
    let day = |d: u64| JANUARY_2010_MS + (d - 1) * DAY_MS;
    let sittings = [
        Sitting {
            event: Some(to.event),
            channel: Channel::StaffAssisted,
            device: Some(tablet_a),
            crowd: Crowd::Public,
            count: 90,
            start_ms: day(1) + 10 * HOUR_MS,
            span_ms: 6 * HOUR_MS,
        },
        Sitting {
            event: Some(to.event),
            channel: Channel::Kiosk,
            device: Some(tablet_b),
            crowd: Crowd::Public,
            count: 40,
            start_ms: day(1) + 10 * HOUR_MS,
            span_ms: 6 * HOUR_MS,
        },
        Sitting {
            event: Some(market),
            channel: Channel::Kiosk,
            device: Some(tablet_b),
            crowd: Crowd::Public,
            count: 60,
            start_ms: day(16) + 9 * HOUR_MS,
            span_ms: 7 * HOUR_MS,
        },
        Sitting {
            event: Some(market),
            channel: Channel::StaffAssisted,
            device: Some(tablet_c),
            crowd: Crowd::Public,
            count: 30,
            start_ms: day(16) + 9 * HOUR_MS,
            span_ms: 7 * HOUR_MS,
        },
        Sitting {
            event: Some(youth),
            channel: Channel::StaffAssisted,
            device: Some(tablet_c),
            crowd: Crowd::Youth,
            count: 12,
            start_ms: day(23) + 18 * HOUR_MS,
            span_ms: 2 * HOUR_MS,
        },
        Sitting {
            event: None,
            channel: Channel::Paper,
            device: Some(office),
            crowd: Crowd::Paper,
            count: 28,
            start_ms: day(27) + 9 * HOUR_MS,
            span_ms: 3 * HOUR_MS,
        },
        Sitting {
            event: None,
            channel: Channel::Online,
            device: None,
            crowd: Crowd::Online,
            count: 40,
            start_ms: day(2),
            span_ms: 30 * DAY_MS,
        },
    ];
    let mut n = 0;
    for sitting in &sittings {
        let step = sitting.span_ms / sitting.count as u64;
        for i in 0..sitting.count as u64 {
            let captured_at = if sitting.device.is_some() {
                // One resident after another on the same tablet.
                sitting.start_ms + i * step + rng.below(step / 2)
            } else {
                sitting.start_ms + rng.below(sitting.span_ms)
            };
            let device = sitting
                .device
                .unwrap_or_else(|| DeviceId(uuid_v7(captured_at, rng.uuid_bytes())));
            let mut answers = illustrative_answer(&mut rng, sitting.crowd);
            // One answer, half-way through, is one a moderator hid.
            let hidden = n == ILLUSTRATIVE_RESPONSES / 2;
            if hidden {
                answers.insert(
                    "anything_else".into(),
                    AnswerValue::Text(HIDDEN_COMMENT.into()),
                );
            }
            let response = illustrative_response(
                &to,
                (sitting.event, sitting.channel, device),
                captured_at,
                answers,
                hidden,
            );
            let id = uuid_v7(captured_at, rng.uuid_bytes());
            demo.add_as(id, Entity::Response(response));
            n += 1;
        }
    }
}

/// One made-up resident's answers to the "We Are Redditch" questions, leaning as `crowd` does.
fn illustrative_answer(rng: &mut SplitMix64, crowd: Crowd) -> BTreeMap<String, AnswerValue> {
    use sample_consultation::{AGE_BANDS, PRIORITY_THEMES};
    let mut answers = BTreeMap::new();
    let age = rng.chance(85).then(|| rng.weighted(&crowd.ages()));
    // Weights in the order of PRIORITY_THEMES: children and young people, community safety,
    // health and wellbeing, housing, skills and employability, older people.
    let mut weights: [u64; 6] = match crowd {
        Crowd::Youth => [60, 20, 12, 8, 30, 2],
        _ => [18, 30, 24, 10, 13, 8],
    };
    if age == Some(AGE_BANDS.len() - 1) {
        weights[5] *= 4;
    }
    let ranked = match rng.below(20) {
        0 => 1,
        1 | 2 => 2,
        _ => 3,
    };
    let mut chosen = Vec::new();
    for _ in 0..ranked {
        let i = rng.weighted(&weights);
        weights[i] = 0;
        chosen.push(PRIORITY_THEMES[i].0.to_owned());
    }
    answers.insert("priorities".into(), AnswerValue::Ranked(chosen));
    if rng.chance(90) {
        // Most are not sure what the partnership does.
        let point = rng.weighted(&[14, 30, 31, 19, 6]);
        answers.insert(
            "know_the_partnership".into(),
            AnswerValue::Scale(point as i8 - 2),
        );
    }
    if rng.chance(10) {
        let comment = ILLUSTRATIVE_COMMENTS[rng.below(ILLUSTRATIVE_COMMENTS.len() as u64) as usize];
        answers.insert("anything_else".into(), AnswerValue::Text(comment.into()));
    }
    if rng.chance(88) {
        // Redditch's own districts, and a few from Bromsgrove and the villages around.
        let districts = ["B97", "B98", "B80", "B96", "B60"];
        let district = districts[rng.weighted(&[40, 44, 9, 5, 2])];
        answers.insert("postcode".into(), AnswerValue::Postcode(district.into()));
    }
    if let Some(age) = age {
        answers.insert(
            "age_band".into(),
            AnswerValue::One(AGE_BANDS[age].0.to_owned()),
        );
    }
    answers
}

/// An illustrative response: the one place the demo makes a [`Response`].
fn illustrative_response(
    to: &Answered,
    (event_id, channel, device_id): (Option<ConsultationEventId>, Channel, DeviceId),
    captured_at: u64,
    answers: BTreeMap<String, AnswerValue>,
    hidden: bool,
) -> Response {
    Response {
        partnership_id: to.partnership,
        consultation_id: to.consultation,
        questionnaire_id: to.questionnaire,
        event_id,
        device_id,
        channel,
        captured_at: i64::try_from(captured_at).unwrap_or(i64::MAX),
        answers,
        hidden,
        accepted: false,
        received_at: None,
        review: Vec::new(),
    }
}

/// The acronyms and terms of the papers (DOMAIN.md's list), with what they mean.
pub const GLOSSARY: [(&str, &str); 11] = [
    (
        "LSP",
        "Local Strategic Partnership: a voluntary, non-statutory partnership of the public, private, business, community and voluntary sectors for one local authority area.",
    ),
    (
        "SCS",
        "Sustainable Community Strategy: the partnership's shared long-term vision for the area and the few priorities it will work on.",
    ),
    (
        "LAA",
        "Local Area Agreement: the targets agreed between the area's partners and central government, with named partners under a duty to co-operate.",
    ),
    (
        "CAA",
        "Comprehensive Area Assessment: the inspection regime (2009–2010) that judged how well the area's public services worked together.",
    ),
    (
        "CDRP",
        "Crime and Disorder Reduction Partnership: the statutory partnership for community safety that sits under the LSP.",
    ),
    (
        "PAG",
        "Priority Action Group: a themed group that co-ordinates action on one priority and reports on its targets to the Management Group.",
    ),
    (
        "O&S",
        "Overview and Scrutiny: the council committee that examines the partnership's work and makes recommendations.",
    ),
    (
        "NI",
        "National indicator: one of the government's numbered performance measures (for example NI 1), used as LAA targets.",
    ),
    (
        "Task and Finish group",
        "A time-limited scrutiny group that investigates one question, makes numbered recommendations and then disbands.",
    ),
    (
        "Named partner",
        "A public body with a statutory duty to co-operate with the council on Local Area Agreement targets.",
    ),
    (
        "Parity of esteem",
        "Every member of the partnership is valued equally, whatever it contributes.",
    ),
];

fn glossary(demo: &mut Demo) {
    let partnerships: Vec<PartnershipId> = demo
        .mutations
        .iter()
        .filter(|m| m.kind == atlas_shared::EntityKind::Partnership)
        .map(|m| PartnershipId(m.record_id))
        .collect();
    for p in partnerships {
        for (term, meaning) in GLOSSARY {
            demo.add(Entity::GlossaryTerm(GlossaryTerm {
                partnership_id: p,
                term: term.into(),
                meaning: meaning.into(),
            }));
        }
    }
    if let Some(redditch) = demo.partnership_named(REDDITCH) {
        demo.add(Entity::GlossaryTerm(GlossaryTerm {
            partnership_id: redditch,
            term: "BARN".into(),
            meaning: "Bromsgrove and Redditch Network: a member of the Partnership Management Board for the voluntary and community sector.".into(),
        }));
    }
}

/// The standard guided tour of the partnership `name`'s structure, made from the demo so far.
fn tour(demo: &mut Demo, name: &str) {
    let Some(p) = demo.partnership_named(name) else {
        return;
    };
    let snapshot = Replica::default().view(&demo.mutations);
    for step in standard_tour(&snapshot, p) {
        demo.add(Entity::PresentationStep(step));
    }
}

/// Loads the demo data and the demo accounts ([`seeds::DEMO_USERS`]) if the database has no
/// records at all (tombstones count: a database whose records were all deleted is not new).
/// Returns whether it loaded.
pub async fn load_if_empty(db: &dyn Database) -> anyhow::Result<bool> {
    if !db.is_empty().await? {
        return Ok(false);
    }
    // The server itself loads the demo, with an administrator's rights.
    let server = Principal::User {
        id: Uuid::nil(),
        grants: Grants {
            admin: true,
            ..Grants::default()
        },
    };
    let sender = Sender::new(server, "server".to_owned(), DEMO_DEVICE_ID);
    let mutations = demo_mutations();
    // One push is one transaction, so a demo cut short by a crash leaves nothing behind and
    // loads whole at the next start. The server's own push is not bound by the HTTP limit
    // (`MAX_MUTATIONS_PER_PUSH`), which the demo outgrew with the strategy and scrutiny.
    let partnerships: Vec<PartnershipId> = mutations
        .iter()
        .filter(|m| m.kind == EntityKind::Partnership)
        .map(|m| PartnershipId(m.record_id))
        .collect();
    for r in db.push_at_start(sender, mutations).await? {
        if let Outcome::Rejected { message, .. } = r.outcome {
            tracing::warn!(mutation = %r.mutation_id, "demo mutation rejected: {message}");
        }
    }
    for user in seeds::DEMO_USERS {
        let grants = Grants {
            admin: user.admin,
            roles: user
                .role
                .map(|role| partnerships.iter().map(|p| (*p, role)).collect())
                .unwrap_or_default(),
        };
        match create_user(db, user.email, user.name, seeds::DEMO_PASSWORD, grants).await {
            // Another instance started on the same new database at the same moment made it
            // first (its demo push was the same, fixed ids): nothing to do.
            Err(CreateUserError::Db(DbError::Conflict(_))) => {}
            other => {
                other?;
            }
        }
    }
    Ok(true)
}

#[derive(Default)]
struct Demo {
    mutations: Vec<Mutation>,
    counter: u32,
}

impl Demo {
    fn next_id(&mut self, tag: u8) -> Uuid {
        self.counter += 1;
        let mut random = [0u8; 10];
        // Byte 1 lands in the UUID untouched by its version and variant bits.
        random[1] = tag;
        random[6..].copy_from_slice(&self.counter.to_be_bytes());
        uuid_v7(DEMO_TIME_MS, random)
    }

    fn add(&mut self, entity: Entity) -> Uuid {
        let record_id = self.next_id(b'R');
        self.add_as(record_id, entity)
    }

    /// Adds the creation of `entity` under `record_id` (an id made elsewhere, as a tablet
    /// makes a response's).
    fn add_as(&mut self, record_id: Uuid, entity: Entity) -> Uuid {
        let id = MutationId(self.next_id(b'M'));
        self.mutations.push(Mutation {
            id,
            kind: entity.kind(),
            record_id,
            op: Op::Upsert {
                base_version: None,
                fields: entity.to_fields(),
            },
        });
        record_id
    }

    fn meeting(&mut self, meeting: Meeting) -> MeetingId {
        MeetingId(self.add(Entity::Meeting(meeting)))
    }

    /// The id of the record of `kind` in partnership `p` whose `name` field is `name`.
    fn record_named(&self, kind: EntityKind, p: PartnershipId, name: &str) -> Option<Uuid> {
        let p = p.to_string();
        self.mutations.iter().find_map(|m| match &m.op {
            Op::Upsert { fields, .. }
                if m.kind == kind && fields["name"] == name && fields["partnership_id"] == *p =>
            {
                Some(m.record_id)
            }
            _ => None,
        })
    }

    fn partnership_named(&self, name: &str) -> Option<PartnershipId> {
        self.mutations.iter().find_map(|m| match &m.op {
            Op::Upsert { fields, .. }
                if m.kind == atlas_shared::EntityKind::Partnership && fields["name"] == name =>
            {
                Some(PartnershipId(m.record_id))
            }
            _ => None,
        })
    }

    /// The record of `kind` whose `title` field is `title` (the first made).
    fn titled(&self, kind: EntityKind, title: &str) -> Option<Uuid> {
        self.mutations.iter().find_map(|m| match &m.op {
            Op::Upsert { fields, .. } if m.kind == kind && fields["title"] == title => {
                Some(m.record_id)
            }
            _ => None,
        })
    }

    /// The record of `kind` whose `name` field is `name` (the first made).
    fn named(&self, kind: EntityKind, name: &str) -> Option<Uuid> {
        self.mutations.iter().find_map(|m| match &m.op {
            Op::Upsert { fields, .. } if m.kind == kind && fields["name"] == name => {
                Some(m.record_id)
            }
            _ => None,
        })
    }

    fn partnership(&mut self, name: &str, area: &str, description: &str) -> PartnershipId {
        PartnershipId(self.add(Entity::Partnership(Partnership {
            name: name.into(),
            area: area.into(),
            description: description.into(),
            published: true,
            archived: false,
        })))
    }

    /// A member organisation of a seed paper.
    fn seed_organisation(
        &mut self,
        partnership_id: PartnershipId,
        organisation: &seeds::SeedOrganisation,
    ) -> OrganisationId {
        OrganisationId(self.add(Entity::Organisation(Organisation {
            partnership_id,
            name: organisation.name.into(),
            sector: organisation.sector,
            named_partner: organisation.named_partner,
            description: String::new(),
        })))
    }

    fn body(
        &mut self,
        partnership_id: PartnershipId,
        name: &str,
        kind: BodyKind,
        terms_of_reference: &str,
    ) -> BodyId {
        BodyId(self.add(Entity::Body(Body {
            partnership_id,
            name: name.into(),
            kind,
            terms_of_reference: terms_of_reference.into(),
        })))
    }

    /// The body of partnership `p` called `name`, if the demo made one.
    fn body_named(&self, p: PartnershipId, name: &str) -> Option<BodyId> {
        self.record_named(EntityKind::Body, p, name).map(BodyId)
    }

    fn seat(&mut self, seat: Membership) {
        self.add(Entity::Membership(seat));
    }

    fn line(
        &mut self,
        partnership_id: PartnershipId,
        from_body_id: BodyId,
        to_body_id: BodyId,
        kind: LineKind,
        note: &str,
    ) {
        self.add(Entity::ReportingLine(ReportingLine {
            partnership_id,
            from_body_id,
            to_body_id,
            kind,
            note: note.into(),
        }));
    }
}

/// A seat held for an organisation by an unnamed representative.
fn member(p: PartnershipId, body_id: BodyId, organisation: OrganisationId) -> Membership {
    Membership {
        partnership_id: p,
        body_id,
        organisation_id: Some(organisation),
        person: String::new(),
        role: MembershipRole::Member,
        independent: false,
        interim: false,
        represents: String::new(),
    }
}

/// Seeds 000 (the Board's members) and 004 (the Task and Finish Group, the Partnership Manager).
fn redditch(demo: &mut Demo) {
    let p = demo.partnership(
        REDDITCH,
        "Borough of Redditch",
        "The Local Strategic Partnership for Redditch, administered and supported by staff of \
         Redditch Borough Council. It is made up of the Partnership Management Board, Themed \
         Groups and Task and Finish Groups. It prepares and delivers the Redditch Sustainable \
         Community Strategy, helps co-ordinate the Local Area Agreement at county and district \
         level, leads on the performance of local services, and brings local plans and partner \
         initiatives together.",
    );
    let orgs: Vec<(&str, OrganisationId)> = seeds::REDDITCH_ORGANISATIONS
        .iter()
        .map(|o| (o.name, demo.seed_organisation(p, o)))
        .collect();

    let board = demo.body(
        p,
        "Partnership Management Board",
        BodyKind::Board,
        "Leads the Redditch Partnership: prepares and implements the Redditch Sustainable \
         Community Strategy, helps co-ordinate delivery of the Local Area Agreement at county \
         and district level, and takes responsibility for the performance of services in the \
         locality. Its minutes are circulated to councillors after each meeting.",
    );
    for (name, org) in &orgs {
        let mut seat = member(p, board, *org);
        if *name == seeds::REDDITCH_COMMUNITY_FORUM {
            seat.represents = "a representative from the Redditch Community Forum".into();
        }
        demo.seat(seat);
    }
    let council = orgs[0].1;
    demo.seat(Membership {
        person: "Helen Broughton".into(),
        role: MembershipRole::SupportingOfficer,
        represents: "Redditch Partnership Manager (full-time, permanent; appointed May 2011)"
            .into(),
        ..member(p, board, council)
    });

    demo.body(
        p,
        "LSP Task and Finish Group",
        BodyKind::TaskAndFinishGroup,
        "Reviewed the Redditch Partnership for the Overview and Scrutiny Committee and made 15 \
         recommendations: among them re-launching the Partnership's web pages, an annual \
         \"We Are Redditch\" event, Board minutes circulated to councillors, pre-scrutiny and \
         six-monthly monitoring of the Sustainable Community Strategy, fewer and more focused \
         targets, and a full-time permanent Partnership Manager. The responses to its \
         recommendations were monitored in November 2011.",
    );
    let safety = demo.body(
        p,
        "Redditch Community Safety Partnership",
        BodyKind::ThematicPartnership,
        "The partnership for community safety in Redditch; sits under the Redditch Partnership \
         and has a seat on the Partnership Management Board.",
    );
    demo.line(
        p,
        safety,
        board,
        LineKind::ReportsTo,
        "Reports on community safety to the Partnership Management Board.",
    );
}

/// Seed 001: the member organisations (§5.3), the chair (§5.4) and the contact officer.
fn bath(demo: &mut Demo) {
    let p = demo.partnership(
        BATH,
        "Bath and North East Somerset",
        "Brings together the public, private, business, community and voluntary sectors of Bath \
         and North East Somerset to improve the area's quality of life, and leads its Community \
         Strategy. It first met in June 2002, after Full Council adopted the recommendations of \
         a \"Pre-Partnership\" group. All members have parity of esteem, whatever resources they \
         are able to give.",
    );
    let orgs: Vec<OrganisationId> = seeds::BATH_ORGANISATIONS
        .iter()
        .map(|o| demo.seed_organisation(p, o))
        .collect();
    let board = demo.body(
        p,
        "Local Strategic Partnership",
        BodyKind::Board,
        "Sets the direction of the partnership and of the Community Strategy for Bath and North \
         East Somerset. Agreed its business plan on 3 September 2002, balancing commitments \
         with resources; reports progress to the Overview and Scrutiny Corporate Issues Panel.",
    );
    demo.seat(Membership {
        person: "Councillor Robin Nicoll".into(),
        role: MembershipRole::Chair,
        independent: true,
        organisation_id: None,
        ..member(p, board, orgs[0])
    });
    for org in &orgs {
        demo.seat(member(p, board, *org));
    }
    for (person, interest) in [
        ("Councillor Metcalfe", "Transport interests"),
        ("Councillor O'Flaherty", "Cultural interests"),
    ] {
        demo.seat(Membership {
            person: person.into(),
            role: MembershipRole::CoOpted,
            interim: true,
            represents: interest.into(),
            organisation_id: None,
            ..member(p, board, orgs[0])
        });
    }
    demo.seat(Membership {
        person: "Louise Tester".into(),
        role: MembershipRole::SupportingOfficer,
        represents: "Corporate Projects Manager".into(),
        ..member(p, board, orgs[0])
    });
}

/// Seed 003: the structure after the LSP Review 2008, and what each group must do.
fn basingstoke(demo: &mut Demo) {
    let p = demo.partnership(
        BASINGSTOKE,
        "Basingstoke and Deane",
        "A voluntary partnership of councillors from the borough, parish and county councils \
         and representatives of the public, private and voluntary sectors. It focuses on \
         strategic issues and future challenges; the partners deliver the agreed actions. The \
         LSP Review 2008 gave it new terms of reference, a new structure, Priority Action \
         Groups, a way to allocate project funds and the use of highlight reports.",
    );
    for o in &seeds::BASINGSTOKE_ORGANISATIONS {
        demo.seed_organisation(p, o);
    }

    let board = demo.body(
        p,
        seeds::BASINGSTOKE_BOARD,
        BodyKind::Board,
        "Sets the vision and priorities in the Sustainable Community Strategy. The key \
         consultee on Borough issues, holding the strategic overview with a community \
         perspective. Sets the framework for the Management Group, and gives an annual report \
         to the LSP Conference and the funding partners.",
    );
    let management = demo.body(
        p,
        seeds::BASINGSTOKE_MANAGEMENT_GROUP,
        BodyKind::ManagementGroup,
        "Sets the LSP work programme, monitors action and considers emerging issues. Reports \
         progress to the Board.",
    );
    let conference = demo.body(
        p,
        seeds::BASINGSTOKE_CONFERENCE,
        BodyKind::Conference,
        "Meets yearly and receives the Board's annual report, with the funding partners.",
    );
    let pag_terms = "Roles and responsibilities: identify the key actions needed to meet the \
         agreed priorities; co-ordinate the partnerships within the priority theme so that the \
         right organisations are involved and own the actions; receive regular information \
         from partnerships and cross-cutting and project groups, and oversee performance; \
         report regularly to the Management Group on progress against priorities, make \
         recommendations where appropriate, and communicate between the parts of the LSP; \
         facilitate joint and collaborative funding bids; consider chances to rationalise \
         partnership working within the theme.\n\n\
         Expected in 2009/10: three key actions to deliver in the coming 12 months; an action \
         plan by June 2009 that includes at least those three actions; Hampshire LAA \
         performance targets reported where they apply; regular updates to the LSP Management \
         Group through project highlight reports.";
    let pags: Vec<BodyId> = BASINGSTOKE_PRIORITY_ACTION_GROUPS
        .iter()
        .map(|name| demo.body(p, name, BodyKind::PriorityActionGroup, pag_terms))
        .collect();
    let cross_cutting: Vec<BodyId> = BASINGSTOKE_CROSS_CUTTING_GROUPS
        .iter()
        .map(|name| {
            demo.body(
                p,
                name,
                BodyKind::CrossCuttingGroup,
                "A cross-cutting group: works across every priority theme and reports to the \
                 Management Group.",
            )
        })
        .collect();
    let task_groups = demo.body(
        p,
        seeds::BASINGSTOKE_TASK_GROUPS,
        BodyKind::TaskGroup,
        "Provide expertise on specific tasks as directed.",
    );
    let network = demo.body(
        p,
        seeds::BASINGSTOKE_COMMUNITY_NETWORK,
        BodyKind::Network,
        "Provides a network of networks for community interest groups.",
    );
    let older = demo.body(
        p,
        seeds::BASINGSTOKE_OLDER_PEOPLE,
        BodyKind::ThematicPartnership,
        "The partnership for older people; feeds into the Management Group.",
    );
    let other = demo.body(
        p,
        seeds::BASINGSTOKE_OTHER_PARTNERSHIPS,
        BodyKind::OtherForum,
        "Other partnerships and fora of the borough; one may feed into more than one Priority \
         Action Group.",
    );

    demo.line(
        p,
        management,
        board,
        LineKind::ReportsTo,
        "Reports progress to the Board.",
    );
    demo.line(
        p,
        board,
        conference,
        LineKind::ReportsAnnuallyTo,
        "Annual report to the Conference and the funding partners.",
    );
    for pag in &pags {
        demo.line(
            p,
            *pag,
            management,
            LineKind::ReportsTo,
            "Reports on specific targets and issues, with project highlight reports.",
        );
    }
    for group in &cross_cutting {
        demo.line(p, *group, management, LineKind::ReportsTo, "");
    }
    demo.line(
        p,
        task_groups,
        management,
        LineKind::Advises,
        "Expertise on specific tasks as directed.",
    );
    demo.line(p, network, board, LineKind::FeedsInto, "");
    demo.line(p, older, management, LineKind::FeedsInto, "");
    for pag in &pags {
        demo.line(p, other, *pag, LineKind::FeedsInto, "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_demo_is_deterministic_and_every_id_is_distinct() {
        let a = demo_mutations();
        assert_eq!(a, demo_mutations());
        let ids: BTreeSet<Uuid> = a.iter().flat_map(|m| [m.id.0, m.record_id]).collect();
        assert_eq!(ids.len(), a.len() * 2);
    }

    #[test]
    fn splitmix64_gives_the_reference_sequence() {
        // The first outputs for seed 0 of the reference implementation (Vigna's splitmix64.c).
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(rng.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(rng.next_u64(), 0x06c4_5d18_8009_454f);
        let mut rng = SplitMix64::new(7);
        assert!((0..1000).all(|_| rng.below(6) < 6));
    }

    fn illustrative() -> Vec<Response> {
        demo_mutations()
            .iter()
            .filter_map(|m| match &m.op {
                Op::Upsert { fields, .. } => match Entity::from_fields(m.kind, fields) {
                    Ok(Entity::Response(r)) => Some(r),
                    _ => None,
                },
                Op::Delete { .. } => None,
            })
            .collect()
    }

    #[test]
    fn the_illustrative_answers_are_labelled_and_their_comments_say_so() {
        let responses = illustrative();
        assert_eq!(responses.len(), ILLUSTRATIVE_RESPONSES);
        let comments: Vec<&str> = responses
            .iter()
            .filter_map(|r| match r.answers.get("anything_else") {
                Some(AnswerValue::Text(t)) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert!(comments.len() >= 10, "{}", comments.len());
        assert!(
            comments
                .iter()
                .all(|c| c.starts_with("Illustrative comment")),
            "{comments:?}"
        );
        assert_eq!(responses.iter().filter(|r| r.hidden).count(), 1);
        let mutations = demo_mutations();
        let text_of = |kind: atlas_shared::EntityKind, field: &str| -> Vec<String> {
            mutations
                .iter()
                .filter(|m| m.kind == kind)
                .filter_map(|m| match &m.op {
                    Op::Upsert { fields, .. } => fields[field].as_str().map(str::to_owned),
                    Op::Delete { .. } => None,
                })
                .collect()
        };
        let purpose = text_of(atlas_shared::EntityKind::Consultation, "purpose");
        assert!(
            purpose[0].contains("300 answers already given are illustrative"),
            "{purpose:?}"
        );
        let venues = text_of(atlas_shared::EntityKind::ConsultationEvent, "venue");
        assert_eq!(
            venues.iter().filter(|v| *v == ILLUSTRATIVE_VENUE).count(),
            2,
            "{venues:?}"
        );
    }

    #[test]
    fn the_illustrative_answers_lean_as_residents_might_and_leave_some_cells_small() {
        use atlas_shared::results::{Cell, Dimension, report};
        let responses = illustrative();
        let channels: BTreeSet<Channel> = responses.iter().map(|r| r.channel).collect();
        assert_eq!(channels.len(), Channel::ALL.len(), "every channel");
        let events: BTreeSet<_> = responses.iter().map(|r| r.event_id).collect();
        assert_eq!(events.len(), 4, "three events and none: {events:?}");

        let questions = sample_consultation::we_are_redditch_questions();
        let report = report(&questions, &responses, DEFAULT_SUPPRESSION_THRESHOLD);
        let ranking = &report.summary.questions[0];
        assert_eq!(ranking.key, "priorities");
        assert_eq!(ranking.options[0].key, "community_safety", "{ranking:?}");
        // At the youth forum, young people's themes come first.
        let youth: Vec<Response> = responses
            .iter()
            .filter(|r| r.channel == Channel::StaffAssisted && r.captured_at > 1_264_204_800_000)
            .cloned()
            .collect();
        assert_eq!(youth.len(), 12);
        let youth_report = atlas_shared::results::summarise(&questions, &youth);
        let top = &youth_report.questions[0].options[0];
        assert_eq!(top.key, "children_and_young_people", "{youth_report:?}");
        let postcode = report
            .breakdowns
            .iter()
            .find(|(d, _)| *d == Dimension::Postcode)
            .map(|(_, tables)| &tables[0])
            .expect("a postcode breakdown");
        let suppressed = postcode
            .groups
            .iter()
            .flat_map(|g| &g.cells)
            .filter(|c| matches!(c, Cell::Suppressed))
            .count();
        assert!(
            suppressed > 0,
            "some cells are too small to show: {postcode:?}"
        );
        let shown = postcode
            .groups
            .iter()
            .flat_map(|g| &g.cells)
            .filter(|c| !matches!(c, Cell::Suppressed))
            .count();
        assert!(shown > suppressed, "but most are shown: {postcode:?}");
    }

    #[test]
    fn every_demo_record_is_valid() {
        for m in demo_mutations() {
            let Op::Upsert { fields, .. } = &m.op else {
                panic!("the demo only creates");
            };
            if let Err(e) = Entity::from_fields(m.kind, fields) {
                panic!("demo {:?} {} is invalid: {e}", m.kind, m.record_id);
            }
        }
    }

    /// A device's view works out which records are shown from their fields alone; for every
    /// record of the demo (every kind) that reading finds the references parsing finds, and
    /// the view shows every record, typed.
    #[test]
    fn every_demo_records_references_read_from_its_fields_are_its_typed_references() {
        let demo = demo_mutations();
        let mut kinds = BTreeSet::new();
        for m in &demo {
            let Op::Upsert { fields, .. } = &m.op else {
                panic!("the demo only creates");
            };
            let entity = Entity::from_fields(m.kind, fields).expect("a demo record is valid");
            assert_eq!(
                m.kind.references_in(fields),
                entity.references(),
                "{:?} {}",
                m.kind,
                m.record_id
            );
            kinds.insert(m.kind);
        }
        let view = atlas_shared::Replica::default().view(&demo);
        let shown: BTreeSet<_> = view.entities().map(|(key, _)| key).collect();
        let made: BTreeSet<_> = demo.iter().map(|m| (m.kind, m.record_id)).collect();
        assert_eq!(shown, made);
        // Every kind that refers to another is in the demo, so the check covers each.
        for kind in EntityKind::ALL {
            if !kind.refers_to().is_empty() && !kind.derived() {
                assert!(kinds.contains(kind), "the demo has no {kind:?}");
            }
        }
    }
}
