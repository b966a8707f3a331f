//! `GAPI_ENDPOINT` through gapi-client's public functions: `build`, `discover` and
//! `build_from_document` send to it when it is set (trimmed), to the document's rootUrl when
//! it is unset or blank; a `ServiceBuilder` reads it only when asked. The environment is a
//! process's, so the parent test runs this test binary again for the child test, with the
//! variable set or removed, instead of changing its own (other tests run beside it).

use gapi_client::{ENDPOINT_VAR, NoAuth, Service};

const CHILD: &str = "endpoint_env::child_reports_root_urls";
const DOC: &str = r#"{"name":"x","version":"v1","rootUrl":"https://x.test/","servicePath":"x/v1/",
    "resources":{"items":{"methods":{"list":{"id":"x.items.list","path":"items","httpMethod":"GET"}}}}}"#;

/// Runs the child test with `GAPI_ENDPOINT` set to `value` (removed when `None`) and returns
/// the root URLs it printed: `build`, `discover`, `build_from_document`, plain builder.
fn child_roots(value: Option<&str>) -> Vec<String> {
    let out = gapi_testkit::process::rerun_test(CHILD, &[(ENDPOINT_VAR, value)]);
    gapi_testkit::process::printed_after(&out, "root: ")
}

#[test]
fn build_discover_and_build_from_document_send_to_gapi_endpoint() {
    let emu = "http://127.0.0.1:8642/";
    assert_eq!(
        child_roots(Some(" http://127.0.0.1:8642 ")),
        [emu, emu, emu, "https://x.test/"],
        "the three functions follow the variable (trimmed, `/` added); the builder does not"
    );
    let drive = "https://www.googleapis.com/";
    for unset in [None, Some(""), Some("  ")] {
        assert_eq!(
            child_roots(unset),
            [drive, drive, "https://x.test/", "https://x.test/"],
            "{unset:?}: the documents' own rootUrl"
        );
    }
}

#[test]
#[ignore = "run by build_discover_and_build_from_document_send_to_gapi_endpoint, with GAPI_ENDPOINT set or removed"]
fn child_reports_root_urls() {
    let built = gapi_client::build("drive", "v3", NoAuth).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let discovered = rt
        .block_on(gapi_client::discover("drive", "v3", NoAuth))
        .unwrap();
    let from_doc = gapi_client::build_from_document(DOC, NoAuth).unwrap();
    let builder = Service::builder().document(DOC).build().unwrap();
    for s in [&built, &discovered, &from_doc, &builder] {
        println!("root: {}", s.root_url());
    }
}
