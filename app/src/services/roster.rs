//! Roster imports: a CSV of officials and volunteers, read, checked row by row against the
//! domain's rules and hocso's records, previewed, then written all at once (or not at all).
//! Re-importing the same file changes nothing: rows are matched on their code.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{internal, now, AppState};
use crate::domain::audit::Actor;
use crate::domain::roster::{
    self, Action, Column, ContactProblem, NameProblem, Problem, RawRow, RosterRow,
};
use crate::domain::{Cohort, Contact};
use crate::i18n::Locale;
use crate::store::{RosterAccount, RosterWrite, StoreError};
use crate::tr_in;
use crate::types::form::{FormErrors, Posted};
use crate::types::roster::{PreviewRow, RosterPreview, RowError};
use crate::types::{AppError, CurrentUser};

/// Most rows one file may hold.
pub const MAX_ROWS: usize = 50_000;
/// Largest file accepted, in bytes.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Rows shown in a preview.
const SAMPLE: usize = 20;

/// What is wrong with a file as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileProblem {
    Empty,
    /// Not UTF-8 (a spreadsheet's "CSV" in a legacy code page).
    NotUtf8,
    TooLarge,
    TooManyRows,
    /// Required columns the header lacks (their template names).
    MissingColumns(Vec<String>),
    /// A header named twice.
    RepeatedColumn(String),
    /// The CSV itself is broken at this row.
    Malformed(usize),
}

impl FileProblem {
    pub fn message(&self, locale: Locale) -> String {
        match self {
            FileProblem::Empty => tr_in!(locale, "roster.file.empty"),
            FileProblem::NotUtf8 => tr_in!(locale, "roster.file.not_utf8"),
            FileProblem::TooLarge => tr_in!(locale, "roster.file.too_large"),
            FileProblem::TooManyRows => rust_i18n::t!(
                "roster.file.too_many_rows",
                locale = locale.code(),
                max = MAX_ROWS
            )
            .into_owned(),
            FileProblem::MissingColumns(cols) => rust_i18n::t!(
                "roster.file.missing_columns",
                locale = locale.code(),
                columns = cols.join(", ")
            )
            .into_owned(),
            FileProblem::RepeatedColumn(col) => rust_i18n::t!(
                "roster.file.repeated_column",
                locale = locale.code(),
                column = col
            )
            .into_owned(),
            FileProblem::Malformed(row) => {
                rust_i18n::t!("roster.file.malformed", locale = locale.code(), row = row)
                    .into_owned()
            }
        }
    }
}

/// The name of a column in the reader's language.
pub fn column_name(c: Column, locale: Locale) -> String {
    let key = match c {
        Column::Code => "roster.column.code",
        Column::FullName => "roster.column.full_name",
        Column::Cohort => "roster.column.cohort",
        Column::Unit => "roster.column.unit",
        Column::Position => "roster.column.position",
        Column::University => "roster.column.university",
        Column::Contact => "roster.column.contact",
    };
    rust_i18n::t!(key, locale = locale.code()).into_owned()
}

