//! Scoring a query against the index: BM25 over the weighed term frequencies, one query word
//! at a time, each word scoring through its best-matching name (itself or a synonym) plus a
//! share of its other names; then scaled by the share of the query's words matched, and
//! lifted for the APIs most people mean.

use super::action::{self, Action};
use super::index::{Index, Target};
use super::synonyms::{Kind, alternatives, api_alias};
use super::text::{phrase_words, stem, terms, typed_words};

/// BM25's saturation: how fast repeated occurrences stop adding.
const K1: f32 = 1.2;
/// What the other names of a word add beyond its best-matching one (`vm` finds a Compute
/// `instance` by the resource and the API at once).
const OTHER_ALTERNATIVES: f32 = 0.5;
/// What a synonym (`email` for `message`) is worth against the word itself.
const THING_WEIGHT: f32 = 0.7;
/// What an intent (`add` for `insert`) is worth against the word itself.
const INTENT_WEIGHT: f32 = 0.8;
/// The lift of a well-known API (Drive, Gmail, ...) over the others.
const WELL_KNOWN_BOOST: f32 = 1.1;
/// What a deprecated method keeps of its score.
const DEPRECATED_FACTOR: f32 = 0.7;
/// The lift of a method doing what the query's verb asks (`remove` and `delete`).
const ACTION_MATCH: f32 = 1.3;
/// The lift of one doing it to something the query does not name (`listReferrers`).
const ACTION_MATCH_OTHER: f32 = 1.1;
/// What a method doing another known thing keeps (`delete` when the query adds).
const ACTION_MISMATCH: f32 = 0.85;
/// A question only reads: a method that changes things answers none ("which VMs are
/// *running*" is no `instances.bulkInsert`, "which APIs are *turned on*" no `enable`).
const QUESTION_CHANGE: f32 = 0.6;
/// The lift of the APIs a query names ("in gmail", "youtube"), for their methods that match
/// more of the query than the name.
const NAMED_API_BOOST: f32 = 1.3;
/// The lift of a method whose resource (`permissions`, `disks`) is a thing the query names,
/// directly or by a synonym, and whose name names nothing else: `disks.list` over
/// `storagePools.listDisks` for "list the disks", `spreadsheets.get` over
/// `spreadsheets.getByDataFilter` for "get a spreadsheet".
const RESOURCE_MATCH: f32 = 1.5;
/// What a method keeps that does to the container what the query asks done to the thing in
/// it ("add a task *to my to-do list*" is no `tasklists.insert`, "delete a file *from a
/// bucket*" no `buckets.delete`, "list the videos *in a playlist*" no `playlists.list`).
const CONTAINER_MISMATCH: f32 = 0.7;
/// The lift of a method answering "who ..." (`action::answers_who`: an IAM policy, a list
/// of members or grants) for a query asking who.
const WHO_MATCH: f32 = 1.4;
/// Words after which a query names where its thing goes or comes from.
const CONTAINER_WORDS: &[&str] = &[
    "to", "into", "in", "inside", "within", "from", "for", "on", "onto",
];
/// The lift of a method for each word (up to three) of a vocabulary phrase of it that the
/// query has whole ("check off" for `tasks.tasks.patch`): a person wrote that phrase for that
/// method, stronger evidence than its words scattered over descriptions.
const PHRASE_LIFT_PER_WORD: f32 = 0.2;
/// The share of the methods having a word that must be one API's for the word to name it:
/// BigQuery's methods are 16% of those saying "bigquery" (other APIs export to it), Cloud
/// Run's 3% of those saying "run".
const NAMED_SHARE: f32 = 0.15;

/// How well a method's action fits the query's (`words`: the query's terms): reading one
/// when the query reads is neither lifted nor lowered.
fn action_fit(
    query: Option<Action>,
    method: Option<&(Action, Vec<String>)>,
    words: &[String],
    question: bool,
) -> f32 {
    match (query, method) {
        (Some(q), Some((m, rest))) if q == *m => {
            if rest.iter().all(|w| words.contains(w)) {
                ACTION_MATCH
            } else {
                ACTION_MATCH_OTHER
            }
        }
        (Some(Action::Get), Some((Action::List, _))) => 1.0,
        // A question reads: any read fits, a change does not.
        (Some(Action::Read), Some((Action::Get | Action::List, _))) => 1.0,
        (Some(q), Some((m, _))) if question && !action::same_kind(q, *m) => QUESTION_CHANGE,
        (Some(_), Some(_)) => ACTION_MISMATCH,
        _ => 1.0,
    }
}

