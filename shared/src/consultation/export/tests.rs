//! Export and import, on the "We Are Redditch" questionnaire (seed 004, as the demo holds it).

use super::*;
use crate::results::summarise;
use crate::sample_consultation::we_are_redditch_questions;

fn id(n: u8) -> Uuid {
    crate::ids::uuid_v7(1_259_107_200_000 + u64::from(n), [n; 10])
}

fn partnership() -> PartnershipId {
    PartnershipId(id(1))
}

fn consultation() -> ConsultationId {
    ConsultationId(id(2))
}

fn version_id() -> QuestionnaireId {
    QuestionnaireId(id(3))
}

fn event_id() -> ConsultationEventId {
    ConsultationEventId(id(4))
}

fn questionnaire() -> Questionnaire {
    Questionnaire {
        partnership_id: partnership(),
        consultation_id: consultation(),
        version: 1,
        questions: we_are_redditch_questions(),
        opened_for_answers: false,
    }
}

fn event() -> ConsultationEvent {
    ConsultationEvent {
        partnership_id: partnership(),
        consultation_id: consultation(),
        name: "We Are Redditch public event".into(),
        date: crate::date::IsoDate::known(2010, 1, 1),
        venue: "Redditch".into(),
    }
}

fn ranked(keys: &[&str]) -> AnswerValue {
    AnswerValue::Ranked(keys.iter().map(|k| (*k).to_owned()).collect())
}

fn response(channel: Channel, minute: i64, answers: Vec<(&str, AnswerValue)>) -> Response {
    Response {
        partnership_id: partnership(),
        consultation_id: consultation(),
        questionnaire_id: version_id(),
        event_id: (channel != Channel::Online).then(event_id),
        device_id: DeviceId(id(9)),
        channel,
        // 1 January 2010, 10:00 UTC, plus some minutes.
        captured_at: 1_262_340_000_000 + minute * 60_000,
        answers: answers
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        hidden: false,
        accepted: false,
        received_at: None,
        review: Vec::new(),
    }
}

fn responses() -> Vec<(ResponseId, Response)> {
    vec![
        (
            ResponseId(id(20)),
            response(
                Channel::Kiosk,
                0,
                vec![
                    (
                        "priorities",
                        ranked(&["community_safety", "housing", "older_people"]),
                    ),
                    ("know_the_partnership", AnswerValue::Scale(-1)),
                    (
                        "anything_else",
                        AnswerValue::Text(
                            "More buses to the \"Kingfisher\", please,\nand safer parks".into(),
                        ),
                    ),
                    ("postcode", AnswerValue::Postcode("B97".into())),
                    ("age_band", AnswerValue::One("45_64".into())),
                ],
            ),
        ),
        (
            ResponseId(id(21)),
            response(
                Channel::StaffAssisted,
                5,
                vec![("priorities", ranked(&["health_and_wellbeing"]))],
            ),
        ),
        (
            ResponseId(id(22)),
            response(
                Channel::Online,
                90,
                vec![
                    ("priorities", ranked(&["housing", "community_safety"])),
                    ("know_the_partnership", AnswerValue::Scale(2)),
                    ("postcode", AnswerValue::Postcode("B98".into())),
                ],
            ),
        ),
    ]
}

fn target(q: &Questionnaire, e: &ConsultationEvent) -> ImportTarget<'static> {
    // Leaked so the target can borrow them for the test's life: tests only.
    let q: &'static Questionnaire = Box::leak(Box::new(q.clone()));
    let e: &'static ConsultationEvent = Box::leak(Box::new(e.clone()));
    ImportTarget {
        partnership_id: partnership(),
        consultation_id: consultation(),
        versions: vec![(version_id(), q)],
        default_version: version_id(),
        events: vec![(event_id(), e)],
        // 31 January 2010, midnight UTC: the consultation's closing date.
        default_captured_at: 1_264_896_000_000,
    }
}

/// The problems of an imported file, and the responses it gives.
type Imported = (Vec<RowError>, Vec<(ResponseId, Response)>);

/// A file imported into the test questionnaire.
fn import_back(csv: &str) -> Result<Imported, String> {
    let q = questionnaire();
    let e = event();
    let preview = import_csv(csv, &target(&q, &e))?;
    let back = preview
        .rows
        .into_iter()
        .map(|r| (r.id, r.response))
        .collect();
    Ok((preview.errors, back))
}

