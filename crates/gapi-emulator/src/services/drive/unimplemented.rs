//! The Drive v3 methods the emulator does not implement: a path the served Drive document
//! names answers 501 naming the method (never a bare 404), so a client author knows the path
//! is right and the emulator is what lacks it.

use std::sync::OnceLock;

use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};

use crate::framework::api_error::ApiError;

/// `(HTTP method, path segments relative to drive/v3/, method id)` of every Drive v3 method.
fn methods() -> &'static [(String, Vec<String>, String)] {
    static METHODS: OnceLock<Vec<(String, Vec<String>, String)>> = OnceLock::new();
    METHODS.get_or_init(|| {
        let Ok(Some(text)) = gapi_discovery::bundle::document_json("drive", "v3") else {
            return Vec::new();
        };
        let Ok(doc) = gapi_discovery::model::RestDescription::from_json(&text) else {
            return Vec::new();
        };
        doc.all_methods()
            .into_iter()
            .map(|(_, m)| {
                let segments = m.path.split('/').map(str::to_owned).collect();
                (m.http_method_or_get().to_owned(), segments, m.id.clone())
            })
            .collect()
    })
}

/// Whether `path` (below `drive/v3/`) fits a method's path template.
fn fits(template: &[String], path: &[&str]) -> bool {
    if let Some(last) = template.last()
        && last.starts_with("{+")
    {
        return path.len() >= template.len()
            && template[..template.len() - 1]
                .iter()
                .zip(path)
                .all(|(t, p)| t.starts_with('{') || t == p);
    }
    template.len() == path.len()
        && template
            .iter()
            .zip(path)
            .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

/// Any `/drive/v3/...` request no route took: 501 for a documented method, else 404.
pub(crate) async fn fallback(method: Method, uri: Uri) -> Response {
    let rest = uri.path().trim_start_matches("/drive/v3/");
    let segments: Vec<&str> = rest.split('/').collect();
    let found = methods()
        .iter()
        .find(|(verb, template, _)| verb == method.as_str() && fits(template, &segments));
    match found {
        Some((verb, template, id)) => ApiError::new(
            501,
            "UNIMPLEMENTED",
            "notImplemented",
            format!(
                "The emulator does not implement {id} ({verb} drive/v3/{}).",
                template.join("/")
            ),
        )
        .help("The path is right: real Drive serves it. See the emulator's README for what it serves.")
        .into_response(),
        None => ApiError::no_route(method.as_str(), uri.path()).into_response(),
    }
}