/// One query word: the term ids it is looked for under, each with its weight.
type Group = Vec<(u32, f32)>;

/// The query's words as groups of alternatives, one per distinct term of `all` (the query's
/// terms, in order); words no method has still count (they lower every method's coverage
/// alike).
fn groups(index: &Index, query: &str, all: &[String]) -> Vec<Group> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let words = compound_words(query);
    for t in all {
        if seen.contains(t) {
            continue;
        }
        let mut group: Group = index.term(t).map(|id| (id, 1.0)).into_iter().collect();
        // Two words an API writes as one name (`task list` is `tasklists`, `machine type`
        // is `machineTypes`): each of the two is looked for under that name too.
        for pair in words.windows(2) {
            if stem(&pair[0]) == *t || stem(&pair[1]) == *t {
                let joined = stem(&format!("{}{}", pair[0], pair[1]));
                if let Some(id) = index.term(&joined)
                    && !group.iter().any(|(g, _)| *g == id)
                {
                    group.push((id, 1.0));
                }
            }
        }
        // The same for a synonym of the first word (`to-do list` is a `tasklists`), looked
        // for under both words.
        for pair in all.windows(2) {
            if pair[0] != *t && pair[1] != *t {
                continue;
            }
            for (alt, kind) in alternatives(&pair[0]) {
                if *kind != Kind::Thing {
                    continue;
                }
                let joined = stem(&format!("{alt}{}", pair[1]));
                if let Some(id) = index.term(&joined)
                    && !group.iter().any(|(g, _)| *g == id)
                {
                    group.push((id, THING_WEIGHT));
                }
            }
        }
        for (alt, kind) in alternatives(t) {
            let weight = match kind {
                Kind::Thing => THING_WEIGHT,
                Kind::Intent => INTENT_WEIGHT,
            };
            if let Some(id) = index.term(alt)
                && !group.iter().any(|(g, _)| *g == id)
            {
                group.push((id, weight));
            }
        }
        seen.push(t.clone());
        out.push(group);
    }
    out
}

/// The query's words that are not stop words, lower-cased, in order.
fn compound_words(query: &str) -> Vec<String> {
    typed_words(&query.to_lowercase())
        .into_iter()
        .filter(|w| !super::text::is_stop_word(w))
        .map(str::to_string)
        .collect()
}

/// The terms of the thing a query acts on (the words after its first word up to a container
/// word) and of its container (the last word after that: "a to-do *list*" is a `tasklists`,
/// a synonym of "to-do", `task`, is not the container), each with every term its group looks
/// for (`unique`: the query's distinct terms, in the order of `groups`).
fn object_and_container(
    query: &str,
    unique: &[String],
    groups: &[Group],
    index: &Index,
) -> (Vec<u32>, Vec<u32>) {
    let lower = query.to_lowercase();
    let words = typed_words(&lower);
    // "to" in "to-do" is half a name, not a container word.
    let Some(at) = (1..words.len()).find(|&i| {
        CONTAINER_WORDS.contains(&words[i])
            && !words
                .get(i + 1)
                .is_some_and(|next| super::text::joins(words[i], next))
    }) else {
        return (Vec::new(), Vec::new());
    };
    let (object, container) = words.split_at(at);
    let ids = |part: &[&str], last: bool| -> Vec<u32> {
        let mut out = Vec::new();
        let mut all = terms(&part.join(" "));
        if last && all.len() > 1 {
            all.drain(..all.len() - 1);
        }
        for t in all {
            if let Some(g) = unique
                .iter()
                .position(|u| *u == t)
                .and_then(|i| groups.get(i))
            {
                out.extend(g.iter().map(|(t, _)| *t));
            }
            out.extend(index.term(&t));
        }
        out
    };
    (ids(object, false), ids(container, true))
}

