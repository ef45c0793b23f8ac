//! What a posted form arrives as, and what it comes back with when it is not taken.
//!
//! Forms work without JavaScript: a plain POST, and on a problem the same page comes back with
//! an error summary at the top (linking to each field), the message next to the field, and
//! everything typed so far except passwords.

use super::AppError;

/// A posted form as it arrived: its name/value pairs in order, repeated names kept
/// (checkboxes). Every form handler reads its body into this one shape.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormInput {
    pairs: Vec<(String, String)>,
}

impl FormInput {
    pub fn new(pairs: Vec<(String, String)>) -> FormInput {
        FormInput { pairs }
    }

    /// The first value posted under `name`, or "" when there is none.
    pub fn get(&self, name: &str) -> &str {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value posted under `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// What to show again in the form: every pair but those named (passwords, codes).
    pub fn values_without(&self, hidden: &[&str]) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter(|(k, _)| !hidden.contains(&k.as_str()))
            .cloned()
            .collect()
    }
}

impl From<Vec<(String, String)>> for FormInput {
    fn from(pairs: Vec<(String, String)>) -> FormInput {
        FormInput::new(pairs)
    }
}

/// One problem with one field (or with the whole form when `field` is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    /// Catalog key of the message.
    pub key: &'static str,
    /// Which of many like fields this is, for the error summary: a catalog key taking
    /// `%{number}` ("Question %{number}") and the number.
    pub label: Option<(&'static str, usize)>,
    /// Or the field's own name, already translated (fields that content defines).
    pub name: Option<String>,
}

/// Every problem found in a posted form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormErrors {
    pub errors: Vec<FieldError>,
}

impl FormErrors {
    pub fn add(&mut self, field: impl Into<String>, key: &'static str) {
        self.errors.push(FieldError {
            field: field.into(),
            key,
            label: None,
            name: None,
        });
    }

    /// Like [`FormErrors::add`], naming the field in the summary by its translated label.
    pub fn add_named(&mut self, field: impl Into<String>, key: &'static str, name: String) {
        self.errors.push(FieldError {
            field: field.into(),
            key,
            label: None,
            name: Some(name),
        });
    }

    /// Like [`FormErrors::add`], with a numbered label shown before the message in the summary.
    pub fn add_numbered(
        &mut self,
        field: impl Into<String>,
        key: &'static str,
        label: &'static str,
        number: usize,
    ) {
        self.errors.push(FieldError {
            field: field.into(),
            key,
            label: Some((label, number)),
            name: None,
        });
    }

    /// A problem with the form as a whole.
    pub fn general(key: &'static str) -> FormErrors {
        let mut errors = FormErrors::default();
        errors.add("", key);
        errors
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn for_field(&self, field: &str) -> Option<&'static str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.key)
    }

    /// `Ok(())` when nothing was found, else these problems as a rejection.
    pub fn into_result(self) -> Posted<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Rejection::Invalid(self))
        }
    }
}

/// Why a posted form was not taken. The one shape every form's service answers with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The person can put it right: the form again, each problem by its field (422).
    Invalid(FormErrors),
    /// It cannot be taken as posted: not signed in, not theirs, no such thing, or the server
    /// failed (the error's own status).
    Refused(AppError),
}

impl From<FormErrors> for Rejection {
    fn from(errors: FormErrors) -> Rejection {
        Rejection::Invalid(errors)
    }
}

impl From<AppError> for Rejection {
    fn from(err: AppError) -> Rejection {
        Rejection::Refused(err)
    }
}

/// What a form's service answers: what it did, or why it did nothing.
pub type Posted<T> = Result<T, Rejection>;

/// A rejected form, provided as context when its page is rendered again.
#[derive(Clone, Debug, Default)]
pub struct FormOutcome {
    pub errors: FormErrors,
    /// What was typed, by field name (never passwords).
    pub values: Vec<(String, String)>,
}

impl FormOutcome {
    pub fn value(&self, field: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_reads_first_values_and_repeated_names() {
        let form = FormInput::new(vec![
            ("documents".into(), "a".into()),
            ("password".into(), "secret".into()),
            ("documents".into(), "b".into()),
        ]);
        assert_eq!(form.get("documents"), "a");
        assert_eq!(form.get("missing"), "");
        assert_eq!(form.all("documents").collect::<Vec<_>>(), ["a", "b"]);
        assert!(form
            .values_without(&["password"])
            .iter()
            .all(|(k, _)| k != "password"));
    }

    #[test]
    fn no_problems_is_no_rejection() {
        assert_eq!(FormErrors::default().into_result(), Ok(()));
        let mut errors = FormErrors::default();
        errors.add("name", "campaign.errors.name");
        assert!(matches!(
            errors.into_result(),
            Err(Rejection::Invalid(e)) if e.for_field("name").is_some()
        ));
    }
}
