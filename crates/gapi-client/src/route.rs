//! Which methods a request reaches: the path of a URL resolved back to the methods of the
//! API's Discovery document, so that a [`crate::policy::Policy`] judges what is sent rather
//! than the name the caller asked for.
//!
//! Google routes a request by its HTTP verb and path against each method's path template:
//! `files/{fileId}`, or `v1/{+name}:access` where `name` matches the parameter's `pattern`
//! (`projects/*/secrets/*/versions/*`). A path value can make one method's URL fit another
//! method's template: a `:access` suffix in `{+name}`, a `..` segment, a file id that is
//! another method's literal (`files/generateIds`). [`RouteTable::resolve`] returns every
//! method the path may reach: the path as sent, and also percent-decoded (up to
//! [`DECODE_ROUNDS`] times) with dot segments removed, backslashes read as slashes, repeated
//! slashes merged and a trailing slash dropped, in case a server normalizes more than Google
//! documents. It errs towards more methods, never fewer: a template it cannot read, a pattern
//! the regex crate cannot compile or a match too costly to decide counts as a match.

use std::borrow::Cow;
use std::collections::BTreeSet;

use gapi_discovery::{RestDescription, RestMethod};

/// How many times a path is percent-decoded in search of another reading (`%252e` is `.`
/// after two rounds); a path that still changes after that is [`Reach::Outside`].
pub const DECODE_ROUNDS: usize = 4;

/// Steps one template may take to match one reading before it counts as a match.
const MATCH_BUDGET: u32 = 20_000;

/// Where a request goes, as far as the document can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach<'a> {
    /// Every method (at least one) whose verb and template the path fits, sorted by id.
    Methods(Vec<&'a str>),
    /// The path is under the API's base URL but fits no template of its verb.
    Nothing,
    /// Outside what the document describes: another scheme, host or port, not under the
    /// API's base URL, climbing out of it once decoded (`%2e%2e`), or still encoded after
    /// [`DECODE_ROUNDS`] rounds of decoding.
    Outside,
}

#[derive(Debug, Clone)]
enum Token {
    /// Literal text: as the expander sends it (`raw`) and as written (`plain`).
    Lit { raw: String, plain: String },
    /// A variable: `{+name}` (`reserved`: may span `/`) or `{name}` (one segment). The
    /// parameter's `pattern` constrains a reserved one, as Google's routing does.
    Var {
        reserved: bool,
        pattern: Option<String>,
    },
}

#[derive(Debug, Clone)]
struct Route {
    id: String,
    verb: String,
    /// `None`: the template could not be read; it fits every path under the base.
    tokens: Option<Vec<Token>>,
}

/// The path templates of one API, ready to resolve URLs back to methods. Build it once per
/// service ([`crate::Service::routes`] does).
#[derive(Debug, Clone)]
pub struct RouteTable {
    /// The URLs method paths are appended to: `rootUrl + servicePath` and its `upload/` twin.
    bases: Vec<url::Url>,
    routes: Vec<Route>,
}

impl RouteTable {
    /// The routes of `doc`, whose methods are sent under `root_url` (the document's own
    /// `rootUrl`, or an endpoint that replaces it).
    pub fn new(doc: &RestDescription, root_url: &str) -> RouteTable {
        let bases = [
            format!("{root_url}{}", doc.service_path),
            format!("{root_url}upload/{}", doc.service_path),
        ]
        .iter()
        .filter_map(|b| url::Url::parse(b).ok())
        .collect();
        let routes = doc
            .all_methods()
            .into_iter()
            .map(|(_, m)| Route {
                id: m.id.clone(),
                verb: m.http_method_or_get().to_ascii_uppercase(),
                tokens: parse(m),
            })
            .collect();
        RouteTable { bases, routes }
    }

