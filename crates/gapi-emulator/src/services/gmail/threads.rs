//! `users.threads` get/list: the messages of a mailbox grouped by `threadId`.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::messages::{check_metadata_scope, page, select};
use super::model::StoredMessage;
use super::render::{self, Format, message_json};
use super::{Shared, mailbox_owner, max_results, not_found, require};
use crate::framework::api_error::ApiResult;
use crate::framework::api_error::json_ok;
use crate::framework::body::Params;
use crate::framework::caller::Caller;

/// `GET .../threads`: threads with a message that matches, by their latest message.
pub(crate) async fn list(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    require(&caller, "users.threads.list")?;
    let me = mailbox_owner(&caller, &user_id)?;
    check_metadata_scope(&caller, &params, None)?;
    let size = max_results(&params, 100, 500)?;
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let mut seen = Vec::<String>::new();
    for m in select(mb, &me, &params)? {
        if !seen.contains(&m.thread_id) {
            seen.push(m.thread_id.clone());
        }
    }
    let mut by_thread: BTreeMap<&str, Vec<&StoredMessage>> = BTreeMap::new();
    for m in mb.messages.values() {
        by_thread.entry(m.thread_id.as_str()).or_default().push(m);
    }
    let all: Vec<Value> = seen
        .iter()
        .map(|t| {
            let msgs = by_thread.get(t.as_str()).cloned().unwrap_or_default();
            let latest = msgs.iter().max_by_key(|m| (m.internal_ms, m.id.clone()));
            let history = msgs.iter().map(|m| m.history_id).max().unwrap_or(0);
            json!({
                "id": t,
                "snippet": latest.map(|m| m.index.snippet.clone()).unwrap_or_default(),
                "historyId": history.to_string(),
            })
        })
        .collect();
    let (items, next) = page(&all, &params, size)?;
    let mut body = json!({"resultSizeEstimate": all.len()});
    if !items.is_empty() {
        body["threads"] = Value::Array(items);
    }
    if let Some(n) = next {
        body["nextPageToken"] = json!(n);
    }
    Ok(json_ok(&body))
}

/// `GET .../threads/{id}`: its messages, oldest first, in `format`.
pub(crate) async fn get(
    State(state): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    require(&caller, "users.threads.get")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let format = Format::from_params(&params, false)?;
    check_metadata_scope(&caller, &params, Some(format))?;
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let mut msgs: Vec<&StoredMessage> =
        mb.messages.values().filter(|m| m.thread_id == id).collect();
    if msgs.is_empty() {
        return Err(not_found());
    }
    msgs.sort_by(|a, b| a.internal_ms.cmp(&b.internal_ms).then(a.id.cmp(&b.id)));
    let headers = render::metadata_headers(&params);
    let history = msgs.iter().map(|m| m.history_id).max().unwrap_or(0);
    Ok(json_ok(&json!({
        "id": id,
        "historyId": history.to_string(),
        "messages": msgs.iter().map(|m| message_json(m, format, &headers)).collect::<Vec<_>>(),
    })))
}
