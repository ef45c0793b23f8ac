//! Competency flows: evidence from quiz attempts and exam runs, each learner's verified levels
//! and standing (recomputed from that learner's own evidence when a piece arrives, or when a
//! level's evidence expires), the passport, the skills survey, the unit views and the list of
//! volunteers ready for deployment.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{internal, now, AppState};
use crate::content::{Catalog, EvidenceSource, Module, Position, SourceKind};
use crate::domain::audit::Actor;
use crate::domain::competency::{self, Evidence, EvidenceStanding};
use crate::domain::vn::Date;
use crate::domain::{Cohort, Role};
use crate::i18n::use_locale;
use crate::store::{AccountRow, EvidenceRow, NewEvidence, NewStanding, Saved, StoreError};
use crate::types::competency::{
    AssignmentLine, Cell, EvidenceLine, NextStep, OverdueLine, PassportLine, PassportView,
    PendingLine, ReadyVolunteer, RuleView, StaffLine, SurveyItem, SurveyView, UnitLine, UnitView,
};
use crate::types::form::{FormErrors, FormInput, Posted};
use crate::types::{paths, AppError, CurrentUser};

/// The evidence a quiz attempt gives: one piece per competence its quiz is tagged with.
pub fn quiz_evidence(module: &Module, percent: u32, at: i64) -> Vec<NewEvidence> {
    module
        .quiz
        .evidences
        .iter()
        .map(|e| NewEvidence {
            competence: e.competence.clone(),
            level: i64::from(e.level),
            source_kind: SourceKind::Quiz.as_str(),
            source_id: module.id.clone(),
            source_version: i64::from(module.quiz.version),
            percent: i64::from(percent),
            earned_at: at,
        })
        .collect()
}

/// The evidence an exam-mode run gives (guided runs give none).
pub fn run_evidence(
    procedure: &crate::content::procedures::Procedure,
    percent: u32,
    at: i64,
) -> Vec<NewEvidence> {
    procedure
        .evidences
        .iter()
        .map(|e| NewEvidence {
            competence: e.competence.clone(),
            level: i64::from(e.level),
            source_kind: SourceKind::Practice.as_str(),
            source_id: procedure.id.clone(),
            source_version: i64::from(procedure.version),
            percent: i64::from(percent),
            earned_at: at,
        })
        .collect()
}

fn source_key(row: &EvidenceRow) -> String {
    format!("{}:{}", row.source_kind, row.source_id)
}

/// The domain's view of stored evidence: retired unless earned on the source's current version.
fn domain_evidence(
    sources: &HashMap<String, EvidenceSource>,
    rows: &[EvidenceRow],
) -> Vec<(String, Evidence)> {
    rows.iter()
        .map(|row| {
            let key = source_key(row);
            let current = sources
                .get(&key)
                .is_some_and(|s| i64::from(s.version) == row.source_version);
            (
                row.competence.clone(),
                Evidence {
                    source: key,
                    level: u8::try_from(row.level).unwrap_or(0),
                    percent: u32::try_from(row.percent).unwrap_or(0),
                    at: row.earned_at,
                    retired: !current,
                },
            )
        })
        .collect()
}

fn sources_by_key(catalog: &Catalog) -> HashMap<String, EvidenceSource> {
    catalog
        .evidence_sources()
        .into_iter()
        .map(|s| (s.key.clone(), s))
        .collect()
}

/// A learner's cohort and the position whose standard they are held to.
fn position_of<'a>(catalog: &'a Catalog, account: &AccountRow) -> Option<(Cohort, &'a Position)> {
    let cohort = account.cohort()?;
    let position = catalog.position_for(cohort, account.position_code.as_deref())?;
    Some((cohort, position))
}

/// Recomputes one learner's verified levels and standing from their own evidence, as of now,
/// and moves their unit's count if they start or stop meeting their standard.
pub async fn recompute(state: &AppState, account_id: i64) -> Result<bool, StoreError> {
    recompute_at(state, account_id, now()).await
}

