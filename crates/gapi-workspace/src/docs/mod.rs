//! Docs: Markdown to `batchUpdate` requests ([`markdown_to_requests`]), documents to Markdown
//! and plain text ([`to_markdown`], [`to_text`]), and writing, creating and reading through
//! a Docs service ([`append_markdown`], [`create_from_markdown`], [`get`]).
//!
//! ```
//! use gapi_workspace::docs::{InsertAt, markdown_to_requests};
//! let reqs = markdown_to_requests("# Hi\n\n**bold**", InsertAt { index: 1, new_paragraph: false });
//! assert_eq!(reqs[0]["insertText"]["text"], "Hi\nbold");
//! ```
//!
//! Limits: one bullet preset per list (a list is numbered or not by its outermost level);
//! tables, images and horizontal rules are not converted (images become links).

mod from_markdown;
mod to_markdown;

pub use from_markdown::{InsertAt, MONOSPACE_FONT, markdown_to_requests};
pub use to_markdown::{to_markdown, to_text};

use gapi_client::Service;
use serde_json::{Value, json};

use crate::error::{Error, Result};

/// Reads a document (`documents.get`).
pub async fn get(service: &Service, document_id: &str) -> Result<Value> {
    Ok(service
        .method("documents.get")?
        .param("documentId", document_id)
        .execute()
        .await?)
}

/// Where new text goes at the end of `doc`: before the body's final newline, in a new
/// paragraph when the last one has text.
pub fn end_of_body(doc: &Value) -> Result<InsertAt> {
    let content = doc
        .get("body")
        .and_then(|b| b.get("content"))
        .and_then(Value::as_array)
        .ok_or_else(|| Error::response("docs.documents.get", "the document has no body.content"))?;
    let last = content
        .last()
        .ok_or_else(|| Error::response("docs.documents.get", "the document body is empty"))?;
    let end = last
        .get("endIndex")
        .and_then(Value::as_u64)
        .ok_or_else(|| Error::response("docs.documents.get", "the last element has no endIndex"))?;
    let start = last.get("startIndex").and_then(Value::as_u64).unwrap_or(0);
    let has_text = last.get("paragraph").is_none() || end.saturating_sub(start) > 1;
    Ok(InsertAt {
        index: (end.max(2) - 1) as usize,
        new_paragraph: has_text,
    })
}

/// Appends Markdown at the end of a document, in one `batchUpdate` bound to the revision it
/// was computed from (a concurrent edit makes it fail instead of landing at the wrong place).
/// Returns the `batchUpdate` answer.
pub async fn append_markdown(
    service: &Service,
    document_id: &str,
    markdown: &str,
) -> Result<Value> {
    let doc = get(service, document_id).await?;
    let at = end_of_body(&doc)?;
    let requests = markdown_to_requests(markdown, at);
    if requests.is_empty() {
        return Err(Error::invalid("the Markdown has no text to write"));
    }
    let mut body = json!({"requests": requests});
    if let Some(rev) = doc.get("revisionId").and_then(Value::as_str) {
        body["writeControl"] = json!({"requiredRevisionId": rev});
    }
    Ok(service
        .method("documents.batchUpdate")?
        .param("documentId", document_id)
        .body(body)
        .execute()
        .await?)
}

/// Creates a document titled `title` holding `markdown`; returns its id.
pub async fn create_from_markdown(
    service: &Service,
    title: &str,
    markdown: &str,
) -> Result<String> {
    let created = service
        .method("documents.create")?
        .body(json!({"title": title}))
        .execute()
        .await?;
    let id = created
        .get("documentId")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::response("docs.documents.create", "no documentId"))?
        .to_string();
    if !markdown.trim().is_empty() {
        append_markdown(service, &id, markdown).await?;
    }
    Ok(id)
}
