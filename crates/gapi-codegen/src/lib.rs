//! Generates one self-contained, rustfmt-clean Rust module for chosen methods of a Google API
//! and the schemas they reach, from the API's Discovery document. The module needs only the
//! `gapi` crate (its `gapi::typed` runtime) and no Discovery document at run time: it carries
//! its methods as a small excerpt. Check it in (`gapi codegen drive:v3 files.list -o
//! src/drive.rs`), or make it at build time:
//!
//! ```no_run
//! // build.rs, in `fn main`:
//! gapi_codegen::Builder::new("drive:v3")
//!     .methods(["files.list", "files.get"])
//!     .write_to_out_dir("drive.rs")
//!     .expect("the Drive module is generated");
//! // src/main.rs: mod drive { include!(concat!(env!("OUT_DIR"), "/drive.rs")); }
//! ```
//!
//! What a module holds: a hub (`drive::Drive::new(credentials)`, `.endpoint(url)`), one
//! function per method on its resource (`hub.files().get(file_id)`: required parameters as
//! arguments, the request body typed), a builder per method with a snake_case setter per
//! optional parameter and `execute()` answering the response type, `pages()` / `items()` for
//! list methods and `upload()` / `download()` for media; a struct per object schema
//! (`Option` fields renamed to the wire names, 64-bit integers read from strings, unknown
//! fields kept in `extra`, cycles boxed), an enum per value list (unknown values kept as
//! `Other`), and `scopes` constants.
#![deny(missing_docs)]

mod docs;
mod emit;
mod names;
mod spec;
mod types;
mod writer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gapi_discovery::{JsonSchema, RestDescription};

/// Why a module could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The document could not be found, read or parsed.
    #[error("{0}")]
    Document(String),
    /// A method name is not in the document.
    #[error("{0}")]
    UnknownMethod(String),
    /// No method was named.
    #[error("name at least one method (`files.list`), a resource's methods (`files.*`) or `*`")]
    NoMethods,
    /// Writing the module failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Where the document comes from.
#[derive(Debug, Clone)]
enum Source {
    Bundled(String, String),
    File(PathBuf),
    Json(String),
}

/// Makes a module: name the API and the methods, then [`Builder::generate`] or write it.
#[derive(Debug, Clone)]
#[must_use]
pub struct Builder {
    source: Source,
    methods: Vec<String>,
    command: Option<String>,
}

impl Builder {
    /// The bundled document of `api` (`drive:v3`; `drive` for the preferred version).
    pub fn new(api: &str) -> Builder {
        let (name, version) = api.split_once(':').unwrap_or((api, ""));
        Builder {
            source: Source::Bundled(name.to_string(), version.to_string()),
            methods: Vec::new(),
            command: None,
        }
    }

    /// A Discovery document file instead of a bundled one.
    pub fn document_file(path: impl Into<PathBuf>) -> Builder {
        Builder {
            source: Source::File(path.into()),
            methods: Vec::new(),
            command: None,
        }
    }

    /// A Discovery document given as JSON text.
    pub fn document_json(json: impl Into<String>) -> Builder {
        Builder {
            source: Source::Json(json.into()),
            methods: Vec::new(),
            command: None,
        }
    }

