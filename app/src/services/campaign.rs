//! Campaign flows: the city dashboard and a unit's report (read from the rollups, never from
//! the records), the campaign's settings and targets, the figures entered from the portal's
//! statistics, the CSV exports, and building the rollups once from the records.

use std::collections::{BTreeMap, HashMap};

use super::{internal, now, AppState, HANOI_PROVINCE_CODE};
use crate::domain::audit::Actor;
use crate::domain::campaign::{self, Calendar, Goal, Metric, Reading, Shift};
use crate::domain::vn::{vn_day, Date};
use crate::domain::Cohort;
use crate::store::{
    province_scope, CampaignChange, CampaignRow, FiguresRow, NewCampaign, NewFigures, StoreError,
};
use crate::types::campaign::{
    AssistSummary, CampaignInfo, CampaignSettings, CohortLine, Dashboard, FiguresView, GoalLine,
    ShiftLine, UnitSummary,
};
use crate::types::form::{FormErrors, FormInput, Posted};
use crate::types::{AppError, CurrentUser};

/// What a new campaign is called and how long it runs when nobody says otherwise.
pub const DEFAULT_DAYS: i64 = 45;

/// At start-up: builds the rollups from the records when they never were (the first start
/// after the campaign migration). Returns whether it built them.
pub async fn ensure_rollups(state: &AppState) -> Result<bool, StoreError> {
    if state.db.rollups_built().await? {
        return Ok(false);
    }
    let min_percent = i64::from(state.content.framework.rule.min_percent);
    let rows = state.db.rebuild_rollups(min_percent, now()).await?;
    tracing::info!(rows, "campaign rollups built from the records");
    Ok(true)
}

fn calendar(c: &CampaignRow) -> Calendar {
    Calendar {
        first_day: c.starts_on.div_euclid(86_400),
        days: c.days,
    }
}

fn info(c: &CampaignRow, today: i64) -> CampaignInfo {
    let cal = calendar(c);
    CampaignInfo {
        id: c.id,
        name: c.name.clone(),
        first_day: Date::from_epoch_days(cal.first_day).to_string(),
        last_day: Date::from_epoch_days(cal.last_day()).to_string(),
        first_epoch_day: cal.first_day,
        days: cal.days,
        phase: cal.phase(today),
        elapsed: cal.elapsed(today),
    }
}

/// A unit's outside figures as they stood on a day: the latest households count and the
/// latest pair of received/online procedures entered on or before it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Figures {
    households: Option<i64>,
    received: Option<i64>,
    online: Option<i64>,
}

impl Figures {
    fn add(self, other: Figures) -> Figures {
        let sum = |a: Option<i64>, b: Option<i64>| match (a, b) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        let (received, online) = match (self.received, other.received) {
            (None, None) => (None, None),
            _ => (
                sum(self.received, other.received),
                sum(self.online, other.online),
            ),
        };
        Figures {
            households: sum(self.households, other.households),
            received,
            online,
        }
    }
}

/// Each unit's figures as of `day` (rows oldest first).
fn figures_on(rows: &[FiguresRow], day: i64) -> HashMap<&str, Figures> {
    let mut out: HashMap<&str, Figures> = HashMap::new();
    for r in rows.iter().filter(|r| r.as_of.div_euclid(86_400) <= day) {
        let f = out.entry(r.unit_code.as_str()).or_default();
        if r.households.is_some() {
            f.households = r.households;
        }
        if let (Some(received), Some(online)) = (r.procedures_received, r.procedures_online) {
            f.received = Some(received);
            f.online = Some(online);
        }
    }
    out
}

fn stat(stats: &HashMap<Metric, i64>, m: Metric) -> i64 {
    stats.get(&m).copied().unwrap_or(0)
}

fn reading(goal: Goal, stats: &HashMap<Metric, i64>, figures: Figures) -> Reading {
    match goal {
        Goal::OfficialsMeeting => Reading::share(
            stat(stats, Metric::Meeting(Cohort::Official)),
            stat(stats, Metric::Members(Cohort::Official)),
        ),
        Goal::VolunteersReady => Reading::count(stat(stats, Metric::Meeting(Cohort::Volunteer))),
        Goal::VolunteersDeployed => Reading::count(stat(stats, Metric::Deployed)),
        Goal::ResidentsTrained => Reading::count(stat(stats, Metric::Trained(Cohort::Resident))),
        Goal::HouseholdsProficient => Reading {
            count: stat(stats, Metric::HouseholdsProficient),
            of: figures.households,
        },
        Goal::OnlineRate => match (figures.online, figures.received) {
            (Some(online), Some(received)) => Reading::share(online, received),
            _ => Reading::default(),
        },
    }
}

