//! Changes the server refused, kept on the device until the person decides what to do with
//! them ("needs attention"). Nothing a person gave the app is dropped because a server said no:
//! a refused change leaves the outbox for this list, survives reloads and restarts, goes into
//! rescue files, and leaves the device only when the person sends it again (as a new mutation,
//! so the server looks at it afresh) or discards it after a warning that says what is lost.
//!
//! This module holds the pure part: what was refused and why, and the plain-English words for
//! it, grouped ("3 answers: the questionnaire changed …"), never mutation ids.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::entity::EntityKind;
use crate::ids::DeviceId;
use crate::sync::{Mutation, Op, Rejection, Seq};
use crate::validate::FieldError;

/// Why the server did not take a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Refusal {
    /// The server found the change invalid (HTTP 422): its fields broke a rule.
    Invalid { fields: Vec<FieldError> },
    /// The server did not apply it because of what others did (see [`Rejection`]).
    Rejected { reason: Rejection },
}

/// A refused change as the device keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeldChange {
    pub mutation: Mutation,
    pub refusal: Refusal,
    /// The server's own sentence, kept for support; people read [`HeldChange::reason`].
    #[serde(default)]
    pub server_message: String,
    /// When the device set it aside, ms since the Unix epoch (the device's clock).
    pub held_at: i64,
}

impl HeldChange {
    /// Why it was refused, in plain English, for the person who made it.
    pub fn reason(&self) -> String {
        let kind = self.mutation.kind;
        match &self.refusal {
            Refusal::Rejected { reason } => match reason {
                Rejection::RecordDeleted => {
                    format!("someone else deleted the {} before it arrived", kind.noun())
                }
                Rejection::MissingReference { entity, .. } => format!(
                    "the {} it belongs to was deleted before it arrived",
                    entity.noun()
                ),
                Rejection::HoldsAnswers { count } => format!(
                    "{} belong to it, and answers are never deleted{}",
                    count_of(*count, "resident's answer", "residents' answers"),
                    if kind.can_be_archived() {
                        "; archive it instead"
                    } else {
                        ""
                    }
                ),
                Rejection::ResponseKept => {
                    "answers are never deleted; a moderator can hide one instead".to_owned()
                }
                Rejection::VersionInUse { version } => format!(
                    "the questionnaire changed: residents may be answering version {version}, so \
                     it can no longer be edited"
                ),
                Rejection::NotAllowed => {
                    let why = self.server_message.trim().trim_end_matches('.');
                    if why.is_empty() {
                        "the account that sent it may not make this change".to_owned()
                    } else {
                        format!("it was sent by an account that may not make it: {why}")
                    }
                }
                Rejection::Other => "the server did not accept it".to_owned(),
            },
            Refusal::Invalid { fields } if fields.is_empty() => {
                "the server found a problem with it".to_owned()
            }
            Refusal::Invalid { fields } => {
                let mut messages: Vec<String> = Vec::new();
                for f in fields {
                    let m = f.message.trim_end_matches('.').to_owned();
                    if !messages.contains(&m) {
                        messages.push(m);
                    }
                }
                format!("the server found a problem: {}", messages.join("; "))
            }
        }
    }

    /// Whether sending it again could succeed (a delete that was refused because answers
    /// belong to the record never will).
    pub fn can_send_again(&self) -> bool {
        !matches!(
            self.refusal,
            Refusal::Rejected {
                reason: Rejection::HoldsAnswers { .. } | Rejection::ResponseKept
            }
        )
    }
}

/// "1 answer", "3 answers"; "1 change to a body", "2 changes to a body".
pub fn count_changes(kind: EntityKind, n: usize) -> String {
    if kind == EntityKind::Response {
        return count_of(n as u64, "answer", "answers");
    }
    let noun = kind.noun();
    if n == 1 {
        format!("1 change to a {noun}")
    } else {
        format!("{n} changes to a {noun}")
    }
}

fn count_of(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Held changes grouped by kind and reason, in the order first held: what the device page and
/// the notices say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldGroup {
    pub kind: EntityKind,
    pub reason: String,
    /// Indexes into the list given to [`group`].
    pub members: Vec<usize>,
}

