//! What goes on the wire, checked by a tiny mock server: standard headers, credentials (header
//! or `key=`), `X-Goog-Api-Version`, default query parameters, and pagination with the page
//! token in the query or in the JSON body.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use futures_util::StreamExt;
use gapi_client::{ApiKey, Service, StaticToken};
use gapi_testkit::mock::MockGoogle;
use serde_json::{Value, json};

#[derive(Default)]
struct Seen {
    requests: Vec<(HeaderMap, String, Value)>,
}

type Shared = Arc<Mutex<Seen>>;

const DOC: &str = r#"{
  "name": "mock", "version": "v1", "rootUrl": "https://mock.example.com/", "servicePath": "mock/v1/",
  "batchPath": "batch/mock/v1",
  "parameters": {"alt": {"type": "string", "location": "query"}, "prettyPrint": {"type": "boolean", "location": "query"},
                 "fields": {"type": "string", "location": "query"}, "key": {"type": "string", "location": "query"}},
  "resources": {"things": {"methods": {
    "list": {"id": "mock.things.list", "path": "things", "httpMethod": "GET", "apiVersion": "2024-05-01",
             "parameters": {"pageToken": {"type": "string", "location": "query"},
                            "pageSize": {"type": "integer", "format": "int32", "location": "query"}}},
    "search": {"id": "mock.things.search", "path": "things:search", "httpMethod": "POST",
               "request": {"$ref": "SearchRequest"}, "response": {"$ref": "SearchResponse"}}
  }}},
  "schemas": {"SearchRequest": {"id": "SearchRequest", "type": "object",
                                "properties": {"query": {"type": "string"}, "pageToken": {"type": "string"}}},
              "SearchResponse": {"id": "SearchResponse", "type": "object"}}
}"#;

/// Three pages: token "" -> "p2" -> "p3" -> end.
fn page_for(token: Option<&str>) -> Value {
    match token {
        None => json!({"things": [1, 2], "nextPageToken": "p2"}),
        Some("p2") => json!({"things": [3, 4], "nextPageToken": "p3"}),
        Some("p3") => json!({"things": [5]}),
        Some(other) => json!({"error": format!("bad token {other}")}),
    }
}

async fn list(
    State(s): State<Shared>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> impl IntoResponse {
    let q = q.unwrap_or_default();
    let token = url::form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == "pageToken")
        .map(|(_, v)| v.into_owned());
    s.lock().unwrap().requests.push((headers, q, Value::Null));
    axum::Json(page_for(token.as_deref()))
}

async fn search(
    State(s): State<Shared>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> impl IntoResponse {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let token = body
        .get("pageToken")
        .and_then(Value::as_str)
        .map(str::to_string);
    s.lock()
        .unwrap()
        .requests
        .push((headers, q.unwrap_or_default(), body));
    axum::Json(page_for(token.as_deref()))
}

async fn serve() -> (MockGoogle, Shared) {
    let shared: Shared = Default::default();
    let app = Router::new()
        .route("/mock/v1/things", get(list))
        .route("/mock/v1/things:search", post(search))
        .with_state(shared.clone());
    (MockGoogle::start(app).await, shared)
}

#[tokio::test]
async fn standard_headers_and_query_paging() {
    let (mock, seen) = serve().await;
    let base = format!("{}/", mock.base_url());
    let svc = Service::builder()
        .document(DOC)
        .endpoint(&base)
        .auth(StaticToken("ya29.test-token".into()))
        .quota_project("billing-project")
        .build()
        .unwrap();
    assert_eq!(
        svc.batch_url().as_deref(),
        Some(format!("{base}batch/mock/v1").as_str())
    );
    let items: Vec<Value> = svc
        .method("things.list")
        .unwrap()
        .param("pageSize", 2)
        .items("things")
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(
        items,
        vec![json!(1), json!(2), json!(3), json!(4), json!(5)]
    );

    let seen = seen.lock().unwrap();
    assert_eq!(seen.requests.len(), 3);
    for (h, q, _) in &seen.requests {
        assert_eq!(h["authorization"], "Bearer ya29.test-token");
        assert!(h["user-agent"].to_str().unwrap().starts_with("gapi/"));
        assert!(h["x-goog-api-client"].to_str().unwrap().contains("gdcl/"));
        assert_eq!(h["x-goog-user-project"], "billing-project");
        assert_eq!(h["x-goog-api-version"], "2024-05-01");
        assert!(h["accept-encoding"].to_str().unwrap().contains("gzip"));
        assert!(
            q.contains("alt=json") && q.contains("prettyPrint=false") && q.contains("pageSize=2"),
            "{q}"
        );
        assert!(!q.contains("ya29"), "no token in the URL");
    }
    assert!(seen.requests[1].1.contains("pageToken=p2"));
    assert!(seen.requests[2].1.contains("pageToken=p3"));
}

#[tokio::test]
async fn api_key_in_header_and_body_paging() {
    let (mock, seen) = serve().await;
    let base = format!("{}/", mock.base_url());
    let svc = Service::builder()
        .document(DOC)
        .endpoint(&base)
        .auth(ApiKey("AIza-test".into()))
        .build()
        .unwrap();
    let pages: Vec<Value> = svc
        .method("things.search")
        .unwrap()
        .body(json!({"query": "q"}))
        .pages()
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(pages.len(), 3, "page token followed in the body");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.requests[0].2, json!({"query": "q"}));
    assert_eq!(seen.requests[1].2, json!({"query": "q", "pageToken": "p2"}));
    assert_eq!(seen.requests[2].2, json!({"query": "q", "pageToken": "p3"}));
    for (h, q, _) in &seen.requests {
        assert!(
            !q.contains("AIza-test"),
            "the key stays out of the URL: {q}"
        );
        assert_eq!(h["x-goog-api-key"], "AIza-test");
        assert!(h.get("authorization").is_none());
        assert_eq!(h["content-type"], "application/json");
    }
}
