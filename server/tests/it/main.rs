//! hocso's integration tests: storage on both databases, and the real router end to end.
#![allow(clippy::unwrap_used)]

mod harness;

mod access;
mod accounts;
mod audit;
mod backup;
mod campaign;
mod competency;
mod content;
mod fuzz;
mod learning;
mod matrix;
mod pages;
mod personal_data;
mod practice;
mod refusals;
mod rollups;
mod startup;
mod storage;
mod tokens;
