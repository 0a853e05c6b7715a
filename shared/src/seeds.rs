//! Facts from the seed papers (`shared/seeds/`, DOMAIN.md) that the demo data and the tests of
//! every crate share, so a name is typed once: the backend's demo loader builds its records
//! from them, and the backend, browser and end-to-end tests check and build fixtures with them.
//! Also [`fixture_id`], the one way a test makes a fixed record id.
//!
//! * Seed 000 and 004: Redditch ([`REDDITCH`]).
//! * Seed 001: Bath & North East Somerset ([`BATH`]).
//! * Seed 003: Basingstoke and Deane's structure after its 2008 review ([`BASINGSTOKE`] and
//!   [`BASINGSTOKE_BODIES`]).

use uuid::Uuid;

use crate::domain::Sector;
use crate::ids::uuid_v7;

pub const REDDITCH: &str = "Redditch Partnership";
pub const BATH: &str = "Bath & North East Somerset Local Strategic Partnership";
pub const BASINGSTOKE: &str = "Basingstoke and Deane LSP";

/// A member organisation as a seed paper names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedOrganisation {
    pub name: &'static str,
    pub sector: Sector,
    /// Whether it is a named partner with a duty to co-operate on the LAA targets.
    pub named_partner: bool,
}

const fn organisation(name: &'static str, sector: Sector, named_partner: bool) -> SeedOrganisation {
    SeedOrganisation {
        name,
        sector,
        named_partner,
    }
}

pub const REDDITCH_BOROUGH_COUNCIL: &str = "Redditch Borough Council";
pub const WORCESTERSHIRE_COUNTY_COUNCIL: &str = "Worcestershire County Council";
pub const WEST_MERCIA_POLICE: &str = "West Mercia Police";
pub const HAMPSHIRE_COUNTY_COUNCIL: &str = "Hampshire County Council";

/// The member organisations of Redditch's Partnership Management Board (seed 000), each of
/// which has a seat on it.
pub const REDDITCH_ORGANISATIONS: [SeedOrganisation; 10] = [
    organisation(REDDITCH_BOROUGH_COUNCIL, Sector::Public, true),
    organisation(WORCESTERSHIRE_COUNTY_COUNCIL, Sector::Public, true),
    organisation(WEST_MERCIA_POLICE, Sector::Public, true),
    organisation("Worcestershire NHS", Sector::Public, true),
    organisation(
        "Hereford and Worcester Fire and Rescue",
        Sector::Public,
        true,
    ),
    organisation("Redditch NEW College", Sector::Public, false),
    organisation("Chamber of Commerce", Sector::Business, false),
    organisation(
        "Redditch Community Safety Partnership",
        Sector::Public,
        false,
    ),
    organisation(
        "Bromsgrove and Redditch Network (BARN)",
        Sector::Voluntary,
        false,
    ),
    organisation(REDDITCH_COMMUNITY_FORUM, Sector::Community, false),
];

/// Redditch's community forum, which sends a representative to the Board (seed 000).
pub const REDDITCH_COMMUNITY_FORUM: &str = "Redditch Community Forum";

/// The member organisations of Bath & North East Somerset's LSP (seed 001, section 5.3).
pub const BATH_ORGANISATIONS: [SeedOrganisation; 12] = [
    organisation("Bath and North East Somerset Council", Sector::Public, true),
    organisation("Avon and Somerset Constabulary", Sector::Public, true),
    organisation("Primary Care Trust", Sector::Public, true),
    organisation("Somer Community Housing Trust", Sector::Voluntary, false),
    organisation(
        "Bath and North East Somerset Association of Parish Councils",
        Sector::Public,
        false,
    ),
    organisation("Voluntary First", Sector::Voluntary, false),
    organisation("Racial Equality Council", Sector::Voluntary, false),
    organisation("Bath Association of Residents", Sector::Community, false),
    organisation("B&NES Initiative", Sector::Business, false),
    organisation("Learning Partnership", Sector::Public, false),
    organisation(
        "West of England Coalition of Disabled People",
        Sector::Voluntary,
        false,
    ),
    organisation("Envolve", Sector::Voluntary, false),
];

/// The councils of Basingstoke and Deane's LSP that the demo holds (seed 003).
pub const BASINGSTOKE_ORGANISATIONS: [SeedOrganisation; 2] = [
    organisation(
        "Basingstoke and Deane Borough Council",
        Sector::Public,
        true,
    ),
    organisation(HAMPSHIRE_COUNTY_COUNCIL, Sector::Public, true),
];

/// Basingstoke and Deane's Board (seed 003).
pub const BASINGSTOKE_BOARD: &str = "Basingstoke and Deane LSP Board";
/// Basingstoke and Deane's Management Group (seed 003).
pub const BASINGSTOKE_MANAGEMENT_GROUP: &str = "Management Group";
/// Basingstoke and Deane's yearly conference (seed 003).
pub const BASINGSTOKE_CONFERENCE: &str = "LSP Conference";

/// The five Priority Action Groups of Basingstoke and Deane (seed 003).
pub const BASINGSTOKE_PRIORITY_ACTION_GROUPS: [&str; 5] = [
    "Children and Young People",
    "Community Safety",
    "Health and Wellbeing",
    "Housing",
    "Skills and Employability",
];

/// The four cross-cutting groups of Basingstoke and Deane (seed 003).
pub const BASINGSTOKE_CROSS_CUTTING_GROUPS: [&str; 4] = [
    "Communications and Community Involvement",
    "Multi Agency Diversity Forum",
    "Neighbourhood Renewal SG",
    "Sustainable Communities Footprint Group",
];

