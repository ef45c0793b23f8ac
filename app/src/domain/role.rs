//! Who a person is to hocso: a role (what they may do) and, for learners, a cohort.

use serde::{Deserialize, Serialize};

/// What an account may do. Stored as its [`Role::as_str`] code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Organizer,
    UnitManager,
    Learner,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Organizer,
        Role::UnitManager,
        Role::Learner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Organizer => "organizer",
            Role::UnitManager => "unit_manager",
            Role::Learner => "learner",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == code)
    }

    /// Whether this role may see every account (the people directory).
    pub fn may_list_accounts(self) -> bool {
        matches!(self, Role::Admin | Role::Organizer)
    }

    /// Whether this role may read the audit log (who did which privileged act): admins only.
    pub fn may_read_audit(self) -> bool {
        self == Role::Admin
    }

    /// Whether this role may look at units' competency views at all.
    pub fn may_view_units(self) -> bool {
        matches!(self, Role::Admin | Role::Organizer | Role::UnitManager)
    }

    /// Whether someone of this role, attached to `own_unit`, may see (and set due dates for)
    /// unit `unit`: admins and organizers any unit, a unit manager only their own.
    pub fn may_view_unit(self, own_unit: Option<&str>, unit: &str) -> bool {
        match self {
            Role::Admin | Role::Organizer => true,
            Role::UnitManager => own_unit == Some(unit),
            Role::Learner => false,
        }
    }
}

/// Who may use a page, a server function or a form, by role. Narrower rules (a unit manager's
/// own unit, a learner's own runs) are checked by the service behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone signed in.
    SignedIn,
    /// Learners (officials, volunteers, residents).
    Learners,
    /// Unit managers, organizers and admins ([`Role::may_view_units`]).
    Staff,
    /// Organizers and admins ([`Role::may_list_accounts`]).
    Organizers,
    /// Admins only ([`Role::may_read_audit`]).
    Admins,
}

impl Audience {
    pub fn admits(self, role: Role) -> bool {
        match self {
            Audience::SignedIn => true,
            Audience::Learners => role == Role::Learner,
            Audience::Staff => role.may_view_units(),
            Audience::Organizers => role.may_list_accounts(),
            Audience::Admins => role.may_read_audit(),
        }
    }
}

/// Which group a learner trains with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cohort {
    /// A civil servant of a commune or ward, trained against a job position's standard.
    Official,
    /// A student or youth volunteer who guides residents.
    Volunteer,
    /// A resident learning at their own pace.
    Resident,
}

impl Cohort {
    pub const ALL: [Cohort; 3] = [Cohort::Official, Cohort::Volunteer, Cohort::Resident];

    pub fn as_str(self) -> &'static str {
        match self {
            Cohort::Official => "official",
            Cohort::Volunteer => "volunteer",
            Cohort::Resident => "resident",
        }
    }

    pub fn parse(code: &str) -> Option<Cohort> {
        Cohort::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        for cohort in Cohort::ALL {
            assert_eq!(Cohort::parse(cohort.as_str()), Some(cohort));
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Cohort::parse(""), None);
    }

    #[test]
    fn only_admins_and_organizers_list_accounts() {
        assert!(Role::Admin.may_list_accounts());
        assert!(Role::Organizer.may_list_accounts());
        assert!(!Role::UnitManager.may_list_accounts());
        assert!(!Role::Learner.may_list_accounts());
    }

    #[test]
    fn each_audience_admits_its_roles_only() {
        let admitted =
            |a: Audience| -> Vec<Role> { Role::ALL.into_iter().filter(|r| a.admits(*r)).collect() };
        assert_eq!(admitted(Audience::SignedIn), Role::ALL.to_vec());
        assert_eq!(admitted(Audience::Learners), vec![Role::Learner]);
        assert_eq!(
            admitted(Audience::Staff),
            vec![Role::Admin, Role::Organizer, Role::UnitManager]
        );
        assert_eq!(
            admitted(Audience::Organizers),
            vec![Role::Admin, Role::Organizer]
        );
        assert_eq!(admitted(Audience::Admins), vec![Role::Admin]);
    }

    #[test]
    fn unit_managers_see_only_their_own_unit() {
        assert!(Role::UnitManager.may_view_unit(Some("00004"), "00004"));
        assert!(!Role::UnitManager.may_view_unit(Some("00004"), "00070"));
        assert!(!Role::UnitManager.may_view_unit(None, "00004"));
        assert!(Role::Organizer.may_view_unit(None, "00070"));
        assert!(Role::Admin.may_view_unit(None, "00070"));
        assert!(!Role::Learner.may_view_unit(Some("00004"), "00004"));
        assert!(!Role::Learner.may_view_units());
    }
}