    /// Every method that `verb url` may reach (see the module documentation).
    pub fn resolve(&self, verb: &str, url: &url::Url) -> Reach<'_> {
        let mut readings: Vec<(String, bool)> = Vec::new();
        for base in &self.bases {
            if let Some(rest) = rest_of(base, url) {
                match readings_of(rest) {
                    Some(r) => readings.extend(r),
                    None => return Reach::Outside,
                }
            }
        }
        if readings.is_empty() {
            return Reach::Outside;
        }
        let verb = verb.to_ascii_uppercase();
        let found: BTreeSet<&str> = self
            .routes
            .iter()
            .filter(|r| r.verb == verb)
            .filter(|r| match &r.tokens {
                None => true,
                Some(tokens) => readings.iter().any(|(text, decoded)| {
                    let mut budget = MATCH_BUDGET;
                    fits(tokens, text, *decoded, &mut budget)
                }),
            })
            .map(|r| r.id.as_str())
            .collect();
        if found.is_empty() {
            Reach::Nothing
        } else {
            Reach::Methods(found.into_iter().collect())
        }
    }
}

/// The method's path template as tokens; `None` when it holds something the expander would
/// refuse or encode (`{?x}`, a stray `}`).
fn parse(m: &RestMethod) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let push_lit = |tokens: &mut Vec<Token>, text: &str| {
        if !text.is_empty() {
            tokens.push(Token::Lit {
                raw: crate::uri_template::encode(text, true),
                plain: text.to_string(),
            });
        }
    };
    let mut rest = m.path.as_str();
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return None;
        }
        push_lit(&mut tokens, &rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let expr = &after[..close];
        let (name, reserved) = match expr.strip_prefix('+') {
            Some(n) => (n, true),
            None => (expr, false),
        };
        let name = name.strip_suffix('*').unwrap_or(name);
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        {
            return None;
        }
        let pattern = if reserved {
            m.parameters.get(name).and_then(|p| p.pattern.clone())
        } else {
            None
        };
        tokens.push(Token::Var { reserved, pattern });
        rest = &after[close + 1..];
    }
    push_lit(&mut tokens, rest);
    Some(tokens)
}

/// The path of `url` after `base`'s, when `url` is on the same origin and under it.
fn rest_of<'u>(base: &url::Url, url: &'u url::Url) -> Option<&'u str> {
    if base.scheme() != url.scheme()
        || base.host_str() != url.host_str()
        || base.port_or_known_default() != url.port_or_known_default()
    {
        return None;
    }
    url.path().strip_prefix(base.path())
}

/// The ways a server may read `rest` (`true`: decoded, compared with plain literals). `None`
/// when a decoded reading climbs out of the base or the path is still encoded after
/// [`DECODE_ROUNDS`] rounds.
fn readings_of(rest: &str) -> Option<Vec<(String, bool)>> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let add = |out: &mut Vec<(String, bool)>, text: String, decoded: bool| {
        let squashed = squash(&text);
        for t in [text, squashed] {
            if !out.iter().any(|(o, d)| *o == t && *d == decoded) {
                out.push((t, decoded));
            }
        }
    };
    add(&mut out, rest.to_string(), false);
    let mut current = rest.to_string();
    for _ in 0..DECODE_ROUNDS {
        let decoded: String = percent_encoding::percent_decode_str(&current)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == current {
            return Some(out);
        }
        add(&mut out, remove_dot_segments(&decoded)?, true);
        if decoded.contains('\\') {
            add(
                &mut out,
                remove_dot_segments(&decoded.replace('\\', "/"))?,
                true,
            );
        }
        current = decoded;
    }
    let decoded = percent_encoding::percent_decode_str(&current).decode_utf8_lossy();
    (decoded == current).then_some(out)
}

/// `a//b/` read as `a/b`: repeated slashes merged, a trailing slash dropped.
fn squash(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

/// RFC 3986 dot-segment removal on a path relative to the base; `None` when `..` climbs
/// above it.
fn remove_dot_segments(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {}
            ".." => {
                out.pop()?;
            }
            s => {
                out.push(s);
                continue;
            }
        }
        if last {
            out.push("");
        }
    }
    Some(out.join("/"))
}