/// A row problem in the reader's language.
pub fn problem_message(p: Problem, locale: Locale) -> String {
    let l = locale.code();
    match p {
        Problem::CodeMissing => rust_i18n::t!("roster.problem.code_missing", locale = l),
        Problem::CodeInvalid => rust_i18n::t!(
            "roster.problem.code_invalid",
            locale = l,
            max = roster::MAX_CODE_CHARS
        ),
        Problem::Name(NameProblem::Empty) => rust_i18n::t!("roster.problem.name_empty", locale = l),
        Problem::Name(NameProblem::TooLong) => {
            rust_i18n::t!("roster.problem.name_too_long", locale = l)
        }
        Problem::Name(NameProblem::InvalidCharacter) => {
            rust_i18n::t!("roster.problem.name_invalid", locale = l)
        }
        Problem::CohortUnknown => rust_i18n::t!("roster.problem.cohort_unknown", locale = l),
        Problem::CohortNotRostered => {
            rust_i18n::t!("roster.problem.cohort_resident", locale = l)
        }
        Problem::UnitUnknown => rust_i18n::t!("roster.problem.unit_unknown", locale = l),
        Problem::PositionUnknown => rust_i18n::t!("roster.problem.position_unknown", locale = l),
        Problem::UniversityMissing => {
            rust_i18n::t!("roster.problem.university_missing", locale = l)
        }
        Problem::UniversityTooLong => {
            rust_i18n::t!("roster.problem.university_too_long", locale = l)
        }
        Problem::Contact(ContactProblem::Empty) => {
            rust_i18n::t!("roster.problem.contact_empty", locale = l)
        }
        Problem::Contact(ContactProblem::InvalidPhone) => {
            rust_i18n::t!("roster.problem.phone_invalid", locale = l)
        }
        Problem::Contact(ContactProblem::InvalidEmail) => {
            rust_i18n::t!("roster.problem.email_invalid", locale = l)
        }
        Problem::DuplicateCode(first) => {
            rust_i18n::t!("roster.problem.duplicate_code", locale = l, row = first)
        }
        Problem::DuplicateContact(first) => {
            rust_i18n::t!("roster.problem.duplicate_contact", locale = l, row = first)
        }
        Problem::ContactTaken => rust_i18n::t!("roster.problem.contact_taken", locale = l),
    }
    .into_owned()
}

/// "Row N, column: message" in the reader's language.
pub fn row_error(row: usize, column: Column, problem: Problem, locale: Locale) -> String {
    rust_i18n::t!(
        "roster.row_error",
        locale = locale.code(),
        row = row,
        column = column_name(column, locale),
        message = problem_message(problem, locale)
    )
    .into_owned()
}

/// Reads a roster file: UTF-8 with or without a BOM, comma- or semicolon-separated (a
/// spreadsheet set to Vietnamese writes semicolons), a header row naming the columns. Row
/// numbers are the spreadsheet's: the header is row 1.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<(usize, RawRow)>, FileProblem> {
    if bytes.len() > MAX_BYTES {
        return Err(FileProblem::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileProblem::NotUtf8)?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| FileProblem::Malformed(1))?
        .clone();
    let mut index: HashMap<Column, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if let Some(c) = Column::from_header(h) {
            if index.insert(c, i).is_some() {
                return Err(FileProblem::RepeatedColumn(c.header().to_owned()));
            }
        }
    }
    let missing: Vec<String> = Column::ALL
        .into_iter()
        .filter(|c| c.required() && !index.contains_key(c))
        .map(|c| c.header().to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(FileProblem::MissingColumns(missing));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let number = i + 2;
        let record = record.map_err(|_| FileProblem::Malformed(number))?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileProblem::TooManyRows);
        }
        let get = |c: Column| {
            index
                .get(&c)
                .and_then(|&i| record.get(i))
                .unwrap_or_default()
                .to_owned()
        };
        rows.push((
            number,
            RawRow {
                code: get(Column::Code),
                full_name: get(Column::FullName),
                cohort: get(Column::Cohort),
                unit: get(Column::Unit),
                position: get(Column::Position),
                university: get(Column::University),
                contact: get(Column::Contact),
            },
        ));
    }
    if rows.is_empty() {
        return Err(FileProblem::Empty);
    }
    Ok(rows)
}

/// What a roster would do, row by row. The web import reads and checks a file once, at
/// upload, and keeps this with it: the preview shows it and the import writes it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Checked {
    pub rows: usize,
    pub file_problems: Vec<FileProblem>,
    /// (row, column, problem), by row.
    pub problems: Vec<(usize, Column, Problem)>,
    pub writes: Vec<RosterWrite>,
    pub create: usize,
    pub update: usize,
    pub same: usize,
    /// (row number, row, action) of every valid row (kept with an upload: the first ones,
    /// which its preview shows).
    pub valid: Vec<(usize, RosterRow, Action)>,
}

