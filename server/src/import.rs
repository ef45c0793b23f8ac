//! The CLI's imports: rosters (`hocso import roster FILE`) with a progress bar, and the
//! national catalogue of communes and wards (`hocso import units FILE`).

use std::collections::{BTreeMap, HashMap};

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};

use app::domain::audit::Actor;
use app::i18n::Locale;
use app::services::roster::{self, ImportError};
use app::services::AppState;

fn bar(len: u64, message: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40.cyan/blue}] {pos}/{len} ({eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_owned());
    bar
}

/// `hocso import roster FILE`: checks every row, prints every problem by row number, and
/// imports all rows or none. With `dry_run`, only checks.
pub async fn roster_file(
    state: &AppState,
    path: &std::path::Path,
    dry_run: bool,
    locale: Locale,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let spinner = ProgressBar::new_spinner();
    spinner.set_message(format!("checking {}", path.display()));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let checked = roster::check(state, &bytes).await?;
    spinner.finish_and_clear();
    for p in &checked.file_problems {
        eprintln!("{}: {}", path.display(), p.message(locale));
    }
    for (row, column, problem) in &checked.problems {
        eprintln!(
            "{}: {}",
            path.display(),
            roster::row_error(*row, *column, *problem, locale)
        );
    }
    if !checked.importable() {
        bail!(
            "{} problems found in {}: nothing was imported",
            checked.problems.len() + checked.file_problems.len(),
            path.display()
        );
    }
    println!(
        "{} rows: {} new, {} changed, {} unchanged",
        checked.rows, checked.create, checked.update, checked.same
    );
    if dry_run {
        println!("dry run: nothing was written");
        return Ok(());
    }
    let progress = bar(checked.writes.len() as u64, "importing");
    let source = format!("file:{}", path.display());
    let result = roster::apply(
        state,
        checked,
        |n| progress.set_position(n as u64),
        &Actor::command_line("import roster"),
        &source,
    )
    .await;
    progress.finish_and_clear();
    match result {
        Ok(applied) => {
            println!(
                "imported: {} new, {} changed, {} unchanged",
                applied.created, applied.updated, applied.unchanged
            );
            Ok(())
        }
        Err(ImportError::Changed) => {
            bail!("the records changed while importing (another import?): nothing was written; run it again")
        }
        Err(ImportError::Invalid(_)) => {
            bail!("the file changed while importing: nothing was written")
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

/// A unit catalogue read from CSV: provinces (code → name) and units (code, name, division
/// type, province code).
pub type UnitCatalogue = (
    BTreeMap<String, String>,
    Vec<(String, String, String, String)>,
);

/// Reads `vietnam-units-2025.csv` (`province_code, province_name, nso_code, name,
/// division_type`) or a one-province file (`nso_code, name, division_type`, with
/// `province` given). Every problem is reported by row.
pub fn read_units(
    bytes: &[u8],
    province: Option<(&str, &str)>,
) -> Result<UnitCatalogue, Vec<String>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| vec!["the file is not UTF-8".to_owned()])?
        .trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| vec![format!("row 1: {e}")])?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(code), Some(name), Some(kind)) = (col("nso_code"), col("name"), col("division_type"))
    else {
        return Err(vec![
            "row 1: the header needs nso_code, name and division_type".to_owned(),
        ]);
    };
    let province_cols = (col("province_code"), col("province_name"));
    if province_cols.0.is_none() && province.is_none() {
        return Err(vec![
            "row 1: no province_code column: give the province with --province CODE --province-name NAME"
                .to_owned(),
        ]);
    }
    let mut provinces = BTreeMap::new();
    let mut units = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("row {row}: {e}"));
                continue;
            }
        };
        let get = |c: usize| record.get(c).unwrap_or_default().trim().to_owned();
        let (p_code, p_name) = match province_cols {
            (Some(pc), pn) => (get(pc), pn.map(get).unwrap_or_default()),
            (None, _) => province
                .map(|(c, n)| (c.to_owned(), n.to_owned()))
                .unwrap_or_default(),
        };
        let u_code = get(code);
        let u_name = app::domain::text::normalize(&get(name));
        let u_kind = app::domain::text::normalize(&get(kind)).to_lowercase();
        if p_code.len() != 2 || !p_code.chars().all(|c| c.is_ascii_digit()) {
            problems.push(format!(
                "row {row}: province code {p_code:?} is not two digits"
            ));
        }
        if u_code.len() != 5 || !u_code.chars().all(|c| c.is_ascii_digit()) {
            problems.push(format!(
                "row {row}: unit code {u_code:?} is not five digits"
            ));
        }
        if u_name.is_empty() {
            problems.push(format!("row {row}: the unit has no name"));
        }
        if !matches!(u_kind.as_str(), "phường" | "xã" | "đặc khu") {
            problems.push(format!(
                "row {row}: division type {u_kind:?} is not phường, xã or đặc khu"
            ));
        }
        if let Some(first) = seen.insert(u_code.clone(), row) {
            problems.push(format!(
                "row {row}: unit {u_code} is already on row {first}"
            ));
        }
        if !p_name.is_empty() {
            provinces.insert(p_code.clone(), app::domain::text::normalize(&p_name));
        } else {
            provinces
                .entry(p_code.clone())
                .or_insert_with(|| p_code.clone());
        }
        units.push((u_code, u_name, u_kind, p_code));
    }
    if units.is_empty() && problems.is_empty() {
        problems.push("the file has no units".to_owned());
    }
    if problems.is_empty() {
        Ok((provinces, units))
    } else {
        Err(problems)
    }
}

