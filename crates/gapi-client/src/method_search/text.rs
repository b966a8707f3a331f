//! Turning text into search terms: words split at punctuation and camelCase, stop words
//! dropped, a light English stemmer, and a few two-word names joined (`pub sub` -> `pubsub`).
//!
//! Queries and method texts go through the same functions, so a term of one meets the same
//! term of the other whatever its inflection (`files`/`file`, `sends`/`send`, `listing`/`list`).

use std::collections::HashSet;
use std::sync::OnceLock;

use foldhash::fast::FixedState;

/// Words that say nothing about which method is meant.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "api",
    "apis",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "each",
    "either",
    "else",
    "etc",
    "every",
    "for",
    "from",
    "google",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "let",
    "lets",
    "may",
    "me",
    "might",
    "mine",
    "must",
    "my",
    "of",
    "on",
    "onto",
    "or",
    "our",
    "ours",
    "please",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "someone",
    "something",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "too",
    "us",
    "using",
    "via",
    "want",
    "was",
    "way",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
];

/// Stop words that still tell a phrase from another ("who has access" is not "has access",
/// "mark all as read" not "mark as read"): kept when phrases are matched whole
/// ([`phrase_words`]).
const PHRASE_KEEPS: &[&str] = &[
    "all", "am", "any", "are", "can", "could", "did", "do", "does", "each", "every", "has", "have",
    "how", "is", "what", "when", "where", "which", "who", "whom", "whose", "why",
];

/// Words ending in `s` that are not plurals (shorter words are never stemmed).
const NOT_PLURAL: &[&str] = &[
    "alias", "always", "atlas", "bias", "canvas", "lens", "news", "perhaps", "series", "whereas",
];

/// Adjacent words that name one thing (stop words between them are skipped): they count as
/// that one word.
const JOINED: &[(&str, &str, &str)] = &[
    ("big", "query", "bigquery"),
    ("pub", "sub", "pubsub"),
    ("to", "do", "todo"),
    ("to", "dos", "todo"),
    ("you", "tube", "youtube"),
    ("e", "mail", "email"),
    ("e", "mails", "email"),
    ("free", "busy", "freebusy"),
    ("virtual", "machine", "vm"),
    ("virtual", "machines", "vm"),
];

/// A query's words as typed: `lower` (the query lower-cased) split at every character that is
/// not a letter or digit, stop words kept, for the rules that read word order ("who" first,
/// "to" before a container, "get rid of").
pub(crate) fn typed_words(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a lower-case word is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str, FixedState>> = OnceLock::new();
    // Every stop word is short: most words are ruled out by their length alone.
    word.len() <= 9
        && SET
            .get_or_init(|| STOP_WORDS.iter().copied().collect())
            .contains(word)
}

/// The words of a text, lower-cased: split at anything not a letter or digit, and each word
/// also at its camelCase humps (`calendarList` gives `calendar`, `list` and `calendarlist`).
#[cfg(test)]
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut humps = Vec::new();
    for_each_word(text, &mut humps, |w| out.push(w.to_lowercase()));
    out
}

/// Calls `f` with each word of `text` as [`words`] lists them (not yet lower-cased).
fn for_each_word<'t>(text: &'t str, humps: &mut Vec<usize>, mut f: impl FnMut(&'t str)) {
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() {
            continue;
        }
        camel_humps(raw, humps);
        if humps.is_empty() {
            f(raw);
            continue;
        }
        let mut start = 0;
        for &at in humps.iter() {
            f(&raw[start..at]);
            start = at;
        }
        f(&raw[start..]);
        f(raw);
    }
}

/// Where `word` breaks at camelCase humps: `aggregatedList` at `L`; `HTTPRequest` at `R`;
/// `v1beta` nowhere.
fn camel_humps(word: &str, out: &mut Vec<usize>) {
    out.clear();
    let b = word.as_bytes();
    if word.is_ascii() {
        for i in 1..b.len() {
            let (prev, c) = (b[i - 1], b[i]);
            let next_lower = b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            if c.is_ascii_uppercase()
                && (prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower))
            {
                out.push(i);
            }
        }
        return;
    }
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    for i in 1..chars.len() {
        let (at, c) = chars[i];
        let prev = chars[i - 1].1;
        let next_lower = chars.get(i + 1).is_some_and(|(_, n)| n.is_lowercase());
        if c.is_uppercase()
            && (prev.is_lowercase() || prev.is_numeric() || (prev.is_uppercase() && next_lower))
        {
            out.push(at);
        }
    }
}

