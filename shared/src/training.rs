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
use crate::ids::{BodyId, PartnershipId};
use crate::replica::Snapshot;

/// A term or acronym and what it means, e.g. "SCS": "Sustainable Community Strategy: ...".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlossaryTerm {
    pub partnership_id: PartnershipId,
    /// As it appears in text: "LSP", "O&S", "Task and Finish group".
    pub term: String,
    /// What it stands for and means, in plain English.
    pub meaning: String,
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
/// capitals (an acronym: "NI" is not "ni"), otherwise ignoring case. Where terms overlap the
/// longest wins, then the earliest. Blank terms never match.
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
    order.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let folded: Vec<(usize, &str, Option<String>)> = order
        .into_iter()
        .map(|(i, t)| {
            let acronym = t.chars().any(char::is_uppercase) && !t.chars().any(char::is_lowercase);
            (i, t, (!acronym).then(|| t.to_lowercase()))
        })
        .collect();
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths (rare letters); fall back to exact matching then.
    let same_shape = lower.len() == text.len();

    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    while i < text.len() {
        let at_boundary = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        let mut matched = None;
        if at_boundary {
            for (index, term, folded_term) in &folded {
                let end = i + term.len();
                if end > text.len() || !text.is_char_boundary(end) {
                    continue;
                }
                let hit = match folded_term {
                    Some(f) if same_shape => lower[i..end] == **f,
                    _ => text[i..end] == **term,
                };
                let ends_word = text[end..].chars().next().is_none_or(|c| !is_word_char(c));
                if hit && ends_word {
                    matched = Some((*index, end));
                    break;
                }
            }
        }
        match matched {
            Some((term, end)) => {
                if plain_start < i {
                    out.push(Glossed::Plain(&text[plain_start..i]));
                }
                out.push(Glossed::Term {
                    text: &text[i..end],
                    term,
                });
                i = end;
                plain_start = end;
            }
            None => {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    if plain_start < text.len() {
        out.push(Glossed::Plain(&text[plain_start..]));
    }
    out
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
