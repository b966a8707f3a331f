//! The one place this CLI words its login command, and gapi-auth's remedies
//! (`gapi_auth::Remedy`, data) as the exact `gapi auth ...` command that fixes an error. The
//! library's own hint text names no program; `exit::hints_for_error` asks here for the words.

use gapi_auth::Remedy;

use crate::hint::{About, Hint};

/// The command the headless side prints for the machine with a browser.
pub const BOOTSTRAP_COMMAND: &str = "gapi auth login --remote-bootstrap";

/// Which OAuth client a login command names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Client {
    /// None: the stored login or `GAPI_CLIENT_SECRETS` names it.
    Omitted,
    /// A placeholder, `--client-secrets FILE`, left out when `GAPI_CLIENT_SECRETS` is set
    /// (the login then needs no flag).
    Needed,
    /// This client_secret.json.
    File(String),
    /// A working client's file, to be downloaded (the stored one is gone).
    New,
}

/// `gapi auth login` with what a given fix needs, said as one shell command or as its words.
#[derive(Debug, Clone)]
pub struct Login {
    client: Client,
    scopes: Vec<String>,
    add_scopes: Vec<String>,
    profile: Option<String>,
    prompt_consent: bool,
}

impl Login {
    /// `gapi auth login` for `profile` (`None` or the default profile: no `--profile`).
    pub fn new(profile: Option<&str>) -> Self {
        Login {
            client: Client::Omitted,
            scopes: Vec::new(),
            add_scopes: Vec::new(),
            profile: profile
                .filter(|p| *p != gapi_auth::DEFAULT_PROFILE)
                .map(str::to_string),
            prompt_consent: false,
        }
    }

    /// Names the OAuth client.
    pub fn client(mut self, client: Client) -> Self {
        self.client = client;
        self
    }

    /// With `--client-secrets FILE` when `needed`.
    pub fn client_needed(self, needed: bool) -> Self {
        self.client(if needed {
            Client::Needed
        } else {
            Client::Omitted
        })
    }

    /// Asks for these scopes (`--scope`).
    pub fn scopes(mut self, scopes: &[String]) -> Self {
        self.scopes = scopes.to_vec();
        self
    }

    /// Adds these scopes to the stored login (`--add-scope`).
    pub fn add_scopes(mut self, scopes: &[String]) -> Self {
        self.add_scopes = scopes.to_vec();
        self
    }

    /// Asks for consent again (`--prompt consent`).
    pub fn prompt_consent(mut self) -> Self {
        self.prompt_consent = true;
        self
    }

    /// The command's words, as a shell would split them.
    pub fn words(&self) -> Vec<String> {
        let mut words: Vec<String> = ["gapi", "auth", "login"].map(String::from).to_vec();
        let env_secrets = std::env::var_os("GAPI_CLIENT_SECRETS").is_some_and(|v| !v.is_empty());
        let client = match &self.client {
            Client::Omitted => None,
            Client::Needed if env_secrets => None,
            Client::Needed => Some("FILE".to_string()),
            Client::File(path) => Some(path.clone()),
            Client::New => Some("NEW_CLIENT_SECRET.json".to_string()),
        };
        if let Some(file) = client {
            words.push("--client-secrets".into());
            words.push(file);
        }
        for scope in &self.scopes {
            words.push("--scope".into());
            words.push(scope.clone());
        }
        for scope in &self.add_scopes {
            words.push("--add-scope".into());
            words.push(scope.clone());
        }
        if let Some(p) = &self.profile {
            words.push("--profile".into());
            words.push(p.clone());
        }
        if self.prompt_consent {
            words.push("--prompt".into());
            words.push("consent".into());
        }
        words
    }

