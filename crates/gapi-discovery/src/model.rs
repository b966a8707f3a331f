//! The Discovery document model (`discovery#restDescription`), lenient on purpose: unknown
//! fields are ignored and missing ones defaulted, so every published document parses.
//!
//! Schemas are kept as raw JSON and parsed on demand ([`RestDescription::schema`]): they are
//! most of a document's bytes and a call needs none of them. Resources are [`Lazy`]: parsed
//! the first time they are looked at (they dereference to [`RestResource`]). A document made
//! from the method index ([`crate::method_index`]) has no descriptions and reads its schemas
//! from the full bundled document the first time one is asked for.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::lazy::Lazy;
use crate::ordered_map::OrderedMap;

/// The response fields that identify an object's content or state its checksums, in the names
/// Google's APIs use (Drive's `md5Checksum`, Storage's `md5Hash` and `generation`, ...): a
/// media method's response schema is searched for them, by the client to prove and check a
/// download, and by code generation to keep them in a typed module's response types.
pub const INTEGRITY_FIELDS: &[&str] = &[
    "size",
    "sha256Checksum",
    "md5Checksum",
    "headRevisionId",
    "version",
    "crc32c",
    "md5Hash",
    "generation",
];

/// A whole Discovery document: one version of one API.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RestDescription {
    /// The API's id, `drive:v3`.
    pub id: String,
    /// The API's name, `drive`.
    pub name: String,
    /// The API's version, `v3`.
    pub version: String,
    /// The document's revision (a date).
    pub revision: String,
    /// A human title.
    pub title: String,
    /// A human description.
    pub description: String,
    /// Link to the API's documentation.
    pub documentation_link: String,
    /// The root of every URL, `https://www.googleapis.com/`.
    pub root_url: String,
    /// Appended to `rootUrl` to make the base of method paths, `drive/v3/`.
    pub service_path: String,
    /// Deprecated: do not build URLs from it (kept for display).
    pub base_url: String,
    /// Path of the batch endpoint relative to `rootUrl`, `batch/drive/v3`.
    pub batch_path: String,
    /// The mTLS variant of `rootUrl`.
    pub mtls_root_url: String,
    /// Parameters every method accepts (`fields`, `alt`, `quotaUser`, ...).
    pub parameters: OrderedMap<JsonSchema>,
    /// The OAuth scopes the API knows.
    pub auth: Auth,
    /// Top-level resources (each parsed on first use).
    pub resources: OrderedMap<Lazy<RestResource>>,
    /// Top-level methods (a few APIs have some).
    pub methods: OrderedMap<RestMethod>,
    /// The schemas, unparsed (see [`RestDescription::schema`] and
    /// [`RestDescription::schemas_json`]).
    #[serde(skip_serializing_if = "Schemas::is_absent")]
    schemas: Schemas,
}

/// The `schemas` section as raw JSON. For a document made from the method index it is read
/// from the full bundled document on first use (`deferred` names that document).
#[derive(Debug, Clone, Default)]
pub(crate) struct Schemas {
    raw: OnceLock<Option<Box<RawValue>>>,
    deferred: Option<(&'static str, &'static str)>,
    /// Where each schema's JSON lies in `raw` (byte range), found by one pass on first use:
    /// looking a schema up must not re-read the whole section (megabytes for the largest
    /// APIs) on every request body checked.
    index: OnceLock<HashMap<String, Range<usize>>>,
}

impl Schemas {
    /// Schemas to be read from the bundled document `name` `version` when first asked for.
    pub(crate) fn deferred(name: &'static str, version: &'static str) -> Schemas {
        Schemas {
            raw: OnceLock::new(),
            deferred: Some((name, version)),
            index: OnceLock::new(),
        }
    }

    /// The raw JSON text of the schema `name`, found through the index.
    fn entry(&self, name: &str) -> Option<&str> {
        let raw = self.get()?.get();
        let index = self.index.get_or_init(|| {
            let base = raw.as_ptr() as usize;
            serde_json::from_str::<HashMap<String, &RawValue>>(raw)
                .map(|all| {
                    all.into_iter()
                        .map(|(k, v)| {
                            let start = v.get().as_ptr() as usize - base;
                            (k, start..start + v.get().len())
                        })
                        .collect()
                })
                .unwrap_or_default()
        });
        raw.get(index.get(name)?.clone())
    }

