//! The search index: every method's terms in fields (its name, its resources, its API, its
//! summary, the rest of its description, its parameter names), weighed BM25F-style into one
//! number per (term, method), and kept as postings per term.
//!
//! Built from the bundled search text (`gapi_discovery::search_data`, one version per API) on
//! first use, or from one document when a search names a version that text does not hold.

use std::collections::HashMap;

use foldhash::fast::FixedState;
use gapi_discovery::RestDescription;

use super::text::for_each_term;
use super::vocabulary::Vocabulary;

/// The fields of a method, in this order: its name (`list`), the resource it acts on
/// (`courseWork` in `courses.courseWork.list`), the resources above that (`courses`), its
/// API's names, its summary, the rest of its description, its parameter names, its API's
/// description, the field names of its request body (`addLabelIds`; a batchUpdate's request
/// kinds, `addSheet`, `insertText`), the phrases the vocabulary gives the method (`check
/// off`). (The phrases it gives an API are no field: as one, on every method of the API,
/// they cost a third more index build time for no better ranking; a query having one whole
/// names the API instead, `rank`.)
const FIELDS: usize = 10;
const API: usize = 3;
const API_DESCRIPTION: usize = 7;
const METHOD_VOCABULARY: usize = 9;

/// How much a term counts in each field, and how much a long field dilutes it (BM25's `b`),
/// tuned on `bench/search_eval_dev.tsv`. The high `b` of names and resources makes an exact
/// name (`courses`) beat a longer one containing the word (`courseWork`).
/// A method's vocabulary phrases weigh more than its name (a person wrote them for the words
/// people use, which the name often is not), with little length dilution (a method with many
/// phrases is not less about each).
const FIELD_WEIGHTS: [f32; FIELDS] = [3.0, 2.0, 0.5, 2.0, 1.0, 0.25, 0.3, 0.2, 0.3, 4.0];
const FIELD_B: [f32; FIELDS] = [0.75, 0.75, 0.3, 0.5, 0.75, 0.75, 0.5, 0.5, 0.5, 0.15];

/// APIs most people mean when they do not say which: they win ties (and close calls). The
/// issue's twelve, and the other Workspace APIs a person uses every day (the Admin SDK's
/// directory, Classroom, Slides, Forms, Chat, Meet).
const WELL_KNOWN: &[&str] = &[
    "admin",
    "bigquery",
    "calendar",
    "chat",
    "classroom",
    "compute",
    "docs",
    "drive",
    "forms",
    "gmail",
    "meet",
    "people",
    "pubsub",
    "sheets",
    "slides",
    "storage",
    "tasks",
    "youtube",
];

/// One API (one version of it) in the index.
#[derive(Debug)]
pub(crate) struct Api {
    pub name: String,
    pub version: String,
    pub title: String,
    pub well_known: bool,
    /// The stemmed names a query may call it by: its name, its family (`directory` in
    /// `admin:directory_v1`), its methods' id prefix (`sql` for `sqladmin`).
    pub names: Vec<String>,
}

/// One method in the index.
#[derive(Debug)]
pub(crate) struct Method {
    pub api: u32,
    pub dotted: String,
    pub id: String,
    pub verb: String,
    pub summary: String,
    pub deprecated: bool,
    /// What its name does (`batchDelete` deletes), if it says, and the stemmed words of its
    /// name after the verb (`referrer` in `listReferrers`).
    pub action: Option<(super::action::Action, Vec<String>)>,
    /// The term id of the resource it acts on, as one word (`playlistitem`), if any.
    pub resource: Option<u32>,
    /// Whether it answers "who ..." (`action::answers_who`).
    pub answers_who: bool,
}

/// A method's text before it is turned into terms: from the bundled search text or a document.
struct Source<'a> {
    dotted: &'a str,
    id: &'a str,
    verb: &'a str,
    upload: bool,
    download: bool,
    deprecated: bool,
    params: Vec<&'a str>,
    description: &'a str,
    body: Vec<String>,
}

/// A method in a term's posting list, with the term's weighted frequency in it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Posting {
    pub method: u32,
    pub tf: f32,
}

/// What a vocabulary phrase speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// An API of the index (by position).
    Api(u32),
    /// A method of the index (by position).
    Method(u32),
}