impl HeldGroup {
    /// "3 answers could not be stored: the questionnaire changed …"
    pub fn sentence(&self) -> String {
        let what = count_changes(self.kind, self.members.len());
        let verb = if self.members.len() == 1 {
            "was"
        } else {
            "were"
        };
        format!("{what} {verb} not accepted by the server: {}.", self.reason)
    }
}

pub fn group(held: &[HeldChange]) -> Vec<HeldGroup> {
    group_reasons(held.iter().map(|h| (h.mutation.kind, h.reason())))
}

/// Why a device says a change was refused when it cannot read the server's reason: it was kept
/// by a newer version of the app, which knows reasons this one does not.
pub const UNREADABLE_REASON: &str = "the reason was kept by a newer version of Partnership Atlas than this one (reload the page to update it)";

/// [`group`] for changes given as their kind and reason, such as [`UNREADABLE_REASON`].
pub fn group_reasons(held: impl IntoIterator<Item = (EntityKind, String)>) -> Vec<HeldGroup> {
    let mut groups: Vec<HeldGroup> = Vec::new();
    for (i, (kind, reason)) in held.into_iter().enumerate() {
        match groups
            .iter_mut()
            .find(|g| g.kind == kind && g.reason == reason)
        {
            Some(g) => g.members.push(i),
            None => groups.push(HeldGroup {
                kind,
                reason,
                members: vec![i],
            }),
        }
    }
    groups
}

/// An answer the server did not store, as the server keeps it and a manager sees it on the
/// results page (`GET /api/refused`): the change as it came, why, and the device that sent it.
/// A manager can count it (`POST /api/refused/{mutation_id}/count`) or leave it listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefusedAnswer {
    pub change: HeldChange,
    pub device_id: DeviceId,
}

impl RefusedAnswer {
    fn field(&self, name: &str) -> Option<&Value> {
        match &self.change.mutation.op {
            Op::Upsert { fields, .. } => fields.get(name),
            Op::Delete { .. } => None,
        }
    }

    /// The consultation the answer names, if it names one that parses.
    pub fn consultation_id(&self) -> Option<Uuid> {
        self.field("consultation_id")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
    }

    /// When the resident answered, ms since the Unix epoch (the device's clock), if given.
    pub fn captured_at(&self) -> Option<i64> {
        self.field("captured_at").and_then(Value::as_i64)
    }

    /// The answers as sent, by question key, each as its parts (the options chosen, in order;
    /// or the one value), as text, whatever shape they came in: the manager reads them before
    /// deciding.
    pub fn answers(&self) -> Vec<(String, Vec<String>)> {
        let Some(Value::Object(answers)) = self.field("answers") else {
            return Vec::new();
        };
        answers
            .iter()
            .map(|(key, value)| (key.clone(), answer_parts(value)))
            .collect()
    }
}

/// An answer's JSON as text: `{"type": "one", "value": "a"}` is `["a"]`, a list of options
/// `["a", "b"]`; anything else is shown as the JSON it is.
fn answer_parts(value: &Value) -> Vec<String> {
    let value = match value {
        Value::Object(map) => map.get("value").unwrap_or(value),
        other => other,
    };
    match value {
        Value::Array(items) => items.iter().map(part_text).collect(),
        other => vec![part_text(other)],
    }
}

fn part_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `GET /api/refused`: the answers the server refused that no manager has counted yet,
/// newest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RefusedAnswers {
    pub answers: Vec<RefusedAnswer>,
}

