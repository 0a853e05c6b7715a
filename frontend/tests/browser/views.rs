//! The views in a real browser: each test mounts one presentational component with a
//! hand-built `Snapshot` (facts from seed 001, Bath & North East Somerset) or plain signals,
//! and checks the DOM a person (or a screen reader) would meet. No store, no IndexedDB.

use atlas_frontend::components::{
    ErrorSummary, FormErrors, NoticesView, SyncStatusView, describe_status,
};
use atlas_frontend::data::{SyncState, SyncStatus};
use atlas_frontend::pages::delete::consequences;
use atlas_frontend::pages::home::PartnershipList;
use atlas_frontend::pages::structure::body::{BodyDetail, BodyForm};
use atlas_frontend::pages::structure::line::{FromBody, LineForm};
use atlas_frontend::pages::structure::membership::{MembershipForm, organisation_options};
use atlas_frontend::pages::structure::partnership::PartnershipDetail;
use atlas_shared::seeds::{BASINGSTOKE_MANAGEMENT_GROUP, REDDITCH};
use atlas_shared::{
    Body, BodyId, BodyKind, EntityKind, FieldError, LineKind, Membership, MembershipId,
    MembershipRole, Organisation, OrganisationId, Partnership, PartnershipId, ReportingLine,
    ReportingLineId, Sector, Snapshot, seeds::fixture_id as id,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

use crate::common::*;

// ---------- Fixture: Bath & North East Somerset LSP (seed 001) ----------

struct Ids {
    partnership: PartnershipId,
    council: OrganisationId,
    police: OrganisationId,
    board: BodyId,
    management: BodyId,
    chair: MembershipId,
}

fn seat(
    p: PartnershipId,
    body: BodyId,
    org: Option<OrganisationId>,
    person: &str,
    role: MembershipRole,
) -> Membership {
    Membership {
        partnership_id: p,
        body_id: body,
        organisation_id: org,
        person: person.into(),
        role,
        independent: false,
        interim: false,
        represents: String::new(),
    }
}

fn fixture() -> (Snapshot, Ids) {
    let ids = Ids {
        partnership: PartnershipId(id(1)),
        council: OrganisationId(id(2)),
        police: OrganisationId(id(3)),
        board: BodyId(id(4)),
        management: BodyId(id(5)),
        // The highest id, so it is last in the map: the page must still put it first.
        chair: MembershipId(id(30)),
    };
    let p = ids.partnership;
    let mut s = Snapshot::default();
    s.partnerships.insert(
        p,
        Partnership {
            name: "Bath & North East Somerset LSP".into(),
            area: "Bath and North East Somerset".into(),
            description: String::new(),
            published: true,
            archived: false,
        },
    );
    for (oid, name) in [
        (ids.council, "Bath and North East Somerset Council"),
        (ids.police, "Avon and Somerset Constabulary"),
    ] {
        s.organisations.insert(
            oid,
            Organisation {
                partnership_id: p,
                name: name.into(),
                sector: Sector::Public,
                named_partner: true,
                description: String::new(),
            },
        );
    }
    s.bodies.insert(
        ids.board,
        Body {
            partnership_id: p,
            name: "LSP Board".into(),
            kind: BodyKind::Board,
            terms_of_reference: "Sets the vision.\nHolds the strategic overview.".into(),
        },
    );
    s.bodies.insert(
        ids.management,
        Body {
            partnership_id: p,
            name: BASINGSTOKE_MANAGEMENT_GROUP.into(),
            kind: BodyKind::ManagementGroup,
            terms_of_reference: String::new(),
        },
    );
    let mut metcalfe = seat(
        p,
        ids.board,
        Some(ids.council),
        "Councillor Metcalfe",
        MembershipRole::CoOpted,
    );
    metcalfe.interim = true;
    metcalfe.represents = "Transport interests".into();
    s.memberships.insert(MembershipId(id(10)), metcalfe);
    s.memberships.insert(
        MembershipId(id(11)),
        seat(p, ids.board, Some(ids.police), "", MembershipRole::Member),
    );
    let mut chair = seat(
        p,
        ids.board,
        Some(ids.council),
        "Councillor Robin Nicoll",
        MembershipRole::Chair,
    );
    chair.independent = true;
    s.memberships.insert(ids.chair, chair);
    s.lines.insert(
        ReportingLineId(id(40)),
        ReportingLine {
            partnership_id: p,
            from_body_id: ids.management,
            to_body_id: ids.board,
            kind: LineKind::ReportsTo,
            note: String::new(),
        },
    );
    (s, ids)
}

fn status(state: SyncState, online: bool, pending: usize) -> SyncStatus {
    SyncStatus {
        state,
        online,
        pending,
        last_synced: None,
        message: None,
        notices: Vec::new(),
        persistent: None,
        held: 0,
        received: 0,
    }
}

// ---------- The body page ----------

#[wasm_bindgen_test]
async fn the_members_table_puts_the_chair_first_and_tags_each_seat() {
    setup();
    let (snap, ids) = fixture();
    let snapshot = RwSignal::new(snap);
    let board = ids.board;
    let (root, _unmount) = mount(move || view! { <BodyDetail snapshot=snapshot id=board /> });
    settle().await;

    let rows = all(&root, ".members-table tbody tr");
    assert_eq!(rows.len(), 3);
    let first = text(&one(&rows[0], "td"));
    assert_eq!(first, "Councillor Robin Nicoll");
    assert!(text(&rows[0]).contains("Chair"));
    assert!(text(&rows[0]).contains("Independent"));
    // The co-opted councillor is on an interim basis, for transport interests.
    let metcalfe = rows
        .iter()
        .find(|r| text(r).contains("Councillor Metcalfe"))
        .expect("Metcalfe's seat");
    assert!(text(metcalfe).contains("Interim"));
    assert!(text(metcalfe).contains("Represents Transport interests"));
    // A seat with no person named is named by its organisation.
    assert!(
        rows.iter()
            .any(|r| text(&one(r, "td")) == "Avon and Somerset Constabulary")
    );
}

#[wasm_bindgen_test]
async fn the_body_page_shows_its_kind_terms_lines_and_edit_link() {
    setup();
    let (snap, ids) = fixture();
    let snapshot = RwSignal::new(snap);
    let board = ids.board;
    let (root, _unmount) = mount(move || view! { <BodyDetail snapshot=snapshot id=board /> });
    settle().await;

    assert_eq!(text(&one(&root, "h1")), "LSP Board");
    assert_eq!(all(&root, "h1").len(), 1);
    assert!(text(&root).contains(BodyKind::Board.explanation()));
    let terms = one(&root, ".terms-of-reference");
    assert_eq!(
        terms.text_content().unwrap_or_default(),
        "Sets the vision.\nHolds the strategic overview."
    );
    let edit = all(&root, "a")
        .into_iter()
        .find(|a| text(a) == "Edit body")
        .expect("an Edit body link");
    assert_eq!(
        edit.get_attribute("href"),
        Some(format!("/bodies/{}/edit", ids.board))
    );
    let from = all(&root, "a")
        .into_iter()
        .find(|a| text(a) == BASINGSTOKE_MANAGEMENT_GROUP)
        .expect("the Management Group reports to it");
    assert_eq!(
        from.get_attribute("href"),
        Some(format!("/bodies/{}", ids.management))
    );
    assert_eq!(
        document().title(),
        "LSP Board – Bath & North East Somerset LSP – Partnership Atlas"
    );
}

#[wasm_bindgen_test]
async fn the_body_page_follows_changes_to_the_snapshot() {
    setup();
    let (snap, ids) = fixture();
    let snapshot = RwSignal::new(snap);
    let board = ids.board;
    let (root, _unmount) = mount(move || view! { <BodyDetail snapshot=snapshot id=board /> });
    settle().await;
    assert_eq!(all(&root, ".members-table tbody tr").len(), 3);

    snapshot.update(|s| {
        s.memberships.insert(
            MembershipId(id(31)),
            seat(
                ids.partnership,
                ids.board,
                None,
                "Councillor O'Flaherty",
                MembershipRole::ViceChair,
            ),
        );
        if let Some(mut b) = s.bodies.get_mut(&ids.board) {
            b.name = "Bath & North East Somerset LSP Board".into();
        }
    });
    settle().await;
    let rows = all(&root, ".members-table tbody tr");
    assert_eq!(rows.len(), 4);
    assert_eq!(text(&one(&rows[1], "td")), "Councillor O'Flaherty");
    assert_eq!(
        text(&one(&root, "h1")),
        "Bath & North East Somerset LSP Board"
    );
}

// ---------- The partnership pages ----------

#[wasm_bindgen_test]
async fn the_partnership_page_groups_bodies_and_organisations_and_lists_lines() {
    setup();
    let (snap, ids) = fixture();
    let snapshot = RwSignal::new(snap);
    let p = ids.partnership;
    let (root, _unmount) = mount(move || view! { <PartnershipDetail snapshot=snapshot id=p /> });
    settle().await;

    assert_eq!(text(&one(&root, "h1")), "Bath & North East Somerset LSP");
    let h2: Vec<String> = all(&root, "h2").iter().map(text).collect();
    assert_eq!(
        h2,
        [
            "Explore the structure",
            "Bodies",
            "Member organisations",
            "Reporting lines",
            "Open data"
        ]
    );
    // The ways into the structure: map, outline, presentation, induction pack, glossary.
    for href in [
        "map",
        "outline",
        "present?step=1",
        "induction",
        "glossary",
        "steps",
        "consultations",
        "meetings",
        "forward-plan",
        "training-sessions",
    ] {
        one(&root, &format!("a[href='/partnerships/{p}/{href}']"));
    }
    let h3: Vec<String> = all(&root, "h3").iter().map(text).collect();
    assert_eq!(h3, ["Board", BASINGSTOKE_MANAGEMENT_GROUP, "Public sector"]);
    let board_link = one(&root, &format!("a[href='/bodies/{}']", ids.board));
    assert_eq!(text(&board_link), "LSP Board");
    let police = one(&root, &format!("a[href='/organisations/{}']", ids.police));
    assert_eq!(text(&police), "Avon and Somerset Constabulary");
    assert!(text(&police.parent_element().expect("its item")).contains("Named partner"));
    let line = one(&root, ".reporting-line");
    assert_eq!(text(&line), "Management Group → reports to → LSP Board");
    let actions: Vec<String> = all(&root, ".button").iter().map(text).collect();
    assert_eq!(
        actions,
        [
            "Add a body",
            "Add an organisation",
            "Edit partnership",
            "Registered tablets",
            "History of changes",
            "Delete partnership",
            "Download the structure and meetings (Popolo JSON)"
        ]
    );
}

#[wasm_bindgen_test]
async fn the_list_links_each_partnership_to_its_page_in_name_order() {
    setup();
    let (mut snap, ids) = fixture();
    let redditch = PartnershipId(id(50));
    snap.partnerships.insert(
        redditch,
        Partnership {
            name: REDDITCH.into(),
            area: "Borough of Redditch".into(),
            description: String::new(),
            published: false,
            archived: false,
        },
    );
    let snapshot = RwSignal::new(snap);
    let (root, _unmount) = mount(move || view! { <PartnershipList snapshot=snapshot /> });
    settle().await;

    assert_eq!(text(&one(&root, "h1")), "Partnerships");
    let links: Vec<(String, Option<String>)> = all(&root, ".card__title a")
        .iter()
        .map(|a| (text(a), a.get_attribute("href")))
        .collect();
    assert_eq!(
        links,
        [
            (
                "Bath & North East Somerset LSP".to_owned(),
                Some(format!("/partnerships/{}", ids.partnership))
            ),
            (
                REDDITCH.to_owned(),
                Some(format!("/partnerships/{redditch}"))
            ),
        ]
    );
    assert!(text(&root).contains("2 member organisations · 2 bodies"));
    assert!(text(&root).contains("Not published"));
    let add = one(&root, "a.button");
    assert_eq!(text(&add), "Add a partnership");
    assert_eq!(
        add.get_attribute("href").as_deref(),
        Some("/partnerships/new")
    );
}

// ---------- Forms ----------

#[wasm_bindgen_test]
async fn the_error_summary_links_each_field_error_and_takes_focus() {
    setup();
    let errors = RwSignal::new(FormErrors::default());
    let (root, _unmount) = mount(move || view! { <ErrorSummary errors=errors /> });
    settle().await;
    assert!(
        root.query_selector(".error-summary")
            .ok()
            .flatten()
            .is_none()
    );

    errors.set(FormErrors {
        message: None,
        fields: vec![
            FieldError::new("name", "Enter the body's name"),
            FieldError::new(
                "terms_of_reference",
                "The terms of reference must be shorter",
            ),
        ],
    });
    settle().await;
    let summary = one(&root, ".error-summary");
    assert_eq!(summary.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(summary.get_attribute("tabindex").as_deref(), Some("-1"));
    assert_eq!(text(&one(&summary, "h2")), "There is a problem");
    let links: Vec<(String, Option<String>)> = all(&summary, "li a")
        .iter()
        .map(|a| (text(a), a.get_attribute("href")))
        .collect();
    assert_eq!(
        links,
        [
            ("Enter the body's name".to_owned(), Some("#name".to_owned())),
            (
                "The terms of reference must be shorter".to_owned(),
                Some("#terms_of_reference".to_owned())
            ),
        ]
    );
    let focused = document().active_element().expect("something has focus");
    assert_eq!(focused, summary);
}

#[wasm_bindgen_test]
async fn the_error_summary_shows_a_message_that_no_field_owns() {
    setup();
    let errors = RwSignal::new(FormErrors {
        message: Some("The partnership this refers to no longer exists.".into()),
        fields: Vec::new(),
    });
    let (root, _unmount) = mount(move || view! { <ErrorSummary errors=errors /> });
    settle().await;
    let summary = one(&root, ".error-summary");
    assert!(text(&summary).contains("no longer exists"));
    assert!(all(&summary, "a").is_empty());
}

fn new_body(p: PartnershipId) -> Body {
    Body {
        partnership_id: p,
        name: String::new(),
        kind: BodyKind::Board,
        terms_of_reference: String::new(),
    }
}

#[wasm_bindgen_test]
async fn the_body_form_submits_what_was_entered_as_a_typed_body() {
    setup();
    let p = PartnershipId(id(1));
    let submitted = RwSignal::new(None::<Body>);
    let errors = RwSignal::new(FormErrors::default());
    let (root, _unmount) = mount(move || {
        view! {
            <BodyForm
                initial=new_body(p)
                errors=errors
                submit_label="Add body"
                cancel_href="/"
                on_submit=move |b| submitted.set(Some(b))
            />
        }
    });
    settle().await;

    let options: Vec<String> = all(&root, "#kind option").iter().map(text).collect();
    let labels: Vec<String> = BodyKind::ALL.iter().map(|k| k.label().to_owned()).collect();
    assert_eq!(options, labels);
    assert_eq!(text(&one(&root, "button[type=submit]")), "Add body");
    assert_eq!(text(&one(&root, "label[for=name]")), "Name");

    type_into(&root, "#name", "Health and Wellbeing");
    type_into(&root, "#kind", "priority_action_group");
    type_into(
        &root,
        "#terms_of_reference",
        "Co-ordinates action.\nReports on targets.",
    );
    settle().await;
    // The hint explains the kind chosen.
    assert_eq!(
        text(&one(&root, "#kind-hint")),
        BodyKind::PriorityActionGroup.explanation()
    );
    click(&root, "button[type=submit]");
    settle().await;
    assert_eq!(
        submitted.get_untracked(),
        Some(Body {
            partnership_id: p,
            name: "Health and Wellbeing".into(),
            kind: BodyKind::PriorityActionGroup,
            terms_of_reference: "Co-ordinates action.\nReports on targets.".into(),
        })
    );
}

#[wasm_bindgen_test]
async fn a_field_error_shows_above_its_input_which_keeps_what_was_typed() {
    setup();
    let errors = RwSignal::new(FormErrors::default());
    let (root, _unmount) = mount(move || {
        view! {
            <BodyForm
                initial=new_body(PartnershipId(id(1)))
                errors=errors
                submit_label="Add body"
                cancel_href="/"
                on_submit=|_| {}
            />
        }
    });
    settle().await;
    type_into(&root, "#name", "   ");
    errors.set(FormErrors::field("name", "Enter the body's name"));
    settle().await;

    let message = one(&root, "#name-error");
    assert_eq!(text(&message), "Error: Enter the body's name");
    let input = one(&root, "#name");
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("name-hint name-error")
    );
    assert_eq!(input.unchecked_ref::<HtmlInputElement>().value(), "   ");
    assert!(one(&root, ".form-group--error").contains(Some(&input)));
    // The other fields are not marked.
    assert!(
        one(&root, "#terms_of_reference")
            .get_attribute("aria-describedby")
            .is_some_and(|d| !d.contains("error"))
    );
}

#[wasm_bindgen_test]
async fn the_membership_form_offers_the_partnerships_organisations() {
    setup();
    let (snap, ids) = fixture();
    let submitted = RwSignal::new(None::<Membership>);
    let initial = seat(ids.partnership, ids.board, None, "", MembershipRole::Member);
    let options = organisation_options(&snap, ids.partnership);
    let (root, _unmount) = mount(move || {
        view! {
            <MembershipForm
                initial=initial
                organisations=options
                errors=FormErrors::default()
                submit_label="Add member"
                cancel_href="/"
                on_submit=move |m| submitted.set(Some(m))
            />
        }
    });
    settle().await;
    let options: Vec<String> = all(&root, "#organisation_id option")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        options,
        [
            "None – sits in their own right",
            "Avon and Somerset Constabulary",
            "Bath and North East Somerset Council"
        ]
    );
    type_into(&root, "#person", "Councillor Robin Nicoll");
    type_into(&root, "#organisation_id", &ids.council.to_string());
    type_into(&root, "#role", "chair");
    click(&root, "#independent");
    click(&root, "button[type=submit]");
    settle().await;
    let m = submitted.get_untracked().expect("submitted");
    assert_eq!(m.person, "Councillor Robin Nicoll");
    assert_eq!(m.organisation_id, Some(ids.council));
    assert_eq!(m.role, MembershipRole::Chair);
    assert!(m.independent);
    assert!(!m.interim);
}

