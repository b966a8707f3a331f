//! Property: under a policy, a request built from random path values is either refused
//! before it is sent, or every method its URL may reach (as an independent router reads it)
//! is one the policy allows, or the one that router certainly picks is.
//!
//! The router here is written apart from `gapi_client::route`: it matches each method's
//! `flatPath` (or `path` with its parameters' patterns) as one regular expression over the
//! whole URL path (a `regex::RegexSet` per API and verb), reads the path as sent and
//! percent-decoded with dot segments removed by the `url` crate, and ranks templates by their
//! `flatPath` segments. Values are drawn by a fixed-seed generator (no proptest: one less
//! dependency to build) from characters and words that steer: `/`, `..`, `:`, `%2e`, `%2F`,
//! `%3A`, `?`, `#`, `\`, and the literal words of the API's own templates (`generateIds`,
//! `:access`). `GAPI_POLICY_CASES` sets the number of cases (default 6,000).

use crate::param_values;

use std::collections::{BTreeSet, HashMap};

use gapi_client::{Policy, Service};
use gapi_discovery::RestMethod;
use param_values::dummy;

/// xorshift64*: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const PIECES: &[&str] = &[
    "a", "Z", "0", "x-y", "/", "/", "/", ".", "..", "...", ":", "%", "%2e", "%2E", "%2e%2e", "%2f",
    "%2F", "%3a", "%3A", "%25", "%252e", "%5c", "?", "#", "\\", " ", "é", "~", "@", "&", "=", "+",
    ";", ",", "*", "$", "!", "'", "(", ")", "[", "]", "latest", "projects",
];

/// One template as an independent router sees it.
struct Template {
    id: String,
    /// `flatPath` (or `path`) segments: `true` for a literal, `false` for a variable; `None`
    /// when a `{+name}` spans an unknown number of segments.
    segs: Option<Vec<bool>>,
    verb: bool,
}

/// The router of one API and verb: a regex per template, as one set.
struct Router {
    set: regex::RegexSet,
    templates: Vec<Template>,
}

fn template_regex(m: &RestMethod) -> (String, Template) {
    // Matching: `path`, each `{+name}` as its pattern (Google's routing), `{name}` one segment.
    let mut re = String::new();
    let mut rest = m.path.as_str();
    let mut multi = false;
    while let Some(open) = rest.find('{') {
        re.push_str(&regex::escape(&rest[..open]));
        let after = &rest[open + 1..];
        let close = after.find('}').unwrap();
        match after[..close].strip_prefix('+') {
            Some(name) => match m.parameters.get(name).and_then(|p| p.pattern.as_deref()) {
                Some(p) => {
                    let p = p.strip_prefix('^').unwrap_or(p);
                    let p = p.strip_suffix('$').unwrap_or(p);
                    multi |= p.contains(".*") || p.contains(".+");
                    re.push_str(&format!("(?:{p})"));
                }
                None => {
                    multi = true;
                    re.push_str(".+");
                }
            },
            None => re.push_str("[^/]+"),
        }
        rest = &after[close + 1..];
    }
    re.push_str(&regex::escape(rest));
    // Ranking: the `flatPath` segments (every variable one segment), unless a variable spans
    // an unknown number of them.
    let flat = if m.flat_path.is_empty() {
        &m.path
    } else {
        &m.flat_path
    };
    let known = !multi && !flat.contains("{+");
    let (segs, verb) = if known {
        let mut shape = String::new();
        let mut rest = flat.as_str();
        while let Some(open) = rest.find('{') {
            shape.push_str(&rest[..open]);
            shape.push('\u{0}');
            let close = rest[open..].find('}').unwrap();
            rest = &rest[open + close + 1..];
        }
        shape.push_str(rest);
        let mut parts: Vec<&str> = shape.split('/').collect();
        let last = parts.pop().unwrap();
        let (last, verb) = match last.split_once(':') {
            Some((s, _)) => (s, true),
            None => (last, false),
        };
        parts.push(last);
        let segs: Option<Vec<bool>> = parts
            .iter()
            .map(|p| match *p {
                "\u{0}" => Some(false),
                p if p.contains('\u{0}') => None,
                _ => Some(true),
            })
            .collect();
        (segs, verb)
    } else {
        (None, false)
    };
    (
        re,
        Template {
            id: m.id.clone(),
            segs,
            verb,
        },
    )
}

