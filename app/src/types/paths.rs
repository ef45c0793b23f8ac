//! The site's addresses, in one place: where a service's view links to, and where a form
//! handler sends the person next. Segments that come from outside (a unit code, an id in an
//! address) are percent-encoded.

use crate::domain::Role;

/// Where a person lands after signing in: their role's home.
pub fn home(role: Role) -> &'static str {
    match role {
        Role::Learner => "/learn",
        Role::UnitManager => "/unit",
        Role::Organizer | Role::Admin => "/people",
    }
}

pub const LOGIN: &str = "/login";

pub fn module(module: &str) -> String {
    format!("/learn/{}", segment(module))
}

pub fn lesson(module: &str, lesson: &str) -> String {
    format!("/learn/{}/{}", segment(module), segment(lesson))
}

pub fn quiz(module: &str) -> String {
    format!("/quiz/{}", segment(module))
}

pub fn quiz_result(module: &str, attempt: i64) -> String {
    format!("/quiz/{}/result/{attempt}", segment(module))
}

pub fn procedure(procedure: &str) -> String {
    format!("/practice/{}", segment(procedure))
}

pub fn run(run: i64) -> String {
    format!("/practice/run/{run}")
}

/// A run at one of its steps, scrolled to `anchor` (a field) if given.
pub fn run_step(run: i64, step: &str, anchor: Option<&str>) -> String {
    let mut out = format!("/practice/run/{run}?step={}", segment(step));
    if let Some(field) = anchor {
        out.push('#');
        out.push_str(&segment(field));
    }
    out
}

pub fn run_review(run: i64) -> String {
    format!("/practice/run/{run}/review")
}

/// A unit's competency page (its matrix, due dates, activation codes).
pub fn unit(code: &str) -> String {
    format!("/units/{}", segment(code))
}

/// A unit's campaign report.
pub fn unit_report(code: &str) -> String {
    format!("/campaign/units/{}", segment(code))
}

pub fn roster_upload(id: i64) -> String {
    format!("/roster/{id}")
}

/// Percent-encodes one path segment (or query value): everything but unreserved characters.
pub fn segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_segments_cannot_leave_their_place() {
        assert_eq!(unit("00004"), "/units/00004");
        assert_eq!(unit("../x?y#z"), "/units/..%2Fx%3Fy%23z");
        assert_eq!(unit_report("a b"), "/campaign/units/a%20b");
        assert_eq!(
            run_step(7, "ho-so", Some("ho-ten")),
            "/practice/run/7?step=ho-so#ho-ten"
        );
        assert_eq!(segment("Đ"), "%C4%90");
    }
}
