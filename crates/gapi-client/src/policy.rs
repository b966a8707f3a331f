//! Limits on which methods may be called at all, checked on the client before any request:
//! read-only (only `GET` methods) and an allow-list of method-id patterns
//! (`drive.files.*`). Meant for agents and scripts that must not change anything, or must
//! stay inside a few methods.
//!
//! A policy judges what is sent, not only the name asked for: given to a service
//! ([`crate::ServiceBuilder::policy`]), it is checked by [`crate::MethodCall::prepare`], the one
//! step every request of a method goes through (a dry run, a call, each page, a batch part,
//! an upload or download). There [`Policy::check_request`] refuses path values that could
//! steer the URL elsewhere ([`crate::route::steering`]), resolves the URL actually built back
//! to the methods it may reach ([`crate::route::RouteTable::readings`]) and refuses unless the
//! rules allow every one of them, or the one Google's routing certainly picks, judged by the
//! HTTP verb actually sent. Every rule lives in one place (`Policy::refusal`), applied alike to
//! the method asked for and to each method a request may reach: a new rule (a deny-list, a
//! policy kept with a profile and narrowed per call) is added there and holds everywhere.
//!
//! Read-only means "changes nothing", not "sends nothing": a GET still sends its parameters,
//! and some GET methods make Google fetch a URL the caller chooses.

use gapi_discovery::RestMethod;
use http::HeaderMap;

use crate::error::Error;
use crate::route::RouteTable;

/// Request headers that make a server run another verb than the one sent; never sent under
/// a policy.
const VERB_OVERRIDE_HEADERS: &[&str] = &[
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
];

/// Which methods may be called. The default allows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    read_only: bool,
    allow: Vec<String>,
    /// Refused whatever the allow-list says (deny wins).
    deny: Vec<String>,
    /// A second policy every request must also satisfy ([`Policy::narrowed_by`]): a
    /// profile's stored policy narrowed by a call's flags.
    within: Option<Box<Policy>>,
    /// Where the policy comes from, named in its refusals ("the policy stored with profile
    /// work").
    label: Option<String>,
}

impl Policy {
    /// A policy that allows every method.
    pub fn new() -> Policy {
        Policy::default()
    }

    /// Refuses every method whose HTTP verb is not `GET`.
    pub fn read_only(mut self, yes: bool) -> Policy {
        self.read_only = yes;
        self
    }

    /// Allows only methods whose id (`drive.files.list`) matches one of these patterns, where
    /// `*` stands for any run of characters (`drive.files.*`, `*.list`). No patterns: all.
    pub fn allow<I, S>(mut self, patterns: I) -> Policy
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allow.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Refuses methods whose id matches one of these patterns, even when the allow-list
    /// allows them (deny wins: `--allow 'gmail.users.drafts.*' --deny 'gmail.users.drafts.send'`).
    pub fn deny<I, S>(mut self, patterns: I) -> Policy
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.deny.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Names where this policy comes from; its refusals say so.
    pub fn labelled(mut self, label: impl Into<String>) -> Policy {
        self.label = Some(label.into());
        self
    }

    /// A policy that allows only what both `self` and `narrower` allow: a stored policy
    /// narrowed by per-call flags can never be widened by them.
    pub fn narrowed_by(self, narrower: Policy) -> Policy {
        if narrower.is_open() {
            return self;
        }
        if self.is_open() {
            return narrower;
        }
        let mut outer = narrower;
        let mut tail = &mut outer;
        while tail.within.is_some() {
            tail = tail.within.as_mut().expect("checked just above");
        }
        tail.within = Some(Box::new(self));
        outer
    }

    /// Whether every method is refused unless it is a `GET` (here or in a policy this one is
    /// narrowed by).
    pub fn is_read_only(&self) -> bool {
        self.read_only || self.within.as_ref().is_some_and(|w| w.is_read_only())
    }