fn export(rs: &[(ResponseId, Response)]) -> String {
    let q = questionnaire();
    let refs: Vec<(ResponseId, &Response)> = rs.iter().map(|(i, r)| (*i, r)).collect();
    raw_csv(&[(version_id(), &q)], &refs)
}

#[test]
fn a_quote_left_open_is_refused_with_its_row_rather_than_swallowing_the_rows_after_it() {
    let text = "priorities,anything_else\r\nhousing,\"fine\"\r\nparks,\"I like\r\nparks\r\nhousing,more\r\n";
    assert_eq!(
        parse_csv(text),
        Err("The file ends inside a quoted field (row 3): a double quote is not closed".to_owned())
    );
    // A quote inside an unquoted field is only a character, and a closed field may span lines.
    let fine = "a,b\nsaid \"hi\",\"two\nlines, \"\"quoted\"\"\"\n\n";
    assert_eq!(
        parse_csv(fine),
        Ok(vec![
            vec!["a".to_owned(), "b".to_owned()],
            vec![
                "said \"hi\"".to_owned(),
                "two\nlines, \"quoted\"".to_owned()
            ],
        ])
    );
}

#[test]
fn the_raw_export_has_the_documented_columns_and_quotes_as_rfc_4180() {
    let csv = export(&responses());
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next(),
        Some(
            "response_id,captured_at,channel,event,questionnaire_version,device_id,\
             priorities,know_the_partnership,anything_else,postcode,age_band"
        )
    );
    let first = format!(
        "{},2010-01-01T10:00:00.000Z,kiosk,{},1,{},community_safety > housing > older_people,'-1,\
         \"More buses to the \"\"Kingfisher\"\", please,\nand safer parks\",B97,45_64",
        id(20),
        event_id(),
        id(9)
    );
    assert!(csv.contains(&first), "{csv}");
    assert!(csv.contains(&format!(
        "{},2010-01-01T11:30:00.000Z,online,,1,{},housing > community_safety,2,,B98,\r\n",
        id(22),
        id(9)
    )));
    let rows = parse_csv(&csv).expect("it parses back");
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[1][8],
        "More buses to the \"Kingfisher\", please,\nand safer parks"
    );
}

#[test]
fn hidden_free_text_is_never_exported() {
    let mut rs = responses();
    rs[0].1.hidden = true;
    let csv = export(&rs);
    assert!(!csv.contains("Kingfisher"));
    assert!(csv.contains(",[hidden by moderator],"));
    let q = questionnaire();
    let refs: Vec<(ResponseId, &Response)> = rs.iter().map(|(i, r)| (*i, r)).collect();
    let json = raw_json(&[(version_id(), &q)], &refs);
    assert!(!json.contains("Kingfisher"));
    assert!(json.contains("[hidden by moderator]"));
}

#[test]
fn the_json_export_keeps_the_shape_of_each_answer() {
    let q = questionnaire();
    let rs = responses();
    let refs: Vec<(ResponseId, &Response)> = rs.iter().map(|(i, r)| (*i, r)).collect();
    let json: Value =
        serde_json::from_str(&raw_json(&[(version_id(), &q)], &refs)).expect("valid JSON");
    let first = &json[0];
    assert_eq!(first["response_id"], id(20).to_string());
    assert_eq!(first["captured_at"], "2010-01-01T10:00:00.000Z");
    assert_eq!(first["questionnaire_version"], 1);
    assert_eq!(
        first["priorities"],
        serde_json::json!(["community_safety", "housing", "older_people"])
    );
    assert_eq!(first["know_the_partnership"], -1);
    assert_eq!(json[1]["age_band"], Value::Null);
    assert_eq!(json[2]["event"], Value::Null);
    assert_eq!(json.as_array().map(Vec::len), Some(3));
}

#[test]
fn the_summary_export_lists_counts_percentages_and_borda_points() {
    let q = questionnaire();
    let rs: Vec<Response> = responses().into_iter().map(|(_, r)| r).collect();
    let csv = summary_csv(&q.questions, &summarise(&q.questions, &rs));
    let rows = parse_csv(&csv).expect("parses");
    assert_eq!(rows[0], SUMMARY_COLUMNS.map(str::to_owned).to_vec());
    // community_safety: 3 + 2 = 5 points; housing: 2 + 3 = 5; community_safety and housing each
    // ranked first once: the label breaks the tie.
    let first = &rows[1];
    assert_eq!(first[0], "priorities");
    assert_eq!(first[3], "community_safety");
    assert_eq!((first[5].as_str(), first[6].as_str()), ("2", "66.7"));
    assert_eq!((first[7].as_str(), first[8].as_str()), ("5", "1"));
    let agree = rows
        .iter()
        .find(|r| r[0] == "know_the_partnership" && r[3] == "2")
        .expect("the strongly agree row");
    assert_eq!(
        agree[4..].to_vec(),
        vec!["Strongly agree", "1", "50.0", "", ""]
    );
}

