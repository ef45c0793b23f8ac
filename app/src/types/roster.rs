//! What the roster import's preview shows.

use serde::{Deserialize, Serialize};

use crate::domain::roster::Action;
use crate::domain::Cohort;

/// One row of a roster preview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    /// The row's number in the file (the header is row 1).
    pub row: usize,
    pub code: String,
    pub full_name: String,
    pub cohort: Option<Cohort>,
    pub unit: String,
    pub action: Action,
}

/// A problem of one row, already in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// A roster file read and checked against hocso's records, before anything is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterPreview {
    pub id: i64,
    pub file_name: String,
    pub rows: usize,
    pub create: usize,
    pub update: usize,
    pub same: usize,
    /// Problems with the file as a whole (encoding, headers).
    pub file_errors: Vec<String>,
    pub errors: Vec<RowError>,
    /// The first rows, to look at before confirming.
    pub sample: Vec<PreviewRow>,
    /// Already imported (when and how many changed).
    pub applied: bool,
}
