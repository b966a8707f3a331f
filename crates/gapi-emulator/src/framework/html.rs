//! Small HTML helpers for the consent, device and result pages.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Escapes text for element content and double-quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A complete page: `title` (already plain text, escaped here) and a body of trusted HTML.
pub(crate) fn page(status: StatusCode, title: &str, body_html: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title>\
         <style>body{{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}}\
         label{{display:block;margin:.4em 0}}button{{margin:.5em .5em 0 0;padding:.4em 1.2em}}\
         code,input#code{{font-size:1.1em}}</style></head>\n<body>\n{}\n</body></html>\n",
        escape(title),
        body_html
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// Google-style error page for authorization requests that cannot be redirected back.
pub(crate) fn error_page(error: &str, description: &str) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        &format!("Error 400: {error}"),
        &format!(
            "<h1>Access blocked: this request is invalid</h1>\n\
             <p id=\"error\">Error 400: <b>{}</b></p>\n<p id=\"error_description\">{}</p>",
            escape(error),
            escape(description)
        ),
    )
}