/// The targets that apply to a scope: a unit's own, else (percent goals only) the city's.
fn targets_for(all: &[(String, String, i64)], unit: Option<&str>) -> BTreeMap<Goal, i64> {
    let mut out = BTreeMap::new();
    for (scope, metric, target) in all {
        let Some(goal) = Goal::parse(metric) else {
            continue;
        };
        if scope == "city" && (unit.is_none() || goal.is_percent()) {
            out.entry(goal).or_insert(*target);
        }
    }
    if let Some(unit) = unit {
        for (scope, metric, target) in all {
            if let (true, Some(goal)) = (scope == unit, Goal::parse(metric)) {
                out.insert(goal, *target);
            }
        }
    }
    out
}

fn cohorts(stats: &HashMap<Metric, i64>) -> Vec<CohortLine> {
    Cohort::ALL
        .into_iter()
        .map(|cohort| CohortLine {
            cohort,
            members: stat(stats, Metric::Members(cohort)),
            trained: stat(stats, Metric::Trained(cohort)),
            meeting: stat(stats, Metric::Meeting(cohort)),
        })
        .collect()
}

fn assists(stats: &HashMap<Metric, i64>) -> AssistSummary {
    AssistSummary {
        total: stat(stats, Metric::Assists),
        online: stat(stats, Metric::AssistsOnline),
        helped: stat(stats, Metric::AssistsHelped),
        impossible: stat(stats, Metric::AssistsImpossible),
        minutes: stat(stats, Metric::AssistMinutes),
        independent: stat(stats, Metric::AssistsIndependent),
        households_seen: stat(stats, Metric::HouseholdsSeen),
        households_proficient: stat(stats, Metric::HouseholdsProficient),
    }
}

/// What a dashboard reads for one scope (the city, or a unit): the campaign in force, the
/// scope's rollups and their history, the campaign's targets and figures.
struct ScopeData {
    campaign: Option<CampaignRow>,
    stats: HashMap<Metric, i64>,
    /// The day before the campaign at index 0, then one entry a day.
    history: BTreeMap<Metric, Vec<i64>>,
    /// Every target of the campaign: (scope, goal code, target).
    targets: Vec<(String, String, i64)>,
    /// The campaign's figures, of every unit (city) or of the unit.
    figures: Vec<FiguresRow>,
}

/// Reads a scope's data: `scope` is a unit code or a province scope; `unit` narrows the
/// figures to one unit.
async fn scope_data(
    state: &AppState,
    province: &str,
    scope: &str,
    unit: Option<&str>,
    today: i64,
) -> Result<ScopeData, AppError> {
    let campaign = state
        .db
        .current_campaign(province, today * 86_400)
        .await
        .map_err(internal)?;
    let stats = state.db.stats_of(scope).await.map_err(internal)?;
    let Some(c) = &campaign else {
        return Ok(ScopeData {
            campaign,
            stats,
            history: BTreeMap::new(),
            targets: Vec::new(),
            figures: Vec::new(),
        });
    };
    let cal = calendar(c);
    Ok(ScopeData {
        history: state
            .db
            .history(scope, cal.first_day - 1, cal.days + 1)
            .await
            .map_err(internal)?,
        targets: state.db.targets(c.id).await.map_err(internal)?,
        figures: state.db.figures(c.id, unit).await.map_err(internal)?,
        campaign,
        stats,
    })
}