/// One phrase of the vocabulary (`who has access`): its words as phrases are matched
/// (`text::phrase_words`) and what it names.
#[derive(Debug)]
pub(crate) struct Phrase {
    pub words: Vec<String>,
    pub target: Target,
    /// Whether it has a word that is no stop word ("who is" has none: it says nothing).
    pub says_something: bool,
}

/// The whole index.
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub apis: Vec<Api>,
    pub methods: Vec<Method>,
    vocabulary: HashMap<String, u32, FixedState>,
    pub postings: Vec<Vec<Posting>>,
    pub idf: Vec<f32>,
    /// The vocabulary's phrases for the methods and APIs indexed.
    pub phrases: Vec<Phrase>,
    /// The phrases (positions in `phrases`) by their first word: a query finds those whose
    /// every word it has by looking up its own words.
    pub phrases_by_word: HashMap<String, Vec<u32>, FixedState>,
}

/// Why the bundled search text could not be read (only a corrupt build causes it).
#[derive(Debug)]
pub(crate) struct BadIndex(pub String);

impl Index {
    /// The index of the bundled search text, with `vocabulary`'s phrases for its methods
    /// and APIs.
    pub fn from_search_text(text: &str, vocabulary: &Vocabulary) -> Result<Index, BadIndex> {
        let mut lines = text.lines();
        // Version 2 adds the body field names (version 1 is still read, for older bundles).
        if !matches!(
            lines.next(),
            Some("gapi-search-index 1" | "gapi-search-index 2")
        ) {
            return Err(BadIndex("unknown search index header".into()));
        }
        let mut b = Builder::new(vocabulary);
        for (n, line) in lines.enumerate() {
            let f: Vec<&str> = line.split('\t').collect();
            match (f.first(), f.len()) {
                (Some(&"A"), 5) => b.api(f[1], f[2], f[3], f[4]),
                (Some(&"M"), 7 | 8) if !b.index.apis.is_empty() => {
                    let flags = f[4];
                    b.method(Source {
                        dotted: f[1],
                        id: f[2],
                        verb: f[3],
                        upload: flags.contains('u'),
                        download: flags.contains('d'),
                        deprecated: flags.contains('x'),
                        params: f[5].split(' ').filter(|p| !p.is_empty()).collect(),
                        description: f[6],
                        body: f
                            .get(7)
                            .map(|b| b.split(' ').filter(|p| !p.is_empty()))
                            .into_iter()
                            .flatten()
                            .map(str::to_string)
                            .collect(),
                    })
                }
                _ => {
                    return Err(BadIndex(format!(
                        "search index line {} is malformed",
                        n + 2
                    )));
                }
            }
        }
        Ok(b.finish())
    }

    /// The index of one document (a version the bundled search text does not hold).
    pub fn from_document(doc: &RestDescription, vocabulary: &Vocabulary) -> Index {
        let mut b = Builder::new(vocabulary);
        b.api(&doc.name, &doc.version, &doc.title, &doc.description);
        for (dotted, m) in doc.all_methods() {
            b.method(Source {
                dotted: &dotted,
                id: &m.id,
                verb: m.http_method_or_get(),
                upload: m.supports_media_upload,
                download: m.supports_media_download,
                deprecated: m.deprecated,
                params: m.parameters.iter().map(|(n, _)| n).collect(),
                description: &m.description,
                body: body_fields(doc, m),
            });
        }
        b.finish()
    }

    /// The id of a stemmed term, if any method has it.
    pub fn term(&self, term: &str) -> Option<u32> {
        self.vocabulary.get(term).copied()
    }
}

