//! One kind's records in a [`Snapshot`]: kept as their fields (JSON), read as typed values.
//!
//! A device's view of the data is built from fields: which records it shows (every record
//! whose references are all shown) needs only each kind's reference fields, which are data
//! ([`EntityKind::refers_to`]). A kind's records are parsed into typed values the first time
//! something reads them ([`Table`] dereferences to the typed records, [`Rows`]), by code
//! generic over the kind. So the browser compiles a kind's reading only into the parts of the
//! app whose pages read it, not into the core every page needs: the app's first load holds
//! the store, not every kind's parsing and validation.
//!
//! Writing works the same way round: a page turns the typed record it saves into a
//! [`Draft`] (its fields, references and check, made by code for that kind alone), and the
//! store handles drafts.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::entity::{
    EntityError, EntityKind, Record, RecordRef, from_fields, reference_fields, to_fields,
};
use crate::replica::Snapshot;
use crate::rows::{Iter, Rows};

/// A kind of record with a table in [`Snapshot`]: implemented for every kind of the
/// registry (`for_each_record!`), which also gives it its [`EntityKind`].
pub trait Tabled: Record {
    const KIND: EntityKind;
    fn table_mut(snapshot: &mut Snapshot) -> &mut Table<Self>;
}

/// One kind's records as a device shows them: their fields by id, and the typed records
/// parsed from them on first read (records whose fields do not parse, written by another
/// version of the app, are kept as fields and left out of the typed map).
pub struct Table<T> {
    /// Shared with the replica the view was made from, where unchanged.
    fields: BTreeMap<Uuid, Arc<Map<String, Value>>>,
    /// `Rows<T::Id, T>`, behind `Any` so that dropping or cloning a table (which the
    /// store does with every new view) compiles no code for `T`.
    typed: OnceLock<Arc<dyn Any + Send + Sync>>,
    kind: PhantomData<fn() -> T>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            fields: BTreeMap::new(),
            typed: OnceLock::new(),
            kind: PhantomData,
        }
    }
}

impl<T> Clone for Table<T> {
    fn clone(&self) -> Self {
        Self {
            fields: self.fields.clone(),
            typed: self.typed.clone(),
            kind: PhantomData,
        }
    }
}

/// Tables are equal when they hold the same fields; the typed records follow from them.
impl<T> PartialEq for Table<T> {
    fn eq(&self, other: &Self) -> bool {
        self.fields == other.fields
    }
}

impl<T> fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(&self.fields).finish()
    }
}

/// Code that needs no typed record: the view's own bookkeeping.
impl<T> Table<T> {
    /// Whether the record is shown (its fields may still fail to parse, see [`Table`]).
    pub fn shows(&self, id: Uuid) -> bool {
        self.fields.contains_key(&id)
    }

    /// The record's fields as shown.
    pub fn fields(&self, id: Uuid) -> Option<&Map<String, Value>> {
        self.fields.get(&id).map(|f| &**f)
    }

    /// Every record's fields, by id.
    pub fn all_fields(&self) -> impl Iterator<Item = (Uuid, &Map<String, Value>)> {
        self.fields.iter().map(|(id, f)| (*id, &**f))
    }

    /// Puts a record's fields in the table, forgetting the typed records (read again when
    /// next needed).
    pub(crate) fn put_fields(&mut self, id: Uuid, fields: Arc<Map<String, Value>>) {
        self.fields.insert(id, fields);
        self.typed = OnceLock::new();
    }

    /// Takes a record out, forgetting the typed records.
    pub(crate) fn take(&mut self, id: Uuid) {
        if self.fields.remove(&id).is_some() {
            self.typed = OnceLock::new();
        }
    }
}

/// The typed map held behind `Any`. It is only ever stored by [`Table::typed`] and
/// [`Table::typed_mut`], with this type.
fn downcast<T: Tabled>(any: &(dyn Any + Send + Sync)) -> &Rows<T::Id, T> {
    any.downcast_ref()
        .expect("a table holds typed records of its own kind")
}

impl<T: Tabled> Table<T> {
    fn parse_all(&self) -> Rows<T::Id, T> {
        // In id order, so each record is added at the end.
        self.fields
            .iter()
            .filter_map(|(id, f)| {
                from_fields::<T>(T::KIND, f)
                    .ok()
                    .map(|v| (T::Id::from(*id), v))
            })
            .collect()
    }