/// The goal lines of a scope: today's value, the target line, and the history of each day.
fn goal_lines(data: &ScopeData, today: i64, unit: Option<&str>) -> Vec<GoalLine> {
    let targets = targets_for(&data.targets, unit);
    let cal = data.campaign.as_ref().map(calendar);
    let elapsed = cal.map_or(0, |c| c.elapsed(today));
    let scope_figures = |day: i64| -> Figures {
        figures_on(&data.figures, day)
            .into_values()
            .fold(Figures::default(), Figures::add)
    };
    // Each day's rollups and figures, read once for every goal: the day before the campaign,
    // then its days so far (today's rollups are the live ones).
    let days: Vec<(HashMap<Metric, i64>, Figures)> = match cal {
        Some(c) => (0..=elapsed)
            .map(|i| {
                let day = c.first_day + i - 1;
                let stats = if day == today {
                    data.stats.clone()
                } else {
                    let i = usize::try_from(i).unwrap_or(0);
                    data.history
                        .iter()
                        .filter_map(|(m, series)| Some((*m, *series.get(i)?)))
                        .collect()
                };
                (stats, scope_figures(day))
            })
            .collect(),
        None => Vec::new(),
    };
    let today_figures = scope_figures(today);
    Goal::ALL
        .into_iter()
        .map(|goal| {
            let now = reading(goal, &data.stats, today_figures);
            let target = targets.get(&goal).copied();
            let value_on = |(stats, figures): &(HashMap<Metric, i64>, Figures)| {
                reading(goal, stats, *figures).value(goal)
            };
            let start = days.first().and_then(value_on).unwrap_or(0);
            let series = days.iter().skip(1).map(value_on).collect();
            let expected = match (cal, target) {
                (Some(c), Some(t)) => Some(campaign::target_line(start.min(t), t, elapsed, c.days)),
                _ => None,
            };
            let value = now.value(goal);
            let behind = !campaign::shortfalls(
                &[(goal, target, value, start)],
                elapsed,
                cal.map_or(0, |c| c.days),
            )
            .is_empty();
            GoalLine {
                goal,
                value,
                count: now.count,
                of: now.of,
                target,
                expected,
                start,
                series,
                behind,
            }
        })
        .collect()
}

/// The organizers' dashboard for Hà Nội: day N of the campaign, each goal against its target
/// line, coverage per cohort, the units at risk and every unit's numbers.
pub async fn dashboard(state: &AppState, user: &CurrentUser) -> Result<Dashboard, AppError> {
    let province = HANOI_PROVINCE_CODE;
    let today = vn_day(now());
    let data = scope_data(state, province, &province_scope(province), None, today).await?;
    let goals = goal_lines(&data, today, None);
    let units = unit_summaries(state, province, &data, today).await?;
    let mut at_risk: Vec<UnitSummary> = units
        .iter()
        .filter(|u| !u.behind.is_empty())
        .cloned()
        .collect();
    at_risk.sort_by_key(|u| (u.pace.unwrap_or(100), u.code.clone()));
    Ok(Dashboard {
        campaign: data.campaign.as_ref().map(|c| info(c, today)),
        scope_name: province_name(state, province).await?,
        unit_code: None,
        goals,
        cohorts: cohorts(&data.stats),
        assists: assists(&data.stats),
        at_risk,
        units,
        shifts: Vec::new(),
        figures: None,
        unit_targets: Vec::new(),
        can_enter_figures: user.role.may_list_accounts(),
        can_set_targets: user.role.may_list_accounts(),
    })
}

async fn province_name(state: &AppState, code: &str) -> Result<String, AppError> {
    Ok(state
        .db
        .province(code)
        .await
        .map_err(internal)?
        .unwrap_or_else(|| code.to_owned()))
}

/// Every unit of a province with its numbers and the goals it is behind on.
async fn unit_summaries(
    state: &AppState,
    province: &str,
    data: &ScopeData,
    today: i64,
) -> Result<Vec<UnitSummary>, AppError> {
    let units = state.db.units(province).await.map_err(internal)?;
    let stats = state.db.unit_stats(province).await.map_err(internal)?;
    let cal = data.campaign.as_ref().map(calendar);
    let openings = match (&data.campaign, cal) {
        (Some(row), Some(c)) => state
            .db
            .campaign_openings(row.id, province, c.first_day, today)
            .await
            .map_err(internal)?,
        _ => HashMap::new(),
    };
    let figures = &data.figures;
    let all_targets = &data.targets;
    let now_figures = figures_on(figures, today);
    let start_figures = cal
        .map(|c| figures_on(figures, c.first_day - 1))
        .unwrap_or_default();
    let empty = HashMap::new();
    Ok(units
        .into_iter()
        .map(|u| {
            let s = stats.get(&u.code).unwrap_or(&empty);
            let f = now_figures
                .get(u.code.as_str())
                .copied()
                .unwrap_or_default();
            let targets = targets_for(all_targets, Some(&u.code));
            let opening = openings.get(&u.code).unwrap_or(&empty);
            let f0 = start_figures
                .get(u.code.as_str())
                .copied()
                .unwrap_or_default();
            let judged: Vec<(Goal, Option<i64>, Option<i64>, i64)> = Goal::ALL
                .into_iter()
                .map(|g| {
                    let start = reading(g, opening, f0).value(g).unwrap_or(0);
                    (
                        g,
                        targets.get(&g).copied(),
                        reading(g, s, f).value(g),
                        start,
                    )
                })
                .collect();
            let behind = match cal {
                Some(c) => campaign::shortfalls(&judged, c.elapsed(today), c.days),
                None => Vec::new(),
            };
            UnitSummary {
                officials: stat(s, Metric::Members(Cohort::Official)),
                officials_meeting: stat(s, Metric::Meeting(Cohort::Official)),
                volunteers_ready: stat(s, Metric::Meeting(Cohort::Volunteer)),
                deployed: stat(s, Metric::Deployed),
                residents_trained: stat(s, Metric::Trained(Cohort::Resident)),
                households_proficient: stat(s, Metric::HouseholdsProficient),
                households: f.households,
                online_rate: reading(Goal::OnlineRate, s, f).value(Goal::OnlineRate),
                pace: behind.first().map(|b| b.pace_percent()),
                behind: behind
                    .iter()
                    .map(|b| (b.goal, b.value, b.expected))
                    .collect(),
                code: u.code,
                name: u.name,
            }
        })
        .collect())
}

