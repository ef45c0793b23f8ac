//! The rules of a roster row: the officials and volunteers an organizer imports, each matched
//! on their code (an employee code, a volunteer code). Reading the file is the server's job;
//! what a row must hold is decided here.

use serde::{Deserialize, Serialize};

use super::account::{Contact, ContactError, FullName, NameError};
use super::text::normalize;
use super::Cohort;

/// The columns of a roster file. Headers are matched after lower-casing, with spaces as
/// underscores, in Vietnamese (with or without tone marks) or English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Column {
    Code,
    FullName,
    Cohort,
    Unit,
    Position,
    University,
    Contact,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Code,
        Column::FullName,
        Column::Cohort,
        Column::Unit,
        Column::Position,
        Column::University,
        Column::Contact,
    ];

    /// The header hocso writes in its template.
    pub fn header(self) -> &'static str {
        match self {
            Column::Code => "ma_so",
            Column::FullName => "ho_ten",
            Column::Cohort => "doi_tuong",
            Column::Unit => "ma_don_vi",
            Column::Position => "vi_tri",
            Column::University => "truong",
            Column::Contact => "lien_he",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Code => &[
                "ma_so",
                "mã_số",
                "ma",
                "mã",
                "ma_can_bo",
                "mã_cán_bộ",
                "ma_tinh_nguyen_vien",
                "mã_tình_nguyện_viên",
                "code",
                "employee_code",
            ],
            Column::FullName => &[
                "ho_ten",
                "họ_tên",
                "ho_va_ten",
                "họ_và_tên",
                "full_name",
                "name",
            ],
            Column::Cohort => &["doi_tuong", "đối_tượng", "nhom", "nhóm", "cohort"],
            Column::Unit => &[
                "ma_don_vi",
                "mã_đơn_vị",
                "ma_xa",
                "mã_xã",
                "unit_code",
                "unit",
            ],
            Column::Position => &[
                "vi_tri",
                "vị_trí",
                "vi_tri_viec_lam",
                "vị_trí_việc_làm",
                "position",
            ],
            Column::University => &["truong", "trường", "university", "school"],
            Column::Contact => &[
                "lien_he",
                "liên_hệ",
                "dien_thoai",
                "điện_thoại",
                "so_dien_thoai",
                "số_điện_thoại",
                "email",
                "contact",
                "phone",
            ],
        }
    }

    /// The column a header names, if any.
    pub fn from_header(header: &str) -> Option<Column> {
        let key = normalize(header.trim_start_matches('\u{feff}'))
            .to_lowercase()
            .replace([' ', '-'], "_");
        Column::ALL
            .into_iter()
            .find(|c| c.aliases().contains(&key.as_str()))
    }

    /// Columns every file must have.
    pub fn required(self) -> bool {
        !matches!(self, Column::Position | Column::University)
    }
}

/// A row as read from the file, every cell as text (missing cells empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawRow {
    pub code: String,
    pub full_name: String,
    pub cohort: String,
    pub unit: String,
    pub position: String,
    pub university: String,
    pub contact: String,
}

/// A row that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    /// Upper case.
    pub code: String,
    pub full_name: FullName,
    pub cohort: Cohort,
    /// Five digits.
    pub unit: String,
    /// `None`: the cohort's default position.
    pub position: Option<String>,
    pub university: Option<String>,
    pub contact: Contact,
}