impl Router {
    fn new(svc: &Service, verb: &str) -> Router {
        let base = url::Url::parse(&svc.base_url()).unwrap();
        let mut res = Vec::new();
        let mut templates = Vec::new();
        for (_, m) in svc.document().all_methods() {
            if m.http_method_or_get().eq_ignore_ascii_case(verb) {
                let (re, t) = template_regex(m);
                let full = format!("^{}{re}$", regex::escape(base.path()));
                // A pattern the regex crate cannot compile constrains nothing.
                res.push(match regex::Regex::new(&full) {
                    Ok(_) => full,
                    Err(_) => format!("^{}.+$", regex::escape(base.path())),
                });
                templates.push(t);
            }
        }
        Router {
            set: regex::RegexSetBuilder::new(&res)
                .size_limit(1 << 28)
                .build()
                .unwrap(),
            templates,
        }
    }

    /// `a` certainly wins over `b`: the `:verb` one, then a literal before a variable.
    fn beats(a: &Template, b: &Template) -> bool {
        if a.verb != b.verb {
            return a.verb;
        }
        match (&a.segs, &b.segs) {
            (Some(x), Some(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .find(|(p, q)| p != q)
                .is_some_and(|(p, _)| *p),
            _ => false,
        }
    }

    /// For each reading of `path`: the ids it fits and the certain winner.
    fn readings(&self, path: &str) -> Vec<(Vec<&str>, Option<&str>)> {
        let mut texts = vec![path.to_string()];
        let mut current = path.to_string();
        for _ in 0..8 {
            let d = percent_encoding::percent_decode_str(&current)
                .decode_utf8_lossy()
                .into_owned();
            if d == current {
                break;
            }
            for t in [d.clone(), d.replace('\\', "/")] {
                if let Ok(u) = url::Url::parse(&format!("https://h{}", t.replace(['?', '#'], "_")))
                {
                    texts.push(u.path().to_string());
                    let squashed = u.path().replace("//", "/");
                    texts.push(squashed.trim_end_matches('/').to_string());
                }
            }
            current = d;
        }
        texts
            .iter()
            .map(|t| {
                let hits: Vec<&Template> = self
                    .set
                    .matches(t)
                    .iter()
                    .map(|i| &self.templates[i])
                    .collect();
                let winner = hits
                    .iter()
                    .find(|a| {
                        hits.iter()
                            .all(|b| std::ptr::eq(**a, *b) || Self::beats(a, b))
                    })
                    .map(|t| t.id.as_str());
                (hits.iter().map(|t| t.id.as_str()).collect(), winner)
            })
            .collect()
    }
}

/// A service, the literal words of its templates, and its methods that take path values.
type Api = (Service, Vec<String>, Vec<(String, RestMethod)>);

/// The literal words of an API's templates (`files`, `generateIds`, `:access`).
fn literals(svc: &Service) -> Vec<String> {
    let mut out = BTreeSet::new();
    for (_, m) in svc.document().all_methods() {
        for piece in m.path.split(['{', '}', '/']) {
            if !piece.is_empty() && !piece.starts_with('+') && !m.parameters.contains_key(piece) {
                out.insert(piece.to_string());
                if let Some((_, verb)) = piece.split_once(':') {
                    out.insert(format!(":{verb}"));
                }
            }
        }
    }
    out.into_iter().collect()
}

fn random_value(rng: &mut Rng, words: &[String]) -> String {
    let mut v = String::new();
    for _ in 0..1 + rng.below(7) {
        if rng.below(3) == 0 {
            let w: &String = rng.pick(words);
            v.push_str(w);
        } else {
            let p: &&str = rng.pick(PIECES);
            v.push_str(p);
        }
    }
    v
}

#[test]
fn random_path_values_are_refused_or_reach_only_allowed_methods() {
    let cases: usize = std::env::var("GAPI_POLICY_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6_000);
    let apis = [
        ("drive", "v3"),
        ("secretmanager", "v1"),
        ("storage", "v1"),
        ("gmail", "v1"),
        ("pubsub", "v1"),
        ("firestore", "v1"),
        ("logging", "v2"),
        ("calendar", "v3"),
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut services: HashMap<(usize, String, u8), Service> = HashMap::new();
    let mut routers: HashMap<(usize, String), Router> = HashMap::new();
    let opened: Vec<Api> = apis
        .iter()
        .map(|(a, v)| {
            let svc = gapi_client::build(a, v, gapi_client::NoAuth).unwrap();
            let words = literals(&svc);
            let methods = svc
                .document()
                .all_methods()
                .into_iter()
                .filter(|(_, m)| {
                    m.parameters
                        .values()
                        .any(|p| p.location.as_deref() == Some("path"))
                })
                .map(|(d, m)| (d, m.clone()))
                .collect();
            (svc, words, methods)
        })
        .collect();
    let (mut refused, mut sent, mut other) = (0usize, 0usize, 0usize);
    let mut violations = Vec::new();
    for _ in 0..cases {
        let api = rng.below(opened.len());
        let (open, words, methods) = &opened[api];
        let (dotted, m) = rng.pick(methods);
        // 0: allow this method only; 1: read-only and this method; 2: its resource's methods.
        let mode = rng.below(3) as u8;
        let resource =
            m.id.rsplit_once('.')
                .map_or(m.id.clone(), |(r, _)| format!("{r}.*"));
        let policy = match mode {
            0 => Policy::new().allow([m.id.clone()]),
            1 => Policy::new().read_only(true).allow([m.id.clone()]),
            _ => Policy::new().allow([resource.clone()]),
        };
        let svc = services
            .entry((api, m.id.clone(), mode))
            .or_insert_with(|| {
                Service::builder()
                    .document(open.document().clone())
                    .policy(policy.clone())
                    .build()
                    .unwrap()
            })
            .clone();
        let mut call = svc.method(dotted).unwrap();
        for (name, schema) in m.parameters.iter() {
            if schema.location.as_deref() == Some("path") {
                let value = if rng.below(5) == 0 {
                    let plain = match dummy(schema) {
                        gapi_client::ParamValue::Str(s) => s,
                        _ => "1".to_string(),
                    };
                    match rng.below(3) {
                        0 => plain,
                        _ => format!("{plain}{}", random_value(&mut rng, words)),
                    }
                } else {
                    random_value(&mut rng, words)
                };
                call = call.param(name, value);
            } else if schema.required {
                call = call.param(name, dummy(schema));
            }
        }
        if m.request.is_some() {
            call = call.body(serde_json::json!({}));
        }
        let req = match call.prepare() {
            Err(e) if e.is_policy_refusal() => {
                refused += 1;
                continue;
            }
            Err(_) => {
                other += 1;
                continue;
            }
            Ok(req) => req,
        };
        sent += 1;
        let verb = req.method.as_str().to_string();
        let allowed = |id: &str| {
            (mode != 1 || verb == "GET")
                && match mode {
                    2 => id.starts_with(&resource[..resource.len() - 1]),
                    _ => id == m.id,
                }
        };
        let router = routers
            .entry((api, verb.clone()))
            .or_insert_with(|| Router::new(open, &verb));
        let readings = router.readings(req.url.path());
        if readings.iter().all(|(hits, _)| hits.is_empty()) {
            violations.push(format!("{} {} fits no method", m.id, req.url));
            continue;
        }
        for (hits, winner) in readings {
            if hits.iter().all(|h| allowed(h)) || winner.is_some_and(allowed) {
                continue;
            }
            violations.push(format!(
                "{} (policy mode {mode}) sent {verb} {}: reaches {hits:?}, winner {winner:?}",
                m.id, req.url
            ));
            break;
        }
    }
    eprintln!(
        "{cases} cases: {refused} refused by the policy, {sent} allowed and sent, {other} refused for another reason (bad value), {} violations",
        violations.len()
    );
    assert!(
        violations.is_empty(),
        "{} requests reach a method the policy refuses:\n{}",
        violations.len(),
        violations[..violations.len().min(20)].join("\n")
    );
    // Both outcomes occur, so the property is not vacuous.
    assert!(
        refused > cases / 10 && sent > cases / 20,
        "{refused} refused, {sent} sent"
    );
}