/// One unit's report: its goals against its targets, coverage, sessions, shifts and figures.
/// A unit manager sees only their own unit.
pub async fn unit_report(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
) -> Result<Dashboard, AppError> {
    let unit = super::visible_unit(state, user, code).await?;
    let today = vn_day(now());
    let data = scope_data(state, &unit.province_code, code, Some(code), today).await?;
    let goals = goal_lines(&data, today, Some(code));
    let shifts = state
        .db
        .deployments(Some(code), None, today * 86_400, 60)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|d| shift_line(d, today))
        .collect();
    let latest = data.figures.last().map(|f| FiguresView {
        date: Date::from_epoch_days(f.as_of.div_euclid(86_400)).to_string(),
        households: f.households,
        received: f.procedures_received,
        online: f.procedures_online,
    });
    let unit_targets = data
        .targets
        .iter()
        .filter(|(scope, _, _)| scope == code)
        .filter_map(|(_, m, t)| Some((Goal::parse(m)?, *t)))
        .collect();
    let running = data.campaign.is_some();
    Ok(Dashboard {
        campaign: data.campaign.as_ref().map(|c| info(c, today)),
        scope_name: unit.name,
        unit_code: Some(unit.code),
        goals,
        cohorts: cohorts(&data.stats),
        assists: assists(&data.stats),
        at_risk: Vec::new(),
        units: Vec::new(),
        shifts,
        figures: latest,
        unit_targets,
        can_enter_figures: running,
        can_set_targets: running && user.role.may_list_accounts(),
    })
}

/// A shift as listed.
pub fn shift_line(d: crate::store::DeploymentRow, today: i64) -> ShiftLine {
    let day = d.day.div_euclid(86_400);
    ShiftLine {
        id: d.id,
        volunteer: d.volunteer_name,
        unit_code: d.unit_code,
        unit: d.unit_name,
        date: Date::from_epoch_days(day).to_string(),
        shift: Shift::parse(&d.shift).unwrap_or(Shift::Morning),
        assists: d.assists,
        open: campaign::may_log_for(day, today),
    }
}

/// The settings form: the current campaign's, or a new 45-day campaign from today.
pub async fn settings(state: &AppState) -> Result<CampaignSettings, AppError> {
    let today = vn_day(now());
    let campaign = state
        .db
        .current_campaign(HANOI_PROVINCE_CODE, today * 86_400)
        .await
        .map_err(internal)?;
    let Some(c) = campaign else {
        return Ok(CampaignSettings {
            id: None,
            name: String::new(),
            first_day: Date::from_epoch_days(today).to_string(),
            days: DEFAULT_DAYS,
            targets: Goal::ALL.into_iter().map(|g| (g, None)).collect(),
        });
    };
    let targets = targets_for(&state.db.targets(c.id).await.map_err(internal)?, None);
    Ok(CampaignSettings {
        id: Some(c.id),
        name: c.name.clone(),
        first_day: Date::from_epoch_days(calendar(&c).first_day).to_string(),
        days: c.days,
        targets: Goal::ALL
            .into_iter()
            .map(|g| (g, targets.get(&g).copied()))
            .collect(),
    })
}

