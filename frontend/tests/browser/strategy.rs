//! The strategy pages in a real browser: a strategy with its priorities and their targets'
//! statuses and sentences, what a reader who does not manage the partnership is offered, the
//! draft note, the warning above six priorities, a target with its figures and SMART check,
//! and the priorities a body owns. Each test mounts one view with a hand-built `Snapshot`:
//! Redditch's strategy (seed 004: "only four key priorities", raising educational standards
//! and tackling health inequalities) with illustrative figures. No store, no IndexedDB.

use atlas_frontend::pages::strategy::dashboard::DashboardView;
use atlas_frontend::pages::strategy::figures::FiguresInBulk;
use atlas_frontend::pages::strategy::owned::{OwnedPriorities, OwnedPrioritiesBrief};
use atlas_frontend::pages::strategy::scs::StrategyDetail;
use atlas_frontend::pages::strategy::strategies::StrategyList;
use atlas_frontend::pages::strategy::target::TargetDetail;
use atlas_shared::seeds::fixture_id as id;
use atlas_shared::strategy::{
    Figure, Frequency, Measurement, MeasurementId, Milestone, Polarity, Priority, PriorityId,
    Strategy, StrategyId, StrategyStatus, Target, TargetId,
};
use atlas_shared::{
    Body, BodyId, BodyKind, IsoDate, LineKind, Organisation, OrganisationId, Partnership,
    PartnershipId, ReportingLine, ReportingLineId, Sector, Snapshot,
};
use leptos::prelude::*;
use wasm_bindgen_test::*;

use crate::common::*;

const P: u16 = 1;
const BOARD: u16 = 2;
const NHS: u16 = 3;
const STRATEGY: u16 = 10;
const EDUCATION: u16 = 20;
const HEALTH: u16 = 21;
const GCSES: u16 = 30;
const CONCEPTIONS: u16 = 31;
const OBESITY: u16 = 32;

fn day(y: u16, m: u8, d: u8) -> IsoDate {
    IsoDate::known(y, m, d)
}

fn today() -> IsoDate {
    day(2013, 1, 15)
}

fn pid() -> PartnershipId {
    PartnershipId(id(P))
}

fn target(
    priority: u16,
    code: &str,
    name: &str,
    polarity: Polarity,
    (from, to): (f64, f64),
) -> Target {
    Target {
        partnership_id: pid(),
        priority_id: PriorityId(id(priority)),
        name: name.into(),
        code: code.into(),
        unit: "%".into(),
        polarity,
        baseline: Some(Figure::known(from)),
        baseline_on: Some(day(2010, 12, 31)),
        target_value: Some(Figure::known(to)),
        deadline: Some(day(2014, 12, 31)),
        milestones: Vec::new(),
        tolerance_percent: Figure::known(5.0),
        source: "Illustrative figure".into(),
        frequency: Frequency::Yearly,
        owner_id: Some(OrganisationId(id(NHS))),
        laa: false,
        status_override: None,
        override_reason: String::new(),
    }
}

fn figure(n: u16, t: u16, on: IsoDate, value: f64, s: &mut Snapshot) {
    s.measurements.insert(
        MeasurementId(id(n)),
        Measurement {
            partnership_id: pid(),
            target_id: TargetId(id(t)),
            on,
            value: Figure::known(value),
            note: "Illustrative figure".into(),
        },
    );
}

