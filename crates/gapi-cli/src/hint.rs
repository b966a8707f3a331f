//! A hint, the line said after the causes of an error (`hint: ...`), as data: what it says and
//! whether it tells how to log in. Errors of this CLI carry one; `exit::hints_for_error` collects
//! them by type and `auth_hints` makes the ones that name the login command.

/// A line said after the causes of an error (`hint: ...`), carried as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    text: String,
    about: About,
}

/// What a hint is about, so a report adds the login command only when no hint says how to log
/// in, and a bare "log in again" gives way to a hint that names the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// Anything else.
    Other,
    /// Says how to log in (names the command, or the scopes to log in for).
    Login,
    /// Says to log in again without the command.
    BareLogin,
}

impl Hint {
    /// A hint about anything but logging in.
    pub fn new(text: impl Into<String>) -> Self {
        Self::of(text, About::Other)
    }

    /// A hint of the given kind.
    pub fn of(text: impl Into<String>, about: About) -> Self {
        Hint {
            text: text.into(),
            about,
        }
    }

    /// The words after `hint: `.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What the hint is about.
    pub fn about(&self) -> About {
        self.about
    }
}
