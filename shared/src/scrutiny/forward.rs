//! What is due at each coming meeting, worked out from the records so no one need type it
//! (issue 12: "a forward plan of coming meetings and the items due at each (reports,
//! monitoring sessions, the annual report)"). The rules:
//!
//! - **A highlight report** not yet submitted is due at the first coming meeting of the body
//!   it reports to on or after the day it is due (one already late: that body's first coming
//!   meeting). Only members read highlight reports, so the public's plan has none.
//! - **A review's monitoring** ([`monitoring_due`]) is due at the last coming meeting of the
//!   committee that monitors it on or before the day it falls due; when none is that early,
//!   at its first coming meeting, which is then late and says so.
//! - **The Board's annual report** goes to every coming meeting of a Conference (seed 003:
//!   "LSP Board gives annual report to Conference and funding partners"), for the last
//!   financial year complete before the meeting.
//!
//! "Coming" is as [`upcoming_and_past`] counts it from `today`.

use std::collections::BTreeMap;

use super::meetings::{same_committee, upcoming_and_past};
use super::reviews::{monitoring_due, reviews_of, sessions_of};
use super::{Meeting, MeetingId, ReviewId};
use crate::Snapshot;
use crate::date::IsoDate;
use crate::ids::PartnershipId;
use crate::order::sort_by_key;
use crate::strategy::HighlightReportId;
use crate::strategy::annual::FinancialYear;
use crate::structure::domain::BodyKind;

/// One thing due at a meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Due {
    /// A highlight report to the meeting's body, due on `due_on` and not yet submitted.
    HighlightReport {
        id: HighlightReportId,
        due_on: IsoDate,
    },
    /// A review's monitoring session, due by `due_on`; `late` when the meeting is after it.
    Monitoring {
        review: ReviewId,
        due_on: IsoDate,
        late: bool,
    },
    /// The Board's annual report for `year`.
    AnnualReport { year: FinancialYear },
}

/// What is due at each of partnership `p`'s coming meetings (see the module docs), by
/// meeting; a meeting with nothing due is left out.
pub fn due_at_coming_meetings(
    s: &Snapshot,
    p: PartnershipId,
    today: IsoDate,
) -> BTreeMap<MeetingId, Vec<Due>> {
    let coming: Vec<(MeetingId, &Meeting)> = upcoming_and_past(s, p, today).0;
    let mut due: BTreeMap<MeetingId, Vec<Due>> = BTreeMap::new();

    let mut reports: Vec<_> = s
        .highlight_reports
        .iter()
        .filter(|(_, r)| r.partnership_id == p && !r.is_submitted())
        .collect();
    sort_by_key(&mut reports, |(id, r)| (r.due_on, **id));
    for (id, r) in reports {
        let at = coming
            .iter()
            .find(|(_, m)| m.body_id == Some(r.to_body_id) && m.date >= r.due_on);
        if let Some((meeting, _)) = at {
            due.entry(*meeting).or_default().push(Due::HighlightReport {
                id: *id,
                due_on: r.due_on,
            });
        }
    }

    for (review_id, review) in reviews_of(s, p) {
        let sessions = sessions_of(s, review_id);
        let sessions: Vec<_> = sessions.iter().map(|(_, m)| *m).collect();
        let Some(next) = monitoring_due(review, &sessions, today) else {
            continue;
        };
        let theirs: Vec<&(MeetingId, &Meeting)> = coming
            .iter()
            .filter(|(_, m)| {
                m.body_id.is_none()
                    && !m.committee.trim().is_empty()
                    && same_committee(&m.committee, &review.committee)
            })
            .collect();
        let at = theirs
            .iter()
            .rev()
            .find(|(_, m)| m.date <= next.due)
            .or_else(|| theirs.first());
        if let Some((meeting, m)) = at {
            due.entry(*meeting).or_default().push(Due::Monitoring {
                review: review_id,
                due_on: next.due,
                late: m.date > next.due,
            });
        }
    }

    for (meeting, m) in &coming {
        let conference = m
            .body_id
            .and_then(|b| s.bodies.get(&b))
            .is_some_and(|b| b.kind == BodyKind::Conference);
        let year = FinancialYear::of(m.date).0.checked_sub(1);
        if let (true, Some(year)) = (conference, year) {
            due.entry(*meeting).or_default().push(Due::AnnualReport {
                year: FinancialYear(year),
            });
        }
    }
    due
}

#[cfg(test)]
mod tests;
