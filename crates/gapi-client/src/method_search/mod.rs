//! Finding methods from plain words across every bundled API, and describing one method
//! compactly: what a person (`gapi search`) or an agent (`gapi mcp`'s `search_methods`)
//! needs to go from "send an email" to `gmail.users.messages.send`.
//!
//! Ranking, not filtering: every method of one version per API (the preferred one; each
//! `family_vN` of a name such as `admin:directory_v1` counts as an API) is scored against the
//! query with BM25F over its name, resources, API names, summary, description, parameter
//! names and request-body field names (`index`: a batchUpdate's `addSheet`, `insertText`),
//! after stop words are dropped and words stemmed (`text`), each query word also looked for
//! under the names APIs use for it (`synonyms`) and two adjacent words (or a synonym of the
//! first and the second) under the one name an API joins them into (`task list`, `to-do list`
//! are `tasklists`); then a method doing what the query's verb asks is lifted (`action`:
//! "remove" deletes, "get my labels" and "which channels" list), one whose resource is a thing
//! the query names is lifted, the APIs a query names ("in gmail", or by another name: "gcs",
//! "vm", "workspace") are lifted for the methods matching the rest of it, and well-known APIs
//! win close calls (`rank`). The index is built on first use from a compact text extracted from the
//! bundle (`scripts/make-search-index.py`), not from the 50 MB of documents.
//!
//! What the documents do not say, a hand-written vocabulary does (`vocabulary.txt`, read by
//! `vocabulary`): the words people use for an API ("survey" is Forms, "address book" People)
//! and for a method ("check off" a task is `tasks.tasks.patch`). A method's phrases are one
//! more BM25F field of it, weighed above its name; a phrase the query has whole (its words
//! matched as `text::phrase_words` keeps them, question words included: "who has access")
//! lifts its method by 0.2 a word, up to three, or names its API like the API's own name
//! (an API-first step: the API's methods are lifted and count the phrase's words as matched,
//! so the query's other words choose among them). A one-word API phrase that many other
//! APIs' methods say ("iam") names nothing, as for API names.
//!
//! Questions read (`action`): "who ...", "what ...", "how many ...", "is ..." lower methods
//! that change things and look no word up under the names of such methods; "who ..." lifts
//! the methods answering who (an IAM policy, lists of members, users, permissions, ACLs).
//! "make" without "a"/"an"/"new" changes ("make the disk bigger"), "get rid of" deletes,
//! "set up" creates. Reading what is *in* a container is not reading the container ("list
//! the videos in a playlist" is no `playlists.list`): the container-penalty for "add X to Y"
//! holds for reads too, keyed by the container's last word, and a resource the query names
//! only as the container gets no resource lift.

mod action;
mod describe;
mod index;
mod rank;
mod synonyms;
mod text;
mod vocabulary;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

pub use describe::{describe, type_label};

use index::Index;

/// One method found by [`search`].
#[derive(Debug, Clone, PartialEq)]
pub struct MethodEntry {
    /// `drive:v3`.
    pub api: String,
    /// The API's title, `Google Drive API`.
    pub title: String,
    /// The dotted path inside the API, `files.list`.
    pub method: String,
    /// The method id, `drive.files.list`.
    pub id: String,
    /// `GET`, `POST`, ...
    pub http_method: String,
    /// The first sentence of the description.
    pub summary: String,
    /// How well it matched the query (higher is better; comparable within one search only).
    pub score: f32,
}

/// The first sentence (or line) of a description, at most 160 characters.
pub fn summary(description: &str) -> String {
    let line = description.trim().lines().next().unwrap_or("");
    let end = line.find(". ").map(|i| i + 1).unwrap_or(line.len());
    let s = &line[..end];
    if s.chars().count() > 160 {
        format!("{}...", s.chars().take(157).collect::<String>())
    } else {
        s.to_string()
    }
}

/// The index of the bundled search text, built once per process (an empty index if the
/// embedded text is unreadable, which only a corrupt build causes).
fn bundled_index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let built = gapi_discovery::search_data::search_index_text()
            .map_err(|e| e.to_string())
            .and_then(|text| Index::from_search_text(&text, vocabulary()).map_err(|e| e.0));
        built.unwrap_or_else(|e| {
            tracing::error!("method search has no index: {e}");
            Index::default()
        })
    })
}

/// The bundled vocabulary, read once per process.
fn vocabulary() -> &'static vocabulary::Vocabulary {
    static VOCABULARY: OnceLock<vocabulary::Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(vocabulary::bundled)
}

/// The index of one bundled document the search text does not hold (`drive:v2`), built once.
fn document_index(name: &str, version: &str) -> Option<Arc<Index>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Index>>>> = OnceLock::new();
    let key = format!("{name}:{version}");
    let cache = CACHE.get_or_init(Default::default);
    if let Some(i) = cache.lock().ok()?.get(&key) {
        return Some(i.clone());
    }
    let doc = crate::service::cached_bundled_document(name, version).ok()?;
    let index = Arc::new(Index::from_document(&doc, vocabulary()));
    cache.lock().ok()?.insert(key, index.clone());
    Some(index)
}

/// Methods for the words of `query`, best first, at most `limit`: every method is scored and
/// those matching at least one word are ranked (see the module documentation). `api` limits
/// the search to one API name (`drive`, every indexed version of it) or `name:version`
/// (`drive:v2` searches that bundled document even when it is not the preferred version).
pub fn search(query: &str, api: Option<&str>, limit: usize) -> Vec<MethodEntry> {
    let bundled = bundled_index();
    let (index, keep): (&Index, Box<dyn Fn(usize) -> bool>) = match api.map(str::trim) {
        None | Some("") => (bundled, Box::new(|_| true)),
        Some(a) => match a.split_once(':') {
            Some((name, version)) => {
                let listed = bundled
                    .apis
                    .iter()
                    .position(|x| x.name == name && x.version == version);
                match listed {
                    Some(i) => (bundled, Box::new(move |a| a == i)),
                    None => {
                        let Some(own) = document_index(name, version) else {
                            return Vec::new();
                        };
                        return entries(&own, rank::rank(&own, query, |_| true, limit));
                    }
                }
            }
            None => {
                let name = a.to_string();
                (bundled, Box::new(move |i| bundled.apis[i].name == name))
            }
        },
    };
    entries(index, rank::rank(index, query, keep, limit))
}

fn entries(index: &Index, ranked: Vec<(usize, f32)>) -> Vec<MethodEntry> {
    ranked
        .into_iter()
        .map(|(m, score)| {
            let method = &index.methods[m];
            let api = &index.apis[method.api as usize];
            MethodEntry {
                api: format!("{}:{}", api.name, api.version),
                title: api.title.clone(),
                method: method.dotted.clone(),
                id: method.id.clone(),
                http_method: method.verb.clone(),
                summary: method.summary.clone(),
                score,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
