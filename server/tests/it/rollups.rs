//! The property the dashboards rest on: after any sequence of the events the campaign counts
//! (learners joining and moving, evidence arriving and lapsing, shifts planned and cancelled,
//! sessions logged, residents becoming independent), the rollups maintained in each event's
//! transaction equal the naive aggregate counted from the records. On SQLite and PostgreSQL.

use proptest::prelude::*;

use app::domain::campaign::{household_key, Outcome, Shift};
use app::domain::{Cohort, Contact, Role};
use app::services::competency;
use app::store::{Db, NewAccount, NewAssist, NewEvidence, RosterWrite, StoreError};

use crate::campaign::assert_rollups_match;
use crate::harness::{app_state, TestDb};

const UNITS: [&str; 3] = ["00004", "00070", "00008"];
const SOURCES: [(&str, &str, i64); 4] = [
    ("practice", "chi-can-bo", 3),
    ("practice", "chi-can-bo-hai", 3),
    ("quiz", "thu-nghiem", 2),
    ("practice", "khai-sinh-thu", 2),
];

#[derive(Clone, Debug)]
enum Event {
    /// A learner joins (officials and volunteers through a roster, residents registering).
    Join {
        cohort: usize,
        unit: usize,
    },
    /// A learner's unit changes (a roster row moved).
    Move {
        learner: usize,
        unit: usize,
    },
    /// A piece of evidence, `days_ago` old.
    Evidence {
        learner: usize,
        source: usize,
        percent: i64,
        days_ago: i64,
    },
    Deploy {
        learner: usize,
        unit: usize,
        day: i64,
        shift: usize,
    },
    Cancel {
        shift: usize,
    },
    Assist {
        shift: usize,
        household: usize,
        resident: Option<usize>,
        outcome: usize,
        minutes: i64,
    },
    /// A resident passes a procedure's practice unaided.
    Unaided {
        learner: usize,
        source: usize,
    },
    /// Time passes: the sweep looks at levels that may have lapsed.
    Sweep {
        days: i64,
    },
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        2 => (0..3usize, 0..3usize).prop_map(|(cohort, unit)| Event::Join { cohort, unit }),
        1 => (0..12usize, 0..3usize).prop_map(|(learner, unit)| Event::Move { learner, unit }),
        5 => (0..12usize, 0..4usize, 60..=100i64, 0..400i64).prop_map(|(learner, source, percent, days_ago)| {
            Event::Evidence { learner, source, percent, days_ago }
        }),
        3 => (0..12usize, 0..3usize, 0..3i64, 0..3usize)
            .prop_map(|(learner, unit, day, shift)| Event::Deploy { learner, unit, day, shift }),
        2 => (0..8usize).prop_map(|shift| Event::Cancel { shift }),
        4 => (0..8usize, 0..4usize, proptest::option::weighted(0.8, 0..12usize), 0..3usize, 1..120i64)
            .prop_map(|(shift, household, resident, outcome, minutes)| Event::Assist {
                shift, household, resident, outcome, minutes,
            }),
        1 => (0..12usize, 0..4usize).prop_map(|(learner, source)| Event::Unaided { learner, source }),
        1 => (1..400i64).prop_map(|days| Event::Sweep { days }),
    ]
}

/// The `i`-th item, counting round: any index picks something once there is something.
fn pick<T>(list: &[T], i: usize) -> Option<&T> {
    (!list.is_empty()).then(|| &list[i % list.len()])
}

struct World {
    learners: Vec<(i64, Cohort, String)>,
    shifts: Vec<(i64, String)>,
    /// Shifts with sessions logged (they cannot be cancelled).
    logged: std::collections::HashSet<i64>,
    organizer: i64,
    clock: i64,
}

