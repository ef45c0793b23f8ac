//! Reading the audit log: admins only, filtered, a page at a time or all of it as CSV. There
//! is nothing here (or anywhere) that changes an entry.

use super::{internal, AppState};
use crate::domain::audit::Action;
use crate::domain::vn::Date;
use crate::store::{AuditFilter, AuditRow};
use crate::types::audit::{AuditLine, AuditQuery, AuditView};
use crate::types::{AppError, CurrentUser};

/// Entries on one page.
pub const PAGE: i64 = 100;
/// Most entries one export holds (the newest first); a narrower filter gets the rest.
pub const EXPORT_MAX: i64 = 100_000;

/// The seconds Việt Nam is ahead of UTC.
const VN_OFFSET: i64 = 7 * 3600;

fn may_read(user: &CurrentUser) -> Result<(), AppError> {
    if user.role.may_read_audit() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A typed day: a date input's `yyyy-mm-dd` or the Vietnamese `dd/mm/yyyy`.
fn day(typed: &str) -> Option<Date> {
    Date::parse_form(typed)
        .or_else(|_| Date::parse_vn(typed))
        .ok()
}

/// The filter a query asks for, and the fields that could not be read (ignored, and said).
pub fn filter_of(query: &AuditQuery) -> (AuditFilter, Vec<(String, String)>) {
    let mut problems = Vec::new();
    let mut problem = |field: &str, key: &str| problems.push((field.to_owned(), key.to_owned()));
    let mut filter = AuditFilter::default();
    let action = query.action.trim();
    if !action.is_empty() {
        filter.action = Action::parse(action);
        if filter.action.is_none() {
            problem("action", "audit.errors.action");
        }
    }
    let unit = query.unit.trim();
    if !unit.is_empty() {
        match crate::domain::roster::parse_unit(unit) {
            Some(code) => filter.unit_code = Some(code),
            None => problem("unit", "audit.errors.unit"),
        }
    }
    let actor = query.actor.trim();
    if !actor.is_empty() {
        filter.actor_id = actor.parse().ok().filter(|id: &i64| *id > 0);
        if filter.actor_id.is_none() {
            problem("actor", "audit.errors.actor");
        }
    }
    for (field, typed, end) in [("from", &query.from, false), ("until", &query.until, true)] {
        let typed = typed.trim();
        if typed.is_empty() {
            continue;
        }
        match day(typed) {
            // Midnight in Việt Nam; the last day counts whole.
            Some(d) => {
                let start = d.unix_start() - VN_OFFSET;
                if end {
                    filter.until = Some(start + 86_400);
                } else {
                    filter.from = Some(start);
                }
            }
            None => problem(field, "audit.errors.date"),
        }
    }
    (filter, problems)
}

/// `dd/mm/yyyy HH:MM:SS` in Việt Nam.
fn vn_time(at: i64) -> String {
    let secs = (at + VN_OFFSET).rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}",
        Date::from_unix_vn(at),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn line(row: AuditRow) -> AuditLine {
    AuditLine {
        id: row.id,
        at: vn_time(row.at),
        actor_id: row.actor_id,
        actor_name: row.actor_name,
        address: row.address,
        action_key: Action::parse(&row.action).map(|a| a.label_key().to_owned()),
        action: row.action,
        object: row.object,
        unit_code: row.unit_code,
        before: row.before_json,
        after: row.after_json,
    }
}

/// One page of the log, newest first, with the link to the next.
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    query: &AuditQuery,
) -> Result<AuditView, AppError> {
    may_read(user)?;
    let (filter, problems) = filter_of(query);
    let before = query.before.trim().parse::<i64>().ok();
    let mut rows = state
        .db
        .audit_log(&filter, before, PAGE + 1)
        .await
        .map_err(internal)?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let older = match (more, rows.last()) {
        (true, Some(last)) => {
            let next = AuditQuery {
                before: last.id.to_string(),
                ..query.clone()
            };
            Some(serde_urlencoded::to_string(&next).map_err(internal)?)
        }
        _ => None,
    };
    let whole = AuditQuery {
        before: String::new(),
        ..query.clone()
    };
    let export = format!(
        "/audit/export.csv?{}",
        serde_urlencoded::to_string(&whole).map_err(internal)?
    );
    Ok(AuditView {
        lines: rows.into_iter().map(line).collect(),
        older,
        export,
        actions: Action::ALL
            .into_iter()
            .map(|a| (a.as_str().to_owned(), a.label_key().to_owned()))
            .collect(),
        problems,
    })
}

/// Every entry the filter matches (at most [`EXPORT_MAX`], newest first) as CSV, UTF-8 with a
/// BOM. Names are written as stored: a cell that a spreadsheet would read as a formula is
/// quoted.
pub async fn export(
    state: &AppState,
    user: &CurrentUser,
    query: &AuditQuery,
) -> Result<String, AppError> {
    may_read(user)?;
    let (filter, _) = filter_of(query);
    let rows = state
        .db
        .audit_log(&filter, None, EXPORT_MAX)
        .await
        .map_err(internal)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "thoi_gian",
        "tai_khoan",
        "nguoi_thuc_hien",
        "dia_chi",
        "hanh_dong",
        "doi_tuong",
        "don_vi",
        "truoc",
        "sau",
    ];
    w.write_record(header).map_err(internal)?;
    for row in rows {
        let l = line(row);
        let record = [
            l.id.to_string(),
            l.at,
            l.actor_id.map(|id| id.to_string()).unwrap_or_default(),
            super::campaign::cell(&l.actor_name),
            l.address.unwrap_or_default(),
            l.action,
            super::campaign::cell(&l.object),
            l.unit_code.unwrap_or_default(),
            l.before.unwrap_or_default(),
            l.after.unwrap_or_default(),
        ];
        w.write_record(&record).map_err(internal)?;
    }
    let bytes = w.into_inner().map_err(internal)?;
    let text = String::from_utf8(bytes).map_err(internal)?;
    Ok(format!("\u{feff}{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_and_filter_problem_has_its_words_in_both_languages() {
        let mut keys: Vec<&str> = Action::ALL.into_iter().map(Action::label_key).collect();
        let bad = AuditQuery {
            action: "account.delete".into(),
            unit: "Ba Đình".into(),
            actor: "-3".into(),
            from: "31/02/2025".into(),
            until: "hôm qua".into(),
            before: String::new(),
        };
        let (filter, problems) = filter_of(&bad);
        assert_eq!(
            filter,
            AuditFilter::default(),
            "nothing unreadable is applied"
        );
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["action", "unit", "actor", "from", "until"]);
        keys.extend(problems.iter().map(|(_, k)| k.as_str()));
        for key in keys {
            for locale in ["vi", "en"] {
                let text = rust_i18n::t!(key, locale = locale);
                assert_ne!(text, key, "{key} has no {locale} text");
            }
        }
    }

    #[test]
    fn days_are_whole_days_in_viet_nam() {
        let query = AuditQuery {
            unit: "4".into(),
            from: "2025-07-21".into(),
            until: "21/07/2025".into(),
            ..AuditQuery::default()
        };
        let (filter, problems) = filter_of(&query);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(filter.unit_code.as_deref(), Some("00004"));
        // 21 July 2025 00:00 in Hà Nội is 20 July 17:00 UTC.
        assert_eq!(filter.from, Some(1_753_030_800));
        assert_eq!(filter.until, Some(1_753_030_800 + 86_400));
        assert_eq!(vn_time(1_753_030_800), "21/07/2025 00:00:00");
    }
}
