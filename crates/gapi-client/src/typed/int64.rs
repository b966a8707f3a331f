//! Google's JSON mapping sends 64-bit integers (`int64`, `uint64`) as strings (`"16"`), so
//! they survive JavaScript's doubles. This module reads them as Rust integers and writes them
//! back as strings; use it on your own types as
//! `#[serde(default, with = "gapi::typed::int64")]` on an `i64`, `u64`, an `Option` of one,
//! a `Vec` of them, or a map of them. Reading also accepts plain JSON numbers.
//!
//! ```
//! # use gapi_client::typed::int64;
//! #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! struct File {
//!     #[serde(default, with = "gapi_client::typed::int64", skip_serializing_if = "Option::is_none")]
//!     size: Option<u64>,
//! }
//! let f: File = serde_json::from_str(r#"{"size": "16"}"#).unwrap();
//! assert_eq!(f.size, Some(16));
//! assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"size":"16"}"#);
//! # let _ = int64::serialize::<u64, serde_json::value::Serializer>;
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

/// Writes `value` with its integers as JSON strings.
pub fn serialize<T: StringInt, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize_str_int(serializer)
}

/// Reads `T`, its integers given as JSON strings or numbers.
pub fn deserialize<'de, T: StringInt, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    T::deserialize_str_int(deserializer)
}

/// A value whose 64-bit integers travel as JSON strings: `i64`, `u64` and the `Option`s,
/// `Vec`s, `Box`es and string-keyed maps of them.
pub trait StringInt: Sized {
    /// Writes the value, integers as strings.
    fn serialize_str_int<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the value, integers from strings or numbers.
    fn deserialize_str_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Serializes a `T: StringInt` by reference (for elements of sequences and maps).
struct Out<'a, T>(&'a T);

impl<T: StringInt> serde::Serialize for Out<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_str_int(serializer)
    }
}

/// Deserializes a `T: StringInt` (for elements of sequences and maps).
struct In<T>(T);

impl<'de, T: StringInt> serde::Deserialize<'de> for In<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_str_int(deserializer).map(In)
    }
}

macro_rules! integer {
    ($t:ty, $name:literal) => {
        impl StringInt for $t {
            fn serialize_str_int<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
            fn deserialize_str_int<'de, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, "{} as a string or a number", $name)
                    }
                    fn visit_str<E: de::Error>(self, s: &str) -> Result<$t, E> {
                        s.trim()
                            .parse()
                            .map_err(|_| E::invalid_value(de::Unexpected::Str(s), &self))
                    }
                    fn visit_i64<E: de::Error>(self, n: i64) -> Result<$t, E> {
                        <$t>::try_from(n)
                            .map_err(|_| E::invalid_value(de::Unexpected::Signed(n), &self))
                    }
                    fn visit_u64<E: de::Error>(self, n: u64) -> Result<$t, E> {
                        <$t>::try_from(n)
                            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(n), &self))
                    }
                }
                deserializer.deserialize_any(V)
            }
        }
    };
}

integer!(i64, "an int64");
integer!(u64, "a uint64");

impl<T: StringInt> StringInt for Option<T> {
    fn serialize_str_int<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => serializer.serialize_some(&Out(v)),
            None => serializer.serialize_none(),
        }
    }
    fn deserialize_str_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v: Option<In<T>> = serde::Deserialize::deserialize(deserializer)?;
        Ok(v.map(|In(v)| v))
    }
}

impl<T: StringInt> StringInt for Box<T> {
    fn serialize_str_int<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_str_int(serializer)
    }
    fn deserialize_str_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_str_int(deserializer).map(Box::new)
    }
}

impl<T: StringInt> StringInt for Vec<T> {
    fn serialize_str_int<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for v in self {
            seq.serialize_element(&Out(v))?;
        }
        seq.end()
    }
    fn deserialize_str_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v: Vec<In<T>> = serde::Deserialize::deserialize(deserializer)?;
        Ok(v.into_iter().map(|In(v)| v).collect())
    }
}

macro_rules! map {
    ($m:ident) => {
        impl<T: StringInt> StringInt for $m<String, T> {
            fn serialize_str_int<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.len()))?;
                for (k, v) in self {
                    map.serialize_entry(k, &Out(v))?;
                }
                map.end()
            }
            fn deserialize_str_int<'de, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let v: $m<String, In<T>> = serde::Deserialize::deserialize(deserializer)?;
                Ok(v.into_iter().map(|(k, In(v))| (k, v)).collect())
            }
        }
    };
}

map!(BTreeMap);
map!(HashMap);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize, Default)]
    struct T {
        #[serde(default, with = "super", skip_serializing_if = "Option::is_none")]
        a: Option<i64>,
        #[serde(default, with = "super", skip_serializing_if = "Option::is_none")]
        b: Option<Vec<u64>>,
        #[serde(default, with = "super", skip_serializing_if = "Option::is_none")]
        c: Option<BTreeMap<String, i64>>,
    }

    #[test]
    fn strings_and_numbers_in_strings_out() {
        let t: T = serde_json::from_str(r#"{"a": "-5", "b": ["1", 2], "c": {"x": "9"}}"#).unwrap();
        assert_eq!(t.a, Some(-5));
        assert_eq!(t.b, Some(vec![1, 2]));
        assert_eq!(t.c.as_ref().unwrap()["x"], 9);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"a":"-5","b":["1","2"],"c":{"x":"9"}}"#
        );
        let empty: T = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, T::default());
        let null: T = serde_json::from_str(r#"{"a": null}"#).unwrap();
        assert_eq!(null.a, None);
        let big: T = serde_json::from_str(r#"{"b": ["18446744073709551615"]}"#).unwrap();
        assert_eq!(big.b, Some(vec![u64::MAX]));
    }

    #[test]
    fn bad_values_are_refused_with_what_was_expected() {
        let err = serde_json::from_str::<T>(r#"{"a": "12x"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("an int64 as a string or a number"), "{err}");
        let err = serde_json::from_str::<T>(r#"{"b": ["-1"]}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("a uint64"), "{err}");
    }
}