/// `hocso import units FILE`: adds or renames provinces and units, all or nothing. A unit
/// that would move to another province is refused (its counts belong to its province).
pub async fn units_file(
    state: &AppState,
    path: &std::path::Path,
    province: Option<(&str, &str)>,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let (provinces, units) = match read_units(&bytes, province) {
        Ok(read) => read,
        Err(problems) => {
            for p in &problems {
                eprintln!("{}: {p}", path.display());
            }
            bail!("{} problems: nothing was imported", problems.len());
        }
    };
    let mut moved = Vec::new();
    for (code, _, _, p) in &units {
        if let Some(current) = state.db.unit(code).await?.map(|u| u.province_code) {
            if &current != p {
                moved.push(format!(
                    "unit {code} belongs to province {current}, not {p}"
                ));
            }
        }
    }
    if !moved.is_empty() {
        for m in &moved {
            eprintln!("{}: {m}", path.display());
        }
        bail!("{} problems: nothing was imported", moved.len());
    }
    let provinces: Vec<(String, String)> = provinces.into_iter().collect();
    let (added, changed) = state.db.upsert_units(&provinces, &units).await?;
    println!(
        "{} provinces, {} units read: {added} added, {changed} renamed, {} unchanged",
        provinces.len(),
        units.len(),
        units.len() - added - changed
    );
    Ok(())
}

/// One row of the portal's statistics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FigureLine {
    pub unit_code: String,
    /// The day, as Unix seconds at 00:00 UTC.
    pub as_of: i64,
    pub households: Option<i64>,
    pub received: Option<i64>,
    pub online: Option<i64>,
}

