//! Typed identifiers. Every record and every mutation carries a client-made UUID v7, so records
//! can be created offline on any device without asking the server for an id, and ids sort
//! roughly by creation time.

use uuid::Uuid;

/// Builds a UUID v7 from a Unix time in milliseconds and ten random bytes.
///
/// The caller supplies both so that this crate stays free of clocks and random sources: the
/// browser passes `Date.now()` and `crypto.getRandomValues`, the server `SystemTime` and its RNG.
pub fn uuid_v7(unix_ms: u64, random: [u8; 10]) -> Uuid {
    uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid()
}

macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone,
            Copy,
            Debug,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            ::serde::Serialize,
            ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub ::uuid::Uuid);

        impl $name {
            pub fn new(unix_ms: u64, random: [u8; 10]) -> Self {
                Self($crate::ids::uuid_v7(unix_ms, random))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                ::uuid::Uuid::parse_str(s).map(Self)
            }
        }

        impl From<$name> for ::uuid::Uuid {
            fn from(id: $name) -> ::uuid::Uuid {
                id.0
            }
        }

        impl From<::uuid::Uuid> for $name {
            fn from(id: ::uuid::Uuid) -> Self {
                Self(id)
            }
        }
    };
}

/// Lets an area module define the id of a new kind beside its struct (the macro names
/// everything by its full path, so it works in any module).
#[allow(unused_imports)]
pub(crate) use define_id;

define_id!(
    /// A Local Strategic Partnership (one instance holds several).
    PartnershipId
);
define_id!(
    /// A member organisation of a partnership.
    OrganisationId
);
define_id!(
    /// A body of a partnership: Board, Management Group, Priority Action Group, ...
    BodyId
);
define_id!(
    /// A person's seat on a body, usually on behalf of an organisation.
    MembershipId
);
define_id!(
    /// A directed reporting line between two bodies.
    ReportingLineId
);
define_id!(
    /// A term or acronym in a partnership's glossary.
    GlossaryTermId
);
define_id!(
    /// One step of a partnership's guided presentation (councillor training).
    PresentationStepId
);
define_id!(
    /// A consultation of residents run by a partnership ("We Are Redditch").
    ConsultationId
);
define_id!(
    /// A public event of a consultation at which answers are captured.
    ConsultationEventId
);
define_id!(
    /// One version of a consultation's questionnaire.
    QuestionnaireId
);
define_id!(
    /// One resident's submitted answers (append-only).
    ResponseId
);
define_id!(
    /// A "you said, we did" finding of a consultation.
    FindingId
);
define_id!(
    /// One change made on a device; the server applies each mutation id at most once.
    MutationId
);
define_id!(
    /// A browser profile (a tablet, a laptop) that makes changes.
    DeviceId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v7_has_version_seven_and_sorts_by_time() {
        let earlier = uuid_v7(1_700_000_000_000, [0xff; 10]);
        let later = uuid_v7(1_700_000_000_001, [0x00; 10]);
        assert_eq!(earlier.get_version_num(), 7);
        assert!(earlier < later);
    }

    #[test]
    fn ids_round_trip_through_text_and_json() {
        let id = BodyId::new(1_700_000_000_000, [7; 10]);
        let text = id.to_string();
        assert_eq!(text.parse::<BodyId>().ok(), Some(id));
        let json = serde_json::to_string(&id).unwrap_or_default();
        assert_eq!(json, format!("\"{text}\""));
    }
}