#[test]
fn an_export_imports_back_as_the_same_responses() {
    let rs = responses();
    let csv = export(&rs);
    assert_eq!(import_back(&csv), Ok((vec![], rs)));
}

#[test]
fn a_partners_file_gets_defaults_and_the_same_ids_each_time() {
    let file = "priorities,postcode,age_band\n\
                Housing > Older People,b97 4dl,65 or over\n\
                community_safety,,\n\
                community_safety,,\n";
    let q = questionnaire();
    let e = event();
    let once = import_csv(file, &target(&q, &e)).expect("reads");
    let twice = import_csv(file, &target(&q, &e)).expect("reads");
    assert_eq!(once.errors, vec![]);
    assert_eq!(once.rows.len(), 3);
    assert_eq!(once, twice);
    let first = &once.rows[0].response;
    assert_eq!(first.channel, Channel::Paper);
    assert_eq!(first.event_id, None);
    assert_eq!(first.captured_at, 1_264_896_000_000);
    assert_eq!(first.device_id, import_device_id(consultation()));
    assert_eq!(
        first.answers["priorities"],
        ranked(&["housing", "older_people"])
    );
    assert_eq!(
        first.answers["postcode"],
        AnswerValue::Postcode("B97".into())
    );
    assert_eq!(
        first.answers["age_band"],
        AnswerValue::One("65_plus".into())
    );
    // Two residents with the same answers are two responses.
    assert_ne!(once.rows[1].id, once.rows[2].id);
    assert_eq!(once.rows[0].id.0.get_version_num(), 8);
}

#[test]
fn the_same_rows_in_two_different_files_are_different_answers() {
    let q = questionnaire();
    let e = event();
    let ids = |file: &str| -> Vec<ResponseId> {
        import_csv(file, &target(&q, &e))
            .expect("reads")
            .rows
            .iter()
            .map(|r| r.id)
            .collect()
    };
    // Two partners each had a resident who put housing first.
    let library = ids("priorities,age_band\nhousing,16_24\n");
    let youth_club = ids("priorities,age_band\nhousing,16_24\ncommunity_safety,16_24\n");
    assert_eq!(library.len(), 1);
    assert_eq!(youth_club.len(), 2);
    assert!(
        !youth_club.contains(&library[0]),
        "two files' rows became one answer"
    );
    // The library's file again is the same answer.
    assert_eq!(ids("priorities,age_band\nhousing,16_24\n"), library);
    // Within one file, identical rows stay two answers.
    let twice = ids("priorities,age_band\nhousing,16_24\nhousing,16_24\n");
    assert_eq!(twice.iter().collect::<BTreeSet<_>>().len(), 2);
}

#[test]
fn cells_that_look_like_formulas_are_written_with_a_quote_and_read_back_as_they_were() {
    let texts = [
        "=HYPERLINK(\"http://example.com\",\"Click\")",
        "+44 7700 900123",
        "-- more buses",
        "@SUM(A1:A9)",
        "\tindented",
        "\rstarts with a carriage return",
        "'=quoted already",
        "'plain with a quote",
    ];
    let rs: Vec<(ResponseId, Response)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut r = response(
                Channel::Online,
                i as i64,
                vec![
                    ("priorities", ranked(&["housing"])),
                    ("know_the_partnership", AnswerValue::Scale(-1)),
                    ("anything_else", AnswerValue::Text((*t).into())),
                ],
            );
            r.event_id = None;
            (ResponseId(id(50 + i as u8)), r)
        })
        .collect();
    let csv = export(&rs);
    for written in [
        ",\"'=HYPERLINK(\"\"http://example.com\"\",\"\"Click\"\")\",",
        ",'+44 7700 900123,",
        ",'-- more buses,",
        ",'@SUM(A1:A9),",
        ",'\tindented,",
        ",\"'\rstarts with a carriage return\",",
        ",''=quoted already,",
        ",'plain with a quote,",
        ",'-1,",
    ] {
        assert!(csv.contains(written), "{written:?} in {csv}");
    }
    assert_eq!(import_back(&csv), Ok((vec![], rs)));
}

