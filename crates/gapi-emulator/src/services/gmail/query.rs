//! Gmail's search operators for `q`: `from:`, `to:`, `cc:`, `bcc:`, `subject:`, `is:`,
//! `has:attachment`, `filename:`, `label:`, `in:`, `after:`/`before:` (dates at midnight
//! Pacific time, as Gmail reads them, or epoch seconds), `newer_than:`/`older_than:`, free
//! words and "quoted phrases", `-` to negate, `OR` between two terms.

use super::model::{Mailbox, StoredMessage};
use crate::framework::api_error::ApiError;

/// One condition.
#[derive(Debug, Clone, PartialEq)]
enum Cond {
    From(String),
    To(String),
    Cc(String),
    Bcc(String),
    Subject(String),
    Label(String),
    Unread(bool),
    Starred,
    Important,
    HasAttachment,
    Filename(String),
    AfterMs(u64),
    BeforeMs(u64),
    Text(String),
    Or(Box<Term>, Box<Term>),
}

#[derive(Debug, Clone, PartialEq)]
struct Term {
    negated: bool,
    cond: Cond,
}

/// A parsed `q`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    terms: Vec<Term>,
    /// `in:trash`, `in:spam` or `in:anywhere` was asked for (they are otherwise left out).
    pub wants_spam_trash: bool,
}

fn tokens(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in q.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn unquote(s: &str) -> String {
    s.trim_matches(|c| c == '"' || c == '(' || c == ')')
        .to_lowercase()
}

/// Midnight Pacific time of `YYYY/MM/DD` (or `-`), or epoch seconds.
fn date_ms(value: &str, op: &str) -> Result<u64, ApiError> {
    let bad = || ApiError::invalid_param("q", format!("Invalid {op} date: {value}"));
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().map(|s| s * 1000).map_err(|_| bad());
    }
    let parts: Vec<&str> = value.split(['/', '-']).collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let (y, m, d) = (
        y.parse::<i16>().map_err(|_| bad())?,
        m.parse::<i8>().map_err(|_| bad())?,
        d.parse::<i8>().map_err(|_| bad())?,
    );
    let date = jiff::civil::Date::new(y, m, d).map_err(|_| bad())?;
    let zoned = date
        .to_zoned(jiff::tz::TimeZone::get("America/Los_Angeles").map_err(|_| bad())?)
        .map_err(|_| bad())?;
    u64::try_from(zoned.timestamp().as_millisecond()).map_err(|_| bad())
}

/// `2d`, `3m`, `1y` ago, in ms before `now`.
fn age_ms(value: &str, now: u64) -> Result<u64, ApiError> {
    let bad = || ApiError::invalid_param("q", format!("Invalid age: {value} (use 2d, 3m, 1y)"));
    let (num, unit) = value.split_at(value.len().saturating_sub(1));
    let n: u64 = num.parse().map_err(|_| bad())?;
    let day = 86_400_000u64;
    let span = match unit {
        "d" => n * day,
        "m" => n * 30 * day,
        "y" => n * 365 * day,
        _ => return Err(bad()),
    };
    Ok(now.saturating_sub(span))
}

fn term(token: &str, me: &str, now: u64, q: &mut Query) -> Result<Option<Term>, ApiError> {
    let (negated, body) = match token.strip_prefix('-') {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, token),
    };
    let me_or = |v: String| if v == "me" { me.to_lowercase() } else { v };
    let cond = match body.split_once(':') {
        Some((op, value)) if !value.is_empty() => {
            let value_l = unquote(value);
            match op.to_ascii_lowercase().as_str() {
                "from" => Cond::From(me_or(value_l)),
                "to" => Cond::To(me_or(value_l)),
                "cc" => Cond::Cc(me_or(value_l)),
                "bcc" => Cond::Bcc(me_or(value_l)),
                "subject" => Cond::Subject(value_l),
                "label" => Cond::Label(value_l),
                "filename" => Cond::Filename(value_l),
                "in" => match value_l.as_str() {
                    "anywhere" => {
                        q.wants_spam_trash = true;
                        return Ok(None);
                    }
                    "trash" | "spam" => {
                        q.wants_spam_trash = true;
                        Cond::Label(value_l)
                    }
                    _ => Cond::Label(value_l),
                },
                "is" => match value_l.as_str() {
                    "unread" => Cond::Unread(true),
                    "read" => Cond::Unread(false),
                    "starred" => Cond::Starred,
                    "important" => Cond::Important,
                    other => Cond::Label(other.to_owned()),
                },
                "has" => match value_l.as_str() {
                    "attachment" => Cond::HasAttachment,
                    other => {
                        return Err(ApiError::invalid_param(
                            "q",
                            format!("The emulator does not support has:{other}."),
                        ));
                    }
                },
                "after" => Cond::AfterMs(date_ms(&value_l, "after")?),
                "before" => Cond::BeforeMs(date_ms(&value_l, "before")?),
                "newer_than" => Cond::AfterMs(age_ms(&value_l, now)?),
                "older_than" => Cond::BeforeMs(age_ms(&value_l, now)?),
                _ => Cond::Text(unquote(body)),
            }
        }
        _ => Cond::Text(unquote(body)),
    };
    Ok(Some(Term { negated, cond }))
}

