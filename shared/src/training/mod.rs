//! Councillor training: the partnership's glossary of acronyms and terms, and the guided
//! presentation that walks a training session through the partnership map step by step.
//!
//! The records ([`GlossaryTerm`], [`PresentationStep`]) sync like any other. The pure logic
//! here is what every page needs from them: finding glossary terms in running text so that an
//! acronym explains itself wherever it appears ([`gloss`]), and the standard tour of a
//! partnership's structure that a manager can start from ([`standard_tour`]).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::domain::BodyKind;
use crate::entity::{Record, RefField};
use crate::ids::{BodyId, GlossaryTermId, PartnershipId, PresentationStepId};
use crate::order::sort_by;
use crate::replica::Snapshot;
use crate::text::{fold_case, fold_char};

/// A term or acronym and what it means, e.g. "SCS": "Sustainable Community Strategy: ...".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlossaryTerm {
    pub partnership_id: PartnershipId,
    /// As it appears in text: "LSP", "O&S", "Task and Finish group".
    pub term: String,
    /// What it stands for and means, in plain English.
    pub meaning: String,
}

impl Record for GlossaryTerm {
    type Id = GlossaryTermId;
    const WIRE_NAME: &'static str = "glossary_term";
    const NOUN: &'static str = "glossary term";
    const PLURAL: &'static str = "glossary terms";
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|g| Some(g.partnership_id.0))];
}

/// One step of the guided presentation: a title, what to say, and the bodies to highlight on
/// the map while it is shown. Steps are shown in `position` order (ties by title).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentationStep {
    pub partnership_id: PartnershipId,
    pub position: u32,
    pub title: String,
    #[serde(default)]
    pub text: String,
    /// Bodies highlighted on the map. A body deleted later is simply not highlighted: the
    /// step does not depend on it, so deleting a body never deletes a step.
    #[serde(default)]
    pub body_ids: Vec<BodyId>,
}

impl Record for PresentationStep {
    type Id = PresentationStepId;
    const WIRE_NAME: &'static str = "presentation_step";
    const NOUN: &'static str = "presentation step";
    const PLURAL: &'static str = "presentation steps";
    // The highlighted bodies are not references: deleting a body leaves the step in place,
    // just without that highlight.
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|s| Some(s.partnership_id.0))];
}

/// A piece of running text: plain, or an occurrence of a glossary term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Glossed<'a> {
    Plain(&'a str),
    /// `text` as written in the source; `term` indexes the slice passed to [`gloss`].
    Term {
        text: &'a str,
        term: usize,
    },
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits `text` into plain runs and glossary terms. A term matches as a whole word (the
/// characters either side are not letters or digits), case-sensitively when it is written in
/// capitals (an acronym: "NI" is not "ni"), otherwise ignoring case character by character (so
/// "kelvin" matches "Kelvin" written with the Kelvin sign U+212A, and "i\u{307}" matches "İ",
/// although their lengths in bytes differ). Where terms overlap the longest wins, then the earliest.
/// Blank terms never match. Any text and any terms are safe: every piece is cut at character
/// boundaries of `text` itself (terms and text arrive by sync, so one odd letter must not
/// break every page that shows them).
///
/// `O(n·t)` for `n` characters of text and `t` terms (terms are few; text is a paragraph).
pub fn gloss<'a, S: AsRef<str>>(text: &'a str, terms: &[S]) -> Vec<Glossed<'a>> {
    // Candidate terms, longest first so a longer term shadows a shorter one at the same place.
    let mut order: Vec<(usize, &str)> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (i, t.as_ref().trim()))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    sort_by(&mut order, |a, b| {
        b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0))
    });
    let candidates: Vec<(usize, Pattern)> = order
        .into_iter()
        .map(|(i, t)| {
            let acronym = t.chars().any(char::is_uppercase) && !t.chars().any(char::is_lowercase);
            let pattern = if acronym {
                Pattern::Exact(t)
            } else {
                Pattern::Folded(fold_case(t).chars().collect())
            };
            (i, pattern)
        })
        .collect();

    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut before: Option<char> = None;
    let mut i = 0;
    // `i` only ever moves by whole characters or to the end of a match, which `Pattern::len_at`
    // gives as a character boundary of `text`, so every slice below is on a boundary.
    while let Some(rest) = text.get(i..).filter(|r| !r.is_empty()) {
        let matched = if before.is_none_or(|c| !is_word_char(c)) {
            candidates.iter().find_map(|(index, pattern)| {
                let len = pattern.len_at(rest)?;
                let ends_word = rest[len..].chars().next().is_none_or(|c| !is_word_char(c));
                ends_word.then_some((*index, i + len))
            })
        } else {
            None
        };
        match matched {
            Some((term, end)) => {
                if plain_start < i {
                    out.push(Glossed::Plain(&text[plain_start..i]));
                }
                out.push(Glossed::Term {
                    text: &text[i..end],
                    term,
                });
                before = text[..end].chars().next_back();
                i = end;
                plain_start = end;
            }
            None => {
                let c = rest.chars().next();
                before = c;
                i += c.map_or(1, char::len_utf8);
            }
        }
    }
    if plain_start < text.len() {
        out.push(Glossed::Plain(&text[plain_start..]));
    }
    out
}

