//! The parts of forms that work without JavaScript: the error summary of a rejected form, and
//! fields that show their own message and keep what was typed (see [`crate::types::form`]).

use leptos::prelude::*;

use super::islands::PasswordInput;
use crate::tr;
use crate::types::form::FormOutcome;

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