#[test]
fn the_summary_quotes_its_negative_scale_points_and_reads_back() {
    let q = questionnaire();
    let rs: Vec<Response> = responses().into_iter().map(|(_, r)| r).collect();
    let csv = summary_csv(&q.questions, &summarise(&q.questions, &rs));
    assert!(csv.contains(",'-1,Disagree,"), "{csv}");
    assert!(csv.contains(",'-2,Strongly disagree,"), "{csv}");
    let rows = parse_csv(&csv).expect("parses");
    assert!(rows.iter().any(|r| r[3] == "-1" && r[4] == "Disagree"));
}

#[test]
fn a_partners_negative_scale_answer_without_a_quote_still_imports() {
    let q = questionnaire();
    let e = event();
    let preview = import_csv(
        "priorities,know_the_partnership\nhousing,-1\nhousing,'-2\n",
        &target(&q, &e),
    )
    .expect("reads");
    assert_eq!(preview.errors, vec![]);
    let points: Vec<&AnswerValue> = preview
        .rows
        .iter()
        .map(|r| &r.response.answers["know_the_partnership"])
        .collect();
    assert_eq!(points, [&AnswerValue::Scale(-1), &AnswerValue::Scale(-2)]);
}

#[test]
fn each_bad_row_is_reported_in_plain_english_and_left_out() {
    let file = "priorities,know_the_partnership,channel,event,captured_at,postcode\n\
                housing,1,paper,,,\n\
                parking,,,,,\n\
                housing,7,,,,\n\
                housing,,fax,,,\n\
                housing,,,Town Hall,,\n\
                housing,,,,yesterday,\n\
                housing,,,,,Redditch\n\
                ,,,,,\n\
                housing > community_safety > older_people > health_and_wellbeing,,,,,\n\
                housing,,Kiosk,We Are Redditch public event,2010-01-01T10:00:00Z,B98\n";
    let q = questionnaire();
    let e = event();
    let preview = import_csv(file, &target(&q, &e)).expect("reads");
    let rows: Vec<usize> = preview.rows.iter().map(|r| r.row).collect();
    assert_eq!(rows, vec![2, 11]);
    let messages: Vec<&str> = preview.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "Row 3: the answer to 'priorities' names an option that is not in the questionnaire: 'parking'",
            "Row 4: the answer to 'know_the_partnership' should be a number from -2 (strongly disagree) to 2 (strongly agree), not '7'",
            "Row 5: the channel 'fax' is not one of staff_assisted, kiosk, paper or online",
            "Row 6: the event 'Town Hall' is not one of this consultation's events",
            "Row 7: the time 'yesterday' is not a date like 2010-01-15 or a time like 2010-01-15T10:30:00Z",
            "Row 8: the answer to 'postcode' is not a postcode or the first part of one: 'Redditch'",
            "Row 9: the answer to 'priorities': answer the question: Which three of these matter most to you for Redditch? Put the most important first.",
            "Row 10: the answer to 'priorities': choose no more than 3 priorities",
        ]
    );
    let last = &preview.rows[1].response;
    assert_eq!(last.channel, Channel::Kiosk);
    assert_eq!(last.event_id, Some(event_id()));
    assert_eq!(last.captured_at, 1_262_340_000_000);
}

#[test]
fn a_file_that_cannot_be_read_says_why() {
    let q = questionnaire();
    let e = event();
    let t = target(&q, &e);
    assert!(import_csv("", &t).is_err());
    let unknown = import_csv("priorities,favourite_colour\nhousing,green\n", &t)
        .err()
        .unwrap_or_default();
    assert!(unknown.contains("'favourite_colour'"), "{unknown}");
    let open = import_csv("priorities\n\"housing\n", &t)
        .err()
        .unwrap_or_default();
    assert!(open.contains("quote"), "{open}");
}

#[test]
fn importing_never_panics_on_odd_input() {
    let q = questionnaire();
    let e = event();
    let t = target(&q, &e);
    for odd in [
        "\u{feff}priorities\r\nhousing",
        "priorities\n\"\"\"\"\n",
        "priorities\nhousing,extra,cells\n",
        "priorities,response_id\nhousing,not-a-uuid\n",
        "priorities,questionnaire_version\nhousing,99\n",
        "priorities,captured_at\nhousing,2010-02-31\n",
        "priorities,captured_at\nhousing,2010-01-01T25:00\n",
        "priorities\n>>>\n",
        "priorities\n\u{0}\u{1F600}\n",
        ",,,\n,,,\n",
    ] {
        let _ = import_csv(odd, &t);
    }
    let bom = import_csv("\u{feff}priorities\r\nhousing", &t).expect("reads");
    assert_eq!(bom.rows.len(), 1);
}