    /// Adds methods by dotted path (`files.list`); `files.*` takes every method of a resource
    /// (and its sub-resources), `*` every method of the API.
    pub fn methods<I, S>(mut self, methods: I) -> Builder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.methods.extend(methods.into_iter().map(Into::into));
        self
    }

    /// The command written in the module's header as the way to make it again (default:
    /// the `gapi codegen` command line for the same API and methods).
    pub fn command(mut self, command: impl Into<String>) -> Builder {
        self.command = Some(command.into());
        self
    }

    /// The module's text.
    pub fn generate(&self) -> Result<String, Error> {
        let doc = self.document()?;
        let schemas: BTreeMap<String, JsonSchema> = match doc.schemas_json() {
            Some(raw) => serde_json::from_str(raw.get()).map_err(|e| {
                Error::Document(format!("the document's schemas do not parse: {e}"))
            })?,
            None => BTreeMap::new(),
        };
        let methods = select(&doc, &self.methods)?;
        let command = self.command.clone().unwrap_or_else(|| {
            let api = match &self.source {
                Source::Bundled(..) | Source::Json(_) => format!("{}:{}", doc.name, doc.version),
                Source::File(p) => p.display().to_string(),
            };
            format!("gapi codegen {api} {} -o FILE.rs", self.methods.join(" "))
        });
        let input = emit::Input {
            doc: &doc,
            schemas: &schemas,
            methods,
            command,
        };
        Ok(emit::render(&input))
    }

    /// Writes the module to `path` (only when its text changed, so builds stay incremental).
    pub fn write_to(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        let text = self.generate()?;
        if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        std::fs::write(path, text).map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })
    }

    /// For a build script: writes the module as `$OUT_DIR/{file_name}` and tells Cargo to
    /// run the script again when a document file it read changes.
    pub fn write_to_out_dir(&self, file_name: &str) -> Result<PathBuf, Error> {
        let dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Error::Document("OUT_DIR is not set: call write_to_out_dir from a build script".into())
        })?;
        if let Source::File(p) = &self.source {
            println!("cargo:rerun-if-changed={}", p.display());
        }
        let path = Path::new(&dir).join(file_name);
        self.write_to(&path)?;
        Ok(path)
    }

    fn document(&self) -> Result<RestDescription, Error> {
        let json = match &self.source {
            Source::Json(j) => j.clone(),
            Source::File(p) => std::fs::read_to_string(p)
                .map_err(|e| Error::Document(format!("cannot read {}: {e}", p.display())))?,
            Source::Bundled(name, version) => bundled(name, version)?,
        };
        RestDescription::from_json(&json)
            .map_err(|e| Error::Document(format!("the Discovery document does not parse: {e}")))
    }
}

fn bundled(name: &str, version: &str) -> Result<String, Error> {
    use gapi_discovery::bundle;
    let versions: Vec<&str> = bundle::versions(name).collect();
    if versions.is_empty() {
        return Err(Error::Document(format!(
            "no bundled API is named {name:?}; give a document file instead"
        )));
    }
    let version = if version.is_empty() {
        bundle::preferred_version(name)
            .or(versions.last().copied())
            .unwrap_or_default()
            .to_string()
    } else {
        version.to_string()
    };
    bundle::document_json(name, &version)
        .map_err(|e| Error::Document(e.to_string()))?
        .ok_or_else(|| {
            Error::Document(format!(
                "{name} has no bundled version {version:?}; bundled versions: {}",
                versions.join(", ")
            ))
        })
}

/// The chosen methods, sorted by dotted path, each once.
fn select<'d>(
    doc: &'d RestDescription,
    wanted: &[String],
) -> Result<Vec<(String, &'d gapi_discovery::RestMethod)>, Error> {
    if wanted.is_empty() {
        return Err(Error::NoMethods);
    }
    let all = doc.all_methods();
    let mut chosen: BTreeMap<String, &gapi_discovery::RestMethod> = BTreeMap::new();
    for w in wanted {
        let before = chosen.len();
        if w == "*" {
            chosen.extend(all.iter().map(|(n, m)| (n.clone(), *m)));
        } else if let Some(prefix) = w.strip_suffix(".*") {
            let dotted = format!("{prefix}.");
            chosen.extend(
                all.iter()
                    .filter(|(n, _)| n.starts_with(&dotted))
                    .map(|(n, m)| (n.clone(), *m)),
            );
        } else if let Some((n, m)) = all.iter().find(|(n, _)| n == w) {
            chosen.insert(n.clone(), *m);
        }
        if chosen.len() == before && !chosen.contains_key(w) {
            let mut close: Vec<&str> = all
                .iter()
                .map(|(n, _)| n.as_str())
                .filter(|n| similar(n, w))
                .collect();
            close.truncate(5);
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", close.join(", "))
            };
            return Err(Error::UnknownMethod(format!(
                "{}:{} has no method {w:?}{hint}",
                doc.name, doc.version
            )));
        }
    }
    Ok(chosen.into_iter().collect())
}

/// A loose likeness for suggestions: one name contains the other, or they are at most two
/// edits apart.
fn similar(name: &str, wanted: &str) -> bool {
    name.contains(wanted) || wanted.contains(name) || edits(name, wanted) <= 2
}

/// Levenshtein distance (ASCII case folded).
fn edits(a: &str, b: &str) -> usize {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
