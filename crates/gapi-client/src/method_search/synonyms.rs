//! The words people use for what Google's documents call something else: a query term is
//! also looked for under these names, at a lower weight than the word itself.
//!
//! Two tables: things (`email` is a Gmail `message`, a `VM` a Compute `instance`) and
//! intents (a person *adds* or *makes* what a method *inserts* or *creates*). Entries are
//! written as plain words and stemmed like everything else; a word maps one way only
//! (`email` looks for `message`, but `message` does not look for `email`, so publishing a
//! Pub/Sub message does not drift to Gmail).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::text::stem;

/// Things: a word -> the names APIs use for it.
const THINGS: &[(&str, &[&str])] = &[
    ("email", &["mail", "message", "gmail"]),
    ("mail", &["email", "message", "gmail"]),
    ("gmail", &["mail", "email"]),
    ("inbox", &["message", "thread"]),
    ("spreadsheet", &["sheet", "file"]),
    ("sheet", &["spreadsheet"]),
    ("row", &["value", "tabledata"]),
    ("cell", &["value", "range"]),
    ("meeting", &["event", "meet", "conference"]),
    ("appointment", &["event"]),
    ("todo", &["task"]),
    ("reminder", &["task"]),
    ("contact", &["people", "person", "connection"]),
    ("person", &["people", "contact"]),
    ("vm", &["instance", "compute"]),
    ("vms", &["instance", "compute"]),
    ("machine", &["instance", "compute"]),
    ("server", &["instance"]),
    ("bucket", &["storage"]),
    ("storage", &["bucket"]),
    ("doc", &["document", "file"]),
    ("document", &["doc"]),
    ("folder", &["file"]),
    ("kubernetes", &["cluster", "container", "gke"]),
    ("gke", &["cluster", "container", "kubernetes"]),
    ("slide", &["presentation"]),
    ("deck", &["presentation", "file"]),
    ("presentation", &["file"]),
    ("survey", &["form"]),
    ("password", &["secret"]),
    ("class", &["course"]),
    ("assignment", &["coursework"]),
    ("homework", &["coursework"]),
    ("access", &["permission"]),
    ("pdf", &["export"]),
    // Many at once is a batch method.
    ("several", &["batch"]),
    ("multiple", &["batch"]),
    ("many", &["batch"]),
    ("bunch", &["batch"]),
    ("bulk", &["batch"]),
    ("once", &["batch"]),
    ("profile", &["person", "people"]),
    ("occurrence", &["instance"]),
    ("recurring", &["instance"]),
    ("tab", &["sheet"]),
    ("worksheet", &["sheet"]),
    ("workbook", &["spreadsheet"]),
    // A file in Cloud Storage is an object (Drive's files match the word itself).
    ("file", &["object"]),
    ("blob", &["object"]),
    ("gcs", &["storage", "bucket", "object"]),
    ("guest", &["attendee"]),
    ("invitee", &["attendee"]),
    ("attendee", &["event"]),
    ("tag", &["label"]),
    ("member", &["membership"]),
    ("membership", &["member"]),
    ("picture", &["photo", "thumbnail", "image"]),
    ("image", &["thumbnail"]),
    ("unread", &["label"]),
    ("star", &["label"]),
    ("collaborator", &["permission"]),
    // Who is free when is one method: Calendar's `freebusy`.
    ("free", &["freebusy"]),
    ("busy", &["freebusy"]),
    ("available", &["freebusy"]),
    ("availability", &["freebusy"]),
    // Usage over time is a monitoring time series.
    ("utilization", &["timeseries", "metric"]),
    ("metric", &["timeseries"]),
];

/// Words that name an API by another name than its own (`gcs` is Cloud Storage, a `vm` is
/// Compute Engine's): a query saying one lifts that API like its own name would.
const API_ALIASES: &[(&str, &str)] = &[
    ("gcs", "storage"),
    ("vm", "compute"),
    ("vms", "compute"),
    ("gce", "compute"),
    ("gke", "container"),
    ("kubernetes", "container"),
    ("workspace", "admin"),
    ("contact", "people"),
    ("spreadsheet", "sheets"),
    ("presentation", "slides"),
    ("gcp", "cloudresourcemanager"),
    ("todo", "tasks"),
    ("pubsub", "pubsub"),
    ("playlist", "youtube"),
    ("video", "youtube"),
    ("cron", "cloudscheduler"),
    ("nightly", "cloudscheduler"),
];

/// The API a stemmed query term names by another name, if any.
pub fn api_alias(term: &str) -> Option<&'static str> {
    API_ALIASES
        .iter()
        .find(|(w, _)| stem(w) == term)
        .map(|(_, api)| *api)
}