/// The task groups that give expertise on request (seed 003).
pub const BASINGSTOKE_TASK_GROUPS: &str = "Cross-cutting task groups";
/// The network of networks for community interest groups (seed 003).
pub const BASINGSTOKE_COMMUNITY_NETWORK: &str = "Community Network";
/// The thematic partnership for older people (seed 003).
pub const BASINGSTOKE_OLDER_PEOPLE: &str = "Older People";
/// The "other partnerships and fora" that feed into every Priority Action Group (seed 003).
pub const BASINGSTOKE_OTHER_PARTNERSHIPS: &str = "Other partnerships and fora";

/// Every body of Basingstoke and Deane's LSP after its 2008 review (seed 003), in the order
/// the demo makes them.
pub const BASINGSTOKE_BODIES: [&str; 16] = [
    BASINGSTOKE_BOARD,
    BASINGSTOKE_MANAGEMENT_GROUP,
    BASINGSTOKE_CONFERENCE,
    BASINGSTOKE_PRIORITY_ACTION_GROUPS[0],
    BASINGSTOKE_PRIORITY_ACTION_GROUPS[1],
    BASINGSTOKE_PRIORITY_ACTION_GROUPS[2],
    BASINGSTOKE_PRIORITY_ACTION_GROUPS[3],
    BASINGSTOKE_PRIORITY_ACTION_GROUPS[4],
    BASINGSTOKE_CROSS_CUTTING_GROUPS[0],
    BASINGSTOKE_CROSS_CUTTING_GROUPS[1],
    BASINGSTOKE_CROSS_CUTTING_GROUPS[2],
    BASINGSTOKE_CROSS_CUTTING_GROUPS[3],
    BASINGSTOKE_TASK_GROUPS,
    BASINGSTOKE_COMMUNITY_NETWORK,
    BASINGSTOKE_OLDER_PEOPLE,
    BASINGSTOKE_OTHER_PARTNERSHIPS,
];

/// A fixed record id for a test fixture: the `n`th, a UUID v7 at `n` ms after the epoch, so
/// fixture ids sort in the order of `n` as real ids sort in the order they were made.
pub fn fixture_id(n: u16) -> Uuid {
    let low = u8::try_from(n % 251).unwrap_or_default();
    uuid_v7(u64::from(n), [low; 10])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basingstoke_bodies_are_sixteen_different_names() {
        let names: std::collections::BTreeSet<&str> = BASINGSTOKE_BODIES.into_iter().collect();
        assert_eq!(names.len(), BASINGSTOKE_BODIES.len());
    }

    #[test]
    fn fixture_ids_are_distinct_and_sort_in_the_order_they_are_numbered() {
        let ids: Vec<Uuid> = (0..=u16::MAX).step_by(7).map(fixture_id).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(fixture_id(3), uuid_v7(3, [3; 10]));
    }
}

/// The committee that heard the presentation on the LSP (seed 000) and monitors the Task and
/// Finish Group's recommendations (seed 004).
pub const OVERVIEW_AND_SCRUTINY: &str = "Overview and Scrutiny Committee";
/// Seed 000's item: Redditch's Overview and Scrutiny Committee, 25/11/2009, item 126.
pub const ITEM_126_TITLE: &str = "Local Strategic Partnership (LSP)";
/// The outcome the minutes of seed 000 record for item 126.
pub const ITEM_126_OUTCOME: &str = "The report was noted.";
/// The panel Bath and North East Somerset's progress reports on the LSP went to (seed 001,
/// section 5.5).
pub const CORPORATE_ISSUES_PANEL: &str = "Overview and Scrutiny Corporate Issues Panel";
/// Seed 001's report of 15 January 2003.
pub const BATH_BUSINESS_PLAN_REPORT: &str =
    "Local Strategic Partnership (LSP) Business Plan - September - April 2003";

/// A demo account: loaded only with the demo data, for trying each role. The people are
/// illustrative (the papers name no users of this product).
#[derive(Clone, Copy, Debug)]
pub struct DemoUser {
    pub email: &'static str,
    pub name: &'static str,
    /// An administrator of the whole service.
    pub admin: bool,
    /// The role held in each of the three demo partnerships, if any.
    pub role: Option<crate::accounts::Role>,
}

/// Every demo account's password. Demo data only: a real deployment creates its first
/// administrator with `atlas-backend create-admin` and loads no demo accounts.
pub const DEMO_PASSWORD: &str = "demo-password-2010";

/// One demo account per role.
pub const DEMO_USERS: [DemoUser; 5] = {
    use crate::accounts::Role;
    [
        DemoUser {
            email: "admin@partnership-atlas.example",
            name: "Ada Admin (illustrative)",
            admin: true,
            role: None,
        },
        DemoUser {
            email: "manager@partnership-atlas.example",
            name: "Morgan Manager (illustrative)",
            admin: false,
            role: Some(Role::Manager),
        },
        DemoUser {
            email: "councillor@partnership-atlas.example",
            name: "Cllr Casey (illustrative)",
            admin: false,
            role: Some(Role::Councillor),
        },
        DemoUser {
            email: "staff@partnership-atlas.example",
            name: "Sam Staff (illustrative)",
            admin: false,
            role: Some(Role::ConsultationStaff),
        },
        DemoUser {
            email: "lead@partnership-atlas.example",
            name: "Lee Lead (illustrative)",
            admin: false,
            role: Some(Role::GroupLead),
        },
    ]
};

/// The demo account of `role` (`None`: the administrator).
pub fn demo_user(role: Option<crate::accounts::Role>) -> DemoUser {
    DEMO_USERS
        .into_iter()
        .find(|u| u.role == role)
        .unwrap_or(DEMO_USERS[0])
}