/// [`recompute`] as of `at`. Retries when another request changed the standing meanwhile;
/// false when it gave up (the standing is then left for the next sweep). A learner with no
/// standard to be held to (no longer a learner, or no unit) loses their standing.
pub async fn recompute_at(state: &AppState, account_id: i64, at: i64) -> Result<bool, StoreError> {
    let catalog = &state.content;
    for _ in 0..5 {
        let old = state.db.standing(account_id).await?;
        let account = state.db.account_by_id(account_id).await?;
        let held = account.as_ref().and_then(|a| {
            let (cohort, position) = position_of(catalog, a)?;
            let unit = a.unit_code.clone()?;
            (a.role() == Some(Role::Learner)).then_some((cohort, position, unit))
        });
        let Some((cohort, position, unit)) = held else {
            return match old {
                None => Ok(true),
                Some(old) => Ok(state.db.clear_standing(&old, at).await? == Saved::Saved),
            };
        };
        let rows = state.db.evidence_of(account_id).await?;
        let levels = competency::verify_all(
            &catalog.framework.rule,
            &domain_evidence(&sources_by_key(catalog), &rows),
            at,
        );
        let standing = competency::standing(&position.standard(), &levels);
        let leader_ready = catalog
            .positions
            .iter()
            .filter(|p| p.leadership && p.cohort == cohort)
            .any(|p| competency::standing(&p.standard(), &levels).meets());
        let new = NewStanding {
            account_id,
            unit_code: unit,
            cohort: cohort.as_str().to_owned(),
            position_id: position.id.clone(),
            met: i64::from(standing.met),
            required: i64::from(standing.required),
            meets: standing.meets(),
            trained: rows
                .iter()
                .any(|r| r.percent >= i64::from(catalog.framework.rule.min_percent)),
            leader_ready,
            review_at: standing.review_at,
            evidence_seen: rows.last().map_or(0, |r| r.id),
            at,
            levels: levels
                .iter()
                .filter(|(_, v)| v.level > 0)
                .map(|(c, v)| (c.clone(), i64::from(v.level), v.until.unwrap_or(at)))
                .collect(),
        };
        if state.db.save_standing(old.as_ref(), &new).await? == Saved::Saved {
            return Ok(true);
        }
    }
    tracing::warn!(
        account = account_id,
        "standing kept changing; left for the next sweep"
    );
    Ok(false)
}

/// Called after evidence is stored: the learner's levels follow at once. A failure is logged
/// (the evidence itself is safely stored; the next piece or sweep brings the levels up to date).
pub async fn evidence_added(state: &AppState, account_id: i64) {
    if let Err(e) = recompute(state, account_id).await {
        tracing::error!(error = %e, account = account_id, "updating verified levels failed");
    }
}

/// Recomputes the standings whose levels may have lapsed with time. Returns how many.
pub async fn sweep(state: &AppState) -> Result<usize, StoreError> {
    sweep_at(state, now()).await
}

/// [`sweep`] as of `at`. Stops when a batch makes no progress, so a standing that keeps
/// failing cannot keep it going.
pub async fn sweep_at(state: &AppState, at: i64) -> Result<usize, StoreError> {
    const BATCH: i64 = 500;
    let mut done = 0;
    loop {
        let due = state.db.standings_due(at, BATCH).await?;
        let full = due.len() as i64 == BATCH;
        let mut progress = 0;
        for id in due {
            if recompute_at(state, id, at).await? {
                progress += 1;
            }
        }
        done += progress;
        if !full || progress == 0 {
            return Ok(done);
        }
    }
}

/// Brings lapsed levels up to date before a page shows counts; a failure is logged and the
/// page shows the counts as they are (the server's own sweep tries again).
async fn sweep_before_reading(state: &AppState) {
    if let Err(e) = sweep(state).await {
        tracing::error!(error = %e, "competency sweep before a read failed");
    }
}

/// What the stored levels depend on in the content: the rule, each source's version and tags,
/// and each position's standard.
pub fn fingerprint(catalog: &Catalog) -> String {
    // "trained": standings also keep whether the learner ever passed an assessment (added
    // with the campaign rollups; a store from before recomputes once).
    let mut parts = vec![format!("trained;{:?}", catalog.framework.rule)];
    for s in catalog.evidence_sources() {
        parts.push(format!("{}@{}{:?}", s.key, s.version, s.evidences));
    }
    for p in &catalog.positions {
        parts.push(format!(
            "{}:{:?}:{}:{}:{:?}",
            p.id, p.cohort, p.default, p.leadership, p.requires
        ));
    }
    parts.join("\n")
}

