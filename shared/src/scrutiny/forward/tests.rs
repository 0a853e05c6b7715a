use uuid::Uuid;

use super::*;
use crate::ids::BodyId;
use crate::scrutiny::{MeetingStatus, MonitoringSession, MonitoringSessionId, Review};
use crate::strategy::fixtures::{highlight_report, p};
use crate::structure::domain::Body;

const BOARD: BodyId = BodyId(Uuid::from_u128(1));
const MANAGEMENT: BodyId = BodyId(Uuid::from_u128(2));
const CONFERENCE: BodyId = BodyId(Uuid::from_u128(3));
const SAFETY: BodyId = BodyId(Uuid::from_u128(4));
const COMMITTEE: &str = "Overview and Scrutiny Committee";

fn day(y: u16, m: u8, d: u8) -> IsoDate {
    IsoDate::known(y, m, d)
}

fn today() -> IsoDate {
    day(2011, 7, 1)
}

fn meeting(body: Option<BodyId>, committee: &str, date: IsoDate) -> Meeting {
    Meeting {
        partnership_id: p(),
        body_id: body,
        council_id: None,
        committee: committee.into(),
        date,
        time: String::new(),
        venue: String::new(),
        status: MeetingStatus::Scheduled,
        note: String::new(),
    }
}

fn review(title: &str, reported_on: IsoDate) -> Review {
    Review {
        partnership_id: p(),
        title: title.into(),
        body_id: None,
        committee: COMMITTEE.into(),
        started_on: None,
        reported_on: Some(reported_on),
        members: Vec::new(),
        summary: String::new(),
        monitoring_months: 6,
    }
}

const M_JULY: MeetingId = MeetingId(Uuid::from_u128(10));
const M_OCTOBER: MeetingId = MeetingId(Uuid::from_u128(11));
const CONF: MeetingId = MeetingId(Uuid::from_u128(12));
const OS_SEPTEMBER: MeetingId = MeetingId(Uuid::from_u128(13));
const OS_JANUARY: MeetingId = MeetingId(Uuid::from_u128(14));
const OS_MAY: MeetingId = MeetingId(Uuid::from_u128(15));
const CANCELLED: MeetingId = MeetingId(Uuid::from_u128(16));
const HELD: MeetingId = MeetingId(Uuid::from_u128(17));
const LATE: HighlightReportId = HighlightReportId(Uuid::from_u128(20));
const DUE: HighlightReportId = HighlightReportId(Uuid::from_u128(21));
const IN: HighlightReportId = HighlightReportId(Uuid::from_u128(22));
const AFTER: HighlightReportId = HighlightReportId(Uuid::from_u128(23));
const FRESH: ReviewId = ReviewId(Uuid::from_u128(30));
const OVERDUE: ReviewId = ReviewId(Uuid::from_u128(31));