    /// Whether this policy allows everything (nothing to check).
    pub fn is_open(&self) -> bool {
        !self.read_only
            && self.allow.is_empty()
            && self.deny.is_empty()
            && self.within.as_ref().is_none_or(|w| w.is_open())
    }

    /// Whether `candidate` could allow something this (single, un-narrowed) policy refuses:
    /// it drops read-only, drops a deny pattern, or allows a pattern no allowed pattern
    /// covers. Judged on the patterns (conservatively: an allow pattern counts as covered
    /// only when an old pattern matches it as text, `drive.*` covers `drive.files.*`).
    /// The reasons, one per widening; empty when `candidate` is as narrow or narrower.
    pub fn widenings(&self, candidate: &Policy) -> Vec<String> {
        let mut why = Vec::new();
        if self.read_only && !candidate.read_only {
            why.push("it drops read-only".to_string());
        }
        for d in &self.deny {
            if !candidate.deny.iter().any(|n| glob_match(n, d)) {
                why.push(format!("it drops --deny {d}"));
            }
        }
        if !self.allow.is_empty() {
            if candidate.allow.is_empty() {
                why.push("it drops the allow-list (every method would be allowed)".to_string());
            }
            for a in &candidate.allow {
                if !self.allow.iter().any(|old| glob_match(old, a)) {
                    why.push(format!("--allow {a} is not inside the allowed methods"));
                }
            }
        }
        why
    }

    /// Whether the policy lets `method` be called; the error says which rule refused it.
    pub fn check(&self, method: &RestMethod) -> Result<(), Error> {
        match self.refusal(&method.id, method.http_method_or_get()) {
            Some(why) => Err(Error::policy(format!("{} is refused {why}", method.id))),
            None => Ok(()),
        }
    }

    /// Why the rules refuse the method `id` sent with `verb`, naming the rule; `None` when
    /// they allow it. Every rule is decided here, for the method asked for and for every
    /// method a request may reach alike.
    fn refusal(&self, id: &str, verb: &str) -> Option<String> {
        let own = self.own_refusal(id, verb).map(|why| match &self.label {
            Some(label) => format!("{why} ({label})"),
            None => why,
        });
        own.or_else(|| self.within.as_ref().and_then(|w| w.refusal(id, verb)))
    }

    /// [`Policy::refusal`] by this policy's own rules, without the one it is narrowed by.
    fn own_refusal(&self, id: &str, verb: &str) -> Option<String> {
        if self.read_only && !verb.eq_ignore_ascii_case("GET") {
            return Some(format!(
                "by the read-only rule: it is a {verb} method and only read-only (GET) methods are allowed"
            ));
        }
        if !self.allow.is_empty() && !self.allow.iter().any(|p| glob_match(p, id)) {
            return Some(format!(
                "by the allow-list: it matches none of the allowed methods ({})",
                self.allow.join(", ")
            ));
        }
        if let Some(d) = self.deny.iter().find(|p| glob_match(p, id)) {
            return Some(format!(
                "by the deny-list: it matches the denied pattern {d}"
            ));
        }
        None
    }

    /// Whether the request prepared for `method` may be sent: the method itself, then its
    /// path values, no verb-override header, and every method `verb url` may reach
    /// (resolved with `routes`) must be allowed. `path_values` are the path parameters as
    /// given (name, value). Nothing to check for an open policy.
    pub fn check_request(
        &self,
        routes: &RouteTable,
        method: &RestMethod,
        path_values: &[(&str, String)],
        verb: &str,
        url: &url::Url,
        headers: &HeaderMap,
    ) -> Result<(), Error> {
        if self.is_open() {
            return Ok(());
        }
        self.check(method)?;
        let id = &method.id;
        if let Some(h) = VERB_OVERRIDE_HEADERS
            .iter()
            .find(|h| headers.contains_key(**h))
        {
            return Err(Error::policy(format!(
                "{id} is refused: the header {h} would make the server run another verb than {verb}, which a policy cannot judge"
            )));
        }
        let variables = crate::uri_template::variables(&method.path);
        for (name, value) in path_values {
            let reserved = variables.iter().any(|(n, r)| n == name && *r);
            if let Some(why) = crate::route::steering(value, reserved) {
                return Err(Error::policy(format!(
                    "{id} is refused by the path rule: the path parameter '{name}' = {value:?} could send the request to another method: {why}"
                )));
            }
        }
        self.check_reach(routes, id, verb, url)
    }

