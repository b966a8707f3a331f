//! Parameter values and their casting: every value is cast to the type the document declares
//! FIRST (strictly: `"false"` is false, `"12x"` is not an integer), then checked against the
//! enum, the pattern (anchored at both ends) and the integer range.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use gapi_discovery::JsonSchema;
use regex_lite::Regex;

use crate::error::Error;

/// A parameter value as the caller gives it; cast to the declared type when the call is prepared.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// Text (also how the CLI passes every value).
    Str(String),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A floating-point number.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// Several values for a repeated parameter.
    List(Vec<ParamValue>),
}

macro_rules! from_int {
    ($($t:ty => $v:ident),*) => {$(
        impl From<$t> for ParamValue {
            fn from(x: $t) -> Self { ParamValue::$v(x as _) }
        }
    )*};
}
from_int!(i8 => Int, i16 => Int, i32 => Int, i64 => Int, isize => Int, u8 => UInt, u16 => UInt, u32 => UInt, u64 => UInt, usize => UInt);

impl From<f64> for ParamValue {
    fn from(x: f64) -> Self {
        ParamValue::Float(x)
    }
}
impl From<f32> for ParamValue {
    fn from(x: f32) -> Self {
        ParamValue::Float(x as f64)
    }
}
impl From<bool> for ParamValue {
    fn from(x: bool) -> Self {
        ParamValue::Bool(x)
    }
}
impl From<&str> for ParamValue {
    fn from(x: &str) -> Self {
        ParamValue::Str(x.to_string())
    }
}
impl From<String> for ParamValue {
    fn from(x: String) -> Self {
        ParamValue::Str(x)
    }
}
impl From<&String> for ParamValue {
    fn from(x: &String) -> Self {
        ParamValue::Str(x.clone())
    }
}
impl<T: Into<ParamValue>> From<Vec<T>> for ParamValue {
    fn from(x: Vec<T>) -> Self {
        ParamValue::List(x.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<ParamValue> + Clone> From<&[T]> for ParamValue {
    fn from(x: &[T]) -> Self {
        ParamValue::List(x.iter().cloned().map(Into::into).collect())
    }
}
impl<T: Into<ParamValue>, const N: usize> From<[T; N]> for ParamValue {
    fn from(x: [T; N]) -> Self {
        ParamValue::List(x.into_iter().map(Into::into).collect())
    }
}

impl ParamValue {
    /// Converts a JSON value (from `--params '{...}'`); objects and null are rejected.
    pub fn from_json(name: &str, v: &serde_json::Value) -> Result<ParamValue, Error> {
        use serde_json::Value;
        Ok(match v {
            Value::String(s) => ParamValue::Str(s.clone()),
            Value::Bool(b) => ParamValue::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    ParamValue::Int(i)
                } else if let Some(u) = n.as_u64() {
                    ParamValue::UInt(u)
                } else {
                    ParamValue::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::Array(a) => ParamValue::List(
                a.iter()
                    .map(|x| ParamValue::from_json(name, x))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Null => {
                return Err(Error::invalid_argument(format!(
                    "parameter '{name}' is null; give a value or leave it out"
                )));
            }
            Value::Object(_) => {
                return Err(Error::invalid_argument(format!(
                    "parameter '{name}' is a JSON object; parameters take strings, numbers, booleans or lists (a request body goes in --json)"
                )));
            }
        })
    }

    fn describe(&self) -> String {
        match self {
            ParamValue::Str(s) => format!("{s:?}"),
            ParamValue::Int(i) => i.to_string(),
            ParamValue::UInt(u) => u.to_string(),
            ParamValue::Float(f) => f.to_string(),
            ParamValue::Bool(b) => b.to_string(),
            ParamValue::List(l) => format!("a list of {} values", l.len()),
        }
    }
}

/// Casts and validates one parameter; returns its wire form (one string per value).
pub fn cast(name: &str, schema: &JsonSchema, value: &ParamValue) -> Result<Vec<String>, Error> {
    match value {
        ParamValue::List(items) => {
            if !schema.repeated && items.len() != 1 {
                return Err(Error::invalid_argument(format!(
                    "parameter '{name}' takes one value, got {} (it is not repeated)",
                    items.len()
                )));
            }
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                if matches!(it, ParamValue::List(_)) {
                    return Err(Error::invalid_argument(format!(
                        "parameter '{name}': nested lists are not allowed"
                    )));
                }
                out.push(cast_one(name, schema, it)?);
            }
            Ok(out)
        }
        v => Ok(vec![cast_one(name, schema, v)?]),
    }
}

fn type_error(name: &str, schema: &JsonSchema, v: &ParamValue, expected: &str) -> Error {
    let fmt = schema
        .format
        .as_deref()
        .map(|f| format!(" ({f})"))
        .unwrap_or_default();
    Error::invalid_argument(format!(
        "parameter '{name}' must be {expected}{fmt}, got {}",
        v.describe()
    ))
}

fn cast_one(name: &str, schema: &JsonSchema, v: &ParamValue) -> Result<String, Error> {
    // Discovery declares 64-bit integers as strings with an integer format: validate them as integers.
    let ty = match (schema.type_name(), schema.format.as_deref()) {
        ("string", Some("int32" | "uint32" | "int64" | "uint64")) => "integer",
        (t, _) => t,
    };
    let text = match ty {
        "boolean" => match v {
            ParamValue::Bool(b) => b.to_string(),
            ParamValue::Str(s) if s == "true" || s == "false" => s.clone(),
            _ => return Err(type_error(name, schema, v, "true or false")),
        },
        "integer" => {
            let n: i128 = match v {
                ParamValue::Int(i) => *i as i128,
                ParamValue::UInt(u) => *u as i128,
                ParamValue::Str(s) => {
                    parse_integer(s).ok_or_else(|| type_error(name, schema, v, "an integer"))?
                }
                ParamValue::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e18 => {
                    *f as i128
                }
                _ => return Err(type_error(name, schema, v, "an integer")),
            };
            let (lo, hi): (i128, i128) = match schema.format.as_deref() {
                Some("uint32") => (0, u32::MAX as i128),
                Some("int64") => (i64::MIN as i128, i64::MAX as i128),
                Some("uint64") => (0, u64::MAX as i128),
                _ => (i32::MIN as i128, i32::MAX as i128),
            };
            if n < lo || n > hi {
                return Err(Error::invalid_argument(format!(
                    "parameter '{name}' is out of range: {n} is not within {lo}..={hi} ({})",
                    schema.format.as_deref().unwrap_or("int32")
                )));
            }
            check_bounds(name, schema, n as f64)?;
            n.to_string()
        }
        "number" => {
            let (f, text) = match v {
                ParamValue::Float(f) => (*f, f.to_string()),
                ParamValue::Int(i) => (*i as f64, i.to_string()),
                ParamValue::UInt(u) => (*u as f64, u.to_string()),
                ParamValue::Str(s) => {
                    let f: f64 = s
                        .trim()
                        .parse()
                        .map_err(|_| type_error(name, schema, v, "a number"))?;
                    (f, s.trim().to_string())
                }
                _ => return Err(type_error(name, schema, v, "a number")),
            };
            if !f.is_finite() {
                return Err(type_error(name, schema, v, "a finite number"));
            }
            check_bounds(name, schema, f)?;
            text
        }
        // string, any, object, array and unknown types travel as text.
        _ => match v {
            ParamValue::Str(s) => s.clone(),
            ParamValue::Int(i) => i.to_string(),
            ParamValue::UInt(u) => u.to_string(),
            ParamValue::Float(f) => f.to_string(),
            ParamValue::Bool(b) => b.to_string(),
            ParamValue::List(_) => return Err(type_error(name, schema, v, "a single value")),
        },
    };
    if !schema.enum_.is_empty() && !schema.enum_.iter().any(|e| e == &text) {
        let mut allowed: Vec<&str> = schema.enum_.iter().map(String::as_str).collect();
        allowed.truncate(30);
        let close = closest(&text, schema.enum_.iter().map(String::as_str));
        let hint = if close.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", close.join(", "))
        };
        return Err(Error::invalid_argument(format!(
            "parameter '{name}' must be one of {}, got {text:?}{hint}",
            allowed.join(", ")
        )));
    }
    if let Some(pat) = schema.pattern.as_deref()
        && let Some(re) = anchored_regex(pat)
        && !re.is_match(&text)
    {
        return Err(Error::invalid_argument(format!(
            "parameter '{name}' does not match the pattern {pat}: {text:?}"
        )));
    }
    Ok(text)
}

/// Strict integer syntax: optional sign, then ASCII digits only.
fn parse_integer(s: &str) -> Option<i128> {
    let t = s.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || digits.len() > 25 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

fn check_bounds(name: &str, schema: &JsonSchema, n: f64) -> Result<(), Error> {
    if let Some(min) = schema
        .minimum
        .as_deref()
        .and_then(|m| m.parse::<f64>().ok())
        && n < min
    {
        return Err(Error::invalid_argument(format!(
            "parameter '{name}' must be at least {min}, got {n}"
        )));
    }
    if let Some(max) = schema
        .maximum
        .as_deref()
        .and_then(|m| m.parse::<f64>().ok())
        && n > max
    {
        return Err(Error::invalid_argument(format!(
            "parameter '{name}' must be at most {max}, got {n}"
        )));
    }
    Ok(())
}

/// Compiles `^(?:pattern)$` once per process with regex-lite, whose `\d \w \s \b` are ASCII as
/// in Google's RE2; `None` when it cannot compile it (lookaround, backreferences, Unicode
/// classes such as `\p{L}`): such patterns are not enforced locally, the server checks.
pub(crate) fn anchored_regex(pattern: &str) -> Option<Regex> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut guard = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = guard.get(pattern) {
        return r.clone();
    }
    let re = regex_lite::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(1 << 20)
        .build()
        .ok();
    if re.is_none() {
        tracing::debug!(
            pattern,
            "pattern not supported by regex-lite; not checked locally"
        );
    }
    if guard.len() > 4096 {
        guard.clear();
    }
    guard.insert(pattern.to_string(), re.clone());
    re
}

/// Up to three of `candidates` that look like `word` (for "did you mean" hints).
pub fn closest<'a>(word: &str, mut candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    closest_of(word, &mut candidates)
}

/// [`closest`] over any iterator, compiled once (a generic body, its sort included, was
/// compiled again for each of the five kinds of iterator it is called with).
fn closest_of(word: &str, candidates: &mut dyn Iterator<Item = &str>) -> Vec<String> {
    let lower = word.to_ascii_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| {
            let cl = c.to_ascii_lowercase();
            let mut s = strsim::jaro_winkler(&lower, &cl);
            if cl == lower {
                s = 2.0;
            } else if !lower.is_empty() && (cl.contains(&lower) || lower.contains(&cl)) {
                s = s.max(0.9);
            }
            (s, c)
        })
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(json: &str) -> JsonSchema {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn booleans_are_strict() {
        let s = schema(r#"{"type":"boolean"}"#);
        assert_eq!(cast("b", &s, &"false".into()).unwrap(), ["false"]);
        assert_eq!(cast("b", &s, &true.into()).unwrap(), ["true"]);
        for bad in ["False", "0", "yes", "", "true "] {
            assert!(cast("b", &s, &bad.into()).is_err(), "{bad}");
        }
    }

    #[test]
    fn integers_are_strict_and_ranged() {
        let s = schema(r#"{"type":"integer","format":"int32"}"#);
        assert_eq!(cast("n", &s, &"12".into()).unwrap(), ["12"]);
        assert_eq!(cast("n", &s, &5.into()).unwrap(), ["5"]);
        for bad in ["12x", "1.5", "", "0x10", "2147483648"] {
            assert!(cast("n", &s, &bad.into()).is_err(), "{bad}");
        }
        let u = schema(r#"{"type":"integer","format":"uint32"}"#);
        assert!(cast("n", &u, &(-1).into()).is_err());
        let big = schema(r#"{"type":"string","format":"int64"}"#);
        assert_eq!(
            cast("n", &big, &"9223372036854775807".into()).unwrap(),
            ["9223372036854775807"]
        );
        let i64s = schema(r#"{"type":"integer","format":"int64"}"#);
        assert!(cast("n", &i64s, &"9223372036854775808".into()).is_err());
        let bounded =
            schema(r#"{"type":"integer","format":"int32","minimum":"1","maximum":"1000"}"#);
        assert!(cast("pageSize", &bounded, &0.into()).is_err());
        assert!(cast("pageSize", &bounded, &1001.into()).is_err());
        assert!(cast("pageSize", &bounded, &1000.into()).is_ok());
    }

    #[test]
    fn enums_patterns_and_repeats() {
        let e = schema(r#"{"type":"string","enum":["user","drive","domain"]}"#);
        let err = cast("corpora", &e, &"usr".into()).unwrap_err().to_string();
        assert!(err.contains("one of") && err.contains("user"), "{err}");
        let p = schema(r#"{"type":"string","pattern":"projects/[^/]+"}"#);
        assert!(cast("name", &p, &"projects/x".into()).is_ok());
        assert!(
            cast("name", &p, &"projects/x/extra".into()).is_err(),
            "anchored at the end"
        );
        assert!(
            cast("name", &p, &"v/projects/x".into()).is_err(),
            "anchored at the start"
        );
        let r = schema(r#"{"type":"string","repeated":true,"enum":["a","b"]}"#);
        assert_eq!(cast("k", &r, &vec!["a", "b"].into()).unwrap(), ["a", "b"]);
        assert!(cast("k", &r, &vec!["a", "c"].into()).is_err());
        let single = schema(r#"{"type":"string"}"#);
        assert!(cast("k", &single, &vec!["a", "b"].into()).is_err());
    }

    #[test]
    fn closest_names() {
        let names = ["pageSize", "pageToken", "orderBy", "q"];
        assert_eq!(closest("pagesize", names.iter().copied())[0], "pageSize");
        assert!(closest("zzzzzz", names.iter().copied()).is_empty());
    }
}
