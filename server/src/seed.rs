//! A synthetic city for load tests and benchmarks (`hocso seed --learners N`), and the demo's
//! campaign: learners of every cohort spread over Hà Nội's units, each with quiz and exam
//! evidence drawn from the real curriculum, their standings computed by the domain's rule,
//! volunteers deployed to shifts, sessions logged in households, the portal's figures rising
//! day by day, and a 45-day campaign with its targets.
//!
//! Rows are written in bulk (SQLite: one JSON array per statement through `json_each`;
//! PostgreSQL: `COPY`), then the rollups are built once from the records. Everything the
//! running app maintains afterwards is maintained incrementally as usual. Seeded accounts
//! have no password: nobody can log in as them.

use std::collections::{BTreeMap, HashMap, HashSet};

use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use app::content::{Catalog, EvidenceSource};
use app::domain::audit::Actor;
use app::domain::campaign::{household_key, Goal};
use app::domain::competency::{self, Evidence};
use app::domain::vn::vn_day;
use app::domain::Cohort;
use app::services::{now, AppState, HANOI_PROVINCE_CODE};
use app::store::{BulkSink, BulkValue, NewCampaign, NewFigures};

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    pub learners: u64,
    pub evidence_per_learner: u64,
    pub random_seed: u64,
    /// Where to write (the COPY connection for PostgreSQL).
    pub database_url: String,
}

/// Units left out of a demo city (the demo accounts' own wards stay small).
const DEMO_UNITS: [&str; 2] = ["00004", "00070"];

/// Learners generated per batch (one transaction each).
const BATCH: u64 = 5_000;

const SURNAMES: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE: [&str; 12] = [
    "Văn", "Thị", "Minh", "Thu", "Hoàng", "Ngọc", "Đức", "Thanh", "Quang", "Hải", "Bảo", "Kim",
];
const GIVEN: [&str; 30] = [
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
    "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Ngân", "Phong", "Phương", "Quân", "Sơn", "Tâm",
    "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Đạt",
];
const UNIVERSITIES: [&str; 6] = [
    "Đại học Quốc gia Hà Nội",
    "Đại học Bách khoa Hà Nội",
    "Đại học Kinh tế Quốc dân",
    "Học viện Nông nghiệp Việt Nam",
    "Đại học Sư phạm Hà Nội",
    "Học viện Bưu chính Viễn thông",
];

fn name(rng: &mut StdRng) -> String {
    format!(
        "{} {} {}",
        SURNAMES[rng.gen_range(0..SURNAMES.len())],
        MIDDLE[rng.gen_range(0..MIDDLE.len())],
        GIVEN[rng.gen_range(0..GIVEN.len())]
    )
}

/// A learner as generated, kept for the campaign's shifts and sessions.
struct Person {
    id: i64,
    unit: usize,
    meets: bool,
}

/// The campaign the city is in: the province's current one, or a 45-day campaign begun 21
/// days ago with the targets of Hà Nội's campaign.
async fn campaign(state: &AppState, totals: (i64, i64)) -> anyhow::Result<(i64, i64, i64)> {
    let today = vn_day(now());
    if let Some(c) = state
        .db
        .current_campaign(HANOI_PROVINCE_CODE, today * 86_400)
        .await?
    {
        return Ok((c.id, c.starts_on.div_euclid(86_400), c.days));
    }
    let first_day = today - 21;
    let (volunteers, residents) = totals;
    let targets = vec![
        (Goal::OfficialsMeeting.as_str().to_owned(), 80),
        (
            Goal::VolunteersReady.as_str().to_owned(),
            (volunteers * 8 / 10).max(1),
        ),
        (
            Goal::VolunteersDeployed.as_str().to_owned(),
            (volunteers * 6 / 10).max(1),
        ),
        (
            Goal::ResidentsTrained.as_str().to_owned(),
            (residents / 2).max(1),
        ),
        (Goal::HouseholdsProficient.as_str().to_owned(), 60),
        (Goal::OnlineRate.as_str().to_owned(), 80),
    ];
    let id = state
        .db
        .create_campaign(
            &NewCampaign {
                province_code: HANOI_PROVINCE_CODE.to_owned(),
                name: "Chiến dịch 45 ngày chuyển đổi số cấp xã".to_owned(),
                starts_on: first_day * 86_400,
                days: 45,
                targets,
                created_by: None,
                created_at: now(),
            },
            &Actor::command_line("demo"),
        )
        .await?;
    Ok((id, first_day, 45))
}

fn bar(len: u64, message: &str, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg:>12} [{bar:40.cyan/blue}] {human_pos}/{human_len} ({per_sec}, {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_owned());
    bar
}

