//! A device's copy of the data: what the server last said ([`Replica`]) with the device's own
//! unsent changes laid on top ([`Replica::view`]), as typed records ([`Snapshot`]).
//!
//! Pure code, so the browser's behaviour offline (an edit shows at once, a delete removes what
//! refers to the deleted record) is unit-tested here rather than only in a browser.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::consultation::{Consultation, ConsultationEvent, Finding, Questionnaire, Response};
use crate::domain::{Body, Membership, Organisation, Partnership, ReportingLine};
use crate::entity::{Entity, EntityKind, RecordRef, references};
use crate::ids::{
    BodyId, ConsultationEventId, ConsultationId, FindingId, GlossaryTermId, MembershipId,
    OrganisationId, PartnershipId, PresentationStepId, QuestionnaireId, ReportingLineId,
    ResponseId,
};
use crate::order::{sort_by, sort_by_key};
use crate::sync::{Change, Mutation, Op, Seq};
use crate::table::{Draft, Table, Tabled};
use crate::text::fold_case;
use crate::training::{GlossaryTerm, PresentationStep};

/// A record as the server last sent it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerRecord {
    pub kind: EntityKind,
    pub id: Uuid,
    pub version: Seq,
    /// Shared with the views made from the replica ([`Replica::view`]), which keep the
    /// fields of the records they show: one copy of each record on the device, not two.
    pub fields: Arc<Map<String, Value>>,
}

/// The server's state as this device knows it, up to `cursor`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replica {
    pub records: BTreeMap<RecordRef, ServerRecord>,
    pub cursor: Seq,
}

impl Replica {
    /// Applies one pulled change: stores the record's new state, or forgets a deleted one.
    /// Returns the record to store locally (`None` when it was deleted).
    pub fn apply_change(&mut self, change: &Change) -> Option<ServerRecord> {
        let key = (change.kind, change.id);
        if change.version > self.cursor {
            self.cursor = change.version;
        }
        match (&change.fields, change.deleted) {
            (Some(fields), false) => {
                let record = ServerRecord {
                    kind: change.kind,
                    id: change.id,
                    version: change.version,
                    fields: Arc::new(fields.clone()),
                };
                self.records.insert(key, record.clone());
                Some(record)
            }
            _ => {
                self.records.remove(&key);
                None
            }
        }
    }

    /// The version the device last saw of a record, to send as an edit's base version.
    pub fn base_version(&self, key: RecordRef) -> Option<Seq> {
        self.records.get(&key).map(|r| r.version)
    }

    /// The data as the person using this device should see it: the server's records with the
    /// unsent `pending` mutations applied in order. Records that refer to a missing or deleted
    /// record are left out (the server deletes them too). Records are kept as fields: a kind
    /// is parsed when first read ([`Table`]), and records whose fields do not parse (written
    /// by another version of the app) are kept, just not shown.
    pub fn view(&self, pending: &[Mutation]) -> Snapshot {
        let mut fields: BTreeMap<RecordRef, Arc<Map<String, Value>>> = crate::order::map_of(
            self.records
                .iter()
                .map(|(k, r)| (*k, Arc::clone(&r.fields))),
        );
        let mut pending_refs = BTreeSet::new();
        for m in pending {
            let key = (m.kind, m.record_id);
            pending_refs.insert(key);
            match &m.op {
                Op::Upsert { fields: patch, .. } => {
                    // Copied only here: a record with an unsent change.
                    let entry = Arc::make_mut(fields.entry(key).or_default());
                    for (k, v) in patch {
                        entry.insert(k.clone(), v.clone());
                    }
                }
                Op::Delete { .. } => {
                    fields.remove(&key);
                }
            }
        }
        // Drop records whose references are gone. Children only refer to parents of a
        // lower kind (the registry's order, checked by a test in `entity.rs`), so one pass in
        // kind order settles every chain.
        let refers_to: Vec<_> = EntityKind::ALL.iter().map(|k| k.refers_to()).collect();
        let mut snap = Snapshot {
            pending: pending_refs,
            ..Snapshot::default()
        };
        for ((kind, id), record) in fields {
            let gone = references(refers_to[kind as usize], &record).any(|r| !snap.contains(r));
            if gone {
                continue;
            }
            if let Some(v) = self.records.get(&(kind, id)).map(|r| r.version) {
                snap.versions.insert((kind, id), v);
            }
            snap.put_fields((kind, id), record);
        }
        snap
    }

