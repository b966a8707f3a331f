//! Mail addresses: a display name and an address, parsed from what a person types
//! (`Ann <ann@example.com>, bob@example.com`) or read from a header, and checked so nothing
//! can slip a second header into a message.

use std::fmt;

use crate::error::{Error, Result};

/// One mailbox: `Name <address>` or a bare address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// The display name, decoded (`Zoë Example`), if any.
    pub name: Option<String>,
    /// The address (`zoe@example.com`).
    pub email: String,
}

impl Mailbox {
    /// A mailbox with only an address, checked.
    pub fn new(email: impl Into<String>) -> Result<Mailbox> {
        let email = email.into();
        check_email(&email)?;
        Ok(Mailbox { name: None, email })
    }

    /// A mailbox with a display name, both checked.
    pub fn with_name(name: impl Into<String>, email: impl Into<String>) -> Result<Mailbox> {
        let mut m = Mailbox::new(email)?;
        let name = name.into();
        check_name(&name)?;
        m.name = Some(name).filter(|n| !n.trim().is_empty());
        Ok(m)
    }

    /// Parses one or more comma-separated mailboxes as a person types them or a header holds
    /// them (`"Doe, Ann" <ann@example.com>, bob@example.com`, RFC 2047 encoded names too).
    /// An empty text gives an empty list; a text with no address is an error.
    pub fn parse_list(text: &str) -> Result<Vec<Mailbox>> {
        if text.chars().any(|c| c.is_control() && c != '\t') {
            return Err(Error::invalid(format!(
                "the address list {text:?} contains a line break or control character; give addresses separated by commas"
            )));
        }
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let raw = format!("To: {text}\r\n\r\n");
        let parsed = mail_parser::MessageParser::default()
            .parse_headers(raw.as_bytes())
            .ok_or_else(|| Error::invalid(format!("{text:?} is not an address list")))?;
        let mut out = Vec::new();
        if let Some(addr) = parsed.to() {
            for a in addr.iter() {
                let Some(email) = a.address.as_deref() else {
                    continue;
                };
                let name = a.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
                out.push(match name {
                    Some(n) => Mailbox::with_name(n, email)?,
                    None => Mailbox::new(email)?,
                });
            }
        }
        if out.is_empty() {
            return Err(Error::invalid(format!(
                "{text:?} holds no e-mail address; give addresses like ann@example.com or \"Ann <ann@example.com>\""
            )));
        }
        Ok(out)
    }

    /// Parses exactly one mailbox.
    pub fn parse(text: &str) -> Result<Mailbox> {
        let mut list = Mailbox::parse_list(text)?;
        match list.len() {
            1 => Ok(list.remove(0)),
            0 => Err(Error::invalid("no address given")),
            n => Err(Error::invalid(format!(
                "{text:?} holds {n} addresses where one is expected"
            ))),
        }
    }

    /// Whether two mailboxes have the same address (ASCII case-insensitive, as mail systems
    /// treat them in practice).
    pub fn same_address(&self, other: &str) -> bool {
        self.email.eq_ignore_ascii_case(other.trim())
    }

    /// The domain part of the address.
    pub fn domain(&self) -> &str {
        self.email.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(n) if needs_quotes(n) => {
                write!(
                    f,
                    "\"{}\" <{}>",
                    n.replace('\\', "\\\\").replace('"', "\\\""),
                    self.email
                )
            }
            Some(n) => write!(f, "{n} <{}>", self.email),
            None => f.write_str(&self.email),
        }
    }
}

impl std::str::FromStr for Mailbox {
    type Err = Error;
    fn from_str(s: &str) -> Result<Mailbox> {
        Mailbox::parse(s)
    }
}

fn needs_quotes(name: &str) -> bool {
    name.chars().any(|c| "()<>[]:;@\\,.\"".contains(c))
}

/// An address must be `local@domain` with no spaces, brackets or control characters: what a
/// header can carry as is.
fn check_email(email: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(Error::invalid(format!(
            "{email:?} is not an e-mail address ({why}); give one like ann@example.com"
        )))
    };
    let Some((local, domain)) = email.rsplit_once('@') else {
        return bad("no @");
    };
    if local.is_empty() || domain.is_empty() {
        return bad("nothing before or after the @");
    }
    if email
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || "<>,;\"()[]\\".contains(c))
    {
        return bad("it contains a space, bracket, quote, comma or control character");
    }
    if !domain.contains('.') && !domain.eq_ignore_ascii_case("localhost") {
        return bad("the domain has no dot");
    }
    Ok(())
}

fn check_name(name: &str) -> Result<()> {
    if name.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Error::invalid(format!(
            "the display name {name:?} contains a line break or control character"
        )));
    }
    Ok(())
}

/// Removes mailboxes whose address is in `drop` or already listed (first one wins).
pub(crate) fn dedupe(list: Vec<Mailbox>, drop: &[&str]) -> Vec<Mailbox> {
    let mut out: Vec<Mailbox> = Vec::new();
    for m in list {
        if drop.iter().any(|d| m.same_address(d)) || out.iter().any(|o| o.same_address(&m.email)) {
            continue;
        }
        out.push(m);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        let list =
            Mailbox::parse_list("\"Doe, Ann\" <ann@example.com>, bob@example.com, Zoë <z@x.org>")
                .unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list[0].name.as_deref(), Some("Doe, Ann"));
        assert_eq!(list[0].email, "ann@example.com");
        assert_eq!(list[1], Mailbox::new("bob@example.com").unwrap());
        assert_eq!(list[2].name.as_deref(), Some("Zoë"));
        assert_eq!(list[0].to_string(), "\"Doe, Ann\" <ann@example.com>");
        let encoded = Mailbox::parse("=?UTF-8?Q?Zo=C3=AB?= <z@x.org>").unwrap();
        assert_eq!(encoded.name.as_deref(), Some("Zoë"));
    }

    #[test]
    fn refuses_injection_and_junk() {
        for bad in [
            "a@b.com\r\nBcc: evil@x.com",
            "a@b.com\nX: y",
            "no-at-sign",
            "Name only",
        ] {
            assert!(Mailbox::parse_list(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Mailbox::new("a b@c.d").is_err());
        assert!(Mailbox::new("a@b").is_err());
        assert!(Mailbox::with_name("x\r\ny", "a@b.c").is_err());
        assert!(Mailbox::parse_list("  ").unwrap().is_empty());
    }

    #[test]
    fn dedupe_drops_self_and_repeats() {
        let l = Mailbox::parse_list("A@x.com, b@x.com, a@x.com, me@x.com").unwrap();
        let d = dedupe(l, &["ME@x.com"]);
        let emails: Vec<&str> = d.iter().map(|m| m.email.as_str()).collect();
        assert_eq!(emails, ["A@x.com", "b@x.com"]);
    }
}
