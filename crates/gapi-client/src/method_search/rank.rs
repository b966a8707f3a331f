//! Scoring a query against the index: BM25 over the weighed term frequencies, one query word
//! at a time, each word scoring through its best-matching name (itself or a synonym) plus a
//! share of its other names; then scaled by the share of the query's words matched, and
//! lifted for the APIs most people mean.

use super::index::Index;
use super::synonyms::{Kind, alternatives};
use super::text::terms;

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

/// One query word: the term ids it is looked for under, each with its weight.
type Group = Vec<(u32, f32)>;

/// The query's words as groups of alternatives; words no method has still count (they lower
/// every method's coverage alike).
fn groups(index: &Index, query: &str) -> Vec<Group> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for t in terms(query) {
        if seen.contains(&t) {
            continue;
        }
        let mut group: Group = index.term(&t).map(|id| (id, 1.0)).into_iter().collect();
        for (alt, kind) in alternatives(&t) {
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
        seen.push(t);
        out.push(group);
    }
    out
}

/// The best `limit` methods for `query` among those whose API `keep` accepts, best first,
/// with their scores. Methods matching none of the words are never returned.
pub(crate) fn rank(
    index: &Index,
    query: &str,
    keep: impl Fn(usize) -> bool,
    limit: usize,
) -> Vec<(usize, f32)> {
    let groups = groups(index, query);
    let n = index.methods.len();
    let mut total = vec![0f32; n];
    let mut matched = vec![0u16; n];
    let mut best = vec![0f32; n];
    let mut touched: Vec<u32> = Vec::new();
    for group in &groups {
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
            best[m] = 0.0;
        }
        touched.clear();
    }
    let words = groups.len().max(1) as f32;
    let mut scored: Vec<(usize, f32)> = (0..n)
        .filter(|&m| matched[m] > 0 && keep(index.methods[m].api as usize))
        .map(|m| {
            let method = &index.methods[m];
            // Matching half of the words halves the score.
            let mut s = total[m] * matched[m] as f32 / words;
            if index.apis[method.api as usize].well_known {
                s *= WELL_KNOWN_BOOST;
            }
            if method.deprecated {
                s *= DEPRECATED_FACTOR;
            }
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
