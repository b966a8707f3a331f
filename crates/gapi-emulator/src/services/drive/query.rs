//! The Drive search language of `files.list`'s `q`: `name contains 'x'`, `name = 'x'`,
//! `mimeType = '...'`, `trashed = false`, `'ID' in parents`, time comparisons, `fullText`,
//! combined with `and`, `or`, `not` and parentheses.

use crate::framework::api_error::ApiError;
use crate::framework::time::parse_rfc3339;

use super::model::DriveFile;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Str(String),
    Word(String),
    Op(&'static str),
    Open,
    Close,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            '\'' | '"' => {
                let quote = c;
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated string".into()),
                        Some('\\') => {
                            match chars.get(i + 1) {
                                Some(n) => s.push(*n),
                                None => return Err("unterminated string".into()),
                            }
                            i += 2;
                        }
                        Some(ch) if *ch == quote => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            s.push(*ch);
                            i += 1;
                        }
                    }
                }
                out.push(Token::Str(s));
            }
            '=' => {
                out.push(Token::Op("="));
                i += 1;
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                out.push(Token::Op("!="));
                i += 2;
            }
            '<' | '>' => {
                let eq = chars.get(i + 1) == Some(&'=');
                out.push(Token::Op(match (c, eq) {
                    ('<', true) => "<=",
                    ('<', false) => "<",
                    ('>', true) => ">=",
                    _ => ">",
                }));
                i += if eq { 2 } else { 1 };
            }
            c if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.'))
                {
                    i += 1;
                }
                out.push(Token::Word(chars[start..i].iter().collect()));
            }
            other => return Err(format!("unexpected character '{other}'")),
        }
    }
    Ok(out)
}

