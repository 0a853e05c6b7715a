//! Registered tablets: the wire types of `/api/tablets` and the sentences both sides show.
//!
//! A partnership manager registers a tablet; the server mints a random token, shows it once
//! (as a link and a QR code) and keeps only its hash. The tablet sends it as a bearer token
//! (`Authorization: Bearer …`) on push and pull, so it captures for days with no person
//! signed in. The link carries the token in its fragment (`/tablet/enrol#<token>`): a
//! fragment never reaches the server's logs or a `Referer`.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::date::IsoDate;
use crate::ids::{ConsultationId, PartnershipId};
use crate::validate::{FieldError, MAX_NAME_CHARS};

/// The page a tablet opens to enrol; the token follows it as the fragment.
pub const ENROL_PATH: &str = "/tablet/enrol";

/// `POST /api/tablets`: registering a tablet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTablet {
    pub partnership_id: PartnershipId,
    /// What the manager calls it: "Hall tablet 3".
    pub name: String,
    /// The consultations it captures for; empty for every consultation of the partnership.
    #[serde(default)]
    pub consultation_ids: Vec<ConsultationId>,
}

impl NewTablet {
    /// The name as stored (trimmed), or the form's error.
    pub fn checked_name(&self) -> Result<String, FieldError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(FieldError::new(
                "name",
                "Enter a name for the tablet, like Hall tablet 3",
            ));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(FieldError::new(
                "name",
                format!("The tablet's name must be {MAX_NAME_CHARS} characters or fewer"),
            ));
        }
        Ok(name.to_owned())
    }
}

/// A registered tablet as a manager sees it (never its token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabletInfo {
    pub id: Uuid,
    pub partnership_id: PartnershipId,
    pub name: String,
    /// Empty: every consultation of the partnership.
    #[serde(default)]
    pub consultation_ids: Vec<ConsultationId>,
    /// When it was registered, ms since the Unix epoch.
    pub created_at: i64,
    pub created_by: Uuid,
    /// When it last reached the server (to the minute), if ever.
    #[serde(default)]
    pub last_seen_at: Option<i64>,
    /// When a manager withdrew it, if one has.
    #[serde(default)]
    pub revoked_at: Option<i64>,
    #[serde(default)]
    pub revoked_by: Option<Uuid>,
}

/// What the rules need of a registered tablet (`Principal::Tablet`): its id and partnership,
/// read from a [`TabletInfo`] with its other fields left unread. The app's core reads only
/// this, at start-up and from each answer of `GET /api/tablet`; the page that shows what a
/// tablet is registered for reads the whole [`TabletInfo`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct TabletIdentity {
    pub id: Uuid,
    pub partnership_id: PartnershipId,
}

impl TabletInfo {
    /// Whether it may capture answers to `consultation`.
    pub fn captures_for(&self, consultation: ConsultationId) -> bool {
        self.consultation_ids.is_empty() || self.consultation_ids.contains(&consultation)
    }

    /// Why the server refuses what it sends, once it was withdrawn.
    pub fn withdrawn_message(&self) -> Option<String> {
        self.revoked_at.map(withdrawn_message)
    }
}

/// What a withdrawn tablet is told about the answers it sends.
pub fn withdrawn_message(revoked_at_ms: i64) -> String {
    let day = IsoDate::from_unix_ms(revoked_at_ms)
        .map(|d| format!(" on {}", d.long()))
        .unwrap_or_default();
    format!(
        "This tablet was withdrawn{day} by a manager. Its answers are kept for a manager of the \
         partnership to count."
    )
}

/// The answer to registering a tablet: the only time its token is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredTablet {
    pub tablet: TabletInfo,
    /// The bearer token (URL-safe base64 of 32 random bytes).
    pub token: String,
    /// The link the tablet opens: `https://host/tablet/enrol#<token>`.
    pub enrol_link: String,
    /// The link as a QR code.
    pub qr: QrMatrix,
}

/// A QR code's modules: `rows[y]` holds `size` characters, `'1'` dark and `'0'` light. The
/// browser draws it as SVG; no QR code is encoded in the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrMatrix {
    pub size: usize,
    pub rows: Vec<String>,
}

impl QrMatrix {
    /// The dark modules, as `(x, y)`.
    pub fn dark(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.rows.iter().enumerate().flat_map(|(y, row)| {
            row.chars()
                .enumerate()
                .filter(|(_, c)| *c == '1')
                .map(move |(x, _)| (x, y))
        })
    }
}

/// `GET /api/tablets?partnership=…`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tablets {
    pub tablets: Vec<TabletInfo>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_withdrawn_message_names_the_day() {
        let day = IsoDate::known(2026, 12, 2).unix_ms() + 3_600_000;
        assert_eq!(
            withdrawn_message(day),
            "This tablet was withdrawn on 2 December 2026 by a manager. Its answers are kept \
             for a manager of the partnership to count."
        );
    }

    #[test]
    fn a_tablet_needs_a_name() {
        let mut t = NewTablet {
            partnership_id: PartnershipId(Uuid::nil()),
            name: "  ".into(),
            consultation_ids: Vec::new(),
        };
        assert_eq!(t.checked_name().err().map(|e| e.field), Some("name".into()));
        t.name = " Hall tablet 3 ".into();
        assert_eq!(t.checked_name(), Ok("Hall tablet 3".into()));
        t.name = "x".repeat(MAX_NAME_CHARS + 1);
        assert!(t.checked_name().is_err());
    }

    #[test]
    fn a_matrix_lists_its_dark_modules() {
        let m = QrMatrix {
            size: 2,
            rows: vec!["10".into(), "01".into()],
        };
        assert_eq!(m.dark().collect::<Vec<_>>(), vec![(0, 0), (1, 1)]);
    }
}