fn fixture(status: StrategyStatus) -> Snapshot {
    let mut s = Snapshot::default();
    s.partnerships.insert(
        pid(),
        Partnership {
            name: "Redditch Partnership".into(),
            area: "Borough of Redditch".into(),
            description: String::new(),
            published: true,
            archived: false,
        },
    );
    s.bodies.insert(
        BodyId(id(BOARD)),
        Body {
            partnership_id: pid(),
            name: "Partnership Management Board".into(),
            kind: BodyKind::Board,
            terms_of_reference: String::new(),
        },
    );
    s.organisations.insert(
        OrganisationId(id(NHS)),
        Organisation {
            partnership_id: pid(),
            name: "Worcestershire NHS".into(),
            sector: Sector::Public,
            named_partner: true,
            description: String::new(),
        },
    );
    s.strategies.insert(
        StrategyId(id(STRATEGY)),
        Strategy {
            partnership_id: pid(),
            title: "Redditch Sustainable Community Strategy".into(),
            first_year: 2011,
            last_year: 2014,
            vision: "Only four key priorities.".into(),
            status,
            drafted_on: None,
            pre_scrutiny_on: (status >= StrategyStatus::PreScrutiny).then(|| day(2011, 3, 2)),
            adopted_on: None,
            superseded_on: None,
        },
    );
    for (n, title, position) in [
        (HEALTH, "Tackling health inequalities", 2),
        (EDUCATION, "Raising educational standards", 1),
    ] {
        s.priorities.insert(
            PriorityId(id(n)),
            Priority {
                partnership_id: pid(),
                strategy_id: StrategyId(id(STRATEGY)),
                title: title.into(),
                description: String::new(),
                body_id: Some(BodyId(id(BOARD))),
                lead_organisation_ids: vec![OrganisationId(id(NHS))],
                position,
                resident_theme: None,
                dovetails_with: Vec::new(),
            },
        );
    }
    let mut gcses = target(
        EDUCATION,
        "NI 75",
        "Five good GCSEs",
        Polarity::HigherIsBetter,
        (45.0, 53.0),
    );
    gcses.milestones = vec![Milestone {
        on: day(2012, 12, 31),
        value: Figure::known(49.0),
    }];
    s.targets.insert(TargetId(id(GCSES)), gcses);
    s.targets.insert(
        TargetId(id(CONCEPTIONS)),
        target(
            HEALTH,
            "NI 112",
            "Under 18 conception rate",
            Polarity::LowerIsBetter,
            (48.0, 40.0),
        ),
    );
    s.targets.insert(
        TargetId(id(OBESITY)),
        target(
            HEALTH,
            "NI 56",
            "Obesity in Year 6",
            Polarity::LowerIsBetter,
            (19.5, 18.0),
        ),
    );
    // GCSEs: 47.5 against the milestone's 49, better than 46 the year before: at risk.
    figure(40, GCSES, day(2011, 12, 31), 46.0, &mut s);
    figure(41, GCSES, day(2012, 12, 31), 47.5, &mut s);
    // Conceptions: 39.5, under the target of 40: achieved.
    figure(42, CONCEPTIONS, day(2012, 12, 31), 39.5, &mut s);
    s
}

fn statuses(root: &web_sys::Element) -> Vec<(String, String)> {
    all(root, ".target-status")
        .iter()
        .map(|el| {
            (
                el.get_attribute("data-status").unwrap_or_default(),
                text(&one(el, ".target-status__sentence")),
            )
        })
        .collect()
}

fn link_texts(root: &web_sys::Element) -> Vec<String> {
    all(root, "a").iter().map(text).collect()
}

#[wasm_bindgen_test]
async fn a_strategy_shows_its_priorities_in_order_with_each_targets_status_and_sentence() {
    setup();
    let snapshot = RwSignal::new(fixture(StrategyStatus::Adopted));
    let (root, _unmount) = mount(move || {
        view! { <StrategyDetail snapshot=snapshot id=StrategyId(id(STRATEGY)) today=today() manages=true /> }
    });
    settle().await;

    assert_eq!(
        text(&one(&root, "h1")),
        "Redditch Sustainable Community Strategy"
    );
    assert!(text(&root).contains("2011 to 2014"));
    assert!(text(&root).contains("Pre-scrutiny: 2 March 2011"));
    let titles: Vec<String> = all(&root, ".priority-card__title")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        titles,
        [
            "Raising educational standards",
            "Tackling health inequalities"
        ]
    );
    assert_eq!(
        statuses(&root),
        [
            (
                "at_risk".to_owned(),
                "At risk: 3% short of this year's milestone, better than last time.".to_owned()
            ),
            (
                "not_yet_measured".to_owned(),
                "Not yet measured: no figure has been entered yet.".to_owned()
            ),
            (
                "achieved".to_owned(),
                "Achieved: the target of 40% is met.".to_owned()
            ),
        ]
    );
    // The status is in words, not colour alone.
    assert!(text(&root).contains("At risk"));
    // Each target has a chart with a text alternative: its title and a table.
    let charts = all(&root, "svg.trajectory__chart");
    assert_eq!(
        charts.len(),
        3,
        "the unmeasured target still has its trajectory"
    );
    assert_eq!(charts[0].get_attribute("role").as_deref(), Some("img"));
    assert!(text(&one(&root, ".trajectory__table")).contains("47.5%"));
    // A manager is offered the changes; no draft note on an adopted strategy.
    let links = link_texts(&root);
    assert!(links.contains(&"Edit strategy".to_owned()), "{links:?}");
    assert!(links.contains(&"Add a priority".to_owned()), "{links:?}");
    assert!(
        links.iter().any(|l| l.starts_with("Add a target")),
        "{links:?}"
    );
    assert!(all(&root, "#draft-note").is_empty());
    assert!(all(&root, "#priorities-warning").is_empty());
}

