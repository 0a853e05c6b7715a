//! The rules behind the questionnaire builder: keys made from labels (stable for a label that
//! has not changed, so answers keep meaning the same option), and how saving an edited list of
//! questions becomes a record: the current version updated while nobody has answered it, or the
//! next version once somebody has (a version with responses is locked; see
//! [`crate::consultation`]).

use std::collections::BTreeSet;

use crate::consultation::{Choice, Question, Questionnaire};
use crate::ids::{ConsultationId, PartnershipId, QuestionnaireId};

/// The longest key made from a question's text.
pub const MAX_KEY_CHARS: usize = 40;

/// A key made from a label: lower-case letters and digits, with `_` for every run of anything
/// else ("16–24" → "16_24", "Children and Young People" → "children_and_young_people").
/// Letters outside ASCII are dropped to `_` too, so keys stay plain. Never empty: a label with
/// no letters or digits gives "option".
pub fn slug(label: &str) -> String {
    let mut key = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    while key.ends_with('_') {
        key.pop();
    }
    if key.is_empty() {
        "option".to_owned()
    } else {
        key
    }
}

/// `base`, or `base_2`, `base_3`, ... : the first not in `taken`.
fn unique(base: String, taken: &BTreeSet<String>) -> String {
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|k| !taken.contains(k))
        .unwrap_or(base)
}

/// The options written one per line in `text`, in order, blank lines left out. An option whose
/// label is unchanged from `previous` keeps its key; a new label gets a key from [`slug`] that
/// no other option uses, nor any option of `previous` (so a removed option's key never comes
/// back meaning something else).
pub fn options_from_lines(text: &str, previous: &[Choice]) -> Vec<Choice> {
    let labels: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut taken: BTreeSet<String> = crate::order::set_of(previous.iter().map(|c| c.key.clone()));
    let mut kept: BTreeSet<&str> = BTreeSet::new();
    labels
        .into_iter()
        .map(|label| {
            let same = previous
                .iter()
                .find(|c| c.label.trim() == label && !kept.contains(c.key.as_str()));
            let key = match same {
                Some(c) => {
                    kept.insert(c.key.as_str());
                    c.key.clone()
                }
                None => {
                    let key = unique(slug(label), &taken);
                    taken.insert(key.clone());
                    key
                }
            };
            Choice {
                key,
                label: label.to_owned(),
            }
        })
        .collect()
}