/// Whether a fair share (`NAMED_SHARE`) of the methods having `word` are API `a`'s (or no
/// method says it: then no other API does either).
fn owns(index: &Index, a: u32, word: &str) -> bool {
    let Some(term) = index.term(word) else {
        return true;
    };
    let postings = &index.postings[term as usize];
    let own = postings
        .iter()
        .filter(|p| index.methods[p.method as usize].api == a)
        .count();
    own as f32 >= NAMED_SHARE * postings.len() as f32
}

/// APIs the query names in separate words ("secret manager" is `secretmanager`, "text to
/// speech" `texttospeech`, "cloud scheduler" `cloudscheduler`): two or three adjacent words
/// (stop words included) that together spell an API's name name it, and their terms count
/// as names.
fn spelled_apart(index: &Index, query: &str, named: &mut [bool], name_terms: &mut Vec<u32>) {
    let lower = query.to_lowercase();
    let words = typed_words(&lower);
    for n in [2, 3] {
        for run in words.windows(n) {
            let joined = run.concat();
            let mut found = false;
            for (a, api) in index.apis.iter().enumerate() {
                if api.name.len() == joined.len() && api.name.eq_ignore_ascii_case(&joined) {
                    named[a] = true;
                    found = true;
                }
            }
            if found {
                for t in run.iter().filter_map(|w| index.term(&stem(w))) {
                    if !name_terms.contains(&t) {
                        name_terms.push(t);
                    }
                }
            }
        }
    }
}

/// Which APIs the query names, and which of its terms are such names: a word of it is an
/// API's name ("gmail", "youtube", "bigquery"), and a fair share of the methods that have
/// that word are the API's own. A name that is an everyday word many APIs use ("file",
/// "run", "task") names nothing. `words`: the query's distinct terms.
fn named_apis(index: &Index, words: &[String]) -> (Vec<bool>, Vec<u32>) {
    let mut named = vec![false; index.apis.len()];
    let mut name_terms = Vec::new();
    for word in words {
        // Another name of an API (`gcs`) names it whatever the share.
        if let Some(alias) = api_alias(word) {
            for (a, api) in index.apis.iter().enumerate() {
                named[a] |= api.name == alias;
            }
            if let Some(term) = index.term(word) {
                name_terms.push(term);
            }
        }
        let Some(term) = index.term(word) else {
            continue;
        };
        for (a, api) in index.apis.iter().enumerate() {
            if !api.names.contains(word) {
                continue;
            }
            let postings = &index.postings[term as usize];
            let own = postings
                .iter()
                .filter(|p| index.methods[p.method as usize].api as usize == a)
                .count();
            if own as f32 >= NAMED_SHARE * postings.len() as f32 {
                named[a] = true;
                name_terms.push(term);
            }
        }
    }
    (named, name_terms)
}

/// The vocabulary's phrases the query has whole (every word of the phrase is among the
/// query's, `text::phrase_words`): the APIs they name are marked in `named`, their terms
/// added to `name_terms` (so the named-API lift goes to methods matching more than the
/// phrase); the lift of each method one of its own phrases names, its best phrase's.
pub(crate) fn phrase_matches(
    index: &Index,
    query: &str,
    named: &mut [bool],
    name_terms: &mut Vec<u32>,
) -> (Vec<(u32, f32)>, Vec<bool>) {
    let mut by_vocabulary = vec![false; index.apis.len()];
    let words = phrase_words(query);
    let mut lifts: Vec<(u32, f32)> = Vec::new();
    for w in &words {
        let Some(found) = index.phrases_by_word.get(w) else {
            continue;
        };
        for &p in found {
            let phrase = &index.phrases[p as usize];
            // A phrase of question words only ("who is") names nothing.
            if !phrase.says_something || !phrase.words.iter().all(|x| words.contains(x)) {
                continue;
            }
            match phrase.target {
                // One word many other APIs say too ("iam" in every `getIamPolicy`) names
                // nothing, as for an API's own name (`named_apis`).
                Target::Api(a) if phrase.words.len() == 1 && !owns(index, a, &phrase.words[0]) => {}
                Target::Api(a) => {
                    named[a as usize] = true;
                    by_vocabulary[a as usize] = true;
                    for t in phrase.words.iter().filter_map(|x| index.term(x)) {
                        if !name_terms.contains(&t) {
                            name_terms.push(t);
                        }
                    }
                }
                Target::Method(m) => {
                    let lift = 1.0 + PHRASE_LIFT_PER_WORD * phrase.words.len().min(3) as f32;
                    match lifts.iter_mut().find(|(x, _)| *x == m) {
                        Some(e) => e.1 = e.1.max(lift),
                        None => lifts.push((m, lift)),
                    }
                }
            }
        }
    }
    (lifts, by_vocabulary)
}