    /// Whether `verb url`, prepared for the method `id`, may be sent as far as its path
    /// tells: it must fit at least one method, and in every reading of its path (see
    /// [`crate::route`]) either every method it fits is allowed, or the one Google's routing
    /// certainly picks is. Nothing to check for an open policy.
    pub fn check_reach(
        &self,
        routes: &RouteTable,
        id: &str,
        verb: &str,
        url: &url::Url,
    ) -> Result<(), Error> {
        if self.is_open() {
            return Ok(());
        }
        let path = url.path();
        let cannot_tell = |what: &str| {
            Error::policy(format!(
                "{id} is refused: the request sent ({verb} {path}) {what}, so the policy cannot tell which method it would run"
            ))
        };
        let Some(readings) = routes.readings(verb, url) else {
            return Err(cannot_tell(
                "leaves the API's base URL (or does once percent-decoded)",
            ));
        };
        if readings.iter().all(|r| r.methods.is_empty()) {
            return Err(cannot_tell("fits no method of the API"));
        }
        for r in &readings {
            let refused = r
                .methods
                .iter()
                .find_map(|m| self.refusal(m, verb).map(|why| (*m, why)));
            let Some((first, why)) = refused else {
                continue;
            };
            let (other, why, may) = match r.winner {
                None => (first, why, "may reach"),
                Some(w) => match self.refusal(w, verb) {
                    None => continue,
                    Some(why) => (w, why, "reaches"),
                },
            };
            let read = if r.decoded {
                format!(" once percent-decoded as {:?}", r.path)
            } else {
                String::new()
            };
            return Err(Error::policy(format!(
                "{id} is refused: the request sent ({verb} {path}) {may} {other}{read}, which is refused {why}"
            )));
        }
        Ok(())
    }
}

/// Whether an OAuth scope grants only reading: Google's `*.readonly` scopes (full URL or
/// short name) and the OpenID Connect identity scopes.
pub fn is_read_only_scope(scope: &str) -> bool {
    let short = scope.rsplit('/').next().unwrap_or(scope);
    short.ends_with(".readonly")
        || short.ends_with("readonly")
        || matches!(
            short,
            "openid" | "email" | "profile" | "userinfo.email" | "userinfo.profile"
        )
}

