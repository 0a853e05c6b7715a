//! The structure as Popolo JSON over HTTP: what the caller may see, nothing more.

use crate::common::*;
use atlas_shared::{BodyKind, Entity, Partnership};
use serde_json::Value;

/// Partnership `p`'s Popolo file as `client` reads it: its text and its JSON.
async fn public_popolo(
    server: &TestServer,
    client: &reqwest::Client,
    p: uuid::Uuid,
) -> (String, Value) {
    let (status, text) = server
        .get_as(client, &format!("/api/open-data/{p}/popolo.json"))
        .await;
    assert_eq!(status, 200, "{text}");
    let json = serde_json::from_str(&text).expect("JSON");
    (text, json)
}

#[tokio::test]
async fn the_public_reads_a_published_structure_as_popolo_and_nothing_of_an_unpublished_one() {
    let server = TestServer::start().await;
    let (p, create_p) = partnership("Redditch Partnership");
    let (council, create_org) = organisation(p, "Redditch Borough Council");
    let (board, create_body) = body(p, "Partnership Management Board", BodyKind::Board);
    let (_, seat) = membership(p, board, Some(council), "A Councillor");
    let (hidden, create_hidden) = create(Entity::Partnership(Partnership {
        name: "Not yet published".into(),
        area: String::new(),
        description: String::new(),
        published: false,
        archived: false,
    }));
    server
        .push(vec![create_p, create_org, create_body, seat, create_hidden])
        .await;

    let public = reqwest::Client::new();
    let (_, json) = public_popolo(&server, &public, p).await;
    let names: Vec<&str> = json["organizations"]
        .as_array()
        .expect("organizations")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Redditch Partnership",
            "Redditch Borough Council",
            "Partnership Management Board"
        ]
    );
    assert_eq!(json["persons"][0]["name"], "A Councillor");
    assert_eq!(
        json["memberships"][0]["on_behalf_of_id"],
        format!("urn:uuid:{council}")
    );
    assert_eq!(
        json["memberships"][0]["organization_id"],
        format!("urn:uuid:{board}")
    );

    let (status, text) = server
        .get_as(&public, &format!("/api/open-data/{hidden}/popolo.json"))
        .await;
    assert_eq!(status, 404, "{text}");
    assert!(!text.contains("Not yet published"));
    // The administrator sees it.
    let (status, _) = server
        .get(&format!("/api/open-data/{hidden}/popolo.json"))
        .await;
    assert_eq!(status, 200);
}

/// Seed 000: Redditch's Overview and Scrutiny Committee heard item 126 on 25 November 2009,
/// and "the report noted". The public reads that meeting as a Popolo event of the council;
/// the Board's draft minutes stay out of the file.
#[tokio::test]
async fn the_public_reads_a_partnerships_meetings_as_popolo_events() {
    use atlas_shared::IsoDate;
    use atlas_shared::scrutiny::{
        AgendaItem, Meeting, MeetingId, MeetingStatus, Minutes, ReportType,
    };
    use atlas_shared::seeds;

    let server = TestServer::start().await;
    let (p, create_p) = partnership("Redditch Partnership");
    let (council, create_org) = organisation(p, "Redditch Borough Council");
    let (board, create_body) = body(p, "Partnership Management Board", BodyKind::Board);
    let pid = atlas_shared::PartnershipId(p);
    let (scrutiny, create_scrutiny) = create(Entity::Meeting(Meeting {
        partnership_id: pid,
        body_id: None,
        council_id: Some(atlas_shared::OrganisationId(council)),
        committee: seeds::OVERVIEW_AND_SCRUTINY.into(),
        date: IsoDate::known(2009, 11, 25),
        time: String::new(),
        venue: "Town Hall, Redditch".into(),
        status: MeetingStatus::Held,
        note: String::new(),
    }));
    let (_, create_item) = create(Entity::AgendaItem(AgendaItem {
        partnership_id: pid,
        meeting_id: MeetingId(scrutiny),
        number: "126".into(),
        title: seeds::ITEM_126_TITLE.into(),
        report_type: ReportType::Presentation,
        summary: String::new(),
        outcome: seeds::ITEM_126_OUTCOME.into(),
        documents: Vec::new(),
        concerns: Vec::new(),
    }));
    let (board_meeting, create_board_meeting) = create(Entity::Meeting(Meeting {
        partnership_id: pid,
        body_id: Some(atlas_shared::BodyId(board)),
        council_id: None,
        committee: String::new(),
        date: IsoDate::known(2011, 9, 12),
        time: "14:00".into(),
        venue: String::new(),
        status: MeetingStatus::Scheduled,
        note: String::new(),
    }));
    let (_, create_minutes) = create(Entity::Minutes(Minutes {
        partnership_id: pid,
        meeting_id: MeetingId(board_meeting),
        text: "Draft minutes, not for the public".into(),
        drafted_on: None,
        approved_on: None,
        approved_at: None,
        circulated_on: None,
        published_on: None,
        note: String::new(),
    }));
    server
        .push(vec![
            create_p,
            create_org,
            create_body,
            create_scrutiny,
            create_item,
            create_board_meeting,
            create_minutes,
        ])
        .await;

    let (text, json) = public_popolo(&server, &reqwest::Client::new(), p).await;
    assert!(!text.contains("not for the public"), "{text}");
    let events = json["events"].as_array().expect("events");
    assert_eq!(events.len(), 2, "{text}");
    let held = &events[0];
    assert_eq!(held["id"], format!("urn:uuid:{scrutiny}"));
    assert_eq!(
        held["name"],
        "Overview and Scrutiny Committee, Redditch Borough Council, 25 November 2009"
    );
    assert_eq!(held["start_date"], "2009-11-25");
    assert_eq!(held["location"], "Town Hall, Redditch");
    assert_eq!(held["status"], "passed");
    assert_eq!(held["organization_id"], format!("urn:uuid:{council}"));
    assert_eq!(held["agenda"][0]["number"], "126");
    assert_eq!(held["agenda"][0]["title"], seeds::ITEM_126_TITLE);
    assert_eq!(held["agenda"][0]["outcome"], seeds::ITEM_126_OUTCOME);
    let coming = &events[1];
    assert_eq!(coming["start_date"], "2011-09-12T14:00");
    assert_eq!(coming["status"], "confirmed");
    assert_eq!(coming["organization_id"], format!("urn:uuid:{board}"));
}