    fn get(&self) -> Option<&RawValue> {
        self.raw
            .get_or_init(|| {
                self.deferred
                    .and_then(|(name, version)| crate::method_index::full_schemas(name, version))
            })
            .as_deref()
    }

    fn is_absent(&self) -> bool {
        self.get().is_none()
    }
}

impl<'de> Deserialize<'de> for Schemas {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Schemas {
            raw: OnceLock::from(Option::<Box<RawValue>>::deserialize(d)?),
            deferred: None,
            index: OnceLock::new(),
        })
    }
}

impl Serialize for Schemas {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl RestDescription {
    /// Parses a Discovery document.
    pub fn from_json(json: &str) -> Result<RestDescription, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// Parses a Discovery document from bytes (UTF-8 JSON).
    ///
    /// Through [`RestDescription::from_json`]: `serde_json::from_slice` would compile the
    /// whole model's deserializer a second time, for another reader, in every build.
    pub fn from_slice(json: &[u8]) -> Result<RestDescription, serde_json::Error> {
        let text = std::str::from_utf8(json).map_err(|e| {
            <serde_json::Error as serde::de::Error>::custom(format_args!(
                "the document is not UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ))
        })?;
        Self::from_json(text)
    }

    /// The raw `schemas` object, if the document has one (a document made from the method
    /// index reads it from the full bundled document now, once).
    pub fn schemas_json(&self) -> Option<&RawValue> {
        self.schemas.get()
    }

    /// Whether this document was made from the method index: every method and parameter as
    /// the document has them, but no descriptions (schemas are read on first use). Show
    /// descriptions from the full document ([`crate::bundle::document_json`]).
    pub fn is_method_index(&self) -> bool {
        self.schemas.deferred.is_some()
    }

    pub(crate) fn defer_schemas(&mut self, name: &'static str, version: &'static str) {
        self.schemas = Schemas::deferred(name, version);
    }

    /// Parses and returns the schema `name` (as referenced by `$ref`), if the document has it.
    pub fn schema(&self, name: &str) -> Option<JsonSchema> {
        // Parse only the one entry we need (the section is indexed once per document).
        serde_json::from_str(self.schemas.entry(name)?).ok()
    }

    /// The names of all schemas, in document order.
    pub fn schema_names(&self) -> Vec<String> {
        let Some(raw) = self.schemas_json() else {
            return Vec::new();
        };
        serde_json::from_str::<OrderedMap<serde::de::IgnoredAny>>(raw.get())
            .map(|m| m.0.into_iter().map(|(k, _)| k).collect())
            .unwrap_or_default()
    }

    /// Finds a method by dotted path (`files.list`, `projects.locations.instances.get`);
    /// [`RestDescription::lookup`] says why when it is not found.
    pub fn method(&self, dotted: &str) -> Option<&RestMethod> {
        let parts: Vec<&str> = dotted.split('.').collect();
        match self.lookup(&parts).ok()?.target {
            crate::lookup::Target::Method(m) => Some(m),
            _ => None,
        }
    }

    /// Every method with its dotted path, depth first in document order.
    pub fn all_methods(&self) -> Vec<(String, &RestMethod)> {
        let mut out = Vec::new();
        for (n, m) in self.methods.iter() {
            out.push((n.to_string(), m));
        }
        fn walk<'a>(prefix: &str, r: &'a RestResource, out: &mut Vec<(String, &'a RestMethod)>) {
            for (n, m) in r.methods.iter() {
                out.push((format!("{prefix}.{n}"), m));
            }
            for (n, sub) in r.resources.iter() {
                walk(&format!("{prefix}.{n}"), sub, out);
            }
        }
        for (n, r) in self.resources.iter() {
            walk(n, r, &mut out);
        }
        out
    }

    /// `rootUrl + servicePath`: the base of every method path.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.root_url, self.service_path)
    }
}

/// The `auth` section.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Auth {
    /// OAuth 2.0 details.
    pub oauth2: OAuth2,
}

/// The `auth.oauth2` section.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct OAuth2 {
    /// Scope URL → description.
    pub scopes: OrderedMap<ScopeInfo>,
}

/// One scope's description.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ScopeInfo {
    /// What the scope allows.
    pub description: String,
}