#[wasm_bindgen_test]
async fn the_line_form_asks_for_a_receiving_body_before_submitting() {
    setup();
    let (_snap, ids) = fixture();
    let submitted = RwSignal::new(None::<ReportingLine>);
    let errors = RwSignal::new(FormErrors::default());
    let initial = ReportingLine {
        partnership_id: ids.partnership,
        from_body_id: ids.management,
        to_body_id: ids.management,
        kind: LineKind::ReportsTo,
        note: String::new(),
    };
    let to = vec![
        (String::new(), "Choose a body".to_owned()),
        (ids.board.to_string(), "LSP Board (Board)".to_owned()),
    ];
    let (root, _unmount) = mount(move || {
        view! {
            <LineForm
                initial=initial
                from=FromBody::Fixed {
                    name: BASINGSTOKE_MANAGEMENT_GROUP.into(),
                }
                to_options=to
                errors=errors
                submit_label="Add reporting line"
                cancel_href="/"
                on_submit=move |l| submitted.set(Some(l))
            />
        }
    });
    settle().await;
    click(&root, "button[type=submit]");
    settle().await;
    assert_eq!(submitted.get_untracked(), None);
    assert_eq!(
        errors.get_untracked().for_field("to_body_id").as_deref(),
        Some("Choose the body that receives the report")
    );
    assert!(text(&one(&root, "#to_body_id-error")).contains("Choose the body"));

    type_into(&root, "#to_body_id", &ids.board.to_string());
    type_into(&root, "#kind", "feeds_into");
    click(&root, "button[type=submit]");
    settle().await;
    let line = submitted.get_untracked().expect("submitted");
    assert_eq!(line.from_body_id, ids.management);
    assert_eq!(line.to_body_id, ids.board);
    assert_eq!(line.kind, LineKind::FeedsInto);
}

