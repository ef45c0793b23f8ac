//! Components rendered on the server (and, for islands, woken up in the browser).

pub mod charts;
pub mod form;
pub mod islands;
pub mod layout;

use crate::api::CurrentUser;
use crate::domain::Role;

/// The signed-in person of the page being rendered (always `None` in the browser, where only
/// islands run and get what they need as props).
pub fn use_user() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    {
        crate::services::current_user()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// Where a person lands after signing in: their role's home.
pub fn home_path(role: Role) -> &'static str {
    match role {
        Role::Learner => "/learn",
        Role::UnitManager => "/unit",
        Role::Organizer | Role::Admin => "/people",
    }
}
