//! Consultation at a public event, end to end: two tablets (two browser profiles) capture
//! answers to the "We Are Redditch" questionnaire (seed 004: January 2010) with the server
//! down, one reloading mid-way and the other's browser restarting; the server comes back, both
//! sync, and the server holds exactly the answers captured, once each, beside the demo's
//! illustrative answers, with the right counts on the results page. A rescue file of answers that already arrived adds nothing; kiosk mode
//! cannot be left without the PIN. A resident at home, on a browser that has never opened the
//! app, answers through the public link and reads what the partnership did. Letters whose case
//! changes their length and an emoji typed into the postcode box leave the capture screen
//! working.

use std::time::Duration;

use atlas_e2e::{Browser, Harness, Role, squeeze};
use serde_json::{Value as Json, json};

const SYNC_TIMEOUT: Duration = Duration::from_secs(40);

/// The We Are Redditch consultation, its event and its questionnaire version, by id.
struct Demo {
    consultation: String,
    event: String,
}

async fn demo(h: &Harness) -> Demo {
    let changes = h.server.pull_all().await;
    let id_of = |kind: &str, field: &str, value: &str| {
        changes
            .iter()
            .find(|c| c["kind"] == kind && c["fields"][field] == value)
            .and_then(|c| c["id"].as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("the demo data has the {kind} {value:?}"))
    };
    Demo {
        consultation: id_of("consultation", "title", "We Are Redditch"),
        event: id_of("consultation_event", "name", "We Are Redditch public event"),
    }
}

/// The live responses the server holds for consultation `c`.
async fn responses(h: &Harness, c: &str) -> Vec<Json> {
    h.server
        .pull_all()
        .await
        .into_iter()
        .filter(|r| {
            r["kind"] == "response"
                && !r["deleted"].as_bool().unwrap_or(false)
                && r["fields"]["consultation_id"] == c
        })
        .collect()
}

/// The demo's illustrative answers to "We Are Redditch" (`backend/src/demo.rs`).
const ILLUSTRATIVE_ANSWERS: usize = 300;

/// The live responses for consultation `c` that are not among `before` (by id): the ones a
/// scenario captured.
async fn responses_since(h: &Harness, c: &str, before: &[Json]) -> Vec<Json> {
    responses(h, c)
        .await
        .into_iter()
        .filter(|r| !before.iter().any(|b| b["id"] == r["id"]))
        .collect()
}

/// The Borda points of `option` over `responses` (a first choice of three scores 3).
fn points(responses: &[Json], option: &str) -> usize {
    responses
        .iter()
        .filter_map(|r| r["fields"]["answers"]["priorities"]["value"].as_array())
        .filter_map(|ranked| ranked.iter().position(|k| k == option))
        .map(|i| 3 - i)
        .sum()
}

/// Makes the page's server look older than the inbox (`POST /api/sync/inbox` and
/// `/api/sync/outcomes` answered 404, as a server without those routes answers), counting
/// the calls in `window.olderServer`.
const AN_OLDER_SERVER: &str = "
    const real = window.fetch.bind(window);
    window.olderServer = { inbox: 0, push: 0 };
    window.fetch = (input, init) => {
        const url = typeof input === 'string' ? input : input.url;
        const path = new URL(url, location.href).pathname;
        if (path === '/api/sync/inbox' || path === '/api/sync/outcomes') {
            window.olderServer.inbox += 1;
            const body = JSON.stringify({ error: 'There is no such page: ' + path });
            return Promise.resolve(new Response(body, {
                status: 404, headers: { 'content-type': 'application/json' } }));
        }
        if (path === '/api/sync/push') window.olderServer.push += 1;
        return real(input, init);
    };
    return true;";

/// The tablet's count of answers not yet on the server.
async fn unsent(b: &Browser) -> u64 {
    b.eval("const e = document.querySelector('#unsent-answers'); return e ? Number(e.dataset.count) : null;")
        .await
        .as_u64()
        .unwrap_or(u64::MAX)
}

/// Taps three priorities, in order.
async fn tap_priorities(b: &Browser, priorities: [&str; 3]) {
    for key in priorities {
        b.click(&format!(
            "[data-question-key='priorities'] [data-option-key='{key}']"
        ))
        .await;
    }
}

/// One resident's answers on the capture screen: three priorities in order, and an agree
/// answer; then "thank you", and on to the next resident.
async fn capture_one(b: &Browser, priorities: [&str; 3]) {
    b.wait_for("[data-question-key='priorities']").await;
    tap_priorities(b, priorities).await;
    b.click("#submit-answer").await;
    b.wait_for(".capture-thanks").await;
    // "Next resident" (the screen also moves on by itself after a few seconds).
    b.eval("const n = document.querySelector('#next-resident'); if (n) n.click(); return true;")
        .await;
    b.wait_for("[data-question-key='priorities']").await;
}

