//! The audit log's words: who did a privileged act ([`Actor`]) and which act it was
//! ([`Action`]). The store appends an entry in the same transaction as the act itself.

use serde::{Deserialize, Serialize};

/// Who did a privileged act: a signed-in person and the address their request came from, or
/// the command line (`hocso …` on the server).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The account, or none for the command line.
    pub account_id: Option<i64>,
    /// The person's name at the time (or the command), kept as it was.
    pub name: String,
    /// The client's address, when the act came over the web.
    pub address: Option<String>,
}

impl Actor {
    /// A person acting through the web.
    pub fn person(account_id: i64, name: &str, address: Option<std::net::IpAddr>) -> Actor {
        Actor {
            account_id: Some(account_id),
            name: name.to_owned(),
            address: address.map(|a| a.to_string()),
        }
    }

    /// An operator at the server's command line: `command` is what they ran (`import roster`).
    pub fn command_line(command: &str) -> Actor {
        Actor {
            account_id: None,
            name: format!("hocso {command}"),
            address: None,
        }
    }
}

/// A privileged act, as the log names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    /// An account made by someone else (a roster, the command line, an organizer).
    AccountCreate,
    /// An account's name, contact, unit or position changed by a roster.
    AccountUpdate,
    /// What identifies a person removed, their records kept.
    AccountAnonymise,
    RosterUpload,
    RosterImport,
    /// The campaign's name, dates and city-wide targets.
    CampaignSettings,
    /// One unit's own targets.
    UnitTargets,
    /// A unit's figures for a day (typed in or imported).
    Figures,
    ActivationCode,
    Deploy,
    DeployCancel,
    /// A module assigned to a unit, with its due date.
    Assignment,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Action::AccountCreate,
        Action::AccountUpdate,
        Action::AccountAnonymise,
        Action::RosterUpload,
        Action::RosterImport,
        Action::CampaignSettings,
        Action::UnitTargets,
        Action::Figures,
        Action::ActivationCode,
        Action::Deploy,
        Action::DeployCancel,
        Action::Assignment,
    ];

    /// The stored (and exported) name, `area.act`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::AccountCreate => "account.create",
            Action::AccountUpdate => "account.update",
            Action::AccountAnonymise => "account.anonymise",
            Action::RosterUpload => "roster.upload",
            Action::RosterImport => "roster.import",
            Action::CampaignSettings => "campaign.settings",
            Action::UnitTargets => "campaign.unit_targets",
            Action::Figures => "campaign.figures",
            Action::ActivationCode => "account.activation_code",
            Action::Deploy => "deploy.assign",
            Action::DeployCancel => "deploy.cancel",
            Action::Assignment => "unit.assignment",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    /// The i18n key of the act's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Action::AccountCreate => "audit.actions.account_create",
            Action::AccountUpdate => "audit.actions.account_update",
            Action::AccountAnonymise => "audit.actions.account_anonymise",
            Action::RosterUpload => "audit.actions.roster_upload",
            Action::RosterImport => "audit.actions.roster_import",
            Action::CampaignSettings => "audit.actions.campaign_settings",
            Action::UnitTargets => "audit.actions.unit_targets",
            Action::Figures => "audit.actions.figures",
            Action::ActivationCode => "audit.actions.activation_code",
            Action::Deploy => "audit.actions.deploy",
            Action::DeployCancel => "audit.actions.deploy_cancel",
            Action::Assignment => "audit.actions.assignment",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_name_and_names_are_unique() {
        let mut names = std::collections::BTreeSet::new();
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
            assert!(names.insert(action.as_str()), "{action:?}");
        }
        assert_eq!(Action::parse("account.delete"), None);
    }

    #[test]
    fn the_command_line_has_no_account_or_address() {
        let cli = Actor::command_line("import roster");
        assert_eq!(cli.account_id, None);
        assert_eq!(cli.address, None);
        assert_eq!(cli.name, "hocso import roster");
        let web = Actor::person(7, "Lê Thu Hà", "203.0.113.9".parse().ok());
        assert_eq!(web.address.as_deref(), Some("203.0.113.9"));
    }
}