#[test]
fn a_repeated_response_id_in_one_file_counts_once() {
    let rid = id(40);
    let file = format!("response_id,priorities\n{rid},housing\n{rid},housing\n");
    let q = questionnaire();
    let e = event();
    let preview = import_csv(&file, &target(&q, &e)).expect("reads");
    assert_eq!(preview.rows.len(), 1);
    assert_eq!(
        preview.errors[0].message,
        "Row 3: it has the same response id as row 2"
    );
}

#[test]
fn iso_times_round_trip() {
    for ms in [0, 1_262_340_000_000, 1_264_896_000_999, 951_782_400_000] {
        assert_eq!(parse_iso_utc(&iso_utc(ms)), Some(ms), "{}", iso_utc(ms));
    }
    assert_eq!(iso_utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
    assert_eq!(parse_iso_utc("2010-01-15"), Some(1_263_513_600_000));
    assert_eq!(
        parse_iso_utc("2010-01-15 10:30+00:00"),
        Some(1_263_513_600_000 + 37_800_000)
    );
    assert_eq!(parse_iso_utc("2009-02-29"), None);
}

// ---------------------------------------------------------------- properties

use crate::test_text::{config, text};
use proptest::prelude::*;

/// Free text a resident could have given: not blank, not the moderation placeholder, within
/// the questionnaire's 1,000 characters.
fn answer_text() -> impl Strategy<Value = String> {
    text(60).prop_filter("an answer", |t| {
        !t.trim().is_empty() && t.trim() != HIDDEN_TEXT
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_cells_written_as_csv_read_back_as_they_were_and_never_start_a_formula(
        rows in proptest::collection::vec(proptest::collection::vec(text(10), 2..5), 1..4),
    ) {
        let bom_first = rows[0][0].starts_with('\u{feff}');
        let mut out = CsvOut::new(bom_first);
        for row in &rows {
            out.push_row(row);
            for cell in row {
                let written = csv_field(cell);
                let inner = written.strip_prefix('"').unwrap_or(&written);
                prop_assert!(!inner.starts_with(FORMULA_STARTS), "{written:?}");
            }
        }
        prop_assert_eq!(parse_csv(&out.finish()), Ok(rows));
    }

    #[test]
    fn any_free_text_answer_exports_and_imports_back_unchanged(said in answer_text(), scale in -2i8..=2) {
        let rs = vec![(
            ResponseId(id(60)),
            response(
                Channel::Kiosk,
                0,
                vec![
                    ("priorities", ranked(&["housing"])),
                    ("know_the_partnership", AnswerValue::Scale(scale)),
                    ("anything_else", AnswerValue::Text(said)),
                ],
            ),
        )];
        prop_assert_eq!(import_back(&export(&rs)), Ok((vec![], rs)));
    }

    #[test]
    fn importing_any_text_never_panics_and_names_each_bad_row(
        header in prop_oneof![
            Just("priorities,anything_else,postcode,know_the_partnership,channel,event,captured_at\n".to_owned()),
            text(20),
        ],
        body in text(80),
    ) {
        let q = questionnaire();
        let e = event();
        if let Ok(preview) = import_csv(&format!("{header}{body}"), &target(&q, &e)) {
            for row in &preview.rows {
                prop_assert!(row.row >= 2);
            }
            for error in &preview.errors {
                let start = format!("Row {}: ", error.row);
                prop_assert!(error.message.starts_with(&start), "{:?}", error.message);
            }
        }
    }

    #[test]
    fn a_file_gives_the_same_ids_each_time_and_a_row_in_another_file_another_id(
        said in answer_text(),
    ) {
        let q = questionnaire();
        let e = event();
        let t = target(&q, &e);
        let one = format!("anything_else,priorities\n{},housing\n", csv_field(&said));
        let other = format!("{one}{},community_safety\n", csv_field(&said));
        let ids = |file: &str| -> Result<Vec<ResponseId>, TestCaseError> {
            let preview = import_csv(file, &t).map_err(TestCaseError::fail)?;
            prop_assert_eq!(&preview.errors, &vec![]);
            Ok(preview.rows.iter().map(|r| r.id).collect())
        };
        let first = ids(&one)?;
        prop_assert_eq!(ids(&one)?, first.clone());
        prop_assert!(!ids(&other)?.contains(&first[0]));
    }
}
