//! A small RFC 6570 expander for the two forms Discovery paths use: `{name}` (simple:
//! everything but unreserved characters is percent-encoded, `/` included) and `{+name}`
//! (reserved: `/` and the other reserved characters are kept). Never panics.

use std::borrow::Cow;

/// Why a template could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// A `{` without its `}`.
    Unclosed,
    /// An expression this expander does not support (`{?x}`, `{/x*}`, empty `{}`, ...).
    Unsupported(String),
    /// A variable the template needs has no value.
    Missing(String),
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::Unclosed => f.write_str("path template has an unclosed '{'"),
            TemplateError::Unsupported(e) => {
                write!(f, "path template expression {{{e}}} is not supported")
            }
            TemplateError::Missing(n) => write!(f, "path parameter '{n}' has no value"),
        }
    }
}

impl std::error::Error for TemplateError {}

/// The names of the variables a template uses, with whether each is a reserved (`+`) expansion.
pub fn variables(template: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let expr = &after[..close];
        let (name, reserved) = match expr.strip_prefix('+') {
            Some(n) => (n, true),
            None => (expr, false),
        };
        out.push((name.trim_end_matches('*').to_string(), reserved));
        rest = &after[close + 1..];
    }
    out
}

/// Expands `{name}` and `{+name}` in `template` with the values `lookup` gives.
pub fn expand<'a>(
    template: &str,
    lookup: impl Fn(&str) -> Option<Cow<'a, str>>,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            // A stray '}' is literal text; encode it so the result stays a valid URI path.
            encode_into(&mut out, &rest[..open], false);
            out.push_str("%7D");
            rest = &rest[open + 1..];
            continue;
        }
        encode_into(&mut out, &rest[..open], true);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or(TemplateError::Unclosed)?;
        let expr = &after[..close];
        let (name, reserved) = match expr.strip_prefix('+') {
            Some(n) => (n, true),
            None => (expr, false),
        };
        let name = name.strip_suffix('*').unwrap_or(name);
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
        {
            return Err(TemplateError::Unsupported(expr.to_string()));
        }
        let value = lookup(name).ok_or_else(|| TemplateError::Missing(name.to_string()))?;
        encode_into(&mut out, &value, reserved);
        rest = &after[close + 1..];
    }
    encode_into(&mut out, rest, true);
    Ok(out)
}

/// `text` percent-encoded as [`expand`] encodes a value: `{+name}` (`reserved`) keeps the
/// reserved characters, `{name}` keeps only the unreserved ones. Template literals are
/// encoded as reserved text.
pub fn encode(text: &str, reserved: bool) -> String {
    let mut out = String::with_capacity(text.len());
    encode_into(&mut out, text, reserved);
    out
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn is_reserved(b: u8) -> bool {
    matches!(
        b,
        b':' | b'/'
            | b'?'
            | b'#'
            | b'['
            | b']'
            | b'@'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
    )
}

fn encode_into(out: &mut String, s: &str, keep_reserved: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if is_unreserved(b) || (keep_reserved && is_reserved(b)) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(t: &str, vals: &[(&str, &str)]) -> Result<String, TemplateError> {
        expand(t, |n| {
            vals.iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| Cow::Owned(v.to_string()))
        })
    }

    #[test]
    fn simple_and_reserved_expansion() {
        assert_eq!(
            ex("files/{fileId}", &[("fileId", "a/b c")]).unwrap(),
            "files/a%2Fb%20c"
        );
        assert_eq!(
            ex("v1/{+name}", &[("name", "projects/p/locations/l")]).unwrap(),
            "v1/projects/p/locations/l"
        );
        assert_eq!(
            ex("v1/{+name}:run", &[("name", "a b/é")]).unwrap(),
            "v1/a%20b/%C3%A9:run"
        );
        assert_eq!(
            ex(
                "b/{bucket}/o/{object}",
                &[("bucket", "x"), ("object", "dir/f?.txt")]
            )
            .unwrap(),
            "b/x/o/dir%2Ff%3F.txt"
        );
    }

    #[test]
    fn tricky_inputs_never_panic() {
        let tricky = [
            "",
            "{",
            "}",
            "{}",
            "{+}",
            "{{x}}",
            "%\u{8800}",
            "{x",
            "x}",
            "{é}",
            "{+é}",
            "{?x}",
            "{/x*}",
            "a{x}b{+y}c",
            "\u{0}{x}",
            "{x}{x}{x}",
            "{+x*}",
            "{ x }",
            "{+",
            "}{",
            "\u{10FFFF}{x}\u{10FFFF}",
        ];
        for t in tricky {
            for v in ["", "/", "%", "%zz", "\u{8800}", "{x}", "a/b?c#d", "\u{0}"] {
                let _ = ex(t, &[("x", v), ("y", v)]);
            }
        }
        assert_eq!(ex("{x", &[("x", "1")]), Err(TemplateError::Unclosed));
        assert!(matches!(
            ex("{?x}", &[("x", "1")]),
            Err(TemplateError::Unsupported(_))
        ));
        assert_eq!(ex("a/{x}", &[]), Err(TemplateError::Missing("x".into())));
        assert_eq!(ex("a}b", &[]).unwrap(), "a%7Db");
    }

    #[test]
    fn lists_variables() {
        assert_eq!(
            variables("v1/{+name}/x/{id}"),
            vec![("name".to_string(), true), ("id".to_string(), false)]
        );
    }
}