/// Intents: a verb -> the method names that do it.
const INTENTS: &[(&str, &[&str])] = &[
    ("add", &["insert", "create", "append"]),
    ("new", &["create", "insert"]),
    ("make", &["create", "insert"]),
    ("create", &["insert"]),
    ("insert", &["create"]),
    ("write", &["update", "append", "insert"]),
    ("post", &["insert", "create"]),
    ("schedule", &["insert", "create"]),
    ("remove", &["delete"]),
    ("erase", &["delete"]),
    ("trash", &["delete"]),
    ("drop", &["delete"]),
    ("edit", &["update", "patch"]),
    ("change", &["update", "patch", "modify"]),
    ("modify", &["update", "patch"]),
    ("rename", &["update", "patch"]),
    ("set", &["update", "patch"]),
    ("complete", &["update", "patch"]),
    ("update", &["patch"]),
    ("show", &["list", "get"]),
    ("display", &["list", "get"]),
    ("browse", &["list"]),
    ("enumerate", &["list"]),
    ("find", &["list", "search", "get"]),
    ("search", &["list", "query"]),
    ("look", &["get", "search"]),
    ("read", &["get", "list"]),
    ("view", &["get", "list"]),
    ("fetch", &["get"]),
    ("retrieve", &["get"]),
    ("open", &["get"]),
    ("details", &["get"]),
    ("info", &["get"]),
    ("download", &["get", "export", "media"]),
    ("upload", &["insert", "create"]),
    ("send", &["create"]),
    ("launch", &["start", "create"]),
    ("boot", &["start"]),
    ("run", &["start", "execute", "query"]),
    ("execute", &["run"]),
    ("shutdown", &["stop"]),
    ("halt", &["stop"]),
    ("restart", &["reset", "restart"]),
    ("reboot", &["reset", "restart"]),
    ("share", &["permission", "acl"]),
    ("archive", &["modify", "label"]),
    ("mark", &["modify", "update", "patch"]),
    ("reschedule", &["update", "patch"]),
    ("suspend", &["update", "patch"]),
    ("grant", &["permission", "iam"]),
    ("duplicate", &["copy"]),
    ("clone", &["copy"]),
    ("deploy", &["create"]),
    ("subscribe", &["subscription", "insert"]),
    ("reply", &["reply", "create"]),
    ("move", &["update", "patch"]),
    ("transcribe", &["recognize", "speech"]),
];

/// Which table an alternative came from (they are weighed differently).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Another name of the same thing.
    Thing,
    /// A method name that does what the verb says.
    Intent,
}

/// The other names of a stemmed query term, stemmed.
pub fn alternatives(term: &str) -> &'static [(String, Kind)] {
    static TABLE: OnceLock<HashMap<String, Vec<(String, Kind)>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut map: HashMap<String, Vec<(String, Kind)>> = HashMap::new();
        for (kind, rows) in [(Kind::Thing, THINGS), (Kind::Intent, INTENTS)] {
            for (word, alts) in rows {
                let key = stem(word);
                let entry = map.entry(key.clone()).or_default();
                for alt in *alts {
                    let alt = stem(alt);
                    if alt != key && !entry.iter().any(|(a, _)| *a == alt) {
                        entry.push((alt, kind));
                    }
                }
            }
        }
        map
    });
    table.get(term).map(Vec::as_slice).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternatives_are_stemmed_and_one_way() {
        let email = alternatives(&stem("emails"));
        assert!(email.contains(&(stem("message"), Kind::Thing)), "{email:?}");
        assert!(
            alternatives(&stem("message")).is_empty(),
            "message must not drift to email"
        );
        let add = alternatives(&stem("adding"));
        assert!(add.contains(&(stem("insert"), Kind::Intent)), "{add:?}");
        assert!(alternatives(&stem("vm")).contains(&(stem("instance"), Kind::Thing)));
        assert!(alternatives("zzz").is_empty());
        assert!(alternatives(&stem("several")).contains(&(stem("batch"), Kind::Thing)));
        assert!(alternatives(&stem("share")).contains(&(stem("acl"), Kind::Intent)));
    }

    #[test]
    fn api_aliases_name_their_api() {
        assert_eq!(api_alias(&stem("gcs")), Some("storage"));
        assert_eq!(api_alias(&stem("vms")), Some("compute"));
        assert_eq!(api_alias(&stem("contacts")), Some("people"));
        assert_eq!(api_alias(&stem("file")), None);
    }
}
