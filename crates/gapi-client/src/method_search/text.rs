//! Turning text into search terms: words split at punctuation and camelCase, stop words
//! dropped, a light English stemmer, and a few two-word names joined (`pub sub` -> `pubsub`).
//!
//! Queries and method texts go through the same functions, so a term of one meets the same
//! term of the other whatever its inflection (`files`/`file`, `sends`/`send`, `listing`/`list`).

/// Words that say nothing about which method is meant.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "api", "apis", "are", "as",
    "at", "be", "been", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "each",
    "either", "else", "etc", "every", "for", "from", "google", "had", "has", "have", "he", "her",
    "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "let", "lets",
    "may", "me", "might", "mine", "must", "my", "of", "on", "onto", "or", "our", "ours", "please",
    "shall", "she", "should", "so", "some", "someone", "something", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "us",
    "using", "via", "want", "was", "way", "we", "were", "what", "when", "where", "whether",
    "which", "while", "who", "whom", "whose", "why", "will", "with", "would", "you", "your",
    "yours",
];

/// Words ending in `s` that are not plurals (shorter words are never stemmed).
const NOT_PLURAL: &[&str] = &[
    "alias", "always", "atlas", "bias", "canvas", "lens", "news", "perhaps", "series", "whereas",
];

/// Adjacent words that name one thing, matched before and after stop words are dropped.
const JOINED: &[(&str, &str, &str)] = &[
    ("big", "query", "bigquery"),
    ("pub", "sub", "pubsub"),
    ("to", "do", "todo"),
    ("to", "dos", "todo"),
    ("you", "tube", "youtube"),
    ("e", "mail", "email"),
    ("e", "mails", "email"),
    ("free", "busy", "freebusy"),
];

/// Whether a lower-case word is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The words of a text, lower-cased: split at anything not a letter or digit, and each word
/// also at its camelCase humps (`calendarList` gives `calendar`, `list` and `calendarlist`).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() {
            continue;
        }
        let parts = camel_parts(raw);
        if parts.len() > 1 {
            out.extend(parts.iter().map(|p| p.to_lowercase()));
        }
        out.push(raw.to_lowercase());
    }
    out
}

/// `aggregatedList` -> `aggregated`, `List`; `HTTPRequest` -> `HTTP`, `Request`; `v1beta` stays.
fn camel_parts(word: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        let (at, c) = chars[i];
        let prev = chars[i - 1].1;
        let next_lower = chars.get(i + 1).is_some_and(|(_, n)| n.is_lowercase());
        let hump = c.is_uppercase() && (prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower));
        if hump {
            parts.push(&word[start..at]);
            start = at;
        }
    }
    parts.push(&word[start..]);
    parts
}

/// Search terms of a text, in order, repeats kept: its words with stop words dropped, each
/// stemmed, then any joined names (`pub sub`, or `free or busy` once stop words are gone).
pub fn terms(text: &str) -> Vec<String> {
    let words = words(text);
    let kept: Vec<String> = words.iter().filter(|w| !is_stop_word(w)).cloned().collect();
    let mut out: Vec<String> = kept.iter().map(|w| stem(w)).collect();
    let mut joined = Vec::new();
    join_pairs(&words, &mut joined);
    join_pairs(&kept, &mut joined);
    joined.dedup();
    out.extend(joined);
    out
}

fn join_pairs(words: &[String], out: &mut Vec<String>) {
    for pair in words.windows(2) {
        for (a, b, joined) in JOINED {
            if pair[0] == *a && pair[1] == *b && !out.iter().any(|o| o == joined) {
                out.push((*joined).to_string());
            }
        }
    }
}

/// A light English stemmer: plural and verb endings off, then a final `e`, so that `files`,
/// `file`; `deleting`, `deleted`, `delete`; `policies`, `policy` each meet. Deliberately less
/// eager than Porter's (which makes `organization` an `organ`): API words are mostly nouns.
pub fn stem(word: &str) -> String {
    let mut w = word.to_string();
    if w.len() <= 3 || !w.is_ascii() || w.bytes().any(|b| b.is_ascii_digit()) {
        return w;
    }
    // Plurals and third-person verbs.
    if let Some(base) = w.strip_suffix("ies") {
        w = format!("{base}y");
    } else if w.ends_with("sses") || ["xes", "ches", "shes", "zes"].iter().any(|s| w.ends_with(s)) {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !NOT_PLURAL.contains(&word)
    {
        w.pop();
    }
    // -ing and -ed, when what is left is a word of its own (has a vowel, three letters or more).
    for suffix in ["ing", "ed"] {
        if let Some(base) = w.strip_suffix(suffix)
            && base.len() >= 3
            && base.bytes().any(|b| b"aeiouy".contains(&b))
        {
            let mut base = base.to_string();
            let b = base.as_bytes();
            let n = b.len();
            if b[n - 1] == b[n - 2] && !b"lsdfz".contains(&b[n - 1]) && !b"aeiou".contains(&b[n - 1]) {
                base.pop(); // running -> run, but calling -> call, added -> add
            } else if b[n - 1] == b'i' {
                base.pop();
                base.push('y'); // copied -> copy
            }
            w = base;
            break;
        }
    }
    if w.len() > 3 && w.ends_with('e') && !w.ends_with("ee") {
        w.pop();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]), "keep STOP_WORDS sorted");
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
            assert!(stems.iter().all(|s| *s == stems[0]), "{group:?} -> {stems:?}");
        }
        // Words that must not be cut.
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("access"), "access");
        assert_eq!(stem("string"), "string");
        assert_eq!(stem("dns"), "dns");
        assert_eq!(stem("v1beta"), "v1beta");
        assert_ne!(stem("organization"), stem("organ"));
    }

    #[test]
    fn words_split_at_punctuation_and_camel_humps() {
        assert_eq!(words("drive.files.list"), ["drive", "files", "list"]);
        assert_eq!(words("aggregatedList"), ["aggregated", "list", "aggregatedlist"]);
        assert_eq!(words("HTTPRequest"), ["http", "request", "httprequest"]);
        assert_eq!(words("v1beta"), ["v1beta"]);
        assert_eq!(words("  "), Vec::<String>::new());
    }

    #[test]
    fn terms_drop_stop_words_and_join_names() {
        assert_eq!(terms("list the files in my drive"), ["list", "fil", "driv"]);
        let t = terms("publish to a Pub/Sub topic");
        assert!(t.contains(&"pubsub".to_string()) && t.contains(&"publish".to_string()), "{t:?}");
        assert!(terms("add a to-do").contains(&"todo".to_string()));
        assert!(terms("free or busy").contains(&"freebusy".to_string()));
        assert!(terms("how do I do it").is_empty());
    }
}
