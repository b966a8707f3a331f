//! The bundled Discovery documents as the generic service needs them: parsed once per API
//! version, with every method's path template split into segments for matching.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use gapi_discovery::model::{JsonSchema, RestDescription};

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Matches itself.
    Literal(String),
    /// `{name}`: one segment, or with `+` (`{+name}`) one or more.
    Var { name: String, rest: bool },
}

/// A method path template (`calendars/{calendarId}/events`, `v1/{+name}`), with the custom
/// verb of its last segment split off (`...:publish`).
#[derive(Debug, Clone)]
pub(crate) struct Template {
    pub segments: Vec<Segment>,
    pub verb: Option<String>,
}

impl Template {
    pub(crate) fn parse(text: &str) -> Self {
        let mut segments = Vec::new();
        let mut verb = None;
        let parts: Vec<&str> = text.split('/').filter(|s| !s.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            let mut part = *part;
            if i + 1 == parts.len()
                && let Some(colon) = part.rfind(':')
                && !part[colon..].contains('}')
            {
                verb = Some(part[colon + 1..].to_owned());
                part = &part[..colon];
            }
            if let Some(inner) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                let (rest, name) = match inner.strip_prefix('+') {
                    Some(n) => (true, n),
                    None => (false, inner),
                };
                segments.push(Segment::Var {
                    name: name.to_owned(),
                    rest,
                });
            } else {
                segments.push(Segment::Literal(part.to_owned()));
            }
        }
        Self { segments, verb }
    }

    /// Matches concrete segments (verb already split off); returns the variables.
    pub(crate) fn matches(
        &self,
        path: &[&str],
        verb: Option<&str>,
    ) -> Option<Vec<(String, String)>> {
        if self.verb.as_deref() != verb {
            return None;
        }
        let mut vars = Vec::new();
        if match_from(&self.segments, path, &mut vars) {
            Some(vars)
        } else {
            None
        }
    }

    /// How many literal segments (more means a more specific template).
    pub(crate) fn literals(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count()
    }
}

fn match_from(template: &[Segment], path: &[&str], vars: &mut Vec<(String, String)>) -> bool {
    match (template.first(), path.first()) {
        (None, None) => true,
        (None, Some(_)) | (Some(_), None) => false,
        (Some(Segment::Literal(l)), Some(p)) => {
            l == p && match_from(&template[1..], &path[1..], vars)
        }
        (Some(Segment::Var { name, rest: false }), Some(p)) => {
            if p.is_empty() {
                return false;
            }
            vars.push((name.clone(), (*p).to_owned()));
            if match_from(&template[1..], &path[1..], vars) {
                true
            } else {
                vars.pop();
                false
            }
        }
        (Some(Segment::Var { name, rest: true }), Some(_)) => {
            // Greedy from the longest, so `{+name}` at the end takes everything.
            for take in (1..=path.len()).rev() {
                vars.push((name.clone(), path[..take].join("/")));
                if match_from(&template[1..], &path[take..], vars) {
                    return true;
                }
                vars.pop();
            }
            false
        }
    }
}

/// Path variables of a match, in template order.
pub(crate) type Vars = Vec<(String, String)>;

/// A method of a document, ready for matching.
#[derive(Debug, Clone)]
pub(crate) struct Method {
    /// `calendar.events.insert`.
    pub id: String,
    /// The method's own name (`insert`, `create`, `publish`).
    pub name: String,
    pub http_method: String,
    /// `flatPath` (every variable one segment) when the document has one, else `path`.
    pub flat: Template,
    /// `path` (may hold `{+name}`), to read resource names.
    pub path: Template,
    pub scopes: Vec<String>,
    pub request: Option<String>,
    pub response: Option<String>,
    /// Query parameters (name → schema).
    pub query_params: Vec<(String, JsonSchema)>,
}

/// One API version, parsed.
pub(crate) struct ApiDoc {
    pub name: String,
    pub service_path: String,
    pub methods: Vec<Method>,
    pub schemas: HashMap<String, JsonSchema>,
}