/// A parsed query.
#[derive(Debug, Clone)]
pub(crate) enum Query {
    And(Box<Query>, Box<Query>),
    Or(Box<Query>, Box<Query>),
    Not(Box<Query>),
    Text {
        field: TextField,
        op: &'static str,
        value: String,
    },
    Flag {
        field: FlagField,
        equal: bool,
        value: bool,
    },
    Time {
        field: TimeField,
        op: &'static str,
        ms: u64,
    },
    InParents(String),
    InOwners(String),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum TextField {
    Name,
    MimeType,
    FullText,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum FlagField {
    Trashed,
    Starred,
    SharedWithMe,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum TimeField {
    Modified,
    Created,
    ViewedByMe,
    ModifiedByMe,
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn or(&mut self, depth: usize) -> Result<Query, String> {
        let mut left = self.and(depth)?;
        while self.peek_word("or") {
            self.pos += 1;
            let right = self.and(depth)?;
            left = Query::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Query, String> {
        let mut left = self.unary(depth)?;
        while self.peek_word("and") {
            self.pos += 1;
            let right = self.unary(depth)?;
            left = Query::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Query, String> {
        if depth > 32 {
            return Err("the query is nested too deeply".into());
        }
        if self.peek_word("not") {
            self.pos += 1;
            return Ok(Query::Not(Box::new(self.unary(depth + 1)?)));
        }
        if self.tokens.get(self.pos) == Some(&Token::Open) {
            self.pos += 1;
            let inner = self.or(depth + 1)?;
            if self.next() != Some(Token::Close) {
                return Err("missing ')'".into());
            }
            return Ok(inner);
        }
        self.term()
    }

    fn term(&mut self) -> Result<Query, String> {
        match self.next() {
            Some(Token::Str(value)) => {
                if !self.peek_word("in") {
                    return Err(format!("expected 'in' after '{value}'"));
                }
                self.pos += 1;
                match self.next() {
                    Some(Token::Word(w)) if w == "parents" => Ok(Query::InParents(value)),
                    Some(Token::Word(w))
                        if matches!(w.as_str(), "owners" | "writers" | "readers") =>
                    {
                        Ok(Query::InOwners(value))
                    }
                    _ => Err("expected parents, owners, writers or readers after 'in'".into()),
                }
            }
            Some(Token::Word(field)) => {
                let op = match self.next() {
                    Some(Token::Op(op)) => op,
                    Some(Token::Word(w)) if w.eq_ignore_ascii_case("contains") => "contains",
                    _ => return Err(format!("expected an operator after {field}")),
                };
                let value = self.next();
                self.field_term(&field, op, value)
            }
            Some(other) => Err(format!("unexpected {other:?}")),
            None => Err("the query ends too early".into()),
        }
    }

    fn field_term(
        &mut self,
        field: &str,
        op: &'static str,
        value: Option<Token>,
    ) -> Result<Query, String> {
        let text_field = match field {
            "name" => Some(TextField::Name),
            "mimeType" => Some(TextField::MimeType),
            "fullText" => Some(TextField::FullText),
            _ => None,
        };
        if let Some(tf) = text_field {
            let Some(Token::Str(v)) = value else {
                return Err(format!("{field} must be compared with a quoted string"));
            };
            let allowed = match tf {
                TextField::Name | TextField::MimeType => matches!(op, "=" | "!=" | "contains"),
                TextField::FullText => op == "contains",
            };
            if !allowed {
                return Err(format!("operator {op} is not supported for {field}"));
            }
            return Ok(Query::Text {
                field: tf,
                op,
                value: v,
            });
        }
        let flag = match field {
            "trashed" => Some(FlagField::Trashed),
            "starred" => Some(FlagField::Starred),
            "sharedWithMe" => Some(FlagField::SharedWithMe),
            _ => None,
        };
        if let Some(ff) = flag {
            let b = match value {
                Some(Token::Word(w)) if w == "true" => true,
                Some(Token::Word(w)) if w == "false" => false,
                _ => return Err(format!("{field} must be compared with true or false")),
            };
            let equal = match op {
                "=" => true,
                "!=" => false,
                _ => return Err(format!("operator {op} is not supported for {field}")),
            };
            return Ok(Query::Flag {
                field: ff,
                equal,
                value: b,
            });
        }
        let time = match field {
            "modifiedTime" => TimeField::Modified,
            "createdTime" => TimeField::Created,
            "viewedByMeTime" => TimeField::ViewedByMe,
            "modifiedByMeTime" => TimeField::ModifiedByMe,
            other => return Err(format!("unknown or unsupported field {other}")),
        };
        let Some(Token::Str(v)) = value else {
            return Err(format!(
                "{field} must be compared with a quoted RFC 3339 date"
            ));
        };
        if op == "contains" {
            return Err(format!("operator contains is not supported for {field}"));
        }
        let ms = parse_rfc3339(&v).ok_or_else(|| format!("'{v}' is not an RFC 3339 date"))?;
        Ok(Query::Time {
            field: time,
            op,
            ms,
        })
    }
}

/// Parses `q`; errors are 400 `invalid` naming `q`.
pub(crate) fn parse(text: &str) -> Result<Query, ApiError> {
    let fail = |why: String| ApiError::invalid_param("q", format!("Invalid Value: {why}"));
    let tokens = tokenize(text).map_err(fail)?;
    let mut parser = Parser { tokens, pos: 0 };
    let q = parser.or(0).map_err(fail)?;
    if parser.pos < parser.tokens.len() {
        return Err(fail("unexpected text after the end of the query".into()));
    }
    Ok(q)
}

/// Drive matches `name contains` on word prefixes: `'rep'` matches "Quarterly report" but
/// `'port'` does not.
fn word_prefix(name: &str, term: &str) -> bool {
    let name = name.to_lowercase();
    let term = term.to_lowercase();
    if term.is_empty() {
        return true;
    }
    name.char_indices().any(|(i, _)| {
        let at_word_start = i == 0
            || name[..i]
                .chars()
                .next_back()
                .is_some_and(|p| !p.is_alphanumeric());
        at_word_start && name[i..].starts_with(&term)
    })
}

/// Context for evaluating a query on one user's file.
pub(crate) struct Ctx<'a> {
    pub owner_email: &'a str,
    pub root_id: &'a str,
}

impl Query {
    /// Whether `file` matches.
    pub(crate) fn matches(&self, file: &DriveFile, ctx: &Ctx<'_>) -> bool {
        match self {
            Query::And(a, b) => a.matches(file, ctx) && b.matches(file, ctx),
            Query::Or(a, b) => a.matches(file, ctx) || b.matches(file, ctx),
            Query::Not(a) => !a.matches(file, ctx),
            Query::Text { field, op, value } => {
                let subject = match field {
                    TextField::Name => file.name.as_str(),
                    TextField::MimeType => file.mime_type.as_str(),
                    TextField::FullText => {
                        let lower = value.to_lowercase();
                        let content_hit = file.content.as_ref().is_some_and(|c| {
                            String::from_utf8_lossy(c).to_lowercase().contains(&lower)
                        });
                        return file.name.to_lowercase().contains(&lower)
                            || file
                                .description
                                .as_ref()
                                .is_some_and(|d| d.to_lowercase().contains(&lower))
                            || content_hit;
                    }
                };
                match *op {
                    "=" => subject == value,
                    "!=" => subject != value,
                    _ => match field {
                        TextField::Name => word_prefix(subject, value),
                        _ => subject.contains(value.as_str()),
                    },
                }
            }
            Query::Flag {
                field,
                equal,
                value,
            } => {
                let actual = match field {
                    FlagField::Trashed => file.trashed,
                    FlagField::Starred => file.starred,
                    FlagField::SharedWithMe => false,
                };
                (actual == *value) == *equal
            }
            Query::Time { field, op, ms } => {
                let actual = match field {
                    TimeField::Modified => Some(file.modified_ms),
                    TimeField::Created => Some(file.created_ms),
                    TimeField::ViewedByMe => file.viewed_by_me_ms,
                    TimeField::ModifiedByMe => file.modified_by_me_ms,
                };
                let Some(a) = actual else {
                    return false;
                };
                match *op {
                    "=" => a == *ms,
                    "!=" => a != *ms,
                    "<" => a < *ms,
                    "<=" => a <= *ms,
                    ">" => a > *ms,
                    _ => a >= *ms,
                }
            }
            Query::InParents(id) => {
                let id = if id == "root" {
                    ctx.root_id
                } else {
                    id.as_str()
                };
                file.parents.iter().any(|p| p == id)
            }
            Query::InOwners(email) => email == "me" || email.eq_ignore_ascii_case(ctx.owner_email),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        for q in [
            "name contains 'report'",
            "name = 'it\\'s quoted.txt'",
            "mimeType = 'application/vnd.google-apps.folder' and trashed = false",
            "'root' in parents and not (starred = true or name contains 'x')",
            "modifiedTime > '2025-01-01T00:00:00' and fullText contains 'seeded'",
            "'alice@example.com' in owners",
        ] {
            assert!(parse(q).is_ok(), "{q}");
        }
        for q in [
            "name contains",
            "name ~ 'x'",
            "(name = 'x'",
            "trashed = 'false'",
            "size > 3",
            "'x' in folders",
            "name = 'unterminated",
            "name = 'a' and",
            "",
        ] {
            assert!(parse(q).is_err(), "{q}");
        }
    }

    #[test]
    fn name_contains_matches_word_prefixes() {
        assert!(word_prefix("Quarterly report Q1.pdf", "rep"));
        assert!(word_prefix("notes.txt", "txt"));
        assert!(!word_prefix("Quarterly report Q1.pdf", "port"));
    }

    #[test]
    fn random_input_never_panics() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let alphabet: Vec<char> = "name contains = != < > ( ) ' \\ and or not in parents trashed true , / * files(id) \u{8800}%\u{0}".chars().collect();
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            let text: String = (0..len)
                .map(|i| alphabet[((seed >> (i % 8 * 8)) as usize + i * 7) % alphabet.len()])
                .collect();
            let _ = parse(&text);
        }
    }
}
