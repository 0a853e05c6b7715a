use super::*;
use crate::date::IsoDate;
use crate::strategy::fixtures::{self, figure, strategy, target};
use crate::strategy::{Figure, PriorityId, StrategyStatus};
use crate::test_text::{config, text};
use proptest::prelude::{prop_assert, proptest};

const S: StrategyId = StrategyId(Uuid::from_u128(1));
const GCSE: TargetId = TargetId(Uuid::from_u128(10));
const NEET: TargetId = TargetId(Uuid::from_u128(11));
const FIRST: MeasurementId = MeasurementId(Uuid::from_u128(20));

/// Redditch's strategy with two targets: five good GCSEs (one figure, "Illustrative figure")
/// and NEET (none yet).
fn snapshot() -> Snapshot {
    let mut s = Snapshot::default();
    let priority = PriorityId(Uuid::from_u128(2));
    s.strategies
        .insert(S, strategy(2011, 2014, StrategyStatus::Adopted));
    s.priorities.insert(
        priority,
        fixtures::priority(S, "Raising educational standards", 1),
    );
    s.targets.insert(
        GCSE,
        target(priority, "NI 75", "Five good GCSEs, with English, maths"),
    );
    s.targets.insert(
        NEET,
        target(
            priority,
            "NI 117",
            "Not in education, employment or training",
        ),
    );
    s.measurements
        .insert(FIRST, figure(GCSE, IsoDate::known(2011, 8, 31), 46.0));
    s
}

fn read(csv: &str) -> FiguresPreview {
    read_figures(&snapshot(), S, csv).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_download_has_every_figure_and_a_row_to_fill_in_for_a_target_without_one() {
    let csv = figures_csv(&snapshot(), S);
    let rows = parse_csv(&csv).expect("the app's own CSV reads back");
    assert_eq!(rows[0], FIGURE_COLUMNS.map(str::to_owned));
    assert_eq!(rows.len(), 3, "{csv}");
    // Targets by name: "Five good ..." before "Not in ...".
    assert_eq!(
        rows[1],
        [
            GCSE.to_string(),
            "NI 75".into(),
            "Five good GCSEs, with English, maths".into(),
            "%".into(),
            "2011-08-31".into(),
            "46".into(),
            "Illustrative figure".into(),
        ]
    );
    assert_eq!(rows[2][0], NEET.to_string());
    assert_eq!(rows[2][4..6], [String::new(), String::new()]);
}

#[test]
fn the_download_read_back_unchanged_changes_nothing() {
    let preview = read(&figures_csv(&snapshot(), S));
    assert_eq!(
        preview,
        FiguresPreview {
            changes: Vec::new(),
            unchanged: 1,
            blank: 1,
            errors: Vec::new(),
        }
    );
}

#[test]
fn a_filled_in_download_adds_figures_and_changes_the_one_corrected() {
    let csv = figures_csv(&snapshot(), S)
        .replace(",46,Illustrative figure", ",46.5,Corrected by the college")
        .replace("training\",%,,,", "training\",%,30/11/2011,7.9%,");
    let preview = read(&csv);
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    assert_eq!(preview.changes.len(), 2);
    let changed = &preview.changes[0];
    assert_eq!(changed.id, FIRST);
    assert_eq!(changed.measurement.value, Figure::known(46.5));
    assert_eq!(changed.measurement.note, "Corrected by the college");
    assert_eq!(
        changed.before.as_ref().map(|m| m.value),
        Some(Figure::known(46.0))
    );
    let added = &preview.changes[1];
    assert_eq!(added.row, 3);
    assert_eq!(added.before, None);
    assert_eq!(added.measurement.target_id, NEET);
    assert_eq!(added.measurement.on, IsoDate::known(2011, 11, 30));
    assert_eq!(added.measurement.value, Figure::known(7.9));
    // The same file gives the same id, so importing it twice adds the figure once.
    assert_eq!(added.id, figure_id(NEET, IsoDate::known(2011, 11, 30)));
    assert_eq!(read(&csv).changes[1].id, added.id);
}

#[test]
fn a_row_may_name_its_target_by_code_and_a_file_may_leave_out_the_other_columns() {
    let preview = read("code,date,value\nni 117,2012-11-30,7.8\r\nNI 75,2011-08-31,47\n");
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    assert_eq!(preview.changes.len(), 2);
    assert_eq!(preview.changes[0].measurement.target_id, NEET);
    // Without a note column, a changed figure keeps its note.
    assert_eq!(preview.changes[1].measurement.note, "Illustrative figure");
}

#[test]
fn every_bad_row_is_refused_with_its_number_and_the_reason_and_the_good_rows_still_count() {
    let other = Uuid::from_u128(99);
    let csv = format!(
        "target_id,code,date,value\n\
         {other},,2011-08-31,5\n\
         ,NI 999,2011-08-31,5\n\
         ,,2011-08-31,5\n\
         ,NI 75,31/02/2011,5\n\
         ,NI 75,,5\n\
         ,NI 75,2012-08-31,lots\n\
         ,NI 75,2013-08-31,\"7,9\"\n\
         ,NI 75,2012-08-31,48\n\
         ,NI 75,2012-08-31,49\n"
    );
    let preview = read(&csv);
    let messages: Vec<&str> = preview.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            format!("Row 2: the target_id “{other}” is not a target of this strategy").as_str(),
            "Row 3: no target of this strategy has the code “NI 999”",
            "Row 4: give the target_id or the code of the target the figure is for",
            "Row 5: “31/02/2011” is not a real date: write it like 2011-08-31 or 31/08/2011",
            "Row 6: enter the date the figure is for",
            "Row 7: enter the value as a number, like 48.5",
            "Row 8: enter the value with a point for decimals, like 7.9 (a comma only separates \
             thousands, like 1,250)",
            "Row 10: the same target and date as row 9: keep one of them",
        ]
    );
    assert_eq!(preview.changes.len(), 1);
    assert_eq!(preview.changes[0].row, 9);
}