/// The best `limit` methods for `query` among those whose API `keep` accepts, best first,
/// with their scores. Methods matching none of the words are never returned.
pub(crate) fn rank(
    index: &Index,
    query: &str,
    keep: impl Fn(usize) -> bool,
    limit: usize,
) -> Vec<(usize, f32)> {
    let wanted = action::of_query(query);
    // The query is split into terms once; `unique` keeps each once, in first-seen order (one
    // group per entry).
    let query_terms = terms(query);
    let mut unique: Vec<String> = Vec::new();
    for t in &query_terms {
        if !unique.contains(t) {
            unique.push(t.clone());
        }
    }
    let mut groups = groups(index, query, &query_terms);
    // A read verb with a plural object ("get my labels") asks for the list method: its verb
    // is looked for as `list` too.
    if let Some((Action::List, verb)) = &wanted
        && let (Some(v), Some(list)) = (index.term(verb), index.term("list"))
    {
        for g in &mut groups {
            if g.first().is_some_and(|(t, _)| *t == v) && !g.iter().any(|(t, _)| *t == list) {
                g.push((list, 1.0));
            }
        }
    }
    // A verb whose sense the words after it changed ("make *the disk* bigger" changes, "set
    // up" creates) is not looked for under the method names of its other sense; in a
    // question no verb is looked for under names that change things ("which channels am I
    // *subscribed* to" is no `subscriptions.insert`).
    let question = action::asks(query);
    if question {
        let changes = |alt: &str| {
            action::of_method(alt).is_some_and(|(k, _)| !action::same_kind(Action::Read, k))
        };
        for (g, t) in groups.iter_mut().zip(&unique) {
            let drop: Vec<u32> = alternatives(t)
                .iter()
                .filter(|(alt, kind)| *kind == Kind::Intent && changes(alt))
                .filter_map(|(alt, _)| index.term(alt))
                .collect();
            g.retain(|(x, _)| !drop.contains(x));
        }
    }
    if let Some((want, verb)) = &wanted
        && let Some(at) = unique.iter().position(|u| u == verb)
    {
        let other_sense: Vec<u32> = alternatives(verb)
            .iter()
            .filter(|(alt, kind)| {
                *kind == Kind::Intent
                    && action::of_method(alt).is_some_and(|(k, _)| !action::same_kind(*want, k))
            })
            .filter_map(|(alt, _)| index.term(alt))
            .collect();
        if let Some(g) = groups.get_mut(at) {
            g.retain(|(t, _)| !other_sense.contains(t));
        }
    }
    let (mut named, mut name_terms) = named_apis(index, &unique);
    spelled_apart(index, query, &mut named, &mut name_terms);
    let (phrase_lifts, by_vocabulary) = phrase_matches(index, query, &mut named, &mut name_terms);
    // Every term a query word is looked for under, for the resource match.
    let looked_for: Vec<u32> = groups.iter().flatten().map(|(t, _)| *t).collect();
    // Changing something "to" something else names no container: "invite someone to an
    // event" changes the event.
    let (object, container) = match wanted {
        Some((Action::Update, _)) | None => (Vec::new(), Vec::new()),
        Some(_) => object_and_container(query, &unique, &groups, index),
    };
    let who = action::asks_who(query);
    let n = index.methods.len();
    let mut total = vec![0f32; n];
    let mut matched = vec![0u16; n];
    // How many of the words a method matched are API names.
    let mut matched_names = vec![0u16; n];
    let mut best = vec![0f32; n];
    let mut touched: Vec<u32> = Vec::new();
    for group in &groups {
        let is_name = group.first().is_some_and(|(t, _)| name_terms.contains(t));
        for &(term, weight) in group {
            let idf = index.idf[term as usize];
            for p in &index.postings[term as usize] {
                let s = weight * idf * p.tf * (K1 + 1.0) / (p.tf + K1);
                let b = &mut best[p.method as usize];
                if *b == 0.0 {
                    touched.push(p.method);
                }
                // The best alternative, plus a share of the others.
                *b = if s > *b {
                    s + OTHER_ALTERNATIVES * *b
                } else {
                    *b + OTHER_ALTERNATIVES * s
                };
            }
        }
        for &m in &touched {
            let m = m as usize;
            total[m] += best[m];
            matched[m] += 1;
            matched_names[m] += u16::from(is_name);
            best[m] = 0.0;
        }
        touched.clear();
    }
    let words = groups.len().max(1) as f32;
    let name_groups = groups
        .iter()
        .filter(|g| g.first().is_some_and(|(t, _)| name_terms.contains(t)))
        .count() as u16;
    let mut scored: Vec<(usize, f32)> = (0..n)
        .filter(|&m| matched[m] > 0 && keep(index.methods[m].api as usize))
        .map(|m| {
            let method = &index.methods[m];
            // Matching half of the words halves the score.
            // The words of a phrase naming the API count as matched by all its methods.
            let covered = if by_vocabulary[method.api as usize] {
                matched[m] + name_groups.saturating_sub(matched_names[m])
            } else {
                matched[m]
            };
            let mut s = total[m] * covered as f32 / words;
            if index.apis[method.api as usize].well_known {
                s *= WELL_KNOWN_BOOST;
            }
            if method.deprecated {
                s *= DEPRECATED_FACTOR;
            }
            if let Some((_, lift)) = phrase_lifts.iter().find(|(x, _)| *x as usize == m) {
                s *= lift;
            }
            if named[method.api as usize] && matched[m] > matched_names[m] {
                s *= NAMED_API_BOOST;
            }
            // A question asking who asks for the IAM policy `getIamPolicy` names.
            let asked_who = who && method.answers_who;
            let names_only_query_things = asked_who
                || method.action.as_ref().is_none_or(|(_, rest)| {
                    rest.iter()
                        .all(|w| index.term(w).is_some_and(|t| looked_for.contains(&t)))
                });
            // The container the query names ("the videos *in a playlist*") is not the thing
            // it acts on.
            let only_container = |r: &u32| container.contains(r) && !object.contains(r);
            let named_resource = method
                .resource
                .is_some_and(|r| looked_for.contains(&r) && !only_container(&r));
            if names_only_query_things && named_resource {
                s *= RESOURCE_MATCH;
            }
            if asked_who {
                s *= WHO_MATCH;
            }
            // Who can read what is in a container is the container's IAM policy.
            if let (Some(r), Some((q, _)), Some((m, _))) =
                (method.resource, &wanted, &method.action)
                && !asked_who
                && action::same_kind(*q, *m)
                && container.contains(&r)
                && !object.contains(&r)
            {
                s *= CONTAINER_MISMATCH;
            }
            s *= action_fit(
                wanted.as_ref().map(|w| w.0),
                method.action.as_ref(),
                &query_terms,
                question,
            );
            (m, s)
        })
        .collect();
    let key = |m: usize| {
        let method = &index.methods[m];
        (
            !index.apis[method.api as usize].well_known,
            method.id.len(),
            method.id.as_str(),
        )
    };
    let order = |a: &(usize, f32), b: &(usize, f32)| {
        b.1.total_cmp(&a.1).then_with(|| key(a.0).cmp(&key(b.0)))
    };
    if limit == 0 {
        return Vec::new();
    }
    if scored.len() > limit {
        scored.select_nth_unstable_by(limit - 1, order);
        scored.truncate(limit);
    }
    scored.sort_by(order);
    scored
}
