//! `users.history.list`: the changes after `startHistoryId`, and the control endpoint that
//! prunes a mailbox's history (so a test can see Gmail's 404 for an out-of-date start id).

use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::model::{Change, HistoryRecord};
use super::{Shared, mailbox_owner, max_results, not_found, require};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, body_object, string_field};
use crate::framework::caller::Caller;

fn kind(c: &Change) -> &'static str {
    match c {
        Change::Added => "messageAdded",
        Change::Deleted => "messageDeleted",
        Change::LabelsAdded(_) => "labelAdded",
        Change::LabelsRemoved(_) => "labelRemoved",
    }
}

fn record_json(r: &HistoryRecord) -> Value {
    let message = json!({"id": r.message_id, "threadId": r.thread_id, "labelIds": r.label_ids});
    let mut v = json!({
        "id": r.id.to_string(),
        "messages": [{"id": r.message_id, "threadId": r.thread_id}],
    });
    match &r.change {
        Change::Added => v["messagesAdded"] = json!([{"message": message}]),
        Change::Deleted => v["messagesDeleted"] = json!([{"message": message}]),
        Change::LabelsAdded(l) => v["labelsAdded"] = json!([{"message": message, "labelIds": l}]),
        Change::LabelsRemoved(l) => {
            v["labelsRemoved"] = json!([{"message": message, "labelIds": l}])
        }
    }
    v
}

/// `GET .../history?startHistoryId=` (`labelId`, `historyTypes`, `maxResults`, `pageToken`).
pub(crate) async fn list(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    require(&caller, "users.history.list")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let start_text = params.non_empty("startHistoryId").ok_or_else(|| {
        ApiError::new(
            400,
            "INVALID_ARGUMENT",
            "invalidArgument",
            "Missing required parameter: startHistoryId",
        )
        .at("startHistoryId", "parameter")
    })?;
    let start: u64 = start_text.parse().map_err(|_| {
        ApiError::invalid_param(
            "startHistoryId",
            format!("Invalid startHistoryId: {start_text}"),
        )
    })?;
    let size = max_results(&params, 100, 500)?;
    let types: Vec<&str> = params
        .0
        .iter()
        .filter(|(k, _)| k == "historyTypes")
        .flat_map(|(_, v)| v.split(','))
        .collect();
    let label = params.non_empty("labelId");
    let from: u64 = match params.non_empty("pageToken") {
        Some(t) => t
            .parse()
            .map_err(|_| ApiError::invalid_param("pageToken", format!("Invalid pageToken: {t}")))?,
        None => start,
    };
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    if start < mb.history_floor {
        return Err(not_found().help(format!(
            "startHistoryId {start} is older than the history this mailbox keeps (from {}): do a full sync (messages.list) and continue from getProfile's historyId.",
            mb.history_floor
        )));
    }
    let selected: Vec<&HistoryRecord> = mb
        .history
        .iter()
        .filter(|r| r.id > from)
        .filter(|r| {
            types.is_empty()
                || types
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(kind(&r.change)))
        })
        .filter(|r| label.is_none_or(|l| r.label_ids.iter().any(|x| x == l)))
        .collect();
    let mut body = json!({"historyId": mb.history_id.to_string()});
    let page: Vec<Value> = selected.iter().take(size).map(|r| record_json(r)).collect();
    if selected.len() > size
        && let Some(last) = selected.get(size - 1)
    {
        body["nextPageToken"] = json!(last.id.to_string());
    }
    if !page.is_empty() {
        body["history"] = Value::Array(page);
    }
    Ok(json_ok(&body))
}

/// `POST /__emulator/gmail/history/expire` `{"email"?}`: forgets the history of one mailbox
/// (or all), so start ids older than now answer 404 as Gmail's do after pruning.
pub(crate) async fn expire(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let map = body_object(body).await?;
    let only = string_field(&map, "email")?.map(str::to_ascii_lowercase);
    let mut data = state.data.write();
    let mut count = 0;
    for (email, mb) in data.mailboxes.iter_mut() {
        if only.as_deref().is_none_or(|o| o == email) {
            mb.history.clear();
            mb.history_floor = mb.history_id;
            count += 1;
        }
    }
    Ok(json_ok(&json!({"expired": count})))
}
