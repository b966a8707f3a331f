//! An API's Discovery document for a command: `drive` / `drive:v3` to a name and version, the
//! document (or its method index) loaded, words resolved to a method, and the help text of
//! what they name (shared by API calls, `gapi describe` and `gapi mcp`).

use gapi_discovery::{JsonSchema, LookupError, RestDescription, RestMethod, RestResource, Target};

use crate::exit;

/// What a list of words names inside an API.
pub enum Node<'a> {
    /// The API itself.
    Api,
    /// A resource (possibly nested), with its dotted path.
    Resource(String, &'a RestResource),
    /// A method, with its dotted path (`files.list`).
    Method(String, &'a RestMethod),
}

/// Splits `api[:version]` and picks the preferred bundled version when none is given.
pub fn api_and_version(word: &str) -> anyhow::Result<(String, String)> {
    let (api, version) = match word.split_once(':') {
        Some((a, v)) => (a.to_string(), Some(v.to_string())),
        None => (word.to_string(), None),
    };
    if api.is_empty() {
        return Err(exit::usage_hint(
            format!(
                "`{word}` names no API: write `<api>` or `<api>:<version>`, e.g. `drive` or `drive:v3`"
            ),
            "`gapi apis` lists the APIs",
        ));
    }
    if version.as_deref().is_some_and(str::is_empty) {
        return Err(exit::usage_hint(
            format!(
                "`{word}` names no version after the colon: write `{api}:<version>`, or `{api}` \
                 for its preferred version"
            ),
            format!("`gapi apis --all {api}` lists its versions"),
        ));
    }
    let bundled = gapi_discovery::bundle::entries()
        .iter()
        .any(|e| e.name == api);
    if !bundled {
        let names = gapi_discovery::bundle::entries().iter().map(|e| e.name);
        let mut names: Vec<&str> = names.collect();
        names.dedup();
        let close = gapi_client::params::closest(&api, names.into_iter());
        let mut msg = format!("unknown API `{api}`");
        if !close.is_empty() {
            msg.push_str(&format!("; did you mean {}?", close.join(", ")));
        }
        return Err(exit::usage_hint(
            msg,
            "`gapi apis` lists the APIs; name a version with `api:version`",
        ));
    }
    let version = match version {
        Some(v) => v,
        None => match gapi_discovery::bundle::preferred_version(&api) {
            Some(v) => v.to_string(),
            None => {
                let versions: Vec<&str> = gapi_discovery::bundle::versions(&api).collect();
                return Err(exit::usage(format!(
                    "`{api}` has no preferred version: name one, `{api}:<version>` ({})",
                    versions.join(", ")
                )));
            }
        },
    };
    Ok((api, version))
}

/// Loads the bundled document of an API.
pub fn load_document(api: &str, version: &str) -> anyhow::Result<RestDescription> {
    gapi_client::service::bundled_document(api, version).map_err(|e| {
        let versions: Vec<&str> = gapi_discovery::bundle::versions(api).collect();
        if versions.is_empty() {
            anyhow::Error::new(e)
        } else {
            exit::usage_hint(
                e.to_string(),
                format!("bundled versions of `{api}`: {}", versions.join(", ")),
            )
        }
    })
}

/// The document for a call: the method index (every method and parameter, no descriptions;
/// schemas read on first use), so a call does not decompress and parse the whole document.
pub fn load_method_index(api: &str, version: &str) -> anyhow::Result<RestDescription> {
    gapi_client::service::bundled_method_index(api, version)
        .or_else(|_| load_document(api, version))
}

/// Resolves resource and method words through the library's one lookup (a name that is both
/// a method and a resource is the resource when more words follow).
pub fn resolve<'a>(doc: &'a RestDescription, words: &[String]) -> anyhow::Result<Node<'a>> {
    match doc.lookup(words) {
        Ok(found) => Ok(match found.target {
            Target::Api => Node::Api,
            Target::Resource(r) => Node::Resource(found.dotted, r),
            Target::Method(m) => Node::Method(found.dotted, m),
        }),
        Err(LookupError::AfterMethod { method, word }) => Err(exit::usage_hint(
            format!("unexpected word `{word}` after the method `{method}`"),
            "parameters go as -p name=value",
        )),
        Err(LookupError::NotFound {
            parent,
            word,
            resources,
            methods,
        }) => {
            let candidates = resources.iter().chain(methods.iter()).map(String::as_str);
            let close = gapi_client::params::closest(&word, candidates);
            let here = if parent.is_empty() {
                doc.name.clone()
            } else {
                parent
            };
            let mut msg = format!("`{here}` has no resource or method `{word}`");
            if !close.is_empty() {
                msg.push_str(&format!("; did you mean {}?", close.join(", ")));
            }
            Err(exit::usage_hint(
                msg,
                format!("`gapi {} --help` lists what it has", doc.name),
            ))
        }
        Err(LookupError::Empty) => Err(exit::usage("an empty word names no resource or method")),
    }
}