/// Reads the portal's statistics per unit and day: `ma_don_vi` (or `unit_code`), `ngay`
/// (`date`, dd/mm/yyyy or yyyy-mm-dd), and any of `so_ho` (`households`), `ho_so_tiep_nhan`
/// (`received`) with `ho_so_truc_tuyen` (`online`). Every problem is reported by row.
pub fn read_figures(
    bytes: &[u8],
    known_unit: impl Fn(&str) -> bool,
    today: i64,
) -> Result<Vec<FigureLine>, Vec<String>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| vec!["the file is not UTF-8".to_owned()])?
        .trim_start_matches('\u{feff}');
    let delimiter = match text.lines().next() {
        Some(h) if h.matches(';').count() > h.matches(',').count() => b';',
        _ => b',',
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| vec![format!("row 1: {e}")])?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let unit = col(&["ma_don_vi", "unit_code"]);
    let date = col(&["ngay", "date", "as_of"]);
    let households = col(&["so_ho", "households"]);
    let received = col(&["ho_so_tiep_nhan", "received"]);
    let online = col(&["ho_so_truc_tuyen", "online"]);
    let (Some(unit), Some(date)) = (unit, date) else {
        return Err(vec!["row 1: the header needs ma_don_vi and ngay".to_owned()]);
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("row {row}: {e}"));
                continue;
            }
        };
        let cell = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        let number = |c: Option<usize>, what: &str, problems: &mut Vec<String>| {
            let raw: String = cell(c)
                .chars()
                .filter(|c| !matches!(c, '.' | ',' | ' '))
                .collect();
            if raw.is_empty() {
                return None;
            }
            match raw.parse::<i64>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    problems.push(format!("row {row}: {what} is not a whole number"));
                    None
                }
            }
        };
        let code = app::domain::roster::parse_unit(&cell(Some(unit))).filter(|u| known_unit(u));
        if code.is_none() {
            problems.push(format!(
                "row {row}: no unit has the code {:?}",
                cell(Some(unit))
            ));
        }
        let day = app::domain::vn::Date::parse_form(&cell(Some(date))).ok();
        match day {
            None => problems.push(format!("row {row}: write the date as dd/mm/yyyy")),
            Some(d) if d.epoch_day() > today => {
                problems.push(format!("row {row}: the date is still to come"))
            }
            _ => {}
        }
        let h = number(households, "so_ho", &mut problems);
        let r = number(received, "ho_so_tiep_nhan", &mut problems);
        let o = number(online, "ho_so_truc_tuyen", &mut problems);
        if r.is_some() != o.is_some() {
            problems.push(format!(
                "row {row}: give both ho_so_tiep_nhan and ho_so_truc_tuyen, or neither"
            ));
        }
        if let (Some(r), Some(o)) = (r, o) {
            if o > r {
                problems.push(format!(
                    "row {row}: ho_so_truc_tuyen ({o}) is more than ho_so_tiep_nhan ({r})"
                ));
            }
        }
        if h.is_none() && r.is_none() {
            problems.push(format!("row {row}: no figures"));
        }
        if let (Some(unit_code), Some(day)) = (code, day) {
            rows.push(FigureLine {
                unit_code,
                as_of: day.unix_start(),
                households: h,
                received: r,
                online: o,
            });
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push("the file has no rows".to_owned());
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// `hocso import figures FILE`: the portal's statistics for the current campaign, all rows
/// or none (a second import of a unit's day replaces it).
pub async fn figures_file(state: &AppState, path: &std::path::Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let today = app::domain::vn::vn_day(app::services::now());
    let Some(campaign) = state
        .db
        .current_campaign(app::services::HANOI_PROVINCE_CODE, today * 86_400)
        .await?
    else {
        bail!("there is no campaign: create one first (/campaign/settings)");
    };
    let units = state.db.unit_codes().await?;
    let rows = match read_figures(&bytes, |u| units.contains(u), today) {
        Ok(rows) => rows,
        Err(problems) => {
            for p in &problems {
                eprintln!("{}: {p}", path.display());
            }
            bail!("{} problems: nothing was imported", problems.len());
        }
    };
    let at = app::services::now();
    let figures: Vec<app::store::NewFigures> = rows
        .into_iter()
        .map(|f| app::store::NewFigures {
            campaign_id: campaign.id,
            unit_code: f.unit_code,
            as_of: f.as_of,
            households: f.households,
            procedures_received: f.received,
            procedures_online: f.online,
            entered_by: None,
            entered_at: at,
        })
        .collect();
    state
        .db
        .set_many_figures(&figures, &Actor::command_line("import figures"))
        .await?;
    println!("{} figures imported into {}", figures.len(), campaign.name);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_catalogue_is_read_with_every_problem() {
        let good = "province_code,province_name,nso_code,name,division_type\n\
                    01,Thành phố Hà Nội,00004,Phường Ba Đình,phường\n\
                    79,Thành phố Hồ Chí Minh,26734,Phường Sài Gòn,phường\n\
                    79,Thành phố Hồ Chí Minh,26735,Đặc khu Côn Đảo,đặc khu\n";
        let (provinces, units) = read_units(good.as_bytes(), None).unwrap();
        assert_eq!(
            provinces.get("79").map(String::as_str),
            Some("Thành phố Hồ Chí Minh")
        );
        assert_eq!(units.len(), 3);
        let bad = "province_code,province_name,nso_code,name,division_type\n\
                   1,Hà Nội,4,,quận\n\
                   79,Hồ Chí Minh,26734,Phường Sài Gòn,phường\n\
                   79,Hồ Chí Minh,26734,Phường Sài Gòn,phường\n";
        let problems = read_units(bad.as_bytes(), None).unwrap_err();
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems[0].starts_with("row 2: province code"));
        assert!(problems
            .iter()
            .any(|p| p == "row 4: unit 26734 is already on row 3"));
        let hanoi_only =
            "nso_code,name,division_type,codename\n00004,Phường Ba Đình,phường,phuong_ba_dinh\n";
        assert!(read_units(hanoi_only.as_bytes(), None).is_err());
        let (_, units) =
            read_units(hanoi_only.as_bytes(), Some(("01", "Thành phố Hà Nội"))).unwrap();
        assert_eq!(units[0].3, "01");
    }

    #[test]
    fn figures_are_read_with_every_problem() {
        let known = |u: &str| u == "00004" || u == "00070";
        let today = app::domain::vn::Date::parse_vn("20/08/2025")
            .unwrap()
            .epoch_day();
        let good = "ma_don_vi;ngay;so_ho;ho_so_tiep_nhan;ho_so_truc_tuyen\n4;12/08/2025;1.200;300;240\n00070;2025-08-13;;100;50\n";
        let rows = read_figures(good.as_bytes(), known, today).unwrap();
        assert_eq!(rows[0].unit_code, "00004");
        assert_eq!(
            (rows[0].households, rows[0].received, rows[0].online),
            (Some(1200), Some(300), Some(240))
        );
        assert_eq!(rows[1].households, None);
        let bad = "ma_don_vi,ngay,so_ho,ho_so_tiep_nhan,ho_so_truc_tuyen\n\
                   99999,12/08/2025,10,,\n\
                   00004,31/02/2025,10,,\n\
                   00004,21/08/2025,10,,\n\
                   00004,12/08/2025,,100,\n\
                   00004,12/08/2025,,100,120\n\
                   00004,12/08/2025,,,\n\
                   00004,12/08/2025,-5,,\n";
        let problems = read_figures(bad.as_bytes(), known, today).unwrap_err();
        let rows: Vec<&str> = problems.iter().map(|p| &p[..6]).collect();
        assert_eq!(
            rows,
            vec!["row 2:", "row 3:", "row 4:", "row 5:", "row 6:", "row 7:", "row 8:", "row 8:"],
            "{problems:#?}"
        );
    }
}
