//! Every method is reachable from the command line, also where a method and a sub-resource
//! share a name (the word after decides). The places are computed from the bundle.

use crate::common;

use common::{gapi_in, run};
use gapi_discovery::{RestDescription, RestResource, bundle};

/// Some method inside the resource at `path`, as a dotted path.
fn method_below(doc: &RestDescription, path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let mut res: &RestResource = doc.resources.get(parts[0]).unwrap();
    for p in &parts[1..] {
        res = res.resources.get(p).unwrap();
    }
    fn first(prefix: String, r: &RestResource) -> Option<String> {
        if let Some((name, _)) = r.methods.iter().next() {
            return Some(format!("{prefix}.{name}"));
        }
        r.resources
            .iter()
            .find_map(|(n, sub)| first(format!("{prefix}.{n}"), sub))
    }
    first(path.to_string(), res).expect("the resource has methods")
}

#[tokio::test]
async fn methods_and_resources_of_the_same_name_are_both_reachable() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for e in bundle::entries() {
        let json = bundle::document_json(e.name, e.version).unwrap().unwrap();
        let doc = RestDescription::from_json(&json).unwrap();
        for path in doc.method_resource_clashes() {
            let below = method_below(&doc, &path);
            for dotted in [&path, &below] {
                let method = doc.method(dotted).unwrap();
                let api = format!("{}:{}", e.name, e.version);
                let mut cmd = gapi_in(dir.path());
                cmd.arg(&api).args(dotted.split('.')).arg("--help");
                let out = run(cmd).await;
                assert_eq!(out.code, 0, "gapi {api} {dotted} --help: {}", out.stderr);
                let first = out.stdout.lines().next().unwrap_or("");
                assert!(
                    first.starts_with(method.http_method_or_get())
                        && first.contains(method.path.as_str()),
                    "gapi {api} {dotted} --help shows {first:?}, not {}",
                    method.id
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 50, "25 clashes, each as method and as resource");
}

#[tokio::test]
async fn the_issue_example_builds_its_request() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = gapi_in(dir.path());
    cmd.args([
        "identitytoolkit:v1",
        "projects",
        "tenants",
        "accounts",
        "batchCreate",
        "-p",
        "targetProjectId=p1",
        "-p",
        "tenantId=t1",
        "--json",
        "{}",
        "--dry-run",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["method"], "POST");
    assert!(
        v["url"]
            .as_str()
            .unwrap()
            .contains("/v1/projects/p1/tenants/t1/accounts:batchCreate"),
        "{}",
        v["url"]
    );
}
