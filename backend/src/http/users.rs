//! People management, `/api/users`: administrators manage everyone; a partnership manager
//! manages the people of the partnerships they manage, and only there.
//!
//! - `GET /api/users?partnership=…`: the people the caller manages (of one partnership), each
//!   with their roles only where the caller manages.
//! - `POST /api/users`: a new person with a first password (they change it on their Account
//!   page) and a role in one partnership. A manager must give one of theirs.
//! - `PUT /api/users/{id}/roles/{partnership}`: set or (`null`) remove their role there.
//! - `POST /api/users/{id}/disable` and `/enable`: disabling ends every session of theirs. A
//!   manager cannot disable an administrator, or someone with a role in a partnership the
//!   manager does not manage: they remove the role here instead.
//! - `DELETE /api/users/{id}/totp`: an administrator resets someone's two-step key.
//!
//! A manager never makes an administrator. Roles are read from the database on every request
//! (`Caller`), so a role withdrawn here is gone on the person's next request, and their next
//! pull resets their device's copy (the scope of `db::scope_of` hashes their roles).

use std::collections::BTreeSet;

use atlas_shared::accounts::{Grants, NewPerson, People, Person, Role, RoleChange};
use atlas_shared::{ErrorBody, FieldError, PartnershipId};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use uuid::Uuid;

use super::ApiContext;
use super::error::{Error, Result, body};
use super::extract::ApiJson;
use super::session::Caller;
use crate::accounts::{
    CreateUserError, check_email, check_name, check_new_password, create_user, normal_email,
};
use crate::db::DbError;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/users", get(list).post(add))
        .route("/users/{id}/roles/{partnership}", put(set_role))
        .route("/users/{id}/disable", post(disable))
        .route("/users/{id}/enable", post(enable))
        .route("/users/{id}/totp", delete(reset_two_step))
}

/// Whose people the caller manages.
#[derive(Clone, Debug)]
enum Reach {
    /// An administrator: everyone.
    All,
    /// A manager: the people with a role in these partnerships.
    Partnerships(BTreeSet<PartnershipId>),
}

impl Reach {
    fn of(caller: &Caller) -> Result<(Uuid, Self)> {
        let Some(me) = &caller.user else {
            return Err(caller.sign_in_needed("manage people"));
        };
        if me.grants.admin {
            return Ok((me.id, Reach::All));
        }
        let managed: BTreeSet<PartnershipId> = me
            .grants
            .roles
            .iter()
            .filter(|(_, r)| **r == Role::Manager)
            .map(|(p, _)| *p)
            .collect();
        if managed.is_empty() {
            return Err(Error::Forbidden(body(
                "Only partnership managers and administrators can manage people.",
            )));
        }
        Ok((me.id, Reach::Partnerships(managed)))
    }

    fn covers(&self, partnership: PartnershipId) -> bool {
        match self {
            Reach::All => true,
            Reach::Partnerships(ps) => ps.contains(&partnership),
        }
    }

    /// Whether the caller manages `person` at all.
    fn sees(&self, person: &Person) -> bool {
        matches!(self, Reach::All) || person.roles.keys().any(|p| self.covers(*p))
    }

    /// `person` as the caller may see them: their roles where the caller manages.
    fn shown(&self, mut person: Person) -> Person {
        person.roles.retain(|p, _| self.covers(*p));
        person
    }

    fn must_cover(&self, partnership: PartnershipId) -> Result<()> {
        if self.covers(partnership) {
            Ok(())
        } else {
            Err(Error::Forbidden(body(
                "You can change people's roles only in the partnerships you manage.",
            )))
        }
    }
}

/// A path's person id.
fn person_id(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|_| Error::bad_request(format!("{text:?} is not a person's id")))
}

/// The person `id`, if the caller manages them (else 404: whether they exist elsewhere is not
/// the caller's business).
async fn managed_person(ctx: &ApiContext, reach: &Reach, id: Uuid) -> Result<Person> {
    ctx.db
        .people()
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .filter(|p| reach.sees(p))
        .ok_or_else(|| {
            Error::NotFound(body(
                "There is no such person among the people you manage. They may have been \
                 removed from your partnership: reload the list.",
            ))
        })
}

#[derive(Deserialize)]
struct ListQuery {
    partnership: Option<Uuid>,
}

