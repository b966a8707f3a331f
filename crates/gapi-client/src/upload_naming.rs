//! A file upload named and typed from its path: `report.pdf` becomes the object's name and
//! `application/pdf` its content type, unless the caller said otherwise.
//!
//! Where the name goes depends on the API: a required-or-optional query parameter called
//! `name` (Cloud Storage `objects.insert`), else the request body's `name` (Drive v3) or
//! `title` (Drive v2) property. Nothing is overwritten: a name already given wins.

use std::path::Path;

use serde_json::Value;

use crate::method_call::MethodCall;
use crate::params::ParamValue;

/// Where a method takes the name of an uploaded object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameSlot {
    /// A query parameter of that name.
    Param(String),
    /// A top-level property of the request body.
    BodyField(String),
}

/// Query parameters that name the uploaded object, in order of preference.
const NAME_PARAMS: &[&str] = &["name"];
/// Body properties that name the uploaded object, in order of preference.
const NAME_FIELDS: &[&str] = &["name", "title", "filename", "displayName"];

/// Where `call`'s method takes the uploaded object's name, if anywhere.
pub fn name_slot(call: &MethodCall) -> Option<NameSlot> {
    let method = call.method();
    for p in NAME_PARAMS {
        if method
            .parameters
            .get(p)
            .is_some_and(|s| s.location.as_deref() == Some("query"))
        {
            return Some(NameSlot::Param(p.to_string()));
        }
    }
    let request = method.request.as_ref()?;
    let schema = call.service().document().schema(&request.reference)?;
    NAME_FIELDS
        .iter()
        .find(|f| schema.properties.get(f).is_some_and(|p| !p.read_only))
        .map(|f| NameSlot::BodyField(f.to_string()))
}

/// Names the upload after `file_name` when the call does not name it already. A body is
/// created for a body slot if there is none.
pub fn with_default_name(call: MethodCall, file_name: &str) -> MethodCall {
    match name_slot(&call) {
        Some(NameSlot::Param(p)) if call.get_param(&p).is_none() => {
            call.param(p, ParamValue::Str(file_name.to_string()))
        }
        Some(NameSlot::BodyField(f)) => {
            let mut body = call
                .get_body()
                .cloned()
                .unwrap_or_else(|| Value::Object(Default::default()));
            match body.as_object_mut() {
                Some(obj) if !obj.contains_key(&f) => {
                    obj.insert(f, Value::String(file_name.to_string()));
                    call.body(body)
                }
                _ => call,
            }
        }
        _ => call,
    }
}

/// The file name part of a path (`./out/report.pdf` → `report.pdf`), if it has one.
pub fn file_name(path: &Path) -> Option<String> {
    path.file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

/// The MIME type a file's extension implies; `application/octet-stream` when unknown.
pub fn content_type_for(path: &Path) -> String {
    mime_guess::from_path(path)
        .first_or_octet_stream()
        .essence_str()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::NoAuth;

    #[test]
    fn drive_v3_names_the_body_and_keeps_a_given_name() {
        let drive = crate::build("drive", "v3", NoAuth).unwrap();
        let call = drive.method("files.create").unwrap();
        assert_eq!(name_slot(&call), Some(NameSlot::BodyField("name".into())));
        let named = with_default_name(call.clone(), "report.pdf");
        assert_eq!(
            named.get_body(),
            Some(&serde_json::json!({"name": "report.pdf"}))
        );
        let given = call.body(serde_json::json!({"name": "mine", "parents": ["x"]}));
        let kept = with_default_name(given, "report.pdf");
        assert_eq!(kept.get_body().unwrap()["name"], "mine");
    }

    #[test]
    fn drive_v2_uses_title_and_storage_the_name_parameter() {
        let v2 = crate::build("drive", "v2", NoAuth).unwrap();
        let call = v2.method("files.insert").unwrap();
        assert_eq!(name_slot(&call), Some(NameSlot::BodyField("title".into())));
        let gcs = crate::build("storage", "v1", NoAuth).unwrap();
        let call = gcs.method("objects.insert").unwrap();
        assert_eq!(name_slot(&call), Some(NameSlot::Param("name".into())));
        let named = with_default_name(call, "a.csv");
        assert!(matches!(named.get_param("name"), Some(ParamValue::Str(s)) if s == "a.csv"));
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type_for(Path::new("r.pdf")), "application/pdf");
        assert_eq!(content_type_for(Path::new("a/b.PNG")), "image/png");
        assert_eq!(
            content_type_for(Path::new("noext")),
            "application/octet-stream"
        );
        assert_eq!(
            file_name(Path::new("./x/report.pdf")).as_deref(),
            Some("report.pdf")
        );
    }
}