/// A resource: a group of methods and sub-resources (`files`, `projects.locations`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RestResource {
    /// Methods of this resource.
    pub methods: OrderedMap<RestMethod>,
    /// Nested resources (each parsed on first use).
    pub resources: OrderedMap<Lazy<RestResource>>,
    /// Whether the resource is deprecated.
    pub deprecated: bool,
}

/// One API method.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RestMethod {
    /// Unique id, `drive.files.list`.
    pub id: String,
    /// RFC 6570 path relative to the service base (`files/{fileId}`, `v1/{+name}`).
    pub path: String,
    /// An alternative path with placeholders of other names: never used to build URLs.
    pub flat_path: String,
    /// `GET`, `POST`, ...
    pub http_method: String,
    /// A human description.
    pub description: String,
    /// The method's own parameters.
    pub parameters: OrderedMap<JsonSchema>,
    /// Required parameters in their canonical order.
    pub parameter_order: Vec<String>,
    /// The request body schema.
    pub request: Option<SchemaRef>,
    /// The response schema.
    pub response: Option<SchemaRef>,
    /// OAuth scopes any one of which allows the call.
    pub scopes: Vec<String>,
    /// Whether the method accepts a media upload.
    pub supports_media_upload: bool,
    /// Media upload details.
    pub media_upload: Option<MediaUpload>,
    /// Whether the method can return media (`alt=media`).
    pub supports_media_download: bool,
    /// Whether downloads go through the `download/` service path.
    pub use_media_download_service: bool,
    /// Whether the method supports subscriptions (watch).
    pub supports_subscription: bool,
    /// Sent as `X-Goog-Api-Version` when present.
    pub api_version: Option<String>,
    /// Whether the method is deprecated.
    pub deprecated: bool,
}

impl RestMethod {
    /// The HTTP method, `GET` when the document omits it.
    pub fn http_method_or_get(&self) -> &str {
        if self.http_method.is_empty() {
            "GET"
        } else {
            &self.http_method
        }
    }
}

/// A reference to a schema (`{"$ref": "File"}`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SchemaRef {
    /// The schema name.
    #[serde(rename = "$ref")]
    pub reference: String,
    /// Legacy name of the body parameter (`resource`, `body`).
    pub parameter_name: Option<String>,
}

/// Media upload details of a method.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MediaUpload {
    /// Accepted MIME ranges (`*/*`, `image/*`).
    pub accept: Vec<String>,
    /// Maximum size, like `5120GB`.
    pub max_size: Option<String>,
    /// Upload protocols and their paths.
    pub protocols: MediaProtocols,
}

/// The protocols a media upload offers.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MediaProtocols {
    /// Single request (media or multipart).
    pub simple: Option<MediaProtocol>,
    /// Resumable session.
    pub resumable: Option<MediaProtocol>,
}

/// One upload protocol.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MediaProtocol {
    /// Whether metadata may travel with the media.
    pub multipart: bool,
    /// Absolute path template (`/upload/drive/v3/files`), relative to `rootUrl`.
    pub path: String,
}

/// A JSON schema as Discovery writes it: used for parameters and for request/response bodies.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct JsonSchema {
    /// Schema id (top-level schemas).
    pub id: Option<String>,
    /// `string`, `integer`, `number`, `boolean`, `object`, `array`, `any`.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// Refines the type: `int32`, `uint32`, `int64`, `uint64`, `double`, `float`, `byte`,
    /// `date`, `date-time`, `google-datetime`, `google-duration`, `google-fieldmask`.
    pub format: Option<String>,
    /// A human description.
    pub description: Option<String>,
    /// A reference to a named schema.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Object properties.
    pub properties: OrderedMap<JsonSchema>,
    /// Schema of the values of a map-like object.
    #[serde(deserialize_with = "lenient_boxed_schema")]
    pub additional_properties: Option<Box<JsonSchema>>,
    /// Element schema of an array.
    #[serde(deserialize_with = "lenient_boxed_schema")]
    pub items: Option<Box<JsonSchema>>,
    /// Allowed values.
    #[serde(rename = "enum")]
    pub enum_: Vec<String>,
    /// Descriptions of the allowed values.
    pub enum_descriptions: Vec<String>,
    /// Deprecation flags of the allowed values.
    pub enum_deprecated: Vec<bool>,
    /// Whether the parameter is required.
    #[serde(deserialize_with = "lenient_bool")]
    pub required: bool,
    /// A regular expression the value must match entirely.
    pub pattern: Option<String>,
    /// Whether the parameter may be given several times.
    pub repeated: bool,
    /// The server's default (informational).
    #[serde(deserialize_with = "lenient_string")]
    pub default: Option<String>,
    /// `query` or `path` for parameters.
    pub location: Option<String>,
    /// Minimum value, as a string.
    #[serde(deserialize_with = "lenient_string")]
    pub minimum: Option<String>,
    /// Maximum value, as a string.
    #[serde(deserialize_with = "lenient_string")]
    pub maximum: Option<String>,
    /// Whether the property is output only.
    pub read_only: bool,
    /// Whether the parameter or property is deprecated.
    pub deprecated: bool,
}