#[wasm_bindgen_test]
async fn a_reader_who_does_not_manage_the_partnership_is_offered_no_changes() {
    setup();
    let snapshot = RwSignal::new(fixture(StrategyStatus::Adopted));
    let (root, _unmount) = mount(move || {
        view! { <StrategyDetail snapshot=snapshot id=StrategyId(id(STRATEGY)) today=today() manages=false /> }
    });
    settle().await;
    let links = link_texts(&root);
    for offered in ["Edit strategy", "Delete strategy", "Add a priority"] {
        assert!(!links.contains(&offered.to_owned()), "{offered}: {links:?}");
    }
    assert!(
        !links
            .iter()
            .any(|l| l.starts_with("Edit") || l.starts_with("Add")),
        "{links:?}"
    );
    // They still read every status.
    assert_eq!(statuses(&root).len(), 3);

    let target_snapshot = RwSignal::new(fixture(StrategyStatus::Adopted));
    let (target_root, _unmount_target) = mount(move || {
        view! { <TargetDetail snapshot=target_snapshot id=TargetId(id(GCSES)) today=today() manages=false /> }
    });
    settle().await;
    let links = link_texts(&target_root);
    assert!(
        !links
            .iter()
            .any(|l| l.starts_with("Edit") || l.starts_with("Add") || l.starts_with("Delete")),
        "{links:?}"
    );
    assert_eq!(all(&target_root, ".measurement-table__row").len(), 2);
}

#[wasm_bindgen_test]
async fn a_draft_strategy_says_only_members_can_see_it() {
    setup();
    let snapshot = RwSignal::new(fixture(StrategyStatus::Draft));
    let (root, _unmount) = mount(move || {
        view! { <StrategyDetail snapshot=snapshot id=StrategyId(id(STRATEGY)) today=today() manages=true /> }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "#draft-note")),
        "Draft: only members of the partnership can see this."
    );
    // Adopting it takes the note away.
    snapshot.update(|s| {
        if let Some(mut st) = s.strategies.get_mut(&StrategyId(id(STRATEGY))) {
            st.status = StrategyStatus::Adopted;
        }
    });
    settle().await;
    assert!(all(&root, "#draft-note").is_empty());
}

#[wasm_bindgen_test]
async fn more_than_six_priorities_gives_a_warning_in_the_task_and_finish_groups_words() {
    setup();
    let mut s = fixture(StrategyStatus::Adopted);
    for n in 0..5u16 {
        s.priorities.insert(
            PriorityId(id(60 + n)),
            Priority {
                partnership_id: pid(),
                strategy_id: StrategyId(id(STRATEGY)),
                title: format!("Illustrative priority {}", n + 3),
                description: String::new(),
                body_id: None,
                lead_organisation_ids: Vec::new(),
                position: u32::from(n) + 3,
                resident_theme: None,
                dovetails_with: Vec::new(),
            },
        );
    }
    let snapshot = RwSignal::new(s);
    let (root, _unmount) = mount(move || {
        view! { <StrategyDetail snapshot=snapshot id=StrategyId(id(STRATEGY)) today=today() manages=true /> }
    });
    settle().await;
    let warning = text(&one(&root, "#priorities-warning"));
    assert!(warning.contains("7 priorities"), "{warning}");
    assert!(warning.contains("fewer, more focussed"), "{warning}");
    // A warning, not a refusal: all seven are shown.
    assert_eq!(all(&root, ".priority-card").len(), 7);
}