    /// Lays one more unsent mutation on `snap`, which must be `self.view(pending)`, so that it
    /// equals `self.view(pending + [m])` — in `O(log n)` rather than the `O(n)` of a new view.
    /// Only an upsert of a kind nothing refers to (a consultation answer, a seat, a line, ...)
    /// is done this way: a delete cascades, and a new parent could bring back records that
    /// referred to it. `draft` is the saved record, of `m`'s kind: it lays the fields on its
    /// kind's table. Returns `false` (leaving `snap` as it was) when the caller must make a
    /// new view instead.
    pub fn apply_to_view(&self, snap: &mut Snapshot, m: &Mutation, draft: &Draft) -> bool {
        let Op::Upsert { fields: patch, .. } = &m.op else {
            return false;
        };
        if m.kind.can_be_referenced() || draft.kind != m.kind {
            return false;
        }
        let key = (m.kind, m.record_id);
        let mut fields: Map<String, Value> = match snap.fields(key) {
            Some(f) => f.clone(),
            None => {
                // A record the view left out (a reference was gone) may carry pending
                // patches the view applied; only a record the view shows, or one never seen,
                // is simple.
                if snap.pending.contains(&key) || self.records.contains_key(&key) {
                    return false;
                }
                Map::new()
            }
        };
        for (k, v) in patch {
            fields.insert(k.clone(), v.clone());
        }
        snap.pending.insert(key);
        if references(m.kind.refers_to(), &fields).all(|r| snap.contains(r)) {
            draft.lay(snap, m.record_id, fields);
        } else {
            snap.take(key);
        }
        true
    }
}

