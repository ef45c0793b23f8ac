//! The persistence layer, identical on SQLite and PostgreSQL.

use app::domain::{Cohort, Contact, Role};
use app::store::{Db, NewAccount, StoreError};

use crate::on_both_databases;

fn resident(contact: &str) -> NewAccount {
    NewAccount {
        full_name: "Nguyễn Thị Hoa".into(),
        contact: Contact::parse(contact).unwrap(),
        password_hash: "$argon2id$not-a-real-hash".into(),
        role: Role::Learner,
        cohort: Some(Cohort::Resident),
        unit_code: Some("00070".into()),
        position_code: None,
        created_at: 1_751_328_000,
    }
}

async fn hanoi_units_are_seeded(db: Db) {
    let units = db.units("01").await.unwrap();
    assert_eq!(units.len(), 126);
    assert_eq!(
        units.iter().filter(|u| u.division_type == "phường").count(),
        51
    );
    assert_eq!(units.iter().filter(|u| u.division_type == "xã").count(), 75);
    let ba_dinh = db.unit("00004").await.unwrap().unwrap();
    assert_eq!(ba_dinh.name, "Phường Ba Đình");
    assert!(db.unit("99999").await.unwrap().is_none());
}
on_both_databases!(hanoi_units_are_seeded);

async fn accounts_round_trip_and_contacts_are_unique(db: Db) {
    let id = db
        .create_account(&resident("0912345678"), None)
        .await
        .unwrap();
    let row = db
        .account_by_contact(&Contact::Phone("0912345678".into()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.id, id);
    assert_eq!(row.full_name, "Nguyễn Thị Hoa");
    assert_eq!(row.role(), Some(Role::Learner));
    assert_eq!(row.cohort(), Some(Cohort::Resident));
    assert_eq!(row.unit_name.as_deref(), Some("Phường Hoàn Kiếm"));
    assert_eq!(row.token_version, 0);

    let again = db.create_account(&resident("+84912345678"), None).await;
    assert!(matches!(again, Err(StoreError::ContactTaken)), "{again:?}");
    assert_eq!(
        db.count_accounts().await.unwrap(),
        1,
        "nothing half-written"
    );

    let email = db
        .create_account(&resident("hoa@example.vn"), None)
        .await
        .unwrap();
    assert_ne!(email, id);
}
on_both_databases!(accounts_round_trip_and_contacts_are_unique);

async fn an_unknown_unit_is_refused(db: Db) {
    let mut account = resident("0987654321");
    account.unit_code = Some("99999".into());
    let result = db.create_account(&account, None).await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(db.count_accounts().await.unwrap(), 0);
}
on_both_databases!(an_unknown_unit_is_refused);

async fn token_versions_move_forward(db: Db) {
    let id = db
        .create_account(&resident("0912345678"), None)
        .await
        .unwrap();
    assert_eq!(db.bump_token_version(id).await.unwrap(), 1);
    assert_eq!(db.set_password(id, "$argon2id$other").await.unwrap(), 2);
    let row = db.account_by_id(id).await.unwrap().unwrap();
    assert_eq!(row.password_hash, "$argon2id$other");
    assert_eq!(row.token_version, 2);
    assert!(matches!(
        db.bump_token_version(id + 1000).await,
        Err(StoreError::NotFound)
    ));
}
on_both_databases!(token_versions_move_forward);

async fn the_directory_can_be_scoped_to_a_unit(db: Db) {
    db.create_account(&resident("0912345678"), None)
        .await
        .unwrap();
    let mut other = resident("0987654321");
    other.unit_code = Some("00004".into());
    db.create_account(&other, None).await.unwrap();
    assert_eq!(db.list_accounts(None, 10).await.unwrap().len(), 2);
    let ba_dinh = db.list_accounts(Some("00004"), 10).await.unwrap();
    assert_eq!(ba_dinh.len(), 1);
    assert_eq!(ba_dinh[0].unit_name.as_deref(), Some("Phường Ba Đình"));
    assert_eq!(db.list_accounts(None, 1).await.unwrap().len(), 1);
}
on_both_databases!(the_directory_can_be_scoped_to_a_unit);

async fn migrations_are_idempotent_and_health_answers(db: Db) {
    db.migrate().await.unwrap();
    db.ping().await.unwrap();
    assert_eq!(db.units("01").await.unwrap().len(), 126);
}
on_both_databases!(migrations_are_idempotent_and_health_answers);
