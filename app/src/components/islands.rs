//! Islands: the only components that ship to the browser. Each must stay small (the learner
//! page budget is 150 KB of wasm+JS) and receive its text as props, already translated.

use leptos::prelude::*;

/// A password input with a show/hide button. Without JavaScript it is a plain password input
/// and the button stays hidden; once the island wakes up the button appears.
#[island]
pub fn PasswordInput(
    name: String,
    label: String,
    hint: Option<String>,
    error: Option<String>,
    autocomplete: String,
    show_label: String,
    hide_label: String,
) -> impl IntoView {
    let (visible, set_visible) = signal(false);
    let (awake, set_awake) = signal(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| set_awake.set(true));
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
            <label for=name.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <div class="password-row">
                <input
                    id=name.clone()
                    name=name
                    type=move || if visible.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    aria-invalid=invalid.then_some("true")
                    aria-describedby=(!described_by.is_empty()).then_some(described_by)
                />
                <button
                    type="button"
                    class="button-secondary toggle-password"
                    hidden=move || !awake.get()
                    aria-pressed=move || if visible.get() { "true" } else { "false" }
                    on:click=move |_| set_visible.update(|v| *v = !*v)
                >
                    {move || if visible.get() { hide_label.clone() } else { show_label.clone() }}
                </button>
            </div>
        </div>
    }
}

/// A text-like field of a practice form. Without JavaScript it is a plain input whose problems
/// the server reports after posting; once awake, it checks the value with the same domain rules
/// the server uses, when the learner leaves the field (and again as they fix it). Exam runs pass
/// no messages, so nothing is checked in the browser.
#[island]
pub fn CheckedInput(
    field: crate::types::practice::FieldView,
    error: Option<String>,
    hint_text: Option<String>,
    hint_button: Option<String>,
    inputmode: String,
    list: Option<String>,
) -> impl IntoView {
    use crate::domain::procedure::{check_field, Field, Values};
    let rule = Field {
        id: field.id.clone(),
        kind: field.kind.clone(),
        required: field.required,
    };
    let messages = field.messages.clone();
    let (message, set_message) = signal(error);
    let check = move |value: String| {
        // A date in words is checked against its date, when that box is on the same screen.
        let mut values = Values::new();
        if let crate::domain::procedure::FieldKind::DateInWords { of } = &rule.kind {
            use leptos::wasm_bindgen::JsCast;
            let date = document()
                .get_element_by_id(of)
                .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlInputElement>().ok());
            if let Some(input) = date {
                values.insert(of.clone(), input.value());
            }
        }
        let problem = check_field(&rule, &value, &values);
        let text = problem.and_then(|p| {
            messages
                .iter()
                .find(|(q, _)| *q == p)
                .map(|(_, m)| m.clone())
        });
        set_message.set(text);
    };
    let check_on_input = check.clone();
    let id = field.id.clone();
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let has_help = field.help.is_some();
    let has_hint = hint_text.is_some();
    let hinted_id = format!("{id}-hinted");
    let described_by = move || {
        let mut ids = Vec::new();
        if has_help {
            ids.push(help_id.clone());
        }
        if has_hint {
            ids.push(hinted_id.clone());
        }
        if message.get().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field-error=move || message.get().is_some()>
            <label for=id.clone()>{field.label}</label>
            {field.help.map(|h| view! { <p class="hint" id=help_id>{h}</p> })}
            {hint_text.map(|h| view! { <p class="hint hint-revealed" id=format!("{id}-hinted")>{h}</p> })}
            // The live region stays in the page, so a message appearing in it is announced.
            <div aria-live="polite">
                {move || {
                    message
                        .get()
                        .map(|m| view! { <p class="error-message" id=error_id.clone()>{m}</p> })
                }}
            </div>
            <input
                id=id.clone()
                name=id.clone()
                type="text"
                value=field.value
                inputmode=inputmode
                list=list
                autocomplete="off"
                required=field.required
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described_by
                on:change=move |ev| check(event_target_value(&ev))
                on:input=move |ev| {
                    if message.get_untracked().is_some() {
                        check_on_input(event_target_value(&ev))
                    }
                }
            />
            {hint_button
                .map(|label| {
                    let value = format!("hint:{id}");
                    view! {
                        <button type="submit" name="action" value=value class="button-link">
                            {label}
                        </button>
                    }
                })}
        </div>
    }
}
