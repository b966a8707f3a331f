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
//! regex-lite cannot compile or a match too costly to decide counts as a match.
//!
//! When a reading fits several templates, Google's routing picks one: a template with the
//! path's `:verb` over one without, then, at the first segment where two templates differ, a
//! literal over a variable (`files/generateIds` over `files/{fileId}`). [`Reading::winner`]
//! names that method when the rule decides it for certain; a template whose shape is not
//! known segment by segment (a `{+name}` without a pattern, or with `.*`) never wins.

use std::borrow::Cow;
use std::collections::BTreeSet;

use gapi_discovery::{RestDescription, RestMethod};

/// How many times a path is percent-decoded in search of another reading (`%252e` is `.`
/// after two rounds); a path that still changes after that is [`Reach::Outside`].
pub const DECODE_ROUNDS: usize = 4;

/// Steps one template may take to match one reading before it counts as a match.
const MATCH_BUDGET: u32 = 20_000;

/// One way a server may read a request's path, and the methods whose templates it fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading<'a> {
    /// The path after the API's base, as read (`true`: percent-decoded).
    pub path: String,
    /// Whether `path` is a percent-decoded reading.
    pub decoded: bool,
    /// Every method whose verb and template this reading fits, sorted by id.
    pub methods: Vec<&'a str>,
    /// The one Google's routing picks among `methods`, when that is certain.
    pub winner: Option<&'a str>,
}

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
        pattern: Option<regex_lite::Regex>,
    },
}

#[derive(Debug, Clone)]
struct Route {
    id: String,
    verb: String,
    /// `None`: the template could not be read; it fits every path under the base.
    tokens: Option<Vec<Token>>,
    /// The template segment by segment, for precedence; `None` when that shape is unknown.
    shape: Option<Shape>,
}

/// A segment of a template as Google's routing ranks it: a literal over a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Seg {
    Var,
    Lit,
}

/// A template as a sequence of one-segment elements, and whether it ends in a `:verb`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shape {
    segs: Vec<Seg>,
    verb: bool,
}

impl Shape {
    /// Whether a path that fits both templates certainly goes to `self`'s method.
    fn beats(&self, other: &Shape) -> bool {
        match (self.verb, other.verb) {
            (true, false) => return true,
            (false, true) => return false,
            _ => {}
        }
        if self.segs.len() != other.segs.len() {
            return false;
        }
        self.segs
            .iter()
            .zip(&other.segs)
            .find(|(a, b)| a != b)
            .is_some_and(|(a, b)| a > b)
    }
}

/// The path templates of one API, ready to resolve URLs back to methods. Build it once per
/// service ([`crate::Service::routes`] does).
#[derive(Debug, Clone)]
pub struct RouteTable {
    /// The URLs method paths are appended to: `rootUrl + servicePath` and its `upload/` twin.
    bases: Vec<url::Url>,
    routes: Vec<Route>,
    /// Routes of a known shape by (verb, number of segments): a path can only fit those of
    /// its own count, so a lookup tries a few templates instead of all.
    by_count: std::collections::HashMap<(String, usize), Vec<usize>>,
    /// Routes of unknown shape: tried for every path.
    loose: Vec<usize>,
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
            .map(|(_, m)| {
                let tokens = parse(m);
                Route {
                    id: m.id.clone(),
                    verb: m.http_method_or_get().to_ascii_uppercase(),
                    shape: tokens.as_ref().and_then(|_| shape(m)),
                    tokens,
                }
            })
            .collect::<Vec<Route>>();
        let mut by_count: std::collections::HashMap<(String, usize), Vec<usize>> =
            Default::default();
        let mut loose = Vec::new();
        for (i, r) in routes.iter().enumerate() {
            match &r.shape {
                Some(shape) => by_count
                    .entry((r.verb.clone(), shape.segs.len()))
                    .or_default()
                    .push(i),
                None => loose.push(i),
            }
        }
        RouteTable {
            bases,
            routes,
            by_count,
            loose,
        }
    }

    /// Every method that `verb url` may reach, over all readings (see the module
    /// documentation).
    pub fn resolve(&self, verb: &str, url: &url::Url) -> Reach<'_> {
        let Some(readings) = self.readings(verb, url) else {
            return Reach::Outside;
        };
        let found: BTreeSet<&str> = readings
            .iter()
            .flat_map(|r| r.methods.iter().copied())
            .collect();
        if found.is_empty() {
            Reach::Nothing
        } else {
            Reach::Methods(found.into_iter().collect())
        }
    }

    /// Each reading of `url`'s path with the methods of verb `verb` it fits and the one that
    /// certainly wins; `None` when the URL is outside what the document describes
    /// ([`Reach::Outside`]).
    pub fn readings(&self, verb: &str, url: &url::Url) -> Option<Vec<Reading<'_>>> {
        let mut texts: Vec<(String, bool)> = Vec::new();
        for base in &self.bases {
            if let Some(rest) = rest_of(base, url) {
                texts.extend(readings_of(rest)?);
            }
        }
        if texts.is_empty() {
            return None;
        }
        let verb = verb.to_ascii_uppercase();
        let loose: Vec<&Route> = self
            .loose
            .iter()
            .map(|i| &self.routes[*i])
            .filter(|r| r.verb == verb)
            .collect();
        Some(
            texts
                .into_iter()
                .map(|(path, decoded)| {
                    let count = path.split('/').count();
                    let shaped = self
                        .by_count
                        .get(&(verb.clone(), count))
                        .into_iter()
                        .flatten()
                        .map(|i| &self.routes[*i]);
                    let mut fit: Vec<&Route> = loose
                        .iter()
                        .copied()
                        .chain(shaped)
                        .filter(|r| match &r.tokens {
                            None => true,
                            Some(tokens) => {
                                let mut budget = MATCH_BUDGET;
                                fits(tokens, &path, decoded, &mut budget)
                            }
                        })
                        .collect();
                    fit.sort_by(|a, b| a.id.cmp(&b.id));
                    fit.dedup_by(|a, b| a.id == b.id);
                    let winner = fit
                        .iter()
                        .find(|c| {
                            fit.iter().all(|d| {
                                std::ptr::eq(**c, *d)
                                    || matches!((&c.shape, &d.shape), (Some(cs), Some(ds)) if cs.beats(ds))
                            })
                        })
                        .map(|r| r.id.as_str());
                    Reading {
                        path,
                        decoded,
                        methods: fit.iter().map(|r| r.id.as_str()).collect(),
                        winner,
                    }
                })
                .collect(),
        )
    }
}

