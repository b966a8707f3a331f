//! `files.export` renderings of Docs-type files: which target types each Google type offers
//! (a subset of Drive's `about.exportFormats`), and small but valid documents in those types.
//!
//! The emulator stores no document body for Docs-type files, so an export renders the file's
//! text: its stored content when it has one (a Doc uploaded with conversion), else its name.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;

use super::Shared;
use super::permissions::shared_with;
use super::scopes::{DriveScopes, Need};
use crate::framework::api_error::{ApiError, ApiResult};
use crate::framework::body::Params;
use crate::framework::caller::Caller;

/// `GET /drive/v3/files/{fileId}/export?mimeType=`.
pub(crate) async fn export(
    State(state): State<Shared>,
    caller: Caller,
    Path(file_id): Path<String>,
    params: Params,
) -> ApiResult {
    caller.require(Need::ReadContent)?;
    let target = params.non_empty("mimeType").ok_or_else(|| {
        ApiError::new(
            400,
            "INVALID_ARGUMENT",
            "required",
            "Required parameter: mimeType",
        )
        .at("mimeType", "parameter")
    })?;
    let data = state.data.read();
    let file = match data
        .drives
        .get(&caller.email)
        .and_then(|d| d.files.get(&file_id))
    {
        Some(file) => file,
        None => {
            shared_with(&data, &caller.email, &file_id)
                .ok_or_else(|| ApiError::file_not_found(&file_id))?
                .1
        }
    };
    caller.check(Need::ReadContent, file)?;
    let text = file
        .content
        .as_ref()
        .and_then(|c| std::str::from_utf8(c).ok())
        .unwrap_or(&file.name);
    match render(&file.mime_type, text, target) {
        Ok((bytes, content_type)) => Ok((
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            bytes,
        )
            .into_response()),
        Err(ExportError::NotExportable) => Err(ApiError::new(
            403,
            "PERMISSION_DENIED",
            "fileNotExportable",
            "Export only supports Docs Editors files.",
        )),
        Err(ExportError::Unsupported) => Err(ApiError::new(
            400,
            "INVALID_ARGUMENT",
            "badRequest",
            "The requested conversion is not supported.",
        )
        .at("convertTo", "parameter")
        .help(format!(
            "The emulator exports a {} to: {}.",
            file.mime_type,
            formats(&file.mime_type).join(", ")
        ))),
    }
}

/// Why an export is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportError {
    /// Not a Docs Editors file (Drive: 403 `fileNotExportable`).
    NotExportable,
    /// A Docs file, but not to that type (Drive: 400 `badRequest`).
    Unsupported,
}

const DOCUMENT: &str = "application/vnd.google-apps.document";
const SPREADSHEET: &str = "application/vnd.google-apps.spreadsheet";
const PRESENTATION: &str = "application/vnd.google-apps.presentation";
const DRAWING: &str = "application/vnd.google-apps.drawing";

/// The target types offered for a source type (empty: not exportable).
pub(crate) fn formats(source_mime: &str) -> &'static [&'static str] {
    match source_mime {
        DOCUMENT => &[
            "text/plain",
            "text/html",
            "text/markdown",
            "application/pdf",
        ],
        SPREADSHEET => &["text/csv", "text/tab-separated-values", "application/pdf"],
        PRESENTATION => &["text/plain", "application/pdf"],
        DRAWING => &["image/svg+xml", "application/pdf"],
        _ => &[],
    }
}

/// Renders `text` (the file's text) of a `source_mime` file as `target`; returns the bytes and
/// the `Content-Type` to answer with.
pub(crate) fn render(
    source_mime: &str,
    text: &str,
    target: &str,
) -> Result<(Vec<u8>, &'static str), ExportError> {
    let offered = formats(source_mime);
    if offered.is_empty() {
        return Err(ExportError::NotExportable);
    }
    // Parameters such as `; charset=utf-8` are ignored, as Drive does.
    let target = target.split(';').next().unwrap_or("").trim();
    let Some(&target) = offered.iter().find(|t| t.eq_ignore_ascii_case(target)) else {
        return Err(ExportError::Unsupported);
    };
    let bytes = match target {
        "text/plain" => format!("\u{feff}{text}\r\n").into_bytes(),
        "text/markdown" => format!("{text}\n").into_bytes(),
        "text/html" => html(text).into_bytes(),
        "text/csv" => format!("{}\r\n", csv_field(text, ',')).into_bytes(),
        "text/tab-separated-values" => {
            format!("{}\r\n", text.replace(['\t', '\n'], " ")).into_bytes()
        }
        "image/svg+xml" => svg(text).into_bytes(),
        "application/pdf" => pdf(text),
        _ => return Err(ExportError::Unsupported),
    };
    let content_type = match target {
        "text/plain" => "text/plain; charset=utf-8",
        "text/markdown" => "text/markdown; charset=utf-8",
        "text/html" => "text/html; charset=utf-8",
        "text/csv" => "text/csv; charset=utf-8",
        "text/tab-separated-values" => "text/tab-separated-values; charset=utf-8",
        other => other,
    };
    Ok((bytes, content_type))
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html(text: &str) -> String {
    let t = escape_xml(text);
    format!(
        "<html><head><meta content=\"text/html; charset=UTF-8\" http-equiv=\"content-type\"><title>{t}</title></head><body><p>{t}</p></body></html>"
    )
}

fn svg(text: &str) -> String {
    format!(
        "<?xml version=\"1.0\" standalone=\"no\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\"720\"><text x=\"40\" y=\"80\" font-size=\"32\">{}</text></svg>\n",
        escape_xml(text)
    )
}

fn csv_field(text: &str, separator: char) -> String {
    if text.contains([separator, '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A one-page PDF 1.4 with `text` in Helvetica (non-ASCII shown as `?`), with a correct
/// cross-reference table so PDF readers open it without repair.
fn pdf(text: &str) -> Vec<u8> {
    let line: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect::<String>()
        .replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)");
    let stream = format!("BT /F1 18 Tf 72 720 Td ({line}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_export_to_their_types_only() {
        let (bytes, ct) = render(DOCUMENT, "Plan <b>", "text/html").unwrap();
        assert_eq!(ct, "text/html; charset=utf-8");
        assert!(String::from_utf8(bytes).unwrap().contains("Plan &lt;b&gt;"));
        let (bytes, _) = render(SPREADSHEET, "a,b", "text/csv").unwrap();
        assert_eq!(bytes, b"\"a,b\"\r\n");
        assert_eq!(
            render(DOCUMENT, "x", "text/csv"),
            Err(ExportError::Unsupported)
        );
        assert_eq!(
            render("text/plain", "x", "text/plain"),
            Err(ExportError::NotExportable)
        );
        assert_eq!(
            render("application/vnd.google-apps.folder", "x", "application/pdf"),
            Err(ExportError::NotExportable)
        );
    }

    #[test]
    fn the_pdf_cross_reference_points_at_its_objects() {
        let bytes = pdf("Hello (world) é");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        assert!(text.starts_with("%PDF-1.4\n") && text.ends_with("%%EOF\n"));
        assert!(text.contains("(Hello \\(world\\) ?)"));
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[startxref..].starts_with("xref\n"));
        let entries: Vec<&str> = text[startxref..].lines().skip(3).take(5).collect();
        for (i, entry) in entries.iter().enumerate() {
            let offset: usize = entry[..10].parse().unwrap();
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", i + 1)),
                "{entry}"
            );
        }
    }
}