async fn list(
    State(ctx): State<ApiContext>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> Result<Json<People>> {
    let (_, reach) = Reach::of(&caller)?;
    let only = query.partnership.map(PartnershipId);
    if let Some(p) = only {
        reach.must_cover(p)?;
    }
    let people = ctx
        .db
        .people()
        .await?
        .into_iter()
        .filter(|p| match only {
            Some(only) => p.roles.contains_key(&only),
            None => reach.sees(p),
        })
        .map(|p| reach.shown(p))
        .collect();
    Ok(Json(People { people }))
}

async fn add(
    State(ctx): State<ApiContext>,
    caller: Caller,
    ApiJson(new): ApiJson<NewPerson>,
) -> Result<(StatusCode, Json<Person>)> {
    let (_, reach) = Reach::of(&caller)?;
    if new.admin && !matches!(reach, Reach::All) {
        return Err(Error::Forbidden(body(
            "Only an administrator can make someone an administrator.",
        )));
    }
    let name = new.name.trim().to_owned();
    let email = normal_email(&new.email);
    let mut fields: Vec<FieldError> = [
        ("name", check_name(&name)),
        ("email", check_email(&email)),
        ("password", check_new_password(&new.password)),
    ]
    .into_iter()
    .filter_map(|(f, r)| r.err().map(|m| FieldError::new(f, m)))
    .collect();
    let role = match (new.partnership, new.role) {
        (Some(p), Some(role)) => {
            reach.must_cover(p)?;
            Some((p, role))
        }
        (None, None) if matches!(reach, Reach::All) => None,
        (Some(_), None) | (None, None) => {
            fields.push(FieldError::new("role", "Choose the person's role"));
            None
        }
        (None, Some(_)) => {
            fields.push(FieldError::new(
                "partnership",
                "Choose the partnership the role is in",
            ));
            None
        }
    };
    if !fields.is_empty() {
        return Err(Error::Unprocessable(ErrorBody {
            error: "Check the details of the new person".to_owned(),
            fields,
            ..ErrorBody::default()
        }));
    }
    let grants = Grants {
        admin: new.admin,
        roles: role.into_iter().collect(),
    };
    let id = match create_user(ctx.db.as_ref(), &email, &name, &new.password, grants).await {
        Ok(id) => id,
        Err(CreateUserError::Db(DbError::Conflict(_))) => {
            let message = format!(
                "There is already an account with the email address {email}. Find them in the \
                 list, or ask an administrator to give them a role here"
            );
            return Err(Error::Conflict(ErrorBody {
                error: message.clone(),
                fields: vec![FieldError::new("email", message)],
                ..ErrorBody::default()
            }));
        }
        Err(CreateUserError::Db(e)) => return Err(e.into()),
        Err(e) => return Err(Error::unprocessable(e.to_string())),
    };
    tracing::info!(user = %id, "added a person");
    let person = managed_person(&ctx, &Reach::All, id).await?;
    Ok((StatusCode::CREATED, Json(reach.shown(person))))
}

async fn set_role(
    State(ctx): State<ApiContext>,
    caller: Caller,
    Path((id, partnership)): Path<(String, String)>,
    ApiJson(change): ApiJson<RoleChange>,
) -> Result<Json<Person>> {
    let (_, reach) = Reach::of(&caller)?;
    let id = person_id(&id)?;
    let partnership = Uuid::parse_str(&partnership)
        .map(PartnershipId)
        .map_err(|_| Error::bad_request(format!("{partnership:?} is not a partnership's id")))?;
    reach.must_cover(partnership)?;
    managed_person(&ctx, &reach, id).await?;
    ctx.db.set_role(id, partnership, change.role).await?;
    tracing::info!(user = %id, partnership = %partnership.0, "changed a role");
    let person = managed_person(&ctx, &Reach::All, id).await?;
    Ok(Json(reach.shown(person)))
}

async fn disable(
    State(ctx): State<ApiContext>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Person>> {
    switch(ctx, caller, id, true).await
}

async fn enable(
    State(ctx): State<ApiContext>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Person>> {
    switch(ctx, caller, id, false).await
}

/// Disables or enables a person, if the caller manages every role they have.
async fn switch(
    ctx: ApiContext,
    caller: Caller,
    id: String,
    disabled: bool,
) -> Result<Json<Person>> {
    let (me, reach) = Reach::of(&caller)?;
    let id = person_id(&id)?;
    let person = managed_person(&ctx, &reach, id).await?;
    if id == me {
        return Err(Error::unprocessable(
            "You cannot disable or enable your own account. Ask an administrator.",
        ));
    }
    if !matches!(reach, Reach::All) {
        if person.admin {
            return Err(Error::Forbidden(body(
                "Only an administrator can disable or enable an administrator's account. You \
                 can remove their role in your partnership.",
            )));
        }
        if person.roles.keys().any(|p| !reach.covers(*p)) {
            return Err(Error::Forbidden(body(format!(
                "{} also has a role in a partnership you do not manage, so only an \
                 administrator can disable or enable their account. You can remove their role \
                 in yours.",
                person.name
            ))));
        }
    }
    ctx.db.set_disabled(id, disabled).await?;
    tracing::info!(user = %id, disabled, "disabled or enabled a person");
    let person = managed_person(&ctx, &Reach::All, id).await?;
    Ok(Json(reach.shown(person)))
}

async fn reset_two_step(
    State(ctx): State<ApiContext>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Person>> {
    let (_, reach) = Reach::of(&caller)?;
    if !matches!(reach, Reach::All) {
        return Err(Error::Forbidden(body(
            "Only an administrator can reset someone's two-step verification.",
        )));
    }
    let id = person_id(&id)?;
    managed_person(&ctx, &reach, id).await?;
    ctx.db.reset_two_step(id).await?;
    tracing::info!(user = %id, "reset two-step verification");
    Ok(Json(managed_person(&ctx, &reach, id).await?))
}