async fn open_capture(h: &Harness, b: &Browser, d: &Demo) {
    h.open(b, &format!("/consultations/{}/capture", d.consultation))
        .await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    b.wait_for_service_worker().await;
    b.wait_for("#capture-event").await;
    let chosen = b
        .eval(&format!(
            "const s = document.querySelector('#capture-event'); s.value = '{}';
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return s.value;",
            d.event
        ))
        .await;
    assert_eq!(chosen, Json::from(d.event.clone()), "the event is chosen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tablets_capture_offline_and_the_server_holds_each_answer_exactly_once() {
    let mut h = Harness::start().await;
    let d = demo(&h).await;
    let illustrative = responses(&h, &d.consultation).await;
    assert_eq!(illustrative.len(), ILLUSTRATIVE_ANSWERS);
    // Consultation staff take the answers, each signed in on their tablet.
    let a = h.browser("tablet-a").await;
    h.sign_in(&a, Some(Role::ConsultationStaff)).await;
    let b = h.browser("tablet-b").await;
    h.sign_in(&b, Some(Role::ConsultationStaff)).await;
    open_capture(&h, &a, &d).await;
    a.assert_accessible("the capture screen").await;
    open_capture(&h, &b, &d).await;

    // The hall has no signal.
    h.server.stop().await;
    capture_one(&a, ["housing", "community_safety", "older_people"]).await;
    capture_one(&a, ["community_safety", "housing", "health_and_wellbeing"]).await;
    assert_eq!(unsent(&a).await, 2);
    a.screenshot("capture-offline").await;
    // Tablet A reloads mid-way (a flat battery, a closed tab): its answers are still there.
    a.reload().await;
    a.wait_ready().await;
    a.wait_for("[data-question-key='priorities']").await;
    assert_eq!(unsent(&a).await, 2, "answers survive a reload");
    capture_one(&a, ["housing", "older_people", "community_safety"]).await;
    capture_one(
        &b,
        ["skills_and_employability", "housing", "community_safety"],
    )
    .await;
    capture_one(&b, ["housing", "children_and_young_people", "older_people"]).await;
    // Tablet B's browser is closed and opened again, still with no signal: the app opens
    // from the service worker, with its answers and the event it was taking them at.
    let b = h.restart_browser(b).await;
    h.open(&b, &format!("/consultations/{}/capture", d.consultation))
        .await;
    b.wait_for("[data-question-key='priorities']").await;
    let event = b
        .eval("return document.querySelector('#capture-event')?.value ?? null;")
        .await;
    assert_eq!(
        event,
        Json::from(d.event.clone()),
        "the tablet remembers the event"
    );
    assert_eq!(unsent(&a).await, 3);
    assert_eq!(
        unsent(&b).await,
        2,
        "answers survive the browser restarting"
    );
    // They wait on the tablets: the tablets know they cannot reach the server.
    a.wait_sync(&["offline", "error"], 3, SYNC_TIMEOUT).await;
    b.wait_sync(&["offline", "error"], 2, SYNC_TIMEOUT).await;

    // Tablet B hands its answers off to the server's inbox: the push that is answered only
    // once applied never leaves it.
    b.cdp(
        "Network.setBlockedURLs",
        json!({ "urls": ["*/api/sync/push"] }),
    )
    .await;
    // Tablet A meets a server older than the inbox (or, behind a load balancer, an instance
    // not yet upgraded), which answers 404 to it: A pushes instead.
    a.eval(AN_OLDER_SERVER).await;

    // Back online: both tablets sync, and the server has exactly the five answers more.
    h.server.restart().await;
    a.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    assert_eq!(unsent(&a).await, 0);
    assert_eq!(unsent(&b).await, 0);
    let calls = a.eval("return window.olderServer;").await;
    assert!(
        calls["inbox"].as_u64() >= Some(1) && calls["push"].as_u64() >= Some(1),
        "tablet A asked for the inbox, was told there is none, and pushed: {calls}"
    );
    let held = responses_since(&h, &d.consultation, &illustrative).await;
    assert_eq!(held.len(), 5, "exactly the answers captured: {held:?}");
    for r in &held {
        assert_eq!(r["fields"]["event_id"], Json::from(d.event.clone()));
        assert_eq!(r["fields"]["channel"], "staff_assisted");
    }
    let devices: std::collections::BTreeSet<&str> = held
        .iter()
        .filter_map(|r| r["fields"]["device_id"].as_str())
        .collect();
    assert_eq!(devices.len(), 2, "two tablets: {devices:?}");
    let first_choices = held
        .iter()
        .filter(|r| r["fields"]["answers"]["priorities"]["value"][0] == "housing")
        .count();
    assert_eq!(first_choices, 3, "three residents put housing first");

    // A retried upload adds nothing: the same answers again, as a rescue file imported on a
    // third device, go through the whole path (outbox, push) and count once.
    let mutations: Vec<Json> = held
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({
                "id": format!("0188f000-0000-7000-8000-{:012x}", 0xabc000 + i),
                "kind": "response",
                "record_id": r["id"],
                "op": { "type": "upsert", "base_version": null, "fields": r["fields"] },
            })
        })
        .collect();
    let rescue = json!({
        "format": "partnership-atlas-rescue",
        "version": 1,
        "device_id": "0188f000-0000-7000-8000-00000000beef",
        "exported_at": 1_263_340_800_000_i64,
        "mutations": mutations,
    });
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("rescue.json");
    std::fs::write(&file, rescue.to_string()).expect("the rescue file is written");
    // The partnership manager's laptop: the results count every raw answer.
    let c = h.browser("laptop").await;
    h.sign_in(&c, Some(Role::Manager)).await;
    h.open(&c, "/device").await;
    c.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    c.find("#rescue-file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .expect("the file is chosen");
    c.click("#rescue-import").await;
    let result = c.wait_for(".import-result").await;
    let said = squeeze(&result.text().await.unwrap_or_default());
    assert!(said.starts_with("Added 5"), "{said}");
    c.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    assert_eq!(
        responses_since(&h, &d.consultation, &illustrative)
            .await
            .len(),
        5,
        "a rescue file of answers that already arrived adds nothing"
    );

    // The results page counts them with the illustrative ones.
    let all = responses(&h, &d.consultation).await;
    h.open(&c, &format!("/consultations/{}/results", d.consultation))
        .await;
    let total = c.wait_for("#results-total").await;
    assert_eq!(
        total.attr("data-count").await.ok().flatten(),
        Some((ILLUSTRATIVE_ANSWERS + 5).to_string()),
        "the results page counts the five answers and the illustrative ones"
    );
    let staff = c
        .find("[data-channel='staff_assisted']")
        .await
        .attr("data-count")
        .await
        .ok()
        .flatten();
    let staff_held = all
        .iter()
        .filter(|r| r["fields"]["channel"] == "staff_assisted")
        .count();
    assert_eq!(staff, Some(staff_held.to_string()));
    let housing = c
        .find("#results-ranking [data-option-key='housing']")
        .await
        .attr("data-points")
        .await
        .ok()
        .flatten();
    assert_eq!(
        housing,
        Some(points(&all, "housing").to_string()),
        "housing's points count the three first choices captured"
    );
    assert_eq!(
        points(&held, "housing"),
        3 * 3 + 2 + 2,
        "three first choices and two second"
    );
    c.screenshot("results").await;
    c.assert_accessible("the results page").await;

    a.close().await;
    b.close().await;
    c.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosk_mode_cannot_be_left_without_the_staff_pin() {
    let h = Harness::start().await;
    let d = demo(&h).await;
    let k = h.browser("kiosk").await;
    h.sign_in(&k, Some(Role::ConsultationStaff)).await;
    let kiosk = format!("/consultations/{}/kiosk", d.consultation);
    h.open(&k, &kiosk).await;
    k.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    k.fill("#kiosk-new-pin", "4821").await;
    k.fill("#kiosk-new-pin-again", "4821").await;
    k.click("#kiosk-start").await;
    k.wait_for("[data-question-key='priorities']").await;
    let locked_in = k
        .eval(
            "const shown = [...document.querySelectorAll('a[href]')]
                .filter(a => a.getClientRects().length > 0);
             return [document.documentElement.classList.contains('kiosk'), shown.length];",
        )
        .await;
    assert_eq!(
        locked_in,
        json!([true, 0]),
        "kiosk mode offers no way out but the PIN"
    );
    k.screenshot("kiosk").await;
    k.assert_accessible("kiosk mode").await;

    // The browser's back button and a reload keep it in kiosk mode.
    k.client.back().await.expect("back");
    k.wait_for("[data-question-key='priorities']").await;
    assert!(
        k.current_url().await.ends_with(&kiosk),
        "{}",
        k.current_url().await
    );
    k.reload().await;
    k.wait_ready().await;
    k.wait_for("[data-question-key='priorities']").await;
    assert!(
        k.eval("return document.documentElement.classList.contains('kiosk');")
            .await
            == json!(true)
    );

    // A wrong PIN is refused; the right one leaves.
    k.click("#kiosk-exit").await;
    k.fill("#kiosk-pin", "1234").await;
    k.click("#kiosk-pin-submit").await;
    k.wait_for("#kiosk-pin-error").await;
    assert!(k.current_url().await.ends_with(&kiosk));
    k.fill("#kiosk-pin", "4821").await;
    k.click("#kiosk-pin-submit").await;
    k.wait_for_path(&format!("/consultations/{}/capture", d.consultation))
        .await;
    let left = k
        .eval("return document.documentElement.classList.contains('kiosk');")
        .await;
    assert_eq!(left, json!(false));
    k.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_answers_through_the_public_link_and_reads_what_was_done() {
    let h = Harness::start().await;
    let d = demo(&h).await;
    let illustrative = responses(&h, &d.consultation).await;
    let r = h.browser("resident").await;
    // The first visit: nothing on this device until the first sync brings the consultation.
    h.open(&r, &format!("/consult/{}", d.consultation)).await;
    r.wait_for_within("[data-question-key='priorities']", SYNC_TIMEOUT)
        .await;
    r.wait_for_heading("We Are Redditch").await;
    r.assert_accessible("the public questionnaire").await;
    assert!(
        r.eval("return document.querySelectorAll('a[href*=\"/capture\"], a[href*=\"/results\"]').length;")
            .await
            == json!(0),
        "the public page links to no staff pages"
    );
    tap_priorities(&r, ["housing", "community_safety", "older_people"]).await;
    r.click("#submit-answer").await;
    r.wait_for("#consult-confirmation").await;
    r.screenshot("public-thanks").await;
    r.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    let held = responses_since(&h, &d.consultation, &illustrative).await;
    assert_eq!(held.len(), 1, "the server holds the one answer: {held:?}");
    let fields = &held[0]["fields"];
    assert_eq!(fields["channel"], "online");
    assert_eq!(
        fields["event_id"],
        Json::Null,
        "an online answer is at no event"
    );
    assert_eq!(
        fields["answers"]["priorities"],
        json!({ "type": "ranked", "value": ["housing", "community_safety", "older_people"] }),
        "the order tapped is the order kept"
    );

    // "You said, we did": the demo's finding, and the groups it shaped.
    h.open(&r, &format!("/consult/{}/you-said-we-did", d.consultation))
        .await;
    r.wait_for("#you-said-findings").await;
    r.wait_for_page_text(
        "Their priorities fed into the writing of the new Sustainable Community Strategy",
    )
    .await;
    // The ranking reads as a numbered list (a flex item would lose its number).
    let numbered = r
        .eval(
            "return [...document.querySelectorAll('#public-ranking > li')]
                .map(li => getComputedStyle(li).display);",
        )
        .await;
    assert!(
        numbered
            .as_array()
            .is_some_and(|d| !d.is_empty() && d.iter().all(|d| d == "list-item")),
        "the ranking's items are numbered list items: {numbered}"
    );
    r.screenshot("you-said-we-did").await;
    r.assert_accessible("the \"you said, we did\" page").await;

    // The partnership manager's pages for the same consultation, once signed in.
    h.sign_in(&r, Some(Role::Manager)).await;
    h.open(&r, &format!("/consultations/{}", d.consultation))
        .await;
    r.wait_for_heading("We Are Redditch").await;
    r.assert_accessible("the consultation's page").await;
    h.open(
        &r,
        &format!("/consultations/{}/questionnaire", d.consultation),
    )
    .await;
    r.wait_for(".question-list__item[data-key='priorities']")
        .await;
    r.screenshot("questionnaire-builder").await;
    r.assert_accessible("the questionnaire builder").await;
    r.close().await;
}

/// The demo consultation's questionnaire version as the server holds it: (id, fields).
async fn questionnaire_of(h: &Harness, c: &str) -> (String, Json) {
    h.server
        .pull_all()
        .await
        .into_iter()
        .find(|r| r["kind"] == "questionnaire" && r["fields"]["consultation_id"] == c)
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default().to_owned(),
                r["fields"].clone(),
            )
        })
        .expect("the consultation has a questionnaire")
}

