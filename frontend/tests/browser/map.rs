//! The partnership map's pure pieces (label wrapping, pan and zoom geometry) and its views
//! (the map, the outline, presentation mode, the induction pack) mounted in a real browser with
//! a hand-built Basingstoke and Deane structure (seed 003).

use crate::common::{mount, one, pointer, settle, setup};
use atlas_frontend::pages::structure::map::{Highlight, highlighted};
use atlas_frontend::pages::structure::map_canvas::{
    DragPreview, LabelAt, MapCanvas, MapState, ViewBox, label_position, use_labels, use_layout,
    wrap_label,
};
use atlas_frontend::pages::structure::map_tools::{Found, search};
use atlas_frontend::pages::structure::outline::{rows, visible};
use atlas_frontend::pages::training::induction::pack;
use atlas_shared::outline::outline;
use atlas_shared::seeds::{
    BASINGSTOKE, BASINGSTOKE_BOARD, BASINGSTOKE_MANAGEMENT_GROUP, BASINGSTOKE_OTHER_PARTNERSHIPS,
};
use atlas_shared::{
    Body, BodyId, BodyKind, LineKind, Membership, MembershipId, MembershipRole, Organisation,
    OrganisationId, Partnership, PartnershipId, ReportingLine, ReportingLineId, Sector, Snapshot,
    seeds::fixture_id as id,
};
use leptos::prelude::*;
use std::collections::BTreeSet;
use wasm_bindgen_test::*;

struct Fixture {
    s: Snapshot,
    p: PartnershipId,
    board: BodyId,
    management: BodyId,
    housing: BodyId,
    safety: BodyId,
    other: BodyId,
    police: OrganisationId,
}

fn body(s: &mut Snapshot, p: PartnershipId, n: u16, name: &str, kind: BodyKind) -> BodyId {
    let b = BodyId(id(n));
    s.bodies.insert(
        b,
        Body {
            partnership_id: p,
            name: name.into(),
            kind,
            terms_of_reference: String::new(),
        },
    );
    b
}

fn line(s: &mut Snapshot, p: PartnershipId, n: u16, from: BodyId, to: BodyId, kind: LineKind) {
    s.lines.insert(
        ReportingLineId(id(n)),
        ReportingLine {
            partnership_id: p,
            from_body_id: from,
            to_body_id: to,
            kind,
            note: String::new(),
        },
    );
}

fn fixture() -> Fixture {
    let p = PartnershipId(id(1));
    let mut s = Snapshot::default();
    s.partnerships.insert(
        p,
        Partnership {
            name: BASINGSTOKE.into(),
            area: "Basingstoke and Deane".into(),
            description: String::new(),
            published: true,
            archived: false,
        },
    );
    let board = body(&mut s, p, 2, BASINGSTOKE_BOARD, BodyKind::Board);
    let management = body(
        &mut s,
        p,
        3,
        BASINGSTOKE_MANAGEMENT_GROUP,
        BodyKind::ManagementGroup,
    );
    let housing = body(&mut s, p, 4, "Housing", BodyKind::PriorityActionGroup);
    let safety = body(
        &mut s,
        p,
        5,
        "Community Safety",
        BodyKind::PriorityActionGroup,
    );
    let other = body(
        &mut s,
        p,
        6,
        BASINGSTOKE_OTHER_PARTNERSHIPS,
        BodyKind::OtherForum,
    );
    line(&mut s, p, 10, management, board, LineKind::ReportsTo);
    line(&mut s, p, 11, housing, management, LineKind::ReportsTo);
    line(&mut s, p, 12, safety, management, LineKind::ReportsTo);
    line(&mut s, p, 13, other, housing, LineKind::FeedsInto);
    line(&mut s, p, 14, other, safety, LineKind::FeedsInto);
    let police = OrganisationId(id(20));
    s.organisations.insert(
        police,
        Organisation {
            partnership_id: p,
            name: "Hampshire Constabulary".into(),
            sector: Sector::Public,
            named_partner: true,
            description: String::new(),
        },
    );
    s.memberships.insert(
        MembershipId(id(21)),
        Membership {
            partnership_id: p,
            body_id: safety,
            organisation_id: Some(police),
            person: String::new(),
            role: MembershipRole::Member,
            independent: false,
            interim: false,
            represents: String::new(),
        },
    );
    Fixture {
        s,
        p,
        board,
        management,
        housing,
        safety,
        other,
        police,
    }
}

#[wasm_bindgen_test]
fn long_body_names_wrap_into_two_lines_at_spaces() {
    assert_eq!(
        wrap_label("Sustainable Communities Footprint Group", 25),
        ["Sustainable Communities", "Footprint Group"]
    );
    assert_eq!(wrap_label("Housing", 25), ["Housing"]);
    let long = wrap_label(
        "Communications and Community Involvement and Everything Else Besides",
        25,
    );
    assert_eq!(long.len(), 2);
    assert!(long[1].ends_with('…'), "{long:?}");
}

