//! The structure as Popolo JSON over HTTP: what the caller may see, nothing more.

mod common;

use atlas_shared::{BodyKind, Entity, Partnership};
use common::*;
use serde_json::Value;

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
    let (status, text) = server
        .get_as(&public, &format!("/api/open-data/{p}/popolo.json"))
        .await;
    assert_eq!(status, 200, "{text}");
    let json: Value = serde_json::from_str(&text).expect("JSON");
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