impl Checked {
    pub fn importable(&self) -> bool {
        self.file_problems.is_empty() && self.problems.is_empty()
    }

    /// The check as an upload keeps it: everything but the valid rows past the preview's.
    fn to_kept(&self) -> Result<String, AppError> {
        let kept = Checked {
            valid: self.valid.iter().take(SAMPLE).cloned().collect(),
            ..self.clone()
        };
        leptos::serde_json::to_string(&kept).map_err(internal)
    }
}

fn same_contact(a: &RosterAccount, c: &Contact) -> bool {
    match c {
        Contact::Phone(p) => a.phone.as_deref() == Some(p.as_str()),
        Contact::Email(e) => a.email.as_deref() == Some(e.as_str()),
    }
}

/// Checks a file against the rules and the records, writing nothing.
pub async fn check(state: &AppState, bytes: &[u8]) -> Result<Checked, StoreError> {
    let raw = match read_csv(bytes) {
        Ok(raw) => raw,
        Err(problem) => {
            return Ok(Checked {
                file_problems: vec![problem],
                ..Checked::default()
            })
        }
    };
    let units = state.db.unit_codes().await?;
    let catalog = &state.content;
    let known_position =
        |cohort: Cohort, id: &str| catalog.position(id).is_some_and(|p| p.cohort == cohort);
    let mut problems: Vec<(usize, Column, Problem)> = Vec::new();
    let mut valid: Vec<(usize, RosterRow)> = Vec::new();
    for (number, row) in &raw {
        match roster::check_row(row, |u| units.contains(u), known_position) {
            Ok(r) => valid.push((*number, r)),
            Err(found) => problems.extend(found.into_iter().map(|(c, p)| (*number, c, p))),
        }
    }
    let refs: Vec<(usize, &RosterRow)> = valid.iter().map(|(n, r)| (*n, r)).collect();
    let repeated = roster::duplicates(&refs);
    let repeated_rows: HashSet<usize> = repeated.iter().map(|(n, _, _)| *n).collect();
    problems.extend(repeated);

    let codes: Vec<(Cohort, String)> = valid
        .iter()
        .map(|(_, r)| (r.cohort, r.code.clone()))
        .collect();
    let contacts: Vec<Contact> = valid.iter().map(|(_, r)| r.contact.clone()).collect();
    let existing = state.db.roster_matches(&codes, &contacts).await?;
    let by_code: HashMap<(Cohort, &str), &RosterAccount> = existing
        .iter()
        .filter_map(|a| {
            let cohort = a.cohort.as_deref().and_then(Cohort::parse)?;
            Some(((cohort, a.roster_code.as_deref()?), a))
        })
        .collect();
    let mut out = Checked {
        rows: raw.len(),
        ..Checked::default()
    };
    for (number, row) in valid {
        if repeated_rows.contains(&number) {
            continue;
        }
        let matched = by_code.get(&(row.cohort, row.code.as_str())).copied();
        let holder = existing.iter().find(|a| same_contact(a, &row.contact));
        if let Some(h) = holder {
            if matched.is_none_or(|m| m.id != h.id) {
                problems.push((number, Column::Contact, Problem::ContactTaken));
                continue;
            }
        }
        let action = match matched {
            None => {
                out.writes.push(RosterWrite::Create {
                    code: row.code.clone(),
                    full_name: row.full_name.as_str().to_owned(),
                    cohort: row.cohort,
                    unit_code: row.unit.clone(),
                    position_code: row.position.clone(),
                    university: row.university.clone(),
                    contact: row.contact.clone(),
                });
                out.create += 1;
                Action::Create
            }
            Some(old) => {
                let unchanged = old.full_name == row.full_name.as_str()
                    && old.unit_code.as_deref() == Some(row.unit.as_str())
                    && old.position_code == row.position
                    && old.university == row.university
                    && same_contact(old, &row.contact);
                if unchanged {
                    out.same += 1;
                    Action::Same
                } else {
                    out.writes.push(RosterWrite::Update {
                        old: old.clone(),
                        full_name: row.full_name.as_str().to_owned(),
                        unit_code: row.unit.clone(),
                        position_code: row.position.clone(),
                        university: row.university.clone(),
                        contact: row.contact.clone(),
                    });
                    out.update += 1;
                    Action::Update
                }
            }
        };
        out.valid.push((number, row, action));
    }
    problems.sort_by_key(|(n, c, _)| (*n, Column::ALL.iter().position(|x| x == c)));
    out.problems = problems;
    Ok(out)
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    /// The file has problems (all of them are in the check).
    Invalid(Box<Checked>),
    /// Records changed between the check and the write (another import, a registration).
    Changed,
    Store(StoreError),
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Store(e)
    }
}