#[wasm_bindgen_test]
fn zooming_keeps_the_point_under_the_pointer_still() {
    let vb = ViewBox {
        x: 0.0,
        y: 0.0,
        w: 1000.0,
        h: 500.0,
    };
    let z = vb.zoomed(2.0, 250.0, 100.0, 5000.0);
    assert_eq!((z.w, z.h), (500.0, 250.0));
    assert!(((250.0 - z.x) / z.w - 0.25).abs() < 1e-9);
    // The screen mapping agrees, for an element of the same shape.
    let (ux, uy) = z.point_at(800.0, 400.0, 200.0, 80.0);
    assert!((ux - 250.0).abs() < 1e-9 && (uy - 100.0).abs() < 1e-9);
    // Zoom stops: never closer than the minimum, never further out than the limit.
    assert!(vb.zoomed(1000.0, 0.0, 0.0, 5000.0).w >= 160.0);
    assert_eq!(vb.zoomed(0.001, 0.0, 0.0, 3000.0).w, 3000.0);
}

#[wasm_bindgen_test]
fn a_drag_moves_the_view_so_the_picture_follows_the_pointer() {
    let vb = ViewBox {
        x: 100.0,
        y: 50.0,
        w: 1000.0,
        h: 500.0,
    };
    // 2 units a pixel on a 500 x 250 element: 30 px right and 10 px down moves the view
    // 60 units left and 20 up.
    let moved = vb.dragged(500.0, 250.0, 30.0, 10.0);
    assert_eq!(
        (moved.x, moved.y, moved.w, moved.h),
        (40.0, 30.0, 1000.0, 500.0)
    );
    let preview = DragPreview::default().moved(30.0, 10.0).moved(-5.0, 0.0);
    assert_eq!(preview, DragPreview { dx: 25.0, dy: 10.0 });
    assert_eq!(preview.css(), "transform: translate(25.0px, 10.0px);");
    assert!(DragPreview::default().is_still());
    assert_eq!(DragPreview::default().css(), "");
}

/// Where the map's boxes are on the screen: left and top of their group, in pixels.
fn boxes_at(svg: &web_sys::Element) -> (f64, f64) {
    let r = one(svg, ".map-nodes").get_bounding_client_rect();
    (r.left(), r.top())
}

#[wasm_bindgen_test]
async fn dragging_the_map_slides_the_picture_and_sets_the_view_once_when_it_ends() {
    setup();
    let f = fixture();
    let p = f.p;
    let snapshot = Signal::stored(f.s);
    let view_box = RwSignal::new(ViewBox {
        x: 0.0,
        y: 0.0,
        w: 800.0,
        h: 400.0,
    });
    let (container, _unmount) = mount(move || {
        view! {
            <style>
                ".drag-test { overflow: hidden } \
                 .drag-test .map { display: block; width: 400px; height: 200px }"
            </style>
            <div class="drag-test">
                <MapCanvas
                    layout=use_layout(snapshot, p)
                    labels=use_labels(snapshot, p)
                    state=MapState {
                        view_box,
                        selected: Signal::stored(None),
                        highlight: Signal::stored(None),
                    }
                    on_select=|_: BodyId| {}
                    label="Map of Basingstoke and Deane LSP"
                />
            </div>
        }
    });
    settle().await;
    let svg = one(&container, "svg.map");
    let r = svg.get_bounding_client_rect();
    let (x0, y0) = ((r.left() + 200.0) as i32, (r.top() + 100.0) as i32);
    let start = boxes_at(&svg);

    pointer(&svg, "pointerdown", x0, y0);
    pointer(&svg, "pointermove", x0 + 20, y0 + 10);
    pointer(&svg, "pointermove", x0 + 40, y0 + 5);
    settle().await;
    // While the pointer is down the painted picture slides; the view itself stays.
    assert_eq!(
        svg.get_attribute("viewBox").as_deref(),
        Some("0.0 0.0 800.0 400.0")
    );
    let style = svg.get_attribute("style").unwrap_or_default();
    assert!(style.contains("translate(40.0px, 5.0px)"), "{style}");
    let slid = boxes_at(&svg);
    assert!(
        (slid.0 - start.0 - 40.0).abs() < 0.5 && (slid.1 - start.1 - 5.0).abs() < 0.5,
        "the boxes follow the pointer: {start:?} -> {slid:?}"
    );

    pointer(&svg, "pointerup", x0 + 40, y0 + 5);
    settle().await;
    // 2 units a pixel: the view moves 80 units left and 10 up, and the picture stays put.
    assert_eq!(
        svg.get_attribute("viewBox").as_deref(),
        Some("-80.0 -10.0 800.0 400.0")
    );
    let style = svg.get_attribute("style").unwrap_or_default();
    assert!(!style.contains("translate"), "{style}");
    let dropped = boxes_at(&svg);
    assert!(
        (dropped.0 - slid.0).abs() < 0.5 && (dropped.1 - slid.1).abs() < 0.5,
        "no jump when the drag ends: {slid:?} -> {dropped:?}"
    );
}