/// How many answers the tablet holds that the server refused (0 when none are shown).
async fn held(b: &Browser) -> u64 {
    b.eval("const e = document.querySelector('#held-answers'); return e ? Number(e.dataset.count) : 0;")
        .await
        .as_u64()
        .unwrap_or(u64::MAX)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_questionnaire_changed_while_a_tablet_is_offline_loses_no_answer() {
    let mut h = Harness::start().await;
    let d = demo(&h).await;
    let earlier: Vec<Json> = responses(&h, &d.consultation)
        .await
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    let before = earlier.len();
    // A manager's tablet: showing the questionnaire marks the version opened (a change only
    // a manager may make).
    let a = h.browser("tablet-frozen").await;
    h.sign_in(&a, Some(Role::Manager)).await;
    open_capture(&h, &a, &d).await;
    // Showing the questionnaire on a tablet marks that version opened, on the server.
    let mut opened = false;
    for _ in 0..80 {
        let (_, fields) = questionnaire_of(&h, &d.consultation).await;
        if fields["opened_for_answers"] == true {
            opened = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(
        opened,
        "the server records that the version was opened for answers"
    );
    let (version_id, fields) = questionnaire_of(&h, &d.consultation).await;

    // No signal; three residents answer (one taps Save twice).
    h.server.stop().await;
    capture_one(&a, ["housing", "community_safety", "older_people"]).await;
    capture_one(&a, ["community_safety", "housing", "health_and_wellbeing"]).await;
    a.wait_for("[data-question-key='priorities']").await;
    for key in ["older_people", "housing", "community_safety"] {
        a.click(&format!(
            "[data-question-key='priorities'] [data-option-key='{key}']"
        ))
        .await;
    }
    a.eval(
        "const s = document.querySelector('#submit-answer'); s.click(); s.click(); return true;",
    )
    .await;
    a.wait_for(".capture-thanks").await;
    assert_eq!(unsent(&a).await, 3, "a double tap stores one answer");

    // Meanwhile the manager adds a required question to that version (from another device):
    // residents may be answering it, so the server refuses the edit.
    h.server.restart().await;
    let mut questions = fields["questions"].clone();
    if let Some(list) = questions.as_array_mut() {
        list.push(json!({
            "key": "ward", "text": "Which ward do you live in?", "hint": "", "required": true,
            "kind": { "type": "choose_one", "options": [
                { "key": "abbey", "label": "Abbey" }, { "key": "batchley", "label": "Batchley" }
            ] }
        }));
    }
    let answer = h
        .server
        .push(
            "0188f000-0000-7000-8000-00000000a11a",
            json!([{
                "id": "0188f000-0000-7000-8000-0000000ed175",
                "kind": "questionnaire",
                "record_id": version_id,
                "op": { "type": "upsert", "base_version": null, "fields": { "questions": questions } },
            }]),
        )
        .await;
    assert_eq!(
        answer["results"][0]["outcome"]["status"], "rejected",
        "{answer}"
    );
    assert_eq!(
        answer["results"][0]["outcome"]["reason"]["kind"],
        "version_in_use"
    );

    // The tablet syncs: every answer arrives, tied to the version it answered, none for review.
    a.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    assert_eq!(unsent(&a).await, 0);
    assert_eq!(held(&a).await, 0);
    let stored = responses(&h, &d.consultation).await;
    assert_eq!(
        stored.len(),
        before + 3,
        "all three answers arrive, once each"
    );
    let new: Vec<&Json> = stored
        .iter()
        .filter(|r| !earlier.contains(&r["id"]))
        .collect();
    assert_eq!(new.len(), 3, "{new:?}");
    for r in new {
        assert_eq!(
            r["fields"]["questionnaire_id"],
            Json::from(version_id.clone())
        );
        assert_eq!(
            r["fields"]["review"],
            json!([]),
            "none held for review: {r}"
        );
    }
    let text = a.page_text().await;
    assert!(
        text.contains("Every answer taken on this tablet has reached the partnership."),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_the_server_refuses_stays_on_the_tablet_until_a_manager_counts_it_or_someone_discards_it()
 {
    let h = Harness::start().await;
    let d = demo(&h).await;
    let (version, fields) = questionnaire_of(&h, &d.consultation).await;
    let before = responses(&h, &d.consultation).await.len();
    // A rescue file from a tablet with two answers the server refuses as invalid: one taken
    // while its clock was broken (no capture time), one from a newer app that sends a field
    // this server does not know.
    let answer = |n: u32, captured_at: i64, extra: Option<(&str, &str)>| {
        let mut fields = json!({
            "partnership_id": fields["partnership_id"],
            "consultation_id": d.consultation,
            "questionnaire_id": version,
            "event_id": null,
            "device_id": "0188f000-0000-7000-8000-00000000b0b0",
            "channel": "paper",
            "captured_at": captured_at,
            "answers": { "priorities": { "type": "ranked", "value": ["housing"] } },
            "hidden": false,
        });
        if let Some((k, v)) = extra {
            fields[k] = json!(v);
        }
        json!({
            "id": format!("0188f000-0000-7000-8000-0000000b0b{n}1"),
            "kind": "response",
            "record_id": format!("0188f000-0000-7000-8000-0000000b0b{n}2"),
            "op": { "type": "upsert", "base_version": null, "fields": fields },
        })
    };
    let rescue = json!({
        "format": "partnership-atlas-rescue",
        "version": 1,
        "device_id": "0188f000-0000-7000-8000-00000000b0b0",
        "exported_at": 1_263_340_800_000_i64,
        "mutations": [
            answer(0, 0, None),
            answer(1, 1_263_340_000_000, Some(("mood", "cheerful"))),
        ],
    });
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("rescue.json");
    std::fs::write(&file, rescue.to_string()).expect("the rescue file is written");
    // The manager's device: it imports the rescue file and counts the refused answer.
    let a = h.browser("tablet-refused").await;
    h.sign_in(&a, Some(Role::Manager)).await;
    h.open(&a, "/device").await;
    a.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    a.find("#rescue-file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .expect("the file is chosen");
    a.click("#rescue-import").await;
    a.wait_for(".import-result").await;

    // The server refuses both; the device keeps them, says why in plain words (no ids), and
    // no status line claims everything arrived.
    a.wait_for("#held-count[data-held='2']").await;
    let text = a.page_text().await;
    assert!(
        text.contains("1 answer was not accepted by the server: the server found a problem: The time the answers were captured is missing."),
        "{text}"
    );
    assert!(
        text.contains("1 answer was not accepted by the server: the server found a problem: There is no such field on a response."),
        "{text}"
    );
    assert!(!text.contains("mutation"), "{text}");
    let status = a
        .find("#sync-status")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(status.contains("2 changes need attention"), "{status}");
    a.assert_accessible("the device page with refused answers")
        .await;
    a.screenshot("device-needs-attention").await;
    let rescued = a
        .eval("return document.querySelector('#download-rescue') !== null;")
        .await;
    assert_eq!(rescued, Json::Bool(true), "they can go into a rescue file");

    // A button of the group of held answers whose reason says `reason`.
    let in_group = |reason: &'static str, button: &'static str| {
        let a = &a;
        async move {
            let clicked = a
                .eval(&format!(
                    "const g = [...document.querySelectorAll('.held-group')]
                         .find(g => g.textContent.includes('{reason}'));
                     const b = g && g.querySelector('{button}');
                     if (b) b.click();
                     return !!b;"
                ))
                .await;
            assert_eq!(clicked, Json::Bool(true), "no {button} for {reason:?}");
        }
    };
    // They survive a reload; sending the one with no capture time again is refused again and
    // it stays.
    a.reload().await;
    a.wait_ready().await;
    a.wait_for("#held-count[data-held='2']").await;
    in_group("captured is missing", ".held-group__send").await;
    a.wait_for("#held-count[data-held='2']").await;
    a.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    a.wait_for("#held-count[data-held='2']").await;
    // Discarding it asks first and says what is lost.
    in_group("captured is missing", ".held-group__discard").await;
    a.wait_for(".held-group__discard-yes").await;
    let warning = a.page_text().await;
    assert!(warning.contains("will not be counted"), "{warning}");
    a.click(".held-group__discard-yes").await;
    a.wait_for("#held-count[data-held='1']").await;
    let left = a.page_text().await;
    assert!(
        left.contains("There is no such field on a response"),
        "{left}"
    );

    // A newer version of the app kept two changes here: a refused one, with a reason this
    // version has never heard of, and an unsent one whose operation it does not know.
    let newer = json!({
        "mutation": answer(2, 1_263_340_000_000, None),
        "refusal": { "type": "embargoed", "until": "2031-01-01" },
        "server_message": "held until the embargo ends",
        "held_at": 1_263_340_900_000_i64,
    });
    let mut unknown_op = answer(3, 1_263_340_000_000, None);
    unknown_op["op"] = json!({ "type": "merge", "fields": {} });
    let stored = a
        .eval_async(
            "const [held, unsent, done] = arguments;
             const open = indexedDB.open('partnership-atlas');
             open.onerror = () => done('open: ' + open.error);
             open.onsuccess = () => {
                 const tx = open.result.transaction(['attention', 'outbox'], 'readwrite');
                 tx.objectStore('attention').add(held);
                 tx.objectStore('outbox').add(unsent);
                 tx.oncomplete = () => { open.result.close(); done('stored'); };
                 tx.onerror = () => done('add: ' + tx.error);
             };",
            vec![json!(newer.to_string()), json!(unknown_op.to_string())],
        )
        .await;
    assert_eq!(
        stored,
        json!("stored"),
        "the newer changes were put on the device"
    );
    a.reload().await;
    a.wait_ready().await;
    // The refused one is listed all the same (the app reads a held change's reason only when
    // it shows it), and can be sent again or discarded. The unsent one cannot be read at all:
    // the person is told it is kept, and how to send it.
    a.wait_for("#held-count[data-held='2']").await;
    a.wait_for_page_text("1 change on this device was saved by a newer version of Partnership Atlas, and this version cannot read it. It is kept on this device: reload the page to update the app and send it.")
        .await;
    let listed = a.page_text().await;
    assert!(
        listed.contains("1 answer was not accepted by the server: the reason was kept by a newer version of Partnership Atlas than this one (reload the page to update it)."),
        "{listed}"
    );
    assert!(
        listed.contains("There is no such field on a response"),
        "{listed}"
    );
    a.assert_accessible("the device page with a reason it cannot read")
        .await;
    let offered = a
        .eval(
            "const g = [...document.querySelectorAll('.held-group')]
                 .find(g => g.textContent.includes('a newer version'));
             return !!(g && g.querySelector('.held-group__send'));",
        )
        .await;
    assert_eq!(offered, Json::Bool(true), "it can be sent again");
    in_group("a newer version", ".held-group__discard").await;
    a.wait_for(".held-group__discard-yes").await;
    a.click(".held-group__discard-yes").await;
    a.wait_for("#held-count[data-held='1']").await;
    assert!(
        a.page_text()
            .await
            .contains("There is no such field on a response")
    );
    assert_eq!(
        responses(&h, &d.consultation).await.len(),
        before,
        "no refused answer was stored as an answer"
    );

    // The server kept both; the results page lists each answer once (not once per attempt),
    // with its answers and the reason, for a manager to decide.
    h.open(&a, &format!("/consultations/{}/results", d.consultation))
        .await;
    a.wait_for("#refused-answers[data-count='2']").await;
    let listed = a
        .find("#refused-answers")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        listed.contains("There is no such field on a response") && listed.contains("Housing"),
        "{listed}"
    );
    a.assert_accessible("the results page with answers the server could not store")
        .await;
    a.screenshot("results-refused-answers").await;
    let count_the = |reason: &'static str| {
        let a = &a;
        async move {
            a.eval(&format!(
                "const li = [...document.querySelectorAll('.refused-answer')]
                     .find(li => li.textContent.includes('{reason}'));
                 li.querySelector('.refused-answer__count').click();
                 return true;"
            ))
            .await
        }
    };
    // The answer with no capture time cannot be stored as it is: the page says why, and it
    // stays listed.
    count_the("captured is missing").await;
    a.wait_js(
        "the page to say why the answer cannot be counted",
        SYNC_TIMEOUT,
        "return [...document.querySelectorAll('.refused-answer__said')]
             .some(p => p.textContent.includes(arguments[0]));",
        vec![json!("This answer cannot be counted")],
    )
    .await;
    a.wait_for("#refused-answers[data-count='2']").await;
    // The newer app's answer is counted, without the field this server does not keep.
    count_the("no such field").await;
    a.wait_for("#refused-answers[data-count='1']").await;
    let stored = responses(&h, &d.consultation).await;
    assert_eq!(stored.len(), before + 1, "the counted answer is stored");
    let counted = stored
        .iter()
        .find(|r| r["id"] == "0188f000-0000-7000-8000-0000000b0b12")
        .expect("the counted answer is stored under its own id");
    assert_eq!(counted["fields"]["accepted"], json!(true), "{counted}");
    assert!(counted["fields"].get("mood").is_none(), "{counted}");

    // The tablet learns it with its next pull: the answer leaves its list, and it is told.
    a.wait_for_page_text("reached the partnership after all")
        .await;
    h.open(&a, "/device").await;
    a.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    a.wait_for("#held-count[data-held='0']").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_letters_and_an_emoji_in_the_postcode_box_leave_the_capture_screen_working_and_a_consultation_with_answers_is_archived_not_deleted()
 {
    let h = Harness::start().await;
    let d = demo(&h).await;
    // The demo's illustrative answers are there already.
    let earlier: Vec<Json> = responses(&h, &d.consultation)
        .await
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    // The manager takes answers, then archives the consultation.
    let t = h.browser("tablet").await;
    h.sign_in(&t, Some(Role::Manager)).await;
    open_capture(&h, &t, &d).await;
    // On a 1024-pixel tablet in landscape, every card of the agree scale shows its whole label
    // (they were once cut to "Strongl" and "Disagre").
    t.client
        .set_window_size(1024, 768)
        .await
        .expect("resize the window");
    let cut = t
        .wait_js(
            "the agree scale's cards to be laid out at 1024 px",
            Duration::from_secs(10),
            "const labels = [...document.querySelectorAll('.agree-scale .option-card__label')];
             if (labels.length < 5 || window.innerWidth > 1024) return null;
             return labels.filter(l => l.scrollWidth > l.clientWidth + 1 || l.getClientRects().length === 0)
                 .map(l => l.textContent);",
            vec![],
        )
        .await;
    assert_eq!(cut, json!([]), "agree-scale labels cut at 1024 px");
    // 'İ' and 'ẞ' change length in bytes when their case changes: the postcode check once cut
    // one in two, and the release build stopped the whole app on every keystroke after.
    t.fill("#postcode", "İẞ12").await;
    // ChromeDriver types only characters of the Basic Multilingual Plane, so the emoji goes in
    // as the browser's own text entry puts it: one real input event.
    let typed = t
        .eval(
            "const p = document.querySelector('#postcode'); p.focus();
             p.setSelectionRange(p.value.length, p.value.length);
             document.execCommand('insertText', false, '\u{1F600}');
             return p.value;",
        )
        .await;
    assert_eq!(typed, json!("İẞ12\u{1F600}"), "the emoji is typed");
    let crashed = t
        .eval("return document.querySelector('#crash') !== null;")
        .await;
    assert_eq!(crashed, json!(false), "the app shows its error page");
    // The app still answers: not a postcode, so nothing is kept, and saving says why.
    let kept = t
        .eval("return document.querySelector('.postcode-kept')?.textContent ?? null;")
        .await;
    assert_eq!(
        kept,
        json!(""),
        "nothing is kept from text that is not a postcode"
    );
    tap_priorities(&t, ["housing", "community_safety", "older_people"]).await;
    t.click("#submit-answer").await;
    t.wait_for_page_text("Enter the first part of a postcode, like B97")
        .await;
    let thanked = t
        .eval("return document.querySelector('.capture-thanks') !== null;")
        .await;
    assert_eq!(
        thanked,
        json!(false),
        "nothing is saved with a bad postcode"
    );
    // A real postcode: the screen still reacts to each keystroke, and the answer is saved.
    t.fill("#postcode", "b97 4dl").await;
    t.wait_for_text(".postcode-kept", "We will keep: B97").await;
    t.click("#submit-answer").await;
    t.wait_for(".capture-thanks").await;
    t.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    let held: Vec<Json> = responses(&h, &d.consultation)
        .await
        .into_iter()
        .filter(|r| !earlier.contains(&r["id"]))
        .collect();
    assert_eq!(held.len(), 1, "the server holds the one answer: {held:?}");
    assert_eq!(
        held[0]["fields"]["answers"]["postcode"],
        json!({ "type": "postcode", "value": "B97" })
    );

    // Deleting the consultation, which holds these answers, is refused with the reason, and
    // archiving is offered instead: it keeps every answer and can be undone.
    let answers = responses(&h, &d.consultation).await.len();
    h.open(&t, &format!("/consultations/{}/delete", d.consultation))
        .await;
    let refusal = t
        .wait_for(".cannot-delete")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        refusal.contains(&format!("{answers} residents' answers belong to it")),
        "{refusal}"
    );
    t.click("#archive-instead").await;
    t.wait_for("#restore-archived").await;
    t.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    let consultation = |changes: Vec<Json>| {
        changes
            .into_iter()
            .find(|c| c["kind"] == "consultation" && c["id"] == d.consultation.as_str())
            .expect("the consultation is still on the server")
    };
    let archived = consultation(h.server.pull_all().await);
    assert_eq!(archived["fields"]["archived"], json!(true), "{archived}");
    assert_eq!(responses(&h, &d.consultation).await.len(), answers);
    t.click("#restore-archived").await;
    // The click's change may reach the outbox after the status last read "synced": wait for
    // the server to hold it rather than for one reading of the status.
    let deadline = std::time::Instant::now() + SYNC_TIMEOUT;
    let restored = loop {
        t.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
        let now = consultation(h.server.pull_all().await);
        if now["fields"]["archived"] == json!(false) || std::time::Instant::now() > deadline {
            break now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(restored["fields"]["archived"], json!(false), "{restored}");
    t.close().await;
}