    /// The command as one line for a POSIX shell.
    pub fn command(&self) -> String {
        self.words()
            .iter()
            .map(|w| sh(w))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Quotes a word for a POSIX shell when it needs it.
fn sh(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A hint that names the login command.
pub fn login_hint(text: impl Into<String>) -> Hint {
    Hint::of(text, About::Login)
}

/// "Log in again" for `profile`, when nothing more specific is known.
pub fn log_in_again(profile: &str) -> Hint {
    login_hint(format!(
        "run `{}` to log in again",
        Login::new(Some(profile)).client_needed(true).command()
    ))
}

/// A remedy as the CLI says it, or `None` for a remedy this CLI does not know (a newer library):
/// the library's own words are kept then.
pub fn remedy_words(remedy: &Remedy) -> Option<String> {
    Some(match remedy {
        Remedy::LogIn {
            profile,
            client_secrets_needed,
        } => format!(
            "run `{}`",
            Login::new(profile.as_deref())
                .client_needed(*client_secrets_needed)
                .command()
        ),
        Remedy::LogInAgain {
            profile,
            prompt_consent: true,
            ..
        } => format!(
            "log in again with prompt=consent (`{}`)",
            Login::new(profile.as_deref()).prompt_consent().command()
        ),
        Remedy::LogInAgain {
            profile,
            client_secrets_needed,
            ..
        } => format!(
            "run `{}` to log in again",
            Login::new(profile.as_deref())
                .client_needed(*client_secrets_needed)
                .command()
        ),
        Remedy::ReplaceByLogIn {
            profile,
            client_secrets_needed,
        } => format!(
            "run `{}` to replace it (or restore it from a backup)",
            Login::new(profile.as_deref())
                .client_needed(*client_secrets_needed)
                .command()
        ),
        Remedy::RemoveAndLogIn {
            path,
            profile,
            client_secrets_needed,
        } => format!(
            "remove it (`rm -r {}`), then run `{}`",
            path.display(),
            Login::new(profile.as_deref())
                .client_needed(*client_secrets_needed)
                .command()
        ),
        Remedy::LogInOrCreateAdc {
            client_secrets_needed,
        } => format!(
            "run `{}` (or `gcloud auth application-default login`)",
            Login::new(None)
                .client_needed(*client_secrets_needed)
                .command()
        ),
        Remedy::ProvideCredentials => format!(
            "run `{}`, or `gapi auth activate-service-account --key-file KEY.json`, or set \
             GOOGLE_APPLICATION_CREDENTIALS to a credentials file",
            Login::new(None).command()
        ),
        Remedy::UseNoBrowserFlow => "log in with `--no-browser` instead: open the URL on any \
             machine with a browser and paste back the address it ends on, or use the printed \
             --remote-bootstrap command"
            .to_string(),
        Remedy::ChooseAnotherPort => {
            "choose another --port (or 0 for any free port), or use --console / --device"
                .to_string()
        }
        Remedy::FinishConsentSooner => "finish the consent in the browser sooner (or raise \
             --timeout); on a machine without a browser use `--no-browser` and paste the address \
             the browser ends on, or run the printed --remote-bootstrap command elsewhere"
            .to_string(),
        Remedy::UseLoopbackFlow => format!(
            "use the loopback flow (`{login}` without --console); on a machine without a \
             browser, `{login} --no-browser`: open the URL on another machine and paste back the \
             full http://localhost:.../ address the browser ends on, or run the printed \
             --remote-bootstrap command there",
            login = Login::new(None).command()
        ),
        _ => return None,
    })
}

/// Whether following the remedy logs the user in (so no other login command is needed).
fn logs_in(remedy: &Remedy) -> bool {
    matches!(
        remedy,
        Remedy::LogIn { .. }
            | Remedy::LogInAgain { .. }
            | Remedy::ReplaceByLogIn { .. }
            | Remedy::RemoveAndLogIn { .. }
            | Remedy::LogInOrCreateAdc { .. }
            | Remedy::ProvideCredentials
            | Remedy::UseLoopbackFlow
    )
}

/// The hint of a gapi-auth error in this CLI's words: its context, then the command; the
/// library's own words for a remedy this CLI does not know, or when there is no remedy.
pub fn hint(e: &gapi_auth::Error) -> Option<Hint> {
    let Some((remedy, words)) = e.remedy().and_then(|r| Some((r, remedy_words(r)?))) else {
        return e.hint().map(Hint::new);
    };
    let about = if logs_in(remedy) {
        About::Login
    } else {
        About::Other
    };
    Some(Hint::of(
        match e.hint_context() {
            Some(context) => format!("{context}; {words}"),
            None => words,
        },
        about,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_remedy_names_the_exact_command() {
        let r = Remedy::LogInAgain {
            profile: Some("work".into()),
            client_secrets_needed: false,
            prompt_consent: false,
        };
        assert_eq!(
            remedy_words(&r).unwrap(),
            "run `gapi auth login --profile work` to log in again"
        );
        let r = Remedy::LogInAgain {
            profile: None,
            client_secrets_needed: false,
            prompt_consent: true,
        };
        assert_eq!(
            remedy_words(&r).unwrap(),
            "log in again with prompt=consent (`gapi auth login --prompt consent`)"
        );
        let r = Remedy::LogIn {
            profile: Some("p".into()),
            client_secrets_needed: true,
        };
        assert_eq!(
            remedy_words(&r).unwrap(),
            "run `gapi auth login --client-secrets FILE --profile p`"
        );
        let r = Remedy::RemoveAndLogIn {
            path: "/c/p.json".into(),
            profile: None,
            client_secrets_needed: true,
        };
        assert_eq!(
            remedy_words(&r).unwrap(),
            "remove it (`rm -r /c/p.json`), then run `gapi auth login --client-secrets FILE`"
        );
    }

    #[test]
    fn the_exact_command_quoted_for_a_shell() {
        let scopes = vec!["https://www.googleapis.com/auth/drive.readonly".to_string()];
        let login = Login::new(Some("work"))
            .client(Client::File("/home/me/my client.json".into()))
            .scopes(&scopes);
        assert_eq!(
            login.command(),
            "gapi auth login --client-secrets '/home/me/my client.json' --scope \
             https://www.googleapis.com/auth/drive.readonly --profile work"
        );
        let w = Login::new(Some(gapi_auth::DEFAULT_PROFILE))
            .client(Client::New)
            .scopes(&scopes)
            .words();
        assert!(w.contains(&"NEW_CLIENT_SECRET.json".to_string()));
        assert!(!w.contains(&"--profile".to_string()));
        assert_eq!(
            Login::new(Some("p"))
                .add_scopes(&["drive".to_string()])
                .command(),
            "gapi auth login --add-scope drive --profile p"
        );
    }

    #[tokio::test]
    async fn render_says_a_library_hint_in_cli_words() {
        let dir = tempfile::tempdir().unwrap();
        let store = gapi_auth::FileStore::new(dir.path());
        let err = gapi_auth::select_credentials(&store, Some("work"), None)
            .await
            .unwrap_err();
        assert!(!err.to_string().contains("gapi"), "{err}");
        assert!(!err.hint().unwrap_or_default().contains("gapi"), "{err:?}");
        let text = crate::exit::render(&anyhow::Error::new(err).context("calling drive"));
        assert!(
            text.ends_with("\nhint: run `gapi auth login --client-secrets FILE --profile work`"),
            "{text}"
        );
    }
}
