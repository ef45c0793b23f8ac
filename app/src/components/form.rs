//! Forms that work without JavaScript: a plain POST, and on a problem the same page comes back
//! with an error summary at the top (linking to each field), the message next to the field, and
//! everything typed so far except passwords.

use leptos::prelude::*;

use super::islands::PasswordInput;
use crate::tr;

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
    /// The server failed, not the person: answer 500, not 422.
    pub internal: bool,
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

    pub fn internal() -> FormErrors {
        FormErrors {
            internal: true,
            ..FormErrors::general("errors.internal")
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn for_field(&self, field: &str) -> Option<&'static str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.key)
    }
}

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

/// The outcome of the form being re-rendered, if any.
pub fn use_form_outcome() -> FormOutcome {
    use_context::<FormOutcome>().unwrap_or_default()
}

/// The box at the top of a rejected form: what went wrong, with links to the fields.
#[component]
pub fn ErrorSummary() -> impl IntoView {
    let outcome = use_form_outcome();
    let errors = outcome.errors.errors;
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1" id="error-summary">
                <h2>{tr!("form.error_summary_title")}</h2>
                <ul>
                    {errors
                        .into_iter()
                        .map(|e| {
                            let text = match (e.label, e.name) {
                                (Some((label, number)), _) => {
                                    format!("{}: {}", tr!(label, number = number), tr!(e.key))
                                }
                                (None, Some(name)) => format!("{name}: {}", tr!(e.key)),
                                (None, None) => tr!(e.key),
                            };
                            if e.field.is_empty() {
                                view! { <li>{text}</li> }.into_any()
                            } else {
                                let href = format!("#{}", e.field);
                                view! {
                                    <li>
                                        <a href=href>{text}</a>
                                    </li>
                                }
                                    .into_any()
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// A labelled text input that shows its own error and keeps what was typed.
#[component]
pub fn TextField(
    name: &'static str,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = "text")] inputmode: &'static str,
) -> impl IntoView {
    let outcome = use_form_outcome();
    let error = outcome.errors.for_field(name).map(|key| tr!(key));
    let value = outcome.value(name);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described_by = [
        hint.as_ref().map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let invalid = error.is_some();
    view! {
        <div class="field" class:field-error=invalid>
            <label for=name>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <input
                id=name
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                aria-invalid=invalid.then_some("true")
                aria-describedby=(!described_by.is_empty()).then_some(described_by)
            />
        </div>
    }
}

/// A password input: the server renders it, and the island adds a show/hide button.
#[component]
pub fn PasswordField(
    name: &'static str,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = "current-password")] autocomplete: &'static str,
) -> impl IntoView {
    let outcome = use_form_outcome();
    let error = outcome.errors.for_field(name).map(|key| tr!(key));
    view! {
        <PasswordInput
            name=name.to_owned()
            label=label
            hint=hint
            error=error
            autocomplete=autocomplete.to_owned()
            show_label=tr!("form.show_password")
            hide_label=tr!("form.hide_password")
        />
    }
}
