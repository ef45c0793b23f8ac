//! Demo accounts, one per role, for development and the end-to-end tests. Refused in
//! production (see [`crate::config::Config`]); their passwords are published in the README.

use app::domain::{Cohort, Contact, Role};
use app::services::accounts::{create_account, AccountSpec};
use app::services::AppState;

/// (full name, contact, password, role, cohort, unit code, position code)
type DemoAccount = (
    &'static str,
    &'static str,
    &'static str,
    Role,
    Option<Cohort>,
    Option<&'static str>,
    Option<&'static str>,
);

/// The demo accounts. Names are invented; units are real (Phường Ba Đình, Phường Hoàn Kiếm).
pub const DEMO_ACCOUNTS: [DemoAccount; 6] = [
    (
        "Trần Minh Quân",
        "admin@hocso.test",
        "quan-tri-demo-2025",
        Role::Admin,
        None,
        None,
        None,
    ),
    (
        "Lê Thu Hà",
        "tochuc@hocso.test",
        "to-chuc-demo-2025",
        Role::Organizer,
        None,
        None,
        None,
    ),
    (
        "Phạm Văn Đức",
        "quanly@hocso.test",
        "quan-ly-demo-2025",
        Role::UnitManager,
        None,
        Some("00004"),
        None,
    ),
    (
        "Nguyễn Thị Lan",
        "canbo@hocso.test",
        "can-bo-demo-2025",
        Role::Learner,
        Some(Cohort::Official),
        Some("00004"),
        Some("mot-cua"),
    ),
    (
        "Đỗ Hoàng Nam",
        "tinhnguyen@hocso.test",
        "tinh-nguyen-demo-2025",
        Role::Learner,
        Some(Cohort::Volunteer),
        Some("00004"),
        None,
    ),
    (
        "Vũ Thị Hòa",
        "0912345678",
        "nguoi-dan-demo-2025",
        Role::Learner,
        Some(Cohort::Resident),
        Some("00070"),
        None,
    ),
];

/// Creates the demo accounts that do not exist yet; returns how many were created.
pub async fn seed(state: &AppState) -> anyhow::Result<usize> {
    let mut created = 0;
    for (name, contact, password, role, cohort, unit, position) in DEMO_ACCOUNTS {
        let parsed = Contact::parse(contact).map_err(|e| anyhow::anyhow!("{contact}: {e}"))?;
        if state.db.account_by_contact(&parsed).await?.is_some() {
            continue;
        }
        let spec = AccountSpec {
            full_name: name.to_owned(),
            contact: contact.to_owned(),
            password: password.to_owned(),
            role,
            cohort,
            unit_code: unit.map(str::to_owned),
            position_code: position.map(str::to_owned),
        };
        create_account(state, &spec)
            .await
            .map_err(|e| anyhow::anyhow!("demo account {contact}: {e}"))?;
        created += 1;
    }
    Ok(created)
}