/// `*` matches any run of characters (dots included); everything else matches itself.
fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deny_wins_over_allow_and_narrowing_never_widens() {
        let drafts = Policy::new()
            .allow(["gmail.users.drafts.*"])
            .deny(["gmail.users.messages.send", "gmail.users.drafts.send"]);
        assert!(
            drafts
                .check(&method("gmail.users.drafts.create", "POST"))
                .is_ok()
        );
        let err = drafts
            .check(&method("gmail.users.drafts.send", "POST"))
            .unwrap_err();
        assert!(err.to_string().contains("deny-list"), "{err}");
        let stored = drafts.clone().labelled("the policy stored with profile p");
        // Flags that would allow more are refused by the stored policy underneath.
        for wider in [
            Policy::new().allow(["*"]),
            Policy::new().allow(["gmail.users.messages.send"]),
            Policy::new().read_only(false),
        ] {
            let both = stored.clone().narrowed_by(wider);
            assert!(
                both.check(&method("gmail.users.drafts.send", "POST"))
                    .is_err()
            );
            assert!(
                both.check(&method("gmail.users.messages.send", "POST"))
                    .is_err()
            );
        }
        let err = stored
            .clone()
            .narrowed_by(Policy::new().allow(["*"]))
            .check(&method("gmail.users.drafts.send", "POST"))
            .unwrap_err();
        assert!(
            err.to_string().contains("deny-list")
                && err.to_string().contains("stored with profile p"),
            "{err}"
        );
        // Flags narrow it further.
        let narrower = stored.clone().narrowed_by(Policy::new().read_only(true));
        assert!(narrower.is_read_only());
        assert!(
            narrower
                .check(&method("gmail.users.drafts.create", "POST"))
                .is_err()
        );
        assert!(
            narrower
                .check(&method("gmail.users.drafts.get", "GET"))
                .is_ok()
        );
    }

    #[test]
    fn widenings_are_named() {
        let old = Policy::new()
            .read_only(true)
            .allow(["drive.*"])
            .deny(["drive.files.delete"]);
        assert!(old.widenings(&old.clone()).is_empty());
        let narrower = Policy::new()
            .read_only(true)
            .allow(["drive.files.*"])
            .deny(["drive.files.*e"]);
        assert!(
            old.widenings(&narrower).is_empty(),
            "{:?}",
            old.widenings(&narrower)
        );
        let w = old.widenings(&Policy::new().allow(["drive.*", "gmail.*"]));
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(
            w[0].contains("read-only")
                && w[1].contains("drive.files.delete")
                && w[2].contains("gmail.*")
        );
        let w = Policy::new().allow(["a.b"]).widenings(&Policy::new());
        assert!(w[0].contains("allow-list"), "{w:?}");
        assert!(
            Policy::new().widenings(&old).is_empty(),
            "from open, anything narrows"
        );
    }

    fn method(id: &str, verb: &str) -> RestMethod {
        RestMethod {
            id: id.into(),
            http_method: verb.into(),
            ..Default::default()
        }
    }

    #[test]
    fn read_only_refuses_everything_but_get() {
        let p = Policy::new().read_only(true);
        assert!(p.check(&method("drive.files.list", "GET")).is_ok());
        assert!(
            p.check(&method("drive.files.list", "")).is_ok(),
            "no verb means GET"
        );
        for verb in ["POST", "PATCH", "PUT", "DELETE"] {
            let err = p
                .check(&method("drive.files.x", verb))
                .unwrap_err()
                .to_string();
            assert!(err.contains(verb) && err.contains("read-only"), "{err}");
        }
    }

    fn service(api: &str, version: &str, policy: Policy) -> crate::Service {
        crate::Service::builder()
            .bundled(api, version)
            .policy(policy)
            .build()
            .unwrap()
    }

    fn refusal(call: crate::MethodCall) -> String {
        let err = call.prepare().expect_err("refused");
        assert!(
            err.is_policy_refusal() && err.is_invalid_argument(),
            "{err}"
        );
        err.to_string()
    }

    #[test]
    fn a_verb_suffix_in_a_reserved_value_is_refused() {
        let sm = service(
            "secretmanager",
            "v1",
            Policy::new().allow(["secretmanager.projects.secrets.versions.get"]),
        );
        let get = || sm.method("projects.secrets.versions.get").unwrap();
        let ok = get()
            .param("name", "projects/p/secrets/s/versions/latest")
            .prepare()
            .unwrap();
        assert_eq!(ok.url.path(), "/v1/projects/p/secrets/s/versions/latest");
        for name in [
            "projects/p/secrets/s/versions/latest:access",
            "projects/p/secrets/s/versions/latest%3Aaccess",
            "projects/p/secrets/s/versions/latest?x=:access",
        ] {
            let err = refusal(get().param("name", name));
            assert!(err.contains("path rule") && err.contains("name"), "{err}");
        }
        // The method asked for is refused by name as before.
        let err = refusal(
            sm.method("projects.secrets.versions.access")
                .unwrap()
                .param("name", "projects/p/secrets/s/versions/latest"),
        );
        assert!(err.contains("allow-list"), "{err}");
        // Without a policy nothing changes: the value is sent as given.
        let open = crate::build("secretmanager", "v1", crate::NoAuth).unwrap();
        let sent = open
            .method("projects.secrets.versions.get")
            .unwrap()
            .param("name", "projects/p/secrets/s/versions/latest:access")
            .prepare()
            .unwrap();
        assert!(sent.url.path().ends_with("latest:access"));
    }

    #[test]
    fn dot_segments_and_other_methods_literals_are_refused() {
        let drive = service(
            "drive",
            "v3",
            Policy::new().allow(["drive.permissions.get", "drive.files.get"]),
        );
        for pid in [
            "..", ".", "%2e%2e", "%2E%2E", "..%2F..", "a/../..", "x#", "y?",
        ] {
            let err = refusal(
                drive
                    .method("permissions.get")
                    .unwrap()
                    .param("fileId", "F")
                    .param("permissionId", pid),
            );
            assert!(err.contains("permissionId"), "{pid}: {err}");
        }
        // `generateIds` is another method's literal: the URL reaches both.
        let err = refusal(
            drive
                .method("files.get")
                .unwrap()
                .param("fileId", "generateIds"),
        );
        assert!(
            err.contains("drive.files.generateIds") && err.contains("allow-list"),
            "{err}"
        );
        drive
            .method("permissions.get")
            .unwrap()
            .param("fileId", "F")
            .param("permissionId", "P")
            .prepare()
            .unwrap();
        // Allowing the other method too lets the ambiguous URL go.
        let both = service(
            "drive",
            "v3",
            Policy::new().allow(["drive.files.get", "drive.files.generateIds"]),
        );
        both.method("files.get")
            .unwrap()
            .param("fileId", "generateIds")
            .prepare()
            .unwrap();
    }

    #[test]
    fn read_only_is_judged_on_the_sent_request_and_verb_overrides_are_refused() {
        let drive = service("drive", "v3", Policy::new().read_only(true));
        drive
            .method("files.get")
            .unwrap()
            .param("fileId", "a")
            .prepare()
            .unwrap();
        let err = refusal(drive.method("files.delete").unwrap().param("fileId", "a"));
        assert!(err.contains("read-only") && err.contains("DELETE"), "{err}");
        let err = refusal(
            drive
                .method("files.get")
                .unwrap()
                .param("fileId", "a")
                .header("X-HTTP-Method-Override", "DELETE"),
        );
        assert!(err.contains("x-http-method-override"), "{err}");
        // Upload and download URLs share the checked path.
        let up = service("drive", "v3", Policy::new().allow(["drive.files.create"]));
        let req = up.method("files.create").unwrap().prepare().unwrap();
        assert!(req.media_upload.is_some());
    }

    #[test]
    fn read_only_scopes() {
        for s in [
            "drive.readonly",
            "https://www.googleapis.com/auth/drive.metadata.readonly",
            "openid",
            "https://www.googleapis.com/auth/userinfo.email",
            "cloud-platform.read-only-x.readonly",
        ] {
            assert!(is_read_only_scope(s), "{s}");
        }
        for s in [
            "drive",
            "https://www.googleapis.com/auth/drive.file",
            "cloud-platform",
            "gmail.modify",
        ] {
            assert!(!is_read_only_scope(s), "{s}");
        }
    }

    #[test]
    fn allow_patterns_match_method_ids() {
        let p = Policy::new().allow(["drive.files.*", "*.about.get"]);
        assert!(p.check(&method("drive.files.list", "GET")).is_ok());
        assert!(p.check(&method("drive.files.delete", "DELETE")).is_ok());
        assert!(p.check(&method("drive.about.get", "GET")).is_ok());
        assert!(p.check(&method("drive.permissions.list", "GET")).is_err());
        assert!(p.check(&method("drive.filesx", "GET")).is_err());
        assert!(glob_match("a*b*c", "aXbYc") && !glob_match("a*b*c", "aXc"));
        assert!(glob_match("drive.files.get", "drive.files.get"));
        assert!(
            !glob_match("ab*ba", "aba"),
            "prefix and suffix may not overlap"
        );
        assert!(Policy::new().is_open() && !p.is_open());
    }
}
