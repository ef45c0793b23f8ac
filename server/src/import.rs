//! The CLI's imports: rosters (`hocso import roster FILE`) with a progress bar, and the
//! national catalogue of communes and wards (`hocso import units FILE`).

use std::collections::{BTreeMap, HashMap};

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};

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
    let result = roster::import(state, &bytes, |n| progress.set_position(n as u64)).await;
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
        if let Some(current) = state.db.unit_province(code).await? {
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
