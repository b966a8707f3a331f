//! `users.labels` list/get/create: Gmail's system labels and the user's own (`Label_N`).

use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::mailbox::SYSTEM_LABELS;
use super::model::{Mailbox, UserLabel};
use super::{Shared, mailbox_owner, not_found, require};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{body_object, string_field};
use crate::framework::caller::Caller;

fn system_json(id: &str) -> Value {
    let mut v = json!({"id": id, "name": id, "type": "system"});
    if !id.starts_with("CATEGORY_") && !matches!(id, "CHAT" | "SPAM" | "TRASH") {
        v["messageListVisibility"] = json!("hide");
        v["labelListVisibility"] = json!("labelShow");
    }
    if matches!(id, "SPAM" | "TRASH") {
        v["messageListVisibility"] = json!("hide");
        v["labelListVisibility"] = json!("labelHide");
    }
    v
}

fn user_json(l: &UserLabel) -> Value {
    let mut v = json!({
        "id": l.id,
        "name": l.name,
        "type": "user",
        "messageListVisibility": l.message_list_visibility.as_deref().unwrap_or("show"),
        "labelListVisibility": l.label_list_visibility.as_deref().unwrap_or("labelShow"),
    });
    if let Some(c) = &l.color {
        v["color"] = c.clone();
    }
    v
}

/// A label with its counts (what `labels.get` adds to the list's entries).
fn with_counts(mut v: Value, mb: &Mailbox, id: &str) -> Value {
    let msgs: Vec<_> = mb
        .messages
        .values()
        .filter(|m| m.label_ids.iter().any(|l| l == id))
        .collect();
    let unread = msgs
        .iter()
        .filter(|m| m.label_ids.iter().any(|l| l == "UNREAD"))
        .count();
    let threads: std::collections::BTreeSet<&str> =
        msgs.iter().map(|m| m.thread_id.as_str()).collect();
    let unread_threads: std::collections::BTreeSet<&str> = msgs
        .iter()
        .filter(|m| m.label_ids.iter().any(|l| l == "UNREAD"))
        .map(|m| m.thread_id.as_str())
        .collect();
    v["messagesTotal"] = json!(msgs.len());
    v["messagesUnread"] = json!(unread);
    v["threadsTotal"] = json!(threads.len());
    v["threadsUnread"] = json!(unread_threads.len());
    v
}

/// `GET .../labels`.
pub(crate) async fn list(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "users.labels.list")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let mut labels: Vec<Value> = SYSTEM_LABELS.iter().map(|id| system_json(id)).collect();
    labels.extend(mb.labels.values().map(user_json));
    Ok(json_ok(&json!({"labels": labels})))
}

/// `GET .../labels/{id}`, with counts.
pub(crate) async fn get(
    State(state): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "users.labels.get")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let v = if SYSTEM_LABELS.contains(&id.as_str()) {
        system_json(&id)
    } else {
        user_json(mb.labels.get(&id).ok_or_else(not_found)?)
    };
    Ok(json_ok(&with_counts(v, mb, &id)))
}

/// `POST .../labels` (`name`, visibilities, `color`); a name in use (or a system label's)
/// is Gmail's 409.
pub(crate) async fn create(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    caller: Caller,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "users.labels.create")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let map = body_object(body).await?;
    let name = string_field(&map, "name")?
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| super::invalid_argument("Invalid label name"))?
        .to_owned();
    let mut data = state.data.write();
    let mb = data.mailbox(&me);
    let taken = SYSTEM_LABELS.iter().any(|s| s.eq_ignore_ascii_case(&name))
        || mb
            .labels
            .values()
            .any(|l| l.name.eq_ignore_ascii_case(&name));
    if taken {
        return Err(ApiError::new(
            409,
            "ALREADY_EXISTS",
            "duplicate",
            "Label name exists or conflicts",
        ));
    }
    let id = format!("Label_{}", mb.next_label);
    mb.next_label += 1;
    let label = UserLabel {
        id: id.clone(),
        name,
        message_list_visibility: string_field(&map, "messageListVisibility")?.map(str::to_owned),
        label_list_visibility: string_field(&map, "labelListVisibility")?.map(str::to_owned),
        color: map.get("color").cloned(),
    };
    let v = user_json(&label);
    mb.labels.insert(id, label);
    Ok(json_ok(&v))
}