/// What is wrong with one cell of a row.
/// What importing a valid row does to hocso's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Nobody of its cohort has its code yet: an account is created.
    Create,
    /// The account with its code changes (name, unit, position, university or contact).
    Update,
    /// The account with its code already says the same.
    Same,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    CodeMissing,
    CodeInvalid,
    Name(NameProblem),
    CohortUnknown,
    /// Residents register themselves; a roster lists officials and volunteers.
    CohortNotRostered,
    UnitUnknown,
    PositionUnknown,
    UniversityMissing,
    UniversityTooLong,
    Contact(ContactProblem),
    /// The same code appears on an earlier row (its number).
    DuplicateCode(usize),
    /// The same phone or email appears on an earlier row (its number).
    DuplicateContact(usize),
    /// The phone or email belongs to another account already in hocso.
    ContactTaken,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NameProblem {
    Empty,
    TooLong,
    InvalidCharacter,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactProblem {
    Empty,
    InvalidPhone,
    InvalidEmail,
}

impl From<NameError> for Problem {
    fn from(e: NameError) -> Problem {
        Problem::Name(match e {
            NameError::Empty => NameProblem::Empty,
            NameError::TooLong => NameProblem::TooLong,
            NameError::InvalidCharacter => NameProblem::InvalidCharacter,
        })
    }
}

impl From<ContactError> for Problem {
    fn from(e: ContactError) -> Problem {
        Problem::Contact(match e {
            ContactError::Empty => ContactProblem::Empty,
            ContactError::InvalidPhone => ContactProblem::InvalidPhone,
            ContactError::InvalidEmail => ContactProblem::InvalidEmail,
        })
    }
}

/// Longest code accepted.
pub const MAX_CODE_CHARS: usize = 40;

/// Reads the cohort cell: English codes or the Vietnamese words organizers write.
pub fn parse_cohort(cell: &str) -> Result<Cohort, Problem> {
    let key = normalize(cell).to_lowercase().replace([' ', '-'], "_");
    match key.as_str() {
        "official"
        | "can_bo"
        | "cán_bộ"
        | "cong_chuc"
        | "công_chức"
        | "can_bo_cong_chuc"
        | "cán_bộ_công_chức"
        | "cbcc" => Ok(Cohort::Official),
        "volunteer"
        | "tinh_nguyen_vien"
        | "tình_nguyện_viên"
        | "tnv"
        | "sinh_vien"
        | "sinh_viên" => Ok(Cohort::Volunteer),
        "resident" | "nguoi_dan" | "người_dân" => Err(Problem::CohortNotRostered),
        _ => Err(Problem::CohortUnknown),
    }
}

/// A unit code as spreadsheets leave it: "4" for "00004" (leading zeros dropped).
pub fn parse_unit(cell: &str) -> Option<String> {
    let digits = cell.trim();
    (!digits.is_empty() && digits.len() <= 5 && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("{digits:0>5}"))
}

/// A contact as spreadsheets leave it: a mobile number that lost its leading zero
/// ("912345678") gets it back.
pub fn parse_contact(cell: &str) -> Result<Contact, Problem> {
    let trimmed = cell.trim();
    let digits: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    let restored = if digits.len() == 9
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(digits.as_bytes()[0], b'3' | b'5' | b'7' | b'8' | b'9')
    {
        format!("0{digits}")
    } else {
        trimmed.to_owned()
    };
    Contact::parse(&restored).map_err(Problem::from)
}

/// Checks one row on its own. `known_unit` says whether a five-digit code is a unit hocso
/// knows; `known_position` whether a position id belongs to a cohort. Every problem of the row
/// is reported, with the column it is in.
pub fn check_row(
    raw: &RawRow,
    known_unit: impl Fn(&str) -> bool,
    known_position: impl Fn(Cohort, &str) -> bool,
) -> Result<RosterRow, Vec<(Column, Problem)>> {
    let mut problems = Vec::new();
    let code = raw.code.trim().to_uppercase();
    if code.is_empty() {
        problems.push((Column::Code, Problem::CodeMissing));
    } else if code.chars().count() > MAX_CODE_CHARS
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        problems.push((Column::Code, Problem::CodeInvalid));
    }
    let name = FullName::parse(&raw.full_name)
        .map_err(|e| problems.push((Column::FullName, e.into())))
        .ok();
    let cohort = parse_cohort(&raw.cohort)
        .map_err(|e| problems.push((Column::Cohort, e)))
        .ok();
    let unit = parse_unit(&raw.unit).filter(|u| known_unit(u));
    if unit.is_none() {
        problems.push((Column::Unit, Problem::UnitUnknown));
    }
    let position = normalize(&raw.position).to_lowercase();
    let position = (!position.is_empty()).then_some(position);
    if let (Some(cohort), Some(p)) = (cohort, position.as_deref()) {
        if !known_position(cohort, p) {
            problems.push((Column::Position, Problem::PositionUnknown));
        }
    }
    let university = normalize(&raw.university);
    let university = (!university.is_empty()).then_some(university);
    if cohort == Some(Cohort::Volunteer) && university.is_none() {
        problems.push((Column::University, Problem::UniversityMissing));
    }
    if university.as_ref().is_some_and(|u| u.chars().count() > 200) {
        problems.push((Column::University, Problem::UniversityTooLong));
    }
    let contact = parse_contact(&raw.contact)
        .map_err(|e| problems.push((Column::Contact, e)))
        .ok();
    match (name, cohort, unit, contact) {
        (Some(full_name), Some(cohort), Some(unit), Some(contact)) if problems.is_empty() => {
            Ok(RosterRow {
                code,
                full_name,
                cohort,
                unit,
                position,
                // Officials have no university; a cell there is ignored.
                university: university.filter(|_| cohort == Cohort::Volunteer),
                contact,
            })
        }
        _ => Err(problems),
    }
}