#[wasm_bindgen_test]
async fn a_target_shows_its_figures_smart_check_and_an_overdue_figure() {
    setup();
    let mut s = fixture(StrategyStatus::Adopted);
    if let Some(mut t) = s.targets.get_mut(&TargetId(id(GCSES))) {
        t.owner_id = None;
        t.source = String::new();
    }
    let snapshot = RwSignal::new(s);
    let (root, _unmount) = mount(move || {
        view! { <TargetDetail snapshot=snapshot id=TargetId(id(GCSES)) today=day(2014, 2, 1) manages=true /> }
    });
    settle().await;
    assert_eq!(text(&one(&root, "h1")), "Five good GCSEs");
    let smart = text(&one(&root, ".smart-check"));
    assert!(smart.contains("No owner"), "{smart}");
    assert!(smart.contains("No data source"), "{smart}");
    assert!(!smart.contains("No baseline"), "{smart}");
    let rows: Vec<String> = all(&root, ".measurement-table__row")
        .iter()
        .map(text)
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows[1].contains("31 December 2012") && rows[1].contains("47.5%"),
        "{rows:?}"
    );
    // A year after the last figure, the next is overdue.
    assert!(text(&one(&root, ".target-status__overdue")).contains("due by 31 December 2013"));
    let links = link_texts(&root);
    assert!(links.contains(&"Add a figure".to_owned()), "{links:?}");
}

#[wasm_bindgen_test]
async fn a_status_set_by_hand_is_shown_beside_the_computed_one() {
    setup();
    let mut s = fixture(StrategyStatus::Adopted);
    if let Some(mut t) = s.targets.get_mut(&TargetId(id(GCSES))) {
        t.status_override = Some(atlas_shared::strategy::TargetStatus::OnTrack);
        t.override_reason = "Results re-marked upwards in January".into();
    }
    let snapshot = RwSignal::new(s);
    let (root, _unmount) = mount(move || {
        view! { <TargetDetail snapshot=snapshot id=TargetId(id(GCSES)) today=today() manages=true /> }
    });
    settle().await;
    let status = one(&root, ".target-status");
    assert_eq!(
        status.get_attribute("data-status").as_deref(),
        Some("at_risk")
    );
    let by_hand = text(&one(&root, ".target-status__by-hand"));
    assert!(by_hand.contains("Set by hand: On track"), "{by_hand}");
    assert!(by_hand.contains("the figures say at risk"), "{by_hand}");
    assert!(
        by_hand.contains("Results re-marked upwards in January"),
        "{by_hand}"
    );
    assert!(text(&root).contains("history of changes"));
}

#[wasm_bindgen_test]
async fn a_body_lists_the_priorities_it_owns_with_their_targets_status() {
    setup();
    let snapshot = RwSignal::new(fixture(StrategyStatus::Adopted));
    let (root, _unmount) = mount(move || {
        view! { <OwnedPriorities snapshot=snapshot body=BodyId(id(BOARD)) today=today() /> }
    });
    settle().await;
    let owned: Vec<String> = all(&root, ".owned-priority > a").iter().map(text).collect();
    assert_eq!(
        owned,
        [
            "Raising educational standards",
            "Tackling health inequalities"
        ]
    );
    assert!(text(&root).contains("Achieved"));
    assert!(text(&root).contains("At risk: 3% short of this year's milestone"));
}

/// The map's panel says the same in brief: each priority with how many of its targets are in
/// each status, in words; a body that owns none shows nothing.
#[wasm_bindgen_test]
async fn the_map_panel_counts_the_status_of_each_owned_prioritys_targets() {
    setup();
    let snapshot = RwSignal::new(fixture(StrategyStatus::Adopted));
    let (root, _unmount) = mount(move || {
        view! { <OwnedPrioritiesBrief snapshot=snapshot body=BodyId(id(BOARD)) today=today() /> }
    });
    settle().await;
    let items: Vec<String> = all(&root, ".map-panel__priorities li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        items,
        [
            "Raising educational standards1 at risk",
            "Tackling health inequalities1 achieved 1 not yet measured"
        ]
    );
    let (none, _unmount_none) = mount(move || {
        view! { <OwnedPrioritiesBrief snapshot=snapshot body=BodyId(id(NHS)) today=today() /> }
    });
    settle().await;
    assert_eq!(text(&none), "");
}

