//! The audit log as managers and administrators read it: who changed what, when and from
//! which address, for a partnership (newest first, a page at a time) or for one record with
//! each field's value before and after. The server keeps one history row per change applied
//! and per change refused; these are those rows.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::entity::EntityKind;
use crate::order::sort;

/// How many entries one page of a partnership's history holds.
pub const HISTORY_PAGE: usize = 50;

/// Who made a change, as the server recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Actor {
    /// A signed-in person (their name now; `None` if the account is gone).
    Person { id: Uuid, name: Option<String> },
    /// A registered tablet.
    Tablet { id: Uuid },
    /// A resident through a public link, not signed in.
    Public,
    /// The server itself (the demo data, a manager's counting of a refused answer).
    Server,
    /// Made before the server recorded who made changes.
    NotRecorded,
}

impl Actor {
    /// The actor as the history stores it: `user:<id>`, `tablet:<id>`, `public`, or another
    /// word for the server's own changes. `name` is the person's name, if known.
    pub fn from_stored(actor: Option<&str>, name: Option<String>) -> Self {
        let Some(actor) = actor else {
            return Actor::NotRecorded;
        };
        let id = |rest: &str| Uuid::parse_str(rest).ok();
        if let Some(person) = actor.strip_prefix("user:").and_then(id) {
            // The nil id is the server acting with an administrator's rights (the demo).
            if person.is_nil() {
                return Actor::Server;
            }
            Actor::Person { id: person, name }
        } else if let Some(tablet) = actor.strip_prefix("tablet:").and_then(id) {
            Actor::Tablet { id: tablet }
        } else if actor == "public" {
            Actor::Public
        } else {
            Actor::Server
        }
    }

    /// In words, for the history table.
    pub fn describe(&self) -> String {
        match self {
            Actor::Person { name: Some(n), .. } => n.clone(),
            Actor::Person { name: None, .. } => "A person whose account is gone".to_owned(),
            Actor::Tablet { id } => {
                let short: String = id.simple().to_string().chars().rev().take(6).collect();
                format!("Tablet …{}", short.chars().rev().collect::<String>())
            }
            Actor::Public => "A resident, through a public link".to_owned(),
            Actor::Server => "The server".to_owned(),
            Actor::NotRecorded => "Not recorded".to_owned(),
        }
    }
}

/// What a history row records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Delete,
    /// Deleted because a record it belonged to was deleted.
    CascadeDelete,
    /// Refused: not stored (the reason is in the server's refused changes).
    Rejected,
}

impl Action {
    pub fn parse(stored: &str) -> Option<Self> {
        Some(match stored {
            "create" => Action::Create,
            "update" => Action::Update,
            "delete" => Action::Delete,
            "cascade_delete" => Action::CascadeDelete,
            "rejected" => Action::Rejected,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Create => "Added",
            Action::Update => "Changed",
            Action::Delete => "Deleted",
            Action::CascadeDelete => "Deleted with what it belonged to",
            Action::Rejected => "Refused",
        }
    }
}

/// One field a change set, with its value before and after (`None`: absent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    #[serde(default)]
    pub before: Option<Value>,
    #[serde(default)]
    pub after: Option<Value>,
}

/// One row of the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The row's number: later rows have larger ones.
    pub id: i64,
    /// When, as the server's clock said (UTC, `2026-12-02T15:04:05.123Z`).
    pub at: String,
    pub kind: EntityKind,
    pub record_id: Uuid,
    pub action: Action,
    pub by: Actor,
    /// The client's address, when recorded.
    #[serde(default)]
    pub address: Option<String>,
    /// The fields the change set. A partnership's history gives their names only (values
    /// `None`); a record's history gives the values too.
    pub changes: Vec<FieldChange>,
}

/// A page of history, newest first; `older` is the `before` that asks for the next page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    #[serde(default)]
    pub older: Option<i64>,
}

/// The fields that differ between `before` and `after` (either absent: everything the other
/// has), in name order, with both values.
pub fn field_changes(
    before: Option<&Map<String, Value>>,
    after: Option<&Map<String, Value>>,
) -> Vec<FieldChange> {
    let empty = Map::new();
    let (b, a) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
    let mut names: Vec<&String> = b.keys().chain(a.keys()).collect();
    sort(&mut names);
    names.dedup();
    names
        .into_iter()
        .filter(|name| b.get(*name) != a.get(*name))
        .map(|name| FieldChange {
            field: name.clone(),
            before: b.get(name).cloned(),
            after: a.get(name).cloned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn a_change_lists_only_the_fields_that_differ_with_both_values() {
        let before = map(json!({ "name": "LSP Board", "kind": "board", "note": "" }));
        let after = map(json!({ "name": "Partnership Board", "kind": "board", "chair": "x" }));
        let changes = field_changes(Some(&before), Some(&after));
        let names: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(names, ["chair", "name", "note"]);
        assert_eq!(changes[1].before, Some(json!("LSP Board")));
        assert_eq!(changes[1].after, Some(json!("Partnership Board")));
        assert_eq!(changes[2].after, None);
        // A creation lists every field it set; a deletion every field it removed.
        assert_eq!(field_changes(None, Some(&after)).len(), 3);
        assert_eq!(field_changes(Some(&before), None).len(), 3);
    }

    #[test]
    fn the_stored_actor_reads_back_as_who_it_was() {
        let id = Uuid::from_u128(7);
        let person = Actor::from_stored(Some(&format!("user:{id}")), Some("Helen".into()));
        assert_eq!(person.describe(), "Helen");
        let tablet = Actor::from_stored(Some(&format!("tablet:{id}")), None);
        assert_eq!(tablet.describe(), "Tablet …000007");
        assert_eq!(Actor::from_stored(Some("public"), None), Actor::Public);
        assert_eq!(Actor::from_stored(Some("server"), None), Actor::Server);
        let nil = format!("user:{}", Uuid::nil());
        assert_eq!(Actor::from_stored(Some(&nil), None), Actor::Server);
        assert_eq!(
            Actor::from_stored(Some("user:not-an-id"), None),
            Actor::Server
        );
        assert_eq!(Actor::from_stored(None, None), Actor::NotRecorded);
    }
}