/// At start-up: when the content that levels depend on changed since they were stored,
/// recompute every learner's standing. Returns how many were recomputed.
pub async fn sync_with_content(state: &AppState) -> Result<usize, StoreError> {
    let print = fingerprint(&state.content);
    let stored = state.db.competency_fingerprint().await?;
    if stored.as_deref() == Some(print.as_str()) {
        return sweep(state).await;
    }
    if stored.is_none() {
        // The first start with competency tracking: results recorded before it become
        // evidence, tagged as the content tags them now.
        let added = backfill(state).await?;
        if added > 0 {
            tracing::info!(records = added, "earlier results turned into evidence");
        }
    }
    let ids = state.db.learners_with_records().await?;
    let mut done = 0;
    for &id in &ids {
        if recompute(state, id).await? {
            done += 1;
        }
    }
    if done == ids.len() {
        state.db.set_competency_fingerprint(&print).await?;
    } else {
        tracing::warn!("some standings could not be recomputed; trying again at the next start");
    }
    Ok(done)
}

/// Evidence for quiz attempts and exam runs recorded before evidence was kept. Returns how
/// many attempts and runs got evidence.
async fn backfill(state: &AppState) -> Result<usize, StoreError> {
    let catalog = &state.content;
    let mut added = 0;
    for r in state.db.results_without_evidence().await? {
        let (kind, tags) = match r.kind.as_str() {
            "quiz" => (
                SourceKind::Quiz,
                catalog
                    .module(&r.source_id)
                    .map(|m| m.quiz.evidences.clone()),
            ),
            _ => (
                SourceKind::Practice,
                catalog
                    .sandbox
                    .procedure(&r.source_id)
                    .map(|p| p.evidences.clone()),
            ),
        };
        let evidence: Vec<NewEvidence> = tags
            .unwrap_or_default()
            .into_iter()
            .map(|e| NewEvidence {
                competence: e.competence,
                level: i64::from(e.level),
                source_kind: kind.as_str(),
                source_id: r.source_id.clone(),
                source_version: r.version,
                percent: r.percent,
                earned_at: r.at,
            })
            .collect();
        if !evidence.is_empty() {
            state
                .db
                .add_evidence(r.account_id, r.record_id, &evidence)
                .await?;
            added += 1;
        }
    }
    Ok(added)
}

fn date(secs: i64) -> String {
    Date::from_unix_vn(secs).to_string()
}

fn standing_label_order(s: EvidenceStanding) -> u8 {
    match s {
        EvidenceStanding::Counts => 0,
        EvidenceStanding::BelowMark => 1,
        EvidenceStanding::Expired => 2,
        EvidenceStanding::Retired => 3,
    }
}