#[wasm_bindgen_test]
async fn the_strategies_list_shows_each_period_and_status_in_words_and_add_only_to_managers() {
    setup();
    let mut s = fixture(StrategyStatus::Adopted);
    s.strategies.insert(
        StrategyId(id(11)),
        Strategy {
            partnership_id: pid(),
            title: "Redditch Sustainable Community Strategy 2014 to 2017".into(),
            first_year: 2014,
            last_year: 2017,
            vision: String::new(),
            status: StrategyStatus::Draft,
            drafted_on: None,
            pre_scrutiny_on: None,
            adopted_on: None,
            superseded_on: None,
        },
    );
    let snapshot = RwSignal::new(s);
    let manages = RwSignal::new(false);
    let (root, _unmount) = mount(move || {
        view! { <StrategyList snapshot=snapshot partnership=pid() manages=manages /> }
    });
    settle().await;
    let items: Vec<String> = all(&root, ".strategy-list__item")
        .iter()
        .map(text)
        .collect();
    assert_eq!(items.len(), 2);
    // The latest period first, its status in words.
    assert!(
        items[0].contains("2014 to 2017") && items[0].contains("Draft"),
        "{items:?}"
    );
    assert!(
        items[1].contains("2011 to 2014") && items[1].contains("Adopted"),
        "{items:?}"
    );
    assert!(items[1].contains("2 priorities"), "{items:?}");
    assert!(!link_texts(&root).contains(&"Add a strategy".to_owned()));
    manages.set(true);
    settle().await;
    assert!(link_texts(&root).contains(&"Add a strategy".to_owned()));
}

/// Figures in bulk: a partner's file corrects one figure, adds another and has a bad row; the
/// preview says so row by row, and only "Save" stores the two good figures. A reader who may
/// not write figures is offered the download only.
#[wasm_bindgen_test]
async fn a_file_of_figures_is_previewed_row_by_row_and_saved_only_when_chosen() {
    setup();
    let snapshot = RwSignal::new(fixture(StrategyStatus::Adopted));
    let may_import = RwSignal::new(false);
    let (on_save, saved) = recorder();
    let (root, _unmount) = mount(move || {
        view! {
            <FiguresInBulk
                snapshot=snapshot
                strategy=StrategyId(id(STRATEGY))
                may_import=may_import
                on_save=on_save
            />
        }
    });
    settle().await;
    assert!(
        root.query_selector("#figures-download")
            .ok()
            .flatten()
            .is_some()
    );
    assert!(
        root.query_selector("#figures-file")
            .ok()
            .flatten()
            .is_none()
    );
    may_import.set(true);
    settle().await;

    let file = "code,date,value,note\n\
                NI 75,31/12/2012,47.8,Corrected by the college\n\
                NI 56,2012-12-31,19.1,\n\
                NI 56,2013-12-31,\"19,1\",\n";
    choose_file(&root, "#figures-file", "#figures-check", file).await;
    assert_eq!(
        text(&one(&root, "#figures-preview-sentence")),
        "It adds 1 figure and changes 1."
    );
    let errors: Vec<String> = all(&root, "#figures-errors li").iter().map(text).collect();
    assert_eq!(
        errors,
        [
            "Row 4: enter the value with a point for decimals, like 7.9 (a comma only separates thousands, like 1,250)"
        ]
    );
    let rows: Vec<String> = all(&root, "#figures-rows tbody tr")
        .iter()
        .map(text)
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].contains("47.5%") && rows[0].contains("47.8%"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("None yet") && rows[1].contains("19.1%"),
        "{rows:?}"
    );
    assert!(
        saved.get_untracked().is_empty(),
        "nothing is saved before the person chooses"
    );

    click(&root, "#figures-confirm");
    settle().await;
    let stored = saved.get_untracked();
    assert_eq!(stored.len(), 2);
    // The corrected figure keeps its id: it changes, it is not added twice.
    assert_eq!(stored[0].0, id(41));
    assert!(text(&one(&root, "#figures-done")).starts_with("Saved 2 figures on this device."));
}

