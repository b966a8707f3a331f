//! `users.drafts` create/get/list/update/delete/send. A draft is a message labelled `DRAFT`
//! in the mailbox (so `messages.list` shows it too); sending it relabels nothing: the draft
//! is removed and the message sent under the draft message's id.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::messages::page;
use super::model::Draft;
use super::render::{self, Format, message_json, message_ref};
use super::send::{MAX_JSON, complete_headers, raw_of, raw_required, send_raw, too_large};
use super::{GmailData, Shared, mailbox_owner, max_results, not_found, require};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, json_object, read_limited};
use crate::framework::caller::Caller;
use crate::framework::time::now_ms;

async fn read_body(body: axum::body::Body) -> Result<Map<String, Value>, ApiError> {
    let bytes = read_limited(body, MAX_JSON)
        .await
        .map_err(|e| if e.code == 413 { too_large() } else { e })?;
    json_object(&bytes)
}

fn message_member(body: &Map<String, Value>) -> Result<&Map<String, Value>, ApiError> {
    body.get("message")
        .and_then(Value::as_object)
        .ok_or_else(raw_required)
}

/// Stores a new draft holding `raw`; answers `{id, message: {id, threadId, labelIds}}`.
pub(crate) fn create_draft(
    data: &mut GmailData,
    me: &str,
    raw: Bytes,
    thread: Option<&str>,
) -> Result<Value, ApiError> {
    let now = now_ms();
    let raw = complete_headers(&raw, me, now);
    let root = super::mime::parse(&raw).ok_or_else(raw_required)?;
    let message_id = data.new_message_id(now);
    data.seq += 1;
    let draft_id = format!("r{}", 1_000_000_000_000_000_000u64 + data.seq * 7919);
    let mb = data.mailbox(me);
    mb.add(
        message_id.clone(),
        raw,
        &root,
        vec!["DRAFT".to_owned()],
        now,
        thread,
    );
    mb.drafts.insert(
        draft_id.clone(),
        Draft {
            id: draft_id.clone(),
            message_id: message_id.clone(),
        },
    );
    Ok(json!({"id": draft_id, "message": message_ref(&mb.messages[&message_id])}))
}

/// `POST .../drafts` (JSON `{message: {raw, threadId}}`).
pub(crate) async fn create(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    caller: Caller,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "users.drafts.create")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let body = read_body(body).await?;
    let (raw, thread) = raw_of(message_member(&body)?)?;
    let mut data = state.data.write();
    Ok(json_ok(&create_draft(
        &mut data,
        &me,
        raw,
        thread.as_deref(),
    )?))
}

/// `GET .../drafts/{id}` (`format` as for messages).
pub(crate) async fn get(
    State(state): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    require(&caller, "users.drafts.get")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let format = Format::from_params(&params, true)?;
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let draft = mb.drafts.get(&id).ok_or_else(not_found)?;
    let m = mb.messages.get(&draft.message_id).ok_or_else(not_found)?;
    Ok(json_ok(&json!({
        "id": draft.id,
        "message": message_json(m, format, &render::metadata_headers(&params)),
    })))
}

/// `GET .../drafts`, newest first.
pub(crate) async fn list(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    require(&caller, "users.drafts.list")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let size = max_results(&params, 100, 500)?;
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let selected = super::messages::select(mb, &me, &params)?;
    let mut all = Vec::new();
    for m in selected {
        if let Some(d) = mb.drafts.values().find(|d| d.message_id == m.id) {
            all.push(json!({"id": d.id, "message": {"id": m.id, "threadId": m.thread_id}}));
        }
    }
    let (items, next) = page(&all, &params, size)?;
    let mut body = json!({"resultSizeEstimate": all.len()});
    if !items.is_empty() {
        body["drafts"] = Value::Array(items);
    }
    if let Some(n) = next {
        body["nextPageToken"] = json!(n);
    }
    Ok(json_ok(&body))
}

/// `PUT .../drafts/{id}`: new content (a new message id, as Gmail gives).
pub(crate) async fn update(
    State(state): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    caller: Caller,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "users.drafts.update")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let body = read_body(body).await?;
    let (raw, thread) = raw_of(message_member(&body)?)?;
    let mut data = state.data.write();
    let old = data
        .mailbox(&me)
        .drafts
        .get(&id)
        .cloned()
        .ok_or_else(not_found)?;
    let created = create_draft(&mut data, &me, raw, thread.as_deref())?;
    let mb = data.mailbox(&me);
    mb.delete(&old.message_id);
    // Keep the draft's id: move the new message under it.
    let new_draft = created["id"].as_str().unwrap_or_default().to_owned();
    if let Some(mut d) = mb.drafts.remove(&new_draft) {
        d.id = id.clone();
        mb.drafts.insert(id.clone(), d);
    }
    Ok(json_ok(&json!({"id": id, "message": created["message"]})))
}

/// `DELETE .../drafts/{id}`.
pub(crate) async fn delete(
    State(state): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "users.drafts.delete")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let draft = mb.drafts.remove(&id).ok_or_else(not_found)?;
    mb.delete(&draft.message_id);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST .../drafts/send` (`{id}`, optionally with a new `message`).
pub(crate) async fn send(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    caller: Caller,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "users.drafts.send")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let body = read_body(body).await?;
    let id = body
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| super::invalid_argument("Draft id is required"))?
        .to_owned();
    let replacement = match body.get("message").and_then(Value::as_object) {
        Some(m) if m.get("raw").is_some() => Some(raw_of(m)?),
        _ => None,
    };
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let draft = mb.drafts.get(&id).cloned().ok_or_else(not_found)?;
    let stored = mb
        .messages
        .get(&draft.message_id)
        .cloned()
        .ok_or_else(not_found)?;
    let (raw, thread) = match replacement {
        Some((raw, t)) => (raw, t.or(Some(stored.thread_id.clone()))),
        None => (stored.raw.clone(), Some(stored.thread_id.clone())),
    };
    // Checked before the draft goes, so a draft without recipients stays a draft.
    super::send::check_sendable(&raw)?;
    mb.drafts.remove(&id);
    mb.delete(&draft.message_id);
    let reply = send_raw(
        &mut data,
        &me,
        raw,
        thread.as_deref(),
        Some(draft.message_id),
    )?;
    Ok(json_ok(&reply))
}
