//! Practice runs: the two ways to take a run, and the states a run goes through.

use serde::{Deserialize, Serialize};

/// Guided runs help; exam runs are timed, give no feedback and count as evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    Guided,
    Exam,
}

impl Mode {
    pub fn code(self) -> &'static str {
        match self {
            Mode::Guided => "guided",
            Mode::Exam => "exam",
        }
    }

    pub fn parse(code: &str) -> Option<Mode> {
        match code {
            "guided" => Some(Mode::Guided),
            "exam" => Some(Mode::Exam),
            _ => None,
        }
    }

    /// Whether a run in this mode is evidence of competence (only exam runs are: a guided run
    /// shows the answers on request).
    pub fn is_evidence(self) -> bool {
        self == Mode::Exam
    }
}

/// Where a run stands. An active run takes steps; a submitted run has its score and review; an
/// abandoned run is kept in the history and counts for nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunStatus {
    Active,
    Submitted,
    Abandoned,
}

impl RunStatus {
    pub fn code(self) -> &'static str {
        match self {
            RunStatus::Active => "active",
            RunStatus::Submitted => "submitted",
            RunStatus::Abandoned => "abandoned",
        }
    }

    /// The stored code's status; an unknown code reads as abandoned (it is never resumed).
    pub fn parse(code: &str) -> RunStatus {
        match code {
            "active" => RunStatus::Active,
            "submitted" => RunStatus::Submitted,
            _ => RunStatus::Abandoned,
        }
    }

    pub fn is_active(self) -> bool {
        self == RunStatus::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for mode in [Mode::Guided, Mode::Exam] {
            assert_eq!(Mode::parse(mode.code()), Some(mode));
        }
        assert_eq!(Mode::parse("thi"), None);
        for status in [
            RunStatus::Active,
            RunStatus::Submitted,
            RunStatus::Abandoned,
        ] {
            assert_eq!(RunStatus::parse(status.code()), status);
        }
        assert!(Mode::Exam.is_evidence() && !Mode::Guided.is_evidence());
    }
}
