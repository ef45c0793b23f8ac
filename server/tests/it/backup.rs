//! `hocso backup` and `hocso restore`: a backup taken while accounts are being written restores
//! to a whole database (every account with its audit entry, nothing half-written), and the
//! mistakes an operator can make are refused before anything is touched.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use app::domain::audit::Action;
use app::domain::{Cohort, Contact, Role};
use app::store::{AuditFilter, Backend, Db, NewAccount};
use hocso::backup;

use crate::harness::TestDb;
use crate::on_both_databases;

fn resident(n: u64) -> NewAccount {
    NewAccount {
        full_name: "Nguyễn Thị Lan".into(),
        contact: Contact::parse(&format!("0913{n:06}")).unwrap(),
        password_hash: String::new(),
        role: Role::Learner,
        cohort: Some(Cohort::Resident),
        unit_code: Some("00004".into()),
        position_code: None,
        created_at: app::services::now(),
    }
}

/// Accounts in `db`, and the audit entries of their creation.
async fn accounts_and_entries(db: &Db) -> (i64, usize) {
    let filter = AuditFilter {
        action: Some(Action::AccountCreate),
        ..AuditFilter::default()
    };
    let entries = db.audit_log(&filter, None, 1_000_000).await.unwrap();
    (db.count_accounts().await.unwrap(), entries.len())
}

async fn a_backup_taken_under_writes_restores_whole(db: Db, url: String) {
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let writer = {
        let (db, stop, written) = (db.clone(), stop.clone(), written.clone());
        tokio::spawn(async move {
            let actor = crate::harness::operator();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                db.create_account(&resident(n), Some(&actor)).await.unwrap();
                n += 1;
                written.store(n, Ordering::SeqCst);
            }
        })
    };
    while written.load(Ordering::SeqCst) < 100 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hocso.backup");
    let at_start = written.load(Ordering::SeqCst) as i64;
    let done = backup::backup(&url, &file).await.unwrap();
    let at_end = written.load(Ordering::SeqCst) as i64;
    assert!(done.contains("backup written"), "{done}");
    // The writes go on after the backup: they are not in it.
    while (written.load(Ordering::SeqCst) as i64) < at_end + 20 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    let (live, _) = accounts_and_entries(&db).await;

    // A second backup to the same file is refused, and the first is untouched.
    let size = std::fs::metadata(&file).unwrap().len();
    let again = backup::backup(&url, &file).await.unwrap_err().to_string();
    assert!(again.contains("already exists"), "{again}");
    assert_eq!(std::fs::metadata(&file).unwrap().len(), size);

    // Restored into another database: whole, and as it was while the backup was taken.
    let target = match db.backend() {
        Backend::Sqlite => None,
        Backend::Postgres => Some(TestDb::postgres().await.expect("a second database")),
    };
    let target_url = match &target {
        Some(t) => t.url.clone(),
        None => format!("sqlite://{}/restored.db?mode=rwc", dir.path().display()),
    };
    let done = backup::restore(&target_url, &file).await.unwrap();
    assert!(done.contains("restored from"), "{done}");
    let restored = Db::connect(&target_url).await.unwrap();
    assert!(restored.is_intact().await.unwrap());
    let (accounts, entries) = accounts_and_entries(&restored).await;
    assert!(
        (at_start..=at_end).contains(&accounts),
        "{accounts} accounts restored; {at_start} were written when the backup began, \
         {at_end} when it ended"
    );
    assert!(accounts < live, "later writes are not in the backup");
    assert_eq!(
        entries as i64, accounts,
        "every account came back with its audit entry, and no entry without its account"
    );
    // The restored database is up to date and takes new writes.
    restored.migrate().await.unwrap();
    restored
        .create_account(&resident(999_999), Some(&crate::harness::operator()))
        .await
        .unwrap();
    restored.close().await;
    if let Some(target) = target {
        target.teardown().await;
    }
}
on_both_databases!(a_backup_taken_under_writes_restores_whole, with_url);

/// SQLite: the database a restore replaces is kept; a running server, a file that is not a
/// backup and a missing file are each refused with nothing changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_restore_keeps_what_it_replaces_and_refuses_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let source_url = format!("sqlite://{}/source.db?mode=rwc", dir.path().display());
    let source = Db::connect(&source_url).await.unwrap();
    source.migrate().await.unwrap();
    source
        .create_account(&resident(1), Some(&crate::harness::operator()))
        .await
        .unwrap();
    let file = dir.path().join("one-account.backup");
    backup::backup(&source_url, &file).await.unwrap();
    source.close().await;

    let live_url = format!("sqlite://{}/live.db?mode=rwc", dir.path().display());
    let live = Db::connect(&live_url).await.unwrap();
    live.migrate().await.unwrap();
    for n in 10..13 {
        live.create_account(&resident(n), None).await.unwrap();
    }
    live.close().await;

    // Refused, nothing changed: a server holds the database.
    {
        let _serving = backup::ServingLock::take(&live_url).unwrap();
        let refused = backup::restore(&live_url, &file)
            .await
            .unwrap_err()
            .to_string();
        assert!(refused.contains("stop it"), "{refused}");
    }
    // Refused: not a backup, not a file.
    let junk = dir.path().join("junk.backup");
    std::fs::write(&junk, b"SQLite format 3\0 but not really").unwrap();
    let refused = backup::restore(&live_url, &junk)
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("not a whole hocso backup"), "{refused}");
    let missing = dir.path().join("nowhere.backup");
    let refused = backup::restore(&live_url, &missing)
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("is not a file"), "{refused}");
    let live = Db::connect(&live_url).await.unwrap();
    assert_eq!(live.count_accounts().await.unwrap(), 3, "untouched so far");
    live.close().await;

    let done = backup::restore(&live_url, &file).await.unwrap();
    assert!(done.contains("kept as"), "{done}");
    let live = Db::connect(&live_url).await.unwrap();
    assert_eq!(live.count_accounts().await.unwrap(), 1);
    live.close().await;
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("live.db.before-restore-") && !name.ends_with("-wal"))
        .filter(|name| !name.ends_with("-shm"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let old = Db::open_sqlite_read_only(&dir.path().join(&kept[0]))
        .await
        .unwrap();
    assert_eq!(
        old.count_accounts().await.unwrap(),
        3,
        "the replaced database is whole"
    );
    old.close().await;
}