    /// The typed records, parsed on first read.
    pub fn typed(&self) -> &Rows<T::Id, T> {
        downcast(&**self.typed.get_or_init(|| Arc::new(self.parse_all())))
    }

    /// The typed records to change: parsed first if they were not, and copied if another
    /// view shares them.
    fn typed_mut(&mut self) -> &mut Rows<T::Id, T> {
        let map = match self.typed.take() {
            Some(any) => match any.downcast::<Rows<T::Id, T>>() {
                Ok(map) => Arc::unwrap_or_clone(map),
                Err(_) => self.parse_all(),
            },
            None => self.parse_all(),
        };
        self.typed = OnceLock::from(Arc::new(map) as Arc<dyn Any + Send + Sync>);
        self.typed
            .get_mut()
            .and_then(Arc::get_mut)
            .and_then(|any| any.downcast_mut())
            .expect("a table's typed records were just made its own")
    }

    /// Stores a typed record as it is (a test or the server building a snapshot by hand),
    /// with its fields. Returns the record it replaced.
    pub fn insert(&mut self, id: T::Id, value: T) -> Option<T> {
        self.fields.insert(id.into(), Arc::new(to_fields(&value)));
        self.typed_mut().insert(id, value)
    }

    /// Takes a record out. Returns it.
    pub fn remove(&mut self, id: &T::Id) -> Option<T> {
        self.fields.remove(&(*id).into());
        self.typed_mut().remove(id)
    }

    /// Keeps only the records `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&T::Id, &mut T) -> bool) {
        let typed = self.typed_mut();
        typed.retain(|id, v| keep(id, v));
        let kept: std::collections::BTreeSet<Uuid> =
            crate::order::set_of(typed.keys().map(|id| (*id).into()));
        self.fields.retain(|id, _| kept.contains(id));
    }

    /// Empties the table.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// A record to change in place; its fields are written again when the guard is dropped.
    pub fn get_mut(&mut self, id: &T::Id) -> Option<RowMut<'_, T>> {
        let value = self.typed().get(id)?.clone();
        Some(RowMut {
            table: self,
            id: *id,
            value: Some(value),
        })
    }

    /// Lays one record's new fields on the table: parsed at once into the typed records
    /// when they have been read already, so a save costs one record, not the kind's all.
    fn lay(&mut self, id: Uuid, fields: Map<String, Value>) {
        let parsed = self
            .typed
            .get()
            .is_some()
            .then(|| from_fields::<T>(T::KIND, &fields).ok());
        self.fields.insert(id, Arc::new(fields));
        match parsed {
            None => {}
            Some(Some(value)) => {
                self.typed_mut().insert(id.into(), value);
            }
            Some(None) => {
                self.typed_mut().remove(&id.into());
            }
        }
    }
}

/// A record of a [`Table`] being changed in place ([`Table::get_mut`]).
pub struct RowMut<'a, T: Tabled> {
    table: &'a mut Table<T>,
    id: T::Id,
    value: Option<T>,
}

impl<T: Tabled> Deref for RowMut<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
            .as_ref()
            .expect("a row holds its value until dropped")
    }
}

impl<T: Tabled> DerefMut for RowMut<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value
            .as_mut()
            .expect("a row holds its value until dropped")
    }
}

impl<T: Tabled> Drop for RowMut<'_, T> {
    fn drop(&mut self) {
        if let Some(value) = self.value.take() {
            self.table.insert(self.id, value);
        }
    }
}

impl<T: Tabled> Deref for Table<T> {
    type Target = Rows<T::Id, T>;
    fn deref(&self) -> &Self::Target {
        self.typed()
    }
}

impl<'a, T: Tabled> IntoIterator for &'a Table<T> {
    type Item = (&'a T::Id, &'a T);
    type IntoIter = Iter<'a, T::Id, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.typed().iter()
    }
}

/// A record a page saves, as the store needs it: its kind, its fields, the records it
/// refers to, and whether its fields are a valid record of its kind. Made from the typed
/// record by [`Draft::of`], so only the saving page's part holds that kind's writing.
#[derive(Debug)]
pub struct Draft {
    pub kind: EntityKind,
    pub fields: Map<String, Value>,
    /// The records it refers to: each must be shown for the save to go ahead.
    pub references: Vec<RecordRef>,
    /// Why the fields are not a valid record of the kind, if they are not.
    pub check: Result<(), EntityError>,
    /// Lays the saved fields on a view's table of this kind.
    lay: fn(&mut Snapshot, Uuid, Map<String, Value>),
}