/// Search terms of a text, in order, repeats kept: its words with stop words dropped, each
/// stemmed, two words that name one thing joined (`pub sub`; `free or busy`).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t.to_string()));
    out
}

/// The words of a text as a vocabulary phrase is matched whole: its terms, with the stop
/// words that ask something kept (`who has access` is `who has access`, where [`terms`]
/// gives `access`), distinct, in order.
pub fn phrase_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for_each_term_with(
        text,
        // The tails of contractions (`what's`, `don't`) say nothing either.
        |w| {
            (is_stop_word(w) && !PHRASE_KEEPS.contains(&w))
                || ["s", "t", "d", "ll", "re", "ve", "m"].contains(&w)
        },
        |t| {
            // "shared with whom" asks what "who is it shared with" asks.
            let t = if matches!(t, "whom" | "whose") {
                "who"
            } else {
                t
            };
            if !out.iter().any(|o| o == t) {
                out.push(t.to_string());
            }
        },
    );
    out
}

/// Calls `f` with each term [`terms`] lists, without allocating per word: the index is built
/// from ~600,000 words on the first search. A joined name stands for its two words (`big
/// query` is `bigquery` alone), so each word is held back until the next shows it is not the
/// first half of one.
pub fn for_each_term(text: &str, f: impl FnMut(&str)) {
    for_each_term_with(text, is_stop_word, f)
}

/// [`for_each_term`] with its own stop words.
fn for_each_term_with(text: &str, is_stop: impl Fn(&str) -> bool, mut f: impl FnMut(&str)) {
    let mut humps = Vec::new();
    let mut lower = String::new();
    // The previous word; the previous word that was not a stop word (and its stem), while
    // it waits to be passed on.
    let (mut prev_any, mut pending, mut pending_stem) =
        (String::new(), String::new(), String::new());
    let mut has_pending = false;
    for_each_word(text, &mut humps, |word| {
        lower.clear();
        if word.is_ascii() {
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        let joined = join(&prev_any, &lower)
            .map(|j| (j, has_pending && prev_any == pending))
            .or_else(|| {
                has_pending
                    .then(|| join(&pending, &lower))
                    .flatten()
                    .map(|j| (j, true))
            });
        if let Some((name, drops_pending)) = joined {
            if has_pending && !drops_pending {
                f(&pending_stem);
            }
            has_pending = false;
            f(name);
        } else if !is_stop(&lower) {
            if has_pending {
                f(&pending_stem);
            }
            pending.clone_from(&lower);
            stem_into(&lower, &mut pending_stem);
            has_pending = true;
        }
        std::mem::swap(&mut prev_any, &mut lower);
    });
    if has_pending {
        f(&pending_stem);
    }
}

/// Whether two adjacent lower-case words are one name (`to do`).
pub fn joins(a: &str, b: &str) -> bool {
    join(a, b).is_some()
}

/// The joined name of two adjacent words, if they make one.
fn join(a: &str, b: &str) -> Option<&'static str> {
    let first = |s: &str| s.as_bytes().first().copied();
    JOINED
        .iter()
        .find(|(x, y, _)| first(x) == first(a) && first(y) == first(b) && *x == a && *y == b)
        .map(|(_, _, joined)| *joined)
}

/// A light English stemmer: plural and verb endings off, then a final `e`, so that `files`,
/// `file`; `deleting`, `deleted`, `delete`; `policies`, `policy` each meet. Deliberately less
/// eager than Porter's (which makes `organization` an `organ`): API words are mostly nouns.
pub fn stem(word: &str) -> String {
    let mut out = String::new();
    stem_into(word, &mut out);
    out
}

