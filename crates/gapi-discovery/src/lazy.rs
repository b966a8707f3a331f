//! A part of a document kept as raw JSON and parsed on first use.
//!
//! Building a service for one call needs one resource of the document, not all of them:
//! resources are stored as [`Lazy`] so a build only skims the text, and [`std::ops::Deref`]
//! parses a resource the first time it is looked at.

use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// Raw JSON that becomes a `T` the first time it is dereferenced. A part that does not parse
/// becomes `T::default()` (documents are lenient: a broken part must not break the rest).
pub struct Lazy<T> {
    raw: Box<RawValue>,
    parsed: OnceLock<T>,
}

/// What a [`Lazy`] part becomes: a type of the model, parsed by a function compiled once in
/// this crate. (A generic `serde_json::from_str::<T>` in [`Lazy::get`] would be compiled again
/// in every crate that looks at a resource: the whole model's deserializer, twice in a
/// program.)
pub trait LazyPart: Sized {
    /// Parses `raw`, or gives the empty value when it does not parse.
    fn parse_lenient(raw: &str) -> Self;
}

impl LazyPart for crate::model::RestResource {
    fn parse_lenient(raw: &str) -> Self {
        serde_json::from_str(raw).unwrap_or_default()
    }
}

impl<T: LazyPart> Lazy<T> {
    /// The parsed value, parsing it now if needed.
    pub fn get(&self) -> &T {
        self.parsed.get_or_init(|| T::parse_lenient(self.raw.get()))
    }

    /// The raw JSON text.
    pub fn raw(&self) -> &str {
        self.raw.get()
    }

    /// Whether the value has been parsed already.
    pub fn is_parsed(&self) -> bool {
        self.parsed.get().is_some()
    }
}

impl<T: LazyPart> Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.get()
    }
}

impl<T: Clone> Clone for Lazy<T> {
    fn clone(&self) -> Self {
        let parsed = OnceLock::new();
        if let Some(v) = self.parsed.get() {
            let _ = parsed.set(v.clone());
        }
        Lazy {
            raw: self.raw.clone(),
            parsed,
        }
    }
}

impl<T: LazyPart + fmt::Debug> fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.get(), f)
    }
}

impl<'de, T> Deserialize<'de> for Lazy<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Lazy {
            raw: Box::<RawValue>::deserialize(d)?,
            parsed: OnceLock::new(),
        })
    }
}

impl<T> Serialize for Lazy<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use crate::RestDescription;

    #[test]
    fn resources_parse_on_first_use() {
        let doc = RestDescription::from_json(
            r#"{"resources":{"a":{"methods":{"get":{"path":"a/{id}"}}},"b":{"methods":"not an object"}}}"#,
        )
        .unwrap();
        let a = doc.resources.get("a").unwrap();
        assert!(!a.is_parsed());
        assert_eq!(doc.method("a.get").unwrap().path, "a/{id}");
        assert!(a.is_parsed());
        // A broken part becomes empty instead of failing the whole document.
        assert!(doc.resources.get("b").unwrap().methods.is_empty());
        let again: RestDescription =
            serde_json::from_str(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(again.method("a.get").unwrap().path, "a/{id}");
    }
}