impl ApiDoc {
    fn load(name: &str, version: &str) -> Option<Self> {
        let text = gapi_discovery::bundle::document_json(name, version).ok()??;
        let doc = RestDescription::from_json(&text).ok()?;
        let methods = doc
            .all_methods()
            .into_iter()
            .map(|(dotted, m)| {
                let name = dotted.rsplit('.').next().unwrap_or(&dotted).to_owned();
                let flat = if m.flat_path.is_empty() {
                    &m.path
                } else {
                    &m.flat_path
                };
                Method {
                    id: if m.id.is_empty() {
                        format!("{}.{dotted}", doc.name)
                    } else {
                        m.id.clone()
                    },
                    name,
                    http_method: m.http_method_or_get().to_ascii_uppercase(),
                    flat: Template::parse(flat),
                    path: Template::parse(&m.path),
                    scopes: m.scopes.clone(),
                    request: m.request.as_ref().map(|r| r.reference.clone()),
                    response: m.response.as_ref().map(|r| r.reference.clone()),
                    query_params: m
                        .parameters
                        .iter()
                        .filter(|(_, p)| p.location.as_deref() == Some("query"))
                        .map(|(n, p)| (n.to_owned(), p.clone()))
                        .collect(),
                }
            })
            .collect();
        let schemas = doc
            .schema_names()
            .into_iter()
            .filter_map(|n| doc.schema(&n).map(|s| (n, s)))
            .collect();
        Some(Self {
            name: doc.name.clone(),
            service_path: doc.service_path.clone(),
            methods,
            schemas,
        })
    }

    /// The best method for `http_method` on `rel` (the path after `servicePath`), with its
    /// path variables; `Err(true)` when the path exists with other methods.
    pub(crate) fn find(&self, http_method: &str, rel: &str) -> Result<(&Method, Vars), bool> {
        let (path, verb) = split_verb(rel);
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut best: Option<(&Method, Vars)> = None;
        let mut path_known = false;
        for m in &self.methods {
            let Some(vars) = m.flat.matches(&segments, verb) else {
                continue;
            };
            path_known = true;
            if m.http_method != http_method {
                continue;
            }
            if best
                .as_ref()
                .is_none_or(|(b, _)| m.flat.literals() > b.flat.literals())
            {
                best = Some((m, vars));
            }
        }
        best.ok_or(path_known)
    }
}

/// `a/b:verb` → (`a/b`, `Some("verb")`); a colon inside earlier segments is kept.
pub(crate) fn split_verb(rel: &str) -> (&str, Option<&str>) {
    let last_slash = rel.rfind('/').map(|i| i + 1).unwrap_or(0);
    match rel[last_slash..].rfind(':') {
        Some(c) => (&rel[..last_slash + c], Some(&rel[last_slash + c + 1..])),
        None => (rel, None),
    }
}

type DocKey = (String, String);

/// Parsed documents, loaded on first use.
#[derive(Default)]
pub(crate) struct Catalog {
    /// By (name, version); `None` when not bundled.
    docs: Mutex<HashMap<DocKey, Option<Arc<ApiDoc>>>>,
}

impl Catalog {
    /// The document of `name` `version`, if bundled.
    pub(crate) fn get(&self, name: &str, version: &str) -> Option<Arc<ApiDoc>> {
        let key = (name.to_owned(), version.to_owned());
        if let Some(d) = self
            .docs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return d.clone();
        }
        // Parse outside the lock: a big document takes a while.
        let doc = ApiDoc::load(name, version).map(Arc::new);
        self.docs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, doc.clone());
        doc
    }

    /// Every bundled version of `name`, the preferred one first.
    pub(crate) fn versions(&self, name: &str) -> Vec<&'static str> {
        let preferred = gapi_discovery::bundle::preferred_version(name);
        let mut all: Vec<&'static str> = gapi_discovery::bundle::versions(name).collect();
        all.sort_by_key(|v| Some(*v) != preferred);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_flat_and_plus_paths() {
        let t = Template::parse("v1/projects/{projectsId}/topics/{topicsId}");
        let vars = t
            .matches(&["v1", "projects", "p", "topics", "t"], None)
            .unwrap();
        assert_eq!(vars[1], ("topicsId".into(), "t".into()));
        assert!(
            t.matches(&["v1", "projects", "p", "topics"], None)
                .is_none()
        );
        let plus = Template::parse("v1/{+name}");
        let vars = plus
            .matches(&["v1", "projects", "p", "topics", "t"], None)
            .unwrap();
        assert_eq!(vars[0].1, "projects/p/topics/t");
        let custom = Template::parse("v1/projects/{projectsId}/topics/{topicsId}:publish");
        assert_eq!(custom.verb.as_deref(), Some("publish"));
        assert!(
            custom
                .matches(&["v1", "projects", "p", "topics", "t"], Some("publish"))
                .is_some()
        );
        assert!(
            custom
                .matches(&["v1", "projects", "p", "topics", "t"], None)
                .is_none()
        );
        assert_eq!(
            split_verb("v1/projects/p/topics/t:publish"),
            ("v1/projects/p/topics/t", Some("publish"))
        );
        assert_eq!(split_verb("users/@me/lists"), ("users/@me/lists", None));
    }
}
