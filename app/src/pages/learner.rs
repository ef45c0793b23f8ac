//! The learner's home.

use leptos::prelude::*;
use leptos_meta::Title;

use super::guard;
use crate::domain::{Cohort, Role};
use crate::tr;

#[component]
pub fn LearnerHome() -> impl IntoView {
    let user = match guard(|role| role == Role::Learner) {
        Ok(user) => user,
        Err(page) => return page,
    };
    let cohort = match user.cohort {
        Some(Cohort::Official) => tr!("cohort.official"),
        Some(Cohort::Volunteer) => tr!("cohort.volunteer"),
        Some(Cohort::Resident) | None => tr!("cohort.resident"),
    };
    let intro = match user.cohort {
        Some(Cohort::Official) => tr!("learn.intro_official"),
        Some(Cohort::Volunteer) => tr!("learn.intro_volunteer"),
        Some(Cohort::Resident) | None => tr!("learn.intro_resident"),
    };
    view! {
        <Title text=tr!("learn.title") />
        <h1 id="learner-home">{tr!("learn.greeting", name = user.full_name)}</h1>
        <p class="lead">{intro}</p>
        <dl class="summary-list">
            <div>
                <dt>{tr!("learn.cohort")}</dt>
                <dd>{cohort}</dd>
            </div>
            <div>
                <dt>{tr!("learn.unit")}</dt>
                <dd>{user.unit_name.unwrap_or_default()}</dd>
            </div>
        </dl>
        <p>{tr!("learn.courses_coming")}</p>
    }
    .into_any()
}
