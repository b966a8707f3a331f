//! `users.getProfile` and `users.messages` get/list/trash/untrash/delete/modify and
//! `attachments.get`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::model::{Mailbox, StoredMessage};
use super::query::Query;
use super::render::{self, Format, message_json, message_ref};
use super::{
    Shared, invalid_argument, mailbox_owner, max_results, metadata_only, not_found, require,
};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, body_object};
use crate::framework::caller::Caller;
use crate::framework::time::now_ms;

/// `GET .../profile`.
pub(crate) async fn profile(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "users.getProfile")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let threads: std::collections::BTreeSet<&str> =
        mb.messages.values().map(|m| m.thread_id.as_str()).collect();
    Ok(json_ok(&json!({
        "emailAddress": me,
        "messagesTotal": mb.messages.len(),
        "threadsTotal": threads.len(),
        "historyId": mb.history_id.to_string(),
    })))
}

/// 403 for `q` or bodies under the `gmail.metadata` scope, in Gmail's words.
pub(crate) fn check_metadata_scope(
    caller: &Caller,
    params: &Params,
    format: Option<Format>,
) -> Result<(), ApiError> {
    if !metadata_only(caller) {
        return Ok(());
    }
    if params.non_empty("q").is_some() {
        return Err(ApiError::new(
            403,
            "PERMISSION_DENIED",
            "forbidden",
            "Metadata scope does not support 'q' parameter",
        ));
    }
    if let Some(f @ (Format::Full | Format::Raw)) = format {
        return Err(ApiError::new(
            403,
            "PERMISSION_DENIED",
            "forbidden",
            format!("Metadata scope doesn't allow format {}", f.name()),
        ));
    }
    Ok(())
}

/// The messages of a mailbox that `labelIds`, `q` and `includeSpamTrash` select, newest
/// first.
pub(crate) fn select<'a>(
    mb: &'a Mailbox,
    me: &str,
    params: &Params,
) -> Result<Vec<&'a StoredMessage>, ApiError> {
    let q = Query::parse(params.get("q").unwrap_or(""), me, now_ms())?;
    let include_spam_trash =
        params.bool("includeSpamTrash")?.unwrap_or(false) || q.wants_spam_trash;
    let labels: Vec<&str> = params
        .0
        .iter()
        .filter(|(k, _)| k == "labelIds")
        .flat_map(|(_, v)| v.split(','))
        .filter(|s| !s.is_empty())
        .collect();
    let mut out: Vec<&StoredMessage> = mb
        .messages
        .values()
        .filter(|m| {
            include_spam_trash
                || labels.iter().any(|l| *l == "TRASH" || *l == "SPAM")
                || !m.label_ids.iter().any(|l| l == "TRASH" || l == "SPAM")
        })
        .filter(|m| labels.iter().all(|l| m.label_ids.iter().any(|x| x == l)))
        .filter(|m| q.matches(m, mb))
        .collect();
    out.sort_by(|a, b| b.internal_ms.cmp(&a.internal_ms).then(b.id.cmp(&a.id)));
    Ok(out)
}

/// A page of `items` from `pageToken` (an offset); the next token when more remain.
pub(crate) fn page<T: Clone>(
    items: &[T],
    params: &Params,
    size: usize,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let start = match params.non_empty("pageToken") {
        None => 0,
        Some(t) => t
            .parse::<usize>()
            .map_err(|_| invalid_argument(format!("Invalid pageToken: {t}")))?,
    };
    let end = (start + size).min(items.len());
    let slice = items
        .get(start.min(items.len())..end)
        .unwrap_or(&[])
        .to_vec();
    let next = (end < items.len()).then(|| end.to_string());
    Ok((slice, next))
}

/// `GET .../messages`.
pub(crate) async fn list(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    require(&caller, "users.messages.list")?;
    let me = mailbox_owner(&caller, &user_id)?;
    check_metadata_scope(&caller, &params, None)?;
    let size = max_results(&params, 100, 500)?;
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let all: Vec<Value> = select(mb, &me, &params)?
        .into_iter()
        .map(|m| json!({"id": m.id, "threadId": m.thread_id}))
        .collect();
    let (items, next) = page(&all, &params, size)?;
    let mut body = json!({"resultSizeEstimate": all.len()});
    if !items.is_empty() {
        body["messages"] = Value::Array(items);
    }
    if let Some(n) = next {
        body["nextPageToken"] = json!(n);
    }
    Ok(json_ok(&body))
}