/// Problems only the whole file shows: a code or a contact repeated on a later row. `rows` are
/// (row number, row); each repeat is reported on the later row, naming the first.
pub fn duplicates(rows: &[(usize, &RosterRow)]) -> Vec<(usize, Column, Problem)> {
    use std::collections::HashMap;
    let mut codes: HashMap<(Cohort, &str), usize> = HashMap::new();
    let mut contacts: HashMap<&str, usize> = HashMap::new();
    let mut found = Vec::new();
    for &(number, row) in rows {
        match codes.get(&(row.cohort, row.code.as_str())) {
            Some(&first) => found.push((number, Column::Code, Problem::DuplicateCode(first))),
            None => {
                codes.insert((row.cohort, row.code.as_str()), number);
            }
        }
        match contacts.get(row.contact.as_str()) {
            Some(&first) => found.push((number, Column::Contact, Problem::DuplicateContact(first))),
            None => {
                contacts.insert(row.contact.as_str(), number);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(code: &str, name: &str, cohort: &str, unit: &str, contact: &str) -> RawRow {
        RawRow {
            code: code.into(),
            full_name: name.into(),
            cohort: cohort.into(),
            unit: unit.into(),
            position: String::new(),
            university: String::new(),
            contact: contact.into(),
        }
    }

    fn check(r: &RawRow) -> Result<RosterRow, Vec<(Column, Problem)>> {
        check_row(
            r,
            |u| u == "00004" || u == "00070",
            |c, p| c == Cohort::Official && p == "mot-cua",
        )
    }

    #[test]
    fn headers_are_read_in_either_language() {
        assert_eq!(Column::from_header("\u{feff}Mã số"), Some(Column::Code));
        assert_eq!(Column::from_header("HỌ TÊN"), Some(Column::FullName));
        assert_eq!(Column::from_header("full_name"), Some(Column::FullName));
        assert_eq!(Column::from_header("ma_don_vi"), Some(Column::Unit));
        assert_eq!(Column::from_header("Số điện thoại"), Some(Column::Contact));
        assert_eq!(Column::from_header("ghi chú"), None);
        for c in Column::ALL {
            assert_eq!(Column::from_header(c.header()), Some(c));
        }
    }

    #[test]
    fn a_good_official_row_passes_as_spreadsheets_leave_it() {
        let mut r = raw("cb-001", "Nguyễn Văn An", "Cán bộ", "4", "912 345 678");
        r.position = "MOT-CUA".into();
        r.university = "Đại học Bách khoa".into();
        let row = check(&r).unwrap();
        assert_eq!(row.code, "CB-001");
        assert_eq!(row.unit, "00004");
        assert_eq!(row.cohort, Cohort::Official);
        assert_eq!(row.position.as_deref(), Some("mot-cua"));
        assert_eq!(row.university, None, "officials have no university");
        assert_eq!(row.contact, Contact::Phone("0912345678".into()));
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let mut r = raw("", "Nguyễn Văn 4n", "học sinh", "99999", "not-a-phone");
        r.position = "giam-doc".into();
        let problems = check(&r).unwrap_err();
        assert_eq!(
            problems,
            vec![
                (Column::Code, Problem::CodeMissing),
                (
                    Column::FullName,
                    Problem::Name(NameProblem::InvalidCharacter)
                ),
                (Column::Cohort, Problem::CohortUnknown),
                (Column::Unit, Problem::UnitUnknown),
                (
                    Column::Contact,
                    Problem::Contact(ContactProblem::InvalidPhone)
                ),
            ]
        );
    }

    #[test]
    fn volunteers_need_a_university_and_residents_are_not_rostered() {
        let v = raw(
            "TNV-1",
            "Đỗ Hoàng Nam",
            "tình nguyện viên",
            "00070",
            "nam@vnu.edu.vn",
        );
        assert_eq!(
            check(&v).unwrap_err(),
            vec![(Column::University, Problem::UniversityMissing)]
        );
        let mut v = v;
        v.university = "Trường Đại học Kinh tế Quốc dân".into();
        assert_eq!(check(&v).unwrap().cohort, Cohort::Volunteer);
        v.position = "mot-cua".into();
        assert_eq!(
            check(&v).unwrap_err(),
            vec![(Column::Position, Problem::PositionUnknown)],
            "an officials' position is not a volunteer's"
        );
        let r = raw("X1", "Vũ Thị Hòa", "người dân", "00070", "0912345678");
        assert_eq!(
            check(&r).unwrap_err(),
            vec![(Column::Cohort, Problem::CohortNotRostered)]
        );
        let bad_code = raw(
            "CB 01;DROP",
            "Vũ Thị Hòa",
            "official",
            "00070",
            "0912345678",
        );
        assert_eq!(
            check(&bad_code).unwrap_err(),
            vec![(Column::Code, Problem::CodeInvalid)]
        );
    }

    #[test]
    fn repeats_are_reported_on_the_later_row() {
        let a = check(&raw("A1", "Nguyễn Văn An", "official", "4", "0912345678")).unwrap();
        let b = check(&raw("a1", "Trần Văn Bình", "official", "4", "0987654321")).unwrap();
        let c = check(&raw("C1", "Lê Văn Cường", "official", "4", "0912345678")).unwrap();
        let found = duplicates(&[(2, &a), (3, &b), (4, &c)]);
        assert_eq!(
            found,
            vec![
                (3, Column::Code, Problem::DuplicateCode(2)),
                (4, Column::Contact, Problem::DuplicateContact(2)),
            ]
        );
    }
}