/// What `scripts/make-search-index.py` lists as a method's body field names: the properties of
/// its request schema, then those of the schemas its array properties hold, at most 150.
fn body_fields(doc: &RestDescription, m: &gapi_discovery::RestMethod) -> Vec<String> {
    let Some(top) = m.request.as_ref().and_then(|r| doc.schema(&r.reference)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = top.properties.keys().map(str::to_string).collect();
    for (_, p) in top.properties.iter() {
        let held = p.items.as_ref().and_then(|i| i.reference.as_deref());
        if let Some(schema) = held.and_then(|r| doc.schema(r)) {
            for n in schema.properties.keys() {
                if !names.iter().any(|x| x == n) {
                    names.push(n.to_string());
                }
            }
        }
    }
    names.truncate(150);
    names
}

/// Collects the methods' terms, then weighs them once every field's average length is known.
struct Builder<'v> {
    index: Index,
    vocabulary: &'v Vocabulary,
    /// Per API: its name and title terms, and its description's terms.
    api_terms: Vec<(Vec<u32>, Vec<u32>)>,
    /// Per method: the terms of each field (the API fields are taken from `api_terms`).
    method_terms: Vec<[Vec<u32>; FIELDS]>,
    /// Per method-id prefix (`directory`): the index APIs its vocabulary phrases are listed
    /// for already.
    prefixes: HashMap<String, Vec<u32>>,
}

impl<'v> Builder<'v> {
    fn new(vocabulary: &'v Vocabulary) -> Self {
        Builder {
            index: Index::default(),
            vocabulary,
            api_terms: Vec::new(),
            method_terms: Vec::new(),
            prefixes: HashMap::new(),
        }
    }

    /// Interns `phrases` as phrases of `target`; their terms, in order, for its field.
    fn phrases(&mut self, phrases: &[String], target: Target) -> Vec<u32> {
        let mut field = Vec::new();
        for p in phrases {
            // Each term once: phrases repeat their subject ("restore service account",
            // "undelete service account"), which says nothing more about the method.
            // (An API's phrases make no field; their terms are known all the same, so a
            // query word only they say counts as the API's name.)
            for t in self.intern(p) {
                if !field.contains(&t) {
                    field.push(t);
                }
            }
            let words = super::text::phrase_words(p);
            let Some(first) = words.first().cloned() else {
                continue;
            };
            let id = self.index.phrases.len() as u32;
            let says_something = !super::text::terms(p).is_empty();
            self.index.phrases.push(Phrase {
                words,
                target,
                says_something,
            });
            self.index
                .phrases_by_word
                .entry(first)
                .or_default()
                .push(id);
        }
        field
    }

    /// The term ids of a text (new terms are added to the vocabulary).
    fn intern(&mut self, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        self.intern_into(text, &mut out);
        out
    }

    fn intern_into(&mut self, text: &str, out: &mut Vec<u32>) {
        let vocabulary = &mut self.index.vocabulary;
        for_each_term(text, |t| {
            let id = match vocabulary.get(t) {
                Some(id) => *id,
                None => {
                    let id = vocabulary.len() as u32;
                    vocabulary.insert(t.to_owned(), id);
                    id
                }
            };
            out.push(id);
        });
    }

    fn api(&mut self, name: &str, version: &str, title: &str, description: &str) {
        // `admin:directory_v1` is the Directory API: its family counts as a name too.
        let family = version.split_once("_v").map(|(f, _)| f).unwrap_or("");
        let names = self.intern(&format!("{name} {family} {title}"));
        let about = self.intern(description);
        self.api_terms.push((names, about));
        self.index.apis.push(Api {
            name: name.to_string(),
            version: version.to_string(),
            title: title.to_string(),
            well_known: WELL_KNOWN.contains(&name),
            names: [name, family]
                .iter()
                .filter(|n| !n.is_empty())
                .map(|n| super::text::stem(n))
                .collect(),
        });
    }

