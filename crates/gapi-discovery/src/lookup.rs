//! The one walk from names to a method: dotted paths (`files.list`) and command-line words
//! (`files list`) both go through [`RestDescription::lookup`].
//!
//! A name may be a method and a sub-resource at once (`identitytoolkit` has
//! `projects.tenants.accounts` as both): the word after decides. A name followed by another
//! word is the resource; a name that ends the path is the method. A dotted path is the same
//! walk over its parts, so `projects.tenants.accounts.batchCreate` and
//! `projects.tenants.accounts` both resolve.

use crate::model::{RestDescription, RestMethod, RestResource};

/// What a list of names reaches inside a document.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The API itself (no names).
    Api,
    /// A resource (possibly nested).
    Resource(&'a RestResource),
    /// A method.
    Method(&'a RestMethod),
}

/// A successful lookup: the dotted path walked and what it reached.
#[derive(Debug, Clone)]
pub struct Found<'a> {
    /// The names joined by `.` (`files.list`, `projects.tenants.accounts`).
    pub dotted: String,
    /// What the path names.
    pub target: Target<'a>,
}

/// Why a lookup failed, with what was there instead (for "did you mean" messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// No names at all, or an empty name.
    Empty,
    /// `word` is neither a resource nor a method of `parent` (dotted, empty for the API).
    NotFound {
        /// The dotted path that was walked before the failing word.
        parent: String,
        /// The name that matched nothing.
        word: String,
        /// Resources at that level.
        resources: Vec<String>,
        /// Methods at that level.
        methods: Vec<String>,
    },
    /// A word came after a method (methods have nothing below them).
    AfterMethod {
        /// The method's dotted path.
        method: String,
        /// The first word after it.
        word: String,
    },
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LookupError::Empty => f.write_str("empty method name"),
            LookupError::NotFound { parent, word, .. } if parent.is_empty() => {
                write!(f, "the API has no resource or method {word:?}")
            }
            LookupError::NotFound { parent, word, .. } => {
                write!(f, "{parent} has no resource or method {word:?}")
            }
            LookupError::AfterMethod { method, word } => {
                write!(f, "unexpected {word:?} after the method {method}")
            }
        }
    }
}

impl std::error::Error for LookupError {}

impl RestDescription {
    /// Walks `names` from the top of the document (see the module docs for the rule when a
    /// name is both a method and a resource).
    pub fn lookup<'a, S: AsRef<str>>(&'a self, names: &[S]) -> Result<Found<'a>, LookupError> {
        self.walk(names, false)
    }

    /// Walks `names` as the start of a longer path (another word follows the last one), so a
    /// name that is both a method and a resource is the resource: what completing the next
    /// word needs.
    pub fn lookup_prefix<'a, S: AsRef<str>>(
        &'a self,
        names: &[S],
    ) -> Result<Found<'a>, LookupError> {
        self.walk(names, true)
    }

    fn walk<'a, S: AsRef<str>>(
        &'a self,
        names: &[S],
        more_follow: bool,
    ) -> Result<Found<'a>, LookupError> {
        let mut target = Target::Api;
        let mut dotted = String::new();
        for (i, name) in names.iter().enumerate() {
            let name = name.as_ref();
            if name.is_empty() {
                return Err(LookupError::Empty);
            }
            let (resources, methods) = match target {
                Target::Api => (&self.resources, &self.methods),
                Target::Resource(r) => (&r.resources, &r.methods),
                Target::Method(_) => {
                    return Err(LookupError::AfterMethod {
                        method: dotted,
                        word: name.to_string(),
                    });
                }
            };
            let is_last = i + 1 == names.len() && !more_follow;
            let method = methods.get(name);
            let resource = resources.get(name);
            let next = match (method, resource) {
                (Some(m), None) => Target::Method(m),
                (Some(m), Some(_)) if is_last => Target::Method(m),
                (_, Some(r)) => Target::Resource(r.get()),
                (None, None) => {
                    return Err(LookupError::NotFound {
                        parent: dotted,
                        word: name.to_string(),
                        resources: resources.keys().map(str::to_string).collect(),
                        methods: methods.keys().map(str::to_string).collect(),
                    });
                }
            };
            if !dotted.is_empty() {
                dotted.push('.');
            }
            dotted.push_str(name);
            target = next;
        }
        Ok(Found { dotted, target })
    }

    /// Every place where a resource has a method and a sub-resource of the same name, as
    /// dotted paths (`projects.tenants.accounts`), depth first in document order.
    pub fn method_resource_clashes(&self) -> Vec<String> {
        fn walk(
            prefix: &str,
            methods: &crate::OrderedMap<RestMethod>,
            resources: &crate::OrderedMap<crate::Lazy<RestResource>>,
            out: &mut Vec<String>,
        ) {
            for (name, sub) in resources.iter() {
                let path = if prefix.is_empty() {
                    name.to_string()
                } else {
                    format!("{prefix}.{name}")
                };
                if methods.get(name).is_some() {
                    out.push(path.clone());
                }
                walk(&path, &sub.methods, &sub.resources, out);
            }
        }
        let mut out = Vec::new();
        walk("", &self.methods, &self.resources, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> RestDescription {
        RestDescription::from_json(
            r#"{"resources":{"projects":{"resources":{"accounts":{
                "methods":{"batchCreate":{"id":"x.projects.accounts.batchCreate"}}}},
                "methods":{"accounts":{"id":"x.projects.accounts"}}}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn the_word_after_decides_between_method_and_resource() {
        let d = doc();
        let m = d.lookup(&["projects", "accounts"]).unwrap();
        assert!(matches!(m.target, Target::Method(m) if m.id == "x.projects.accounts"));
        let m = d.lookup(&["projects", "accounts", "batchCreate"]).unwrap();
        assert_eq!(m.dotted, "projects.accounts.batchCreate");
        assert!(matches!(m.target, Target::Method(m) if m.id.ends_with("batchCreate")));
        assert_eq!(
            d.method("projects.accounts").unwrap().id,
            "x.projects.accounts"
        );
        assert_eq!(d.method_resource_clashes(), ["projects.accounts"]);
        let prefix = d.lookup_prefix(&["projects", "accounts"]).unwrap();
        assert!(
            matches!(prefix.target, Target::Resource(r) if r.methods.get("batchCreate").is_some())
        );
    }

    #[test]
    fn failures_say_where_and_what_was_there() {
        let d = doc();
        match d.lookup(&["projects", "acounts"]).unwrap_err() {
            LookupError::NotFound {
                parent,
                word,
                resources,
                methods,
            } => {
                assert_eq!((parent.as_str(), word.as_str()), ("projects", "acounts"));
                assert_eq!(
                    (resources, methods),
                    (vec!["accounts".into()], vec!["accounts".into()])
                );
            }
            e => panic!("{e:?}"),
        }
        assert!(matches!(
            d.lookup(&["projects", "accounts", "batchCreate", "x"]),
            Err(LookupError::AfterMethod { .. })
        ));
        assert_eq!(d.lookup::<&str>(&[]).unwrap().dotted, "");
        assert!(d.method("projects").is_none());
    }
}
