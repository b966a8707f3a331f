//! Made-up parameter values for tests that call every method: a value satisfying the
//! parameter's type, enum and (anchored) pattern.

#![allow(dead_code)]

use gapi_client::ParamValue;
use gapi_discovery::JsonSchema;
use regex_syntax::hir::{Class, Hir, HirKind};

/// A value that satisfies the parameter's type, enum and (anchored) pattern.
pub fn dummy(schema: &JsonSchema) -> ParamValue {
    if let Some(e) = schema.enum_.first() {
        return ParamValue::Str(e.clone());
    }
    if let Some(p) = &schema.pattern
        && let Ok(hir) = regex_syntax::parse(p)
    {
        let mut s = String::new();
        generate(&hir, &mut s);
        return ParamValue::Str(s);
    }
    match (schema.type_name(), schema.format.as_deref()) {
        ("boolean", _) => ParamValue::Bool(true),
        ("integer" | "number", _) => {
            ParamValue::Str(schema.minimum.clone().unwrap_or_else(|| "1".into()))
        }
        (_, Some("int64" | "uint64" | "int32" | "uint32")) => ParamValue::Str("1".into()),
        _ => ParamValue::Str("x/y z".into()),
    }
}

fn generate(h: &Hir, out: &mut String) {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
        HirKind::Class(Class::Unicode(c)) => {
            let pick = c
                .iter()
                .flat_map(|r| (r.start()..=r.end()).take(200))
                .find(|ch| ch.is_ascii_alphanumeric())
                .or_else(|| c.iter().next().map(|r| r.start()));
            if let Some(ch) = pick {
                out.push(ch);
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            let pick = c
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .find(|b| b.is_ascii_alphanumeric());
            if let Some(b) = pick.or_else(|| c.iter().next().map(|r| r.start())) {
                out.push(b as char);
            }
        }
        HirKind::Repetition(r) => {
            // At least one repetition when allowed: empty path values are refused.
            let n = if r.min == 0 && r.max != Some(0) {
                1
            } else {
                r.min.min(64)
            };
            for _ in 0..n {
                generate(&r.sub, out);
            }
        }
        HirKind::Capture(c) => generate(&c.sub, out),
        HirKind::Concat(v) => v.iter().for_each(|x| generate(x, out)),
        HirKind::Alternation(v) => {
            if let Some(first) = v.first() {
                generate(first, out)
            }
        }
    }
}
