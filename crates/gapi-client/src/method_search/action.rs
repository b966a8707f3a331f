//! What a query asks to *do*, and what a method does: the action verb people lead with
//! ("remove", "show me", "make a new") sorted into a few kinds, and each method's name sorted
//! the same way (`delete`, `batchDelete` and `trash` remove; `insert`, `create` and `append`
//! add). A method whose kind is the query's is lifted; one of another known kind is lowered.
//!
//! A read verb with a plural object ("get my labels", "show the comments") asks for a list;
//! a question ("who ...", "how many ...", "is ...") asks to read, whatever verb follows
//! ("who *edited* the file" reads its history). "make" makes something new only before "a",
//! "an", "new" ("make a copy"); otherwise it changes what is there ("make the disk bigger").

use super::text::{is_stop_word, stem, typed_words};

/// The kinds of action a query or a method can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// Makes something new: insert, create, append.
    Create,
    /// Removes something: delete, trash.
    Delete,
    /// Changes something that exists: update, patch, modify.
    Update,
    /// Reads one thing: get.
    Get,
    /// Reads many: list, search.
    List,
    /// Reads, one thing or many: what a question asks ("who has access to ...", "how many
    /// ..."); a query's only, no method name says it.
    Read,
}

/// Query words (as people write them, before stemming) and the action they lead with.
const QUERY_VERBS: &[(&str, Action)] = &[
    ("add", Action::Create),
    ("create", Action::Create),
    ("insert", Action::Create),
    ("new", Action::Create),
    ("make", Action::Create),
    ("post", Action::Create),
    ("upload", Action::Create),
    ("schedule", Action::Create),
    ("deploy", Action::Create),
    ("register", Action::Create),
    ("generate", Action::Create),
    ("define", Action::Create),
    ("book", Action::Create),
    ("store", Action::Create),
    ("save", Action::Create),
    ("delete", Action::Delete),
    ("remove", Action::Delete),
    ("trash", Action::Delete),
    ("erase", Action::Delete),
    ("drop", Action::Delete),
    ("destroy", Action::Delete),
    ("purge", Action::Delete),
    ("discard", Action::Delete),
    ("wipe", Action::Delete),
    ("unsubscribe", Action::Delete),
    ("update", Action::Update),
    ("patch", Action::Update),
    ("modify", Action::Update),
    ("change", Action::Update),
    ("edit", Action::Update),
    ("rename", Action::Update),
    ("set", Action::Update),
    ("mark", Action::Update),
    ("move", Action::Update),
    ("replace", Action::Update),
    ("complete", Action::Update),
    ("invite", Action::Update),
    ("reschedule", Action::Update),
    ("archive", Action::Update),
    ("suspend", Action::Update),
    ("share", Action::Create),
    ("get", Action::Get),
    ("read", Action::Get),
    ("fetch", Action::Get),
    ("retrieve", Action::Get),
    ("view", Action::Get),
    ("see", Action::Get),
    ("show", Action::Get),
    ("display", Action::Get),
    ("describe", Action::Get),
    ("inspect", Action::Get),
    ("download", Action::Get),
    ("list", Action::List),
    ("find", Action::List),
    ("search", Action::List),
    ("browse", Action::List),
    ("enumerate", Action::List),
];

/// Method-name verbs and the action they do.
const METHOD_VERBS: &[(&str, Action)] = &[
    ("insert", Action::Create),
    ("create", Action::Create),
    ("append", Action::Create),
    ("add", Action::Create),
    ("delete", Action::Delete),
    ("trash", Action::Delete),
    ("remove", Action::Delete),
    ("clear", Action::Delete),
    ("update", Action::Update),
    ("patch", Action::Update),
    ("modify", Action::Update),
    ("set", Action::Update),
    ("get", Action::Get),
    ("list", Action::List),
    ("search", Action::List),
];