impl Query {
    /// Parses `q` for the mailbox of `me` (`from:me`), with `now` for `newer_than:`.
    pub(crate) fn parse(text: &str, me: &str, now: u64) -> Result<Self, ApiError> {
        let mut q = Query::default();
        let mut pending_or = false;
        for token in tokens(text) {
            if token == "OR" || token == "|" {
                pending_or = !q.terms.is_empty();
                continue;
            }
            let Some(t) = term(&token, me, now, &mut q)? else {
                continue;
            };
            if pending_or && let Some(prev) = q.terms.pop() {
                q.terms.push(Term {
                    negated: false,
                    cond: Cond::Or(Box::new(prev), Box::new(t)),
                });
            } else {
                q.terms.push(t);
            }
            pending_or = false;
        }
        Ok(q)
    }

    /// Whether `m` (in `mailbox`) matches every term.
    pub(crate) fn matches(&self, m: &StoredMessage, mailbox: &Mailbox) -> bool {
        self.terms.iter().all(|t| eval(t, m, mailbox))
    }
}

fn label_matches(name: &str, m: &StoredMessage, mailbox: &Mailbox) -> bool {
    let norm = |s: &str| s.to_lowercase().replace([' ', '/'], "-");
    let wanted = norm(name);
    m.label_ids.iter().any(|id| {
        norm(id) == wanted
            || mailbox
                .labels
                .get(id)
                .is_some_and(|l| norm(&l.name) == wanted)
    })
}

fn eval(t: &Term, m: &StoredMessage, mailbox: &Mailbox) -> bool {
    let i = &m.index;
    let has = |l: &str| m.label_ids.iter().any(|x| x == l);
    let r = match &t.cond {
        Cond::From(v) => i.from.contains(v.as_str()),
        Cond::To(v) => {
            i.to.contains(v.as_str()) || i.cc.contains(v.as_str()) || i.bcc.contains(v.as_str())
        }
        Cond::Cc(v) => i.cc.contains(v.as_str()),
        Cond::Bcc(v) => i.bcc.contains(v.as_str()),
        Cond::Subject(v) => i.subject.contains(v.as_str()),
        Cond::Label(v) => label_matches(v, m, mailbox),
        Cond::Unread(u) => has("UNREAD") == *u,
        Cond::Starred => has("STARRED"),
        Cond::Important => has("IMPORTANT"),
        Cond::HasAttachment => i.has_attachment,
        Cond::Filename(v) => {
            i.has_attachment
                && String::from_utf8_lossy(&m.raw)
                    .to_lowercase()
                    .contains(v.as_str())
        }
        Cond::AfterMs(ms) => m.internal_ms >= *ms,
        Cond::BeforeMs(ms) => m.internal_ms < *ms,
        Cond::Text(v) => {
            i.subject.contains(v.as_str())
                || i.text.contains(v.as_str())
                || i.from.contains(v.as_str())
                || i.to.contains(v.as_str())
        }
        Cond::Or(a, b) => eval(a, m, mailbox) || eval(b, m, mailbox),
    };
    r != t.negated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_operators() {
        let q = Query::parse(
            "from:bob -is:unread subject:\"quarterly report\" has:attachment after:2026/03/01 a OR b in:anywhere",
            "alice@example.com",
            0,
        )
        .unwrap();
        assert!(q.wants_spam_trash);
        assert_eq!(q.terms[0].cond, Cond::From("bob".into()));
        assert!(q.terms[1].negated);
        assert_eq!(q.terms[2].cond, Cond::Subject("quarterly report".into()));
        // 2026-03-01 00:00 PST = 08:00 UTC.
        assert_eq!(q.terms[4].cond, Cond::AfterMs(1_772_352_000_000));
        assert!(matches!(q.terms[5].cond, Cond::Or(_, _)));
        assert!(Query::parse("after:2026/13/01", "a@x", 0).is_err());
        assert_eq!(
            Query::parse("to:me", "Alice@Example.com", 0).unwrap().terms[0].cond,
            Cond::To("alice@example.com".into())
        );
    }
}
