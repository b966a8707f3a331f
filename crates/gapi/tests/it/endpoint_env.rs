//! `GAPI_ENDPOINT` through the facade: `gapi::build`, `gapi::discover` and
//! `gapi::build_from_document` are gapi-client's (one behaviour, one place) and send to it when
//! it is set, to the document's rootUrl when not. The parent test runs this test binary again
//! for the child test with the variable set or removed (the environment is the process's).

const CHILD: &str = "endpoint_env::child_reports_root_urls";
const DOC: &str = r#"{"name":"x","version":"v1","rootUrl":"https://x.test/","servicePath":"x/v1/",
    "resources":{"items":{"methods":{"list":{"id":"x.items.list","path":"items","httpMethod":"GET"}}}}}"#;

fn child_roots(value: Option<&str>) -> Vec<String> {
    let out = gapi_testkit::process::rerun_test(CHILD, &[(gapi::ENDPOINT_VAR, value)]);
    gapi_testkit::process::printed_after(&out, "root: ")
}

#[test]
fn gapi_build_discover_and_build_from_document_send_to_gapi_endpoint() {
    assert_eq!(gapi::ENDPOINT_VAR, "GAPI_ENDPOINT");
    let emu = "http://127.0.0.1:8642/";
    assert_eq!(child_roots(Some("http://127.0.0.1:8642/")), [emu, emu, emu]);
    let drive = "https://www.googleapis.com/";
    assert_eq!(child_roots(None), [drive, drive, "https://x.test/"]);
}

#[test]
#[ignore = "run by gapi_build_discover_and_build_from_document_send_to_gapi_endpoint, with GAPI_ENDPOINT set or removed"]
fn child_reports_root_urls() {
    let built = gapi::build("drive", "v3", gapi::client::NoAuth).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let discovered = rt
        .block_on(gapi::discover("drive", "v3", gapi::client::NoAuth))
        .unwrap();
    let from_doc = gapi::build_from_document(DOC, gapi::client::NoAuth).unwrap();
    for s in [&built, &discovered, &from_doc] {
        println!("root: {}", s.root_url());
    }
}