/// The action a method's name does, and the stemmed words after its verb: its first camelCase
/// word, after a `batch`, `aggregated` or `quick` that only says how (`batchDelete` deletes,
/// `aggregatedList` lists, `listReferrers` lists referrers).
pub(crate) fn of_method(name: &str) -> Option<(Action, Vec<String>)> {
    let mut words = super::text::terms(name);
    // `terms` gives the humps, then the whole name when it has several.
    if words.len() > 1 {
        words.pop();
    }
    let mut at = 0;
    while at + 1 < words.len() && ["batch", "aggregat", "quick", "bulk"].contains(&&*words[at]) {
        at += 1;
    }
    let verb = words.get(at)?;
    let action = METHOD_VERBS
        .iter()
        .find(|(v, _)| stem(v) == *verb)
        .map(|(_, a)| *a)?;
    Some((action, words[at + 1..].to_vec()))
}

/// Words a question leads with (a question reads): "how" only before "many" or "much" ("how
/// do I ..." asks to do something).
const QUESTION_WORDS: &[&str] = &[
    "who", "whom", "whose", "what", "which", "when", "is", "are", "am", "does", "did",
];

/// Words after "make" that make it make something new ("make a copy", "make a new folder").
const MAKE_NEW: &[&str] = &["a", "an", "new", "another"];

/// Whether a query is a question that reads ("who ...", "how many ...", "is ...").
pub(crate) fn asks(query: &str) -> bool {
    is_question(&typed_words(&query.to_lowercase()))
}

/// Whether a query (its words, lower-cased, stop words kept) is a question that reads.
fn is_question(raw: &[&str]) -> bool {
    match raw {
        ["how", next, ..] => ["many", "much"].contains(next),
        [first, ..] => QUESTION_WORDS.contains(first),
        [] => false,
    }
}

/// Whether a query asks who: who has access, who is in a room, who came.
pub(crate) fn asks_who(query: &str) -> bool {
    matches!(
        typed_words(&query.to_lowercase()).first(),
        Some(&("who" | "whom" | "whose"))
    )
}

/// Resources that are people, or say who may do what: listing them (or reading an IAM
/// policy) answers "who ...". Stemmed, matched as the end of a stemmed resource name
/// (`bucketaccesscontrol`).
const WHO_RESOURCES: &[&str] = &[
    "accesscontrol",
    "acl",
    "attendee",
    "collaborator",
    "guardian",
    "member",
    "membership",
    "owner",
    "participant",
    "peopl",
    "permission",
    "student",
    "subscriber",
    "teacher",
    "user",
    "viewer",
];

/// Whether a method answers "who ...": it reads an IAM policy, or lists people or grants
/// (`members.list`, `permissions.list`, `bucketAccessControls.list`). `action`: what its
/// name does ([`of_method`]); `resource`: the stemmed, lower-case resource it acts on
/// (`member`).
pub(crate) fn answers_who(
    name: &str,
    action: Option<&(Action, Vec<String>)>,
    resource: &str,
) -> bool {
    if name == "getIamPolicy" {
        return true;
    }
    let lists = action.is_some_and(|(a, rest)| *a == Action::List && rest.is_empty());
    lists && WHO_RESOURCES.iter().any(|w| resource.ends_with(w))
}

/// Whether a method doing `method` does what a query asking `query` asks, or near enough
/// (any read for a query that reads).
pub(crate) fn same_kind(query: Action, method: Action) -> bool {
    let reads = |a| matches!(a, Action::Get | Action::List | Action::Read);
    query == method || (reads(query) && reads(method))
}