/// Basingstoke and Deane's shape (seed 003) on 1 July 2011: the Management Group meets in
/// July and October, the Conference in September; the Overview and Scrutiny Committee in
/// September, January and May; a group's reports to the Management Group, one late, one due,
/// one in, one due after every planned meeting; a review reported in May (monitoring due in
/// November) and one reported in November before (due in May, and now late).
fn snapshot() -> Snapshot {
    let mut s = Snapshot::default();
    for (id, name, kind) in [
        (BOARD, "LSP Board", BodyKind::Board),
        (
            MANAGEMENT,
            "LSP Management Group",
            BodyKind::ManagementGroup,
        ),
        (CONFERENCE, "LSP Conference", BodyKind::Conference),
        (SAFETY, "Community Safety", BodyKind::PriorityActionGroup),
    ] {
        s.bodies.insert(
            id,
            Body {
                partnership_id: p(),
                name: name.into(),
                kind,
                terms_of_reference: String::new(),
            },
        );
    }
    for (id, m) in [
        (M_JULY, meeting(Some(MANAGEMENT), "", day(2011, 7, 19))),
        (M_OCTOBER, meeting(Some(MANAGEMENT), "", day(2011, 10, 18))),
        (CONF, meeting(Some(CONFERENCE), "", day(2011, 9, 22))),
        (OS_SEPTEMBER, meeting(None, COMMITTEE, day(2011, 9, 12))),
        (
            OS_JANUARY,
            meeting(None, " overview and scrutiny committee ", day(2012, 1, 10)),
        ),
        (OS_MAY, meeting(None, COMMITTEE, day(2012, 5, 15))),
        (
            CANCELLED,
            Meeting {
                status: MeetingStatus::Cancelled,
                ..meeting(Some(MANAGEMENT), "", day(2011, 7, 5))
            },
        ),
        (HELD, meeting(Some(MANAGEMENT), "", day(2011, 6, 14))),
    ] {
        s.meetings.insert(id, m);
    }
    let report = |due: IsoDate, submitted: Option<IsoDate>| crate::strategy::HighlightReport {
        due_on: due,
        submitted_on: submitted,
        ..highlight_report(SAFETY, MANAGEMENT, day(2011, 1, 1), day(2011, 3, 31))
    };
    s.highlight_reports
        .insert(LATE, report(day(2011, 6, 1), None));
    s.highlight_reports
        .insert(DUE, report(day(2011, 7, 14), None));
    s.highlight_reports
        .insert(IN, report(day(2011, 7, 10), Some(day(2011, 7, 9))));
    s.highlight_reports
        .insert(AFTER, report(day(2011, 12, 1), None));
    s.reviews
        .insert(FRESH, review("Partnership review", day(2011, 5, 8)));
    s.reviews
        .insert(OVERDUE, review("Older review", day(2010, 5, 1)));
    // Its last session was in November 2010: the next was due in May 2011.
    s.monitoring_sessions.insert(
        MonitoringSessionId(Uuid::from_u128(40)),
        MonitoringSession {
            partnership_id: p(),
            review_id: OVERDUE,
            date: day(2010, 11, 1),
            held_at: COMMITTEE.into(),
            note: String::new(),
        },
    );
    s
}

#[test]
fn late_and_due_reports_are_due_at_the_receiving_bodys_next_meeting_after_their_due_day() {
    let due = due_at_coming_meetings(&snapshot(), p(), today());
    assert_eq!(
        due[&M_JULY],
        [
            Due::HighlightReport {
                id: LATE,
                due_on: day(2011, 6, 1)
            },
            Due::HighlightReport {
                id: DUE,
                due_on: day(2011, 7, 14)
            },
        ],
        "the cancelled meeting of 5 July and the one held in June are not coming"
    );
    assert!(
        !due.contains_key(&M_OCTOBER),
        "the report due after the last planned meeting waits for the next one to be planned"
    );
}

#[test]
fn monitoring_is_due_at_the_committees_last_meeting_by_its_day_or_its_first_when_late() {
    let due = due_at_coming_meetings(&snapshot(), p(), today());
    assert_eq!(
        due[&OS_SEPTEMBER],
        [
            Due::Monitoring {
                review: FRESH,
                due_on: day(2011, 11, 8),
                late: false
            },
            Due::Monitoring {
                review: OVERDUE,
                due_on: day(2011, 5, 1),
                late: true
            },
        ]
    );
    assert!(!due.contains_key(&OS_JANUARY) && !due.contains_key(&OS_MAY));
    // Seen from October, the fresh review's monitoring falls to January, late.
    let later = due_at_coming_meetings(&snapshot(), p(), day(2011, 10, 1));
    assert!(later[&OS_JANUARY].contains(&Due::Monitoring {
        review: FRESH,
        due_on: day(2011, 11, 8),
        late: true
    }));
}

#[test]
fn the_conference_receives_the_annual_report_of_the_last_complete_year() {
    let due = due_at_coming_meetings(&snapshot(), p(), today());
    assert_eq!(
        due[&CONF],
        [Due::AnnualReport {
            year: FinancialYear(2010)
        }]
    );
}

#[test]
fn another_partnership_or_an_empty_one_has_nothing_due() {
    assert!(
        due_at_coming_meetings(&snapshot(), PartnershipId::new(9, [9; 10]), today()).is_empty()
    );
    assert!(due_at_coming_meetings(&Snapshot::default(), p(), today()).is_empty());
}