/// The learner's passport, computed from their evidence as of now.
pub async fn passport(state: &AppState, user: &CurrentUser) -> Result<PassportView, AppError> {
    let locale = use_locale();
    let catalog = &state.content;
    let account = state
        .db
        .account_by_id(user.id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let (cohort, position) = position_of(catalog, &account).ok_or(AppError::NotFound)?;
    let rows = state.db.evidence_of(user.id).await.map_err(internal)?;
    let own: BTreeMap<String, u8> = state
        .db
        .self_assessments(user.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|(c, l)| (c, u8::try_from(l).unwrap_or(0)))
        .collect();
    let rule = catalog.framework.rule;
    let at = now();
    let source_list = catalog.evidence_sources();
    let sources: HashMap<String, EvidenceSource> = source_list
        .iter()
        .map(|s| (s.key.clone(), s.clone()))
        .collect();
    let pairs = domain_evidence(&sources, &rows);
    let levels = competency::verify_all(&rule, &pairs, at);
    let requires = position.standard();
    let standing = competency::standing(&requires, &levels);
    let name_of = |id: &str| {
        catalog
            .framework
            .competences
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.get(locale).to_owned())
            .unwrap_or_else(|| id.to_owned())
    };
    let lines = competency::lines(&requires, &levels, &own)
        .into_iter()
        .map(|line| {
            let verified = levels.get(&line.competence).cloned().unwrap_or_default();
            let mut evidence: Vec<(usize, EvidenceLine)> = pairs
                .iter()
                .enumerate()
                .filter(|(_, (c, _))| *c == line.competence)
                .map(|(i, (_, e))| {
                    let row = &rows[i];
                    let title = sources
                        .get(&e.source)
                        .map(|s| s.title.get(locale).to_owned())
                        .unwrap_or_else(|| row.source_id.clone());
                    let href = match row.source_kind.as_str() {
                        "quiz" => paths::quiz_result(&row.source_id, row.record_id),
                        _ => paths::run_review(row.record_id),
                    };
                    (
                        i,
                        EvidenceLine {
                            title,
                            kind: row.source_kind.clone(),
                            level: e.level,
                            percent: e.percent,
                            date: date(e.at),
                            standing: rule.standing_of(e, at),
                            counted: false,
                            href,
                        },
                    )
                })
                .collect();
            // Within a competence, the basis indices are of its own list: map them back.
            let own_indices: Vec<usize> = evidence.iter().map(|(i, _)| *i).collect();
            for b in &verified.basis {
                if let Some(global) = own_indices.get(*b) {
                    if let Some((_, l)) = evidence.iter_mut().find(|(i, _)| i == global) {
                        l.counted = true;
                    }
                }
            }
            evidence.sort_by(|(ia, a), (ib, b)| {
                (
                    !a.counted,
                    standing_label_order(a.standing),
                    std::cmp::Reverse(*ia),
                )
                    .cmp(&(
                        !b.counted,
                        standing_label_order(b.standing),
                        std::cmp::Reverse(*ib),
                    ))
            });
            let evidence_count = evidence.len() as u32;
            let evidence: Vec<EvidenceLine> =
                evidence.into_iter().map(|(_, l)| l).take(8).collect();
            let next = if line.gap() > 0 {
                next_steps(
                    &source_list,
                    cohort,
                    &line.competence,
                    line.required,
                    &pairs,
                    &rule,
                    at,
                )
            } else {
                Vec::new()
            };
            PassportLine {
                name: name_of(&line.competence),
                required: line.required,
                self_assessed: line.self_assessed,
                verified: line.verified,
                gap: line.gap(),
                until: verified.until.map(date),
                evidence_count,
                evidence,
                next,
                competence: line.competence,
            }
        })
        .collect();
    Ok(PassportView {
        full_name: account.full_name.clone(),
        position: position.name.get(locale).to_owned(),
        meets: standing.meets(),
        ready_for_deployment: cohort == Cohort::Volunteer && standing.meets(),
        met: standing.met,
        required: standing.required,
        rule: RuleView {
            min_evidence: rule.min_evidence,
            min_percent: rule.min_percent,
            window_days: rule.window_days,
        },
        lines,
        surveyed: !own.is_empty(),
    })
}

/// Quizzes and procedures open to the learner that evidence `competence` at `level` or above
/// and do not already count for it: practice first (it is what closes a gap on the job).
fn next_steps(
    sources: &[EvidenceSource],
    cohort: Cohort,
    competence: &str,
    level: u8,
    pairs: &[(String, Evidence)],
    rule: &competency::Rule,
    at: i64,
) -> Vec<NextStep> {
    let locale = use_locale();
    let counted: BTreeSet<&str> = pairs
        .iter()
        .filter(|(c, e)| {
            c == competence
                && e.level >= level
                && rule.standing_of(e, at) == EvidenceStanding::Counts
        })
        .map(|(_, e)| e.source.as_str())
        .collect();
    let mut steps: Vec<(u8, NextStep)> = sources
        .iter()
        .filter(|s| s.cohorts.contains(&cohort) && !counted.contains(s.key.as_str()))
        .filter_map(|s| {
            let l = s.level_for(competence).filter(|l| *l >= level)?;
            let (order, href) = match s.kind {
                SourceKind::Practice => (0, paths::procedure(&s.id)),
                SourceKind::Quiz => (1, paths::module(&s.id)),
            };
            Some((
                order,
                NextStep {
                    title: s.title.get(locale).to_owned(),
                    kind: s.kind.as_str().to_owned(),
                    level: l,
                    href,
                },
            ))
        })
        .collect();
    steps.sort_by_key(|(order, _)| *order);
    steps.into_iter().map(|(_, s)| s).take(4).collect()
}

