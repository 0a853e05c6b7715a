//! The partnership's structure as an outline: the accessible alternative to the map. Each body
//! is listed under the bodies it reports to, from the top (bodies that report to nobody: the
//! Board and the Conference) down.
//!
//! Reporting lines form a graph, not a tree: a forum may feed into five groups, and a user can
//! make a cycle. The outline lists each body in full once, under the first body it reports to
//! (in the order the outline is read); everywhere else it appears as a cross-link that names
//! where it is listed in full. So the outline has `V` full entries and `E` entries in all:
//! `O((V + E) log(V + E))` to build (sorting), `O(V + E)` to read.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{BodyKind, LineKind};
use crate::ids::{BodyId, PartnershipId};
use crate::order::sort;
use crate::replica::Snapshot;

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutlineEntry {
    pub body: BodyId,
    pub name: String,
    pub kind: BodyKind,
    /// How this body relates to its parent entry; `None` at the top.
    pub line: Option<LineKind>,
    /// `true` when the body is listed in full elsewhere: this entry is a cross-link and has no
    /// children.
    pub cross_link: bool,
    /// The bodies that report to it (empty for a cross-link).
    pub children: Vec<OutlineEntry>,
}

/// The outline of partnership `p`. Top-level entries are the bodies that report to no body of
/// the partnership, in kind order (Board, Management Group, Conference, ...); bodies that only
/// sit in cycles (every one reports to another) are added at the top too, so every body
/// appears in full exactly once.
pub fn outline(snapshot: &Snapshot, p: PartnershipId) -> Vec<OutlineEntry> {
    let bodies = snapshot.bodies_of(p);
    let order: BTreeMap<BodyId, usize> =
        crate::order::map_of(bodies.iter().enumerate().map(|(i, (id, _))| (*id, i)));
    // children[b] = (reporting body, line kind), in body order.
    let mut children: BTreeMap<BodyId, Vec<(usize, BodyId, LineKind)>> = BTreeMap::new();
    let mut reports: BTreeSet<BodyId> = BTreeSet::new();
    for (_, line) in snapshot.lines_of(p) {
        let (Some(&from), Some(_)) = (order.get(&line.from_body_id), order.get(&line.to_body_id))
        else {
            continue;
        };
        if line.from_body_id == line.to_body_id {
            continue;
        }
        // The Board's annual report to the Conference does not put the Board under the
        // Conference: both stay at the top, and the line shows as a cross-link.
        let apex = |id: &BodyId| snapshot.bodies[id].kind.is_apex();
        if !(apex(&line.from_body_id) && apex(&line.to_body_id)) {
            reports.insert(line.from_body_id);
        }
        children
            .entry(line.to_body_id)
            .or_default()
            .push((from, line.from_body_id, line.kind));
    }
    for list in children.values_mut() {
        sort(list);
        list.dedup_by_key(|(_, id, _)| *id);
    }

    let mut listed: BTreeSet<BodyId> = BTreeSet::new();
    let mut top = Vec::new();
    let entry = |id: BodyId, line: Option<LineKind>, cross_link: bool| {
        let body = &snapshot.bodies[&id];
        OutlineEntry {
            body: id,
            name: body.name.clone(),
            kind: body.kind,
            line,
            cross_link,
            children: Vec::new(),
        }
    };
    // Breadth-first, so a body is listed in full at the shallowest place it can be.
    let roots: Vec<BodyId> = bodies
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !reports.contains(id))
        .collect();
    let mut pending_roots: Vec<BodyId> = roots;
    let mut next_unlisted = 0;
    loop {
        for root in std::mem::take(&mut pending_roots) {
            if listed.insert(root) {
                top.push(entry(root, None, false));
            }
        }
        // Expand level by level: paths are indices into `top` and children.
        let mut frontier: Vec<Vec<usize>> = (0..top.len())
            .filter(|&i| top[i].children.is_empty() && !top[i].cross_link)
            .map(|i| vec![i])
            .collect();
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for path in frontier {
                let node = node_at(&mut top, &path);
                let Some(kids) = children.get(&node.body) else {
                    continue;
                };
                if !node.children.is_empty() {
                    continue;
                }
                for (_, child, kind) in kids {
                    let full = listed.insert(*child);
                    node.children.push(entry(*child, Some(*kind), !full));
                    if full {
                        let mut p = path.clone();
                        p.push(node.children.len() - 1);
                        next.push(p);
                    }
                }
            }
            frontier = next;
        }
        // Bodies reached from no root (a cycle with nothing above it): start from the first.
        while next_unlisted < bodies.len() && listed.contains(&bodies[next_unlisted].0) {
            next_unlisted += 1;
        }
        match bodies.get(next_unlisted) {
            Some((id, _)) => pending_roots.push(*id),
            None => break,
        }
    }
    top
}