/// The dashboard: the adopted strategy's priorities with every target's computed status, how
/// many are in each status, and what is overdue; with no strategy, it says so.
#[wasm_bindgen_test]
async fn the_dashboard_rolls_up_every_targets_status_and_what_is_overdue() {
    setup();
    let snapshot = RwSignal::new(fixture(StrategyStatus::Adopted));
    let (root, _unmount) = mount(move || {
        view! { <DashboardView snapshot=snapshot partnership=pid() today=today() /> }
    });
    settle().await;
    assert!(text(&one(&root, "#dashboard-intro")).starts_with(
        "How Redditch Sustainable Community Strategy (2011 to 2014) stands on 15 January 2013"
    ));
    let counts: Vec<String> = all(&root, "#dashboard-counts li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        counts,
        [
            "At risk 1 target at risk",
            "Achieved 1 target achieved",
            "Not yet measured 1 target not yet measured",
        ]
    );
    let rows: Vec<String> = all(&root, ".dashboard-table tbody tr")
        .iter()
        .map(|r| r.get_attribute("data-status").unwrap_or_default())
        .collect();
    assert_eq!(rows, ["at_risk", "not_yet_measured", "achieved"]);
    assert_eq!(
        text(&one(&root, "#no-overdue-actions")),
        "No key action is overdue."
    );
    // Obesity's first figure was due a year after its baseline.
    assert!(text(&one(&root, "#overdue-figures")).contains("Obesity in Year 6"));

    snapshot.set(Snapshot::default());
    settle().await;
    assert!(
        text(&one(&root, "#dashboard-intro")).starts_with("There is no strategy to report on yet.")
    );
    assert!(
        root.query_selector("#dashboard-counts")
            .ok()
            .flatten()
            .is_none()
    );
}

/// A body's dashboard holds what it oversees: the children's partnership owns education and
/// reports to the Board; its dashboard has education alone, the Board's both, and each says
/// what it covers.
#[wasm_bindgen_test]
async fn a_bodys_dashboard_holds_what_reports_to_it_and_says_so() {
    setup();
    const CHILDREN: u16 = 4;
    const LINE: u16 = 5;
    let mut s = fixture(StrategyStatus::Adopted);
    s.bodies.insert(
        BodyId(id(CHILDREN)),
        Body {
            partnership_id: pid(),
            name: "Children and Young People's Partnership".into(),
            kind: BodyKind::ThematicPartnership,
            terms_of_reference: String::new(),
        },
    );
    s.lines.insert(
        ReportingLineId(id(LINE)),
        ReportingLine {
            partnership_id: pid(),
            from_body_id: BodyId(id(CHILDREN)),
            to_body_id: BodyId(id(BOARD)),
            kind: LineKind::ReportsTo,
            note: String::new(),
        },
    );
    s.priorities
        .get_mut(&PriorityId(id(EDUCATION)))
        .expect("education")
        .body_id = Some(BodyId(id(CHILDREN)));
    let snapshot = RwSignal::new(s);
    let titles = |root: &web_sys::Element| {
        all(root, ".dashboard-priority h3")
            .iter()
            .map(text)
            .collect::<Vec<_>>()
    };
    let (group, _unmount_group) = mount(move || {
        view! { <DashboardView snapshot=snapshot partnership=pid() today=today() body=BodyId(id(CHILDREN)) /> }
    });
    settle().await;
    assert_eq!(titles(&group), ["Raising educational standards"]);
    assert_eq!(
        all(&group, "#dashboard-counts li")
            .iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["At risk 1 target at risk"]
    );
    assert!(
        text(&one(&group, "#dashboard-scope")).starts_with(
            "It covers Children and Young People's Partnership alone: no body reports to it."
        ),
        "{}",
        text(&one(&group, "#dashboard-scope"))
    );

    let (board, _unmount_board) = mount(move || {
        view! { <DashboardView snapshot=snapshot partnership=pid() today=today() body=BodyId(id(BOARD)) /> }
    });
    settle().await;
    assert_eq!(
        titles(&board),
        [
            "Raising educational standards",
            "Tackling health inequalities"
        ]
    );
    assert!(
        text(&one(&board, "#dashboard-scope")).starts_with(
            "It covers Partnership Management Board and the body that reports to it: Children and \
             Young People's Partnership. As the Board sets the priorities, it also sees those no \
             group owns."
        ),
        "{}",
        text(&one(&board, "#dashboard-scope"))
    );
}
