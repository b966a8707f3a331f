//! gapi-auth's remedies (`gapi_auth::Remedy`, data) in this CLI's words: the exact `gapi auth ...`
//! command that fixes the error. The library's own hint text names no program; `exit::render`
//! swaps it for these words.

use gapi_auth::Remedy;

/// The `gapi auth login` command for a profile, with the client secrets placeholder when the
/// login must be given a client (`exit::render` drops it when GAPI_CLIENT_SECRETS is set).
fn login(profile: Option<&str>, client_secrets_needed: bool) -> String {
    let mut command = String::from("gapi auth login");
    if client_secrets_needed {
        command.push_str(" --client-secrets FILE");
    }
    if let Some(p) = profile {
        command.push_str(" --profile ");
        command.push_str(p);
    }
    command
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
            login(profile.as_deref(), *client_secrets_needed)
        ),
        Remedy::LogInAgain {
            profile,
            prompt_consent: true,
            ..
        } => format!(
            "log in again with prompt=consent (`{} --prompt consent`)",
            login(profile.as_deref(), false)
        ),
        Remedy::LogInAgain {
            profile,
            client_secrets_needed,
            ..
        } => format!(
            "run `{}` to log in again",
            login(profile.as_deref(), *client_secrets_needed)
        ),
        Remedy::ReplaceByLogIn {
            profile,
            client_secrets_needed,
        } => format!(
            "run `{}` to replace it (or restore it from a backup)",
            login(profile.as_deref(), *client_secrets_needed)
        ),
        Remedy::RemoveAndLogIn {
            path,
            profile,
            client_secrets_needed,
        } => format!(
            "remove it (`rm -r {}`), then run `{}`",
            path.display(),
            login(profile.as_deref(), *client_secrets_needed)
        ),
        Remedy::LogInOrCreateAdc {
            client_secrets_needed,
        } => format!(
            "run `{}` (or `gcloud auth application-default login`)",
            login(None, *client_secrets_needed)
        ),
        Remedy::ProvideCredentials => {
            "run `gapi auth login`, or `gapi auth activate-service-account \
             --key-file KEY.json`, or set GOOGLE_APPLICATION_CREDENTIALS to a credentials file"
                .to_string()
        }
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
        Remedy::UseLoopbackFlow => "use the loopback flow (`gapi auth login` without --console); \
             on a machine without a browser, `gapi auth login --no-browser`: open the URL on \
             another machine and paste back the full http://localhost:.../ address the browser \
             ends on, or run the printed --remote-bootstrap command there"
            .to_string(),
        _ => return None,
    })
}

/// The hint of a gapi-auth error in this CLI's words: its context, then the command.
pub fn hint(e: &gapi_auth::Error) -> Option<String> {
    let remedy = e.remedy().and_then(remedy_words)?;
    Some(match e.hint_context() {
        Some(context) => format!("{context}; {remedy}"),
        None => remedy,
    })
}

/// Pairs of (library hint line, CLI hint line) for every gapi-auth error in the chain, so the
/// text of any cause that repeats an auth error's message can be said in CLI words.
pub fn replacements(err: &anyhow::Error) -> Vec<(String, String)> {
    err.chain()
        .filter_map(|c| c.downcast_ref::<gapi_auth::Error>())
        .filter_map(|e| {
            Some((
                format!("hint: {}", e.hint()?),
                format!("hint: {}", hint(e)?),
            ))
        })
        .collect()
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

    #[tokio::test]
    async fn render_says_a_library_hint_in_cli_words() {
        let dir = tempfile::tempdir().unwrap();
        let store = gapi_auth::FileStore::new(dir.path());
        let err = gapi_auth::select_credentials(&store, Some("work"), None)
            .await
            .unwrap_err();
        assert!(!err.to_string().contains("gapi"), "{err}");
        let text = crate::exit::render(&anyhow::Error::new(err).context("calling drive"));
        assert!(
            text.ends_with("\nhint: run `gapi auth login --client-secrets FILE --profile work`"),
            "{text}"
        );
    }
}