impl JsonSchema {
    /// Parses a schema (a parameter's or a `schemas` entry) from JSON text. Other crates call
    /// this rather than `serde_json::from_*::<JsonSchema>`, which would compile the schema's
    /// deserializer again in each of them.
    pub fn from_json(json: &str) -> Result<JsonSchema, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The declared type, `string` when absent.
    pub fn type_name(&self) -> &str {
        self.type_.as_deref().unwrap_or("string")
    }
}

fn lenient_boxed_schema<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Box<JsonSchema>>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    // Parsed again from its text, not with `from_value`: the model then has one deserializer
    // (from text) instead of two in every program. The value came through the outer parser,
    // so its nesting is bounded by that parser's recursion limit all the same.
    Ok(match v {
        serde_json::Value::Object(_) => serde_json::from_str(&v.to_string()).ok().map(Box::new),
        _ => None,
    })
}

fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Bool(b) => b,
        serde_json::Value::String(s) => s == "true",
        _ => false,
    })
}

fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::JsonSchema;

    /// Bytes parse as the same text does; bytes that are not UTF-8 are an error saying so.
    #[test]
    fn from_slice_reads_utf8_bytes_and_refuses_others() {
        let json = r#"{"name":"x","version":"v1","title":"caf\u00e9 é"}"#;
        let doc = super::RestDescription::from_slice(json.as_bytes()).unwrap();
        assert_eq!(
            doc.title,
            super::RestDescription::from_json(json).unwrap().title
        );
        let e = super::RestDescription::from_slice(b"{\"name\":\"\xff\"}").unwrap_err();
        assert!(
            e.to_string()
                .contains("not UTF-8 (invalid byte at offset 9)"),
            "{e}"
        );
        assert!(super::RestDescription::from_slice(b"{").is_err());
    }

    /// `items` and `additionalProperties` are schemas when they are objects that parse, and
    /// absent otherwise (`true`, a string, an object of the wrong shape), at any depth.
    #[test]
    fn nested_schemas_are_lenient() {
        let schema: JsonSchema = serde_json::from_str(
            r#"{"type":"array","items":{"type":"array","items":{"type":"integer",
                "format":"int64","minimum":1,"default":7}},
                "additionalProperties":true}"#,
        )
        .unwrap();
        let inner = schema.items.as_ref().unwrap().items.as_ref().unwrap();
        assert_eq!(inner.type_name(), "integer");
        assert_eq!(inner.format.as_deref(), Some("int64"));
        assert_eq!(inner.minimum.as_deref(), Some("1"));
        assert_eq!(inner.default.as_deref(), Some("7"));
        assert!(schema.additional_properties.is_none());
        for bad in [r#""string""#, "[1]", r#"{"properties":5}"#, "null"] {
            let text = format!(r#"{{"type":"object","additionalProperties":{bad},"items":{bad}}}"#);
            let schema: JsonSchema = serde_json::from_str(&text).unwrap();
            assert!(schema.additional_properties.is_none(), "{bad}");
            assert!(schema.items.is_none(), "{bad}");
        }
        // Nested past serde_json's recursion limit: an error, never a stack overflow.
        let deep = format!("{}{}", r#"{"items":"#.repeat(10_000), "}".repeat(10_000));
        assert!(serde_json::from_str::<JsonSchema>(&deep).is_err());
    }
}
