//! `GET /drive/v3/files`: filtering (`q`), ordering (`orderBy`), paging and partial responses.

use axum::extract::State;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::Shared;
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::Params;
use crate::framework::random::sha256_hex;

use super::model::FILE_FIELDS;
use super::order::OrderBy;
use super::query::{self, Ctx};
use super::scopes::{DriveScopes, Need};
use crate::framework::caller::Caller;
use crate::framework::fields;

const DEFAULT_PAGE_SIZE: usize = 100;
const MAX_PAGE_SIZE: usize = 1000;

/// The page token binds the offset to the query it belongs to.
fn query_hash(q: &str, order: &str) -> String {
    sha256_hex(format!("{q}\n{order}").as_bytes())[..16].to_owned()
}

fn encode_token(offset: usize, hash: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1:{offset}:{hash}"))
}

fn decode_token(token: &str, hash: &str) -> Result<usize, ApiError> {
    let bad = || {
        ApiError::invalid_param(
            "pageToken",
            "Invalid Value: the page token is malformed or belongs to another query (keep q and orderBy the same across pages)",
        )
    };
    let text = URL_SAFE_NO_PAD
        .decode(token.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(bad)?;
    let mut parts = text.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("v1"), Some(offset), Some(h)) if h == hash => offset.parse().map_err(|_| bad()),
        _ => Err(bad()),
    }
}

/// `files.list`.
pub(crate) async fn list(State(state): State<Shared>, caller: Caller, params: Params) -> ApiResult {
    caller.require(Need::ReadMeta)?;
    super::files::alt_media(&params, false)?;
    let page_size = match params.get("pageSize") {
        None => DEFAULT_PAGE_SIZE,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
            _ => {
                return Err(ApiError::invalid_param(
                    "pageSize",
                    format!(
                        "Invalid value '{v}'. Values must be within the range: [1, {MAX_PAGE_SIZE}]"
                    ),
                ));
            }
        },
    };
    let q_text = params.get("q").unwrap_or("");
    let q = if q_text.trim().is_empty() {
        None
    } else {
        Some(query::parse(q_text)?)
    };
    let order_text = params.get("orderBy").unwrap_or("");
    let order = OrderBy::parse(Some(order_text))?;
    let selection = match params.non_empty("fields") {
        None => None,
        Some(f) => {
            let sel = fields::parse(f)?;
            fields::check_names(
                &sel,
                &["kind", "nextPageToken", "incompleteSearch", "files"],
                " (files.list answers kind, nextPageToken, incompleteSearch and files)",
            )?;
            if let fields::Selection::Some(map) = &sel
                && let Some(files_sel) = map.get("files")
            {
                fields::check_names(files_sel, FILE_FIELDS, " in files(...)")?;
            }
            Some(sel)
        }
    };
    let hash = query_hash(q_text, order_text);
    let offset = match params.non_empty("pageToken") {
        None => 0,
        Some(t) => decode_token(t, &hash)?,
    };
    let app_data_only = params
        .get("spaces")
        .is_some_and(|s| !s.split(',').any(|x| x.trim() == "drive"));

    let owner = super::owner(&caller.email)?;
    let inner = state.data.read();
    let mut matched: Vec<&super::model::DriveFile> = Vec::new();
    if let Some(drive) = inner.drives.get(&caller.email)
        && !app_data_only
    {
        let ctx = Ctx {
            owner_email: &caller.email,
            root_id: &drive.root_id,
        };
        matched = drive
            .files
            .values()
            .filter(|f| caller.sees(f))
            .filter(|f| q.as_ref().is_none_or(|q| q.matches(f, &ctx)))
            .collect();
    }
    matched.sort_by(|a, b| order.compare(a, b));
    let end = offset.saturating_add(page_size).min(matched.len());
    let page = matched.get(offset.min(matched.len())..end).unwrap_or(&[]);
    let files: Vec<Value> = page
        .iter()
        .map(|f| {
            if selection.is_some() {
                f.to_json(owner, &state.core.base_url)
            } else {
                json!({"kind": "drive#file", "id": f.id, "name": f.name, "mimeType": f.mime_type})
            }
        })
        .collect();
    let mut body = json!({
        "kind": "drive#fileList",
        "incompleteSearch": false,
        "files": files,
    });
    if end < matched.len() {
        body["nextPageToken"] = json!(encode_token(end, &hash));
    }
    drop(inner);
    let body = match &selection {
        Some(sel) => fields::apply(&body, sel),
        None => body,
    };
    Ok(json_ok(&body))
}
