//! Comparing partnerships: the priorities of two or more partnerships' current strategies side
//! by side, and where they dovetail. Seed 004, recommendation 14: Redditch's priorities should
//! "dovetail with those of the Worcestershire Partnership", which "has recently refreshed its
//! own SCS by auditing all of the district LSP priorities".
//!
//! Two kinds of match, kept apart so a reader never mistakes a guess for a decision:
//! - **Linked**: a priority names another in [`super::Priority::dovetails_with`] (either way
//!   round). The partnership decided it.
//! - **Hint**: two priorities' titles share a significant word (the first five letters of
//!   words of five letters or more, leaving out common words), so "Raising educational
//!   standards" and "Improving education" meet. Only a hint, labelled as such.
//!
//! Everything comes from the reader's snapshot, so it holds only what they may see: a link to
//! a priority of a draft strategy they may not read is simply not there.

use std::collections::BTreeSet;

use crate::ids::PartnershipId;
use crate::replica::Snapshot;
use crate::text::fold_case;

use super::dashboard::current_strategy;
use super::{PriorityId, StrategyId, StrategyStatus};
use crate::date::IsoDate;

/// One partnership's column: its current strategy and that strategy's priorities in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub partnership: PartnershipId,
    pub name: String,
    /// (id, title, period, status) of its current strategy, if it has one the reader sees.
    pub strategy: Option<(StrategyId, String, String, StrategyStatus)>,
    pub priorities: Vec<(PriorityId, String)>,
}

/// Why two priorities are shown as dovetailing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Match {
    /// One names the other as a priority it dovetails with.
    Linked,
    /// Their titles share these words (a hint only).
    SharedWords(Vec<String>),
}

/// Two priorities of different partnerships that dovetail (or may).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dovetail {
    pub a: PriorityId,
    pub b: PriorityId,
    pub why: Match,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    pub columns: Vec<Column>,
    /// Linked pairs first, then hints; each pair once.
    pub dovetails: Vec<Dovetail>,
}

/// Words too common in priorities' titles to say two are about the same thing.
const COMMON: &[&str] = &[
    "about", "acros", "bette", "build", "commu", "creat", "deliv", "devel", "ensur", "every",
    "illus", "impro", "incre", "local", "makin", "meeti", "peopl", "prior", "promo", "provi",
    "raisi", "reduc", "stron", "suppo", "susta", "tackl", "their", "where", "which", "while",
];

/// The significant stems of a title: folded, the first five letters of each word of five
/// letters or more, without the common ones. Character-wise, so any text is safe.
pub fn stems(title: &str) -> BTreeSet<String> {
    fold_case(title)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 5)
        .map(|w| w.chars().take(5).collect::<String>())
        .filter(|w| !COMMON.contains(&w.as_str()))
        .collect()
}

