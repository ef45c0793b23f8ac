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
