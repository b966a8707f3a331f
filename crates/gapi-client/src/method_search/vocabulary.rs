//! The words people use for an API or a method that its own text lacks ("survey" is Forms,
//! "address book" is People, "check off" a task is `tasks.tasks.patch`): world knowledge
//! written by hand in `vocabulary.txt`, embedded, read once when the index is built.
//!
//! The file's lines:
//!
//! ```text
//! # comment
//! api forms: survey, questionnaire, quiz
//! method tasks.tasks.patch: mark done, check off, change due date
//! ```
//!
//! `api NAME` is the first segment of the API's method ids (`directory` for the Admin SDK's
//! Directory API); `method ID` a method id. Phrases are comma-separated, one to five words.
//! A malformed line is skipped and reported (a unit test keeps the bundled file free of
//! them); the rest of the file still counts.

use std::collections::HashMap;

/// The most words a phrase may have.
const MAX_PHRASE_WORDS: usize = 5;

/// The vocabulary bundled with the crate.
const BUNDLED: &str = include_str!("vocabulary.txt");

/// Phrases per API (by its method ids' first segment) and per method id, lower-cased, in the
/// file's order (several lines for one name add up).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Vocabulary {
    pub apis: HashMap<String, Vec<String>>,
    pub methods: HashMap<String, Vec<String>>,
}

/// A line of the vocabulary that could not be read: its number (from 1) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LineError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "vocabulary line {}: {}", self.line, self.message)
    }
}

/// The bundled vocabulary (its malformed lines, which a test rules out, are logged and
/// skipped).
pub(crate) fn bundled() -> Vocabulary {
    let (vocabulary, errors) = parse(BUNDLED);
    for e in errors {
        tracing::warn!("method search: {e}");
    }
    vocabulary
}

/// Reads a vocabulary text: what it says, and the lines it had to skip.
pub(crate) fn parse(text: &str) -> (Vocabulary, Vec<LineError>) {
    let mut out = Vocabulary::default();
    let mut errors = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Ok((kind, name, phrases)) => {
                let map = match kind {
                    Kind::Api => &mut out.apis,
                    Kind::Method => &mut out.methods,
                };
                let entry = map.entry(name).or_default();
                for p in phrases {
                    if !entry.contains(&p) {
                        entry.push(p);
                    }
                }
            }
            Err(message) => errors.push(LineError {
                line: n + 1,
                message,
            }),
        }
    }
    (out, errors)
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Api,
    Method,
}

/// One non-comment line: its kind, name and phrases (lower-cased, spaces collapsed).
fn parse_line(line: &str) -> Result<(Kind, String, Vec<String>), String> {
    let (head, list) = line
        .split_once(':')
        .ok_or("no ':' after the name (write `api NAME: phrase, phrase`)")?;
    let mut head = head.split_whitespace();
    let kind = match head.next() {
        Some("api") => Kind::Api,
        Some("method") => Kind::Method,
        other => {
            return Err(format!(
                "starts with {:?}, not `api` or `method`",
                other.unwrap_or("")
            ));
        }
    };
    let name = head.next().ok_or("no name before ':'")?;
    if head.next().is_some() {
        return Err("more than one name before ':'".into());
    }
    // Discovery method ids may hold '-' (`healthcare...fhir.Patient-everything`).
    let valid_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    if !name.chars().all(valid_char) || name.starts_with('.') || name.ends_with('.') {
        return Err(format!("{name:?} is not an API name or method id"));
    }
    match kind {
        Kind::Api if name.contains('.') => {
            return Err(format!(
                "{name:?} is a method id, not an API name (write `method {name}: ...`)"
            ));
        }
        Kind::Method if !name.contains('.') => {
            return Err(format!(
                "{name:?} is no method id (api.resource.method; write `api {name}: ...`)"
            ));
        }
        _ => {}
    }
    let mut phrases = Vec::new();
    for p in list.split(',') {
        let words: Vec<&str> = p.split_whitespace().collect();
        if words.is_empty() {
            return Err("an empty phrase (two commas, or a comma at the end)".into());
        }
        if words.len() > MAX_PHRASE_WORDS {
            return Err(format!(
                "phrase {:?} has {} words (at most {MAX_PHRASE_WORDS})",
                p.trim(),
                words.len()
            ));
        }
        // A phrase of stop words only ("google it") matches nothing: left out, the line kept.
        if super::text::phrase_words(p).is_empty() {
            continue;
        }
        phrases.push(words.join(" ").to_lowercase());
    }
    Ok((kind, name.to_string(), phrases))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_give_phrases_per_api_and_method() {
        let (v, errors) = parse(
            "# people's words\n\n\
             api forms: survey, Questionnaire ,  sign-up   form\n\
             method tasks.tasks.patch: mark done, check off\n\
             api forms: quiz, survey\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            v.apis["forms"],
            ["survey", "questionnaire", "sign-up form", "quiz"]
        );
        assert_eq!(v.methods["tasks.tasks.patch"], ["mark done", "check off"]);
        assert_eq!(v.apis.len(), 1);
        assert_eq!(v.methods.len(), 1);
    }

    #[test]
    fn malformed_lines_are_reported_and_skipped() {
        let text = "api forms survey\n\
                    thing forms: survey\n\
                    api forms.forms.get: survey\n\
                    method forms: survey\n\
                    api : survey\n\
                    api forms: survey,, quiz\n\
                    api forms: one two three four five six\n\
                    api forms: ,\n\
                    api two names: x\n\
                    api forms: poll, google it\n";
        let (v, errors) = parse(text);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5, 6, 7, 8, 9], "{errors:?}");
        // The good line still counts; its phrase of stop words only is left out.
        assert_eq!(v.apis["forms"], ["poll"]);
        assert!(errors[0].to_string().starts_with("vocabulary line 1: "));
        assert!(errors[6].message.contains("at most 5"), "{}", errors[6]);
    }

    /// The bundled file has no malformed line (each would be skipped at run time).
    #[test]
    fn the_bundled_vocabulary_is_well_formed() {
        let (v, errors) = parse(BUNDLED);
        let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(listed.is_empty(), "{}", listed.join("\n"));
        assert!(
            !v.apis.is_empty() || !v.methods.is_empty() || BUNDLED.trim().is_empty(),
            "a non-empty vocabulary says nothing"
        );
    }
}