impl Draft {
    pub fn of<T: Tabled>(value: T) -> Self {
        let fields = to_fields(&value);
        // Read back as the server will: what it refuses, the page hears now.
        let check = from_fields::<T>(T::KIND, &fields).map(drop);
        Self {
            kind: T::KIND,
            references: reference_fields(&value)
                .into_iter()
                .map(|r| r.key())
                .collect(),
            fields,
            check,
            lay: |snapshot, id, fields| T::table_mut(snapshot).lay(id, fields),
        }
    }

    /// Lays `fields` of record `id` of this draft's kind on `snapshot`'s table.
    pub fn lay(&self, snapshot: &mut Snapshot, id: Uuid, fields: Map<String, Value>) {
        (self.lay)(snapshot, id, fields);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{GlossaryTermId, PartnershipId};
    use crate::training::GlossaryTerm;

    fn id(n: u8) -> Uuid {
        crate::ids::uuid_v7(u64::from(n), [n; 10])
    }

    fn term(name: &str) -> GlossaryTerm {
        GlossaryTerm {
            partnership_id: PartnershipId(id(1)),
            term: name.into(),
            meaning: "Local Strategic Partnership".into(),
        }
    }

    #[test]
    fn a_table_reads_its_fields_once_and_keeps_them_in_step_with_every_change() {
        let mut t: Table<GlossaryTerm> = Table::default();
        t.put_fields(id(2), Arc::new(to_fields(&term("LSP"))));
        // Fields that are not a glossary term are kept, and not read as one.
        let mut broken = to_fields(&term("SCS"));
        broken.remove("term");
        t.put_fields(id(3), Arc::new(broken));
        assert_eq!(t.len(), 1);
        assert!(t.shows(id(3)));
        let first: *const Rows<GlossaryTermId, GlossaryTerm> = t.typed();
        assert!(std::ptr::eq(first, t.typed()), "read once, then kept");

        // A copy shares the typed records; changing one leaves the other as it was.
        let copy = t.clone();
        t.insert(GlossaryTermId(id(4)), term("O&S"));
        assert_eq!(t.len(), 2);
        assert_eq!(copy.len(), 1);
        assert_eq!(t.fields(id(4)), Some(&to_fields(&term("O&S"))));

        if let Some(mut row) = t.get_mut(&GlossaryTermId(id(4))) {
            row.meaning = "Overview and Scrutiny".into();
        }
        assert_eq!(t[&GlossaryTermId(id(4))].meaning, "Overview and Scrutiny");
        assert_eq!(
            t.fields(id(4)).and_then(|f| f.get("meaning")),
            Some(&Value::from("Overview and Scrutiny"))
        );

        t.retain(|_, g| g.term != "LSP");
        assert!(!t.shows(id(2)));
        // A record that did not parse is not kept by `retain`, which sees typed records.
        assert!(!t.shows(id(3)));
        assert_eq!(
            t.remove(&GlossaryTermId(id(4))).map(|g| g.term),
            Some("O&S".into())
        );
        assert!(t.is_empty());
        assert!(!t.shows(id(4)));
        assert_eq!(copy.len(), 1);
    }

    #[test]
    fn a_record_laid_on_a_table_is_read_at_once_only_when_the_table_was_read() {
        let mut snap = Snapshot::default();
        let draft = Draft::of(term("LSP"));
        assert!(draft.check.is_ok());
        assert_eq!(draft.references, vec![(EntityKind::Partnership, id(1))]);
        // Not read yet: the fields go in, and are read with the rest.
        draft.lay(&mut snap, id(2), draft.fields.clone());
        assert!(snap.glossary.typed.get().is_none());
        assert_eq!(snap.glossary.len(), 1);
        // Read: a new record is read at once, and one that does not parse leaves.
        Draft::of(term("SCS")).lay(&mut snap, id(3), to_fields(&term("SCS")));
        assert_eq!(snap.glossary.len(), 2);
        let mut broken = to_fields(&term("SCS"));
        broken.insert("term".into(), Value::Null);
        draft.lay(&mut snap, id(3), broken);
        assert_eq!(snap.glossary.len(), 1);
        assert!(snap.contains((EntityKind::GlossaryTerm, id(3))));
    }

    #[test]
    fn a_draft_says_why_a_record_would_be_refused() {
        let draft = Draft::of(term("   "));
        let Err(e) = &draft.check else {
            panic!("a blank term is refused");
        };
        assert_eq!(e.field_errors()[0].field, "term");
    }
}