/// Reads target fields `target-<goal>`: blank is no target; otherwise a whole number within
/// the goal's range.
fn read_targets(form: &FormInput, errors: &mut FormErrors) -> Vec<(String, i64)> {
    let mut targets = Vec::new();
    for goal in Goal::ALL {
        let name = format!("target-{}", goal.as_str());
        let value = form.get(&name).trim();
        if value.is_empty() {
            continue;
        }
        let key = if goal.is_percent() {
            "campaign.errors.percent"
        } else {
            "campaign.errors.count"
        };
        match value.trim_end_matches('%').trim().parse::<i64>() {
            Ok(n) if (0..=goal.max_target()).contains(&n) => {
                targets.push((goal.as_str().to_owned(), n))
            }
            _ => errors.add(name, key),
        }
    }
    targets
}

/// Creates or changes Hà Nội's campaign (form fields `name`, `first_day`, `days`,
/// `target-<goal>`). Every problem is reported; nothing is written unless all is well.
pub async fn save_settings(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    form: &FormInput,
) -> Posted<()> {
    if !user.role.may_list_accounts() {
        return Err(AppError::Forbidden.into());
    }
    let mut errors = FormErrors::default();
    let name = crate::domain::text::normalize(form.get("name"));
    if name.is_empty() || name.chars().count() > 120 {
        errors.add("name", "campaign.errors.name");
    }
    let first = Date::parse_form(form.get("first_day")).ok();
    if first.is_none() {
        errors.add("first_day", "campaign.errors.first_day");
    }
    let days = form
        .get("days")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=366).contains(d));
    if days.is_none() {
        errors.add("days", "campaign.errors.days");
    }
    let targets = read_targets(form, &mut errors);
    let (Some(first), Some(days), true) = (first, days, errors.is_empty()) else {
        return Err(errors.into());
    };
    let today = vn_day(now());
    let current = state
        .db
        .current_campaign(HANOI_PROVINCE_CODE, today * 86_400)
        .await
        .map_err(internal)?;
    let id = form.get("id").parse::<i64>().ok();
    let result = match (id, current) {
        (Some(id), Some(c)) if c.id == id => {
            state
                .db
                .update_campaign(
                    id,
                    CampaignChange {
                        name: &name,
                        starts_on: first.unix_start(),
                        days,
                        targets: &targets,
                    },
                    actor,
                    now(),
                )
                .await
        }
        (Some(_), _) => return Err(FormErrors::general("campaign.errors.changed").into()),
        (None, _) => state
            .db
            .create_campaign(
                &NewCampaign {
                    province_code: HANOI_PROVINCE_CODE.to_owned(),
                    name,
                    starts_on: first.unix_start(),
                    days,
                    targets,
                    created_by: Some(user.id),
                    created_at: now(),
                },
                actor,
            )
            .await
            .map(|_| ()),
    };
    result.map_err(|e| internal(e).into())
}

/// Reads a whole number field: blank is `None`.
fn count_field(form: &FormInput, name: &str, errors: &mut FormErrors) -> Option<i64> {
    let value = form.get(name).trim();
    if value.is_empty() {
        return None;
    }
    let digits: String = value
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' '))
        .collect();
    match digits.parse::<i64>() {
        Ok(n) if (0..=100_000_000).contains(&n) => Some(n),
        _ => {
            errors.add(name.to_owned(), "campaign.errors.count");
            None
        }
    }
}

/// For a form about one unit: the unit must exist (else not found) and a campaign must be in
/// force (else the form says so).
async fn unit_campaign(state: &AppState, code: &str) -> Posted<CampaignRow> {
    if state.db.unit(code).await.map_err(internal)?.is_none() {
        return Err(AppError::NotFound.into());
    }
    state
        .db
        .current_campaign(HANOI_PROVINCE_CODE, vn_day(now()) * 86_400)
        .await
        .map_err(internal)?
        .ok_or_else(|| FormErrors::general("campaign.errors.no_campaign").into())
}