#[test]
fn a_file_without_the_columns_it_needs_is_refused_as_a_whole() {
    let s = snapshot();
    assert!(read_figures(&s, S, "").is_err());
    let no_value = read_figures(&s, S, "code,date\nNI 75,2011-08-31\n");
    assert!(no_value.is_err_and(|e| e.contains("value column")));
    let no_target = read_figures(&s, S, "date,value\n2011-08-31,4\n");
    assert!(no_target.is_err_and(|e| e.contains("target_id or a code")));
    let open_quote = read_figures(&s, S, "code,date,value\n\"NI 75,2011-08-31,4\n");
    assert!(open_quote.is_err());
}

#[test]
fn a_code_two_targets_share_must_be_given_as_an_id() {
    let mut s = snapshot();
    let twin = TargetId(Uuid::from_u128(12));
    let mut t = target(PriorityId(Uuid::from_u128(2)), "NI 75", "Another");
    t.name = "A twin".into();
    s.targets.insert(twin, t);
    let preview = read_figures(&s, S, "code,date,value\nNI 75,2012-08-31,4\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        preview.errors[0].message,
        "Row 2: more than one target of this strategy has the code “NI 75”: give the target_id"
    );
}

#[test]
fn spreadsheet_dates_are_iso_or_the_uk_order() {
    assert_eq!(
        spreadsheet_date("2011-08-31"),
        Some(IsoDate::known(2011, 8, 31))
    );
    assert_eq!(
        spreadsheet_date(" 31/08/2011 "),
        Some(IsoDate::known(2011, 8, 31))
    );
    assert_eq!(
        spreadsheet_date("1/3/2011"),
        Some(IsoDate::known(2011, 3, 1))
    );
    for wrong in [
        "08/31/2011",
        "31/08/11",
        "31/08/2011/1",
        "",
        "//",
        "3١/08/2011",
        "+1/08/2011",
    ] {
        assert_eq!(spreadsheet_date(wrong), None, "{wrong}");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_file_is_read_or_refused_without_a_crash(body in text(120)) {
        let s = snapshot();
        for csv in [body.clone(), format!("target_id,code,date,value,note\n{body}")] {
            if let Ok(preview) = read_figures(&s, S, &csv) {
                for change in preview.changes {
                    prop_assert!(change.measurement.value.get().is_finite());
                }
            }
        }
    }

    #[test]
    fn any_typed_date_is_read_or_refused_without_a_crash(input in text(14)) {
        let _ = spreadsheet_date(&input);
    }

    #[test]
    fn any_note_survives_the_round_trip(note in text(40)) {
        let mut s = snapshot();
        if let Some(mut m) = s.measurements.get_mut(&FIRST) {
            m.note = note.trim().to_owned();
        }
        let preview = read_figures(&s, S, &figures_csv(&s, S));
        prop_assert!(preview.is_ok_and(|p| p.changes.is_empty() || p.errors.is_empty()));
    }
}
