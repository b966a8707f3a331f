//! AIP-155 request ids: a method with a `requestId` (query parameter or request field)
//! treats repeats of one id as one request, so a call that carries one is safe to send again.
//! [`fill_request_id`] gives a call a fresh UUID when its method takes one and none is set,
//! as Google's generated clients do.

use serde_json::Value;

use crate::method_call::{MethodCall, PreparedRequest};

/// A random UUID (version 4) as text.
pub fn new_request_id() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        b = (t ^ (u128::from(std::process::id()) << 64)).to_le_bytes();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// Sets `requestId` to a new UUID when the method takes one (as a parameter or a member of
/// its request body) and the call has none; other calls are returned as they are.
pub fn fill_request_id(call: MethodCall) -> MethodCall {
    if call.method().parameters.contains_key("requestId") {
        if call.get_param("requestId").is_none() {
            return call.param("requestId", new_request_id());
        }
        return call;
    }
    let takes_it = call
        .method()
        .request
        .as_ref()
        .and_then(|r| call.service().document().schema(&r.reference))
        .is_some_and(|s| s.properties.contains_key("requestId"));
    if !takes_it {
        return call;
    }
    let mut body = call
        .get_body()
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    match body.as_object_mut() {
        Some(o)
            if o.get("requestId")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty) =>
        {
            o.insert("requestId".into(), Value::String(new_request_id()));
            call.body(body)
        }
        _ => call,
    }
}

/// Whether a prepared request carries a request id (query `requestId` or body `requestId`).
pub fn has_request_id(req: &PreparedRequest) -> bool {
    req.url
        .query_pairs()
        .any(|(k, v)| k == "requestId" && !v.is_empty())
        || req
            .body
            .as_ref()
            .and_then(|b| b.get("requestId"))
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NoAuth, build};

    #[test]
    fn fills_query_and_body_request_ids_only_where_the_method_takes_them() {
        // A query parameter (AlloyDB clusters.create).
        let alloy = build("alloydb", "v1", NoAuth).unwrap();
        let call = alloy
            .method("projects.locations.clusters.create")
            .unwrap()
            .param("parent", "projects/p/locations/l")
            .param("clusterId", "c");
        let p = fill_request_id(call).prepare().unwrap();
        assert!(has_request_id(&p), "{}", p.url);
        let kept = fill_request_id(
            alloy
                .method("projects.locations.clusters.create")
                .unwrap()
                .param("parent", "projects/p/locations/l")
                .param("requestId", "mine"),
        );
        assert!(
            kept.prepare()
                .unwrap()
                .url
                .as_str()
                .contains("requestId=mine")
        );
        // No request id: nothing added, not safe to repeat.
        let drive = build("drive", "v3", NoAuth).unwrap();
        let p = fill_request_id(drive.method("files.create").unwrap())
            .prepare()
            .unwrap();
        assert!(!has_request_id(&p));
        let id = new_request_id();
        assert_eq!((id.len(), &id[14..15]), (36, "4"));
    }
}
