//! The learner's pages: catalog, module, lesson reader, quiz, result. Every action is a plain
//! form post or link, so all of it works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{guard, set_status};
use crate::api::learning::{get_catalog, get_lesson, get_module, get_quiz, get_result};
use crate::components::form::{use_form_outcome, ErrorSummary};
use crate::domain::{Cohort, Role};
use crate::tr;
use crate::types::learning::{CatalogEntry, LessonLink, QuestionForm, QuestionView};
use crate::types::AppError;

pub(super) fn param(name: &str) -> String {
    use_params_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

/// The page shown when a learner view cannot be built.
pub(super) fn error_view(err: AppError) -> AnyView {
    set_status(err.status());
    view! {
        <h1>{tr!(err.message_key())}</h1>
        <p>
            <a href="/learn">{tr!("learn.back_to_catalog")}</a>
        </p>
    }
    .into_any()
}

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
    let catalog = Resource::new_blocking(|| (), |_| get_catalog());
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
        <h2>{tr!("learn.catalog_heading")}</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(entries) if entries.is_empty() => {
                        view! { <p>{tr!("learn.catalog_empty")}</p> }.into_any()
                    }
                    Ok(entries) => {
                        view! {
                            <ul class="cards">
                                {entries
                                    .into_iter()
                                    .map(|e| view! { <ModuleCard entry=e /> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn ModuleCard(entry: CatalogEntry) -> impl IntoView {
    let href = format!("/learn/{}", entry.id);
    let progress = tr!(
        "learn.progress",
        done = entry.lessons_done,
        total = entry.lessons_total,
        minutes = entry.minutes
    );
    let status = match (entry.passed, entry.best_percent) {
        (true, Some(p)) => tr!("learn.status_passed", percent = p),
        (false, Some(p)) => tr!("learn.status_not_passed", percent = p),
        _ => tr!("learn.status_not_taken"),
    };
    let started = entry.lessons_done > 0 || entry.best_percent.is_some();
    view! {
        <li class="card" class:card-done=entry.passed>
            <h3>
                <a href=href>{entry.title}</a>
            </h3>
            {entry.mandatory.then(|| view! { <p class="tag">{tr!("learn.mandatory")}</p> })}
            <p>{entry.summary}</p>
            <p class="hint">{progress}</p>
            <p class="hint">{status}</p>
            <a class="button" href=entry.continue_url>
                {if started { tr!("learn.continue") } else { tr!("learn.start") }}
            </a>
        </li>
    }
}

#[component]
pub fn ModulePage() -> impl IntoView {
    if let Err(page) = guard(|role| role == Role::Learner) {
        return page;
    }
    let module = param("module");
    let view = Resource::new_blocking(move || module.clone(), get_module);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(m) => {
                        let quiz_href = format!("/quiz/{}", m.id);
                        let module_id = m.id.clone();
                        let best = m.best_percent.map(|p| {
                            if m.passed {
                                tr!("learn.status_passed", percent = p)
                            } else {
                                tr!("learn.status_not_passed", percent = p)
                            }
                        });
                        view! {
                            <Title text=m.title.clone() />
                            <p class="breadcrumb">
                                <a href="/learn">{tr!("learn.back_to_catalog")}</a>
                            </p>
                            <h1>{m.title}</h1>
                            <p class="lead">{m.summary}</p>
                            <a class="button" href=m.continue_url>
                                {tr!("learn.continue")}
                            </a>
                            <h2>{tr!("learn.lessons")}</h2>
                            <ol class="lesson-list">
                                {m
                                    .lessons
                                    .into_iter()
                                    .map(|l| view! { <LessonItem module=module_id.clone() lesson=l /> })
                                    .collect_view()}
                            </ol>
                            <h2>{tr!("quiz.heading")}</h2>
                            <p>
                                {tr!(
                                    "quiz.summary", questions = m.questions, pass_mark = m.pass_mark
                                )}
                            </p>
                            {best.map(|b| view! { <p class="notice">{b}</p> })}
                            <a class="button button-secondary" href=quiz_href>
                                {tr!("quiz.take")}
                            </a>
                        }
                            .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn LessonItem(module: String, lesson: LessonLink) -> impl IntoView {
    let href = format!("/learn/{module}/{}", lesson.id);
    view! {
        <li>
            <a href=href>{lesson.title}</a>
            " "
            <span class="hint">{tr!("learn.minutes", minutes = lesson.minutes)}</span>
            {lesson.done.then(|| view! { <span class="tag tag-done">{tr!("learn.read")}</span> })}
        </li>
    }
}

#[component]
pub fn LessonPage() -> impl IntoView {
    if let Err(page) = guard(|role| role == Role::Learner) {
        return page;
    }
    let key = (param("module"), param("lesson"));
    let view = Resource::new_blocking(move || key.clone(), |(m, l)| get_lesson(m, l));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(l) => {
                        let module_href = format!("/learn/{}", l.module_id);
                        let action = format!("/learn/{}/{}", l.module_id, l.id);
                        let submit = if l.next.is_some() {
                            tr!("learn.done_next")
                        } else {
                            tr!("learn.done_quiz")
                        };
                        let previous = l.previous.map(|p| {
                            let href = format!("/learn/{}/{}", l.module_id, p.id);
                            view! {
                                <a href=href>{tr!("learn.previous", title = p.title)}</a>
                            }
                        });
                        view! {
                            <Title text=l.title.clone() />
                            <p class="breadcrumb">
                                <a href=module_href>{l.module_title}</a>
                            </p>
                            <p class="hint">
                                {tr!(
                                    "learn.lesson_position", number = l.number, count = l.count, minutes = l.minutes
                                )}
                            </p>
                            <h1>{l.title}</h1>
                            <ErrorSummary />
                            <article class="lesson" inner_html=l.html></article>
                            <form method="post" action=action class="form">
                                <button type="submit" class="button">
                                    {submit}
                                </button>
                            </form>
                            <p>{previous}</p>
                        }
                            .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn QuizPage() -> impl IntoView {
    if let Err(page) = guard(|role| role == Role::Learner) {
        return page;
    }
    let module = param("module");
    let view = Resource::new_blocking(move || module.clone(), get_quiz);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(q) => {
                        let action = format!("/quiz/{}", q.module_id);
                        let module_href = format!("/learn/{}", q.module_id);
                        let count = q.questions.len();
                        view! {
                            <Title text=tr!("quiz.title", module = q.module_title.clone()) />
                            <p class="breadcrumb">
                                <a href=module_href>{q.module_title.clone()}</a>
                            </p>
                            <h1>{tr!("quiz.title", module = q.module_title)}</h1>
                            <p class="lead">
                                {tr!("quiz.summary", questions = count, pass_mark = q.pass_mark)}
                            </p>
                            <ErrorSummary />
                            <form method="post" action=action class="form quiz" novalidate>
                                <input
                                    type="hidden"
                                    name="started_at"
                                    value=q.started_at.to_string()
                                />
                                {q
                                    .questions
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, question)| view! { <QuestionField number=i + 1 question /> })
                                    .collect_view()}
                                <button type="submit" class="button">
                                    {tr!("quiz.submit")}
                                </button>
                            </form>
                        }
                            .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// One question as form controls; what the learner chose before a rejected submission stays.
#[component]
fn QuestionField(number: usize, question: QuestionView) -> impl IntoView {
    let outcome = use_form_outcome();
    let name = format!("q-{}", question.id);
    let error = outcome.errors.for_field(&name).map(|key| tr!(key));
    let chosen: Vec<String> = outcome
        .values
        .iter()
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v.clone())
        .collect();
    let invalid = error.is_some();
    let legend = tr!(
        "quiz.question_number",
        number = number,
        prompt = question.prompt
    );
    let choice = |kind: &'static str, id: String, text: String| {
        let input_id = format!("{name}-{id}");
        let checked = chosen.contains(&id);
        view! {
            <div class="choice">
                <input type=kind id=input_id.clone() name=name.clone() value=id checked=checked />
                <label for=input_id>{text}</label>
            </div>
        }
    };
    let controls = match question.form {
        QuestionForm::Single(options) => options
            .into_iter()
            .map(|(id, text)| choice("radio", id, text))
            .collect_view()
            .into_any(),
        QuestionForm::Multiple(options) => view! {
            <p class="hint">{tr!("quiz.choose_all")}</p>
            {options
                .into_iter()
                .map(|(id, text)| choice("checkbox", id, text))
                .collect_view()}
        }
        .into_any(),
        QuestionForm::TrueFalse => view! {
            {choice("radio", "true".to_owned(), tr!("quiz.true"))}
            {choice("radio", "false".to_owned(), tr!("quiz.false"))}
        }
        .into_any(),
        QuestionForm::Ordering(items) => {
            let n = items.len();
            view! {
                <p class="hint">{tr!("quiz.order_hint")}</p>
                {items
                    .into_iter()
                    .map(|(id, text)| {
                        let field = format!("{name}-{id}");
                        let previous = outcome.value(&field);
                        view! {
                            <div class="order-item">
                                <select id=field.clone() name=field.clone()>
                                    <option value="">"–"</option>
                                    {(1..=n)
                                        .map(|p| {
                                            let v = p.to_string();
                                            let selected = v == previous;
                                            view! {
                                                <option value=v.clone() selected=selected>
                                                    {v.clone()}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                                <label for=field>{text}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            }
            .into_any()
        }
    };
    view! {
        <fieldset class="field question" class:field-error=invalid id=name.clone()>
            <legend>{legend}</legend>
            {error.map(|e| view! { <p class="error-message">{e}</p> })}
            {controls}
        </fieldset>
    }
}

#[component]
pub fn ResultPage() -> impl IntoView {
    if let Err(page) = guard(|role| role == Role::Learner) {
        return page;
    }
    let attempt = param("attempt").parse::<i64>().unwrap_or(-1);
    let view = Resource::new_blocking(move || attempt, get_result);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(r) => {
                        let module_href = format!("/learn/{}", r.module_id);
                        let retry = format!("/quiz/{}", r.module_id);
                        let summary = tr!(
                            "result.score", points = r.points, total = r.total, percent = r.percent
                        );
                        let verdict = if r.passed {
                            tr!("result.passed", pass_mark = r.pass_mark)
                        } else {
                            tr!("result.not_passed", pass_mark = r.pass_mark)
                        };
                        let module_id = r.module_id.clone();
                        let next = if r.passed {
                            match r.next_module {
                                Some((id, title)) => {
                                    let href = format!("/learn/{id}");
                                    view! {
                                        <p>
                                            <a class="button" href=href>
                                                {tr!("result.next_module", title = title)}
                                            </a>
                                        </p>
                                    }
                                        .into_any()
                                }
                                None => view! {
                                    <p>
                                        <a class="button" href="/learn">
                                            {tr!("learn.back_to_catalog")}
                                        </a>
                                    </p>
                                }
                                    .into_any(),
                            }
                        } else {
                            view! {
                                <p>{tr!("result.reread")}</p>
                                <ul>
                                    {r
                                        .reread
                                        .into_iter()
                                        .map(|l| {
                                            let href = format!("/learn/{module_id}/{}", l.id);
                                            view! {
                                                <li>
                                                    <a href=href>{l.title}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <p>
                                    <a class="button" href=retry.clone()>
                                        {tr!("result.retry")}
                                    </a>
                                </p>
                            }
                                .into_any()
                        };
                        view! {
                            <Title text=tr!("result.title", module = r.module_title.clone()) />
                            <p class="breadcrumb">
                                <a href=module_href>{r.module_title.clone()}</a>
                            </p>
                            <h1>{tr!("result.title", module = r.module_title)}</h1>
                            <div
                                class="result-panel"
                                class:result-passed=r.passed
                                role="status"
                                id="quiz-result"
                            >
                                <p class="result-score">{summary}</p>
                                <p>{verdict}</p>
                            </div>
                            <h2>{tr!("result.next_steps")}</h2>
                            {next}
                            <h2>{tr!("result.answers")}</h2>
                            {(!r.passed).then(|| view! { <p class="hint" id="answers-after-pass">{tr!("result.answers_after_pass")}</p> })}
                            <ol class="answers">
                                {r
                                    .questions
                                    .into_iter()
                                    .map(|q| {
                                        let lesson_href = format!("/learn/{}/{}", r.module_id, q.lesson.id);
                                        view! {
                                            <li class="answer" class:answer-right=q.correct>
                                                <p class="answer-prompt">{q.prompt}</p>
                                                <p class="answer-verdict">
                                                    {if q.correct {
                                                        tr!("result.right")
                                                    } else {
                                                        tr!("result.wrong")
                                                    }}
                                                </p>
                                                <p>
                                                    {format!(
                                                        "{} {}",
                                                        tr!("result.your_answer"),
                                                        if q.your_answer.is_empty() {
                                                            tr!("result.no_answer")
                                                        } else {
                                                            q.your_answer.join("; ")
                                                        },
                                                    )}
                                                </p>
                                                {(!q.correct && !q.right_answer.is_empty())
                                                    .then(|| {
                                                        view! {
                                                            <p>
                                                                {format!(
                                                                    "{} {}",
                                                                    tr!("result.right_answer"),
                                                                    q.right_answer.join("; "),
                                                                )}
                                                            </p>
                                                        }
                                                    })}
                                                {q
                                                    .feedback
                                                    .into_iter()
                                                    .map(|f| view! { <p class="feedback">{f}</p> })
                                                    .collect_view()}
                                                <p class="hint">
                                                    {tr!("result.learn_more")} " "
                                                    <a href=lesson_href>{q.lesson.title}</a>
                                                </p>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        }
                            .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}