/// The template of `m` segment by segment: each `{name}` one variable segment, each
/// `{+name}` the segments of its parameter's pattern (`^projects/[^/]+$`: a literal then a
/// variable), a final `:verb` apart. `None` when a segment mixes literal text and a variable,
/// or a `{+name}` has no pattern of that simple form.
fn shape(m: &RestMethod) -> Option<Shape> {
    const VAR: char = '\u{0}';
    let mut flat = String::new();
    let mut rest = m.path.as_str();
    while let Some(open) = rest.find('{') {
        flat.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let expr = &after[..close];
        match expr.strip_prefix('+') {
            None => flat.push(VAR),
            Some(name) => {
                let pattern = m.parameters.get(name)?.pattern.as_deref()?;
                // Matching enforces the pattern only when it compiles: else the shape is unknown.
                crate::params::anchored_regex(pattern)?;
                let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
                let body = body.replace("[^/]+", &VAR.to_string());
                let plain = |p: &str| {
                    p == VAR.to_string()
                        || (!p.is_empty()
                            && p.chars()
                                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '~')))
                };
                if !body.split('/').all(plain) {
                    return None;
                }
                flat.push_str(&body);
            }
        }
        rest = &after[close + 1..];
    }
    flat.push_str(rest);
    let mut pieces: Vec<&str> = flat.split('/').collect();
    let last = pieces.pop()?;
    let (last, verb) = match last.split_once(':') {
        Some((seg, verb)) if !verb.is_empty() && !verb.contains(VAR) => (seg, true),
        Some(_) => return None,
        None => (last, false),
    };
    pieces.push(last);
    let segs = pieces
        .into_iter()
        .map(|p| match p {
            "" => Some(Seg::Lit),
            p if p == VAR.to_string() => Some(Seg::Var),
            p if !p.contains(VAR) && !p.contains(':') => Some(Seg::Lit),
            _ => None,
        })
        .collect::<Option<Vec<Seg>>>()?;
    Some(Shape { segs, verb })
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
            m.parameters
                .get(name)
                .and_then(|p| p.pattern.as_deref())
                .and_then(crate::params::anchored_regex)
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
        // As decoded; with backslashes as slashes; and as a lenient URL parser reads it (tabs
        // and line breaks dropped, blanks at the ends trimmed): each with dot segments removed.
        let slashed = decoded.replace('\\', "/");
        for text in [&decoded, &slashed] {
            let kept: String = text
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            let lenient = kept.trim_matches(|c: char| c.is_whitespace() || c.is_control());
            for t in [text.as_str(), lenient] {
                add(&mut out, remove_dot_segments(t)?, true);
            }
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
        match dot_segment(seg).unwrap_or(seg) {
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

/// `.` or `..` when `seg` is a dot segment as a lenient parser reads it: tabs and line
/// breaks removed (as URL parsers do) and spaces and control characters trimmed.
fn dot_segment(seg: &str) -> Option<&'static str> {
    let kept: String = seg
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match kept.trim_matches(|c: char| c.is_whitespace() || c.is_control()) {
        "." => Some("."),
        ".." => Some(".."),
        _ => None,
    }
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
            let re = pattern.as_ref();
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
                    && re.is_none_or(|re| re.is_match(&text[..end]))
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
            .trim_matches(|c: char| c.is_whitespace() || c.is_control())
            .is_empty()
        {
            return Some(
                "it is blank (maybe percent-encoded), which a lenient parser reads as an empty segment"
                    .into(),
            );
        }
        if current
            .split(['/', '\\'])
            .any(|seg| dot_segment(seg).is_some())
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
            (".. ", false),
            ("%2e%2e%20", false),
            (".\t.", false),
            (" .%0A", true),
            (" ", false),
            ("%20", false),
            ("%09%0A", true),
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