/// `prefix` then the words, wrapped at 100 columns with continuation lines indented.
fn wrap_list(prefix: &str, words: &[String]) -> String {
    let indent = " ".repeat(prefix.chars().count());
    let mut out = String::new();
    let mut line = prefix.to_string();
    let mut has_word = false;
    for (i, w) in words.iter().enumerate() {
        let sep = if i + 1 < words.len() { ", " } else { "" };
        if has_word && line.len() + w.len() + sep.len() > 100 {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.clone();
        }
        has_word = true;
        line.push_str(w);
        line.push_str(sep);
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    if line.chars().count() > 100 {
        format!("{}...", line.chars().take(97).collect::<String>())
    } else {
        line.to_string()
    }
}

/// Help text for a node: its description and what lies below it.
pub fn help_text(doc: &RestDescription, node: &Node<'_>, full: bool) -> String {
    let mut out = String::new();
    let prefix = format!("gapi {}:{}", doc.name, doc.version);
    let list = |out: &mut String,
                resources: &gapi_discovery::OrderedMap<gapi_discovery::Lazy<RestResource>>,
                methods: &gapi_discovery::OrderedMap<RestMethod>| {
        if !resources.is_empty() {
            out.push_str("\nResources (and their methods):\n");
            for (name, r) in resources.iter() {
                let mut below: Vec<String> = r.methods.keys().map(str::to_string).collect();
                below.extend(r.resources.keys().map(|k| format!("{k}/")));
                out.push_str(&wrap_list(&format!("  {name:<20} "), &below));
            }
        }
        if !methods.is_empty() {
            out.push_str("\nMethods:\n");
            for (name, m) in methods.iter() {
                out.push_str(&format!("  {name:<24} {}\n", first_line(&m.description)));
            }
        }
    };
    match node {
        Node::Api => {
            out.push_str(&format!(
                "{} ({}:{})\n{}\n",
                doc.title, doc.name, doc.version, doc.description
            ));
            if !doc.documentation_link.is_empty() {
                out.push_str(&format!("Docs: {}\n", doc.documentation_link));
            }
            out.push_str(&format!(
                "\nUsage: {prefix} <resource>... <method> [-p name=value]...\n"
            ));
            list(&mut out, &doc.resources, &doc.methods);
        }
        Node::Resource(path, r) => {
            out.push_str(&format!(
                "Usage: {prefix} {} <method> [-p name=value]...\n",
                path.replace('.', " ")
            ));
            list(&mut out, &r.resources, &r.methods);
        }
        Node::Method(path, m) => {
            out.push_str(&format!(
                "{} {}{}\n\n",
                m.http_method_or_get(),
                doc.root_url.clone() + &doc.service_path + &m.path,
                if m.deprecated { " (deprecated)" } else { "" }
            ));
            out.push_str(m.description.trim());
            out.push_str(&format!(
                "\n\nUsage: {prefix} {} [-p name=value]...",
                path.replace('.', " ")
            ));
            if m.request.is_some() {
                out.push_str(" --json BODY");
            }
            if m.supports_media_upload {
                out.push_str(" [--upload FILE]");
            }
            if m.supports_media_download {
                out.push_str(" [-o FILE]");
            }
            out.push_str(if m.parameters.is_empty() {
                "\n\nParameters: none of its own (the standard ones, e.g. fields and alt, apply)\n"
            } else {
                "\n\nParameters:\n"
            });
            for (name, p) in m.parameters.iter() {
                let mut tags = vec![p.type_name().to_string()];
                if let Some(f) = &p.format {
                    tags.push(f.clone());
                }
                if p.required {
                    tags.push("required".into());
                }
                if p.repeated {
                    tags.push("repeated".into());
                }
                if let Some(loc) = &p.location {
                    tags.push(loc.clone());
                }
                if let Some(d) = &p.default {
                    tags.push(format!("default {d}"));
                }
                out.push_str(&format!("  {name} ({})\n", tags.join(", ")));
                let desc = p.description.as_deref().unwrap_or("");
                let desc = if full {
                    desc.trim().to_string()
                } else {
                    first_line(desc)
                };
                if !desc.is_empty() {
                    out.push_str(&format!("      {}\n", desc.replace('\n', "\n      ")));
                }
                if !p.enum_.is_empty() {
                    out.push_str(&format!("      one of: {}\n", p.enum_.join(", ")));
                }
            }
            if let Some(r) = &m.request {
                out.push_str(&format!("\nRequest body: {}\n", r.reference));
            }
            if let Some(r) = &m.response {
                out.push_str(&format!("Response: {}\n", r.reference));
            }
            if !m.scopes.is_empty() {
                out.push_str("\nScopes (any one):\n");
                for s in &m.scopes {
                    out.push_str(&format!("  {s}\n"));
                }
            }
            out.push_str("\nCommon flags: --params JSON, --fields MASK, --jq EXPR, --page-all, --format json|ndjson|table|csv, --dry-run, -o FILE (gapi --help lists them all)\n");
        }
    }
    out
}

/// How deep inline objects are expanded in a schema tree (named schemas are never expanded:
/// `gapi describe API Name` shows them).
const TREE_DEPTH: usize = 3;

/// A schema as an indented tree: one property per line with its type, flags and the first
/// line of its description.
pub fn schema_text(doc: &RestDescription, name: &str, schema: &JsonSchema) -> String {
    let mut out = format!("Schema {name}");
    let desc = first_line(schema.description.as_deref().unwrap_or(""));
    if !desc.is_empty() {
        out.push_str(&format!(": {desc}"));
    }
    out.push('\n');
    let mut rows = Vec::new();
    tree_rows(schema, 1, &mut rows);
    let width = rows
        .iter()
        .map(|(l, _, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    let twidth = rows
        .iter()
        .map(|(_, t, _)| t.chars().count())
        .max()
        .unwrap_or(0)
        .min(30);
    for (left, ty, text) in rows {
        let line = format!("{left:<width$}  {ty:<twidth$}  {text}");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let refs = referenced(schema);
    if !refs.is_empty() {
        out.push_str(&format!(
            "\nSee also: {} (gapi describe {} NAME)\n",
            refs.join(", "),
            doc.name
        ));
    }
    out
}

fn tree_rows(schema: &JsonSchema, depth: usize, rows: &mut Vec<(String, String, String)>) {
    for (name, p) in schema.properties.iter() {
        let mut flags = Vec::new();
        if p.read_only {
            flags.push("read-only".to_string());
        }
        if p.deprecated {
            flags.push("deprecated".to_string());
        }
        let mut text = first_line(p.description.as_deref().unwrap_or(""));
        if text.chars().count() > 70 {
            text = format!("{}...", text.chars().take(67).collect::<String>());
        }
        if !p.enum_.is_empty() {
            let values = p.enum_.join(", ");
            text = if text.is_empty() {
                format!("one of: {values}")
            } else {
                format!("{text} (one of: {values})")
            };
        }
        let mut ty = gapi_client::method_search::type_label(p);
        if !flags.is_empty() {
            ty.push_str(&format!(" ({})", flags.join(", ")));
        }
        rows.push((format!("{}{name}", "  ".repeat(depth)), ty, text));
        let inner = match (&p.reference, p.items.as_deref()) {
            (None, Some(items)) if items.reference.is_none() => Some(items),
            (None, None) => Some(p),
            _ => None,
        };
        if let Some(inner) = inner
            && depth < TREE_DEPTH
            && !inner.properties.is_empty()
        {
            tree_rows(inner, depth + 1, rows);
        }
    }
}

/// Names of the schemas a schema refers to (directly), sorted.
fn referenced(schema: &JsonSchema) -> Vec<String> {
    fn walk(s: &JsonSchema, out: &mut Vec<String>) {
        if let Some(r) = &s.reference {
            out.push(r.clone());
        }
        for (_, p) in s.properties.iter() {
            walk(p, out);
        }
        if let Some(i) = s.items.as_deref() {
            walk(i, out);
        }
        if let Some(a) = s.additional_properties.as_deref() {
            walk(a, out);
        }
    }
    let mut out = Vec::new();
    for (_, p) in schema.properties.iter() {
        walk(p, &mut out);
    }
    out.sort();
    out.dedup();
    out
}