async fn apply(db: &Db, state: &app::services::AppState, w: &mut World, e: &Event) {
    let now = w.clock;
    match *e {
        Event::Join { cohort, unit } => {
            let cohort = Cohort::ALL[cohort];
            let n = w.learners.len();
            let phone = format!("09120{n:05}");
            let id = if cohort == Cohort::Resident {
                db.create_account(
                    &NewAccount {
                        full_name: "Vũ Thị Hòa".into(),
                        contact: Contact::Phone(phone.clone()),
                        password_hash: String::new(),
                        role: Role::Learner,
                        cohort: Some(cohort),
                        unit_code: Some(UNITS[unit].into()),
                        position_code: None,
                        created_at: now,
                    },
                    None,
                )
                .await
                .unwrap()
            } else {
                db.apply_roster(
                    &[RosterWrite::Create {
                        code: format!("R-{n}"),
                        full_name: "Nguyễn Văn An".into(),
                        cohort,
                        unit_code: UNITS[unit].into(),
                        position_code: None,
                        university: (cohort == Cohort::Volunteer)
                            .then(|| "Đại học Bách khoa".into()),
                        contact: Contact::Phone(phone.clone()),
                    }],
                    now,
                    |_| {},
                    &crate::harness::operator(),
                    "test",
                )
                .await
                .unwrap();
                db.account_by_contact(&Contact::Phone(phone.clone()))
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            };
            w.learners.push((id, cohort, phone));
        }
        Event::Move { learner, unit } => {
            let rostered: Vec<_> = w
                .learners
                .iter()
                .filter(|l| l.1 != Cohort::Resident)
                .cloned()
                .collect();
            let Some((id, _, phone)) = pick(&rostered, learner).cloned() else {
                return;
            };
            let old = db
                .roster_matches(&[], &[Contact::Phone(phone.clone())])
                .await
                .unwrap()
                .remove(0);
            db.apply_roster(
                &[RosterWrite::Update {
                    full_name: old.full_name.clone(),
                    unit_code: UNITS[unit].into(),
                    position_code: old.position_code.clone(),
                    university: old.university.clone(),
                    contact: Contact::Phone(phone),
                    old,
                }],
                now,
                |_| {},
                &crate::harness::operator(),
                "test",
            )
            .await
            .unwrap();
            competency::recompute_at(state, id, now).await.unwrap();
        }
        Event::Evidence {
            learner,
            source,
            percent,
            days_ago,
        } => {
            let Some(&(id, _, _)) = pick(&w.learners, learner) else {
                return;
            };
            let (kind, source_id, level) = SOURCES[source];
            let at = now - days_ago * 86_400;
            db.add_evidence(
                id,
                0,
                &[NewEvidence {
                    competence: "C2.3".into(),
                    level,
                    source_kind: kind,
                    source_id: source_id.into(),
                    source_version: 1,
                    percent,
                    earned_at: at,
                }],
            )
            .await
            .unwrap();
            competency::recompute_at(state, id, now).await.unwrap();
        }
        Event::Deploy {
            learner,
            unit,
            day,
            shift,
        } => {
            let volunteers: Vec<_> = w
                .learners
                .iter()
                .filter(|l| l.1 == Cohort::Volunteer)
                .cloned()
                .collect();
            let Some((id, _, _)) = pick(&volunteers, learner).cloned() else {
                return;
            };
            let day_start = (now.div_euclid(86_400) + day) * 86_400;
            match db
                .deploy(
                    id,
                    UNITS[unit],
                    day_start,
                    Shift::ALL[shift],
                    now,
                    &app::domain::audit::Actor::person(w.organizer, "Lê Thu Hà", None),
                )
                .await
            {
                Ok(shift) => w.shifts.push((shift, UNITS[unit].into())),
                Err(StoreError::Busy) => {}
                Err(e) => panic!("deploy: {e}"),
            }
        }
        Event::Cancel { shift } => {
            // Among the shifts that can still be cancelled (no sessions logged).
            let open: Vec<_> = w
                .shifts
                .iter()
                .filter(|s| !w.logged.contains(&s.0))
                .cloned()
                .collect();
            if let Some((id, _)) = pick(&open, shift).cloned() {
                if db
                    .cancel_deployment(id, now, &crate::harness::operator())
                    .await
                    .unwrap()
                {
                    w.shifts.retain(|s| s.0 != id);
                }
            }
        }
        Event::Assist {
            shift,
            household,
            resident,
            outcome,
            minutes,
        } => {
            let Some((shift_id, unit)) = pick(&w.shifts, shift).cloned() else {
                return;
            };
            let Some(volunteer) = db
                .deployment(shift_id)
                .await
                .unwrap()
                .map(|d| d.volunteer_id)
            else {
                return;
            };
            let residents: Vec<_> = w
                .learners
                .iter()
                .filter(|l| l.1 == Cohort::Resident)
                .cloned()
                .collect();
            let phone = resident
                .and_then(|r| pick(&residents, r))
                .map(|(_, _, phone)| phone.clone());
            db.log_assist(&NewAssist {
                volunteer_id: volunteer,
                deployment_id: Some(shift_id),
                unit_code: unit,
                household: household_key(&format!("Số {household} ngõ 5 Kim Mã")).unwrap(),
                resident_phone: phone,
                procedure_id: SOURCES[household % SOURCES.len()].1.into(),
                outcome: Outcome::ALL[outcome],
                minutes,
                at: now,
            })
            .await
            .unwrap();
            w.logged.insert(shift_id);
        }
        Event::Unaided { learner, source } => {
            let Some(&(id, _, _)) = pick(&w.learners, learner) else {
                return;
            };
            db.mark_independent(id, SOURCES[source].1, now)
                .await
                .unwrap();
        }
        Event::Sweep { days } => {
            w.clock += days * 86_400;
            competency::sweep_at(state, w.clock).await.unwrap();
        }
    }
}

async fn run(db: Db, events: Vec<Event>) {
    let state = app_state(db.clone());
    let organizer = db
        .create_account(
            &NewAccount {
                full_name: "Lê Thu Hà".into(),
                contact: Contact::Email("org@t.vn".into()),
                password_hash: String::new(),
                role: Role::Organizer,
                cohort: None,
                unit_code: None,
                position_code: None,
                created_at: 0,
            },
            None,
        )
        .await
        .unwrap();
    let mut world = World {
        learners: Vec::new(),
        shifts: Vec::new(),
        logged: Default::default(),
        organizer,
        clock: app::services::now(),
    };
    for e in &events {
        apply(&db, &state, &mut world, e).await;
    }
    assert_rollups_match(&db).await;
}

fn on(postgres: bool, events: Vec<Event>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let test_db = if postgres {
            match TestDb::postgres().await {
                Some(db) => db,
                None => return,
            }
        } else {
            TestDb::sqlite().await
        };
        crate::harness::within_limit(run(test_db.db.clone(), events)).await;
        test_db.teardown().await;
    });
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        max_shrink_iters: 40,
        ..ProptestConfig::default()
    })]

    #[test]
    fn rollups_equal_the_naive_aggregate_on_sqlite(events in proptest::collection::vec(event(), 10..80)) {
        on(false, events);
    }

    #[test]
    fn rollups_equal_the_naive_aggregate_on_postgres(events in proptest::collection::vec(event(), 10..80)) {
        on(true, events);
    }
}