/// The options as the builder's text box shows them: one label per line.
pub fn options_as_lines(options: &[Choice]) -> String {
    options
        .iter()
        .map(|c| c.label.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A key for a new question, from its text, that none of `others` uses: "How old are you?" →
/// "how_old_are_you". Cut at a word to at most [`MAX_KEY_CHARS`].
pub fn question_key(text: &str, others: &[Question]) -> String {
    let mut key = slug(text);
    if key.len() > MAX_KEY_CHARS {
        let cut = &key[..MAX_KEY_CHARS];
        key = match cut.rfind('_') {
            Some(at) if at > 0 => cut[..at].to_owned(),
            _ => cut.to_owned(),
        };
    }
    let taken: BTreeSet<String> = crate::order::set_of(others.iter().map(|q| q.key.clone()));
    unique(key, &taken)
}

/// Where a save of the builder goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionSave {
    /// The record to write.
    pub id: QuestionnaireId,
    pub version: u32,
    /// Whether it is a new record (the first version, or the one after an answered version).
    pub new_version: bool,
}

/// Decides where saving goes: with no version yet, version 1 as `fresh`; while the current
/// version is open to changes (`locked` is false: nobody has answered it and no device has
/// offered it to residents), that version, updated in place; once it is locked, the next
/// version as `fresh`, leaving the locked one as it was.
pub fn version_to_save(
    current: Option<(QuestionnaireId, u32)>,
    locked: bool,
    fresh: QuestionnaireId,
) -> VersionSave {
    match current {
        None => VersionSave {
            id: fresh,
            version: 1,
            new_version: true,
        },
        Some((id, version)) if !locked => VersionSave {
            id,
            version,
            new_version: false,
        },
        Some((_, version)) => VersionSave {
            id: fresh,
            version: version.saturating_add(1),
            new_version: true,
        },
    }
}

/// The record a save writes: `questions` as version `to.version` of the consultation's
/// questionnaire.
pub fn build_version(
    partnership_id: PartnershipId,
    consultation_id: ConsultationId,
    to: VersionSave,
    questions: Vec<Question>,
) -> Questionnaire {
    Questionnaire {
        partnership_id,
        consultation_id,
        version: to.version,
        questions,
        opened_for_answers: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::QuestionKind;
    use crate::ids::uuid_v7;

    fn qid(n: u8) -> QuestionnaireId {
        QuestionnaireId(uuid_v7(u64::from(n), [n; 10]))
    }

    #[test]
    fn slugs_are_plain_lower_case_words_joined_by_underscores() {
        assert_eq!(
            slug("Children and Young People"),
            "children_and_young_people"
        );
        assert_eq!(slug("16–24"), "16_24");
        assert_eq!(slug("65 and over"), "65_and_over");
        assert_eq!(slug("  Health & Wellbeing! "), "health_wellbeing");
        assert_eq!(slug("Café"), "caf");
        assert_eq!(slug("–"), "option");
        assert_eq!(slug(""), "option");
    }

    #[test]
    fn unchanged_labels_keep_their_keys_and_new_ones_get_fresh_slugs() {
        let previous = Choice::list(&[
            ("safety", "Community Safety"),
            ("health", "Health and Wellbeing"),
        ]);
        let options = options_from_lines(
            "Health and Wellbeing\n\n  Housing \nCommunity Safety\n",
            &previous,
        );
        assert_eq!(
            options,
            Choice::list(&[
                ("health", "Health and Wellbeing"),
                ("housing", "Housing"),
                ("safety", "Community Safety"),
            ])
        );
    }

    #[test]
    fn a_new_label_never_takes_a_key_in_use_or_a_removed_options_key() {
        let previous = Choice::list(&[("housing", "Homes")]);
        // "Homes" removed; a new "Housing" must not reuse "housing", which meant "Homes".
        let options = options_from_lines("Housing\nHousing", &previous);
        let keys: Vec<&str> = options.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["housing_2", "housing_3"]);
    }

    #[test]
    fn options_round_trip_through_lines() {
        let options = Choice::list(&[("a", "Under 16"), ("b", "16–24")]);
        assert_eq!(
            options_from_lines(&options_as_lines(&options), &options),
            options
        );
    }

    #[test]
    fn question_keys_are_short_and_unique() {
        let other = Question {
            key: "how_old_are_you".into(),
            text: "How old are you?".into(),
            hint: String::new(),
            required: false,
            kind: QuestionKind::AgreeScale,
        };
        assert_eq!(
            question_key("How old are you?", std::slice::from_ref(&other)),
            "how_old_are_you_2"
        );
        let long = question_key(
            "Which three of these matter most to you for Redditch? Put the most important first.",
            &[],
        );
        assert!(long.len() <= MAX_KEY_CHARS, "{long}");
        assert_eq!(long, "which_three_of_these_matter_most_to_you");
    }

    use crate::test_text::{config, text};
    use proptest::prelude::*;

    fn is_key(k: &str) -> bool {
        !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn any_label_slugs_to_a_plain_key_that_is_its_own_slug(label in text(30)) {
            let key = slug(&label);
            prop_assert!(is_key(&key), "{key:?}");
            prop_assert_eq!(slug(&key), key.clone(), "stable");
            prop_assert_eq!(slug(&label), key, "the same label, the same key");
        }

        #[test]
        fn any_question_text_gives_a_short_plain_key_no_other_question_has(
            question in text(80),
            other in text(80),
        ) {
            let first = Question {
                key: question_key(&other, &[]),
                text: other,
                hint: String::new(),
                required: false,
                kind: QuestionKind::AgreeScale,
            };
            let key = question_key(&question, std::slice::from_ref(&first));
            prop_assert!(is_key(&key), "{key:?}");
            prop_assert_ne!(&key, &first.key);
            // The cut keeps the key within the limit; only "_2" may follow it.
            prop_assert!(key.len() <= MAX_KEY_CHARS + 2, "{key:?}");
        }

        #[test]
        fn any_lines_give_options_with_plain_distinct_keys(
            lines in proptest::collection::vec(text(12), 0..8),
        ) {
            let options = options_from_lines(&lines.join("\n"), &[]);
            let keys: BTreeSet<&str> = crate::order::set_of(options.iter().map(|c| c.key.as_str()));
            prop_assert_eq!(keys.len(), options.len(), "distinct keys");
            for c in &options {
                prop_assert!(is_key(&c.key), "{:?}", c.key);
                prop_assert!(!c.label.is_empty() && c.label.trim() == c.label);
            }
            // Saved and edited again unchanged, every option keeps its key.
            prop_assert_eq!(options_from_lines(&options_as_lines(&options), &options), options.clone());
        }
    }

    #[test]
    fn the_first_save_makes_version_one() {
        assert_eq!(
            version_to_save(None, false, qid(9)),
            VersionSave {
                id: qid(9),
                version: 1,
                new_version: true
            }
        );
    }

    #[test]
    fn an_unanswered_version_is_updated_in_place() {
        assert_eq!(
            version_to_save(Some((qid(1), 2)), false, qid(9)),
            VersionSave {
                id: qid(1),
                version: 2,
                new_version: false
            }
        );
    }

    #[test]
    fn an_answered_version_is_left_alone_and_the_next_one_made() {
        assert_eq!(
            version_to_save(Some((qid(1), 2)), true, qid(9)),
            VersionSave {
                id: qid(9),
                version: 3,
                new_version: true
            }
        );
    }
}