/// Checks and imports a file in one go: every row is written, or none. `progress` is told how
/// many rows were written so far (the CLI's progress bar).
pub async fn import(
    state: &AppState,
    bytes: &[u8],
    progress: impl FnMut(usize),
    actor: &Actor,
    source: &str,
) -> Result<Applied, ImportError> {
    let checked = check(state, bytes).await?;
    apply(state, checked, progress, actor, source).await
}

/// Writes what a check found, all of it or nothing: the write is conditional on the records
/// the check read, so a change in between writes nothing ([`ImportError::Changed`]).
pub async fn apply(
    state: &AppState,
    checked: Checked,
    progress: impl FnMut(usize),
    actor: &Actor,
    source: &str,
) -> Result<Applied, ImportError> {
    if !checked.importable() {
        return Err(ImportError::Invalid(Box::new(checked)));
    }
    let moved = match state
        .db
        .apply_roster(&checked.writes, now(), progress, actor, source)
        .await
    {
        Ok(moved) => moved,
        Err(StoreError::Stale | StoreError::ContactTaken) => return Err(ImportError::Changed),
        Err(e) => return Err(ImportError::Store(e)),
    };
    // Moved between units or positions: their standing and their units' counts follow.
    for id in moved {
        if let Err(e) = super::competency::recompute(state, id).await {
            tracing::error!(error = %e, account = id, "recomputing a moved learner failed");
        }
    }
    tracing::info!(
        created = checked.create,
        updated = checked.update,
        unchanged = checked.same,
        "roster imported"
    );
    Ok(Applied {
        created: checked.create,
        updated: checked.update,
        unchanged: checked.same,
    })
}

/// Turns a check into what the preview page shows, in the reader's language.
pub fn preview(id: i64, file_name: &str, checked: &Checked, locale: Locale) -> RosterPreview {
    RosterPreview {
        id,
        file_name: file_name.to_owned(),
        rows: checked.rows,
        create: checked.create,
        update: checked.update,
        same: checked.same,
        file_errors: checked
            .file_problems
            .iter()
            .map(|p| p.message(locale))
            .collect(),
        errors: checked
            .problems
            .iter()
            .map(|(row, column, problem)| RowError {
                row: *row,
                column: column_name(*column, locale),
                message: problem_message(*problem, locale),
            })
            .collect(),
        sample: checked
            .valid
            .iter()
            .take(SAMPLE)
            .map(|(row, r, action)| PreviewRow {
                row: *row,
                code: r.code.clone(),
                full_name: r.full_name.as_str().to_owned(),
                cohort: Some(r.cohort),
                unit: r.unit.clone(),
                action: *action,
            })
            .collect(),
        applied: false,
    }
}