/// Generates [`Snapshot`] with one table per record kind of the registry, and the dispatch
/// from a kind to its table.
macro_rules! snapshot_tables {
    ($($(#[$meta:meta])* $area:ident :: $kind:ident => $table:ident,)+) => {
        /// Validated records as one device sees them, with the queries the pages need. Each
        /// table reads as a map of typed records ([`Table`]); lists come back sorted by name
        /// so every page (and every test) sees the same order.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Snapshot {
            $(
                $(#[$meta])*
                pub $table: Table<crate::$area::$kind>,
            )+
            /// Records with changes not yet accepted by the server.
            pub pending: BTreeSet<RecordRef>,
            /// The server version of each record the server has sent.
            pub versions: BTreeMap<RecordRef, Seq>,
        }

        $(
            impl Tabled for crate::$area::$kind {
                const KIND: EntityKind = EntityKind::$kind;
                fn table_mut(snapshot: &mut Snapshot) -> &mut Table<Self> {
                    &mut snapshot.$table
                }
            }
        )+

        /// A typed record of any kind as a draft: code that knows the kind uses
        /// [`Draft::of`], which compiles only that kind's writing.
        impl From<Entity> for Draft {
            fn from(entity: Entity) -> Self {
                match entity {
                    $(Entity::$kind(v) => Draft::of(v),)+
                }
            }
        }

        impl Snapshot {
            /// Puts a record's fields in its table.
            fn put_fields(&mut self, key: RecordRef, fields: Arc<Map<String, Value>>) {
                let (kind, id) = key;
                match kind {
                    $(EntityKind::$kind => self.$table.put_fields(id, fields),)+
                }
            }

            /// Whether the record is shown: it is in its table, whether or not its fields
            /// parse. Reads no typed record.
            pub fn contains(&self, key: RecordRef) -> bool {
                let (kind, id) = key;
                match kind {
                    $(EntityKind::$kind => self.$table.shows(id),)+
                }
            }

            /// The record's fields as this device shows them. Reads no typed record.
            pub fn fields(&self, key: RecordRef) -> Option<&Map<String, Value>> {
                let (kind, id) = key;
                match kind {
                    $(EntityKind::$kind => self.$table.fields(id),)+
                }
            }

            /// Takes a record out of its table.
            fn take(&mut self, key: RecordRef) {
                let (kind, id) = key;
                match kind {
                    $(EntityKind::$kind => self.$table.take(id),)+
                }
            }

            /// Every record as a typed [`Entity`], in kind order then id order. This reads
            /// every kind: code that needs one kind reads its table.
            pub fn entities(&self) -> impl Iterator<Item = (RecordRef, Entity)> + '_ {
                std::iter::empty()
                    $(.chain(self.$table.iter().map(|(id, v)| {
                        ((EntityKind::$kind, (*id).into()), Entity::$kind(v.clone()))
                    })))+
            }

            /// One record as a typed [`Entity`], as this device sees it.
            pub fn entity(&self, key: RecordRef) -> Option<Entity> {
                let (kind, id) = key;
                match kind {
                    $(EntityKind::$kind => self.$table.get(&id.into()).cloned().map(Entity::$kind),)+
                }
            }
        }
    };
}
crate::entity::for_each_record!(snapshot_tables);

impl Snapshot {
    /// How many residents' answers belong to `key`: those given to a partnership or a
    /// consultation, captured at an event, or given to one version of a questionnaire. The app
    /// refuses to delete such a record while the count is above zero (the server does too):
    /// answers are never deleted with anything.
    pub fn answers_held_by(&self, key: RecordRef) -> usize {
        let kind = key.0;
        // Read from the answers' fields: counting them parses none.
        let refers_to: Vec<_> = EntityKind::Response
            .refers_to()
            .iter()
            .filter(|r| r.0 == kind)
            .copied()
            .collect();
        if refers_to.is_empty() {
            return 0;
        }
        self.responses
            .all_fields()
            .filter(|(_, f)| references(&refers_to, f).any(|r| r == key))
            .count()
    }

    /// Whether a questionnaire version must not change any more: a device has offered it to
    /// residents (the server records that) or this device holds answers to it. A change then
    /// makes the next version.
    pub fn questionnaire_locked(&self, id: QuestionnaireId) -> bool {
        self.questionnaires
            .get(&id)
            .is_some_and(|q| q.opened_for_answers)
            || self.answers_held_by((EntityKind::Questionnaire, id.0)) > 0
    }

    pub fn partnerships_by_name(&self) -> Vec<(PartnershipId, &Partnership)> {
        let mut v: Vec<_> = self.partnerships.iter().map(|(k, p)| (*k, p)).collect();
        sort_by_key(&mut v, |a| fold_case(&a.1.name));
        v
    }

    pub fn organisations_of(&self, p: PartnershipId) -> Vec<(OrganisationId, &Organisation)> {
        let mut v: Vec<_> = self
            .organisations
            .iter()
            .filter(|(_, o)| o.partnership_id == p)
            .map(|(k, o)| (*k, o))
            .collect();
        sort_by_key(&mut v, |a| fold_case(&a.1.name));
        v
    }

    pub fn bodies_of(&self, p: PartnershipId) -> Vec<(BodyId, &Body)> {
        let mut v: Vec<_> = self
            .bodies
            .iter()
            .filter(|(_, b)| b.partnership_id == p)
            .map(|(k, b)| (*k, b))
            .collect();
        sort_by(&mut v, |a, b| {
            (a.1.kind, fold_case(&a.1.name)).cmp(&(b.1.kind, fold_case(&b.1.name)))
        });
        v
    }

    /// The seats on a body, chair first, then by role and name.
    pub fn members_of(&self, body: BodyId) -> Vec<(MembershipId, &Membership)> {
        let mut v: Vec<_> = self
            .memberships
            .iter()
            .filter(|(_, m)| m.body_id == body)
            .map(|(k, m)| (*k, m))
            .collect();
        sort_by(&mut v, |a, b| {
            (a.1.role, fold_case(&self.seat_name(a.1)))
                .cmp(&(b.1.role, fold_case(&self.seat_name(b.1))))
        });
        v
    }

    /// The seats an organisation holds, across every body.
    pub fn seats_of(&self, org: OrganisationId) -> Vec<(MembershipId, &Membership)> {
        let mut v: Vec<_> = self
            .memberships
            .iter()
            .filter(|(_, m)| m.organisation_id == Some(org))
            .map(|(k, m)| (*k, m))
            .collect();
        sort_by_key(&mut v, |(_, m)| {
            self.bodies
                .get(&m.body_id)
                .map(|b| fold_case(&b.name))
                .unwrap_or_default()
        });
        v
    }

    /// How a seat is named: the person, or the organisation when no person is recorded.
    pub fn seat_name(&self, m: &Membership) -> String {
        if !m.person.trim().is_empty() {
            return m.person.clone();
        }
        m.organisation_id
            .and_then(|o| self.organisations.get(&o))
            .map(|o| o.name.clone())
            .unwrap_or_default()
    }

    /// Lines from this body to the bodies it reports to.
    pub fn lines_from(&self, body: BodyId) -> Vec<(ReportingLineId, &ReportingLine)> {
        self.lines_where(|l| l.from_body_id == body, |l| l.to_body_id)
    }

    /// Lines from the bodies that report to this one.
    pub fn lines_to(&self, body: BodyId) -> Vec<(ReportingLineId, &ReportingLine)> {
        self.lines_where(|l| l.to_body_id == body, |l| l.from_body_id)
    }

    pub fn lines_of(&self, p: PartnershipId) -> Vec<(ReportingLineId, &ReportingLine)> {
        self.lines_where(|l| l.partnership_id == p, |l| l.from_body_id)
    }

    fn lines_where(
        &self,
        keep: impl Fn(&ReportingLine) -> bool,
        sort_body: impl Fn(&ReportingLine) -> BodyId,
    ) -> Vec<(ReportingLineId, &ReportingLine)> {
        let mut v: Vec<_> = self
            .lines
            .iter()
            .filter(|(_, l)| keep(l))
            .map(|(k, l)| (*k, l))
            .collect();
        sort_by_key(&mut v, |(_, l)| fold_case(&self.body_name(sort_body(l))));
        v
    }

    pub fn body_name(&self, body: BodyId) -> String {
        self.bodies
            .get(&body)
            .map(|b| b.name.clone())
            .unwrap_or_default()
    }

    /// Records that would be deleted with `target` (they refer to it), for a delete's warning.
    pub fn dependents(&self, target: RecordRef) -> Vec<RecordRef> {
        self.entities()
            .filter(|(_, e)| e.references().contains(&target))
            .map(|(key, _)| key)
            .collect()
    }

    /// A partnership's glossary, sorted by term (ignoring case).
    pub fn glossary_of(&self, p: PartnershipId) -> Vec<(GlossaryTermId, &GlossaryTerm)> {
        let mut v: Vec<_> = self
            .glossary
            .iter()
            .filter(|(_, g)| g.partnership_id == p)
            .map(|(k, g)| (*k, g))
            .collect();
        sort_by_key(&mut v, |(_, g)| fold_case(&g.term));
        v
    }

    /// A partnership's presentation steps in the order they are shown.
    pub fn steps_of(&self, p: PartnershipId) -> Vec<(PresentationStepId, &PresentationStep)> {
        let mut v: Vec<_> = self
            .steps
            .iter()
            .filter(|(_, s)| s.partnership_id == p)
            .map(|(k, s)| (*k, s))
            .collect();
        sort_by(&mut v, |a, b| {
            (a.1.position, fold_case(&a.1.title)).cmp(&(b.1.position, fold_case(&b.1.title)))
        });
        v
    }

    /// A partnership's consultations, latest opening first (undated last), then by title.
    pub fn consultations_of(&self, p: PartnershipId) -> Vec<(ConsultationId, &Consultation)> {
        let mut v = self.consultations.select(|c| c.partnership_id == p);
        sort_by(&mut v, |a, b| {
            b.1.opens_on
                .cmp(&a.1.opens_on)
                .then_with(|| fold_case(&a.1.title).cmp(&fold_case(&b.1.title)))
        });
        v
    }

    /// A consultation's events in date order, then by name.
    pub fn events_of(&self, c: ConsultationId) -> Vec<(ConsultationEventId, &ConsultationEvent)> {
        let mut v = self.consultation_events.select(|e| e.consultation_id == c);
        sort_by(&mut v, |a, b| {
            (&a.1.date, fold_case(&a.1.name)).cmp(&(&b.1.date, fold_case(&b.1.name)))
        });
        v
    }

    /// Every version of a consultation's questionnaire, oldest first.
    pub fn questionnaire_versions_of(
        &self,
        c: ConsultationId,
    ) -> Vec<(QuestionnaireId, &Questionnaire)> {
        let mut v = self.questionnaires.select(|q| q.consultation_id == c);
        // Two devices may each have made "the next" version offline; the id breaks the tie.
        sort_by_key(&mut v, |(id, q)| (q.version, *id));
        v
    }

    /// The version new responses should answer: the highest.
    pub fn current_questionnaire(
        &self,
        c: ConsultationId,
    ) -> Option<(QuestionnaireId, &Questionnaire)> {
        self.questionnaire_versions_of(c).pop()
    }

    /// A consultation's responses in the order they were captured (hidden ones included).
    pub fn responses_of(&self, c: ConsultationId) -> Vec<(ResponseId, &Response)> {
        let mut v = self.responses.select(|r| r.consultation_id == c);
        sort_by_key(&mut v, |(id, r)| (r.captured_at, *id));
        v
    }

    /// A consultation's "you said, we did" findings, in the order they were written.
    pub fn findings_of(&self, c: ConsultationId) -> Vec<(FindingId, &Finding)> {
        self.findings.select(|f| f.consultation_id == c)
    }

    pub fn is_pending(&self, key: RecordRef) -> bool {
        self.pending.contains(&key)
    }

    pub fn base_version(&self, key: RecordRef) -> Option<Seq> {
        self.versions.get(&key).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{BodyKind, LineKind, MembershipRole, Sector};
    use crate::ids::MutationId;

    fn id(n: u8) -> Uuid {
        crate::ids::uuid_v7(u64::from(n), [n; 10])
    }

    fn upsert(n: u8, kind: EntityKind, record: Uuid, entity: &Entity) -> Mutation {
        Mutation {
            id: MutationId(id(100 + n)),
            kind,
            record_id: record,
            op: Op::Upsert {
                base_version: None,
                fields: entity.to_fields(),
            },
        }
    }

    fn seeded() -> (Replica, PartnershipId, BodyId, BodyId) {
        let p = PartnershipId(id(1));
        let board = BodyId(id(2));
        let group = BodyId(id(3));
        let mut r = Replica::default();
        let records = [
            (
                EntityKind::Partnership,
                p.0,
                Entity::Partnership(Partnership {
                    name: "Basingstoke and Deane LSP".into(),
                    area: "Basingstoke and Deane".into(),
                    description: String::new(),
                    published: true,
                    archived: false,
                }),
            ),
            (
                EntityKind::Body,
                board.0,
                Entity::Body(Body {
                    partnership_id: p,
                    name: "LSP Board".into(),
                    kind: BodyKind::Board,
                    terms_of_reference: String::new(),
                }),
            ),
            (
                EntityKind::Body,
                group.0,
                Entity::Body(Body {
                    partnership_id: p,
                    name: "Management Group".into(),
                    kind: BodyKind::ManagementGroup,
                    terms_of_reference: String::new(),
                }),
            ),
            (
                EntityKind::ReportingLine,
                id(4),
                Entity::ReportingLine(ReportingLine {
                    partnership_id: p,
                    from_body_id: group,
                    to_body_id: board,
                    kind: LineKind::ReportsTo,
                    note: String::new(),
                }),
            ),
        ];
        for (i, (kind, rid, e)) in records.into_iter().enumerate() {
            r.apply_change(&Change {
                kind,
                id: rid,
                version: Seq(i as u64 + 1),
                deleted: false,
                fields: Some(e.to_fields()),
            });
        }
        (r, p, board, group)
    }

    #[test]
    fn pulled_changes_show_in_the_view_and_move_the_cursor() {
        let (r, p, board, group) = seeded();
        assert_eq!(r.cursor, Seq(4));
        let snap = r.view(&[]);
        assert_eq!(snap.bodies_of(p).len(), 2);
        assert_eq!(snap.lines_to(board).len(), 1);
        assert_eq!(snap.lines_from(group).len(), 1);
        assert_eq!(snap.base_version((EntityKind::Body, board.0)), Some(Seq(2)));
    }

    #[test]
    fn a_tombstone_removes_the_record() {
        let (mut r, p, _board, group) = seeded();
        r.apply_change(&Change {
            kind: EntityKind::Body,
            id: group.0,
            version: Seq(9),
            deleted: true,
            fields: None,
        });
        let snap = r.view(&[]);
        assert_eq!(snap.bodies_of(p).len(), 1);
        // The line from the deleted group refers to a missing body, so it is not shown.
        assert!(snap.lines.is_empty());
        assert_eq!(r.cursor, Seq(9));
    }

    #[test]
    fn a_record_whose_fields_do_not_parse_is_kept_as_fields_and_not_shown_typed() {
        // A body written by a newer version of the app, with a kind this one does not know.
        let (mut r, p, board, group) = seeded();
        let mut fields = (*r.records[&(EntityKind::Body, group.0)].fields).clone();
        fields.insert("kind".into(), "citizens_jury".into());
        r.apply_change(&Change {
            kind: EntityKind::Body,
            id: group.0,
            version: Seq(5),
            deleted: false,
            fields: Some(fields),
        });
        let snap = r.view(&[]);
        assert_eq!(snap.bodies_of(p).len(), 1);
        assert!(!snap.bodies.contains_key(&group));
        // It is still there: nothing may be saved as if it were gone, and its line (which
        // parses) is kept; pages look a line's bodies up and pass over one they cannot read.
        assert!(snap.contains((EntityKind::Body, group.0)));
        assert_eq!(snap.lines_to(board).len(), 1);
        assert_eq!(snap.base_version((EntityKind::Body, group.0)), Some(Seq(5)));
        // Reading the bodies again gives the same answer (the typed table is kept).
        assert_eq!(snap.bodies.len(), 1);
    }

    #[test]
    fn a_pending_edit_shows_at_once_and_is_marked_pending() {
        let (r, _p, board, _group) = seeded();
        let mut fields = Map::new();
        fields.insert("name".into(), "Basingstoke and Deane LSP Board".into());
        let m = Mutation {
            id: MutationId(id(50)),
            kind: EntityKind::Body,
            record_id: board.0,
            op: Op::Upsert {
                base_version: Some(Seq(2)),
                fields,
            },
        };
        let snap = r.view(&[m]);
        assert_eq!(snap.body_name(board), "Basingstoke and Deane LSP Board");
        assert!(snap.is_pending((EntityKind::Body, board.0)));
        // Untouched fields keep their server values.
        assert_eq!(snap.bodies[&board].kind, BodyKind::Board);
    }

    #[test]
    fn a_pending_delete_hides_the_record_and_what_refers_to_it() {
        let (r, p, board, _group) = seeded();
        let snap = r.view(&[]);
        assert_eq!(snap.dependents((EntityKind::Body, board.0)).len(), 1);
        let m = Mutation {
            id: MutationId(id(51)),
            kind: EntityKind::Body,
            record_id: board.0,
            op: Op::Delete {
                base_version: Some(Seq(2)),
            },
        };
        let snap = r.view(&[m]);
        assert_eq!(snap.bodies_of(p).len(), 1);
        assert!(snap.lines.is_empty());
    }

    #[test]
    fn records_created_offline_appear_with_their_children() {
        let (r, p, board, _group) = seeded();
        let org = OrganisationId(id(60));
        let seat = MembershipId(id(61));
        let pending = vec![
            upsert(
                1,
                EntityKind::Organisation,
                org.0,
                &Entity::Organisation(Organisation {
                    partnership_id: p,
                    name: "Hampshire Constabulary".into(),
                    sector: Sector::Public,
                    named_partner: true,
                    description: String::new(),
                }),
            ),
            upsert(
                2,
                EntityKind::Membership,
                seat.0,
                &Entity::Membership(Membership {
                    partnership_id: p,
                    body_id: board,
                    organisation_id: Some(org),
                    person: String::new(),
                    role: MembershipRole::Member,
                    independent: false,
                    interim: false,
                    represents: String::new(),
                }),
            ),
        ];
        let snap = r.view(&pending);
        assert_eq!(snap.organisations_of(p).len(), 1);
        let members = snap.members_of(board);
        assert_eq!(members.len(), 1);
        assert_eq!(snap.seat_name(members[0].1), "Hampshire Constabulary");
        assert_eq!(snap.seats_of(org).len(), 1);
        assert_eq!(snap.base_version((EntityKind::Organisation, org.0)), None);
    }

    #[test]
    fn a_consultation_lists_its_events_versions_responses_and_findings() {
        use crate::consultation::{Channel, Question, QuestionKind};
        let (r, p, board, _group) = seeded();
        let c = ConsultationId(id(70));
        let event = ConsultationEventId(id(71));
        let v1 = QuestionnaireId(id(72));
        let v2 = QuestionnaireId(id(73));
        let answer = ResponseId(id(74));
        let questionnaire = |version| {
            Entity::Questionnaire(Questionnaire {
                partnership_id: p,
                consultation_id: c,
                version,
                questions: vec![Question {
                    key: "say".into(),
                    text: "Anything else?".into(),
                    hint: String::new(),
                    required: false,
                    kind: QuestionKind::FreeText { max_chars: 500 },
                }],
                opened_for_answers: false,
            })
        };
        let pending = vec![
            upsert(
                1,
                EntityKind::Consultation,
                c.0,
                &Entity::Consultation(Consultation {
                    partnership_id: p,
                    title: "Our priorities".into(),
                    purpose: String::new(),
                    opens_on: Some(crate::date::IsoDate::known(2010, 1, 1)),
                    closes_on: None,
                    suppression_threshold: 5,
                    archived: false,
                }),
            ),
            upsert(
                2,
                EntityKind::ConsultationEvent,
                event.0,
                &Entity::ConsultationEvent(ConsultationEvent {
                    partnership_id: p,
                    consultation_id: c,
                    name: "Town centre stall".into(),
                    date: crate::date::IsoDate::known(2010, 1, 23),
                    venue: String::new(),
                }),
            ),
            // Made offline out of order: the view still sorts the versions.
            upsert(3, EntityKind::Questionnaire, v2.0, &questionnaire(2)),
            upsert(4, EntityKind::Questionnaire, v1.0, &questionnaire(1)),
            upsert(
                5,
                EntityKind::Response,
                answer.0,
                &Entity::Response(Response {
                    partnership_id: p,
                    consultation_id: c,
                    questionnaire_id: v1,
                    event_id: Some(event),
                    device_id: crate::ids::DeviceId(id(75)),
                    channel: Channel::Kiosk,
                    captured_at: 1_264_000_000_000,
                    answers: Default::default(),
                    hidden: false,
                    accepted: false,
                    received_at: None,
                    review: Vec::new(),
                }),
            ),
            upsert(
                6,
                EntityKind::Finding,
                id(76),
                &Entity::Finding(Finding {
                    partnership_id: p,
                    consultation_id: c,
                    text: "Residents asked for safer streets".into(),
                    action: String::new(),
                    body_ids: vec![board],
                    priority_ids: Vec::new(),
                    key_action_ids: Vec::new(),
                }),
            ),
        ];
        let snap = r.view(&pending);
        assert_eq!(snap.consultations_of(p).len(), 1);
        assert_eq!(snap.events_of(c).len(), 1);
        let versions: Vec<u32> = snap
            .questionnaire_versions_of(c)
            .iter()
            .map(|(_, q)| q.version)
            .collect();
        assert_eq!(versions, vec![1, 2]);
        assert_eq!(snap.current_questionnaire(c).map(|(id, _)| id), Some(v2));
        assert_eq!(snap.responses_of(c).len(), 1);
        assert_eq!(snap.findings_of(c).len(), 1);
        assert_eq!(
            snap.entity((EntityKind::Response, answer.0))
                .map(|e| e.kind()),
            Some(EntityKind::Response)
        );
        // Everything the answer was given to holds it, so none of them can be deleted; the
        // version it answered is locked, the newer one (nobody has answered) is not.
        for key in [
            (EntityKind::Partnership, p.0),
            (EntityKind::Consultation, c.0),
            (EntityKind::ConsultationEvent, event.0),
            (EntityKind::Questionnaire, v1.0),
        ] {
            assert_eq!(snap.answers_held_by(key), 1, "{key:?}");
        }
        assert_eq!(snap.answers_held_by((EntityKind::Body, board.0)), 0);
        assert!(snap.questionnaire_locked(v1));
        assert!(!snap.questionnaire_locked(v2));

        // Deleting the event takes the response captured at it out of the view, as the
        // server would.
        let mut gone = pending.clone();
        gone.push(Mutation {
            id: MutationId(id(120)),
            kind: EntityKind::ConsultationEvent,
            record_id: event.0,
            op: Op::Delete { base_version: None },
        });
        let snap = r.view(&gone);
        assert!(snap.responses_of(c).is_empty());
        assert_eq!(snap.questionnaire_versions_of(c).len(), 2);
    }

    #[test]
    fn an_answer_laid_on_the_view_gives_the_same_view_as_starting_again() {
        let (r, p, board, group) = seeded();
        let membership = |person: &str| Membership {
            partnership_id: p,
            body_id: board,
            organisation_id: None,
            person: person.into(),
            role: MembershipRole::Member,
            independent: false,
            interim: false,
            represents: String::new(),
        };
        let seat = |n: u8, person: &str| {
            let m = membership(person);
            (
                upsert(
                    n,
                    EntityKind::Membership,
                    id(70 + n),
                    &Entity::Membership(m.clone()),
                ),
                Draft::of(m),
            )
        };
        let (first, _) = seat(1, "Councillor Robin Nicoll");
        let mut pending = vec![first];
        let mut snap = r.view(&pending);
        // The typed seats are read once, so each lay updates them in place.
        assert_eq!(snap.memberships.len(), 1);
        // A new seat, then an edit of it: both laid on incrementally.
        let (second, draft) = seat(2, "Partnership Manager");
        assert!(r.apply_to_view(&mut snap, &second, &draft));
        pending.push(second);
        let view = r.view(&pending);
        assert_eq!(snap, view);
        assert_eq!(*snap.memberships, *view.memberships);
        assert_eq!(snap.memberships.len(), 2);
        let (mut rename, draft) = seat(2, "Partnership Manager (interim)");
        rename.id = MutationId(id(99));
        assert!(r.apply_to_view(&mut snap, &rename, &draft));
        pending.push(rename);
        let view = r.view(&pending);
        assert_eq!(snap, view);
        assert_eq!(*snap.memberships, *view.memberships);
        // A seat on a body that does not exist is left out, as the view leaves it out.
        let (mut orphan, draft) = seat(3, "Nobody");
        if let Op::Upsert { fields, .. } = &mut orphan.op {
            fields.insert("body_id".into(), id(98).to_string().into());
        }
        assert!(r.apply_to_view(&mut snap, &orphan, &draft));
        pending.push(orphan);
        let view = r.view(&pending);
        assert_eq!(snap, view);
        assert_eq!(*snap.memberships, *view.memberships);
        // A seat whose fields no longer parse stays in its table as fields, and leaves the
        // typed seats, as a new view reads it.
        let (mut broken, draft) = seat(2, "Partnership Manager");
        broken.id = MutationId(id(95));
        if let Op::Upsert { fields, .. } = &mut broken.op {
            fields.insert("role".into(), "no such role".into());
        }
        assert!(r.apply_to_view(&mut snap, &broken, &draft));
        pending.push(broken);
        let view = r.view(&pending);
        assert_eq!(snap, view);
        assert_eq!(*snap.memberships, *view.memberships);
        assert!(snap.contains((EntityKind::Membership, id(72))));
        assert_eq!(snap.memberships.len(), 1);
        // A draft of another kind than the change's is not laid.
        let before = snap.clone();
        let (seat_four, _) = seat(4, "Someone");
        assert!(!r.apply_to_view(
            &mut snap,
            &seat_four,
            &Draft::of(Body {
                partnership_id: p,
                name: "Housing".into(),
                kind: BodyKind::PriorityActionGroup,
                terms_of_reference: String::new(),
            })
        ));
        assert_eq!(snap, before);
        // A body (something refers to bodies) and a delete need a new view.
        let housing = Body {
            partnership_id: p,
            name: "Housing".into(),
            kind: BodyKind::PriorityActionGroup,
            terms_of_reference: String::new(),
        };
        let body = upsert(4, EntityKind::Body, id(97), &Entity::Body(housing.clone()));
        assert!(!r.apply_to_view(&mut snap, &body, &Draft::of(housing.clone())));
        let delete = Mutation {
            id: MutationId(id(96)),
            kind: EntityKind::Body,
            record_id: group.0,
            op: Op::Delete { base_version: None },
        };
        assert!(!r.apply_to_view(&mut snap, &delete, &Draft::of(housing)));
        assert_eq!(snap, before);
    }
}