fn node_at<'a>(top: &'a mut [OutlineEntry], path: &[usize]) -> &'a mut OutlineEntry {
    let (first, rest) = path.split_first().expect("paths are never empty");
    let mut node = &mut top[*first];
    for i in rest {
        node = &mut node.children[*i];
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Body, Partnership, ReportingLine};
    use crate::ids::{ReportingLineId, uuid_v7};

    struct Fixture {
        snap: Snapshot,
        p: PartnershipId,
        n: u8,
    }

    impl Fixture {
        fn new() -> Self {
            let p = PartnershipId(uuid_v7(1, [1; 10]));
            let mut snap = Snapshot::default();
            snap.partnerships.insert(
                p,
                Partnership {
                    name: "Basingstoke and Deane LSP".into(),
                    area: String::new(),
                    description: String::new(),
                    published: true,
                    archived: false,
                },
            );
            Self { snap, p, n: 1 }
        }

        fn body(&mut self, name: &str, kind: BodyKind) -> BodyId {
            self.n += 1;
            let id = BodyId(uuid_v7(2, [self.n; 10]));
            self.snap.bodies.insert(
                id,
                Body {
                    partnership_id: self.p,
                    name: name.into(),
                    kind,
                    terms_of_reference: String::new(),
                },
            );
            id
        }

        fn line(&mut self, from: BodyId, to: BodyId, kind: LineKind) {
            self.n += 1;
            self.snap.lines.insert(
                ReportingLineId(uuid_v7(3, [self.n; 10])),
                ReportingLine {
                    partnership_id: self.p,
                    from_body_id: from,
                    to_body_id: to,
                    kind,
                    note: String::new(),
                },
            );
        }
    }

    fn render(entries: &[OutlineEntry], depth: usize, out: &mut Vec<String>) {
        for e in entries {
            let mark = if e.cross_link { " (see above)" } else { "" };
            out.push(format!("{}{}{mark}", "  ".repeat(depth), e.name));
            render(&e.children, depth + 1, out);
        }
    }

    #[test]
    fn a_forum_feeding_several_groups_is_listed_once_and_cross_linked_elsewhere() {
        let mut f = Fixture::new();
        let board = f.body("LSP Board", BodyKind::Board);
        let conference = f.body("LSP Conference", BodyKind::Conference);
        let management = f.body("Management Group", BodyKind::ManagementGroup);
        let housing = f.body("Housing", BodyKind::PriorityActionGroup);
        let safety = f.body("Community Safety", BodyKind::PriorityActionGroup);
        let other = f.body("Other partnerships and fora", BodyKind::OtherForum);
        f.line(board, conference, LineKind::ReportsAnnuallyTo);
        f.line(management, board, LineKind::ReportsTo);
        f.line(housing, management, LineKind::ReportsTo);
        f.line(safety, management, LineKind::ReportsTo);
        f.line(other, housing, LineKind::FeedsInto);
        f.line(other, safety, LineKind::FeedsInto);
        let tree = outline(&f.snap, f.p);
        let mut lines = Vec::new();
        render(&tree, 0, &mut lines);
        assert_eq!(
            lines,
            [
                "LSP Board",
                "  Management Group",
                "    Community Safety",
                "      Other partnerships and fora",
                "    Housing",
                "      Other partnerships and fora (see above)",
                "LSP Conference",
                "  LSP Board (see above)",
            ]
        );
        assert_eq!(tree[1].children[0].line, Some(LineKind::ReportsAnnuallyTo));
    }

    #[test]
    fn bodies_in_a_cycle_and_bodies_without_lines_are_still_listed() {
        let mut f = Fixture::new();
        let a = f.body("Alpha Group", BodyKind::CrossCuttingGroup);
        let b = f.body("Beta Group", BodyKind::CrossCuttingGroup);
        f.body("Community Network", BodyKind::Network);
        f.line(a, b, LineKind::ReportsTo);
        f.line(b, a, LineKind::ReportsTo);
        let tree = outline(&f.snap, f.p);
        let mut lines = Vec::new();
        render(&tree, 0, &mut lines);
        assert_eq!(
            lines,
            [
                "Community Network",
                "Alpha Group",
                "  Beta Group",
                "    Alpha Group (see above)",
            ]
        );
        assert!(outline(&Snapshot::default(), f.p).is_empty());
    }
}