/// Reads and checks an uploaded file, once, and keeps it with what the check found; returns
/// its id for the preview page. A file that is not UTF-8 keeps no text: its check says so.
pub async fn upload(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<i64, AppError> {
    let checked = check(state, bytes).await.map_err(internal)?;
    let content = std::str::from_utf8(bytes).unwrap_or_default();
    let name: String = file_name.chars().take(200).collect();
    state
        .db
        .save_upload(user.id, &name, content, &checked.to_kept()?, now(), actor)
        .await
        .map_err(internal)
}

async fn own_upload(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<crate::store::UploadRow, AppError> {
    match state.db.upload(id).await.map_err(internal)? {
        Some(u) if u.uploaded_by == user.id => Ok(u),
        // Someone else's upload is "not found": its rows are personal data.
        _ => Err(AppError::NotFound),
    }
}

/// What an unimported upload's check found. An upload kept before checks were stored is
/// checked now, once, and the result kept.
async fn kept_check(
    state: &AppState,
    upload: &crate::store::UploadRow,
) -> Result<Checked, AppError> {
    if let Some(checked) = upload
        .checked
        .as_deref()
        .and_then(|c| leptos::serde_json::from_str::<Checked>(c).ok())
    {
        return Ok(checked);
    }
    recheck(state, upload).await
}

/// Checks an upload's file again (the records changed since its check) and keeps the result.
async fn recheck(state: &AppState, upload: &crate::store::UploadRow) -> Result<Checked, AppError> {
    let checked = check(state, upload.content.as_bytes())
        .await
        .map_err(internal)?;
    state
        .db
        .set_upload_check(upload.id, &checked.to_kept()?)
        .await
        .map_err(internal)?;
    Ok(checked)
}

fn applied_summary(upload: &crate::store::UploadRow) -> Applied {
    upload
        .summary
        .as_deref()
        .and_then(|s| leptos::serde_json::from_str(s).ok())
        .unwrap_or_default()
}

/// The preview of an upload (the uploader's own only): what its check found, or what its
/// import did.
pub async fn preview_of(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<RosterPreview, AppError> {
    let locale = crate::i18n::use_locale();
    let upload = own_upload(state, user, id).await?;
    if upload.applied_at.is_some() {
        let applied = applied_summary(&upload);
        return Ok(RosterPreview {
            id,
            file_name: upload.file_name,
            rows: applied.created + applied.updated + applied.unchanged,
            create: applied.created,
            update: applied.updated,
            same: applied.unchanged,
            file_errors: Vec::new(),
            errors: Vec::new(),
            sample: Vec::new(),
            applied: true,
        });
    }
    let checked = kept_check(state, &upload).await?;
    Ok(preview(id, &upload.file_name, &checked, locale))
}

/// Imports a previewed upload: exactly the writes its preview showed, all or none. A file with
/// problems is not imported; if the records changed since the check, nothing is written, the
/// file is checked again and the new preview shown, to be confirmed again.
pub async fn confirm(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    id: i64,
) -> Posted<Applied> {
    let upload = own_upload(state, user, id).await?;
    if upload.applied_at.is_some() {
        // A second click: the first one imported it.
        return Ok(applied_summary(&upload));
    }
    let checked = kept_check(state, &upload).await?;
    match apply(state, checked, |_| {}, actor, &format!("roster:{id}")).await {
        Ok(applied) => {
            let summary = leptos::serde_json::to_string(&applied).map_err(internal)?;
            state
                .db
                .finish_upload(id, &summary, now())
                .await
                .map_err(internal)?;
            Ok(applied)
        }
        Err(ImportError::Invalid(_)) => Err(FormErrors::general("roster.not_imported").into()),
        Err(ImportError::Changed) => {
            recheck(state, &upload).await?;
            Err(FormErrors::general("roster.changed").into())
        }
        Err(ImportError::Store(e)) => Err(internal(e).into()),
    }
}

/// The template organizers fill in: the header and two example rows (invented people).
pub fn template() -> String {
    let header: Vec<&str> = Column::ALL.iter().map(|c| c.header()).collect();
    format!(
        "\u{feff}{}\nCB-0001,Nguyễn Văn An,cán bộ,00004,mot-cua,,an.nguyen@example.com\n\
         TNV-0001,Đỗ Thu Trang,tình nguyện viên,00004,,Trường Đại học Bách khoa Hà Nội,trang.do@example.com\n",
        header.join(",")
    )
}