/// Generates the city. `progress` shows bars on the terminal.
pub async fn city(state: &AppState, o: &Options, progress: bool) -> anyhow::Result<()> {
    city_in(state, o, progress, &[]).await
}

/// The demo's campaign: a small city around the demo wards (left out), created once.
pub async fn demo(state: &AppState, database_url: &str) -> anyhow::Result<bool> {
    let today = vn_day(now());
    if state
        .db
        .current_campaign(HANOI_PROVINCE_CODE, today * 86_400)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let options = Options {
        learners: 2_500,
        evidence_per_learner: 12,
        random_seed: 45,
        database_url: database_url.to_owned(),
    };
    city_in(state, &options, false, &DEMO_UNITS).await?;
    Ok(true)
}

async fn city_in(
    state: &AppState,
    o: &Options,
    progress: bool,
    skip_units: &[&str],
) -> anyhow::Result<()> {
    let catalog: &Catalog = &state.content;
    let rule = catalog.framework.rule;
    let min_percent = i64::from(rule.min_percent);
    let mut rng = StdRng::seed_from_u64(o.random_seed);
    let units: Vec<String> = state
        .db
        .units(HANOI_PROVINCE_CODE)
        .await?
        .into_iter()
        .map(|u| u.code)
        .filter(|c| !skip_units.contains(&c.as_str()))
        .collect();
    anyhow::ensure!(!units.is_empty(), "no units to seed");
    let sources: Vec<EvidenceSource> = catalog.evidence_sources();
    let open_to = |c: Cohort| -> Vec<&EvidenceSource> {
        sources.iter().filter(|s| s.cohorts.contains(&c)).collect()
    };
    let by_cohort: HashMap<Cohort, Vec<&EvidenceSource>> =
        Cohort::ALL.into_iter().map(|c| (c, open_to(c))).collect();
    let positions: HashMap<Cohort, Vec<&app::content::Position>> = Cohort::ALL
        .into_iter()
        .map(|c| {
            (
                c,
                catalog.positions.iter().filter(|p| p.cohort == c).collect(),
            )
        })
        .collect();
    // Per position: the sources open to its cohort that evidence a competence it requires at
    // the level it requires (what a diligent learner takes).
    let useful: HashMap<String, Vec<&EvidenceSource>> = catalog
        .positions
        .iter()
        .map(|p| {
            let list = sources
                .iter()
                .filter(|s| s.cohorts.contains(&p.cohort))
                .filter(|s| {
                    p.requires
                        .iter()
                        .any(|r| s.level_for(&r.competence).is_some_and(|l| l >= r.level))
                })
                .collect();
            (p.id.clone(), list)
        })
        .collect();
    let leadership: Vec<Vec<(String, u8)>> = catalog
        .positions
        .iter()
        .filter(|p| p.leadership)
        .map(|p| p.standard())
        .collect();

    let at = now();
    let today = vn_day(at);
    let volunteers_total = (o.learners as i64 * 25 / 1000).max(1);
    let residents_total = o.learners as i64 - 2 * volunteers_total;
    let (campaign_id, first_day, days) =
        campaign(state, (volunteers_total, residents_total)).await?;
    let start = first_day * 86_400;

    let mut sink = BulkSink::open(&state.db, &o.database_url).await?;
    // Before the learners are written with explicit ids: PostgreSQL's id sequence only moves
    // past them at the end.
    let organizer = state.db.any_staff_id().await?;
    let first_id = state.db.max_account_id().await? + 1;
    let seed_tag = o.random_seed;
    let mut people: Vec<(Cohort, Person)> = Vec::new();
    let learners_bar = bar(o.learners, "learners", progress);
    let mut evidence_written: u64 = 0;
    let mut n: u64 = 0;
    while n < o.learners {
        let batch_end = (n + BATCH).min(o.learners);
        let mut accounts = Vec::new();
        let mut evidence = Vec::new();
        let mut standings = Vec::new();
        let mut levels_rows = Vec::new();
        for i in n..batch_end {
            let id = first_id + i as i64;
            // 2.5% officials, 2.5% volunteers, the rest residents.
            let cohort = match i % 40 {
                0 => Cohort::Official,
                1 => Cohort::Volunteer,
                _ => Cohort::Resident,
            };
            let unit_index = rng.gen_range(0..units.len());
            let unit = &units[unit_index];
            let position = positions
                .get(&cohort)
                .and_then(|list| list.get(rng.gen_range(0..list.len().max(1))))
                .copied();
            // Joined before the campaign (40%) or during it so far.
            let created = if rng.gen_bool(0.4) {
                start - rng.gen_range(1..60) * 86_400
            } else {
                start + rng.gen_range(0..(at - start).max(1))
            };
            accounts.push(vec![
                BulkValue::Int(id),
                BulkValue::Text(name(&mut rng)),
                BulkValue::Text(format!("s{seed_tag}-{id}@seed.invalid")),
                BulkValue::Text(String::new()),
                BulkValue::Text("learner".into()),
                BulkValue::Text(cohort.as_str().into()),
                BulkValue::Text(unit.clone()),
                position.map_or(BulkValue::Null, |p| BulkValue::Text(p.id.clone())),
                BulkValue::Int(0),
                BulkValue::Int(created),
                match cohort {
                    Cohort::Resident => BulkValue::Null,
                    _ => BulkValue::Text(format!("S{seed_tag}-{id}")),
                },
                match cohort {
                    Cohort::Volunteer => {
                        BulkValue::Text(UNIVERSITIES[rng.gen_range(0..UNIVERSITIES.len())].into())
                    }
                    _ => BulkValue::Null,
                },
            ]);
            // Evidence: assessments taken since joining, each tagging a few competences. About
            // a third never take one; the rest take about `evidence_per_learner` pieces'
            // worth at random, the diligent half first taking two assessments for each
            // competence their standard requires.
            let open = &by_cohort[&cohort];
            let active = rng.gen_bool(0.7);
            let wanted = if o.evidence_per_learner == 0 || !active {
                0
            } else {
                rng.gen_range(o.evidence_per_learner * 2 / 3..=o.evidence_per_learner * 2)
            };
            let diligent = active && rng.gen_bool(0.5);
            let skill = if diligent {
                rng.gen_range(0.85..1.0)
            } else {
                rng.gen_range(0.3..0.9)
            };
            let mut plan: Vec<&EvidenceSource> = Vec::new();
            if let (true, Some(p)) = (diligent, position) {
                let candidates = useful.get(&p.id).map(Vec::as_slice).unwrap_or_default();
                for r in &p.requires {
                    let fit: Vec<&EvidenceSource> = candidates
                        .iter()
                        .copied()
                        .filter(|s| s.level_for(&r.competence).is_some_and(|l| l >= r.level))
                        .collect();
                    for _ in 0..2 {
                        if let Some(s) = fit.get(rng.gen_range(0..fit.len().max(1))) {
                            if !plan.iter().any(|x| x.key == s.key) {
                                plan.push(s);
                            }
                        }
                    }
                }
            }
            let mut planned: usize = plan.iter().map(|s| s.evidences.len()).sum();
            while (planned as u64) < wanted && !open.is_empty() {
                let source = open[rng.gen_range(0..open.len())];
                planned += source.evidences.len();
                plan.push(source);
            }
            let mut pairs: Vec<(String, Evidence)> = Vec::new();
            for source in plan {
                let percent: i64 = if rng.gen_bool(skill) {
                    rng.gen_range(80..=100)
                } else {
                    rng.gen_range(30..80)
                };
                let earned = created + rng.gen_range(0..(at - created).max(1));
                for tag in &source.evidences {
                    evidence.push(vec![
                        BulkValue::Int(id),
                        BulkValue::Text(tag.competence.clone()),
                        BulkValue::Int(i64::from(tag.level)),
                        BulkValue::Text(source.kind.as_str().into()),
                        BulkValue::Text(source.id.clone()),
                        BulkValue::Int(i64::from(source.version)),
                        BulkValue::Int(percent),
                        BulkValue::Int(earned),
                        BulkValue::Int(0),
                    ]);
                    pairs.push((
                        tag.competence.clone(),
                        Evidence {
                            source: source.key.clone(),
                            level: tag.level,
                            percent: u32::try_from(percent).unwrap_or(0),
                            at: earned,
                            retired: false,
                        },
                    ));
                }
            }
            evidence_written += pairs.len() as u64;
            let levels = competency::verify_all(&rule, &pairs, at);
            let standard = position.map(|p| p.standard()).unwrap_or_default();
            let standing = competency::standing(&standard, &levels);
            let meets = standing.meets() && position.is_some();
            let trained = pairs
                .iter()
                .any(|(_, e)| i64::from(e.percent) >= min_percent);
            let leader_ready = cohort == Cohort::Official
                && leadership
                    .iter()
                    .any(|s| competency::standing(s, &levels).meets());
            let since = pairs
                .iter()
                .filter(|(_, e)| i64::from(e.percent) >= min_percent)
                .map(|(_, e)| e.at)
                .max();
            if let Some(p) = position {
                standings.push(vec![
                    BulkValue::Int(id),
                    BulkValue::Text(unit.clone()),
                    BulkValue::Text(cohort.as_str().into()),
                    BulkValue::Text(p.id.clone()),
                    BulkValue::Int(i64::from(standing.met)),
                    BulkValue::Int(i64::from(standing.required)),
                    BulkValue::Int(i64::from(meets)),
                    BulkValue::Int(i64::from(leader_ready)),
                    if meets {
                        since.map_or(BulkValue::Null, BulkValue::Int)
                    } else {
                        BulkValue::Null
                    },
                    standing.review_at.map_or(BulkValue::Null, BulkValue::Int),
                    BulkValue::Int(0),
                    BulkValue::Int(at),
                    BulkValue::Int(i64::from(trained)),
                ]);
            }
            for (competence, v) in levels.iter().filter(|(_, v)| v.level > 0) {
                levels_rows.push(vec![
                    BulkValue::Int(id),
                    BulkValue::Text(competence.clone()),
                    BulkValue::Int(i64::from(v.level)),
                    BulkValue::Int(v.until.unwrap_or(at)),
                    BulkValue::Int(at),
                ]);
            }
            if cohort != Cohort::Official {
                people.push((
                    cohort,
                    Person {
                        id,
                        unit: unit_index,
                        meets,
                    },
                ));
            }
        }
        sink.write(
            "accounts",
            &[
                "id",
                "full_name",
                "email",
                "password_hash",
                "role",
                "cohort",
                "unit_code",
                "position_code",
                "token_version",
                "created_at",
                "roster_code",
                "university",
            ],
            &accounts,
        )
        .await?;
        sink.write(
            "evidence",
            &[
                "account_id",
                "competence",
                "level",
                "source_kind",
                "source_id",
                "source_version",
                "percent",
                "earned_at",
                "record_id",
            ],
            &evidence,
        )
        .await?;
        sink.write(
            "standings",
            &[
                "account_id",
                "unit_code",
                "cohort",
                "position_id",
                "met",
                "required",
                "meets",
                "leader_ready",
                "meets_since",
                "review_at",
                "evidence_seen",
                "updated_at",
                "trained",
            ],
            &standings,
        )
        .await?;
        sink.write(
            "verified_levels",
            &[
                "account_id",
                "competence",
                "level",
                "valid_until",
                "updated_at",
            ],
            &levels_rows,
        )
        .await?;
        learners_bar.set_position(batch_end);
        n = batch_end;
    }
    learners_bar.finish_and_clear();

    // Shifts and sessions: ready volunteers sent out over the campaign so far (and the coming
    // week), guiding residents of the unit in their households.
    let mut residents: Vec<Vec<(i64, bool)>> = vec![Vec::new(); units.len()];
    let mut ready: Vec<&Person> = Vec::new();
    for (cohort, p) in &people {
        match cohort {
            Cohort::Resident => residents[p.unit].push((p.id, p.meets)),
            Cohort::Volunteer if p.meets => ready.push(p),
            _ => {}
        }
    }
    let first_deployment = state.db.max_id("deployments").await? + 1;
    let first_assist = state.db.max_id("assists").await? + 1;
    let mut deployments = Vec::new();
    let mut assists = Vec::new();
    let mut households: BTreeMap<(usize, String), (i64, bool)> = BTreeMap::new();
    let mut taken: HashSet<(i64, i64, usize)> = HashSet::new();
    let shifts = ["morning", "afternoon", "evening"];
    let last_planned = today + 7;
    for v in ready {
        if !rng.gen_bool(0.7) {
            continue;
        }
        for _ in 0..rng.gen_range(1..=4) {
            let day = rng.gen_range(first_day..=last_planned.max(first_day));
            let shift = rng.gen_range(0..shifts.len());
            if !taken.insert((v.id, day, shift)) {
                continue;
            }
            let unit = if rng.gen_bool(0.7) {
                v.unit
            } else {
                rng.gen_range(0..units.len())
            };
            let id = first_deployment + deployments.len() as i64;
            let assigned = (day * 86_400 - rng.gen_range(1..5) * 86_400).max(start - 86_400);
            deployments.push(vec![
                BulkValue::Int(id),
                BulkValue::Int(v.id),
                BulkValue::Text(units[unit].clone()),
                BulkValue::Int(day * 86_400),
                BulkValue::Text(shifts[shift].into()),
                BulkValue::Int(organizer),
                BulkValue::Int(assigned.min(at)),
            ]);
            if day > today || residents[unit].is_empty() {
                continue;
            }
            for _ in 0..rng.gen_range(0..=6) {
                let (resident, proficient) =
                    residents[unit][rng.gen_range(0..residents[unit].len())];
                let key =
                    household_key(&format!("Tổ {} số nhà {}", resident % 40 + 1, resident / 3))
                        .unwrap_or_default();
                let when = (day * 86_400 - 7 * 3600
                    + [8, 14, 19][shift] * 3600
                    + rng.gen_range(0..3 * 3600))
                .min(at);
                let outcome = match rng.gen_range(0..100) {
                    0..=64 => "online",
                    65..=89 => "helped",
                    _ => "impossible",
                };
                let independent = (rng.gen_bool(0.25))
                    .then(|| when + rng.gen_range(1..6) * 86_400)
                    .filter(|t| *t <= at);
                let procedure = catalog
                    .sandbox
                    .procedures
                    .get(rng.gen_range(0..catalog.sandbox.procedures.len().max(1)))
                    .map_or("khac".to_owned(), |p| p.id.clone());
                assists.push(vec![
                    BulkValue::Int(first_assist + assists.len() as i64),
                    BulkValue::Int(v.id),
                    BulkValue::Int(id),
                    BulkValue::Text(units[unit].clone()),
                    BulkValue::Text(key.clone()),
                    BulkValue::Int(resident),
                    BulkValue::Text(procedure),
                    BulkValue::Text(outcome.into()),
                    BulkValue::Int(rng.gen_range(5..=60)),
                    BulkValue::Int(when),
                    independent.map_or(BulkValue::Null, BulkValue::Int),
                ]);
                let entry = households.entry((unit, key)).or_insert((when, false));
                entry.0 = entry.0.min(when);
                entry.1 |= proficient || independent.is_some();
            }
        }
    }
    sink.write(
        "deployments",
        &[
            "id",
            "volunteer_id",
            "unit_code",
            "day",
            "shift",
            "assigned_by",
            "assigned_at",
        ],
        &deployments,
    )
    .await?;
    let household_rows: Vec<Vec<BulkValue>> = households
        .iter()
        .map(|((unit, key), (first, proficient))| {
            vec![
                BulkValue::Text(units[*unit].clone()),
                BulkValue::Text(key.clone()),
                BulkValue::Int(i64::from(*proficient)),
                BulkValue::Int(*first),
            ]
        })
        .collect();
    sink.write(
        "households",
        &["unit_code", "household_key", "proficient", "first_seen"],
        &household_rows,
    )
    .await?;
    sink.write(
        "assists",
        &[
            "id",
            "volunteer_id",
            "deployment_id",
            "unit_code",
            "household",
            "resident_id",
            "procedure_id",
            "outcome",
            "minutes",
            "at",
            "independent_at",
        ],
        &assists,
    )
    .await?;
    drop(sink);
    state.db.after_bulk_load().await?;

    // The portal's figures every third day: households, and an online rate rising from each
    // unit's own start (a few units lag behind).
    let mut figures = Vec::new();
    for (i, unit) in units.iter().enumerate() {
        let households = (residents[i].len() as i64 * 11 / 10).max(50);
        let start_rate: i64 = rng.gen_range(30..56);
        let daily: f64 = if i % 9 == 0 {
            0.2
        } else {
            rng.gen_range(0.6..1.3)
        };
        let mut day = first_day - 1;
        while day <= today.min(first_day + days - 1) {
            let elapsed = (day - first_day + 1).max(0);
            let rate = (start_rate as f64 + daily * elapsed as f64).min(97.0) as i64;
            let received = 40 + elapsed * rng.gen_range(8..20);
            figures.push(NewFigures {
                campaign_id,
                unit_code: unit.clone(),
                as_of: day * 86_400,
                households: Some(households),
                procedures_received: Some(received),
                procedures_online: Some(received * rate / 100),
                entered_by: None,
                entered_at: at,
            });
            day += 3;
        }
    }
    state
        .db
        .set_many_figures(&figures, &Actor::command_line("demo"))
        .await?;

    let spinner = if progress {
        let s = ProgressBar::new_spinner();
        s.set_message("building the rollups from the records");
        s.enable_steady_tick(std::time::Duration::from_millis(120));
        s
    } else {
        ProgressBar::hidden()
    };
    state.db.rebuild_rollups(min_percent, at).await?;
    // The standings were computed with today's content: nothing to recompute at start-up.
    state
        .db
        .set_competency_fingerprint(&app::services::competency::fingerprint(catalog))
        .await?;
    spinner.finish_and_clear();
    if progress {
        println!(
            "seeded {} learners in {} units, {} evidence rows, {} shifts, {} sessions",
            o.learners,
            units.len(),
            evidence_written,
            deployments.len(),
            assists.len()
        );
    }
    Ok(())
}