/// The skills survey: every competence of the framework, required ones first.
pub async fn survey(state: &AppState, user: &CurrentUser) -> Result<SurveyView, AppError> {
    let locale = use_locale();
    let catalog = &state.content;
    let account = state
        .db
        .account_by_id(user.id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let required: BTreeSet<String> = position_of(catalog, &account)
        .map(|(_, p)| p.requires.iter().map(|r| r.competence.clone()).collect())
        .unwrap_or_default();
    let answers: BTreeMap<String, i64> = state
        .db
        .self_assessments(user.id)
        .await
        .map_err(internal)?
        .into_iter()
        .collect();
    let mut items: Vec<SurveyItem> = catalog
        .framework
        .competences
        .iter()
        .map(|c| SurveyItem {
            competence: c.id.clone(),
            name: c.name.get(locale).to_owned(),
            description: c.description.get(locale).to_owned(),
            required: required.contains(&c.id),
            answer: answers.get(&c.id).and_then(|l| u8::try_from(*l).ok()),
        })
        .collect();
    items.sort_by_key(|i| !i.required);
    Ok(SurveyView {
        items,
        levels: catalog
            .framework
            .levels
            .iter()
            .map(|l| {
                (
                    l.level,
                    l.name.get(locale).to_owned(),
                    l.descriptor.get(locale).to_owned(),
                )
            })
            .collect(),
    })
}

/// Stores the survey: `form` maps `level-<competence>` to "" (not answered) or 0..8.
pub async fn save_survey(state: &AppState, user: &CurrentUser, form: &FormInput) -> Posted<()> {
    let mut errors = FormErrors::default();
    let mut answers = Vec::new();
    for c in &state.content.framework.competences {
        let name = format!("level-{}", c.id);
        match form.get(&name).trim() {
            "" => {}
            value => match value.parse::<i64>() {
                Ok(level) if (0..=8).contains(&level) => answers.push((c.id.clone(), level)),
                _ => errors.add_named(
                    &name,
                    "survey.errors.level",
                    c.name.get(use_locale()).to_owned(),
                ),
            },
        }
    }
    errors.into_result()?;
    state
        .db
        .save_self_assessment(user.id, &answers, now())
        .await
        .map_err(|e| internal(e).into())
}

/// A unit's officials × the competences their positions require, with the count meeting their
/// standard, appointment readiness, due dates and the overdue list.
pub async fn unit(state: &AppState, user: &CurrentUser, code: &str) -> Result<UnitView, AppError> {
    let unit = super::visible_unit(state, user, code).await?;
    let locale = use_locale();
    let catalog = &state.content;
    sweep_before_reading(state).await;
    let official = Cohort::Official.as_str();
    let staff = state
        .db
        .unit_staff(code, official)
        .await
        .map_err(internal)?;
    let meeting = state
        .db
        .unit_meeting(code, official)
        .await
        .map_err(internal)?;
    let mut levels: HashMap<i64, HashMap<String, u8>> = HashMap::new();
    for (account, competence, level) in state.db.unit_levels(code).await.map_err(internal)? {
        levels
            .entry(account)
            .or_default()
            .insert(competence, u8::try_from(level).unwrap_or(0));
    }
    let positions: Vec<Option<&Position>> = staff
        .iter()
        .map(|s| catalog.position_for(Cohort::Official, s.position_code.as_deref()))
        .collect();
    // Columns: every competence any staff member's position requires, in framework order.
    let needed: BTreeSet<&str> = positions
        .iter()
        .flatten()
        .flat_map(|p| p.requires.iter().map(|r| r.competence.as_str()))
        .collect();
    let competences: Vec<(String, String)> = catalog
        .framework
        .competences
        .iter()
        .filter(|c| needed.contains(c.id.as_str()))
        .map(|c| (c.id.clone(), c.name.get(locale).to_owned()))
        .collect();
    let lines: Vec<StaffLine> = staff
        .iter()
        .zip(&positions)
        .map(|(s, position)| {
            let own = levels.get(&s.id);
            let cells = competences
                .iter()
                .map(|(c, _)| Cell {
                    verified: own.and_then(|l| l.get(c)).copied().unwrap_or(0),
                    required: position
                        .and_then(|p| p.requires.iter().find(|r| &r.competence == c))
                        .map_or(0, |r| r.level),
                })
                .collect();
            StaffLine {
                id: s.id,
                full_name: s.full_name.clone(),
                position: position
                    .map(|p| p.name.get(locale).to_owned())
                    .unwrap_or_default(),
                cells,
                meets: s.meets == Some(1),
                leader_ready: s.leader_ready == Some(1),
            }
        })
        .collect();
    // Mandatory assignments: modules some staff member's position makes mandatory.
    let passed: BTreeSet<(i64, String)> = state
        .db
        .unit_passed_quizzes(code)
        .await
        .map_err(internal)?
        .into_iter()
        .filter(|(_, module, version)| {
            catalog
                .module(module)
                .is_some_and(|m| i64::from(m.quiz.version) == *version)
        })
        .map(|(account, module, _)| (account, module))
        .collect();
    let today = Date::from_unix_vn(now());
    let mut assignments = Vec::new();
    let mut overdue = Vec::new();
    for a in state.db.assignments(code).await.map_err(internal)? {
        let Some(module) = catalog.module(&a.module_id) else {
            continue;
        };
        let due = Date::from_epoch_days(a.due_on.div_euclid(86_400));
        let mut applies = 0;
        let mut done = 0;
        for (s, position) in staff.iter().zip(&positions) {
            if !position.is_some_and(|p| p.mandatory_modules.contains(&a.module_id)) {
                continue;
            }
            applies += 1;
            if passed.contains(&(s.id, a.module_id.clone())) {
                done += 1;
            } else if due < today {
                overdue.push(OverdueLine {
                    full_name: s.full_name.clone(),
                    module: module.title.get(locale).to_owned(),
                    due: due.to_string(),
                });
            }
        }
        assignments.push(AssignmentLine {
            module_id: a.module_id.clone(),
            module: module.title.get(locale).to_owned(),
            due: due.to_string(),
            staff: applies,
            done,
        });
    }
    let assignable = assignable_modules(catalog, locale);
    let pending = state
        .db
        .pending_activation(code, now())
        .await
        .map_err(internal)?
        .into_iter()
        .map(|p| PendingLine {
            id: p.id,
            full_name: p.full_name,
            cohort: p.cohort.as_deref().and_then(Cohort::parse),
            code: p.roster_code,
            code_issued: p.code_issued == 1,
        })
        .collect();
    Ok(UnitView {
        code: unit.code,
        name: unit.name,
        competences,
        total: lines.len() as u32,
        staff: lines,
        meeting: u32::try_from(meeting).unwrap_or(0),
        assignments,
        assignable,
        overdue,
        can_assign: user.role != Role::Learner,
        pending,
    })
}

/// Modules some official position makes mandatory: (id, title).
fn assignable_modules(catalog: &Catalog, locale: crate::i18n::Locale) -> Vec<(String, String)> {
    let mandatory: BTreeSet<&str> = catalog
        .positions
        .iter()
        .filter(|p| p.cohort == Cohort::Official)
        .flat_map(|p| p.mandatory_modules.iter().map(String::as_str))
        .collect();
    catalog
        .modules
        .iter()
        .filter(|m| mandatory.contains(m.id.as_str()))
        .map(|m| (m.id.clone(), m.title.get(locale).to_owned()))
        .collect()
}

/// Sets a due date for a mandatory module in a unit (form fields `module`, `due`).
pub async fn assign(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    code: &str,
    form: &FormInput,
) -> Posted<()> {
    super::visible_unit(state, user, code).await?;
    let mut errors = FormErrors::default();
    let module = form.get("module").trim();
    let known = assignable_modules(&state.content, use_locale())
        .iter()
        .any(|(id, _)| id == module);
    if !known {
        errors.add("module", "unit.errors.module");
    }
    let due = Date::parse_form(form.get("due")).ok();
    if due.is_none() {
        errors.add("due", "unit.errors.due");
    }
    let (Some(due), true) = (due, errors.is_empty()) else {
        return Err(errors.into());
    };
    state
        .db
        .set_assignment(code, module, due.unix_start(), user.id, now(), actor)
        .await
        .map_err(|e| internal(e).into())
}

/// Every Hà Nội unit with its officials and how many meet their standard.
pub async fn units(state: &AppState) -> Result<Vec<UnitLine>, AppError> {
    sweep_before_reading(state).await;
    let rows = state
        .db
        .unit_counts(super::HANOI_PROVINCE_CODE, Cohort::Official.as_str())
        .await
        .map_err(internal)?;
    Ok(rows
        .into_iter()
        .map(|r| UnitLine {
            code: r.code,
            name: r.name,
            staff: u32::try_from(r.staff).unwrap_or(0),
            meeting: u32::try_from(r.meeting).unwrap_or(0),
        })
        .collect())
}

/// Volunteers who meet the volunteer standard: ready for deployment.
pub async fn ready_volunteers(state: &AppState) -> Result<Vec<ReadyVolunteer>, AppError> {
    sweep_before_reading(state).await;
    Ok(state
        .db
        .ready_volunteers()
        .await
        .map_err(internal)?
        .into_iter()
        .map(|r| ReadyVolunteer {
            full_name: r.full_name,
            unit: r.unit_name,
            since: r.meets_since.map(date),
        })
        .collect())
}