/// `GET .../messages/{id}`.
pub(crate) async fn get(
    State(state): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    require(&caller, "users.messages.get")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let format = Format::from_params(&params, true)?;
    check_metadata_scope(&caller, &params, Some(format))?;
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let m = mb.messages.get(&id).ok_or_else(not_found)?;
    Ok(json_ok(&message_json(
        m,
        format,
        &render::metadata_headers(&params),
    )))
}

/// `DELETE .../messages/{id}`: gone for good (the full `https://mail.google.com/` scope).
pub(crate) async fn delete(
    State(state): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "users.messages.delete")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let mut data = state.data.write();
    if !data.mailbox(&me).delete(&id) {
        return Err(not_found());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn relabel_and_answer(
    state: &Shared,
    me: &str,
    id: &str,
    add: &[String],
    remove: &[String],
) -> ApiResult {
    let mut data = state.data.write();
    let mb = data.mailbox(me);
    if !mb.messages.contains_key(id) {
        return Err(not_found());
    }
    mb.relabel(id, add, remove);
    Ok(json_ok(&message_ref(&mb.messages[id])))
}

/// `POST .../messages/{id}/trash`: `TRASH` added, `INBOX` removed.
pub(crate) async fn trash(
    State(state): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "users.messages.trash")?;
    let me = mailbox_owner(&caller, &user_id)?;
    relabel_and_answer(
        &state,
        &me,
        &id,
        &["TRASH".to_owned()],
        &["INBOX".to_owned(), "SPAM".to_owned()],
    )
}

/// `POST .../messages/{id}/untrash`: `TRASH` removed (the message does not go back to the
/// inbox by itself, as in Gmail).
pub(crate) async fn untrash(
    State(state): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "users.messages.untrash")?;
    let me = mailbox_owner(&caller, &user_id)?;
    relabel_and_answer(&state, &me, &id, &[], &["TRASH".to_owned()])
}

fn label_list(map: &serde_json::Map<String, Value>, key: &str) -> Result<Vec<String>, ApiError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().map(str::to_owned).ok_or_else(|| {
                    invalid_argument(format!("Invalid value at '{key}': expected strings"))
                })
            })
            .collect(),
        Some(_) => Err(invalid_argument(format!(
            "Invalid value at '{key}': expected a list of label ids"
        ))),
    }
}

/// `addLabelIds` / `removeLabelIds` of a modify body, checked against the mailbox.
pub(crate) fn label_changes(
    mb: &Mailbox,
    map: &serde_json::Map<String, Value>,
) -> Result<(Vec<String>, Vec<String>), ApiError> {
    let add = label_list(map, "addLabelIds")?;
    let remove = label_list(map, "removeLabelIds")?;
    for l in add.iter().chain(&remove) {
        if !mb.label_exists(l) || super::mailbox::FIXED_LABELS.contains(&l.as_str()) {
            return Err(invalid_argument(format!("Invalid label: {l}")));
        }
    }
    Ok((add, remove))
}

/// `POST .../messages/{id}/modify`.
pub(crate) async fn modify(
    State(state): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    caller: Caller,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "users.messages.modify")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let map = body_object(body).await?;
    let (add, remove) = {
        let mut data = state.data.write();
        label_changes(data.mailbox(&me), &map)?
    };
    relabel_and_answer(&state, &me, &id, &add, &remove)
}

/// `GET .../messages/{messageId}/attachments/{id}`.
pub(crate) async fn attachment(
    State(state): State<Shared>,
    Path((user_id, message_id, id)): Path<(String, String, String)>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "users.messages.attachments.get")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let raw = {
        let mut data = state.data.write();
        let mb = data.mailbox(&me);
        mb.messages
            .get(&message_id)
            .ok_or_else(not_found)?
            .raw
            .clone()
    };
    let part_id = render::attachment_part(&message_id, &id)
        .ok_or_else(|| invalid_argument("Invalid attachment token"))?;
    let root = super::mime::parse(&raw).ok_or_else(not_found)?;
    let part = root
        .walk()
        .into_iter()
        .find(|p| p.part_id == part_id && p.children.is_empty())
        .cloned()
        .ok_or_else(not_found)?;
    Ok(json_ok(&json!({
        "attachmentId": id,
        "size": part.body.len(),
        "data": render::b64url(&part.body),
    })))
}
