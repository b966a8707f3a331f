//! The opaque `HttpClient`: a service given one with a proxy sends through that proxy, and
//! bad options are clear errors, not panics.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Request, State};
use gapi_client::{HttpClient, NoAuth, Service};
use gapi_testkit::mock::MockGoogle;

#[tokio::test]
async fn a_service_sends_through_the_given_clients_proxy() {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let app = Router::new()
        .fallback(
            |State(seen): State<Arc<Mutex<Vec<String>>>>, req: Request| async move {
                seen.lock().unwrap().push(req.uri().to_string());
                ([("content-type", "application/json")], r#"{"files": []}"#)
            },
        )
        .with_state(seen.clone());
    let mock = MockGoogle::start(app).await;
    let proxy = mock.base_url();

    let http = HttpClient::builder().proxy(proxy).build().unwrap();
    let drive = Service::builder()
        .bundled("drive", "v3")
        .endpoint("http://drive.example.invalid/")
        .auth(NoAuth)
        .http_client(http)
        .build()
        .unwrap();
    let v = drive
        .method("files.list")
        .unwrap()
        .param("pageSize", 2)
        .execute()
        .await
        .unwrap();
    assert_eq!(v["files"], serde_json::json!([]));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].starts_with("http://drive.example.invalid/drive/v3/files?"),
        "the proxy got the absolute URL: {seen:?}"
    );
}

#[test]
fn bad_options_are_invalid_argument_errors() {
    let err: gapi_client::Error = HttpClient::builder()
        .add_root_certificate_pem("not a certificate")
        .build()
        .unwrap_err()
        .into();
    assert!(err.is_invalid_argument(), "{err}");
    let err: gapi_client::Error = HttpClient::builder()
        .proxy("::nope")
        .build()
        .unwrap_err()
        .into();
    assert!(err.is_invalid_argument(), "{err}");
    assert!(err.to_string().contains("proxy"), "{err}");
}