/// Whether `text` fits the template `tokens` (backtracking over where each variable ends).
/// Out of budget counts as a fit.
fn fits(tokens: &[Token], text: &str, decoded: bool, budget: &mut u32) -> bool {
    if *budget == 0 {
        return true;
    }
    *budget -= 1;
    let Some((first, more)) = tokens.split_first() else {
        return text.is_empty();
    };
    match first {
        Token::Lit { raw, plain } => {
            let lit = if decoded { plain } else { raw };
            text.strip_prefix(lit.as_str())
                .is_some_and(|rest| fits(more, rest, decoded, budget))
        }
        Token::Var { reserved, pattern } => {
            let span = if *reserved {
                text.len()
            } else {
                text.find('/').unwrap_or(text.len())
            };
            let re = pattern.as_deref().and_then(crate::params::anchored_regex);
            let next_lit = match more.first() {
                Some(Token::Lit { raw, plain }) => Some(if decoded { plain } else { raw }),
                _ => None,
            };
            // The last token must take the rest; otherwise try every end the next literal allows.
            let first_end = if more.is_empty() { span.max(1) } else { 1 };
            (first_end..=span).any(|end| {
                text.is_char_boundary(end)
                    && next_lit.is_none_or(|l| text[end..].starts_with(l.as_str()))
                    && fits(more, &text[end..], decoded, budget)
                    && re.as_ref().is_none_or(|re| re.is_match(&text[..end]))
            })
        }
    }
}