    fn method(&mut self, m: Source<'_>) {
        let api = self.index.apis.len() as u32 - 1;
        let (resources, name) = m.dotted.rsplit_once('.').unwrap_or(("", m.dotted));
        // A media method answers "upload ..." and "download ..." by its name.
        let name_text = match (m.upload, m.download) {
            (true, true) => format!("{name} upload download"),
            (true, false) => format!("{name} upload"),
            (false, true) => format!("{name} download"),
            (false, false) => name.to_string(),
        };
        let summary = super::summary(m.description);
        let rest = m
            .description
            .trim()
            .strip_prefix(summary.trim_end_matches("..."))
            .unwrap_or(m.description);
        // An id whose first part is not the API's name (`directory.users.list` in `admin`)
        // names the API too.
        let id_api = m.id.split('.').next().unwrap_or("");
        let (parents, resource) = resources.rsplit_once('.').unwrap_or(("", resources));
        let resource_terms = self.intern(resource);
        let mut parent_terms = self.intern(parents);
        if id_api != self.index.apis[api as usize].name {
            self.intern_into(id_api, &mut parent_terms);
            let id_name = super::text::stem(&id_api.to_ascii_lowercase());
            let names = &mut self.index.apis[api as usize].names;
            if !names.contains(&id_name) {
                names.push(id_name);
            }
        }
        let mut params = Vec::new();
        for p in &m.params {
            self.intern_into(p, &mut params);
        }
        let mut body = Vec::new();
        for f in &m.body {
            self.intern_into(f, &mut body);
        }
        let vocabulary = self.vocabulary;
        let me = self.index.methods.len() as u32;
        let method_phrases = match vocabulary.methods.get(m.id) {
            Some(p) => self.phrases(p, Target::Method(me)),
            None => Vec::new(),
        };
        // The API's phrases, listed once per index API.
        if let Some(p) = vocabulary.apis.get(id_api) {
            let listed = self.prefixes.entry(id_api.to_string()).or_default();
            if !listed.contains(&api) {
                listed.push(api);
                self.phrases(p, Target::Api(api));
            }
        }
        let mut fields = [
            self.intern(&name_text),
            resource_terms,
            parent_terms,
            Vec::new(),
            self.intern(&summary),
            self.intern(rest),
            params,
            Vec::new(),
            body,
            Vec::new(),
        ];
        fields[METHOD_VOCABULARY] = method_phrases;
        let action = super::action::of_method(name);
        let resource_stem = super::text::stem(&resource.to_lowercase());
        let answers_who = super::action::answers_who(name, action.as_ref(), &resource_stem);
        let resource = self.index.term(&resource_stem);
        self.method_terms.push(fields);
        self.index.methods.push(Method {
            api,
            dotted: m.dotted.to_string(),
            id: m.id.to_string(),
            verb: m.verb.to_string(),
            summary,
            deprecated: m.deprecated,
            action,
            resource,
            answers_who,
        });
    }

    fn finish(mut self) -> Index {
        let n = self.index.methods.len().max(1) as f32;
        let api_of = |i: usize| self.index.methods[i].api as usize;
        let len = |i: usize, f: usize| -> usize {
            match f {
                API => self.api_terms[api_of(i)].0.len(),
                API_DESCRIPTION => self.api_terms[api_of(i)].1.len(),
                f => self.method_terms[i][f].len(),
            }
        };
        let mut avg = [0f32; FIELDS];
        for (f, a) in avg.iter_mut().enumerate() {
            let total: usize = (0..self.index.methods.len()).map(|i| len(i, f)).sum();
            *a = (total as f32 / n).max(1.0);
        }
        let mut postings: Vec<Vec<Posting>> = vec![Vec::new(); self.index.vocabulary.len()];
        // One method's weighted frequencies, by term id, and which ids it touched.
        let mut tf = vec![0f32; self.index.vocabulary.len()];
        let mut touched: Vec<u32> = Vec::new();
        for i in 0..self.index.methods.len() {
            for f in 0..FIELDS {
                let terms = match f {
                    API => &self.api_terms[api_of(i)].0[..],
                    API_DESCRIPTION => &self.api_terms[api_of(i)].1[..],
                    f => &self.method_terms[i][f][..],
                };
                if terms.is_empty() {
                    continue;
                }
                let norm = 1.0 - FIELD_B[f] + FIELD_B[f] * terms.len() as f32 / avg[f];
                let w = FIELD_WEIGHTS[f] / norm;
                for &t in terms {
                    if tf[t as usize] == 0.0 {
                        touched.push(t);
                    }
                    tf[t as usize] += w;
                }
            }
            for t in touched.drain(..) {
                postings[t as usize].push(Posting {
                    method: i as u32,
                    tf: std::mem::take(&mut tf[t as usize]),
                });
            }
        }
        self.index.idf = postings
            .iter()
            .map(|p| {
                let df = p.len() as f32;
                (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
            })
            .collect();
        self.index.postings = postings;
        self.index
    }
}
