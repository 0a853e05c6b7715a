//! Rescue files: a device's unsent changes written to a file, for when the browser's storage
//! cannot be trusted (it may evict site data under storage pressure, or someone may clear it)
//! or the device will never reach the server again. Importing the file on any device puts the
//! same mutations, with their own ids, into that device's outbox; the server applies a mutation
//! id at most once, so a change that already arrived from the first device counts once, and a
//! file imported twice adds nothing.

use serde::{Deserialize, Serialize};

use crate::ids::DeviceId;
use crate::sync::Mutation;

/// What the `format` field of a rescue file says, so a stray JSON file is told apart.
pub const RESCUE_FORMAT: &str = "partnership-atlas-rescue";
/// The rescue file layout this build writes and reads.
pub const RESCUE_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RescueFile {
    pub format: String,
    pub version: u32,
    /// The device the changes were made on.
    pub device_id: DeviceId,
    /// When the file was written, ms since the Unix epoch (that device's clock).
    pub exported_at: i64,
    pub mutations: Vec<Mutation>,
}

impl RescueFile {
    pub fn new(device_id: DeviceId, exported_at: i64, mutations: Vec<Mutation>) -> Self {
        Self {
            format: RESCUE_FORMAT.to_owned(),
            version: RESCUE_VERSION,
            device_id,
            exported_at,
            mutations,
        }
    }

    /// Reads a rescue file, saying in plain words what is wrong with one that is not.
    pub fn parse(text: &str) -> Result<Self, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            format!("The file is not a Partnership Atlas rescue file (it is not JSON: {e}).")
        })?;
        if value.get("format").and_then(|f| f.as_str()) != Some(RESCUE_FORMAT) {
            return Err("The file is not a Partnership Atlas rescue file.".to_owned());
        }
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(RESCUE_VERSION) => {}
            Some(v) => {
                return Err(format!(
                    "The rescue file was written by a newer version of Partnership Atlas (file \
                     version {v}; this one reads version {RESCUE_VERSION}). Update the app and \
                     try again."
                ));
            }
            None => return Err("The rescue file does not say its version.".to_owned()),
        }
        serde_json::from_value(value)
            .map_err(|e| format!("The rescue file is damaged and cannot be read: {e}."))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::EntityKind;
    use crate::ids::{MutationId, uuid_v7};
    use crate::sync::Op;

    fn file() -> RescueFile {
        let mut fields = serde_json::Map::new();
        fields.insert("name".into(), "Redditch Partnership".into());
        RescueFile::new(
            DeviceId(uuid_v7(1, [1; 10])),
            1_263_340_800_000,
            vec![Mutation {
                id: MutationId(uuid_v7(2, [2; 10])),
                kind: EntityKind::Partnership,
                record_id: uuid_v7(3, [3; 10]),
                op: Op::Upsert {
                    base_version: None,
                    fields,
                },
            }],
        )
    }

    #[test]
    fn a_rescue_file_round_trips() {
        let f = file();
        assert_eq!(RescueFile::parse(&f.to_json()), Ok(f));
    }

    #[test]
    fn other_files_are_refused_in_plain_words() {
        let not_json = RescueFile::parse("name,age\n").err().unwrap_or_default();
        assert!(not_json.contains("not JSON"), "{not_json}");
        let other = RescueFile::parse(r#"{"hello": 1}"#)
            .err()
            .unwrap_or_default();
        assert_eq!(other, "The file is not a Partnership Atlas rescue file.");
        let mut newer = serde_json::to_value(file()).unwrap_or_default();
        newer["version"] = 2.into();
        let err = RescueFile::parse(&newer.to_string())
            .err()
            .unwrap_or_default();
        assert!(err.contains("newer version"), "{err}");
        let mut damaged = serde_json::to_value(file()).unwrap_or_default();
        damaged["mutations"][0]["kind"] = "spaceship".into();
        let err = RescueFile::parse(&damaged.to_string())
            .err()
            .unwrap_or_default();
        assert!(err.starts_with("The rescue file is damaged"), "{err}");
    }
}