/// [`stem`] into a buffer (cleared first).
pub fn stem_into(word: &str, w: &mut String) {
    w.clear();
    w.push_str(word);
    if w.len() <= 3 || !w.is_ascii() || w.bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    // Plurals and third-person verbs.
    if w.ends_with("ies") {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("sses")
        || ["xes", "ches", "shes", "zes"]
            .iter()
            .any(|s| w.ends_with(s))
    {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !NOT_PLURAL.contains(&word)
    {
        w.pop();
    }
    // -ing and -ed, when what is left is a word of its own (has a vowel, three letters or more),
    // except in nouns of their own (a `meeting` is a calendar event; Meet is an API).
    let noun = ["meeting", "building"].contains(&w.as_str());
    for suffix in ["ing", "ed"].into_iter().filter(|_| !noun) {
        if let Some(base) = w.strip_suffix(suffix)
            && base.len() >= 3
            && base.bytes().any(|b| b"aeiouy".contains(&b))
        {
            let n = base.len();
            w.truncate(n);
            let b = w.as_bytes();
            let (last, before) = (b[n - 1], b[n - 2]);
            if last == before && !b"lsdfz".contains(&last) && !b"aeiou".contains(&last) {
                w.pop(); // running -> run, but calling -> call, added -> add
            } else if last == b'i' {
                w.pop();
                w.push('y'); // copied -> copy
            }
            break;
        }
    }
    if w.len() > 3 && w.ends_with('e') && !w.ends_with("ee") {
        w.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_fit_the_length_shortcut() {
        assert!(
            STOP_WORDS.iter().all(|w| w.len() <= 9),
            "is_stop_word skips longer words"
        );
        assert!(is_stop_word("the") && is_stop_word("someone") && !is_stop_word("file"));
    }

    #[test]
    fn stems_meet_across_inflections() {
        for group in [
            &["file", "files"][..],
            &["send", "sends", "sending"],
            &["list", "lists", "listing", "listed"],
            &["delete", "deletes", "deleted", "deleting"],
            &["message", "messages"],
            &["policy", "policies"],
            &["meeting", "meetings"],
            &["copy", "copies", "copied"],
            &["address", "addresses"],
            &["search", "searches"],
            &["run", "running"],
            &["call", "calling"],
            &["add", "added"],
            &["alias", "aliases"],
            &["box", "boxes"],
        ] {
            let stems: Vec<String> = group.iter().map(|w| stem(w)).collect();
            assert!(
                stems.iter().all(|s| *s == stems[0]),
                "{group:?} -> {stems:?}"
            );
        }
        // Words that must not be cut.
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("access"), "access");
        assert_eq!(stem("string"), "string");
        assert_eq!(stem("dns"), "dns");
        assert_eq!(stem("v1beta"), "v1beta");
        assert_ne!(stem("organization"), stem("organ"));
        // A meeting is not the Meet API.
        assert_eq!(stem("meetings"), "meeting");
        assert_ne!(stem("meeting"), stem("meet"));
    }

    #[test]
    fn words_split_at_punctuation_and_camel_humps() {
        assert_eq!(words("drive.files.list"), ["drive", "files", "list"]);
        assert_eq!(
            words("aggregatedList"),
            ["aggregated", "list", "aggregatedlist"]
        );
        assert_eq!(words("HTTPRequest"), ["http", "request", "httprequest"]);
        assert_eq!(words("v1beta"), ["v1beta"]);
        assert_eq!(words("  "), Vec::<String>::new());
    }

    #[test]
    fn terms_drop_stop_words_and_join_names() {
        assert_eq!(terms("list the files in my drive"), ["list", "fil", "driv"]);
        assert_eq!(
            terms("publish to a Pub/Sub topic"),
            ["publish", "pubsub", "topic"]
        );
        assert_eq!(terms("add a to-do"), ["add", "todo"]);
        assert_eq!(terms("free or busy"), ["freebusy"]);
        assert_eq!(terms("start a virtual machine"), ["start", "vm"]);
        assert!(terms("how do I do it").is_empty());
    }

    #[test]
    fn phrase_words_keep_what_a_question_asks() {
        assert_eq!(phrase_words("who has access"), ["who", "has", "access"]);
        assert_eq!(phrase_words("mark all as read"), ["mark", "all", "read"]);
        assert_eq!(
            phrase_words("what's on my to-do list, my list"),
            ["what", "todo", "list"]
        );
        assert!(phrase_words("of the").is_empty());
        assert_eq!(phrase_words("shared with whom"), ["shar", "who"]);
    }
}