/// The value rules a policy adds to path parameters: why `value` of a path parameter
/// (`reserved`: a `{+name}` one) may steer a request to another path, or `None`.
///
/// Refused: `?` and `#` (they end the path), dot segments (`.` and `..` between `/` or `\`,
/// also once percent-decoded, `%2e%2e`, `..%2F`), values still encoded after
/// [`DECODE_ROUNDS`] rounds, and in a `{+name}` value a `:` after the last `/` (a custom
/// verb such as `:access` names another method).
pub fn steering(value: &str, reserved: bool) -> Option<Cow<'static, str>> {
    let mut current = value.to_string();
    for round in 0..=DECODE_ROUNDS {
        if current.contains(['?', '#']) {
            return Some("it holds '?' or '#', which end the path".into());
        }
        if current
            .split(['/', '\\'])
            .any(|seg| seg == "." || seg == "..")
        {
            return Some(
                "it holds a dot segment ('.' or '..', maybe percent-encoded), which would move the request to another path"
                    .into(),
            );
        }
        if reserved
            && current
                .rsplit('/')
                .next()
                .is_some_and(|last| last.contains(':'))
        {
            return Some(
                "it ends in a ':verb' suffix after its last '/', which names another method".into(),
            );
        }
        let decoded: String = percent_encoding::percent_decode_str(&current)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == current {
            return None;
        }
        if round == DECODE_ROUNDS {
            break;
        }
        current = decoded;
    }
    Some(format!("it is still percent-encoded after {DECODE_ROUNDS} rounds of decoding").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> RestDescription {
        RestDescription::from_json(
            r#"{"name": "t", "version": "v1", "rootUrl": "https://t.example.com/", "servicePath": "api/",
            "resources": {
              "files": {"methods": {
                "list": {"id": "t.files.list", "path": "files", "httpMethod": "GET"},
                "get": {"id": "t.files.get", "path": "files/{fileId}", "httpMethod": "GET",
                        "parameters": {"fileId": {"type": "string", "location": "path", "required": true}}},
                "generateIds": {"id": "t.files.generateIds", "path": "files/generateIds", "httpMethod": "GET"},
                "delete": {"id": "t.files.delete", "path": "files/{fileId}", "httpMethod": "DELETE",
                        "parameters": {"fileId": {"type": "string", "location": "path", "required": true}}}}},
              "versions": {"methods": {
                "get": {"id": "t.versions.get", "path": "v1/{+name}", "httpMethod": "GET",
                        "parameters": {"name": {"type": "string", "location": "path", "required": true,
                                                "pattern": "^projects/[^/]+/versions/[^/]+$"}}},
                "access": {"id": "t.versions.access", "path": "v1/{+name}:access", "httpMethod": "GET",
                        "parameters": {"name": {"type": "string", "location": "path", "required": true,
                                                "pattern": "^projects/[^/]+/versions/[^/]+$"}}}}}
            }}"#,
        )
        .unwrap()
    }

    fn reach(table: &RouteTable, verb: &str, url: &str) -> Vec<String> {
        match table.resolve(verb, &url::Url::parse(url).unwrap()) {
            Reach::Methods(m) => m.into_iter().map(String::from).collect(),
            Reach::Nothing => vec!["<nothing>".into()],
            Reach::Outside => vec!["<outside>".into()],
        }
    }

    #[test]
    fn plain_urls_reach_their_own_method_only() {
        let t = RouteTable::new(&doc(), "https://t.example.com/");
        let b = "https://t.example.com/api/";
        assert_eq!(reach(&t, "GET", &format!("{b}files")), ["t.files.list"]);
        assert_eq!(reach(&t, "GET", &format!("{b}files/abc")), ["t.files.get"]);
        assert_eq!(
            reach(&t, "DELETE", &format!("{b}files/abc?alt=json")),
            ["t.files.delete"]
        );
        assert_eq!(
            reach(&t, "GET", &format!("{b}v1/projects/p/versions/3")),
            ["t.versions.get"]
        );
        assert_eq!(
            reach(&t, "GET", &format!("{b}v1/projects/p/versions/3:access")),
            ["t.versions.access", "t.versions.get"],
            "the verb suffix fits both: ambiguous, so both are named"
        );
        assert_eq!(
            reach(&t, "GET", &format!("{b}upload/files/x")),
            ["<nothing>"]
        );
        assert_eq!(
            reach(&t, "GET", "https://t.example.com/upload/api/files/x"),
            ["t.files.get"]
        );
    }

    #[test]
    fn steered_urls_reach_the_other_methods() {
        let t = RouteTable::new(&doc(), "https://t.example.com/");
        let b = "https://t.example.com/api/";
        assert_eq!(
            reach(&t, "GET", &format!("{b}files/generateIds")),
            ["t.files.generateIds", "t.files.get"]
        );
        assert_eq!(
            reach(&t, "GET", &format!("{b}files/x%2F..%2F")),
            ["t.files.get", "t.files.list"],
            "decoded, 'files/x/../' is 'files/', read as files.list too"
        );
        assert_eq!(
            reach(&t, "GET", &format!("{b}files/x%3Aaccess")),
            ["t.files.get"]
        );
        assert_eq!(
            reach(&t, "GET", &format!("{b}v1/projects/p/versions/3%3Aaccess")),
            ["t.versions.access", "t.versions.get"]
        );
        for outside in [
            "https://other.example.com/api/files",
            "http://t.example.com/api/files",
            "https://t.example.com:444/api/files",
            "https://t.example.com/apix/files",
            "https://t.example.com/api/files/%2e%2e%2f%2e%2e%2fother",
            "https://t.example.com/api/files/%25252525252e",
        ] {
            assert_eq!(reach(&t, "GET", outside), ["<outside>"], "{outside}");
        }
        assert_eq!(reach(&t, "POST", &format!("{b}files")), ["<nothing>"]);
    }

    #[test]
    fn steering_values_are_named() {
        for (v, reserved) in [
            ("..", false),
            (".", false),
            ("a/../b", true),
            ("a\\..\\b", false),
            ("%2e%2e", false),
            ("%2E%2e", false),
            ("%252e%252e", false),
            ("a%2F..%2Fb", false),
            ("x?y=1", false),
            ("x#y", true),
            ("x%3Fy", false),
            ("projects/p/versions/3:access", true),
            ("projects/p/versions/3%3Aaccess", true),
            ("%25252525252525252e", false),
        ] {
            assert!(steering(v, reserved).is_some(), "{v:?} was not refused");
        }
        for (v, reserved) in [
            ("abc", false),
            ("a.b", false),
            ("...", false),
            ("a:b", false),
            ("projects/google.com:p/versions/3", true),
            ("projects/p/versions/3", true),
            ("dir/file name.txt", false),
            ("100%", false),
        ] {
            assert_eq!(steering(v, reserved), None, "{v:?} was refused");
        }
    }

    #[test]
    fn dot_segments_and_squashing() {
        assert_eq!(remove_dot_segments("a/b/..").as_deref(), Some("a/"));
        assert_eq!(remove_dot_segments("a/./b").as_deref(), Some("a/b"));
        assert_eq!(remove_dot_segments("a/b/../c").as_deref(), Some("a/c"));
        assert_eq!(remove_dot_segments("../x"), None);
        assert_eq!(remove_dot_segments("a/../../x"), None);
        assert_eq!(squash("a//b/"), "a/b");
        assert_eq!(squash("/"), "/");
    }
}