/// What a query asks to do: the first word that is an action verb (later ones are nouns:
/// "add a task to my to-do *list*"), and whether a read verb's object is plural ("get my
/// labels" lists); with the verb's stem. A question reads (`Read`, or `List` when it asks
/// which or what things). None when the query leads with no known verb and asks nothing.
pub(crate) fn of_query(query: &str) -> Option<(Action, String)> {
    let lower = query.to_lowercase();
    let raw = typed_words(&lower);
    let words: Vec<&str> = raw.iter().copied().filter(|w| !is_stop_word(w)).collect();
    let plural = |w: &&str| w.len() > 3 && w.ends_with('s') && stem(w) != **w;
    if is_question(&raw) {
        // "which channels ...", "what machine types ...": a question about many things lists.
        if ["which", "what"].contains(&raw[0]) && words.iter().any(plural) {
            return Some((Action::List, "list".into()));
        }
        return Some((Action::Read, String::new()));
    }
    // The verb's kind, from the word after it too ("make a", "get rid", "set up").
    let kind = |i: usize, w: &str| -> Option<Action> {
        let next = raw.get(i + 1).copied().unwrap_or("");
        match w {
            "make" if !MAKE_NEW.contains(&next) => return Some(Action::Update),
            "get" | "got" if next == "rid" => return Some(Action::Delete),
            "set" if next == "up" => return Some(Action::Create),
            _ => {}
        }
        QUERY_VERBS
            .iter()
            .find(|(v, _)| *v == w || stem(v) == stem(w))
            .map(|(_, a)| *a)
    };
    let found = raw.iter().enumerate().find_map(|(i, w)| {
        if is_stop_word(w) {
            return None;
        }
        kind(i, w).map(|a| (*w, a))
    });
    let (verb_word, action) = found?;
    let at = words.iter().position(|w| *w == verb_word).unwrap_or(0);
    let verb = stem(words[at]);
    if action == Action::Get && words[at + 1..].iter().any(plural) {
        return Some((Action::List, verb));
    }
    Some((action, verb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_lead_with_their_verb() {
        let action = |q: &str| of_query(q).map(|(a, _)| a);
        assert_eq!(action("remove a contact"), Some(Action::Delete));
        assert_eq!(action("make a new folder"), Some(Action::Create));
        assert_eq!(action("add a task to my to-do list"), Some(Action::Create));
        assert_eq!(action("rename a file"), Some(Action::Update));
        assert_eq!(action("get a file"), Some(Action::Get));
        assert_eq!(
            of_query("get my gmail labels"),
            Some((Action::List, "get".into()))
        );
        assert_eq!(action("show me the files"), Some(Action::List));
        // A question reads, whatever verb it has.
        assert_eq!(action("how much quota is left"), Some(Action::Read));
        assert_eq!(action("who edited the budget file"), Some(Action::Read));
        assert_eq!(action("is this review positive"), Some(Action::Read));
        assert_eq!(action("how do I delete a file"), Some(Action::Delete));
        // "make" makes something new only before "a", "an", "new".
        assert_eq!(action("make a copy of the file"), Some(Action::Create));
        assert_eq!(action("make the disk bigger"), Some(Action::Update));
        assert_eq!(action("get rid of completed tasks"), Some(Action::Delete));
        assert_eq!(action("set up a shared drive"), Some(Action::Create));
        assert_eq!(action("set the title"), Some(Action::Update));
        assert!(asks_who("Who's in this room?") && !asks_who("show who a file is shared with"));
        // A question about many things lists them.
        assert_eq!(
            action("which youtube channels am I subscribed to"),
            Some(Action::List)
        );
        assert_eq!(action("what is my gmail address"), Some(Action::Read));
        assert_eq!(action("archive an email"), Some(Action::Update));
        assert_eq!(action("share my calendar"), Some(Action::Create));
    }

    #[test]
    fn methods_are_sorted_by_their_name() {
        let rest = |r: &[&str]| r.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(of_method("batchDelete"), Some((Action::Delete, rest(&[]))));
        assert_eq!(of_method("aggregatedList"), Some((Action::List, rest(&[]))));
        assert_eq!(of_method("insert"), Some((Action::Create, rest(&[]))));
        assert_eq!(
            of_method("listReferrers"),
            Some((Action::List, rest(&["referrer"])))
        );
        assert_eq!(
            of_method("updateContact"),
            Some((Action::Update, rest(&["contact"])))
        );
        assert_eq!(of_method("send"), None);
        let who = |name: &str, resource: &str| {
            answers_who(
                name,
                of_method(name).as_ref(),
                &stem(&resource.to_lowercase()),
            )
        };
        assert!(who("list", "members") && who("list", "bucketAccessControls"));
        assert!(who("getIamPolicy", "buckets") && who("list", "people"));
        assert!(!who("get", "members") && !who("list", "files"));
        assert!(!who("listMembers", "groups"));
        for w in WHO_RESOURCES {
            assert_eq!(stem(w), *w, "WHO_RESOURCES are written stemmed");
        }
        assert_eq!(of_method("batch"), None);
    }
}
