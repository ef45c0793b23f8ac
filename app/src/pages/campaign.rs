//! The campaign's pages: the city dashboard (organizers, admins), one unit's report (its
//! manager, organizers, admins) and the campaign's settings. Everything is rendered on the
//! server, charts included (SVG); the forms are plain posts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::guard;
use super::learner::{error_view, param};
use crate::api::campaign::{get_dashboard, get_settings, get_unit_report};
use crate::components::charts::{BurnUp, ShareBars};
use crate::components::form::{use_form_outcome, ErrorSummary};
use crate::domain::campaign::{Goal, Phase};
use crate::domain::{Cohort, Role};
use crate::i18n::{use_locale, Locale};
use crate::tr;
use crate::types::campaign::{CampaignInfo, CohortLine, Dashboard, GoalLine, UnitSummary};

/// A whole number the way the reader writes it: 12.345 in Vietnamese, 12,345 in English.
pub fn number(n: i64) -> String {
    let sep = match use_locale() {
        Locale::Vi => '.',
        Locale::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

pub fn goal_name(g: Goal) -> String {
    match g {
        Goal::OfficialsMeeting => tr!("goal.officials_meeting"),
        Goal::VolunteersReady => tr!("goal.volunteers_ready"),
        Goal::VolunteersDeployed => tr!("goal.volunteers_deployed"),
        Goal::ResidentsTrained => tr!("goal.residents_trained"),
        Goal::HouseholdsProficient => tr!("goal.households_proficient"),
        Goal::OnlineRate => tr!("goal.online_rate"),
    }
}

fn goal_value(g: Goal, v: i64) -> String {
    if g.is_percent() {
        format!("{v}%")
    } else {
        number(v)
    }
}

fn cohort_name(c: Cohort) -> String {
    match c {
        Cohort::Official => tr!("campaign.cohort_official"),
        Cohort::Volunteer => tr!("campaign.cohort_volunteer"),
        Cohort::Resident => tr!("campaign.cohort_resident"),
    }
}

fn phase_text(c: &CampaignInfo) -> String {
    match c.phase {
        Phase::Before(n) => tr!("campaign.starts_in", days = n),
        Phase::Day(n) => tr!("campaign.day_of", day = n, days = c.days),
        Phase::After(_) => tr!("campaign.ended"),
    }
}

/// `/campaign`: the city dashboard.
#[component]
pub fn CampaignDashboard() -> impl IntoView {
    if let Err(page) = guard(Role::may_list_accounts) {
        return page;
    }
    let saved = use_query_map().read_untracked().get("saved").is_some();
    let data = Resource::new_blocking(|| (), |_| get_dashboard());
    view! {
        <Title text=tr!("campaign.title") />
        {saved.then(|| view! { <p class="notice" role="status">{tr!("campaign.saved")}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <DashboardBody d /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// `/campaign/units/{code}`: one unit's report.
#[component]
pub fn UnitReport() -> impl IntoView {
    if let Err(page) = guard(Role::may_view_units) {
        return page;
    }
    let code = param("code");
    let saved = use_query_map().read_untracked().get("saved").is_some();
    let data = Resource::new_blocking(move || code.clone(), get_unit_report);
    view! {
        <Title text=tr!("campaign.unit_title") />
        {saved.then(|| view! { <p class="notice" role="status">{tr!("campaign.saved")}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <DashboardBody d /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn DashboardBody(d: Dashboard) -> impl IntoView {
    let unit = d.unit_code.clone();
    let heading = match &unit {
        None => tr!("campaign.heading_city", place = d.scope_name.clone()),
        Some(_) => tr!("campaign.heading_unit", place = d.scope_name.clone()),
    };
    let export = match &unit {
        None => "/campaign/export.csv".to_owned(),
        Some(code) => format!("/campaign/units/{code}/export.csv"),
    };
    let when = d.campaign.as_ref().map(|c| {
        view! {
            <p class="lead" id="campaign-day">
                <strong>{phase_text(c)}</strong>
                " · "
                {c.name.clone()}
                " · "
                {format!("{} – {}", c.first_day, c.last_day)}
            </p>
        }
    });
    let no_campaign = d.campaign.is_none().then(|| {
        view! {
            <p class="notice" id="no-campaign">
                {tr!("campaign.none")}
                " "
                {unit.is_none().then(|| view! { <a href="/campaign/settings">{tr!("campaign.create")}</a> })}
            </p>
        }
    });
    let tools = unit.is_none().then(|| {
        view! {
            <ul class="tool-links">
                <li><a href="/campaign/settings">{tr!("campaign.settings_link")}</a></li>
                <li><a href="/roster">{tr!("roster.title")}</a></li>
                <li><a href="/deploy">{tr!("deploy.title")}</a></li>
            </ul>
        }
    });
    let days = d.campaign.as_ref().map_or(45, |c| c.days);
    let goals = d
        .goals
        .into_iter()
        .map(|g| view! { <GoalCard g days /> })
        .collect_view();
    let at_risk = unit
        .is_none()
        .then(|| view! { <AtRisk units=d.at_risk.clone() /> });
    let units = unit
        .is_none()
        .then(|| view! { <UnitsTable units=d.units.clone() /> });
    let unit_parts = unit.clone().map(|code| {
        view! {
            <UnitParts
                code
                shifts=d.shifts.clone()
                figures=d.figures.clone()
                unit_targets=d.unit_targets.clone()
                can_enter_figures=d.can_enter_figures
                can_set_targets=d.can_set_targets
            />
        }
    });
    let back = unit.as_ref().map(|code| {
        let matrix = format!("/units/{code}");
        view! {
            <p>
                <a href=matrix>{tr!("campaign.to_matrix")}</a>
            </p>
        }
    });
    view! {
        <h1 id="campaign-heading">{heading}</h1>
        {when}
        {no_campaign}
        {tools}
        <p>
            <a href=export download="">{tr!("campaign.export")}</a>
        </p>
        <h2 id="goals">{tr!("campaign.goals_heading")}</h2>
        <div class="goals">{goals}</div>
        {at_risk}
        <Coverage cohorts=d.cohorts />
        <Assists a=d.assists />
        {unit_parts}
        {units}
        {back}
    }
}

#[component]
fn GoalCard(g: GoalLine, days: i64) -> impl IntoView {
    let goal = g.goal;
    let id = format!("goal-{}", goal.as_str());
    let name = goal_name(goal);
    let value = match (g.value, g.of) {
        (Some(v), Some(of)) if goal.is_percent() => {
            tr!(
                "campaign.value_share",
                value = goal_value(goal, v),
                count = number(g.count),
                of = number(of)
            )
        }
        (Some(v), _) => goal_value(goal, v),
        (None, _) if goal == Goal::HouseholdsProficient => {
            tr!("campaign.households_no_figure", count = number(g.count))
        }
        (None, _) => tr!("campaign.no_figures"),
    };
    let status = match (g.target, g.behind) {
        (None, _) => ("none", tr!("campaign.no_target")),
        (Some(_), true) => ("behind", tr!("campaign.behind")),
        (Some(t), false) if g.value.is_some_and(|v| v >= t) => ("met", tr!("campaign.target_met")),
        (Some(_), false) => ("on-track", tr!("campaign.on_track")),
    };
    let target_text = g.target.map(|t| {
        let line = g
            .expected
            .map(|e| tr!("campaign.line_today", value = goal_value(goal, e)))
            .unwrap_or_default();
        view! {
            <p class="hint">
                {tr!("campaign.target", value = goal_value(goal, t))}
                " "
                {line}
            </p>
        }
    });
    let chart = (!g.series.is_empty()).then(|| {
        let latest = g.series.iter().rev().find_map(|v| *v);
        let description = tr!(
            "campaign.chart_description",
            goal = name.clone(),
            days = g.series.len(),
            value = latest
                .map(|v| goal_value(goal, v))
                .unwrap_or_else(|| "—".into()),
            target = g
                .target
                .map(|t| goal_value(goal, t))
                .unwrap_or_else(|| "—".into())
        );
        view! {
            <BurnUp
                id=format!("{id}-chart")
                series=g.series.clone()
                start=g.start
                target=g.target
                days=days
                percent=goal.is_percent()
                description=description
                first_label=tr!("campaign.axis_start")
                last_label=tr!("campaign.axis_day", day = days)
            />
        }
    });
    view! {
        <section class=format!("goal goal-{}", status.0) id=id data-goal=goal.as_str() data-status=status.0>
            <h3>{name}</h3>
            <p class="goal-value" data-value=g.value.map(|v| v.to_string()).unwrap_or_default()>
                {value}
            </p>
            <p class=format!("status status-{}", status.0)>{status.1}</p>
            {target_text}
            {chart}
        </section>
    }
}

/// Units at risk listed by name on the dashboard (the worst first); the units table marks the
/// rest.
const AT_RISK_SHOWN: usize = 10;

#[component]
fn AtRisk(units: Vec<UnitSummary>) -> impl IntoView {
    let total = units.len();
    let more = (total > AT_RISK_SHOWN).then(|| {
        view! { <p id="at-risk-more">{tr!("campaign.at_risk_more", count = total - AT_RISK_SHOWN)}</p> }
    });
    let units: Vec<UnitSummary> = units.into_iter().take(AT_RISK_SHOWN).collect();
    view! {
        <h2 id="at-risk">{tr!("campaign.at_risk_heading_count", count = total)}</h2>
        <p class="hint">{tr!("campaign.at_risk_rule")}</p>
        {more}
        {if units.is_empty() {
            view! { <p>{tr!("campaign.at_risk_none")}</p> }.into_any()
        } else {
            view! {
                <ul class="at-risk" id="at-risk-list">
                    {units
                        .into_iter()
                        .map(|u| {
                            let href = format!("/campaign/units/{}", u.code);
                            let goals = u
                                .behind
                                .iter()
                                .map(|(g, v, e)| {
                                    tr!(
                                        "campaign.behind_goal",
                                        goal = goal_name(*g),
                                        value = goal_value(*g, *v),
                                        line = goal_value(*g, *e)
                                    )
                                })
                                .collect::<Vec<_>>()
                                .join("; ");
                            view! {
                                <li data-unit=u.code.clone()>
                                    <a href=href>{u.name}</a>
                                    ": "
                                    {goals}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
    }
}

#[component]
fn Coverage(cohorts: Vec<CohortLine>) -> impl IntoView {
    let rows: Vec<(String, i64, i64, String)> = cohorts
        .iter()
        .map(|c| {
            (
                cohort_name(c.cohort),
                c.meeting,
                c.members,
                tr!(
                    "campaign.coverage_text",
                    meeting = number(c.meeting),
                    members = number(c.members)
                ),
            )
        })
        .collect();
    let description = rows
        .iter()
        .map(|(l, _, _, t)| format!("{l}: {t}"))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <h2 id="coverage">{tr!("campaign.coverage_heading")}</h2>
        <p class="hint">{tr!("campaign.coverage_hint")}</p>
        <ShareBars id="coverage-chart".to_owned() rows description />
        <div class="table-scroll">
            <table class="table" id="coverage-table">
                <caption class="visually-hidden">{tr!("campaign.coverage_heading")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!("campaign.cohort")}</th>
                        <th scope="col">{tr!("campaign.members")}</th>
                        <th scope="col">{tr!("campaign.trained")}</th>
                        <th scope="col">{tr!("campaign.meeting")}</th>
                    </tr>
                </thead>
                <tbody>
                    {cohorts
                        .into_iter()
                        .map(|c| {
                            view! {
                                <tr data-cohort=c.cohort.as_str()>
                                    <th scope="row">{cohort_name(c.cohort)}</th>
                                    <td class="members">{number(c.members)}</td>
                                    <td class="trained">{number(c.trained)}</td>
                                    <td class="meeting">{number(c.meeting)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Assists(a: crate::types::campaign::AssistSummary) -> impl IntoView {
    view! {
        <h2 id="assists">{tr!("campaign.assists_heading")}</h2>
        <dl class="figures" id="assist-figures">
            <div>
                <dt>{tr!("campaign.assists_total")}</dt>
                <dd data-metric="assists">{number(a.total)}</dd>
            </div>
            <div>
                <dt>{tr!("campaign.assists_online")}</dt>
                <dd>{number(a.online)}</dd>
            </div>
            <div>
                <dt>{tr!("campaign.assists_helped")}</dt>
                <dd>{number(a.helped)}</dd>
            </div>
            <div>
                <dt>{tr!("campaign.assists_impossible")}</dt>
                <dd>{number(a.impossible)}</dd>
            </div>
            <div>
                <dt>{tr!("campaign.assists_independent")}</dt>
                <dd data-metric="independent">{number(a.independent)}</dd>
            </div>
            <div>
                <dt>{tr!("campaign.assists_hours")}</dt>
                <dd>{number(a.minutes / 60)}</dd>
            </div>
            <div>
                <dt>{tr!("campaign.households_seen")}</dt>
                <dd data-metric="households">{number(a.households_seen)}</dd>
            </div>
            <div>
                <dt>{tr!("campaign.households_proficient")}</dt>
                <dd>{number(a.households_proficient)}</dd>
            </div>
        </dl>
    }
}

#[component]
fn UnitsTable(units: Vec<UnitSummary>) -> impl IntoView {
    view! {
        <h2 id="units">{tr!("campaign.units_heading")}</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="units">
            <table class="table" id="units-table">
                <caption class="visually-hidden">{tr!("campaign.units_heading")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!("people.unit")}</th>
                        <th scope="col">{tr!("campaign.col_officials")}</th>
                        <th scope="col">{tr!("campaign.col_ready")}</th>
                        <th scope="col">{tr!("campaign.col_deployed")}</th>
                        <th scope="col">{tr!("campaign.col_residents")}</th>
                        <th scope="col">{tr!("campaign.col_households")}</th>
                        <th scope="col">{tr!("campaign.col_online")}</th>
                    </tr>
                </thead>
                <tbody>
                    {units
                        .into_iter()
                        .map(|u| {
                            let href = format!("/campaign/units/{}", u.code);
                            let households = match u.households {
                                Some(h) => format!("{}/{}", number(u.households_proficient), number(h)),
                                None => number(u.households_proficient),
                            };
                            view! {
                                <tr data-unit=u.code.clone() class:row-behind=!u.behind.is_empty()>
                                    <th scope="row"><a href=href>{u.name}</a></th>
                                    <td class="officials">{format!("{}/{}", number(u.officials_meeting), number(u.officials))}</td>
                                    <td>{number(u.volunteers_ready)}</td>
                                    <td>{number(u.deployed)}</td>
                                    <td>{number(u.residents_trained)}</td>
                                    <td>{households}</td>
                                    <td>{u.online_rate.map(|r| format!("{r}%")).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A unit report's own parts: its shifts, its figures and targets (with their forms).
#[component]
fn UnitParts(
    code: String,
    shifts: Vec<crate::types::campaign::ShiftLine>,
    figures: Option<crate::types::campaign::FiguresView>,
    unit_targets: Vec<(Goal, i64)>,
    can_enter_figures: bool,
    can_set_targets: bool,
) -> impl IntoView {
    let outcome = use_form_outcome();
    let figures_text = match &figures {
        Some(f) => tr!(
            "campaign.figures_latest",
            date = f.date.clone(),
            households = f.households.map(number).unwrap_or_else(|| "—".into()),
            received = f.received.map(number).unwrap_or_else(|| "—".into()),
            online = f.online.map(number).unwrap_or_else(|| "—".into())
        ),
        None => tr!("campaign.figures_none"),
    };
    let figures_action = format!("/campaign/units/{code}/figures");
    let targets_action = format!("/campaign/units/{code}/targets");
    let field = move |name: &'static str, label: String, hint: Option<String>| {
        let error = outcome.errors.for_field(name);
        let hint_id = format!("{name}-hint");
        let error_id = format!("{name}-error");
        let described = match (hint.is_some(), error.is_some()) {
            (true, true) => Some(format!("{hint_id} {error_id}")),
            (true, false) => Some(hint_id.clone()),
            (false, true) => Some(error_id.clone()),
            (false, false) => None,
        };
        view! {
            <div class="field" class:field-error=error.is_some()>
                <label for=name>{label}</label>
                {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
                {error.map(|k| view! { <p class="error-message" id=error_id.clone()>{tr!(k)}</p> })}
                <input
                    id=name
                    name=name
                    type="text"
                    inputmode=if name == "as_of" { "text" } else { "numeric" }
                    value=outcome.value(name)
                    autocomplete="off"
                    aria-invalid=error.map(|_| "true")
                    aria-describedby=described
                />
            </div>
        }
    };
    let figures_form = can_enter_figures.then(|| {
        view! {
            <form method="post" action=figures_action class="figures-form" id="figures-form">
                <h3>{tr!("campaign.figures_form")}</h3>
                {field("as_of", tr!("campaign.as_of"), Some(tr!("campaign.as_of_hint")))}
                {field("households", tr!("campaign.households"), None)}
                {field("received", tr!("campaign.received"), Some(tr!("campaign.received_hint")))}
                {field("online", tr!("campaign.online"), None)}
                <button type="submit" class="button">{tr!("campaign.save_figures")}</button>
            </form>
        }
    });
    let targets_form = can_set_targets.then(|| {
        let own: std::collections::HashMap<Goal, i64> = unit_targets.iter().copied().collect();
        view! {
            <form method="post" action=targets_action class="targets-form" id="unit-targets-form">
                <h3>{tr!("campaign.unit_targets")}</h3>
                <p class="hint">{tr!("campaign.unit_targets_hint")}</p>
                {Goal::ALL
                    .into_iter()
                    .map(|g| {
                        let name = format!("target-{}", g.as_str());
                        let value = own.get(&g).map(|v| v.to_string()).unwrap_or_default();
                        let error = use_form_outcome().errors.for_field(&name);
                        view! {
                            <div class="field">
                                <label for=name.clone()>{goal_name(g)}</label>
                                {error.map(|k| view! { <p class="error-message">{tr!(k)}</p> })}
                                <input id=name.clone() name=name type="text" inputmode="numeric" value=value />
                            </div>
                        }
                    })
                    .collect_view()}
                <button type="submit" class="button">{tr!("campaign.save_targets")}</button>
            </form>
        }
    });
    view! {
        <h2 id="shifts">{tr!("campaign.shifts_heading")}</h2>
        {if shifts.is_empty() {
            view! { <p>{tr!("campaign.no_shifts")}</p> }.into_any()
        } else {
            view! {
                <ul class="shift-list">
                    {shifts
                        .into_iter()
                        .map(|s| {
                            view! {
                                <li>
                                    {format!("{} · {} · {}", s.date, super::deploy::shift_name(s.shift), s.volunteer)}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        <h2 id="figures">{tr!("campaign.figures_heading")}</h2>
        <p id="figures-latest">{figures_text}</p>
        <ErrorSummary />
        {figures_form}
        {targets_form}
    }
}

/// `/campaign/settings`: create or change the campaign and its city-wide targets.
#[component]
pub fn CampaignSettingsPage() -> impl IntoView {
    if let Err(page) = guard(Role::may_list_accounts) {
        return page;
    }
    let data = Resource::new_blocking(|| (), |_| get_settings());
    let outcome = use_form_outcome();
    view! {
        <Title text=tr!("campaign.settings_title") />
        <h1>{tr!("campaign.settings_title")}</h1>
        <p class="lead">{tr!("campaign.settings_lead")}</p>
        <ErrorSummary />
        <Suspense fallback=|| ()>
            {move || {
                let outcome = outcome.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(s) => {
                            let posted = !outcome.values.is_empty();
                            let value = |name: &str, stored: String| {
                                if posted { outcome.value(name) } else { stored }
                            };
                            let text = |name: &'static str, label: String, hint: Option<String>, stored: String| {
                                let error = outcome.errors.for_field(name);
                                let error_id = format!("{name}-error");
                                view! {
                                    <div class="field" class:field-error=error.is_some()>
                                        <label for=name>{label}</label>
                                        {hint.map(|h| view! { <p class="hint">{h}</p> })}
                                        {error.map(|k| view! { <p class="error-message" id=error_id.clone()>{tr!(k)}</p> })}
                                        <input
                                            id=name
                                            name=name
                                            type="text"
                                            value=value(name, stored)
                                            aria-invalid=error.map(|_| "true")
                                            aria-describedby=error.map(|_| error_id.clone())
                                        />
                                    </div>
                                }
                            };
                            view! {
                                <form method="post" action="/campaign/settings" class="settings-form">
                                    {s.id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
                                    {text("name", tr!("campaign.name"), Some(tr!("campaign.name_hint")), s.name.clone())}
                                    {text("first_day", tr!("campaign.first_day"), Some(tr!("campaign.date_hint")), s.first_day.clone())}
                                    {text("days", tr!("campaign.days"), None, s.days.to_string())}
                                    <h2>{tr!("campaign.city_targets")}</h2>
                                    <p class="hint">{tr!("campaign.city_targets_hint")}</p>
                                    {s
                                        .targets
                                        .iter()
                                        .map(|(g, t)| {
                                            let name = format!("target-{}", g.as_str());
                                            let error = outcome.errors.for_field(&name);
                                            let shown = value(&name, t.map(|t| t.to_string()).unwrap_or_default());
                                            let hint = if g.is_percent() { tr!("campaign.percent_hint") } else { tr!("campaign.count_hint") };
                                            view! {
                                                <div class="field" class:field-error=error.is_some()>
                                                    <label for=name.clone()>{goal_name(*g)}</label>
                                                    <p class="hint">{hint}</p>
                                                    {error.map(|k| view! { <p class="error-message">{tr!(k)}</p> })}
                                                    <input id=name.clone() name=name type="text" inputmode="numeric" value=shown />
                                                </div>
                                            }
                                        })
                                        .collect_view()}
                                    <button type="submit" class="button">{tr!("campaign.save")}</button>
                                </form>
                            }
                                .into_any()
                        }
                        Err(e) => error_view(e),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}
