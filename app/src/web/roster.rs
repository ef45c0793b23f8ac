//! The roster import's forms: a file uploaded (multipart, no JavaScript needed) and kept for
//! its preview, then imported all at once; and the template to fill in.

use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{download, id_in_path, see_other, Caller, FormPage, Organizers, Routes};
use crate::services::{roster, AppState};
use crate::types::form::{FormErrors, FormInput};
use crate::types::paths;

pub fn routes() -> Routes {
    Routes::new()
        .get("/roster/template.csv", template)
        .route(
            Method::POST,
            "/roster",
            axum::routing::post(upload).layer(DefaultBodyLimit::max(roster::MAX_BYTES + 64 * 1024)),
        )
        .post("/roster/{id}/confirm", confirm)
}

/// `GET /roster/template.csv` (anyone may download it: it holds two invented people).
async fn template() -> Response {
    download(
        "text/csv; charset=utf-8",
        "hocso-mau-danh-sach.csv",
        roster::template(),
    )
}

/// `POST /roster`: a roster file (multipart), read and checked once, kept for its preview.
async fn upload(
    State(state): State<AppState>,
    caller: Caller<Organizers>,
    req: Request,
) -> Response {
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_large = false;
    if let Ok(mut multipart) = Multipart::from_request(req, &state).await {
        loop {
            match multipart.next_field().await {
                Ok(Some(field)) if field.name() == Some("file") => {
                    let name = field.file_name().unwrap_or("roster.csv").to_owned();
                    match field.bytes().await {
                        Ok(bytes) if bytes.len() > roster::MAX_BYTES => too_large = true,
                        Ok(bytes) if !bytes.is_empty() => file = Some((name, bytes.to_vec())),
                        Ok(_) => {}
                        Err(_) => too_large = true,
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(_) => {
                    too_large = true;
                    break;
                }
            }
        }
    }
    let Some((name, bytes)) = file else {
        let mut errors = FormErrors::default();
        let key = if too_large {
            "roster.file.too_large"
        } else {
            "roster.file.missing"
        };
        errors.add("file", key);
        return FormPage::at("/roster", Vec::new()).show(errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match roster::upload(&state, &caller.user, &caller.actor(), &name, &bytes).await {
        Ok(id) => see_other(&paths::roster_upload(id)),
        Err(e) => FormPage::at("/roster", Vec::new()).reject(e.into()),
    }
}

/// `POST /roster/{id}/confirm`: imports a previewed roster, all of it or nothing.
async fn confirm(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller<Organizers>,
    _: FormInput,
) -> Response {
    let id = match id_in_path(&id) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    let page = paths::roster_upload(id);
    match roster::confirm(&state, &caller.user, &caller.actor(), id).await {
        Ok(_) => see_other(&format!("{page}?done=1")),
        // The preview page shows what stands in the way.
        Err(rejection) => FormPage::at(page, Vec::new()).reject(rejection),
    }
}