/// Records a unit's figures from the portal's statistics (fields `as_of`, `households`,
/// `received`, `online`). The unit's manager, organizers and admins may.
pub async fn save_figures(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    code: &str,
    form: &FormInput,
) -> Posted<()> {
    super::may_see_unit(user, code)?;
    let campaign = unit_campaign(state, code).await?;
    let today = vn_day(now());
    let mut errors = FormErrors::default();
    let as_of = match form.get("as_of").trim() {
        "" => Some(Date::from_epoch_days(today)),
        typed => Date::parse_form(typed).ok(),
    };
    match as_of {
        None => errors.add("as_of", "campaign.errors.as_of"),
        Some(d) if d.epoch_day() > today => errors.add("as_of", "campaign.errors.as_of_future"),
        _ => {}
    }
    let households = count_field(form, "households", &mut errors);
    let received = count_field(form, "received", &mut errors);
    let online = count_field(form, "online", &mut errors);
    if received.is_some() != online.is_some() {
        errors.add(
            if received.is_none() {
                "received"
            } else {
                "online"
            },
            "campaign.errors.pair",
        );
    }
    if let (Some(r), Some(o)) = (received, online) {
        if o > r {
            errors.add("online", "campaign.errors.online_above");
        }
    }
    if errors.is_empty() && households.is_none() && received.is_none() {
        errors.add("households", "campaign.errors.nothing");
    }
    let (Some(as_of), true) = (as_of, errors.is_empty()) else {
        return Err(errors.into());
    };
    state
        .db
        .set_figures(
            &NewFigures {
                campaign_id: campaign.id,
                unit_code: code.to_owned(),
                as_of: as_of.unix_start(),
                households,
                procedures_received: received,
                procedures_online: online,
                entered_by: Some(user.id),
                entered_at: now(),
            },
            actor,
        )
        .await
        .map_err(|e| internal(e).into())
}

/// Sets a unit's own targets (organizers and admins); blank fields follow the city's.
pub async fn save_unit_targets(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    code: &str,
    form: &FormInput,
) -> Posted<()> {
    if !user.role.may_list_accounts() {
        return Err(AppError::Forbidden.into());
    }
    let campaign = unit_campaign(state, code).await?;
    let mut errors = FormErrors::default();
    let targets = read_targets(form, &mut errors);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    state
        .db
        .set_unit_targets(campaign.id, code, &targets, actor, now())
        .await
        .map_err(|e| internal(e).into())
}

/// Quotes a CSV cell that would otherwise be read as a formula by a spreadsheet.
pub(super) fn cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

fn opt(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The city's units as CSV (UTF-8 with a BOM, so spreadsheets read Vietnamese right).
pub async fn export_city(state: &AppState, user: &CurrentUser) -> Result<String, AppError> {
    let d = dashboard(state, user).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "ma_don_vi",
        "ten_don_vi",
        "can_bo",
        "can_bo_dat_chuan",
        "ty_le_dat_chuan",
        "tnv_san_sang",
        "tnv_da_dieu_dong",
        "nguoi_dan_da_hoc",
        "ho_thanh_thao",
        "so_ho",
        "ty_le_truc_tuyen",
        "muc_tieu_cham",
    ];
    let write_err = |e: csv::Error| internal(e);
    w.write_record(header).map_err(write_err)?;
    for u in &d.units {
        let share = (u.officials_meeting * 100).checked_div(u.officials);
        let behind: Vec<&str> = u.behind.iter().map(|(g, _, _)| g.as_str()).collect();
        w.write_record([
            cell(&u.code),
            cell(&u.name),
            u.officials.to_string(),
            u.officials_meeting.to_string(),
            opt(share),
            u.volunteers_ready.to_string(),
            u.deployed.to_string(),
            u.residents_trained.to_string(),
            u.households_proficient.to_string(),
            opt(u.households),
            opt(u.online_rate),
            behind.join(" "),
        ])
        .map_err(write_err)?;
    }
    finish_csv(w)
}

/// A unit's goals day by day, as CSV.
pub async fn export_unit(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
) -> Result<String, AppError> {
    let d = unit_report(state, user, code).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let write_err = |e: csv::Error| internal(e);
    let mut header = vec!["ngay".to_owned(), "ngay_thu".to_owned()];
    header.extend(Goal::ALL.iter().map(|g| g.as_str().to_owned()));
    w.write_record(&header).map_err(write_err)?;
    if let Some(c) = &d.campaign {
        for i in 0..usize::try_from(c.elapsed).unwrap_or(0) {
            let mut row = vec![
                Date::from_epoch_days(c.first_epoch_day + i as i64).to_string(),
                (i + 1).to_string(),
            ];
            row.extend(
                d.goals
                    .iter()
                    .map(|g| opt(g.series.get(i).copied().flatten())),
            );
            w.write_record(&row).map_err(write_err)?;
        }
    }
    finish_csv(w)
}

fn finish_csv(w: csv::Writer<Vec<u8>>) -> Result<String, AppError> {
    let bytes = w.into_inner().map_err(internal)?;
    let text = String::from_utf8(bytes).map_err(internal)?;
    Ok(format!("\u{feff}{text}"))
}