#[wasm_bindgen_test]
fn search_finds_bodies_then_organisations_names_starting_with_the_text_first() {
    let f = fixture();
    let found = search(&f.s, f.p, "hous", 8);
    assert_eq!(
        found,
        [Found::Body(
            f.housing,
            "Housing".into(),
            BodyKind::PriorityActionGroup
        )]
    );
    let found = search(&f.s, f.p, "  HAMPSHIRE ", 8);
    assert!(matches!(found.as_slice(), [Found::Organisation(o, ..)] if *o == f.police));
    // Only the Management Group has "group" in its name.
    let found = search(&f.s, f.p, "group", 8);
    assert_eq!(found.len(), 1);
    assert!(search(&f.s, f.p, "   ", 8).is_empty());
}

#[wasm_bindgen_test]
fn highlighting_a_sector_or_a_theme_picks_out_the_right_bodies() {
    let f = fixture();
    assert_eq!(highlighted(&f.s, f.p, &Highlight::None), None);
    assert_eq!(
        highlighted(&f.s, f.p, &Highlight::Sector(Sector::Public)),
        Some(BTreeSet::from([f.safety]))
    );
    assert_eq!(
        highlighted(&f.s, f.p, &Highlight::Sector(Sector::Business)),
        Some(BTreeSet::new())
    );
    assert_eq!(
        highlighted(&f.s, f.p, &Highlight::Theme(f.housing)),
        Some(BTreeSet::from([f.housing, f.management, f.other]))
    );
}

#[wasm_bindgen_test]
fn the_outline_rows_hide_the_children_of_a_closed_entry() {
    let f = fixture();
    let all = rows(&outline(&f.s, f.p));
    let names: Vec<(usize, &str, bool)> = all
        .iter()
        .map(|r| (r.level, r.name.as_str(), r.cross_link))
        .collect();
    assert_eq!(
        names,
        [
            (1, BASINGSTOKE_BOARD, false),
            (2, BASINGSTOKE_MANAGEMENT_GROUP, false),
            (3, "Community Safety", false),
            (4, BASINGSTOKE_OTHER_PARTNERSHIPS, false),
            (3, "Housing", false),
            (4, BASINGSTOKE_OTHER_PARTNERSHIPS, true),
        ]
    );
    assert_eq!(all[0].body, f.board);
    assert_eq!(visible(&all, &BTreeSet::new()).len(), 6);
    // Closing Community Safety (row 2) hides the forum under it, and nothing else.
    assert_eq!(visible(&all, &BTreeSet::from([2])), [0, 1, 2, 4, 5]);
    assert_eq!(visible(&all, &BTreeSet::from([0])), [0]);
}

#[wasm_bindgen_test]
fn the_induction_pack_describes_every_body_and_its_reporting() {
    let f = fixture();
    let p = pack(&f.s, f.p).expect("the partnership exists");
    let names: Vec<&str> = p.bodies.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names.len(), 5, "{names:?}");
    let housing = p
        .bodies
        .iter()
        .find(|b| b.name == "Housing")
        .expect("Housing");
    assert_eq!(
        housing.lines,
        [
            "reports to Management Group",
            "Other partnerships and fora feeds into it"
        ]
    );
    let safety = p
        .bodies
        .iter()
        .find(|b| b.name == "Community Safety")
        .expect("Community Safety");
    assert_eq!(safety.members, ["Hampshire Constabulary (member)"]);
    assert_eq!(
        p.organisations,
        [(
            Sector::Public,
            vec![("Hampshire Constabulary".to_owned(), true)]
        )]
    );
    assert!(pack(&f.s, PartnershipId(id(99))).is_none());
}

#[wasm_bindgen_test]
fn a_line_label_sits_beside_its_last_segment_or_over_the_gap_between_neighbours() {
    // Up from a group to the body it feeds into: beside the last segment's middle.
    let up = [
        (100.0, 300.0),
        (100.0, 250.0),
        (200.0, 200.0),
        (200.0, 164.0),
    ];
    assert_eq!(
        label_position(&up, Some(100.0)),
        Some(LabelAt {
            x: 206.0,
            y: 186.0,
            centred: false
        })
    );
    // The Board's annual report to the Conference beside it: a 32-pixel gap is too narrow
    // for "reports annually to", so the label is centred above the gap.
    let side = [(220.0, 32.0), (252.0, 32.0)];
    assert_eq!(
        label_position(&side, Some(0.0)),
        Some(LabelAt {
            x: 236.0,
            y: -6.0,
            centred: true
        })
    );
    assert_eq!(label_position(&side[..1], Some(0.0)), None);
}