/// `POST /api/refused/{mutation_id}/count`: the answer is stored and counted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountedAnswer {
    pub record_id: Uuid,
    /// The version it was stored at.
    pub version: Seq,
    /// Fields the answer carried that a response does not have, left out when it was stored.
    pub left_out: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{MutationId, uuid_v7};
    use crate::sync::Op;

    fn held(kind: EntityKind, n: u8, refusal: Refusal) -> HeldChange {
        HeldChange {
            mutation: Mutation {
                id: MutationId(uuid_v7(u64::from(n), [n; 10])),
                kind,
                record_id: uuid_v7(u64::from(n), [n; 10]),
                op: Op::Upsert {
                    base_version: None,
                    fields: serde_json::Map::new(),
                },
            },
            refusal,
            server_message: format!("mutation {n} of response {n} was refused"),
            held_at: 1,
        }
    }

    #[test]
    fn refused_answers_are_grouped_and_described_without_ids() {
        let ward = Refusal::Invalid {
            fields: vec![FieldError::new("ward", "Answer the question: Which ward?")],
        };
        let list = vec![
            held(EntityKind::Response, 1, ward.clone()),
            held(
                EntityKind::Body,
                2,
                Refusal::Rejected {
                    reason: Rejection::RecordDeleted,
                },
            ),
            held(EntityKind::Response, 3, ward.clone()),
            held(EntityKind::Response, 4, ward),
        ];
        let groups = group(&list);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].members, vec![0, 2, 3]);
        assert_eq!(
            groups[0].sentence(),
            "3 answers were not accepted by the server: the server found a problem: Answer the \
             question: Which ward?."
        );
        assert_eq!(
            groups[1].sentence(),
            "1 change to a body was not accepted by the server: someone else deleted the body \
             before it arrived."
        );
        for g in &groups {
            assert!(!g.sentence().contains("mutation"), "{}", g.sentence());
        }
    }

    #[test]
    fn a_questionnaire_that_moved_on_is_said_in_plain_words() {
        let h = held(
            EntityKind::Questionnaire,
            1,
            Refusal::Rejected {
                reason: Rejection::VersionInUse { version: 1 },
            },
        );
        assert!(h.reason().starts_with("the questionnaire changed"));
        assert!(h.can_send_again());
        let kept = held(
            EntityKind::Consultation,
            2,
            Refusal::Rejected {
                reason: Rejection::HoldsAnswers { count: 3 },
            },
        );
        assert_eq!(
            kept.reason(),
            "3 residents' answers belong to it, and answers are never deleted; archive it instead"
        );
        assert!(!kept.can_send_again());
    }

    #[test]
    fn a_refused_answer_shows_its_answers_and_consultation_whatever_their_shape() {
        let consultation = uuid_v7(9, [9; 10]);
        let mut h = held(EntityKind::Response, 5, Refusal::Invalid { fields: vec![] });
        h.mutation.op = Op::Upsert {
            base_version: None,
            fields: serde_json::json!({
                "consultation_id": consultation.to_string(),
                "captured_at": 1_700_000_000_000_i64,
                "answers": {
                    "ward": {"type": "one", "value": "Abbey"},
                    "priorities": {"type": "ranked", "value": ["jobs", "parks"]},
                    "safe": {"type": "scale", "value": 2},
                    "odd": [1, {"x": null}],
                },
            })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        };
        let refused = RefusedAnswer {
            change: h,
            device_id: DeviceId(uuid_v7(1, [1; 10])),
        };
        assert_eq!(refused.consultation_id(), Some(consultation));
        assert_eq!(refused.captured_at(), Some(1_700_000_000_000));
        let parts = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            refused.answers(),
            vec![
                ("odd".to_owned(), parts(&["1", r#"{"x":null}"#])),
                ("priorities".to_owned(), parts(&["jobs", "parks"])),
                ("safe".to_owned(), parts(&["2"])),
                ("ward".to_owned(), parts(&["Abbey"])),
            ]
        );
        let empty = RefusedAnswer {
            change: held(EntityKind::Response, 6, Refusal::Invalid { fields: vec![] }),
            device_id: DeviceId(uuid_v7(1, [1; 10])),
        };
        assert_eq!(empty.consultation_id(), None);
        assert!(empty.answers().is_empty());
    }

    #[test]
    fn a_held_change_survives_a_json_round_trip() {
        let h = held(
            EntityKind::Response,
            7,
            Refusal::Invalid {
                fields: vec![FieldError::new("captured_at", "missing")],
            },
        );
        let text = serde_json::to_string(&h).unwrap_or_default();
        let back: HeldChange = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, h);
    }
}