/// The priorities of `partnerships`' current strategies on `today` (the dashboard's
/// [`current_strategy`]) side by side, and where they dovetail. Partnerships not on the
/// reader's device are left out.
pub fn compare(s: &Snapshot, partnerships: &[PartnershipId], today: IsoDate) -> Comparison {
    let mut seen = BTreeSet::new();
    let columns: Vec<Column> = partnerships
        .iter()
        .filter(|p| seen.insert(**p))
        .filter_map(|p| {
            let partnership = s.partnerships.get(p)?;
            let strategy = current_strategy(s, *p, today);
            Some(Column {
                partnership: *p,
                name: partnership.name.clone(),
                strategy: strategy.and_then(|id| {
                    s.strategies
                        .get(&id)
                        .map(|st| (id, st.title.clone(), st.period(), st.status))
                }),
                priorities: strategy
                    .map(|id| {
                        s.priorities_of(id)
                            .into_iter()
                            .map(|(pid, pr)| (pid, pr.title.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect();
    let mut linked = Vec::new();
    let mut hints = Vec::new();
    for (i, left) in columns.iter().enumerate() {
        for right in &columns[i + 1..] {
            for (a, a_title) in &left.priorities {
                for (b, b_title) in &right.priorities {
                    let names = |x: &PriorityId, y: &PriorityId| {
                        s.priorities
                            .get(x)
                            .is_some_and(|p| p.dovetails_with.contains(y))
                    };
                    if names(a, b) || names(b, a) {
                        linked.push(Dovetail {
                            a: *a,
                            b: *b,
                            why: Match::Linked,
                        });
                        continue;
                    }
                    let shared: Vec<String> = stems(a_title)
                        .intersection(&stems(b_title))
                        .cloned()
                        .collect();
                    if !shared.is_empty() {
                        hints.push(Dovetail {
                            a: *a,
                            b: *b,
                            why: Match::SharedWords(shared),
                        });
                    }
                }
            }
        }
    }
    linked.extend(hints);
    Comparison {
        columns,
        dovetails: linked,
    }
}

/// The partnerships whose priorities `p`'s priorities dovetail with (either way round), as
/// the reader sees them: the ones the compare page offers first.
pub fn dovetailing_partnerships(s: &Snapshot, p: PartnershipId) -> Vec<PartnershipId> {
    let mine: BTreeSet<PriorityId> = s
        .priorities
        .iter()
        .filter(|(_, pr)| pr.partnership_id == p)
        .map(|(id, _)| *id)
        .collect();
    let mut out = BTreeSet::new();
    for (id, pr) in &s.priorities {
        if pr.partnership_id == p {
            for other in &pr.dovetails_with {
                if let Some(o) = s.priorities.get(other)
                    && o.partnership_id != p
                {
                    out.insert(o.partnership_id);
                }
            }
        } else if pr.dovetails_with.iter().any(|x| mine.contains(x)) && !mine.contains(id) {
            out.insert(pr.partnership_id);
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures;
    use super::*;
    use crate::Partnership;

    fn partnership(s: &mut Snapshot, n: u64, name: &str) -> PartnershipId {
        let id = PartnershipId::new(n, [n as u8; 10]);
        s.partnerships.insert(
            id,
            Partnership {
                name: name.into(),
                area: String::new(),
                description: String::new(),
                published: true,
                archived: false,
            },
        );
        id
    }

    /// A strategy of `p` with these priorities; returns their ids.
    fn strategy(
        s: &mut Snapshot,
        p: PartnershipId,
        n: u64,
        status: StrategyStatus,
        titles: &[&str],
    ) -> (StrategyId, Vec<PriorityId>) {
        let sid = StrategyId::new(n, [n as u8; 10]);
        let mut st = fixtures::strategy(2011, 2014, status);
        st.partnership_id = p;
        s.strategies.insert(sid, st);
        let ids = titles
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let id = PriorityId::new(n * 100 + i as u64, [n as u8; 10]);
                let mut pr = fixtures::priority(sid, t, i as u32 + 1);
                pr.partnership_id = p;
                s.priorities.insert(id, pr);
                id
            })
            .collect();
        (sid, ids)
    }

    #[test]
    fn priorities_stand_side_by_side_with_linked_pairs_before_hints() {
        let mut s = Snapshot::default();
        let county = partnership(&mut s, 1, "Worcestershire Partnership");
        let district = partnership(&mut s, 2, "Redditch Partnership");
        let (_, county_ids) = strategy(
            &mut s,
            county,
            10,
            StrategyStatus::Adopted,
            &[
                "Improving health and well-being",
                "Economic success shared by all",
            ],
        );
        let (_, district_ids) = strategy(
            &mut s,
            district,
            20,
            StrategyStatus::Adopted,
            &["Tackling health inequalities", "A thriving local economy"],
        );
        if let Some(mut p) = s.priorities.get_mut(&district_ids[1]) {
            p.dovetails_with = vec![county_ids[1]];
        }
        let c = compare(
            &s,
            &[district, county, district],
            IsoDate::known(2012, 1, 1),
        );
        assert_eq!(
            c.columns.len(),
            2,
            "a partnership chosen twice is shown once"
        );
        assert_eq!(c.columns[0].name, "Redditch Partnership");
        assert_eq!(c.columns[1].priorities.len(), 2);
        assert_eq!(
            c.dovetails,
            vec![
                Dovetail {
                    a: district_ids[1],
                    b: county_ids[1],
                    why: Match::Linked
                },
                Dovetail {
                    a: district_ids[0],
                    b: county_ids[0],
                    why: Match::SharedWords(vec!["healt".into()])
                },
            ]
        );
        assert_eq!(dovetailing_partnerships(&s, district), vec![county]);
        assert_eq!(dovetailing_partnerships(&s, county), vec![district]);
    }

    #[test]
    fn a_link_to_a_priority_the_reader_cannot_see_is_not_shown() {
        let mut s = Snapshot::default();
        let county = partnership(&mut s, 1, "County");
        let district = partnership(&mut s, 2, "District");
        let (_, district_ids) = strategy(&mut s, district, 20, StrategyStatus::Adopted, &["A"]);
        // The county's priority is not on this reader's device (a draft they may not read).
        let hidden = PriorityId::new(999, [9; 10]);
        if let Some(mut p) = s.priorities.get_mut(&district_ids[0]) {
            p.dovetails_with = vec![hidden];
        }
        let c = compare(&s, &[district, county], IsoDate::known(2012, 1, 1));
        assert!(c.dovetails.is_empty());
        assert_eq!(c.columns[1].strategy, None);
        assert!(dovetailing_partnerships(&s, district).is_empty());
    }

    #[test]
    fn common_and_short_words_are_not_hints() {
        assert!(stems("Improving the local community").is_empty());
        assert_eq!(
            stems("Raising educational standards"),
            ["educa", "stand"].into_iter().map(String::from).collect()
        );
        assert_eq!(
            stems("Improving education"),
            ["educa"].into_iter().map(String::from).collect()
        );
    }

    use crate::test_text::{config, text};
    use proptest::prelude::{prop_assert, proptest};

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn any_title_gives_its_stems_without_a_crash(title in text(40)) {
            for stem in stems(&title) {
                prop_assert!(stem.chars().count() == 5);
            }
        }
    }
}