/// How a term is looked for in text.
enum Pattern<'t> {
    /// An acronym: exactly as written.
    Exact(&'t str),
    /// Any other term: its characters lower-cased one by one.
    Folded(Vec<char>),
}

impl Pattern<'_> {
    /// The length in bytes of the match at the start of `rest`, if there is one. Always a
    /// character boundary of `rest`.
    fn len_at(&self, rest: &str) -> Option<usize> {
        match self {
            Self::Exact(t) => rest.starts_with(t).then_some(t.len()),
            Self::Folded(want) => {
                // Lower-case the text a character at a time and compare as we go: a match
                // must end where a character of the text ends.
                let mut matched = 0;
                for (at, c) in rest.char_indices() {
                    if want.get(matched) != Some(&fold_char(c)) {
                        return None;
                    }
                    matched += 1;
                    if matched == want.len() {
                        return Some(at + c.len_utf8());
                    }
                }
                None
            }
        }
    }
}

/// The standard tour of a partnership's structure, for a manager to start from and edit: the
/// Board, the Management Group, the Conference, then each kind of group in turn (one step per
/// Priority Action Group, one per other kind), each step highlighting its bodies and saying
/// what they do from their terms of reference (or the kind's explanation). Positions count in
/// tens so a step can be slotted between two without renumbering. Empty when the partnership
/// has no bodies.
pub fn standard_tour(snapshot: &Snapshot, p: PartnershipId) -> Vec<PresentationStep> {
    let bodies = snapshot.bodies_of(p);
    if bodies.is_empty() {
        return Vec::new();
    }
    let name = snapshot
        .partnerships
        .get(&p)
        .map(|x| x.name.clone())
        .unwrap_or_default();
    let mut steps = vec![PresentationStep {
        partnership_id: p,
        position: 0,
        title: format!("The {name} at a glance"),
        text: format!(
            "{} bodies, {} member organisations. Lines show who reports to whom: each group \
             reports up towards the Board.",
            bodies.len(),
            snapshot.organisations_of(p).len()
        ),
        body_ids: Vec::new(),
    }];
    let kinds: BTreeSet<BodyKind> = bodies.iter().map(|(_, b)| b.kind).collect();
    for kind in kinds {
        let of_kind: Vec<_> = bodies.iter().filter(|(_, b)| b.kind == kind).collect();
        let one_each = matches!(
            kind,
            BodyKind::Board
                | BodyKind::ManagementGroup
                | BodyKind::Conference
                | BodyKind::PriorityActionGroup
        );
        if one_each {
            for (id, body) in of_kind {
                let text = if body.terms_of_reference.trim().is_empty() {
                    kind.explanation().to_owned()
                } else {
                    body.terms_of_reference.clone()
                };
                steps.push(PresentationStep {
                    partnership_id: p,
                    position: 0,
                    title: body.name.clone(),
                    text,
                    body_ids: vec![*id],
                });
            }
        } else {
            let names: Vec<&str> = of_kind.iter().map(|(_, b)| b.name.as_str()).collect();
            let plural = if names.len() == 1 {
                kind.label().to_owned()
            } else {
                format!("{}s", kind.label())
            };
            steps.push(PresentationStep {
                partnership_id: p,
                position: 0,
                title: plural,
                text: format!("{} {}", kind.explanation(), names.join("; ")),
                body_ids: of_kind.iter().map(|(id, _)| *id).collect(),
            });
        }
    }
    for (i, step) in steps.iter_mut().enumerate() {
        step.position = (i as u32 + 1) * 10;
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> Vec<&'static str> {
        vec![
            "LSP",
            "SCS",
            "O&S",
            "NI",
            "Task and Finish group",
            "LSP Board",
        ]
    }

    fn rendered(text: &str) -> String {
        let t = terms();
        gloss(text, &t)
            .into_iter()
            .map(|g| match g {
                Glossed::Plain(s) => s.to_owned(),
                Glossed::Term { text, term } => format!("[{text}={}]", t[term]),
            })
            .collect()
    }

    #[test]
    fn acronyms_are_found_as_whole_words() {
        assert_eq!(
            rendered("The LSP writes the SCS."),
            "The [LSP=LSP] writes the [SCS=SCS]."
        );
        // Not inside another word, and an acronym keeps its case: "Nine" and "ni" are not NI.
        assert_eq!(rendered("LSPs, Nine, ni, NIS"), "LSPs, Nine, ni, NIS");
        assert_eq!(rendered("NI 186"), "[NI=NI] 186");
    }

    #[test]
    fn terms_with_punctuation_and_spaces_match() {
        assert_eq!(
            rendered("Reported to O&S by the task and finish group."),
            "Reported to [O&S=O&S] by the [task and finish group=Task and Finish group]."
        );
    }

    #[test]
    fn the_longest_term_wins_where_terms_overlap() {
        assert_eq!(
            rendered("The LSP Board met."),
            "The [LSP Board=LSP Board] met."
        );
    }

    #[test]
    fn text_without_terms_is_one_plain_run_and_empty_text_is_nothing() {
        assert_eq!(
            gloss("No acronyms here", &terms()),
            vec![Glossed::Plain("No acronyms here")]
        );
        assert!(gloss("", &terms()).is_empty());
        let blank: Vec<&str> = vec!["  "];
        assert_eq!(gloss("a b", &blank), vec![Glossed::Plain("a b")]);
    }

    #[test]
    fn text_with_multibyte_letters_is_split_on_character_boundaries() {
        assert_eq!(rendered("Café LSP—SCS"), "Café [LSP=LSP]—[SCS=SCS]");
    }

    #[test]
    fn letters_whose_lower_case_has_another_length_neither_crash_nor_hide_a_term() {
        // 'İ' (2 bytes) lower-cases to 3 bytes and 'ẞ' (3) to 2: the same total, other offsets.
        // The old code compared a lower-cased copy at the original's offsets and panicked.
        let ab = ["ab"];
        assert_eq!(
            gloss("İẞ ab", &ab),
            vec![
                Glossed::Plain("İẞ "),
                Glossed::Term {
                    text: "ab",
                    term: 0
                }
            ]
        );
        // The Kelvin sign lower-cases to a plain 'k': the term is found, cut where it ends.
        let kelvin = ["kelvin scale"];
        assert_eq!(
            gloss("On the \u{212A}elvin Scale.", &kelvin),
            vec![
                Glossed::Plain("On the "),
                Glossed::Term {
                    text: "\u{212A}elvin Scale",
                    term: 0
                },
                Glossed::Plain(".")
            ]
        );
        // A term with such letters of its own ('İ' is a capital, 'ß' is not: not an acronym;
        // 'İ' folds to a plain 'i', `text::fold_char`).
        let odd = ["İß"];
        assert_eq!(
            gloss("iß and İẞ!", &odd),
            vec![
                Glossed::Term {
                    text: "iß",
                    term: 0
                },
                Glossed::Plain(" and "),
                Glossed::Term {
                    text: "İẞ",
                    term: 0
                },
                Glossed::Plain("!")
            ]
        );
    }

    use crate::test_text::{config, text, tricky_char};
    use crate::text::fold_case as fold;
    use proptest::prelude::*;

    /// Where `piece` starts in `text` (it is a slice of it).
    fn offset(text: &str, piece: &str) -> usize {
        piece.as_ptr() as usize - text.as_ptr() as usize
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn any_text_and_terms_split_into_pieces_on_character_boundaries_that_rebuild_it(
            text in text(40),
            terms in proptest::collection::vec(text(6), 0..5),
        ) {
            let pieces = gloss(&text, &terms);
            let mut at = 0;
            let mut last_plain = false;
            for piece in &pieces {
                let (s, plain) = match piece {
                    Glossed::Plain(s) => (*s, true),
                    Glossed::Term { text, .. } => (*text, false),
                };
                prop_assert!(!s.is_empty());
                prop_assert_eq!(offset(&text, s), at, "pieces follow one another");
                prop_assert!(text.is_char_boundary(at) && text.is_char_boundary(at + s.len()));
                prop_assert!(!(plain && last_plain), "two plain runs in a row");
                if let Glossed::Term { term, .. } = piece {
                    let t = terms[*term].trim();
                    let acronym = t.chars().any(char::is_uppercase) && !t.chars().any(char::is_lowercase);
                    if acronym {
                        prop_assert_eq!(s, t);
                    } else {
                        prop_assert_eq!(fold(s), fold(t), "equal ignoring case");
                    }
                    let before = text[..at].chars().next_back();
                    let after = text[at + s.len()..].chars().next();
                    prop_assert!(before.is_none_or(|c| !c.is_alphanumeric()), "a whole word");
                    prop_assert!(after.is_none_or(|c| !c.is_alphanumeric()), "a whole word");
                }
                at += s.len();
                last_plain = plain;
            }
            prop_assert_eq!(at, text.len(), "the pieces cover the text");
        }

        #[test]
        fn a_term_is_found_in_any_case_its_letters_allow(
            term in proptest::collection::vec(tricky_char(), 1..6)
                .prop_map(|cs| cs.into_iter().collect::<String>()),
            upper in any::<bool>(),
        ) {
            let t = term.trim();
            prop_assume!(!t.is_empty());
            let acronym = t.chars().any(char::is_uppercase) && !t.chars().any(char::is_lowercase);
            // Upper-casing can make letters a lower case does not give back ('ß' → "SS"), so
            // only the variants that fold to the same letters are expected to match.
            let written = if acronym {
                t.to_owned()
            } else if upper {
                t.to_uppercase()
            } else {
                fold(t)
            };
            prop_assume!(acronym || fold(&written) == fold(t));
            let pieces = gloss(&written, &[t]);
            prop_assert_eq!(pieces, vec![Glossed::Term { text: written.as_str(), term: 0 }]);
        }
    }

    #[test]
    fn the_standard_tour_walks_from_the_board_down_one_step_per_priority_action_group() {
        use crate::domain::{Body, Partnership};
        use crate::entity::Entity;
        use crate::ids::{MutationId, uuid_v7};
        use crate::replica::Replica;
        use crate::sync::{Mutation, Op};

        let p = PartnershipId(uuid_v7(1, [1; 10]));
        let mut n = 1u8;
        let mut mutation = |entity: Entity| {
            n += 1;
            Mutation {
                id: MutationId(uuid_v7(2, [n; 10])),
                kind: entity.kind(),
                record_id: uuid_v7(3, [n; 10]),
                op: Op::Upsert {
                    base_version: None,
                    fields: entity.to_fields(),
                },
            }
        };
        let mut mutations = vec![mutation(Entity::Partnership(Partnership {
            name: "Basingstoke and Deane LSP".into(),
            area: String::new(),
            description: String::new(),
            published: true,
            archived: false,
        }))];
        mutations[0].record_id = p.0;
        for (name, kind) in [
            ("Housing", BodyKind::PriorityActionGroup),
            ("Community Safety", BodyKind::PriorityActionGroup),
            ("Management Group", BodyKind::ManagementGroup),
            ("LSP Board", BodyKind::Board),
            ("Diversity Forum", BodyKind::CrossCuttingGroup),
            ("Footprint Group", BodyKind::CrossCuttingGroup),
        ] {
            mutations.push(mutation(Entity::Body(Body {
                partnership_id: p,
                name: name.into(),
                kind,
                terms_of_reference: String::new(),
            })));
        }
        let snapshot = Replica::default().view(&mutations);
        let tour = standard_tour(&snapshot, p);
        let titles: Vec<&str> = tour.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "The Basingstoke and Deane LSP at a glance",
                "LSP Board",
                "Management Group",
                "Community Safety",
                "Housing",
                "Cross-cutting groups",
            ]
        );
        assert_eq!(tour[1].text, BodyKind::Board.explanation());
        assert_eq!(tour[5].body_ids.len(), 2);
        let positions: Vec<u32> = tour.iter().map(|s| s.position).collect();
        assert_eq!(positions, [10, 20, 30, 40, 50, 60]);
        assert!(standard_tour(&Snapshot::default(), p).is_empty());
    }
}
