//! Reusable pieces of the interface. They take plain props (signals, ids, callbacks) so they
//! can be mounted in tests without a store; the few `*Bar`/`Notices` wrappers read the store.

pub mod download;
pub mod file;
pub mod form;
pub mod glossary;
pub mod layout;
pub mod record_page;
pub mod sync_status;

pub use file::{FileField, chosen_file_text, on_check_file};
pub use form::{
    AtlasForm, Checkbox, CheckboxGroup, Choice, EnumSelect, ErrorSummary, FormActions, FormErrors,
    Inputs, RecordSelect, TextArea, TextField,
};
pub use glossary::GlossedText;
pub use layout::{
    AccountView, Breadcrumbs, Crumb, Layout, LoadingState, PageNotFound, PendingTag,
    RecordNotFound, Tag, first_visit, gate, set_title,
};
pub use record_page::{FormPage, record_form_page, use_save};
pub use sync_status::{NoticesView, SyncStatusView, describe_status};