// ---------- Deleting ----------

#[wasm_bindgen_test]
fn a_delete_says_what_else_goes_with_the_record() {
    let (snap, ids) = fixture();
    assert_eq!(
        consequences(&snap, (EntityKind::Body, ids.board.0)).as_deref(),
        Some("This also removes 3 memberships and 1 reporting line.")
    );
    assert_eq!(
        consequences(&snap, (EntityKind::Partnership, ids.partnership.0)).as_deref(),
        Some(
            "This also removes 2 member organisations, 2 bodies, 3 memberships and 1 reporting line."
        )
    );
    assert_eq!(
        consequences(&snap, (EntityKind::Organisation, ids.police.0)).as_deref(),
        Some("This also removes 1 membership.")
    );
    assert_eq!(
        consequences(&snap, (EntityKind::Membership, ids.chair.0)),
        None
    );
}

// ---------- Sync status ----------

#[wasm_bindgen_test]
async fn the_sync_status_shows_its_state_pending_count_and_words() {
    setup();
    let sync = RwSignal::new(status(SyncState::Offline, false, 2));
    let asked = RwSignal::new(0);
    let (root, _unmount) = mount(move || {
        view! { <SyncStatusView status=sync on_sync_now=move |_| asked.update(|n| *n += 1) /> }
    });
    settle().await;

    let el = one(&root, "#sync-status");
    assert_eq!(el.get_attribute("data-state").as_deref(), Some("offline"));
    assert_eq!(el.get_attribute("data-pending").as_deref(), Some("2"));
    assert_eq!(el.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(el.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(text(&el), "Offline · 2 changes waiting");
    click(&root, ".sync__button");
    assert_eq!(asked.get_untracked(), 1);

    sync.set(SyncStatus {
        last_synced: Some(0.0),
        ..status(SyncState::Synced, true, 0)
    });
    settle().await;
    let el = one(&root, "#sync-status");
    assert_eq!(el.get_attribute("data-state").as_deref(), Some("synced"));
    assert_eq!(el.get_attribute("data-pending").as_deref(), Some("0"));
    assert!(text(&el).starts_with("All changes saved · synced "));
    assert!(
        root.query_selector(".sync__button")
            .ok()
            .flatten()
            .is_none()
    );
}

#[wasm_bindgen_test]
fn the_sync_status_words_say_what_is_happening() {
    let cases = [
        (
            status(SyncState::Loading, true, 0),
            "Loading your local copy…",
        ),
        (status(SyncState::Syncing, true, 1), "Saving…"),
        (status(SyncState::Synced, true, 0), "All changes saved"),
        (
            status(SyncState::Pending, true, 3),
            "Saving… · 3 changes waiting",
        ),
        (
            // Some received by the server's inbox, one not sent yet.
            SyncStatus {
                received: 2,
                ..status(SyncState::Pending, true, 3)
            },
            "Saving… · 3 changes waiting",
        ),
        (
            SyncStatus {
                received: 3,
                ..status(SyncState::Pending, true, 3)
            },
            "Sent · the server is filing 3 changes",
        ),
        (
            status(SyncState::Offline, false, 1),
            "Offline · 1 change waiting",
        ),
        (
            status(SyncState::Offline, true, 1),
            "Can't reach the server · 1 change waiting, will retry",
        ),
        (
            status(SyncState::Error, true, 2),
            "Sync problem · 2 changes waiting, will retry",
        ),
    ];
    for (s, words) in cases {
        assert_eq!(describe_status(&s), words, "{:?}", s.state);
    }
}

#[wasm_bindgen_test]
async fn notices_show_in_a_banner_until_dismissed() {
    setup();
    let notices = RwSignal::new(vec![
        "Your change to a body was not saved because someone else deleted it.".to_owned(),
    ]);
    let (root, _unmount) = mount(move || {
        view! { <NoticesView notices=notices on_dismiss=move |_| notices.set(Vec::new()) /> }
    });
    settle().await;
    let banner = one(&root, ".notification-banner");
    assert!(text(&banner).contains("someone else deleted it"));
    click(&root, ".notification-banner button");
    settle().await;
    assert!(
        root.query_selector(".notification-banner")
            .ok()
            .flatten()
            .is_none()
    );
}
