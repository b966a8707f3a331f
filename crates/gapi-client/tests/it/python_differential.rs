//! Differential test against google-api-python-client: for every case in
//! `tests/python/cases.json`, the request gapi prepares has the same method, scheme, host, path,
//! query parameters (as a multiset, ignoring `alt`, `prettyPrint` and `key`) and JSON body as the
//! one Python builds from the same (bundled) Discovery document.
//!
//! Python comes from `$GAPI_TEST_PYTHON` (a venv with google-api-python-client==2.202.0), else
//! `python3`; the test fails with a clear message when googleapiclient is missing.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use gapi_client::{ApiKey, ParamValue, Service};
use serde_json::Value;

fn normalise(url: &str) -> (String, Vec<(String, String)>) {
    let u = url::Url::parse(url).unwrap_or_else(|e| panic!("bad URL {url}: {e}"));
    let mut q: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| !matches!(k.as_ref(), "alt" | "prettyPrint" | "key"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    q.sort();
    (
        format!(
            "{}://{}{}",
            u.scheme(),
            u.host_str().unwrap_or(""),
            u.path()
        ),
        q,
    )
}

#[test]
fn requests_match_google_api_python_client() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases_path = manifest.join("tests/python/cases.json");
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&cases_path).unwrap()).unwrap();
    let apis: BTreeSet<(String, String)> = cases
        .iter()
        .map(|c| {
            (
                c["api"].as_str().unwrap().to_string(),
                c["version"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        cases.len() >= 40 && apis.len() >= 15,
        "need >= 40 cases over >= 15 APIs"
    );

    let dir = tempfile::tempdir().unwrap();
    for (api, version) in &apis {
        let json = gapi_discovery::bundle::document_json(api, version)
            .unwrap()
            .unwrap_or_else(|| panic!("{api}:{version} not bundled"));
        std::fs::write(dir.path().join(format!("{api}.{version}.json")), json).unwrap();
    }
    let python = std::env::var("GAPI_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .arg(manifest.join("tests/python/build_requests.py"))
        .arg(dir.path())
        .arg(&cases_path)
        .output()
        .unwrap_or_else(|e| panic!("could not run {python}: {e}; set GAPI_TEST_PYTHON to a Python with google-api-python-client==2.202.0"));
    assert!(
        out.status.success(),
        "{python} failed ({}): {}\nInstall the reference client: python3 -m venv /tmp/gapi-venv && /tmp/gapi-venv/bin/pip install google-api-python-client==2.202.0 and set GAPI_TEST_PYTHON=/tmp/gapi-venv/bin/python",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).expect("python printed JSON");
    assert_eq!(results.len(), cases.len());

    let mut mismatches = Vec::new();
    for (case, py) in cases.iter().zip(&results) {
        let label = format!(
            "{}:{} {} {}",
            case["api"], case["version"], case["method"], case["params"]
        );
        let expect_error = case
            .get("expect_error")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if expect_error {
            // Both clients must refuse the call before sending anything.
            if py.get("error").is_none() {
                mismatches.push(format!(
                    "{label}: python accepted a call expected to be refused"
                ));
            }
        } else if let Some(e) = py.get("error") {
            mismatches.push(format!("{label}: python failed: {e}"));
            continue;
        }
        let svc = Service::builder()
            .bundled(
                case["api"].as_str().unwrap(),
                case["version"].as_str().unwrap(),
            )
            .auth(ApiKey("test-key".into()))
            .build()
            .unwrap();
        let mut call = svc.method(case["method"].as_str().unwrap()).unwrap();
        for (k, v) in case["params"].as_object().unwrap() {
            call = call.param(k.clone(), ParamValue::from_json(k, v).unwrap());
        }
        let media = case.get("media").and_then(Value::as_bool).unwrap_or(false);
        if let Some(b) = case.get("body").filter(|b| !b.is_null()) {
            call = call.body(b.clone());
        }
        let req = match call.prepare() {
            Ok(_) if expect_error => {
                mismatches.push(format!("{label}: gapi accepted a call python refuses"));
                continue;
            }
            Err(_) if expect_error => continue,
            Ok(r) => r,
            Err(e) => {
                mismatches.push(format!("{label}: gapi failed: {e}"));
                continue;
            }
        };
        let (our_url, our_method, our_body) = if media {
            let target = req
                .media_upload
                .as_ref()
                .expect("media method has upload URLs");
            let mut u = target.simple_url.clone().expect("simple protocol");
            let kind = if case.get("body").is_some_and(|b| !b.is_null()) {
                "multipart"
            } else {
                "media"
            };
            u.query_pairs_mut().append_pair("uploadType", kind);
            (u.to_string(), req.method.to_string(), Value::Null)
        } else {
            (
                req.url.to_string(),
                req.method.to_string(),
                req.body.clone().unwrap_or(Value::Null),
            )
        };
        let py_uri = py["uri"].as_str().unwrap();
        if normalise(&our_url) != normalise(py_uri) {
            mismatches.push(format!(
                "{label}: URL\n   gapi:   {our_url}\n   python: {py_uri}"
            ));
        }
        if our_method != py["method"].as_str().unwrap() {
            mismatches.push(format!(
                "{label}: method gapi {our_method} python {}",
                py["method"]
            ));
        }
        if our_body != py["body"] {
            mismatches.push(format!(
                "{label}: body\n   gapi:   {our_body}\n   python: {}",
                py["body"]
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}
